"""Every generated operation, sync and async, against the fake gateway: what is sent, what is parsed."""

from __future__ import annotations

import inspect
from pathlib import Path
from typing import Any, Callable, Dict, List

import httpx
import pytest
import yaml
from inference_gateway import (
    AsyncInferenceGatewayClient,
    InferenceGatewayClient,
    ListModelsResponse,
    Message,
    PermissionDeniedError,
    Provider,
)
from inference_gateway._operations import AsyncOperations, SyncOperations
from inference_gateway.models import (
    A2AAgentCard,
    CreateChatCompletionResponse,
    CreateChatCompletionStreamResponse,
    ListAgentsResponse,
    ListToolsResponse,
)

from tests.bundled.sdk._helpers import collect, resolve
from tests.bundled.streaming._streams import sse
from tests.fakegw import FakeGateway

SPEC = Path(__file__).resolve().parents[3] / "specs" / "openapi.yaml"
HELLO = [Message(role="user", content="Hello there")]


def _operations() -> List[str]:
    return sorted(
        name
        for name, value in vars(SyncOperations).items()
        if inspect.isfunction(value) and not name.startswith("_")
    )


# How each generated method is exercised below (a new spec operation must be added here).
# The Responses, Messages, Images and metrics methods are exercised in test_gateway_apis.py.
COVERED = {
    "create_chat_completion",
    "create_chat_completion_stream",
    "create_image",
    "create_image_edit",
    "create_image_variation",
    "create_message",
    "create_message_stream",
    "create_response",
    "create_response_stream",
    "get_agent",
    "health_check",
    "list_agents",
    "list_models",
    "list_tools",
    "proxy_delete",
    "proxy_get",
    "proxy_patch",
    "proxy_post",
    "proxy_put",
    "push_metrics",
}


def test_every_generated_operation_is_covered_and_has_an_async_twin() -> None:
    assert set(_operations()) == COVERED
    for name in _operations():
        sync, async_ = getattr(SyncOperations, name), getattr(AsyncOperations, name)
        if name.endswith("_stream"):
            assert not inspect.iscoroutinefunction(async_)
        else:
            assert inspect.iscoroutinefunction(async_), name
        assert list(inspect.signature(sync).parameters) == list(inspect.signature(async_).parameters)


# A valid request of each spec path that takes one (the others get a chat body or none).
_BODIES: Dict[str, Dict[str, Any]] = {
    "/v1/responses": {"json": {"model": "openai/gpt-4o", "input": "hi"}},
    "/v1/messages": {
        "json": {"model": "anthropic/claude-opus-4-8", "max_tokens": 5, "messages": [{"role": "user", "content": "hi"}]}
    },
    "/v1/images/generations": {"json": {"prompt": "a cat"}},
    "/v1/images/edits": {"files": {"image": ("cat.png", b"png", "image/png")}, "data": {"prompt": "a hat"}},
    "/v1/images/variations": {"files": {"image": ("cat.png", b"png", "image/png")}},
    "/v1/metrics": {"json": {"resourceMetrics": []}},
}


def test_fake_gateway_serves_every_spec_operation(gateway: FakeGateway) -> None:
    spec = yaml.safe_load(SPEC.read_text())
    fill = {"{provider}": "openai", "{path}": "v1/embeddings", "{id}": "calendar-agent"}
    chat = {"json": {"model": "openai/gpt-4o", "messages": [{"role": "user", "content": "hi"}]}}
    for path, item in spec["paths"].items():
        for method in ("get", "post", "put", "patch", "delete"):
            if method not in item:
                continue
            url = path
            for key, value in fill.items():
                url = url.replace(key, value)
            response = httpx.request(method.upper(), gateway.url + url, **_BODIES.get(path, chat))
            assert response.status_code == 200, (method, path, response.text)


