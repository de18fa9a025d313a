"""`./dev bump` on the gateway's published contract ends in a clear verdict, with the generic and the
bundled-shape tests reported apart; and `./dev` passes the commands' exit status through."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from .helpers import REPO

UPSTREAM = REPO.parent / "shared" / "upstream" / "gateway-openapi-2026-08.yaml"
COPIED = ("generator", "templates", "overlays", "specs", "generated", "scripts", "tests")
GENERIC = "tests/generator/test_operations.py tests/generator/test_python39.py"
BUNDLED = "tests/bundled/sdk/test_operations.py tests/bundled/sdk/test_errors.py tests/bundled/test_public_surface.py"


def _copy_repository(target: Path) -> Path:
    ignore = shutil.ignore_patterns("__pycache__", ".cache")
    for name in COPIED:
        shutil.copytree(REPO / name, target / name, ignore=ignore)
    shutil.copy(REPO / "pyproject.toml", target / "pyproject.toml")
    return target


def test_a_bump_to_the_gateways_current_contract_ends_in_a_verdict(tmp_path: Path) -> None:
    assert UPSTREAM.is_file(), f"the gateway's contract is expected at {UPSTREAM} (shared/ beside the checkout)"
    repo = _copy_repository(tmp_path / "repo")
    result = subprocess.run(
        [
            sys.executable,
            str(repo / "scripts" / "bump.py"),
            str(UPSTREAM),
            "--root",
            str(repo),
            "--pytest-args",
            "-q -p no:cacheprovider",
            "--generic-tests",
            GENERIC,
            "--bundled-tests",
            BUNDLED,
        ],
        cwd=repo,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    out = result.stdout + result.stderr
    # The SDK generated from the contract passes the generic tests; the previous bundled spec's
    # shape tests are reported on their own (they pass, or fail where the shapes changed).
    assert result.returncode in (0, 5), out
    assert (repo / "specs" / "openapi.yaml").read_bytes() == UPSTREAM.read_bytes()
    assert "== tests (generic: hold for any spec)" in result.stdout
    assert "== tests (bundled-shape: the previous spec's own shapes)" in result.stdout
    assert f"bump: verdict (exit {result.returncode}): " in out
    assert "bump: generic tests: passed; bundled-shape tests: " in result.stdout
    if result.returncode == 5:
        assert "update tests/bundled/ to the new shapes" in result.stderr


def test_an_invalid_spec_gives_its_exit_status_through_dev(tmp_path: Path) -> None:
    """`./dev` runs task with --exit-code: 2 (invalid spec) arrives as 2, not go-task's 201."""
    bad = tmp_path / "bad.yaml"
    bad.write_text("openapi: 3.1.0\ninfo: {title: t}\npaths: {}\n")
    result = subprocess.run(
        [str(REPO / "dev"), "validate", "--", "--spec", str(bad), "--no-cache"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 2, result.stdout + result.stderr
    assert "bad.yaml:2: at /info: 'version' is a required property" in result.stderr
