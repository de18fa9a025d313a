"""Load a spec (YAML or JSON) and validate it; every error names file, JSON pointer and line.

A JSON spec (a `.json` file, or a document that parses as JSON) is read as JSON, so its numbers
and strings mean what JSON says (`1e-05` is a number, not YAML 1.1's string). Validation reports
every problem of a document at once. `validate(..., lenient=True)` repairs the defects listed in
`LENIENT`, common in large public specs and harmless to the generated code, and reports them as
warnings instead of stopping.
"""

from __future__ import annotations

import bisect
import functools
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

try:  # libyaml is much faster; fall back to the pure-Python loader when it is missing
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on the PyYAML build
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]


class SpecError(Exception):
    """A spec problem located by file, JSON pointer and line."""

    def __init__(self, file: str, pointer: str, line: int | None, message: str) -> None:
        self.file = file
        self.pointer = pointer or "/"
        self.line = line
        self.message = message
        super().__init__(_located(file, self.pointer, line, message))

    @property
    def errors(self) -> list[SpecError]:
        """Every problem this error stands for (one, or all of a document's: SpecErrors)."""
        return [self]


class SpecErrors(SpecError):
    """All the problems validation found in one document; reads as one line per problem."""

    def __init__(self, errors: list[SpecError]) -> None:
        first = errors[0]
        super().__init__(first.file, first.pointer, first.line, first.message)
        self._errors = errors
        self.args = ("\n".join(str(e) for e in errors),)

    @property
    def errors(self) -> list[SpecError]:
        return list(self._errors)


@dataclass(frozen=True)
class SpecWarning:
    """A defect `--lenient` repaired, located like an error."""

    file: str
    pointer: str
    line: int | None
    message: str

    def __str__(self) -> str:
        return _located(self.file, self.pointer, self.line, self.message)


def _located(file: str, pointer: str, line: int | None, message: str) -> str:
    where = f"{file}:{line}" if line is not None else file
    return f"{where}: at {pointer or '/'}: {message}"


@dataclass
class Spec:
    """A loaded document plus the line of every node (keyed by JSON pointer)."""

    path: Path
    display: str
    data: dict[str, Any]
    lines: dict[str, int] = field(default_factory=dict)
    text: str = ""  # the document as read (cache key for validation)
    warnings: list[SpecWarning] = field(default_factory=list)  # what --lenient repaired

    def line_of(self, pointer: str) -> int | None:
        """Line of the node at `pointer`, or of its nearest ancestor that has one."""
        while True:
            if pointer in self.lines:
                return self.lines[pointer]
            if not pointer:
                return None
            pointer = pointer.rsplit("/", 1)[0]

    def error(self, pointer: str, message: str) -> SpecError:
        return SpecError(self.display, pointer, self.line_of(pointer), message)

    def warn(self, pointer: str, message: str) -> None:
        self.warnings.append(SpecWarning(self.display, pointer, self.line_of(pointer), message))


def escape_pointer_token(token: object) -> str:
    return str(token).replace("~", "~0").replace("/", "~1")


def pointer_of(parts: Iterator[object] | list[object] | tuple[object, ...]) -> str:
    return "".join("/" + escape_pointer_token(p) for p in parts)


def resolve_pointer(data: Any, pointer: str) -> Any:
    """The node at a local JSON pointer (`/components/schemas/Foo`); KeyError when missing."""
    node = data
    if not pointer:
        return node
    for raw in pointer.lstrip("/").split("/"):
        token = raw.replace("~1", "/").replace("~0", "~")
        if isinstance(node, list):
            node = node[int(token)]
        elif isinstance(node, dict):
            node = node[token]
        else:
            raise KeyError(pointer)
    return node


def _record_lines(
    node: yaml.Node,
    pointer: str,
    lines: dict[str, int],
    seen: set[int],
    duplicates: list[tuple[str, int]],
) -> None:
    lines.setdefault(pointer, node.start_mark.line + 1)
    if id(node) in seen:  # YAML aliases share nodes; walk each once
        return
    seen.add(id(node))
    if isinstance(node, yaml.MappingNode):
        keys: set[str] = set()
        for key, value in node.value:
            if isinstance(key, yaml.ScalarNode):
                child = pointer + "/" + escape_pointer_token(key.value)
                if key.value in keys and key.tag != "tag:yaml.org,2002:merge":
                    duplicates.append((child, key.start_mark.line + 1))
                keys.add(key.value)
                lines.setdefault(child, key.start_mark.line + 1)
                _record_lines(value, child, lines, seen, duplicates)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _record_lines(item, f"{pointer}/{index}", lines, seen, duplicates)


