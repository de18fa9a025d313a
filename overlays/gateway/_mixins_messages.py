"""Messages API conveniences on the clients: ``create_message_stream`` yields typed events
(as in the official SDK), ``stream_message`` adds text, callbacks and the final message.

Both go through the generated ``create_message_stream`` operation, so the request (body,
headers, retries, errors) is built in one place.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Dict, Optional, Sequence, Union

if TYPE_CHECKING:
    # Typed against the generated operations; at runtime the mixins are plain classes put
    # before the operations in the client's MRO.
    from pydantic import BaseModel
    from typing_extensions import Unpack

    from .._accumulated import Callback
    from .._operations import AsyncOperations as _AsyncBase
    from .._operations import SyncOperations as _SyncBase
    from .._streaming import AsyncStream, Stream
    from ..models import MessagesMessage, MessagesStreamEvent, MessagesTool
    from ..params import (
        MessagesMessageParam,
        MessagesToolParam,
        MessageStreamArgs,
        MessageToolArgs,
    )
    from .messages_stream import AsyncMessageStream, MessageStream
    from .messages_tools import MessageToolRunResult
    from .tools import ToolSpec

    #: A tool: a Messages tool (model or dict), a chat-shaped definition (``tool_from_function``'s),
    #: a plain function or a ``(definition, function)`` pair.
    MessagesToolArg = Union[MessagesTool, MessagesToolParam, BaseModel, ToolSpec]
else:
    _SyncBase = _AsyncBase = object

__all__ = ["AsyncMessagesHelpers", "MessagesHelpers"]
__requires__ = {"operations": ["create_message", "create_message_stream"]}
# The keyword arguments the helpers pass through, as a TypedDict in params.py
# (generator/params.py): every other argument of the generated method, typed as it is there.
__kwargs__ = {
    "MessageStreamArgs": {
        "method": "create_message_stream",
        "without": ["model", "messages", "max_tokens", "tools"],
    },
    "MessageToolArgs": {
        "method": "create_message",
        "without": ["model", "messages", "max_tokens", "tools"],
    },
}


def _arguments(
    tools: Optional[Sequence[MessagesToolArg]], kwargs: MessageStreamArgs
) -> Dict[str, Any]:
    """The generated method's other arguments, with ``tools`` (when given) in the Messages
    API's shape: plain Python functions and chat-shaped definitions are converted."""
    arguments: Dict[str, Any] = dict(kwargs)
    if tools is not None:
        from .tools import messages_tool

        arguments["tools"] = [messages_tool(tool) for tool in tools]
    return arguments


class MessageToolsMixin(_SyncBase):
    """``run_message_tools`` of the sync client (a round's tool calls in a thread pool)."""

    def run_message_tools(
        self,
        *,
        model: str,
        messages: Sequence[Union[MessagesMessage, MessagesMessageParam]],
        max_tokens: int,
        tools: Sequence[ToolSpec],
        max_rounds: int = 10,
        max_workers: Optional[int] = None,
        **kwargs: Unpack[MessageToolArgs],
    ) -> MessageToolRunResult:
        """``run_tools`` for the Messages API: call ``create_message``, run the ``tool_use``
        blocks it answers with, send their ``tool_result`` blocks back, and repeat until the
        model answers without tool calls.

        ``tools``: functions (their definition comes from signature + docstring) or
        ``(definition, callable)`` pairs (a ``MessagesTool`` or a chat tool definition; the
        callable gets the input as keywords). Parallel ``tool_use`` blocks of one answer run in
        a thread pool (``max_workers``). A tool that raises, an unknown tool or bad input send
        ``"Error: ..."`` back as that call's result, with ``is_error`` set. The answers go back
        unchanged (thinking blocks and their signatures included).

        Args:
            model: The model to use (``provider/model``).
            messages: The conversation so far (not changed; the result holds the new list).
            max_tokens: The most tokens each answer may have.
            tools: Functions or ``(definition, callable)`` pairs.
            max_rounds: At most this many model calls.
            max_workers: Threads for a round's tool calls (default: up to 8).
            **kwargs: The other arguments of ``create_message`` (``system``, ``tool_choice``,
                ...) and the per-request options ``extra_headers``, ``extra_query``, ``timeout``.

        Returns:
            ``MessageToolRunResult``: ``.response`` (the final ``MessagesResponse``),
            ``.content`` (its text), ``.messages``, ``.rounds``, ``.tool_calls``.

        Raises:
            ToolRoundsExceededError: The last allowed answer still asked for tools.
            InferenceGatewayError: An answer was cut at ``max_tokens`` inside a tool call.
            InferenceGatewayAPIError: The gateway answered with an error status.
            APIConnectionError: No response (``APITimeoutError``: timed out).
        """
        from .messages_tools import MessagesToolAPI
        from .tools import ToolLoop, run_tools_sync

        options = dict(kwargs, model=model, max_tokens=max_tokens)
        loop = ToolLoop(MessagesToolAPI(), tools, messages, max_rounds, options)
        return run_tools_sync(self.create_message, loop, max_workers)


