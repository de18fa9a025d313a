"""Changelog of the SDK surface between two OpenAPI specs (``python -m generator diff OLD NEW``).

Why: a spec bump must answer "what changes for our users, and is it safe?" before anyone
regenerates. Every change is named the way the SDK names it (method, argument, model and field
names come from the generator's own name rules), points at its place in the spec (JSON pointer),
and is marked breaking when code written against the old SDK can stop working with the new one.

Breaking rules, from the SDK user's side:

* removed method, ``_stream`` twin, argument, model, field or enum value: breaking;
* a new required argument / request field, or an optional one becoming required: breaking;
* a changed type: breaking, except widening on the way in (``int`` -> ``float``, a new union
  member in a request) and narrowing on the way out (a union member gone from a response);
* a response value that may now be missing or ``None``: breaking (readers must handle it);
* anything added as optional, a new method, model or enum value: not breaking.

A model used both in requests and responses is judged by both rules.
"""

from __future__ import annotations

import argparse
import builtins
import json
import sys
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

from . import names
from .load import Spec as LoadedSpec
from .load import SpecError, load, validate

__all__ = ["Change", "Changelog", "SpecError", "diff_files", "diff_specs", "main"]

HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
EVENT_STREAM = "text/event-stream"
SCHEMA_PREFIX = "#/components/schemas/"

Spec = Mapping[str, Any]
Schema = Mapping[str, Any]


@dataclass(frozen=True)
class Change:
    """One change of the SDK surface."""

    kind: str
    """Machine-readable kind, e.g. ``method.removed``, ``argument.required``, ``enum.narrowed``."""
    breaking: bool
    subject: str
    """What the SDK user sees changing: ``method chat_completions`` or ``model Message``."""
    detail: str
    """One human sentence in SDK terms."""
    pointer: str
    """JSON pointer into the new spec (into the old one for removals)."""
    location: str
    """``file:line`` of that pointer."""
    old: Any = None
    new: Any = None


@dataclass
class Changelog:
    old_source: str
    new_source: str
    changes: list[Change] = field(default_factory=list)

    @property
    def breaking(self) -> list[Change]:
        return [c for c in self.changes if c.breaking]

    def to_json(self) -> dict[str, Any]:
        return {
            "old": self.old_source,
            "new": self.new_source,
            "breaking": len(self.breaking),
            "non_breaking": len(self.changes) - len(self.breaking),
            "changes": [asdict(c) for c in self.changes],
        }

    def to_text(self) -> str:
        lines = [f"SDK changes {self.old_source} -> {self.new_source}"]
        if not self.changes:
            lines.append("no changes to the SDK surface")
            return "\n".join(lines) + "\n"
        for title, group in (
            ("BREAKING", self.breaking),
            ("NON-BREAKING", [c for c in self.changes if not c.breaking]),
        ):
            if not group:
                continue
            lines.append("")
            lines.append(f"{title} ({len(group)})")
            by_subject: dict[str, list[Change]] = {}
            for change in group:
                by_subject.setdefault(change.subject, []).append(change)
            for subject in sorted(by_subject, key=_subject_order):
                lines.append(f"  {subject}")
                for change in by_subject[subject]:
                    lines.append(f"    - {change.detail}")
                    lines.append(f"        at {change.location} {change.pointer}")
        return "\n".join(lines) + "\n"


def _subject_order(subject: str) -> tuple[int, str]:
    return (0 if subject.startswith("method ") else 1, subject)


# --------------------------------------------------------------------------- spec access


def _escape(token: str) -> str:
    return token.replace("~", "~0").replace("/", "~1")


def pointer(*tokens: object) -> str:
    return "#/" + "/".join(_escape(str(t)) for t in tokens)


