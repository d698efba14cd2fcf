"""Read the statistics appendix from a tab-separated text extraction.

The reference reports are plain text whose appendix rows are five
tab-separated cells: STT, indicator label, unit, value, note. Page breaks
repeat the header rows and leave blank lines; both are skipped here.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class AppendixRow:
    """One row of an appendix table as printed, before matching."""

    line: int  # 1-based line in the source file
    number: str
    label: str
    unit: str
    value: str
    note: str


HEADER_START = "STT\tChỉ tiêu"


def _is_header_or_rule(cells: list[str]) -> bool:
    if cells[0].strip() == "STT":
        return True
    # The second header line: empty STT and label, then column captions.
    if not cells[0].strip() and not cells[1].strip():
        return True
    # A markdown-style rule left at the end of one extraction.
    return all(set(c.strip()) <= {"-"} for c in cells)


def read_appendix_text(text: str) -> list[AppendixRow]:
    """Return the appendix rows of a report text, in document order."""
    lines = re.split(r"\r\n|\r|\n", text)  # (not splitlines: U+2028 inside a cell ends no line)
    start = next((i for i, ln in enumerate(lines) if ln.startswith(HEADER_START)), None)
    if start is None:
        return []
    rows: list[AppendixRow] = []
    for index in range(start, len(lines)):
        cells = lines[index].split("\t")
        if len(cells) < 5:
            continue  # blank line of a page break
        cells = cells[:5]
        if _is_header_or_rule(cells):
            continue
        number, label, unit, value, note = (c.strip() for c in cells)
        rows.append(AppendixRow(index + 1, number, " ".join(label.split()), unit, value, note))
    return rows


def read_appendix_file(path: Path) -> list[AppendixRow]:
    return read_appendix_text(path.read_text(encoding="utf-8"))


def _folded(text: str) -> str:
    from .record import normalise_label  # record imports this module: imported when used
    return normalise_label(text)


def pdf_text_header(text: str) -> int | None:
    """The 1-based line of an appendix header written without tabs ("STT Chỉ tiêu thống kê …"),
    as pdfplumber and `pdftotext -layout` give it; None when there is none, or the text has tabs.

    `pdftotext` without -layout puts each column on lines of its own, so its "STT" and
    "Chỉ tiêu" lines stand apart, at most a few lines from each other."""
    if "\t" in text:
        return None
    lines = [_folded(line) for line in re.split(r"\r\n|\r|\n", text)]
    for number, line in enumerate(lines, 1):
        if line.startswith("stt chi tieu"):
            return number
        if line == "stt" and any(near.startswith("chi tieu") for near in lines[number:number + 12]):
            return number
    return None


def read_text_document(text: str):
    """A tab-separated report text as a SourceDocument (record.text_document). A PDF's
    text without tabs is refused (UnreadableDocument, E621) rather than read wrong: where
    a label ends and its unit, figure and note begin is not in such a text."""
    from .record import text_document

    header = pdf_text_header(text)
    if header is not None:
        from .record import UnreadableDocument
        error = UnreadableDocument(
            f"line {header} starts an appendix table whose columns are not separated by tabs: this is text "
            "pulled out of a PDF, where a label, its unit, its figure and its note cannot be told apart reliably")
        error.code = "E621"
        error.hint = "import the PDF itself, or the .docx or .xlsx it was made from"
        raise error
    return text_document(text)
