"""Releases cannot be rewritten, lost or post-dated: an emptied hash, a deleted newest release, a date after
today and two `release` commands at once are each refused or serialised, never silently accepted.

(The exact messages of the hash and HEAD checks are the E704-E709 cases under tests/bad-inputs/.)
"""
from __future__ import annotations

import shutil
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path

import pytest

from reformdash.lock import project_lock
from reformdash.pipeline import Project, build, check
from reformdash.problems import BuildFailed, Collector
from reformdash.inputs.releases import (ReleasedValue, content_digest, head_text, read_releases, release_yaml,
                                        unpublished_releases)

ROOT = Path(__file__).resolve().parent.parent


def release(root: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(ROOT / "build.py"), "release", "--root", str(root), *args],
                          capture_output=True, text=True, check=False)


def error_lines(root: Path) -> list[str]:
    """The first line of each error `check` reports, as the command line prints it."""
    try:
        problems = check(Project.at(root)).problems.problems
    except BuildFailed as failure:
        problems = failure.problems
    return [p.format().splitlines()[0] for p in problems if p.severity.value == "error"]


def set_value(root: Path, old: str, new: str) -> None:
    report = root / "data" / "stnmt" / "2023-q1.yaml"
    text = report.read_text(encoding="utf-8")
    assert old in text
    report.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.fixture(scope="module")
def released(tmp_path_factory) -> Path:
    """A project with two releases recorded by the command, and its site built."""
    from conftest import make_project

    root = make_project(tmp_path_factory.mktemp("trust-releases") / "p", with_reports=True)
    first = release(root, "--date", "2023-04-15", "--title", "Cập nhật số liệu quý I/2023")
    assert first.returncode == 0, first.stderr
    set_value(root, "  case_files_received: 161", "  case_files_received: 163")
    second = release(root, "--date", "2023-07-20", "--title", "Cập nhật số liệu 6 tháng đầu năm 2023")
    assert second.returncode == 0, second.stderr
    build(Project.at(root))
    return root


