"""The A2A protocol without I/O: request building, version translation, response parsing.

Shared by `A2AClient` and `AsyncA2AClient`, which only move bytes. Everything here works on the
1.0 shapes (the unprefixed models); protocol 0.3 payloads are translated on the way in and out,
so callers see one set of types whatever version an agent speaks.
"""

from __future__ import annotations

import contextlib
import json
import uuid
from dataclasses import dataclass, field
from typing import (
    Any,
    Callable,
    Dict,
    Generic,
    List,
    Mapping,
    Optional,
    Sequence,
    Tuple,
    TypeVar,
    Union,
)

from pydantic import BaseModel, ValidationError

from .errors import A2AResponseError, A2AVersionError, error_for_code
from .models import (
    AgentCard,
    AuthenticationInfo,
    ListTaskPushNotificationConfigsResponse,
    ListTasksResponse,
    Message,
    Part,
    Task,
    TaskArtifactUpdateEvent,
    TaskPushNotificationConfig,
    TaskStatusUpdateEvent,
)

__all__ = ["PROTOCOL_VERSIONS", "TERMINAL_STATES", "A2AEvent", "part_text"]

T = TypeVar("T")

V1 = "1.0"
V03 = "0.3"
PROTOCOL_VERSIONS = (V1, V03)
VERSION_HEADER = "A2A-Version"
# Discovery order: the 0.3+/1.0 location, then the one used before 0.3.
CARD_PATHS = ("/.well-known/agent-card.json", "/.well-known/agent.json")
TERMINAL_STATES = frozenset(
    {"TASK_STATE_COMPLETED", "TASK_STATE_FAILED", "TASK_STATE_CANCELED", "TASK_STATE_REJECTED"}
)

A2AEvent = Union[Task, Message, TaskStatusUpdateEvent, TaskArtifactUpdateEvent]
RequestId = Union[str, int, None]
JSONDict = Dict[str, Any]


def normalize_version(version: str) -> str:
    """Map a declared protocol version ("1.0", "1.0.2", "0.3.0", "0.2.6") to "1.0" or "0.3"."""
    head = str(version).strip().lstrip("vV").split(".")[0]
    if head == "0":
        return V03
    if head == "1":
        return V1
    raise A2AVersionError(
        f"A2A protocol version {version!r} is not supported; this client speaks {', '.join(PROTOCOL_VERSIONS)}"
    )


def _binding_ok(binding: Optional[str]) -> bool:
    return binding is None or binding.upper() in ("JSONRPC", "JSON-RPC", "")


def select_endpoint(card: AgentCard, wanted: Optional[str]) -> Tuple[str, str]:
    """The JSON-RPC URL and protocol version to use with the agent behind ``card``.

    Prefers 1.0 when the card offers it (1.0 ``supportedInterfaces``), else the 0.3 ``url`` /
    ``additionalInterfaces``; ``wanted`` restricts the choice to one version.
    """
    offers: List[Tuple[str, str]] = []
    for iface in card.supportedInterfaces or []:
        if iface.protocolVersion and _binding_ok(iface.protocolBinding or iface.transport):
            try:
                offers.append((normalize_version(iface.protocolVersion), iface.url))
            except A2AVersionError:
                continue
    legacy_version = card.protocolVersion or (V03 if card.url else None)
    if card.url and legacy_version and _binding_ok(card.preferredTransport):
        with contextlib.suppress(A2AVersionError):
            offers.append((normalize_version(legacy_version), card.url))
    if legacy_version:
        for iface in card.additionalInterfaces or []:
            if _binding_ok(iface.transport or iface.protocolBinding):
                offers.append((normalize_version(legacy_version), iface.url))
    for version in (wanted,) if wanted else PROTOCOL_VERSIONS:
        for offered, url in offers:
            if offered == version:
                return url, version
    declared = sorted({v for v, _ in offers}) or ["none"]
    want = f"protocol {wanted}" if wanted else f"protocol {' or '.join(PROTOCOL_VERSIONS)}"
    raise A2AVersionError(
        f"agent card of {card.name!r} offers no JSON-RPC endpoint for {want} "
        f"(declared: {', '.join(declared)})"
    )


