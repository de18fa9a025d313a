"""Reaching an A2A agent through the gateway's agent list (fake gateway + the real echo agent)."""

from __future__ import annotations

import warnings
from typing import Any, Callable, Dict

import httpx
import pytest
from inference_gateway.a2a import A2AClient, AsyncA2AClient, Task, part_text
from inference_gateway.errors import NotFoundError

from tests.fakegw import FakeGateway

pytestmark = pytest.mark.timeout(60)


@pytest.fixture
def echo_card(echo_agent: str) -> Dict[str, Any]:
    """The echo agent's card as the gateway would list it (whatever fields a2a-sdk serves)."""
    card = httpx.get(echo_agent + "/.well-known/agent-card.json", timeout=10).json()
    assert isinstance(card, dict)
    return card


@pytest.mark.parametrize("version", [None, "1.0", "0.3"])
def test_from_gateway_sync(
    gateway: FakeGateway,
    client: Callable[..., Any],
    echo_agent: str,
    echo_card: Dict[str, Any],
    version: Any,
) -> None:
    gateway.token = "gw-secret"
    gateway.agents["echo"] = echo_card
    gw = client(token="gw-secret", timeout=12.5)
    with A2AClient.from_gateway(gw, "echo", protocol_version=version) as agent:
        assert agent.protocol_version == (version or "1.0")
        assert agent.rpc_url == echo_agent + "/"
        assert agent.agent_card is not None and agent.agent_card.name == "Echo Agent"
        assert agent.timeout == 12.5  # transport settings come from the gateway client ...
        assert "Authorization" not in agent.default_headers  # ... its token does not
        task = agent.send_message("through the gateway's list")
        assert isinstance(task, Task) and task.status.state == "TASK_STATE_COMPLETED"
        assert part_text(task.artifacts[0].parts) == "through the gateway's list"
    assert [r.path for r in gateway.requests] == ["/v1/a2a/agents/echo"]


@pytest.mark.parametrize("version", [None, "0.3"])
async def test_from_gateway_async(
    gateway: FakeGateway,
    async_client: Callable[..., Any],
    echo_agent: str,
    echo_card: Dict[str, Any],
    version: Any,
) -> None:
    gateway.agents["echo"] = echo_card
    gw = async_client()
    agent = await AsyncA2AClient.from_gateway(gw, "echo", protocol_version=version, token="agent-key")
    async with agent:
        assert agent.protocol_version == (version or "1.0")
        assert agent.default_headers["Authorization"] == "Bearer ***"
        events = [e async for e in agent.send_message_stream("streamed via gateway")]
        assert events[-1].status.state == "TASK_STATE_COMPLETED"


def test_listed_card_without_discovery(client: Callable[..., Any]) -> None:
    # The fake gateway's canned agent is a 0.3 card; building the client sends nothing to it.
    with pytest.warns(DeprecationWarning, match="list_agents"):  # the gateway dropped the list
        listed = client().list_agents()
    card = next(c for c in listed.data if c.name == "calendar-agent")
    agent = A2AClient.from_card(card)
    assert (agent.protocol_version, agent.rpc_url) == ("0.3", "http://calendar-agent:8080")
    assert agent.agent_card is not None and agent.agent_card.capabilities.streaming is True
    agent.close()


def test_unknown_agent_is_not_found(client: Callable[..., Any]) -> None:
    with pytest.raises(NotFoundError):
        A2AClient.from_gateway(client(), "no-such-agent")


def test_from_gateway_does_not_warn_but_get_agent_does(
    gateway: FakeGateway, client: Callable[..., Any], echo_card: Dict[str, Any]
) -> None:
    # from_gateway reads the card without the deprecated method: the user made no deprecated call.
    gateway.agents["echo"] = echo_card
    gw = client()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        A2AClient.from_gateway(gw, "echo").close()
    # The user's own get_agent call still warns, pointing at the user's line.
    with pytest.warns(DeprecationWarning, match="get_agent") as caught:
        gw.get_agent("echo")
    assert caught[0].filename == __file__


async def test_from_gateway_async_does_not_warn(
    gateway: FakeGateway, async_client: Callable[..., Any], echo_card: Dict[str, Any]
) -> None:
    gateway.agents["echo"] = echo_card
    gw = async_client()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        agent = await AsyncA2AClient.from_gateway(gw, "echo")
    await agent.close()
    with pytest.warns(DeprecationWarning, match="get_agent"):
        await gw.get_agent("echo")
