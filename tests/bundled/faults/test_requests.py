"""What we send: header values and tokens that would split or corrupt a request are refused
before anything is sent (never retried), path parameters cannot leave their template, and the
token never appears in an error, a log line (ours, httpx's, httpcore's), a repr or a retry
notice. Against the fake gateway, which records what arrived."""

from __future__ import annotations

import logging
from typing import Any, Callable, List, Tuple

import pytest
from inference_gateway import (
    InferenceGatewayError,
    InvalidRequestError,
    Message,
    RetryConfig,
)

from tests.bundled.faults.conftest import MakeClient
from tests.bundled.faults.server import FaultServer, chunked, sized, sse
from tests.bundled.faults.test_faults import CHUNK
from tests.bundled.sdk._helpers import collect, resolve
from tests.fakegw import FakeGateway

HELLO = [Message(role="user", content="hi")]


class Retries:
    def __init__(self) -> None:
        self.calls: List[Tuple[int, BaseException, float]] = []

    def __call__(self, attempt: int, error: BaseException, delay: float) -> None:
        self.calls.append((attempt, error, delay))


@pytest.mark.parametrize(
    "headers",
    [
        {"X-Trace": "a\r\nX-Injected: 1"},
        {"X-Trace": "a\nb"},
        {"X-Trace": "nul\x00"},
        {"X-Trace": "caf\u00e9"},
        {"Bad Name": "x"},
        {"X-Trace\r\nX-Injected": "1"},
    ],
)
async def test_unsendable_headers_are_refused_at_the_call(
    gw_client: Callable[..., Any], gateway: FakeGateway, headers: Any
) -> None:
    retries = Retries()
    client = gw_client(retry=RetryConfig(on_retry=retries))
    with pytest.raises(InvalidRequestError) as caught:
        await resolve(client.list_models(extra_headers=headers))
    assert isinstance(caught.value, ValueError)
    assert gateway.requests == [] and retries.calls == []


def test_unsendable_default_headers_are_refused_when_the_client_is_built(gateway: FakeGateway) -> None:
    from inference_gateway import AsyncInferenceGatewayClient, InferenceGatewayClient

    for cls in (InferenceGatewayClient, AsyncInferenceGatewayClient):
        with pytest.raises(InvalidRequestError, match="X-Trace"):
            cls(gateway.base_url, default_headers={"X-Trace": "a\r\nb"})


@pytest.mark.parametrize("raw_token", ["sk-test\n", "  sk-test\r\n", "\tsk-test "])
async def test_token_whitespace_is_stripped(
    gw_client: Callable[..., Any], gateway: FakeGateway, raw_token: str
) -> None:
    gateway.token = "sk-test"
    assert (await resolve(gw_client(token=raw_token).list_models())).data
    assert gateway.last.headers["authorization"] == "Bearer sk-test"


def test_token_from_the_environment_is_stripped(gateway: FakeGateway, monkeypatch: pytest.MonkeyPatch) -> None:
    from inference_gateway import InferenceGatewayClient

    monkeypatch.setenv("INFERENCE_GATEWAY_API_KEY", "sk-env\n")
    gateway.token = "sk-env"
    with InferenceGatewayClient(gateway.base_url) as client:
        assert client.list_models().data


@pytest.mark.parametrize("bad", ["sk-a\nb", "sk-\x00", "sk-caf\u00e9", "sk-a\r\nX-Injected: 1"])
def test_unsendable_tokens_are_refused_without_echoing_them(bad: str) -> None:
    from inference_gateway import AsyncInferenceGatewayClient, InferenceGatewayClient

    for cls in (InferenceGatewayClient, AsyncInferenceGatewayClient):
        with pytest.raises(InvalidRequestError) as caught:
            cls("http://127.0.0.1:1/v1", token=bad)
        assert bad.strip() not in str(caught.value)


# -- paths -------------------------------------------------------------------------------------

TRAVERSALS = [
    ("openai", "../../v1/models"),
    ("openai", "models/../../../v1/models"),
    ("openai", "%2e%2e/%2E%2E/v1/models"),
    ("openai", "..%2f..%2fv1/models"),
    ("openai", "%252e%252e/v1/models"),
    ("openai", ".."),
    ("openai", "./models"),
    ("openai", "..\\..\\v1\\models"),
    ("..", "v1/models"),
    ("%2e%2e", "v1/models"),
    ("..%2f..%2fv1", "models"),
    (".", "models"),
]


