"""A small HTML reader for tests: cell texts of table rows by id, and element texts."""
from __future__ import annotations

import re
from html.parser import HTMLParser


class _Rows(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.rows: dict[str, list[str]] = {}
        self.classes: dict[str, list[list[str]]] = {}
        self._row: str | None = None
        self._cell: list[str] | None = None
        self.figures: dict[str, tuple[str, str]] = {}
        self._figure: list[str] | None = None
        self._figure_value = ""

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "tr":
            self._row = attributes.get("id")
            if self._row:
                self.rows[self._row] = []
                self.classes[self._row] = []
        elif tag in ("td", "th") and self._row:
            self._cell = []
            self.classes[self._row].append([])
        elif tag == "data" and self._row and "figure" in attributes.get("class", ""):
            self._figure, self._figure_value = [], attributes.get("value", "")
        elif tag == "span" and self._cell is not None:
            self.classes[self._row][-1].append(attributes.get("class", ""))

    def handle_endtag(self, tag):
        if tag == "data" and self._figure is not None and self._row:
            self.figures[self._row] = (self._figure_value, "".join(self._figure))
            self._figure = None
        if tag in ("td", "th") and self._row and self._cell is not None:
            self.rows[self._row].append(re.sub(r"[ \t\r\n]+", " ", "".join(self._cell)).strip())
            self._cell = None
        elif tag == "tr":
            self._row = None

    def handle_data(self, data):
        if self._figure is not None:
            self._figure.append(data)
        if self._cell is not None:
            self._cell.append(data)


def table_rows(html: str) -> dict[str, list[str]]:
    """{row id: [cell text, ...]} for every <tr id=...>."""
    parser = _Rows()
    parser.feed(html)
    return parser.rows


def cell_span_classes(html: str) -> dict[str, list[list[str]]]:
    parser = _Rows()
    parser.feed(html)
    return parser.classes


def figures(html: str) -> dict[str, tuple[str, str]]:
    """{row id: (machine value, shown text)} of the department's figures."""
    parser = _Rows()
    parser.feed(html)
    return parser.figures
