"""Canned answers of the fake gateway's Responses, Messages, Images and metrics routes.

The shapes follow the gateway's contract (``../shared/upstream/gateway-openapi-2026-08.yaml``)
and what the real services send on the wire: OpenAI's Responses API streams named events from
``response.created`` to ``response.completed`` with a ``sequence_number``; Anthropic's Messages
API streams ``message_start`` (``stop_reason: null``), ``ping``, content blocks (text, thinking
with a ``signature_delta``, tool use as ``input_json_delta`` pieces), a ``message_delta`` whose
usage holds only ``output_tokens``, and ``message_stop``. Neither ends with ``[DONE]``.
"""

from __future__ import annotations

import base64
import json
from typing import Any, Dict, List, Optional, Tuple

CREATED = 1741879542
THINKING = "Let me think about it."
THINKING_SIGNATURE = "EqQBCgIYAhIM+fake+signature=="
# The smallest valid PNG (1x1, transparent): what `b64_json` answers carry.
PNG_1X1 = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="
)


def sse_event(name: str, payload: Dict[str, Any]) -> bytes:
    """One SSE frame with an ``event:`` line, as OpenAI and Anthropic send them."""
    return f"event: {name}\ndata: {json.dumps(payload, separators=(',', ':'))}\n\n".encode()


def words(text: str) -> List[str]:
    """``text`` in stream pieces: the first word, then each further word with its space."""
    parts = text.split(" ") if text else []
    return [part if index == 0 else " " + part for index, part in enumerate(parts)]


def fake_arguments(schema: Any) -> str:
    """JSON arguments for a function call: every required parameter set to ``"New York, NY"``."""
    required = (schema or {}).get("required") or []
    return json.dumps({name: "New York, NY" for name in required})


# -- Responses API ---------------------------------------------------------------------------


def _input_text(value: Any) -> str:
    """The text of the last user input: a prompt string or the last user item's content."""
    if isinstance(value, str):
        return value
    for item in reversed(value or []):
        if isinstance(item, dict) and item.get("role", "user") == "user":
            content = item.get("content")
            if isinstance(content, str):
                return content
            return " ".join(
                part.get("text", "") if part.get("type") == "input_text" else f"[image: {part.get('image_url', '')}]"
                for part in content or []
            )
    return ""


def _trailing_outputs(items: Any) -> List[str]:
    """The ``function_call_output`` items that end the input (the model's turn to answer)."""
    outputs: List[str] = []
    for item in reversed(items if isinstance(items, list) else []):
        if not isinstance(item, dict) or item.get("type") != "function_call_output":
            break
        outputs.insert(0, str(item.get("output")))
    return outputs


def unanswered_function_calls(items: Any) -> Optional[str]:
    """What OpenAI answers 400 to: a ``function_call`` input item without its
    ``function_call_output`` (or an output naming no call); ``None`` when they pair up."""
    items = items if isinstance(items, list) else []
    calls = {i.get("call_id") for i in items if isinstance(i, dict) and i.get("type") == "function_call"}
    outputs = {i.get("call_id") for i in items if isinstance(i, dict) and i.get("type") == "function_call_output"}
    if calls - outputs:
        return f"No tool output found for function call {sorted(calls - outputs)[0]}."
    if outputs - calls:
        return f"No tool call found for function call output with call_id {sorted(outputs - calls)[0]}."
    return None


