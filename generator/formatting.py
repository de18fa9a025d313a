"""Black's formatting of a generated module, with black run only on the statements that need it.

`black.format_str` was the slowest step of a generation: a pass over a 3,000-line module takes
about 0.4 s, and black makes a second pass whenever the first one changed anything. Most of what
the generator writes is already in black's layout (the templates are written that way), and
datamodel-code-generator's output, with its own formatting off, differs from black's only in
quotes and in a blank line. What a renderer cannot know without black is how black splits a
line that is too long. So `black_formatted` finishes a module in three steps:

1. string literals in single quotes take black's double quotes (black's rule: unless that needs
   more backslashes); f-strings are left as written (the renderers write none in single quotes);
2. a class docstring is followed by one blank line;
3. every statement black may change (a line over the limit, or one black may measure wider:
   non-ASCII; brackets black would explode or join) and every docstring with whitespace or
   backslashes black may tidy is formatted by `black.format_str` on its own, at its own
   indentation (a signature line holding one parameter: as that parameter), all of a
   module's in one call, and put back.

The result is what `black.format_str` makes of the whole module: tests/generator/
test_black_stable.py checks every generated module on specs of every kind.
"""

from __future__ import annotations

import ast
import io
import re
import tokenize
from dataclasses import dataclass
from typing import Any, Literal, Sequence, Union

LINE_LENGTH = 100

Block = Union[ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef]

_SINGLE_QUOTED = re.compile(r"'(?:[^'\\\n]|\\.)*'")
_ESCAPED_DOUBLE = re.compile(r'([^\\]|^)\\((?:\\\\)*)"')
_ESCAPED_SINGLE = re.compile(r"([^\\]|^)\\((?:\\\\)*)'")
_UNESCAPED_DOUBLE = re.compile(r'(([^\\]|^)(\\\\)*)"')
_TRAILING_COMMA = re.compile(r",\s*[)\]}]")
_SEPARATOR = "# -- generator: end of statement --"


def black_mode() -> Any:
    """The black settings of every generated module (and of the overlays' format test)."""
    from black.mode import Mode, TargetVersion

    return Mode(line_length=LINE_LENGTH, target_versions={TargetVersion.PY39})


@dataclass
class _Part:
    """Lines `start:end` that black must format: a statement, a block's header (`class`/`def`
    line(s), formatted above a `pass`) or one parameter of an exploded signature."""

    start: int
    end: int
    depth: int
    kind: Literal["statement", "header", "parameter"]

    def snippet(self, lines: list[str]) -> list[str]:
        pad = "    " * self.depth
        wrapper = ["    " * level + "class _:" for level in range(self.depth)]
        own = lines[self.start : self.end]
        if self.kind == "header":
            own = [*own, pad + "    pass"]
        elif self.kind == "parameter":
            own = [pad + "def _(", *own, pad + "): ..."]
        return [*wrapper, *own]

    def extract(self, formatted: list[str]) -> list[str]:
        own = formatted[self.depth :]
        if self.kind == "header":
            return own[:-1]
        if self.kind == "parameter":
            return own[1 : own.index("    " * self.depth + "): ...")]
        return own


def black_formatted(source: str) -> str:
    """`source` formatted as `black.format_str` formats it (see the module docstring).

    Raises SyntaxError when `source` is not valid Python (for black: Python 3.9).
    """
    tree = ast.parse(source)
    if "\r" in source:  # Python's lines also end at a lone \r: leave such a module to black
        return _format_str(source)
    lines = source.split("\n")
    _double_quote(tree, lines)
    parts: list[_Part] = []
    blank_after: list[int] = []
    _collect(tree.body, 0, lines, parts, blank_after)
    edits = [(part.start, part.end, new) for part, new in zip(parts, _format_all(parts, lines))]
    edits += [(index, index, [""]) for index in blank_after]
    for start, end, new in sorted(edits, key=lambda edit: edit[:2], reverse=True):  # last first
        lines[start:end] = new
    return "\n".join(lines).rstrip("\n") + "\n"  # black: one newline at the end


def _double_quote(tree: ast.Module, lines: list[str]) -> None:
    """Black's quotes for every single-quoted string literal (they are on one line each)."""
    nodes = list(ast.walk(tree))
    in_fstrings = {id(part) for node in nodes if isinstance(node, ast.JoinedStr) for part in ast.walk(node)}
    found = [
        (node.lineno - 1, node.col_offset, node.end_col_offset)
        for node in nodes
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and id(node) not in in_fstrings  # Python 3.12 locates an f-string's text parts inside it
        and node.end_lineno == node.lineno
        and node.end_col_offset is not None
    ]
    for row, start, end in sorted(found, reverse=True):
        raw = lines[row].encode("utf-8")  # ast's columns count UTF-8 bytes
        literal = raw[start:end].decode("utf-8")
        if literal[:1] == "'" and literal[:3] != "'''":
            lines[row] = (raw[:start] + _requoted(literal).encode("utf-8") + raw[end:]).decode("utf-8")


def _requoted(literal: str) -> str:
    """One literal, or the literals of an implicit concatenation (`'a' "b"`), in black's quotes."""
    if _SINGLE_QUOTED.fullmatch(literal):
        return _prefer_double_quotes(literal)
    tokens = tokenize.generate_tokens(io.StringIO(literal).readline)
    literals = [t.string for t in tokens if t.type == tokenize.STRING]
    return " ".join(_requoted(p) if p[:1] == "'" else p for p in literals)


