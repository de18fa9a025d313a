"""Chat completions: messages as models and as dicts, plain values, explicit extras."""

from __future__ import annotations

from inference_gateway import NOT_GIVEN, InferenceGatewayClient, Message
from inference_gateway.models import CreateChatCompletionResponse


def ask(client: InferenceGatewayClient, question: str) -> str:
    response: CreateChatCompletionResponse = client.create_chat_completion(
        model="deepseek/deepseek-v4-flash",
        messages=[
            Message(role="system", content="You are a helpful assistant."),
            {"role": "user", "content": question},
        ],
        temperature=0.2,
        max_tokens=NOT_GIVEN,
        extra_body={"top_k": 5},
        extra_headers={"X-Team": "core"},
        timeout=30.0,
    )
    choice = response.choices[0]
    if choice.finish_reason == "length":
        print("cut short")
    if choice.message.role == "assistant" and isinstance(choice.message.content, str):
        return choice.message.content
    return ""


def list_served_by(client: InferenceGatewayClient) -> list[str]:
    return [str(model.served_by) for model in client.list_models(provider="openai").data]


if __name__ == "__main__":
    print(ask(InferenceGatewayClient("http://localhost:8080/v1"), "What is Python?"))
