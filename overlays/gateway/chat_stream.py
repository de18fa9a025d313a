"""Typed chat-completion streams: chunks, a text iterator, callbacks and the accumulated answer.

``client.stream_chat_completion(...)`` returns a :class:`ChatCompletionStream` (async twin
:class:`AsyncChatCompletionStream`). Iterating yields typed
``CreateChatCompletionStreamResponse`` chunks; whatever is iterated is also folded by a
:class:`ChatCompletionAccumulator` so :meth:`ChatCompletionStream.get_final_completion` can
return a ``CreateChatCompletionResponse`` as if the request had not streamed.

The per-chunk work is kept small on purpose (this is the hot path of LLM applications): no
callback bookkeeping happens unless a callback was given, and text pieces are compacted into
blocks so memory stays proportional to the answer, not to the number of chunks.
"""

from __future__ import annotations

import inspect
import json
from typing import (
    TYPE_CHECKING,
    Any,
    AsyncIterator,
    Awaitable,
    Callable,
    Collection,
    Dict,
    FrozenSet,
    Generic,
    Iterator,
    List,
    Optional,
    Tuple,
    TypeVar,
    Union,
)

if TYPE_CHECKING:
    import httpx

from .._streaming import AsyncLazyIterator, AsyncStream, LazyIterator, Stream
from ..models import (
    ChatCompletionMessageToolCall,
    ChatCompletionStreamChoice,
    ChatCompletionStreamResponseDelta,
    CompletionUsage,
    CreateChatCompletionResponse,
    CreateChatCompletionStreamResponse,
)

__all__ = [
    "AsyncChatCompletionStream",
    "ChatCompletionAccumulator",
    "ChatCompletionStream",
    "OnChunk",
    "OnError",
    "OnFinish",
    "OnOpen",
    "OnText",
    "OnToolCall",
    "OnUsage",
    "StreamCallbacks",
]

_COMPACT_AT = 256  # text pieces kept before they are joined into one block

Callback = Callable[..., Union[Awaitable[None], None]]
"""Any of the callbacks below, as the stream calls them (the async stream awaits what they return)."""
_Done = Union[Awaitable[None], None]
OnOpen = Callable[[], _Done]
OnChunk = Callable[[CreateChatCompletionStreamResponse], _Done]
OnText = Callable[[str], _Done]
OnToolCall = Callable[[ChatCompletionMessageToolCall], _Done]
OnUsage = Callable[[CompletionUsage], _Done]
OnFinish = Callable[[CreateChatCompletionResponse], _Done]
OnError = Callable[[Exception], _Done]

# Whether the stream models have the fields the fast fold reads from their ``__dict__``.
_FIELDS_IN_DICT = all(
    set(names) <= set(model.model_fields)
    for model, names in (
        (CreateChatCompletionStreamResponse, ("choices", "usage")),
        (ChatCompletionStreamChoice, ("index", "delta", "finish_reason")),
        (
            ChatCompletionStreamResponseDelta,
            ("role", "content", "reasoning_content", "reasoning", "refusal", "tool_calls"),
        ),
    )
)


def _tool_index(tools: Dict[int, _ToolCall], fragment: Any) -> int:
    """The fragment's tool call slot. Some OpenAI-compatible servers leave out `index`: then a
    fragment with a new `id` starts the next call and one without continues the last."""
    if fragment.index is not None:
        return int(fragment.index)
    if not tools:
        return 0
    last = max(tools)
    if fragment.id and tools[last].id is not None and fragment.id != tools[last].id:
        known = [i for i, call in tools.items() if call.id == fragment.id]
        return known[0] if known else last + 1
    return last


class _Text:
    """Append-only text: pieces are joined in blocks so a 200k-chunk answer is a few hundred
    strings, not 200k."""

    __slots__ = ("blocks", "parts")

    def __init__(self) -> None:
        self.parts: List[str] = []
        self.blocks: List[str] = []

    def add(self, piece: str) -> None:
        parts = self.parts
        parts.append(piece)
        if len(parts) >= _COMPACT_AT:
            self.compact()

    def compact(self) -> None:
        self.blocks.append("".join(self.parts))
        self.parts.clear()

    def value(self) -> Optional[str]:
        if not self.parts and not self.blocks:
            return None
        text = "".join(self.blocks) + "".join(self.parts)
        self.blocks, self.parts = [text], []  # one copy of the text from now on
        return text


