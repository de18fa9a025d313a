"""The guide's first line stays cheap: heavy modules load on the first request, not at import.

Timings are never asserted (the machine is shared); which modules a fresh interpreter has loaded
after the import is deterministic, and is what keeps the import time down.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.fakegw import FakeGateway

GENERATED = Path(__file__).resolve().parents[3] / "generated"
IMPORT = "from inference_gateway import InferenceGatewayClient, Message"
#: Loaded by neither pydantic nor the package import; each costs milliseconds (httpx ~60 ms).
DEFERRED = ("httpx", "anyio", "logging", "asyncio", "concurrent.futures")


def _loaded_after(code: str) -> dict:
    probe = f"import json, sys\n{code}\nprint(json.dumps({{m: m in sys.modules for m in {DEFERRED!r}}}))"
    env = dict(os.environ, PYTHONPATH=str(GENERATED))
    proc = subprocess.run(
        [sys.executable, "-c", probe], env=env, capture_output=True, text=True, timeout=60
    )
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout.splitlines()[-1])


def test_guide_import_defers_heavy_modules() -> None:
    loaded = _loaded_after(IMPORT)
    assert not any(
        loaded.values()
    ), f"imported by `{IMPORT}`: {[m for m, v in loaded.items() if v]}"


def test_first_request_after_lean_import(gateway: FakeGateway) -> None:
    """httpx (and the logger) arrive with the first client and request, in a fresh process."""
    code = (
        f"{IMPORT}\n"
        f"client = InferenceGatewayClient({gateway.base_url!r})\n"
        "assert client.health_check() is True\n"
        "assert client.list_models().object == 'list'\n"
        "client.close()"
    )
    loaded = _loaded_after(code)
    assert loaded["httpx"] and loaded["logging"]
