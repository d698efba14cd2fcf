"""An indicator's page: its definition, its trend per department, comparisons, the table behind them."""
from __future__ import annotations

from dataclasses import dataclass

from ..output.charts import Chart
from ..inputs.language import Language
from ..model import Indicator
from ..inputs.releases import SiteStatus
from ..facts.summary import Reports, asked
from .base import (TEMPORAL_VI, Page, anchor_of, clause, department_path, indicator_path, make_page, report_path,
                   unit_text, value_text)
from .figures import comparison_chart, numeric, trend_chart
from .unit import PageType


MAX_TREND_SERIES = 8


@dataclass(frozen=True)
class Cell:
    text: str
    href: str
    computed: bool


@dataclass(frozen=True)
class TableRow:
    period: str
    cells: tuple[Cell, ...]


@dataclass(frozen=True)
class Definition:
    term: str
    text: str
    href: str = ""
    lang: str = ""  # set when the text is in another language than the page's


@dataclass(frozen=True)
class IndicatorPageContext:
    page: Page
    indicator: Indicator
    definitions: tuple[Definition, ...]
    trend: Chart | None
    comparisons: tuple[Chart, ...]
    departments: tuple[tuple[str, str], ...]  # table header: (short name, href)
    table: tuple[TableRow, ...]


def _definitions(reports: Reports, ind: Indicator, root: str, lang: Language) -> tuple[Definition, ...]:
    cat = reports.catalogue
    area = next(a for a in cat.areas if a.id == ind.area)
    kind = cat.kinds[ind.kind]
    items = [Definition(lang.t("Lĩnh vực"), f"{area.id}. {lang.label(area)}")]
    # the name in the other language: the English name on Vietnamese pages, the form's own on the others
    if lang.is_source:
        items.append(Definition("Tên tiếng Anh", ind.label_en, lang="en"))
    else:
        items.append(Definition(lang.t("Tên tiếng Việt"), ind.label_vi, lang="vi"))
    if ind.parent:
        parent = cat.indicators[ind.parent]
        items.append(Definition(lang.t("Thuộc nhóm"), lang.label(parent), root + indicator_path(parent.id)))
    items.append(Definition(lang.t("Đơn vị tính"), unit_text(cat, ind, lang) or "—"))
    if kind.codes:
        items.append(Definition(lang.t("Cách ghi"), "; ".join(f"{getattr(c, lang.code, '') or c.vi} = {c.value}"
                                                              for c in kind.codes)))
    items.append(Definition(lang.t("Tính chất số liệu"), lang.t(TEMPORAL_VI[ind.temporal])))
    if ind.formula:
        num, den = cat.indicators[ind.formula.numerator], cat.indicators[ind.formula.denominator]
        items.append(Definition(lang.t("Cách tính"), f"{lang.label(num)} / {lang.label(den)} × 100"))
    if ind.derived:
        items.append(Definition(lang.t("Nguồn"), lang.t("Chỉ tiêu do trang này tính toán từ số liệu của đơn vị, "
                                                         "không phải số liệu đơn vị báo cáo")))
    if not lang.is_source and ind.note_en:
        items.append(Definition(lang.t("Lưu ý"), ind.note_en))
    forms = [lang.label(f) for f in cat.forms.values() if f.has(ind.id)]
    if forms:
        items.append(Definition(lang.t("Có trong mẫu biểu"), ", ".join(forms)))
    return tuple(items)


def indicator_context(reports: Reports, ind: Indicator, as_of: SiteStatus, lang: Language) -> IndicatorPageContext:
    cat = reports.catalogue
    label = lang.label(ind)
    # a row of the form may share its label with another ("Số vấn đề phát hiện qua kiểm tra"): its group tells them apart
    if ind.parent and sum(1 for other in cat.indicators.values() if lang.label(other) == label) > 1:
        label = f"{clause(label)} ({clause(lang.label(cat.indicators[ind.parent]))})"
    page = make_page(lang.label(ind), indicator_path(ind.id), "chi-tieu/index.html", as_of, lang,
                     ((lang.section("Chỉ tiêu"), "chi-tieu/index.html"),), lang.t(
                         "{indicator}: số liệu của từng cơ quan, đơn vị qua các kỳ báo cáo.", indicator=clause(label)))
    departments = reports.departments_reporting()
    rows = []
    # A derived figure has no row of its own: its cells link to the row it is computed from.
    row_anchor = "#" + anchor_of(ind.formula.numerator if ind.derived and ind.formula else ind.id)
    # (A province's page has a thousand cells: what is the same for all of them is worked out once.)
    forms_asking = {form for form in cat.forms if asked(cat, form, ind)}
    nothing, not_reported, root = Cell("—", "", False), lang.t("Không báo cáo"), page.root
    not_computable = lang.t("Không tính được")
    for period in reports.periods_reported():
        cells = []
        for dept in departments:
            found = reports.cell(dept, period.id, ind.id)  # (one cell: the page depends on no more of the report)
            if found is None or found[0] not in forms_asking:
                cells.append(nothing)
                continue
            _, value, by_site = found
            href = root + report_path(dept, period.id) + row_anchor
            if value is None:
                cells.append(Cell(not_computable if by_site else not_reported, href, False))
            else:
                cells.append(Cell(value_text(cat, ind, value, lang), href, by_site))
        if any(c is not nothing for c in cells):
            rows.append(TableRow(lang.label(period), tuple(cells)))
    trend = comparisons = None
    if numeric(reports, ind):
        # A line per department stays readable up to a handful of them; past that the
        # comparison of the latest period and the table carry the figures.
        if len(departments) <= MAX_TREND_SERIES:
            trend = trend_chart(reports, ind, departments, lang.label(ind), lang)
        # Side by side for the latest period only: one chart per period would be thousands
        # of charts for a province, and the table below holds every period.
        latest = reports.periods_reported()[-1:]
        comparisons = tuple(c for p in latest if (c := comparison_chart(reports, ind, p, lang)) is not None)
    return IndicatorPageContext(
        page=page, indicator=ind, definitions=_definitions(reports, ind, page.root, lang), trend=trend,
        comparisons=comparisons or (),
        departments=tuple((cat.departments[d].short_name, page.root + department_path(d)) for d in departments),
        table=tuple(rows))


UNIT = PageType("indicator", "indicator.html",
                lambda sources: ((indicator_path(i), (i,)) for i in sources.reports.catalogue.indicators),
                lambda data, indicator: indicator_context(data.reports, data.catalogue.indicators[indicator],
                                                          data.status, data.lang))
