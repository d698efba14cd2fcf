"""Import guided by the form: rows a department's copy words differently land on their indicator by
likeness and order, each listed for the clerk to confirm; the form's own instructions are kept apart
from the department's notes (template_note), and check warns about a note that looks like one (W316,
tests/bad-inputs/W316-note-is-a-form-instruction).

The variant documents are made here from the three reference reports, as DOCX and XLSX (the builders
of test_import.py), with the changes a department's copy makes: labels reworded or carrying document
numbers, a group heading reworded, spaces inside words, rows renumbered, a row left out, a row added.
"""
from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest

from conftest import REFERENCE_REPORTS
from test_import import (IDS, REFERENCES, UNKNOWN_LABEL, Layout, acknowledge_as_bundled, build_docx,  # noqa: F401
                         build_xlsx, bundled, bundled_text, catalogue, figures, report_of, run_import)
from reformdash.importers.match import Labels, match_appendix
from reformdash.importers.record import (ImportedValue, SourceDocument, SourceTable, file_template_notes,
                                         find_appendix)
from reformdash.importers.text import AppendixRow, read_appendix_file

DIRECTIVE = ("Việc chấp hành Chỉ thị 10 của Chủ tịch UBND tỉnh, Chỉ thị 10 và Chỉ thị 26 của Thủ tướng Chính phủ "
             "về kỷ luật, kỷ cương hành chính")
DIRECTIVE_NUMBERED = ("Việc chấp hành Chỉ thị 10/CT-UBND của Chủ tịch UBND tỉnh, Chỉ thị 10/CT-TTg và Chỉ thị "
                      "26/CT-TTg của Thủ tướng Chính phủ về kỷ luật, kỷ cương hành chính")
DOCUMENTS = "Số văn bản chỉ đạo CCHC đã ban hành"
# the form's label -> the department's wording, the indicator, how alike the import finds them (%)
REWORDED = {
    DOCUMENTS: ("Số văn bản chỉ đạo, điều hành CCHC đã ban hành", "reform_directive_documents_issued", 99),
    "Kiểm tra CCHC": ("Công tác kiểm tra CCHC", "reform_inspection", 75),  # a heading: its rows' labels are shared
    DIRECTIVE: (DIRECTIVE_NUMBERED, "discipline_directives_compliance", 99),
    "Số lượng ý kiến đã tiếp nhận": ("Số lượng phản ánh, kiến nghị đã tiếp nhận", "feedback_received", 86),
    "Tỷ lệ TTHC đã được phê duyệt quy trình nội bộ": ("Tỷ lệ TTHC đã đư ợc phê duy ệt quy trình n ội bộ",
                                                      "procedures_internal_process_approved_rate", 99),
}
DROPPED = ("Số TTHC liên thông cùng cấp", "procedures_linked_same_level")
EXTRA = ("Sáng kiến", "3", "Thí điểm tại bộ phận một cửa")  # unit, value, note of the row the form lacks


def variant(layout: Layout) -> Layout:
    """The department's copy: rows reworded, every numbered row renumbered (one more), one row left out,
    one row the form does not have added after the reworded 'Số văn bản chỉ đạo CCHC đã ban hành'."""
    rows = []
    for row in layout.rows:
        if row.label == DROPPED[0]:
            continue
        label = REWORDED[row.label][0] if row.label in REWORDED else row.label
        number = str(int(row.number) + 1) if row.number.isdigit() else row.number
        rows.append(dataclasses.replace(row, label=label, number=number))
        if row is layout.multiline:  # the row whose note the builders write over several lines
            layout.multiline = rows[-1]
        if row.label == DOCUMENTS:
            rows.append(AppendixRow(0, "", UNKNOWN_LABEL, *EXTRA))
    layout.rows = rows
    return layout


def import_variant(capsys, root: Path, path: Path, department: str, period: str, *extra: str) -> tuple[int, str]:
    """Import; where the bundled file admits a source anomaly (an E205 until then), admit it the same way."""
    code, err = run_import(capsys, root, path, department, period, *extra)
    if code == 1 and "error E205" in err and "\nacknowledged:\n" in bundled_text(department, period):
        acknowledge_as_bundled(root, department, period)
        code = 0
    return code, err


# --- the variants, value by value -----------------------------------------------------------

