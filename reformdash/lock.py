"""One writer at a time per project: a build, a rebuild of `serve`, a release or an import.

An OS file lock (flock) on `.cache/lock` in the project's folder (whatever cache folder the run uses,
so two runs with different caches still exclude each other). The kernel drops it when its holder
ends, however it ends (kill -9 included), so a lock is never left behind by a crash; the file itself only
says who holds it, for the message the second process prints.
"""
from __future__ import annotations

import fcntl
import os
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from .problems import BuildFailed, Origin, Problem, Severity, shown_path

WAIT_SECONDS = 10.0  # a second command waits this long for the first to finish, then gives up


class ProjectBusy(Exception):
    """Another process holds the project's lock; the message says which, and what it runs."""


def lock_path(root: Path) -> Path:
    return root / ".cache" / "lock"


# The folders of a project that only the clerk writes (see pipeline.Project.sources)
SOURCES = ("data", "content", "templates", "assets", ".git")


def misplaced_cache(cache: Path, root: Path) -> Problem | None:
    """E911 when the cache folder must not be written (it is, lies in or holds one of the project's own folders: a
    link `.cache -> data`), else None."""
    sources = [(name, (root / name).absolute().resolve()) for name in SOURCES]
    try:  # (and each folder in it: .cache/charts a link into data/ had the charts written there)
        inner = [cache / entry.name for entry in os.scandir(cache) if entry.is_dir()]
    except OSError:
        inner = []
    for folder in (cache, *inner):
        where = folder.absolute().resolve()
        for name, source in sources:
            if where.is_relative_to(source) or source.is_relative_to(where):
                shown = folder.relative_to(root) if folder.is_relative_to(root) else folder
                return Problem(Severity.ERROR, "E911", f"the cache folder {shown} is or lies in the project's {name}/ "
                               "folder, or holds it (a link?): the build would write its cache there; make it a "
                               f"folder of its own (anything in {cache.name} may be deleted)",
                               Origin(shown_path(folder, root)), "remove the link, or set REFORMDASH_CACHE_DIR to a "
                               "folder outside the project's data/, content/, templates/ and assets/")
    return None


@contextmanager
def project_lock(root: Path, command: str, wait: float | None = None) -> Iterator[None]:
    """Hold the lock of the project at `root` while the block runs; raise ProjectBusy after `wait` seconds
    (default: REFORMDASH_LOCK_WAIT, or 10) if another process keeps it."""
    if wait is None:
        try:
            wait = float(os.environ.get("REFORMDASH_LOCK_WAIT", WAIT_SECONDS))
        except ValueError:
            wait = WAIT_SECONDS
    path = lock_path(root)
    misplaced = misplaced_cache(path.parent, root)
    if misplaced is not None:  # (the lock is the first file a command writes there)
        raise BuildFailed([misplaced])
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        deadline = time.monotonic() + wait
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise ProjectBusy(_holder(path)) from None
                time.sleep(0.05)
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()} {command} {time.strftime('%Y-%m-%d %H:%M:%S')}\n".encode(), 0)
        try:
            yield
        finally:
            os.ftruncate(fd, 0)
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


def _holder(path: Path) -> str:
    try:
        pid, command, *since = path.read_text(encoding="utf-8").split()
        who = f"`{command}` (process {pid}, since {' '.join(since)})"
    except (OSError, ValueError, UnicodeDecodeError):
        who = "another command"
    return f"{who} is writing to this project; wait until it ends, then run this command again"


def pid_alive(pid: int) -> bool:
    """True while a process of this PID exists (a folder named after it is then still its own)."""
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
