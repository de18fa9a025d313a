"""Generated packages import and work on Python 3.9, the oldest supported version."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.peers import peer_python

from .helpers import REPO, SPECS, generate, run_python


@pytest.fixture(scope="module")
def py39() -> str:
    try:
        return str(peer_python("sdk-py39"))
    except FileNotFoundError as exc:  # no 3.9 interpreter on this machine
        pytest.skip(str(exc))


def test_bundled_sdk_imports_and_validates_on_39(py39: str) -> None:
    out = run_python(
        """
        import sys, importlib, pkgutil
        assert sys.version_info[:2] == (3, 9), sys.version
        import inference_gateway as ig
        for info in pkgutil.walk_packages(ig.__path__, "inference_gateway."):
            importlib.import_module(info.name)
        for name in ig.__all__:
            getattr(ig, name)
        msg = ig.Message(role="user", content="hi")
        print(msg.model_dump(mode="json", by_alias=True, exclude_none=True))
        client = ig.InferenceGatewayClient(base_url="http://127.0.0.1:9/v1")
        client.close()
        """,
        REPO / "generated",
        python=py39,
    )
    assert "'content': 'hi'" in out


def test_hostile_package_round_trips_on_39(py39: str, tmp_path: Path) -> None:
    generate(SPECS / "hostile.yaml", tmp_path, "hostile_pkg")
    run_python(
        """
        from hostile_pkg.models import Def, Node
        wire = {"class": "c", "x-header": "h", "3d": 1, "schema": "s", "kind": ""}
        assert Def.model_validate(wire).model_dump(mode="json", by_alias=True, exclude_unset=True) == wire
        assert Node.model_validate({"children": [{"name": "x"}]}).children[0].name == "x"
        import hostile_pkg
        hostile_pkg.AsyncHostileAPI77RawClient
        """,
        tmp_path,
        python=py39,
        cwd=tmp_path,
    )
