"""Who has sent what for a period: the staff's view of a collection round.

For each body expected to report (those that existed during the period, as the coverage table judges it):
whether its data file has arrived, whether `check` finds errors or warnings in it, and when it last changed.
`build.py status` prints it; the preview shows it as a page that is never published.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Iterable

from .catalogue import load_catalogue
from .model import Catalogue, Department, Period
from .pipeline import Project, check
from .problems import BuildFailed, Collector, Problem, Severity, relative_name, shown_path
from .summary import department_existed
from .validate import report_paths

# A body's state, worst first; the words the command line prints.
MISSING, ERRORS, WARNINGS, CLEAN = "missing", "errors", "warnings", "clean"


@dataclass(frozen=True)
class BodyStatus:
    """One body's report for the period: its data file, and what `check` found in it and its narrative."""

    department: str
    name: str  # the body's Vietnamese name; empty for a folder that names no body of departments.yaml
    file: str  # data/<department>/<period>.yaml, as problems name it
    arrived: bool
    errors: int = 0
    warnings: int = 0
    changed: datetime | None = None  # the data file's last change, local time

    @property
    def state(self) -> str:
        if not self.arrived:
            return MISSING
        return ERRORS if self.errors else WARNINGS if self.warnings else CLEAN

    @property
    def changed_text(self) -> str:
        """dd/mm/yyyy HH:MM, as the province writes a time; empty when the file has not arrived."""
        return self.changed.strftime("%d/%m/%Y %H:%M") if self.changed else ""


@dataclass(frozen=True)
class Collection:
    """The collection round of one period."""

    period: Period
    expected: tuple[BodyStatus, ...]  # in the order of departments.yaml
    unexpected: tuple[BodyStatus, ...]  # files of the period from bodies that did not exist then, or unknown

    @property
    def arrived(self) -> int:
        return sum(body.arrived for body in self.expected)

    @property
    def with_errors(self) -> int:
        return sum(body.state == ERRORS for body in self.expected)

    @property
    def with_warnings(self) -> int:
        return sum(body.state == WARNINGS for body in self.expected)


def default_period(catalogue: Catalogue, today: date) -> Period | None:
    """The period being collected: the latest to have ended before today (reports are sent after the period's
    last day); the first period when none has ended yet; None when there are no periods."""
    periods = catalogue.periods_in_order()
    ended = [p for p in periods if p.end < today]
    return ended[-1] if ended else (periods[0] if periods else None)


def read_project(project: Project) -> tuple[Catalogue, list[Problem]]:
    """The catalogue, and every problem a `check` run finds. BuildFailed (with the catalogue's problems) when
    the catalogue itself cannot be read: without it nobody knows which bodies report."""
    found = Collector()
    catalogue = load_catalogue(project.data_dir, project.root, found)
    if found.has_errors():
        raise BuildFailed(found.sorted())
    try:
        problems = check(project).problems.problems
    except BuildFailed as failure:
        # errors in the reports, which this view counts. (The check then stops before comparing reports with
        # plans: a report's W312/W313 warnings are counted once no report has errors.)
        problems = failure.problems
    return catalogue, problems


def collection(project: Project, catalogue: Catalogue, problems: Iterable[Problem], period: Period) -> Collection:
    """Each body's state for `period`, from the problems of a `check` run of the project."""
    errors: dict[str, int] = {}  # file -> its errors
    warnings: dict[str, int] = {}
    for problem in problems:
        tally = errors if problem.severity is Severity.ERROR else warnings
        tally[problem.origin.file] = tally.get(problem.origin.file, 0) + 1
    sent = {path.parent.name: path for path in report_paths(project.data_dir) if path.stem == period.id}

    def status(department: str, department_entry: Department | None) -> BodyStatus:
        path = sent.get(department, project.data_dir / department / f"{period.id}.yaml")
        name = relative_name(path, project.root)
        # the narrative sent with the report is part of it: its problems stop the report's page too (named as
        # the check names them: the report where it leads, the narrative where it stands)
        files = (name, shown_path(project.content_dir / department / f"{period.id}.md", project.root))
        changed = None
        if department in sent:
            try:
                changed = datetime.fromtimestamp(path.stat().st_mtime)
            except OSError:  # a link to nothing: arrived, with the error check gives it, and no time
                pass
        return BodyStatus(department, department_entry.name_vi if department_entry else "", name,
                          department in sent, sum(errors.get(f, 0) for f in files),
                          sum(warnings.get(f, 0) for f in files), changed)

    expected = [d for d in catalogue.departments.values() if department_existed(d, period)]
    others = sorted(set(sent) - {d.id for d in expected})
    return Collection(period, tuple(status(d.id, d) for d in expected),
                      tuple(status(d, catalogue.departments.get(d)) for d in others))
