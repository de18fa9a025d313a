"""Benchmark 3: consuming a 20,000-chunk chat stream, ours (typed) side by side with the peers.

Every contender runs in its own interpreter (ours and the floor in the project's venv, the official
0.22.0 and openai in their peer venvs) against one bench server process, so all read the same
bytes. The clock covers consumption only (imports and client set-up come before it); contenders
take turns round by round so that load from other processes hits all alike. The whole-process
figure (start, import, one stream, exit) is measured apart; peak memory (20k vs 200k chunks) comes
from ``bench/stream.py``.

Two wire framings: ``event`` sends every SSE event as its own HTTP chunk, as the gateway (Go,
flushing after each event) does; ``16KiB`` sends the same bytes in 16 KiB HTTP chunks, which
removes most per-chunk HTTP cost and leaves the parsing. The ``transport only`` rows (raw bytes
through httpx, and through urllib3, which requests uses) are the lower bounds of clients built on
each HTTP library. ``bench/stream.py`` (the streaming module's own
in-process ours-vs-floor run, alternating run by run, and its memory figures) is added.
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


def contenders(quick: bool, section: Section) -> List[Contender]:
    reps = 2 if quick else 3
    ours = (OURS_PYTHON, ours_env())
    found = [
        Contender(
            "transport", "httpx transport only, no parsing", *ours, "stream_transport.py", reps
        ),
        Contender("floor", "floor: httpx iter_lines + json.loads", *ours, "stream_floor.py", reps),
        Contender("ours", "ours: typed ChatCompletionStream", *ours, "stream_ours.py", reps),
    ]
    official = peer_python("official", section)
    if official is not None:
        found.append(
            Contender(
                "transport-urllib3",
                "urllib3 transport only, no parsing (official's venv)",
                official,
                peer_env(),
                "stream_transport_urllib3.py",
                reps,
            )
        )
        found.append(
            Contender(
                OFFICIAL,
                "official 0.22.0 untyped (requests, its default)",
                official,
                peer_env(),
                "stream_official.py",
                reps,
            )
        )
        httpx_env = peer_env({"IGW_OFFICIAL_HTTPX": "1"})
        found.append(
            Contender(
                "official-httpx",
                "official 0.22.0 untyped (use_httpx=True)",
                official,
                httpx_env,
                "stream_official.py",
                reps,
            )
        )
    openai = peer_python("openai", section)
    if openai is not None:
        found.append(
            Contender("openai", "openai typed stream", openai, peer_env(), "stream_openai.py", 1)
        )
    return found


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
    facts = []
    if official is not None:
        pairs = zip(ours.detail["round_medians_s"], official.detail["round_medians_s"])
        vs_official = median([a / b for a, b in pairs])
        ours.detail["vs_official"] = vs_official
        ours.check(f"<= 1x official ({vs_official:.2f}x)", vs_official <= 1.0)
        facts.append(f"ours / official (requests) {vs_official:.2f}x")
    if openai is not None:
        speedup = openai.value / ours.value
        ours.detail["openai_over_ours"] = speedup
        ours.check(f"openai >= 10x ours ({speedup:.1f}x)", speedup >= 10)
        facts.append(f"openai / ours {speedup:.1f}x")
    if facts:
        section.notes.append(f"[{label}] " + ", ".join(facts))


def _whole_process(section: Section, all_: List[Contender], url: str, n: int) -> None:
    """Start + import + client + one 20k stream + exit, median of ``n`` fresh processes."""
    floor_row: Optional[Row] = None
    for c in all_:
        if c.key.startswith("transport"):
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


def _profile(section: Section, ours: Contender, url: str, label: str) -> None:
    try:
        top = _worker(ours, url, N_CHUNKS, "profile")["tottime_top"]
    except (RuntimeError, subprocess.SubprocessError) as exc:
        section.notes.append(f"[{label}] profile of ours failed: {exc}")
        return
    section.notes.append(
        f"[{label}] cProfile of ours, one 20k stream, by own time:\n      " + "\n      ".join(top)
    )


def _module_rows(section: Section, quick: bool) -> None:
    """bench/stream.py, the streaming module's own run: ours vs floor in one process, alternating
    run by run (wall and CPU clocks), and peak memory (``VmHWM``, ``tracemalloc``) at 20k/200k."""
    try:
        from . import stream  # written by the streaming module's owner
    except ImportError as exc:
        section.notes.append(f"bench/stream.py not run: {exc}")
        return
    try:
        result = stream.run(N_CHUNKS, reps=4 if quick else 7, memory=True)
    except Exception as exc:  # its failure must not hide the side-by-side figures above
        section.notes.append(f"bench/stream.py run({N_CHUNKS}) failed: {type(exc).__name__}: {exc}")
        return
    for framing in ("event", "16KiB"):
        figures = result.get(framing)
        if not figures:
            continue
        row = section.add(
            Row(
                f"[{framing}, in process, alternating] ours vs floor",
                figures["median_s"]["ours"],
                ratio=figures["ours_over_floor"],
                ratio_to="floor",
                detail=figures,
            )
        )
        row.check("<= 1x floor", figures["ours_over_floor"] <= 1.0)
        section.notes.append(
            f"[{framing}, in process] floor {figures['median_s']['floor'] * 1e3:.1f} ms, "
            f"ours {row.value * 1e3:.1f} ms; CPU-time ratio ours/floor "
            f"{figures.get('cpu_ours_over_floor', float('nan')):.2f}x"
        )
    for name, mem in (result.get("memory") or {}).items():
        rss, traced = mem["peak_rss_mib"], mem["tracemalloc_peak_mib"]
        small, big = sorted(rss, key=int)
        row = section.add(
            Row(f"[peak RSS, {int(big) // 1000}k chunks] {name}", rss[big], unit="MiB", detail=mem)
        )
        row.ratio, row.ratio_to = rss[big] / rss[small], f"its {int(small) // 1000}k peak"
        if name == "ours":
            row.check("<= 1.1x (flat)", row.ratio <= 1.1)
        section.notes.append(
            f"{name}: peak RSS {rss[small]:.1f} -> {rss[big]:.1f} MiB, tracemalloc peak "
            f"{traced[small]:.2f} -> {traced[big]:.2f} MiB ({int(small) // 1000}k -> {int(big) // 1000}k chunks)"
        )


def run(quick: bool = False) -> Section:
    rounds = 2 if quick else 3
    section = Section(
        f"stream: consume a {N_CHUNKS:,}-chunk chat stream (consumption only; median of {rounds} rounds)"
    )
    all_ = contenders(quick, section)
    ours = next(c for c in all_ if c.key == "ours")
    with bench_server(write_size=0, preload=[N_CHUNKS]) as url:
        rows = _timed_rows(section, all_, url, "event", rounds)
        _targets(section, rows, "event", rows.get("openai"))
        _whole_process(section, all_, url, 2 if quick else 3)
        _profile(section, ours, url, "event")
    with bench_server(write_size=16384, preload=[N_CHUNKS]) as url:
        bulk = _timed_rows(section, all_, url, "16KiB", rounds)
        _targets(section, bulk, "16KiB", bulk.get("openai"))
        _profile(section, ours, url, "16KiB")
    _module_rows(section, quick)
    return section


if __name__ == "__main__":
    from .__main__ import main

    sys.exit(main(["stream"]))
