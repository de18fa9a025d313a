"""Stream throughput, in process: ours (typed ``ChatCompletionStream``) against the floor.

The floor is the least any Python client can do: ``httpx`` ``iter_lines`` + ``json.loads`` of
each ``data:`` line, no types, no checks. Ours yields validated ``CreateChatCompletionStreamResponse``
models and accumulates the final completion while doing so. The stream comes from
``bench/_server.py`` in its own process on 127.0.0.1; the clock covers consumption only (imports,
client and connection are set up and warmed before it) and the two contenders alternate run by
run so that load from other processes hits both alike. Peak memory is measured in fresh
processes (peak RSS, ``VmHWM``, and, separately, the ``tracemalloc`` peak of Python allocations) after
20k and 200k chunks: flat means nothing is buffered per chunk.

``python -m bench.stream [N]`` prints the result of :func:`run` as JSON. Reusable pieces:
:func:`make_consumers`, :func:`time_alternating`, :func:`peak_memory`.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path
from typing import Any, Callable, Dict, List, Optional, Sequence, Tuple

from ._util import GENERATED, ROOT, bench_server, median

WORKERS = Path(__file__).resolve().parent / "workers"
for _path in (GENERATED, WORKERS):  # our SDK, and the workers' modules (they import `_harness`)
    if str(_path) not in sys.path:
        sys.path.insert(0, str(_path))

from _harness import MESSAGES, Consume, peak_rss_mib  # noqa: E402
from _harness import model_for as _model  # noqa: E402
from stream_floor import make as consume_floor  # noqa: E402

FRAMINGS = {"event": 0, "16KiB": 16384}  # HTTP chunk per SSE event (a Go gateway) / bulk


def consume_ours(url: str) -> Consume:
    """``client.stream_chat_completion``: typed chunks, accumulated final completion."""
    from inference_gateway import InferenceGatewayClient, Message

    client = InferenceGatewayClient(url, timeout=120)
    messages = [Message(**m) for m in MESSAGES]

    def consume(n_chunks: int) -> Tuple[int, int]:
        chunks = chars = 0
        with client.stream_chat_completion(model=_model(n_chunks), messages=messages) as stream:
            for chunk in stream:
                chunks += 1
                if chunk.choices and chunk.choices[0].delta.content:
                    chars += len(chunk.choices[0].delta.content)
            stream.get_final_completion()
        return chunks, chars

    return consume


def consume_ours_raw(url: str) -> Consume:
    """The guide's loop on ``create_chat_completion_stream``: raw events + ``json.loads``."""
    from inference_gateway import InferenceGatewayClient, Message

    client = InferenceGatewayClient(url, timeout=120)
    messages = [Message(**m) for m in MESSAGES]

    def consume(n_chunks: int) -> Tuple[int, int]:
        chunks = chars = 0
        for event in client.create_chat_completion_stream(
            model=_model(n_chunks), messages=messages
        ):
            chunk = json.loads(event.data)
            chunks += 1
            choices = chunk["choices"]
            if choices and choices[0]["delta"].get("content"):
                chars += len(choices[0]["delta"]["content"])
        return chunks, chars

    return consume


CONTENDERS: Dict[str, Callable[[str], Consume]] = {
    "floor": consume_floor,
    "ours": consume_ours,
    "ours_raw_events": consume_ours_raw,
}


def make_consumers(url: str, names: Sequence[str] = ("floor", "ours")) -> Dict[str, Consume]:
    return {name: CONTENDERS[name](url) for name in names}


def time_alternating(
    consumers: Dict[str, Consume],
    n_chunks: int,
    reps: int,
    clock: Callable[[], float] = time.perf_counter,
) -> Dict[str, List[float]]:
    """Seconds per consumption, contenders interleaved run by run, after one warm-up each.
    ``clock=time.process_time`` gives this process's CPU time (the server runs elsewhere), which
    other load on a shared machine disturbs less than wall time."""
    expected = n_chunks + 1  # content chunks plus the usage chunk
    for name, consume in consumers.items():
        chunks, chars = consume(n_chunks)
        if chunks != expected or not chars:
            raise RuntimeError(
                f"{name}: consumed {chunks} chunks ({chars} chars), expected {expected}"
            )
    times: Dict[str, List[float]] = {name: [] for name in consumers}
    for _ in range(reps):
        for name, consume in consumers.items():
            start = clock()
            consume(n_chunks)
            times[name].append(clock() - start)
    return times


