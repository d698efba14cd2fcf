"""The open data's row encoder (formats.RowText) against the standard library's writers it stands in for.

The files of every page are joined from rows encoded once; each row's text must be what csv.writer (excel
dialect, CRLF, with the formula guard) and json.dumps (sorted keys, no spaces, UTF-8 as written) give the same
row, for any text a clerk or a hostile file can put in a note.
"""
from __future__ import annotations

import csv
import io
import json
import random

import pytest

from reformdash.opendata.formats import RowText, csv_bytes, csv_cell, spreadsheet_text

# What a cell can hold that a writer treats specially: separators, quotes, line ends of every kind, the
# characters a spreadsheet runs as a formula, Unicode line separators, a byte order mark, control characters.
PIECES = [",", '"', "\r", "\n", "\r\n", " ", "=", "+", "-", "@", "\t", "1", ".", "%", ";", "'", "\\", "\x00",
          "\x1f", "\u2028", "\u2029", "\ufeff", "\x85", "đ", "Ư", "ữ", "😀", "99,99", "-5", "=1+1", "a"]
COLUMNS = ("value", "area", "note", "computed_value", "a_b")


def standard_csv(values: list[str | None]) -> str:
    buffer = io.StringIO(newline="")
    csv.writer(buffer, dialect="excel", lineterminator="\r\n").writerow([spreadsheet_text(v) for v in values])
    return buffer.getvalue()


def standard_json(values: list[str | None]) -> str:
    return json.dumps(dict(zip(COLUMNS, values)), ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def random_rows(count: int) -> list[list[str | None]]:
    chance = random.Random(20261208)
    return [[None if chance.random() < 0.15 else "".join(chance.choice(PIECES) for _ in range(chance.randint(0, 5)))
             for _ in COLUMNS] for _ in range(count)]


@pytest.mark.parametrize("values", [
    ["1.076", "Cải cách", 'ghi "chú", dòng\r\nhai', None, ""],
    ["-5", "=HYPERLINK(\"x\")", "+84 912", "@SUM(A1)", "\tcột"],
    ["", "", "", "", ""],
    [None, None, None, None, None],
    ["99.99", "99,99 %", "line\nbreak", "cr\ronly", "\ufeffbom"],
])
def test_a_row_is_written_as_the_standard_writers_write_it(values) -> None:
    text = RowText(COLUMNS)
    assert text.csv(values) == standard_csv(values)
    assert text.json(values) == standard_json(values)


def test_ten_thousand_hostile_rows_are_written_as_the_standard_writers_write_them() -> None:
    text = RowText(COLUMNS)
    for values in random_rows(10_000):
        assert text.csv(values) == standard_csv(values), values
        assert text.json(values) == standard_json(values), values


def test_the_header_and_rows_join_to_the_bytes_of_a_whole_file() -> None:
    text = RowText(COLUMNS)
    rows = random_rows(200)
    joined = (text.header() + "".join(text.csv(values) for values in rows)).encode("utf-8")
    assert joined == csv_bytes(COLUMNS, [dict(zip(COLUMNS, values)) for values in rows])
    assert joined.startswith(b"\xef\xbb\xbfvalue,area,note,computed_value,a_b\r\n")


def test_a_cell_a_spreadsheet_would_run_is_quoted_text() -> None:
    assert csv_cell('=HYPERLINK("http://x")') == '"\'=HYPERLINK(""http://x"")"'
    assert csv_cell("-1.076,5") == '"-1.076,5"'  # a number: no apostrophe; its comma: quoted
    assert csv_cell("+ thêm") == "'+ thêm"
    assert csv_cell(None) == "" and csv_cell("") == ""
