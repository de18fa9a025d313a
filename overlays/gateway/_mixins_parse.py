"""Structured output on the clients: ``parse_chat_completion`` and its streaming form.

They go through ``create_chat_completion`` / ``stream_chat_completion`` with a strict
``json_schema`` response format built from the model (``parsing.py``), so the request, retries
and errors are those of the plain calls.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Dict, Sequence, Type, TypeVar, Union

from pydantic import BaseModel

if TYPE_CHECKING:  # loaded on first use: `import` of the package stays cheap
    from typing_extensions import Unpack

    from ..models import Message
    from ..params import MessageParam, ParseArgs
    from .parsing import (
        AsyncParsedChatCompletionStream,
        ParsedChatCompletion,
        ParsedChatCompletionStream,
    )

__all__ = ["AsyncParseHelpers", "ParseHelpers"]
__requires__ = {"operations": ["create_chat_completion", "create_chat_completion_stream"]}
# The keyword arguments the helpers pass through, as a TypedDict in params.py
# (generator/params.py): every other argument of the generated method, typed as it is there.
__kwargs__ = {
    "ParseArgs": {
        "method": "create_chat_completion",
        "without": ["model", "messages", "response_format"],
    },
}

T = TypeVar("T", bound=BaseModel)


def _request(response_format: Type[BaseModel], kwargs: ParseArgs) -> Dict[str, Any]:
    """``create_chat_completion``'s keyword arguments, with the strict response format."""
    from .parsing import response_format_from_model

    if "stream" in kwargs:
        raise TypeError(
            "parse_chat_completion() takes no stream=: use parse_chat_completion_stream()"
        )
    return dict(kwargs, response_format=response_format_from_model(response_format))


# unasync -> ParseHelpers: the generator writes the blocking twin (the sync client's mixin)
class AsyncParseHelpers:
    """Mixin for the clients: structured output."""

    async def parse_chat_completion(
        self,
        model: str,
        messages: Sequence[Union[Message, MessageParam]],
        *,
        response_format: Type[T],
        **kwargs: Unpack[ParseArgs],
    ) -> ParsedChatCompletion[T]:
        """Ask for an answer in ``response_format``'s JSON and parse it into that model.

        Args:
            model: The model to use (``provider/model``).
            messages: The conversation so far.
            response_format: A Pydantic model class: the answer must be its JSON. Sent as a
                strict ``json_schema`` format (every object closed, every field required;
                optional fields are nullable).
            **kwargs: The other arguments of ``create_chat_completion`` (``ParseArgs``:
                ``temperature``, ``provider``, ...) and the per-request options
                ``extra_headers``, ``extra_query``, ``extra_body``, ``timeout``.

        Returns:
            The completion; ``choices[i].message.parsed`` is a ``response_format`` instance
            (``None`` for a choice that called tools instead).

        Raises:
            ContentRefusalError: The model refused (``.refusal``, ``.completion``).
            LengthFinishReasonError: The answer was cut at the token limit.
            StructuredOutputValidationError: The content is not JSON matching the model.
            TypeError: ``response_format`` is not a Pydantic model class, or has a field strict
                mode cannot express (a free-form dict), or ``stream=`` was passed.
            InferenceGatewayAPIError: The gateway answered with an error status.
            APIConnectionError: No response (refused, reset, timeout).
        """
        from .parsing import parse_completion

        completion = await self.create_chat_completion(  # type: ignore[attr-defined]
            model=model, messages=messages, **_request(response_format, kwargs)
        )
        return parse_completion(completion, response_format)

    def parse_chat_completion_stream(
        self,
        model: str,
        messages: Sequence[Union[Message, MessageParam]],
        *,
        response_format: Type[T],
        **kwargs: Unpack[ParseArgs],
    ) -> AsyncParsedChatCompletionStream[T]:
        """``parse_chat_completion`` as a stream whose final completion is parsed.

        Args:
            model: The model to use (``provider/model``).
            messages: The conversation so far.
            response_format: A Pydantic model class: the answer must be its JSON. Sent as a
                strict ``json_schema`` format (every object closed, every field required;
                optional fields are nullable).
            **kwargs: The other arguments of ``create_chat_completion`` (``ParseArgs``:
                ``temperature``, ``provider``, ...) and the per-request options
                ``extra_headers``, ``extra_query``, ``extra_body``, ``timeout``.

        Returns:
            The stream (request sent when reading starts): iterate its chunks or
            ``text_stream``; ``get_final_completion()`` returns the parsed completion and
            raises the errors of ``parse_chat_completion``.

        Raises:
            TypeError: ``response_format`` is not a Pydantic model class, or has a field strict
                mode cannot express.
        """
        from .parsing import AsyncParsedChatCompletionStream

        stream = self.stream_chat_completion(  # type: ignore[attr-defined]
            model=model, messages=messages, **_request(response_format, kwargs)
        )
        return AsyncParsedChatCompletionStream(stream, response_format)
