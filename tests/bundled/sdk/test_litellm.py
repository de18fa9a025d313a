"""The SDK against a real third-party OpenAI-compatible server: LiteLLM's proxy on 127.0.0.1.

LiteLLM is installed by ``tests/peers.py`` into its own cached venv (never the SDK's) and started
with models that answer from ``mock_response``. If it cannot be installed or started, these tests
ERROR (they never skip): CI must notice.

Auth: LiteLLM without a database answers any key other than the master key with
``400 No connected db.``, so the config also sets LiteLLM's ``custom_auth`` hook (a documented
LiteLLM feature) that accepts the master key and rejects every other bearer with a 401, as a
deployment with virtual keys does.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path
from typing import Any, Callable, Iterator

import pytest
from inference_gateway import (
    AsyncInferenceGatewayClient,
    AuthenticationError,
    InferenceGatewayClient,
    InternalServerError,
    Message,
    StreamError,
)
from inference_gateway.models import (
    CreateChatCompletionStreamResponse,
    MessagesResponse,
    Response,
    ResponseOutputMessage,
)

from tests.bundled.sdk._helpers import collect, resolve
from tests.peers import free_port, peer_python, stop_process, wait_for_http

MASTER_KEY = "sk-igw-master-test"
MOCK_TEXT = "Hello from the LiteLLM mock"

CONFIG = f"""
model_list:
  - model_name: fake-gpt
    litellm_params:
      model: openai/fake-gpt
      api_key: sk-not-used
      mock_response: "{MOCK_TEXT}"
general_settings:
  master_key: {MASTER_KEY}
  custom_auth: igw_auth.user_api_key_auth
"""

CUSTOM_AUTH = f'''
from fastapi import HTTPException, Request
from litellm.proxy._types import UserAPIKeyAuth


async def user_api_key_auth(request: Request, api_key: str) -> UserAPIKeyAuth:
    if api_key == "{MASTER_KEY}":
        return UserAPIKeyAuth(api_key=api_key)
    raise HTTPException(status_code=401, detail="invalid bearer token")
'''


@pytest.fixture(scope="module")
def litellm_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Base URL (``.../v1``) of a LiteLLM proxy started for this module."""
    python = peer_python("litellm")
    workdir = tmp_path_factory.mktemp("litellm")
    (workdir / "config.yaml").write_text(CONFIG)
    (workdir / "igw_auth.py").write_text(CUSTOM_AUTH)
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    env["LITELLM_LOCAL_MODEL_COST_MAP"] = "True"  # no network fetch at startup
    log = workdir / "litellm.log"
    with open(log, "wb") as sink:
        proc = subprocess.Popen(
            [str(Path(python).parent / "litellm"), "--config", "config.yaml",
             "--port", str(port), "--host", "127.0.0.1"],
            cwd=str(workdir), env=env, stdout=sink, stderr=subprocess.STDOUT,
        )
    try:
        try:
            wait_for_http(f"http://127.0.0.1:{port}/health/liveliness", 90, proc)
        except (TimeoutError, RuntimeError) as exc:
            raise RuntimeError(f"LiteLLM did not start: {exc}\n{log.read_text()[-3000:]}") from exc
        yield f"http://127.0.0.1:{port}/v1"
    finally:
        stop_process(proc)


@pytest.fixture(params=["sync", "async"])
def make(request: pytest.FixtureRequest, litellm_url: str) -> Iterator[Callable[..., Any]]:
    made = []
    cls = InferenceGatewayClient if request.param == "sync" else AsyncInferenceGatewayClient

    def factory(token: Any = MASTER_KEY) -> Any:
        made.append(cls(litellm_url, token=token, max_retries=0))
        return made[-1]

    yield factory
    for item in made:
        if isinstance(item, InferenceGatewayClient):
            item.close()


