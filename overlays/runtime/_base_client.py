"""The transport every generated operation goes through: request building, retries, timeouts,
error mapping and response parsing.

``SyncAPIClient`` and ``AsyncAPIClient`` share all of that through ``_BaseClient``; they differ
only where I/O happens (sending, sleeping, reading an error body, closing). httpx is imported when
the first client is built, not when the package is imported, to keep ``import`` fast.
"""

from __future__ import annotations

import contextlib
import enum
import functools
import json as jsonlib
import os
import re
import threading
import time
from dataclasses import dataclass, field
from typing import (
    TYPE_CHECKING,
    Any,
    AsyncIterator,
    Callable,
    ClassVar,
    Dict,
    Generic,
    Iterator,
    Mapping,
    Optional,
    Tuple,
    TypeVar,
    Union,
)
from urllib.parse import quote

from pydantic import BaseModel, ValidationError

from ._retry import RetryConfig
from ._types import NOT_GIVEN, NotGiven, Timeout
from .errors import (
    APIConnectionError,
    APITimeoutError,
    ResponseValidationError,
    make_api_error,
)

if TYPE_CHECKING:
    import logging

    import httpx
    from typing_extensions import Self, TypedDict, Unpack

    from ._streaming import AsyncEventStream, EventStream

    class RequestOptions(TypedDict, total=False):
        """What a generated method may pass to ``_request`` / ``_stream``."""

        path_params: Optional[Mapping[str, Any]]
        query: Optional[Mapping[str, Any]]
        headers: Optional[Mapping[str, Any]]
        json: Any
        content: Any
        files: Any
        data: Any
        extra_headers: Optional[Mapping[str, Any]]
        extra_query: Optional[Mapping[str, Any]]
        extra_body: Optional[Mapping[str, Any]]
        timeout: Union[Timeout, NotGiven]


__all__ = [
    "DEFAULT_BASE_URL",
    "AsyncAPIClient",
    "Operation",
    "SyncAPIClient",
]

_LOGGER_NAME = __name__.rpartition(".")[0] or __name__
_DEBUG = 10  # logging.DEBUG


@functools.cache
def _log() -> logging.Logger:
    """The package's logger: ``logging`` (~5 ms) loads with the first request, not at import."""
    import logging

    return logging.getLogger(_LOGGER_NAME)


DEFAULT_BASE_URL = "http://localhost:8080/v1"
DEFAULT_TIMEOUT = 30.0
DEFAULT_MAX_RETRIES = 2
BASE_URL_ENV = "INFERENCE_GATEWAY_URL"
TOKEN_ENV = "INFERENCE_GATEWAY_API_KEY"
USER_AGENT = "inference-gateway-python"

_PATH_PARAM = re.compile(r"\{([^{}]+)\}")
_PRIMITIVES = (str, int, float, bool, type(None))
_OPTION_NAMES = frozenset(
    {
        "base_url",
        "token",
        "timeout",
        "max_retries",
        "retry",
        "default_headers",
        "default_query",
        "skip_mcp",
        "direct_provider",
    }
)

ClientT = TypeVar("ClientT", "httpx.Client", "httpx.AsyncClient")


# --------------------------------------------------------------------------------------------
# Operations and response parsing


def _validation_message(op_name: str, model: str, exc: ValidationError) -> str:
    errors = exc.errors(include_url=False)
    parts = []
    for error in errors[:3]:
        where = ".".join(str(part) for part in error["loc"]) or "<root>"
        got = repr(error.get("input"))
        got = got if len(got) <= 80 else got[:77] + "..."
        parts.append(f"{where}: {error['msg']} (got {got})")
    more = f"; and {len(errors) - 3} more" if len(errors) > 3 else ""
    return f"response of {op_name} does not match {model}: " + "; ".join(parts) + more


