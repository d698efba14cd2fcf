"""Input files are read safely: no hang, no unbounded read, nothing outside the project, no traceback.

A FIFO, a device, a folder, a link leading out of the project, a file too big, unreadable or nested too
deep each give one problem naming the file; `python build.py` then exits 1 and the previous site stays
as it was. The cases that cannot live in git (pipes, links, sockets, huge files) are made here.
"""
from __future__ import annotations

import hashlib
import os
import resource
import shutil
import signal
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import make_project
from reformdash.inputs.load import parse_yaml, read_yaml_file
from reformdash.pipeline import Project, check
from reformdash.problems import BuildFailed, Collector

ROOT = Path(__file__).resolve().parent.parent
REPORT = "department: stnmt\nperiod: 2023-q1\nform: cchc-2022\nvalues:\n  plan_tasks_planned: 22\n"
PLAN = """department: sgddt
year: 2023
title: "Thực hiện cải cách hành chính năm 2023"
number: ~
date: ~
signer: "Châu Tuấn Hồng"
source: so-gddt_2023_plan.txt
tasks:
  - number: "1"
    area: I
    group: "Công tác chỉ đạo, điều hành"
    task: "Lập kế hoạch CCHC năm 2023."
    parts:
      - product: "Kế hoạch CCHC 2023"
        time_frame: "Trong tháng 12 năm 2022"
        lead: "Phòng TCCB"
"""
UNITS = '- id: tccb\n  name_vi: "Phòng Tổ chức cán bộ"\n  short_vi: "Phòng TCCB"\n'
FIFO_HINT = "    hint: replace it with the file itself: only regular files are read\n"
OUTSIDE_HINT = ("    hint: copy the file into the project instead of linking to it: nothing outside the project "
                "is read\n")
ONE_ERROR = "1 error(s), 0 warning(s)\n"


def _write(root: Path, name: str, text: str) -> Path:
    path = root / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def _small_project(target: Path) -> Path:
    """A report with its narrative, and a plan with its units: every kind of input this slice reads."""
    root = make_project(target)
    _write(root, "data/stnmt/2023-q1.yaml", REPORT)
    _write(root, "content/stnmt/2023-q1.md", "Sở đã hoàn thành kế hoạch quý I.\n")
    _write(root, "data/sgddt/plan-2023.yaml", PLAN)
    _write(root, "data/sgddt/units.yaml", UNITS)
    return root


@pytest.fixture(scope="module")
def published(tmp_path_factory) -> Path:
    """The small project, built once: each case starts from a copy with its site/ already published."""
    root = _small_project(tmp_path_factory.mktemp("published") / "p")
    done = _run_build(root, bounded=False)
    assert done.returncode == 0, done.stderr
    return root


@pytest.fixture
def project(published: Path, tmp_path: Path) -> Path:
    root = tmp_path / "p"
    shutil.copytree(published, root, symlinks=True)
    return root


def _bounded_memory() -> None:
    # A run that reads /dev/zero must fail here with a MemoryError, not take the machine's memory.
    # (Only for runs that stop before the charts: the chart engine reserves far more address space.)
    resource.setrlimit(resource.RLIMIT_AS, (2 * 2**30, 2 * 2**30))


def _run_build(root: Path, timeout: float = 90, bounded: bool = True) -> subprocess.CompletedProcess:
    """`python build.py` on the project; a hang is stopped (with the workers it started) and fails the test."""
    command = [sys.executable, str(ROOT / "build.py"), "--root", str(root)]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL,
                               text=True, start_new_session=True, preexec_fn=_bounded_memory if bounded else None)
    try:
        out, err = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.communicate()
        pytest.fail(f"python build.py did not finish within {timeout} s")
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
    return subprocess.CompletedProcess(command, process.returncode, out, err)


def _site(root: Path) -> dict[str, str]:
    """Every file of the published site with a digest of its bytes."""
    site = root / "site"
    return {p.relative_to(site).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(site.rglob("*")) if p.is_file()}


def _build_fails_and_keeps_the_site(root: Path, problems: str, timeout: float = 90) -> None:
    before = _site(root)
    assert len(before) > 100
    done = _run_build(root, timeout)
    assert "Traceback" not in done.stderr
    assert done.returncode == 1
    assert done.stderr.startswith(problems + ONE_ERROR), done.stderr
    assert _site(root) == before