def decode_json(raw: Union[str, bytes], *, method: str) -> Any:
    try:
        return json.loads(raw)
    except ValueError as exc:
        snippet = raw[:200] if isinstance(raw, str) else raw[:200].decode("utf-8", "replace")
        raise A2AResponseError(
            f"A2A {method}: response is not JSON ({exc}): {snippet!r}", method=method, body=raw
        ) from exc


def _wire(value: Any) -> Any:
    """Models -> JSON-ready dicts (wire names, unset fields left out)."""
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json", by_alias=True, exclude_none=True)
    if isinstance(value, dict):
        return {k: _wire(v) for k, v in value.items() if v is not None}
    if isinstance(value, (list, tuple)):
        return [_wire(v) for v in value]
    return value


def _drop_none(params: Mapping[str, Any]) -> JSONDict:
    return {k: v for k, v in params.items() if v is not None}


# ---------------------------------------------------------------------------- 0.3 <-> 1.0 shapes

_STATE_FROM_V03 = {
    "submitted": "TASK_STATE_SUBMITTED",
    "working": "TASK_STATE_WORKING",
    "input-required": "TASK_STATE_INPUT_REQUIRED",
    "completed": "TASK_STATE_COMPLETED",
    "canceled": "TASK_STATE_CANCELED",
    "failed": "TASK_STATE_FAILED",
    "rejected": "TASK_STATE_REJECTED",
    "auth-required": "TASK_STATE_AUTH_REQUIRED",
    "unknown": "TASK_STATE_UNSPECIFIED",
}
_STATE_TO_V03 = {v: k for k, v in _STATE_FROM_V03.items()}
_ROLE_FROM_V03 = {"user": "ROLE_USER", "agent": "ROLE_AGENT"}
_ROLE_TO_V03 = {v: k for k, v in _ROLE_FROM_V03.items()}


def _part_from_v03(part: JSONDict) -> JSONDict:
    out = {k: v for k, v in part.items() if k not in ("kind", "file")}
    kind = part.get("kind")
    if kind == "file":
        file = dict(part.get("file") or {})
        if "bytes" in file:
            out["raw"] = file.pop("bytes")
        if "uri" in file:
            out["url"] = file.pop("uri")
        if "mimeType" in file:
            out["mediaType"] = file.pop("mimeType")
        if "name" in file:
            out["filename"] = file.pop("name")
        out.update(file)
    return out


def _part_to_v03(part: JSONDict) -> JSONDict:
    meta = {"metadata": part["metadata"]} if part.get("metadata") is not None else {}
    if "text" in part:
        return {"kind": "text", "text": part["text"], **meta}
    if "data" in part:
        if not isinstance(part["data"], dict):
            raise A2AVersionError(
                "protocol 0.3 data parts carry a JSON object; got "
                f"{type(part['data']).__name__} (wrap it in an object)"
            )
        return {"kind": "data", "data": part["data"], **meta}
    file: JSONDict = {}
    if "raw" in part:
        file["bytes"] = part["raw"]
    elif "url" in part:
        file["uri"] = part["url"]
    else:
        raise A2AVersionError(f"part has none of text/raw/url/data: {part!r}")
    if part.get("mediaType"):
        file["mimeType"] = part["mediaType"]
    if part.get("filename"):
        file["name"] = part["filename"]
    return {"kind": "file", "file": file, **meta}


def _message_from_v03(msg: JSONDict) -> JSONDict:
    out = {k: v for k, v in msg.items() if k != "kind"}
    if "role" in out:
        out["role"] = _ROLE_FROM_V03.get(out["role"], out["role"])
    out["parts"] = [_part_from_v03(p) for p in msg.get("parts") or []]
    return out


def _message_to_v03(msg: JSONDict) -> JSONDict:
    out = dict(msg)
    out["kind"] = "message"
    out["role"] = _ROLE_TO_V03.get(out.get("role", ""), out.get("role"))
    out["parts"] = [_part_to_v03(p) for p in msg.get("parts") or []]
    return out


