"""`python -m generator diff`: one test per kind of change, each from a pair of real spec files.

Every test copies tests/diff/specs/base.yaml, applies one edit, writes both documents, runs the
changelog and checks the entry: its kind, whether it is breaking, its SDK name and its pointer.
"""

from __future__ import annotations

import copy
import json
import subprocess
import sys
from pathlib import Path
from typing import Any, Callable, Dict, List

import pytest
import yaml

from generator.diff import Change, diff_files, main

ROOT = Path(__file__).resolve().parents[2]
BASE = Path(__file__).parent / "specs" / "base.yaml"
Spec = Dict[str, Any]


def base() -> Spec:
    data: Spec = yaml.safe_load(BASE.read_text())
    return data


def write(path: Path, data: Spec) -> Path:
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    return path


def diff(tmp_path: Path, edit: Callable[[Spec], None]) -> List[Change]:
    old = base()
    new = copy.deepcopy(old)
    edit(new)
    changelog = diff_files(write(tmp_path / "old.yaml", old), write(tmp_path / "new.yaml", new))
    return changelog.changes


def only(changes: List[Change], kind: str, subject: str = "") -> Change:
    found = [c for c in changes if c.kind == kind and subject in c.subject]
    assert len(found) == 1, f"expected one {kind} on {subject!r}, got: {changes}"
    return found[0]


def op(spec: Spec, path: str, method: str) -> Dict[str, Any]:
    result: Dict[str, Any] = spec["paths"][path][method]
    return result


def schema(spec: Spec, name: str) -> Dict[str, Any]:
    result: Dict[str, Any] = spec["components"]["schemas"][name]
    return result


CHAT = "/v1/chat/completions"
MODELS = "/v1/models"
ITEM = "/v1/orgs/{org}/items/{item_id}"
EDITS = "/v1/images/edits"


# --------------------------------------------------------------------------- methods


def test_identical_specs_have_no_changes(tmp_path: Path) -> None:
    assert diff(tmp_path, lambda s: None) == []


def test_removed_method_is_breaking_and_names_its_stream_twin(tmp_path: Path) -> None:
    change = only(diff(tmp_path, lambda s: s["paths"].pop(CHAT)), "method.removed")
    assert change.breaking
    assert change.subject == "method create_chat_completion"
    assert "`create_chat_completion_stream`" in change.detail
    assert change.pointer == "#/paths/~1v1~1chat~1completions/post"
    assert "old.yaml:" in change.location  # removals point into the old spec


def test_added_method_is_not_breaking(tmp_path: Path) -> None:
    def edit(s: Spec) -> None:
        s["paths"]["/v1/metrics"] = {
            "get": {
                "operationId": "getMetrics",
                "responses": {
                    "200": {
                        "description": "m",
                        "content": {"text/plain": {"schema": {"type": "string"}}},
                    }
                },
            }
        }

    change = only(diff(tmp_path, edit), "method.added")
    assert not change.breaking
    assert change.subject == "method get_metrics"
    assert "GET /v1/metrics" in change.detail
    assert "new.yaml:" in change.location


def test_new_operation_id_renames_the_derived_method(tmp_path: Path) -> None:
    # /health had no operationId, so its method was derived from method and path.
    changes = diff(tmp_path, lambda s: op(s, "/health", "get").update(operationId="healthCheck"))
    change = only(changes, "method.renamed")
    assert change.breaking
    assert (change.old, change.new) == ("get_health", "health_check")
    assert not any(c.kind in ("method.added", "method.removed") for c in changes)


def test_moved_path_keeps_the_method_and_breaks_its_url(tmp_path: Path) -> None:
    def edit(s: Spec) -> None:
        s["paths"]["/v2/models"] = s["paths"].pop(MODELS)

    change = only(diff(tmp_path, edit), "method.route")
    assert change.breaking  # same call, but a server that only has the old URL answers 404
    assert (change.old, change.new) == ("GET /v1/models", "GET /v2/models")


