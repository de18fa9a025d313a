"""Servers and base paths: which URL each operation is sent to (generator/servers.py, the rule in
the README), checked in the IR and on the wire against a recording server on 127.0.0.1."""

from __future__ import annotations

import asyncio
import importlib
import sys
from pathlib import Path
from types import ModuleType
from typing import Any, Dict, Iterator, List, Tuple

import pytest
import yaml

from generator import ir, pytypes
from generator.load import Spec, load
from tests.evolution.server import RecordingServer
from tests.generator.helpers import generate

ROOT = Path(__file__).resolve().parents[2]
UPSTREAM = ROOT.parent / "shared" / "upstream" / "gateway-openapi-2026-08.yaml"
# The real gateway's layout: health and proxy at the origin, everything else under /v1.
ROOT_TAGS = {"Health", "Proxy"}


def api_of(data: Dict[str, Any]) -> ir.API:
    return ir.build(ir.prepare(Spec(path=Path("t.yaml"), display="t.yaml", data=data)))


def spec(paths: Dict[str, Any], **root: Any) -> Dict[str, Any]:
    return {"openapi": "3.1.0", "info": {"title": "t", "version": "1"}, "paths": paths, **root}


def get(op_id: str, **extra: Any) -> Dict[str, Any]:
    return {"get": {"operationId": op_id, "responses": {"204": {"description": "ok"}}, **extra}}


def routes(api: ir.API) -> Dict[str, str]:
    return {op.python_name: op.path for op in api.operations}


def test_a_single_server_with_a_path_prefixes_every_operation() -> None:
    api = api_of(spec({"/pet": get("listPets"), "/store/inventory": get("getInventory")},
                      servers=[{"url": "https://petstore.swagger.io/v2"}]))
    assert routes(api) == {"list_pets": "/v2/pet", "get_inventory": "/v2/store/inventory"}
    assert api.base_path == "/v2"


def test_operation_and_path_servers_win_over_the_root_ones() -> None:
    paths = {
        "/a": get("a"),
        "/b": {**get("b"), "servers": [{"url": "https://files.example.com/storage/"}]},
        "/c": get("c", servers=[{"url": "{scheme}://h/{version}", "variables": {
            "scheme": {"default": "https"}, "version": {"default": "v3", "enum": ["v3"]}}}]),
    }
    api = api_of(spec(paths, servers=[{"url": "/api"}]))
    assert routes(api) == {"a": "/api/a", "b": "/storage/b", "c": "/v3/c"}
    assert api.base_path == "/api"


def test_absolute_paths_on_a_root_server_keep_their_paths() -> None:
    """The bundled spec's way: paths written from the origin; the base path is the segment
    more of them share than any other, so `base_url=".../v1"` keeps working."""
    api = api_of(spec({"/v1/models": get("m"), "/v1/chat": get("c"), "/health": get("h")},
                      servers=[{"url": "http://localhost:8080"}]))
    assert routes(api) == {"m": "/v1/models", "c": "/v1/chat", "h": "/health"}
    assert api.base_path == "/v1"
    early = {"/v1/models": get("m"), "/v1/chat": get("c"), "/proxy/{p}": get("p"), "/health": get("h")}
    early["/proxy/{p}"]["get"]["parameters"] = [{"name": "p", "in": "path", "required": True, "schema": {"type": "string"}}]
    assert api_of(spec(early)).base_path == "/v1"  # the gateway's early layout: half the paths
    assert api_of(spec({"/pets": get("a"), "/users": get("b")})).base_path == ""  # no segment leads
    bundled = ir.build(ir.prepare(load(ROOT / "specs" / "openapi.yaml")))
    assert bundled.base_path == "/v1"
    assert all(op.path == op.template for op in bundled.operations)


def test_x_server_tags_route_each_operation_by_its_tags() -> None:
    """The primary server is the one serving most paths; untagged operations go there."""
    servers = [
        {"url": "http://h", "x-server-tags": ["Health"]},
        {"url": "http://h/v1", "x-server-tags": ["Models", "Chat"]},
    ]
    paths = {
        "/health": get("health", tags=["Health"]),
        "/models": get("models", tags=["Models"]),
        "/chat": get("chat", tags=["Chat"]),
        "/tools": get("tools", tags=["MCP"]),  # no server lists it: the primary one
    }
    api = api_of(spec(paths, servers=servers))
    assert routes(api) == {"health": "/health", "models": "/v1/models", "chat": "/v1/chat", "tools": "/v1/tools"}
    assert api.base_path == "/v1"


def upstream_expected() -> List[Tuple[str, str, str]]:
    """(operationId, method, expected request path template) from the spec's facts."""
    data = yaml.safe_load(UPSTREAM.read_text())
    found: List[Tuple[str, str, str]] = []
    for template, item in data["paths"].items():
        for method, op in item.items():
            if method == "parameters":
                continue
            prefix = "" if set(op.get("tags", [])) & ROOT_TAGS else "/v1"
            found.append((op["operationId"], method.upper(), prefix + template))
    return found


