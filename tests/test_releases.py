"""Releases: dated snapshots, what changed between them, revision marks, archives, tamper detection."""
from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from reformdash.pipeline import Project, build, check
from reformdash.problems import BuildFailed

ROOT = Path(__file__).resolve().parent.parent
NBSP = "\u00a0"


def release(root: Path, day: str, title: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(ROOT / "build.py"), "release", "--root", str(root), "--date", day,
                           "--title", title], capture_output=True, text=True, check=False)


def archive(site: Path, release_id: str) -> dict[tuple[str, str, str], tuple[str, str]]:
    """A release's CSV, its text cells as written (a note that would start a spreadsheet formula is written
    with an apostrophe before it: taken off here, and counted)."""
    text = (site / "phat-hanh" / release_id / "gia-tri.csv").read_bytes().decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    guarded = [r["note"] for r in rows if r["note"].startswith("'")]
    assert guarded and all(note[1] in "=+-@\t\r" for note in guarded)
    return {(r["department"], r["period"], r["indicator"]): (r["value"], r["note"].removeprefix("'"))
            for r in rows}


def data_now(root: Path) -> dict[tuple[str, str, str], tuple[str, str]]:
    result = check(Project.at(root))
    return {(c.report.department, c.report.period, i): (str(v.value) if v.value is not None else "", v.note)
            for c in result.reports for i, v in c.report.values.items() if v.value is not None or v.note}


@pytest.fixture(scope="module")
def two_releases(tmp_path_factory):
    from conftest import make_project

    root = make_project(tmp_path_factory.mktemp("releases") / "p", with_reports=True)
    first = release(root, "2023-04-15", "Cập nhật số liệu quý I/2023")
    assert first.returncode == 0, first.stderr
    at_first = data_now(root)
    report = root / "data" / "stnmt" / "2023-q1.yaml"
    report.write_text(report.read_text(encoding="utf-8").replace(
        "  case_files_received: 161", '  case_files_received:\n    value: 163\n    note: "Bổ sung 02 hồ sơ tiếp nhận qua bưu điện"'),
        encoding="utf-8")
    added = root / "data" / "stnmt" / "2023-h1.yaml"
    added.write_text("department: stnmt\nperiod: 2023-h1\nform: cchc-2022\nvalues:\n  plan_tasks_planned: 22\n",
                     encoding="utf-8")
    second = release(root, "2023-07-20", "Cập nhật số liệu 6 tháng đầu năm 2023")
    assert second.returncode == 0, second.stderr
    build(Project.at(root))
    return root, at_first, data_now(root)


def test_release_files_are_recorded_with_a_hash_chain(two_releases) -> None:
    root, _, _ = two_releases
    files = sorted(p.name for p in (root / "data" / "releases").iterdir())
    assert files == ["2023-04-15.yaml", "2023-07-20.yaml", "HEAD"]
    second = (root / "data" / "releases" / "2023-07-20.yaml").read_text(encoding="utf-8")
    assert '    case_files_received: {value: "163", note: "Bổ sung 02 hồ sơ tiếp nhận qua bưu điện"}' in second


def test_what_changed_page_names_exactly_the_revised_figure_and_the_added_report(two_releases) -> None:
    root, _, _ = two_releases
    html = (root / "site" / "phat-hanh" / "2023-07-20" / "index.html").read_text(encoding="utf-8")
    assert "Báo cáo mới (1)" in html and "Sở Tài nguyên và Môi trường, 6 tháng đầu năm 2023" in html
    assert "Số liệu được điều chỉnh (1)" in html
    assert '<td class="num revision-old">161</td><td class="num revision-new">163</td>' in html
    assert "Bổ sung 02 hồ sơ tiếp nhận qua bưu điện" in html
    index = (root / "site" / "phat-hanh" / "index.html").read_text(encoding="utf-8")
    assert index.index("20/07/2023") < index.index("15/04/2023")  # newest first


def test_report_page_marks_the_revised_figure_and_shows_its_history(two_releases) -> None:
    root, _, _ = two_releases
    html = (root / "site" / "stnmt" / "2023-q1" / "index.html").read_text(encoding="utf-8")
    assert html.count('class="revised-mark"') == 1
    assert '<a class="revised-mark" href="#history-row-case-files-received">Đã điều chỉnh</a>' in html
    assert "161 (công bố ngày 15/04/2023) → 163 (công bố ngày 20/07/2023)" in html


