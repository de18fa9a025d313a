"""Streamed Responses API answers: typed events, output text, function calls, the final Response.

``client.stream_response(...)`` returns a :class:`ResponseStream` (async twin
:class:`AsyncResponseStream`): iterate its ``ResponseStreamEvent`` events (``type`` names each,
e.g. ``response.output_text.delta``; event types this SDK does not know pass through with their
fields kept as extras) or ``text_stream``, then ``get_final_response()``.
"""

from __future__ import annotations

from typing import Any, Dict, List, Optional, Tuple

from .._accumulated import AccumulatedStream, Accumulator, AsyncAccumulatedStream
from ..models import Response, ResponseFunctionToolCall, ResponseStreamEvent

__all__ = [
    "AsyncResponseStream",
    "RESPONSE_TERMINAL_EVENTS",
    "ResponseAccumulator",
    "ResponseStream",
    "response_text",
]

#: The events that end a Responses stream (it has no ``[DONE]`` line).
RESPONSE_TERMINAL_EVENTS = frozenset(
    {"response.completed", "response.failed", "response.incomplete"}
)
_TEXT_DELTA = "response.output_text.delta"


def response_text(response: Response) -> str:
    """The output text of a response: its ``output_text`` parts, joined."""
    parts: List[str] = []
    for item in response.output:
        item = getattr(item, "root", item)
        for part in getattr(item, "content", None) or ():
            part = getattr(part, "root", part)
            if getattr(part, "type", None) == "output_text":
                parts.append(getattr(part, "text", "") or "")
    return "".join(parts)


class ResponseAccumulator(Accumulator[ResponseStreamEvent, Response]):
    """Folds Responses events: the latest response snapshot, the output items, their text and
    function-call argument deltas. The result is the terminal event's response; when a server
    sends it without its output, the output is rebuilt from the items and deltas."""

    def __init__(self) -> None:
        self.snapshot: Optional[Response] = None
        self._items: Dict[int, Dict[str, Any]] = {}
        self._text: Dict[Tuple[int, int], List[str]] = {}
        self._arguments: Dict[int, List[str]] = {}

    def add(self, event: ResponseStreamEvent) -> Optional[ResponseFunctionToolCall]:
        kind = event.type
        if kind == _TEXT_DELTA:
            key = (event.output_index or 0, event.content_index or 0)
            self._text.setdefault(key, []).append(event.delta or "")
        elif kind == "response.function_call_arguments.delta":
            self._arguments.setdefault(event.output_index or 0, []).append(event.delta or "")
        elif kind in ("response.output_item.added", "response.output_item.done"):
            item = (event.model_extra or {}).get("item")
            if isinstance(item, dict):
                self._items[event.output_index or 0] = item
                if kind.endswith(".done") and item.get("type") == "function_call":
                    return ResponseFunctionToolCall.model_validate(item)
        elif event.response is not None:
            self.snapshot = event.response
        return None

    @staticmethod
    def text_of(event: ResponseStreamEvent) -> Optional[str]:
        return event.delta if event.type == _TEXT_DELTA else None

    def result(self) -> Response:
        snapshot = self.snapshot
        if snapshot is not None and (snapshot.output or not self._items):
            return snapshot
        output = [self._item(index) for index in sorted(self._items)]
        if snapshot is None:
            return Response.model_validate({"output": output})
        return snapshot.model_copy(
            update={"output": Response.model_validate({"output": output}).output}
        )

    def _item(self, index: int) -> Dict[str, Any]:
        item = dict(self._items[index])
        if item.get("type") == "message" and not item.get("content"):
            texts = sorted(
                (key[1], "".join(parts)) for key, parts in self._text.items() if key[0] == index
            )
            item["content"] = [
                {"type": "output_text", "text": text, "annotations": []} for _, text in texts
            ]
        elif item.get("type") == "function_call" and not item.get("arguments"):
            item["arguments"] = "".join(self._arguments.get(index, ()))
        return item


class ResponseStream(AccumulatedStream[ResponseStreamEvent, Response]):
    """A streamed response: ``with`` it, iterate events or ``text_stream``, then
    ``get_final_response()``."""

    def __enter__(self) -> ResponseStream:
        return self

    def get_final_response(self) -> Response:
        """Consume the rest of the stream and return the whole Response."""
        return self.get_final()

    def get_final_text(self) -> str:
        return response_text(self.get_final())


class AsyncResponseStream(AsyncAccumulatedStream[ResponseStreamEvent, Response]):
    """Async twin of :class:`ResponseStream`."""

    async def __aenter__(self) -> AsyncResponseStream:
        return self

    async def get_final_response(self) -> Response:
        return await self.get_final()

    async def get_final_text(self) -> str:
        return response_text(await self.get_final())
