"""Trust: the preview, run for real, answers only requests addressed to itself (no DNS rebinding), live reload
only to its own pages; its rebuilds take turns with other commands; a bad port or Ctrl+C is one clear line."""
from __future__ import annotations

import http.client
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from test_serve import free_port, wait_for

ROOT = Path(__file__).resolve().parent.parent
REFUSED = "the preview answers only at http://127.0.0.1:{port}/ and http://localhost:{port}/\n"


def start(root: Path, port: int) -> subprocess.Popen:
    # SIGINT as a terminal's Ctrl+C delivers it (a shell may start a child with it ignored)
    return subprocess.Popen([sys.executable, str(ROOT / "build.py"), "serve", "--root", str(root), "--port", str(port)],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                            env={**os.environ}, preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    from conftest import make_project

    root = make_project(tmp_path_factory.mktemp("serve-trust") / "p")
    port = free_port()
    process = start(root, port)
    try:
        wait_for(f"http://127.0.0.1:{port}/index.html", lambda html: "Tổng quan" in html, timeout=120)
        yield root, port
    finally:
        stop(process)


def get(port: int, host: str, path: str = "/index.html") -> tuple[int, str]:
    """A GET to the preview on 127.0.0.1 with the Host header a browser would send for `host`."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.putrequest("GET", path, skip_host=True)
        connection.putheader("Host", host)
        connection.endheaders()
        response = connection.getresponse()
        return response.status, response.read().decode("utf-8")
    finally:
        connection.close()


def websocket_status(port: int, origin: str, host: str | None = None, more: str = "") -> str:
    """The status line the preview answers a live-reload websocket handshake with."""
    request = (f"GET /livereload HTTP/1.1\r\nHost: {host or f'127.0.0.1:{port}'}\r\nUpgrade: websocket\r\n"
               "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
               f"Origin: {origin}\r\n{more}\r\n")
    with socket.create_connection(("127.0.0.1", port), timeout=10) as connection:
        connection.sendall(request.encode())
        answer = b""
        while b"\r\n" not in answer:
            chunk = connection.recv(4096)
            if not chunk:
                break
            answer += chunk
    return answer.split(b"\r\n", 1)[0].decode()


def test_the_preview_answers_only_its_own_names(server) -> None:
    _, port = server
    for host in (f"127.0.0.1:{port}", f"localhost:{port}", f"[::1]:{port}", f"LocalHost:{port}"):
        status, page = get(port, host)
        assert status == 200 and "Tổng quan" in page, host
    # a page of another site, its name rebound to 127.0.0.1, sends its own name
    for host in (f"attacker.example:{port}", "attacker.example", f"127.0.0.1.attacker.example:{port}",
                 "127.0.0.1", f"localhost:{port + 1}", ""):
        assert get(port, host) == (403, REFUSED.format(port=port)), host
        assert get(port, host, "/livereload.js") == (403, REFUSED.format(port=port)), host
    assert get(port, f"attacker.example:{port}", "/du-lieu/gia-tri-2023.csv") == (403, REFUSED.format(port=port))


def test_live_reload_accepts_only_the_previews_own_pages(server) -> None:
    _, port = server
    assert websocket_status(port, f"http://127.0.0.1:{port}") == "HTTP/1.1 101 Switching Protocols"
    assert websocket_status(port, f"http://localhost:{port}", f"localhost:{port}") == "HTTP/1.1 101 Switching Protocols"
    for origin in (f"http://attacker.example:{port}", "https://attacker.example", "null", f"http://127.0.0.1:{port + 1}",
                   f"https://127.0.0.1:{port}"):
        assert websocket_status(port, origin) == "HTTP/1.1 403 Forbidden", origin
    # what a browser sends from a rebound name: tornado would take it as same-origin
    assert websocket_status(port, f"http://attacker.example:{port}", more="Sec-Fetch-Site: same-origin\r\n") == \
        "HTTP/1.1 403 Forbidden"
    # the preview's own origin, but addressed under another name
    assert websocket_status(port, f"http://127.0.0.1:{port}", f"attacker.example:{port}") == "HTTP/1.1 403 Forbidden"


def test_a_rebuild_waits_its_turn_and_the_browser_says_so(server) -> None:
    from reformdash.lock import project_lock

    root, port = server
    page = f"http://127.0.0.1:{port}/index.html"
    site = root / "data" / "site.yaml"
    original = site.read_text(encoding="utf-8")
    with project_lock(root, "build"):
        site.write_text(original + "\n# đã sửa\n", encoding="utf-8")
        busy = wait_for(page, lambda html: "E910" in html)
        assert f"<code>.cache/lock</code>: <strong>error E910</strong>: `build` (process {os.getpid()}, since " in busy
        assert "is writing to this project<br><span class=\"hint\">Gợi ý: the preview builds again when it has " \
               "ended</span>" in busy
    # once the other command has ended, the preview builds again by itself
    wait_for(page, lambda html: "Tổng quan" in html and "E910" not in html)


def test_a_port_out_of_range_is_a_usage_error() -> None:
    run = subprocess.run([sys.executable, str(ROOT / "build.py"), "serve", "--port", "99999"],
                         capture_output=True, text=True, timeout=60)
    assert run.returncode == 2
    assert run.stderr.splitlines()[-1] == ("build.py serve: error: argument --port: 99999 is not a port number: give "
                                           "a number from 1 to 65535")


def test_a_port_in_use_is_one_line(project_factory) -> None:
    root = project_factory()
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        run = subprocess.run([sys.executable, str(ROOT / "build.py"), "serve", "--root", str(root),
                              "--port", str(port)], capture_output=True, text=True, timeout=120)
    assert run.returncode == 1
    assert run.stdout == ""
    assert run.stderr == (f"serve: port {port} is already in use (another preview or program listens on it); "
                          f"stop that one, or give another port: --port {port + 1}\n")
    assert not (root / "site").exists() and not (root / ".preview").exists()  # said before any build


@pytest.mark.parametrize("stop_signal, code, said", [
    (signal.SIGINT, 130, "serve: stopped (Ctrl+C)"),
    # (a service stopped: it had been reported as Ctrl+C, exit 130)
    (signal.SIGTERM, 143, "serve: stopped (SIGTERM); the published site and the data files are as they were before "
                          "this run"),
])
def test_ctrl_c_or_a_sigterm_stops_the_preview_with_a_short_line(project_factory, stop_signal, code, said) -> None:
    root = project_factory()
    port = free_port()
    process = start(root, port)
    try:
        wait_for(f"http://127.0.0.1:{port}/index.html", lambda html: "Tổng quan" in html, timeout=120)
        process.send_signal(stop_signal)
        output, _ = process.communicate(timeout=30)
    finally:
        stop(process)
    assert process.returncode == code
    text = output.decode("utf-8")
    assert "Traceback" not in text
    assert text.endswith(f"\n{said}\n")


def test_ctrl_c_during_the_first_build_is_a_short_line_too(project_factory) -> None:
    root = project_factory(with_reports=True)
    process = start(root, free_port())
    try:
        time.sleep(1.5)  # the first build of the bundled reports is under way
        process.send_signal(signal.SIGINT)
        output, _ = process.communicate(timeout=60)
    finally:
        stop(process)
    assert process.returncode == 130
    text = output.decode("utf-8")
    assert "Traceback" not in text and text.endswith("\nserve: stopped (Ctrl+C)\n")
