"""`build.py form` / `forms`: the form a body is sent, and its exact import when it comes back.

A form is written for a bundled report's department and period, filled in the way a clerk does
(openpyxl for Excel, python-docx for Word: coded answers chosen by their meaning, empty cells left
empty, a note over several lines), imported with `build.py import`, and compared with the bundled
report value by value. The workbook's checks, protection and hidden IDs are read back with openpyxl.
"""
from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
from copy import deepcopy
from decimal import Decimal
from pathlib import Path
from xml.sax.saxutils import escape

import pytest
from docx import Document
from docx.table import _Row
from openpyxl import load_workbook

from conftest import ROOT
from reformdash.cli import main
from reformdash.model import Report
from reformdash.numbers import format_vi
from test_import import bundled, catalogue, figures, imported_with_exit, run_import  # noqa: F401 (fixtures)

# one bundled report on each form version
ON_FORM = {"cchc-2022": ("stnmt", "2023-q1"), "cchc-2021": ("sct", "2021-h1")}
# a note over two lines, written into a row both reports leave empty
TWO_LINES = ("province_tasks_assigned", "Chưa được giao nhiệm vụ\nThực hiện vào cuối năm")


def write_form(capsys, out: Path, department: str, period: str, *extra: str) -> tuple[int, str]:
    code = main(["form", "--department", department, "--period", period, "--root", str(ROOT), "--out", str(out),
                 *extra])
    return code, capsys.readouterr().err


def number_cell(value: Decimal) -> tuple[object, str]:
    """A figure as a clerk's spreadsheet holds it: a number, formatted to show the decimals written."""
    exponent = value.as_tuple().exponent
    if exponent >= 0:
        return int(value), "General"
    return float(value), "0." + "0" * -exponent


def expected_figures(report: Report) -> dict:
    expected = figures(report)
    indicator, note = TWO_LINES
    assert expected[indicator] == (None, "")  # (the row is empty in the bundled report)
    expected[indicator] = (None, note)
    return expected


def fill_xlsx(path: Path, report: Report, catalogue) -> None:
    book = load_workbook(path)
    sheet = book["Biểu mẫu"]
    extra_indicator, extra_note = TWO_LINES
    for row in range(1, sheet.max_row + 1):
        indicator = sheet[f"H{row}"].value
        if indicator not in catalogue.indicators:
            continue
        item = report.values.get(indicator)
        kind = catalogue.kinds[catalogue.indicators[indicator].kind]
        if item is not None and item.value is not None:
            code = kind.code(int(item.value)) if kind.codes else None
            if code is not None:
                sheet[f"D{row}"] = code.vi  # chosen from the cell's list
            else:  # a figure (or a code outside the list, pasted in)
                sheet[f"D{row}"], sheet[f"D{row}"].number_format = number_cell(item.value)
        if item is not None and item.note:
            sheet[f"E{row}"] = item.note
        if indicator == extra_indicator:
            sheet[f"E{row}"] = extra_note
    book.save(path)


def fill_docx(path: Path, report: Report, catalogue) -> None:
    document = Document(str(path))
    [table] = [t for t in document.tables if len(t.columns) == 8]
    extra_indicator, extra_note = TWO_LINES
    for row in table.rows:
        cells = row.cells
        indicator = cells[7].text.strip()
        if indicator not in catalogue.indicators:
            continue
        item = report.values.get(indicator)
        kind = catalogue.kinds[catalogue.indicators[indicator].kind]
        if item is not None and item.value is not None:
            code = kind.code(int(item.value)) if kind.codes else None
            cells[3].paragraphs[0].add_run(code.vi if code is not None else format_vi(item.value))
        note = extra_note if indicator == extra_indicator else item.note if item is not None else ""
        for number, line in enumerate(note.split("\n") if note else ()):  # Enter between the lines
            paragraph = cells[4].paragraphs[0] if number == 0 else cells[4].add_paragraph()
            paragraph.add_run(line)
    document.save(str(path))


def test_every_form_version_has_a_round_trip_case(catalogue):
    assert set(ON_FORM) == set(catalogue.forms)
    for form, (department, period) in ON_FORM.items():
        assert catalogue.form_for(catalogue.periods[period]).id == form


@pytest.mark.parametrize("form", sorted(ON_FORM))
@pytest.mark.parametrize("file_format", ["xlsx", "docx"])
def test_a_filled_form_imports_exactly_as_the_report(capsys, tmp_path, project_factory, bundled, catalogue,
                                                     form, file_format):
    department, period = ON_FORM[form]
    report = bundled[(department, period)]
    out = tmp_path / f"bieu-mau.{file_format}"
    code, err = write_form(capsys, out, department, period)
    assert code == 0, err
    (fill_xlsx if file_format == "xlsx" else fill_docx)(out, report, catalogue)
    root = project_factory()
    imported = imported_with_exit(capsys, root, out, department, period)
    assert imported.form == form
    assert figures(imported) == expected_figures(report)
    empty = [k for k, v in imported.values.items() if v.value is None]
    assert len(empty) == sum(v.value is None for v in report.values.values())  # empty stays empty, never 0
    written = (root / "data" / department / f"{period}.yaml").read_text(encoding="utf-8")
    indicator, note = TWO_LINES
    assert "    note: " + json.dumps(note, ensure_ascii=False) + "\n" in written  # the line break kept
    assert written.startswith(f"# {catalogue.departments[department].name_vi}, {catalogue.periods[period].label_vi}\n"
                              f"# Converted from bieu-mau.{file_format}: the form the department filled in, read "
                              "by its row IDs.\n")


