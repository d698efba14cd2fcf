"""Writing site/: everything goes into a directory beside it, which is
swapped in only when complete, so a failed or killed build leaves the
previously published site exactly as it was.

The swap exchanges the two directories in one step (Linux's renameat2 with
RENAME_EXCHANGE), so site/ is never absent and a reader sees the whole old site
or the whole new one, even when the build is killed at any moment. Where the
file system cannot exchange, site/ is renamed away and the new one renamed in:
a kill between those two renames leaves no site/ until the next build.

A file whose bytes did not change is hard-linked from the previous site
instead of written again; the previous site itself is never changed. The site
a swap replaces is kept as the spare the next build starts from, so that a
rebuild replaces only the files that differ (`Staging`).

The output folder is refused when it is, holds or lies in the project's own
sources, or when it exists, is not empty and holds no marker of an earlier
build: a build replaces its output whole, so a mistaken `--out data` must not
delete data/.
"""
from __future__ import annotations

import contextlib
import ctypes
import errno
import functools
import os
import re
import shutil
import stat
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from ..lock import pid_alive
from ..problems import Origin, Problem, Severity, shown_path

MARKER = ".reformdash-site"  # in every site a build writes: the next build may replace that folder
MARKER_TEXT = b"This folder is written by reformdash's build; the next build replaces it whole.\n"


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


def leaves_project(path: Path, root: Path) -> bool:
    """True when writing `path` would land outside the project (a folder on the way links elsewhere)."""
    return not path.resolve().is_relative_to(root.resolve())


def _umask() -> int:
    mask = os.umask(0o022)  # (the only way to read it is to set it)
    os.umask(mask)
    return mask


def write_text_atomically(target: Path, text: str, replace: bool = True) -> bool:
    """Write one data file so that a reader sees the old file or the whole new one, never a part (synced
    to disk first). With replace=False an existing file is never overwritten, even by a process that does
    not take the project's lock: False then, and nothing is written."""
    return write_bytes_atomically(target, text.encode("utf-8"), replace)


def write_bytes_atomically(target: Path, data: bytes, replace: bool = True) -> bool:
    """`write_text_atomically` for a file of bytes (a form sent to a department)."""
    import tempfile

    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        os.fchmod(handle, 0o666 & ~_umask())  # (mkstemp makes it 0600: a data file is for every reader)
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        if replace:
            os.replace(temp, target)
            return True
        try:
            os.link(temp, target)  # fails if the name is taken, unlike a rename
        except FileExistsError:
            return False
        except OSError as error:
            if error.errno not in (errno.EPERM, errno.EOPNOTSUPP, errno.ENOTSUP, errno.EXDEV):
                raise
            try:
                with open(target, "xb") as stream:  # no hard links here
                    stream.write(data)
                    stream.flush()
                    os.fsync(stream.fileno())
            except FileExistsError:
                return False
        return True
    finally:
        Path(temp).unlink(missing_ok=True)


def replace_file(target: Path, data: bytes) -> None:
    """Write a cache file beside its place, then rename it there: a reader (another process) sees the old
    file or the whole new one. Not synced to disk, unlike `write_text_atomically`: a cache can be rebuilt."""
    target.parent.mkdir(parents=True, exist_ok=True)
    temp = target.with_name(f"{target.name}.tmp-{os.getpid()}")
    try:
        temp.write_bytes(data)
        if target.is_dir() and not target.is_symlink():  # a folder where an entry belongs: not ours to keep
            shutil.rmtree(target)
        os.replace(temp, target)
    except BaseException:
        temp.unlink(missing_ok=True)  # (a full disk: no half-written file left behind)
        raise


def _asset_files(assets_dir: Path) -> list[OutputFile]:
    """The assets' regular files (a FIFO or device is not a file to publish); their problems were reported by
    `source_problems` before the build began."""
    if not assets_dir.is_dir():
        return []
    inside = assets_dir.resolve()
    return [OutputFile("assets/" + p.relative_to(assets_dir).as_posix(), p.read_bytes())
            for p in sorted(assets_dir.rglob("*"))
            if p.is_file() and stat.S_ISREG(p.stat().st_mode) and p.resolve().is_relative_to(inside)]


