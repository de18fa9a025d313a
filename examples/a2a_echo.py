"""Talk to an A2A agent: discover its card, send a message, stream a task, then cancel one.

    python examples/a2a_echo.py http://localhost:9999              # an agent by URL
    python examples/a2a_echo.py --gateway calendar-agent           # an agent the gateway lists
    python examples/a2a_echo.py http://localhost:9999 --protocol 0.3

The gateway is read from INFERENCE_GATEWAY_URL / INFERENCE_GATEWAY_API_KEY. Any A2A agent works;
the repository's test agent (tests/bundled/a2a/echo_agent.py, built on the official a2a-sdk) echoes the
text back and treats "slow:<n>" as a long task.
"""

from __future__ import annotations

import argparse

from inference_gateway import InferenceGatewayClient
from inference_gateway.a2a import (
    A2AClient,
    Message,
    Task,
    TaskArtifactUpdateEvent,
    TaskNotCancelableError,
    TaskStatusUpdateEvent,
    part_text,
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("url", nargs="?", help="agent base URL (its card is discovered)")
    parser.add_argument("--gateway", metavar="AGENT_ID", help="use an agent listed by the gateway")
    parser.add_argument("--protocol", choices=["1.0", "0.3"], help="force a protocol version")
    args = parser.parse_args()

    if args.gateway:
        with InferenceGatewayClient() as gateway:
            agent = A2AClient.from_gateway(gateway, args.gateway, protocol_version=args.protocol)
    elif args.url:
        agent = A2AClient(args.url, protocol_version=args.protocol)
    else:
        parser.error("give an agent URL or --gateway AGENT_ID")

    with agent:
        card = agent.get_card() if not args.protocol else agent.agent_card
        if card is not None:
            print(f"agent: {card.name} - {card.description}")
            print(f"skills: {', '.join(s.name for s in card.skills or [])}")
        print(f"speaking A2A {agent.protocol_version} at {agent.rpc_url}")

        # 1. a plain send: the agent answers with a task (or directly with a message)
        result = agent.send_message("Hello, agent!")
        if isinstance(result, Message):
            print("reply:", part_text(result.parts))
        else:
            print(f"task {result.id}: {result.status.state}")
            for artifact in result.artifacts or []:
                print(f"  artifact {artifact.name}: {part_text(artifact.parts)}")

        # 2. streaming: typed events as the task progresses
        for event in agent.send_message_stream("Stream this back"):
            if isinstance(event, Task):
                print(f"[task] {event.id} {event.status.state}")
            elif isinstance(event, TaskStatusUpdateEvent):
                print(f"[status] {event.status.state}")
            elif isinstance(event, TaskArtifactUpdateEvent):
                print(f"[artifact] {part_text(event.artifact.parts)}")
            else:
                print(f"[message] {part_text(event.parts)}")

        # 3. a long task, started without waiting, then canceled
        started = agent.send_message("slow:50", return_immediately=True)
        if isinstance(started, Task):
            try:
                print("canceled:", agent.cancel_task(started.id).status.state)
            except TaskNotCancelableError as exc:
                print(f"not cancelable ({exc.code}): {exc.message}")


if __name__ == "__main__":
    main()
