"""One async client serving hundreds of concurrent streams reuses its connections: 200 tasks
streaming one after another open no more connections than there are tasks (httpx's default
pool keeps 20 idle: every request beyond those opened a new connection).

Not tested here, measured in ``bench/concurrency.py``: time and CPU against bare httpx and openai.
(Bursts over many idle connections are slow in httpcore 1.0's pool, whose bookkeeping scans
every connection for each idle one: this test takes seconds for that reason, not ours.)
"""

from __future__ import annotations

import asyncio
from typing import Any, Awaitable, Callable, List

from inference_gateway import Message

from tests.fakegw import FakeGateway

CONCURRENCY = 200
ROUNDS = 2


async def _in_parallel(task: Callable[[int], Awaitable[Any]]) -> None:
    async def worker(index: int) -> None:
        for _ in range(ROUNDS):
            assert await task(index)

    await asyncio.gather(*(worker(index) for index in range(CONCURRENCY)))


def _connections(gateway: FakeGateway) -> int:
    peers = {request.client for request in gateway.requests}
    assert None not in peers and len(gateway.requests) == CONCURRENCY * ROUNDS
    return len(peers)


async def test_concurrent_streams_reuse_connections(async_client: Callable[..., Any], gateway: FakeGateway) -> None:
    client = async_client()

    async def stream(index: int) -> List[Any]:
        chunks = client.stream_chat_completion(
            model="openai/gpt-4o", messages=[Message(role="user", content=f"hello {index}")]
        )
        return [chunk async for chunk in chunks]

    await _in_parallel(stream)
    assert _connections(gateway) <= CONCURRENCY
