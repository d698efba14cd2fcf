"""`build.py import` never loses, invents or half-writes a figure, and refuses hostile files.

Real DOCX and XLSX files are made here with python-docx and openpyxl (from
test_import's layouts of the reference reports); the hostile ones are zips
written by hand, or an Office file's bytes rewritten. Each problem's message
is asserted as the clerk reads it.
"""
from __future__ import annotations

import re
import struct
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook

from conftest import REFERENCE_REPORTS
from test_import import (REFERENCES, Layout, build_docx, build_xlsx, bundled, figures, imported_with_exit, report_of,
                         run_import)

TEXT, DEPARTMENT, PERIOD = REFERENCES[0][0], "stnmt", "2023-q1"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
assert bundled  # a fixture of test_import's, used here too


@pytest.fixture(scope="module")
def layout(bundled):
    return Layout(TEXT, bundled[(DEPARTMENT, PERIOD)])


def import_file(capsys, root: Path, path: Path, *extra: str) -> tuple[int, str]:
    return run_import(capsys, root, path, DEPARTMENT, PERIOD, *extra)


def target(root: Path) -> Path:
    return root / "data" / DEPARTMENT / f"{PERIOD}.yaml"


def rewrite_member(path: Path, member: str, change) -> None:
    """Rewrite one member of a zip (a .docx or .xlsx) through change(bytes) -> bytes."""
    with zipfile.ZipFile(path) as archive:
        items = [(info, archive.read(info)) for info in archive.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for info, data in items:
            archive.writestr(info, change(data) if info.filename == member else data)


def sheet_row(path: Path, label: str) -> int:
    """The row of the appendix sheet whose label is `label`."""
    sheet = load_workbook(path)["Phụ lục"]
    return next(row for row in range(1, sheet.max_row + 1) if sheet.cell(row, 2).value == label)


# --- separators and control characters inside a cell -------------------------------------

def test_a_line_separator_or_control_character_in_a_cell_never_ends_the_table(capsys, tmp_path, project_factory,
                                                                             bundled):
    lines = (REFERENCE_REPORTS / TEXT).read_text(encoding="utf-8").split("\n")
    done = next(i for i, line in enumerate(lines) if line.startswith("\tSố nhiệm vụ đã hoàn thành\t"))
    cells = lines[done].split("\t")
    cells[1] = "Số nhiệm vụ\x00 đã hoàn\x0bthành"  # a NUL, and a vertical tab where a line wrapped
    cells[4] = cells[4] + "\u2028Dự kiến\x85xong\u2029trong quý II\x1e"
    lines[done] = "\t".join(cells)
    source = tmp_path / "bao-cao.txt"
    source.write_text("\n".join(lines), encoding="utf-8")
    root = project_factory()

    code, err = import_file(capsys, root, source)
    assert code == 0, err
    assert "W602" not in err and "E601" not in err
    got = figures(report_of(root, DEPARTMENT, PERIOD))
    expected = figures(bundled[(DEPARTMENT, PERIOD)])
    assert len(got) == len(expected) == 178
    assert got["plan_tasks_done"] == ("0", "Đang triển khai thực hiện kế hoạch\nDự kiến\nxong\ntrong quý II")
    del got["plan_tasks_done"], expected["plan_tasks_done"]
    assert got == expected
    assert "\x00" not in target(root).read_text(encoding="utf-8")


# --- cells the reader cannot take as they are --------------------------------------------

def test_a_formula_without_its_value_is_an_error_naming_the_cell(capsys, tmp_path, project_factory, layout):
    path = tmp_path / "bao-cao.xlsx"
    build_xlsx(path, layout)
    row = sheet_row(path, "Số nhiệm vụ đã hoàn thành")
    book = load_workbook(path)
    book["Phụ lục"].cell(row, 4, "=SUM(D7:D8)")  # openpyxl saves a formula without its value, as some tools do
    book.save(path)
    root = project_factory()

    code, err = import_file(capsys, root, path)
    assert code == 1
    assert (f"{path}:{row}:4: error E613: cell D{row} of sheet 'Phụ lục' is a formula (=SUM(D7:D8)) with no value "
            "saved in the file\n    hint: open the file in Excel or LibreOffice Calc and save it again (that saves "
            "each formula's value), or type the figure in place of the formula") in err
    assert "import: 1 cell(s) or row(s) cannot be read as they are; nothing was written" in err
    assert not target(root).exists()


def test_a_value_hidden_under_merged_cells_is_an_error_naming_the_cell(capsys, tmp_path, project_factory,
                                                                      layout):
    path = tmp_path / "bao-cao.xlsx"
    build_xlsx(path, layout)
    row = sheet_row(path, "Số nhiệm vụ đã hoàn thành")
    book = load_workbook(path)
    book["Phụ lục"].cell(row, 3, "Nhiệm vụ")
    book["Phụ lục"].cell(row, 4, 7)
    book.save(path)
    # openpyxl empties the cells it merges, Excel's files do not: the merge is written into the XML
    rewrite_member(path, "xl/worksheets/sheet2.xml", lambda xml: re.sub(
        rb'<mergeCells count="(\d+)">', lambda m: b'<mergeCells count="%d"><mergeCell ref="C%d:D%d"/>'
        % (int(m[1]) + 1, row, row), xml, count=1))
    root = project_factory()

    code, err = import_file(capsys, root, path)
    assert code == 1
    assert (f"{path}:{row}:4: error E614: cell D{row} of sheet 'Phụ lục' holds '7', hidden under the merged cells "
            f"C{row}:D{row}, which show only C{row}\n    hint: unmerge C{row}:D{row} and give each value its own "
            "cell, or delete the hidden value") in err
    assert not target(root).exists()


def test_an_error_value_in_a_cell_is_an_error_naming_the_cell(capsys, tmp_path, project_factory, layout):
    path = tmp_path / "bao-cao.xlsx"
    build_xlsx(path, layout)
    row = sheet_row(path, "Số nhiệm vụ đã hoàn thành")
    book = load_workbook(path)
    book["Phụ lục"].cell(row, 4, "#DIV/0!")  # stored as an error cell (t="e"), as Excel saves a failed formula
    book.save(path)
    root = project_factory()

    code, err = import_file(capsys, root, path)
    assert code == 1
    assert (f"{path}:{row}:4: error E615: cell D{row} of sheet 'Phụ lục' holds the error #DIV/0! instead of a value"
            "\n    hint: correct the cell (type the figure as it should read) and save again") in err


def test_text_hidden_under_a_vertically_merged_word_cell_is_an_error(capsys, tmp_path, project_factory, layout):
    path = tmp_path / "bao-cao.docx"
    build_docx(path, layout)
    from docx import Document
    document = Document(str(path))
    appendix = document.tables[-2]  # the appendix's first part; the last table is its part after the page break
    index = next(i for i, row in enumerate(appendix.rows) if row.cells[1].text == "Số nhiệm vụ đã hoàn thành")
    # the note cell of the next row continues this row's note (w:vMerge), yet keeps a text of its own
    below = appendix.rows[index + 1].cells[4]
    below.text = "Ghi chú bị che"
    below._tc.get_or_add_tcPr().append(below._tc.makeelement(f"{W}vMerge", {f"{W}val": "continue"}))
    document.save(str(path))
    assert len(document.tables) == 5 and index == 5  # layout, results, contacts, the appendix in two
    root = project_factory()

    code, err = import_file(capsys, root, path)
    assert code == 1
    assert (f"{path}: error E614: table 4, row 7, column 5: the text 'Ghi chú bị che' is hidden "
            "under the cell merged from the row above\n    hint: unmerge the cells in Word and put the text in its "
            "own row, or delete it") in err
    assert not target(root).exists()


# --- hostile and mislabelled files: an E6xx error naming the file, nothing written --------------

def small_docx(path: Path) -> Path:
    from docx import Document
    document = Document()
    document.add_paragraph("BÁO CÁO")
    document.save(str(path))
    return path


def compound_file(streams: dict[str, bytes]) -> bytes:
    """An OLE2 compound file (the container of Office 97-2003 files, and of any Office file saved
    with a password) holding `streams`, each padded to 4 096 bytes so no mini stream is needed."""
    free, end, fat_sector, no_stream = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF
    data = [content.ljust(4096, b"\0") for content in streams.values()]
    fat, sector = [fat_sector, end], 2  # sector 0: the FAT, sector 1: the directory
    starts = []
    for content in data:
        count = len(content) // 512
        starts.append(sector)
        fat += [sector + i + 1 for i in range(count - 1)] + [end]
        sector += count
    header = struct.pack("<8s16sHHHHH6sIIIIIIIII", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", b"", 0x3E, 3, 0xFFFE, 9, 6,
                         b"", 0, 1, 1, 0, 4096, end, 0, end, 0) + struct.pack("<109I", 0, *[free] * 108)

    def entry(name: str, kind: int, right: int, child: int, start: int, size: int) -> bytes:
        encoded = (name.encode("utf-16-le") + b"\0\0") if name else b""
        return struct.pack("<64sHBBIII16sIQQIQ", encoded, len(encoded), kind, 1, no_stream, right, child, b"", 0, 0,
                           0, start, size)

    names = list(streams)
    directory = entry("Root Entry", 5, no_stream, 1, end, 0)
    for index, (name, start) in enumerate(zip(names, starts), 1):
        directory += entry(name, 2, index + 1 if index < len(names) else no_stream, no_stream, start, 4096)
    directory = directory.ljust(512, b"\0")
    return header + struct.pack("<128I", *(fat + [free] * (128 - len(fat)))) + directory + b"".join(data)


def refused(capsys, root: Path, path: Path) -> str:
    code, err = import_file(capsys, root, path)
    assert code == 1 and not target(root).exists(), err
    assert "Traceback" not in err
    return err


def test_a_password_protected_office_file_is_refused(capsys, tmp_path, project_factory):
    root = project_factory()
    path = tmp_path / "bao-cao.docx"
    path.write_bytes(compound_file({"EncryptionInfo": b"\x04\x00\x04\x00", "EncryptedPackage": b"\x12" * 600}))
    assert (f"{path}: error E606: cannot read the file: the file is protected with a password (encrypted)\n"
            "    hint: open it in Word with its password, remove the password (File > Info > Protect), and save it "
            "again as Word Document (.docx)") in refused(capsys, root, path)

    sheet = tmp_path / "bao-cao.xlsx"
    sheet.write_bytes(compound_file({"EncryptionInfo": b"\x04\x00\x04\x00", "EncryptedPackage": b"\x12" * 600}))
    assert "error E606: cannot read the file: the file is protected with a password (encrypted)\n    hint: open it " \
           "in Excel with its password" in refused(capsys, root, sheet)

    zipped = small_docx(tmp_path / "zip-password.docx")
    # the "encrypted" flag a zip tool's password sets, on the member's local and central headers
    data = bytearray(zipped.read_bytes())
    name = b"word/document.xml"
    for signature, flags, name_at in ((b"PK\x03\x04", 6, 30), (b"PK\x01\x02", 8, 46)):
        start = next(m.start() for m in re.finditer(re.escape(signature), data)
                     if data[m.start() + name_at:m.start() + name_at + len(name)] == name)
        data[start + flags] |= 0x1
    zipped.write_bytes(bytes(data))
    assert (f"{zipped}: error E606: cannot read the file: 'word/document.xml' in the archive is protected with a "
            "password (encrypted)\n    hint: save the file again without a password, as Word Document (.docx)") \
        in refused(capsys, root, zipped)


def test_an_old_binary_file_or_no_zip_at_all_is_named_for_what_it_is(capsys, tmp_path, project_factory):
    root = project_factory()
    old = tmp_path / "bao-cao.docx"
    old.write_bytes(compound_file({"WordDocument": b"\xec\xa5" + b"\0" * 100}))
    assert (f"{old}: error E608: cannot read the file: the file is an old Word 97-2003 file (.doc), not Word Document "
            "(.docx)\n    hint: open it in Word and save it again as Word Document (.docx)") in refused(capsys, root, old)

    html = tmp_path / "phu-luc.xlsx"
    html.write_text("<html><body><table><tr><td>STT</td></tr></table></body></html>", encoding="utf-8")
    assert (f"{html}: error E607: cannot read the file: the file is not Excel Workbook (.xlsx): such a file is a zip "
            "archive, and this one is not (File is not a zip file)\n    hint: check that this is the report; open "
            "it in Excel and save it again as Excel Workbook (.xlsx)") in refused(capsys, root, html)


def test_an_archive_that_expands_past_the_limit_is_refused_before_it_is_unzipped(capsys, tmp_path,
                                                                                 project_factory):
    root = project_factory()
    path = small_docx(tmp_path / "bao-cao.docx")
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        with archive.open("word/media/image1.png", "w", force_zip64=True) as stream:
            for _ in range(26):  # 208 MB of zeros: under 1 MB in the file
                stream.write(bytes(8 << 20))
    assert path.stat().st_size < 2 << 20
    assert (f"{path}: error E609: cannot read the file: the archive would expand to 208 MB, more than the 200 MB a "
            "report may\n    hint: check that this is the report; save it without its pictures") \
        in refused(capsys, root, path)

    crowded = small_docx(tmp_path / "crowded.docx")
    with zipfile.ZipFile(crowded, "a") as archive:  # python-docx's 17 members, and 2 001 more
        for number in range(2001):
            archive.writestr(f"customXml/item{number}.bin", b"")
    assert (f"{crowded}: error E609: cannot read the file: the archive holds 2018 files, more than the 2000 a report "
            "holds") in refused(capsys, root, crowded)

    paragraphs = small_docx(tmp_path / "paragraphs.docx")
    rewrite_member(paragraphs, "word/document.xml", lambda data: data.replace(b"<w:body>", b"<w:body>" + b"<w:p/>" * 60_000))
    assert (f"{paragraphs}: error E612: cannot read the file: the document has 60001 paragraphs, more than the 50000 a "
            "report has") in refused(capsys, root, paragraphs)

    xml = small_docx(tmp_path / "long.docx")
    rewrite_member(xml, "word/document.xml", lambda data: data.replace(b"<w:body>", b"<w:body>" + b"<w:p/>" * 2_000_000))
    assert (f"{xml}: error E609: cannot read the file: 'word/document.xml' in the archive is 11 MB of XML, more than "
            "the 10 MB a report holds") in refused(capsys, root, xml)


def test_malformed_xml_inside_the_archive_is_named(capsys, tmp_path, project_factory):
    root = project_factory()
    path = small_docx(tmp_path / "bao-cao.docx")
    rewrite_member(path, "word/document.xml", lambda data: data.replace(b"</w:body>", b"</w:bod>"))
    err = refused(capsys, root, path)
    with zipfile.ZipFile(path) as archive:  # libxml2 names the column where the wrong end tag ends
        column = archive.read("word/document.xml").split(b"\n")[1].index(b"</w:bod>") + len(b"</w:bod>") - 1
    assert (f"{path}: error E610: cannot read the file: 'word/document.xml' in the archive is not well-formed XML "
            f"at line 2, column {column} (Opening and ending tag mismatch: body line 2 and bod)\n"
            "    hint: open it in Word and save it again as Word Document (.docx)") in err


def test_entities_external_or_expanding_are_refused(capsys, tmp_path, project_factory, layout):
    root = project_factory()
    path = small_docx(tmp_path / "bao-cao.docx")
    rewrite_member(path, "word/document.xml", lambda data: data.replace(
        b"?>", b'?><!DOCTYPE w:document [<!ENTITY secret SYSTEM "file:///etc/passwd">]>', 1)
        .replace("BÁO CÁO".encode(), b"&secret;"))
    message = ("cannot read the file: 'word/document.xml' in the archive declares a DTD (<!DOCTYPE>), which can "
               "define entities that read other files or expand without end; Office never writes one\n    hint: "
               "check where the file comes from; open it in Word and save it again as Word Document (.docx)")
    assert f"{path}: error E611: {message}" in refused(capsys, root, path)

    book = tmp_path / "bao-cao.xlsx"
    build_xlsx(book, layout)
    laughs = b'<!DOCTYPE sst [<!ENTITY a "hahahahahahahahahaha">' + b"".join(
        b'<!ENTITY %s "%s">' % (bytes([98 + i]), b"&%s;" % bytes([97 + i]) * 10) for i in range(9)) + b"]>"
    rewrite_member(book, "xl/worksheets/sheet2.xml", lambda data: data.replace(b"<worksheet", laughs + b"<worksheet", 1)
                   .replace(b"<t>STT</t>", b"<t>&j;</t>", 1))  # a billion laughs in the appendix's header
    assert f"{book}: error E611: cannot read the file: 'xl/worksheets/sheet2.xml' in the archive declares a DTD" \
        in refused(capsys, root, book)


def test_a_sheet_whose_used_range_is_the_whole_grid_is_refused(capsys, tmp_path, project_factory, layout):
    root = project_factory()
    path = tmp_path / "bao-cao.xlsx"
    build_xlsx(path, layout)
    book = load_workbook(path)
    book["Phụ lục"]["XFD1048576"] = " "  # one stray cell in the grid's last corner
    book.save(path)
    assert (f"{path}: error E612: cannot read the file: sheet 'Phụ lục' uses the range A1:XFD1048576 (1048576 rows "
            "by 16384 columns), more than the 65536 rows and 256 columns a report's sheet can use\n    hint: delete "
            "the rows and columns past the table (or copy the table to a new sheet), then save again") \
        in refused(capsys, root, path)

    merged = tmp_path / "merged.xlsx"
    build_xlsx(merged, layout)
    rewrite_member(merged, "xl/worksheets/sheet1.xml", lambda data: data.replace(
        b"</sheetData>", b'</sheetData><mergeCells count="1"><mergeCell ref="A1:XFD1048576"/></mergeCells>', 1))
    assert "error E612: cannot read the file: sheet 'Báo cáo' uses the range A1:XFD1048576" \
        in refused(capsys, root, merged)


# --- what is written, and what the clerk is told ---------------------------------------------

def test_a_data_file_check_would_not_read_is_never_written(capsys, tmp_path, project_factory):
    lines = (REFERENCE_REPORTS / TEXT).read_text(encoding="utf-8").split("\n")
    done = next(i for i, line in enumerate(lines) if line.startswith("\tSố nhiệm vụ đã hoàn thành\t"))
    cells = lines[done].split("\t")
    cells[4] = "Ghi chú rất dài. " * 330_000  # 5.6 MB of note: more than `check` reads from a data file
    lines[done] = "\t".join(cells)
    source = tmp_path / "bao-cao.txt"
    source.write_text("\n".join(lines), encoding="utf-8")
    root = project_factory()

    code, err = import_file(capsys, root, source)
    assert code == 1 and not target(root).exists()
    size = re.search(r"it would be (\d+) bytes", err)
    assert size and int(size[1]) > 5 * 2**20
    assert (f"data/stnmt/2023-q1.yaml: error E616: the data file would not read back as written: it would be "
            f"{size[1]} bytes, more than the 5242880 `check` reads\n    hint: report this with the document; "
            "meanwhile remove unusual characters from the text it names") in err
    assert "import: data/stnmt/2023-q1.yaml would not read back as written; nothing was written" in err


def test_no_appendix_quotes_the_line_nearest_to_its_header(capsys, tmp_path, project_factory):
    source = tmp_path / "bao-cao.txt"
    source.write_text("BÁO CÁO\n\nPHỤ LỤC\nSTT Chỉ tiêu thống kê Kết quả thống kê Ghi chú\n"
                      "1 Số văn bản 5\n", encoding="utf-8")
    root = project_factory()
    code, err = import_file(capsys, root, source)
    assert code == 1
    assert (f"{source}: error E603: no statistics appendix found: no table has a header row with 'STT' and "
            "'Chỉ tiêu'; the nearest is line 3, \"PHỤ LỤC STT Chỉ tiêu thống kê Kết quả thống kê Ghi chú "
            "1 Số văn bản 5\", a line of text, not a table row\n    hint: is this the report with its appendix "
            "(Phụ lục: Thống kê số liệu)? Its header row needs the columns 'STT' and 'Chỉ tiêu' in cells of their "
            "own") in err


def test_an_unmatched_row_is_not_also_reported_missing(capsys, tmp_path, project_factory):
    lines = (REFERENCE_REPORTS / TEXT).read_text(encoding="utf-8").split("\n")
    done = next(i for i, line in enumerate(lines) if line.startswith("\tSố nhiệm vụ đã hoàn thành\t"))
    lines[done] = lines[done].replace("Số nhiệm vụ đã hoàn thành", "Số nhiệm vụ đã thực hiện xong trong kỳ", 1)
    source = tmp_path / "bao-cao.txt"
    source.write_text("\n".join(lines), encoding="utf-8")
    root = project_factory()

    code, err = import_file(capsys, root, source)
    assert code == 1
    assert (f"{source}:{done + 1}:1: error E601: row 'Số nhiệm vụ đã thực hiện xong trong kỳ' matches no row of "
            "form cchc-2022: no row of form cchc-2022 has this label\n    hint: it is probably 'Số nhiệm vụ đã hoàn "
            "thành' (plan_tasks_done), which no other row of the document gives; closest: ") in err
    assert "W602" not in err  # the document has the row: it is the one E601 names


def test_an_appendix_sent_alone_takes_number_and_date_from_its_attached_line(capsys, tmp_path, project_factory,
                                                                             bundled):
    layout = Layout(REFERENCES[2][0], bundled[("sct", "2021-h1")])  # an appendix on its own: no header
    path = tmp_path / "phu-luc.xlsx"
    build_xlsx(path, layout)
    book = load_workbook(path)
    book["Phụ lục"]["A2"] = "(Kèm theo Báo cáo số 152/BC-SCT ngày 15 tháng 6 năm 2021 của Sở Công Thương)"
    book.save(path)
    root = project_factory()
    document = imported_with_exit(capsys, root, path, "sct", "2021-h1").document
    assert (document.number, document.date_line) == ("Số: 152/BC-SCT", "ngày 15 tháng 6 năm 2021")


def test_the_data_file_names_the_source_by_its_file_name_only(capsys, tmp_path, project_factory, layout):
    folder = tmp_path / "Máy của văn thư" / "Tải về"
    folder.mkdir(parents=True)
    path = folder / "bao-cao.docx"
    build_docx(path, layout)
    root = project_factory()
    code, err = import_file(capsys, root, path.resolve())
    assert code == 0, err
    written = target(root).read_text(encoding="utf-8")
    assert "Máy của văn thư" not in written and str(tmp_path) not in written
    assert "# Converted from bao-cao.docx: every value and note as the department wrote it.\n" in written
    assert '  source: "bao-cao.docx"\n' in written


def test_a_formula_gives_its_value_as_the_sheet_shows_it_never_digits_nobody_typed(capsys, tmp_path,
                                                                                   project_factory, layout):
    path = tmp_path / "bao-cao.xlsx"
    build_xlsx(path, layout)
    row = sheet_row(path, "Tỷ lệ hồ sơ TTHC tiếp nhận được giải quyết đúng hẹn")  # (the layout's wording)
    book = load_workbook(path)
    book["Phụ lục"].cell(row, 4).number_format = "0.00%"
    book.save(path)
    # As Excel or Calc saves it: the formula with the value it last computed (openpyxl writes no value).
    rewrite_member(path, "xl/worksheets/sheet2.xml", lambda xml: re.sub(  # (the second sheet: "Phụ lục")
        rf'(<c r="D{row}"[^>]*?)(?: t="\w+")?>.*?</c>'.encode(),
        rb'\1><f>95/96</f><v>0.98958333333333337</v></c>', xml, count=1, flags=re.S))
    root = project_factory()

    code, err = import_file(capsys, root, path)
    assert code == 0, err
    assert figures(report_of(root, DEPARTMENT, PERIOD))["case_files_on_time_rate"] == ("98.96", "")
    # listed, for the clerk to compare with the printed report
    assert (f"{path}: warning W625: 1 formula cell(s) of sheet 'Phụ lục' are read as the sheet shows them, rounded "
            f"by their number format: D{row} (98,9583333333 shown as 98,96)") in err
