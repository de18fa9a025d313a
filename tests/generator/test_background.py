"""Background steps (validation, half of black) in a forked child: same output, same errors."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from generator.background import Background, Worker
from generator.load import SpecError

from .helpers import SPECS, run_cli, tree_bytes


def _fail(file: str) -> None:
    raise SpecError(file, "/paths", 7, "broken")


def _double(value: int) -> int:
    return value * 2


def test_results_and_located_errors_come_back_from_the_child() -> None:
    assert Background(_double, 21).result() == 42
    with pytest.raises(SpecError) as info:
        Background(_fail, "x.yaml").result()
    assert (info.value.file, info.value.pointer, info.value.line) == ("x.yaml", "/paths", 7)
    assert str(info.value) == "x.yaml:7: at /paths: broken"


def test_a_niced_step_runs_at_lower_priority_and_the_parent_keeps_its_own(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("IGW_GENERATOR_FORK", "on")
    before = os.nice(0)
    assert Background(os.nice, 0, nice=5).result() == min(before + 5, 19)
    assert os.nice(0) == before


def test_output_is_identical_with_and_without_forking(tmp_path: Path) -> None:
    for mode in ("on", "off"):
        result = run_cli(
            ["generate", "--no-cache", "--spec", str(SPECS / "hostile.yaml"), "--output", str(tmp_path / mode)],
            env={"IGW_GENERATOR_FORK": mode},
        )
        assert result.returncode == 0, result.stderr
    assert tree_bytes(tmp_path / "on") == tree_bytes(tmp_path / "off")


def test_an_invalid_spec_reports_the_validation_error_with_forking_off(tmp_path: Path) -> None:
    spec = tmp_path / "bad.yaml"
    spec.write_text(
        "openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths:\n  /x:\n    get:\n      responses: 7\n",
        encoding="utf-8",
    )
    for mode in ("on", "off"):
        result = run_cli(
            ["generate", "--no-cache", "--spec", str(spec), "--output", str(tmp_path / mode)],
            env={"IGW_GENERATOR_FORK": mode},
        )
        assert result.returncode == 1
        assert "bad.yaml:6: at /paths/~1x/get/responses" in result.stderr, result.stderr


def _big(size: int) -> str:
    return "x" * size


@pytest.mark.parametrize("mode", ["on", "off"])
def test_worker_runs_jobs_in_order_and_raises_the_first_error(
    mode: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("IGW_GENERATOR_FORK", mode)
    worker = Worker(lambda: None)
    # Payloads larger than a pipe's default buffer both ways: neither side may block.
    indexes = [worker.submit(_double, 4), worker.submit(_big, 300_000), worker.submit(_double, 5)]
    assert indexes == [0, 1, 2]
    assert worker.results() == [8, "x" * 300_000, 10]
    failing = Worker()
    failing.submit(_double, 1)
    failing.submit(_fail, "y.yaml")
    with pytest.raises(SpecError) as info:
        failing.results()
    assert str(info.value) == "y.yaml:7: at /paths: broken"
    unused = Worker()
    unused.submit(_double, 2)
    unused.close()  # the parent failed: results are dropped, the child is reaped
