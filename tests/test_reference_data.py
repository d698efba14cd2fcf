"""The bundled data holds exactly what the source documents say.

An independent check: tests/reference/*.tsv were written from the SOURCE
text of the reports in ../shared/reference-reports/ (one line per indicator
row of the appendix: indicator ID, the value cell exactly as printed, the
note exactly as printed), never from data/. These tests load data/ through
the engine's own API and compare every row, then spot-check figures written
out by hand, the row counts stated in DOMAIN.md, and finally prove that the
comparison notices a single changed figure.
"""
from __future__ import annotations

import re
import shutil
from decimal import Decimal
from pathlib import Path

import pytest

from reformdash.model import Report
from reformdash.pipeline import Project, check

ROOT = Path(__file__).resolve().parent.parent
REFERENCE = Path(__file__).resolve().parent / "reference"
HEADER = ["indicator_id", "value_as_printed", "note_as_printed"]

# report key -> literal expectation file
EXPECTATIONS = {
    ("stnmt", "2023-q1"): REFERENCE / "stnmt-2023-q1.tsv",
    ("stnmt", "2022-q3"): REFERENCE / "stnmt-2022-q3.tsv",
    ("sct", "2021-h1"): REFERENCE / "sct-2021-h1.tsv",
}

D = Decimal


# --- reading the expectations -------------------------------------------------

def read_expectations(path: Path) -> list[tuple[str, str, str]]:
    """The TSV rows: (indicator_id, value_as_printed, note_as_printed)."""
    lines = path.read_text(encoding="utf-8").split("\n")
    assert lines[-1] == "", f"{path.name} must end with a newline"
    assert lines[0].split("\t") == HEADER, f"{path.name}: bad header line"
    rows = []
    for number, line in enumerate(lines[1:-1], 2):
        cells = line.split("\t")
        assert len(cells) == 3, f"{path.name}:{number}: expected 3 tab-separated columns, got {len(cells)}"
        rows.append((cells[0], cells[1], cells[2]))
    return rows


ROWS = {key: read_expectations(path) for key, path in EXPECTATIONS.items()}

_THOUSANDS = re.compile(r"^\d{1,3}(\.\d{3})+$")  # 1.076, 10.990
_DECIMAL = re.compile(r"^\d+,\d+$")  # 50,0  99,99  96,80
_INTEGER = re.compile(r"^\d+$")  # 0  22  02


def parse_printed(text: str) -> Decimal | None:
    """A value cell read the Vietnamese way, keeping the precision as written.

    '' -> None (not reported: never 0); '1.076' -> 1076; '50,0' -> Decimal('50.0');
    '99,99' -> Decimal('99.99'); '02' -> 2.
    """
    if text == "":
        return None
    if _THOUSANDS.match(text):
        return D(text.replace(".", ""))
    if _DECIMAL.match(text):
        return D(text.replace(",", "."))
    if _INTEGER.match(text):
        return D(int(text))
    raise ValueError(f"not a number as the documents write them: {text!r}")


def decimals_written(text: str) -> int:
    """How many digits the document wrote after the decimal comma."""
    return len(text.partition(",")[2]) if _DECIMAL.match(text) else 0


def test_parse_printed_reads_the_vietnamese_way() -> None:
    assert parse_printed("") is None
    assert parse_printed("1.076") == D("1076") and str(parse_printed("1.076")) == "1076"
    assert parse_printed("10.990") == D("10990")
    assert str(parse_printed("50,0")) == "50.0"
    assert str(parse_printed("99,99")) == "99.99"
    assert str(parse_printed("96,80")) == "96.80"
    assert str(parse_printed("02")) == "2"
    assert decimals_written("50,0") == 1 and decimals_written("99,99") == 2 and decimals_written("1.076") == 0
    with pytest.raises(ValueError):
        parse_printed("1,2,3")


# --- the comparison -------------------------------------------------------------

def compare_row(report: Report, indicator: str, printed_value: str, printed_note: str) -> list[str]:
    """Every way the data row differs from the document's row ([] when it holds exactly that)."""
    where = f"{report.department}/{report.period} {indicator}"
    row = report.values.get(indicator)
    if row is None:
        return [f"{where}: the row is missing from the data"]
    problems = []
    expected = parse_printed(printed_value)
    found = row.value
    if expected is None:
        if found is not None:
            problems.append(f"{where}: the document's cell is empty, the data holds {found} (must be empty, never 0)")
    elif found is None:
        problems.append(f"{where}: the document prints {printed_value!r}, the data is empty")
    else:
        if found != expected:
            problems.append(f"{where}: the document prints {printed_value!r} = {expected}, the data holds {found}")
        elif str(found) != str(expected) or -found.as_tuple().exponent != decimals_written(printed_value):
            problems.append(f"{where}: the document prints {printed_value!r} ({decimals_written(printed_value)} "
                            f"decimals), the data holds {str(found)!r}: precision as written is lost or added")
    if row.note != printed_note:
        problems.append(f"{where}: note differs: document {printed_note!r}, data {row.note!r}")
    return problems