def test_stream_twin_removed_and_added(tmp_path: Path) -> None:
    def drop(s: Spec) -> None:
        del op(s, CHAT, "post")["responses"]["200"]["content"]["text/event-stream"]

    change = only(diff(tmp_path, drop), "stream.removed")
    assert change.breaking and "`create_chat_completion_stream`" in change.detail

    def add(s: Spec) -> None:
        op(s, MODELS, "get")["responses"]["200"]["content"]["text/event-stream"] = {
            "schema": {"type": "string"}
        }

    change = only(diff(tmp_path, add), "stream.added")
    assert not change.breaking and "`list_models_stream`" in change.detail


# --------------------------------------------------------------------------- parameters


def test_parameter_removed_is_breaking(tmp_path: Path) -> None:
    change = only(
        diff(tmp_path, lambda s: op(s, MODELS, "get")["parameters"].pop(0)), "argument.removed"
    )
    assert change.breaking
    assert "argument `provider`" in change.detail and "query" in change.detail


def test_header_parameter_uses_python_name(tmp_path: Path) -> None:
    change = only(
        diff(tmp_path, lambda s: op(s, MODELS, "get")["parameters"].pop(1)), "argument.removed"
    )
    assert "argument `x_request_id`" in change.detail and "`X-Request-Id`" in change.detail


@pytest.mark.parametrize("required, breaking", [(False, False), (True, True)])
def test_parameter_added(tmp_path: Path, required: bool, breaking: bool) -> None:
    def edit(s: Spec) -> None:
        op(s, MODELS, "get")["parameters"].append(
            {"name": "pageSize", "in": "query", "required": required, "schema": {"type": "integer"}}
        )

    change = only(diff(tmp_path, edit), "argument.added")
    assert change.breaking is breaking
    assert f"new {'required' if required else 'optional'} argument `page_size`" in change.detail
    assert change.pointer == "#/paths/~1v1~1models/get/parameters/2"


def test_parameter_required_toggles(tmp_path: Path) -> None:
    change = only(
        diff(tmp_path, lambda s: op(s, MODELS, "get")["parameters"][0].update(required=True)),
        "required.added",
    )
    assert change.breaking and "argument `provider` is now required" in change.detail


def test_parameter_moves_from_query_to_header(tmp_path: Path) -> None:
    change = only(
        diff(tmp_path, lambda s: op(s, MODELS, "get")["parameters"][0].update({"in": "header"})),
        "argument.location",
    )
    assert not change.breaking and (change.old, change.new) == ("query", "header")


def test_query_array_style_change_is_breaking(tmp_path: Path) -> None:
    """`explode: false` changes what the server reads (`a,b` instead of `only=a&only=b`)."""
    old = base()
    op(old, MODELS, "get")["parameters"].append(
        {"name": "only", "in": "query", "schema": {"type": "array", "items": {"type": "string"}}}
    )
    new = copy.deepcopy(old)
    op(new, MODELS, "get")["parameters"][-1]["explode"] = False
    changes = diff_files(write(tmp_path / "old.yaml", old), write(tmp_path / "new.yaml", new)).changes
    change = only(changes, "argument.style")
    assert change.breaking and (change.old, change.new) == (None, ",")
    assert "one ','-joined value (was a key per item)" in change.detail


def test_path_parameter_order_is_breaking(tmp_path: Path) -> None:
    def edit(s: Spec) -> None:
        s["paths"]["/v1/items/{item_id}/orgs/{org}"] = s["paths"].pop(ITEM)

    changes = diff(tmp_path, edit)
    change = only(changes, "argument.order")
    assert change.breaking and change.new == ["item_id", "org"]
    assert only(changes, "method.route").breaking is True


def test_required_body_fields_reordered_is_breaking(tmp_path: Path) -> None:
    """Required body fields are positional arguments after the path ones: their order counts."""

    def edit(s: Spec) -> None:
        body = s["paths"][CHAT]["post"]["requestBody"]["content"]["application/json"]["schema"]
        target = schema(s, body["$ref"].rsplit("/", 1)[-1]) if "$ref" in body else body
        target["required"] = list(reversed(target["required"]))
        target["properties"] = dict(reversed(list(target["properties"].items())))

    change = only(diff(tmp_path, edit), "argument.order")
    assert change.breaking and change.new == list(reversed(change.old)) and len(change.old) >= 2


