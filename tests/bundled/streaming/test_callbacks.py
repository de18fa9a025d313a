"""ChatCompletionStream callbacks (TypeScript SDK parity) and the think-tag splitter."""

from __future__ import annotations

import json
from typing import Any, Callable, Dict, List

import pytest
from inference_gateway import Message
from inference_gateway.lib import (
    ChatCompletionAccumulator,
    ThinkTagSplitter,
    iter_split_think_tags,
    split_think_tags,
    tool_from_function,
)
from inference_gateway.models import CreateChatCompletionStreamResponse

from tests.bundled.streaming._streams import CHAT, RECORDED_CHUNKS, chunk, recorded_bytes, sse
from tests.bundled.streaming.test_streams import chat
from tests.fakegw import FakeGateway

MESSAGES = [Message(role="user", content="Weather?")]
MODEL = "google/gemini-3-flash"


def get_weather(location: str) -> str:
    """Current weather.

    Args:
        location: City name.
    """
    return f"sunny in {location}"


def recorder(log: List[Any], name: str, is_async: bool) -> Callable[..., Any]:
    if is_async:

        async def record_async(*args: Any) -> None:
            log.append((name, *args))

        return record_async

    def record(*args: Any) -> None:
        log.append((name, *args))

    return record


CALLBACKS = (
    "on_open",
    "on_chunk",
    "on_content",
    "on_reasoning",
    "on_tool",
    "on_mcp_tool",
    "on_usage",
    "on_finish",
    "on_error",
)


@pytest.mark.parametrize("coroutines", [False, True], ids=["plain", "coroutine"])
async def test_every_callback_fires_in_order(
    gateway: FakeGateway, any_client: Callable[..., Any], coroutines: bool
) -> None:
    client = any_client()
    is_async = hasattr(client, "__aenter__") and coroutines
    log: List[Any] = []
    gateway.enqueue("POST", CHAT, chunks=[recorded_bytes()])
    stream = client.stream_chat_completion(
        model=MODEL,
        messages=MESSAGES,
        tools=[get_weather],  # a plain function: its definition is derived and sent
        **{name: recorder(log, name, is_async) for name in CALLBACKS},
    )
    chunks, final = await chat(stream)
    names = [entry[0] for entry in log]
    assert names[0] == "on_open"
    assert names.count("on_chunk") == len(chunks) == len(RECORDED_CHUNKS)
    assert "".join(e[1] for e in log if e[0] == "on_content") == "Checking Paris ☀ and Rome."
    assert "".join(e[1] for e in log if e[0] == "on_reasoning") == "Think about the weather."
    tools = [e[1] for e in log if e[0] == "on_tool"]
    mcp = [e[1] for e in log if e[0] == "on_mcp_tool"]
    # get_weather was supplied by the request; search_docs is a gateway-side MCP tool
    assert [t.function.name for t in tools] == ["get_weather"]
    assert tools[0].extra_content.google.thought_signature == "c2lnLWE="
    assert [(t.function.name, json.loads(t.function.arguments)) for t in mcp] == [
        ("search_docs", {"q": "rome"})
    ]
    assert names.index("on_tool") < names.index("on_usage") < names.index("on_finish")
    usage = [e[1] for e in log if e[0] == "on_usage"]
    assert usage[0].total_tokens == 26
    assert [e[1] for e in log if e[0] == "on_finish"] == [final]
    assert "on_error" not in names
    sent = gateway.last.body["tools"]
    assert sent[0]["function"]["name"] == "get_weather"
    assert sent[0]["function"]["parameters"]["required"] == ["location"]


async def test_on_error_sees_the_error_and_it_still_propagates(
    gateway: FakeGateway, any_client: Callable[..., Any]
) -> None:
    errors: List[BaseException] = []
    gateway.enqueue("POST", CHAT, chunks=[sse(RECORDED_CHUNKS[0])])  # no [DONE]
    stream = any_client().stream_chat_completion(
        model=MODEL, messages=MESSAGES, on_error=errors.append, on_finish=errors.append
    )
    from inference_gateway import StreamError

    with pytest.raises(StreamError):
        await chat(stream)
    assert len(errors) == 1 and isinstance(errors[0], StreamError)


async def test_mcp_tool_with_unparsable_arguments_is_not_reported(
    gateway: FakeGateway, any_client: Callable[..., Any]
) -> None:
    pieces = [
        sse(chunk({"tool_calls": [{"index": 0, "id": "c1", "type": "function",
                                   "function": {"name": "mcp_x", "arguments": '{"a": '}}]})),
        sse(chunk({}, "tool_calls")),
        b"data: [DONE]\n\n",
    ]
    gateway.enqueue("POST", CHAT, chunks=pieces)
    seen: List[Any] = []
    _, final = await chat(
        any_client().stream_chat_completion(
            model=MODEL, messages=MESSAGES, on_mcp_tool=seen.append, on_tool=seen.append
        )
    )
    assert seen == []
    assert final.choices[0].message.tool_calls[0].function.arguments == '{"a": '


