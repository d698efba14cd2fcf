"""The preview server: build, serve site/ on 127.0.0.1, rebuild on every change.

A build that fails does not stop the server: every page then shows the
problems (file:line:column, message, hint) until a fixed file brings the
site back by itself. The previous site/ stays on disk untouched meanwhile.
"""
from __future__ import annotations

import base64
import dataclasses
import hashlib
import mimetypes
import threading
import time
from dataclasses import dataclass, field
from typing import Callable, Iterable

from .charts import start_drawers
from .pipeline import Project, build
from .problems import BuildFailed, Origin, Problem, Severity
from .render import PUBLISHED_CSP, make_environment

# The inline script livereload 2.7 puts before </head>; the preview's policy allows
# exactly this script by its hash, and the published site allows no inline script.
LIVERELOAD_SNIPPET = ('(function(){var s=document.createElement("script");var port=%s;'
                      's.src="//"+window.location.hostname+":"+port+ "/livereload.js?port=" + port;'
                      'document.head.appendChild(s);})();')


LIVERELOAD_PORT = "(window.location.port || (window.location.protocol == 'https:' ? 443: 80))"


def preview_csp(host: str, port: int) -> str:
    script = LIVERELOAD_SNIPPET % LIVERELOAD_PORT
    digest = base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()
    return PUBLISHED_CSP.replace("script-src 'self'", f"script-src 'self' 'sha256-{digest}'").replace(
        "connect-src 'self'", f"connect-src 'self' ws://{host}:{port}")


@dataclass
class PreviewState:
    """What the server shows: the site, or the problems of the last failed build."""

    problems: list[Problem] = field(default_factory=list)
    failed: bool = False
    builds: int = 0
    last_seconds: float = 0.0
    lock: threading.Lock = field(default_factory=threading.Lock)


class Preview:
    def __init__(self, project: Project, host: str, port: int, log: Callable[[str], None] = print):
        self.project = dataclasses.replace(project, csp=preview_csp(host, port))
        self.state = PreviewState()
        self.log = log
        self.error_env = make_environment(project.templates_dir, csp=self.project.csp)

    def rebuild(self) -> None:
        started = time.perf_counter()
        with self.state.lock:
            try:
                result = build(self.project)
            except BuildFailed as failure:
                self.state.failed, self.state.problems = True, failure.problems
                self.log(f"build failed: {sum(p.severity.value == 'error' for p in failure.problems)} error(s); "
                         "the browser shows them")
            except Exception as exc:  # a bug, or a template error: show it, keep serving
                self.state.failed = True
                self.state.problems = [Problem(Severity.ERROR, "E900", f"the build stopped: {exc!r}", Origin("build"),
                                               "fix the template or report this as a bug")]
                self.log(f"build stopped: {exc!r}")
            else:
                self.state.failed, self.state.problems = False, result.problems.sorted()
                self.log(f"rebuilt {result.pages} pages ({result.files_written} files changed, "
                         f"{result.charts_drawn} charts drawn) in {time.perf_counter() - started:.2f} s")
            self.state.builds += 1
            self.state.last_seconds = time.perf_counter() - started

    def error_page(self) -> bytes:
        errors_first = sorted(self.state.problems, key=lambda p: (p.severity is not Severity.ERROR, p.sort_key()))
        html = self.error_env.get_template("preview-error.html").render(problems=errors_first)
        return html.encode("utf-8")

    def wsgi(self, environ: dict, start_response) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "/")
        site = self.project.site_dir.resolve()
        target = (site / path.lstrip("/")).resolve()
        if target.is_dir():
            target = target / "index.html"
        if site != target and site not in target.parents:
            start_response("404 Not Found", [("Content-Type", "text/plain; charset=utf-8")])
            return [b"not found"]
        if self.state.failed and target.suffix in (".html", ""):
            body = self.error_page()
            start_response("200 OK", [("Content-Type", "text/html; charset=utf-8"),
                                      ("Cache-Control", "no-store")])
            return [body]
        if not target.is_file():
            start_response("404 Not Found", [("Content-Type", "text/plain; charset=utf-8")])
            return [b"not found"]
        kind = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
        if kind.startswith("text/") or kind in ("application/javascript", "image/svg+xml"):
            kind += "; charset=utf-8"
        start_response("200 OK", [("Content-Type", kind), ("Cache-Control", "no-store")])
        return [target.read_bytes()]


# How often the watcher looks for saved files: livereload's own watcher looks every 0.8 s whatever it costs. Ours
# looks as often as a look stays a small share of one core (5 %), at most every 0.1 s and at least every 0.8 s:
# the bundled data is looked over in about a millisecond, a 1× synthetic province (2 300 files) in 25 ms.
QUICKEST_CHECK, SLOWEST_CHECK, CHECK_SHARE = 0.1, 0.8, 0.05


def check_interval(look_seconds: float) -> float:
    """Seconds until the next look for saved files, given how long the last look took."""
    return min(SLOWEST_CHECK, max(QUICKEST_CHECK, look_seconds / CHECK_SHARE))


def _quick_watcher():
    """livereload's polling watcher, looking at the files as often as `check_interval` says.

    It takes over the polling through `Watcher.start`, livereload's place for a watcher that finds changes
    its own way (its inotify watcher uses it too); the looking, and what a change runs, stay livereload's.
    """
    from livereload.watcher import Watcher
    from tornado.ioloop import IOLoop

    class QuickWatcher(Watcher):
        def start(self, callback: Callable[[], None]) -> bool:
            loop = IOLoop.current()
            look_seconds = 0.0

            def look() -> None:
                nonlocal look_seconds
                started = time.perf_counter()
                try:
                    callback()  # looks, and runs the rebuild when a file changed
                finally:
                    if self.filepath is None:  # nothing changed: the time was the look's alone
                        look_seconds = time.perf_counter() - started
                    loop.call_later(check_interval(look_seconds), look)
            loop.call_later(QUICKEST_CHECK, look)
            return True

    return QuickWatcher()


def serve(project: Project, host: str = "127.0.0.1", port: int = 8000, log: Callable[[str], None] = print) -> None:
    """Build, then serve with live reload until interrupted."""
    from livereload import Server

    from livereload.handlers import LiveReloadHandler

    # Chart workers that stay up for every rebuild: vl-convert starts once, not on each saved file.
    start_drawers(project.processes)
    preview = Preview(project, host, port, log)
    preview.rebuild()
    server = Server(app=preview.wsgi, watcher=_quick_watcher())

    def rebuild_and_reload() -> None:
        preview.rebuild()
        # Reload after every rebuild ourselves: livereload's own reload skips changes
        # that come within 3 s of the previous one, which would leave a stale page.
        LiveReloadHandler.reload_waiters(path="*")

    for folder in (project.data_dir, project.content_dir, project.templates_dir, project.assets_dir):
        if folder.is_dir():
            server.watch(str(folder), rebuild_and_reload, delay="forever")
    log(f"serving http://{host}:{port}/ (Ctrl+C to stop)")
    server.serve(host=host, port=port, debug=False, restart_delay=0)
