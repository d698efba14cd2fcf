"""Read a plan from a tab-separated text export for `build.py import-plan`.

A line with a tab is a table row, its cells separated by tabs; any other line
is a paragraph of its own. A cell that holds several lines is written as a
spreadsheet writes it in a tab-separated export (Excel, LibreOffice: "Text,
tab-delimited"): in double quotes, a quote inside doubled (""), the line breaks
kept. A cell that only starts with a quote ("Ngày hội" CCHC) is read as
written. A vertically merged cell is written once, in its first row, and left
empty below, as those exports do. Lines are the file's lines (1-based): a row
is numbered by the line it starts on. UTF-8 (with or without BOM) or UTF-16
with its BOM ("Unicode Text").
"""
from __future__ import annotations

from pathlib import Path

from .record import SourceDocument, SourceTable, UnreadableDocument


def _quoted(lines: list[str], index: int, pos: int) -> tuple[str, int, int] | None:
    """The quoted cell starting at lines[index][pos] ('"'): (text, line index, position after it),
    or None when it is not a well-formed quoted cell."""
    parts: list[str] = []
    line, pos = lines[index], pos + 1
    while True:
        quote = line.find('"', pos)
        if quote == -1:
            if index + 1 >= len(lines):
                return None  # never closed
            parts += [line[pos:], "\n"]
            index, line, pos = index + 1, lines[index + 1], 0
            continue
        parts.append(line[pos:quote])
        if line.startswith('"', quote + 1):
            parts.append('"')
            pos = quote + 2
            continue
        after = quote + 1
        if after < len(line) and line[after] != "\t":
            return None  # text after the closing quote: the quote is part of the cell
        return "".join(parts), index, after


def _row(lines: list[str], start: int) -> tuple[tuple[str, ...], int]:
    """The cells of the row starting at lines[start], and the index of the line after it."""
    cells: list[str] = []
    index, pos = start, 0
    while True:
        line = lines[index]
        found = _quoted(lines, index, pos) if line.startswith('"', pos) else None
        if found is not None:
            text, index, pos = found
            line = lines[index]
        else:
            tab = line.find("\t", pos)
            text, pos = (line[pos:], len(line)) if tab == -1 else (line[pos:tab], tab)
        cells.append(text)
        if pos >= len(line):
            return tuple(cells), index + 1
        pos += 1  # the tab


def text_plan_document(text: str) -> SourceDocument:
    """Paragraphs (one per line) and tables (runs of tab-separated rows) in order."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    blocks: list[str | SourceTable] = []
    table: list[tuple[int, tuple[str, ...]]] = []
    index = 0
    while index < len(lines):
        line = lines[index]
        if "\t" in line or line.startswith('"'):
            cells, following = _row(lines, index)
            if len(cells) > 1:  # a row; a line in quotes alone is a paragraph
                table.append((index + 1, cells))
                index = following
                continue
        if table:
            blocks.append(SourceTable(tuple(table)))
            table = []
        blocks.append(lines[index].strip())
        index += 1
    if table:
        blocks.append(SourceTable(tuple(table)))
    return SourceDocument(tuple(blocks))


def read_plan_text(path: Path) -> SourceDocument:
    raw = path.read_bytes()
    try:
        if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
            text = raw.decode("utf-16")
        else:
            text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise UnreadableDocument(f"not UTF-8 text ({error.reason})") from error
    return text_plan_document(text)
