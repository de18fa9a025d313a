"""Structured output: ``parse_chat_completion`` (sync, async, streaming) sends a strict
``json_schema`` response format built from a Pydantic model and parses the answer into it."""

from __future__ import annotations

import json
from typing import Any, Callable, Dict, List, Optional

import pytest
from inference_gateway import (
    ContentRefusalError,
    LengthFinishReasonError,
    Message,
    ParsedChatCompletion,
    StructuredOutputError,
    StructuredOutputValidationError,
    to_strict_json_schema,
)
from pydantic import BaseModel

from tests.bundled.sdk._helpers import collect, resolve
from tests.bundled.streaming._streams import chunk, sse
from tests.fakegw import FakeGateway

HELLO = [Message(role="user", content="Alice is 30 and lives in Paris")]
PATH = "/v1/chat/completions"


class Address(BaseModel):
    city: str
    zip_code: Optional[str] = None


class Person(BaseModel):
    """A person mentioned in the text."""

    name: str
    age: int
    address: Address
    tags: List[str] = []


class Loose(BaseModel):
    labels: Dict[str, str]


def _completion(content: Any, finish: str = "stop", **message: Any) -> Dict[str, Any]:
    return {
        "id": "c1",
        "object": "chat.completion",
        "created": 1,
        "model": "m",
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": content, **message},
                "finish_reason": finish,
            }
        ],
    }


ALICE = {"name": "Alice", "age": 30, "address": {"city": "Paris", "zip_code": None}, "tags": []}


def test_strict_schema_closes_objects_and_requires_every_field() -> None:
    schema = to_strict_json_schema(Person)
    assert schema["additionalProperties"] is False
    assert schema["required"] == ["name", "age", "address", "tags"]
    assert "default" not in schema["properties"]["tags"]
    address = schema["$defs"]["Address"]
    assert address["additionalProperties"] is False
    assert address["required"] == ["city", "zip_code"]
    assert {"type": "null"} in address["properties"]["zip_code"]["anyOf"]  # optional: nullable


def test_free_form_objects_are_refused_with_their_place() -> None:
    with pytest.raises(TypeError, match="#/properties/labels: strict structured output"):
        to_strict_json_schema(Loose)


async def test_parse_sends_strict_format_and_parses(
    any_client: Callable[..., Any], gateway: FakeGateway
) -> None:
    gateway.enqueue("POST", PATH, json=_completion(json.dumps(ALICE)))
    completion = await resolve(
        any_client().parse_chat_completion(
            model="m", messages=HELLO, response_format=Person, temperature=0
        )
    )
    assert isinstance(completion, ParsedChatCompletion)
    parsed = completion.choices[0].message.parsed
    assert isinstance(parsed, Person) and parsed.address.city == "Paris" and parsed.age == 30
    sent = gateway.last.body
    assert sent["temperature"] == 0
    fmt = sent["response_format"]
    assert fmt["type"] == "json_schema"
    assert fmt["json_schema"]["name"] == "Person"
    assert fmt["json_schema"]["strict"] is True
    assert fmt["json_schema"]["description"] == "A person mentioned in the text."
    assert fmt["json_schema"]["schema"] == to_strict_json_schema(Person)


async def test_refusal_is_a_typed_error(
    any_client: Callable[..., Any], gateway: FakeGateway
) -> None:
    gateway.enqueue("POST", PATH, json=_completion(None, refusal="I can't help with that"))
    with pytest.raises(ContentRefusalError) as caught:
        await resolve(any_client().parse_chat_completion("m", HELLO, response_format=Person))
    assert caught.value.refusal == "I can't help with that"
    assert caught.value.completion.id == "c1"


@pytest.mark.parametrize(
    "content, match",
    [("not json {", "not valid JSON|Invalid JSON"), (json.dumps({"name": "A"}), "age")],
)
async def test_invalid_answer_is_a_typed_error(
    any_client: Callable[..., Any], gateway: FakeGateway, content: str, match: str
) -> None:
    gateway.enqueue("POST", PATH, json=_completion(content))
    with pytest.raises(StructuredOutputValidationError, match=match) as caught:
        await resolve(any_client().parse_chat_completion("m", HELLO, response_format=Person))
    assert caught.value.content == content
    assert isinstance(caught.value, StructuredOutputError)


async def test_truncated_answer_is_a_typed_error(
    any_client: Callable[..., Any], gateway: FakeGateway
) -> None:
    gateway.enqueue("POST", PATH, json=_completion('{"name": "Al', finish="length"))
    with pytest.raises(LengthFinishReasonError, match="max_tokens"):
        await resolve(any_client().parse_chat_completion("m", HELLO, response_format=Person))


async def test_bad_arguments(any_client: Callable[..., Any], gateway: FakeGateway) -> None:
    client = any_client()
    with pytest.raises(TypeError, match="Pydantic model class"):
        await resolve(client.parse_chat_completion("m", HELLO, response_format=dict))
    with pytest.raises(TypeError, match="parse_chat_completion_stream"):
        await resolve(client.parse_chat_completion("m", HELLO, response_format=Person, stream=True))
    assert gateway.requests == []


def _stream_chunks(text: str) -> List[bytes]:
    pieces = [text[: len(text) // 2], text[len(text) // 2 :]]
    out = [sse(chunk({"role": "assistant", "content": ""}))]
    out += [sse(chunk({"content": piece})) for piece in pieces]
    out += [sse(chunk({}, "stop")), b"data: [DONE]\n\n"]
    return out


async def test_stream_final_completion_is_parsed(
    any_client: Callable[..., Any], gateway: FakeGateway
) -> None:
    gateway.enqueue("POST", PATH, chunks=_stream_chunks(json.dumps(ALICE)))
    stream = any_client().parse_chat_completion_stream("m", HELLO, response_format=Person)
    chunks = await collect(stream)
    text = "".join(c.delta.content or "" for ch in chunks for c in ch.choices)
    assert json.loads(text) == ALICE
    completion = await resolve(stream.get_final_completion())
    assert completion.choices[0].message.parsed == Person(**ALICE)
    assert gateway.last.body["stream"] is True
    assert gateway.last.body["response_format"]["json_schema"]["strict"] is True
    assert stream.response is not None and stream.response.status_code == 200


async def test_stream_refusal(any_client: Callable[..., Any], gateway: FakeGateway) -> None:
    chunks = [sse(chunk({"role": "assistant", "refusal": "No."})), sse(chunk({}, "stop"))]
    gateway.enqueue("POST", PATH, chunks=[*chunks, b"data: [DONE]\n\n"])
    stream = any_client().parse_chat_completion_stream("m", HELLO, response_format=Person)
    with pytest.raises(ContentRefusalError, match="refused to answer: No"):
        await resolve(stream.get_final_completion())


async def test_raw_response_of_parse(any_client: Callable[..., Any], gateway: FakeGateway) -> None:
    gateway.enqueue("POST", PATH, json=_completion(json.dumps(ALICE)))
    raw = await resolve(
        any_client().with_raw_response.parse_chat_completion("m", HELLO, response_format=Person)
    )
    assert raw.status_code == 200
    assert raw.parse().choices[0].message.parsed.name == "Alice"
