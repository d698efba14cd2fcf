"""Read a report from a Word .docx file (python-docx).

The body's paragraphs and tables are taken in document order (content controls
and custom XML around them opened). Each table is laid out on its grid: a
horizontally merged cell (w:gridSpan) gives its text to its first grid column
only, and a vertically merged cell (w:vMerge) to its first row only, so a
merged header or note is read once, not once per grid cell as python-docx's
`row.cells` would repeat it. Lines are table rows (1-based), counted on across
a table continued after a page break.

A paragraph's text is what Word shows with its tracked changes accepted: every
w:t in document order, inside tracked insertions and moves, content controls,
simple fields, smart tags, custom XML and hyperlinks too; never deleted or
moved-away text, nor a field's instruction (a complex field gives only its
result, between its 'separate' and 'end'). python-docx's `Paragraph.text` reads
only the runs directly under a paragraph and lost every figure typed with
Track Changes on. A table row deleted with Track Changes on is left out, and a
paragraph whose mark is deleted runs on into the next one, as on accepting.
A table nested in a cell gives one line of the cell's text per row, the row's
cells joined by a space (a row with no text gives no line); a frame (a table of one
column whose cells hold tables, a page laid out in Word) is read as what its cells hold. When the document
has tracked changes, a notice (W630) says so, naming the table rows they are in.

The file is checked first (record.open_office_package): a password, a zip
bomb, a DTD or broken XML is refused before python-docx parses it.
"""
from __future__ import annotations

import io
from pathlib import Path

from docx import Document
from docx.text.paragraph import Paragraph

from .record import (Fault, SourceDocument, SourceTable, UnreadableDocument, find_appendix,
                     is_figure, named_places, open_office_package)
from .text import AppendixRow

MAX_TABLE_COLUMNS = 256  # Word itself stops at 63
# python-docx reads about 60 000 paragraphs a second; a 200-page report has a few thousand (a table
# cell holds one at least), so a file with more is refused before it is read for seconds on end.
MAX_PARAGRAPHS = 50_000
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_PARAGRAPH = f"{_W}p"
_R, _T, _TBL, _TR, _TC = f"{_W}r", f"{_W}t", f"{_W}tbl", f"{_W}tr", f"{_W}tc"
_SDT, _SDT_CONTENT, _CUSTOM_XML = f"{_W}sdt", f"{_W}sdtContent", f"{_W}customXml"
_FIELD_CHAR, _FIELD_TYPE, _VAL = f"{_W}fldChar", f"{_W}fldCharType", f"{_W}val"
_INSERTED = {f"{_W}ins", f"{_W}moveTo"}
_DELETED = {f"{_W}del", f"{_W}moveFrom"}
# Inside a paragraph, everything not listed here is opened and its runs read (w:ins, w:sdt, w:fldSimple,
# w:smartTag, w:customXml, w:hyperlink, w:dir, w:bdo and wrappers to come). Left out: deleted text, the
# properties, drawings and text boxes (they float over the page, they are no cell's text), math, and the
# phonetic guide over ruby text.
_NOT_SHOWN = _DELETED | {f"{_W}pPr", f"{_W}rPr", f"{_W}sdtPr", f"{_W}sdtEndPr", f"{_W}customXmlPr",
                         f"{_W}smartTagPr", f"{_W}fldData", f"{_W}rt", f"{_W}drawing", f"{_W}pict",
                         f"{_W}object", "{http://schemas.openxmlformats.org/markup-compatibility/2006}AlternateContent",
                         "{http://schemas.openxmlformats.org/officeDocument/2006/math}oMath",
                         "{http://schemas.openxmlformats.org/officeDocument/2006/math}oMathPara"}
# A run's characters besides w:t, as python-docx's Paragraph.text gave them (a page or column break: nothing).
_CHARACTERS = {f"{_W}tab": "\t", f"{_W}ptab": "\t", f"{_W}cr": "\n", f"{_W}noBreakHyphen": "-",
               f"{_W}softHyphen": ""}
