"""The client helpers' keyword arguments (typed through the TypedDicts of params.py): forwarded
to the generated methods as given, unknown ones refused with a TypeError naming them before
anything is sent, `None` sent as JSON null and arguments left out not sent, sync and async,
against the fake gateway."""

from __future__ import annotations

from typing import Any, Callable, Dict, List

import pytest
from inference_gateway import NOT_GIVEN
from pydantic import BaseModel

from tests.bundled.sdk._helpers import collect, resolve
from tests.fakegw import FakeGateway

GPT = "openai/gpt-4o"
CLAUDE = "anthropic/claude-opus-4-8"
CHAT = [{"role": "user", "content": "Hello there"}]


def get_weather(location: str) -> str:
    """Weather of a place.

    Args:
        location: City and state.
    """
    return f"sunny in {location}"


def _completion(message: Dict[str, Any], finish: str) -> Dict[str, Any]:
    """A chat completion body answering with ``message``."""
    choice = {"index": 0, "finish_reason": finish, "message": message}
    return {
        "id": "x",
        "object": "chat.completion",
        "created": 1,
        "model": GPT,
        "choices": [choice],
    }


async def _run(value: Any) -> Any:
    """Drive a helper's result: enter and read a stream, or await a call."""
    value = await resolve(value)
    if hasattr(value, "__aenter__"):
        async with value as stream:
            return await collect(stream)
    if hasattr(value, "__enter__"):
        with value as stream:
            return await collect(stream)
    if hasattr(value, "__aiter__") or hasattr(value, "__iter__"):
        return await collect(value)
    return value


# Each helper with its required arguments.
HELPERS: Dict[str, Callable[[Any], Callable[..., Any]]] = {
    "stream_chat_completion": lambda c: lambda **kw: c.stream_chat_completion(
        GPT, CHAT, **kw
    ),
    "run_tools": lambda c: lambda **kw: c.run_tools(
        model=GPT, messages=CHAT, tools=[get_weather], **kw
    ),
    "create_response_stream": lambda c: lambda **kw: c.create_response_stream(
        GPT, "Hello there", **kw
    ),
    "stream_response": lambda c: lambda **kw: c.stream_response(
        GPT, "Hello there", **kw
    ),
    "create_message_stream": lambda c: lambda **kw: c.create_message_stream(
        CLAUDE, CHAT, 64, **kw
    ),
    "stream_message": lambda c: lambda **kw: c.stream_message(CLAUDE, CHAT, 64, **kw),
}


@pytest.mark.parametrize("helper", sorted(HELPERS))
async def test_unknown_keywords_are_refused_before_sending(
    any_client: Callable[..., Any], gateway: FakeGateway, helper: str
) -> None:
    call = HELPERS[helper](any_client())
    before = len(gateway.requests)
    with pytest.raises(TypeError, match="temprature"):
        await _run(call(temprature=0.2))
    assert len(gateway.requests) == before


@pytest.mark.parametrize("helper", sorted(HELPERS))
async def test_keywords_and_request_options_are_forwarded(
    any_client: Callable[..., Any], gateway: FakeGateway, helper: str
) -> None:
    call = HELPERS[helper](any_client())
    await _run(
        call(
            temperature=0.25,
            top_p=None,  # explicit None: sent as null
            provider="anthropic" if "message" in helper else "openai",
            extra_headers={"X-Trace": "t1"},
            extra_query={"debug": "1"},
            extra_body={"custom": [1, 2]},
            timeout=20.0,
        )
    )
    sent = gateway.last
    assert sent.body["temperature"] == 0.25 and sent.body["top_p"] is None
    assert sent.body["custom"] == [1, 2]
    assert sent.query == {
        "provider": "anthropic" if "message" in helper else "openai",
        "debug": "1",
    }
    assert sent.headers["x-trace"] == "t1"
    if helper != "run_tools":
        assert sent.body["stream"] is True


@pytest.mark.parametrize(
    "helper",
    [
        "create_response_stream",
        "stream_response",
        "create_message_stream",
        "stream_message",
    ],
)
async def test_tools_left_out_are_not_sent_and_functions_are_converted(
    any_client: Callable[..., Any], gateway: FakeGateway, helper: str
) -> None:
    call = HELPERS[helper](any_client())
    await _run(call(temperature=NOT_GIVEN))
    assert "tools" not in gateway.last.body and "temperature" not in gateway.last.body
    await _run(call(tools=[get_weather]))
    (tool,) = gateway.last.body["tools"]
    assert tool["name"] == "get_weather"
    schema: Dict[str, Any] = (
        tool["parameters"] if "response" in helper else tool["input_schema"]
    )
    assert schema["required"] == ["location"]


