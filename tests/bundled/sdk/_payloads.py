"""Payloads as real servers send them (OpenAI, Gemini's OpenAI-compatible endpoint, Anthropic),
for the tolerance tests of the bundled SDK and of packages generated from other specs."""

from __future__ import annotations

import json
from typing import Any, Dict, List


def sse(*payloads: Any) -> List[bytes]:
    """An OpenAI-style event stream: one `data:` event per payload, then `[DONE]`."""
    return [f"data: {json.dumps(p)}\n\n".encode() for p in payloads] + [b"data: [DONE]\n\n"]


def chunk(choices: List[Dict[str, Any]], **extra: Any) -> Dict[str, Any]:
    base = {
        "id": "chatcmpl-1",
        "object": "chat.completion.chunk",
        "created": 1764547200,
        "model": "gpt-4o",
    }
    return {**base, "system_fingerprint": None, "choices": choices, **extra}


# An OpenAI stream as it arrives: role only in the first delta, `finish_reason: null` until the
# end, an empty `delta: {}` with the finish reason, a usage chunk with no choices, fields the
# spec does not know (`service_tier`, `obfuscation`, `prompt_tokens_details`).
OPENAI_STREAM = sse(
    chunk(
        [
            {
                "index": 0,
                "delta": {"role": "assistant", "content": "", "refusal": None},
                "logprobs": None,
                "finish_reason": None,
            }
        ]
    ),
    chunk(
        [{"index": 0, "delta": {"content": "Hel"}, "logprobs": None, "finish_reason": None}],
        service_tier="default",
    ),
    chunk([{"index": 0, "delta": {"content": "lo"}, "finish_reason": None}], obfuscation="Zx9"),
    chunk([{"index": 0, "delta": {}, "logprobs": None, "finish_reason": "stop"}]),
    chunk(
        [],
        usage={
            "prompt_tokens": 5,
            "completion_tokens": 2,
            "total_tokens": 7,
            "prompt_tokens_details": {"cached_tokens": 0},
        },
    ),
)

# Gemini's OpenAI-compatible endpoint: no `index` on choices or tool calls, no `id`/`created`.
GEMINI_TOOL_STREAM = sse(
    {
        "object": "chat.completion.chunk",
        "model": "gemini-2.5-flash",
        "choices": [
            {
                "delta": {
                    "role": "assistant",
                    "tool_calls": [
                        {
                            "id": "call_a",
                            "type": "function",
                            "function": {"name": "get_weather", "arguments": '{"city": "Paris"}'},
                        },
                        {
                            "id": "call_b",
                            "type": "function",
                            "function": {"name": "get_weather", "arguments": '{"city": "Rome"}'},
                        },
                    ],
                }
            }
        ],
    },
    {
        "object": "chat.completion.chunk",
        "model": "gemini-2.5-flash",
        "choices": [{"delta": {}, "finish_reason": "tool_calls"}],
    },
)

# A non-streamed OpenAI answer with a tool call: `content: null`, `refusal`, `annotations`.
OPENAI_COMPLETION = {
    "id": "chatcmpl-2",
    "object": "chat.completion",
    "created": 1764547200,
    "model": "gpt-4o",
    "choices": [
        {
            "index": 0,
            "message": {
                "role": "assistant",
                "content": None,
                "refusal": None,
                "annotations": [],
                "tool_calls": [
                    {
                        "id": "call_1",
                        "type": "function",
                        "function": {"name": "f", "arguments": "{}"},
                    }
                ],
            },
            "logprobs": None,
            "finish_reason": "tool_calls",
        }
    ],
    "usage": {
        "prompt_tokens": 9,
        "completion_tokens": 3,
        "total_tokens": 12,
        "completion_tokens_details": {"reasoning_tokens": 0},
    },
    "service_tier": "default",
    "system_fingerprint": "fp_1",
}

# Anthropic's Messages stream: named events; `message_delta` carries usage with only
# `output_tokens` (the contract requires `input_tokens`, with `default: 0`).
ANTHROPIC_STREAM = [
    f"event: {name}\ndata: {json.dumps(payload)}\n\n".encode()
    for name, payload in [
        (
            "message_start",
            {
                "type": "message_start",
                "message": {
                    "id": "msg_1",
                    "type": "message",
                    "role": "assistant",
                    "model": "claude-sonnet-4-5",
                    "content": [],
                    "stop_reason": None,
                    "stop_sequence": None,
                    "usage": {"input_tokens": 25, "output_tokens": 1},
                },
            },
        ),
        (
            "content_block_start",
            {
                "type": "content_block_start",
                "index": 0,
                "content_block": {"type": "text", "text": ""},
            },
        ),
        ("ping", {"type": "ping"}),
        (
            "content_block_delta",
            {
                "type": "content_block_delta",
                "index": 0,
                "delta": {"type": "text_delta", "text": "Hi"},
            },
        ),
        ("content_block_stop", {"type": "content_block_stop", "index": 0}),
        (
            "message_delta",
            {
                "type": "message_delta",
                "delta": {"stop_reason": "end_turn", "stop_sequence": None},
                "usage": {"output_tokens": 15},
            },
        ),
        ("message_stop", {"type": "message_stop"}),
    ]
]


def value(field: Any) -> Any:
    """A field's plain value (named enums and content unions are RootModels)."""
    return getattr(field, "root", field)
