"""The API as plain data: operations, parameters, bodies, responses, servers and the schemas'
shapes, typed with `pytypes` values and located by JSON pointer (and line) in the spec.

Two steps. `prepare` rewrites the spec so that every schema the client needs has a class name
(component schemas get valid class names; inline request/response schemas are hoisted into
components). `build` then reads the operations and the schemas. Everything the SDK shows users
is decided here, from the spec: generation renders it (render.py), `diff` compares two of it,
and `check_models` only verifies that datamodel-code-generator's module agrees.
"""

from __future__ import annotations

import ast
import copy
import keyword
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from . import directions, names, pytypes, servers
from .load import Spec, escape_pointer_token, resolve_pointer
from .pytypes import Type

HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
SCHEMA_PREFIX = "#/components/schemas/"

ClassKind = Literal["model", "root"]  # a pydantic BaseModel or RootModel
SchemaKind = Literal["model", "enum", "union", "root"]
Location = Literal["path", "query", "header", "body"]
BodyKind = Literal["flattened", "json", "multipart", "form", "binary"]


@dataclass(frozen=True)
class Parameter:
    """One method argument: a path/query/header parameter or a flattened body field."""

    wire_name: str
    python_name: str
    location: Location
    type: Type  # without the Optional[...] added for optional arguments
    required: bool
    description: str = ""
    pointer: str = ""
    delimiter: str | None = None  # a query array sent as one value (`explode: false`): its separator

    @property
    def annotation(self) -> str:
        return self.type.render()

    @property
    def optional_annotation(self) -> str:
        return pytypes.optional(self.type).render()


@dataclass(frozen=True)
class FilePart:
    """A multipart part the spec declares binary: sent as a file."""

    wire_name: str
    accept: str = ""  # the media types the spec declares for it ("image/png, image/jpeg")
    many: bool = False  # an array of files: one part per file, under the same name


@dataclass(frozen=True)
class Body:
    kind: BodyKind
    content_type: str
    required: bool
    pointer: str
    fields: tuple[Parameter, ...] = ()  # kind "flattened": the arguments; "multipart": the parts
    type: Type | None = None  # the single `body` argument otherwise
    stream_flag: str | None = None  # wire name of a boolean `stream` property
    description: str = ""
    files: tuple[FilePart, ...] = ()  # kind == "multipart": parts the spec declares binary
    model: str | None = None  # "flattened": the class the fields come from; "json": the body's class

    @property
    def file_fields(self) -> tuple[str, ...]:
        return tuple(f.wire_name for f in self.files)

    @property
    def as_arguments(self) -> bool:
        """The body's fields (or multipart parts) are the method's arguments; else one `body`."""
        return self.kind == "flattened" or (self.kind == "multipart" and bool(self.fields))

    @property
    def annotation(self) -> str:
        return self.type.render() if self.type is not None else ""

    @property
    def optional_annotation(self) -> str:
        return pytypes.optional(self.type).render() if self.type is not None else ""


@dataclass(frozen=True)
class Operation:
    name: str  # operationId, or the derived python name when the spec has none
    python_name: str
    constant: str
    method: str  # upper case
    template: str  # the path as the spec writes it
    path: str  # what is requested below the origin: server path + template
    pointer: str
    line: int | None
    summary: str
    description: str
    deprecated: bool
    path_params: tuple[Parameter, ...]
    query_params: tuple[Parameter, ...]
    header_params: tuple[Parameter, ...]
    body: Body | None
    response_type: str  # runtime value for Operation.response_type: class name, dict, list, str, None
    return_type: Type
    streams: bool
    stream_done_sentinel: str | None
    stream_name: str | None  # python name of the `_stream` twin

    @property
    def return_annotation(self) -> str:
        return self.return_type.render()

    @property
    def params(self) -> tuple[Parameter, ...]:
        return self.path_params + self.query_params + self.header_params

    @property
    def delimited_query(self) -> tuple[tuple[str, str], ...]:
        """(wire name, separator) of the query arrays sent as one value."""
        return tuple((p.wire_name, p.delimiter) for p in self.query_params if p.delimiter)

    @property
    def positional(self) -> tuple[Parameter, ...]:
        fields = self.body.fields if self.body and self.body.as_arguments else ()
        return self.path_params + tuple(f for f in fields if f.required)

    @property
    def keyword_only(self) -> tuple[Parameter, ...]:
        fields = self.body.fields if self.body and self.body.as_arguments else ()
        rest = self.query_params + self.header_params + tuple(f for f in fields if not f.required)
        return tuple(p for p in rest if p.required) + tuple(p for p in rest if not p.required)

    @property
    def body_fields(self) -> tuple[Parameter, ...]:
        return self.body.fields if self.body and self.body.kind == "flattened" else ()

    @property
    def form_parts(self) -> tuple[Parameter, ...]:
        """The parts of a multipart body, as the method's arguments (else none)."""
        return self.body.fields if self.body and self.body.kind == "multipart" else ()

    @property
    def form_constant(self) -> str:
        """The module constant of the operation's `MultipartForm`."""
        return "_FORM" + self.constant.removeprefix("_OP")

    @property
    def typed_fields(self) -> tuple[str, ...]:
        """Wire names of the flattened body's fields whose arguments take a TypedDict (a dict
        given there is validated by the body's model before it is sent)."""
        if self.body is None or self.body.model is None:
            return ()
        return tuple(f.wire_name for f in self.body_fields if _takes_typed_dict(f.type))

    @property
    def typed_body(self) -> bool:
        """Whether the one `body` argument takes TypedDicts (validated by its class whole)."""
        body = self.body
        return (
            body is not None
            and body.kind == "json"
            and body.model is not None
            and body.type is not None
            and _takes_typed_dict(body.type)
        )

    @property
    def methods(self) -> tuple[str, ...]:
        """The client methods this operation becomes."""
        return (self.python_name,) + ((self.stream_name,) if self.stream_name else ())

    @property
    def route(self) -> str:
        return f"{self.method} {self.path}"

    def argument_types(self) -> Iterator[Type]:
        """Every argument annotation (and multipart part type) of the operation's methods."""
        for p in self.params + (self.body.fields if self.body else ()):
            yield p.type
        if self.body is not None and self.body.type is not None:
            yield self.body.type
        if self.body is not None and self.body.model is not None:
            yield pytypes.model(self.body.model)

    def types(self) -> Iterator[Type]:
        """Every annotation of the operation's methods."""
        yield from (p.type for p in self.params + self.body_fields + self.form_parts)
        if self.body is not None and self.body.type is not None:
            yield self.body.type
        yield self.return_type


