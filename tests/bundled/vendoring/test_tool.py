"""The generator installed as a dev tool (tools/generator-dist) runs the drift check on a vendored
copy from outside this repository, the way another repository's CI would."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Dict

import pytest

from tests.bundled.vendoring.conftest import ROOT, Vendored

DIST = ROOT / "tools" / "generator-dist"
TOOL = "inference-gateway-generator"


def _clean_env() -> Dict[str, str]:
    return {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}


@pytest.fixture(scope="session")
def tool_venv() -> Path:
    """A venv with the tool installed from the current sources.

    Dependencies are installed once per version of the dist's pyproject (cached under
    .cache/vendoring); the tool itself is reinstalled on every run so it is today's code.
    """
    key = hashlib.sha256((DIST / "pyproject.toml").read_bytes()).hexdigest()[:12]
    venv = ROOT / ".cache" / "vendoring" / f"tool-{key}"
    python = venv / "bin" / "python"
    pip = [str(python), "-m", "pip", "install", "-q", "--disable-pip-version-check"]
    env = _clean_env()
    if not (venv / ".deps-installed").exists():
        shutil.rmtree(venv, ignore_errors=True)
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        subprocess.run([*pip, "hatchling>=1.24", str(DIST)], check=True, env=env)
        (venv / ".deps-installed").touch()
    subprocess.run(
        [*pip, "--no-deps", "--no-build-isolation", "--force-reinstall", str(DIST)],
        check=True,
        env=env,
    )
    return venv


def tool(venv: Path, cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(venv / "bin" / TOOL), *args],
        cwd=cwd,
        env=_clean_env(),
        capture_output=True,
        text=True,
        check=False,
    )


def test_tool_is_self_contained(tool_venv: Path, tmp_path: Path) -> None:
    where = subprocess.run(
        [
            str(tool_venv / "bin" / "python"),
            "-c",
            "import generator.pipeline as p; print(p.DEFAULT_SPEC)",
        ],
        cwd=tmp_path,
        env=_clean_env(),
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    assert where.startswith(str(tool_venv)) and Path(where).is_file()
    result = tool(tool_venv, tmp_path, "validate")
    assert result.returncode == 0, result.stderr
    assert "specs/openapi.yaml: valid" in result.stdout


def test_installed_check_on_a_vendored_copy(
    tool_venv: Path, vendored: Vendored, tmp_path: Path
) -> None:
    # Another repository: its own copy of the vendored package, no checkout of ours beside it.
    other = tmp_path / "other-repo"
    shutil.copytree(vendored.root, other, ignore=shutil.ignore_patterns("__pycache__"))
    output = other / "myapp" / "_vendor"
    result = tool(tool_venv, other, "check", "--output", str(output), "--package-name", "igw")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "up to date" in result.stdout

    client = output / "igw" / "_client.py"
    client.write_text(client.read_text() + "\n# a local edit\n")
    result = tool(tool_venv, other, "check", "--output", str(output), "--package-name", "igw")
    assert result.returncode == 1
    assert "changed: _client.py" in result.stdout and "-# a local edit" in result.stdout


def test_installed_generate_matches_the_repository(
    tool_venv: Path, vendored: Vendored, tmp_path: Path
) -> None:
    result = tool(
        tool_venv, tmp_path, "generate", "--output", str(tmp_path / "out"), "--package-name", "igw"
    )
    assert result.returncode == 0, result.stderr

    def tree(root: Path) -> Dict[str, bytes]:
        return {
            p.relative_to(root).as_posix(): p.read_bytes()
            for p in root.rglob("*")
            if p.is_file() and "__pycache__" not in p.parts
        }

    assert tree(tmp_path / "out" / "igw") == tree(vendored.package_dir)


def test_installed_diff(tool_venv: Path, tmp_path: Path) -> None:
    old = ROOT / "tests" / "specs" / "seed003_openapi.yaml"
    new = ROOT / "specs" / "openapi.yaml"
    result = tool(tool_venv, tmp_path, "diff", str(old), str(new), "--fail-on-breaking")
    assert result.returncode == 1
    assert "renamed to `create_chat_completion`" in result.stdout
