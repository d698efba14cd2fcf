"""The common record every importer produces, and the one writer of report YAML.

Each document format (text, DOCX, XLSX) is read into a SourceDocument: its
paragraphs and tables in order, each table on its layout grid. From that,
`find_appendix` takes the statistics appendix as AppendixRows and
`document_details` the document's title, number, date line and CCHC
contacts. The rows are matched with a form version (importers/match.py by
label and group; `match_rows` here by order, for tools/convert_reference.py),
and `report_yaml` writes the data file with labels as comments for the clerk.
"""
from __future__ import annotations

import functools
import json
import re
import unicodedata
from dataclasses import dataclass, replace
from difflib import SequenceMatcher
from pathlib import Path

from ..inputs.period_named import normalise_label
from ..model import Catalogue, Contact, DocumentInfo, FormVersion
from .text import AppendixRow

_ROMAN = re.compile(r"^[IVX]+$")
_THOUSANDS = re.compile(r"^[0-9]{1,3}(\.[0-9]{3})+$")
_DECIMAL_COMMA = re.compile(r"^[0-9]+,[0-9]+$")


@dataclass(frozen=True)
class ImportedValue:
    indicator: str
    value: str  # YAML number text ("1076", "99.99"), or "" when the cell is empty
    note: str
    source_line: int
    template_note: str = ""  # the form's own instruction left in the note column, not the department's words
    likeness: float = 0.0  # where the row was placed by likeness, not by its label: how alike (0..1)
    document_label: str = ""  # ...and the document's label for it
    to_confirm: str = ""  # how a figure was read where the document took a rule to read (the summary says which)


@dataclass(frozen=True)
class ImportedUnplaced:
    """A document row that matches no form row but carries a value or a note: kept as written, never dropped."""

    number: str
    label: str
    value: str  # as the document writes it ("1", "99,99", "Tốt")
    note: str
    source: str  # where in the document: "bao-cao.docx:41"


@dataclass(frozen=True)
class ImportedReport:
    department: str
    period: str
    form: str
    document: DocumentInfo
    contacts: tuple[Contact, ...]
    values: tuple[ImportedValue, ...]
    unplaced: tuple[ImportedUnplaced, ...] = ()


def vietnamese_number(text: str) -> str:
    """'1.076' -> '1076', '99,99' -> '99.99', '02' -> '2'; other text unchanged."""
    text = text.strip()
    if _THOUSANDS.match(text):
        return text.replace(".", "")
    if _DECIMAL_COMMA.match(text):
        whole, fraction = text.split(",")
        return f"{int(whole)}.{fraction}"
    if re.fullmatch("[0-9]+", text):
        return str(int(text))
    return text


def match_rows(rows: list[AppendixRow], form: FormVersion, catalogue: Catalogue,
               min_similarity: float = 0.6) -> tuple[list[ImportedValue], list[str]]:
    """Align appendix rows with a form's rows in order; return values and mismatches."""
    indicator_rows = [r for r in rows if not _ROMAN.match(r.number)]
    mismatches: list[str] = []
    if len(indicator_rows) != len(form.rows):
        mismatches.append(f"the document has {len(indicator_rows)} indicator rows, form {form.id} has {len(form.rows)}")
    values = []
    for row, form_row in zip(indicator_rows, form.rows):
        ind = catalogue.indicators[form_row.indicator]
        expected = [form_row.label or ind.label_vi, ind.label_vi, *ind.aliases]
        score = max(SequenceMatcher(None, normalise_label(row.label), normalise_label(e)).ratio() for e in expected)
        if score < min_similarity:
            mismatches.append(f"line {row.line}: '{row.label}' does not look like '{ind.label_vi}' ({ind.id})")
        values.append(ImportedValue(ind.id, vietnamese_number(row.value), row.note, row.line))
    return values, mismatches


def _q(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)  # a JSON string is a valid YAML double-quoted scalar


def report_yaml(record: ImportedReport, catalogue: Catalogue, header: str = "") -> str:
    """The data file for one report, every row of the form listed in order."""
    out = [f"# {line}" for line in header.splitlines()] if header else []
    out += [f"department: {record.department}", f"period: {record.period}", f"form: {record.form}"]
    doc = record.document
    fields = [(k, getattr(doc, k)) for k in ("title", "number", "date_line", "value_column", "source")]
    if any(v for _, v in fields):
        out.append("document:")
        out += [f"  {k}: {_q(v)}" for k, v in fields if v]
    if record.contacts:
        out.append("contacts:")
        for c in record.contacts:
            out.append(f"  - role: {_q(c.role)}")
            out += [f"    {k}: {_q(getattr(c, k))}" for k in ("name", "position", "email", "phone") if getattr(c, k)]
    out.append("values:")
    area = None
    for item in record.values:
        ind = catalogue.indicators[item.indicator]
        if ind.area != area:
            area = ind.area
            title = next(a.label_vi for a in catalogue.areas if a.id == area)
            out.append(f"  # {area}. {title}")
        comment = f"  # {ind.label_vi}"
        if item.likeness:  # for the clerk to confirm, beside the row itself
            comment += f" <- line {item.source_line} '{_flat(item.document_label)}' ({round(item.likeness * 100)} % " \
                       "alike: check)"
        if item.to_confirm:
            comment += f" <- line {item.source_line}: {_flat(item.to_confirm)}: check"
        value = item.value if item.value else "~"
        if item.value and not re.match(r"^-?[0-9]+(\.[0-9]+)?$", item.value):
            value = _q(item.value)  # not a number: keep it, validation will say why
        if item.note or item.template_note:
            out.append(f"  {item.indicator}:{comment}")
            out.append(f"    value: {value}")
            out += [f"    {k}: {_q(getattr(item, k))}" for k in ("note", "template_note") if getattr(item, k)]
        else:
            out.append(f"  {item.indicator}: {value}{comment}")
    if record.unplaced:
        out.append("# Rows of the document that match no row of the form: published as written (check warns W315).")
        out.append("unplaced:")
        for row in record.unplaced:
            out.append(f"  - label: {_q(row.label)}")
            out += [f"    {k}: {_q(getattr(row, k))}" for k in ("number", "value", "note", "source") if getattr(row, k)]
    return "\n".join(out) + "\n"


