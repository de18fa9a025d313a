"""Typed errors of the A2A client.

A JSON-RPC error object from an agent becomes an `A2ARPCError` subclass chosen by its code, so
callers can catch `TaskNotFoundError` instead of comparing numbers. Everything derives from the
SDK's `InferenceGatewayError`; HTTP-level failures (status codes, connection, timeouts) keep the
runtime's own error types.
"""

from __future__ import annotations

from typing import Any, Dict, Optional, Type, Union

from ..errors import InferenceGatewayError

__all__ = [
    "A2AError",
    "A2ARPCError",
    "A2AResponseError",
    "A2AVersionError",
    "ContentTypeNotSupportedError",
    "ExtendedAgentCardNotConfiguredError",
    "ExtensionSupportRequiredError",
    "InternalError",
    "InvalidAgentResponseError",
    "InvalidParamsError",
    "InvalidRequestError",
    "JSONParseError",
    "MethodNotFoundError",
    "PushNotificationNotSupportedError",
    "TaskNotCancelableError",
    "TaskNotFoundError",
    "UnsupportedOperationError",
    "VersionNotSupportedError",
    "error_for_code",
]

RequestId = Union[str, int, None]


class A2AError(InferenceGatewayError):
    """Base of every A2A-specific error."""


class A2AResponseError(A2AError):
    """The agent's reply broke the JSON-RPC/A2A contract (bad JSON, wrong id, missing result)."""

    def __init__(self, message: str, *, method: Optional[str] = None, body: Any = None) -> None:
        super().__init__(message)
        self.message = message
        self.method = method
        self.body = body


class A2AVersionError(A2AError):
    """The call does not exist in the protocol version the client speaks with this agent."""


class A2ARPCError(A2AError):
    """A JSON-RPC error object returned by the agent; `code`, `message` and `data` as sent."""

    code: int = 0

    def __init__(
        self,
        message: str,
        *,
        code: Optional[int] = None,
        data: Any = None,
        method: Optional[str] = None,
        request_id: RequestId = None,
    ) -> None:
        if code is not None:
            self.code = code
        self.message = message
        self.data = data
        self.method = method
        self.request_id = request_id
        where = f" (method {method})" if method else ""
        super().__init__(f"A2A error {self.code}{where}: {message}")

    @property
    def reason(self) -> Optional[str]:
        """The `google.rpc.ErrorInfo` reason a 1.0 agent attaches (e.g. ``TASK_NOT_FOUND``)."""
        if isinstance(self.data, list):
            for detail in self.data:
                if isinstance(detail, dict) and isinstance(detail.get("reason"), str):
                    return str(detail["reason"])
        return None


class JSONParseError(A2ARPCError):
    code = -32700


class InvalidRequestError(A2ARPCError):
    code = -32600


class MethodNotFoundError(A2ARPCError):
    code = -32601


class InvalidParamsError(A2ARPCError):
    code = -32602


class InternalError(A2ARPCError):
    code = -32603


class TaskNotFoundError(A2ARPCError):
    code = -32001


class TaskNotCancelableError(A2ARPCError):
    code = -32002


class PushNotificationNotSupportedError(A2ARPCError):
    code = -32003


class UnsupportedOperationError(A2ARPCError):
    code = -32004


class ContentTypeNotSupportedError(A2ARPCError):
    code = -32005


class InvalidAgentResponseError(A2ARPCError):
    code = -32006


class ExtendedAgentCardNotConfiguredError(A2ARPCError):
    code = -32007


class ExtensionSupportRequiredError(A2ARPCError):
    code = -32008


class VersionNotSupportedError(A2ARPCError):
    code = -32009


_BY_CODE: Dict[int, Type[A2ARPCError]] = {
    cls.code: cls
    for cls in (
        JSONParseError,
        InvalidRequestError,
        MethodNotFoundError,
        InvalidParamsError,
        InternalError,
        TaskNotFoundError,
        TaskNotCancelableError,
        PushNotificationNotSupportedError,
        UnsupportedOperationError,
        ContentTypeNotSupportedError,
        InvalidAgentResponseError,
        ExtendedAgentCardNotConfiguredError,
        ExtensionSupportRequiredError,
        VersionNotSupportedError,
    )
}


def error_for_code(
    code: int,
    message: str,
    *,
    data: Any = None,
    method: Optional[str] = None,
    request_id: RequestId = None,
) -> A2ARPCError:
    """The typed error for a JSON-RPC error code (unknown codes give a plain `A2ARPCError`)."""
    cls = _BY_CODE.get(code, A2ARPCError)
    return cls(message, code=code, data=data, method=method, request_id=request_id)