class _Doc:
    """One loaded spec: reference resolution, SDK names and the roles (request/response) of models."""

    def __init__(self, loaded: LoadedSpec) -> None:
        self.loaded = loaded
        self.spec: Spec = loaded.data
        components = self.spec.get("components") or {}
        self.schemas: Mapping[str, Schema] = components.get("schemas") or {}
        self.class_names = _class_names(self.schemas)
        self.operations = list(self._operations())
        self.input_models, self.output_models = self._roles()

    def error(self, where: str, message: str) -> SpecError:
        return self.loaded.error(where.lstrip("#"), message)

    def location(self, where: str) -> str:
        line = self.loaded.line_of(where.lstrip("#"))
        return f"{self.loaded.display}:{line}" if line is not None else self.loaded.display

    def model(self, schema_name: str) -> str:
        return self.class_names.get(schema_name, schema_name)

    def resolve(self, node: Any, where: str) -> Any:
        """Follow ``$ref`` chains of non-schema objects (parameters, bodies, responses)."""
        seen: set[str] = set()
        while isinstance(node, Mapping) and "$ref" in node:
            ref = node["$ref"]
            if not isinstance(ref, str) or not ref.startswith("#/"):
                raise self.error(where, f"only local $refs are supported, got {ref!r}")
            if ref in seen:
                raise self.error(where, f"$ref cycle through {ref}")
            seen.add(ref)
            target: Any = self.spec
            for raw in ref[2:].split("/"):
                token = raw.replace("~1", "/").replace("~0", "~")
                if not isinstance(target, Mapping) or token not in target:
                    raise self.error(where, f"$ref {ref} points nowhere")
                target = target[token]
            node = target
        return node

    def schema(self, node: Any, where: str) -> Schema:
        """A schema with a top-level ``$ref`` (or single-``allOf`` wrapper) followed."""
        return self.schema_at(node, where)[0]

    def schema_at(self, node: Any, where: str) -> tuple[Schema, str]:
        """The schema behind ``node`` (``$ref``s followed) and the pointer where it is written."""
        for _ in range(32):
            if not isinstance(node, Mapping):
                return {}, where
            name = model_ref(node)
            if name is None:
                return node, where
            if name not in self.schemas:
                raise self.error(where, f"cannot resolve schema {name!r}")
            node, where = self.schemas[name], pointer("components", "schemas", name)
        raise self.error(where, "$ref chain longer than 32 schemas")

    def object_properties(
        self, node: Any, where: str
    ) -> tuple[dict[str, tuple[Schema, str]], list[str]] | None:
        """Properties (schema, pointer) and required names of an object schema (``allOf``
        merged), or None when the schema is not a plain object."""
        schema, where = self.schema_at(node, where)
        if (
            schema.get("oneOf")
            or schema.get("anyOf")
            or _schema_type(schema) not in (None, "object")
        ):
            return None
        properties: dict[str, tuple[Schema, str]] = {}
        required: list[str] = []
        for index, part in enumerate(schema.get("allOf") or []):
            sub = self.object_properties(part, f"{where}/allOf/{index}")
            if sub is None:
                return None
            properties.update(sub[0])
            required.extend(r for r in sub[1] if r not in required)
        for prop, prop_schema in (schema.get("properties") or {}).items():
            properties[prop] = (prop_schema, f"{where}/properties/{_escape(prop)}")
        required.extend(r for r in schema.get("required") or [] if r not in required)
        return (properties, required) if properties else None

    def _operations(self) -> Iterator[_Operation]:
        taken: set[str] = set()
        for path, item in (self.spec.get("paths") or {}).items():
            item = self.resolve(item, pointer("paths", path))
            if not isinstance(item, Mapping):
                continue
            shared = item.get("parameters") or []
            for method in HTTP_METHODS:
                op = item.get(method)
                if isinstance(op, Mapping):
                    built = _Operation.build(self, str(path), method, op, shared, taken)
                    taken.add(built.name)
                    if built.streaming:
                        taken.add(built.name + "_stream")
                    yield built

    def _roles(self) -> tuple[set[str], set[str]]:
        inputs: set[str] = set()
        outputs: set[str] = set()
        for op in self.operations:
            for param in op.params.values():
                self._reach(param.schema, inputs)
            if op.body is not None:
                self._reach(op.body.schema, inputs)
            for schema in op.responses.values():
                self._reach(schema, outputs)
        return inputs, outputs

    def _reach(self, node: Any, found: set[str]) -> None:
        stack = [node]
        while stack:
            current = stack.pop()
            if isinstance(current, Mapping):
                name = model_ref(current)
                if name is not None and name not in found and name in self.schemas:
                    found.add(name)
                    stack.append(self.schemas[name])
                stack.extend(current.values())
            elif isinstance(current, list):
                stack.extend(current)

    def direction(self, model: str) -> str:
        used_in = model in self.input_models
        used_out = model in self.output_models
        if used_in and not used_out:
            return "input"
        if used_out and not used_in:
            return "output"
        return "both"


def _class_names(schemas: Mapping[str, Any]) -> dict[str, str]:
    """Component name -> model class name, by the rule of ``ir.prepare``."""
    result: dict[str, str] = {}
    taken: set[str] = set()
    for original in schemas:
        if original[:1].isupper() and names.is_identifier(original) and original not in taken:
            candidate = original
            if candidate in names.RESERVED_CLASS_NAMES or candidate in dir(builtins):
                candidate = names.class_name(original, taken)
        else:
            candidate = names.class_name(original, taken)
        result[original] = candidate
        taken.add(candidate)
    return result


def model_ref(schema: Mapping[str, Any]) -> str | None:
    """The component name a schema stands for (``$ref`` or ``allOf: [$ref]``), else None."""
    ref = schema.get("$ref")
    if isinstance(ref, str) and ref.startswith(SCHEMA_PREFIX):
        return ref[len(SCHEMA_PREFIX) :].replace("~1", "/").replace("~0", "~")
    all_of = schema.get("allOf")
    if isinstance(all_of, list) and len(all_of) == 1 and isinstance(all_of[0], Mapping):
        return model_ref(all_of[0])
    return None


# --------------------------------------------------------------------------- SDK surface

# Headers the transport owns; the generator never turns them into arguments.
_TRANSPORT_HEADERS = frozenset({"authorization", "content-type", "accept"})


@dataclass
class _Param:
    arg: str
    wire: str
    location: str
    required: bool
    schema: Schema
    pointer: str


@dataclass
class _Body:
    kind: str
    """``fields`` (JSON object flattened into arguments), ``json``, ``multipart``, ``form``, ``binary``."""
    media_type: str
    required: bool
    schema: Schema
    pointer: str
    fields: dict[str, str] = field(default_factory=dict)
    """Wire name -> argument name of the flattened fields."""


