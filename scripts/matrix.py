"""Run the SDK's tests on every CPython 3.9-3.13 installed on this machine.

    task test-matrix [-- --versions 3.9,3.13] [--jobs 2] [--include-peers]

Each minor version gets its own venv under ``.cache/matrix/py3.X`` with only what the SDK and its
tests need (the generator needs Python >= 3.11 and is not installed there). The interpreters are
found by ``scripts/pythons.py`` (``IGW_PYTHON_3_9=...`` overrides one; then pyenv, ``PATH``, the ``py``
launcher, common prefixes). A venv is rebuilt
when the requirement list or the interpreter changes. The SDK tests are the test files that
import neither the generator, the benchmarks nor the peer venvs (directly or via a conftest);
``--include-peers`` adds the peer-backed ones. Prints a table and exits non-zero if any failed.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import re
import shutil
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from pythons import find_python, venv_python, where_looked

ROOT = Path(__file__).resolve().parents[1]
CACHE = ROOT / ".cache" / "matrix"
MINORS = ("3.9", "3.10", "3.11", "3.12", "3.13")
REQUIREMENTS = (
    "httpx>=0.27,<1",
    "pydantic>=2.7,<3",
    "pytest>=8",
    "pytest-asyncio>=0.24",
    "pytest-timeout>=2.3",
    "hypothesis>=6.100",
    "uvicorn>=0.30",
    "pyyaml>=6",
    "trustme>=1.1",  # the fault suite's TLS certificates
    "h2>=4",  # http2=True
)
# A test file is not an SDK test when it (or a conftest above it) imports the generator or the
# benchmarks; the peer-backed ones (cached third-party venvs, slow) only with --include-peers.
NOT_SDK = re.compile(
    r"^\s*(from|import)\s+(generator|bench)\b|[\"']-m[\"'],\s*[\"']generator[\"']", re.M
)
# Directories of the generator's own tooling tests (they run the generator in a subprocess).
TOOLING = ("generator", "diff", "evolution", "vendoring", "features")
PEERS = re.compile(r"^\s*(from|import)\s+tests\.peers\b|peer_python\(", re.M)


@dataclass
class Result:
    minor: str
    python: str
    passed: int = 0
    failed: int = 0
    errors: int = 0
    skipped: int = 0
    setup_seconds: float = 0.0
    test_seconds: float = 0.0
    note: str = ""

    @property
    def ok(self) -> bool:
        return not self.note and self.failed == 0 and self.errors == 0 and self.passed > 0


def sdk_test_files(include_peers: bool) -> list[Path]:
    tests = ROOT / "tests"
    selected = []
    for path in sorted(tests.rglob("test_*.py")):
        chain = [path] + [
            d / "conftest.py" for d in path.parents if d == tests or tests in d.parents
        ]
        text = "\n".join(p.read_text(encoding="utf-8") for p in chain if p.is_file())
        if set(path.relative_to(tests).parts[:-1]) & set(TOOLING):
            continue
        if NOT_SDK.search(text) or (not include_peers and PEERS.search(text)):
            continue
        selected.append(path)
    return selected


def ensure_venv(minor: str, python: Path) -> tuple[Path, float]:
    """The venv's interpreter, created or refreshed when its key changed; and seconds spent."""
    start = time.perf_counter()
    venv = CACHE / f"py{minor}"
    key = hashlib.sha256("\n".join([str(python.resolve()), *REQUIREMENTS]).encode()).hexdigest()[
        :16
    ]
    marker = venv / f".ready-{key}"
    exe = venv_python(venv)
    if not marker.exists():
        shutil.rmtree(venv, ignore_errors=True)
        subprocess.run([str(python), "-m", "venv", str(venv)], check=True)
        subprocess.run(
            [str(exe), "-m", "pip", "install", "-q", "--disable-pip-version-check", *REQUIREMENTS],
            check=True,
        )
        marker.touch()
    return exe, time.perf_counter() - start


def run_tests(minor: str, files: list[Path], extra: list[str]) -> Result:
    python = find_python(minor)
    if python is None:
        return Result(minor, "-", note=f"no Python {minor} found (looked in {where_looked(minor)})")
    result = Result(minor, str(python))
    try:
        exe, result.setup_seconds = ensure_venv(minor, python)
    except subprocess.CalledProcessError as exc:
        result.note = f"venv setup failed: {exc}"
        return result
    junit = CACHE / f"py{minor}" / "junit.xml"
    junit.unlink(missing_ok=True)
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    command = [
        str(exe),
        "-m",
        "pytest",
        "-q",
        "-p",
        "no:cacheprovider",
        f"--junitxml={junit}",
        *[str(f.relative_to(ROOT)) for f in files],
        *extra,
    ]
    start = time.perf_counter()
    log = CACHE / f"py{minor}" / "pytest.log"
    with open(log, "w") as out:
        subprocess.run(
            command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, check=False
        )
    result.test_seconds = time.perf_counter() - start
    if not junit.exists():
        result.note = f"pytest wrote no report; see {log.relative_to(ROOT)}"
        return result
    for suite in ET.parse(junit).getroot().iter("testsuite"):
        tests = int(suite.get("tests", 0))
        result.failed += int(suite.get("failures", 0))
        result.errors += int(suite.get("errors", 0))
        result.skipped += int(suite.get("skipped", 0))
        result.passed += (
            tests
            - int(suite.get("failures", 0))
            - int(suite.get("errors", 0))
            - int(suite.get("skipped", 0))
        )
    if not result.ok and not result.note:
        result.note = f"see {log.relative_to(ROOT)}"
    return result


def table(results: list[Result]) -> str:
    rows = [
        ("python", "result", "passed", "failed", "errors", "skipped", "setup s", "tests s", "note")
    ]
    for r in results:
        rows.append(
            (
                r.python,
                "ok" if r.ok else "FAIL",
                str(r.passed),
                str(r.failed),
                str(r.errors),
                str(r.skipped),
                f"{r.setup_seconds:.1f}",
                f"{r.test_seconds:.1f}",
                r.note,
            )
        )
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return "\n".join(
        "  ".join(cell.ljust(w) for cell, w in zip(row, widths)).rstrip() for row in rows
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="task test-matrix --", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("--versions", default=",".join(MINORS), help="comma-separated minors")
    parser.add_argument(
        "--oldest-newest", action="store_true", help=f"only {MINORS[0]} and {MINORS[-1]}"
    )
    parser.add_argument("--jobs", type=int, default=1, help="versions run in parallel (default 1)")
    parser.add_argument("--include-peers", action="store_true", help="also the peer-backed tests")
    parser.add_argument("pytest_args", nargs="*", help="extra pytest arguments (after --)")
    args = parser.parse_args(argv)
    minors = [MINORS[0], MINORS[-1]] if args.oldest_newest else args.versions.split(",")
    files = sdk_test_files(args.include_peers)
    if not files:
        print("test-matrix: no SDK test files found", file=sys.stderr)
        return 2
    print(f"test-matrix: {len(files)} test files on Python {', '.join(minors)}:")
    for f in files:
        print(f"  {f.relative_to(ROOT)}")
    CACHE.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    with ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        results = list(pool.map(lambda m: run_tests(m, files, args.pytest_args), minors))
    print()
    print(table(results))
    print(f"\ntest-matrix: {time.perf_counter() - start:.1f}s wall")
    return 0 if all(r.ok for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
