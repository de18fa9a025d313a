"""client.run_message_tools: the tool loop over the Messages API, against the fake gateway (its own
tool_use rounds, and scripted answers), on the sync and the async client."""

from __future__ import annotations

import asyncio
from typing import Any, Callable, Dict, List

import pytest
from inference_gateway import InferenceGatewayError
from inference_gateway.lib import MessageToolRunResult, ToolRoundsExceededError
from inference_gateway.models import MessagesMessage, MessagesResponse, MessagesToolUseBlock

from tests.bundled.sdk._helpers import resolve
from tests.fakegw import FakeGateway

MESSAGES = "/v1/messages"
MODEL = "anthropic/claude-sonnet-4-5"
SIGNATURE = "EqQBCkYIBRgCIkB-signature"


def message(content: List[Dict[str, Any]], stop_reason: str = "end_turn") -> Dict[str, Any]:
    return {
        "id": "msg_run",
        "type": "message",
        "role": "assistant",
        "model": MODEL,
        "content": content,
        "stop_reason": stop_reason,
        "stop_sequence": None,
        "usage": {"input_tokens": 9, "output_tokens": 7},
    }


def tool_use(call_id: str, name: str, arguments: Dict[str, Any]) -> Dict[str, Any]:
    return {"type": "tool_use", "id": call_id, "name": name, "input": arguments}


def asks_for(*calls: Dict[str, Any]) -> Dict[str, Any]:
    return message([{"type": "text", "text": "Let me check."}, *calls], "tool_use")


def answers(text: str) -> Dict[str, Any]:
    return message([{"type": "text", "text": text}])


def get_weather(location: str, unit: str = "celsius") -> Dict[str, Any]:
    """Get the current weather in a given location.

    Args:
        location: The city and state, e.g. San Francisco, CA
        unit: celsius or fahrenheit
    """
    return {"location": location, "temperature": 21, "unit": unit}


def explode(reason: str) -> str:
    """A tool that fails."""
    raise RuntimeError(f"tool blew up: {reason}")


def tool_results(body: Dict[str, Any]) -> Dict[str, Dict[str, Any]]:
    """The last user turn's tool_result blocks by tool_use_id."""
    return {b["tool_use_id"]: b for b in body["messages"][-1]["content"] if b["type"] == "tool_result"}


async def test_fake_gateway_rounds_parallel_tool_use(gateway: FakeGateway, any_client: Callable[..., Any]) -> None:
    """The fake gateway's own behaviour: one tool_use block per tool offered, then an answer built
    from the tool_result blocks (a result missing would be its 400, as Anthropic's)."""

    def get_time(location: str) -> str:
        """The local time somewhere."""
        return f"12:00 in {location}"

    messages = [MessagesMessage(role="user", content="Weather and time in New York?")]
    result = await resolve(
        any_client().run_message_tools(
            model=MODEL, messages=messages, max_tokens=256, tools=[get_weather, get_time], system="Be brief."
        )
    )
    assert isinstance(result, MessageToolRunResult)
    assert isinstance(result.response, MessagesResponse) and result.response.stop_reason == "end_turn"
    assert result.rounds == 2
    assert [c.id for c in result.tool_calls] == ["toolu_fake_1", "toolu_fake_2"]
    assert all(isinstance(c, MessagesToolUseBlock) for c in result.tool_calls)
    assert result.content.startswith("tool result: ") and "12:00 in New York, NY" in result.content
    assert [m.role for m in result.messages] == ["user", "assistant", "user", "assistant"]
    assert messages == [MessagesMessage(role="user", content="Weather and time in New York?")]  # not mutated

    first, follow_up = gateway.requests_to("POST", MESSAGES)
    assert first.body["max_tokens"] == 256 and first.body["system"] == "Be brief."
    assert [t["name"] for t in first.body["tools"]] == ["get_weather", "get_time"]
    assert first.body["tools"][0]["input_schema"]["required"] == ["location"]
    assert first.body["tools"][0]["description"] == "Get the current weather in a given location."
    results = tool_results(follow_up.body)
    assert results["toolu_fake_2"] == {"type": "tool_result", "tool_use_id": "toolu_fake_2", "content": "12:00 in New York, NY"}
    assert "is_error" not in results["toolu_fake_1"]


async def test_answer_goes_back_verbatim_and_errors_are_flagged(
    gateway: FakeGateway, any_client: Callable[..., Any], concurrent_tools: List[Callable[[int], str]]
) -> None:
    thinking = {"type": "thinking", "thinking": "Two lookups.", "signature": SIGNATURE}
    gateway.enqueue(
        "POST",
        MESSAGES,
        json=message(
            [
                thinking,
                tool_use("t1", "slow_a", {"x": 1}),
                tool_use("t2", "slow_b", {"x": 2}),
                tool_use("t3", "explode", {"reason": "disk full"}),
                tool_use("t4", "no_such_tool", {}),
                tool_use("t5", "slow_a", {"x": "not a number"}),
            ],
            "tool_use",
        ),
    )
    gateway.enqueue("POST", MESSAGES, json=answers("done"))
    result = await resolve(
        any_client().run_message_tools(
            model=MODEL,
            messages=[{"role": "user", "content": "go"}],
            max_tokens=1024,
            tools=[*concurrent_tools, explode],
            thinking={"type": "enabled", "budget_tokens": 512},
        )
    )
    assert result.content == "done" and result.rounds == 2
    follow_up = gateway.last.body
    # the answer went back unchanged, thinking signature first, as Anthropic requires
    assert follow_up["messages"][1]["role"] == "assistant"
    assert follow_up["messages"][1]["content"][0] == thinking
    assert [b["id"] for b in follow_up["messages"][1]["content"][1:]] == ["t1", "t2", "t3", "t4", "t5"]
    results = tool_results(follow_up)
    assert follow_up["messages"][2]["role"] == "user" and list(results) == ["t1", "t2", "t3", "t4", "t5"]
    assert results["t1"]["content"] == "a1" and results["t2"]["content"] == "b2"
    assert results["t3"] == {
        "type": "tool_result",
        "tool_use_id": "t3",
        "content": "Error: RuntimeError: tool blew up: disk full",
        "is_error": True,
    }
    assert results["t4"]["is_error"] and results["t4"]["content"].startswith("Error: LookupError: unknown tool")
    assert results["t5"]["is_error"] and "ToolArgumentsError: tool 'slow_a'" in results["t5"]["content"]
    assert [c.id for c in result.tool_calls] == ["t1", "t2", "t3", "t4", "t5"]


