"""The A2A client against the official a2a-sdk 1.3.0 server (tests/bundled/a2a/echo_agent.py).

Every test runs four times: protocol 1.0 and 0.3, sync and async client. The sync client is
driven from the same async test body through `Agent`, which awaits only what is awaitable, so
both clients go through the same steps and assertions.
"""

from __future__ import annotations

import base64
import inspect
import uuid
from typing import Any, AsyncIterator, List

import pytest
from inference_gateway.a2a import (
    A2AClient,
    A2AResponseError,
    A2AVersionError,
    AsyncA2AClient,
    InvalidParamsError,
    Message,
    Part,
    PushNotificationNotSupportedError,
    Task,
    TaskArtifactUpdateEvent,
    TaskNotCancelableError,
    TaskNotFoundError,
    TaskStatusUpdateEvent,
    UnsupportedOperationError,
    part_text,
)

pytestmark = pytest.mark.timeout(60)

VERSIONS = ["1.0", "0.3"]
MODES = ["sync", "async"]


class Agent:
    """One client (sync or async) behind an async facade."""

    def __init__(self, client: Any, version: str) -> None:
        self.client = client
        self.version = version
        self.is_async = isinstance(client, AsyncA2AClient)

    async def call(self, name: str, *args: Any, **kwargs: Any) -> Any:
        result = getattr(self.client, name)(*args, **kwargs)
        if inspect.isawaitable(result):
            result = await result
        return result

    async def iterate(self, stream: Any) -> AsyncIterator[Any]:
        if self.is_async:
            async for event in stream:
                yield event
        else:
            for event in stream:
                yield event

    async def events(self, name: str, *args: Any, **kwargs: Any) -> List[Any]:
        return [event async for event in self.iterate(getattr(self.client, name)(*args, **kwargs))]

    async def close(self) -> None:
        await self.call("close")


def make_client(mode: str, url: str, **kwargs: Any) -> Any:
    return (AsyncA2AClient if mode == "async" else A2AClient)(url, **kwargs)


@pytest.fixture(params=[(v, m) for v in VERSIONS for m in MODES], ids=lambda p: f"{p[0]}-{p[1]}")
async def agent(request: pytest.FixtureRequest, echo_agent: str) -> AsyncIterator[Agent]:
    version, mode = request.param
    facade = Agent(make_client(mode, echo_agent, protocol_version=version), version)
    yield facade
    await facade.close()


@pytest.fixture(params=[(v, m) for v in VERSIONS for m in MODES], ids=lambda p: f"{p[0]}-{p[1]}")
async def nopush(request: pytest.FixtureRequest, echo_agent: str) -> AsyncIterator[Agent]:
    version, mode = request.param
    facade = Agent(make_client(mode, echo_agent + "/nopush/", protocol_version=version), version)
    yield facade
    await facade.close()


# ------------------------------------------------------------------------------ discovery


@pytest.mark.parametrize("mode", MODES)
async def test_discovery_picks_newest_version(echo_agent: str, mode: str) -> None:
    agent = Agent(make_client(mode, echo_agent), "1.0")
    card = await agent.call("get_card")
    assert card.name == "Echo Agent"
    assert card.capabilities is not None and card.capabilities.streaming is True
    assert [s.id for s in card.skills or []] == ["echo"]
    assert agent.client.protocol_version == "1.0"
    reply = await agent.call("send_message", "message:discovered")
    assert isinstance(reply, Message) and part_text(reply.parts) == "discovered"
    await agent.close()


@pytest.mark.parametrize("mode", MODES)
async def test_discovery_without_card_call_happens_lazily(echo_agent: str, mode: str) -> None:
    agent = Agent(make_client(mode, echo_agent), "1.0")
    assert agent.client.protocol_version is None
    task = await agent.call("send_message", "lazy")
    assert isinstance(task, Task)
    assert agent.client.protocol_version == "1.0"
    assert agent.client.agent_card is not None
    await agent.close()