def test_the_workbook_checks_its_cells_and_protects_its_labels(capsys, tmp_path, catalogue):
    def kind(indicator: str) -> str:
        return catalogue.indicators[indicator].kind

    out = tmp_path / "stnmt.xlsx"
    code, err = write_form(capsys, out, "stnmt", "2023-q3")
    assert code == 0, err
    assert err == ("form: wrote " + str(out) + ": the form of Sở Tài nguyên và Môi trường for Quý III năm 2023 "
                   "(cchc-2022, 178 rows; for reference the figures of Quý I năm 2023 and Quý III năm 2022)\n")
    book = load_workbook(out)
    assert book.sheetnames == ["Biểu mẫu", "reformdash-form"]
    marks = book["reformdash-form"]
    assert marks.sheet_state == "veryHidden"
    assert [[c.value for c in row] for row in marks.iter_rows()] == [
        ["layout", "1"], ["sheet", "Biểu mẫu"], ["department", "stnmt"], ["period", "2023-q3"], ["form", "cchc-2022"]]
    sheet = book["Biểu mẫu"]
    assert [sheet.cell(r, 1).value for r in range(1, 4)] == [
        "BIỂU THỐNG KÊ SỐ LIỆU CẢI CÁCH HÀNH CHÍNH", "Sở Tài nguyên và Môi trường",
        "Kỳ báo cáo: Quý III năm 2023 (từ 01/07/2023 đến 30/09/2023)"]
    assert [sheet.cell(7, c).value for c in range(1, 9)] == [
        "STT", "Chỉ tiêu thống kê", "Đơn vị tính", "Kết quả thống kê\nSTNMT", "Ghi chú", "Kỳ trước: Quý I năm 2023",
        "Cùng kỳ năm trước: Quý III năm 2022", "ID chỉ tiêu"]
    assert sheet.column_dimensions["H"].hidden and sheet.column_dimensions["I"].hidden
    rows = {sheet[f"H{r}"].value: r for r in range(8, sheet.max_row + 1) if sheet[f"H{r}"].value}
    assert len(rows) == 178 and sheet.max_row == 7 + 178 + 7  # every row, and the seven area rows
    assert [sheet.cell(8, c).value for c in range(1, 3)] == ["I", "Công tác chỉ đạo điều hành CCHC"]
    # number, label and unit as the form prints them; the department's earlier figures beside them
    assert [sheet.cell(rows["plan_tasks_planned"], c).value for c in range(1, 9)] == [
        None, "Số nhiệm vụ đề ra trong kế hoạch", "Nhiệm vụ", None, None, "22", "18", "plan_tasks_planned"]
    assert [sheet.cell(rows["discipline_directives_compliance"], c).value for c in (1, 3)] == [
        "8", "Tốt = 1 Có vi phạm = 0"]
    # column I: each row's anchor, naming its value and note cells (an area row has none)
    assert sheet[f"I{rows['plan_tasks_planned']}"].value == \
        f'=ROW(D{rows["plan_tasks_planned"]})&" "&ROW(E{rows["plan_tasks_planned"]})'
    assert sheet["I8"].value is None
    # protection: the sheet is protected, labels locked, value and note cells open, a heading's value closed
    assert sheet.protection.sheet
    row = rows["plan_tasks_planned"]
    assert [sheet.cell(row, c).protection.locked for c in range(1, 9)] == [True, True, True, False, False, True,
                                                                           True, True]
    heading = rows["procedure_statistics"]
    assert kind("procedure_statistics") == "heading"
    assert sheet[f"D{heading}"].protection.locked and not sheet[f"E{heading}"].protection.locked
    # validations: every value cell but headings', by kind
    rules = {}
    for rule in sheet.data_validations.dataValidation:
        for cell_range in rule.sqref.ranges:
            for (r, c) in cell_range.cells:
                rules[(r, c)] = rule
    checked = {r for (r, c) in rules if c == 4}
    assert checked == {r for i, r in rows.items() if kind(i) != "heading"}
    count = rules[(rows["plan_tasks_planned"], 4)]
    assert (count.type, count.operator, count.formula1, count.allow_blank) == ("whole", "greaterThanOrEqual", "0",
                                                                               True)
    percent = rules[(rows["plan_completion_rate"], 4)]
    assert (percent.type, percent.operator, percent.formula1, percent.formula2) == ("decimal", "between", "0", "100")
    assert [rules[(rows[i], 4)].formula1 for i in ("reform_inspection", "discipline_directives_compliance",
                                                   "leaders_selected_by_competition", "satisfaction_survey_mode")] \
        == ['"Có,Không"', '"Tốt,Có vi phạm"', '"Đã thực hiện,Chưa thực hiện"', '"Trực tuyến,Phát phiếu,Kết hợp"']
    assert all(rules[(r, 4)].showInputMessage and rules[(r, 4)].showErrorMessage for r in checked)
    assert count.prompt == ("Nhập số nguyên từ 0 trở lên. Ô để trống nghĩa là không báo cáo, không phải 0.\n"
                            "Type a whole number from 0. An empty cell means not reported, never 0.")
    # the note cells carry the form's instructions as a hint, never as a value
    note = rules[(row, 5)]
    assert note.type is None and "Ghi rõ nội dung vi phạm; Tóm tắt kiến nghị" in note.prompt
    assert not any(sheet.cell(r, 5).value for r in range(8, sheet.max_row + 1))
    assert "Ghi rõ nội dung vi phạm" in sheet["E7"].comment.text


