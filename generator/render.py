"""Jinja2 environment for Python source: no HTML autoescaping, explicit literal filters.

Spec text only ever enters templates as data through `pyrepr` (a Python literal), `docstring`
(escaped for a triple-quoted string) or `comment` (one sanitised line), so a description cannot
end a string, open code, or be interpreted as template syntax (templates never render spec
strings as templates).
"""

from __future__ import annotations

import math
import re
import textwrap
from pathlib import Path
from typing import Any

import jinja2

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_QUOTE_RUN = re.compile(r'"{3,}')


def pyrepr(value: Any) -> str:
    """A Python expression for a str/int/float/bool/None (or list/tuple/dict of them)."""
    if isinstance(value, float) and not math.isfinite(value):
        return f"float({str(value)!r})"  # inf/nan have no literal
    if isinstance(value, (str, int, float, bool, type(None))):
        return repr(value)
    if isinstance(value, list):
        return "[" + ", ".join(pyrepr(v) for v in value) + "]"
    if isinstance(value, tuple):
        return "(" + "".join(pyrepr(v) + ", " for v in value) + ")"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{pyrepr(k)}: {pyrepr(v)}" for k, v in value.items()) + "}"
    raise TypeError(f"pyrepr: unsupported value {value!r}")


def escape_docstring(text: str) -> str:
    """Text that is safe inside a triple-double-quoted string and reads the same."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = text.replace("\\", "\\\\")
    text = _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text)
    stem = text.rstrip('"')
    trailing = len(text) - len(stem)  # quotes before the closing `"""` are all escaped
    return _QUOTE_RUN.sub(lambda m: '\\"' * len(m.group()), stem) + '\\"' * trailing


def docstring(text: str, indent: int = 4) -> str:
    """A complete docstring literal (with quotes), indented for a body at `indent` spaces."""
    body = escape_docstring(textwrap.dedent(text).strip())
    if not body:
        return '""""""'
    if "\n" not in body and len(body) + indent + 6 <= 100:
        return f'"""{body}"""'
    pad = " " * indent
    lines = [(pad + line) if line.strip() else "" for line in body.split("\n")]
    return '"""\n' + "\n".join(lines) + "\n" + pad + '"""'


def comment(text: str) -> str:
    """One comment line's text: newlines and control characters removed."""
    return _CONTROL.sub(" ", " ".join(str(text).split()))


def isort_key(name: str) -> tuple[int, str, str]:
    """ruff/isort order of imported names (order-by-type): CONSTANTS, Classes, others."""
    if name.isupper() and len(name) > 1:
        kind = 0
    elif name[:1].isupper():
        kind = 1
    else:
        kind = 2
    return (kind, name.lower(), name)


def isort_names(names: Any) -> list[str]:
    return sorted(names, key=isort_key)


def doctext(text: str) -> str:
    """One line of text for the inside of a docstring (whitespace collapsed, escaped)."""
    return escape_docstring(comment(text))


def make_environment(templates: Path) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(templates)),
        autoescape=False,  # Python source, not HTML: escaping is explicit through the filters
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["pyrepr"] = pyrepr
    env.filters["docstring"] = docstring
    env.filters["comment"] = comment
    env.filters["doctext"] = doctext
    env.filters["isort"] = isort_names
    return env


def render(env: jinja2.Environment, template: str, **context: Any) -> str:
    return env.get_template(template).render(**context)
