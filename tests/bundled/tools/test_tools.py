"""Typed tool arguments, tool definitions from functions and models, image parts."""

from __future__ import annotations

import base64
import enum
from dataclasses import dataclass
from pathlib import Path
from typing import List, Optional

import pytest
from inference_gateway.lib import (
    ToolArgumentsError,
    detect_image_mime,
    image_part_from_bytes,
    image_part_from_file,
    parse_arguments,
    tool_from_function,
    tool_from_model,
)
from inference_gateway.models import ChatCompletionMessageToolCall, ImageContentPart
from pydantic import BaseModel, Field
from typing_extensions import TypedDict


class Unit(str, enum.Enum):
    celsius = "celsius"
    fahrenheit = "fahrenheit"


class WeatherArgs(BaseModel):
    """Get the current weather in a given location."""

    location: str = Field(description="The city and state, e.g. San Francisco, CA")
    unit: Unit = Unit.celsius


@dataclass
class WeatherDC:
    location: str
    unit: str = "celsius"


class WeatherTD(TypedDict):
    location: str
    days: int


def call(arguments: str, name: str = "get_current_weather") -> ChatCompletionMessageToolCall:
    return ChatCompletionMessageToolCall.model_validate(
        {"id": "call_1", "type": "function", "function": {"name": name, "arguments": arguments}}
    )


def test_parse_arguments_into_model_dataclass_typeddict() -> None:
    tool_call = call('{"location": "Paris", "unit": "fahrenheit", "days": 3}')
    model = parse_arguments(tool_call.function, WeatherArgs)
    assert model == WeatherArgs(location="Paris", unit=Unit.fahrenheit)
    assert parse_arguments(tool_call, WeatherDC) == WeatherDC("Paris", "fahrenheit")
    assert parse_arguments(tool_call, WeatherTD) == {"location": "Paris", "days": 3}
    assert parse_arguments({"name": "x", "arguments": '{"location": "Rome"}'}, WeatherDC).location == "Rome"


def test_bad_arguments_name_the_tool_and_the_field() -> None:
    with pytest.raises(ToolArgumentsError) as info:
        parse_arguments(call('{"unit": "kelvin"}'), WeatherArgs)
    message = str(info.value)
    assert "get_current_weather" in message
    assert "location" in message and "unit" in message
    assert info.value.tool == "get_current_weather"
    assert {e["loc"][0] for e in info.value.errors} == {"location", "unit"}


def test_invalid_json_arguments() -> None:
    with pytest.raises(ToolArgumentsError, match=r"'lookup': arguments are not valid JSON"):
        parse_arguments(call('{"location": ', name="lookup"), WeatherArgs)


def test_empty_arguments_mean_no_arguments() -> None:
    class NoArgs(BaseModel):
        pass

    assert parse_arguments(call(""), NoArgs) == NoArgs()


def search(query: str, limit: int = 5, tags: Optional[List[str]] = None, *, exact: bool = False) -> str:
    """Search the documentation.

    Looks through every page.

    Args:
        query: What to look for.
        limit (int): How many results
            to return at most.
        tags: Only pages with these tags.
        exact: Match the whole phrase.

    Returns:
        The matching pages.
    """
    return query


def numpy_style(city: str, days: int) -> str:
    """Forecast for a city.

    Parameters
    ----------
    city : str
        Name of the city.
    days : int
        Number of days.
    """
    return city


def test_tool_from_function_google_docstring() -> None:
    tool = tool_from_function(search)
    dumped = tool.model_dump(mode="json", exclude_unset=True)
    function = dumped["function"]
    assert dumped["type"] == "function"
    assert function["name"] == "search"
    assert function["description"] == "Search the documentation.\n\nLooks through every page."
    params = function["parameters"]
    assert params["type"] == "object"
    assert params["required"] == ["query"]
    props = params["properties"]
    assert props["query"] == {"type": "string", "description": "What to look for."}
    assert props["limit"]["description"] == "How many results to return at most."
    assert props["limit"]["default"] == 5 and props["limit"]["type"] == "integer"
    assert props["tags"]["description"] == "Only pages with these tags."
    assert props["exact"]["type"] == "boolean"
    assert "title" not in params


def test_tool_from_function_numpy_docstring_and_overrides() -> None:
    tool = tool_from_function(numpy_style, name="forecast", description="Weather ahead.", strict=True)
    function = tool.model_dump(mode="json", exclude_unset=True)["function"]
    assert (function["name"], function["description"], function["strict"]) == (
        "forecast",
        "Weather ahead.",
        True,
    )
    props = function["parameters"]["properties"]
    assert props["city"]["description"] == "Name of the city."
    assert props["days"]["description"] == "Number of days."


def test_tool_from_model() -> None:
    tool = tool_from_model(WeatherArgs)
    function = tool.model_dump(mode="json", exclude_unset=True)["function"]
    assert function["name"] == "weather_args"
    assert function["description"] == "Get the current weather in a given location."
    params = function["parameters"]
    assert params["required"] == ["location"]
    assert params["properties"]["location"]["description"].startswith("The city")
    assert "$defs" in params  # the enum, referenced as JSON Schema allows


PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg=="
)


@pytest.mark.parametrize(
    "data, mime",
    [
        (PNG, "image/png"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", "image/jpeg"),
        (b"GIF89a\x01\x00", "image/gif"),
        (b"RIFF\x24\x00\x00\x00WEBPVP8 ", "image/webp"),
        (b"<svg xmlns='http://www.w3.org/2000/svg'/>", "image/svg+xml"),
    ],
)
def test_mime_from_magic_bytes(data: bytes, mime: str) -> None:
    assert detect_image_mime(data) == mime
    part = image_part_from_bytes(data)
    assert part.image_url.url == f"data:{mime};base64,{base64.b64encode(data).decode()}"


def test_image_part_from_file(tmp_path: Path) -> None:
    path = tmp_path / "pixel.png"
    path.write_bytes(PNG)
    part = image_part_from_file(path, detail="low")
    assert isinstance(part, ImageContentPart)
    assert part.type == "image_url"
    assert part.image_url.url.startswith("data:image/png;base64,iVBORw0KGgo")
    assert str(getattr(part.image_url.detail, "value", part.image_url.detail)) == "low"
    # the extension is the fallback when the bytes say nothing
    odd = tmp_path / "scan.bmp"
    odd.write_bytes(b"\x00\x01unknown")
    assert image_part_from_file(odd).image_url.url.startswith("data:image/bmp;base64,")


def test_unknown_image_type_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_bytes(b"hello")
    with pytest.raises(ValueError, match=r"notes\.txt"):
        image_part_from_file(path)
    assert image_part_from_file(path, mime="image/png").image_url.url.startswith("data:image/png;")