def _status_from_v03(status: JSONDict) -> JSONDict:
    out = dict(status)
    if "state" in out:
        out["state"] = _STATE_FROM_V03.get(out["state"], out["state"])
    if isinstance(out.get("message"), dict):
        out["message"] = _message_from_v03(out["message"])
    return out


def _artifact_from_v03(artifact: JSONDict) -> JSONDict:
    out = dict(artifact)
    out["parts"] = [_part_from_v03(p) for p in artifact.get("parts") or []]
    return out


def _task_from_v03(task: JSONDict) -> JSONDict:
    out = {k: v for k, v in task.items() if k != "kind"}
    if isinstance(out.get("status"), dict):
        out["status"] = _status_from_v03(out["status"])
    if "artifacts" in out:
        out["artifacts"] = [_artifact_from_v03(a) for a in out["artifacts"] or []]
    if "history" in out:
        out["history"] = [_message_from_v03(m) for m in out["history"] or []]
    return out


def _push_from_v03(config: JSONDict) -> JSONDict:
    inner = dict(config.get("pushNotificationConfig") or {})
    out = {k: v for k, v in config.items() if k != "pushNotificationConfig"}
    auth = inner.pop("authentication", None)
    out.update(inner)
    if isinstance(auth, dict):
        schemes = auth.get("schemes") or []
        converted = {k: v for k, v in auth.items() if k != "schemes"}
        if schemes:
            converted["scheme"] = schemes[0]
        out["authentication"] = converted
    return out


def _push_to_v03(config: JSONDict) -> JSONDict:
    inner = {k: v for k, v in config.items() if k in ("id", "url", "token")}
    auth = config.get("authentication")
    if isinstance(auth, dict):
        inner["authentication"] = _drop_none(
            {
                "schemes": [auth["scheme"]] if auth.get("scheme") else [],
                "credentials": auth.get("credentials"),
            }
        )
    return inner


def _event_from_v03(result: Any, *, method: str) -> A2AEvent:
    kind = result.get("kind") if isinstance(result, dict) else None
    if kind == "task":
        return Task.model_validate(_task_from_v03(result))
    if kind == "message":
        return Message.model_validate(_message_from_v03(result))
    if kind == "status-update":
        out = {k: v for k, v in result.items() if k != "kind"}
        out["status"] = _status_from_v03(result.get("status") or {})
        return TaskStatusUpdateEvent.model_validate(out)
    if kind == "artifact-update":
        out = {k: v for k, v in result.items() if k != "kind"}
        out["artifact"] = _artifact_from_v03(result.get("artifact") or {})
        return TaskArtifactUpdateEvent.model_validate(out)
    raise A2AResponseError(
        f"A2A {method}: result has unknown kind {kind!r}", method=method, body=result
    )


_V1_EVENT_MEMBERS: Tuple[Tuple[str, Any], ...] = (
    ("task", Task),
    ("message", Message),
    ("statusUpdate", TaskStatusUpdateEvent),
    ("artifactUpdate", TaskArtifactUpdateEvent),
)


def _event_from_v1(result: Any, *, method: str) -> A2AEvent:
    if isinstance(result, dict):
        for member, model in _V1_EVENT_MEMBERS:
            if member in result:
                event: A2AEvent = model.model_validate(result[member])
                return event
    raise A2AResponseError(
        f"A2A {method}: result has none of task/message/statusUpdate/artifactUpdate",
        method=method,
        body=result,
    )


# ---------------------------------------------------------------------------- calls