async def test_chat(make: Callable[..., Any]) -> None:
    client = make()
    response = await resolve(
        client.create_chat_completion(model="fake-gpt", messages=[Message(role="user", content="Hi")])
    )
    assert response.choices[0].message.content.root == MOCK_TEXT
    assert response.choices[0].finish_reason.root == "stop"
    assert response.usage is not None and response.usage.total_tokens > 0
    await resolve(client.close())


async def test_streaming_chunks_without_finish_reason(make: Callable[..., Any]) -> None:
    client = make()
    events = await collect(
        client.create_chat_completion_stream(model="fake-gpt", messages=[Message(role="user", content="Hi")])
    )
    assert events
    # LiteLLM's wire variant: content chunks carry no finish_reason key at all.
    assert '"finish_reason"' not in events[0].data
    chunks = [CreateChatCompletionStreamResponse.model_validate_json(e.data) for e in events if e.data]
    text = "".join(choice.delta.content or "" for chunk in chunks for choice in chunk.choices)
    assert text == MOCK_TEXT
    finishes = [c.finish_reason.root for chunk in chunks for c in chunk.choices if c.finish_reason]
    assert finishes == ["stop"]
    await resolve(client.close())


async def test_list_models(make: Callable[..., Any]) -> None:
    client = make()
    models = await resolve(client.list_models())
    assert [m.id for m in models.data] == ["fake-gpt"]
    assert models.data[0].served_by is None  # LiteLLM does not send the gateway's served_by
    await resolve(client.close())


@pytest.mark.parametrize("token", ["sk-wrong-key", None])
async def test_bearer_auth(make: Callable[..., Any], token: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("INFERENCE_GATEWAY_API_KEY", raising=False)
    client = make(token=token)
    with pytest.raises(AuthenticationError) as info:
        await resolve(client.list_models())
    assert info.value.status_code == 401
    assert info.value.message == "invalid bearer token"
    assert info.value.body["error"]["type"] == "auth_error"
    if token:
        assert token not in str(info.value)
    await resolve(client.close())


async def test_responses_api(make: Callable[..., Any]) -> None:
    # LiteLLM's own Responses shape: `"reasoning_tokens": null` in the usage breakdown,
    # `"reasoning": {"effort": null, ...}`, extra keys (`truncation`, `phase`, `logprobs`).
    client = make()
    response = await resolve(client.create_response("fake-gpt", "Hi", instructions="Be brief."))
    assert isinstance(response, Response) and response.status.root == "completed"
    message = response.output[0].root
    assert isinstance(message, ResponseOutputMessage)
    assert message.content[0].root.text == MOCK_TEXT
    assert response.usage is not None and response.usage.total_tokens > 0
    await resolve(client.close())


async def test_messages_api(make: Callable[..., Any]) -> None:
    # LiteLLM translates Anthropic's Messages API onto the chat model.
    client = make()
    message = await resolve(client.create_message("fake-gpt", [{"role": "user", "content": "Hi"}], 50))
    assert isinstance(message, MessagesResponse)
    assert message.content[0].root.text == MOCK_TEXT and message.stop_reason == "end_turn"
    assert message.usage.output_tokens > 0
    await resolve(client.close())



# This LiteLLM's mock models do not stream these two APIs: a streamed Responses request answers
# 500, a streamed Messages request answers the whole message as JSON. What the SDK must do then
# is say so with a typed error, never yield an empty or partial stream as if it were complete.


async def test_responses_stream_unsupported_by_the_mock_is_a_typed_error(make: Callable[..., Any]) -> None:
    client = make()
    with pytest.raises(InternalServerError, match="Error processing stream start"):
        await collect(client.create_response_stream("fake-gpt", "Hi"))
    await resolve(client.close())


async def test_messages_stream_answered_as_json_is_a_stream_error(make: Callable[..., Any]) -> None:
    client = make()
    with pytest.raises(StreamError, match="instead of an event stream") as info:
        await collect(client.create_message_stream("fake-gpt", [{"role": "user", "content": "Hi"}], 50))
    assert MOCK_TEXT in str(info.value)
    await resolve(client.close())
