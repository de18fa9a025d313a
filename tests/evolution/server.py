"""A recording HTTP server on 127.0.0.1 for SDKs generated from arbitrary specs.

Why not tests/fakegw: that one serves the gateway's own spec; an evolution spec has routes the
gateway never had. This server answers any route with the reply a test scripted (JSON, text,
bytes or server-sent events) and records every request exactly as it arrived on the wire.
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field
from email.message import Message
from email.parser import BytesParser
from email.policy import HTTP
from typing import Any, Awaitable, Callable, Dict, Iterator, List, Optional, Tuple, Union
from urllib.parse import parse_qs

from tests.asgi_server import ThreadedServer

Scope = Dict[str, Any]
Receive = Callable[[], Awaitable[Dict[str, Any]]]
Send = Callable[[Dict[str, Any]], Awaitable[None]]


@dataclass
class Recorded:
    method: str
    raw_path: str
    """The path as sent, still percent-encoded."""
    query: Dict[str, List[str]]
    headers: Dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)

    def multipart(self) -> Dict[str, Tuple[Optional[str], bytes]]:
        """Form parts by name: (filename or None for a plain field, content); the last part of
        a repeated name wins (see ``multipart_parts`` for all of them)."""
        return {name: (filename, payload) for name, filename, payload in self.multipart_parts()}

    def _form_parts(self) -> List[Message]:
        kind = self.headers.get("content-type", "")
        assert kind.startswith("multipart/form-data"), f"not multipart: {kind!r}"
        message = BytesParser(policy=HTTP).parsebytes(
            b"Content-Type: " + kind.encode() + b"\r\n\r\n" + self.body
        )
        parts = []
        for part in message.iter_parts():
            assert isinstance(part, Message)
            parts.append(part)
        return parts

    def multipart_parts(self) -> List[Tuple[str, Optional[str], bytes]]:
        """Every form part in order: (name, filename or None for a plain field, content)."""
        parts: List[Tuple[str, Optional[str], bytes]] = []
        for part in self._form_parts():
            name = part.get_param("name", header="content-disposition")
            filename = part.get_param("filename", header="content-disposition")
            payload = part.get_payload(decode=True)
            parts.append((str(name), None if filename is None else str(filename), payload or b""))
        return parts

    def part_types(self) -> List[Tuple[str, Optional[str]]]:
        """(name, Content-Type header or None) of every form part, in order."""
        return [
            (str(part.get_param("name", header="content-disposition")), part.get("content-type"))
            for part in self._form_parts()
        ]


@dataclass
class Reply:
    status: int = 200
    json_body: Any = None
    body: Optional[bytes] = None
    content_type: str = "application/json"
    events: Optional[List[Union[str, Tuple[str, str]]]] = None
    """Server-sent events: data strings, or (event name, data) pairs."""
    headers: Dict[str, str] = field(default_factory=dict)

    def chunks(self) -> Iterator[bytes]:
        if self.events is not None:
            for event in self.events:
                name, data = event if isinstance(event, tuple) else (None, event)
                prefix = f"event: {name}\n" if name else ""
                yield f"{prefix}data: {data}\n\n".encode()
        elif self.body is not None:
            yield self.body
        elif self.json_body is not None:
            yield json.dumps(self.json_body).encode()


class RecordingServer:
    """Start with ``start()``; script with ``reply(...)``; inspect ``requests``."""

    def __init__(self) -> None:
        self.requests: List[Recorded] = []
        self._replies: List[Reply] = []
        self._lock = threading.Lock()
        self._runner = ThreadedServer(self, "recording-server")

    @property
    def port(self) -> int:
        return self._runner.port

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    def reply(self, **kwargs: Any) -> None:
        with self._lock:
            self._replies.append(Reply(**kwargs))

    def reset(self) -> None:
        with self._lock:
            self.requests.clear()
            self._replies.clear()

    @property
    def last(self) -> Recorded:
        assert self.requests, "no request reached the server"
        return self.requests[-1]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        assert scope["type"] == "http"
        body = b""
        while True:
            message = await receive()
            body += message.get("body", b"")
            if not message.get("more_body"):
                break
        headers: Dict[str, str] = {}
        for key, value in scope["headers"]:
            headers[key.decode("latin-1").lower()] = value.decode("latin-1")
        recorded = Recorded(
            method=scope["method"],
            raw_path=scope.get("raw_path", scope["path"].encode()).decode("latin-1"),
            query=parse_qs(scope["query_string"].decode("latin-1"), keep_blank_values=True),
            headers=headers,
            body=body,
        )
        with self._lock:
            self.requests.append(recorded)
            reply = self._replies.pop(0) if self._replies else Reply(json_body={})
        content_type = "text/event-stream" if reply.events is not None else reply.content_type
        response_headers = [(b"content-type", content_type.encode())]
        response_headers += [(k.encode(), v.encode()) for k, v in reply.headers.items()]
        await send(
            {"type": "http.response.start", "status": reply.status, "headers": response_headers}
        )
        for chunk in reply.chunks():
            await send({"type": "http.response.body", "body": chunk, "more_body": True})
        await send({"type": "http.response.body", "body": b"", "more_body": False})

    def start(self) -> RecordingServer:
        self._runner.start()
        return self

    def stop(self) -> None:
        self._runner.stop()