def _make_parser(op_name: str, response_type: Any) -> Callable[[httpx.Response], Any]:
    """One parsing function per operation, chosen once, so a call does no type inspection."""
    if response_type is None:
        return lambda response: None
    if response_type is str:
        return lambda response: response.text
    if response_type is bytes:
        return lambda response: response.content
    if isinstance(response_type, type) and issubclass(response_type, BaseModel):
        validate: Callable[[bytes], Any] = response_type.model_validate_json
        model = response_type.__name__
    elif response_type in (dict, list, object, Any):
        validate = jsonlib.loads
        model = "JSON"
    else:
        from pydantic import TypeAdapter  # rare (list/union responses); pydantic loads it lazily

        validate = TypeAdapter(response_type).validate_json
        model = getattr(response_type, "__name__", repr(response_type))

    def parse(response: httpx.Response) -> Any:
        content = response.content
        if not content and validate is jsonlib.loads:
            return None
        try:
            return validate(content)
        except ValidationError as exc:
            raise ResponseValidationError(
                _validation_message(op_name, model, exc),
                operation=op_name,
                model=model,
                body=content,
            ) from exc
        except ValueError as exc:
            kind = response.headers.get("content-type", "no content-type")
            raise ResponseValidationError(
                f"response of {op_name} is not valid JSON ({kind}): {content[:200]!r}",
                operation=op_name,
                model=model,
                body=content,
            ) from exc

    return parse


@dataclass(frozen=True)
class Operation:
    """One API operation, built once when ``_operations.py`` is imported."""

    name: str
    method: str
    path: str
    response_type: Any = None
    stream_done_sentinel: Optional[str] = None
    path_params: Tuple[str, ...] = field(init=False, repr=False, compare=False)
    parse: Callable[[httpx.Response], Any] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "method", self.method.upper())
        object.__setattr__(self, "path_params", tuple(_PATH_PARAM.findall(self.path)))
        object.__setattr__(self, "parse", _make_parser(self.name, self.response_type))

    def format_path(self, values: Optional[Mapping[str, Any]]) -> str:
        """The path with its parameters percent-encoded; the last one may keep ``/`` (a sub-path)."""
        if not self.path_params:
            return self.path
        values = values or {}
        path = self.path
        last = self.path_params[-1]
        for name in self.path_params:
            if values.get(name) is None:
                raise ValueError(f"{self.name}: path parameter {name!r} is required")
            text = str(_scalar(values[name]))
            if name == last:
                text = text.lstrip("/")
            path = path.replace("{" + name + "}", quote(text, safe="/" if name == last else ""))
        return path


# --------------------------------------------------------------------------------------------
# Request building helpers (pure)


def _scalar(value: Any) -> Any:
    """Enums and root models as the plain value they stand for."""
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, BaseModel) and hasattr(value, "root"):
        return _scalar(value.root)
    return value


def _to_jsonable(value: Any) -> Any:
    """Plain JSON data from models (unset fields left out, extras kept), enums and containers."""
    if isinstance(value, _PRIMITIVES):
        return value
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json", by_alias=True, exclude_unset=True)
    if isinstance(value, Mapping):
        return {key: _to_jsonable(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_to_jsonable(item) for item in value]
    if isinstance(value, enum.Enum):
        return _to_jsonable(value.value)
    from pydantic_core import to_jsonable_python

    return to_jsonable_python(value)


def _query_value(value: Any) -> Any:
    value = _scalar(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple)):
        return [_query_value(item) for item in value]
    return value


def _merge_query(*layers: Optional[Mapping[str, Any]]) -> Dict[str, Any]:
    merged: Dict[str, Any] = {}
    for layer in layers:
        if layer:
            for key, value in layer.items():
                if value is None:
                    merged.pop(key, None)
                else:
                    merged[key] = _query_value(value)
    return merged


def _merge_headers(base: Dict[str, str], *layers: Optional[Mapping[str, Any]]) -> Dict[str, str]:
    """Later layers win; a ``None`` value removes the header (also a default one)."""
    merged = dict(base)
    for layer in layers:
        if layer:
            lowered = {key.lower(): key for key in merged}
            for key, value in layer.items():
                existing = lowered.get(key.lower())
                if existing is not None:
                    del merged[existing]
                if value is not None:
                    merged[key] = str(_scalar(value))
    return merged


