"""The preview server: build into the preview folder, serve it on 127.0.0.1, rebuild on every change.

A build that fails does not stop the server: every page then shows the
problems (file:line:column, message, hint) until a fixed file brings the
site back by itself. The previous build stays on disk untouched meanwhile.

The preview shows figures not yet released, so it answers only requests
addressed to 127.0.0.1 or localhost, and live reload only to its own pages: a
web page the clerk visits could otherwise reach it under a name of its own
(DNS rebinding) and read it. Each rebuild holds the project's lock, as a build
or a release does; while another command holds it, the browser says so and
the preview tries again.
"""
from __future__ import annotations

import base64
import dataclasses
import errno
import hashlib
import mimetypes
import os
import socket
import stat
import threading
import time
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Callable, Iterable
from urllib.parse import parse_qs

from .output.charts import start_drawers
from .collection import CLEAN, ERRORS, MISSING, WARNINGS, Collection, collection, default_period, read_project
from .inputs.fields import closest
from .lock import ProjectBusy, project_lock
from .model import Period
from .pipeline import Project, Session, build
from .problems import BuildFailed, Origin, Problem, Severity
from .output.render import PUBLISHED_CSP, make_environment

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
    busy: bool = False  # the last rebuild found another command writing to the project
    builds: int = 0
    last_seconds: float = 0.0
    lock: threading.Lock = field(default_factory=threading.Lock)


# The staff's page of who has sent what for a period: answered by the preview from the data as they are,
# never written into a build's folder, so `build` never publishes it and no sitemap or index lists it.
STATUS_PATHS = ("/thu-thap", "/thu-thap/", "/thu-thap/index.html")
STATUS_TEMPLATE = "collection.html"
# each state's words on the page, and the site's badge that shows it
STATES = {MISSING: ("Chưa gửi", "status-not_reported"), ERRORS: ("Có lỗi", "status-overdue"),
          WARNINGS: ("Cảnh báo", "status-not_started"), CLEAN: ("Hợp lệ", "status-done")}


@dataclass(frozen=True)
class StatusPage:
    found: Collection | None  # None for a period data/periods.yaml does not list
    periods: tuple[Period, ...]  # every period, the newest first, to choose from
    asked: str  # the period asked for (?period=), empty for the default
    near: str  # the closest period ID to an unknown one
    states: dict[str, tuple[str, str]]


