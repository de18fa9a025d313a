"""Event streams over an HTTP response: raw SSE events or typed models, sync and async.

All parsing lives in :class:`_Pipeline` (bytes in, items out, no I/O) so the sync and async
classes differ only in how they read the response. A stream that stops before its done sentinel,
or whose connection breaks, or whose body cannot be decoded, raises :class:`StreamError` saying
what happened and after how many events: a truncated answer is never passed off as a complete
one. A typed stream's event that is not valid JSON, not UTF-8 or not of the model's shape raises
:class:`ResponseValidationError` carrying the event; raw events decode invalid UTF-8 as U+FFFD.
"""

from __future__ import annotations

import contextlib
import inspect
import json
import threading
from itertools import chain
from typing import (
    TYPE_CHECKING,
    Any,
    AsyncContextManager,
    AsyncIterator,
    Callable,
    ContextManager,
    FrozenSet,
    Generic,
    Iterator,
    List,
    Optional,
    Tuple,
    Type,
    TypeVar,
)

import pydantic
import pydantic_core

from ._base_client import validation_message
from ._sse import ServerSentEvent, SSEDecoder, named_frames, plain_data
from .errors import (
    InferenceGatewayAPIError,
    InferenceGatewayError,
    ResponseValidationError,
    StreamError,
    make_api_error,
    redact,
)

if TYPE_CHECKING:  # httpx is imported where a stream starts, not when the package loads
    import httpx

__all__ = ["AsyncEventStream", "AsyncStream", "EventStream", "Stream"]

T = TypeVar("T")
_Item = TypeVar("_Item")

OpenResponse = Callable[[], ContextManager["httpx.Response"]]
AsyncOpenResponse = Callable[[], AsyncContextManager["httpx.Response"]]

_ERROR_MARK = b'"error"'
#: An event (or the unfinished bytes before the next blank line) larger than this ends the
#: stream with ``StreamError``: what a server that never ends its event could make us hold.
MAX_EVENT_SIZE = 64 << 20
_NOTHING: List[Any] = []
_END = (None,)  # after the body's last chunk: ``feed(None)`` flushes the decoder


def _error_status(error: Any, fallback: int) -> int:
    """The HTTP status an error object names (``code``/``status``), else ``fallback``."""
    if isinstance(error, dict):
        for key in ("status", "code", "status_code"):
            value = error.get(key)
            if isinstance(value, int) and 400 <= value <= 599:
                return value
            if isinstance(value, str) and value.isdigit() and 400 <= int(value) <= 599:
                return int(value)
    return fallback


def _mid_stream_error(
    data: bytes, event: Optional[str], response: httpx.Response
) -> Optional[InferenceGatewayAPIError]:
    """The typed API error a data payload carries (``{"error": ...}`` without ``choices``, or
    any payload of an ``event: error``), else ``None``."""
    try:
        body = json.loads(data)
    except ValueError:
        if event != "error":
            return None
        body = {"error": data.decode("utf-8", "replace")}
    if isinstance(body, dict) and "error" in body and not body.get("choices"):
        status = _error_status(body["error"], 500)
    elif event == "error":
        status = _error_status(body, 500)
        body = {"error": body}
    else:
        return None
    return make_api_error(status, body, response.headers)


