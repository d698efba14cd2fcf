"""Read back a form written by `build.py form` and filled in by a body: exactly, by its hidden IDs.

A workbook is one when it has the hidden sheet named reformdash-form; a Word
document when its first paragraph (hidden text) starts with that name. Each row
is then known by the indicator ID in the form's hidden column, never by its
label: nothing is matched by likeness. A meaning chosen from a coded row's list
("Có", "Có vi phạm") becomes its code; a figure typed as text ("1.076",
"99,99 %", "99,99") is read the Vietnamese way and listed for the clerk; an
empty cell stays empty (not reported), never 0; a note keeps its line breaks.
A cell that cannot be read as its row asks is an error naming the cell, and
nothing is written; so is a row whose number, label or unit is not the form's for
its hidden ID (rows sorted without the hidden column), and, in a workbook, a value
or note cell that its row's hidden anchor formula no longer finds in the row (a
cell deleted with "shift cells up"). A row with no hidden ID (one the clerk added,
or an area's title row) that carries a value or a note is kept under `unplaced:`
as written, never dropped.
"""
from __future__ import annotations

import argparse
import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Callable

from ..forms.layout import form_lines
from ..model import Catalogue, DocumentInfo, ValueKind
from ..numbers import digit_named, format_vi, other_digit
from ..problems import Origin, Problem, Severity
from .record import (ImportedReport, ImportedUnplaced, ImportedValue, SourceDocument, SourceTable, UnreadableDocument,
                     clean_cell, file_template_notes, header_comment, report_yaml, sheet_text)

# As reformdash/forms/layout.py writes them, copied: a change to the writers is a new LAYOUT, never a silent one.
# (The rows' numbers, labels and units are the form version's, laid out by layout.form_lines for both.)
MARK = "reformdash-form"
LAYOUT = "1"
COLUMNS = ("number", "label", "unit", "value", "note", "previous", "last_year", "id")
# XLSX: column I, hidden, holds per row the formula =ROW(D<row>)&" "&ROW(E<row>) (reformdash/forms/form_xlsx.py).
# Excel and LibreOffice rewrite it when the row's value or note cell is deleted, inserted or moved on its own
# ("Delete cells, shift up"), so a figure that no longer stands on its row is found.
ANCHOR_COLUMN = 9
ANCHORED = {"value": "D", "note": "E"}  # the letters of COLUMNS' value and note
_REFERENCE = re.compile(r"#REF!|\$?([A-Z]{1,3})\$?([0-9]+)")
_MOVED_SHOWN = 5
_MOVED_HINT = ("cells of the value or note column were deleted, inserted or moved on their own, not with their whole "
               "row (Delete cells… shift cells up, Insert cells, cut and paste): undo it in the file, or fill in a "
               "new copy of the form (build.py form) and copy the figures into it")
_PROBE_BYTES = 64 * 1024  # the mark sits at the start of workbook.xml / document.xml
_THOUSANDS = re.compile(r"-?[0-9]{1,3}(\.[0-9]{3})+(,[0-9]+)?")
_PLAIN = re.compile(r"-?[0-9]+(,[0-9]+)?")
_DECIMALS = re.compile(r"\.(0+)")


@dataclass(frozen=True)
class ReadAsText:
    """A figure the clerk typed as text, and what it was read as."""

    place: str  # "cell D23" or "table row 23"
    indicator: str
    text: str
    read: str


@dataclass(frozen=True)
class ReturnedForm:
    department: str
    period: str
    form: str
    values: tuple[ImportedValue, ...]
    read_as_text: tuple[ReadAsText, ...]
    problems: tuple[Problem, ...]  # errors: cells that cannot be read, rows that are not the form's
    unplaced: tuple[ImportedUnplaced, ...] = ()  # rows with no hidden ID that carry a value or a note


