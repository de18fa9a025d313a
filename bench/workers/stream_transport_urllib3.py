"""Transport only through urllib3 (what requests, the official package's default backend, uses):
the stream's raw bytes, no parsing. Runs in the official package's venv; compare with
``stream_transport.py`` to see the HTTP library's share of each figure.
"""

from __future__ import annotations

import json

import urllib3
from _harness import MESSAGES, main, model_for


def make(url: str):  # type: ignore[no-untyped-def]
    pool = urllib3.PoolManager()

    def consume(n_chunks: int):  # type: ignore[no-untyped-def]
        events = size = 0
        previous_ended_in_newline = False
        body = json.dumps({"model": model_for(n_chunks), "messages": MESSAGES, "stream": True})
        response = pool.request(
            "POST",
            f"{url}/chat/completions",
            body=body.encode(),
            headers={"content-type": "application/json"},
            preload_content=False,
        )
        for piece in response.stream(65536):
            events += piece.count(b"\n\n") + (previous_ended_in_newline and piece[:1] == b"\n")
            previous_ended_in_newline = piece[-1:] == b"\n"
            size += len(piece)
        response.release_conn()
        return events - 1, size  # the last event is [DONE]

    return consume


if __name__ == "__main__":
    import sys

    main(make(sys.argv[1]))
