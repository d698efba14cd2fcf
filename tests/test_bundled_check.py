"""`build.py check` on the bundled data passes, and its warnings name every
mistake of the real documents that DOMAIN.md lists and a rule can see."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from reformdash.pipeline import Project, check
from reformdash.problems import Severity

ROOT = Path(__file__).resolve().parent.parent
SCT, Q1, Q3 = "data/sct/2021-h1.yaml", "data/stnmt/2023-q1.yaml", "data/stnmt/2022-q3.yaml"


@pytest.fixture(scope="module")
def warnings() -> set[tuple[str, str, str]]:
    result = check(Project.at(ROOT))
    assert not result.problems.errors
    return {(p.origin.file, p.subject, p.code) for p in result.problems.warnings}


def test_check_command_exits_zero_on_the_bundled_data() -> None:
    run = subprocess.run([sys.executable, str(ROOT / "build.py"), "check", "--root", str(ROOT)],
                         capture_output=True, text=True, check=False)
    assert run.returncode == 0, run.stderr
    assert run.stderr.strip().endswith("0 error(s), 31 warning(s)")


def test_quiet_hides_the_warnings_but_still_counts_them() -> None:
    run = subprocess.run([sys.executable, str(ROOT / "build.py"), "check", "-q", "--root", str(ROOT)],
                         capture_output=True, text=True, check=False)
    assert run.returncode == 0, run.stderr
    assert run.stderr.strip() == "0 error(s), 31 warning(s) (31 not shown: --quiet)"


@pytest.mark.parametrize("expected", [
    # SCT 2021: a yes/no row holding 3, acknowledged in the data file.
    (SCT, "internal_spending_rules_department", "E205"),
    # SCT 2021: six-month report whose notes cite later dates (Nov 2021 ISO decision, Aug notices).
    (SCT, "iso_department_announced", "W306"),
    (SCT, "reform_inspection_divisions_inspected", "W306"),
    # SCT 2021: issues found described in the note while the value is empty.
    (SCT, "reform_inspection_issues_found", "W309"),
    # SCT 2021: group value against its parts (22 vs 21; a group 0 with a part holding 2).
    (SCT, "state_paid_psu_staffing", "W302"),
    (SCT, "psu_autonomy", "W302"),
    # SCT 2021: rotation target 0 with 2 rotations done.
    (SCT, "job_rotation_done", "W301"),
    # SCT 2021: 5 documents against 6 listed; 2 articles against 3.
    (SCT, "reform_directive_documents_issued", "W307"),
    (SCT, "articles_on_provincial_reform_page", "W307"),
    # SCT 2021: contract workers counted as staff; a note cut off at a page break (recorded remarks).
    (SCT, "civil_servant_posts_filled", "W311"),
    (SCT, "reform_inspection_units_inspected", "W311"),
    # STNMT 2023 Q1: electronic + electronic-and-paper above the total outgoing.
    (Q1, "outgoing_documents_total", "W302"),
    # STNMT 2023 Q1: 4 autonomous administrative bodies while 2 exist.
    (Q1, "admin_bodies_financial_autonomy", "W301"),
    # STNMT 2023 Q1: ISO rows say yes while the note says planned for quarter IV.
    (Q1, "iso_department_announced", "W308"),
    # STNMT 2023 Q1: BCCI procedures received with the case-file cells empty.
    (Q1, "bcci_files_received", "W303"),
    # STNMT 2023 Q1: completion rate empty with 0 of 22 tasks done (computed, never published as theirs).
    (Q1, "plan_completion_rate", "W305"),
    # STNMT 2022 Q3: 112 returned for 109 received.
    (Q3, "case_files_returned", "W301"),
    # STNMT 2022 Q3: BCCI results returned with none received and no files.
    (Q3, "bcci_procedures_returned", "W301"),
    # STNMT 2022 Q3: 4 documents against 5 listed.
    (Q3, "reform_directive_documents_issued", "W307"),
    # STNMT 2022 Q3: 0 procedures abolished while a note names one (recorded remark).
    (Q3, "procedures_abolished_replaced", "W311"),
])
def test_known_mistakes_are_flagged(warnings, expected) -> None:
    assert expected in warnings


def test_no_problem_is_an_error_and_every_warning_names_its_figure() -> None:
    result = check(Project.at(ROOT))
    assert all(p.severity is Severity.WARNING and p.subject for p in result.problems.problems)


def test_reports_typed_with_combining_accents_get_every_warning_the_same_reports_get(tmp_path: Path) -> None:
    # Unikey's "Unicode tổ hợp" and macOS write "chưa" as c-h-u + a combining horn + a: the notes' patterns
    # ("dự kiến", "chưa thực hiện", "02 vấn đề") had not matched, and W308 and W309 vanished from the site.
    import unicodedata

    from conftest import make_project

    root = make_project(tmp_path / "nfd", with_reports=True)
    reports = [path for path in (root / "data").glob("*/*.yaml")
               if path.parent.name not in ("catalogue", "forms", "releases")]
    assert len(reports) >= 3
    for path in reports:
        path.write_text(unicodedata.normalize("NFD", path.read_text(encoding="utf-8")), encoding="utf-8")
    result = check(Project.at(root))
    assert not result.problems.errors
    found = {(p.origin.file, p.subject, p.code) for p in result.problems.warnings}
    composed = {(p.origin.file, p.subject, p.code) for p in check(Project.at(ROOT)).problems.warnings}
    assert {w for w in composed if w[2] in ("W308", "W309")} <= found
    assert (Q1, "iso_department_announced", "W308") in found and (SCT, "reform_inspection_issues_found", "W309") in found
    assert found == composed


DISPATCHES = 'note: "Công văn số 12/STNMT-VP ngày 16/02/2023; Công văn số 28/STNMT-VP ngày 08/3/2023"'
NOT_YET = 'note: "Dự kiến thực hiện trong quý IV"'


def warnings_with_note(tmp_path: Path, written: str, note: str) -> list:
    """The bundled 2023-Q1 report's warnings after its note `written` (as the file has it) is written `note`."""
    from conftest import make_project

    root = make_project(tmp_path / "p", with_reports=True)
    report = root / Q1
    text = report.read_text(encoding="utf-8")
    assert written in text
    report.write_text(text.replace(written, f'note: "{note}"'), encoding="utf-8")
    return [p for p in check(Project.at(root)).problems.warnings if p.origin.file == Q1]


