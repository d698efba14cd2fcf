"""The English version: every text translated, every page in both languages, linked both ways.

The English pages live under site/en/ at the same paths as the Vietnamese ones. Their labels
come from the catalogue (label_en, name_en) and templates/i18n/en.yaml; notes and narratives
stay Vietnamese, marked lang="vi"; numbers and dates follow English conventions.
"""
from __future__ import annotations

import ast
import json
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml

from conftest import ROOT, read
from htmlparse import figures, table_rows
from reformdash import opendata
from reformdash.output import search
from reformdash.inputs.language import NAVIGATION
from reformdash.pages import base, home, plan
from reformdash.pipeline import Project, check
from reformdash.facts.summary import Reports

NBSP = "\u00a0"
BASE_URL = "https://cchc.soctrang.gov.vn/bang-theo-doi/"


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    from conftest import build_bundled_site

    return build_bundled_site(tmp_path_factory, "english")


# -- every text has its translation ------------------------------------------------------
def texts_to_translate() -> tuple[set[str], set[str]]:
    """(plain texts, section names) that templates and page code send through translation."""
    plain: set[str] = set()
    sections: set[str] = set()
    for path in (ROOT / "templates").glob("*.html"):
        plain |= {m.group(1) for m in re.finditer(r'\b_\("((?:[^"\\]|\\.)*)"', path.read_text(encoding="utf-8"))}
    for path in (ROOT / "reformdash").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.args
                    and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)):
                if node.func.attr == "t":
                    plain.add(node.args[0].value)
                elif node.func.attr == "section":
                    sections.add(node.args[0].value)
    # tables of texts that code translates by looking them up
    plain |= set(base.TEMPORAL_VI.values()) | set(home.STATUS_TEXT.values())
    plain |= set(plan.STATUS_VI.values())
    plain |= {label for page in ("index.html", "don-vi/index.html", "stnmt/index.html")
              for label, _ in opendata.downloads_for(page, years=(2023,))}
    sections |= {label for _, label in base.SECTIONS} | set(search.SECTIONS.values()) | {"Báo cáo", "Đơn vị",
                                                                                           "Tổng quan"}
    return plain, sections


def english_file() -> dict:
    return yaml.safe_load((ROOT / "templates" / "i18n" / "en.yaml").read_text(encoding="utf-8"))


def test_every_text_of_templates_and_pages_has_an_english_translation() -> None:
    plain, sections = texts_to_translate()
    messages = english_file()["messages"]
    assert sorted(t for t in plain if t not in messages) == []
    assert sorted(s for s in sections if NAVIGATION + s not in messages) == []
    # and nothing is translated that nothing asks for (a left-over after a template changed)
    wanted = plain | {NAVIGATION + s for s in sections}
    assert sorted(k for k in messages if k not in wanted) == []
    assert len(plain) > 200


def test_every_unit_and_warning_code_has_an_english_name() -> None:
    english = english_file()
    units = {ind["unit"] for path in (ROOT / "data" / "catalogue").glob("indicators*.yaml")
             for ind in yaml.safe_load(path.read_text(encoding="utf-8")) if "unit" in ind}
    assert sorted(units - set(english["units"])) == []
    warnings = set(re.findall(r"^\| (W3\d\d) \|", (ROOT / "README.md").read_text(encoding="utf-8"), re.M))
    assert len(warnings) == 24 and sorted(warnings - set(english["codes"])) == []


