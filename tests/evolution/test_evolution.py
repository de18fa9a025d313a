"""Spec bumps that bring new kinds of API produce a working SDK with no code change.

Each evolution spec (tests/evolution/specs) is generated with the real CLI into a temp dir under
its own package name, imported, and its methods are called against a recording HTTP server on
127.0.0.1: what arrives on the wire (method, path, query, headers, body) and what the method
returns are both checked, for the sync and the async client.
"""

from __future__ import annotations

import inspect
from pathlib import Path
from types import ModuleType
from typing import Any, Callable, Dict, List, Tuple

import pytest
import yaml

from generator import names
from generator.diff import diff_files
from tests.evolution.conftest import SPECS, VERSIONS
from tests.evolution.server import RecordingServer

SdkFactory = Callable[[str], ModuleType]
HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


def expected_methods(version: str) -> List[Tuple[str, bool]]:
    """(method name, streams?) for every operation, by the generator's own name rules."""
    spec = yaml.safe_load((SPECS / f"{version}.yaml").read_text())
    found: List[Tuple[str, bool]] = []
    taken: set = set()
    for path, item in spec["paths"].items():
        for method in HTTP_METHODS:
            op = item.get(method)
            if op is None:
                continue
            name = names.method_name(op.get("operationId"), method, path, taken)
            taken.add(name)
            content = {}
            for code, response in op["responses"].items():
                if str(code).startswith("2"):
                    content.update(response.get("content") or {})
            found.append((name, "text/event-stream" in content))
    return found


@pytest.mark.parametrize("version", VERSIONS)
def test_every_operation_has_sync_async_and_stream_methods(
    evolution_sdk: SdkFactory, version: str
) -> None:
    sdk = evolution_sdk(version)
    sync_cls, async_cls = sdk.InferenceGatewayClient, sdk.AsyncInferenceGatewayClient
    methods = expected_methods(version)
    assert methods, version
    for name, streams in methods:
        assert callable(getattr(sync_cls, name, None)), f"{version}: no sync method {name}"
        assert not inspect.iscoroutinefunction(getattr(sync_cls, name))
        assert inspect.iscoroutinefunction(getattr(async_cls, name, None)), (
            f"{version}: no async {name}"
        )
        for cls in (sync_cls, async_cls):
            assert hasattr(cls, f"{name}_stream") is streams, (
                f"{version}: {name}_stream on {cls.__name__}"
            )


# --------------------------------------------------------------------------- v0: no operationIds


def test_v0_derived_names_work_on_the_wire(
    evolution_sdk: SdkFactory, server: RecordingServer
) -> None:
    sdk = evolution_sdk("v0_no_operation_ids")
    with sdk.InferenceGatewayClient(base_url=server.base_url) as client:
        server.reply(json_body={"object": "list", "data": [{"id": "gpt-4o", "owned_by": "openai"}]})
        models = client.get_v1_models(provider="groq")
        assert (server.last.method, server.last.raw_path) == ("GET", "/v1/models")
        assert server.last.query == {"provider": ["groq"]}
        assert models.data[0].id == "gpt-4o"

        server.reply(
            json_body={
                "id": "c1",
                "choices": [{"index": 0, "message": {"role": "assistant", "content": "hi"}}],
            }
        )
        done = client.post_v1_chat_completions(
            "m", [{"role": "user", "content": "hello"}], temperature=0.2
        )
        assert server.last.json() == {
            "model": "m",
            "messages": [{"role": "user", "content": "hello"}],
            "temperature": 0.2,
        }
        assert done.choices[0].message.content == "hi"

        server.reply(json_body={"ok": True})
        assert client.get_proxy_by_provider_by_path("ollama", "api/tags") == {"ok": True}
        assert server.last.raw_path == "/proxy/ollama/api/tags"

        server.reply(status=200, body=b"")
        assert client.get_health() is None


