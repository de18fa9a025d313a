"""Mistakes the type checkers must report (each line names the error it expects: mypy's
`warn_unused_ignores` and pyright's `reportUnnecessaryTypeIgnoreComment` fail the lint if one
is not reported, so this file cannot pass vacuously)."""

from __future__ import annotations

from inference_gateway import InferenceGatewayClient, JSONValue


def mistakes(client: InferenceGatewayClient) -> None:
    client.create_chat_completion(
        model="openai/gpt-4o",
        messages=[{"role": "user", "content": "hi"}],
        temprature=0.2,  # type: ignore[call-arg]  # pyright: ignore[reportCallIssue]
    )
    client.create_chat_completion(
        model="openai/gpt-4o",
        messages=[{"role": "user", "contnet": "hi"}],  # type: ignore[list-item]  # pyright: ignore[reportArgumentType]
    )
    client.create_chat_completion(
        model="openai/gpt-4o",
        messages=[{"role": "narrator", "content": "hi"}],  # type: ignore[list-item]  # pyright: ignore[reportArgumentType]
    )
    client.stream_chat_completion(
        model="openai/gpt-4o",
        messages=[{"role": "user", "content": "hi"}],
        temprature=0.2,  # type: ignore[call-arg]  # pyright: ignore[reportCallIssue]
    )
    client.stream_response("openai/gpt-4o", "hi", max_tokens=5)  # type: ignore[call-arg]  # pyright: ignore[reportCallIssue]
    client.stream_message(
        "anthropic/claude-opus-4-8", [{"role": "user", "content": "hi"}], 10, temperature="hot"  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]
    )
    client.health_check(timout=2.0)  # type: ignore[call-arg]  # pyright: ignore[reportCallIssue]
    client.run_tools(model="m", messages=[], tools=[], stream=True)  # type: ignore[call-arg]  # pyright: ignore[reportCallIssue]
    # JSON of any shape: narrow it (isinstance) before using it as a dict
    body: dict[str, JSONValue] = client.proxy_request("openai", "v1/models")  # type: ignore[assignment]  # pyright: ignore[reportAssignmentType]
    print(body)
