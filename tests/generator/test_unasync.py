"""Blocking twins of marked async overlay classes (generator/unasync.py): the rewrite, its
errors, and the A2A client it writes."""

from __future__ import annotations

import inspect
import shutil
import types
from pathlib import Path

import pytest
from inference_gateway.a2a.client import A2AClient, AsyncA2AClient

from generator.unasync import UnasyncError, twins

from .helpers import MAIN_SPEC, REPO, generate, run_cli, tree_bytes

SOURCE = '''\
import contextlib


# unasync -> Fetcher: the generator writes the blocking twin of this class
class AsyncFetcher(Base, AsyncAPIClient):
    """Say "await x" and AsyncIterator in a docstring: strings are kept."""

    async def get(self, url: str) -> bytes:
        # await in a comment stays too
        return await self._request(url)

    async def pages(self) -> AsyncIterator[bytes]:
        async with self._lock:
            async for page in self._stream():
                yield page

    async def __aenter__(self) -> AsyncFetcher:
        return self

    def opener(self) -> AsyncA2AStream:
        return AsyncA2AStream(contextlib.asynccontextmanager(self.pages))


def after() -> None:
    pass
'''


def test_a_marked_class_gets_its_blocking_twin_with_strings_and_comments_kept() -> None:
    (twin,) = twins(SOURCE, "overlays/x/fetch.py")
    assert (twin.async_name, twin.sync_name) == ("AsyncFetcher", "Fetcher")
    body = twin.source.split("\n", 2)[2]  # after the two comment lines naming the source
    assert body == '''\
class Fetcher(Base, SyncAPIClient):
    """Say "await x" and AsyncIterator in a docstring: strings are kept."""

    def get(self, url: str) -> bytes:
        # await in a comment stays too
        return self._request(url)

    def pages(self) -> Iterator[bytes]:
        with self._lock:
            for page in self._stream():
                yield page

    def __enter__(self) -> Fetcher:
        return self

    def opener(self) -> A2AStream:
        return A2AStream(contextlib.contextmanager(self.pages))
'''
    assert twin.source.startswith("# The blocking twin of AsyncFetcher, written by the generator")
    compile(twin.source, "twin", "exec")


def test_async_names_the_module_pairs_with_a_blocking_name_are_renamed() -> None:
    """`AsyncX` becomes `X` when the module binds both (an import under TYPE_CHECKING counts);
    an `AsyncY` without its `Y` stays."""
    source = """\
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .parsing import AsyncParsedStream, ParsedStream, AsyncLonely


# unasync -> Helpers: the generator writes the blocking twin
class AsyncHelpers(_AsyncBase):
    def parse(self) -> AsyncParsedStream:
        return AsyncParsedStream(super(AsyncHelpers, self), AsyncLonely)
"""
    (twin,) = twins(source, "overlays/gateway/_mixins_x.py")
    assert twin.source.split("\n", 2)[2] == """\
class Helpers(_SyncBase):
    def parse(self) -> ParsedStream:
        return ParsedStream(super(Helpers, self), AsyncLonely)
"""


def test_the_gateway_mixins_twins_match_their_async_classes() -> None:
    """The sync client's mixins the generator writes have the async ones' methods and arguments."""
    from inference_gateway.lib import _mixins_health, _mixins_parse

    for module in (_mixins_health, _mixins_parse):
        sync_name, async_name = sorted(module.__all__, key=len)
        sync_cls, async_cls = getattr(module, sync_name), getattr(module, async_name)
        methods = [n for n in vars(async_cls) if not n.startswith("_")]
        assert methods and methods == [n for n in vars(sync_cls) if not n.startswith("_")]
        for name in methods:
            sync_sig, async_sig = (inspect.signature(getattr(c, name)) for c in (sync_cls, async_cls))
            assert sync_sig.parameters == async_sig.parameters, name
            assert not inspect.iscoroutinefunction(getattr(sync_cls, name)), name


def test_modules_without_the_marker_have_no_twins() -> None:
    assert twins(SOURCE.replace("# unasync -> Fetcher", "# a comment"), "x.py") == []


def test_a_marker_on_a_class_not_named_async_is_located() -> None:
    bad = SOURCE.replace("class AsyncFetcher(", "class Fetcher2(")
    with pytest.raises(
        UnasyncError, match=r"^overlays/x/fetch.py:4: marked class Fetcher2 is not named Async"
    ):
        twins(bad, "overlays/x/fetch.py")


def test_a_bad_marker_in_an_overlay_fails_generation_and_keeps_the_output(tmp_path: Path) -> None:
    overlays = tmp_path / "overlays"
    shutil.copytree(REPO / "overlays", overlays, ignore=shutil.ignore_patterns("__pycache__"))
    client = overlays / "a2a" / "client.py"
    client.write_text(client.read_text().replace("class AsyncA2AClient(", "class A2AClientBase("))
    out = tmp_path / "out"
    assert generate(MAIN_SPEC, out).returncode == 0
    before = tree_bytes(out)
    result = run_cli(["generate", "--output", str(out), "--overlays", str(overlays), "--no-cache"])
    assert result.returncode == 3
    assert "error: overlays/a2a/client.py:" in result.stderr
    assert "marked class A2AClientBase is not named Async" in result.stderr
    assert tree_bytes(out) == before


def test_the_a2a_twins_have_the_same_methods_and_arguments() -> None:
    def public(cls: type) -> dict[str, inspect.Signature]:
        return {
            name: inspect.signature(getattr(cls, name))
            for name, value in vars(cls).items()
            if isinstance(value, (classmethod, types.FunctionType)) and not name.startswith("_")
        }

    sync_methods, async_methods = public(A2AClient), public(AsyncA2AClient)
    assert sync_methods.keys() == async_methods.keys()
    assert len(sync_methods) >= 15 and "from_gateway" in sync_methods
    for name, signature in sync_methods.items():
        assert list(signature.parameters) == list(async_methods[name].parameters), name
        assert not inspect.iscoroutinefunction(getattr(A2AClient, name)), name
    awaited = {n for n in async_methods if inspect.iscoroutinefunction(getattr(AsyncA2AClient, n))}
    assert "send_message" in awaited and "send_message_stream" not in awaited  # streams open lazily
