"""The built site in a real browser (Debian's Chromium through Playwright): one page of
each type loads cleanly, charts are drawn with and without JavaScript, everything works
with the keyboard, and axe-core finds no WCAG 2.1 A/AA violation at 1280 and 360 px.

Where Chromium or Playwright is missing these tests fail, saying how to install them.
"""
from __future__ import annotations

import pytest

from browser_support import (
    FOCUS_STATE_JS, PAGES, PAGES_WITH_CHARTS, Chromium, PageLog, SiteServer, built_site, describe,
    format_violations, missing_browser, run_axe, shows_focus, tab_stops)

WIDTHS = {"desktop": 1280, "phone": 360}


@pytest.fixture(scope="session")
def server(tmp_path_factory):
    server = SiteServer(built_site(tmp_path_factory))
    yield server
    server.close()


@pytest.fixture(scope="session")
def chromium():
    browser = Chromium()
    yield browser
    browser.close()


@pytest.fixture
def visit(chromium, server):
    """visit(page name, width=..., javascript=..., ...) -> (page, log): the page loaded,
    with what it logged and requested while loading."""
    opened = []

    def visit(name: str, width: int = 1280, javascript: bool = True, height: int = 800,
              bypass_csp: bool = False, settle: bool = False):
        page = chromium.new_page(width=width, height=height, javascript=javascript, bypass_csp=bypass_csp)
        opened.append(page)
        log = PageLog(server.origin).attach(page)
        response = page.goto(server.url(PAGES[name]), wait_until="load")
        assert response is not None and response.status == 200, f"{PAGES[name]}: {response and response.status}"
        if settle:
            page.wait_for_load_state("networkidle")
        return page, log

    yield visit
    for page in opened:
        page.close()


def test_chromium_and_playwright_are_installed() -> None:
    problem = missing_browser()
    assert problem is None, problem


# ---------------------------------------------------------------- loading

@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
@pytest.mark.parametrize("name", PAGES)
def test_page_loads_without_errors_or_outside_requests(visit, name: str, javascript: bool) -> None:
    page, log = visit(name, javascript=javascript, settle=True)  # late requests (fonts, icons) too
    assert not log.problems(), f"{PAGES[name]}:\n" + "\n".join(log.problems())
    assert any(url.endswith("/assets/css/site.css") for url in log.requests), log.requests


# ---------------------------------------------------------------- charts

CHARTS_JS = """
() => Array.from(document.querySelectorAll('.chart-svg')).map((holder) => {
  const svg = holder.querySelector('svg');
  const box = svg ? svg.getBoundingClientRect() : null;
  const style = svg ? getComputedStyle(svg) : null;
  return {
    label: (holder.getAttribute('aria-label') || '').slice(0, 80),
    svg: !!svg,
    width: box ? box.width : 0, height: box ? box.height : 0,
    visible: !!style && style.display !== 'none' && style.visibility !== 'hidden',
    marks: svg ? svg.querySelectorAll('path, rect, line, circle, text').length : 0,
  };
})
"""


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
@pytest.mark.parametrize("name", PAGES_WITH_CHARTS)
def test_charts_are_drawn(visit, name: str, javascript: bool) -> None:
    page, _ = visit(name, javascript=javascript)
    charts = page.evaluate(CHARTS_JS)
    assert charts, f"{PAGES[name]} shows no chart"
    broken = [c for c in charts if not (c["svg"] and c["visible"] and c["width"] > 0 and c["height"] > 0
                                        and c["marks"] > 0)]
    assert not broken, f"{PAGES[name]}: charts not drawn: {broken}"


CHART_TEXTS_JS = """
async () => {
  await document.fonts.ready;
  return Array.from(document.querySelectorAll('.chart-svg svg text')).map((text) => {
    const style = getComputedStyle(text);
    return {text: text.textContent, size: parseFloat(style.fontSize), weight: style.fontWeight,
            width: text.getComputedTextLength()};
  });
}
"""