def test_v0_chat_stream_stops_at_done(evolution_sdk: SdkFactory, server: RecordingServer) -> None:
    sdk = evolution_sdk("v0_no_operation_ids")
    server.reply(events=['{"n": 1}', '{"n": 2}', "[DONE]", '{"n": "after done"}'])
    client = sdk.InferenceGatewayClient(base_url=server.base_url)
    with (
        client,
        client.post_v1_chat_completions_stream("m", [{"role": "user", "content": "x"}]) as stream,
    ):
        data = [event.data for event in stream]
    assert data == ['{"n": 1}', '{"n": 2}']
    assert server.last.json()["stream"] is True
    assert server.last.headers["accept"].startswith("text/event-stream")


# --------------------------------------------------------------------------- v1: Responses, Messages


RESPONSE = {
    "id": "resp_1",
    "object": "response",
    "status": "completed",
    "output": [
        {"type": "function_call", "call_id": "call_1", "name": "lookup", "arguments": "{}"},
        {
            "type": "message",
            "id": "msg_1",
            "role": "assistant",
            "content": [{"type": "output_text", "text": "done"}],
        },
    ],
    "usage": {"input_tokens": 3, "output_tokens": 5},
}


def test_v1_responses_api_unions_and_discriminators(
    evolution_sdk: SdkFactory, server: RecordingServer
) -> None:
    sdk = evolution_sdk("v1_responses_messages")
    models = sdk.models
    with sdk.InferenceGatewayClient(base_url=server.base_url) as client:
        server.reply(json_body=RESPONSE)
        items = [
            models.InputMessage(type="message", role="user", content="look it up"),
            {"type": "function_call_output", "call_id": "call_0", "output": "42"},
        ]
        response = client.create_response(
            "gpt-4o", items, metadata={"trace": "t1"}, instructions=None
        )
        assert (server.last.method, server.last.raw_path) == ("POST", "/v1/responses")
        assert server.last.json() == {
            "model": "gpt-4o",
            "input": [
                {"type": "message", "role": "user", "content": "look it up"},
                {"type": "function_call_output", "call_id": "call_0", "output": "42"},
            ],
            "metadata": {"trace": "t1"},
            "instructions": None,  # an explicit None is sent as null; leaving it out omits it
        }
        # the discriminator picks the right model for each output item
        kinds = [type(item.root).__name__ for item in response.output]
        assert kinds == ["FunctionCall", "OutputMessage"]
        assert response.output[1].root.content[0].text == "done"

        server.reply(json_body=RESPONSE)
        client.create_response("gpt-4o", "just a string")
        assert server.last.json()["input"] == "just a string"


def test_v1_path_and_array_query_parameters(
    evolution_sdk: SdkFactory, server: RecordingServer
) -> None:
    sdk = evolution_sdk("v1_responses_messages")
    with sdk.InferenceGatewayClient(base_url=server.base_url) as client:
        server.reply(json_body=RESPONSE)
        got = client.get_response("resp/1 x", include=["usage", "output"], starting_after=3)
        assert server.last.raw_path == "/v1/responses/resp/1%20x"
        assert server.last.query == {"include": ["usage", "output"], "starting_after": ["3"]}
        assert got.id == "resp_1"

        server.reply(status=204, body=b"")
        assert client.delete_response("resp_1") is None
        assert (server.last.method, server.last.raw_path) == ("DELETE", "/v1/responses/resp_1")


@pytest.mark.asyncio
async def test_v3_query_arrays_keep_their_style(
    evolution_sdk: SdkFactory, server: RecordingServer
) -> None:
    """`explode: false` arrays go as one comma-joined value, `pipeDelimited` ones joined by `|`,
    the default (exploded) ones as repeated keys: on both clients."""
    sdk = evolution_sdk("v3_audio_streams_uploads")
    expected = {"include": ["usage", "output"], "select": ["id,usage"], "tags": ["1|22"]}
    with sdk.InferenceGatewayClient(base_url=server.base_url) as client:
        server.reply(json_body=RESPONSE)
        client.get_response("r1", include=["usage", "output"], select=["id", "usage"], tags=[1, 22])
        assert server.last.query == expected
        server.reply(json_body=RESPONSE)
        client.get_response("r1", select=["output"], extra_query={"tags": "raw"})
        assert server.last.query == {"select": ["output"], "tags": ["raw"]}
    async with sdk.AsyncInferenceGatewayClient(base_url=server.base_url) as aclient:
        server.reply(json_body=RESPONSE)
        await aclient.get_response("r1", include=["usage", "output"], select=["id", "usage"], tags=[1, 22])
        assert server.last.query == expected