async def test_list_models(any_client: Callable[..., Any], gateway: FakeGateway) -> None:
    client = any_client()
    models = await resolve(client.list_models())
    assert isinstance(models, ListModelsResponse)
    assert {m.served_by.root for m in models.data} >= {"openai", "anthropic", "google"}
    assert gateway.last.query == {}

    for provider in (Provider("openai"), "openai"):
        only = await resolve(client.list_models(provider=provider))
        assert [m.id for m in only.data] == ["openai/gpt-4o"]
        assert only.provider is not None and only.provider.root == "openai"
        assert gateway.last.query == {"provider": "openai"}


async def test_providers_and_finish_reasons_this_sdk_does_not_know_yet_still_parse(
    any_client: Callable[..., Any], gateway: FakeGateway
) -> None:
    # Provider and FinishReason are open enums: a gateway newer than the SDK must not break it.
    client = any_client()
    gateway.enqueue(
        "GET",
        "/v1/models",
        json={
            "object": "list",
            "data": [
                {"id": "llamacpp/qwen3", "object": "model", "created": 1, "owned_by": "llamacpp", "served_by": "llamacpp"},
                {"id": "groq/llama-4", "object": "model", "created": 2, "owned_by": "groq", "served_by": "groq"},
            ],
        },
    )
    models = await resolve(client.list_models())
    assert [m.served_by.root for m in models.data] == ["llamacpp", "groq"]
    completion = {
        "id": "c1",
        "object": "chat.completion",
        "created": 1,
        "model": "google/gemini-3",
        "choices": [
            {"index": 0, "message": {"role": "assistant", "content": ""}, "finish_reason": "safety"}
        ],
    }
    gateway.enqueue("POST", "/v1/chat/completions", json=completion)
    response = await resolve(client.create_chat_completion("google/gemini-3", HELLO))
    assert response.choices[0].finish_reason.root == "safety"
    assert gateway.last.query == {}

    chunk = {**completion, "object": "chat.completion.chunk"}
    chunk["choices"] = [{"index": 0, "delta": {}, "finish_reason": "end_turn"}]
    gateway.enqueue("POST", "/v1/chat/completions", chunks=[sse(chunk), b"data: [DONE]\n\n"])
    events = await collect(client.create_chat_completion_stream("google/gemini-3", HELLO))
    parsed = CreateChatCompletionStreamResponse.model_validate_json(events[0].data)
    assert parsed.choices[0].finish_reason is not None
    assert parsed.choices[0].finish_reason.root == "end_turn"


async def test_create_chat_completion(any_client: Callable[..., Any], gateway: FakeGateway) -> None:
    client = any_client()
    response = await resolve(
        client.create_chat_completion(
            "deepseek/deepseek-v4-flash",
            HELLO,
            max_tokens=10,
            temperature=0.5,
            provider="deepseek",
        )
    )
    assert isinstance(response, CreateChatCompletionResponse)
    assert response.choices[0].message.content.root == "echo: Hello there"
    sent = gateway.last
    assert sent.path == "/v1/chat/completions"
    assert sent.query == {"provider": "deepseek"}
    assert sent.body == {
        "model": "deepseek/deepseek-v4-flash",
        "messages": [{"role": "user", "content": "Hello there"}],
        "max_tokens": 10,
        "temperature": 0.5,
    }
    assert sent.headers["content-type"] == "application/json"


async def test_create_chat_completion_stream(any_client: Callable[..., Any], gateway: FakeGateway) -> None:
    client = any_client()
    events = await collect(
        client.create_chat_completion_stream(
            "deepseek/deepseek-v4-flash", HELLO, stream_options={"include_usage": True}
        )
    )
    chunks = [CreateChatCompletionStreamResponse.model_validate_json(e.data) for e in events]
    text = "".join(c.delta.content or "" for chunk in chunks for c in chunk.choices)
    assert text == "echo: Hello there"
    finishes = [c.finish_reason for chunk in chunks for c in chunk.choices]
    assert finishes[:-1] == [None] * (len(finishes) - 1) and finishes[-1].root == "stop"
    assert chunks[-1].usage is not None and chunks[-1].choices == []
    sent = gateway.last
    assert sent.body["stream"] is True
    assert sent.headers["accept"] == "text/event-stream"


