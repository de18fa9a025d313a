"""The methods of today's gateway APIs, sync and async, against the fake gateway: Responses and
Messages (JSON and typed named-event streams), Images (JSON and multipart), metrics,
model metadata, the full chat request, and the deprecated A2A listing."""

from __future__ import annotations

import base64
import inspect
import json
from typing import Any, Callable, Dict, List

import pytest
from inference_gateway import (
    BadRequestError,
    InferenceGatewayAPIError,
    InvalidRequestError,
    Message,
    PermissionDeniedError,
)
from inference_gateway.models import (
    ImagesResponse,
    MessagesResponse,
    MessagesStreamEvent,
    MessagesTextBlock,
    MessagesThinkingBlock,
    MessagesToolUseBlock,
    Response,
    ResponseFunctionToolCall,
    ResponseOutputMessage,
    ResponseStreamEvent,
)

from tests.bundled.sdk._helpers import collect, collect_into, resolve
from tests.fakegw import FakeGateway, UploadedFile
from tests.fakegw.payloads import PNG_1X1, THINKING, THINKING_SIGNATURE, sse_event

GPT = "openai/gpt-4o"
CLAUDE = "anthropic/claude-opus-4-8"
WEATHER_SCHEMA = {
    "type": "object",
    "properties": {"location": {"type": "string"}},
    "required": ["location"],
}
PNG = ("cat.png", PNG_1X1, "image/png")

RESPONSE_TEXT_EVENTS = [
    "response.created",
    "response.in_progress",
    "response.output_item.added",
    "response.content_part.added",
    "response.output_text.delta",
    "response.output_text.delta",
    "response.output_text.delta",
    "response.output_text.done",
    "response.content_part.done",
    "response.output_item.done",
    "response.completed",
]


# -- Responses API ---------------------------------------------------------------------------


async def test_create_response(any_client: Callable[..., Any], gateway: FakeGateway) -> None:
    client = any_client()
    response = await resolve(
        client.create_response(GPT, "Hello there", instructions="Be brief.", max_output_tokens=50, provider="openai")
    )
    assert isinstance(response, Response)
    assert response.status.root == "completed" and response.usage is not None
    assert response.usage.total_tokens == response.usage.input_tokens + response.usage.output_tokens
    message = response.output[0].root
    assert isinstance(message, ResponseOutputMessage)
    assert message.content[0].root.text == "echo: Hello there"
    sent = gateway.last
    assert (sent.path, sent.query) == ("/v1/responses", {"provider": "openai"})
    assert sent.body == {"model": GPT, "input": "Hello there", "instructions": "Be brief.", "max_output_tokens": 50}


async def test_create_response_with_input_items_and_a_function_tool(
    any_client: Callable[..., Any], gateway: FakeGateway
) -> None:
    client = any_client()
    tool = {"type": "function", "name": "get_weather", "parameters": WEATHER_SCHEMA}
    items = [{"role": "user", "content": [{"type": "input_text", "text": "Weather in New York?"}]}]
    response = await resolve(client.create_response(GPT, items, tools=[tool], tool_choice="auto"))
    call = response.output[0].root
    assert isinstance(call, ResponseFunctionToolCall)
    assert (call.name, call.call_id, json.loads(call.arguments)) == ("get_weather", "call_fake_1", {"location": "New York, NY"})
    assert gateway.last.body["tools"] == [tool]  # the Responses API's flat function shape
    assert gateway.last.body["input"] == items


async def test_response_input_takes_tool_results_and_items_sent_back_but_checks_messages(
    any_client: Callable[..., Any], gateway: FakeGateway
) -> None:
    """A `function_call_output` and an earlier output's items go as given (a stateless tool
    loop sends them); a message item with a misspelled key is refused before sending."""
    client = any_client()
    items = [
        {"role": "user", "content": "Weather in Oslo?"},
        {"type": "function_call", "call_id": "c1", "name": "get_weather", "arguments": "{}"},
        {"type": "message", "role": "assistant", "content": [{"type": "output_text", "text": "hm"}]},
        {"type": "function_call_output", "call_id": "c1", "output": "-3 C"},
    ]
    await resolve(client.create_response(GPT, items))
    assert gateway.last.body["input"] == items
    sent = len(gateway.requests)
    with pytest.raises(InvalidRequestError, match="input"):
        await resolve(client.create_response(GPT, [{"role": "user", "contnet": "typo"}]))
    assert len(gateway.requests) == sent


