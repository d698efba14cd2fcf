"""Read a plan from a Word .docx file (python-docx) for `build.py import-plan`.

The body's paragraphs and tables are taken in document order (content controls
and custom XML opened). Each table is laid out on its grid: a horizontally merged cell
(w:gridSpan) gives its text to its first grid column only; a vertically merged
cell (w:vMerge) gives its text to every row it spans, as a reader sees it, so
a group or task cell merged over its rows reads the same on each of them and a
lead merged over a task's product rows is the lead of each. Lines are table
rows (1-based), counted on across a table continued after a page break.

A paragraph's text is read as the report reader reads it (docx_reader:
tracked changes accepted, content controls and fields' results in, field
instructions out); a line break is a line. A row deleted with Track Changes on
is left out. A paragraph Word formats as a bulleted list item reads as a "- "
item, as the plan would type it.
"""
from __future__ import annotations

import io
from pathlib import Path

from docx import Document
from docx.oxml.ns import qn

from .docx_reader import is_deleted_row, opened, paragraph_text
from .plan_writer import BULLET
from .record import SourceDocument, SourceTable, UnreadableDocument, open_office_package

_ROWS, _CELLS = frozenset({qn("w:tr")}), frozenset({qn("w:tc")})


class _Numbering:
    """Which list paragraphs are bullets (w:numFmt 'bullet'), from the numbering definitions."""

    def __init__(self, document):
        self._formats: dict[tuple[str, str], str] = {}
        self._styles: dict[str, object] = {}
        try:
            numbering = document.part.numbering_part.element
            styles = document.part.styles.element
        except (KeyError, NotImplementedError, AttributeError):
            return
        abstract = {}
        for node in numbering.findall(qn("w:abstractNum")):
            abstract[node.get(qn("w:abstractNumId"))] = {
                lvl.get(qn("w:ilvl")): fmt.get(qn("w:val"))
                for lvl in node.findall(qn("w:lvl")) if (fmt := lvl.find(qn("w:numFmt"))) is not None}
        for num in numbering.findall(qn("w:num")):
            ref = num.find(qn("w:abstractNumId"))
            if ref is not None:
                for ilvl, fmt in abstract.get(ref.get(qn("w:val")), {}).items():
                    self._formats[(num.get(qn("w:numId")), ilvl)] = fmt
        for style in styles.findall(qn("w:style")):
            num_pr = style.find(f"{qn('w:pPr')}/{qn('w:numPr')}")
            if num_pr is not None:
                self._styles[style.get(qn("w:styleId"))] = num_pr

    def is_bullet(self, p) -> bool:
        num_pr = p.find(f"{qn('w:pPr')}/{qn('w:numPr')}")
        if num_pr is None:
            style = p.find(f"{qn('w:pPr')}/{qn('w:pStyle')}")
            num_pr = self._styles.get(style.get(qn("w:val"))) if style is not None else None
        if num_pr is None:
            return False
        num_id, ilvl = num_pr.find(qn("w:numId")), num_pr.find(qn("w:ilvl"))
        key = (num_id.get(qn("w:val")) if num_id is not None else None,
               ilvl.get(qn("w:val")) if ilvl is not None else "0")
        return self._formats.get(key) == "bullet"


def _paragraph(p, numbering: _Numbering) -> str:
    text = paragraph_text(p)
    if text.strip() and not BULLET.match(text.strip()) and numbering.is_bullet(p):
        text = "- " + text.strip()
    return text


def _paragraphs(element):
    """The paragraphs of a cell in order, those of a table, content control or custom XML in it too (not those
    of a row deleted with Track Changes on)."""
    for child in element:
        if child.tag == qn("w:p"):
            yield child
        elif child.tag in (qn("w:tbl"), qn("w:tc"), qn("w:sdt"), qn("w:sdtContent"), qn("w:customXml")) \
                or child.tag == qn("w:tr") and not is_deleted_row(child):
            yield from _paragraphs(child)


def _cell_text(tc, numbering: _Numbering) -> str:
    """A cell's paragraphs joined with '\\n'."""
    return "\n".join(_paragraph(p, numbering) for p in _paragraphs(tc))


def _grid(tbl, numbering: _Numbering) -> SourceTable:
    trs = list(opened(tbl, _ROWS))
    grid = tbl.find(qn("w:tblGrid"))
    width = len(grid.findall(qn("w:gridCol"))) if grid is not None else 0
    width = max([width] + [tr.grid_before + sum(tc.grid_span for tc in opened(tr, _CELLS)) for tr in trs])
    rows = []
    above = ("",) * width
    for index, tr in enumerate(trs, 1):
        if is_deleted_row(tr):  # accepting the change removes the row; its line is counted all the same
            continue
        cells = [""] * width
        column = tr.grid_before
        for tc in opened(tr, _CELLS):
            if column < width:
                cells[column] = above[column] if tc.vMerge == "continue" else _cell_text(tc, numbering)
            column += tc.grid_span
        above = tuple(cells)
        rows.append((index, above))
    return SourceTable(tuple(rows))


def _blocks(parent, numbering: _Numbering, out: list) -> None:
    for child in parent:
        if child.tag == qn("w:p"):
            out.append(_paragraph(child, numbering))
        elif child.tag == qn("w:tbl"):
            out.append(_grid(child, numbering))
        elif child.tag == qn("w:sdt"):
            content = child.find(qn("w:sdtContent"))
            if content is not None:
                _blocks(content, numbering, out)
        elif child.tag == qn("w:customXml"):
            _blocks(child, numbering, out)


def read_plan_docx(path: Path) -> SourceDocument:
    """A .docx plan's paragraphs and tables in order."""
    package = open_office_package(path)  # a hostile or damaged file is refused before python-docx sees it
    try:
        document = Document(io.BytesIO(package.data))
    except Exception as error:  # whatever python-docx trips on in a damaged file, it is not the clerk's bug
        raise UnreadableDocument(f"not a Word .docx file ({type(error).__name__}: {error})") from error
    blocks: list[str | SourceTable] = []
    _blocks(document.element.body, _Numbering(document), blocks)
    return SourceDocument(tuple(blocks))
