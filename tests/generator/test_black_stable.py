"""The generator formats each module with `black.format_str`; the output must be a black fixed
point (formatting it again changes nothing) on every kind of spec, or `check` would flap."""

from __future__ import annotations

from pathlib import Path

import pytest
from black import format_str

from generator.write import black_mode

from .helpers import MAIN_SPEC, REPO, SEED003, SPECS, generate

EVOLUTION = sorted((REPO / "tests" / "evolution" / "specs").glob("*.yaml"))
FORMATTED = ("_operations.py", "models.py", "params.py", "__init__.py", "_client.py", "a2a/models.py", "a2a/client.py")


@pytest.mark.parametrize(
    "spec",
    [MAIN_SPEC, SPECS / "hostile.yaml", SPECS / "minimal.json", SPECS / "components_only.yaml", SPECS / "uploads.yaml", SEED003, *EVOLUTION],
    ids=lambda p: p.name,
)
def test_generated_modules_are_black_fixed_points(spec: Path, tmp_path: Path) -> None:
    generate(spec, tmp_path, "stable_pkg", "--no-cache")
    mode = black_mode()
    for name in FORMATTED:
        path = tmp_path / "stable_pkg" / name
        if not path.exists():  # a2a/models.py: only with the A2A spec
            continue
        source = path.read_text(encoding="utf-8")
        assert format_str(source, mode=mode) == source, f"{spec.name}: {name} is not black-stable"
