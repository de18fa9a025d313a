"""generator/directions.py: which schemas a spec sends and receives, and what that makes of them."""

from __future__ import annotations

from pathlib import Path

from generator import directions, ir, load, models
from tests.generator.helpers import generate, run_python

from .conftest import PETSTORE


def test_schemas_are_sorted_by_the_side_of_the_wire_that_uses_them() -> None:
    prepared = ir.prepare(load.load(PETSTORE))
    found = directions.analyse(prepared.data)
    schemas = prepared.model_spec["components"]["schemas"]
    assert found.sent == {"Pet", "Category", "Tag", "Order"}
    assert found.in_bodies == found.sent  # the `status` query parameter's enum is inline
    # ApiResponse only in an error response; OrderReceipt only in a success response;
    # FindPetsByStatusResponse is the array response hoisted into a class.
    assert found.received == {
        "Pet",
        "Category",
        "Tag",
        "Order",
        "OrderReceipt",
        "ApiResponse",
        "FindPetsByStatusResponse",
    }
    assert found.received_only(schemas) == {
        "OrderReceipt",
        "ApiResponse",
        "FindPetsByStatusResponse",
    }


def test_only_received_schemas_are_relaxed(tmp_path: Path) -> None:
    prepared = ir.prepare(load.load(PETSTORE))
    lenient = models.tolerant(prepared, "lenient").model_spec["components"]["schemas"]
    strict = models.tolerant(prepared, "strict").model_spec["components"]["schemas"]
    assert lenient["Pet"] == strict["Pet"] == prepared.model_spec["components"]["schemas"]["Pet"]
    assert lenient["OrderReceipt"]["required"] == [
        "items"
    ]  # the array stays; values and default go
    assert strict["OrderReceipt"]["required"] == ["id", "status", "items"]  # only the default goes
    assert lenient["OrderReceipt"]["properties"]["status"]["anyOf"][1] == {"type": "string"}
    assert "required" not in lenient["ApiResponse"]
    # The IR describes the models generation produces (what `diff` compares), not the spec text.
    receipt = ir.build(models.tolerant(prepared, "lenient")).schemas["OrderReceipt"]
    assert {f.wire_name: f.required for f in receipt.fields} == {
        "id": False,
        "status": False,
        "complete": False,
        "items": True,
    }
    assert ir.build(prepared).schemas["OrderReceipt"].fields[0].required

    generate(PETSTORE, tmp_path, "pets")
    out = run_python(
        """
        import pydantic
        from pets.models import OrderReceipt, Pet
        receipt = OrderReceipt.model_validate({"items": [], "status": "lost_in_transit", "extra": 1})
        print(receipt.id, receipt.status, receipt.complete, receipt.model_extra)
        try:
            Pet(name="Rex")
        except pydantic.ValidationError as exc:
            print(exc.errors()[0]["loc"])
        """,
        tmp_path,
        cwd=tmp_path,
    )
    assert out.splitlines() == ["None lost_in_transit False {'extra': 1}", "('photoUrls',)"]


def test_a_spec_without_operations_is_left_as_written() -> None:
    spec = Path(__file__).resolve().parents[1] / "generator" / "specs" / "components_only.yaml"
    prepared = ir.prepare(load.load(spec))
    assert models.tolerant(prepared, "lenient") is prepared
