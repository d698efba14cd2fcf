"""Read a report from a PDF's text layer (pdfplumber, over pdfminer.six).

Each page's ruled tables are read as cells (pdfplumber's `find_tables`), the
rest of the page as paragraphs, in the order they stand on the page. A
table's rows are counted on across pages, as the DOCX reader counts a table
continued after a page break, so problem lines are "the n-th table row".

A PDF cell's lines are mostly where the text wrapped, not paragraphs the
department typed: a line is joined to the next with a space, unless the
next line's first word would have fit in the room left at its end (the
department ended a paragraph there: kept as a line break) or it ends in a
hyphen with no space character after it (a word such as "04/KH-SCT" broken
at its hyphen: joined as is). LibreOffice does not always write the space a
line wrapped at, so "28/STNMT- VP" typed with a space after the hyphen can
come out as "28/STNMT-VP" when the break fell there.
A row a page break cut in two is joined again (see _rejoin_split_row).
A PDF with no text at all is a scan: it needs OCR before it can be read.
"""
from __future__ import annotations

import re
from pathlib import Path

from .record import Fault, SourceDocument, SourceTable, UnreadableDocument, normalise_label

# an italic face's PostScript name: "LiberationSerif-Italic", "TimesNewRomanPS-BoldItalicMT", "Arial,Italic"
_ITALIC = re.compile(r"italic|oblique", re.IGNORECASE)
_CELL_PADDING = 5.4  # points between a cell's border and its text (LibreOffice and Word: about 0.19 cm)


class ScannedDocument(UnreadableDocument):
    """A PDF whose pages have no text layer (images of paper)."""

    code = "E620"
    hint = "run OCR on it (for example ocrmypdf FILE.pdf OUT.pdf) and import the result, or ask the department " \
           "for the .docx or .xlsx it was printed from"


def _line_text(chars: list[dict]) -> str:
    """One printed line: its characters left to right, a space where a gap is as wide as one."""
    out, previous = [], None
    for char in sorted(chars, key=lambda c: c["x0"]):
        if previous is not None and char["text"] != " " and previous["text"] != " " \
                and char["x0"] - previous["x1"] > 0.2 * char["size"]:
            out.append(" ")
        out.append(char["text"])
        previous = char
    return "".join(out)


def _lines(chars: list[dict]) -> list[list[dict]]:
    """Characters grouped into lines by their baseline, top to bottom, each left to right."""
    lines: list[list[dict]] = []
    for char in sorted(chars, key=lambda c: (c["bottom"], c["x0"])):
        if lines and abs(lines[-1][-1]["bottom"] - char["bottom"]) < 0.4 * char["size"]:
            lines[-1].append(char)
        else:
            lines.append([char])
    return [sorted(line, key=lambda c: c["x0"]) for line in lines]


def _first_word_width(line: list[dict]) -> float:
    end = next((i for i, c in enumerate(line) if c["text"] == " " and i), len(line))
    return line[end - 1]["x1"] - line[0]["x0"]


def _cell_text(chars: list[dict], right: float) -> str:
    """A cell's text: wrapped lines joined with a space, a paragraph's end kept as a line break.

    A line ended a paragraph when the next line's first word would have fit in
    the room left at its end; a line ending in a hyphen with that room lacking
    was a word broken at its hyphen ("28/STNMT-" + "VP"); a line of one date
    or document number (digits or '/') that fills it to the edge, no space
    after it, and goes on as a number or a code on the next line, is one too
    long for the cell, cut where the line ended ("19/01/202" + "3",
    "03/2023/Q" + "Đ-UBND"; a word such as "Thường" + "xuyên", or
    "14/UBND-VP" + "ngày", keeps its space)."""
    lines = _lines(chars)
    text = ""
    for index, line in enumerate(lines):
        written = _line_text(line)
        if index:
            previous = lines[index - 1]
            core = [c for c in previous if c["text"] != " "] or previous
            room = right - core[-1]["x1"]
            if room > _first_word_width(line) + core[-1]["size"] * 0.6:
                text += "\n"
            elif previous[-1]["text"] != " " and " " not in (word := _line_text(previous).strip()) \
                    and room < core[-1]["size"] * 0.6 and re.search(r"[0-9/]", word) \
                    and _continues_a_number(word, written):
                pass  # a date or a document number filling its line, cut where it ended ("19/01/202" + "3"); what
                # follows a whole one is a word of its own ("14/UBND-VP" + "ngày")
            elif previous[-1]["text"] == " " or core[-1]["text"] != "-":
                text += " "  # the space the line wrapped at, kept as a character or not
        text += written
    return "\n".join(" ".join(part.split()) for part in text.split("\n"))