class Preview:
    def __init__(self, project: Project, host: str, port: int, log: Callable[[str], None] = print):
        self.project = dataclasses.replace(project, csp=preview_csp(host, port))
        self.state = PreviewState()
        self.session = Session()  # (what each rebuild keeps for the next: see pipeline.Session)
        self.log = log
        self.error_env = make_environment(project.templates_dir, csp=self.project.csp)

    def rebuild(self) -> None:
        started = time.perf_counter()
        with self.state.lock:
            self.state.busy = False
            try:
                with project_lock(self.project.root, "serve", wait=LOCK_WAIT):
                    result = build(self.project, session=self.session)
            except ProjectBusy as busy:
                self.state.failed = self.state.busy = True
                who = str(busy).split("; ")[0]  # the holder, without the advice meant for a command line
                self.state.problems = [Problem(Severity.ERROR, "E910", who, Origin(".cache/lock"),
                                               "the preview builds again when it has ended")]
                self.log(f"not rebuilt: {who}; trying again in {BUSY_RETRY:g} s")
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

    def error_page(self, problems: list[Problem] | None = None) -> bytes:
        """The problems of the last build (or `problems`), errors first."""
        shown = self.state.problems if problems is None else problems
        errors_first = sorted(shown, key=lambda p: (p.severity is not Severity.ERROR, p.sort_key()))
        html = self.error_env.get_template("preview-error.html").render(problems=errors_first)
        return html.encode("utf-8")

    def status_page(self, query: str) -> tuple[str, bytes]:
        """The staff's page of who has sent what (`build.py status`), made afresh at each request: live reload
        asks for it again after every rebuild. Shown even while the build fails, when it matters most."""
        try:
            catalogue, problems = read_project(self.project, self.session)
            asked = parse_qs(query).get("period", [""])[-1]
            period = catalogue.periods.get(asked) if asked else default_period(catalogue, date.today())
            found = collection(self.project, catalogue, problems, period) if period is not None else None
            # made anew, as a build makes its own: an edited template shows at the next request
            env = make_environment(self.project.templates_dir, csp=self.project.csp)
            page = StatusPage(found, tuple(reversed(catalogue.periods_in_order())), asked,
                              closest(asked, catalogue.periods) if asked else "", STATES)
            html = env.get_template(STATUS_TEMPLATE).render(ctx=page)
        except BuildFailed as failure:  # the catalogue (or templates/) cannot be read: its problems
            return "200 OK", self.error_page(failure.problems)
        except Exception as exc:  # a bug, or a template error: show it, keep serving
            return "200 OK", self.error_page([Problem(Severity.ERROR, "E900", f"the page stopped: {exc!r}",
                                                      Origin(f"templates/{STATUS_TEMPLATE}"),
                                                      "fix the template or report this as a bug")])
        return ("200 OK" if found is not None else "404 Not Found"), html.encode("utf-8")

    def not_found(self, path: str, start_response) -> list[bytes]:
        """A page that is not there, in the site's language, with live reload: a report's page open in the browser
        while its file is moved away comes back by itself when the file does."""
        try:
            body = self.error_env.get_template("preview-not-found.html").render(path=path).encode("utf-8")
            kind = "text/html; charset=utf-8"
        except Exception:  # (a project whose templates/ lacks it, or has a mistake in it: a word still answers)
            body, kind = "Không có trang này (not found)\n".encode("utf-8"), "text/plain; charset=utf-8"
        start_response("404 Not Found", [("Content-Type", kind), ("Cache-Control", "no-store")])
        return [body]

    def wsgi(self, environ: dict, start_response) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "/")
        if path in STATUS_PATHS:
            status, body = self.status_page(environ.get("QUERY_STRING", ""))
            start_response(status, [("Content-Type", "text/html; charset=utf-8"), ("Cache-Control", "no-store")])
            return [body]
        site = self.project.site_dir.resolve()
        try:
            target = (site / path.lstrip("/")).resolve()
            if target.is_dir():
                target = target / "index.html"
            inside = site == target or site in target.parents
        except (ValueError, OSError):  # a NUL byte, a name too long: no such page
            inside = False
        if not inside:
            return self.not_found(path, start_response)
        if self.state.failed and target.suffix in (".html", ""):
            body = self.error_page()
            start_response("200 OK", [("Content-Type", "text/html; charset=utf-8"),
                                      ("Cache-Control", "no-store")])
            return [body]
        if not target.is_file():
            return self.not_found(path, start_response)
        kind = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
        if kind.startswith("text/") or kind in ("application/javascript", "image/svg+xml"):
            kind += "; charset=utf-8"
        start_response("200 OK", [("Content-Type", kind), ("Cache-Control", "no-store")])
        return [target.read_bytes()]


# A rebuild waits this long for another command's lock (the server answers nobody meanwhile), then shows
# that the project is busy and tries again after BUSY_RETRY seconds.
LOCK_WAIT, BUSY_RETRY = 1.0, 2.0

LOOPBACK_NAMES = ("127.0.0.1", "localhost", "[::1]")
_ANY_ADDRESS = ("", "0.0.0.0", "::")


def allowed_hosts(host: str, port: int) -> frozenset[str]:
    """The Host headers the preview answers: a loopback name with the port, and the address it listens on."""
    names = set(LOOPBACK_NAMES)
    if host not in _ANY_ADDRESS:
        names.add(f"[{host}]" if ":" in host else host)
    return frozenset(f"{name}:{port}".lower() for name in names) | (
        frozenset(name.lower() for name in names) if port == 80 else frozenset())


def allowed_origins(host: str, port: int) -> frozenset[str]:
    """The origins of the pages that may open the live-reload websocket: the preview's own."""
    return frozenset(f"http://{name}" for name in allowed_hosts(host, port))


def refusal(host: str, port: int) -> bytes:
    return f"the preview answers only at http://127.0.0.1:{port}/ and http://localhost:{port}/\n".encode()


class CannotListen(Exception):
    """The preview's port cannot be listened on; the message says why and what to do."""


