"""serve: build, then preview site/ on 127.0.0.1 with live reload; rebuild on every change."""
from __future__ import annotations

import argparse
import sys

from .common import add_project_arguments, project_of

HELP = "build and preview the site with live reload on http://127.0.0.1:PORT/"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_project_arguments(parser)
    parser.add_argument("--port", type=int, default=8000, help="port to serve on (default 8000)")
    parser.add_argument("--host", default="127.0.0.1",
                        help="address to serve on (default 127.0.0.1; use 0.0.0.0 only when you mean it)")


def run(args: argparse.Namespace) -> int:
    from ..preview import serve

    def log(message: str) -> None:
        print(message, file=sys.stderr, flush=True)

    serve(project_of(args), args.host, args.port, log)
    return 0