def test_a_fifo_as_a_catalogue_file_is_refused_without_waiting(project: Path) -> None:
    (project / "data" / "periods.yaml").unlink()
    os.mkfifo(project / "data" / "periods.yaml")
    _build_fails_and_keeps_the_site(project, "data/periods.yaml: error E108: this is a named pipe (FIFO), "
                                             "not a regular file\n" + FIFO_HINT)


def test_a_fifo_as_units_is_refused_not_ignored(project: Path) -> None:
    (project / "data" / "sgddt" / "units.yaml").unlink()
    os.mkfifo(project / "data" / "sgddt" / "units.yaml")
    _build_fails_and_keeps_the_site(project, "data/sgddt/units.yaml: error E108: this is a named pipe (FIFO), "
                                             "not a regular file\n" + FIFO_HINT)


def test_a_fifo_as_a_narrative_is_refused_not_ignored(project: Path) -> None:
    (project / "content" / "stnmt" / "2023-q1.md").unlink()
    os.mkfifo(project / "content" / "stnmt" / "2023-q1.md")
    _build_fails_and_keeps_the_site(project, "content/stnmt/2023-q1.md: error E108: this is a named pipe (FIFO), "
                                             "not a regular file\n" + FIFO_HINT)


def test_a_fifo_as_a_report_is_refused_without_waiting(project: Path) -> None:
    (project / "data" / "stnmt" / "2023-q1.yaml").unlink()
    os.mkfifo(project / "data" / "stnmt" / "2023-q1.yaml")
    _build_fails_and_keeps_the_site(project, "data/stnmt/2023-q1.yaml: error E108: this is a named pipe (FIFO), "
                                             "not a regular file\n" + FIFO_HINT, timeout=30)


def test_a_link_to_dev_zero_is_refused_without_reading_it(project: Path) -> None:
    (project / "data" / "periods.yaml").unlink()
    (project / "data" / "periods.yaml").symlink_to("/dev/zero")
    before = _site(project)
    done = _run_build(project)
    assert "Traceback" not in done.stderr
    assert done.returncode == 1
    # (The catalogue reader names the file by its full path until it is given the project's root.)
    assert ("data/periods.yaml: error E109: the file is a link to /dev/zero, outside the project\n" + OUTSIDE_HINT
            + ONE_ERROR) in done.stderr
    assert _site(project) == before


def test_a_value_nested_500_levels_deep_is_refused_not_a_recursion_error(project: Path) -> None:
    # The repeated key sends the file down the careful path, which used to recurse once per level.
    _write(project, "data/stnmt/2023-q1.yaml", REPORT.replace("form: cchc-2022\n", "form: cchc-2022\nform: x\n")
           + "  plan_issued: " + "{a: " * 500 + "1" + "}" * 500 + "\n")
    _build_fails_and_keeps_the_site(project, "data/stnmt/2023-q1.yaml:7:88: error E112: values nested more than 20 "
                                             "levels deep\n    hint: a data file needs a few levels at most; check "
                                             "the brackets and the indentation\n")


def test_a_narrative_linked_to_a_file_outside_the_project_is_not_published(project: Path) -> None:
    (project / "content" / "stnmt" / "2023-q1.md").unlink()
    (project / "content" / "stnmt" / "2023-q1.md").symlink_to("/etc/passwd")
    _build_fails_and_keeps_the_site(project, "content/stnmt/2023-q1.md: error E109: the file is a link to "
                                             "/etc/passwd, outside the project\n" + OUTSIDE_HINT)
    assert not any("root:x:0:0" in p.read_text(encoding="utf-8", errors="replace")
                   for p in (project / "site").rglob("*") if p.is_file())


def problems_of(root: Path) -> str:
    try:
        found = check(Project.at(root)).problems.sorted()
    except BuildFailed as failure:
        found = failure.problems
    return "".join(p.format() + "\n" for p in found)


