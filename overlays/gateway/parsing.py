"""Structured output: a Pydantic model as a strict ``json_schema`` response format, and the
answer parsed back into it (``parse_chat_completion``, ``parse_chat_completion_stream``).

The schema follows the strict rules of OpenAI-compatible structured outputs: every object
closed (``additionalProperties: false``) with all its properties required (optional fields stay
nullable), no ``default``, ``$ref`` never beside other keys. A refusal, an answer cut short, or
text that is not the model's JSON raise typed errors (``StructuredOutputError`` and subclasses)
that keep the completion.
"""

from __future__ import annotations

import copy
import re
from typing import (
    TYPE_CHECKING,
    Any,
    AsyncIterator,
    Dict,
    Generic,
    Iterator,
    List,
    Optional,
    Type,
    TypeVar,
)

from pydantic import BaseModel, ValidationError

from .. import models
from .._base_client import validation_message
from ..errors import InferenceGatewayError
from ..models import ChatCompletionChoice, CreateChatCompletionResponse, Message

if TYPE_CHECKING:
    import httpx

    from .chat_stream import AsyncChatCompletionStream, ChatCompletionStream

__all__ = [
    "AsyncParsedChatCompletionStream",
    "ContentRefusalError",
    "LengthFinishReasonError",
    "ParsedChatCompletion",
    "ParsedChatCompletionStream",
    "ParsedChoice",
    "ParsedMessage",
    "StructuredOutputError",
    "StructuredOutputValidationError",
    "response_format_from_model",
    "to_strict_json_schema",
]
__requires__ = {"operations": ["create_chat_completion", "create_chat_completion_stream"]}

T = TypeVar("T", bound=BaseModel)

_NAME_UNSAFE = re.compile(r"[^a-zA-Z0-9_-]")
# The generated models' names: the parsed classes' inherited annotations are resolved there.
_MODEL_NAMESPACE = vars(models)


class ParsedMessage(Message, Generic[T]):
    """An answer message with ``parsed``: its content as the requested model (``None`` when the
    message carries tool calls instead of content)."""

    parsed: Optional[T] = None


class ParsedChoice(ChatCompletionChoice, Generic[T]):
    message: ParsedMessage[T]


class ParsedChatCompletion(CreateChatCompletionResponse, Generic[T]):
    """A chat completion whose ``choices[i].message.parsed`` is the response format's model."""

    choices: List[ParsedChoice[T]]  # type: ignore[assignment]


class StructuredOutputError(InferenceGatewayError):
    """The answer could not be parsed into the response format; ``completion`` is the answer."""

    def __init__(self, message: str, completion: CreateChatCompletionResponse) -> None:
        super().__init__(message)
        self.completion = completion


class ContentRefusalError(StructuredOutputError):
    """The model refused to answer (``refusal`` says why)."""

    def __init__(self, refusal: str, completion: CreateChatCompletionResponse) -> None:
        super().__init__(f"the model refused to answer: {refusal}", completion)
        self.refusal = refusal


class LengthFinishReasonError(StructuredOutputError):
    """The answer was cut at the token limit (``finish_reason`` ``length``): its JSON is
    incomplete. Raise ``max_tokens`` or simplify the schema."""


class StructuredOutputValidationError(StructuredOutputError):
    """The answer's content is not JSON matching the model (``content`` is the text)."""

    def __init__(self, message: str, completion: CreateChatCompletionResponse, content: str):
        super().__init__(message, completion)
        self.content = content


# --------------------------------------------------------------------------------------------
# The request side: a model as a strict JSON schema


def to_strict_json_schema(model: Type[BaseModel]) -> Dict[str, Any]:
    """``model``'s JSON schema under the strict structured-output rules.

    Raises ``TypeError`` for a schema strict mode cannot express: a free-form object (a
    ``Dict[str, X]`` field, ``extra="allow"``), named by its place in the schema.
    """
    schema = copy.deepcopy(model.model_json_schema())
    _strict(schema, schema, "#")
    return schema


def _strict(node: Any, root: Dict[str, Any], where: str) -> Any:
    if not isinstance(node, dict):
        return node
    for key in ("$defs", "definitions"):
        for name, definition in node.get(key, {}).items():
            _strict(definition, root, f"{where}/{key}/{name}")
    if node.get("type") == "object" or "properties" in node:
        extra = node.get("additionalProperties", False)
        if extra not in (False, None) and not (node.get("properties") and extra is True):
            raise TypeError(
                f"{where}: strict structured output cannot express a free-form object "
                "(a dict field or extra fields): use a model with named fields"
            )
        node["additionalProperties"] = False
        properties = node.setdefault("properties", {})
        node["required"] = list(properties)
        for name, value in properties.items():
            _strict(value, root, f"{where}/properties/{name}")
    if isinstance(node.get("items"), dict):
        _strict(node["items"], root, f"{where}/items")
    for key in ("anyOf", "oneOf"):
        for index, variant in enumerate(node.get(key, [])):
            _strict(variant, root, f"{where}/{key}/{index}")
    if "oneOf" in node:  # strict mode knows anyOf only
        node["anyOf"] = node.pop("oneOf")
    all_of = node.get("allOf")
    if isinstance(all_of, list) and len(all_of) == 1:
        node.pop("allOf")
        node.update(_strict(all_of[0], root, f"{where}/allOf/0"))
    node.pop("default", None)
    if "$ref" in node and len(node) > 1:  # a $ref must stand alone: inline its target
        target = _resolve(root, node.pop("$ref"), where)
        merged = {**target, **node}
        node.clear()
        node.update(merged)
    return node