def test_a_form_of_another_body_is_refused_saying_whose_it_is(capsys, tmp_path, project_factory):
    out = tmp_path / "sct.xlsx"
    assert write_form(capsys, out, "sct", "2023-q1")[0] == 0
    root = project_factory()
    code, err = run_import(capsys, root, out, "stnmt", "2023-q1")
    assert code == 1
    assert err.splitlines() == [
        f"{out}: error E640: this is the form of Sở Công Thương (sct) for Quý I năm 2023 (2023-q1) on form "
        "cchc-2022, not of stnmt for 2023-q1",
        "    hint: import it with --department sct --period 2023-q1, or send stnmt its own form (build.py form "
        "--department stnmt --period 2023-q1)",
        "1 error(s), 0 warning(s)",
        "import: nothing was written"]
    assert not (root / "data" / "stnmt").exists()


@pytest.mark.parametrize("file_format", ["xlsx", "docx"])
def test_figures_typed_as_text_are_read_the_vietnamese_way_and_listed(capsys, tmp_path, project_factory, file_format):
    out = tmp_path / f"stnmt.{file_format}"
    assert write_form(capsys, out, "stnmt", "2024-q1")[0] == 0
    typed = {"outgoing_documents_total": "1.076", "case_files_on_time_rate": "99,99 %",
             "satisfaction_rate": "99,99", "plan_tasks_planned": "22", "reform_inspection": "có"}
    place = {}
    if file_format == "xlsx":
        book = load_workbook(out)
        sheet = book["Biểu mẫu"]
        for row in range(8, sheet.max_row + 1):
            if sheet[f"H{row}"].value in typed:
                sheet[f"D{row}"] = typed[sheet[f"H{row}"].value]  # a str: typed as text
                place[sheet[f"H{row}"].value] = f"cell D{row}"
        book.save(out)
    else:
        document = Document(str(out))
        table = document.tables[0]
        for line, row in enumerate(table.rows, 1):
            if row.cells[7].text in typed:
                row.cells[3].paragraphs[0].add_run(typed[row.cells[7].text])
                place[row.cells[7].text] = f"table row {line}"
        document.save(str(out))
    root = project_factory()
    code, err = run_import(capsys, root, out, "stnmt", "2024-q1")
    assert code == 0, err
    lines = err.splitlines()
    assert lines[:5] == [
        "import: wrote data/stnmt/2024-q1.yaml from the returned form (form cchc-2022, read by its row IDs): 178 rows "
        "(5 with a value)",
        "import: 3 figure(s) were typed as text and read the Vietnamese way; check each against the form:",
        f"  {out}: {place['satisfaction_rate']} (satisfaction_rate): '99,99' read as 99.99",
        f"  {out}: {place['case_files_on_time_rate']} (case_files_on_time_rate): '99,99 %' read as 99.99",
        f"  {out}: {place['outgoing_documents_total']} (outgoing_documents_total): '1.076' read as 1076"]
    written = (root / "data" / "stnmt" / "2024-q1.yaml").read_text(encoding="utf-8")
    for line in ("  outgoing_documents_total: 1076  #", "  case_files_on_time_rate: 99.99  #",
                 "  satisfaction_rate: 99.99  #", "  plan_tasks_planned: 22  #", "  reform_inspection: 1  #",
                 "  plan_tasks_done: ~  #"):
        assert f"\n{line}" in written


