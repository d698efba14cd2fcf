"""Read a report's appendix from an Excel .xlsx workbook (openpyxl).

Each sheet becomes its title rows (rows with at most one filled cell above
the first row with two, read as paragraphs) and one table of the rest. A
merged range keeps its text in its top-left cell only, which is what openpyxl
gives, so merged headers are read once (the ranges merged across columns are
kept with the table: a figure's cell merged over its note's holds the note).
Hidden columns are left empty and hidden rows out, as the sheet shows neither
(W626 names the hidden rows and columns that hold text). Lines are sheet row numbers.

Numbers typed as numbers are written back in the Vietnamese style the other
formats use, with every digit typed and the zeros the format shows: 96.8
formatted '0.00' becomes '96,80'; 99.99 formatted '0' stays '99,99', never 100.

Before openpyxl sees the workbook, the file is checked (record.open_office_package)
and each sheet's XML is read once here, for what openpyxl would hide or choke
on: a formula with no saved value (openpyxl gives None, an empty figure), a
value under a merged range (openpyxl drops it), a cell it cannot decode, and
a used range so large that laying it out would never end.
"""
from __future__ import annotations

import io
import posixpath
import re
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from ..inputs.period_named import normalise_label
from .record import (Fault, OfficePackage, SourceDocument, SourceTable, UnreadableDocument, find_appendix,
                     is_appendix_header, is_contacts_header, is_figure, is_number_caption,
                     named_places, open_office_package, sheet_text)
from .text import AppendixRow

_DECIMALS = re.compile(r"\.(0+)")
_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_RELATIONSHIP = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
_PACKAGE_RELS = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"
_CELL = re.compile(r"^([A-Z]{1,3})([1-9][0-9]{0,6})$")
_RANGE = re.compile(r"^\$?([A-Z]{1,3})\$?([1-9][0-9]{0,6})(?::\$?([A-Z]{1,3})\$?([1-9][0-9]{0,6}))?$")
# The grid of Excel 97-2003: a report's sheet fits in it many times over, and laying out one
# larger (up to 1 048 576 x 16 384 cells in Excel today) would never end.
MAX_ROWS, MAX_COLUMNS = 65_536, 256
# cells written in the file, filled or only formatted, and merged over: a report has ~1 000; openpyxl
# reads about 60 000 a second, so a sheet with more is refused before it is read for seconds on end
MAX_CELLS = 50_000
_RESAVE = "open the file in Excel or LibreOffice Calc and save it again"


def _format_code(number_format: str) -> str:
    """The part of a number format that acts on a positive number: its first section, without quoted text
    ("%"), escaped characters (\\%) and [colours or conditions], which are shown as they are and scale
    nothing: a cell formatted 0.00"%" holding 0.72 shows 0,72 %, not 72 %."""
    code = re.sub(r'"[^"]*"|\\.|\[[^\]]*\]', "", number_format)
    return code.split(";")[0]