# A date or document number that is whole as it stands: what follows it on the next line is a word of its own.
_WHOLE_NUMBER = re.compile(r"[0-9]{1,2}/[0-9]{1,2}/[0-9]{4}|[0-9]+(?:/[0-9]{4})?/[A-ZĐ0-9]+(?:-[A-ZĐ0-9]+)+")


def _continues_a_number(cut: str, line: str) -> bool:
    """Whether `line` begins as the rest of the date or document number `cut` (which filled its line) would: `cut`
    is not whole yet ("19/01/202", "03/2023/Q"), and the line goes on with a digit or '/', or a word in capitals
    ("3", "Đ-UBND"), not a word in lower case ("ngày") nor a dash that starts an item ("- Công văn")."""
    word = line.strip().split(" ")[0]
    if not word or word == "-" or _WHOLE_NUMBER.fullmatch(cut):
        return False
    return word[0] in "0123456789/.-" or word.isupper()


def _inside(char: dict, box: tuple[float, float, float, float]) -> bool:
    middle_x, middle_y = (char["x0"] + char["x1"]) / 2, (char["top"] + char["bottom"]) / 2
    return box[0] <= middle_x <= box[2] and box[1] <= middle_y <= box[3]


def _all_italic(chars: list[dict]) -> bool:
    """True when every letter of a cell is set in an italic face ("LiberationSerif-Italic",
    "TimesNewRomanPS-ItalicMT", "Arial,Italic"): how the form prints its own instructions."""
    letters = [c for c in chars if c["text"].strip()]
    return bool(letters) and all(_ITALIC.search(c.get("fontname") or "") for c in letters)


def _table_rows(table, chars: list[dict], first_row: int
                ) -> tuple[tuple[tuple[int, tuple[str, ...]], ...], frozenset[tuple[int, int]]]:
    """The table's rows as cells (a merged cell's text in its first cell, '' in those it covers), and the
    (row, column) of the cells set in italics."""
    rows, italic = [], set()
    for number, row in enumerate(table.rows, first_row + 1):
        top, bottom = row.bbox[1], row.bbox[3]
        in_row = [c for c in chars if top <= (c["top"] + c["bottom"]) / 2 <= bottom]
        cells = []
        for column, box in enumerate(row.cells):
            inside = [] if box is None else [c for c in in_row if _inside(c, box)]
            cells.append("" if box is None else _cell_text(inside, box[2] - _CELL_PADDING))
            if _all_italic(inside):
                italic.add((number, column))
        rows.append((number, tuple(cells)))
    return tuple(rows), frozenset(italic)


def _page_blocks(page, first_row: int) -> tuple[list[tuple[str | SourceTable, bool]], int]:
    """A page's paragraphs and tables, top to bottom, each with whether it is a line in the page's top or bottom
    margin (a running header or footer, maybe: see `_running`); and the next table row number."""
    tables = page.find_tables()
    chars = page.chars
    placed: list[tuple[float, str | SourceTable, bool]] = []
    row_number = first_row
    for table in tables:
        rows, italic = _table_rows(table, chars, row_number)
        row_number += len(rows)
        placed.append((table.bbox[1], SourceTable(rows, italic=italic), False))
    outside = [c for c in chars if not any(_inside(c, t.bbox) for t in tables)]
    height = float(page.height or 0)
    for line in _lines(outside):
        text = _line_text(line).strip()
        if text:
            top = line[0]["top"]
            placed.append((top, text, bool(height) and not _MARGIN < top / height < 1 - _MARGIN))
    placed.sort(key=lambda item: item[0])
    return [(block, margin) for _, block, margin in placed], row_number


