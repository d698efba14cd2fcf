"""Helpers for the browser and HTML tests: the test site, a quiet local server,
Debian's Chromium driven by Playwright, axe-core, and readable failure messages.

The site is built once per test session into a throw-away project (the bundled
reports, the SGDĐT 2023 plan, and a small second plan with status reports so that
the plans table has rows to sort and a plan page shows its overdue tasks and chart).
"""
from __future__ import annotations

import functools
import http.server
import os
import shutil
import threading
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest

TESTS = Path(__file__).resolve().parent
AXE_JS = TESTS / "vendor" / "axe.min.js"
CHROMIUM = "/usr/bin/chromium"
# Nothing leaves the machine: names resolve to nothing but 127.0.0.1 (see ../shared/TOOLCHAIN.md).
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-features=NetworkTimeServiceQuerying",
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
]
INSTALL_HINT = (
    "The browser tests need Debian's Chromium at /usr/bin/chromium and Playwright for Python. "
    "Install them with:\n"
    "    apt-get update && apt-get install -y chromium\n"
    "    pip install playwright\n"
    "(or python3 -m pip install '.[test]'). Never run `playwright install`: the tests use "
    "Debian's browser, not a downloaded one.")
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

# One page of each type, by the name the tests print.
PAGES = {
    "overview": "index.html",
    "department": "stnmt/index.html",
    "report": "stnmt/2023-q1/index.html",
    "indicator": "chi-tieu/outgoing-documents-total/index.html",
    "period": "ky-bao-cao/2023-q1/index.html",
    "plans": "ke-hoach/index.html",
    "plan": "ke-hoach/sgddt-2023/index.html",
    "plan-with-statuses": "ke-hoach/stnmt-2023/index.html",
    "departments": "don-vi/index.html",
    "indicators": "chi-tieu/index.html",
    "periods": "ky-bao-cao/index.html",
    "about": "gioi-thieu/index.html",
    "quality": "chat-luong-so-lieu/index.html",
    "releases": "phat-hanh/index.html",
    "search": "tim-kiem/index.html",
    # the English version of the page types that differ most (numbers, charts, Vietnamese-only text)
    "en-overview": "en/index.html",
    "en-report": "en/stnmt/2023-q1/index.html",
    "en-indicator": "en/chi-tieu/outgoing-documents-total/index.html",
    "en-plan-with-statuses": "en/ke-hoach/stnmt-2023/index.html",
    "en-search": "en/tim-kiem/index.html",
}
# Pages that must show at least one chart.
PAGES_WITH_CHARTS = ("department", "indicator", "plan-with-statuses", "en-indicator", "en-plan-with-statuses")


# ---------------------------------------------------------------- the test site

def make_test_project(root: Path) -> Path:
    """A throw-away project: the bundled reports and plan, plus a second, small plan
    (the test fixture's, given to STNMT) with two status reports."""
    from conftest import ROOT, make_project

    make_project(root, with_reports=True)
    for name in ("plan-2023.yaml", "units.yaml"):
        (root / "data" / "sgddt").mkdir(parents=True, exist_ok=True)
        shutil.copy(ROOT / "data" / "sgddt" / name, root / "data" / "sgddt" / name)
    fixture = TESTS / "fixtures" / "plan-project" / "data" / "sgddt"
    for name in ("plan-2023.yaml", "plan-2023-status-2023-q1.yaml", "plan-2023-status-2023-h1.yaml"):
        text = (fixture / name).read_text(encoding="utf-8")
        (root / "data" / "stnmt" / name).write_text(
            text.replace("department: sgddt", "department: stnmt"), encoding="utf-8")
    return root


@functools.cache
def _built(base: Path) -> Path:
    from reformdash.pipeline import Project, build

    root = make_test_project(base / "project")
    build(Project.at(root))
    return root / "site"


def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The test site's site/ folder, built once per session whichever test asks first."""
    return _built(tmp_path_factory.getbasetemp() / "browser-site")


# ---------------------------------------------------------------- the server

class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map,
                      ".woff2": "font/woff2", ".svg": "image/svg+xml", ".js": "text/javascript",
                      ".css": "text/css", ".html": "text/html; charset=utf-8"}

    def log_message(self, format, *args):  # noqa: A002 - the base class's name
        pass


class SiteServer:
    """Serves a folder on 127.0.0.1 at an ephemeral port from a thread."""

    def __init__(self, directory: Path) -> None:
        handler = functools.partial(_QuietHandler, directory=str(directory))
        self._server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self._server.daemon_threads = True
        host, port = self._server.server_address[:2]
        self.origin = f"http://{host}:{port}"
        self._thread = threading.Thread(target=self._server.serve_forever, name="site-server", daemon=True)
        self._thread.start()

    def url(self, path: str) -> str:
        return f"{self.origin}/{path}"

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)


