"""Match appendix rows with a form version's rows by label, group and order.

A row is identified first by its label, compared with normalise_label and the
spelling variants of data/catalogue/spelling-variants.yaml, against every
label the form and the catalogue know for a row (the printed label, the
catalogue label, the aliases). Where the same label sits under several
groups ("Số vấn đề phát hiện qua kiểm tra" under I.2 and IV.6), the group
heading above the row decides. These exact matches need no order: a
department's copy may drop, add or reorder rows.

A row no label names is then aligned by likeness: the exact matches that
keep the form's order are anchors, and between two anchors the document's
remaining rows are aligned in order with the form's remaining rows (an
alignment that may skip rows on either side), each pair scored by how alike
the labels are (document numbers such as "10/CT-UBND" and spaces inside
words left out), whether the units agree and whether the row sits under the
same group. A pair below MIN_LIKENESS is never made: the row stays unmatched
with its closest candidates, never guessed and never dropped silently. Each
match made so is returned with its likeness for the clerk to confirm.
"""
from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from pathlib import Path

from ..inputs.fields import Fields, expect_mapping, expect_sequence
from ..inputs.load import read_yaml_file
from ..model import Catalogue, FormVersion
from ..problems import Collector, relative_name
from .record import ImportedValue, normalise_label, vietnamese_number
from .text import AppendixRow

_ROMAN = re.compile(r"^[IVX]+$")
_ROMAN_TITLE = re.compile(r"^[IVX]+\s*[.:)]\s*(?=\S)")
# A document's number after the number the form names it by: "Chỉ thị 10/CT-UBND", "26/CT-TTg",
# "68/2000/NĐ-CP", "04/KH- STNMT" (the form prints "Chỉ thị 10", "Chỉ thị 26", "Nghị định 68").
_DOCUMENT_NUMBER = re.compile(r"(?<=[0-9])\s*/\s*(?:[0-9]{4}\s*/\s*)?[A-ZĐ][A-Za-zĐđ&]*"
                              r"(?:\s*-\s*[A-ZĐ][A-Za-zĐđ0-9&]*)*")
# How alike a label must be to a form row's for the row to be taken as that row (0..1, see _pair_score).
# The reworded rows of tests/test_intake_match.py score 0.75 to 0.99 with their own form row and at most
# 0.56 with any other row of the form; only rows between the same two anchors are compared at all.
MIN_LIKENESS = 0.7
_MOST_ADDED = 0.1  # the most _pair_score adds to a label's likeness (agreeing unit and group)
VARIANTS_FILE = Path("catalogue") / "spelling-variants.yaml"


class Labels:
    """Comparable label keys: normalise_label, then spelling variants replaced by the standard word."""

    def __init__(self, variants: dict[str, str] | None = None):
        pairs = {normalise_label(w): normalise_label(s) for w, s in (variants or {}).items()}
        self._standard = {w: s for w, s in pairs.items() if w and w != s}
        words = sorted(self._standard, key=len, reverse=True)
        self._pattern = re.compile(r"(?<![a-z0-9])(" + "|".join(map(re.escape, words)) + r")(?![a-z0-9])") \
            if words else None

    def key(self, label: str) -> str:
        text = normalise_label(label)
        if self._pattern is not None:
            text = self._pattern.sub(lambda m: self._standard[m[1]], text)
        return text


def load_labels(data_dir: Path, root: Path, problems: Collector) -> Labels:
    """The label comparer with the spelling variants of data/catalogue/spelling-variants.yaml."""
    path = data_dir / VARIANTS_FILE
    if not path.is_file():
        return Labels()
    seq = expect_sequence(read_yaml_file(path, relative_name(path, root), problems), problems, "spelling variants")
    variants = {}
    for node in seq.items if seq else ():
        m = expect_mapping(node, problems, "spelling variant")
        if m is not None:
            f = Fields(m, problems, "spelling variant")
            f.check_keys(["written", "standard"])
            variants[f.text("written")] = f.text("standard")
    return Labels(variants)


