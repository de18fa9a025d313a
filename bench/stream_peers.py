"""Benchmark 3: consuming a 20,000-chunk chat stream, ours (typed) side by side with the peers.

Every contender runs in its own interpreter (ours and the floor in the project's venv, the official
0.22.0 and openai in their peer venvs) against one bench server process, so all read the same
bytes. The clock covers consumption only (imports and client set-up come before it); the
whole-process figure (start, import, one stream, exit) and peak RSS are measured separately.

Two wire framings: ``event`` sends every SSE event as its own HTTP chunk, as the gateway (Go,
flushing after each event) does; ``64KiB`` sends the same bytes in 64 KiB HTTP chunks, which
removes most per-chunk transport cost and shows the parsing cost alone.
``bench/stream.py`` (the streaming module's own in-process ours-vs-floor run) is added when present.
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
    peer_env,
    peer_python,
    ratio_row,
    run_json,
    wall_times,
)

N_CHUNKS = 20_000
BIG_CHUNKS = 200_000


@dataclass
class Contender:
    name: str
    python: Path
    env: Dict[str, str]
    worker: str
    reps: int = 5


def contenders(quick: bool) -> List[Contender]:
    reps = 3 if quick else 5
    official, openai = peer_python("official"), peer_python("openai")
    return [
        Contender(
            "floor: httpx iter_lines + json.loads", OURS_PYTHON, ours_env(), "stream_floor.py", reps
        ),
        Contender(
            "ours: typed ChatCompletionStream", OURS_PYTHON, ours_env(), "stream_ours.py", reps
        ),
        Contender(
            "official 0.22.0 untyped (requests, default)",
            official,
            peer_env(),
            "stream_official.py",
            reps,
        ),
        Contender(
            "official 0.22.0 untyped (use_httpx=True)",
            official,
            peer_env({"IGW_OFFICIAL_HTTPX": "1"}),
            "stream_official.py",
            reps,
        ),
        Contender("openai typed stream", openai, peer_env(), "stream_openai.py", 2 if quick else 3),
    ]


def _consume(c: Contender, url: str, n: int, mode: str = "time") -> Dict[str, Any]:
    args = [c.python, WORKERS / c.worker, url, n, mode] + ([c.reps] if mode == "time" else [])
    return dict(run_json(args, c.env, timeout=300))


def _timed_rows(section: Section, all_: List[Contender], url: str, label: str) -> Dict[str, Row]:
    rows: Dict[str, Row] = {}
    for c in all_:
        try:
            out = _consume(c, url, N_CHUNKS)
        except (RuntimeError, subprocess.SubprocessError) as exc:
            section.notes.append(f"[{label}] {c.name}: failed: {exc}")
            continue
        rows[c.name] = section.add(
            Row(f"[{label}] {c.name}", median(out["times"]), detail={"samples_s": out["times"]})
        )
    floor = next((r for name, r in rows.items() if name.startswith("floor")), None)
    for name, row in rows.items():
        if row is not floor:
            ratio_row(row, floor, 1.0 if name.startswith("ours") else None, "floor")
    return rows


def _targets(section: Section, rows: Dict[str, Row]) -> None:
    """Ours against the official untyped loop (<= 1.0x) and openai (>= 10x faster)."""
    ours = next((r for n, r in rows.items() if n.startswith("ours")), None)
    if ours is None:
        return
    official = rows.get("official 0.22.0 untyped (requests, default)")
    openai = rows.get("openai typed stream")
    met = ours.met is not False
    if official is not None:
        ours.detail["vs_official"] = ours.value / official.value
        met = met and ours.value <= official.value
        ours.target += "; <= 1x official"
    if openai is not None:
        ours.detail["openai_over_ours"] = openai.value / ours.value
        met = met and openai.value / ours.value >= 10
        ours.target += "; openai >= 10x ours"
    ours.met = met
    section.notes.append(
        f"ours vs official (requests): {ours.detail.get('vs_official', float('nan')):.2f}x; "
        f"openai / ours: {ours.detail.get('openai_over_ours', float('nan')):.1f}x"
    )


def _whole_process(section: Section, all_: List[Contender], url: str, quick: bool) -> None:
    """Start + import + client + one 20k stream + exit, median of 3 fresh processes."""
    n = 2 if quick else 3
    floor_row: Optional[Row] = None
    for c in all_:
        cmd = [c.python, WORKERS / c.worker, url, N_CHUNKS, "once"]
        try:
            times = wall_times(cmd, n, c.env, timeout=300)
        except (RuntimeError, subprocess.SubprocessError) as exc:
            section.notes.append(f"[whole process] {c.name}: failed: {exc}")
            continue
        row = section.add(
            Row(f"[whole process] {c.name}", median(times), detail={"samples_s": times})
        )
        if c.name.startswith("floor"):
            floor_row = row
        else:
            ratio_row(row, floor_row, None, "floor")


def _memory(section: Section, all_: List[Contender], url: str) -> None:
    """Peak RSS after consuming 20k and 200k chunks: flat means the stream is not buffered."""
    for c in all_:
        if not c.name.startswith(("ours", "floor")):
            continue
        try:
            small = _consume(c, url, N_CHUNKS, "once")["maxrss_mib"]
            big = _consume(c, url, BIG_CHUNKS, "once")["maxrss_mib"]
        except (RuntimeError, subprocess.SubprocessError) as exc:
            section.notes.append(f"[peak RSS] {c.name}: failed: {exc}")
            continue
        row = section.add(
            Row(f"[peak RSS 200k] {c.name}", big, unit="MiB", detail={"peak_rss_20k_mib": small})
        )
        row.ratio, row.ratio_to = big / small, "its own 20k peak"
        if c.name.startswith("ours"):
            row.target, row.met = "<= 1.1x its 20k peak (flat)", big / small <= 1.1
        section.notes.append(f"peak RSS {c.name}: 20k {small:.1f} MiB, 200k {big:.1f} MiB")


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
    section.notes.append(f"bench/stream.py run({N_CHUNKS}) (in process): {result}")


def run(quick: bool = False) -> Section:
    section = Section(
        f"stream: consume a {N_CHUNKS:,}-chunk chat stream (consumption only, medians)"
    )
    all_ = contenders(quick)
    with bench_server(write_size=0, preload=[N_CHUNKS]) as url:
        rows = _timed_rows(section, all_, url, "event")
        _targets(section, rows)
        _whole_process(section, all_, url, quick)
        _memory(section, all_, url)
    with bench_server(write_size=65536, preload=[N_CHUNKS]) as url:
        bulk = [c for c in all_ if not c.name.startswith("openai")]
        _timed_rows(section, bulk, url, "64KiB")
    _module_run(section)
    return section


if __name__ == "__main__":
    from .__main__ import main

    sys.exit(main(["stream"]))
