"""Findable and readable: search puts the page a reader looks for first, every page has a meta description
made from its content, and the texts around the figures say the same thing once and explain themselves.

The search ranking is the site's own assets/js/search.js, run by Node.js on the built index."""
from __future__ import annotations

import json
import re
import shutil
import subprocess
from html import unescape
from pathlib import Path

import pytest

from conftest import build_bundled_site, read

NODE = shutil.which("node")
RANK_JS = """
const search = require(process.argv[1]);
const index = JSON.parse(require("fs").readFileSync(process.argv[2], "utf8"));
const pages = search.prepare(index.documents);
console.log(JSON.stringify(JSON.parse(process.argv[3]).map(
  (query) => search.rank(pages, query).map((found) => found.doc.p))));
"""


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    return build_bundled_site(tmp_path_factory, "findable")


def ranked(site: Path, language: str, *queries: str) -> list[list[str]]:
    """The paths search.js gives for each query, best first, on the Vietnamese ("") or English ("en/") search page."""
    if NODE is None:
        pytest.skip("Node.js is not installed: the ranking of assets/js/search.js cannot be run outside a browser")
    done = subprocess.run([NODE, "-e", RANK_JS, str(site / "assets" / "js" / "search.js"),
                           str(site / language / "tim-kiem" / "index.json"), json.dumps(queries)],
                          capture_output=True, text=True, timeout=60, check=True)
    return json.loads(done.stdout)


# ---------------------------------------------------------------- search

@pytest.mark.parametrize("language", ["", "en/"])
def test_a_short_name_finds_its_department_first_then_its_reports_newest_first(site, language) -> None:
    for query in ("STNMT", "stnmt"):
        found = ranked(site, language, query)[0]
        assert found[:3] == ["stnmt/index.html", "stnmt/2023-q1/index.html", "stnmt/2022-q3/index.html"]
    assert ranked(site, language, "SCT")[0][:2] == ["sct/index.html", "sct/2021-h1/index.html"]


def test_a_vietnamese_short_name_is_found_without_its_diacritics(site) -> None:
    with_marks, without = ranked(site, "", "SGDĐT", "sgddt")
    assert with_marks == without and with_marks[0] == "sgddt/index.html"
    assert ranked(site, "en/", "sgddt")[0][0] == "sgddt/index.html"


def test_a_figure_as_written_finds_the_report_that_shows_it(site) -> None:
    # SCT's first half of 2021: 99,99 % of case files resolved on time, in the report's statistics table
    vietnamese, = ranked(site, "", "99,99")
    assert vietnamese[0] == "sct/2021-h1/index.html"
    assert set(vietnamese) == {"sct/2021-h1/index.html", "sct/index.html", "chi-tieu/case-files-on-time-rate/index.html",
                               "ky-bao-cao/2021-h1/index.html", "gioi-thieu/index.html"}
    assert ranked(site, "en/", "99.99")[0][0] == "sct/2021-h1/index.html"
    documents = {d["p"]: d for d in json.loads(read(site, "tim-kiem/index.json"))["documents"]}
    assert "99,99" in documents["sct/2021-h1/index.html"]["n"].split()
    assert "1.076" in documents["stnmt/2023-q1/index.html"]["n"].split()  # outgoing documents, as written


def test_words_on_nearly_every_page_weigh_little(site) -> None:
    found, = ranked(site, "en/", "on time")
    # "on" and "time" are on nearly every page: the titles holding both come first, the most focused first
    assert found[:3] == ["chi-tieu/province-tasks-done-on-time/index.html", "chi-tieu/case-files-on-time-rate/index.html",
                         "chi-tieu/province-tasks-on-time-rate/index.html"]
    assert ranked(site, "en/", "case files resolved on time")[0][0] == "chi-tieu/case-files-on-time-rate/index.html"


def test_an_indicator_title_typed_as_it_is_comes_first(site) -> None:
    exact, unaccented, words = ranked(site, "", "Số nhiệm vụ đã hoàn thành đúng hạn",
                                      "so nhiem vu da hoan thanh dung han", "ho so dung han")
    assert exact[0] == unaccented[0] == "chi-tieu/province-tasks-done-on-time/index.html"
    assert words[0] == "chi-tieu/case-files-on-time-rate/index.html"


