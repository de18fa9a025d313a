"""What real specs bring: JSON read as JSON, every validation error in one run (each located),
and `--lenient`, which repairs the defects `load.LENIENT` lists and says where."""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import Any, Dict, List

import pytest

from generator import load

from .helpers import run_cli, run_python


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return path


# ------------------------------------------------------------------------------------ JSON

JSON_SPEC = """
{
  "openapi": "3.1.0",
  "info": {"title": "JSON numbers", "version": "1"},
  "paths": {
    "/tune": {
      "post": {
        "operationId": "tune",
        "requestBody": {
          "required": true,
          "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Tuning"}}}
        },
        "responses": {"204": {"description": "done"}}
      }
    }
  },
  "components": {
    "schemas": {
      "Tuning": {
        "type": "object",
        "properties": {
          "epsilon": {"type": "number", "default": 1e-05, "minimum": 1E-9},
          "switch": {"type": "string", "default": "on"}
        }
      }
    }
  }
}
"""


@pytest.mark.parametrize("name", ["spec.json", "spec.yaml"])
def test_a_json_spec_is_read_as_json_by_extension_or_content(tmp_path: Path, name: str) -> None:
    spec = load.load(_write(tmp_path, name, JSON_SPEC))
    epsilon = spec.data["components"]["schemas"]["Tuning"]["properties"]["epsilon"]
    # YAML 1.1 reads `1e-05` as the string "1e-05"; JSON says it is a number.
    assert epsilon["default"] == 1e-05 and isinstance(epsilon["default"], float)
    assert epsilon["minimum"] == 1e-9
    assert spec.line_of("/components/schemas/Tuning/properties/epsilon") == 21
    assert spec.line_of("/paths/~1tune/post/requestBody/content") == 10


def test_a_generated_default_from_a_json_spec_is_the_number(tmp_path: Path) -> None:
    spec = _write(tmp_path, "spec.json", JSON_SPEC)
    result = run_cli(["generate", "--spec", str(spec), "--output", str(tmp_path / "out"), "--package-name", "jpkg"])
    assert result.returncode == 0, result.stderr
    out = run_python(
        "from jpkg.models import Tuning; t = Tuning(); print(repr(t.epsilon), repr(t.switch))",
        tmp_path / "out",
    )
    assert out.split() == ["1e-05", "'on'"]


def test_broken_json_and_repeated_json_keys_are_located(tmp_path: Path) -> None:
    broken = _write(tmp_path, "broken.json", '{\n  "openapi": "3.1.0",\n  "info": {,}\n}\n')
    with pytest.raises(load.SpecError) as info:
        load.load(broken)
    assert (info.value.pointer, info.value.line) == ("/", 3)
    assert info.value.message.startswith("not valid JSON")
    repeated = _write(tmp_path, "repeated.json", '{\n  "openapi": "3.1.0",\n  "paths": {},\n  "paths": {}\n}\n')
    with pytest.raises(load.SpecError) as info:
        load.load(repeated)
    assert (info.value.pointer, info.value.line) == ("/paths", 4)
    assert "duplicate key" in info.value.message


def test_a_yaml_flow_mapping_that_is_not_json_is_still_yaml(tmp_path: Path) -> None:
    spec = load.load(_write(tmp_path, "flow.yaml", "{openapi: 3.1.0, info: {title: t, version: '1'}, paths: {}}\n"))
    assert spec.data["info"]["title"] == "t"


# ------------------------------------------------------------------------- all the errors

DEFECTS = """
openapi: 3.1.0
info: {title: Defects, version: "1"}
paths:
  /items/{item_id}:
    get:
      operationId: getItem
      parameters:
        - {name: item_id, in: path, schema: {type: integer}}
        - {name: limit, in: query, schema: {type: integer, default: ten}}
      responses:
        "200":
          content: {application/json: {schema: {$ref: "#/components/schemas/Item"}}}
  /items:
    get:
      operationId: getItem
      responses:
        "200":
          description: all items
          content: {application/json: {schema: {type: array, items: {$ref: "#/components/schemas/Item"}}}}
  /shelves/{shelf}/items:
    get:
      operationId: listShelf
      responses:
        "204": {description: nothing}
components:
  schemas:
    Item:
      type: object
      required: [id]
      properties:
        id: {type: integer}
        note: {type: string, nullable: true}
        size: {type: integer, default: big}
"""

