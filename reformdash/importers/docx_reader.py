"""Read a report from a Word .docx file (python-docx).

The body's paragraphs and tables are taken in document order. Each table is
laid out on its grid: a horizontally merged cell (w:gridSpan) gives its text
to its first grid column only, and a vertically merged cell (w:vMerge) to its
first row only, so a merged header or note is read once, not once per grid
cell as python-docx's `row.cells` would repeat it. Lines are table rows
(1-based), counted on across a table continued after a page break.
"""
from __future__ import annotations

import zipfile
from pathlib import Path

from docx import Document
from docx.opc.exceptions import PackageNotFoundError
from docx.oxml.ns import qn
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph

from .record import SourceDocument, SourceTable, UnreadableDocument, find_appendix
from .text import AppendixRow


def _cell_text(cell: _Cell) -> str:
    """A cell's paragraphs joined with '\\n' (a line break inside a paragraph counts too)."""
    return "\n".join(p.text for p in cell.paragraphs)


def _grid(table: Table) -> SourceTable:
    tbl = table._tbl
    width = len(tbl.tblGrid.gridCol_lst)
    rows = []
    for index, tr in enumerate(tbl.tr_lst, 1):
        cells = [""] * width
        column = tr.grid_before
        for tc in tr.tc_lst:
            if column < width and tc.vMerge != "continue":
                cells[column] = _cell_text(_Cell(tc, table))
            column += tc.grid_span
        rows.append((index, tuple(cells)))
    return SourceTable(tuple(rows))


def read_docx_document(path: Path) -> SourceDocument:
    try:
        document = Document(str(path))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as error:
        raise UnreadableDocument(f"not a Word .docx file ({error})") from error
    blocks: list[str | SourceTable] = []
    for child in document.element.body.iterchildren():
        if child.tag == qn("w:p"):
            blocks.append(Paragraph(child, document).text)
        elif child.tag == qn("w:tbl"):
            blocks.append(_grid(Table(child, document)))
    return SourceDocument(tuple(blocks))


def read_docx(path: Path) -> list[AppendixRow]:
    """The appendix rows of a .docx report ([] when it has no appendix table)."""
    appendix = find_appendix(read_docx_document(path))
    return list(appendix.rows) if appendix else []
