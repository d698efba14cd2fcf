"""A body's form as a Word document (python-docx), for the bodies that report in Word.

The same rows as the workbook, in one table with a header row repeated on every
page: number, label, unit, the value and note to fill in, the body's earlier
figures for reference (shaded), and a last, narrow column whose text is hidden
(Word's hidden text, not printed) holding each row's indicator ID. The first
paragraph, hidden too, names the department, period and form version, so a
returned document is read back exactly. Word has no cell checks: the text above
the table says what each cell takes and that an empty cell means "not reported".
"""
from __future__ import annotations

import io

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from .layout import COLUMNS, EMPTY_MEANS, ID_HEADER, LAYOUT, MARK, BodyForm, Line, period_span

FONT = "Times New Roman"  # as departments' own copies of the form; it has every Vietnamese letter
WIDTHS = {"number": 1.1, "label": 7.9, "unit": 2.9, "value": 2.6, "note": 6.4, "previous": 2.5, "last_year": 2.5,
          "id": 0.5}  # cm, within the 26.7 cm of a landscape A4 page with 1.5 cm margins
_AREA, _CLOSED, _REFERENCE, _OPEN = "DCE6F1", "D9D9D9", "F2F2F2", "FFFBE6"


def marker_text(form: BodyForm) -> str:
    return (f"{MARK} layout={LAYOUT} department={form.department.id} period={form.period.id} "
            f"form={form.form.id}")


def _shade(cell, fill: str) -> None:
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill)
    cell._tc.get_or_add_tcPr().append(shading)


def _text(cell, text: str, bold: bool = False, italic: bool = False, hidden: bool = False, size: float = 11,
          align=WD_ALIGN_PARAGRAPH.LEFT, grey: bool = False) -> None:
    paragraph = cell.paragraphs[0]
    paragraph.alignment = align
    paragraph.paragraph_format.space_after = Pt(0)
    if not text:
        return
    run = paragraph.add_run(text)
    run.bold, run.italic, run.font.size = bold or None, italic or None, Pt(size)
    if hidden:
        run.font.hidden = True
    if grey:
        run.font.color.rgb = RGBColor(0x59, 0x59, 0x59)


def docx_bytes(form: BodyForm) -> bytes:
    """The document of `form`, as the bytes of a .docx file."""
    document = Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Cm(29.7), Cm(21.0)
    section.left_margin = section.right_margin = section.top_margin = section.bottom_margin = Cm(1.5)
    normal = document.styles["Normal"]
    normal.font.name, normal.font.size = FONT, Pt(12)
    fonts = normal.element.get_or_add_rPr().get_or_add_rFonts()
    for script in ("w:eastAsia", "w:cs"):
        fonts.set(qn(script), FONT)
    normal.paragraph_format.space_after = Pt(2)
    document.core_properties.title = f"{form.form.label_vi}: {form.department.name_vi}, {form.period.label_vi}"

    hidden = document.add_paragraph().add_run(marker_text(form))
    hidden.font.hidden, hidden.font.size = True, Pt(6)
    for text, size, bold, italic in (("BIỂU THỐNG KÊ SỐ LIỆU CẢI CÁCH HÀNH CHÍNH", 14, True, False),
                                     (form.department.name_vi, 13, True, False),
                                     (f"Kỳ báo cáo: {form.period.label_vi} ({period_span(form.period)})", 12, True,
                                      False),
                                     (form.form.label_vi, 12, False, True)):
        paragraph = document.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        paragraph.paragraph_format.space_after = Pt(0)
        run = paragraph.add_run(text)
        run.bold, run.italic, run.font.size = bold or None, italic or None, Pt(size)
    guide = ("Ghi số liệu vào cột “Kết quả thống kê” (ô nền vàng) và ghi chú vào cột “Ghi chú”; không sửa các cột "
             f"khác. {EMPTY_MEANS}: không ghi 0 khi không có số liệu. Số ghi theo cách Việt Nam (1.076; 99,99). "
             "Dòng có mã (Có = 1 Không = 0, Tốt = 1 Có vi phạm = 0…): ghi nghĩa (Có, Không, Tốt…) hoặc mã số. "
             "Hai cột nền xám là số liệu đơn vị đã báo cáo, chỉ để đối chiếu.")
    if form.form.instructions:
        guide += " Hướng dẫn của biểu mẫu cho cột Ghi chú: " + "; ".join(form.form.instructions) + "."
    paragraph = document.add_paragraph()
    paragraph.paragraph_format.space_before = Pt(6)
    run = paragraph.add_run(guide)
    run.italic, run.font.size = True, Pt(10.5)

    table = document.add_table(rows=1 + len(form.lines), cols=len(COLUMNS))
    table.style = document.styles["Table Grid"]
    table.autofit = False
    headers = {"number": "STT", "label": "Chỉ tiêu thống kê", "unit": "Đơn vị tính",
               "value": f"Kết quả thống kê {form.department.short_name}", "note": "Ghi chú",
               "previous": form.previous.title, "last_year": form.last_year.title, "id": ID_HEADER}
    header = table.rows[0]
    header._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))  # repeated on every page
    for index, name in enumerate(COLUMNS):
        cell = header.cells[index]
        _text(cell, headers[name], bold=True, size=10.5, align=WD_ALIGN_PARAGRAPH.CENTER, hidden=name == "id")
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    for row, line in zip(table.rows[1:], form.lines):
        _write_line(row, line)
    # the widths on the grid (LibreOffice reads these) and on every cell (Word reads those)
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    table._tbl.tblPr.append(layout)
    for index, name in enumerate(COLUMNS):
        table.columns[index].width = Cm(WIDTHS[name])
    for row in table.rows:
        for index, name in enumerate(COLUMNS):
            row.cells[index].width = Cm(WIDTHS[name])
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _write_line(row, line: Line) -> None:
    cells = row.cells
    area = line.kind is None
    texts = {"number": line.number, "label": line.label, "unit": line.unit, "value": "", "note": "",
             "previous": line.previous, "last_year": line.last_year, "id": line.indicator}
    for index, name in enumerate(COLUMNS):
        cell = cells[index]
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
        align = WD_ALIGN_PARAGRAPH.CENTER if name in ("number", "unit") else \
            WD_ALIGN_PARAGRAPH.RIGHT if name in ("value", "previous", "last_year") else WD_ALIGN_PARAGRAPH.LEFT
        _text(cell, texts[name], bold=area, align=align, hidden=name == "id", size=6 if name == "id" else 11,
              grey=name in ("previous", "last_year"))
        if area:
            _shade(cell, _AREA)
        elif name in ("previous", "last_year"):
            _shade(cell, _REFERENCE)
        elif name == "value":
            _shade(cell, _OPEN if line.holds_value else _CLOSED)  # a group heading: its figures are below it
