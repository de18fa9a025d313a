"""Responses / Messages stream workers: ``python stream_apis.py URL N KIND API REPS``.

KIND ``floor``: httpx ``iter_lines`` + ``json.loads`` of each ``data:`` line (no types, no
checks); ``ours``: this SDK's typed ``create_response_stream`` / ``create_message_stream``;
``official``: the official 0.22.0's typed methods of the same names (run in its venv). Prints
``{"times": [...], "events": E}`` after one warm-up; the clock covers consumption only.
"""

from __future__ import annotations

import json
import sys
import time
from typing import Any, Callable

MESSAGES = [{"role": "user", "content": "Tell me a story."}]


def make(url: str, kind: str, api: str) -> Callable[[int], int]:
    path = "/responses" if api == "responses" else "/messages"

    def body(n: int) -> Any:
        model = f"bench-{n}"
        if api == "responses":
            return {"model": model, "input": "Tell me a story.", "stream": True}
        return {"model": model, "messages": MESSAGES, "max_tokens": 1024, "stream": True}

    if kind == "floor":
        import httpx

        client = httpx.Client(timeout=120)

        def floor(n: int) -> int:
            events = 0
            with client.stream("POST", url + path, json=body(n)) as response:
                for line in response.iter_lines():
                    if line.startswith("data: "):
                        json.loads(line[6:])
                        events += 1
            return events

        return floor
    from inference_gateway import InferenceGatewayClient

    sdk = InferenceGatewayClient(url, timeout=120) if kind == "ours" else InferenceGatewayClient(url)

    def typed(n: int) -> int:
        events = 0
        if api == "responses":
            stream = sdk.create_response_stream(f"bench-{n}", "Tell me a story.")
        else:
            stream = sdk.create_message_stream(f"bench-{n}", MESSAGES, 1024)
        for event in stream:
            events += 1 if event.type else 0
        return events

    return typed


def main() -> None:
    url, n, kind, api, reps = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4], int(sys.argv[5])
    consume = make(url, kind, api)
    consume(n)  # warm-up
    times = []
    for _ in range(reps):
        start = time.perf_counter()
        events = consume(n)
        times.append(time.perf_counter() - start)
        if events != n:
            raise SystemExit(f"{kind} {api}: consumed {events} events, expected {n}")
    print(json.dumps({"times": times, "events": n}))


if __name__ == "__main__":
    main()
