"""The command line: parse arguments, hand over to one command module, return its exit code."""
from __future__ import annotations

import argparse
import contextlib
import errno
import importlib
import os
import signal
import sys
import threading

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


class Terminated(KeyboardInterrupt):
    """A SIGTERM, raised where the main process runs: every clean-up of an interrupted run takes it as Ctrl+C."""


# A SIGTERM sent to the whole process group (a service stopped) ends the workers too; a pool whose worker died
# holding its queue's lock can wait for ever while the main process cleans up. The clean-up gets this long, then the
# process ends as it is, its workers with it (the staging folder left behind is swept by the next build; the
# published site is whole).
GIVE_UP_SECONDS = 5.0


class _Run:
    """What the SIGTERM handler and its give-up timer know of this process's run."""

    command = "build.py"  # the command it runs
    terminated = False  # whether it was sent a SIGTERM
    said = False  # whether its closing line is printed


_run = _Run()


def terminated() -> bool:
    """Whether this process was sent a SIGTERM (a command that catches every interrupt asks)."""
    return _run.terminated


def _terminate(signum: int, frame: object) -> None:
    _run.terminated = True

    def give_up() -> None:
        import multiprocessing

        for child in multiprocessing.active_children():  # (a worker the pool started again after the signal)
            child.kill()
        from .output.write import discard_unfinished

        discard_unfinished()
        # (and multiprocessing's own helper, which would print a warning of the pool's semaphores after our line)
        tracker = getattr(getattr(multiprocessing, "resource_tracker", None), "_resource_tracker", None)
        if getattr(tracker, "_pid", None):
            with contextlib.suppress(OSError):
                os.kill(tracker._pid, signal.SIGKILL)
        if not _run.said:
            print(f"\n{_run.command}: {_STOPPED}", file=sys.stderr, flush=True)
        os._exit(143)

    timer = threading.Timer(GIVE_UP_SECONDS, give_up)
    timer.daemon = True
    timer.start()
    raise Terminated()


_STOPPED = "stopped (SIGTERM); the published site and the data files are as they were before this run"


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
    try:
        args = _parser(argv[0] if argv[0] in COMMANDS else None).parse_args(argv)
    except KeyboardInterrupt:  # Ctrl+C while the commands are loaded: nothing was begun
        print(f"\n{argv[0]}: interrupted; the published site and the data files are as they were before this run",
              file=sys.stderr)
        return 130
    from .incremental.parallel import ignore_interrupts

    os.register_at_fork(after_in_child=ignore_interrupts)  # every forked worker leaves Ctrl+C to this process
    # A SIGTERM (a service stopped, a CI job cancelled, `timeout`) is handled as Ctrl+C is: the run's work is thrown
    # away, the workers end, one line says so; it had ended the process with the workers' tracebacks.
    in_main_thread = threading.current_thread() is threading.main_thread()  # (only there may a handler be set)
    before = signal.signal(signal.SIGTERM, _terminate) if in_main_thread else None
    from .commands.common import NoProject

    _run.command = args.command
    try:
        return args.run(args)
    except NoProject as error:
        print(f"{args.command}: {error}; run the command in the project's folder, or name it with --root",
              file=sys.stderr)
        return 2
    except KeyboardInterrupt as stop:
        # Every command writes atomically: what it had not finished is thrown away, never half-published.
        if isinstance(stop, Terminated):
            _run.said = True
            print(f"\n{args.command}: {_STOPPED}", file=sys.stderr)
            return 143
        print(f"\n{args.command}: interrupted; the published site and the data files are as they were before "
              "this run", file=sys.stderr)
        return 130
    except OSError as error:  # the machine said no: a full disk, a read-only folder, a missing permission
        print(f"{args.command}: {describe_os_error(error)}", file=sys.stderr)
        print(f"{args.command}: the published site and the data files are as they were before this run",
              file=sys.stderr)
        return 1
    finally:
        if in_main_thread:
            signal.signal(signal.SIGTERM, before if before is not None else signal.SIG_DFL)


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
