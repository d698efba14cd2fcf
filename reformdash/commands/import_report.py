"""import: read a department's appendix (PDF, text, DOCX, XLSX) into data/<department>/<period>.yaml."""
from __future__ import annotations

import argparse
import importlib
import re
import sys
from dataclasses import replace
from pathlib import Path
from typing import Callable

from ..inputs.catalogue import load_catalogue
from ..inputs.fields import closest, shown
from ..inputs.load import MAX_FILE_BYTES, MAX_NARRATIVE_BYTES, Mapping, Scalar, parse_yaml
from ..output.write import leaves_project, write_text_atomically
from ..problems import Collector, Origin, Problem, Severity, relative_name
from ..importers.narrative import appendix_start, narrative_markdown
from ..inputs.period_named import kind_named, names_another_period, normalise_label, other_period, period_named
from ..importers.text import pdf_text_header
from ..importers.match import FormMatch, LikelyMatch, detect_form, load_labels, match_appendix
from ..importers.record import (ImportedReport, ImportedUnplaced, SourceDocument, SourceTable, UnreadableDocument,
                                appendix_parts, appendix_sheets, document_details, file_template_notes, find_appendix, header_comment,
                                nearest_header, report_yaml, text_document)
from .common import add_project_arguments, check_new_file, print_problems, project_of

HELP = "import a report's statistics appendix from .pdf, .txt, .docx or .xlsx into data/"

DESCRIPTION = HELP + """.
The appendix is the table whose header row has "STT" and "Chỉ tiêu"; each row is matched
with a form row by its label and the group heading above it; a row no label names is placed by
likeness and order, and listed for the clerk to confirm. A PDF is read from its text
layer (a scan needs OCR first). Problem lines point at the source: a text line, a .pdf or
.docx table row or an .xlsx sheet row. Nothing is written unless every cell could be read; the
file written is then checked as `check` would, and a figure it refuses (a 3 in a yes/no row) is
reported against the data file, where it is corrected or acknowledged."""