def header_comment(catalogue: Catalogue, department: str, period: str, source: str) -> str:
    """The comment at the top of a data file: whose report, and where it came from."""
    return (f"{catalogue.departments[department].name_vi}, {catalogue.periods[period].label_vi}\n"
            f"Converted from {source}: every value and note as the department wrote it.")


# --- Documents, as every reader gives them --------------------------------------

@dataclass(frozen=True)
class SourceTable:
    """A table on its layout grid: (line, cells) per row.

    line is 1-based: the text line, the table row or the sheet row. A merged
    cell's text sits in its first grid cell only (the cells it covers to the
    right and below are ''), and a cell's paragraphs are joined with '\\n'.
    """

    rows: tuple[tuple[int, tuple[str, ...]], ...]
    sheet: str = ""  # the workbook sheet it is on: a table never continues onto another sheet
    italic: frozenset[tuple[int, int]] = frozenset()  # (line, column) of the cells whose text is all in italics
    hidden: bool = False  # on a sheet the workbook hides
    # (line, first column, last column) of each cell merged across columns: its text stands in the first only
    spans: frozenset[tuple[int, int, int]] = frozenset()

    @property
    def width(self) -> int:
        return max((len(cells) for _, cells in self.rows), default=0)


@dataclass(frozen=True)
class Fault:
    """A cell whose content the reader would lose or invent: an error naming the cell."""

    code: str
    message: str
    hint: str
    line: int = 0  # the sheet row (XLSX), or 0 where the message names the place
    column: int = 0


@dataclass(frozen=True)
class SourceDocument:
    """Paragraphs (str) and tables in document order.

    lines: each block's first line (text line or sheet row; 0 where the format has
    none), used to quote where something was looked for. faults: cells the reader
    could not take as they are, each an error; notices: rows read by a rule, each a warning to confirm.
    """

    blocks: tuple[str | SourceTable, ...]
    lines: tuple[int, ...] = ()
    faults: tuple[Fault, ...] = ()
    notices: tuple[Fault, ...] = ()  # rows read by a rule the text alone cannot prove: warnings, for the clerk


@dataclass(frozen=True)
class Appendix:
    rows: tuple[AppendixRow, ...]
    value_column: str  # the caption of the value column (often the department's name)
    italic_notes: frozenset[int] = frozenset()  # lines of the rows whose note is set in italics
    # (header line, the captions, whether all of them are captioned as other figures) when two or more columns
    # could hold this period's figures, or only columns of other figures: nothing is read
    value_columns: tuple[int, tuple[str, ...], bool] | None = None
    # (a column left out as another period's or a plan's figures, the column read), for the summary to say
    other_column: tuple[str, str] | None = None
    note_column: str = ""  # a column read as the notes though not captioned so (its caption), for the summary
    page_ends: frozenset[int] = frozenset()  # lines of the rows that stand last before a repeated header
    value_moved: tuple[str, str] | None = None  # (the figures' caption over an empty column, the column read)
    misplaced: tuple[tuple[int, str], ...] = ()  # (line, figure) of figures standing in no column of the header's
    merged_notes: tuple[int, ...] = ()  # lines whose figure's cell, merged over the note's, was read as the note
    first_block: int = -1  # the document's blocks where the table begins and ends
    last_block: int = -1


# Lines of a text file end at \n, \r\n or \r only: str.splitlines() also ends them at U+2028,
# U+2029, \x0b, \x0c, \x1c-\x1e and \x85, which a cell may hold, and one of them inside a
# note cut a table short.
_LINE_END = re.compile(r"\r\n|\r|\n")
# Inside a cell, every other line or paragraph separator is a line break...
_CELL_BREAK = re.compile("[\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]|\r\n|\r")
# ...and the other control characters (NUL among them) and the two non-characters are removed:
# no one typed them, and a YAML file cannot hold them.
_CONTROL = re.compile("[\x00-\x08\x0e-\x1b\x1f\x7f-\x84\x86-\x9f\ufffe\uffff]")


# How a workbook escapes a character XML cannot hold (ECMA-376 ST_Xstring): "_x000D_" for a carriage return pasted
# from Word, "_x005F_" for the "_" of a text that itself reads "_x0041_". openpyxl leaves them as they are.
_SHEET_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")


def sheet_text(text: str) -> str:
    """A workbook cell's text with its escapes read (one pass from the left, as the escape of '_' asks)."""
    return _SHEET_ESCAPE.sub(lambda found: chr(int(found[1], 16)), text) if "_x" in text else text


PLACES_NAMED = 12  # the places a notice names (cells, rows, columns) before it says "…"


def named_places(places: list[str], separator: str = "; ") -> str:
    """The first PLACES_NAMED of `places` joined, and " …" when there are more."""
    return separator.join(places[:PLACES_NAMED]) + (" …" if len(places) > PLACES_NAMED else "")


