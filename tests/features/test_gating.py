"""Overlays are laid in only when the spec provides what they declare (`__requires__`), and no
spec the generator accepts yields a package with a module that fails to import."""

from __future__ import annotations

import inspect
import json
import shutil
from pathlib import Path
from types import ModuleType
from typing import Any, List

import pytest

from generator import features
from tests.fakegw import FakeGateway
from tests.generator.helpers import MAIN_SPEC, REPO, SEED003, generate, run_cli, run_python

from .conftest import PETSTORE, UPSTREAM

SPECS: List[Path] = [
    MAIN_SPEC,
    SEED003,
    UPSTREAM,
    PETSTORE,
    *sorted((REPO / "tests" / "evolution" / "specs").glob("*.yaml")),
    *sorted((REPO / "tests" / "generator" / "specs").glob("*")),
]

IMPORT_ALL = """
import importlib, pkgutil, warnings
warnings.simplefilter("ignore")  # hostile schema names warn about pydantic's namespace
import {pkg} as package
modules = [m.name for m in pkgutil.walk_packages(package.__path__, "{pkg}.")]
for name in modules:
    importlib.import_module(name)
for sub in [package] + [importlib.import_module(m) for m in modules]:
    for name in getattr(sub, "__all__", []):
        getattr(sub, name)  # every lazy export resolves
print(len(modules), sorted(m.rsplit(".", 1)[1] for m in modules if ".lib." in m or ".a2a." in m))
"""


@pytest.mark.parametrize("spec", SPECS, ids=lambda p: p.name)
def test_every_module_of_every_generated_package_imports(spec: Path, tmp_path: Path) -> None:
    generate(spec, tmp_path, "pkg")
    out = run_python(IMPORT_ALL.format(pkg="pkg"), tmp_path, cwd=tmp_path)
    assert int(out.split()[0]) >= 10, out  # runtime modules, models, _operations, _client


def test_the_summary_names_each_module_left_out_and_why(tmp_path: Path) -> None:
    spec = REPO / "tests" / "evolution" / "specs" / "v1_responses_messages.yaml"
    stdout = generate(spec, tmp_path, "evo").stdout
    assert "  lib/vision.py left out: the spec has no ImageContentPart" in stdout
    assert "  a2a/ left out: the spec has no get_agent()" in stdout
    assert not (tmp_path / "evo" / "lib" / "vision.py").exists()
    assert not (tmp_path / "evo" / "a2a").exists()
    out = run_python(
        "import evo, evo.lib; print('image_part_from_file' in evo.__all__, sorted(evo.lib.__all__))",
        tmp_path,
        cwd=tmp_path,
    )
    assert out.startswith("False"), out  # its exports go with it
    check = run_cli(
        ["check", "--spec", str(spec), "--output", str(tmp_path), "--package-name", "evo"]
    )
    assert check.returncode == 0, check.stdout + check.stderr
    assert "lib/vision.py left out: the spec has no ImageContentPart" in check.stdout


def test_the_bundled_spec_keeps_every_feature(tmp_path: Path) -> None:
    stdout = generate(MAIN_SPEC, tmp_path, "full").stdout
    assert "left out" not in stdout and "features: runtime, gateway, a2a" in stdout
    client = (tmp_path / "full" / "_client.py").read_text()
    bases = (
        "ChatHelpers HealthHelpers MessagesHelpers ParseHelpers ProxyHelpers "
        "ResponsesHelpers"
    )
    header = client.split("class InferenceGatewayClient(", 1)[1].split("):", 1)[0]
    assert header.split() == [f"{base}," for base in bases.split()] + ["SyncOperations,"]
    assert 'default_base_url: ClassVar[Optional[str]] = "http://localhost:8080/v1"' in client


def test_a_third_party_spec_gets_a_client_of_its_own(tmp_path: Path) -> None:
    stdout = generate(PETSTORE, tmp_path, "petstore").stdout
    assert "features: runtime," in stdout and "lib/ left out" in stdout
    assert (
        not (tmp_path / "petstore" / "lib").exists()
        and not (tmp_path / "petstore" / "a2a").exists()
    )
    out = run_python(
        """
        import petstore
        from petstore import SwaggerPetstoreClient, AsyncSwaggerPetstoreClient
        assert "InferenceGatewayClient" not in petstore.__all__
        print(SwaggerPetstoreClient.default_base_url, AsyncSwaggerPetstoreClient.default_base_url)
        with SwaggerPetstoreClient() as client:
            print(client.base_url, hasattr(client, "health_check"), hasattr(client, "proxy_request"))
        """,
        tmp_path,
        cwd=tmp_path,
    )
    url = "https://petstore3.example.test/api/v3"
    assert out.split() == [url, url, url, "False", "False"]

    named = tmp_path / "named"
    generate(PETSTORE, named, "petstore", "--client-name", "PetstoreClient")
    out = run_python(
        "from petstore import PetstoreClient, AsyncPetstoreClient; print(PetstoreClient.__mro__[1].__name__)",
        named,
        cwd=named,
    )
    assert out.strip() == "SyncOperations"
    bad = run_cli(
        ["generate", "--spec", str(PETSTORE), "--output", str(named), "--client-name", "Not-A-Name"]
    )
    assert (
        bad.returncode == 3  # cli.EXIT_WRITE: nothing was written
        and "--client-name 'Not-A-Name' is not a valid Python class name" in bad.stderr
    )