def measured_at_build(text: str, size: float, weight: str) -> float:
    """The width vl-convert gave `text` when it laid the chart out: a lone text mark, drawn
    100 times larger so that the whole-pixel size of the drawing gives two decimals."""
    from reformdash.output import charts

    drawing = charts._vl().vega_to_scenegraph({
        "width": 0, "height": 0, "padding": 0, "autosize": "pad",
        "marks": [{"type": "text", "encode": {"enter": {
            "text": {"value": text}, "font": {"value": charts.FONT_FAMILY}, "fontSize": {"value": size * 100},
            "fontWeight": {"value": "bold" if weight == "700" else "normal"},
            "align": {"value": "left"}, "x": {"value": 0}, "y": {"value": 0}}}}]})
    return drawing["width"] / 100


@pytest.mark.parametrize("name", ["indicator", "en-plan-with-statuses", "department"])
def test_the_browser_draws_chart_text_as_wide_as_it_was_measured(visit, name: str) -> None:
    """Labels placed for one font and drawn in another overlap or leave gaps: the site must
    serve the very font that vl-convert measured with (Liberation Sans, built into it)."""
    page, _ = visit(name)
    texts = page.evaluate(CHART_TEXTS_JS)
    assert len(texts) > 5, texts
    assert any(not t["text"].isascii() for t in texts) or name.startswith("en-"), "no Vietnamese letter to check"
    off = [(t["text"], t["size"], t["weight"], round(t["width"], 2), measured_at_build(t["text"], t["size"], t["weight"]))
           for t in texts[:60] if t["text"].strip()]
    off = [o for o in off if abs(o[3] - o[4]) > 0.2 + 0.005 * o[4]]
    assert not off, f"{PAGES[name]}: (text, size, weight, browser width, build width): {off}"


# ---------------------------------------------------------------- keyboard

def on_screen(state: dict) -> bool:
    """Inside the viewport (give or take a pixel of line-box rounding when the browser scrolls it into view)."""
    box, viewport = state["box"], state["viewport"]
    return (box["width"] > 0 and box["height"] > 0 and box["x"] >= -1 and box["y"] >= -1
            and box["x"] + box["width"] <= viewport["width"] + 1 and box["y"] + box["height"] <= viewport["height"] + 1)


@pytest.mark.parametrize("width", WIDTHS.values(), ids=WIDTHS.keys())
@pytest.mark.parametrize("name", PAGES)
def test_the_skip_link_comes_first_and_goes_to_the_content(visit, name: str, width: int) -> None:
    page, _ = visit(name, width=width)
    page.keyboard.press("Tab")
    skip = page.evaluate_handle("document.activeElement").evaluate(FOCUS_STATE_JS)
    assert skip["href"] == "#main" and "skip" in skip["cls"].split(), (
        f"{PAGES[name]}: the first Tab reaches {describe(skip)}, not the skip link")
    assert on_screen(skip), f"{PAGES[name]}: the focused skip link is not on screen: {skip['box']}"
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#main"
    main = page.evaluate("""() => {
      const main = document.getElementById('main');
      return {top: main.getBoundingClientRect().top,
              room: document.documentElement.scrollHeight - (main.getBoundingClientRect().top + window.scrollY),
              height: window.innerHeight};
    }""")
    if main["room"] >= main["height"]:  # the page is long enough to scroll the content to the top
        assert abs(main["top"]) <= 1, f"{PAGES[name]}: #main is not scrolled to the top: {main}"
    page.keyboard.press("Tab")
    after = page.evaluate_handle("document.activeElement").evaluate(FOCUS_STATE_JS)
    where = page.evaluate("""() => {
      const main = document.getElementById('main'), active = document.activeElement;
      const afterMain = (el) => main.contains(el) || !!(main.compareDocumentPosition(el) & Node.DOCUMENT_POSITION_FOLLOWING);
      const focusable = 'a[href], button, summary, input, select, textarea, [tabindex]:not([tabindex="-1"])';
      return {inside: afterMain(active),
              anyAfter: Array.from(document.querySelectorAll(focusable)).some(afterMain),
              header: !!active.closest('header')};
    }""")
    if where["anyAfter"]:
        assert where["inside"], f"{PAGES[name]}: after the skip link, Tab goes to {describe(after)}, not into #main"
    else:  # nothing to focus in or after #main: Tab leaves the page, and never lands in the header
        assert not where["header"], f"{PAGES[name]}: after the skip link, Tab goes back to {describe(after)}"


