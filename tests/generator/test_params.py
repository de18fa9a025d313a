"""params.py for any spec: each closed request model gets a TypedDict twin (keys = wire names,
`Required` as the spec says, nested models as `Union[Model, ModelParam]`, enums as `Literal`),
the generated methods take the twin where they take the model, and the `__kwargs__` TypedDicts
overlays declare hold exactly the other arguments of the generated method, typed alike.
"""

from __future__ import annotations

import importlib
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest

from generator import ir, params, pipeline
from generator.write import OutFile, WriteError
from tests.evolution.server import RecordingServer

from .helpers import MAIN_SPEC, SPECS, generate, run_python

SPEC = """
openapi: 3.1.0
info: {title: Params Test API, version: "1"}
paths:
  /send:
    post:
      operationId: send
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: "#/components/schemas/SendRequest"}
      responses:
        "200": {description: ok}
  /batch:
    post:
      operationId: batch
      requestBody:
        required: true
        content:
          application/json:
            schema: {type: array, items: {$ref: "#/components/schemas/Address"}}
      responses:
        "200": {description: ok}
components:
  schemas:
    SendRequest:
      type: object
      required: [to]
      properties:
        to: {$ref: "#/components/schemas/Address"}
        tags: {type: array, items: {$ref: "#/components/schemas/Tag"}}
        kind: {$ref: "#/components/schemas/Kind"}
        schema: {$ref: "#/components/schemas/OpenSchema"}
        tree: {$ref: "#/components/schemas/Node"}
        stream: {type: boolean}
    Address:
      type: object
      required: [street]
      properties:
        street: {type: string, description: The street.}
        x-zip: {type: string}
    AddressParam:
      type: object
      description: A model whose name is the twin name of Address.
      properties:
        id: {type: string}
    Tag:
      type: object
      properties:
        name: {type: string}
    Kind: {type: string, enum: [a, b]}
    OpenSchema:
      type: object
      properties:
        type: {type: string}
      additionalProperties: true
    Node:
      type: object
      properties:
        children: {type: array, items: {$ref: "#/components/schemas/Node"}}
"""


