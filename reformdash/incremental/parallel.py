"""A cold build's validation, shared with a second process.

Validating a whole province from scratch is work on independent files, and a
build has two cores. When most of a list of files is missing from the cache,
one worker process validates chunks of the list from its end while this
process works from its start; a chunk the worker has not begun by the time
this process reaches it is done here. Every result goes into the ResultCache
under the key of the file it was computed from, exactly like a result computed
here, so the stages that follow cannot tell where it was computed.
"""
from __future__ import annotations

import multiprocessing
import os
import pickle
import signal
import sys
import threading
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Callable, Iterator

from .cache import ResultCache
from ..model import Catalogue

CHUNK = 16  # files per piece of work handed to the worker
WORTH_IT = 100  # fewer files to validate than this: starting a process costs more than it saves

Job = tuple[Path, str]  # a file and the other inputs its result depends on (the `extra` of its cache key)
Validate = Callable[..., Any]  # validate(path, project, catalogue): a module-level function

_catalogue: Catalogue | None = None  # the worker's copy of the main process's catalogue


@contextmanager
def interrupts_ignored() -> Iterator[None]:
    """While spawning workers: a spawned process starts with SIGINT ignored if its parent ignored it then, so
    a Ctrl+C while it is still starting (before its initializer) cannot print a traceback either."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


def ignore_interrupts() -> None:
    """In a worker: Ctrl+C is the main process's to handle (it throws the build away and says so); a
    worker that also stopped on it would print a traceback of its own. A SIGTERM ends a worker at once, silently
    (the main process's own handler, which a fork inherits, would raise in it). And the worker ends with the
    process that started it (see `_end_with_parent`)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    _end_with_parent()


def _end_with_parent() -> None:
    """On Linux, have the kernel end this worker (SIGKILL) when the process that started it ends: after a `kill -9`
    of `serve` mid-rebuild, its render workers went on alone and printed tracebacks into the terminal as they found
    their pipe gone. (Elsewhere a worker finds out as before.)"""
    if not sys.platform.startswith("linux"):
        return
    parent = os.getppid()
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(1, int(signal.SIGKILL))  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        return
    if os.getppid() != parent:  # (the parent ended before the request was made)
        os._exit(0)


def _start_worker(catalogue: bytes) -> None:
    global _catalogue
    ignore_interrupts()
    _catalogue = pickle.loads(catalogue)


def _validate_chunk(directory: Path | None, context: str, validate: Validate, project: Any,
                    jobs: list[Job]) -> list[tuple[str, bytes]]:
    """In the worker: validate each file and store its result; (key, pickled result) for each."""
    cache = ResultCache(directory, context)
    return [cache.compute_and_store(path, lambda path=path: validate(path, project, _catalogue), extra)
            for path, extra in jobs]


def _in_a_worker() -> bool:
    """A worker never starts workers: also not while it starts, re-running a main script that builds
    without the `if __name__ == "__main__":` guard (multiprocessing marks that phase `_inheriting`)."""
    return multiprocessing.parent_process() is not None or getattr(multiprocessing.current_process(),
                                                                   "_inheriting", False)


class Pending:
    """Files handed to the worker, until this process has done its share and taken in the rest."""

    def __init__(self, shared: "Shared", validate: Validate, chunks: list[tuple[list[Job], Future]]):
        self.shared = shared
        self.validate = validate
        self.chunks = chunks

    def finish(self) -> None:
        shared = self.shared
        for jobs, future in self.chunks:  # from the start of the list, as long as the worker has not begun them
            if future.cancel():
                shared.here(jobs, self.validate)
        for jobs, future in self.chunks:
            if future.cancelled():
                continue
            try:
                results = future.result()
            except Exception:  # the worker died: do its share here (a bug would fail here too)
                shared.here(jobs, self.validate)
                continue
            for key, blob in results:
                shared.cache.adopt(key, blob)
        self.chunks = []


class Shared:
    """Validation of files shared between this process and one worker, within a `with` block."""

    def __init__(self, cache: ResultCache, project: Any, catalogue: Catalogue, processes: int):
        self.cache = cache
        self.project = project
        self.catalogue = catalogue
        self.processes = processes
        self.pool: ProcessPoolExecutor | None = None

    def __enter__(self) -> "Shared":
        return self

    def __exit__(self, *exc: object) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)
            self.pool = None

    def here(self, jobs: list[Job], validate: Validate) -> None:
        for path, extra in jobs:
            self.cache.get_or_compute(path, lambda path=path: validate(path, self.project, self.catalogue), extra)

    def _mostly_missing(self, jobs: list[Job]) -> bool:
        """A look at a few files: is this a cold build (a warm one must not pay for the full check)?"""
        sample = jobs[:: max(1, len(jobs) // 16)]
        return sum(not self.cache.has(path, extra) for path, extra in sample) * 2 > len(sample)

    def start(self, jobs: list[Job], validate: Validate) -> Pending:
        """Hand the worker its share of the files missing from the cache; `finish()` completes them."""
        if self.processes < 2 or len(jobs) < WORTH_IT or _in_a_worker() or not self._mostly_missing(jobs):
            return Pending(self, validate, [])
        missing = [(path, extra) for path, extra in jobs if not self.cache.has(path, extra)]
        if len(missing) < WORTH_IT:
            return Pending(self, validate, [])
        pieces = [missing[i:i + CHUNK] for i in range(0, len(missing), CHUNK)]
        cache = self.cache
        with interrupts_ignored():  # (the executor starts its process at the first submit)
            if self.pool is None:
                self.pool = ProcessPoolExecutor(
                    1, mp_context=multiprocessing.get_context("spawn"), initializer=_start_worker,
                    initargs=(pickle.dumps(self.catalogue, protocol=pickle.HIGHEST_PROTOCOL),))
            chunks = [(piece, self.pool.submit(_validate_chunk, cache.directory, cache.context, validate,
                                               self.project, piece))
                      for piece in reversed(pieces)]  # the worker begins at the end
        chunks.reverse()
        return Pending(self, validate, chunks)


# -- a pool's work, never waited for without end ----------------------------------------------------
class WorkerLost(Exception):
    """A pool's worker ended before its work was done (killed: out of memory, `kill -9`); the pool would have waited
    for that work for ever, and the caller does it another way."""


def pool_result(pool: Any, pending: Any, poll: float = 0.2) -> Any:
    """The value of `pending` (an AsyncResult of `pool`), its task's exception raised here; WorkerLost as soon as
    one of the workers the pool had when asked has ended (a pool starts another in its place, and the work the
    dead one held is lost: `map` would wait for it without end)."""
    workers = list(pool._pool)  # (multiprocessing.Pool keeps its processes there)
    while True:
        try:
            return pending.get(poll)
        except multiprocessing.TimeoutError:
            pass
        if any(worker.exitcode is not None for worker in workers):
            _end(pool)
            raise WorkerLost()


def _end(pool: Any) -> None:
    """End a pool one of whose workers died: the pool's own ending, given a few seconds in a thread of its own, then
    its workers still alive killed. (A worker killed while it held the task queue's lock leaves `terminate` waiting
    for that lock for ever; once begun, the ending is not begun again, by the pool's `with` or at exit.)"""
    workers = list(pool._pool)
    ending = threading.Thread(target=pool.terminate, daemon=True)
    ending.start()
    ending.join(5)
    for worker in workers + list(pool._pool):
        if worker.exitcode is None:
            worker.kill()


# -- one task beside the main process -------------------------------------------------------------
_task: Callable[[], Any] | None = None  # what the forked process runs: set just before it forks


def _run_task(sending: Any) -> None:
    """In the forked process: run the task, send its value (or the exception it raised), and end, giving back
    its memory at once rather than when the main process asks for the value."""
    ignore_interrupts()
    assert _task is not None
    try:
        outcome: tuple[str, Any] = ("value", _task())
    except BaseException as error:  # (handed to the main process, which raises it there)
        outcome = ("error", error)
    try:
        sending.send(outcome)
    except Exception as error:  # an exception that cannot be pickled: its text at least
        sending.send(("error", RuntimeError(f"{type(error).__name__}: {error}")))
    finally:
        sending.close()


class Beside:
    """A task run in a forked process while this one goes on (a build has two cores and some of its
    stages use one); `result()` waits for the task's value. The task runs here, at once, where
    processes cannot be forked or `fork` is False, and again here should the process end without a value
    (killed): its work is made again, never lost.

    The process ends as soon as its value is sent, and a thread here takes the value in as it comes: the forked
    copy of the build (the open data's, the size of a whole province's rows) is not kept beside the render
    workers until the end of the build."""

    def __init__(self, task: Callable[[], Any], fork: bool = True) -> None:
        global _task
        self._task = task
        self._process = None
        self._outcome: tuple[str, Any] | None = None
        if fork and "fork" in multiprocessing.get_all_start_methods():
            context = multiprocessing.get_context("fork")
            receiving, sending = context.Pipe(duplex=False)
            _task = task
            try:
                self._process = context.Process(target=_run_task, args=(sending,), daemon=True)
                self._process.start()
            finally:
                _task = None
                sending.close()
            self._taker = threading.Thread(target=self._take, args=(receiving,), daemon=True)
            self._taker.start()
        else:
            self._outcome = ("value", task())

    def _take(self, receiving: Any) -> None:
        try:
            self._outcome = receiving.recv()
        except (EOFError, OSError):
            self._outcome = None  # ended without a value: made here (see result)
        finally:
            receiving.close()

    def result(self) -> Any:
        if self._process is not None:
            self._taker.join()
            self.close()
            if self._outcome is None:  # (killed, or out of memory): the task again, here
                self._outcome = ("value", self._task())
        kind, value = self._outcome  # type: ignore[misc]
        if kind == "error":
            raise value
        return value

    def close(self) -> None:
        """Stop the process (after its result, or when the build fails)."""
        if self._process is not None:
            if self._process.is_alive():
                self._process.terminate()
            self._process.join()
            self._process = None