def listen(host: str, port: int) -> list[socket.socket]:
    """The sockets the preview will serve on, opened before the first build so a port in use is said at once."""
    from tornado.netutil import bind_sockets

    try:
        return bind_sockets(port, address=host)
    except OSError as error:
        if error.errno == errno.EADDRINUSE:
            raise CannotListen(f"port {port} is already in use (another preview or program listens on it); "
                               f"stop that one, or give another port: --port {port + 1 if port < 65535 else 8000}"
                               ) from None
        if error.errno == errno.EACCES:
            raise CannotListen(f"port {port} needs administrator rights; give a port from 1024 up: "
                               "--port 8000") from None
        raise CannotListen(f"cannot listen on {host}:{port}: {error.strerror or error}; "
                           "leave --host out to serve on 127.0.0.1") from None


def _application(wsgi: Callable, host: str, port: int):
    """livereload's routes (its websocket, its script, then every page from `wsgi`), answering only requests
    addressed to the preview itself and live reload only to its own pages."""
    from livereload.handlers import LiveReloadHandler, LiveReloadJSHandler
    from livereload.server import LiveScriptContainer
    from tornado import web

    hosts, origins = allowed_hosts(host, port), allowed_origins(host, port)

    def refused(handler: web.RequestHandler, why: bytes | None = None) -> bool:
        if why is None and handler.request.host.lower() in hosts:
            return False
        handler.set_status(403)
        handler.set_header("Content-Type", "text/plain; charset=utf-8")
        handler.finish(why or refusal(host, port))
        return True

    class Socket(LiveReloadHandler):
        def prepare(self) -> None:
            # Decided here, not only in check_origin: tornado skips that for a request the browser calls
            # same-origin, which a rebound name is.
            origin = self.request.headers.get("Origin")
            if not refused(self) and origin is not None and origin.lower() not in origins:
                refused(self, b"live reload serves only the preview's own pages\n")

        def check_origin(self, origin: str) -> bool:
            return origin.lower() in origins

    class Script(LiveReloadJSHandler):
        def prepare(self) -> None:
            refused(self)

    class Pages(web.FallbackHandler):
        def prepare(self) -> None:
            if not refused(self):
                super().prepare()

    script = f'<script type="text/javascript">{LIVERELOAD_SNIPPET % LIVERELOAD_PORT}</script>'.encode()
    return web.Application([(r"/livereload", Socket), (r"/livereload.js", Script),
                            (r".*", Pages, {"fallback": LiveScriptContainer(wsgi, script)})])


# How often the watcher looks for saved files: livereload's own watcher looks every 0.8 s whatever it costs. Ours
# looks as often as a look stays a small share of one core (5 %), at most every 0.1 s and at least every 0.8 s:
# the bundled data is looked over in about a millisecond, a 1× synthetic province (2 300 files) in 25 ms.
QUICKEST_CHECK, SLOWEST_CHECK, CHECK_SHARE = 0.1, 0.8, 0.05


def check_interval(look_seconds: float) -> float:
    """Seconds until the next look for saved files, given how long the last look took."""
    return min(SLOWEST_CHECK, max(QUICKEST_CHECK, look_seconds / CHECK_SHARE))


def _folder_identity(path: str) -> tuple[int, int] | None:
    try:
        info = os.stat(path)
    except OSError:
        return None
    return info.st_dev, info.st_ino


def _enter(folder: str, seen: set, within: str) -> bool:
    """Whether the watcher looks into a folder: one not looked into yet in this look, inside the project."""
    identity = _folder_identity(folder)
    if identity is None or identity in seen:
        return False
    seen.add(identity)
    real = os.path.realpath(folder)
    return real == within or real.startswith(within + os.sep)


