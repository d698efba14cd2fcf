"""`build.py import`: text, DOCX and XLSX appendices into data/<department>/<period>.yaml.

The expectations are the bundled data files (themselves checked against the
source documents by test_reference_data.py): importing a reference report
must give the same values and notes, and the same YAML once the hand
annotations are taken out. The DOCX and XLSX files are built here, from the
reference rows (read with the independent text reader), in the layouts
departments use: merged two-row headers, narrative tables first, repeated
headers at page breaks, labels and notes over several lines, misspellings.
"""
from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from docx import Document
from docx.enum.text import WD_BREAK
from openpyxl import Workbook

from conftest import REFERENCE_REPORTS, ROOT
from reformdash.inputs.catalogue import load_catalogue
from reformdash.cli import main
from reformdash.importers.match import Labels, detect_form, load_labels, match_appendix
from reformdash.importers.record import normalise_label
from reformdash.importers.text import AppendixRow, read_appendix_file
from reformdash.model import Report
from reformdash.pipeline import Project, check
from reformdash.problems import Collector

REFERENCES = [
    ("so-tnmt_2023-q1_report.txt", "stnmt", "2023-q1", "cchc-2022"),
    ("so-tnmt_2022-q3_report.txt", "stnmt", "2022-q3", "cchc-2022"),
    ("so-cong-thuong_2021-h1_appendix.txt", "sct", "2021-h1", "cchc-2021"),
]
IDS = [f"{dept}-{period}" for _, dept, period, _ in REFERENCES]
MISSPELT = ("Tỷ lệ hồ sơ TTHC tiếp nhận được giải quyết đúng hạn", "Tỷ lệ hồ sơ TTHC tiếp nhận được giải quyết đúng hẹn")
UNKNOWN_LABEL = "Số sáng kiến cải cách hành chính được áp dụng thí điểm"


# --- helpers ------------------------------------------------------------------------

@pytest.fixture(scope="module")
def bundled() -> dict[tuple[str, str], Report]:
    return {c.report.key: c.report for c in check(Project.at(ROOT)).reports}


@pytest.fixture(scope="module")
def catalogue():
    return load_catalogue(ROOT / "data", ROOT, Collector())


def run_import(capsys, root: Path, file: str | Path, department: str, period: str, *extra: str) -> tuple[int, str]:
    code = main(["import", str(file), "--department", department, "--period", period, "--root", str(root), *extra])
    return code, capsys.readouterr().err


def bundled_text(department: str, period: str) -> str:
    return (ROOT / "data" / department / f"{period}.yaml").read_text(encoding="utf-8")


def without_hand_annotations(text: str) -> str:
    """The bundled file as tools/convert_reference.py wrote it: no remark lines, no
    acknowledged block, and a value that became a mapping only to carry a remark
    back on one line."""
    text = text.split("\nacknowledged:\n")[0].rstrip("\n") + "\n"
    lines = [line for line in text.splitlines() if not line.startswith("    remark: ")]
    out, i = [], 0
    while i < len(lines):
        head = re.match(r"^  (\w+):  # (.*)$", lines[i])
        if head and i + 1 < len(lines) and lines[i + 1].startswith("    value: ") \
                and (i + 2 == len(lines) or not lines[i + 2].startswith("    ")):
            out.append(f"  {head[1]}: {lines[i + 1][len('    value: '):]}  # {head[2]}")
            i += 2
            continue
        out.append(lines[i])
        i += 1
    return "\n".join(out) + "\n"


def acknowledge_as_bundled(root: Path, department: str, period: str) -> None:
    """Append the bundled file's acknowledged block (a hand annotation) to the imported file."""
    parts = bundled_text(department, period).split("\nacknowledged:\n")
    if len(parts) == 2:
        with (root / "data" / department / f"{period}.yaml").open("a", encoding="utf-8") as stream:
            stream.write("acknowledged:\n" + parts[1])


def report_of(root: Path, department: str, period: str) -> Report:
    reports = {c.report.key: c.report for c in check(Project.at(root)).reports}
    return reports[(department, period)]


def figures(report: Report) -> dict[str, tuple[str | None, str]]:
    """indicator -> (value as text, keeping its precision, or None; note)."""
    return {k: (None if v.value is None else str(v.value), v.note) for k, v in report.values.items()}


