"""A department's page: who it is, its history, its headline figures over time, its reports."""
from __future__ import annotations

from dataclasses import dataclass

from ..charts import Chart
from ..model import Department
from ..releases import SiteStatus
from ..summary import Reports
from .base import Page, department_path, make_page, report_path
from .report import WarningView


@dataclass(frozen=True)
class LinkView:
    text: str
    href: str


@dataclass(frozen=True)
class ReportSummary:
    period_label: str
    href: str
    form_label: str
    reported: int
    total: int
    warnings: int


@dataclass(frozen=True)
class DepartmentPageContext:
    page: Page
    department: Department
    kind_label: str
    valid_text: str
    predecessors: tuple[LinkView, ...]
    successors: tuple[LinkView, ...]
    charts: tuple[Chart, ...]
    latest: ReportSummary | None
    latest_warnings: tuple[WarningView, ...]
    reports: tuple[ReportSummary, ...]  # newest first
    plans: tuple[LinkView, ...]


KIND_VI = {"department": "Sở, ban, ngành", "district": "UBND cấp huyện"}


def _valid_text(dept: Department) -> str:
    if dept.valid_from and dept.valid_until:
        return f"Hoạt động từ {dept.valid_from:%d/%m/%Y} đến {dept.valid_until:%d/%m/%Y}"
    if dept.valid_from:
        return f"Hoạt động từ {dept.valid_from:%d/%m/%Y}"
    if dept.valid_until:
        return f"Hoạt động đến {dept.valid_until:%d/%m/%Y}"
    return ""


def report_summary(reports: Reports, department: str, period: str, root: str) -> ReportSummary:
    computed = reports.by_key[(department, period)]
    cat = reports.catalogue
    form = cat.forms[computed.report.form]
    countable = [r.indicator for r in form.rows if cat.kinds[cat.indicators[r.indicator].kind].holds_value]
    reported = sum(1 for i in countable if (v := computed.report.values.get(i)) and v.value is not None)
    return ReportSummary(cat.periods[period].label_vi, root + report_path(department, period), form.label_vi,
                         reported, len(countable), len(computed.flags))


def department_context(reports: Reports, dept: Department, as_of: SiteStatus,
                       plans: tuple[LinkView, ...] = ()) -> DepartmentPageContext:
    from .figures import trend_chart
    from .report import warning_views

    cat = reports.catalogue
    page = make_page(dept.name_vi, department_path(dept.id), "don-vi/index.html", as_of,
                     (("Đơn vị", "don-vi/index.html"),))
    own = reports.of_department(dept.id)
    summaries = tuple(report_summary(reports, dept.id, c.report.period, page.root) for c in reversed(own))
    chart_list = []
    for headline in cat.headlines:
        chart = trend_chart(reports, cat.indicators[headline.indicator], [dept.id],
                            f"{headline.label_vi} ({dept.short_name})")
        if chart is not None:
            chart_list.append(chart)
    latest_warnings: tuple[WarningView, ...] = ()
    if own:
        prefix = page.root + report_path(dept.id, own[-1].report.period)
        latest_warnings = tuple(WarningView(prefix + w.href, w.label, w.code, w.message)
                                for w in warning_views(cat, own[-1]))

    def links(ids: tuple[str, ...]) -> tuple[LinkView, ...]:
        return tuple(LinkView(cat.departments[i].name_vi, page.root + department_path(i)) for i in ids)

    return DepartmentPageContext(
        page=page, department=dept, kind_label=KIND_VI.get(dept.kind, dept.kind), valid_text=_valid_text(dept),
        predecessors=links(dept.predecessors), successors=links(dept.successors), charts=tuple(chart_list),
        latest=summaries[0] if summaries else None, latest_warnings=latest_warnings, reports=summaries,
        plans=plans)