@dataclass(frozen=True)
class Candidate:
    indicator: str
    label: str
    similarity: float  # 0..1, of the normalised labels
    group: str = ""  # the label of its group heading, where that is what tells candidates apart


@dataclass(frozen=True)
class UnmatchedRow:
    row: AppendixRow
    kind: str  # unknown (no form row has the label) | ambiguous (the group does not decide) | repeated
    reason: str
    candidates: tuple[Candidate, ...]


@dataclass(frozen=True)
class LikelyMatch:
    """A row placed by likeness and order, not by its label: for the clerk to confirm."""

    row: AppendixRow
    indicator: str
    label: str  # the form's label for the row
    likeness: float  # 0..1


@dataclass(frozen=True)
class FormMatch:
    form: str
    values: tuple[ImportedValue, ...]  # in form order
    unmatched: tuple[UnmatchedRow, ...]  # in document order
    missing: tuple[str, ...]  # indicators of the form that no row of the document gives
    likely: tuple[LikelyMatch, ...] = ()  # in document order
    joined: tuple[tuple[int, int], ...] = ()  # (first line, last line) of each label wrapped over table rows
    areas: tuple[AppendixRow, ...] = ()  # area title rows that carry a figure or a note (no indicator holds them)


@dataclass(frozen=True)
class _Slot:
    """One row of a form: its indicator, the group heading above it, the labels it answers to."""

    position: int
    indicator: str
    group: str  # the indicator of the numbered row this row sits under (its own, on a numbered row)
    is_group: bool
    label: str
    keys: frozenset[str]
    unit: frozenset[str]  # the printed unit's words and numbers (see _unit)
    likeness_keys: tuple[str, ...]  # the labels as _likeness compares them
    rate: bool = False  # the row holds a percentage


class _Form:
    def __init__(self, form: FormVersion, catalogue: Catalogue, labels: Labels):
        self.form = form
        self.labels = labels
        self.slots: list[_Slot] = []
        group = ""
        for position, row in enumerate(form.rows):
            ind = catalogue.indicators[row.indicator]
            if row.number:
                group = row.indicator
            printed = row.label or ind.label_vi
            texts = (printed, ind.label_vi, *ind.aliases)
            keys = frozenset(labels.key(t) for t in texts)
            unit = _unit(row.unit if row.unit is not None else ind.unit)
            likeness_keys = tuple(dict.fromkeys(likeness_key(t, labels) for t in texts))
            rate = ind.kind == "percent" or "%" in (row.unit if row.unit is not None else ind.unit)
            self.slots.append(_Slot(position, row.indicator, group, bool(row.number), printed, keys, unit,
                                    likeness_keys, rate))
        self.by_key: dict[str, list[_Slot]] = {}
        for slot in self.slots:
            for key in slot.keys:
                self.by_key.setdefault(key, []).append(slot)
        self.area_keys = {labels.key(title) for _, title in form.area_titles} \
            | {labels.key(a.label_vi) for a in catalogue.areas}

    def is_area_row(self, row: AppendixRow) -> bool:
        # an area's title: its Roman number in the STT cell; or the whole title, "I. CÔNG TÁC CHỈ ĐẠO …", in one
        # cell merged over the row or in the label's
        if _ROMAN.match(row.number) or (_ROMAN_TITLE.match(row.number) and not row.label.strip()):
            return True
        key = self.labels.key(_ROMAN_TITLE.sub("", row.label))
        return key in self.area_keys and key not in self.by_key

    def closest(self, key: str, count: int = 3) -> tuple[Candidate, ...]:
        scored = sorted(((max(_similarity(key, k) for k in s.keys), -s.position, s)
                         for s in self.slots), key=lambda t: (t[0], t[1]), reverse=True)
        return tuple(Candidate(s.indicator, s.label, round(score, 2)) for score, _, s in scored[:count])


def _similarity(a: str, b: str) -> float:
    """Of two label keys: the mean of the character similarity and the share of words in common."""
    words_a, words_b = set(a.split()), set(b.split())
    shared = 2 * len(words_a & words_b) / (len(words_a) + len(words_b)) if words_a and words_b else 0.0
    return (SequenceMatcher(None, a, b).ratio() + shared) / 2