def test_upstream_layout_in_the_ir() -> None:
    api = ir.build(ir.prepare(load(UPSTREAM)))
    expected = set(upstream_expected())
    assert {(op.name, op.method, op.path) for op in api.operations} == expected
    assert api.base_path == "/v1"


# --------------------------------------------------------------------------- on the wire


@pytest.fixture(scope="module")
def upstream_sdk(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    out = tmp_path_factory.mktemp("upstream")
    generate(UPSTREAM, out, "upstream_sdk")
    sys.path.insert(0, str(out))
    try:
        yield importlib.import_module("upstream_sdk")
    finally:
        sys.path.remove(str(out))
        for name in [n for n in sys.modules if n == "upstream_sdk" or n.startswith("upstream_sdk.")]:
            del sys.modules[name]


@pytest.fixture(scope="module")
def recorder() -> Iterator[RecordingServer]:
    server = RecordingServer().start()
    yield server
    server.stop()


def sample(value: pytypes.Type) -> Any:
    """A value the generated method accepts for an argument of this type."""
    if isinstance(value, pytypes.Literal):
        return value.values[0]
    if isinstance(value, pytypes.Generic):
        if value.origin in ("Optional", "Union"):  # a plain member: a dict for a model is validated
            plain_members = [a for a in value.args if not (isinstance(a, pytypes.Name) and a.module)]
            return sample((plain_members or list(value.args))[0])
        return [] if value.origin in ("List", "Sequence") else {}
    plain = {pytypes.STR: "x", pytypes.INT: 1, pytypes.FLOAT: 1.0, pytypes.BOOL: True, pytypes.BYTES: b"x", pytypes.FILE_INPUT: b"x"}
    if value in plain:
        return plain[value]
    return {} if value.model else "x"


def call_arguments(op: ir.Operation, template: str) -> Tuple[List[Any], Dict[str, Any], str]:
    """Positional and keyword arguments for every required argument, and the path they make
    of `template` (the request path the real gateway serves)."""
    special = {"provider": "openai", "path": "a/b"}
    values = {
        p.python_name: special.get(p.wire_name, sample(p.type))
        for p in op.positional + op.keyword_only
        if p.required
    }
    positional = [values[p.python_name] for p in op.positional]
    keywords = {p.python_name: values[p.python_name] for p in op.keyword_only if p.required}
    if op.body is not None and not op.body.as_arguments and op.body.required:
        keywords["body"] = b"x" if op.body.kind == "binary" else sample(op.body.type or pytypes.ANY)
    path = template
    for p in op.path_params:
        path = path.replace("{" + p.wire_name + "}", str(values[p.python_name]))
    return positional, keywords, path


@pytest.mark.parametrize("base_path", ["/v1", ""], ids=["base_url-v1", "base_url-origin"])
def test_every_upstream_operation_reaches_its_real_path(
    upstream_sdk: ModuleType, recorder: RecordingServer, base_path: str
) -> None:
    """Every method, sync and async (and every `_stream` twin), against the real gateway's
    layout: the server answers 400, so each call raises after its request arrived."""
    ops = importlib.import_module("upstream_sdk._operations")
    api = ir.build(ir.prepare(load(UPSTREAM)))
    facts = {op_id: (method, path) for op_id, method, path in upstream_expected()}
    base_url = f"http://127.0.0.1:{recorder.port}{base_path}"
    calls = []
    for op in api.operations:
        method, template = facts[op.name]
        args, kwargs, path = call_arguments(op, template)
        calls += [(name, args, kwargs, method, path) for name in op.methods]
    seen: List[Tuple[str, str]] = []

    def expect(name: str, mode: str, method: str, path: str) -> None:
        assert (recorder.last.method, recorder.last.raw_path) == (method, path), (name, mode)
        seen.append((name, mode))

    with upstream_sdk.InferenceGatewayClient(base_url=base_url, max_retries=0) as client:
        for name, args, kwargs, method, path in calls:
            recorder.reset()
            recorder.reply(status=400, json_body={"error": "recorded"})
            with pytest.raises(upstream_sdk.BadRequestError):
                result = getattr(ops.SyncOperations, name)(client, *args, **kwargs)
                if name.endswith("_stream"):
                    list(result)
            expect(name, "sync", method, path)

    async def run_async() -> None:
        async with upstream_sdk.AsyncInferenceGatewayClient(base_url=base_url, max_retries=0) as client:
            for name, args, kwargs, method, path in calls:
                recorder.reset()
                recorder.reply(status=400, json_body={"error": "recorded"})
                with pytest.raises(upstream_sdk.BadRequestError):
                    result = getattr(ops.AsyncOperations, name)(client, *args, **kwargs)
                    if name.endswith("_stream"):
                        async for _ in result:
                            pass
                    else:
                        await result
                expect(name, "async", method, path)

    asyncio.run(run_async())
    assert len(seen) == 2 * len(calls) == 2 * 18
