"""What a page's context may read, and the record of what it read.

A context reads the build's data only through its `PageData`: the reports (through `TracedReports`, which
has the methods of `summary.Reports`), the catalogue, the plans' progress, the releases, the site's status,
the warnings and the content pages. Each read is noted in the page's `Trace` as a dependency (a tuple, see
`pagestore.Digests` for what each one stands for), at the grain the page can see: a report handed out whole
is a whole report, a figure asked for by department, period and indicator is one cell of the table. The
page's key is made from those dependencies, so a page is reused only while none of what it read changed,
and nobody lists by hand what a page depends on.

Reading anything else (a file, the cache) from a context would be a dependency the record misses: in strict
mode (`guarded`) a context that opens a file under the project fails the build.
"""
from __future__ import annotations

import os
import sys
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Iterator

from ..inputs.language import Language
from ..facts.summary import Reports

if TYPE_CHECKING:
    from ..facts.compute import ComputedReport
    from ..model import Catalogue, Period
    from ..problems import Problem
    from ..facts.progress import PlanProgress
    from ..inputs.releases import Release, SiteStatus
    from .report import ReportParts

CAT, KEYS, PERIODS, DEPARTMENTS, STATUS, RELEASES, CURRENT, WARNINGS, PLANS = (
    ("cat",), ("keys",), ("periods",), ("departments",), ("status",), ("releases",), ("current",), ("warnings",),
    ("plans",))


class Trace:
    """What one page (or one page's downloads) read: dependencies in the order first read, and the parts of
    reports it read by indicator ("cells": a figure as `Reports.cell` gives it; "rows": the indicator's row of
    the report as a download writes it), kept apart because an indicator's page reads a thousand of them."""

    __slots__ = ("seen", "columns", "_last")

    def __init__(self) -> None:
        self.seen: dict[tuple, None] = {}
        self.columns: dict[tuple[str, str], dict[tuple[str, str], None]] = {}
        self._last: tuple[str, str, dict] = ("", "", {})  # the column read last: an indicator's page reads one

    def add(self, dependency: tuple) -> None:
        self.seen[dependency] = None

    def cell(self, indicator: str, key: tuple[str, str], kind: str = "cells") -> None:
        last_kind, last_indicator, column = self._last
        if indicator != last_indicator or kind != last_kind:
            column = self.columns.get((kind, indicator))
            if column is None:
                column = self.columns[(kind, indicator)] = {}
            self._last = (kind, indicator, column)
        column[key] = None

    def dependencies(self) -> tuple[tuple, ...]:
        """Everything read: (kind, indicator, report keys) for each indicator's cells or rows."""
        return (*self.seen, *((kind, indicator, tuple(keys)) for (kind, indicator), keys in self.columns.items()))


class _TracedKeys:
    """`Reports.by_key` as a context reads it: which reports exist, and each report handed out."""

    __slots__ = ("_by_key", "_trace")

    def __init__(self, by_key: dict, trace: Trace) -> None:
        self._by_key, self._trace = by_key, trace

    def _report(self, key: tuple[str, str]) -> "ComputedReport":
        self._trace.add(("report", key))
        return self._by_key[key]

    def __iter__(self) -> Iterator[tuple[str, str]]:
        self._trace.add(KEYS)
        return iter(self._by_key)

    def __len__(self) -> int:
        self._trace.add(KEYS)
        return len(self._by_key)

    def __contains__(self, key: object) -> bool:
        self._trace.add(("has", key))  # (whether this one report exists, not which others do)
        return key in self._by_key

    def __getitem__(self, key: tuple[str, str]) -> "ComputedReport":
        return self._report(key)  # (a report that does not exist fails the build)

    def get(self, key: tuple[str, str], default=None):
        if key in self._by_key:
            return self._report(key)
        self._trace.add(("has", key))
        return default

    def keys(self):
        self._trace.add(KEYS)
        return self._by_key.keys()

    def values(self) -> list["ComputedReport"]:
        self._trace.add(KEYS)
        return [self._report(key) for key in self._by_key]

    def items(self) -> list[tuple[tuple[str, str], "ComputedReport"]]:
        self._trace.add(KEYS)
        return [(key, self._report(key)) for key in self._by_key]


