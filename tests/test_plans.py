"""Plans: Vietnamese time frames, statuses across periods, progress, overdue tasks, cross-checks."""
from __future__ import annotations

import re

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from reformdash.pipeline import Project, build, check
from reformdash.problems import BuildFailed
from reformdash.facts.progress import plan_progress, statuses_by_plan
from reformdash.timeframes import TimeFrameError, parse_time_frame

FIXTURE = Path(__file__).parent / "fixtures" / "plan-project"


@pytest.mark.parametrize("phrase, deadlines", [
    # every phrase of the SGDĐT 2023 plan
    ("Tháng 12/2023", [("", date(2023, 12, 31))]),
    ("Tháng 12 năm 2023", [("", date(2023, 12, 31))]),
    ("Trong năm 2023", [("", date(2023, 12, 31))]),
    ("Quý I năm 2023", [("", date(2023, 3, 31))]),
    ("Trong tháng 12 năm 2022", [("", date(2022, 12, 31))]),
    ("Kế hoạch ban hành trong quý I/2023; báo cáo hàng quý.",
     [("Kế hoạch ban hành", date(2023, 3, 31)), ("báo cáo", date(2023, 3, 31)), ("báo cáo", date(2023, 6, 30)),
      ("báo cáo", date(2023, 9, 30)), ("báo cáo", date(2023, 12, 31))]),
    ("Kế hoạch ban hành trong quý I/2023; báo cáo tháng 12 2023.",
     [("Kế hoạch ban hành", date(2023, 3, 31)), ("báo cáo", date(2023, 12, 31))]),
    ("Kế hoạch ban hành trong quý I/2023; báo cáo tháng 12 năm 2023.",
     [("Kế hoạch ban hành", date(2023, 3, 31)), ("báo cáo", date(2023, 12, 31))]),
    ("Kế hoạch ban hành trong quý I/2023; báo cáo cuối năm 2023.",
     [("Kế hoạch ban hành", date(2023, 3, 31)), ("báo cáo", date(2023, 12, 31))]),
    # the other forms the issue names
    ("Quý I/2023", [("", date(2023, 3, 31))]),
    ("Quý III năm 2024", [("", date(2024, 9, 30))]),
    ("quý 2/2023", [("", date(2023, 6, 30))]),
    ("Tháng 2/2024", [("", date(2024, 2, 29))]),
])
def test_time_frames_become_deadlines(phrase: str, deadlines) -> None:
    frame = parse_time_frame(phrase, 2023)
    assert [(d.what, d.due) for d in frame.deadlines] == deadlines
    assert frame.text == phrase and not frame.ongoing


def test_ongoing_has_no_deadline() -> None:
    frame = parse_time_frame("Thường xuyên", 2023)
    assert frame.ongoing and frame.deadlines == () and frame.final is None


@pytest.mark.parametrize("phrase, message", [
    ("Sớm nhất có thể", "cannot read the time frame 'Sớm nhất có thể'"),
    ("Tháng 13/2023", "there is no month 13"),
    ("Quý V/2023", "cannot read the time frame 'Quý V/2023'"),
    ("Tháng 12", "cannot read the time frame 'Tháng 12'"),
    ("2023", "cannot read the time frame '2023'"),
    ("", "the time frame is empty"),
    ("Kế hoạch ban hành trong quý I/2023; báo cáo khi xong", "cannot read the time frame 'báo cáo khi xong'"),
])
def test_unreadable_time_frames_are_errors(phrase: str, message: str) -> None:
    with pytest.raises(TimeFrameError) as error:
        parse_time_frame(phrase, 2023)
    assert str(error.value) == message


def test_an_unreadable_time_frame_in_a_plan_file_names_its_line(project_factory) -> None:
    root = project_factory(FIXTURE)
    plan = root / "data" / "sgddt" / "plan-2023.yaml"
    plan.write_text(plan.read_text(encoding="utf-8").replace('"Quý I năm 2023"', '"Sau Tết"'), encoding="utf-8")
    with pytest.raises(BuildFailed) as failure:
        check(Project.at(root))
    [problem] = failure.value.problems
    assert problem.format().splitlines()[0] == (
        "data/sgddt/plan-2023.yaml:27:9: error E501: task 3: cannot read the time frame 'Sau Tết'")
    assert "“Tháng 12/2023”" in problem.hint and "“Thường xuyên”" in problem.hint


@pytest.mark.parametrize("edit, line", [
    (('"3": {status: not_started}', '"9": {status: not_started}'),
     "data/sgddt/plan-2023-status-2023-q1.yaml:7:3: error E504: plan 2023 has no task '9'"),
    (('"3": {status: not_started}', '"3": {status: finished}'),
     "data/sgddt/plan-2023-status-2023-q1.yaml:7:9: error E505: unknown status 'finished' for task 3"),
])
def test_bad_statuses_are_errors(project_factory, edit, line) -> None:
    root = project_factory(FIXTURE)
    path = root / "data" / "sgddt" / "plan-2023-status-2023-q1.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(*edit), encoding="utf-8")
    with pytest.raises(BuildFailed) as failure:
        check(Project.at(root))
    assert [p.format().splitlines()[0] for p in failure.value.problems] == [line]