@pytest.mark.parametrize("name", PAGES)
def test_tab_reaches_the_main_navigation(visit, name: str) -> None:
    page, _ = visit(name)
    links = page.eval_on_selector_all("header.site nav a", "els => els.map(e => e.getAttribute('href'))")
    assert links, f"{PAGES[name]} has no main navigation"
    reached = [focused["href"] for focused, _ in tab_stops(page, 2 + len(links))]
    assert reached[0] == "#main", reached
    assert reached[2:] == links, f"{PAGES[name]}: Tab reaches {reached}, the navigation is {links}"


@pytest.mark.parametrize("name, count", [(name, 40 if name.endswith("report") else 15) for name in PAGES])
def test_every_focused_element_shows_it(visit, name: str, count: int) -> None:
    page, _ = visit(name)
    stops = tab_stops(page, count)
    assert len(stops) >= min(count, 8), f"{PAGES[name]}: only {len(stops)} tab stops"
    invisible = [f"{describe(focused)}: outline {focused['outlineStyle']} {focused['outlineWidth']}px "
                 f"{focused['outlineColor']}, box-shadow {focused['boxShadow']} (unfocused: outline "
                 f"{unfocused['outlineStyle']} {unfocused['outlineWidth']}px, box-shadow {unfocused['boxShadow']})"
                 for focused, unfocused in stops if not shows_focus(focused, unfocused)]
    assert not invisible, f"{PAGES[name]}: no visible focus indicator on:\n" + "\n".join(invisible)
    offscreen = [describe(focused) for focused, _ in stops if not on_screen(focused)]
    assert not offscreen, f"{PAGES[name]}: focused elements not on screen:\n" + "\n".join(offscreen)


ROWS_JS = """
(column) => Array.from(document.querySelectorAll('table#plans tbody tr')).map((row) => {
  const cell = row.children[column];
  return [row.children[0].textContent.trim(), cell.getAttribute('data-value') || cell.textContent.trim()];
})
"""


def focus_sort_button(page, label: str, limit: int = 60) -> dict:
    for _ in range(limit):
        page.keyboard.press("Tab")
        state = page.evaluate_handle("document.activeElement").evaluate(FOCUS_STATE_JS)
        if state["tag"] == "button" and "sort" in state["cls"].split() and state["text"].startswith(label):
            return state
    raise AssertionError(f"Tab never reaches the sort button “{label}” of the plans table")


def aria_sort(page) -> dict[str, str]:
    return dict(page.eval_on_selector_all(
        "table#plans thead th", "ths => ths.map(th => [th.textContent.trim(), th.getAttribute('aria-sort')])"))


@pytest.mark.parametrize("key", ["Enter", " "], ids=["enter", "space"])
def test_the_plans_table_sorts_from_the_keyboard(visit, key: str) -> None:
    page, _ = visit("plans")
    initial = page.evaluate(ROWS_JS, 0)
    assert len(initial) >= 2, f"the plans table needs two rows to show sorting: {initial}"
    assert all(value == "none" for value in aria_sort(page).values()), aria_sort(page)

    # By department name: ascending, then descending.
    button = focus_sort_button(page, "Đơn vị")
    other = page.locator("table#plans button.sort").nth(1).evaluate(FOCUS_STATE_JS)
    assert shows_focus(button, other), f"the focused sort button looks like the others: {button} {other}"
    page.keyboard.press(key)
    names = [name for name, _ in page.evaluate(ROWS_JS, 0)]
    assert names == sorted(names, key=str.casefold), names
    assert aria_sort(page)["Đơn vị"] == "ascending", aria_sort(page)
    page.keyboard.press(key)
    names_down = [name for name, _ in page.evaluate(ROWS_JS, 0)]
    assert names_down == list(reversed(names)), names_down
    assert aria_sort(page)["Đơn vị"] == "descending", aria_sort(page)

    # The next header button, by number of tasks (a numeric column): the order follows the numbers.
    focus_sort_button(page, "Số nhiệm vụ", limit=3)
    page.keyboard.press(key)
    tasks = [float(value) for _, value in page.evaluate(ROWS_JS, 2)]
    assert tasks == sorted(tasks), tasks
    state = aria_sort(page)
    assert state["Số nhiệm vụ"] == "ascending" and state["Đơn vị"] == "none", state
    page.keyboard.press(key)
    tasks_down = [float(value) for _, value in page.evaluate(ROWS_JS, 2)]
    assert tasks_down == sorted(tasks, reverse=True), tasks_down
    assert aria_sort(page)["Số nhiệm vụ"] == "descending"
    assert page.evaluate("document.activeElement.textContent").startswith("Số nhiệm vụ"), "the sort button lost focus"


