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

import json
import re
import unicodedata
from dataclasses import dataclass
from difflib import SequenceMatcher

from ..model import Catalogue, Contact, DocumentInfo, FormVersion
from .text import AppendixRow

_ROMAN = re.compile(r"^[IVX]+$")
_THOUSANDS = re.compile(r"^\d{1,3}(\.\d{3})+$")
_DECIMAL_COMMA = re.compile(r"^\d+,\d+$")


@dataclass(frozen=True)
class ImportedValue:
    indicator: str
    value: str  # YAML number text ("1076", "99.99"), or "" when the cell is empty
    note: str
    source_line: int


@dataclass(frozen=True)
class ImportedReport:
    department: str
    period: str
    form: str
    document: DocumentInfo
    contacts: tuple[Contact, ...]
    values: tuple[ImportedValue, ...]


def normalise_label(label: str) -> str:
    """Compare labels without diacritics, case, tags, punctuation or spacing."""
    text = re.sub(r"</?i>", "", label).lower().replace("đ", "d")
    text = "".join(c for c in unicodedata.normalize("NFD", text) if unicodedata.category(c) != "Mn")
    return " ".join(re.sub(r"[^a-z0-9%]+", " ", text).split())


def vietnamese_number(text: str) -> str:
    """'1.076' -> '1076', '99,99' -> '99.99', '02' -> '2'; other text unchanged."""
    text = text.strip()
    if _THOUSANDS.match(text):
        return text.replace(".", "")
    if _DECIMAL_COMMA.match(text):
        whole, fraction = text.split(",")
        return f"{int(whole)}.{fraction}"
    if text.isdigit():
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
        value = item.value if item.value else "~"
        if item.value and not re.match(r"^-?\d+(\.\d+)?$", item.value):
            value = _q(item.value)  # not a number: keep it, validation will say why
        if item.note:
            out.append(f"  {item.indicator}:{comment}")
            out.append(f"    value: {value}")
            out.append(f"    note: {_q(item.note)}")
        else:
            out.append(f"  {item.indicator}: {value}{comment}")
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

    @property
    def width(self) -> int:
        return max((len(cells) for _, cells in self.rows), default=0)


@dataclass(frozen=True)
class SourceDocument:
    """Paragraphs (str) and tables in document order."""

    blocks: tuple[str | SourceTable, ...]


@dataclass(frozen=True)
class Appendix:
    rows: tuple[AppendixRow, ...]
    value_column: str  # the caption of the value column (often the department's name)


def text_document(text: str) -> SourceDocument:
    """A tab-separated text extraction: tab lines are table rows, other lines paragraphs."""
    blocks: list[str | SourceTable] = []
    paragraph: list[str] = []
    table: list[tuple[int, tuple[str, ...]]] = []

    def flush() -> None:
        if paragraph:
            blocks.append(" ".join(paragraph))
            paragraph.clear()
        if table:
            blocks.append(SourceTable(tuple(table)))
            table.clear()

    for number, line in enumerate(text.splitlines(), 1):
        if "\t" in line:
            if paragraph:
                flush()
            table.append((number, tuple(line.split("\t"))))
        elif line.strip():
            if table:
                flush()
            paragraph.append(line.strip())
        else:
            flush()
    flush()
    return SourceDocument(tuple(blocks))


def _flat(text: str) -> str:
    """A label or figure: every line break and run of spaces becomes one space."""
    return " ".join(text.split())


def _note(text: str) -> str:
    """A note kept whole: its lines (paragraphs) stay, blank lines and edge spaces go."""
    return "\n".join(line.strip() for line in text.splitlines() if line.strip())


def _is_appendix_header(cells: tuple[str, ...]) -> bool:
    keys = [normalise_label(c) for c in cells]
    return "stt" in keys and any(k.startswith("chi tieu") for k in keys)


_COLUMN_NUMBER = re.compile(r"^\(?\d{1,2}\)?$")


def find_appendix(document: SourceDocument) -> Appendix | None:
    """The statistics appendix: the first table with an 'STT ... Chỉ tiêu' header row,
    with the tables that continue it after a page break (nothing but empty
    paragraphs between, and the same width or the header repeated)."""
    blocks = document.blocks
    for index, block in enumerate(blocks):
        if not isinstance(block, SourceTable):
            continue
        start = next((i for i, (_, cells) in enumerate(block.rows) if _is_appendix_header(cells)), None)
        if start is None:
            continue
        rows = list(block.rows[start:])
        for later in blocks[index + 1:]:
            if isinstance(later, str):
                if later.strip():
                    break
                continue
            if later.sheet != block.sheet or not later.rows:
                break
            if later.width != block.width and not _is_appendix_header(later.rows[0][1]):
                break  # another table, unless it repeats the appendix header
            # keep lines increasing: a continued table numbers its rows from 1 again
            offset = rows[-1][0] if later.rows[0][0] <= rows[-1][0] else 0
            rows += [(line + offset, cells) for line, cells in later.rows]
        return _appendix(rows)
    return None


def _columns(header: tuple[str, ...], second: tuple[str, ...] | None) -> tuple[dict[str, int | None], str]:
    """Which grid column holds what, from the one or two header rows; and the value column's caption."""
    width = len(header)
    below = second or ("",) * width
    top = [normalise_label(c) for c in header]
    both = [normalise_label(f"{header[c]} {below[c]}") for c in range(width)]

    def first(test, taken=()) -> int | None:
        return next((c for c in range(width) if c not in taken and test(c)), None)

    roles: dict[str, int | None] = {"number": first(lambda c: top[c] == "stt"),
                                    "label": first(lambda c: top[c].startswith("chi tieu"))}
    roles["note"] = first(lambda c: "ghi chu" in both[c], roles.values())
    roles["unit"] = first(lambda c: "don vi tinh" in both[c], roles.values())
    captioned = first(lambda c: bool(both[c]), roles.values())
    roles["value"] = captioned if captioned is not None else first(lambda c: True, roles.values())
    value = roles["value"]
    caption = _flat(below[value]) if second is not None and value is not None else ""
    return roles, caption


