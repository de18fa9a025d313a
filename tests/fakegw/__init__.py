"""A fake Inference Gateway for the tests: a raw ASGI app served by uvicorn on 127.0.0.1.

It serves every endpoint of ``specs/openapi.yaml`` with valid canned answers, records every
request, and can be scripted to misbehave. Stable API (other test suites rely on it)::

    gw = FakeGateway().start()          # or the session fixture `gateway` (reset before each test)
    gw.url                              # "http://127.0.0.1:PORT"  (gateway root, no /v1)
    gw.base_url                         # gw.url + "/v1"           (what the SDK guide passes)

    # configuration (reset() restores the defaults)
    gw.token = "secret"                 # require "Authorization: Bearer secret" (not on /health)
    gw.mcp_exposed = False              # GET /v1/mcp/tools answers 403 {"error": ...}
    gw.healthy = False                  # GET /health answers 503
    gw.metrics_push_enabled = False     # POST /v1/metrics answers 403

    # scripted responses: FIFO per (METHOD, path); each scripted entry answers one request,
    # later requests fall back to the canned behaviour. `path` has no query string.
    gw.enqueue("POST", "/v1/chat/completions",
               status=429, headers={"Retry-After": "0"},
               json={"error": "slow down"})          # a JSON body
    gw.enqueue("GET", "/v1/models", body=b"raw bytes")  # raw body (content-type from headers)
    gw.enqueue("POST", "/v1/chat/completions",
               chunks=[b'data: {...}\\n\\n', b"data: [DONE]\\n\\n"],  # streamed body
               chunk_delay=0.01,                     # seconds between chunks
               delay=0.5)                            # seconds before the response starts
    gw.enqueue("GET", "/health", drop=True)          # close the connection without answering
    gw.enqueue("POST", "/v1/chat/completions", chunks=[...],
               drop_after_chunks=2)                  # send 2 chunks, then close the connection
    gw.enqueue(..., times=3)                         # the same scripted answer for 3 requests

    # what arrived
    gw.requests                         # list of RecordedRequest(method, path, query, headers, body, raw,
                                        #   form: multipart fields as str, file parts as UploadedFile,
                                        #   query_items, client: the peer (host, port), one per connection)
    gw.last                             # the latest RecordedRequest
    gw.requests_to("POST", "/v1/chat/completions")
    gw.reset()                          # forget requests and scripts, restore the defaults

Canned behaviour: chat completions echo the last user message (``"echo: <text>"``; image parts
are shown as ``[image: url]``), answer with a tool call (with a Google ``thought_signature`` in
``extra_content`` for ``google/`` models) when tools are given and the last message is the
user's, answer ``"tool result: <content>"`` after a tool message, and fill ``reasoning_content``
when ``reasoning_format`` is given. With ``"stream": true`` they stream OpenAI-style chunks
(``finish_reason: null`` on every chunk but the last, an optional usage chunk when
``stream_options.include_usage``) and ``data: [DONE]``. Models are listed (filtered by
``?provider=``); MCP tools listed (or 403); ``/proxy/{provider}/{path}`` echoes
method/provider/path/query/body; A2A agents are listed and fetched by id (404 otherwise).
``?include=pricing,context_window,modalities`` adds model metadata (comma-separated; an unknown
value is a 400).

The newer APIs answer with the real services' shapes (``tests/fakegw/payloads.py``):
``POST /v1/responses`` echoes the input as a Response (a ``function_call`` item when function
tools are given) or streams OpenAI's named events ``response.created`` ... ``response.completed``;
``POST /v1/messages`` answers an Anthropic message (a thinking block when ``thinking`` is
enabled, a ``tool_use`` block when tools are given, ``"tool result: ..."`` after a
``tool_result``) or streams Anthropic's frames (``message_start`` with ``stop_reason: null``,
``ping``, content blocks, ``message_delta`` with usage holding only ``output_tokens``,
``message_stop``); neither stream ends with ``[DONE]``. ``/v1/images/generations`` (JSON) and
``/v1/images/edits`` / ``/v1/images/variations`` (multipart: a missing image part or a file
part whose content type is not ``image/*`` is a 400, as OpenAI answers) return URLs or base64
PNGs; ``POST /v1/metrics`` takes OTLP JSON or protobuf (415 otherwise). Responses and Images
answer 400 for providers other than ``openai``, Messages for providers other than
``anthropic`` (in Anthropic's error shape), as the gateway does for providers without the API.
Unknown routes answer 404 ``{"error": ...}``.
"""

from .app import FakeGatewayApp, RecordedRequest, ScriptedResponse, UploadedFile
from .server import FakeGateway

__all__ = ["FakeGateway", "FakeGatewayApp", "RecordedRequest", "ScriptedResponse", "UploadedFile"]
