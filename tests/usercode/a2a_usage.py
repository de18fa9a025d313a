"""A2A: card, blocking and streaming sends, tasks, typed errors, async."""

from __future__ import annotations

import asyncio

from inference_gateway.a2a import (
    A2AClient,
    AsyncA2AClient,
    Task,
    TaskArtifactUpdateEvent,
    TaskNotFoundError,
    TaskStatusUpdateEvent,
    part_text,
)


def talk() -> None:
    with A2AClient("http://localhost:9999") as agent:
        card = agent.get_card()
        print(card.name, "speaks A2A", agent.protocol_version)
        result = agent.send_message("Hello, agent!")
        if isinstance(result, Task):
            print(result.status.state, part_text(result.artifacts[0].parts) if result.artifacts else "")
            task = agent.get_task(result.id, history_length=5)
            print(len(agent.list_tasks(context_id=task.contextId).tasks or []))
        for event in agent.send_message_stream("Stream this back"):
            if isinstance(event, TaskStatusUpdateEvent):
                print("status:", event.status.state)
            elif isinstance(event, TaskArtifactUpdateEvent):
                print("artifact:", part_text(event.artifact.parts))


async def talk_async() -> None:
    async with AsyncA2AClient("http://localhost:9999", protocol_version="0.3") as agent:
        task = await agent.send_message("hi")
        print(task)
        try:
            await agent.get_task("no-such-task")
        except TaskNotFoundError as error:
            print(error.code, error.message)


if __name__ == "__main__":
    asyncio.run(talk_async())
