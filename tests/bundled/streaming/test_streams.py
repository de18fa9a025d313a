"""Raw and typed streams over the fake gateway: splits, truncation, broken connections, errors."""

from __future__ import annotations

import json
from typing import Any, Callable, List, Tuple

import pytest
from inference_gateway import (
    InternalServerError,
    Message,
    RateLimitError,
    StreamError,
)
from inference_gateway.models import CreateChatCompletionStreamResponse

from tests.bundled.streaming._streams import (
    CHAT,
    RECORDED_CHUNKS,
    SPLITS,
    chunk,
    recorded_bytes,
    sse,
)
from tests.fakegw import FakeGateway

MESSAGES = [Message(role="user", content="Weather in Paris and Rome?")]
MODEL = "deepseek/deepseek-chat"


async def events_of(stream: Any) -> List[Any]:
    """Every item of a sync or async stream, used as a context manager."""
    if hasattr(stream, "__aiter__"):
        async with stream:
            return [item async for item in stream]
    with stream:
        return list(stream)


async def chat(stream: Any) -> Tuple[List[Any], Any]:
    """Chunks and final completion of a (sync or async) ChatCompletionStream."""
    if hasattr(stream, "__aiter__"):
        async with stream:
            chunks = [c async for c in stream]
            return chunks, await stream.get_final_completion()
    with stream:
        chunks = list(stream)
        return chunks, stream.get_final_completion()


@pytest.mark.parametrize("split", sorted(SPLITS))
async def test_guide_loop_on_raw_stream(
    gateway: FakeGateway, any_client: Callable[..., Any], split: str
) -> None:
    gateway.enqueue("POST", CHAT, chunks=SPLITS[split](recorded_bytes()))
    client = any_client()
    events = await events_of(client.create_chat_completion_stream(model=MODEL, messages=MESSAGES))
    # the SDK guide's loop: json.loads(chunk.data) on every event ([DONE] is never yielded)
    parsed = [json.loads(e.data) for e in events if e.data]
    assert parsed == RECORDED_CHUNKS
    typed = [CreateChatCompletionStreamResponse.model_validate(p) for p in parsed]
    assert typed[4].choices[0].delta.content == "Paris ☀ and"
    assert gateway.last.body["stream"] is True


@pytest.mark.parametrize("split", sorted(SPLITS))
async def test_typed_chat_stream_in_any_split(
    gateway: FakeGateway, any_client: Callable[..., Any], split: str
) -> None:
    gateway.enqueue("POST", CHAT, chunks=SPLITS[split](recorded_bytes()))
    chunks, final = await chat(any_client().stream_chat_completion(model=MODEL, messages=MESSAGES))
    assert all(isinstance(c, CreateChatCompletionStreamResponse) for c in chunks)
    assert len(chunks) == len(RECORDED_CHUNKS)
    message = final.choices[0].message
    assert message.content.root == "Checking Paris ☀ and Rome."
    assert message.reasoning_content == "Think about the weather."
    assert final.choices[0].finish_reason.root == "tool_calls"
    assert final.usage.total_tokens == 26
    first, second = message.tool_calls
    assert (first.id, first.function.name, json.loads(first.function.arguments)) == (
        "call_a",
        "get_weather",
        {"location": "Paris"},
    )
    assert first.extra_content.google.thought_signature == "c2lnLWE="
    assert (second.id, second.function.name, second.function.arguments) == (
        "call_b",
        "search_docs",
        '{"q": "rome"}',
    )


async def test_stream_options_include_usage_is_requested(
    gateway: FakeGateway, any_client: Callable[..., Any]
) -> None:
    client = any_client()
    _, final = await chat(client.stream_chat_completion(model=MODEL, messages=MESSAGES))
    assert gateway.last.body["stream_options"] == {"include_usage": True}
    assert final.usage is not None
    await chat(
        client.stream_chat_completion(
            model=MODEL, messages=MESSAGES, stream_options={"include_usage": False}
        )
    )
    assert gateway.last.body["stream_options"] == {"include_usage": False}