def _problem(code: str, message: str, where: Path, root: Path, hint: str) -> Problem:
    return Problem(Severity.ERROR, code, message, Origin(shown_path(where, root)), hint)


def output_problems(site_dir: Path, root: Path, sources: tuple[Path, ...]) -> list[Problem]:
    """Why the build must not replace `site_dir` (nothing when it may): it is the project, holds it, is or
    lies in one of its `sources` (data/, content/, templates/, assets/, .git), or exists with other files in
    it and no marker of an earlier build."""
    out = site_dir.absolute().resolve()
    project = root.absolute().resolve()
    where = f"'{shown_path(site_dir, root)}'"
    if project.is_relative_to(out):
        return [_problem("E901", f"the output folder {where} is the project's folder or holds it: building there "
                         "would delete the project", site_dir, root,
                         "give --out a new folder, e.g. --out site (the default)")]
    for source in sources:
        source = source.absolute().resolve()
        if out.is_relative_to(source) or source.is_relative_to(out):
            how = (f"is the project's {source.name}/ folder or lies in it" if out.is_relative_to(source)
                   else f"holds the project's {source.name}/ folder")
            return [_problem("E902", f"the output folder {where} {how}: a build replaces its output whole",
                             site_dir, root,
                             "give --out a folder outside data/, content/, templates/ and assets/, e.g. --out site")]
    if site_dir.is_symlink() or (out.exists() and not out.is_dir()):
        return [_problem("E903", f"the output folder {where} exists and is not a folder", site_dir, root,
                         "give --out a new folder, or remove that file")]
    if os.path.ismount(out):  # (the swap renames the folder itself: a mounted disk's root cannot be renamed)
        return [_problem("E912", f"the output folder {where} is where a disk is mounted: a build replaces its "
                         "output folder whole, which cannot be done to a mounted disk", site_dir, root,
                         f"publish to a folder inside it, e.g. --out {shown_path(site_dir, root)}/site")]
    if out.is_dir() and not (out / MARKER).is_file():
        try:
            empty = next(os.scandir(out), None) is None
        except OSError as error:
            return [_problem("E904", f"the output folder {where} cannot be read: {error.strerror}", site_dir, root,
                             "give --out a folder you may write to")]
        if not empty:
            return [_problem("E905", f"the output folder {where} is not empty and was not written by a build "
                             f"(it has no {MARKER} file); it would be deleted", site_dir, root,
                             "give --out a new or empty folder; if it is a site an older version of this tool "
                             "built, delete it once by hand")]
    return []


def source_problems(assets_dir: Path, root: Path) -> list[Problem]:
    """Files under assets/ that would publish something from outside the project (a symlink leaving it) or
    that are no regular file (a FIFO would hang the build): each an error naming it."""
    problems: list[Problem] = []
    if not assets_dir.is_dir():
        return problems
    project = root.absolute().resolve()
    inside = assets_dir.absolute().resolve()
    for path in sorted(assets_dir.rglob("*")):
        if path.is_symlink() and not path.resolve().is_relative_to(project):
            problems.append(_problem("E906", f"'{shown_path(path, root)}' is a link to a file outside the project "
                                     f"({path.resolve()}); it would be published", path, root,
                                     "copy the file into assets/ instead of linking it"))
        elif path.is_symlink() and not path.resolve().is_relative_to(inside):
            # e.g. a link to ../.git/config: inside the project, but nothing of it is meant to be published
            problems.append(_problem("E908", f"'{shown_path(path, root)}' is a link to "
                                     f"'{shown_path(path.resolve(), root)}', outside assets/; it is not published",
                                     path, root, "copy the file into assets/ if it is meant to be published, or "
                                     "remove the link"))
        elif path.exists() and not path.is_dir() and not stat.S_ISREG(path.stat().st_mode):
            problems.append(_problem("E907", f"'{shown_path(path, root)}' is not a regular file (a pipe, socket or "
                                     "device)", path, root, "remove it from assets/"))
    return problems


class Spare:
    """The site before the published one, taken as the new site's staging directory (see `Staging`): its
    regular files by path, with their inode numbers. A file whose inode is the published file's is that file,
    linked; any other is replaced when the new site has it and removed when it does not. What the folder
    holds is read from the folder, not from a record of it, so a file changed, added or linked there by hand
    is never taken for the published one."""

    __slots__ = ("files", "device")

    def __init__(self, files: dict[str, int], device: int) -> None:
        self.files, self.device = files, device


