"""The command line: parse arguments, hand over to one command module, return its exit code."""
from __future__ import annotations

import argparse
import errno
import importlib
import os
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
    for argument in argv:
        if any("\udc80" <= c <= "\udcff" for c in argument):  # bytes the terminal's encoding could not decode
            shown = argument.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
            print(f"build.py: the argument '{shown}' is not valid UTF-8 text; set the terminal to UTF-8 (or type "
                  "it again) and run the command again", file=sys.stderr)
            return 2
    if not argv or (argv[0].startswith("-") and argv[0] not in ("-h", "--help")):
        argv.insert(0, "build")
    args = _parser(argv[0] if argv[0] in COMMANDS else None).parse_args(argv)
    from .incremental.parallel import ignore_interrupts

    os.register_at_fork(after_in_child=ignore_interrupts)  # every forked worker leaves Ctrl+C to this process
    from .commands.common import NoProject

    try:
        return args.run(args)
    except NoProject as error:
        print(f"{args.command}: {error}; run the command in the project's folder, or name it with --root",
              file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        # Every command writes atomically: what it had not finished is thrown away, never half-published.
        print(f"\n{args.command}: interrupted; the published site and the data files are as they were "
              "before this run", file=sys.stderr)
        return 130
    except OSError as error:  # the machine said no: a full disk, a read-only folder, a missing permission
        print(f"{args.command}: {describe_os_error(error)}", file=sys.stderr)
        print(f"{args.command}: the published site and the data files are as they were before this run",
              file=sys.stderr)
        return 1


_WHAT_TO_DO = {
    errno.ENOSPC: "free some space on that disk, then run the command again",
    errno.EDQUOT: "free some space (your disk quota is used up), then run the command again",
    errno.EFBIG: "the file grew past the size this system allows; free space or raise the limit",
    errno.EROFS: "that disk is read-only; choose a folder on a writable disk",
    errno.EACCES: "you may not write there; choose another folder or ask for permission",
    errno.EPERM: "you may not write there; choose another folder or ask for permission",
    errno.EISDIR: "a folder stands where a file belongs; remove it (anything under .cache/ may be deleted)",
    errno.EEXIST: "a file stands where a folder belongs; move it away (anything under .cache/ may be deleted)",
    errno.ENOTDIR: "a file stands where a folder belongs; move it away (anything under .cache/ may be deleted)",
}


def describe_os_error(error: OSError) -> str:
    """One line for the clerk: what the system refused, where, and what to do."""
    where = f" ({error.filename})" if error.filename else ""
    text = f"{error.strerror or error}{where}"
    hint = _WHAT_TO_DO.get(error.errno or 0)
    return f"{text}; {hint}" if hint else text
