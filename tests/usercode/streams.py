"""Typed streams: chunks, text, callbacks, the final completion, raw events."""

from __future__ import annotations

import json

from inference_gateway import CompletionUsage, InferenceGatewayClient, Message
from inference_gateway.models import (
    CreateChatCompletionResponse,
    CreateChatCompletionStreamResponse,
)


def on_finish(completion: CreateChatCompletionResponse) -> None:
    print("done:", completion.choices[0].finish_reason)


def on_usage(usage: CompletionUsage) -> None:
    print("usage:", usage.total_tokens)


def story(client: InferenceGatewayClient) -> str:
    messages = [Message(role="user", content="Tell me a story.")]
    with client.stream_chat_completion(model="deepseek/deepseek-v4-flash", messages=messages) as stream:
        for chunk in stream:
            for choice in chunk.choices:
                if choice.delta.content:
                    print(choice.delta.content, end="", flush=True)
        final = stream.get_final_completion()
        if stream.response is not None:
            print(stream.response.status_code)
    if final.choices[0].finish_reason == "stop":
        print("complete")
    with client.stream_chat_completion(
        model="deepseek/deepseek-v4-flash",
        messages=messages,
        on_content=lambda text: print(text, end=""),
        on_usage=on_usage,
        on_finish=on_finish,
    ) as stream:
        stream.until_done()
    with client.stream_chat_completion(model="deepseek/deepseek-v4-flash", messages=messages) as stream:
        return "".join(stream.text_stream)


def raw_events(client: InferenceGatewayClient) -> None:
    for event in client.create_chat_completion_stream(
        model="deepseek/deepseek-v4-flash",
        messages=[Message(role="user", content="Tell me a story.")],
    ):
        if not event.data:
            continue
        chunk = CreateChatCompletionStreamResponse.model_validate(json.loads(event.data))
        for choice in chunk.choices:
            if choice.delta.content:
                print(choice.delta.content, end="", flush=True)