def test_as_of_comes_from_the_latest_release_and_nothing_is_a_draft(two_releases) -> None:
    root, _, _ = two_releases
    for page in (root / "site").rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        in_english = page.relative_to(root / "site").parts[0] == "en"
        assert ("Data as of 20 July 2023." if in_english else "Số liệu cập nhật đến ngày 20/07/2023.") in text, page
        assert "BẢN NHÁP" not in text and "DRAFT" not in text


def test_archives_hold_the_data_of_each_release(two_releases) -> None:
    root, at_first, at_second = two_releases
    assert archive(root / "site", "2023-04-15") == at_first
    assert archive(root / "site", "2023-07-20") == at_second
    assert at_first[("stnmt", "2023-q1", "case_files_received")] == ("161", "")
    assert at_second[("stnmt", "2023-q1", "case_files_received")] == ("163", "Bổ sung 02 hồ sơ tiếp nhận qua bưu điện")
    meta = json.loads((root / "site" / "phat-hanh" / "2023-04-15" / "gia-tri.json").read_text(encoding="utf-8"))
    assert meta["release"]["date"] == "2023-04-15" and len(meta["values"]) == len(at_first)


def test_unreleased_changes_are_a_draft_never_published(two_releases, project_factory) -> None:
    root, _, _ = two_releases
    copy = project_factory()
    import shutil

    shutil.rmtree(copy / "data")
    shutil.copytree(root / "data", copy / "data")
    shutil.copytree(root / "content", copy / "content", dirs_exist_ok=True)
    report = copy / "data" / "stnmt" / "2023-q1.yaml"
    report.write_text(report.read_text(encoding="utf-8").replace("value: 163", "value: 164"), encoding="utf-8")
    build(Project.at(copy))
    home = (copy / "site" / "index.html").read_text(encoding="utf-8")
    assert "BẢN NHÁP: 1 thay đổi chưa được công bố so với lần phát hành ngày 20/07/2023" in home
    draft = (copy / "site" / "phat-hanh" / "ban-nhap" / "index.html").read_text(encoding="utf-8")
    assert '<td class="num revision-old">163</td><td class="num revision-new">164</td>' in draft


def test_a_tampered_release_is_refused_naming_the_file(two_releases, project_factory) -> None:
    root, _, _ = two_releases
    copy = project_factory()
    import shutil

    shutil.rmtree(copy / "data")
    shutil.copytree(root / "data", copy / "data")
    snapshot = copy / "data" / "releases" / "2023-04-15.yaml"
    snapshot.write_text(snapshot.read_text(encoding="utf-8").replace('case_files_received: {value: "161"}',
                                                                      'case_files_received: {value: "160"}'),
                        encoding="utf-8")
    with pytest.raises(BuildFailed) as failure:
        check(Project.at(copy))
    lines = [p.format().splitlines()[0] for p in failure.value.problems if p.severity.value == "error"]
    assert lines[0].startswith("data/releases/2023-04-15.yaml:")
    assert "error E701: release 2023-04-15 was changed after it was recorded" in lines[0]
    assert any("error E703: release 2023-07-20 follows a release that is missing or was changed" in line
               for line in lines)
    assert release(copy, "2023-08-01", "x").returncode == 1  # and no new release on top of it


def test_a_deleted_release_breaks_the_chain(two_releases, project_factory) -> None:
    root, _, _ = two_releases
    copy = project_factory()
    import shutil

    shutil.rmtree(copy / "data")
    shutil.copytree(root / "data", copy / "data")
    (copy / "data" / "releases" / "2023-04-15.yaml").unlink()
    with pytest.raises(BuildFailed) as failure:
        check(Project.at(copy))
    assert [p.code for p in failure.value.problems if p.severity.value == "error"] == ["E703"]


def test_nothing_to_release_is_refused(two_releases) -> None:
    root, _, _ = two_releases
    run = release(root, "2023-07-21", "again")
    assert run.returncode == 1 and "nothing changed since the release of 2023-07-20" in run.stderr


def test_two_builds_with_releases_are_byte_identical(two_releases, tmp_path) -> None:
    import os
    import shutil

    root, _, _ = two_releases
    copy = tmp_path / "copy"
    shutil.copytree(root, copy, ignore=shutil.ignore_patterns("site", ".site*", ".cache"))
    saved = os.environ["REFORMDASH_CACHE_DIR"]
    os.environ["REFORMDASH_CACHE_DIR"] = str(tmp_path / "fresh-cache")
    try:
        build(Project.at(copy))
    finally:
        os.environ["REFORMDASH_CACHE_DIR"] = saved

    def tree(folder: Path) -> dict[str, bytes]:
        return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()}

    first, second = tree(root / "site"), tree(copy / "site")
    assert first.keys() == second.keys()
    assert [name for name in first if first[name] != second[name]] == []
