"""The province overview: headline figures of the latest period, rankings, coverage."""
from __future__ import annotations

from dataclasses import dataclass

from ..inputs.language import Language
from ..inputs.releases import SiteStatus
from ..facts.summary import Reports, coverage, expected_departments
from .base import Page, department_path, make_page, period_path, report_path
from .figures import Kpi, Ranking, headline_kpi, rankings as headline_rankings
from .unit import PageType, single


@dataclass(frozen=True)
class CoverageCell:
    status: str  # reported | missing | not-existing
    text: str
    href: str


@dataclass(frozen=True)
class CoverageRow:
    department: str
    href: str
    cells: tuple[CoverageCell, ...]


@dataclass(frozen=True)
class HomePageContext:
    page: Page
    period_label: str
    period_href: str
    kpis: tuple[Kpi, ...]
    rankings: tuple[Ranking, ...]
    coverage_periods: tuple[tuple[str, str], ...]  # (label, href)
    coverage: tuple[CoverageRow, ...]
    report_count: int


STATUS_TEXT = {"reported": "Đã gửi", "missing": "Chưa có", "not-existing": "—"}


def home_context(reports: Reports, as_of: SiteStatus, lang: Language) -> HomePageContext:
    cat = reports.catalogue
    latest = reports.latest_period()
    page = make_page(lang.section("Tổng quan"), "index.html", "index.html", as_of, lang, description=lang.t(
        "Tiến độ cải cách hành chính của các cơ quan, đơn vị theo báo cáo định kỳ; kỳ mới nhất: {period}.",
        period=lang.label(latest)) if latest else lang.t(
        "Tiến độ cải cách hành chính của các cơ quan, đơn vị theo báo cáo định kỳ."))
    kpis: tuple[Kpi, ...] = ()
    rankings: tuple[Ranking, ...] = ()
    if latest is not None:
        received = sum(1 for (_, p) in reports.by_key if p == latest.id)
        expected = len(expected_departments(reports, latest))
        kpis = (Kpi(lang.t("Báo cáo đã tiếp nhận"), f"{received}/{expected}",
                    lang.t("Số đơn vị đã gửi báo cáo {period} trên số đơn vị phải báo cáo", period=lang.label(latest)),
                    False),)
        kpis += tuple(headline_kpi(reports, h, latest, lang) for h in cat.headlines)
        rankings = tuple(r for h in cat.headlines for r in headline_rankings(reports, h, latest, page.root, lang))
    periods = reports.periods_reported()
    cells = {(c.department, c.period): c.status for c in coverage(reports)}
    rows = tuple(CoverageRow(
        lang.label(dept, "name"), page.root + department_path(dept.id),
        tuple(CoverageCell(status, lang.t(STATUS_TEXT[status]),
                           page.root + report_path(dept.id, p.id) if status == "reported" else "")
              for p in periods for status in [cells[(dept.id, p.id)]]))
        for dept in cat.departments.values())
    return HomePageContext(
        page=page, period_label=lang.label(latest) if latest else "", period_href=page.root + period_path(latest.id)
        if latest else "", kpis=kpis, rankings=rankings,
        coverage_periods=tuple((lang.label(p), page.root + period_path(p.id)) for p in periods), coverage=rows,
        report_count=len(reports.by_key))


UNIT = PageType("home", "index.html", single("index.html"),
                lambda data: home_context(data.reports, data.status, data.lang))
