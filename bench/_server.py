"""A small, fast OpenAI-compatible gateway stand-in for the benchmarks (stdlib only).

It runs in its own process (``python bench/_server.py``) so that its CPU time is never charged to
the client being measured. It prints ``READY <port>`` once listening on 127.0.0.1.

* ``POST /v1/chat/completions`` answers a canned chat completion, or, when the body asks for
  ``"stream": true``, an SSE stream of N chunks where N is read from the model name
  (``bench-20000`` -> 20,000 chunks). The stream bytes depend only on N, so every client reads
  exactly the same bytes.
* ``POST /v1/responses`` and ``POST /v1/messages`` with ``"stream": true`` answer N named
  events (``event:`` + ``data:`` lines) in the Responses / Messages wire format
  (:func:`named_events`), the last one the stream's terminal event.
* ``GET /health`` and ``GET /v1/models`` answer small JSON bodies.

Connections are kept alive (HTTP/1.1). Streams use chunked transfer encoding, cut into HTTP chunks
of ``--write-size`` bytes regardless of event boundaries (``--write-size 0``: one HTTP chunk per
SSE event, as a Go gateway that flushes after every event would send).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import re
import sys
from functools import lru_cache
from typing import Dict, List, Optional, Tuple

MODEL_RE = re.compile(rb'"model"\s*:\s*"bench-(\d+)"')
STREAM_RE = re.compile(rb'"stream"\s*:\s*true')

COMPLETION = {
    "id": "chatcmpl-bench",
    "object": "chat.completion",
    "created": 1742481679,
    "model": "bench-0",
    "system_fingerprint": "fp_bench",
    "choices": [
        {
            "index": 0,
            "message": {
                "role": "assistant",
                "content": "Python is a high-level, general-purpose programming language. Its design "
                "philosophy emphasizes code readability with the use of significant indentation.",
            },
            "finish_reason": "stop",
        }
    ],
    "usage": {"prompt_tokens": 17, "completion_tokens": 31, "total_tokens": 48},
}
COMPLETION_BYTES = json.dumps(COMPLETION, separators=(",", ":")).encode()

WORDS = ("Once", " upon", " a", " time", ",", " there", " was", " a", " small", " gateway", ".")


def stream_events(n_chunks: int) -> List[bytes]:
    """The SSE events of an ``n_chunks`` stream, in the 004 reference's wire format.

    The first chunk carries the role, the middle ones content with ``finish_reason: null``, the
    last content chunk ``finish_reason: "stop"``; then a usage chunk and ``[DONE]``.
    """
    head = (
        '{"id":"chatcmpl-509","object":"chat.completion.chunk","created":1742481679,'
        f'"model":"bench-{n_chunks}","system_fingerprint":"fp_bench","choices":'
    )
    events = []
    for i in range(n_chunks):
        delta = {"content": WORDS[i % len(WORDS)]}
        if i == 0:
            delta = {"role": "assistant", "content": ""}
        finish = "stop" if i == n_chunks - 1 else None
        choice = {"index": 0, "delta": delta, "finish_reason": finish}
        data = head + json.dumps([choice], separators=(",", ":")) + "}"
        events.append(b"data: " + data.encode() + b"\n\n")
    usage = {"prompt_tokens": 17, "completion_tokens": n_chunks, "total_tokens": n_chunks + 17}
    events.append(
        b"data: "
        + (head + '[],"usage":' + json.dumps(usage, separators=(",", ":")) + "}").encode()
        + b"\n\n"
    )
    events.append(b"data: [DONE]\n\n")
    return events


def _frame(name: str, payload: Dict[str, object]) -> bytes:
    data = json.dumps({"type": name, **payload}, separators=(",", ":"))
    return f"event: {name}\ndata: {data}\n\n".encode()


def named_events(api: str, n_events: int) -> List[bytes]:
    """``n_events`` events of a streamed Responses (``api="responses"``) or Messages answer:
    opening events, text deltas, closing events; the bytes depend only on ``api`` and N."""
    words = [WORDS[i % len(WORDS)] for i in range(n_events)]
    if api == "responses":
        response = {
            "id": "resp_bench", "object": "response", "created_at": 1742481679, "model": "bench",
            "status": "in_progress", "output": [],
        }
        where = {"item_id": "msg_bench", "output_index": 0, "content_index": 0}
        head = [_frame("response.created", {"sequence_number": 0, "response": response})]
        body = [
            _frame("response.output_text.delta", {"sequence_number": i + 1, **where, "delta": w, "logprobs": []})
            for i, w in enumerate(words[: n_events - 2])
        ]
        done = {**response, "status": "completed", "usage": {"input_tokens": 17, "output_tokens": n_events}}
        tail = [_frame("response.completed", {"sequence_number": n_events - 1, "response": done})]
        return head + body + tail
    message = {
        "id": "msg_bench", "type": "message", "role": "assistant", "model": "bench", "content": [],
        "stop_reason": "end_turn", "usage": {"input_tokens": 17, "output_tokens": 1},
    }  # Anthropic sends "stop_reason": null here, which the official 0.22.0 rejects (missing too)
    head = [
        _frame("message_start", {"message": message}),
        _frame("content_block_start", {"index": 0, "content_block": {"type": "text", "text": ""}}),
    ]
    body = [
        _frame("content_block_delta", {"index": 0, "delta": {"type": "text_delta", "text": w}})
        for w in words[: n_events - 5]
    ]
    tail = [
        _frame("content_block_stop", {"index": 0}),
        _frame("message_delta", {"delta": {"stop_reason": "end_turn", "stop_sequence": None}, "usage": {"output_tokens": n_events}}),
        _frame("message_stop", {}),
    ]
    return head + body + tail


def _chunked(pieces: List[bytes]) -> bytes:
    return b"".join(b"%x\r\n%s\r\n" % (len(p), p) for p in pieces) + b"0\r\n\r\n"


@lru_cache(maxsize=8)
def stream_body(n_chunks: int, write_size: int, api: str = "chat") -> Tuple[bytes, ...]:
    """The chunk-encoded stream, as a tuple of writes of about 1 MiB (bounded server buffering)."""
    events = stream_events(n_chunks) if api == "chat" else named_events(api, n_chunks)
    if write_size <= 0:
        pieces = events
    else:
        raw = b"".join(events)
        pieces = [raw[i : i + write_size] for i in range(0, len(raw), write_size)]
    writes, batch, size = [], [], 0
    for piece in pieces:
        batch.append(piece)
        size += len(piece)
        if size >= 1 << 20:
            writes.append(_chunked(batch)[:-5])  # drop the terminator; added once at the end
            batch, size = [], 0
    writes.append(_chunked(batch))
    return tuple(writes)


def _response(status: str, body: bytes, content_type: str = "application/json") -> bytes:
    return b"HTTP/1.1 %s\r\ncontent-type: %s\r\ncontent-length: %d\r\n\r\n%s" % (
        status.encode(),
        content_type.encode(),
        len(body),
        body,
    )


STREAM_HEAD = (
    b"HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\ncache-control: no-cache\r\n"
    b"transfer-encoding: chunked\r\n\r\n"
)


NAMED_APIS = {b"responses": "responses", b"messages": "messages"}
CONNECTIONS = [0]  # accepted so far: ``GET /__connections`` answers it (bench/concurrency.py)


async def _handle(
    reader: asyncio.StreamReader, writer: asyncio.StreamWriter, write_size: int
) -> None:
    CONNECTIONS[0] += 1
    try:
        while True:
            try:
                head = await reader.readuntil(b"\r\n\r\n")
            except (asyncio.IncompleteReadError, ConnectionError):
                return
            request_line, _, header_block = head.partition(b"\r\n")
            method, target = request_line.split(b" ")[:2]
            headers: Dict[bytes, bytes] = {}
            for line in header_block.split(b"\r\n"):
                name, sep, value = line.partition(b":")
                if sep:
                    headers[name.strip().lower()] = value.strip()
            length = int(headers.get(b"content-length", b"0"))
            body = await reader.readexactly(length) if length else b""
            path = target.split(b"?")[0]
            api = NAMED_APIS.get(path.rpartition(b"/")[2])
            if method == b"POST" and api is not None and STREAM_RE.search(body):
                match = MODEL_RE.search(body)
                writer.write(STREAM_HEAD)
                for piece in stream_body(int(match.group(1)) if match else 10, write_size, api):
                    writer.write(piece)
                    await writer.drain()
            elif method == b"POST" and path.endswith(b"/chat/completions"):
                if STREAM_RE.search(body):
                    match = MODEL_RE.search(body)
                    n_chunks = int(match.group(1)) if match else 10
                    writer.write(STREAM_HEAD)
                    for piece in stream_body(n_chunks, write_size):
                        writer.write(piece)
                        await writer.drain()
                else:
                    writer.write(_response("200 OK", COMPLETION_BYTES))
            elif path.endswith(b"/__connections"):
                writer.write(_response("200 OK", b'{"connections":%d}' % CONNECTIONS[0]))
            elif path.endswith(b"/health"):
                writer.write(_response("200 OK", b'{"message":"OK"}'))
            elif path.endswith(b"/models"):
                writer.write(_response("200 OK", b'{"object":"list","data":[]}'))
            else:
                writer.write(_response("404 Not Found", b'{"error":"not found"}'))
            await writer.drain()
            if headers.get(b"connection", b"").lower() == b"close":
                return
    except ConnectionError:
        return
    finally:
        writer.close()


async def serve(port: int, write_size: int, preload: List[int]) -> None:
    for n_chunks in preload:
        stream_body(n_chunks, write_size)
    server = await asyncio.start_server(
        lambda r, w: _handle(r, w, write_size), "127.0.0.1", port, limit=1 << 20
    )
    sock_port = server.sockets[0].getsockname()[1]
    print(f"READY {sock_port}", flush=True)
    async with server:
        await server.serve_forever()


def main(argv: Optional[List[str]] = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument(
        "--write-size", type=int, default=65536, help="bytes per HTTP chunk; 0 = one per event"
    )
    parser.add_argument(
        "--preload", type=int, nargs="*", default=[], help="stream sizes to build up front"
    )
    args = parser.parse_args(argv)
    try:
        asyncio.run(serve(args.port, args.write_size, args.preload))
    except KeyboardInterrupt:
        sys.exit(0)


if __name__ == "__main__":
    main()
