"""The sans-I/O part of the A2A client: version choice, 0.3 translation, response checks."""

from __future__ import annotations

from typing import Any, Dict

import pytest
from inference_gateway.a2a import (
    A2AError,
    A2AResponseError,
    A2ARPCError,
    A2AVersionError,
    AgentCard,
    InvalidParamsError,
    Message,
    Part,
    Task,
    TaskNotFoundError,
    VersionNotSupportedError,
    error_for_code,
)
from inference_gateway.a2a._protocol import Protocol, normalize_version, select_endpoint
from inference_gateway.errors import InferenceGatewayError


@pytest.mark.parametrize(
    ("declared", "expected"), [("1.0", "1.0"), ("1.0.2", "1.0"), ("0.3.0", "0.3"), ("0.2.6", "0.3")]
)
def test_normalize_version(declared: str, expected: str) -> None:
    assert normalize_version(declared) == expected


def test_unknown_major_version_is_refused() -> None:
    with pytest.raises(A2AVersionError, match=r"'2\.0' is not supported"):
        normalize_version("2.0")


def card(**fields: Any) -> AgentCard:
    return AgentCard.model_validate({"name": "agent", **fields})


def test_select_endpoint_prefers_1_0_and_skips_other_bindings() -> None:
    both = card(
        supportedInterfaces=[
            {"url": "grpc://a:1", "protocolBinding": "GRPC", "protocolVersion": "1.0"},
            {"url": "http://a/v1rpc", "protocolBinding": "JSONRPC", "protocolVersion": "1.0"},
        ],
        url="http://a/legacy",
        protocolVersion="0.3.0",
    )
    assert select_endpoint(both, None) == ("http://a/v1rpc", "1.0")
    assert select_endpoint(both, "0.3") == ("http://a/legacy", "0.3")


def test_select_endpoint_names_what_the_card_offers() -> None:
    legacy = card(url="http://a/", protocolVersion="0.3.0")
    with pytest.raises(
        A2AVersionError,
        match=r"'agent' offers no JSON-RPC endpoint for protocol 1.0 \(declared: 0.3\)",
    ):
        select_endpoint(legacy, "1.0")


def test_every_error_code_has_its_type() -> None:
    for code, cls in [
        (-32001, TaskNotFoundError),
        (-32602, InvalidParamsError),
        (-32009, VersionNotSupportedError),
    ]:
        error = error_for_code(code, "m", data={"x": 1}, method="GetTask", request_id="r")
        assert type(error) is cls and error.code == code and error.data == {"x": 1}
        assert isinstance(error, A2AError) and isinstance(error, InferenceGatewayError)
    unknown = error_for_code(-31000, "custom")
    assert type(unknown) is A2ARPCError and unknown.code == -31000 and "-31000" in str(unknown)


def test_reason_is_read_from_error_info_details() -> None:
    error = error_for_code(
        -32001, "Task not found", data=[{"@type": "x", "reason": "TASK_NOT_FOUND"}]
    )
    assert error.reason == "TASK_NOT_FOUND"
    assert error_for_code(-32001, "Task not found", data=None).reason is None