def _takes_typed_dict(value: Type) -> bool:
    return any(module == pytypes.PARAMS for module, _ in value.imports())


@dataclass(frozen=True)
class Field:
    """One field of a model, as the generated class declares it."""

    wire_name: str
    python_name: str
    type: Type  # the value's type; Optional[...] when the spec allows null
    required: bool
    pointer: str
    default: Any = None  # only for optional fields (a required field has none in the SDK)
    has_default: bool = False
    fields: tuple[Field, ...] = ()  # an inline object's own fields (a nested generated class)
    description: str = ""

    @property
    def nullable(self) -> bool:
        return pytypes.NONE in pytypes.members(self.type)


@dataclass(frozen=True)
class Schema:
    """One generated class: its kind and the shape users see."""

    name: str  # class name
    kind: SchemaKind
    pointer: str  # where the spec writes it
    fields: tuple[Field, ...] = ()  # kind == "model"
    value: Type | None = None  # the root value's type otherwise
    enum: tuple[Any, ...] = ()  # kind == "enum": the known values
    open: bool = False  # kind == "enum": any string besides the known values
    discriminator: str | None = None  # kind == "union"
    mapping: tuple[str, ...] = ()  # discriminator tags
    hoisted: tuple[str, str] | None = None  # (operation pointer, "request"|"response")

    @property
    def class_kind(self) -> ClassKind:
        return "model" if self.kind == "model" else "root"

    def types(self) -> Iterator[Type]:
        stack = list(self.fields)
        while stack:
            f = stack.pop()
            yield f.type
            stack.extend(f.fields)
        if self.value is not None:
            yield self.value


@dataclass
class API:
    title: str
    version: str
    operations: list[Operation]
    schemas: dict[str, Schema]
    base_path: str  # what the client's base URL ends with (servers.py)
    used_classes: list[str] = field(default_factory=list)
    # The request models' TypedDict twins (params.py): model class -> (TypedDict name, keys
    # typed as arguments are: a nested model takes its model or its own TypedDict).
    params: dict[str, tuple[str, tuple[Field, ...]]] = field(default_factory=dict)

    @property
    def classes(self) -> dict[str, ClassKind]:
        return {name: schema.class_kind for name, schema in self.schemas.items()}

    @property
    def schema_count(self) -> int:
        return len(self.schemas)

    @property
    def method_count(self) -> int:
        return sum(2 if op.streams else 1 for op in self.operations)


@dataclass
class Prepared:
    """The spec after naming and hoisting; `model_spec` is what the models step consumes."""

    spec: Spec
    data: dict[str, Any]
    schema_names: dict[str, str]  # original component name -> class name
    hoisted: dict[tuple[str, str], str]  # (operation pointer, "request"|"response") -> class name

    @property
    def model_spec(self) -> dict[str, Any]:
        schemas = self.data.get("components", {}).get("schemas", {})
        return {
            "openapi": self.data.get("openapi", "3.1.0"),
            "info": self.data.get("info", {"title": "API", "version": "0"}),
            "paths": {},
            "components": {"schemas": schemas},
        }

    def pointer_of(self, class_name: str) -> str:
        """Where the spec (as written) defines the schema of a class."""
        for original, name in self.schema_names.items():
            if name == class_name:
                return "/components/schemas/" + escape_pointer_token(original)
        for (operation, role), name in self.hoisted.items():
            if name == class_name:
                return operation + ("/requestBody" if role == "request" else "/responses")
        return "/components/schemas/" + escape_pointer_token(class_name)


def iter_operations(data: Mapping[str, Any]) -> list[tuple[str, str, str, dict[str, Any]]]:
    """(pointer, method, path, operation) in spec order."""
    found = []
    for path, item in (data.get("paths") or {}).items():
        if not isinstance(item, dict):
            continue
        for method in HTTP_METHODS:
            op = item.get(method)
            if isinstance(op, dict):
                pointer = f"/paths/{escape_pointer_token(path)}/{method}"
                found.append((pointer, method, path, op))
    return found


def _rewrite_refs(node: Any, mapping: Mapping[str, str]) -> Any:
    if isinstance(node, dict):
        out = {}
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str) and value in mapping:
                out[key] = mapping[value]
            else:
                out[key] = _rewrite_refs(value, mapping)
        return out
    if isinstance(node, list):
        return [_rewrite_refs(v, mapping) for v in node]
    return node


def _deref(data: Mapping[str, Any], node: Any, depth: int = 0) -> Any:
    """Follow `$ref` chains (components/requestBodies, responses, parameters, schemas)."""
    while isinstance(node, dict) and isinstance(node.get("$ref"), str) and depth < 50:
        node = resolve_pointer(data, node["$ref"][1:])
        depth += 1
    return node


def _json_content(content: Mapping[str, Any]) -> tuple[str, dict[str, Any]] | None:
    for media, value in content.items():
        base = media.split(";")[0].strip().lower()
        if base == "application/json" or base.endswith("+json"):
            return media, value if isinstance(value, dict) else {}
    return None


def _is_free_object(schema: Mapping[str, Any]) -> bool:
    keys = set(schema) - {"description", "title", "example", "examples", "default", "nullable"}
    if schema.get("type") not in (None, "object") or schema.get("properties"):
        return False
    return not keys & {"allOf", "oneOf", "anyOf", "enum", "const", "items", "$ref", "not"}


def _operation_base(op: Mapping[str, Any], method: str, path: str) -> str:
    op_id = op.get("operationId")
    if isinstance(op_id, str) and op_id.strip():
        return names.pascal_case(op_id) or "Operation"
    return names.pascal_case(names.method_name(None, method, path))