# (pointer, line, words of the message) of every defect above, in the order reported.
EXPECTED_ERRORS = [
    ("/paths/~1items~1{item_id}/get/parameters/0", 8, "'required' is a required property"),
    ("/paths/~1items~1{item_id}/get/responses/200", 11, "'description' is a required property"),
    ("/paths/~1items~1{item_id}/get/parameters/1/schema/default", 9, "'ten' is not of type 'integer'"),
    ("/components/schemas/Item/properties/size/default", 33, "'big' is not of type 'integer'"),
    ("/paths/~1items/get/operationId", 15, "Operation ID 'getItem' for 'get' in '/items' is not unique"),
    ("/paths/~1shelves~1{shelf}~1items/get", 21, "Path parameter 'shelf'"),
]


def test_every_error_of_a_spec_is_reported_in_one_run_each_located(tmp_path: Path) -> None:
    spec = _write(tmp_path, "defects.yaml", DEFECTS)
    result = run_cli(["validate", "--spec", str(spec), "--no-cache"])
    assert result.returncode == 2
    errors = [line for line in result.stderr.splitlines() if line.startswith("error: ")]
    assert len(errors) == len(EXPECTED_ERRORS), result.stderr
    for pointer, line, words in EXPECTED_ERRORS:
        assert any(f"defects.yaml:{line}: at {pointer}: " in e and words in e for e in errors), (
            pointer,
            result.stderr,
        )
    assert f"{len(EXPECTED_ERRORS)} errors" in result.stderr


def test_refs_are_all_reported_before_the_validator_runs(tmp_path: Path) -> None:
    spec = _write(
        tmp_path,
        "refs.yaml",
        """
        openapi: 3.1.0
        info: {title: Refs, version: "1"}
        paths: {}
        components:
          schemas:
            A: {$ref: "#/components/schemas/Missing"}
            B: {$ref: "other.yaml#/B"}
        """,
    )
    with pytest.raises(load.SpecError) as info:
        load.validate(load.load(spec))
    found = [(e.pointer, e.line) for e in info.value.errors]
    assert found == [("/components/schemas/A/$ref", 6), ("/components/schemas/B/$ref", 7)]


# ------------------------------------------------------------------------------- lenient

# (pointer, line, words) of every warning --lenient gives for DEFECTS.
EXPECTED_WARNINGS = [
    ("/paths/~1items~1{item_id}/get/responses/200", 11, "response has no description"),
    ("/paths/~1items/get/operationId", 15, "operationId 'getItem' is used before"),
    ("/paths/~1shelves~1{shelf}~1items/get", 21, "path parameter 'shelf' is not declared"),
    ("/paths/~1items~1{item_id}/get/parameters/0", 8, "path parameter 'item_id' was not marked required"),
    ("/components/schemas/Item/properties/note/nullable", 32, "`nullable` is not an OpenAPI 3.1 keyword"),
    ("/components/schemas/Item/properties/size/default", 33, "default ignored"),
    ("/paths/~1items~1{item_id}/get/parameters/1/schema/default", 9, "default ignored"),
]


def test_lenient_repairs_each_listed_defect_with_a_located_warning(tmp_path: Path) -> None:
    spec = load.load(_write(tmp_path, "defects.yaml", DEFECTS))
    load.validate(spec, lenient=True)
    found = [(w.pointer, w.line) for w in spec.warnings]
    assert found == [(pointer, line) for pointer, line, _ in EXPECTED_WARNINGS]
    for warning, (_, _, words) in zip(spec.warnings, EXPECTED_WARNINGS):
        assert words in warning.message and warning.message.endswith("(lenient)"), warning
    data: Dict[str, Any] = spec.data
    one = data["paths"]["/items/{item_id}"]["get"]
    assert one["parameters"][0]["required"] is True
    assert "default" not in one["parameters"][1]["schema"]
    assert one["responses"]["200"]["description"] == ""
    assert "operationId" not in data["paths"]["/items"]["get"]
    shelf: List[Dict[str, Any]] = data["paths"]["/shelves/{shelf}/items"]["get"]["parameters"]
    assert shelf == [{"name": "shelf", "in": "path", "required": True, "schema": {"type": "string"}}]
    item = data["components"]["schemas"]["Item"]["properties"]
    assert item["note"] == {"type": ["string", "null"]}
    assert item["size"] == {"type": "integer"}


def test_lenient_keeps_real_errors_errors(tmp_path: Path) -> None:
    spec = _write(tmp_path, "bad.yaml", DEFECTS.replace("type: object\n      required", "type: objectt\n      required"))
    result = run_cli(["validate", "--spec", str(spec), "--lenient", "--no-cache"])
    assert result.returncode == 2
    assert "bad.yaml:28: at /components/schemas/Item/type:" in result.stderr, result.stderr