def clean_cell(text: str) -> str:
    """A cell's text with its line breaks as '\\n' and no control characters."""
    return _CONTROL.sub("", _CELL_BREAK.sub("\n", text))


def text_document(text: str) -> SourceDocument:
    """A tab-separated text extraction: tab lines are table rows, other lines paragraphs."""
    blocks: list[str | SourceTable] = []
    lines: list[int] = []
    paragraph: list[str] = []
    table: list[tuple[int, tuple[str, ...]]] = []
    first = 0

    def flush() -> None:
        if paragraph:
            blocks.append(" ".join(paragraph))
            lines.append(first)
            paragraph.clear()
        if table:
            blocks.append(SourceTable(tuple(table)))
            lines.append(table[0][0])
            table.clear()

    for number, line in enumerate(_LINE_END.split(text), 1):
        if "\t" in line:
            if paragraph:
                flush()
            table.append((number, tuple(clean_cell(cell) for cell in line.split("\t"))))
        elif clean_cell(line).strip():
            if table:
                flush()
            if not paragraph:
                first = number
            paragraph.append(clean_cell(line).replace("\n", " ").strip())
        else:
            flush()
    flush()
    return SourceDocument(tuple(blocks), tuple(lines))


def _flat(text: str) -> str:
    """A label or figure: every line break and run of spaces becomes one space."""
    return " ".join(clean_cell(text).split())


def _note(text: str) -> str:
    """A note kept whole: its lines (paragraphs) stay, blank lines and edge spaces go; a note of dots or dashes
    only ("…", "...", "-") is the blank of a copy, not a note."""
    note = "\n".join(line.strip() for line in clean_cell(text).split("\n") if line.strip())
    return "" if re.fullmatch(r"[.…\-–—_\s]*", note) else note


# The captions of the number and label columns as departments write them ("STT", "TT", "Số TT", "S.T.T";
# "Chỉ tiêu", "Tên chỉ tiêu", "Nội dung"), compared as normalise_label gives them.
_NUMBER_CAPTIONS = ("stt", "tt", "so tt", "s t t", "so thu tu")
_LABEL_CAPTIONS = ("chi tieu", "ten chi tieu", "noi dung")


def is_number_caption(key: str) -> bool:
    return key in _NUMBER_CAPTIONS


def _is_label_caption(key: str) -> bool:
    return key.startswith(_LABEL_CAPTIONS)


def is_appendix_header(cells: tuple[str, ...], strict: bool = False) -> bool:
    """A row captioned as the appendix's header: a number column and a label column ("Chỉ tiêu"; unless
    `strict`, also "Tên chỉ tiêu" or "Nội dung" beside a unit column, as a table of contacts has none)."""
    # (a short cell is looked for first: a sheet of 50 000 cells has few rows worth normalising)
    if not any(len(c) < 16 and c.lstrip()[:1] in "SsTt" and is_number_caption(normalise_label(c)) for c in cells if c):
        return False
    keys = [normalise_label(c) for c in cells]
    if any(k.startswith("chi tieu") for k in keys):
        return True
    return not strict and any(_is_label_caption(k) for k in keys) and any(_UNIT_CAPTION.search(k) for k in keys)


def appendix_header_test(document: SourceDocument):
    """How a document's appendix header is told: where any table is headed "Chỉ tiêu", only such a header (a
    summary table "STT | Nội dung | ĐVT | Kết quả" in the narrative is not the appendix); else the looser one."""
    strict = any(is_appendix_header(cells, strict=True) for block in document.blocks
                 if isinstance(block, SourceTable) for _, cells in block.rows)
    return functools.partial(is_appendix_header, strict=strict)


_COLUMN_NUMBER = re.compile(r"^\(?[0-9]{1,2}\)?$")
# what stands between the parts of a table cut by a page: its number ("2", "- 2 -", "Trang 2", "Trang 2/5"),
# or a "(tiếp theo)"
_PAGE_MARK = re.compile(r"^(?:[-–(\s]*(?:trang\s+)?[0-9]{1,3}(?:\s*/\s*[0-9]{1,3})?[-–)\s]*|\(?tiếp theo\)?)$",
                        re.IGNORECASE)


def appendix_parts(document: SourceDocument, sheets: list[str]) -> bool:
    """Whether the appendices of these sheets are parts of one (each its own rows of the form, as a report laid
    out a page a sheet), not one report beside another (the same rows again): at most a tenth of the labels of
    each are also on another."""
    labels = []
    for name in sheets:
        found = find_appendix(document, sheet=name)
        labels.append({normalise_label(row.label) for row in (found.rows if found else ()) if row.label.strip()})
    return all(len(mine & set().union(*(theirs for theirs in labels if theirs is not mine))) * 10 <= len(mine)
               for mine in labels if mine)


def appendix_sheets(document: SourceDocument) -> tuple[tuple[str, bool], ...]:
    """(name, hidden) of each workbook sheet that holds an appendix header, in the workbook's order."""
    found: dict[str, bool] = {}
    headed = appendix_header_test(document)
    for block in document.blocks:
        if isinstance(block, SourceTable) and block.sheet and block.sheet not in found \
                and any(headed(cells) for _, cells in block.rows):
            found[block.sheet] = block.hidden
    return tuple(found.items())


