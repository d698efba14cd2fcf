"""The data-quality page: every warning of every report, for the staff before release."""
from __future__ import annotations

from dataclasses import dataclass

from ..inputs.language import Language
from ..problems import Problem
from ..inputs.releases import SiteStatus
from ..facts.summary import Reports
from .base import Page, make_page, report_path
from .report import WarningView, warning_views
from .unit import PageType


@dataclass(frozen=True)
class ReportWarnings:
    department: str
    period: str
    href: str
    source: str  # the data file, for the staff who fix it
    warnings: tuple[WarningView, ...]


@dataclass(frozen=True)
class QualityPageContext:
    page: Page
    reports: tuple[ReportWarnings, ...]
    other: tuple[Problem, ...]  # warnings not about a report (e.g. plan statuses)
    total: int


def quality_context(reports: Reports, warnings: list[Problem], as_of: SiteStatus, lang: Language) -> QualityPageContext:
    cat = reports.catalogue
    page = make_page(lang.t("Chất lượng số liệu"), "chat-luong-so-lieu/index.html", "chat-luong-so-lieu/index.html",
                     as_of, lang, description=lang.t("Cảnh báo về chất lượng số liệu trong báo cáo của các cơ quan, "
                                                     "đơn vị, mỗi cảnh báo dẫn đến số liệu liên quan."))
    items = []
    for computed in sorted(reports.all(), key=lambda c: (c.report.department, cat.periods[c.report.period].end)):
        report = computed.report
        if not computed.flags:
            continue
        href = page.root + report_path(report.department, report.period)
        views = tuple(WarningView(href + w.href, w.label, w.code, w.message, w.meaning)
                      for w in warning_views(cat, computed, lang))
        items.append(ReportWarnings(lang.label(cat.departments[report.department], "name"),
                                    lang.label(cat.periods[report.period]),
                                    href, report.origin.file, views))
    report_files = {c.report.origin.file for c in reports.all()}
    other = tuple(p for p in warnings if p.origin.file not in report_files)
    return QualityPageContext(page, tuple(items), other, sum(len(i.warnings) for i in items) + len(other))


UNIT = PageType("quality", "quality.html",
                lambda sources: ((("chat-luong-so-lieu/index.html", ()),) if sources.quality_page else ()),
                lambda data: quality_context(data.reports, data.warnings, data.status, data.lang))