def test_v1_responses_stream(evolution_sdk: SdkFactory, server: RecordingServer) -> None:
    sdk = evolution_sdk("v1_responses_messages")
    events = [
        ("response.output_text.delta", '{"type": "response.output_text.delta", "delta": "he"}'),
        ("response.output_text.delta", '{"type": "response.output_text.delta", "delta": "llo"}'),
        ("response.completed", '{"type": "response.completed"}'),
    ]  # Responses API streams end after response.completed, without [DONE]
    server.reply(events=events)
    client = sdk.InferenceGatewayClient(base_url=server.base_url)
    with client, client.create_response_stream("gpt-4o", "hi") as stream:
        got = [(event.event, event.data) for event in stream]
    assert [name for name, _ in got] == [
        "response.output_text.delta",
        "response.output_text.delta",
        "response.completed",
    ]
    assert server.last.json() == {"model": "gpt-4o", "input": "hi", "stream": True}


MESSAGE = {
    "id": "msg_1",
    "type": "message",
    "role": "assistant",
    "model": "claude",
    "content": [{"type": "text", "text": "hello"}],
    "stop_reason": None,
}


def test_v1_messages_api_header_parameters(
    evolution_sdk: SdkFactory, server: RecordingServer
) -> None:
    sdk = evolution_sdk("v1_responses_messages")
    blocks = [
        {"type": "text", "text": "what is this?"},
        {"type": "image", "source": {"type": "base64", "media_type": "image/png", "data": "iVBOR"}},
    ]
    with sdk.InferenceGatewayClient(base_url=server.base_url) as client:
        server.reply(json_body=MESSAGE)
        message = client.create_message(
            "claude", 64, [{"role": "user", "content": blocks}], anthropic_version="2023-06-01"
        )
        assert server.last.headers["anthropic-version"] == "2023-06-01"
        assert "anthropic-beta" not in server.last.headers  # None is not sent
        assert server.last.json()["messages"][0]["content"] == blocks
        assert type(message.content[0].root).__name__ == "TextBlock"
        assert message.stop_reason is None

        server.reply(json_body=MESSAGE)
        client.create_message(
            "claude", 64, [], anthropic_version="2023-06-01", anthropic_beta="tools-2024"
        )
        assert server.last.headers["anthropic-beta"] == "tools-2024"

        with pytest.raises(TypeError):  # a required header parameter is a required argument
            client.create_message("claude", 64, [])  # type: ignore[call-arg]


def test_v1_messages_stream_ends_without_done(
    evolution_sdk: SdkFactory, server: RecordingServer
) -> None:
    """Anthropic-style streams end with message_stop, not [DONE] (no extension needed)."""
    sdk = evolution_sdk("v1_responses_messages")
    events = [
        ("message_start", '{"type": "message_start"}'),
        ("content_block_delta", '{"type": "content_block_delta", "delta": {"text": "hi"}}'),
        ("message_stop", '{"type": "message_stop"}'),
    ]
    server.reply(events=events)
    with sdk.InferenceGatewayClient(base_url=server.base_url) as client:
        stream = client.create_message_stream("claude", 16, [], anthropic_version="2023-06-01")
        with stream:
            names_seen = [event.event for event in stream]
    assert names_seen == ["message_start", "content_block_delta", "message_stop"]
    assert server.last.json()["stream"] is True
    assert server.last.headers["anthropic-version"] == "2023-06-01"