def imported_with_exit(capsys, root, file, department, period, *extra) -> Report:
    """Import, expect the exit code the bundled data implies, and return the checked report."""
    code, err = run_import(capsys, root, file, department, period, *extra)
    if "\nacknowledged:\n" in bundled_text(department, period):
        # an unacknowledged source anomaly is an error until the data file admits it
        assert code == 1 and "error E205" in err, err
        acknowledge_as_bundled(root, department, period)
    else:
        assert code == 0, err
    return report_of(root, department, period)


# --- 1. the reference texts ---------------------------------------------------------

@pytest.mark.parametrize("name, department, period, form", REFERENCES, ids=IDS)
def test_text_import_equals_the_bundled_file(capsys, monkeypatch, project_factory, bundled,
                                             name, department, period, form):
    root = project_factory()
    monkeypatch.chdir(ROOT)  # the file as the bundled header names it, relative to the project
    source = os.path.relpath(REFERENCE_REPORTS / name, ROOT)
    report = imported_with_exit(capsys, root, source, department, period)
    expected = bundled[(department, period)]
    assert report.form == form
    assert figures(report) == figures(expected)
    assert report.document == expected.document and report.contacts == expected.contacts
    written = (root / "data" / department / f"{period}.yaml").read_text(encoding="utf-8")
    if "\nacknowledged:\n" in written:
        written = written.split("\nacknowledged:\n")[0] + "\n"
    # the import names the source by its file name only, never where it lay on the clerk's machine
    expected_text = without_hand_annotations(bundled_text(department, period)).replace(
        f"# Converted from {source}:", f"# Converted from {name}:", 1)
    assert written == expected_text and f"{source}" not in written


def test_hand_annotations_are_what_the_comparison_removes():
    text = bundled_text("stnmt", "2022-q3")
    stripped = without_hand_annotations(text)
    assert "remark:" in text and "remark:" not in stripped
    assert "  procedures_abolished_replaced: 0  # Số TTHC đã được bãi bỏ, thay thế\n" in stripped
    assert len(stripped.splitlines()) == len(text.splitlines()) - 2


# --- 2. DOCX and XLSX in the departments' layouts ---------------------------------

class Layout:
    """The reference rows, and the changes a department's copy makes to them."""

    def __init__(self, name: str, report: Report):
        self.rows = read_appendix_file(REFERENCE_REPORTS / name)
        self.report = report
        self.document = report.document
        self.split_label = next(r.label for r in self.rows if len(r.label) > 60 and " (" in r.label)
        self.multiline = next(r for r in self.rows if "; " in r.note)
        self.note_lines = [p + ";" for p in self.multiline.note.split("; ")[:-1]] + \
                          [self.multiline.note.split("; ")[-1]]
        assert sum(r.label == MISSPELT[0] for r in self.rows) == 1

    def label(self, row: AppendixRow) -> list[str]:
        """The label's paragraphs."""
        if row.label == self.split_label:
            head, _, tail = row.label.partition(" (")
            return [head, "(" + tail]
        return [MISSPELT[1] if row.label == MISSPELT[0] else row.label]

    def note(self, row: AppendixRow) -> list[str]:
        return self.note_lines if row is self.multiline else [row.note]

    def expected(self) -> dict[str, tuple[str | None, str]]:
        out = figures(self.report)
        indicator = next(k for k, v in self.report.values.items() if v.note == self.multiline.note)
        out[indicator] = (out[indicator][0], "\n".join(self.note_lines))
        return out


def _set(cell, paragraphs: list[str]) -> None:
    cell.text = paragraphs[0]
    for text in paragraphs[1:]:
        cell.add_paragraph(text)


def docx_header(table, caption: str) -> None:
    top, below = table.add_row(), table.add_row()
    for column, text in ((0, "STT"), (1, "Chỉ tiêu thống kê"), (2, "Kết quả thống kê"), (4, "Ghi chú")):
        top.cells[column].text = text
    below.cells[2].text, below.cells[3].text = "Đơn vị tính", caption
    for column in (0, 1, 4):
        top.cells[column].merge(below.cells[column])
    top.cells[2].merge(top.cells[3])


