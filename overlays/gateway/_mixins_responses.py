"""Responses API conveniences on the clients: ``create_response_stream`` yields typed events
(as in the official SDK), ``stream_response`` adds text, callbacks and the final Response.

Both go through the generated ``create_response_stream`` operation, so the request (body,
headers, retries, errors) is built in one place.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Optional, Sequence, Union

if TYPE_CHECKING:
    # Typed against the generated operations; at runtime the mixins are plain classes put
    # before the operations in the client's MRO.
    from .._accumulated import Callback
    from .._operations import AsyncOperations as _AsyncBase
    from .._operations import SyncOperations as _SyncBase
    from .._streaming import AsyncStream, Stream
    from ..models import ResponseStreamEvent
    from .responses_stream import AsyncResponseStream, ResponseStream
    from .responses_tools import ResponseInputParam, ResponseToolRunResult
    from .tools import ToolSpec
else:
    _SyncBase = _AsyncBase = object

__all__ = ["AsyncResponsesHelpers", "ResponsesHelpers"]
__requires__ = {"operations": ["create_response", "create_response_stream"]}


def _tools(tools: Optional[Sequence[Any]]) -> Optional[Sequence[Any]]:
    """Request tools as given, with plain Python functions and chat-shaped definitions turned
    into Responses function tools."""
    if tools is None:
        return None
    from .tools import responses_tool

    return [responses_tool(tool) for tool in tools]


class ResponsesHelpers(_SyncBase):
    """Mixin for the sync client."""

    def create_response_stream(  # type: ignore[override]
        self, model: str, input: Any, **kwargs: Any
    ) -> Stream[ResponseStreamEvent]:
        """Stream a response as typed ``ResponseStreamEvent`` events (``type`` names each).

        Takes the arguments of ``create_response``. The stream raises ``StreamError`` if it
        ends before ``response.completed`` (or ``.failed`` / ``.incomplete``), and the typed
        API error on an ``error`` event. The request is sent when iteration starts.
        """
        return self._response_events(model, input, None, kwargs)

    def _response_events(
        self, model: str, input: Any, on_open: Optional[Callback], kwargs: Any
    ) -> Stream[ResponseStreamEvent]:
        from ..models import ResponseStreamEvent
        from .responses_stream import RESPONSE_TERMINAL_EVENTS

        kwargs["tools"] = _tools(kwargs.get("tools"))
        events = super().create_response_stream(  # by name: the spec decides their order
            model=model, input=input, **kwargs
        )
        opened = None if on_open is None else (lambda _response: on_open())
        return events.typed(ResponseStreamEvent, on_open=opened, terminal=RESPONSE_TERMINAL_EVENTS)

    def stream_response(
        self,
        model: str,
        input: Any,
        *,
        on_open: Optional[Callback] = None,
        on_event: Optional[Callback] = None,
        on_text: Optional[Callback] = None,
        on_tool: Optional[Callback] = None,
        on_finish: Optional[Callback] = None,
        on_error: Optional[Callback] = None,
        **kwargs: Any,
    ) -> ResponseStream:
        """Stream a response: ``with client.stream_response(model, input) as stream:`` then
        iterate its events or ``stream.text_stream``, and/or ``stream.get_final_response()``.

        Callbacks: ``on_open()``, ``on_event(event)``, ``on_text(text)``,
        ``on_tool(function_call)`` (a completed ``ResponseFunctionToolCall``),
        ``on_finish(response)``, ``on_error(exc)`` (then the error propagates). ``tools`` may
        hold plain functions (see ``tool_from_function``). Other keyword arguments are those
        of ``create_response``.
        """
        from .._accumulated import EventCallbacks
        from .responses_stream import ResponseAccumulator, ResponseStream

        events = self._response_events(model, input, on_open, kwargs)
        callbacks = EventCallbacks(
            on_event=on_event,
            on_text=on_text,
            on_tool=on_tool,
            on_finish=on_finish,
            on_error=on_error,
        )
        return ResponseStream(events, ResponseAccumulator(), callbacks)

    def run_response_tools(
        self,
        *,
        model: str,
        input: Union[str, Sequence[ResponseInputParam]],
        tools: Sequence[ToolSpec],
        max_rounds: int = 10,
        max_workers: Optional[int] = None,
        **kwargs: Any,
    ) -> ResponseToolRunResult:
        """``run_tools`` for the Responses API: call ``create_response``, run its
        ``function_call`` items, send ``function_call_output`` items back (with every output
        item, unchanged, in ``input``), and repeat until the model answers without calls.

        ``tools``: functions or ``(definition, callable)`` pairs. Parallel calls run in a
        thread pool (``max_workers``); a tool that raises sends ``"Error: ..."`` back as its
        output. Stateless: ``previous_response_id`` is not used.

        Args:
            model: The model to use (``provider/model``).
            input: The prompt, or the input items so far (not changed).
            tools: Functions or ``(definition, callable)`` pairs.
            max_rounds: At most this many model calls.
            max_workers: Threads for a round's tool calls (default: up to 8).
            **kwargs: The other arguments of ``create_response`` (``instructions``, ...) and
                the per-request options ``extra_headers``, ``extra_query``, ``timeout``.

        Returns:
            ``ResponseToolRunResult``: ``.response`` (the final ``Response``),
            ``.output_text``, ``.input`` (every item), ``.rounds``, ``.tool_calls``.

        Raises:
            ToolRoundsExceededError: The last allowed answer still asked for tools.
            InferenceGatewayAPIError: The gateway answered with an error status.
            APIConnectionError: No response (``APITimeoutError``: timed out).
        """
        from .responses_tools import ResponsesToolAPI, input_items
        from .tools import ToolLoop, run_tools_sync

        options = dict(kwargs, model=model)
        loop = ToolLoop(ResponsesToolAPI(), tools, input_items(input), max_rounds, options)
        return run_tools_sync(self.create_response, loop, max_workers)


class AsyncResponsesHelpers(_AsyncBase):
    """Mixin for the async client: the same names; iterate with ``async for``."""

    def create_response_stream(  # type: ignore[override]
        self, model: str, input: Any, **kwargs: Any
    ) -> AsyncStream[ResponseStreamEvent]:
        """Async twin of ``InferenceGatewayClient.create_response_stream``."""
        return self._response_events(model, input, None, kwargs)

    def _response_events(
        self, model: str, input: Any, on_open: Optional[Callback], kwargs: Any
    ) -> AsyncStream[ResponseStreamEvent]:
        from ..models import ResponseStreamEvent
        from .responses_stream import RESPONSE_TERMINAL_EVENTS

        kwargs["tools"] = _tools(kwargs.get("tools"))
        events = super().create_response_stream(  # by name: the spec decides their order
            model=model, input=input, **kwargs
        )
        opened = None if on_open is None else (lambda _response: on_open())
        return events.typed(ResponseStreamEvent, on_open=opened, terminal=RESPONSE_TERMINAL_EVENTS)

    def stream_response(
        self,
        model: str,
        input: Any,
        *,
        on_open: Optional[Callback] = None,
        on_event: Optional[Callback] = None,
        on_text: Optional[Callback] = None,
        on_tool: Optional[Callback] = None,
        on_finish: Optional[Callback] = None,
        on_error: Optional[Callback] = None,
        **kwargs: Any,
    ) -> AsyncResponseStream:
        """Async twin of ``InferenceGatewayClient.stream_response``; callbacks may be coroutine
        functions."""
        from .._accumulated import EventCallbacks
        from .responses_stream import AsyncResponseStream, ResponseAccumulator

        events = self._response_events(model, input, on_open, kwargs)
        callbacks = EventCallbacks(
            on_event=on_event,
            on_text=on_text,
            on_tool=on_tool,
            on_finish=on_finish,
            on_error=on_error,
        )
        return AsyncResponseStream(events, ResponseAccumulator(), callbacks)

    async def run_response_tools(
        self,
        *,
        model: str,
        input: Union[str, Sequence[ResponseInputParam]],
        tools: Sequence[ToolSpec],
        max_rounds: int = 10,
        **kwargs: Any,
    ) -> ResponseToolRunResult:
        """Async twin of the sync ``run_response_tools``; a round's calls run concurrently.
        Arguments, result and errors as there."""
        from .responses_tools import ResponsesToolAPI, input_items
        from .tools import ToolLoop, run_tools_async

        options = dict(kwargs, model=model)
        loop = ToolLoop(ResponsesToolAPI(), tools, input_items(input), max_rounds, options)
        return await run_tools_async(self.create_response, loop)
