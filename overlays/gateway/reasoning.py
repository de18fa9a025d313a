"""Split ``<think>...</think>`` chain-of-thought out of content (``reasoning_format="raw"``).

With ``raw`` the gateway leaves a reasoning model's think-tags inline in ``content``. In a stream
a tag can be cut anywhere (``"<thi"`` + ``"nk>"``), so :class:`ThinkTagSplitter` is stateful: it
holds back only the few characters that might still become a tag.
"""

from __future__ import annotations

from typing import Iterable, Iterator, List, Tuple

__all__ = ["ThinkTagSplitter", "split_think_tags", "iter_split_think_tags"]
# think tags are what reasoning models put in chat completion text
__requires__ = {"operations": ["create_chat_completion"]}


class ThinkTagSplitter:
    """``feed(text) -> (reasoning, content)`` for each piece, ``flush()`` at the end."""

    __slots__ = ("_close", "_in_think", "_open", "_pending")

    def __init__(self, open_tag: str = "<think>", close_tag: str = "</think>") -> None:
        self._open = open_tag
        self._close = close_tag
        self._pending = ""
        self._in_think = False

    @property
    def in_reasoning(self) -> bool:
        """Whether the text fed so far ends inside a think block."""
        return self._in_think

    def feed(self, text: str) -> Tuple[str, str]:
        reasoning: List[str] = []
        content: List[str] = []
        buffer = self._pending + text
        self._pending = ""
        while buffer:
            tag = self._close if self._in_think else self._open
            out = reasoning if self._in_think else content
            at = buffer.find(tag)
            if at >= 0:
                out.append(buffer[:at])
                buffer = buffer[at + len(tag) :]
                self._in_think = not self._in_think
                continue
            keep = _partial_tag_suffix(buffer, tag)
            out.append(buffer[: len(buffer) - keep])
            self._pending = buffer[len(buffer) - keep :]
            break
        return "".join(reasoning), "".join(content)

    def flush(self) -> Tuple[str, str]:
        """What was held back at the end of the text (an unfinished tag is plain text)."""
        rest, self._pending = self._pending, ""
        return (rest, "") if self._in_think else ("", rest)


def _partial_tag_suffix(text: str, tag: str) -> int:
    """Length of the longest end of ``text`` that is the start of ``tag``."""
    for size in range(min(len(tag) - 1, len(text)), 0, -1):
        if tag.startswith(text[-size:]):
            return size
    return 0


def split_think_tags(
    text: str, open_tag: str = "<think>", close_tag: str = "</think>"
) -> Tuple[str, str]:
    """``(reasoning, content)`` of a whole message."""
    splitter = ThinkTagSplitter(open_tag, close_tag)
    reasoning, content = splitter.feed(text)
    tail_reasoning, tail_content = splitter.flush()
    return reasoning + tail_reasoning, content + tail_content


def iter_split_think_tags(
    pieces: Iterable[str], open_tag: str = "<think>", close_tag: str = "</think>"
) -> Iterator[Tuple[str, str]]:
    """``(kind, text)`` pairs, kind ``"reasoning"`` or ``"content"``, from streamed pieces
    (e.g. ``stream.text_stream``); empty texts are skipped."""
    splitter = ThinkTagSplitter(open_tag, close_tag)
    for piece in pieces:
        reasoning, content = splitter.feed(piece)
        if reasoning:
            yield "reasoning", reasoning
        if content:
            yield "content", content
    reasoning, content = splitter.flush()
    if reasoning:
        yield "reasoning", reasoning
    if content:
        yield "content", content
