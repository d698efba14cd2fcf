"""build: validate every data file, then write site/ atomically."""
from __future__ import annotations

import argparse
import dataclasses
import os
import sys
import time
from pathlib import Path

from ..lock import ProjectBusy, project_lock
from ..pipeline import build
from ..problems import BuildFailed
from .common import add_project_arguments, finish, print_found, project_of

HELP = "validate, then build site/ (the default command)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_project_arguments(parser)
    parser.add_argument("--out", type=Path, default=None, help="output directory (default: ROOT/site)")
    parser.add_argument("--no-quality-page", action="store_true",
                        help="leave out the page that lists every data-quality warning")


def run(args: argparse.Namespace) -> int:
    project = dataclasses.replace(project_of(args), quality_page=not args.no_quality_page)
    # Progress lines only for a person at a terminal: quiet in CI and when piped.
    interactive = sys.stderr.isatty() and not os.environ.get("CI") and not args.quiet
    show = (lambda message: print(f"\r\033[K{message}", end="", file=sys.stderr, flush=True)) if interactive else None
    started = time.perf_counter()
    try:
        with project_lock(project.root, "build"):
            result = build(project, show)
    except ProjectBusy as busy:
        print(f"build: {busy}", file=sys.stderr)
        print("nothing was written; the previous site is unchanged", file=sys.stderr)
        return 1
    except BuildFailed as failure:
        print_found(args, failure.problems)
        print("nothing was written; the previous site is unchanged", file=sys.stderr)
        return 1
    if interactive:
        print("\r\033[K", end="", file=sys.stderr)
    code = finish(args, result.problems.problems)
    seconds = time.perf_counter() - started  # not the stages' sum: some run side by side
    print(f"wrote {result.pages} pages to {project.site_dir.name}/ ({result.pages_rebuilt} rebuilt, "
          f"{result.files_written} files changed, {result.charts_drawn} charts drawn, {seconds:.1f} s)",
          file=sys.stderr)
    return code