@dataclass
class _Operation:
    name: str
    method: str
    path: str
    pointer: str
    params: dict[str, _Param]
    body: _Body | None
    responses: dict[str, Schema]
    """Success response schemas by media type (``text/event-stream`` included)."""
    streaming: bool

    @property
    def label(self) -> str:
        return f"method {self.name}"

    @property
    def route(self) -> str:
        return f"{self.method.upper()} {self.path}"

    @classmethod
    def build(
        cls,
        doc: _Doc,
        path: str,
        method: str,
        op: Mapping[str, Any],
        shared: Sequence[Any],
        taken_methods: set[str],
    ) -> _Operation:
        where = pointer("paths", path, method)
        op_id = op.get("operationId") if isinstance(op.get("operationId"), str) else None
        name = names.method_name(op_id, method, path, taken_methods)
        merged: dict[tuple[str, str], tuple[Mapping[str, Any], str]] = {}
        for source, raw_list in (("shared", shared), ("op", op.get("parameters") or [])):
            for index, raw in enumerate(raw_list):
                at = (
                    pointer("paths", path, "parameters", index)
                    if source == "shared"
                    else f"{where}/parameters/{index}"
                )
                param = doc.resolve(raw, at)
                if isinstance(param, Mapping) and isinstance(param.get("name"), str):
                    merged[(param["name"], str(param.get("in")))] = (param, at)
        # Same order as the generator: path parameters in template order, then the rest.
        order = {n: i for i, n in enumerate(_template_names(path))}
        ordered = sorted(
            merged.values(),
            key=lambda p: (0, order.get(p[0]["name"], 99)) if p[0].get("in") == "path" else (1, 0),
        )
        taken_args: set[str] = set()
        params: dict[str, _Param] = {}
        for param, at in ordered:
            location = str(param.get("in"))
            wire = str(param["name"])
            if location not in ("path", "query", "header"):
                continue
            if location == "header" and wire.lower() in _TRANSPORT_HEADERS:
                continue
            arg = names.parameter_name(wire, taken_args)
            taken_args.add(arg)
            schema = param.get("schema")
            if schema is None and isinstance(param.get("content"), Mapping):
                first: Any = next(iter(param["content"].values()), {})
                schema = first.get("schema") if isinstance(first, Mapping) else None
            params[arg] = _Param(
                arg=arg,
                wire=wire,
                location=location,
                required=bool(param.get("required")) or location == "path",
                schema=schema or {},
                pointer=at,
            )
        responses = _success_content(doc, op, where)
        return cls(
            name=name,
            method=method,
            path=path,
            pointer=where,
            params=params,
            body=_body(doc, op, where, taken_args),
            responses=responses,
            streaming=any(m.lower().startswith(EVENT_STREAM) for m in responses),
        )

    def path_order(self) -> list[str]:
        return [p.arg for p in self.params.values() if p.location == "path"]


def _template_names(path: str) -> list[str]:
    return [part.split("}", 1)[0] for part in path.split("{")[1:] if "}" in part]


def _success_content(doc: _Doc, op: Mapping[str, Any], where: str) -> dict[str, Schema]:
    """Media type -> schema of the first 2xx response (the one the generator returns)."""
    responses = op.get("responses") or {}
    codes = sorted(str(code) for code in responses if str(code).startswith("2"))
    if not codes:
        return {}
    response = doc.resolve(responses[codes[0]], f"{where}/responses/{codes[0]}")
    content: dict[str, Schema] = {}
    for media, entry in ((response or {}).get("content") or {}).items():
        content[str(media)] = (entry or {}).get("schema") or {}
    return content


def _body(doc: _Doc, op: Mapping[str, Any], where: str, taken: set[str]) -> _Body | None:
    raw = op.get("requestBody")
    if raw is None:
        return None
    at = f"{where}/requestBody"
    body = doc.resolve(raw, at)
    content = body.get("content") or {}
    if not content:
        return None
    media = _preferred_media(list(content))
    schema = (content[media] or {}).get("schema") or {}
    here = f"{at}/content/{_escape(media)}"
    kind = _body_kind(media)
    fields: dict[str, str] = {}
    if kind == "json":
        found = doc.object_properties(schema, here)
        if found is not None:
            kind = "fields"
            for wire, (prop, _) in found[0].items():
                if wire == "stream" and doc.schema(prop, here).get("type") == "boolean":
                    continue  # set by the method / `_stream` pair, never an argument
                fields[wire] = names.parameter_name(wire, taken)
                taken.add(fields[wire])
    return _Body(kind, media, bool(body.get("required", False)), schema, here, fields)


def _preferred_media(media_types: list[str]) -> str:
    """The media type the generated method sends: the JSON one if any, else the first."""
    for media in media_types:
        if _body_kind(media) == "json":
            return media
    return media_types[0]


def _body_kind(media: str) -> str:
    base = media.split(";")[0].strip().lower()
    if base == "multipart/form-data":
        return "multipart"
    if base == "application/x-www-form-urlencoded":
        return "form"
    if base == "application/json" or base.endswith("+json"):
        return "json"
    return "binary"


# --------------------------------------------------------------------------- type descriptions


def _schema_type(schema: Schema) -> str | None:
    kind = schema.get("type")
    if isinstance(kind, list):
        non_null = [k for k in kind if k != "null"]
        return str(non_null[0]) if len(non_null) == 1 else None
    if kind is None and "properties" in schema:
        return "object"
    return str(kind) if kind is not None else None


