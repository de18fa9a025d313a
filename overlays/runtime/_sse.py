"""Incremental Server-Sent Events parser (WHATWG event-stream rules) over bytes.

Works on bytes rather than text so that a line or a UTF-8 character cut across network reads is
simply kept until its block is complete, and so that the common ``data: {...}\\n\\n`` event is
found with one ``bytes.split`` and a ``startswith`` (the streaming hot path).

One deliberate difference from the browser algorithm: a last event that the server did not close
with a blank line is dispatched by :meth:`SSEDecoder.flush` instead of being dropped (many
servers end their stream that way).
"""

from __future__ import annotations

from typing import List, Optional, Tuple

__all__ = ["SSEDecoder", "SSEvent", "ServerSentEvent", "named_frames", "plain_data"]

_BOM = b"\xef\xbb\xbf"
_DATA = b"data: "
_EVENT = b"event: "
_EVENT_DATA = b"\ndata: "


class ServerSentEvent:
    """One dispatched event. ``data`` is the data lines joined with ``\\n`` (``""`` when the
    event carried no data field); ``event`` is ``"message"`` unless an ``event:`` field named it;
    ``id`` is the last event ID seen so far on the stream; ``retry`` the reconnection time in
    milliseconds if this event's block set one."""

    __slots__ = ("data", "event", "id", "retry")

    def __init__(
        self,
        data: str = "",
        event: str = "message",
        id: Optional[str] = None,
        retry: Optional[int] = None,
    ) -> None:
        self.data = data
        self.event = event
        self.id = id
        self.retry = retry

    def json(self) -> object:
        """The data parsed as JSON."""
        import json

        return json.loads(self.data)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, ServerSentEvent):
            return NotImplemented
        return (self.data, self.event, self.id, self.retry) == (
            other.data,
            other.event,
            other.id,
            other.retry,
        )

    def __hash__(self) -> int:
        return hash((self.data, self.event, self.id, self.retry))

    def __repr__(self) -> str:
        return (
            f"ServerSentEvent(event={self.event!r}, data={self.data!r}, id={self.id!r}, "
            f"retry={self.retry!r})"
        )


SSEvent = ServerSentEvent

# A raw event as the fast path produces it: (event type or None for "message", data bytes,
# last event id, retry or None).
_Raw = Tuple[Optional[str], bytes, Optional[str], Optional[int]]