@pytest.mark.parametrize("kind", ["docx", "xlsx"])
@pytest.mark.parametrize("name, department, period, form", REFERENCES, ids=IDS)
def test_variant_imports_with_reworded_rows_matched_and_listed(capsys, tmp_path, project_factory, bundled, kind,
                                                               name, department, period, form):
    layout = variant(Layout(name, bundled[(department, period)]))
    path = tmp_path / f"bao-cao.{kind}"
    build_docx(path, layout) if kind == "docx" else build_xlsx(path, layout)
    root = project_factory()
    code, err = import_variant(capsys, root, path, department, period, "--accept-unmatched")
    assert code == 0, err
    assert "error E601" not in err and err.count("warning W601") == 1

    # every reworded row is listed with the form's label, its indicator and how alike, for the clerk
    listed = re.findall(rf"^  {re.escape(str(path))}:(\d+): '(.*)' is taken as '(.*)' \((\w+)\), (\d+) % alike$",
                        err, re.MULTILINE)
    assert [(label, form_label, indicator, int(pct)) for _, label, form_label, indicator, pct in listed] == \
        [(new, old, indicator, pct) for old, (new, indicator, pct) in REWORDED.items()]
    assert f"import: 5 row(s) of the document match a form row by likeness, not by their label; check each " \
           f"against the document (each is marked 'check' in data/{department}/{period}.yaml):" in err

    # value by value: the reworded rows hold their figures, the row left out is left out (W602)
    expected = layout.expected()
    del expected[DROPPED[1]]
    report = report_of(root, department, period)
    assert report.form == form
    assert figures(report) == expected
    assert f"{path}: warning W602: the document has no row for '{DROPPED[1]}'" in err
    # the row the form lacks is kept as written, where the document has it
    line = re.search(rf"{re.escape(str(path))}:(\d+):1: warning W601: row '{UNKNOWN_LABEL}'", err)[1]
    assert [(u.label, u.value, u.note, u.source) for u in report.unplaced] == \
        [(UNKNOWN_LABEL, "3", EXTRA[2], f"bao-cao.{kind}:{line}")]
    # the data file marks each row placed by likeness beside it
    written = (root / "data" / department / f"{period}.yaml").read_text(encoding="utf-8")
    documents_line = listed[0][0]
    assert f"\n  reform_directive_documents_issued:  # {DOCUMENTS} <- line {documents_line} " \
           f"'{REWORDED[DOCUMENTS][0]}' (99 % alike: check)\n    value: " \
           f"{expected['reform_directive_documents_issued'][0]}\n" in written
    assert written.count("% alike: check)") == 5


def test_without_accept_unmatched_only_the_added_row_stops_the_import(capsys, tmp_path, project_factory, bundled):
    layout = variant(Layout(REFERENCES[0][0], bundled[("stnmt", "2023-q1")]))
    path = tmp_path / "bao-cao.docx"
    build_docx(path, layout)
    root = project_factory()
    code, err = run_import(capsys, root, path, "stnmt", "2023-q1")
    assert code == 1
    assert re.findall(r"error E601: row '([^']*)'", err) == [UNKNOWN_LABEL]
    assert "import: 1 row(s) match no row of form cchc-2022; nothing was written" in err
    assert not (root / "data" / "stnmt" / "2023-q1.yaml").exists()


# --- the matcher on its own ----------------------------------------------------------------

def reference_rows(name: str = REFERENCES[0][0]) -> list[AppendixRow]:
    return read_appendix_file(REFERENCE_REPORTS / name)


def relabel(rows: list[AppendixRow], old: str, new: str) -> list[AppendixRow]:
    assert sum(r.label == old for r in rows) == 1
    return [dataclasses.replace(r, label=new) if r.label == old else r for r in rows]


def test_exact_labels_stay_exact(catalogue):
    for name, _, _, form in REFERENCES:
        result = match_appendix(reference_rows(name), catalogue.forms[form], catalogue, Labels())
        assert result.likely == () and result.unmatched == ()


def test_a_document_number_after_a_directive_is_no_obstacle(catalogue):
    rows = relabel(reference_rows(), DIRECTIVE, DIRECTIVE_NUMBERED)
    result = match_appendix(rows, catalogue.forms["cchc-2022"], catalogue, Labels())
    assert result.unmatched == () and result.missing == ()
    [likely] = result.likely
    assert (likely.row.label, likely.indicator, likely.label, likely.likeness) == \
        (DIRECTIVE_NUMBERED, "discipline_directives_compliance", DIRECTIVE, 0.99)
    assert {v.indicator: v.value for v in result.values}["discipline_directives_compliance"] == "1"


