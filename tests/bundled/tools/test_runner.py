"""client.run_tools against a scripted fake gateway: rounds, parallel calls, failing tools,
and a Gemini thought_signature that must come back verbatim."""

from __future__ import annotations

import asyncio
import json
from typing import Any, Callable, Dict, List, Optional

import pytest
from inference_gateway import ChatCompletionTool, Message
from inference_gateway.lib import ToolRoundsExceededError, tool_from_function

from tests.bundled.sdk._helpers import resolve
from tests.fakegw import FakeGateway

CHAT = "/v1/chat/completions"
MODEL = "google/gemini-3-flash"
SIGNATURE = "Q2lZS0Fkc2lnbmF0dXJlLWJ5dGVzLW9wYXF1ZQ=="


def completion(message: Dict[str, Any], finish: str = "stop") -> Dict[str, Any]:
    return {
        "id": "chatcmpl-run",
        "object": "chat.completion",
        "created": 1742481679,
        "model": MODEL,
        "choices": [{"index": 0, "message": message, "finish_reason": finish}],
        "usage": {"prompt_tokens": 5, "completion_tokens": 5, "total_tokens": 10},
    }


def tool_call(call_id: str, name: str, arguments: Dict[str, Any], signature: Optional[str] = None) -> Dict[str, Any]:
    call: Dict[str, Any] = {
        "id": call_id,
        "type": "function",
        "function": {"name": name, "arguments": json.dumps(arguments)},
    }
    if signature is not None:
        call["extra_content"] = {"google": {"thought_signature": signature}, "vendor_note": "keep me"}
    return call


def asks_for(*calls: Dict[str, Any]) -> Dict[str, Any]:
    return completion({"role": "assistant", "content": None, "tool_calls": list(calls)}, "tool_calls")


def answers(text: str) -> Dict[str, Any]:
    return completion({"role": "assistant", "content": text})


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


def tool_messages(body: Dict[str, Any]) -> Dict[str, str]:
    return {m["tool_call_id"]: m["content"] for m in body["messages"] if m["role"] == "tool"}


async def test_two_rounds_with_gemini_signature_round_trip(
    gateway: FakeGateway, any_client: Callable[..., Any]
) -> None:
    gateway.enqueue("POST", CHAT, json=asks_for(tool_call("call_1", "get_weather", {"location": "Paris"}, SIGNATURE)))
    gateway.enqueue("POST", CHAT, json=answers("It is 21 degrees in Paris."))
    messages = [Message(role="user", content="Weather in Paris?")]
    result = await resolve(
        any_client().run_tools(model=MODEL, messages=messages, tools=[get_weather], temperature=0.1)
    )
    assert result.content == "It is 21 degrees in Paris."
    assert result.rounds == 2
    assert [m.role.root for m in result.messages] == ["user", "assistant", "tool", "assistant"]
    assert messages == [Message(role="user", content="Weather in Paris?")]  # the input is not mutated

    first, follow_up = gateway.requests_to("POST", CHAT)
    assert first.body["temperature"] == 0.1
    assert first.body["tools"][0]["function"]["name"] == "get_weather"
    assert first.body["tools"][0]["function"]["parameters"]["required"] == ["location"]
    assistant = follow_up.body["messages"][1]
    # the assistant message went back verbatim: signature and unknown keys included
    assert assistant == {
        "role": "assistant",
        "content": None,
        "tool_calls": [tool_call("call_1", "get_weather", {"location": "Paris"}, SIGNATURE)],
    }
    assert json.loads(tool_messages(follow_up.body)["call_1"]) == {
        "location": "Paris",
        "temperature": 21,
        "unit": "celsius",
    }


