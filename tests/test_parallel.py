"""A cold build validates its files in two processes: the results, problems and their order are
exactly those of one process, and a second build reuses them from the cache."""
from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from reformdash.incremental import parallel
from reformdash.incremental.cache import ResultCache
from reformdash.pipeline import Project, check
from reformdash.problems import BuildFailed
from reformdash.devtools.synth import SynthOptions, synthesize

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def province(tmp_path_factory) -> Path:
    return synthesize(ROOT, tmp_path_factory.mktemp("parallel") / "p", SynthOptions(bodies=4, years=2, seed=11)).target


def outcome(root: Path, cache: Path, processes: int) -> list[str]:
    """Everything the load, validate and compute stage hands on, or the problems it stops with."""
    project = dataclasses.replace(Project.at(root), cache_dir=cache, processes=processes)
    try:
        result = check(project)
    except BuildFailed as failed:
        return ["failed"] + [repr(p) for p in failed.problems]
    return ([repr((dataclasses.replace(c.report, digest=""), sorted(c.derived.items()), c.flags)) for c in result.reports]
            + [repr(p) for p in result.problems.problems] + [repr(p) for p in result.progress])


@pytest.fixture
def small_chunks(monkeypatch):
    """Share even a small province, in small pieces, and count what the worker did."""
    monkeypatch.setattr(parallel, "WORTH_IT", 8)
    monkeypatch.setattr(parallel, "CHUNK", 2)
    adopted = []
    plain = ResultCache.adopt
    monkeypatch.setattr(ResultCache, "adopt", lambda self, key, blob: (adopted.append(key), plain(self, key, blob)))
    return adopted


def test_two_processes_give_what_one_gives(province: Path, tmp_path: Path, small_chunks: list[str]) -> None:
    alone = outcome(province, tmp_path / "one", 1)
    assert not small_chunks
    shared = outcome(province, tmp_path / "two", 2)
    assert small_chunks, "the worker validated nothing"
    assert shared == alone
    assert len(list((tmp_path / "two" / "reports").glob("*.pickle"))) == \
        len(list((tmp_path / "one" / "reports").glob("*.pickle")))
    small_chunks.clear()
    assert outcome(province, tmp_path / "two", 2) == alone  # warm: everything from the cache
    assert not small_chunks