def prepare(spec: Spec) -> Prepared:
    """Name every component schema as a class and hoist inline request/response schemas."""
    data = copy.deepcopy(spec.data)
    components = data.setdefault("components", {})
    schemas: dict[str, Any] = components.get("schemas") or {}
    schema_names: dict[str, str] = {}
    taken: set[str] = set()
    for original in schemas:
        candidate = names.class_name(original, taken)
        schema_names[original] = candidate
        taken.add(candidate)
    mapping = {
        SCHEMA_PREFIX + escape_pointer_token(old): SCHEMA_PREFIX + new
        for old, new in schema_names.items()
    }
    data = _rewrite_refs(data, mapping)
    components = data["components"]
    renamed = {schema_names[k]: v for k, v in (components.get("schemas") or {}).items()}
    components["schemas"] = renamed

    hoisted: dict[tuple[str, str], str] = {}
    for pointer, method, path, op in iter_operations(data):
        base = _operation_base(op, method, path)
        for role, holder in (
            ("request", _deref(data, op.get("requestBody"))),
            ("response", _success_response(data, op)),
        ):
            name = _hoist(holder, base + role.capitalize(), renamed)
            if name is not None:
                hoisted[(pointer, role)] = name
    return Prepared(spec=spec, data=data, schema_names=schema_names, hoisted=hoisted)


def _hoist(holder: Any, wanted: str, schemas: dict[str, Any]) -> str | None:
    """Move the inline JSON schema of a request body / response into `schemas` as a class."""
    if not isinstance(holder, dict):
        return None
    found = _json_content(holder.get("content") or {})
    if found is None:
        return None
    content = found[1]
    schema = content.get("schema")
    if not isinstance(schema, dict) or "$ref" in schema or _is_free_object(schema):
        return None  # named already, or free-form (typed as a dict)
    name = names.class_name(wanted, schemas)
    schemas[name] = schema
    content["schema"] = {"$ref": SCHEMA_PREFIX + name}
    return name


def _success_response(data: Mapping[str, Any], op: Mapping[str, Any]) -> dict[str, Any] | None:
    """The first 2xx response, resolved; a shared (`$ref`) one is replaced by a private copy."""
    responses = op.get("responses") or {}
    codes = sorted(str(c) for c in responses if str(c).startswith("2") or str(c) == "2XX")
    for code in codes:
        key = code if code in responses else int(code)
        resolved = responses[key]
        if isinstance(resolved, dict) and "$ref" in resolved:
            # Copy the shared response so hoisting one operation never renames another's.
            resolved = copy.deepcopy(_deref(data, resolved))
            responses[key] = resolved
        return resolved if isinstance(resolved, dict) else None
    return None


class Typer:
    """Turns schemas into annotations, given which classes are BaseModel or RootModel.

    `inputs=True` types method arguments (a model also takes its TypedDict twin in `params`,
    else a plain dict; a named enum its plain value; sequences and mappings are
    `Sequence`/`Mapping`); `inputs=False` types the values the SDK builds (model fields as
    datamodel-code-generator declares them). `literal_enums` types a named enum input as its
    values only (the TypedDicts' keys), not as the wrapper class or any string.
    """

    def __init__(
        self,
        data: Mapping[str, Any],
        classes: Mapping[str, ClassKind],
        params: Mapping[str, str] | None = None,
        *,
        literal_enums: bool = False,
    ) -> None:
        self.data = data
        self.classes = classes
        self.params = params or {}  # model class -> the name of its TypedDict twin
        self.literal_enums = literal_enums

    def annotation(self, schema: Any, *, inputs: bool, depth: int = 0) -> Type:
        if not isinstance(schema, dict) or depth > 20:
            return pytypes.ANY
        ref = schema.get("$ref")
        if isinstance(ref, str):
            if ref.startswith(SCHEMA_PREFIX):
                cls = ref[len(SCHEMA_PREFIX) :]
                kind = self.classes.get(cls)
                if kind is not None:
                    named = pytypes.model(cls)
                    if not inputs:
                        return named
                    target = _deref(self.data, schema)
                    if kind == "model":
                        twin = pytypes.param(self.params[cls]) if cls in self.params else pytypes.dict_of(pytypes.ANY)
                        return pytypes.union([named, twin])
                    enum = isinstance(target, dict) and isinstance(target.get("enum"), list)
                    if enum and not self.literal_enums:
                        # Named enums also take their plain value: `provider="openai"`.
                        inner = _enum_base_type(target)
                    else:
                        inner = self.annotation(target, inputs=True, depth=depth + 1)
                        if self.literal_enums and schema_kind(self.data, target) == "enum":
                            return inner
                    return pytypes.union([named, inner]) if inner != pytypes.ANY else pytypes.ANY
            return self.annotation(_deref(self.data, schema), inputs=inputs, depth=depth + 1)
        nullable = bool(schema.get("nullable"))
        types = schema.get("type")
        if isinstance(types, list):
            nullable = nullable or "null" in types
            members = [t for t in types if t != "null"]
            if len(members) > 1:
                inner = pytypes.union(
                    [self.annotation({**schema, "type": t}, inputs=inputs, depth=depth + 1) for t in members]
                )
                return pytypes.optional(inner) if nullable else inner
            types = members[0] if members else None
        result = self._annotation_of_type(schema, types, inputs=inputs, depth=depth)
        return pytypes.optional(result) if nullable else result

    def _annotation_of_type(self, schema: Mapping[str, Any], kind: Any, *, inputs: bool, depth: int) -> Type:
        const = schema.get("const", ...)
        if const is None:
            return pytypes.NONE
        if isinstance(const, (str, int, bool)):  # Literal takes only these (floats: base type)
            return pytypes.Literal((const,))
        if isinstance(schema.get("enum"), list) and schema["enum"]:
            values = schema["enum"]
            if not all(isinstance(v, (str, int, bool)) or v is None for v in values):
                return _enum_base_type(schema)  # floats, objects: Literal cannot hold them
            present = tuple(v for v in values if v is not None)
            if not present:
                return pytypes.NONE
            literal = pytypes.Literal(present)
            return pytypes.optional(literal) if None in values else literal
        for combinator in ("oneOf", "anyOf"):
            members = schema.get(combinator)
            if isinstance(members, list) and members:
                return pytypes.union([self.annotation(m, inputs=inputs, depth=depth + 1) for m in members])
        all_of = schema.get("allOf")
        if isinstance(all_of, list) and len(all_of) == 1 and not schema.get("properties"):
            return self.annotation(all_of[0], inputs=inputs, depth=depth + 1)
        if kind == "string":
            return pytypes.STR if inputs else _string_format(schema)
        simple = {"integer": pytypes.INT, "number": pytypes.FLOAT, "boolean": pytypes.BOOL, "null": pytypes.NONE}
        if kind in simple:
            return simple[kind]
        if kind == "array":
            item = self.annotation(schema.get("items", {}), inputs=inputs, depth=depth + 1)
            return pytypes.list_of(item, inputs=inputs)
        if schema.get("properties") and not inputs:
            return pytypes.INLINE_MODEL  # datamodel-code-generator nests a class for it
        if kind == "object" or schema.get("properties") or "additionalProperties" in schema:
            extra = schema.get("additionalProperties")
            value: Type = pytypes.ANY
            if isinstance(extra, dict) and extra and not schema.get("properties"):
                value = self.annotation(extra, inputs=inputs, depth=depth + 1)
            return pytypes.dict_of(value, inputs=inputs)
        return pytypes.ANY