# -- every page in both languages ------------------------------------------------------------
class _Head(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.lang = ""
        self.alternates: dict[str, str] = {}
        self.switcher: dict[str, str] = {}
        self.current = ""
        self.downloads: list[tuple[str, str]] = []
        self._in_downloads = False
        self._link = ""

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "html":
            self.lang = a.get("lang", "")
        elif tag == "link" and a.get("rel") == "alternate" and "hreflang" in a:
            self.alternates[a["hreflang"]] = a["href"]
        elif tag == "a" and "hreflang" in a:
            self.switcher[a["hreflang"]] = a["href"]
        elif tag == "span" and a.get("aria-current") == "true":
            self.current = a.get("lang", "")
        elif tag == "p" and a.get("class") == "downloads":
            self._in_downloads = True
        elif tag == "a" and self._in_downloads:
            self._link = a["href"]

    def handle_endtag(self, tag):
        if tag == "p":
            self._in_downloads = False

    def handle_data(self, data):
        if self._link:
            self.downloads.append((data, self._link))
            self._link = ""


def head_of(html: str) -> _Head:
    parser = _Head()
    parser.feed(html)
    return parser


def test_every_page_exists_in_both_languages(site: Path) -> None:
    vietnamese = {p.relative_to(site).as_posix() for p in site.rglob("*.html") if p.parts[len(site.parts)] != "en"}
    english = {p.relative_to(site / "en").as_posix() for p in (site / "en").rglob("*.html")}
    assert len(vietnamese) > 200
    assert english == vietnamese


def test_every_page_names_its_language_and_links_the_other(site: Path) -> None:
    for page in site.rglob("*.html"):
        path = page.relative_to(site).as_posix()
        in_english = path.startswith("en/")
        own = path.removeprefix("en/")
        head = head_of(page.read_text(encoding="utf-8"))
        assert head.lang == ("en" if in_english else "vi"), path
        public = own.removesuffix("index.html")
        assert head.alternates == {"vi": BASE_URL + public, "en": BASE_URL + "en/" + public}, path
        # the switcher: the other language's same page, by a relative link that exists
        other = "vi" if in_english else "en"
        assert head.current == ("en" if in_english else "vi"), path
        target = (page.parent / urlsplit(head.switcher[other]).path).resolve()
        expected = site / own if in_english else site / "en" / own
        assert target == expected.resolve(), path


def test_every_page_with_figures_has_its_downloads_in_both_languages(site: Path) -> None:
    checked_project = check(Project.at(ROOT))
    _, links = opendata.open_data_files(Reports.of(checked_project.catalogue, checked_project.reports),
                                        checked_project.languages[0])
    assert len(links) > 200  # report, department, indicator and period pages, and the lists
    checked = 0
    for page in site.rglob("*.html"):
        path = page.relative_to(site).as_posix().removeprefix("en/")
        expected = links.get(path, ())
        downloads = head_of(page.read_text(encoding="utf-8")).downloads
        assert len(downloads) == len(expected), page
        for (_, vietnamese_href), (_, href) in zip(expected, downloads):
            # the same file, reached from either language's page
            assert (page.parent / href).resolve() == (site / path).parent.joinpath(vietnamese_href).resolve()
            assert (page.parent / href).resolve().is_file(), (page, href)
        checked += bool(expected)
    assert checked == 2 * len(links)
    english = head_of(read(site, "en/stnmt/2023-q1/index.html")).downloads
    assert english == [("CSV", "../../../stnmt/2023-q1/so-lieu.csv"), ("JSON", "../../../stnmt/2023-q1/so-lieu.json")]
    home_links = head_of(read(site, "en/index.html")).downloads
    assert home_links[:3] == [(f"Values {year} (CSV)", f"../du-lieu/gia-tri-{year}.csv") for year in (2021, 2022, 2023)]
    assert head_of(read(site, "index.html")).downloads[0] == ("Giá trị 2021 (CSV)", "du-lieu/gia-tri-2021.csv")


# -- what the English pages say ------------------------------------------------------------
def test_english_report_page_writes_numbers_the_english_way(site: Path) -> None:
    english = figures(read(site, "en/stnmt/2023-q1/index.html"))
    vietnamese = figures(read(site, "stnmt/2023-q1/index.html"))
    assert english["row-outgoing-documents-total"] == ("1076", "1,076")
    assert vietnamese["row-outgoing-documents-total"] == ("1076", "1.076")
    assert english["row-case-files-on-time-rate"] == ("100", "100%")
    assert vietnamese["row-case-files-on-time-rate"] == ("100", f"100{NBSP}%")
    # every figure is the same number in both languages: only the writing differs
    assert {k: v[0] for k, v in english.items()} == {k: v[0] for k, v in vietnamese.items()}
    assert len(english) > 100


def test_english_report_page_keeps_an_empty_cell_not_reported(site: Path) -> None:
    rows = table_rows(read(site, "en/stnmt/2023-q1/index.html"))
    assert rows["row-satisfaction-survey-responses"][3] == "Not reported Previous period (Quarter III 2022): 100"


def test_english_labels_come_from_the_catalogue(site: Path) -> None:
    html = read(site, "en/stnmt/2023-q1/index.html")
    assert "<h1>Department of Natural Resources and Environment: report for Quarter I 2023</h1>" in html
    assert "(1 January 2023–31 March 2023)" in html
    rows = table_rows(html)
    assert rows["row-outgoing-documents-total"][1] == "Outgoing documents, electronic and paper"
    assert rows["row-outgoing-documents-total"][2] == "Documents"
    indicator = read(site, "en/chi-tieu/case-files-on-time-rate/index.html")
    assert "<h1>Share of case files resolved on time</h1>" in indicator
    assert '<dd lang="vi">Tỷ lệ hồ sơ TTHC tiếp nhận được giải quyết đúng hạn</dd>' in indicator
    # and the other way round: a screen reader reads the English name on the Vietnamese page as English
    assert '<dt>Tên tiếng Anh</dt><dd lang="en">Share of case files resolved on time</dd>' in \
        read(site, "chi-tieu/case-files-on-time-rate/index.html")


def test_vietnamese_only_text_is_marked_on_english_pages(site: Path) -> None:
    html = read(site, "en/stnmt/2023-q1/index.html")
    rows = table_rows(html)
    note = rows["row-plan-completion-rate"][4]
    assert note == "Kế hoạch số 03/KH-STNMT ngày 19/01/2023"  # the department's note, as written
    assert f'<span lang="vi">{note}</span>' in html
    assert '<section class="narrative" aria-labelledby="narrative" lang="vi">' in html
    assert "This section exists only in Vietnamese" in html
    # the warning: what its code means in English, its wording in Vietnamese
    assert "The parts do not add up to their total: <span lang=\"vi\">" in html
    # and Vietnamese pages carry no such marks
    assert 'lang="vi"' not in read(site, "stnmt/2023-q1/index.html").split("<main", 1)[1]


def test_english_charts_are_drawn_in_english(site: Path) -> None:
    html = read(site, "en/chi-tieu/outgoing-documents-total/index.html")
    label = re.search(r'<div class="chart-svg" role="img" aria-label="([^"]+)"><svg', html).group(1)
    assert label == ("Line chart: Outgoing documents, electronic and paper. "
                     "SCT: H1 2021 2,929. STNMT: Q3 2022 1,214; Q1 2023 1,076.")
    svg = html.split('<div class="chart-svg"', 1)[1].split("</svg>", 1)[0]
    assert "Q1 2023" in svg and "Quý" not in svg


def test_english_navigation_and_footer(site: Path) -> None:
    html = read(site, "en/index.html")
    assert ">Departments</a>" in html and ">Reporting periods</a>" in html
    assert '<meta property="og:locale" content="en_GB">' in html
    assert "Data up to the end of Quarter I 2023." in html  # the bundled data have no release yet
    assert 'hreflang="vi" lang="vi">Tiếng Việt</a>' in html


def test_the_about_page_has_its_english_text(site: Path) -> None:
    html = read(site, "en/gioi-thieu/index.html")
    assert "<h2>Reading the figures</h2>" in html
    assert "translation-note" not in html


def test_english_search_index_holds_the_english_pages(site: Path) -> None:
    documents = json.loads(read(site, "en/tim-kiem/index.json"))["documents"]
    pages = {p.relative_to(site / "en").as_posix() for p in (site / "en").rglob("*.html")} - {"tim-kiem/index.html"}
    assert {d["p"] for d in documents} == pages
    on_time = next(d for d in documents if d["p"] == "chi-tieu/case-files-on-time-rate/index.html")
    assert on_time["t"] == "Share of case files resolved on time" and on_time["s"] == "Indicators"


def test_the_sitemap_lists_both_languages_with_alternates(site: Path) -> None:
    sitemap = read(site, "sitemap.xml")
    entry = re.search(r"<url><loc>" + re.escape(BASE_URL) + r"en/stnmt/2023-q1/</loc>(.*?)</url>", sitemap).group(1)
    assert entry == (f'<xhtml:link rel="alternate" hreflang="vi" href="{BASE_URL}stnmt/2023-q1/"/>'
                     f'<xhtml:link rel="alternate" hreflang="en" href="{BASE_URL}en/stnmt/2023-q1/"/>')


VIETNAMESE_LETTERS = re.compile("[ăâđêôơưàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ]", re.I)


class _UnmarkedVietnamese(HTMLParser):
    """Text in Vietnamese letters that no lang="vi" element around it declares."""

    VOID = {"meta", "link", "br", "img", "input", "hr", "source", "wbr", "col"}

    def __init__(self) -> None:
        super().__init__()
        self.open: list[tuple[str, str]] = []  # (tag, language in force)
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        lang = a.get("lang", self.open[-1][1] if self.open else "")
        for name in ("aria-label", "data-label", "title", "content"):
            if a.get(name) and VIETNAMESE_LETTERS.search(a[name]) and lang != "vi":
                self.found.append(f"{tag} {name}={a[name]!r}")
        if tag not in self.VOID:
            self.open.append((tag, lang))

    def handle_endtag(self, tag):
        while self.open and self.open.pop()[0] != tag:
            pass

    def handle_data(self, data):
        if self.open and self.open[-1][1] != "vi" and VIETNAMESE_LETTERS.search(data):
            self.found.append(data.strip())


@pytest.mark.parametrize("path", ["en/index.html", "en/stnmt/2023-q1/index.html", "en/stnmt/2022-q3/index.html",
                                  "en/sct/2021-h1/index.html", "en/stnmt/index.html", "en/sgddt/index.html",
                                  "en/don-vi/index.html", "en/ky-bao-cao/2023-q1/index.html",
                                  "en/ke-hoach/sgddt-2023/index.html", "en/ke-hoach/index.html",
                                  "en/chi-tieu/case-files-on-time-rate/index.html", "en/phat-hanh/index.html",
                                  "en/tim-kiem/index.html", "en/gioi-thieu/index.html"])
def test_english_pages_have_no_unmarked_vietnamese(site: Path, path: str) -> None:
    parser = _UnmarkedVietnamese()
    parser.feed(read(site, path))
    assert parser.found == []


def test_each_language_has_its_feed(site: Path) -> None:
    import xml.etree.ElementTree as ET

    atom = "{http://www.w3.org/2005/Atom}"
    feed = ET.parse(site / "en" / "feed.xml").getroot()
    assert feed.get("{http://www.w3.org/XML/1998/namespace}lang") == "en"
    assert feed.find(atom + "title").text == "Administrative reform progress tracker"
    first = next(feed.iter(atom + "entry"))
    assert first.find(atom + "title").text == "Department of Natural Resources and Environment: report for Quarter I 2023"
    assert first.find(atom + "link").get("href") == BASE_URL + "en/stnmt/2023-q1/"
    assert first.find(atom + "id").text == "tag:cchc-bang-theo-doi,2023:en/report/stnmt/2023-q1"
    # each page announces its language's feed: en/feed.xml, from en/stnmt/2023-q1/
    assert ('<link rel="alternate" type="application/atom+xml" title="Administrative reform progress tracker" '
            'href="../../feed.xml">') in read(site, "en/stnmt/2023-q1/index.html")
