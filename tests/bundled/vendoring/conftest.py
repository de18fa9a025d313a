"""A vendored copy of the SDK: generated with the repository's CLI as ``myapp._vendor.igw``."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

import pytest

from tests.generator.helpers import MAIN_SPEC, generate

ROOT = Path(__file__).resolve().parents[3]
VENDORED = "myapp._vendor.igw"


@dataclass(frozen=True)
class Vendored:
    root: Path
    """Directory to put on sys.path (holds ``myapp/``)."""
    package_dir: Path
    """``root/myapp/_vendor/igw``."""
    reference: Path
    """The same sources generated as ``inference_gateway`` right after, for comparison."""
    name: str = VENDORED


@pytest.fixture(scope="session")
def vendored(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Vendored]:
    root = tmp_path_factory.mktemp("vendorapp")
    vendor_dir = root / "myapp" / "_vendor"
    vendor_dir.mkdir(parents=True)
    (root / "myapp" / "__init__.py").write_text('"""An application that vendors the SDK."""\n')
    (vendor_dir / "__init__.py").write_text("")
    generate(MAIN_SPEC, vendor_dir, "igw")
    # Generated back to back so that both see the same templates and overlays.
    reference = tmp_path_factory.mktemp("reference")
    generate(MAIN_SPEC, reference, "inference_gateway")
    sys.path.insert(0, str(root))
    yield Vendored(
        root=root, package_dir=vendor_dir / "igw", reference=reference / "inference_gateway"
    )
    sys.path.remove(str(root))
