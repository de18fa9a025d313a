"""Tool calls: definitions from functions, typed arguments, the tool loop."""

from __future__ import annotations

from inference_gateway import InferenceGatewayClient, Message, parse_arguments, tool_from_function
from pydantic import BaseModel


def get_current_weather(location: str, unit: str = "celsius") -> str:
    """Get the current weather in a given location.

    Args:
        location: The city and state, e.g. San Francisco, CA
        unit: celsius or fahrenheit
    """
    return f"22 degrees {unit} in {location}"


class WeatherArgs(BaseModel):
    location: str
    unit: str = "celsius"


def one_round(client: InferenceGatewayClient) -> None:
    tools = [tool_from_function(get_current_weather)]
    messages = [Message(role="user", content="What is the weather in Paris?")]
    response = client.create_chat_completion(model="google/gemini-3-flash", messages=messages, tools=tools)
    assistant = response.choices[0].message
    if response.choices[0].finish_reason == "tool_calls":
        messages.append(assistant)
        for call in assistant.tool_calls or []:
            args = parse_arguments(call, WeatherArgs)
            messages.append(Message(role="tool", tool_call_id=call.id, content=get_current_weather(args.location)))
    final = client.create_chat_completion(model="google/gemini-3-flash", messages=messages, tools=tools)
    print(final.choices[0].message.content)


def loop(client: InferenceGatewayClient) -> None:
    result = client.run_tools(
        model="google/gemini-3-flash",
        messages=[Message(role="user", content="What is the weather in Paris?")],
        tools=[get_current_weather],
        max_rounds=5,
    )
    print(result.message.content, len(result.messages), result.rounds)
    for message in result.messages:
        role = message.role if isinstance(message, Message) else message.get("role")
        print(role)
