"""import-plan: read a yearly plan's task table (.docx or text) into data/<department>/plan-<year>.yaml."""
from __future__ import annotations

import argparse
import dataclasses
import importlib
import re
import sys
from pathlib import Path

from ..inputs.catalogue import load_catalogue
from ..inputs.fields import closest
from ..importers.plan_writer import load_plan_groups, plan_yaml, read_plan
from ..importers.record import UnreadableDocument
from ..output.write import leaves_project, write_text_atomically
from ..problems import Collector, Origin, Problem, Severity, relative_name
from .common import add_project_arguments, check_new_file, print_problems, project_of

HELP = "import a yearly plan's task table from .docx or tab-separated text into data/"

DESCRIPTION = HELP + """.
The task table is the table whose header has "Nhiệm vụ chung", "Nhiệm vụ cụ thể", "Sản phẩm",
"Thời gian thực hiện", "Đơn vị chủ trì" (and "Đơn vị phối hợp"); each group becomes its area by
data/catalogue/plan-groups.yaml. Every word is kept as written. Problem lines point at the
source: a text line or a .docx table row; the written file is then checked as `check` does."""

# suffix -> (module under reformdash.importers, function); imported only when used
READERS = {
    ".txt": ("plan_text", "read_plan_text"),
    ".tsv": ("plan_text", "read_plan_text"),
    ".docx": ("plan_docx", "read_plan_docx"),
}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.description = DESCRIPTION
    parser.add_argument("file", help="the plan: " + ", ".join(READERS))
    parser.add_argument("--department", required=True, help="department ID (data/departments.yaml)")
    parser.add_argument("--year", required=True, help="the plan's year, e.g. 2024")
    parser.add_argument("--force", action="store_true", help="replace the plan file if it exists")
    add_project_arguments(parser)


def _usage(message: str) -> int:
    print(f"import-plan: {message}", file=sys.stderr)
    return 2


def run(args: argparse.Namespace) -> int:
    project = project_of(args)
    problems = Collector()
    catalogue = load_catalogue(project.data_dir, project.root, problems)
    if problems.has_errors():
        print_problems(problems.sorted())
        return 1
    if args.department not in catalogue.departments:
        near = closest(args.department, catalogue.departments)
        return _usage(f"unknown department '{args.department}'" + (f" (did you mean '{near}'?)" if near else ""))
    if not re.fullmatch(r"(19|20)\d{2}", args.year):
        return _usage(f"the year must be four digits, e.g. 2024, not '{args.year}'")
    year = int(args.year)
    path, source = Path(args.file), args.file
    if path.suffix.lower() not in READERS:
        return _usage(f"cannot read '{path.suffix}' files; use one of " + ", ".join(READERS)
                      + (" (save a .doc as .docx first)" if path.suffix.lower() == ".doc" else ""))
    if not path.is_file():
        return _usage(f"no such file: {source}")
    target = project.data_dir / args.department / f"plan-{year}.yaml"
    name = relative_name(target, project.root)
    if leaves_project(target, project.root):  # data/<department> linking elsewhere: nothing is written there
        print(f"import-plan: {name} lies outside the project (a folder on the way is a link); nothing was written",
              file=sys.stderr)
        return 1
    if target.exists() and not args.force:
        print(f"import-plan: {name} exists; nothing was written (use --force to replace it)", file=sys.stderr)
        return 1
    groups = load_plan_groups(project.data_dir, project.root, catalogue, problems)
    if problems.has_errors():
        print_problems(problems.sorted())
        return 1

    module_name, function = READERS[path.suffix.lower()]
    reader = getattr(importlib.import_module(f"..importers.{module_name}", __package__), function)
    try:
        document = reader(path)
    except UnreadableDocument as error:
        print_problems([Problem(Severity.ERROR, error.code, f"cannot read the file: {error}", Origin(source),
                                error.hint or "save it again as .docx or UTF-8 text")])
        return 1
    where = "table row" if path.suffix.lower() == ".docx" else "line"
    plan = read_plan(document, groups, args.department, year, source, where, problems)
    if plan is None or problems.has_errors():
        print_problems(problems.sorted())
        print("import-plan: the plan table cannot be read as it is; nothing was written", file=sys.stderr)
        return 1

    plan = dataclasses.replace(plan, source=path.name)
    write_text_atomically(target, plan_yaml(plan, catalogue.departments[args.department].name_vi))
    parts = sum(len(t.parts) for t in plan.tasks)
    print(f"import-plan: wrote {name}: {len(plan.tasks)} tasks, {parts} product rows", file=sys.stderr)
    return check_new_file(args, project, name, problems.problems, "import-plan")
