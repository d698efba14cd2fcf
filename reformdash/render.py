"""Jinja rendering: one context dataclass per page type, templates do no arithmetic.

Data strings are autoescaped and never treated as templates; Markdown
content has its raw HTML escaped and unsafe link schemes removed.
"""
from __future__ import annotations

import re
import xml.etree.ElementTree as etree
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import jinja2
import markdown
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

from .compute import ComputedReport
from .model import Catalogue, Contact, Department, DocumentInfo, Indicator, Period, ReportValue
from .numbers import format_percent_vi, format_vi

SITE_TITLE = "Tiến độ cải cách hành chính"


@dataclass(frozen=True)
class Page:
    title: str
    root: str  # relative prefix from this page to the site root, e.g. "../../"
    path: str  # output path under site/, e.g. "stnmt/2023-q1/index.html"
    breadcrumbs: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class FlagView:
    code: str
    message: str


@dataclass(frozen=True)
class RowView:
    anchor: str
    number: str
    label: str
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


@dataclass(frozen=True)
class AreaView:
    id: str
    title: str
    rows: tuple[RowView, ...]
    reported: int
    total: int


@dataclass(frozen=True)
class WarningView:
    anchor: str
    label: str
    code: str
    message: str


@dataclass(frozen=True)
class ReportPageContext:
    page: Page
    department: Department
    period: Period
    form_label: str
    document: DocumentInfo
    areas: tuple[AreaView, ...]
    narrative_html: str
    contacts: tuple[Contact, ...]
    warnings: tuple[WarningView, ...]
    reported: int
    total: int


@dataclass(frozen=True)
class ReportLink:
    href: str
    period_label: str
    reported: int
    total: int
    warnings: int


@dataclass(frozen=True)
class DepartmentSummary:
    department: Department
    reports: tuple[ReportLink, ...]


@dataclass(frozen=True)
class HomePageContext:
    page: Page
    departments: tuple[DepartmentSummary, ...]
    report_count: int


# -- Markdown, made safe ------------------------------------------------------------
_SAFE_SCHEME = re.compile(r"^(https?:|mailto:|#|/|\.|[^:]*$)", re.IGNORECASE)


class _DropUnsafeLinks(Treeprocessor):
    def run(self, root: etree.Element) -> None:
        for element in root.iter():
            for attribute in ("href", "src"):
                value = element.get(attribute)
                if value is not None and not _SAFE_SCHEME.match(value.strip()):
                    del element.attrib[attribute]


class _DemoteHeadings(Treeprocessor):
    """Narrative headings sit under the page's own h2: ## becomes h3."""

    def run(self, root: etree.Element) -> None:
        for element in root.iter():
            if re.fullmatch(r"h[1-5]", element.tag):
                element.tag = f"h{int(element.tag[1]) + 1}"


class _SafeMarkdown(Extension):
    """Raw HTML in content is shown as text; javascript: and data: links are dropped."""

    def extendMarkdown(self, md: markdown.Markdown) -> None:
        md.preprocessors.deregister("html_block")
        md.inlinePatterns.deregister("html")
        md.treeprocessors.register(_DropUnsafeLinks(md), "drop_unsafe_links", 0)
        md.treeprocessors.register(_DemoteHeadings(md), "demote_headings", 1)


def markdown_to_html(text: str) -> str:
    return markdown.markdown(text, extensions=["footnotes", "sane_lists", _SafeMarkdown()],
                             output_format="html")


# -- Building the contexts ---------------------------------------------------------
def _level(cat: Catalogue, ind: Indicator) -> int:
    level, parent = 0, ind.parent
    while parent:
        level += 1
        parent = cat.indicators[parent].parent
    return min(level, 2)


def _value_text(cat: Catalogue, ind: Indicator, value: Decimal) -> str:
    kind = cat.kinds[ind.kind]
    if kind.codes and value == value.to_integral_value():
        code = kind.code(int(value))
        if code is not None:
            return code.vi
    return format_percent_vi(value) if ind.kind == "percent" else format_vi(value)


