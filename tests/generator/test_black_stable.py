"""Every generated module must be exactly what `black.format_str` makes of it: the generator
runs black only on the statements its renderers cannot lay out (generator/formatting.py) and
relies on the templates and datamodel-code-generator's output for the rest. A template edit
that breaks black's layout fails here, on specs of every kind; and `check` would flap if the
output were not a black fixed point."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest
from black import format_str

from bench.synthetic_spec import build
from generator.formatting import black_formatted, black_mode

from .helpers import MAIN_SPEC, REPO, SEED003, SPECS, generate

EVOLUTION = sorted((REPO / "tests" / "evolution" / "specs").glob("*.yaml"))
UPSTREAM = REPO.parent / "shared" / "upstream" / "gateway-openapi-2026-08.yaml"
SYNTHETIC = "synthetic.json"  # bench/synthetic_spec.py, written by the test


@pytest.mark.parametrize(
    "spec",
    [
        MAIN_SPEC,
        SPECS / "hostile.yaml",
        SPECS / "minimal.json",
        SPECS / "components_only.yaml",
        SPECS / "uploads.yaml",
        SEED003,
        UPSTREAM,
        Path(SYNTHETIC),
        *EVOLUTION,
    ],
    ids=lambda p: p.name,
)
def test_generated_modules_are_black_fixed_points(spec: Path, tmp_path: Path) -> None:
    if spec.name == SYNTHETIC:
        spec = tmp_path / SYNTHETIC
        spec.write_text(json.dumps(build(120, 40)), encoding="utf-8")
    generate(spec, tmp_path / "out", "stable_pkg", "--no-cache")
    mode = black_mode()
    modules = sorted((tmp_path / "out" / "stable_pkg").rglob("*.py"))
    assert any(p.name == "models.py" for p in modules)
    for path in modules:
        source = path.read_text(encoding="utf-8")
        assert format_str(source, mode=mode) == source, f"{spec.name}: {path.name} is not black-stable"


AWKWARD = '''\
from typing import Literal, Optional, Union
import re


class Quotes(BaseModel):
    """Strings black requotes, and strings it must leave alone."""
    plain: str = 'plain'
    has_double: str = 'say "hi"'
    has_single: str = "it's"
    both: str = 'it\\'s "both"'
    more_single: str = 'it\\'s, it\\'s "one"'
    backslash: str = 'a\\\\b\\'c'
    unicode: str = 'caf\\u00e9 café ünïcödé'
    joined: str = 'one' 'two'
    formatted: str = f"{joined}'quoted'"
    pattern: str = Field(..., pattern='^\\\\d+[\\'"]$')


class VeryLongHeaderClassNameForTesting(RootModel[Union[Literal['aaaaaaaaaa', 'bbbbbbbbbb', 'cccccccccc'], str]]):
    root: Union[Literal['aaaaaaaaaa', 'bbbbbbbbbb', 'cccccccccc', 'dddddddddd', 'eeeeeeeeee', 'ffff'], str]
    wide: Optional[str] = Field(None, description='éééééééééééééééééééééééééééééééééééééééééééééééééééééééééé')


_FIELDS = ('messages', 'tools', )
_EMPTY = frozenset(
    {
    }
)
_SPLIT = call(
    'short', 'arguments'
)
_Alias = Annotated[Union[Literal['aaaaaaaaaa', 'bbbbbbbbbb'], VeryLongHeaderClassNameForTesting], BeforeValidator(f)]


class Client:
    """Methods."""

    @decorator(with_a_very_long_argument_list='xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx')
    def method(
        self,
        *,
        response_format: Union[Optional[Union[ResponseFormatText, Dict[str, Any], ResponseFormatJsonSchema]], NotGiven] = NOT_GIVEN,
        short: int = 1,
    ) -> None:
        if response_format:
            raise TypeError('method() does not stream: call method_stream() for its events, which is long')
        return cast(Dict[str, Any], self._request(OPERATION, json={'key': 'value', 'other': 'another value here'}))

    async def twin(self, first_argument: Union[Literal['a', 'b'], str], second_argument: Optional[int] = None) -> Dict[str, Any]:
        async with self._client.stream(OPERATION_WITH_A_LONG_NAME, json={'key': 'value', 'other': 'more'}) as s:
            async for chunk in s.iter_events(decoder_with_a_rather_long_name, terminal_events=('done', 'end')):
                yield await self._request(OPERATION_WITH_A_LONG_NAME, json={'key': 'value', 'x': chunk})
'''


def test_formatting_equals_black_on_awkward_code() -> None:
    """Quotes with escapes and non-ASCII text, implicit concatenation, brackets black explodes
    or joins, long class headers, decorators, signatures, compound and async statements at
    several depths."""
    assert black_formatted(AWKWARD) == format_str(AWKWARD, mode=black_mode())


def test_formatting_of_a_module_with_carriage_returns_is_blacks() -> None:
    source = "class A:\n    \"\"\"One\rtwo.\"\"\"\n    x = 'y'\n"
    assert black_formatted(source) == format_str(source, mode=black_mode())


def test_formatting_rejects_invalid_python() -> None:
    with pytest.raises(SyntaxError):
        black_formatted("def broken(:\n    pass\n")
    long_call = "f(" + ", ".join(["argument"] * 12) + ")"
    with pytest.raises(SyntaxError, match=r"Python 3\.9"):  # a `match` black must format
        black_formatted(f"match x:\n    case 1:\n        {long_call}\n")


def test_quotes_equal_black_on_random_strings() -> None:
    """Any str value as Python writes it (`repr`), in datamodel-code-generator's single quotes
    or not: quotes, backslashes, escapes and non-ASCII text, as black quotes it."""
    rng = random.Random(7)
    alphabet = ["'", '"', "\\", "a", " ", "\n", "\t", "é", "\x00", "\u200b", "{", "}"]
    values = ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 12))) for _ in range(400)]
    source = "".join(f"v{i} = {value!r}\n" for i, value in enumerate(values))
    assert black_formatted(source) == format_str(source, mode=black_mode())