def _shown(value: object, number_format: str, computed: bool = False) -> str:
    """A cell's value as the sheet shows it. A typed number keeps every digit typed; a formula's (`computed`)
    is the figure as its format shows it (=95/96 formatted 0.00% is 98,96: nobody typed 98,9583333333)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, (int, float)):  # a file stores 50.0 as 50: the format says how it is shown
        number_format = _format_code(number_format or "")
        if "%" in number_format:  # 0.9999 shown as 99.99 %: the form's % rows hold the 99.99
            value = round(value * 100, 10)
        # The digits the department typed are all kept: a format that shows fewer (0.9999 formatted '0.0%' shows
        # 100,0 %) never rounds them away; one that shows more keeps its zeros (96.8 formatted '0.00' is 96,80).
        match = _DECIMALS.search(number_format)
        if computed and (match or "0" in number_format or "#" in number_format):
            places = len(match[1]) if match else 0
            # (half away from zero, as a spreadsheet shows it; from the float's shortest text, not its binary digits)
            shown = Decimal(repr(float(value))).quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP)
            return format(shown, "f").replace(".", ",")
        # (to ten places: a float's last binary digits, 0.30000000000000004, were never typed)
        typed = "" if isinstance(value, int) else f"{float(value):.10f}".rstrip("0").partition(".")[2]
        places = max(len(match[1]) if match else 0, len(typed))
        text = f"{value:.{places}f}" if places else str(int(value))
        return text.replace(".", ",")
    if isinstance(value, (datetime, date)):
        return value.strftime("%d/%m/%Y")
    return sheet_text(str(value))


def _column(letters: str) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + ord(letter) - 64
    return number


def _area(ref: str) -> tuple[int, int, int, int] | None:
    """'C4:D5' -> (first row, first column, last row, last column); None when it is no range."""
    match = _RANGE.match(ref.strip().upper())
    if not match:
        return None
    top, left = int(match[2]), _column(match[1])
    bottom, right = (int(match[4]), _column(match[3])) if match[3] else (top, left)
    return min(top, bottom), min(left, right), max(top, bottom), max(left, right)


def _sheet_parts(package: OfficePackage) -> list[tuple[str, str]]:
    """(sheet name, member name) of each worksheet, in the workbook's order."""
    book = package.xml.get("xl/workbook.xml")
    rels = package.xml.get("xl/_rels/workbook.xml.rels")
    if book is None or rels is None:
        return []
    targets = {}
    for rel in rels.iter(_PACKAGE_RELS):
        target = rel.get("Target", "")
        targets[rel.get("Id")] = target.lstrip("/") if target.startswith("/") else \
            posixpath.normpath(posixpath.join("xl", target))
    return [(sheet.get("name", ""), targets.get(sheet.get(_RELATIONSHIP), ""))
            for sheet in book.iter(f"{_MAIN}sheet")]


def _used_range(name: str, top: int, left: int, bottom: int, right: int) -> UnreadableDocument:
    used = f"{get_column_letter(left)}{top}:{get_column_letter(right)}{bottom}"
    return UnreadableDocument(
        f"sheet '{name}' uses the range {used} ({bottom - top + 1} rows by {right - left + 1} columns), more than "
        f"the {MAX_ROWS} rows and {MAX_COLUMNS} columns a report's sheet can use", "E612",
        "delete the rows and columns past the table (or copy the table to a new sheet), then save again")


