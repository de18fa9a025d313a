"""Hostile specs: names and strings from the spec can never break or inject code."""

from __future__ import annotations

from pathlib import Path
from typing import Iterator, Tuple

import pytest

from .helpers import REPO, SPECS, generate, run_python

Generated = Tuple[Path, Path]  # (sys.path entry, cwd that must stay clean)


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Generated]:
    root = tmp_path_factory.mktemp("hostile")
    out = root / "out"
    generate(SPECS / "hostile.yaml", out, "hostile_pkg")
    cwd = root / "cwd"
    cwd.mkdir()
    yield out, cwd
    assert not list(cwd.iterdir()), "something from the spec ran and wrote a file"
    assert not (REPO / "PWNED_MARKER").exists()


def test_every_module_compiles_and_imports_without_running_spec_text(hostile: Generated) -> None:
    out, cwd = hostile
    run_python(
        """
        import importlib, pkgutil, hostile_pkg
        for info in pkgutil.walk_packages(hostile_pkg.__path__, "hostile_pkg."):
            importlib.import_module(info.name)
        for name in hostile_pkg.__all__:
            getattr(hostile_pkg, name)
        """,
        out,
        cwd=cwd,
    )
    assert not (cwd / "PWNED_MARKER").exists()


def test_docstrings_keep_the_spec_text_verbatim(hostile: Generated) -> None:
    out, cwd = hostile
    text = run_python(
        """
        from hostile_pkg import models, _operations
        print(models.Def.__doc__)
        print(_operations.SyncOperations.get_v1_things_by_thing_id_sub_path_by_class.__doc__)
        print(_operations.__doc__)
        """,
        out,
        cwd=cwd,
    )
    assert '""" \\ {{ x }} {% if %} __import__("os").system("touch PWNED_MARKER")' in text
    assert 'Summary with """ triple quotes and a trailing quote"' in text
    assert "Jinja {{ config }} {% for x in y %}{% endfor %} and code" in text
    assert "backslash at the end \\\n" in text
    assert 'Hostile """ API \\ {{ 7*7 }} {% raw %}' in text


def test_models_keep_wire_names_through_a_round_trip(hostile: Generated) -> None:
    out, cwd = hostile
    run_python(
        """
        import json
        from hostile_pkg.models import Def, Kinds, Node, MyDottedName, FieldModel, Model123start
        from hostile_pkg.models import BaseModelModel, OperationModel
        wire = {
            "class": "c", "x-header": "h", "with space": "s", "3d": 3, "model_config": "mc",
            "schema": "sc", "json": "js", "copy": "cp", "dict": "dc", "validate": "va",
            "fields": "fi", "model_dump": "md", "self": "se", "kind": "x-header",
            "nested": {"value": "v"}, "unknown-extra": [1, 2],
        }
        d = Def.model_validate(wire)
        assert d.class_ == "c" and d.x_header == "h" and d.field_3d == 3 and d.schema_ == "sc"
        assert d.model_config_ == "mc" and d.kind is not None and d.kind.root == "x-header"
        assert isinstance(d.nested, MyDottedName)
        assert d.model_dump(mode="json", by_alias=True, exclude_unset=True) == wire
        # population by Python name works too
        assert Def(class_="c", x_header="h").model_dump(by_alias=True, exclude_unset=True) == {
            "class": "c", "x-header": "h"}
        for value in ["x-header", "3.5", "", "class", "None"]:
            assert Kinds(value).root == value
            assert Kinds.model_validate_json(json.dumps(value)).model_dump(mode="json") == value
        tree = {"name": "root", "children": [{"name": "a", "children": [{"name": "b"}]}],
                "parent": None}
        node = Node.model_validate(tree)
        assert node.children[0].children[0].name == "b"
        assert node.model_dump(mode="json", exclude_unset=True) == tree
        assert FieldModel(a="x").a == "x" and Model123start(b="y").b == "y"
        assert BaseModelModel("s").root == "s" and OperationModel(c="z").c == "z"
        from hostile_pkg.models import TreeA, TreeB
        cyclic = {"b": {"value": "v", "a": {"b": {"items": [{"value": "w"}]}}}}
        tree = TreeA.model_validate(cyclic)
        assert tree.b.a.b.items[0].value == "w"
        assert tree.model_dump(mode="json", by_alias=True, exclude_unset=True) == cyclic
        """,
        out,
        cwd=cwd,
    )


