"""Every Python example of the SDK guide (seed 000, Python section), run unchanged.

The examples are copied verbatim (the seed lost their indentation, restored here); the only
change when running them is the base URL, pointed at the fake gateway. Each runs as a script
(`exec`) and the test checks what it printed and what the gateway received.
"""

from __future__ import annotations

import socket
import textwrap
from typing import Any, Dict

import pytest

from tests.fakegw import FakeGateway
from tests.fakegw.app import THOUGHT_SIGNATURE

GUIDE_URL = "http://localhost:8080/v1"

CHAT_COMPLETION = """
from inference_gateway import InferenceGatewayClient, Message
client = InferenceGatewayClient('http://localhost:8080/v1')
response = client.create_chat_completion(
    model='deepseek/deepseek-v4-flash',
    messages=[
        Message(role='system', content='You are a helpful assistant.'),
        Message(role='user', content='What is Python?'),
    ],
)
print(response.choices[0].message.content.root)
"""

STREAMING = """
import json
from inference_gateway import InferenceGatewayClient, Message
from inference_gateway.models import CreateChatCompletionStreamResponse
client = InferenceGatewayClient('http://localhost:8080/v1')
for chunk in client.create_chat_completion_stream(
    model='deepseek/deepseek-v4-flash',
    messages=[Message(role='user', content='Tell me a story.')],
):
    if not chunk.data:
        continue
    data = json.loads(chunk.data)
    stream_response = CreateChatCompletionStreamResponse.model_validate(data)
    for choice in stream_response.choices:
        if choice.delta.content:
            print(choice.delta.content, end='', flush=True)
"""

# The guide's streaming loop with its reasoning variant of the inner loop.
STREAMING_REASONING = """
import json
from inference_gateway import InferenceGatewayClient, Message
from inference_gateway.models import CreateChatCompletionStreamResponse
client = InferenceGatewayClient('http://localhost:8080/v1')
for chunk in client.create_chat_completion_stream(
    model='deepseek/deepseek-reasoner',
    messages=[Message(role='user', content='Tell me a story.')],
    reasoning_format='parsed',
):
    if not chunk.data:
        continue
    data = json.loads(chunk.data)
    stream_response = CreateChatCompletionStreamResponse.model_validate(data)
    for choice in stream_response.choices:
        if choice.delta.reasoning_content:
            print(choice.delta.reasoning_content, end='', flush=True)
        if choice.delta.content:
            print(choice.delta.content, end='', flush=True)
"""

TOOL_CALLS = """
from inference_gateway import InferenceGatewayClient, Message
from inference_gateway.models import ChatCompletionTool, FunctionObject, FunctionParameters
client = InferenceGatewayClient('http://localhost:8080/v1')
tools = [
    ChatCompletionTool(
        type='function',
        function=FunctionObject(
            name='get_current_weather',
            description='Get the current weather in a given location',
            parameters=FunctionParameters(
                type='object',
                properties={
                    'location': {
                        'type': 'string',
                        'description': 'The city and state, e.g. San Francisco, CA',
                    },
                    'unit': {
                        'type': 'string',
                        'enum': ['celsius', 'fahrenheit'],
                    },
                },
                required=['location'],
            ),
        ),
    ),
]
response = client.create_chat_completion(
    model='deepseek/deepseek-v4-flash',
    messages=[Message(role='user', content='What is the weather in New York?')],
    tools=tools,
)
for tool_call in response.choices[0].message.tool_calls or []:
    print(tool_call.function.name, tool_call.function.arguments)
"""

VISION = """
from inference_gateway import (
    InferenceGatewayClient,
    Message,
    TextContentPart,
    ImageContentPart,
    ImageURL,
)
client = InferenceGatewayClient('http://localhost:8080/v1')
response = client.create_chat_completion(
    model='anthropic/claude-opus-4-8',
    messages=[
        Message(
            role='user',
            content=[
                TextContentPart(type='text', text='What is in this image?'),
                ImageContentPart(
                    type='image_url',
                    image_url=ImageURL(
                        url='https://example.com/image.jpg',
                        detail='auto',
                    ),
                ),
            ],
        ),
    ],
)
"""

REASONING = """
from inference_gateway import InferenceGatewayClient, Message
client = InferenceGatewayClient('http://localhost:8080/v1')
response = client.create_chat_completion(
    model='deepseek/deepseek-reasoner',
    messages=[Message(role='user', content='How many r are in strawberry?')],
    reasoning_format='parsed',
)
message = response.choices[0].message
print('Reasoning:', message.reasoning_content)
print('Answer:', message.content.root)
"""