class _Pipeline:
    """Sans-I/O core shared by the four stream classes: feeds bytes to the SSE decoder, stops at
    the sentinel, finds mid-stream errors, counts events.

    ``feed`` returns what the stream will yield, still unconverted (data bytes for typed streams,
    raw tuples for event streams): the wrapper converts one item right before yielding it, so a
    network read carrying hundreds of events never holds hundreds of live models (which would
    make the garbage collector, not the parsing, the cost of the stream).

    ``terminal`` (named-event streams such as Responses and Messages, which have no sentinel):
    the ``event:`` names that complete the stream; the typed stream then yields the data of
    every named event (not only unnamed ``message`` ones), the terminal event included, and a
    body that ends before one of them, or that is a JSON document instead of an event stream,
    raises.
    """

    __slots__ = (
        "_body",
        "_decoder",
        "_response",
        "_sentinel",
        "_terminal",
        "_terminal_names",
        "_waiting",
        "count",
        "data_only",
        "done",
        "ended",
        "error",
        "stop",
    )

    def __init__(
        self,
        response: httpx.Response,
        done_sentinel: Optional[str],
        data_only: bool,
        terminal: Optional[FrozenSet[str]] = None,
    ) -> None:
        self._decoder = SSEDecoder()
        self._response = response
        self._sentinel = done_sentinel.encode() if done_sentinel is not None else None
        self._terminal = terminal
        self._terminal_names = frozenset(name.encode() for name in terminal or ())
        content_type = response.headers.get("content-type", "")
        # A JSON document answered to a stream request: kept whole, reported at its end.
        self._body: Optional[List[bytes]] = (
            [] if terminal is not None and "json" in content_type.lower() else None
        )
        self.data_only = data_only
        self.count = 0
        self.done = False  # the sentinel arrived
        self.error: Optional[InferenceGatewayAPIError] = None  # an error object arrived
        self.stop = False  # either: read no further
        self.ended = False  # the body ended (``feed(None)``)
        self._waiting = 0  # bytes read since the last complete event

    def feed(self, chunk: Optional[bytes]) -> List[Any]:
        """Items of one read; ``None`` marks the end of the body (then ``stop`` is set)."""
        if chunk is None:
            self.ended = self.stop = True
            if self._body is not None:
                raise self._not_a_stream(b"".join(self._body))
            return self.finish()
        if self._body is not None:
            self._body.append(chunk)
            self._waiting += len(chunk)
            if self._waiting > MAX_EVENT_SIZE:
                raise self._not_a_stream(b"")
            return _NOTHING
        if self._terminal is not None:
            region = self._decoder.region(chunk)
            if region is None:
                return self._wait(chunk)
            self._waiting = 0
            frames = named_frames(region)
            if frames is None:
                return self._items(self._decoder.parse_region(region))
            return self._named(frames)
        if self.data_only:
            data = self._decoder.single_data(chunk)
            if data is not None and data and data != self._sentinel:
                self.count += 1
                return [data]
        region = self._decoder.region(chunk)
        if region is None:
            return self._wait(chunk)
        self._waiting = 0
        if self.data_only:
            datas = plain_data(region)
            # Error objects fail the model's validation; the typed converter checks them then,
            # so the hot path does not scan for them.
            if datas is not None and self._sentinel not in datas and b"" not in datas:
                self.count += len(datas)
                return datas  # the hot path: no per-event Python work at all
        return self._items(self._decoder.parse_region(region))

    def _wait(self, chunk: bytes) -> List[Any]:
        """A read that ended no event: count it against ``MAX_EVENT_SIZE``."""
        self._waiting += len(chunk)
        if self._waiting > MAX_EVENT_SIZE:
            raise StreamError(
                f"stream sent more than {MAX_EVENT_SIZE >> 20} MiB after {self.count} "
                "events without ending an event; refused"
            )
        return _NOTHING

    def _not_a_stream(self, body: bytes) -> InferenceGatewayError:
        """What a JSON document answered to a stream request is: its typed API error when it
        is an error object, else a ``StreamError`` (never an empty stream)."""
        error = _mid_stream_error(body, None, self._response)
        if error is not None:
            return error
        kind = self._response.headers.get("content-type", "")
        return StreamError(
            f"the server answered the stream request with a {kind} document instead of an "
            f"event stream: {body[:200]!r}"
        )

    def _named(self, frames: List[Tuple[bytes, bytes]]) -> List[Any]:
        """The data of ``event: NAME`` / ``data: ...`` frames (the fast path of named-event
        streams): stops after a terminal event, turns an ``error`` event into the error."""
        terminal = self._terminal_names
        out: List[Any] = []
        for name, data in frames:
            if name == b"error":  # the events before it are yielded, then it is raised
                self.count += len(out)
                return out + self._items([("error", data)])
            if data:  # an event without data (a keep-alive) has no model
                out.append(data)
            if name in terminal:
                self.done = self.stop = True
                break
        self.count += len(out)
        return out

    def finish(self) -> List[Any]:
        """Items still pending at the end of the body."""
        return self._items(self._decoder.flush_raw())

    @property
    def drain(self) -> bool:
        """Whether the rest of the body should be read (after the sentinel) so the connection
        can be reused."""
        return self.done and not self.ended

    def check_complete(self) -> None:
        """At end of body: raise if the sentinel (or terminal event) never came."""
        if not self.done and self._terminal is not None:
            names = ", ".join(sorted(self._terminal))
            raise StreamError(
                f"stream ended after {self.count} events without its terminal event ({names}): "
                "the connection closed early and the answer is incomplete"
            )
        if not self.done and self._sentinel is not None:
            raise StreamError(
                f"stream ended after {self.count} events without the "
                f"{self._sentinel.decode()!r} marker: the connection closed early and the "
                "answer is incomplete"
            )

    def broken(self, exc: BaseException) -> StreamError:
        import httpx

        what = (
            "body does not match its Content-Encoding"
            if isinstance(exc, httpx.DecodingError)
            else "broke"
        )
        return StreamError(
            f"stream {what} after {self.count} events ({type(exc).__name__}: {exc}); "
            "the answer is incomplete"
        )

    def _items(self, raws: List[Any]) -> List[Any]:
        sentinel = self._sentinel
        data_only = self.data_only
        terminal = self._terminal
        out: List[Any] = []
        append = out.append
        for raw in raws:
            event, data = raw[0], raw[1]
            if data == sentinel:
                self.done = self.stop = True
                break
            if _ERROR_MARK in data or event == "error":
                error = _mid_stream_error(data, event, self._response)
                if error is not None:
                    self.error = error  # raised once the events before it were yielded
                    self.stop = True
                    break
            if terminal is not None:
                if data:
                    append(data if data_only else raw)
                if event in terminal:
                    self.done = self.stop = True
                    break
            elif data_only:
                if data and (event is None or event == "message"):
                    append(data)  # keep-alives and foreign event types have no model
            else:
                append(raw)
        self.count += len(out)
        return out


