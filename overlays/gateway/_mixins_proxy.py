"""``proxy_request(provider, path, method="GET", json_data=None)`` as the SDK guide documents it:
send a request to ``/proxy/{provider}/{path}`` and return the provider's JSON body as plain data
(``JSONValue``).

It goes through the runtime's ``_request`` with the generated proxy operations, so request
building, errors and retries stay in one place, and the body is sent exactly as given whatever
the spec says about it (a spec whose proxy body has properties makes the generated
``proxy_post`` take them as arguments; ``json_data`` is still the whole body).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Dict, Mapping, Optional, Tuple, Union, cast

from pydantic import BaseModel

from .._base_client import Operation
from .._operations import (
    _OP_PROXY_DELETE,
    _OP_PROXY_GET,
    _OP_PROXY_PATCH,
    _OP_PROXY_POST,
    _OP_PROXY_PUT,
)
from .._types import NOT_GIVEN, JSONValue, NotGiven

if TYPE_CHECKING:  # at runtime the mixins are plain classes put before the operations
    import httpx

    from .._base_client import AsyncAPIClient as _AsyncBase
    from .._base_client import SyncAPIClient as _SyncBase
else:
    _SyncBase = _AsyncBase = object

__all__ = ["AsyncProxyHelpers", "ProxyHelpers"]
__requires__ = {
    "operations": ["proxy_get", "proxy_post", "proxy_put", "proxy_patch", "proxy_delete"]
}

_PROXY_OPERATIONS = {
    "GET": _OP_PROXY_GET,
    "POST": _OP_PROXY_POST,
    "PUT": _OP_PROXY_PUT,
    "PATCH": _OP_PROXY_PATCH,
    "DELETE": _OP_PROXY_DELETE,
}


def _proxy_call(
    provider: Union[str, BaseModel],
    path: str,
    method: str,
    json_data: Optional[Mapping[str, object]],
    **options: Any,
) -> Tuple[Operation, Dict[str, Any]]:
    """The proxy operation for ``method`` and the keyword arguments of its ``_request``
    (``options``: the per-request options and the older ``headers`` / ``params``)."""
    verb = method.upper()
    operation = _PROXY_OPERATIONS.get(verb)
    if operation is None:
        raise ValueError(
            f"proxy_request: method must be one of {', '.join(_PROXY_OPERATIONS)}, got {method!r}"
        )
    kwargs: Dict[str, Any] = {"path_params": {"provider": provider, "path": path.lstrip("/")}}
    # The older SDK passed requests-style `params=` / `headers=` through: they are the extras.
    for old, new in (("params", "extra_query"), ("headers", "extra_headers")):
        legacy = options.pop(old)
        if legacy is not None:
            if options[new] is not None:
                raise TypeError(f"proxy_request: pass {new}= or {old}=, not both")
            options[new] = legacy
    if json_data is not None:
        if verb in ("GET", "DELETE"):
            raise ValueError(
                f"proxy_request: json_data cannot be sent with {verb}; use POST, PUT or PATCH"
            )
        kwargs["json"] = json_data
    elif verb in ("POST", "PUT", "PATCH"):
        kwargs["json"] = {}
    kwargs.update(options)
    return operation, kwargs


def _as_json(result: Any) -> JSONValue:
    """The proxied body as plain JSON data (a dict for a JSON object)."""
    if isinstance(result, BaseModel):
        return cast(JSONValue, result.model_dump(mode="json", by_alias=True))
    return cast(JSONValue, result)


# unasync -> ProxyHelpers: the generator writes the blocking twin (the sync client's mixin)
class AsyncProxyHelpers(_AsyncBase):
    """Mixin for the clients (comes before the generated operations in the MRO)."""

    async def proxy_request(
        self,
        provider: Union[str, BaseModel],
        path: str,
        method: str = "GET",
        json_data: Optional[Mapping[str, object]] = None,
        *,
        extra_headers: Optional[Mapping[str, str]] = None,
        extra_query: Optional[Mapping[str, object]] = None,
        timeout: Union[float, httpx.Timeout, NotGiven, None] = NOT_GIVEN,
        headers: Optional[Mapping[str, str]] = None,
        params: Optional[Mapping[str, object]] = None,
    ) -> JSONValue:
        """Send ``method`` to ``/proxy/{provider}/{path}``; return the parsed JSON body.

        Args:
            provider: A ``Provider`` or a plain string.
            path: The provider's path (a leading ``/`` is dropped; ``..`` segments refused).
            method: ``GET``, ``POST``, ``PUT``, ``PATCH`` or ``DELETE``.
            json_data: The body, sent as given (``POST``/``PUT``/``PATCH`` only).
            extra_headers: Headers to add to this request (a ``None`` value removes one).
            extra_query: Query parameters to add to this request.
            timeout: This request's timeout in seconds or an ``httpx.Timeout``.
            headers, params: The older SDK's names of ``extra_headers`` and ``extra_query``.

        Returns:
            The provider's JSON body as plain data (``JSONValue``: a dict for an object; narrow
            it with ``isinstance``).

        Raises:
            ValueError: An unknown ``method``, or ``json_data`` with ``GET``/``DELETE``.
            TypeError: Both ``headers`` and ``extra_headers`` (or ``params`` and
                ``extra_query``).
            InferenceGatewayAPIError: The gateway answered with an error status (its subclass
                names it: ``NotFoundError``, ``RateLimitError``...), after the retries.
            APIConnectionError: No response (refused, reset, timeout: ``APITimeoutError``).
            InvalidRequestError: A path with a ``..`` segment, or an unsendable header.
        """
        operation, call_kwargs = _proxy_call(
            provider,
            path,
            method,
            json_data,
            extra_headers=extra_headers,
            extra_query=extra_query,
            timeout=timeout,
            headers=headers,
            params=params,
        )
        return _as_json(await self._request(operation, **call_kwargs))
