"""The transport every generated operation goes through: request building, retries, timeouts,
error mapping and response parsing.

``SyncAPIClient`` and ``AsyncAPIClient`` share all of that through ``_BaseClient``; they differ
only where I/O happens (sending, sleeping, reading an error body, closing). httpx is imported when
the first client is built, not when the package is imported, to keep ``import`` fast.
"""

from __future__ import annotations

import contextlib
import contextvars
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
    List,
    Mapping,
    Optional,
    Tuple,
    TypeVar,
    Union,
)
from urllib.parse import quote, unquote

from pydantic import BaseModel, ValidationError

from ._retry import RetryConfig
from ._types import NOT_GIVEN, NotGiven, Timeout
from .errors import (
    APIConnectionError,
    APITimeoutError,
    InferenceGatewayError,
    InvalidRequestError,
    ResponseDecodingError,
    ResponseValidationError,
    make_api_error,
    redact,
)

if TYPE_CHECKING:
    import logging
    import ssl

    import httpx
    from typing_extensions import Self, TypedDict, Unpack

    from ._response import AsyncRawResponses, RawResponses
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


#: ``INFERENCE_GATEWAY_LOG=debug|info``: the package logger's level, with a stderr handler.
LOG_ENV = "INFERENCE_GATEWAY_LOG"
_LOG_LEVELS = {"debug": 10, "info": 20}
_log_configured = False


def _configure_logging() -> None:
    """Apply ``$INFERENCE_GATEWAY_LOG`` once, when the first client is built (as openai's
    ``OPENAI_LOG``): sets the package logger's level and gives it one stderr handler. Unset or
    unknown values leave logging to the application."""
    global _log_configured
    if _log_configured:
        return
    _log_configured = True
    level = _LOG_LEVELS.get(os.environ.get(LOG_ENV, "").strip().lower())
    if level is None:
        return
    import logging

    logger = _log()
    logger.setLevel(level)
    handler = logging.StreamHandler()
    handler.setFormatter(
        logging.Formatter("[%(asctime)s - %(name)s:%(lineno)d - %(levelname)s] %(message)s")
    )
    logger.addHandler(handler)


DEFAULT_BASE_URL = "http://localhost:8080/v1"
DEFAULT_TIMEOUT = 30.0
DEFAULT_MAX_RETRIES = 2
BASE_URL_ENV = "INFERENCE_GATEWAY_URL"
TOKEN_ENV = "INFERENCE_GATEWAY_API_KEY"
USER_AGENT = "inference-gateway-python"

#: Connection pool: enough connections for hundreds of concurrent streams on one client, and
#: as many kept idle, so a second wave of concurrent requests reuses the first wave's connections
#: (httpx's default keeps 20: 300 concurrent requests in waves opened a connection each).
#: Idle connections live 30 s (httpx: 5 s), so bursts of streams seconds apart find them; one
#: the server closed meanwhile is seen at checkout (its socket is readable) and replaced.
MAX_CONNECTIONS = 1000
MAX_KEEPALIVE_CONNECTIONS = 1000
KEEPALIVE_EXPIRY = 30.0
#: A compressed response body that decodes to more than this is refused (a compression bomb).
MAX_DECODED_BODY = 64 << 20