def _prefer_double_quotes(literal: str) -> str:
    """A `'...'` literal in black's quotes: double, unless they would need more backslashes."""
    body = _ESCAPED_DOUBLE.sub(r'\1\2"', _ESCAPED_DOUBLE.sub(r'\1\2"', literal[1:-1]))
    new = _ESCAPED_SINGLE.sub(r"\1\2'", _ESCAPED_SINGLE.sub(r"\1\2'", body))
    new = _UNESCAPED_DOUBLE.sub(r'\1\\"', _UNESCAPED_DOUBLE.sub(r'\1\\"', new))
    if new.count("\\") > body.count("\\"):
        return f"'{body}'"
    return f'"{new}"'


def _collect(body: Sequence[ast.stmt], depth: int, lines: list[str], parts: list[_Part], blank_after: list[int]) -> None:
    for index, node in enumerate(body):
        start, end = node.lineno - 1, _end(node)
        if isinstance(node, (ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            _collect_block(node, depth, lines, parts, blank_after)
        elif _is_string(node):  # black never splits a string; it tidies a docstring's lines
            if index == 0 and any(line != line.rstrip() or "\t" in line or "\\" in line for line in lines[start:end]):
                parts.append(_Part(start, end, depth, "statement"))
        elif _needs_black(lines, start, end):
            parts.append(_Part(start, end, depth, "statement"))


def _collect_block(node: Block, depth: int, lines: list[str], parts: list[_Part], blank_after: list[int]) -> None:
    first = node.body[0]
    start = min([node.lineno] + [d.lineno for d in node.decorator_list]) - 1
    end = first.lineno - 1  # the header: decorators, `class`/`def` line(s)
    if _needs_black(lines, start, end):
        changed = [i for i in range(start, end) if _line_needs_black(lines, i)]
        if isinstance(node, ast.ClassDef) or not set(changed) <= _parameter_lines(node, lines):
            parts.append(_Part(start, end, depth, "header"))
        else:  # each changed line holds one parameter: format just those
            parts += [_Part(i, i + 1, depth, "parameter") for i in changed]
    docstring_then_code = _is_string(first) and len(node.body) > 1 and node.body[1].lineno - 1 == _end(first)
    if isinstance(node, ast.ClassDef) and docstring_then_code:  # black: a blank line after it
        blank_after.append(_end(first))
    _collect(node.body, depth + 1, lines, parts, blank_after)


def _parameter_lines(node: ast.FunctionDef | ast.AsyncFunctionDef, lines: list[str]) -> set[int]:
    """Indexes of the lines that hold one whole parameter (with its default) and nothing else
    but its comma: how the templates write a signature that does not fit on one line."""
    arguments = node.args
    positional = [*arguments.posonlyargs, *arguments.args]
    defaults: list[ast.expr | None] = [None] * (len(positional) - len(arguments.defaults))
    pairs = list(zip(positional, [*defaults, *arguments.defaults]))
    pairs += list(zip(arguments.kwonlyargs, arguments.kw_defaults))
    pairs += [(extra, None) for extra in (arguments.vararg, arguments.kwarg) if extra is not None]
    starts = [argument.lineno for argument, _ in pairs]
    return {
        argument.lineno - 1
        for argument, default in pairs
        if argument.lineno == _end(default if default is not None else argument)
        and starts.count(argument.lineno) == 1
        and argument.lineno != node.lineno
        and lines[argument.lineno - 1].endswith(",")
    }


def _format_all(parts: list[_Part], lines: list[str]) -> list[list[str]]:
    """Each part's lines as black formats them: one `format_str` call for all distinct
    snippets (the sync and async methods repeat theirs), separated by a comment line (black
    formats top-level statements independently)."""
    if not parts:
        return []
    snippets = ["\n".join(part.snippet(lines)) for part in parts]
    distinct = list(dict.fromkeys(snippets))
    output = _format_str(f"\n{_SEPARATOR}\n".join(distinct) + "\n")
    formatted = dict(zip(distinct, output.split(_SEPARATOR + "\n")))
    return [part.extract(formatted[snippet].strip("\n").split("\n")) for part, snippet in zip(parts, snippets)]


def _format_str(source: str) -> str:
    from black import format_str
    from black.parsing import InvalidInput

    try:
        return format_str(source, mode=black_mode())
    except InvalidInput as exc:  # syntax Python 3.9 (black's target) does not have
        raise SyntaxError(f"black cannot parse it for Python 3.9: {exc}") from exc


def _needs_black(lines: list[str], start: int, end: int) -> bool:
    return any(_line_needs_black(lines, index) for index in range(start, end))


def _line_needs_black(lines: list[str], index: int) -> bool:
    """A line black may change: over the limit, or possibly so (black counts wide characters
    twice); with a trailing comma before a closing bracket (black explodes the brackets); or
    followed by a closing bracket without a comma before it (black may join the brackets)."""
    line = lines[index]
    if len(line) > LINE_LENGTH or (not line.isascii() and 2 * len(line) > LINE_LENGTH):
        return True
    following = lines[index + 1].lstrip()[:1] if index + 1 < len(lines) else ""
    return _TRAILING_COMMA.search(line) is not None or (following in (")", "]", "}") and not line.endswith(","))


def _is_string(node: ast.stmt) -> bool:
    """A docstring (or attribute docstring): black never splits it."""
    return isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str)


def _end(node: ast.AST) -> int:
    end = getattr(node, "end_lineno", None)
    return end if isinstance(end, int) else int(getattr(node, "lineno", 0))
