"""Whether a document's own title and date agree with the period it is filed under.

A clerk who imports last quarter's file, or a quarter's report as the six-month one, or copies last quarter's
data file and changes only its period, gets every figure filed under the wrong period. The document usually
says which period it reports: its title names it ("... quý I năm 2023") and its date line dates it. Both are
compared with data/periods.yaml's labels and dates; a disagreement is a warning naming both, never a guess at
the right period. (`import` warns of the document it reads, W624; `check` of a data file's document:, W317.)
"""
from __future__ import annotations

import re
import unicodedata
from datetime import date
from functools import lru_cache

from ..model import Catalogue, DocumentInfo, Period

# A report is written near its period's end (the province's cut-off is before the quarter ends); one dated
# long before that end is another period's.
_EARLIEST_BEFORE_END = 45  # days
_LATEST_AFTER_END = 100  # days: a report sent a quarter late is late, one sent later is another period's
_DATE = re.compile(r"ngày\s+([0-9]{1,2})\s*(?:tháng\s+|/)([0-9]{1,2})\s*(?:năm\s+|/)([0-9]{4})", re.IGNORECASE)
# How titles name the report's period, where they do not write its label whole ("6 tháng đầu năm và phương
# hướng 6 tháng cuối năm 2023", "quý 1/2023", "9 tháng"): the first such words, with the title's year.
# A report for the second quarter is the six months' ("quý II và 6 tháng đầu năm"), one for the fourth the year's.
_KIND_WORDS = ((re.compile(r"\bquy (i|1)\b(?! (i|v)\b)"), "q1"), (re.compile(r"\bquy (iii|3)\b"), "q3"),
               (re.compile(r"\bquy (ii|2)\b"), "h1"), (re.compile(r"\bquy (iv|4)\b"), "year"),
               (re.compile(r"\b(6|sau) thang\b"), "h1"), (re.compile(r"\b(9|chin) thang\b"), "q3"))
_YEAR = re.compile(r"\b(20[0-9]{2})\b")


def normalise_label(label: str) -> str:
    """Compare labels without diacritics, case, tags, punctuation or spacing."""
    text = re.sub(r"</?i>", "", label).lower().replace("đ", "d")
    text = "".join(c for c in unicodedata.normalize("NFD", text) if unicodedata.category(c) != "Mn")
    return " ".join(re.sub(r"[^a-z0-9%]+", " ", text).split())


@lru_cache(maxsize=1024)  # (every report's check folds each period's labels: the same few dozen texts)
def _folded(text: str) -> str:
    """A text as labels are compared (normalise_label), with a space at each end for whole-word search."""
    return f" {normalise_label(text)} "


def period_named(title: str, catalogue: Catalogue) -> Period | None:
    """The period whose label (label_vi or short_vi) the title holds, the most specific one: "quý I năm 2023"
    rather than "năm 2023" within it; None when it names none."""
    key = _folded(title)
    found = [(len(_folded(label)), period) for period in catalogue.periods.values()
             for label in (period.label_vi, period.short_vi) if label and _folded(label) in key]
    return max(found, key=lambda item: item[0])[1] if found else None


def kind_named(title: str) -> tuple[str, int | None] | None:
    """(period kind, year or None) that the title's words name, the first of them; None when none."""
    key = _folded(title)
    found = [(match.start(), kind) for pattern, kind in _KIND_WORDS for match in [pattern.search(key)] if match]
    if not found:
        return None
    year = _YEAR.search(key)
    return min(found)[1], int(year[1]) if year else None