def detect_form(rows: list[AppendixRow], catalogue: Catalogue, labels: Labels) -> str | None:
    """The form version whose labels the rows match best (None when none matches at all).

    Scored by the share of the document's rows the form knows, then by the
    share of the form's rows the document gives."""
    best: tuple[float, float, str] | None = None
    for form_id in sorted(catalogue.forms):
        form = _Form(catalogue.forms[form_id], catalogue, labels)
        keys = [labels.key(r.label) for r in rows if not form.is_area_row(r)]
        known = [k for k in keys if k in form.by_key]
        covered = {s.position for k in known for s in form.by_key[k]}
        score = (len(known) / max(len(keys), 1), len(covered) / max(len(form.slots), 1), form_id)
        if known and (best is None or score[:2] > best[:2]):
            best = score
    return best[2] if best else None


def likeness_key(label: str, labels: Labels) -> str:
    """A label as _likeness compares it: its document numbers left out, then Labels.key."""
    return labels.key(_DOCUMENT_NUMBER.sub("", unicodedata.normalize("NFC", label)))


def _unit(text: str) -> frozenset[str]:
    """A unit's words and numbers: 'Có = 1Không = 0' and 'Không = 0; Có = 1' agree."""
    return frozenset(re.findall(r"[a-z]+|[0-9]+", normalise_label(text)))


def _rejoined(words: list[str], known: set[str]) -> list[str]:
    """Words split by a PDF's extraction ('tri en khai') joined again where the joined word is known."""
    out: list[str] = []
    index = 0
    while index < len(words):
        for size in (3, 2):
            joined = "".join(words[index:index + size])
            if index + size <= len(words) and joined in known and words[index] not in known:
                out.append(joined)
                index += size
                break
        else:
            out.append(words[index])
            index += 1
    return out


@functools.lru_cache(maxsize=65536)  # the same pairs come again in each pass over the document
def _likeness(document_key: str, form_key: str) -> float:
    """How alike two likeness keys are, 0..1: the mean of the share of words in common and the
    characters' similarity (spaces left out, so that 'tri en khai' is 'trien khai'). 0 where the
    pair could not reach MIN_LIKENESS even with the most _pair_score adds."""
    if document_key == form_key:
        return 1.0
    form_words = form_key.split()
    words = set(_rejoined(document_key.split(), set(form_words)))
    if not words or not form_words:
        return 0.0
    shared = 2 * len(words & set(form_words)) / (len(words) + len(set(form_words)))
    floor = MIN_LIKENESS - _MOST_ADDED
    if (1 + shared) / 2 < floor:  # cheap: most pairs of a form's rows share a word or two at most
        return 0.0
    matcher = SequenceMatcher(None, document_key.replace(" ", ""), form_key.replace(" ", ""), autojunk=False)
    if (matcher.real_quick_ratio() + shared) / 2 < floor or (matcher.quick_ratio() + shared) / 2 < floor:
        return 0.0
    return (matcher.ratio() + shared) / 2


def _pair_score(row: AppendixRow, key: str, group: str | None, slot: _Slot) -> float:
    """How sure a document row is the form row `slot`: label likeness, moved a little by the unit
    and the group the row sits under (never above 1: an exact label is another matter)."""
    score = max(_likeness(key, k) for k in slot.likeness_keys)
    if not score:
        return 0.0
    # a rate is never a count, however alike their words: "Tỷ lệ văn bản ..." in % is not "Số lượng văn bản ..."
    rate = "%" in row.unit or key.startswith("ty le")
    if rate != slot.rate and (row.unit.strip() or key.startswith("ty le") or slot.likeness_keys[0].startswith("ty le")):
        return 0.0
    numbers, form_numbers = set(re.findall("[0-9]+", key)), set(re.findall("[0-9]+", slot.likeness_keys[0]))
    if numbers and form_numbers and numbers != form_numbers:
        score -= 0.2  # "mức độ 3" is not "mức độ 4", however alike the rest
    unit = _unit(row.unit)
    if unit and slot.unit:
        score += 0.05 if unit == slot.unit else -0.1  # (with the group's, at most _MOST_ADDED in all)
    if group is not None and not slot.is_group:  # (a heading starts a group of its own)
        score += 0.05 if group == slot.group else -0.05
    return max(0.0, min(score, 0.99))


