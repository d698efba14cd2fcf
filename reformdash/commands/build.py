"""build: validate every data file, then write site/ atomically."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..pipeline import build
from ..problems import BuildFailed
from .common import add_project_arguments, finish, print_problems, project_of

HELP = "validate, then build site/ (the default command)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_project_arguments(parser)
    parser.add_argument("--out", type=Path, default=None, help="output directory (default: ROOT/site)")


def run(args: argparse.Namespace) -> int:
    project = project_of(args)
    try:
        result = build(project)
    except BuildFailed as failure:
        print_problems(failure.problems)
        print("nothing was written; the previous site is unchanged", file=sys.stderr)
        return 1
    code = finish(args, result.problems.problems)
    print(f"wrote {result.pages} pages to {project.site_dir.name}/", file=sys.stderr)
    return code
