"""Tolerant on what we receive: the bundled SDK takes payloads as real OpenAI-style servers send
them (missing and null values, unknown fields, tool calls without `index`), sync and async."""

from __future__ import annotations

from typing import Any, Callable

import pytest

from tests.fakegw import FakeGateway

from ._payloads import GEMINI_TOOL_STREAM, OPENAI_COMPLETION, OPENAI_STREAM, value


def _enqueue(gateway: FakeGateway, path: str, **reply: Any) -> None:
    """Script the next answer of `path` (an event stream when `chunks` are given)."""
    gateway.enqueue(
        "POST",
        path,
        headers={"content-type": "text/event-stream"} if "chunks" in reply else {},
        **reply,
    )


@pytest.mark.parametrize("flavour", ["sync", "async"])
async def test_openai_stream_as_sent_by_real_servers(
    gateway: FakeGateway, client: Callable[..., Any], async_client: Callable[..., Any], flavour: str
) -> None:
    _enqueue(gateway, "/v1/chat/completions", chunks=OPENAI_STREAM)
    make = client if flavour == "sync" else async_client
    stream = make().stream_chat_completion(
        model="openai/gpt-4o", messages=[{"role": "user", "content": "hi"}]
    )
    if flavour == "sync":
        with stream:
            chunks = list(stream)
            final = stream.get_final_completion()
    else:
        async with stream:
            chunks = [c async for c in stream]
            final = await stream.get_final_completion()
    assert len(chunks) == 5
    assert chunks[1].model_extra == {"service_tier": "default"}  # unknown fields are kept
    assert chunks[3].choices[0].delta.content is None and chunks[3].choices[0].delta.role is None
    assert value(final.choices[0].message.content) == "Hello"
    assert value(final.choices[0].message.role) == "assistant"
    assert value(final.choices[0].finish_reason) == "stop"
    assert final.usage is not None and final.usage.total_tokens == 7


@pytest.mark.parametrize("flavour", ["sync", "async"])
async def test_tool_calls_without_index_from_an_openai_compatible_server(
    gateway: FakeGateway, client: Callable[..., Any], async_client: Callable[..., Any], flavour: str
) -> None:
    _enqueue(gateway, "/v1/chat/completions", chunks=GEMINI_TOOL_STREAM)
    make = client if flavour == "sync" else async_client
    stream = make().stream_chat_completion(
        model="google/gemini-2.5-flash", messages=[{"role": "user", "content": "weather?"}]
    )
    if flavour == "sync":
        with stream:
            final = stream.get_final_completion()
    else:
        async with stream:
            final = await stream.get_final_completion()
    calls = final.choices[0].message.tool_calls
    assert [(c.id, c.function.arguments) for c in calls] == [
        ("call_a", '{"city": "Paris"}'),
        ("call_b", '{"city": "Rome"}'),
    ]


@pytest.mark.parametrize("flavour", ["sync", "async"])
async def test_openai_completion_with_null_content_and_unknown_fields(
    gateway: FakeGateway, client: Callable[..., Any], async_client: Callable[..., Any], flavour: str
) -> None:
    gateway.enqueue("POST", "/v1/chat/completions", json=OPENAI_COMPLETION)
    if flavour == "sync":
        answer = client().create_chat_completion(
            "openai/gpt-4o", [{"role": "user", "content": "call f"}]
        )
    else:
        answer = await async_client().create_chat_completion(
            "openai/gpt-4o", [{"role": "user", "content": "call f"}]
        )
    message = answer.choices[0].message
    assert message.content is None and message.tool_calls[0].function.name == "f"
    assert message.model_extra == {"refusal": None, "annotations": []}
    assert answer.model_extra == {"service_tier": "default"}
    details = answer.usage.completion_tokens_details  # a typed field since the 2026-08 contract
    assert details is not None and details.reasoning_tokens == 0


# -- the gateway's published contract, generated with the default (lenient) and strict modes --
