"""Writing site/: everything goes into a fresh directory beside it, which is
swapped in only when complete, so a failed or killed build leaves the
previously published site exactly as it was.

A file whose bytes did not change is hard-linked from the previous site
instead of written again, and a folder whose files are all unchanged is moved
from it whole at the swap, so a rebuild after one change writes little. (The
swap is two renames, with the kept folders moved between them: a build killed
in those milliseconds leaves no site/, and the next build makes it again.)
"""
from __future__ import annotations

import os
import shutil
import threading
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class OutputFile:
    path: str  # relative to site/, POSIX separators
    content: bytes
    unchanged: bool = False  # known to equal the previous site's file: linked (or copied) from it, `content` unused


@dataclass(frozen=True)
class WriteResult:
    files: int
    written: int  # new or changed files; the rest were linked from the previous site


def _refuse_outside(relative: str) -> None:
    """Refuse any path that would land outside the output directory."""
    parts = relative.split("/")
    if relative.startswith(("/", "\\")) or ":" in parts[0] or any(p in ("", ".", "..") for p in parts) \
            or "\\" in relative:
        raise ValueError(f"refusing to write outside the site: {relative}")


def write_text_atomically(target: Path, text: str) -> None:
    """Write one data file so that a reader sees the old file or the whole new one, never a part."""
    import tempfile

    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as stream:
            stream.write(text)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temp, target)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def replace_file(target: Path, data: bytes) -> None:
    """Write a cache file beside its place, then rename it there: a reader (another process) sees the old
    file or the whole new one. Not synced to disk, unlike `write_text_atomically`: a cache can be rebuilt."""
    target.parent.mkdir(parents=True, exist_ok=True)
    temp = target.with_name(f"{target.name}.tmp-{os.getpid()}")
    temp.write_bytes(data)
    os.replace(temp, target)


def _asset_files(assets_dir: Path) -> list[OutputFile]:
    if not assets_dir.is_dir():
        return []
    return [OutputFile("assets/" + p.relative_to(assets_dir).as_posix(), p.read_bytes())
            for p in sorted(assets_dir.rglob("*")) if p.is_file()]


def _place(item: OutputFile, staging: str, previous: str | None, folders: set[str]) -> bool:
    """Put one file into the staging tree; True when it had to be written.

    Plain strings, not Paths: a rebuild after one change places thousands of kept files.
    """
    _refuse_outside(item.path)
    target = f"{staging}/{item.path}"
    folder = target.rpartition("/")[0]
    if folder not in folders:
        os.makedirs(folder, exist_ok=True)
        folders.add(folder)
    if previous is not None:
        old = f"{previous}/{item.path}"
        try:
            if item.unchanged or (os.stat(old).st_size == len(item.content) and _read(old) == item.content):
                os.link(old, target)
                return False
        except OSError:
            if item.unchanged:  # its content was never read: copy the previous site's file
                shutil.copyfile(old, target)
                return True
            # otherwise linking is an optimisation: fall back to writing
    with open(target, "wb") as stream:
        stream.write(item.content)
    return True


def _files_under(root: str) -> list[str]:
    """Every file under `root`, as paths relative to it."""
    files, folders = [], [""]
    while folders:
        folder = folders.pop()
        with os.scandir(f"{root}/{folder}" if folder else root) as entries:
            for entry in entries:
                path = f"{folder}/{entry.name}" if folder else entry.name
                (folders if entry.is_dir(follow_symlinks=False) else files).append(path)
    return files


def _read(path: str) -> bytes:
    with open(path, "rb") as stream:
        return stream.read()


_removal: threading.Thread | None = None


def removal_done() -> None:
    """Wait until the site a build replaced is removed."""
    if _removal is not None:
        _removal.join()


