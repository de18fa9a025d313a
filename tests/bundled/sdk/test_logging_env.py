"""``INFERENCE_GATEWAY_LOG=debug|info``: the package logger writes to stderr, the token masked.

Each case runs in a fresh interpreter: the switch is read once, at the first client built."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Optional

import pytest

from tests.fakegw import FakeGateway

GENERATED = Path(__file__).resolve().parents[3] / "generated"
TOKEN = "sk-log-secret-123"
SCRIPT = """
import sys
from inference_gateway import InferenceGatewayClient, Message, RetryConfig
client = InferenceGatewayClient(base_url=sys.argv[1], token=sys.argv[2],
                                retry=RetryConfig(initial_backoff=0.001, max_backoff=0.002))
client.create_chat_completion("m", [Message(role="user", content="hi")])
client.close()
"""


def _run(gateway: FakeGateway, level: Optional[str]) -> str:
    env = dict(os.environ)
    env.pop("INFERENCE_GATEWAY_LOG", None)
    # The package from this checkout, also where it is not installed (the Python matrix venvs).
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(GENERATED), env.get("PYTHONPATH")]))
    if level is not None:
        env["INFERENCE_GATEWAY_LOG"] = level
    # The first attempt fails with the token quoted back; the retry succeeds.
    gateway.enqueue("POST", "/v1/chat/completions", status=503, json={"error": f"bad {TOKEN}"})
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT, gateway.base_url, TOKEN],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert TOKEN not in done.stderr + done.stdout
    return done.stderr


def test_debug_logs_requests_and_retries(gateway: FakeGateway) -> None:
    err = _run(gateway, "DEBUG")
    assert f"POST {gateway.url}/v1/chat/completions" in err
    assert "retrying POST" in err and "INFO" in err and "DEBUG" in err
    assert "bad ***" in err  # the echoed token, masked


def test_info_logs_retries_only(gateway: FakeGateway) -> None:
    err = _run(gateway, "info")
    assert "retrying POST" in err
    assert "DEBUG" not in err


@pytest.mark.parametrize("level", [None, "verbose"])
def test_unset_or_unknown_logs_nothing(gateway: FakeGateway, level: Optional[str]) -> None:
    assert _run(gateway, level) == ""
