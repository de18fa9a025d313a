"""A small echo agent built with the official a2a-sdk (1.x), used as the real peer of the A2A tests.

Run only by the a2a peer interpreter (``peer_python("a2a")``); never imported by the SDK's venv.
Usage: ``python echo_agent.py PORT``.  One process serves three agents on 127.0.0.1:PORT:

* ``/``        streaming, push notifications and an extended card; JSON-RPC at ``/`` for protocol
               1.0 (``A2A-Version: 1.0`` header) and 0.3 (no header, slash-style method names).
* ``/nopush``  the same executor without push notifications (for the unsupported-operation paths).
* ``/legacy``  only an old-style card at ``/legacy/.well-known/agent.json`` (protocol 0.3) that
               points at the ``/nopush`` endpoint, to exercise the discovery fallback.
* ``/nostream`` the same executor, its card saying it cannot stream, served only at the custom
               path ``/nostream/agents/echo.json`` (for the blocking fallback and ``card_path=``).
* ``/secure``  the ``/nopush`` agent behind an API key: every request without
               ``X-Api-Key: secret-key`` gets 401 (for ``auth=`` and ``auth_headers=``).
* ``/broken``  a misbehaving endpoint (not a2a-sdk): answers every call with a JSON-RPC response
               whose id is not the request's (``/broken/``) or with a body that is not JSON
               (``/broken/garbage``), so the client's response checks meet a real server.

What the executor does with the user's first text part:

* ``message:<text>``  answers with a single agent Message (no task).
* ``slow:<n>``        a long task: one ``working`` status update every 0.2 s for ``n`` ticks, so it
                      can be canceled or resubscribed while it runs; completes afterwards.
* ``input:<text>``    stops in ``input-required``; the next message on the task completes it.
* ``fail:<text>``     ends the task in ``failed``.
* anything else       a task: ``working`` status, then an artifact ``echo`` that repeats every part of
                      the message (text, data, file parts alike), then ``completed``.
"""

from __future__ import annotations

import asyncio
import sys

import uvicorn
from a2a.helpers import new_task_from_user_message, new_text_part
from a2a.server.agent_execution import AgentExecutor, RequestContext
from a2a.server.events import EventQueue
from a2a.server.request_handlers import DefaultRequestHandler
from a2a.server.routes import create_agent_card_routes, create_jsonrpc_routes
from a2a.server.tasks import InMemoryPushNotificationConfigStore, InMemoryTaskStore, TaskUpdater
from a2a.types.a2a_pb2 import (
    AgentCapabilities,
    AgentCard,
    AgentInterface,
    AgentProvider,
    AgentSkill,
    Message,
    Part,
    Role,
    TaskState,
)
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Mount, Route

TICK_SECONDS = 0.2


class EchoExecutor(AgentExecutor):
    """Echoes the user's message back through the task lifecycle the tests need."""

    async def execute(self, context: RequestContext, event_queue: EventQueue) -> None:
        message = context.message
        assert message is not None
        text = next((p.text for p in message.parts if p.HasField("text")), "")
        command, _, rest = text.partition(":")

        if command == "message":
            reply = Message(
                role=Role.ROLE_AGENT,
                message_id=f"reply-{message.message_id}",
                context_id=context.context_id or "",
                parts=[new_text_part(rest)],
            )
            await event_queue.enqueue_event(reply)
            return

        task = context.current_task
        if task is None:
            task = new_task_from_user_message(message)
            task.id = context.task_id or task.id
            task.context_id = context.context_id or task.context_id
            await event_queue.enqueue_event(task)
        updater = TaskUpdater(event_queue, task.id, task.context_id)

        if task.status.state == TaskState.TASK_STATE_INPUT_REQUIRED:
            await updater.complete(updater.new_agent_message([new_text_part(f"got {text}")]))
            return

        await updater.start_work(updater.new_agent_message([new_text_part("echoing")]))
        if command == "slow":
            ticks = int(rest or "50")
            for tick in range(ticks):
                await asyncio.sleep(TICK_SECONDS)
                await updater.update_status(
                    TaskState.TASK_STATE_WORKING,
                    updater.new_agent_message([new_text_part(f"tick {tick}")]),
                )
        elif command == "input":
            await updater.requires_input(updater.new_agent_message([new_text_part("more?")]))
            return
        elif command == "fail":
            await updater.failed(updater.new_agent_message([new_text_part(rest or "failed")]))
            return

        parts = [Part() for _ in message.parts]
        for copy, original in zip(parts, message.parts):
            copy.CopyFrom(original)
        await updater.add_artifact(parts, name="echo", last_chunk=True)
        await updater.complete(updater.new_agent_message([new_text_part(f"echo: {text}")]))

    async def cancel(self, context: RequestContext, event_queue: EventQueue) -> None:
        task = context.current_task
        task_id = context.task_id or (task.id if task else "")
        context_id = context.context_id or (task.context_id if task else "")
        await TaskUpdater(event_queue, task_id, context_id).cancel()