@dataclass
class _Placement:
    """One pass over the document: what the labels (and the rows already placed by likeness) give."""

    claimed: dict[int, AppendixRow]  # form position -> row
    unmatched: list[UnmatchedRow]
    groups: dict[int, str | None]  # document line -> the group heading it sits under (None: unknown)
    areas: list[AppendixRow] = field(default_factory=list)  # area title rows that carry a figure or a note


def _place(rows: list[AppendixRow], shape: _Form, fixed: dict[int, _Slot]) -> _Placement:
    """Place every row by its label and its group; a row in `fixed` (by line) is placed where it says."""
    form, labels = shape.form, shape.labels
    placed = _Placement({}, [], {})
    group: str | None = None  # the group heading the rows below belong to; None when unknown
    for row in rows:
        placed.groups[row.line] = group
        if shape.is_area_row(row) and row.line not in fixed:
            group = None
            if row.value.strip() or row.note.strip():  # no indicator to hold them: kept apart, never dropped
                placed.areas.append(row)
            continue
        key = labels.key(row.label)
        found = [fixed[row.line]] if row.line in fixed else shape.by_key.get(key, [])
        if len(found) > 1:
            in_group = [s for s in found if s.group == group]
            if len(in_group) != 1:
                where = f"under '{_label_of(shape, group)}'" if group else "under an unrecognised group heading"
                reason = f"the label belongs to {len(found)} groups of form {form.id}, and none of them is " \
                         f"the row's group ({where})"
                candidates = tuple(Candidate(s.indicator, s.label, 1.0, _label_of(shape, s.group)) for s in found)
                placed.unmatched.append(UnmatchedRow(row, "ambiguous", reason, candidates))
                continue
            found = in_group
        if not found:
            reason = f"no row of form {form.id} has this label"
            placed.unmatched.append(UnmatchedRow(row, "unknown", reason, ()))
            if row.number:
                group = None  # an unknown group heading: its sub-rows cannot borrow the previous group
            continue
        slot = found[0]
        if slot.position in placed.claimed:
            placed.unmatched.append(UnmatchedRow(row, "repeated", f"line {placed.claimed[slot.position].line} is "
                                                 f"already this row ({slot.indicator})",
                                                 (Candidate(slot.indicator, slot.label, 1.0),)))
            continue
        placed.claimed[slot.position] = row
        if slot.is_group:
            group = slot.indicator
    return placed


def _anchors(placed: _Placement) -> list[tuple[int, int]]:
    """(document line, form position) of the placed rows that keep the form's order: the longest
    such chain, so that one row out of place does not cut the document's alignment."""
    pairs = sorted((row.line, position) for position, row in placed.claimed.items())
    tails: list[int] = []  # tails[k]: index in pairs of the smallest last position of a chain of k + 1
    before: list[int] = [-1] * len(pairs)
    for index, (_, position) in enumerate(pairs):
        lo, hi = 0, len(tails)
        while lo < hi:
            mid = (lo + hi) // 2
            if pairs[tails[mid]][1] < position:
                lo = mid + 1
            else:
                hi = mid
        before[index] = tails[lo - 1] if lo else -1
        if lo == len(tails):
            tails.append(index)
        else:
            tails[lo] = index
    chain: list[tuple[int, int]] = []
    index = tails[-1] if tails else -1
    while index >= 0:
        chain.append(pairs[index])
        index = before[index]
    return chain[::-1]


