"""Vendoring: the SDK generated as ``myapp._vendor.igw`` is the same code, importable next to the
main package in one process, and passes the SDK's own tests."""

from __future__ import annotations

import importlib
import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from types import ModuleType
from typing import Any, Dict

import pytest

from tests.bundled.vendoring.conftest import ROOT, Vendored
from tests.fakegw import FakeGateway
from tests.generator.helpers import run_cli

# The SDK test files run a second time against the vendored copy (they import inference_gateway,
# which tests/bundled/vendoring/alias.py points at the copy).
SDK_TESTS = (
    "tests/bundled/sdk/test_operations.py",
    "tests/bundled/sdk/test_errors.py",
    "tests/bundled/sdk/test_retries.py",
)


def files(root: Path) -> Dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and "__pycache__" not in p.parts
    }


def test_vendored_copy_is_the_same_code_under_another_name(vendored: Vendored) -> None:
    main = files(vendored.reference)
    copy = files(vendored.package_dir)
    assert sorted(copy) == sorted(main)
    # Identical except where the package names itself (the docstring's `import igw`).
    renamed = {name: data.replace(b"inference_gateway", b"igw") for name, data in main.items()}
    assert [name for name in copy if copy[name] != renamed[name]] == []
    assert not [name for name, data in copy.items() if b"inference_gateway" in data]


def test_package_name_must_be_an_identifier(tmp_path: Path) -> None:
    """Nesting comes from --output; --package-name is the last component only."""
    result = run_cli(["generate", "--output", str(tmp_path), "--package-name", "myapp.igw"])
    assert result.returncode != 0
    assert "myapp.igw" in result.stderr and "not a valid Python package name" in result.stderr
    assert not any(tmp_path.iterdir())


def _vendored_module(vendored: Vendored) -> ModuleType:
    return importlib.import_module(vendored.name)


@pytest.fixture(params=["main", "vendored"])
def sdk(request: pytest.FixtureRequest, vendored: Vendored) -> ModuleType:
    """The SDK package: the main one, then the vendored copy (both imported in this process)."""
    if request.param == "main":
        return importlib.import_module("inference_gateway")
    return _vendored_module(vendored)


def test_both_packages_live_side_by_side(vendored: Vendored) -> None:
    main = importlib.import_module("inference_gateway")
    copy = _vendored_module(vendored)
    assert copy.__name__ == "myapp._vendor.igw"
    assert Path(copy.__file__).parent == vendored.package_dir
    for name in (
        "InferenceGatewayClient",
        "AsyncInferenceGatewayClient",
        "NotFoundError",
        "Message",
    ):
        assert getattr(copy, name) is not getattr(main, name), name
        assert getattr(copy, name).__module__.startswith("myapp._vendor.igw."), name
    assert not issubclass(copy.NotFoundError, main.InferenceGatewayError)


def test_calls_and_errors_use_the_packages_own_classes(
    sdk: ModuleType, gateway: FakeGateway
) -> None:
    with sdk.InferenceGatewayClient(base_url=gateway.base_url, max_retries=0) as client:
        models = client.list_models()
        assert isinstance(models, sdk.ListModelsResponse)
        assert models.data
        gateway.enqueue("GET", "/v1/models", status=404, json={"error": "no such provider"})
        with pytest.raises(sdk.NotFoundError) as caught:
            client.list_models()
        assert "no such provider" in str(caught.value)


async def test_async_stream_from_each_package(sdk: ModuleType, gateway: FakeGateway) -> None:
    async with sdk.AsyncInferenceGatewayClient(base_url=gateway.base_url) as client:
        stream = client.create_chat_completion_stream(
            "openai/gpt-4o", [sdk.Message(role="user", content="hi")]
        )
        async with stream:
            events = [event async for event in stream]
    assert events and all(isinstance(e, sdk.ServerSentEvent) for e in events)


def test_vendored_import_never_loads_the_main_package(vendored: Vendored) -> None:
    """With only the vendoring application on the path, every export resolves inside the copy."""
    code = (
        "import sys, importlib\n"
        f"pkg = importlib.import_module({vendored.name!r})\n"
        "for name in pkg.__all__:\n"
        "    getattr(pkg, name)\n"
        "client = pkg.InferenceGatewayClient(base_url='http://127.0.0.1:9/v1')\n"
        "client.close()\n"
        "leaked = sorted(m for m in sys.modules if m.split('.')[0] == 'inference_gateway')\n"
        "assert not leaked, leaked\n"
        "print(len(pkg.__all__))\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env["PYTHONPATH"] = str(vendored.root)
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=vendored.root,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert int(result.stdout) > 20


def _pytest_outcomes(junit: Path) -> Dict[str, str]:
    outcomes: Dict[str, str] = {}
    for case in ET.parse(junit).getroot().iter("testcase"):
        name = f"{case.get('classname')}::{case.get('name')}"
        kinds = [child.tag for child in case if child.tag in ("failure", "error", "skipped")]
        outcomes[name] = kinds[0] if kinds else "passed"
    return outcomes


def _run_sdk_tests(tmp_path: Path, label: str, env_extra: Dict[str, str], *plugin: str) -> Any:
    junit = tmp_path / f"{label}.xml"
    env = {**os.environ, **env_extra, "PYTHONDONTWRITEBYTECODE": "1"}
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-p",
            "no:cacheprovider",
            *plugin,
            f"--junitxml={junit}",
            *SDK_TESTS,
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    return result, _pytest_outcomes(junit)


def test_sdk_tests_pass_against_the_vendored_copy(vendored: Vendored, tmp_path: Path) -> None:
    env = {"IGW_VENDORED": vendored.name, "PYTHONPATH": str(vendored.root)}
    result, copy = _run_sdk_tests(tmp_path, "vendored", env, "-p", "tests.bundled.vendoring.alias")
    assert "inference_gateway is aliased to myapp._vendor.igw" in result.stdout, result.stdout[
        -3000:
    ]
    passed = [name for name, outcome in copy.items() if outcome == "passed"]
    assert len(passed) >= 20, result.stdout[-3000:]
    failed = sorted(name for name, outcome in copy.items() if outcome in ("failure", "error"))
    if failed:
        # Only differences from the main package count: a test failing on both is not about vendoring.
        _, main = _run_sdk_tests(tmp_path, "main", {})
        only_vendored = [name for name in failed if main.get(name) == "passed"]
        assert only_vendored == [], result.stdout[-5000:]