def test_methods_have_escaped_arguments_and_keep_wire_names(hostile: Generated) -> None:
    out, cwd = hostile
    run_python(
        """
        import inspect
        from hostile_pkg import HostileAPI77RawClient as C, AsyncHostileAPI77RawClient as A
        from hostile_pkg import _operations as ops

        def params(fn):
            return [(p.name, p.kind.name) for p in inspect.signature(fn).parameters.values()]

        # no operationId: derived from method + path; reserved/keyword names escaped
        get = params(C.get_v1_things_by_thing_id_sub_path_by_class)
        assert get[:3] == [("self", "POSITIONAL_OR_KEYWORD"), ("thing_id", "POSITIONAL_OR_KEYWORD"),
                           ("class_", "POSITIONAL_OR_KEYWORD")], get
        names = [n for n, _ in get]
        for escaped in ["self_", "timeout_", "extra_headers_", "cast_", "field_3d", "with_space",
                        "x_request_id", "extra_headers", "extra_query", "timeout"]:
            assert escaped in names, (escaped, names)
        # an operation called `close` must not replace the client's close()
        assert "close_" in dir(C) and C.close is not C.close_
        close = [n for n, _ in params(C.close_)]
        assert close[:5] == ["self", "thing_id", "class_", "class_2", "x_header"], close
        assert close[-3:] == ["extra_query", "extra_body", "timeout"]
        # the body field `extra_body` does not take over the extra_body argument
        chat = params(C.create_chat)
        assert ("extra_body_", "KEYWORD_ONLY") in chat and ("extra_body", "KEYWORD_ONLY") in chat
        assert all(kind != "VAR_KEYWORD" for _, kind in chat)
        # only there to refuse `stream=True` (the streaming twin has no such argument)
        assert ("stream", "KEYWORD_ONLY") in chat
        assert "stream" not in [n for n, _ in params(C.create_chat_stream)]
        # a `stream` flag alone does not mean `[DONE]`: only the spec or the chat-completions shape
        assert ops._OP_CREATE_CHAT.stream_done_sentinel is None
        # punctuation in operationId; event-stream only operation gets a twin
        assert callable(C.stream_events_v2) and callable(C.stream_events_v2_stream)
        assert ops._OP_STREAM_EVENTS_V2.name == "stream-events.v2"
        # single bodies
        assert params(C.post_raw)[1] == ("body", "POSITIONAL_OR_KEYWORD")
        assert ("file", "KEYWORD_ONLY") in params(C.upload_file)  # a multipart part is an argument
        assert ops._OP_GET_V1_THINGS_BY_THING_ID_SUB_PATH_BY_CLASS.path == (
            "/v1/things/{thing-id}/sub.path/{class}")
        for name in ["get_v1_things_by_thing_id_sub_path_by_class", "close_", "create_chat",
                     "upload_file", "post_raw", "post_list", "get_v1_health", "stream_events_v2"]:
            assert inspect.iscoroutinefunction(getattr(A, name)), name
            assert params(getattr(A, name)) == params(getattr(C, name)), name
        assert not inspect.iscoroutinefunction(A.create_chat_stream)
        odd = {p.name: p.annotation for p in inspect.signature(C.odd_values).parameters.values()}
        assert odd["ratio"] == "Optional[float]" and odd["fixed"] == "Optional[float]", odd
        assert odd["mode"] == "Optional[Literal['a']]" and odd["x_fixed"] == "Optional[Literal['x-fixed']]", odd
        """,
        out,
        cwd=cwd,
    )
