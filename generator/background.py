"""Run a pure step in a forked child while the parent goes on.

A cold generation is a few CPU-bound steps (validation, black) that do not depend on each other;
on a machine with two or more cores a child process runs one while the parent runs the rest. The
result is whatever the function returns (pickled back through a pipe), so the output is identical
to running it inline, which is what happens without `os.fork`, on one core, or with
`IGW_GENERATOR_FORK=off`.
"""

from __future__ import annotations

import fcntl
import os
import pickle
from collections.abc import Callable
from typing import Any, BinaryIO, Generic, NoReturn, TypeVar

T = TypeVar("T")


def forking_enabled() -> bool:
    if not hasattr(os, "fork") or (os.cpu_count() or 1) < 2:
        return False
    return os.environ.get("IGW_GENERATOR_FORK", "").lower() not in ("0", "off", "no", "false")


class Background(Generic[T]):
    """`fn(*args)` started now; `result()` returns its value or raises its exception.

    `nice` lowers the child's CPU priority: a step with slack (validation, needed only at the
    end) then leaves the cores to the steps the result waits on, and runs in their gaps.
    """

    def __init__(self, fn: Callable[..., T], *args: Any, nice: int = 0) -> None:
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
                if nice:
                    os.nice(nice)
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


def _enlarge_pipe(fd: int) -> None:
    """Room for a whole module in the pipe, so that sending one never waits for the reader."""
    setter = getattr(fcntl, "F_SETPIPE_SZ", None)
    if setter is not None:
        try:
            fcntl.fcntl(fd, setter, 1 << 20)
        except OSError:  # above the system's limit: the default size only costs some waiting
            return


class Worker:
    """A child forked early that runs the jobs sent to it, in order, while the parent goes on.

    `warm()` runs first in the child (importing black, say), overlapping the parent's own
    imports, and the child's heap is still small when it is forked. Outcomes stay in the
    child until `results()`, which sends the end marker and reads them all at once, so neither
    side ever blocks writing to a pipe the other is not reading. Without forking (see
    `forking_enabled`) the jobs run inline in `results()`, in the same order.
    """

    def __init__(self, warm: Callable[[], object] | None = None) -> None:
        self._inline: list[tuple[Callable[..., Any], tuple[Any, ...]]] = []
        self._pid: int | None = None
        self._requests: BinaryIO | None = None
        self._responses = -1
        self._jobs = 0
        if not forking_enabled():
            return
        req_read, req_write = os.pipe()
        resp_read, resp_write = os.pipe()
        _enlarge_pipe(req_write)
        pid = os.fork()
        if pid == 0:
            os.close(req_write)
            os.close(resp_read)
            _serve(warm, req_read, resp_write)  # never returns
        os.close(req_read)
        os.close(resp_write)
        self._pid, self._responses = pid, resp_read
        self._requests = os.fdopen(req_write, "wb")

    def submit(self, fn: Callable[..., Any], *args: Any) -> int:
        """Queue `fn(*args)` (a module-level function: it is pickled by name); its index."""
        self._jobs += 1
        if self._requests is None:
            self._inline.append((fn, args))
        else:
            try:
                pickle.dump((fn, args), self._requests)
                self._requests.flush()
            except BrokenPipeError:  # the child died; results() says so
                pass
        return self._jobs - 1

    def results(self) -> list[Any]:
        """Every job's value in submission order; the first job that raised raises here."""
        outcomes: list[tuple[bool, Any]]
        if self._pid is None:
            outcomes = []
            for fn, args in self._inline:
                try:
                    outcomes.append((True, fn(*args)))
                except Exception as exc:
                    outcomes.append((False, exc))
            self._inline.clear()
        else:
            outcomes = self._collect()
        for ok, value in outcomes:
            if not ok:
                raise value
        return [value for _, value in outcomes]

    def close(self) -> None:
        """Stop the child and ignore its results (the parent failed first)."""
        if self._pid is not None:
            try:
                self._collect()
            except BaseException:  # the parent's own error is the one being raised
                return
        self._inline.clear()

    def _collect(self) -> list[tuple[bool, Any]]:
        assert self._pid is not None and self._requests is not None
        pid, self._pid = self._pid, None
        try:
            pickle.dump(None, self._requests)
            self._requests.close()
        except BrokenPipeError:
            pass
        with os.fdopen(self._responses, "rb") as pipe:
            data = pipe.read()
        _, status = os.waitpid(pid, 0)
        if not data:
            raise RuntimeError(f"background worker died (wait status {status})")
        outcomes: list[tuple[bool, Any]] = pickle.loads(data)
        if len(outcomes) != self._jobs:
            raise RuntimeError(f"background worker answered {len(outcomes)} of {self._jobs} jobs")
        return outcomes


def _serve(warm: Callable[[], object] | None, requests_fd: int, responses_fd: int) -> NoReturn:
    """The worker child: warm up, run jobs until the end marker, send all outcomes, exit."""
    code = 0
    try:
        outcomes: list[tuple[bool, Any]] = []
        if warm is not None:
            warm()
        with os.fdopen(requests_fd, "rb") as requests:
            while True:
                try:
                    job = pickle.load(requests)
                except EOFError:  # the parent went away without the end marker
                    break
                if job is None:
                    break
                fn, args = job
                try:
                    outcomes.append((True, fn(*args)))
                except BaseException as exc:
                    outcomes.append((False, exc))
        payload = _dumps_outcomes(outcomes)
        with os.fdopen(responses_fd, "wb") as out:
            out.write(payload)
    except BaseException:
        code = 1
    finally:
        os._exit(code)


def _dumps_outcomes(outcomes: list[tuple[bool, Any]]) -> bytes:
    try:
        return pickle.dumps(outcomes)
    except Exception:  # an exception that does not pickle: keep its text
        return pickle.dumps(
            [(ok, value if ok else RuntimeError(repr(value))) for ok, value in outcomes]
        )
