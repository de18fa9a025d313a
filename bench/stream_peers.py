"""Benchmark 3: consuming a 20,000-chunk chat stream, ours (typed) side by side with the peers.

Every contender runs in its own interpreter (ours and the floor in the project's venv, the official
0.22.0 and openai in their peer venvs) against one bench server process, so all read the same
bytes. The clock covers consumption only (imports and client set-up come before it); contenders
take turns round by round so that load from other processes hits all alike. The whole-process
figure (start, import, one stream, exit) and peak RSS (20k vs 200k chunks) are measured apart.

Two wire framings: ``event`` sends every SSE event as its own HTTP chunk, as the gateway (Go,
flushing after each event) does; ``64KiB`` sends the same bytes in 64 KiB HTTP chunks, which
removes most per-chunk HTTP cost and leaves the parsing. ``transport`` (httpx bytes, no parsing)
is the lower bound of any httpx-based client. ``bench/stream.py`` (the streaming module's own
in-process ours-vs-floor run) is added when present.
"""

from __future__ import annotations

import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Dict, List, Optional

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
    wall_times,
)

N_CHUNKS = 20_000
BIG_CHUNKS = 200_000
OFFICIAL = "official"  # the key of the official package's default (requests) backend


@dataclass
class Contender:
    key: str
    name: str
    python: Path
    env: Dict[str, str]
    worker: str
    reps: int  # timed consumptions per worker run (after one warm-up)


def contenders(quick: bool) -> List[Contender]:
    reps = 2 if quick else 3
    official, openai = peer_python("official"), peer_python("openai")
    ours = (OURS_PYTHON, ours_env())
    return [
        Contender(
            "transport", "httpx transport only, no parsing", *ours, "stream_transport.py", reps
        ),
        Contender("floor", "floor: httpx iter_lines + json.loads", *ours, "stream_floor.py", reps),
        Contender("ours", "ours: typed ChatCompletionStream", *ours, "stream_ours.py", reps),
        Contender(
            OFFICIAL,
            "official 0.22.0 untyped (requests, its default)",
            official,
            peer_env(),
            "stream_official.py",
            reps,
        ),
        Contender(
            "official-httpx",
            "official 0.22.0 untyped (use_httpx=True)",
            official,
            peer_env({"IGW_OFFICIAL_HTTPX": "1"}),
            "stream_official.py",
            reps,
        ),
        Contender("openai", "openai typed stream", openai, peer_env(), "stream_openai.py", 1),
    ]


def _worker(c: Contender, url: str, n: int, mode: str) -> Dict[str, Any]:
    args = [c.python, WORKERS / c.worker, url, n, mode] + ([c.reps] if mode == "time" else [])
    return dict(run_json(args, c.env, timeout=300))


def _timed_rows(
    section: Section, all_: List[Contender], url: str, label: str, rounds: int
) -> Dict[str, Row]:
    """Every contender's consumption time; ratios to the floor are medians of per-round ratios."""
    per_round: Dict[str, List[List[float]]] = {c.key: [] for c in all_}
    for _ in range(rounds):
        for c in all_:
            if c.key not in per_round:
                continue  # failed in an earlier round
            try:
                per_round[c.key].append(_worker(c, url, N_CHUNKS, "time")["times"])
            except (RuntimeError, subprocess.SubprocessError) as exc:
                section.notes.append(f"[{label}] {c.name}: failed: {exc}")
                del per_round[c.key]
    rows = {}
    for c in all_:
        if c.key in per_round:
            samples = [t for times in per_round[c.key] for t in times]
            row = Row(f"[{label}] {c.name}", median(samples), detail={"samples_s": samples})
            row.detail["round_medians_s"] = [median(times) for times in per_round[c.key]]
            rows[c.key] = section.add(row)
    floor = rows.get("floor")
    for key, row in rows.items():
        if key != "floor" and floor is not None:
            ratio_row(row, floor, 1.0 if key == "ours" else None, "floor")
            paired_ratio(row, row.detail["round_medians_s"], floor.detail["round_medians_s"])
    return rows


