"""Who has sent what for a period: the staff's view of a collection round.

For each body expected to report (those that existed during the period, but for one that ended before its end
handing over to successors, as the coverage table judges it):
whether its data file has arrived, whether `check` finds errors or warnings in it, and when it last changed;
for one that has not, the files check names that hold its report under a name that is not read. Errors in
other files are listed too: any error stops the build.
`build.py status` prints it; the preview shows it as a page that is never published.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import PurePosixPath
from typing import Iterable

from .inputs.catalogue import load_catalogue
from .model import Catalogue, Department, Period
from .pipeline import Project, Session, check
from .problems import BuildFailed, Collector, Problem, Severity, relative_name, shown_path
from .facts.summary import expected_to_report, why_not_asked
from .inputs.validate import report_paths

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
    folder: bool = False  # the report's name is a folder's: nothing arrived, and check refuses it (E107)
    # files check names that are named like this report but not read as it (E221, W220, E211): (file, code)
    misnamed: tuple[tuple[str, str], ...] = ()
    not_asked: str = ""  # why a body is not asked for the period's report (`facts.summary.why_not_asked`)

    @property
    def state(self) -> str:
        if not self.arrived:
            return ERRORS if self.folder else MISSING
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
    # files that are no body's report or narrative of the period but hold errors, each of which stops the build:
    # (file, its error codes in the order check gives them, how many errors)
    other_errors: tuple[tuple[str, tuple[str, ...], int], ...] = ()
    errors_in_all: int = 0  # every error check finds in the project: one is enough to block the build

    @property
    def arrived(self) -> int:
        return sum(body.arrived for body in self.expected)

    @property
    def with_errors(self) -> int:
        return sum(body.arrived and body.state == ERRORS for body in self.expected)

    @property
    def folders(self) -> int:
        return sum(body.folder for body in self.expected)

    @property
    def with_warnings(self) -> int:
        return sum(body.state == WARNINGS for body in self.expected)


def default_period(catalogue: Catalogue, today: date) -> Period | None:
    """The period being collected: the latest to have ended before today (reports are sent after the period's
    last day); the first period when none has ended yet; None when there are no periods."""
    periods = catalogue.periods_in_order()
    ended = [p for p in periods if p.end < today]
    return ended[-1] if ended else (periods[0] if periods else None)


def read_project(project: Project, session: Session | None = None) -> tuple[Catalogue, list[Problem]]:
    """The catalogue, and every problem a `check` run finds. BuildFailed (with the catalogue's problems) when
    the catalogue itself cannot be read: without it nobody knows which bodies report."""
    found = Collector()
    catalogue = load_catalogue(project.data_dir, project.root, found)
    if found.has_errors():
        raise BuildFailed(found.sorted())
    try:
        problems = check(project, session).problems.problems
    except BuildFailed as failure:
        # errors in the reports, which this view counts. (The check then stops before comparing reports with
        # plans: a report's W312/W313 warnings are counted once no report has errors.)
        problems = failure.problems
    return catalogue, problems


def collection(project: Project, catalogue: Catalogue, problems: Iterable[Problem], period: Period) -> Collection:
    """Each body's state for `period`, from the problems of a `check` run of the project."""
    problems = list(problems)
    errors: dict[str, int] = {}  # file -> its errors
    warnings: dict[str, int] = {}
    for problem in problems:
        tally = errors if problem.severity is Severity.ERROR else warnings
        tally[problem.origin.file] = tally.get(problem.origin.file, 0) + 1
    sent = {path.parent.name: path for path in report_paths(project.data_dir) if path.stem == period.id}
    read: set[str] = set()  # the files the rows below account for

    def status(department: str, department_entry: Department | None) -> BodyStatus:
        path = sent.get(department, project.data_dir / department / f"{period.id}.yaml")
        name = relative_name(path, project.root)
        # the narrative sent with the report is part of it: its problems stop the report's page too (named as
        # the check names them: the report where it leads, the narrative where it stands)
        files = (name, shown_path(project.content_dir / department / f"{period.id}.md", project.root))
        read.update(files)
        changed = None
        folder = department in sent and path.is_dir()  # globbed as a report, but a folder: check says E107
        arrived = department in sent and not folder
        if arrived:
            try:
                changed = datetime.fromtimestamp(path.stat().st_mtime)
            except OSError:  # a link to nothing: arrived, with the error check gives it, and no time
                pass
        misnamed = () if arrived else _misnamed(project, department, period, name, problems)
        read.update(file for file, _ in misnamed)  # (said on the body's line, not again among other files)
        return BodyStatus(department, department_entry.name_vi if department_entry else "", name,
                          arrived, sum(errors.get(f, 0) for f in files),
                          sum(warnings.get(f, 0) for f in files), changed, folder, misnamed,
                          why_not_asked(department_entry, period) if department_entry else "")

    expected = [d for d in catalogue.departments.values() if expected_to_report(d, period)]
    others = sorted(set(sent) - {d.id for d in expected})
    rows = tuple(status(d.id, d) for d in expected), tuple(status(d, catalogue.departments.get(d)) for d in others)
    blocking: dict[str, list[str]] = {}
    for problem in problems:
        if problem.severity is Severity.ERROR and problem.origin.file not in read:
            blocking.setdefault(problem.origin.file, []).append(problem.code)
    return Collection(period, *rows, tuple((file, tuple(dict.fromkeys(codes)), len(codes))
                                          for file, codes in sorted(blocking.items())),
                      sum(p.severity is Severity.ERROR for p in problems))


def _misnamed(project: Project, department: str, period: Period, report: str,
              problems: list[Problem]) -> tuple[tuple[str, str], ...]:
    """The files in the body's folder that check names (E221, W220: not read; E211: a name in other letters) and whose
    name, up to its first dot and in any case, is the period's: the report, sent under a name that is not read."""
    folder = PurePosixPath(relative_name(project.data_dir / department, project.root))
    found: dict[str, str] = {}
    for problem in problems:
        file = PurePosixPath(problem.origin.file)
        if folder in file.parents and file.name.partition(".")[0].lower() == period.id and str(file) != report:
            found.setdefault(str(file), problem.code)
    return tuple(sorted(found.items()))
