"""Ours: ``client.stream_chat_completion(...)``, typed ``CreateChatCompletionStreamResponse`` chunks.

Runs with the project's venv and ``generated/`` on the path.
"""

from __future__ import annotations

from _harness import MESSAGES, main, model_for
from inference_gateway import InferenceGatewayClient, Message


def make(url: str):  # type: ignore[no-untyped-def]
    client = InferenceGatewayClient(url, timeout=60)
    messages = [Message(**m) for m in MESSAGES]

    def consume(n_chunks: int):  # type: ignore[no-untyped-def]
        chunks = chars = 0
        with client.stream_chat_completion(model=model_for(n_chunks), messages=messages) as stream:
            for chunk in stream:
                chunks += 1
                if chunk.choices and chunk.choices[0].delta.content:
                    chars += len(chunk.choices[0].delta.content)
        return chunks, chars

    return consume


if __name__ == "__main__":
    import sys

    main(make(sys.argv[1]))
