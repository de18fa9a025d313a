"""Fixtures of the A2A tests: the official a2a-sdk echo agent running on 127.0.0.1."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Iterator

import pytest

from tests.peers import free_port, peer_python, wait_for_http

ECHO_AGENT = Path(__file__).with_name("echo_agent.py")


@pytest.fixture(scope="session")
def echo_agent(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Base URL of the echo agent (a2a-sdk 1.3.0, both protocol versions, streaming on)."""
    python = peer_python("a2a")
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    log = tmp_path_factory.mktemp("a2a") / "echo_agent.log"
    with open(log, "wb") as sink:  # a file, not a pipe: the agent logs every JSON-RPC error
        proc = subprocess.Popen(
            [str(python), str(ECHO_AGENT), str(port)],
            cwd=str(tmp_path_factory.getbasetemp()),
            env=env,
            stdout=sink,
            stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for_http(f"{base}/.well-known/agent-card.json", timeout=60, proc=proc)
    except (TimeoutError, RuntimeError):
        proc.kill()
        proc.wait(timeout=10)
        sys.stderr.write(log.read_text("utf-8", "replace"))
        raise
    try:
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)
