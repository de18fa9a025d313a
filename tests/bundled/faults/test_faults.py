"""The fault suite: hostile server behaviours, each against the sync and the async client, on
calls and on streams. Every failure surfaces as one of the SDK's typed errors, never as an
exception of httpx, h11, httpcore, json or pydantic, and never as a silently truncated answer.
"""

from __future__ import annotations

import gzip
import json
import socket
import time
from typing import Any, Callable, List, Optional, Type

import pytest
from inference_gateway import (
    APIConnectionError,
    APITimeoutError,
    InferenceGatewayError,
    InternalServerError,
    Message,
    ResponseDecodingError,
    ResponseValidationError,
    StreamError,
)
from inference_gateway._base_client import MAX_DECODED_BODY
from inference_gateway._streaming import MAX_EVENT_SIZE

from tests.bundled.faults.conftest import MakeClient
from tests.bundled.faults.server import (
    FaultServer,
    Reply,
    chunked,
    gzipped,
    half_close,
    raw,
    sized,
    sse,
    trickle,
)
from tests.bundled.sdk._helpers import collect, resolve

HELLO = [Message(role="user", content="hi")]
MODELS = b'{"object":"list","data":[{"id":"openai/gpt-4o","object":"model","created":1,"owned_by":"openai","served_by":"openai"}]}'
CHUNK = json.dumps(
    {
        "id": "c1",
        "object": "chat.completion.chunk",
        "created": 1,
        "model": "openai/gpt-4o",
        "choices": [{"index": 0, "delta": {"role": "assistant", "content": "hi"}, "finish_reason": None}],
    },
    separators=(",", ":"),
).encode()
GOOD_STREAM = sse(CHUNK, CHUNK, b"[DONE]")
EARLY_HINTS = b"HTTP/1.1 103 Early Hints\r\nLink: </style.css>; rel=preload\r\n\r\n"
CONTINUE = b"HTTP/1.1 100 Continue\r\n\r\n"


async def call(client: Any) -> Any:
    return await resolve(client.list_models())


async def typed(client: Any) -> List[Any]:
    return await collect(client.stream_chat_completion(model="openai/gpt-4o", messages=HELLO))


async def events(client: Any) -> List[Any]:
    return await collect(client.create_chat_completion_stream(model="openai/gpt-4o", messages=HELLO))


def bomb(size: int, byte: bytes = b"\0") -> bytes:
    return gzip.compress(byte * size, compresslevel=9)