def compare_report(report: Report, rows: list[tuple[str, str, str]]) -> dict[str, list[str]]:
    """indicator -> its differences, for every row that differs, and for rows the document lacks."""
    out: dict[str, list[str]] = {}
    for indicator, printed_value, printed_note in rows:
        problems = compare_row(report, indicator, printed_value, printed_note)
        if problems:
            out[indicator] = problems
    documented = {indicator for indicator, _, _ in rows}
    for indicator in report.values:
        if indicator not in documented:
            out[indicator] = [f"{report.department}/{report.period} {indicator}: not a row of the document"]
    return out


# --- fixtures -----------------------------------------------------------------------

@pytest.fixture(scope="module")
def reports() -> dict[tuple[str, str], Report]:
    result = check(Project.at(ROOT))
    return {c.report.key: c.report for c in result.reports}


@pytest.fixture(scope="module")
def value(reports):
    """value("stnmt", "2023-q1", "plan_tasks_planned") -> Decimal('22'), or None when empty."""
    def get(department: str, period: str, indicator: str) -> Decimal | None:
        return reports[(department, period)].values[indicator].value
    return get


@pytest.fixture(scope="module")
def note(reports):
    def get(department: str, period: str, indicator: str) -> str:
        return reports[(department, period)].values[indicator].note
    return get


# --- 1. every row, value and note ---------------------------------------------------

CASES = [(key, indicator, printed_value, printed_note)
         for key, rows in ROWS.items() for indicator, printed_value, printed_note in rows]


@pytest.mark.parametrize("key, indicator, printed_value, printed_note", CASES,
                         ids=[f"{k[0]}-{k[1]}-{i}" for k, i, _, _ in CASES])
def test_row_holds_what_the_document_prints(reports, key, indicator, printed_value, printed_note) -> None:
    report = reports[key]
    assert indicator in report.values, f"{key} {indicator}: missing from the data"
    found = report.values[indicator]
    expected = parse_printed(printed_value)
    if expected is None:
        assert found.value is None, f"empty in the document, {found.value} in the data (an empty cell is not zero)"
    else:
        assert found.value is not None, f"the document prints {printed_value!r}, the data is empty"
        assert found.value == expected
        assert str(found.value) == str(expected)
        assert -found.value.as_tuple().exponent == decimals_written(printed_value)
    assert found.note == printed_note
    assert compare_row(report, indicator, printed_value, printed_note) == []


# --- 2. no rows beyond the document -----------------------------------------------------

@pytest.mark.parametrize("key", list(EXPECTATIONS), ids=lambda k: f"{k[0]}-{k[1]}")
def test_data_has_exactly_the_documents_rows(reports, key) -> None:
    documented = [indicator for indicator, _, _ in ROWS[key]]
    assert len(documented) == len(set(documented)), "an indicator appears twice in the expectations"
    assert set(reports[key].values) == set(documented)


@pytest.mark.parametrize("key", list(EXPECTATIONS), ids=lambda k: f"{k[0]}-{k[1]}")
def test_whole_report_compares_clean(reports, key) -> None:
    assert compare_report(reports[key], ROWS[key]) == {}


# --- 3. literal spot checks, written out by hand from the documents ------------------------

# STNMT 2023 Q1 -- I. Công tác chỉ đạo điều hành CCHC
def test_stnmt_2023_q1_plan_completion_rate_left_empty(value, note):
    assert value("stnmt", "2023-q1", "plan_completion_rate") is None
    assert note("stnmt", "2023-q1", "plan_completion_rate") == "Kế hoạch số 03/KH-STNMT ngày 19/01/2023"


def test_stnmt_2023_q1_plan_tasks_planned(value):
    assert value("stnmt", "2023-q1", "plan_tasks_planned") == D("22")


def test_stnmt_2023_q1_plan_tasks_done(value, note):
    assert value("stnmt", "2023-q1", "plan_tasks_done") == D("0")
    assert note("stnmt", "2023-q1", "plan_tasks_done") == "Đang triển khai thực hiện kế hoạch"


def test_stnmt_2023_q1_commendation(value, note):
    assert value("stnmt", "2023-q1", "reform_commendation_done") == D("0")
    assert note("stnmt", "2023-q1", "reform_commendation_done") == "Thực hiện vào cuối năm"


