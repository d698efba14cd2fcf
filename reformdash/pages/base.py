"""What every page shares: its place in the site, navigation, links, formatting."""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from ..model import Catalogue, Indicator
from ..numbers import format_percent_vi, format_vi
from ..releases import SiteStatus

SITE_TITLE = "Theo dõi tiến độ cải cách hành chính"
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
class Page:
    title: str
    path: str  # output path under site/, e.g. "stnmt/2023-q1/index.html"
    section: str  # the SECTIONS path this page belongs to
    as_of: str  # "Số liệu cập nhật đến ngày 15/04/2023": from the data, never the clock
    breadcrumbs: tuple[tuple[str, str], ...] = ()  # (text, href relative to this page)
    notice: str = ""  # a site-wide banner (unreleased draft data)
    notice_href: str = ""
    site_title: str = SITE_TITLE
    synthetic_notice: str = ""
    canonical: str = ""  # absolute address of this page, when the site's address is known

    @property
    def root(self) -> str:
        """Relative prefix from this page to the site root: every link works from disk or a sub-path."""
        return "../" * self.path.count("/")

    @property
    def nav(self) -> tuple[NavItem, ...]:
        return tuple(NavItem(self.root + path, label, path == self.section) for path, label in SECTIONS)



def make_page(title: str, path: str, section: str, status: SiteStatus,
              trail: tuple[tuple[str, str], ...] = ()) -> Page:
    """A page whose breadcrumb trail is given as (text, site path) pairs."""
    root = "../" * path.count("/")
    canonical = status.base_url + path.removesuffix("index.html") if status.base_url else ""
    return Page(title, path, section, status.as_of, tuple((text, root + target) for text, target in trail),
                status.notice, root + status.notice_path if status.notice_path else "", status.site_title,
                status.synthetic_notice, canonical)


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
def value_text(cat: Catalogue, ind: Indicator, value: Decimal) -> str:
    """A figure as the page shows it: coded answers by meaning, numbers the Vietnamese way."""
    kind = cat.kinds[ind.kind]
    if kind.codes and value == value.to_integral_value():
        code = kind.code(int(value))
        if code is not None:
            return code.vi
    return format_percent_vi(value) if ind.kind == "percent" else format_vi(value)


def asked(cat: Catalogue, form: str, ind: Indicator) -> bool:
    """Whether a report on this form can hold the indicator (for a derived one: both its inputs)."""
    rows = cat.forms[form]
    if ind.derived and ind.formula:
        return rows.has(ind.formula.numerator) and rows.has(ind.formula.denominator)
    return rows.has(ind.id)


def indent_level(cat: Catalogue, ind: Indicator) -> int:
    """How deep a row sits under its group rows (0, 1 or 2), for indenting it."""
    level, parent = 0, ind.parent
    while parent:
        level += 1
        parent = cat.indicators[parent].parent
    return min(level, 2)


def unit_text(cat: Catalogue, ind: Indicator) -> str:
    kind = cat.kinds[ind.kind]
    return kind.label_vi if kind.codes else ind.unit


TEMPORAL_VI = {
    "cumulative": "Lũy kế từ đầu năm đến thời điểm báo cáo",
    "period": "Phát sinh trong kỳ báo cáo",
    "state": "Tình trạng tại thời điểm báo cáo",
}