@dataclass(frozen=True)
class RPCCall(Generic[T]):
    """One JSON-RPC call: wire method, params, headers, and how to type its result."""

    method: str
    params: JSONDict
    parse: Callable[[Any], T]
    headers: Mapping[str, str] = field(default_factory=dict)
    streaming: bool = False

    def envelope(self) -> Tuple[str, JSONDict]:
        """A fresh request id and the JSON-RPC request body."""
        request_id = str(uuid.uuid4())
        return request_id, {
            "jsonrpc": "2.0",
            "id": request_id,
            "method": self.method,
            "params": self.params,
        }

    def result(self, payload: Any, request_id: RequestId) -> T:
        """Check one JSON-RPC response (or SSE event) against the request and type its result."""
        if not isinstance(payload, dict) or payload.get("jsonrpc") != "2.0":
            raise A2AResponseError(
                f"A2A {self.method}: not a JSON-RPC 2.0 response: {str(payload)[:200]}",
                method=self.method,
                body=payload,
            )
        error = payload.get("error")
        got_id = payload.get("id")
        # A server that could not read the id answers errors with id null (JSON-RPC 2.0, 5.).
        if got_id != request_id and not (error is not None and got_id is None):
            raise A2AResponseError(
                f"A2A {self.method}: response id {got_id!r} does not match request id {request_id!r}",
                method=self.method,
                body=payload,
            )
        if error is not None:
            if not isinstance(error, dict) or not isinstance(error.get("code"), int):
                raise A2AResponseError(
                    f"A2A {self.method}: malformed error object {error!r}",
                    method=self.method,
                    body=payload,
                )
            raise error_for_code(
                error["code"],
                str(error.get("message", "")),
                data=error.get("data"),
                method=self.method,
                request_id=request_id,
            )
        try:
            return self.parse(payload.get("result"))
        except ValidationError as exc:
            raise A2AResponseError(
                f"A2A {self.method}: result does not match the A2A schema: {exc}",
                method=self.method,
                body=payload,
            ) from exc


def _message_params(
    message: Union[str, Message, Mapping[str, Any]],
    *,
    context_id: Optional[str],
    task_id: Optional[str],
) -> JSONDict:
    """A 1.0 wire message from a string, a `Message` or a wire dict; ids filled in."""
    if isinstance(message, str):
        wire: JSONDict = {"role": "ROLE_USER", "parts": [{"text": message}]}
    elif isinstance(message, BaseModel):
        wire = _wire(message)
    elif isinstance(message, Mapping):
        wire = _wire(dict(message))
    else:
        raise TypeError(f"message must be str, Message or dict, not {type(message).__name__}")
    wire.setdefault("messageId", str(uuid.uuid4()))
    wire.setdefault("role", "ROLE_USER")
    if context_id is not None:
        wire["contextId"] = context_id
    if task_id is not None:
        wire["taskId"] = task_id
    return wire


def _push_params(
    config: Union[TaskPushNotificationConfig, Mapping[str, Any], None],
) -> Optional[JSONDict]:
    if config is None:
        return None
    wire = _wire(config)
    assert isinstance(wire, dict)
    return wire


def _none(result: Any) -> None:
    return None