def _env() -> Dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(GENERATED), str(ROOT), env.get("PYTHONPATH", "")])
    return env


def peak_memory(name: str, url: str, n_chunks: int, traced: bool = False) -> float:
    """Peak memory (MiB) of a fresh process consuming one stream: peak RSS (``VmHWM``), or with
    ``traced`` the ``tracemalloc`` peak of the consumption alone."""
    cmd = [sys.executable, "-m", "bench.stream", "--memory", name, url, str(n_chunks)]
    if traced:
        cmd.append("--traced")
    out = subprocess.run(cmd, capture_output=True, text=True, env=_env(), cwd=ROOT, timeout=600)
    if out.returncode != 0:
        raise RuntimeError(f"memory run {name} {n_chunks}: {out.stderr[-800:]}")
    return float(json.loads(out.stdout.strip().splitlines()[-1])["peak_mib"])


def whole_process(name: str, url: str, n_chunks: int, reps: int = 3) -> float:
    """Median wall time of a fresh process: start, import, client, one stream, exit."""
    cmd = [sys.executable, "-m", "bench.stream", "--memory", name, url, str(n_chunks)]
    times = []
    for _ in range(reps):
        start = time.perf_counter()
        subprocess.run(cmd, capture_output=True, env=_env(), cwd=ROOT, timeout=600, check=True)
        times.append(time.perf_counter() - start)
    return median(times)


def run(n_chunks: int = 20_000, reps: int = 7, memory: bool = True) -> Dict[str, Any]:
    """Medians for ours and the floor in both framings, ratios, and peak memory."""
    result: Dict[str, Any] = {"n_chunks": n_chunks, "reps": reps}
    for framing, write_size in FRAMINGS.items():
        with bench_server(write_size=write_size, preload=[n_chunks]) as url:
            consumers = make_consumers(url, ("floor", "ours", "ours_raw_events"))
            wall = time_alternating(consumers, n_chunks, reps)
            cpu = time_alternating(consumers, n_chunks, reps, clock=time.process_time)
            medians = {name: median(values) for name, values in wall.items()}
            cpu_medians = {name: median(values) for name, values in cpu.items()}
            result[framing] = {
                "median_s": medians,
                "ours_over_floor": medians["ours"] / medians["floor"],
                "raw_events_over_floor": medians["ours_raw_events"] / medians["floor"],
                "cpu_median_s": cpu_medians,
                "cpu_ours_over_floor": cpu_medians["ours"] / cpu_medians["floor"],
                "samples_s": wall,
            }
    if memory:
        big = n_chunks * 10
        with bench_server(write_size=0, preload=[n_chunks, big]) as url:
            mem: Dict[str, Any] = {}
            for name in ("floor", "ours", "ours_raw_events"):
                mem[name] = {
                    "peak_rss_mib": {n: peak_memory(name, url, n) for n in (n_chunks, big)},
                    "tracemalloc_peak_mib": {
                        n: peak_memory(name, url, n, traced=True) for n in (n_chunks, big)
                    },
                    "whole_process_s": whole_process(name, url, n_chunks),
                }
            result["memory"] = mem
    return result


def _memory_main(name: str, url: str, n_chunks: int, traced: bool) -> None:
    consume = CONTENDERS[name](url)
    if traced:
        tracemalloc.start()
        consume(n_chunks)
        peak = tracemalloc.get_traced_memory()[1] / 2**20
    else:
        consume(n_chunks)
        peak = peak_rss_mib()
    print(json.dumps({"peak_mib": peak}))


def main(argv: Optional[List[str]] = None) -> None:
    args = list(sys.argv[1:] if argv is None else argv)
    if args and args[0] == "--memory":
        _memory_main(args[1], args[2], int(args[3]), "--traced" in args)
        return
    n_chunks = int(args[0]) if args else 20_000
    print(json.dumps(run(n_chunks), indent=2))


if __name__ == "__main__":
    main()
