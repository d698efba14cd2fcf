"""How the open data is encoded: CSV and JSON, figures with exactly the digits the department wrote."""
from __future__ import annotations

import csv
import io
import json
import re
from decimal import Decimal
from json.encoder import encode_basestring
from typing import Callable, Iterable, Sequence

# A row of a download: column -> text; None for a figure not reported (empty in CSV, null in JSON: a figure
# is a string of digits as the department wrote it, never a JSON number).
Row = dict[str, "str | None"]
# remember(key, make): bytes made from one report, kept between builds by the caller (cache.BytesCache).
Remember = Callable[[str, Callable[[], bytes]], bytes]


def plain_decimal(value: Decimal | None) -> str:
    """Decimal('99.99') -> '99.99', Decimal('1076') -> '1076', None -> '': the digits as written."""
    return "" if value is None else format(value, "f")


def csv_bytes(columns: Iterable[str], rows: Iterable[Row]) -> bytes:
    """UTF-8 with BOM, comma-separated, RFC 4180 quoting, CRLF line ends."""
    columns = tuple(columns)
    return csv_lines([columns], True) + csv_lines([[row[c] for c in columns] for row in rows])


# A spreadsheet runs a cell that begins with one of these as a formula (OWASP, "CSV Injection"): a note
# "=HYPERLINK(...)" in a download would run on a citizen's computer. Such a text cell gets a leading
# apostrophe, which spreadsheets read as "this is text"; a number ("-5", "-1.076,5", "99,99 %") is left alone.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?(?:[0-9][0-9.,]*|[.,][0-9]+)(?:\s?%)?")


def spreadsheet_text(cell: str | None) -> str | None:
    """A CSV cell as a spreadsheet must read it: text that would start a formula gets a leading apostrophe."""
    if cell and cell.startswith(_FORMULA_START) and not _NUMBER.fullmatch(cell):
        return "'" + cell
    return cell


def csv_lines(lines: Iterable[Iterable[str | None]], bom: bool = False) -> bytes:
    buffer = io.StringIO(newline="")
    csv.writer(buffer, dialect="excel", lineterminator="\r\n").writerows(
        [spreadsheet_text(cell) for cell in line] for line in lines)
    return buffer.getvalue().encode("utf-8-sig" if bom else "utf-8")


# A cell csv.writer (the excel dialect, CRLF line ends) puts in quotes: one holding the delimiter, the quote
# character or a character of the line end.
_QUOTED = re.compile(r'[,"\r\n]')


def csv_cell(cell: str | None) -> str:
    """One cell of a line as `csv_lines` writes it (after `spreadsheet_text`): the same text, made without a writer
    (tests/test_opendata_encoding.py holds it to csv.writer's, hostile texts and all)."""
    if not cell:
        return ""
    cell = spreadsheet_text(cell)
    return '"' + cell.replace('"', '""') + '"' if _QUOTED.search(cell) else cell


class RowText:
    """The rows of one set of columns as CSV lines and as JSON objects, the same texts `csv_lines` and `json_text`
    give a row dict, made from a row's values in column order. The open data writes each of a province's half a
    million figures into four or five files: made once and joined, not written row dict by row dict."""

    def __init__(self, columns: Sequence[str]) -> None:
        self.columns = tuple(columns)
        # (json_text sorts the keys: each value's place in that order and the key text before it)
        order = sorted(range(len(self.columns)), key=lambda i: self.columns[i])
        self._json = tuple((i, ("{" if n == 0 else ",") + encode_basestring(self.columns[i]) + ":")
                           for n, i in enumerate(order))

    def csv(self, values: Sequence[str | None]) -> str:
        """One CSV line, its line end included."""
        return ",".join([csv_cell(value) for value in values]) + "\r\n"

    def json(self, values: Sequence[str | None]) -> str:
        """One JSON object, keys sorted."""
        return "".join([key + ("null" if values[i] is None else encode_basestring(values[i]))
                        for i, key in self._json]) + "}"

    def header(self) -> str:
        """The header line, a byte order mark before it (Excel then reads Vietnamese right)."""
        return "\ufeff" + self.csv(self.columns)


def json_bytes(document: object) -> bytes:
    return (json_text(document) + "\n").encode("utf-8")


def json_text(document: object) -> str:
    return json.dumps(document, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def table_json(columns: tuple[str, ...], rows: list[Row], meta: dict[str, object]) -> bytes:
    return json_bytes({"meta": {**meta, "columns": list(columns)}, "rows": rows})
