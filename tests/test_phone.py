"""The built site read on a phone and on paper, in Debian's Chromium through Playwright.

Every page, with every `details` opened, at 320 and 360 CSS px: the document never scrolls
sideways and no table is wider than the screen (wide tables become one block per row, each cell
named by its column). Charts keep the size they were drawn at (a line chart opens at its newest period); headers break between words;
a report's sections and a plan's areas share one column grid; long pages lead back to the top.
Printed at A4 with 0.4 in margins, the report, plan and period pages lose nothing at the edge and
carry their address and the date their figures run to.

Where Chromium or Playwright is missing these tests fail, saying how to install them.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from browser_support import PAGES, Chromium, SiteServer, built_site

BASE_URL = "https://cchc.soctrang.gov.vn/bang-theo-doi/"
A4_WIDTH_IN, MARGIN_IN = 8.27, 0.4
PRINTABLE_PX = int((A4_WIDTH_IN - 2 * MARGIN_IN) * 96)  # 717 CSS px between the margins


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    return built_site(tmp_path_factory)


@pytest.fixture(scope="module")
def server(site):
    server = SiteServer(site)
    yield server
    server.close()


@pytest.fixture(scope="module")
def chromium():
    browser = Chromium()
    yield browser
    browser.close()


@pytest.fixture
def open_page(chromium, server):
    """open_page(path, width) -> the page loaded (fonts too) in a fresh tab, closed after the test."""
    opened = []

    def open_page(path: str, width: int, height: int = 800):
        page = chromium.new_page(width=width, height=height)
        opened.append(page)
        response = page.goto(server.url(path), wait_until="load")
        assert response is not None and response.status == 200, f"{path}: {response and response.status}"
        page.evaluate("async () => { await document.fonts.ready; }")
        return page

    yield open_page
    for page in opened:
        page.close()


# ---------------------------------------------------------------- every page on a phone

WIDE_JS = """
() => {
  document.querySelectorAll('details').forEach((d) => { d.open = true; });
  const width = document.documentElement.clientWidth;
  const name = (el) => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
      + (el.getAttribute('class') ? '.' + el.getAttribute('class').trim().split(/\\s+/).join('.') : '');
  const tables = Array.from(document.querySelectorAll('table')).filter((table) => {
    const box = table.getBoundingClientRect();
    return box.width > 0 && (box.left < -1 || box.right > width + 1);
  }).map((table) => `${name(table)} in ${name(table.parentElement)}: ${Math.round(table.getBoundingClientRect().width)} px`);
  return {scrollWidth: document.documentElement.scrollWidth, width, tables};
}
"""


@pytest.mark.parametrize("width", [320, 360])
def test_no_page_scrolls_sideways_and_no_table_is_wider_than_the_phone(site, chromium, server, width: int) -> None:
    pages = sorted(str(path.relative_to(site)) for path in site.rglob("*.html"))
    assert len(pages) > 400, len(pages)
    page = chromium.new_page(width=width, height=700)
    offenders = []
    try:
        for path in pages:
            page.goto(server.url(path), wait_until="load")
            found = page.evaluate(WIDE_JS)
            if found["scrollWidth"] > found["width"]:
                offenders.append(f"{path}: the page scrolls sideways ({found['scrollWidth']} px wide)")
            offenders += [f"{path}: table {table}" for table in found["tables"]]
    finally:
        page.close()
    assert not offenders, f"at {width} px:\n" + "\n".join(offenders)


LARGE_TEXT_PX = 32  # a phone's text size at 200 % (Android's "font size", Chromium's default font size)


@pytest.mark.parametrize("width", [320, 360])
def test_with_text_at_twice_its_size_no_page_scrolls_sideways_nor_breaks_a_figure(chromium, server, width: int) -> None:
    """WCAG 1.4.4 and 1.4.10: text enlarged to 200 % on a phone reflows into its width. Found: the KPI cards
    (14rem), the rankings' fixed columns, the search box (16rem) and a definition list's terms ran 50-170 px off
    the screen, cutting words off. A data table or chart may scroll in its own box; the page may not."""
    offenders = []
    for name in ("overview", "en-overview", "department", "report", "indicator", "en-indicator", "period", "plans",
                 "plan", "plan-with-statuses", "departments", "indicators", "periods", "releases", "search", "about",
                 "quality"):
        page = chromium.new_page(width=width, height=700)
        try:
            session = page.context.new_cdp_session(page)
            session.send("Page.enable")
            session.send("Page.setFontSizes", {"fontSizes": {"standard": LARGE_TEXT_PX, "fixed": LARGE_TEXT_PX}})
            page.goto(server.url(PAGES[name]), wait_until="load")
            page.evaluate("async () => { await document.fonts.ready; }")
            found = page.evaluate("""() => ({root: getComputedStyle(document.documentElement).fontSize,
                scrollWidth: document.documentElement.scrollWidth, width: document.documentElement.clientWidth})""")
            assert found["root"] == f"{LARGE_TEXT_PX}px", found  # (the text is enlarged: the test can fail)
            if found["scrollWidth"] > found["width"]:
                offenders.append(f"{PAGES[name]}: {found['scrollWidth']} px wide")
            # a figure is never broken over two lines ("92," above "9 %" reads as two numbers)
            offenders += [f"{PAGES[name]}: figure broken over lines: {text}" for text in page.evaluate(
                """() => Array.from(document.querySelectorAll('main data.figure'))
                     .filter((d) => /[0-9]/.test(d.textContent) && d.getClientRects().length > 1)
                     .map((d) => d.textContent)""")]  # (a coded answer in words may wrap)
        finally:
            page.close()
    assert not offenders, f"at {width} px with {LARGE_TEXT_PX} px text:\n" + "\n".join(offenders)


@pytest.mark.parametrize("width, language", [(360, ""), (360, "en/"), (1280, ""), (1280, "en/")])
def test_with_the_pages_own_text_at_twice_its_size_no_ranking_runs_off(chromium, server, width: int,
                                                                        language: str) -> None:
    """Text made larger by the page's own size (a reader's style sheet, a zoom tool: the root's font-size, which a
    media query's em does not follow): the rankings' fixed columns ran 60-270 px off a phone, a place "10" broke
    into "1" above "0", and on a desktop "99,9999 % tính toán" stuck out of its column."""
    page = chromium.new_page(width=width, height=700, bypass_csp=True)
    try:
        page.goto(server.url(language + "index.html"), wait_until="load")
        page.add_style_tag(content="html { font-size: 200% !important; }")
        page.evaluate("async () => { await document.fonts.ready; }")
        found = page.evaluate("""() => ({
            scrollWidth: document.documentElement.scrollWidth, width: document.documentElement.clientWidth,
            out: [...document.querySelectorAll('.ranking *')].filter((e) => e.getBoundingClientRect().right
                   > e.closest('.ranking').getBoundingClientRect().right + 1).map((e) => e.outerHTML.slice(0, 60)),
            places: [...document.querySelectorAll('.ranking tbody td:first-child')].filter((td) => {
                // (the place's own figure: the words only a screen reader hears, "tied", stand apart)
                const range = document.createRange(); range.selectNodeContents(td.firstChild);
                return new Set([...range.getClientRects()].map((r) => Math.round(r.top))).size > 1; }).length,
            rankings: document.querySelectorAll('.ranking tbody tr').length})""")
    finally:
        page.close()
    assert found["rankings"] > 0  # (the test can fail: there are rankings to look at)
    assert found["scrollWidth"] <= found["width"] and found["out"] == [] and found["places"] == 0, found


# ---------------------------------------------------------------- the stacked layout

CELLS_JS = """
(selector) => Array.from(document.querySelectorAll(selector + ' tbody td[data-label]'))
  // (left out by design: the cells of periods before a body existed, the dashes of a body that sent no report)
  .filter((td) => td.textContent.trim() && !td.classList.contains('status-not-existing')
                  && !(td.classList.contains('num') && td.parentElement.classList.contains('not-sent')))
  .map((td) => ({label: td.getAttribute('data-label'), shown: getComputedStyle(td, '::before').content,
                 display: getComputedStyle(td).display, row: getComputedStyle(td.parentElement).display}))
