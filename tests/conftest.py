"""Shared fixtures: the fake gateway (one server per session, reset before each test that uses
it) and factories for sync and async SDK clients pointed at it."""

from __future__ import annotations

from typing import Any, AsyncIterator, Callable, Iterator, List

import pytest

from tests.fakegw import FakeGateway

#: Retry timing small enough for tests that exercise retries (attempt counts stay the default).
FAST_RETRY_KWARGS = {"initial_backoff": 0.001, "max_backoff": 0.005, "max_retry_after": 0.05}


@pytest.fixture(scope="session")
def gateway() -> Iterator[FakeGateway]:
    """The fake gateway, started once per session (``reset()`` runs before each test)."""
    server = FakeGateway().start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(autouse=True)
def _reset_gateway(request: pytest.FixtureRequest) -> None:
    # Only tests that use the gateway (directly or through another fixture) pay for it.
    if "gateway" in request.fixturenames:
        request.getfixturevalue("gateway").reset()


def _client_kwargs(gateway: FakeGateway, kwargs: dict) -> dict:
    from inference_gateway import RetryConfig

    kwargs.setdefault("base_url", gateway.base_url)
    if "retry" not in kwargs:
        kwargs["retry"] = RetryConfig(**FAST_RETRY_KWARGS)
    return kwargs


@pytest.fixture
def client(gateway: FakeGateway) -> Iterator[Callable[..., Any]]:
    """``client(**kwargs)`` -> an ``InferenceGatewayClient`` on the fake gateway (fast retries);
    every client made is closed after the test."""
    from inference_gateway import InferenceGatewayClient

    made: List[Any] = []

    def make(**kwargs: Any) -> Any:
        made.append(InferenceGatewayClient(**_client_kwargs(gateway, kwargs)))
        return made[-1]

    yield make
    for item in made:
        item.close()


@pytest.fixture
async def async_client(gateway: FakeGateway) -> AsyncIterator[Callable[..., Any]]:
    """``async_client(**kwargs)`` -> an ``AsyncInferenceGatewayClient`` on the fake gateway."""
    from inference_gateway import AsyncInferenceGatewayClient

    made: List[Any] = []

    def make(**kwargs: Any) -> Any:
        made.append(AsyncInferenceGatewayClient(**_client_kwargs(gateway, kwargs)))
        return made[-1]

    yield make
    for item in made:
        await item.close()