def is_returned_form(path: Path) -> bool:
    """Whether the file carries the mark of a written form. A probe: any file it cannot open is left to the
    ordinary readers, which say what is wrong with it."""
    member = {".xlsx": "xl/workbook.xml", ".docx": "word/document.xml"}.get(path.suffix.lower())
    if member is None:
        return False
    try:
        with zipfile.ZipFile(path) as archive, archive.open(member) as stream:
            head = stream.read(_PROBE_BYTES)  # never more, whatever the member claims to expand to
    except Exception:  # noqa: BLE001 - a damaged, encrypted or hostile file: not ours to judge here
        return False
    return (f'name="{MARK}"' if member.startswith("xl/") else MARK).encode() in head


# --- values -------------------------------------------------------------------------

def _folded(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split()).casefold()


def _plain_number(value: Decimal) -> str:
    text = format(value, "f")
    return "0" if text.strip("-") in ("0", "") else text


def figure_from_text(text: str, kind: ValueKind) -> tuple[str, str]:
    """(the YAML figure, "") for a figure typed as text, or ("", why it cannot be read)."""
    flat = " ".join(unicodedata.normalize("NFC", text).split())
    if digit := other_digit(flat):
        return "", f"'{flat}' uses the digit {digit_named(digit)}; only the digits 0-9 are read"
    if kind.codes:
        for code in kind.codes:
            if _folded(code.vi) == flat.casefold():
                return str(code.value), ""
        if re.fullmatch("[0-9]+", flat):  # a code written as its digit: `check` says if it is not one of them
            return str(int(flat)), ""
        return "", f"'{flat}' is not one of {', '.join(c.vi for c in kind.codes)}"
    number = flat
    if kind.maximum is not None and number.endswith("%"):  # a percentage: "99,99 %"
        number = number[:-1].rstrip()
    if _THOUSANDS.fullmatch(number):
        number = number.replace(".", "")
    elif not _PLAIN.fullmatch(number):
        return "", f"'{flat}' is not a figure written the Vietnamese way (1.076 or 99,99)"
    sign = "-" if number.startswith("-") else ""
    whole, _, fraction = number.lstrip("-").partition(",")
    if fraction and kind.whole:  # ("1,076": a decimal to Vietnamese eyes, a thousand to English ones; left as typed)
        return "", f"'{flat}' is a count with a decimal comma: a count is a whole number"
    return sign + str(int(whole)) + (f".{fraction}" if fraction else ""), ""


def _number_format_code(number_format: str) -> str:
    """The part of a cell's number format that acts on a positive number, without quoted or escaped text."""
    return re.sub(r'"[^"]*"|\\.|\[[^\]]*\]', "", number_format or "").split(";")[0]


def figure_from_number(value: float | int, number_format: str) -> str:
    """A number typed as a number: 0.9999 shown as 99,99 % is 99.99. Every digit typed is kept (a format that
    shows fewer never rounds it: 99.999 formatted '0.00' is not 100.00); a format that shows more adds its zeros."""
    code = _number_format_code(number_format)
    number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    if "%" in code:
        number *= 100
    if match := _DECIMALS.search(code):
        typed = max(-number.normalize().as_tuple().exponent, 0)
        return _plain_number(number.quantize(Decimal(1).scaleb(-max(len(match[1]), typed))))
    return _plain_number(number.normalize() if number == number.to_integral_value() or "%" in code else number)


def _note(text: str) -> str:
    return clean_cell(text).strip()


# --- the two formats ----------------------------------------------------------------

@dataclass(frozen=True)
class _Cell:
    place: str
    line: int
    column: int
    value: object  # str from a document; str, int, float, date or None from a workbook
    number_format: str = ""


@dataclass(frozen=True)
class _Row:
    """A row of the returned table, below its header: as the file now holds it."""

    line: int  # the sheet row (XLSX) or table row (DOCX)
    indicator: str  # the hidden ID; "" on an area's title row and on a row the clerk added
    number: str
    label: str
    unit: str
    value: _Cell
    note: _Cell
    anchor: str | None = None  # XLSX: the formula of the row's hidden anchor cell, None when it has none


