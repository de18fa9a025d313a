"""Benchmark 4: ``task generate`` and ``task check`` on the bundled spec, side by side with
datamodel-code-generator alone and openapi-python-client, each median of 5 fresh processes; and
how generation scales on synthetic specs (bench/synthetic_spec.py: 200 to 2,000 schemas, 300
operations): wall time and peak memory (RSS) of one ``generate --no-cache`` each.

``IGW_BENCH_BASELINE=DIR`` adds ``task check`` (cold and warm) of another checkout of the
generator (e.g. the previous commit, with its own ``.venv``) to the same interleaved rounds, so
that a before/after comparison shares the machine's load. ``IGW_BENCH_SCHEMAS=200,2000`` chooses
the synthetic sizes.

Our two commands run with the generator's content-addressed cache off (as on a fresh clone or
in CI) and warm (as on a developer's machine). ``task generate`` writes into a temporary
``--output`` so that the benchmark never replaces the checkout's ``generated/`` while others work
in it; the work done is the same. openapi-python-client
runs in its peer venv with ruff on ``PATH`` (its default post-hooks format the output, as our
pipeline does with black).
"""

from __future__ import annotations

import json
import os
import pstats
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, List, Optional, Sequence, Tuple

from ._util import (
    OURS_PYTHON,
    ROOT,
    Row,
    Section,
    median,
    paired_ratio,
    peer_env,
    peer_python,
    ratio_row,
    wall_times,
)

SPEC = ROOT / "specs" / "openapi.yaml"
VENV_BIN = OURS_PYTHON.parent
LIMIT_CHECK = 2.0
SYNTHETIC_SCHEMAS = (200, 500, 1000, 2000)
SYNTHETIC_OPERATIONS = 300


# The options generator/models.py passes to datamodel-code-generator's Python API, as CLI flags
# (plus black, which our pipeline runs once later in write.py).
DMCG_OPTIONS = (
    "--input-file-type", "openapi",
    "--openapi-scopes", "schemas",
    "--output-model-type", "pydantic_v2.BaseModel",
    "--target-python-version", "3.10",
    "--enum-field-as-literal", "all",
    "--use-annotated",
    "--field-constraints",
    "--use-field-description",
    "--use-schema-description",
    "--disable-timestamp",
    "--keep-model-order",
    "--use-double-quotes",
    "--allow-population-by-field-name",
    "--extra-fields", "allow",
    "--strict-nullable",
    "--formatters", "black",
)  # fmt: skip


def _dmcg_command(out: Path) -> List[str]:
    return [
        str(VENV_BIN / "datamodel-codegen"),
        "--input",
        str(SPEC),
        *DMCG_OPTIONS,
        "--output",
        str(out),
    ]


@dataclass
class Command:
    key: str
    name: str
    argv: List[str]
    env: Dict[str, str]
    cwd: Path
    ok_codes: Sequence[int] = (0,)


def _rounds(section: Section, commands: List[Command], n: int) -> Dict[str, Row]:
    """Run every command once per round, ``n`` rounds (load hits all alike); one row each."""
    samples: Dict[str, List[float]] = {c.key: [] for c in commands}
    for _ in range(n):
        for c in commands:
            if c.key not in samples:
                continue
            try:
                samples[c.key] += wall_times(
                    c.argv, 1, c.env, timeout=300, cwd=c.cwd, ok_codes=c.ok_codes
                )
            except (RuntimeError, subprocess.SubprocessError) as exc:
                section.notes.append(f"{c.name}: failed: {exc}")
                del samples[c.key]
    return {
        c.key: section.add(
            Row(
                c.name,
                median(samples[c.key]),
                detail={"samples_s": samples[c.key], "command": " ".join(c.argv)},
            )
        )
        for c in commands
        if c.key in samples
    }


def _opc_env(tmp: Path) -> Dict[str, str]:
    tools = tmp / "bin"
    tools.mkdir(exist_ok=True)
    (tools / "ruff").symlink_to(VENV_BIN / "ruff")
    return peer_env({"PATH": f"{tools}{os.pathsep}{os.environ.get('PATH', '')}"})


def _opc_report(opc: Path, env: Dict[str, str], tmp: Path, section: Section) -> None:
    """What openapi-python-client made of the spec: warnings and the size of its output."""
    out = tmp / "opc-report"
    proc = subprocess.run(
        [str(opc), "generate", "--path", str(SPEC), "--output-path", str(out), "--overwrite"],
        env=env,
        cwd=str(tmp),
        capture_output=True,
        text=True,
        timeout=300,
    )
    files = len(list(out.rglob("*.py"))) if out.exists() else 0
    warnings = [line for line in (proc.stdout + proc.stderr).splitlines() if line.strip()][1:8]
    section.notes.append(
        f"openapi-python-client: exit {proc.returncode}, {files} .py files"
        + (f"; said: {' | '.join(warnings)}" if warnings else "; no warnings")
    )