# --------------------------------------------------------------------------- request bodies


@pytest.mark.parametrize("required, breaking", [(False, False), (True, True)])
def test_body_field_added(tmp_path: Path, required: bool, breaking: bool) -> None:
    def edit(s: Spec) -> None:
        request = schema(s, "ChatRequest")
        request["properties"]["topP"] = {"type": "number"}
        if required:
            request["required"].append("topP")

    changes = diff(tmp_path, edit)
    argument = only(changes, "argument.added", "method create_chat_completion")
    assert argument.breaking is breaking and "argument `top_p`" in argument.detail
    # The model the body is made of changes too (the user may build it themselves).
    field = only(changes, "field.added", "model ChatRequest")
    assert field.breaking is breaking
    assert field.pointer == "#/components/schemas/ChatRequest/properties/topP"


def test_body_field_removed_is_breaking(tmp_path: Path) -> None:
    changes = diff(tmp_path, lambda s: schema(s, "ChatRequest")["properties"].pop("max_tokens"))
    assert only(changes, "argument.removed", "method create_chat_completion").breaking
    assert only(changes, "field.removed", "model ChatRequest").breaking


def test_stream_flag_is_not_an_argument(tmp_path: Path) -> None:
    changes = diff(tmp_path, lambda s: schema(s, "ChatRequest")["properties"].pop("stream"))
    assert not [c for c in changes if c.subject.startswith("method ")]
    assert only(changes, "field.removed", "model ChatRequest").breaking


def test_body_becomes_multipart(tmp_path: Path) -> None:
    def edit(s: Spec) -> None:
        content = op(s, CHAT, "post")["requestBody"]["content"]
        content["multipart/form-data"] = content.pop("application/json")

    change = only(diff(tmp_path, edit), "body.kind")
    assert change.breaking
    assert (change.old, change.new) == ("application/json", "multipart/form-data")


def test_multipart_parts_are_arguments(tmp_path: Path) -> None:
    def edit(s: Spec) -> None:
        body = op(s, EDITS, "post")["requestBody"]["content"]["multipart/form-data"]["schema"]
        body["properties"]["background"] = {"type": "string", "enum": ["transparent", "opaque"]}
        body["properties"]["reference"] = {"type": "string", "format": "binary"}
        body["required"] = ["reference"]
        body["properties"].pop("prompt")

    changes = diff(tmp_path, edit)
    assert not [c for c in changes if c.kind.startswith("part.")]
    optional = [c for c in changes if c.kind == "argument.added" and "background" in c.detail]
    assert len(optional) == 1 and not optional[0].breaking
    assert "new optional argument `background` (Literal['transparent', 'opaque'])" in optional[0].detail
    required = [c for c in changes if c.kind == "argument.added" and "reference" in c.detail]
    assert required and all(c.breaking for c in required)
    assert "new required argument `reference` (FileInput)" in required[0].detail
    removed = [c for c in changes if c.kind == "argument.removed"]
    assert removed and all(c.breaking and "argument `prompt` removed" in c.detail for c in removed)
    optional_now = only(changes, "required.removed")
    assert not optional_now.breaking and "argument `image` is now optional" in optional_now.detail


def test_required_body_added_to_a_method_without_one(tmp_path: Path) -> None:
    def edit(s: Spec) -> None:
        op(s, "/health", "get")["requestBody"] = {
            "required": True,
            "content": {
                "application/octet-stream": {"schema": {"type": "string", "format": "binary"}}
            },
        }

    change = only(diff(tmp_path, edit), "body.added")
    assert change.breaking and "argument `body` (application/octet-stream)" in change.detail


# --------------------------------------------------------------------------- responses and models