def _nullable(schema: Schema) -> bool:
    kind = schema.get("type")
    if isinstance(kind, list) and "null" in kind:
        return True
    if schema.get("nullable") is True:
        return True
    for key in ("oneOf", "anyOf"):
        members = schema.get(key)
        if isinstance(members, list) and any(
            isinstance(m, Mapping) and m.get("type") == "null" for m in members
        ):
            return True
    return False


def _core(schema: Schema) -> Schema:
    """The schema without its null alternative (``anyOf: [X, null]`` -> X)."""
    for key in ("oneOf", "anyOf"):
        members = schema.get(key)
        if isinstance(members, list):
            non_null = [m for m in members if isinstance(m, Mapping) and m.get("type") != "null"]
            if len(non_null) == 1 and len(members) > 1:
                rest = {k: v for k, v in schema.items() if k != key}
                return {**rest, **non_null[0]}
    kind = schema.get("type")
    if isinstance(kind, list) and "null" in kind:
        others = [k for k in kind if k != "null"]
        if len(others) == 1:
            return {**schema, "type": others[0]}
    return schema


def _members(schema: Schema) -> list[Schema] | None:
    for key in ("oneOf", "anyOf"):
        members = schema.get(key)
        if isinstance(members, list):
            return [m for m in members if isinstance(m, Mapping) and m.get("type") != "null"]
    return None


def open_enum_values(schema: Schema) -> list[Any] | None:
    """The known values of an open enum, ``anyOf: [{type: string, enum: [...]}, {type: string}]``
    (any string is valid; the listed ones are those the SDK names), else None."""
    members = _members(schema)
    if members is None or len(members) != 2:
        return None
    listed = [m for m in members if isinstance(m.get("enum"), list)]
    free = [m for m in members if "enum" not in m and m.get("type") == "string" and not _members(m)]
    if len(listed) != 1 or len(free) != 1 or listed[0].get("type", "string") != "string":
        return None
    return list(listed[0]["enum"])


Namer = Callable[[str], str]


def describe(schema: Schema, model: Namer) -> str:
    """A Python-flavoured type name for a schema, as the SDK user sees it (nullability aside)."""
    name = model_ref(schema)
    if name is not None:
        return model(name)
    if "const" in schema:
        return f"Literal[{schema['const']!r}]"
    if open_enum_values(schema) is not None:
        return _OPEN_ENUM
    members = _members(schema)
    if members is not None:
        described = [describe(m, model) for m in members]
        return described[0] if len(described) == 1 else f"Union[{', '.join(described)}]"
    kind = _schema_type(schema)
    if isinstance(schema.get("type"), list) and kind is None:
        kinds = [describe({**schema, "type": k}, model) for k in schema["type"] if k != "null"]
        return f"Union[{', '.join(kinds)}]"
    if kind == "string":
        if schema.get("format") == "binary" or "contentMediaType" in schema:
            return "bytes"
        return _CLOSED_ENUM if "enum" in schema else "str"
    if kind == "integer":
        return "int"
    if kind == "number":
        return "float"
    if kind == "boolean":
        return "bool"
    if kind == "array":
        items = schema.get("items")
        return f"List[{describe(items, model) if isinstance(items, Mapping) else 'Any'}]"
    if kind == "object" or (kind is None and "allOf" in schema):
        if schema.get("properties") or schema.get("allOf"):
            return "object"
        extra = schema.get("additionalProperties")
        if isinstance(extra, Mapping) and extra:
            return f"Dict[str, {describe(extra, model)}]"
        return "Dict[str, Any]"
    if "enum" in schema:
        return "enum"
    return "Any"


_CLOSED_ENUM = "str (enum)"
_OPEN_ENUM = "str (open enum)"


def _values_schema(schema: Schema) -> Schema:
    extra = schema.get("additionalProperties")
    return extra if isinstance(extra, Mapping) else {}


def _union_names(type_name: str) -> set[str]:
    if type_name.startswith("Union[") and type_name.endswith("]"):
        return {part.strip() for part in _split_top(type_name[6:-1])}
    return {type_name}


def _split_top(text: str) -> list[str]:
    parts, depth, start = [], 0, 0
    for index, char in enumerate(text):
        if char == "[":
            depth += 1
        elif char == "]":
            depth -= 1
        elif char == "," and depth == 0:
            parts.append(text[start:index])
            start = index + 1
    parts.append(text[start:])
    return parts


# --------------------------------------------------------------------------- comparison


@dataclass(frozen=True)
class _Ctx:
    """Where a schema comparison happens: which SDK thing, what is named, which way data flows."""

    subject: str
    root: str
    """How the compared value is named at the top: ``return value``, ``argument `body```."""
    direction: str
    """``input`` (request), ``output`` (response) or ``both`` (a model used both ways)."""
    noun: str = "field"
    path: str = ""
    """Dotted SDK path below the root (``choices[].message``); empty at the root."""
    optional: bool = False
    """The value is already ``Optional[...] = None`` in the SDK, so nullability is moot."""

    @property
    def label(self) -> str:
        if not self.path:
            return self.root
        owner = "" if self.root == "the model" else f" of {self.root}"
        return f"{self.noun} `{self.path}`{owner}"

    def breaking(self, *, on_input: bool, on_output: bool) -> bool:
        if self.direction == "input":
            return on_input
        if self.direction == "output":
            return on_output
        return on_input or on_output

    def member(self, name: str, *, optional: bool = False) -> _Ctx:
        path = f"{self.path}.{name}" if self.path else name
        return replace(self, path=path, optional=optional)

    def values(self) -> _Ctx:
        if self.path:
            return replace(self, path=self.path + "{}", optional=False)
        return replace(self, root=f"values of {self.root}", optional=False)

    def items(self) -> _Ctx:
        if self.path:
            return replace(self, path=self.path + "[]", optional=False)
        return replace(self, root=f"items of {self.root}", optional=False)


