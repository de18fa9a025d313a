"""`task bump -- NEW_SPEC` (scripts/bump.py) on a temp copy of the repository layout."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any, Dict

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
COPIED = ("generator", "templates", "overlays", "specs", "generated", "scripts")


def snapshot(root: Path) -> Dict[str, bytes]:
    files = {}
    for top in ("specs", "generated"):
        for path in sorted((root / top).rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                files[str(path.relative_to(root))] = path.read_bytes()
    return files


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    copy = tmp_path / "repo"
    copy.mkdir()
    for name in COPIED:
        shutil.copytree(ROOT / name, copy / name, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", copy / "pyproject.toml")
    (copy / "tests").mkdir()
    return copy


def bump(repo: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(repo / "scripts" / "bump.py"), "--root", str(repo), *args],
        cwd=repo,
        capture_output=True,
        text=True,
        check=False,
    )


def bundled(repo: Path) -> Dict[str, Any]:
    data: Dict[str, Any] = yaml.safe_load((repo / "specs" / "openapi.yaml").read_text())
    return data


def test_invalid_spec_leaves_everything_untouched(repo: Path, tmp_path: Path) -> None:
    before = snapshot(repo)
    spec = bundled(repo)
    spec["paths"]["/v1/models"]["get"]["responses"] = "not a responses object"
    bad = tmp_path / "bad.yaml"
    bad.write_text(yaml.safe_dump(spec))
    result = bump(repo, str(bad))
    assert result.returncode == 2
    assert "bad.yaml" in result.stderr + result.stdout and "nothing was changed" in result.stderr
    assert snapshot(repo) == before


def test_breaking_bump_can_be_refused(repo: Path, tmp_path: Path) -> None:
    before = snapshot(repo)
    spec = bundled(repo)
    del spec["paths"]["/v1/models"]
    new = tmp_path / "new.yaml"
    new.write_text(yaml.safe_dump(spec, sort_keys=False))
    result = bump(repo, str(new), "--fail-on-breaking")
    assert result.returncode == 1
    assert "BREAKING" in result.stdout and "method list_models" in result.stdout
    assert snapshot(repo) == before


def test_bump_replaces_regenerates_and_runs_the_tests(repo: Path, tmp_path: Path) -> None:
    spec = bundled(repo)
    spec["paths"].setdefault("/v1/metrics", {})["get"] = {  # beside the bundled POST, if any
        "operationId": "getMetrics",
        "responses": {
            "200": {
                "description": "m",
                "content": {"text/plain": {"schema": {"type": "string"}}},
            }
        },
    }
    new = tmp_path / "new.yaml"
    new.write_text(yaml.safe_dump(spec, sort_keys=False))
    (repo / "tests" / "test_bumped.py").write_text(
        "import inference_gateway\n\n"
        "def test_new_method():\n"
        "    assert callable(inference_gateway.InferenceGatewayClient.get_metrics)\n"
        "    assert callable(inference_gateway.AsyncInferenceGatewayClient.get_metrics)\n"
    )
    result = bump(
        repo,
        str(new),
        "--fail-on-breaking",
        "--pytest-args",
        "-q -p no:cacheprovider tests/test_bumped.py",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    out = result.stdout
    assert "new method `get_metrics` (GET /v1/metrics)" in out
    assert (
        out.index("== validate")
        < out.index("== changelog")
        < out.index("== generate")
        < out.index("== tests")
    )
    assert "1 passed" in out
    assert (repo / "specs" / "openapi.yaml").read_bytes() == new.read_bytes()
    assert (
        "def get_metrics("
        in (repo / "generated" / "inference_gateway" / "_operations.py").read_text()
    )
