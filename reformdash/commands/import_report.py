"""import: read a department's appendix (text, DOCX, XLSX) into data/<department>/<period>.yaml."""
from __future__ import annotations

import argparse

HELP = "import a report's statistics appendix from .txt, .docx or .xlsx into data/"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file")


def run(args: argparse.Namespace) -> int:
    raise SystemExit("import: not implemented yet")
