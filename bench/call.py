"""Benchmark 2: per-call cost of ``create_chat_completion`` vs a bare httpx post + ``json.loads``.

The worker (bench/workers/call.py) runs in a fresh interpreter of the project's venv against the
bench server in another process (keep-alive, canned completion); contenders are interleaved round
by round and the figure is the median over rounds of the per-call time. A cProfile of our sync
path follows, to show where the overhead goes.
"""

from __future__ import annotations

import sys
from typing import Dict, List

from ._util import (
    OURS_PYTHON,
    WORKERS,
    Row,
    Section,
    bench_server,
    median,
    ours_env,
    paired_ratio,
    ratio_row,
    run_json,
)

LIMIT = 1.2
NAMES = {
    "bare_sync": "bare httpx.Client.post + json.loads",
    "ours_sync": "ours create_chat_completion (sync)",
    "bare_async": "bare httpx.AsyncClient.post + json.loads",
    "ours_async": "ours create_chat_completion (async)",
}


def run(quick: bool = False) -> Section:
    rounds, calls = (9, 100) if quick else (21, 200)
    section = Section(
        f"call: per-call time on loopback (median of {rounds} rounds x {calls} calls; "
        "ratio: median of per-round ratios)"
    )
    with bench_server() as url:
        out = run_json(
            [OURS_PYTHON, WORKERS / "call.py", url, "time", rounds, calls], ours_env(), timeout=600
        )
        per_call: Dict[str, List[float]] = out["per_call_s"]
        rows = {
            key: section.add(Row(NAMES[key], median(v), detail={"samples_s": v}))
            for key, v in per_call.items()
        }
        for error in out["errors"].values():
            section.notes.append(f"ours could not run: {error}")
        for flavour in ("sync", "async"):
            ours, bare = rows.get(f"ours_{flavour}"), rows.get(f"bare_{flavour}")
            if ours is not None and bare is not None:
                ratio_row(ours, bare, LIMIT, "bare httpx")
                paired_ratio(ours, per_call[f"ours_{flavour}"], per_call[f"bare_{flavour}"])
                ours.detail["overhead_s"] = ours.value - bare.value
                section.notes.append(
                    f"{flavour}: ours adds {(ours.value - bare.value) * 1e6:.0f} µs per call over bare httpx"
                )
        if "ours_sync" in rows:
            profile = run_json(
                [OURS_PYTHON, WORKERS / "call.py", url, "profile", 2000], ours_env(), timeout=300
            )
            section.notes.append(
                "cProfile of ours sync (inflated by the profiler), the SDK's own functions:\n      "
                + "\n      ".join(profile["ours_us_per_call"])
            )
            section.notes.append(
                "cProfile of ours sync, whole call path by own time (2000 calls):\n      "
                + "\n      ".join(profile["tottime_top"])
            )
    return section


if __name__ == "__main__":
    from .__main__ import main

    sys.exit(main(["call"]))
