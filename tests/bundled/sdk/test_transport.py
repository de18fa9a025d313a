"""The sync client's default transport (``_transport.HTTPTransport``, on ``http.client``) against
real servers on 127.0.0.1: raw sockets, so every framing and failure is exactly what we send."""

from __future__ import annotations

import shutil
import socket
import ssl
import subprocess
import threading
import time
from http.client import IncompleteRead
from pathlib import Path
from typing import BinaryIO, Callable, Dict, Iterator, List, Optional, Tuple

import httpx
import pytest
from hypothesis import given
from hypothesis import strategies as st
from inference_gateway import InferenceGatewayClient
from inference_gateway._transport import HTTPTransport, _dechunk, default_ssl_context

# A reply writes to the connection's socket and returns whether the connection stays open.
Reply = Callable[[socket.socket], bool]


class Recorded:
    def __init__(self, method: str, path: str, headers: Dict[str, str], body: bytes) -> None:
        self.method, self.path, self.headers, self.body = method, path, headers, body


class RawServer:
    """Accepts connections; answers each request with the next scripted reply, in order."""

    def __init__(self, context: Optional[ssl.SSLContext] = None) -> None:
        self.replies: List[Reply] = []
        self.requests: List[Recorded] = []
        self.connections = 0
        self._context = context
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port = self._listener.getsockname()[1]
        scheme = "https" if context else "http"
        self.url = f"{scheme}://127.0.0.1:{self.port}"
        self._lock = threading.Lock()
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                sock, _ = self._listener.accept()
            except OSError:
                return
            with self._lock:
                self.connections += 1
            threading.Thread(target=self._serve, args=(sock,), daemon=True).start()

    def _serve(self, sock: socket.socket) -> None:
        try:
            if self._context is not None:
                sock = self._context.wrap_socket(sock, server_side=True)
            reader: BinaryIO = sock.makefile("rb")
            while True:
                request = _read_request(reader)
                if request is None:
                    return
                with self._lock:
                    self.requests.append(request)
                    reply = self.replies.pop(0)
                if not reply(sock):
                    return
        except (OSError, ssl.SSLError):
            return
        finally:
            sock.close()

    def close(self) -> None:
        self._listener.close()


def _read_request(reader: BinaryIO) -> Optional[Recorded]:
    line = reader.readline()
    if not line:
        return None
    method, path, _ = line.decode("latin-1").split(" ", 2)
    headers: Dict[str, str] = {}
    while True:
        line = reader.readline()
        if line in (b"\r\n", b""):
            break
        name, _, value = line.decode("latin-1").partition(":")
        headers[name.strip().lower()] = value.strip()
    body = b""
    if headers.get("transfer-encoding", "").lower() == "chunked":
        while True:
            size = int(reader.readline().split(b";")[0], 16)
            body += reader.read(size + 2)[:size]
            if size == 0:
                break
    elif "content-length" in headers:
        body = reader.read(int(headers["content-length"]))
    return Recorded(method, path, headers, body)


def sized(body: bytes, status: str = "200 OK", extra: str = "") -> Reply:
    def reply(sock: socket.socket) -> bool:
        head = f"HTTP/1.1 {status}\r\ncontent-length: {len(body)}\r\n{extra}\r\n"
        sock.sendall(head.encode() + body)
        return True

    return reply


def chunked(pieces: List[bytes], drop_after: Optional[int] = None, pause: float = 0) -> Reply:
    """Each piece its own HTTP chunk and its own send (as a gateway flushing every event)."""

    def reply(sock: socket.socket) -> bool:
        sock.sendall(b"HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n")
        for index, piece in enumerate(pieces):
            if index == drop_after:
                return False
            sock.sendall(b"%x\r\n%s\r\n" % (len(piece), piece))
            time.sleep(pause)
        sock.sendall(b"0\r\n\r\n")
        return True

    return reply


def until_close(body: bytes, version: str = "HTTP/1.1") -> Reply:
    def reply(sock: socket.socket) -> bool:
        sock.sendall(f"{version} 200 OK\r\nconnection: close\r\n\r\n".encode() + body)
        return False

    return reply


def cut_short(declared: int, sent: bytes) -> Reply:
    def reply(sock: socket.socket) -> bool:
        sock.sendall(f"HTTP/1.1 200 OK\r\ncontent-length: {declared}\r\n\r\n".encode() + sent)
        return False

    return reply


def silent(seconds: float, after_head: bool = False) -> Reply:
    def reply(sock: socket.socket) -> bool:
        if after_head:
            sock.sendall(b"HTTP/1.1 200 OK\r\ncontent-length: 10\r\n\r\nabc")
        time.sleep(seconds)
        return False

    return reply


