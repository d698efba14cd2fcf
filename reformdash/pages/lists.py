"""The index pages: departments, indicators, periods, and the about page."""
from __future__ import annotations

from dataclasses import dataclass

from ..releases import SiteStatus
from ..summary import Reports
from .base import Page, indent_level, department_path, indicator_path, make_page, period_path, unit_text


@dataclass(frozen=True)
class DepartmentItem:
    name: str
    short_name: str
    href: str
    kind_label: str
    reports: int
    history: str


@dataclass(frozen=True)
class DepartmentsPageContext:
    page: Page
    departments: tuple[DepartmentItem, ...]


@dataclass(frozen=True)
class IndicatorItem:
    label: str
    href: str
    unit: str
    derived: bool
    level: int


@dataclass(frozen=True)
class AreaIndicators:
    id: str
    title: str
    indicators: tuple[IndicatorItem, ...]


@dataclass(frozen=True)
class IndicatorsPageContext:
    page: Page
    areas: tuple[AreaIndicators, ...]
    count: int


@dataclass(frozen=True)
class PeriodItem:
    label: str
    href: str
    dates: str
    reports: int


@dataclass(frozen=True)
class PeriodsPageContext:
    page: Page
    periods: tuple[PeriodItem, ...]


@dataclass(frozen=True)
class AboutPageContext:
    page: Page
    body_html: str


def departments_context(reports: Reports, as_of: SiteStatus) -> DepartmentsPageContext:
    from .department import KIND_VI

    page = make_page("Đơn vị", "don-vi/index.html", "don-vi/index.html", as_of)
    counts: dict[str, int] = {}
    for dept, _ in reports.by_key:
        counts[dept] = counts.get(dept, 0) + 1
    items = tuple(DepartmentItem(d.name_vi, d.short_name, page.root + department_path(d.id),
                                 KIND_VI.get(d.kind, d.kind), counts.get(d.id, 0), d.history_vi)
                  for d in reports.catalogue.departments.values())
    return DepartmentsPageContext(page, items)


def indicators_context(reports: Reports, as_of: SiteStatus) -> IndicatorsPageContext:
    cat = reports.catalogue
    page = make_page("Chỉ tiêu thống kê", "chi-tieu/index.html", "chi-tieu/index.html", as_of)

    areas = tuple(AreaIndicators(a.id, a.label_vi, tuple(
        IndicatorItem(i.label_vi, page.root + indicator_path(i.id), unit_text(cat, i), i.derived, indent_level(cat, i))
        for i in cat.indicators.values() if i.area == a.id)) for a in cat.areas)
    return IndicatorsPageContext(page, areas, len(cat.indicators))


def periods_context(reports: Reports, as_of: SiteStatus) -> PeriodsPageContext:
    page = make_page("Kỳ báo cáo", "ky-bao-cao/index.html", "ky-bao-cao/index.html", as_of)
    counts: dict[str, int] = {}
    for _, period in reports.by_key:
        counts[period] = counts.get(period, 0) + 1
    items = tuple(PeriodItem(p.label_vi, page.root + period_path(p.id), f"{p.start:%d/%m/%Y}–{p.end:%d/%m/%Y}",
                             counts[p.id]) for p in reversed(reports.periods_reported()))
    return PeriodsPageContext(page, items)


def about_context(body_html: str, as_of: SiteStatus) -> AboutPageContext:
    return AboutPageContext(make_page("Giới thiệu", "gioi-thieu/index.html", "gioi-thieu/index.html", as_of),
                            body_html)


@dataclass(frozen=True)
class SearchPageContext:
    page: Page


def search_context(as_of: SiteStatus) -> SearchPageContext:
    return SearchPageContext(make_page("Tìm kiếm", "tim-kiem/index.html", "tim-kiem/index.html", as_of))