def _unit(cat: Catalogue, ind: Indicator) -> str:
    kind = cat.kinds[ind.kind]
    return kind.label_vi if kind.codes else ind.unit


def anchor_of(indicator: str) -> str:
    return "row-" + indicator.replace("_", "-")


def report_path(department: str, period: str) -> str:
    return f"{department}/{period}/index.html"


def _row(cat: Catalogue, computed: ComputedReport, ind: Indicator, number: str, is_group: bool) -> RowView:
    row: ReportValue | None = computed.report.values.get(ind.id)
    value = row.value if row else None
    own = computed.derived.get(ind.id)
    computed_text = format_percent_vi(own) if own is not None and value is None else ""
    return RowView(
        anchor=anchor_of(ind.id), number=number, label=ind.label_vi, unit=_unit(cat, ind),
        level=_level(cat, ind), is_group=is_group,
        value_text=_value_text(cat, ind, value) if value is not None else "", reported=value is not None,
        value_raw=str(value) if value is not None else "",
        holds_value=cat.kinds[ind.kind].holds_value, computed_text=computed_text,
        note=row.note if row else "", template_note=row.template_note if row else "",
        flags=tuple(FlagView(p.code, p.message) for p in computed.flags_for(ind.id)))


def report_context(cat: Catalogue, computed: ComputedReport, narrative_html: str) -> ReportPageContext:
    report = computed.report
    form = cat.forms[report.form]
    dept, period = cat.departments[report.department], cat.periods[report.period]
    parents = {i.parent for i in cat.indicators.values() if i.parent}
    titles = dict(form.area_titles)
    areas = []
    for area in cat.areas:
        rows = tuple(_row(cat, computed, cat.indicators[r.indicator], r.number, r.indicator in parents)
                     for r in form.rows if cat.indicators[r.indicator].area == area.id)
        if rows:
            countable = [r for r in rows if r.holds_value]
            areas.append(AreaView(area.id, titles.get(area.id, area.label_vi), rows,
                                  sum(r.reported for r in countable), len(countable)))
    order = {r.indicator: i for i, r in enumerate(form.rows)}
    flags = sorted(computed.flags, key=lambda p: (order.get(p.subject, -1), p.code))
    warnings = tuple(WarningView(anchor_of(p.subject) if p.subject else "",
                                 cat.indicators[p.subject].label_vi if p.subject in cat.indicators else "",
                                 p.code, p.message) for p in flags)
    title = f"{dept.name_vi} — {period.label_vi}"
    return ReportPageContext(
        page=Page(title, "../../", report_path(dept.id, period.id),
                  (("Trang chủ", "../../index.html"),)),
        department=dept, period=period, form_label=form.label_vi, document=report.document,
        areas=tuple(areas), narrative_html=narrative_html, contacts=report.contacts, warnings=warnings,
        reported=sum(a.reported for a in areas), total=sum(a.total for a in areas))


def home_context(cat: Catalogue, reports: list[ReportPageContext]) -> HomePageContext:
    by_dept: dict[str, list[ReportPageContext]] = {}
    for ctx in reports:
        by_dept.setdefault(ctx.department.id, []).append(ctx)
    summaries = []
    for dept in cat.departments.values():
        items = sorted(by_dept.get(dept.id, []), key=lambda c: c.period.end, reverse=True)
        if items:
            summaries.append(DepartmentSummary(dept, tuple(
                ReportLink(c.page.path.removesuffix("index.html"), c.period.label_vi, c.reported, c.total,
                           len(c.warnings)) for c in items)))
    return HomePageContext(Page(SITE_TITLE, "", "index.html"), tuple(summaries), len(reports))


# -- The Jinja environment ---------------------------------------------------------
def make_environment(templates_dir: Path) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(templates_dir)),
        autoescape=jinja2.select_autoescape(default=True, default_for_string=True),
        undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
    env.globals["site_title"] = SITE_TITLE
    return env


def render_page(env: jinja2.Environment, template: str, context: object) -> str:
    return env.get_template(template).render(ctx=context)