# (id, reply, action, the error expected or None for success)
CASES: List[Any] = [
    ("content-encoding mismatch, call", gzipped(MODELS, corrupt=True), call, ResponseDecodingError),
    ("content-encoding mismatch, stream", chunked(GOOD_STREAM, headers={"Content-Encoding": "gzip"}), typed, StreamError),
    ("content-encoding mismatch, error status", gzipped(b"{}", corrupt=True, status="500 Oops"), call, InternalServerError),
    ("103 early hints, call", sized(MODELS, before=EARLY_HINTS), call, None),
    ("103 early hints, stream", lambda s: s.sendall(EARLY_HINTS) or chunked(GOOD_STREAM)(s), typed, None),
    ("100 continue unasked, call", sized(MODELS, before=CONTINUE + EARLY_HINTS), call, None),
    ("invalid JSON body, call", sized(b"{not json"), call, ResponseValidationError),
    ("html body, call", sized(b"<html>oops</html>", headers={"Content-Type": "text/html"}), call, ResponseValidationError),
    ("invalid JSON event", chunked(sse(CHUNK, b"{not json", b"[DONE]")), typed, ResponseValidationError),
    ("invalid UTF-8 event", chunked(sse(CHUNK, b'{"id":"\xff\xfe"}', b"[DONE]")), typed, ResponseValidationError),
    ("wrong-shape event", chunked(sse(CHUNK, b'{"choices":"nope"}', b"[DONE]")), typed, ResponseValidationError),
    ("invalid UTF-8 raw event (U+FFFD)", chunked(sse(b'{"x":"\xff"}', b"[DONE]")), events, None),
    ("[DONE] then body kept open", chunked(GOOD_STREAM, end=False), typed, None),
    ("stream ends without [DONE]", chunked(sse(CHUNK)), typed, StreamError),
    ("connection cut mid-stream", chunked(sse(CHUNK), then=lambda s: s.close()), typed, StreamError),
    ("half-closed mid-stream", chunked(sse(CHUNK), then=lambda s: s.shutdown(socket.SHUT_WR)), typed, StreamError),
    ("half-closed before the response", half_close(), call, APIConnectionError),
    ("half-closed mid-body", half_close(b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n{\"object\""), call, APIConnectionError),
    ("closed without a response", raw(b""), call, APIConnectionError),
    ("garbage status line", raw(b"HTTP/1.1 abc\r\n\r\n"), call, APIConnectionError),
    ("not HTTP at all", raw(b"SSH-2.0-OpenSSH_9.6\r\n"), call, APIConnectionError),
    ("malformed chunk size, stream", raw(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n"), typed, StreamError),
    ("oversized header, call", sized(MODELS, headers={"X-Big": "a" * (1 << 20)}), call, APIConnectionError),
    ("oversized header, stream", chunked(GOOD_STREAM, headers={"X-Big": "a" * (1 << 20)}), typed, APIConnectionError),
    ("slow loris headers (read timeout)", trickle(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}", 1.0), call, APITimeoutError),
    ("slow loris stream (read timeout)", chunked(sse(CHUNK, CHUNK), pause=1.0), typed, StreamError),
    ("gzip bomb, call", sized(bomb(MAX_DECODED_BODY + (8 << 20)), headers={"Content-Encoding": "gzip"}), call, ResponseDecodingError),
    ("gzip bomb, stream", chunked([bomb(MAX_EVENT_SIZE + (8 << 20), b"a")], headers={"Content-Encoding": "gzip"}), typed, StreamError),
    ("gzip body within the bound", gzipped(MODELS), call, None),
]


@pytest.mark.parametrize(
    "reply,action,expected", [case[1:] for case in CASES], ids=[case[0] for case in CASES]
)
async def test_fault(
    server: FaultServer,
    make: MakeClient,
    reply: Reply,
    action: Callable[[Any], Any],
    expected: Optional[Type[BaseException]],
) -> None:
    server.reply = reply
    client = make(server.url + "/v1", timeout=0.5)
    started = time.monotonic()
    if expected is None:
        result = await action(client)
        assert result
    else:
        with pytest.raises(InferenceGatewayError) as caught:
            await action(client)
        assert isinstance(caught.value, expected), repr(caught.value)
    assert time.monotonic() - started < 4  # nothing waits past the timeouts


async def test_bad_stream_event_carries_the_event(server: FaultServer, make: MakeClient) -> None:
    server.reply = chunked(sse(CHUNK, CHUNK, b'{"choices":"nope"}', b"[DONE]"))
    with pytest.raises(ResponseValidationError) as caught:
        await typed(make(server.url + "/v1"))
    error = caught.value
    assert error.body == b'{"choices":"nope"}' and error.event_index == 2
    assert error.operation == "createChatCompletion" and error.model == "CreateChatCompletionStreamResponse"
    assert "event 2 of the createChatCompletion stream" in str(error)


async def test_invalid_utf8_raw_event_is_replaced(server: FaultServer, make: MakeClient) -> None:
    server.reply = chunked(sse(b'{"x":"\xff"}', b"[DONE]"))
    (event,) = await events(make(server.url + "/v1"))
    assert event.data == '{"x":"\ufffd"}'


async def test_done_with_open_body_completes_fast_and_typed(server: FaultServer, make: MakeClient) -> None:
    server.reply = chunked(GOOD_STREAM, end=False)
    client = make(server.url + "/v1", timeout=10.0)
    started = time.monotonic()
    stream = client.create_chat_completion_stream(model="openai/gpt-4o", messages=HELLO)
    assert len(await collect(stream)) == 2
    assert stream.completed
    assert time.monotonic() - started < 2  # the drain grace, not the 10 s read timeout


async def test_stream_connection_is_reused_after_done(server: FaultServer, make: MakeClient) -> None:
    server.reply = chunked(GOOD_STREAM)
    client = make(server.url + "/v1")
    for _ in range(3):
        assert len(await typed(client)) == 2
    assert server.connections == 1


async def test_oversized_header_within_h11_limits_is_fine(server: FaultServer, make: MakeClient) -> None:
    server.reply = sized(MODELS, headers={"X-Big": "a" * 30_000})
    assert (await call(make(server.url + "/v1"))).data
