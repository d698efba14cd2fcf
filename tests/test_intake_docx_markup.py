"""`build.py import` of a .docx reads each cell as Word shows it, its tracked changes accepted.

Word keeps a cell's text in more places than the runs directly under its paragraphs: a
figure typed with Track Changes on sits in a tracked insertion (w:ins) beside the deleted
one (w:del), a template's fill-in field is a content control (w:sdt), a formula's result
sits in a field, an older Word wraps dates in smart tags, and a list of documents may be a
small table inside the note cell. The documents are built here (python-docx, and the OXML
Word writes for that markup), imported with the real command, and their figures and notes
compared with the bundled report's; the warning that tracked changes were read as if
accepted (W630) is asserted as the clerk reads it.
"""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from docx import Document
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn

from conftest import ROOT
from reformdash.cli import main
from reformdash.importers.docx_reader import read_docx_document
from reformdash.importers.record import Fault
from reformdash.numbers import format_vi
from test_import import (REFERENCES, UNKNOWN_LABEL, Layout, build_docx, bundled, catalogue, figures,  # noqa: F401
                         report_of, run_import)
from test_import_plan import TARGET as PLAN_TARGET, plan_docx, project  # noqa: F401 (a fixture)
from test_import_plan import bundled as bundled_plan_yaml  # noqa: F401 (a fixture)
from test_import_plan import run_import as run_plan_import

TEXT, DEPARTMENT, PERIOD = REFERENCES[0][0], "stnmt", "2023-q1"
W = nsdecls("w")
CHANGE = 'w:author="Phó Giám đốc" w:date="2023-04-05T08:00:00Z"'
TRACKED_HINT = ("    hint: check the figures and notes of these rows against the document; to be sure, accept or "
                "reject the changes in Word (Review > Accept or Reject) and import it again\n")


@pytest.fixture(scope="module")
def layout(bundled):
    return Layout(TEXT, bundled[(DEPARTMENT, PERIOD)])


# --- OXML as Word writes it -----------------------------------------------------------------

def run(text: str, italic: bool = False) -> str:
    return (f'<w:r>{"<w:rPr><w:i/></w:rPr>" if italic else ""}'
            f'<w:t xml:space="preserve">{text}</w:t></w:r>')


def inserted(inner: str, number: int = 1) -> str:
    return f'<w:ins w:id="{number}" {CHANGE}>{inner}</w:ins>'


def deleted(text: str, number: int = 2) -> str:
    return f'<w:del w:id="{number}" {CHANGE}><w:r><w:delText xml:space="preserve">{text}</w:delText></w:r></w:del>'


def paragraph(inner: str, mark: str = "") -> str:
    return f"<w:p>{mark}{inner}</w:p>"


def instruction(text: str) -> str:
    return f'<w:r><w:instrText xml:space="preserve">{text}</w:instrText></w:r>'


def field(code: str, result: str) -> str:
    """A complex field: its instruction (runs) between 'begin' and 'separate', its last result before 'end'."""
    return (f'<w:r><w:fldChar w:fldCharType="begin"/></w:r>{code}<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
            f'{result}<w:r><w:fldChar w:fldCharType="end"/></w:r>')


def nested_table(rows: list[list[str]]) -> str:
    width = max(len(r) for r in rows)
    return ("<w:tbl><w:tblPr/><w:tblGrid>" + "<w:gridCol/>" * width + "</w:tblGrid>"
            + "".join("<w:tr>" + "".join(f"<w:tc>{paragraph(run(text))}</w:tc>" for text in r) + "</w:tr>"
                      for r in rows) + "</w:tbl>")


def set_cell(cell, blocks: str) -> None:
    """Replace a cell's paragraphs and tables with `blocks` (OXML), keeping its properties."""
    tc = cell._tc
    for child in list(tc):
        if child.tag != qn("w:tcPr"):
            tc.remove(child)
    for child in list(parse_xml(f"<w:body {W}>{blocks}</w:body>")):
        tc.append(child)


def appendix_row(document, label: str):
    """The appendix table row whose label cell reads `label`."""
    return next(row for table in document.tables for row in table.rows
                if len(row.cells) == 5 and row.cells[1].text == label)


VALUE, NOTE = 3, 4


