"""Streamed Messages API answers: typed events, text, tool-use input, the final message.

``client.stream_message(...)`` returns a :class:`MessageStream` (async twin
:class:`AsyncMessageStream`): iterate its ``MessagesStreamEvent`` events (``message_start``,
``content_block_start``, ``content_block_delta``, ``content_block_stop``, ``message_delta``,
``message_stop``, ``ping``; unknown types pass through) or ``text_stream``, then
``get_final_message()``: the content blocks with their text, thinking and tool-use input (parsed
from its JSON pieces), the stop reason and the usage.
"""

from __future__ import annotations

import json
from typing import Any, Dict, List, Optional

from .._accumulated import AccumulatedStream, Accumulator, AsyncAccumulatedStream
from ..errors import StreamError
from ..models import MessagesResponse, MessagesStreamEvent, MessagesToolUseBlock

__all__ = [
    "AsyncMessageStream",
    "MESSAGE_TERMINAL_EVENTS",
    "MessageAccumulator",
    "MessageStream",
    "message_text",
]

#: The event that ends a Messages stream (it has no ``[DONE]`` line).
MESSAGE_TERMINAL_EVENTS = frozenset({"message_stop"})


def message_text(message: MessagesResponse) -> str:
    """The text of a message: its text blocks, joined."""
    parts: List[str] = []
    for block in message.content:
        block = getattr(block, "root", block)
        if getattr(block, "type", None) == "text":
            parts.append(getattr(block, "text", "") or "")
    return "".join(parts)


class _Block:
    __slots__ = ("fields", "json", "pieces")

    def __init__(self, fields: Dict[str, Any]) -> None:
        self.fields = fields
        self.pieces: Dict[str, List[str]] = {}  # text / thinking / signature pieces
        self.json: List[str] = []  # tool-use input pieces

    def build(self, index: int) -> Dict[str, Any]:
        out = dict(self.fields)
        for name, pieces in self.pieces.items():
            out[name] = (out.get(name) or "") + "".join(pieces)
        if self.json:
            encoded = "".join(self.json)
            try:
                out["input"] = json.loads(encoded) if encoded.strip() else {}
            except ValueError as exc:
                raise StreamError(
                    f"tool_use block {index} of the message stream: its input is not valid JSON "
                    f"({exc}): {encoded[:200]!r}"
                ) from None
        return out


_DELTA_FIELDS = {
    "text_delta": "text",
    "thinking_delta": "thinking",
    "signature_delta": "signature",
}


class MessageAccumulator(Accumulator[MessagesStreamEvent, MessagesResponse]):
    """Folds Messages events into the message ``message_start`` opened."""

    def __init__(self) -> None:
        self._message: Dict[str, Any] = {"type": "message", "role": "assistant", "content": []}
        self._usage: Dict[str, Any] = {}
        self._blocks: Dict[int, _Block] = {}
        self._built: Dict[int, Dict[str, Any]] = {}

    def add(self, event: MessagesStreamEvent) -> Optional[MessagesToolUseBlock]:
        kind = event.type
        if kind == "content_block_delta":
            delta = event.delta
            block = self._blocks.get(event.index or 0)
            if delta is None or block is None:
                return None
            if delta.type == "input_json_delta":
                block.json.append(delta.partial_json or "")
            else:
                name = _DELTA_FIELDS.get(delta.type or "")
                if name is not None:
                    block.pieces.setdefault(name, []).append(getattr(delta, name) or "")
        elif kind == "content_block_start" and event.content_block is not None:
            index = event.index or 0
            fields = event.content_block.root.model_dump(mode="json", by_alias=True)
            self._blocks[index] = _Block(fields)
        elif kind == "content_block_stop":
            index = event.index or 0
            block = self._blocks.get(index)
            if block is not None:
                built = self._built[index] = block.build(index)
                if built.get("type") == "tool_use":
                    return MessagesToolUseBlock.model_validate(built)
        elif kind == "message_delta":
            if event.delta is not None:
                for name in ("stop_reason", "stop_sequence"):
                    value = getattr(event.delta, name)
                    if value is not None:
                        self._message[name] = value
            if event.usage is not None:  # cumulative counts: the latest win
                self._usage.update(event.usage.model_dump(exclude_unset=True))
        elif kind == "message_start" and event.message is not None:
            self._message.update(event.message.model_dump(mode="json", exclude_unset=True))
            self._usage.update(event.message.usage.model_dump(exclude_unset=True))
        return None

    @staticmethod
    def text_of(event: MessagesStreamEvent) -> Optional[str]:
        delta = event.delta
        is_text = (
            event.type == "content_block_delta" and delta is not None and delta.type == "text_delta"
        )
        return delta.text if is_text and delta is not None else None

    def result(self) -> MessagesResponse:
        content = [
            self._built[index] if index in self._built else self._blocks[index].build(index)
            for index in sorted(self._blocks)
        ]
        return MessagesResponse.model_validate(
            {**self._message, "content": content, "usage": self._usage}
        )


class MessageStream(AccumulatedStream[MessagesStreamEvent, MessagesResponse]):
    """A streamed message: ``with`` it, iterate events or ``text_stream``, then
    ``get_final_message()``."""

    def __enter__(self) -> MessageStream:
        return self

    def get_final_message(self) -> MessagesResponse:
        """Consume the rest of the stream and return the whole message."""
        return self.get_final()

    def get_final_text(self) -> str:
        return message_text(self.get_final())


class AsyncMessageStream(AsyncAccumulatedStream[MessagesStreamEvent, MessagesResponse]):
    """Async twin of :class:`MessageStream`."""

    async def __aenter__(self) -> AsyncMessageStream:
        return self

    async def get_final_message(self) -> MessagesResponse:
        return await self.get_final()

    async def get_final_text(self) -> str:
        return message_text(await self.get_final())