def test_v1_metrics_text_plain(evolution_sdk: SdkFactory, server: RecordingServer) -> None:
    sdk = evolution_sdk("v1_responses_messages")
    text = "# HELP requests_total Requests\nrequests_total 7\n"
    server.reply(body=text.encode(), content_type="text/plain; version=0.0.4")
    with sdk.InferenceGatewayClient(base_url=server.base_url) as client:
        assert client.get_metrics() == text


async def test_v1_async_client(evolution_sdk: SdkFactory, server: RecordingServer) -> None:
    sdk = evolution_sdk("v1_responses_messages")
    async with sdk.AsyncInferenceGatewayClient(base_url=server.base_url) as client:
        server.reply(json_body=MESSAGE)
        message = await client.create_message("claude", 8, [], anthropic_version="v")
        assert message.id == "msg_1" and server.last.headers["anthropic-version"] == "v"
        server.reply(events=[("message_start", "{}"), ("message_stop", "{}")])
        stream = client.create_message_stream("claude", 8, [], anthropic_version="v")
        async with stream:
            seen = [event.event async for event in stream]
        assert seen == ["message_start", "message_stop"]
        server.reply(body=b"up 1\n", content_type="text/plain")
        assert await client.get_metrics() == "up 1\n"


# --------------------------------------------------------------------------- v2: images, binary

PNG = b"\x89PNG\r\n\x1a\n\x00\x01\x02\xff\xfe binary \x00"
IMAGES = {"created": 1, "data": [{"url": "http://img/1.png"}]}


def test_v2_models_re_added_with_path_and_header(
    evolution_sdk: SdkFactory, server: RecordingServer
) -> None:
    sdk = evolution_sdk("v2_images_binary")
    with sdk.InferenceGatewayClient(base_url=server.base_url) as client:
        server.reply(json_body={"data": [{"id": "a"}]})
        assert [m.id for m in client.list_models(provider="anthropic").data] == ["a"]
        server.reply(json_body={"id": "ollama/llama3"})
        model = client.retrieve_model("ollama/llama3", x_request_id="req-9")
        assert server.last.raw_path == "/v1/models/ollama/llama3"
        assert server.last.headers["x-request-id"] == "req-9"
        assert model.id == "ollama/llama3"


def test_v2_image_generation_json(evolution_sdk: SdkFactory, server: RecordingServer) -> None:
    sdk = evolution_sdk("v2_images_binary")
    with sdk.InferenceGatewayClient(base_url=server.base_url) as client:
        server.reply(json_body=IMAGES)
        images = client.create_image("a cat", size="512x512", n=2)
        assert server.last.json() == {"prompt": "a cat", "size": "512x512", "n": 2}
        assert images.data[0].url == "http://img/1.png"


def _assert_image_edit(parts: Dict[str, Tuple[Any, bytes]]) -> None:
    assert parts["image"][1] == PNG and parts["image"][0] is not None  # a file part
    assert parts["prompt"] == (None, b"add a hat")  # a plain form field
    assert parts["n"] == (None, b"2")


def test_v2_multipart_image_edit(evolution_sdk: SdkFactory, server: RecordingServer) -> None:
    sdk = evolution_sdk("v2_images_binary")
    with sdk.InferenceGatewayClient(base_url=server.base_url) as client:
        server.reply(json_body=IMAGES)
        client.create_image_edit(("cat.png", PNG, "image/png"), "add a hat", n=2)
    assert server.last.headers["content-type"].startswith("multipart/form-data; boundary=")
    _assert_image_edit(server.last.multipart())


def test_v2_multipart_file_parts(evolution_sdk: SdkFactory, server: RecordingServer) -> None:
    """Binary parts arrive intact as files, sync and async share the request building."""
    sdk = evolution_sdk("v2_images_binary")
    with sdk.InferenceGatewayClient(base_url=server.base_url) as client:
        server.reply(json_body=IMAGES)
        result = client.create_image_variation(("cat.png", PNG, "image/png"))
    parts = server.last.multipart()
    assert parts["image"] == ("cat.png", PNG)
    assert result.created == 1


