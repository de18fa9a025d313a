"""httpcore's connection pool with request assignment in linear time.

httpcore 1.0's pool re-runs ``_assign_requests_to_connections`` whenever a request arrives or a
response closes, and that pass scans every connection once per idle connection (and once per
queued request): with 200 idle connections one burst of 200 streams cost 17 s of CPU instead of
2 (``bench/concurrency.py``; upstream: encode/httpcore#1035, still open). Our pool keeps
hundreds of connections alive so that concurrent streams reuse them, which makes that cost
ours. The pass below decides the same things in one scan: drop closed connections, close
expired ones and idle ones beyond ``max_keepalive_connections`` (httpcore compared the count of
*all* connections with it), then give each queued request a connection, reusing an available
one before opening one (closing an idle one first when the pool is full). A connection already
handed to a request that has not started on it is neither closed nor handed out again.

Only a plain ``httpcore.ConnectionPool`` / ``AsyncConnectionPool`` of httpcore 1.x gets it
(``use_linear_pool``): proxies and other versions keep httpcore's own pass.
"""

from __future__ import annotations

import time
from typing import Any, Dict, List

import httpcore

__all__ = ["use_linear_pool"]


#: Probing every idle connection for expiry costs a poll() each (about 30 µs through anyio):
#: a pass probes them all at most this often, and always the one it hands out.
SWEEP_INTERVAL = 1.0


def _assign(self: Any) -> List[Any]:
    now = time.monotonic()
    sweep = now - getattr(self, "_swept_at", 0.0) >= SWEEP_INTERVAL
    if sweep:
        self._swept_at = now
    closing: List[Any] = []
    reserved = {
        id(request.connection) for request in self._requests if request.connection is not None
    }
    alive: List[Any] = []
    idle: List[Any] = []
    for connection in self._connections:
        if connection.is_closed():
            continue
        spare = id(connection) not in reserved and connection.is_idle()
        if spare and sweep and connection.has_expired():
            closing.append(connection)
            continue
        alive.append(connection)
        if spare:
            idle.append(connection)
    surplus = len(idle) - self._max_keepalive_connections
    if surplus > 0:  # the oldest idle connections go first
        dropped = {id(connection) for connection in idle[:surplus]}
        closing.extend(idle[:surplus])
        idle = idle[surplus:]
        alive = [connection for connection in alive if id(connection) not in dropped]
    self._connections[:] = alive
    queued = [request for request in self._requests if request.is_queued()]
    if not queued:
        return closing
    available = [
        connection
        for connection in alive
        if connection.is_available() and not (id(connection) in reserved and connection.is_idle())
    ]
    for request in queued:
        origin = request.request.url.origin
        chosen = None
        for connection in available:
            if not connection.can_handle_request(origin):
                continue
            if connection.is_idle() and connection.has_expired():  # closed by the server
                available.remove(connection)
                self._connections.remove(connection)
                if connection in idle:
                    idle.remove(connection)
                closing.append(connection)
                break  # the list changed: this request takes a new connection (rare)
            chosen = connection
            break
        if chosen is not None:
            if chosen.is_idle():  # HTTP/1.1 (or an unused HTTP/2 connection): one request
                available.remove(chosen)
                if chosen in idle:
                    idle.remove(chosen)
        else:
            if len(self._connections) >= self._max_connections:
                if not idle:
                    continue  # the request waits for a connection to free up
                victim = idle.pop(0)
                self._connections.remove(victim)
                if victim in available:
                    available.remove(victim)
                closing.append(victim)
            chosen = self.create_connection(origin)
            self._connections.append(chosen)
        request.assign_to_connection(chosen)
    return closing


class LinearConnectionPool(httpcore.ConnectionPool):
    def _assign_requests_to_connections(self) -> List[Any]:
        return _assign(self)


class LinearAsyncConnectionPool(httpcore.AsyncConnectionPool):
    def _assign_requests_to_connections(self) -> List[Any]:
        return _assign(self)


_LINEAR: Dict[type, type] = {
    httpcore.ConnectionPool: LinearConnectionPool,
    httpcore.AsyncConnectionPool: LinearAsyncConnectionPool,
}


def use_linear_pool(transport: Any) -> None:
    """Give an ``httpx.HTTPTransport`` / ``AsyncHTTPTransport``'s pool the linear pass, when it
    is httpcore 1.x's plain pool (whose private method it replaces)."""
    pool = getattr(transport, "_pool", None)
    linear = _LINEAR.get(type(pool))
    if linear is not None and httpcore.__version__.startswith("1."):
        pool.__class__ = linear
