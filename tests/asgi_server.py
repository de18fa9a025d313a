"""Serve an ASGI app with uvicorn on 127.0.0.1 (a free port) in a background thread: the one
way the tests' own servers (the fake gateway, the evolution recording server) run."""

from __future__ import annotations

import socket
import threading
import time
from typing import Any, Optional

import uvicorn


class ThreadedServer:
    """``start()`` returns once the app accepts connections on ``port``; ``stop()`` ends it."""

    def __init__(self, app: Any, name: str) -> None:
        self._app = app
        self._name = name
        self._server: Optional[uvicorn.Server] = None
        self._thread: Optional[threading.Thread] = None
        self.port = 0

    def start(self, timeout: float = 10.0) -> None:
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(("127.0.0.1", 0))
        self.port = sock.getsockname()[1]
        config = uvicorn.Config(
            self._app,
            log_level="warning",
            access_log=False,
            lifespan="off",
            http="h11",
            loop="asyncio",
            timeout_graceful_shutdown=1,
            timeout_keep_alive=60,  # idle connections outlive a slow test's bursts (pool reuse tests)
        )
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(
            target=self._server.run, kwargs={"sockets": [sock]}, name=self._name, daemon=True
        )
        self._thread.start()
        deadline = time.monotonic() + timeout
        while not self._server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError(f"{self._name} did not start on 127.0.0.1:{self.port}")
            time.sleep(0.01)

    def stop(self) -> None:
        if self._server is not None and self._thread is not None:
            self._server.should_exit = True
            self._thread.join(timeout=10)
        self._server = self._thread = None