class _Differ:
    def __init__(self, old: _Doc, new: _Doc) -> None:
        self.old = old
        self.new = new
        self.changes: list[Change] = []

    def add(
        self,
        kind: str,
        breaking: bool,
        subject: str,
        detail: str,
        at: str,
        *,
        old: Any = None,
        new: Any = None,
        in_old: bool = False,
    ) -> None:
        doc = self.old if in_old else self.new
        self.changes.append(Change(kind, breaking, subject, detail, at, doc.location(at), old, new))

    def describe_old(self, schema: Schema) -> str:
        return describe(schema, self.old.model)

    def describe_new(self, schema: Schema) -> str:
        return describe(schema, self.new.model)

    # -- operations

    def operations(self) -> None:
        old_ops = {op.name: op for op in self.old.operations}
        new_ops = {op.name: op for op in self.new.operations}
        added = [name for name in new_ops if name not in old_ops]
        for name, op in old_ops.items():
            if name in new_ops:
                self.operation(op, new_ops[name], subject=op.label)
                continue
            renamed = next(
                (n for n in added if (new_ops[n].method, new_ops[n].path) == (op.method, op.path)),
                None,
            )
            if renamed is not None:
                added.remove(renamed)
                self.add(
                    "method.renamed",
                    True,
                    op.label,
                    f"renamed to `{renamed}` ({op.route}); `{name}` no longer exists",
                    new_ops[renamed].pointer,
                    old=name,
                    new=renamed,
                )
                self.operation(op, new_ops[renamed], subject=op.label)
                continue
            twin = f" and `{name}_stream`" if op.streaming else ""
            self.add(
                "method.removed",
                True,
                op.label,
                f"`{name}`{twin} removed ({op.route} is gone)",
                op.pointer,
                old=op.route,
                in_old=True,
            )
        for name in added:
            op = new_ops[name]
            twin = f" and its streaming twin `{name}_stream`" if op.streaming else ""
            self.add(
                "method.added",
                False,
                op.label,
                f"new method `{name}`{twin} ({op.route})",
                op.pointer,
                new=op.route,
            )

    def operation(self, old: _Operation, new: _Operation, *, subject: str) -> None:
        if old.route != new.route:
            self.add(
                "method.route",
                False,
                subject,
                f"now sends {new.route} (was {old.route}); calls are unchanged",
                new.pointer,
                old=old.route,
                new=new.route,
            )
        if old.streaming and not new.streaming:
            self.add(
                "stream.removed",
                True,
                subject,
                f"streaming twin `{old.name}_stream` removed (no text/event-stream response any more)",
                old.pointer,
                in_old=True,
            )
        elif new.streaming and not old.streaming:
            self.add(
                "stream.added",
                False,
                subject,
                f"new streaming twin `{new.name}_stream`",
                new.pointer,
            )
        self.parameters(old, new, subject)
        self.body(old, new, subject)
        self.response(old, new, subject)

    def parameters(self, old: _Operation, new: _Operation, subject: str) -> None:
        for arg, param in old.params.items():
            if arg not in new.params:
                self.add(
                    "argument.removed",
                    True,
                    subject,
                    f"argument `{arg}` removed ({param.location} parameter `{param.wire}`)",
                    param.pointer,
                    in_old=True,
                )
        for arg, param in new.params.items():
            before = old.params.get(arg)
            if before is None:
                required = param.required
                self.add(
                    "argument.added",
                    required,
                    subject,
                    f"new {'required' if required else 'optional'} argument `{arg}` "
                    f"({param.location} parameter `{param.wire}`)",
                    param.pointer,
                )
                continue
            if before.location != param.location:
                self.add(
                    "argument.location",
                    "path" in (before.location, param.location),
                    subject,
                    f"argument `{arg}` is now a {param.location} parameter (was {before.location})",
                    param.pointer,
                    old=before.location,
                    new=param.location,
                )
            optional = not (before.required and param.required)
            ctx = _Ctx(subject, f"argument `{arg}`", "input", optional=optional)
            self.required(ctx, before.required, param.required, param.pointer)
            self.schema(ctx, before.schema, param.schema, param.pointer)
        old_order = [a for a in old.path_order() if a in new.params]
        new_order = [a for a in new.path_order() if a in old.params]
        if old_order != new_order and set(old_order) == set(new_order):
            self.add(
                "argument.order",
                True,
                subject,
                f"positional path arguments reordered: ({', '.join(new_order)}) "
                f"was ({', '.join(old_order)})",
                new.pointer,
                old=old_order,
                new=new_order,
            )

    def body(self, old: _Operation, new: _Operation, subject: str) -> None:
        ob, nb = old.body, new.body
        if ob is None and nb is None:
            return
        if nb is None:
            assert ob is not None
            what = "its arguments" if ob.kind == "fields" else "argument `body`"
            self.add(
                "body.removed",
                True,
                subject,
                f"request body removed ({ob.media_type}) with {what}",
                ob.pointer,
                in_old=True,
            )
            return
        ctx = _Ctx(subject, "argument `body`", "input", noun="argument")
        if ob is None:
            if nb.kind == "fields":
                self.fields(ctx, {}, nb.schema, nb.pointer, old_names={}, new_names=nb.fields)
            else:
                self.add(
                    "body.added",
                    nb.required,
                    subject,
                    f"new {'required' if nb.required else 'optional'} argument `body` ({nb.media_type})",
                    nb.pointer,
                )
            return
        if ob.kind != nb.kind or ob.media_type != nb.media_type:
            self.add(
                "body.kind",
                True,
                subject,
                f"request body is now {_kind_text(nb)} (was {_kind_text(ob)})",
                nb.pointer,
                old=ob.media_type,
                new=nb.media_type,
            )
            return
        if nb.kind == "fields":
            self.fields(
                ctx,
                ob.schema,
                nb.schema,
                nb.pointer,
                old_at=ob.pointer,
                old_names=ob.fields,
                new_names=nb.fields,
            )
            return
        self.required(ctx, ob.required, nb.required, nb.pointer)
        if nb.kind == "multipart":  # one `body` mapping, but its parts are what users send
            self.fields(
                replace(ctx, noun="part"), ob.schema, nb.schema, nb.pointer, old_at=ob.pointer
            )
            return
        self.schema(ctx, ob.schema, nb.schema, nb.pointer, old_at=ob.pointer)

    def response(self, old: _Operation, new: _Operation, subject: str) -> None:
        old_schema = _returned(old.responses)
        new_schema = _returned(new.responses)
        at = f"{new.pointer}/responses"
        if old_schema is None and new_schema is None:
            return
        if old_schema is None or new_schema is None:
            before = "None" if old_schema is None else self.describe_old(old_schema)
            after = "None" if new_schema is None else self.describe_new(new_schema)
            self.add(
                "response.type",
                True,
                subject,
                f"return type is now {after} (was {before})",
                at,
                old=before,
                new=after,
            )
            return
        self.schema(
            _Ctx(subject, "return value", "output"),
            old_schema,
            new_schema,
            at,
            old_at=f"{old.pointer}/responses",
        )

    # -- models

    def models(self) -> None:
        old_models, new_models = self.old.schemas, self.new.schemas
        for name in old_models:
            if name not in new_models:
                cls = self.old.model(name)
                self.add(
                    "model.removed",
                    True,
                    f"model {cls}",
                    f"model `{cls}` removed",
                    pointer("components", "schemas", name),
                    in_old=True,
                )
        for name in new_models:
            if name not in old_models:
                cls = self.new.model(name)
                self.add(
                    "model.added",
                    False,
                    f"model {cls}",
                    f"new model `{cls}`",
                    pointer("components", "schemas", name),
                )
        for name, old_schema in old_models.items():
            if name not in new_models:
                continue
            directions = {self.old.direction(name), self.new.direction(name)}
            direction = directions.pop() if len(directions) == 1 else "both"
            cls = self.new.model(name)
            ctx = _Ctx(f"model {cls}", "the model", direction)
            self.schema(
                ctx, old_schema, new_models[name], pointer("components", "schemas", name), top=True
            )

    # -- schemas

    def required(self, ctx: _Ctx, before: bool, after: bool, at: str) -> None:
        if before == after:
            return
        if after:
            self.add(
                "required.added",
                ctx.breaking(on_input=True, on_output=False),
                ctx.subject,
                f"{ctx.label} is now required",
                at,
                old=False,
                new=True,
            )
        else:
            self.add(
                "required.removed",
                ctx.breaking(on_input=False, on_output=True),
                ctx.subject,
                f"{ctx.label} is now optional (may be missing)",
                at,
                old=True,
                new=False,
            )

    def schema(
        self,
        ctx: _Ctx,
        old: Schema,
        new: Schema,
        at: str,
        *,
        old_at: str | None = None,
        top: bool = False,
    ) -> None:
        """Compare two schemas found at the same SDK place (``at`` new, ``old_at`` old spec)."""
        old_at = old_at or at
        if not ctx.optional:
            self.nullability(ctx, old, new, at)
        old, new = _core(old), _core(new)
        old_ref, new_ref = model_ref(old), model_ref(new)
        named_t = (self.describe_old(old), self.describe_new(new))
        if not top and (old_ref or new_ref):
            if old_ref and new_ref:
                if old_ref != new_ref:
                    self.type_change(ctx, *named_t, at)
                return  # the same model: its own changes are reported once, under the model
            # An inline type became a named model or back: compare what is inside.
            old, old_at = self.old.schema_at(old, old_at)
            new, at = self.new.schema_at(new, at)
            if self.describe_old(old) != self.describe_new(new):
                self.type_change(ctx, *named_t, at)
                return
            self.add(
                "type.named",
                False,
                ctx.subject,
                f"{ctx.label} is now the model `{named_t[1]}`"
                if new_ref
                else f"{ctx.label} is now an inline type (was the model `{named_t[0]}`)",
                at,
                old=named_t[0],
                new=named_t[1],
            )
        old_t, new_t = self.describe_old(old), self.describe_new(new)
        if old_t.startswith("List[") and new_t.startswith("List["):
            old_items, new_items = old.get("items") or {}, new.get("items") or {}
            self.schema(ctx.items(), old_items, new_items, f"{at}/items", old_at=f"{old_at}/items")
            return
        if old_t.startswith("Dict[") and new_t.startswith("Dict["):
            old_values, new_values = _values_schema(old), _values_schema(new)
            self.schema(ctx.values(), old_values, new_values, f"{at}/additionalProperties")
            return
        if {old_t, new_t} == {_CLOSED_ENUM, _OPEN_ENUM}:
            self.enum_openness(ctx, old, new, at)
            return
        if old_t != new_t:
            self.type_change(ctx, old_t, new_t, at)
            return
        self.enum(ctx, old, new, at)
        if old.get("default") != new.get("default"):
            before, after = old.get("default"), new.get("default")
            self.add(
                "default.changed",
                False,
                ctx.subject,
                f"default of {ctx.label} is now {after!r} (was {before!r})"
                if "default" in new
                else f"{ctx.label} has no default any more (was {before!r})",
                at,
                old=before,
                new=after,
            )
        if new_t == "object":
            self.fields(ctx, old, new, at, old_at=old_at)
        self.discriminator(ctx, old, new, at)

    def type_change(self, ctx: _Ctx, old_t: str, new_t: str, at: str) -> None:
        old_set, new_set = _union_names(old_t), _union_names(new_t)
        widened = old_set <= new_set or new_t == "Any" or (old_t, new_t) == ("int", "float")
        narrowed = new_set <= old_set or old_t == "Any"
        self.add(
            "type.changed",
            ctx.breaking(on_input=not widened, on_output=not narrowed),
            ctx.subject,
            f"type of {ctx.label} is now {new_t} (was {old_t})",
            at,
            old=old_t,
            new=new_t,
        )

    def nullability(self, ctx: _Ctx, old: Schema, new: Schema, at: str) -> None:
        before, after = _nullable(old), _nullable(new)
        if before == after:
            return
        self.add(
            "nullable.added" if after else "nullable.removed",
            ctx.breaking(on_input=not after, on_output=after),
            ctx.subject,
            f"{ctx.label} {'may now be None' if after else 'may no longer be None'}",
            at,
            old=before,
            new=after,
        )

    def enum_openness(self, ctx: _Ctx, old: Schema, new: Schema, at: str) -> None:
        """A closed enum became open (any string) or back; the known values are compared too."""
        opened = open_enum_values(new) is not None
        what = "the model" if ctx.path == "" and ctx.root == "the model" else ctx.label
        self.add(
            "enum.opened" if opened else "enum.closed",
            ctx.breaking(on_input=not opened, on_output=opened),
            ctx.subject,
            f"{what} now takes any string besides its known values (code may meet values it "
            "does not know)"
            if opened
            else f"{what} is now limited to its known values",
            at,
        )
        self.enum(ctx, old, new, at)

    def enum(self, ctx: _Ctx, old: Schema, new: Schema, at: str) -> None:
        old_open, new_open = open_enum_values(old), open_enum_values(new)
        old_values = old_open if old_open is not None else old.get("enum")
        new_values = new_open if new_open is not None else new.get("enum")
        # A value leaving an open enum breaks nothing: it is still a valid string.
        removal_breaks = new_open is None
        if not isinstance(old_values, list) and not isinstance(new_values, list):
            return
        if not isinstance(old_values, list) or not isinstance(new_values, list):
            limited = isinstance(new_values, list)
            self.add(
                "enum.narrowed" if limited else "enum.widened",
                limited,
                ctx.subject,
                f"{ctx.label} is now limited to {_values(new_values)}"
                if limited
                else f"{ctx.label} is no longer limited to {_values(old_values)}",
                at,
                old=old_values,
                new=new_values,
            )
            return
        gone = [v for v in old_values if v not in new_values]
        fresh = [v for v in new_values if v not in old_values]
        what = "enum" if ctx.path == "" and ctx.root == "the model" else f"enum {ctx.label}"
        if gone:
            self.add(
                "enum.narrowed",
                removal_breaks,
                ctx.subject,
                f"{what}: value{'s' if len(gone) > 1 else ''} {_values(gone)} removed",
                at,
                old=gone,
            )
        if fresh:
            self.add(
                "enum.widened",
                False,
                ctx.subject,
                f"{what}: new value{'s' if len(fresh) > 1 else ''} {_values(fresh)}",
                at,
                new=fresh,
            )

    def discriminator(self, ctx: _Ctx, old: Schema, new: Schema, at: str) -> None:
        old_disc: Mapping[str, Any] = old.get("discriminator") or {}
        new_disc: Mapping[str, Any] = new.get("discriminator") or {}
        if not old_disc and not new_disc:
            return
        at = f"{at}/discriminator"
        old_prop, new_prop = old_disc.get("propertyName"), new_disc.get("propertyName")
        if old_prop != new_prop:
            self.add(
                "discriminator.changed",
                True,
                ctx.subject,
                f"{ctx.label} is now told apart by {new_prop!r} (was {old_prop!r})",
                at,
                old=old_prop,
                new=new_prop,
            )
        old_map = dict(old_disc.get("mapping") or {})
        new_map = dict(new_disc.get("mapping") or {})
        for tag in old_map:
            if tag not in new_map:
                self.add(
                    "discriminator.removed",
                    True,
                    ctx.subject,
                    f"{ctx.label}: variant {tag!r} removed",
                    at,
                    old=tag,
                )
        for tag in new_map:
            if tag not in old_map:
                self.add(
                    "discriminator.added",
                    ctx.breaking(on_input=False, on_output=True),
                    ctx.subject,
                    f"{ctx.label}: new variant {tag!r}",
                    at,
                    new=tag,
                )

    def fields(
        self,
        ctx: _Ctx,
        old: Schema,
        new: Schema,
        at: str,
        *,
        old_at: str | None = None,
        old_names: Mapping[str, str] | None = None,
        new_names: Mapping[str, str] | None = None,
    ) -> None:
        """Compare object properties: a method's flattened arguments or a model's fields.

        ``old_names``/``new_names`` map wire names to argument names; a property missing from
        them (the ``stream`` flag) is not part of the call signature and is skipped.
        """
        old_props, old_req = self.old.object_properties(old, old_at or at) or ({}, [])
        new_props, new_req = self.new.object_properties(new, at) or ({}, [])
        as_args = new_names is not None

        def sdk_name(prop: str, mapping: Mapping[str, str] | None) -> str | None:
            return prop if mapping is None else mapping.get(prop)

        def child(name: str, optional: bool) -> _Ctx:
            if as_args:
                return replace(
                    ctx, root=f"argument `{name}`", path="", noun="field", optional=optional
                )
            return ctx.member(name, optional=optional)

        for prop, (_, here) in old_props.items():
            name = sdk_name(prop, old_names)
            if prop not in new_props and name is not None:
                self.add(
                    "argument.removed" if as_args else f"{ctx.noun}.removed",
                    True,
                    ctx.subject,
                    f"{child(name, True).label} removed",
                    here,
                    in_old=True,
                )
        for prop, (schema, here) in new_props.items():
            name = sdk_name(prop, new_names)
            if name is None:
                continue
            if prop not in old_props:
                required = prop in new_req
                self.add(
                    "argument.added" if as_args else f"{ctx.noun}.added",
                    ctx.breaking(on_input=required, on_output=False),
                    ctx.subject,
                    f"new {'required' if required else 'optional'} {child(name, True).label} "
                    f"({self.describe_new(schema)})",
                    here,
                )
                continue
            was_required, is_required = prop in old_req, prop in new_req
            sub = child(name, optional=not (was_required and is_required))
            self.required(sub, was_required, is_required, here)
            self.schema(sub, old_props[prop][0], schema, here, old_at=old_props[prop][1])


