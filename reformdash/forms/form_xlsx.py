"""A body's form as an Excel workbook (openpyxl), to fill in in Excel or LibreOffice Calc.

One sheet holds the form: its title (department, period, form version), the
header row and every row in printed order. Only the value and note cells are
open; the sheet is protected (without a password: it guards against slips, not
people), so labels, units and the reference figures stay as sent. Each value
cell checks what it takes (whole numbers from 0 for counts, 0-100 for
percentages, a list of meanings for coded answers) and says, when selected,
that an empty cell means "not reported", never 0. Column H, hidden, holds each
row's indicator ID, and column I, hidden, a formula naming its value and note
cells; a hidden sheet names the department, period and form version, so a
returned workbook is read back exactly.
"""
from __future__ import annotations

import io
import math

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.utils import get_column_letter
from openpyxl.workbook.protection import WorkbookProtection
from openpyxl.worksheet.datavalidation import DataValidation

from ..model import ValueKind
from .layout import COLUMNS, EMPTY_MEANS, ID_HEADER, LAYOUT, MARK, BodyForm, Line, period_span

SHEET = "Biểu mẫu"
FONT = "Times New Roman"  # what departments' own copies of the form use; it has every Vietnamese letter
WIDTHS = {"number": 6, "label": 54, "unit": 15, "value": 15, "note": 42, "previous": 15, "last_year": 15, "id": 30}
HEADER_ROW = 7  # the table's header; the rows follow
LETTER = {name: get_column_letter(index) for index, name in enumerate(COLUMNS, 1)}
# Column I, hidden, after the IDs: per row a formula naming the row's value and note cells. Excel and LibreOffice
# rewrite it when one of those cells is deleted, inserted or moved on its own (Delete cells… shift cells up, cut and
# paste), never when its whole row moves; so the reader finds a figure that no longer stands on its row.
ANCHOR = get_column_letter(len(COLUMNS) + 1)

_THIN = Side(style="thin", color="808080")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_AREA = PatternFill("solid", fgColor="DCE6F1")
_CLOSED = PatternFill("solid", fgColor="D9D9D9")  # a heading's value cell: nothing to fill in
_REFERENCE = PatternFill("solid", fgColor="F2F2F2")
_TO_FILL = PatternFill("solid", fgColor="FFFBE6")  # the value cells to fill in
_OPEN = Protection(locked=False)
_EMPTY_EN = "An empty cell means not reported, never 0"


def _prompt(vi: str, en: str) -> str:
    """An input message: Vietnamese first; at most the 255 characters Excel shows."""
    text = f"{vi}\n{en}"
    return text if len(text) <= 255 else vi[:255]


def _validation(kind: ValueKind) -> DataValidation:
    """The check and input message of a value cell of this kind (coded, whole, decimal, by value-kinds.yaml)."""
    if kind.codes:
        meanings = [code.vi for code in kind.codes]
        listed = ", ".join(meanings)
        rule = DataValidation(type="list", formula1='"' + ",".join(meanings) + '"', allow_blank=True)
        title, vi, en = kind.label_vi, f"Chọn trong danh sách: {listed}.", "Choose from the list."
        error = f"Chọn một trong: {listed}; hoặc để trống.\nChoose one of the list, or leave it empty."
    else:
        low = kind.minimum if kind.minimum is not None else None
        high = kind.maximum
        rule = DataValidation(type="whole" if kind.whole else "decimal", allow_blank=True,
                              operator="between" if low is not None and high is not None
                              else "greaterThanOrEqual" if low is not None else "lessThanOrEqual",
                              formula1=str(low if low is not None else high),
                              formula2=str(high) if low is not None and high is not None else None)
        if kind.whole:
            what_vi, what_en = f"số nguyên từ {low} trở lên", f"a whole number from {low}"
        else:
            what_vi = f"số từ {low} đến {high}, giữ số chữ số thập phân của đơn vị (vd 99,99)" if high is not None \
                else f"số từ {low} trở lên"
            what_en = f"a number from {low} to {high}, with your own decimals" if high is not None else "a number"
        title = kind.label_vi
        vi, en = f"Nhập {what_vi}. {EMPTY_MEANS}.", f"Type {what_en}. {_EMPTY_EN}."
        error = f"Chỉ nhập {what_vi}, hoặc để trống.\nOnly {what_en}, or leave it empty."
    if kind.codes:
        vi, en = f"{vi} {EMPTY_MEANS}.", f"{en} {_EMPTY_EN}."
    rule.promptTitle, rule.prompt = title[:32], _prompt(vi, en)
    rule.errorTitle, rule.error = "Giá trị không hợp lệ", error[:255]
    rule.showInputMessage = rule.showErrorMessage = True
    return rule


def _note_validation(instructions: tuple[str, ...]) -> DataValidation:
    """Any text: only an input message, with the instructions the form prints in its note column."""
    vi = "Ghi văn bản làm căn cứ (số, ngày); xuống dòng bằng Alt+Enter."
    if instructions:
        vi += " Hướng dẫn của biểu mẫu: " + "; ".join(instructions) + "."
    rule = DataValidation(allow_blank=True)
    rule.promptTitle, rule.prompt = "Ghi chú", _prompt(vi, "The note: the document it rests on (number, date).")
    rule.showInputMessage = True
    return rule


def _height(line: Line) -> float:
    """A row's height for its longest wrapped text (Excel does not fit rows written by a program)."""
    lines = max(math.ceil(len(text) / (WIDTHS[column] * 1.3)) if text else 1
                for column, text in (("label", line.label), ("unit", line.unit),
                                     ("previous", line.previous), ("last_year", line.last_year)))
    return 16.5 * max(lines, 1) + 2