"""
HEADERS_JS = "(selector) => Array.from(document.querySelectorAll(selector + ' thead th')).map((th) => th.textContent.trim())"

# page, the table, the column names its cells show on a phone (the header row's names but the row's own)
STACKED = [
    ("index.html", "table.coverage", ["6 tháng đầu năm 2021", "Quý III năm 2022", "Quý I năm 2023"]),
    ("en/index.html", "table.coverage", ["First six months of 2021", "Quarter III 2022", "Quarter I 2023"]),
    ("ky-bao-cao/2023-q1/index.html", "table.period", [
        "Báo cáo", "Hoàn thành kế hoạch CCHC", "Hồ sơ TTHC giải quyết đúng hạn", "TTHC cung cấp trực tuyến mức độ 3, 4",
        "Hồ sơ tiếp nhận trực tuyến", "Văn bản đi gửi hoàn toàn điện tử", "Mức độ hài lòng của người dân, tổ chức"]),
    ("ke-hoach/index.html", "table#plans", [
        "Năm", "Số nhiệm vụ", "Đã hoàn thành", "Đang thực hiện", "Chưa thực hiện", "Không thực hiện", "Chưa báo cáo",
        "Quá hạn", "Tỷ lệ sản phẩm hoàn thành"]),
    ("en/ke-hoach/index.html", "table#plans", [
        "Year", "Tasks", "Done", "In progress", "Not started", "Cancelled", "Not reported", "Overdue",
        "Products completed"]),
    ("stnmt/2023-q1/index.html", "table.contacts", ["Họ tên", "Chức vụ", "Email/điện thoại"]),
    ("en/stnmt/2023-q1/index.html", "table.contacts", ["Name", "Position", "Email/telephone"]),
    ("chi-tieu/outgoing-documents-total/index.html", "table.by-department", ["SCT", "STNMT"]),
    ("stnmt/index.html", "table.reports", ["Mẫu biểu", "Chỉ tiêu có số liệu", "Cảnh báo"]),
    ("en/stnmt/index.html", "table.reports", ["Form version", "Indicators reported", "Warnings"]),
]


@pytest.mark.parametrize("path, table, labels", STACKED, ids=[f"{p} {t}" for p, t, _ in STACKED])
def test_on_a_phone_each_row_is_a_block_whose_cells_name_their_column(open_page, path: str, table: str, labels) -> None:
    page = open_page(path, 360)
    headers = page.evaluate(HEADERS_JS, table)
    assert headers[1:] == labels, headers  # the first column heads each block
    cells = page.evaluate(CELLS_JS, table)
    assert cells, f"{path}: {table} has no named cells"
    assert {cell["label"] for cell in cells} <= set(labels), cells
    wrong = [cell for cell in cells if cell["shown"] != f'"{cell["label"]}: "' or cell["display"] != "block"
             or cell["row"] != "block"]
    assert not wrong, f"{path}: cells not shown as named blocks: {wrong[:5]}"
    # On a wide screen the table stays a table.
    wide = open_page(path, 1280)
    assert wide.evaluate(CELLS_JS, table)[0]["shown"] == "none"
    assert wide.evaluate("(s) => getComputedStyle(document.querySelector(s)).display", table) == "table"


def test_a_plan_task_on_a_phone_is_headed_by_its_text_and_names_each_field(open_page) -> None:
    page = open_page("ke-hoach/stnmt-2023/index.html", 360)
    blocks = page.evaluate("""() => Array.from(document.querySelectorAll('#tasks ~ div table.tasks tbody.task')).map((task) => ({
      head: task.querySelector('th').innerText.trim(), display: getComputedStyle(task).display,
      fields: Array.from(task.querySelectorAll('td')).filter((td) => getComputedStyle(td).display !== 'none')
        .map((td) => getComputedStyle(td, '::before').content)}))""")
    assert [block["head"] for block in blocks] == [
        "1. Lập kế hoạch CCHC năm 2023.", "2. Tuyên truyền CCHC.", "3. Rà soát TTHC.", "4. Duy trì ISO."]
    assert {block["display"] for block in blocks} == {"block"}
    assert blocks[0]["fields"] == ['"Sản phẩm: "', '"Thời gian: "', '"Chủ trì: "', '"Tình trạng: "']
    # the second task has two products, each with its own fields
    assert blocks[1]["fields"] == ['"Sản phẩm: "', '"Thời gian: "', '"Chủ trì: "', '"Tình trạng: "'] * 2


def test_stacked_tables_keep_their_table_roles_for_screen_readers(open_page) -> None:
    page = open_page("ky-bao-cao/2023-q1/index.html", 360)
    tree = page.locator("table.period").aria_snapshot()
    assert "- columnheader \"Hoàn thành kế hoạch CCHC\"" in tree, tree[:600]
    assert "- rowheader \"Sở Tài nguyên và Môi trường\"" in tree, tree[:600]
    assert "cell \"Hồ sơ TTHC giải quyết đúng hạn: 100 %\"" in tree, tree[:600]


def test_the_sort_buttons_of_the_plans_table_stay_on_a_phone(open_page) -> None:
    page = open_page("ke-hoach/index.html", 360)
    buttons = page.evaluate("""() => Array.from(document.querySelectorAll('table#plans button.sort')).map((b) => {
      const box = b.getBoundingClientRect();
      return [b.textContent, box.width > 0 && box.left >= 0 && box.right <= document.documentElement.clientWidth];
    })""")
    assert buttons == [[name, True] for name in (
        "Đơn vị", "Năm", "Số nhiệm vụ", "Đã hoàn thành", "Đang thực hiện", "Chưa thực hiện", "Không thực hiện",
        "Chưa báo cáo", "Quá hạn", "Tỷ lệ sản phẩm hoàn thành")]


# ---------------------------------------------------------------- charts, headers, grids

CHART_SCALE_JS = """
() => Array.from(document.querySelectorAll('.chart-svg svg')).map((svg) => {
  const drawn = svg.width.baseVal.value, shown = svg.getBoundingClientRect().width;
  const sizes = Array.from(svg.querySelectorAll('text')).map((t) => parseFloat(getComputedStyle(t).fontSize) * shown / drawn);
  return {drawn, shown, smallest: Math.min(...sizes)};
})
"""


@pytest.mark.parametrize("width", [320, 360])
@pytest.mark.parametrize("path", ["chi-tieu/outgoing-documents-total/index.html", "en/stnmt/index.html",
                                  "ke-hoach/stnmt-2023/index.html"])
def test_charts_are_shown_at_the_size_they_were_drawn(open_page, path: str, width: int) -> None:
    page = open_page(path, width)
    charts = page.evaluate(CHART_SCALE_JS)
    assert charts, f"{path} shows no chart"
    shrunk = [c for c in charts if abs(c["shown"] - c["drawn"]) > 0.5]
    assert not shrunk, f"{path} at {width} px: charts drawn at one width and shown at another: {shrunk}"
    # axis and legend labels and a bar's own figure are drawn at 12 px: none reads smaller
    assert min(c["smallest"] for c in charts) >= 12, charts
    # a chart wider than the screen scrolls in its own box, which the keyboard reaches (its table's summary)
    boxes = page.evaluate("""() => Array.from(document.querySelectorAll('figure.chart')).map((f) => ({
      scrolls: getComputedStyle(f).overflowX, right: f.getBoundingClientRect().right,
      focusable: !!f.querySelector('summary')}))""")
    assert all(b["scrolls"] == "auto" and b["right"] <= width and b["focusable"] for b in boxes), boxes


@pytest.mark.parametrize("width", [320, 360])
def test_a_line_chart_wider_than_the_phone_opens_at_its_newest_period(open_page, width: int) -> None:
    """Periods run left to right: the box of a line chart too wide for the screen starts at its right end, so the
    newest period is in view (the older ones a scroll back)."""
    page = open_page("stnmt/index.html", width)
    seen = page.evaluate("""() => Array.from(document.querySelectorAll('figure.chart-line')).map((f) => {
      const box = f.getBoundingClientRect();
      const labels = Array.from(f.querySelectorAll('svg text')).filter((t) => /^Quý/.test(t.textContent));
      const newest = labels.find((t) => t.textContent === 'Quý I/2023').getBoundingClientRect();
      const oldest = labels.find((t) => t.textContent === 'Quý III/2022').getBoundingClientRect();
      return {wider: f.scrollWidth > f.clientWidth, newest: newest.left >= box.left && newest.right <= box.right,
              oldest: oldest.left >= box.left};
    })""")
    assert seen and all(c == {"wider": True, "newest": True, "oldest": False} for c in seen), seen


@pytest.mark.parametrize("width, shown", [(360, False), (1280, True)])
def test_a_bodys_block_in_the_coverage_table_lists_only_the_periods_it_existed_in(open_page, width: int,
                                                                                 shown: bool) -> None:
    """SNNMT was founded in 2025: on a phone its block does not carry a "—" line for each period before; the
    table on a wide screen keeps the cell, its column being every body's."""
    page = open_page("index.html", width)
    cells = page.evaluate("""() => Array.from(document.querySelectorAll('table.coverage td.status-not-existing'))
      .map((td) => getComputedStyle(td).display !== 'none')""")
    assert cells and all(visible == shown for visible in cells), cells