_BREAK, _BREAK_TYPE = f"{_W}br", f"{_W}type"
_SYMBOL, _SYMBOL_FONT, _SYMBOL_CHAR = f"{_W}sym", f"{_W}font", f"{_W}char"
# w:sym holds a code in a symbol font. Its digits, signs and check boxes have a Unicode character; the
# other pictures (arrows, hands, stars) say nothing a figure or note needs and are left out.
_SYMBOL_FONT_CHARACTERS = {
    "symbol": {**{0x30 + d: str(d) for d in range(10)}, 0x20: " ", 0x25: "%", 0x28: "(", 0x29: ")", 0x2B: "+",
               0x2C: ",", 0x2D: "-", 0x2E: ".", 0x2F: "/", 0x3A: ":", 0x3B: ";", 0x3C: "<", 0x3D: "=", 0x3E: ">",
               0xA3: "≤", 0xB3: "≥", 0xB1: "±", 0xB4: "×", 0xB8: "÷", 0xB7: "•", 0xAE: "→"},
    "wingdings": {0xA8: "☐", 0x6F: "☐", 0x71: "☐", 0xFB: "✗", 0xFC: "✓", 0xFD: "☒", 0xFE: "☑", 0x9F: "•",
                  0x6C: "●", 0xA7: "▪"},
    "wingdings 2": {0x50: "✓", 0x4F: "✗", 0x52: "☑", 0x53: "☒", 0xA3: "☐", 0x2A: "☐"},
}
_ROW_DELETED, _ROW_INSERTED = f"{_W}trPr/{_W}del", f"{_W}trPr/{_W}ins"
_MARK_DELETED, _MARK_INSERTED = f"{_W}pPr/{_W}rPr/{_W}del", f"{_W}pPr/{_W}rPr/{_W}ins"
_CELL_CHANGED = (f"{_W}tcPr/{_W}cellIns", f"{_W}tcPr/{_W}cellDel", f"{_W}tcPr/{_W}cellMerge")
_BLOCKS, _ROWS, _CELLS = frozenset({_PARAGRAPH, _TBL}), frozenset({_TR}), frozenset({_TC})
_ITALIC = f"{_W}rPr/{_W}i"
_HIDDEN = f"{_W}rPr/{_W}vanish"  # text set hidden: Word neither shows nor prints it


def opened(parent, tags: frozenset[str]):
    """The children of `parent` with one of `tags`, in order, those inside a content control (w:sdt) or custom
    XML too: Word wraps paragraphs, tables, rows and cells in them (a template's fields, a repeating section)."""
    for child in parent:
        tag = child.tag
        if tag in tags:
            yield child
        elif tag == _SDT:
            content = child.find(_SDT_CONTENT)
            if content is not None:
                yield from opened(content, tags)
        elif tag == _CUSTOM_XML:
            yield from opened(child, tags)


def is_deleted_row(tr) -> bool:
    """A table row deleted with Track Changes on: accepting the change removes it."""
    return tr.find(_ROW_DELETED) is not None


def paragraph_text(p) -> str:
    """A paragraph's text as Word shows it with its tracked changes accepted (the module's docstring says how)."""
    return _Reader(None).paragraph(p)


def _symbol(element) -> str:
    try:
        code = int(element.get(_SYMBOL_CHAR) or "", 16)
    except ValueError:
        return ""
    if not 0xF000 <= code <= 0xF0FF:  # a Unicode character already
        return chr(code) if 0x20 <= code < 0xD800 or 0xE000 <= code < 0xFFFE else ""
    return _SYMBOL_FONT_CHARACTERS.get((element.get(_SYMBOL_FONT) or "").lower(), {}).get(code - 0xF000, "")


