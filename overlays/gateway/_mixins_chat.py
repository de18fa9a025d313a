"""Chat conveniences the generator puts on the clients: typed streaming and the tool loop.

They go through the generated ``create_chat_completion`` / ``create_chat_completion_stream``
methods, so the request (body flattening, headers, retries, errors) is built in one place.
"""

from __future__ import annotations

from typing import (
    TYPE_CHECKING,
    Any,
    Callable,
    Dict,
    Generic,
    List,
    Optional,
    Sequence,
    TypeVar,
    Union,
)

if TYPE_CHECKING:  # the helpers load on first use: `import` of the package stays cheap
    from typing_extensions import Unpack

    from ..models import ChatCompletionStreamOptions, ChatCompletionTool, Message
    from ..params import (
        ChatCompletionStreamOptionsParam,
        ChatCompletionToolParam,
        ChatStreamArgs,
        MessageParam,
        ToolRunArgs,
    )
    from .chat_stream import (
        AsyncChatCompletionStream,
        ChatCompletionStream,
        OnChunk,
        OnError,
        OnFinish,
        OnOpen,
        OnText,
        OnToolCall,
        OnUsage,
    )
    from .tools import ToolRunResult, ToolSpec

    #: A tool for ``stream_chat_completion``: a definition (model or dict), a plain function, or
    #: a ``(definition, function)`` pair.
    ToolArg = Union[ChatCompletionTool, ChatCompletionToolParam, ToolSpec]

__all__ = ["AsyncChatHelpers", "ChatHelpers"]
__requires__ = {"operations": ["create_chat_completion", "create_chat_completion_stream"]}
# The keyword arguments the helpers pass through, as TypedDicts in params.py (generator/params.py):
# every other argument of the generated method, typed as it is there.
__kwargs__ = {
    "ChatStreamArgs": {
        "method": "create_chat_completion_stream",
        "without": ["model", "messages", "tools", "stream_options"],
    },
    "ToolRunArgs": {"method": "create_chat_completion", "without": ["model", "messages", "tools"]},
}


def _tool_definitions(tools: Optional[Sequence[Any]]) -> Optional[List[Any]]:
    """Request tools as given, with plain Python functions turned into definitions."""
    if tools is None:
        return None
    from .tools import tool_from_function

    out: List[Any] = []
    for tool in tools:
        if isinstance(tool, tuple):
            out.append(tool[0])
        elif callable(tool) and not hasattr(tool, "model_dump"):
            out.append(tool_from_function(tool))
        else:
            out.append(tool)
    return out


_S = TypeVar("_S")


class _StreamChat(Generic[_S]):
    """``stream_chat_completion`` for both clients: it only builds the (lazy) stream, so sync
    and async share it; ``_chat_stream_class`` says which stream wraps the events."""

    @staticmethod
    def _chat_stream_class() -> Callable[..., _S]:
        raise NotImplementedError

    def stream_chat_completion(
        self,
        model: str,
        messages: Sequence[Union[Message, MessageParam]],
        *,
        tools: Optional[Sequence[ToolArg]] = None,
        stream_options: Union[
            ChatCompletionStreamOptions, ChatCompletionStreamOptionsParam, None
        ] = None,
        on_open: Optional[OnOpen] = None,
        on_chunk: Optional[OnChunk] = None,
        on_content: Optional[OnText] = None,
        on_reasoning: Optional[OnText] = None,
        on_tool: Optional[OnToolCall] = None,
        on_mcp_tool: Optional[OnToolCall] = None,
        on_usage: Optional[OnUsage] = None,
        on_finish: Optional[OnFinish] = None,
        on_error: Optional[OnError] = None,
        **kwargs: Unpack[ChatStreamArgs],
    ) -> _S:
        """Stream a chat completion as typed chunks.

        ``with client.stream_chat_completion(model=..., messages=[...]) as stream:`` then iterate
        chunks, or ``stream.text_stream``, and/or ``stream.get_final_completion()`` (async
        client: ``async with`` / ``async for`` / ``await``; callbacks may be coroutine
        functions). Callbacks: ``on_open()``, ``on_chunk(chunk)``, ``on_content(text)``,
        ``on_reasoning(text)``, ``on_tool(tool_call)`` (a completed call to a tool in
        ``tools``), ``on_mcp_tool(tool_call)`` (any other completed call, once its arguments
        parse), ``on_usage(usage)``, ``on_finish(completion)``, ``on_error(exc)`` (then the error
        propagates). ``tools`` may hold plain functions (see ``tool_from_function``). Other
        keyword arguments are those of ``create_chat_completion`` (``reasoning_format``,
        ``provider``, ``extra_headers``...). The request is sent when iteration starts.

        Args:
            model: The model to use (``provider/model``).
            messages: The conversation so far.
            tools: Tool definitions or plain functions.
            stream_options: Defaults to ``{"include_usage": True}``.
            on_open, on_chunk, on_content, on_reasoning, on_tool, on_mcp_tool, on_usage,
                on_finish, on_error: The callbacks above.
            **kwargs: The other arguments of ``create_chat_completion`` (``ChatStreamArgs``:
                ``temperature``, ``provider``...) and the per-request options
                ``extra_headers``, ``extra_query``, ``extra_body``, ``timeout``.

        Returns:
            The stream (``ChatCompletionStream``; ``AsyncChatCompletionStream`` on the async
            client), not yet sent.

        Raises:
            InferenceGatewayAPIError: While reading: the gateway answered with an error status.
            APIConnectionError: While reading: no response (``APITimeoutError``: timed out).
            StreamError: While reading: the stream broke or ended before ``[DONE]``.
            ResponseValidationError: While reading: a chunk does not match the spec.
        """
        from ..models import CreateChatCompletionStreamResponse
        from .chat_stream import StreamCallbacks

        callbacks = StreamCallbacks(
            on_open=on_open,
            on_chunk=on_chunk,
            on_content=on_content,
            on_reasoning=on_reasoning,
            on_tool=on_tool,
            on_mcp_tool=on_mcp_tool,
            on_usage=on_usage,
            on_finish=on_finish,
            on_error=on_error,
        )
        definitions = _tool_definitions(tools)
        arguments: Dict[str, Any] = dict(kwargs)
        if definitions is not None:
            arguments["tools"] = definitions
        # Ask for the final usage chunk (as the TypeScript SDK does) unless the caller decided.
        arguments["stream_options"] = (
            {"include_usage": True} if stream_options is None else stream_options
        )
        opened = None if on_open is None else (lambda _response: on_open())
        events = self.create_chat_completion_stream(  # type: ignore[attr-defined]
            model=model, messages=messages, **arguments  # by name: the spec decides their order
        )
        stream = events.typed(CreateChatCompletionStreamResponse, on_open=opened)
        return self._chat_stream_class()(stream, tools=definitions, callbacks=callbacks)


