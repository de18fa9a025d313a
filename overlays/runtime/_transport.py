"""The sync client's default httpx transport, on the standard library's ``http.client``.

Why: gateways flush every SSE event as its own HTTP chunk, and httpx's default transport
(httpcore + h11) spends more Python per chunk than the rest of a typed stream costs. Reading
with ``HTTPResponse.read1`` leaves the chunk framing to http.client's few lines per chunk, so a
20,000-event stream costs about half. Everything above the transport (redirects, cookies,
content decoding, the runtime's error mapping and retries) is still httpx's: errors raised here
are httpx's own exception classes.

Imported only when a sync client builds its httpx client (it imports httpx).
"""

from __future__ import annotations

import http.client
import os
import select
import socket
import threading
from typing import (
    TYPE_CHECKING,
    Any,
    Callable,
    Dict,
    Iterable,
    Iterator,
    List,
    Optional,
    Tuple,
    Union,
)

import httpx

if TYPE_CHECKING:
    import ssl

_Key = Tuple[str, str, int]
_READ_SIZE = 65536
_DEFAULT_PORTS = {"http": 80, "https": 443}


def proxies_in_environment() -> bool:
    """Whether ``*_PROXY`` variables ask for a proxy (which only httpx's own transport uses)."""
    wanted = ("http_proxy", "https_proxy", "all_proxy")
    return any(value and key.lower() in wanted for key, value in os.environ.items())


def default_ssl_context(verify: Union[bool, str] = True) -> ssl.SSLContext:
    """The context httpx's default transport would build: certifi's bundle (or
    ``$SSL_CERT_FILE`` / ``$SSL_CERT_DIR``), a CA file or directory, or no verification."""
    import ssl

    if verify is False:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
    elif isinstance(verify, str):
        if os.path.isdir(verify):
            context = ssl.create_default_context(capath=verify)
        else:
            context = ssl.create_default_context(cafile=verify)
    elif os.environ.get("SSL_CERT_FILE"):
        context = ssl.create_default_context(cafile=os.environ["SSL_CERT_FILE"])
    elif os.environ.get("SSL_CERT_DIR"):
        context = ssl.create_default_context(capath=os.environ["SSL_CERT_DIR"])
    else:
        import certifi

        context = ssl.create_default_context(cafile=certifi.where())
    context.set_alpn_protocols(["http/1.1"])
    return context


def _readable(sock: Optional[socket.socket]) -> bool:
    """An idle keep-alive socket that is readable was closed by the peer (or is out of step)."""
    if sock is None or sock.fileno() < 0:
        return True
    if hasattr(select, "poll"):
        poller = select.poll()
        poller.register(sock, select.POLLIN)
        return bool(poller.poll(0))
    return bool(select.select([sock], [], [], 0)[0])


def _read_error(exc: BaseException) -> httpx.TransportError:
    """The httpx error for a failure while waiting for or reading a response."""
    if isinstance(exc, socket.timeout):
        return httpx.ReadTimeout(f"timed out reading the response: {exc}")
    if isinstance(exc, http.client.IncompleteRead):
        return httpx.RemoteProtocolError(
            "peer closed connection without sending complete message body (incomplete read)"
        )
    if isinstance(exc, http.client.RemoteDisconnected):
        return httpx.RemoteProtocolError("Server disconnected without sending a response.")
    if isinstance(exc, http.client.HTTPException):
        return httpx.RemoteProtocolError(f"{type(exc).__name__}: {exc}")
    return httpx.ReadError(f"{type(exc).__name__}: {exc}")