# String formats datamodel-code-generator turns into other types (pydantic v2 output).
_FORMATS = {
    "byte": pytypes.BASE64_STR,
    "binary": pytypes.BYTES,
    "date-time": pytypes.Name("AwareDatetime", "pydantic"),
    "date": pytypes.Name("date", "datetime"),
    "time": pytypes.Name("time", "datetime"),
    "uri": pytypes.Name("AnyUrl", "pydantic"),
    "uuid": pytypes.Name("UUID", "uuid"),
}


def _string_format(schema: Mapping[str, Any]) -> Type:
    fmt = schema.get("format")
    return _FORMATS.get(fmt, pytypes.STR) if isinstance(fmt, str) else pytypes.STR


def _enum_base_type(schema: Mapping[str, Any]) -> Type:
    kinds: list[Type] = []
    base = {bool: pytypes.BOOL, int: pytypes.INT, float: pytypes.FLOAT, str: pytypes.STR}
    for value in schema.get("enum") or []:
        kind = base.get(type(value), pytypes.ANY)
        if value is not None and kind not in kinds:
            kinds.append(kind)
    inner = pytypes.union(kinds) if kinds else pytypes.ANY
    return pytypes.optional(inner) if None in (schema.get("enum") or []) else inner


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def schema_kind(data: Mapping[str, Any], schema: Any) -> SchemaKind:
    """What datamodel-code-generator makes of a component schema, decided from the schema.

    A BaseModel ("model") for an object with properties or without a typed value map, or an
    `allOf` composition; a RootModel otherwise: "enum" (listed values, open or closed),
    "union" (`oneOf`/`anyOf` of several non-null members) or "root" (anything else).
    `check_models` verifies the generated module agrees.
    """
    if not isinstance(schema, dict) or "$ref" in schema:
        return "root"
    if _open_enum(data, schema) is not None or "enum" in schema or "const" in schema:
        return "enum"
    for combinator in ("oneOf", "anyOf"):
        members = schema.get(combinator)
        if isinstance(members, list) and members:
            return "union" if len(_non_null(members)) > 1 else "root"
    if schema.get("allOf"):
        return "model"
    types = schema.get("type")
    types = [t for t in types if t != "null"] if isinstance(types, list) else [types]
    if types == ["object"] or (types == [None] and "properties" in schema):
        extra = schema.get("additionalProperties")
        if schema.get("properties") or not isinstance(extra, dict):
            return "model"
    return "root"


def _non_null(members: list[Any]) -> list[Any]:
    return [m for m in members if not (isinstance(m, dict) and m.get("type") == "null")]


def _open_enum(data: Mapping[str, Any], schema: Mapping[str, Any]) -> tuple[Any, ...] | None:
    """The known values of an open enum, `anyOf: [{type: string, enum: [...]}, {type: string}]`."""
    for combinator in ("anyOf", "oneOf"):
        members = schema.get(combinator)
        if not isinstance(members, list):
            continue
        resolved = [_deref(data, m) for m in _non_null(members)]
        listed = [m for m in resolved if isinstance(m, dict) and isinstance(m.get("enum"), list)]
        free = [
            m
            for m in resolved
            if isinstance(m, dict) and m.get("type") == "string" and not {"enum", "anyOf", "oneOf", "format"} & set(m)
        ]
        if len(resolved) == 2 and len(listed) == 1 and len(free) == 1:
            return tuple(v for v in listed[0]["enum"] if v is not None)
    return None


def _schemas(prepared: Prepared, typer: Typer) -> dict[str, Schema]:
    data = prepared.data
    hoisted = {cls: place for place, cls in prepared.hoisted.items()}
    result: dict[str, Schema] = {}
    for name, schema in (data.get("components", {}).get("schemas") or {}).items():
        kind = schema_kind(data, schema)
        pointer = prepared.pointer_of(name)
        common: dict[str, Any] = {"name": name, "kind": kind, "pointer": pointer, "hoisted": hoisted.get(name)}
        if kind == "model":
            result[name] = Schema(fields=_fields(prepared, typer, schema, pointer), **common)
            continue
        value = typer.annotation(schema, inputs=False)
        if kind == "enum":
            known = _open_enum(data, schema)
            values = known if known is not None else tuple(schema.get("enum") or [schema.get("const")])
            result[name] = Schema(value=value, enum=values, open=known is not None, **common)
        elif kind == "union":
            disc = schema.get("discriminator") if isinstance(schema.get("discriminator"), dict) else {}
            prop = disc.get("propertyName") if isinstance(disc.get("propertyName"), str) else None
            tags = tuple(str(t) for t in disc.get("mapping") or {}) if prop else ()
            result[name] = Schema(value=value, discriminator=prop, mapping=tags, **common)
        else:
            result[name] = Schema(value=value, **common)
    return result