class _Reader:
    """Text as Word shows it, and whether the part read so far holds tracked changes."""

    def __init__(self, document, hidden_text: bool = False):
        self._document = document
        self._hidden_text = hidden_text  # read text set hidden as the rest (a returned form's IDs are hidden)
        self._style_italic: dict[str | None, bool] = {}
        self.changed = False  # a tracked change met since the caller last cleared it
        self.runs: list[tuple[object, object]] = []  # (run, paragraph) of the runs showing text in the last cell
        self._fields: list[bool] = []  # per open complex field: True once its result has begun
        self.hidden: list[str] = []  # the hidden text left out of the last cell (see _run)

    def _inline(self, element, p, out: list[str]) -> None:
        for child in element:
            tag = child.tag
            if tag == _R:
                self._run(child, p, out)
            elif tag in _NOT_SHOWN:
                if tag in _DELETED:
                    self.changed = True
            else:
                if tag in _INSERTED:
                    self.changed = True
                self._inline(child, p, out)

    def _run(self, r, p, out: list[str]) -> None:
        mark = None if self._hidden_text else r.find(_HIDDEN)
        if mark is not None and mark.get(_VAL, "true").lower() not in ("0", "false", "off"):
            # Hidden text is not what the document shows: a "0" hidden after a "4" had made the figure 40.
            left_out: list[str] = []
            self._run_text(r, p, left_out)
            self.hidden.append("".join(left_out))
            return
        self._run_text(r, p, out)

    def _run_text(self, r, p, out: list[str]) -> None:
        start = len(out)
        for child in r:
            tag = child.tag
            if tag == _FIELD_CHAR:
                kind = child.get(_FIELD_TYPE)
                if kind == "begin":
                    self._fields.append(False)
                elif kind == "separate" and self._fields:
                    self._fields[-1] = True
                elif kind == "end" and self._fields:
                    self._fields.pop()
            elif self._fields and not all(self._fields):
                continue  # a field's instruction, or a field inside it: Word shows only the result
            elif tag == _T:
                out.append(child.text or "")
            elif tag in _CHARACTERS:
                out.append(_CHARACTERS[tag])
            elif tag == _BREAK:
                out.append("\n" if child.get(_BREAK_TYPE, "textWrapping") == "textWrapping" else "")
            elif tag == _SYMBOL:
                out.append(_symbol(child))
            elif tag == f"{_W}ruby":
                base = child.find(f"{_W}rubyBase")
                if base is not None:
                    self._inline(base, p, out)
        if any(piece.strip() for piece in out[start:]):
            self.runs.append((r, p))

    def cell(self, tc) -> str:
        """A cell's paragraphs joined with '\\n' (a line break inside a paragraph counts too); a nested table
        gives a line per row."""
        self.runs, self.hidden = [], []
        return self._lines(tc)

    def _lines(self, element) -> str:
        out: list[str] = []
        joined = False  # the paragraph before had its mark deleted: this one runs on from it
        for block in opened(element, _BLOCKS):
            if block.tag == _PARAGRAPH:
                text = self.paragraph(block)
                if joined:
                    out[-1] += text
                else:
                    out.append(text)
                joined = block.find(_MARK_DELETED) is not None
            else:
                joined = False
                out.extend(self._nested(block))
        return "\n".join(out)

    def paragraph(self, p) -> str:
        out: list[str] = []
        self._fields = []  # a field left open (a damaged file) hides no more than the rest of its paragraph
        self._inline(p, p, out)
        if p.find(_MARK_DELETED) is not None or p.find(_MARK_INSERTED) is not None:
            self.changed = True
        return "".join(out)

    def _nested(self, tbl) -> list[str]:
        lines = []
        for tr in opened(tbl, _ROWS):
            if self.row_deleted(tr):
                continue
            texts = (" ".join(self._lines(tc).split()) for tc in opened(tr, _CELLS))
            line = " ".join(text for text in texts if text)
            if line:
                lines.append(line)
        return lines

    def row_deleted(self, tr) -> bool:
        """True for a row deleted with Track Changes on (accepting the change removes it); notes any tracked
        change to the row or its cells."""
        deleted = is_deleted_row(tr)
        if deleted or tr.find(_ROW_INSERTED) is not None \
                or any(tc.find(path) is not None for tc in opened(tr, _CELLS) for path in _CELL_CHANGED):
            self.changed = True
        return deleted

    def all_italic(self) -> bool:
        """True when every run showing text in the last cell read is set in italics: how the form prints its
        own instructions."""
        return bool(self.runs) and all(self._italic(r, p) for r, p in self.runs)

    def _italic(self, r, p) -> bool:
        mark = r.find(_ITALIC)
        if mark is not None:  # set on the run itself
            return mark.get(_VAL, "true").lower() not in ("0", "false", "off")
        style_id = p.style  # else what the paragraph's style (or a style it is based on) says
        if style_id not in self._style_italic:
            style, italic = Paragraph(p, self._document).style, False
            while style is not None:
                if style.font.italic is not None:
                    italic = style.font.italic
                    break
                style = style.base_style
            self._style_italic[style_id] = italic
        return self._style_italic[style_id]