def _text(value: object) -> str:
    return "" if value is None else sheet_text(value) if isinstance(value, str) else _shown(value)


def _xlsx_rows(path: Path) -> tuple[dict[str, str], list[_Row], list[Problem]]:
    """The marks, and each row below the table's header, of a workbook."""
    from openpyxl import load_workbook
    from openpyxl.utils import get_column_letter

    from .xlsx_reader import read_xlsx_document

    document = read_xlsx_document(path)  # the file's safety checks, and cells it could not take as they are
    # The anchor column holds formulas whose value is never read (only what they refer to): a workbook saved by
    # a program that does not compute formulas has no value there, and a deleted cell leaves #REF! in one.
    faults = [Problem(Severity.ERROR, f.code, f.message, Origin(path.name, f.line, f.column), f.hint)
              for f in document.faults if not (f.column == ANCHOR_COLUMN and f.code in ("E613", "E615"))]
    data = path.read_bytes()
    book = load_workbook(io.BytesIO(data), data_only=True)
    marks_sheet = book[MARK]
    marks = {str(row[0]): str(row[1]) for row in marks_sheet.iter_rows(values_only=True) if row[0] and row[1]}
    if marks.get("sheet") not in book.sheetnames:
        return marks, [], faults
    sheet = book[marks["sheet"]]
    formulas = load_workbook(io.BytesIO(data))[marks["sheet"]]  # the anchors' formulas, as last edited
    position = {name: index for index, name in enumerate(COLUMNS, 1)}
    rows: list[_Row] = []
    header = False
    for row in sheet.iter_rows(min_row=1, max_row=sheet.max_row, max_col=len(COLUMNS)):
        indicator = _text(row[position["id"] - 1].value).strip()
        if not header:
            header = " " in indicator  # the title rows stand above the header row ("ID chỉ tiêu")
            continue
        line = row[0].row
        cells = [_Cell(f"cell {get_column_letter(position[name])}{line}", line, position[name],
                       row[position[name] - 1].value, row[position[name] - 1].number_format)
                 for name in ("value", "note")]
        anchor = formulas.cell(line, ANCHOR_COLUMN).value
        printed = (_text(row[position[name] - 1].value) for name in ("number", "label", "unit"))
        rows.append(_Row(line, indicator, *printed, *cells,
                         anchor if isinstance(anchor, str) and anchor.startswith("=") else None))
    return marks, rows, faults


def _docx_rows(path: Path) -> tuple[dict[str, str], list[_Row], list[Problem]]:
    from .docx_reader import read_docx_document

    document: SourceDocument = read_docx_document(path, hidden_text=True)
    faults = [Problem(Severity.ERROR, f.code, f.message, Origin(path.name, f.line, f.column), f.hint)
              for f in document.faults]
    # what the reader says of the whole document (tracked changes read as accepted, W630): warnings
    faults += [Problem(Severity.WARNING, f.code, f.message, Origin(path.name, f.line, f.column), f.hint)
               for f in document.notices]
    marks: dict[str, str] = {}
    rows: list[_Row] = []
    for block in document.blocks:
        if isinstance(block, str) and block.strip().startswith(MARK) and not marks:
            marks = dict(part.split("=", 1) for part in block.split()[1:] if "=" in part)
            marks["layout"] = marks.get("layout", "")
        elif isinstance(block, SourceTable) and marks and not rows and block.width == len(COLUMNS):
            header = False
            for line, cells in block.rows:
                cells = tuple(cells) + ("",) * (len(COLUMNS) - len(cells))
                indicator = cells[COLUMNS.index("id")].strip()
                if not header:
                    header = " " in indicator  # the header row ("ID chỉ tiêu")
                    continue
                value, note = (_Cell(f"table row {line}", line, COLUMNS.index(name) + 1, cells[COLUMNS.index(name)])
                               for name in ("value", "note"))
                rows.append(_Row(line, indicator, *(cells[COLUMNS.index(name)] for name in ("number", "label", "unit")),
                                 value, note))
    return marks, rows, faults


