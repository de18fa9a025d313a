"""``python -m bench [import] [call] [stream] [concurrency] [apis] [generator] [--quick] [--json PATH]``.

Runs the chosen benchmarks (all by default) in one go, prints one table of medians and ratios
with each target marked met or MISSED, and writes the figures to bench/results/latest.json
(each benchmark's entry is replaced by its latest run; the others are kept).
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path
from typing import Callable, Dict, List, Optional

from ._util import BENCH, Section, fmt_value

BENCHMARKS = ("import", "call", "stream", "concurrency", "apis", "generator")


def _runner(name: str) -> Callable[[bool], Section]:
    """Import a benchmark module lazily: one failing module must not stop the others."""
    if name == "import":
        from .import_time import run
    elif name == "call":
        from .call import run
    elif name == "stream":
        from .stream_peers import run
    elif name == "concurrency":
        from .concurrency import run
    elif name == "apis":
        from .apis import run
    else:
        from .generator import run
    return run


def render(sections: List[Section]) -> str:
    lines = []
    for section in sections:
        lines.append("")
        lines.append(f"== {section.title}")
        width = max([len(r.name) for r in section.rows] + [20])
        for row in section.rows:
            ratio = f"{row.ratio:6.2f}x {row.ratio_to}" if row.ratio is not None else ""
            verdicts = [f"{t}: {'met' if ok else 'MISSED'}" for t, ok in row.checks.items()]
            target = f"[{'; '.join(verdicts)}]" if verdicts else ""
            lines.append(
                f"  {row.name:<{width}}  {fmt_value(row.value, row.unit):>10}  {ratio:<30} {target}"
            )
        for note in section.notes:
            lines.append(f"  - {note}")
    return "\n".join(lines)


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument(
        "which", nargs="*", metavar="|".join(BENCHMARKS), help="benchmarks to run (default: all)"
    )
    parser.add_argument("--quick", action="store_true", help="fewer repetitions (a smoke run)")
    parser.add_argument(
        "--json",
        type=Path,
        default=BENCH / "results" / "latest.json",
        help="where to write results",
    )
    args = parser.parse_args(argv)
    unknown = sorted(set(args.which) - set(BENCHMARKS))
    if unknown:
        parser.error(
            f"unknown benchmark(s) {', '.join(unknown)}; choose from {', '.join(BENCHMARKS)}"
        )
    chosen = args.which or list(BENCHMARKS)
    sections: List[Section] = []
    started = time.perf_counter()
    for name in chosen:
        t0 = time.perf_counter()
        try:
            section = _runner(name)(args.quick)
        except Exception as exc:  # report the broken benchmark and keep the others' figures
            section = Section(f"{name}: FAILED")
            section.notes.append(f"{type(exc).__name__}: {exc}")
        section.notes.append(f"({name} took {time.perf_counter() - t0:.0f} s)")
        sections.append(section)
        print(render([section]), flush=True)
    run_info = {
        "when": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        "commit": _git_head(),
        "machine": {
            "platform": platform.platform(),
            "python": sys.version.split()[0],
            "cpus": _cpus(),
        },
        "quick": args.quick,
        "total_s": time.perf_counter() - started,
    }
    fresh = {name: {**run_info, **s.as_dict()} for name, s in zip(chosen, sections)}
    _write_merged(args.json, fresh)
    print(f"\nwrote {args.json} ({run_info['total_s']:.0f} s in all)")
    return 1 if any(s.title.endswith("FAILED") for s in sections) else 0


def _write_merged(path: Path, fresh: Dict[str, Dict[str, object]]) -> None:
    """Replace the benchmarks just run in ``path`` and keep the others' last figures, so that
    running one benchmark does not erase the rest. Written atomically (tmp file + rename)."""
    try:
        kept = json.loads(path.read_text()).get("benchmarks", {})
    except (OSError, ValueError, AttributeError):
        kept = {}
    merged = {
        name: fresh.get(name, kept.get(name))
        for name in BENCHMARKS
        if name in fresh or name in kept
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    tmp.write_text(json.dumps({"benchmarks": merged}, indent=1, ensure_ascii=False) + "\n")
    tmp.replace(path)


def _git_head() -> str:
    proc = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=BENCH.parent, capture_output=True, text=True
    )
    dirty = subprocess.run(
        ["git", "status", "--porcelain", "--untracked-files=no", "--", "generated", "bench"],
        cwd=BENCH.parent,
        capture_output=True,
        text=True,
    )
    return proc.stdout.strip() + ("+dirty" if dirty.stdout.strip() else "")


def _cpus() -> int:
    return (
        len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    )


if __name__ == "__main__":
    sys.exit(main())