def agent_card(base: str, *, push: bool, streaming: bool = True) -> AgentCard:
    return AgentCard(
        name="Echo Agent" + ("" if push else " (no push)"),
        description="Echoes messages back; a test peer for the Inference Gateway SDK.",
        version="1.0.0",
        provider=AgentProvider(
            organization="Inference Gateway tests", url="https://example.invalid"
        ),
        supported_interfaces=[
            AgentInterface(url=base, protocol_binding="JSONRPC", protocol_version="1.0"),
            AgentInterface(url=base, protocol_binding="JSONRPC", protocol_version="0.3"),
        ],
        capabilities=AgentCapabilities(
            streaming=streaming, push_notifications=push, extended_agent_card=push
        ),
        default_input_modes=["text/plain", "application/json"],
        default_output_modes=["text/plain", "application/json"],
        skills=[
            AgentSkill(
                id="echo",
                name="Echo",
                description="Repeats every part of the message.",
                tags=["echo", "test"],
                examples=["hello", "slow:20", "message:hi"],
            )
        ],
    )


async def allow_any_push_url(url: str) -> bool:
    """Test peer: push targets on 127.0.0.1 are fine (the default validator refuses them)."""
    return True


def agent_routes(
    base: str, *, push: bool, streaming: bool = True, card_url: str = "/.well-known/agent-card.json"
) -> list[Route]:
    card = agent_card(base, push=push, streaming=streaming)
    extended = AgentCard()
    extended.CopyFrom(card)
    extended.description = card.description + " (extended)"
    handler = DefaultRequestHandler(
        agent_executor=EchoExecutor(),
        task_store=InMemoryTaskStore(),
        agent_card=card,
        push_config_store=InMemoryPushNotificationConfigStore() if push else None,
        push_url_validator=allow_any_push_url,
        extended_agent_card=extended if push else None,
    )
    return [
        *create_agent_card_routes(card, card_url=card_url),
        *create_jsonrpc_routes(handler, "/", enable_v0_3_compat=True),
    ]


def legacy_routes(nopush_base: str) -> list[Route]:
    """An agent that only has the pre-0.3 card location, with a 0.3-shaped card."""
    from a2a.compat.v0_3.conversions import to_compat_agent_card

    card = agent_card(nopush_base, push=False)
    del card.supported_interfaces[0]
    legacy = to_compat_agent_card(card).model_dump(mode="json", exclude_none=True, by_alias=True)

    async def serve(request: Request) -> JSONResponse:
        return JSONResponse(legacy)

    return [Route("/.well-known/agent.json", serve, methods=["GET"])]


def broken_routes() -> list[Route]:
    async def wrong_id(request: Request) -> JSONResponse:
        body = await request.json()
        return JSONResponse({"jsonrpc": "2.0", "id": f"not-{body.get('id')}", "result": {}})

    async def garbage(request: Request) -> Response:
        return Response(b"<html>not json</html>", media_type="text/html")

    return [Route("/", wrong_id, methods=["POST"]), Route("/garbage", garbage, methods=["POST"])]


class RequireKey:
    """ASGI middleware: 401 unless the request carries ``X-Api-Key: secret-key``."""

    def __init__(self, app: Starlette) -> None:
        self.app = app

    async def __call__(self, scope, receive, send):  # type: ignore[no-untyped-def]
        if scope["type"] == "http" and Request(scope).headers.get("x-api-key") != "secret-key":
            await JSONResponse({"error": "missing or wrong X-Api-Key"}, status_code=401)(
                scope, receive, send
            )
            return
        await self.app(scope, receive, send)


def build_app(port: int) -> Starlette:
    root = f"http://127.0.0.1:{port}"
    nopush = Starlette(routes=agent_routes(f"{root}/nopush/", push=False))
    legacy = Starlette(routes=legacy_routes(f"{root}/nopush/"))
    routes = [
        Mount("/nopush", app=nopush),
        Mount("/legacy", app=legacy),
        Mount(
            "/nostream",
            app=Starlette(
                routes=agent_routes(
                    f"{root}/nostream/", push=False, streaming=False, card_url="/agents/echo.json"
                )
            ),
        ),
        Mount(
            "/secure",
            app=RequireKey(Starlette(routes=agent_routes(f"{root}/secure/", push=False))),
        ),
        Mount("/broken", app=Starlette(routes=broken_routes())),
        *agent_routes(f"{root}/", push=True),
    ]
    return Starlette(routes=routes)


def main() -> None:
    port = int(sys.argv[1])
    uvicorn.run(build_app(port), host="127.0.0.1", port=port, log_level="warning")


if __name__ == "__main__":
    main()