def test_a_plan_linked_to_a_file_outside_the_project_is_refused(tmp_path: Path) -> None:
    root = _small_project(tmp_path / "p")
    secret = _write(tmp_path, "secret.yaml", PLAN)  # outside the project, even if it holds a plan
    (root / "data" / "sgddt" / "plan-2023.yaml").unlink()
    (root / "data" / "sgddt" / "plan-2023.yaml").symlink_to(secret)
    assert problems_of(root) == (f"data/sgddt/plan-2023.yaml: error E109: the file is a link to {secret}, "
                                 "outside the project\n" + OUTSIDE_HINT)


def test_a_narrative_over_1_mb_is_refused(tmp_path: Path) -> None:
    root = _small_project(tmp_path / "p")
    os.truncate(root / "content" / "stnmt" / "2023-q1.md", 60 * 2**20)  # 60 MB that used to be published twice
    assert problems_of(root) == ("content/stnmt/2023-q1.md:1:1: error E111: the file is 60 MB, more than the "
                                 "1 MB a narrative may have\n    hint: a narrative is a few pages of text; check "
                                 "that this is the right file, or shorten it\n")


def test_a_size_just_over_the_limit_is_not_said_to_equal_it(tmp_path: Path) -> None:
    root = _small_project(tmp_path / "p")
    os.truncate(root / "data" / "stnmt" / "2023-q1.yaml", 5 * 2**20 + 1)
    assert problems_of(root) == ("data/stnmt/2023-q1.yaml:1:1: error E106: the file is 5.1 MB, more than the "
                                 "5 MB a data file may have\n    hint: a report is a few dozen KB; check that "
                                 "this is the right file\n")


def test_a_narrative_that_links_to_itself_is_refused_not_ignored(tmp_path: Path) -> None:
    root = _small_project(tmp_path / "p")
    (root / "content" / "stnmt" / "2023-q1.md").unlink()
    (root / "content" / "stnmt" / "2023-q1.md").symlink_to("2023-q1.md")
    assert problems_of(root) == ("content/stnmt/2023-q1.md: error E110: cannot read the file: too many levels of "
                                 "symbolic links\n    hint: the file is a link that leads back to itself; "
                                 "replace it with the file\n")


def _read(path: Path, name: str) -> str:
    problems = Collector()
    assert read_yaml_file(path, name, problems) is None
    return "".join(p.format() + "\n" for p in problems.problems)


def test_a_device_is_refused() -> None:
    assert _read(Path("/dev/null"), "data/stnmt/2023-q1.yaml") == (
        "data/stnmt/2023-q1.yaml: error E108: this is a character device, not a regular file\n" + FIFO_HINT)


def test_a_socket_is_refused(tmp_path: Path) -> None:
    with socket.socket(socket.AF_UNIX) as listening:
        listening.bind(str(tmp_path / "2023-q1.yaml"))
        assert _read(tmp_path / "2023-q1.yaml", "data/stnmt/2023-q1.yaml") == (
            "data/stnmt/2023-q1.yaml: error E108: this is a socket, not a regular file\n" + FIFO_HINT)


def test_a_path_through_a_file_cannot_be_read(tmp_path: Path) -> None:
    _write(tmp_path, "stnmt", "a file where a folder belongs")
    assert _read(tmp_path / "stnmt" / "2023-q1.yaml", "data/stnmt/2023-q1.yaml") == (
        "data/stnmt/2023-q1.yaml: error E110: cannot read the file: not a directory\n"
        "    hint: check the path: every folder on it must be a folder and the file must exist\n")


def test_a_file_the_user_may_not_read_is_refused(tmp_path: Path) -> None:
    """The tests run as root, who reads any file: the reading is done by a child that becomes `nobody`."""
    folder = tmp_path / "shared"
    folder.mkdir()
    os.chmod(tmp_path, 0o711)
    os.chmod(folder, 0o755)
    secret = _write(folder, "2023-q1.yaml", REPORT)
    os.chmod(secret, 0o000)
    reading, writing = os.pipe()
    child = os.fork()
    if child == 0:  # pragma: no cover - the child
        try:
            os.close(reading)
            os.setgid(65534)
            os.setuid(65534)
            os.write(writing, _read(secret, "data/stnmt/2023-q1.yaml").encode())
        finally:
            os._exit(0)
    os.close(writing)
    with os.fdopen(reading, encoding="utf-8") as stream:
        said = stream.read()
    os.waitpid(child, 0)
    assert said == ("data/stnmt/2023-q1.yaml: error E110: cannot read the file: permission denied\n"
                    "    hint: let the user who runs the build read the file (e.g. chmod a+r)\n")


