"""Typed named-event streams (Responses, Messages) and the official SDK's call forms for images,
sync and async, against the fake gateway: what ``create_*_stream`` yields, what
``stream_response`` / ``stream_message`` accumulate and call back, and every way such a stream
can fail (early end, error event, a JSON body, an unknown event type)."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any, Callable, List

import pytest
from inference_gateway import InferenceGatewayAPIError, InvalidRequestError, StreamError
from inference_gateway.lib.tools import (
    messages_tool,
    parse_arguments,
    responses_tool,
    tool_from_function,
)
from inference_gateway.models import (
    MessagesResponse,
    MessagesStreamEvent,
    MessagesToolUseBlock,
    Response,
    ResponseFunctionToolCall,
    ResponseStreamEvent,
)
from pydantic import BaseModel

from tests.bundled.sdk._helpers import collect, collect_into, resolve
from tests.fakegw import FakeGateway, UploadedFile
from tests.fakegw.payloads import PNG_1X1, sse_event

GPT = "openai/gpt-4o"
CLAUDE = "anthropic/claude-opus-4-8"
HI = [{"role": "user", "content": "Hello there"}]


def get_weather(location: str) -> str:
    """Current weather.

    Args:
        location: City and state.
    """
    return f"Sunny in {location}"


class Weather(BaseModel):
    location: str


async def enter(stream: Any) -> Any:
    return await stream.__aenter__() if hasattr(stream, "__aenter__") else stream.__enter__()


# -- create_*_stream: typed events ---------------------------------------------------------------


async def test_an_unknown_event_type_passes_through_typed(any_client: Callable[..., Any], gateway: FakeGateway) -> None:
    frames = [
        sse_event("response.created", {"type": "response.created", "response": {"output": []}}),
        sse_event("response.future_thing", {"type": "response.future_thing", "shiny": [1, 2]}),
        b": keep-alive\n\n",
        sse_event("response.completed", {"type": "response.completed", "response": {"output": [], "status": "completed"}}),
    ]
    gateway.enqueue("POST", "/v1/responses", chunks=frames)
    events = await collect(any_client().create_response_stream(GPT, "hi"))
    assert [e.type for e in events] == ["response.created", "response.future_thing", "response.completed"]
    assert isinstance(events[1], ResponseStreamEvent) and events[1].model_extra == {"shiny": [1, 2]}


@pytest.mark.parametrize("api", ["responses", "messages"])
async def test_a_stream_without_its_terminal_event_raises(
    any_client: Callable[..., Any], gateway: FakeGateway, api: str
) -> None:
    client = any_client()
    if api == "responses":
        frames = [sse_event("response.created", {"type": "response.created", "response": {"output": []}})]
        gateway.enqueue("POST", "/v1/responses", chunks=frames)
        stream = client.create_response_stream(GPT, "hi")
    else:
        frames = [sse_event("ping", {"type": "ping"})]
        gateway.enqueue("POST", "/v1/messages", chunks=frames)
        stream = client.create_message_stream(CLAUDE, HI, 10)
    seen: List[Any] = []
    with pytest.raises(StreamError, match="without its terminal event"):
        await collect_into(stream, seen)
    assert len(seen) == 1  # the events before the end were yielded


async def test_a_stream_that_breaks_raises(any_client: Callable[..., Any], gateway: FakeGateway) -> None:
    frames = [sse_event("message_start", {"type": "message_start"}), sse_event("ping", {"type": "ping"})]
    gateway.enqueue("POST", "/v1/messages", chunks=frames, drop_after_chunks=1)
    with pytest.raises(StreamError):
        await collect(any_client().create_message_stream(CLAUDE, HI, 10))


async def test_a_json_body_answered_to_a_stream_is_an_error(any_client: Callable[..., Any], gateway: FakeGateway) -> None:
    client = any_client()
    gateway.enqueue("POST", "/v1/responses", json={"id": "resp_1", "output": []})
    with pytest.raises(StreamError, match="instead of an event stream"):
        await collect(client.create_response_stream(GPT, "hi"))
    gateway.enqueue("POST", "/v1/messages", json={"error": {"message": "quota exhausted", "code": 429}})
    with pytest.raises(InferenceGatewayAPIError, match="quota exhausted") as info:
        await collect(client.create_message_stream(CLAUDE, HI, 10))
    assert info.value.status_code == 429


async def test_a_responses_error_event_raises_the_api_error(any_client: Callable[..., Any], gateway: FakeGateway) -> None:
    frames = [
        sse_event("response.created", {"type": "response.created", "response": {"output": []}}),
        sse_event("error", {"type": "error", "code": "rate_limit_exceeded", "message": "slow down", "param": None}),
    ]
    gateway.enqueue("POST", "/v1/responses", chunks=frames)
    seen: List[Any] = []
    with pytest.raises(InferenceGatewayAPIError, match="slow down"):
        await collect_into(any_client().create_response_stream(GPT, "hi"), seen)
    assert [e.type for e in seen] == ["response.created"]


async def test_events_split_across_reads_and_unnamed_frames_still_parse(
    any_client: Callable[..., Any], gateway: FakeGateway
) -> None:
    whole = b"".join(
        [
            b"event: message_start\r\ndata: " + json.dumps({"type": "message_start"}).encode() + b"\r\n\r\n",
            b"data: " + json.dumps({"type": "ping"}).encode() + b"\n\n",  # no event: line
            sse_event("message_stop", {"type": "message_stop"}),
        ]
    )
    gateway.enqueue("POST", "/v1/messages", chunks=[whole[i : i + 7] for i in range(0, len(whole), 7)])
    events = await collect(any_client().create_message_stream(CLAUDE, HI, 10))
    assert [e.type for e in events] == ["message_start", "ping", "message_stop"]


# -- stream_response / stream_message -------------------------------------------------------------


async def test_stream_response_text_and_final_response(any_client: Callable[..., Any]) -> None:
    client = any_client()
    seen: List[Any] = []
    texts: List[str] = []
    finished: List[Any] = []
    stream = await enter(
        client.stream_response(GPT, "Hello there", on_event=seen.append, on_text=texts.append, on_finish=finished.append)
    )
    pieces = await collect(stream.text_stream)
    final = await resolve(stream.get_final_response())
    assert "".join(pieces) == "".join(texts) == "echo: Hello there"
    assert isinstance(final, Response) and final.status.root == "completed" and final.usage is not None
    assert await resolve(stream.get_final_text()) == "echo: Hello there"
    assert seen[-1].type == "response.completed" and finished == [final]


async def test_stream_response_rebuilds_the_output_when_the_final_event_lacks_it(
    any_client: Callable[..., Any], gateway: FakeGateway
) -> None:
    where = {"output_index": 0, "item_id": "msg_1", "content_index": 0}
    item = {"type": "message", "id": "msg_1", "role": "assistant", "status": "in_progress", "content": []}
    frames = [
        sse_event("response.output_item.added", {"type": "response.output_item.added", "output_index": 0, "item": item}),
        *[sse_event("response.output_text.delta", {"type": "response.output_text.delta", **where, "delta": d}) for d in ("Hi", " you")],
        sse_event("response.completed", {"type": "response.completed", "response": {"id": "r", "output": [], "status": "completed"}}),
    ]
    gateway.enqueue("POST", "/v1/responses", chunks=frames)
    stream = await enter(any_client().stream_response(GPT, "hi"))
    final = await resolve(stream.get_final_response())
    assert final.id == "r" and await resolve(stream.get_final_text()) == "Hi you"


async def test_stream_response_function_tool_from_a_python_function(
    any_client: Callable[..., Any], gateway: FakeGateway
) -> None:
    calls: List[Any] = []
    stream = await enter(any_client().stream_response(GPT, "Weather?", tools=[get_weather], on_tool=calls.append))
    final = await resolve(stream.get_final_response())
    sent = gateway.last.body["tools"][0]
    assert (sent["type"], sent["name"]) == ("function", "get_weather") and "function" not in sent
    assert sent["parameters"]["required"] == ["location"]
    (call,) = calls
    assert isinstance(call, ResponseFunctionToolCall) and call.call_id == "call_fake_1"
    assert parse_arguments(call, Weather).location == "New York, NY"
    assert isinstance(final.output[0].root, ResponseFunctionToolCall)


async def test_stream_message_accumulates_blocks_tool_input_stop_reason_and_usage(
    any_client: Callable[..., Any], gateway: FakeGateway
) -> None:
    tools_seen: List[Any] = []
    opened: List[bool] = []
    stream = await enter(
        any_client().stream_message(
            CLAUDE,
            [{"role": "user", "content": "Weather?"}],
            256,
            tools=[get_weather],
            thinking={"type": "enabled", "budget_tokens": 1024},
            on_tool=tools_seen.append,
            on_open=lambda: opened.append(True),
        )
    )
    message = await resolve(stream.get_final_message())
    assert opened == [True]
    assert gateway.last.body["tools"] == [
        {"name": "get_weather", "description": "Current weather.", "input_schema": gateway.last.body["tools"][0]["input_schema"]}
    ]
    assert isinstance(message, MessagesResponse)
    kinds = [block.root.type for block in message.content]
    assert kinds == ["thinking", "text", "tool_use"]
    use = message.content[2].root
    assert isinstance(use, MessagesToolUseBlock) and use.input == {"location": "New York, NY"}
    assert tools_seen == [use] and parse_arguments(use, Weather).location == "New York, NY"
    assert message.content[0].root.signature and message.content[0].root.thinking
    assert message.stop_reason == "tool_use"
    assert (message.usage.input_tokens, message.usage.output_tokens) == (10, 12)  # start's input, delta's output


async def test_stream_message_text_stream_and_async_callbacks(any_client: Callable[..., Any]) -> None:
    texts: List[str] = []

    async def on_text_async(text: str) -> None:
        texts.append(text)

    client = any_client()
    is_async = hasattr(client, "__aenter__")
    callback = on_text_async if is_async else texts.append
    stream = await enter(client.stream_message(CLAUDE, HI, 64, on_text=callback))
    pieces = await collect(stream.text_stream)
    assert "".join(pieces) == "".join(texts) == "echo: Hello there"
    message = await resolve(stream.get_final_message())
    assert message.stop_reason == "end_turn" and await resolve(stream.get_final_text()) == "echo: Hello there"


async def test_stream_message_on_error_then_raises(any_client: Callable[..., Any], gateway: FakeGateway) -> None:
    error = {"type": "error", "error": {"type": "overloaded_error", "message": "Overloaded"}}
    gateway.enqueue("POST", "/v1/messages", chunks=[sse_event("error", error)])
    errors: List[BaseException] = []
    stream = await enter(any_client().stream_message(CLAUDE, HI, 10, on_error=errors.append))
    with pytest.raises(InferenceGatewayAPIError, match="Overloaded"):
        await resolve(stream.get_final_message())
    assert len(errors) == 1 and isinstance(errors[0], InferenceGatewayAPIError)


async def test_bad_tool_input_json_is_a_stream_error(any_client: Callable[..., Any], gateway: FakeGateway) -> None:
    block = {"type": "tool_use", "id": "t1", "name": "get_weather", "input": {}}
    frames = [
        sse_event("content_block_start", {"type": "content_block_start", "index": 0, "content_block": block}),
        sse_event("content_block_delta", {"type": "content_block_delta", "index": 0, "delta": {"type": "input_json_delta", "partial_json": '{"loc'}}),
        sse_event("content_block_stop", {"type": "content_block_stop", "index": 0}),
        sse_event("message_stop", {"type": "message_stop"}),
    ]
    gateway.enqueue("POST", "/v1/messages", chunks=frames)
    stream = await enter(any_client().stream_message(CLAUDE, HI, 10))
    with pytest.raises(StreamError, match="tool_use block 0"):
        await resolve(stream.get_final_message())


# -- tools across the APIs ------------------------------------------------------------------------


def test_tool_definitions_in_each_wire_shape() -> None:
    chat = tool_from_function(get_weather)
    function = chat.function.model_dump(exclude_none=True)
    assert responses_tool(chat) == {"type": "function", **function}
    assert responses_tool(get_weather) == {"type": "function", **function}
    assert messages_tool(get_weather) == {
        "name": "get_weather",
        "description": "Current weather.",
        "input_schema": function["parameters"],
    }
    native = {"name": "x", "input_schema": {"type": "object"}}
    assert messages_tool(native) is native and responses_tool({"type": "web_search"}) == {"type": "web_search"}


def test_parse_arguments_of_each_api() -> None:
    use = MessagesToolUseBlock(type="tool_use", id="t", name="get_weather", input={"location": "Oslo"})
    call = ResponseFunctionToolCall.model_validate(
        {"type": "function_call", "call_id": "c", "name": "get_weather", "arguments": '{"location": "Rome"}'}
    )
    assert parse_arguments(use, Weather).location == "Oslo"
    assert parse_arguments(call, Weather).location == "Rome"
    assert parse_arguments({"type": "tool_use", "name": "w", "input": {"location": "Lima"}}, Weather).location == "Lima"


# -- images: the official call forms --------------------------------------------------------------


async def test_image_edit_from_a_path_a_file_and_bytes(
    any_client: Callable[..., Any], gateway: FakeGateway, tmp_path: Path
) -> None:
    client = any_client()
    path = tmp_path / "photo.png"
    path.write_bytes(PNG_1X1)
    await resolve(client.create_image_edit(path, "Add a hat", model="gpt-image-1", quality="high"))
    assert gateway.last.form == {
        "image": UploadedFile("photo.png", "image/png", PNG_1X1),
        "prompt": "Add a hat",
        "model": "gpt-image-1",
        "quality": "high",
    }
    with open(path, "rb") as handle:
        await resolve(client.create_image_edit(str(path), "x", mask=handle))
    assert gateway.last.form["mask"] == UploadedFile("photo.png", "image/png", PNG_1X1)
    await resolve(client.create_image_variation(io.BytesIO(PNG_1X1), n=3))
    assert gateway.last.form == {"image": UploadedFile("image.png", "image/png", PNG_1X1), "n": "3"}
    jpeg = b"\xff\xd8\xff\xe0" + bytes(20)
    await resolve(client.create_image_variation(jpeg))
    assert gateway.last.form["image"] == UploadedFile("image.jpg", "image/jpeg", jpeg)


@pytest.mark.parametrize(
    ("image", "prompt", "message"),
    [
        (None, "x", "image is required"),
        (PNG_1X1, "", "prompt is required"),
        (b"plain text", "x", "not a PNG, JPEG, GIF or WebP"),
        ("/nonexistent/cat.png", "x", "cannot read"),
        (io.StringIO("text"), "x", "binary mode"),
        (12, "x", "expected a path, bytes"),
    ],
)
async def test_bad_image_arguments_fail_before_sending(
    any_client: Callable[..., Any], gateway: FakeGateway, image: Any, prompt: str, message: str
) -> None:
    before = len(gateway.requests)
    with pytest.raises(InvalidRequestError, match=message):
        await resolve(any_client().create_image_edit(image, prompt))
    assert len(gateway.requests) == before


async def test_create_message_stream_events_are_typed(any_client: Callable[..., Any]) -> None:
    events = await collect(any_client().create_message_stream(CLAUDE, HI, 16))
    assert all(isinstance(e, MessagesStreamEvent) for e in events) and events[-1].type == "message_stop"