async def test_create_response_stream_yields_every_named_event(
    any_client: Callable[..., Any], gateway: FakeGateway
) -> None:
    client = any_client()
    stream = client.create_response_stream(GPT, "Hello there")
    typed = await collect(stream)
    assert all(isinstance(t, ResponseStreamEvent) for t in typed)
    assert stream.completed  # no [DONE]: the stream ends with response.completed
    assert [t.type for t in typed] == RESPONSE_TEXT_EVENTS
    assert [t.sequence_number for t in typed] == list(range(len(typed)))
    created = typed[0].response
    assert created is not None and created.usage is None and created.output == []  # usage: null until done
    assert "".join(t.delta or "" for t in typed if t.type == "response.output_text.delta") == "echo: Hello there"
    final = typed[-1].response
    assert final is not None and final.status.root == "completed" and final.usage is not None
    assert gateway.last.body["stream"] is True and gateway.last.headers["accept"] == "text/event-stream"


async def test_create_response_stream_of_a_function_call(any_client: Callable[..., Any]) -> None:
    client = any_client()
    tool = {"type": "function", "name": "get_weather", "parameters": WEATHER_SCHEMA}
    typed = await collect(client.create_response_stream(GPT, "Weather?", tools=[tool]))
    deltas = [t.delta or "" for t in typed if t.type == "response.function_call_arguments.delta"]
    assert json.loads("".join(deltas)) == {"location": "New York, NY"}
    added = [t for t in typed if t.type == "response.output_item.added"]
    assert added[0].model_extra is not None and added[0].model_extra["item"]["type"] == "function_call"


async def test_responses_not_supported_by_the_provider(any_client: Callable[..., Any]) -> None:
    client = any_client()
    with pytest.raises(BadRequestError) as info:
        await resolve(client.create_response("groq/llama-4", "hi"))
    assert info.value.message == "responses are not supported for provider groq"


# -- Messages API ----------------------------------------------------------------------------


async def test_create_message_with_thinking(any_client: Callable[..., Any], gateway: FakeGateway) -> None:
    client = any_client()
    message = await resolve(
        client.create_message(
            CLAUDE,
            [{"role": "user", "content": "Hello there"}],
            256,
            system="Be brief.",
            thinking={"type": "enabled", "budget_tokens": 1024},
        )
    )
    assert isinstance(message, MessagesResponse)
    thinking, text = (block.root for block in message.content)
    assert isinstance(thinking, MessagesThinkingBlock) and thinking.signature == THINKING_SIGNATURE
    assert isinstance(text, MessagesTextBlock) and text.text == "echo: Hello there"
    assert message.stop_reason == "end_turn" and message.usage.input_tokens == 10
    assert gateway.last.path == "/v1/messages"
    assert gateway.last.body == {
        "model": CLAUDE,
        "messages": [{"role": "user", "content": "Hello there"}],
        "max_tokens": 256,
        "system": "Be brief.",
        "thinking": {"type": "enabled", "budget_tokens": 1024},
    }


async def test_create_message_tool_use_and_result(any_client: Callable[..., Any], gateway: FakeGateway) -> None:
    client = any_client()
    tools = [{"name": "get_weather", "description": "Current weather", "input_schema": WEATHER_SCHEMA}]
    asked = [{"role": "user", "content": "Weather in New York?"}]
    message = await resolve(client.create_message(CLAUDE, asked, 256, tools=tools, tool_choice={"type": "auto"}))
    use = message.content[-1].root
    assert isinstance(use, MessagesToolUseBlock) and use.input == {"location": "New York, NY"}
    assert message.stop_reason == "tool_use"
    history = [
        *asked,
        {"role": "assistant", "content": [block.model_dump(exclude_none=True) for block in message.content]},
        {"role": "user", "content": [{"type": "tool_result", "tool_use_id": use.id, "content": "Sunny, 21 C"}]},
    ]
    final = await resolve(client.create_message(CLAUDE, history, 256, tools=tools))
    assert final.content[0].root.text == "tool result: Sunny, 21 C"
    assert gateway.last.body["messages"][1]["content"][-1]["type"] == "tool_use"