def _to_event(raw: Any) -> ServerSentEvent:
    event, data, last_id, retry = raw
    return ServerSentEvent(data.decode("utf-8", "replace"), event or "message", last_id, retry)


def _validator(model: Type[Any]) -> Callable[[bytes], Any]:
    """``model.model_validate_json`` without its Python wrapper (the compiled validator),
    building a deferred model first."""
    validator = getattr(model, "__pydantic_validator__", None)
    if not isinstance(validator, pydantic_core.SchemaValidator):
        model.model_rebuild()
        validator = getattr(model, "__pydantic_validator__", None)
    if isinstance(validator, pydantic_core.SchemaValidator):
        return validator.validate_json
    return model.model_validate_json  # type: ignore[no-any-return]


def _identity(response: httpx.Response) -> bool:
    encoding = response.headers.get("content-encoding", "identity").strip().lower()
    return encoding in ("", "identity") and not response.is_stream_consumed


def _chunks(response: httpx.Response) -> Iterator[bytes]:
    """The body bytes. An identity-encoded body is read straight from the response's byte
    stream (the transport already maps network errors to httpx's): ``iter_raw``'s chunker and
    bookkeeping cost about 2% of a stream of small events."""
    import httpx

    stream = response.stream
    if _identity(response) and isinstance(stream, httpx.SyncByteStream):
        response.is_stream_consumed = True
        return iter(stream)
    return response.iter_bytes()


def _achunks(response: httpx.Response) -> AsyncIterator[bytes]:
    import httpx

    stream = response.stream
    if _identity(response) and isinstance(stream, httpx.AsyncByteStream):
        response.is_stream_consumed = True
        return stream.__aiter__()
    return response.aiter_bytes()


_DRAIN_LIMIT = 1 << 20
#: After the done sentinel, how long the rest of the body (normally just its end) may take.
_DRAIN_GRACE = 0.5


def _shutdown(sock: Any) -> None:
    with contextlib.suppress(OSError):  # already closed: nothing left to stop
        sock.shutdown(2)  # socket.SHUT_RDWR: a read blocked on it returns at once