async def test_parallel_calls_run_concurrently_and_errors_go_back_to_the_model(
    gateway: FakeGateway, any_client: Callable[..., Any], concurrent_tools: List[Callable[[int], str]]
) -> None:
    gateway.enqueue(
        "POST",
        CHAT,
        json=asks_for(
            tool_call("c1", "slow_a", {"x": 1}),
            tool_call("c2", "slow_b", {"x": 2}),
            tool_call("c3", "explode", {"reason": "disk full"}),
            tool_call("c4", "no_such_tool", {}),
            tool_call("c5", "slow_a", {"x": "not a number"}),
        ),
    )
    gateway.enqueue("POST", CHAT, json=answers("done"))
    result = await resolve(
        any_client().run_tools(
            model=MODEL,
            messages=[{"role": "user", "content": "go"}],
            tools=[*concurrent_tools, explode],
        )
    )
    assert result.content == "done"
    results = tool_messages(gateway.last.body)
    assert results["c1"] == "a1" and results["c2"] == "b2"
    assert results["c3"] == "Error: RuntimeError: tool blew up: disk full"
    assert results["c4"].startswith("Error: LookupError: unknown tool 'no_such_tool'")
    assert results["c5"].startswith("Error: ToolArgumentsError: tool 'slow_a'") and "x" in results["c5"]
    assert [c.id for c in result.tool_calls] == ["c1", "c2", "c3", "c4", "c5"]


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

    gateway.enqueue(
        "POST", CHAT, json=asks_for(tool_call("u1", "fetch", {"url": "a"}), tool_call("u2", "fetch", {"url": "b"}))
    )
    gateway.enqueue("POST", CHAT, json=answers("fetched"))
    result = await async_client().run_tools(model=MODEL, messages=[{"role": "user", "content": "x"}], tools=[fetch])
    assert result.content == "fetched"
    assert tool_messages(gateway.last.body) == {"u1": "page a", "u2": "page b"}


async def test_definition_and_callable_pairs(gateway: FakeGateway, any_client: Callable[..., Any]) -> None:
    definition = ChatCompletionTool.model_validate(
        {
            "type": "function",
            "function": {
                "name": "lookup",
                "description": "Look a key up.",
                "parameters": {"type": "object", "properties": {"key": {"type": "string"}}},
            },
        }
    )
    seen: List[Dict[str, Any]] = []

    def lookup(**kwargs: Any) -> str:
        seen.append(kwargs)
        return "value"

    gateway.enqueue("POST", CHAT, json=asks_for(tool_call("k1", "lookup", {"key": "color"})))
    gateway.enqueue("POST", CHAT, json=answers("ok"))
    await resolve(
        any_client().run_tools(model=MODEL, messages=[{"role": "user", "content": "?"}], tools=[(definition, lookup)])
    )
    assert seen == [{"key": "color"}]
    assert gateway.requests_to("POST", CHAT)[0].body["tools"][0]["function"]["description"] == "Look a key up."


async def test_max_rounds_raises_with_the_conversation(
    gateway: FakeGateway, any_client: Callable[..., Any]
) -> None:
    for i in range(3):
        gateway.enqueue("POST", CHAT, json=asks_for(tool_call(f"r{i}", "get_weather", {"location": "Oslo"})))
    with pytest.raises(ToolRoundsExceededError, match="after 2 rounds") as info:
        await resolve(
            any_client().run_tools(
                model=MODEL, messages=[{"role": "user", "content": "loop"}], tools=[get_weather], max_rounds=2
            )
        )
    assert len(gateway.requests_to("POST", CHAT)) == 2
    # user, assistant (round 1), tool result; round 2's calls were not executed
    assert len(info.value.messages) == 3
    assert info.value.response.choices[0].message.tool_calls[0].id == "r1"


def test_sync_runner_rejects_coroutine_tools(client: Callable[..., Any]) -> None:
    async def fetch(url: str) -> str:
        return url

    with pytest.raises(TypeError, match=r"fetch.*coroutine"):
        client().run_tools(model=MODEL, messages=[{"role": "user", "content": "x"}], tools=[fetch])


def test_canned_gateway_tool_flow(client: Callable[..., Any], gateway: FakeGateway) -> None:
    """The fake gateway's own behaviour: a tool call (signed for google/ models), then an answer."""
    result = client().run_tools(
        model=MODEL, messages=[Message(role="user", content="weather in Paris?")], tools=[get_weather]
    )
    assert result.rounds == 2
    follow_up = gateway.last.body["messages"][1]
    assert follow_up["tool_calls"][0]["extra_content"]["google"]["thought_signature"]
    assert tool_from_function(get_weather).function.name == "get_weather"