async def test_create_message_stream_has_anthropics_frames(
    any_client: Callable[..., Any], gateway: FakeGateway
) -> None:
    client = any_client()
    tools = [{"name": "get_weather", "input_schema": WEATHER_SCHEMA}]
    stream = client.create_message_stream(
        CLAUDE, [{"role": "user", "content": "Weather?"}], 256, tools=tools, thinking={"type": "enabled", "budget_tokens": 1024}
    )
    typed: List[MessagesStreamEvent] = await collect(stream)
    assert stream.completed and all(isinstance(t, MessagesStreamEvent) for t in typed)
    names = [t.type for t in typed]
    assert names[0] == "message_start" and names[-2:] == ["message_delta", "message_stop"]
    assert "ping" in names and names.count("content_block_start") == names.count("content_block_stop") == 3
    start = typed[0].message
    assert start is not None and start.stop_reason is None and start.content == []  # Anthropic's message_start
    delta = typed[-2]
    assert delta.delta is not None and delta.delta.stop_reason == "tool_use"
    assert delta.usage is not None and delta.usage.output_tokens == 12
    assert delta.usage.input_tokens == 0 and "input_tokens" not in delta.usage.model_fields_set
    by_kind: Dict[str, str] = {}
    for t in typed:
        if t.type == "content_block_delta" and t.delta is not None:
            piece = t.delta.text or t.delta.thinking or t.delta.partial_json or ""
            by_kind[t.delta.type or ""] = by_kind.get(t.delta.type or "", "") + piece
    assert by_kind["thinking_delta"] == THINKING
    assert json.loads(by_kind["input_json_delta"]) == {"location": "New York, NY"}
    signature = [t.delta.signature for t in typed if t.delta is not None and t.delta.type == "signature_delta"]
    assert signature == [THINKING_SIGNATURE]
    assert gateway.last.body["stream"] is True


async def test_messages_error_event_raises_after_the_events_before_it(
    any_client: Callable[..., Any], gateway: FakeGateway
) -> None:
    client = any_client()
    error = {"type": "error", "error": {"type": "overloaded_error", "message": "Overloaded"}}
    start = {
        "type": "message_start",
        "message": {
            "id": "msg_1", "type": "message", "role": "assistant", "model": CLAUDE, "content": [],
            "stop_reason": None, "stop_sequence": None, "usage": {"input_tokens": 3, "output_tokens": 1},
        },
    }
    gateway.enqueue("POST", "/v1/messages", chunks=[sse_event("message_start", start), sse_event("error", error)])
    seen: List[Any] = []
    with pytest.raises(InferenceGatewayAPIError) as info:
        await collect_into(client.create_message_stream(CLAUDE, [{"role": "user", "content": "hi"}], 10), seen)
    assert [e.type for e in seen] == ["message_start"]
    assert "Overloaded" in info.value.message
    parsed = MessagesStreamEvent.model_validate(error)  # the error frame itself is a valid event
    assert parsed.type == "error" and parsed.error is not None and parsed.error.type == "overloaded_error"


async def test_messages_not_supported_by_the_provider(any_client: Callable[..., Any]) -> None:
    client = any_client()
    with pytest.raises(BadRequestError) as info:
        await resolve(client.create_message("groq/llama-4", [{"role": "user", "content": "hi"}], 10))
    assert info.value.message == "messages are not supported for provider groq"
    assert info.value.body["error"]["type"] == "not_supported_error"


# -- Images API ------------------------------------------------------------------------------


async def test_create_image(any_client: Callable[..., Any], gateway: FakeGateway) -> None:
    client = any_client()
    images = await resolve(client.create_image("A lighthouse", n=2, size="1024x1024", response_format="b64_json"))
    assert isinstance(images, ImagesResponse) and len(images.data) == 2
    assert base64.b64decode(images.data[0].b64_json or "") == PNG_1X1
    assert images.usage is not None and images.usage.output_tokens == 120
    assert gateway.last.path == "/v1/images/generations"
    assert gateway.last.body == {"prompt": "A lighthouse", "n": 2, "size": "1024x1024", "response_format": "b64_json"}


async def test_create_image_edit_is_multipart(any_client: Callable[..., Any], gateway: FakeGateway) -> None:
    client = any_client()
    mask = ("mask.png", PNG_1X1, "image/png")
    images = await resolve(client.create_image_edit(PNG, "Add a hat", mask=mask, n=2, size=None, provider="openai"))
    assert [image.url for image in images.data] == ["https://images.example/fake-0.png", "https://images.example/fake-1.png"]
    sent = gateway.last
    assert (sent.path, sent.query) == ("/v1/images/edits", {"provider": "openai"})
    assert sent.headers["content-type"].startswith("multipart/form-data; boundary=")
    assert sent.form == {
        "image": UploadedFile("cat.png", "image/png", PNG_1X1),
        "mask": UploadedFile("mask.png", "image/png", PNG_1X1),
        "prompt": "Add a hat",
        "n": "2",
    }  # `size: None` is not sent


