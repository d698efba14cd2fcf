"""Release pages: the list of releases, what changed in each, and the unreleased draft."""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from ..inputs.language import Language
from ..model import Catalogue
from ..inputs.releases import Release, ReleasedValue, SiteStatus, archive_paths, diff
from ..facts.summary import Reports
from .base import Page, anchor_of, make_page, report_path, value_text
from .unit import PageType, single


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
    downloads: tuple[tuple[str, str], ...]  # (label, path from the site root: one archive for every language)


@dataclass(frozen=True)
class ReleasesPageContext:
    page: Page
    releases: tuple[ReleaseSummary, ...]  # newest first


def release_path(release_id: str) -> str:
    return f"phat-hanh/{release_id}/index.html"


DRAFT_PATH = "phat-hanh/ban-nhap/index.html"


def shown(cat: Catalogue, indicator: str, value: ReleasedValue, lang: Language) -> str:
    if value.value is None:
        return lang.t("Không báo cáo")
    ind = cat.indicators.get(indicator)
    return value_text(cat, ind, Decimal(value.value), lang) if ind else value.value


def _ref(reports: Reports, key: tuple[str, str], root: str, lang: Language) -> ReportRef:
    cat = reports.catalogue
    dept, period = key
    name = lang.label(cat.departments[dept], "name") if dept in cat.departments else dept
    label = lang.label(cat.periods[period]) if period in cat.periods else period
    href = root + report_path(dept, period) if key in reports.by_key else ""
    return ReportRef(f"{name}, {label}", href)


def changes_context(reports: Reports, old: dict, new: dict, status: SiteStatus, lang: Language, path: str,
                    heading: str, intro: str, downloads: tuple[tuple[str, str], ...] = ()) -> ChangesPageContext:
    cat = reports.catalogue
    page = make_page(heading, path, "phat-hanh/index.html", status, lang,
                     ((lang.section("Phát hành"), "phat-hanh/index.html"),),
                     lang.t("{heading}: số liệu được thêm, rút lại hoặc sửa đổi.", heading=heading))
    added, withdrawn, revised = diff(old, new)
    revisions = tuple(Revision(_ref(reports, key, page.root, lang),
                               lang.label(cat.indicators[i]) if i in cat.indicators else i,
                               (page.root + report_path(*key) + "#" + anchor_of(i)) if key in reports.by_key else "",
                               shown(cat, i, before, lang), shown(cat, i, after, lang), after.note)
                      for key, i, before, after in revised)
    return ChangesPageContext(page, heading, intro, tuple(_ref(reports, k, page.root, lang) for k in added),
                              tuple(_ref(reports, k, page.root, lang) for k in withdrawn), revisions, downloads)


def release_context(reports: Reports, releases: list[Release], index: int, status: SiteStatus,
                    lang: Language) -> ChangesPageContext:
    release = releases[index]
    old = releases[index - 1].reports if index else {}
    # a release's own title is Vietnamese text written by the staff
    title = release.title or lang.t("Phát hành số liệu ngày {date}", date=lang.date(release.date))
    if index:
        intro = lang.t("Lần phát hành ngày {date}, so với lần phát hành ngày {earlier}.",
                       date=lang.date(release.date), earlier=lang.date(releases[index - 1].date))
    else:
        intro = lang.t("Lần phát hành ngày {date}: lần công bố đầu tiên.", date=lang.date(release.date))
    csv_path, json_path = archive_paths(release.id)
    return changes_context(reports, old, release.reports, status, lang, release_path(release.id), title, intro,
                           ((lang.t("Toàn bộ số liệu (CSV)"), csv_path), (lang.t("Toàn bộ số liệu (JSON)"), json_path)))


def draft_context(reports: Reports, releases: list[Release], current: dict, status: SiteStatus,
                  lang: Language) -> ChangesPageContext:
    """What the draft (the data as it is now) changes against the last release."""
    return changes_context(
        reports, releases[-1].reports, current, status, lang, DRAFT_PATH, lang.t("Bản nháp: thay đổi chưa công bố"),
        lang.t("So với lần phát hành ngày {date}. Các thay đổi dưới đây chưa phải số liệu chính thức cho đến khi "
               "được phát hành.", date=lang.date(releases[-1].date)))


def releases_context(reports: Reports, releases: list[Release], status: SiteStatus,
                     lang: Language) -> ReleasesPageContext:
    page = make_page(lang.t("Các lần phát hành số liệu"), "phat-hanh/index.html", "phat-hanh/index.html", status,
                     lang, description=lang.t("Các lần phát hành số liệu cải cách hành chính: ngày phát hành và "
                                              "số liệu được thêm, rút lại hoặc sửa đổi."))
    items = []
    for index, release in enumerate(releases):
        added, withdrawn, revised = diff(releases[index - 1].reports if index else {}, release.reports)
        items.append(ReleaseSummary(release.id, lang.date(release.date), release.title,
                                    page.root + release_path(release.id), len(added), len(withdrawn), len(revised)))
    return ReleasesPageContext(page, tuple(reversed(items)))


RELEASES = PageType("releases", "releases.html", single("phat-hanh/index.html"),
                    lambda data: releases_context(data.reports, data.releases, data.status, data.lang))
RELEASE = PageType("release", "changes.html",
                   lambda sources: ((release_path(r.id), (index,)) for index, r in enumerate(sources.releases)),
                   lambda data, index: release_context(data.reports, data.releases, index, data.status, data.lang))
DRAFT = PageType("draft", "changes.html",
                 lambda sources: (((DRAFT_PATH, ()),) if sources.status.notice_path else ()),
                 lambda data: draft_context(data.reports, data.releases, data.current(), data.status, data.lang))