def _check_ok_codes(section: Section) -> Sequence[int]:
    """A drift (exit 1) still does the whole check's work, so it is timed too, and noted."""
    proc = subprocess.run(
        [str(OURS_PYTHON), "-m", "generator", "check"],
        cwd=str(ROOT),
        capture_output=True,
        text=True,
        timeout=300,
    )
    if proc.returncode == 1:
        section.notes.append(
            "task check: generated/ differs from a fresh generation (drift): timed anyway"
        )
        return (0, 201)  # task reports a failed command as 201
    return (0,)


def _profile(section: Section, tmp: Path) -> None:
    """cProfile of one generation: cumulative seconds of the generator's own functions (its
    stages; third-party work such as black or the spec validator shows inside them)."""
    prof = tmp / "generate.prof"
    # generator.cli.main, not `-m generator`: cli.run exits the process before cProfile writes.
    script = (
        "import cProfile, sys; from generator.cli import main; "
        "cProfile.run('main(sys.argv[2:])', sys.argv[1])"
    )
    proc = subprocess.run(
        [str(OURS_PYTHON), "-c", script, str(prof), "generate", "--output", str(tmp / "profiled")],
        env={**os.environ, "IGW_GENERATOR_CACHE": "off"},
        cwd=str(ROOT),
        capture_output=True,
        text=True,
        timeout=300,
    )
    if proc.returncode != 0:
        section.notes.append(f"profile of generate failed: {proc.stderr.strip()[-300:]}")
        return
    stats = pstats.Stats(str(prof)).stats  # type: ignore[attr-defined]
    generator_dir = str(ROOT / "generator")
    stages: Dict[str, float] = {}
    for (filename, _, function), (_, _, _, cumtime, _) in stats.items():
        if filename.startswith(generator_dir) and not function.startswith(
            ("<", "main", "cmd_", "build")
        ):
            key = f"{Path(filename).stem}.{function}"
            stages[key] = max(stages.get(key, 0.0), cumtime)
    top = sorted(stages.items(), key=lambda kv: kv[1], reverse=True)[:8]
    section.notes.append(
        "cProfile of one `generate`, no cache (inflated by the profiler), cumulative s: "
        + ", ".join(f"{k} {v:.2f}" for k, v in top)
    )


def _import_breakdown(section: Section) -> None:
    """How much of a cold `check` is spent importing the generator's dependencies."""
    proc = subprocess.run(
        [str(OURS_PYTHON), "-X", "importtime", "-m", "generator", "check"],
        env={**os.environ, "IGW_GENERATOR_CACHE": "off"},
        cwd=str(ROOT),
        capture_output=True,
        text=True,
        timeout=300,
    )
    top = []
    for line in proc.stderr.splitlines():
        match = re.match(r"import time:\s+\d+ \|\s+(\d+) \|( )(\S+)$", line)  # top-level only
        if match:
            top.append((int(match.group(1)) / 1000, match.group(3)))
    if top:
        top.sort(reverse=True)
        section.notes.append(
            f"imports of a cold `check`: {sum(ms for ms, _ in top):.0f} ms in all; "
            + ", ".join(f"{mod} {ms:.0f}" for ms, mod in top[:6])
        )


