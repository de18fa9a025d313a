"""Find an installed CPython of a given minor version (``"3.9"``) on any machine.

Looked for, first found wins:

1. ``IGW_PYTHON_3_9`` (one variable per minor): an interpreter path, taken as given;
2. pyenv: ``$PYENV_ROOT``, else ``pyenv root``, else ``~/.pyenv``: ``versions/3.9.*`` (newest patch);
3. ``python3.9`` on ``PATH`` (setup-python, Homebrew, deadsnakes, uv shims, pyenv shims);
4. the Windows launcher: ``py -3.9``;
5. common prefixes: ``/usr/local/bin``, ``/usr/bin``, ``/opt/homebrew/bin``, ``/opt/python/*/bin``,
   ``~/.local/share/uv/python/cpython-3.9.*/bin``, ``%LOCALAPPDATA%\\Programs\\Python\\Python39``.

Every candidate but the override is run once to check that it is that minor version; found
through a launcher or a shim, the interpreter's own path (``sys.executable``) is returned.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from functools import cache
from pathlib import Path
from typing import Iterator, List, Optional, Tuple

_PROBE = "import sys; print('%d.%d' % sys.version_info[:2]); print(sys.executable)"


def _probe(command: List[str]) -> Optional[Tuple[str, Path]]:
    """(minor, sys.executable) of the interpreter ``command`` starts, or None."""
    try:
        proc = subprocess.run(
            [*command, "-c", _PROBE], capture_output=True, text=True, timeout=20, check=False
        )
    except (OSError, subprocess.SubprocessError):
        return None
    lines = proc.stdout.split()
    if proc.returncode != 0 or len(lines) < 2:
        return None
    return lines[0], Path(" ".join(lines[1:]))


def pyenv_root() -> Optional[Path]:
    if os.environ.get("PYENV_ROOT"):
        return Path(os.environ["PYENV_ROOT"])
    pyenv = shutil.which("pyenv")
    if pyenv:
        proc = subprocess.run([pyenv, "root"], capture_output=True, text=True, check=False)
        if proc.returncode == 0 and proc.stdout.strip():
            return Path(proc.stdout.strip())
    home = Path.home() / ".pyenv"
    return home if home.is_dir() else None


def _patch(path: Path, minor: str) -> int:
    rest = path.name[len(minor) + 1 :].split("-")[0]
    return int(rest) if rest.isdigit() else -1


def _newest(directories: List[Path], minor: str) -> Iterator[Path]:
    """Install directories named ``<minor>.<patch>...``, newest patch first."""
    return iter(sorted(directories, key=lambda d: _patch(d, minor), reverse=True))


def _candidates(minor: str) -> Iterator[Tuple[List[str], bool]]:
    """(command, resolve to sys.executable) in the order of the module docstring."""
    root = pyenv_root()
    if root is not None:
        versions = [d for d in (root / "versions").glob(f"{minor}.*") if _patch(d, minor) >= 0]
        for directory in _newest(versions, minor):
            for exe in (directory / "bin" / "python", directory / "python.exe"):
                if exe.exists():
                    yield [str(exe)], False  # the install's own path: stable across patch shims
    on_path = shutil.which(f"python{minor}")
    if on_path:
        yield [on_path], True
    launcher = shutil.which("py")
    if launcher:
        yield [launcher, f"-{minor}"], True
    prefixes = [Path("/usr/local/bin"), Path("/usr/bin"), Path("/opt/homebrew/bin")]
    prefixes += sorted(Path("/opt/python").glob("*/bin")) if Path("/opt/python").is_dir() else []
    uv = Path.home() / ".local" / "share" / "uv" / "python"
    prefixes += [d / "bin" for d in _newest(list(uv.glob(f"cpython-{minor}.*")), f"cpython-{minor}")]
    for prefix in prefixes:
        exe = prefix / f"python{minor}"
        if exe.exists():
            yield [str(exe)], True
    local = os.environ.get("LOCALAPPDATA")
    if local:
        exe = Path(local) / "Programs" / "Python" / f"Python{minor.replace('.', '')}" / "python.exe"
        if exe.exists():
            yield [str(exe)], False


@cache
def find_python(minor: str) -> Optional[Path]:
    """The interpreter of CPython ``minor`` (e.g. ``"3.12"``), or None when none is installed."""
    override = os.environ.get(f"IGW_PYTHON_{minor.replace('.', '_')}")
    if override:
        return Path(override)
    for command, resolve in _candidates(minor):
        found = _probe(command)
        if found is not None and found[0] == minor:
            return found[1] if resolve else Path(command[0])
    running = f"{sys.version_info[0]}.{sys.version_info[1]}"
    return Path(sys.executable) if running == minor else None


def where_looked(minor: str) -> str:
    """For messages: where ``find_python`` searched."""
    return (
        f"IGW_PYTHON_{minor.replace('.', '_')}, pyenv ({pyenv_root() or 'not installed'}), "
        f"python{minor} on PATH, py -{minor}, common prefixes"
    )


def venv_python(venv: Path) -> Path:
    """The interpreter inside a virtual environment (``bin/python``, ``Scripts\\python.exe``)."""
    if os.name == "nt":
        return venv / "Scripts" / "python.exe"
    return venv / "bin" / "python"
