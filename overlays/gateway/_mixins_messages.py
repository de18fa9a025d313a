"""Messages API conveniences on the clients: ``create_message_stream`` yields typed events
(as in the official SDK), ``stream_message`` adds text, callbacks and the final message.

Both go through the generated ``create_message_stream`` operation, so the request (body,
headers, retries, errors) is built in one place.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Optional, Sequence

if TYPE_CHECKING:
    # Typed against the generated operations; at runtime the mixins are plain classes put
    # before the operations in the client's MRO.
    from .._accumulated import Callback
    from .._operations import AsyncOperations as _AsyncBase
    from .._operations import SyncOperations as _SyncBase
    from .._streaming import AsyncStream, Stream
    from ..models import MessagesStreamEvent
    from .messages_stream import AsyncMessageStream, MessageStream
    from .messages_tools import MessagesMessageParam, MessageToolRunResult
    from .tools import ToolSpec
else:
    _SyncBase = _AsyncBase = object

__all__ = ["AsyncMessagesHelpers", "MessagesHelpers"]
__requires__ = {"operations": ["create_message", "create_message_stream"]}


def _tools(tools: Optional[Sequence[Any]]) -> Optional[Sequence[Any]]:
    """Request tools as given, with plain Python functions and chat-shaped definitions turned
    into Messages tools."""
    if tools is None:
        return None
    from .tools import messages_tool

    return [messages_tool(tool) for tool in tools]


class MessagesHelpers(_SyncBase):
    """Mixin for the sync client."""

    def create_message_stream(  # type: ignore[override]
        self, model: str, messages: Any, max_tokens: int, **kwargs: Any
    ) -> Stream[MessagesStreamEvent]:
        """Stream a message as typed ``MessagesStreamEvent`` events (``type`` names each).

        Takes the arguments of ``create_message``. The stream raises ``StreamError`` if it
        ends before ``message_stop``, and the typed API error on an ``error`` event. The request is sent when iteration starts.
        """
        return self._message_events(model, messages, max_tokens, None, kwargs)

    def _message_events(
        self, model: str, messages: Any, max_tokens: int, on_open: Optional[Callback], kwargs: Any
    ) -> Stream[MessagesStreamEvent]:
        from ..models import MessagesStreamEvent
        from .messages_stream import MESSAGE_TERMINAL_EVENTS

        kwargs["tools"] = _tools(kwargs.get("tools"))
        events = super().create_message_stream(  # by name: the spec decides their order
            model=model, messages=messages, max_tokens=max_tokens, **kwargs
        )
        opened = None if on_open is None else (lambda _response: on_open())
        return events.typed(MessagesStreamEvent, on_open=opened, terminal=MESSAGE_TERMINAL_EVENTS)

    def stream_message(
        self,
        model: str,
        messages: Any,
        max_tokens: int,
        *,
        on_open: Optional[Callback] = None,
        on_event: Optional[Callback] = None,
        on_text: Optional[Callback] = None,
        on_tool: Optional[Callback] = None,
        on_finish: Optional[Callback] = None,
        on_error: Optional[Callback] = None,
        **kwargs: Any,
    ) -> MessageStream:
        """Stream a message: ``with client.stream_message(model, messages, max_tokens) as stream:``
        then iterate its events or ``stream.text_stream``, and/or ``stream.get_final_message()``.

        Callbacks: ``on_open()``, ``on_event(event)``, ``on_text(text)``,
        ``on_tool(block)`` (a completed ``MessagesToolUseBlock``, input parsed),
        ``on_finish(message)``, ``on_error(exc)`` (then the error propagates). ``tools`` may
        hold plain functions (see ``tool_from_function``). Other keyword arguments are those
        of ``create_message``.
        """
        from .._accumulated import EventCallbacks
        from .messages_stream import MessageAccumulator, MessageStream

        events = self._message_events(model, messages, max_tokens, on_open, kwargs)
        callbacks = EventCallbacks(
            on_event=on_event,
            on_text=on_text,
            on_tool=on_tool,
            on_finish=on_finish,
            on_error=on_error,
        )
        return MessageStream(events, MessageAccumulator(), callbacks)

    def run_message_tools(
        self,
        *,
        model: str,
        messages: Sequence[MessagesMessageParam],
        max_tokens: int,
        tools: Sequence[ToolSpec],
        max_rounds: int = 10,
        max_workers: Optional[int] = None,
        **kwargs: Any,
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


class AsyncMessagesHelpers(_AsyncBase):
    """Mixin for the async client: the same names; iterate with ``async for``."""

    def create_message_stream(  # type: ignore[override]
        self, model: str, messages: Any, max_tokens: int, **kwargs: Any
    ) -> AsyncStream[MessagesStreamEvent]:
        """Async twin of ``InferenceGatewayClient.create_message_stream``."""
        return self._message_events(model, messages, max_tokens, None, kwargs)

    def _message_events(
        self, model: str, messages: Any, max_tokens: int, on_open: Optional[Callback], kwargs: Any
    ) -> AsyncStream[MessagesStreamEvent]:
        from ..models import MessagesStreamEvent
        from .messages_stream import MESSAGE_TERMINAL_EVENTS

        kwargs["tools"] = _tools(kwargs.get("tools"))
        events = super().create_message_stream(  # by name: the spec decides their order
            model=model, messages=messages, max_tokens=max_tokens, **kwargs
        )
        opened = None if on_open is None else (lambda _response: on_open())
        return events.typed(MessagesStreamEvent, on_open=opened, terminal=MESSAGE_TERMINAL_EVENTS)

    def stream_message(
        self,
        model: str,
        messages: Any,
        max_tokens: int,
        *,
        on_open: Optional[Callback] = None,
        on_event: Optional[Callback] = None,
        on_text: Optional[Callback] = None,
        on_tool: Optional[Callback] = None,
        on_finish: Optional[Callback] = None,
        on_error: Optional[Callback] = None,
        **kwargs: Any,
    ) -> AsyncMessageStream:
        """Async twin of ``InferenceGatewayClient.stream_message``; callbacks may be coroutine
        functions."""
        from .._accumulated import EventCallbacks
        from .messages_stream import AsyncMessageStream, MessageAccumulator

        events = self._message_events(model, messages, max_tokens, on_open, kwargs)
        callbacks = EventCallbacks(
            on_event=on_event,
            on_text=on_text,
            on_tool=on_tool,
            on_finish=on_finish,
            on_error=on_error,
        )
        return AsyncMessageStream(events, MessageAccumulator(), callbacks)

    async def run_message_tools(
        self,
        *,
        model: str,
        messages: Sequence[MessagesMessageParam],
        max_tokens: int,
        tools: Sequence[ToolSpec],
        max_rounds: int = 10,
        **kwargs: Any,
    ) -> MessageToolRunResult:
        """Async twin of the sync ``run_message_tools``; a round's tool calls run concurrently
        (coroutine tools on the loop, plain functions in worker threads).
        Arguments, result and errors as there."""
        from .messages_tools import MessagesToolAPI
        from .tools import ToolLoop, run_tools_async

        options = dict(kwargs, model=model, max_tokens=max_tokens)
        loop = ToolLoop(MessagesToolAPI(), tools, messages, max_rounds, options)
        return await run_tools_async(self.create_message, loop)
