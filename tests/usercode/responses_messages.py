"""The Responses and Messages APIs: one request each, values read plainly."""

from __future__ import annotations

from inference_gateway import InferenceGatewayClient


def respond(client: InferenceGatewayClient) -> None:
    response = client.create_response(
        model="openai/gpt-4o",
        input="Say hello",
        instructions="Be brief.",
        max_output_tokens=50,
    )
    if response.status == "completed":
        print(response.id, response.usage)


def message(client: InferenceGatewayClient) -> None:
    reply = client.create_message(
        model="anthropic/claude-opus-4-8",
        messages=[{"role": "user", "content": "Say hello"}],
        max_tokens=50,
        system="Be brief.",
    )
    print(reply.id, reply.stop_reason)