def _check_sheet(name: str, root, strings: int, faults: list[Fault], formulas: set[tuple[int, int]]
                 ) -> tuple[int, int]:
    """Faults of one sheet's cells; its extent of filled cells (last row, last column). The cells that hold a
    formula go into `formulas` as (row, column).

    Raises UnreadableDocument when the sheet is too large to lay out."""
    filled: dict[tuple[int, int], str] = {}
    row_number, written, extent = 0, 0, (0, 0, 0, 0)  # rows and columns of every cell written
    for row in root.iter(f"{_MAIN}row"):
        row_number = int(row.get("r")) if (row.get("r") or "").isdigit() else row_number + 1
        column = 0
        for cell in row.iter(f"{_MAIN}c"):
            written += 1
            match = _CELL.match(cell.get("r") or "")
            here = f"cell {cell.get('r')} of sheet '{name}'"
            if match:
                row_number, column = int(match[2]), _column(match[1])
            elif cell.get("r"):
                faults.append(Fault("E615", f"{here} has a reference the reader cannot decode", _RESAVE, row_number))
                continue
            else:
                column += 1
                here = f"cell {get_column_letter(min(column, 16384))}{row_number} of sheet '{name}'"
            extent = (min(extent[0] or row_number, row_number), min(extent[1] or column, column),
                      max(extent[2], row_number), max(extent[3], column))
            kind = cell.get("t") or "n"
            value = cell.find(f"{_MAIN}v")
            formula = cell.find(f"{_MAIN}f")
            text = value.text or "" if value is not None else ""
            if kind == "inlineStr":
                text = "".join(cell.find(f"{_MAIN}is").itertext()) if cell.find(f"{_MAIN}is") is not None else ""
            where = (row_number, column)
            # no value saved: no <v>, or an empty one where only a text result can be empty
            if formula is not None and kind != "inlineStr" and (value is None or (not text and kind != "str")):
                faults.append(Fault("E613", f"{here} is a formula (={_short(formula.text or '')}) with no value "
                                    "saved in the file", f"{_RESAVE} (that saves each formula's value), or type "
                                    "the figure in place of the formula", *where))
                continue
            if formula is not None:
                formulas.add(where)
            problem = _undecodable(kind, text, strings)
            if problem:
                faults.append(Fault("E615", f"{here} {problem}", "correct the cell (type the figure as it should "
                                    "read) and save again", *where))
                continue
            if text.strip():
                filled[where] = text
            if written > MAX_CELLS:
                raise UnreadableDocument(f"sheet '{name}' writes more than {MAX_CELLS} cells, more than a report "
                                         "has", "E612", "check that this is the report; delete the rows and "
                                         "columns past the table and save again")
    if extent[2] > MAX_ROWS or extent[3] > MAX_COLUMNS:
        raise _used_range(name, *extent)
    merged, covered = [], 0
    for element in root.iter(f"{_MAIN}mergeCell", f"{_MAIN}hyperlink"):
        area = _area(element.get("ref") or "")
        if area is None:
            continue
        if area[2] > MAX_ROWS or area[3] > MAX_COLUMNS:
            raise _used_range(name, min(area[0], extent[0] or area[0]), min(area[1], extent[1] or area[1]),
                              max(area[2], extent[2]), max(area[3], extent[3]))
        covered += (area[2] - area[0] + 1) * (area[3] - area[1] + 1)
        if covered > MAX_CELLS:  # openpyxl makes a cell object for every cell a range covers
            raise UnreadableDocument(f"sheet '{name}' merges or links more than {MAX_CELLS} cells, more than a "
                                     "report has", "E612", "unmerge the cells past the table and save again")
        if element.tag == f"{_MAIN}mergeCell":
            merged.append(area)
    for top, left, bottom, right in merged:
        shown = f"{get_column_letter(left)}{top}"
        for (row_number, column), text in filled.items():
            if top <= row_number <= bottom and left <= column <= right and (row_number, column) != (top, left):
                reference = f"{get_column_letter(column)}{row_number}"
                faults.append(Fault("E614", f"cell {reference} of sheet '{name}' holds '{_short(text)}', hidden "
                                    f"under the merged cells {shown}:{get_column_letter(right)}{bottom}, which show "
                                    f"only {shown}", f"unmerge {shown}:{get_column_letter(right)}{bottom} and give "
                                    "each value its own cell, or delete the hidden value", row_number, column))
    return (max((r for r, _ in filled), default=0), max((c for _, c in filled), default=0))


def _undecodable(kind: str, text: str, strings: int) -> str:
    """Why openpyxl could not read the cell's value as its type says; '' when it can."""
    if not text.strip():
        return ""
    try:
        if kind == "s" and not 0 <= int(text) < strings:
            return f"refers to shared text {text}, which the workbook does not have ({strings} texts)"
        if kind == "n":
            float(text)
        if kind == "b" and text.strip() not in ("0", "1"):
            return f"holds '{_short(text)}' as a true/false value"
        if kind == "d":
            datetime.fromisoformat(text.strip())
    except ValueError:
        return f"holds '{_short(text)}', which is not the {'number' if kind in ('n', 's') else 'date'} its type says"
    if kind == "e":
        return f"holds the error {_short(text)} instead of a value"
    if kind not in ("s", "n", "b", "d", "str", "inlineStr"):
        return f"has a type ('{_short(kind)}') the reader cannot decode"
    return ""


def _short(text: str) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= 60 else flat[:57] + "..."