def _flat(text: str) -> str:
    """A label as compared: its words, whatever spaces and line breaks stand between them."""
    return " ".join(unicodedata.normalize("NFC", clean_cell(text)).split())


def _quoted(text: str) -> str:
    return f"'{_flat(text)}'" if _flat(text) else "empty"


def _anchored(row: _Row) -> list[tuple[str, str]]:
    """(what, where it is now) for the row's value and note cells that its anchor no longer finds in the row:
    Excel and LibreOffice rewrite a formula's references when the cells it names are deleted, inserted or moved
    on their own, but not when a whole row moves (sorted, inserted or deleted with its row)."""
    if row.anchor is None:
        return []
    found = [(m[1] + m[2]) if m[1] else "#REF!" for m in _REFERENCE.finditer(row.anchor)]
    wanted = [f"{ANCHORED[name]}{row.line}" for name in ANCHORED]
    if len(found) != len(wanted):
        return [(name, "#REF!") for name in ANCHORED]  # the formula itself was changed: nothing can be trusted
    return [(name, now) for name, now, then in zip(ANCHORED, found, wanted) if now != then]


def _unplaced(row: _Row, source: str) -> ImportedUnplaced | None:
    """A row with no hidden ID that carries a value or a note: kept as written, never dropped."""
    value = row.value.value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        written = format_vi(Decimal(figure_from_number(value, row.value.number_format)))
    else:
        written = _flat(_text(value))
    note = _note(_text(row.note.value))
    if not written and not note:
        return None
    return ImportedUnplaced(_flat(row.number), _flat(row.label) or "(no label)", written, note,
                            f"{source}:{row.line}")


