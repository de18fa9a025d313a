"""``client.with_raw_response.<method>(...)``: status, headers, request, elapsed and the typed
result, for generated operations, overlay helpers and streams, on both clients."""

from __future__ import annotations

import datetime
import inspect
from typing import Any, Callable

import pytest
from inference_gateway import (
    AsyncInferenceGatewayClient,
    InferenceGatewayError,
    Message,
    NotFoundError,
)
from inference_gateway.models import CreateChatCompletionResponse, ListModelsResponse

from tests.bundled.sdk._helpers import collect, resolve
from tests.fakegw import FakeGateway

HELLO = [Message(role="user", content="hi")]


async def _raw(client: Any, name: str, *args: Any, **kwargs: Any) -> Any:
    call = getattr(client.with_raw_response, name)
    result = call(*args, **kwargs)
    if isinstance(client, AsyncInferenceGatewayClient):
        assert inspect.isawaitable(result)
    return await resolve(result)


async def test_operation_shows_status_headers_request_and_parses(
    any_client: Callable[..., Any], gateway: FakeGateway
) -> None:
    gateway.enqueue(
        "GET",
        "/v1/models",
        json={"object": "list", "data": []},
        headers={"X-Request-Id": "req-42"},
    )
    raw = await _raw(any_client(), "list_models")
    assert raw.status_code == 200
    assert raw.headers["x-request-id"] == "req-42"
    assert raw.http_request.method == "GET"
    assert raw.http_request.url.path == "/v1/models"
    assert isinstance(raw.elapsed, datetime.timedelta) and raw.elapsed.total_seconds() > 0
    assert raw.content.startswith(b"{")
    parsed = raw.parse()
    assert isinstance(parsed, ListModelsResponse) and parsed.data == []
    assert "200" in repr(raw)


async def test_chat_completion_arguments_pass_through(
    any_client: Callable[..., Any], gateway: FakeGateway
) -> None:
    raw = await _raw(any_client(), "create_chat_completion", "m", HELLO, extra_headers={"X-A": "1"})
    assert gateway.last.headers["x-a"] == "1"
    completion = raw.parse()
    assert isinstance(completion, CreateChatCompletionResponse)
    assert "echo: hi" in str(completion.choices[0].message.content)


async def test_errors_raise_as_on_a_plain_call(
    any_client: Callable[..., Any], gateway: FakeGateway
) -> None:
    gateway.enqueue("GET", "/v1/models", status=404, json={"error": "nope"})
    with pytest.raises(NotFoundError):
        await _raw(any_client(max_retries=0), "list_models")


async def test_overlay_helpers_show_their_last_exchange(
    any_client: Callable[..., Any], gateway: FakeGateway
) -> None:
    raw = await _raw(any_client(), "health_check")
    assert raw.parse() is True and raw.status_code == 200
    assert raw.http_request.url.path == "/health"


async def test_health_check_failure_has_no_response_to_show(
    any_client: Callable[..., Any], gateway: FakeGateway
) -> None:
    gateway.healthy = False
    with pytest.raises(InferenceGatewayError, match="no successful HTTP response"):
        await _raw(any_client(), "health_check")


async def test_event_stream_is_open_before_it_is_read(
    any_client: Callable[..., Any], gateway: FakeGateway
) -> None:
    raw = await _raw(any_client(), "create_chat_completion_stream", "m", HELLO)
    assert len(gateway.requests_to("POST", "/v1/chat/completions")) == 1  # sent already
    assert raw.status_code == 200
    assert raw.headers["content-type"].startswith("text/event-stream")
    events = await collect(raw.parse())
    assert events and events[-1].data  # read to the end through the same response
    assert len(gateway.requests_to("POST", "/v1/chat/completions")) == 1


async def test_typed_chat_stream(any_client: Callable[..., Any], gateway: FakeGateway) -> None:
    raw = await _raw(any_client(), "stream_chat_completion", model="m", messages=HELLO)
    stream = raw.parse()
    chunks = await collect(stream)
    text = "".join(c.delta.content or "" for chunk in chunks for c in chunk.choices)
    assert text == "echo: hi"
    assert stream.response is raw.http_response


async def test_unread_stream_closes(any_client: Callable[..., Any], gateway: FakeGateway) -> None:
    raw = await _raw(any_client(), "create_chat_completion_stream", "m", HELLO)
    await resolve(raw.close())
    assert raw.http_response.is_closed


async def test_plain_calls_after_a_raw_one_are_lazy_again(
    any_client: Callable[..., Any], gateway: FakeGateway
) -> None:
    client = any_client()
    await _raw(client, "list_models")
    stream = client.create_chat_completion_stream("m", HELLO)
    assert gateway.requests_to("POST", "/v1/chat/completions") == []  # not sent until read
    await collect(stream)
    assert len(gateway.requests_to("POST", "/v1/chat/completions")) == 1


def test_only_public_methods(client: Callable[..., Any]) -> None:
    proxy = client().with_raw_response
    for name in ("_request", "base_url", "no_such_method"):
        with pytest.raises(AttributeError):
            getattr(proxy, name)
    assert "create_chat_completion" in dir(proxy)