def mark_up(path: Path) -> None:
    """The report as a department's leader leaves it: figures corrected with Track Changes on, fields, content
    controls, smart tags and nested tables in the cells."""
    document = Document(str(path))

    def cell(label: str, column: int):
        return appendix_row(document, label).cells[column]

    # 20 corrected to 22 with Track Changes on
    set_cell(cell("Số nhiệm vụ đề ra trong kế hoạch", VALUE), paragraph(deleted("20") + inserted(run("22"))))
    # a note written over two paragraphs, then joined by deleting the first one's mark
    set_cell(cell("Số nhiệm vụ đã hoàn thành", NOTE),
             paragraph(run("Đang triển khai "), f'<w:pPr><w:rPr><w:del w:id="3" {CHANGE}/></w:rPr></w:pPr>')
             + paragraph(run("thực hiện kế hoạch")))
    # the documents listed in a table inside the note cell (a cell ends with a paragraph)
    set_cell(cell("Số văn bản chỉ đạo CCHC đã ban hành", NOTE),
             nested_table([["Công văn số 12/STNMT-VP", "ngày 16/02/2023;"],
                           ["Công văn số 28/STNMT-VP", "ngày 08/3/2023"]]) + paragraph(""))
    # a smart tag around the note (older Word versions tag dates so)
    set_cell(cell("Số VBQPPL đã tham mưu ban hành", NOTE), paragraph(
        '<w:smartTag w:uri="urn:schemas-microsoft-com:office:smarttags" w:element="date">'
        + run("Quyết định số 03/2023/QĐ-UBND ngày 13/02/2023 (chuyển tiếp từ năm 2022 sang)") + "</w:smartTag>"))
    # the date moved to the end of the note with Track Changes on
    set_cell(cell("Thực hiện công tác phổ biến giáo dục pháp luật", NOTE), paragraph(
        f'<w:moveFrom w:id="4" {CHANGE}>' + run("ngày 20/02/2023 ") + "</w:moveFrom>" + run("Kế hoạch số 08/KH-STNMT")
        + f'<w:moveTo w:id="5" {CHANGE}>' + run(" ngày 20/02/2023") + "</w:moveTo>"))
    # a content control around the figure, and one around the cell's paragraph
    set_cell(cell("Số lượng hồ sơ TTHC do cơ quan, đơn vị tiếp nhận", VALUE), paragraph(
        '<w:sdt><w:sdtPr><w:alias w:val="SoHoSo"/></w:sdtPr><w:sdtContent>' + run("161") + "</w:sdtContent></w:sdt>"))
    set_cell(cell("Số lượng hồ sơ TTHC do cơ quan, đơn vị trả kết quả", VALUE),
             '<w:sdt><w:sdtPr><w:alias w:val="TraKetQua"/></w:sdtPr><w:sdtContent>' + paragraph(run("96"))
             + "</w:sdtContent></w:sdt>")
    # a formula field (simple), and a field whose instruction holds another field (complex): only results show
    set_cell(cell("Dịch vụ công trực tuyến mức độ 3, 4", VALUE),
             paragraph('<w:fldSimple w:instr=" =SUM(BELOW) ">' + run("87") + "</w:fldSimple>"))
    set_cell(cell("Số lượng ý kiến đã tiếp nhận", VALUE), paragraph(
        field(instruction(" IF ") + field(instruction(" =3 "), run("3")) + instruction(" &gt; 0 7 0 "), run("7"))))
    # custom XML around the figure
    set_cell(cell("Số lượng ý kiến đã giải quyết", VALUE),
             paragraph('<w:customXml w:element="soLieu">' + run("7") + "</w:customXml>"))
    # the head count pasted in as a one-cell table
    set_cell(cell("Tổng số biên chế có mặt tại thời điểm báo cáo", VALUE),
             paragraph("") + nested_table([["57"]]) + paragraph(""))
    # a repeating section (a content control around table rows), and one around a single cell
    first, second = (appendix_row(document, label)._tr for label in (
        "Số TTHC liên thông cùng cấp", "Số TTHC liên thông giữa các cấp chính quyền"))
    section = parse_xml(f"<w:sdt {W}><w:sdtPr/><w:sdtContent/></w:sdt>")
    first.addprevious(section)
    section[1].extend([first, second])
    value = appendix_row(document, "Số TTHC được công bố mới")._tr.tc_lst[VALUE]
    control = parse_xml(f'<w:sdt {W}><w:sdtPr><w:alias w:val="SoMoi"/></w:sdtPr><w:sdtContent/></w:sdt>')
    value.addprevious(control)
    control[1].append(value)
    # a row added, then deleted with Track Changes on: accepting removes it
    after = appendix_row(document, "Số nhiệm vụ đã hoàn thành")
    texts = ("", UNKNOWN_LABEL, "Sáng kiến", "3", "Thí điểm")
    extra = parse_xml(f'<w:tr {W}><w:trPr><w:del w:id="6" {CHANGE}/></w:trPr>'
                      + "".join(f"<w:tc>{paragraph(deleted(text, 7 + i))}</w:tc>" for i, text in enumerate(texts))
                      + "</w:tr>")
    after._tr.addnext(extra)
    document.save(str(path))