def _fields(
    prepared: Prepared, typer: Typer, schema: Any, pointer: str, depth: int = 0
) -> tuple[Field, ...]:
    found = _located_properties(prepared, schema, pointer)
    if found is None or depth > 10:
        return ()
    properties, required = found
    fields = []
    for wire, (prop, at) in properties.items():
        resolved = _deref(prepared.data, prop)
        is_required = wire in required
        has_default = not is_required and isinstance(resolved, dict) and "default" in resolved
        inline = _inline_object(prop, at)
        fields.append(
            Field(
                wire_name=wire,
                python_name=_field_name(wire),
                type=typer.annotation(prop, inputs=False),
                required=is_required,
                pointer=at,
                default=resolved.get("default") if has_default else None,
                has_default=has_default,
                fields=_fields(prepared, typer, *inline, depth + 1) if inline else (),
            )
        )
    return tuple(fields)


def _inline_object(schema: Any, pointer: str) -> tuple[dict[str, Any], str] | None:
    """The inline object schema (with properties) a field holds, directly, as the items of an
    array or as the one non-null member of a union, and its pointer; None otherwise."""
    if not isinstance(schema, dict) or "$ref" in schema:
        return None
    if schema.get("properties") and not schema.get("oneOf") and not schema.get("anyOf"):
        return schema, pointer
    if isinstance(schema.get("items"), dict):
        return _inline_object(schema["items"], f"{pointer}/items")
    for combinator in ("anyOf", "oneOf"):
        members = schema.get(combinator)
        if isinstance(members, list) and len(_non_null(members)) == 1:
            index = next(i for i, m in enumerate(members) if m in _non_null(members))
            return _inline_object(members[index], f"{pointer}/{combinator}/{index}")
    return None


def _field_name(wire: str) -> str:
    """The attribute datamodel-code-generator declares: the wire name when it can be one."""
    if wire.isidentifier() and not keyword.iskeyword(wire) and not wire.startswith("_"):
        return wire
    return names.parameter_name(wire)


def _located_properties(
    prepared: Prepared, schema: Any, pointer: str, depth: int = 0
) -> tuple[dict[str, tuple[Any, str]], list[str]] | None:
    """`_object_properties` with the pointer (in the original spec) of every property."""
    data = prepared.data
    ref = schema.get("$ref") if isinstance(schema, dict) else None
    if isinstance(ref, str) and ref.startswith(SCHEMA_PREFIX) and depth < 20:
        name = ref[len(SCHEMA_PREFIX) :]
        return _located_properties(prepared, _deref(data, schema), prepared.pointer_of(name), depth + 1)
    if not isinstance(schema, dict) or schema.get("oneOf") or schema.get("anyOf"):
        return None
    properties: dict[str, tuple[Any, str]] = {}
    required: list[str] = []
    for index, part in enumerate(schema.get("allOf") or []):
        sub = _located_properties(prepared, part, f"{pointer}/allOf/{index}", depth + 1)
        if sub is not None:
            properties.update(sub[0])
            required.extend(r for r in sub[1] if r not in required)
    for wire, prop in (schema.get("properties") or {}).items():
        properties[wire] = (prop, f"{pointer}/properties/{escape_pointer_token(wire)}")
    required.extend(r for r in schema.get("required") or [] if r not in required)
    return properties, required


def check_models(api: API, source: str, spec: Spec) -> None:
    """Fail, located at the schema, when the generated models module disagrees with the IR
    about which classes exist and which are BaseModel or RootModel."""
    found: dict[str, ClassKind] = {}
    for node in ast.parse(source).body:
        if isinstance(node, ast.ClassDef):
            bases = [ast.unparse(b) for b in node.bases]
            found[node.name] = "root" if any(b.startswith("RootModel") for b in bases) else "model"
    for name, schema in api.schemas.items():
        generated = found.get(name)
        if generated is None:
            raise spec.error(schema.pointer, f"datamodel-code-generator produced no class {name!r} for this schema")
        if generated != schema.class_kind:
            expected = "BaseModel" if schema.class_kind == "model" else "RootModel"
            raise spec.error(
                schema.pointer,
                f"class {name!r} was expected to be a {expected} ({schema.kind}) but datamodel-code-generator "
                f"made a {'BaseModel' if generated == 'model' else 'RootModel'}",
            )


