"""The built site: figures exactly as written, empty never shown as zero."""
from __future__ import annotations

from pathlib import Path

import pytest

from htmlparse import cell_span_classes, figures, table_rows
from reformdash.pipeline import Project, build
from reformdash.problems import BuildFailed

NBSP = "\u00a0"


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    from conftest import build_bundled_site

    return build_bundled_site(tmp_path_factory, "site")


def page(site: Path, department: str, period: str) -> str:
    return (site / department / period / "index.html").read_text(encoding="utf-8")


def row(site: Path, department: str, period: str, indicator: str) -> list[str]:
    """[STT, label, unit, value cell, note] of one indicator row."""
    return table_rows(page(site, department, period))["row-" + indicator.replace("_", "-")]


def test_one_page_per_report_and_a_home_page(site: Path) -> None:
    reports = sorted(p.relative_to(site).as_posix() for p in site.glob("*/*/index.html")
                     if p.parts[-3] not in ("chi-tieu", "ky-bao-cao", "ke-hoach", "en"))
    assert reports == ["sct/2021-h1/index.html", "stnmt/2022-q3/index.html", "stnmt/2023-q1/index.html"]
    home = (site / "index.html").read_text(encoding="utf-8")
    assert 'href="stnmt/2023-q1/index.html"' in home and 'href="sct/2021-h1/index.html"' in home


def figure(site: Path, department: str, period: str, indicator: str) -> tuple[str, str]:
    return figures(page(site, department, period)).get("row-" + indicator.replace("_", "-"), ("", ""))


def test_thousands_are_written_the_vietnamese_way(site: Path) -> None:
    assert row(site, "stnmt", "2023-q1", "outgoing_documents_total")[:3] == [
        "", "Tổng số văn bản đi của cơ quan, đơn vị (văn bản điện tử và văn bản giấy)", "Văn bản"]
    assert figure(site, "stnmt", "2023-q1", "outgoing_documents_total") == ("1076", "1.076")
    assert figure(site, "stnmt", "2023-q1", "outgoing_documents_fully_electronic") == ("987", "987")


def test_every_published_figure_is_the_one_in_data(site: Path) -> None:
    from reformdash.pipeline import Project, check

    result = check(Project.at(site.parent))
    for computed in result.reports:
        report = computed.report
        shown = figures(page(site, report.department, report.period))
        written = {"row-" + k.replace("_", "-"): str(v.value) for k, v in report.values.items() if v.value is not None}
        assert {k: v[0] for k, v in shown.items()} == written


def test_percent_keeps_the_written_precision(site: Path) -> None:
    assert figure(site, "sct", "2021-h1", "communication_plan_completion_rate") == ("50.0", f"50,0{NBSP}%")
    assert figure(site, "stnmt", "2022-q3", "plan_completion_rate") == ("72", f"72{NBSP}%")


def test_empty_is_shown_as_not_reported_never_zero(site: Path) -> None:
    cells = row(site, "stnmt", "2023-q1", "satisfaction_rate")
    assert cells[3].startswith("Không báo cáo ")
    assert figure(site, "stnmt", "2023-q1", "satisfaction_rate") == ("", "")
    assert cell_span_classes(page(site, "stnmt", "2023-q1"))["row-satisfaction-rate"][3] == ["empty", "earlier"]


def test_a_written_zero_is_shown_with_its_note(site: Path) -> None:
    assert figure(site, "stnmt", "2023-q1", "plan_tasks_done") == ("0", "0")
    assert row(site, "stnmt", "2023-q1", "plan_tasks_done")[4] == "Đang triển khai thực hiện kế hoạch"
    assert figure(site, "stnmt", "2023-q1", "reform_commendation_done") == ("0", "Không")
    assert row(site, "stnmt", "2023-q1", "reform_commendation_done")[4] == "Thực hiện vào cuối năm"


def test_empty_rate_is_not_published_as_the_departments(site: Path) -> None:
    value_cell = row(site, "stnmt", "2023-q1", "plan_completion_rate")[3]
    assert value_cell.startswith("Không báo cáo Tính toán: 0,0")
    classes = cell_span_classes(page(site, "stnmt", "2023-q1"))["row-plan-completion-rate"][3]
    assert classes[:2] == ["empty", "computed"]


