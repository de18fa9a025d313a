"""Natural values (string wrappers read as their plain value, `.root` kept) and strict
arguments (unknown keywords refused, explicit extras, `stream=True` refused, NOT_GIVEN vs null),
against the fake gateway, sync and async."""

from __future__ import annotations

from typing import Any, Callable

import pytest
from inference_gateway import NOT_GIVEN, Message, MessageRole, Provider, StrValue
from inference_gateway.models import (
    ChatCompletionStreamResponseDelta,
    CreateChatCompletionResponse,
    CreateChatCompletionStreamResponse,
    Model,
)
from pydantic import ValidationError

from tests.bundled.sdk._helpers import resolve
from tests.fakegw import FakeGateway

HELLO = [Message(role="user", content="Hello there")]


def test_string_values_compare_hash_and_print_as_plain_values() -> None:
    message = Message(role="user", content="hi")
    assert message.role == "user" and message.content == "hi"
    assert {message.role: 1}["user"] == 1 and hash(message.content) == hash("hi")
    assert str(message.content) == "hi" and repr(message.role) == "'user'" and f"{message.role}" == "user"
    assert "content='hi'" in repr(message) and "root=" not in repr(message)
    # code written for the RootModel wrappers keeps working
    assert message.content.root == "hi" and message.role.root == "user"  # type: ignore[union-attr]
    assert isinstance(message.role, StrValue) and type(message.role.root) is str  # type: ignore[union-attr]
    assert message.model_dump(exclude_none=True) == {"role": "user", "content": "hi"}
    assert message.model_dump_json(exclude_none=True) == '{"role":"user","content":"hi"}'


def test_wrapper_instances_and_dicts_still_build_models() -> None:
    built = Message(role=MessageRole("tool"), content="42", tool_call_id="c1")  # type: ignore[arg-type]
    assert built.role == "tool" and isinstance(built.role, StrValue)
    model = Model.model_validate(
        {"id": "openai/gpt-4o", "object": "model", "created": 1, "owned_by": "openai", "served_by": "openai"}
    )
    assert model.served_by == "openai" and model.served_by.root == "openai"  # type: ignore[union-attr]
    assert Model(id="x", object="model", created=1, owned_by="o", served_by=Provider("groq")).served_by == "groq"  # type: ignore[arg-type]
    parts = Message.model_validate({"role": "user", "content": [{"type": "text", "text": "x"}]})
    assert isinstance(parts.content, list) and parts.content.root == parts.content  # type: ignore[union-attr]
    assert parts.model_dump(exclude_none=True) == {"role": "user", "content": [{"type": "text", "text": "x"}]}


def test_closed_values_stay_closed_and_open_ones_take_new_values() -> None:
    with pytest.raises(ValidationError, match="role"):
        Message(role="narrator", content="x")  # type: ignore[arg-type]
    assert Model.model_validate(
        {"id": "m", "object": "model", "created": 1, "owned_by": "o", "served_by": "brand-new"}
    ).served_by == "brand-new"


def test_deltas_and_full_messages_read_the_same_way() -> None:
    chunk = CreateChatCompletionStreamResponse.model_validate(
        {
            "id": "c",
            "object": "chat.completion.chunk",
            "created": 1,
            "model": "m",
            "choices": [{"index": 0, "delta": {"role": "assistant", "content": "hi"}, "finish_reason": "stop"}],
        }
    )
    delta: ChatCompletionStreamResponseDelta = chunk.choices[0].delta
    assert delta.role == "assistant" and delta.content == "hi" and chunk.choices[0].finish_reason == "stop"


async def test_response_values_are_plain(any_client: Callable[..., Any], gateway: FakeGateway) -> None:
    response = await resolve(any_client().create_chat_completion("deepseek/deepseek-v4-flash", HELLO))
    assert isinstance(response, CreateChatCompletionResponse)
    choice = response.choices[0]
    assert choice.message.content == "echo: Hello there" and choice.message.role == "assistant"
    assert choice.finish_reason == "stop"
    assert choice.message.content.root == "echo: Hello there"  # type: ignore[union-attr]


async def test_unknown_keyword_is_a_type_error_and_nothing_is_sent(
    any_client: Callable[..., Any], gateway: FakeGateway
) -> None:
    client = any_client()
    before = len(gateway.requests)
    with pytest.raises(TypeError, match="temprature"):
        await resolve(client.create_chat_completion("m", HELLO, temprature=0.2))
    with pytest.raises(TypeError, match="temprature"):
        client.create_chat_completion_stream("m", HELLO, temprature=0.2)
    assert len(gateway.requests) == before


async def test_stream_true_names_the_streaming_method(any_client: Callable[..., Any], gateway: FakeGateway) -> None:
    client = any_client()
    before = len(gateway.requests)
    with pytest.raises(TypeError, match=r"create_chat_completion_stream\(\)"):
        await resolve(client.create_chat_completion("m", HELLO, stream=True))
    assert len(gateway.requests) == before


async def test_extra_body_none_and_not_given(any_client: Callable[..., Any], gateway: FakeGateway) -> None:
    client = any_client()
    await resolve(
        client.create_chat_completion(
            "m", HELLO, temperature=None, max_tokens=NOT_GIVEN, extra_body={"top_k": 5, "seed": None}
        )
    )
    assert gateway.last.body == {
        "model": "m",
        "messages": [{"role": "user", "content": "Hello there"}],
        "temperature": None,
        "top_k": 5,
        "seed": None,
    }