async def test_create_image_variation_is_multipart(any_client: Callable[..., Any], gateway: FakeGateway) -> None:
    client = any_client()
    images = await resolve(client.create_image_variation(PNG, response_format="b64_json"))
    assert base64.b64decode(images.data[0].b64_json or "") == PNG_1X1
    assert gateway.last.path == "/v1/images/variations"
    assert gateway.last.form == {"image": UploadedFile("cat.png", "image/png", PNG_1X1), "response_format": "b64_json"}


# -- metrics, model metadata, chat request, A2A ----------------------------------------------------


async def test_push_metrics(any_client: Callable[..., Any], gateway: FakeGateway) -> None:
    client = any_client()
    export = {"resourceMetrics": [{"scopeMetrics": [{"metrics": [{"name": "sdk.requests", "sum": {}}]}]}]}
    assert await resolve(client.push_metrics(export)) == {"partialSuccess": {}}
    assert gateway.last.path == "/v1/metrics" and gateway.last.body == export
    assert gateway.last.headers["content-type"] == "application/json"
    gateway.metrics_push_enabled = False
    with pytest.raises(PermissionDeniedError):
        await resolve(client.push_metrics(export))


async def test_list_models_with_metadata(any_client: Callable[..., Any], gateway: FakeGateway) -> None:
    client = any_client()
    models = await resolve(client.list_models(include=["pricing"]))
    assert gateway.last.query == {"include": "pricing"}
    first = models.data[0]
    assert first.pricing is not None and first.pricing.input_per_token == "0.0000025"
    assert first.context_window is None and first.modalities is None
    plain = await resolve(client.list_models())
    assert plain.data[0].pricing is None
    both = await resolve(client.list_models(include=["pricing", "context_window"]))
    assert gateway.last.query == {"include": "pricing,context_window"}  # one comma-joined value
    assert both.data[0].pricing is not None and both.data[0].context_window is not None


async def test_every_chat_request_field_is_a_keyword_argument_and_is_sent(
    any_client: Callable[..., Any], gateway: FakeGateway
) -> None:
    client = any_client()
    fields: Dict[str, Any] = {
        "max_tokens": 64,
        "max_completion_tokens": 64,
        "temperature": 0.2,
        "top_p": 0.9,
        "frequency_penalty": 0.5,
        "presence_penalty": -0.5,
        "n": 1,
        "stop": ["\n\n"],
        "seed": 7,
        "logprobs": True,
        "top_logprobs": 2,
        "response_format": {"type": "json_schema", "json_schema": {"name": "answer", "schema": {"type": "object"}}},
        "logit_bias": {"50256": -100},
        "user": "user-1",
        "stream_options": {"include_usage": True},
        "tools": [{"type": "function", "function": {"name": "f", "parameters": {"type": "object"}}}],
        "tool_choice": {"type": "function", "function": {"name": "f"}},
        "parallel_tool_calls": False,
        "reasoning_format": "parsed",
        "reasoning_effort": "low",
    }
    await resolve(client.create_chat_completion(GPT, [Message(role="user", content="hi")], **fields))
    assert gateway.last.body == {"model": GPT, "messages": [{"role": "user", "content": "hi"}], **fields}


async def test_older_gateways_mcp_tool_spelling_still_parses(any_client: Callable[..., Any], gateway: FakeGateway) -> None:
    client = any_client()
    tool = {"name": "read_file", "description": "Read a file", "server": "http://mcp:8083/mcp", "inputSchema": {"type": "object"}}
    gateway.enqueue("GET", "/v1/mcp/tools", json={"object": "list", "data": [tool]})
    tools = await resolve(client.list_tools())
    assert tools.data[0].inputSchema == {"type": "object"} and tools.data[0].input_schema is None


@pytest.mark.parametrize("call", ["list_agents", "get_agent"])
async def test_a2a_listing_is_deprecated(any_client: Callable[..., Any], gateway: FakeGateway, call: str) -> None:
    client = any_client()
    args = ("calendar-agent",) if call == "get_agent" else ()
    with pytest.warns(DeprecationWarning, match=rf"{call}\(\) is deprecated") as caught:
        pending = getattr(client, call)(*args)
        result = await pending if inspect.isawaitable(pending) else pending
    assert result is not None and gateway.last.path.startswith("/v1/a2a/agents")
    assert caught[0].filename == __file__  # attributed to the caller's line