def test_a_fifo_report_is_refused_by_the_reader(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "2023-q1.yaml")
    code = ("from pathlib import Path; from reformdash.inputs.load import read_yaml_file; "
            "from reformdash.problems import Collector; c = Collector(); "
            f"read_yaml_file(Path({str(tmp_path / '2023-q1.yaml')!r}), 'data/stnmt/2023-q1.yaml', c); "
            "print(c.problems[0].format())")
    try:
        done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=30)
    except subprocess.TimeoutExpired:
        pytest.fail("reading a FIFO waited for a writer")
    assert done.stdout == "data/stnmt/2023-q1.yaml: error E108: this is a named pipe (FIFO), not a regular file\n" \
        + FIFO_HINT


def test_the_depth_limit_is_exact() -> None:
    twenty = "values: " + "[" * 19 + "]" * 19 + "\n"  # the top mapping and 19 lists: 20 levels
    problems = Collector()
    assert parse_yaml(twenty, "data/x.yaml", problems) is not None and problems.problems == []
    problems = Collector()
    assert parse_yaml("values: " + "[" * 20 + "]" * 20 + "\n", "data/x.yaml", problems) is None
    assert [p.format() for p in problems.problems] == [
        "data/x.yaml:1:28: error E112: values nested more than 20 levels deep\n"
        "    hint: a data file needs a few levels at most; check the brackets and the indentation"]


def test_an_editors_lock_links_are_passed_by_wherever_the_build_reads(tmp_path) -> None:
    """Emacs keeps a link to nothing, ".#<name>", beside each file open with changes: in data/forms/ or templates/
    it stopped the build (E110, E414 "save it again as UTF-8") for as long as the file was open. A regular file so
    named is the clerk's and is still read."""
    from reformdash.pipeline import Project, check
    from reformdash.problems import BuildFailed

    root = make_project(tmp_path / "p", with_reports=True)
    for name in ("data/forms/.#cchc-2022.yaml", "data/catalogue/.#indicators.yaml", "data/.#periods.yaml",
                 "data/stnmt/.#2023-q1.yaml", "templates/.#base.html", "templates/i18n/.#en.yaml",
                 "data/releases/.#2023-04-15.yaml", "content/stnmt/.#2023-q1.md"):
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).symlink_to("clerk@pc.4242:1733000000")
    result = check(Project.at(root, processes=1))
    assert not result.problems.has_errors()
    assert sorted(r.report.key for r in result.reports) == [("sct", "2021-h1"), ("stnmt", "2022-q3"), ("stnmt", "2023-q1")]
    shutil.copy(root / "data/sct/2021-h1.yaml", root / "data/sct/.#2021-q3.yaml")  # a file, not a link
    with pytest.raises(BuildFailed) as failed:
        check(Project.at(root, processes=1))
    assert [p.format().splitlines()[0] for p in failed.value.problems if p.code == "E211"] == [
        "data/sct/.#2021-q3.yaml:4:1: error E211: the file name says sct/.#2021-q3 but the content says sct/2021-h1"]


@pytest.mark.parametrize("written", ["&#x202E;", "&#x00000202E;", "&#00000000008238;", "&#8238", "&#X202e;"])
def test_a_direction_control_written_as_a_character_reference_in_markdown_is_refused(written: str) -> None:
    # a browser reads any number of leading zeros, and the reference without its ';'
    from reformdash.inputs.load import direction_control
    found = direction_control(f"Điện thoại: {written} 0913 983 072", "content/stnmt/2023-q1.md", markup=True)
    assert found is not None and found.code == "E113" and (found.origin.line, found.origin.column) == (1, 13)
    assert direction_control(f"Điện thoại: {written}0913", "data/x.yaml") is None  # (a data file's text is no markup)
    assert direction_control("&#x41; &#1202E; &#x2020;", "content/x.md", markup=True) is None