@pytest.mark.parametrize("width, shown", [(360, False), (1280, True)])
def test_a_body_that_sent_no_report_is_two_lines_on_a_phones_period_page(open_page, width: int, shown: bool) -> None:
    """Six of seven bodies sent no report for 2023-Q1: on a phone each block says so under its name, without a "—"
    line for every headline (a hundred communes not yet reported made the page thousands of pixels long)."""
    page = open_page("ky-bao-cao/2023-q1/index.html", width)
    rows = page.evaluate("""() => Array.from(document.querySelectorAll('table.period tr.not-sent')).map((tr) => ({
      status: getComputedStyle(tr.querySelector('td[data-label]')).display !== 'none',
      dashes: Array.from(tr.querySelectorAll('td.num')).map((td) => getComputedStyle(td).display !== 'none')}))""")
    assert len(rows) == 6 and all(row["status"] and row["dashes"] and all(d == shown for d in row["dashes"])
                                  for row in rows), rows


BROKEN_WORDS_JS = """
() => {
  const broken = [];
  for (const th of document.querySelectorAll('thead th')) {
    if (th.closest('thead').getBoundingClientRect().width <= 1) continue;  // hidden: a phone's stacked table
    const walker = document.createTreeWalker(th, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const re = /\\S+/g;
      let m;
      while ((m = re.exec(node.data))) {
        const range = document.createRange();
        range.setStart(node, m.index);
        range.setEnd(node, m.index + m[0].length);
        const tops = new Set(Array.from(range.getClientRects()).filter((r) => r.width > 0).map((r) => Math.round(r.top)));
        if (tops.size > 1) broken.push(m[0]);
      }
    }
  }
  return broken;
}
"""


