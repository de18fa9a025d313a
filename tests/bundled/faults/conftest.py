"""Fixtures of the fault suite: a raw-socket server per test, and SDK clients (sync or async)
pointed at it without retries unless a test asks (so a failure is seen as it happens)."""

from __future__ import annotations

from typing import Any, Callable, Iterator, List

import pytest

from tests.bundled.faults.server import FaultServer


@pytest.fixture
def server() -> Iterator[FaultServer]:
    running = FaultServer()
    try:
        yield running
    finally:
        running.close()


@pytest.fixture(params=["sync", "async"])
def mode(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
async def make(mode: str) -> Any:
    """``make(url, **kwargs)`` -> a client of this test's mode (``max_retries=0``, 2 s timeout
    unless given); closed after the test."""
    from inference_gateway import AsyncInferenceGatewayClient, InferenceGatewayClient

    made: List[Any] = []

    def build(url: str, **kwargs: Any) -> Any:
        kwargs.setdefault("max_retries", 0)
        kwargs.setdefault("timeout", 2.0)
        cls = InferenceGatewayClient if mode == "sync" else AsyncInferenceGatewayClient
        made.append(cls(url, **kwargs))
        return made[-1]

    yield build
    for client in made:
        result = client.close()
        if result is not None:
            await result


MakeClient = Callable[..., Any]


@pytest.fixture
def gw_client(mode: str, client: Any, async_client: Any) -> Callable[..., Any]:
    """A client factory on the fake gateway (``tests/fakegw``), of this test's mode."""
    return client if mode == "sync" else async_client
