"""client.run_response_tools: the tool loop over the Responses API, against the fake gateway (its
own function_call round, and scripted answers), on the sync and the async client."""

from __future__ import annotations

import json
from typing import Any, Callable, Dict, List

import pytest
from inference_gateway.lib import ResponseToolRunResult, ToolRoundsExceededError
from inference_gateway.models import Response, ResponseFunctionToolCall

from tests.bundled.sdk._helpers import resolve
from tests.fakegw import FakeGateway

RESPONSES = "/v1/responses"
MODEL = "openai/gpt-5"
REASONING = {"type": "reasoning", "id": "rs_1", "summary": [], "encrypted_content": "opaque-state"}


def response(output: List[Dict[str, Any]]) -> Dict[str, Any]:
    return {"id": "resp_run", "object": "response", "status": "completed", "model": MODEL, "output": output}


def function_call(call_id: str, name: str, arguments: Dict[str, Any]) -> Dict[str, Any]:
    return {"type": "function_call", "id": f"fc_{call_id}", "call_id": call_id, "name": name, "arguments": json.dumps(arguments)}


def answers(text: str) -> Dict[str, Any]:
    content = [{"type": "output_text", "text": text, "annotations": []}]
    return response([{"type": "message", "id": "msg_1", "role": "assistant", "status": "completed", "content": content}])


def get_weather(location: str) -> str:
    """Get the current weather in a given location.

    Args:
        location: The city and state.
    """
    return f"Sunny in {location}"


def explode(reason: str) -> str:
    """A tool that fails."""
    raise RuntimeError(f"tool blew up: {reason}")


def outputs(body: Dict[str, Any]) -> Dict[str, str]:
    return {i["call_id"]: i["output"] for i in body["input"] if i.get("type") == "function_call_output"}


async def test_fake_gateway_round(gateway: FakeGateway, any_client: Callable[..., Any]) -> None:
    result = await resolve(
        any_client().run_response_tools(
            model=MODEL, input="Weather in New York?", tools=[get_weather], instructions="Be brief."
        )
    )
    assert isinstance(result, ResponseToolRunResult) and isinstance(result.response, Response)
    assert result.output_text == "tool result: Sunny in New York, NY" and result.rounds == 2
    assert [c.call_id for c in result.tool_calls] == ["call_fake_1"]
    assert all(isinstance(c, ResponseFunctionToolCall) for c in result.tool_calls)
    first, follow_up = gateway.requests_to("POST", RESPONSES)
    assert first.body["input"] == [{"role": "user", "content": "Weather in New York?"}]
    assert first.body["instructions"] == "Be brief."
    assert first.body["tools"][0]["name"] == "get_weather" and first.body["tools"][0]["type"] == "function"
    assert [i.get("type", "message") for i in follow_up.body["input"]] == ["message", "function_call", "function_call_output"]
    assert [i.get("type", "message") for i in result.input][-1] == "message"  # the final answer is kept


async def test_parallel_calls_errors_and_items_back_verbatim(
    gateway: FakeGateway, any_client: Callable[..., Any], concurrent_tools: List[Callable[[int], str]]
) -> None:
    calls = [
        function_call("c1", "slow_a", {"x": 1}),
        function_call("c2", "slow_b", {"x": 2}),
        function_call("c3", "explode", {"reason": "disk full"}),
    ]
    gateway.enqueue("POST", RESPONSES, json=response([REASONING, *calls]))
    gateway.enqueue("POST", RESPONSES, json=answers("done"))
    result = await resolve(
        any_client().run_response_tools(
            model=MODEL, input=[{"role": "user", "content": "go"}], tools=[*concurrent_tools, explode]
        )
    )
    assert result.output_text == "done"
    sent = gateway.last.body["input"]
    assert sent[1] == REASONING and sent[2:5] == calls  # the output items went back unchanged
    assert outputs(gateway.last.body) == {"c1": "a1", "c2": "b2", "c3": "Error: RuntimeError: tool blew up: disk full"}


async def test_max_rounds(gateway: FakeGateway, any_client: Callable[..., Any]) -> None:
    for i in range(2):
        gateway.enqueue("POST", RESPONSES, json=response([function_call(f"r{i}", "get_weather", {"location": "Oslo"})]))
    with pytest.raises(ToolRoundsExceededError, match="after 2 rounds") as info:
        await resolve(any_client().run_response_tools(model=MODEL, input="loop", tools=[get_weather], max_rounds=2))
    assert isinstance(info.value.response, Response)
    assert [i.get("type", "message") for i in info.value.messages] == ["message", "function_call", "function_call_output"]