async def test_stream_chat_completion_keeps_its_usage_default_and_takes_dict_options(
    any_client: Callable[..., Any], gateway: FakeGateway
) -> None:
    client = any_client()
    await _run(client.stream_chat_completion(GPT, CHAT))
    assert (
        gateway.last.body["stream_options"] == {"include_usage": True}
        and "tools" not in gateway.last.body
    )
    await _run(
        client.stream_chat_completion(
            GPT, CHAT, stream_options={"include_usage": False}, tools=[get_weather]
        )
    )
    assert gateway.last.body["stream_options"] == {"include_usage": False}
    assert gateway.last.body["tools"][0]["function"]["name"] == "get_weather"


async def test_run_tools_forwards_keywords_on_every_round(
    any_client: Callable[..., Any], gateway: FakeGateway
) -> None:
    call = {
        "id": "c1",
        "type": "function",
        "function": {"name": "get_weather", "arguments": '{"location": "Paris"}'},
    }
    asks = _completion(
        {"role": "assistant", "content": None, "tool_calls": [call]}, "tool_calls"
    )
    gateway.enqueue("POST", "/v1/chat/completions", json=asks)
    result = await resolve(
        any_client().run_tools(
            model=GPT, messages=CHAT, tools=[get_weather], temperature=0.5, seed=7
        )
    )
    bodies: List[Any] = [
        r.body for r in gateway.requests if r.path == "/v1/chat/completions"
    ]
    assert result.rounds == 2 and [
        (b["temperature"], b["seed"]) for b in bodies[-2:]
    ] == [(0.5, 7), (0.5, 7)]


async def test_proxy_request_options_are_keywords(
    any_client: Callable[..., Any], gateway: FakeGateway
) -> None:
    client = any_client()
    before = len(gateway.requests)
    with pytest.raises(TypeError, match="extra_header"):
        await resolve(
            client.proxy_request("openai", "models", extra_header={"X-Org": "o1"})
        )
    with pytest.raises(TypeError, match="extra_headers= or headers="):
        await resolve(
            client.proxy_request(
                "openai", "models", headers={"a": "1"}, extra_headers={"b": "2"}
            )
        )
    assert len(gateway.requests) == before
    result = await resolve(
        client.proxy_request(
            "openai",
            "models",
            extra_headers={"X-Org": "o1"},
            extra_query={"limit": "2"},
            timeout=5.0,
        )
    )
    assert isinstance(result, dict) and result["query"] == {"limit": "2"}
    assert gateway.last.headers["x-org"] == "o1"


class City(BaseModel):
    city: str


async def test_parse_chat_completion_keywords(
    any_client: Callable[..., Any], gateway: FakeGateway
) -> None:
    client = any_client()
    before = len(gateway.requests)
    with pytest.raises(TypeError, match="temprature"):
        await resolve(
            client.parse_chat_completion(
                GPT, CHAT, response_format=City, temprature=0.2
            )
        )
    assert len(gateway.requests) == before
    answer = _completion({"role": "assistant", "content": '{"city": "Paris"}'}, "stop")
    gateway.enqueue("POST", "/v1/chat/completions", json=answer)
    parsed = await resolve(
        client.parse_chat_completion(
            GPT, CHAT, response_format=City, temperature=0.1, seed=3
        )
    )
    assert parsed.choices[0].message.parsed == City(city="Paris")
    assert (gateway.last.body["temperature"], gateway.last.body["seed"]) == (0.1, 3)
    assert gateway.last.body["response_format"]["type"] == "json_schema"


async def test_health_check_keywords(
    any_client: Callable[..., Any], gateway: FakeGateway
) -> None:
    client = any_client()
    with pytest.raises(TypeError, match="extra_header"):
        await resolve(client.health_check(extra_header={"X-Probe": "1"}))
    assert (
        await resolve(client.health_check(extra_headers={"X-Probe": "1"}, timeout=2.0))
        is True
    )
    assert gateway.last.path == "/health" and gateway.last.headers["x-probe"] == "1"