async def test_list_tools_and_403_when_not_exposed(
    any_client: Callable[..., Any], gateway: FakeGateway
) -> None:
    client = any_client()
    tools = await resolve(client.list_tools())
    assert isinstance(tools, ListToolsResponse)
    assert tools.data[0].name == "read_file"
    assert tools.data[0].input_schema is not None and tools.data[0].input_schema["required"] == ["file_path"]

    gateway.mcp_exposed = False
    with pytest.raises(PermissionDeniedError) as info:
        await resolve(client.list_tools())
    assert info.value.status_code == 403
    assert info.value.message == "MCP tools endpoint is not exposed"


@pytest.mark.filterwarnings("ignore:.*is deprecated:DeprecationWarning")  # see test_gateway_apis.py
async def test_agents(any_client: Callable[..., Any], gateway: FakeGateway) -> None:
    client = any_client()
    agents = await resolve(client.list_agents())
    assert isinstance(agents, ListAgentsResponse)
    assert [a.name for a in agents.data] == ["calendar-agent"]
    card = await resolve(client.get_agent("calendar-agent"))
    assert isinstance(card, A2AAgentCard) and card.capabilities.streaming is True
    assert gateway.last.path == "/v1/a2a/agents/calendar-agent"


@pytest.mark.parametrize("verb", ["get", "delete", "post", "put", "patch"])
async def test_generated_proxy_methods(
    any_client: Callable[..., Any], gateway: FakeGateway, verb: str
) -> None:
    client = any_client()
    method = getattr(client, f"proxy_{verb}")
    kwargs: Dict[str, Any] = {"body": {"input": "Hello world"}} if verb in ("post", "put", "patch") else {}
    result = await resolve(method(Provider("openai"), "v1/files/a b", extra_query={"q": "1"}, **kwargs))
    echoed = result.model_dump()
    assert echoed["method"] == verb.upper()
    assert echoed["provider"] == "openai"
    assert echoed["path"] == "v1/files/a b"  # sub-path keeps "/", the space is percent-encoded
    assert gateway.last.path == "/proxy/openai/v1/files/a%20b"
    assert echoed["query"] == {"q": "1"}
    assert echoed["body"] == kwargs.get("body")


async def test_health_check_generated_and_helper(any_client: Callable[..., Any], gateway: FakeGateway) -> None:
    client = any_client()
    assert await resolve(client.health_check()) is True
    base = SyncOperations if isinstance(client, InferenceGatewayClient) else AsyncOperations
    assert await resolve(base.health_check(client)) is None  # the generated operation itself
    gateway.healthy = False
    assert await resolve(client.health_check()) is False
    assert [r.path for r in gateway.requests] == ["/health"] * 3  # the probe does not retry


async def test_proxy_request_helper(any_client: Callable[..., Any], gateway: FakeGateway) -> None:
    client = any_client()
    result = await resolve(client.proxy_request(provider="openai", path="models"))
    assert result == {"method": "GET", "provider": "openai", "path": "models", "query": {}, "body": None}
    assert isinstance(result, dict)
    posted = await resolve(
        client.proxy_request(Provider("anthropic"), "/v1/messages", method="post", json_data={"a": [1, None]})
    )
    assert posted["method"] == "POST" and posted["path"] == "v1/messages"
    assert posted["body"] == {"a": [1, None]}
    compat = await resolve(
        client.proxy_request("openai", "models", params={"limit": "2"}, headers={"X-Org": "o1"})
    )
    assert compat["query"] == {"limit": "2"} and gateway.last.headers["x-org"] == "o1"
    with pytest.raises(ValueError, match="json_data cannot be sent with GET"):
        await resolve(client.proxy_request("openai", "x", json_data={"a": 1}))
    with pytest.raises(ValueError, match="method must be one of"):
        await resolve(client.proxy_request("openai", "x", method="TRACE"))


def test_async_client_type() -> None:
    assert issubclass(AsyncInferenceGatewayClient, AsyncOperations)
    assert issubclass(InferenceGatewayClient, SyncOperations)