def _drain(response: httpx.Response, chunks: Iterator[bytes]) -> None:
    """Best effort, after the done sentinel: read the end of the body (at most 1 MiB, for at
    most ``_DRAIN_GRACE`` seconds) so the connection goes back to the pool. A server that keeps
    the body open only loses the connection: the answer is already complete."""
    import httpx

    stream = response.extensions.get("network_stream")
    sock = stream.get_extra_info("socket") if stream is not None else None
    if sock is None:  # HTTP/2 or a custom transport: closing the response is cheap enough
        return
    timer = threading.Timer(_DRAIN_GRACE, _shutdown, (sock,))
    timer.daemon = True
    timer.start()
    seen = 0
    try:
        for chunk in chunks:
            seen += len(chunk)
            if seen > _DRAIN_LIMIT:
                return
    except (httpx.TransportError, OSError):
        return  # cut by the grace timer or the server: the connection is just not reused
    finally:
        timer.cancel()


async def _adrain(chunks: AsyncIterator[bytes]) -> None:
    import anyio
    import httpx

    seen = 0
    with anyio.move_on_after(_DRAIN_GRACE):
        try:
            async for chunk in chunks:
                seen += len(chunk)
                if seen > _DRAIN_LIMIT:
                    return
        except (httpx.TransportError, OSError):
            return  # the answer is complete; the connection is just not reused


def _invalid(
    exc: pydantic.ValidationError, data: Any, items: List[Any], stream: _Base, count: int
) -> InferenceGatewayError:
    """A payload the model rejected: the typed API error when it is an error object, else a
    ``ResponseValidationError`` carrying the event's data and index."""
    response = stream.response
    assert response is not None
    error = _mid_stream_error(data, None, response) if isinstance(data, bytes) else None
    if error is not None:
        return error
    model = getattr(stream.model, "__name__", repr(stream.model))
    index = count - len(items) + items.index(data)
    return ResponseValidationError(
        validation_message(f"event {index} of the {stream.operation} stream", model, exc),
        operation=stream.operation,
        model=model,
        body=data,
        event_index=index,
    )


class _Base:
    """What the four stream classes share: the opener, state and how items are made.

    ``_convert`` turns what the pipeline returns into the yielded item (``None`` for typed
    streams: the model's compiled validator is called inline); ``fold`` sees each item first.
    """

    _data_only = False
    model: Optional[Type[Any]] = None

    def __init__(
        self,
        open_response: Any,
        *,
        done_sentinel: Optional[str],
        operation: str = "event",
        secret: Optional[str] = None,
    ) -> None:
        self._open_response = open_response
        self._done_sentinel = done_sentinel
        self.operation = operation  # named in validation errors
        self._secret = secret  # masked in error messages (the client's token)
        self._response: Optional[httpx.Response] = None
        self.completed = False  # the body ended cleanly (sentinel seen, when there is one)
        self.fold: Optional[Callable[[Any], Any]] = None
        self.terminal: Optional[FrozenSet[str]] = None  # see _Pipeline

    @property
    def response(self) -> Optional[httpx.Response]:
        """The HTTP response once the stream is open (status, headers)."""
        return self._response

    def _start(self, response: httpx.Response) -> tuple[_Pipeline, Callable[[Any], Any]]:
        self._response = response
        pipeline = _Pipeline(response, self._done_sentinel, self._data_only, self.terminal)
        convert = _validator(self.model) if self.model is not None else _to_event
        return pipeline, convert

    def _end(self, pipeline: _Pipeline) -> None:
        if pipeline.error is not None:
            raise pipeline.error
        pipeline.check_complete()
        self.completed = True


class LazyIterator(Generic[_Item]):
    """Iterator plumbing of the sync streams (and of the chat stream over them): the iterator
    is made by ``_new_iterator()`` on first use; ``close()`` ends it, which runs the
    generator's ``with`` blocks (the response closes); iterating afterwards yields nothing."""

    _iterator: Optional[Iterator[_Item]] = None

    def _new_iterator(self) -> Iterator[_Item]:
        raise NotImplementedError

    def __iter__(self) -> Iterator[_Item]:
        if self._iterator is None:
            self._iterator = self._new_iterator()
        return self._iterator

    def __next__(self) -> _Item:
        return next(iter(self))

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        """Stop reading and release the connection (also done on exhaustion or error)."""
        iterator = self._iterator
        self._iterator = iter(())
        close = getattr(iterator, "close", None)
        if close is not None:
            close()


