"""The fake gateway's ASGI application (no framework: routing, recording and fault injection)."""

from __future__ import annotations

import asyncio
import copy
import email.parser
import email.policy
import json
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from typing import Any, Awaitable, Callable, Deque, Dict, List, Mapping, Optional, Tuple
from urllib.parse import parse_qsl, unquote

from .payloads import (
    MODEL_METADATA,
    MessagesReply,
    ResponsesReply,
    images_response,
    messages_error,
    unanswered_function_calls,
    unanswered_tool_use,
)

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
        "input_schema": {
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
    [
        "ollama", "ollama_cloud", "groq", "llamacpp", "openai", "cloudflare", "cohere", "anthropic",
        "deepseek", "google", "mistral", "minimax", "moonshot", "nvidia", "zai",
    ]
)
# Providers with each optional API (the others answer 400, as the gateway does).
RESPONSES_PROVIDERS = frozenset(["openai"])
MESSAGES_PROVIDERS = frozenset(["anthropic"])
IMAGES_PROVIDERS = frozenset(["openai"])


@dataclass
class UploadedFile:
    """A file part of a multipart request."""

    filename: Optional[str]
    content_type: str
    data: bytes


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
    form: Dict[str, Any] = field(default_factory=dict)  # multipart: str fields, UploadedFile parts
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
            self.metrics_push_enabled = True
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
            form=_multipart(headers.get("content-type", ""), raw),
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
            return self._models(request)
        if path == "/v1/chat/completions" and method == "POST":
            return self._chat(request)
        if path == "/v1/responses" and method == "POST":
            return self._responses(request)
        if path == "/v1/messages" and method == "POST":
            return self._messages(request)
        if path == "/v1/images/generations" and method == "POST":
            return self._images(request, upload=False)
        if path in ("/v1/images/edits", "/v1/images/variations") and method == "POST":
            return self._images(request, upload=True)
        if path == "/v1/metrics" and method == "POST":
            return self._metrics(request)
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

    def _models(self, request: RecordedRequest) -> _Reply:
        provider = request.query.get("provider")
        # Comma-separated, like the gateway: a repeated `include` key counts once (the first).
        first = next((v for k, v in request.query_items if k == "include"), "")
        include = [key for key in first.split(",") if key]
        unknown = [key for key in include if key not in MODEL_METADATA]
        if unknown:
            return _error(400, f"unsupported include value: {unknown[0]!r}")
        models = [{**m, **{key: MODEL_METADATA[key] for key in include}} for m in MODELS]
        if provider is None:
            return _Reply(200, {"object": "list", "data": models})
        if provider not in PROVIDERS:
            return _error(400, f"unknown provider: {provider}")
        data = [m for m in models if m["served_by"] == provider]
        return _Reply(200, {"object": "list", "provider": provider, "data": data})

    @staticmethod
    def _provider(request: RecordedRequest, model: str) -> Optional[str]:
        """The provider a request goes to: `?provider=`, else the model's prefix (if any)."""
        if "provider" in request.query:
            return request.query["provider"]
        prefix = model.split("/", 1)[0] if "/" in model else None
        return prefix if prefix in PROVIDERS else None

    def _responses(self, request: RecordedRequest) -> _Reply:
        body = request.body
        if not isinstance(body, dict) or not body.get("model") or "input" not in body:
            return _error(400, "invalid request: model and input are required")
        provider = self._provider(request, body["model"])
        if provider is not None and provider not in RESPONSES_PROVIDERS:
            return _error(400, f"responses are not supported for provider {provider}")
        unanswered = unanswered_function_calls(body["input"])
        if unanswered:
            return _error(400, unanswered)
        reply = ResponsesReply(body)
        return _Reply(200, chunks=reply.events()) if body.get("stream") else _Reply(200, reply.json())

    def _messages(self, request: RecordedRequest) -> _Reply:
        body = request.body
        if not isinstance(body, dict) or not body.get("model") or not body.get("messages") or "max_tokens" not in body:
            return _Reply(400, messages_error("invalid_request_error", "model, messages and max_tokens are required"))
        provider = self._provider(request, body["model"])
        if provider is not None and provider not in MESSAGES_PROVIDERS:
            return _Reply(400, messages_error("not_supported_error", f"messages are not supported for provider {provider}"))
        unanswered = unanswered_tool_use(body["messages"])
        if unanswered:
            return _Reply(400, messages_error("invalid_request_error", unanswered))
        reply = MessagesReply(body)
        return _Reply(200, chunks=reply.events()) if body.get("stream") else _Reply(200, reply.json())

    def _images(self, request: RecordedRequest, upload: bool) -> _Reply:
        fields: Dict[str, Any] = request.form if upload else (request.body if isinstance(request.body, dict) else {})
        if upload:
            image = fields.get("image")
            if not isinstance(image, UploadedFile):
                return _error(400, "invalid request: image is required (a multipart file part)")
            for name in ("image", "mask"):
                part = fields.get(name)
                if isinstance(part, UploadedFile) and not part.content_type.startswith("image/"):
                    return _error(400, f"invalid {name}: unsupported mimetype {part.content_type!r}")
        needs_prompt = not upload or request.path.endswith("/edits")
        if needs_prompt and not fields.get("prompt"):
            return _error(400, "invalid request: prompt is required")
        provider = self._provider(request, str(fields.get("model") or ""))
        if provider is not None and provider not in IMAGES_PROVIDERS:
            return _error(400, f"images are not supported for provider {provider}")
        n = int(fields.get("n") or 1)
        if not 1 <= n <= 10:
            return _error(400, "invalid request: n must be between 1 and 10")
        fmt = str(fields.get("response_format") or "url")
        return _Reply(200, images_response(str(fields.get("prompt") or "variation"), n, fmt))

    def _metrics(self, request: RecordedRequest) -> _Reply:
        if not self.metrics_push_enabled:
            return _Reply(403, None)
        media = request.headers.get("content-type", "").split(";")[0].strip()
        if media == "application/json" and isinstance(request.body, dict):
            return _Reply(200, {"partialSuccess": {}})
        if media == "application/x-protobuf":
            return _Reply(200, None)
        return _Reply(415, None)

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


def _multipart(content_type: str, raw: bytes) -> Dict[str, Any]:
    """The parts of a multipart/form-data body: text fields as str, file parts as UploadedFile."""
    if not content_type.lower().startswith("multipart/form-data"):
        return {}
    head = f"Content-Type: {content_type}\r\n\r\n".encode("latin-1")
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(head + raw)
    parts: Dict[str, Any] = {}
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        data = part.get_payload(decode=True) or b""
        filename = part.get_filename()
        if filename is None and part.get("content-type") is None:
            parts[str(name)] = data.decode("utf-8")
        else:
            parts[str(name)] = UploadedFile(filename, part.get_content_type(), data)
    return parts


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
