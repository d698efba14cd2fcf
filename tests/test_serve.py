"""The preview server, run for real: live rebuilds, an error page that keeps the server alive, recovery."""
from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url: str) -> str:
    with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - 127.0.0.1 only
        return response.read().decode("utf-8")


def wait_for(url: str, predicate, timeout: float = 30.0) -> str:
    deadline = time.monotonic() + timeout
    last = ""
    while time.monotonic() < deadline:
        try:
            last = fetch(url)
            if predicate(last):
                return last
        except OSError:
            pass
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {url}; last page began: {last[:300]!r}")


@contextlib.contextmanager
def serving(root: Path, **environment: str):
    """`serve` of the project at `root` on a free port, with these environment variables: its address."""
    port = free_port()
    process = subprocess.Popen([sys.executable, str(ROOT / "build.py"), "serve", "--root", str(root),
                                "--port", str(port)], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                               stdin=subprocess.DEVNULL, env={**os.environ, **environment})
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


@pytest.fixture
def server(project_factory):
    root = project_factory(with_reports=True)
    with serving(root) as base:
        yield root, base


def test_edit_break_and_fix_a_report_while_serving(server) -> None:
    root, base = server
    page = f"{base}/stnmt/2023-q1/index.html"
    first = wait_for(page, lambda html: 'value="161"' in html)
    # the preview allows livereload's inline script by its hash, and nothing else inline
    assert "livereload.js" in first and "script-src &#39;self&#39; &#39;sha256-" in first
    report = root / "data" / "stnmt" / "2023-q1.yaml"
    original = report.read_text(encoding="utf-8")

    report.write_text(original.replace("case_files_received: 161", "case_files_received: 162"), encoding="utf-8")
    wait_for(page, lambda html: 'value="162"' in html)

    preview = root / ".preview"  # the preview's own folder: site/ is only ever what `build` wrote
    assert not (root / "site").exists()
    site_before = {p: p.read_bytes() for p in preview.rglob("*.html")}
    assert len(site_before) > 400
    report.write_text(original.replace("case_files_received: 161", "case_files_received: [1"), encoding="utf-8")
    error = wait_for(page, lambda html: "Lỗi dữ liệu" in html)
    assert "data/stnmt/2023-q1.yaml:" in error and "error E101" in error
    # every page shows the problems, the server is alive, and the preview's last good build is untouched
    assert "Lỗi dữ liệu" in fetch(f"{base}/index.html")
    assert {p: p.read_bytes() for p in preview.rglob("*.html")} == site_before

    report.write_text(original, encoding="utf-8")
    wait_for(page, lambda html: 'value="161"' in html and "Lỗi dữ liệu" not in html)


def test_serve_listens_on_loopback_only(server) -> None:
    _, base = server
    wait_for(f"{base}/index.html", lambda html: "Tổng quan" in html)
    assert base.startswith("http://127.0.0.1:")
    with pytest.raises(OSError):
        # nothing else answers: the server did not bind all interfaces on another address family
        urllib.request.urlopen(base.replace("127.0.0.1", "[::1]"), timeout=2)  # noqa: S310


def test_the_watcher_looks_often_while_looking_is_cheap() -> None:
    from reformdash.preview import check_interval

    # the bundled data is looked over in under a millisecond: every 0.1 s, not livereload's 0.8 s
    assert check_interval(0.0007) == 0.1
    # a 1× synthetic province (2 300 files) in 25 ms: every 0.5 s, so that looking stays 5 % of a core
    assert check_interval(0.025) == 0.5
    # never less often than livereload's own watcher
    assert check_interval(0.2) == 0.8


def test_files_that_keep_older_times_are_seen_added_moved_back_and_copied_over(server) -> None:
    """A report unzipped from an e-mail keeps the time it was written, a template moved away and back its own:
    livereload's watcher took a file it had not seen for new only when its time was after the server started."""
    root, base = server
    wait_for(f"{base}/index.html", lambda html: "Tổng quan" in html)
    long_ago = time.time() - 400 * 86400
    # a report added with an old time: its page is built
    source = (root / "data" / "stnmt" / "2023-q1.yaml").read_text(encoding="utf-8")
    added = root / "data" / "stnmt" / "2022-q1.yaml"
    added.write_text(source.replace("period: 2023-q1", "period: 2022-q1"), encoding="utf-8")
    os.utime(added, (long_ago, long_ago))
    wait_for(f"{base}/stnmt/2022-q1/index.html", lambda html: 'value="161"' in html)
    # a template moved away (the error shows), then moved back with its old time: the error goes
    template = root / "templates" / "report.html"
    os.utime(template, (long_ago, long_ago))
    template.rename(root / "report.html.bak")
    wait_for(f"{base}/stnmt/2023-q1/index.html", lambda html: "report.html" in html and "E9" in html)
    (root / "report.html.bak").rename(template)
    wait_for(f"{base}/stnmt/2023-q1/index.html", lambda html: 'value="161"' in html and "E9" not in html)


