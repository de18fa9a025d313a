"""Small shared types of the runtime: the "not given" sentinel, the timeout and JSON value
aliases, and the plain values models hold where the spec wraps a string (`StrValue`)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Dict, Final, List, TypeVar, Union, final

if TYPE_CHECKING:
    import httpx

__all__ = ["NOT_GIVEN", "JSONValue", "ListValue", "NotGiven", "StrValue", "Timeout"]

_T = TypeVar("_T")


@final
class NotGiven:
    """Marks an argument the caller did not pass, so ``None`` can still mean "send null / no limit"."""

    _instance: NotGiven | None = None

    def __new__(cls) -> NotGiven:
        # One instance only, so `is NOT_GIVEN` works even after copy/pickle round trips.
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __bool__(self) -> bool:
        return False

    def __repr__(self) -> str:
        return "NOT_GIVEN"

    def __reduce__(self) -> str:
        return "NOT_GIVEN"


NOT_GIVEN: Final = NotGiven()

#: A float (seconds for every phase), an ``httpx.Timeout`` for per-phase limits, or ``None`` for none.
Timeout = Union[float, "httpx.Timeout", None]

#: Any JSON value, as ``json.loads`` returns it (``proxy_request``'s result: narrow it with
#: ``isinstance``).
JSONValue = Union[Dict[str, "JSONValue"], List["JSONValue"], str, int, float, bool, None]


class StrValue(str):
    """A string a model field holds where the spec names a string type (a role, a finish reason, a
    provider, a message's text): it is the plain string (equal, hashable and printed as it), and
    `.root` returns it too, for code written against the `RootModel` wrappers of older releases."""

    __slots__ = ()

    @property
    def root(self) -> str:
        return str(self)


class ListValue(List[_T]):
    """A list a model field holds where the spec names a "text or parts" type (`MessageContent`):
    the plain list, with `.root` for code written against the older wrappers."""

    __slots__ = ()

    @property
    def root(self) -> List[_T]:
        return list(self)


def natural_value(value: Any) -> Any:
    """After validation: strings and lists of a named string type, made readable via `.root` too."""
    if isinstance(value, str) and not isinstance(value, StrValue):
        return StrValue(value)
    if isinstance(value, list) and not isinstance(value, ListValue):
        return ListValue(value)
    return value


def unwrapped_value(value: Any) -> Any:
    """Before validation: a wrapper instance (`Provider("openai")`) given as a field's value is its value."""
    return value.root if hasattr(type(value), "model_fields") and hasattr(value, "root") else value
