"""Command line: validate | generate | check | diff.

Exit status: 0 success (check: up to date), 1 breaking changes (diff --fail-on-breaking) or
drift (check), 2 an unreadable or invalid spec, 3 the package could not be produced (write
error: the output was left as it was).
"""

from __future__ import annotations

import argparse
import difflib
import importlib
import sys
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import NoReturn

from . import models, pipeline, write
from .cache import Cache
from .load import SpecError, SpecWarning

EXIT_OK = 0
EXIT_DIFFERS = 1  # check: drift; diff --fail-on-breaking: breaking changes
EXIT_SPEC = 2  # the spec cannot be read, or is not valid OpenAPI
EXIT_WRITE = 3  # the package could not be produced; the output is untouched

LENIENT_HELP = "turn common spec defects into warnings (see generator/load.py LENIENT)"


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--spec", type=Path, default=pipeline.DEFAULT_SPEC, help="OpenAPI spec (YAML or JSON)")
    parser.add_argument(
        "--a2a-spec",
        type=Path,
        default=None,
        help="A2A schemas (default: specs/a2a.yaml when it exists)",
    )
    parser.add_argument("--output", type=Path, default=pipeline.DEFAULT_OUTPUT, help="output directory")
    parser.add_argument("--package-name", default=write.DEFAULT_PACKAGE, help="package to generate")
    parser.add_argument("--templates", type=Path, default=pipeline.DEFAULT_TEMPLATES)
    parser.add_argument("--overlays", type=Path, default=pipeline.DEFAULT_OVERLAYS)
    parser.add_argument(
        "--response-required",
        choices=models.RESPONSE_REQUIRED_MODES,
        default="lenient",
        help="lenient: fields of received-only models may be missing or null (default); strict: as the spec says",
    )
    parser.add_argument(
        "--client-name",
        default=None,
        help="client class name (its async twin gets an Async prefix); default: from the spec's info.title",
    )
    parser.add_argument(
        "--no-cache",
        action="store_true",
        help="recompute every step (the cache never changes the output, only the time)",
    )
    parser.add_argument("--lenient", action="store_true", help=LENIENT_HELP)


def make_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m generator", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    validate = commands.add_parser("validate", help="validate the spec(s) and exit")
    validate.add_argument("--spec", type=Path, default=pipeline.DEFAULT_SPEC)
    validate.add_argument("--a2a-spec", type=Path, default=None)
    validate.add_argument("--no-cache", action="store_true")
    validate.add_argument("--lenient", action="store_true", help=LENIENT_HELP)
    _common(commands.add_parser("generate", help="regenerate the SDK package"))
    _common(commands.add_parser("check", help="fail when the output differs from a fresh generation"))
    commands.add_parser("diff", help="changelog between two specs (see generator.diff)", add_help=False)
    return parser


def _a2a_default(spec_arg: Path | None) -> Path | None:
    if spec_arg is not None:
        return spec_arg
    return pipeline.DEFAULT_A2A_SPEC if pipeline.DEFAULT_A2A_SPEC.is_file() else None


def _options(args: argparse.Namespace) -> pipeline.Options:
    return pipeline.Options(
        spec=args.spec,
        a2a_spec=_a2a_default(args.a2a_spec),
        output=args.output,
        package=args.package_name,
        templates=args.templates,
        overlays=args.overlays,
        response_required=args.response_required,
        client_name=args.client_name,
        cache=Cache.default(enabled=not args.no_cache),
        lenient=args.lenient,
    )


def print_warnings(warnings: Sequence[SpecWarning]) -> None:
    for warning in warnings:
        print(f"warning: {warning}", file=sys.stderr)


def cmd_validate(args: argparse.Namespace) -> int:
    specs = [args.spec] + [p for p in [_a2a_default(args.a2a_spec)] if p is not None]
    cache = Cache.default(enabled=not args.no_cache)
    for path in specs:
        spec = pipeline.load_spec(path, cache, lenient=args.lenient)
        print_warnings(spec.warnings)
        repaired = f" (lenient: {len(spec.warnings)} warnings)" if spec.warnings else ""
        print(f"{spec.display}: valid{repaired}")
    return EXIT_OK


def cmd_generate(args: argparse.Namespace) -> int:
    options = _options(args)
    result = pipeline.build(options)
    print_warnings(result.warnings)
    start = time.perf_counter()
    target = write.replace_package(options.output, options.package, result.contents)
    total = result.seconds + time.perf_counter() - start
    print(
        f"generated {target}: {result.schemas} schemas, {result.operations} operations "
        f"({result.methods} sync + {result.methods} async methods), "
        f"{len(result.contents)} files, features: {', '.join(result.features)}, in {total:.2f}s"
    )
    for note in result.left_out:
        print(f"  {note}")
    return 0


def compare(expected: Mapping[str, bytes], actual: Mapping[str, bytes]) -> tuple[list[str], list[str], list[str]]:
    """(differing, missing from actual, extra in actual) relative file names."""
    differing = sorted(n for n in expected.keys() & actual.keys() if expected[n] != actual[n])
    missing = sorted(expected.keys() - actual.keys())
    extra = sorted(actual.keys() - expected.keys())
    return differing, missing, extra


def cmd_check(args: argparse.Namespace) -> int:
    options = _options(args)
    result = pipeline.build(options)
    print_warnings(result.warnings)
    committed_dir = options.output / options.package
    committed = write.read_tree(committed_dir)
    differing, missing, extra = compare(result.contents, committed)
    if not (differing or missing or extra):
        print(f"{committed_dir}: up to date ({len(committed)} files, {result.seconds:.2f}s)")
        for note in result.left_out:
            print(f"  {note}")
        return EXIT_OK
    print(f"{committed_dir} differs from a fresh generation from {options.spec}:")
    for name in differing:
        print(f"  changed: {name}")
    for name in missing:
        print(f"  missing: {name}")
    for name in extra:
        print(f"  extra:   {name}")
    for name in differing + missing + extra:
        old = committed.get(name, b"").decode("utf-8", "replace").splitlines(keepends=True)
        new = result.contents.get(name, b"").decode("utf-8", "replace").splitlines(keepends=True)
        sys.stdout.writelines(
            difflib.unified_diff(old, new, fromfile=f"committed/{name}", tofile=f"generated/{name}")
        )
    print("run `python -m generator generate` (task generate) and commit the result")
    return EXIT_DIFFERS


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] == "diff":
        # Dispatched lazily so that the other commands work without generator/diff.py.
        try:
            diff = importlib.import_module("generator.diff")
        except ModuleNotFoundError as exc:
            if exc.name != "generator.diff":
                raise
            print("error: generator/diff.py is not available", file=sys.stderr)
            return EXIT_SPEC
        code = diff.main(argv[1:])
        return int(code or 0)
    args = make_parser().parse_args(argv)
    handlers = {"validate": cmd_validate, "generate": cmd_generate, "check": cmd_check}
    try:
        return handlers[args.command](args)
    except SpecError as exc:
        for error in exc.errors:
            print(f"error: {error}", file=sys.stderr)
        if len(exc.errors) > 1:
            print(f"{len(exc.errors)} errors", file=sys.stderr)
        return EXIT_SPEC
    except write.WriteError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_WRITE


def run() -> NoReturn:
    """`main` as a process (`python -m generator`, the console script)."""
    sys.exit(main())
