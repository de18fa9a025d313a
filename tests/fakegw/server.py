"""Serve the fake gateway with uvicorn on 127.0.0.1 (a free port) in a background thread."""

from __future__ import annotations

import socket
import threading
import time
from typing import Any, Optional

import uvicorn

from .app import FakeGatewayApp


class FakeGateway(FakeGatewayApp):
    """The fake gateway app plus its server; ``start()`` returns once it accepts connections."""

    def __init__(self) -> None:
        super().__init__()
        self._server: Optional[uvicorn.Server] = None
        self._thread: Optional[threading.Thread] = None
        self.port = 0

    @property
    def url(self) -> str:
        """The gateway root (spec paths such as ``/health`` and ``/proxy/...`` hang from it)."""
        return f"http://127.0.0.1:{self.port}"

    @property
    def base_url(self) -> str:
        """What the SDK guide passes to the client: the root plus ``/v1``."""
        return self.url + "/v1"

    def start(self, timeout: float = 10.0) -> FakeGateway:
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(("127.0.0.1", 0))
        self.port = sock.getsockname()[1]
        config = uvicorn.Config(
            self,
            log_level="warning",
            access_log=False,
            lifespan="off",
            http="h11",
            loop="asyncio",
            timeout_graceful_shutdown=1,
        )
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(
            target=self._server.run, kwargs={"sockets": [sock]}, name="fakegw", daemon=True
        )
        self._thread.start()
        deadline = time.monotonic() + timeout
        while not self._server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError(f"fake gateway did not start on 127.0.0.1:{self.port}")
            time.sleep(0.01)
        return self

    def stop(self) -> None:
        if self._server is not None and self._thread is not None:
            self._server.should_exit = True
            self._thread.join(timeout=5)
        self._server = self._thread = None

    def __enter__(self) -> FakeGateway:
        return self.start()

    def __exit__(self, *exc_info: Any) -> None:
        self.stop()
