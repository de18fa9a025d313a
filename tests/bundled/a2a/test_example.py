"""examples/a2a_echo.py stays runnable: run it against the real echo agent in both versions."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import inference_gateway
import pytest

EXAMPLE = Path(__file__).resolve().parents[3] / "examples" / "a2a_echo.py"


@pytest.mark.timeout(120)
@pytest.mark.parametrize("extra", [[], ["--protocol", "0.3"]], ids=["discovered-1.0", "0.3"])
def test_example_runs(echo_agent: str, extra: list) -> None:
    package_dir = str(Path(inference_gateway.__file__).resolve().parents[1])
    env = dict(
        os.environ, PYTHONPATH=os.pathsep.join([package_dir, os.environ.get("PYTHONPATH", "")])
    )
    done = subprocess.run(
        [sys.executable, str(EXAMPLE), echo_agent + "/", *extra],
        env=env,
        capture_output=True,
        text=True,
        timeout=100,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "artifact echo: Hello, agent!" in done.stdout
    assert "[artifact] Stream this back" in done.stdout
    assert "canceled: TASK_STATE_CANCELED" in done.stdout
    assert f"speaking A2A {'0.3' if extra else '1.0'}" in done.stdout
