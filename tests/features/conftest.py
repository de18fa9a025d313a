"""Packages generated from other specs, imported in this process under their own names."""

from __future__ import annotations

import importlib
import sys
from pathlib import Path
from types import ModuleType
from typing import Iterator

import pytest

from tests.generator.helpers import REPO, generate

UPSTREAM = REPO.parent / "shared" / "upstream" / "gateway-openapi-2026-08.yaml"
PETSTORE = Path(__file__).resolve().parent / "specs" / "petstore.yaml"


@pytest.fixture(scope="session")
def upstream_sdk(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    """The SDK generated from the gateway's published contract (package `upstream_sdk`)."""
    if not UPSTREAM.is_file():
        pytest.fail(f"{UPSTREAM} is missing: the upstream contract lives in ../shared/upstream/")
    out = tmp_path_factory.mktemp("upstream")
    generate(UPSTREAM, out, "upstream_sdk")
    sys.path.insert(0, str(out))
    try:
        yield importlib.import_module("upstream_sdk")
    finally:
        sys.path.remove(str(out))