def test_a_lenient_generation_warns_and_produces_a_working_package(tmp_path: Path) -> None:
    spec = _write(tmp_path, "defects.yaml", DEFECTS)
    out = tmp_path / "out"
    strict = run_cli(["generate", "--spec", str(spec), "--output", str(out), "--package-name", "lpkg"])
    assert strict.returncode == 2 and not out.exists()
    result = run_cli(["generate", "--spec", str(spec), "--output", str(out), "--package-name", "lpkg", "--lenient"])
    assert result.returncode == 0, result.stderr
    warnings = [line for line in result.stderr.splitlines() if line.startswith("warning: ")]
    assert len(warnings) == len(EXPECTED_WARNINGS), result.stderr
    for line, (pointer, number, _) in zip(warnings, EXPECTED_WARNINGS):
        assert f"defects.yaml:{number}: at {pointer}: " in line, line
    methods = run_python(
        """
        import inspect
        import lpkg._client as module
        client = next(
            value
            for name, value in vars(module).items()
            if isinstance(value, type) and value.__module__ == module.__name__
            and name.endswith("Client") and not name.startswith("Async")
        )
        print(sorted(n for n in dir(client) if n.startswith(("get", "list"))))
        print(list(inspect.signature(client.list_shelf).parameters)[:2])
        from lpkg.models import Item
        print(Item.model_validate({"id": 1, "note": None}).note)
        """,
        out,
    )
    lines = methods.splitlines()
    assert lines[0] == str(["get_item", "get_items", "list_shelf"])
    assert lines[1] == str(["self", "shelf"])
    assert lines[2] == "None"
    check = run_cli(["check", "--spec", str(spec), "--output", str(out), "--package-name", "lpkg", "--lenient"])
    assert check.returncode == 0, check.stdout + check.stderr


def test_lenient_is_listed_in_the_help_of_each_command() -> None:
    for command in ("validate", "generate", "check"):
        result = run_cli([command, "--help"])
        assert "--lenient" in result.stdout, command


def test_diff_lenient_names_what_a_lenient_generation_produces(tmp_path: Path) -> None:
    """Fixing the repeated operationId by hand changes nothing a lenient generation produces
    (the repaired operation was already named from its method and path), and diff --lenient
    agrees; without --lenient, diff refuses the defective spec as generation does (exit 2, located)."""
    old = _write(tmp_path, "old.yaml", DEFECTS)
    repeated = 'operationId: getItem\n      responses:\n        "200":\n          description: all items'
    assert repeated in old.read_text()
    fixed = _write(tmp_path, "fixed.yaml", DEFECTS.replace(repeated, repeated.split("\n", 1)[1].lstrip()))
    result = run_cli(["diff", str(old), str(fixed), "--lenient"])
    assert result.returncode == 0, result.stderr
    assert "no changes to the SDK surface" in result.stdout, result.stdout
    warnings = [line for line in result.stderr.splitlines() if line.startswith("warning: ")]
    assert len(warnings) == 2 * len(EXPECTED_WARNINGS) - 1, result.stderr  # fixed.yaml: one defect less
    strict = run_cli(["diff", str(old), str(fixed)])
    assert strict.returncode == 2, strict.stdout + strict.stderr
    assert "old.yaml:" in strict.stderr and "undeclared parameter" in strict.stderr, strict.stderr


def test_lenient_twin_defaults_and_shared_responses(tmp_path: Path) -> None:
    """Two identical schemas with the same bad default are two warnings (each at its node), and a
    response under components gets its description too."""
    text = """
    openapi: 3.1.0
    info: {title: t, version: "1"}
    paths: {}
    components:
      responses:
        Gone: {content: {application/json: {schema: {type: object}}}}
      schemas:
        A: {type: object, properties: {n: {type: integer, default: "x"}}}
        B: {type: object, properties: {n: {type: integer, default: "x"}}}
    """
    strict = load.load(_write(tmp_path, "twins.yaml", text))
    with pytest.raises(load.SpecError) as info:
        load.validate(strict)
    assert [(e.pointer, e.line) for e in info.value.errors] == [
        ("/components/responses/Gone", 6),
        ("/components/schemas/A/properties/n/default", 8),
        ("/components/schemas/B/properties/n/default", 9),
    ]
    spec = load.load(_write(tmp_path, "twins.yaml", text))
    load.validate(spec, lenient=True)
    assert [w.pointer for w in spec.warnings] == [e.pointer for e in info.value.errors]
