"""Every Python example in README.md runs, unchanged but for its URLs, against the local servers.

Each ```python block is one test: the gateway URL of the examples is pointed at the fake gateway
(tests/fakegw) and the A2A agent URL at the official a2a-sdk echo agent. A block passes when it
runs to the end and the server it names received its requests.
"""

from __future__ import annotations

import contextlib
import io
import re
from pathlib import Path
from typing import Any, Dict, List, Tuple

import pytest

from tests.bundled.a2a.conftest import echo_agent  # noqa: F401  (fixture: the a2a-sdk echo agent)
from tests.fakegw import FakeGateway

README = Path(__file__).resolve().parents[2] / "README.md"
GATEWAY_URL = "http://localhost:8080/v1"
AGENT_URL = "http://localhost:9999"


def readme_blocks() -> List[Tuple[str, str]]:
    """(id, code) of every ```python block, the id naming its section and position."""
    blocks: List[Tuple[str, str]] = []
    section = "top"
    counts: Dict[str, int] = {}
    in_block = False
    lines: List[str] = []
    for line in README.read_text("utf-8").splitlines():
        if not in_block and line.startswith("#"):
            section = re.sub(r"[^a-z0-9]+", "-", line.lstrip("#").strip().lower()).strip("-")
        elif not in_block and line.strip() == "```python":
            in_block, lines = True, []
        elif in_block and line.strip() == "```":
            in_block = False
            counts[section] = counts.get(section, 0) + 1
            blocks.append((f"{section}-{counts[section]}", "\n".join(lines) + "\n"))
        elif in_block:
            lines.append(line)
    return blocks


BLOCKS = readme_blocks()


def test_readme_has_examples() -> None:
    assert len(BLOCKS) >= 15, [name for name, _ in BLOCKS]


@pytest.mark.parametrize("code", [code for _, code in BLOCKS], ids=[name for name, _ in BLOCKS])
def test_readme_example_runs(code: str, gateway: FakeGateway, request: pytest.FixtureRequest) -> None:
    uses_gateway = GATEWAY_URL in code or "InferenceGatewayClient(" in code
    uses_agent = AGENT_URL in code
    assert uses_gateway or uses_agent, "every README example talks to a server"
    code = code.replace(GATEWAY_URL, gateway.base_url)
    if uses_agent:
        code = code.replace(AGENT_URL, request.getfixturevalue("echo_agent"))
    namespace: Dict[str, Any] = {"__name__": "__readme__"}
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(code, str(README), "exec"), namespace)
    if uses_gateway:
        assert gateway.requests, "the example sent nothing to the gateway"
    assert out.getvalue().strip(), "the example printed nothing"