class HTTPTransport(httpx.BaseTransport):
    """HTTP/1.1 over ``http.client`` with a thread-safe keep-alive pool per (scheme, host, port).

    ``verify`` is ``True`` (httpx's default verification), ``False``, a CA bundle path or an
    ``ssl.SSLContext``. Timeouts come from each request's ``extensions["timeout"]``. A
    connection goes back to the pool only after its response body was read to the end.
    """

    def __init__(
        self, *, verify: Union[bool, str, ssl.SSLContext] = True, max_idle_per_host: int = 10
    ) -> None:
        self._verify = verify
        self._ssl_context: Optional[ssl.SSLContext] = None
        self._max_idle = max_idle_per_host
        self._idle: Dict[_Key, List[http.client.HTTPConnection]] = {}
        self._lock = threading.Lock()
        self._closed = False  # then a stream ending later closes its connection

    # -- the pool --------------------------------------------------------------------------

    def _context(self) -> ssl.SSLContext:
        if self._ssl_context is None:
            verify = self._verify
            self._ssl_context = (
                default_ssl_context(verify) if isinstance(verify, (bool, str)) else verify
            )
        return self._ssl_context

    def _checkout(self, key: _Key) -> Optional[http.client.HTTPConnection]:
        while True:
            with self._lock:
                idle = self._idle.get(key)
                if not idle:
                    return None
                conn = idle.pop()
            if not _readable(conn.sock):
                return conn
            conn.close()

    def _checkin(self, key: _Key, conn: http.client.HTTPConnection) -> None:
        with self._lock:
            idle = self._idle.setdefault(key, [])
            if len(idle) < self._max_idle and not self._closed:
                idle.append(conn)
                return
        conn.close()

    def _connect(self, key: _Key, timeout: Optional[float]) -> http.client.HTTPConnection:
        scheme, host, port = key
        conn: http.client.HTTPConnection
        if scheme == "https":
            conn = http.client.HTTPSConnection(host, port, timeout=timeout, context=self._context())
        else:
            conn = http.client.HTTPConnection(host, port, timeout=timeout)
        try:
            conn.connect()
            assert conn.sock is not None
            conn.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        except socket.timeout as exc:
            conn.close()
            raise httpx.ConnectTimeout(f"timed out connecting to {host}:{port}") from exc
        except OSError as exc:  # refused, unreachable, DNS, TLS handshake or verification
            conn.close()
            raise httpx.ConnectError(f"{type(exc).__name__}: {exc}") from exc
        return conn

    def close(self) -> None:
        with self._lock:
            idle, self._idle, self._closed = self._idle, {}, True
        for conns in idle.values():
            for conn in conns:
                conn.close()

    # -- one exchange ----------------------------------------------------------------------

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        url = request.url
        scheme = url.scheme
        if scheme not in _DEFAULT_PORTS:
            raise httpx.UnsupportedProtocol(f"unsupported URL scheme {scheme!r} in {url}")
        key = (scheme, url.host, url.port or _DEFAULT_PORTS[scheme])
        timeouts = request.extensions.get("timeout", {})
        body: Union[bytes, Iterable[bytes]]
        try:
            body = request.content
        except httpx.RequestNotRead:
            body = request.stream  # type: ignore[assignment]
        # Like httpx's own transport, a failed request is never replayed here: the runtime's
        # retry policy decides (a server dropping the connection is an error the caller sees).
        conn = self._checkout(key) or self._connect(key, timeouts.get("connect"))
        try:
            response = self._exchange(conn, request, body, timeouts)
        except BaseException:
            conn.close()
            raise
        version = b"HTTP/1.0" if response.version == 10 else b"HTTP/1.1"
        return httpx.Response(
            status_code=response.status,
            headers=response.getheaders(),
            stream=_ResponseStream(self, key, conn, response),
            extensions={
                "http_version": version,
                "reason_phrase": response.reason.encode("ascii", "replace"),
            },
        )

    @staticmethod
    def _exchange(
        conn: http.client.HTTPConnection,
        request: httpx.Request,
        body: Union[bytes, Iterable[bytes]],
        timeouts: Dict[str, Optional[float]],
    ) -> http.client.HTTPResponse:
        sock = conn.sock
        assert sock is not None
        sock.settimeout(timeouts.get("write"))
        try:
            conn.putrequest(
                request.method,
                request.url.raw_path.decode("ascii"),
                skip_host=True,
                skip_accept_encoding=True,
            )
            for name, value in request.headers.raw:
                conn.putheader(name, value)
            if isinstance(body, bytes):
                conn.endheaders(body)
            else:
                chunked = request.headers.get("transfer-encoding", "").lower() == "chunked"
                conn.endheaders(iter(body), encode_chunked=chunked)
        except socket.timeout as exc:
            raise httpx.WriteTimeout(f"timed out sending the request: {exc}") from exc
        except OSError as exc:
            raise httpx.WriteError(f"{type(exc).__name__}: {exc}") from exc
        sock.settimeout(timeouts.get("read"))
        try:
            return conn.getresponse()
        except (OSError, http.client.HTTPException) as exc:
            raise _read_error(exc) from exc


