"""The command line: parse arguments, hand over to one command module, return its exit code."""
from __future__ import annotations

import argparse
import importlib
import sys

from .commands import COMMANDS

DESCRIPTION = """Build the public CCHC reform-progress site from the YAML data under data/.
Run `python build.py COMMAND --help` for a command's options; with no command, `build` runs."""


def _parser(only: str | None = None) -> argparse.ArgumentParser:
    """The parser of every command, or of `only` that one: a command module imports what its command needs,
    and a build need not import the importers, the synthesiser or the preview server."""
    parser = argparse.ArgumentParser(prog="build.py", description=DESCRIPTION)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", title="commands")
    for name, module_name in COMMANDS.items():
        if only is not None and name != only:
            continue
        module = importlib.import_module(f".commands.{module_name}", __package__)
        cmd = sub.add_parser(name, help=module.HELP, description=module.HELP)
        module.add_arguments(cmd)
        cmd.set_defaults(run=module.run)
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or (argv[0].startswith("-") and argv[0] not in ("-h", "--help")):
        argv.insert(0, "build")
    args = _parser(argv[0] if argv[0] in COMMANDS else None).parse_args(argv)
    return args.run(args)