def find_appendix(document: SourceDocument, value_column: str | None = None,
                  sheet: str | None = None, across_sheets: bool = False, after: int = -1) -> Appendix | None:
    """The statistics appendix: the first table with an 'STT ... Chỉ tiêu' header row,
    with the tables that continue it after a page break (nothing but empty
    paragraphs between, and the same width or the header repeated). `value_column`: words of
    the caption of the column holding the figures, where more than one could; `sheet`: the
    workbook sheet to read (by default the first visible one that holds an appendix, else the
    first hidden one). The table goes on onto the next visible sheets that hold a table of the same
    width and no header of their own (a report laid out a page a sheet); with `across_sheets`, also
    onto those that repeat the header (the parts of one appendix, not two reports: see appendix_parts).
    `after`: look only at the blocks after that one (the one where a table taken for the appendix ended)."""
    blocks = document.blocks
    is_header = appendix_header_test(document)
    if sheet is None:
        sheets = appendix_sheets(document)
        sheet = next((name for name, hidden in sheets if not hidden), sheets[0][0] if sheets else None)
    for index, block in enumerate(blocks):
        if index <= after or not isinstance(block, SourceTable) \
                or (sheet is not None and block.sheet and block.sheet != sheet):
            continue
        start = next((i for i, (_, cells) in enumerate(block.rows) if is_header(cells)), None)
        if start is None:
            continue
        rows = list(block.rows[start:])
        italic = set(block.italic)
        spans = set(block.spans)
        last = index
        for later_index, later in enumerate(blocks[index + 1:], index + 1):
            if isinstance(later, str):
                if later.strip() and not _PAGE_MARK.match(later.strip()):
                    break
                continue  # an empty paragraph, or a page's number or "Trang 2" between the parts of the table
            if not later.rows:
                break
            headed = any(is_header(cells) for _, cells in later.rows)
            if later.sheet != block.sheet and (later.hidden or (headed and not across_sheets)
                                               or (not headed and later.width != block.width)):
                break
            if later.width != block.width and not is_header(later.rows[0][1]):
                break  # another table, unless it repeats the appendix header
            # keep lines increasing: a continued table numbers its rows from 1 again
            offset = rows[-1][0] if later.rows[0][0] <= rows[-1][0] else 0
            rows += [(line + offset, cells) for line, cells in later.rows]
            italic |= {(line + offset, column) for line, column in later.italic}
            spans |= {(line + offset, first, end) for line, first, end in later.spans}
            last = later_index
        return replace(_appendix(rows, frozenset(italic), value_column, frozenset(spans)), first_block=index,
                       last_block=last)
    return None


# Captions of a column that holds other figures than this period's: the previous period's, last year's,
# a plan's or a target's, as copies of the form add them beside the figures ("Kỳ trước", "Cùng kỳ năm trước").
# (at the caption's start: "Sở Kế hoạch và Đầu tư" is a department's name, the caption of its own figures)
_OTHER_FIGURES = re.compile(r"^(ky truoc|ky bao cao truoc|cung ky|nam truoc|quy truoc|ke hoach|chi tieu ke hoach|"
                            r"muc tieu|chi tieu giao)\b")
_UNIT_CAPTION = re.compile(r"^(dvt|don vi|don vi tinh)$|\bdon vi tinh\b|\bdvt\b")


def _columns(header: tuple[str, ...], second: tuple[str, ...] | None
             ) -> tuple[dict[str, int | None], str, tuple[int, ...]]:
    """Which grid column holds what, from the one or two header rows; the value column's caption; and,
    where more than one column could hold this period's figures, each of them (the value column first)."""
    width = len(header)
    below = second or ("",) * width
    top = [normalise_label(c) for c in header]
    both = [normalise_label(f"{header[c]} {below[c]}") for c in range(width)]

    def first(test, taken=()) -> int | None:
        return next((c for c in range(width) if c not in taken and test(c)), None)

    roles: dict[str, int | None] = {"number": first(lambda c: is_number_caption(top[c])),
                                    "label": first(lambda c: top[c].startswith("chi tieu"))
                                    if any(k.startswith("chi tieu") for k in top) else
                                    first(lambda c: _is_label_caption(top[c]))}
    roles["note"] = first(lambda c: "ghi chu" in both[c], roles.values())
    roles["unit"] = first(lambda c: bool(_UNIT_CAPTION.search(normalise_label(below[c]) or top[c])), roles.values())
    left = [c for c in range(width) if c not in roles.values()]
    captioned = [c for c in left if both[c]]
    # (a caption written once over several columns, "Kết quả thống kê", stands in each of them in `both`)
    others = [c for c in captioned if _OTHER_FIGURES.search(normalise_label(below[c]) or top[c])]
    # never another period's or the plan's column: the figures are in a column captioned otherwise, or in one
    # with no caption (the department left it blank)
    candidates = [c for c in captioned if c not in others] or [c for c in left if c not in others]
    roles["only_others"] = None if candidates else 1  # every column left is another period's or the plan's
    candidates = candidates or others
    roles["value"] = candidates[0] if candidates else None
    value = roles["value"]
    caption = _flat(below[value]) if second is not None and value is not None else ""
    roles["others"] = others[0] if others and roles["value"] not in others else None  # (only its caption is told)
    return roles, caption, tuple(candidates) if len(candidates) > 1 or roles["only_others"] else ()


def _cell(cells: tuple[str, ...], roles: dict[str, int | None], role: str) -> str:
    column = roles.get(role)
    return cells[column] if column is not None else ""