# "Here messages and tools come from the Tool calls example above, and run_tool is your own
# executor": the test provides `messages`, `tools` (from TOOL_CALLS), `client` and `run_tool`.
EXTRA_CONTENT = """
response = client.create_chat_completion(
    model='google/gemini-3-flash',
    messages=messages,
    tools=tools,
)
assistant_message = response.choices[0].message
for tool_call in assistant_message.tool_calls or []:
    extra = tool_call.extra_content
    if extra and extra.google and extra.google.thought_signature:
        print('thought_signature:', extra.google.thought_signature)
# Append the assistant message unchanged so extra_content (Google's
# thought_signature) is echoed back verbatim on the follow-up request.
messages.append(assistant_message)
for tool_call in assistant_message.tool_calls or []:
    result = run_tool(tool_call) # your executor -> str
    messages.append(Message(role='tool', tool_call_id=tool_call.id, content=result))
final = client.create_chat_completion(
    model='google/gemini-3-flash',
    messages=messages,
    tools=tools,
)
"""

MODELS_TOOLS_HEALTH = """
from inference_gateway import InferenceGatewayClient
client = InferenceGatewayClient('http://localhost:8080/v1')
# Liveness probe - True when healthy, False on any error (never raises).
if not client.health_check():
    raise RuntimeError('gateway is not healthy')
# Every model across all configured providers.
models = client.list_models()
for model in models.data:
    print('model:', model.id, '->', model.served_by.root)
# Narrow the listing to a single provider.
openai_models = client.list_models(provider='openai')
# MCP tools (requires MCP exposed on the gateway).
tools = client.list_tools()
for tool in tools.data:
    print(f'tool: {tool.name} (server: {tool.server})')
"""

PROXY = """
from inference_gateway import InferenceGatewayClient
client = InferenceGatewayClient('http://localhost:8080/v1')
embeddings = client.proxy_request(
    provider='openai',
    path='embeddings',
    method='POST',
    json_data={
        'model': 'text-embedding-3-small',
        'input': 'Hello world',
    },
)
print(embeddings)
"""

CLIENT_OPTIONS = """
from inference_gateway import InferenceGatewayClient, Message
with InferenceGatewayClient(
    'http://localhost:8080/v1',
    token='your-api-token',
    timeout=60.0,
    use_httpx=True,
) as client:
    response = client.create_chat_completion(
        model='deepseek/deepseek-v4-flash',
        messages=[Message(role='user', content='Hello!')],
    )
    print(response.choices[0].message.content.root)
"""


def run_example(source: str, gateway: FakeGateway, namespace: Dict[str, Any] | None = None) -> Dict[str, Any]:
    assert GUIDE_URL in source or namespace is not None
    code = textwrap.dedent(source).replace(GUIDE_URL, gateway.base_url)
    scope: Dict[str, Any] = {"__name__": "__guide_example__"} if namespace is None else namespace
    exec(compile(code, "<guide example>", "exec"), scope)
    return scope


def test_chat_completion(gateway: FakeGateway, capsys: pytest.CaptureFixture[str]) -> None:
    scope = run_example(CHAT_COMPLETION, gateway)
    assert capsys.readouterr().out == "echo: What is Python?\n"
    assert [m["role"] for m in gateway.last.body["messages"]] == ["system", "user"]
    scope["client"].close()


def test_streaming_with_null_finish_reason(gateway: FakeGateway, capsys: pytest.CaptureFixture[str]) -> None:
    scope = run_example(STREAMING, gateway)
    assert capsys.readouterr().out == "echo: Tell me a story."
    assert gateway.last.body["stream"] is True
    scope["client"].close()


def test_streaming_reasoning(gateway: FakeGateway, capsys: pytest.CaptureFixture[str]) -> None:
    run_example(STREAMING_REASONING, gateway)
    assert capsys.readouterr().out == "Let me think about it.echo: Tell me a story."
    assert gateway.last.body["reasoning_format"] == "parsed"


def test_tool_calls(gateway: FakeGateway, capsys: pytest.CaptureFixture[str]) -> None:
    run_example(TOOL_CALLS, gateway)
    assert capsys.readouterr().out == 'get_current_weather {"location": "New York, NY"}\n'
    sent = gateway.last.body["tools"][0]
    assert sent["type"] == "function"
    assert sent["function"]["parameters"]["required"] == ["location"]
    assert sent["function"]["parameters"]["properties"]["unit"]["enum"] == ["celsius", "fahrenheit"]


