"""Reusing the work of earlier builds: validated reports keyed by their content.

A rebuild after one report changed re-reads only that report. The key holds
the file's bytes, the catalogue files it is checked against and the engine's
own source, so any change that could alter the result misses the cache.
The cache directory is disposable; deleting it only makes a build slower.
Every entry on disk is framed (see `write_entry`) and checked when read: a damaged,
cut-off or foreign file is dropped and made again, never trusted.
"""
from __future__ import annotations

import gc
import hashlib
import os
import pickle
import stat
import time
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Callable, Iterator, TypeVar

import jinja2

from ..inputs.load import input_bytes, input_digest
from ..output.write import replace_file

T = TypeVar("T")
_ENGINE = Path(__file__).resolve().parent.parent
# Modules that never run in a build: the importers, the forms sent to departments, the synthesiser and
# the benchmark, and their commands. Editing them leaves every cached report, chart and page valid.
_NOT_IN_A_BUILD = ("importers/", "forms/", "devtools/", "collection.py", "commands/import_", "commands/form",
                   "commands/status.py", "commands/synth.py", "commands/bench.py")


# An entry on disk: this magic, the payload's length (8 bytes, big-endian), the SHA-256 of the entry's file
# name and payload, then the payload. The name is in the digest so that an entry copied to another key's
# name is refused too.
_MAGIC = b"RDCACHE1"
_HEADER = len(_MAGIC) + 8 + 32


def _digest(path: Path, payload: bytes) -> bytes:
    return hashlib.sha256(path.name.encode("utf-8") + b"\0" + payload).digest()


def write_entry(path: Path, payload: bytes) -> None:
    """Store one cache entry, framed so that `read_entry` can tell it whole, and atomically (see `replace_file`)."""
    replace_file(path, _MAGIC + len(payload).to_bytes(8, "big") + _digest(path, payload) + payload)


def read_entry(path: Path) -> bytes | None:
    """The payload stored at `path` by `write_entry`, or None when there is none or it is not whole.

    A damaged entry (cut short, overwritten, from an older format or another key) is removed, so
    that the caller makes it again. The header is read first: a file longer or shorter than it says
    is refused before its bytes are read.
    """
    try:
        with open(path, "rb") as stream:
            header = stream.read(_HEADER)
            length = int.from_bytes(header[len(_MAGIC):len(_MAGIC) + 8], "big")
            if len(header) == _HEADER and header.startswith(_MAGIC) \
                    and os.fstat(stream.fileno()).st_size == _HEADER + length:
                payload = stream.read(length)
                if len(payload) == length and _digest(path, payload) == header[len(_MAGIC) + 8:]:
                    return payload
    except FileNotFoundError:
        return None
    except OSError:
        pass  # unreadable (e.g. a folder in its place): made again, and stored if it can be
    drop_entry(path)
    return None


def drop_entry(path: Path) -> None:
    """Remove a cache entry found unusable (a file only: anything else is left for its owner)."""
    try:
        if path.is_file():
            path.unlink()
    except OSError:
        pass  # already gone, or not ours to remove: the entry is written again anyway


def fingerprint(paths: list[Path]) -> str:
    """A hash of the engine's source and the given files (missing files count as empty)."""
    digest = hashlib.sha256()
    for path in sorted(engine_sources()) + sorted(paths):
        digest.update(path.name.encode())
        digest.update(input_digest(path).encode())  # (a pipe or device is never read: see load.input_bytes)
    return digest.hexdigest()


