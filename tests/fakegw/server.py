"""Serve the fake gateway with uvicorn on 127.0.0.1 (a free port) in a background thread."""

from __future__ import annotations

from typing import Any

from tests.asgi_server import ThreadedServer

from .app import FakeGatewayApp


class FakeGateway(FakeGatewayApp):
    """The fake gateway app plus its server; ``start()`` returns once it accepts connections."""

    def __init__(self) -> None:
        super().__init__()
        self._runner = ThreadedServer(self, "fakegw")

    @property
    def port(self) -> int:
        return self._runner.port

    @property
    def url(self) -> str:
        """The gateway root (spec paths such as ``/health`` and ``/proxy/...`` hang from it)."""
        return f"http://127.0.0.1:{self.port}"

    @property
    def base_url(self) -> str:
        """What the SDK guide passes to the client: the root plus ``/v1``."""
        return self.url + "/v1"

    def start(self, timeout: float = 10.0) -> FakeGateway:
        self._runner.start(timeout)
        return self

    def stop(self) -> None:
        self._runner.stop()

    def __enter__(self) -> FakeGateway:
        return self.start()

    def __exit__(self, *exc_info: Any) -> None:
        self.stop()