def _grid(reader: _Reader, tbl, number: int, faults: list[Fault], changed: dict[int, list[int]],
          hidden: list[str], shared: list[tuple[int, str]]) -> SourceTable:
    """The table on its grid; appends to `hidden` each cell holding hidden text (left out) and to `shared` each
    figure merged down over several rows (read for its first row only)."""
    grid = tbl.find(f"{_W}tblGrid")
    width = len(grid.findall(f"{_W}gridCol")) if grid is not None else \
        max((tr.grid_before + sum(tc.grid_span for tc in opened(tr, _CELLS)) for tr in opened(tbl, _ROWS)), default=0)
    if width > MAX_TABLE_COLUMNS:
        raise UnreadableDocument(f"table {number} is {width} columns wide, more than the {MAX_TABLE_COLUMNS} "
                                 "a report's table can be", "E612",
                                 "check that this is the report; open it in Word and save it again as .docx")
    rows, italic, spans = [], set(), set()
    merged_from: dict[int, tuple[int, str]] = {}  # grid column -> (row, figure) of a cell merged down from there
    for index, tr in enumerate(opened(tbl, _ROWS), 1):
        reader.changed = False
        if reader.row_deleted(tr):  # accepting the change removes the row; its line is counted all the same
            changed.setdefault(number, []).append(index)
            continue
        cells = [""] * width
        column = tr.grid_before
        for tc in opened(tr, _CELLS):
            text = reader.cell(tc)
            if any(piece.strip() for piece in reader.hidden):
                hidden.append(f"table {number}, row {index}, column {column + 1} ('{_quote(''.join(reader.hidden))}')")
            if tc.vMerge == "continue" and column in merged_from:
                shared.append(merged_from.pop(column))
            if tc.vMerge == "restart" and column > 0 and is_figure(text.strip()):
                merged_from[column] = (index, f"table {number}, row {index}, column {column + 1} ({_quote(text)})")
            elif tc.vMerge != "continue":
                merged_from.pop(column, None)
            if tc.vMerge == "continue":
                if text.strip():  # Word shows the merged cell above; this text would be lost
                    faults.append(Fault("E614", f"table {number}, row {index}, column {column + 1}: the text "
                                        f"'{_quote(text)}' is hidden under the cell merged from the row above",
                                        "unmerge the cells in Word and put the text in its own row, or delete it"))
            elif column < width:
                cells[column] = text
                if text.strip() and reader.all_italic():
                    italic.add((index, column))
                if tc.grid_span > 1 and text.strip():
                    spans.add((index, column, min(column + tc.grid_span, width) - 1))
            elif text.strip():  # a cell past the table's grid: Word does not show it either
                faults.append(Fault("E614", f"table {number}, row {index}: the text '{_quote(text)}' stands past "
                                    f"the table's {width} columns", "open the file in Word, check the table's "
                                    "last column and save it again"))
            column += tc.grid_span
        if reader.changed:
            changed.setdefault(number, []).append(index)
        rows.append((index, tuple(cells)))
    return SourceTable(tuple(rows), italic=frozenset(italic), spans=frozenset(spans))


def _quote(text: str) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= 60 else flat[:57] + "..."


def _tracked_notice(changed: dict[int, list[int]], paragraphs: int) -> Fault:
    places = []
    for number, rows in changed.items():
        named = named_places([str(row) for row in rows], ", ")
        places.append(f"table {number}, row{'s' if len(rows) > 1 else ''} {named}")
    if paragraphs:
        places.append(f"{paragraphs} paragraph(s) outside the tables")
    return Fault("W630", f"the document has tracked changes not yet accepted or rejected ({'; '.join(places)}); "
                 "they were read as if accepted: inserted text in, deleted text out",
                 "check the figures and notes of these rows against the document; to be sure, accept or reject "
                 "the changes in Word (Review > Accept or Reject) and import it again")