def test_stnmt_2023_q1_survey_not_yet(value, note):
    assert value("stnmt", "2023-q1", "satisfaction_survey") is None
    assert value("stnmt", "2023-q1", "satisfaction_survey_responses") is None
    assert note("stnmt", "2023-q1", "satisfaction_survey") == "Chưa đến thời gian thực hiện"


def test_stnmt_2023_q1_mass_media_and_directives(value):
    assert value("stnmt", "2023-q1", "articles_in_mass_media") == D("0")
    assert value("stnmt", "2023-q1", "reform_directive_documents_issued") == D("2")
    assert value("stnmt", "2023-q1", "discipline_directives_compliance") == D("1")


# STNMT 2023 Q1 -- II. Cải cách thể chế
def test_stnmt_2023_q1_legal_docs_drafted(value, note):
    assert value("stnmt", "2023-q1", "legal_docs_drafted") == D("1")
    assert note("stnmt", "2023-q1", "legal_docs_drafted") == \
        "Quyết định số 03/2023/QĐ-UBND ngày 13/02/2023 (chuyển tiếp từ năm 2022 sang)"


def test_stnmt_2023_q1_legal_docs_review_zero(value):
    assert value("stnmt", "2023-q1", "legal_docs_review") == D("0")
    assert value("stnmt", "2023-q1", "legal_docs_to_review") == D("0")


def test_stnmt_2023_q1_legal_education(value, note):
    assert value("stnmt", "2023-q1", "legal_education_done") == D("1")
    assert note("stnmt", "2023-q1", "legal_education_done") == "Kế hoạch số 08/KH-STNMT ngày 20/02/2023"
    assert value("stnmt", "2023-q1", "legal_education_documents") == D("0")


# STNMT 2023 Q1 -- III. Cải cách thủ tục hành chính
def test_stnmt_2023_q1_case_files(value):
    assert value("stnmt", "2023-q1", "case_files_received") == D("161")
    assert value("stnmt", "2023-q1", "case_files_returned") == D("96")
    assert value("stnmt", "2023-q1", "case_files_on_time_rate") == D("100")


def test_stnmt_2023_q1_procedure_statistics(value, note):
    assert value("stnmt", "2023-q1", "procedure_statistics") is None
    assert value("stnmt", "2023-q1", "procedures_abolished_replaced") == D("9")
    assert value("stnmt", "2023-q1", "procedures_in_force") == D("96")
    assert note("stnmt", "2023-q1", "procedures_abolished_replaced") == \
        "Lĩnh vực giao dịch bảo đảm (Quyết định số 41/QĐ-UBND ngày 28/02/2023)"


def test_stnmt_2023_q1_procedures_reviewed_and_one_stop(value, note):
    assert value("stnmt", "2023-q1", "procedures_reviewed") == D("6")
    assert value("stnmt", "2023-q1", "procedures_linked_same_level") == D("76")
    assert value("stnmt", "2023-q1", "procedures_internal_process_approved_rate") == D("95")
    assert note("stnmt", "2023-q1", "procedures_shortened_time") == "Chưa thực hiện"


# STNMT 2023 Q1 -- IV. Cải cách tổ chức bộ máy hành chính nhà nước
def test_stnmt_2023_q1_civil_servant_staffing(value, note):
    assert value("stnmt", "2023-q1", "civil_servant_posts_assigned") == D("60")
    assert value("stnmt", "2023-q1", "civil_servant_posts_filled") == D("57")
    assert value("stnmt", "2023-q1", "admin_labour_contracts") == D("6")
    assert note("stnmt", "2023-q1", "civil_servant_staffing") == "Quyết định số 04/QĐ-STNMT ngày 13/01/2023"


def test_stnmt_2023_q1_downsizing_not_done(value, note):
    assert value("stnmt", "2023-q1", "civil_servant_posts_downsized") is None
    assert note("stnmt", "2023-q1", "civil_servant_posts_downsized") == "Chưa thực hiện"


def test_stnmt_2023_q1_structure_and_autonomous_units(value):
    assert value("stnmt", "2023-q1", "subordinate_admin_bodies") == D("2")
    assert value("stnmt", "2023-q1", "public_service_unit_divisions") == D("33")
    assert value("stnmt", "2023-q1", "autonomous_psu_staff_approved") == D("353")
    assert value("stnmt", "2023-q1", "autonomous_psu_staff_present") == D("271")


def test_stnmt_2023_q1_specialised_inspection_planned(value, note):
    assert value("stnmt", "2023-q1", "specialised_inspection") is None
    assert note("stnmt", "2023-q1", "specialised_inspection") == "Theo kế hoạch thực hiện vào Quý III năm 2023"


