"""``health_check()`` as the SDK guide documents it: a bool, never an exception (a liveness
probe: one attempt, no retries), on top of the generated ``health_check`` operation."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    # Typed against the generated operations; at runtime the mixins are plain classes put
    # before the operations in the client's MRO.
    from typing_extensions import Unpack

    from .._operations import AsyncOperations as _AsyncBase
    from .._operations import SyncOperations as _SyncBase
    from ..params import HealthCheckArgs
else:
    _SyncBase = _AsyncBase = object

__all__ = ["AsyncHealthHelpers", "HealthHelpers"]
__requires__ = {"operations": ["health_check"]}
# The generated method's arguments (the per-request options), as a TypedDict in params.py.
__kwargs__ = {"HealthCheckArgs": {"method": "health_check"}}


def _check_keywords(kwargs: HealthCheckArgs) -> None:
    """An unknown keyword is a programming error, not a failed probe: ``TypeError`` naming it."""
    if kwargs:
        from ..params import HealthCheckArgs

        unknown = sorted(set(kwargs) - set(HealthCheckArgs.__annotations__))
        if unknown:
            raise TypeError(f"health_check() got an unexpected keyword argument {unknown[0]!r}")


def _health_failed(exc: Exception) -> bool:
    import logging  # only when a probe fails: keeps it out of the package import

    logging.getLogger(__name__.split(".")[0]).debug(
        "health check failed: %s: %s", type(exc).__name__, exc
    )
    return False


# unasync -> HealthHelpers: the generator writes the blocking twin (the sync client's mixin)
class AsyncHealthHelpers(_AsyncBase):
    """Mixin for the client (comes before the generated operations in the MRO)."""

    async def health_check(self, **kwargs: Unpack[HealthCheckArgs]) -> bool:  # type: ignore[override]
        """``True`` when ``GET /health`` answers 2xx; ``False`` on any error (never raises).

        One attempt, no retries: a liveness probe reports, it does not wait.

        Args:
            **kwargs: The per-request options ``extra_headers``, ``extra_query``, ``timeout``.

        Returns:
            Whether the gateway answered 2xx.

        Raises:
            TypeError: An unknown keyword argument; every failure of the probe is ``False``
                (logged at debug level).
        """
        _check_keywords(kwargs)
        try:
            probe = self.with_options(max_retries=0)
            await super(AsyncHealthHelpers, probe).health_check(**kwargs)
        except Exception as exc:  # the documented contract: a probe reports, it does not raise
            return _health_failed(exc)
        return True
