"""A script written for the official inference-gateway 0.22.0 (examples/official_sdk_style.py:
Responses, a streamed Messages answer, Images) runs unchanged on this SDK, and prints what it
prints on the official one, both against the fake gateway."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.fakegw import FakeGateway
from tests.peers import peer_python

ROOT = Path(__file__).resolve().parents[3]
SCRIPT = ROOT / "examples" / "official_sdk_style.py"
EXPECTED = [
    "response: echo: What is Python?",
    "response stream: echo: Tell me a story.",
    "stop reason: end_turn",
    "message stream: echo: Hello",
    "image: https://images.example/fake-0.png",
    "edited: 1",
]


def run_script(python: Path, gateway: FakeGateway, pythonpath: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    if pythonpath:
        env["PYTHONPATH"] = pythonpath
    return subprocess.run(
        [str(python), str(SCRIPT), gateway.base_url], env=env, capture_output=True, text=True, timeout=120
    )


def test_the_official_style_script_runs_on_ours(gateway: FakeGateway) -> None:
    done = run_script(Path(sys.executable), gateway, str(ROOT / "generated"))
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[:-1] == EXPECTED
    assert lines[-1].startswith("error: ") and "responses are not supported for provider groq" in lines[-1]
    paths = [r.path for r in gateway.requests]
    assert "/v1/images/edits" in paths and "/v1/messages" in paths
    upload = next(r for r in gateway.requests if r.path == "/v1/images/edits")
    assert upload.form["image"].filename == "photo.png" and upload.form["image"].content_type == "image/png"


def test_the_official_sdk_prints_the_same(gateway: FakeGateway) -> None:
    try:
        python = peer_python("official")
    except (subprocess.SubprocessError, OSError) as exc:  # offline: the peer cannot be built
        pytest.fail(f"the official SDK's venv is unavailable: {exc}")
    done = run_script(python, gateway, "")
    # The official 0.22.0 rejects Anthropic's real message_start (`stop_reason: null`): its
    # Messages stream fails where ours runs; everything before it prints the same.
    assert done.stdout.splitlines()[:2] == EXPECTED[:2]
    assert "stop_reason" in done.stderr and done.returncode != 0