class AsyncMessageToolsMixin(_AsyncBase):
    """``run_message_tools`` of the async client (a round's tool calls run concurrently)."""

    async def run_message_tools(
        self,
        *,
        model: str,
        messages: Sequence[Union[MessagesMessage, MessagesMessageParam]],
        max_tokens: int,
        tools: Sequence[ToolSpec],
        max_rounds: int = 10,
        **kwargs: Unpack[MessageToolArgs],
    ) -> MessageToolRunResult:
        """Async twin of the sync ``run_message_tools``; a round's tool calls run concurrently
        (coroutine tools on the loop, plain functions in worker threads).
        Arguments, result and errors as there."""
        from .messages_tools import MessagesToolAPI
        from .tools import ToolLoop, run_tools_async

        options = dict(kwargs, model=model, max_tokens=max_tokens)
        loop = ToolLoop(MessagesToolAPI(), tools, messages, max_rounds, options)
        return await run_tools_async(self.create_message, loop)


# unasync -> MessagesHelpers: the generator writes the blocking twin (the sync client's mixin)
class AsyncMessagesHelpers(AsyncMessageToolsMixin):
    """Mixin for the clients: the same names on both; iterate with ``async for`` on the async
    client."""

    def create_message_stream(  # type: ignore[override]
        self,
        model: str,
        messages: Sequence[Union[MessagesMessage, MessagesMessageParam]],
        max_tokens: int,
        *,
        tools: Optional[Sequence[MessagesToolArg]] = None,
        **kwargs: Unpack[MessageStreamArgs],
    ) -> AsyncStream[MessagesStreamEvent]:
        """Stream a message as typed ``MessagesStreamEvent`` events (``type`` names each).

        Takes the arguments of ``create_message`` (``tools`` may hold plain functions too).
        The stream raises ``StreamError`` if it ends before ``message_stop``, and the typed
        API error on an ``error`` event. The request is sent when iteration starts.
        """
        return self._message_events(model, messages, max_tokens, None, _arguments(tools, kwargs))

    def _message_events(
        self,
        model: str,
        messages: Sequence[Union[MessagesMessage, MessagesMessageParam]],
        max_tokens: int,
        on_open: Optional[Callback],
        arguments: Dict[str, Any],
    ) -> AsyncStream[MessagesStreamEvent]:
        from ..models import MessagesStreamEvent
        from .messages_stream import MESSAGE_TERMINAL_EVENTS

        events = super().create_message_stream(  # by name: the spec decides their order
            model=model, messages=messages, max_tokens=max_tokens, **arguments
        )
        opened = None if on_open is None else (lambda _response: on_open())
        return events.typed(MessagesStreamEvent, on_open=opened, terminal=MESSAGE_TERMINAL_EVENTS)

    def stream_message(
        self,
        model: str,
        messages: Sequence[Union[MessagesMessage, MessagesMessageParam]],
        max_tokens: int,
        *,
        tools: Optional[Sequence[MessagesToolArg]] = None,
        on_open: Optional[Callback] = None,
        on_event: Optional[Callback] = None,
        on_text: Optional[Callback] = None,
        on_tool: Optional[Callback] = None,
        on_finish: Optional[Callback] = None,
        on_error: Optional[Callback] = None,
        **kwargs: Unpack[MessageStreamArgs],
    ) -> AsyncMessageStream:
        """Stream a message: ``with client.stream_message(model, messages, max_tokens) as
        stream:`` (async client: ``async with``) then iterate its events or
        ``stream.text_stream``, and/or ``stream.get_final_message()``.

        Callbacks: ``on_open()``, ``on_event(event)``, ``on_text(text)``,
        ``on_tool(block)`` (a completed ``MessagesToolUseBlock``, input parsed),
        ``on_finish(message)``, ``on_error(exc)`` (then the error propagates); on the async
        client they may be coroutine functions. ``tools`` may hold plain functions (see
        ``tool_from_function``). Other keyword arguments are those of ``create_message``.
        """
        from .._accumulated import EventCallbacks
        from . import messages_stream

        events = self._message_events(
            model, messages, max_tokens, on_open, _arguments(tools, kwargs)
        )
        callbacks = EventCallbacks(
            on_event=on_event,
            on_text=on_text,
            on_tool=on_tool,
            on_finish=on_finish,
            on_error=on_error,
        )
        accumulator = messages_stream.MessageAccumulator()
        return messages_stream.AsyncMessageStream(events, accumulator, callbacks)