def _peak_rss_run(argv: List[str], cwd: Path) -> Tuple[float, float, int]:
    """(wall seconds, peak RSS in MiB, exit status) of one process (POSIX: wait4's rusage)."""
    start = time.perf_counter()
    proc = subprocess.Popen(argv, cwd=str(cwd), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.stderr is not None:
        proc.stderr.close()
    kib = usage.ru_maxrss if sys.platform != "darwin" else usage.ru_maxrss / 1024
    return wall, kib / 1024, proc.returncode


def _synthetic(section: Section, tmp: Path, quick: bool) -> None:
    """Generation time and peak memory on synthetic specs of growing size (no cache)."""
    from .synthetic_spec import build

    sizes = os.environ.get("IGW_BENCH_SCHEMAS")
    schemas = [int(n) for n in sizes.split(",")] if sizes else list(SYNTHETIC_SCHEMAS[: 2 if quick else None])
    first: Optional[Tuple[int, float]] = None
    for count in schemas:
        spec = tmp / f"synthetic-{count}.json"
        spec.write_text(json.dumps(build(count, SYNTHETIC_OPERATIONS)), encoding="utf-8")
        argv = [str(OURS_PYTHON), "-m", "generator", "generate", "--no-cache", "--spec", str(spec)]
        argv += ["--output", str(tmp / f"synthetic-{count}"), "--package-name", "synthetic"]
        wall, rss, code = _peak_rss_run(argv, ROOT)
        if code != 0:
            section.notes.append(f"synthetic {count} schemas: generate failed (exit {code})")
            continue
        row = section.add(
            Row(
                f"generate, synthetic {count} schemas / {SYNTHETIC_OPERATIONS} operations (no cache)",
                wall,
                detail={"peak_rss_mib": round(rss, 1), "schemas": count},
            )
        )
        if first is None:
            first = (count, wall)
        else:
            row.ratio, row.ratio_to = wall / first[1], f"{first[0]} schemas (x{count / first[0]:g} schemas)"
        section.notes.append(f"synthetic {count} schemas: {wall:.1f}s, peak RSS {rss:.0f} MiB")


def run(quick: bool = False) -> Section:
    n = 3 if quick else 5
    section = Section(
        f"generator: wall time on specs/openapi.yaml (median of {n} rounds, fresh processes; "
        "ratio: median of per-round ratios)"
    )
    task = str(VENV_BIN / "task")
    env = dict(os.environ)
    env["PATH"] = f"{VENV_BIN}{os.pathsep}{env.get('PATH', '')}"
    with tempfile.TemporaryDirectory(prefix="igw-bench-gen-") as tmp_name:
        tmp = Path(tmp_name)
        ok_check = _check_ok_codes(section)
        cold = {**env, "IGW_GENERATOR_CACHE": "off"}
        out = ["--", "--output", str(tmp / "ours")]
        commands = [
            Command(
                "generate-cold", "task generate (no cache)", [task, "generate", *out], cold, ROOT
            ),
            Command("check-cold", "task check (no cache)", [task, "check"], cold, ROOT, ok_check),
            Command(
                "generate-warm", "task generate (warm cache)", [task, "generate", *out], env, ROOT
            ),
            Command("check-warm", "task check (warm cache)", [task, "check"], env, ROOT, ok_check),
            Command(
                "dmcg", "datamodel-code-generator alone", _dmcg_command(tmp / "models.py"), env, tmp
            ),
        ]
        baseline = os.environ.get("IGW_BENCH_BASELINE")
        if baseline:
            base = Path(baseline).resolve()
            base_task = str(base / ".venv" / "bin" / "task")
            commands += [
                Command("base-check-cold", f"baseline task check (no cache) [{base.name}]", [base_task, "check"], cold, base, ok_check),
                Command("base-check-warm", f"baseline task check (warm cache) [{base.name}]", [base_task, "check"], env, base, ok_check),
            ]
        opc_python = peer_python("openapi-python-client", section)
        if opc_python is not None:
            opc_bin = opc_python.parent / "openapi-python-client"
            opc_env = _opc_env(tmp)
            opc_argv = [
                str(opc_bin),
                "generate",
                "--path",
                str(SPEC),
                "--output-path",
                str(tmp / "opc"),
            ]
            commands.append(
                Command(
                    "opc",
                    "openapi-python-client generate",
                    [*opc_argv, "--overwrite"],
                    opc_env,
                    tmp,
                )
            )
            _opc_report(opc_bin, opc_env, tmp, section)
        rows = _rounds(section, commands, n)
        opc = rows.get("opc")
        for key, row in rows.items():
            if key.startswith(("generate", "check", "base-check")) and opc is not None:
                ratio_row(
                    row,
                    opc,
                    LIMIT_CHECK if key.startswith("check") else None,
                    "openapi-python-client",
                )
                paired_ratio(row, row.detail["samples_s"], opc.detail["samples_s"])
        _profile(section, tmp)
        _import_breakdown(section)
        _synthetic(section, tmp, quick)
        summary = subprocess.run(
            [
                str(OURS_PYTHON),
                "-m",
                "generator",
                "generate",
                "--output",
                str(tmp / "ours-summary"),
            ],
            cwd=str(ROOT),
            capture_output=True,
            text=True,
            timeout=300,
        )
        if summary.returncode == 0:
            section.notes.append("generator says: " + " ".join(summary.stdout.split())[:400])
        shutil.rmtree(tmp / "opc", ignore_errors=True)
    return section


if __name__ == "__main__":
    from .__main__ import main

    sys.exit(main(["generator"]))