class _ToolCall:
    __slots__ = ("arguments", "done", "extra", "id", "index", "name", "type")

    def __init__(self, index: int) -> None:
        self.index = index
        self.id: Optional[str] = None
        self.type: Optional[str] = None
        self.name: Optional[str] = None
        self.arguments: List[str] = []
        self.extra: Optional[Dict[str, Any]] = None
        self.done = False

    def build(self) -> ChatCompletionMessageToolCall:
        data: Dict[str, Any] = {
            # Some providers never send an id; the model requires one and a tool message must
            # quote it, so derive a stable one from the position.
            "id": self.id if self.id is not None else f"call_{self.index}",
            "type": self.type or "function",
            "function": {"name": self.name or "", "arguments": "".join(self.arguments)},
        }
        if self.extra is not None:
            data["extra_content"] = self.extra
        return ChatCompletionMessageToolCall.model_validate(data)


class _Choice:
    __slots__ = ("content", "finish_reason", "index", "reasoning", "refusal", "role", "tools")

    def __init__(self, index: int) -> None:
        self.index = index
        self.role: Optional[str] = None
        self.content = _Text()
        self.reasoning = _Text()
        self.refusal = _Text()
        self.tools: Dict[int, _ToolCall] = {}
        self.finish_reason: Optional[str] = None


def _value(value: Any) -> Any:
    """The plain value of an enum / RootModel field (generated models use either)."""
    value = getattr(value, "root", value)
    return getattr(value, "value", value)


class StreamCallbacks:
    """The keyword callbacks of a chat stream (all optional; sync functions, or coroutine
    functions on the async stream)."""

    __slots__ = (
        "on_chunk",
        "on_content",
        "on_error",
        "on_finish",
        "on_mcp_tool",
        "on_open",
        "on_reasoning",
        "on_tool",
        "on_usage",
    )

    def __init__(
        self,
        *,
        on_open: Optional[OnOpen] = None,
        on_chunk: Optional[OnChunk] = None,
        on_content: Optional[OnText] = None,
        on_reasoning: Optional[OnText] = None,
        on_tool: Optional[OnToolCall] = None,
        on_mcp_tool: Optional[OnToolCall] = None,
        on_usage: Optional[OnUsage] = None,
        on_finish: Optional[OnFinish] = None,
        on_error: Optional[OnError] = None,
    ) -> None:
        self.on_open = on_open
        self.on_chunk = on_chunk
        self.on_content = on_content
        self.on_reasoning = on_reasoning
        self.on_tool = on_tool
        self.on_mcp_tool = on_mcp_tool
        self.on_usage = on_usage
        self.on_finish = on_finish
        self.on_error = on_error

    def per_chunk(self) -> bool:
        """Whether any callback needs looking at every chunk."""
        return any(
            cb is not None
            for cb in (
                self.on_chunk,
                self.on_content,
                self.on_reasoning,
                self.on_tool,
                self.on_mcp_tool,
                self.on_usage,
            )
        )


Calls = List[Tuple[Callback, Any]]