def _cell(cells: tuple[str, ...], roles: dict[str, int | None], role: str) -> str:
    column = roles.get(role)
    return cells[column] if column is not None else ""


def _continues_header(cells: tuple[str, ...], roles: dict[str, int | None]) -> bool:
    """The second header row: captions under a merged 'Kết quả thống kê', no STT and no label."""
    return not _cell(cells, roles, "label").strip() and normalise_label(_cell(cells, roles, "number")) in ("", "stt") \
        and any(c.strip() for c in cells)


def _appendix(rows: list[tuple[int, tuple[str, ...]]]) -> Appendix:
    """Rows from the first header on -> AppendixRows; every header row (repeated at a
    page break) sets the columns again, so a copy whose layout changes midway still reads."""
    width = max(len(cells) for _, cells in rows)
    grid = [(line, tuple(cells) + ("",) * (width - len(cells))) for line, cells in rows]
    roles: dict[str, int | None] = {}
    caption = None
    out: list[AppendixRow] = []
    index = 0
    while index < len(grid):
        line, cells = grid[index]
        index += 1
        if _is_appendix_header(cells):
            following = grid[index][1] if index < len(grid) else None
            second = following if following and _continues_header(following, _columns(cells, None)[0]) else None
            roles, found = _columns(cells, second)
            caption = found if caption is None else caption
            index += 1 if second else 0
            continue
        texts = [c.strip() for c in cells if c.strip()]
        if not texts or all(set(t) <= {"-"} for t in texts):
            continue  # an empty row, or a rule left by the extraction
        label = _cell(cells, roles, "label")
        if all(_COLUMN_NUMBER.match(t) for t in texts) and _COLUMN_NUMBER.match(label.strip()):
            continue  # the row of column numbers (1) (2) (3) some copies print under the header
        out.append(AppendixRow(line, _flat(_cell(cells, roles, "number")).rstrip("."), _flat(label),
                               _flat(_cell(cells, roles, "unit")), _flat(_cell(cells, roles, "value")),
                               _note(_cell(cells, roles, "note"))))
    return Appendix(tuple(out), caption or "")


# --- The document's own details ---------------------------------------------------

_NUMBER_LINE = re.compile(r"^Số\s*:")
_DATE_LINE = re.compile(r"^[^\d,]{2,40},\s*ngày\b.*\bnăm\s+\d{4}\.?$")


def _plain(text: str) -> str:
    """A paragraph without the Markdown emphasis some extractions add."""
    return _flat(text).strip("*_ ").strip()


def _is_contacts_header(cells: tuple[str, ...]) -> bool:
    keys = [normalise_label(c) for c in cells]
    return any(k.startswith(("ho ten", "ho va ten")) for k in keys) and any(k.startswith("chuc vu") for k in keys)


def _contacts(table: SourceTable) -> tuple[Contact, ...]:
    rows = [cells for _, cells in table.rows]
    start = next(i for i, cells in enumerate(rows) if _is_contacts_header(cells))
    keys = [normalise_label(c) for c in rows[start]]

    def column(test) -> int | None:
        return next((c for c, k in enumerate(keys) if test(k)), None)

    role = column(lambda k: k.startswith(("noi dung", "chuc danh")))
    name = column(lambda k: k.startswith(("ho ten", "ho va ten")))
    position = column(lambda k: k.startswith("chuc vu"))
    email, phone = column(lambda k: "email" in k), column(lambda k: "dien thoai" in k)
    out = []
    for cells in rows[start + 1:]:
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


def _texts_outside_the_appendix(document: SourceDocument) -> list[str]:
    """Paragraphs, and the lines of cells of other tables: the number and date line
    often sit in the layout table at the top of the first page."""
    out = []
    for block in document.blocks:
        if isinstance(block, str):
            out.append(_plain(block))
        elif not any(_is_appendix_header(cells) for _, cells in block.rows):
            out += [_plain(line) for _, cells in block.rows for cell in cells for line in cell.splitlines()]
    return out


def document_details(document: SourceDocument, source: str,
                     value_column: str) -> tuple[DocumentInfo, tuple[Contact, ...]]:
    """Title, number, date line and contacts, where the document prints them."""
    paragraphs = [_plain(b) for b in document.blocks if isinstance(b, str) and _plain(b)]
    tables = [b for b in document.blocks if isinstance(b, SourceTable)]
    contact_tables = [t for t in tables if any(_is_contacts_header(cells) for _, cells in t.rows)]
    texts = _texts_outside_the_appendix(document)
    number = next((t for t in texts if _NUMBER_LINE.match(t)), "")
    date_line = next((t for t in texts if _DATE_LINE.match(t)), "")
    heading = next((i for i, p in enumerate(paragraphs) if normalise_label(p) == "bao cao"), None)
    if heading is not None and heading + 1 < len(paragraphs):
        title = paragraphs[heading + 1]
    else:  # an appendix on its own: its title
        title = next((p for p in paragraphs if normalise_label(p).startswith("thong ke so lieu")), "")
    contacts = _contacts(contact_tables[0]) if contact_tables else ()
    return DocumentInfo(title, number, date_line, value_column, source), contacts


class UnreadableDocument(Exception):
    """A reader could not open the file as its format (not a bug: a damaged or mislabelled file)."""
