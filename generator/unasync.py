"""Blocking twins of hand-written async classes, so that an overlay writes each I/O method once.

An overlay marks a class with a comment line directly above it::

    # unasync -> A2AClient: the generator writes the blocking twin of this class
    class AsyncA2AClient(_Mixin, AsyncAPIClient):

and the generated module gets the twin appended: the class's source with `async def`, `async
with` and `async for` made plain, `await` dropped, and the async names of the runtime renamed to
their blocking counterparts (`RENAMES`, plus the class itself). The rewrite works on tokens, so
strings and comments are never touched: docstrings must be true of both twins. httpcore builds
its sync code from its async code the same way.
"""

from __future__ import annotations

import ast
import io
import re
import tokenize
from dataclasses import dataclass

# Async names of the runtime and the standard library -> their blocking twins.
RENAMES = {
    "AsyncAPIClient": "SyncAPIClient",
    "AsyncA2AStream": "A2AStream",
    "AsyncIterator": "Iterator",
    "AsyncIterable": "Iterable",
    "AsyncGenerator": "Generator",
    "asynccontextmanager": "contextmanager",
    "__aenter__": "__enter__",
    "__aexit__": "__exit__",
    "__aiter__": "__iter__",
    "__anext__": "__next__",
    "aiter_bytes": "iter_bytes",
    "aclose": "close",
    "_AsyncBase": "_SyncBase",  # the client mixins' typing base (overlays/gateway/_mixins_*.py)
}

_MARKER = re.compile(
    r"^# unasync -> ([A-Za-z_][A-Za-z0-9_]*):.*\n(?=class ([A-Za-z_][A-Za-z0-9_]*)\b)", re.M
)


class UnasyncError(ValueError):
    """A marked class cannot be rewritten (the message names the overlay and the line)."""


@dataclass(frozen=True)
class Twin:
    async_name: str
    sync_name: str
    source: str  # the blocking class, not yet formatted (black runs on it with the package)


def twins(source: str, name: str) -> list[Twin]:
    """The blocking twin of every marked class of an overlay module, in source order."""
    found = []
    for match in _MARKER.finditer(source):
        sync_name, async_name = match.group(1), match.group(2)
        line = source.count("\n", 0, match.start()) + 1
        if not async_name.startswith("Async"):
            raise UnasyncError(f"{name}:{line}: marked class {async_name} is not named Async...")
        body = _class_source(source, match.end(), name, line)
        renames = {**_module_renames(source, name), **RENAMES, async_name: sync_name}
        text = (
            f"# The blocking twin of {async_name}, written by the generator (generator/unasync.py):"
            f"\n# edit {async_name}.\n" + _rewrite(body, renames, name, line)
        )
        found.append(Twin(async_name=async_name, sync_name=sync_name, source=text))
    return found


def _module_renames(source: str, name: str) -> dict[str, str]:
    """`AsyncX` -> `X` for every pair of names the module binds (imports included, also under
    `if TYPE_CHECKING:`): the module's own async classes and their blocking counterparts."""
    try:
        tree = ast.parse(source, filename=name)
    except SyntaxError as exc:
        raise UnasyncError(f"{name}:{exc.lineno}: not valid Python: {exc.msg}") from exc
    bound: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            bound.update((a.asname or a.name).split(".")[0] for a in node.names)
        elif isinstance(node, (ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            bound.add(node.name)
    return {n: n[len("Async") :] for n in bound if n.startswith("Async") and n[len("Async") :] in bound}


def _class_source(source: str, start: int, name: str, line: int) -> str:
    """The top-level class that starts at offset `start`, up to the next top-level statement."""
    lines = source[start:].splitlines(keepends=True)
    end = 1
    while end < len(lines) and (not lines[end].strip() or lines[end][0] in " \t#"):
        end += 1
    while end > 1 and (not lines[end - 1].strip() or lines[end - 1].startswith("#")):
        end -= 1  # comments and blank lines after the class belong to what follows
    if end < 2:
        raise UnasyncError(f"{name}:{line}: the marker is not followed by a class body")
    return "".join(lines[:end])


def _rewrite(body: str, renames: dict[str, str], name: str, line: int) -> str:
    """`body` with the async keywords dropped and the names renamed (token spans, text kept)."""
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(body).readline))
    except (tokenize.TokenError, SyntaxError) as exc:
        raise UnasyncError(f"{name}:{line}: cannot tokenize the marked class: {exc}") from exc
    lines = body.splitlines(keepends=True)
    edits: list[tuple[int, int, int, str]] = []  # (row, start col, end col, replacement)
    for index, tok in enumerate(tokens):
        if tok.type != tokenize.NAME:
            continue
        following = tokens[index + 1] if index + 1 < len(tokens) else None
        if tok.string == "await" or (
            tok.string == "async"
            and following is not None
            and following.string in ("def", "with", "for")
        ):
            # Drop the keyword and the space after it: `await x` -> `x`.
            assert following is not None  # `await` always has an operand
            end = following.start[1] if following.start[0] == tok.start[0] else tok.end[1]
            edits.append((tok.start[0], tok.start[1], end, ""))
        elif tok.string in renames:
            edits.append((tok.start[0], tok.start[1], tok.end[1], renames[tok.string]))
    for row, start, end, text in reversed(edits):  # right to left keeps earlier columns valid
        current = lines[row - 1]
        lines[row - 1] = current[:start] + text + current[end:]
    return "".join(lines)
