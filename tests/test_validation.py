"""Every kind of bad input gets its exact message at its exact file:line:column.

Each folder under tests/bad-inputs/ mirrors a project (its data/ files are
laid over a copy of the real catalogue) and holds expected.txt: the problems
the run must report, in order, exactly as the command line prints them.
"""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from reformdash.pipeline import Project, build, check
from reformdash.problems import BuildFailed, Severity

CASES = sorted(p for p in (Path(__file__).parent / "bad-inputs").iterdir() if p.is_dir())


def problems_of(root: Path):
    try:
        return check(Project.at(root)).problems.sorted()
    except BuildFailed as failure:
        return failure.problems


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_bad_input_gets_exact_problems(case: Path, project_factory) -> None:
    root = project_factory(case)
    expected = (case / "expected.txt").read_text(encoding="utf-8")
    assert expected, "a case must expect at least one problem"
    got = "".join(p.format() + "\n" for p in problems_of(root))
    assert got == expected


@pytest.mark.parametrize("case", [c for c in CASES if c.name.startswith("E")], ids=lambda c: c.name)
def test_error_cases_stop_the_build(case: Path, project_factory) -> None:
    root = project_factory(case)
    with pytest.raises(BuildFailed) as failure:
        build(Project.at(root))
    assert failure.value.problems[0].code == case.name.split("-")[0]
    assert not (root / "site").exists()


def test_all_problems_of_a_run_are_reported_together(project_factory) -> None:
    root = project_factory(CASES[0].parent / "E203-unknown-indicator")
    (root / "data" / "sct").mkdir()
    (root / "data" / "sct" / "2021-h1.yaml").write_text(
        "department: sct\nperiod: 2021-h1\nform: cchc-2021\nvalues:\n  plan_issued_2021: 7\n", encoding="utf-8")
    codes = [(p.origin.file, p.code) for p in problems_of(root)]
    assert codes == [("data/sct/2021-h1.yaml", "E205"), ("data/stnmt/2023-q1.yaml", "E203")]


def test_a_department_renamed_in_the_catalogue_is_reported_with_its_reports_in_one_run(project_factory) -> None:
    """Errors in departments' entries leave the reports checkable: one run names the entry and every report."""
    root = project_factory(with_reports=True)
    departments = root / "data" / "departments.yaml"
    departments.write_text(departments.read_text(encoding="utf-8").replace("- id: stnmt\n", "- id: stnmt-moi\n", 1),
                           encoding="utf-8")
    found = [(p.origin.file, p.code) for p in problems_of(root) if p.severity is Severity.ERROR]
    # (the links to and from the renamed entry name the old ID on one side: E405 for each)
    assert found == [("data/departments.yaml", "E405"), ("data/departments.yaml", "E405"),
                     ("data/stnmt/2022-q3.yaml", "E209"), ("data/stnmt/2023-q1.yaml", "E209")]
    hint = next(p.hint for p in problems_of(root) if p.code == "E209")
    assert hint.endswith("If the department was renamed in data/departments.yaml, rename its folder data/stnmt/ and "
                         "the department: of each of its reports too")


def test_the_reports_of_a_department_whose_id_is_refused_are_not_each_told_it_is_unknown(project_factory) -> None:
    """A department given a reserved ID ('en') in data/departments.yaml and in its reports: the entry's E409 says what
    is wrong, not an E209 on every report and plan besides."""
    root = project_factory(with_reports=True)
    departments = root / "data" / "departments.yaml"
    departments.write_text(departments.read_text(encoding="utf-8").replace("- id: stnmt\n", "- id: en\n", 1),
                           encoding="utf-8")
    for report in (root / "data" / "stnmt").glob("*.yaml"):
        report.write_text(report.read_text(encoding="utf-8").replace("department: stnmt", "department: en"),
                          encoding="utf-8")
    codes = {(p.origin.file, p.code) for p in problems_of(root) if p.severity is Severity.ERROR}
    assert ("data/departments.yaml", "E409") in codes and not [c for c in codes if c[1] == "E209"], codes