# A page's running header and footer stand in its top and bottom eighth: "Số: 45/BC-STNMT   Trang 2", "Báo cáo
# CCHC quý I/2023 - Trang 2 / 12". Between a table's part on one page and its part on the next, such a line
# had cut the appendix in two: the parts after it were read as other tables, and their rows were lost.
_MARGIN = 0.12
_PAGE_NUMBER = re.compile(r"[-–(\s]*(?:trang\s*)?#(?:\s*(?:/|trên)\s*#)?[-–)\s]*")


def _running(pages: list[list[tuple[str | SourceTable, bool]]]) -> set[tuple[int, int]]:
    """The (page, block) places of the running headers and footers: a line in a page's margin whose text, its
    numbers aside, stands in the margin of another page too, or that is a page number alone. The first page's
    top margin is kept (its letterhead may be the running header's text: the document's number)."""
    def shape(text: str) -> str:
        return re.sub(r"[0-9]+", "#", " ".join(text.split())).casefold()

    seen: dict[str, set[int]] = {}
    for number, blocks in enumerate(pages):
        for block, margin in blocks:
            if margin and isinstance(block, str):
                seen.setdefault(shape(block), set()).add(number)
    running = set()
    for number, blocks in enumerate(pages):
        first_table = next((i for i, (block, _) in enumerate(blocks) if isinstance(block, SourceTable)), len(blocks))
        for index, (block, margin) in enumerate(blocks):
            if not margin or not isinstance(block, str) or (number == 0 and index < first_table):
                continue
            if len(seen[shape(block)]) > 1 or _PAGE_NUMBER.fullmatch(shape(block)):
                running.add((number, index))
    return running


def _is_header_row(cells: tuple[str, ...]) -> bool:
    keys = {normalise_label(c) for c in cells}
    return "stt" in keys or any(k.startswith(("chi tieu", "ket qua thong ke", "don vi tinh")) for k in keys)


def _goes_on(label: str) -> bool:
    """Whether a label is the rest of one cut at a page break: the form's labels begin with
    a capitalised word ("Số", "Tỷ lệ") or a dash, never lower case or an abbreviation ("SNCL")."""
    if not label:
        return True
    first = label.split()[0]
    if first[0].isupper():
        return len(first) > 1 and first.isupper()
    return first[0] != "-"


