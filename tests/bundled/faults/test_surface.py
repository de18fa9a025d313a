"""Every public method of both clients (streams consumed to the end) against every hostile
server behaviour: the only exceptions that escape are the SDK's own (``InferenceGatewayError``),
never httpx's, h11's, httpcore's, http.client's, json's or pydantic's. Methods are found by
introspection, so an operation added to the spec is walked without touching this test."""

from __future__ import annotations

import inspect
from typing import Any, Dict, List

import pytest
from inference_gateway import InferenceGatewayError, Message, RetryConfig
from pydantic import BaseModel

from tests.bundled.faults.conftest import MakeClient
from tests.bundled.faults.server import (
    FaultServer,
    Reply,
    chunked,
    gzipped,
    raw,
    redirect,
    sized,
    sse,
)

HOSTILE: Dict[str, Reply] = {
    "garbage status line": raw(b"HTTP/1.1 abc\r\n\r\n"),
    "not HTTP": raw(b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03"),
    "closed at once": raw(b""),
    "cut mid-body": raw(b"HTTP/1.1 200 OK\r\nContent-Length: 50\r\n\r\n{\"a\""),
    "bad gzip": gzipped(b'{"object": "list", "data": []}', corrupt=True),
    "bad gzip error": gzipped(b"{}", corrupt=True, status="503 Busy"),
    "invalid JSON": sized(b"{nope"),
    "invalid UTF-8": sized(b'{"a": "\xff\xfe"}'),
    "HTML": sized(b"<html>502</html>", headers={"Content-Type": "text/html"}),
    "wrong shape": sized(b"[1, 2, 3]"),
    "null": sized(b"null"),
    "empty 200": sized(b""),
    "500 binary": sized(b"\xff\x00\xfe", "500 Oops"),
    "101 switching": raw(b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: h2c\r\nConnection: Upgrade\r\n\r\n"),
    "bad SSE": chunked(sse(b"{nope", b"\xff\xfe", b'{"choices": 3}')),
    "SSE error object": chunked(sse(b'{"error": {"message": "boom", "code": 503}}')),
    "SSE without end": chunked([b"data: {\"a\": 1}\n\n"], then=lambda s: s.close()),
    "bad chunk framing": raw(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n"),
    "huge header": sized(b"{}", headers={"X-Big": "a" * (1 << 20)}),
    "redirect loop": redirect("/v1/loop"),
    "redirect to ftp": redirect("ftp://127.0.0.1/x"),
    "bad redirect": redirect("http://[::1"),
}

class Answer(BaseModel):
    """A structured-output format for the parse methods."""

    text: str


ARGUMENTS: Dict[str, Any] = {
    "model": "openai/gpt-4o",
    "messages": [Message(role="user", content="hi")],
    "tools": [lambda city: f"sunny in {city}"],
    "provider": "openai",
    "path": "v1/models",
    "body": {"a": 1},
    "id": "calendar-agent",
    "prompt": "a lighthouse at dusk",
    "input": "hi",
    "image": ("cat.png", b"\x89PNG\r\n\x1a\n", "image/png"),
    "max_tokens": 16,
    "response_format": Answer,
}
NOT_CALLS = {"close", "aclose", "with_options"}


def public_methods(cls: type) -> List[str]:
    return sorted(
        name
        for name, member in inspect.getmembers(cls)
        if not name.startswith("_") and callable(member) and name not in NOT_CALLS
    )


def arguments(method: Any) -> Dict[str, Any]:
    found: Dict[str, Any] = {}
    for parameter in inspect.signature(method).parameters.values():
        if parameter.default is not parameter.empty or parameter.kind in (parameter.VAR_KEYWORD, parameter.VAR_POSITIONAL):
            continue
        if parameter.name not in ARGUMENTS:
            pytest.fail(f"{method.__qualname__}: add a value for its parameter {parameter.name!r} to ARGUMENTS")
        found[parameter.name] = ARGUMENTS[parameter.name]
    return found


async def consume(value: Any) -> Any:
    if inspect.isawaitable(value):
        value = await value
    if hasattr(value, "__aiter__"):
        return [item async for item in value]
    if hasattr(value, "__iter__") and not isinstance(value, (str, bytes, dict, list, BaseModel)):
        return list(value)
    return value


def test_the_walk_covers_every_operation() -> None:
    from inference_gateway import AsyncInferenceGatewayClient, InferenceGatewayClient

    names = public_methods(InferenceGatewayClient)
    assert names == public_methods(AsyncInferenceGatewayClient)
    assert {"create_chat_completion", "create_chat_completion_stream", "stream_chat_completion", "list_models",
            "proxy_request", "run_tools", "health_check"} <= set(names)


@pytest.mark.parametrize("behaviour", sorted(HOSTILE))
async def test_only_our_errors_escape(server: FaultServer, make: MakeClient, behaviour: str) -> None:
    server.reply = HOSTILE[behaviour]
    fast = RetryConfig(initial_backoff=0.001, max_backoff=0.005)
    client = make(server.url + "/v1", token="sk-walk", timeout=1.0, max_retries=1, retry=fast)
    outcomes: Dict[str, str] = {}
    for name in public_methods(type(client)):
        method = getattr(client, name)
        try:
            result = await consume(method(**arguments(method)))
        except InferenceGatewayError as exc:
            outcomes[name] = type(exc).__name__
        except Exception as exc:  # what this test exists to catch
            pytest.fail(f"{name} let {type(exc).__module__}.{type(exc).__name__} escape on {behaviour!r}: {exc}")
        else:
            outcomes[name] = "returned"
            if name == "health_check":
                assert isinstance(result, bool)
    assert outcomes