def test_an_index_of_an_older_version_is_not_reused(tmp_path) -> None:
    from reformdash.output.search import previous_documents

    index = tmp_path / "index.json"
    current = {"p": "a/index.html", "t": "A", "s": "Đơn vị", "f": "a", "d": "", "w": "a", "n": ""}
    index.write_text(json.dumps({"documents": [current, {"p": "b/index.html", "t": "B", "s": "Đơn vị", "f": "b",
                                                          "w": "b"}]}), encoding="utf-8")
    assert previous_documents(index) == {"a/index.html": current}


# ---------------------------------------------------------------- meta description

def descriptions(page: str) -> list[str]:
    return [unescape(d) for d in re.findall(r'<meta name="description" content="([^"]*)">', page)]


def test_every_page_has_one_description_of_its_own(site) -> None:
    pages = sorted(site.rglob("*.html"))
    assert len(pages) > 400
    seen: dict[str, str] = {}
    for path in pages:
        html = path.read_text(encoding="utf-8")
        found = descriptions(html)
        name = path.relative_to(site).as_posix()
        assert len(found) == 1, name
        title = unescape(re.search(r"<title>(.*?) \|", html).group(1))
        assert found[0].endswith(".") and found[0] != title and ".." not in found[0].replace("...", "") and ": - " not in found[0], name
        assert found[0] not in seen or name.endswith(("tim-kiem/index.html",)), (name, seen.get(found[0]))
        seen[found[0]] = name


@pytest.mark.parametrize("path, expected", [
    ("stnmt/2023-q1/index.html",
     "Báo cáo cải cách hành chính Quý I năm 2023 của Sở Tài nguyên và Môi trường (STNMT): 103/163 chỉ tiêu có số liệu."),
    ("en/stnmt/2023-q1/index.html", "Administrative reform report for Quarter I 2023 of the Department of Natural "
                                    "Resources and Environment (STNMT): figures for 103 of 163 indicators."),
    ("stnmt/index.html", "Sở Tài nguyên và Môi trường (STNMT): 2 báo cáo cải cách hành chính và số liệu chính qua các kỳ."),
    # an attribute cannot mark a Vietnamese short name as Vietnamese: the English page leaves it out
    ("en/sgddt/index.html", "Department of Education and Training: administrative reform reports (0) and the headline "
                            "figures over time."),
    # the form's label starts with a list dash and ends with a full stop; the sentence has neither twice
    ("chi-tieu/outgoing-documents-fully-electronic-rate-2021/index.html",
     "Tỷ lệ văn bản được gửi hoàn toàn dưới dạng điện tử (Sử dụng chữ ký số, chứng thư số và gửi trên môi trường điện "
     "tử): số liệu của từng cơ quan, đơn vị qua các kỳ báo cáo."),
    ("ky-bao-cao/2023-q1/index.html",
     "Báo cáo cải cách hành chính Quý I năm 2023: 1/7 cơ quan, đơn vị đã gửi báo cáo; số liệu chính của từng đơn vị."),
    ("en/index.html", "Administrative reform progress of the province's departments from their periodic reports; "
                      "latest period: Quarter I 2023."),
    ("ke-hoach/sgddt-2023/index.html",
     "Kế hoạch cải cách hành chính năm 2023 của Sở Giáo dục và Đào tạo (SGDĐT): 36 nhiệm vụ và tiến độ thực hiện."),
])
def test_a_description_is_made_from_the_pages_content(site, path, expected) -> None:
    assert descriptions(read(site, path)) == [expected]


def test_a_description_is_escaped(site) -> None:
    html = read(site, "en/chi-tieu/case-files-on-time-rate/index.html")
    assert ('<meta name="description" content="Share of case files resolved on time: each department&#39;s figures '
            'over the reporting periods.">') in html


# ---------------------------------------------------------------- texts a reader notices

def test_chart_summaries_have_one_full_stop_and_no_list_dash(site) -> None:
    html = read(site, "chi-tieu/outgoing-documents-fully-electronic-rate-2021/index.html")
    assert re.findall(r'aria-label="(Biểu đồ[^"]*)"', html) == [
        "Biểu đồ đường: Tỷ lệ văn bản được gửi hoàn toàn dưới dạng điện tử (Sử dụng chữ ký số, chứng thư số và gửi "
        "trên môi trường điện tử). SCT: 6 tháng/2021 100\xa0%."]
    for path in site.rglob("*.html"):
        for summary in re.findall(r'<div class="chart-svg" role="img" aria-label="([^"]*)"', path.read_text("utf-8")):
            assert ".." not in summary.replace("...", "") and ": - " not in summary, (path, summary)


