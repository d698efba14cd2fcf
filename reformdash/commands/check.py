"""check: validate and run every consistency check; write nothing."""
from __future__ import annotations

import argparse
import sys

from ..pipeline import check
from ..problems import BuildFailed
from .common import add_project_arguments, finish, print_found, project_of

HELP = "validate only: print every error and warning, write nothing"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_project_arguments(parser)


def run(args: argparse.Namespace) -> int:
    try:
        result = check(project_of(args))
    except BuildFailed as failure:
        print_found(args, failure.problems)
        print("check failed", file=sys.stderr)
        return 1
    return finish(args, result.problems.problems)
