"""The official inference-gateway 0.22.0: its untyped event loop + ``json.loads`` of each event.

``IGW_OFFICIAL_HTTPX=1`` selects its httpx backend; the default is its default, requests.
"""

from __future__ import annotations

import json
import os

from _harness import MESSAGES, main, model_for
from inference_gateway import InferenceGatewayClient, Message


def make(url: str):  # type: ignore[no-untyped-def]
    client = InferenceGatewayClient(
        url, timeout=60, use_httpx=os.environ.get("IGW_OFFICIAL_HTTPX") == "1"
    )
    messages = [Message(**m) for m in MESSAGES]

    def consume(n_chunks: int):  # type: ignore[no-untyped-def]
        chunks = chars = 0
        for event in client.create_chat_completion_stream(
            model=model_for(n_chunks), messages=messages
        ):
            if not event.data:
                continue
            chunk = json.loads(event.data)
            chunks += 1
            choices = chunk["choices"]
            if choices and choices[0]["delta"].get("content"):
                chars += len(choices[0]["delta"]["content"])
        return chunks, chars

    return consume


if __name__ == "__main__":
    import sys

    main(make(sys.argv[1]))