class Protocol:
    """Builds the `RPCCall` of every A2A operation for one protocol version."""

    def __init__(self, version: str) -> None:
        self.version = normalize_version(version)
        self.v1 = self.version == V1
        self.headers: Dict[str, str] = {VERSION_HEADER: V1} if self.v1 else {}

    def __repr__(self) -> str:
        return f"Protocol({self.version!r})"

    def _call(
        self,
        v1: str,
        v03: Optional[str],
        params: JSONDict,
        parse: Callable[[Any], T],
        *,
        streaming: bool = False,
    ) -> RPCCall[T]:
        if v03 is None and not self.v1:
            raise A2AVersionError(f"{v1} does not exist in A2A protocol 0.3; it needs protocol 1.0")
        method = v1 if self.v1 else str(v03)
        headers = dict(self.headers)
        if streaming:
            headers["Accept"] = "text/event-stream"
        return RPCCall(method, _drop_none(params), parse, headers, streaming)

    def _event(self, method: str) -> Callable[[Any], A2AEvent]:
        convert = _event_from_v1 if self.v1 else _event_from_v03
        return lambda result: convert(result, method=method)

    def _task(self, method: str) -> Callable[[Any], Task]:
        if self.v1:
            return Task.model_validate

        def parse(result: Any) -> Task:
            if not isinstance(result, dict):
                raise A2AResponseError(
                    f"A2A {method}: expected a task, got {result!r}", method=method
                )
            return Task.model_validate(_task_from_v03(result))

        return parse

    def _push(self) -> Callable[[Any], TaskPushNotificationConfig]:
        if self.v1:
            return TaskPushNotificationConfig.model_validate
        return lambda result: TaskPushNotificationConfig.model_validate(_push_from_v03(result))

    # -- messages ----------------------------------------------------------------------------

    def send_message(
        self,
        message: Union[str, Message, Mapping[str, Any]],
        *,
        context_id: Optional[str] = None,
        task_id: Optional[str] = None,
        accepted_output_modes: Optional[Sequence[str]] = None,
        history_length: Optional[int] = None,
        return_immediately: Optional[bool] = None,
        push_notification_config: Union[TaskPushNotificationConfig, Mapping[str, Any], None] = None,
        metadata: Optional[Mapping[str, Any]] = None,
        streaming: bool = False,
    ) -> RPCCall[Any]:
        wire = _message_params(message, context_id=context_id, task_id=task_id)
        push = _push_params(push_notification_config)
        if self.v1:
            configuration = _drop_none(
                {
                    "acceptedOutputModes": (
                        list(accepted_output_modes) if accepted_output_modes is not None else None
                    ),
                    "historyLength": history_length,
                    "returnImmediately": return_immediately,
                    "taskPushNotificationConfig": push,
                }
            )
        else:
            wire = _message_to_v03(wire)
            configuration = _drop_none(
                {
                    "acceptedOutputModes": (
                        list(accepted_output_modes) if accepted_output_modes is not None else None
                    ),
                    "historyLength": history_length,
                    "blocking": None if return_immediately is None else not return_immediately,
                    "pushNotificationConfig": _push_to_v03(push) if push else None,
                }
            )
        params = {
            "message": wire,
            "configuration": configuration or None,
            "metadata": _wire(metadata),
        }
        if streaming:
            return self._call(
                "SendStreamingMessage",
                "message/stream",
                params,
                self._event("stream"),
                streaming=True,
            )
        if self.v1:
            return self._call("SendMessage", "message/send", params, self._event("SendMessage"))
        return self._call("SendMessage", "message/send", params, self._event("message/send"))

    # -- tasks -------------------------------------------------------------------------------

    def get_task(self, task_id: str, *, history_length: Optional[int] = None) -> RPCCall[Task]:
        params = {"id": task_id, "historyLength": history_length}
        return self._call("GetTask", "tasks/get", params, self._task("GetTask"))

    def list_tasks(
        self,
        *,
        context_id: Optional[str] = None,
        status: Optional[str] = None,
        page_size: Optional[int] = None,
        page_token: Optional[str] = None,
        history_length: Optional[int] = None,
        include_artifacts: Optional[bool] = None,
        status_timestamp_after: Optional[str] = None,
    ) -> RPCCall[ListTasksResponse]:
        params = {
            "contextId": context_id,
            "status": status,
            "pageSize": page_size,
            "pageToken": page_token,
            "historyLength": history_length,
            "includeArtifacts": include_artifacts,
            "statusTimestampAfter": status_timestamp_after,
        }
        return self._call("ListTasks", None, params, ListTasksResponse.model_validate)

    def cancel_task(
        self, task_id: str, *, metadata: Optional[Mapping[str, Any]] = None
    ) -> RPCCall[Task]:
        params = {"id": task_id, "metadata": _wire(metadata)}
        return self._call("CancelTask", "tasks/cancel", params, self._task("CancelTask"))

    def subscribe_to_task(self, task_id: str) -> RPCCall[A2AEvent]:
        method = "SubscribeToTask" if self.v1 else "tasks/resubscribe"
        return self._call(
            "SubscribeToTask",
            "tasks/resubscribe",
            {"id": task_id},
            self._event(method),
            streaming=True,
        )

    # -- push notification configs -----------------------------------------------------------

    def create_task_push_notification_config(
        self,
        task_id: str,
        url: str,
        *,
        config_id: Optional[str] = None,
        token: Optional[str] = None,
        authentication: Union[AuthenticationInfo, Mapping[str, Any], None] = None,
    ) -> RPCCall[TaskPushNotificationConfig]:
        config = _drop_none(
            {"id": config_id, "url": url, "token": token, "authentication": _wire(authentication)}
        )
        if self.v1:
            params = {"taskId": task_id, **config}
        else:
            params = {"taskId": task_id, "pushNotificationConfig": _push_to_v03(config)}
        return self._call(
            "CreateTaskPushNotificationConfig",
            "tasks/pushNotificationConfig/set",
            params,
            self._push(),
        )

    def get_task_push_notification_config(
        self, task_id: str, config_id: str
    ) -> RPCCall[TaskPushNotificationConfig]:
        if self.v1:
            params: JSONDict = {"taskId": task_id, "id": config_id}
        else:
            params = {"id": task_id, "pushNotificationConfigId": config_id}
        return self._call(
            "GetTaskPushNotificationConfig",
            "tasks/pushNotificationConfig/get",
            params,
            self._push(),
        )

    def list_task_push_notification_configs(
        self, task_id: str, *, page_size: Optional[int] = None, page_token: Optional[str] = None
    ) -> RPCCall[ListTaskPushNotificationConfigsResponse]:
        if self.v1:
            params: JSONDict = {"taskId": task_id, "pageSize": page_size, "pageToken": page_token}
            parse: Callable[[Any], ListTaskPushNotificationConfigsResponse] = (
                ListTaskPushNotificationConfigsResponse.model_validate
            )
        else:
            if page_size is not None or page_token is not None:
                raise A2AVersionError("paging push notification configs needs A2A protocol 1.0")
            params = {"id": task_id}

            def parse(result: Any) -> ListTaskPushNotificationConfigsResponse:
                if not isinstance(result, list):
                    raise A2AResponseError(
                        f"A2A tasks/pushNotificationConfig/list: expected a list, got {result!r}",
                        method="tasks/pushNotificationConfig/list",
                    )
                return ListTaskPushNotificationConfigsResponse.model_validate(
                    {"configs": [_push_from_v03(c) for c in result]}
                )

        return self._call(
            "ListTaskPushNotificationConfigs", "tasks/pushNotificationConfig/list", params, parse
        )

    def delete_task_push_notification_config(self, task_id: str, config_id: str) -> RPCCall[None]:
        if self.v1:
            params: JSONDict = {"taskId": task_id, "id": config_id}
        else:
            params = {"id": task_id, "pushNotificationConfigId": config_id}
        return self._call(
            "DeleteTaskPushNotificationConfig", "tasks/pushNotificationConfig/delete", params, _none
        )

    # -- agent card --------------------------------------------------------------------------

    def get_extended_agent_card(self) -> RPCCall[AgentCard]:
        return self._call(
            "GetExtendedAgentCard",
            "agent/getAuthenticatedExtendedCard",
            {},
            AgentCard.model_validate,
        )


def parse_card(payload: Any, *, url: str) -> AgentCard:
    """An `AgentCard` from a discovery response body; names the URL when it does not fit."""
    try:
        return AgentCard.model_validate(payload)
    except ValidationError as exc:
        raise A2AResponseError(
            f"agent card at {url} is not a valid A2A agent card: {exc}", body=payload
        ) from exc


def card_urls(agent_url: str) -> List[str]:
    """Where to look for the card of the agent at ``agent_url``, in order."""
    base = agent_url.rstrip("/")
    for path in CARD_PATHS:
        if base.endswith(path):
            return [base]
    return [base + path for path in CARD_PATHS]


def part_text(parts: Optional[Sequence[Part]]) -> str:
    """The text parts of a message or artifact joined by newlines."""
    return "\n".join(p.text for p in parts or [] if p.text is not None)
