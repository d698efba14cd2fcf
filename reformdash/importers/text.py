"""Read the statistics appendix from a tab-separated text extraction.

The reference reports are plain text whose appendix rows are five
tab-separated cells: STT, indicator label, unit, value, note. Page breaks
repeat the header rows and leave blank lines; both are skipped here.
"""
from __future__ import annotations

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
    lines = text.splitlines()
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