def test_a_period_entry_with_an_impossible_date_is_reported_with_the_reports_in_one_run(project_factory) -> None:
    """31 February in data/periods.yaml left out that period only: the other reports are still checked in the same
    run (here a decimal comma in a count), and the reports of that period are not told it is unknown."""
    root = project_factory(with_reports=True)
    periods = root / "data" / "periods.yaml"
    text = periods.read_text(encoding="utf-8")
    assert "end: 2023-03-31" in text
    periods.write_text(text.replace("end: 2023-03-31", "end: 2023-02-31", 1), encoding="utf-8")
    report = root / "data" / "stnmt" / "2022-q3.yaml"
    report.write_text(report.read_text(encoding="utf-8").replace("plan_tasks_planned: 18", "plan_tasks_planned: 18,5"),
                      encoding="utf-8")
    errors = [p for p in problems_of(root) if p.severity is Severity.ERROR]
    assert [(p.origin.file, p.code, p.message) for p in errors] == [
        ("data/periods.yaml", "E204", "'end' must be a date, not '2023-02-31'"),
        ("data/stnmt/2022-q3.yaml", "E204", "'plan_tasks_planned': '18,5' uses a decimal comma")]
    assert errors[0].hint == "02/2023 has 28 days: check the day in the document"


def test_a_departments_file_that_cannot_be_read_stops_the_run_before_the_reports(project_factory) -> None:
    root = project_factory(with_reports=True)
    (root / "data" / "departments.yaml").write_text("- id: stnmt\n  name_vi: [\n", encoding="utf-8")
    assert {(p.origin.file, p.code) for p in problems_of(root)} == {("data/departments.yaml", "E101")}


def test_a_report_copied_to_another_name_is_caught_even_when_its_bytes_are_cached(project_factory) -> None:
    """Copying last quarter's file and forgetting to edit it is a likely mistake: the copy has the same bytes
    as a file whose result is already cached, and must still be checked against its own name."""
    root = project_factory()
    first = root / "data" / "stnmt" / "2023-q1.yaml"
    first.parent.mkdir()
    first.write_text("department: stnmt\nperiod: 2023-q1\nform: cchc-2022\nvalues:\n  plan_tasks_planned: 22\n",
                     encoding="utf-8")
    assert problems_of(root) == []  # its result is now cached
    (root / "data" / "stnmt" / "2023-q3.yaml").write_bytes(first.read_bytes())
    expected = ["data/stnmt/2023-q3.yaml:2:1: error E211: the file name says stnmt/2023-q3 but the content says "
                "stnmt/2023-q1"]
    assert [p.format().splitlines()[0] for p in problems_of(root)] == expected
    assert [p.format().splitlines()[0] for p in problems_of(root)] == expected  # and from the cache again


def test_a_file_over_the_size_limit_is_refused(project_factory) -> None:
    root = project_factory()
    big = root / "data" / "stnmt" / "2023-q1.yaml"
    big.parent.mkdir()
    with big.open("w", encoding="utf-8") as out:
        out.write("department: stnmt\nperiod: 2023-q1\nform: cchc-2022\nvalues:\n")
        out.write(("#" * 1023 + "\n") * (50 * 1024))  # 50 MB of comments
    [problem] = problems_of(root)
    assert problem.format().splitlines()[0] == (
        "data/stnmt/2023-q1.yaml:1:1: error E106: the file is 50 MB, more than the 5 MB a data file may have")


