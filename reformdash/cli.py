"""The command line: parse arguments, call the engine, print problems, choose the exit code."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .pipeline import Project, build, check
from .problems import BuildFailed, Problem, Severity

DESCRIPTION = """Build the public CCHC reform-progress site from the YAML data under data/.

commands:
  build   (default) validate every data file, then write site/ atomically
  check   validate and run every consistency check; write nothing
"""


def print_problems(problems: list[Problem], stream=sys.stderr) -> None:
    for problem in sorted(problems, key=Problem.sort_key):
        print(problem.format(), file=stream)
    errors = sum(p.severity is Severity.ERROR for p in problems)
    warnings = len(problems) - errors
    print(f"{errors} error(s), {warnings} warning(s)", file=stream)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="build.py", description=DESCRIPTION,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, help_text in (("build", "validate, then build site/ (the default)"),
                            ("check", "validate only; print errors and warnings")):
        cmd = sub.add_parser(name, help=help_text, description=help_text)
        cmd.add_argument("--root", type=Path, default=Path.cwd(), help="project directory (default: here)")
        cmd.add_argument("--strict", action="store_true", help="fail on warnings too")
        cmd.add_argument("--quiet", "-q", action="store_true", help="print errors only")
        if name == "build":
            cmd.add_argument("--out", type=Path, default=None, help="output directory (default: ROOT/site)")
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0].startswith("-") and argv[0] not in ("-h", "--help"):
        argv.insert(0, "build")
    args = _parser().parse_args(argv)
    project = Project.at(args.root.resolve(), site_dir=getattr(args, "out", None))
    try:
        result = build(project) if args.command == "build" else check(project)
    except BuildFailed as failure:
        print_problems(failure.problems)
        print("nothing was written; the previous site/ is unchanged" if args.command == "build" else
              "check failed", file=sys.stderr)
        return 1
    shown = result.problems.errors if args.quiet else result.problems.problems
    print_problems(shown)
    if args.command == "build":
        print(f"wrote {result.pages} pages to {project.site_dir.name}/", file=sys.stderr)
    if args.strict and result.problems.warnings:
        print("--strict: warnings count as failures", file=sys.stderr)
        return 1
    return 0