def test_a_cell_that_cannot_be_read_names_the_cell_and_nothing_is_written(capsys, tmp_path, project_factory):
    out = tmp_path / "stnmt.xlsx"
    assert write_form(capsys, out, "stnmt", "2024-q1")[0] == 0
    book = load_workbook(out)
    sheet = book["Biểu mẫu"]
    rows = {sheet[f"H{r}"].value: r for r in range(8, sheet.max_row + 1)}
    sheet[f"D{rows['plan_tasks_planned']}"] = "12.5"  # a decimal point: not the Vietnamese way, never guessed
    sheet[f"D{rows['discipline_directives_compliance']}"] = "Vi phạm"
    sheet[f"D{rows['plan_tasks_done']}"] = "1,076"  # a count with a decimal comma (or an English thousands comma)
    book.save(out)
    root = project_factory()
    code, err = run_import(capsys, root, out, "stnmt", "2024-q1")
    assert code == 1
    planned, compliance, done = rows["plan_tasks_planned"], rows["discipline_directives_compliance"], \
        rows["plan_tasks_done"]
    hint = ("    hint: choose from the cell's list or type the figure with the digits 0-9 (1.076, 99,99); leave the "
            "cell empty if it is not reported")
    assert err.splitlines() == [
        f"stnmt.xlsx:{planned}:4: error E641: cell D{planned} (plan_tasks_planned, 'Số nhiệm vụ đề ra trong kế "
        "hoạch'): '12.5' is not a figure written the Vietnamese way (1.076 or 99,99)", hint,
        f"stnmt.xlsx:{done}:4: error E641: cell D{done} (plan_tasks_done, 'Số nhiệm vụ đã hoàn thành'): '1,076' is a "
        "count with a decimal comma: a count is a whole number", hint,
        f"stnmt.xlsx:{compliance}:4: error E641: cell D{compliance} (discipline_directives_compliance, 'Việc chấp "
        "hành Chỉ thị 10 của Chủ tịch UBND tỉnh, Chỉ thị 10 và Chỉ thị 26 của Thủ tướng Chính phủ về kỷ luật, kỷ cương "
        "hành chính'): 'Vi phạm' is not one of Tốt, Có vi phạm",
        hint,
        "3 error(s), 0 warning(s)",
        "import: 3 cell(s) or row(s) of the returned form cannot be read as they are; nothing was written"]
    assert not (root / "data" / "stnmt").exists()


def test_form_refuses_unknown_ids_bodies_not_existing_and_never_overwrites(capsys, tmp_path):
    out = tmp_path / "f.xlsx"
    assert write_form(capsys, out, "stnm", "2023-q1") == (
        2, "form: unknown department 'stnm' (did you mean 'stnmt'?)\n")
    assert write_form(capsys, out, "stnmt", "2023-q5") == (2, "form: unknown period '2023-q5' (did you mean "
                                                              "'2023-q3'?)\n")
    assert write_form(capsys, out, "stnmt", "2025-q3") == (
        2, "form: STNMT did not exist during Quý III năm 2025 (valid … to 2025-02-28); its successor: snnmt\n")
    # ended within the period, its successor reporting it (as `forms` and `status` say): no form for it either
    assert write_form(capsys, out, "stnmt", "2025-q1") == (
        2, "form: STNMT ended on 2025-02-28, before Quý I năm 2025 ended: its successor snnmt reports that period in "
           "its place\n")
    assert not out.exists()
    out.write_bytes(b"the clerk's own file")
    assert write_form(capsys, out, "stnmt", "2023-q1") == (
        1, f"form: {out} exists; nothing was written (use --force to replace it)\n")
    assert out.read_bytes() == b"the clerk's own file"
    assert write_form(capsys, out, "stnmt", "2023-q1", "--force")[0] == 0
    assert load_workbook(out)["reformdash-form"]["B3"].value == "stnmt"


def test_forms_writes_one_file_per_body_valid_in_the_period(capsys, tmp_path):
    folder = tmp_path / "gui"
    code = main(["forms", "--period", "2025-q3", "--root", str(ROOT), "--out", str(folder), "--format", "docx"])
    assert code == 0, capsys.readouterr().err
    # merged in 2025: STNMT, SNNPTNT and STTTT are gone, SNNMT and SKHCN are there
    assert sorted(p.name for p in folder.iterdir()) == [f"bieu-mau-{d}-2025-q3.docx" for d in
                                                        ("sct", "sgddt", "skhcn", "snnmt", "snv")]
    text = "\n".join(p.text for p in Document(str(folder / "bieu-mau-snnmt-2025-q3.docx")).paragraphs)
    assert "reformdash-form layout=1 department=snnmt period=2025-q3 form=cchc-2022" in text
    assert "Sở Nông nghiệp và Môi trường" in text
    code = main(["forms", "--period", "2025-q3", "--root", str(ROOT), "--out", str(folder), "--format", "docx"])
    assert code == 1 and "5 file(s) exist" in capsys.readouterr().err


