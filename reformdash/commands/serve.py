"""serve: build, then preview the site on 127.0.0.1 with live reload; rebuild on every change.

The preview is built into its own folder (PREVIEW_DIR), never into site/: its pages carry the live-reload
script and a content policy that allows it, and they show figures not yet released, so the site/ that a
clerk publishes is only ever the one `build` wrote."""
from __future__ import annotations

import argparse
import dataclasses
import sys

from .common import add_project_arguments, print_problems, project_of

HELP = "build and preview the site with live reload on http://127.0.0.1:PORT/"
INTERRUPTED = 130  # what a shell reports for a command ended by Ctrl+C
PREVIEW_DIR = ".preview"  # in the project's folder, beside site/ (git-ignored)


def port_number(text: str) -> int:
    """A TCP port, 1-65535 (0 would listen on a port the system picks, not the one the preview names)."""
    if not (text.isascii() and text.isdigit()):  # int() would read '８０８０', ' 80' or '8_0' as a port
        raise argparse.ArgumentTypeError(f"'{text}' is not a port number: give a number from 1 to 65535")
    port = int(text)
    if not 1 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"{port} is not a port number: give a number from 1 to 65535")
    return port


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_project_arguments(parser)
    parser.add_argument("--port", type=port_number, default=8000, help="port to serve on, 1-65535 (default 8000)")
    parser.add_argument("--host", default="127.0.0.1",
                        help="address to serve on (default 127.0.0.1; use 0.0.0.0 only when you mean it)")


def run(args: argparse.Namespace) -> int:
    from ..preview import CannotListen, serve
    from ..problems import BuildFailed

    def log(message: str) -> None:
        print(message, file=sys.stderr, flush=True)

    try:
        project = project_of(args)
        serve(dataclasses.replace(project, site_dir=project.root / PREVIEW_DIR), args.host, args.port, log)
    except CannotListen as error:
        print(f"serve: {error}", file=sys.stderr)
        return 1
    except BuildFailed as failure:  # templates/ cannot be read safely: nothing was served
        print_problems(failure.problems)
        return 1
    except KeyboardInterrupt:
        pass
    from ..cli import Terminated, terminated

    if terminated():  # (livereload catches the interrupt while serving and returns: the command line says which)
        raise Terminated()
    # The server only stops on Ctrl+C (livereload catches it while serving and returns).
    print("\nserve: stopped (Ctrl+C)", file=sys.stderr)
    return INTERRUPTED