async def test_v2_multipart_async(evolution_sdk: SdkFactory, server: RecordingServer) -> None:
    sdk = evolution_sdk("v2_images_binary")
    async with sdk.AsyncInferenceGatewayClient(base_url=server.base_url) as client:
        server.reply(json_body=IMAGES)
        await client.create_image_edit(("cat.png", PNG, "image/png"), "add a hat", n=2)
    _assert_image_edit(server.last.multipart())


def test_v2_binary_upload(evolution_sdk: SdkFactory, server: RecordingServer) -> None:
    sdk = evolution_sdk("v2_images_binary")
    with sdk.InferenceGatewayClient(base_url=server.base_url) as client:
        server.reply(json_body={"id": "file-1", "bytes": len(PNG)})
        stored = client.upload_file_content("file-1", body=PNG)
    assert (server.last.method, server.last.raw_path, server.last.body) == (
        "PUT",
        "/v1/files/file-1/content",
        PNG,
    )
    assert stored.bytes == len(PNG)


def test_v2_binary_upload_content_type(evolution_sdk: SdkFactory, server: RecordingServer) -> None:
    sdk = evolution_sdk("v2_images_binary")
    with sdk.InferenceGatewayClient(base_url=server.base_url) as client:
        server.reply(json_body={"id": "file-1", "bytes": 1})
        client.upload_file_content("file-1", body=b"x")
    assert server.last.headers.get("content-type") == "application/octet-stream"


def test_v2_binary_download(evolution_sdk: SdkFactory, server: RecordingServer) -> None:
    sdk = evolution_sdk("v2_images_binary")
    with sdk.InferenceGatewayClient(base_url=server.base_url) as client:
        server.reply(body=PNG, content_type="application/octet-stream")
        assert client.download_file_content("file-1") == PNG


# ------------------------------------------------------ v3: multipart uploads, named event streams

WAV = b"RIFF\x24\x00\x00\x00WAVEfmt \x00\xff\x00binary"


def test_v3_multipart_with_an_array_field_and_optional_fields_left_out(
    evolution_sdk: SdkFactory, server: RecordingServer
) -> None:
    sdk = evolution_sdk("v3_audio_streams_uploads")
    with sdk.InferenceGatewayClient(base_url=server.base_url) as client:
        server.reply(json_body={"text": "hello there"})
        result = client.create_transcription(
            body={
                "file": ("talk.wav", WAV, "audio/wav"),
                "model": "whisper-1",
                "timestamp_granularities": ["word", "segment"],
                "prompt": None,  # None is not sent
            }
        )
    assert result.text == "hello there"
    assert server.last.raw_path == "/v1/audio/transcriptions"
    parts = server.last.multipart_parts()  # form fields first, then files (httpx's order)
    assert sorted(parts) == [
        ("file", "talk.wav", WAV),
        ("model", None, b"whisper-1"),
        ("timestamp_granularities", None, b"segment"),
        ("timestamp_granularities", None, b"word"),
    ]
    assert [p for p in parts if p[0] == "timestamp_granularities"] == [
        ("timestamp_granularities", None, b"word"),
        ("timestamp_granularities", None, b"segment"),
    ]


# An event stream as servers write it: named events, ids, a comment (keep-alive), a retry hint,
# data split over several lines (joined with a newline), CRLF line ends, no [DONE].
TRANSCRIPT_STREAM = (
    b": keep-alive\r\n\r\n"
    b"retry: 1500\r\n"
    b"id: 1\r\nevent: transcript.text.delta\r\n"
    b'data: {"type": "transcript.text.delta",\r\ndata:  "delta": "hel"}\r\n\r\n'
    b"id: 2\nevent: transcript.text.delta\n"
    b'data: {"type": "transcript.text.delta", "delta": "lo"}\n\n'
    b"id: 3\nevent: transcript.text.done\n"
    b'data: {"type": "transcript.text.done", "text": "hello"}\n\n'
)
EXPECTED_EVENTS = [
    ("1", "transcript.text.delta", '{"type": "transcript.text.delta",\n "delta": "hel"}'),
    ("2", "transcript.text.delta", '{"type": "transcript.text.delta", "delta": "lo"}'),
    ("3", "transcript.text.done", '{"type": "transcript.text.done", "text": "hello"}'),
]


