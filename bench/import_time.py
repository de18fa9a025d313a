"""Benchmark 1: cold ``import inference_gateway`` in fresh processes, ours vs the official 0.22.0.

Each run is a new interpreter that times the import statement itself (``perf_counter`` around it)
and the whole process (wall clock from outside). Bytecode caches are warm, as after any install:
one discarded run first. ``-X importtime`` of one extra run gives the slowest modules.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path
from typing import Dict, List, Tuple

from ._util import (
    OURS_PYTHON,
    Row,
    Section,
    median,
    ours_env,
    peer_env,
    peer_python,
    ratio_row,
    run_json,
    wall_times,
)

TIMED_IMPORT = (
    "import json, time; t = time.perf_counter(); import inference_gateway; "
    "print(json.dumps(time.perf_counter() - t))"
)
LIMIT_MS = 150.0
LIMIT_RATIO = 0.5


def _import_times(python: Path, env: Dict[str, str], n: int) -> Tuple[List[float], List[float]]:
    """(in-process import times, whole-process wall times) of ``n`` fresh interpreters."""
    run_json([python, "-c", TIMED_IMPORT], env, 60)  # warm the bytecode cache
    inner = [float(run_json([python, "-c", TIMED_IMPORT], env, 60)) for _ in range(n)]
    outer = wall_times([python, "-c", "import inference_gateway"], n, env, 60)
    return inner, outer


def importtime(python: Path, env: Dict[str, str]) -> List[Tuple[str, float, float]]:
    """``-X importtime`` of one import: (module, self ms, cumulative ms) per module, in load order."""
    proc = subprocess.run(
        [str(python), "-X", "importtime", "-c", "import inference_gateway"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    rows = []
    for line in proc.stderr.splitlines():
        match = re.match(r"import time:\s+(\d+) \|\s+(\d+) \|\s*(\S+)", line)
        if match:
            rows.append((match.group(3), int(match.group(1)) / 1000, int(match.group(2)) / 1000))
    return rows


def run(quick: bool = False) -> Section:
    n = 5 if quick else 10
    section = Section(f"import: cold `import inference_gateway` (fresh process, median of {n})")
    official_py = peer_python("official")
    contenders = [
        ("official 0.22.0 (py3.12)", official_py, peer_env()),
        ("ours (py3.11)", OURS_PYTHON, ours_env()),
    ]
    rows = {}
    for name, python, env in contenders:
        try:
            inner, outer = _import_times(python, env, n)
        except (RuntimeError, subprocess.SubprocessError) as exc:
            section.notes.append(f"{name}: import failed: {exc}")
            continue
        bare = wall_times([python, "-c", "pass"], 3, env, 30)
        rows[name] = section.add(
            Row(
                name,
                median(inner),
                detail={
                    "process_wall_s": median(outer),
                    "interpreter_startup_s": median(bare),
                    "samples_s": inner,
                },
            )
        )
    ours = rows.get("ours (py3.11)")
    official = rows.get("official 0.22.0 (py3.12)")
    if ours is not None:
        ratio_row(ours, official, LIMIT_RATIO, "official")
        within = ours.value * 1000 <= LIMIT_MS
        ours.detail["target_ms"] = f"<= {LIMIT_MS:g} ms: {'met' if within else 'MISSED'}"
        ours.met = within and (ours.met is not False)
        ours.target = f"<= {LIMIT_MS:g} ms and " + (ours.target or "<= 0.5x official")
        profile = importtime(OURS_PYTHON, ours_env())
        top = sorted(profile, key=lambda r: r[1], reverse=True)[:12]
        ours.detail["importtime_top_self_ms"] = top
        section.notes.append(
            "ours -X importtime, top self times: "
            + ", ".join(f"{mod} {self_ms:.1f}" for mod, self_ms, _ in top[:8])
        )
        cumulative = sorted(
            (
                (mod, cum)
                for mod, _, cum in profile
                if mod.startswith(("inference_gateway", "pydantic", "httpx"))
            ),
            key=lambda r: r[1],
            reverse=True,
        )[:10]
        ours.detail["importtime_cumulative_ms"] = cumulative
        section.notes.append(
            "ours cumulative ms: " + ", ".join(f"{mod} {ms:.1f}" for mod, ms in cumulative[:6])
        )
    for row in rows.values():
        section.notes.append(
            f"{row.name}: whole process {row.detail['process_wall_s'] * 1000:.0f} ms "
            f"(bare interpreter {row.detail['interpreter_startup_s'] * 1000:.0f} ms)"
        )
    return section