@pytest.mark.parametrize("mode", MODES)
async def test_discovery_falls_back_to_legacy_card_path(echo_agent: str, mode: str) -> None:
    # /legacy serves only /.well-known/agent.json, a 0.3 card pointing at /nopush.
    agent = Agent(make_client(mode, echo_agent + "/legacy"), "0.3")
    card = await agent.call("get_card")
    assert card.protocolVersion == "0.3"
    assert agent.client.protocol_version == "0.3"
    assert agent.client.rpc_url == echo_agent + "/nopush/"
    task = await agent.call("send_message", "via legacy card")
    assert isinstance(task, Task) and task.status.state == "TASK_STATE_COMPLETED"
    await agent.close()


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("version", VERSIONS)
async def test_from_card_honours_requested_version(
    echo_agent: str, mode: str, version: str
) -> None:
    discover = Agent(make_client(mode, echo_agent), version)
    card = await discover.call("get_card")
    await discover.close()
    cls = AsyncA2AClient if mode == "async" else A2AClient
    agent = Agent(cls.from_card(card, protocol_version=version), version)
    assert agent.client.protocol_version == version
    task = await agent.call("send_message", "from card")
    assert isinstance(task, Task)
    await agent.close()


async def test_extended_card(agent: Agent) -> None:
    card = await agent.call("get_extended_agent_card")
    assert card.description.endswith("(extended)")


# ------------------------------------------------------------------------------ send


async def test_send_message_echoes_every_part_kind(agent: Agent) -> None:
    raw = base64.b64encode(b"file bytes").decode()
    message = Message(
        messageId="m-parts",
        role="ROLE_USER",
        parts=[
            Part(text="hello"),
            Part(data={"n": 1, "tags": ["a"]}),
            Part(raw=raw, mediaType="text/plain", filename="f.txt"),
            Part(url="https://example.invalid/p.png", mediaType="image/png"),
        ],
    )
    task = await agent.call("send_message", message)
    assert isinstance(task, Task)
    assert task.status.state == "TASK_STATE_COMPLETED"
    assert task.status.message is not None and part_text(task.status.message.parts) == "echo: hello"
    (artifact,) = task.artifacts or []
    assert artifact.name == "echo"
    text, data, file_bytes, file_url = artifact.parts
    assert text.text == "hello"
    assert data.data == {"n": 1, "tags": ["a"]}
    assert (file_bytes.raw, file_bytes.mediaType, file_bytes.filename) == (
        raw,
        "text/plain",
        "f.txt",
    )
    assert (file_url.url, file_url.mediaType) == ("https://example.invalid/p.png", "image/png")
    assert (
        task.history
        and task.history[0].messageId == "m-parts"
        and task.history[0].role == "ROLE_USER"
    )


async def test_send_message_can_be_answered_by_a_message(agent: Agent) -> None:
    reply = await agent.call("send_message", "message:direct", context_id="ctx-direct")
    assert isinstance(reply, Message)
    assert reply.role == "ROLE_AGENT" and part_text(reply.parts) == "direct"
    assert reply.contextId == "ctx-direct"


async def test_multi_turn_continues_input_required_task(agent: Agent) -> None:
    first = await agent.call("send_message", "input:start")
    assert isinstance(first, Task) and first.status.state == "TASK_STATE_INPUT_REQUIRED"
    second = await agent.call("send_message", "more", task_id=first.id, context_id=first.contextId)
    assert isinstance(second, Task) and second.id == first.id
    assert second.status.state == "TASK_STATE_COMPLETED"
    assert (
        second.status.message is not None and part_text(second.status.message.parts) == "got more"
    )


async def test_failed_task_is_a_result_not_an_error(agent: Agent) -> None:
    task = await agent.call("send_message", "fail:on purpose")
    assert isinstance(task, Task) and task.status.state == "TASK_STATE_FAILED"