def test_problems_come_in_the_same_order(province: Path, tmp_path: Path, small_chunks: list[str]) -> None:
    broken = tmp_path / "broken"
    broken.mkdir()
    for path in province.rglob("*"):
        if path.is_file():
            target = broken / path.relative_to(province)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(path.read_bytes())
    reports = sorted(p for p in (broken / "data").glob("*/20*.yaml"))
    for index in (1, len(reports) // 2, len(reports) - 2):  # early, middle and late in the list
        text = reports[index].read_text(encoding="utf-8")
        reports[index].write_text(text.replace("\nvalues:\n", "\nvalues:\n  no_such_row: 3\n", 1), encoding="utf-8")
    alone = outcome(broken, tmp_path / "one", 1)
    shared = outcome(broken, tmp_path / "two", 2)
    assert small_chunks
    assert alone[0] == "failed" and sum("E203" in line for line in alone) == 3
    assert shared == alone


# -- one task beside ------------------------------------------------------------------------------
def _pid_and_sum() -> tuple[int, int]:
    return __import__("os").getpid(), sum(range(1000))


def test_a_task_beside_runs_in_another_process_and_gives_its_value() -> None:
    import os
    beside = parallel.Beside(_pid_and_sum)
    pid, total = beside.result()
    assert total == 499500 and pid != os.getpid()


def test_the_process_beside_ends_once_its_value_is_sent_not_when_the_value_is_asked_for() -> None:
    # (the open data's forked copy of a province held its memory until the end of the build)
    import time
    beside = parallel.Beside(lambda: "made")
    process = beside._process
    for _ in range(200):
        if not process.is_alive():
            break
        time.sleep(0.05)
    assert not process.is_alive()
    assert beside.result() == "made"


def test_the_tasks_exception_is_raised_where_its_value_is_asked_for() -> None:
    def fails() -> None:
        raise OSError(28, "No space left on device")
    beside = parallel.Beside(fails)
    with pytest.raises(OSError, match="No space left"):
        beside.result()


def test_a_task_whose_process_is_killed_is_made_again_here(tmp_path: Path) -> None:
    import os
    import signal
    import time
    started = tmp_path / "started"

    def slow() -> int:
        if os.getpid() != main:
            started.write_text("yes")
            time.sleep(60)
        return os.getpid()
    main = os.getpid()
    beside = parallel.Beside(slow)
    for _ in range(200):
        if started.exists():
            break
        time.sleep(0.05)
    os.kill(beside._process.pid, signal.SIGKILL)
    assert beside.result() == main  # (its work was not lost: done here)


# -- a worker killed ------------------------------------------------------------------------------
def _dies_on_three(number: int) -> int:
    import os
    import signal
    if number == 3:
        os.kill(os.getpid(), signal.SIGKILL)  # (as the kernel ends a process when memory runs out)
    return number * 2


def test_a_pool_whose_worker_is_killed_says_so_instead_of_waiting_for_ever() -> None:
    import multiprocessing
    with multiprocessing.get_context("fork").Pool(2) as pool:
        assert parallel.pool_result(pool, pool.map_async(_dies_on_three, [1, 2])) == [2, 4]
        with pytest.raises(parallel.WorkerLost):
            parallel.pool_result(pool, pool.map_async(_dies_on_three, range(8), chunksize=1), poll=0.05)


def test_pages_whose_render_worker_is_killed_are_all_rendered_here() -> None:
    # a render worker killed (out of memory, kill -9) had left `build` waiting without end
    import os
    from types import SimpleNamespace

    import jinja2

    from reformdash.output import render

    main = os.getpid()
    env = jinja2.Environment(loader=jinja2.DictLoader({"page.html": "<p>{{ ctx.number }}</p>"}),
                             undefined=jinja2.StrictUndefined)
    language = SimpleNamespace(code="vi")
    pages = [("page.html", SimpleNamespace(page=SimpleNamespace(lang=language), number=n))
             for n in range(render.ENOUGH_TO_SHARE + 20)]

    def sink(context, html: bytes) -> tuple[int, bytes]:
        if os.getpid() != main and context.number == 77:
            os.kill(os.getpid(), 9)
        return context.number, html

    import signal

    def waited_too_long(signum, frame):
        raise TimeoutError("render_pages waited for the killed worker's pages")
    before = signal.signal(signal.SIGALRM, waited_too_long)
    signal.alarm(120)
    try:
        made = render.render_pages({"vi": env}, pages, 2, sink)
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, before)
    assert made == [(n, f"<p>{n}</p>".encode()) for n in range(render.ENOUGH_TO_SHARE + 20)]


def test_workers_end_with_the_process_that_started_them(tmp_path: Path) -> None:
    # a `kill -9` of `serve` mid-rebuild had left its render workers alone, printing tracebacks into the terminal
    import os
    import signal
    import subprocess
    import sys
    import time
    script = tmp_path / "starts-workers.py"
    script.write_text(
        "import os, sys, time\n"
        f"sys.path.insert(0, {str(ROOT)!r})\n"
        "from reformdash.incremental import parallel\n"
        "def slow():\n"
        "    time.sleep(120)\n"
        "if __name__ == '__main__':\n"
        "    beside = parallel.Beside(slow)\n"
        "    print(beside._process.pid, flush=True)\n"
        "    time.sleep(120)\n", encoding="utf-8")
    started = subprocess.Popen([sys.executable, str(script)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        worker = int(started.stdout.readline())
        time.sleep(0.5)
        os.kill(started.pid, signal.SIGKILL)
        started.wait(10)
        for _ in range(100):
            try:
                state = Path(f"/proc/{worker}/stat").read_text().rpartition(")")[2].split()[0]
            except (FileNotFoundError, ProcessLookupError):
                break
            if state in ("Z", "X"):  # (ended; its new parent has not collected it yet)
                break
            time.sleep(0.05)
        else:
            os.kill(worker, signal.SIGKILL)
            pytest.fail("the worker outlived the process that started it")
        assert "Traceback" not in started.stderr.read()
    finally:
        if started.poll() is None:
            started.kill()
