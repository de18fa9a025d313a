"""Transport details: path encoding, body serialisation, laziness, concurrency, broken error bodies."""

from __future__ import annotations

import asyncio
import datetime
import enum
import threading
from typing import Any, Callable, List

import pytest
from inference_gateway import (
    APIConnectionError,
    AsyncInferenceGatewayClient,
    InferenceGatewayClient,
    Message,
    Provider,
)
from inference_gateway._base_client import Operation, _to_jsonable, origin_root

from tests.bundled.sdk._helpers import resolve
from tests.fakegw import FakeGateway


class Colour(enum.Enum):
    RED = "red"


def test_path_parameters_are_encoded() -> None:
    op = Operation(name="op", method="get", path="/a/{first}/{rest}")
    assert op.method == "GET" and op.path_params == ("first", "rest")
    assert op.format_path({"first": "x/y z", "rest": "/v1/files/a b"}) == "/a/x%2Fy%20z/v1/files/a%20b"
    assert op.format_path({"first": Provider("openai"), "rest": Colour.RED}) == "/a/openai/red"
    with pytest.raises(ValueError, match="op: path parameter 'rest' is required"):
        op.format_path({"first": "x"})


def test_origin_root() -> None:
    assert origin_root("http://h:8080/v1", "/v1") == "http://h:8080"
    assert origin_root("http://h:8080/v1/", "/v1") == "http://h:8080"
    assert origin_root("http://h/prefix/v2", "/v2") == "http://h/prefix"
    assert origin_root("http://h/v1beta", "/v1") == "http://h/v1beta"
    assert origin_root("http://h:8080", "/v1") == "http://h:8080"  # the origin itself
    assert origin_root("http://h/v1", "") == "http://h/v1"  # a spec without a base path


def test_to_jsonable() -> None:
    when = datetime.datetime(2026, 1, 2, 3, 4, 5)
    value = {"m": Message(role="user", content="hi"), "e": Colour.RED, "t": (1, Provider("groq")), "d": when}
    assert _to_jsonable(value) == {
        "m": {"role": "user", "content": "hi"},
        "e": "red",
        "t": [1, "groq"],
        "d": "2026-01-02T03:04:05",
    }


async def test_stream_is_lazy(any_client: Callable[..., Any], gateway: FakeGateway) -> None:
    client = any_client()
    stream = client.create_chat_completion_stream("m", [Message(role="user", content="hi")])
    assert gateway.requests == []
    del stream


async def test_broken_error_body_is_a_connection_error(
    any_client: Callable[..., Any], gateway: FakeGateway
) -> None:
    client = any_client(max_retries=0)
    gateway.enqueue("GET", "/v1/models", status=500, chunks=[b'{"error": "par'], drop_after_chunks=1)
    with pytest.raises(APIConnectionError, match="RemoteProtocolError"):
        await resolve(client.list_models())


def test_threads_share_one_client(gateway: FakeGateway) -> None:
    client = InferenceGatewayClient(gateway.base_url)
    errors: List[BaseException] = []

    def work() -> None:
        try:
            for _ in range(5):
                client.create_chat_completion("m", [Message(role="user", content="hi")])
        except BaseException as exc:  # collected and asserted below
            errors.append(exc)

    threads = [threading.Thread(target=work) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(gateway.requests) == 40
    client.close()


async def test_concurrent_async_calls(gateway: FakeGateway) -> None:
    async with AsyncInferenceGatewayClient(gateway.base_url) as client:
        results = await asyncio.gather(
            *(client.create_chat_completion("m", [Message(role="user", content=f"n{i}")]) for i in range(20))
        )
    assert sorted(r.choices[0].message.content.root for r in results) == sorted(f"echo: n{i}" for i in range(20))