# STNMT 2023 Q1 -- V. Cải cách chế độ công vụ
def test_stnmt_2023_q1_job_positions(value, note):
    assert value("stnmt", "2023-q1", "job_positions_approved") == D("1")
    assert note("stnmt", "2023-q1", "job_positions_approved") == "Quyết định 1792/QĐ-UBND ngày 07/7/2022"


def test_stnmt_2023_q1_recruitment_and_training(value):
    assert value("stnmt", "2023-q1", "recruitment") == D("0")
    assert value("stnmt", "2023-q1", "civil_servants_recruited_exam") is None
    assert value("stnmt", "2023-q1", "training_planned") == D("13")
    assert value("stnmt", "2023-q1", "training_done") is None


def test_stnmt_2023_q1_discipline(value, note):
    assert value("stnmt", "2023-q1", "disciplined_division_leaders") == D("1")
    assert note("stnmt", "2023-q1", "disciplined_division_leaders") == "Văn phòng Sở"
    assert value("stnmt", "2023-q1", "disciplined_department_leaders") is None


# STNMT 2023 Q1 -- VI. Cải cách tài chính công
def test_stnmt_2023_q1_autonomy(value):
    assert value("stnmt", "2023-q1", "department_financial_autonomy") == D("1")
    assert value("stnmt", "2023-q1", "admin_bodies_financial_autonomy") == D("4")
    assert value("stnmt", "2023-q1", "psu_autonomy_full_recurrent") == D("4")
    assert value("stnmt", "2023-q1", "psu_autonomy_partial_recurrent") is None


def test_stnmt_2023_q1_internal_spending_rules(value, note):
    assert value("stnmt", "2023-q1", "internal_spending_rules_department") == D("1")
    assert note("stnmt", "2023-q1", "internal_spending_rules_department") == "Quyết định số 83/QĐ-STNMT ngày 30/6/2022."
    assert value("stnmt", "2023-q1", "internal_spending_rules_subordinates") == D("6")


def test_stnmt_2023_q1_psu_autonomy_group(value):
    assert value("stnmt", "2023-q1", "psu_autonomy") == D("4")
    assert value("stnmt", "2023-q1", "psu_autonomy_full_incl_investment") == D("0")


# STNMT 2023 Q1 -- VII. Chính phủ điện tử, Chính phủ số
def test_stnmt_2023_q1_outgoing_documents(value):
    assert value("stnmt", "2023-q1", "outgoing_documents_total") == D("1076")
    assert value("stnmt", "2023-q1", "outgoing_documents_fully_electronic") == D("987")
    assert value("stnmt", "2023-q1", "outgoing_documents_electronic_and_paper") == D("1076")


def test_stnmt_2023_q1_online_services(value):
    assert value("stnmt", "2023-q1", "online_services_level_3_4") == D("87")
    assert value("stnmt", "2023-q1", "online_services_level_4") is None
    assert value("stnmt", "2023-q1", "procedures_offered_level_4") == D("86")
    assert value("stnmt", "2023-q1", "online_procedure_files_received") == D("161")
    assert value("stnmt", "2023-q1", "staff_with_official_email") == D("298")


def test_stnmt_2023_q1_bcci_and_iso(value, note):
    assert value("stnmt", "2023-q1", "bcci_procedures_announced") == D("16")
    assert value("stnmt", "2023-q1", "bcci_files_received") is None
    assert value("stnmt", "2023-q1", "iso_department_announced") == D("1")
    assert note("stnmt", "2023-q1", "iso_department_announced") == "Dự kiến thực hiện trong quý IV"


# STNMT 2022 Q3 -- I
def test_stnmt_2022_q3_plan(value, note):
    assert value("stnmt", "2022-q3", "plan_completion_rate") == D("72")
    assert note("stnmt", "2022-q3", "plan_completion_rate") == "Kế hoạch số 04/KH- STNMT ngày 27/01/2022"
    assert value("stnmt", "2022-q3", "plan_tasks_planned") == D("18")
    assert value("stnmt", "2022-q3", "plan_tasks_done") == D("13")


def test_stnmt_2022_q3_communication(value, note):
    assert value("stnmt", "2022-q3", "communication_plan_completion_rate") == D("77")
    assert value("stnmt", "2022-q3", "articles_in_mass_media") == D("4")
    assert note("stnmt", "2022-q3", "articles_in_mass_media") == \
        "03 chuyên trang đăng báo Sóc Trăng; 01 chuyên mục phát sóng Đài truyền hình Sóc Trăng"


