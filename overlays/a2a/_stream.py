"""Typed A2A event streams (SendStreamingMessage / message/stream, SubscribeToTask / tasks/resubscribe).

Each SSE event is a whole JSON-RPC response; the sans-I/O `_Decoder` parses it with the runtime's
SSE parser, checks the id, raises typed errors and converts it to a task, message, status update
or artifact update. Agents may also answer a streaming call with one plain JSON-RPC response
(a2a-sdk does so for errors raised before the first event); that is handled the same way.
"""

from __future__ import annotations

from typing import (
    Any,
    AsyncContextManager,
    AsyncIterator,
    Callable,
    ContextManager,
    Iterator,
    List,
    Optional,
    Tuple,
)

import httpx

from .._sse import SSEDecoder
from ..errors import StreamError
from ._protocol import A2AEvent, RequestId, RPCCall, decode_json

__all__ = ["A2AStream", "AsyncA2AStream"]

# The opener sends the request when the stream is first used (resolving the agent's endpoint
# first if needed) and yields the call, its request id and the response with headers read.
Opened = Tuple[RPCCall[A2AEvent], RequestId, httpx.Response]
OpenResponse = Callable[[], ContextManager[Opened]]
AsyncOpenResponse = Callable[[], AsyncContextManager[Opened]]


class _Decoder:
    """Bytes of one streaming response in, typed events out."""

    def __init__(
        self, call: RPCCall[A2AEvent], request_id: RequestId, response: httpx.Response
    ) -> None:
        self._call = call
        self._request_id = request_id
        content_type = response.headers.get("content-type", "")
        self._plain = not content_type.startswith("text/event-stream")
        self._body = bytearray()
        self._sse = SSEDecoder()
        self.count = 0

    def feed(self, chunk: bytes) -> List[A2AEvent]:
        if self._plain:
            self._body += chunk
            return []
        return self._convert([e.data for e in self._sse.feed(chunk) if e.data])

    def finish(self) -> List[A2AEvent]:
        if self._plain:
            if not self._body.strip():
                raise StreamError(f"A2A {self._call.method}: the agent answered with an empty body")
            return self._convert([bytes(self._body)])
        return self._convert([e.data for e in self._sse.flush() if e.data])

    def _convert(self, payloads: List[Any]) -> List[A2AEvent]:
        events = []
        for payload in payloads:
            body = decode_json(payload, method=self._call.method)
            events.append(self._call.result(body, self._request_id))
            self.count += 1
        return events

    def broken(self, exc: BaseException) -> StreamError:
        return StreamError(
            f"A2A {self._call.method} stream broke after {self.count} events "
            f"({type(exc).__name__}: {exc}); the event sequence is incomplete"
        )


class A2AStream:
    """Iterator and context manager of A2A events; the request is sent on first use."""

    def __init__(self, open_response: OpenResponse) -> None:
        self._open_response = open_response
        self._iterator: Optional[Iterator[A2AEvent]] = None
        self.response: Optional[httpx.Response] = None

    def _iterate(self) -> Iterator[A2AEvent]:
        with self._open_response() as (call, request_id, response):
            self.response = response
            decoder = _Decoder(call, request_id, response)
            try:
                for chunk in response.iter_bytes():
                    yield from decoder.feed(chunk)
            except (
                httpx.RequestError,
                OSError,
            ) as exc:  # also bad encodings; OSError: raw TLS errors
                raise decoder.broken(exc) from exc
            yield from decoder.finish()

    def __iter__(self) -> Iterator[A2AEvent]:
        if self._iterator is None:
            self._iterator = self._iterate()
        return self._iterator

    def __next__(self) -> A2AEvent:
        return next(iter(self))

    def __enter__(self) -> A2AStream:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        """Stop reading and release the connection."""
        iterator, self._iterator = self._iterator, iter(())
        close = getattr(iterator, "close", None)
        if close is not None:
            close()


class AsyncA2AStream:
    """Async twin of `A2AStream`."""

    def __init__(self, open_response: AsyncOpenResponse) -> None:
        self._open_response = open_response
        self._iterator: Optional[AsyncIterator[A2AEvent]] = None
        self.response: Optional[httpx.Response] = None

    async def _iterate(self) -> AsyncIterator[A2AEvent]:
        async with self._open_response() as (call, request_id, response):
            self.response = response
            decoder = _Decoder(call, request_id, response)
            try:
                async for chunk in response.aiter_bytes():
                    for event in decoder.feed(chunk):
                        yield event
            except (
                httpx.RequestError,
                OSError,
            ) as exc:  # also bad encodings; OSError: raw TLS errors
                raise decoder.broken(exc) from exc
            for event in decoder.finish():
                yield event

    def __aiter__(self) -> AsyncIterator[A2AEvent]:
        if self._iterator is None:
            self._iterator = self._iterate()
        return self._iterator

    async def __anext__(self) -> A2AEvent:
        return await self.__aiter__().__anext__()

    async def __aenter__(self) -> AsyncA2AStream:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.close()

    async def close(self) -> None:
        iterator, self._iterator = self._iterator, _empty()
        aclose = getattr(iterator, "aclose", None)
        if aclose is not None:
            await aclose()


async def _empty() -> AsyncIterator[A2AEvent]:
    return
    yield  # pragma: no cover - makes this an async generator