def xlsx_bytes(form: BodyForm) -> bytes:
    """The workbook of `form`, as the bytes of an .xlsx file."""
    book = Workbook()
    sheet = book.active
    sheet.title = SHEET
    for name, width in WIDTHS.items():
        sheet.column_dimensions[LETTER[name]].width = width
    sheet.column_dimensions[LETTER["id"]].hidden = True
    sheet.column_dimensions[ANCHOR].hidden = True
    last = LETTER["last_year"]
    title = (("BIỂU THỐNG KÊ SỐ LIỆU CẢI CÁCH HÀNH CHÍNH", 14, True, False),
             (form.department.name_vi, 13, True, False),
             (f"Kỳ báo cáo: {form.period.label_vi} ({period_span(form.period)})", 12, True, False),
             (form.form.label_vi, 12, False, True),
             ("Nhập số liệu vào cột “Kết quả thống kê” (ô nền vàng) và ghi chú vào cột “Ghi chú”; các ô khác "
              f"được khóa. {EMPTY_MEANS}: không ghi 0 khi không có số liệu. Dòng có mã (Có/Không, Tốt/Có vi "
              "phạm…): chọn trong danh sách của ô. Hai cột nền xám là số liệu đơn vị đã báo cáo, chỉ để đối chiếu.",
              11, False, True))
    for row, (text, size, bold, italic) in enumerate(title, 1):
        sheet.merge_cells(f"A{row}:{last}{row}")
        cell = sheet.cell(row, 1, text)
        cell.font = Font(name=FONT, size=size, bold=bold, italic=italic)
        cell.alignment = Alignment(horizontal="center" if row < 5 else "left", vertical="center", wrap_text=True)
    sheet.row_dimensions[5].height = 48
    headers = {"number": "STT", "label": "Chỉ tiêu thống kê", "unit": "Đơn vị tính",
               "value": f"Kết quả thống kê\n{form.department.short_name}", "note": "Ghi chú",
               "previous": form.previous.title, "last_year": form.last_year.title, "id": ID_HEADER}
    for name, text in headers.items():
        cell = sheet[f"{LETTER[name]}{HEADER_ROW}"]
        cell.value = text
        cell.font = Font(name=FONT, size=11, bold=True)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.border = _BORDER
    sheet.row_dimensions[HEADER_ROW].height = 64
    if form.form.instructions:
        sheet[f"{LETTER['note']}{HEADER_ROW}"].comment = Comment(
            "Hướng dẫn của biểu mẫu cho cột Ghi chú:\n" + "\n".join(f"- {t}" for t in form.form.instructions),
            "Sở Nội vụ", width=260, height=110)

    rules: dict[str, DataValidation] = {}
    notes = _note_validation(form.form.instructions)
    for row, line in enumerate(form.lines, HEADER_ROW + 1):
        _write_line(sheet, row, line, rules, notes)
    for rule in (*rules.values(), notes):
        sheet.add_data_validation(rule)

    end = HEADER_ROW + len(form.lines)
    sheet.freeze_panes = f"A{HEADER_ROW + 1}"
    sheet.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    sheet.print_area = f"A1:{last}{end}"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.page_margins.left = sheet.page_margins.right = 0.4
    # Protected without a password: the labels and reference figures cannot be changed by a slip; columns and
    # rows may still be widened.
    sheet.protection.sheet = True
    sheet.protection.formatColumns = sheet.protection.formatRows = False
    _markers(book, form)
    book.security = WorkbookProtection(lockStructure=True)  # the hidden sheet stays hidden and named
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _write_line(sheet, row: int, line: Line, rules: dict[str, DataValidation], notes: DataValidation) -> None:
    texts = {"number": line.number, "label": line.label, "unit": line.unit, "previous": line.previous,
             "last_year": line.last_year, "id": line.indicator}
    area = line.kind is None
    for name in COLUMNS:
        cell = sheet[f"{LETTER[name]}{row}"]
        if texts.get(name):
            cell.value = texts[name]
        cell.font = Font(name=FONT, size=12, bold=area, color="595959" if name in ("previous", "last_year") else None)
        cell.border = _BORDER
        cell.alignment = Alignment(vertical="center", wrap_text=name in ("label", "unit", "note"),
                                   horizontal="center" if name in ("number", "unit") else
                                   "right" if name in ("value", "previous", "last_year") else "left")
        if area:
            cell.fill = _AREA
        elif name in ("previous", "last_year"):
            cell.fill = _REFERENCE
        cell.number_format = "@" if name not in ("value",) else "General"
    if area:
        return
    sheet[f"{ANCHOR}{row}"] = f'=ROW({LETTER["value"]}{row})&" "&ROW({LETTER["note"]}{row})'
    sheet[f"{LETTER['note']}{row}"].protection = _OPEN
    notes.add(f"{LETTER['note']}{row}")
    value = sheet[f"{LETTER['value']}{row}"]
    if line.holds_value:
        value.protection = _OPEN
        value.fill = _TO_FILL
        rule = rules.get(line.kind.id)
        if rule is None:
            rule = rules[line.kind.id] = _validation(line.kind)
        rule.add(value.coordinate)
    else:
        value.fill = _CLOSED  # a group heading: its figures are on the rows under it
    sheet.row_dimensions[row].height = _height(line)


def _markers(book: Workbook, form: BodyForm) -> None:
    """The hidden sheet that makes the workbook a returned form: whose, for which period, on which version."""
    marks = book.create_sheet(MARK)
    for row, (key, value) in enumerate((("layout", LAYOUT), ("sheet", SHEET), ("department", form.department.id),
                                        ("period", form.period.id), ("form", form.form.id)), 1):
        marks.cell(row, 1, key)
        marks.cell(row, 2, value)
    marks.sheet_state = "veryHidden"
    marks.protection.sheet = True