async def test_max_rounds_raises_with_the_conversation(gateway: FakeGateway, any_client: Callable[..., Any]) -> None:
    for i in range(3):
        gateway.enqueue("POST", MESSAGES, json=asks_for(tool_use(f"r{i}", "get_weather", {"location": "Oslo"})))
    with pytest.raises(ToolRoundsExceededError, match="after 2 rounds") as info:
        await resolve(
            any_client().run_message_tools(
                model=MODEL,
                messages=[{"role": "user", "content": "loop"}],
                max_tokens=100,
                tools=[get_weather],
                max_rounds=2,
            )
        )
    assert len(gateway.requests_to("POST", MESSAGES)) == 2
    # user, assistant (round 1), tool results; round 2's call was not executed
    assert [m.role for m in info.value.messages[1:]] == ["assistant", "user"]
    assert isinstance(info.value.response, MessagesResponse)
    assert info.value.response.content[-1].root.id == "r1"


async def test_tool_use_cut_at_max_tokens_is_an_error(gateway: FakeGateway, any_client: Callable[..., Any]) -> None:
    gateway.enqueue("POST", MESSAGES, json=message([tool_use("c1", "get_weather", {})], "max_tokens"))
    with pytest.raises(InferenceGatewayError, match="max_tokens inside a tool call"):
        await resolve(
            any_client().run_message_tools(
                model=MODEL, messages=[{"role": "user", "content": "x"}], max_tokens=5, tools=[get_weather]
            )
        )
    assert len(gateway.requests_to("POST", MESSAGES)) == 1


async def test_messages_tool_definition_pairs(gateway: FakeGateway, any_client: Callable[..., Any]) -> None:
    definition = {
        "name": "lookup",
        "description": "Look a key up.",
        "input_schema": {"type": "object", "properties": {"key": {"type": "string"}}, "required": ["key"]},
    }
    seen: List[Dict[str, Any]] = []

    def lookup(**kwargs: Any) -> Dict[str, str]:
        seen.append(kwargs)
        return {"value": "blue"}

    result = await resolve(
        any_client().run_message_tools(
            model=MODEL, messages=[{"role": "user", "content": "?"}], max_tokens=64, tools=[(definition, lookup)]
        )
    )
    assert seen == [{"key": "New York, NY"}]
    assert gateway.requests_to("POST", MESSAGES)[0].body["tools"] == [definition]
    assert result.content == 'tool result: {"value": "blue"}'


async def test_async_client_runs_coroutine_tools_concurrently(
    gateway: FakeGateway, async_client: Callable[..., Any]
) -> None:
    started: List[str] = []
    both = asyncio.Event()

    async def fetch(url: str) -> str:
        """Fetch a page."""
        started.append(url)
        if len(started) == 2:
            both.set()
        await asyncio.wait_for(both.wait(), timeout=5)
        return f"page {url}"

    gateway.enqueue("POST", MESSAGES, json=asks_for(tool_use("u1", "fetch", {"url": "a"}), tool_use("u2", "fetch", {"url": "b"})))
    gateway.enqueue("POST", MESSAGES, json=answers("fetched"))
    result = await async_client().run_message_tools(
        model=MODEL, messages=[{"role": "user", "content": "x"}], max_tokens=64, tools=[fetch]
    )
    assert result.content == "fetched"
    assert {k: v["content"] for k, v in tool_results(gateway.last.body).items()} == {"u1": "page a", "u2": "page b"}


def test_sync_runner_rejects_coroutine_tools(client: Callable[..., Any], gateway: FakeGateway) -> None:
    async def fetch(url: str) -> str:
        return url

    with pytest.raises(TypeError, match=r"fetch.*coroutine"):
        client().run_message_tools(model=MODEL, messages=[{"role": "user", "content": "x"}], max_tokens=8, tools=[fetch])
    assert gateway.requests_to("POST", MESSAGES) == []


def test_a_definition_that_is_no_tool_is_refused(client: Callable[..., Any], gateway: FakeGateway) -> None:
    with pytest.raises(TypeError, match="a tool definition must be a model or a dict"):
        client().run_message_tools(
            model=MODEL, messages=[{"role": "user", "content": "x"}], max_tokens=8, tools=[("lookup", len)]
        )
    with pytest.raises(ValueError, match="has no name"):
        client().run_message_tools(
            model=MODEL, messages=[{"role": "user", "content": "x"}], max_tokens=8, tools=[({"input_schema": {}}, len)]
        )
    assert gateway.requests_to("POST", MESSAGES) == []