_PATH_PARAM = re.compile(r"\{([^{}]+)\}")
_SEGMENT_SEPARATORS = re.compile(r"[/\\]")  # some servers take a backslash for a slash
_HEADER_NAME = re.compile(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+")
_HEADER_VALUE = re.compile(r"[\t\x20-\x7e]*")
_TOKEN = re.compile(r"[\x21-\x7e]+(?: [\x21-\x7e]+)*")
_PRIMITIVES = (str, int, float, bool, type(None))
_DEFAULT_TRANSPORT: Dict[str, Any] = {
    "verify": True,
    "cert": None,
    "proxy": None,
    "http2": False,
    "trust_env": True,
}
_TRANSPORT_OPTIONS = frozenset(_DEFAULT_TRANSPORT)
_OPTION_NAMES = (
    frozenset(
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
    | _TRANSPORT_OPTIONS
)

#: ``verify=``: ``True`` (certifi's CAs, or ``$SSL_CERT_FILE`` / ``$SSL_CERT_DIR`` with
#: ``trust_env``), ``False``, a CA bundle file or directory, or an ``ssl.SSLContext``.
Verify = Union[bool, str, "os.PathLike[str]", "ssl.SSLContext"]
#: ``cert=``: a client certificate file (with its key), or ``(cert_file, key_file)``, or
#: ``(cert_file, key_file, password)``.
Cert = Union[str, Tuple[str, str], Tuple[str, str, str]]

ClientT = TypeVar("ClientT", "httpx.Client", "httpx.AsyncClient")


# --------------------------------------------------------------------------------------------
# Raw responses: what ``with_raw_response`` (``_response.py``) asks the transport to record


@dataclass(frozen=True)
class Exchange:
    """One successful HTTP exchange: ``elapsed`` runs from sending to the body read (a stream:
    to its headers), in seconds."""

    request: httpx.Request
    response: httpx.Response
    content: bytes
    elapsed: float


class Capture:
    """Set in ``CAPTURE`` while a ``with_raw_response`` call runs: the exchanges it made, and
    (async client) the openers of the streams it built, which the proxy awaits."""

    __slots__ = ("exchanges", "pending")

    def __init__(self) -> None:
        self.exchanges: List[Exchange] = []
        self.pending: List[Callable[[], Any]] = []


CAPTURE: contextvars.ContextVar[Optional[Capture]] = contextvars.ContextVar(
    "raw_response_capture", default=None
)


def _record(request: httpx.Request, response: httpx.Response, content: bytes, sent: float) -> None:
    capture = CAPTURE.get()
    if capture is not None:
        capture.exchanges.append(Exchange(request, response, content, time.monotonic() - sent))


# --------------------------------------------------------------------------------------------
# Operations and response parsing


def validation_message(subject: str, model: str, exc: ValidationError) -> str:
    """``<subject> does not match <model>: <the first failing fields, what they got>``."""
    errors = exc.errors(include_url=False)
    parts = []
    for error in errors[:3]:
        where = ".".join(str(part) for part in error["loc"]) or "<root>"
        got = repr(error.get("input"))
        got = got if len(got) <= 80 else got[:77] + "..."
        parts.append(f"{where}: {error['msg']} (got {got})")
    more = f"; and {len(errors) - 3} more" if len(errors) > 3 else ""
    return f"{subject} does not match {model}: " + "; ".join(parts) + more


Parser = Callable[["httpx.Response", bytes], Any]


def _text(response: httpx.Response, content: bytes) -> str:
    return content.decode(response.encoding or "utf-8", "replace")


def _make_parser(op_name: str, response_type: Any) -> Parser:
    """One parsing function per operation, chosen once, so a call does no type inspection.
    It gets the response (for its headers) and the body, read already."""
    if response_type is None:
        return lambda response, content: None
    if response_type is str:
        return _text
    if response_type is bytes:
        return lambda response, content: content
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

    def parse(response: httpx.Response, content: bytes) -> Any:
        if not content and validate is jsonlib.loads:
            return None
        try:
            return validate(content)
        except ValidationError as exc:
            raise ResponseValidationError(
                validation_message(f"response of {op_name}", model, exc),
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
    #: (name, separator) of the query arrays the spec sends as one value (``explode: false``)
    delimited_query: Tuple[Tuple[str, str], ...] = ()
    # The class of a JSON body whose arguments take TypedDicts, and for a flattened body the
    # (wire names of the) fields that do: dicts given there are validated before sending (by
    # their field, or the whole body when `typed_fields` is empty).
    request_model: Any = None
    typed_fields: Tuple[str, ...] = ()
    path_params: Tuple[str, ...] = field(init=False, repr=False, compare=False)
    parse: Parser = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "method", self.method.upper())
        object.__setattr__(self, "path_params", tuple(_PATH_PARAM.findall(self.path)))
        object.__setattr__(self, "parse", _make_parser(self.name, self.response_type))

    def format_path(self, values: Optional[Mapping[str, Any]]) -> str:
        """The path with its parameters percent-encoded; the last one may keep ``/`` (a sub-path).

        A value can never leave its place in the template: one with a ``.`` or ``..`` segment,
        plain or percent-encoded (``%2e%2e``, ``..%2f``), is refused with
        ``InvalidRequestError``. Encoding the dots instead would not be enough: reverse proxies
        (nginx) and Go's ``ServeMux`` decode ``%2E`` and ``%2F`` before resolving dot segments.
        """
        if not self.path_params:
            return self.path
        values = values or {}
        path = self.path
        last = self.path_params[-1]
        for name in self.path_params:
            if values.get(name) is None:
                raise InvalidRequestError(f"{self.name}: path parameter {name!r} is required")
            text = str(_scalar(values[name]))
            if name == last:
                text = text.lstrip("/")
            if "." in text or "%" in text:
                self._refuse_dot_segments(name, text)
            path = path.replace("{" + name + "}", quote(text, safe="/" if name == last else ""))
        return path

    def _refuse_dot_segments(self, name: str, text: str) -> None:
        decoded = text
        for _ in range(3):  # %252e%252e is %2e%2e is ..: a server may decode more than once
            decoded = unquote(decoded)
        for segment in _SEGMENT_SEPARATORS.split(decoded):
            if segment in (".", ".."):
                raise InvalidRequestError(
                    f"{self.name}: path parameter {name!r} ({text!r}) has a {segment!r} "
                    f"segment, which would leave {self.path}: refused"
                )


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


def _delimited(query: Mapping[str, Any], delimited: Tuple[Tuple[str, str], ...]) -> Dict[str, Any]:
    """The operation's query with each ``explode: false`` array joined into one value."""
    joined = dict(query)
    for name, separator in delimited:
        value = joined.get(name)
        if isinstance(value, (list, tuple)):
            joined[name] = separator.join(str(_query_value(item)) for item in value)
    return joined


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


def _header_value(key: str, value: Any) -> str:
    """A header as it may be sent: a token name, a value of visible ASCII (no CR/LF that would
    split the request, nothing httpx cannot encode)."""
    text = str(_scalar(value))
    if not _HEADER_NAME.fullmatch(key):
        raise InvalidRequestError(f"invalid HTTP header name {key!r}")
    if not _HEADER_VALUE.fullmatch(text):
        shown = "" if key.lower() == "authorization" else f" {text[:80]!r}"
        raise InvalidRequestError(
            f"header {key!r} has a value{shown} with control characters (CR/LF) or non-ASCII "
            "characters, which cannot be sent in an HTTP header"
        )
    return text


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
                    merged[key] = _header_value(key, value)
    return merged


def _file_parts(files: Any) -> Any:
    """httpx takes one file per name in a mapping: an array part (a list of files under one
    name) becomes (name, file) pairs, one per item, in order."""
    if isinstance(files, Mapping) and any(isinstance(v, list) for v in files.values()):
        return [(k, f) for k, v in files.items() for f in (v if isinstance(v, list) else [v])]
    return files


def _clean_token(token: Optional[str]) -> Optional[str]:
    """The token without surrounding whitespace (``open(f).read()`` keeps a newline); a token
    with other characters an HTTP header cannot carry is refused here, not on the first call."""
    if token is None:
        return None
    token = token.strip()
    if token and not _TOKEN.fullmatch(token):
        raise InvalidRequestError(
            "the token has control characters or non-ASCII characters inside it, which cannot "
            "be sent in an Authorization header (check how it was read)"
        )
    return token or None


def _ssl_context(verify: Verify, cert: Optional[Cert], trust_env: bool) -> Any:
    """What to pass as httpx's ``verify``: the value itself when httpx takes it as is, else an
    ``ssl.SSLContext`` (a CA path or a client certificate; httpx 0.28 deprecates those as
    arguments)."""
    import ssl

    if cert is None and isinstance(verify, (bool, ssl.SSLContext)):
        return verify
    if isinstance(verify, ssl.SSLContext):
        context = verify
    elif verify is False:
        context = ssl.create_default_context()
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
    elif verify is True:
        import httpx

        context = httpx.create_ssl_context(trust_env=trust_env)
    else:
        where = os.fspath(verify)
        if os.path.isdir(where):
            context = ssl.create_default_context(capath=where)
        else:
            context = ssl.create_default_context(cafile=where)
    if cert is not None:
        if isinstance(cert, str):
            context.load_cert_chain(cert)
        else:
            context.load_cert_chain(*cert)
    return context


def _check_http2() -> None:
    import importlib.util

    if importlib.util.find_spec("h2") is None:
        raise ImportError(
            "http2=True needs the h2 package: install the SDK's http2 extra "
            "(pip install 'inference-gateway[http2]')"
        )


def _certificate_refused(exc: BaseException) -> bool:
    """Whether ``exc`` comes from a TLS certificate that failed verification (retrying cannot
    help: unknown CA, wrong host name, expired)."""
    import ssl

    cause: Optional[BaseException] = exc
    for _ in range(4):  # httpx error <- httpcore error <- ssl error
        if cause is None:
            return False
        if isinstance(cause, ssl.SSLCertVerificationError):
            return True
        cause = cause.__cause__ or cause.__context__
    return False


def _body_too_large(request: httpx.Request, response: httpx.Response) -> ResponseDecodingError:
    encoding = response.headers.get("content-encoding", "identity")
    return ResponseDecodingError(
        f"{_display_url(request)}: the {encoding}-encoded response body decodes to more than "
        f"{MAX_DECODED_BODY >> 20} MiB; refused (a compression bomb?)"
    )


def _size_checked(response: httpx.Response) -> bool:
    """Whether the body's decoded size must be bounded (it is compressed)."""
    encoding = response.headers.get("content-encoding")
    return encoding is not None and encoding.strip().lower() not in ("", "identity")


def _json_bytes(op: Operation, body: Any, extra_body: Optional[Mapping[str, Any]]) -> bytes:
    """The JSON body: top-level ``NOT_GIVEN`` values dropped (``None`` is sent as ``null``),
    models dumped, extras last."""
    if op.request_model is not None:
        from ._dicts import checked_body

        body = checked_body(op, body)
    if isinstance(body, Mapping):
        payload: Any = {
            key: _to_jsonable(value) for key, value in body.items() if value is not NOT_GIVEN
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
        verify: Verify = True,
        cert: Optional[Cert] = None,
        proxy: Optional[Union[str, httpx.URL, httpx.Proxy]] = None,
        http2: bool = False,
        trust_env: bool = True,
    ) -> None:
        """Create a client.

        ``base_url`` defaults to ``$INFERENCE_GATEWAY_URL``, else the client's
        ``default_base_url`` (the spec's server; ``http://localhost:8080/v1`` for the gateway);
        ``token`` to ``$INFERENCE_GATEWAY_API_KEY`` (sent as ``Authorization: Bearer``; surrounding
        whitespace is stripped). ``timeout`` is per request, in seconds (or an ``httpx.Timeout``).
        ``use_httpx`` is accepted for compatibility with the older SDK: httpx is the only
        transport. ``max_retries`` (default 2) / ``retry`` configure retries. ``skip_mcp`` /
        ``direct_provider`` send the gateway's middleware bypass headers.

        The connection pool is httpx's, configured by ``verify`` (CA bundle, ``False``, or an
        ``ssl.SSLContext``), ``cert`` (client certificate), ``proxy`` (else ``HTTP(S)_PROXY`` /
        ``ALL_PROXY`` / ``NO_PROXY`` when ``trust_env``), ``http2`` (needs the ``http2`` extra)
        and ``trust_env``. ``http_client`` lets you bring your own httpx client instead (then
        you configure and close it; the transport options are then refused).
        """
        del use_httpx
        _configure_logging()
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
        transport = {
            "verify": verify,
            "cert": cert,
            "proxy": proxy,
            "http2": http2,
            "trust_env": trust_env,
        }
        if http_client is not None and transport != _DEFAULT_TRANSPORT:
            raise TypeError(
                "verify/cert/proxy/http2/trust_env configure the SDK's own httpx client: "
                "set them on the http_client you pass instead"
            )
        self._configure(
            base_url=resolved_url,
            token=token,
            timeout=timeout,
            retry=retry,
            default_headers=dict(default_headers or {}),
            default_query=dict(default_query or {}),
            skip_mcp=skip_mcp,
            direct_provider=direct_provider,
            **transport,
        )
        self._pool = _Pool(self._new_http_client, http_client)
        self._owns_pool = True

    def _configure(self, **settings: Any) -> None:
        """Derive everything a call needs once, so calls only read attributes."""
        self._settings = settings
        self.base_url: str = settings["base_url"].rstrip("/")
        if settings["http2"]:
            _check_http2()
        self._root = origin_root(self.base_url, self._base_path)
        self._token: Optional[str] = _clean_token(settings["token"])
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
        copy leaves the shared pool open; closing the original closes it. A copy that changes
        ``verify``, ``cert``, ``proxy``, ``http2`` or ``trust_env`` gets a pool of its own
        (close it too).

        Args:
            **changes: Constructor options (``base_url``, ``token``, ``timeout``,
                ``max_retries``, ``retry``, ``default_headers``, ``default_query``, ...).

        Returns:
            The derived client (same class).

        Raises:
            TypeError: An unknown option, or a transport option on a client built on your own
                ``http_client``.
            InvalidRequestError: A token or header value that cannot be sent.
        """
        unknown = set(changes) - _OPTION_NAMES
        if unknown:
            raise TypeError(f"with_options() got unknown option(s): {', '.join(sorted(unknown))}")
        settings = dict(self._settings)
        own_pool = any(changes[key] != settings[key] for key in _TRANSPORT_OPTIONS & set(changes))
        if own_pool and not self._pool.created:
            raise TypeError(
                "with_options() cannot change verify/cert/proxy/http2/trust_env of a client "
                "built on your own http_client"
            )
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
        if own_pool:  # other TLS/proxy/HTTP version: its own connections
            derived._pool = _Pool(derived._new_http_client, None)
            derived._owns_pool = True
        else:
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

    def _http_client_options(self) -> Dict[str, Any]:
        """The options of the httpx client we build (sync and async alike): a pool sized for
        hundreds of concurrent streams, redirects followed (httpx drops ``Authorization`` when
        one leaves the origin), the transport options of the constructor."""
        import httpx

        settings = self._settings
        options: Dict[str, Any] = {
            "timeout": self._default_timeout,
            "limits": httpx.Limits(
                max_connections=MAX_CONNECTIONS,
                max_keepalive_connections=MAX_KEEPALIVE_CONNECTIONS,
                keepalive_expiry=KEEPALIVE_EXPIRY,
            ),
            "follow_redirects": True,
            "verify": _ssl_context(settings["verify"], settings["cert"], settings["trust_env"]),
            "http2": settings["http2"],
            "trust_env": settings["trust_env"],
        }
        if settings["proxy"] is not None:
            options["proxy"] = settings["proxy"]
        return options

    @staticmethod
    def _with_linear_pool(client: ClientT) -> ClientT:
        """``client`` whose direct (not proxied) transport assigns requests in linear time
        (``_pool.py``). httpx keeps that transport as ``_transport``: passing our own instead
        would turn off its proxies from the environment."""
        from ._pool import use_linear_pool

        use_linear_pool(getattr(client, "_transport", None))
        return client

    # -- requests ----------------------------------------------------------------------------

    def _build_request(self, op: Operation, options: RequestOptions, stream: bool) -> httpx.Request:
        """The httpx request for one call: URL, merged query and headers, JSON body, timeout."""
        import httpx

        path = op.format_path(options.get("path_params")) if op.path_params else op.path
        query = options.get("query")
        if query and op.delimited_query:
            query = _delimited(query, op.delimited_query)
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
        try:
            if pool.created:
                # Our own httpx client has no defaults to merge (ours are in `headers`): build
                # the request directly, which skips re-parsing the URL and copying cookie jars.
                timeouts = (
                    self._default_timeout_dict
                    if isinstance(timeout, NotGiven)
                    else self._http_timeout(timeout).as_dict()
                )
                return httpx.Request(op.method, url, extensions={"timeout": timeouts}, **parts)
            return pool.get().build_request(
                op.method, url, timeout=self._call_timeout(timeout), **parts
            )
        except httpx.InvalidURL as exc:
            raise InvalidRequestError(f"{op.name}: {url!r} is not a valid URL: {exc}") from None

    # -- failures and retry decisions (the send loops of both clients call these) -------------

    def _failure(self, request: httpx.Request, exc: Exception, retry: int, started: float) -> float:
        """Map an httpx failure to our error; return the wait before retrying, or raise it.
        Failures on our side (a request h11 refuses to send), undecodable bodies, refused
        certificates, redirect loops and redirects to other schemes are not retried."""
        import ssl

        import httpx

        where = _display_url(request)
        retryable = self.retry.retry_connection_errors
        error: InferenceGatewayError
        if not isinstance(exc, httpx.HTTPError):  # an OSError httpcore let through unmapped
            error = APIConnectionError(f"{where} failed: {type(exc).__name__}: {exc}")
            retryable = retryable and not isinstance(exc, ssl.SSLError)  # TLS alerts repeat
        elif isinstance(exc, httpx.TimeoutException):
            timeout = request.extensions.get("timeout", {})
            error = APITimeoutError(f"{where} timed out{_timeout_text(timeout)}")
        elif isinstance(exc, httpx.LocalProtocolError):
            error, retryable = InvalidRequestError(f"{where} cannot be sent: {exc}"), False
        elif _certificate_refused(exc):
            error = APIConnectionError(f"{where}: the server's TLS certificate was refused: {exc}")
            retryable = False
        elif isinstance(exc, httpx.DecodingError):
            error = ResponseDecodingError(
                f"{where}: the response body does not match its Content-Encoding: {exc}"
            )
            retryable = False
        else:
            error = APIConnectionError(
                f"{where} failed: {type(exc).__name__}: {exc or 'no details'}"
            )
            if isinstance(exc, httpx.UnsupportedProtocol) or not isinstance(
                exc, httpx.TransportError
            ):
                retryable = False
        redact(error, self._token)
        wait = self.retry.wait(retry, time.monotonic() - started) if retryable else None
        if wait is None:
            raise error from exc
        return self._before_retry(request, retry, error, wait)

    def _after_error_status(
        self,
        request: httpx.Request,
        response: httpx.Response,
        content: bytes,
        retry: int,
        started: float,
    ) -> float:
        """Build the API error of a non-2xx response; return the wait before retrying or raise."""
        error = make_api_error(
            response.status_code, content, response.headers, reason=response.reason_phrase
        )
        redact(error, self._token)
        wait = (
            self.retry.wait(retry, time.monotonic() - started, response.headers)
            if self.retry.retries_status(response.status_code)
            else None
        )
        if wait is None:
            raise error
        return self._before_retry(request, retry, error, wait)

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

    def _parse(self, op: Operation, response: httpx.Response, content: bytes) -> Any:
        try:
            return op.parse(response, content)
        except InferenceGatewayError as exc:  # the body may quote the token back
            redact(exc, self._token)
            raise


@contextlib.contextmanager
def _closing(response: httpx.Response) -> Iterator[httpx.Response]:
    try:
        yield response
    finally:
        response.close()


@contextlib.asynccontextmanager
async def _aclosing(response: httpx.Response) -> AsyncIterator[httpx.Response]:
    try:
        yield response
    finally:
        await response.aclose()


class _Body:
    """A compressed response body as it is decoded, refused past ``MAX_DECODED_BODY``."""

    __slots__ = ("_parts", "_request", "_response", "_size")

    def __init__(self, request: httpx.Request, response: httpx.Response) -> None:
        self._request, self._response = request, response
        self._parts: list[bytes] = []
        self._size = 0

    def add(self, part: bytes) -> None:
        self._size += len(part)
        if self._size > MAX_DECODED_BODY:
            raise _body_too_large(self._request, self._response)
        self._parts.append(part)

    def content(self) -> bytes:
        return b"".join(self._parts)


# --------------------------------------------------------------------------------------------
# Sync and async: only the I/O differs


class SyncAPIClient(_BaseClient["httpx.Client"]):
    """Blocking client; the generated operations subclass it."""

    def _new_http_client(self) -> httpx.Client:
        import httpx

        return self._with_linear_pool(httpx.Client(**self._http_client_options()))

    def _send(self, request: httpx.Request, stream: bool) -> Tuple[httpx.Response, bytes]:
        """The response (with retries) and, unless it is a successful stream, its body."""
        import httpx

        http, retry, started = self._pool.get(), 0, time.monotonic()
        while True:
            retry += 1
            try:
                sent = time.monotonic()
                response = http.send(request, stream=True)
                if stream and response.is_success:
                    _record(request, response, b"", sent)
                    return response, b""
                try:
                    content = self._read(request, response)
                finally:
                    response.close()
            except (httpx.HTTPError, OSError) as exc:  # OSError: TLS alerts httpcore leaves raw
                time.sleep(self._failure(request, exc, retry, started))
                continue
            if response.is_success:
                _record(request, response, content, sent)
                return response, content
            time.sleep(self._after_error_status(request, response, content, retry, started))

    @staticmethod
    def _read(request: httpx.Request, response: httpx.Response) -> bytes:
        """The whole body; a compressed one bounded (``MAX_DECODED_BODY``). The body of an error
        status that cannot be decoded counts as empty: the status is the answer."""
        import httpx

        if not _size_checked(response):
            return response.read()
        body = _Body(request, response)
        try:
            for part in response.iter_bytes():
                body.add(part)
        except httpx.DecodingError:
            if response.is_success:
                raise
        return body.content()

    def _request(self, op: Operation, **options: Unpack[RequestOptions]) -> Any:
        request = self._build_request(op, options, stream=False)
        return self._parse(op, *self._send(request, stream=False))

    def _stream(self, op: Operation, **options: Unpack[RequestOptions]) -> EventStream:
        from ._streaming import EventStream

        request = self._build_request(op, options, stream=True)
        if CAPTURE.get() is not None:  # with_raw_response: send now, to show the response
            response, _ = self._send(request, stream=True)
            return EventStream(
                lambda: _closing(response),
                done_sentinel=op.stream_done_sentinel,
                operation=op.name,
                secret=self._token,
            )
        return EventStream(
            lambda: self._open_stream(request),
            done_sentinel=op.stream_done_sentinel,
            operation=op.name,
            secret=self._token,
        )

    @contextlib.contextmanager
    def _open_stream(self, request: httpx.Request) -> Iterator[httpx.Response]:
        response, _ = self._send(request, stream=True)
        try:
            yield response
        finally:
            response.close()

    @property
    def with_raw_response(self) -> RawResponses:
        """The client's methods returning an ``APIResponse``: ``.status_code``, ``.headers``,
        ``.http_request``, ``.elapsed`` and ``.parse()`` (the usual result)."""
        from ._response import RawResponses

        return RawResponses(self)

    def close(self) -> None:
        """Release the connection pool (not one passed in as ``http_client``, nor a shared one).

        Returns:
            None. Calls made afterwards raise ``RuntimeError``.

        Raises:
            Nothing of its own: closing twice is harmless.
        """
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

        return self._with_linear_pool(httpx.AsyncClient(**self._http_client_options()))

    async def _send(self, request: httpx.Request, stream: bool) -> Tuple[httpx.Response, bytes]:
        import anyio
        import httpx

        http, retry, started = self._pool.get(), 0, time.monotonic()
        while True:
            retry += 1
            try:
                sent = time.monotonic()
                response = await http.send(request, stream=True)
                if stream and response.is_success:
                    _record(request, response, b"", sent)
                    return response, b""
                try:
                    content = await self._read(request, response)
                finally:
                    await response.aclose()
            except (httpx.HTTPError, OSError) as exc:  # OSError: TLS alerts httpcore leaves raw
                await anyio.sleep(self._failure(request, exc, retry, started))
                continue
            if response.is_success:
                _record(request, response, content, sent)
                return response, content
            await anyio.sleep(self._after_error_status(request, response, content, retry, started))

    @staticmethod
    async def _read(request: httpx.Request, response: httpx.Response) -> bytes:
        import httpx

        if not _size_checked(response):
            return await response.aread()
        body = _Body(request, response)
        try:
            async for part in response.aiter_bytes():
                body.add(part)
        except httpx.DecodingError:
            if response.is_success:
                raise
        return body.content()

    async def _request(self, op: Operation, **options: Unpack[RequestOptions]) -> Any:
        request = self._build_request(op, options, stream=False)
        return self._parse(op, *await self._send(request, stream=False))

    def _stream(self, op: Operation, **options: Unpack[RequestOptions]) -> AsyncEventStream:
        from ._streaming import AsyncEventStream

        request = self._build_request(op, options, stream=True)
        capture = CAPTURE.get()
        if capture is not None:  # with_raw_response: the proxy awaits the sending
            opened: List[httpx.Response] = []

            async def send_now() -> None:
                opened.append((await self._send(request, stream=True))[0])

            capture.pending.append(send_now)
            return AsyncEventStream(
                lambda: _aclosing(opened[0]),
                done_sentinel=op.stream_done_sentinel,
                operation=op.name,
                secret=self._token,
            )
        return AsyncEventStream(
            lambda: self._open_stream(request),
            done_sentinel=op.stream_done_sentinel,
            operation=op.name,
            secret=self._token,
        )

    @contextlib.asynccontextmanager
    async def _open_stream(self, request: httpx.Request) -> AsyncIterator[httpx.Response]:
        response, _ = await self._send(request, stream=True)
        try:
            yield response
        finally:
            await response.aclose()

    @property
    def with_raw_response(self) -> AsyncRawResponses:
        """The client's methods as coroutines returning an ``AsyncAPIResponse``: ``.status_code``,
        ``.headers``, ``.http_request``, ``.elapsed`` and ``.parse()`` (the usual result)."""
        from ._response import AsyncRawResponses

        return AsyncRawResponses(self)

    async def close(self) -> None:
        """Release the connection pool (not one passed in as ``http_client``, nor a shared one).

        Returns:
            None. Calls made afterwards raise ``RuntimeError``.

        Raises:
            Nothing of its own: closing twice is harmless.
        """
        client = self._pool.detach() if self._owns_pool else None
        if client is not None:
            await client.aclose()

    aclose = close

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.close()
