"""The `params.py` module: TypedDicts for what callers pass in.

* Each request model's dict twin (`MessageParam` for `Message`, from the IR's `API.params`):
  the keys are the wire names, required ones `Required[...]`, a nested model takes the model or
  its own twin, an enum its `Literal` values; the generated methods accept the twin wherever
  they accept the model, so editors complete plain dicts and type checkers check them.
* The keyword arguments of the client helpers an overlay writes by hand (`stream_chat_completion`
  passes the rest through to `create_chat_completion_stream`): a mixin module declares, in a
  literal `__kwargs__`, a TypedDict name, the generated method and the arguments the helper takes
  itself; the TypedDict holds every other argument of that method, typed as its signature types
  it, plus the per-request options, for the helper's `**kwargs: Unpack[...]` (PEP 692).

    __kwargs__ = {"ChatStreamArgs": {"method": "create_chat_completion_stream",
                                     "without": ["model", "messages", "tools"]}}
"""

from __future__ import annotations

import keyword
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

import jinja2

from . import ir, pytypes
from .features import _literal_assignment
from .pytypes import Type
from .render import _REQUEST_OPTIONS, isort_names, render
from .write import OutFile, WriteError

NOT_GIVEN_TYPE = pytypes.Name("NotGiven", "._types")
HTTPX_TIMEOUT = pytypes.Name("httpx.Timeout")  # imported under TYPE_CHECKING
# The per-request options every generated method takes, typed as the template types them.
_OPTIONS = (
    ("extra_headers", pytypes.optional(pytypes.dict_of(pytypes.STR, inputs=True))),
    ("extra_query", pytypes.optional(pytypes.dict_of(pytypes.OBJECT, inputs=True))),
)
_EXTRA_BODY = ("extra_body", pytypes.optional(pytypes.dict_of(pytypes.OBJECT, inputs=True)))
_TIMEOUT = (
    "timeout",
    pytypes.Generic("Union", (pytypes.FLOAT, HTTPX_TIMEOUT, NOT_GIVEN_TYPE, pytypes.NONE)),
)

_OPTION_DOCS = dict(
    [*_REQUEST_OPTIONS, ("extra_body", "More JSON body fields, merged in last and sent as given.")]
)


@dataclass(frozen=True)
class Key:
    """One key of a TypedDict."""

    name: str
    type: Type
    required: bool
    description: str = ""

    @property
    def annotation(self) -> str:
        """Evaluated at import (so `__required_keys__` is right): the TypedDicts of the module
        and httpx are forward references."""
        text = _runtime_annotation(self.type)
        return f"Required[{text}]" if self.required else text


def _runtime_annotation(value: Type) -> str:
    if isinstance(value, pytypes.Name):
        forward = value.module == pytypes.PARAMS or value == HTTPX_TIMEOUT
        return f'"{value.name}"' if forward else value.name
    if isinstance(value, pytypes.Generic):
        return f"{value.origin}[{', '.join(_runtime_annotation(a) for a in value.args)}]"
    return value.render()


@dataclass(frozen=True)
class TypedDictSpec:
    name: str
    doc: str
    keys: tuple[Key, ...]

    @property
    def class_syntax(self) -> bool:
        """Class syntax unless a key cannot be an attribute name (`from`, `$ref`, `a-b`)."""
        return all(k.name.isidentifier() and not keyword.iskeyword(k.name) for k in self.keys)


def model_params(api: ir.API) -> list[TypedDictSpec]:
    """The request models' TypedDict twins, in the models' name order."""
    return [
        TypedDictSpec(
            name=typed_name,
            doc=f"`{model}` as a plain dict: the same keys (wire names) and values.",
            keys=tuple(Key(f.wire_name, f.type, f.required, f.description) for f in fields),
        )
        for model, (typed_name, fields) in sorted(api.params.items())
    ]