def test_vision(gateway: FakeGateway) -> None:
    scope = run_example(VISION, gateway)
    content = gateway.last.body["messages"][0]["content"]
    assert content == [
        {"type": "text", "text": "What is in this image?"},
        {"type": "image_url", "image_url": {"url": "https://example.com/image.jpg", "detail": "auto"}},
    ]
    answer = scope["response"].choices[0].message.content.root
    assert answer == "echo: What is in this image? [image: https://example.com/image.jpg]"


def test_reasoning(gateway: FakeGateway, capsys: pytest.CaptureFixture[str]) -> None:
    run_example(REASONING, gateway)
    assert capsys.readouterr().out == (
        "Reasoning: Let me think about it.\nAnswer: echo: How many r are in strawberry?\n"
    )


def test_extra_content_round_trip(gateway: FakeGateway, capsys: pytest.CaptureFixture[str]) -> None:
    scope = run_example(TOOL_CALLS, gateway)
    from inference_gateway import Message

    scope["messages"] = [Message(role="user", content="What is the weather in New York?")]
    scope["run_tool"] = lambda tool_call: "Sunny, 22 C"
    capsys.readouterr()
    run_example(EXTRA_CONTENT, gateway, scope)
    assert capsys.readouterr().out == f"thought_signature: {THOUGHT_SIGNATURE}\n"
    first, follow_up = gateway.requests_to("POST", "/v1/chat/completions")[-2:]
    echoed = follow_up.body["messages"][1]
    assert echoed["role"] == "assistant"
    assert echoed["tool_calls"][0]["extra_content"] == {"google": {"thought_signature": THOUGHT_SIGNATURE}}
    assert f'"thought_signature":"{THOUGHT_SIGNATURE}"'.encode() in follow_up.raw
    assert follow_up.body["messages"][2] == {"role": "tool", "tool_call_id": "call_fake_1", "content": "Sunny, 22 C"}
    assert scope["final"].choices[0].message.content.root == "tool result: Sunny, 22 C"
    assert first.body["model"] == "google/gemini-3-flash"


def test_models_tools_and_health(gateway: FakeGateway, capsys: pytest.CaptureFixture[str]) -> None:
    scope = run_example(MODELS_TOOLS_HEALTH, gateway)
    out = capsys.readouterr().out
    assert "model: openai/gpt-4o -> openai\n" in out
    assert "model: google/gemini-3-flash -> google\n" in out
    assert out.endswith("tool: read_file (server: http://mcp-filesystem-server:8083/mcp)\n")
    assert [m.id for m in scope["openai_models"].data] == ["openai/gpt-4o"]

    from inference_gateway import InferenceGatewayAPIError

    gateway.mcp_exposed = False
    with pytest.raises(InferenceGatewayAPIError, match="not exposed"):
        run_example(MODELS_TOOLS_HEALTH, gateway)
    gateway.healthy = False
    with pytest.raises(RuntimeError, match="gateway is not healthy"):
        run_example(MODELS_TOOLS_HEALTH, gateway)


def test_health_check_false_when_server_down(gateway: FakeGateway) -> None:
    from inference_gateway import InferenceGatewayClient

    with socket.socket() as sock:  # a port nothing listens on once the socket is closed
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    client = InferenceGatewayClient(f"http://127.0.0.1:{port}/v1")
    assert client.health_check() is False
    assert InferenceGatewayClient("http://[::1").health_check() is False  # even a broken URL


def test_proxy(gateway: FakeGateway, capsys: pytest.CaptureFixture[str]) -> None:
    scope = run_example(PROXY, gateway)
    assert scope["embeddings"] == {
        "method": "POST",
        "provider": "openai",
        "path": "embeddings",
        "query": {},
        "body": {"model": "text-embedding-3-small", "input": "Hello world"},
    }
    assert gateway.last.path == "/proxy/openai/embeddings"
    assert capsys.readouterr().out.startswith("{'method': 'POST'")


def test_client_options(gateway: FakeGateway, capsys: pytest.CaptureFixture[str]) -> None:
    gateway.token = "your-api-token"
    scope = run_example(CLIENT_OPTIONS, gateway)
    assert capsys.readouterr().out == "echo: Hello!\n"
    assert gateway.last.headers["authorization"] == "Bearer your-api-token"
    assert scope["client"]._pool._closed
