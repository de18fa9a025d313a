"""Generated models defer their pydantic build to first use (import-time cost), and still
validate, report errors and serialise as before, on recursive schemas too."""

from __future__ import annotations

import json
import sys
import textwrap
import types
from pathlib import Path

import pytest

from generator.models import defer_pydantic_builds

from .helpers import REPO, generate, run_python

SOURCE = textwrap.dedent(
    '''
    from __future__ import annotations

    from typing import List, Literal, Optional, Union

    from pydantic import BaseModel, ConfigDict, Field, RootModel


    class Configured(BaseModel):
        """Has a config."""

        model_config = ConfigDict(
            extra="allow",
            populate_by_name=True,
        )
        wire_name: Optional[str] = Field(None, alias="wire-name")


    class Documented(BaseModel):
        """No config."""

        kind: Kind


    class Bare(BaseModel):
        x: int


    class Kind(RootModel[Literal["a", "b"]]):
        root: Literal["a", "b"]


    class Child(Bare):
        y: int


    class Node(BaseModel):
        name: str
        children: Optional[List[Node]] = None
        either: Optional[Union[Kind, Node]] = None


    Node.model_rebuild()
    '''
)


def _load(source: str, name: str) -> types.ModuleType:
    """`source` as module `name`, registered in sys.modules (deferred builds resolve names there)."""
    module = types.ModuleType(name)
    sys.modules[name] = module
    exec(compile(source, name, "exec"), module.__dict__)
    return module


def test_every_pydantic_class_defers() -> None:
    out = defer_pydantic_builds(SOURCE)
    assert "from typing import List, Literal, Optional, TypeVar, Union" in out
    assert out.count("defer_build=True") == 5  # Configured, Documented, Bare, Node, the root base
    assert "extra='allow',\n        populate_by_name=True,\n        defer_build=True,\n    )" in out
    assert '"""No config."""\n    model_config = ConfigDict(defer_build=True)\n\n    kind: Kind' in out
    assert "class Bare(BaseModel):\n    model_config = ConfigDict(defer_build=True)\n    x: int" in out
    assert 'class Kind(_DeferredRootModel[Literal["a", "b"]]):' in out
    assert "class Child(Bare):\n    y: int" in out  # inherits the config
    assert defer_pydantic_builds(out) == out  # idempotent


def test_missing_imports_are_added() -> None:
    source = "from typing import Literal\nfrom pydantic import RootModel\n\nclass K(RootModel[Literal['a']]):\n    root: Literal['a']\n"
    out = defer_pydantic_builds(source)
    assert "from typing import Literal, TypeVar\nfrom pydantic import ConfigDict, RootModel\n" in out
    module = _load(out, "_igw_defer_build_imports")
    try:
        assert module.K("a").root == "a"
    finally:
        del sys.modules[module.__name__]


def test_deferred_module_validates_errors_and_serialises() -> None:
    from pydantic import BaseModel, ValidationError
    from pydantic._internal._mock_val_ser import MockValSer

    module = _load(defer_pydantic_builds(SOURCE), "_igw_defer_build_sample")
    try:
        classes = [v for v in vars(module).values() if isinstance(v, type) and issubclass(v, BaseModel)]
        built = [c.__name__ for c in classes if c.__module__ == module.__name__ and not isinstance(c.__pydantic_validator__, MockValSer)]
        # Node.model_rebuild() builds Node (and what it refers to) on purpose; nothing else is built.
        # and the generic root base (tiny; parametrising it builds it).
        assert set(built) <= {"Node", "Kind", "_DeferredRootModel", "RootModel[~_RootT]"}, built
        node = module.Node.model_validate({"name": "r", "children": [{"name": "c", "either": "a"}], "either": {"name": "n"}})
        assert node.children[0].either.root == "a"
        assert node.either.name == "n"
        assert module.Documented(kind="b").kind.root == "b"
        assert module.Configured(wire_name="v").model_dump(by_alias=True) == {"wire-name": "v"}
        assert module.Configured.model_validate({"wire-name": "w", "other": 1}).model_dump() == {"wire_name": "w", "other": 1}
        assert module.Child(x=1, y=2).model_dump_json() == '{"x":1,"y":2}'
        with pytest.raises(ValidationError) as info:
            module.Documented(kind="c")
        assert info.value.errors()[0]["loc"] == ("kind",)
        schema = module.Node.model_json_schema()
        assert "Node" in json.dumps(schema)
    finally:
        del sys.modules[module.__name__]


def test_bundled_sdk_builds_nothing_at_import_and_works_on_first_use() -> None:
    out = run_python(
        """
        import json
        import inference_gateway as ig
        from inference_gateway import models
        from inference_gateway.a2a import models as a2a_models
        from pydantic import BaseModel, ValidationError
        from pydantic._internal._mock_val_ser import MockValSer

        built = [
            f"{m.__name__}.{n}" for m in (models, a2a_models) for n, v in vars(m).items()
            if isinstance(v, type) and issubclass(v, BaseModel) and v.__module__ == m.__name__
            and n != "_DeferredRootModel" and not n.startswith("RootModel[") and not isinstance(v.__pydantic_validator__, MockValSer)
        ]
        assert not built, built
        msg = ig.Message(role="user", content=[{"type": "text", "text": "hi"}])
        assert msg.content.root[0].root.text == "hi"
        assert ig.Message(role="user", content="hi").content.root == "hi"
        try:
            ig.Message(role="robot", content="hi")
        except ValidationError as exc:
            assert exc.errors()[0]["loc"][0] == "role", exc.errors()
        else:
            raise AssertionError("invalid role accepted")
        print(json.dumps(msg.model_dump(mode="json", exclude_none=True)))
        """,
        REPO / "generated",
    )
    assert json.loads(out) == {"role": "user", "content": [{"type": "text", "text": "hi"}]}


RECURSIVE_SPEC = {
    "openapi": "3.0.3",
    "info": {"title": "recursive", "version": "1"},
    "paths": {},
    "components": {
        "schemas": {
            "Tree": {
                "type": "object",
                "required": ["label"],
                "properties": {
                    "label": {"type": "string"},
                    "children": {"type": "array", "items": {"$ref": "#/components/schemas/Tree"}},
                    "value": {"$ref": "#/components/schemas/Value"},
                },
            },
            "Value": {"oneOf": [{"type": "string"}, {"$ref": "#/components/schemas/Tree"}]},
        }
    },
}


def test_recursive_schemas_generated_package(tmp_path: Path) -> None:
    spec = tmp_path / "recursive.json"
    spec.write_text(json.dumps(RECURSIVE_SPEC))
    generate(spec, tmp_path / "out", "recpkg")
    source = (tmp_path / "out" / "recpkg" / "models.py").read_text()
    assert "class Value(_DeferredRootModel[" in source
    out = run_python(
        """
        from pydantic import ValidationError
        from recpkg.models import Tree, Value
        tree = Tree.model_validate({"label": "a", "children": [{"label": "b", "value": {"label": "c"}}], "value": "s"})
        assert tree.children[0].value.root.label == "c"
        assert tree.value.root == "s"
        try:
            Tree.model_validate({"label": "a", "children": [{"value": "x"}]})
        except ValidationError as exc:
            print(exc.errors()[0]["loc"])
        print(tree.model_dump_json(exclude_none=True))
        """,
        tmp_path / "out",
    )
    loc, dumped = out.splitlines()
    assert loc == "('children', 0, 'label')"
    assert dumped == '{"label":"a","children":[{"label":"b","value":{"label":"c"}}],"value":"s"}'
