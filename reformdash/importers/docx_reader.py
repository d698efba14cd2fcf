"""Read a report from a Word .docx file (python-docx).

The body's paragraphs and tables are taken in document order. Each table is
laid out on its grid: a horizontally merged cell (w:gridSpan) gives its text
to its first grid column only, and a vertically merged cell (w:vMerge) to its
first row only, so a merged header or note is read once, not once per grid
cell as python-docx's `row.cells` would repeat it. Lines are table rows
(1-based), counted on across a table continued after a page break.

The file is checked first (record.open_office_package): a password, a zip
bomb, a DTD or broken XML is refused before python-docx parses it.
"""
from __future__ import annotations

import io
from pathlib import Path

from docx import Document
from docx.oxml.ns import qn
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph

from .record import (Fault, SourceDocument, SourceTable, UnreadableDocument, find_appendix,
                     open_office_package)
from .text import AppendixRow

MAX_TABLE_COLUMNS = 256  # Word itself stops at 63
# python-docx reads about 60 000 paragraphs a second; a 200-page report has a few thousand (a table
# cell holds one at least), so a file with more is refused before it is read for seconds on end.
MAX_PARAGRAPHS = 50_000
_PARAGRAPH = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}p"


def _cell_text(cell: _Cell) -> str:
    """A cell's paragraphs joined with '\\n' (a line break inside a paragraph counts too)."""
    return "\n".join(p.text for p in cell.paragraphs)


def _all_italic(cell: _Cell) -> bool:
    """True when every run of text in the cell is set in italics: how the form prints its own instructions."""
    runs = [(p, r) for p in cell.paragraphs for r in p.runs if r.text.strip()]
    return bool(runs) and all(_italic(p, r) for p, r in runs)


def _italic(paragraph: Paragraph, run) -> bool:
    if run.italic is not None:  # set on the run itself
        return run.italic
    style = paragraph.style  # else what the paragraph's style (or a style it is based on) says
    while style is not None:
        if style.font.italic is not None:
            return style.font.italic
        style = style.base_style
    return False


def _grid(table: Table, number: int, faults: list[Fault]) -> SourceTable:
    tbl = table._tbl
    width = len(tbl.tblGrid.gridCol_lst)
    if width > MAX_TABLE_COLUMNS:
        raise UnreadableDocument(f"table {number} is {width} columns wide, more than the {MAX_TABLE_COLUMNS} "
                                 "a report's table can be", "E612",
                                 "check that this is the report; open it in Word and save it again as .docx")
    rows, italic = [], set()
    for index, tr in enumerate(tbl.tr_lst, 1):
        cells = [""] * width
        column = tr.grid_before
        for tc in tr.tc_lst:
            cell = _Cell(tc, table)
            text = _cell_text(cell)
            if tc.vMerge == "continue":
                if text.strip():  # Word shows the merged cell above; this text would be lost
                    faults.append(Fault("E614", f"table {number}, row {index}, column {column + 1}: the text "
                                        f"'{_quote(text)}' is hidden under the cell merged from the row above",
                                        "unmerge the cells in Word and put the text in its own row, or delete it"))
            elif column < width:
                cells[column] = text
                if text.strip() and _all_italic(cell):
                    italic.add((index, column))
            elif text.strip():  # a cell past the table's grid: Word does not show it either
                faults.append(Fault("E614", f"table {number}, row {index}: the text '{_quote(text)}' stands past "
                                    f"the table's {width} columns", "open the file in Word, check the table's "
                                    "last column and save it again"))
            column += tc.grid_span
        rows.append((index, tuple(cells)))
    return SourceTable(tuple(rows), italic=frozenset(italic))


def _quote(text: str) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= 60 else flat[:57] + "..."


def read_docx_document(path: Path) -> SourceDocument:
    package = open_office_package(path)
    body = package.xml.get("word/document.xml")
    paragraphs = sum(1 for _ in body.iter(_PARAGRAPH)) if body is not None else 0
    if paragraphs > MAX_PARAGRAPHS:
        raise UnreadableDocument(f"the document has {paragraphs} paragraphs, more than the {MAX_PARAGRAPHS} a report "
                                 "has", "E612", "check that this is the report; remove the empty paragraphs and save "
                                 "it again as .docx")
    try:
        document = Document(io.BytesIO(package.data))
    except Exception as error:  # whatever python-docx trips on in a damaged file, it is not the clerk's bug
        raise UnreadableDocument(f"not a Word .docx file ({type(error).__name__}: {error})") from error
    blocks: list[str | SourceTable] = []
    faults: list[Fault] = []
    tables = 0
    for child in document.element.body.iterchildren():
        if child.tag == qn("w:p"):
            blocks.append(Paragraph(child, document).text)
        elif child.tag == qn("w:tbl"):
            tables += 1
            blocks.append(_grid(Table(child, document), tables, faults))
    return SourceDocument(tuple(blocks), (), tuple(faults))


def read_docx(path: Path) -> list[AppendixRow]:
    """The appendix rows of a .docx report ([] when it has no appendix table)."""
    appendix = find_appendix(read_docx_document(path))
    return list(appendix.rows) if appendix else []