def _kind_text(body: _Body) -> str:
    if body.kind == "fields":
        return f"JSON fields as arguments ({body.media_type})"
    return f"one `body` argument ({body.media_type})"


def _returned(responses: Mapping[str, Schema]) -> Schema | None:
    """The schema of what the plain method returns (the generator's rule), None for no body."""
    for media, schema in responses.items():
        if _body_kind(media) == "json":
            return schema
    if responses:
        return {"type": "string"}  # text, binary or only an event stream: returned as text
    return None


def _values(values: Iterable[Any] | None) -> str:
    return ", ".join(repr(v) for v in values or [])


# --------------------------------------------------------------------------- entry points


def diff_specs(old: LoadedSpec, new: LoadedSpec) -> Changelog:
    """Compare two loaded specs; breaking changes first, methods before models."""
    differ = _Differ(_Doc(old), _Doc(new))
    differ.operations()
    differ.models()
    changes = sorted(differ.changes, key=lambda c: (not c.breaking, _subject_order(c.subject)))
    return Changelog(old.display, new.display, changes)


def diff_files(old: Path, new: Path, *, lenient: bool = False) -> Changelog:
    """With `lenient`, both specs get the repairs `generate --lenient` makes (and their
    warnings), so that the changelog names what that generation produces."""
    specs = [load(old), load(new)]
    for spec in specs if lenient else []:
        validate(spec, lenient=True)
        for warning in spec.warnings:
            print(f"warning: {warning}", file=sys.stderr)
    return diff_specs(*specs)


def main(argv: list[str] | None = None) -> int:
    """``diff OLD NEW [--format text|json] [--fail-on-breaking]``; exit 1 on breaking when asked."""
    parser = argparse.ArgumentParser(
        prog="python -m generator diff",
        description="Changelog of the SDK surface between two OpenAPI specs.",
    )
    parser.add_argument("old", type=Path, help="the spec the current SDK was generated from")
    parser.add_argument("new", type=Path, help="the spec to compare against it")
    parser.add_argument("--format", choices=("text", "json"), default="text")
    parser.add_argument(
        "--fail-on-breaking",
        action="store_true",
        help="exit with status 1 when any change is breaking",
    )
    parser.add_argument(
        "--lenient",
        action="store_true",
        help="repair both specs as generate --lenient does (see generator/load.py LENIENT)",
    )
    args = parser.parse_args(argv)
    try:
        changelog = diff_files(args.old, args.new, lenient=args.lenient)
    except SpecError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if args.format == "json":
        print(json.dumps(changelog.to_json(), indent=2, default=str))
    else:
        sys.stdout.write(changelog.to_text())
    return 1 if args.fail_on_breaking and changelog.breaking else 0


if __name__ == "__main__":
    sys.exit(main())
