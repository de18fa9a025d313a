"""The IR decides each schema's kind from the schema; datamodel-code-generator's module is only
checked against it (a located error when they disagree). Annotations are values."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Dict

import pytest

from generator import ir, models, pytypes
from generator.load import Spec, SpecError


def ref(name: str) -> Dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


SCHEMAS: Dict[str, Any] = {
    "Obj": {"type": "object", "properties": {"b": {"type": "string", "format": "byte"}}},
    "NoType": {"properties": {"x": {"type": "integer"}}},
    "Empty": {"type": "object"},
    "FreeMap": {"type": "object", "additionalProperties": True},
    "TypedMap": {"type": "object", "additionalProperties": {"type": "string"}},
    "Composed": {"allOf": [ref("Obj"), {"type": "object", "properties": {"z": {"type": "string"}}}]},
    "NullableObj": {"type": ["object", "null"], "properties": {"x": {"type": "integer"}}},
    "Closed": {"type": "string", "enum": ["a", "b"]},
    "Open": {"anyOf": [{"type": "string", "enum": ["a", "b"]}, {"type": "string"}]},
    "Const": {"const": "x"},
    "Numbers": {"type": "integer", "enum": [1, 2]},
    "Either": {"oneOf": [ref("Obj"), ref("Composed")], "discriminator": {"propertyName": "b"}},
    "MaybeObj": {"anyOf": [ref("Obj"), {"type": "null"}]},
    "Alias": ref("Obj"),
    "Strings": {"type": "array", "items": {"type": "string"}},
    "Anything": {"description": "no type at all"},
    "Scalars": {"type": ["string", "integer"]},
}
KINDS = {
    "Obj": "model",
    "NoType": "model",
    "Empty": "model",
    "FreeMap": "model",
    "TypedMap": "root",
    "Composed": "model",
    "NullableObj": "model",
    "Closed": "enum",
    "Open": "enum",
    "Const": "enum",
    "Numbers": "enum",
    "Either": "union",
    "MaybeObj": "root",
    "Alias": "root",
    "Strings": "root",
    "Anything": "root",
    "Scalars": "root",
}


def prepared(schemas: Dict[str, Any]) -> ir.Prepared:
    data = {"openapi": "3.1.0", "info": {"title": "t", "version": "1"}, "paths": {}, "components": {"schemas": schemas}}
    return ir.prepare(Spec(path=Path("t.yaml"), display="t.yaml", data=data, lines={"/components/schemas/Obj": 7}))


def test_kinds_are_decided_from_the_schema_and_the_generated_module_agrees() -> None:
    prep = prepared(SCHEMAS)
    api = ir.build(prep)
    assert {name: s.kind for name, s in api.schemas.items()} == KINDS
    source = models.generate_models(prep.model_spec, source_name="t.yaml").source
    ir.check_models(api, source, prep.spec)  # raises if datamodel-code-generator disagrees


def test_the_ir_holds_the_shapes_users_see() -> None:
    api = ir.build(prepared(SCHEMAS))
    obj, opened, either = api.schemas["Obj"], api.schemas["Open"], api.schemas["Either"]
    (field,) = obj.fields
    assert (field.wire_name, field.type, field.required) == ("b", pytypes.BASE64_STR, False)
    assert field.pointer == "/components/schemas/Obj/properties/b"
    assert [f.wire_name for f in api.schemas["Composed"].fields] == ["b", "z"]
    assert (opened.enum, opened.open) == (("a", "b"), True)
    assert (either.discriminator, either.value) == ("b", pytypes.union([pytypes.model("Obj"), pytypes.model("Composed")]))


def test_a_disagreeing_models_module_is_a_located_error() -> None:
    prep = prepared({"Obj": SCHEMAS["Obj"]})
    api = ir.build(prep)
    with pytest.raises(SpecError) as wrong_kind:
        ir.check_models(api, "class Obj(RootModel[int]):\n    root: int\n", prep.spec)
    assert wrong_kind.value.pointer == "/components/schemas/Obj" and wrong_kind.value.line == 7
    assert "expected to be a BaseModel" in str(wrong_kind.value)
    with pytest.raises(SpecError, match="produced no class 'Obj'"):
        ir.check_models(api, "class Other(BaseModel):\n    pass\n", prep.spec)


def test_annotations_render_themselves_and_list_their_imports() -> None:
    value = pytypes.optional(pytypes.union([pytypes.list_of(pytypes.model("Message"), inputs=True), pytypes.STR]))
    assert value.render() == "Optional[Union[Sequence[Message], str]]"
    assert set(value.imports()) == {
        ("typing", "Optional"),
        ("typing", "Union"),
        ("typing", "Sequence"),
        (".models", "Message"),
    }
    # an open enum is a str; Any absorbs everything; None makes it Optional
    assert pytypes.union([pytypes.Literal(("a",)), pytypes.STR]) == pytypes.STR
    assert pytypes.union([pytypes.INT, pytypes.ANY]) == pytypes.ANY
    assert pytypes.union([pytypes.INT, pytypes.NONE]).render() == "Optional[int]"
    assert pytypes.accepts(pytypes.FLOAT, pytypes.INT) and not pytypes.accepts(pytypes.INT, pytypes.FLOAT)
    assert pytypes.accepts(pytypes.STR, pytypes.Literal(("a", "b")))
    assert not pytypes.accepts(pytypes.BASE64_STR, pytypes.STR)