def test_response_type_changed(tmp_path: Path) -> None:
    def edit(s: Spec) -> None:
        media = op(s, EDITS, "post")["responses"]["200"]["content"]["application/json"]
        media["schema"] = {"$ref": "#/components/schemas/ListModelsResponse"}

    change = only(diff(tmp_path, edit), "type.changed", "method create_image_edit")
    assert change.breaking
    assert (change.old, change.new) == ("ImageResponse", "ListModelsResponse")
    assert "return value" in change.detail


def test_response_body_dropped(tmp_path: Path) -> None:
    change = only(
        diff(tmp_path, lambda s: op(s, EDITS, "post")["responses"]["200"].pop("content")),
        "response.type",
    )
    assert change.breaking and change.new == "None"


def test_inline_response_fields(tmp_path: Path) -> None:
    def edit(s: Spec) -> None:
        inline = op(s, ITEM, "get")["responses"]["200"]["content"]["application/json"]["schema"]
        inline["properties"].pop("name")
        inline["properties"]["size"] = {"type": "integer"}
        inline["required"].append("size")

    changes = diff(tmp_path, edit)
    assert only(changes, "field.removed", "method get_item").breaking
    added = only(changes, "field.added", "method get_item")
    assert not added.breaking  # a new required field in a response is only more data
    assert "field `size` of return value" in added.detail


def test_model_direction_decides_required_fields(tmp_path: Path) -> None:
    # ChatResponse is only returned: a new required field is not breaking.
    def out(s: Spec) -> None:
        schema(s, "ChatResponse")["properties"]["model"] = {"type": "string"}
        schema(s, "ChatResponse")["required"].append("model")

    assert not only(diff(tmp_path, out), "field.added", "model ChatResponse").breaking

    # Message is sent and returned: a new required field breaks code that builds one.
    def both(s: Spec) -> None:
        schema(s, "Message")["properties"]["name"] = {"type": "string"}
        schema(s, "Message")["required"].append("name")

    assert only(diff(tmp_path, both), "field.added", "model Message").breaking


def test_response_field_becoming_optional_is_breaking(tmp_path: Path) -> None:
    change = only(
        diff(tmp_path, lambda s: schema(s, "ChatResponse")["required"].remove("id")),
        "required.removed",
    )
    assert change.breaking and "field `id` is now optional" in change.detail


def test_nullable_required_response_field(tmp_path: Path) -> None:
    def edit(s: Spec) -> None:
        schema(s, "ChatResponse")["properties"]["id"] = {"type": ["string", "null"]}

    change = only(diff(tmp_path, edit), "nullable.added")
    assert change.breaking and "may now be None" in change.detail


def test_nullable_optional_field_is_not_reported(tmp_path: Path) -> None:
    # `score` is not required, so it is already Optional[int] = None in the SDK.
    def edit(s: Spec) -> None:
        schema(s, "ChatResponse")["properties"]["score"] = {
            "anyOf": [{"type": "integer"}, {"type": "null"}]
        }

    assert diff(tmp_path, edit) == []


def test_model_removed_and_added(tmp_path: Path) -> None:
    def edit(s: Spec) -> None:
        s["components"]["schemas"]["Usage"] = {
            "type": "object",
            "properties": {"tokens": {"type": "integer"}},
        }
        s["components"]["schemas"].pop("ImageResponse")
        media = op(s, EDITS, "post")["responses"]["200"]["content"]["application/json"]
        media["schema"] = {"$ref": "#/components/schemas/Usage"}

    changes = diff(tmp_path, edit)
    assert only(changes, "model.removed", "model ImageResponse").breaking
    assert not only(changes, "model.added", "model Usage").breaking


# --------------------------------------------------------------------------- types, enums, unions


def test_enum_narrowed_and_widened(tmp_path: Path) -> None:
    def edit(s: Spec) -> None:
        schema(s, "Provider")["enum"] = ["openai", "ollama", "anthropic"]

    changes = diff(tmp_path, edit)
    narrowed = only(changes, "enum.narrowed", "model Provider")
    assert narrowed.breaking and narrowed.old == ["groq"]
    widened = only(changes, "enum.widened", "model Provider")
    assert not widened.breaking and widened.new == ["anthropic"]


