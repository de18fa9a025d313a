"""Spec bump: validate a new openapi.yaml, show what changes for SDK users, adopt it, regenerate,
test, and end with a verdict.

    task bump -- path/to/new/openapi.yaml [--fail-on-breaking] [--lenient] [--no-tests]
                 [--pytest-args "..."] [--generic-tests "..."] [--bundled-tests "..."]

Steps, each one only when the previous succeeded:

1. validate the new spec (``python -m generator validate``); on failure nothing is touched;
2. print the changelog against the bundled ``specs/openapi.yaml`` (``python -m generator diff``);
   with ``--fail-on-breaking`` stop here when any change is breaking;
3. replace ``specs/openapi.yaml`` (atomically);
4. regenerate ``generated/``; if that fails the old spec is put back (``generated/`` is untouched:
   the generator replaces it atomically);
5. the generic tests (everything under ``tests/`` but ``tests/bundled/``: the generator and the
   runtime, which must hold for any spec) on the new package, then, reported separately, the
   tests of the previous bundled spec's own shapes (``tests/bundled/``), whose failures are
   expected when the shapes changed.

Exit status (the verdict line says the same in words):
0 adopted, every test passed (or ``--no-tests``); 1 breaking changes and ``--fail-on-breaking``:
nothing changed; 2 the new spec is unreadable or invalid: nothing changed; 3 generation failed:
the previous spec is back; 4 the generic tests fail on the new package: the SDK is broken for
this spec; 5 only bundled-shape tests fail: update ``tests/bundled/`` to the new shapes.

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
GENERIC_TESTS = "tests --ignore=tests/bundled"
BUNDLED_TESTS = "tests/bundled"

OK, BREAKING, INVALID_SPEC, GENERATION_FAILED, GENERIC_FAILED, BUNDLED_FAILED = range(6)


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


def verdict(code: int, message: str) -> int:
    stream = sys.stdout if code == OK else sys.stderr
    print(f"\nbump: verdict (exit {code}): {message}", file=stream, flush=True)
    return code


def _pytest_outcome(code: int) -> str:
    return {0: "passed", 1: "some failed", 5: "none collected"}.get(code, f"did not run through (pytest exit {code})")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="task bump --", description=__doc__.split("\n\n")[0])
    parser.add_argument("new_spec", type=Path, help="the new openapi.yaml (YAML or JSON)")
    parser.add_argument("--root", type=Path, default=ROOT, help="repository root (default: this one)")
    parser.add_argument(
        "--fail-on-breaking", action="store_true", help="stop before replacing when any change is breaking"
    )
    parser.add_argument("--lenient", action="store_true", help="validate and generate with --lenient")
    parser.add_argument("--no-tests", action="store_true", help="skip the test runs")
    parser.add_argument("--pytest-args", default="-q", help='arguments for both pytest runs (default: "-q")')
    parser.add_argument("--generic-tests", default=GENERIC_TESTS, help=f'default: "{GENERIC_TESTS}"')
    parser.add_argument("--bundled-tests", default=BUNDLED_TESTS, help=f'default: "{BUNDLED_TESTS}"')
    args = parser.parse_args(argv)
    root: Path = args.root.resolve()
    new_spec: Path = args.new_spec.resolve()
    bundled = root / "specs" / "openapi.yaml"
    python = sys.executable
    lenient = ["--lenient"] if args.lenient else []

    if not new_spec.is_file():
        return verdict(INVALID_SPEC, f"{new_spec}: no such file; nothing was changed")
    validate = [python, "-m", "generator", "validate", "--spec", str(new_spec), *lenient]
    if run("validate", validate, root) != 0:
        return verdict(INVALID_SPEC, f"{new_spec} is not a valid spec (see above); nothing was changed")
    diff = [python, "-m", "generator", "diff", str(bundled), str(new_spec)]
    if args.fail_on_breaking:
        diff.append("--fail-on-breaking")
    code = run("changelog", diff, root)
    if code == BREAKING and args.fail_on_breaking:
        return verdict(BREAKING, "breaking changes (see above); nothing was changed")
    if code != 0:
        return verdict(INVALID_SPEC, f"the changelog failed (exit {code}); nothing was changed")
    if new_spec == bundled:
        print("bump: the new spec is the bundled one; regenerating only")
        previous = None
    else:
        previous = bundled.read_bytes()
        replace_file(bundled, new_spec.read_bytes())
        print(f"\n== replaced {bundled.relative_to(root)} with {new_spec}")
    if run("generate", [python, "-m", "generator", "generate", *lenient], root) != 0:
        if previous is not None:
            replace_file(bundled, previous)
        return verdict(
            GENERATION_FAILED, "generation failed (see above); the previous spec was restored, generated/ is unchanged"
        )
    if args.no_tests:
        return verdict(OK, "adopted (tests skipped); review `git diff` and commit specs/ and generated/")
    pytest = [python, "-m", "pytest", *shlex.split(args.pytest_args)]
    generic = run("tests (generic: hold for any spec)", [*pytest, *shlex.split(args.generic_tests)], root)
    bundled_paths = shlex.split(args.bundled_tests)
    if all((root / p).exists() for p in bundled_paths if not p.startswith("-")):
        # A module that imports a model the new spec lacks must not hide the others' results.
        bundled_run = [*pytest, "--continue-on-collection-errors", *bundled_paths]
        shapes = run("tests (bundled-shape: the previous spec's own shapes)", bundled_run, root)
    else:
        print(f"\n== tests (bundled-shape): {args.bundled_tests} does not exist here; not run")
        shapes = 0
    print(f"\nbump: generic tests: {_pytest_outcome(generic)}; bundled-shape tests: {_pytest_outcome(shapes)}")
    if generic != 0:
        return verdict(
            GENERIC_FAILED,
            "the generic tests fail on the package generated from the new spec: the generator or "
            "runtime does not handle it; spec and generated/ were replaced, fix or `git checkout specs generated`",
        )
    if shapes != 0:
        return verdict(
            BUNDLED_FAILED,
            "the SDK works for the new spec; tests of the previous spec's shapes fail (expected when "
            "they changed): update tests/bundled/ to the new shapes, then commit specs/ and generated/",
        )
    return verdict(OK, "adopted, every test passed; review `git diff` and commit specs/ and generated/")


if __name__ == "__main__":
    sys.exit(main())
