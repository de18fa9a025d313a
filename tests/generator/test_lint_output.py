"""Generated modules pass ruff and mypy --strict for every kind of spec, not only the bundled one."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from .helpers import REPO, SEED003, SPECS, generate

GENERATED_MODULES = ("_operations.py", "models.py", "__init__.py", "_client.py")


@pytest.mark.parametrize(
    "spec",
    [SPECS / "hostile.yaml", SPECS / "minimal.json", SPECS / "components_only.yaml", SPECS / "uploads.yaml", SEED003],
    ids=lambda p: p.name,
)
def test_generated_modules_pass_ruff_and_mypy_strict(spec: Path, tmp_path: Path) -> None:
    generate(spec, tmp_path, "lint_pkg")
    files = [str(tmp_path / "lint_pkg" / name) for name in GENERATED_MODULES]
    ruff = subprocess.run(
        [str(REPO / ".venv" / "bin" / "ruff"), "check", "--config", str(REPO / "pyproject.toml"), *files],
        capture_output=True,
        text=True,
    )
    assert ruff.returncode == 0, ruff.stdout + ruff.stderr
    mypy = subprocess.run(
        [sys.executable, "-m", "mypy", "--config-file", str(REPO / "pyproject.toml"),
         "--follow-imports=silent", "--no-incremental", *files],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert mypy.returncode == 0, mypy.stdout + mypy.stderr
