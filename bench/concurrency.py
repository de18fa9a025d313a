"""Benchmark: one async client serving 200 concurrent streams, ours side by side with the floor
(bare ``httpx.AsyncClient``, ``aiter_lines`` + ``json.loads``) and ``openai.AsyncOpenAI``.

Each contender runs in its own interpreter against one bench server process (events one HTTP
chunk each, as the gateway sends them). A run is ``WAVES`` waves of ``STREAMS`` streams started at
once on one client; per wave: the client process's CPU time, the wall time, and the TCP
connections the server accepted. Contenders take turns round by round; ratios are medians of
per-round ratios. Targets: CPU per event <= 1.1x the floor's; connections opened over the run
<= the concurrency.
"""

from __future__ import annotations

import subprocess
import sys
from typing import Any, Dict, List, Tuple

from ._util import (
    OURS_PYTHON,
    WORKERS,
    Row,
    Section,
    bench_server,
    median,
    ours_env,
    peer_env,
    peer_python,
    run_json,
)

STREAMS = 200
EVENTS = 500
WAVES = 3


def run(quick: bool = False) -> Section:
    rounds = 1 if quick else 3
    section = Section(
        f"concurrency: one async client, {STREAMS} concurrent streams of {EVENTS} events, "
        f"{WAVES} waves (median of {rounds} rounds)"
    )
    contenders: List[Tuple[str, str, Any, Dict[str, str]]] = [
        ("floor", "floor: bare httpx.AsyncClient, aiter_lines + json.loads", OURS_PYTHON, ours_env()),
        ("ours", "ours: AsyncInferenceGatewayClient typed stream", OURS_PYTHON, ours_env()),
    ]
    openai = peer_python("openai", section)
    if openai is not None:
        contenders.append(("openai", "openai.AsyncOpenAI typed stream", openai, peer_env()))
    results: Dict[str, List[Dict[str, Any]]] = {key: [] for key, *_ in contenders}
    with bench_server(write_size=0, preload=[EVENTS]) as url:
        for _ in range(rounds):
            for key, name, python, env in contenders:
                cmd = [python, WORKERS / "concurrency.py", key, url, STREAMS, EVENTS, WAVES]
                try:
                    results[key].append(run_json(cmd, env, timeout=600))
                except (RuntimeError, subprocess.SubprocessError) as exc:
                    section.notes.append(f"{name}: failed: {exc}")
    floor_cpu = [median(r["cpu_s"]) for r in results["floor"]]
    floor_wall = [median(r["wall_s"]) for r in results["floor"]]
    for key, name, *_ in contenders:
        runs = results[key]
        if not runs:
            continue
        cpu = [median(r["cpu_s"]) for r in runs]
        wall = [median(r["wall_s"]) for r in runs]
        opened = max(sum(r["connections"]) for r in runs)
        events = runs[0]["events"]
        row = section.add(
            Row(f"[CPU per event] {name}", median(cpu) / events, detail={"runs": runs})
        )
        wall_row = section.add(Row(f"[wall per wave] {name}", median(wall)))
        conn_row = section.add(Row(f"[connections over {WAVES} waves] {name}", opened, unit=""))
        if key != "floor" and len(cpu) == len(floor_cpu):
            row.ratio = median([a / b for a, b in zip(cpu, floor_cpu)])
            row.ratio_to = "floor"
            wall_row.ratio = median([a / b for a, b in zip(wall, floor_wall)])
            wall_row.ratio_to = "floor"
        if key == "ours":
            if row.ratio is not None:
                row.check("<= 1.1x floor", row.ratio <= 1.1)
            conn_row.check(f"<= {STREAMS}", opened <= STREAMS)
        section.notes.append(
            f"{name}: connections per wave {[r['connections'] for r in runs]}, "
            f"CPU per wave {[round(c, 2) for r in runs for c in r['cpu_s']]} s"
        )
    return section


if __name__ == "__main__":
    from .__main__ import main

    sys.exit(main(["concurrency"]))