def test_figures_in_tracked_changes_fields_content_controls_and_nested_tables_are_read(
        capsys, tmp_path, project_factory, layout):
    path = tmp_path / "bao-cao.docx"
    build_docx(path, layout)
    assert read_docx_document(path).notices == ()  # no tracked changes, no notice
    mark_up(path)
    root = project_factory()
    code, err = run_import(capsys, root, path, DEPARTMENT, PERIOD)
    assert code == 0, err
    imported = figures(report_of(root, DEPARTMENT, PERIOD))
    assert imported == layout.expected()  # every other row as the plain document gives it
    assert {k: imported[k] for k in ("plan_tasks_planned", "plan_tasks_done", "reform_directive_documents_issued",
                                     "legal_docs_drafted", "legal_education_done", "case_files_received",
                                     "case_files_returned", "online_services_level_3_4", "feedback_received",
                                     "feedback_resolved", "civil_servant_posts_filled", "procedures_linked_same_level",
                                     "procedures_linked_across_levels", "procedures_newly_published")} == {
        "plan_tasks_planned": ("22", ""),
        "plan_tasks_done": ("0", "Đang triển khai thực hiện kế hoạch"),
        "reform_directive_documents_issued": (
            "2", "Công văn số 12/STNMT-VP ngày 16/02/2023;\nCông văn số 28/STNMT-VP ngày 08/3/2023"),
        "legal_docs_drafted": ("1", "Quyết định số 03/2023/QĐ-UBND ngày 13/02/2023 (chuyển tiếp từ năm 2022 sang)"),
        "legal_education_done": ("1", "Kế hoạch số 08/KH-STNMT ngày 20/02/2023"),
        "case_files_received": ("161", ""),
        "case_files_returned": ("96", ""),
        "online_services_level_3_4": ("87", ""),
        "feedback_received": ("7", ""),
        "feedback_resolved": ("7", ""),
        "civil_servant_posts_filled": ("57", ""),
        "procedures_linked_same_level": ("76", ""),
        "procedures_linked_across_levels": ("1", ""),
        "procedures_newly_published": ("5", "Sở Tư pháp trình công bố; được phê duyệt tại Quyết định số 414/QĐ-UBND "
                                            "ngày 28/02/2023."),
    }
    assert UNKNOWN_LABEL not in err  # the deleted row is not read
    assert (f"{path}: warning W630: the document has tracked changes not yet accepted or rejected (table 4, rows "
            "5, 6, 7, 41); they were read as if accepted: inserted text in, deleted text out\n" + TRACKED_HINT) in err


# --- the reader, cell by cell -----------------------------------------------------------------

def one_table_document(path: Path, cells: list[str], before: str = "") -> None:
    """A document of `before` (OXML paragraphs) and a one-row table of `cells` (each a cell's OXML)."""
    document = Document()
    document.add_paragraph("PHỤ LỤC")
    table = document.add_table(rows=1, cols=len(cells))
    for cell, blocks in zip(table.rows[0].cells, cells):
        set_cell(cell, blocks)
    if before:
        for element in reversed(list(parse_xml(f"<w:body {W}>{before}</w:body>"))):
            document.paragraphs[0]._p.addnext(element)
    document.save(str(path))


