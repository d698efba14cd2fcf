"""The report page: the whole form of one department's report for one period."""
from __future__ import annotations

from dataclasses import dataclass

from ..compute import ComputedReport
from ..model import Catalogue, Contact, Department, DocumentInfo, Indicator, Period
from ..language import Language
from ..releases import SiteStatus
from ..summary import Reports
from .releases import shown
from .base import (Page, indent_level, anchor_of, department_path, indicator_path, make_page, period_path, report_path,
                   unit_text, value_text)


@dataclass(frozen=True)
class FlagView:
    code: str
    message: str  # in Vietnamese: the warnings are worded by the checks
    meaning: str = ""  # what the code means, in the page's language (pages not in Vietnamese)


@dataclass(frozen=True)
class EarlierValue:
    label: str  # "Kỳ trước (Quý III năm 2022)"
    text: str  # the figure, or "Không báo cáo"
    href: str  # link to that report's row


@dataclass(frozen=True)
class RowView:
    anchor: str
    number: str
    label: str
    indicator_href: str
    unit: str
    level: int
    is_group: bool
    value_text: str  # the department's figure, formatted; "" when not reported
    value_raw: str  # the same figure as a plain decimal, for <data value>
    reported: bool
    holds_value: bool
    computed_text: str  # the site's own figure, labelled as computed on the page
    note: str
    template_note: str
    flags: tuple[FlagView, ...]
    earlier: tuple[EarlierValue, ...]
    revisions: tuple[tuple[str, str], ...] = ()  # (release date, figure) each time it was published differently


@dataclass(frozen=True)
class AreaView:
    id: str
    title: str
    rows: tuple[RowView, ...]
    reported: int
    total: int


@dataclass(frozen=True)
class WarningView:
    href: str  # the flagged row, "" when the warning is about the whole report
    label: str
    code: str
    message: str  # in Vietnamese: the warnings are worded by the checks
    meaning: str = ""  # what the code means, in the page's language (pages not in Vietnamese)


@dataclass(frozen=True)
class ReportPageContext:
    page: Page
    department: Department
    department_href: str
    period: Period
    period_href: str
    form_label: str
    document: DocumentInfo
    areas: tuple[AreaView, ...]
    narrative_html: str
    contacts: tuple[Contact, ...]
    warnings: tuple[WarningView, ...]
    reported: int
    total: int
    revised_rows: tuple[RowView, ...] = ()


def _earlier(cat: Catalogue, ind: Indicator, label: str, other: ComputedReport | None,
             root: str, lang: Language) -> tuple[EarlierValue, ...]:
    if other is None or not cat.forms[other.report.form].has(ind.id):
        return ()
    row = other.report.values.get(ind.id)
    period = cat.periods[other.report.period]
    text = value_text(cat, ind, row.value, lang) if row and row.value is not None else lang.t("Không báo cáo")
    href = root + report_path(other.report.department, other.report.period) + "#" + anchor_of(ind.id)
    return (EarlierValue(f"{label} ({lang.label(period)})", text, href),)


def _row(cat: Catalogue, earlier_reports: tuple[ComputedReport | None, ComputedReport | None],
         computed: ComputedReport, ind: Indicator, number: str, is_group: bool, root: str, history: dict,
         lang: Language) -> RowView:
    row = computed.report.values.get(ind.id)
    value = row.value if row else None
    own = computed.derived.get(ind.id)
    holds_value = cat.kinds[ind.kind].holds_value
    earlier = ()
    if holds_value:
        previous, last_year = earlier_reports
        earlier = _earlier(cat, ind, lang.t("Kỳ trước"), previous, root, lang)
        if last_year is not None and last_year is not previous:
            earlier += _earlier(cat, ind, lang.t("Cùng kỳ năm trước"), last_year, root, lang)
    return RowView(
        anchor=anchor_of(ind.id), number=number, label=lang.label(ind), indicator_href=root + indicator_path(ind.id),
        unit=unit_text(cat, ind, lang), level=indent_level(cat, ind), is_group=is_group,
        value_text=value_text(cat, ind, value, lang) if value is not None else "",
        value_raw=str(value) if value is not None else "", reported=value is not None, holds_value=holds_value,
        computed_text=lang.percent_text(own) if own is not None and value is None else "",
        note=row.note if row else "", template_note=row.template_note if row else "",
        flags=tuple(FlagView(p.code, p.message, lang.code_meaning(p.code)) for p in computed.flags_for(ind.id)),
        earlier=earlier, revisions=tuple((lang.date(release.date), shown(cat, ind.id, value, lang))
                        for release, value in history.get(ind.id, ())) if len(history.get(ind.id, ())) > 1 else ())


def warning_views(cat: Catalogue, computed: ComputedReport, lang: Language) -> tuple[WarningView, ...]:
    """A report's warnings in the order of its form, each linked (#row-...) to its row."""
    order = {r.indicator: i for i, r in enumerate(cat.forms[computed.report.form].rows)}
    flags = sorted(computed.flags, key=lambda p: (order.get(p.subject, -1), p.code))
    return tuple(WarningView("#" + anchor_of(p.subject) if p.subject else "",
                             lang.label(cat.indicators[p.subject]) if p.subject in cat.indicators else "",
                             p.code, p.message, lang.code_meaning(p.code)) for p in flags)


def report_context(reports: Reports, computed: ComputedReport, narrative_html: str, as_of: SiteStatus,
                   lang: Language, history: dict | None = None) -> ReportPageContext:
    """`history`: indicator -> [(release, published value)] for the rows of this report."""
    cat = reports.catalogue
    report = computed.report
    form = cat.forms[report.form]
    dept, period = cat.departments[report.department], cat.periods[report.period]
    name = lang.label(dept, "name")
    page = make_page(f"{name}: {lang.label(period)}", report_path(dept.id, period.id), "don-vi/index.html", as_of,
                     lang, ((lang.section("Đơn vị"), "don-vi/index.html"), (name, department_path(dept.id))))
    parents = {i.parent for i in cat.indicators.values() if i.parent}
    titles = dict(form.area_titles)
    earlier_reports = (reports.previous(computed), reports.same_period_last_year(computed))
    areas = []
    for area in cat.areas:
        rows = tuple(_row(cat, earlier_reports, computed, cat.indicators[r.indicator], r.number,
                          r.indicator in parents, page.root, history or {}, lang)
                     for r in form.rows if cat.indicators[r.indicator].area == area.id)
        if rows:
            countable = [r for r in rows if r.holds_value]
            # the form's own heading in Vietnamese (it varies by version); the catalogue's in other languages
            title = titles.get(area.id, area.label_vi) if lang.is_source else lang.label(area)
            areas.append(AreaView(area.id, title, rows,
                                  sum(r.reported for r in countable), len(countable)))
    warnings = warning_views(cat, computed, lang)
    return ReportPageContext(
        page=page, department=dept, department_href=page.root + department_path(dept.id), period=period,
        period_href=page.root + period_path(period.id), form_label=lang.label(form), document=report.document,
        areas=tuple(areas), narrative_html=narrative_html, contacts=report.contacts, warnings=warnings,
        reported=sum(a.reported for a in areas), total=sum(a.total for a in areas),
        revised_rows=tuple(r for a in areas for r in a.rows if r.revisions))
