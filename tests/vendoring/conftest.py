"""A vendored copy of the SDK: generated with the repository's CLI as ``myapp._vendor.igw``."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

import pytest

ROOT = Path(__file__).resolve().parents[2]
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


def generate(output: Path, package: str, *extra: str) -> None:
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "generator",
            "generate",
            "--output",
            str(output),
            "--package-name",
            package,
            *extra,
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.fixture(scope="session")
def vendored(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Vendored]:
    root = tmp_path_factory.mktemp("vendorapp")
    vendor_dir = root / "myapp" / "_vendor"
    vendor_dir.mkdir(parents=True)
    (root / "myapp" / "__init__.py").write_text('"""An application that vendors the SDK."""\n')
    (vendor_dir / "__init__.py").write_text("")
    generate(vendor_dir, "igw")
    # Generated back to back so that both see the same templates and overlays.
    reference = tmp_path_factory.mktemp("reference")
    generate(reference, "inference_gateway")
    sys.path.insert(0, str(root))
    yield Vendored(
        root=root, package_dir=vendor_dir / "igw", reference=reference / "inference_gateway"
    )
    sys.path.remove(str(root))
