"""The search index: built from the finished pages, searched in the browser.

Every page becomes a document: its title, its address and the set of its
words folded to plain ASCII (lower case, no diacritics, "đ" -> "d"), so that
"ho so dung han" finds "hồ sơ ... đúng hạn" as well as the accented query.
"""
from __future__ import annotations

import json
import re
import unicodedata
from html.parser import HTMLParser

_WORD = re.compile(r"[a-z0-9]+")


def fold(text: str) -> str:
    """Lower case, no diacritics, đ -> d: the form both the index and queries are compared in."""
    text = text.lower().replace("đ", "d")
    return "".join(c for c in unicodedata.normalize("NFD", text) if unicodedata.category(c) != "Mn")


class _PageText(HTMLParser):
    """The <h1> and the words of <main>, skipping scripts, styles and chart drawings."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.title: list[str] = []
        self.words: list[str] = []
        self._in_main = self._in_h1 = False
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag == "main":
            self._in_main = True
        elif tag == "h1":
            self._in_h1 = True
        elif tag in ("script", "style", "svg"):
            self._skip += 1

    def handle_endtag(self, tag):
        if tag == "main":
            self._in_main = False
        elif tag == "h1":
            self._in_h1 = False
        elif tag in ("script", "style", "svg") and self._skip:
            self._skip -= 1

    def handle_data(self, data):
        if self._skip:
            return
        if self._in_h1:
            self.title.append(data)
        if self._in_main:
            self.words.append(data)


SECTIONS = {"chi-tieu": "Chỉ tiêu", "ky-bao-cao": "Kỳ báo cáo", "ke-hoach": "Kế hoạch", "phat-hanh": "Phát hành",
            "don-vi": "Đơn vị", "gioi-thieu": "Giới thiệu", "chat-luong-so-lieu": "Chất lượng số liệu"}


def search_index(pages: dict[str, bytes]) -> bytes:
    """The index of every page (path -> HTML), as compact JSON."""
    documents = []
    for path in sorted(pages):
        if not path.endswith(".html") or path.startswith("tim-kiem/"):
            continue
        parser = _PageText()
        parser.feed(pages[path].decode("utf-8"))
        title = " ".join("".join(parser.title).split())
        words = sorted(set(_WORD.findall(fold(" ".join(parser.words)))))
        first = path.split("/")[0]
        section = SECTIONS.get(first, "Báo cáo" if path.count("/") == 2 else "Đơn vị" if path.count("/") == 1
                               else "Tổng quan")
        documents.append({"p": path, "t": title, "s": section, "f": fold(title), "w": " ".join(words)})
    return json.dumps({"documents": documents}, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