@pytest.mark.parametrize("width", [320, 360, 1280])
def test_column_headers_wrap_between_words_only(open_page, width: int) -> None:
    broken = {}
    for name in ("overview", "en-overview", "period", "plans", "plan-with-statuses", "report", "en-report",
                 "indicator", "department"):
        words = open_page(PAGES[name], width).evaluate(BROKEN_WORDS_JS)
        if words:
            broken[PAGES[name]] = words
    assert not broken, f"at {width} px, header words broken: {broken}"


@pytest.mark.parametrize("path", ["index.html", "en/index.html"])
def test_the_six_rankings_line_up(open_page, path: str) -> None:
    page = open_page(path, 1280)
    boxes = page.evaluate("""() => Array.from(document.querySelectorAll('.ranking table')).map((table) => {
      const t = table.getBoundingClientRect(), ths = table.querySelectorAll('thead th');
      return {top: Math.round(t.top), columns: Array.from(ths).map((th) => Math.round(th.getBoundingClientRect().left - t.left))};
    })""")
    assert len(boxes) == 6, boxes
    assert len({tuple(box["columns"]) for box in boxes}) == 1, boxes  # the same columns in every box
    assert len({box["top"] for box in boxes[:3]}) == 1 and len({box["top"] for box in boxes[3:]}) == 1, boxes