def test_characters_and_breaks_read_as_word_shows_them(tmp_path):
    path = tmp_path / "cells.docx"
    one_table_document(path, [
        paragraph(run("Số 12/KH") + "<w:r><w:noBreakHyphen/><w:t>STNMT</w:t><w:tab/><w:t>ngày 5</w:t><w:br/>"
                  '<w:t>dòng hai</w:t><w:br w:type="page"/><w:t>.</w:t></w:r>'),
        paragraph('<w:r><w:sym w:font="Symbol" w:char="F0B3"/><w:t xml:space="preserve"> 95 </w:t>'
                  '<w:sym w:font="Wingdings" w:char="F0FE"/><w:sym w:font="Wingdings" w:char="F046"/>'
                  '<w:sym w:font="Arial" w:char="2264"/></w:r>'),
        paragraph(field(instruction(" =SUM(ABOVE) "), run("161"))) + paragraph(
            '<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> PAGE </w:instrText></w:r>'
            '<w:r><w:fldChar w:fldCharType="end"/></w:r>' + run("không kết quả")),
        paragraph('<w:hyperlink w:history="1">' + inserted(run("Kế hoạch")) + "</w:hyperlink>" + run(" số 3")),
    ])
    [_, table] = read_docx_document(path).blocks
    assert table.rows == ((1, ("Số 12/KH-STNMT\tngày 5\ndòng hai.", "≥ 95 ☑≤", "161\nkhông kết quả",
                               "Kế hoạch số 3")),)


def test_italics_are_read_through_the_markup(tmp_path):
    # the form's instruction in a content control stays the form's; a department's note typed with
    # Track Changes on beside the form's italic words is the department's
    path = tmp_path / "italic.docx"
    one_table_document(path, [
        paragraph("<w:sdt><w:sdtContent>" + run("(ghi số, ngày văn bản)", italic=True) + "</w:sdtContent></w:sdt>"),
        paragraph(run("Ghi chú: ", italic=True) + inserted(run("Kế hoạch số 03/KH-STNMT"))),
        paragraph(inserted(run("(nếu có)", italic=True)) + deleted("Kế hoạch số 03/KH-STNMT")),
    ])
    [_, table] = read_docx_document(path).blocks
    assert table.rows == ((1, ("(ghi số, ngày văn bản)", "Ghi chú: Kế hoạch số 03/KH-STNMT", "(nếu có)")),)
    assert table.italic == frozenset({(1, 0), (1, 2)})


def test_text_inserted_under_a_merged_cell_is_still_refused(tmp_path):
    path = tmp_path / "merged.docx"
    document = Document()
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).merge(table.cell(1, 0))
    table.cell(0, 0).paragraphs[0].add_run("Số nhiệm vụ")
    below = table.rows[1]._tr.tc_lst[0]
    below.append(parse_xml(f"<w:p {W}>{inserted(run('22'))}</w:p>"))
    document.save(str(path))
    read = read_docx_document(path)
    assert read.faults == (Fault("E614", "table 1, row 2, column 1: the text '22' is hidden under the cell merged "
                                 "from the row above",
                                 "unmerge the cells in Word and put the text in its own row, or delete it"),)
    assert [n.code for n in read.notices] == ["W630"]


def test_tracked_changes_outside_the_tables_and_in_nested_rows_are_noticed(tmp_path):
    path = tmp_path / "outside.docx"
    one_table_document(path, [
        nested_table([["Công văn số 12", "ngày 16/02"]]).replace(
            "<w:tr>", f'<w:tr><w:trPr><w:del w:id="9" {CHANGE}/></w:trPr>', 1) + nested_table([["", ""]])
        + paragraph(""),
        paragraph(run("5")),
    ], before=paragraph(run("Số: ") + inserted(run("12/BC-STNMT"))) + paragraph(deleted("Dự thảo")))
    read = read_docx_document(path)
    assert read.blocks[:3] == ("PHỤ LỤC", "Số: 12/BC-STNMT", "")
    assert read.blocks[3].rows == ((1, ("", "5")),)  # the nested row deleted, the empty one gives no line
    assert read.notices == (Fault(
        "W630", "the document has tracked changes not yet accepted or rejected (table 1, row 1; 2 paragraph(s) "
        "outside the tables); they were read as if accepted: inserted text in, deleted text out",
        TRACKED_HINT.strip().removeprefix("hint: ")),)


# --- the returned form ----------------------------------------------------------------------