def test_a_row_too_unlike_any_form_row_stays_unmatched(catalogue):
    """'Số cuộc khảo sát đã thực hiện' (surveys made) is not 'Số lượng phiếu khảo sát' (forms returned),
    the free form row at its place: it is left unmatched, with that row among its candidates."""
    rows = relabel(reference_rows(), "Số lượng phiếu khảo sát", "Số cuộc khảo sát đã thực hiện")
    result = match_appendix(rows, catalogue.forms["cchc-2022"], catalogue, Labels())
    assert result.likely == ()
    assert [(u.row.label, u.kind) for u in result.unmatched] == [("Số cuộc khảo sát đã thực hiện", "unknown")]
    assert "satisfaction_survey_responses" in [c.indicator for c in result.unmatched[0].candidates]
    assert result.missing == ("satisfaction_survey_responses",)


def test_alike_rows_are_told_apart_by_their_numbers(catalogue):
    """'mức độ 3' and 'mức độ 4' rows are 93 % alike. With the four rows between the level-3 row and the
    level-4 row left out, both are free between the same two rows, and the reworded level-4 row is
    still taken as level 4."""
    rows = reference_rows()
    first = next(i for i, r in enumerate(rows) if r.label == "- Số TTHC đang cung cấp trực tuyến mức độ 3")
    rows = rows[:first] + rows[first + 4:]
    assert rows[first].label == "- Số TTHC đang cung cấp trực tuyến mức độ 4"
    rows = relabel(rows, "- Số TTHC đang cung cấp trực tuyến mức độ 4", "- Số TTHC đã cung cấp trực tuyến mức độ 4")
    result = match_appendix(rows, catalogue.forms["cchc-2022"], catalogue, Labels())
    assert [(m.indicator, m.likeness) for m in result.likely] == [("procedures_offered_level_4", 0.99)]
    assert result.missing == ("procedures_offered_level_3", "procedures_level_3_with_online_files",
                              "online_services_level_4", "procedures_eligible_level_4")


def test_a_row_out_of_its_place_is_not_taken_by_likeness(catalogue):
    """The reworded directive row moved to the end of the document: its form row lies before the rows
    around it, so it is not taken as that row (an exact label would have been)."""
    rows = reference_rows()
    directive = next(r for r in rows if r.label == DIRECTIVE)
    moved = [r for r in rows if r is not directive] + [dataclasses.replace(directive, line=rows[-1].line + 1,
                                                                            label=DIRECTIVE_NUMBERED)]
    result = match_appendix(moved, catalogue.forms["cchc-2022"], catalogue, Labels())
    assert result.likely == ()
    assert [u.row.label for u in result.unmatched] == [DIRECTIVE_NUMBERED]
    assert result.missing == ("discipline_directives_compliance",)


# --- the form's instructions ---------------------------------------------------------------

def test_the_forms_list_their_instructions(catalogue):
    form = catalogue.forms["cchc-2022"]
    assert (form.instructions, form.instructions_in_italics) == (("Ghi rõ nội dung vi phạm", "Tóm tắt kiến nghị"),
                                                                 True)
    assert (catalogue.forms["cchc-2021"].instructions, catalogue.forms["cchc-2021"].instructions_in_italics) == \
        ((), False)


def test_a_note_that_is_a_form_instruction_is_imported_as_template_note(capsys, tmp_path, project_factory, bundled):
    layout = Layout(REFERENCES[0][0], bundled[("stnmt", "2023-q1")])
    hints = {DIRECTIVE: "Ghi rõ nội dung vi phạm", "Số lượng ý kiến đã tiếp nhận": "tóm tắt kiến nghị"}
    assert all(not r.note for r in layout.rows if r.label in hints)
    layout.rows = [dataclasses.replace(r, note=hints[r.label]) if r.label in hints else r for r in layout.rows]
    path = tmp_path / "bao-cao.docx"
    build_docx(path, layout)
    root = project_factory()
    code, err = run_import(capsys, root, path, "stnmt", "2023-q1")
    assert code == 0, err
    assert "import: 2 note(s) are the form's own instructions, written as template_note (shown as the form's, " \
           "not as the department's note)" in err
    assert "W316" not in err
    values = report_of(root, "stnmt", "2023-q1").values
    assert [(values[i].note, values[i].template_note) for i in ("discipline_directives_compliance",
                                                                "feedback_received")] == \
        [("", "Ghi rõ nội dung vi phạm"), ("", "tóm tắt kiến nghị")]
    expected = layout.expected()
    assert figures(report_of(root, "stnmt", "2023-q1")) == expected  # (figures() gives notes only)
    assert expected["discipline_directives_compliance"] == ("1", "")