def test_stnmt_2022_q3_survey(value):
    assert value("stnmt", "2022-q3", "satisfaction_survey") is None
    assert value("stnmt", "2022-q3", "satisfaction_survey_responses") == D("100")
    assert value("stnmt", "2022-q3", "satisfaction_survey_mode") == D("1")
    assert value("stnmt", "2022-q3", "other_tasks") is None


# STNMT 2022 Q3 -- II
def test_stnmt_2022_q3_legal_docs_drafted_zero(value):
    assert value("stnmt", "2022-q3", "legal_docs_drafted") == D("0")
    assert value("stnmt", "2022-q3", "legal_docs_drafted_on_time") == D("0")


def test_stnmt_2022_q3_legal_docs_review(value):
    assert value("stnmt", "2022-q3", "legal_docs_review") is None
    assert value("stnmt", "2022-q3", "legal_docs_to_review") == D("0")
    assert value("stnmt", "2022-q3", "legal_docs_flagged_resolved") == D("0")


def test_stnmt_2022_q3_legal_education(value, note):
    assert value("stnmt", "2022-q3", "legal_education_documents") == D("1")
    assert note("stnmt", "2022-q3", "legal_education_documents") == "Sổ tay tuyên truyền Luật BVMT năm 2020."


# STNMT 2022 Q3 -- III
def test_stnmt_2022_q3_case_files(value):
    assert value("stnmt", "2022-q3", "case_files_received") == D("109")
    assert value("stnmt", "2022-q3", "case_files_returned") == D("112")
    assert value("stnmt", "2022-q3", "case_files_on_time_rate") == D("100")


def test_stnmt_2022_q3_procedures(value, note):
    assert value("stnmt", "2022-q3", "procedures_reviewed") == D("1")
    assert note("stnmt", "2022-q3", "procedures_reviewed") == "Rà soát trình bãi bỏ 01 TTHC lĩnh vực khoáng sản"
    assert value("stnmt", "2022-q3", "procedures_abolished_replaced") == D("0")
    assert value("stnmt", "2022-q3", "procedures_in_force") == D("102")


def test_stnmt_2022_q3_simplification(value, note):
    assert value("stnmt", "2022-q3", "procedure_simplification") == D("0")
    assert note("stnmt", "2022-q3", "procedures_fewer_documents") == "không đăng ký nội dung này"
    assert value("stnmt", "2022-q3", "procedures_linked_same_level") == D("78")


# STNMT 2022 Q3 -- IV
def test_stnmt_2022_q3_civil_servants(value, note):
    assert value("stnmt", "2022-q3", "civil_servant_posts_assigned") == D("61")
    assert value("stnmt", "2022-q3", "civil_servant_posts_filled") == D("58")
    assert value("stnmt", "2022-q3", "admin_labour_contracts") == D("5")
    assert note("stnmt", "2022-q3", "admin_labour_contracts") == "Hợp đồng theo NĐ68 và NĐ161"


def test_stnmt_2022_q3_specialised_inspection(value, note):
    assert value("stnmt", "2022-q3", "specialised_inspection_department_units") == D("0")
    assert value("stnmt", "2022-q3", "specialised_inspection_district_units") == D("4")
    assert note("stnmt", "2022-q3", "specialised_inspection_district_units") == "Trần Đề, Mỹ Xuyên, TPST, Long Phú"
    assert value("stnmt", "2022-q3", "specialised_inspection_issues_found") == D("3")


def test_stnmt_2022_q3_structure(value, note):
    assert value("stnmt", "2022-q3", "public_service_unit_divisions") == D("23")
    assert value("stnmt", "2022-q3", "leaders_subordinate_division_level") == D("6")
    assert value("stnmt", "2022-q3", "decentralisation_inspection") is None
    assert note("stnmt", "2022-q3", "decentralisation_inspection") == "Theo Kế hoạch đến Quý IV triển khai 01 Đoàn"


# STNMT 2022 Q3 -- V
def test_stnmt_2022_q3_recruitment(value):
    assert value("stnmt", "2022-q3", "civil_servants_recruited_exam") == D("2")
    assert value("stnmt", "2022-q3", "civil_servants_recruited_special") == D("1")
    assert value("stnmt", "2022-q3", "public_employees_recruited_exam") is None


def test_stnmt_2022_q3_appointments_and_training(value):
    assert value("stnmt", "2022-q3", "leaders_selected_by_competition") is None
    assert value("stnmt", "2022-q3", "leaders_appointed_division_level") == D("2")
    assert value("stnmt", "2022-q3", "training_planned") == D("114")


def test_stnmt_2022_q3_rotation_and_discipline(value):
    assert value("stnmt", "2022-q3", "job_rotation_target") == D("3")
    assert value("stnmt", "2022-q3", "job_rotation_done") == D("2")
    assert value("stnmt", "2022-q3", "discipline") == D("0")
    assert value("stnmt", "2022-q3", "disciplined_department_leaders") is None


