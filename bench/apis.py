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

``python -m bench apis`` runs it with the other benchmarks (framings `event` and `16KiB`);
``python -m bench.apis [N] [--rounds R] [--write-size B]`` runs one framing and prints its table.
"""

from __future__ import annotations

import argparse
import sys
from typing import Dict, List, Optional

from ._util import (
    OURS_PYTHON,
    WORKERS,
    Row,
    Section,
    bench_server,
    median,
    ours_env,
    paired_ratio,
    peer_env,
    peer_python,
    ratio_row,
    run_json,
)

APIS = ("responses", "messages")
N_EVENTS = 20_000
FRAMINGS = (("event", 0), ("16KiB", 16384))  # (name, bytes per HTTP chunk; 0 = one per event)

Samples = Dict[str, Dict[str, List[float]]]  # api -> contender -> seconds, round by round


def measure(n_events: int, rounds: int, reps: int, write_size: int, section: Section) -> Samples:
    """Consumption times of every contender, taking turns round by round."""
    official = peer_python("official", section)
    contenders = [("floor", OURS_PYTHON, ours_env()), ("ours", OURS_PYTHON, ours_env())]
    if official is not None:
        contenders.append(("official", official, peer_env()))
    samples: Samples = {api: {c[0]: [] for c in contenders} for api in APIS}
    worker = WORKERS / "stream_apis.py"
    with bench_server(write_size=write_size) as url:
        for _ in range(rounds):
            for api in APIS:
                for kind, python, env in contenders:
                    cmd = [python, worker, url, n_events, kind, api, reps]
                    samples[api][kind] += run_json(cmd, env, timeout=600)["times"]
    return samples


def _rows(section: Section, samples: Samples, framing: str) -> None:
    """Per API: the floor, ours (<= 1.1x the floor) and the official (ours must be faster)."""
    for api, by_kind in samples.items():
        rows = {
            kind: section.add(Row(f"{api} {framing}: {kind}", median(times)))
            for kind, times in by_kind.items()
        }
        ours, floor = rows["ours"], rows["floor"]
        ratio_row(ours, floor, 1.1, "floor")
        paired_ratio(ours, by_kind["ours"], by_kind["floor"])
        official = rows.get("official")
        if official is not None:  # shown as official / ours: above 1.0x, ours is faster
            ratio_row(official, ours, None, "ours")
            paired_ratio(official, by_kind["official"], by_kind["ours"])
            assert official.ratio is not None
            official.check("ours faster (>= 1x ours)", official.ratio >= 1.0)


def run(quick: bool = False) -> Section:
    rounds, reps = (1, 2) if quick else (3, 3)
    section = Section(
        f"apis: consume a {N_EVENTS:,}-event Responses / Messages stream, typed "
        f"(consumption only; median of {rounds} rounds x {reps})"
    )
    for framing, write_size in FRAMINGS:
        _rows(section, measure(N_EVENTS, rounds, reps, write_size, section), framing)
    section.notes.append(
        "event: one HTTP chunk per SSE event (as the Go gateway flushes); 16KiB: bulk reads"
    )
    return section


def main(argv: Optional[List[str]] = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n_events", nargs="?", type=int, default=N_EVENTS)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument(
        "--write-size", type=int, default=0, help="bytes per HTTP chunk; 0 = one per event"
    )
    args = parser.parse_args(argv)
    section = Section(f"apis ({args.n_events} events, write size {args.write_size})")
    _rows(section, measure(args.n_events, args.rounds, 3, args.write_size, section), "")
    from .__main__ import render

    print(render([section]))


if __name__ == "__main__":
    sys.exit(main())