def _spare_files(root: Path) -> dict[str, int]:
    """Every regular file under `root` with its inode (read from the folder: no file is opened). Anything else
    (a link, a pipe, a device: nothing a build writes) is removed first, so that no write into the tree can be
    led out of it."""
    files: dict[str, int] = {}
    for path, entry in _entries_under(str(root)):
        if entry.is_file(follow_symlinks=False):
            files[path] = entry.inode()
        else:
            os.unlink(entry.path)
    return files


def _place(item: OutputFile, staging: str, previous: str | None, folders: set[str], spare: Spare | None) -> bool:
    """Put one file into the staging tree; True when it had to be written.

    Plain strings, not Paths: a rebuild after one change places thousands of kept files.
    """
    _refuse_outside(item.path)
    target = f"{staging}/{item.path}"
    if spare is not None:
        inode = spare.files.get(item.path)
        if inode is not None and previous is not None:
            try:
                published = os.lstat(f"{previous}/{item.path}")
            except OSError:
                published = None
            if published is not None and published.st_ino == inode and published.st_dev == spare.device \
                    and stat.S_ISREG(published.st_mode) and stat.S_IMODE(published.st_mode) == fresh_mode() \
                    and (item.unchanged or _same_bytes(f"{previous}/{item.path}", item.content)):
                return False  # the spare's file is the published one already
        # Whatever lies there (an older version, maybe a link to the published file) is replaced, never
        # written through.
        _remove(target)
    folder = target.rpartition("/")[0]
    if folder not in folders:
        _make_folder(folder, staging)
        folders.add(folder)
    if previous is not None:
        old = f"{previous}/{item.path}"
        try:
            info = os.lstat(old)
        except OSError:
            info = None
        if info is None or not stat.S_ISREG(info.st_mode):
            if item.unchanged:  # (gone, or made a link, since it was found unchanged: made again next time)
                raise FileNotFoundError(old)
        else:
            try:
                # (only a file as a build writes it: one whose mode was changed since is written afresh)
                if stat.S_IMODE(info.st_mode) == fresh_mode() and (item.unchanged or _same_bytes(old, item.content)):
                    os.link(old, target)
                    return False
            except OSError:
                pass  # linking is an optimisation (another file system): copied or written below
            if item.unchanged:  # its content was never read: copy the previous site's file
                shutil.copyfile(old, target)
                return True
    with open(target, "wb") as stream:
        stream.write(item.content)
    return True


