"""The fake gateway's ASGI application (no framework: routing, recording and fault injection)."""

from __future__ import annotations

import asyncio
import copy
import json
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from typing import Any, Awaitable, Callable, Deque, Dict, List, Mapping, Optional, Tuple
from urllib.parse import parse_qsl, unquote

Scope = Dict[str, Any]
Receive = Callable[[], Awaitable[Dict[str, Any]]]
Send = Callable[[Dict[str, Any]], Awaitable[None]]

CREATED = 1741879542
THOUGHT_SIGNATURE = "CtgBAXLI2nyZ3q+sig/of+the+thought=="

MODELS: List[Dict[str, Any]] = [
    {"id": "openai/gpt-4o", "object": "model", "created": CREATED, "owned_by": "openai", "served_by": "openai"},
    {"id": "anthropic/claude-opus-4-8", "object": "model", "created": CREATED, "owned_by": "anthropic", "served_by": "anthropic"},
    {"id": "deepseek/deepseek-v4-flash", "object": "model", "created": CREATED, "owned_by": "deepseek", "served_by": "deepseek"},
    {"id": "deepseek/deepseek-reasoner", "object": "model", "created": CREATED, "owned_by": "deepseek", "served_by": "deepseek"},
    {"id": "google/gemini-3-flash", "object": "model", "created": CREATED, "owned_by": "google", "served_by": "google"},
    {"id": "groq/deepseek-r1-distill-llama-70b", "object": "model", "created": CREATED, "owned_by": "Meta", "served_by": "groq"},
]

MCP_TOOLS: List[Dict[str, Any]] = [
    {
        "name": "read_file",
        "description": "Read content from a file",
        "server": "http://mcp-filesystem-server:8083/mcp",
        "inputSchema": {
            "type": "object",
            "properties": {"file_path": {"type": "string", "description": "Path to the file to read"}},
            "required": ["file_path"],
        },
    }
]

AGENTS: Dict[str, Dict[str, Any]] = {
    "calendar-agent": {
        "name": "calendar-agent",
        "description": "Manages calendar events",
        "url": "http://calendar-agent:8080",
        "version": "1.0.0",
        "protocolVersion": "0.3.0",
        "capabilities": {"streaming": True, "pushNotifications": False, "stateTransitionHistory": False},
        "defaultInputModes": ["text/plain"],
        "defaultOutputModes": ["text/plain"],
        "skills": [{"id": "list-events", "name": "List events", "tags": ["calendar"]}],
    }
}

PROVIDERS = frozenset(
    ["ollama", "groq", "openai", "cloudflare", "cohere", "anthropic", "deepseek", "google", "mistral", "moonshot"]
)


@dataclass
class RecordedRequest:
    """One request as it arrived. ``headers`` keys are lower-case; ``body`` is parsed JSON or None."""

    method: str
    path: str
    query: Dict[str, str]
    headers: Dict[str, str]
    body: Any
    raw: bytes
    query_items: List[Tuple[str, str]] = field(default_factory=list)
    client: Optional[Tuple[str, int]] = None  # the peer's address: one per TCP connection


@dataclass
class ScriptedResponse:
    """One scripted answer (see ``FakeGatewayApp.enqueue``)."""

    status: int = 200
    headers: Dict[str, str] = field(default_factory=dict)
    json: Any = None
    body: Optional[bytes] = None
    chunks: Optional[List[bytes]] = None
    chunk_delay: float = 0.0
    delay: float = 0.0
    drop: bool = False
    drop_after_chunks: Optional[int] = None


class _Reply:
    """A canned answer: status, JSON payload or a list of SSE chunks."""

    def __init__(self, status: int = 200, payload: Any = None, chunks: Optional[List[bytes]] = None) -> None:
        self.status = status
        self.payload = payload
        self.chunks = chunks


def _error(status: int, message: str) -> _Reply:
    return _Reply(status, {"error": message})


def _sse(payload: Any) -> bytes:
    data = payload if isinstance(payload, str) else json.dumps(payload, separators=(",", ":"))
    return f"data: {data}\n\n".encode()