def _file_parts(files: Any) -> Any:
    """httpx takes one file per name in a mapping: an array part (a list of files under one
    name) becomes (name, file) pairs, one per item, in order."""
    if isinstance(files, Mapping) and any(isinstance(v, list) for v in files.values()):
        return [(k, f) for k, v in files.items() for f in (v if isinstance(v, list) else [v])]
    return files


def _json_bytes(op: Operation, body: Any, extra_body: Optional[Mapping[str, Any]]) -> bytes:
    """The JSON body: top-level ``None`` values dropped (not given), models dumped, extras last."""
    if isinstance(body, Mapping):
        payload: Any = {
            key: _to_jsonable(value) for key, value in body.items() if value is not None
        }
    else:
        payload = {} if body is NOT_GIVEN else _to_jsonable(body)
    if extra_body:
        if not isinstance(payload, dict):
            raise TypeError(f"{op.name}: extra body fields need a JSON object body")
        payload.update(_to_jsonable(extra_body))
    return jsonlib.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode()


def origin_root(base_url: str, base_path: str) -> str:
    """What the operations' paths hang from: the base URL minus the spec's base path.

    ``base_url`` stands for the spec's primary server (``http://host:8080/v1``); every
    operation's path already starts with its own server's path (``/v1/models``, ``/health``),
    so the base path is removed when the base URL ends with it, and kept otherwise (a base URL
    that names only the origin works too).
    """
    url = base_url.rstrip("/")
    if base_path and url.endswith(base_path):
        return url[: -len(base_path)]
    return url


def _display_url(request: httpx.Request) -> str:
    # Never the query string: a default query may carry a key.
    return f"{request.method} {request.url.copy_with(query=None)}"


def _timeout_text(timeout: Mapping[str, Any]) -> str:
    values = {value for value in timeout.values() if value is not None}
    return f" after {values.pop()}s" if len(values) == 1 else ""


class _Pool(Generic[ClientT]):
    """The httpx client shared by a client and every ``with_options`` copy of it.

    Created on first use (building one loads TLS certificates). Closing it closes the httpx
    client only when we created it (not one the caller passed as ``http_client``).
    """

    def __init__(self, factory: Callable[[], ClientT], client: Optional[ClientT]) -> None:
        self._factory: Callable[[], ClientT] = factory
        self._client: Optional[ClientT] = client
        self.created = client is None
        self._closed = False
        self._lock = threading.Lock()

    def get(self) -> ClientT:
        client = self._client
        if client is None:
            with self._lock:
                if self._closed:
                    raise RuntimeError("this client was closed; create a new one")
                if self._client is None:
                    self._client = self._factory()
                client = self._client
        return client

    def detach(self) -> Optional[ClientT]:
        """Mark the pool closed; return the httpx client the caller must close, if any."""
        with self._lock:
            client, self._client, self._closed = self._client, None, True
        return client if self.created else None


# --------------------------------------------------------------------------------------------
# The shared base


