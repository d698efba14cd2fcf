"""Every page type of the dashboard, read back from the built HTML."""
from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from conftest import read
from htmlparse import figures, table_rows

NBSP = "\u00a0"


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    from conftest import build_bundled_site

    return build_bundled_site(tmp_path_factory, "dash")


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "link" and (attributes.get("rel") == "canonical" or "hreflang" in attributes):
            return  # public addresses of the page (in each language): metadata, never requested
        for name, value in attrs:
            if name in ("href", "src") and value is not None:
                self.links.append(value)
            if name == "id" and value:
                self.ids.add(value)


def parse_links(html: str) -> _Links:
    parser = _Links()
    parser.feed(html)
    return parser


def test_every_page_type_is_built(site: Path) -> None:
    for path in ["index.html", "stnmt/index.html", "stnmt/2023-q1/index.html",
                 "chi-tieu/index.html", "chi-tieu/outgoing-documents-total/index.html",
                 "ky-bao-cao/index.html", "ky-bao-cao/2023-q1/index.html", "don-vi/index.html",
                 "gioi-thieu/index.html"]:
        assert (site / path).is_file(), path
    indicators = list((site / "chi-tieu").glob("*/index.html"))
    assert len(indicators) == 196  # 178 rows of 2022, 11 of 2021 only, 7 derived


def test_report_page_of_stnmt_2023_q1_shows_the_documents_figures(site: Path) -> None:
    shown = figures(read(site, "stnmt/2023-q1/index.html"))
    assert shown["row-case-files-received"] == ("161", "161")
    assert shown["row-case-files-returned"] == ("96", "96")
    assert shown["row-case-files-on-time-rate"] == ("100", f"100{NBSP}%")
    assert shown["row-outgoing-documents-total"] == ("1076", "1.076")
    rows = table_rows(read(site, "stnmt/2023-q1/index.html"))
    assert rows["row-satisfaction-survey-responses"][3] == "Không báo cáo Kỳ trước (Quý III năm 2022): 100"


def test_no_link_or_source_leaves_the_site_and_every_link_resolves(site: Path) -> None:
    pages = list(site.rglob("*.html"))
    ids = {p: parse_links(p.read_text(encoding="utf-8")).ids for p in pages}
    for page in pages:
        for link in parse_links(page.read_text(encoding="utf-8")).links:
            parts = urlsplit(link)
            if parts.scheme in ("http", "https") and page.parts[-3:-1] != ("stnmt", "2022-q3"):
                pytest.fail(f"{page.relative_to(site)} links outside: {link}")
            if parts.scheme or link.startswith("//"):
                continue  # the one narrative link of the 2022-q3 report, written by the department
            target = (page.parent / unquote(parts.path)).resolve() if parts.path else page
            assert target.is_file(), f"{page.relative_to(site)}: broken link {link}"
            if parts.fragment and target.suffix == ".html":
                assert parts.fragment in ids[target], f"{page.relative_to(site)}: missing anchor {link}"


def test_charts_are_static_svg_in_the_page(site: Path) -> None:
    html = read(site, "chi-tieu/outgoing-documents-total/index.html")
    chart = re.search(r'<div class="chart-svg" role="img" aria-label="([^"]+)"><svg', html)
    assert chart is not None
    assert chart.group(1) == ("Biểu đồ đường: Tổng số văn bản đi của cơ quan, đơn vị (văn bản điện tử và văn bản giấy). "
                              "SCT: 6 tháng/2021 2.929. STNMT: Quý III/2022 1.214; Quý I/2023 1.076.")
    assert "<script" not in html
    # The title is the page's text above the drawing, not drawn into it.
    title = "Tổng số văn bản đi của cơ quan, đơn vị (văn bản điện tử và văn bản giấy)"
    assert f'<figure class="chart chart-line">\n  <p class="chart-title">{title}</p>' in html
    svg = html[chart.end():html.index("</svg>", chart.end())]
    assert "Tổng số văn bản đi" not in svg
    # drawn with the page's number format (the figures themselves are in the summary and the table)
    assert re.findall(r"<text[^>]*>([^<]*)</text>", svg) == [
        "6 tháng/2021", "Quý III/2022", "Quý I/2023", "Kỳ báo cáo", "0", "500", "1.000", "1.500", "2.000", "2.500",
        "3.000", "Văn bản", "SCT", "STNMT"]
    department = read(site, "stnmt/index.html")
    assert department.count('<div class="chart-svg"') == 6  # the six headlines all have a value


def test_a_form_that_does_not_ask_is_not_a_gap(site: Path) -> None:
    # SCT's 2021 form has no completion rate: SCT is not a series of that chart.
    html = read(site, "chi-tieu/plan-completion-rate/index.html")
    summary = re.search(r'aria-label="(Biểu đồ đường[^"]+)"', html).group(1)
    assert summary == ("Biểu đồ đường: Tỷ lệ hoàn thành Kế hoạch CCHC năm (Lũy kế đến thời điểm báo cáo). "
                       f"STNMT: Quý III/2022 72{NBSP}%; Quý I/2023 không báo cáo.")


