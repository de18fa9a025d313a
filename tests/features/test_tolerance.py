"""Strict on what we send, tolerant on what we receive: payloads as real OpenAI- and
Anthropic-style servers send them, through the fake gateway and the generated clients."""

from __future__ import annotations

import importlib
import json
import sys
from types import ModuleType
from typing import Any, Callable, Dict, List

import pydantic
import pytest

from tests.fakegw import FakeGateway
from tests.generator.helpers import generate

from .conftest import UPSTREAM


def _sse(*payloads: Any, event: str = "") -> List[bytes]:
    head = f"event: {event}\n" if event else ""
    return [f"{head}data: {json.dumps(p)}\n\n".encode() for p in payloads] + [b"data: [DONE]\n\n"]


def _chunk(choices: List[Dict[str, Any]], **extra: Any) -> Dict[str, Any]:
    base = {
        "id": "chatcmpl-1",
        "object": "chat.completion.chunk",
        "created": 1764547200,
        "model": "gpt-4o",
    }
    return {**base, "system_fingerprint": None, "choices": choices, **extra}


# An OpenAI stream as it arrives: role only in the first delta, `finish_reason: null` until the
# end, an empty `delta: {}` with the finish reason, a usage chunk with no choices, fields the
# spec does not know (`service_tier`, `obfuscation`, `prompt_tokens_details`).
OPENAI_STREAM = _sse(
    _chunk(
        [
            {
                "index": 0,
                "delta": {"role": "assistant", "content": "", "refusal": None},
                "logprobs": None,
                "finish_reason": None,
            }
        ]
    ),
    _chunk(
        [{"index": 0, "delta": {"content": "Hel"}, "logprobs": None, "finish_reason": None}],
        service_tier="default",
    ),
    _chunk([{"index": 0, "delta": {"content": "lo"}, "finish_reason": None}], obfuscation="Zx9"),
    _chunk([{"index": 0, "delta": {}, "logprobs": None, "finish_reason": "stop"}]),
    _chunk(
        [],
        usage={
            "prompt_tokens": 5,
            "completion_tokens": 2,
            "total_tokens": 7,
            "prompt_tokens_details": {"cached_tokens": 0},
        },
    ),
)

# Gemini's OpenAI-compatible endpoint: no `index` on choices or tool calls, no `id`/`created`.
GEMINI_TOOL_STREAM = _sse(
    {
        "object": "chat.completion.chunk",
        "model": "gemini-2.5-flash",
        "choices": [
            {
                "delta": {
                    "role": "assistant",
                    "tool_calls": [
                        {
                            "id": "call_a",
                            "type": "function",
                            "function": {"name": "get_weather", "arguments": '{"city": "Paris"}'},
                        },
                        {
                            "id": "call_b",
                            "type": "function",
                            "function": {"name": "get_weather", "arguments": '{"city": "Rome"}'},
                        },
                    ],
                }
            }
        ],
    },
    {
        "object": "chat.completion.chunk",
        "model": "gemini-2.5-flash",
        "choices": [{"delta": {}, "finish_reason": "tool_calls"}],
    },
)

# A non-streamed OpenAI answer with a tool call: `content: null`, `refusal`, `annotations`.
OPENAI_COMPLETION = {
    "id": "chatcmpl-2",
    "object": "chat.completion",
    "created": 1764547200,
    "model": "gpt-4o",
    "choices": [
        {
            "index": 0,
            "message": {
                "role": "assistant",
                "content": None,
                "refusal": None,
                "annotations": [],
                "tool_calls": [
                    {
                        "id": "call_1",
                        "type": "function",
                        "function": {"name": "f", "arguments": "{}"},
                    }
                ],
            },
            "logprobs": None,
            "finish_reason": "tool_calls",
        }
    ],
    "usage": {
        "prompt_tokens": 9,
        "completion_tokens": 3,
        "total_tokens": 12,
        "completion_tokens_details": {"reasoning_tokens": 0},
    },
    "service_tier": "default",
    "system_fingerprint": "fp_1",
}

