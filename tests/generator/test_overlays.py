"""Overlay modules are copied into the package verbatim (black is not run on them: it was the
slowest step of a cold generation), so they must already be black-formatted with the
generator's settings."""

from __future__ import annotations

from pathlib import Path

import pytest
from black import format_str

from generator.formatting import black_mode

OVERLAYS = Path(__file__).resolve().parents[2] / "overlays"
FILES = sorted(p.relative_to(OVERLAYS).as_posix() for p in OVERLAYS.rglob("*.py"))


@pytest.mark.parametrize("rel", FILES)
def test_overlay_is_black_formatted(rel: str) -> None:
    source = (OVERLAYS / rel).read_text(encoding="utf-8")
    assert format_str(source, mode=black_mode()) == source, (
        f"overlays/{rel} is not black-formatted: run "
        f"`black -l 100 -t py39 overlays/{rel}` (the generator copies overlays verbatim)"
    )
