"""Cached virtual environments for third-party peers (servers and benchmark baselines).

Peers are never dependencies of the SDK: each lives in its own venv under
``~/.cache/inference-gateway-sdk/peers/`` (override with ``IGW_PEERS_DIR``), built once from PyPI
and reused by later test runs, CI runs on the same machine and the benchmarks.
"""

from __future__ import annotations

import hashlib
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Tuple

from generator.write import exclusive_lock
from scripts import pythons


@dataclass(frozen=True)
class Peer:
    """A third-party package set and the interpreter it needs."""

    requirements: Tuple[str, ...]
    python: str = "3.11"


PEERS = {
    # 1.110.x[proxy] needs `litellm-proxy`, and 1.108.6-1.108.14 need litellm-proxy-extras /
    # litellm-enterprise releases, that the package index here does not have: 1.108.5 is the
    # newest release whose proxy extra resolves here.
    "litellm": Peer(("litellm[proxy]==1.108.5",), python="3.12"),
    "a2a": Peer(("a2a-sdk[http-server]==1.3.0", "uvicorn")),
    "official": Peer(("inference-gateway==0.22.0", "httpx"), python="3.12"),
    "openai": Peer(("openai", "httpx")),
    "openapi-python-client": Peer(("openapi-python-client",)),
    # The SDK's own runtime dependencies on the oldest supported Python: generated code must run there.
    "sdk-py39": Peer(("httpx>=0.27,<1", "pydantic>=2.7,<3"), python="3.9"),
}


def peers_dir() -> Path:
    return Path(os.environ.get("IGW_PEERS_DIR", Path.home() / ".cache" / "inference-gateway-sdk" / "peers"))


def find_python(version: str) -> Path:
    """The installed CPython ``version`` (e.g. ``"3.12"``): see scripts/pythons.py for where."""
    found = pythons.find_python(version)
    if found is None:
        raise FileNotFoundError(f"no Python {version} found (looked in {pythons.where_looked(version)})")
    return found


def peer_python(name: str) -> Path:
    """Return the interpreter of the peer's venv, building the venv first if needed."""
    peer = PEERS[name]
    base = find_python(peer.python)
    key = hashlib.sha256("\n".join((str(base), *peer.requirements)).encode()).hexdigest()[:12]
    venv = peers_dir() / f"{name}-{key}"
    exe = pythons.venv_python(venv)
    marker = venv / ".complete"
    with exclusive_lock(peers_dir() / f"{name}.lock"):
        if not marker.exists():
            subprocess.run([str(base), "-m", "venv", "--clear", str(venv)], check=True)
            subprocess.run(
                [str(exe), "-m", "pip", "install", "--disable-pip-version-check", "-q", *peer.requirements],
                check=True,
            )
            marker.write_text("\n".join(peer.requirements) + "\n")
    return exe


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for_http(url: str, timeout: float, proc: subprocess.Popen[bytes] | None = None) -> None:
    """Poll ``url`` until it answers (any HTTP status) or ``timeout`` seconds pass."""
    deadline = time.monotonic() + timeout
    last: Exception | None = None
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"peer exited with code {proc.returncode} before {url} answered")
        try:
            urllib.request.urlopen(url, timeout=2).close()
            return
        except urllib.error.HTTPError:
            return
        except (urllib.error.URLError, ConnectionError, OSError) as exc:
            last = exc
            time.sleep(0.2)
    raise TimeoutError(f"{url} did not answer within {timeout:.0f}s: {last}")


def stop_process(proc: subprocess.Popen[bytes], timeout: float = 10.0) -> None:
    """Terminate a peer server, killing it if it does not exit within ``timeout`` seconds."""
    proc.terminate()
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=timeout)


if __name__ == "__main__":
    # `python -m tests.peers NAME...` prebuilds peer venvs (used by the Taskfile and CI).
    for peer_name in sys.argv[1:] or list(PEERS):
        print(f"{peer_name}: {peer_python(peer_name)}")
