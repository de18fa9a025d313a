"""Fixtures of the SDK tests: one test body runs against the sync and the async client."""

from __future__ import annotations

from typing import Any, Callable

import pytest


@pytest.fixture(params=["sync", "async"])
def any_client(request: pytest.FixtureRequest, client: Any, async_client: Any) -> Callable[..., Any]:
    """A client factory, once sync and once async; combine with ``resolve`` / ``collect``."""
    return client if request.param == "sync" else async_client