def test_v3_multipart_request_with_a_named_event_stream_response(
    evolution_sdk: SdkFactory, server: RecordingServer
) -> None:
    sdk = evolution_sdk("v3_audio_streams_uploads")
    server.reply(body=TRANSCRIPT_STREAM, content_type="text/event-stream")
    client = sdk.InferenceGatewayClient(base_url=server.base_url)
    body = {"file": ("talk.wav", WAV, "audio/wav"), "model": "whisper-1", "stream": True}
    with client, client.create_transcription_stream(body=body) as stream:
        got = [(event.id, event.event, event.data) for event in stream]
    assert got == EXPECTED_EVENTS
    parsed = [sdk.models.TranscriptionStreamEvent.model_validate_json(data) for _, _, data in got]
    assert "".join(e.delta or "" for e in parsed) == "hello" and parsed[-1].text == "hello"
    assert server.last.headers["accept"].startswith("text/event-stream")
    parts = {name: (filename, payload) for name, filename, payload in server.last.multipart_parts()}
    assert parts["file"] == ("talk.wav", WAV) and parts["stream"] == (None, b"true")


async def test_v3_named_event_stream_async(evolution_sdk: SdkFactory, server: RecordingServer) -> None:
    sdk = evolution_sdk("v3_audio_streams_uploads")
    server.reply(body=TRANSCRIPT_STREAM, content_type="text/event-stream")
    async with sdk.AsyncInferenceGatewayClient(base_url=server.base_url) as client:
        body = {"file": ("talk.wav", WAV, "audio/wav"), "model": "whisper-1", "stream": True}
        stream = client.create_transcription_stream(body=body)
        async with stream:
            got = [(event.id, event.event, event.data) async for event in stream]
    assert got == EXPECTED_EVENTS


def test_v3_multipart_array_of_files(evolution_sdk: SdkFactory, server: RecordingServer) -> None:
    """An array of binary parts sends one file part per item, under the same name, in order."""
    sdk = evolution_sdk("v3_audio_streams_uploads")
    with sdk.InferenceGatewayClient(base_url=server.base_url) as client:
        server.reply(json_body={"ids": ["f1", "f2"]})
        files = [("a.jsonl", b'{"a": 1}\n', "application/jsonl"), ("b.jsonl", b'{"b": 2}\n', "application/jsonl")]
        stored = client.upload_batch_files(body={"files": files, "purpose": "batch"})
    assert stored.ids == ["f1", "f2"]
    assert server.last.multipart_parts() == [
        ("purpose", None, b"batch"),
        ("files", "a.jsonl", b'{"a": 1}\n'),
        ("files", "b.jsonl", b'{"b": 2}\n'),
    ]


# --------------------------------------------------------------------------- the bumps as changelogs


def test_changelog_of_each_bump() -> None:
    first = diff_files(SPECS / "v0_no_operation_ids.yaml", SPECS / "v1_responses_messages.yaml")
    renames = {(c.old, c.new) for c in first.changes if c.kind == "method.renamed"}
    assert ("post_v1_chat_completions", "create_chat_completion") in renames
    assert ("get_health", "health_check") in renames
    dropped = [c for c in first.changes if c.kind == "method.removed"]
    assert [c.subject for c in dropped] == ["method get_v1_models"] and dropped[0].breaking
    added = {c.subject for c in first.changes if c.kind == "method.added"}
    assert {"method create_response", "method create_message", "method get_metrics"} <= added

    second = diff_files(SPECS / "v1_responses_messages.yaml", SPECS / "v2_images_binary.yaml")
    assert not second.breaking, second.to_text()
    added = {c.subject for c in second.changes if c.kind == "method.added"}
    assert {"method list_models", "method create_image_edit", "method upload_file_content"} <= added


def test_specs_are_valid() -> None:
    from generator.load import load, validate

    for path in sorted(Path(SPECS).glob("*.yaml")):
        validate(load(path))