def _continues_header(cells: tuple[str, ...], roles: dict[str, int | None]) -> bool:
    """The second header row: captions under a merged 'Kết quả thống kê', no STT and no label."""
    return not _cell(cells, roles, "label").strip() and (not (number := normalise_label(_cell(cells, roles, "number")))
                                                         or is_number_caption(number)) \
        and any(c.strip() for c in cells)


def _appendix(rows: list[tuple[int, tuple[str, ...]]], italic: frozenset[tuple[int, int]] = frozenset(),
              value_column: str | None = None, spans: frozenset[tuple[int, int, int]] = frozenset()) -> Appendix:
    """Rows from the first header on -> AppendixRows; every header row (repeated at a
    page break) sets the columns again, so a copy whose layout changes midway still reads.
    `spans`: the cells merged across columns, (line, first column, last column)."""
    merged = {(line, first): end for line, first, end in spans}
    width = max(len(cells) for _, cells in rows)
    grid = [(line, tuple(cells) + ("",) * (width - len(cells))) for line, cells in rows]
    roles: dict[str, int | None] = {}
    caption = None
    out: list[AppendixRow] = []
    italic_notes: set[int] = set()
    ambiguous: tuple[int, tuple[str, ...], bool] | None = None
    passed_over: tuple[str, str] | None = None
    note_column = ""  # the caption of a column read as the notes for want of one captioned so
    page_ends: set[int] = set()
    value_moved: tuple[str, str] | None = None
    misplaced: list[tuple[int, str]] = []
    merged_notes: list[int] = []
    uncaptioned: set[int] = set()  # the columns under the last header with no caption of their own
    index = 0
    while index < len(grid):
        line, cells = grid[index]
        index += 1
        if is_appendix_header(cells):
            if out:  # a header repeated at a page break: the row above it stood last on its page
                page_ends.add(out[-1].line)
            following = grid[index][1] if index < len(grid) else None
            second = following if following and _continues_header(following, _columns(cells, None)[0]) else None
            roles, found, competing = _columns(cells, second)
            if roles["others"] is not None and roles["value"] is not None:
                passed_over = passed_over or (_flat(_caption(cells, second, roles["others"])),
                                              _flat(_caption(cells, second, roles["value"])))
            index += 1 if second else 0
            if competing:  # only columns that hold figures below this header compete
                below = [cells_below for _, cells_below in grid[index:]]
                holding = [c for c in competing if any(row[c].strip() for row in below)] or list(competing)
                # the words of --value-column as whole words of a caption ("Quý I" is not "Quý IV/2022"), else
                # within its words
                chosen = [c for c in holding if value_column is not None and f" {normalise_label(value_column)} "
                          in f" {normalise_label(_caption(cells, second, c))} "] or \
                    [c for c in holding if value_column is not None
                     and normalise_label(value_column) in normalise_label(_caption(cells, second, c))]
                roles["value"] = (chosen or holding)[0]
                if (len(holding) > 1 or roles["only_others"]) and len(chosen) != 1:
                    ambiguous = ambiguous or (line, tuple(_flat(_caption(cells, second, c)) for c in holding),
                                              bool(roles["only_others"]))
                found = _flat(_caption(cells, second, roles["value"]))
            uncaptioned = {c for c in range(width) if not cells[c].strip() and not (second and second[c].strip())}
            if roles["value"] is not None and not any(row[roles["value"]].strip() for _, row in grid[index:]):
                # the figures' caption stands over a column left empty (a caption merged or centred over several,
                # a border moved): the one other uncaptioned column holding figures is theirs
                taken = {roles[k] for k in ("number", "label", "unit", "note", "value", "others")} - {None}
                holding = [c for c in range(width) if c not in taken
                           and any(_NUMBER_CELL.match(row[c].strip()) for _, row in grid[index:])]
                if len(holding) == 1:
                    value_moved = value_moved or (_flat(_caption(cells, second, roles["value"])),
                                                  _flat(_caption(cells, second, holding[0])))
                    roles["value"] = holding[0]
            if roles["note"] is not None and not any(row[roles["note"]].strip() for _, row in grid[index:]):
                roles["note"] = None  # "Ghi chú" over a column left empty: as if there were none
            if roles["note"] is None:  # no column captioned "Ghi chú": the one column left that holds words is it
                taken = {roles[k] for k in ("number", "label", "unit", "value", "others")} - {None}
                words = [c for c in range(width) if c not in taken
                         and any(row[c].strip() and not _FIGURE.match(row[c]) for _, row in grid[index:])]
                if len(words) == 1:
                    roles["note"] = words[0]
                    note_column = note_column or _flat(_caption(cells, second, words[0]))
            caption = found if caption is None else caption
            continue
        texts = [c.strip() for c in cells if c.strip()]
        if not texts or all(set(t) <= {"-"} for t in texts):
            continue  # an empty row, or a rule left by the extraction
        label = _cell(cells, roles, "label")
        if all(_COLUMN_NUMBER.match(t) for t in texts) and _COLUMN_NUMBER.match(label.strip()):
            continue  # the row of column numbers (1) (2) (3) some copies print under the header
        value, note = _cell(cells, roles, "value"), _cell(cells, roles, "note")
        if roles.get("value") is not None and roles.get("note") is not None and not note.strip() \
                and roles["value"] < roles["note"] <= merged.get((line, roles["value"]), -1) \
                and _merged_note(value):
            # the value cell merged over the note's to give the note room, the figure left empty: its words are
            # the note (listed by the import)
            value, note = "", value
            merged_notes.append(line)
        out.append(AppendixRow(line, _flat(_cell(cells, roles, "number")).rstrip("."), _flat(label),
                               _flat(_cell(cells, roles, "unit")), _flat(value), _note(note)))
        if not _cell(cells, roles, "value").strip():  # a figure standing in no column of the header's: not read
            taken = {roles.get(k) for k in ("number", "label", "unit", "note", "value", "others")} - {None}
            stray = next((cells[c].strip() for c in sorted(uncaptioned) if c not in taken
                          and _NUMBER_CELL.match(cells[c].strip())), "")
            if stray:
                misplaced.append((line, stray))
        if roles.get("note") is not None and (line, roles["note"]) in italic:
            italic_notes.add(line)
    return Appendix(tuple(out), caption or "", frozenset(italic_notes), ambiguous, passed_over, note_column,
                    frozenset(page_ends), value_moved, tuple(misplaced), tuple(merged_notes))


