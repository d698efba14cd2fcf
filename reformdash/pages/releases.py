"""Release pages: the list of releases, what changed in each, and the unreleased draft."""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from ..model import Catalogue
from ..releases import Release, ReleasedValue, SiteStatus, diff
from ..summary import Reports
from .base import Page, anchor_of, make_page, report_path, value_text


@dataclass(frozen=True)
class ReportRef:
    text: str  # "Sở Tài nguyên và Môi trường, Quý I năm 2023"
    href: str  # "" when the report is no longer on the site


@dataclass(frozen=True)
class Revision:
    report: ReportRef
    indicator: str
    href: str
    old: str
    new: str
    note: str  # the row's note in the newer state, which may explain the change


@dataclass(frozen=True)
class ReleaseSummary:
    id: str
    date_text: str
    title: str
    href: str
    added: int
    withdrawn: int
    revised: int


@dataclass(frozen=True)
class ChangesPageContext:
    page: Page
    heading: str
    intro: str
    added: tuple[ReportRef, ...]
    withdrawn: tuple[ReportRef, ...]
    revisions: tuple[Revision, ...]
    downloads: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class ReleasesPageContext:
    page: Page
    releases: tuple[ReleaseSummary, ...]  # newest first


def release_path(release_id: str) -> str:
    return f"phat-hanh/{release_id}/index.html"


DRAFT_PATH = "phat-hanh/ban-nhap/index.html"


def shown(cat: Catalogue, indicator: str, value: ReleasedValue) -> str:
    if value.value is None:
        return "Không báo cáo"
    ind = cat.indicators.get(indicator)
    return value_text(cat, ind, Decimal(value.value)) if ind else value.value


def _ref(reports: Reports, key: tuple[str, str], root: str) -> ReportRef:
    cat = reports.catalogue
    dept, period = key
    name = cat.departments[dept].name_vi if dept in cat.departments else dept
    label = cat.periods[period].label_vi if period in cat.periods else period
    href = root + report_path(dept, period) if key in reports.by_key else ""
    return ReportRef(f"{name}, {label}", href)


def changes_context(reports: Reports, old: dict, new: dict, status: SiteStatus, path: str, heading: str,
                    intro: str, downloads: tuple[tuple[str, str], ...] = ()) -> ChangesPageContext:
    cat = reports.catalogue
    page = make_page(heading, path, "phat-hanh/index.html", status, (("Phát hành", "phat-hanh/index.html"),))
    added, withdrawn, revised = diff(old, new)
    revisions = tuple(Revision(_ref(reports, key, page.root),
                               cat.indicators[i].label_vi if i in cat.indicators else i,
                               (page.root + report_path(*key) + "#" + anchor_of(i)) if key in reports.by_key else "",
                               shown(cat, i, before), shown(cat, i, after), after.note)
                      for key, i, before, after in revised)
    return ChangesPageContext(page, heading, intro, tuple(_ref(reports, k, page.root) for k in added),
                              tuple(_ref(reports, k, page.root) for k in withdrawn), revisions, downloads)


def release_context(reports: Reports, releases: list[Release], index: int, status: SiteStatus) -> ChangesPageContext:
    release = releases[index]
    old = releases[index - 1].reports if index else {}
    title = release.title or f"Phát hành số liệu ngày {release.date:%d/%m/%Y}"
    intro = (f"Lần phát hành ngày {release.date:%d/%m/%Y}" + (f", so với lần phát hành ngày "
             f"{releases[index - 1].date:%d/%m/%Y}." if index else ": lần công bố đầu tiên."))
    return changes_context(reports, old, release.reports, status, release_path(release.id), title, intro,
                           (("Toàn bộ số liệu (CSV)", "gia-tri.csv"), ("Toàn bộ số liệu (JSON)", "gia-tri.json")))


def releases_context(reports: Reports, releases: list[Release], status: SiteStatus) -> ReleasesPageContext:
    page = make_page("Các lần phát hành số liệu", "phat-hanh/index.html", "phat-hanh/index.html", status)
    items = []
    for index, release in enumerate(releases):
        added, withdrawn, revised = diff(releases[index - 1].reports if index else {}, release.reports)
        items.append(ReleaseSummary(release.id, f"{release.date:%d/%m/%Y}", release.title,
                                    page.root + release_path(release.id), len(added), len(withdrawn), len(revised)))
    return ReleasesPageContext(page, tuple(reversed(items)))
