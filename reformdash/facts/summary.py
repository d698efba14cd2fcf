"""Figures across reports: headline values, trends, coverage, earlier reports.

Part of the compute stage. Values are looked up, never added up: a
cumulative row, a per-period row and a state row mean different things over
time, so a trend shows each report's own figure and says which kind it is.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import cached_property

from .compute import ComputedReport
from ..model import Catalogue, Department, Indicator, Period


def asked(cat: Catalogue, form: str, ind: Indicator) -> bool:
    """Whether a report on this form can hold the indicator (for a derived one: both its inputs)."""
    rows = cat.forms[form]
    if ind.derived and ind.formula:
        return rows.has(ind.formula.numerator) and rows.has(ind.formula.denominator)
    return rows.has(ind.id)


def uncomputable(computed: ComputedReport, ind: Indicator) -> bool:
    """Whether a derived indicator has no figure although the report holds both its inputs: their ratio is
    refused (a whole of 0, parts above their whole; W302/W305 say which). Shown as such, never as "not
    reported": the department left nothing empty."""
    if not ind.derived or ind.formula is None or ind.id in computed.derived:
        return False
    values = computed.report.values
    return all((row := values.get(i)) is not None and row.value is not None
               for i in (ind.formula.numerator, ind.formula.denominator))


@dataclass(frozen=True)
class Figure:
    """One indicator's figure in one report."""

    department: str
    period: str
    value: Decimal | None
    # True when the site computed it (a derived indicator); with no value, the site could not compute it from the
    # figures the department did report (a whole of 0, parts above their whole): not "not reported"
    computed: bool


@dataclass(frozen=True)
class Reports:
    """All computed reports of a build, indexed the ways the pages need."""

    catalogue: Catalogue
    by_key: dict[tuple[str, str], ComputedReport]

    @classmethod
    def of(cls, catalogue: Catalogue, reports: list[ComputedReport]) -> "Reports":
        ordered = sorted(reports, key=lambda c: (c.report.department, catalogue.periods[c.report.period].end))
        return cls(catalogue, {c.report.key: c for c in ordered})

    def all(self) -> list[ComputedReport]:
        return list(self.by_key.values())

    # Indexes made on first use (cached_property writes to the instance's own dict, as a frozen object allows);
    # the methods hand out copies.
    @cached_property
    def _by_department(self) -> dict[str, list[ComputedReport]]:
        index: dict[str, list[ComputedReport]] = {}
        for (d, _), c in self.by_key.items():
            index.setdefault(d, []).append(c)
        return index

    @cached_property
    def _periods_reported(self) -> list[Period]:
        keys = {p for _, p in self.by_key}
        return [p for p in self.catalogue.periods_in_order() if p.id in keys]

    @cached_property
    def _departments_reporting(self) -> list[str]:
        return sorted({d for d, _ in self.by_key})

    def of_department(self, department: str) -> list[ComputedReport]:
        """Oldest first."""
        return list(self._by_department.get(department, ()))

    def periods_reported(self) -> list[Period]:
        return list(self._periods_reported)

    def latest_period(self) -> Period | None:
        periods = self.periods_reported()
        return periods[-1] if periods else None

    def periods_of(self, department: str) -> list[str]:
        """The periods a department reported, oldest first."""
        return [c.report.period for c in self._by_department.get(department, ())]

    def of_period(self, period: str) -> list[ComputedReport]:
        """The reports of a period, by department."""
        return [c for (_, p), c in self.by_key.items() if p == period]

    def asking(self, ind: Indicator) -> list[ComputedReport]:
        """The reports whose form holds the indicator (for a derived one: both its inputs)."""
        return [c for c in self.by_key.values() if asked(self.catalogue, c.report.form, ind)]

    def cell(self, department: str, period: str, indicator: str) -> tuple[str, Decimal | None, bool] | None:
        """None when the department sent no report for the period; else its report's form and its figure of the
        indicator (value or None, whether the site computed it)."""
        computed = self.by_key.get((department, period))
        if computed is None:
            return None
        return (computed.report.form, *self.value_in(computed, indicator))

    def figure(self, department: str, period: str, indicator: str) -> Figure | None:
        """None when the department sent no report, or its report's form does not ask for the indicator (it
        left nothing empty); a Figure whose value is None when it left the cell empty."""
        computed = self.by_key.get((department, period))
        if computed is None or not asked(self.catalogue, computed.report.form, self.catalogue.indicators[indicator]):
            return None
        return Figure(department, period, *self.value_in(computed, indicator))

    def value_in(self, computed: ComputedReport, indicator: str) -> tuple[Decimal | None, bool]:
        """A report's figure of an indicator: (value or None, whether the site computed it). (None, True) is a
        derived figure whose inputs the department reported but which gives no figure (see `uncomputable`)."""
        row = computed.report.values.get(indicator)
        if row is not None and row.value is not None:
            return row.value, False
        ind = self.catalogue.indicators[indicator]
        if ind.derived:
            # Only a derived indicator is the site's own figure; a rate the department
            # left empty stays empty here (its report page shows the computed value, labelled).
            if indicator in computed.derived:
                return computed.derived[indicator], True
            if uncomputable(computed, ind):
                return None, True
        return None, False

    def departments_reporting(self) -> list[str]:
        """The IDs of the departments with at least one report, in order."""
        return list(self._departments_reporting)

    def previous(self, computed: ComputedReport) -> ComputedReport | None:
        """The department's latest report before this one."""
        end = self.catalogue.periods[computed.report.period].end
        earlier = [c for c in self.of_department(computed.report.department)
                   if self.catalogue.periods[c.report.period].end < end]
        return earlier[-1] if earlier else None

    def same_period_last_year(self, computed: ComputedReport) -> ComputedReport | None:
        period = self.catalogue.periods[computed.report.period]
        return next((c for c in self.of_department(computed.report.department)
                     if (p := self.catalogue.periods[c.report.period]).kind == period.kind
                     and p.year == period.year - 1), None)