def _dechunk(read1: Callable[[int], bytes]) -> Iterator[bytes]:
    """Decode a chunked body; each piece is the data of every chunk one read delivered.

    Why not ``HTTPResponse.read1``: it returns one chunk per call through several method calls,
    and a gateway sends one small chunk per event, so one socket read carries hundreds.
    Leaves nothing unread after the last chunk's trailers (else it raises).
    """
    buf = b""
    pos = 0  # of the first unparsed byte in buf
    left = 0  # data bytes of the current chunk still to come
    crlf = False  # the current chunk's data ended; its CRLF is due
    out: List[bytes] = []
    append = out.append
    while True:
        if not left and not crlf:
            # The common case first: whole chunks (size line, data, CRLF) already buffered.
            size_end = buf.find(b"\r\n", pos)
            while size_end >= 0:
                size = _chunk_size(buf[pos:size_end])
                stop = size_end + 2 + size
                if not size or stop + 2 > len(buf):
                    break
                if buf[stop : stop + 2] != b"\r\n":
                    raise httpx.RemoteProtocolError("malformed chunked body: no CRLF after data")
                append(buf[size_end + 2 : stop])
                pos = stop + 2
                size_end = buf.find(b"\r\n", pos)
        if left:
            available = len(buf) - pos
            if available >= left:
                append(buf[pos : pos + left])
                pos += left
                left, crlf = 0, True
                continue
            if available:
                append(buf[pos:] if pos else buf)
                left -= available
                pos = len(buf)
        elif crlf:
            if len(buf) - pos >= 2:
                if buf[pos : pos + 2] != b"\r\n":
                    raise httpx.RemoteProtocolError("malformed chunked body: no CRLF after data")
                pos += 2
                crlf = False
                continue
        else:
            end = buf.find(b"\r\n", pos)
            if end >= 0:
                size = _chunk_size(buf[pos:end])
                pos = end + 2
                if size == 0:
                    if out:
                        yield b"".join(out)
                    _skip_trailers(read1, buf[pos:])
                    return
                left = size
                continue
            if len(buf) - pos > _READ_SIZE:
                raise httpx.RemoteProtocolError("malformed chunked body: size line too long")
        # Everything buffered is parsed: hand out the data, then read more.
        if out:
            yield out[0] if len(out) == 1 else b"".join(out)
            out.clear()
        data = read1(_READ_SIZE)
        if not data:
            raise http.client.IncompleteRead(b"")
        buf = buf[pos:] + data if pos < len(buf) else data
        pos = 0


def _chunk_size(line: bytes) -> int:
    try:
        size = int(line, 16)
    except ValueError:  # perhaps a chunk extension (";name=value"), ignored
        try:
            size = int(line.split(b";", 1)[0], 16)
        except ValueError:
            size = -1
    if size < 0:
        raise httpx.RemoteProtocolError(f"malformed chunk size line {line[:40]!r}")
    return size


def _skip_trailers(read1: Callable[[int], bytes], rest: bytes) -> None:
    """Read the trailer section after the last chunk up to its empty line, which must end the
    message (the connection is reused only for a message ending exactly there)."""
    while True:
        end = rest.find(b"\r\n")
        if end == 0:
            if len(rest) > 2:
                raise httpx.RemoteProtocolError("unexpected data after the chunked body")
            return
        if end > 0:
            rest = rest[end + 2 :]  # a trailer field: ignored, as httpx's own transport does
            continue
        if len(rest) > _READ_SIZE:
            raise httpx.RemoteProtocolError("malformed chunked body: trailer too long")
        data = read1(_READ_SIZE)
        if not data:
            raise http.client.IncompleteRead(b"")
        rest += data


class _ResponseStream(httpx.SyncByteStream):
    """The body as the socket delivers it; the connection is pooled again only when it ended."""

    def __init__(
        self,
        transport: HTTPTransport,
        key: _Key,
        conn: http.client.HTTPConnection,
        response: http.client.HTTPResponse,
    ) -> None:
        self._transport = transport
        self._key = key
        self._conn: Optional[http.client.HTTPConnection] = conn
        self._response = response
        self._complete = False

    def __iter__(self) -> Iterator[bytes]:
        response = self._response
        try:
            if response.chunked and response.length is None and response.fp is not None:
                yield from _dechunk(response.fp.read1)
            else:
                read1 = response.read1
                chunk = read1(_READ_SIZE)
                while chunk:
                    yield chunk
                    chunk = read1(_READ_SIZE)
                if response.length:  # a content-length body cut short: read1 returns b""
                    raise http.client.IncompleteRead(b"", response.length)
        except (OSError, http.client.HTTPException) as exc:
            raise _read_error(exc) from exc
        self._complete = True

    def close(self) -> None:
        conn, self._conn = self._conn, None
        if conn is None:
            return
        response = self._response
        reusable = self._complete and not response.will_close
        response.close()
        if reusable:
            self._transport._checkin(self._key, conn)
        else:
            conn.close()


def new_sync_client(**options: Any) -> httpx.Client:
    """An ``httpx.Client`` on this transport, or on httpx's own when the environment configures
    a proxy (this transport does not speak to proxies)."""
    if proxies_in_environment():
        return httpx.Client(**options)
    return httpx.Client(transport=HTTPTransport(), **options)
