"""Benchmark 1: cold import of the package in fresh processes, ours vs the official 0.22.0.

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
    paired_ratio,
    peer_env,
    peer_python,
    ratio_row,
    run_json,
    wall_times,
)

# The figure, and what the guide's first line costs: the package may defer work to
# attribute access (a lazy ``__getattr__``), so both are timed.
STATEMENTS = {
    "import inference_gateway": "import inference_gateway",
    "from … import InferenceGatewayClient, Message": (
        "from inference_gateway import InferenceGatewayClient, Message"
    ),
}
LIMIT_MS = 150.0
LIMIT_RATIO = 0.5


def _timed(statement: str) -> str:
    return (
        f"import json, time; t = time.perf_counter(); {statement}; "
        "print(json.dumps(time.perf_counter() - t))"
    )


def _import_times(
    python: Path, env: Dict[str, str], statement: str, n: int
) -> Tuple[List[float], List[float]]:
    """(in-process import times, whole-process wall times) of ``n`` fresh interpreters."""
    inner = [float(run_json([python, "-c", _timed(statement)], env, 60)) for _ in range(n)]
    outer = wall_times([python, "-c", statement], n, env, 60)
    return inner, outer


def importtime(python: Path, env: Dict[str, str], statement: str) -> List[Tuple[str, float, float]]:
    """``-X importtime`` of one import: (module, self ms, cumulative ms) per module, in load order."""
    proc = subprocess.run(
        [str(python), "-X", "importtime", "-c", statement],
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


def _profile_notes(section: Section, row: Row, statement: str) -> None:
    """The slowest modules of our import: by self time, and by cumulative time for our modules
    and every top-level package (``httpx``, ``pydantic``, ``asyncio``, ...)."""
    profile = importtime(OURS_PYTHON, ours_env(), statement)
    top = sorted(profile, key=lambda r: r[1], reverse=True)[:12]
    cumulative = sorted(
        (
            (mod, cum)
            for mod, _, cum in profile
            if mod.startswith("inference_gateway.") or "." not in mod
        ),
        key=lambda r: r[1],
        reverse=True,
    )[:14]
    row.detail["importtime_top_self_ms"] = top
    row.detail["importtime_cumulative_ms"] = cumulative
    section.notes.append(
        f"ours `{statement}` -X importtime, top self ms: "
        + ", ".join(f"{mod} {self_ms:.1f}" for mod, self_ms, _ in top[:8])
    )
    section.notes.append(
        "  cumulative ms: " + ", ".join(f"{mod} {ms:.1f}" for mod, ms in cumulative)
    )


def _dependency_floor(section: Section, n: int) -> None:
    """What our two runtime dependencies alone cost in our venv: the part no SDK code can save."""
    statement = "import httpx, pydantic; from pydantic import BaseModel, RootModel"
    try:
        inner, _ = _import_times(OURS_PYTHON, ours_env(), statement, n)
    except (RuntimeError, subprocess.SubprocessError) as exc:
        section.notes.append(f"dependency floor failed: {exc}")
        return
    section.add(
        Row(
            "reference: import httpx, pydantic (our venv)",
            median(inner),
            detail={"samples_s": inner},
        )
    )
    modules = importtime(OURS_PYTHON, ours_env(), "import httpx")
    optional = [
        (mod, cum) for mod, _, cum in modules if mod in ("click", "pygments", "rich", "httpx._main")
    ]
    if optional:
        section.notes.append(
            "httpx imports its CLI's optional deps when installed (they are here, via dev tools): "
            + ", ".join(f"{mod} {ms:.1f} ms" for mod, ms in optional)
        )


def run(quick: bool = False) -> Section:
    n = 5 if quick else 10
    section = Section(f"import: cold import in a fresh process (median of {n})")
    official_python = peer_python("official", section)
    contenders = [("ours (py3.11)", OURS_PYTHON, ours_env())]
    if official_python is not None:
        contenders.insert(0, ("official 0.22.0 (py3.12)", official_python, peer_env()))
    for label, statement in STATEMENTS.items():
        inner: Dict[str, List[float]] = {}
        outer: Dict[str, List[float]] = {}
        for name, python, env in contenders:
            try:
                run_json([python, "-c", _timed(statement)], env, 60)  # warm the bytecode cache
                inner[name], outer[name] = [], []
            except (RuntimeError, subprocess.SubprocessError) as exc:
                section.notes.append(f"{name} `{statement}` failed: {exc}")
        for _ in range(n):  # contenders take turns: load from other processes hits both alike
            for name, python, env in contenders:
                if name in inner:
                    one_inner, one_outer = _import_times(python, env, statement, 1)
                    inner[name] += one_inner
                    outer[name] += one_outer
        rows: Dict[str, Row] = {
            name: section.add(
                Row(
                    f"{name.split(' (')[0]}: {label}",
                    median(inner[name]),
                    detail={"process_wall_s": median(outer[name]), "samples_s": inner[name]},
                )
            )
            for name, _, _ in contenders
            if name in inner
        }
        ours, official = rows.get("ours (py3.11)"), rows.get("official 0.22.0 (py3.12)")
        if ours is None:
            continue
        ratio_row(ours, official, LIMIT_RATIO, "official")
        if official is not None:
            paired_ratio(ours, ours.detail["samples_s"], official.detail["samples_s"])
        within = ours.value * 1000 <= LIMIT_MS
        ours.check(f"<= {LIMIT_MS:g} ms", within)
        if ours.value > 0.02:  # a lazy package import has nothing worth profiling
            _profile_notes(section, ours, statement)
    _dependency_floor(section, n)
    for name, python, env in contenders:
        bare = median(wall_times([python, "-c", "pass"], 3, env, 30))
        whole = [
            r.detail["process_wall_s"]
            for r in section.rows
            if r.name.startswith(name.split(" (")[0])
        ]
        section.notes.append(
            f"{name} whole process (wall, from outside) "
            + " / ".join(f"{w * 1000:.0f} ms" for w in whole)
            + f"; bare interpreter {bare * 1000:.0f} ms"
        )
    return section