@pytest.fixture
def server() -> Iterator[RawServer]:
    s = RawServer()
    yield s
    s.close()


@pytest.fixture
def http() -> Iterator[httpx.Client]:
    with httpx.Client(transport=HTTPTransport(), timeout=5) as client:
        yield client


def idle_count(client: httpx.Client) -> int:
    transport = client._transport
    assert isinstance(transport, HTTPTransport)
    return sum(len(conns) for conns in transport._idle.values())


# -- bodies and keep-alive -----------------------------------------------------------------


def test_keep_alive_reuses_one_connection(server: RawServer, http: httpx.Client) -> None:
    server.replies += [sized(b"one"), chunked([b"t", b"wo"]), sized(b"", "204 No Content")]
    assert http.get(server.url + "/a?x=1").text == "one"
    assert http.post(server.url + "/b", content=b"payload").text == "two"
    assert http.delete(server.url + "/c").status_code == 204
    assert server.connections == 1
    assert idle_count(http) == 1
    assert [(r.method, r.path) for r in server.requests] == [
        ("GET", "/a?x=1"),
        ("POST", "/b"),
        ("DELETE", "/c"),
    ]
    assert server.requests[1].body == b"payload"
    assert server.requests[0].headers["host"] == f"127.0.0.1:{server.port}"


def test_chunked_body_streams_chunk_by_chunk(server: RawServer, http: httpx.Client) -> None:
    pieces = [b"data: %d\n\n" % i for i in range(50)]
    server.replies += [chunked(pieces), sized(b"after")]
    with http.stream("GET", server.url + "/sse") as response:
        assert response.headers["transfer-encoding"] == "chunked"
        received = list(response.iter_raw())
    assert b"".join(received) == b"".join(pieces)
    assert http.get(server.url + "/").text == "after"
    assert server.connections == 1


def test_close_delimited_body_is_read_to_the_end_and_not_pooled(
    server: RawServer, http: httpx.Client
) -> None:
    server.replies += [until_close(b"x" * 100_000), until_close(b"old", "HTTP/1.0"), sized(b"ok")]
    assert http.get(server.url + "/").content == b"x" * 100_000
    response = http.get(server.url + "/")
    assert (response.content, response.http_version) == (b"old", "HTTP/1.0")
    assert http.get(server.url + "/").text == "ok"
    assert server.connections == 3


def test_large_bodies_both_ways(server: RawServer, http: httpx.Client) -> None:
    big = bytes(range(256)) * 20_000  # 5 MB
    server.replies += [sized(big), chunked([big[:3_000_000], big[3_000_000:]]), sized(b"")]
    assert http.get(server.url + "/").content == big
    assert http.get(server.url + "/").content == big
    http.post(server.url + "/upload", content=big)
    assert server.requests[-1].body == big
    assert server.connections == 1


def test_iterator_body_is_sent_chunked(server: RawServer, http: httpx.Client) -> None:
    server.replies += [sized(b"got it")]
    parts = [b"a" * 10, b"", b"b" * 70_000, b"c"]
    assert http.post(server.url + "/", content=iter(parts)).text == "got it"
    recorded = server.requests[0]
    assert recorded.headers["transfer-encoding"] == "chunked"
    assert recorded.body == b"".join(parts)


def test_headers_reason_and_gzip(server: RawServer, http: httpx.Client) -> None:
    import gzip

    body = gzip.compress(b'{"ok": true}')
    extra = "content-encoding: gzip\r\nset-cookie: a=1\r\nset-cookie: b=2\r\n"
    server.replies += [sized(body, "418 I'm a teapot", extra)]
    response = http.get(server.url + "/", headers={"x-custom": "v"})
    assert response.status_code == 418 and response.reason_phrase == "I'm a teapot"
    assert response.json() == {"ok": True}
    assert response.headers.get_list("set-cookie") == ["a=1", "b=2"]
    assert server.requests[0].headers["x-custom"] == "v"


def test_partly_read_stream_closes_its_connection(server: RawServer, http: httpx.Client) -> None:
    server.replies += [chunked([b"a", b"b", b"c"], pause=0.05), sized(b"fresh")]
    with http.stream("GET", server.url + "/") as response:
        next(response.iter_raw())
    assert idle_count(http) == 0
    assert http.get(server.url + "/").text == "fresh"
    assert server.connections == 2


def test_stream_ending_after_close_is_not_pooled(server: RawServer) -> None:
    server.replies += [chunked([b"a", b"b"])]
    http = httpx.Client(transport=HTTPTransport())
    with http.stream("GET", server.url + "/") as response:
        http.close()
        assert response.read() == b"ab"
    assert idle_count(http) == 0