def test_coded_answers_are_shown_by_meaning(site: Path) -> None:
    assert row(site, "stnmt", "2023-q1", "discipline_directives_compliance")[2] == "Tốt/Có vi phạm"
    assert figure(site, "stnmt", "2023-q1", "discipline_directives_compliance") == ("1", "Tốt")
    assert row(site, "stnmt", "2023-q1", "leaders_selected_by_competition")[2] == "Đã thực hiện/Chưa thực hiện"
    assert figure(site, "stnmt", "2023-q1", "leaders_selected_by_competition") == ("0", "Chưa thực hiện")
    assert figure(site, "stnmt", "2023-q1", "communication_at_meetings_events") == ("1", "Có")


def test_the_previous_report_is_shown_beside_each_figure(site: Path) -> None:
    value_cell = row(site, "stnmt", "2023-q1", "case_files_on_time_rate")[3]
    assert value_cell == f"100{NBSP}% Kỳ trước (Quý III năm 2022): 100{NBSP}%"
    assert row(site, "stnmt", "2023-q1", "case_files_received")[3] == "161 Kỳ trước (Quý III năm 2022): 109"
    # the first report of a department has nothing earlier
    assert row(site, "stnmt", "2022-q3", "case_files_received")[3] == "109"


def test_source_anomaly_is_published_as_written_with_its_flag(site: Path) -> None:
    value_cell = row(site, "sct", "2021-h1", "internal_spending_rules_department")[3]
    assert figure(site, "sct", "2021-h1", "internal_spending_rules_department") == ("3", "3")
    assert value_cell == ("3 Bất thường trong văn bản gốc: dòng có mã Có = 1, Không = 0 nhưng bản gốc ghi 3; "
                          "công bố nguyên văn (E205)")


def test_consistency_warning_sits_beside_the_figure(site: Path) -> None:
    value_cell = row(site, "stnmt", "2023-q1", "outgoing_documents_total")[3]
    assert "987 + 1.076 = 2.063" in value_cell and "(W302)" in value_cell


def test_narrative_and_contacts_are_on_the_report_page(site: Path) -> None:
    html = page(site, "stnmt", "2022-q3")
    assert "Kế hoạch số 16/KH-STNMT ngày 16/3/2022" in html
    assert 'class="footnote"' in html
    assert "Ngô Thái Chân" in html


def test_failed_build_leaves_the_published_site_untouched(project_factory) -> None:
    root = project_factory(with_reports=True)
    build(Project.at(root))
    before = {p: p.read_bytes() for p in (root / "site").rglob("*") if p.is_file()}
    report = root / "data" / "stnmt" / "2023-q1.yaml"
    report.write_text(report.read_text(encoding="utf-8").replace("plan_tasks_planned: 22", "plan_tasks_planned: x"),
                      encoding="utf-8")
    with pytest.raises(BuildFailed):
        build(Project.at(root))
    after = {p: p.read_bytes() for p in (root / "site").rglob("*") if p.is_file()}
    assert after == before


def test_each_report_numbers_its_rows_as_its_own_form_does(site: Path) -> None:
    # The two form versions number some of the same indicators differently; a form row's cells are made once
    # per build and reused on every report page of that form, so each page must still get its own form's.
    from reformdash.pipeline import Project, check

    result = check(Project.at(site.parent))
    numbered: dict[str, dict[str, str]] = {}
    for computed in result.reports:
        report = computed.report
        form = result.catalogue.forms[report.form]
        expected = {"row-" + r.indicator.replace("_", "-"): r.number or "" for r in form.rows}
        shown = {row_id: cells[0] for row_id, cells in table_rows(page(site, report.department, report.period)).items()
                 if row_id.startswith("row-")}
        assert shown == expected, f"{report.department}/{report.period}"
        numbered[report.form] = expected
    old, new = numbered["cchc-2021"], numbered["cchc-2022"]
    assert (old["row-one-stop-shop"], new["row-one-stop-shop"]) == ("5", "6")