def _merged_note(text: str) -> bool:
    """Whether a figure's cell merged over the note's holds a note: words, three or more, not beginning with a
    figure. A figure ("1", "99,99 %"), a figure with words ("1 (KH số 02)") and a coded answer ("Có", "Đạt") stay
    the figure, read or refused as any figure is."""
    words = text.split()
    return len(words) >= 3 and not words[0][0].isdigit()


def _caption(header: tuple[str, ...], second: tuple[str, ...] | None, column: int) -> str:
    """A column's caption: its second header row's cell, or else its first's."""
    return (second[column] if second is not None and second[column].strip() else header[column]) \
        or f"column {column + 1} (no caption)"


def file_template_notes(values: tuple[ImportedValue, ...], form: FormVersion,
                        italic_notes: frozenset[int] = frozenset()) -> tuple[ImportedValue, ...]:
    """Each note that is one of the form's printed instructions, or that is set in italics where the
    form prints its instructions in italics, moved to template_note: the form's words, not the department's."""
    from ..inputs.validate import could_be_form_text, form_instruction  # (validate imports nothing of the importers)

    # Italics tell the form's text from the department's only where the department writes upright: a copy
    # that sets its whole note column in italics (a house style) says nothing by it. And an instruction has
    # no figures nor an answer's words: "Kế hoạch số 03/KH-STNMT", "Chưa thực hiện" are the department's, italic or
    # not.
    notes = [item for item in values if item.note]
    italics = form.instructions_in_italics and sum(item.source_line in italic_notes for item in notes) * 2 <= len(notes)
    out = []
    for item in values:
        if item.note and (form_instruction(item.note, form, exact=True) is not None
                          or (italics and item.source_line in italic_notes and could_be_form_text(item.note, form))):
            item = replace(item, note="", template_note=item.note)
        out.append(item)
    return tuple(out)


_HEADER_WORDS = ("stt", "chi tieu", "noi dung", "ket qua", "don vi tinh", "dvt", "so lieu", "ghi chu")


def nearest_header(document: SourceDocument) -> tuple[int, str, bool] | None:
    """The line that looks most like the appendix's header row, for a clerk told none was found:
    its line (0 where the format has none), its text (a row's cells joined by ' | ') and whether it
    is a table row. None when no line has two of the header's words."""
    best: tuple[int, int, str, bool] | None = None
    lines = document.lines or (0,) * len(document.blocks)
    for block, first in zip(document.blocks, lines):
        found = [(first, _flat(block), False)] if isinstance(block, str) else \
            [(line, " | ".join(_flat(c) for c in cells if c.strip()), True) for line, cells in block.rows]
        for line, text, is_row in found:
            key = f" {normalise_label(text)} "
            score = sum(f" {word} " in key for word in _HEADER_WORDS)
            if score >= 2 and (best is None or score > best[0]):
                best = (score, line, text if len(text) <= 80 else text[:77] + "...", is_row)
    return best[1:] if best else None


# --- The document's own details ---------------------------------------------------

_NUMBER_LINE = re.compile(r"^Số\s*:")
_DATE_LINE = re.compile(r"^[^0-9,]{2,40},\s*ngày\b.*(\bnăm\s+[0-9]{4}|[0-9]{1,2}\s*/\s*[0-9]{1,2}\s*/\s*[0-9]{4})\.?$")


# "(Kèm theo Báo cáo số 45/BC-STNMT ngày 15/3/2023 của Sở ...)" under an appendix's title
_ATTACHED = re.compile(r"kèm theo báo cáo\s+số\s*:?\s*(?P<number>[^\s,;()]*)\s*,?\s*"
                       r"(?:ngày\s+(?P<date>.*?))?\s*(?:\bcủa\b.*)?\)?$", re.IGNORECASE)


def _plain(text: str) -> str:
    """A paragraph without the Markdown emphasis some extractions add."""
    return _flat(text).strip("*_ ").strip()


def is_contacts_header(cells: tuple[str, ...]) -> bool:
    keys = [normalise_label(c) for c in cells]
    return any(k.startswith(("ho ten", "ho va ten")) for k in keys) and any(k.startswith("chuc vu") for k in keys)


