"""Rendering: the Jinja2 environment for Python source (no HTML autoescaping, explicit literal
filters), the modules rendered from the IR, the export policy's modules and the import sorter.

Spec text only ever enters templates as data through `pyrepr` (a Python literal), `docstring`
(escaped for a triple-quoted string) or `comment` (one sanitised line), so a description cannot
end a string, open code, or be interpreted as template syntax (templates never render spec
strings as templates).
"""

from __future__ import annotations

import ast
import math
import re
import textwrap
from pathlib import Path
from typing import Any

import jinja2

from . import features as features_mod
from . import ir, pytypes
from .write import OutFile

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
        items = [pyrepr(v) for v in value]
        return f"({items[0]},)" if len(items) == 1 else "(" + ", ".join(items) + ")"
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
    env.filters["mdtext"] = mdtext
    env.filters["mdcode"] = mdcode
    return env


def mdtext(text: str) -> str:
    """One line of Markdown from spec text: whitespace collapsed, HTML and table pipes escaped."""
    return comment(text).replace("&", "&amp;").replace("<", "&lt;").replace("|", "\\|")


def mdcode(text: str) -> str:
    """Code for inside backticks in a Markdown table cell (a pipe would end the cell)."""
    return comment(text).replace("|", "\\|").replace("`", "'")


def render(env: jinja2.Environment, template: str, **context: Any) -> str:
    return env.get_template(template).render(**context)


def render_operations(env: jinja2.Environment, api: ir.API) -> str:
    """The `_operations.py` module; imports exactly the names its annotations list."""
    imported = {item for op in api.operations for t in op.types() for item in t.imports()}
    typing_names = {name for module, name in imported if module == "typing"}
    if api.operations:  # every method has Optional/Mapping/Union in its extra_* arguments
        typing_names |= {"Mapping", "Optional", "Union"}
    if any(op.streams and op.body and op.body.as_arguments and op.body.stream_flag for op in api.operations):
        typing_names.add("Literal")  # stream: Literal[False], so `stream=True` is a type error too
    if any(op.return_type != pytypes.NONE for op in api.operations):
        typing_names.add("cast")
    model_imports = {name for module, name in imported if module == pytypes.MODELS}
    file_imports = {name for module, name in imported if module == pytypes.FILES}
    if any(op.form_parts for op in api.operations):
        file_imports.add("MultipartForm")
    model_imports |= {
        op.body.model for op in api.operations if (op.typed_fields or op.typed_body) and op.body and op.body.model
    }
    param_imports = {name for module, name in imported if module == pytypes.PARAMS}
    runtime_imports = {"NOT_GIVEN", "NotGiven"} | {n for m, n in imported if m == pytypes.JSON_VALUE.module}
    return render(
        env,
        "_operations.py.jinja",
        title=api.title,
        base_path=api.base_path,
        operations=api.operations,
        typing_names=sorted(typing_names),
        model_imports=sorted(model_imports),
        file_imports=sorted(file_imports),
        param_imports=sorted(param_imports),
        runtime_imports=runtime_imports,
        any_stream=any(op.streams for op in api.operations),
        op_docstring=operation_docstring,
    )


def operation_docstring(op: ir.Operation, streaming: bool) -> str:
    """Plain text (escaped later by the `docstring` filter): summary, description, then Args
    (every argument, the per-request options included), Returns and Raises."""
    parts = [op.summary or f"{op.method} {op.path}"]
    if op.description and op.description != op.summary:
        parts.append(op.description)
    if streaming:
        parts.append("Streams the response as server-sent events; iterate the returned stream.")
    args = [
        (p.python_name, p.description or f"The `{p.wire_name}` {p.location} parameter.")
        for p in op.positional + op.keyword_only
    ]
    if op.body and not op.body.as_arguments:
        args.append(
            (
                "body",
                op.body.description or f"The request body ({op.body.content_type}).",
            )
        )
    args += _REQUEST_OPTIONS
    if op.body and op.body.kind == "flattened":
        args.append(("extra_body", "More JSON body fields, merged in last and sent as given."))
    parts.append(_section("Args", args))
    if streaming:
        returned = (
            "EventStream",
            "The server-sent events; the request is sent when iteration (or `with`) starts.",
        )
    elif op.return_annotation == "None":
        returned = ("None", "The operation answers with no body.")
    else:
        returned = (op.return_annotation, "The parsed response body.")
    parts.append(_section("Returns", [returned]))
    raises = list(_RAISES)
    if op.form_parts:
        raises[-1] = (
            "InvalidRequestError",
            "The call cannot be sent: a required part is missing, a file cannot be read, a "
            "value cannot be a form field (nothing is sent).",
        )
    if streaming:
        raises.append(("StreamError", "The stream broke, or ended before its end marker."))
    if op.return_annotation != "None":
        raises.append(("ResponseValidationError", "The response does not match the spec."))
    parts.append(_section("Raises", raises))
    if op.deprecated:
        parts.append("Deprecated by the API.")
    return "\n\n".join(parts)