def read_returned_form(path: Path, catalogue: Catalogue) -> ReturnedForm | None:
    """The form's department, period, version and values; None when the file is no form written by `build.py
    form` (or cannot be opened: the ordinary readers then say why)."""
    if not is_returned_form(path):
        return None
    try:
        marks, rows, problems = (_xlsx_rows if path.suffix.lower() == ".xlsx" else _docx_rows)(path)
    except (UnreadableDocument, KeyError):
        return None
    source = path.name
    department, period, form_id = marks.get("department", ""), marks.get("period", ""), marks.get("form", "")
    form = catalogue.forms.get(form_id)
    hint = "fill in a new copy of the form (build.py form) and copy the figures into it"
    if marks.get("layout") != LAYOUT or form is None or not any(row.indicator for row in rows):
        why = (f"it is laid out as version '{marks.get('layout')}' of the form file, which this program does not "
               "read" if marks.get("layout") != LAYOUT else f"it is on form version '{form_id}', which data/forms/ "
               "does not have" if form is None else "its table of rows is missing")
        return ReturnedForm(department, period, form_id, (), (), (*problems, Problem(
            Severity.ERROR, "E642", f"the returned form cannot be read by its hidden row IDs: {why}",
            Origin(source), hint)))
    out: list[Problem] = list(problems)
    found: dict[str, ImportedValue] = {}
    read_as_text: list[ReadAsText] = []
    unplaced: list[ImportedUnplaced] = []
    moved: list[Problem] = []
    seen: set[str] = set()
    printed = {line.indicator: line for line in form_lines(catalogue, form) if line.indicator}
    for row in rows:
        indicator, value_cell, note_cell, line = row.indicator, row.value, row.note, row.line
        if not indicator:
            kept = _unplaced(row, source)
            if kept is not None:
                unplaced.append(kept)
            continue
        if not form.has(indicator) or indicator in seen:
            out.append(Problem(Severity.ERROR, "E642", f"row {line} has the hidden ID '{indicator}', "
                               + ("which appears twice" if indicator in seen else f"which is not a row of form "
                                  f"{form.id}"), Origin(source, line, COLUMNS.index("id") + 1), hint))
            continue
        seen.add(indicator)
        label = printed[indicator].label  # as the clerk sees it
        differs = [(what, ours, theirs) for what, ours, theirs in
                   (("label", printed[indicator].label, row.label), ("number", printed[indicator].number, row.number),
                    ("unit", printed[indicator].unit, row.unit))
                   if (ours or what == "label") and _flat(ours) != _flat(theirs)]
        if differs:
            out.append(Problem(Severity.ERROR, "E642", f"row {line} has the hidden ID '{indicator}', whose "
                               + " and ".join(f"{what} is {_quoted(ours)}" for what, ours, _ in differs)
                               + ", but the row's " + " and ".join(f"{what} is {_quoted(theirs)}"
                                                                   for what, _, theirs in differs),
                               Origin(source, line, COLUMNS.index(differs[0][0]) + 1),
                               "the rows were sorted or moved without the hidden ID column, or a label was edited: "
                               "undo it in the file (sort or move whole rows only), or fill in a new copy of the form "
                               "(build.py form) and copy the figures into it"))
            continue
        for what, now in _anchored(row):
            where = "was deleted (or another cell was moved over it)" if now == "#REF!" else f"now stands at {now}"
            moved.append(Problem(Severity.ERROR, "E643", f"row {line} ({indicator}, '{label}'): its {what} cell "
                                 f"{where}", Origin(source, line, COLUMNS.index(what) + 1), _MOVED_HINT))
        kind = catalogue.kinds[catalogue.indicators[indicator].kind]
        figure, why = _figure(value_cell, kind)
        if why:
            out.append(Problem(Severity.ERROR, "E641", f"{value_cell.place} ({indicator}, '{label}'): {why}",
                               Origin(source, value_cell.line, value_cell.column),
                               "choose from the cell's list or type the figure with the digits 0-9 (1.076, 99,99); "
                               "leave the cell empty if it is not reported"))
            continue
        if isinstance(value_cell.value, str) and value_cell.value.strip() and not kind.codes \
                and figure != value_cell.value.strip():
            read_as_text.append(ReadAsText(value_cell.place, indicator, " ".join(value_cell.value.split()), figure))
        note = note_cell.value
        text = "" if note is None else sheet_text(note) if isinstance(note, str) else _shown(note)
        found[indicator] = ImportedValue(indicator, figure, _note(text), line)
    if len(moved) > _MOVED_SHOWN:  # a cell deleted with "shift cells up" moves every cell below it
        rest, first = len(moved) - _MOVED_SHOWN, moved[_MOVED_SHOWN].origin
        moved = moved[:_MOVED_SHOWN] + [Problem(Severity.ERROR, "E643", f"{rest} more value or note cell(s) stand "
                                                f"away from their rows, from row {first.line} on", first,
                                                _MOVED_HINT)]
    out += moved
    missing = [row.indicator for row in form.rows if row.indicator not in seen]
    if missing:
        out.append(Problem(Severity.ERROR, "E642", f"the form has no row with the hidden ID of {len(missing)} "
                           f"row(s) of form {form.id}: {', '.join(missing[:5])}" + (" …" if len(missing) > 5 else ""),
                           Origin(source), hint))
    values = tuple(found[row.indicator] for row in form.rows if row.indicator in found)
    return ReturnedForm(department, period, form.id, file_template_notes(values, form), tuple(read_as_text),
                        tuple(out), tuple(unplaced))


def _shown(value: object) -> str:
    if isinstance(value, (datetime, date)):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _figure(cell: _Cell, kind: ValueKind) -> tuple[str, str]:
    value = cell.value
    if value is None or (isinstance(value, str) and not value.strip()):
        return "", ""  # not reported: never 0
    if isinstance(value, bool):
        return "", f"'{value}' is a true/false value, not a figure"
    if isinstance(value, (int, float)):
        return figure_from_number(value, cell.number_format), ""
    if isinstance(value, str):
        return figure_from_text(value, kind)
    return "", f"'{_shown(value)}' is a date, not a figure"


# --- the import ---------------------------------------------------------------------