async def test_stream_ending_before_done_raises(
    gateway: FakeGateway, any_client: Callable[..., Any]
) -> None:
    body = b"".join(sse(c) for c in RECORDED_CHUNKS[:4])
    gateway.enqueue("POST", CHAT, chunks=[body])
    with pytest.raises(StreamError, match=r"after 4 events without the '\[DONE\]'"):
        await events_of(any_client().create_chat_completion_stream(model=MODEL, messages=MESSAGES))
    gateway.enqueue("POST", CHAT, chunks=[body])
    with pytest.raises(StreamError, match="incomplete"):
        await chat(any_client().stream_chat_completion(model=MODEL, messages=MESSAGES))


async def test_connection_breaking_mid_stream_raises(
    gateway: FakeGateway, any_client: Callable[..., Any]
) -> None:
    pieces = [sse(c) for c in RECORDED_CHUNKS] + [b"data: [DONE]\n\n"]
    gateway.enqueue("POST", CHAT, chunks=pieces, drop_after_chunks=3)
    received: List[Any] = []
    stream = any_client().stream_chat_completion(model=MODEL, messages=MESSAGES)
    with pytest.raises(StreamError, match=r"stream (broke|ended) after 3 events") as info:
        if hasattr(stream, "__aiter__"):
            async with stream:
                async for item in stream:
                    received.append(item)
        else:
            with stream:
                received.extend(stream)
    assert len(received) == 3
    assert "incomplete" in str(info.value)


@pytest.mark.parametrize(
    "error, status, cls",
    [
        ({"error": {"message": "slow down", "type": "rate_limit", "code": "429"}}, 429, RateLimitError),
        ({"error": "upstream provider failed"}, 500, InternalServerError),
    ],
)
async def test_mid_stream_error_object_raises_typed_error(
    gateway: FakeGateway, any_client: Callable[..., Any], error: Any, status: int, cls: type
) -> None:
    pieces = [sse(c) for c in RECORDED_CHUNKS[:3]] + [sse(error), b"data: [DONE]\n\n"]
    for _ in range(2):
        gateway.enqueue("POST", CHAT, chunks=[b"".join(pieces)])
    client = any_client()

    got: List[Any] = []
    stream = client.create_chat_completion_stream(model=MODEL, messages=MESSAGES)
    with pytest.raises(cls) as info:
        if hasattr(stream, "__aiter__"):
            async for item in stream:
                got.append(item)
        else:
            got.extend(stream)
    assert info.value.status_code == status
    assert len(got) == 3  # the events before the error were delivered

    typed = client.stream_chat_completion(model=MODEL, messages=MESSAGES)
    with pytest.raises(cls, match=r"slow down|upstream provider failed"):
        await chat(typed)


async def test_http_error_status_raises_before_streaming(
    gateway: FakeGateway, any_client: Callable[..., Any]
) -> None:
    gateway.enqueue("POST", CHAT, status=400, json={"error": "bad model"})
    from inference_gateway import BadRequestError

    with pytest.raises(BadRequestError, match="bad model"):
        await chat(any_client(max_retries=0).stream_chat_completion(model=MODEL, messages=MESSAGES))


async def test_litellm_style_chunks_without_finish_reason(
    gateway: FakeGateway, any_client: Callable[..., Any]
) -> None:
    """LiteLLM omits finish_reason on most chunks and sends explicit nulls elsewhere."""
    pieces = [
        sse(chunk({"role": "assistant", "content": None, "tool_calls": None}, omit_finish=True)),
        sse(chunk({"content": "Hi", "role": None, "tool_calls": None}, omit_finish=True)),
        sse(chunk({"content": " there"}, None)),
        sse(chunk({}, "stop")),
        b"data: [DONE]\n\n",
    ]
    gateway.enqueue("POST", CHAT, chunks=pieces)
    chunks, final = await chat(any_client().stream_chat_completion(model=MODEL, messages=MESSAGES))
    assert [c.choices[0].finish_reason for c in chunks[:3]] == [None, None, None]
    assert final.choices[0].message.content.root == "Hi there"
    assert final.choices[0].finish_reason.root == "stop"