class AsyncLazyIterator(Generic[_Item]):
    """Async twin of :class:`LazyIterator`."""

    _iterator: Optional[AsyncIterator[_Item]] = None

    def _new_iterator(self) -> AsyncIterator[_Item]:
        raise NotImplementedError

    def __aiter__(self) -> AsyncIterator[_Item]:
        if self._iterator is None:
            self._iterator = self._new_iterator()
        return self._iterator

    async def __anext__(self) -> _Item:
        return await self.__aiter__().__anext__()

    async def __aexit__(self, *exc_info: object) -> None:
        await self.close()

    async def close(self) -> None:
        """Stop reading and release the connection (also done on exhaustion or error)."""
        iterator = self._iterator
        self._iterator = _empty()
        aclose = getattr(iterator, "aclose", None)
        if aclose is not None:
            await aclose()


class _SyncBase(_Base, LazyIterator[_Item]):
    """Iterator + context manager; the request is sent on first iteration or ``with``."""

    def _new_iterator(self) -> Iterator[_Item]:
        import httpx

        try:
            with self._open_response() as response:
                pipeline, convert = self._start(response)
                feed, fold = pipeline.feed, self.fold
                data: Any = None
                items: List[Any] = _NOTHING
                try:
                    chunks = _chunks(response)
                    for chunk in chain(chunks, _END):
                        items = feed(chunk)
                        for data in items:
                            item = convert(data)
                            if fold is not None:
                                fold(item)
                            yield item
                        if pipeline.stop:
                            break
                    if pipeline.drain:
                        _drain(response, chunks)
                except (httpx.RequestError, OSError) as exc:  # OSError: raw TLS alerts
                    raise pipeline.broken(exc) from exc
                except pydantic.ValidationError as exc:
                    raise _invalid(exc, data, items, self, pipeline.count) from None
                self._end(pipeline)
        except InferenceGatewayError as exc:  # a server may quote the token back
            redact(exc, self._secret)
            raise

    def __enter__(self) -> _SyncBase[_Item]:
        return self


class _AsyncBase(_Base, AsyncLazyIterator[_Item]):
    async def _new_iterator(self) -> AsyncIterator[_Item]:
        import httpx

        try:
            async with self._open_response() as response:
                pipeline, convert = self._start(response)
                feed, fold = pipeline.feed, self.fold
                data: Any = None
                items: List[Any] = _NOTHING
                try:
                    chunks = _achunks(response)
                    async for chunk in _ThenEnd(chunks):
                        items = feed(chunk)
                        for data in items:
                            item = convert(data)
                            if fold is not None:
                                fold(item)
                            yield item
                        if pipeline.stop:
                            break
                    if pipeline.drain:
                        await _adrain(chunks)
                except (httpx.RequestError, OSError) as exc:  # OSError: raw TLS alerts
                    raise pipeline.broken(exc) from exc
                except pydantic.ValidationError as exc:
                    raise _invalid(exc, data, items, self, pipeline.count) from None
                self._end(pipeline)
        except InferenceGatewayError as exc:  # a server may quote the token back
            redact(exc, self._secret)
            raise

    async def __aenter__(self) -> _AsyncBase[_Item]:
        return self


class _ThenEnd:
    """``chunks``, then one ``None`` (the end of the body): ``chain(chunks, _END)`` for
    ``async for``. A class, not an async generator: nothing left for the event loop to finalize
    when the stream stops early."""

    __slots__ = ("_chunks", "_ended")

    def __init__(self, chunks: AsyncIterator[bytes]) -> None:
        self._chunks = chunks
        self._ended = False

    def __aiter__(self) -> _ThenEnd:
        return self

    async def __anext__(self) -> Optional[bytes]:
        if self._ended:
            raise StopAsyncIteration
        try:
            return await self._chunks.__anext__()
        except StopAsyncIteration:
            self._ended = True
            return None