def declared_kwargs(files: Mapping[str, OutFile], api: ir.API) -> list[TypedDictSpec]:
    """The `__kwargs__` TypedDicts of the overlay modules laid in (a module is laid in only when
    the spec has the methods it calls, so every declared method exists)."""
    methods = {name: op for op in api.operations for name in op.methods}
    found: list[TypedDictSpec] = []
    for rel in sorted(files):
        overlay = files[rel]
        if not overlay.python or overlay.text is None or not overlay.source.startswith("overlays/"):
            continue
        declared = _literal_assignment(overlay.text, overlay.source, "__kwargs__")
        if declared is None:
            continue
        value, line = declared
        where = f"{overlay.source}:{line}"
        if not isinstance(value, dict):
            raise WriteError(f"{where}: __kwargs__ must be a dict of TypedDict name -> declaration")
        for name, spec in value.items():
            if not (
                isinstance(name, str)
                and isinstance(spec, dict)
                and set(spec) <= {"method", "without"}
                and isinstance(spec.get("method"), str)
                and isinstance(spec.get("without", []), list)
            ):
                raise WriteError(
                    f'{where}: __kwargs__[{name!r}] must be {{"method": str, "without": [str, ...]}}'
                )
            if spec["method"] not in methods:
                raise WriteError(f"{where}: __kwargs__[{name!r}]: the spec has no {spec['method']}()")
            keys = tuple(arguments(methods[spec["method"]]))
            unknown = sorted(set(spec.get("without", [])) - {k.name for k in keys})
            if unknown:
                raise WriteError(
                    f"{where}: __kwargs__[{name!r}]: {spec['method']}() has no argument {unknown}"
                )
            found.append(
                TypedDictSpec(
                    name=name,
                    doc=f"Keyword arguments passed through to `{spec['method']}()`.",
                    keys=tuple(k for k in keys if k.name not in spec.get("without", [])),
                )
            )
    return found


def arguments(op: ir.Operation) -> Iterator[Key]:
    """Every argument of an operation's methods, by name, typed as templates/_operations.py.jinja
    types it (tests/generator/test_params.py compares the two), without the plain method's
    `stream` flag (the stream twin has none)."""
    for p in op.positional:
        yield Key(p.python_name, p.type, True, p.description)
    body = op.body
    if body is not None and body.kind != "flattened" and body.type is not None:
        yield Key("body", body.type if body.required else pytypes.optional(body.type), body.required)
    for p in op.keyword_only:
        if p.required:
            yield Key(p.python_name, p.type, True, p.description)
        elif p in op.body_fields:
            not_given = pytypes.Generic("Union", (pytypes.optional(p.type), NOT_GIVEN_TYPE))
            yield Key(p.python_name, not_given, False, p.description)
        else:
            yield Key(p.python_name, pytypes.optional(p.type), False, p.description)
    options = [*_OPTIONS, _EXTRA_BODY] if op.body_fields else list(_OPTIONS)
    for name, annotation in [*options, _TIMEOUT]:
        yield Key(name, annotation, False, _OPTION_DOCS[name])


def render_params(env: jinja2.Environment, api: ir.API, files: Mapping[str, OutFile]) -> str:
    """The `params.py` module: model twins, then the helpers' keyword arguments."""
    twins = model_params(api)
    kwargs = declared_kwargs(files, api)
    taken = {t.name for t in twins}
    for spec in kwargs:
        if spec.name in taken:
            raise WriteError(f"__kwargs__: {spec.name!r} is declared twice or names a model's TypedDict")
        taken.add(spec.name)
    typed_dicts = twins + kwargs
    imports = {i for t in typed_dicts for k in t.keys for i in k.type.imports()}
    return render(
        env,
        "params.py.jinja",
        title=api.title,
        typed_dicts=typed_dicts,
        typing_names=isort_names({n for m, n in imports if m == "typing"}),
        model_names=isort_names({n for m, n in imports if m == pytypes.MODELS}),
        runtime_names=isort_names({n for m, n in imports if m == NOT_GIVEN_TYPE.module}),
        uses_required=any(k.required for t in typed_dicts for k in t.keys),
        uses_httpx=any(HTTPX_TIMEOUT in pytypes.members(k.type) for t in kwargs for k in t.keys),
        all_names=sorted(taken),
        closed_models=sorted(api.params),
    )
