"""The floor: httpx ``iter_lines`` + ``json.loads`` of each ``data:`` line, no types, no checks."""

from __future__ import annotations

import json

import httpx
from _harness import MESSAGES, main, model_for


def make(url: str):  # type: ignore[no-untyped-def]
    client = httpx.Client(timeout=60)

    def consume(n_chunks: int):  # type: ignore[no-untyped-def]
        chunks = chars = 0
        body = {"model": model_for(n_chunks), "messages": MESSAGES, "stream": True}
        with client.stream("POST", f"{url}/chat/completions", json=body) as response:
            for line in response.iter_lines():
                if not line.startswith("data: "):
                    continue
                data = line[6:]
                if data == "[DONE]":
                    break
                chunk = json.loads(data)
                chunks += 1
                choices = chunk["choices"]
                if choices and choices[0]["delta"].get("content"):
                    chars += len(choices[0]["delta"]["content"])
        return chunks, chars

    return consume


if __name__ == "__main__":
    import sys

    main(make(sys.argv[1]))