def test_a_form_whose_hidden_ids_were_changed_is_refused(capsys, tmp_path, project_factory):
    out = tmp_path / "stnmt.xlsx"
    assert write_form(capsys, out, "stnmt", "2024-q1")[0] == 0
    book = load_workbook(out)
    sheet = book["Biểu mẫu"]
    rows = {sheet[f"H{r}"].value: r for r in range(8, sheet.max_row + 1)}
    sheet[f"H{rows['plan_tasks_done']}"] = "plan_tasks_planned"  # a row copied over another, ID and all
    book.save(out)
    root = project_factory()
    code, err = run_import(capsys, root, out, "stnmt", "2024-q1")
    hint = "    hint: fill in a new copy of the form (build.py form) and copy the figures into it"
    assert (code, err.splitlines()) == (1, [
        "stnmt.xlsx: error E642: the form has no row with the hidden ID of 1 row(s) of form cchc-2022: "
        "plan_tasks_done", hint,
        f"stnmt.xlsx:{rows['plan_tasks_done']}:8: error E642: row {rows['plan_tasks_done']} has the hidden ID "
        "'plan_tasks_planned', which appears twice", hint,
        "2 error(s), 0 warning(s)",
        "import: 2 cell(s) or row(s) of the returned form cannot be read as they are; nothing was written"])


def form_rows(sheet) -> dict[str, int]:
    """indicator -> its sheet row, from the hidden column H."""
    return {sheet[f"H{r}"].value: r for r in range(8, sheet.max_row + 1) if sheet[f"H{r}"].value}


SORTED_HINT = ("    hint: the rows were sorted or moved without the hidden ID column, or a label was edited: undo it in "
               "the file (sort or move whole rows only), or fill in a new copy of the form (build.py form) and copy the "
               "figures into it")


def test_rows_sorted_without_their_hidden_ids_are_refused(capsys, tmp_path, project_factory):
    out = tmp_path / "stnmt.xlsx"
    assert write_form(capsys, out, "stnmt", "2024-q1")[0] == 0
    book = load_workbook(out)
    sheet = book["Biểu mẫu"]
    rows = form_rows(sheet)
    sheet[f"D{rows['leaders_department_level']}"] = 4
    # the clerk sorts the three rows under IV.5 by their label, selecting the visible columns A:G only: the hidden
    # IDs (column H) stay where they were
    block = range(rows["leadership"] + 1, rows["leadership"] + 4)
    cells = sorted(([sheet.cell(r, c).value for c in range(1, 8)] for r in block), key=lambda row: row[1])
    for r, values in zip(block, cells):
        for c, value in enumerate(values, 1):
            sheet.cell(r, c).value = value
    book.save(out)
    root = project_factory()
    code, err = run_import(capsys, root, out, "stnmt", "2024-q1")
    first, last = rows["leaders_department_level"], rows["leaders_subordinate_division_level"]
    assert (code, err.splitlines()) == (1, [
        f"stnmt.xlsx:{first}:2: error E642: row {first} has the hidden ID 'leaders_department_level', whose label is "
        "'Số lượng lãnh đạo cấp sở, ngành', but the row's label is 'Số lượng lãnh đạo cấp phòng trong đơn vị trực "
        "thuộc'", SORTED_HINT,
        f"stnmt.xlsx:{last}:2: error E642: row {last} has the hidden ID 'leaders_subordinate_division_level', whose "
        "label is 'Số lượng lãnh đạo cấp phòng trong đơn vị trực thuộc', but the row's label is 'Số lượng lãnh đạo "
        "cấp sở, ngành'", SORTED_HINT,
        "2 error(s), 0 warning(s)",
        "import: 2 cell(s) or row(s) of the returned form cannot be read as they are; nothing was written"])
    assert not (root / "data" / "stnmt").exists()


def test_a_label_number_or_unit_edited_in_word_is_refused(capsys, tmp_path, project_factory):
    out = tmp_path / "stnmt.docx"
    assert write_form(capsys, out, "stnmt", "2024-q1", "--format", "docx")[0] == 0
    document = Document(str(out))
    table = document.tables[0]
    lines = {row.cells[7].text: (line, row) for line, row in enumerate(table.rows, 1)}
    planned, row = lines["plan_tasks_planned"]
    row.cells[3].paragraphs[0].add_run("22")
    row.cells[1].paragraphs[0].runs[0].text = "Số nhiệm vụ   đề ra trong kế hoạch năm"  # the label reworded
    compliance, row = lines["discipline_directives_compliance"]
    row.cells[0].paragraphs[0].runs[0].text = "9"
    row.cells[2].paragraphs[0].runs[0].text = "Tốt = 1"
    done, row = lines["plan_tasks_done"]
    row.cells[1].paragraphs[0].runs[0].text = "Số nhiệm vụ  đã\nhoàn thành "  # other spaces only: the same label
    document.save(str(out))
    root = project_factory()
    code, err = run_import(capsys, root, out, "stnmt", "2024-q1")
    assert (code, err.splitlines()) == (1, [
        f"stnmt.docx:{planned}:2: error E642: row {planned} has the hidden ID 'plan_tasks_planned', whose label is "
        "'Số nhiệm vụ đề ra trong kế hoạch', but the row's label is 'Số nhiệm vụ đề ra trong kế hoạch năm'",
        SORTED_HINT,
        f"stnmt.docx:{compliance}:1: error E642: row {compliance} has the hidden ID "
        "'discipline_directives_compliance', whose number is '8' and unit is 'Tốt = 1 Có vi phạm = 0', but the row's number is '9' and unit is 'Tốt = 1'",
        SORTED_HINT,
        "2 error(s), 0 warning(s)",
        "import: 2 cell(s) or row(s) of the returned form cannot be read as they are; nothing was written"])
    assert not (root / "data" / "stnmt").exists()