#: The per-request options every generated method takes (documented on each).
_REQUEST_OPTIONS = [
    ("extra_headers", "Headers to add to this request (a `None` value removes one)."),
    ("extra_query", "Query parameters to add to this request."),
    (
        "timeout",
        "This request's timeout in seconds or an `httpx.Timeout` (default: the client's).",
    ),
]
_RAISES = [
    (
        "InferenceGatewayAPIError",
        "The gateway answered with an error status: its subclass names it "
        "(`BadRequestError` 400, `AuthenticationError` 401, `NotFoundError` 404, "
        "`RateLimitError` 429, `InternalServerError` 5xx, ...), after the retries.",
    ),
    (
        "APIConnectionError",
        "No response (refused, reset, DNS); `APITimeoutError` when it timed out.",
    ),
    (
        "InvalidRequestError",
        "The call cannot be sent (a header with CR/LF, a `..` path parameter).",
    ),
]


def _section(title: str, items: list[tuple[str, str]]) -> str:
    """A Google-style docstring section, each entry's text wrapped under its name."""
    lines = [f"{title}:"]
    for name, text in items:
        lines.append(
            textwrap.fill(
                " ".join(f"{name}: {text}".split()),
                width=88,
                initial_indent="    ",
                subsequent_indent="        ",
            )
        )
    return "\n".join(lines)


def api_reference(
    env: jinja2.Environment,
    api: ir.API,
    feats: features_mod.Features,
    files: dict[str, OutFile],
    source: str,
) -> str:
    """The Markdown API reference: the operations' methods (from the IR), the helper methods of
    the enabled mixins (from their source) and every model with its fields."""
    operations = [
        {
            "python_name": op.python_name,
            "stream_name": op.stream_name,
            "method": op.method,
            "path": op.path,
            "summary": op.summary or op.description.split("\n")[0],
            "deprecated": op.deprecated,
            "signature": _operation_signature(op),
            "returns": op.return_annotation,
        }
        for op in api.operations
    ]
    exported = set(feats.model_exports)
    schemas = [
        {
            "name": s.name,
            "kind": s.kind,
            "fields": s.fields,
            "enum": s.enum,
            "open": s.open,
            "value": s.value.render() if s.value is not None else "",
            "exported": s.name in exported,
        }
        for s in sorted(api.schemas.values(), key=lambda s: s.name.lower())
    ]
    from . import params  # params renders with this module's helpers

    typed_dicts = [
        {
            "name": spec.name,
            "doc": spec.doc,
            "fields": [ir.Field(k.name, k.name, k.type, k.required, "") for k in spec.keys],
        }
        for spec in params.model_params(api) + params.declared_kwargs(files, api)
    ]
    return render(
        env,
        "api.md.jinja",
        title=api.title,
        source=source,
        client=feats.client,
        operations=operations,
        any_flattened=any(op.body_fields for op in api.operations),
        helpers=_helper_methods(feats, files),
        schemas=schemas,
        typed_dicts=typed_dicts,
    )


def _operation_signature(op: ir.Operation) -> str:
    """The arguments of an operation's method as the template writes them (one line)."""
    args = [f"{p.python_name}: {p.annotation}" for p in op.positional]
    if op.body and not op.body.as_arguments and op.body.required:
        args.append(f"body: {op.body.annotation}")
    keyword = [
        (
            f"{p.python_name}: {p.annotation}"
            if p.required
            else f"{p.python_name}: {p.optional_annotation} = None"
        )
        for p in op.keyword_only
    ]
    if op.body and not op.body.as_arguments and not op.body.required:
        keyword.append(f"body: {op.body.optional_annotation} = None")
    keyword += ["extra_headers=None", "extra_query=None", "timeout=NOT_GIVEN"]
    if op.body_fields:
        keyword.append("**extra_body")
    return "".join(f"\n    {arg}," for arg in [*args, "*", *keyword]) + "\n"


def _split_args(args: str) -> list[str]:
    """Top-level comma-separated parts of an argument list (commas inside brackets kept)."""
    parts, depth, start = [], 0, 0
    for index, char in enumerate(args):
        depth += char in "([{"
        depth -= char in ")]}"
        if char == "," and depth == 0:
            parts.append(args[start:index])
            start = index + 1
    parts.append(args[start:])
    return [part for part in parts if part.strip()]