class ResponsesReply:
    """The answer to one ``POST /v1/responses`` body: an echo, or a function call when tools are given."""

    def __init__(self, body: Dict[str, Any]) -> None:
        self.body = body
        items = body.get("input")
        outputs = _trailing_outputs(items)
        self.text = "tool result: " + " ".join(outputs) if outputs else "echo: " + _input_text(items)
        tools = [t for t in body.get("tools") or [] if t.get("type") == "function"]
        self.tool = tools[0] if tools and not outputs else None

    def _response(self, status: str, output: List[Dict[str, Any]], usage: Optional[Dict[str, Any]]) -> Dict[str, Any]:
        body = self.body
        return {
            "id": "resp_fake",
            "object": "response",
            "created_at": CREATED,
            "status": status,
            "model": body["model"],
            "output": output,
            "error": None,
            "incomplete_details": None,
            "instructions": body.get("instructions"),
            "max_output_tokens": body.get("max_output_tokens"),
            "previous_response_id": body.get("previous_response_id"),
            "reasoning": {"effort": None, "summary": None},
            "temperature": body.get("temperature", 1.0),
            "top_p": body.get("top_p", 1.0),
            "parallel_tool_calls": True,
            "store": True,
            "tool_choice": body.get("tool_choice", "auto"),
            "tools": body.get("tools") or [],
            "text": {"format": {"type": "text"}},
            "metadata": body.get("metadata") or {},
            "usage": usage,
        }

    def _usage(self) -> Dict[str, Any]:
        output = len(words(self.text)) if self.tool is None else 12
        return {
            "input_tokens": 10,
            "input_tokens_details": {"cached_tokens": 0},
            "output_tokens": output,
            "output_tokens_details": {"reasoning_tokens": 0},
            "total_tokens": 10 + output,
        }

    def _item(self, done: bool) -> Dict[str, Any]:
        status = "completed" if done else "in_progress"
        if self.tool is not None:
            arguments = fake_arguments(self.tool.get("parameters")) if done else ""
            return {
                "type": "function_call",
                "id": "fc_fake",
                "call_id": "call_fake_1",
                "name": self.tool.get("name", "tool"),
                "arguments": arguments,
                "status": status,
            }
        content = [{"type": "output_text", "text": self.text, "annotations": []}] if done else []
        return {"type": "message", "id": "msg_fake", "status": status, "role": "assistant", "content": content}

    def json(self) -> Dict[str, Any]:
        return self._response("completed", [self._item(done=True)], self._usage())

    def events(self) -> List[bytes]:
        frames: List[Tuple[str, Dict[str, Any]]] = [
            ("response.created", {"response": self._response("in_progress", [], None)}),
            ("response.in_progress", {"response": self._response("in_progress", [], None)}),
            ("response.output_item.added", {"output_index": 0, "item": self._item(done=False)}),
        ]
        where = {"output_index": 0}
        if self.tool is not None:
            arguments = fake_arguments(self.tool.get("parameters"))
            half = len(arguments) // 2
            where["item_id"] = "fc_fake"
            for piece in (arguments[:half], arguments[half:]):
                frames.append(("response.function_call_arguments.delta", {**where, "delta": piece}))
            frames.append(("response.function_call_arguments.done", {**where, "arguments": arguments}))
        else:
            where.update(item_id="msg_fake", content_index=0)
            empty = {"type": "output_text", "text": "", "annotations": []}
            frames.append(("response.content_part.added", {**where, "part": empty}))
            for piece in words(self.text):
                frames.append(("response.output_text.delta", {**where, "delta": piece, "logprobs": []}))
            frames.append(("response.output_text.done", {**where, "text": self.text, "logprobs": []}))
            frames.append(("response.content_part.done", {**where, "part": {**empty, "text": self.text}}))
        frames.append(("response.output_item.done", {"output_index": 0, "item": self._item(done=True)}))
        frames.append(("response.completed", {"response": self.json()}))
        return [
            sse_event(name, {"type": name, "sequence_number": number, **fields})
            for number, (name, fields) in enumerate(frames)
        ]


# -- Messages API ----------------------------------------------------------------------------


def _messages_text(messages: List[Dict[str, Any]]) -> str:
    """What the fake answers: an echo of the last user text, or the last tool result."""
    last = messages[-1]
    content = last.get("content")
    if isinstance(content, str):
        return "echo: " + content
    texts, results = [], []
    for block in content or []:
        if block.get("type") == "text":
            texts.append(block.get("text", ""))
        elif block.get("type") == "image":
            texts.append("[image]")
        elif block.get("type") == "tool_result":
            result = block.get("content")
            results.append(result if isinstance(result, str) else " ".join(b.get("text", "") for b in result or []))
    if results:
        return "tool result: " + " ".join(results)
    return "echo: " + " ".join(texts)


