"""`python -m generator validate|generate|check|diff`."""

from __future__ import annotations

from .cli import run

if __name__ == "__main__":
    run()