@pytest.mark.parametrize("path, selector, header", [
    ("stnmt/2023-q1/index.html", "table.indicators", "Kết quả"),
    ("en/stnmt/2023-q1/index.html", "table.indicators", "Result"),
    ("ke-hoach/sgddt-2023/index.html", "table.tasks", "Tình trạng"),
])
@pytest.mark.parametrize("width", [660, 960, 1280])
def test_every_section_shares_one_column_grid(open_page, path: str, selector: str, header: str, width: int) -> None:
    page = open_page(path, width)
    starts = page.evaluate("""([selector, header]) => Array.from(document.querySelectorAll(selector)).map((table) =>
      Array.from(table.querySelectorAll('thead th')).filter((th) => th.textContent.trim() === header)
        .map((th) => Math.round(th.getBoundingClientRect().left))[0])""", [selector, header])
    assert len(starts) >= 3, starts
    assert len(set(starts)) == 1, f"{path} at {width} px: “{header}” starts at {starts}"
    # fixed columns, and still nothing spills out of its cell ("Không báo cáo" over the note beside it)
    spilled = page.evaluate("""(selector) => Array.from(document.querySelectorAll(selector + ' td')).filter((td) =>
      td.scrollWidth > td.clientWidth + 1).map((td) => td.textContent.trim().slice(0, 40))""", selector)
    assert not spilled, f"{path} at {width} px: cells whose text spills out: {spilled[:5]}"