async def _empty() -> AsyncIterator[Any]:
    return
    yield  # pragma: no cover - makes this an async generator


class EventStream(_SyncBase[ServerSentEvent]):
    """Raw SSE events of a response; never yields the done sentinel itself."""

    def __enter__(self) -> EventStream:
        return self

    def typed(
        self,
        model: Type[T],
        *,
        on_open: Optional[Callable[[httpx.Response], Any]] = None,
        terminal: Optional[FrozenSet[str]] = None,
    ) -> Stream[T]:
        """The same (not yet started) request, each event's data validated into ``model``;
        ``on_open(response)`` runs once the response headers arrived. ``terminal``: for a
        stream of named events, the event names that complete it (every named event is then
        yielded; the stream raises if none of them arrives)."""
        opener = self._open_response if on_open is None else wrap_open(self._open_response, on_open)
        return Stream(
            opener,
            model=model,
            done_sentinel=self._done_sentinel,
            operation=self.operation,
            secret=self._secret,
            terminal=terminal,
        )


class AsyncEventStream(_AsyncBase[ServerSentEvent]):
    """Async twin of :class:`EventStream`."""

    async def __aenter__(self) -> AsyncEventStream:
        return self

    def typed(
        self,
        model: Type[T],
        *,
        on_open: Optional[Callable[[httpx.Response], Any]] = None,
        terminal: Optional[FrozenSet[str]] = None,
    ) -> AsyncStream[T]:
        opener = (
            self._open_response
            if on_open is None
            else async_wrap_open(self._open_response, on_open)
        )
        return AsyncStream(
            opener,
            model=model,
            done_sentinel=self._done_sentinel,
            operation=self.operation,
            secret=self._secret,
            terminal=terminal,
        )


class _Typed(_Base, Generic[T]):
    """The constructor of :class:`Stream` and :class:`AsyncStream` (``open_response`` is the
    sync or async opener)."""

    _data_only = True

    def __init__(
        self,
        open_response: Any,
        *,
        model: Type[T],
        done_sentinel: Optional[str] = "[DONE]",
        fold: Optional[Callable[[T], Any]] = None,
        operation: str = "event",
        secret: Optional[str] = None,
        terminal: Optional[FrozenSet[str]] = None,
    ) -> None:
        super().__init__(
            open_response, done_sentinel=done_sentinel, operation=operation, secret=secret
        )
        self.model = model
        self.fold = fold
        self.terminal = terminal


class Stream(_Typed[T], _SyncBase[T]):
    """Typed events: each data payload validated as ``model`` (its ``model_validate_json``).

    ``fold(item)``, if set, sees every item before it is yielded (how the chat stream
    accumulates without a second generator layer on the hot path). A payload the model rejects
    raises the typed API error when it is an ``{"error": ...}`` object, else
    ``ResponseValidationError`` (``body``: the event's data, ``event_index``: its position)."""

    def __enter__(self) -> Stream[T]:
        return self


class AsyncStream(_Typed[T], _AsyncBase[T]):
    """Async twin of :class:`Stream`."""

    async def __aenter__(self) -> AsyncStream[T]:
        return self


def wrap_open(
    open_response: OpenResponse, on_open: Callable[[httpx.Response], None]
) -> OpenResponse:
    """An opener that calls ``on_open(response)`` once the response headers arrived."""

    @contextlib.contextmanager
    def opener() -> Iterator[httpx.Response]:
        with open_response() as response:
            on_open(response)
            yield response

    return opener


def async_wrap_open(
    open_response: AsyncOpenResponse, on_open: Callable[[httpx.Response], Any]
) -> AsyncOpenResponse:
    """Async twin of :func:`wrap_open`; ``on_open`` may return an awaitable."""

    @contextlib.asynccontextmanager
    async def opener() -> AsyncIterator[httpx.Response]:
        async with open_response() as response:
            result = on_open(response)
            if inspect.isawaitable(result):
                await result
            yield response

    return opener