class Staging:
    """The new site, written file by file into a directory beside the published one as the build makes
    them (so no stage holds the whole site in memory), then swapped in by `publish`, or thrown away by
    `discard`. Forked processes (the render workers, the open-data writer) place files into it too."""

    def __init__(self, site_dir: Path) -> None:
        self.site_dir = site_dir
        parent = site_dir.parent
        parent.mkdir(parents=True, exist_ok=True)
        removal_done()  # the site this process replaced last: gone before the sweep below
        for stale in [*parent.glob(f".{site_dir.name}.tmp-*"), *parent.glob(f".{site_dir.name}.old-*")]:
            shutil.rmtree(stale, ignore_errors=True)  # left by a killed build
        self.path = parent / f".{site_dir.name}.tmp-{os.getpid()}"
        self.path.mkdir()
        self.previous = site_dir if site_dir.is_dir() else None
        self._folders: set[str] = set()
        self.files = self.written = 0

    def place(self, item: OutputFile) -> bool:
        """Put one file in, uncounted (a forked worker's count would not come back): True when written."""
        return _place(item, str(self.path), str(self.previous) if self.previous else None, self._folders)

    def keep(self, paths: set[str]) -> tuple[int, tuple[str, ...]]:
        """Take these files of the previous site into the new one unchanged (uncounted, like `place`).

        A folder of the previous site all of whose files are kept is moved in whole by `publish` (one
        rename, where linking its files took a new folder per page: most of a one-change rebuild's
        writing); the kept files in other folders are linked now. Returns how many of `paths` the
        previous site has, and the folders for `publish` to move.
        """
        if self.previous is None or not paths:
            return 0, ()
        previous = str(self.previous)
        old = _files_under(previous)
        # A folder is blocked when a file under it is not kept: changed, removed, or written again.
        blocked = {""}
        for path in old:
            if path not in paths:
                folder = path.rpartition("/")[0]
                while folder not in blocked:
                    blocked.add(folder)
                    folder = folder.rpartition("/")[0]
        moved: dict[str, None] = {}
        kept = 0
        for path in old:
            if path not in paths:
                continue
            kept += 1
            parts = path.split("/")
            for depth in range(1, len(parts)):
                folder = "/".join(parts[:depth])
                if folder not in blocked:  # the outermost folder holding only kept files
                    moved[folder] = None
                    break
            else:
                self.place(OutputFile(path, b"", unchanged=True))
        return kept, tuple(moved)

    def add(self, item: OutputFile) -> bool:
        """Put one file in and count it; True when it had to be written (new or changed)."""
        written = self.place(item)
        self.count(1, written)
        return written

    def count(self, files: int, written: int) -> None:
        self.files += files
        self.written += written

    def publish(self, assets_dir: Path, kept_folders: tuple[str, ...] = ()) -> WriteResult:
        """Add the assets, then swap the staging directory in as the site, moving `kept_folders` (from
        `keep`) of the previous site into it on the way."""
        old = self.site_dir.parent / f".{self.site_dir.name}.old-{os.getpid()}"
        moved: list[str] = []
        try:
            for item in _asset_files(assets_dir):
                self.add(item)
            if self.site_dir.exists():
                self.site_dir.rename(old)
            for folder in kept_folders:
                if self._move_in(str(old), folder):
                    moved.append(folder)
            self.path.rename(self.site_dir)
        except BaseException:
            for folder in reversed(moved):  # the previous site back as it was
                os.rename(f"{self.path}/{folder}", f"{old}/{folder}")
            if old.exists() and not self.site_dir.exists():
                old.rename(self.site_dir)
            self.discard()
            raise
        # The new site is in place: the old one is removed while the caller goes on (thousands of
        # folders take a while); the next build, and the end of the process, wait for it.
        global _removal
        _removal = threading.Thread(target=shutil.rmtree, args=(old, True), name="remove-old-site")
        _removal.start()
        return WriteResult(self.files, self.written)

    def _move_in(self, previous: str, folder: str) -> bool:
        """Move a folder of the previous site into the new one: True if moved whole, False if the new site
        already had files there (a page added beside kept ones), in which case its files are put in as kept."""
        target = f"{self.path}/{folder}"
        os.makedirs(target.rpartition("/")[0], exist_ok=True)
        try:
            os.rename(f"{previous}/{folder}", target)
            return True
        except OSError:
            if not os.path.isdir(target):
                raise
        for path in _files_under(f"{previous}/{folder}"):
            if not os.path.exists(f"{target}/{path}"):
                _place(OutputFile(f"{folder}/{path}", b"", unchanged=True), str(self.path), previous, self._folders)
        return False

    def discard(self) -> None:
        shutil.rmtree(self.path, ignore_errors=True)


def write_site(files: list[OutputFile], assets_dir: Path, site_dir: Path) -> WriteResult:
    """Write every file and the assets, then swap the result in as site_dir."""
    staging = Staging(site_dir)
    try:
        for item in files:
            staging.add(item)
    except BaseException:
        staging.discard()
        raise
    return staging.publish(assets_dir)