def test_the_word_form_filled_with_track_changes_on_imports_with_its_figures(capsys, tmp_path, project_factory,
                                                                              bundled, catalogue):
    report = bundled[(DEPARTMENT, PERIOD)]
    out = tmp_path / "bieu-mau.docx"
    assert main(["form", "--department", DEPARTMENT, "--period", PERIOD, "--root", str(ROOT), "--out", str(out),
                 "--format", "docx"]) == 0, capsys.readouterr().err
    document = Document(str(out))
    [table] = [t for t in document.tables if len(t.columns) == 8]
    change = 0
    for row in table.rows:
        indicator = row.cells[7].text.strip()
        item = report.values.get(indicator)
        if item is None:
            continue
        kind = catalogue.kinds[catalogue.indicators[indicator].kind]
        code = kind.code(int(item.value)) if item.value is not None and kind.codes else None
        typed = code.vi if code is not None else format_vi(item.value) if item.value is not None else ""
        for column, lines in ((VALUE, [typed] if typed else []), (NOTE, item.note.split("\n") if item.note else [])):
            cell = row.cells[column]
            for number, line in enumerate(lines):
                change += 1
                p = cell.paragraphs[0] if number == 0 else cell.add_paragraph()
                p._p.append(parse_xml(f'<w:ins {W} w:id="{change}" {CHANGE}>{run(line)}</w:ins>'))
    document.save(str(out))
    assert change > 100
    root = project_factory()
    code, err = run_import(capsys, root, out, DEPARTMENT, PERIOD)
    assert code == 0, err
    assert "178 rows (103 with a value)" in err
    assert figures(report_of(root, DEPARTMENT, PERIOD)) == figures(report)
    [notice] = read_docx_document(out, hidden_text=True).notices  # (as a returned form is read: its IDs are hidden)
    assert notice.code == "W630" and notice.message.startswith(
        "the document has tracked changes not yet accepted or rejected (table 1, rows ")
    assert f"{out.name}: warning W630: {notice.message}" in err.splitlines()  # the import says so too


# --- the plan ------------------------------------------------------------------------------

def test_plan_rows_in_a_repeating_section_are_read_and_a_deleted_row_left_out(project, tmp_path, capsys,
                                                                               bundled_plan_yaml):
    # Word's repeating section content control wraps table rows (w:tbl/w:sdt/w:sdtContent/w:tr); here the last
    # three product rows, and a row added and then deleted with Track Changes on
    path = plan_docx(tmp_path / "ke-hoach.docx", bundled_plan_yaml)
    document = Document(str(path))
    tbl = document.tables[-1]._tbl
    section = parse_xml(f'<w:sdt {W}><w:sdtPr><w15:repeatingSection xmlns:w15='
                        '"http://schemas.microsoft.com/office/word/2012/wordml"/></w:sdtPr><w:sdtContent/></w:sdt>')
    rows = tbl.findall(qn("w:tr"))[-3:]
    rows[0].addprevious(section)
    content = section.find(qn("w:sdtContent"))
    for tr in rows:
        content.append(tr)
    texts = ("Công tác thi đua, khen thưởng", "37. Tổ chức hội thi", "Kế hoạch", "Quý II/2023", "Văn phòng", "")
    content.append(parse_xml(f'<w:tr {W}><w:trPr><w:del w:id="1" {CHANGE}/></w:trPr>'
                             + "".join(f"<w:tc>{paragraph(run(text))}</w:tc>" for text in texts) + "</w:tr>"))
    document.save(str(path))
    code, err = run_plan_import(capsys, project, path)
    assert code == 0, err
    assert "wrote data/sgddt/plan-2023.yaml: 36 tasks, 38 product rows" in err
    assert yaml.safe_load((project / PLAN_TARGET).read_text(encoding="utf-8"))["tasks"] == bundled_plan_yaml["tasks"]


def test_an_appendix_laid_out_inside_a_one_column_frame_table_is_read(capsys, tmp_path, project_factory, layout):
    """Some offices lay a page out in a table of one column: the appendix is then a table inside its cell."""
    path = tmp_path / "bao-cao.docx"
    build_docx(path, layout)
    document = Document(str(path))
    appendix = next(t for t in document.element.body.iter(qn("w:tbl")) if "Chỉ tiêu" in "".join(t.itertext()))
    frame = parse_xml(f'<w:tbl {W}><w:tblPr/><w:tblGrid><w:gridCol w:w="9000"/></w:tblGrid><w:tr><w:tc><w:tcPr>'
                      '<w:tcW w:w="9000" w:type="dxa"/></w:tcPr><w:p/></w:tc></w:tr></w:tbl>')
    appendix.addprevious(frame)
    frame.find(qn("w:tr")).find(qn("w:tc")).insert(1, appendix)  # (a cell ends with a paragraph)
    document.save(str(path))
    root = project_factory()
    code, err = run_import(capsys, root, path, DEPARTMENT, PERIOD)
    assert code == 0, err
    assert figures(report_of(root, DEPARTMENT, PERIOD)) == layout.expected()


