"""`diff` against generation: for pairs of specs, the client methods the changelog says appear
and disappear are exactly the methods the two generated packages' clients differ by."""

from __future__ import annotations

import copy
import importlib
import sys
from pathlib import Path
from typing import Any, Callable, Dict, Iterator, Set

import pytest
import yaml

from generator.diff import diff_files
from tests.generator.helpers import generate

ROOT = Path(__file__).resolve().parents[2]
BASE = Path(__file__).parent / "specs" / "base.yaml"
Spec = Dict[str, Any]


def _add_operation(s: Spec) -> None:
    s["paths"]["/v1/files/{file_id}"] = {
        "delete": {
            "operationId": "deleteFile",
            "parameters": [{"name": "file_id", "in": "path", "required": True, "schema": {"type": "string"}}],
            "responses": {"204": {"description": "deleted"}},
        }
    }


def _remove_operation(s: Spec) -> None:
    s["paths"].pop("/v1/chat/completions")


def _add_stream(s: Spec) -> None:
    s["paths"]["/v1/models"]["get"]["responses"]["202"] = {
        "description": "progress",
        "content": {"text/event-stream": {"schema": {"type": "string"}}},
    }


def _server_path(s: Spec) -> None:
    s["servers"] = [{"url": "https://api.example.com/gateway"}]


EDITS: Dict[str, Callable[[Spec], None]] = {
    "operation_added": _add_operation,
    "operation_removed": _remove_operation,
    "stream_added": _add_stream,
    "server_path_changed": _server_path,
}


@pytest.fixture(scope="module")
def packages(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Callable[[str, Path], Any]]:
    """`package(name, spec)` -> the client class of a package generated from `spec`."""
    out = tmp_path_factory.mktemp("agree")
    sys.path.insert(0, str(out))
    made: Set[str] = set()

    def client(name: str, spec: Path) -> Any:
        package = f"agree_{name}"
        if package not in made:
            generate(spec, out, package)
            made.add(package)
        module = importlib.import_module(f"{package}._client")
        (sync_name,) = [n for n in module.__all__ if not n.startswith("Async")]
        return getattr(module, sync_name)  # named from the spec's title (DiffTestClient)

    yield client
    sys.path.remove(str(out))
    for module in [m for m in sys.modules if m.split(".")[0] in made]:
        del sys.modules[module]


def public_methods(cls: Any) -> Set[str]:
    return {n for n in dir(cls) if not n.startswith("_") and callable(getattr(cls, n))}


def check_pair(packages: Callable[[str, Path], Any], old: Path, new: Path, old_name: str, new_name: str) -> None:
    changelog = diff_files(old, new)
    before = public_methods(packages(old_name, old))
    after = public_methods(packages(new_name, new))
    assert changelog.added_methods == after - before, changelog.to_text()
    assert changelog.removed_methods == before - after, changelog.to_text()


@pytest.mark.parametrize("edit", sorted(EDITS))
def test_methods_in_the_changelog_are_the_methods_generation_changes(
    packages: Callable[[str, Path], Any], tmp_path: Path, edit: str
) -> None:
    old: Spec = yaml.safe_load(BASE.read_text())
    new = copy.deepcopy(old)
    EDITS[edit](new)
    (tmp_path / "new.yaml").write_text(yaml.safe_dump(new, sort_keys=False))
    check_pair(packages, BASE, tmp_path / "new.yaml", "base", edit)


def test_the_seed_bump_with_its_overlay_helpers(packages: Callable[[str, Path], Any]) -> None:
    """seed003 -> bundled: operationIds arrive (renames, stream twin renamed) and the gateway
    overlay's helpers appear with them."""
    check_pair(
        packages, ROOT / "tests/specs/seed003_openapi.yaml", ROOT / "specs/openapi.yaml", "seed003", "bundled"
    )
    assert diff_files(ROOT / "tests/specs/seed003_openapi.yaml", ROOT / "specs/openapi.yaml").added_methods >= {
        "stream_chat_completion",
        "run_tools",
        "create_chat_completion_stream",
    }
