"""A period's page: every department's headline figures for that period."""
from __future__ import annotations

from dataclasses import dataclass

from ..inputs.language import Language
from ..model import Period
from ..inputs.releases import SiteStatus
from ..facts.summary import Reports, expected_to_report
from .base import Page, department_path, described, indicator_path, make_page, period_path, report_path
from .figures import FigureView, figure_view
from .unit import PageType


@dataclass(frozen=True)
class PeriodRow:
    department: str
    department_href: str
    report_href: str  # "" when the department sent no report
    status: str
    figures: tuple[FigureView | None, ...]  # one per headline; None: no report, or not on its form


@dataclass(frozen=True)
class PeriodPageContext:
    page: Page
    period: Period
    headlines: tuple[tuple[str, str], ...]  # (label, indicator href)
    rows: tuple[PeriodRow, ...]
    received: int
    expected: int


def period_context(reports: Reports, period: Period, as_of: SiteStatus, lang: Language) -> PeriodPageContext:
    cat = reports.catalogue
    page = make_page(lang.label(period), period_path(period.id), "ky-bao-cao/index.html", as_of, lang,
                     ((lang.section("Kỳ báo cáo"), "ky-bao-cao/index.html"),))
    rows = []
    for dept in cat.departments.values():
        reported = (dept.id, period.id) in reports.by_key
        if not reported and not expected_to_report(dept, period):
            continue
        # None ("—") where there is no report, or its form does not ask for the figure: nothing was left empty
        figures = tuple(figure_view(reports, cat.indicators[h.indicator], f, page.root, lang)
                        if (f := reports.figure(dept.id, period.id, h.indicator)) is not None else None
                        for h in cat.headlines)
        rows.append(PeriodRow(lang.label(dept, "name"), page.root + department_path(dept.id),
                              page.root + report_path(dept.id, period.id) if reported else "",
                              lang.t("Đã gửi báo cáo") if reported else lang.t("Chưa có báo cáo"), figures))
    received = sum(1 for r in rows if r.report_href)
    page = described(page, lang.t("Báo cáo cải cách hành chính {period}: {received}/{expected} cơ quan, đơn vị đã "
                                  "gửi báo cáo; số liệu chính của từng đơn vị.", period=lang.label(period),
                                  received=received, expected=len(rows)))
    return PeriodPageContext(
        page=page, period=period,
        headlines=tuple((lang.label(h), page.root + indicator_path(h.indicator)) for h in cat.headlines),
        rows=tuple(rows), received=sum(1 for r in rows if r.report_href), expected=len(rows))


UNIT = PageType("period", "period.html",
                lambda sources: ((period_path(p.id), (p.id,)) for p in sources.reports.periods_reported()),
                lambda data, period: period_context(data.reports, data.catalogue.periods[period], data.status,
                                                    data.lang))
