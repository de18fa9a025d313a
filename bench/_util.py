"""Shared helpers of the benchmarks: medians, subprocess timing, the bench server, peer interpreters.

Every benchmark module exposes ``run(quick: bool) -> Section``; ``bench/__main__.py`` prints the
sections as one table and writes them as JSON.
"""

from __future__ import annotations

import contextlib
import json
import os
import statistics
import subprocess
import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Dict, Iterator, List, Optional, Sequence

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
WORKERS = BENCH / "workers"
GENERATED = ROOT / "generated"
OURS_PYTHON = Path(sys.executable)


@dataclass
class Row:
    """One measured figure: a median, optionally with a ratio against a reference row."""

    name: str
    value: float
    unit: str = "s"
    ratio: Optional[float] = None
    ratio_to: str = ""
    target: str = ""  # the targets checked, joined with "; "
    met: Optional[bool] = None  # every target met (None: no target)
    checks: Dict[str, bool] = field(default_factory=dict)  # target -> met
    detail: Dict[str, Any] = field(default_factory=dict)

    def check(self, target: str, ok: bool) -> None:
        """Record (or re-record) whether one target is met."""
        self.checks[target] = bool(ok)
        self.target = "; ".join(self.checks)
        self.met = all(self.checks.values())


@dataclass
class Section:
    """The rows of one benchmark, plus notes (what was measured, failures of peers)."""

    title: str
    rows: List[Row] = field(default_factory=list)
    notes: List[str] = field(default_factory=list)

    def add(self, row: Row) -> Row:
        self.rows.append(row)
        return row

    def as_dict(self) -> Dict[str, Any]:
        return {"title": self.title, "rows": [asdict(r) for r in self.rows], "notes": self.notes}


def median(values: Sequence[float]) -> float:
    if not values:
        raise ValueError("median of no values")
    return float(statistics.median(values))


def ratio_row(row: Row, reference: Optional[Row], limit: Optional[float], what: str) -> None:
    """Set ``row.ratio`` against ``reference`` (named ``what``) and check ``ratio <= limit``."""
    if reference is None or reference.value <= 0:
        return
    row.ratio = row.value / reference.value
    row.ratio_to = what
    if limit is not None:
        row.detail["ratio_limit"] = (f"<= {limit:g}x {what}", limit)
        row.check(f"<= {limit:g}x {what}", row.ratio <= limit)


def paired_ratio(row: Row, samples: Sequence[float], reference: Sequence[float]) -> None:
    """Replace ``row.ratio`` by the median of round-by-round ratios: samples taken side by side
    share the machine's load at that moment, so their ratio is steadier than a ratio of medians."""
    if row.ratio is None or len(samples) != len(reference):
        return
    row.detail["ratio_of_medians"] = row.ratio
    row.ratio = median([a / b for a, b in zip(samples, reference)])
    if "ratio_limit" in row.detail:
        target, limit = row.detail["ratio_limit"]
        row.check(target, row.ratio <= limit)


def ours_env(extra: Optional[Dict[str, str]] = None) -> Dict[str, str]:
    """Environment for a subprocess that imports our generated package from the checkout."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(GENERATED), str(ROOT)])
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # cold imports should still read cached bytecode
    env.update(extra or {})
    return env


def peer_env(extra: Optional[Dict[str, str]] = None) -> Dict[str, str]:
    """Environment for a peer's interpreter: nothing of ours on its path."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env.update(extra or {})
    return env


def peer_python(name: str, section: Section) -> Optional[Path]:
    """The interpreter of a peer's cached venv (built on first use by tests/peers.py), or None
    with a note in ``section`` when it cannot be built (offline, no such Python)."""
    from tests.peers import peer_python as build

    try:
        return build(name)
    except (subprocess.SubprocessError, OSError) as exc:
        section.notes.append(f"peer {name} unavailable, its rows are missing: {exc}")
        return None


def run_json(
    cmd: Sequence[object], env: Dict[str, str], timeout: float, cwd: Optional[Path] = None
) -> Any:
    """Run a worker that prints one JSON document as its last stdout line; return it parsed."""
    proc = subprocess.run(
        [str(c) for c in cmd],
        env=env,
        cwd=str(cwd or ROOT),
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    if proc.returncode != 0:
        tail = (proc.stderr or proc.stdout).strip().splitlines()[-8:]
        raise RuntimeError(
            f"{Path(str(cmd[1])).name} exited {proc.returncode}:\n  " + "\n  ".join(tail)
        )
    return json.loads(proc.stdout.strip().splitlines()[-1])


def wall_times(
    cmd: Sequence[object],
    n: int,
    env: Dict[str, str],
    timeout: float,
    cwd: Optional[Path] = None,
    ok_codes: Sequence[int] = (0,),
) -> List[float]:
    """Wall time of ``n`` fresh runs of ``cmd`` (each must exit with one of ``ok_codes``)."""
    times = []
    for _ in range(n):
        start = time.perf_counter()
        proc = subprocess.run(
            [str(c) for c in cmd],
            env=env,
            cwd=str(cwd or ROOT),
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        times.append(time.perf_counter() - start)
        if proc.returncode not in ok_codes:
            tail = (proc.stderr or proc.stdout).strip().splitlines()[-8:]
            raise RuntimeError(
                f"{' '.join(map(str, cmd[:3]))} exited {proc.returncode}:\n  " + "\n  ".join(tail)
            )
    return times


@contextlib.contextmanager
def bench_server(write_size: int = 65536, preload: Sequence[int] = ()) -> Iterator[str]:
    """Start bench/_server.py in its own process; yield its base URL (``http://127.0.0.1:P/v1``)."""
    cmd = [sys.executable, str(BENCH / "_server.py"), "--write-size", str(write_size)]
    if preload:
        cmd += ["--preload", *map(str, preload)]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        if not line.startswith("READY "):
            err = proc.stderr.read() if proc.stderr else ""
            raise RuntimeError(f"bench server failed to start: {line!r} {err[-500:]}")
        yield f"http://127.0.0.1:{int(line.split()[1])}/v1"
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def fmt_value(value: float, unit: str) -> str:
    if unit == "s":
        if value < 1e-3:
            return f"{value * 1e6:.1f} µs"
        if value < 1:
            return f"{value * 1e3:.1f} ms"
        return f"{value:.2f} s"
    if unit == "MiB":
        return f"{value:.1f} MiB"
    return f"{value:g} {unit}"