def _normalised(cells: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(normalise_label(c) for c in cells)


def _caption_rows(rows) -> list[tuple[str, ...]]:
    """The rows under a header row that caption its columns: no STT and no label, only captions (the value
    column's "Sở Công Thương" under "Kết quả thống kê"); a page repeats them with the header."""
    out = []
    for index, (_, cells) in enumerate(rows[:-1]):
        if _is_header_row(cells):
            below = rows[index + 1][1]
            if below and not below[0].strip() and (len(below) < 2 or not below[1].strip()) \
                    and any(c.strip() for c in below):
                out.append(below)
    return out


_AREA_NUMBER = re.compile(r"(?:I|II|III|IV|V|VI|VII|VIII|IX|X)\.?")


def _rejoin_split_row(before: SourceTable, after: SourceTable,
                      known_header: tuple[str, ...] | None = None) -> tuple[SourceTable, SourceTable]:
    """A row the page break cut in two: its second part opens the next page's table (below the
    repeated header), with no STT and a label that is empty or goes on in lower case; or, after an
    area's title row (STT "VII"), a label alone, whatever its case ("Xây dựng và phát triển" |
    "Chính phủ điện tử, Chính phủ số"). `known_header`: the appendix header of an earlier page, for a
    table that runs over more than two pages without repeating it."""
    rows = list(after.rows)
    # the header's own rows, repeated: "STT | Chỉ tiêu …" and the caption row under it ("Sở Công Thương")
    captions = {_normalised(cells) for cells in _caption_rows(before.rows)}
    start = 0
    while start < len(rows) and (_is_header_row(rows[start][1])
                                 or (start and _normalised(rows[start][1]) in captions)):
        start += 1
    if not before.rows or start == len(rows) or len(rows[start][1]) != len(before.rows[-1][1]):
        return before, after
    header = next((cells for _, cells in before.rows + after.rows if _is_header_row(cells)), known_header)
    label = next((i for i, c in enumerate(header or ()) if normalise_label(c).startswith("chi tieu")), None)
    _, cells = rows[start]
    line, top = before.rows[-1]
    if label is None or cells[0].strip() or not any(c.strip() for c in cells):
        return before, after
    area_title_goes_on = label < len(top) and bool(_AREA_NUMBER.fullmatch(top[0].strip())) \
        and all(not c.strip() for i, c in enumerate(cells) if i != label)
    if not (_goes_on(cells[label].strip()) or area_title_goes_on):
        return before, after
    joined = tuple(a + b if a.endswith("-") else " ".join(part for part in (a, b) if part)
                   for a, b in zip(top, cells))
    # a joined cell is in italics when each of its parts with text is
    second = rows[start][0]
    italic = {(line, column) for column in range(len(joined))
              if all((row, column) in table.italic for row, text, table in
                     ((line, top[column], before), (second, cells[column], after)) if text.strip())
              and joined[column].strip()}
    italic |= {cell for cell in before.italic if cell[0] != line}
    return SourceTable(before.rows[:-1] + ((line, joined),), before.sheet, frozenset(italic)), \
        SourceTable(tuple(rows[:start] + rows[start + 1:]), after.sheet, after.italic)


def _reason(error: Exception) -> str:
    """What pdfminer said, without the wrapping exception's name."""
    while error.args and isinstance(error.args[0], Exception):
        error = error.args[0]
    return str(error) or type(error).__name__


def read_pdf_document(path: Path) -> SourceDocument:
    """The PDF's paragraphs and tables in page order; ScannedDocument when it has no text."""
    import pdfplumber
    from pdfminer.pdfparser import PDFSyntaxError
    from pdfplumber.utils.exceptions import PdfminerException

    try:
        pdf = pdfplumber.open(str(path))
    except (PdfminerException, PDFSyntaxError, ValueError, KeyError, TypeError) as error:
        raise UnreadableDocument(f"not a PDF, or a damaged or password-protected one ({_reason(error)})") from error
    blocks: list[str | SourceTable] = []
    characters = 0
    with pdf:
        try:
            row_number = 0
            pages = []
            pictured = []  # the pages that are images without text: scanned pages inside a typed report
            for number, page in enumerate(pdf.pages, 1):
                characters += len(page.chars)
                found, row_number = _page_blocks(page, row_number)
                pages.append(found)
                if not page.chars and page.images:
                    pictured.append(number)
        except (PdfminerException, PDFSyntaxError, ValueError, KeyError, TypeError) as error:
            raise UnreadableDocument(f"a damaged PDF ({_reason(error)})") from error
    running = _running(pages)
    header: tuple[str, ...] | None = None  # the appendix header last seen, for tables that do not repeat it
    for number, page_blocks in enumerate(pages):
        found = [block for index, (block, _) in enumerate(page_blocks) if (number, index) not in running]
        if blocks and found and isinstance(blocks[-1], SourceTable) and isinstance(found[0], SourceTable):
            blocks[-1], found[0] = _rejoin_split_row(blocks[-1], found[0], header)
        blocks += found
        header = next((cells for block in reversed(blocks) if isinstance(block, SourceTable)
                       for _, cells in block.rows if _is_header_row(cells)), header)
    if not characters:
        raise ScannedDocument(f"the PDF has no text layer: its {len(pages)} page(s) are images, a scan")
    notices = ()
    if pictured:  # (an appendix pasted in as scanned pages had been "no appendix found", with no word of why)
        shown = ", ".join(map(str, pictured[:12])) + (" …" if len(pictured) > 12 else "")
        notices = (Fault("W631", f"{len(pictured)} page(s) of the PDF are images without text, scanned: page(s) "
                                 f"{shown}; what they show is not read", ScannedDocument.hint),)
    return SourceDocument(tuple(blocks), notices=notices)