def copy_of(root: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "copy"
    shutil.copytree(root, copy, ignore=shutil.ignore_patterns(".cache", ".site*"))
    return copy


def test_release_records_its_head(released) -> None:
    head = (released / "data" / "releases" / "HEAD").read_text(encoding="utf-8").splitlines()
    digest = (released / "data" / "releases" / "2023-07-20.yaml").read_text(encoding="utf-8").splitlines()[-1]
    assert head[-1] == "2023-07-20 " + digest.removeprefix("sha256: ")
    assert len(head[-1]) == len("2023-07-20 ") + 64
    assert error_lines(released) == []


def test_an_emptied_hash_on_the_newest_release_no_longer_lets_a_figure_be_rewritten(released, tmp_path) -> None:
    copy = copy_of(released, tmp_path)
    snapshot = copy / "data" / "releases" / "2023-07-20.yaml"
    lines = snapshot.read_text(encoding="utf-8").splitlines()
    assert lines[-1].startswith("sha256: ")
    text = "\n".join(lines[:-1] + ['sha256: ""']) + "\n"
    assert 'case_files_received: {value: "163"}' in text
    snapshot.write_text(text.replace('case_files_received: {value: "163"}', 'case_files_received: {value: "170"}'),
                        encoding="utf-8")
    assert error_lines(copy) == [
        f"data/releases/2023-07-20.yaml:{len(lines)}:9: error E704: release 2023-07-20 has no valid sha256 "
        "(64 hexadecimal digits), so nothing shows whether its figures were changed after it was recorded"]


def test_deleting_the_newest_release_is_refused_and_the_published_site_keeps_it(released, tmp_path) -> None:
    copy = copy_of(released, tmp_path)
    (copy / "data" / "releases" / "2023-07-20.yaml").unlink()
    assert error_lines(copy) == ["data/releases/HEAD:3:1: error E707: release 2023-07-20, the newest recorded, "
                                 "is missing from data/releases/"]
    archive = copy / "site" / "phat-hanh" / "2023-07-20" / "gia-tri.csv"
    before = archive.read_bytes()
    with pytest.raises(BuildFailed):
        build(Project.at(copy))
    assert archive.read_bytes() == before
    # and no release is recorded on top of the shortened history
    set_value(copy, "  case_files_received: 163", "  case_files_received: 164")
    run = release(copy, "--date", "2023-08-01")
    assert run.returncode == 1 and run.stderr.endswith("no release recorded: fix the errors first\n")
    assert sorted(p.name for p in (copy / "data" / "releases").iterdir()) == ["2023-04-15.yaml", "HEAD"]


def test_a_published_release_missing_with_its_head_is_named(released, tmp_path) -> None:
    """HEAD rewound with the newest release deleted, or the whole folder gone: the site still publishes them."""
    copy = copy_of(released, tmp_path)
    folder = copy / "data" / "releases"
    assert unpublished_releases(copy / "site", read_releases(copy / "data", copy, Collector()), copy) == []
    (folder / "2023-07-20.yaml").unlink()
    first = read_releases(copy / "data", copy, Collector())
    (folder / "HEAD").write_text(head_text("2023-04-15", first[0].digest), encoding="utf-8")
    assert error_lines(copy) == []  # what is left is a consistent history ...
    found = unpublished_releases(copy / "site", read_releases(copy / "data", copy, Collector()), copy)
    assert [p.format() for p in found] == [  # ... but not the one published
        "site/phat-hanh/2023-07-20: error E710: release 2023-07-20 is published in site/ but missing from "
        "data/releases/\n    hint: restore data/releases/2023-07-20.yaml and data/releases/HEAD from version "
        "control; to publish another project into this folder, remove it first"]
    shutil.rmtree(folder)
    assert [p.origin.file for p in unpublished_releases(copy / "site", [], copy)] == \
        ["site/phat-hanh/2023-04-15", "site/phat-hanh/2023-07-20"]


def test_deleting_every_release_is_refused(released, tmp_path) -> None:
    copy = copy_of(released, tmp_path)
    for name in ("2023-04-15.yaml", "2023-07-20.yaml"):
        (copy / "data" / "releases" / name).unlink()
    assert error_lines(copy) == ["data/releases/HEAD:3:1: error E707: release 2023-07-20, the newest recorded, "
                                 "is missing from data/releases/"]


def test_a_release_dated_after_today_is_refused_unless_asked(released, tmp_path) -> None:
    copy = copy_of(released, tmp_path)
    set_value(copy, "  case_files_received: 163", "  case_files_received: 165")
    folder = copy / "data" / "releases"
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    run = release(copy, "--date", "2093-04-15", "--title", "x")
    today = date.today()
    assert (run.returncode, run.stdout) == (1, "")
    assert run.stderr == (f"release date 2093-04-15 is after today ({today.isoformat()}): every page would say the "
                          "data is as of that day; give the date the data is published (or leave --date out for "
                          "today), or add --allow-future-date if that day is really meant\n")
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before
    tomorrow = (today + timedelta(days=1)).isoformat()
    assert release(copy, "--date", tomorrow).returncode == 1

    # Asked for explicitly, it is recorded, and pages then say the data is as of that day.
    run = release(copy, "--date", "2093-04-15", "--title", "x", "--allow-future-date")
    assert run.returncode == 0 and run.stderr == "recorded data/releases/2093-04-15.yaml: 3 reports\n"
    build(Project.at(copy))
    assert "Số liệu cập nhật đến ngày 15/04/2093." in (copy / "site" / "index.html").read_text(encoding="utf-8")
    # ... and no release dated before it can follow.
    set_value(copy, "  case_files_received: 165", "  case_files_received: 166")
    run = release(copy)
    assert run.returncode == 1 and run.stderr == f"release date {today} is before the last release (2093-04-15)\n"


def test_a_title_written_over_several_lines_is_recorded_as_check_reads_it(released, tmp_path) -> None:
    copy = copy_of(released, tmp_path)
    set_value(copy, "  case_files_received: 163", "  case_files_received: 167")
    run = release(copy, "--date", "2023-10-01", "--title", "Cập nhật  số liệu\nquý III/2023 ")
    assert run.returncode == 0, run.stderr
    assert 'title: "Cập nhật số liệu quý III/2023"' in \
        (copy / "data" / "releases" / "2023-10-01.yaml").read_text(encoding="utf-8")
    assert error_lines(copy) == []


def test_more_than_nine_releases_on_one_day_stay_in_order(tmp_path) -> None:
    folder = tmp_path / "data" / "releases"
    folder.mkdir(parents=True)
    day, previous = date(2023, 4, 15), ""
    for n in range(1, 12):
        reports = {("stnmt", "2023-q1"): {"plan_tasks_planned": ReleasedValue(str(n), "")}}
        release_id = day.isoformat() + (f"-{n}" if n > 1 else "")
        (folder / f"{release_id}.yaml").write_text(release_yaml(day, f"Lần {n}", previous, reports), encoding="utf-8")
        previous = content_digest(day, f"Lần {n}", previous, reports)
    (folder / "HEAD").write_text(head_text("2023-04-15-11", previous), encoding="utf-8")
    problems = Collector()
    releases = read_releases(tmp_path / "data", tmp_path, problems)
    assert problems.problems == []
    assert [r.id for r in releases][-3:] == ["2023-04-15-9", "2023-04-15-10", "2023-04-15-11"]


def test_a_release_waits_for_the_project_lock_then_says_who_holds_it(released, tmp_path) -> None:
    copy = copy_of(released, tmp_path)
    set_value(copy, "  case_files_received: 163", "  case_files_received: 168")
    with project_lock(copy, "build"):
        run = release(copy, "--date", "2023-10-01")
    assert run.returncode == 1
    assert run.stderr.startswith("release: `build` (process ")
    assert run.stderr.endswith(") is writing to this project; wait until it ends, then run this command again\n")
    assert sorted(p.name for p in (copy / "data" / "releases").iterdir()) == ["2023-04-15.yaml", "2023-07-20.yaml",
                                                                               "HEAD"]


def test_a_release_that_cannot_be_written_says_so_without_a_traceback(tmp_path) -> None:
    from conftest import make_project

    root = make_project(tmp_path / "p", with_reports=True)
    (root / "data" / "releases").write_text("not a folder\n", encoding="utf-8")
    run = release(root, "--date", "2023-04-15")
    assert (run.returncode, run.stderr) == (
        1, f"release: no release recorded: File exists ({root / 'data' / 'releases'}); run `check`\n")
    missing = tmp_path / "nowhere"
    run = release(missing, "--date", "2023-04-15")
    assert (run.returncode, run.stderr) == (
        2, f"release: there is no project at {missing}: it has no data/ folder; run the command in the project's "
           "folder, or name it with --root\n")
    assert not missing.exists()


# Each process imports the engine first, then waits for the same instant to run build.py: the two releases
# then really overlap (Python's start-up alone differs by more than a release takes to record).
TOGETHER = ("import runpy, sys, time\n"
            "import reformdash.cli, reformdash.commands.release, reformdash.pipeline\n"
            "at = float(sys.argv[1]); sys.argv = sys.argv[2:]\n"
            "time.sleep(max(0.0, at - time.time()))\n"
            "runpy.run_path(sys.argv[0], run_name='__main__')\n")


def test_two_releases_at_once_never_lose_one(tmp_path) -> None:
    from conftest import make_project

    root = make_project(tmp_path / "p")
    report = root / "data" / "stnmt" / "2023-q1.yaml"
    report.parent.mkdir()
    folder = root / "data" / "releases"
    recorded: list[str] = []
    for attempt in range(20):
        report.write_text("department: stnmt\nperiod: 2023-q1\nform: cchc-2022\nvalues:\n"
                          f"  plan_tasks_planned: {attempt + 1}\n", encoding="utf-8")
        at = f"{time.time() + 1.0:.3f}"
        runs = [subprocess.Popen([sys.executable, "-c", TOGETHER, at, str(ROOT / "build.py"), "release",
                                  "--root", str(root), "--date", "2023-04-15", "--title", title],
                                 cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                 for title in (f"Lần {attempt} A", f"Lần {attempt} B")]
        outcomes = [(run.wait(), run.stderr.read()) for run in runs]
        for run in runs:
            run.stdout.close()
            run.stderr.close()
        said = [err for code, err in outcomes if code == 0]
        # The data is the same for both: the first records it, the second finds nothing new (or the lock busy).
        assert len(said) == 1, outcomes
        for code, err in outcomes:
            if code != 0:
                assert err.startswith(("nothing changed since the release of 2023-04-15: no release recorded\n",
                                       "release: `release` (process ")), err
        name = said[0].split(":")[0].removeprefix("recorded ")
        recorded.append(name)
        assert sorted(recorded) == sorted(f"data/releases/{p.name}" for p in folder.glob("*.yaml")), outcomes
        assert error_lines(root) == [], outcomes
    assert recorded[-1] == "data/releases/2023-04-15-20.yaml"
    problems = Collector()
    chain = read_releases(root / "data", root, problems)
    assert problems.problems == []
    assert [r.reports[("stnmt", "2023-q1")]["plan_tasks_planned"].value for r in chain] == \
        [str(n) for n in range(1, 21)]
    assert (folder / "HEAD").read_text(encoding="utf-8").splitlines()[-1] == f"2023-04-15-20 {chain[-1].digest}"


@pytest.mark.skipif(not hasattr(__import__("os"), "mkfifo"), reason="named pipes are POSIX")
def test_a_head_that_is_a_named_pipe_is_refused_without_waiting_on_it(tmp_path) -> None:
    import os

    releases = tmp_path / "data" / "releases"
    releases.mkdir(parents=True)
    os.mkfifo(releases / "HEAD")  # opened for reading the usual way, it would wait for a writer forever
    code = ("import sys; from pathlib import Path; from reformdash.problems import Collector; "
            "from reformdash.inputs.releases import read_head; problems = Collector(); "
            "print(read_head(Path(sys.argv[1]), 'data/releases/HEAD', problems), "
            "[p.code for p in problems.problems])")
    done = subprocess.run([sys.executable, "-c", code, str(releases / "HEAD")], capture_output=True, text=True,
                          cwd=ROOT, timeout=60, check=False)
    assert (done.returncode, done.stdout.strip()) == (0, "None ['E705']"), done.stderr


@pytest.mark.parametrize("day", ["2026-13-01", "2023-02-29", "15/04/2023"])
def test_a_release_date_that_is_no_day_is_refused_in_words(tmp_path, day) -> None:
    from conftest import make_project

    run = release(make_project(tmp_path / "p", with_reports=True), "--date", day)
    assert run.returncode == 2 and run.stderr.splitlines()[-1] == (
        f"build.py release: error: argument --date: '{day}' is not a day of the calendar written YYYY-MM-DD "
        "(e.g. 2023-04-15)")