def test_files_added_at_once_are_one_change_to_the_watcher(tmp_path) -> None:
    """A folder of reports unzipped at once: livereload's own look stopped at the first new file, so each look
    found one more and the preview rebuilt once per file (100 files: 4.5 minutes of rebuilds)."""
    from reformdash.preview import _quick_watcher

    (tmp_path / "data" / "stnmt").mkdir(parents=True)
    rebuilds = []
    watcher = _quick_watcher(tmp_path)
    watcher.watch(str(tmp_path / "data"), lambda: rebuilds.append(1), delay="forever")
    watcher.examine()  # the first look: what is there is not a change
    for number in range(20):
        path = tmp_path / "data" / "stnmt" / f"20{number:02d}-q1.yaml"
        path.write_text("period: x\n", encoding="utf-8")
        os.utime(path, (1e9, 1e9))  # as unzipped: the time the file was written long ago
    for _ in range(3):
        watcher.examine()
    assert rebuilds == [1]
    for path in (tmp_path / "data" / "stnmt").iterdir():
        path.unlink()
    watcher.examine()
    assert rebuilds == [1, 1]


def test_the_watcher_looks_into_no_folder_twice_and_none_outside_the_project(tmp_path) -> None:
    """Two links back up made the watcher walk 2^40 paths in the server's only thread (the preview answered
    nobody); a link out of the project had it walk that folder at every look."""
    from reformdash.preview import _quick_watcher

    root = tmp_path / "p"
    (root / "data" / "stnmt").mkdir(parents=True)
    (root / "data" / "stnmt" / "2023-q1.yaml").write_text("period: x\n", encoding="utf-8")
    outside = tmp_path / "outside"
    (outside / "deep").mkdir(parents=True)
    (outside / "deep" / "2023-q1.yaml").write_text("period: x\n", encoding="utf-8")
    for name in ("len", "len2", "len3"):
        (root / "data" / "stnmt" / name).symlink_to("..")
    (root / "data" / "stnmt" / "tai-lieu").symlink_to(outside)
    rebuilds = []
    watcher = _quick_watcher(root)
    watcher.watch(str(root / "data"), lambda: rebuilds.append(1), delay="forever")
    started = time.perf_counter()
    watcher.examine()
    assert time.perf_counter() - started < 5  # (a bound for the loop only: it took forever)
    assert sorted(os.path.relpath(path, root) for path in watcher._task_mtimes) == [
        "data/stnmt/2023-q1.yaml"]
    (outside / "deep" / "2023-q1.yaml").write_text("period: y\n", encoding="utf-8")
    watcher.examine()
    assert rebuilds == []  # the build reads nothing there


def test_an_editors_lock_link_coming_and_going_is_a_change(tmp_path) -> None:
    """Emacs marks a file being edited with a link to nothing, ".#2023-q1.yaml": the build now passes it by, and
    the watcher sees it come and go (it looked at regular files only, so a build stopped by such a link was
    never made again once the link went)."""
    from reformdash.inputs.validate import report_paths
    from reformdash.preview import _quick_watcher

    (tmp_path / "data" / "stnmt").mkdir(parents=True)
    (tmp_path / "data" / "stnmt" / "2023-q1.yaml").write_text("period: x\n", encoding="utf-8")
    rebuilds = []
    watcher = _quick_watcher(tmp_path)
    watcher.watch(str(tmp_path / "data"), lambda: rebuilds.append(1), delay="forever")
    watcher.examine()
    lock = tmp_path / "data" / "stnmt" / ".#2023-q1.yaml"
    lock.symlink_to("clerk@pc.4242:1733000000")
    assert [p.name for p in report_paths(tmp_path / "data")] == ["2023-q1.yaml"]
    watcher.examine()
    assert rebuilds == [1]
    lock.unlink()
    watcher.examine()
    assert rebuilds == [1, 1]


def test_a_page_not_there_is_said_in_vietnamese_and_reloads_itself(project_factory) -> None:
    """A report's page open in the browser while its file is moved away: a plain "not found" without live reload
    stayed on the screen after the file came back."""
    root = project_factory(with_reports=True)
    with serving(root) as base:
        page = f"{base}/stnmt/2023-q1/index.html"
        wait_for(page, lambda html: 'value="161"' in html, timeout=60)
        with pytest.raises(urllib.error.HTTPError) as missing:
            urllib.request.urlopen(f"{base}/stnmt/2099-q1/index.html", timeout=10)
        assert missing.value.code == 404
        body = missing.value.read().decode("utf-8")
        assert "<h1>Không có trang này trong bản xem trước</h1>" in body and "/livereload.js" in body
        assert '<html lang="vi">' in body


def test_a_template_that_loops_without_end_is_shown_as_its_error_and_the_preview_goes_on(project_factory) -> None:
    """The preview rebuilds in its main thread, where the page deadline reaches: the loop is the template's
    error at its line in the browser, and putting the template back brings the pages back."""
    root = project_factory(with_reports=True)
    with serving(root, REFORMDASH_PAGE_SECONDS="2") as base:
        page = f"{base}/stnmt/2023-q1/index.html"
        wait_for(page, lambda html: 'value="161"' in html, timeout=60)
        template = root / "templates" / "report.html"
        original = template.read_text(encoding="utf-8")
        template.write_text(original.replace("{% block content %}", "{% block content %}"
                                             "{% for i in range(10 ** 15) %}{% endfor %}", 1), encoding="utf-8")
        error = wait_for(page, lambda html: "Lỗi dữ liệu" in html, timeout=60)
        assert "templates/report.html:" in error and "error E415" in error and "ran for more than 2 s" in error
        template.write_text(original, encoding="utf-8")
        wait_for(page, lambda html: 'value="161"' in html and "Lỗi dữ liệu" not in html, timeout=60)