def italic_appendix() -> SourceDocument:
    header = ("STT", "Chỉ tiêu thống kê", "Đơn vị tính", "Số liệu", "Ghi chú")
    rows = ((1, header),
            (2, ("8", DIRECTIVE, "Tốt = 1 Có vi phạm = 0", "1", "Nêu hình thức xử lý vi phạm")),
            (3, ("", "Số nhiệm vụ đề ra trong kế hoạch", "Nhiệm vụ", "22", "Kế hoạch số 03/KH-STNMT")))
    return SourceDocument((SourceTable(rows, italic=frozenset({(2, 4), (3, 1)})),))


def test_an_italic_note_is_a_template_note_where_the_form_prints_its_instructions_in_italics(catalogue):
    appendix = find_appendix(italic_appendix())
    assert appendix.italic_notes == frozenset({2})  # row 3's label is in italics, not its note
    values = tuple(ImportedValue(ind, "1", row.note, row.line) for ind, row in
                   zip(("discipline_directives_compliance", "plan_tasks_planned"), appendix.rows))
    filed = file_template_notes(values, catalogue.forms["cchc-2022"], appendix.italic_notes)
    assert [(v.note, v.template_note) for v in filed] == [("", "Nêu hình thức xử lý vi phạm"),
                                                          ("Kế hoạch số 03/KH-STNMT", "")]
    # the 2021 form is not known to print its instructions in italics: the note stays the department's
    filed = file_template_notes(values, catalogue.forms["cchc-2021"], appendix.italic_notes)
    assert [(v.note, v.template_note) for v in filed] == [("Nêu hình thức xử lý vi phạm", ""),
                                                          ("Kế hoạch số 03/KH-STNMT", "")]


@pytest.mark.parametrize("kind", ["docx", "xlsx"])
def test_a_note_set_in_italics_in_the_document_is_the_forms_instruction(capsys, tmp_path, project_factory,
                                                                         bundled, kind):
    """The 2022 form prints its instructions in italics: a note the document sets in italics (here one that is
    not in the form's list) is written as template_note, never as the department's note."""
    name, department, period, _ = REFERENCES[0]
    layout = Layout(name, bundled[(department, period)])
    # a note the form could print (not one of its listed instructions), left in the note column in italics
    row = next(r for r in layout.rows if not r.note and r.value and not r.number)
    row = dataclasses.replace(row, note="Nêu hình thức xử lý vi phạm")
    layout.rows = [row if r.line == row.line else r for r in layout.rows]
    path = tmp_path / f"bao-cao.{kind}"
    build_docx(path, layout) if kind == "docx" else build_xlsx(path, layout)
    italicised = 0
    if kind == "docx":
        from docx import Document

        document = Document(str(path))
        for table in document.tables:
            for cells in table.rows:
                for cell in cells.cells:
                    if cell.text == row.note:
                        for paragraph in cell.paragraphs:
                            for run in paragraph.runs:
                                run.italic, italicised = True, italicised + 1
        document.save(str(path))
    else:
        from openpyxl import load_workbook
        from openpyxl.styles import Font

        workbook = load_workbook(path)
        for sheet in workbook.worksheets:
            for cells in sheet.iter_rows():
                for cell in cells:
                    if cell.value == row.note:
                        cell.font, italicised = Font(italic=True), italicised + 1
        workbook.save(path)
    assert italicised >= 1
    root = project_factory()
    code, err = run_import(capsys, root, path, department, period)
    assert code == 0, err
    report = report_of(root, department, period)
    [(indicator, value)] = [(i, v) for i, v in report.values.items() if v.template_note]
    assert (value.template_note, value.note) == (row.note, "")
    assert "note(s) are the form's own instructions, written as template_note" in err