def test_0_3_message_translation_both_ways() -> None:
    call = Protocol("0.3").send_message(
        Message(
            messageId="m",
            role="ROLE_USER",
            parts=[
                Part(text="t", metadata={"k": 1}),
                Part(raw="AA==", mediaType="a/b", filename="f"),
                Part(url="http://x", mediaType="image/png"),
                Part(data={"d": 1}),
            ],
        ),
        return_immediately=True,
    )
    assert call.method == "message/send" and call.headers == {}
    assert call.params["configuration"] == {"blocking": False}
    assert call.params["message"] == {
        "kind": "message",
        "messageId": "m",
        "role": "user",
        "parts": [
            {"kind": "text", "text": "t", "metadata": {"k": 1}},
            {"kind": "file", "file": {"bytes": "AA==", "mimeType": "a/b", "name": "f"}},
            {"kind": "file", "file": {"uri": "http://x", "mimeType": "image/png"}},
            {"kind": "data", "data": {"d": 1}},
        ],
    }
    # ... and the same parts coming back inside a 0.3 task
    wire_task = {
        "kind": "task",
        "id": "t1",
        "contextId": "c1",
        "status": {
            "state": "input-required",
            "message": {**call.params["message"], "role": "agent"},
        },
    }
    task = call.result({"jsonrpc": "2.0", "id": "r", "result": wire_task}, "r")
    assert isinstance(task, Task) and task.status.state == "TASK_STATE_INPUT_REQUIRED"
    assert task.status.message is not None and task.status.message.role == "ROLE_AGENT"
    text, raw, url, data = task.status.message.parts
    assert (text.text, text.metadata) == ("t", {"k": 1})
    assert (raw.raw, raw.mediaType, raw.filename) == ("AA==", "a/b", "f")
    assert (url.url, url.mediaType) == ("http://x", "image/png")
    assert data.data == {"d": 1}


def test_1_0_send_sets_version_header_and_config() -> None:
    call = Protocol("1.0").send_message("hi", return_immediately=True, history_length=2)
    assert call.method == "SendMessage" and call.headers == {"A2A-Version": "1.0"}
    assert call.params["configuration"] == {"returnImmediately": True, "historyLength": 2}
    assert call.params["message"]["parts"] == [{"text": "hi"}]
    assert call.params["message"]["role"] == "ROLE_USER" and call.params["message"]["messageId"]


def test_push_config_translation_0_3() -> None:
    proto = Protocol("0.3")
    call = proto.create_task_push_notification_config(
        "t", "http://h", config_id="c", authentication={"scheme": "Bearer", "credentials": "k"}
    )
    assert call.params == {
        "taskId": "t",
        "pushNotificationConfig": {
            "id": "c",
            "url": "http://h",
            "authentication": {"schemes": ["Bearer"], "credentials": "k"},
        },
    }
    wire = {
        "taskId": "t",
        "pushNotificationConfig": {
            "id": "c",
            "url": "http://h",
            "authentication": {"schemes": ["Bearer"]},
        },
    }
    config = call.result({"jsonrpc": "2.0", "id": 1, "result": wire}, 1)
    assert (config.taskId, config.id, config.url, config.authentication.scheme) == (
        "t",
        "c",
        "http://h",
        "Bearer",
    )


RESULT: Dict[str, Any] = {"id": "t", "status": {"state": "TASK_STATE_WORKING"}}


def test_result_checks() -> None:
    call = Protocol("1.0").get_task("t")
    assert call.result({"jsonrpc": "2.0", "id": "a", "result": RESULT}, "a").id == "t"
    with pytest.raises(A2AResponseError, match="response id 'b' does not match request id 'a'"):
        call.result({"jsonrpc": "2.0", "id": "b", "result": RESULT}, "a")
    with pytest.raises(A2AResponseError, match="does not match request id"):
        call.result({"jsonrpc": "2.0", "id": None, "result": RESULT}, "a")
    with pytest.raises(A2AResponseError, match=r"not a JSON-RPC 2\.0 response"):
        call.result({"id": "a", "result": RESULT}, "a")
    with pytest.raises(A2AResponseError, match="does not match the A2A schema"):
        call.result({"jsonrpc": "2.0", "id": "a", "result": {"status": {}}}, "a")
    # a server that could not read the request answers errors with id null
    with pytest.raises(A2ARPCError) as info:
        call.result(
            {"jsonrpc": "2.0", "id": None, "error": {"code": -32700, "message": "bad"}}, "a"
        )
    assert info.value.code == -32700


def test_list_tasks_needs_1_0() -> None:
    with pytest.raises(A2AVersionError, match=r"ListTasks does not exist in A2A protocol 0\.3"):
        Protocol("0.3").list_tasks()
