"""A2A as a2a-sdk users expect, against the official a2a-sdk echo agent: a stream falls back to
one blocking call when the card says the agent cannot stream; the card at a custom path
(``card_path=``); authentication through an ``httpx.Auth`` or a per-request headers hook."""

from __future__ import annotations

from typing import Any, Dict, Generator, List

import httpx
import pytest
from inference_gateway import AuthenticationError
from inference_gateway.a2a import Message, Task, part_text

from tests.bundled.a2a.test_echo_agent import MODES, Agent, make_client

pytestmark = pytest.mark.timeout(60)


class ApiKey(httpx.Auth):
    """An httpx auth flow adding the echo agent's key (sync and async alike)."""

    def __init__(self) -> None:
        self.seen: List[str] = []

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        self.seen.append(request.url.path)
        request.headers["X-Api-Key"] = "secret-key"
        yield request


@pytest.fixture(params=MODES)
def mode(request: pytest.FixtureRequest) -> str:
    return str(request.param)


async def _agent(mode: str, url: str, **kwargs: Any) -> Agent:
    return Agent(make_client(mode, url, **kwargs), "")


async def test_card_at_a_custom_path(mode: str, echo_agent: str) -> None:
    agent = await _agent(mode, f"{echo_agent}/nostream/", card_path="agents/echo.json")
    card = await agent.call("get_card")
    assert card.capabilities.streaming is False
    assert agent.client.rpc_url == f"{echo_agent}/nostream/"
    await agent.close()
    absolute = await _agent(mode, f"{echo_agent}/nostream/", card_path="/nostream/agents/echo.json")
    assert (await absolute.call("get_card")).name == card.name
    await absolute.close()


async def test_without_card_path_the_custom_card_is_not_found(mode: str, echo_agent: str) -> None:
    from inference_gateway import NotFoundError

    agent = await _agent(mode, f"{echo_agent}/nostream/", max_retries=0)
    with pytest.raises(NotFoundError):
        await agent.call("get_card")
    await agent.close()


async def test_stream_falls_back_to_one_blocking_call(mode: str, echo_agent: str) -> None:
    agent = await _agent(mode, f"{echo_agent}/nostream/", card_path="agents/echo.json")
    events = await agent.events("send_message_stream", "no stream here")
    assert len(events) == 1
    task = events[0]
    assert isinstance(task, Task) and task.status.state == "TASK_STATE_COMPLETED"
    assert part_text(task.artifacts[0].parts) == "no stream here"
    replies = await agent.events("send_message_stream", "message:plain")
    assert len(replies) == 1 and isinstance(replies[0], Message)
    await agent.close()


async def test_a_streaming_agent_still_streams(mode: str, echo_agent: str) -> None:
    agent = await _agent(mode, echo_agent)
    events = await agent.events("send_message_stream", "stream me")
    assert type(events[0]).__name__ == "Task" and len(events) == 4
    await agent.close()


async def test_httpx_auth(mode: str, echo_agent: str) -> None:
    auth = ApiKey()
    agent = await _agent(mode, f"{echo_agent}/secure/", auth=auth)
    task = await agent.call("send_message", "with auth")
    assert isinstance(task, Task) and task.status.state == "TASK_STATE_COMPLETED"
    events = await agent.events("send_message_stream", "streamed with auth")
    assert len(events) == 4
    assert "/secure/.well-known/agent-card.json" in auth.seen and "/secure/" in auth.seen
    await agent.close()


async def test_headers_hook_runs_per_request(mode: str, echo_agent: str) -> None:
    calls: List[int] = []

    def hook() -> Dict[str, str]:
        calls.append(1)
        return {"X-Api-Key": "secret-key"}

    agent = await _agent(mode, f"{echo_agent}/secure/", auth_headers=hook)
    await agent.call("send_message", "one")
    await agent.call("send_message", "two")
    assert len(calls) == 3  # the card, then each call
    await agent.close()


async def test_without_credentials_the_agent_refuses(mode: str, echo_agent: str) -> None:
    agent = await _agent(mode, f"{echo_agent}/secure/", max_retries=0)
    with pytest.raises(AuthenticationError):
        await agent.call("send_message", "no key")
    await agent.close()


def test_auth_with_own_http_client_is_refused(echo_agent: str) -> None:
    from inference_gateway.a2a import A2AClient

    with httpx.Client() as http, pytest.raises(TypeError, match="http_client"):
        A2AClient(echo_agent, auth=ApiKey(), http_client=http)