def _align(rows: list[AppendixRow], slots: list[_Slot], shape: _Form,
           groups: dict[int, str | None]) -> list[tuple[AppendixRow, _Slot, float]]:
    """Rows with slots, both in order, pairing only what is alike enough: the alignment with the
    highest total likeness (a Needleman-Wunsch alignment in which skipping a row costs nothing)."""
    if not rows or not slots:
        return []
    keys = [likeness_key(r.label, shape.labels) for r in rows]
    score = [[_pair_score(r, k, groups.get(r.line), s) for s in slots] for r, k in zip(rows, keys)]
    best = [[0.0] * (len(slots) + 1) for _ in range(len(rows) + 1)]
    for i in range(len(rows) - 1, -1, -1):
        for j in range(len(slots) - 1, -1, -1):
            pair = score[i][j] + best[i + 1][j + 1] if score[i][j] >= MIN_LIKENESS else 0.0
            best[i][j] = max(pair, best[i + 1][j], best[i][j + 1])
    out = []
    i = j = 0
    while i < len(rows) and j < len(slots):
        if score[i][j] >= MIN_LIKENESS and best[i][j] == score[i][j] + best[i + 1][j + 1]:
            out.append((rows[i], slots[j], score[i][j]))
            i, j = i + 1, j + 1
        elif best[i][j] == best[i + 1][j]:
            i += 1
        else:
            j += 1
    return out


def _likely(rows: list[AppendixRow], shape: _Form, placed: _Placement) -> dict[int, tuple[_Slot, float]]:
    """Rows no label names, placed by likeness between the anchors around them: line -> (slot, likeness)."""
    open_rows = [u.row for u in placed.unmatched if u.kind == "unknown" and not shape.is_area_row(u.row)]
    if not open_rows:
        return {}
    free = [s for s in shape.slots if s.position not in placed.claimed]
    bounds = [(0, -1), *_anchors(placed), (rows[-1].line + 1, len(shape.slots))]
    out: dict[int, tuple[_Slot, float]] = {}
    for (line_a, position_a), (line_b, position_b) in zip(bounds, bounds[1:]):
        between = [r for r in open_rows if line_a < r.line < line_b]
        window = [s for s in free if position_a < s.position < position_b]
        for row, slot, likeness in _align(between, window, shape, placed.groups):
            out[row.line] = (slot, likeness)
    return out


_MOST_WRAPPED_ROWS = 4  # a label wraps over two to four lines; a document that gave each line a table row


def _joined_text(parts: list[str]) -> str:
    """Parts of one cell's text cut over table rows, joined: a word broken at its hyphen goes on without a space."""
    text = ""
    for part in (p.strip() for p in parts):
        if part:
            text += part if text.endswith("-") else (" " + part if text else part)
    return text


def _has_its_unit(above: AppendixRow, row: AppendixRow, shape: _Form) -> bool:
    """Whether `row` has a unit of its own while the row above already has the whole of its form unit: then it is a
    row whose label is missing, not the rest of the row above."""
    if not row.unit.strip():
        return False
    slots = shape.by_key.get(shape.labels.key(above.label), [])
    return bool(slots) and bool(slots[0].unit) and _unit(above.unit) == slots[0].unit


