"""Small shared types of the runtime: the "not given" sentinel and the timeout alias."""

from __future__ import annotations

from typing import TYPE_CHECKING, Final, Union, final

if TYPE_CHECKING:
    import httpx

__all__ = ["NOT_GIVEN", "NotGiven", "Timeout"]


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
