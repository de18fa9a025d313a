"""Run a pure step in a forked child while the parent goes on.

A cold generation is a few CPU-bound steps (validation, the A2A models) that do not depend on
each other; on a machine with two or more cores a child process runs one while the parent runs
the rest. The result is whatever the function returns (pickled back through a pipe), so the
output is identical to running it inline, which is what happens without `os.fork`, on one core,
or with `IGW_GENERATOR_FORK=off`.
"""

from __future__ import annotations

import os
import pickle
from collections.abc import Callable
from typing import Any, Generic, TypeVar

T = TypeVar("T")


def forking_enabled() -> bool:
    if not hasattr(os, "fork") or (os.cpu_count() or 1) < 2:
        return False
    return os.environ.get("IGW_GENERATOR_FORK", "").lower() not in ("0", "off", "no", "false")


class Background(Generic[T]):
    """`fn(*args)` started now; `result()` returns its value or raises its exception."""

    def __init__(self, fn: Callable[..., T], *args: Any) -> None:
        self._fn = fn
        self._args = args
        self._pid: int | None = None
        self._fd = -1
        if not forking_enabled():
            return
        read_fd, write_fd = os.pipe()
        pid = os.fork()
        if pid == 0:  # child: compute, send, and leave without running the parent's cleanup
            code = 0
            try:
                os.close(read_fd)
                try:
                    payload = pickle.dumps((True, fn(*args)))
                except BaseException as exc:
                    try:
                        payload = pickle.dumps((False, exc))
                    except Exception:  # an exception that does not pickle: keep its text
                        payload = pickle.dumps((False, RuntimeError(repr(exc))))
                with os.fdopen(write_fd, "wb") as out:
                    out.write(payload)
            except BaseException:
                code = 1
            finally:
                os._exit(code)
        os.close(write_fd)
        self._pid, self._fd = pid, read_fd

    def wait(self) -> None:
        """Reap the child, ignoring its result (the parent failed first)."""
        if self._pid is not None:
            try:
                self.result()
            except BaseException:  # the parent's own error is the one being raised
                return

    def result(self) -> T:
        if self._pid is None:
            return self._fn(*self._args)
        pid, self._pid = self._pid, None
        with os.fdopen(self._fd, "rb") as pipe:
            data = pipe.read()
        _, status = os.waitpid(pid, 0)
        if not data:
            raise RuntimeError(f"background step {self._fn.__name__} died (wait status {status})")
        ok, value = pickle.loads(data)
        if ok:
            return value  # type: ignore[no-any-return]
        raise value