def build(prepared: Prepared) -> API:
    """Read every operation and every schema of the prepared spec into the intermediate model."""
    data = prepared.data
    component_schemas = data.get("components", {}).get("schemas") or {}
    classes = {name: schema_kind(data, s) for name, s in component_schemas.items()}
    class_kinds: dict[str, ClassKind] = {
        name: "model" if kind == "model" else "root" for name, kind in classes.items()
    }
    # Models a request body reaches get a TypedDict twin, so arguments take plain dicts typed;
    # not those that take any other key too (a JSON Schema): a TypedDict would refuse them.
    sent = directions.analyse(data).in_bodies
    closed = (n for n in sent if classes.get(n) == "model" and not _open_object(component_schemas[n]))
    twins = param_names(closed, classes)
    typer = Typer(data, class_kinds, twins)
    found = iter_operations(data)
    layout = servers.layout(data, [(pointer, path, op) for pointer, _, path, op in found])
    operations: list[Operation] = []
    taken_methods: set[str] = set()
    for pointer, method, path, op in found:
        op_id = op.get("operationId") if isinstance(op.get("operationId"), str) else None
        python_name = names.method_name(op_id, method, path, taken_methods)
        taken_methods.add(python_name)
        # A non-flattened body is the `body` argument: parameters must not take that name.
        taken_args: set[str] = set() if _flattened_or_none(data, op) else {"body"}
        params = _parameters(data, prepared.spec, pointer, path, op, typer, taken_args)
        body = _body(prepared, pointer, op, typer, taken_args)
        response_type, return_type = _response(data, op, typer)
        streams = _streams(data, op)
        stream_name = None
        if streams:
            stream_name = names.unique(python_name + "_stream", taken_methods)
            taken_methods.add(stream_name)
        sentinel = _done_sentinel(data, op, path) if streams else None
        operations.append(
            Operation(
                name=op_id or python_name,
                python_name=python_name,
                constant=names.constant_name(python_name),
                method=method.upper(),
                template=path,
                path=layout.routes[pointer].path,
                pointer=pointer,
                line=prepared.spec.line_of(pointer),
                summary=_text(op.get("summary")),
                description=_text(op.get("description")),
                deprecated=bool(op.get("deprecated")),
                path_params=tuple(p for p in params if p.location == "path"),
                query_params=tuple(p for p in params if p.location == "query"),
                header_params=tuple(p for p in params if p.location == "header"),
                body=body,
                response_type=response_type,
                return_type=return_type,
                streams=streams,
                stream_done_sentinel=sentinel,
                stream_name=stream_name,
            )
        )
    # Stream twins were named after their operation; a later operation may have claimed the
    # same name first, which `unique` already resolved. Check the whole set once more.
    seen: set[str] = set()
    for operation in operations:
        for n in operation.methods:
            if n in seen:
                raise prepared.spec.error("/paths", f"two client methods would be named {n!r}")
            seen.add(n)
    return API(
        title=_text((data.get("info") or {}).get("title")) or "API",
        version=str((data.get("info") or {}).get("version", "")),
        operations=operations,
        schemas=_schemas(prepared, typer),
        base_path=layout.base_path,
        params=_params(prepared, Typer(data, class_kinds, twins, literal_enums=True), twins),
    )


def _open_object(schema: Any) -> bool:
    """Whether an object schema declares that it takes keys besides its properties."""
    extra = schema.get("additionalProperties") if isinstance(schema, dict) else None
    return extra is True or isinstance(extra, dict)


def param_names(models: Iterable[str], classes: Iterable[str]) -> dict[str, str]:
    """Model class -> its TypedDict's name: `<Model>Param`, unless a class has that name
    (both are imported side by side), then `<Model>Params`, ..."""
    chosen = sorted(models)
    taken = set(classes)
    result: dict[str, str] = {}
    for name in chosen:
        candidate = name + "Param"
        while candidate in taken:
            candidate += "s"
        taken.add(candidate)
        result[name] = candidate
    return result


def _params(
    prepared: Prepared, typer: Typer, twins: Mapping[str, str]
) -> dict[str, tuple[str, tuple[Field, ...]]]:
    """The keys of each request model's TypedDict: wire names, typed as arguments are."""
    result: dict[str, tuple[str, tuple[Field, ...]]] = {}
    for name, typed_name in twins.items():
        found = _located_properties(prepared, {"$ref": SCHEMA_PREFIX + name}, prepared.pointer_of(name))
        properties, required = found if found is not None else ({}, [])
        result[name] = typed_name, tuple(
            Field(
                wire_name=wire,
                python_name=wire,
                type=typer.annotation(prop, inputs=True),
                required=wire in required,
                pointer=at,
                description=_description(prepared.data, prop),
            )
            for wire, (prop, at) in properties.items()
        )
    return result


def _description(data: Mapping[str, Any], schema: Any) -> str:
    """A property's description, or that of the schema it refers to."""
    if isinstance(schema, dict) and isinstance(schema.get("description"), str):
        return _text(schema["description"])
    resolved = _deref(data, schema)
    return _text(resolved.get("description")) if isinstance(resolved, dict) else ""


def _parameters(
    data: Mapping[str, Any],
    spec: Spec,
    pointer: str,
    path: str,
    op: Mapping[str, Any],
    typer: Typer,
    taken: set[str],
) -> list[Parameter]:
    path_item = resolve_pointer(data, pointer.rsplit("/", 1)[0])
    item_pointer = pointer.rsplit("/", 1)[0]
    merged: dict[tuple[str, str], dict[str, Any]] = {}
    where: dict[int, str] = {}
    for at, raw_list in ((item_pointer, path_item.get("parameters")), (pointer, op.get("parameters"))):
        for index, raw in enumerate(raw_list or []):
            param = _deref(data, raw)
            if isinstance(param, dict) and isinstance(param.get("name"), str):
                merged[(param["name"], str(param.get("in")))] = param
                where[id(param)] = f"{at}/parameters/{index}"
    result: list[Parameter] = []
    # Path parameters in template order so positional arguments follow the URL.
    order = {name: i for i, name in enumerate(_template_names(path))}
    ordered = sorted(
        merged.values(),
        key=lambda p: (0, order.get(p["name"], 99)) if p.get("in") == "path" else (1, 0),
    )
    for param in ordered:
        location = param.get("in")
        if location not in ("path", "query", "header"):
            continue  # cookies are the transport's business
        if location == "header" and param["name"].lower() in ("authorization", "content-type", "accept"):
            continue
        if location == "path" and param["name"] not in order:
            raise spec.error(pointer, f"path parameter {param['name']!r} is not in the path {path!r}")
        python_name = names.parameter_name(param["name"], taken)
        taken.add(python_name)
        schema = param.get("schema")
        if schema is None and isinstance(param.get("content"), dict):
            first: Any = next(iter(param["content"].values()), {})
            schema = first.get("schema") if isinstance(first, dict) else None
        result.append(
            Parameter(
                wire_name=param["name"],
                python_name=python_name,
                location=location,
                type=typer.annotation(schema or {}, inputs=True),
                required=bool(param.get("required")) or location == "path",
                description=_text(param.get("description")),
                pointer=where[id(param)],
                delimiter=_query_delimiter(param, schema) if location == "query" else None,
            )
        )
    missing = [n for n in order if not any(p.location == "path" and p.wire_name == n for p in result)]
    if missing:
        raise spec.error(pointer, f"path {path!r} uses undeclared parameter(s) {missing}")
    return result


