"""Read a report's appendix from an Excel .xlsx workbook (openpyxl).

Each sheet becomes its title rows (rows with at most one filled cell above
the first row with two, read as paragraphs) and one table of the rest. A
merged range keeps its text in its top-left cell only, which is what openpyxl
gives, so merged headers are read once. Lines are sheet row numbers.

Numbers typed as numbers are written back the way the document shows them,
in the Vietnamese style the other formats use: 96.8 formatted '0.00' becomes
'96,80', so the precision shown in the sheet is the precision kept.
"""
from __future__ import annotations

import re
import zipfile
from datetime import date, datetime
from pathlib import Path

from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from .record import SourceDocument, SourceTable, UnreadableDocument, find_appendix
from .text import AppendixRow

_DECIMALS = re.compile(r"\.(0+)")


def _shown(value: object, number_format: str) -> str:
    """A cell's value as the sheet shows it."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, (int, float)):  # a file stores 50.0 as 50: the format says how it is shown
        number_format = number_format or ""
        if "%" in number_format:  # 0.9999 shown as 99.99 %: the form's % rows hold the 99.99
            value = round(value * 100, 10)
        match = _DECIMALS.search(number_format)
        if match:
            text = f"{value:.{len(match[1])}f}"
        elif isinstance(value, int) or value.is_integer():
            text = str(int(value))
        else:
            text = repr(value)
        return text.replace(".", ",")
    if isinstance(value, (datetime, date)):
        return value.strftime("%d/%m/%Y")
    return str(value)


def read_xlsx_document(path: Path) -> SourceDocument:
    try:
        workbook = load_workbook(str(path), data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError) as error:
        raise UnreadableDocument(f"not an Excel .xlsx workbook ({error})") from error
    blocks: list[str | SourceTable] = []
    for sheet in workbook.worksheets:
        rows: list[tuple[int, tuple[str, ...]]] = []
        for cells in sheet.iter_rows(min_row=1, max_row=sheet.max_row, max_col=sheet.max_column):
            texts = tuple(_shown(c.value, getattr(c, "number_format", "")) for c in cells)
            if not rows and sum(bool(t.strip()) for t in texts) <= 1:
                blocks.append(" ".join(t for t in texts if t.strip()))
                continue
            rows.append((cells[0].row, texts))
        if rows:
            blocks.append(SourceTable(tuple(rows), sheet.title))
    return SourceDocument(tuple(blocks))


def read_xlsx(path: Path) -> list[AppendixRow]:
    """The appendix rows of an .xlsx workbook ([] when no sheet has the appendix table)."""
    appendix = find_appendix(read_xlsx_document(path))
    return list(appendix.rows) if appendix else []
