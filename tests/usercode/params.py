"""Plain dicts as request arguments, typed by the TypedDicts of `inference_gateway.params`."""

from __future__ import annotations

from inference_gateway import InferenceGatewayClient
from inference_gateway.params import ChatCompletionToolParam, MessageParam

WEATHER: ChatCompletionToolParam = {
    "type": "function",
    "function": {
        "name": "get_weather",
        "description": "Get the current weather in a city.",
        "parameters": {
            "type": "object",
            "properties": {"city": {"type": "string"}},
            "required": ["city"],
        },
    },
}


def ask(client: InferenceGatewayClient, question: str) -> str | None:
    messages: list[MessageParam] = [
        {"role": "system", "content": "You are a helpful assistant."},
        {"role": "user", "content": question},
    ]
    response = client.create_chat_completion(
        model="openai/gpt-4o",
        messages=messages,
        tools=[WEATHER],
        tool_choice="auto",
        response_format={"type": "json_object"},
        stream_options=None,
    )
    message = response.choices[0].message
    for call in message.tool_calls or []:
        messages.append(
            {
                "role": "assistant",
                "tool_calls": [
                    {
                        "id": call.id,
                        "type": "function",
                        "function": {"name": call.function.name, "arguments": call.function.arguments},
                    }
                ],
            }
        )
        messages.append({"role": "tool", "tool_call_id": call.id, "content": "sunny"})
    return message.content if isinstance(message.content, str) else None


def multimodal(client: InferenceGatewayClient) -> None:
    client.create_chat_completion(
        model="openai/gpt-4o",
        messages=[
            {
                "role": "user",
                "content": [
                    {"type": "text", "text": "What is in this image?"},
                    {"type": "image_url", "image_url": {"url": "https://example.com/cat.png", "detail": "low"}},
                ],
            }
        ],
    )


def messages_api(client: InferenceGatewayClient) -> None:
    reply = client.create_message(
        model="anthropic/claude-opus-4-8",
        max_tokens=100,
        messages=[{"role": "user", "content": [{"type": "text", "text": "Hello"}]}],
        tools=[{"name": "get_weather", "input_schema": {"type": "object"}}],
    )
    print(reply.stop_reason)


def responses_api(client: InferenceGatewayClient) -> None:
    response = client.create_response(
        model="openai/gpt-4o",
        input=[{"role": "user", "content": "Hello"}],
        reasoning={"effort": "low"},
    )
    print(response.status)