def _read_text(path: Path, catalogue=None, labels=None, form: str | None = None) -> SourceDocument:
    """Tab-separated text; or text pulled out of a PDF (no tabs), read row by row of the form."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        raise UnreadableDocument(f"not UTF-8 text ({error.reason})") from error
    if catalogue is not None and pdf_text_header(text) is not None:
        from ..importers.pdf_text import read_pdf_text_document
        return read_pdf_text_document(text, catalogue, labels, form)
    return text_document(text)


# suffix -> reader (module under reformdash.importers, function); imported only when used
READERS = {
    ".txt": _read_text,
    ".tsv": _read_text,
    ".docx": ("docx_reader", "read_docx_document"),
    ".xlsx": ("xlsx_reader", "read_xlsx_document"),
    ".pdf": ("pdf_reader", "read_pdf_document"),
}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.description = DESCRIPTION
    parser.add_argument("file", help="the report: " + ", ".join(READERS))
    parser.add_argument("--department", required=True, help="department ID (data/departments.yaml)")
    parser.add_argument("--period", required=True, help="period ID (data/periods.yaml)")
    parser.add_argument("--form", help="form version ID (data/forms/); default: the one whose labels match best")
    parser.add_argument("--value-column", metavar="CAPTION",
                        help="words of the caption of the column that holds this period's figures, where the "
                             "appendix has more than one column that could (\"Kỳ này\")")
    parser.add_argument("--sheet", metavar="NAME",
                        help="the workbook sheet to read, where more than one sheet holds an appendix")
    parser.add_argument("--force", action="store_true", help="replace the data file if it exists")
    parser.add_argument("--accept-unmatched", action="store_true",
                        help="write the file even if some rows match no form row (kept under 'unplaced:' as "
                             "written, and published so)")
    parser.add_argument("--accept-missing", action="store_true",
                        help="write the file even if the document has rows for less than half of the form's rows "
                             "(E624: the appendix is really cut short)")
    add_project_arguments(parser)


def _one_appendix(document: SourceDocument, appendix, after: Callable, catalogue, labels, source: str,
                  faults: list[Problem]):
    """The appendix among the tables headed as one that hold rows of a form, and the names of those left aside
    (`after(block)`: the next table headed as the appendix after that block). One table a third the size of another
    or less is a summary beside the appendix (a few figures the narrative sums up); tables nearer in size are two
    reports in one document (last period's kept beside this one's): E618, nothing read."""
    tables, later = [appendix], after(appendix.last_block)
    while later is not None and len(tables) < 20:
        if detect_form(list(later.rows), catalogue, labels) is not None:
            tables.append(later)
        later = after(later.last_block)

    def named(table) -> str:  # (the document's n-th table: its rows are counted from 1 in each)
        number = sum(isinstance(block, SourceTable) for block in document.blocks[:table.first_block + 1])
        return f"table {number} ({len(table.rows)} rows)"

    largest = max(tables, key=lambda table: len(table.rows))
    others = [table for table in tables if table is not largest]
    if all(len(table.rows) * 3 <= len(largest.rows) for table in others):
        return largest, [named(table) for table in others]
    faults.append(Problem(Severity.ERROR, "E618", f"{len(tables)} tables hold an appendix: "
                          + ", ".join(named(table) for table in tables), Origin(source),
                          "delete the tables of other periods from the document (or copy this period's table into a "
                          "document of its own) and import it again"))
    return appendix, []


# Words of a caption over figures that are not the period's own: a plan's or target's ("KH Quý I/2023"), an estimate,
# a quarter within a longer period ("Quý II/2023" beside the six months' "Lũy kế 6 tháng")
_NOT_OWN_FIGURES = re.compile(r"\b(kh|ke hoach|chi tieu|muc tieu|uoc|du kien|du bao|quy (ii|2|iv|4))\b")


def _column_of_period(appendix, period, catalogue) -> tuple[str, list[str]] | None:
    """(the caption, the others) when more than one column could hold the figures, exactly one caption names
    `period` ("Quý I/2023", "Quý I năm 2023", "9 tháng năm 2023") with no word of other figures, and each of the
    others names another period ("Quý IV/2022", "Năm 2022"). Anything less stays for the clerk to name (E617)."""
    if appendix is None or not appendix.value_columns or appendix.value_columns[2]:
        return None
    captions = appendix.value_columns[1]

    def named(caption: str) -> tuple[str, int | None] | None:
        found = period_named(caption, catalogue)
        return (found.kind, found.year) if found is not None else kind_named(caption)

    own = [c for c in captions if named(c) == (period.kind, period.year)
           and not _NOT_OWN_FIGURES.search(normalise_label(c))]
    others = [c for c in captions if c not in own]
    if len(own) != 1 or not all(named(c) not in (None, (period.kind, period.year)) for c in others):
        return None
    return own[0], others


def _choice(option: str, names: list[str], catalogue, period_id: str) -> str:
    """The option to give, with the one name that does not name another period than `period_id`; the names to
    choose from when that is not one (a hint that named the first or last of them sent a clerk to last year's)."""
    period = catalogue.periods.get(period_id)
    fitting = [name for name in names if period is not None
               and not names_another_period(name, period, catalogue)]
    if len(fitting) == 1:
        return f'{option} "{shown(fitting[0])}"'
    return f"{option} with one of " + ", ".join(f'"{shown(name)}"' for name in names)


def _usage(message: str) -> int:
    print(f"import: {message}", file=sys.stderr)
    return 2


def _read(path: Path, catalogue=None, labels=None, form: str | None = None) -> SourceDocument:
    reader = READERS[path.suffix.lower()]
    if reader is _read_text:  # a PDF's text is read guided by the form: it needs the catalogue
        return _read_text(path, catalogue, labels, form)
    if isinstance(reader, tuple):
        module = importlib.import_module(f"..importers.{reader[0]}", __package__)
        reader = getattr(module, reader[1])
    return reader(path)


# what to do about a row that matches no form row, by UnmatchedRow.kind
WHAT_TO_DO = {
    "unknown": "closest: {near}. If it is one of them, add the label to that indicator's aliases "
               "(data/catalogue/indicators.yaml) or the misspelling to data/catalogue/spelling-variants.yaml",
    "ambiguous": "candidates: {near}. Put the row under its group heading in the document, or make the "
                 "heading above it match its form label",
    "repeated": "same as {near}: remove one of the two rows from the document",
}


def _match_problems(result: FormMatch, source: str, accept: bool, catalogue) -> list[Problem]:
    problems = []
    severity, code = (Severity.WARNING, "W601") if accept else (Severity.ERROR, "E601")
    # A form row an unmatched row was close to is not also "missing" (W602): the document has
    # the row, under another label. The unmatched row's problem names it instead.
    near_missing = {c.indicator for item in result.unmatched for c in item.candidates} & set(result.missing)
    for item in result.unmatched:
        near = "; ".join(f"'{c.label}'" + (f" under '{c.group}'" if c.group else "") + f" ({c.indicator})"
                         for c in item.candidates)
        probably = next((c for c in item.candidates if c.indicator in near_missing), None)
        row = item.row
        named = f"row '{row.number + ' ' if row.number else ''}{row.label}'" if row.label.strip() else \
            "a row with no label (" + ", ".join(f"{what} '{shown(text)}'" for what, text in
                                               (("STT", row.number), ("unit", row.unit), ("figure", row.value),
                                                ("note", row.note)) if text.strip()) + ")"
        problems.append(Problem(
            severity, code, f"{named} matches no row of form {result.form}: {item.reason}"
            + ("; kept under 'unplaced:' as written" if accept else ""),
            Origin(source, item.row.line, 1),
            (f"it is probably '{probably.label}' ({probably.indicator}), which no other row of the document "
             "gives; " if probably else "")
            + WHAT_TO_DO[item.kind].format(near=near)
            + ("" if accept else "; to keep the row as written, outside the form's rows, rerun with "
                                 "--accept-unmatched")))
    for indicator in result.missing:
        if indicator in near_missing:
            continue
        problems.append(Problem(Severity.WARNING, "W602", f"the document has no row for '{indicator}' "
                                f"({catalogue.indicators[indicator].label_vi}); it is left out of the data file",
                                Origin(source), "check that the department's copy of the form really lacks it"))
    return problems


def _no_appendix(document: SourceDocument, appendix, source: str) -> Problem:
    """E603 when no appendix is read: what was looked for, and the line that came nearest."""
    hint = "is this the report with its appendix (Phụ lục: Thống kê số liệu)? Its header row needs the columns " \
           "'STT' and 'Chỉ tiêu' in cells of their own"
    if appendix is None:
        what = "no table has a header row with 'STT' and 'Chỉ tiêu'"
        nearest = nearest_header(document)
        if nearest:
            line, text, is_row = nearest
            what += f"; the nearest is {'line ' + str(line) + ', ' if line else ''}\"{text}\"" \
                + ("" if is_row else ", a line of text, not a table row")
            if not is_row and source.lower().endswith(".pdf"):  # a table drawn without ruled lines
                hint = "the PDF's table has no ruled lines to follow: extract its text with `pdftotext -layout " \
                       "FILE.pdf FILE.txt` and import the .txt, or import the .docx or .xlsx it was made from"
    else:
        what = "the appendix table has no rows" if not appendix.rows else "no row label matches any form version"
    return Problem(Severity.ERROR, "E603", f"no statistics appendix found: {what}", Origin(source), hint)


def _reads_back(text: str, record: ImportedReport, name: str) -> Problem | None:
    """E616 when the data file about to be written would not read back, with the project's own
    loader, as what was meant: a file `check` would refuse is never written."""
    problems = Collector()
    size = len(text.encode("utf-8"))
    root = parse_yaml(text, name, problems) if size <= MAX_FILE_BYTES else None
    why = f"it would be {size} bytes, more than the {MAX_FILE_BYTES} `check` reads" if size > MAX_FILE_BYTES \
        else problems.errors[0].format() if problems.has_errors() else ""
    if not why and isinstance(root, Mapping):
        document, values = root.get("document"), root.get("values")
        for key in ("title", "number", "date_line", "value_column", "source"):
            node = document.get(key) if isinstance(document, Mapping) else None
            read = node.text if isinstance(node, Scalar) else ""
            if read != getattr(record.document, key):
                why = f"the document's {key} would read back as {read!r}, not {getattr(record.document, key)!r}"
        for item in record.values:
            node = values.get(item.indicator) if isinstance(values, Mapping) else None
            note = node.get("note") if isinstance(node, Mapping) else None
            read = note.text if isinstance(note, Scalar) else ""
            if read != item.note:
                why = why or f"the note of {item.indicator} would read back as {read!r}, not {item.note!r}"
            hint = node.get("template_note") if isinstance(node, Mapping) else None
            read = hint.text if isinstance(hint, Scalar) else ""
            if read != item.template_note:
                why = why or f"the template note of {item.indicator} would read back as {read!r}, " \
                              f"not {item.template_note!r}"
    if not why:
        return None
    return Problem(Severity.ERROR, "E616", f"the data file would not read back as written: {why}", Origin(name),
                   "report this with the document; meanwhile remove unusual characters from the text it names")


def run(args: argparse.Namespace) -> int:
    project = project_of(args)
    problems = Collector()
    catalogue = load_catalogue(project.data_dir, project.root, problems)
    labels = load_labels(project.data_dir, project.root, problems)
    if problems.has_errors():
        print_problems(problems.sorted())
        return 1
    for what, value, known in (("department", args.department, catalogue.departments),
                               ("period", args.period, catalogue.periods),
                               ("form", args.form, catalogue.forms)):
        if value is not None and value not in known:
            near = closest(value, known)
            return _usage(f"unknown {what} '{value}'" + (f" (did you mean '{near}'?)" if near else ""))
    path, source = Path(args.file), args.file
    if path.suffix.lower() not in READERS:
        return _usage(f"cannot read '{path.suffix}' files; use one of " + ", ".join(READERS))
    if not path.is_file():
        return _usage(f"no such file: {source}")
    target = project.data_dir / args.department / f"{args.period}.yaml"
    name = relative_name(target, project.root)
    if leaves_project(target, project.root):  # data/<department> linking elsewhere: nothing is written there
        print(f"import: {name} lies outside the project (a folder on the way is a link); nothing was written",
              file=sys.stderr)
        return 1
    if target.exists() and not args.force:
        print(f"import: {name} exists; nothing was written (use --force to replace it)", file=sys.stderr)
        return 1

    if path.suffix.lower() in (".xlsx", ".docx"):  # a form written by `build.py form`: read exactly, by its row IDs
        from ..importers.returned_form import import_returned_form
        returned = import_returned_form(args, project, catalogue, path, target, name, _reads_back)
        if returned is not None:
            return returned
    try:
        document = _read(path, catalogue, labels, args.form)
    except UnreadableDocument as error:
        print_problems([Problem(Severity.ERROR, error.code, f"cannot read the file: {error}", Origin(source),
                                error.hint)])
        return 1
    # cells the reader could not take as they are: errors, reported with everything else found
    faults = [Problem(Severity.ERROR, f.code, f.message, Origin(source, f.line, f.column), f.hint)
              for f in document.faults]
    notices = [Problem(Severity.WARNING, f.code, f.message, Origin(source, f.line, f.column), f.hint)
               for f in document.notices]
    sheets = appendix_sheets(document)
    if args.sheet is not None and args.sheet not in dict(sheets):
        return _usage(f"no sheet '{shown(args.sheet)}' holds an appendix in {path.name}"
                      + (f"; these do: {', '.join(repr(name) for name, _ in sheets)}" if sheets else ""))
    visible = [name for name, hidden in sheets if not hidden]
    if len(visible) > 1:  # a sheet whose "STT | Chỉ tiêu" table has no row of any form (the contacts) is no appendix
        visible = [name for name in visible if (found := find_appendix(document, sheet=name)) is not None
                   and detect_form(list(found.rows), catalogue, labels) is not None] or visible
    # the parts of one appendix laid out a page a sheet are read together; two reports side by side are not
    parts = args.sheet is None and len(visible) > 1 and appendix_parts(document, visible)
    if args.sheet is None and len(visible) > 1 and not parts:
        faults.append(Problem(
            Severity.ERROR, "E618", f"{len(visible)} sheets hold an appendix: "
            + ", ".join(f"'{shown(name)}'" for name in visible), Origin(source),
            f"name the one with this period's report: {_choice('--sheet', visible, catalogue, args.period)} "
            "(or delete the others)"))
    def appendix_read(value_column: str | None, faults: list[Problem]):
        def after(block: int):  # the next table headed as the appendix after that block (-1: the first)
            return find_appendix(document, value_column, args.sheet, bool(parts), block)

        appendix = first = after(-1)
        # a small table headed "STT | Chỉ tiêu" in the narrative, before the appendix: no row of any form, so the
        # appendix is the next such table that has them
        while appendix is not None and not args.form and detect_form(list(appendix.rows), catalogue, labels) is None:
            appendix = after(appendix.last_block)
        appendix = appendix or first
        summaries: list[str] = []  # small tables headed as the appendix, left aside
        if appendix is not None and not args.form:
            appendix, summaries = _one_appendix(document, appendix, after, catalogue, labels, source, faults)
        return appendix, summaries

    read_faults: list[Problem] = []
    appendix, summaries = appendix_read(args.value_column, read_faults)
    by_period = _column_of_period(appendix, catalogue.periods[args.period], catalogue) \
        if args.value_column is None and args.period in catalogue.periods else None
    if by_period is not None:  # columns captioned with their periods ("Quý IV/2022 | Quý I/2023"): this period's
        read_faults = []
        appendix, summaries = appendix_read(by_period[0], read_faults)
        print(f"import: the figures were read from the column '{shown(by_period[0])}', which names {args.period}, "
              f"not from {', '.join(repr(shown(c)) for c in by_period[1])}", file=sys.stderr)
    faults += read_faults
    if appendix is not None and appendix.value_columns:
        line, captions, only_others = appendix.value_columns
        listed = ", ".join(f"'{shown(c)}'" for c in captions)
        faults.append(Problem(
            Severity.ERROR, "E617", f"no column of the appendix is captioned as this period's figures: {listed} "
            "(captioned as another period's, last year's or the plan's)" if only_others else
            f"more than one column of the appendix could hold this period's figures: {listed}", Origin(source, line, 1),
            "caption the column of this period's figures in the document, or name it with --value-column (words of its "
            "caption)" if only_others else "name the one to read with --value-column (words of its caption: "
            f"{_choice('--value-column', captions, catalogue, args.period)}); a column of the previous period, last year "
            "or the plan is left out by itself when its caption says so (Kỳ trước, Cùng kỳ, Kế hoạch)"))
    for line, figure in appendix.misplaced if appendix is not None else ():
        faults.append(Problem(Severity.ERROR, "E619", f"the figure '{shown(figure)}' stands in a column with no caption, "
                              "not under the figures' caption", Origin(source, line, 1),
                              "align the row's cells with the header's columns (in Word a column border moved for "
                              "some rows splits the columns) or type the figure under the figures' caption"))
    form_id = args.form or (detect_form(list(appendix.rows), catalogue, labels) if appendix else None)
    if appendix is None or not appendix.rows or form_id is None:
        print_problems(faults + notices + [_no_appendix(document, appendix, source)])  # (a hidden row may say why)
        return 1
    result = match_appendix(list(appendix.rows), catalogue.forms[form_id], catalogue, labels, appendix.page_ends)
    form_rows = len(catalogue.forms[form_id].rows)
    if len(result.missing) * 2 > form_rows and not args.accept_missing:
        # (an appendix whose later pages were read as other tables had been written with a tenth of its rows,
        # with exit 0 and a warning per row missing)
        faults.append(Problem(
            Severity.ERROR, "E624", f"the appendix read has rows for {form_rows - len(result.missing)} of the "
            f"{form_rows} rows of form {form_id}", Origin(source, appendix.rows[-1].line if appendix.rows else 0, 1),
            "check that the document holds the whole appendix: its later part may stand in tables that were not "
            "read as part of it (after a note, a page's header or footer, or a table started anew); if the appendix "
            "is really this short, import it with --accept-missing"))
    found = faults + notices + _match_problems(result, source, args.accept_unmatched, catalogue)
    if faults or (result.unmatched and not args.accept_unmatched):
        print_problems(found)
        unclear = sum(f.code in ("E617", "E618") for f in faults)
        short = [f.code for f in faults] == ["E624"]
        print(f"import: {len(result.unmatched)} row(s) match no row of form {form_id}; nothing was written"
              if not faults else "import: the appendix read is cut short; nothing was written" if short
              else f"import: {len(faults)} cell(s) or row(s) cannot be read as they are; nothing was written"
              if not unclear else "import: which sheet, table or column holds this period's figures is not clear; nothing "
              "was written", file=sys.stderr)
        return 1

    info, contacts = document_details(document, path.name, appendix.value_column)
    elsewhere = other_period(info, catalogue.periods[args.period], catalogue)
    if elsewhere:
        found.append(Problem(Severity.WARNING, "W624", f"the document looks like another period's report than "
                             f"{args.period}: {elsewhere}", Origin(source),
                             f"check --period; if the document is another period's report, import it again with "
                             f"that period and --force, and delete {name}"))
    for option, what, chosen in (("--sheet", "sheet", args.sheet),
                                  ("--value-column", "column", args.value_column and appendix.value_column)):
        if chosen and names_another_period(chosen, catalogue.periods[args.period], catalogue):
            found.append(Problem(Severity.WARNING, "W624", f"the {what} '{shown(chosen)}' named with {option} looks "
                                 f"like another period's than {args.period}", Origin(source),
                                 f"check that it holds the figures of {args.period}; if not, name the right one with "
                                 f"{option}, import again with --force"))
    # A row that matches no form row but carries a figure or a note is kept, never dropped (W315 in check).
    unplaced = tuple(ImportedUnplaced(item.row.number, item.row.label or "(no label)", item.row.value, item.row.note,
                                      f"{path.name}:{item.row.line}")
                     for item in result.unmatched if item.row.value.strip() or item.row.note.strip())
    # an area's title row that carries a figure or a note: no indicator holds it, so it is kept the same way
    unplaced += tuple(ImportedUnplaced(row.number, row.label or "(no label)", row.value, row.note,
                                       f"{path.name}:{row.line}") for row in result.areas)
    # a row placed by likeness carries how alike it is, for the data file's comment beside it
    likely = {m.row.line: m for m in result.likely}
    values = tuple(replace(v, likeness=likely[v.source_line].likeness, document_label=likely[v.source_line].row.label)
                   if v.source_line in likely else v for v in result.values)
    by_rule = [f for f in document.notices if f.code == "W623"]  # (the other notices are about the whole document)
    settled = {f.line: f.message.split("': ", 1)[-1] for f in by_rule}
    values = tuple(replace(v, to_confirm=settled[v.source_line]) if v.source_line in settled else v for v in values)
    values, worded = _figures_in_words(values, catalogue)
    values = file_template_notes(values, catalogue.forms[form_id], appendix.italic_notes)
    record = ImportedReport(args.department, args.period, form_id, info, contacts, values, unplaced)
    text = report_yaml(record, catalogue, header_comment(catalogue, args.department, args.period, info.source))
    unreadable = _reads_back(text, record, name)
    if unreadable:
        print_problems([unreadable])
        print(f"import: {name} would not read back as written; nothing was written", file=sys.stderr)
        return 1
    write_text_atomically(target, text)
    print(f"import: wrote {name}: form {form_id}, {len(result.values)} rows "
          f"({sum(bool(v.value) for v in result.values)} with a value)", file=sys.stderr)
    for line in likely_summary(result.likely, source, name):
        print(line, file=sys.stderr)
    read = args.sheet or (visible[0] if visible else sheets[0][0] if sheets else None)
    if parts:
        print(f"import: the appendix goes on over the sheets {', '.join(repr(n) for n in visible)}, each with its own "
              "rows of the form; read together", file=sys.stderr)
    elif read is not None and len(sheets) > 1 or read in {name for name, hidden in sheets if hidden}:
        others = [name for name, _ in sheets if name != read]
        print(f"import: read the appendix on sheet '{shown(read)}'"
              + (" (a hidden sheet)" if read in {n for n, h in sheets if h} else "")
              + (f"; not read: {', '.join(repr(n) for n in others)}" if others else ""), file=sys.stderr)
    if appendix.merged_notes:
        print(f"import: {len(appendix.merged_notes)} figure cell(s) merged over the note's hold words, read as the "
              f"note with no figure: line(s) {', '.join(map(str, appendix.merged_notes[:12]))}"
              + (" …" if len(appendix.merged_notes) > 12 else ""), file=sys.stderr)
    if appendix.value_moved:
        print(f"import: the column captioned '{shown(appendix.value_moved[0])}' holds no figures; they were read from "
              f"'{shown(appendix.value_moved[1])}', the one other column holding figures", file=sys.stderr)
    if appendix.note_column:
        print(f"import: no column is captioned 'Ghi chú'; the notes were read from '{shown(appendix.note_column)}', "
              "the one other column holding words", file=sys.stderr)
    if summaries:
        print(f"import: the appendix was read from its largest table ({len(appendix.rows)} rows), not from the smaller "
              "one(s) headed like it: " + ", ".join(summaries), file=sys.stderr)
    if appendix.other_column:
        print(f"import: the figures were read from the column '{shown(appendix.other_column[1])}', not from "
              f"'{shown(appendix.other_column[0])}' (another period's or a plan's figures)", file=sys.stderr)
    if worded:
        print(f"import: {len(worded)} figure(s) written in words or with a sign were read as the form means them "
              "(check each against the document): " + "; ".join(f"{source}:{line}: '{shown(text)}' -> {figure}"
                                                              for line, text, figure in worded), file=sys.stderr)
    if result.areas:
        print(f"import: {len(result.areas)} area title row(s) carry a figure or a note, which no indicator holds: kept "
              "under 'unplaced:' as written and published so (W315): "
              + ", ".join(f"{source}:{row.line}" for row in result.areas), file=sys.stderr)
    if result.joined:
        print(f"import: {len(result.joined)} row(s) cut over two or more table rows (by a page break, or in a converted "
              "document) were joined into one: " + ", ".join(f"{source}:{first}-{last}" for first, last in result.joined),
              file=sys.stderr)
    if by_rule:
        print(f"import: {len(by_rule)} row(s) were read by a rule the text alone cannot prove (W623 below); "
              f"check each against the document (each is marked 'check' in {name})", file=sys.stderr)
    hints = sum(bool(v.template_note) for v in values)
    if hints:
        print(f"import: {hints} note(s) are the form's own instructions, written as template_note "
              "(shown as the form's, not as the department's note)", file=sys.stderr)
    for line in _write_narrative(document, project, args, path, appendix.first_block):
        print(line, file=sys.stderr)
    return check_new_file(args, project, name, found, "import")


_YAML_NUMBER = re.compile(r"^-?[0-9]+(\.[0-9]+)?$")


def _figures_in_words(values: tuple, catalogue) -> tuple[tuple, list[tuple[int, str, str]]]:
    """A coded row's answer written as its meaning ("Có", "Tốt"), a percentage with its sign ("99,99 %"):
    read as the form means them, as a returned form's typed text is; and (line, text, figure) of each.
    Anything else that is not a figure is left as written, for check to refuse (E204)."""
    from ..importers.returned_form import figure_from_text

    out, worded = [], []
    for item in values:
        kind = catalogue.kinds.get(catalogue.indicators[item.indicator].kind)
        if item.value and kind is not None and kind.holds_value and not _YAML_NUMBER.match(item.value):
            figure, why = figure_from_text(item.value, kind)
            if figure and not why:
                worded.append((item.source_line, item.value, figure))
                item = replace(item, value=figure)
        out.append(item)
    return tuple(out), worded


def likely_summary(likely: tuple[LikelyMatch, ...], source: str, name: str) -> list[str]:
    """The rows placed by likeness, not by their label: each with the form row it was taken as and how alike."""
    if not likely:
        return []
    out = [f"import: {len(likely)} row(s) of the document match a form row by likeness, not by their label; "
           f"check each against the document (each is marked 'check' in {name}):"]
    for m in likely:
        out.append(f"  {source}:{m.row.line}: '{shown(m.row.label)}' is taken as '{m.label}' ({m.indicator}), "
                   f"{round(m.likeness * 100)} % alike")
    return out


def _write_narrative(document: SourceDocument, project, args: argparse.Namespace, path: Path,
                     table: int = -1) -> list[str]:
    """content/<department>/<period>.md from the text before the appendix: written when there is none yet, or
    with --force; the summary's lines saying what was done."""
    target = project.content_dir / args.department / f"{args.period}.md"
    name = relative_name(target, project.root)
    # a text extraction marks bold as Markdown does; in any other format a '*' is the department's own
    text = narrative_markdown(document, appendix_start(document, table),
                              emphasis=path.suffix.lower() in (".txt", ".tsv"))
    if not text:
        return ["import: the document has no text before its appendix; no narrative was written"]
    if len(text.encode("utf-8")) > MAX_NARRATIVE_BYTES:
        return [f"import: the text before the appendix is more than {MAX_NARRATIVE_BYTES // 2**20} MB as Markdown; "
                f"{name} was not written (cut it down and save it there by hand)"]
    if leaves_project(target, project.root):
        return [f"import: {name} lies outside the project (a folder on the way is a link); no narrative was written"]
    if target.exists() and not args.force:
        return [f"import: {name} exists and was kept (use --force to replace it with the document's text)"]
    replaced = target.exists()
    if not write_text_atomically(target, text, replace=args.force):
        return [f"import: {name} appeared while importing and was kept"]
    return [f"import: {'replaced' if replaced else 'wrote'} {name}: the text before the appendix, as Markdown; "
            "check its headings and lists against the document"]
