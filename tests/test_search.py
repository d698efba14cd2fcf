"""Search: the index folds diacritics and đ; a query typed without them finds the page, in a real browser."""
from __future__ import annotations

import json

import pytest

from browser_support import Chromium, SiteServer, built_site
from reformdash.output.search import fold


def test_folding_removes_diacritics_and_d_stroke() -> None:
    assert fold("Hồ sơ TTHC được giải quyết ĐÚNG HẠN") == "ho so tthc duoc giai quyet dung han"


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    return built_site(tmp_path_factory)


def test_index_holds_every_page_with_folded_words(site) -> None:
    documents = json.loads((site / "tim-kiem" / "index.json").read_text(encoding="utf-8"))["documents"]
    pages = {p.relative_to(site).as_posix() for p in site.rglob("*.html")
             if p.relative_to(site).parts[0] != "en"} - {"tim-kiem/index.html"}  # en/ has its own index
    assert {d["p"] for d in documents} == pages
    on_time = next(d for d in documents if d["p"] == "chi-tieu/case-files-on-time-rate/index.html")
    assert on_time["t"] == "Tỷ lệ hồ sơ TTHC tiếp nhận được giải quyết đúng hạn"
    assert {"ho", "so", "duoc", "dung", "han"} <= set(on_time["w"].split())


def test_a_report_page_is_indexed_by_its_own_words_not_by_its_forms_labels(site) -> None:
    import re

    documents = {d["p"]: d for d in json.loads((site / "tim-kiem" / "index.json").read_text(encoding="utf-8"))["documents"]}
    words = set(documents["stnmt/2023-q1/index.html"]["w"].split())
    assert documents["stnmt/2023-q1/index.html"]["t"] == "Sở Tài nguyên và Môi trường: báo cáo Quý I năm 2023"
    # the department's own notes ("Kế hoạch số 03/KH-STNMT ngày 19/01/2023", "Công văn số 28/STNMT-VP ...")
    assert {"03", "kh", "stnmt", "19", "cong", "van", "28", "vp"} <= words
    # the form's row labels, the same on every report, are left to the indicator pages: the words found only
    # in them (not in the page's title, warnings, notes or anything else of its own) are not in its entry
    html = (site / "stnmt" / "2023-q1" / "index.html").read_text(encoding="utf-8")
    main = html[html.index("<main"):html.index("</main>")]
    labels = " ".join(re.findall(r'<th scope="row">(.*?)</th>', main, re.S))
    rest = re.sub(r'<table class="indicators">.*?</table>', " ", main, flags=re.S) + " ".join(
        re.findall(r'<td class="note"[^>]*>(.*?)</td>', main, re.S))
    label_only = set(re.findall(r"[a-z0-9]+", fold(re.sub(r"<[^>]+>", " ", labels)))) - set(
        re.findall(r"[a-z0-9]+", fold(re.sub(r"<[^>]+>", " ", rest))))
    assert len(label_only) > 20 and not label_only & words
    assert {"cntt", "vbqppl", "website", "zalo", "buu", "khen", "thuong"} <= label_only


@pytest.mark.parametrize("query", ["ho so dung han", "hồ sơ đúng hạn", "HO SO DUNG HAN"])
def test_a_query_without_diacritics_finds_the_page_in_the_browser(site, query) -> None:
    server, chromium = SiteServer(site), Chromium()
    try:
        page = chromium.new_page()
        page.goto(server.url("tim-kiem/index.html"))
        page.wait_for_function("() => document.getElementById('search-status').textContent.startsWith('Nhập')")
        page.keyboard.press("Tab")  # the keyboard reaches the field like anyone else
        page.fill("#search-query", query)
        page.press("#search-query", "Enter")
        page.wait_for_function("() => document.querySelectorAll('#search-results li').length > 0")
        titles = page.eval_on_selector_all("#search-results a", "links => links.map(a => a.textContent)")
        assert titles[0] == "Tỷ lệ hồ sơ TTHC tiếp nhận được giải quyết đúng hạn"
        status = page.inner_text("#search-status")
        assert status.startswith("Tìm thấy ") and page.get_attribute("#search-status", "aria-live") == "polite"
        page.click("#search-results a >> nth=0")
        page.wait_for_url("**/chi-tieu/case-files-on-time-rate/index.html")
    finally:
        chromium.close()
        server.close()


def test_the_english_search_finds_english_titles_in_the_browser(site) -> None:
    server, chromium = SiteServer(site), Chromium()
    try:
        page = chromium.new_page()
        page.goto(server.url("en/tim-kiem/index.html"))
        page.wait_for_function("() => document.getElementById('search-status').textContent.startsWith('Type')")
        page.fill("#search-query", "case files resolved on time")
        page.press("#search-query", "Enter")
        page.wait_for_function("() => document.querySelectorAll('#search-results li').length > 0")
        titles = page.eval_on_selector_all("#search-results a", "links => links.map(a => a.textContent)")
        assert titles[0] == "Share of case files resolved on time"
        assert page.inner_text("#search-status").endswith("pages found.")
        page.click("#search-results a >> nth=0")
        page.wait_for_url("**/en/chi-tieu/case-files-on-time-rate/index.html")
    finally:
        chromium.close()
        server.close()