# STNMT 2022 Q3 -- VI
def test_stnmt_2022_q3_autonomy(value):
    assert value("stnmt", "2022-q3", "admin_bodies_financial_autonomy") == D("2")
    assert value("stnmt", "2022-q3", "psu_autonomy") is None
    assert value("stnmt", "2022-q3", "psu_autonomy_full_recurrent") == D("4")


def test_stnmt_2022_q3_internal_spending_department(value, note):
    assert value("stnmt", "2022-q3", "internal_spending_rules_department") == D("1")
    assert note("stnmt", "2022-q3", "internal_spending_rules_department") == "Quyết định số 83/QĐ-STNMT ngày 30/6/2022"


def test_stnmt_2022_q3_internal_spending_subordinates(value, note):
    assert value("stnmt", "2022-q3", "internal_spending_rules_subordinates") == D("0")
    assert note("stnmt", "2022-q3", "internal_spending_rules_subordinates").startswith(
        "Các đơn vị chưa được phê duyệt phương án tự chủ")


# STNMT 2022 Q3 -- VII
def test_stnmt_2022_q3_outgoing_documents(value):
    assert value("stnmt", "2022-q3", "outgoing_documents_total") == D("1214")
    assert value("stnmt", "2022-q3", "outgoing_documents_fully_electronic") == D("1106")
    assert value("stnmt", "2022-q3", "outgoing_documents_electronic_and_paper") == D("0")


def test_stnmt_2022_q3_online_services(value):
    assert value("stnmt", "2022-q3", "online_services_level_3_4") == D("89")
    assert value("stnmt", "2022-q3", "online_services_level_4") == D("88")
    assert value("stnmt", "2022-q3", "online_procedure_files_received_online") == D("79")
    assert value("stnmt", "2022-q3", "staff_with_official_email") == D("308")


def test_stnmt_2022_q3_bcci_and_iso(value, note):
    assert value("stnmt", "2022-q3", "bcci_procedures_received") == D("0")
    assert value("stnmt", "2022-q3", "bcci_procedures_returned") == D("23")
    assert value("stnmt", "2022-q3", "iso_subordinates_internal_audit") == D("0")
    assert note("stnmt", "2022-q3", "iso_subordinates_internal_audit") == "chưa thực hiện"


# SCT 2021 H1 -- I
def test_sct_2021_h1_plan(value, note):
    assert value("sct", "2021-h1", "plan_issued_2021") == D("1")
    assert note("sct", "2021-h1", "plan_issued_2021") == "Kế hoạch số 04/KH-SCT ngày 18/01/2021"
    assert value("sct", "2021-h1", "plan_tasks_planned") == D("22")
    assert value("sct", "2021-h1", "plan_tasks_done") == D("21")
    assert value("sct", "2021-h1", "reform_directive_documents_issued") == D("5")


def test_sct_2021_h1_communication_rate_keeps_precision(value):
    rate = value("sct", "2021-h1", "communication_plan_completion_rate")
    assert rate == D("50.0")
    assert str(rate) == "50.0"  # written 50,0: one decimal, not 50
    assert value("sct", "2021-h1", "articles_in_mass_media") == D("17")


def test_sct_2021_h1_inspection_issues_in_note_only(value, note):
    assert value("sct", "2021-h1", "reform_inspection_issues_found") is None
    assert note("sct", "2021-h1", "reform_inspection_issues_found").startswith(
        "Qua kiểm tra phát hiện 02 vấn đề còn tồn tại")
    assert note("sct", "2021-h1", "reform_inspection_units_inspected").endswith(
        "Thông báo số 81/TB-SCT ngày 05/8/2021 và")  # cut off at the page break, as printed


def test_sct_2021_h1_survey(value):
    assert value("sct", "2021-h1", "satisfaction_survey_responses") == D("51")
    assert value("sct", "2021-h1", "satisfaction_survey_mode") is None
    assert value("sct", "2021-h1", "satisfaction_rate") == D("100")


# SCT 2021 H1 -- II (area header missing from the extraction)
def test_sct_2021_h1_legal_docs_drafted(value):
    assert value("sct", "2021-h1", "legal_docs_drafted") == D("2")
    assert value("sct", "2021-h1", "legal_docs_drafted_by_procedure") == D("2")


def test_sct_2021_h1_legal_docs_review(value, note):
    assert value("sct", "2021-h1", "legal_docs_review") is None
    assert value("sct", "2021-h1", "legal_docs_to_review") == D("44")
    assert note("sct", "2021-h1", "legal_docs_to_review") == \
        "Báo cáo số 111/BC-SCT ngày 10/5/2021; Báo cáo số 200/BC-SCT, ngày 19/7/2021; Báo cáo số 221/BC-SCT ngày 14/8/2021"


