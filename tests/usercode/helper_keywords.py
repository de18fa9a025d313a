"""The helpers' keyword arguments are typed like the generated methods' (temperature, provider,
extra_headers, ...), and proxy_request returns typed JSON."""

from __future__ import annotations

from inference_gateway import AsyncInferenceGatewayClient, InferenceGatewayClient, JSONValue
from pydantic import BaseModel


class City(BaseModel):
    name: str
    country: str


def get_weather(city: str) -> str:
    """Get the current weather in a city.

    Args:
        city: The city.
    """
    return f"sunny in {city}"


def chat_stream(client: InferenceGatewayClient) -> str:
    with client.stream_chat_completion(
        model="openai/gpt-4o",
        messages=[{"role": "user", "content": "Tell me a story."}],
        temperature=0.7,
        max_tokens=200,
        provider="openai",
        reasoning_effort="low",
        extra_headers={"X-Team": "core"},
        timeout=30.0,
    ) as stream:
        return "".join(stream.text_stream)


def tool_loop(client: InferenceGatewayClient) -> None:
    result = client.run_tools(
        model="openai/gpt-4o",
        messages=[{"role": "user", "content": "Weather in Paris?"}],
        tools=[get_weather],
        temperature=0.0,
        parallel_tool_calls=False,
    )
    print(result.content)


def responses_stream(client: InferenceGatewayClient) -> None:
    with client.stream_response(
        "openai/gpt-4o",
        "Say hello",
        instructions="Be brief.",
        max_output_tokens=50,
        tools=[get_weather],
        on_text=print,
    ) as stream:
        print(stream.get_final_text())
    for event in client.create_response_stream("openai/gpt-4o", "Hi", temperature=0.2):
        print(event.type)


def messages_stream(client: InferenceGatewayClient) -> None:
    with client.stream_message(
        "anthropic/claude-opus-4-8",
        [{"role": "user", "content": "Say hello"}],
        100,
        system="Be brief.",
        temperature=0.5,
    ) as stream:
        print(stream.get_final_message().stop_reason)
    for event in client.create_message_stream(
        "anthropic/claude-opus-4-8", [{"role": "user", "content": "Hi"}], 50, top_k=5
    ):
        print(event.type)


def structured(client: InferenceGatewayClient) -> City | None:
    if not client.health_check(timeout=2.0, extra_headers={"X-Probe": "1"}):
        return None
    completion = client.parse_chat_completion(
        "openai/gpt-4o",
        [{"role": "user", "content": "Name a city."}],
        response_format=City,
        temperature=0.0,
        seed=1,
    )
    return completion.choices[0].message.parsed


def models_of(client: InferenceGatewayClient) -> list[str]:
    body: JSONValue = client.proxy_request("openai", "v1/models", extra_query={"limit": "5"})
    if not isinstance(body, dict):
        return []
    data = body.get("data")
    ids: list[str] = []
    for item in data if isinstance(data, list) else []:
        if isinstance(item, dict) and isinstance(item.get("id"), str):
            ids.append(str(item["id"]))
    return ids


async def async_stream(client: AsyncInferenceGatewayClient) -> None:
    async with client.stream_chat_completion(
        model="openai/gpt-4o", messages=[{"role": "user", "content": "Hi"}], temperature=0.1
    ) as stream:
        async for text in stream.text_stream:
            print(text, end="")
