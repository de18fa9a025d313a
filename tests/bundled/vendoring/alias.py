"""pytest plugin: make ``import inference_gateway`` load a vendored copy instead.

    IGW_VENDORED=myapp._vendor.igw python -m pytest -p tests.bundled.vendoring.alias tests/bundled/sdk/...

Every module of the vendored package is imported up front and registered under the matching
``inference_gateway.*`` name as well, so the SDK tests (which import ``inference_gateway``) run
unchanged against the vendored code, and each class exists once (``isinstance`` keeps working).
Loaded with ``-p`` it runs before any conftest can import the real package.
"""

from __future__ import annotations

import importlib
import os
import pkgutil
import sys

import pytest

TARGET = "inference_gateway"


def _alias(vendored_name: str) -> None:
    assert TARGET not in sys.modules, f"{TARGET} was imported before the alias plugin ran"
    package = importlib.import_module(vendored_name)
    modules = {vendored_name: package}
    for info in pkgutil.walk_packages(package.__path__, prefix=vendored_name + "."):
        modules[info.name] = importlib.import_module(info.name)
    for name, module in modules.items():
        sys.modules[TARGET + name[len(vendored_name) :]] = module


_VENDORED = os.environ.get("IGW_VENDORED")
if _VENDORED:
    _alias(_VENDORED)


def pytest_report_header(config: pytest.Config) -> str:
    module = sys.modules.get(TARGET)
    return f"{TARGET} is aliased to {getattr(module, '__name__', None)} ({getattr(module, '__file__', None)})"
