"""Writing site/: everything goes into a fresh directory beside it, which is
swapped in only when complete, so a failed or killed build leaves the
previously published site exactly as it was."""
from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class OutputFile:
    path: str  # relative to site/, POSIX separators
    content: bytes


def safe_output_path(out_dir: Path, relative: str) -> Path:
    """Refuse any path that would land outside the output directory."""
    target = (out_dir / relative).resolve()
    if out_dir.resolve() not in target.parents:
        raise ValueError(f"refusing to write outside the site: {relative}")
    return target


def write_site(files: list[OutputFile], assets_dir: Path, site_dir: Path) -> int:
    """Write every file and the assets, then swap the result in as site_dir."""
    parent = site_dir.parent
    for stale in parent.glob(f".{site_dir.name}.tmp-*"):
        shutil.rmtree(stale, ignore_errors=True)  # left by a killed build
    staging = parent / f".{site_dir.name}.tmp-{os.getpid()}"
    staging.mkdir(parents=True)
    try:
        if assets_dir.is_dir():
            shutil.copytree(assets_dir, staging / "assets")
        for item in files:
            target = safe_output_path(staging, item.path)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(item.content)
        old = parent / f".{site_dir.name}.old-{os.getpid()}"
        if site_dir.exists():
            site_dir.rename(old)
        staging.rename(site_dir)
        shutil.rmtree(old, ignore_errors=True)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return len(files)