class ChatCompletionAccumulator:
    """Folds stream chunks into one ``CreateChatCompletionResponse``.

    Content, reasoning (``reasoning_content`` or its mirror ``reasoning``), refusal, tool calls
    (merged by index: id, name, argument fragments, ``extra_content``), finish reason and usage.
    ``tool_names`` are the tools the request supplied: a completed call to one of them goes to
    ``on_tool``, any other (a gateway-managed MCP tool) to ``on_mcp_tool`` once its arguments
    parse as JSON.
    """

    def __init__(
        self,
        tool_names: Collection[str] = (),
        callbacks: Optional[StreamCallbacks] = None,
    ) -> None:
        self.tool_names: FrozenSet[str] = frozenset(tool_names)
        self.callbacks = callbacks or StreamCallbacks()
        self._choices: Dict[int, _Choice] = {}
        self._id: Optional[str] = None
        self._created: Optional[int] = None
        self._model: Optional[str] = None
        self._fingerprint: Optional[str] = None
        self.usage: Optional[CompletionUsage] = None

    # -- folding ------------------------------------------------------------------------------

    def add(self, chunk: CreateChatCompletionStreamResponse) -> None:
        """Fold one chunk (no callbacks).

        The hot path of every stream. Pydantic models define ``__getattr__``, which makes each
        attribute read cost a slow lookup (~70 ns); the field values live in the instance
        ``__dict__``, so each object's dict is read once and its fields by key (the generated
        models are checked to have them, else :meth:`_add_by_attribute` is used)."""
        if not _FIELDS_IN_DICT:
            self._add_by_attribute(chunk)
            return
        fields = chunk.__dict__
        if fields["usage"] is not None:
            self.usage = fields["usage"]
            self._identify(chunk)
        choices = self._choices
        for choice in fields["choices"]:
            c = choice.__dict__
            index = c["index"] or 0  # a provider that sends one choice may leave out its index
            acc = choices.get(index)
            if acc is None:
                acc = choices[index] = _Choice(index)
                self._identify(chunk)
            delta = c["delta"]
            d = delta.__dict__
            if (
                d["tool_calls"] is None
                and d["reasoning_content"] is None
                and d["reasoning"] is None
                and d["refusal"] is None
                and (d["role"] is None or acc.role is not None)
            ):
                text = d["content"]
                if text:
                    parts = acc.content.parts
                    parts.append(text)
                    if len(parts) >= _COMPACT_AT:
                        acc.content.compact()
            else:
                self._add_delta(acc, delta)
            if c["finish_reason"] is not None:
                acc.finish_reason = _value(c["finish_reason"])

    def _add_by_attribute(self, chunk: CreateChatCompletionStreamResponse) -> None:
        """:meth:`add` for models whose fields differ from the expected ones."""
        if chunk.usage is not None:
            self.usage = chunk.usage
            self._identify(chunk)
        for choice in chunk.choices:
            index = choice.index or 0
            acc = self._choices.get(index)
            if acc is None:
                acc = self._choices[index] = _Choice(index)
                self._identify(chunk)
            self._add_delta(acc, choice.delta)
            if choice.finish_reason is not None:
                acc.finish_reason = _value(choice.finish_reason)

    def _identify(self, chunk: CreateChatCompletionStreamResponse) -> None:
        if self._id is None:
            self._id = chunk.id
            self._created = chunk.created
            self._model = chunk.model

    def _add_delta(self, acc: _Choice, delta: Any) -> None:
        text = delta.content
        if text:
            acc.content.add(text)
        text = delta.reasoning_content or delta.reasoning
        if text:
            acc.reasoning.add(text)
        if delta.tool_calls:
            self._add_tools(acc, delta.tool_calls)
        if delta.refusal:
            acc.refusal.add(delta.refusal)
        if delta.role is not None and acc.role is None:
            acc.role = _value(delta.role)

    def add_with_callbacks(self, chunk: CreateChatCompletionStreamResponse) -> Calls:
        """Fold one chunk and return the callback calls it causes, in order."""
        cb = self.callbacks
        calls: Calls = []
        if cb.on_chunk is not None:
            calls.append((cb.on_chunk, chunk))
        self.add(chunk)
        if cb.on_usage is not None and chunk.usage is not None:
            calls.append((cb.on_usage, chunk.usage))
        for choice in chunk.choices:
            delta = choice.delta
            if cb.on_reasoning is not None:
                text = delta.reasoning_content or delta.reasoning
                if text:
                    calls.append((cb.on_reasoning, text))
            if cb.on_content is not None and delta.content:
                calls.append((cb.on_content, delta.content))
            if choice.finish_reason is not None:
                self._complete_tools(self._choices[choice.index or 0], calls)
        return calls

    def _add_tools(self, acc: _Choice, fragments: List[Any]) -> None:
        for fragment in fragments:
            index = _tool_index(acc.tools, fragment)
            call = acc.tools.get(index)
            if call is None:
                call = acc.tools[index] = _ToolCall(index)
            if fragment.id:
                call.id = fragment.id
            if fragment.type:
                call.type = fragment.type
            function = fragment.function
            if function is not None:
                name = function.name
                # Most providers send the name once; some repeat it whole in every fragment,
                # a few stream it in pieces.
                if name and name != call.name:
                    call.name = name if call.name is None else call.name + name
                if function.arguments:
                    call.arguments.append(function.arguments)
            extra = fragment.extra_content
            if extra is not None:
                dumped = extra.model_dump(mode="json", by_alias=True, exclude_unset=True)
                call.extra = dumped if call.extra is None else {**call.extra, **dumped}

    def _complete_tools(self, acc: _Choice, calls: Calls) -> None:
        cb = self.callbacks
        for call in acc.tools.values():
            if call.done:
                continue
            if call.name in self.tool_names:
                call.done = True
                if cb.on_tool is not None:
                    calls.append((cb.on_tool, call.build()))
                continue
            try:
                json.loads("".join(call.arguments) or "{}")
            except ValueError:
                continue  # not complete (or never valid): MCP calls fire once they parse
            call.done = True
            if cb.on_mcp_tool is not None:
                calls.append((cb.on_mcp_tool, call.build()))

    def finish(self) -> Calls:
        """Callbacks due at the end of a complete stream (tool calls not yet reported, then
        ``on_finish`` with the final completion)."""
        calls: Calls = []
        for acc in self._choices.values():
            self._complete_tools(acc, calls)
        if self.callbacks.on_finish is not None:
            calls.append((self.callbacks.on_finish, self.completion()))
        return calls

    # -- result -------------------------------------------------------------------------------

    def completion(self) -> CreateChatCompletionResponse:
        """The answer so far as a ``CreateChatCompletionResponse``."""
        choices = []
        for index in sorted(self._choices):
            acc = self._choices[index]
            tool_calls = [acc.tools[i].build() for i in sorted(acc.tools)]
            content = acc.content.value()
            message: Dict[str, Any] = {
                "role": acc.role or "assistant",
                "content": content if content is not None or tool_calls else "",
            }
            reasoning = acc.reasoning.value()
            if reasoning is not None:
                message["reasoning_content"] = reasoning
                message["reasoning"] = reasoning
            refusal = acc.refusal.value()
            if refusal is not None:
                message["refusal"] = refusal
            if tool_calls:
                message["tool_calls"] = tool_calls
            choices.append({"index": index, "message": message, "finish_reason": acc.finish_reason})
        data: Dict[str, Any] = {
            "id": self._id or "",
            "object": "chat.completion",
            "created": self._created or 0,
            "model": self._model or "",
            "choices": choices,
        }
        if self.usage is not None:
            data["usage"] = self.usage
        return CreateChatCompletionResponse.model_validate(data)