def _quick_watcher(root: Path):
    """livereload's polling watcher, looking at the files as often as `check_interval` says.

    It takes over the polling through `Watcher.start`, livereload's place for a watcher that finds changes
    its own way (its inotify watcher uses it too); the looking, and what a change runs, stay livereload's.
    """
    from livereload.watcher import Watcher
    from tornado.ioloop import IOLoop

    within = os.path.realpath(root)

    class QuickWatcher(Watcher):
        # livereload takes a file it has not seen for a change only when its modification time is after the server
        # started, and compares modification times alone: a report unzipped from an e-mail, copied with its times
        # (cp -p) or a template moved back into place kept its older time and was never rebuilt. Here a file that
        # appears after the first look is a change whatever its times, and a file changes when its modification
        # time, size, inode or status-change time does.
        _looked: set = set()

        def is_changed(self, path, ignore=None):
            self._first_look = path not in self._looked
            try:
                return super().is_changed(path, ignore)
            finally:
                self._looked = self._looked | {path}

        def is_folder_changed(self, path, ignore=None):
            # Every file looked at, not only those up to the first change (livereload's way): a hundred reports
            # unzipped at once are one change, one rebuild, not a hundred rebuilds one after the other.
            # Folder links are followed (the build reads a department's folder linked into data/), but no folder
            # twice and none outside the project: two links back up (data/x/a -> .., data/x/b -> ..) made 2^40
            # paths, and the server's only thread walked them at full speed, answering nobody.
            changed = False
            seen = {_folder_identity(path)}
            for folder, folders, files in os.walk(path, followlinks=True):
                folders[:] = [name for name in folders if name not in self.ignored_dirs
                              and _enter(os.path.join(folder, name), seen, within)]
                for name in files:
                    changed = self.is_file_changed(os.path.join(folder, name), ignore) or changed
            return changed

        def is_file_changed(self, path, ignore=None):
            if self.ignore(path) or (ignore and ignore(path)):
                return False
            try:
                status = os.stat(path)
            except OSError:
                status = None
            if status is None or not stat.S_ISREG(status.st_mode):
                # A link to nothing (an editor's lock file), a pipe: the build refuses such a file, so its coming
                # and going is a change too (the link's own status)
                try:
                    status = os.lstat(path)
                except OSError:
                    return False
                if not stat.S_ISLNK(status.st_mode):
                    return False
            signature = (status.st_mtime_ns, status.st_size, status.st_ino, status.st_ctime_ns)
            known = self._task_mtimes.get(path)
            self._new_mtimes[path] = signature
            if known == signature or (known is None and self._first_look):
                return False
            self.filepath = path
            return True

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
    """Build, then serve with live reload until interrupted (Ctrl+C: KeyboardInterrupt, or a plain return).

    CannotListen when the port cannot be listened on; BuildFailed when templates/ cannot be read safely."""
    from livereload import Server
    from livereload.handlers import LiveReloadHandler
    from tornado.httpserver import HTTPServer
    from tornado.ioloop import IOLoop

    sockets = listen(host, port)

    class LocalServer(Server):
        def application(self, port: int, host: str, liveport=None, debug=None, live_css: bool = True) -> None:
            LiveReloadHandler.watcher, LiveReloadHandler.live_css = self.watcher, live_css
            HTTPServer(_application(self.app, host, port)).add_sockets(sockets)

    preview = Preview(project, host, port, log)
    # Chart workers that stay up for every rebuild: vl-convert starts once, not on each saved file.
    start_drawers(project.processes)
    server = LocalServer(app=preview.wsgi, watcher=_quick_watcher(project.root))
    retry_pending = False

    def retry_when_busy() -> None:
        nonlocal retry_pending
        if preview.state.busy and not retry_pending:  # one retry waiting at a time, however many saves
            retry_pending = True
            IOLoop.current().call_later(BUSY_RETRY, retried)

    def retried() -> None:
        nonlocal retry_pending
        retry_pending = False
        rebuild_and_reload()

    def rebuild_and_reload() -> None:
        preview.rebuild()
        # Reload after every rebuild ourselves: livereload's own reload skips changes
        # that come within 3 s of the previous one, which would leave a stale page.
        LiveReloadHandler.reload_waiters(path="*")
        retry_when_busy()

    for folder in (project.data_dir, project.content_dir, project.templates_dir, project.assets_dir):
        if folder.is_dir():
            server.watch(str(folder), rebuild_and_reload, delay="forever")
    # The watcher's first look, before the first build: a file saved while that build runs is a change to it.
    server.watcher.examine()
    preview.rebuild()
    retry_when_busy()
    log(f"serving http://{host}:{port}/ (Ctrl+C to stop)")
    server.serve(host=host, port=port, debug=False, restart_delay=0)
