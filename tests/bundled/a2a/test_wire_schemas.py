"""specs/a2a.yaml describes what a2a-sdk 1.3.0 really sends: raw JSON-RPC exchanges with the echo
agent (plain httpx, no SDK client) validated against the generated wire models of each version."""

from __future__ import annotations

import json
import uuid
from typing import Any, Dict, List

import httpx
import pytest
from inference_gateway.a2a import models

pytestmark = pytest.mark.timeout(60)

V1 = {"A2A-Version": "1.0"}


def rpc(url: str, method: str, params: Dict[str, Any], headers: Dict[str, str]) -> Dict[str, Any]:
    body = {"jsonrpc": "2.0", "id": "w1", "method": method, "params": params}
    reply = httpx.post(url, json=body, headers=headers, timeout=20)
    assert reply.status_code == 200
    envelope = models.JSONRPCResponse.model_validate_json(reply.content)
    assert envelope.root.id.root == "w1"
    data: Dict[str, Any] = reply.json()
    return data


def stream(url: str, method: str, params: Dict[str, Any], headers: Dict[str, str]) -> List[Any]:
    body = {"jsonrpc": "2.0", "id": "w2", "method": method, "params": params}
    events = []
    with httpx.stream("POST", url, json=body, headers=headers, timeout=20) as reply:
        assert reply.headers["content-type"].startswith("text/event-stream")
        for line in reply.iter_lines():
            if line.startswith("data:"):
                events.append(json.loads(line[5:]))
    return events


def v1_message(text: str) -> Dict[str, Any]:
    return {"messageId": str(uuid.uuid4()), "role": "ROLE_USER", "parts": [{"text": text}]}


def v03_message(text: str) -> Dict[str, Any]:
    return {
        "kind": "message",
        "messageId": str(uuid.uuid4()),
        "role": "user",
        "parts": [
            {"kind": "text", "text": text},
            {"kind": "data", "data": {"k": 1}},
            {"kind": "file", "file": {"bytes": "aGk=", "mimeType": "text/plain", "name": "a.txt"}},
            {"kind": "file", "file": {"uri": "https://example.invalid/x.png"}},
        ],
    }


def test_agent_card_fits_the_merged_card_schema(echo_agent: str) -> None:
    raw = httpx.get(echo_agent + "/.well-known/agent-card.json", timeout=10).json()
    card = models.AgentCard.model_validate(raw)
    assert card.supportedInterfaces and card.protocolVersion == "0.3"
    assert card.model_extra == {}  # every field a2a-sdk serves is described


def test_v1_payloads(echo_agent: str) -> None:
    url = echo_agent + "/"
    sent = rpc(url, "SendMessage", {"message": v1_message("hi")}, V1)
    task = models.SendMessageResponse.model_validate(sent["result"]).task
    assert task is not None and task.status.state == "TASK_STATE_COMPLETED"
    events = stream(url, "SendStreamingMessage", {"message": v1_message("hi")}, V1)
    members = [
        next(iter(models.StreamResponse.model_validate(e["result"]).model_fields_set))
        for e in events
    ]
    assert members == ["task", "statusUpdate", "artifactUpdate", "statusUpdate"]
    listed = rpc(url, "ListTasks", {"pageSize": 2}, V1)
    assert len(models.ListTasksResponse.model_validate(listed["result"]).tasks or []) == 2
    config = rpc(
        url,
        "CreateTaskPushNotificationConfig",
        {"taskId": task.id, "id": "c", "url": "http://127.0.0.1:9/h"},
        V1,
    )
    models.TaskPushNotificationConfig.model_validate(config["result"])
    configs = rpc(url, "ListTaskPushNotificationConfigs", {"taskId": task.id}, V1)
    assert models.ListTaskPushNotificationConfigsResponse.model_validate(configs["result"]).configs
    error = models.JSONRPCErrorResponse.model_validate(rpc(url, "GetTask", {"id": "nope"}, V1))
    assert error.error.code == -32001
    info = models.ErrorInfo.model_validate(error.error.data[0])
    assert info.reason == "TASK_NOT_FOUND"


def test_v03_payloads(echo_agent: str) -> None:
    url = echo_agent + "/"
    sent = rpc(url, "message/send", {"message": v03_message("hi")}, {})
    task = models.V03StreamEvent.model_validate(sent["result"]).root
    assert isinstance(task, models.V03Task) and task.status.state == "completed"
    parts = [type(p.root).__name__ for p in task.artifacts[0].parts]
    assert parts == ["V03TextPart", "V03DataPart", "V03FilePart", "V03FilePart"]
    events = stream(url, "message/stream", {"message": v03_message("hi")}, {})
    kinds = [type(models.V03StreamEvent.model_validate(e["result"]).root).__name__ for e in events]
    assert kinds == [
        "V03Task",
        "V03TaskStatusUpdateEvent",
        "V03TaskArtifactUpdateEvent",
        "V03TaskStatusUpdateEvent",
    ]
    set_params = {
        "taskId": task.id,
        "pushNotificationConfig": {"id": "c", "url": "http://127.0.0.1:9/h"},
    }
    config = rpc(url, "tasks/pushNotificationConfig/set", set_params, {})
    models.V03TaskPushNotificationConfig.model_validate(config["result"])
    listed = rpc(url, "tasks/pushNotificationConfig/list", {"id": task.id}, {})
    assert [models.V03TaskPushNotificationConfig.model_validate(c) for c in listed["result"]]
    deleted = rpc(
        url,
        "tasks/pushNotificationConfig/delete",
        {"id": task.id, "pushNotificationConfigId": "c"},
        {},
    )
    assert (
        "result" not in deleted
    )  # a2a-sdk omits the (null) result; JSONRPCSuccessResponse allows it
    error = models.JSONRPCErrorResponse.model_validate(rpc(url, "tasks/get", {"id": "nope"}, {}))
    assert (error.error.code, error.error.data) == (-32001, None)
