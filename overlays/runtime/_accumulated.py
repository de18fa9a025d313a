"""Typed streams of named events (Responses, Messages) that also accumulate the whole answer.

:class:`AccumulatedStream` (async twin :class:`AsyncAccumulatedStream`) wraps the runtime's typed
stream with an accumulator: iterating yields the typed events unchanged, each is folded into the
accumulator, and ``get_final()`` returns the answer as if the request had not streamed. Without
callbacks the typed stream folds each event itself (no wrapper generator on the hot path).
"""

from __future__ import annotations

import inspect
from typing import (
    TYPE_CHECKING,
    Any,
    AsyncIterator,
    Awaitable,
    Callable,
    Generic,
    Iterator,
    Optional,
    TypeVar,
    Union,
)

from ._streaming import AsyncLazyIterator, AsyncStream, LazyIterator, Stream

if TYPE_CHECKING:
    import httpx

__all__ = ["AccumulatedStream", "AsyncAccumulatedStream", "EventCallbacks"]

Callback = Callable[..., Union[Awaitable[None], None]]
_E = TypeVar("_E")
_R = TypeVar("_R")


class Accumulator(Generic[_E, _R]):
    """Folds the events of one stream; ``add`` returns a tool call the event completed."""

    def add(self, event: _E) -> Any:
        raise NotImplementedError

    @staticmethod
    def text_of(event: _E) -> Optional[str]:
        """The output text an event adds, if any."""
        raise NotImplementedError

    def result(self) -> _R:
        raise NotImplementedError


class EventCallbacks:
    """The keyword callbacks of a named-event stream (sync functions, or coroutine functions on
    the async stream): ``on_open()``, ``on_event(event)``, ``on_text(text)``,
    ``on_tool(call)`` (a tool call completed: its arguments are whole), ``on_finish(final)``,
    ``on_error(exc)`` (then the error propagates)."""

    __slots__ = ("on_error", "on_event", "on_finish", "on_open", "on_text", "on_tool")

    def __init__(
        self,
        *,
        on_open: Optional[Callback] = None,
        on_event: Optional[Callback] = None,
        on_text: Optional[Callback] = None,
        on_tool: Optional[Callback] = None,
        on_finish: Optional[Callback] = None,
        on_error: Optional[Callback] = None,
    ) -> None:
        self.on_open = on_open
        self.on_event = on_event
        self.on_text = on_text
        self.on_tool = on_tool
        self.on_finish = on_finish
        self.on_error = on_error

    def any_per_event(self) -> bool:
        return any(
            cb is not None
            for cb in (self.on_event, self.on_text, self.on_tool, self.on_finish, self.on_error)
        )


class _Shared(Generic[_E, _R]):
    def __init__(
        self,
        stream: Any,
        accumulator: Accumulator[_E, _R],
        callbacks: Optional[EventCallbacks] = None,
    ) -> None:
        self._stream = stream
        self.accumulator = accumulator
        self.callbacks = callbacks = callbacks or EventCallbacks()
        self._plain = not callbacks.any_per_event()
        if self._plain:
            stream.fold = accumulator.add
        self._final: Optional[_R] = None

    @property
    def response(self) -> Optional[httpx.Response]:
        """The HTTP response once the stream is open (status, headers); None before."""
        response: Optional[httpx.Response] = self._stream.response
        return response

    def _result(self) -> _R:
        if self._final is None:
            self._final = self.accumulator.result()
        return self._final


class AccumulatedStream(_Shared[_E, _R], LazyIterator[_E]):
    """A typed named-event stream: ``with`` it, iterate its events or ``text_stream``, then
    ``get_final()`` (the Responses and Messages streams name it after what they return)."""

    def __init__(
        self,
        stream: Stream[_E],
        accumulator: Accumulator[_E, _R],
        callbacks: Optional[EventCallbacks] = None,
    ) -> None:
        super().__init__(stream, accumulator, callbacks)

    def _new_iterator(self) -> Iterator[_E]:
        return iter(self._stream) if self._plain else self._iterate()

    def _iterate(self) -> Iterator[_E]:
        acc, cb = self.accumulator, self.callbacks
        try:
            for event in self._stream:
                tool = acc.add(event)
                if cb.on_event is not None:
                    cb.on_event(event)
                if cb.on_text is not None:
                    text = acc.text_of(event)
                    if text:
                        cb.on_text(text)
                if tool is not None and cb.on_tool is not None:
                    cb.on_tool(tool)
                yield event
            if cb.on_finish is not None:
                cb.on_finish(self._result())
        except Exception as exc:
            if cb.on_error is not None:
                cb.on_error(exc)
            raise

    def __enter__(self) -> AccumulatedStream[_E, _R]:
        return self

    def close(self) -> None:
        """Stop reading and release the connection."""
        super().close()
        self._stream.close()

    @property
    def text_stream(self) -> Iterator[str]:
        """Only the output text, piece by piece (the stream is still accumulated)."""
        text_of = self.accumulator.text_of
        for event in self:
            text = text_of(event)
            if text:
                yield text

    def until_done(self) -> AccumulatedStream[_E, _R]:
        """Consume the rest of the stream."""
        for _ in self:
            pass
        return self

    def get_final(self) -> _R:
        """Consume the rest of the stream and return the whole answer."""
        if not self._stream.completed:
            self.until_done()
        return self._result()


async def _call(callback: Callback, arg: Any) -> None:
    result = callback(arg)
    if inspect.isawaitable(result):
        await result


class AsyncAccumulatedStream(_Shared[_E, _R], AsyncLazyIterator[_E]):
    """Async twin of :class:`AccumulatedStream`; callbacks may be coroutine functions."""

    def __init__(
        self,
        stream: AsyncStream[_E],
        accumulator: Accumulator[_E, _R],
        callbacks: Optional[EventCallbacks] = None,
    ) -> None:
        super().__init__(stream, accumulator, callbacks)

    def _new_iterator(self) -> AsyncIterator[_E]:
        return self._stream.__aiter__() if self._plain else self._iterate()

    async def _iterate(self) -> AsyncIterator[_E]:
        acc, cb = self.accumulator, self.callbacks
        try:
            async for event in self._stream:
                tool = acc.add(event)
                if cb.on_event is not None:
                    await _call(cb.on_event, event)
                if cb.on_text is not None:
                    text = acc.text_of(event)
                    if text:
                        await _call(cb.on_text, text)
                if tool is not None and cb.on_tool is not None:
                    await _call(cb.on_tool, tool)
                yield event
            if cb.on_finish is not None:
                await _call(cb.on_finish, self._result())
        except Exception as exc:
            if cb.on_error is not None:
                await _call(cb.on_error, exc)
            raise

    async def __aenter__(self) -> AsyncAccumulatedStream[_E, _R]:
        return self

    async def close(self) -> None:
        """Stop reading and release the connection."""
        await super().close()
        await self._stream.close()

    @property
    def text_stream(self) -> AsyncIterator[str]:
        """Only the output text, piece by piece (the stream is still accumulated)."""
        return _async_text(self)

    async def until_done(self) -> AsyncAccumulatedStream[_E, _R]:
        async for _ in self:
            pass
        return self

    async def get_final(self) -> _R:
        if not self._stream.completed:
            await self.until_done()
        return self._result()


async def _async_text(stream: AsyncAccumulatedStream[Any, Any]) -> AsyncIterator[str]:
    text_of = stream.accumulator.text_of
    async for event in stream:
        text = text_of(event)
        if text:
            yield text
