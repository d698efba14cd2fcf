"""The report page: the whole form of one department's report for one period."""
from __future__ import annotations

from dataclasses import dataclass

from ..facts.compute import ComputedReport
from ..model import Area, Catalogue, Contact, Department, DocumentInfo, Indicator, Period, UnplacedRow
from ..inputs.language import Language
from ..inputs.releases import SiteStatus
from ..facts.summary import Reports
from .releases import shown
from .base import (Page, described, indent_level, named, anchor_of, department_path, indicator_path, make_page,
                   period_path, report_path, unit_text, value_text)
from .unit import PageType


@dataclass(frozen=True, slots=True)
class FlagView:
    code: str
    message: str  # in Vietnamese: the warnings are worded by the checks
    meaning: str = ""  # what the code means, in the page's language (pages not in Vietnamese)


@dataclass(frozen=True, slots=True)
class EarlierValue:
    label: str  # "Kỳ trước (Quý III năm 2022)"
    text: str  # the figure, or "Không báo cáo"
    href: str  # link to that report's row


@dataclass(frozen=True, eq=False)  # compared by identity: the key of its rendered cells (see _table.html)
class RowFrame:
    """What a row of a form shows whatever the report: made once per form, language and page depth."""

    indicator: Indicator
    anchor: str
    number: str
    label: str
    indicator_href: str
    unit: str
    level: int
    is_group: bool
    holds_value: bool


@dataclass(frozen=True, slots=True)  # one per row of every report page: kept small
class RowView:
    frame: RowFrame  # the form row: label, unit, link, indent (the same on every report page)
    value_text: str  # the department's figure, formatted; "" when not reported
    value_raw: str  # the same figure as a plain decimal, for <data value>
    reported: bool
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
    unplaced: tuple[UnplacedRow, ...] = ()  # the document's rows outside the form, shown as written


class ReportParts:
    """What the report pages of one build share, made once: the rows of each form in each language, and
    each report's figures as text (a report's figures also appear on the next period's and next year's pages)."""

    def __init__(self, cat: Catalogue) -> None:
        self.cat = cat
        self._parents = {i.parent for i in cat.indicators.values() if i.parent}
        self._frames: dict[tuple[str, str, str], tuple[tuple[Area, tuple[RowFrame, ...]], ...]] = {}
        self._texts: dict[tuple[tuple[str, str], str], dict[str, str]] = {}

    def frames(self, form_id: str, lang: Language, root: str) -> tuple[tuple[Area, tuple[RowFrame, ...]], ...]:
        """(area, rows) in the form's printed order, areas without rows left out."""
        key = (form_id, lang.code, root)
        if key not in self._frames:
            cat = self.cat
            by_area: dict[str, list[RowFrame]] = {area.id: [] for area in cat.areas}
            for r in cat.forms[form_id].rows:
                ind = cat.indicators[r.indicator]
                by_area[ind.area].append(RowFrame(
                    ind, anchor_of(ind.id), r.number, lang.label(ind), root + indicator_path(ind.id),
                    unit_text(cat, ind, lang), indent_level(cat, ind), ind.id in self._parents,
                    cat.kinds[ind.kind].holds_value))
            self._frames[key] = tuple((area, tuple(by_area[area.id])) for area in cat.areas if by_area[area.id])
        return self._frames[key]

    def texts(self, computed: ComputedReport, lang: Language) -> dict[str, str]:
        """indicator -> the report's figure as the page writes it, for every reported value."""
        key = (computed.report.key, lang.code)
        if key not in self._texts:
            cat = self.cat
            self._texts[key] = {i: value_text(cat, cat.indicators[i], row.value, lang)
                                for i, row in computed.report.values.items()
                                if row.value is not None and i in cat.indicators}
        return self._texts[key]


def _earlier_of(parts: ReportParts, label: str, other: ComputedReport | None, root: str, lang: Language):
    """A function giving a row's value in another report (previous period, same period last year)."""
    if other is None:
        return lambda frame: ()
    cat = parts.cat
    form = cat.forms[other.report.form]
    texts = parts.texts(other, lang)
    label = f"{label} ({lang.label(cat.periods[other.report.period])})"
    href = root + report_path(other.report.department, other.report.period) + "#"
    not_reported = lang.t("Không báo cáo")

    def earlier(frame: RowFrame) -> tuple[EarlierValue, ...]:
        ind = frame.indicator.id
        if not form.has(ind):
            return ()
        return (EarlierValue(label, texts.get(ind, not_reported), href + frame.anchor),)
    return earlier


def _row(cat: Catalogue, frame: RowFrame, computed: ComputedReport, texts: dict[str, str], flagged: dict,
         earlier, history: dict, lang: Language) -> RowView:
    ind = frame.indicator
    row = computed.report.values.get(ind.id)
    value = row.value if row else None
    own = computed.derived.get(ind.id)
    revisions = history.get(ind.id, ())
    return RowView(
        frame=frame, value_text=texts[ind.id] if value is not None else "",
        value_raw=str(value) if value is not None else "", reported=value is not None,
        computed_text=lang.percent_text(own) if own is not None and value is None else "",
        note=row.note if row else "", template_note=row.template_note if row else "",
        flags=tuple(FlagView(p.code, p.message, lang.code_meaning(p.code)) for p in flagged.get(ind.id, ())),
        earlier=earlier(frame) if frame.holds_value else (),
        revisions=tuple((lang.date(release.date), shown(cat, ind.id, value, lang))
                        for release, value in revisions) if len(revisions) > 1 else ())


