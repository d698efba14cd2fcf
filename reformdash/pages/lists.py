"""The index pages: departments, indicators, periods, and the about page."""
from __future__ import annotations

from dataclasses import dataclass

from ..inputs.language import Language
from ..inputs.releases import SiteStatus
from ..facts.summary import Reports
from .base import Page, indent_level, department_path, indicator_path, make_page, period_path, unit_text
from .unit import PageType, single


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
class FormCount:
    """How many rows a form version has, and how many of them take a figure (a report's "x/total")."""

    label: str
    rows: int
    with_figures: int


@dataclass(frozen=True)
class IndicatorsPageContext:
    page: Page
    areas: tuple[AreaIndicators, ...]
    count: int
    # the numbers other pages give, explained: rows of any form (each indicator once), computed ones, each form
    in_forms: int = 0
    derived: int = 0
    forms: tuple[FormCount, ...] = ()


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
    body_lang: str


def departments_context(reports: Reports, as_of: SiteStatus, lang: Language) -> DepartmentsPageContext:
    from .department import kind_label

    page = make_page(lang.section("Đơn vị"), "don-vi/index.html", "don-vi/index.html", as_of, lang,
                     description=lang.t("Các cơ quan, đơn vị báo cáo cải cách hành chính: tên viết tắt, loại và số "
                                        "báo cáo đã công bố."))
    counts: dict[str, int] = {}
    for dept, _ in reports.by_key:
        counts[dept] = counts.get(dept, 0) + 1
    items = tuple(DepartmentItem(lang.label(d, "name"), d.short_name, page.root + department_path(d.id),
                                 kind_label(reports.catalogue, d, lang), counts.get(d.id, 0), d.history_vi)
                  for d in reports.catalogue.departments.values())
    return DepartmentsPageContext(page, items)


def indicators_context(reports: Reports, as_of: SiteStatus, lang: Language) -> IndicatorsPageContext:
    cat = reports.catalogue
    page = make_page(lang.t("Chỉ tiêu thống kê"), "chi-tieu/index.html", "chi-tieu/index.html", as_of, lang,
                     description=lang.t("{count} chỉ tiêu thống kê cải cách hành chính theo {areas} lĩnh vực, mỗi chỉ "
                                        "tiêu với số liệu của các cơ quan, đơn vị.", count=len(cat.indicators),
                                        areas=len(cat.areas)))

    areas = tuple(AreaIndicators(a.id, lang.label(a), tuple(
        IndicatorItem(lang.label(i), page.root + indicator_path(i.id), unit_text(cat, i, lang), i.derived,
                      indent_level(cat, i))
        for i in cat.indicators.values() if i.area == a.id)) for a in cat.areas)
    forms = tuple(FormCount(lang.label(f), len(f.rows), sum(1 for r in f.rows
                                                           if cat.kinds[cat.indicators[r.indicator].kind].holds_value))
                  for f in sorted(cat.forms.values(), key=lambda f: f.id, reverse=True))
    in_forms = len({r.indicator for f in cat.forms.values() for r in f.rows})
    return IndicatorsPageContext(page, areas, len(cat.indicators), in_forms,
                                 sum(1 for i in cat.indicators.values() if i.derived), forms)


def periods_context(reports: Reports, as_of: SiteStatus, lang: Language) -> PeriodsPageContext:
    page = make_page(lang.section("Kỳ báo cáo"), "ky-bao-cao/index.html", "ky-bao-cao/index.html", as_of, lang,
                     description=lang.t("Các kỳ báo cáo cải cách hành chính: thời gian của từng kỳ và số báo cáo "
                                        "đã nhận."))
    counts: dict[str, int] = {}
    for _, period in reports.by_key:
        counts[period] = counts.get(period, 0) + 1
    items = tuple(PeriodItem(lang.label(p), page.root + period_path(p.id), f"{lang.date(p.start)}–{lang.date(p.end)}",
                             counts[p.id]) for p in reversed(reports.periods_reported()))
    return PeriodsPageContext(page, items)


def about_context(body_html: str, body_lang: str, as_of: SiteStatus, lang: Language) -> AboutPageContext:
    """`body_lang`: the language the content is written in (Vietnamese when it has no translation)."""
    return AboutPageContext(make_page(lang.section("Giới thiệu"), "gioi-thieu/index.html", "gioi-thieu/index.html", as_of,
                                      lang, description=lang.t(
                                          "Trang này công bố gì, số liệu lấy từ đâu, mẫu biểu thống kê và cách đọc "
                                          "số liệu.")), body_html, body_lang)


@dataclass(frozen=True)
class SearchPageContext:
    page: Page


def search_context(as_of: SiteStatus, lang: Language) -> SearchPageContext:
    return SearchPageContext(make_page(lang.section("Tìm kiếm"), "tim-kiem/index.html", "tim-kiem/index.html", as_of, lang,
                                       description=lang.t("Tìm đơn vị, chỉ tiêu, báo cáo hoặc số liệu trên trang, gõ "
                                                          "có dấu hoặc không dấu.")))


def _about_page(data) -> AboutPageContext:
    from ..output.render import markdown_to_html

    text, written_in = data.content("gioi-thieu")
    return about_context(markdown_to_html(text, demote=False), written_in, data.status, data.lang)


DEPARTMENTS = PageType("departments", "departments.html", single("don-vi/index.html"),
                       lambda data: departments_context(data.reports, data.status, data.lang))
INDICATORS = PageType("indicators", "indicators.html", single("chi-tieu/index.html"),
                      lambda data: indicators_context(data.reports, data.status, data.lang))
PERIODS = PageType("periods", "periods.html", single("ky-bao-cao/index.html"),
                   lambda data: periods_context(data.reports, data.status, data.lang))
SEARCH = PageType("search", "search.html", single("tim-kiem/index.html"),
                  lambda data: search_context(data.status, data.lang))
ABOUT = PageType("about", "about.html", single("gioi-thieu/index.html"), _about_page)