class FakeGatewayApp:
    """Raw ASGI app; thread-safe configuration and scripting from the test thread."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.reset()

    # -- test-side API ---------------------------------------------------------------------

    def reset(self) -> None:
        """Forget requests and scripts; restore the default configuration."""
        with self._lock:
            self.token: Optional[str] = None
            self.mcp_exposed = True
            self.healthy = True
            self.agents: Dict[str, Dict[str, Any]] = copy.deepcopy(AGENTS)
            self.requests: List[RecordedRequest] = []
            self._scripts: Dict[Tuple[str, str], Deque[ScriptedResponse]] = {}

    def enqueue(
        self,
        method: str,
        path: str,
        *,
        status: int = 200,
        headers: Optional[Mapping[str, str]] = None,
        json: Any = None,
        body: Optional[bytes] = None,
        chunks: Optional[List[bytes]] = None,
        chunk_delay: float = 0.0,
        delay: float = 0.0,
        drop: bool = False,
        drop_after_chunks: Optional[int] = None,
        times: int = 1,
    ) -> None:
        """Script the next ``times`` answers of ``METHOD path`` (FIFO after earlier scripts)."""
        given = sum(x is not None for x in (json, body, chunks))
        if given > 1:
            raise ValueError("enqueue: give at most one of json=, body=, chunks=")
        if drop_after_chunks is not None and chunks is None:
            raise ValueError("enqueue: drop_after_chunks needs chunks=")
        script = ScriptedResponse(
            status=status,
            headers=dict(headers or {}),
            json=json,
            body=body,
            chunks=list(chunks) if chunks is not None else None,
            chunk_delay=chunk_delay,
            delay=delay,
            drop=drop,
            drop_after_chunks=drop_after_chunks,
        )
        with self._lock:
            queue = self._scripts.setdefault((method.upper(), path), deque())
            queue.extend([script] * times)

    @property
    def last(self) -> RecordedRequest:
        with self._lock:
            if not self.requests:
                raise AssertionError("the fake gateway received no request")
            return self.requests[-1]

    def requests_to(self, method: str, path: str) -> List[RecordedRequest]:
        with self._lock:
            return [r for r in self.requests if r.method == method.upper() and r.path == path]

    # -- ASGI ------------------------------------------------------------------------------

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return
        raw = bytearray()
        while True:
            message = await receive()
            raw += message.get("body", b"")
            if not message.get("more_body"):
                break
        record = self._record(scope, bytes(raw))
        with self._lock:
            queue = self._scripts.get((record.method, record.path))
            script = queue.popleft() if queue else None
        if script is not None:
            await self._play(script, receive, send)
            return
        reply = self._route(record)
        if reply.chunks is not None:
            await self._start(send, reply.status, {"content-type": "text/event-stream"})
            for chunk in reply.chunks:
                await send({"type": "http.response.body", "body": chunk, "more_body": True})
            await send({"type": "http.response.body", "body": b"", "more_body": False})
            return
        body = b"" if reply.payload is None else json.dumps(reply.payload).encode()
        headers = {"content-type": "application/json"} if body else {}
        await self._start(send, reply.status, headers)
        await send({"type": "http.response.body", "body": body, "more_body": False})

    def _record(self, scope: Scope, raw: bytes) -> RecordedRequest:
        items = parse_qsl(scope.get("query_string", b"").decode("latin-1"), keep_blank_values=True)
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        try:
            body = json.loads(raw) if raw else None
        except ValueError:
            body = None
        record = RecordedRequest(
            method=scope["method"].upper(),
            path=scope.get("raw_path", scope["path"].encode()).decode("latin-1").split("?")[0],
            query=dict(items),
            headers=headers,
            body=body,
            raw=raw,
            query_items=items,
            client=tuple(scope["client"]) if scope.get("client") else None,
        )
        with self._lock:
            self.requests.append(record)
        return record

    @staticmethod
    async def _start(send: Send, status: int, headers: Mapping[str, str]) -> None:
        await send(
            {
                "type": "http.response.start",
                "status": status,
                "headers": [(k.lower().encode(), v.encode()) for k, v in headers.items()],
            }
        )

    @staticmethod
    async def _drop(receive: Receive, send: Send) -> None:
        """Close the TCP connection without finishing the response (uvicorn's transport)."""
        transport = getattr(getattr(send, "__self__", None), "transport", None)
        if transport is None:
            raise RuntimeError("fakegw: this ASGI server does not expose its transport; cannot drop")
        transport.close()
        while (await receive())["type"] != "http.disconnect":
            pass

    async def _play(self, script: ScriptedResponse, receive: Receive, send: Send) -> None:
        if script.delay:
            await asyncio.sleep(script.delay)
        if script.drop:
            await self._drop(receive, send)
            return
        headers = {k.lower(): v for k, v in script.headers.items()}
        if script.chunks is not None:
            headers.setdefault("content-type", "text/event-stream")
            await self._start(send, script.status, headers)
            for index, chunk in enumerate(script.chunks):
                if index == script.drop_after_chunks:
                    await self._drop(receive, send)
                    return
                await send({"type": "http.response.body", "body": chunk, "more_body": True})
                if script.chunk_delay:
                    await asyncio.sleep(script.chunk_delay)
            if script.drop_after_chunks is not None:
                await self._drop(receive, send)
                return
            await send({"type": "http.response.body", "body": b"", "more_body": False})
            return
        if script.body is not None:
            body = script.body
        elif script.json is not None:
            body = json.dumps(script.json).encode()
            headers.setdefault("content-type", "application/json")
        else:
            body = b""
        await self._start(send, script.status, headers)
        await send({"type": "http.response.body", "body": body, "more_body": False})

    # -- canned behaviour ------------------------------------------------------------------

    def _route(self, request: RecordedRequest) -> _Reply:
        path, method = request.path, request.method
        if path == "/health" and method == "GET":
            return _Reply(200 if self.healthy else 503, None if self.healthy else {"error": "unhealthy"})
        if self.token is not None and request.headers.get("authorization") != f"Bearer {self.token}":
            return _error(401, "unauthorized: missing or invalid bearer token")
        if path == "/v1/models" and method == "GET":
            return self._models(request.query.get("provider"))
        if path == "/v1/chat/completions" and method == "POST":
            return self._chat(request)
        if path == "/v1/mcp/tools" and method == "GET":
            if not self.mcp_exposed:
                return _error(403, "MCP tools endpoint is not exposed")
            return _Reply(200, {"object": "list", "data": MCP_TOOLS})
        if path == "/v1/a2a/agents" and method == "GET":
            return _Reply(200, {"object": "list", "data": list(self.agents.values())})
        if path.startswith("/v1/a2a/agents/") and method == "GET":
            agent = self.agents.get(unquote(path[len("/v1/a2a/agents/"):]))
            return _Reply(200, agent) if agent else _error(404, "agent not found")
        if path.startswith("/proxy/"):
            return self._proxy(request)
        return _error(404, f"no route for {method} {path}")

    def _models(self, provider: Optional[str]) -> _Reply:
        if provider is None:
            return _Reply(200, {"object": "list", "data": MODELS})
        if provider not in PROVIDERS:
            return _error(400, f"unknown provider: {provider}")
        data = [m for m in MODELS if m["served_by"] == provider]
        return _Reply(200, {"object": "list", "provider": provider, "data": data})

    def _proxy(self, request: RecordedRequest) -> _Reply:
        _, _, provider, rest = request.path.split("/", 3) if request.path.count("/") >= 3 else ("", "", "", "")
        if unquote(provider) not in PROVIDERS:
            return _error(400, f"unknown provider: {provider}")
        return _Reply(
            200,
            {
                "method": request.method,
                "provider": unquote(provider),
                "path": unquote(rest),
                "query": request.query,
                "body": request.body,
            },
        )

    def _chat(self, request: RecordedRequest) -> _Reply:
        body = request.body
        if not isinstance(body, dict) or not body.get("model") or not body.get("messages"):
            return _error(400, "invalid request: model and messages are required")
        model = body["model"]
        messages = body["messages"]
        last = messages[-1]
        reasoning = "Let me think about it." if body.get("reasoning_format") else None
        tool_calls = None
        if body.get("tools") and last.get("role") == "user":
            tool_calls = [self._tool_call(model, body["tools"][0])]
            text = ""
        elif last.get("role") == "tool":
            text = f"tool result: {_text_of(last.get('content'))}"
        else:
            user = next((m for m in reversed(messages) if m.get("role") == "user"), last)
            text = f"echo: {_text_of(user.get('content'))}"
        if body.get("stream"):
            return _Reply(200, chunks=self._chunks(body, text, reasoning, tool_calls))
        message: Dict[str, Any] = {"role": "assistant", "content": text}
        if reasoning:
            message["reasoning_content"] = reasoning
            message["reasoning"] = reasoning
        if tool_calls:
            message["tool_calls"] = tool_calls
        return _Reply(
            200,
            {
                "id": "chatcmpl-fake",
                "object": "chat.completion",
                "created": int(time.time()),
                "model": model,
                "choices": [
                    {"index": 0, "message": message, "finish_reason": "tool_calls" if tool_calls else "stop"}
                ],
                "usage": {"prompt_tokens": 10, "completion_tokens": 5, "total_tokens": 15},
            },
        )

    @staticmethod
    def _tool_call(model: str, tool: Dict[str, Any]) -> Dict[str, Any]:
        function = tool.get("function", {})
        required = (function.get("parameters") or {}).get("required") or []
        call: Dict[str, Any] = {
            "id": "call_fake_1",
            "type": "function",
            "function": {
                "name": function.get("name", "tool"),
                "arguments": json.dumps({name: "New York, NY" for name in required}),
            },
        }
        if model.startswith("google/"):
            call["extra_content"] = {"google": {"thought_signature": THOUGHT_SIGNATURE}}
        return call

    @staticmethod
    def _chunks(
        body: Dict[str, Any], text: str, reasoning: Optional[str], tool_calls: Optional[List[Dict[str, Any]]]
    ) -> List[bytes]:
        def chunk(delta: Dict[str, Any], finish: Optional[str]) -> bytes:
            return _sse(
                {
                    "id": "chatcmpl-fake",
                    "object": "chat.completion.chunk",
                    "created": CREATED,
                    "model": body["model"],
                    "system_fingerprint": "fp_fake",
                    "choices": [{"index": 0, "delta": delta, "finish_reason": finish}],
                }
            )

        out = [chunk({"role": "assistant", "content": ""}, None)]
        if reasoning:
            out.append(chunk({"reasoning_content": reasoning, "reasoning": reasoning}, None))
        for index, call in enumerate(tool_calls or []):
            head = {**call, "index": index, "function": {"name": call["function"]["name"], "arguments": ""}}
            out.append(chunk({"tool_calls": [head]}, None))
            args = {"index": index, "function": {"arguments": call["function"]["arguments"]}}
            out.append(chunk({"tool_calls": [args]}, None))
        words = text.split(" ") if text else []
        for index, word in enumerate(words):
            out.append(chunk({"content": word if index == 0 else " " + word}, None))
        out.append(chunk({}, "tool_calls" if tool_calls else "stop"))
        if (body.get("stream_options") or {}).get("include_usage"):
            out.append(
                _sse(
                    {
                        "id": "chatcmpl-fake",
                        "object": "chat.completion.chunk",
                        "created": CREATED,
                        "model": body["model"],
                        "choices": [],
                        "usage": {"prompt_tokens": 10, "completion_tokens": len(words), "total_tokens": 10 + len(words)},
                    }
                )
            )
        out.append(_sse("[DONE]"))
        return out


def _text_of(content: Any) -> str:
    """A message content (string or parts) as text; image parts as ``[image: url]``."""
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        parts = []
        for part in content:
            if part.get("type") == "text":
                parts.append(part.get("text", ""))
            elif part.get("type") == "image_url":
                parts.append(f"[image: {(part.get('image_url') or {}).get('url', '')}]")
        return " ".join(parts)
    return "" if content is None else json.dumps(content)