# ---------------------------------------------------------------- accessibility

@pytest.mark.parametrize("width", WIDTHS.values(), ids=WIDTHS.keys())
@pytest.mark.parametrize("name", PAGES)
def test_axe_finds_no_wcag_21_a_or_aa_violation(visit, name: str, width: int) -> None:
    # The published pages forbid inline script (Content-Security-Policy); axe is injected as one.
    page, _ = visit(name, width=width, bypass_csp=True)
    violations = run_axe(page)
    assert not violations, (f"{PAGES[name]} at {width} px: {len(violations)} axe-core violation(s) of WCAG 2.1 A/AA:\n"
                            + format_violations(violations))


@pytest.mark.parametrize("name", PAGES)
def test_pages_reflow_at_320_css_px_without_sideways_scrolling(visit, name: str) -> None:
    """WCAG 1.4.10: at 320 px wide the page itself never scrolls sideways (a wide table
    may scroll inside its own box)."""
    page, _ = visit(name, width=320)
    overflow = page.evaluate("""() => {
      const width = document.documentElement.clientWidth;
      const wide = Array.from(document.querySelectorAll('body *')).filter((el) => {
        const r = el.getBoundingClientRect();
        if (r.width === 0 || r.right <= width + 1) return false;
        for (let p = el.parentElement; p; p = p.parentElement) {
          const o = getComputedStyle(p).overflowX;
          if (o === 'auto' || o === 'scroll' || o === 'hidden' || o === 'clip') return false;
        }
        return true;
      });
      return {scrollWidth: document.documentElement.scrollWidth, width,
              wide: wide.slice(0, 5).map((el) => el.tagName.toLowerCase() + (el.className ? '.' + el.className : '')
                                          + ' ' + Math.round(el.getBoundingClientRect().right))};
    }""")
    assert overflow["scrollWidth"] <= overflow["width"], f"{PAGES[name]} scrolls sideways at 320 px: {overflow}"


def _chromium_started_here() -> list[int]:
    """The main process of each Chromium that this test process started (through Playwright's driver)."""
    import os

    parent, name = {}, {}
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            try:
                stat = open(f"/proc/{entry.name}/stat", encoding="utf-8", errors="replace").read()
            except OSError:
                continue  # ended meanwhile
            pid = int(entry.name)
            name[pid] = stat[stat.index("(") + 1:stat.rindex(")")]
            parent[pid] = int(stat[stat.rindex(")") + 2:].split()[1])

    def under_us(pid: int) -> bool:
        while pid > 1:
            pid = parent.get(pid, 0)
            if pid == os.getpid():
                return True
        return False
    return [pid for pid in name if name[pid].startswith("chrom") and not name.get(parent[pid], "").startswith("chrom")
            and under_us(pid)]


def test_a_browser_that_went_away_is_started_again_for_the_next_tests(chromium) -> None:
    # The tests share one Chromium; when it dies mid-run, the test running fails and the ones after it
    # must still run (once, 171 of them failed with "browser has been closed" after one crash).
    import os
    import signal
    import time

    from playwright.sync_api import Error as PlaywrightError

    from browser_support import _Shared

    before = _Shared.relaunched
    page = chromium.new_page()
    page.set_content("<p>before</p>")
    started = _chromium_started_here()
    assert len(started) == 1, started
    os.kill(started[0], signal.SIGKILL)  # the Chromium these tests started, by its PID
    # The test that was running fails (Playwright's synchronous API learns of the crash only in a call).
    deadline = time.monotonic() + 15
    while _Shared.browser.is_connected() and time.monotonic() < deadline:
        with pytest.raises(PlaywrightError, match="closed"):
            page.set_content("<p>during</p>")
    assert not _Shared.browser.is_connected()
    page = chromium.new_page()
    page.set_content("<p>after</p>")
    assert page.text_content("p") == "after"
    assert _Shared.relaunched == before + 1
    assert len(_chromium_started_here()) == 1
