"""Python type annotations as small values: they render themselves and list their imports.

The IR types every argument, return value and model field with these, so nothing downstream
re-parses annotation text: `_operations.py` imports exactly what `imports()` lists, and `diff`
compares types structurally (`accepts`). Constructors `union` and `optional` normalise the way
the generated code reads (`Optional[X]` rather than `Union[X, None]`, `Any` absorbs everything,
`str` absorbs string literals: an open enum is a `str`).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Union

Import = tuple[str, str]  # (module, name); module "typing", "pydantic", ".models", ".params" or "._files"
LiteralValue = Union[str, int, bool]


@dataclass(frozen=True)
class Name:
    """A plain name: a builtin (`str`), a typing/pydantic name (`Any`, `Base64Str`) or a model."""

    name: str
    module: str = ""  # "" for builtins

    def render(self) -> str:
        return self.name

    def imports(self) -> Iterator[Import]:
        if self.module:
            yield (self.module, self.name)

    @property
    def model(self) -> str | None:
        """The model class this names, if any."""
        return self.name if self.module == MODELS else None


@dataclass(frozen=True)
class Literal:
    values: tuple[LiteralValue, ...]

    def render(self) -> str:
        return "Literal[" + ", ".join(repr(v) for v in self.values) + "]"

    def imports(self) -> Iterator[Import]:
        yield ("typing", "Literal")


@dataclass(frozen=True)
class Generic:
    """`List[X]`, `Sequence[X]`, `Dict[str, X]`, `Mapping[str, X]`, `Optional[X]`, `Union[...]`."""

    origin: str
    args: tuple[Type, ...]

    def render(self) -> str:
        return f"{self.origin}[{', '.join(a.render() for a in self.args)}]"

    def imports(self) -> Iterator[Import]:
        yield ("typing", self.origin)
        for arg in self.args:
            yield from arg.imports()


Type = Union[Name, Literal, Generic]

MODELS = ".models"
FILES = "._files"  # the runtime module of multipart uploads
PARAMS = ".params"  # the request models' TypedDict twins
ANY = Name("Any", "typing")
NONE = Name("None")
STR = Name("str")
INT = Name("int")
FLOAT = Name("float")
BOOL = Name("bool")
BYTES = Name("bytes")
OBJECT = Name("object")
BASE64_STR = Name("Base64Str", "pydantic")
FILE_INPUT = Name("FileInput", FILES)  # a file part's argument: path, bytes, file or tuple
# What free-form JSON a response holds is parsed into (the runtime's recursive alias).
JSON_VALUE = Name("JSONValue", "._types")
# An object schema written inline: datamodel-code-generator nests a class named after the field.
INLINE_MODEL = Name("<inline model>")


def model(name: str) -> Name:
    return Name(name, MODELS)


def param(name: str) -> Name:
    """A TypedDict of params.py (`MessageParam`, the twin of the `Message` model)."""
    return Name(name, PARAMS)


def list_of(item: Type, *, inputs: bool = False) -> Generic:
    """`Sequence[X]` for arguments (a tuple is fine), `List[X]` for values the SDK builds."""
    return Generic("Sequence" if inputs else "List", (item,))


def dict_of(value: Type, *, inputs: bool = False) -> Generic:
    return Generic("Mapping" if inputs else "Dict", (STR, value))


def optional(inner: Type) -> Type:
    if inner in (ANY, NONE) or is_optional(inner):
        return inner
    return Generic("Optional", (inner,))


def is_optional(value: Type) -> bool:
    return isinstance(value, Generic) and value.origin == "Optional"


def strip_optional(value: Type) -> Type:
    return value.args[0] if isinstance(value, Generic) and value.origin == "Optional" else value


def members(value: Type) -> tuple[Type, ...]:
    """The alternatives of a union (None included when optional), else the type itself."""
    if isinstance(value, Generic) and value.origin == "Optional":
        return (*members(value.args[0]), NONE)
    if isinstance(value, Generic) and value.origin == "Union":
        return value.args
    return (value,)


def union(parts: Iterable[Type]) -> Type:
    flat: list[Type] = []
    nullable = False
    for part in parts:
        for member in members(part):
            if member == ANY:
                return ANY
            if member == NONE:
                nullable = True
            elif member not in flat:
                flat.append(member)
    if STR in flat:  # an open enum, Union[Literal["a", "b"], str]: str already takes them
        flat = [m for m in flat if not _is_string_literal(m)]
    if not flat:
        return NONE
    inner = flat[0] if len(flat) == 1 else Generic("Union", tuple(flat))
    return optional(inner) if nullable else inner


def _is_string_literal(value: Type) -> bool:
    return isinstance(value, Literal) and all(isinstance(v, str) for v in value.values)


def accepts(wide: Type, narrow: Type) -> bool:
    """Whether every value valid for `narrow` is valid for `wide` (structural, conservative)."""
    if wide in (narrow, ANY):
        return True
    wide_members = members(wide)
    narrow_members = members(narrow)
    if len(narrow_members) > 1:
        return all(accepts(wide, m) for m in narrow_members)
    if len(wide_members) > 1:
        return any(accepts(m, narrow) for m in wide_members)
    if isinstance(narrow, Literal):
        if isinstance(wide, Literal):
            return set(narrow.values) <= set(wide.values)
        kinds: set[type] = {type(v) for v in narrow.values}
        base: dict[Type, set[type]] = {STR: {str}, INT: {int}, FLOAT: {int}, BOOL: {bool}, OBJECT: {str, int, bool}}
        return kinds <= base.get(wide, set())
    if (wide, narrow) in ((FLOAT, INT), (OBJECT, STR)):
        return True
    if isinstance(wide, Generic) and isinstance(narrow, Generic):
        same_shape = {wide.origin, narrow.origin} <= {"List", "Sequence"} or {
            wide.origin,
            narrow.origin,
        } <= {"Dict", "Mapping"}
        return (
            same_shape
            and len(wide.args) == len(narrow.args)
            and all(accepts(w, n) for w, n in zip(wide.args, narrow.args))
        )
    return False