@pytest.fixture(scope="module")
def fixture_result(tmp_path_factory):
    from conftest import make_project

    root = make_project(tmp_path_factory.mktemp("plans") / "p", FIXTURE)
    return root, check(Project.at(root))


@pytest.mark.parametrize("period_end, percent, overdue, done_parts", [
    (date(2023, 3, 31), Decimal("20.0"), [], ["1"]),
    (date(2023, 6, 30), Decimal("40.0"), ["3"], ["1", "2.1"]),
    (date(2023, 9, 30), Decimal("60.0"), [], ["1", "2.1", "3"]),
    (date(2023, 12, 31), Decimal("100.0"), [], ["1", "2.1", "2.2", "3"]),
])
def test_progress_at_each_period(fixture_result, period_end, percent, overdue, done_parts) -> None:
    root, result = fixture_result
    [progress] = result.progress
    from reformdash.pipeline import load_and_validate
    from reformdash.problems import Collector

    data = load_and_validate(Project.at(root), Collector())
    at = plan_progress(progress.plan, statuses_by_plan(data.statuses)[(progress.plan.department, progress.plan.year)],
                       result.catalogue, period_end)
    assert at.overall.percent == percent
    assert [t.task.number for t in at.tasks if t.overdue] == overdue
    assert [p.part.key for t in at.tasks for p in t.parts if p.status == "done"] == done_parts


def test_history_of_completion(fixture_result) -> None:
    _, result = fixture_result
    [progress] = result.progress
    assert [(p.id, s.percent) for p, s in progress.history] == [
        ("2023-q1", Decimal("20.0")), ("2023-h1", Decimal("40.0")), ("2023-q3", Decimal("60.0")),
        ("2023-year", Decimal("100.0"))]
    # a cancelled part leaves the count instead of counting as not done
    assert (progress.overall.done, progress.overall.total) == (4, 4)


def test_plan_page_lists_overdue_first_and_statuses(project_factory) -> None:
    root = project_factory(FIXTURE)
    # statuses only up to the six-month report: task 3 is overdue then
    for late in ("q3", "year"):
        (root / "data" / "sgddt" / f"plan-2023-status-2023-{late}.yaml").unlink()
    build(Project.at(root))
    html = (root / "site" / "ke-hoach" / "sgddt-2023" / "index.html").read_text(encoding="utf-8")
    overdue = html[html.index('id="overdue"'):html.index('id="tasks"')]
    assert "Nhiệm vụ quá hạn chưa hoàn thành (1)" in overdue and "3.</span> Rà soát TTHC." in overdue
    assert "Tình trạng thực hiện theo báo cáo 6 tháng đầu năm 2023" in html
    assert "2/5 (40,0\u00a0%)" in html
    assert "Chậm do chờ hướng dẫn" in html and "Kế hoạch số 01/KH-SGDĐT ngày 20/12/2022" in html
    overview = (root / "site" / "ke-hoach" / "index.html").read_text(encoding="utf-8")
    assert '<td class="num" data-value="40.0" data-label="Tỷ lệ sản phẩm hoàn thành">40,0\u00a0%</td>' in overview


OVERVIEW_STATUSES = ("Đã hoàn thành", "Đang thực hiện", "Chưa thực hiện", "Không thực hiện", "Chưa báo cáo")


def overview_counts(root: Path, status_of_task_4: str | None = None) -> tuple[list[int], int]:
    """The plans overview's status columns and its task count, after a build with task 4's six-month status."""
    if status_of_task_4 is not None:
        status = root / "data" / "sgddt" / "plan-2023-status-2023-h1.yaml"
        status.write_text(re.sub(r'"4": \{status: [a-z_]+\}', f'"4": {{status: {status_of_task_4}}}',
                                 status.read_text(encoding="utf-8")), encoding="utf-8")
    build(Project.at(root))
    overview = (root / "site" / "ke-hoach" / "index.html").read_text(encoding="utf-8")
    counts = {label: int(value) for value, label in re.findall(r'data-value="([0-9]+)" data-label="([^"]+)"', overview)}
    return [counts[label] for label in OVERVIEW_STATUSES], counts["Số nhiệm vụ"]


@pytest.mark.parametrize("status, expected", [(None, [1, 3, 0, 0, 0]), ("not_started", [1, 2, 1, 0, 0]),
                                              ("cancelled", [1, 2, 0, 1, 0])])
def test_the_plans_overviews_statuses_add_up_to_the_tasks(project_factory, status, expected) -> None:
    """It had no column for a task not started, nor for one cancelled: they were in no column."""
    root = project_factory(FIXTURE)
    for late in ("q3", "year"):
        (root / "data" / "sgddt" / f"plan-2023-status-2023-{late}.yaml").unlink()
    counts, tasks = overview_counts(root, status)
    assert counts == expected and sum(counts) == tasks