def test_rows_with_no_hidden_id_that_carry_a_value_or_a_note_are_kept_unplaced_in_word(capsys, tmp_path,
                                                                                         project_factory):
    out = tmp_path / "stnmt.docx"
    assert write_form(capsys, out, "stnmt", "2024-q1", "--format", "docx")[0] == 0
    document = Document(str(out))
    table = document.tables[0]
    # Word's "Insert row below" under I.9: a row with empty cells and no hidden ID, where the clerk types its own
    other = next(row for row in table.rows if row.cells[7].text == "other_tasks")
    added = deepcopy(other._tr)
    other._tr.addnext(added)
    for cell, text in zip(_Row(added, table).cells, ("", "Số sáng kiến cải cách hành chính được công nhận",
                                                     "Sáng kiến", "3", "Quyết định số 15/QĐ-STNMT\nngày 10/3/2023",
                                                     "", "", "")):
        for run in cell.paragraphs[0].runs:
            run.text = ""
        cell.paragraphs[0].add_run(text)
    # and a figure and a note typed on area VII's title row, which has no ID
    area = next(row for row in table.rows if row.cells[0].text == "VII")
    area.cells[3].paragraphs[0].add_run("87")
    area.cells[4].paragraphs[0].add_run("Lấy từ hệ thống một cửa")
    document.save(str(out))
    lines = {row.cells[1].text: line for line, row in enumerate(table.rows, 1)}
    added_line, area_line = lines["Số sáng kiến cải cách hành chính được công nhận"], lines[area.cells[1].text]
    root = project_factory()
    code, err = run_import(capsys, root, out, "stnmt", "2024-q1")
    assert code == 0, err
    assert err.splitlines()[:4] == [
        "import: wrote data/stnmt/2024-q1.yaml from the returned form (form cchc-2022, read by its row IDs): 178 rows "
        "(0 with a value)",
        "import: 2 row(s) with no hidden ID (a row added to the form, or an area's title row) carry a value or a "
        "note; kept under 'unplaced:' as written and published so (W315); check each against the form:",
        f"  {out}: table row {added_line}: 'Số sáng kiến cải cách hành chính được công nhận' = 3, note 'Quyết định "
        "số 15/QĐ-STNMT ngày 10/3/2023'",
        f"  {out}: table row {area_line}: 'Xây dựng và phát triển Chính phủ điện tử, Chính phủ số' = 87, note 'Lấy "
        "từ hệ thống một cửa'"]
    assert "warning W315: a row of the document that matches no indicator of form cchc-2022 is published as the " \
           "department wrote it: 'Số sáng kiến cải cách hành chính được công nhận' = 3" in err
    written = (root / "data" / "stnmt" / "2024-q1.yaml").read_text(encoding="utf-8")
    assert written.endswith(
        "unplaced:\n"
        '  - label: "Số sáng kiến cải cách hành chính được công nhận"\n'
        '    value: "3"\n'
        '    note: "Quyết định số 15/QĐ-STNMT\\nngày 10/3/2023"\n'
        f'    source: "stnmt.docx:{added_line}"\n'
        '  - label: "Xây dựng và phát triển Chính phủ điện tử, Chính phủ số"\n'
        '    number: "VII"\n'
        '    value: "87"\n'
        '    note: "Lấy từ hệ thống một cửa"\n'
        f'    source: "stnmt.docx:{area_line}"\n')


def test_a_note_on_an_area_row_and_a_row_below_the_table_are_kept_unplaced_in_excel(capsys, tmp_path,
                                                                                     project_factory):
    out = tmp_path / "stnmt.xlsx"
    assert write_form(capsys, out, "stnmt", "2024-q1")[0] == 0
    book = load_workbook(out)
    sheet = book["Biểu mẫu"]
    area = next(r for r in range(8, sheet.max_row + 1) if sheet[f"A{r}"].value == "VII")
    sheet[f"E{area}"] = "Lấy từ hệ thống một cửa"
    below = sheet.max_row + 1
    sheet[f"B{below}"], sheet[f"D{below}"], sheet[f"D{below}"].number_format = "Tỷ lệ số hóa hồ sơ", 45.5, "0.0"
    book.save(out)
    root = project_factory()
    code, err = run_import(capsys, root, out, "stnmt", "2024-q1")
    assert code == 0, err
    assert err.splitlines()[1:4] == [
        "import: 2 row(s) with no hidden ID (a row added to the form, or an area's title row) carry a value or a "
        "note; kept under 'unplaced:' as written and published so (W315); check each against the form:",
        f"  {out}: row {area}: 'Xây dựng và phát triển Chính phủ điện tử, Chính phủ số', note 'Lấy từ hệ thống một "
        "cửa'",
        f"  {out}: row {below}: 'Tỷ lệ số hóa hồ sơ' = 45,5"]
    written = (root / "data" / "stnmt" / "2024-q1.yaml").read_text(encoding="utf-8")
    assert written.endswith(
        "unplaced:\n"
        '  - label: "Xây dựng và phát triển Chính phủ điện tử, Chính phủ số"\n'
        '    number: "VII"\n'
        '    note: "Lấy từ hệ thống một cửa"\n'
        f'    source: "stnmt.xlsx:{area}"\n'
        '  - label: "Tỷ lệ số hóa hồ sơ"\n'
        '    value: "45,5"\n'
        f'    source: "stnmt.xlsx:{below}"\n')