def test_home_shows_latest_period_coverage_and_rankings(site: Path) -> None:
    html = read(site, "index.html")
    assert 'Số liệu chính: <a href="ky-bao-cao/2023-q1/index.html">Quý I năm 2023</a>' in html
    assert '<p class="kpi-value">1/7</p>' in html  # one report of seven departments existing then
    assert '<p class="kpi-value">100\xa0%</p>' in html  # on-time rate, STNMT's own figure
    # the plan completion rate STNMT left empty is not a headline figure of theirs
    assert "Hoàn thành kế hoạch CCHC</p>\n  <p class=\"kpi-value\">Chưa có số liệu" in html
    coverage = table_rows(html)
    assert not coverage  # the grid has no row ids; check its text instead
    assert html.count("✓ Đã gửi</a>") == 3


def test_period_and_department_pages_link_their_reports(site: Path) -> None:
    period = read(site, "ky-bao-cao/2023-q1/index.html")
    assert 'href="../../stnmt/2023-q1/index.html"' in period and "Đã tiếp nhận 1/7 báo cáo" in period
    department = read(site, "stnmt/index.html")
    assert 'href="../snnmt/index.html">Sở Nông nghiệp và Môi trường</a>' in department
    assert 'href="../stnmt/2022-q3/index.html">Quý III năm 2022</a>' in department


def test_every_page_says_as_of_from_the_data(site: Path) -> None:
    for page in site.rglob("*.html"):
        in_english = page.relative_to(site).parts[0] == "en"
        expected = "Data up to the end of Quarter I 2023." if in_english else "Số liệu đến hết Quý I năm 2023."
        assert expected in page.read_text(encoding="utf-8"), page


def test_feed_sitemap_robots_and_canonical_links(site: Path) -> None:
    import xml.etree.ElementTree as ET

    atom = "{http://www.w3.org/2005/Atom}"
    feed = ET.parse(site / "feed.xml").getroot()
    titles = [e.find(atom + "title").text for e in feed.iter(atom + "entry")]
    assert titles == ["Sở Tài nguyên và Môi trường: báo cáo Quý I năm 2023",
                      "Sở Tài nguyên và Môi trường: báo cáo Quý III năm 2022",
                      "Sở Công Thương: báo cáo 6 tháng đầu năm 2021"]
    urls = [u.text for u in ET.parse(site / "sitemap.xml").getroot().iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")]
    assert "https://cchc.soctrang.gov.vn/bang-theo-doi/stnmt/2023-q1/" in urls
    assert len(urls) == len(list(site.rglob("*.html")))
    assert (site / "robots.txt").read_text(encoding="utf-8").endswith(
        "Sitemap: https://cchc.soctrang.gov.vn/bang-theo-doi/sitemap.xml\n")
    page = read(site, "stnmt/2023-q1/index.html")
    assert '<link rel="canonical" href="https://cchc.soctrang.gov.vn/bang-theo-doi/stnmt/2023-q1/">' in page


def test_pages_offer_their_figures_for_download(site: Path) -> None:
    for path in ["stnmt/2023-q1/index.html", "stnmt/index.html", "chi-tieu/outgoing-documents-total/index.html",
                 "ky-bao-cao/2023-q1/index.html"]:
        html = read(site, path)
        assert '<a href="so-lieu.csv">CSV</a> · <a href="so-lieu.json">JSON</a>' in html, path
        assert (site / path).with_name("so-lieu.csv").is_file()
    assert 'href="du-lieu/datapackage.json"' in read(site, "index.html")


def test_a_period_page_tells_not_on_the_form_from_not_reported(site: Path) -> None:
    # SCT's 2021 form asks for neither the plan's completion rate, nor files received online, nor documents sent
    # fully electronically: SCT left no such cell empty, so its period page shows "—", never "Không báo cáo".
    html = read(site, "ky-bao-cao/2021-h1/index.html")
    row = re.search(r'<tr><th scope="row"><a href="../../sct/index.html">Sở Công Thương</a></th>(.*?)</tr>',
                    html, re.S).group(1)
    cells = [re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
    assert cells == ["Đã gửi báo cáo", "—", f"99,99{NBSP}%", "Không báo cáo", "—", "—", f"100{NBSP}%"]
    assert "“—”: chỉ tiêu không có trong mẫu biểu đơn vị dùng hoặc đơn vị không gửi báo cáo kỳ này." in html


def test_a_ranking_leaves_out_a_department_whose_form_does_not_ask() -> None:
    from conftest import ROOT
    from reformdash.pages.figures import ranking
    from reformdash.pipeline import Project, check
    from reformdash.facts.summary import Reports

    result = check(Project.at(ROOT))
    reports = Reports.of(result.catalogue, result.reports)
    cat, vi = result.catalogue, result.languages[0]
    headlines = {h.id: h for h in cat.headlines}
    period = cat.periods["2021-h1"]
    assert ranking(reports, headlines["plan-completion"], period, "", vi).entries == ()
    [on_time] = ranking(reports, headlines["on-time"], period, "", vi).entries
    assert (on_time.department, on_time.text) == ("SCT", f"99,99{NBSP}%")
    # asked and left empty: listed, as not reported
    [online] = ranking(reports, headlines["procedures-online"], period, "", vi).entries
    assert (online.department, online.text, online.raw) == ("SCT", "Không báo cáo", "")