UNPLACED_ANCHOR = "unplaced"  # the section of the document's rows outside the form


def warning_views(cat: Catalogue, computed: ComputedReport, lang: Language) -> tuple[WarningView, ...]:
    """A report's warnings in the order of its form, each linked (#row-...) to its row; a row outside the form
    (W315) is linked to their section."""
    order = {r.indicator: i for i, r in enumerate(cat.forms[computed.report.form].rows)}
    flags = sorted(computed.flags, key=lambda p: (order.get(p.subject, -1), p.code))
    unplaced = {row.origin: row for row in computed.report.unplaced}
    views = []
    for p in flags:
        row = unplaced.get(p.origin) if p.code == "W315" else None
        if row is not None:
            # check's wording is English; a page's warnings are worded in Vietnamese like every other
            views.append(WarningView("#" + UNPLACED_ANCHOR, lang.t("Số liệu ngoài biểu mẫu"), p.code,
                                     unplaced_message(row), lang.code_meaning(p.code)))
            continue
        views.append(WarningView("#" + anchor_of(p.subject) if p.subject else "",
                                 lang.label(cat.indicators[p.subject]) if p.subject in cat.indicators else "",
                                 p.code, p.message, lang.code_meaning(p.code)))
    return tuple(views)


def unplaced_message(row: UnplacedRow) -> str:
    """The page's warning about a row outside the form (data of the report: Vietnamese)."""
    written = f"ghi “{row.value}”" if row.value else "chỉ có ghi chú"
    return f"Dòng “{row.label}” {written}: không khớp dòng nào của biểu mẫu; công bố nguyên văn"


def report_context(reports: Reports, computed: ComputedReport, narrative_html: str, as_of: SiteStatus,
                   lang: Language, history: dict | None = None, parts: ReportParts | None = None) -> ReportPageContext:
    """`history`: indicator -> [(release, published value)] for the rows of this report; `parts`: what the
    report pages of a build share (made here when the page is made alone)."""
    cat = reports.catalogue
    parts = parts or ReportParts(cat)
    report = computed.report
    form = cat.forms[report.form]
    dept, period = cat.departments[report.department], cat.periods[report.period]
    name = lang.label(dept, "name")
    page = make_page(f"{name}: {lang.label(period)}", report_path(dept.id, period.id), "don-vi/index.html", as_of,
                     lang, ((lang.section("Đơn vị"), "don-vi/index.html"), (name, department_path(dept.id))))
    titles = dict(form.area_titles)
    previous, last_year = reports.previous(computed), reports.same_period_last_year(computed)
    from_previous = _earlier_of(parts, lang.t("Kỳ trước"), previous, page.root, lang)
    from_last_year = _earlier_of(parts, lang.t("Cùng kỳ năm trước"), last_year if last_year is not previous else None,
                                 page.root, lang)
    texts = parts.texts(computed, lang)
    flagged = computed.flags_by_subject
    history = history or {}
    def earlier(frame: RowFrame) -> tuple[EarlierValue, ...]:
        return from_previous(frame) + from_last_year(frame)

    areas = []
    for area, frames in parts.frames(report.form, lang, page.root):
        rows = tuple(_row(cat, frame, computed, texts, flagged, earlier, history, lang) for frame in frames)
        countable = [r for r in rows if r.frame.holds_value]
        # the form's own heading in Vietnamese (it varies by version); the catalogue's in other languages
        title = titles.get(area.id, area.label_vi) if lang.is_source else lang.label(area)
        areas.append(AreaView(area.id, title, rows, sum(r.reported for r in countable), len(countable)))
    warnings = warning_views(cat, computed, lang)
    page = described(page, lang.t("Báo cáo cải cách hành chính {period} của {department}: {reported}/{total} chỉ tiêu "
                                  "có số liệu.", period=lang.label(period), department=named(dept, lang),
                                  reported=sum(a.reported for a in areas), total=sum(a.total for a in areas)))
    return ReportPageContext(
        page=page, department=dept, department_href=page.root + department_path(dept.id), period=period,
        period_href=page.root + period_path(period.id), form_label=lang.label(form), document=report.document,
        areas=tuple(areas), narrative_html=narrative_html, contacts=report.contacts, warnings=warnings,
        reported=sum(a.reported for a in areas), total=sum(a.total for a in areas),
        revised_rows=tuple(r for a in areas for r in a.rows if r.revisions), unplaced=report.unplaced)


def _report_page(data, key: tuple[str, str]) -> ReportPageContext:
    computed = data.reports.by_key[key]
    return report_context(data.reports, computed, data.narrative(computed), data.status, data.lang,
                          data.history(key), data.report_parts)


UNIT = PageType("report", "report.html", lambda sources: ((report_path(*key), (key,)) for key in sources.reports.by_key),
                _report_page, holds_charts=False)
