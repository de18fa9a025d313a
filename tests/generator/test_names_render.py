"""Identifier rules and the template filters: any spec text stays data."""

from __future__ import annotations

import ast
import keyword
import textwrap

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator import names, render


@pytest.mark.parametrize(
    ("wire", "expected"),
    [
        ("createChatCompletion", "create_chat_completion"),
        ("stream-events.v2", "stream_events_v2"),
        ("HTTPResponseCode", "http_response_code"),
        ("with space", "with_space"),
    ],
)
def test_snake_case(wire: str, expected: str) -> None:
    assert names.snake_case(wire) == expected


@pytest.mark.parametrize(
    ("wire", "expected"),
    [
        ("class", "class_"),
        ("match", "match_"),
        ("type", "type_"),
        ("self", "self_"),
        ("extra_body", "extra_body_"),
        ("timeout", "timeout_"),
        ("cast", "cast_"),
        ("str", "str_"),
        ("list", "list_"),
        ("input", "input"),
        ("id", "id"),
        ("format", "format"),
        ("schema", "schema_"),
        ("model_config", "model_config_"),
        ("3d", "field_3d"),
        ("X-Request-ID", "x_request_id"),
        ("", "field"),
        ("日本", "field"),
    ],
)
def test_parameter_names_are_valid_and_never_shadow_what_the_code_uses(wire: str, expected: str) -> None:
    assert names.parameter_name(wire) == expected


def test_collisions_get_numbered_names() -> None:
    assert names.parameter_name("class", {"class_"}) == "class_2"
    assert names.class_name("Message", {"Message"}) == "Message2"
    assert names.method_name("close", "get", "/x") == "close_"
    assert names.method_name(None, "get", "/v1/models/{id}") == "get_v1_models_by_id"
    assert names.method_name(None, "get", "/v1/models/{id}", {"get_v1_models_by_id"}) == "get_v1_models_by_id_2"


@pytest.mark.parametrize(
    ("wire", "expected"),
    [
        ("ImageURL", "ImageURL"),
        ("my.dotted-Name", "MyDottedName"),
        ("def", "Def"),
        ("Field", "FieldModel"),
        ("123start", "Model123start"),
        ("Exception", "ExceptionModel"),
    ],
)
def test_class_names(wire: str, expected: str) -> None:
    assert names.class_name(wire) == expected


@given(st.text())
@settings(max_examples=300, deadline=None)
def test_any_text_makes_a_valid_identifier(wire: str) -> None:
    for name in (names.parameter_name(wire), names.method_name(wire or None, "get", "/" + wire)):
        assert name.isidentifier() and not keyword.iskeyword(name), (wire, name)
    cls = names.class_name(wire)
    assert cls.isidentifier() and cls[0].isupper(), (wire, cls)


@given(st.text())
@settings(max_examples=500, deadline=None)
def test_docstring_filter_round_trips_any_text(text: str) -> None:
    literal = render.docstring(text, indent=4)
    source = f"def f():\n    {literal}\n"
    tree = ast.parse(source)
    fn = tree.body[0]
    assert isinstance(fn, ast.FunctionDef) and len(fn.body) == 1  # nothing but the docstring
    value = ast.get_docstring(fn, clean=False) or ""
    expected = textwrap.dedent(text.replace("\r\n", "\n").replace("\r", "\n")).strip()
    assert textwrap.dedent(value).strip() == expected


@given(st.text())
@settings(max_examples=300, deadline=None)
def test_doctext_and_comment_stay_on_one_line(text: str) -> None:
    assert "\n" not in render.comment(text)
    module = ast.parse(f'"""x {render.doctext(text)} y"""\n# {render.comment(text)}\nz = 1\n')
    assert len(module.body) == 2


_scalars = st.one_of(st.text(), st.integers(), st.floats(allow_nan=False), st.booleans(), st.none())


@given(st.one_of(_scalars, st.lists(_scalars), st.dictionaries(st.text(), _scalars)))
def test_pyrepr_evaluates_to_the_value(value: object) -> None:
    assert eval(render.pyrepr(value), {"__builtins__": {"float": float}}) == value


def test_templates_do_not_interpret_spec_text_as_jinja(tmp_path) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "t.jinja").write_text("{{ text | docstring }}|{{ text | pyrepr }}\n")
    env = render.make_environment(tmp_path)
    out = render.render(env, "t.jinja", text="{{ 7*7 }} {% if x %}")
    assert "{{ 7*7 }} {% if x %}" in out and "49" not in out
    assert env.autoescape is False
