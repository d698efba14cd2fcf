"""Writing site/: everything goes into a fresh directory beside it, which is
swapped in only when complete, so a failed or killed build leaves the
previously published site exactly as it was.

A file whose bytes did not change is hard-linked from the previous site
instead of written again, so a rebuild after one change writes little.
"""
from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class OutputFile:
    path: str  # relative to site/, POSIX separators
    content: bytes
    unchanged: bool = False  # known to equal the previous site's file: link it without comparing


@dataclass(frozen=True)
class WriteResult:
    files: int
    written: int  # new or changed files; the rest were linked from the previous site


def safe_output_path(out_dir: Path, relative: str) -> Path:
    """Refuse any path that would land outside the output directory."""
    parts = relative.split("/")
    if relative.startswith(("/", "\\")) or ":" in parts[0] or any(p in ("", ".", "..") for p in parts) \
            or "\\" in relative:
        raise ValueError(f"refusing to write outside the site: {relative}")
    return out_dir / relative


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


def _asset_files(assets_dir: Path) -> list[OutputFile]:
    if not assets_dir.is_dir():
        return []
    return [OutputFile("assets/" + p.relative_to(assets_dir).as_posix(), p.read_bytes())
            for p in sorted(assets_dir.rglob("*")) if p.is_file()]


def _place(item: OutputFile, staging: Path, previous: Path | None, folders: set[Path]) -> bool:
    """Put one file into the staging tree; True when it had to be written."""
    target = safe_output_path(staging, item.path)
    if target.parent not in folders:
        target.parent.mkdir(parents=True, exist_ok=True)
        folders.add(target.parent)
    if previous is not None:
        old = previous / item.path
        try:
            if item.unchanged or (old.is_file() and old.stat().st_size == len(item.content)
                                  and old.read_bytes() == item.content):
                os.link(old, target)
                return False
        except OSError:
            pass  # linking is an optimisation: fall back to writing
    target.write_bytes(item.content)
    return True


def write_site(files: list[OutputFile], assets_dir: Path, site_dir: Path) -> WriteResult:
    """Write every file and the assets, then swap the result in as site_dir."""
    parent = site_dir.parent
    parent.mkdir(parents=True, exist_ok=True)
    for stale in [*parent.glob(f".{site_dir.name}.tmp-*"), *parent.glob(f".{site_dir.name}.old-*")]:
        shutil.rmtree(stale, ignore_errors=True)  # left by a killed build
    staging = parent / f".{site_dir.name}.tmp-{os.getpid()}"
    staging.mkdir()
    previous = site_dir if site_dir.is_dir() else None
    try:
        everything = _asset_files(assets_dir) + files
        folders: set[Path] = set()
        written = sum(_place(item, staging, previous, folders) for item in everything)
        old = parent / f".{site_dir.name}.old-{os.getpid()}"
        if site_dir.exists():
            site_dir.rename(old)
        staging.rename(site_dir)
        shutil.rmtree(old, ignore_errors=True)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return WriteResult(len(everything), written)
