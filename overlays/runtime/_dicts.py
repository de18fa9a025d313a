"""Plain dicts given where a request takes a model are checked before anything is sent.

A model argument was validated when the caller built it; a dict typed by a TypedDict twin
(``params.py``: type checkers check it, Python does not) is validated here against its field of
the operation's request model, in pydantic's strict mode (no ``"0.5"`` for a number), and
refused if it holds a key its model does not have (a misspelling would otherwise be sent and
ignored by the server). Models that take any key (a JSON Schema) have no TypedDict twin and
keep unknown keys; arguments typed as free-form mappings are sent as given. Imported on the
first call of an operation with such arguments.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING, Any, Dict, Mapping

from pydantic import BaseModel, ValidationError

from ._base_client import validation_message
from .errors import InvalidRequestError

if TYPE_CHECKING:
    from ._base_client import Operation

__all__: list[str] = []  # machinery: nothing to export


def checked_body(op: Operation, body: Any) -> Any:
    """``body`` with each dict-holding typed argument validated (tuples made lists), or the
    whole body when the operation takes one ``body`` argument; ``InvalidRequestError`` naming
    the field otherwise. Unchanged when it holds no dict."""
    model: type[BaseModel] = op.request_model
    if not op.typed_fields:
        return _checked(op, model, body) if _holds_dict(body) else body
    fields = [wire for wire in op.typed_fields if _holds_dict(body.get(wire))]
    if not fields:
        return body
    names = _field_names(model)
    instance = model.model_construct()
    checked = dict(body)
    for wire in fields:
        value = _plain(body[wire])
        try:
            model.__pydantic_validator__.validate_assignment(
                instance, names[wire], value, strict=True
            )
        except ValidationError as exc:
            subject = f"{op.name}: argument {wire!r}"
            raise InvalidRequestError(validation_message(subject, model.__name__, exc)) from None
        _refuse_unknown(op, value, getattr(instance, names[wire]), wire)
        checked[wire] = value
    return checked


def _checked(op: Operation, model: type[BaseModel], body: Any) -> Any:
    """A whole ``body`` argument validated by its class (a RootModel: a list or a union)."""
    value = _plain(body)
    try:
        validated = model.model_validate(value, strict=True)
    except ValidationError as exc:
        subject = f"{op.name}: the body"
        raise InvalidRequestError(validation_message(subject, model.__name__, exc)) from None
    _refuse_unknown(op, value, validated, "body")
    return value


def _holds_dict(value: Any) -> bool:
    """A dict, or a list or tuple holding one (models inside a dict are validated already).
    Plain ``isinstance(dict)`` checks: this runs on every call, model arguments included."""
    if isinstance(value, dict):
        return True
    if isinstance(value, (list, tuple)):
        for item in value:
            if isinstance(item, dict):
                return True
    return False


@functools.cache
def _closed_models() -> frozenset[str]:
    """Models whose dicts may not carry unknown keys (params.py: those with a TypedDict)."""
    from .params import CLOSED_MODELS

    return CLOSED_MODELS


@functools.cache
def _field_names(model: type[BaseModel]) -> Dict[str, str]:
    """Wire name -> attribute name of a model's fields."""
    return {(f.alias or name): name for name, f in model.model_fields.items()}


def _plain(value: Any) -> Any:
    """Tuples as lists, inside dicts and lists too (strict validation takes lists only)."""
    if isinstance(value, (list, tuple)):
        return [_plain(item) for item in value]
    if isinstance(value, Mapping):
        return {key: _plain(item) for key, item in value.items()}
    return value


def _refuse_unknown(op: Operation, given: Any, validated: Any, where: str) -> None:
    """Walk what was given beside what it validated into: a dict that became a closed model
    must not have left keys in the model's extras."""
    root = getattr(validated, "root", None)
    if isinstance(validated, BaseModel) and root is not None:
        validated = root  # a RootModel (a union of parts): its value
    if isinstance(given, Mapping) and isinstance(validated, BaseModel):
        cls = type(validated)
        unknown = sorted((validated.model_extra or {}).keys())
        if unknown and cls.__name__ in _closed_models():
            known = ", ".join(_field_names(cls))
            raise InvalidRequestError(
                f"{op.name}: {where}.{unknown[0]}: unknown field of {cls.__name__} (it takes {known})"
            )
        names = _field_names(cls)
        for key, item in given.items():
            if key in names:
                _refuse_unknown(op, item, getattr(validated, names[key], None), f"{where}.{key}")
    elif isinstance(given, list) and isinstance(validated, list):
        for index, (item, inner) in enumerate(zip(given, validated)):
            _refuse_unknown(op, item, inner, f"{where}[{index}]")