def _tool_names(tools: Any) -> List[str]:
    """Function names of the request's tools (models or dicts)."""
    names = []
    for tool in tools or ():
        function = (
            tool.get("function") if isinstance(tool, dict) else getattr(tool, "function", None)
        )
        name = (
            function.get("name") if isinstance(function, dict) else getattr(function, "name", None)
        )
        if name:
            names.append(name)
    return names


_TypedStream = TypeVar("_TypedStream", bound=Union[Stream[Any], AsyncStream[Any]])


class _ChatStreamBase(Generic[_TypedStream]):
    """What the sync and async streams share: the accumulator, callback set-up, results."""

    def __init__(
        self,
        stream: _TypedStream,
        *,
        tools: Any = None,
        callbacks: Optional[StreamCallbacks] = None,
    ) -> None:
        self._stream: _TypedStream = stream
        self.callbacks = callbacks = callbacks or StreamCallbacks()
        self.accumulator = ChatCompletionAccumulator(_tool_names(tools), callbacks)
        self._per_chunk = callbacks.per_chunk()
        # Without callbacks the typed stream folds each chunk itself: no wrapper generator.
        self._plain = (
            not self._per_chunk and callbacks.on_finish is None and callbacks.on_error is None
        )
        if self._plain:
            stream.fold = self.accumulator.add
        self._final: Optional[CreateChatCompletionResponse] = None

    @property
    def _finished(self) -> bool:
        return bool(self._stream.completed)

    @property
    def usage(self) -> Optional[CompletionUsage]:
        return self.accumulator.usage

    def _completion(self) -> CreateChatCompletionResponse:
        if self._final is None:
            self._final = self.accumulator.completion()
        return self._final


