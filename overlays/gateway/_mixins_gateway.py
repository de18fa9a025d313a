"""Gateway conveniences the SDK guide documents on top of the generated operations.

* ``health_check()`` returns a bool and never raises (a liveness probe: one attempt, no retries).
* ``proxy_request(provider, path, method="GET", json_data=None)`` dispatches to the generated
  ``proxy_get`` / ``proxy_post`` / ... methods and returns the provider's JSON body as a dict.

Both go through the generated methods, so request building, errors and retries stay in one place.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Callable, Dict, Mapping, Optional, Tuple

from pydantic import BaseModel

if TYPE_CHECKING:
    # Typed against the generated operations; at runtime the mixins are plain classes put
    # before the operations in the client's MRO.
    from .._operations import AsyncOperations as _AsyncBase
    from .._operations import SyncOperations as _SyncBase
else:
    _SyncBase = _AsyncBase = object

__all__ = ["AsyncGatewayHelpers", "GatewayHelpers"]

_PROXY_METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")


def _proxy_call(
    client: Any,
    provider: Any,
    path: str,
    method: str,
    json_data: Optional[Mapping[str, Any]],
    options: Dict[str, Any],
) -> Tuple[Callable[..., Any], Tuple[Any, ...], Dict[str, Any]]:
    """The generated proxy method for ``method`` and all its arguments."""
    verb = method.upper()
    if verb not in _PROXY_METHODS:
        raise ValueError(
            f"proxy_request: method must be one of {', '.join(_PROXY_METHODS)}, got {method!r}"
        )
    operation = getattr(client, f"proxy_{verb.lower()}")
    kwargs: Dict[str, Any] = {}
    # The older SDK passed requests-style `params=` / `headers=` through: map them.
    for old, new in (("params", "extra_query"), ("headers", "extra_headers")):
        if old in options:
            kwargs[new] = options.pop(old)
    if json_data is not None:
        if verb in ("GET", "DELETE"):
            raise ValueError(
                f"proxy_request: json_data cannot be sent with {verb}; use POST, PUT or PATCH"
            )
        kwargs["body"] = json_data
    elif verb in ("POST", "PUT", "PATCH"):
        kwargs["body"] = {}
    kwargs.update(options)
    return operation, (provider, path.lstrip("/")), kwargs


def _as_dict(result: Any) -> Any:
    """The proxied body as plain JSON data (a dict for a JSON object)."""
    if isinstance(result, BaseModel):
        return result.model_dump(mode="json", by_alias=True)
    return result


def _health_failed(exc: Exception) -> bool:
    import logging  # only when a probe fails: keeps it out of the package import

    logging.getLogger(__name__.split(".")[0]).debug(
        "health check failed: %s: %s", type(exc).__name__, exc
    )
    return False


class GatewayHelpers(_SyncBase):
    """Mixin for the sync client (comes before the generated operations in the MRO)."""

    def health_check(self, **kwargs: Any) -> bool:  # type: ignore[override]
        """``True`` when ``GET /health`` answers 2xx; ``False`` on any error (never raises)."""
        try:
            probe = self.with_options(max_retries=0)
            super(GatewayHelpers, probe).health_check(**kwargs)
        except Exception as exc:  # the documented contract: a probe reports, it does not raise
            return _health_failed(exc)
        return True

    def proxy_request(
        self,
        provider: Any,
        path: str,
        method: str = "GET",
        json_data: Optional[Mapping[str, Any]] = None,
        **kwargs: Any,
    ) -> Any:
        """Send ``method`` to ``/proxy/{provider}/{path}``; return the parsed JSON body.

        ``provider`` is a ``Provider`` or a plain string; ``kwargs`` go to the generated method
        (``extra_headers``, ``extra_query``, ``timeout``; the older SDK's ``headers`` and
        ``params`` are accepted as those).
        """
        operation, args, call_kwargs = _proxy_call(self, provider, path, method, json_data, kwargs)
        return _as_dict(operation(*args, **call_kwargs))


class AsyncGatewayHelpers(_AsyncBase):
    """Mixin for the async client: the same helpers as coroutines."""

    async def health_check(self, **kwargs: Any) -> bool:  # type: ignore[override]
        """``True`` when ``GET /health`` answers 2xx; ``False`` on any error (never raises)."""
        try:
            probe = self.with_options(max_retries=0)
            await super(AsyncGatewayHelpers, probe).health_check(**kwargs)
        except Exception as exc:  # the documented contract: a probe reports, it does not raise
            return _health_failed(exc)
        return True

    async def proxy_request(
        self,
        provider: Any,
        path: str,
        method: str = "GET",
        json_data: Optional[Mapping[str, Any]] = None,
        **kwargs: Any,
    ) -> Any:
        """Send ``method`` to ``/proxy/{provider}/{path}``; return the parsed JSON body."""
        operation, args, call_kwargs = _proxy_call(self, provider, path, method, json_data, kwargs)
        return _as_dict(await operation(*args, **call_kwargs))