def department_existed(department: Department, period: Period) -> bool:
    starts_ok = department.valid_from is None or department.valid_from <= period.end
    ends_ok = department.valid_until is None or department.valid_until >= period.start
    return starts_ok and ends_ok


def expected_to_report(department: Department, period: Period) -> bool:
    """Whether a body is asked for a period's report: it existed during the period, and did not end before the
    period's end handing over to its successors (a department merged in February sends no report for the year:
    its successor reports the year); and its kind of body reports to the province by then (a commune from
    1 July 2025: before, it reported to its district)."""
    return not why_not_asked(department, period)


def why_not_asked(department: Department, period: Period) -> str:
    """Why a body is not asked for a period's report ("" when it is; see `expected_to_report`): "not-existing",
    "reports-later" (its kind reported to the district then) or "handed-over" (to its successors)."""
    if not department_existed(department, period):
        return "not-existing"
    if department.reports_from is not None and period.end < department.reports_from:
        return "reports-later"
    if department.successors and department.valid_until is not None and department.valid_until < period.end:
        return "handed-over"
    return ""


@dataclass(frozen=True)
class Coverage:
    department: str
    period: str
    status: str  # reported | missing | not-existing


def coverage(reports: Reports) -> list[Coverage]:
    """Every department x every period that has at least one report."""
    out = []
    for period in reports.periods_reported():
        for dept in reports.catalogue.departments.values():
            if (dept.id, period.id) in reports.by_key:
                status = "reported"
            elif expected_to_report(dept, period):
                status = "missing"
            else:
                status = "not-existing"
            out.append(Coverage(dept.id, period.id, status))
    return out


def expected_departments(reports: Reports, period: Period) -> list[Department]:
    return [d for d in reports.catalogue.departments.values() if expected_to_report(d, period)]


def as_of(reports: Reports) -> date | None:
    period = reports.latest_period()
    return period.end if period else None