@pytest.mark.parametrize("note", [
    "Công văn số 12/STNMT-VP ngày 16/02/2023, Công văn số 28/STNMT-VP ngày 08/3/2023",
    "Công văn số 12/STNMT-VP ngày 16/02/2023\\nCông văn số 28/STNMT-VP ngày 08/3/2023",
    "Công văn số 12/STNMT-VP ngày 16/02/2023 và Công văn số 28/STNMT-VP ngày 08/3/2023",
    "Công văn số 12/STNMT-VP, 28/STNMT-VP",
])
def test_documents_listed_with_commas_lines_or_and_are_each_counted(tmp_path: Path, note: str) -> None:
    # the two dispatches of a count of 2, listed with a comma or one a line: W307 had said the note lists 1,
    # and the site published the flag beside a right figure
    found = {(p.subject, p.code) for p in warnings_with_note(tmp_path, DISPATCHES, note)}
    assert ("reform_directive_documents_issued", "W307") not in found


@pytest.mark.parametrize("note", ["Chưa\\u00a0thực\\u00a0hiện trong quý", "Chưa  thực hiện", "chưa thực\\thiện"])
def test_a_note_saying_not_yet_done_is_read_whatever_its_spaces(tmp_path: Path, note: str) -> None:
    found = {(p.subject, p.code) for p in warnings_with_note(tmp_path, NOT_YET, note)}
    assert ("iso_department_announced", "W308") in found


def test_a_date_written_out_in_words_after_the_period_is_flagged(tmp_path: Path) -> None:
    # "ngày 19 tháng 5 năm 2023", as a decision is dated, in a first quarter's note: only 19/5/2023 had been read
    late = [p for p in warnings_with_note(tmp_path, DISPATCHES, "Công văn số 12/STNMT-VP ngày 16 tháng 02 năm 2023; "
                                                                "Công văn số 28/STNMT-VP ngày 19 tháng 5 năm 2023")
            if p.code == "W306" and p.subject == "reform_directive_documents_issued"]
    assert [p.message for p in late] == ["Ghi chú nêu ngày sau khi kết thúc kỳ báo cáo (31/03/2023): 19/05/2023"]