def _open(values: List[str]) -> Dict[str, Any]:
    return {"anyOf": [{"type": "string", "enum": values}, {"type": "string"}]}


def test_an_enum_opened_to_any_string_breaks_only_where_responses_hold_it(tmp_path: Path) -> None:
    def edit(s: Spec) -> None:
        s["components"]["schemas"]["Provider"] = _open(["openai", "groq", "ollama"])  # requests
        s["components"]["schemas"]["MessageRole"] = _open(["system", "user", "assistant"])

    changes = diff(tmp_path, edit)
    assert sorted(c.kind for c in changes) == ["enum.opened", "enum.opened"]  # values kept
    assert not only(changes, "enum.opened", "model Provider").breaking
    role = only(changes, "enum.opened", "model MessageRole")
    assert role.breaking and "any string" in role.detail  # a reply may carry a new role


def test_values_of_an_open_enum_come_and_go_without_breaking(tmp_path: Path) -> None:
    old_spec = base()
    old_spec["components"]["schemas"]["Provider"] = _open(["openai", "groq", "ollama"])
    new_spec = copy.deepcopy(old_spec)
    new_spec["components"]["schemas"]["Provider"] = _open(["openai", "ollama", "llamacpp"])
    changes = diff_files(
        write(tmp_path / "old.yaml", old_spec), write(tmp_path / "new.yaml", new_spec)
    ).changes
    gone = only(changes, "enum.narrowed", "model Provider")
    assert not gone.breaking and gone.old == ["groq"]
    fresh = only(changes, "enum.widened", "model Provider")
    assert not fresh.breaking and fresh.new == ["llamacpp"]
    closed = diff_files(write(tmp_path / "open.yaml", new_spec), BASE).changes
    assert only(closed, "enum.closed", "model Provider").breaking  # requests lose llamacpp & co.


def test_inline_enum_of_a_field(tmp_path: Path) -> None:
    def edit(s: Spec) -> None:
        schema(s, "Choice")["properties"]["finish_reason"]["enum"] = [
            "stop",
            "length",
            "tool_calls",
        ]

    change = only(diff(tmp_path, edit), "enum.widened", "model Choice")
    assert "enum field `finish_reason`: new value 'tool_calls'" in change.detail


def test_type_changed_is_breaking(tmp_path: Path) -> None:
    change = only(
        diff(
            tmp_path,
            lambda s: schema(s, "Message")["properties"].update(content={"type": "integer"}),
        ),
        "type.changed",
    )
    assert change.breaking and (change.old, change.new) == ("str", "int")


def test_int_to_float_is_widening_only_on_the_way_in(tmp_path: Path) -> None:
    request = only(
        diff(
            tmp_path,
            lambda s: schema(s, "ChatRequest")["properties"].update(max_tokens={"type": "number"}),
        ),
        "type.changed",
        "model ChatRequest",
    )
    assert not request.breaking
    response = only(
        diff(
            tmp_path,
            lambda s: schema(s, "ChatResponse")["properties"].update(score={"type": "number"}),
        ),
        "type.changed",
        "model ChatResponse",
    )
    assert response.breaking


def test_union_member_added(tmp_path: Path) -> None:
    def union(s: Spec) -> None:
        s["components"]["schemas"]["AudioPart"] = {
            "type": "object",
            "required": ["type"],
            "properties": {"type": {"type": "string", "const": "audio"}},
        }
        part = schema(s, "Part")
        part["oneOf"].append({"$ref": "#/components/schemas/AudioPart"})
        part["discriminator"]["mapping"]["audio"] = "#/components/schemas/AudioPart"

    changes = diff(tmp_path, union)
    change = only(changes, "type.changed", "model Part")
    assert not change.breaking  # Part is only sent: accepting more is compatible
    assert change.new == "Union[TextPart, ImagePart, AudioPart]"


