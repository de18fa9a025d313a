"""Recorded chat streams (wire bytes) and ways to cut them into network reads."""

from __future__ import annotations

import json
import random
from typing import Any, Dict, List, Optional

CHAT = "/v1/chat/completions"


def sse(obj: Any) -> bytes:
    return b"data: " + json.dumps(obj, separators=(",", ":")).encode() + b"\n\n"


def chunk(
    delta: Dict[str, Any],
    finish: Optional[str] = None,
    *,
    index: int = 0,
    omit_finish: bool = False,
    usage: Optional[Dict[str, int]] = None,
) -> Dict[str, Any]:
    choice: Dict[str, Any] = {"index": index, "delta": delta}
    if not omit_finish:
        choice["finish_reason"] = finish
    out: Dict[str, Any] = {
        "id": "chatcmpl-rec",
        "object": "chat.completion.chunk",
        "created": 1742481679,
        "model": "deepseek/deepseek-chat",
        "choices": [choice],
    }
    if usage is not None:
        out["choices"] = []
        out["usage"] = usage
    return out


USAGE = {"prompt_tokens": 17, "completion_tokens": 9, "total_tokens": 26}

# An OpenAI-style stream as the gateway relays it: role chunk, reasoning, content with a
# multi-byte character, two parallel tool calls in fragments (one with Gemini extra_content),
# finish reason, usage chunk, [DONE]. CRLF and a comment keep-alive on purpose.
RECORDED_CHUNKS: List[Dict[str, Any]] = [
    chunk({"role": "assistant", "content": ""}),
    chunk({"reasoning_content": "Think about "}),
    chunk({"reasoning_content": "the weather."}),
    chunk({"content": "Checking "}),
    chunk({"content": "Paris ☀ and"}),
    chunk({"content": " Rome."}),
    chunk(
        {
            "tool_calls": [
                {
                    "index": 0,
                    "id": "call_a",
                    "type": "function",
                    "function": {"name": "get_weather", "arguments": ""},
                    "extra_content": {"google": {"thought_signature": "c2lnLWE="}},
                }
            ]
        }
    ),
    chunk({"tool_calls": [{"index": 0, "function": {"arguments": '{"loca'}}]}),
    chunk({"tool_calls": [{"index": 0, "function": {"arguments": 'tion": "Paris"}'}}]}),
    chunk(
        {
            "tool_calls": [
                {"index": 1, "id": "call_b", "type": "function", "function": {"name": "search_docs"}}
            ]
        }
    ),
    chunk({"tool_calls": [{"index": 1, "function": {"arguments": '{"q": "rome"}'}}]}),
    chunk({}, "tool_calls"),
    chunk({}, usage=USAGE),
]


def recorded_bytes() -> bytes:
    events = [sse(c) for c in RECORDED_CHUNKS]
    events.insert(3, b": keep-alive\n\n")
    events[5] = events[5].replace(b"\n\n", b"\r\n\r\n")
    return b"".join(events) + b"data: [DONE]\n\n"


def whole(data: bytes) -> List[bytes]:
    return [data]


def random_split(data: bytes, seed: int = 7) -> List[bytes]:
    rng = random.Random(seed)
    cuts = sorted(rng.sample(range(1, len(data)), min(40, len(data) - 1)))
    return [data[a:b] for a, b in zip([0, *cuts], [*cuts, len(data)])]


def byte_by_byte(data: bytes) -> List[bytes]:
    return [data[i : i + 1] for i in range(len(data))]


SPLITS = {"whole": whole, "random": random_split, "bytes": byte_by_byte}
