"""One async client, many concurrent streams: ``python concurrency.py KIND URL STREAMS EVENTS
WAVES``. Each wave starts STREAMS streams of EVENTS chunks at once on the same client and waits
for all; prints ``{"cpu_s": [...], "wall_s": [...], "connections": [...], "events": N}`` per
wave (``connections``: opened on the server during that wave, the probe's own connection left out). Stdlib + the contender's client
only (it runs in every peer's venv). KIND: ``ours`` (AsyncInferenceGatewayClient typed
``stream_chat_completion``), ``floor`` (bare ``httpx.AsyncClient``, ``aiter_lines`` +
``json.loads``), ``openai`` (``AsyncOpenAI`` typed stream).
"""

from __future__ import annotations

import asyncio
import json
import sys
import time
import urllib.request
from typing import Any, Awaitable, Callable, Tuple

from _harness import MESSAGES, model_for

Open = Callable[[int], Awaitable[Tuple[Any, Callable[[int], Awaitable[int]]]]]


def connections(url: str) -> int:
    with urllib.request.urlopen(f"{url}/__connections") as response:
        return int(json.loads(response.read())["connections"])


def ours(url: str) -> Tuple[Any, Callable[[int], Awaitable[int]]]:
    from inference_gateway import AsyncInferenceGatewayClient, Message

    client = AsyncInferenceGatewayClient(url, timeout=120, max_retries=0)
    messages = [Message(**m) for m in MESSAGES]

    async def one(n_events: int) -> int:
        seen = 0
        async with client.stream_chat_completion(model=model_for(n_events), messages=messages) as stream:
            async for chunk in stream:
                if chunk.choices and chunk.choices[0].delta.content:
                    seen += 1
        return seen

    return client, one


def floor(url: str) -> Tuple[Any, Callable[[int], Awaitable[int]]]:
    import httpx

    client = httpx.AsyncClient(timeout=120)

    async def one(n_events: int) -> int:
        seen = 0
        body = {"model": model_for(n_events), "messages": MESSAGES, "stream": True}
        async with client.stream("POST", f"{url}/chat/completions", json=body) as response:
            async for line in response.aiter_lines():
                if not line.startswith("data: "):
                    continue
                if line[6:] == "[DONE]":
                    break
                choices = json.loads(line[6:])["choices"]
                if choices and choices[0]["delta"].get("content"):
                    seen += 1
        return seen

    return client, one


def openai(url: str) -> Tuple[Any, Callable[[int], Awaitable[int]]]:
    from openai import AsyncOpenAI

    client = AsyncOpenAI(base_url=url, api_key="bench", timeout=120, max_retries=0)

    async def one(n_events: int) -> int:
        seen = 0
        stream = await client.chat.completions.create(model=model_for(n_events), messages=MESSAGES, stream=True)
        async for chunk in stream:
            if chunk.choices and chunk.choices[0].delta.content:
                seen += 1
        return seen

    return client, one


async def main() -> None:
    kind, url = sys.argv[1], sys.argv[2]
    streams, n_events, waves = int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
    client, one = {"ours": ours, "floor": floor, "openai": openai}[kind](url)
    result: dict = {"cpu_s": [], "wall_s": [], "connections": [], "events": streams * n_events}
    for _ in range(waves):
        before = connections(url)
        cpu, wall = time.process_time(), time.perf_counter()
        seen = await asyncio.gather(*(one(n_events) for _ in range(streams)))
        result["wall_s"].append(time.perf_counter() - wall)
        result["cpu_s"].append(time.process_time() - cpu)
        result["connections"].append(connections(url) - before - 1)  # not our own probe's
        if sum(seen) != streams * (n_events - 1):  # the first chunk carries the role only
            raise SystemExit(f"{kind}: saw {sum(seen)} content chunks, expected {streams * (n_events - 1)}")
    close = getattr(client, "aclose", None) or client.close
    await close()
    print(json.dumps(result))


if __name__ == "__main__":
    asyncio.run(main())