def _contacts(table: SourceTable) -> tuple[Contact, ...]:
    rows = [cells for _, cells in table.rows]
    start = next(i for i, cells in enumerate(rows) if is_contacts_header(cells))
    keys = [normalise_label(c) for c in rows[start]]

    def column(test) -> int | None:
        return next((c for c, k in enumerate(keys) if test(k)), None)

    role = column(lambda k: k.startswith(("noi dung", "chuc danh")))
    name = column(lambda k: k.startswith(("ho ten", "ho va ten")))
    position = column(lambda k: k.startswith("chuc vu"))
    email, phone = column(lambda k: "email" in k), column(lambda k: "dien thoai" in k)
    out: list[Contact] = []
    for cells in rows[start + 1:]:
        # The contacts end at an empty row or at the appendix's header: a sheet holding both tables in the same
        # columns, one under the other, had every appendix row written as a contact.
        if is_appendix_header(cells) or (out and not any(cell.strip() for cell in cells)):
            break

        def get(c: int | None) -> str:
            return _flat(cells[c]) if c is not None and c < len(cells) else ""
        if not get(name):
            continue
        reach = f"{get(email)} {get(phone)}" if email != phone else get(email)
        tokens = reach.split()
        mail = next((t for t in tokens if "@" in t), "")
        out.append(Contact(get(role), get(name), get(position), mail,
                           " ".join(t for t in tokens if t != mail)))
    return tuple(out)


_FIGURE = re.compile(r"^[0-9.,% ]*$")


def is_figure(cell: str) -> bool:
    """A cell that holds a figure and nothing else ("9", "1.076", "99,99 %")."""
    return _FIGURE.match(cell) is not None and any(c.isdigit() for c in cell)
_NUMBER_CELL = re.compile(r"^[0-9][0-9.,]*\s*%?$")  # a cell that is a figure: "22", "1.076", "99,99", "95%"


def _texts_outside_the_appendix(document: SourceDocument) -> list[str]:
    """Paragraphs, and the lines of cells of other tables: the number and date line
    often sit in the layout table at the top of the first page."""
    out = []
    for block in document.blocks:
        if isinstance(block, str):
            out.append(_plain(block))
        elif not any(is_appendix_header(cells) for _, cells in block.rows):
            # (a cell that is a figure is neither a number line nor a date line: a sheet can hold 50 000 of them)
            out += [_plain(line) for _, cells in block.rows for cell in cells if cell and not _FIGURE.match(cell)
                    for line in clean_cell(cell).split("\n")]
    return out


def document_details(document: SourceDocument, source: str,
                     value_column: str) -> tuple[DocumentInfo, tuple[Contact, ...]]:
    """Title, number, date line and contacts, where the document prints them."""
    paragraphs = [_plain(b) for b in document.blocks if isinstance(b, str) and _plain(b)]
    tables = [b for b in document.blocks if isinstance(b, SourceTable)]
    contact_tables = [t for t in tables if any(is_contacts_header(cells) for _, cells in t.rows)]
    texts = _texts_outside_the_appendix(document)
    number = next((t for t in texts if _NUMBER_LINE.match(t)), "")
    date_line = next((t for t in texts if _DATE_LINE.match(t)), "")
    if not number or not date_line:  # an appendix sent on its own says whose report it goes with
        attached = next((m for m in (_ATTACHED.search(unicodedata.normalize("NFC", t)) for t in texts) if m), None)
        if attached and not number and attached["number"]:
            number = f"Số: {attached['number']}"
        if attached and not date_line and attached["date"]:
            date_line = f"ngày {attached['date']}"
    heading = next((i for i, p in enumerate(paragraphs) if normalise_label(p) == "bao cao"), None)
    if heading is not None and heading + 1 < len(paragraphs):
        title = paragraphs[heading + 1]
    else:  # an appendix on its own: its title
        title = next((p for p in paragraphs if normalise_label(p).startswith("thong ke so lieu")), "")
    contacts = _contacts(contact_tables[0]) if contact_tables else ()
    return DocumentInfo(title, number, date_line, value_column, _flat(source)), contacts


class UnreadableDocument(Exception):
    """A reader could not open the file as its format (not a bug: a damaged, mislabelled or hostile file).

    code and hint are the problem's: E603 (cannot read the file) unless a reader knows better.
    """

    code = "E603"
    hint = "save it again as .docx, .xlsx or UTF-8 text"

    def __init__(self, message: str, code: str | None = None, hint: str | None = None):
        super().__init__(message)
        if code is not None:
            self.code = code
        if hint is not None:
            self.hint = hint


# --- Office files (DOCX, XLSX): looked at before any parser sees them ------------------

MAX_DOCUMENT_BYTES = 50 * 2**20  # the file itself: a report with photos is a few MB
MAX_EXPANDED_BYTES = 200 * 2**20  # all its members once unzipped, as the zip's directory declares them
MAX_XML_BYTES = 10 * 2**20  # one XML member: a 200-page report's text is about 5 MB
MAX_MEMBERS = 2000  # a report is 10-40 members, a few hundred with many pictures

_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Office 97-2003 files, and Office files saved with a password
_ENCRYPTED = "EncryptedPackage".encode("utf-16-le")  # the stream an encrypted Office file keeps its content in
_KIND = {".docx": ("Word", "Word Document (.docx)", ".doc"), ".xlsx": ("Excel", "Excel Workbook (.xlsx)", ".xls")}


@dataclass(frozen=True)
class OfficePackage:
    """An Office file that passed the checks: its bytes, and every XML member parsed
    without a DTD (so without entities, external or expanding)."""

    data: bytes
    xml: dict[str, object]  # member name -> lxml root element


def _size(count: int) -> str:
    return f"{count / 2**20:.1f} MB" if count < 10 * 2**20 else f"{count // 2**20} MB"


_DOCTYPE = tuple("<!DOCTYPE".encode(encoding) for encoding in ("utf-8", "utf-16-le", "utf-16-be"))


def _dtd(member: str) -> str:
    return (f"'{member}' in the archive declares a DTD (<!DOCTYPE>), which can define entities that read other "
            "files or expand without end; Office never writes one")