# Anthropic's Messages stream: named events; `message_delta` carries usage with only
# `output_tokens` (the contract requires `input_tokens`, with `default: 0`).
ANTHROPIC_STREAM = [
    f"event: {name}\ndata: {json.dumps(payload)}\n\n".encode()
    for name, payload in [
        (
            "message_start",
            {
                "type": "message_start",
                "message": {
                    "id": "msg_1",
                    "type": "message",
                    "role": "assistant",
                    "model": "claude-sonnet-4-5",
                    "content": [],
                    "stop_reason": None,
                    "stop_sequence": None,
                    "usage": {"input_tokens": 25, "output_tokens": 1},
                },
            },
        ),
        (
            "content_block_start",
            {
                "type": "content_block_start",
                "index": 0,
                "content_block": {"type": "text", "text": ""},
            },
        ),
        ("ping", {"type": "ping"}),
        (
            "content_block_delta",
            {
                "type": "content_block_delta",
                "index": 0,
                "delta": {"type": "text_delta", "text": "Hi"},
            },
        ),
        ("content_block_stop", {"type": "content_block_stop", "index": 0}),
        (
            "message_delta",
            {
                "type": "message_delta",
                "delta": {"stop_reason": "end_turn", "stop_sequence": None},
                "usage": {"output_tokens": 15},
            },
        ),
        ("message_stop", {"type": "message_stop"}),
    ]
]


def _value(field: Any) -> Any:
    """A field's plain value (named enums and content unions are RootModels)."""
    return getattr(field, "root", field)


def _enqueue(gateway: FakeGateway, path: str, **reply: Any) -> None:
    """Script the bundled layout's path; for the contract's relative paths script both the
    version-prefixed and the root form, whichever the runtime's base-path rule sends to."""
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
    assert _value(final.choices[0].message.content) == "Hello"
    assert _value(final.choices[0].message.role) == "assistant"
    assert _value(final.choices[0].finish_reason) == "stop"
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
    assert answer.usage.model_extra == {"completion_tokens_details": {"reasoning_tokens": 0}}


# -- the gateway's published contract, generated with the default (lenient) and strict modes --


@pytest.fixture(scope="module")
def strict_upstream(tmp_path_factory: pytest.TempPathFactory) -> ModuleType:
    out = tmp_path_factory.mktemp("strict")
    generate(UPSTREAM, out, "upstream_strict", "--response-required", "strict")
    sys.path.insert(0, str(out))
    try:
        return importlib.import_module("upstream_strict.models")
    finally:
        sys.path.remove(str(out))


def _both_layouts(gateway: FakeGateway, path: str, chunks: List[bytes]) -> None:
    for prefix in ("", "/v1"):
        gateway.enqueue(
            "POST", prefix + path, headers={"content-type": "text/event-stream"}, chunks=chunks
        )


@pytest.mark.parametrize("flavour", ["sync", "async"])
async def test_upstream_contract_streams_parse_real_openai_chunks(
    upstream_sdk: ModuleType, gateway: FakeGateway, flavour: str
) -> None:
    """The contract requires `delta.role`, `delta.content` and a non-null `finish_reason`;
    the generated models accept the chunks real servers send anyway."""
    _both_layouts(gateway, "/chat/completions", OPENAI_STREAM)
    model = upstream_sdk.models.CreateChatCompletionStreamResponse
    messages = [{"role": "user", "content": "hi"}]
    if flavour == "sync":
        with upstream_sdk.InferenceGatewayClient(base_url=gateway.base_url) as sdk:
            chunks = list(sdk.create_chat_completion_stream("gpt-4o", messages).typed(model))
    else:
        async with upstream_sdk.AsyncInferenceGatewayClient(base_url=gateway.base_url) as asdk:
            chunks = [
                c async for c in asdk.create_chat_completion_stream("gpt-4o", messages).typed(model)
            ]
    assert [c.choices[0].delta.content for c in chunks[:4]] == ["", "Hel", "lo", None]
    assert chunks[0].choices[0].finish_reason is None and chunks[4].usage.total_tokens == 7


