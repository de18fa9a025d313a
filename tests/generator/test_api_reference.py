"""The API reference (API.md in the package): rendered from the IR, every method and model in
it, and kept current by the drift check."""

from __future__ import annotations

import ast
from pathlib import Path

import yaml

from tests.generator.helpers import MAIN_SPEC, REPO, generate, run_cli


def test_the_committed_reference_lists_every_method_and_model() -> None:
    text = (REPO / "generated" / "inference_gateway" / "API.md").read_text(encoding="utf-8")
    assert text.startswith("<!-- Generated from specs/openapi.yaml")
    assert "inference_gateway" not in text  # rendered for any package name
    client = (REPO / "generated" / "inference_gateway" / "_client.py").read_text(encoding="utf-8")
    assert "InferenceGatewayClient" in text and "AsyncInferenceGatewayClient" in text
    ops = ast.parse((REPO / "generated" / "inference_gateway" / "_operations.py").read_text())
    sync_ops = next(n for n in ops.body if isinstance(n, ast.ClassDef) and n.name == "SyncOperations")
    for method in sync_ops.body:
        if isinstance(method, ast.FunctionDef):
            assert f"def {method.name}(" in text, method.name
    for helper in ("parse_chat_completion", "stream_chat_completion", "run_tools", "proxy_request"):
        assert f"### `{helper}`" in text and "Helpers" in client
    schemas = yaml.safe_load(MAIN_SPEC.read_text(encoding="utf-8"))["components"]["schemas"]
    for name in schemas:
        assert f"### `{name}`" in text, name
    assert "| `content` | `Optional[MessageContent]` | no |" in text
    assert "`CompletionUsage.completion_tokens_details`:" in text  # inline objects: their fields


def test_the_drift_check_fails_on_a_stale_reference(tmp_path: Path) -> None:
    generate(MAIN_SPEC, tmp_path, "igw")
    reference = tmp_path / "igw" / "API.md"
    assert "### `create_chat_completion`" in reference.read_text(encoding="utf-8")
    args = ["check", "--spec", str(MAIN_SPEC), "--output", str(tmp_path), "--package-name", "igw"]
    assert run_cli(args).returncode == 0
    reference.write_text(reference.read_text(encoding="utf-8").replace("list_models", "old_name"))
    stale = run_cli(args)
    assert stale.returncode != 0
    assert "API.md" in stale.stdout + stale.stderr