_MOST_FRAMES = 5  # frames within frames a layout can have


def _laid_out(parent, depth: int = 0):
    """The paragraphs and tables of `parent` in order; a frame (a table of one column whose cells hold tables, as
    a page is laid out in Word) gives the paragraphs and tables in its cells instead of itself, and a text box
    holding a table (an appendix laid in a box to fit the page) gives its own after the paragraph it is anchored in."""
    for child in opened(parent, _BLOCKS):
        if child.tag == _TBL and depth < _MOST_FRAMES and _is_frame(child):
            for tr in opened(child, _ROWS):
                for tc in opened(tr, _CELLS):
                    yield from _laid_out(tc, depth + 1)
        else:
            yield child
            if child.tag == _PARAGRAPH and depth < _MOST_FRAMES:
                for box in _text_boxes(child):
                    yield from _laid_out(box, depth + 1)


_TEXT_BOX = f"{_W}txbxContent"
# Word writes a text box twice: as a drawing (mc:Choice) and as VML for older readers (mc:Fallback)
_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"


def _text_boxes(paragraph) -> list:
    """The text boxes anchored in a paragraph that hold a table, each once (not its fallback copy, not a box
    within a box: that one is laid out with the box around it)."""
    def within(box) -> list:  # its ancestors up to the paragraph
        found = []
        for ancestor in box.iterancestors():
            if ancestor is paragraph:
                break
            found.append(ancestor)
        return found

    return [box for box in paragraph.iter(_TEXT_BOX) if box.find(f".//{_TBL}") is not None
            and not any(a.tag in (_TEXT_BOX, _FALLBACK) for a in within(box))]


def _is_frame(tbl) -> bool:
    rows = list(opened(tbl, _ROWS))
    return bool(rows) and all(len(list(opened(tr, _CELLS))) == 1 for tr in rows) and \
        any(tc.find(f".//{_TBL}") is not None for tr in rows for tc in opened(tr, _CELLS))


def read_docx_document(path: Path, hidden_text: bool = False) -> SourceDocument:
    """The document's paragraphs and tables as Word shows them: text set hidden is left out (W626 names each table
    cell holding some), unless `hidden_text` (the form `build.py form` writes keeps its row IDs in hidden text)."""
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
    reader = _Reader(document, hidden_text)
    blocks: list[str | SourceTable] = []
    faults: list[Fault] = []
    hidden: list[str] = []
    shared: list[tuple[int, str]] = []
    changed: dict[int, list[int]] = {}  # table -> its rows holding a tracked change
    changed_paragraphs = tables = 0
    for child in _laid_out(document.element.body):
        if child.tag == _PARAGRAPH:
            reader.changed, reader.runs = False, []
            blocks.append(reader.paragraph(child))
            changed_paragraphs += reader.changed
        else:
            tables += 1
            blocks.append(_grid(reader, child, tables, faults, changed, hidden, shared))
    notices = [_tracked_notice(changed, changed_paragraphs)] if changed or changed_paragraphs else []
    if hidden:
        notices.append(Fault(
            "W626", f"{len(hidden)} table cell(s) hold text set hidden, which Word neither shows nor prints; it is not "
            "read: " + named_places(hidden),
            "check each cell against the printed report; if the hidden text belongs to the figure, select it in "
            "Word, clear Font > Hidden and import again"))
    if shared:
        notices.append(Fault(
            "W628", f"{len(shared)} figure(s) stand in table cells merged down over several rows, read for the first "
            "row only (the rows below as not reported): " + named_places([place for _, place in shared]),
            "check in the printed report whose figure each is; if the rows each have one, split the cells in Word, "
            "type each row's figure and import again"))
    return SourceDocument(tuple(blocks), (), tuple(faults), tuple(notices))


def read_docx(path: Path) -> list[AppendixRow]:
    """The appendix rows of a .docx report ([] when it has no appendix table)."""
    appendix = find_appendix(read_docx_document(path))
    return list(appendix.rows) if appendix else []
