"""form: write the form one body fills in for one period (.xlsx, or .docx), ready to send."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..inputs.catalogue import load_catalogue
from ..inputs.fields import closest
from ..model import Catalogue, Department, Period
from ..pipeline import Project
from ..problems import Collector
from ..facts.summary import department_existed, expected_to_report
from ..output.write import write_bytes_atomically
from .common import print_problems, project_root

HELP = "write the form a department fills in for a period (.xlsx, or .docx with --format docx)"

DESCRIPTION = HELP + """.
The form is the version the department uses for that period (data/forms/: used_from,
used_until), every row in printed order with its number, label and unit; beside each row the
department's figures of its previous report and of the same period last year, for reference.
In the workbook only the value and note cells are open, each value cell checks what it takes,
and an empty cell means "not reported", never 0. Hidden IDs make `build.py import` read the
returned file exactly."""

FORMATS = ("xlsx", "docx")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.description = DESCRIPTION
    parser.add_argument("--department", required=True, help="department ID (data/departments.yaml)")
    parser.add_argument("--period", required=True, help="period ID (data/periods.yaml)")
    parser.add_argument("--out", type=Path, help="the file to write (default: bieu-mau-DEPARTMENT-PERIOD.xlsx here)")
    add_common_arguments(parser)


def add_common_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--format", choices=FORMATS, help="xlsx (Excel, LibreOffice; the default) or docx (Word)")
    parser.add_argument("--force", action="store_true", help="replace a file that exists")
    parser.add_argument("--root", type=Path, default=Path.cwd(), help="project directory (default: here)")


def usage(command: str, message: str) -> int:
    print(f"{command}: {message}", file=sys.stderr)
    return 2


def load(args: argparse.Namespace, command: str) -> tuple[Project, Catalogue | None, int]:
    """The project and its catalogue; or None and the exit code, after saying why."""
    project = Project.at(project_root(args))
    problems = Collector()
    catalogue = load_catalogue(project.data_dir, project.root, problems)
    if problems.has_errors():
        print_problems(problems.sorted())
        return project, None, 1
    if args.period not in catalogue.periods:
        near = closest(args.period, catalogue.periods)
        return project, None, usage(command, f"unknown period '{args.period}'"
                                    + (f" (did you mean '{near}'?)" if near else "; periods are listed in "
                                       "data/periods.yaml"))
    if catalogue.form_for(catalogue.periods[args.period]) is None:
        print(f"{command}: no form version is used for {catalogue.periods[args.period].label_vi} ({args.period}); "
              "give the version its period in data/forms/ (used_from, used_until)", file=sys.stderr)
        return project, None, 1
    return project, catalogue, 0


def inside_sources(target: Path, project: Project) -> bool:
    """A form is for sending, not a source of the site: never written under data/, content/, templates/, assets/."""
    where = target.resolve()
    return any(where.is_relative_to(folder.resolve()) for folder in project.sources())


def form_bytes(project: Project, catalogue: Catalogue, department: Department, period: Period,
               file_format: str) -> tuple[bytes, list[str], str]:
    """The form's file, notices about the figures shown for reference, and a line saying what it holds."""
    from ..forms.layout import body_form

    form = catalogue.form_for(period)
    assert form is not None  # (load() refused the period otherwise)
    body = body_form(catalogue, department, period, form, project.data_dir, project.root)
    if file_format == "docx":
        from ..forms.form_docx import docx_bytes
        data = docx_bytes(body)
    else:
        from ..forms.form_xlsx import xlsx_bytes
        data = xlsx_bytes(body)
    shown = [r.period.label_vi for r in (body.previous, body.last_year) if r.report is not None]
    return data, list(body.notices), f"{form.id}, {body.rows} rows; " + (
        f"for reference the figures of {' and '.join(shown)}" if shown else "no earlier report to show for reference")


def run(args: argparse.Namespace) -> int:
    project, catalogue, code = load(args, "form")
    if catalogue is None:
        return code
    if args.department not in catalogue.departments:
        near = closest(args.department, catalogue.departments)
        return usage("form", f"unknown department '{args.department}'"
                     + (f" (did you mean '{near}'?)" if near else "; departments are listed in data/departments.yaml"))
    department, period = catalogue.departments[args.department], catalogue.periods[args.period]
    if not department_existed(department, period):
        after = f"; its successor: {', '.join(department.successors)}" if department.successors else ""
        return usage("form", f"{department.short_name} did not exist during {period.label_vi} (valid "
                     f"{department.valid_from or '…'} to {department.valid_until or '…'}){after}")
    if not expected_to_report(department, period):  # (as `forms` and `status` leave it out)
        return usage("form", f"{department.short_name} ended on {department.valid_until}, before {period.label_vi} "
                     f"ended: its successor {', '.join(department.successors)} reports that period in its place")
    suffix = args.out.suffix.lower().lstrip(".") if args.out else ""
    file_format = args.format or (suffix if suffix in FORMATS else "xlsx")
    if args.out and suffix != file_format:
        return usage("form", f"--out {args.out} does not end in .{file_format}; name the file .{file_format}")
    target = args.out or Path(f"bieu-mau-{department.id}-{period.id}.{file_format}")
    if inside_sources(target, project):
        return usage("form", f"{target} lies in the project's data/, content/, templates/ or assets/; a form is "
                     "for sending: write it elsewhere")
    if target.exists() and not args.force:
        print(f"form: {target} exists; nothing was written (use --force to replace it)", file=sys.stderr)
        return 1
    data, notices, holds = form_bytes(project, catalogue, department, period, file_format)
    if not write_bytes_atomically(target, data, replace=args.force):
        print(f"form: {target} appeared while writing; it was kept (use --force to replace it)", file=sys.stderr)
        return 1
    for notice in notices:
        print(f"form: {notice}", file=sys.stderr)
    print(f"form: wrote {target}: the form of {department.name_vi} for {period.label_vi} ({holds})",
          file=sys.stderr)
    return 0
