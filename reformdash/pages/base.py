"""What every page shares: its place in the site, navigation, links, formatting."""
from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import Decimal

from ..inputs.language import Language
from ..model import Catalogue, Department, Indicator
from ..inputs.releases import SiteStatus

SECTIONS = (  # (path, label): the site's navigation
    ("index.html", "Tổng quan"),
    ("don-vi/index.html", "Đơn vị"),
    ("chi-tieu/index.html", "Chỉ tiêu"),
    ("ky-bao-cao/index.html", "Kỳ báo cáo"),
    ("ke-hoach/index.html", "Kế hoạch"),
    ("phat-hanh/index.html", "Phát hành"),
    ("tim-kiem/index.html", "Tìm kiếm"),
    ("gioi-thieu/index.html", "Giới thiệu"),
)


@dataclass(frozen=True)
class NavItem:
    href: str
    label: str
    current: bool


@dataclass(frozen=True)
class Alternate:
    """The same page in another language (or this one), for the switcher and hreflang."""

    code: str
    name: str
    href: str  # relative to the page
    url: str  # absolute, when the site's address is known
    current: bool


@dataclass(frozen=True)
class Page:
    title: str
    path: str  # the page's place among its language's pages, e.g. "stnmt/2023-q1/index.html"
    section: str  # the SECTIONS path this page belongs to
    lang: Language
    as_of: str  # "Số liệu cập nhật đến ngày 15/04/2023": from the data, never the clock
    breadcrumbs: tuple[tuple[str, str], ...] = ()  # (text, href relative to this page)
    notice: str = ""  # a site-wide banner (unreleased draft data)
    notice_href: str = ""
    site_title: str = ""
    synthetic_notice: str = ""
    canonical: str = ""  # absolute address of this page, when the site's address is known
    alternates: tuple[Alternate, ...] = ()
    description: str = ""  # one sentence of the page's own content, for search engines' results (meta description)

    @property
    def output_path(self) -> str:
        """Where the page is written under site/: its language's folder, then its path."""
        return self.lang.prefix + self.path

    @property
    def site_root(self) -> str:
        """Relative prefix from this page to site/: assets, downloads and the feed live there."""
        return "../" * self.output_path.count("/")

    @property
    def root(self) -> str:
        """Relative prefix from this page to its language's pages: every link works from disk or a sub-path."""
        return "../" * self.path.count("/")

    @property
    def nav(self) -> tuple[NavItem, ...]:
        return tuple(NavItem(self.root + path, self.lang.section(label), path == self.section) for path, label in SECTIONS)


def as_of_text(status: SiteStatus, lang: Language) -> str:
    if status.released is not None:
        return lang.t("Số liệu cập nhật đến ngày {date}", date=lang.date(status.released))
    if status.latest_period is not None:
        return lang.t("Số liệu đến hết {period}", period=lang.label(status.latest_period))
    return lang.t("Chưa có số liệu")


def make_page(title: str, path: str, section: str, status: SiteStatus, lang: Language,
              trail: tuple[tuple[str, str], ...] = (), description: str = "") -> Page:
    """A page whose breadcrumb trail is given as (text, path among the language's pages) pairs."""
    root = "../" * path.count("/")
    site_root = "../" * (lang.prefix + path).count("/")
    base = status.base_url

    def address(language: Language) -> str:
        return base + (language.prefix + path).removesuffix("index.html") if base else ""

    alternates = tuple(Alternate(other.code, other.name, site_root + other.prefix + path, address(other),
                                 other.code == lang.code) for other in status.languages)
    notice = ""
    if status.notice_path:
        notice = lang.t("BẢN NHÁP: {count} thay đổi chưa được công bố so với lần phát hành ngày {date}. "
                        "Các số liệu này chưa phải số liệu chính thức.", count=status.changes,
                        date=lang.date(status.released)) if status.released else ""
    site = status.site
    return Page(title, path, section, lang, as_of_text(status, lang),
                tuple((text, root + target) for text, target in trail), notice,
                root + status.notice_path if status.notice_path else "", lang.label(site, "title"),
                lang.label(site, "notice") if site.synthetic else "", address(lang), alternates, description)


def described(page: Page, description: str) -> Page:
    """The page with its meta description, for a page whose description needs what is worked out after it."""
    return replace(page, description=description)


def named(department: Department, lang: Language) -> str:
    """A department's name with its short name, for a meta description: an attribute cannot mark a Vietnamese
    short name (SGDĐT) as Vietnamese on an English page, so there it is left out."""
    short = department.short_name
    shown = lang.is_source or short.isascii()
    return f"{lang.label(department, 'name')} ({short})" if short and shown else lang.label(department, "name")


def clause(label: str) -> str:
    """A label as part of a sentence: without the list dash or the full stop some form labels carry."""
    text = " ".join(label.split())
    return text.removeprefix("- ").rstrip(".").strip()


# -- paths -------------------------------------------------------------------------
def report_path(department: str, period: str) -> str:
    return f"{department}/{period}/index.html"


def department_path(department: str) -> str:
    return f"{department}/index.html"


def indicator_path(indicator: str) -> str:
    return f"chi-tieu/{indicator.replace('_', '-')}/index.html"


def period_path(period: str) -> str:
    return f"ky-bao-cao/{period}/index.html"


def plan_path(department: str, year: int) -> str:
    return f"ke-hoach/{department}-{year}/index.html"


def anchor_of(indicator: str) -> str:
    return "row-" + indicator.replace("_", "-")


# -- figures -----------------------------------------------------------------------
def value_text(cat: Catalogue, ind: Indicator, value: Decimal, lang: Language) -> str:
    """A figure as the page shows it: coded answers by meaning, numbers the way the language writes them."""
    kind = cat.kinds[ind.kind]
    if kind.codes and value == value.to_integral_value():
        code = kind.code(int(value))
        if code is not None:
            return getattr(code, lang.code, "") or code.vi
    return lang.percent_text(value) if ind.kind == "percent" else lang.number(value)



def indent_level(cat: Catalogue, ind: Indicator) -> int:
    """How deep a row sits under its group rows (0, 1 or 2), for indenting it."""
    level, parent = 0, ind.parent
    while parent:
        level += 1
        parent = cat.indicators[parent].parent
    return min(level, 2)


def unit_text(cat: Catalogue, ind: Indicator, lang: Language) -> str:
    kind = cat.kinds[ind.kind]
    return lang.label(kind) if kind.codes else lang.unit(ind.unit)


TEMPORAL_VI = {
    "cumulative": "Lũy kế từ đầu năm đến thời điểm báo cáo",
    "period": "Phát sinh trong kỳ báo cáo",
    "state": "Tình trạng tại thời điểm báo cáo",
}