_DELIMITERS = {"form": ",", "spaceDelimited": " ", "pipeDelimited": "|"}


def _query_delimiter(param: Mapping[str, Any], schema: Any) -> str | None:
    """The separator of a query array sent as one value (`style: form` with `explode: false`,
    `spaceDelimited`, `pipeDelimited`); None when each item is its own `name=value`."""
    style = param.get("style", "form")
    explode = param.get("explode", style == "form")
    is_array = isinstance(schema, Mapping) and schema.get("type") == "array"
    return _DELIMITERS.get(style) if is_array and not explode else None


def _template_names(path: str) -> list[str]:
    found, rest = [], path
    while "{" in rest and "}" in rest:
        start = rest.index("{")
        end = rest.index("}", start)
        found.append(rest[start + 1 : end])
        rest = rest[end + 1 :]
    return found


def _object_properties(data: Mapping[str, Any], schema: Any) -> tuple[dict[str, Any], list[str]] | None:
    """Properties and required list of an object schema (allOf merged), or None if not one."""
    schema = _deref(data, schema)
    if not isinstance(schema, dict) or schema.get("oneOf") or schema.get("anyOf"):
        return None
    if schema.get("type") not in (None, "object"):
        return None
    properties: dict[str, Any] = {}
    required: list[str] = []
    for part in schema.get("allOf") or []:
        sub = _object_properties(data, part)
        if sub is None:
            return None
        properties.update(sub[0])
        required.extend(r for r in sub[1] if r not in required)
    properties.update(schema.get("properties") or {})
    required.extend(r for r in schema.get("required") or [] if r not in required)
    if not properties:
        return None
    return properties, required


def _flattened_or_none(data: Mapping[str, Any], op: Mapping[str, Any]) -> bool:
    body = _deref(data, op.get("requestBody"))
    if not isinstance(body, dict) or not body.get("content"):
        return True
    found = _json_content(body["content"])
    return found is not None and _object_properties(data, found[1].get("schema") or {}) is not None


def _body(
    prepared: Prepared, pointer: str, op: Mapping[str, Any], typer: Typer, taken: set[str]
) -> Body | None:
    data = prepared.data
    body = _deref(data, op.get("requestBody"))
    if not isinstance(body, dict):
        return None
    content = body.get("content") or {}
    required = bool(body.get("required"))
    description = _text(body.get("description"))
    at = f"{pointer}/requestBody"
    found = _json_content(content)
    if found is not None:
        media, media_obj = found
        at = f"{at}/content/{escape_pointer_token(media)}"
        schema = media_obj.get("schema") or {}
        obj = _object_properties(data, schema)
        ref = schema.get("$ref") if isinstance(schema, dict) else None
        named = ref[len(SCHEMA_PREFIX) :] if isinstance(ref, str) and ref.startswith(SCHEMA_PREFIX) else None
        if obj is None:
            return Body(
                kind="json",
                content_type=media,
                required=required,
                pointer=at,
                type=typer.annotation(schema, inputs=True),
                description=description,
                model=named if named in typer.classes else None,
            )
        properties, required_fields = obj
        field_pointers = _property_pointers(prepared, schema, f"{at}/schema")
        fields: list[Parameter] = []
        stream_flag = None
        for wire, prop in properties.items():
            resolved = _deref(data, prop)
            if _is_stream_flag(wire, resolved):
                stream_flag = wire
                continue
            annotation = typer.annotation(prop, inputs=True)
            pointer = field_pointers.get(wire, at)
            fields.append(_body_argument(wire, resolved, annotation, wire in required_fields, pointer, taken))
        return Body(
            kind="flattened",
            content_type=media,
            required=required,
            pointer=at,
            model=named,
            fields=tuple(fields),
            stream_flag=stream_flag,
            description=description,
        )
    if not content:
        return None
    media = next(iter(content))
    at = f"{at}/content/{escape_pointer_token(media)}"
    base = media.split(";")[0].strip().lower()
    form = pytypes.dict_of(pytypes.ANY, inputs=True)
    if base == "multipart/form-data":
        media_obj = content[media] if isinstance(content[media], dict) else {}
        schema = media_obj.get("schema")
        files = _file_parts(data, schema, media_obj.get("encoding"))
        streams = _streams(data, op)
        parts, stream_flag = _parts(prepared, schema, files, typer, f"{at}/schema", taken, streams)
        return Body(
            "multipart",
            media,
            required,
            at,
            fields=parts,
            type=None if parts else form,
            stream_flag=stream_flag,
            description=description,
            files=files,
        )
    if base == "application/x-www-form-urlencoded":
        return Body("form", media, required, at, type=form, description=description)
    raw = pytypes.union([pytypes.BYTES, pytypes.STR])
    return Body("binary", media, required, at, type=raw, description=description)


def _parts(
    prepared: Prepared,
    schema: Any,
    files: tuple[FilePart, ...],
    typer: Typer,
    at: str,
    taken: set[str],
    streams: bool,
) -> tuple[tuple[Parameter, ...], str | None]:
    """The parts of a multipart body as arguments (files typed `FileInput`), and the wire name
    of a boolean `stream` part of an operation that streams (the `_stream` twin sets it; an
    operation that does not stream keeps it as an argument)."""
    obj = _object_properties(prepared.data, schema)
    if obj is None:
        return (), None
    pointers = _property_pointers(prepared, schema, at)
    by_name = {f.wire_name: f for f in files}
    parts: list[Parameter] = []
    stream_flag = None
    for wire, prop in obj[0].items():
        resolved = _deref(prepared.data, prop)
        if streams and _is_stream_flag(wire, resolved):
            stream_flag = wire
            continue
        file = by_name.get(wire)
        if file is None:
            annotation = typer.annotation(prop, inputs=True)
        elif file.many:
            annotation = pytypes.list_of(pytypes.FILE_INPUT, inputs=True)
        else:
            annotation = pytypes.FILE_INPUT
        pointer = pointers.get(wire, at)
        parts.append(_body_argument(wire, resolved, annotation, wire in obj[1], pointer, taken))
    return tuple(parts), stream_flag


