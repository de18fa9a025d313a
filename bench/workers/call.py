"""Per-call cost of ``create_chat_completion`` (ours) vs a bare httpx post + ``json.loads``.

``python call.py URL time ROUNDS CALLS``: ROUNDS rounds, each making CALLS calls with every
contender in turn (interleaved, so load from other processes hits all of them alike); prints the
per-call time of every round. ``python call.py URL profile CALLS``: cProfile of our sync path.
Runs with the project's venv and ``generated/`` on the path.
"""

from __future__ import annotations

import asyncio
import cProfile
import io
import json
import pstats
import sys
import time
from typing import Any, Callable, Dict, List

import httpx

URL = sys.argv[1]
MODEL = "bench-0"
MESSAGES = [
    {"role": "system", "content": "You are a helpful assistant."},
    {"role": "user", "content": "What is Python?"},
]


def bare_sync() -> Callable[[], Any]:
    client = httpx.Client(timeout=30)
    body = {"model": MODEL, "messages": MESSAGES}

    def call() -> Any:
        return json.loads(client.post(f"{URL}/chat/completions", json=body).content)

    return call


def ours_sync() -> Callable[[], Any]:
    from inference_gateway import InferenceGatewayClient, Message

    client = InferenceGatewayClient(URL)
    messages = [Message(**m) for m in MESSAGES]

    def call() -> Any:
        return client.create_chat_completion(model=MODEL, messages=messages)

    return call


def bare_async() -> Callable[[int], Any]:
    client = httpx.AsyncClient(timeout=30)
    body = {"model": MODEL, "messages": MESSAGES}

    async def calls(n: int) -> None:
        for _ in range(n):
            json.loads((await client.post(f"{URL}/chat/completions", json=body)).content)

    return calls


def ours_async() -> Callable[[int], Any]:
    from inference_gateway import AsyncInferenceGatewayClient, Message

    client = AsyncInferenceGatewayClient(URL)
    messages = [Message(**m) for m in MESSAGES]

    async def calls(n: int) -> None:
        for _ in range(n):
            await client.create_chat_completion(model=MODEL, messages=messages)

    return calls


def per_call_sync(call: Callable[[], Any], n: int) -> float:
    start = time.perf_counter()
    for _ in range(n):
        call()
    return (time.perf_counter() - start) / n


def per_call_async(loop: asyncio.AbstractEventLoop, calls: Callable[[int], Any], n: int) -> float:
    start = time.perf_counter()
    loop.run_until_complete(calls(n))
    return (time.perf_counter() - start) / n


def time_all(rounds: int, n: int) -> Dict[str, Any]:
    loop = asyncio.new_event_loop()
    sync: Dict[str, Callable[[], Any]] = {"bare_sync": bare_sync()}
    async_: Dict[str, Callable[[int], Any]] = {"bare_async": bare_async()}
    errors: Dict[str, str] = {}
    try:
        sync["ours_sync"] = ours_sync()
        async_["ours_async"] = ours_async()
    except Exception as exc:  # report why ours could not run; the bare figures still count
        errors["ours"] = f"{type(exc).__name__}: {exc}"
    results: Dict[str, List[float]] = {name: [] for name in (*sync, *async_)}
    for call in sync.values():  # warm-up: connections, caches, lazy imports
        per_call_sync(call, 50)
    for calls in async_.values():
        per_call_async(loop, calls, 50)
    for _ in range(rounds):
        for name, call in sync.items():
            results[name].append(per_call_sync(call, n))
        for name, calls in async_.items():
            results[name].append(per_call_async(loop, calls, n))
    return {"per_call_s": results, "errors": errors}


def profile(n: int) -> Dict[str, Any]:
    """Where our sync call spends its time: the SDK's own functions (µs per call, own and
    cumulative) and the whole call path's top functions by own time."""
    call = ours_sync()
    per_call_sync(call, 50)
    profiler = cProfile.Profile()
    profiler.runcall(per_call_sync, call, n)
    stats = pstats.Stats(profiler)
    raw = stats.stats  # type: ignore[attr-defined]
    ours = sorted(
        (
            (tottime, cumtime, f"{filename.split('/inference_gateway/')[-1]}:{line}({function})")
            for (filename, line, function), (_, _, tottime, cumtime, _) in raw.items()
            if "/inference_gateway/" in filename
        ),
        reverse=True,
    )[:10]
    out = io.StringIO()
    stats.stream = out  # type: ignore[attr-defined]
    stats.sort_stats("tottime").print_stats(12)
    lines = [line for line in out.getvalue().splitlines() if line.strip()]
    start = next(i for i, line in enumerate(lines) if "ncalls" in line)
    return {
        "ours_us_per_call": [
            f"own {tot / n * 1e6:5.1f} µs, cumulative {cum / n * 1e6:6.1f} µs  {name}"
            for tot, cum, name in ours
        ],
        "tottime_top": lines[start : start + 13],
        "calls": n,
    }


if __name__ == "__main__":
    if sys.argv[2] == "time":
        print(json.dumps(time_all(int(sys.argv[3]), int(sys.argv[4]))))
    else:
        print(json.dumps(profile(int(sys.argv[3]))))
