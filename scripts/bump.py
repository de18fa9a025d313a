"""Spec bump: validate a new openapi.yaml, show what changes for SDK users, adopt it, regenerate, test.

    task bump -- path/to/new/openapi.yaml [--fail-on-breaking] [--no-tests] [--pytest-args "..."]

Steps, each one only when the previous succeeded:

1. validate the new spec (same checks as ``python -m generator validate``); on failure nothing in
   the repository is touched;
2. print the changelog against the bundled ``specs/openapi.yaml`` (``python -m generator diff``);
   with ``--fail-on-breaking`` stop here when any change is breaking;
3. replace ``specs/openapi.yaml`` (atomically);
4. regenerate ``generated/`` (``python -m generator generate``); if that fails the old spec is put
   back, and ``generated/`` is untouched because the generator replaces it atomically;
5. run the tests (``pytest``, or ``--pytest-args``), unless ``--no-tests``.

``--root`` points at another checkout (the tests use a temp copy of the repository layout).
"""

from __future__ import annotations

import argparse
import os
import shlex
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def run(step: str, command: list[str], root: Path) -> int:
    print(f"\n== {step}: {' '.join(shlex.quote(c) for c in command)}", flush=True)
    return subprocess.run(command, cwd=root, check=False).returncode


def replace_file(target: Path, data: bytes) -> None:
    """Write ``data`` to ``target`` via a temp file in the same directory and ``os.replace``."""
    handle, temp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.replace(temp, target)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="task bump --", description=__doc__.split("\n\n")[0])
    parser.add_argument("new_spec", type=Path, help="the new openapi.yaml (YAML or JSON)")
    parser.add_argument(
        "--root", type=Path, default=ROOT, help="repository root (default: this one)"
    )
    parser.add_argument(
        "--fail-on-breaking",
        action="store_true",
        help="stop before replacing when any change is breaking",
    )
    parser.add_argument("--no-tests", action="store_true", help="skip the test run")
    parser.add_argument("--pytest-args", default="-q", help='arguments for pytest (default: "-q")')
    args = parser.parse_args(argv)
    root: Path = args.root.resolve()
    new_spec: Path = args.new_spec.resolve()
    bundled = root / "specs" / "openapi.yaml"
    python = sys.executable

    if not new_spec.is_file():
        print(f"bump: {new_spec}: no such file", file=sys.stderr)
        return 2
    if run("validate", [python, "-m", "generator", "validate", "--spec", str(new_spec)], root) != 0:
        print(f"bump: {new_spec} is not a valid spec; nothing was changed", file=sys.stderr)
        return 1
    diff = [python, "-m", "generator", "diff", str(bundled), str(new_spec)]
    if args.fail_on_breaking:
        diff.append("--fail-on-breaking")
    code = run("changelog", diff, root)
    if code != 0:
        reason = "breaking changes (see above)" if code == 1 else "the changelog failed"
        print(
            f"bump: stopped before replacing the spec: {reason}; nothing was changed",
            file=sys.stderr,
        )
        return code
    if new_spec == bundled:
        print("bump: the new spec is the bundled one; regenerating only")
        previous = None
    else:
        previous = bundled.read_bytes()
        replace_file(bundled, new_spec.read_bytes())
        print(f"\n== replaced {bundled.relative_to(root)} with {new_spec}")
    if run("generate", [python, "-m", "generator", "generate"], root) != 0:
        if previous is not None:
            replace_file(bundled, previous)
        print(
            "bump: generation failed; the previous spec was restored, generated/ is unchanged",
            file=sys.stderr,
        )
        return 1
    if args.no_tests:
        print("\nbump: done (tests skipped); review `git diff` and commit specs/ and generated/")
        return 0
    if run("tests", [python, "-m", "pytest", *shlex.split(args.pytest_args)], root) != 0:
        print(
            "bump: the spec and the SDK were updated but tests fail; fix them or `git checkout specs generated`",
            file=sys.stderr,
        )
        return 1
    print("\nbump: done; review `git diff` and commit specs/ and generated/")
    return 0


if __name__ == "__main__":
    sys.exit(main())