class TracedReports:
    """`summary.Reports` as a page's context reads it, every read noted in the page's trace."""

    __slots__ = ("_reports", "_trace", "by_key")

    def __init__(self, reports: Reports, trace: Trace) -> None:
        self._reports, self._trace = reports, trace
        self.by_key = _TracedKeys(reports.by_key, trace)

    @property
    def catalogue(self) -> "Catalogue":
        self._trace.add(CAT)
        return self._reports.catalogue

    def _handed(self, computed: "ComputedReport | None") -> "ComputedReport | None":
        if computed is not None:
            self._trace.add(("report", computed.report.key))
        return computed

    def all(self) -> list["ComputedReport"]:
        return self.by_key.values()

    def of_department(self, department: str) -> list["ComputedReport"]:
        self._trace.add(("department keys", department))
        return [self._handed(c) for c in self._reports.of_department(department)]

    def of_period(self, period: str) -> list["ComputedReport"]:
        self._trace.add(("period keys", period))
        return [self._handed(c) for c in self._reports.of_period(period)]

    def asking(self, ind) -> list["ComputedReport"]:
        """The reports whose form holds the indicator, each for its row of the indicator only (a download's)."""
        self._trace.add(KEYS)
        self._trace.add(CAT)
        for key in self._reports.by_key:
            self._trace.cell(ind.id, key, "rows")
        return self._reports.asking(ind)

    def periods_of(self, department: str) -> list[str]:
        self._trace.add(("department keys", department))
        return self._reports.periods_of(department)

    def periods_reported(self) -> list["Period"]:
        self._trace.add(PERIODS)
        self._trace.add(CAT)
        return self._reports.periods_reported()

    def latest_period(self) -> "Period | None":
        self._trace.add(PERIODS)
        self._trace.add(CAT)
        return self._reports.latest_period()

    def departments_reporting(self) -> list[str]:
        self._trace.add(DEPARTMENTS)
        return self._reports.departments_reporting()

    def figure(self, department: str, period: str, indicator: str):
        trace = self._trace
        trace.seen[CAT] = None
        trace.cell(indicator, (department, period))
        return self._reports.figure(department, period, indicator)

    def cell(self, department: str, period: str, indicator: str):
        # (an indicator's page asks for a thousand cells: the trace is written to directly)
        trace = self._trace
        trace.seen[CAT] = None
        trace.cell(indicator, (department, period))
        return self._reports.cell(department, period, indicator)

    def value_in(self, computed: "ComputedReport", indicator: str):
        self._handed(computed)
        self._trace.add(CAT)
        return self._reports.value_in(computed, indicator)

    def previous(self, computed: "ComputedReport") -> "ComputedReport | None":
        self._trace.add(("department keys", computed.report.department))
        self._trace.add(CAT)
        return self._handed(self._reports.previous(computed))

    def same_period_last_year(self, computed: "ComputedReport") -> "ComputedReport | None":
        self._trace.add(("department keys", computed.report.department))
        self._trace.add(CAT)
        return self._handed(self._reports.same_period_last_year(computed))


@dataclass
class Sources:
    """Everything the pages of one build are made from, in every language (read through `PageData`)."""

    reports: Reports
    progress: list["PlanProgress"]
    warnings: list["Problem"]
    releases: list["Release"]
    status: "SiteStatus"
    current: dict  # the data as it stands, as a release records it (empty when there is no release)
    history: dict  # report -> indicator -> [(release, published value)]
    about: dict[str, tuple[str, str]]  # language code -> the about page's Markdown, and the language it is in
    report_parts: "ReportParts"
    quality_page: bool = True  # the project publishes the page of every data-quality warning
    narratives: dict = field(default_factory=dict)  # report -> its narrative's HTML, made once for all languages

    def __post_init__(self) -> None:
        self.plans = {(p.plan.department, p.plan.year): p for p in self.progress}


