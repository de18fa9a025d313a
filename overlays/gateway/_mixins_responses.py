"""Responses API conveniences on the clients: ``create_response_stream`` yields typed events
(as in the official SDK), ``stream_response`` adds text, callbacks and the final Response.

Both go through the generated ``create_response_stream`` operation, so the request (body,
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
    from ..models import ResponseInput, ResponseInputItem, ResponseStreamEvent, ResponseTool
    from ..params import (
        ResponseInputItemParam,
        ResponseStreamArgs,
        ResponseToolArgs,
        ResponseToolParam,
    )
    from .responses_stream import AsyncResponseStream, ResponseStream
    from .responses_tools import ResponseToolRunResult
    from .tools import ToolSpec

    #: ``input``: text, or input items (models or dicts), as ``create_response`` takes it.
    ResponseInputArg = Union[
        ResponseInput, str, Sequence[Union[ResponseInputItem, ResponseInputItemParam]]
    ]
    #: A tool: a Responses tool (model or dict), a chat-shaped definition (``tool_from_function``'s),
    #: a plain function or a ``(definition, function)`` pair.
    ResponseToolArg = Union[ResponseTool, ResponseToolParam, BaseModel, ToolSpec]
else:
    _SyncBase = _AsyncBase = object

__all__ = ["AsyncResponsesHelpers", "ResponsesHelpers"]
__requires__ = {"operations": ["create_response", "create_response_stream"]}
# The keyword arguments the helpers pass through, as a TypedDict in params.py
# (generator/params.py): every other argument of the generated method, typed as it is there.
__kwargs__ = {
    "ResponseStreamArgs": {
        "method": "create_response_stream",
        "without": ["model", "input", "tools"],
    },
    "ResponseToolArgs": {"method": "create_response", "without": ["model", "input", "tools"]},
}


def _arguments(
    tools: Optional[Sequence[ResponseToolArg]], kwargs: ResponseStreamArgs
) -> Dict[str, Any]:
    """The generated method's other arguments, with ``tools`` (when given) in the Responses
    API's shape: plain Python functions and chat-shaped definitions are converted."""
    arguments: Dict[str, Any] = dict(kwargs)
    if tools is not None:
        from .tools import responses_tool

        arguments["tools"] = [responses_tool(tool) for tool in tools]
    return arguments


class ResponseToolsMixin(_SyncBase):
    """``run_response_tools`` of the sync client (a round's tool calls in a thread pool)."""

    def run_response_tools(
        self,
        *,
        model: str,
        input: ResponseInputArg,
        tools: Sequence[ToolSpec],
        max_rounds: int = 10,
        max_workers: Optional[int] = None,
        **kwargs: Unpack[ResponseToolArgs],
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


class AsyncResponseToolsMixin(_AsyncBase):
    """``run_response_tools`` of the async client (a round's tool calls run concurrently)."""

    async def run_response_tools(
        self,
        *,
        model: str,
        input: ResponseInputArg,
        tools: Sequence[ToolSpec],
        max_rounds: int = 10,
        **kwargs: Unpack[ResponseToolArgs],
    ) -> ResponseToolRunResult:
        """Async twin of the sync ``run_response_tools``; a round's calls run concurrently.
        Arguments, result and errors as there."""
        from .responses_tools import ResponsesToolAPI, input_items
        from .tools import ToolLoop, run_tools_async

        options = dict(kwargs, model=model)
        loop = ToolLoop(ResponsesToolAPI(), tools, input_items(input), max_rounds, options)
        return await run_tools_async(self.create_response, loop)


# unasync -> ResponsesHelpers: the generator writes the blocking twin (the sync client's mixin)
class AsyncResponsesHelpers(AsyncResponseToolsMixin):
    """Mixin for the clients: the same names on both; iterate with ``async for`` on the async
    client."""

    def create_response_stream(  # type: ignore[override]
        self,
        model: str,
        input: ResponseInputArg,
        *,
        tools: Optional[Sequence[ResponseToolArg]] = None,
        **kwargs: Unpack[ResponseStreamArgs],
    ) -> AsyncStream[ResponseStreamEvent]:
        """Stream a response as typed ``ResponseStreamEvent`` events (``type`` names each).

        Takes the arguments of ``create_response`` (``tools`` may hold plain functions too).
        The stream raises ``StreamError`` if it ends before ``response.completed`` (or
        ``.failed`` / ``.incomplete``), and the typed API error on an ``error`` event. The
        request is sent when iteration starts.
        """
        return self._response_events(model, input, None, _arguments(tools, kwargs))

    def _response_events(
        self,
        model: str,
        input: ResponseInputArg,
        on_open: Optional[Callback],
        arguments: Dict[str, Any],
    ) -> AsyncStream[ResponseStreamEvent]:
        from ..models import ResponseStreamEvent
        from .responses_stream import RESPONSE_TERMINAL_EVENTS

        events = super().create_response_stream(  # by name: the spec decides their order
            model=model, input=input, **arguments
        )
        opened = None if on_open is None else (lambda _response: on_open())
        return events.typed(ResponseStreamEvent, on_open=opened, terminal=RESPONSE_TERMINAL_EVENTS)

    def stream_response(
        self,
        model: str,
        input: ResponseInputArg,
        *,
        tools: Optional[Sequence[ResponseToolArg]] = None,
        on_open: Optional[Callback] = None,
        on_event: Optional[Callback] = None,
        on_text: Optional[Callback] = None,
        on_tool: Optional[Callback] = None,
        on_finish: Optional[Callback] = None,
        on_error: Optional[Callback] = None,
        **kwargs: Unpack[ResponseStreamArgs],
    ) -> AsyncResponseStream:
        """Stream a response: ``with client.stream_response(model, input) as stream:`` (async
        client: ``async with``) then iterate its events or ``stream.text_stream``, and/or
        ``stream.get_final_response()``.

        Callbacks: ``on_open()``, ``on_event(event)``, ``on_text(text)``,
        ``on_tool(function_call)`` (a completed ``ResponseFunctionToolCall``),
        ``on_finish(response)``, ``on_error(exc)`` (then the error propagates); on the async
        client they may be coroutine functions. ``tools`` may hold plain functions (see
        ``tool_from_function``). Other keyword arguments are those of ``create_response``.
        """
        from .._accumulated import EventCallbacks
        from . import responses_stream

        events = self._response_events(model, input, on_open, _arguments(tools, kwargs))
        callbacks = EventCallbacks(
            on_event=on_event,
            on_text=on_text,
            on_tool=on_tool,
            on_finish=on_finish,
            on_error=on_error,
        )
        accumulator = responses_stream.ResponseAccumulator()
        return responses_stream.AsyncResponseStream(events, accumulator, callbacks)
