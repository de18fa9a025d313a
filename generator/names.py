"""Identifier rules: the only place where spec names become Python names.

Every name that reaches generated source goes through one of these functions, so a spec can
never produce invalid syntax, shadow something the generated code relies on, or lose its wire
name (callers keep the original string as the alias/key).
"""

from __future__ import annotations

import builtins
import keyword
import re
import unicodedata
from collections.abc import Iterable

# Arguments every generated method has; spec parameters must never take these names.
RESERVED_ARGUMENTS = frozenset({"self", "extra_headers", "extra_query", "timeout", "extra_body"})

# Names the generated method bodies and module use; a parameter with one of these names would
# shadow them inside the method.
GENERATED_MODULE_NAMES = frozenset(
    {
        "cast",
        "httpx",
        "Any",
        "Dict",
        "List",
        "Literal",
        "Mapping",
        "Optional",
        "Sequence",
        "Union",
        "NOT_GIVEN",
        "NotGiven",
        "Operation",
        "EventStream",
        "AsyncEventStream",
        "SyncAPIClient",
        "AsyncAPIClient",
        "models",
    }
)

# Attributes of pydantic.BaseModel (and names pydantic rejects) that a field may not take.
PYDANTIC_RESERVED = frozenset(
    {
        "copy",
        "dict",
        "json",
        "schema",
        "schema_json",
        "construct",
        "validate",
        "parse_obj",
        "parse_raw",
        "parse_file",
        "from_orm",
        "update_forward_refs",
        "fields",
        "root",
        "model_computed_fields",
        "model_config",
        "model_construct",
        "model_copy",
        "model_dump",
        "model_dump_json",
        "model_extra",
        "model_fields",
        "model_fields_set",
        "model_json_schema",
        "model_parametrized_name",
        "model_post_init",
        "model_rebuild",
        "model_validate",
        "model_validate_json",
        "model_validate_strings",
    }
)

# Base-client attributes an operation method must not override. (Feature mixins come first in
# the client's MRO, so a mixin method of the same name deliberately wins over an operation.)
RESERVED_METHODS = frozenset(
    {
        "close",
        "aclose",
        "with_options",
        "copy",
        "base_url",
        "token",
        "timeout",
        "max_retries",
        "default_headers",
        "default_query",
        "http_client",
    }
)

# Class names a schema may not take because models.py imports them (or they are builtins types
# the generated annotations use).
RESERVED_CLASS_NAMES = frozenset(
    {
        "Any",
        "Annotated",
        "AwareDatetime",
        "BaseModel",
        "ConfigDict",
        "Dict",
        "Field",
        "List",
        "Literal",
        "Optional",
        "RootModel",
        "Union",
        "Sequence",
        "Mapping",
        "Enum",
        "annotations",
        "Operation",
        "EventStream",
        "AsyncEventStream",
        "NotGiven",
        "SyncAPIClient",
        "AsyncAPIClient",
        "SyncOperations",
        "AsyncOperations",
        "InferenceGatewayClient",
        "AsyncInferenceGatewayClient",
        "TYPE_CHECKING",
    }
)

_BUILTINS = frozenset(dir(builtins))
# Builtins an argument may shadow: plain functions (`input`, `id`, `format`...), which the
# generated method bodies never call; the official SDKs name such arguments plainly. Builtin
# classes (`str`, `list`, `DeprecationWarning`...) stay reserved: annotations in `cast(...)`
# and the method bodies use them.
_SHADOWABLE_BUILTINS = frozenset(
    name
    for name in _BUILTINS
    if not name.startswith("_") and not isinstance(getattr(builtins, name), type)
)
_SOFT_KEYWORDS = frozenset(getattr(keyword, "softkwlist", ())) | {"match", "case", "type", "_"}
_CAMEL_1 = re.compile(r"([A-Z]+)([A-Z][a-z])")
_CAMEL_2 = re.compile(r"([a-z0-9])([A-Z])")
_NON_WORD = re.compile(r"[^0-9a-zA-Z]+")


def _ascii_words(text: str) -> list[str]:
    """Split text into ASCII alphanumeric words, breaking camelCase and any punctuation."""
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    text = _CAMEL_1.sub(r"\1_\2", text)
    text = _CAMEL_2.sub(r"\1_\2", text)
    return [w for w in _NON_WORD.split(text) if w]


def snake_case(text: str) -> str:
    """`createChatCompletion` -> `create_chat_completion`; punctuation becomes `_`."""
    return "_".join(w.lower() for w in _ascii_words(text))


def pascal_case(text: str) -> str:
    """`my.schema-name` -> `MySchemaName` (existing inner capitals are kept)."""
    return "".join(w[:1].upper() + w[1:] for w in _ascii_words(text))


def _fix_leading(name: str, prefix: str) -> str:
    if not name:
        return prefix
    if name[0].isdigit():
        return f"{prefix}_{name}" if prefix.islower() else f"{prefix}{name}"
    return name


def parameter_name(wire: str, taken: Iterable[str] = ()) -> str:
    """A valid, non-shadowing Python argument name for a parameter or body field."""
    name = _fix_leading(snake_case(wire), "field")
    if (
        keyword.iskeyword(name)
        or name in _SOFT_KEYWORDS
        or (name in _BUILTINS and name not in _SHADOWABLE_BUILTINS)
        or name in RESERVED_ARGUMENTS
        or name in GENERATED_MODULE_NAMES
        or name in PYDANTIC_RESERVED
    ):
        name += "_"
    return unique(name, taken)


def method_name(operation_id: str | None, method: str, path: str, taken: Iterable[str] = ()) -> str:
    """Method name from the operationId, or from method and path when there is none.

    `GET /v1/models/{id}` -> `get_v1_models_by_id`.
    """
    if operation_id:
        base = snake_case(operation_id)
    else:
        parts = [method.lower()]
        for segment in path.strip("/").split("/"):
            if segment.startswith("{") and segment.endswith("}"):
                parts.append("by_" + snake_case(segment[1:-1]))
            elif segment:
                parts.append(snake_case(segment))
        base = "_".join(p for p in parts if p)
    name = _fix_leading(base, "op")
    if keyword.iskeyword(name) or name in _SOFT_KEYWORDS or name in RESERVED_METHODS:
        name += "_"
    if name.startswith("_"):
        name = "op" + name
    return unique(name, taken)


def class_name(wire: str, taken: Iterable[str] = ()) -> str:
    """A PascalCase class name for a schema; never one models.py imports."""
    if wire[:1].isupper() and wire.isidentifier() and wire.isascii():
        name = wire  # already a fine class name: keep it exactly
    else:
        name = _fix_leading(pascal_case(wire), "Model")
    if keyword.iskeyword(name) or name in RESERVED_CLASS_NAMES or name in _BUILTINS:
        name += "Model"
    return unique(name, taken)


def constant_name(python_name: str) -> str:
    """Module-level constant holding an operation's `Operation` descriptor."""
    return "_OP_" + python_name.upper()


def unique(name: str, taken: Iterable[str]) -> str:
    """`name`, or `name_2`, `name_3`... whichever is not taken (deterministic)."""
    taken_set = set(taken)
    if name not in taken_set:
        return name
    sep = "" if name[:1].isupper() else "_"
    stem = name.rstrip("_") or name  # `class_` -> `class_2`, not `class__2`
    n = 2
    while f"{stem}{sep}{n}" in taken_set:
        n += 1
    return f"{stem}{sep}{n}"


def is_identifier(name: str) -> bool:
    """True when `name` can be used as a Python identifier as-is."""
    return name.isidentifier() and not keyword.iskeyword(name)