class ChatCompletionStream(
    _ChatStreamBase[Stream[CreateChatCompletionStreamResponse]],
    LazyIterator[CreateChatCompletionStreamResponse],
):
    """A streamed chat completion: ``with`` it, iterate typed chunks, or read ``text_stream``;
    then ``get_final_completion()``."""

    def _new_iterator(self) -> Iterator[CreateChatCompletionStreamResponse]:
        return iter(self._stream) if self._plain else self._iterate()

    def _iterate(self) -> Iterator[CreateChatCompletionStreamResponse]:
        acc = self.accumulator
        try:
            if self._per_chunk:
                fold = acc.add_with_callbacks
                for chunk in self._stream:
                    for callback, arg in fold(chunk):
                        callback(arg)
                    yield chunk
            else:
                add = acc.add
                for chunk in self._stream:
                    add(chunk)
                    yield chunk
            for callback, arg in acc.finish():
                callback(arg)
        except Exception as exc:
            if self.callbacks.on_error is not None:
                self.callbacks.on_error(exc)
            raise

    def __enter__(self) -> ChatCompletionStream:
        return self

    def close(self) -> None:
        """Stop reading and release the connection."""
        super().close()
        self._stream.close()

    @property
    def response(self) -> Optional[httpx.Response]:
        """The HTTP response once the stream is open (status, headers)."""
        return self._stream.response

    @property
    def text_stream(self) -> Iterator[str]:
        """Only the content text, piece by piece (the stream is still accumulated)."""
        for chunk in self:
            for choice in chunk.choices:
                if choice.delta.content:
                    yield choice.delta.content

    def until_done(self) -> ChatCompletionStream:
        """Consume the rest of the stream."""
        for _ in self:
            pass
        return self

    def get_final_completion(self) -> CreateChatCompletionResponse:
        """Consume the rest of the stream and return the whole answer."""
        if not self._finished:
            self.until_done()
        return self._completion()

    def get_final_text(self) -> str:
        completion = self.get_final_completion()
        content = completion.choices[0].message.content if completion.choices else None
        root = getattr(content, "root", content)
        return root if isinstance(root, str) else ""


async def _call(callback: Callback, arg: Any) -> None:
    result = callback(arg)
    if inspect.isawaitable(result):
        await result


class AsyncChatCompletionStream(
    _ChatStreamBase[AsyncStream[CreateChatCompletionStreamResponse]],
    AsyncLazyIterator[CreateChatCompletionStreamResponse],
):
    """Async twin of :class:`ChatCompletionStream`; callbacks may be coroutine functions."""

    def _new_iterator(self) -> AsyncIterator[CreateChatCompletionStreamResponse]:
        return self._stream.__aiter__() if self._plain else self._iterate()

    async def _iterate(self) -> AsyncIterator[CreateChatCompletionStreamResponse]:
        acc = self.accumulator
        try:
            if self._per_chunk:
                fold = acc.add_with_callbacks
                async for chunk in self._stream:
                    for callback, arg in fold(chunk):
                        await _call(callback, arg)
                    yield chunk
            else:
                add = acc.add
                async for chunk in self._stream:
                    add(chunk)
                    yield chunk
            for callback, arg in acc.finish():
                await _call(callback, arg)
        except Exception as exc:
            if self.callbacks.on_error is not None:
                await _call(self.callbacks.on_error, exc)
            raise

    async def __aenter__(self) -> AsyncChatCompletionStream:
        return self

    async def close(self) -> None:
        """Stop reading and release the connection."""
        await super().close()
        await self._stream.close()

    @property
    def response(self) -> Optional[httpx.Response]:
        """The HTTP response once the stream is open (status, headers)."""
        return self._stream.response

    @property
    def text_stream(self) -> AsyncIterator[str]:
        """Only the content text, piece by piece (the stream is still accumulated)."""
        return _async_text(self)

    async def until_done(self) -> AsyncChatCompletionStream:
        async for _ in self:
            pass
        return self

    async def get_final_completion(self) -> CreateChatCompletionResponse:
        if not self._finished:
            await self.until_done()
        return self._completion()

    async def get_final_text(self) -> str:
        completion = await self.get_final_completion()
        content = completion.choices[0].message.content if completion.choices else None
        root = getattr(content, "root", content)
        return root if isinstance(root, str) else ""


async def _async_text(stream: AsyncChatCompletionStream) -> AsyncIterator[str]:
    async for chunk in stream:
        for choice in chunk.choices:
            if choice.delta.content:
                yield choice.delta.content
