"""Plain dicts as request arguments (the TypedDict twins of params.py): sent as given, and
checked before anything is sent (unknown keys, wrong types), sync and async, against the fake
gateway."""

from __future__ import annotations

from typing import Any, Callable

import pytest
from inference_gateway import NOT_GIVEN, InvalidRequestError, Message
from inference_gateway.models import ChatCompletionMessageToolCall

from tests.bundled.sdk._helpers import resolve
from tests.fakegw import FakeGateway

TOOL = {
    "type": "function",
    "function": {
        "name": "get_weather",
        "description": "Weather of a city.",
        "parameters": {
            "type": "object",
            "properties": {"city": {"type": "string"}},
            "required": ["city"],
            "additionalProperties": False,  # FunctionParameters takes any JSON Schema keyword
        },
    },
}


async def test_dict_arguments_are_sent_as_given(
    any_client: Callable[..., Any], gateway: FakeGateway
) -> None:
    messages = (
        {"role": "system", "content": "Be brief."},
        {
            "role": "user",
            "content": [
                {"type": "text", "text": "Look:"},
                {
                    "type": "image_url",
                    "image_url": {"url": "https://example.com/a.png"},
                },
            ],
        },
        {
            "role": "assistant",
            "content": None,
            "tool_calls": [
                {
                    "id": "c1",
                    "type": "function",
                    "function": {"name": "get_weather", "arguments": "{}"},
                }
            ],
        },
        {"role": "tool", "content": "sunny", "tool_call_id": "c1"},
    )
    await resolve(
        any_client().create_chat_completion(
            "m",
            messages,
            tools=[TOOL],
            tool_choice={"type": "function", "function": {"name": "get_weather"}},
            response_format={"type": "json_object"},
            temperature=None,
            max_tokens=NOT_GIVEN,
        )
    )
    assert gateway.last.body == {
        "model": "m",
        "messages": [dict(m) for m in messages],
        "tools": [TOOL],
        "tool_choice": {"type": "function", "function": {"name": "get_weather"}},
        "response_format": {"type": "json_object"},
        "temperature": None,
    }


async def test_models_and_dicts_mix(
    any_client: Callable[..., Any], gateway: FakeGateway
) -> None:
    call = ChatCompletionMessageToolCall.model_validate(
        {
            "id": "c1",
            "type": "function",
            "function": {"name": "f", "arguments": "{}"},
            "extra_content": {"google": {"thought_signature": "s"}},
        }
    )
    await resolve(
        any_client().create_chat_completion(
            "m",
            [
                Message(role="user", content="hi"),
                {"role": "assistant", "tool_calls": [call]},
            ],
        )
    )
    sent = gateway.last.body["messages"]
    assert sent[0] == {"role": "user", "content": "hi"}
    assert sent[1]["tool_calls"][0]["extra_content"] == {
        "google": {"thought_signature": "s"}
    }


@pytest.mark.parametrize(
    ("arguments", "named"),
    [
        (
            {"messages": [{"role": "user", "content": "hi", "tool_call_idd": "x"}]},
            r"messages\[0\]\.tool_call_idd: unknown field of Message",
        ),
        (
            {
                "messages": [{"role": "user", "content": "hi"}],
                "tools": [
                    {"type": "function", "function": {"name": "f", "parmeters": {}}}
                ],
            },
            r"tools\[0\]\.function\.parmeters: unknown field of FunctionObject",
        ),
        (
            {"messages": [{"role": "user", "content": [{"type": "text", "txt": "x"}]}]},
            r"messages\.0\.content",
        ),
        ({"messages": [{"role": "usr", "content": "hi"}]}, r"messages\.0\.role"),
        ({"messages": [{"role": "user", "content": 5}]}, r"messages\.0\.content"),
        ({"messages": [{"content": "hi"}]}, r"messages\.0\.role: Field required"),
        (
            {
                "messages": [{"role": "user", "content": "hi"}],
                "stream_options": {"include_usage": "yes"},
            },
            r"stream_options\.include_usage: Input should be a valid boolean",
        ),
        (
            {
                "messages": [
                    {
                        "role": "user",
                        "content": "hi",
                        "tool_calls": [
                            {
                                "id": "c",
                                "type": "function",
                                "function": {"name": "f", "arguments": {}},
                            }
                        ],
                    }
                ]
            },
            r"messages\.0\.tool_calls\.0\.function\.arguments",
        ),
        (
            {
                "messages": [Message(role="user", content="hi")],
                "stream_options": {"include_usag": True},
            },
            r"stream_options\.include_usage: Field required",
        ),
        (
            {
                "messages": [Message(role="user", content="hi")],
                "response_format": {"type": "json_object", "strict": True},
            },
            r"response_format\.strict: unknown field of ResponseFormatJsonObject",
        ),
    ],
)
async def test_bad_dicts_are_refused_before_sending(
    any_client: Callable[..., Any],
    gateway: FakeGateway,
    arguments: dict[str, Any],
    named: str,
) -> None:
    client = any_client()
    before = len(gateway.requests)
    with pytest.raises(InvalidRequestError, match=rf"^createChatCompletion: .*{named}"):
        await resolve(client.create_chat_completion("m", **arguments))
    with pytest.raises(InvalidRequestError, match=named):
        await resolve(_drain(client.create_chat_completion_stream("m", **arguments)))
    assert len(gateway.requests) == before


async def _drain(stream: Any) -> None:
    if hasattr(stream, "__aiter__"):
        async for _ in stream:
            pass
    else:
        for _ in stream:
            pass


async def test_other_apis_take_dicts(
    any_client: Callable[..., Any], gateway: FakeGateway
) -> None:
    client = any_client()
    await resolve(
        client.create_message(
            "m", [{"role": "user", "content": [{"type": "text", "text": "hi"}]}], 64
        )
    )
    assert gateway.last.body["messages"] == [
        {"role": "user", "content": [{"type": "text", "text": "hi"}]}
    ]
    await resolve(client.create_response("m", [{"role": "user", "content": "hi"}]))
    assert gateway.last.body["input"] == [{"role": "user", "content": "hi"}]
    before = len(gateway.requests)
    with pytest.raises(
        InvalidRequestError,
        match=r"createMessages?: messages\[0\]\.contnt: unknown field",
    ):
        await resolve(
            client.create_message(
                "m", [{"role": "user", "content": "hi", "contnt": "x"}], 64
            )
        )
    assert len(gateway.requests) == before
