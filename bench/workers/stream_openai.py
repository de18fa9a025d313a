"""The openai package: its typed stream (``chat.completions.create(stream=True)``)."""

from __future__ import annotations

from _harness import MESSAGES, main, model_for
from openai import OpenAI


def make(url: str):  # type: ignore[no-untyped-def]
    client = OpenAI(base_url=url, api_key="bench", timeout=60, max_retries=0)

    def consume(n_chunks: int):  # type: ignore[no-untyped-def]
        chunks = chars = 0
        stream = client.chat.completions.create(
            model=model_for(n_chunks), messages=MESSAGES, stream=True
        )
        for chunk in stream:
            chunks += 1
            if chunk.choices and chunk.choices[0].delta.content:
                chars += len(chunk.choices[0].delta.content)
        return chunks, chars

    return consume


if __name__ == "__main__":
    import sys

    main(make(sys.argv[1]))