class MessagesReply:
    """The answer to one ``POST /v1/messages`` body: thinking (when asked), then text, or text and
    a ``tool_use`` block for every tool offered (parallel tool use, as Claude does) until the
    last user turn carries ``tool_result`` blocks (``tool_choice`` ``none`` asks for no tool)."""

    def __init__(self, body: Dict[str, Any]) -> None:
        self.body = body
        messages = body["messages"]
        self.text = _messages_text(messages)
        last = messages[-1].get("content")
        answered = isinstance(last, list) and any(b.get("type") == "tool_result" for b in last)
        choice = body.get("tool_choice") or {}
        declined = choice == "none" or (isinstance(choice, dict) and choice.get("type") == "none")
        self.tools: List[Dict[str, Any]] = [] if answered or declined else list(body.get("tools") or [])
        self.thinking = (body.get("thinking") or {}).get("type") == "enabled"

    def _blocks(self) -> List[Dict[str, Any]]:
        blocks: List[Dict[str, Any]] = []
        if self.thinking:
            blocks.append({"type": "thinking", "thinking": THINKING, "signature": THINKING_SIGNATURE})
        if self.tools:
            blocks.append({"type": "text", "text": "Let me check."})
        else:
            blocks.append({"type": "text", "text": self.text})
        for number, tool in enumerate(self.tools, 1):
            arguments = json.loads(fake_arguments(tool.get("input_schema")))
            blocks.append({"type": "tool_use", "id": f"toolu_fake_{number}", "name": tool["name"], "input": arguments})
        return blocks

    @property
    def stop_reason(self) -> str:
        return "tool_use" if self.tools else "end_turn"

    def _output_tokens(self) -> int:
        return 12 * len(self.tools) if self.tools else len(words(self.text))

    def _message(self, content: List[Dict[str, Any]], stop_reason: Optional[str], output_tokens: int) -> Dict[str, Any]:
        return {
            "id": "msg_fake",
            "type": "message",
            "role": "assistant",
            "model": self.body["model"],
            "content": content,
            "stop_reason": stop_reason,
            "stop_sequence": None,
            "usage": {
                "input_tokens": 10,
                "cache_creation_input_tokens": 0,
                "cache_read_input_tokens": 0,
                "output_tokens": output_tokens,
            },
        }

    def json(self) -> Dict[str, Any]:
        return self._message(self._blocks(), self.stop_reason, self._output_tokens())

    def events(self) -> List[bytes]:
        out = [sse_event("message_start", {"type": "message_start", "message": self._message([], None, 1)})]
        for index, block in enumerate(self._blocks()):
            out.extend(self._block_events(index, block))
            if index == 0:
                out.append(sse_event("ping", {"type": "ping"}))
        delta = {"stop_reason": self.stop_reason, "stop_sequence": None}
        usage = {"output_tokens": self._output_tokens()}
        out.append(sse_event("message_delta", {"type": "message_delta", "delta": delta, "usage": usage}))
        out.append(sse_event("message_stop", {"type": "message_stop"}))
        return out

    @staticmethod
    def _block_events(index: int, block: Dict[str, Any]) -> List[bytes]:
        kind = block["type"]
        if kind == "thinking":
            start = {"type": "thinking", "thinking": ""}
            deltas = [{"type": "thinking_delta", "thinking": piece} for piece in words(block["thinking"])]
            deltas.append({"type": "signature_delta", "signature": block["signature"]})
        elif kind == "tool_use":
            start = {**block, "input": {}}
            encoded = json.dumps(block["input"])
            half = len(encoded) // 2
            deltas = [{"type": "input_json_delta", "partial_json": p} for p in ("", encoded[:half], encoded[half:])]
        else:
            start = {"type": "text", "text": ""}
            deltas = [{"type": "text_delta", "text": piece} for piece in words(block["text"])]
        frames = [sse_event("content_block_start", {"type": "content_block_start", "index": index, "content_block": start})]
        frames += [
            sse_event("content_block_delta", {"type": "content_block_delta", "index": index, "delta": delta})
            for delta in deltas
        ]
        frames.append(sse_event("content_block_stop", {"type": "content_block_stop", "index": index}))
        return frames


def unanswered_tool_use(messages: List[Dict[str, Any]]) -> Optional[str]:
    """What Anthropic answers 400 to: an assistant turn's ``tool_use`` ids that the next (user)
    turn does not answer with ``tool_result`` blocks; ``None`` when every call is answered."""
    for index, message in enumerate(messages):
        content = message.get("content")
        if message.get("role") != "assistant" or not isinstance(content, list):
            continue
        ids = {b.get("id") for b in content if b.get("type") == "tool_use"}
        if not ids:
            continue
        following = messages[index + 1].get("content") if index + 1 < len(messages) else None
        answered = {b.get("tool_use_id") for b in following or [] if isinstance(b, dict) and b.get("type") == "tool_result"}
        if ids - answered:
            return f"messages.{index + 1}: tool_use ids without tool_result blocks: {sorted(ids - answered)}"
    return None


def messages_error(status_type: str, message: str) -> Dict[str, Any]:
    """An error body in Anthropic's shape."""
    return {"type": "error", "error": {"type": status_type, "message": message}}


# -- Images API ------------------------------------------------------------------------------


def images_response(prompt: str, n: int, response_format: str) -> Dict[str, Any]:
    """``n`` generated images as URLs or base64 PNGs, with GPT-image-style usage."""
    encoded = base64.b64encode(PNG_1X1).decode()
    data = [
        {"b64_json": encoded, "revised_prompt": prompt}
        if response_format == "b64_json"
        else {"url": f"https://images.example/fake-{index}.png", "revised_prompt": prompt}
        for index in range(n)
    ]
    return {
        "created": CREATED,
        "data": data,
        "usage": {
            "total_tokens": 60 * n + 10,
            "input_tokens": 10,
            "output_tokens": 60 * n,
            "input_tokens_details": {"cached_tokens": 0},
        },
    }


# -- models metadata (`GET /v1/models?include=...`) ------------------------------------------------

MODEL_METADATA: Dict[str, Dict[str, Any]] = {
    "pricing": {
        "currency": "USD",
        "input_per_token": "0.0000025",
        "output_per_token": "0.00001",
        "source": "provider",
        "updated_at": "2026-01-01T00:00:00Z",
    },
    "context_window": {"tokens": 128000, "source": "provider"},
    "modalities": {"input": ["text", "image"], "output": ["text"]},
}