def _whose(catalogue: Catalogue, department: str, period: str) -> str:
    body = catalogue.departments.get(department)
    when = catalogue.periods.get(period)
    return (f"{body.name_vi} ({department})" if body else f"'{department}'") + " for " + \
        (f"{when.label_vi} ({period})" if when else f"'{period}'")


def import_returned_form(args: argparse.Namespace, project, catalogue: Catalogue, path: Path, target: Path,
                         name: str, reads_back: Callable[[str, ImportedReport, str], Problem | None]) -> int | None:
    """`build.py import` of a returned form: the exit code, or None when the file is no such form."""
    import sys

    from ..output.write import write_text_atomically
    from ..commands.common import check_new_file, print_problems

    returned = read_returned_form(path, catalogue)
    if returned is None:
        return None
    source = args.file
    if (returned.department, returned.period) != (args.department, args.period) \
            or (args.form and args.form != returned.form):
        asked = f"{args.department} for {args.period}" + (f" on form {args.form}" if args.form else "")
        print_problems([Problem(Severity.ERROR, "E640", f"this is the form of "
                                f"{_whose(catalogue, returned.department, returned.period)} on form {returned.form}, "
                                f"not of {asked}", Origin(source),
                                f"import it with --department {returned.department} --period {returned.period}, or "
                                f"send {args.department} its own form (build.py form --department {args.department} "
                                f"--period {args.period})")])
        print("import: nothing was written", file=sys.stderr)
        return 1
    warnings = [p for p in returned.problems if p.severity is Severity.WARNING]
    if len(warnings) < len(returned.problems):
        print_problems(list(returned.problems))
        print(f"import: {sum(p.severity is Severity.ERROR for p in returned.problems)} cell(s) or row(s) of the "
              "returned form cannot be read as they are; nothing was written", file=sys.stderr)
        return 1
    body = catalogue.departments[returned.department]
    info = DocumentInfo(title=f"{catalogue.forms[returned.form].label_vi}: {body.name_vi}, "
                        f"{catalogue.periods[returned.period].label_vi}", value_column=body.name_vi, source=path.name)
    record = ImportedReport(returned.department, returned.period, returned.form, info, (), returned.values,
                            returned.unplaced)
    text = report_yaml(record, catalogue, header_comment(catalogue, returned.department, returned.period, path.name)
                       .replace("every value and note as the department wrote it", "the form the department filled "
                                "in, read by its row IDs"))
    unreadable = reads_back(text, record, name)
    if unreadable:
        print_problems([unreadable])
        print(f"import: {name} would not read back as written; nothing was written", file=sys.stderr)
        return 1
    write_text_atomically(target, text)
    print(f"import: wrote {name} from the returned form (form {returned.form}, read by its row IDs): "
          f"{len(returned.values)} rows ({sum(bool(v.value) for v in returned.values)} with a value)", file=sys.stderr)
    if returned.read_as_text:
        print(f"import: {len(returned.read_as_text)} figure(s) were typed as text and read the Vietnamese way; "
              "check each against the form:", file=sys.stderr)
        for item in returned.read_as_text:
            print(f"  {source}: {item.place} ({item.indicator}): '{item.text}' read as {item.read}", file=sys.stderr)
    hints = sum(bool(v.template_note) for v in returned.values)
    if hints:
        print(f"import: {hints} note(s) are the form's own instructions, written as template_note "
              "(shown as the form's, not as the department's note)", file=sys.stderr)
    if returned.unplaced:
        print(f"import: {len(returned.unplaced)} row(s) with no hidden ID (a row added to the form, or an area's "
              "title row) carry a value or a note; kept under 'unplaced:' as written and published so (W315); "
              "check each against the form:", file=sys.stderr)
        where = "row" if path.suffix.lower() == ".xlsx" else "table row"
        for row in returned.unplaced:
            print(f"  {source}: {where} {row.source.rpartition(':')[2]}: '{row.label}'"
                  + (f" = {row.value}" if row.value else "") + (f", note '{_flat(row.note)}'" if row.note else ""),
                  file=sys.stderr)
    return check_new_file(args, project, name, warnings, "import")
