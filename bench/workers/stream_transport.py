"""Transport only: the raw bytes of the stream through httpx, no SSE or JSON parsing at all.

Not a contender: the lower bound of any httpx-based client, showing how much of each figure is
the HTTP layer (per HTTP chunk) rather than parsing. Events are counted by their blank lines.
"""

from __future__ import annotations

import httpx
from _harness import MESSAGES, main, model_for


def make(url: str):  # type: ignore[no-untyped-def]
    client = httpx.Client(timeout=60)

    def consume(n_chunks: int):  # type: ignore[no-untyped-def]
        events = size = 0
        previous_ended_in_newline = False
        body = {"model": model_for(n_chunks), "messages": MESSAGES, "stream": True}
        with client.stream("POST", f"{url}/chat/completions", json=body) as response:
            for piece in response.iter_raw():
                events += piece.count(b"\n\n") + (previous_ended_in_newline and piece[:1] == b"\n")
                previous_ended_in_newline = piece[-1:] == b"\n"
                size += len(piece)
        return events - 1, size  # the last event is [DONE]

    return consume


if __name__ == "__main__":
    import sys

    main(make(sys.argv[1]))
