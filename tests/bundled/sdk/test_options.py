"""Client options: defaults, per-call extras, with_options, bypass headers, env, secrecy, lifecycle."""

from __future__ import annotations

import logging
from typing import Any, Callable

import httpx
import pytest
from inference_gateway import (
    AsyncInferenceGatewayClient,
    AuthenticationError,
    InferenceGatewayClient,
    Message,
    RetryConfig,
)

from tests.bundled.sdk._helpers import close, resolve
from tests.fakegw import FakeGateway

TOKEN = "sk-do-not-leak-me"
HELLO = [Message(role="user", content="hi")]


async def test_default_and_per_call_headers_query_body(
    any_client: Callable[..., Any], gateway: FakeGateway
) -> None:
    client = any_client(
        default_headers={"X-Team": "core", "X-Drop-Me": "1"},
        default_query={"tenant": "t1", "debug": True},
    )
    await resolve(
        client.create_chat_completion(
            "m",
            HELLO,
            extra_headers={"X-Call": "yes", "x-drop-me": None},
            extra_query={"trace": "abc", "tenant": "t2"},
            seed=7,
            extra_body={"top_k": 5, "metadata": {"nested": [1, 2]}},
        )
    )
    sent = gateway.last
    assert sent.headers["x-team"] == "core"
    assert sent.headers["x-call"] == "yes"
    assert "x-drop-me" not in sent.headers  # None removes a default header
    assert sent.query == {"tenant": "t2", "debug": "true", "trace": "abc"}
    assert sent.body["top_k"] == 5 and sent.body["seed"] == 7
    assert sent.body["metadata"] == {"nested": [1, 2]}


async def test_bypass_headers(any_client: Callable[..., Any], gateway: FakeGateway) -> None:
    await resolve(any_client().list_models())
    assert "x-mcp-bypass" not in gateway.last.headers
    assert "x-direct-provider" not in gateway.last.headers
    await resolve(any_client(skip_mcp=True, direct_provider=True).list_models())
    assert gateway.last.headers["x-mcp-bypass"] == "true"
    assert gateway.last.headers["x-direct-provider"] == "true"
    await resolve(any_client().with_options(skip_mcp=True).list_models())
    assert gateway.last.headers["x-mcp-bypass"] == "true"


async def test_with_options_shares_the_pool(any_client: Callable[..., Any], gateway: FakeGateway) -> None:
    client = any_client(default_headers={"X-A": "1"}, default_query={"q": "1"})
    await resolve(client.list_models())
    derived = client.with_options(default_headers={"X-B": "2"}, default_query={"q": None}, timeout=5.0)
    assert derived is not client and type(derived) is type(client)
    assert derived._pool is client._pool
    assert derived._pool.get() is client._pool.get()
    await resolve(derived.list_models())
    assert gateway.last.headers["x-a"] == "1" and gateway.last.headers["x-b"] == "2"
    assert gateway.last.query == {}
    assert derived.timeout == 5.0 and client.timeout == 30.0

    await close(derived)  # closing the copy leaves the shared pool open
    await resolve(client.list_models())
    assert gateway.last.headers.get("x-b") is None

    with pytest.raises(TypeError, match="unknown option"):
        client.with_options(http_client=None)


async def test_env_defaults(
    any_client: Callable[..., Any], gateway: FakeGateway, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("INFERENCE_GATEWAY_URL", gateway.base_url)
    monkeypatch.setenv("INFERENCE_GATEWAY_API_KEY", TOKEN)
    gateway.token = TOKEN
    client = any_client(base_url=None)
    assert client.base_url == gateway.base_url
    assert (await resolve(client.list_models())).data
    assert gateway.last.headers["authorization"] == f"Bearer {TOKEN}"
    explicit = any_client(token="other")
    with pytest.raises(AuthenticationError):
        await resolve(explicit.list_models())


def test_defaults_without_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("INFERENCE_GATEWAY_URL", raising=False)
    monkeypatch.delenv("INFERENCE_GATEWAY_API_KEY", raising=False)
    client = InferenceGatewayClient()
    assert client.base_url == "http://localhost:8080/v1"
    assert client.timeout == 30.0 and client.max_retries == 2
    assert "Authorization" not in client.default_headers
    client.close()


async def test_token_never_shown(
    any_client: Callable[..., Any], gateway: FakeGateway, caplog: pytest.LogCaptureFixture
) -> None:
    client = any_client(token=TOKEN)
    assert TOKEN not in repr(client) and "token='***'" in repr(client)
    assert client.default_headers["Authorization"] == "Bearer ***"
    assert TOKEN not in repr(client.with_options(timeout=1.0))
    gateway.enqueue("GET", "/v1/models", status=500, json={"error": "boom"})
    with caplog.at_level(logging.DEBUG):
        await resolve(client.list_models())
    assert "retrying GET" in caplog.text
    assert TOKEN not in caplog.text


async def test_base_url_forms(any_client: Callable[..., Any], gateway: FakeGateway) -> None:
    for base in (gateway.base_url, gateway.base_url + "/", gateway.url, gateway.url + "/"):
        client = any_client(base_url=base)
        assert await resolve(client.health_check()) is True
        await resolve(client.list_models())
        assert gateway.last.path == "/v1/models"


def test_use_httpx_accepted_and_context_manager(gateway: FakeGateway) -> None:
    with InferenceGatewayClient(gateway.base_url, token=None, timeout=60.0, use_httpx=True) as client:
        assert client.list_models().data
        http = client._pool.get()
    assert http.is_closed
    with pytest.raises(RuntimeError, match="closed"):
        client.list_models()


async def test_async_context_manager_and_aclose(gateway: FakeGateway) -> None:
    async with AsyncInferenceGatewayClient(gateway.base_url) as client:
        assert (await client.list_models()).data
        http = client._pool.get()
    assert http.is_closed
    other = AsyncInferenceGatewayClient(gateway.base_url)
    await other.list_models()
    await other.aclose()
    assert other._pool._closed


def test_own_http_client_is_not_closed(gateway: FakeGateway) -> None:
    with httpx.Client() as http:
        client = InferenceGatewayClient(gateway.base_url, http_client=http, default_headers={"X-Own": "1"})
        assert client.list_models().data
        assert gateway.last.headers["x-own"] == "1"
        client.close()
        assert not http.is_closed


def test_retry_and_max_retries_combine() -> None:
    config = RetryConfig(initial_backoff=0.1)
    client = InferenceGatewayClient(retry=config, max_retries=5)
    assert client.retry.max_retries == 5 and client.retry.initial_backoff == 0.1
    assert InferenceGatewayClient(retry=config).max_retries == 2
    assert client.with_options(max_retries=1).retry.initial_backoff == 0.1
    client.close()


async def test_json_body_serialisation(any_client: Callable[..., Any], gateway: FakeGateway) -> None:
    """Models dump only what was set (plus unknown extras); dicts and models mix; an explicit
    None is sent as null (leaving an argument out is NOT_GIVEN, the default)."""
    client = any_client()
    assistant = Message.model_validate(
        {"role": "assistant", "content": None, "tool_calls": [], "vendor_field": {"k": "v"}}
    )
    await resolve(
        client.create_chat_completion(
            "m",
            [{"role": "user", "content": "hi"}, assistant, Message(role="user", content="again")],
            max_tokens=None,
        )
    )
    assert gateway.last.body == {
        "model": "m",
        "messages": [
            {"role": "user", "content": "hi"},
            {"role": "assistant", "content": None, "tool_calls": [], "vendor_field": {"k": "v"}},
            {"role": "user", "content": "again"},
        ],
        "max_tokens": None,
    }