class _BaseClient(Generic[ClientT]):
    _pool: _Pool[ClientT]
    _owns_pool: bool
    # The path the base URL ends with when it names the spec's primary server (``/v1``); the
    # generated operations classes set it from the spec's servers.
    _base_path: str = ""
    # The generated clients set the URL their API description names (None: it names none).
    default_base_url: ClassVar[Optional[str]] = DEFAULT_BASE_URL

    def __init__(
        self,
        base_url: Optional[str] = None,
        token: Optional[str] = None,
        timeout: Timeout = DEFAULT_TIMEOUT,
        use_httpx: bool = False,
        *,
        max_retries: Union[int, NotGiven] = NOT_GIVEN,
        retry: Optional[RetryConfig] = None,
        default_headers: Optional[Mapping[str, str]] = None,
        default_query: Optional[Mapping[str, Any]] = None,
        http_client: Optional[ClientT] = None,
        skip_mcp: bool = False,
        direct_provider: bool = False,
    ) -> None:
        """Create a client.

        ``base_url`` defaults to ``$INFERENCE_GATEWAY_URL``, else the client's
        ``default_base_url`` (the spec's server; ``http://localhost:8080/v1`` for the gateway);
        ``token`` to ``$INFERENCE_GATEWAY_API_KEY`` (sent as ``Authorization: Bearer``).
        ``timeout`` is per request, in seconds (or an ``httpx.Timeout``). ``use_httpx`` is
        accepted for compatibility with the older SDK: httpx is the only transport.
        ``max_retries`` (default 2) / ``retry`` configure retries. ``http_client`` lets you bring
        your own httpx client (then you close it). ``skip_mcp`` / ``direct_provider`` send the
        gateway's middleware bypass headers.
        """
        del use_httpx
        if max_retries is NOT_GIVEN:
            retry = retry or RetryConfig()
        else:
            assert isinstance(max_retries, int)
            retry = (retry or RetryConfig()).with_max_retries(max_retries)
        resolved_url = base_url or os.environ.get(BASE_URL_ENV) or self.default_base_url
        if not resolved_url:
            raise ValueError(
                f"{type(self).__name__} needs base_url (or ${BASE_URL_ENV}): "
                "its API description names no server"
            )
        if token is None:
            token = os.environ.get(TOKEN_ENV) or None
        self._configure(
            base_url=resolved_url,
            token=token,
            timeout=timeout,
            retry=retry,
            default_headers=dict(default_headers or {}),
            default_query=dict(default_query or {}),
            skip_mcp=skip_mcp,
            direct_provider=direct_provider,
        )
        self._pool = _Pool(self._new_http_client, http_client)
        self._owns_pool = True

    def _configure(self, **settings: Any) -> None:
        """Derive everything a call needs once, so calls only read attributes."""
        self._settings = settings
        self.base_url: str = settings["base_url"].rstrip("/")
        self._root = origin_root(self.base_url, self._base_path)
        self._token: Optional[str] = settings["token"]
        self.timeout: Timeout = settings["timeout"]
        self._default_timeout = self._http_timeout(self.timeout)
        self._default_timeout_dict = self._default_timeout.as_dict()
        self.retry: RetryConfig = settings["retry"]
        self.default_query: Dict[str, Any] = settings["default_query"]
        headers = {
            "Accept": "application/json",
            "Accept-Encoding": "gzip, deflate",
            "Connection": "keep-alive",
            "User-Agent": USER_AGENT,
        }
        if self._token:
            headers["Authorization"] = f"Bearer {self._token}"
        if settings["skip_mcp"]:
            headers["X-MCP-Bypass"] = "true"
        if settings["direct_provider"]:
            headers["X-Direct-Provider"] = "true"
        self._headers = _merge_headers(headers, settings["default_headers"])
        stream_headers = _merge_headers(self._headers, {"Accept": "text/event-stream"})
        json_type = {"Content-Type": "application/json"}
        # (stream, JSON body) -> the headers of such a request, merged once here.
        self._header_sets = {
            (False, False): self._headers,
            (False, True): _merge_headers(self._headers, json_type),
            (True, False): stream_headers,
            (True, True): _merge_headers(stream_headers, json_type),
        }

    @property
    def max_retries(self) -> int:
        return self.retry.max_retries

    @property
    def default_headers(self) -> Dict[str, str]:
        """The headers sent on every request, with the token masked."""
        return {
            key: ("Bearer ***" if key == "Authorization" else value)
            for key, value in self._headers.items()
        }

    def with_options(self, **changes: Any) -> Self:
        """A copy with some options changed that shares this client's connection pool.

        Accepts the constructor's options except ``http_client``; ``default_headers`` and
        ``default_query`` are merged into the current ones (``None`` removes a key). Closing the
        copy leaves the shared pool open; closing the original closes it.
        """
        unknown = set(changes) - _OPTION_NAMES
        if unknown:
            raise TypeError(f"with_options() got unknown option(s): {', '.join(sorted(unknown))}")
        settings = dict(self._settings)
        for key in ("default_headers", "default_query"):
            if key in changes:
                merged = {**settings[key], **(changes.pop(key) or {})}
                settings[key] = {k: v for k, v in merged.items() if v is not None}
        if "max_retries" in changes:
            settings["retry"] = (changes.pop("retry", None) or settings["retry"]).with_max_retries(
                changes.pop("max_retries")
            )
        settings.update(changes)
        derived = object.__new__(type(self))
        derived._configure(**settings)
        derived._pool = self._pool
        derived._owns_pool = False
        return derived

    def __repr__(self) -> str:
        token = "'***'" if self._token else "None"
        return (
            f"{type(self).__name__}(base_url={self.base_url!r}, token={token}, "
            f"timeout={self.timeout!r}, max_retries={self.retry.max_retries})"
        )

    @staticmethod
    def _http_timeout(value: Timeout) -> httpx.Timeout:
        import httpx

        return value if isinstance(value, httpx.Timeout) else httpx.Timeout(value)

    def _call_timeout(self, timeout: Union[Timeout, NotGiven]) -> httpx.Timeout:
        return (
            self._default_timeout if isinstance(timeout, NotGiven) else self._http_timeout(timeout)
        )

    def _new_http_client(self) -> ClientT:
        raise NotImplementedError

    # -- requests ----------------------------------------------------------------------------

    def _build_request(self, op: Operation, options: RequestOptions, stream: bool) -> httpx.Request:
        """The httpx request for one call: URL, merged query and headers, JSON body, timeout."""
        import httpx

        path = op.format_path(options.get("path_params")) if op.path_params else op.path
        query = options.get("query")
        extra_query = options.get("extra_query")
        params = (
            _merge_query(self.default_query, query, extra_query) or None
            if (query or extra_query or self.default_query)
            else None
        )
        content = options.get("content", NOT_GIVEN)
        body = options.get("json", NOT_GIVEN)
        extra_body = options.get("extra_body")
        is_json = body is not NOT_GIVEN or bool(extra_body)
        if is_json:
            content = _json_bytes(op, body, extra_body)
        headers = self._header_sets[stream, is_json]
        extra_headers = options.get("extra_headers")
        call_headers = options.get("headers")
        if call_headers or extra_headers:
            headers = _merge_headers(headers, call_headers, extra_headers)
        timeout = options.get("timeout", NOT_GIVEN)
        log = _log()
        if log.isEnabledFor(_DEBUG):
            log.debug("%s %s%s", op.method, self._root, path)
        url = self._root + path
        parts: Dict[str, Any] = {
            "params": params,
            "headers": headers,
            "content": None if isinstance(content, NotGiven) else content,
            "files": _file_parts(options.get("files")),
            "data": options.get("data"),
        }
        pool = self._pool
        if pool.created:
            # Our own httpx client has no defaults to merge (ours are in `headers`): build the
            # request directly, which skips re-parsing the URL and copying empty cookie jars.
            timeouts = (
                self._default_timeout_dict
                if isinstance(timeout, NotGiven)
                else self._http_timeout(timeout).as_dict()
            )
            return httpx.Request(op.method, url, extensions={"timeout": timeouts}, **parts)
        return pool.get().build_request(
            op.method, url, timeout=self._call_timeout(timeout), **parts
        )

    # -- retry decisions (the send loops of both clients call these) ---------------------------

    def _after_transport_error(self, request: httpx.Request, exc: Exception, retry: int) -> float:
        """Map an httpx transport failure; return the wait before retrying or raise the error."""
        import httpx

        if isinstance(exc, httpx.TimeoutException):
            timeout = request.extensions.get("timeout", {})
            error: APIConnectionError = APITimeoutError(
                f"{_display_url(request)} timed out{_timeout_text(timeout)}"
            )
        else:
            error = APIConnectionError(
                f"{_display_url(request)} failed: {type(exc).__name__}: {exc or 'no details'}"
            )
        if not self.retry.should_retry_connection(retry):
            raise error from exc
        return self._before_retry(request, retry, error, self.retry.delay(retry))

    def _after_error_status(
        self, request: httpx.Request, response: httpx.Response, retry: int
    ) -> float:
        """Build the API error of a non-2xx response; return the wait before retrying or raise."""
        error = make_api_error(
            response.status_code, response.content, response.headers, reason=response.reason_phrase
        )
        if not self.retry.should_retry_status(retry, response.status_code):
            raise error
        return self._before_retry(request, retry, error, self.retry.delay(retry, response.headers))

    def _before_retry(
        self, request: httpx.Request, retry: int, error: BaseException, delay: float
    ) -> float:
        _log().info(
            "retrying %s (retry %d of %d) in %.2fs after: %s",
            _display_url(request),
            retry,
            self.retry.max_retries,
            delay,
            error,
        )
        if self.retry.on_retry is not None:
            self.retry.on_retry(retry, error, delay)
        return delay