@pytest.mark.parametrize("flavour", ["sync", "async"])
async def test_upstream_contract_parses_a_real_anthropic_message_stream(
    upstream_sdk: ModuleType, gateway: FakeGateway, flavour: str
) -> None:
    _both_layouts(gateway, "/messages", ANTHROPIC_STREAM)
    event_model = upstream_sdk.models.MessagesStreamEvent
    args = ("claude-sonnet-4-5", 64, [{"role": "user", "content": "hi"}])
    if flavour == "sync":
        with upstream_sdk.InferenceGatewayClient(base_url=gateway.base_url) as sdk:
            events = [
                (e.event, event_model.model_validate_json(e.data))
                for e in sdk.create_message_stream(*args)
            ]
    else:
        async with upstream_sdk.AsyncInferenceGatewayClient(base_url=gateway.base_url) as asdk:
            events = [
                (e.event, event_model.model_validate_json(e.data))
                async for e in asdk.create_message_stream(*args)
            ]
    assert [name for name, _ in events][-2:] == ["message_delta", "message_stop"]
    start, delta = events[0][1], events[-2][1]
    assert start.message.stop_reason is None and start.message.usage.input_tokens == 25
    assert delta.usage.output_tokens == 15 and delta.usage.input_tokens == 0  # `default: 0`
    assert delta.delta.stop_reason == "end_turn" and delta.delta.stop_sequence is None


async def test_upstream_contract_takes_a_provider_newer_than_the_sdk(
    upstream_sdk: ModuleType, gateway: FakeGateway
) -> None:
    """`Provider` is a closed enum in the contract, sent only as a query parameter: it is opened,
    so a gateway that serves a newer provider does not fail `list_models`; request-body enums
    (`MessageRole`) stay closed."""
    model = {
        "id": "newco/m1",
        "object": "model",
        "created": 1,
        "owned_by": "newco",
        "served_by": "newco",
    }
    for prefix in ("", "/v1"):
        gateway.enqueue("GET", prefix + "/models", json={"object": "list", "data": [model]})
    with upstream_sdk.InferenceGatewayClient(base_url=gateway.base_url) as sdk:
        listed = sdk.list_models(provider="newco")
    assert _value(listed.data[0].served_by) == "newco"
    assert gateway.last.query == {"provider": "newco"}
    with pytest.raises(pydantic.ValidationError):
        upstream_sdk.models.MessageRole.model_validate("narrator")


def test_strict_mode_and_request_models_keep_the_contract(
    upstream_sdk: ModuleType, strict_upstream: ModuleType
) -> None:
    last_chunk = json.loads(OPENAI_STREAM[3].decode()[len("data: ") :])
    upstream_sdk.models.CreateChatCompletionStreamResponse.model_validate(last_chunk)
    with pytest.raises(pydantic.ValidationError, match=r"choices\.0\.delta\.role\s+Field required"):
        strict_upstream.CreateChatCompletionStreamResponse.model_validate(last_chunk)
    # a default still makes a received field optional in strict mode
    assert strict_upstream.MessagesUsage.model_validate({"output_tokens": 15}).input_tokens == 0
    # request models are never relaxed: a request without its model is refused before sending
    for models in (upstream_sdk.models, strict_upstream):
        with pytest.raises(pydantic.ValidationError, match=r"model\s+Field required"):
            models.CreateChatCompletionRequest.model_validate(
                {"messages": [{"role": "user", "content": "hi"}]}
            )


@pytest.mark.parametrize("flavour", ["sync", "async"])
async def test_chat_helpers_on_the_upstream_contract(
    upstream_sdk: ModuleType, gateway: FakeGateway, flavour: str
) -> None:
    """The chat mixin calls the generated method by keyword, whatever order the spec gives
    the required body fields, and types the chunks with the spec's own stream model."""
    _both_layouts(gateway, "/chat/completions", OPENAI_STREAM)
    messages = [{"role": "user", "content": "hi"}]
    if flavour == "sync":
        sdk = upstream_sdk.InferenceGatewayClient(base_url=gateway.base_url)
        with sdk, sdk.stream_chat_completion(model="gpt-4o", messages=messages) as stream:
            text = "".join(stream.text_stream)
    else:
        asdk = upstream_sdk.AsyncInferenceGatewayClient(base_url=gateway.base_url)
        async with asdk, asdk.stream_chat_completion(model="gpt-4o", messages=messages) as astream:
            text = "".join([t async for t in astream.text_stream])
    sent = json.loads(gateway.last.raw)
    assert text == "Hello"
    assert sent["model"] == "gpt-4o" and sent["stream"] is True
    assert sent["stream_options"] == {"include_usage": True}