# ---------------------------------------------------------------- the browser

def missing_browser() -> str | None:
    """Why the browser tests cannot run here, or None."""
    problems = []
    if not Path(CHROMIUM).is_file():
        problems.append(f"{CHROMIUM} is missing.")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError as error:
        problems.append(f"Playwright for Python is missing ({error}).")
    return " ".join(problems) + "\n" + INSTALL_HINT if problems else None


class _Shared:
    """One Playwright and one browser per process: Playwright's sync API cannot run two at
    once in a thread, so every Chromium() of a test session uses these, started on first use
    and stopped when the last user closes."""

    playwright = None
    browser = None
    users = 0
    relaunched = 0  # how many times Chromium had gone away and was started again
    problem: str | None = None

    @classmethod
    def start(cls):
        if cls.browser is not None and not cls.browser.is_connected():
            # Chromium went away mid-session (once seen on a machine just restored from a snapshot: every
            # later test then failed with "browser has been closed"). The test that was running has failed;
            # the ones after it get a new browser.
            cls.browser = None
            cls.relaunched += 1
        if cls.browser is None and cls.problem is None:
            cls.problem = missing_browser()
            if cls.problem is None:
                try:
                    from playwright.sync_api import sync_playwright

                    if cls.playwright is None:
                        cls.playwright = sync_playwright().start()
                    # (without the fonts.conf the chart drawing sets for this process when it draws here: it
                    # lists no font, and Chromium aborts on it as it loads a page)
                    env = {name: value for name, value in os.environ.items()
                           if not (name == "FONTCONFIG_FILE" and "reformdash-fontconfig" in value)}
                    cls.browser = cls.playwright.chromium.launch(
                        executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True, env=env)
                except Exception as error:  # a browser that will not start: say why, and how to install
                    cls.problem = f"Chromium could not be started: {error}\n{INSTALL_HINT}"
                    cls.stop()
        if cls.problem is not None:
            pytest.fail(cls.problem, pytrace=False)
        return cls.browser

    @classmethod
    def stop(cls) -> None:
        if cls.browser is not None:
            cls.browser.close()
            cls.browser = None
        if cls.playwright is not None:
            cls.playwright.stop()
            cls.playwright = None


class Chromium:
    """Debian's Chromium, started on first use. When it cannot be started, each test
    that uses it fails (never skips) with the way to install it. Instances share one
    browser (see _Shared); close() closes this instance's pages."""

    def __init__(self) -> None:
        self._using = False
        self._contexts: dict[tuple[bool, bool], object] = {}
        self._contexts_of = None  # the browser they were made in

    @property
    def browser(self):
        browser = _Shared.start()
        if not self._using:
            self._using = True
            _Shared.users += 1
        return browser

    def new_page(self, width: int = 1280, height: int = 800, javascript: bool = True, bypass_csp: bool = False):
        """A fresh page (in a context shared by the tests with the same settings: they keep no state)."""
        key = (javascript, bypass_csp)
        browser = self.browser
        if self._contexts and self._contexts_of is not browser:
            self._contexts.clear()  # they belonged to a browser that went away
        self._contexts_of = browser
        if key not in self._contexts:
            context = browser.new_context(java_script_enabled=javascript, bypass_csp=bypass_csp,
                                          service_workers="block")
            context.set_default_timeout(15_000)
            self._contexts[key] = context
        page = self._contexts[key].new_page()
        page.set_viewport_size({"width": width, "height": height})
        return page

    def close(self) -> None:
        if self._contexts:
            from playwright.sync_api import Error as PlaywrightError

            for context in self._contexts.values():
                try:
                    context.close()
                except PlaywrightError:
                    pass  # its browser went away
        self._contexts.clear()
        if self._using:
            self._using = False
            _Shared.users -= 1
            if _Shared.users == 0:
                _Shared.stop()


@dataclass
class PageLog:
    """What a page said and asked for while it loaded."""

    origin: str
    console: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    bad_status: list[str] = field(default_factory=list)
    foreign: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)

    def attach(self, page) -> "PageLog":
        page.on("console", self._on_console)
        page.on("pageerror", lambda error: self.page_errors.append(str(error)))
        page.on("requestfailed", lambda request: self.failed.append(f"{request.url} ({request.failure})"))
        page.on("response", self._on_response)
        page.on("request", self._on_request)
        return self

    def _on_console(self, message) -> None:
        if message.type in ("error", "warning"):
            where = message.location or {}
            self.console.append(f"{message.type}: {message.text} "
                                f"[{where.get('url', '')}:{where.get('lineNumber', '')}]")

    def _on_response(self, response) -> None:
        if response.status >= 400:
            self.bad_status.append(f"{response.status} {response.url}")

    def _on_request(self, request) -> None:
        self.requests.append(request.url)
        parts = urlsplit(request.url)
        if parts.scheme in ("data", "blob", "about"):
            return
        if f"{parts.scheme}://{parts.netloc}" != self.origin:
            self.foreign.append(request.url)

    def problems(self) -> list[str]:
        return ([f"console {m}" for m in self.console] + [f"uncaught error: {e}" for e in self.page_errors]
                + [f"request failed: {r}" for r in self.failed] + [f"HTTP {r}" for r in self.bad_status]
                + [f"request to another origin: {r}" for r in self.foreign])


