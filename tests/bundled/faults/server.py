"""A raw-socket HTTP/1.1 server on 127.0.0.1 for fault injection: each reply writes bytes to
the socket itself, so framing, timing and failures are exactly what a hostile server sends
(things an ASGI server would refuse to produce: wrong Content-Encoding, interim responses,
huge headers, half-closed sockets, trickled bytes, TLS with any certificate).

    server = FaultServer(tls=None)      # or an ssl.SSLContext for HTTPS
    server.reply = sized(b"{}")         # answers every request (until changed)
    server.replies.append(...)          # or: answers the next requests, in order, first
    server.requests                     # what arrived: Recorded(method, target, headers, body)
    server.connections                  # TCP connections accepted so far
"""

from __future__ import annotations

import gzip
import socket
import ssl
import threading
import time
from dataclasses import dataclass
from typing import BinaryIO, Callable, Dict, List, Optional

#: A reply writes to the connection and returns whether the connection stays open.
Reply = Callable[[socket.socket], bool]


@dataclass
class Recorded:
    method: str
    target: str  # the request target exactly as sent (percent escapes kept)
    headers: Dict[str, str]  # lower-case names
    body: bytes


class FaultServer:
    def __init__(self, tls: Optional[ssl.SSLContext] = None) -> None:
        self.reply: Reply = sized(b"{}")
        self.replies: List[Reply] = []
        self.requests: List[Recorded] = []
        self.connections = 0
        self._tls = tls
        self._lock = threading.Lock()
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port = self._listener.getsockname()[1]
        self.url = f"{'https' if tls else 'http'}://127.0.0.1:{self.port}"
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
            if self._tls is not None:
                sock = self._tls.wrap_socket(sock, server_side=True)
            reader = sock.makefile("rb")
            while True:
                request = _read_request(reader)
                if request is None:
                    return
                with self._lock:
                    self.requests.append(request)
                    reply = self.replies.pop(0) if self.replies else self.reply
                if not reply(sock):
                    return
        except (OSError, ssl.SSLError):
            return
        finally:
            sock.close()

    def close(self) -> None:
        self._listener.close()


def _read_request(reader: BinaryIO) -> Optional[Recorded]:
    line = reader.readline(65536)
    if not line.strip():
        return None
    method, target, _ = line.decode("latin-1").split(" ", 2)
    headers: Dict[str, str] = {}
    while True:
        raw = reader.readline(65536)
        if raw in (b"\r\n", b"\n", b""):
            break
        name, _, value = raw.decode("latin-1").partition(":")
        headers[name.strip().lower()] = value.strip()
    if headers.get("transfer-encoding", "").lower() == "chunked":
        body = bytearray()
        while True:
            size = int(reader.readline().split(b";")[0], 16)
            if size == 0:
                reader.readline()
                break
            body += reader.read(size)
            reader.readline()
    else:
        body = bytearray(reader.read(int(headers.get("content-length", "0"))))
    return Recorded(method, target, headers, bytes(body))


def _head(status: str, headers: Dict[str, str]) -> bytes:
    lines = [f"HTTP/1.1 {status}"] + [f"{key}: {value}" for key, value in headers.items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


# -- replies ------------------------------------------------------------------------------------


def sized(body: bytes, status: str = "200 OK", headers: Optional[Dict[str, str]] = None, *,
          before: bytes = b"") -> Reply:
    """A Content-Length response (``before``: raw bytes sent first, e.g. interim responses)."""
    fields = {"Content-Type": "application/json", **(headers or {}), "Content-Length": str(len(body))}

    def reply(sock: socket.socket) -> bool:
        sock.sendall(before + _head(status, fields) + body)
        return True

    return reply


def json_reply(body: bytes, **headers: str) -> Reply:
    return sized(body, headers=dict(headers))


def gzipped(body: bytes, *, corrupt: bool = False, status: str = "200 OK") -> Reply:
    """A gzip-encoded body (``corrupt``: the header says gzip, the bytes are not)."""
    payload = body if corrupt else gzip.compress(body, compresslevel=1)
    return sized(payload, status, {"Content-Encoding": "gzip"})


def chunked(pieces: List[bytes], *, headers: Optional[Dict[str, str]] = None, end: bool = True,
            pause: float = 0.0, then: Optional[Callable[[socket.socket], None]] = None) -> Reply:
    """A chunked response, one HTTP chunk per piece; ``end=False`` keeps the body open (the
    server then waits); ``then(sock)`` runs after the pieces (to cut or half-close)."""
    fields = {"Content-Type": "text/event-stream", **(headers or {}), "Transfer-Encoding": "chunked"}

    def reply(sock: socket.socket) -> bool:
        sock.sendall(_head("200 OK", fields))
        for piece in pieces:
            sock.sendall(b"%x\r\n%s\r\n" % (len(piece), piece))
            if pause:
                time.sleep(pause)
        if then is not None:
            then(sock)
            return False
        if end:
            sock.sendall(b"0\r\n\r\n")
            return True
        time.sleep(5)  # keeps the body open (past the client's drain grace and read timeouts)
        return False

    return reply


def raw(data: bytes, *, close: bool = True) -> Reply:
    """Exactly these bytes (then the connection closes, or stays silent when ``close=False``)."""

    def reply(sock: socket.socket) -> bool:
        sock.sendall(data)
        if not close:
            time.sleep(5)
        return False

    return reply


def half_close(data: bytes = b"") -> Reply:
    """Send ``data`` then shut down our sending side only (the socket stays open for reading)."""

    def reply(sock: socket.socket) -> bool:
        if data:
            sock.sendall(data)
        sock.shutdown(socket.SHUT_WR)
        time.sleep(1)
        return False

    return reply


def trickle(data: bytes, every: float) -> Reply:
    """Slow loris: one byte every ``every`` seconds."""

    def reply(sock: socket.socket) -> bool:
        for byte in data:
            sock.sendall(bytes([byte]))
            time.sleep(every)
        return False

    return reply


def redirect(location: str, status: str = "307 Temporary Redirect") -> Reply:
    return sized(b"", status, {"Location": location})


def sse(*events: bytes) -> List[bytes]:
    """``data: <event>\\n\\n`` pieces."""
    return [b"data: " + event + b"\n\n" for event in events]