def _resolve(root: Dict[str, Any], ref: str, where: str) -> Dict[str, Any]:
    if not ref.startswith("#/"):
        raise TypeError(f"{where}: $ref {ref!r} is not local to the schema")
    target: Any = root
    for part in ref[2:].split("/"):
        target = target[part]
    return dict(target)


def response_format_from_model(model: Type[BaseModel]) -> Dict[str, Any]:
    """The ``response_format`` request field asking for ``model``'s JSON, strictly."""
    if not (isinstance(model, type) and issubclass(model, BaseModel)):
        raise TypeError(
            f"response_format must be a Pydantic model class, got {model!r} "
            "(pass a plain response_format dict to create_chat_completion instead)"
        )
    json_schema: Dict[str, Any] = {
        "name": _NAME_UNSAFE.sub("_", model.__name__)[:64],
        "schema": to_strict_json_schema(model),
        "strict": True,
    }
    if model.__doc__ and model.__doc__.strip():
        json_schema["description"] = model.__doc__.strip()
    return {"type": "json_schema", "json_schema": json_schema}


# --------------------------------------------------------------------------------------------
# The answer side


def _plain(value: Any) -> Any:
    return getattr(value, "root", value)


def _content_text(message: Message) -> Optional[str]:
    content = _plain(message.content)
    if content is None or isinstance(content, str):
        return content
    texts = [getattr(_plain(part), "text", None) for part in content]
    return "".join(text for text in texts if isinstance(text, str))


def parse_completion(
    completion: CreateChatCompletionResponse, response_format: Type[T]
) -> ParsedChatCompletion[T]:
    """``completion`` with each choice's message parsed into ``response_format``."""
    data = completion.model_dump(by_alias=True, exclude_unset=True)
    for choice, raw in zip(completion.choices, data["choices"]):
        if _plain(choice.finish_reason) == "length":
            raise LengthFinishReasonError(
                "the answer was cut at the token limit (finish_reason 'length'), so its JSON "
                "is incomplete: raise max_tokens",
                completion,
            )
        refusal = getattr(choice.message, "refusal", None)
        if refusal:
            raise ContentRefusalError(str(refusal), completion)
        text = _content_text(choice.message)
        if not text and choice.message.tool_calls:
            continue  # the model called a tool: nothing to parse
        try:
            raw["message"]["parsed"] = response_format.model_validate_json(text or "")
        except ValidationError as exc:
            raise StructuredOutputValidationError(
                validation_message("the answer", response_format.__name__, exc),
                completion,
                text or "",
            ) from None
    parsed_type = ParsedChatCompletion[response_format]  # type: ignore[valid-type]
    if not parsed_type.__pydantic_complete__:  # once per response format
        parsed_type.model_rebuild(_types_namespace=_MODEL_NAMESPACE)
    return parsed_type.model_validate(data)


class _ParsedStreamBase(Generic[T]):
    def __init__(self, stream: Any, response_format: Type[T]) -> None:
        self._stream = stream
        self.response_format = response_format

    @property
    def response(self) -> Optional[httpx.Response]:
        """The HTTP response once the stream is open (status, headers)."""
        return self._stream.response  # type: ignore[no-any-return]


class ParsedChatCompletionStream(_ParsedStreamBase[T]):
    """A streamed chat completion in a response format: iterate its chunks as usual;
    ``get_final_completion()`` returns it parsed (``choices[i].message.parsed``)."""

    _stream: ChatCompletionStream

    def __iter__(self) -> Iterator[Any]:
        return iter(self._stream)

    def __enter__(self) -> ParsedChatCompletionStream[T]:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        """Stop reading and release the connection."""
        self._stream.close()

    @property
    def text_stream(self) -> Iterator[str]:
        """The JSON text as it arrives, piece by piece."""
        return self._stream.text_stream

    def get_final_completion(self) -> ParsedChatCompletion[T]:
        """Read the rest of the stream; the whole answer, parsed."""
        return parse_completion(self._stream.get_final_completion(), self.response_format)


class AsyncParsedChatCompletionStream(_ParsedStreamBase[T]):
    """Async twin of :class:`ParsedChatCompletionStream`."""

    _stream: AsyncChatCompletionStream

    def __aiter__(self) -> AsyncIterator[Any]:
        return self._stream.__aiter__()

    async def __aenter__(self) -> AsyncParsedChatCompletionStream[T]:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.close()

    async def close(self) -> None:
        """Stop reading and release the connection."""
        await self._stream.close()

    @property
    def text_stream(self) -> AsyncIterator[str]:
        """The JSON text as it arrives, piece by piece."""
        return self._stream.text_stream

    async def get_final_completion(self) -> ParsedChatCompletion[T]:
        """Read the rest of the stream; the whole answer, parsed."""
        return parse_completion(await self._stream.get_final_completion(), self.response_format)