def test_a_long_page_leads_back_to_the_top(open_page) -> None:
    page = open_page("stnmt/2023-q1/index.html", 360, height=640)
    link = page.locator(".to-top a")
    assert link.text_content() == "Về đầu trang"
    assert not link.is_visible()  # at the top it would only cover the page
    page.evaluate("window.scrollTo(0, document.documentElement.scrollHeight / 2)")
    page.wait_for_timeout(100)
    box = link.bounding_box()
    assert link.is_visible() and box is not None and 0 <= box["y"] and box["y"] + box["height"] <= 640, box
    link.click()
    page.wait_for_function("window.scrollY === 0")
    assert page.evaluate("location.hash") == "#top"


@pytest.mark.parametrize("width", [360, 1280])
@pytest.mark.parametrize("path", ["stnmt/2023-q1/index.html", "en/stnmt/2023-q1/index.html", "ke-hoach/stnmt-2023/index.html"])
def test_no_two_landmarks_share_a_name(chromium, server, path: str, width: int) -> None:
    """axe-core's landmark-unique (a best practice, outside the WCAG tags test_browser runs): a section and
    the scroll box inside it once both announced the same heading."""
    from browser_support import AXE_JS

    page = chromium.new_page(width=width, bypass_csp=True)
    try:
        page.goto(server.url(path), wait_until="load")
        page.add_script_tag(path=str(AXE_JS))
        result = page.evaluate("async () => await axe.run(document, {runOnly: {type: 'rule', values: ['landmark-unique']}})")
    finally:
        page.close()
    assert [node["html"][:80] for v in result["violations"] for node in v["nodes"]] == []
    assert result["passes"], "landmark-unique did not run"


# ---------------------------------------------------------------- print

# Words of each page's last columns (one word each: a narrow column breaks a header over lines).
PRINTED = {
    "report": ("stnmt/2023-q1/index.html", ["chú", "Email/điện", "ntchan@soctrang.gov.vn"]),
    "plan": ("ke-hoach/stnmt-2023/index.html", ["trạng", "Đang", "Quá"]),
    "plan-sgddt": ("ke-hoach/sgddt-2023/index.html", ["trạng", "Chưa"]),
    "period": ("ky-bao-cao/2023-q1/index.html", ["lòng", "91,7", "100"]),
    "en-period": ("en/ky-bao-cao/2023-q1/index.html", ["satisfaction", "91.7%"]),
}