def test_a_chart_table_writes_not_reported_as_the_report_does(site) -> None:
    html = read(site, "chi-tieu/plan-completion-rate/index.html")
    table = html[html.index('<details class="chart-data">'):html.index("</details>")]
    assert "<td class=\"num\">Không báo cáo</td>" in table and "không báo cáo" not in table
    # in the sentence of the summary it stays lower case
    assert "Quý I/2023 không báo cáo." in html
    english = read(site, "en/chi-tieu/plan-completion-rate/index.html")
    assert "<td class=\"num\">Not reported</td>" in english


def test_a_screen_reader_hears_a_charts_summary_once(site) -> None:
    html = read(site, "chi-tieu/outgoing-documents-total/index.html")
    figure = html[html.index('<figure class="chart chart-line">'):html.index("</figure>") + len("</figure>")]
    summary = re.search(r'role="img" aria-label="([^"]+)"', figure).group(1)
    # the caption shows the summary to the eye, last in the figure (HTML allows a caption only first or last)
    # (the text hidden inside it, not the caption: a browser names the figure after a hidden caption's text)
    assert figure.endswith(f'</details>\n  <figcaption><span aria-hidden="true">{summary}</span></figcaption>\n</figure>')
    assert figure.count(summary) == 2  # the drawing's name and the hidden caption: spoken once


def test_a_charts_summary_is_in_the_accessibility_tree_once(site) -> None:
    from browser_support import Chromium, SiteServer

    server, chromium = SiteServer(site), Chromium()
    try:
        page = chromium.new_page()
        page.goto(server.url("chi-tieu/outgoing-documents-total/index.html"))
        tree = page.locator("figure.chart").first.aria_snapshot()
    finally:
        chromium.close()
        server.close()
    summary = ("Biểu đồ đường: Tổng số văn bản đi của cơ quan, đơn vị (văn bản điện tử và văn bản giấy). "
               "SCT: 6 tháng/2021 2.929. STNMT: Quý III/2022 1.214; Quý I/2023 1.076.")
    assert tree.count(summary) == 1 and f'img "{summary}"' in tree, tree


def test_the_quality_page_shows_no_internal_file_paths(site) -> None:
    for path in ("chat-luong-so-lieu/index.html", "en/chat-luong-so-lieu/index.html"):
        main = read(site, path).split("<main", 1)[1].split("</main>", 1)[0]
        assert "data/" not in main and ".yaml" not in main and "<code>" not in main
        assert "sct/2021-h1/index.html#row-" in main  # the warnings still lead to their figures


def test_the_indicators_list_explains_the_counts_other_pages_give(site) -> None:
    text = " ".join(unescape(re.sub(r"<[^>]+>", " ", read(site, "chi-tieu/index.html").split("<main", 1)[1]
                                    .split("<section", 1)[0])).split())
    assert ("196 chỉ tiêu của mẫu biểu thống kê CCHC, theo 7 lĩnh vực. Chỉ tiêu có nhãn “tính toán” do trang này "
            "tính từ số liệu của đơn vị. Vì sao các trang khác ghi số chỉ tiêu khác: 189 chỉ tiêu là các dòng của "
            "mẫu biểu (chỉ tiêu có ở nhiều mẫu được tính một lần), 7 chỉ tiêu do trang này tính. "
            "Mẫu thống kê CCHC năm 2022: 178 dòng, trong đó 163 dòng ghi số liệu (các dòng còn lại là tiêu đề nhóm); "
            "báo cáo theo mẫu này ghi “…/163 chỉ tiêu có số liệu”. "
            "Mẫu thống kê CCHC năm 2021: 159 dòng, trong đó 142 dòng ghi số liệu (các dòng còn lại là tiêu đề nhóm); "
            "báo cáo theo mẫu này ghi “…/142 chỉ tiêu có số liệu”.") in text
    english = read(site, "en/chi-tieu/index.html")
    assert ("CCHC statistics form, 2022 version: 178 rows, of which 163 take a figure (the others are group headings); "
            "a report on this form shows “… of 163 indicators reported”.") in english