# --------------------------------------------------------------------------------------------
# Sync and async: only the I/O differs


class SyncAPIClient(_BaseClient["httpx.Client"]):
    """Blocking client; the generated operations subclass it."""

    def _new_http_client(self) -> httpx.Client:
        from ._transport import new_sync_client  # http.client: faster per HTTP chunk

        return new_sync_client(timeout=self._default_timeout)

    def _send(self, request: httpx.Request, stream: bool) -> httpx.Response:
        import httpx

        http, retry = self._pool.get(), 0
        while True:
            retry += 1
            try:
                response = http.send(request, stream=stream)
                if response.is_success:
                    return response
                response.read()  # the error body, also of a stream
            except httpx.TransportError as exc:
                time.sleep(self._after_transport_error(request, exc, retry))
                continue
            time.sleep(self._after_error_status(request, response, retry))

    def _request(self, op: Operation, **options: Unpack[RequestOptions]) -> Any:
        return op.parse(self._send(self._build_request(op, options, stream=False), stream=False))

    def _stream(self, op: Operation, **options: Unpack[RequestOptions]) -> EventStream:
        from ._streaming import EventStream

        request = self._build_request(op, options, stream=True)
        return EventStream(
            lambda: self._open_stream(request), done_sentinel=op.stream_done_sentinel
        )

    @contextlib.contextmanager
    def _open_stream(self, request: httpx.Request) -> Iterator[httpx.Response]:
        response = self._send(request, stream=True)
        try:
            yield response
        finally:
            response.close()

    def close(self) -> None:
        """Release the connection pool (not one passed in as ``http_client``, nor a shared one)."""
        client = self._pool.detach() if self._owns_pool else None
        if client is not None:
            client.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


