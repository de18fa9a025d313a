"""Load a spec (YAML or JSON) and validate it; every error names file, JSON pointer and line."""

from __future__ import annotations

import json
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
        where = f"{file}:{line}" if line is not None else file
        super().__init__(f"{where}: at {self.pointer}: {message}")

    def __reduce__(self) -> tuple[type[SpecError], tuple[str, str, int | None, str]]:
        # Rebuilt from its fields when it comes back from a background step (background.py).
        return (SpecError, (self.file, self.pointer, self.line, self.message))


@dataclass
class Spec:
    """A loaded document plus the line of every node (keyed by JSON pointer)."""

    path: Path
    display: str
    data: dict[str, Any]
    lines: dict[str, int] = field(default_factory=dict)
    text: str = ""  # the document as read (cache key for validation)

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
    """Parse a YAML or JSON spec into plain data, keeping line numbers."""
    display = display_path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise SpecError(display, "/", None, f"cannot read spec: {exc.strerror or exc}") from exc
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


def validate(spec: Spec) -> None:
    """openapi-spec-validator plus the checks the generator relies on; raises the first error."""
    from openapi_spec_validator import OpenAPIV30SpecValidator, OpenAPIV31SpecValidator

    version = str(spec.data.get("openapi", ""))
    if version.startswith("3.1"):
        validator_cls: Any = OpenAPIV31SpecValidator
    elif version.startswith("3.0"):
        validator_cls = OpenAPIV30SpecValidator
    else:
        raise spec.error("/openapi", f"unsupported OpenAPI version {version!r} (need 3.0 or 3.1)")
    check_refs(spec)  # first: it names the exact node, the validator only the ref text
    errors = validator_cls(spec.data).iter_errors()
    try:
        first = next(iter(errors), None)
    except Exception as exc:  # the validator raises on unresolvable refs and similar
        raise spec.error("/", f"validation failed: {exc}") from exc
    if first is not None:
        # jsonschema ValidationError: `absolute_path` locates the failing node in the document.
        path = list(getattr(first, "absolute_path", None) or [])
        message = str(getattr(first, "message", None) or first)
        instance = getattr(first, "instance", None)
        pointer = _locate(spec, path, instance) if path else _pointer_from_message(spec, message)
        raise spec.error(pointer, message)


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


def _pointer_from_message(spec: Spec, message: str) -> str:
    """Some validator errors carry no path, only the ref text; find the node that has it."""
    for pointer in spec.lines:
        if pointer.endswith("/$ref"):
            try:
                ref = resolve_pointer(spec.data, pointer)
            except (KeyError, IndexError, ValueError):
                continue
            if isinstance(ref, str) and ref in message:
                return pointer
    return ""


def check_refs(spec: Spec) -> None:
    """Every `$ref` must be local and resolvable: the generator works on one document."""

    def walk(node: Any, pointer: str) -> None:
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str):
                where = pointer + "/$ref"
                if not ref.startswith("#"):
                    raise spec.error(where, f"only local references are supported, got {ref!r}")
                try:
                    resolve_pointer(spec.data, ref[1:])
                except (KeyError, IndexError, ValueError):
                    raise spec.error(where, f"unresolvable reference {ref!r}") from None
            for key, value in node.items():
                walk(value, f"{pointer}/{escape_pointer_token(key)}")
        elif isinstance(node, list):
            for index, value in enumerate(node):
                walk(value, f"{pointer}/{index}")

    walk(spec.data, "")