def _wrapped_rows(where: str) -> tuple[list[tuple[str, ...]], list[str]]:
    """The 2023-Q1 appendix with three long labels cut in two table rows, the figure, unit and note on the
    label's first row (`top`) or on its last (`bottom`), as a document converted from PDF lays them out."""
    table, cut = [], []
    for row in read_appendix_file(REFERENCE_REPORTS / "so-tnmt_2023-q1_report.txt"):
        words = row.label.split()
        if len(words) > 8 and row.value and len(cut) < 3:
            head, tail = " ".join(words[:len(words) // 2]), " ".join(words[len(words) // 2:])
            cells = (row.unit, row.value, row.note)
            table += [(row.number, head, *(cells if where == "top" else ("", "", ""))),
                      ("", tail, *(("", "", "") if where == "top" else cells))]
            cut.append(row.label)
        else:
            table.append((row.number, row.label, row.unit, row.value, row.note))
    return table, cut


@pytest.mark.parametrize("kind", ["docx", "xlsx"])
@pytest.mark.parametrize("where", ["top", "bottom"])
def test_a_label_wrapped_over_table_rows_is_joined_into_the_forms_label(capsys, tmp_path, project_factory, bundled,
                                                                        kind, where):
    from docx import Document
    from openpyxl import Workbook

    from test_import import docx_header

    table, cut = _wrapped_rows(where)
    assert cut == ["Số văn bản chỉ đạo CCHC đã ban hành", "Tỷ lệ thực hiện nhiệm vụ tuyên truyền theo kế hoạch",
                   "Số lượng tin, bài viết, phóng sự gửi và duyệt đăng tại Chuyên trang CCHC tỉnh "
                   "(https://cchc.soctrang.gov.vn/)"]
    path = tmp_path / f"bao-cao.{kind}"
    if kind == "docx":
        document = Document()
        grid = document.add_table(rows=0, cols=5)
        docx_header(grid, "Số liệu")
        for cells in table:
            for cell, text in zip(grid.add_row().cells, cells):
                cell.text = text
        document.save(str(path))
        lines = [table.index(r) + 3 for r in table if r[1] in ("Số văn bản chỉ", "Tỷ lệ thực hiện nhiệm",
                                                              "Số lượng tin, bài viết, phóng sự gửi")]
    else:
        book = Workbook()
        book.active.append(["STT", "Chỉ tiêu thống kê", "Đơn vị tính", "Số liệu", "Ghi chú"])
        for cells in table:
            book.active.append(list(cells))
        book.save(path)
        lines = [table.index(r) + 2 for r in table if r[1] in ("Số văn bản chỉ", "Tỷ lệ thực hiện nhiệm",
                                                              "Số lượng tin, bài viết, phóng sự gửi")]
    root = project_factory()
    code, err = run_import(capsys, root, path, "stnmt", "2023-q1")
    assert code == 0, err
    assert f"import: 3 row(s) cut over two or more table rows (by a page break, or in a converted document) were " \
           f"joined into one: " \
           f"{path}:{lines[0]}-{lines[0] + 1}, {path}:{lines[1]}-{lines[1] + 1}, {path}:{lines[2]}-{lines[2] + 1}" \
           in err.splitlines()
    assert figures(report_of(root, "stnmt", "2023-q1")) == figures(bundled[("stnmt", "2023-q1")])


def test_rows_are_not_joined_when_the_joined_label_is_no_form_label_or_both_rows_hold_a_figure(catalogue):
    labels = Labels()
    form = catalogue.forms["cchc-2022"]
    rows = [AppendixRow(10, "", "Số văn bản chỉ", "Văn bản", "2", ""), AppendixRow(11, "", "đạo CCHC đã ban hành",
                                                                                    "", "3", ""),
            AppendixRow(12, "", "Số phòng ban", "", "", ""), AppendixRow(13, "", "đã kiểm tra lại", "", "4", "")]
    result = match_appendix(rows, form, catalogue, labels)
    assert result.joined == ()
    assert {10, 12, 13} <= {u.row.line for u in result.unmatched}


@pytest.mark.parametrize("note, filed", [
    ("Ghi rõ nội dung vi phạm", "Ghi rõ nội dung vi phạm"),
    ("(Ghi rõ nội dung vi phạm)", "Ghi rõ nội dung vi phạm"),
    ("Ghi rõ nội dung vi phạm (nếu có)", "Ghi rõ nội dung vi phạm"),
    ("Tóm tắt các kiến nghị", "Tóm tắt kiến nghị"),
    ("Ghi rõ nội dung", "Ghi rõ nội dung vi phạm"),
    ("Nêu rõ hình thức tiếp nhận", "Nêu rõ …"),  # not in the list: known by how the form's instructions begin
    ("Ghi rõ nội dung vi phạm: Quyết định 12/QĐ-STNMT", None),  # figures: the department's words
    ("Kế hoạch số 03/KH-STNMT ngày 19/01/2023", None),
    ("Đang triển khai thực hiện kế hoạch", None),
    ("Nêu rõ " + "thêm " * 12, None),  # longer than an instruction
    ("(Ghi rõ nội dung vi phạm, nếu có)", "Ghi rõ nội dung vi phạm"),
    ("Ghi chú: tóm tắt kiến nghị", "Tóm tắt kiến nghị"),
    # the department's answers, never the form's text: after a colon, or with an answer's words
    ("Tóm tắt kiến nghị: không", None),
    ("Ghi rõ nội dung vi phạm: không", None),
    ("Tóm tắt: đã thực hiện đầy đủ", None),
    ("Liệt kê các đơn vị đã kiểm tra: Phòng A, Phòng B", None),
    ("Nêu rõ trong báo cáo", None),
    ("Liệt kê tại phụ lục kèm theo", None),
    ("Ghi cụ thể tại Báo cáo kèm theo", None),
    ("Đề nghị ghi nhận kết quả của Văn phòng Sở", None),
])
def test_a_note_is_the_forms_instruction_by_its_words_a_close_variant_or_how_it_begins(catalogue, note, filed):
    from reformdash.inputs.validate import form_instruction

    assert form_instruction(note, catalogue.forms["cchc-2022"], exact=True) == filed


def test_italics_say_nothing_where_the_whole_note_column_is_in_italics(catalogue):
    """A copy that sets every note in italics (a house style): none of them is taken for the form's text."""
    values = tuple(ImportedValue(f"i{n}", "1", note, n) for n, note in
                   enumerate(["Kế hoạch số 03/KH-STNMT", "Đang triển khai", "Chưa thực hiện", "Nêu hình thức"], 1))
    filed = file_template_notes(values, catalogue.forms["cchc-2022"], frozenset({1, 2, 3, 4}))
    assert [(v.note, v.template_note) for v in filed] == [(v.note, "") for v in values]
    filed = file_template_notes(values, catalogue.forms["cchc-2022"], frozenset({4}))
    assert [(v.note, v.template_note) for v in filed][3] == ("", "Nêu hình thức")
    # an italic note with an answer's words is the department's: "Chưa thực hiện", "Đang triển khai"
    filed = file_template_notes(values, catalogue.forms["cchc-2022"], frozenset({2, 3}))
    assert [(v.note, v.template_note) for v in filed][1:3] == [("Đang triển khai", ""), ("Chưa thực hiện", "")]
    # an italic note with a figure or a document number is the department's
    filed = file_template_notes(values, catalogue.forms["cchc-2022"], frozenset({1}))
    assert [(v.note, v.template_note) for v in filed][0] == ("Kế hoạch số 03/KH-STNMT", "")


def test_a_row_holding_only_the_rest_of_the_unit_and_note_above_it_is_joined_to_it(catalogue):
    """A page break cut a row: the next page's first row has no number, label or figure, only the rest of the
    unit ("đơn vị") and of the note; it is the row above's, never a row of its own."""
    form = catalogue.forms["cchc-2022"]
    rows = [AppendixRow(10, "", "Số phòng ban đã kiểm tra", "Cơ quan,", "3", "Kế hoạch số"),
            AppendixRow(11, "", "", "đơn vị", "", "11/KH-STNMT"),
            AppendixRow(12, "", "Số đơn vị trực thuộc đã kiểm tra", "Cơ quan, đơn vị", "", "")]
    result = match_appendix(rows, form, catalogue, Labels())
    assert result.joined == ((10, 11),) and result.unmatched == ()
    values = {v.indicator: (v.value, v.note) for v in result.values}
    assert values["reform_inspection_divisions_inspected"] == ("3", "Kế hoạch số 11/KH-STNMT")
    assert values["reform_inspection_units_inspected"] == ("", "")


def test_the_top_of_a_row_cut_before_a_repeated_header_is_the_next_rows(catalogue):
    """A row cut by a page break with its label set lower down: the part on the first page (only the start of
    the note) stands last before the repeated header, and belongs to the row after it, not to the row above."""
    form = catalogue.forms["cchc-2022"]
    rows = [AppendixRow(4, "", "Số nhiệm vụ đã hoàn thành", "Nhiệm vụ", "0", "Đang triển khai thực hiện kế hoạch"),
            AppendixRow(5, "", "", "", "", "Công văn số 12/STNMT-VP ngày 16/02/2023;"),
            AppendixRow(7, "", "Số văn bản chỉ đạo CCHC đã ban hành", "Văn bản", "2",
                        "Công văn số 28/STNMT-VP ngày 08/3/2023")]
    result = match_appendix(rows, form, catalogue, Labels(), page_ends=frozenset({5}))
    values = {v.indicator: (v.value, v.note) for v in result.values}
    assert values["plan_tasks_done"] == ("0", "Đang triển khai thực hiện kế hoạch")
    assert values["reform_directive_documents_issued"] == (
        "2", "Công văn số 12/STNMT-VP ngày 16/02/2023; Công văn số 28/STNMT-VP ngày 08/3/2023")
    assert result.joined == ((5, 7),)


def test_a_row_with_its_own_unit_under_a_whole_row_is_not_joined_to_it(capsys, catalogue):
    """A real row whose label cell was left empty has a unit of its own, while the row above has all of its
    unit: it is not the rest of that row, and stops the import named for what it holds."""
    form = catalogue.forms["cchc-2022"]
    rows = [AppendixRow(19, "", "Tổng số nhiệm vụ được giao", "Nhiệm vụ", "3", ""),
            AppendixRow(20, "", "", "Nhiệm vụ", "", "Chưa có nhiệm vụ đến hạn")]
    result = match_appendix(rows, form, catalogue, Labels())
    assert result.joined == ()
    assert [u.row.line for u in result.unmatched] == [20]
    from reformdash.commands.import_report import _match_problems
    [problem] = [p for p in _match_problems(result, "bao-cao.docx", False, catalogue) if p.code == "E601"]
    assert problem.message.startswith("a row with no label (unit 'Nhiệm vụ', note 'Chưa có nhiệm vụ đến hạn') matches "
                                      "no row of form cchc-2022")


def test_a_rate_is_never_placed_on_a_count_by_likeness(catalogue):
    """The 2021 wording of two area-VII rows (rates, in %) in a 2022 appendix: alike in words to the 2022 counts,
    but a rate of 92 % is not 92 documents; the rows stay unmatched instead."""
    form = catalogue.forms["cchc-2022"]
    rows = [AppendixRow(150, "", "Tổng số văn bản đi của cơ quan, đơn vị (văn bản điện tử và văn bản giấy)", "Văn bản",
                        "1.076", ""),
            AppendixRow(152, "", "- Tỷ lệ văn bản được gửi hoàn toàn dưới dạng điện tử", "%", "92", ""),
            AppendixRow(153, "", "- Tỷ lệ văn bản được gửi hoàn toàn dưới dạng điện tử và song song với văn bản giấy",
                        "%", "8", "")]
    result = match_appendix(rows, form, catalogue, Labels())
    assert {u.row.line for u in result.unmatched} == {152, 153}
    assert result.likely == ()


@pytest.mark.parametrize("number, label", [("I. CÔNG TÁC CHỈ ĐẠO ĐIỀU HÀNH CCHC", ""),  # one cell merged over the row
                                           ("", "I. CÔNG TÁC CHỈ ĐẠO ĐIỀU HÀNH CCHC")])  # in the label's cell
def test_an_area_title_written_whole_in_one_cell_is_an_area_row(catalogue, number, label):
    form = catalogue.forms["cchc-2022"]
    rows = [AppendixRow(3, number, label, "", "", ""),
            AppendixRow(4, "1", "Tỷ lệ hoàn thành Kế hoạch CCHC năm (Lũy kế đến thời điểm báo cáo)", "%", "", "")]
    result = match_appendix(rows, form, catalogue, Labels())
    assert result.unmatched == () and result.areas == ()
    assert [v.indicator for v in result.values] == ["plan_completion_rate"]