def test_report_counts_are_checked_against_the_plan(project_factory) -> None:
    root = project_factory(FIXTURE)
    report = root / "data" / "sgddt" / "2023-q1.yaml"
    report.write_text("department: sgddt\nperiod: 2023-q1\nform: cchc-2022\nvalues:\n"
                      "  plan_tasks_planned: 7\n  plan_tasks_done: 2\n", encoding="utf-8")
    result = check(Project.at(root))
    found = sorted((p.code, p.subject, p.message) for p in result.problems.warnings if p.code in ("W312", "W313"))
    assert found == [
        ("W312", "plan_tasks_planned", "Báo cáo ghi 7 nhiệm vụ đề ra, kế hoạch năm 2023 có 4 nhiệm vụ (5 sản phẩm)"),
        ("W313", "plan_tasks_done", "Báo cáo ghi 2 nhiệm vụ đã hoàn thành, tình trạng nhiệm vụ của kế hoạch cho "
                                    "1 nhiệm vụ (1 sản phẩm)"),
    ]
    # counting parts instead of tasks is not a disagreement
    report.write_text(report.read_text(encoding="utf-8").replace("plan_tasks_planned: 7", "plan_tasks_planned: 5")
                      .replace("plan_tasks_done: 2", "plan_tasks_done: 1"), encoding="utf-8")
    assert not [p for p in check(Project.at(root)).problems.warnings if p.code in ("W312", "W313")]


def test_bundled_plan_renders_all_36_tasks_without_inventing_statuses() -> None:
    root = Path(__file__).resolve().parent.parent
    result = check(Project.at(root))
    [progress] = result.progress
    assert len(progress.tasks) == 36 and len(progress.plan.parts) == 38
    assert {t.status for t in progress.tasks} == {"not_reported"}
    assert not progress.has_statuses


def test_bundled_plan_page(tmp_path_factory) -> None:
    from conftest import make_project

    root = make_project(tmp_path_factory.mktemp("bundled-plan") / "p", with_reports=True)
    (root / "data" / "sgddt").mkdir(exist_ok=True)
    for name in ("plan-2023.yaml", "units.yaml"):
        (root / "data" / "sgddt" / name).write_bytes(
            (Path(__file__).resolve().parent.parent / "data" / "sgddt" / name).read_bytes())
    build(Project.at(root))
    html = (root / "site" / "ke-hoach" / "sgddt-2023" / "index.html").read_text(encoding="utf-8")
    assert html.count('<tbody id="task-') == 36
    assert html.count("Chưa báo cáo</span>") == 38
    assert "Chưa có số liệu tiến độ" in html
    assert "Phòng TCCB (quý I), VP (quý II), Thanh tra (quý III), Tổ CNTT (quý IV)" in html


def test_a_rebuild_in_the_same_process_reuses_unchanged_progress_and_redoes_changed(project_factory) -> None:
    # `serve` rebuilds in one process: progress made from the very same plan and status objects is reused
    from reformdash.pipeline import Session

    root = project_factory(FIXTURE)
    session = Session()  # (what `serve` keeps between its rebuilds)
    [first] = check(Project.at(root), session).progress
    [again] = check(Project.at(root), session).progress
    assert again is first
    status = root / "data" / "sgddt" / "plan-2023-status-2023-year.yaml"
    text = status.read_text(encoding="utf-8")
    status.write_text(text.replace('"2.2": {status: done', '"2.2": {status: in_progress'), encoding="utf-8")
    [changed] = check(Project.at(root), session).progress
    assert changed is not first
    assert (first.overall.done, changed.overall.done) == (4, 3)
    status.write_text(text, encoding="utf-8")  # back as it was: the same figures as the first time
    assert check(Project.at(root), session).progress[0].overall == first.overall


def test_same_inputs_gives_back_a_result_only_for_the_very_same_objects() -> None:
    from reformdash.incremental.cache import SameInputs

    memo, made = SameInputs(), []
    plan, other = [1, 2], [1, 2]  # equal, not the same

    def make():
        made.append(1)
        return len(made)

    assert memo.get("a", (plan, "digest", date(2023, 3, 31)), make) == 1
    assert memo.get("a", (plan, "digest", date(2023, 3, 31)), make) == 1  # same object, equal text and date
    assert memo.get("a", (other, "digest", date(2023, 3, 31)), make) == 2  # an equal but other object
    assert memo.get("a", (other, "digest", date(2023, 6, 30)), make) == 3
    assert memo.get("a", (other, "digest2", date(2023, 6, 30)), make) == 4
    assert memo.get("b", (other, "digest2", date(2023, 6, 30)), make) == 5  # another slot
    assert memo.get("a", (other, "digest2", date(2023, 6, 30), None), make) == 6  # more inputs