def build_docx(path: Path, layout: Layout, extra_after: str = "") -> int:
    """A report .docx: layout table, narrative, two narrative tables, then the appendix
    (merged header, repeated header mid-table, split by a page break). Returns the
    appendix row index of the extra row (0 when none)."""
    doc = Document()
    info = layout.document
    if info.number:
        top = doc.add_table(rows=2, cols=2)
        _set(top.cell(0, 0), ["UBND TỈNH SÓC TRĂNG", "SỞ TÀI NGUYÊN VÀ MÔI TRƯỜNG"])
        _set(top.cell(0, 1), ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"])
        top.cell(1, 0).text, top.cell(1, 1).text = info.number, info.date_line
        doc.add_paragraph("BÁO CÁO")
        doc.add_paragraph(info.title)
        doc.add_paragraph("Kính gửi: Sở Nội vụ tỉnh Sóc Trăng.")
    results = doc.add_table(rows=2, cols=3)
    for column, text in enumerate(("STT", "Nội dung", "Kết quả")):
        results.cell(0, column).text = text
    for column, text in enumerate(("1", "Ban hành kế hoạch CCHC", "Đã ban hành")):
        results.cell(1, column).text = text
    if layout.report.contacts:
        doc.add_paragraph("4. Cung cấp danh sách lãnh đạo, công chức phụ trách công tác CCHC:")
        contacts = doc.add_table(rows=1, cols=5)
        for column, text in enumerate(("STT", "Nội dung", "Họ tên", "Chức vụ", "Email/điện thoại")):
            contacts.cell(0, column).text = text
        for number, c in enumerate(layout.report.contacts, 1):
            cells = contacts.add_row().cells
            for column, text in enumerate((str(number), c.role, c.name, c.position)):
                cells[column].text = text
            _set(cells[4], [c.email, c.phone])
    doc.add_paragraph("PHỤ LỤC")
    doc.add_paragraph(info.title if not info.number else "THỐNG KÊ SỐ LIỆU VÀ KẾT QUẢ THỰC HIỆN CÔNG TÁC CCHC")
    table = doc.add_table(rows=0, cols=5)
    docx_header(table, info.value_column)
    offset, extra_line = 0, 0
    for index, row in enumerate(layout.rows):
        if index == len(layout.rows) // 3:  # a PDF-like copy repeats the header at a page break
            docx_header(table, info.value_column)
        if index == 2 * len(layout.rows) // 3:  # the table split by a page break
            offset += len(table.rows)
            doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
            table = doc.add_table(rows=0, cols=5)
        cells = table.add_row().cells
        for column, paragraphs in enumerate(([row.number], layout.label(row), [row.unit], [row.value],
                                             layout.note(row))):
            _set(cells[column], paragraphs)
        if row.label == extra_after:
            cells = table.add_row().cells
            for column, text in enumerate(("", UNKNOWN_LABEL, "Sáng kiến", "3", "Thí điểm tại bộ phận một cửa")):
                cells[column].text = text
            extra_line = offset + len(table.rows)
    doc.add_paragraph("Người lập biểu")
    doc.save(str(path))
    return extra_line


def _typed(value: str) -> tuple[object, str]:
    """A figure as a spreadsheet holds it: a number with its display format where it is one."""
    if re.fullmatch(r"\d{1,3}(\.\d{3})+", value):
        return int(value.replace(".", "")), "#,##0"
    if re.fullmatch(r"\d+,\d+", value):
        whole, fraction = value.split(",")
        return float(f"{whole}.{fraction}"), "0." + "0" * len(fraction)
    if value.isdigit():
        return int(value), "General"
    return (value or None), "General"


def _xlsx_header(sheet, row: int, caption: str) -> None:
    for column, text in ((1, "STT"), (2, "Chỉ tiêu thống kê"), (3, "Kết quả thống kê"), (5, "Ghi chú")):
        sheet.cell(row, column, text)
    sheet.cell(row + 1, 3, "Đơn vị tính")
    sheet.cell(row + 1, 4, caption)
    for column in "ABE":
        sheet.merge_cells(f"{column}{row}:{column}{row + 1}")
    sheet.merge_cells(f"C{row}:D{row}")


def build_xlsx(path: Path, layout: Layout) -> None:
    """A workbook: a first sheet with the report's heading and contacts, then the appendix
    sheet (title rows, merged header, repeated header mid-sheet, typed numbers)."""
    book = Workbook()
    info = layout.document
    first = book.active
    first.title = "Báo cáo"
    lines = [info.number, info.date_line, "BÁO CÁO", info.title] if info.number else []
    for line in lines:
        first.append([line])
    if layout.report.contacts:
        first.append(["STT", "Nội dung", "Họ tên", "Chức vụ", "Email/điện thoại"])
        for number, c in enumerate(layout.report.contacts, 1):
            first.append([number, c.role, c.name, c.position, f"{c.email}\n{c.phone}"])
    sheet = book.create_sheet("Phụ lục")
    sheet.cell(1, 1, info.title if not info.number else "THỐNG KÊ SỐ LIỆU VÀ KẾT QUẢ THỰC HIỆN CÔNG TÁC CCHC")
    sheet.merge_cells("A1:E1")
    sheet.cell(2, 1, "(Kèm theo Báo cáo của Sở)")
    _xlsx_header(sheet, 4, info.value_column)
    line = 6
    for index, row in enumerate(layout.rows):
        if index == len(layout.rows) // 2:
            _xlsx_header(sheet, line, info.value_column)
            line += 2
        value, number_format = _typed(row.value)
        texts = [row.number or None, "\n".join(layout.label(row)), row.unit or None, value,
                 "\n".join(layout.note(row)) or None]
        for column, text in enumerate(texts, 1):
            sheet.cell(line, column, text)
        sheet.cell(line, 4).number_format = number_format
        line += 1
    book.save(str(path))


@pytest.mark.parametrize("kind", ["docx", "xlsx"])
@pytest.mark.parametrize("name, department, period, form", REFERENCES, ids=IDS)
def test_docx_and_xlsx_give_the_text_import_values(capsys, tmp_path, project_factory, bundled, kind,
                                                   name, department, period, form):
    layout = Layout(name, bundled[(department, period)])
    path = tmp_path / f"bao-cao.{kind}"
    build_docx(path, layout) if kind == "docx" else build_xlsx(path, layout)
    root = project_factory()
    report = imported_with_exit(capsys, root, path, department, period)
    assert report.form == form
    assert figures(report) == layout.expected()
    expected = layout.document
    assert (report.document.title, report.document.number, report.document.date_line,
            report.document.value_column, report.document.source) == \
        (expected.title, expected.number, expected.date_line, expected.value_column, path.name)
    assert report.contacts == layout.report.contacts


def test_docx_reader_reads_merged_cells_once(tmp_path, bundled):
    from reformdash.importers.docx_reader import read_docx
    layout = Layout(REFERENCES[0][0], bundled[("stnmt", "2023-q1")])
    path = tmp_path / "bao-cao.docx"
    build_docx(path, layout)
    rows = read_docx(path)
    assert len(rows) == len(layout.rows)  # repeated header rows and the page break left out
    assert [r.line for r in rows] == sorted({r.line for r in rows})  # lines keep increasing past the split
    assert not any(r.label in ("Chỉ tiêu thống kê", "Kết quả thống kê") for r in rows)
    assert layout.split_label in [r.label for r in rows]  # two paragraphs joined by a space
    assert "\n".join(layout.note_lines) in [r.note for r in rows]


def test_xlsx_keeps_the_precision_the_sheet_shows(tmp_path, bundled):
    from reformdash.importers.xlsx_reader import read_xlsx
    layout = Layout(REFERENCES[2][0], bundled[("sct", "2021-h1")])
    path = tmp_path / "phu-luc.xlsx"
    build_xlsx(path, layout)
    values = {r.label: r.value for r in read_xlsx(path)}
    assert values["Tỷ lệ thực hiện nhiệm vụ tuyên truyền theo kế hoạch"] == "50,0"
    assert values["Tỷ lệ hồ sơ xử lý trực tuyến mức độ 4"] == "96,80"
    assert values["Tổng số văn bản đi của cơ quan, đơn vị:"] == "2929"


def test_xlsx_numbers_are_read_as_the_sheet_shows_them():
    from reformdash.importers.xlsx_reader import _shown
    assert [_shown(v, f) for v, f in ((50, "0.0"), (96.8, "0.00"), (1076, "#,##0"), (99.99, "General"),
                                      (22.0, "General"), (0.9999, "0.00%"), (None, "General"))] == \
        ["50,0", "96,80", "1076", "99,99", "22", "99,99", ""]
    # every digit typed is kept: a format that shows fewer never rounds the department's figure (99,99 is never
    # published as 100); a float's binary tail is not a digit anyone typed
    assert [_shown(v, f) for v, f in ((0.9999, "0%"), (0.9999, "0.0%"), (12.3456789, "0.0"), (2.5, "0"),
                                      (0.1 + 0.2, "General"), (1e-7, "General"))] == \
        ["99,99", "99,99", "12,3456789", "2,5", "0,3", "0,0000001"]
    # a '%' in quotes, escaped or in a [condition] is text the sheet shows, and scales nothing: 0.72 shown
    # as "0,72%" is 0,72 (it was read 100 times too large); the second section is for negative numbers
    assert [_shown(v, f) for v, f in ((0.72, '0.00"%"'), (72, '0"%"'), (72, "0\\%"), (0.5, "[Red]0.0%;-0.0%"),
                                      (5, '0" %";"-"0'))] == ["0,72", "72", "72", "50,0", "5"]


def test_a_figure_in_another_scripts_digits_is_not_read_as_a_number(capsys, tmp_path, project_factory):
    """'੧৪' looks like 98; int() would read it as 14. The import keeps it as text, and the check refuses it."""
    from reformdash.importers.record import vietnamese_number

    assert [vietnamese_number(t) for t in ("੧৪", "²", "１２", "1.076", "99,99")] == ["੧৪", "²", "１２", "1076", "99.99"]
    lines = (REFERENCE_REPORTS / REFERENCES[0][0]).read_text(encoding="utf-8").splitlines()
    row = next(i for i, line in enumerate(lines) if line.startswith("\tSố nhiệm vụ đề ra trong kế hoạch\t"))
    cells = lines[row].split("\t")
    cells[3] = "੧৪"
    lines[row] = "\t".join(cells)
    source = tmp_path / "bao-cao.txt"
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    root = project_factory()
    code, err = run_import(capsys, root, source, "stnmt", "2023-q1")
    assert code == 1
    assert "'plan_tasks_planned' = ੧৪ uses the digit '੧' (U+0A67); only the digits 0-9 are accepted" in err


# --- rows the catalogue does not know, rows left out; existing files; --form ----------------

def test_a_row_the_copy_leaves_out_is_left_out_not_emptied(capsys, tmp_path, project_factory, bundled):
    lines = (REFERENCE_REPORTS / REFERENCES[0][0]).read_text(encoding="utf-8").splitlines()
    dropped = [line for line in lines if not line.startswith("\tSố nhiệm vụ đề ra trong kế hoạch\t")]
    assert len(dropped) == len(lines) - 1
    source = tmp_path / "bao-cao.txt"
    source.write_text("\n".join(dropped) + "\n", encoding="utf-8")
    root = project_factory()
    code, err = run_import(capsys, root, source, "stnmt", "2023-q1")
    assert code == 0, err
    assert f"{source}: warning W602: the document has no row for 'plan_tasks_planned'" in err
    expected = figures(bundled[("stnmt", "2023-q1")])
    del expected["plan_tasks_planned"]  # not `~`: an empty cell is something the document says
    assert figures(report_of(root, "stnmt", "2023-q1")) == expected


def test_an_unknown_row_stops_the_import_with_its_closest_candidates(capsys, tmp_path, project_factory,
                                                                     bundled, catalogue):
    layout = Layout(REFERENCES[0][0], bundled[("stnmt", "2023-q1")])
    path = tmp_path / "bao-cao.docx"
    line = build_docx(path, layout, extra_after="Số văn bản chỉ đạo CCHC đã ban hành")
    root = project_factory()
    target = root / "data" / "stnmt" / "2023-q1.yaml"

    code, err = run_import(capsys, root, path, "stnmt", "2023-q1")
    assert code == 1
    assert f"{path}:{line}:1: error E601: row '{UNKNOWN_LABEL}' matches no row of form cchc-2022" in err
    closest = re.search(r"hint: closest: (.*?)\. If it is", err)[1]
    candidates = re.findall(r"'([^']+)' \((\w+)\)", closest)
    assert len(candidates) == 3 and all(ind in catalogue.indicators for _, ind in candidates)
    assert "nothing was written" in err and not target.exists()

    code, err = run_import(capsys, root, path, "stnmt", "2023-q1", "--accept-unmatched")
    assert code == 0, err
    assert f"{path}:{line}:1: warning W601: row '{UNKNOWN_LABEL}' matches no row of form cchc-2022" in err
    assert "kept under 'unplaced:' as written" in err
    report = report_of(root, "stnmt", "2023-q1")
    assert figures(report) == layout.expected()  # the 178 rows, none of them changed by the extra row
    # the extra row's figure is not lost: kept as written, and check says so where it stands
    assert [(u.label, u.value, u.note, u.source) for u in report.unplaced] == [
        (UNKNOWN_LABEL, "3", "Thí điểm tại bộ phận một cửa", f"bao-cao.docx:{line}")]
    assert re.search(r"data/stnmt/2023-q1\.yaml:\d+:\d+: warning W315: a row of the document that matches no "
                     rf"indicator of form cchc-2022 is published as the department wrote it: '{UNKNOWN_LABEL}' = 3",
                     err)


def test_an_existing_file_is_replaced_only_with_force(capsys, project_factory):
    root = project_factory(with_reports=True)
    target = root / "data" / "stnmt" / "2023-q1.yaml"
    target.write_bytes(target.read_bytes() + "# sửa tay\n".encode())  # so that a replaced file shows
    before = target.read_bytes()
    source = REFERENCE_REPORTS / REFERENCES[0][0]

    code, err = run_import(capsys, root, source, "stnmt", "2023-q1")
    assert code == 1 and "exists" in err and "--force" in err
    assert target.read_bytes() == before

    code, err = run_import(capsys, root, source, "stnmt", "2023-q1", "--force")
    assert code == 0, err
    assert target.read_bytes() != before and "# sửa tay" not in target.read_text(encoding="utf-8")
    assert "remark:" not in target.read_text(encoding="utf-8")
    assert sorted(p.name for p in target.parent.iterdir()) == ["2022-q3.yaml", "2023-q1.yaml"]  # no temp file left


def test_form_is_detected_and_can_be_overridden(capsys, project_factory):
    root = project_factory()
    source = REFERENCE_REPORTS / REFERENCES[0][0]
    code, err = run_import(capsys, root, source, "stnmt", "2023-q1", "--form", "cchc-2021")
    assert code == 1 and "matches no row of form cchc-2021" in err
    assert not (root / "data" / "stnmt" / "2023-q1.yaml").exists()
    code, err = run_import(capsys, root, source, "stnmt", "2023-q1", "--form", "no-such-form")
    assert code == 2 and "unknown form 'no-such-form'" in err


def test_usage_errors(capsys, tmp_path, project_factory):
    root = project_factory()
    source = REFERENCE_REPORTS / REFERENCES[0][0]
    assert run_import(capsys, root, source, "stnmtt", "2023-q1")[0] == 2
    assert run_import(capsys, root, tmp_path / "missing.docx", "stnmt", "2023-q1")[0] == 2
    odd = tmp_path / "bao-cao.odt"  # a format no reader takes (a .pdf is read since PDF import came)
    odd.write_bytes(b"PK\x03\x04")
    assert run_import(capsys, root, odd, "stnmt", "2023-q1")[0] == 2
    broken = tmp_path / "bao-cao.docx"
    broken.write_bytes(b"not a zip")
    code, err = run_import(capsys, root, broken, "stnmt", "2023-q1")
    assert code == 1 and "error E607: cannot read the file: the file is not Word Document (.docx)" in err
    narrative = tmp_path / "bao-cao.txt"
    narrative.write_text("BÁO CÁO\n\nKhông có phụ lục.\n", encoding="utf-8")
    code, err = run_import(capsys, root, narrative, "stnmt", "2023-q1")
    assert code == 1 and "error E603: no statistics appendix found" in err


# --- 3. the same label under several groups -------------------------------------------

def test_the_group_above_decides_between_rows_with_the_same_label(catalogue):
    labels = Labels()
    rows = [  # the areas in the other order than the form's, to show order plays no part
        AppendixRow(1, "IV", "Cải cách tổ chức bộ máy hành chính nhà nước", "", "", ""),
        AppendixRow(2, "7", "Thanh tra chuyên ngành", "", "", ""),
        AppendixRow(3, "", "Số vấn đề phát hiện đã xử lý xong", "Vấn đề", "1", ""),
        AppendixRow(4, "6", "Kiểm tra việc thực hiện nhiệm vụ phân cấp quản lý nhà nước", "", "", ""),
        AppendixRow(5, "", "Số vấn đề phát hiện qua kiểm tra", "Vấn đề", "5", ""),
        AppendixRow(6, "", "Số vấn đề phát hiện đã xử lý xong", "Vấn đề", "4", ""),
        AppendixRow(7, "I", "Công tác chỉ đạo điều hành CCHC", "", "", ""),
        AppendixRow(8, "2", "Kiểm tra CCHC", "", "", ""),
        AppendixRow(9, "", "Số vấn đề phát hiện qua kiểm tra", "Vấn đề", "3", ""),
        AppendixRow(10, "4", "Số người làm việc tại các đơn vị sự nghiệp công lập tự chủ hoàn toàn (nếu có)",
                    "", "", ""),
        AppendixRow(11, "", "Tổng số người làm việc có mặt", "Người", "12", ""),
        AppendixRow(12, "3", "Số người làm việc hưởng lương từ NSNN tại các đơn vị sự nghiệp công lập (nếu có)",
                    "", "", ""),
        AppendixRow(13, "", "Tổng số người làm việc có mặt", "Người", "40", ""),
    ]
    result = match_appendix(rows, catalogue.forms["cchc-2022"], catalogue, labels)
    assert result.unmatched == ()
    got = {v.indicator: v.value for v in result.values if v.value}
    assert got == {
        "specialised_inspection_issues_resolved": "1",
        "decentralisation_inspection_issues_found": "5",
        "decentralisation_inspection_issues_resolved": "4",
        "reform_inspection_issues_found": "3",
        "autonomous_psu_staff_present": "12",
        "state_paid_psu_staff_present": "40",
    }


def test_a_shared_label_under_an_unknown_group_is_not_guessed(catalogue):
    rows = [
        AppendixRow(1, "2", "Kiểm tra CCHC", "", "", ""),
        AppendixRow(2, "", "Số vấn đề phát hiện qua kiểm tra", "Vấn đề", "3", ""),
        AppendixRow(3, "8", "Kiểm tra đột xuất", "", "", ""),  # a group the form does not have
        AppendixRow(4, "", "Số vấn đề phát hiện qua kiểm tra", "Vấn đề", "7", ""),
        AppendixRow(5, "", "Số vấn đề phát hiện qua kiểm tra", "Vấn đề", "9", ""),
    ]
    result = match_appendix(rows, catalogue.forms["cchc-2022"], catalogue, Labels())
    assert [v.indicator for v in result.values] == ["reform_inspection", "reform_inspection_issues_found"]
    assert [u.row.line for u in result.unmatched] == [3, 4, 5]
    ambiguous = result.unmatched[1]
    assert {c.indicator for c in ambiguous.candidates} == {"reform_inspection_issues_found",
                                                          "decentralisation_inspection_issues_found"}


def test_a_repeated_row_is_reported_not_overwritten(catalogue):
    rows = [AppendixRow(1, "", "Số nhiệm vụ đề ra trong kế hoạch", "Nhiệm vụ", "22", ""),
            AppendixRow(2, "", "Số nhiệm vụ đề ra trong kế hoạch", "Nhiệm vụ", "23", "")]
    result = match_appendix(rows, catalogue.forms["cchc-2022"], catalogue, Labels())
    assert [(v.indicator, v.value) for v in result.values] == [("plan_tasks_planned", "22")]
    assert "line 1 is already this row" in result.unmatched[0].reason


def test_spelling_variants_come_from_the_data_file(catalogue):
    labels = load_labels(ROOT / "data", ROOT, Collector())
    assert labels.key(MISSPELT[1]) == labels.key(MISSPELT[0])
    assert Labels().key(MISSPELT[1]) != Labels().key(MISSPELT[0])  # without the file they differ
    for seen, standard in (("duyet", "duyệt"), ("đạo tào", "đào tạo"), ("Thông kê", "Thống kê"),
                           ("phản ảnh", "phản ánh"), ("đơn đốc", "đôn đốc")):
        assert labels.key(f"Số {seen} x") == labels.key(f"Số {standard} x")
    rows = [AppendixRow(1, "", MISSPELT[1], "%", "99", "")]
    result = match_appendix(rows, catalogue.forms["cchc-2022"], catalogue, labels)
    assert [v.indicator for v in result.values] == ["case_files_on_time_rate"]


def test_form_detection_by_labels(catalogue):
    labels = Labels()
    for name, _, _, form in REFERENCES:
        assert detect_form(read_appendix_file(REFERENCE_REPORTS / name), catalogue, labels) == form
    assert detect_form([AppendixRow(1, "", "Không phải chỉ tiêu", "", "", "")], catalogue, labels) is None
    assert normalise_label("Thông kê TTHC") == normalise_label("Thống kê TTHC")


def test_a_report_misnamed_elsewhere_does_not_stop_an_import_and_the_check_after_it_names_it(capsys, project_factory):
    """A report saved as '2023-q1.yml' (E221) is the data's problem, not the catalogue's: the import of another
    report goes ahead, and the check after it says an error lies in another file. Re-importing under the right
    name mends it."""
    root = project_factory(with_reports=True)
    (root / "data" / "stnmt" / "2023-q1.yaml").rename(root / "data" / "stnmt" / "2023-q1.yml")
    (root / "data" / "stnmt" / "2022-q3.yaml").unlink()
    code, err = run_import(capsys, root, REFERENCE_REPORTS / "so-tnmt_2022-q3_report.txt", "stnmt", "2022-q3")
    assert code == 1 and (root / "data" / "stnmt" / "2022-q3.yaml").is_file()
    assert err.splitlines()[-2:] == ["import: 1 error(s) in other files (data/stnmt/2023-q1.yml: E221); run "
                                     "`build.py check`",
                                     "import: data/stnmt/2022-q3.yaml was written but does not pass the check; fix "
                                     "the errors above"]
    code, err = run_import(capsys, root, REFERENCE_REPORTS / "so-tnmt_2023-q1_report.txt", "stnmt", "2023-q1")
    assert code == 0, err


def test_a_workbooks_escaped_characters_are_read_as_the_characters():
    # Excel stores a carriage return pasted from Word as "_x000D_"; openpyxl leaves it so, and the note was
    # published with "_x000D_" in it. The "_" of a text that reads "_x0041_" is itself escaped ("_x005F_").
    from reformdash.importers.xlsx_reader import _shown
    assert _shown("Công văn số 12;_x000D_\nCông văn số 28", "General") == "Công văn số 12;\r\nCông văn số 28"
    assert _shown("_x005F_x0041_ và x_1", "@") == "_x0041_ và x_1"


def test_the_contacts_above_the_appendix_in_the_same_columns_end_where_the_appendix_begins(
        capsys, tmp_path, project_factory, bundled):
    # the people in charge, an empty row, then the appendix, all in columns A-E of one sheet: every appendix row
    # had been written as a contact too (146 of them), and the check then asked for each one's 'position:'
    import openpyxl
    from conftest import REFERENCE_REPORTS
    lines = (REFERENCE_REPORTS / REFERENCES[0][0]).read_text(encoding="utf-8").split("\n")
    people = next(i for i, line in enumerate(lines) if line.startswith("STT\tNội dung"))
    appendix = next(i for i, line in enumerate(lines) if line.startswith("STT\tChỉ tiêu"))
    book = openpyxl.Workbook()
    sheet = book.active
    for line in lines[people:people + 3]:
        sheet.append(line.split("\t"))
    sheet.append([])
    sheet.append(["STT", "Chỉ tiêu thống kê", "Đơn vị tính", "Kết quả thống kê", "Ghi chú"])
    for line in lines[appendix + 2:]:
        if line.strip():
            sheet.append([cell or None for cell in line.split("\t")])
    path = tmp_path / "bao-cao.xlsx"
    book.save(path)
    root = project_factory()
    code, err = run_import(capsys, root, path, "stnmt", "2023-q3")
    assert code == 0, err
    report = report_of(root, "stnmt", "2023-q3")
    assert [(c.role, c.name) for c in report.contacts] == [(c.role, c.name) for c in bundled[("stnmt", "2023-q1")].contacts]
    assert len(report.contacts) == 2
    assert report.values["plan_tasks_planned"].value == bundled[("stnmt", "2023-q1")].values["plan_tasks_planned"].value


def test_an_appendix_cut_short_is_refused_unless_accepted(capsys, tmp_path, project_factory):
    # the later pages of an appendix read as other tables had been written as a report of 14 rows, exit 0
    from conftest import REFERENCE_REPORTS
    lines = (REFERENCE_REPORTS / REFERENCES[0][0]).read_text(encoding="utf-8").split("\n")
    header = next(i for i, line in enumerate(lines) if line.startswith("STT\tChỉ tiêu"))
    short = tmp_path / "bao-cao.txt"
    short.write_text("\n".join(lines[:header + 40]) + "\n", encoding="utf-8")
    root = project_factory()
    code, err = run_import(capsys, root, short, "stnmt", "2023-q3")
    assert code == 1 and not (root / "data" / "stnmt" / "2023-q3.yaml").exists()
    [refused] = [line for line in err.splitlines() if "E624" in line]
    assert re.search(r"bao-cao\.txt:[0-9]+:1: error E624: the appendix read has rows for [0-9]+ of the 178 rows of "
                     r"form cchc-2022$", refused)
    assert err.rstrip().endswith("import: the appendix read is cut short; nothing was written")
    code, err = run_import(capsys, root, short, "stnmt", "2023-q3", "--accept-missing")
    assert code == 0 and "E624" not in err
    assert len(report_of(root, "stnmt", "2023-q3").values) < 89