def _declared_members(data: bytes) -> int:
    """The number of members the zip's end record (or its zip64 record) declares; 0 when it has none."""
    import struct

    end = data.rfind(b"PK\x05\x06", max(0, len(data) - 65_557))
    if end < 0 or end + 22 > len(data):
        return 0
    count = struct.unpack_from("<H", data, end + 10)[0]
    wide = data.rfind(b"PK\x06\x06", max(0, end - 4096), end)
    if wide >= 0 and wide + 40 <= len(data):
        count = max(count, struct.unpack_from("<Q", data, wide + 32)[0])
    return count


def _looks_like_xml(head: bytes) -> bool:
    head = head.lstrip(b"\xef\xbb\xbf").lstrip()
    return head.startswith(b"<") or head.startswith((b"\xff\xfe", b"\xfe\xff"))


def open_office_package(path: Path) -> OfficePackage:
    """The file's bytes and XML members, or UnreadableDocument (E606-E611) saying what it is instead.

    Everything is decided from the zip's directory and a parse that loads no DTD, before
    python-docx or openpyxl see the file: sizes are known before anything is unzipped, and
    zipfile never unzips a member past the size its directory declares.
    """
    import io
    import zipfile
    import zlib

    from lxml import etree

    app, save_as, old = _KIND.get(path.suffix.lower(), ("Office", "the format its name says", ""))
    resave = f"open it in {app} and save it again as {save_as}"
    try:
        size = path.stat().st_size
        if size > MAX_DOCUMENT_BYTES:
            raise UnreadableDocument(f"the file is {_size(size)}, more than the {_size(MAX_DOCUMENT_BYTES)} a report "
                                     "may be", "E609", "check that this is the report; save it without its pictures")
        data = path.read_bytes()
    except OSError as error:
        raise UnreadableDocument(f"cannot read the file ({error.strerror or error})") from error
    if data.startswith(_OLE2):
        if _ENCRYPTED in data:
            raise UnreadableDocument("the file is protected with a password (encrypted)", "E606",
                                     f"open it in {app} with its password, remove the password "
                                     f"(File > Info > Protect), and save it again as {save_as}")
        raise UnreadableDocument(f"the file is an old {app} 97-2003 file ({old}), not {save_as}", "E608", resave)
    declared = _declared_members(data)
    if declared > MAX_MEMBERS:  # counted from the zip's last record, before zipfile reads each entry
        raise UnreadableDocument(f"the archive holds {declared} files, more than the {MAX_MEMBERS} a report "
                                 "holds", "E609", "check that this is the report; " + resave)
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError, OSError) as error:
        raise UnreadableDocument(f"the file is not {save_as}: such a file is a zip archive, and this one is not "
                                 f"({error})", "E607", f"check that this is the report; {resave}") from error
    if len(members) > MAX_MEMBERS:
        raise UnreadableDocument(f"the archive holds {len(members)} files, more than the {MAX_MEMBERS} a report "
                                 "holds", "E609", "check that this is the report; " + resave)
    expanded = sum(m.file_size for m in members)
    if expanded > MAX_EXPANDED_BYTES:
        raise UnreadableDocument(f"the archive would expand to {_size(expanded)}, more than the "
                                 f"{_size(MAX_EXPANDED_BYTES)} a report may", "E609",
                                 "check that this is the report; save it without its pictures")
    for member in members:
        if member.flag_bits & 0x1:
            raise UnreadableDocument(f"'{member.filename}' in the archive is protected with a password (encrypted)",
                                     "E606", f"save the file again without a password, as {save_as}")
        if member.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise UnreadableDocument(f"'{member.filename}' in the archive is compressed in a way Office does not "
                                     f"use (method {member.compress_type})", "E607", resave)
    parser = etree.XMLParser(resolve_entities=False, load_dtd=False, no_network=True, huge_tree=False)
    xml: dict[str, object] = {}
    for member in members:
        if member.is_dir():
            continue
        try:
            with archive.open(member) as stream:
                head = stream.read(64)
                if not _looks_like_xml(head):
                    continue  # a picture or font: no reader parses it
                if member.file_size > MAX_XML_BYTES:
                    raise UnreadableDocument(f"'{member.filename}' in the archive is {_size(member.file_size)} of "
                                             f"XML, more than the {_size(MAX_XML_BYTES)} a report holds", "E609",
                                             "check that this is the report; " + resave)
                content = head + stream.read()
        except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError) as error:
            raise UnreadableDocument(f"'{member.filename}' in the archive is damaged ({error})", "E607",
                                     resave) from error
        if any(mark in content for mark in _DOCTYPE):  # looked for before libxml2 reads its entities
            raise UnreadableDocument(_dtd(member.filename), "E611", "check where the file comes from; " + resave)
        try:
            root = etree.fromstring(content, parser)
        except etree.XMLSyntaxError as error:
            line, column = error.position if error.position else (0, 0)
            where = f" at line {line}, column {column}" if line else ""
            reason = re.sub(r", line \d+, column \d+$", "", error.msg or "")
            raise UnreadableDocument(f"'{member.filename}' in the archive is not well-formed XML{where} "
                                     f"({reason})", "E610", resave) from error
        if root is None:
            continue
        info = root.getroottree().docinfo
        if info.doctype or info.internalDTD is not None or info.externalDTD is not None:
            raise UnreadableDocument(_dtd(member.filename), "E611", "check where the file comes from; " + resave)
        xml[member.filename] = root
    return OfficePackage(data, xml)
