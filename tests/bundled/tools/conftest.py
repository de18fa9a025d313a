"""Fixtures of the tool tests: both clients, and two tools that must run concurrently."""

from __future__ import annotations

import threading
from typing import Callable, List

import pytest

from tests.bundled.sdk.conftest import any_client

__all__ = ["any_client", "concurrent_tools"]


@pytest.fixture
def concurrent_tools() -> List[Callable[[int], str]]:
    """``slow_a`` and ``slow_b``: each returns only once both run at the same time."""
    barrier = threading.Barrier(2, timeout=5)

    def slow_a(x: int) -> str:
        """First of two tools that must run at the same time."""
        barrier.wait()
        return f"a{x}"

    def slow_b(x: int) -> str:
        """Second of two tools that must run at the same time."""
        barrier.wait()
        return f"b{x}"

    return [slow_a, slow_b]