# A LibreOffice Basic macro that edits a workbook as a clerk does in Calc, and saves it as .xlsx beside it
# (<file>.<edit>.xlsx): "shiftup" deletes one cell and shifts the cells below up; "insertrow" inserts a whole row
# and types a label, a figure and a note in it; "sort" sorts whole rows by their label.
CALC_BASIC = """
Sub Edit(path As String, op As String, cells As String, typed As String)
  Dim opening(0) As New com.sun.star.beans.PropertyValue
  opening(0).Name = "Hidden" : opening(0).Value = True
  book = StarDesktop.loadComponentFromURL(ConvertToURL(path), "_blank", 0, opening())
  sheet = book.Sheets.getByIndex(0)
  sheet.unprotect("")
  target = sheet.getCellRangeByName(cells)
  If op = "shiftup" Then
    sheet.removeRange(target.getRangeAddress(), com.sun.star.sheet.CellDeleteMode.UP)
  ElseIf op = "insertrow" Then
    first = target.getRangeAddress().StartRow
    sheet.insertCells(target.getRangeAddress(), com.sun.star.sheet.CellInsertMode.ROWS)
    parts = Split(typed, "|")
    sheet.getCellByPosition(1, first).setString(parts(0))
    sheet.getCellByPosition(3, first).setValue(CDbl(parts(1)))
    sheet.getCellByPosition(4, first).setString(parts(2))
  ElseIf op = "sort" Then
    Dim fields(0) As New com.sun.star.table.TableSortField
    fields(0).Field = 1
    fields(0).IsAscending = True
    Dim sorting(0) As New com.sun.star.beans.PropertyValue
    sorting(0).Name = "SortFields" : sorting(0).Value = fields()
    target.sort(sorting())
  End If
  Dim saving(0) As New com.sun.star.beans.PropertyValue
  saving(0).Name = "FilterName" : saving(0).Value = "Calc MS Excel 2007 XML"
  book.storeToURL(ConvertToURL(path & "." & op & ".xlsx"), saving())
  book.close(True)
End Sub
"""
CALC_MACRO = ('<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE script:module PUBLIC "-//OpenOffice.org//DTD '
              'OfficeDocument 1.0//EN" "module.dtd">\n<script:module xmlns:script="http://openoffice.org/2000/script" '
              'script:name="Module1" script:language="StarBasic">' + escape(CALC_BASIC, {'"': "&quot;"})
              + "</script:module>\n")


@pytest.fixture
def calc(tmp_path):
    """Edit a workbook in LibreOffice Calc (headless, with a profile of its own): calc(path, edit, cells, typed)."""
    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.skip("LibreOffice is not installed")
    profile = tmp_path / "lo-profile"
    environment = f"-env:UserInstallation={profile.as_uri()}"

    def run(*arguments: str) -> int:
        """soffice's exit code; a second try where the first failed (it can fail to start on a loaded machine)."""
        for _ in range(2):
            # in a session of its own: soffice starts soffice.bin, which a timeout must end too
            office = subprocess.Popen([soffice, "--headless", environment, *arguments], stdout=subprocess.DEVNULL,
                                      stderr=subprocess.DEVNULL, start_new_session=True)
            try:
                code = office.wait(timeout=90)
            except subprocess.TimeoutExpired:
                code = -1
            finally:
                if office.poll() is None:
                    os.killpg(office.pid, signal.SIGKILL)
                    office.wait()
            if code == 0:
                return 0
        return code

    if run("--terminate_after_init") != 0:
        pytest.skip("LibreOffice did not start on this machine")
    (profile / "user" / "basic" / "Standard" / "Module1.xba").write_text(CALC_MACRO, encoding="utf-8")

    def edit(path: Path, what: str, cells: str, typed: str = "") -> Path:
        if run(f'macro:///Standard.Module1.Edit("{path}","{what}","{cells}","{typed}")') != 0:
            pytest.skip("LibreOffice did not run its macro on this machine (twice)")
        edited = path.with_name(f"{path.name}.{what}.xlsx")
        assert edited.is_file()
        return edited

    return edit


