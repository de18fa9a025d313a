"""Shared main() of the stream workers (stdlib only: it runs in every peer's venv).

``python <worker>.py URL N_CHUNKS time REPS`` consumes the stream REPS times after one warm-up
and prints ``{"times": [...], "chunks": C, "maxrss_mib": M}``; ``... once`` consumes it once (the
whole-process and peak-memory runs); ``... profile`` prints the top of a cProfile of one
consumption (by own time). The clock covers consumption only: imports and the client are set up
before it starts.
"""

from __future__ import annotations

import cProfile
import io
import json
import pstats
import resource
import sys
import time
from typing import Callable, Tuple

Consume = Callable[[int], Tuple[int, int]]  # n_chunks -> (chunks seen, characters of content)
MESSAGES = [{"role": "user", "content": "Tell me a story."}]


def model_for(n_chunks: int) -> str:
    """The bench server reads the stream length from the model name."""
    return f"bench-{n_chunks}"


def main(consume: Consume) -> None:
    n_chunks, mode = int(sys.argv[2]), sys.argv[3]  # argv[1], the URL, is the worker's
    expected = n_chunks + 1  # the content chunks and the usage chunk; [DONE] is not a chunk
    times = []
    if mode == "time":
        consume(n_chunks)  # warm-up: connection, lazy imports, caches
        for _ in range(int(sys.argv[4])):
            start = time.perf_counter()
            chunks, chars = consume(n_chunks)
            times.append(time.perf_counter() - start)
    elif mode == "profile":
        consume(n_chunks)
        profiler = cProfile.Profile()
        chunks, chars = profiler.runcall(consume, n_chunks)
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(14)
        lines = [line for line in out.getvalue().splitlines() if line.strip()]
        top = lines[next(i for i, line in enumerate(lines) if "ncalls" in line) :]
        print(json.dumps({"tottime_top": top}))
        return
    else:
        chunks, chars = consume(n_chunks)
    if chunks != expected or chars == 0:
        raise SystemExit(
            f"consumed {chunks} chunks ({chars} chars of content), expected {expected}"
        )
    print(json.dumps({"times": times, "chunks": chunks, "maxrss_mib": peak_rss_mib()}))


def peak_rss_mib() -> float:
    """This process's peak RSS from ``VmHWM``: Linux carries ``ru_maxrss`` over from the parent
    across fork+exec, which would hide growth below the runner's own size."""
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:  # not Linux: the best figure there is
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