# ---------------------------------------------------------------- axe-core

def run_axe(page) -> list[dict]:
    page.add_script_tag(path=str(AXE_JS))
    result = page.evaluate(
        "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
        AXE_TAGS)
    return result["violations"]


def format_violations(violations: list[dict], limit: int = 8) -> str:
    lines = []
    for v in violations:
        lines.append(f"- {v['id']} ({v.get('impact')}): {v['help']} [{', '.join(t for t in v['tags'] if t.startswith('wcag'))}]"
                     f"\n  {v['helpUrl']}")
        for node in v["nodes"][:limit]:
            target = " ".join(" > ".join(t) if isinstance(t, list) else t for t in node["target"])
            lines.append(f"    at {target}\n       {node['html'][:300]}")
            summary = (node.get("failureSummary") or "").replace("\n", "\n         ")
            if summary:
                lines.append(f"         {summary}")
        if len(v["nodes"]) > limit:
            lines.append(f"    ... and {len(v['nodes']) - limit} more elements")
    return "\n".join(lines)


# ---------------------------------------------------------------- keyboard

FOCUS_STATE_JS = """
(el) => {
  const s = getComputedStyle(el);
  const r = el.getBoundingClientRect();
  return {
    tag: el.tagName.toLowerCase(),
    id: el.id || '',
    cls: (el.getAttribute('class') || ''),
    text: (el.innerText || el.getAttribute('aria-label') || '').trim().replace(/\\s+/g, ' ').slice(0, 60),
    href: el.getAttribute('href') || '',
    outlineStyle: s.outlineStyle, outlineWidth: parseFloat(s.outlineWidth) || 0, outlineColor: s.outlineColor,
    boxShadow: s.boxShadow, borderColor: s.borderColor, backgroundColor: s.backgroundColor,
    textDecoration: s.textDecorationLine,
    focused: document.activeElement === el, focusVisible: el.matches(':focus-visible'),
    box: {x: r.x, y: r.y, width: r.width, height: r.height},
    viewport: {width: window.innerWidth, height: window.innerHeight},
  };
}
"""


def describe(state: dict) -> str:
    name = state["tag"] + (f"#{state['id']}" if state["id"] else "") + (
        "." + ".".join(state["cls"].split()) if state["cls"] else "")
    return f"<{name}> {state['text']!r}" + (f" href={state['href']!r}" if state["href"] else "")


def shows_focus(focused: dict, unfocused: dict) -> bool:
    """Does the element look different when focused: an outline, or a box shadow, that it lacks otherwise?"""
    outline = (focused["outlineStyle"] not in ("none", "hidden") and focused["outlineWidth"] >= 1
               and "rgba(0, 0, 0, 0)" not in focused["outlineColor"]
               and (focused["outlineStyle"], focused["outlineWidth"], focused["outlineColor"])
               != (unfocused["outlineStyle"], unfocused["outlineWidth"], unfocused["outlineColor"]))
    shadow = focused["boxShadow"] not in ("none", "") and focused["boxShadow"] != unfocused["boxShadow"]
    return outline or shadow


# One round trip per Tab: the element focused now, and how the one focused before looks now that it is not.
_STEP_JS = "() => { const state = " + FOCUS_STATE_JS.strip() + """;
  const previous = window.__tabStopPrevious || null, active = document.activeElement;
  window.__tabStopPrevious = active;
  return {now: state(active), before: previous && previous !== active ? state(previous) : null};
}"""


def tab_stops(page, count: int) -> list[tuple[dict, dict]]:
    """Press Tab `count` times from the top of the page; for each element reached,
    its look while focused and once focus has moved on."""
    stops = []
    current = None
    for _ in range(count + 1):
        page.keyboard.press("Tab")
        step = page.evaluate(_STEP_JS)
        if current is not None:
            stops.append((current, step["before"] or step["now"]))
        if len(stops) == count or step["now"]["tag"] == "body":  # enough, or Tab has left the document
            break
        current = step["now"]
    return stops
