"""status: for one period, which bodies have sent their report, and whether it passes the check."""
from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path

from ..collection import MISSING, BodyStatus, Collection, collection, default_period, read_project
from ..inputs.fields import closest
from ..problems import BuildFailed
from .common import print_problems, project_of

HELP = "list the bodies expected to report for a period: sent or not, with errors or warnings, last change"

DESCRIPTION = HELP + """.
The bodies expected are those of data/departments.yaml that existed during the period. A report has
arrived when data/<department>/<period>.yaml exists; its errors and warnings are the ones `check`
finds in it and in its narrative (content/<department>/<period>.md); the last change is the data
file's, in local time. A report's name that is a folder is an error; a file check names that holds a
missing report under a name that is not read (2023-q1.yml) is named. Files of the period from bodies
that did not exist then are listed apart, and so are errors in any other file: each stops the build.
The exit code is 0 even when reports are missing or have errors: 1 only when the catalogue cannot
be read, 2 for an unknown period."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.description = DESCRIPTION
    parser.add_argument("--period", help="period ID (data/periods.yaml); default: the latest period that ended "
                                         "before today")
    parser.add_argument("--root", type=Path, default=Path.cwd(), help="project directory (default: here)")


def run(args: argparse.Namespace) -> int:
    project = project_of(args)
    try:
        catalogue, problems = read_project(project)
    except BuildFailed as failure:
        print_problems(failure.problems)
        print("status: the catalogue cannot be read, so nobody knows who reports; fix the errors above",
              file=sys.stderr)
        return 1
    if args.period is None:
        period = default_period(catalogue, date.today())
        if period is None:
            print("status: data/periods.yaml lists no period", file=sys.stderr)
            return 1
    elif args.period in catalogue.periods:
        period = catalogue.periods[args.period]
    else:
        near = closest(args.period, catalogue.periods)
        print(f"status: unknown period '{args.period}'" + (f" (did you mean '{near}'?)" if near else "")
              + "; periods are listed in data/periods.yaml", file=sys.stderr)
        return 2
    print("\n".join(status_lines(collection(project, catalogue, problems, period))))
    return 0


NOT_ASKED = {"not-existing": "did not exist then", "reports-later": "reported to its district then, not to the province",
             "handed-over": "had handed over to its successors before the period's end", "": "is asked for it"}


def status_lines(found: Collection) -> list[str]:
    """The table, one row a body, then the files of bodies not expected, then the summary line."""
    period = found.period
    lines = [f"{period.id} ({period.label_vi}, {period.start:%d/%m/%Y} to {period.end:%d/%m/%Y}): "
             f"{len(found.expected)} bodies expected to report"]
    header = ("ID", "Name", "State", "Warnings", "Errors", "Last change")
    rows = [header] + [_row(body) for body in found.expected]
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    for row in rows:
        cells = [row[i].rjust(widths[i]) if i in (3, 4) else row[i].ljust(widths[i]) for i in range(len(row))]
        lines.append("  ".join(cells).rstrip())
    for body in found.expected:
        if body.folder:
            lines.append(f"{body.department}: {body.file} is a folder, not a report file: nothing was sent")
        for file, code in body.misnamed:
            lines.append(f"{body.department}: {file} is there but is not read as its report ({code}); "
                         f"save it as {body.file}")
    for body in found.unexpected:
        why = f"{body.name} {NOT_ASKED[body.not_asked]}" if body.name else "not a body of data/departments.yaml"
        lines.append(f"not expected: {body.file} ({why}): "
                     + (f"{body.errors} error(s), {body.warnings} warning(s)" if body.errors or body.warnings
                        else "clean"))
    if found.other_errors:
        lines.append(f"other files: {sum(count for _, _, count in found.other_errors)} error(s) that stop the "
                     "build: " + "; ".join(f"{file}: {', '.join(codes)}" for file, codes, _ in found.other_errors))
    lines.append(f"{found.arrived} of {len(found.expected)} bodies have sent their report; "
                 f"{found.with_errors} with errors, {found.with_warnings} with warnings"
                 + (f"; {found.folders} sent a folder, not a file" if found.folders else ""))
    if found.errors_in_all:
        lines.append(f"the build is blocked: {found.errors_in_all} error(s) in all, each stops `python build.py` "
                     "until it is fixed")
    if found.errors_in_all or found.with_warnings or found.unexpected or found.folders \
            or any(body.misnamed for body in found.expected):
        lines.append("run `python build.py check` for each problem's line and what to do")
    return lines


def _row(body: BodyStatus) -> tuple[str, ...]:
    if body.state == MISSING:
        return body.department, body.name, "not sent", "-", "-", "-"
    return (body.department, body.name, body.state, str(body.warnings), str(body.errors),
            body.changed_text or "-")