def test_discriminator_variant_removed(tmp_path: Path) -> None:
    changes = diff(tmp_path, lambda s: schema(s, "Part")["discriminator"]["mapping"].pop("image"))
    change = only(changes, "discriminator.removed", "model Part")
    assert change.breaking and change.old == "image"
    assert change.pointer == "#/components/schemas/Part/discriminator"


def test_discriminator_property_changed(tmp_path: Path) -> None:
    changes = diff(
        tmp_path, lambda s: schema(s, "Part")["discriminator"].update(propertyName="kind")
    )
    assert only(changes, "discriminator.changed").breaking


def test_union_in_a_response_field_is_breaking(tmp_path: Path) -> None:
    def edit(s: Spec) -> None:
        schema(s, "ChatResponse")["properties"]["id"] = {
            "anyOf": [{"type": "string"}, {"type": "integer"}]
        }

    change = only(diff(tmp_path, edit), "type.changed", "model ChatResponse")
    assert change.breaking and change.new == "Union[str, int]"


def test_inline_type_becoming_a_named_model(tmp_path: Path) -> None:
    def edit(s: Spec) -> None:
        s["components"]["schemas"]["FinishReason"] = {"type": "string", "enum": ["stop", "length"]}
        schema(s, "Choice")["properties"]["finish_reason"] = {
            "$ref": "#/components/schemas/FinishReason"
        }

    changes = diff(tmp_path, edit)
    named = only(changes, "type.named", "model Choice")
    assert not named.breaking and "`FinishReason`" in named.detail
    assert not [c for c in changes if c.breaking]


def test_default_changed(tmp_path: Path) -> None:
    changes = diff(
        tmp_path,
        lambda s: schema(s, "ChatRequest")["properties"]["temperature"].update(default=1.0),
    )
    change = only(changes, "default.changed", "model ChatRequest")
    assert not change.breaking and (change.old, change.new) == (0.7, 1.0)


# --------------------------------------------------------------------------- command line


def _pair(tmp_path: Path, edit: Callable[[Spec], None]) -> List[str]:
    old = base()
    new = copy.deepcopy(old)
    edit(new)
    return [str(write(tmp_path / "old.yaml", old)), str(write(tmp_path / "new.yaml", new))]


def _mixed(s: Spec) -> None:
    s["paths"].pop(ITEM)
    schema(s, "Provider")["enum"].append("anthropic")