async def test_stream_yields_typed_events_in_order(agent: Agent) -> None:
    events = await agent.events("send_message_stream", "stream me")
    kinds = [type(e).__name__ for e in events]
    assert kinds == [
        "Task",
        "TaskStatusUpdateEvent",
        "TaskArtifactUpdateEvent",
        "TaskStatusUpdateEvent",
    ]
    task, working, artifact, done = events
    assert isinstance(task, Task) and task.status.state == "TASK_STATE_SUBMITTED"
    assert (
        isinstance(working, TaskStatusUpdateEvent) and working.status.state == "TASK_STATE_WORKING"
    )
    assert isinstance(artifact, TaskArtifactUpdateEvent)
    assert part_text(artifact.artifact.parts) == "stream me" and artifact.lastChunk is True
    assert isinstance(done, TaskStatusUpdateEvent) and done.status.state == "TASK_STATE_COMPLETED"
    assert {e.taskId for e in (working, artifact, done)} == {task.id}
    if agent.version == "0.3":
        assert (working.final, done.final) == (False, True)


async def test_stream_of_a_message_reply(agent: Agent) -> None:
    events = await agent.events("send_message_stream", "message:streamed")
    assert len(events) == 1 and isinstance(events[0], Message)


# ------------------------------------------------------------------------------ tasks


async def test_get_task_and_history_length(agent: Agent) -> None:
    task = await agent.call("send_message", "keep me")
    got = await agent.call("get_task", task.id)
    assert got.id == task.id and got.status.state == "TASK_STATE_COMPLETED"
    assert len(got.history or []) == 2
    short = await agent.call("get_task", task.id, history_length=1)
    assert len(short.history or []) == 1


async def test_list_tasks(agent: Agent) -> None:
    task = await agent.call("send_message", "listed", context_id=f"ctx-list-{uuid.uuid4()}")
    if agent.version == "0.3":
        with pytest.raises(A2AVersionError, match="ListTasks"):
            await agent.call("list_tasks")
        return
    page = await agent.call("list_tasks", context_id=task.contextId, include_artifacts=True)
    assert [t.id for t in page.tasks or []] == [task.id]
    assert page.tasks[0].artifacts
    limited = await agent.call("list_tasks", page_size=1)
    assert len(limited.tasks or []) == 1 and limited.pageSize == 1


async def test_cancel_running_task(agent: Agent) -> None:
    task = await agent.call("send_message", "slow:100", return_immediately=True)
    assert isinstance(task, Task) and task.status.state not in ("TASK_STATE_COMPLETED",)
    canceled = await agent.call("cancel_task", task.id)
    assert canceled.id == task.id and canceled.status.state == "TASK_STATE_CANCELED"
    again = await agent.call("get_task", task.id)
    assert again.status.state == "TASK_STATE_CANCELED"


async def test_resubscribe_streams_until_cancel(agent: Agent) -> None:
    task = await agent.call("send_message", "slow:100", return_immediately=True)
    seen: List[Any] = []
    canceled = False
    async for event in agent.iterate(agent.client.subscribe_to_task(task.id)):
        seen.append(event)
        if len(seen) == 3 and not canceled:
            canceled = True
            await agent.call("cancel_task", task.id)
    assert isinstance(seen[0], Task) and seen[0].id == task.id
    assert any(
        isinstance(e, TaskStatusUpdateEvent)
        and e.status.message is not None
        and part_text(e.status.message.parts).startswith("tick")
        for e in seen
    )
    last = seen[-1]
    assert isinstance(last, TaskStatusUpdateEvent) and last.status.state == "TASK_STATE_CANCELED"


async def test_resubscribe_alias_reaches_a_finished_stream(agent: Agent) -> None:
    task = await agent.call("send_message", "slow:3", return_immediately=True)
    events = await agent.events("resubscribe", task.id)
    assert events[-1].status.state == "TASK_STATE_COMPLETED"


# ------------------------------------------------------------------------------ errors


async def test_get_unknown_task_is_task_not_found(agent: Agent) -> None:
    with pytest.raises(TaskNotFoundError) as info:
        await agent.call("get_task", "no-such-task")
    error = info.value
    assert error.code == -32001 and error.message == "Task not found"
    assert error.method == ("GetTask" if agent.version == "1.0" else "tasks/get")
    if agent.version == "1.0":
        assert error.reason == "TASK_NOT_FOUND"


