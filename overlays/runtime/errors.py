"""The SDK's exceptions: one hierarchy under ``InferenceGatewayError``.

API errors carry what the gateway said (``{"error": "..."}`` as the gateway sends it, or the
OpenAI-style ``{"error": {"message": ...}}`` that OpenAI-compatible servers such as LiteLLM send),
the status code, the decoded body and the response headers. Nothing here ever holds the token.
"""

from __future__ import annotations

import json
from typing import Any, Dict, Mapping, Optional, Sequence, Type

__all__ = [
    "APIConnectionError",
    "APITimeoutError",
    "AuthenticationError",
    "BadRequestError",
    "ConflictError",
    "InferenceGatewayAPIError",
    "InferenceGatewayError",
    "InferenceGatewayValidationError",
    "InternalServerError",
    "InvalidRequestError",
    "NotFoundError",
    "PermissionDeniedError",
    "RateLimitError",
    "ResponseDecodingError",
    "ResponseValidationError",
    "StreamError",
    "UnprocessableEntityError",
    "make_api_error",
]

_MAX_TEXT = 500


class InferenceGatewayError(Exception):
    """Base class of every exception the SDK raises on purpose."""


class InferenceGatewayAPIError(InferenceGatewayError):
    """The gateway answered with a non-success status.

    ``message`` is what the gateway said; ``body`` the decoded JSON body (or the text when the body
    is not JSON); ``headers`` the response headers.
    """

    def __init__(
        self,
        status_code: int,
        message: str,
        body: Any = None,
        headers: Optional[Mapping[str, str]] = None,
    ) -> None:
        super().__init__(f"{status_code}: {message}")
        self.status_code = status_code
        self.message = message
        self.body = body
        self.headers: Mapping[str, str] = headers if headers is not None else {}

    @property
    def response_data(self) -> Any:
        """The decoded body under the name the older SDK used."""
        return self.body

    def __reduce__(self) -> Any:
        # Keep the keyword-rich constructor picklable (exceptions cross process pools).
        return (type(self), (self.status_code, self.message, self.body, dict(self.headers)))


class BadRequestError(InferenceGatewayAPIError):
    """400: the request was malformed or invalid."""


class AuthenticationError(InferenceGatewayAPIError):
    """401: missing or invalid bearer token."""


class PermissionDeniedError(InferenceGatewayAPIError):
    """403: not allowed (for example listing MCP tools when the gateway does not expose them)."""


class NotFoundError(InferenceGatewayAPIError):
    """404: unknown route, model or resource."""


class ConflictError(InferenceGatewayAPIError):
    """409: the request conflicts with the resource's state."""


class UnprocessableEntityError(InferenceGatewayAPIError):
    """422: the request was well-formed but semantically invalid."""


class RateLimitError(InferenceGatewayAPIError):
    """429: too many requests (retried by default, honouring ``Retry-After``)."""


class InternalServerError(InferenceGatewayAPIError):
    """5xx: the gateway or the upstream provider failed."""


class APIConnectionError(InferenceGatewayError):
    """The request never got an HTTP answer: connection refused, reset, DNS failure, protocol error."""


class APITimeoutError(APIConnectionError):
    """The request did not complete within its timeout."""


class ResponseDecodingError(APIConnectionError):
    """A response body that cannot be read as sent: it does not match its ``Content-Encoding``,
    or it decodes to more than the SDK accepts (a compression bomb). Not retried."""


class InvalidRequestError(InferenceGatewayError, ValueError):
    """The call cannot be sent as given (a header value with CR/LF or non-ASCII characters, a
    missing path parameter, a base URL that is not http(s)). Raised before anything is sent;
    never retried."""


class StreamError(InferenceGatewayError):
    """A stream broke or ended before its end marker (connection lost, body not decodable,
    an event larger than the SDK accepts)."""


class InferenceGatewayValidationError(InferenceGatewayError):
    """Data that does not match its schema (the older SDK's name, kept for its users)."""


class ResponseValidationError(InferenceGatewayValidationError):
    """A successful response whose body does not match the type the operation declares.

    For a typed stream, ``body`` is the data of the offending event (bytes: not valid JSON, not
    UTF-8, or of the wrong shape) and ``event_index`` its position (0-based) in the stream.
    """

    def __init__(
        self,
        message: str,
        *,
        operation: str,
        model: str,
        body: Any = None,
        event_index: Optional[int] = None,
    ) -> None:
        super().__init__(message)
        self.operation = operation
        self.model = model
        self.body = body
        self.event_index = event_index


def redact(error: InferenceGatewayError, secret: Optional[str]) -> InferenceGatewayError:
    """``error`` with ``secret`` masked in its message (a server may echo the token back)."""
    if secret and any(isinstance(arg, str) and secret in arg for arg in error.args):
        error.args = tuple(
            arg.replace(secret, "***") if isinstance(arg, str) else arg for arg in error.args
        )
        message = getattr(error, "message", None)
        if isinstance(message, str):
            error.message = message.replace(secret, "***")  # type: ignore[attr-defined]
    return error


_STATUS_ERRORS: Dict[int, Type[InferenceGatewayAPIError]] = {
    400: BadRequestError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    409: ConflictError,
    422: UnprocessableEntityError,
    429: RateLimitError,
}


def decode_error_body(content: bytes | str) -> Any:
    """The body of an error response: parsed JSON when it is JSON, else the text (``None`` if empty)."""
    text = content.decode("utf-8", "replace") if isinstance(content, bytes) else content
    if not text.strip():
        return None
    try:
        return json.loads(text)
    except ValueError:
        return text


def error_message(body: Any) -> Optional[str]:
    """What the server said, from the shapes gateways and OpenAI-compatible servers send."""
    if isinstance(body, Mapping):
        error = body.get("error")
        if isinstance(error, str) and error:
            return error
        if isinstance(error, Mapping):
            inner = error.get("message")
            if isinstance(inner, str) and inner:
                return inner
            return json.dumps(error, ensure_ascii=False)[:_MAX_TEXT]
        for key in ("message", "detail"):
            value = body.get(key)
            if isinstance(value, str) and value:
                return value
        return json.dumps(body, ensure_ascii=False)[:_MAX_TEXT] if body else None
    if isinstance(body, str) and body.strip():
        return body.strip()[:_MAX_TEXT]
    if isinstance(body, Sequence) and not isinstance(body, (str, bytes)) and body:
        return json.dumps(list(body), ensure_ascii=False)[:_MAX_TEXT]
    return None


def make_api_error(
    status_code: int,
    body: Any = None,
    headers: Optional[Mapping[str, str]] = None,
    *,
    reason: str = "",
) -> InferenceGatewayAPIError:
    """Build the ``InferenceGatewayAPIError`` subclass for ``status_code``.

    ``body`` may be raw bytes/text (decoded here) or an already decoded JSON value.
    """
    if isinstance(body, (bytes, bytearray)):
        body = decode_error_body(bytes(body))
    message = error_message(body) or reason or "no error message in the response"
    if status_code >= 500:
        cls: Type[InferenceGatewayAPIError] = InternalServerError
    else:
        cls = _STATUS_ERRORS.get(status_code, InferenceGatewayAPIError)
    return cls(status_code, message, body, headers)
