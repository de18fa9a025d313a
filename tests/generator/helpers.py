"""Run the generator through its real CLI and run generated packages in fresh interpreters."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Dict, Optional, Sequence

REPO = Path(__file__).resolve().parents[2]
SPECS = Path(__file__).resolve().parent / "specs"
SEED003 = REPO / "tests" / "specs" / "seed003_openapi.yaml"
MAIN_SPEC = REPO / "specs" / "openapi.yaml"


def run_cli(args: Sequence[str], *, env: Optional[Dict[str, str]] = None) -> subprocess.CompletedProcess[str]:
    """`python -m generator <args>` from the repository root."""
    full_env = dict(os.environ)
    full_env.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "generator", *args],
        cwd=REPO,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=240,
    )


def generate(spec: Path, output: Path, package: str = "inference_gateway", *extra: str) -> subprocess.CompletedProcess[str]:
    result = run_cli(
        ["generate", "--spec", str(spec), "--output", str(output), "--package-name", package, *extra]
    )
    assert result.returncode == 0, f"generate failed:\n{result.stdout}\n{result.stderr}"
    return result


def run_python(code: str, *paths: Path, cwd: Optional[Path] = None, python: str = sys.executable) -> str:
    """Run `code` in a new interpreter with only `paths` added to sys.path; returns stdout."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(str(p) for p in paths)
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    result = subprocess.run(
        [python, "-c", textwrap.dedent(code)],
        cwd=cwd or REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, f"subprocess failed:\n{result.stdout}\n{result.stderr}"
    return result.stdout


def tree_bytes(root: Path) -> Dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and "__pycache__" not in p.parts
    }