def engine_sources() -> list[Path]:
    """The engine's modules whose code can change what a build writes."""
    return [path for path in _ENGINE.rglob("*.py")
            if not path.relative_to(_ENGINE).as_posix().startswith(_NOT_IN_A_BUILD)]


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while a stage makes many lasting objects.

    Loading a province makes about a million small objects (reports, values, origins) that all
    stay alive; the collector would walk the growing heap again and again as they are made, which
    costs a third of the stage. None of them form cycles, so nothing is left for it to free.
    Afterwards they are set aside (gc.freeze) so that later collections do not walk them either;
    the next pause first returns the objects set aside to the collector, so in a long preview
    session a cycle among them is still freed one build later.
    """
    running = gc.isenabled()
    gc.disable()
    gc.unfreeze()
    try:
        yield
    finally:
        gc.freeze()
        if running:
            gc.enable()


_SETTLED_NS = 2_000_000_000  # 2 s: more than a local file system's clock tick (ext4 4 ms), as much as FAT's


def _signature(status: os.stat_result) -> tuple[int, ...]:
    """What changes whenever a file's bytes do: its inode and device (a file replaced), its size, its modification
    time and its status-change time (which no program can set back, unlike the modification time). Only in
    `serve`'s memory: a file system whose status-change time merely copies the modification time (FAT, some
    network shares) could hide an edit that set the latter back; `build` in a new process reads every file."""
    return (status.st_dev, status.st_ino, status.st_size, status.st_mtime_ns, status.st_ctime_ns)


class ResultCache:
    """Maps (file content, context fingerprint) -> a picklable result, on disk and in memory."""

    def __init__(self, directory: Path | None, context: str):
        self.directory = directory
        self.context = context
        self.memory: dict[str, object] = {}
        self.hits = 0
        self.misses = 0
        # (path, extra) -> (the file's status when its key was made, the key): `serve` rebuilds in one process
        self._stamps: dict[tuple[str, str], tuple[tuple[int, ...], str]] = {}

    def key(self, path: Path, extra: str = "") -> str:
        # The path too: a result names its file (the report's place is checked against its folder and name),
        # so a file copied to another name, the same bytes, is checked again.
        slot = (str(path), extra)
        try:
            status = os.stat(path)
        except OSError:
            status = None
        found = self._stamps.get(slot)
        if status is not None and found is not None and found[0] == _signature(status):
            return found[1]  # the very file read before, unchanged since (see _signature)
        read_at = time.time_ns()
        key = hashlib.sha256(f"{self.context}\0{extra}\0{path.as_posix()}\0".encode() + input_bytes(path)
                             ).hexdigest()[:40]
        # Kept only for a file last changed well before it was read: a change in the same tick of the file
        # system's clock as the reading would leave its times as they were.
        if status is not None and stat.S_ISREG(status.st_mode) and status.st_ctime_ns < read_at - _SETTLED_NS:
            self._stamps[slot] = (_signature(status), key)
        return key

    def _stored(self, key: str) -> Path | None:
        return self.directory / f"{key}.pickle" if self.directory else None

    def has(self, path: Path, extra: str = "") -> bool:
        """Whether the result for this file is at hand (an unreadable file counts as at hand)."""
        try:
            key = self.key(path, extra)
        except OSError:
            return True
        stored = self._stored(key)
        return key in self.memory or (stored is not None and stored.is_file())

    def compute_and_store(self, path: Path, compute: Callable[[], object], extra: str = "") -> tuple[str, bytes]:
        """Compute a result, store it on disk and return (key, pickled result), for another process."""
        key = self.key(path, extra)
        blob = pickle.dumps(compute(), protocol=pickle.HIGHEST_PROTOCOL)
        self._write(key, blob)
        return key, blob

    def adopt(self, key: str, blob: bytes) -> None:
        """Take in a result that another process computed and stored."""
        self.misses += 1
        self.memory[key] = pickle.loads(blob)

    def _write(self, key: str, blob: bytes) -> None:
        stored = self._stored(key)
        if stored is not None:
            write_entry(stored, blob)

    def get_or_compute(self, path: Path, compute: Callable[[], T], extra: str = "") -> T:
        """`extra` names other inputs the result depends on (e.g. a hash of a file it reads too)."""
        return self.keyed(path, compute, extra)[1]

    def keyed(self, path: Path, compute: Callable[[], T], extra: str = "") -> tuple[str, T]:
        """(the file's key, its result) as get_or_compute finds it; the key is "" for an unreadable file."""
        try:
            key = self.key(path, extra)
        except OSError:
            return "", compute()  # unreadable: let the loader report it
        if key in self.memory:
            self.hits += 1
            return key, self.memory[key]  # type: ignore[return-value]
        stored = self._stored(key)
        blob = read_entry(stored) if stored is not None else None
        if stored is not None and blob is not None:
            try:
                value = pickle.loads(blob)
                self.memory[key] = value
                self.hits += 1
                return key, value
            except (pickle.PickleError, EOFError, AttributeError, ImportError):
                drop_entry(stored)  # whole, but stale: compute it again
        self.misses += 1
        value = compute()
        self.memory[key] = value
        if stored is not None:
            self._write(key, pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))
        return key, value


class SameInputs:
    """A result remembered with its inputs, given back while the inputs are the very same objects.

    `serve` rebuilds in one process, and `ResultCache` hands back an unchanged file's result as the
    same object as before: a result computed from such objects alone (a plan's progress from its plan
    and status reports) need not be computed again. Objects are compared by identity, which is exact
    for immutable results and cheap; strings and dates by value. One entry per slot, the latest.
    """

    def __init__(self) -> None:
        self._last: dict[object, tuple[tuple, object]] = {}

    def get(self, slot: object, inputs: tuple, make: Callable[[], T]) -> T:
        found = self._last.get(slot)
        if found is not None and len(found[0]) == len(inputs) and all(
                a is b or (type(a) is type(b) and isinstance(a, (str, date)) and a == b)
                for a, b in zip(found[0], inputs)):
            return found[1]  # type: ignore[return-value]
        value = make()
        self._last[slot] = (inputs, value)
        return value


class BytesCache:
    """Bytes made from one input, on disk by key within a context (what else they depend on).

    Holds each report's encoded rows of the downloads (its lines of the whole dataset's values file, its
    rows of its department's and period's files): a rebuild after one change joins the stored rows of every
    other report instead of making them all again.
    """

    def __init__(self, directory: Path, context: str):
        self.directory = directory
        self.context = context

    def get_or_make(self, key: str, make: Callable[[], bytes]) -> bytes:
        stored = self.directory / (hashlib.sha256(f"{self.context} {key}".encode()).hexdigest()[:40] + ".bin")
        found = read_entry(stored)
        if found is not None:
            return found
        made = make()
        write_entry(stored, made)
        return made


class TemplateCache(jinja2.BytecodeCache):
    """Jinja's compiled templates as framed cache entries: a damaged one is compiled again.

    Jinja's own file cache trusts what it reads: a cut-off file stops the build with a traceback, and a
    changed byte in the compiled code can run, writing a wrong page or failing with a misspelt name.
    """

    def __init__(self, directory: Path):
        self.directory = directory

    def _path(self, bucket: jinja2.bccache.Bucket) -> Path:
        # Jinja's own file names: an entry of its cache from an earlier build is refused and replaced.
        return self.directory / f"__jinja2_{bucket.key}.cache"

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        payload = read_entry(self._path(bucket))
        if payload is not None:
            bucket.bytecode_from_string(payload)  # (which still compares the template's source with the entry's)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        write_entry(self._path(bucket), bucket.bytecode_to_string())