@pytest.mark.parametrize("provider,path", TRAVERSALS)
async def test_path_traversal_is_refused(
    gw_client: Callable[..., Any], gateway: FakeGateway, provider: str, path: str
) -> None:
    client = gw_client(token="sk-test")
    with pytest.raises(InvalidRequestError, match="would leave /proxy/"):
        await resolve(client.proxy_request(provider, path))
    with pytest.raises(InvalidRequestError):
        await resolve(client.proxy_get(provider, path))
    assert gateway.requests == []


@pytest.mark.parametrize(
    "path,received",
    [
        ("v1/models", "/proxy/openai/v1/models"),
        ("/v1/models", "/proxy/openai/v1/models"),
        ("files/a..b/x.json", "/proxy/openai/files/a..b/x.json"),
        ("files/.../x", "/proxy/openai/files/.../x"),
        ("files/.hidden", "/proxy/openai/files/.hidden"),
        ("search/100%", "/proxy/openai/search/100%25"),
        ("a b/c?d#e", "/proxy/openai/a%20b/c%3Fd%23e"),
    ],
)
async def test_paths_with_dots_that_stay_in_place_are_sent(
    gw_client: Callable[..., Any], gateway: FakeGateway, path: str, received: str
) -> None:
    echoed = await resolve(gw_client().proxy_request("openai", path))
    assert gateway.last.path == received
    assert echoed["provider"] == "openai"


async def test_a_provider_with_a_slash_stays_one_segment(gw_client: Callable[..., Any], gateway: FakeGateway) -> None:
    with pytest.raises(InferenceGatewayError):  # the gateway does not know that provider
        await resolve(gw_client().proxy_request("openai/v1", "models"))
    assert gateway.last.path == "/proxy/openai%2Fv1/models"


# -- secrets -----------------------------------------------------------------------------------

SECRETS = ["sk-live-0123456789abcdef", "sk-live-with=+/chars_and.dots\n", "q9z"]


@pytest.mark.parametrize("token", SECRETS)
async def test_the_token_never_leaves(
    mode: str, make: MakeClient, server: FaultServer, token: str, caplog: pytest.LogCaptureFixture
) -> None:
    secret = token.strip()
    echo = f'{{"error": "invalid token {secret}", "token": "{secret}"}}'.encode()
    retries = Retries()
    client = make(
        server.url + "/v1", token=token, max_retries=1, retry=RetryConfig(initial_backoff=0.001, on_retry=retries)
    )
    errors: List[BaseException] = []
    server.replies.extend([sized(echo, "503 Busy"), sized(echo, "401 Unauthorized")])
    # `data` must be a list: the validation error quotes the input, which holds the token.
    server.replies.append(sized(b'{"object": "list", "data": "' + secret.encode() + b'"}'))
    server.replies.append(chunked(sse(CHUNK, b'{"error": {"message": "bad key ' + secret.encode() + b'"}}')))
    server.replies.append(chunked(sse(b'{"choices": "' + secret.encode() + b'"}')))
    with caplog.at_level(logging.DEBUG):
        for attempt in (
            lambda: resolve(client.list_models()),
            lambda: resolve(client.list_models()),
            lambda: collect(client.stream_chat_completion(model="m", messages=HELLO)),
            lambda: collect(client.stream_chat_completion(model="m", messages=HELLO)),
        ):
            with pytest.raises(InferenceGatewayError) as caught:
                await attempt()
            errors.append(caught.value)
    assert len(server.requests) == 5
    assert all(request.headers["authorization"] == f"Bearer {secret}" for request in server.requests)
    assert retries.calls and all(secret not in str(call[1]) for call in retries.calls)
    assert caplog.records, "DEBUG logging of the SDK, httpx and httpcore was captured"
    assert {record.name.split(".")[0] for record in caplog.records} >= {"httpx", "httpcore"}
    for record in caplog.records:
        assert secret not in record.getMessage(), record.getMessage()
    for error in errors:
        assert secret not in str(error) and secret not in repr(error)
        assert secret not in getattr(error, "message", "")
    assert secret not in repr(client) and secret not in str(client.default_headers)
