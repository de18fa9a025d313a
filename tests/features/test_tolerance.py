"""Response tolerance of packages generated from the gateway's published contract: real OpenAI
and Anthropic payloads through the fake gateway to the generated clients (sync and async),
lenient against strict, and request models that stay strict."""

from __future__ import annotations

import importlib
import json
import sys
from types import ModuleType
from typing import List

import pydantic
import pytest

from tests.bundled.sdk._payloads import ANTHROPIC_STREAM, OPENAI_STREAM, value
from tests.fakegw import FakeGateway
from tests.generator.helpers import generate

from .conftest import UPSTREAM


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
    args = {"model": "claude-sonnet-4-5", "max_tokens": 64, "messages": [{"role": "user", "content": "hi"}]}
    if flavour == "sync":
        with upstream_sdk.InferenceGatewayClient(base_url=gateway.base_url) as sdk:
            events = [(e.type, e) for e in sdk.create_message_stream(**args)]
    else:
        async with upstream_sdk.AsyncInferenceGatewayClient(base_url=gateway.base_url) as asdk:
            events = [(e.type, e) async for e in asdk.create_message_stream(**args)]
    assert all(isinstance(e, event_model) for _, e in events)  # typed by the stream itself
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
    assert value(listed.data[0].served_by) == "newco"
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
