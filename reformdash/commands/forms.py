"""forms: write the form of every body expected to report for a period, in one folder, ready to send."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..facts.summary import expected_to_report
from ..output.write import write_bytes_atomically
from .form import add_common_arguments, form_bytes, inside_sources, load, usage

HELP = "write the form of every department expected to report for a period into one folder"

DESCRIPTION = HELP + """.
One file per body expected to report for the period (data/departments.yaml: valid during it, and not ended
before its end with successors to report instead),
named bieu-mau-DEPARTMENT-PERIOD.xlsx (or .docx), each as `build.py form` writes it. Nothing is
replaced without --force: if one of the files exists, none is written."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.description = DESCRIPTION
    parser.add_argument("--period", required=True, help="period ID (data/periods.yaml)")
    parser.add_argument("--out", type=Path, help="the folder to write into (default: bieu-mau-PERIOD here)")
    add_common_arguments(parser)


def run(args: argparse.Namespace) -> int:
    project, catalogue, code = load(args, "forms")
    if catalogue is None:
        return code
    period = catalogue.periods[args.period]
    file_format = args.format or "xlsx"
    folder = args.out or Path(f"bieu-mau-{period.id}")
    if folder.exists() and not folder.is_dir():
        return usage("forms", f"{folder} is a file, not a folder")
    if inside_sources(folder, project):
        return usage("forms", f"{folder} lies in the project's data/, content/, templates/ or assets/; the forms are "
                     "for sending: write them elsewhere")
    bodies = [d for d in catalogue.departments.values() if expected_to_report(d, period)]
    targets = {d.id: folder / f"bieu-mau-{d.id}-{period.id}.{file_format}" for d in bodies}
    there = [str(t) for t in targets.values() if t.exists()]
    if there and not args.force:
        print(f"forms: {len(there)} file(s) exist: {', '.join(there)}; nothing was written (use --force to replace "
              "them)", file=sys.stderr)
        return 1
    for body in bodies:
        data, notices, holds = form_bytes(project, catalogue, body, period, file_format)
        if not write_bytes_atomically(targets[body.id], data, replace=args.force):
            print(f"forms: {targets[body.id]} appeared while writing; it was kept", file=sys.stderr)
            return 1
        for notice in notices:
            print(f"forms: {notice}", file=sys.stderr)
        print(f"forms: wrote {targets[body.id]} ({holds})", file=sys.stderr)
    print(f"forms: {len(bodies)} form(s) for {period.label_vi} in {folder}", file=sys.stderr)
    return 0
