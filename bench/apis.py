"""Stream speed of the Responses and Messages APIs: a 20,000-event stream, typed, in one run.

Per API, three contenders read the same bytes from one bench server process (``bench/_server.py``,
one HTTP chunk per event, as the Go gateway flushes; ``--write-size 16384``: bulk reads, which
leave mostly the parsing): the floor (httpx ``iter_lines`` +
``json.loads`` of each ``data:`` line, no types), ours (``create_response_stream`` /
``create_message_stream``: typed ``ResponseStreamEvent`` / ``MessagesStreamEvent``, terminal event
checked) and the official 0.22.0 (its typed methods of the same names, in its peer venv, default
backend). Each runs in its own interpreter (``bench/workers/stream_apis.py``); the clock covers
consumption only; contenders take turns round by round so that load from other processes hits
all alike. Targets: ours within 1.1x the floor, faster than the official.

``python -m bench.apis [N] [--rounds R]`` prints a table and the figures as JSON.
"""

from __future__ import annotations

import argparse
import json
from typing import Dict, List, Optional

from ._util import (
    OURS_PYTHON,
    WORKERS,
    Section,
    bench_server,
    median,
    ours_env,
    peer_env,
    peer_python,
    run_json,
)

APIS = ("responses", "messages")


def run(
    n_events: int = 20_000, rounds: int = 3, reps: int = 3, write_size: int = 0
) -> Dict[str, Dict[str, float]]:
    """{api: {contender: median seconds, "ours/floor": ratio, "ours/official": ratio}}."""
    section = Section("Responses / Messages streams")
    official = peer_python("official", section)
    contenders = [("floor", OURS_PYTHON, ours_env()), ("ours", OURS_PYTHON, ours_env())]
    if official is not None:
        contenders.append(("official", official, peer_env()))
    samples: Dict[str, Dict[str, List[float]]] = {api: {c[0]: [] for c in contenders} for api in APIS}
    worker = WORKERS / "stream_apis.py"
    with bench_server(write_size=write_size) as url:
        for _ in range(rounds):
            for api in APIS:
                for kind, python, env in contenders:
                    cmd = [python, worker, url, n_events, kind, api, reps]
                    samples[api][kind] += run_json(cmd, env, timeout=600)["times"]
    out: Dict[str, Dict[str, float]] = {}
    for api, by_kind in samples.items():
        figures = {kind: median(times) for kind, times in by_kind.items()}
        figures["ours/floor"] = figures["ours"] / figures["floor"]
        if "official" in figures:
            figures["ours/official"] = figures["ours"] / figures["official"]
        out[api] = figures
    for note in section.notes:
        print("note:", note)
    return out


def main(argv: Optional[List[str]] = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n_events", nargs="?", type=int, default=20_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument(
        "--write-size", type=int, default=0, help="bytes per HTTP chunk; 0 = one per event"
    )
    args = parser.parse_args(argv)
    result = run(args.n_events, args.rounds, write_size=args.write_size)
    for api, figures in result.items():
        row = ", ".join(
            f"{k} {v * 1000:.0f} ms" if "/" not in k else f"{k} {v:.2f}x" for k, v in figures.items()
        )
        print(f"{api} ({args.n_events} events): {row}")
    print(json.dumps(result))


if __name__ == "__main__":
    main()