def test_threads_share_the_pool(server: RawServer, http: httpx.Client) -> None:
    server.replies += [sized(b"%d" % i) for i in range(40)]
    errors: List[BaseException] = []

    def work() -> None:
        try:
            for _ in range(10):
                assert http.get(server.url + "/").status_code == 200
        except BaseException as exc:  # reported below, in the test's thread
            errors.append(exc)

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert len(server.requests) == 40
    assert server.connections <= 4


def test_idle_connection_closed_by_the_server_is_not_reused(
    server: RawServer, http: httpx.Client
) -> None:
    server.replies += [sized(b"one", extra="connection: keep-alive\r\n")]
    assert http.get(server.url + "/").text == "one"
    transport = http._transport
    assert isinstance(transport, HTTPTransport)
    conn = next(iter(transport._idle.values()))[0]
    assert conn.sock is not None
    # The server side goes away while the connection idles: shut down our end's peer.
    server.replies += [sized(b"two")]
    conn.sock.shutdown(socket.SHUT_WR)  # the server sees EOF and closes its end
    time.sleep(0.2)
    assert http.get(server.url + "/").text == "two"
    assert server.connections == 2


def _reads(raw: bytes, cuts: List[int]) -> Callable[[int], bytes]:
    """``read1`` of a socket delivering ``raw`` in the pieces ``cuts`` make (then EOF)."""
    bounds = sorted({c % (len(raw) + 1) for c in cuts} | {0, len(raw)})
    pieces = iter([raw[a:b] for a, b in zip(bounds, bounds[1:])])
    return lambda size: next(pieces, b"")


@given(
    st.lists(st.binary(min_size=1, max_size=40), max_size=12),
    st.lists(st.integers(min_value=0), max_size=30),
    st.booleans(),
)
def test_dechunk_any_split(pieces: List[bytes], cuts: List[int], decorated: bool) -> None:
    """The decoded body is the same however the network splits the chunked encoding."""
    ext = b";name=value" if decorated else b""
    trailer = b"x-checksum: 1\r\n" if decorated else b""
    raw = b"".join(b"%x%s\r\n%s\r\n" % (len(p), ext, p) for p in pieces)
    raw += b"0\r\n" + trailer + b"\r\n"
    assert b"".join(_dechunk(_reads(raw, cuts))) == b"".join(pieces)
    with pytest.raises(IncompleteRead):  # the end cut off
        b"".join(_dechunk(_reads(raw[:-1], cuts)))


@pytest.mark.parametrize(
    "raw", [b"zz\r\nab\r\n0\r\n\r\n", b"2\r\nabXX0\r\n\r\n", b"0\r\n\r\nextra"]
)
def test_dechunk_rejects_malformed_bodies(raw: bytes) -> None:
    with pytest.raises(httpx.RemoteProtocolError, match=r"malformed|unexpected"):
        b"".join(_dechunk(_reads(raw, [])))


# -- failures map to httpx's exceptions ----------------------------------------------------


def test_connection_refused_is_connect_error(http: httpx.Client) -> None:
    probe = socket.create_server(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()
    with pytest.raises(httpx.ConnectError, match="refused"):
        http.get(f"http://127.0.0.1:{port}/")


def test_read_timeouts(server: RawServer) -> None:
    server.replies += [silent(1.0), silent(1.0, after_head=True)]
    with httpx.Client(transport=HTTPTransport(), timeout=0.2) as http:
        with pytest.raises(httpx.ReadTimeout):
            http.get(server.url + "/")
        with pytest.raises(httpx.ReadTimeout):
            http.get(server.url + "/")
        assert idle_count(http) == 0


def test_write_timeout() -> None:
    # A peer that never reads: the kernel accepts the connection, its buffers fill up, and
    # sending stalls.
    listener = socket.create_server(("127.0.0.1", 0))
    url = f"http://127.0.0.1:{listener.getsockname()[1]}/"
    timeout = httpx.Timeout(5, write=0.2)
    with (
        httpx.Client(transport=HTTPTransport(), timeout=timeout) as http,
        pytest.raises(httpx.WriteTimeout),
    ):
        http.post(url, content=iter([b"x" * (1 << 20)] * 64))
    listener.close()


@pytest.mark.parametrize(
    "reply",
    [cut_short(100, b"only ten.."), chunked([b"one", b"two"], drop_after=1)],
    ids=["content-length", "chunked"],
)
def test_peer_closing_mid_body_is_remote_protocol_error(
    server: RawServer, http: httpx.Client, reply: Reply
) -> None:
    server.replies += [reply]
    with pytest.raises(httpx.RemoteProtocolError, match="incomplete"):
        http.get(server.url + "/")
    assert idle_count(http) == 0


def test_peer_closing_before_the_response(server: RawServer, http: httpx.Client) -> None:
    server.replies += [lambda sock: False]
    with pytest.raises(httpx.RemoteProtocolError, match="without sending a response"):
        http.get(server.url + "/")


def test_unsupported_scheme(http: httpx.Client) -> None:
    with pytest.raises(httpx.UnsupportedProtocol):
        HTTPTransport().handle_request(httpx.Request("GET", "ftp://127.0.0.1/"))


# -- HTTPS ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def certificates(tmp_path_factory: pytest.TempPathFactory) -> Tuple[Path, Path, Path]:
    """(CA certificate, server certificate, server key): a throwaway CA signing 127.0.0.1."""
    openssl = shutil.which("openssl")
    if openssl is None:
        pytest.skip("needs the openssl command to make test certificates")
    d = tmp_path_factory.mktemp("tls")
    ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]

    def run(*args: str) -> None:
        subprocess.run([openssl, *args], cwd=d, check=True, capture_output=True)

    run(
        "req", "-x509", *ec, "-keyout", "ca.key", "-out", "ca.pem", "-days", "2",
        "-subj", "/CN=transport test CA", "-addext", "keyUsage=critical,keyCertSign,cRLSign",
    )  # fmt: skip
    run("req", *ec, "-keyout", "server.key", "-out", "server.csr", "-subj", "/CN=127.0.0.1")
    (d / "ext.cnf").write_text(
        "basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\n"
        "extendedKeyUsage=serverAuth\nsubjectAltName=IP:127.0.0.1\n"
        "authorityKeyIdentifier=keyid\nsubjectKeyIdentifier=hash\n"
    )
    run(
        "x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key",
        "-CAcreateserial", "-out", "server.pem", "-days", "2", "-extfile", "ext.cnf",
    )  # fmt: skip
    return d / "ca.pem", d / "server.pem", d / "server.key"