def test_crlf_and_bom_files_are_read_like_any_other(project_factory) -> None:
    root = project_factory()
    report = root / "data" / "stnmt" / "2023-q1.yaml"
    report.parent.mkdir()
    text = "department: stnmt\nperiod: 2023-q1\nform: cchc-2022\nvalues:\n  plan_tasks_planned: 22\n"
    report.write_bytes(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8"))
    result = check(Project.at(root))
    [computed] = result.reports
    assert str(computed.report.values["plan_tasks_planned"].value) == "22"


def test_tab_indentation_is_a_syntax_error_with_a_hint(project_factory) -> None:
    root = project_factory()
    report = root / "data" / "stnmt" / "2023-q1.yaml"
    report.parent.mkdir()
    report.write_text("department: stnmt\nperiod: 2023-q1\nform: cchc-2022\nvalues:\n\tplan_tasks_planned: 22\n",
                      encoding="utf-8")
    [problem] = problems_of(root)
    assert (problem.code, problem.origin.line, problem.origin.column) == ("E101", 5, 1)
    assert "tab" in problem.hint


def test_command_line_prints_problems_and_exits_non_zero(project_factory) -> None:
    root = project_factory(CASES[0].parent / "E208-not-whole")
    run = subprocess.run([sys.executable, str(Path(__file__).parent.parent / "build.py"), "check", "--root", str(root)],
                         capture_output=True, text=True, check=False)
    assert run.returncode == 1
    assert "Traceback" not in run.stderr
    assert run.stderr.splitlines()[0] == (
        "data/stnmt/2023-q1.yaml:5:29: error E208: 'outgoing_documents_total' = 1.076 is not a whole number")
    assert "    hint: '1.076' looks like a Vietnamese thousands separator: write 1076" in run.stderr
    assert "2 error(s), 0 warning(s)" in run.stderr


def test_acknowledged_anomaly_is_a_warning_not_an_error(project_factory) -> None:
    root = project_factory(CASES[0].parent / "W-acknowledged-anomaly")
    result = check(Project.at(root))
    [problem] = result.problems.problems
    assert problem.severity is Severity.WARNING and problem.subject == "discipline_directives_compliance"
    assert str(result.reports[0].report.values["discipline_directives_compliance"].value) == "2"


def test_a_published_report_saved_under_a_name_not_read_stops_the_build_with_every_other_problem(
        project_factory) -> None:
    """A report saved as "2023-q1.yaml " (a space after the name) vanished from the published site with a warning
    and exit 0. It is an error now, reported with the other reports' problems, and the site stays as it was."""
    root = project_factory(with_reports=True)
    build(Project.at(root))
    published = {p.relative_to(root / "site"): p.read_bytes() for p in (root / "site").rglob("*") if p.is_file()}
    report = root / "data" / "stnmt" / "2023-q1.yaml"
    report.rename(report.with_name("2023-q1.yaml "))
    other = root / "data" / "sct" / "2021-h1.yaml"
    other.write_text(other.read_text(encoding="utf-8").replace("form: cchc-2021", "form: cchc-1999"), encoding="utf-8")
    with pytest.raises(BuildFailed) as failure:
        build(Project.at(root))
    assert [(p.origin.file, p.code) for p in failure.value.problems if p.severity is Severity.ERROR] == [
        ("data/sct/2021-h1.yaml", "E212"), ("data/stnmt/2023-q1.yaml ", "E221")]
    assert {p.relative_to(root / "site"): p.read_bytes() for p in (root / "site").rglob("*") if p.is_file()} \
        == published


def test_a_report_for_a_period_that_has_not_begun_is_warned_of(project_factory) -> None:
    """A period entered ahead and a report filed under it (a year mistyped) was published as the site's newest
    period with no word; it is published as written, with W318."""
    root = project_factory(with_reports=True)
    with (root / "data" / "periods.yaml").open("a", encoding="utf-8") as periods:
        periods.write("- id: 2099-q1\n  kind: q1\n  year: 2099\n  label_vi: Quý I năm 2099\n  label_en: Quarter I 2099\n"
                      "  short_vi: Quý I/2099\n  start: 2099-01-01\n  end: 2099-03-31\n")
    report = root / "data" / "sct" / "2099-q1.yaml"  # (a department of today)
    report.write_text((root / "data" / "stnmt" / "2023-q1.yaml").read_text(encoding="utf-8")
                      .replace("period: 2023-q1", "period: 2099-q1").replace("department: stnmt", "department: sct"),
                      encoding="utf-8")
    found = [p.format() for p in check(Project.at(root)).problems.problems if p.code == "W318"]
    assert found == ["data/sct/2099-q1.yaml:3:1: warning W318: the report is for 2099-q1, a period that has not "
                     "begun: it begins on 01/01/2099\n    hint: check period: and the file's name (a year mistyped?); a "
                     "report is written once its period has begun, and is published as written"]


def test_parts_larger_than_their_whole_give_no_computed_rate(project_factory) -> None:
    """25 tasks done of 22 planned: a computed "113,6 %" had been published as the plan's completion rate."""
    root = project_factory(Path(__file__).parent / "bad-inputs" / "W305-parts-larger-than-their-whole-give-no-rate")
    (report,) = check(Project.at(root)).reports
    assert "plan_completion_rate" not in report.derived
    # and where the parts are in order, the rate is computed as before
    path = root / "data" / "stnmt" / "2023-q1.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("plan_tasks_done: 25", "plan_tasks_done: 21"),
                    encoding="utf-8")
    (report,) = check(Project.at(root)).reports
    assert str(report.derived["plan_completion_rate"]) == "95.5"
