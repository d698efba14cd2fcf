"""Publishing under faults and mistakes: the output folder is never a source, the published folder is
always a whole site (the old one or the new one), and two writers never run at once."""
from __future__ import annotations

import os
import random
import resource
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from conftest import ROOT

BUILD = [sys.executable, str(ROOT / "build.py")]


def tree(directory: Path) -> dict[str, bytes]:
    return {p.relative_to(directory).as_posix(): p.read_bytes() for p in sorted(directory.rglob("*")) if p.is_file()}


def run(root: Path, *args: str, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run([*BUILD, "--root", str(root), *args], cwd=root, capture_output=True, text=True,
                          stdin=subprocess.DEVNULL, timeout=300, **kwargs)


def edit_about(root: Path, text: str) -> None:
    about = root / "content" / "gioi-thieu.md"
    about.write_text(f"# Giới thiệu\n\n{text}\n", encoding="utf-8")


OUTPUTS = [
    ("data", "data: error E902: the output folder 'data' is the project's data/ folder or lies in it: a build "
             "replaces its output whole"),
    ("content", "content: error E902: the output folder 'content' is the project's content/ folder or lies in it: "
                "a build replaces its output whole"),
    ("templates/site", "templates/site: error E902: the output folder 'templates/site' is the project's templates/ "
                       "folder or lies in it: a build replaces its output whole"),
    ("assets", "assets: error E902: the output folder 'assets' is the project's assets/ folder or lies in it: a "
               "build replaces its output whole"),
    (".git", ".git: error E902: the output folder '.git' is the project's .git/ folder or lies in it: a build "
             "replaces its output whole"),
    (".", ".: error E901: the output folder '.' is the project's folder or holds it: building there would delete "
          "the project"),
    ("..", "..: error E901: the output folder '..' is the project's folder or holds it: building there would "
           "delete the project"),
    ("site/../data", "site/../data: error E902: the output folder 'site/../data' is the project's data/ folder or "
                     "lies in it: a build replaces its output whole"),
    ("notes", "notes: error E905: the output folder 'notes' is not empty and was not written by a build (it has "
              "no .reformdash-site file); it would be deleted"),
    ("notes/todo.txt", "notes/todo.txt: error E903: the output folder 'notes/todo.txt' exists and is not a folder"),
]


@pytest.mark.parametrize("out, expected", OUTPUTS, ids=[o for o, _ in OUTPUTS])
def test_an_output_folder_that_is_not_the_builds_own_is_refused_and_left_as_it_was(out, expected,
                                                                                  project_factory) -> None:
    root = project_factory()
    (root / ".git").mkdir()
    (root / ".git" / "HEAD").write_text("ref: refs/heads/main\n", encoding="utf-8")
    (root / "notes").mkdir()
    (root / "notes" / "todo.txt").write_text("việc cần làm\n", encoding="utf-8")
    before = tree(root)
    result = run(root, "--out", out)
    assert result.returncode == 1
    assert result.stderr.splitlines()[0] == expected
    assert "Traceback" not in result.stderr
    after = tree(root)
    assert after.pop(".cache/lock") == b""  # the lock, released
    assert after == before  # not one file of the project touched, and no site written


def test_a_new_an_empty_or_an_earlier_builds_folder_is_used(project_factory, tmp_path) -> None:
    root = project_factory()
    (tmp_path / "empty").mkdir()
    for out in (tmp_path / "new" / "site", tmp_path / "empty"):
        assert run(root, "--out", str(out)).returncode == 0
        assert (out / ".reformdash-site").is_file() and (out / "index.html").is_file()
    edit_about(root, "Lần thứ hai.")
    assert run(root, "--out", str(tmp_path / "empty")).returncode == 0  # its own marker: replaced
    assert "Lần thứ hai." in (tmp_path / "empty" / "gioi-thieu" / "index.html").read_text(encoding="utf-8")


def test_a_symlink_in_assets_that_leaves_the_project_is_an_error_and_nothing_is_published(project_factory,
                                                                                         tmp_path) -> None:
    root = project_factory()
    secret = tmp_path / "secret.txt"
    secret.write_text("mật khẩu", encoding="utf-8")
    (root / "assets" / "secret.txt").symlink_to(secret)
    os.mkfifo(root / "assets" / "pipe.css")
    result = run(root)
    assert result.returncode == 1
    assert result.stderr.splitlines()[:4] == [
        "assets/pipe.css: error E907: 'assets/pipe.css' is not a regular file (a pipe, socket or device)",
        "    hint: remove it from assets/",
        f"assets/secret.txt: error E906: 'assets/secret.txt' is a link to a file outside the project ({secret}); "
        "it would be published",
        "    hint: copy the file into assets/ instead of linking it"]
    assert not (root / "site").exists()


def test_kills_during_the_swap_always_leave_a_whole_old_or_new_site(project_factory) -> None:
    """20 builds killed at random moments around the swap: site/ is always there, and always one whole site."""
    root = project_factory()
    edit_about(root, "Bản 0.")
    assert run(root).returncode == 0
    published = tree(root / "site")
    rng = random.Random(21)
    killed = 0
    for attempt in range(1, 21):
        edit_about(root, f"Bản {attempt}.")
        process = subprocess.Popen([*BUILD, "--root", str(root), "-q"], stdin=subprocess.DEVNULL,
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 120
        # the marker is the last file put into the new site: the swap follows at once
        marker = f"{root}/.site.tmp-{process.pid}/.reformdash-site"
        while process.poll() is None and time.monotonic() < deadline:
            if os.path.exists(marker):
                time.sleep(rng.uniform(0, 0.002))
                process.kill()
                killed += 1
                break
        process.wait()
        now = tree(root / "site")
        about = now["gioi-thieu/index.html"].decode("utf-8")
        if f"Bản {attempt}." in about:  # the new site made it: it must be whole
            assert now.keys() == published.keys()
            published = now
        else:
            assert now == published  # not one byte of the old site changed
    assert killed >= 5  # (on a busy machine a build can finish between two looks)
    # what the kills left is swept; the site the last build replaced is kept as the next build's spare
    assert run(root).returncode == 0
    assert sorted(p.name for p in root.glob(".site.*")) == [".site.spare"]


def test_a_reader_never_finds_site_missing_or_partial_during_rebuilds(project_factory) -> None:
    root = project_factory()
    assert run(root).returncode == 0
    stop, seen = threading.Event(), {"reads": 0, "missing": []}

    def read_continuously() -> None:
        while not stop.is_set():
            for page in ("index.html", "gioi-thieu/index.html", ".reformdash-site"):
                if not (root / "site" / page).is_file():
                    seen["missing"].append(page)
            seen["reads"] += 1

    reader = threading.Thread(target=read_continuously)
    reader.start()
    try:
        for attempt in range(20):
            edit_about(root, f"Lần {attempt}.")
            assert run(root, "-q").returncode == 0
    finally:
        stop.set()
        reader.join()
    assert seen["missing"] == [] and seen["reads"] > 100


def test_two_builds_at_once_publish_one_whole_site_after_the_other(project_factory) -> None:
    """20 times, two builds started together: the second waits for the first; the site at the end is the
    second's whole, and neither removed the other's work."""
    root = project_factory()
    assert run(root).returncode == 0
    for attempt in range(20):
        edit_about(root, f"Trước {attempt}.")
        first = subprocess.Popen([*BUILD, "--root", str(root), "-q"], stdin=subprocess.DEVNULL,
                                 stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        time.sleep(0.02 * (attempt % 5))
        second = subprocess.Popen([*BUILD, "--root", str(root), "-q"], stdin=subprocess.DEVNULL,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        errors = [first.communicate(timeout=120)[1], second.communicate(timeout=120)[1]]
        assert [first.returncode, second.returncode] == [0, 0], errors
        assert not any("Traceback" in e for e in errors)
        site = tree(root / "site")
        assert f"Trước {attempt}." in site["gioi-thieu/index.html"].decode("utf-8")
        assert len(site) > 800 and not list(root.glob(".site.*tmp-*"))


def test_a_second_build_that_cannot_wait_says_who_holds_the_project(project_factory) -> None:
    from reformdash.lock import project_lock

    root = project_factory()
    with project_lock(root, "release"):
        result = run(root, env={**os.environ, "REFORMDASH_LOCK_WAIT": "0.2"})
    assert result.returncode == 1
    first = result.stderr.splitlines()[0]
    assert first.startswith(f"build: `release` (process {os.getpid()}, since ") and first.endswith(
        ") is writing to this project; wait until it ends, then run this command again")
    assert not (root / "site").exists()


def test_a_full_disk_ends_in_one_message_and_leaves_the_site_as_it_was(project_factory, tmp_path) -> None:
    root = project_factory()
    assert run(root).returncode == 0
    published = tree(root / "site")
    edit_about(root, "Không chỗ trống.")

    def small_files() -> None:  # writing past 20 kB fails as a full disk does
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (20_000, 20_000))

    result = run(root, preexec_fn=small_files, env={**os.environ, "REFORMDASH_CACHE_DIR": str(tmp_path / "cache")})
    assert result.returncode == 1
    assert result.stderr.splitlines()[-2:] == [
        "build: File too large; the file grew past the size this system allows; free space or raise the limit",
        "build: the published site and the data files are as they were before this run"]
    assert tree(root / "site") == published and not list(root.glob(".site.*"))


def interruptible() -> None:
    """In the child before it runs the build: Ctrl+C as a terminal gives it. A process inherits an ignored or blocked
    SIGINT across exec, and this test process may have one then (an earlier test's workers ignore it, and a spawn
    blocks it for a moment), which would leave the build deaf to it."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})


@pytest.mark.parametrize("stop, to_group, code, said", [
    (signal.SIGINT, True, 130, "interrupted"),  # a terminal's Ctrl+C: to the whole process group, workers included
    (signal.SIGTERM, False, 143, "stopped (SIGTERM)"),  # `timeout`, a CI job cancelled: to the build alone
    (signal.SIGTERM, True, 143, "stopped (SIGTERM)"),  # a service stopped: to every process of it
])
def test_ctrl_c_or_a_sigterm_throws_the_build_away_says_so_and_exits(project_factory, tmp_path, stop, to_group, code,
                                                                      said) -> None:
    """A SIGTERM had ended the build with no word of its own and the workers' BrokenPipeError tracebacks."""
    root = project_factory(with_reports=True)
    (root / "site").mkdir()
    (root / "site" / ".reformdash-site").write_bytes(b"")
    (root / "site" / "index.html").write_text("trang cũ", encoding="utf-8")
    published = tree(root / "site")
    for attempt in range(3):  # (a build that ends before the interrupt reaches it is tried again, from scratch)
        # as a terminal's Ctrl+C does: SIGINT to the whole process group, workers included
        process = subprocess.Popen([*BUILD, "--root", str(root)], start_new_session=True, stdin=subprocess.DEVNULL,
                                   stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                                   env={**os.environ, "REFORMDASH_CACHE_DIR": str(tmp_path / f"cache-{attempt}")},
                                   preexec_fn=interruptible)
        deadline = time.monotonic() + 60
        while not any(root.glob(".site.tmp-*")) and time.monotonic() < deadline and process.poll() is None:
            time.sleep(0.01)
        time.sleep(0.5)  # charts are being drawn by the workers
        if process.poll() is None:
            break
        process.communicate(timeout=60)
        shutil.rmtree(root / "site")  # (the build was published: the hand-made site again, for the next try)
        for leftover in root.glob(".site.*"):
            shutil.rmtree(leftover)
        (root / "site").mkdir()
        (root / "site" / ".reformdash-site").write_bytes(b"")
        (root / "site" / "index.html").write_text("trang cũ", encoding="utf-8")
    if to_group:
        os.killpg(process.pid, stop)
    else:
        process.send_signal(stop)
    stderr = process.communicate(timeout=60)[1]
    assert process.returncode == code
    assert stderr.strip().splitlines()[-1] == (
        f"build: {said}; the published site and the data files are as they were before this run")
    assert "Traceback" not in stderr
    assert tree(root / "site") == published and not list(root.glob(".site.*"))


def test_a_cache_folder_inside_the_data_is_refused_and_nothing_is_written_there(project_factory, tmp_path) -> None:
    """.cache a link to data/ (or REFORMDASH_CACHE_DIR set into content/): about 250 files and folders of the
    cache and the lock were written among the clerk's files, and `check` stayed silent about them."""
    root = project_factory(with_reports=True)
    data, content = tree(root / "data"), tree(root / "content")
    (root / ".cache").symlink_to("data")
    result = subprocess.run([*BUILD, "--root", str(root)], capture_output=True, text=True, stdin=subprocess.DEVNULL,
                            env={k: v for k, v in os.environ.items() if k != "REFORMDASH_CACHE_DIR"})
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        ".cache: error E911: the cache folder .cache is or lies in the project's data/ folder, or holds it (a link?): "
        "the build would write its cache there; make it a folder of its own (anything in .cache may be deleted)",
        "    hint: remove the link, or set REFORMDASH_CACHE_DIR to a folder outside the project's data/, content/, "
        "templates/ and assets/",
        "1 error(s), 0 warning(s)",
        "nothing was written; the previous site is unchanged"]
    (root / ".cache").unlink()
    (root / ".cache").mkdir()  # a folder of its own, one of its folders a link into the data
    (root / ".cache" / "charts").symlink_to(root / "data" / "stnmt")
    result = subprocess.run([*BUILD, "--root", str(root)], capture_output=True, text=True, stdin=subprocess.DEVNULL,
                            env={k: v for k, v in os.environ.items() if k != "REFORMDASH_CACHE_DIR"})
    assert result.returncode == 1
    assert result.stderr.splitlines()[0] == (
        ".cache/charts: error E911: the cache folder .cache/charts is or lies in the project's data/ folder, or holds "
        "it (a link?): the build would write its cache there; make it a folder of its own (anything in .cache may be "
        "deleted)")
    (root / ".cache" / "charts").unlink()
    result = subprocess.run([*BUILD, "check", "--root", str(root)], capture_output=True, text=True,
                            stdin=subprocess.DEVNULL, env={**os.environ, "REFORMDASH_CACHE_DIR": str(root / "content"
                                                                                                  / "x")})
    assert result.returncode == 1
    assert result.stderr.splitlines()[0] == (
        "content/x: error E911: the cache folder content/x is or lies in the project's content/ folder, or holds it "
        "(a link?): the build would write its cache there; make it a folder of its own (anything in x may be "
        "deleted)")
    assert tree(root / "data") == data and tree(root / "content") == content and not (root / "site").exists()


@pytest.mark.skipif(not os.path.ismount("/dev/shm"), reason="needs a mount point (/dev/shm)")
def test_a_mount_point_as_the_output_folder_is_said_with_what_to_do(project_factory) -> None:
    """Every build there failed with "Device or resource busy (.shm.tmp-PID)": the message named a temporary
    folder and said nothing of what to do."""
    root = project_factory(with_reports=True)
    result = subprocess.run([*BUILD, "--root", str(root), "--out", "/dev/shm"], capture_output=True, text=True,
                            stdin=subprocess.DEVNULL)
    assert result.returncode == 1
    assert result.stderr.splitlines()[:2] == [
        "/dev/shm: error E912: the output folder '/dev/shm' is where a disk is mounted: a build replaces its output "
        "folder whole, which cannot be done to a mounted disk",
        "    hint: publish to a folder inside it, e.g. --out /dev/shm/site"]