class SSEDecoder:
    """Feed it the bytes of a response as they arrive; it returns the events completed so far.

    ``feed(chunk)`` / ``flush()`` return :class:`ServerSentEvent` objects; ``feed_raw`` /
    ``flush_raw`` return undecoded tuples for the typed-stream hot path.
    """

    __slots__ = ("_bom_checked", "_last_id", "_pending", "_skip_lf")

    def __init__(self) -> None:
        self._pending: List[bytes] = []  # bytes of the unfinished block, normalised to LF
        self._skip_lf = False  # the previous read ended with CR: drop a LF starting this one
        self._bom_checked = False
        self._last_id: Optional[str] = None

    @property
    def last_event_id(self) -> Optional[str]:
        return self._last_id

    # -- byte level ---------------------------------------------------------------------------

    def region(self, chunk: bytes) -> Optional[bytes]:
        """The complete blocks this chunk finishes, as one LF-normalised bytes object ending
        with a blank line (``None`` if none); the unfinished rest is kept for the next read."""
        pending = self._pending
        if pending or self._skip_lf or not self._bom_checked or b"\r" in chunk:
            return self._region_slow(chunk)
        if chunk[-2:] == b"\n\n":
            return chunk
        at = chunk.rfind(b"\n\n")
        if at < 0:
            if chunk:
                pending.append(chunk)
            return None
        pending.append(chunk[at + 2 :])
        return chunk[: at + 2]

    def single_data(self, chunk: bytes) -> Optional[bytes]:
        """The data of a read that is exactly one ``data: ...`` event with nothing pending (how
        a gateway that flushes after every event arrives), else ``None``: the caller then uses
        :meth:`region`. Nothing is consumed when it returns ``None``."""
        if (
            chunk.startswith(_DATA)
            and chunk.endswith(b"\n\n")
            and chunk.count(b"\n") == 2
            and self._bom_checked
            and not self._pending
            and not self._skip_lf
            and b"\r" not in chunk
        ):
            return chunk[6:-2]
        return None

    def _region_slow(self, chunk: bytes) -> Optional[bytes]:
        if self._skip_lf:
            self._skip_lf = False
            if chunk[:1] == b"\n":
                chunk = chunk[1:]
        if b"\r" in chunk:
            self._skip_lf = chunk[-1:] == b"\r"
            chunk = chunk.replace(b"\r\n", b"\n").replace(b"\r", b"\n")
        pending = self._pending
        if not self._bom_checked:
            if pending:
                chunk = b"".join(pending) + chunk
                pending.clear()
            if len(chunk) < 3 and _BOM.startswith(chunk):
                if chunk:
                    pending.append(chunk)
                return None
            self._bom_checked = True
            if chunk.startswith(_BOM):
                chunk = chunk[3:]
        if pending:
            # Join only when this read can finish a block: no quadratic copying of a big event
            # that arrives in many reads.
            if b"\n\n" not in chunk and not (chunk[:1] == b"\n" and pending[-1][-1:] == b"\n"):
                if chunk:
                    pending.append(chunk)
                return None
            pending.append(chunk)
            chunk = b"".join(pending)
            pending.clear()
        at = chunk.rfind(b"\n\n")
        if at < 0:
            if chunk:
                pending.append(chunk)
            return None
        if at + 2 < len(chunk):
            pending.append(chunk[at + 2 :])
        return chunk[: at + 2]

    def tail(self) -> Optional[bytes]:
        """At end of stream: the unfinished block, if any (a last event without its blank line)."""
        self._skip_lf = False
        if not self._pending:
            return None
        rest = b"".join(self._pending)
        self._pending.clear()
        if not self._bom_checked:
            self._bom_checked = True
            if rest.startswith(_BOM):
                rest = rest[3:]
        return rest or None

    def _parse_block(self, block: bytes, out: List[_Raw]) -> None:
        """The general WHATWG field rules for one block (which may contain blank lines when the
        stream had runs of more than two line ends)."""
        data: List[bytes] = []
        has_data = False
        event: Optional[str] = None
        retry: Optional[int] = None
        for line in block.split(b"\n"):
            if not line:
                if has_data:
                    out.append((event, b"\n".join(data), self._last_id, retry))
                data = []
                has_data = False
                event = None
                retry = None
                continue
            if line[:1] == b":":
                continue  # comment
            name, colon, value = line.partition(b":")
            if colon and value[:1] == b" ":
                value = value[1:]
            if name == b"data":
                data.append(value)
                has_data = True
            elif name == b"event":
                event = value.decode("utf-8", "replace") or None
            elif name == b"id":
                if b"\0" not in value:
                    self._last_id = value.decode("utf-8", "replace")
            elif name == b"retry" and value.isdigit():
                retry = int(value)
            # any other field name is ignored, as the standard says
        if has_data:
            out.append((event, b"\n".join(data), self._last_id, retry))

    def parse_region(self, region: bytes) -> List[_Raw]:
        """The events of a region (see :meth:`region`) as raw tuples."""
        out: List[_Raw] = []
        for block in region.split(b"\n\n"):
            if block.startswith(_DATA) and b"\n" not in block:
                out.append((None, block[6:], self._last_id, None))
            elif block:
                self._parse_block(block, out)
        return out

    # -- public API ---------------------------------------------------------------------------

    def _events(self, raws: List[_Raw]) -> List[ServerSentEvent]:
        return [
            ServerSentEvent(data.decode("utf-8", "replace"), event or "message", last_id, retry)
            for event, data, last_id, retry in raws
        ]

    def feed(self, chunk: bytes) -> List[ServerSentEvent]:
        """Events completed by this chunk of the byte stream."""
        region = self.region(chunk)
        return self._events(self.parse_region(region)) if region is not None else []

    def flush(self) -> List[ServerSentEvent]:
        """Events still pending at the end of the stream."""
        rest = self.tail()
        return self._events(self.parse_region(rest)) if rest is not None else []

    def feed_raw(self, chunk: bytes) -> List[_Raw]:
        """Like :meth:`feed`, as ``(event or None, data bytes, last id, retry)`` tuples: no
        decoding, no objects."""
        region = self.region(chunk)
        return self.parse_region(region) if region is not None else []

    def flush_raw(self) -> List[_Raw]:
        rest = self.tail()
        return self.parse_region(rest) if rest is not None else []


def plain_data(region: bytes) -> Optional[List[bytes]]:
    """The data payloads of a region made only of one-line ``data: ...`` events (the shape of
    every chat stream), found with one split and one count; ``None`` when the region needs the
    general parser. (k such events have exactly 2k line ends; any comment, other field,
    multi-line event or extra blank line adds more.)"""
    if region.startswith(_DATA):
        datas = region[6:-2].split(b"\n\ndata: ")
        if region.count(b"\n") == 2 * len(datas):
            return datas
    return None


def named_frames(region: bytes) -> Optional[List[Tuple[bytes, bytes]]]:
    """``(event name, data)`` of a region made only of two-line ``event: NAME`` /
    ``data: ...`` events (the shape of Responses and Messages streams), without the general
    parser; ``None`` when any block has another shape (comments, ids, multi-line data...)."""
    out: List[Tuple[bytes, bytes]] = []
    for block in region[:-2].split(b"\n\n"):
        if not block.startswith(_EVENT):
            return None
        name, found, data = block.partition(_EVENT_DATA)
        if not found or b"\n" in data or b"\n" in name:
            return None
        out.append((name[7:], data))
    return out