def test_a_value_cell_deleted_with_shift_up_in_calc_is_found(capsys, tmp_path, project_factory, calc):
    out = tmp_path / "stnmt.xlsx"
    assert write_form(capsys, out, "stnmt", "2024-q1")[0] == 0
    book = load_workbook(out)
    sheet = book["Biểu mẫu"]
    rows = form_rows(sheet)
    for indicator, figure in (("plan_tasks_planned", 22), ("plan_tasks_done", 10),
                              ("reform_directive_documents_issued", 3), ("reform_inspection_units_inspected", 5)):
        sheet[f"D{rows[indicator]}"] = figure
    book.save(out)
    assert rows["reform_directive_documents_issued"] == 12
    # the clerk deletes cell D12 and lets Calc shift the cells below it up: every figure below moves up a row
    root = project_factory()
    code, err = run_import(capsys, root, calc(out, "shiftup", "D12"), "stnmt", "2024-q1")
    hint = ("    hint: cells of the value or note column were deleted, inserted or moved on their own, not with their "
            "whole row (Delete cells… shift cells up, Insert cells, cut and paste): undo it in the file, or fill in "
            "a new copy of the form (build.py form) and copy the figures into it")
    assert (code, err.splitlines()) == (1, [
        "stnmt.xlsx.shiftup.xlsx:12:4: error E643: row 12 (reform_directive_documents_issued, 'Số văn bản chỉ đạo "
        "CCHC đã ban hành'): its value cell was deleted (or another cell was moved over it)", hint,
        "stnmt.xlsx.shiftup.xlsx:13:4: error E643: row 13 (reform_inspection, 'Kiểm tra CCHC'): its value cell now "
        "stands at D12", hint,
        "stnmt.xlsx.shiftup.xlsx:14:4: error E643: row 14 (reform_inspection_divisions_inspected, 'Số phòng ban đã "
        "kiểm tra'): its value cell now stands at D13", hint,
        "stnmt.xlsx.shiftup.xlsx:15:4: error E643: row 15 (reform_inspection_units_inspected, 'Số đơn vị trực thuộc "
        "đã kiểm tra'): its value cell now stands at D14", hint,
        "stnmt.xlsx.shiftup.xlsx:16:4: error E643: row 16 (reform_inspection_issues_found, 'Số vấn đề phát hiện qua "
        "kiểm tra'): its value cell now stands at D15", hint,
        "stnmt.xlsx.shiftup.xlsx:17:4: error E643: 170 more value or note cell(s) stand away from their rows, from "
        "row 17 on", hint,
        "6 error(s), 0 warning(s)",
        "import: 6 cell(s) or row(s) of the returned form cannot be read as they are; nothing was written"])
    assert not (root / "data" / "stnmt").exists()
    # whole rows sorted or inserted in Calc keep each figure on its row: read as the clerk meant them
    sorted_rows = calc(out, "sort", f"A{rows['plan_completion_rate']}:I{rows['plan_tasks_done']}")
    assert load_workbook(sorted_rows)["Biểu mẫu"]["H9"].value == "plan_tasks_done"  # (the rows did move)
    root = project_factory()
    code, err = run_import(capsys, root, sorted_rows, "stnmt", "2024-q1")
    assert code == 0, err
    written = (root / "data" / "stnmt" / "2024-q1.yaml").read_text(encoding="utf-8")
    for line in ("  plan_tasks_planned: 22  #", "  plan_tasks_done: 10  #", "  reform_directive_documents_issued: 3  #",
                 "  reform_inspection_units_inspected: 5  #"):
        assert f"\n{line}" in written
    added = rows["other_tasks"] + 1
    inserted = calc(out, "insertrow", f"A{added}:I{added}", "Số sáng kiến được công nhận|3|Quyết định số 15/QĐ")
    root = project_factory()
    code, err = run_import(capsys, root, inserted, "stnmt", "2024-q1")
    assert code == 0, err
    assert err.splitlines()[2] == (f"  {inserted}: row {added}: 'Số sáng kiến được công nhận' = 3, note 'Quyết "
                                   "định số 15/QĐ'")
    written = (root / "data" / "stnmt" / "2024-q1.yaml").read_text(encoding="utf-8")
    assert "\n  reform_inspection_units_inspected: 5  #" in written
    assert written.endswith(f'unplaced:\n  - label: "Số sáng kiến được công nhận"\n    value: "3"\n'
                            f'    note: "Quyết định số 15/QĐ"\n    source: "stnmt.xlsx.insertrow.xlsx:{added}"\n')


def test_a_figure_typed_in_a_returned_form_keeps_every_digit_whatever_its_cell_shows():
    """99,999 in a cell formatted to two places shows 100,00; the department typed 99,999, which is kept."""
    from reformdash.importers.returned_form import figure_from_number

    assert [figure_from_number(v, f) for v, f in ((0.9999, "0.0%"), (99.999, "0.00"), (96.8, "0.00"), (50, "0.0"),
                                                  (0.5, "0%"), (22, "0"))] == \
        ["99.99", "99.999", "96.80", "50.0", "50", "22"]
