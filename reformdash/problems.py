"""Problems: every error and warning of a run, with where it is and what to do.

Every stage appends to one Collector; only build.py decides the exit code.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path
from typing import NamedTuple


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"


class Origin(NamedTuple):
    """Where a thing came from: a file and a 1-based line and column.

    A named tuple, not a dataclass: a province's half a million figures each carry one, and a tuple is a third
    smaller and read back from the cache twice as fast."""

    file: str
    line: int = 0
    column: int = 0

    def __str__(self) -> str:
        if self.line:
            return f"{self.file}:{self.line}:{self.column}"
        return self.file


@dataclass(frozen=True)
class Problem:
    severity: Severity
    code: str
    message: str
    origin: Origin
    hint: str = ""
    subject: str = ""  # the indicator a problem is about, so pages can flag the figure

    def format(self) -> str:
        text = f"{self.origin}: {self.severity.value} {self.code}: {self.message}"
        if self.hint:
            text += f"\n    hint: {self.hint}"
        return text

    def sort_key(self) -> tuple[str, int, int, str]:
        return (self.origin.file, self.origin.line, self.origin.column, self.code)


@dataclass
class Collector:
    """Gathers the problems of one run, from every stage."""

    problems: list[Problem] = field(default_factory=list)

    def error(self, code: str, message: str, origin: Origin, hint: str = "", subject: str = "") -> None:
        self.problems.append(Problem(Severity.ERROR, code, message, origin, hint, subject))

    def warning(self, code: str, message: str, origin: Origin, hint: str = "", subject: str = "") -> None:
        self.problems.append(Problem(Severity.WARNING, code, message, origin, hint, subject))

    def add(self, problem: Problem) -> None:
        self.problems.append(problem)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity is Severity.WARNING]

    def has_errors(self) -> bool:
        return any(p.severity is Severity.ERROR for p in self.problems)

    def sorted(self) -> list[Problem]:
        return sorted(self.problems, key=Problem.sort_key)


# At most this many errors of one code are listed per file: a file of 150 000 unknown keys lists 20
# of them and one line counting the rest, instead of 300 000 lines.
PROBLEMS_PER_CODE = 20


def capped(problems: list[Problem], limit: int = PROBLEMS_PER_CODE) -> list[Problem]:
    """The first `limit` errors of each file and code in file order, then one error counting the rest.

    Warnings are all kept: each is published as a flag beside its figure.
    """
    counts: dict[tuple[str, str], int] = {}
    for p in problems:
        if p.severity is Severity.ERROR:
            counts[(p.origin.file, p.code)] = counts.get((p.origin.file, p.code), 0) + 1
    if all(n <= limit for n in counts.values()):
        return problems
    out = [p for p in problems if p.severity is not Severity.ERROR or counts[(p.origin.file, p.code)] <= limit]
    listed: dict[tuple[str, str], int] = {}
    for p in sorted((p for p in problems if p.severity is Severity.ERROR
                     and counts[(p.origin.file, p.code)] > limit), key=Problem.sort_key):
        key = (p.origin.file, p.code)
        listed[key] = listed.get(key, 0) + 1
        if listed[key] <= limit:
            out.append(p)
        elif listed[key] == limit + 1:
            more = counts[key] - limit
            out.append(Problem(Severity.ERROR, p.code, f"{more} more {p.code} error(s) in this file are not listed",
                               p.origin, f"at most {limit} errors of one code are listed per file; "
                               "fix these and check again"))
    return out


class BuildFailed(Exception):
    """Raised by the pipeline when a gate finds errors; carries the problems."""

    def __init__(self, problems: list[Problem]):
        super().__init__(f"{sum(p.severity is Severity.ERROR for p in problems)} error(s)")
        self.problems = problems


def relative_name(path: Path, root: Path) -> str:
    """A path as the user should see it: relative to the project where possible."""
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()
    except (RuntimeError, OSError):  # a link loop: named by where it stands, the reader says what is wrong
        return Path(os.path.relpath(path.absolute(), root.absolute())).as_posix()


def shown_path(path: Path, root: Path) -> str:
    """A path relative to the project as the user put it (a link not followed), else as given: how a problem
    names a file that may be a link leading elsewhere."""
    try:
        return path.absolute().relative_to(root.absolute()).as_posix()
    except ValueError:
        return str(path)