def _check_workbook(package: OfficePackage) -> tuple[dict[str, tuple[int, int]], list[Fault],
                                                    dict[str, set[tuple[int, int]]]]:
    """Each sheet's extent of filled cells, the faults of all sheets, and each sheet's formula cells."""
    strings = package.xml.get("xl/sharedStrings.xml")
    count = sum(1 for _ in strings.iter(f"{_MAIN}si")) if strings is not None else 0
    faults: list[Fault] = []
    extents, formulas = {}, {}
    for name, part in _sheet_parts(package):
        root = package.xml.get(part)
        if root is not None:
            formulas[name] = set()
            extents[name] = _check_sheet(name, root, count, faults, formulas[name])
    return extents, faults, formulas


def _hidden_columns(sheet, last_column: int) -> set[int]:
    """0-based positions of the columns the sheet hides, up to `last_column`."""
    from openpyxl.utils import column_index_from_string

    hidden = set()
    for letter, dimension in getattr(sheet, "column_dimensions", {}).items():
        if getattr(dimension, "hidden", False):
            first = dimension.min or column_index_from_string(letter)
            last = min(dimension.max or first, last_column)
            hidden |= set(range(first - 1, last))
    return hidden


def read_xlsx_document(path: Path) -> SourceDocument:
    package = open_office_package(path)
    extents, faults, formulas = _check_workbook(package)
    try:
        workbook = load_workbook(io.BytesIO(package.data), data_only=True)
    except Exception as error:  # whatever openpyxl trips on in a damaged file, it is not the clerk's bug
        if faults:  # a cell it could not decode, already named
            return SourceDocument((), (), tuple(faults))
        raise UnreadableDocument(f"not an Excel .xlsx workbook ({type(error).__name__}: {error})") from error
    blocks: list[str | SourceTable] = []
    lines: list[int] = []
    notices: list[Fault] = []
    for sheet in workbook.worksheets:
        # only as far as the last filled cell: openpyxl's own extent counts formatted empty cells too
        last_row, last_column = extents.get(sheet.title, (sheet.max_row, sheet.max_column))
        rows: list[tuple[int, tuple[str, ...]]] = []
        italic: set[tuple[int, int]] = set()  # the cells set in italics: how the form prints its instructions
        hidden = _hidden_columns(sheet, last_column)
        computed = formulas.get(sheet.title, set())
        rounded: list[str] = []  # formula cells whose format shows fewer digits than the value has
        unseen: list[int] = []  # hidden rows that hold text
        unseen_columns: set[int] = set()  # hidden columns that hold text (in rows not hidden)
        spans = {(area.min_row, area.min_col - 1, area.max_col - 1) for area in sheet.merged_cells.ranges
                 if area.max_col > area.min_col}
        merged_down = sorted((area.min_row, area.min_col, area.coord) for area in sheet.merged_cells.ranges
                             if area.max_row > area.min_row)
        for cells in sheet.iter_rows(min_row=1, max_row=last_row, max_col=last_column) if last_row else ():
            if cells and sheet.row_dimensions[cells[0].row].hidden:
                # a hidden row is not what the sheet shows (last quarter's row kept out of sight), as a hidden column
                if any(c.value is not None and str(c.value).strip() for c in cells):
                    unseen.append(cells[0].row)
                continue
            # a hidden column is not what the sheet shows (last quarter's figures kept out of sight): left empty
            unseen_columns.update(i for i in hidden if i < len(cells) and cells[i].value is not None
                                  and str(cells[i].value).strip())
            texts = tuple("" if i in hidden else _shown(c.value, getattr(c, "number_format", ""),
                                                        (cells[0].row, i + 1) in computed)
                          for i, c in enumerate(cells))
            for i, c in enumerate(cells):
                if (cells[0].row, i + 1) in computed and i not in hidden and isinstance(c.value, (int, float)) \
                        and not isinstance(c.value, bool):
                    exact = _shown(c.value, getattr(c, "number_format", ""))
                    if _digits(exact) != _digits(texts[i]):
                        rounded.append(f"{c.coordinate} ({exact} shown as {texts[i]})")
            if not rows and sum(bool(t.strip()) for t in texts) <= 1:
                blocks.append(" ".join(t for t in texts if t.strip()))
                lines.append(cells[0].row)
                continue
            rows.append((cells[0].row, texts))
            italic |= {(cells[0].row, i) for i, c in enumerate(cells)
                       if texts[i].strip() and c.font is not None and c.font.i}
        if rows:
            table = SourceTable(tuple(rows), sheet.title, frozenset(italic), sheet.sheet_state != "visible",
                                frozenset(spans))
            stacked = _stacked(table)
            tables = [table]
            if stacked is not None and stacked[1]:
                tables, starts, offset = stacked
                after = ", ".join(f"from line {offset * n} the table from column {get_column_letter(start + 1)} "
                                  f"(line {offset * n + 5}: its row 5)" for n, start in enumerate(starts, 1))
                notices.append(Fault(
                    "W627", f"sheet '{sheet.title}' holds the appendix as {len(starts) + 1} tables side by side; "
                    f"each is read below the one on its left, so messages name {after}",
                    "check the rows the import names against the sheet; to have each message name its sheet row, "
                    "move the tables on the right under the first one and import again",
                    rows[0][0], 1))
            elif stacked is not None:  # one table of the appendix, another table beside it
                tables = stacked[0]
            for part in tables:
                blocks.append(part)
                lines.append(part.rows[0][0] if part.rows else rows[0][0])
        # A figure in cells merged down over rows of the form stands for the first row only (openpyxl leaves the
        # others empty): whose figure it is, the sheet does not say. (An STT number merged down over its
        # sub-rows, in the table's first column or under any "STT" caption, is not a figure of a row.)
        first_column = min((i for _, texts in rows for i, t in enumerate(texts) if t.strip()), default=0)
        numbering = {first_column} | {i for _, texts in rows if merged_down for i, t in enumerate(texts)
                                      if t and len(t) < 16 and is_number_caption(normalise_label(t))}
        shared = [(row, column, f"{coord} ({sheet.cell(row, column).value})") for row, column, coord in merged_down
                  if column - 1 not in numbering and rows and rows[0][0] <= row
                  and is_figure(str(sheet.cell(row, column).value or "").strip())]
        if shared and sheet.sheet_state == "visible":
            notices.append(Fault(
                "W628", f"{len(shared)} figure(s) of sheet '{sheet.title}' stand in cells merged down over several "
                "rows, read for the first row only (the rows below as not reported): "
                + named_places([named for _, _, named in shared]),
                "check in the printed report whose figure each is; if the rows each have one, unmerge the cells in "
                "Excel, type each row's figure and import again", shared[0][0], shared[0][1]))
        if unseen and sheet.sheet_state == "visible":
            notices.append(Fault(
                "W626", f"{len(unseen)} hidden row(s) of sheet '{sheet.title}' are not read: "
                + named_places(list(map(str, unseen)), ", "),
                "a hidden row is not part of the report as the sheet shows it; if one holds this period's figures, "
                "unhide it in Excel and import again"))
        if unseen_columns and sheet.sheet_state == "visible":
            named = [get_column_letter(i + 1) for i in sorted(unseen_columns)]
            notices.append(Fault(
                "W626", f"{len(named)} hidden column(s) of sheet '{sheet.title}' are not read: "
                + named_places(named, ", "),
                "a hidden column is not part of the report as the sheet shows it; if one holds this period's figures, "
                "unhide it in Excel and import again"))
        if rounded:
            notices.append(Fault(
                "W625", f"{len(rounded)} formula cell(s) of sheet '{sheet.title}' are read as the sheet shows them, "
                "rounded by their number format: " + named_places(rounded),
                "check each against the printed report: where it prints the figure with more digits, type that "
                "figure in the cell (a formula's digits are not the department's typing) and import again"))
    return SourceDocument(tuple(blocks), tuple(lines), tuple(faults), tuple(notices))