def test_a_spec_without_servers_asks_for_a_base_url(tmp_path: Path) -> None:
    generate(REPO / "tests" / "generator" / "specs" / "minimal.json", tmp_path, "minimal")
    out = run_python(
        """
        import os
        os.environ.pop("INFERENCE_GATEWAY_URL", None)
        from minimal import MinimalJSONClient
        try:
            MinimalJSONClient()
        except ValueError as exc:
            print(exc)
        print(MinimalJSONClient(base_url="http://127.0.0.1:9").base_url)
        """,
        tmp_path,
        cwd=tmp_path,
    )
    assert out.splitlines() == [
        "MinimalJSONClient needs base_url (or $INFERENCE_GATEWAY_URL): its API description names no server",
        "http://127.0.0.1:9",
    ]


def test_an_overlay_is_gated_by_the_models_it_imports_and_what_it_declares(tmp_path: Path) -> None:
    overlays = tmp_path / "overlays"
    shutil.copytree(REPO / "overlays", overlays, ignore=shutil.ignore_patterns("__pycache__"))
    extra = overlays / "gateway" / "extra.py"
    extra.write_text(
        '"""A helper for a model the spec does not have."""\n\n'
        "from __future__ import annotations\n\n"
        '__all__ = ["make"]\n'
        '__requires__ = {"operations": ["list_models"]}\n\n\n'
        "def make() -> object:\n"
        "    from ..models import NoSuchModel  # lazy imports count too\n\n"
        "    return NoSuchModel()\n",
        encoding="utf-8",
    )
    result = run_cli(["generate", "--output", str(tmp_path / "out"), "--overlays", str(overlays)])
    assert result.returncode == 0, result.stderr
    assert "  lib/extra.py left out: the spec has no NoSuchModel" in result.stdout
    assert not (tmp_path / "out" / "inference_gateway" / "lib" / "extra.py").exists()

    extra.write_text('__all__ = ["x"]\n__requires__ = {"operations": sorted(["x"])}\nx = 1\n')
    result = run_cli(["generate", "--output", str(tmp_path / "out"), "--overlays", str(overlays)])
    assert result.returncode == 3  # cli.EXIT_WRITE
    assert "overlays/gateway/extra.py:2: __requires__ must be a literal" in result.stderr


@pytest.mark.parametrize("flavour", ["sync", "async"])
async def test_proxy_request_sends_the_body_as_given_on_the_upstream_contract(
    upstream_sdk: ModuleType, gateway: FakeGateway, flavour: str
) -> None:
    """The contract gives ProviderRequest properties, so the generated `proxy_post` takes them
    as arguments; `proxy_request(json_data=...)` must still send exactly `json_data`."""
    body: Any = {"model": "gpt-4o", "messages": [{"role": "user", "content": "hi"}], "n": 2}
    assert "model" in inspect.signature(upstream_sdk.InferenceGatewayClient.proxy_post).parameters
    if flavour == "sync":
        with upstream_sdk.InferenceGatewayClient(base_url=gateway.base_url) as client:
            answer = client.proxy_request("openai", "v1/chat/completions", "POST", json_data=body)
            fetched = client.proxy_request("openai", "/v1/models", params={"limit": "1"})
    else:
        async with upstream_sdk.AsyncInferenceGatewayClient(base_url=gateway.base_url) as aclient:
            answer = await aclient.proxy_request(
                "openai", "v1/chat/completions", "POST", json_data=body
            )
            fetched = await aclient.proxy_request("openai", "/v1/models", params={"limit": "1"})
    post, get = gateway.requests_to("POST", "/proxy/openai/v1/chat/completions"), gateway.last
    assert len(post) == 1 and json.loads(post[0].raw) == body
    assert isinstance(answer, dict) and isinstance(fetched, dict)
    assert (get.method, get.path, get.query) == ("GET", "/proxy/openai/v1/models", {"limit": "1"})


def test_proxy_request_rejects_a_body_on_get(upstream_sdk: ModuleType) -> None:
    with upstream_sdk.InferenceGatewayClient(base_url="http://127.0.0.1:9/v1") as upstream:
        with pytest.raises(ValueError, match="json_data cannot be sent with GET"):
            upstream.proxy_request("openai", "v1/models", json_data={"x": 1})
        with pytest.raises(ValueError, match="method must be one of GET, POST, PUT, PATCH, DELETE"):
            upstream.proxy_request("openai", "v1/models", "TRACE")


@pytest.mark.parametrize(
    ("servers", "paths", "expected"),
    [
        # the gateway's contract: the root for /health and /proxy, the versioned API beside it
        (
            ["http://localhost:8080", "http://localhost:8080/v1"],
            ["/models", "/health"],
            "http://localhost:8080/v1",
        ),
        # the bundled spec: one root server, versioned paths
        (
            ["http://localhost:8080"],
            ["/v1/models", "/v1/chat/completions", "/health"],
            "http://localhost:8080/v1",
        ),
        # seed 003: half the paths versioned, /proxy and /health at the root
        (
            ["http://localhost:8080"],
            ["/v1/models", "/v1/chat", "/proxy/{p}", "/health"],
            "http://localhost:8080/v1",
        ),
        (
            ["http://localhost:8080"],
            ["/v1/models", "/proxy/{p}", "/health"],
            "http://localhost:8080",
        ),
        # another origin's versioned URL is a different server, not the API's version
        (
            ["https://api.example.test", "https://sandbox.example.test/v2"],
            ["/items"],
            "https://api.example.test",
        ),
        (["https://{region}.example.test/api/"], ["/items"], "https://eu.example.test/api"),
        (["/relative", "{scheme}://host"], ["/items"], None),
        ([], ["/items"], None),
    ],
)
def test_the_default_base_url_comes_from_the_servers(
    servers: List[str], paths: List[str], expected: Any
) -> None:
    data = {
        "servers": [
            {"url": url, "variables": {"region": {"default": "eu"}, "scheme": {"default": "ftp"}}}
            for url in servers
        ],
        "paths": {path: {} for path in paths},
    }
    assert features.default_base_url(data) == expected