async def test_cancel_finished_task_is_not_cancelable(agent: Agent) -> None:
    task = await agent.call("send_message", "done already")
    with pytest.raises(TaskNotCancelableError) as info:
        await agent.call("cancel_task", task.id)
    assert info.value.code == -32002


async def test_subscribe_to_finished_task_is_unsupported(agent: Agent) -> None:
    # 1.0 answers with a plain JSON-RPC error body, 0.3 with an SSE error event.
    task = await agent.call("send_message", "finished")
    with pytest.raises(UnsupportedOperationError) as info:
        await agent.events("subscribe_to_task", task.id)
    assert info.value.code == -32004 and "terminal state" in info.value.message


async def test_invalid_params(agent: Agent) -> None:
    with pytest.raises(InvalidParamsError) as info:
        await agent.call("send_message", "hi", history_length=-1)
    assert info.value.code == -32602 and "history length" in info.value.message


async def test_continuing_unknown_task_is_task_not_found(agent: Agent) -> None:
    with pytest.raises(TaskNotFoundError):
        await agent.call("send_message", "more", task_id="no-such-task")


async def test_data_part_must_be_an_object_in_0_3(agent: Agent) -> None:
    message = Message(messageId="m-list", role="ROLE_USER", parts=[Part(data=[1, 2])])
    if agent.version == "0.3":
        with pytest.raises(A2AVersionError, match="JSON object"):
            await agent.call("send_message", message)
    else:
        task = await agent.call("send_message", message)
        assert task.artifacts[0].parts[0].data == [1, 2]


@pytest.mark.parametrize("mode", MODES)
async def test_response_with_wrong_id_is_rejected(echo_agent: str, mode: str) -> None:
    agent = Agent(make_client(mode, echo_agent + "/broken/", protocol_version="1.0"), "1.0")
    with pytest.raises(A2AResponseError, match="does not match request id"):
        await agent.call("get_task", "x")
    await agent.close()


@pytest.mark.parametrize("mode", MODES)
async def test_response_that_is_not_json_is_rejected(echo_agent: str, mode: str) -> None:
    agent = Agent(make_client(mode, echo_agent + "/broken/garbage", protocol_version="0.3"), "0.3")
    with pytest.raises(A2AResponseError, match="not JSON"):
        await agent.call("get_task", "x")
    await agent.close()


# ------------------------------------------------------------------------------ push notifications


async def test_push_notification_config_lifecycle(agent: Agent) -> None:
    task = await agent.call("send_message", "slow:100", return_immediately=True)
    created = await agent.call(
        "create_task_push_notification_config",
        task.id,
        "http://127.0.0.1:9/hook",
        config_id="cfg-1",
        token="secret",
        authentication={"scheme": "Bearer", "credentials": "cred"},
    )
    assert (created.taskId, created.id, created.url, created.token) == (
        task.id,
        "cfg-1",
        "http://127.0.0.1:9/hook",
        "secret",
    )
    got = await agent.call("get_task_push_notification_config", task.id, "cfg-1")
    assert got.url == "http://127.0.0.1:9/hook"
    assert got.authentication is not None and got.authentication.scheme == "Bearer"
    listed = await agent.call("list_task_push_notification_configs", task.id)
    assert [c.id for c in listed.configs or []] == ["cfg-1"]
    assert await agent.call("delete_task_push_notification_config", task.id, "cfg-1") is None
    listed = await agent.call("list_task_push_notification_configs", task.id)
    assert not listed.configs
    await agent.call("cancel_task", task.id)


async def test_push_notification_config_for_unknown_task(agent: Agent) -> None:
    with pytest.raises(TaskNotFoundError):
        await agent.call(
            "create_task_push_notification_config", "no-such-task", "http://127.0.0.1:9/h"
        )


async def test_push_notifications_unsupported(nopush: Agent) -> None:
    task = await nopush.call("send_message", "no push here")
    with pytest.raises(PushNotificationNotSupportedError) as info:
        await nopush.call(
            "create_task_push_notification_config", task.id, "http://127.0.0.1:9/hook"
        )
    assert info.value.code == -32003
    with pytest.raises(PushNotificationNotSupportedError):
        await nopush.call("list_task_push_notification_configs", task.id)