def _part(table: SourceTable, first: int, end: int, top: int, shift: int, width: int) -> SourceTable:
    """The columns first..end-1 of a table, from its row `top` down, each line moved by `shift`."""
    rows = tuple((line + shift, cells[first:end] + ("",) * (width - len(cells[first:end])))
                 for line, cells in table.rows if line >= top)
    return SourceTable(rows, table.sheet,
                       frozenset((line + shift, column - first) for line, column in table.italic
                                 if first <= column < end and line >= top),
                       table.hidden,
                       frozenset((line + shift, left - first, min(right, end - 1) - first)
                                 for line, left, right in table.spans if first <= left < end and line >= top))


def _stacked(table: SourceTable) -> tuple[list[SourceTable], tuple[int, ...], int] | None:
    """A sheet whose tables stand side by side, each headed by its own "STT ..." row (on the same row or not):
    the appendix's tables as one table, one below the other (the header repeated, as where a table goes on after
    a page break), then each other table (the people in charge: "STT | Họ và tên | Chức vụ") as its own; with
    the column where each table of the appendix after the first begins, and the line offset of each. None for
    a sheet of one table.

    The lines of each table of the appendix after the first are its sheet rows plus a round offset (1000 for a
    sheet of under 1000 rows), so that a line still names one row: the warning says how to read them."""
    heads: dict[int, tuple[int, bool]] = {}  # the column where a table begins -> (its header's line, appendix?)
    for index, (line, cells) in enumerate(table.rows):
        starts = [i for i, cell in enumerate(cells) if cell and len(cell) < 16
                  and is_number_caption(normalise_label(cell))]
        for first, end in zip(starts, starts[1:] + [len(cells)]):
            if first in heads or not (is_appendix_header(cells[first:end]) or is_contacts_header(cells[first:end])):
                continue
            # a table beside another has the other's rows beside its own (the people in charge listed below the
            # appendix, one column further in, are a table of their own, not a side of it)
            if heads and not any(any(c.strip() for c in row[:first] + row[end:])
                                 for _, row in table.rows[index:index + 4]):
                continue
            heads[first] = (line, is_appendix_header(cells[first:end]))
    if len(heads) < 2 or not any(appendix for _, appendix in heads.values()):
        return None
    columns = sorted(heads)
    bounds = list(zip([0] + columns[1:], columns[1:] + [table.width]))
    width = max(end - first for first, end in bounds)
    offset = 10 ** len(str(table.rows[-1][0]))
    stacked: list[SourceTable] = []
    others: list[SourceTable] = []
    starts = []
    for (first, end), column in zip(bounds, columns):
        line, appendix = heads[column]
        if not appendix:
            others.append(_part(table, first, end, line, 0, end - first))
            continue
        part = _part(table, first, end, table.rows[0][0] if not stacked else line, len(stacked) * offset, width)
        if stacked:
            starts.append(first)
        stacked.append(part)
    if len(stacked) == 1 and not others:
        return None
    joined = SourceTable(tuple(row for part in stacked for row in part.rows), table.sheet,
                         frozenset().union(*(part.italic for part in stacked)), table.hidden,
                         frozenset().union(*(part.spans for part in stacked)))
    return [joined, *others], tuple(starts), offset


def _digits(shown: str) -> str:
    """A figure as shown, without the zeros that end its decimals: '98,50' and '98,5' are one figure."""
    return shown.rstrip("0").rstrip(",") if "," in shown else shown


def read_xlsx(path: Path) -> list[AppendixRow]:
    """The appendix rows of an .xlsx workbook ([] when no sheet has the appendix table)."""
    appendix = find_appendix(read_xlsx_document(path))
    return list(appendix.rows) if appendix else []