def _targets(section: Section, rows: Dict[str, Row], label: str, openai: Optional[Row]) -> None:
    """Ours also against the official untyped loop (<= 1.0x) and openai (>= 10x faster)."""
    ours, official = rows.get("ours"), rows.get(OFFICIAL)
    if ours is None:
        return
    met = ours.met is not False
    facts = []
    if official is not None:
        pairs = zip(ours.detail["round_medians_s"], official.detail["round_medians_s"])
        vs_official = median([a / b for a, b in pairs])
        ours.detail["vs_official"] = vs_official
        met = met and vs_official <= 1.0
        ours.target += "; <= 1x official"
        facts.append(f"ours / official (requests) {vs_official:.2f}x")
    if openai is not None:
        ours.detail["openai_over_ours"] = openai.value / ours.value
        met = met and openai.value / ours.value >= 10
        ours.target += "; openai >= 10x ours"
        facts.append(f"openai / ours {openai.value / ours.value:.1f}x")
    ours.met = met
    if facts:
        section.notes.append(f"[{label}] " + ", ".join(facts))


def _whole_process(section: Section, all_: List[Contender], url: str, n: int) -> None:
    """Start + import + client + one 20k stream + exit, median of ``n`` fresh processes."""
    floor_row: Optional[Row] = None
    for c in all_:
        if c.key == "transport":
            continue
        cmd = [c.python, WORKERS / c.worker, url, N_CHUNKS, "once"]
        try:
            times = wall_times(cmd, n, c.env, timeout=300)
        except (RuntimeError, subprocess.SubprocessError) as exc:
            section.notes.append(f"[whole process] {c.name}: failed: {exc}")
            continue
        row = section.add(
            Row(f"[whole process] {c.name}", median(times), detail={"samples_s": times})
        )
        if c.key == "floor":
            floor_row = row
        else:
            ratio_row(row, floor_row, None, "floor")


def _memory(section: Section, all_: List[Contender], url: str) -> None:
    """Peak RSS after consuming 20k and 200k chunks: flat means nothing grows with the stream."""
    for c in all_:
        if c.key not in ("ours", "floor"):
            continue
        try:
            small = _worker(c, url, N_CHUNKS, "once")["maxrss_mib"]
            big = _worker(c, url, BIG_CHUNKS, "once")["maxrss_mib"]
        except (RuntimeError, subprocess.SubprocessError) as exc:
            section.notes.append(f"[peak RSS] {c.name}: failed: {exc}")
            continue
        row = section.add(
            Row(
                f"[peak RSS, 200k chunks] {c.name}",
                big,
                unit="MiB",
                detail={"peak_rss_20k_mib": small},
            )
        )
        row.ratio, row.ratio_to = big / small, "its 20k peak"
        if c.key == "ours":
            row.target, row.met = "<= 1.1x its 20k peak (flat)", big / small <= 1.1


def _profile(section: Section, ours: Contender, url: str, label: str) -> None:
    try:
        top = _worker(ours, url, N_CHUNKS, "profile")["tottime_top"]
    except (RuntimeError, subprocess.SubprocessError) as exc:
        section.notes.append(f"[{label}] profile of ours failed: {exc}")
        return
    section.notes.append(
        f"[{label}] cProfile of ours, one 20k stream, by own time:\n      " + "\n      ".join(top)
    )


def _module_run(section: Section) -> None:
    """bench/stream.py, the streaming module's in-process ours-vs-floor run, when present."""
    try:
        from . import stream  # written by the streaming module's owner
    except ImportError as exc:
        section.notes.append(f"bench/stream.py not run: {exc}")
        return
    try:
        result = stream.run(N_CHUNKS)
    except Exception as exc:  # its failure must not hide the side-by-side figures above
        section.notes.append(f"bench/stream.py run({N_CHUNKS}) failed: {type(exc).__name__}: {exc}")
        return
    section.notes.append(f"bench/stream.py run({N_CHUNKS}), in process: {result}")


def run(quick: bool = False) -> Section:
    rounds = 2 if quick else 3
    section = Section(
        f"stream: consume a {N_CHUNKS:,}-chunk chat stream (consumption only; median of {rounds} rounds)"
    )
    all_ = contenders(quick)
    ours = next(c for c in all_ if c.key == "ours")
    with bench_server(write_size=0, preload=[N_CHUNKS]) as url:
        rows = _timed_rows(section, all_, url, "event", rounds)
        _targets(section, rows, "event", rows.get("openai"))
        _whole_process(section, all_, url, 2 if quick else 3)
        _memory(section, all_, url)
        _profile(section, ours, url, "event")
    with bench_server(write_size=65536, preload=[N_CHUNKS]) as url:
        bulk = _timed_rows(section, all_, url, "64KiB", rounds)
        _targets(section, bulk, "64KiB", bulk.get("openai"))
        _profile(section, ours, url, "64KiB")
    _module_run(section)
    return section


if __name__ == "__main__":
    from .__main__ import main

    sys.exit(main(["stream"]))