def display_path(path: Path) -> str:
    """The path as shown in messages and headers: relative to the cwd when possible."""
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def load(path: Path) -> Spec:
    """Parse a YAML or JSON spec into plain data, keeping line numbers.

    JSON is detected by the `.json` extension (then it must be valid JSON) or by content: a
    document starting with `{` that parses as JSON; anything else is YAML.
    """
    display = display_path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else exc
        raise SpecError(display, "/", None, f"cannot read spec: {reason}") from exc
    if path.suffix.lower() == ".json" or text.lstrip().startswith("{"):
        parsed = _load_json(text, display, required=path.suffix.lower() == ".json")
        if parsed is not None:
            data, lines = parsed
            return Spec(path=path, display=display, data=data, lines=lines, text=text)
    return _load_yaml(text, path, display)


def _load_json(text: str, display: str, *, required: bool) -> tuple[dict[str, Any], dict[str, int]] | None:
    """JSON data and the line of every pointer; None when it is not JSON and need not be."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        if not required:
            return None  # a YAML flow mapping, most likely
        raise SpecError(display, "/", exc.lineno, f"not valid JSON: {exc.msg}") from exc
    if not isinstance(data, dict):
        raise SpecError(display, "/", 1, "the document must be a mapping (an OpenAPI object)")
    lines: dict[str, int] = {}
    duplicates: list[tuple[str, int]] = []
    _JSONLines(text, lines, duplicates).value(_JSONLines.skip(text, 0), "")
    if duplicates:
        pointer, line = duplicates[0]
        raise SpecError(display, pointer, line, "duplicate key (an earlier one would be ignored)")
    return data, lines


class _JSONLines:
    """Walks valid JSON text and records the line of every value by JSON pointer (the line of
    its key for members), and repeated keys."""

    _decoder = json.JSONDecoder()
    _WHITESPACE = re.compile(r"[ \t\n\r]*")

    def __init__(self, text: str, lines: dict[str, int], duplicates: list[tuple[str, int]]) -> None:
        self.text = text
        self.lines = lines
        self.duplicates = duplicates
        self.newlines = [i for i, ch in enumerate(text) if ch == "\n"]

    @classmethod
    def skip(cls, text: str, index: int) -> int:
        match = cls._WHITESPACE.match(text, index)
        return match.end() if match else index

    def line(self, index: int) -> int:
        return bisect.bisect_left(self.newlines, index) + 1

    def value(self, index: int, pointer: str) -> int:
        """Record the value starting at `index`; return the index after it."""
        self.lines.setdefault(pointer, self.line(index))
        text, char = self.text, self.text[index]
        if char == "{":
            index = self.skip(text, index + 1)
            keys: set[str] = set()
            while text[index] != "}":
                key, index = json.decoder.scanstring(text, index + 1)  # type: ignore[attr-defined]
                child = pointer + "/" + escape_pointer_token(key)
                if key in keys:
                    self.duplicates.append((child, self.line(index)))
                keys.add(key)
                self.lines.setdefault(child, self.line(index))
                index = self.skip(text, self.skip(text, index) + 1)  # past the colon
                index = self.skip(text, self.value(index, child))
                if text[index] == ",":
                    index = self.skip(text, index + 1)
            return index + 1
        if char == "[":
            index = self.skip(text, index + 1)
            position = 0
            while text[index] != "]":
                index = self.skip(text, self.value(index, f"{pointer}/{position}"))
                position += 1
                if text[index] == ",":
                    index = self.skip(text, index + 1)
            return index + 1
        _, end = self._decoder.raw_decode(text, index)
        return int(end)


def _load_yaml(text: str, path: Path, display: str) -> Spec:
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            raise SpecError(display, "/", 1, "the document is empty")
        data = loader.construct_document(node)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        raise SpecError(display, "/", line, f"not valid YAML/JSON: {exc.problem or exc}") from exc
    finally:
        loader.dispose()
    if not isinstance(data, dict):
        raise SpecError(display, "/", 1, "the document must be a mapping (an OpenAPI object)")
    lines: dict[str, int] = {}
    duplicates: list[tuple[str, int]] = []
    _record_lines(node, "", lines, set(), duplicates)
    if duplicates:
        # YAML and JSON loaders keep the last value silently; a spec must not say two things.
        pointer, line = duplicates[0]
        raise SpecError(display, pointer, line, "duplicate key (an earlier one would be ignored)")
    # JSON round trip: rejects non-JSON values (dates, binary) the way consumers would, and
    # turns YAML's non-string keys (e.g. status code 200) into strings.
    try:
        data = json.loads(json.dumps(data, default=_reject))
    except (TypeError, ValueError) as exc:
        raise SpecError(display, "/", None, str(exc)) from exc
    return Spec(path=path, display=display, data=data, lines=lines, text=text)


def _reject(value: object) -> object:
    if hasattr(value, "isoformat"):
        return value.isoformat()  # YAML dates: keep them as the ISO string they were written as
    raise TypeError(f"value {value!r} is not representable in JSON")


#: What `--lenient` repairs (each one becomes a located warning). Each repair keeps the
#: generated code correct for what the server really does: the data removed or made up is
#: documentation, a name, or something the spec's own paths already imply.
LENIENT = (
    "a response without `description` (the text is documentation only): an empty one",
    "an `operationId` used before (methods would collide): the later operation is named from its "
    "method and path",
    "a path parameter without `required: true` (path parameters always are): made required",
    "a `{name}` in a path that no parameter declares: a required string path parameter",
    "a `default` that does not match its schema (the server's default applies anyway): dropped",
    "`nullable: true` in an OpenAPI 3.1 spec (a 3.0 keyword 3.1 ignores): read as a `null` type",
)

_HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
_PATH_TEMPLATE = re.compile(r"{([^{}]+)}")


def validate(spec: Spec, *, lenient: bool = False) -> None:
    """openapi-spec-validator plus the checks the generator relies on.

    Raises SpecErrors with every problem found (each located). With `lenient`, the defects in
    `LENIENT` are repaired in `spec.data` first and recorded in `spec.warnings`.
    """
    version = str(spec.data.get("openapi", ""))
    if not version.startswith(("3.0", "3.1")):
        raise spec.error("/openapi", f"unsupported OpenAPI version {version!r} (need 3.0 or 3.1)")
    validator_cls = _spec_validator(version[:3])
    # Refs first: the validator cannot go on past a broken one, and names only the ref text.
    errors = ref_errors(spec)
    if errors:
        raise SpecErrors(errors)
    if lenient:
        _repair(spec, version.startswith("3.1"))
    found = _validator_errors(spec, validator_cls)
    defaults = [e for e in found if e.default_pointer] if lenient else []
    for error in defaults:
        parent = error.default_pointer.rpartition("/")[0]
        del resolve_pointer(spec.data, parent)["default"]
        spec.warn(error.default_pointer, f"default ignored: {error.message} (lenient)")
    if defaults:
        found = _validator_errors(spec, validator_cls)
    if found:
        raise SpecErrors([*found])


@functools.cache
def _spec_validator(version: str) -> Any:
    """openapi-spec-validator's class for `version` ("3.0" or "3.1"), checking documents
    against its OpenAPI schema with that schema's references crawled once.

    The stock validator resolves each `$dynamicRef` of the 3.1 schema by crawling the whole
    schema again (referencing does not keep the crawl), most of the validation time on a large
    spec; same validator, same schema, same errors.
    """
    from jsonschema.validators import validator_for  # type: ignore[import-untyped]
    from openapi_spec_validator import OpenAPIV30SpecValidator, OpenAPIV31SpecValidator
    from referencing import Registry, Resource

    base: Any = OpenAPIV31SpecValidator if version == "3.1" else OpenAPIV30SpecValidator
    schema = base.schema_validator.schema
    registry = (Resource.from_contents(schema) @ Registry()).crawl()
    checker = validator_for(schema)(schema, registry=registry)
    return type(base.__name__, (base,), {"schema_validator": checker})


class _Found(SpecError):
    """A validator error, and the `default` node it is about when it is an invalid default."""

    def __init__(self, spec: Spec, pointer: str, message: str, default_pointer: str) -> None:
        super().__init__(spec.display, pointer, spec.line_of(pointer), message)
        self.default_pointer = default_pointer


def _validator_errors(spec: Spec, validator_cls: Any) -> list[_Found]:
    found: list[_Found] = []
    seen: set[tuple[str, str]] = set()
    defaults: set[str] = set()  # each `default` node is the subject of one error
    try:
        for error in validator_cls(spec.data).iter_errors():
            # jsonschema ValidationError: `absolute_path` locates the failing node.
            path = list(getattr(error, "absolute_path", None) or [])
            message = str(getattr(error, "message", None) or error)
            instance = getattr(error, "instance", None)
            default = "" if path else _invalid_default(spec, instance, getattr(error, "schema", None), defaults)
            if default:
                defaults.add(default)
                pointer = default
            elif path:
                pointer = _locate(spec, path, instance)
            else:
                pointer = _pointer_from_message(spec, message)
            if (pointer, message) not in seen:  # the same node reached through two refs
                seen.add((pointer, message))
                found.append(_Found(spec, pointer, message, default))
    except Exception as exc:  # the validator raises on unresolvable refs and similar
        raise spec.error("/", f"validation failed: {exc}") from exc
    return found


def _invalid_default(spec: Spec, value: Any, schema: Any, taken: set[str]) -> str:
    """Pointer of the `default` the validator rejected (its error carries only the value and
    the schema it failed), or ""; `taken`: defaults already matched to an earlier error."""
    if not isinstance(schema, dict):
        return ""
    for pointer in spec.lines:  # document order
        if not pointer.endswith("/default") or pointer in taken:
            continue
        parent = pointer[: -len("/default")]
        try:
            if resolve_pointer(spec.data, pointer) != value:
                continue
            owner = resolve_pointer(spec.data, parent)
        except (KeyError, IndexError, ValueError, TypeError):
            continue
        if not isinstance(owner, dict):
            continue
        own_schema = owner.get("schema") if "in" in owner else owner  # a parameter's default
        if own_schema == schema or owner == schema:
            return pointer
    return ""


def _repair(spec: Spec, openapi_31: bool) -> None:
    """The LENIENT repairs the validator cannot locate precisely, done before it runs."""
    operation_ids: set[str] = set()
    for pointer, node in _operations(spec):
        op_id = node.get("operationId")
        if isinstance(op_id, str):
            if op_id in operation_ids:
                del node["operationId"]
                spec.warn(
                    f"{pointer}/operationId",
                    f"operationId {op_id!r} is used before; this operation is named from its "
                    "method and path (lenient)",
                )
            operation_ids.add(op_id)
        _describe_responses(spec, f"{pointer}/responses", node.get("responses"))
    components = spec.data.get("components")
    if isinstance(components, dict):
        _describe_responses(spec, "/components/responses", components.get("responses"))
    for path, item_pointer, item in _path_items(spec):
        for op_pointer, op in _operations_of(item_pointer, item):
            declared = _path_parameters(spec, item.get("parameters")) | _path_parameters(
                spec, op.get("parameters")
            )
            for name in _PATH_TEMPLATE.findall(path):
                if name not in declared:
                    op.setdefault("parameters", []).append(
                        {"name": name, "in": "path", "required": True, "schema": {"type": "string"}}
                    )
                    spec.warn(op_pointer, f"path parameter {name!r} is not declared; added as a string (lenient)")
    for pointer, node in _walk(spec.data, ""):
        if node.get("in") == "path" and node.get("required") is not True and "name" in node:
            node["required"] = True
            spec.warn(pointer, f"path parameter {node['name']!r} was not marked required (lenient)")
        if openapi_31 and "nullable" in node and isinstance(node.get("type"), str):
            nullable = node.pop("nullable")
            if nullable is True:
                node["type"] = [node["type"], "null"]
            spec.warn(f"{pointer}/nullable", "`nullable` is not an OpenAPI 3.1 keyword; read as a null type (lenient)")


def _describe_responses(spec: Spec, pointer: str, responses: Any) -> None:
    for code, response in responses.items() if isinstance(responses, dict) else []:
        if isinstance(response, dict) and "$ref" not in response and "description" not in response:
            response["description"] = ""
            spec.warn(f"{pointer}/{escape_pointer_token(code)}", "response has no description (lenient)")


def _path_items(spec: Spec) -> Iterator[tuple[str, str, dict[str, Any]]]:
    """(path, pointer, Path Item) of every path."""
    paths = spec.data.get("paths")
    for path, item in paths.items() if isinstance(paths, dict) else []:
        if isinstance(item, dict):
            yield path, f"/paths/{escape_pointer_token(path)}", item


def _operations(spec: Spec) -> Iterator[tuple[str, dict[str, Any]]]:
    for _, pointer, item in _path_items(spec):
        yield from _operations_of(pointer, item)


def _operations_of(pointer: str, item: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    for method in _HTTP_METHODS:
        op = item.get(method)
        if isinstance(op, dict):
            yield f"{pointer}/{method}", op


def _path_parameters(spec: Spec, parameters: Any) -> set[str]:
    names: set[str] = set()
    for parameter in parameters if isinstance(parameters, list) else []:
        if isinstance(parameter, dict) and isinstance(parameter.get("$ref"), str):
            try:
                parameter = resolve_pointer(spec.data, parameter["$ref"][1:])
            except (KeyError, IndexError, ValueError):
                continue
        if isinstance(parameter, dict) and parameter.get("in") == "path":
            names.add(str(parameter.get("name")))
    return names


def _walk(node: Any, pointer: str) -> Iterator[tuple[str, dict[str, Any]]]:
    """Every mapping of the document with its pointer (document order, parents first)."""
    if isinstance(node, dict):
        yield pointer, node
        for key, value in list(node.items()):
            yield from _walk(value, f"{pointer}/{escape_pointer_token(key)}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _walk(value, f"{pointer}/{index}")


def _locate(spec: Spec, path: list[object], instance: Any) -> str:
    """Document pointer of a validator error.

    Errors inside Schema Objects come with a path relative to the schema being checked; find
    the schema in the document whose node at that relative path is the failing instance.
    """
    relative = pointer_of(path)
    try:
        if resolve_pointer(spec.data, relative) == instance:
            return relative  # already absolute
    except (KeyError, IndexError, ValueError):
        pass
    for pointer in spec.lines:  # document order
        try:
            if resolve_pointer(spec.data, pointer + relative) == instance:
                return pointer + relative
        except (KeyError, IndexError, ValueError, TypeError):
            continue
    return relative


_OPERATION_IN_MESSAGE = re.compile(r"for '(\w+)'(?: operation)? in '([^']+)'")


def _pointer_from_message(spec: Spec, message: str) -> str:
    """Some validator errors carry no path, only an operation (duplicate operationId, undeclared
    path parameter) or the ref text; find the node they mean."""
    operation = _OPERATION_IN_MESSAGE.search(message)
    if operation is not None:
        method, path = operation.groups()
        pointer = f"/paths/{escape_pointer_token(path)}/{method}"
        return pointer + "/operationId" if message.startswith("Operation ID") else pointer
    for pointer in spec.lines:
        if pointer.endswith("/$ref"):
            try:
                ref = resolve_pointer(spec.data, pointer)
            except (KeyError, IndexError, ValueError):
                continue
            if isinstance(ref, str) and ref in message:
                return pointer
    return ""


def ref_errors(spec: Spec) -> list[SpecError]:
    """Every `$ref` must be local and resolvable: the generator works on one document."""
    errors = []
    for pointer, node in _walk(spec.data, ""):
        ref = node.get("$ref")
        if not isinstance(ref, str):
            continue
        where = pointer + "/$ref"
        if not ref.startswith("#"):
            errors.append(spec.error(where, f"only local references are supported, got {ref!r}"))
            continue
        try:
            resolve_pointer(spec.data, ref[1:])
        except (KeyError, IndexError, ValueError):
            errors.append(spec.error(where, f"unresolvable reference {ref!r}"))
    return errors