@functools.cache
def fresh_mode() -> int:
    """The permission bits of a file this process writes (read once: the umask is the process's)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return 0o666 & ~mask


def _same_bytes(path: str, content: bytes) -> bool:
    return os.stat(path).st_size == len(content) and _read(path) == content


def _remove(target: str) -> None:
    """Remove what lies at `target` in a staging tree (a file, a link, or a folder where a file now goes)."""
    try:
        os.unlink(target)
    except FileNotFoundError:
        pass
    except (IsADirectoryError, PermissionError):
        if os.path.isdir(target) and not os.path.islink(target):
            shutil.rmtree(target)
        else:
            raise


def _make_folder(folder: str, staging: str) -> None:
    """Make `folder` in a staging tree; a recycled tree may hold a file where a folder now goes."""
    try:
        os.makedirs(folder, exist_ok=True)
    except (FileExistsError, NotADirectoryError):
        parts = folder[len(staging) + 1:].split("/")
        for end in range(1, len(parts) + 1):
            here = f"{staging}/{'/'.join(parts[:end])}"
            if os.path.lexists(here) and not os.path.isdir(here):
                os.unlink(here)
                break
        os.makedirs(folder, exist_ok=True)


def _entries_under(root: str) -> Iterator[tuple[str, os.DirEntry]]:
    """Every entry under `root` that is not a folder (folders linked are not entered), with its path relative
    to `root`."""
    folders = [""]
    while folders:
        folder = folders.pop()
        with os.scandir(f"{root}/{folder}" if folder else root) as entries:
            for entry in entries:
                path = f"{folder}/{entry.name}" if folder else entry.name
                if entry.is_dir(follow_symlinks=False):
                    folders.append(path)
                else:
                    yield path, entry


def _files_under(root: str) -> list[str]:
    """Every file under `root`, as paths relative to it."""
    return [path for path, _ in _entries_under(root)]


def _read(path: str) -> bytes:
    with open(path, "rb") as stream:
        return stream.read()


_removals: list[threading.Thread] = []


def removal_done() -> None:
    """Wait until the sites this process set aside for removal are removed."""
    while _removals:
        _removals.pop().join()


_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _exchange(first: str, second: str) -> bool:
    """Swap two directories in one step; False where the system cannot (then nothing changed)."""
    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (AttributeError, OSError):  # not Linux, or a C library without it
        return False
    if renameat2(_AT_FDCWD, os.fsencode(first), _AT_FDCWD, os.fsencode(second), _RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP, errno.EOPNOTSUPP):
        return False
    raise OSError(code, os.strerror(code), first)


def _sweep(parent: Path, name: str) -> None:
    """Remove the staging and old folders that killed builds left beside site/; a folder whose build is
    still running (another process, another output) is its own and stays."""
    # Only the names a build gives them, ".<name>.tmp-<pid>", ".<name>.old-<pid>", ".<name>.old-spare-<pid>": the
    # output folder's name is escaped (a name holding "*" or "[" had the sweep remove the clerk's own folders) and
    # the end must be a process number.
    made = re.compile(re.escape(f".{name}.") + r"(?:tmp|old|old-spare)-([0-9]+)")
    try:
        entries = [entry.name for entry in os.scandir(parent)]
    except OSError:
        return
    for entry in entries:
        found = made.fullmatch(entry)
        if found is None:
            continue
        owner = int(found[1])
        if owner != os.getpid() and pid_alive(owner):
            continue
        shutil.rmtree(parent / entry, ignore_errors=True)


def _remove_later(folder: Path) -> None:
    """Remove a replaced site while the caller goes on (thousands of folders take a while); the next build,
    and the end of the process, wait for it."""
    removal = threading.Thread(target=shutil.rmtree, args=(folder, True), name="remove-old-site")
    removal.start()
    _removals.append(removal)


class Staging:
    """The new site, written file by file into a directory beside the published one as the build makes
    them (so no stage holds the whole site in memory), then swapped in by `publish`, or thrown away by
    `discard`. Forked processes (the render workers, the open-data writer) place files into it too, and
    the process that made it records what they placed (`record`).

    The site a swap replaces is not removed but kept beside as the spare (`.site.spare`); the next build
    takes it as its staging directory, keeps each of its files that is still the published one (the same
    inode: a link) and that the new site has unchanged, and replaces or removes the rest, instead of making
    thousands of folders and links again: a one-change rebuild costs what changed, not the size of the
    site. A file is always replaced, never written through, so the published site is not touched.
    """

    def __init__(self, site_dir: Path) -> None:
        self.site_dir = site_dir
        parent = site_dir.parent
        parent.mkdir(parents=True, exist_ok=True)
        removal_done()  # the site this process replaced last: gone before the sweep below
        _sweep(parent, site_dir.name)
        self.path = parent / f".{site_dir.name}.tmp-{os.getpid()}"
        shutil.rmtree(self.path, ignore_errors=True)  # this process's own, left by a build it gave up
        self.previous = site_dir if site_dir.is_dir() else None
        self.spare = self._take_spare()
        if self.spare is None:
            self.path.mkdir()
        self._folders: set[str] = set()
        self.files = self.written = 0
        self.paths: set[str] = set()  # every file of the new site (as recorded by this process)
        self.changed: set[str] = set()  # the files written, not linked: new or changed
        _unfinished.add(self)

    def _spare_path(self) -> Path:
        return self.site_dir.parent / f".{self.site_dir.name}.spare"

    def _take_spare(self) -> Spare | None:
        """The spare site as this build's staging directory, when there is one and a published site."""
        spare = self._spare_path()
        with contextlib.suppress(OSError):  # (an earlier version's note of it; a folder of that name stays)
            spare.with_name(spare.name + ".json").unlink(missing_ok=True)
        if not os.path.lexists(spare):
            return None
        if self.previous is None or spare.is_symlink() or not spare.is_dir():
            if spare.is_dir() and not spare.is_symlink():
                aside = spare.with_name(f".{self.site_dir.name}.old-spare-{os.getpid()}")
                spare.rename(aside)
                _remove_later(aside)
            else:
                spare.unlink()
            return None
        os.rename(spare, self.path)
        return Spare(_spare_files(self.path), os.stat(self.path).st_dev)

    def place(self, item: OutputFile) -> bool:
        """Put one file in, unrecorded (a forked worker's record would not come back): True when written."""
        return _place(item, str(self.path), str(self.previous) if self.previous else None, self._folders,
                      self.spare)

    def keep(self, paths: set[str]) -> list[str]:
        """Link these files of the previous site into the new one unchanged, and record them (in this process:
        another gives the list back); returns those the previous site has. The previous site itself is left as
        it is: it stays published, whole, until the swap."""
        if self.previous is None or not paths:
            return []
        if self.spare is not None:  # (the spare is nearly the published site: a path it lacks is looked for)
            candidates = sorted(path for path in paths
                                if path in self.spare.files or os.path.lexists(f"{self.previous}/{path}"))
        else:
            candidates = [path for path in _files_under(str(self.previous)) if path in paths]
        kept = []
        for path in candidates:
            try:
                self.place(OutputFile(path, b"", unchanged=True))
            except FileNotFoundError:  # (gone from the published site since it was built: made again next time)
                continue
            kept.append(path)
            self.record(path, False)
        return kept

    def record(self, path: str, written: bool) -> None:
        """Note a file placed here or by another process: it belongs to the new site."""
        self.paths.add(path)
        if written:
            self.changed.add(path)

    def add(self, item: OutputFile) -> bool:
        """Put one file in, record and count it; True when it had to be written (new or changed)."""
        written = self.place(item)
        self.record(item.path, written)
        self.count(1, written)
        return written

    def count(self, files: int, written: int) -> None:
        self.files += files
        self.written += written

    def _clear_stale(self) -> None:
        """Remove the spare's files the new site does not have, and the folders that leaves empty."""
        if self.spare is None:
            return
        staging = str(self.path)
        for path in sorted(self.spare.files.keys() - self.paths, reverse=True):
            _remove(f"{staging}/{path}")
            folder = path.rpartition("/")[0]
            while folder:
                try:
                    os.rmdir(f"{staging}/{folder}")
                except OSError:  # not empty (or gone): the folders above are not empty either
                    break
                folder = folder.rpartition("/")[0]

    def publish(self, assets_dir: Path) -> WriteResult:
        """Add the assets and the marker, then swap the staging directory in as the site."""
        _unfinished.discard(self)  # (from here on the swap decides what becomes of it)
        try:
            for item in _asset_files(assets_dir):
                self.add(item)
            self.add(OutputFile(MARKER, MARKER_TEXT))
            self._clear_stale()
            if not os.path.lexists(self.site_dir):
                os.rename(self.path, self.site_dir)
                return WriteResult(self.files, self.written)
            old = self.site_dir.parent / f".{self.site_dir.name}.old-{os.getpid()}"
            if _exchange(str(self.path), str(self.site_dir)):
                self.path.rename(old)  # the previous site, now here: named as old for the sweep
            else:  # two renames: site/ is absent between them
                self.site_dir.rename(old)
                try:
                    self.path.rename(self.site_dir)
                except BaseException:
                    old.rename(self.site_dir)
                    raise
        except BaseException:
            self.discard()
            raise
        try:
            old.rename(self._spare_path())  # the next build's staging directory
        except OSError:  # the new site is published; the next build starts from an empty folder
            _remove_later(old)
        return WriteResult(self.files, self.written)

    def discard(self) -> None:
        _unfinished.discard(self)
        shutil.rmtree(self.path, ignore_errors=True)


# The staging folders of this process neither published nor discarded: a process ending in haste (a SIGTERM whose
# clean-up could not finish) throws them away. One being published is left to the swap: see `publish`.
_unfinished: set[Staging] = set()


def discard_unfinished() -> None:
    for staging in list(_unfinished):
        staging.discard()


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