def test_sct_2021_h1_legal_docs_flagged(value):
    assert value("sct", "2021-h1", "legal_docs_flagged_after_review") == D("24")
    assert value("sct", "2021-h1", "legal_docs_flagged_resolved") == D("0")


# SCT 2021 H1 -- III
def test_sct_2021_h1_case_files_thousands(value):
    assert value("sct", "2021-h1", "case_files_received") == D("10990")
    assert value("sct", "2021-h1", "case_files_returned") == D("10983")


def test_sct_2021_h1_on_time_rate_keeps_precision(value, note):
    rate = value("sct", "2021-h1", "case_files_on_time_rate")
    assert rate == D("99.99")
    assert str(rate) == "99.99"  # never 100
    assert note("sct", "2021-h1", "case_files_on_time_rate") == \
        "Số lượng TTHC đã giải quyết đúng hạn/Số lượng TTHC đã giải quyết."


def test_sct_2021_h1_procedures(value, note):
    assert value("sct", "2021-h1", "procedures_in_force") == D("114")
    assert value("sct", "2021-h1", "one_stop_page_procedures_level_3_4_2021") == D("105")
    assert value("sct", "2021-h1", "one_stop_shop") == D("0")
    assert value("sct", "2021-h1", "procedures_with_online_payment") == D("28")
    assert note("sct", "2021-h1", "procedures_with_online_payment") == "28 TTHC thuộc mức độ 4"


# SCT 2021 H1 -- IV (area header missing from the extraction)
def test_sct_2021_h1_structure(value, note):
    assert value("sct", "2021-h1", "office_divisions") == D("5")
    assert value("sct", "2021-h1", "admin_bodies_cut") == D("2")
    assert note("sct", "2021-h1", "admin_bodies_cut") == "phòng Kế hoạch-Tài chính-Tổng hợp và phòng Pháp chế"


def test_sct_2021_h1_staffing_group_and_parts(value):
    assert value("sct", "2021-h1", "civil_servant_posts_assigned") == D("39")
    assert value("sct", "2021-h1", "state_paid_psu_staffing") == D("22")
    assert value("sct", "2021-h1", "state_paid_psu_staff_present") == D("21")
    assert value("sct", "2021-h1", "autonomous_psu_staffing") == D("0")


def test_sct_2021_h1_inspections(value, note):
    assert value("sct", "2021-h1", "decentralisation_inspection") == D("2")
    assert value("sct", "2021-h1", "decentralisation_inspection_issues_resolved") is None
    assert value("sct", "2021-h1", "specialised_inspection_issues_found") == D("2")
    assert note("sct", "2021-h1", "specialised_inspection_issues_found") == "Kết luận thanh tra số 05/KL-SCT ngày 23/3/2021"


# SCT 2021 H1 -- V
def test_sct_2021_h1_recruitment(value, note):
    assert value("sct", "2021-h1", "public_employees_recruited_exam") == D("3")
    assert note("sct", "2021-h1", "public_employees_recruited_exam").startswith("Quyết định số 117/QĐ-SCT, ngày 16/11/2021")


def test_sct_2021_h1_training(value):
    assert value("sct", "2021-h1", "training_planned") == D("19")
    assert value("sct", "2021-h1", "training_done") == D("51")


def test_sct_2021_h1_rotation_and_discipline(value):
    assert value("sct", "2021-h1", "job_rotation_target") == D("0")
    assert value("sct", "2021-h1", "job_rotation_done") == D("2")
    assert value("sct", "2021-h1", "disciplined_psu_staff") == D("0")
    assert value("sct", "2021-h1", "disciplined_psu_staff_fully_autonomous") is None


# SCT 2021 H1 -- VI
def test_sct_2021_h1_internal_spending_yes_no_holds_3(value):
    assert value("sct", "2021-h1", "internal_spending_rules_department") == D("3")


def test_sct_2021_h1_internal_spending_subordinates(value, note):
    assert value("sct", "2021-h1", "internal_spending_rules_subordinates") == D("2")
    assert note("sct", "2021-h1", "internal_spending_rules_subordinates") == \
        "02 đơn vị trực thuộc đã xây dựng Quy chế chi tiêu nội bộ"


def test_sct_2021_h1_autonomy(value):
    assert value("sct", "2021-h1", "department_financial_autonomy") == D("1")
    assert value("sct", "2021-h1", "admin_bodies_financial_autonomy") == D("0")
    assert value("sct", "2021-h1", "psu_state_funded_recurrent") == D("2")


