"""Any multipart/form-data operation becomes typed arguments: a third-party spec (not the
gateway's) with file parts, a file array and typed form fields, generated, imported and called
against the recording server, sync and async."""

from __future__ import annotations

import importlib
import inspect
import json
import sys
from pathlib import Path
from types import ModuleType
from typing import Any, Dict, Iterator, List

import pytest

from tests.evolution.server import RecordingServer
from tests.generator.helpers import SPECS, generate

PNG = bytes.fromhex("89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489")
PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n"
STORED = {"id": "doc-1"}


@pytest.fixture(scope="module")
def sdk(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    out = tmp_path_factory.mktemp("uploads")
    generate(SPECS / "uploads.yaml", out, "uploads_pkg")
    sys.path.insert(0, str(out))
    try:
        yield importlib.import_module("uploads_pkg")
    finally:
        sys.path.remove(str(out))
        for name in [n for n in sys.modules if n.startswith("uploads_pkg")]:
            del sys.modules[name]


def client_class(sdk: ModuleType, asynchronous: bool = False) -> Any:
    names = [n for n in sdk.__all__ if n.endswith("Client") and n.startswith("Async") == asynchronous]
    assert len(names) == 1, sdk.__all__
    return getattr(sdk, names[0])


def api_url(server: RecordingServer) -> str:
    """The recording server as the spec's server URL has it (its base path is ``/api``)."""
    return server.base_url.rsplit("/", 1)[0] + "/api"


def test_parts_are_typed_arguments(sdk: ModuleType) -> None:
    for cls in (client_class(sdk), client_class(sdk, asynchronous=True)):
        params = inspect.signature(cls.upload_document).parameters
        positional = [n for n, p in params.items() if p.kind is p.POSITIONAL_OR_KEYWORD]
        assert positional == ["self", "collection_id", "document", "title"]  # the spec's order
        keyword = {n: p for n, p in params.items() if p.kind is p.KEYWORD_ONLY}
        assert {"dry_run", "tags", "priority", "public", "metadata", "thumbnail", "attachments"} <= set(keyword)
        assert "body" not in params
        assert all(keyword[n].default is None for n in ("tags", "thumbnail", "attachments"))
        assert params["document"].annotation == "FileInput"
        assert keyword["thumbnail"].annotation == "Optional[FileInput]"
        assert keyword["attachments"].annotation == "Optional[Sequence[FileInput]]"
        assert keyword["tags"].annotation == "Optional[Sequence[Literal['draft', 'final', 'internal']]]"
        assert keyword["priority"].annotation == "Optional[int]"
        assert keyword["public"].annotation == "Optional[bool]"
    assert sdk.FileInput is not None  # the runtime's alias, exported for annotations of user code


def test_sync_upload_sends_every_part_typed(sdk: ModuleType, server: RecordingServer, tmp_path: Path) -> None:
    report = tmp_path / "report.pdf"
    report.write_bytes(PDF)
    notes = tmp_path / "notes.csv"
    notes.write_bytes(b"a,b\n1,2\n")
    server.reply(json_body=STORED, status=201)
    with client_class(sdk)(base_url=api_url(server)) as client:
        stored = client.upload_document(
            "c/1",
            report,
            "Q3 report",
            tags=["final", "internal"],
            priority=2,
            public=True,
            metadata={"author": "Ada"},
            thumbnail=PNG,
            attachments=[("readme.txt", b"hello", "text/plain"), notes],
        )
    assert stored.id == "doc-1"
    sent = server.last
    assert sent.raw_path == "/api/collections/c/1/documents" and sent.query == {}  # dry_run unset
    assert sent.multipart_parts() == [
        ("title", None, b"Q3 report"),
        ("tags", None, b"final"),
        ("tags", None, b"internal"),
        ("priority", None, b"2"),
        ("public", None, b"true"),
        ("metadata", None, b'{"author":"Ada"}'),
        ("document", "report.pdf", PDF),
        ("thumbnail", "thumbnail.png", PNG),
        ("attachments", "readme.txt", b"hello"),
        ("attachments", "notes.csv", b"a,b\n1,2\n"),
    ]
    types = dict(sent.part_types()[:6])
    assert set(types.values()) == {None}  # form fields are plain text parts
    files = sent.part_types()[6:]
    assert files == [
        ("document", "application/pdf"),  # the media type the spec declares for the part
        ("thumbnail", "image/png"),  # sniffed from the bytes
        ("attachments", "text/plain"),  # given
        ("attachments", "text/csv"),  # from the file name
    ]


async def test_async_upload_leaves_unset_parts_out(sdk: ModuleType, server: RecordingServer) -> None:
    server.reply(json_body=STORED, status=201)
    async with client_class(sdk, asynchronous=True)(base_url=api_url(server)) as client:
        stored = await client.upload_document("c1", PDF, "Draft", dry_run=True, tags=["draft"], public=False)
    assert stored.id == "doc-1"
    assert server.last.query == {"dry_run": ["true"]}
    assert server.last.multipart_parts() == [
        ("title", None, b"Draft"),
        ("tags", None, b"draft"),
        ("public", None, b"false"),
        ("document", "document.pdf", PDF),  # bytes: named after the part, typed from the spec
    ]


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"document": None, "title": "x"}, "upload_document: document is required"),
        ({"document": PDF, "title": ""}, "upload_document: title is required"),
        ({"document": PDF, "title": "x", "thumbnail": b"not an image"}, "thumbnail: not a PNG"),
        ({"document": PDF, "title": "x", "attachments": b"one file"}, "attachments: expected a list of files"),
        ({"document": PDF, "title": "x", "thumbnail": b""}, "thumbnail: the file is empty"),
        ({"document": PDF, "title": "x", "tags": [["draft"]]}, "tags: a form field cannot hold a list"),
        ({"document": "/no/such/file.pdf", "title": "x"}, "document: cannot read"),
    ],
)
async def test_bad_parts_fail_before_anything_is_sent(
    sdk: ModuleType, server: RecordingServer, arguments: Dict[str, Any], message: str
) -> None:
    errors: List[str] = []
    with client_class(sdk)(base_url=api_url(server)) as client:
        with pytest.raises(sdk.errors.InvalidRequestError, match=message) as info:
            client.upload_document("c1", **arguments)
        errors.append(str(info.value))
    async with client_class(sdk, asynchronous=True)(base_url=api_url(server)) as aclient:
        with pytest.raises(sdk.errors.InvalidRequestError, match=message):
            await aclient.upload_document("c1", **arguments)
    assert server.requests == []
    assert errors