def test_an_appendix_laid_in_a_text_box_is_read_once(capsys, tmp_path, project_factory, layout):
    """An appendix put in a text box to fit the page: Word writes the box as a drawing and again as VML for older
    readers (mc:AlternateContent). Its table is read, once (it had been 'no statistics appendix found', E603)."""
    path = tmp_path / "bao-cao.docx"
    build_docx(path, layout)
    document = Document(str(path))
    appendix = next(t for t in document.element.body.iter(qn("w:tbl")) if "Chỉ tiêu" in "".join(t.itertext()))
    copy = parse_xml(appendix.xml)
    anchor = parse_xml(
        f'<w:p {W} xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
        'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
        'xmlns:v="urn:schemas-microsoft-com:vml"><w:r><mc:AlternateContent>'
        '<mc:Choice Requires="wps"><w:drawing><wps:wsp><wps:txbx><w:txbxContent><w:p/></w:txbxContent></wps:txbx>'
        '</wps:wsp></w:drawing></mc:Choice><mc:Fallback><w:pict><v:shape><v:textbox><w:txbxContent><w:p/>'
        '</w:txbxContent></v:textbox></v:shape></w:pict></mc:Fallback></mc:AlternateContent></w:r></w:p>')
    appendix.addprevious(anchor)
    first, fallback = anchor.iter(qn("w:txbxContent"))
    first.insert(0, appendix)
    fallback.insert(0, copy)
    document.save(str(path))
    root = project_factory()
    code, err = run_import(capsys, root, path, DEPARTMENT, PERIOD)
    assert code == 0, err
    assert figures(report_of(root, DEPARTMENT, PERIOD)) == layout.expected()


def test_text_set_hidden_is_not_read_and_each_such_cell_is_named(tmp_path):
    # Word shows "4"; a "0" set hidden after it (Font > Hidden) had made the figure 40, with no word
    path = tmp_path / "hidden.docx"
    one_table_document(path, [
        paragraph(run("4") + '<w:r><w:rPr><w:vanish/></w:rPr><w:t>0</w:t></w:r>'),
        paragraph(run("12") + '<w:r><w:rPr><w:vanish w:val="false"/></w:rPr><w:t>5</w:t></w:r>'),
    ])
    read = read_docx_document(path)
    [_, table] = read.blocks
    assert table.rows == ((1, ("4", "125")),)
    assert read.notices == (Fault(
        "W626", "1 table cell(s) hold text set hidden, which Word neither shows nor prints; it is not read: table 1, "
        "row 1, column 1 ('0')", "check each cell against the printed report; if the hidden text belongs to the "
        "figure, select it in Word, clear Font > Hidden and import again"),)


def test_a_figure_merged_down_over_rows_is_read_for_the_first_and_named(tmp_path):
    # as W628 names such a cell of a workbook: whose figure it is, the table does not say
    path = tmp_path / "merged-figure.docx"
    document = Document()
    table = document.add_table(rows=3, cols=3)
    for index, (number, label) in enumerate((("1", "Đúng tiến độ"), ("2", "Đúng quy trình"), ("3", "Rà soát"))):
        table.cell(index, 0).text, table.cell(index, 1).text = number, label
    table.cell(0, 2).merge(table.cell(1, 2))
    table.cell(0, 2).paragraphs[0].add_run("129")
    table.cell(2, 2).text = "7"
    document.save(str(path))
    read = read_docx_document(path)
    [table_read] = read.blocks
    assert [cells[2] for _, cells in table_read.rows] == ["129", "", "7"]
    assert [(n.code, n.message) for n in read.notices] == [(
        "W628", "1 figure(s) stand in table cells merged down over several rows, read for the first row only (the "
        "rows below as not reported): table 1, row 1, column 3 (129)")]
