"""Write requirements/dev.lock: the exact versions pip resolves for the dev extra today.

    task lock [-- --python python3.11]

Resolves ``.[dev]`` in a scratch venv (so nothing installed by hand leaks in) and writes
``pip freeze`` of it, minus the project itself, under a header. ``./dev`` installs with
``pip install -c requirements/dev.lock``, and reinstalls when the lock changes. Review the diff:
a new black or datamodel-code-generator changes the generated code (run ``./dev generate``).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

from pythons import venv_python

ROOT = Path(__file__).resolve().parents[1]
LOCK = ROOT / "requirements" / "dev.lock"
HEADER = """\
# Exact versions of everything the dev extra installs (./dev installs with `pip install -c` this file).
# The drift check compares bytes: black, datamodel-code-generator and what they use decide the
# generated code, and ruff/mypy decide what lint accepts. Refresh: ./dev lock (after changing pyproject).
"""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="task lock --", description=__doc__.split("\n\n")[0])
    parser.add_argument("--python", default=sys.executable, help="interpreter of the scratch venv")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="igw-lock-") as scratch:
        venv = Path(scratch) / "venv"
        subprocess.run([args.python, "-m", "venv", str(venv)], check=True)
        python = str(venv_python(venv))
        pip = [python, "-m", "pip", "--disable-pip-version-check"]
        subprocess.run([*pip, "install", "-q", f"{ROOT}[dev]"], check=True)
        frozen = subprocess.run(
            [*pip, "freeze", "--exclude", "inference-gateway"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
    LOCK.parent.mkdir(parents=True, exist_ok=True)
    LOCK.write_text(HEADER + frozen, encoding="utf-8")
    print(f"wrote {LOCK.relative_to(ROOT)} ({len(frozen.splitlines())} packages)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
