"""The search index: built from the finished pages, searched in the browser.

Every page becomes a document: its title, its address and the set of its
words folded to plain ASCII (lower case, no diacritics, "đ" -> "d"), so that
"ho so dung han" finds "hồ sơ ... đúng hạn" as well as the accented query.
A report page's words are its own: of its statistics tables only the notes,
since the form's labels are on every report and on the indicator pages.
"""
from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path

from .language import Language

_WORD = re.compile(r"[a-z0-9]+")


_COMBINING = re.compile(r"[\u0300-\u036f]")  # the accents NFD splits off Latin letters (as search.js drops)


def fold(text: str) -> str:
    """Lower case, no diacritics, đ -> d: the form both the index and queries are compared in."""
    return _COMBINING.sub("", unicodedata.normalize("NFD", text.lower().replace("đ", "d")))


SEARCH_INDEX = "tim-kiem/index.json"  # beside the search page of each language
SECTIONS = {"chi-tieu": "Chỉ tiêu", "ky-bao-cao": "Kỳ báo cáo", "ke-hoach": "Kế hoạch", "phat-hanh": "Phát hành",
            "don-vi": "Đơn vị", "gioi-thieu": "Giới thiệu", "chat-luong-so-lieu": "Chất lượng số liệu"}


_MAIN = re.compile(r"<main[^>]*>(.*)</main>", re.S)
_H1 = re.compile(r"<h1[^>]*>(.*?)</h1>", re.S)
_DROP = re.compile(r"<(script|style|svg)\b.*?</\1>", re.S)
_TAG = re.compile(r"<[^>]+>")


# A report page repeats its form's rows, the same labels and units on every report: in the index it keeps
# what is its own, all but its statistics tables and of those the notes (a department's own words). Else
# every report would match every indicator's words, and the index would carry them a thousand times.
# (The class names are templates/_table.html's; a test fails if they part.)
_STATISTICS_TABLE, _TABLE_END = '<table class="indicators">', "</table>"
_NOTE_CELL = re.compile(r'<td class="note"[^>]*>(.*?)</td>', re.S)


def _own_part(main: str) -> str:
    parts, done = [], 0
    start = main.find(_STATISTICS_TABLE)
    while start >= 0:  # (found as text: a pattern spanning a 20 KB table cost more than the rest of the page)
        end = main.find(_TABLE_END, start)
        end = len(main) if end < 0 else end
        parts += [main[done:start], *_NOTE_CELL.findall(main, start, end)]
        done = end + len(_TABLE_END)
        start = main.find(_STATISTICS_TABLE, done)
    return " ".join([*parts, main[done:]]) if parts else main


def _text(fragment: str) -> str:
    import html

    if "<svg" in fragment or "<script" in fragment or "<style" in fragment:  # most pages have none
        fragment = _DROP.sub(" ", fragment)
    return html.unescape(_TAG.sub(" ", fragment))


def _words(text: str) -> list[str]:
    """The folded words of a text, sorted, each once."""
    # Each distinct token folded once: a page repeats most of its words many times.
    return sorted(set(_WORD.findall(fold(" ".join(set(text.lower().split()))))))


def previous_documents(index_file: Path) -> dict[str, dict]:
    """The documents of the index the last build published, by page path."""
    try:
        return {d["p"]: d for d in json.loads(index_file.read_text(encoding="utf-8"))["documents"]}
    except (OSError, ValueError, KeyError, TypeError):
        return {}


def indexed(path: str) -> bool:
    """Whether a page (path within its language) has a document in the index: not the search page itself."""
    return path.endswith(".html") and not path.startswith("tim-kiem/")


def document(path: str, page: bytes, lang: Language) -> dict:
    """The document of one page (path within its language): title, section, and its folded words."""
    text = page.decode("utf-8")
    main = _MAIN.search(text)
    heading = _H1.search(text)
    title = " ".join(_text(heading.group(1)).split()) if heading else ""
    words = _words(_text(_own_part(main.group(1)) if main else ""))
    first = path.split("/")[0]
    section = lang.section(SECTIONS.get(first, "Báo cáo" if path.count("/") == 2 else "Đơn vị" if path.count("/") == 1
                                  else "Tổng quan"))
    return {"p": path, "t": title, "s": section, "f": fold(title), "w": " ".join(words)}


def index_bytes(documents: list[dict]) -> bytes:
    """The index file: the documents in the order of their paths, as compact JSON."""
    ordered = sorted(documents, key=lambda d: d["p"])
    return json.dumps({"documents": ordered}, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
