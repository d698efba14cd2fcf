"""A department's page: who it is, its history, its headline figures over time, its reports."""
from __future__ import annotations

from dataclasses import dataclass

from ..output.charts import Chart
from ..inputs.language import Language
from ..model import Catalogue, Department
from ..inputs.releases import SiteStatus
from ..facts.summary import Reports
from .base import Page, department_path, make_page, named, report_path
from .report import WarningView
from .unit import PageType


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


def _valid_text(dept: Department, lang: Language) -> str:
    if dept.valid_from and dept.valid_until:
        return lang.t("Hoạt động từ {start} đến {end}", start=lang.date(dept.valid_from), end=lang.date(dept.valid_until))
    if dept.valid_from:
        return lang.t("Hoạt động từ {start}", start=lang.date(dept.valid_from))
    if dept.valid_until:
        return lang.t("Hoạt động đến {end}", end=lang.date(dept.valid_until))
    return ""


def kind_label(cat: Catalogue, dept: Department, lang: Language) -> str:
    """The body's kind as data/catalogue/body-kinds.yaml names it in `lang`."""
    kind = cat.body_kinds.get(dept.kind)
    return lang.label(kind) if kind is not None else dept.kind


def report_summary(reports: Reports, department: str, period: str, root: str, lang: Language) -> ReportSummary:
    computed = reports.by_key[(department, period)]
    cat = reports.catalogue
    form = cat.forms[computed.report.form]
    countable = [r.indicator for r in form.rows if cat.kinds[cat.indicators[r.indicator].kind].holds_value]
    reported = sum(1 for i in countable if (v := computed.report.values.get(i)) and v.value is not None)
    return ReportSummary(lang.label(cat.periods[period]), root + report_path(department, period), lang.label(form),
                         reported, len(countable), len(computed.flags))


def department_context(reports: Reports, dept: Department, as_of: SiteStatus, lang: Language,
                       plans: tuple[LinkView, ...] = ()) -> DepartmentPageContext:
    from .figures import trend_chart
    from .report import warning_views

    cat = reports.catalogue
    own = reports.of_department(dept.id)
    page = make_page(lang.label(dept, "name"), department_path(dept.id), "don-vi/index.html", as_of, lang,
                     ((lang.section("Đơn vị"), "don-vi/index.html"),), lang.t(
                         "{department}: {count} báo cáo cải cách hành chính và số liệu chính qua các kỳ.",
                         department=named(dept, lang), count=len(own)))
    summaries = tuple(report_summary(reports, dept.id, c.report.period, page.root, lang) for c in reversed(own))
    chart_list = []
    for headline in cat.headlines:
        chart = trend_chart(reports, cat.indicators[headline.indicator], [dept.id],
                            f"{lang.label(headline)} ({dept.short_name})", lang)
        if chart is not None:
            chart_list.append(chart)
    latest_warnings: tuple[WarningView, ...] = ()
    if own:
        prefix = page.root + report_path(dept.id, own[-1].report.period)
        latest_warnings = tuple(WarningView(prefix + w.href, w.label, w.code, w.message, w.meaning)
                                for w in warning_views(cat, own[-1], lang))

    def links(ids: tuple[str, ...]) -> tuple[LinkView, ...]:
        return tuple(LinkView(lang.label(cat.departments[i], "name"), page.root + department_path(i)) for i in ids)

    return DepartmentPageContext(
        page=page, department=dept, kind_label=kind_label(cat, dept, lang), valid_text=_valid_text(dept, lang),
        predecessors=links(dept.predecessors), successors=links(dept.successors), charts=tuple(chart_list),
        latest=summaries[0] if summaries else None, latest_warnings=latest_warnings, reports=summaries,
        plans=plans)


def _department_page(data, department: str) -> DepartmentPageContext:
    from .plan import plan_links_by_department

    plans = plan_links_by_department(data.plans_of(department), data.lang).get(department, ())
    return department_context(data.reports, data.catalogue.departments[department], data.status, data.lang, plans)


UNIT = PageType("department", "department.html",
                lambda sources: ((department_path(d), (d,)) for d in sources.reports.catalogue.departments),
                _department_page)
