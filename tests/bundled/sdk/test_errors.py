"""Every error class, from real HTTP answers of the fake gateway (and a closed port)."""

from __future__ import annotations

import socket
from typing import Any, Callable, Type

import pytest
from inference_gateway import (
    APIConnectionError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    ConflictError,
    InferenceGatewayAPIError,
    InferenceGatewayError,
    InferenceGatewayValidationError,
    InternalServerError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    ResponseValidationError,
    UnprocessableEntityError,
)
from inference_gateway.errors import make_api_error

from tests.bundled.sdk._helpers import resolve
from tests.fakegw import FakeGateway

TOKEN = "sk-very-secret-token"


@pytest.mark.parametrize(
    ("status", "error_class"),
    [
        (400, BadRequestError),
        (401, AuthenticationError),
        (403, PermissionDeniedError),
        (404, NotFoundError),
        (409, ConflictError),
        (422, UnprocessableEntityError),
        (429, RateLimitError),
        (500, InternalServerError),
        (502, InternalServerError),
        (503, InternalServerError),
        (504, InternalServerError),
        (418, InferenceGatewayAPIError),
    ],
)
async def test_status_maps_to_error_class(
    any_client: Callable[..., Any], gateway: FakeGateway, status: int, error_class: Type[Exception]
) -> None:
    client = any_client(max_retries=0, token=TOKEN)
    gateway.enqueue(
        "GET", "/v1/models", status=status, json={"error": f"said {status}"}, headers={"X-Request-Id": "r-1"}
    )
    with pytest.raises(error_class) as info:
        await resolve(client.list_models())
    error = info.value
    assert type(error) is error_class
    assert isinstance(error, InferenceGatewayAPIError) and isinstance(error, InferenceGatewayError)
    assert error.status_code == status
    assert error.message == f"said {status}"
    assert error.body == {"error": f"said {status}"}
    assert error.headers["x-request-id"] == "r-1"
    assert str(error) == f"{status}: said {status}"
    assert error.response_data is error.body  # the older SDK's attribute name
    assert TOKEN not in str(error) and TOKEN not in repr(error)


async def test_openai_style_and_text_error_bodies(any_client: Callable[..., Any], gateway: FakeGateway) -> None:
    client = any_client(max_retries=0)
    gateway.enqueue(
        "POST",
        "/v1/chat/completions",
        status=400,
        json={"error": {"message": "Invalid model name", "type": "invalid_request_error", "code": "400"}},
    )
    with pytest.raises(BadRequestError, match="Invalid model name") as info:
        await resolve(client.create_chat_completion("nope", [{"role": "user", "content": "x"}]))
    assert info.value.body["error"]["type"] == "invalid_request_error"

    gateway.enqueue("GET", "/v1/models", status=502, body=b"<html>Bad Gateway</html>",
                    headers={"content-type": "text/html"})
    with pytest.raises(InternalServerError) as text_info:
        await resolve(client.list_models())
    assert text_info.value.message == "<html>Bad Gateway</html>"
    assert text_info.value.body == "<html>Bad Gateway</html>"

    gateway.enqueue("GET", "/v1/models", status=500)
    with pytest.raises(InternalServerError, match="500: Internal Server Error"):
        await resolve(client.list_models())


def test_make_api_error_for_the_streaming_module() -> None:
    error = make_api_error(429, b'{"error": "rate limited"}', {"retry-after": "1"})
    assert isinstance(error, RateLimitError) and error.message == "rate limited"
    error = make_api_error(503, {"error": {"message": "overloaded"}})
    assert isinstance(error, InternalServerError) and error.message == "overloaded"
    assert make_api_error(400, None).message == "no error message in the response"


async def test_unauthorized_without_token_and_ok_with_it(
    any_client: Callable[..., Any], gateway: FakeGateway
) -> None:
    gateway.token = TOKEN
    with pytest.raises(AuthenticationError) as info:
        await resolve(any_client().list_models())
    assert "bearer token" in info.value.message
    wrong = any_client(token="wrong")
    with pytest.raises(AuthenticationError):
        await resolve(wrong.list_models())
    assert TOKEN not in repr(info.value)
    models = await resolve(any_client(token=TOKEN).list_models())
    assert models.data
    assert gateway.last.headers["authorization"] == f"Bearer {TOKEN}"


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def test_connection_refused(any_client: Callable[..., Any]) -> None:
    client = any_client(base_url=f"http://127.0.0.1:{_closed_port()}/v1", token=TOKEN, max_retries=0)
    with pytest.raises(APIConnectionError) as info:
        await resolve(client.list_models())
    assert not isinstance(info.value, APITimeoutError)
    assert "GET http://127.0.0.1:" in str(info.value) and "/v1/models failed: ConnectError" in str(info.value)
    assert TOKEN not in str(info.value)
    assert await resolve(client.health_check()) is False


async def test_timeout(any_client: Callable[..., Any], gateway: FakeGateway) -> None:
    client = any_client(timeout=0.2, max_retries=0, default_query={"api_key": TOKEN})
    gateway.enqueue("GET", "/v1/models", delay=1.0, json={"object": "list", "data": []})
    with pytest.raises(APITimeoutError, match=r"GET http://127\.0\.0\.1:\d+/v1/models timed out after 0\.2s") as info:
        await resolve(client.list_models())
    assert isinstance(info.value, APIConnectionError)
    assert TOKEN not in str(info.value)  # the query string (it may carry keys) is never shown

    gateway.enqueue("GET", "/v1/models", delay=1.0, json={"object": "list", "data": []})
    with pytest.raises(APITimeoutError):
        await resolve(any_client(max_retries=0).list_models(timeout=0.1))  # per-call timeout


async def test_response_validation_error_names_model_and_field(
    any_client: Callable[..., Any], gateway: FakeGateway
) -> None:
    client = any_client()
    # Received models tolerate missing values (--response-required lenient), not wrong types.
    model = {"id": "x", "object": "model", "created": "yesterday"}
    gateway.enqueue("GET", "/v1/models", json={"object": "list", "data": [model]})
    with pytest.raises(ResponseValidationError) as info:
        await resolve(client.list_models())
    message = str(info.value)
    assert "response of listModels does not match ListModelsResponse" in message
    assert "data.0.created: Input should be a valid integer" in message
    assert info.value.model == "ListModelsResponse" and info.value.operation == "listModels"
    assert isinstance(info.value, InferenceGatewayValidationError)  # the older SDK's class

    gateway.enqueue("GET", "/v1/models", body=b"not json", headers={"content-type": "text/plain"})
    with pytest.raises(ResponseValidationError, match="ListModelsResponse"):
        await resolve(client.list_models())