@pytest.fixture
def tls_server(certificates: Tuple[Path, Path, Path]) -> Iterator[RawServer]:
    _, cert, key = certificates
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    s = RawServer(context)
    yield s
    s.close()


def test_https_with_a_custom_ca(
    tls_server: RawServer, certificates: Tuple[Path, Path, Path]
) -> None:
    ca = certificates[0]
    tls_server.replies += [sized(b"secure"), chunked([b"a", b"b"])]
    context = ssl.create_default_context(cafile=str(ca))
    with httpx.Client(transport=HTTPTransport(verify=context)) as http:
        assert http.get(tls_server.url + "/").text == "secure"
        assert http.get(tls_server.url + "/").text == "ab"
    assert tls_server.connections == 1
    tls_server.replies += [sized(b"by path")]
    with httpx.Client(transport=HTTPTransport(verify=str(ca))) as http:
        assert http.get(tls_server.url + "/").text == "by path"


def test_https_verifies_by_default(tls_server: RawServer) -> None:
    verified = httpx.Client(transport=HTTPTransport())
    with verified, pytest.raises(httpx.ConnectError, match="CERTIFICATE_VERIFY_FAILED"):
        verified.get(tls_server.url + "/")
    tls_server.replies += [sized(b"unverified")]
    with httpx.Client(transport=HTTPTransport(verify=False)) as http:
        assert http.get(tls_server.url + "/").text == "unverified"


def test_default_context_uses_certifi(monkeypatch: pytest.MonkeyPatch) -> None:
    import certifi

    monkeypatch.delenv("SSL_CERT_FILE", raising=False)
    monkeypatch.delenv("SSL_CERT_DIR", raising=False)
    context = default_ssl_context()
    assert context.verify_mode == ssl.CERT_REQUIRED and context.check_hostname
    expected = ssl.create_default_context(cafile=certifi.where()).cert_store_stats()
    assert context.cert_store_stats() == expected


# -- the sync client's default --------------------------------------------------------------


def _transport_of(client: InferenceGatewayClient) -> httpx.BaseTransport:
    http = client._pool.get()
    assert isinstance(http, httpx.Client)
    return http._transport


def test_sync_client_uses_it_unless_a_proxy_or_a_client_is_given(
    server: RawServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.delenv("all_proxy", raising=False)
    server.replies += [sized(b'{"object": "list", "data": []}')]
    with InferenceGatewayClient(server.url + "/v1") as client:
        assert isinstance(_transport_of(client), HTTPTransport)
        assert client.list_models().data == []
    monkeypatch.setenv("https_proxy", "http://127.0.0.1:9")
    with InferenceGatewayClient(server.url + "/v1") as client:
        assert not isinstance(_transport_of(client), HTTPTransport)
    monkeypatch.delenv("https_proxy")
    own = httpx.Client()
    with InferenceGatewayClient(server.url + "/v1", http_client=own) as client:
        assert _transport_of(client) is own._transport
    own.close()
