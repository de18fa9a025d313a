"""Helpers that let one async test body drive a sync or an async client."""

from __future__ import annotations

import inspect
from typing import Any, List


async def resolve(value: Any) -> Any:
    """The value of a sync call, or the awaited value of an async one."""
    return await value if inspect.isawaitable(value) else value


async def collect(stream: Any) -> List[Any]:
    """Every item of a sync or async iterable."""
    if hasattr(stream, "__aiter__"):
        return [item async for item in stream]
    return list(stream)


async def close(client: Any) -> None:
    await resolve(client.close())


async def collect_into(stream: Any, seen: List[Any]) -> None:
    """Append every item of a sync or async stream to ``seen``, so the items before an error
    are still there when the stream raises."""
    if hasattr(stream, "__aiter__"):
        async for item in stream:
            seen.append(item)
    else:
        for item in stream:
            seen.append(item)