@pytest.fixture(scope="module")
def spec_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("params") / "params.yaml"
    path.write_text(SPEC, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def api(spec_path: Path) -> ir.API:
    return ir.build(ir.prepare(pipeline.load_spec(spec_path)))


def test_twins_of_closed_request_models_only(api: ir.API) -> None:
    names = {model: name for model, (name, _) in api.params.items()}
    # AddressParam is a model of its own, so Address's twin takes the next free name
    assert names == {
        "Address": "AddressParams",
        "Node": "NodeParam",
        "SendRequest": "SendRequestParam",
        "Tag": "TagParam",
    }
    send = api.operations[0]
    types = {p.python_name: p.type.render() for p in send.body_fields}
    assert types["to"] == "Union[Address, AddressParams]"
    assert types["tags"] == "Sequence[Union[Tag, TagParam]]"
    assert (
        types["schema_"] == "Union[OpenSchema, Dict[str, Any]]"
    )  # takes any key: no TypedDict
    assert send.typed_fields == ("to", "tags", "tree")
    batch = api.operations[1]
    assert (
        batch.typed_body
        and batch.body is not None
        and batch.body.model == "BatchRequest"
    )


def test_twin_keys(api: ir.API) -> None:
    _, address = api.params["Address"]
    assert [
        (f.wire_name, f.required, f.type.render(), f.description) for f in address
    ] == [
        ("street", True, "str", "The street."),
        ("x-zip", False, "str", ""),
    ]
    _, request = api.params["SendRequest"]
    assert {f.wire_name: f.type.render() for f in request}[
        "kind"
    ] == "Literal['a', 'b']"


def test_generated_package_uses_and_evaluates_the_twins(
    spec_path: Path, tmp_path: Path
) -> None:
    generate(spec_path, tmp_path, "params_pkg")
    out = run_python(
        """
        import inspect, typing
        from params_pkg import params
        from params_pkg._client import ParamsTestClient
        assert params.AddressParams.__required_keys__ == {"street"}, params.AddressParams.__required_keys__
        assert set(params.AddressParams.__annotations__) == {"street", "x-zip"}  # functional syntax
        assert not hasattr(params, "OpenSchemaParam") and "Address" in params.CLOSED_MODELS
        hints = typing.get_type_hints(params.NodeParam)  # recursive: the forward reference resolves
        print(hints["children"])
        sig = inspect.signature(ParamsTestClient.send)
        print(sig.parameters["to"].annotation)
        """,
        tmp_path,
    )
    assert "NodeParam" in out and "Union[Address, AddressParams]" in out
    reference = (tmp_path / "params_pkg" / "API.md").read_text(encoding="utf-8")
    assert (
        "### `AddressParams`" in reference and "| `x-zip` | `str` | no |" in reference
    )


@pytest.fixture(scope="module")
def package(
    spec_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[ModuleType]:
    out = tmp_path_factory.mktemp("params_pkg")
    generate(spec_path, out, "params_live")
    sys.path.insert(0, str(out))
    try:
        yield importlib.import_module("params_live")
    finally:
        sys.path.remove(str(out))
        for name in [
            n for n in sys.modules if n == "params_live" or n.startswith("params_live.")
        ]:
            del sys.modules[name]


@pytest.fixture(scope="module")
def recorder() -> Iterator[RecordingServer]:
    server = RecordingServer().start()
    yield server
    server.stop()


def test_dicts_are_sent_as_given_and_bad_ones_refused_before_sending(
    package: ModuleType, recorder: RecordingServer
) -> None:
    """Flattened fields and a whole `body` argument (a list of models), on a real server."""
    with package.ParamsTestClient(base_url=recorder.base_url, max_retries=0) as client:
        recorder.reset()
        client.send(
            to={"street": "Main St", "x-zip": "123"},
            tags=({"name": "a"},),
            tree={"children": [{}]},
        )
        assert json.loads(recorder.last.body) == {
            "to": {"street": "Main St", "x-zip": "123"},
            "tags": [{"name": "a"}],
            "tree": {"children": [{}]},
        }
        client.batch(
            [{"street": "A"}, package.models.Address(street="B", unknown_kept=1)]
        )
        assert json.loads(recorder.last.body) == [
            {"street": "A"},
            {"street": "B", "unknown_kept": 1},
        ]
        client.send(
            to={"street": "S"}, schema_={"type": "object", "anything": True}
        )  # open: kept
        assert json.loads(recorder.last.body)["schema"] == {
            "type": "object",
            "anything": True,
        }
        sent = len(recorder.requests)
        bad = [
            (
                lambda: client.send(to={"street": "S", "zip": "1"}),
                r"^send: to\.zip: unknown field of Address \(it takes street, x-zip\)$",
            ),
            (
                lambda: client.send(to={"street": 5}),
                r"argument 'to' does not match SendRequest: to\.street",
            ),
            (
                lambda: client.send(
                    to={"street": "S"}, tree={"children": [{"kids": []}]}
                ),
                r"tree\.children\[0\]\.kids: unknown field of Node",
            ),
            (
                lambda: client.batch(
                    [{"street": "A"}, {"stret": "B"}]
                ),  # street is required
                r"^batch: the body does not match BatchRequest: 1\.street: Field required",
            ),
            (
                lambda: client.batch([{"street": "A"}, {"street": "B", "zip": "1"}]),
                r"^batch: body\[1\]\.zip: unknown field of Address",
            ),
        ]
        for call, message in bad:
            with pytest.raises(package.InvalidRequestError, match=message):
                call()
        assert len(recorder.requests) == sent


def _overlay(text: str) -> dict[str, OutFile]:
    return {
        "lib/_mixins_x.py": OutFile(
            text=text, source="overlays/gateway/_mixins_x.py", python=True
        )
    }


def test_declared_kwargs_hold_the_other_arguments_typed_alike(api: ir.API) -> None:
    (spec,) = params.declared_kwargs(
        _overlay('__kwargs__ = {"SendArgs": {"method": "send", "without": ["to"]}}\n'),
        api,
    )
    keys = {k.name: (k.required, k.type.render()) for k in spec.keys}
    assert list(keys) == [
        "tags",
        "kind",
        "schema_",
        "tree",
        "extra_headers",
        "extra_query",
        "extra_body",
        "timeout",
    ]
    assert keys["tags"] == (
        False,
        "Union[Optional[Sequence[Union[Tag, TagParam]]], NotGiven]",
    )
    assert keys["timeout"] == (False, "Union[float, httpx.Timeout, NotGiven, None]")


@pytest.mark.parametrize(
    ("declaration", "error"),
    [
        (
            '{"SendArgs": {"method": "sned"}}',
            r"_mixins_x.py:1: __kwargs__\['SendArgs'\]: the spec has no sned\(\)",
        ),
        (
            '{"SendArgs": {"method": "send", "without": ["too"]}}',
            r"send\(\) has no argument \['too'\]",
        ),
        ('{"SendArgs": {"method": "send", "but": []}}', r"must be \{\"method\""),
        ('["send"]', "must be a dict"),
    ],
)
def test_bad_declarations_are_located_errors(
    api: ir.API, declaration: str, error: str
) -> None:
    with pytest.raises(WriteError, match=error):
        params.declared_kwargs(_overlay(f"__kwargs__ = {declaration}\n"), api)


@pytest.mark.parametrize(
    "spec", [MAIN_SPEC, SPECS / "hostile.yaml"], ids=lambda p: p.name
)
def test_arguments_match_the_generated_signatures(spec: Path, tmp_path: Path) -> None:
    """`params.arguments` types each argument as the template does (the TypedDicts of the
    helpers' keyword arguments are typed from it)."""
    api = ir.build(ir.prepare(pipeline.load_spec(spec)))
    generate(spec, tmp_path, "sig_pkg")
    expected = {
        name: [(k.name, k.type.render()) for k in params.arguments(op)]
        for op in api.operations
        for name in op.methods
    }
    out = run_python(
        f"""
        import inspect, json
        from sig_pkg._operations import SyncOperations
        found = {{}}
        for name in {sorted(expected)!r}:
            sig = inspect.signature(getattr(SyncOperations, name))
            found[name] = [[p.name, p.annotation] for p in sig.parameters.values() if p.name not in ("self", "stream")]
        print(json.dumps(found))
        """,
        tmp_path,
    )
    assert json.loads(out) == {
        k: [list(pair) for pair in v] for k, v in expected.items()
    }