def test_text_output_lists_breaking_first(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(_pair(tmp_path, _mixed)) == 0
    out = capsys.readouterr().out
    assert out.index("BREAKING (1)") < out.index("NON-BREAKING (1)")
    assert (
        "method get_item" in out
        and "`get_item` removed (GET /v1/orgs/{org}/items/{item_id} is gone)" in out
    )
    assert "old.yaml:" in out and "#/paths/~1v1~1orgs~1{org}~1items~1{item_id}/get" in out


def test_json_output(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main([*_pair(tmp_path, _mixed), "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert (data["breaking"], data["non_breaking"]) == (1, 1)
    assert {c["kind"] for c in data["changes"]} == {"method.removed", "enum.widened"}
    assert set(data["changes"][0]) >= {
        "kind",
        "breaking",
        "subject",
        "detail",
        "pointer",
        "location",
    }


def test_fail_on_breaking(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main([*_pair(tmp_path, _mixed), "--fail-on-breaking"]) == 1
    only_widening = _pair(tmp_path, lambda s: schema(s, "Provider")["enum"].append("anthropic"))
    assert main([*only_widening, "--fail-on-breaking"]) == 0


def test_unreadable_spec_names_the_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("openapi: 3.1.0\npaths: [\n")
    assert main([str(BASE), str(bad)]) == 2
    err = capsys.readouterr().err
    assert "bad.yaml" in err and "YAML" in err


def test_cli_entry_point(tmp_path: Path) -> None:
    """Through `python -m generator diff`, the way people and CI run it."""
    if not (ROOT / "generator" / "cli.py").exists():
        pytest.skip("generator/cli.py not there yet")
    result = subprocess.run(
        [sys.executable, "-m", "generator", "diff", *_pair(tmp_path, _mixed), "--fail-on-breaking"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1, result.stderr
    assert "BREAKING (1)" in result.stdout


def test_seed003_to_bundled_spec() -> None:
    """The real bump: the early spec (no operationId on chat) to the bundled one."""
    changelog = diff_files(ROOT / "tests/specs/seed003_openapi.yaml", ROOT / "specs/openapi.yaml")
    renamed = [c for c in changelog.changes if c.kind == "method.renamed"]
    assert [(c.old, c.new) for c in renamed] == [
        ("post_v1_chat_completions", "create_chat_completion")
    ]
    assert any(
        c.kind == "method.added" and c.subject == "method list_tools" for c in changelog.changes
    )
    assert all(c.location.split(":")[0].endswith(".yaml") for c in changelog.changes)


# --------------------------------------------------------------------------- slips of the parallel model


def diff_pair(tmp_path: Path, edit_old: Callable[[Spec], None], edit_new: Callable[[Spec], None]) -> List[Change]:
    old, new = base(), base()
    edit_old(old)
    edit_new(new)
    return diff_files(write(tmp_path / "old.yaml", old), write(tmp_path / "new.yaml", new)).changes


def test_a_202_event_stream_response_adds_the_stream_method(tmp_path: Path) -> None:
    def edit(s: Spec) -> None:
        op(s, MODELS, "get")["responses"]["202"] = {
            "description": "accepted, progress as events",
            "content": {"text/event-stream": {"schema": {"type": "string"}}},
        }

    change = only(diff(tmp_path, edit), "stream.added")
    assert change.added_methods == ("list_models_stream",)


def test_an_arriving_operation_id_renames_the_stream_twin_and_brings_the_overlay_helpers() -> None:
    changelog = diff_files(ROOT / "tests/specs/seed003_openapi.yaml", ROOT / "specs/openapi.yaml")
    renamed = only(changelog.changes, "method.renamed")
    assert set(renamed.removed_methods) == {"post_v1_chat_completions", "post_v1_chat_completions_stream"}
    assert set(renamed.added_methods) == {"create_chat_completion", "create_chat_completion_stream"}
    assert "`create_chat_completion_stream`" in renamed.detail
    helpers = {c.subject: c for c in changelog.changes if "helper" in c.detail}
    assert {"method stream_chat_completion", "method run_tools"} <= set(helpers)
    # Seed 003 has the proxy operations already, so its SDK had proxy_request: not a change.
    assert "method proxy_request" not in helpers
    assert all(c.kind == "method.added" and not c.breaking for c in helpers.values())


def test_a_request_only_enum_widened_to_str_is_not_breaking(tmp_path: Path) -> None:
    def field(values: Any) -> Callable[[Spec], None]:
        def edit(s: Spec) -> None:
            prop: Dict[str, Any] = {"type": "string"}
            if values:
                prop["enum"] = values
            schema(s, "ChatRequest")["properties"]["format"] = prop

        return edit

    changes = diff_pair(tmp_path, field(["text", "json"]), field(None))
    assert {c.kind for c in changes} == {"enum.widened"}
    assert not any(c.breaking for c in changes)  # the argument and the model field alike
    # The same change on a response field is breaking: readers may meet any string.
    def response(values: Any) -> Callable[[Spec], None]:
        def edit(s: Spec) -> None:
            prop: Dict[str, Any] = {"type": "string", **({"enum": values} if values else {})}
            schema(s, "ChatResponse")["properties"]["format"] = prop

        return edit

    assert only(diff_pair(tmp_path, response(["a"]), response(None)), "enum.widened").breaking


def test_a_field_becoming_base64_is_reported(tmp_path: Path) -> None:
    def edit(s: Spec) -> None:
        schema(s, "ChatResponse")["properties"]["id"] = {"type": "string", "format": "byte"}

    change = only(diff(tmp_path, edit), "type.changed", "model ChatResponse")
    assert change.breaking and (change.old, change.new) == ("str", "Base64Str")


def test_a_dropped_discriminator_is_not_a_removed_variant(tmp_path: Path) -> None:
    changes = diff(tmp_path, lambda s: schema(s, "Part").pop("discriminator"))
    change = only(changes, "discriminator.dropped", "model Part")
    assert not change.breaking and change.old == "type"
    assert not [c for c in changes if c.kind == "discriminator.removed"]


def test_now_required_is_judged_alike_on_twin_response_models(tmp_path: Path) -> None:
    """Choice is returned by a method; StreamChoice only arrives in stream events (no method
    names it): both are read by the SDK, never sent, so both judge `required` the same way."""

    def twins(required: List[str]) -> Callable[[Spec], None]:
        def edit(s: Spec) -> None:
            s["components"]["schemas"]["StreamChoice"] = {
                "type": "object",
                "required": list(required),
                "properties": {"index": {"type": "integer"}, "finish_reason": {"type": "string"}},
            }
            schema(s, "Choice")["required"] = ["index", "message", *required]
            schema(s, "Choice")["properties"]["finish_reason"] = {"type": "string"}

        return edit

    changes = diff_pair(tmp_path, twins([]), twins(["finish_reason"]))
    choice = only(changes, "required.added", "model Choice")
    stream = only(changes, "required.added", "model StreamChoice")
    assert choice.breaking is stream.breaking is False


def test_no_default_is_reported_on_a_required_field(tmp_path: Path) -> None:
    # `id` is required: the generated field has no default, whatever the spec says.
    changes = diff(tmp_path, lambda s: schema(s, "ChatResponse")["properties"]["id"].update(default="x"))
    assert changes == []


def test_a_changed_server_path_moves_every_url(tmp_path: Path) -> None:
    def servers(url: str) -> Callable[[Spec], None]:
        return lambda s: s.update(servers=[{"url": url}])

    changes = diff_pair(tmp_path, servers("http://localhost:8080"), servers("http://localhost:8080/api"))
    routes = [c for c in changes if c.kind == "method.route"]
    assert len(routes) == 5 and all(c.breaking for c in routes)
    assert ("GET /v1/models", "GET /api/v1/models") in {(c.old, c.new) for c in routes}
    base_path = only(changes, "client.base_path")
    assert base_path.breaking and (base_path.old, base_path.new) == ("/v1", "/api")


def test_fields_of_an_inline_object_inside_a_model(tmp_path: Path) -> None:
    """An inline object becomes a nested class: its fields are compared, its type is not a dict."""

    def usage(props: Dict[str, Any]) -> Callable[[Spec], None]:
        def edit(s: Spec) -> None:
            schema(s, "ChatResponse")["properties"]["usage"] = {"type": "object", "properties": props}

        return edit

    changes = diff_pair(
        tmp_path, usage({"total": {"type": "integer"}}), usage({"total": {"type": "number"}, "cached": {"type": "integer"}})
    )
    assert only(changes, "type.changed", "model ChatResponse").detail == (
        "type of field `usage.total` is now float (was int)"
    )
    assert "new optional field `usage.cached` (int)" in only(changes, "field.added").detail
    added = only(diff(tmp_path, usage({"total": {"type": "integer"}})), "field.added")
    assert added.detail == "new optional field `usage` (<inline model>)"


def test_a_dangling_reference_is_a_located_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    spec = base()
    op(spec, MODELS, "get")["responses"]["200"]["content"]["application/json"]["schema"] = {
        "$ref": "#/components/schemas/Nowhere"
    }
    assert main([str(BASE), str(write(tmp_path / "bad.yaml", spec))]) == 2
    err = capsys.readouterr().err
    assert "bad.yaml:" in err and "Nowhere" in err and "#/components/schemas/Nowhere" in err


def test_multipart_part_made_required(tmp_path: Path) -> None:
    old = base()
    op(old, EDITS, "post")["requestBody"]["content"]["multipart/form-data"]["schema"]["required"] = ["image"]
    changelog = diff_files(write(tmp_path / "old.yaml", old), write(tmp_path / "new.yaml", base()))
    change = only(changelog.changes, "required.added")
    assert change.breaking and "argument `prompt` is now required" in change.detail