class ChatHelpers(_StreamChat["ChatCompletionStream"]):
    """Mixin for the sync client."""

    @staticmethod
    def _chat_stream_class() -> type[ChatCompletionStream]:
        from .chat_stream import ChatCompletionStream

        return ChatCompletionStream

    def run_tools(
        self,
        *,
        model: str,
        messages: Sequence[Union[Message, MessageParam]],
        tools: Sequence[ToolSpec],
        max_rounds: int = 10,
        max_workers: Optional[int] = None,
        **kwargs: Unpack[ToolRunArgs],
    ) -> ToolRunResult:
        """Call the model, run the tools it asks for, send their results back, and repeat until
        it answers without tool calls.

        ``tools``: functions (their definition comes from signature + docstring) or
        ``(ChatCompletionTool, callable)`` pairs (the callable gets the JSON arguments as
        keywords). Parallel calls of one round run in a thread pool (``max_workers``). A tool
        that raises, an unknown tool or bad arguments send ``"Error: ..."`` back as that call's
        result. The assistant messages are appended unchanged (``extra_content`` survives).
        ``max_rounds`` bounds the model calls: if the last allowed answer still asks for tools,
        :class:`ToolRoundsExceededError` is raised (it holds ``.messages`` and ``.response``).
        Returns a ``ToolRunResult`` (``.response``, ``.messages``, ``.rounds``).

        Args:
            model: The model to use (``provider/model``).
            messages: The conversation so far (not changed; the result holds the new list).
            tools: Functions or ``(ChatCompletionTool, callable)`` pairs.
            max_rounds: At most this many model calls.
            max_workers: Threads for a round's tool calls (default: the pool's).
            **kwargs: The other arguments of ``create_chat_completion`` (``ToolRunArgs``) and
                the per-request options ``extra_headers``, ``extra_query``, ``extra_body``,
                ``timeout``.

        Returns:
            ``ToolRunResult``: ``.response`` (the final answer), ``.messages``, ``.rounds``.

        Raises:
            ToolRoundsExceededError: The last allowed answer still asked for tools.
            InferenceGatewayAPIError: The gateway answered with an error status.
            APIConnectionError: No response (``APITimeoutError``: timed out).
        """
        from .tools import ChatToolAPI, ToolLoop, run_tools_sync

        loop = ToolLoop(ChatToolAPI(), tools, messages, max_rounds, dict(kwargs, model=model))
        return run_tools_sync(self.create_chat_completion, loop, max_workers)  # type: ignore[attr-defined]


class AsyncChatHelpers(_StreamChat["AsyncChatCompletionStream"]):
    """Mixin for the async client."""

    @staticmethod
    def _chat_stream_class() -> type[AsyncChatCompletionStream]:
        from .chat_stream import AsyncChatCompletionStream

        return AsyncChatCompletionStream

    async def run_tools(
        self,
        *,
        model: str,
        messages: Sequence[Union[Message, MessageParam]],
        tools: Sequence[ToolSpec],
        max_rounds: int = 10,
        **kwargs: Unpack[ToolRunArgs],
    ) -> ToolRunResult:
        """Async twin of the sync ``run_tools``; a round's tool calls run concurrently (coroutine
        tools on the loop, plain functions in worker threads).

        Args:
            model: The model to use (``provider/model``).
            messages: The conversation so far (not changed; the result holds the new list).
            tools: Functions or ``(ChatCompletionTool, callable)`` pairs.
            max_rounds: At most this many model calls.
            **kwargs: The other arguments of ``create_chat_completion`` (``ToolRunArgs``) and
                the per-request options ``extra_headers``, ``extra_query``, ``extra_body``,
                ``timeout``.

        Returns:
            ``ToolRunResult``: ``.response`` (the final answer), ``.messages``, ``.rounds``.

        Raises:
            ToolRoundsExceededError: The last allowed answer still asked for tools.
            InferenceGatewayAPIError: The gateway answered with an error status.
            APIConnectionError: No response (``APITimeoutError``: timed out).
        """
        from .tools import ChatToolAPI, ToolLoop, run_tools_async

        loop = ToolLoop(ChatToolAPI(), tools, messages, max_rounds, dict(kwargs, model=model))
        return await run_tools_async(self.create_chat_completion, loop)  # type: ignore[attr-defined]