def names_another_period(text: str, period: Period, catalogue: Catalogue) -> bool:
    """Whether a sheet's name or a column's caption names a period other than `period`: another quarter or
    half-year ("Quý IV-2022" for 2023-q1), or only years other than its own ("QI/2022"). "Quý 1 năm 2023", "3 tháng
    đầu năm 2023", "từ 15/12/2022 đến 14/3/2023" and a name that says no period ("Phụ lục 2") do not."""
    named = period_named(text, catalogue)
    if named is not None and named.kind != "year":  # a quarter's or half-year's own label
        return named.id != period.id
    words = kind_named(text)  # ("quý 1 năm 2023" holds the label "Năm 2023": the words say which part of it)
    if words is not None:
        return words[0] != period.kind or words[1] not in (None, period.year)
    years = {int(y) for y in _YEAR.findall(_folded(text))}
    return bool(years) and period.year not in years


def other_body(info: DocumentInfo, department: str, catalogue: Catalogue) -> str:
    """Why the document looks like another body's report than `department`'s; '' when nothing says so: its title
    or the caption of its figures names another body's full name and not this one's (nor a body this one
    replaced or was replaced by: a merged department's report may still carry its old name)."""
    own = catalogue.departments.get(department)
    if own is None:
        return ""
    kin, waiting = {department}, [department]
    while waiting:  # (predecessors and successors, and theirs)
        found = catalogue.departments.get(waiting.pop())
        for other in (found.predecessors + found.successors) if found is not None else ():
            if other not in kin:
                kin.add(other)
                waiting.append(other)
    for field, text in (("the caption of its figures", info.value_column), ("its title", info.title)):
        key = _folded(text) if text else ""
        if not key.strip():
            continue
        named = [body for body in catalogue.departments.values() if body.name_vi and _folded(body.name_vi) in key]
        if any(body.id in kin for body in named):
            continue
        # (a body named as the author of a document the title cites, "theo Công văn số 256/SNV-CCHC của Sở Nội vụ",
        # or within brackets, is not the one reporting)
        plain = _folded(_BRACKETED.sub(" ", text))
        named = [body for body in named if (at := plain.find(_folded(body.name_vi))) >= 0
                 and not _CITED.search(plain[:at + 1])]
        if named:
            other = max(named, key=lambda body: len(body.name_vi))  # (the most specific name within the text)
            return f"{field} names {other.name_vi} ({other.id}): '{text}'"
    return ""


_BRACKETED = re.compile(r"\([^()]*\)|\[[^\[\]]*\]")
# the end of a text up to a name that follows a document's author: "...công văn số 256 snv cchc ngày 10 3 2023 của "
_CITED = re.compile(r"\b(cong van|ke hoach|huong dan|quyet dinh|chi thi|van ban|thong bao|cong dien|nghi quyet|"
                    r"to trinh|chi dao|theo)\b(?:(?!\b(?:bao cao|ket qua)\b).){0,120}\bcua $")


def _dated(date_line: str) -> date | None:
    match = _DATE.search(unicodedata.normalize("NFC", date_line))
    if not match:
        return None
    try:
        return date(int(match[3]), int(match[2]), int(match[1]))
    except ValueError:
        return None


def other_period(info: DocumentInfo, period: Period, catalogue: Catalogue) -> str:
    """Why the document looks like another period's report than `period`; '' when nothing says so."""
    named = period_named(info.title, catalogue)
    if named is not None and named.id != period.id and (named.kind != "year" or named.year != period.year):
        return f"its title names {named.label_vi} ({named.id}): '{info.title}'"
    words = kind_named(info.title) if named is None or named.kind == "year" else None
    if words is not None and (words[0] != period.kind or words[1] not in (None, period.year)):
        return f"its title speaks of another period than {period.label_vi}: '{info.title}'"
    dated = _dated(info.date_line)
    if dated is not None and (dated < period.start or (dated - period.end).days < -_EARLIEST_BEFORE_END):
        return f"it is dated {dated:%d/%m/%Y}, long before {period.label_vi} ends ({period.end:%d/%m/%Y})"
    if dated is not None and (dated - period.end).days > _LATEST_AFTER_END:
        return f"it is dated {dated:%d/%m/%Y}, long after {period.label_vi} ended ({period.end:%d/%m/%Y})"
    return ""