async def test_keep_alives_and_blank_data_are_skipped_by_typed_stream(
    gateway: FakeGateway, any_client: Callable[..., Any]
) -> None:
    pieces = [
        b": ping\n\n",
        b"data:\n\n",
        sse(chunk({"content": "a"})),
        b"event: ping\ndata: {}\n\n",
        sse(chunk({"content": "b"}, "stop")),
        b"data: [DONE]\n\n",
    ]
    gateway.enqueue("POST", CHAT, chunks=pieces)
    chunks, final = await chat(any_client().stream_chat_completion(model=MODEL, messages=MESSAGES))
    assert len(chunks) == 2
    assert final.choices[0].message.content.root == "ab"


async def test_canned_stream_of_the_fake_gateway(any_client: Callable[..., Any]) -> None:
    client = any_client()
    stream = client.stream_chat_completion(
        model=MODEL, messages=[Message(role="user", content="hello streaming world")]
    )
    _, final = await chat(stream)
    assert final.choices[0].message.content.root == "echo: hello streaming world"


def test_close_mid_stream_releases_the_connection(gateway: FakeGateway, client: Callable[..., Any]) -> None:
    gateway.enqueue("POST", CHAT, chunks=[sse(c) for c in RECORDED_CHUNKS] + [b"data: [DONE]\n\n"])
    c = client()
    with c.stream_chat_completion(model=MODEL, messages=MESSAGES) as stream:
        first = next(iter(stream))
        assert first.choices[0].delta.role.root == "assistant"
        response = stream.response
    assert response is not None and response.is_closed
    # the client is still usable afterwards
    assert c.create_chat_completion(model=MODEL, messages=MESSAGES).choices


def test_text_stream(gateway: FakeGateway, client: Callable[..., Any]) -> None:
    gateway.enqueue("POST", CHAT, chunks=[recorded_bytes()])
    with client().stream_chat_completion(model=MODEL, messages=MESSAGES) as stream:
        assert "".join(stream.text_stream) == "Checking Paris ☀ and Rome."
        assert stream.get_final_completion().usage.total_tokens == 26


async def test_async_text_stream(gateway: FakeGateway, async_client: Callable[..., Any]) -> None:
    gateway.enqueue("POST", CHAT, chunks=[recorded_bytes()])
    async with async_client().stream_chat_completion(model=MODEL, messages=MESSAGES) as stream:
        pieces = [p async for p in stream.text_stream]
        assert "".join(pieces) == "Checking Paris ☀ and Rome."
        assert await stream.get_final_text() == "Checking Paris ☀ and Rome."


def test_connection_is_reused_after_a_complete_stream(client: Callable[..., Any]) -> None:
    """What follows [DONE] (the end of the body) is read, so the connection returns to the pool."""
    import httpx

    http = httpx.Client()
    c = client(http_client=http)
    for _ in range(3):
        with c.stream_chat_completion(model=MODEL, messages=MESSAGES) as stream:
            stream.until_done()
    connections = http._transport._pool.connections  # type: ignore[attr-defined]
    assert len(connections) == 1
    http.close()


@pytest.mark.parametrize("split", ["whole", "random"])
async def test_gzip_encoded_stream(gateway: FakeGateway, any_client: Callable[..., Any], split: str) -> None:
    """A content-encoded body goes through httpx's decoder, then the same parser."""
    import gzip

    body = gzip.compress(recorded_bytes())
    gateway.enqueue(
        "POST",
        CHAT,
        headers={"content-type": "text/event-stream", "content-encoding": "gzip"},
        chunks=SPLITS[split](body),
    )
    chunks, final = await chat(any_client().stream_chat_completion(model=MODEL, messages=MESSAGES))
    assert len(chunks) == len(RECORDED_CHUNKS)
    assert final.choices[0].message.content.root == "Checking Paris ☀ and Rome."


async def test_raw_stream_keeps_event_types_and_ids(
    gateway: FakeGateway, any_client: Callable[..., Any]
) -> None:
    pieces = [
        b"retry: 3000\nid: 1\nevent: content-delta\ndata: {\"a\": 1}\n\n",
        b"data: line one\ndata: line two\n\n",
        b"data: [DONE]\n\n",
    ]
    gateway.enqueue("POST", CHAT, chunks=pieces)
    events = await events_of(any_client().create_chat_completion_stream(model=MODEL, messages=MESSAGES))
    assert [(e.event, e.data, e.id, e.retry) for e in events] == [
        ("content-delta", '{"a": 1}', "1", 3000),
        ("message", "line one\nline two", "1", None),
    ]
