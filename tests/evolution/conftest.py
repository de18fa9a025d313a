"""Fixtures: SDKs generated from the evolution specs with the real CLI, and a recording server."""

from __future__ import annotations

import importlib
import sys
from pathlib import Path
from types import ModuleType
from typing import Callable, Dict, Iterator

import pytest

from tests.evolution.server import RecordingServer
from tests.generator.helpers import generate

ROOT = Path(__file__).resolve().parents[2]
SPECS = Path(__file__).parent / "specs"
VERSIONS = sorted(p.stem for p in SPECS.glob("v*.yaml"))


@pytest.fixture(scope="session")
def evolution_sdk(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[Callable[[str], ModuleType]]:
    """`evolution_sdk("v1_responses_messages")` -> the imported package generated from that spec."""
    out = tmp_path_factory.mktemp("evolution")
    sys.path.insert(0, str(out))
    cache: Dict[str, ModuleType] = {}

    def get(version: str) -> ModuleType:
        if version not in cache:
            package = f"evo_{version}"
            # The evolving spec is the gateway's: keep its client name across versions.
            generate(SPECS / f"{version}.yaml", out, package, "--client-name", "InferenceGatewayClient")
            cache[version] = importlib.import_module(package)
        return cache[version]

    yield get
    sys.path.remove(str(out))
    for name in list(sys.modules):
        if name.startswith("evo_"):
            del sys.modules[name]


@pytest.fixture(scope="session")
def recording_server() -> Iterator[RecordingServer]:
    server = RecordingServer().start()
    yield server
    server.stop()


@pytest.fixture
def server(recording_server: RecordingServer) -> RecordingServer:
    recording_server.reset()
    return recording_server