@pytest.mark.parametrize("name", PRINTED)
def test_printed_on_a4_nothing_is_cut_at_the_margin(open_page, tmp_path, name: str) -> None:
    import pdfplumber

    path, must_show = PRINTED[name]
    page = open_page(path, PRINTABLE_PX)
    page.emulate_media(media="print")
    fit = page.evaluate("""() => { const width = document.body.clientWidth;
      return {width, scroll: document.documentElement.scrollWidth,
              tables: Array.from(document.querySelectorAll('table')).filter((t) => t.scrollWidth > t.clientWidth + 1
                || t.getBoundingClientRect().right > width + 1).map((t) => t.className + ' ' + t.scrollWidth)}; }""")
    assert fit["scroll"] <= fit["width"] and not fit["tables"], f"{path} printed at {PRINTABLE_PX} px: {fit}"

    pdf = tmp_path / "page.pdf"
    margin = f"{MARGIN_IN}in"
    page.pdf(path=str(pdf), format="A4", margin={"top": margin, "bottom": margin, "left": margin, "right": margin})
    with pdfplumber.open(pdf) as document:
        text = "\n".join(p.extract_text() or "" for p in document.pages)
        outside = [(p.page_number, c["text"], round(c["x0"]), round(c["x1"])) for p in document.pages for c in p.chars
                   if c["x0"] < MARGIN_IN * 72 - 1 or c["x1"] > p.width - MARGIN_IN * 72 + 1]
        first = document.pages[0].extract_text()
    assert not outside, f"{path}: letters printed in the margin or beyond it: {outside[:10]}"
    missing = [word for word in must_show if word not in text.split()]
    assert not missing, f"{path}: not on paper: {missing}"
    # the printout says where the page lives and how recent its figures are
    assert BASE_URL + path.removesuffix("index.html") in first.replace("\n", "")
    as_of = "Data up to the end of Quarter I 2023" if path.startswith("en/") else "Số liệu đến hết Quý I năm 2023"
    assert as_of in " ".join(first.split())


# Every link and button of a table's header, reached with Tab on a phone: the header hidden there (each row's
# block names its columns) shows while the focus is in it. 45 focus stops of a province's indicator page had
# been invisible.
FOCUS_IN_HEADERS_JS = """
() => Array.from(document.querySelectorAll('thead a[href], thead button')).map((el) => {
  el.focus();
  const box = el.closest('thead').getBoundingClientRect();  // (a clipped header clips its links, not their boxes)
  return document.activeElement === el && box.width >= 8 && box.height >= 8 && box.right > 0
      && box.left < document.documentElement.clientWidth ? '' : `${el.textContent.trim()}: ${Math.round(box.left)},`
      + `${Math.round(box.top)} ${Math.round(box.width)}x${Math.round(box.height)}`;
}).filter(Boolean)
"""


@pytest.mark.parametrize("name", ["overview", "indicator", "period"])  # (the pages whose headers hold links)
def test_a_link_in_a_tables_header_is_seen_when_the_keyboard_reaches_it_on_a_phone(open_page, name: str) -> None:
    page = open_page(PAGES[name], 360)
    assert page.evaluate("() => document.querySelectorAll('thead a[href]').length") > 0
    assert page.evaluate(FOCUS_IN_HEADERS_JS) == []


# The focused element's boxes: each covered by the sticky link back to the top, or off the screen, counts.
FOCUS_COVERED_JS = """() => { const e = document.activeElement; if (!e || e === document.body) return '';
  const rects = Array.from(e.getClientRects()); if (!rects.length) return '';
  const hidden = rects.filter((b) => { const x = b.left + b.width / 2, y = b.top + b.height / 2;
    if (y < 0 || y > innerHeight || x < 0 || x > innerWidth) return true;
    const hit = document.elementFromPoint(x, y); return hit && hit.closest('.to-top') && !e.closest('.to-top'); });
  return hidden.length === rects.length ? e.textContent.trim().slice(0, 40) : ''; }"""


def test_tabbing_down_a_page_never_hides_the_focus_under_the_link_back_to_the_top(open_page) -> None:
    """Chromium scrolls a link the keyboard reaches just into view, where the sticky "Về đầu trang" link covered
    it whole (the home page's ranking figures, at 360 px)."""
    page = open_page(PAGES["overview"], 360, 740)
    hidden = []
    for stop in range(60):
        page.keyboard.press("Tab")
        if (covered := page.evaluate(FOCUS_COVERED_JS)):
            hidden.append((stop, covered))
    assert hidden == []