def _join_wrapped(rows: list[AppendixRow], shape: _Form,
                  page_ends: frozenset[int] = frozenset()) -> tuple[list[AppendixRow], list[tuple[int, int]]]:
    """Rows that a page break or a converted document cut into several table rows, joined into one:
    - a label that goes on in the rows below it (rows with no number and the rest of the label, the unit
      and note going on too), where the joined label is exactly a label of the form and the first part
      alone is none;
    - a row with no number, no label and no figure, only the rest of the unit or note of the row above (or, where
      it is the last row before the header repeated at a page break, the top of the row below);
    The figure is never joined: at most one of the rows holds one. `page_ends`: lines of the rows that stand
    last before a repeated header."""
    out: list[AppendixRow] = []
    joined: list[tuple[int, int]] = []
    index = 0
    while index < len(rows):
        row = rows[index]
        taken = 0
        if shape.labels.key(row.label) not in shape.by_key and row.label.strip() and not shape.is_area_row(row):
            for count in range(2, _MOST_WRAPPED_ROWS + 1):
                parts = rows[index:index + count]
                if len(parts) < count or any(p.number.strip() or not p.label.strip() for p in parts[1:]):
                    break
                if sum(bool(p.value.strip()) for p in parts) > 1:
                    break
                label = _joined_text([p.label for p in parts])
                if shape.labels.key(label) in shape.by_key:
                    taken = count
                    out.append(AppendixRow(row.line, row.number, label, _joined_text([p.unit for p in parts]),
                                           next((p.value for p in parts if p.value.strip()), ""),
                                           _joined_text([p.note for p in parts])))
                    joined.append((row.line, parts[-1].line))
                    break
        elif not row.number.strip() and not row.label.strip() and not row.value.strip() \
                and (row.unit.strip() or row.note.strip()) and row.line in page_ends and index + 1 < len(rows) \
                and rows[index + 1].label.strip() and not rows[index + 1].number.strip():
            # the top of a row cut by a page break, its label set lower down (on the next page): it is the next
            # row's, not the row above's
            below = rows[index + 1]
            out.append(AppendixRow(below.line, below.number, below.label, _joined_text([row.unit, below.unit]),
                                   below.value, _joined_text([row.note, below.note])))
            joined.append((row.line, below.line))
            taken = 2
        elif out and not row.number.strip() and not row.label.strip() and not row.value.strip() \
                and (row.unit.strip() or row.note.strip()) and not _has_its_unit(out[-1], row, shape):
            above = out[-1]
            out[-1] = AppendixRow(above.line, above.number, above.label, _joined_text([above.unit, row.unit]),
                                  above.value, _joined_text([above.note, row.note]))
            if joined and joined[-1][0] == above.line:
                joined[-1] = (above.line, row.line)
            else:
                joined.append((above.line, row.line))
            taken = 1
        if not taken:
            out.append(row)
            taken = 1
        index += taken
    return out, joined


def match_appendix(rows: list[AppendixRow], form: FormVersion, catalogue: Catalogue,
                   labels: Labels, page_ends: frozenset[int] = frozenset()) -> FormMatch:
    """Place every row of the document on a row of `form`: by its label and its group, then the
    rows left by likeness and order (each listed in FormMatch.likely). A label wrapped over several
    table rows is joined first (FormMatch.joined)."""
    shape = _Form(form, catalogue, labels)
    rows, joined = _join_wrapped(rows, shape, page_ends)
    fixed: dict[int, _Slot] = {}
    likeness: dict[int, float] = {}
    placed = _place(rows, shape, fixed)
    for _ in range(3):  # a heading placed by likeness gives its group to the rows under it: place again
        found = _likely(rows, shape, placed)
        if not found:
            break
        fixed.update((line, slot) for line, (slot, _) in found.items())
        likeness.update((line, score) for line, (_, score) in found.items())
        placed = _place(rows, shape, fixed)
    unmatched = [u if u.kind != "unknown" else UnmatchedRow(u.row, u.kind, u.reason,
                                                            shape.closest(labels.key(u.row.label)))
                 for u in placed.unmatched]
    claimed = placed.claimed
    values = tuple(ImportedValue(s.indicator, vietnamese_number(claimed[s.position].value),
                                 claimed[s.position].note, claimed[s.position].line)
                   for s in shape.slots if s.position in claimed)
    missing = tuple(s.indicator for s in shape.slots if s.position not in claimed)
    likely = tuple(LikelyMatch(row, s.indicator, s.label, round(likeness[row.line], 2))
                   for s in shape.slots if s.position in claimed
                   for row in (claimed[s.position],) if row.line in fixed)
    return FormMatch(form.id, values, tuple(unmatched), missing,
                     tuple(sorted(likely, key=lambda m: m.row.line)), tuple(joined), tuple(placed.areas))


def _label_of(shape: _Form, indicator: str | None) -> str:
    return next((s.label for s in shape.slots if s.indicator == indicator), indicator or "")