def _helper_methods(
    feats: features_mod.Features, files: dict[str, OutFile]
) -> list[dict[str, str]]:
    """Public methods of the sync classes of the enabled mixins, read from their source (and
    the blocking twins the generator appends, unasync.py)."""
    helpers: dict[str, dict[str, str]] = {}
    for mixin in feats.mixins:
        f = files.get(mixin.module.lstrip(".").replace(".", "/") + ".py")
        if f is None or f.text is None:
            continue
        tree = ast.parse("\n".join([f.text, *f.appended]))  # the sync class may be a twin
        classes = {node.name: node for node in tree.body if isinstance(node, ast.ClassDef)}
        pending = [mixin.sync_class]
        while pending:  # the class and its bases defined in the same module
            node = classes.get(pending.pop())
            if node is None:
                continue
            pending += [ast.unparse(base).split("[")[0] for base in node.bases]
            for item in node.body:
                if isinstance(item, ast.FunctionDef) and not item.name.startswith("_"):
                    args = ast.unparse(item.args)
                    helpers.setdefault(
                        item.name,
                        {
                            "name": item.name,
                            "signature": "".join(
                                f"\n    {arg.strip()}," for arg in _split_args(args)[1:]
                            )
                            + "\n",
                            "returns": ast.unparse(item.returns) if item.returns else "None",
                            "summary": (ast.get_docstring(item) or "").split("\n\n")[0],
                        },
                    )
    return [helpers[name] for name in sorted(helpers)]


def _module_exports(files: dict[str, OutFile], prefix: str) -> list[tuple[str, list[str]]]:
    """(relative module, __all__) of every overlay module directly under `prefix`."""
    found = []
    for rel in sorted(files):
        f = files[rel]
        if not f.python or f.text is None or not f.source.startswith("overlays/"):
            continue
        directory, _, filename = rel.rpartition("/")
        if directory != prefix or filename == "__init__.py" or not filename.endswith(".py"):
            continue
        if filename.startswith("_mixins"):
            continue  # client mixins are reached through the clients, not exported
        declared = features_mod.declared_all_source(f.text, rel)
        if declared:
            module = "." + ".".join(p for p in (prefix, filename[:-3]) if p)
            found.append((module, declared))
    return found


def top_level_exports(
    files: dict[str, OutFile], feats: features_mod.Features
) -> list[tuple[str, list[str]]]:
    """(module, names) the package __init__ re-exports (features.top_level_names decides which);
    a name is exported once (first wins)."""
    groups: list[tuple[str, list[str]]] = [
        ("._client", [feats.client.async_name, feats.client.sync_name]),
        (".models", list(feats.model_exports)),
    ]
    for target in [""] + [g.target for g in feats.overlays if g.target]:
        groups += [
            (module, features_mod.top_level_names(target, module, names))
            for module, names in _module_exports(files, target)
        ]
    seen: set[str] = set()
    result = []
    for module, names in groups:
        fresh = sorted({n for n in names if n not in seen})
        seen.update(fresh)
        if fresh:
            result.append((module, fresh))
    return sorted(result, key=lambda item: item[0].lower())


def subpackage_init(
    env: jinja2.Environment, group: features_mod.OverlayGroup, files: dict[str, OutFile]
) -> str:
    """`__init__.py` for an overlay subpackage that has none: lazy re-exports of its modules."""
    exports = sorted(
        (module.replace("." + group.target, "", 1), names)
        for module, names in _module_exports(files, group.target)
    )
    submodules = ["models"] if f"{group.target}/models.py" in files else []
    return render(
        env,
        "_subpackage.py.jinja",
        doc=f"Overlay package from overlays/{group.source.name} (feature modules, imported lazily).",
        imports=exports,
        all_names=sorted(n for _, names in exports for n in names),
        submodules=submodules,
    )


_STDLIB = {
    "typing",
    "enum",
    "datetime",
    "decimal",
    "uuid",
    "ipaddress",
    "pathlib",
    "collections",
    "re",
}


def fix_import_block(source: str) -> str:
    """Group datamodel-code-generator's leading imports (future / stdlib / third party / relative), sorted."""
    lines = source.split("\n")
    imports: list[str] = []
    index = 0
    while index < len(lines) and (
        lines[index].startswith(("from ", "import ")) or not lines[index].strip()
    ):
        if lines[index].strip():
            if lines[index].rstrip().endswith("("):  # multi-line import: keep it whole
                block = [lines[index]]
                while not lines[index].strip().startswith(")"):
                    index += 1
                    block.append(lines[index])
                imports.append(
                    " ".join(x.strip() for x in block).replace("( ", "(").replace(", )", ")")
                )
            else:
                imports.append(lines[index])
        index += 1
    rest = "\n".join(lines[index:])

    def module_of(line: str) -> str:
        return line.split()[1]

    def normalise(line: str) -> str:
        if not line.startswith("from "):
            return line
        module, _, names_text = line[len("from ") :].partition(" import ")
        names_text = names_text.strip().strip("()")
        names = sorted({n.strip() for n in names_text.split(",") if n.strip()}, key=isort_key)
        return f"from {module} import {', '.join(names)}"

    groups: list[list[str]] = [[], [], [], []]
    for line in imports:
        module = module_of(line).split(".")[0]
        bucket = 0 if module == "__future__" else 1 if module in _STDLIB else 3 if not module else 2
        groups[bucket].append(normalise(line))
    blocks = [
        "\n".join(sorted(g, key=lambda line: (line.startswith("from "), module_of(line))))
        for g in groups
        if g
    ]
    return "\n\n".join(blocks) + "\n\n\n" + rest.lstrip("\n")