def _is_stream_flag(wire: str, resolved: Any) -> bool:
    """A boolean `stream` property: the method twins set it, it is no argument."""
    return wire == "stream" and isinstance(resolved, dict) and resolved.get("type") == "boolean"


def _body_argument(
    wire: str, resolved: Any, annotation: Type, required: bool, pointer: str, taken: set[str]
) -> Parameter:
    """A body field or multipart part as a method argument (its name kept unique in `taken`)."""
    python_name = names.parameter_name(wire, taken)
    taken.add(python_name)
    return Parameter(
        wire_name=wire,
        python_name=python_name,
        location="body",
        type=annotation,
        required=required,
        description=_text(resolved.get("description")) if isinstance(resolved, dict) else "",
        pointer=pointer,
    )


def _property_pointers(prepared: Prepared, schema: Any, at: str) -> dict[str, str]:
    """Wire name -> pointer (in the spec as written) of each property of an object schema."""
    found = _located_properties(prepared, schema, at)
    return {wire: where for wire, (_, where) in found[0].items()} if found else {}


def _response(data: Mapping[str, Any], op: Mapping[str, Any], typer: Typer) -> tuple[str, Type]:
    response = _success_response(data, op)
    if response is None:
        return "None", pytypes.NONE
    content = response.get("content") or {}
    found = _json_content(content)
    if found is not None:
        schema = found[1].get("schema") or {}
        ref = schema.get("$ref") if isinstance(schema, dict) else None
        if isinstance(ref, str) and ref.startswith(SCHEMA_PREFIX):
            cls = ref[len(SCHEMA_PREFIX) :]
            if cls in typer.classes:
                return cls, pytypes.model(cls)
        resolved = _deref(data, schema)
        if isinstance(resolved, dict) and resolved.get("type") == "array":
            return "list", pytypes.list_of(pytypes.JSON_VALUE)
        return "dict", pytypes.dict_of(pytypes.JSON_VALUE)
    plain = [m for m in content if not m.lower().startswith("text/event-stream")]
    if plain and all(_is_binary_media(m, content[m]) for m in plain):
        return "bytes", pytypes.BYTES  # images, octet streams: decoding them as text would corrupt them
    if content:  # text, or only an event stream: the plain method returns the raw text
        return "str", pytypes.STR
    return "None", pytypes.NONE


def _is_binary_schema(data: Mapping[str, Any], schema: Any) -> bool:
    """`format: binary` (3.0), `contentMediaType` (3.1), or an array of those."""
    schema = _deref(data, schema)
    if not isinstance(schema, dict):
        return False
    if schema.get("type") == "array":
        return _is_binary_schema(data, schema.get("items"))
    return schema.get("format") == "binary" or "contentMediaType" in schema


def _file_parts(data: Mapping[str, Any], schema: Any, encoding: Any) -> tuple[FilePart, ...]:
    """The multipart parts that are files, with the media types the spec accepts for each (its
    `encoding` entry's `contentType`, else the schema's `contentMediaType`); the other parts
    are sent as form fields."""
    obj = _object_properties(data, schema)
    if obj is None:
        return ()
    encoding = encoding if isinstance(encoding, dict) else {}
    found = []
    for wire, prop in obj[0].items():
        if not _is_binary_schema(data, prop):
            continue
        resolved = _deref(data, prop)
        many = isinstance(resolved, dict) and resolved.get("type") == "array"
        item = _deref(data, resolved.get("items")) if many else resolved
        entry = encoding.get(wire)
        accept = entry.get("contentType") if isinstance(entry, dict) else None
        if not isinstance(accept, str) and isinstance(item, dict):
            accept = item.get("contentMediaType")
        found.append(FilePart(wire, accept if isinstance(accept, str) else "", many))
    return tuple(found)


_BINARY_MEDIA = (
    "image/",
    "audio/",
    "video/",
    "application/octet-stream",
    "application/pdf",
    "application/zip",
)


def _is_binary_media(media: str, media_obj: Any) -> bool:
    base = media.split(";")[0].strip().lower()
    if base.startswith(_BINARY_MEDIA):
        return True
    schema = media_obj.get("schema") if isinstance(media_obj, dict) else None
    return not base.startswith("text/") and isinstance(schema, dict) and schema.get("format") == "binary"


def _streams(data: Mapping[str, Any], op: Mapping[str, Any]) -> bool:
    for code, response in (op.get("responses") or {}).items():
        if not str(code).startswith("2"):
            continue
        resolved = _deref(data, response)
        if isinstance(resolved, dict):
            for media in resolved.get("content") or {}:
                if media.lower().startswith("text/event-stream"):
                    return True
    return False


_DONE_EXTENSIONS = ("x-sse-done-sentinel", "x-stream-done")
_CHAT_COMPLETIONS_PATHS = ("/chat/completions", "/completions")


def _done_sentinel(data: Mapping[str, Any], op: Mapping[str, Any], path: str) -> str | None:
    """The data line that ends the operation's event stream, or None: the body's end is the end.

    The spec decides (`x-sse-done-sentinel` / `x-stream-done` on the event-stream media type or
    the operation; a string or null). Without it only the OpenAI chat-completions shape ends with
    `[DONE]`: Responses API and Anthropic Messages streams end cleanly after their last event.
    """
    places: list[Mapping[str, Any]] = [op]
    for code, response in (op.get("responses") or {}).items():
        resolved = _deref(data, response) if str(code).startswith("2") else None
        if isinstance(resolved, dict):
            for media, media_obj in (resolved.get("content") or {}).items():
                if media.lower().startswith("text/event-stream") and isinstance(media_obj, dict):
                    places.insert(0, media_obj)
    for place in places:
        for key in _DONE_EXTENSIONS:
            if key in place:
                value = place[key]
                return value if isinstance(value, str) else None
    if op.get("operationId") == "createChatCompletion" or path.rstrip("/").endswith(
        _CHAT_COMPLETIONS_PATHS
    ):
        return "[DONE]"
    return None
