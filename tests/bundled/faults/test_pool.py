"""The clients' connection pool (``_pool.py``: httpcore's pool with a linear assignment pass)
keeps httpcore's contract: limits, keep-alive expiry, idle connections the server closed, sync
and async, proxies left to httpcore."""

from __future__ import annotations

import asyncio
import socket
import threading
import time
from typing import Any, List

import httpcore
import httpx
from inference_gateway._pool import LinearAsyncConnectionPool, LinearConnectionPool, use_linear_pool

from tests.bundled.faults.server import FaultServer, sized


def slow_ok(seconds: float = 0.1, keep: bool = True) -> Any:
    reply = sized(b"{}")

    def answer(sock: socket.socket) -> bool:
        time.sleep(seconds)
        reply(sock)
        return keep

    return answer


def transport(mode: str, **limits: Any) -> Any:
    cls = httpx.HTTPTransport if mode == "sync" else httpx.AsyncHTTPTransport
    made = cls(limits=httpx.Limits(**limits))
    use_linear_pool(made)
    assert type(made._pool) is (LinearConnectionPool if mode == "sync" else LinearAsyncConnectionPool)
    return made


async def burst(mode: str, client_transport: Any, url: str, n: int) -> List[int]:
    if mode == "sync":
        with httpx.Client(transport=client_transport) as client:
            statuses: List[int] = []
            threads = [threading.Thread(target=lambda: statuses.append(client.get(url).status_code)) for _ in range(n)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            return statuses
    client = httpx.AsyncClient(transport=client_transport)
    try:
        return [r.status_code for r in await asyncio.gather(*(client.get(url) for _ in range(n)))]
    finally:
        await client.aclose()


async def test_idle_connections_beyond_the_keepalive_limit_are_closed(mode: str, server: FaultServer) -> None:
    server.reply = slow_ok()
    made = transport(mode, max_connections=10, max_keepalive_connections=3)
    pool = made._pool
    if mode == "sync":
        with httpx.Client(transport=made) as client:
            threads = [threading.Thread(target=client.get, args=(server.url,)) for _ in range(6)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            idle = [c for c in pool.connections if c.is_idle()]
    else:
        async with httpx.AsyncClient(transport=made) as client:
            await asyncio.gather(*(client.get(server.url) for _ in range(6)))
            idle = [c for c in pool.connections if c.is_idle()]
    assert server.connections == 6 and len(idle) == 3


async def test_max_connections_queues_requests(mode: str, server: FaultServer) -> None:
    server.reply = slow_ok(0.05)
    assert await burst(mode, transport(mode, max_connections=2), server.url, 8) == [200] * 8
    assert server.connections == 2


async def test_a_burst_reuses_idle_connections(mode: str, server: FaultServer) -> None:
    server.reply = slow_ok(0.05)
    made = transport(mode, max_connections=50, max_keepalive_connections=50)
    if mode == "sync":
        with httpx.Client(transport=made) as client:
            for _ in range(3):
                threads = [threading.Thread(target=client.get, args=(server.url,)) for _ in range(10)]
                for thread in threads:
                    thread.start()
                for thread in threads:
                    thread.join()
    else:
        async with httpx.AsyncClient(transport=made) as client:
            for _ in range(3):
                await asyncio.gather(*(client.get(server.url) for _ in range(10)))
    assert len(server.requests) == 30 and server.connections <= 10


async def test_expired_and_server_closed_connections_are_replaced(mode: str, server: FaultServer) -> None:
    server.replies.append(slow_ok(0.0, keep=False))  # answers, then closes the connection
    server.reply = slow_ok(0.0)
    made = transport(mode, max_connections=5, keepalive_expiry=0.3)
    statuses = []
    if mode == "sync":
        with httpx.Client(transport=made) as client:
            statuses.append(client.get(server.url).status_code)
            time.sleep(0.1)
            statuses.append(client.get(server.url).status_code)  # not on the closed one
            statuses.append(client.get(server.url).status_code)  # reused
            time.sleep(1.2)  # past the expiry and the sweep interval
            statuses.append(client.get(server.url).status_code)
    else:
        async with httpx.AsyncClient(transport=made) as client:
            statuses.append((await client.get(server.url)).status_code)
            await asyncio.sleep(0.1)
            statuses.append((await client.get(server.url)).status_code)
            statuses.append((await client.get(server.url)).status_code)
            await asyncio.sleep(1.2)
            statuses.append((await client.get(server.url)).status_code)
    assert statuses == [200] * 4
    assert server.connections == 3


def test_proxy_pools_keep_httpcore_s_own_pass() -> None:
    proxied = httpx.HTTPTransport(proxy="http://127.0.0.1:9")
    use_linear_pool(proxied)
    assert type(proxied._pool) is httpcore.HTTPProxy
