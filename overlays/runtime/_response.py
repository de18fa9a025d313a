"""``client.with_raw_response.<method>(...)``: any client method, with the HTTP response it got.

One mechanism for every method (generated operations and the overlays' helpers alike): the
proxy runs the ordinary method while a context variable asks the transport to record each
successful exchange (request, response, body, time to answer), and to send streaming requests
at once instead of on first iteration. The method's own result is what ``parse()`` returns, so
nothing is parsed twice and a plain call pays one context-variable read.
"""

from __future__ import annotations

import datetime
import functools
import inspect
from typing import TYPE_CHECKING, Any, Awaitable, Callable, Generic, List, TypeVar

from ._base_client import CAPTURE, Capture, Exchange
from .errors import InferenceGatewayError

if TYPE_CHECKING:
    import httpx

__all__ = ["APIResponse", "AsyncAPIResponse", "AsyncRawResponses", "RawResponses"]

T = TypeVar("T")


class APIResponse(Generic[T]):
    """A method's result with the HTTP exchange behind it (the last one, for helpers that make
    several calls, such as ``run_tools``).

    ``status_code``, ``headers``, ``http_request``, ``http_response``, ``elapsed`` (from sending
    the request to its body read, or to its headers for a stream), ``content`` (the body; empty
    for a stream) and ``parse()``: what the method returns. A stream's connection stays open
    until the stream is read to its end or closed: ``close()`` it (or use ``with``) if you do
    not read it.
    """

    def __init__(self, exchange: Exchange, result: T) -> None:
        self.http_request: httpx.Request = exchange.request
        self.http_response: httpx.Response = exchange.response
        self.content: bytes = exchange.content
        self.elapsed = datetime.timedelta(seconds=exchange.elapsed)
        self._result = result

    @property
    def status_code(self) -> int:
        return self.http_response.status_code

    @property
    def headers(self) -> httpx.Headers:
        return self.http_response.headers

    @property
    def url(self) -> httpx.URL:
        return self.http_request.url

    def parse(self) -> T:
        """The typed result, as the plain method call returns it."""
        return self._result

    def close(self) -> None:
        """Release a stream's connection without reading it (nothing to do otherwise)."""
        self.http_response.close()

    def __enter__(self) -> APIResponse[T]:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"<{type(self).__name__} [{self.status_code}] {self.http_request.method} {self.url}>"


class AsyncAPIResponse(APIResponse[T]):
    """:class:`APIResponse` of the async client: ``await close()`` / ``async with``."""

    async def close(self) -> None:  # type: ignore[override]
        """Release a stream's connection without reading it (nothing to do otherwise)."""
        await self.http_response.aclose()

    async def __aenter__(self) -> AsyncAPIResponse[T]:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.close()


def _last_exchange(name: str, capture: Capture) -> Exchange:
    if not capture.exchanges:
        raise InferenceGatewayError(
            f"{name}() got no successful HTTP response to show: with_raw_response needs a "
            "method that sends a request"
        )
    return capture.exchanges[-1]


class _Proxy:
    def __init__(self, client: Any) -> None:
        self._client = client

    def _method(self, name: str) -> Any:
        method = getattr(self._client, name) if not name.startswith("_") else None
        if not inspect.ismethod(method):
            raise AttributeError(f"with_raw_response has no method {name!r}")
        return method

    def __dir__(self) -> List[str]:
        return [name for name in dir(self._client) if not name.startswith("_")]


class RawResponses(_Proxy):
    """``client.with_raw_response``: each method of the client, returning an
    :class:`APIResponse` whose ``parse()`` is the method's usual result."""

    def __getattr__(self, name: str) -> Callable[..., APIResponse[Any]]:
        method = self._method(name)

        @functools.wraps(method)
        def call(*args: Any, **kwargs: Any) -> APIResponse[Any]:
            capture = Capture()
            token = CAPTURE.set(capture)
            try:
                result = method(*args, **kwargs)
            finally:
                CAPTURE.reset(token)
            return APIResponse(_last_exchange(name, capture), result)

        return call


class AsyncRawResponses(_Proxy):
    """``async_client.with_raw_response``: each method as a coroutine returning an
    :class:`AsyncAPIResponse` (streaming methods too: the stream is opened by then)."""

    def __getattr__(self, name: str) -> Callable[..., Awaitable[AsyncAPIResponse[Any]]]:
        method = self._method(name)

        @functools.wraps(method)
        async def call(*args: Any, **kwargs: Any) -> AsyncAPIResponse[Any]:
            capture = Capture()
            token = CAPTURE.set(capture)
            try:
                result = method(*args, **kwargs)
                if inspect.isawaitable(result):
                    result = await result
                for open_stream in capture.pending:  # streams the method built: open them now
                    await open_stream()
            finally:
                CAPTURE.reset(token)
            return AsyncAPIResponse(_last_exchange(name, capture), result)

        return call
