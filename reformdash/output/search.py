"""The search index: built from the finished pages, searched in the browser.

Every page becomes a document: its title, its address and the set of its
words folded to plain ASCII (lower case, no diacritics, "đ" -> "d"), so that
"ho so dung han" finds "hồ sơ ... đúng hạn" as well as the accented query.
A figure is a word as the page writes it ("99,99", "1.076"), so that a figure
typed as read is found. A report page's words are its own: of its statistics
tables only the notes, since the form's labels are on every report and on the
indicator pages; the figures of those tables are its own too ("n").
The page's meta description (which names a department's short name) is its
"d": it weighs less than the title and more than the rest of the page.
"""
from __future__ import annotations

import html
import json
import re
import unicodedata
from pathlib import Path

from ..incremental.cache import SameInputs
from ..inputs.language import Language

# A figure with its separators is one word ("99,99", "1.076"); search.js splits a query the same way.
_WORD = re.compile(r"[0-9]+(?:[.,][0-9]+)+|[a-z0-9]+")


_COMBINING = re.compile(r"[\u0300-\u036f]")  # the accents NFD splits off Latin letters (as search.js drops)


def fold(text: str) -> str:
    """Lower case, no diacritics, đ -> d: the form both the index and queries are compared in."""
    return _COMBINING.sub("", unicodedata.normalize("NFD", text.lower().replace("đ", "d")))


SEARCH_INDEX = "tim-kiem/index.json"  # beside the search page of each language
SECTIONS = {"chi-tieu": "Chỉ tiêu", "ky-bao-cao": "Kỳ báo cáo", "ke-hoach": "Kế hoạch", "phat-hanh": "Phát hành",
            "don-vi": "Đơn vị", "gioi-thieu": "Giới thiệu", "chat-luong-so-lieu": "Chất lượng số liệu"}


_MAIN = re.compile(r"<main[^>]*>(.*)</main>", re.S)
_H1 = re.compile(r"<h1[^>]*>(.*?)</h1>", re.S)
_DESCRIPTION = re.compile(r'<meta name="description" content="([^"]*)">')
_FIGURE = re.compile(r'<data class="figure"[^>]*>(.*?)</data>', re.S)
_DROP = re.compile(r"<(script|style|svg)\b.*?</\1>", re.S)
_TAG = re.compile(r"<[^>]+>")


# A report page repeats its form's rows, the same labels and units on every report: in the index it keeps
# what is its own, all but its statistics tables and of those the notes (a department's own words). Else
# every report would match every indicator's words, and the index would carry them a thousand times.
# (The class names are templates/_table.html's; a test fails if they part.)
_STATISTICS_TABLE, _TABLE_END = '<table class="indicators">', "</table>"
_NOTE_CELL = re.compile(r'<td class="note"[^>]*>(.*?)</td>', re.S)


def _own_part(main: str) -> tuple[str, list[str]]:
    """The page without its statistics tables but their notes, and the figures those tables show."""
    parts, figures, done = [], [], 0
    start = main.find(_STATISTICS_TABLE)
    while start >= 0:  # (found as text: a pattern spanning a 20 KB table cost more than the rest of the page)
        end = main.find(_TABLE_END, start)
        end = len(main) if end < 0 else end
        parts += [main[done:start], *_NOTE_CELL.findall(main, start, end)]
        figures += _FIGURE.findall(main, start, end)
        done = end + len(_TABLE_END)
        start = main.find(_STATISTICS_TABLE, done)
    return (" ".join([*parts, main[done:]]) if parts else main), figures


def _text(fragment: str) -> str:
    if "<svg" in fragment or "<script" in fragment or "<style" in fragment:  # most pages have none
        fragment = _DROP.sub(" ", fragment)
    return html.unescape(_TAG.sub(" ", fragment))


def _words(text: str) -> list[str]:
    """The folded words of a text, sorted, each once."""
    # Each distinct token folded once: a page repeats most of its words many times.
    return sorted(set(_WORD.findall(fold(" ".join(set(text.lower().split()))))))


_FIELDS = {"p", "t", "s", "f", "d", "w", "n"}  # a document's fields, as document() makes them


def previous_documents(index_file: Path) -> dict[str, dict]:
    """The documents of the index the last build published, by page path."""
    try:
        documents = json.loads(index_file.read_text(encoding="utf-8"))["documents"]
        # an index written by an earlier version lacks fields: its documents are made again
        return {d["p"]: d for d in documents if isinstance(d, dict) and set(d) == _FIELDS}
    except (OSError, ValueError, KeyError, TypeError):
        return {}


def indexed(path: str) -> bool:
    """Whether a page (path within its language) has a document in the index: not the search page itself."""
    return path.endswith(".html") and not path.startswith("tim-kiem/")


def document(path: str, page: bytes, lang: Language) -> dict:
    """The document of one page (path within its language): title, section, description, its folded words
    and the figures its statistics tables show."""
    text = page.decode("utf-8")
    main = _MAIN.search(text)
    heading = _H1.search(text)
    described = _DESCRIPTION.search(text)
    title = " ".join(_text(heading.group(1)).split()) if heading else ""
    own, figures = _own_part(main.group(1)) if main else ("", [])
    words = _words(_text(own))
    first = path.split("/")[0]
    section = lang.section(SECTIONS.get(first, "Báo cáo" if path.count("/") == 2 else "Đơn vị" if path.count("/") == 1
                                  else "Tổng quan"))
    return {"p": path, "t": title, "s": section, "f": fold(title),
            "d": " ".join(_words(html.unescape(described.group(1)))) if described else "",
            "w": " ".join(words), "n": " ".join(_words(_text(" ".join(figures))))}


# When two pages match a query equally, the one a reader most likely looks for comes first: a department
# before its reports, an indicator before the pages that show it, a newer report before an older one.
_KIND_ORDER = {"don-vi-page": 0, "chi-tieu": 1, "report": 2, "ke-hoach": 3, "ky-bao-cao": 4}
_PERIOD_ORDER = {"q1": 1, "h1": 2, "q3": 3, "year": 4}


def _tie_order(document: dict) -> tuple:
    path = document["p"]
    parts = path.split("/")
    if len(parts) == 2 and parts[0] not in SECTIONS and parts[0] != "tim-kiem":
        kind = "don-vi-page"
    elif len(parts) == 3 and parts[0] not in SECTIONS:
        kind = "report"
    else:
        kind = parts[0] if len(parts) > 2 else ""
    year, _, period = parts[1].partition("-") if kind in ("report", "ky-bao-cao") else ("", "", "")
    newest_first = (-int(year), -_PERIOD_ORDER.get(period, 0)) if year.isdigit() else (0, 0)
    return _KIND_ORDER.get(kind, 5), newest_first, path


def index_bytes(documents: list[dict], memo: SameInputs | None = None, index: str = "") -> bytes:
    """The index file: the documents in the order search.js breaks ties in (see _tie_order), as compact JSON.
    `memo` keeps each document's encoding in the index `index` while it is the same object (a page kept by a
    rebuild in `serve`)."""
    ordered = sorted(documents, key=_tie_order)
    memo = memo or SameInputs()
    encoded = [memo.get(("search document", index, d["p"]), (d,), lambda d=d: _encoded(d)) for d in ordered]
    return ('{"documents":[' + ",".join(encoded) + "]}").encode("utf-8")


def _encoded(document: dict) -> str:
    return json.dumps(document, ensure_ascii=False, separators=(",", ":"))
