"""What several commands share: the project options and printing problems."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..pipeline import Project
from ..problems import Problem, Severity


def add_project_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--root", type=Path, default=Path.cwd(), help="project directory (default: here)")
    parser.add_argument("--strict", action="store_true", help="fail on warnings too")
    parser.add_argument("--quiet", "-q", action="store_true", help="print errors only")
    parser.add_argument("--processes", "-j", type=_processes, default=None, metavar="N",
                        help="processes for the build's parallel stages (default: one per core)")


def _processes(text: str) -> int:
    if not text.isascii() or not text.isdigit() or not 1 <= int(text) <= 256:
        raise argparse.ArgumentTypeError(f"{text} is not a number of processes: give a number from 1 to 256")
    return int(text)


class NoProject(Exception):
    """--root (or the folder the command runs in) holds no project: nothing may be read or written there."""


def project_root(args: argparse.Namespace) -> Path:
    """--root, made absolute; NoProject when it holds no data/ folder."""
    root = args.root.resolve()
    if not (root / "data").is_dir():  # (a build there would make .cache/ in a folder that is not a project)
        raise NoProject(f"there is no project at {root}: it has no data/ folder")
    return root


def project_of(args: argparse.Namespace) -> Project:
    return Project.at(project_root(args), site_dir=getattr(args, "out", None),
                      processes=getattr(args, "processes", None))


def print_problems(problems: list[Problem], stream=None, hidden: int = 0) -> None:
    """Each problem, then the count; `hidden`: warnings found but not printed (--quiet), still counted."""
    stream = stream or sys.stderr
    for problem in sorted(problems, key=Problem.sort_key):
        print(problem.format(), file=stream)
    errors = sum(p.severity is Severity.ERROR for p in problems)
    print(f"{errors} error(s), {len(problems) - errors + hidden} warning(s)"
          + (f" ({hidden} not shown: --quiet)" if hidden else ""), file=stream)


def print_found(args: argparse.Namespace, problems: list[Problem]) -> None:
    """Print a run's problems as --quiet asks: the errors only, the warnings counted."""
    shown = [p for p in problems if p.severity is Severity.ERROR] if getattr(args, "quiet", False) else problems
    print_problems(shown, hidden=len(problems) - len(shown))


def finish(args: argparse.Namespace, problems: list[Problem]) -> int:
    """Print the run's problems; the exit code follows --strict."""
    print_found(args, problems)
    if args.strict and any(p.severity is Severity.WARNING for p in problems):
        print("--strict: warnings count as failures", file=sys.stderr)
        return 1
    return 0


def check_new_file(args: argparse.Namespace, project: Project, name: str, found: list[Problem],
                   command: str) -> int:
    """After an import wrote `name`: check the project as `build.py check` does, show that file's problems."""
    from ..pipeline import check
    from ..problems import BuildFailed

    try:
        checked, failed = check(project).problems.problems, False
    except BuildFailed as failure:
        checked, failed = failure.problems, True
    own = [p for p in checked if p.origin.file == name]
    others: dict[str, list[str]] = {}  # each other file with an error: its codes
    for p in checked:
        if p.severity is Severity.ERROR and p.origin.file != name:
            others.setdefault(p.origin.file, []).append(p.code)
    elsewhere = sum(len(codes) for codes in others.values())
    if not failed:
        return finish(args, found + own)
    shown = [p for p in found + own if p.severity is Severity.ERROR or not args.quiet]
    print_problems(shown, hidden=len(found) + len(own) - len(shown))
    if elsewhere:
        named = "; ".join(f"{file}: {', '.join(dict.fromkeys(codes))}" for file, codes in list(others.items())[:5])
        print(f"{command}: {elsewhere} error(s) in other files ({named}{'; …' if len(others) > 5 else ''}); run "
              "`build.py check`", file=sys.stderr)
    print(f"{command}: {name} was written but does not pass the check; fix the errors above", file=sys.stderr)
    return 1