class AsyncAPIClient(_BaseClient["httpx.AsyncClient"]):
    """Asyncio client (``async with`` / ``await client.close()``, alias ``aclose``)."""

    def _new_http_client(self) -> httpx.AsyncClient:
        import httpx

        return httpx.AsyncClient(timeout=self._default_timeout)

    async def _send(self, request: httpx.Request, stream: bool) -> httpx.Response:
        import anyio
        import httpx

        http, retry = self._pool.get(), 0
        while True:
            retry += 1
            try:
                response = await http.send(request, stream=stream)
                if response.is_success:
                    return response
                await response.aread()  # the error body, also of a stream
            except httpx.TransportError as exc:
                await anyio.sleep(self._after_transport_error(request, exc, retry))
                continue
            await anyio.sleep(self._after_error_status(request, response, retry))

    async def _request(self, op: Operation, **options: Unpack[RequestOptions]) -> Any:
        request = self._build_request(op, options, stream=False)
        return op.parse(await self._send(request, stream=False))

    def _stream(self, op: Operation, **options: Unpack[RequestOptions]) -> AsyncEventStream:
        from ._streaming import AsyncEventStream

        request = self._build_request(op, options, stream=True)
        return AsyncEventStream(
            lambda: self._open_stream(request), done_sentinel=op.stream_done_sentinel
        )

    @contextlib.asynccontextmanager
    async def _open_stream(self, request: httpx.Request) -> AsyncIterator[httpx.Response]:
        response = await self._send(request, stream=True)
        try:
            yield response
        finally:
            await response.aclose()

    async def close(self) -> None:
        """Release the connection pool (not one passed in as ``http_client``, nor a shared one)."""
        client = self._pool.detach() if self._owns_pool else None
        if client is not None:
            await client.aclose()

    aclose = close

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.close()