class PageData:
    """The one way a page's context reads the build's data; what it reads is noted in `trace`."""

    __slots__ = ("_sources", "lang", "trace", "reports")

    def __init__(self, sources: Sources, lang: Language, trace: Trace | None = None) -> None:
        self._sources, self.lang = sources, lang  # (the page's language is a dependency of every page)
        self.trace = trace if trace is not None else Trace()
        self.reports = TracedReports(sources.reports, self.trace)

    @property
    def catalogue(self) -> "Catalogue":
        return self.reports.catalogue

    @property
    def status(self) -> "SiteStatus":
        self.trace.add(STATUS)
        return self._sources.status

    def progress(self) -> list["PlanProgress"]:
        """Every plan's progress."""
        self.trace.add(PLANS)
        for p in self._sources.progress:
            self.trace.add(("plan", p.plan.department, p.plan.year))
        return list(self._sources.progress)

    def plan(self, department: str, year: int) -> "PlanProgress":
        self.trace.add(("plan", department, year))
        return self._sources.plans[(department, year)]

    def plans_of(self, department: str) -> list["PlanProgress"]:
        """A department's plans, in the order of `progress`."""
        self.trace.add(("department plans", department))
        found = [p for p in self._sources.progress if p.plan.department == department]
        for p in found:
            self.trace.add(("plan", department, p.plan.year))
        return found

    @property
    def releases(self) -> list["Release"]:
        self.trace.add(RELEASES)
        return self._sources.releases

    def current(self) -> dict:
        """The data as it stands, as a release would record it."""
        self.trace.add(CURRENT)
        return self._sources.current

    def history(self, key: tuple[str, str]) -> dict | None:
        """A report's published figures: indicator -> [(release, published value)], or None."""
        self.trace.add(RELEASES)
        return self._sources.history.get(key)

    @property
    def warnings(self) -> list["Problem"]:
        self.trace.add(WARNINGS)
        return self._sources.warnings

    def content(self, name: str) -> tuple[str, str]:
        """A content page's Markdown in the page's language (or Vietnamese), and the language it is in."""
        assert name == "gioi-thieu", name  # the one content page the site has
        self.trace.add(("content", name, self.lang.code))
        return self._sources.about[self.lang.code]

    def narrative(self, computed: "ComputedReport") -> str:
        """A report's narrative as HTML, made once for all languages."""
        from ..output.render import markdown_to_html

        key = computed.report.key
        self.trace.add(("report", key))
        narratives = self._sources.narratives
        if key not in narratives:
            narratives[key] = markdown_to_html(computed.report.narrative_markdown)
        return narratives[key]

    @property
    def report_parts(self) -> "ReportParts":
        """What the report pages share (each form's rows in each language, each report's figures as text)."""
        self.trace.add(CAT)
        return self._sources.report_parts


# -- strict mode: a context that reads a file fails the build ----------------------------
class UnrecordedRead(RuntimeError):
    """A page's context read a file: a dependency its record would miss."""


_watched: tuple[str, str, str] | None = None  # (page, project folder, engine folder) while a context runs
_ENGINE = str(Path(__file__).resolve().parent.parent) + os.sep
_hooked = False


def _audit(event: str, args: tuple) -> None:
    if _watched is None or event not in ("open", "os.listdir", "os.scandir"):
        return
    target = args[0] if args else None
    if target is None or isinstance(target, int):
        return
    path = os.path.abspath(os.fsdecode(target))
    page, root, engine = _watched
    if (path + os.sep).startswith(root) and not path.startswith(engine):
        raise UnrecordedRead(f"the context of {page} read {path}: a page reads its data through its PageData "
                             "(reformdash/pages/access.py), which records what the page depends on")


@contextmanager
def guarded(page: str, root: Path | None):
    """While a context runs: with `root` (strict mode), opening or listing anything under that project folder
    (but the engine's own modules) raises UnrecordedRead."""
    global _watched, _hooked
    if root is None:
        yield
        return
    if not _hooked:  # (an audit hook cannot be removed: it stays, idle, outside contexts)
        sys.addaudithook(_audit)
        _hooked = True
    before = _watched
    _watched = (page, str(root.absolute()) + os.sep, _ENGINE)
    try:
        yield
    finally:
        _watched = before
