"""The API as plain data: operations, parameters, bodies, responses and streaming.

Two steps. `prepare` rewrites the spec so that every schema the client needs has a class name
(component schemas get valid class names; inline request/response schemas are hoisted into
components). `build` then reads the operations, using the class kinds the models step reported
(BaseModel vs RootModel) to type arguments and results.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from . import names
from .load import Spec, escape_pointer_token, resolve_pointer

HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
SCHEMA_PREFIX = "#/components/schemas/"

ClassKind = Literal["model", "root"]
Location = Literal["path", "query", "header", "body"]
BodyKind = Literal["flattened", "json", "multipart", "form", "binary"]


@dataclass(frozen=True)
class Parameter:
    """One method argument: a path/query/header parameter or a flattened body field."""

    wire_name: str
    python_name: str
    location: Location
    annotation: str  # without the Optional[...] added for optional arguments
    required: bool
    description: str = ""


@dataclass(frozen=True)
class Body:
    kind: BodyKind
    content_type: str
    required: bool
    fields: tuple[Parameter, ...] = ()  # kind == "flattened"
    annotation: str = ""  # the single `body` argument otherwise
    stream_flag: str | None = None  # wire name of a boolean `stream` property
    description: str = ""
    file_fields: tuple[str, ...] = ()  # kind == "multipart": parts the spec declares binary


@dataclass(frozen=True)
class Operation:
    name: str  # operationId, or the derived python name when the spec has none
    python_name: str
    constant: str
    method: str  # upper case
    path: str
    summary: str
    description: str
    deprecated: bool
    path_params: tuple[Parameter, ...]
    query_params: tuple[Parameter, ...]
    header_params: tuple[Parameter, ...]
    body: Body | None
    response_type: str  # runtime value for Operation.response_type: class name, dict, list, str, None
    return_annotation: str
    streams: bool
    stream_done_sentinel: str | None
    stream_name: str | None  # python name of the `_stream` twin

    @property
    def params(self) -> tuple[Parameter, ...]:
        return self.path_params + self.query_params + self.header_params

    @property
    def positional(self) -> tuple[Parameter, ...]:
        fields = self.body.fields if self.body and self.body.kind == "flattened" else ()
        return self.path_params + tuple(f for f in fields if f.required)

    @property
    def keyword_only(self) -> tuple[Parameter, ...]:
        fields = self.body.fields if self.body and self.body.kind == "flattened" else ()
        rest = self.query_params + self.header_params + tuple(f for f in fields if not f.required)
        return tuple(p for p in rest if p.required) + tuple(p for p in rest if not p.required)

    @property
    def body_fields(self) -> tuple[Parameter, ...]:
        return self.body.fields if self.body and self.body.kind == "flattened" else ()


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


@dataclass
class API:
    title: str
    version: str
    operations: list[Operation]
    classes: dict[str, ClassKind]
    schema_count: int
    used_classes: list[str] = field(default_factory=list)

    @property
    def method_count(self) -> int:
        return sum(2 if op.streams else 1 for op in self.operations)


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
    """Turns schemas into Python annotations, given which classes are BaseModel or RootModel."""

    def __init__(self, data: Mapping[str, Any], classes: Mapping[str, ClassKind]) -> None:
        self.data = data
        self.classes = classes
        self.used: set[str] = set()

    def annotation(self, schema: Any, *, inputs: bool, depth: int = 0) -> str:
        if not isinstance(schema, dict) or depth > 20:
            return "Any"
        ref = schema.get("$ref")
        if isinstance(ref, str):
            if ref.startswith(SCHEMA_PREFIX):
                cls = ref[len(SCHEMA_PREFIX) :]
                kind = self.classes.get(cls)
                if kind is not None:
                    self.used.add(cls)
                    if not inputs:
                        return cls
                    target = _deref(self.data, schema)
                    if kind == "model":
                        return _union([cls, "Dict[str, Any]"])
                    if isinstance(target, dict) and isinstance(target.get("enum"), list):
                        # Named enums also take their plain value: `provider="openai"`.
                        inner = _enum_base_type(target)
                    else:
                        inner = self.annotation(target, inputs=True, depth=depth + 1)
                    return _union([cls, inner]) if inner != "Any" else "Any"
            return self.annotation(_deref(self.data, schema), inputs=inputs, depth=depth + 1)
        nullable = bool(schema.get("nullable"))
        types = schema.get("type")
        if isinstance(types, list):
            nullable = nullable or "null" in types
            members = [t for t in types if t != "null"]
            if len(members) > 1:
                inner = _union(
                    [self.annotation({**schema, "type": t}, inputs=inputs, depth=depth + 1) for t in members]
                )
                return _optional(inner) if nullable else inner
            types = members[0] if members else None
        result = self._annotation_of_type(schema, types, inputs=inputs, depth=depth)
        return _optional(result) if nullable and result != "Any" else result

    def _annotation_of_type(self, schema: Mapping[str, Any], kind: Any, *, inputs: bool, depth: int) -> str:
        const = schema.get("const", ...)
        if const is None:
            return "None"
        if isinstance(const, (str, int, bool)):  # Literal takes only these (floats: base type)
            return f"Literal[{const!r}]"
        if isinstance(schema.get("enum"), list) and schema["enum"]:
            values = schema["enum"]
            if not all(isinstance(v, (str, int, bool)) or v is None for v in values):
                return _enum_base_type(schema)  # floats, objects: Literal cannot hold them
            present = [v for v in values if v is not None]
            if not present:
                return "None"
            literal = "Literal[" + ", ".join(repr(v) for v in present) + "]"
            return _optional(literal) if None in values else literal
        for combinator in ("oneOf", "anyOf"):
            members = schema.get(combinator)
            if isinstance(members, list) and members:
                return _union([self.annotation(m, inputs=inputs, depth=depth + 1) for m in members])
        all_of = schema.get("allOf")
        if isinstance(all_of, list) and len(all_of) == 1 and not schema.get("properties"):
            return self.annotation(all_of[0], inputs=inputs, depth=depth + 1)
        if kind == "string":
            return "str"
        if kind == "integer":
            return "int"
        if kind == "number":
            return "float"
        if kind == "boolean":
            return "bool"
        if kind == "null":
            return "None"
        if kind == "array":
            item = self.annotation(schema.get("items", {}), inputs=inputs, depth=depth + 1)
            return f"Sequence[{item}]" if inputs else f"List[{item}]"
        if kind == "object" or schema.get("properties") or "additionalProperties" in schema:
            extra = schema.get("additionalProperties")
            value = "Any"
            if isinstance(extra, dict) and extra and not schema.get("properties"):
                value = self.annotation(extra, inputs=inputs, depth=depth + 1)
            return f"Mapping[str, {value}]" if inputs else f"Dict[str, {value}]"
        return "Any"


def _enum_base_type(schema: Mapping[str, Any]) -> str:
    kinds = []
    for value in schema.get("enum") or []:
        kind = {bool: "bool", int: "int", float: "float", str: "str"}.get(type(value), "Any")
        if value is not None and kind not in kinds:
            kinds.append(kind)
    inner = _union(kinds) if kinds else "Any"
    return _optional(inner) if None in (schema.get("enum") or []) else inner


def _union(members: list[str]) -> str:
    flat: list[str] = []
    optional = False
    for member in members:
        if member == "Any":
            return "Any"
        if member == "None":
            optional = True
            continue
        if member.startswith("Optional[") and member.endswith("]"):
            optional = True
            member = member[len("Optional[") : -1]
        if member.startswith("Union[") and member.endswith("]"):
            parts = _split_top_level(member[len("Union[") : -1])
        else:
            parts = [member]
        for part in parts:
            if part not in flat:
                flat.append(part)
    if "str" in flat:  # an open enum, Union[Literal["a", "b"], str]: str already takes them
        flat = [m for m in flat if not _is_string_literal(m)]
    if not flat:
        return "None"
    inner = flat[0] if len(flat) == 1 else "Union[" + ", ".join(flat) + "]"
    return _optional(inner) if optional else inner


def _is_string_literal(annotation: str) -> bool:
    if not (annotation.startswith("Literal[") and annotation.endswith("]")):
        return False
    values = _split_top_level(annotation[len("Literal[") : -1])
    return all(v[:1] in ("'", '"') for v in values)


def _optional(annotation: str) -> str:
    if annotation in ("Any", "None") or annotation.startswith("Optional["):
        return annotation
    return f"Optional[{annotation}]"


def _split_top_level(text: str) -> list[str]:
    parts, depth, start = [], 0, 0
    quote: str | None = None
    for i, ch in enumerate(text):
        if quote:
            if ch == quote and text[i - 1] != "\\":
                quote = None
        elif ch in "'\"":
            quote = ch
        elif ch == "[":
            depth += 1
        elif ch == "]":
            depth -= 1
        elif ch == "," and depth == 0:
            parts.append(text[start:i].strip())
            start = i + 1
    parts.append(text[start:].strip())
    return parts


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def build(prepared: Prepared, classes: Mapping[str, ClassKind]) -> API:
    """Read every operation of the prepared spec into the intermediate model."""
    data = prepared.data
    typer = Typer(data, classes)
    operations: list[Operation] = []
    taken_methods: set[str] = set()
    for pointer, method, path, op in iter_operations(data):
        op_id = op.get("operationId") if isinstance(op.get("operationId"), str) else None
        python_name = names.method_name(op_id, method, path, taken_methods)
        taken_methods.add(python_name)
        # A non-flattened body is the `body` argument: parameters must not take that name.
        taken_args: set[str] = set() if _flattened_or_none(data, op) else {"body"}
        params = _parameters(data, prepared.spec, pointer, path, op, typer, taken_args)
        body = _body(data, op, typer, taken_args)
        response_type, return_annotation = _response(data, op, typer)
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
                path=path,
                summary=_text(op.get("summary")),
                description=_text(op.get("description")),
                deprecated=bool(op.get("deprecated")),
                path_params=tuple(p for p in params if p.location == "path"),
                query_params=tuple(p for p in params if p.location == "query"),
                header_params=tuple(p for p in params if p.location == "header"),
                body=body,
                response_type=response_type,
                return_annotation=return_annotation,
                streams=streams,
                stream_done_sentinel=sentinel,
                stream_name=stream_name,
            )
        )
    # Stream twins were named after their operation; a later operation may have claimed the
    # same name first, which `unique` already resolved. Check the whole set once more.
    seen: set[str] = set()
    for operation in operations:
        for n in (operation.python_name, operation.stream_name):
            if n is None:
                continue
            if n in seen:
                raise prepared.spec.error("/paths", f"two client methods would be named {n!r}")
            seen.add(n)
    return API(
        title=_text((data.get("info") or {}).get("title")) or "API",
        version=str((data.get("info") or {}).get("version", "")),
        operations=operations,
        classes=dict(classes),
        schema_count=len(classes),
        used_classes=sorted(typer.used),
    )


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
    merged: dict[tuple[str, str], dict[str, Any]] = {}
    for raw in list(path_item.get("parameters") or []) + list(op.get("parameters") or []):
        param = _deref(data, raw)
        if isinstance(param, dict) and isinstance(param.get("name"), str):
            merged[(param["name"], str(param.get("in")))] = param
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
                annotation=typer.annotation(schema or {}, inputs=True),
                required=bool(param.get("required")) or location == "path",
                description=_text(param.get("description")),
            )
        )
    missing = [n for n in order if not any(p.location == "path" and p.wire_name == n for p in result)]
    if missing:
        raise spec.error(pointer, f"path {path!r} uses undeclared parameter(s) {missing}")
    return result


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


def _body(data: Mapping[str, Any], op: Mapping[str, Any], typer: Typer, taken: set[str]) -> Body | None:
    body = _deref(data, op.get("requestBody"))
    if not isinstance(body, dict):
        return None
    content = body.get("content") or {}
    required = bool(body.get("required"))
    description = _text(body.get("description"))
    found = _json_content(content)
    if found is not None:
        media, media_obj = found
        schema = media_obj.get("schema") or {}
        obj = _object_properties(data, schema)
        if obj is None:
            return Body(
                kind="json",
                content_type=media,
                required=required,
                annotation=typer.annotation(schema, inputs=True),
                description=description,
            )
        properties, required_fields = obj
        fields: list[Parameter] = []
        stream_flag = None
        for wire, prop in properties.items():
            resolved = _deref(data, prop)
            if wire == "stream" and isinstance(resolved, dict) and resolved.get("type") == "boolean":
                stream_flag = wire
                continue
            python_name = names.parameter_name(wire, taken)
            taken.add(python_name)
            fields.append(
                Parameter(
                    wire_name=wire,
                    python_name=python_name,
                    location="body",
                    annotation=typer.annotation(prop, inputs=True),
                    required=wire in required_fields,
                    description=_text(resolved.get("description")) if isinstance(resolved, dict) else "",
                )
            )
        return Body(
            kind="flattened",
            content_type=media,
            required=required,
            fields=tuple(fields),
            stream_flag=stream_flag,
            description=description,
        )
    if not content:
        return None
    media = next(iter(content))
    base = media.split(";")[0].strip().lower()
    if base == "multipart/form-data":
        media_obj = content[media] if isinstance(content[media], dict) else {}
        return Body(
            "multipart",
            media,
            required,
            annotation="Mapping[str, Any]",
            description=description,
            file_fields=_file_fields(data, media_obj.get("schema")),
        )
    if base == "application/x-www-form-urlencoded":
        return Body("form", media, required, annotation="Mapping[str, Any]", description=description)
    return Body("binary", media, required, annotation="Union[bytes, str]", description=description)


def _response(data: Mapping[str, Any], op: Mapping[str, Any], typer: Typer) -> tuple[str, str]:
    response = _success_response(data, op)
    if response is None:
        return "None", "None"
    content = response.get("content") or {}
    found = _json_content(content)
    if found is not None:
        schema = found[1].get("schema") or {}
        ref = schema.get("$ref") if isinstance(schema, dict) else None
        if isinstance(ref, str) and ref.startswith(SCHEMA_PREFIX):
            cls = ref[len(SCHEMA_PREFIX) :]
            if cls in typer.classes:
                typer.used.add(cls)
                return cls, cls
        resolved = _deref(data, schema)
        if isinstance(resolved, dict) and resolved.get("type") == "array":
            return "list", "List[Any]"
        return "dict", "Dict[str, Any]"
    plain = [m for m in content if not m.lower().startswith("text/event-stream")]
    if plain and all(_is_binary_media(m, content[m]) for m in plain):
        return "bytes", "bytes"  # images, octet streams: decoding them as text would corrupt them
    if plain:
        return "str", "str"
    if content:  # only an event stream: the plain method returns the raw text
        return "str", "str"
    return "None", "None"


def _is_binary_schema(data: Mapping[str, Any], schema: Any) -> bool:
    """`format: binary` (3.0), `contentMediaType` (3.1), or an array of those."""
    schema = _deref(data, schema)
    if not isinstance(schema, dict):
        return False
    if schema.get("type") == "array":
        return _is_binary_schema(data, schema.get("items"))
    return schema.get("format") == "binary" or "contentMediaType" in schema


def _file_fields(data: Mapping[str, Any], schema: Any) -> tuple[str, ...]:
    """Wire names of the multipart parts that are files; the others are sent as form fields."""
    obj = _object_properties(data, schema)
    if obj is None:
        return ()
    return tuple(wire for wire, prop in obj[0].items() if _is_binary_schema(data, prop))


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