def test_accumulator_merges_fragments_by_index_and_choice() -> None:
    def parse(obj: Dict[str, Any]) -> CreateChatCompletionStreamResponse:
        return CreateChatCompletionStreamResponse.model_validate(obj)

    acc = ChatCompletionAccumulator(tool_names=["f"])
    for obj in [
        chunk({"role": "assistant", "content": "A"}, index=0),
        chunk({"role": "assistant", "content": "B"}, index=1),
        # a provider repeating the whole name in every fragment, another streaming it in pieces
        chunk({"tool_calls": [{"index": 0, "id": "x", "function": {"name": "f", "arguments": "{"}}]}, index=0),
        chunk({"tool_calls": [{"index": 0, "function": {"name": "f", "arguments": "}"}}]}, index=0),
        chunk({"tool_calls": [{"index": 0, "id": "y", "function": {"name": "lo", "arguments": ""}}]}, index=1),
        chunk({"tool_calls": [{"index": 0, "function": {"name": "okup", "arguments": "{}"}}]}, index=1),
        chunk({"refusal": "no"}, "stop", index=1),
        chunk({"content": "!"}, "tool_calls", index=0),
    ]:
        acc.add(parse(obj))
    final = acc.completion()
    first, second = final.choices
    assert first.message.content.root == "A!"
    assert first.message.tool_calls[0].function.name == "f"
    assert first.message.tool_calls[0].function.arguments == "{}"
    assert second.message.tool_calls[0].function.name == "lookup"
    assert second.message.model_extra["refusal"] == "no"
    assert (first.finish_reason.root, second.finish_reason.root) == ("tool_calls", "stop")


def test_long_streams_compact_text() -> None:
    acc = ChatCompletionAccumulator()
    for i in range(5000):
        acc.add(CreateChatCompletionStreamResponse.model_validate(chunk({"content": str(i % 10)})))
    text = acc._choices[0].content
    assert len(text.parts) < 256 and len(text.blocks) == 5000 // 256
    content = acc.completion().choices[0].message.content.root
    assert content == "".join(str(i % 10) for i in range(5000))
    assert text.blocks == [content] and text.parts == []  # one copy kept afterwards
    assert acc.completion().choices[0].message.content.root == content


# -- think tags (reasoning_format="raw") ---------------------------------------------------------


def test_split_think_tags_whole() -> None:
    assert split_think_tags("<think>hmm</think>Answer") == ("hmm", "Answer")
    assert split_think_tags("no tags") == ("", "no tags")
    assert split_think_tags("<think>unfinished") == ("unfinished", "")
    assert split_think_tags("a < b <thin") == ("", "a < b <thin")


@pytest.mark.parametrize("size", [1, 2, 3, 5, 7])
def test_think_tag_cut_across_chunks(size: int) -> None:
    text = "<think>Let me count: r, r, r.</think>There are 3 r<s>."
    pieces = [text[i : i + size] for i in range(0, len(text), size)]
    kinds: Dict[str, str] = {"reasoning": "", "content": ""}
    for kind, part in iter_split_think_tags(pieces):
        kinds[kind] += part
    assert kinds == {"reasoning": "Let me count: r, r, r.", "content": "There are 3 r<s>."}


def test_think_splitter_state() -> None:
    splitter = ThinkTagSplitter()
    assert splitter.feed("<thi") == ("", "")
    assert splitter.feed("nk>abc</th") == ("abc", "")
    assert splitter.in_reasoning
    assert splitter.feed("ink>done") == ("", "done")
    assert splitter.flush() == ("", "")


async def test_raw_reasoning_format_over_a_stream(
    gateway: FakeGateway, any_client: Callable[..., Any]
) -> None:
    text = "<think>two plus two</think>Four."
    pieces = [sse(chunk({"content": text[i : i + 3]})) for i in range(0, len(text), 3)]
    gateway.enqueue("POST", CHAT, chunks=[*pieces, sse(chunk({}, "stop")), b"data: [DONE]\n\n"])
    client = any_client()
    _, final = await chat(
        client.stream_chat_completion(model=MODEL, messages=MESSAGES, reasoning_format="raw")
    )
    assert gateway.last.body["reasoning_format"] == "raw"
    assert split_think_tags(final.choices[0].message.content.root) == ("two plus two", "Four.")


def test_tool_from_function_is_exported() -> None:
    assert tool_from_function(get_weather).function.name == "get_weather"


def test_attribute_fold_matches_the_fast_fold(monkeypatch: pytest.MonkeyPatch) -> None:
    """The fold used when the models lack the expected fields gives the same answer."""
    from inference_gateway.lib import chat_stream

    parsed = [CreateChatCompletionStreamResponse.model_validate(c) for c in RECORDED_CHUNKS]
    fast = ChatCompletionAccumulator()
    for item in parsed:
        fast.add(item)
    monkeypatch.setattr(chat_stream, "_FIELDS_IN_DICT", False)
    slow = ChatCompletionAccumulator()
    for item in parsed:
        slow.add(item)
    assert slow.completion() == fast.completion()
    assert fast.completion().choices[0].message.content.root == "Checking Paris ☀ and Rome."