def test_metadata_model_is_sent_as_json(sdk: ModuleType, server: RecordingServer) -> None:
    metadata_types = [n for n in dir(sdk.models) if n.endswith("Metadata")]
    server.reply(json_body=STORED, status=201)
    with client_class(sdk)(base_url=api_url(server)) as client:
        value: Any = {"author": "Grace"}
        if metadata_types:  # an inline object may become a model: both are accepted
            value = getattr(sdk.models, metadata_types[0])(author="Grace")
        client.upload_document("c1", PDF, "t", metadata=value)
    assert json.loads(server.last.multipart()["metadata"][1]) == {"author": "Grace"}


@pytest.mark.parametrize("streams", [False, True])
def test_a_stream_part_is_an_argument_unless_the_operation_streams(streams: bool) -> None:
    from generator import ir
    from generator.load import Spec

    responses: Dict[str, Any] = {"200": {"description": "ok", "content": {"application/json": {"schema": {"type": "object"}}}}}
    if streams:
        responses["200"]["content"]["text/event-stream"] = {"schema": {"type": "string"}}
    form = {"type": "object", "properties": {"file": {"type": "string", "format": "binary"}, "stream": {"type": "boolean"}}}
    data = {
        "openapi": "3.1.0",
        "info": {"title": "t", "version": "1"},
        "paths": {
            "/upload": {
                "post": {
                    "operationId": "upload",
                    "requestBody": {"content": {"multipart/form-data": {"schema": form}}},
                    "responses": responses,
                }
            }
        },
    }
    op = ir.build(ir.prepare(Spec(path=Path("t.yaml"), display="t.yaml", data=data, lines={}))).operations[0]
    assert op.body is not None
    assert [p.python_name for p in op.form_parts] == (["file"] if streams else ["file", "stream"])
    assert op.body.stream_flag == ("stream" if streams else None)