# SCT 2021 H1 -- VII
def test_sct_2021_h1_outgoing_documents(value):
    assert value("sct", "2021-h1", "outgoing_documents_total") == D("2929")
    assert value("sct", "2021-h1", "outgoing_documents_fully_electronic_rate_2021") == D("100")
    assert value("sct", "2021-h1", "outgoing_documents_electronic_and_paper_rate_2021") == D("0")


def test_sct_2021_h1_online_rate_keeps_precision(value):
    rate = value("sct", "2021-h1", "online_files_rate_level_4_2021")
    assert rate == D("96.80")
    assert str(rate) == "96.80"  # written 96,80: two decimals
    assert value("sct", "2021-h1", "procedures_offered_level_4") == D("105")


def test_sct_2021_h1_bcci_and_iso(value, note):
    assert value("sct", "2021-h1", "bcci_files_received") == D("6")
    assert value("sct", "2021-h1", "iso_subordinates_announced") == D("0")
    assert note("sct", "2021-h1", "iso_subordinates_announced") == "Do đơn vị không áp dụng hệ thống"
    assert note("sct", "2021-h1", "iso_department_internal_audit") == "Sở đã đánh giá vào ngày 24/6/2021"


# --- 4. counts stated in DOMAIN.md --------------------------------------------------------

COUNTS = {  # rows, with a value, empty, with a note
    ("stnmt", "2023-q1"): (178, 103, 75, 27),
    ("stnmt", "2022-q3"): (178, 115, 63, 33),
    ("sct", "2021-h1"): (159, 122, 37, 44),
}


@pytest.mark.parametrize("key", list(COUNTS), ids=lambda k: f"{k[0]}-{k[1]}")
def test_counts_in_data(reports, key) -> None:
    values = reports[key].values.values()
    got = (len(values), sum(v.value is not None for v in values), sum(v.value is None for v in values),
           sum(v.note != "" for v in values))
    assert got == COUNTS[key]


@pytest.mark.parametrize("key", list(COUNTS), ids=lambda k: f"{k[0]}-{k[1]}")
def test_counts_in_expectations(key) -> None:
    rows = ROWS[key]
    got = (len(rows), sum(v != "" for _, v, _ in rows), sum(v == "" for _, v, _ in rows),
           sum(n != "" for _, _, n in rows))
    assert got == COUNTS[key]


def test_stnmt_2023_q1_nine_notes_on_empty_rows(reports) -> None:
    values = reports[("stnmt", "2023-q1")].values.values()
    assert sum(v.value is None and v.note != "" for v in values) == 9


# --- 5. the comparison notices one changed figure --------------------------------------------

MUTATIONS = [
    # (report file, exact text, replacement, report key, the one row that must differ)
    ("stnmt/2023-q1.yaml", "  plan_tasks_planned: 22  #", "  plan_tasks_planned: 23  #",
     ("stnmt", "2023-q1"), "plan_tasks_planned"),
    ("stnmt/2023-q1.yaml", "  reform_inspection_divisions_inspected: ~  #",
     "  reform_inspection_divisions_inspected: 0  #", ("stnmt", "2023-q1"), "reform_inspection_divisions_inspected"),
    ("sct/2021-h1.yaml", "  communication_plan_completion_rate: 50.0  #",
     "  communication_plan_completion_rate: 50  #", ("sct", "2021-h1"), "communication_plan_completion_rate"),
    ("stnmt/2023-q1.yaml", 'note: "Đang triển khai thực hiện kế hoạch"',
     'note: "Đang triển khai thực hiện kế hoạch."', ("stnmt", "2023-q1"), "plan_tasks_done"),
]


@pytest.mark.parametrize("path, old, new, key, indicator", MUTATIONS,
                         ids=["number-changed", "empty-became-zero", "precision-lost", "note-changed"])
def test_comparison_catches_a_single_change(tmp_path, reports, path, old, new, key, indicator) -> None:
    root = tmp_path / "project"
    for name in ("data", "content", "templates", "assets"):
        if (ROOT / name).is_dir():
            shutil.copytree(ROOT / name, root / name)
    target = root / "data" / path
    text = target.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"the mutation must change exactly one place in {path}"
    target.write_text(text.replace(old, new), encoding="utf-8")

    assert compare_report(reports[key], ROWS[key]) == {}  # the real data is clean ...
    result = check(Project.at(root))
    mutated = next(c.report for c in result.reports if c.report.key == key)
    differences = compare_report(mutated, ROWS[key])
    assert list(differences) == [indicator]  # ... and the copy differs in exactly that row
    assert len(differences[indicator]) == 1
