"""Match appendix rows with a form version's rows by label and by place.

A row is identified by its label, compared with normalise_label and the
spelling variants of data/catalogue/spelling-variants.yaml, against every
label the form and the catalogue know for a row (the printed label, the
catalogue label, the aliases). Where the same label sits under several
groups ("Số vấn đề phát hiện qua kiểm tra" under I.2 and IV.6), the group
heading above the row decides. Row order is never used: a department's copy
may drop, add or reorder rows. A row that cannot be placed is returned with
its closest candidates; it is never guessed and never dropped silently.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from difflib import SequenceMatcher
from pathlib import Path

from ..fields import Fields, expect_mapping, expect_sequence
from ..load import read_yaml_file
from ..model import Catalogue, FormVersion
from ..problems import Collector, relative_name
from .record import ImportedValue, normalise_label, vietnamese_number
from .text import AppendixRow

_ROMAN = re.compile(r"^[IVX]+$")
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
class FormMatch:
    form: str
    values: tuple[ImportedValue, ...]  # in form order
    unmatched: tuple[UnmatchedRow, ...]  # in document order
    missing: tuple[str, ...]  # indicators of the form that no row of the document gives


@dataclass(frozen=True)
class _Slot:
    """One row of a form: its indicator, the group heading above it, the labels it answers to."""

    position: int
    indicator: str
    group: str  # the indicator of the numbered row this row sits under (its own, on a numbered row)
    is_group: bool
    label: str
    keys: frozenset[str]


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
            keys = frozenset(labels.key(t) for t in (printed, ind.label_vi, *ind.aliases))
            self.slots.append(_Slot(position, row.indicator, group, bool(row.number), printed, keys))
        self.by_key: dict[str, list[_Slot]] = {}
        for slot in self.slots:
            for key in slot.keys:
                self.by_key.setdefault(key, []).append(slot)
        self.area_keys = {labels.key(title) for _, title in form.area_titles} \
            | {labels.key(a.label_vi) for a in catalogue.areas}

    def is_area_row(self, row: AppendixRow) -> bool:
        key = self.labels.key(row.label)
        return bool(_ROMAN.match(row.number)) or (key in self.area_keys and key not in self.by_key)

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


def match_appendix(rows: list[AppendixRow], form: FormVersion, catalogue: Catalogue,
                   labels: Labels) -> FormMatch:
    """Place every row of the document on a row of `form` by its label and its group."""
    shape = _Form(form, catalogue, labels)
    claimed: dict[int, AppendixRow] = {}
    unmatched: list[UnmatchedRow] = []
    group: str | None = None  # the group heading the rows below belong to; None when unknown
    for row in rows:
        if shape.is_area_row(row):
            group = None
            continue
        key = labels.key(row.label)
        found = shape.by_key.get(key, [])
        if len(found) > 1:
            in_group = [s for s in found if s.group == group]
            if len(in_group) != 1:
                where = f"under '{_label_of(shape, group)}'" if group else "under an unrecognised group heading"
                reason = f"the label belongs to {len(found)} groups of form {form.id}, and none of them is " \
                         f"the row's group ({where})"
                candidates = tuple(Candidate(s.indicator, s.label, 1.0, _label_of(shape, s.group)) for s in found)
                unmatched.append(UnmatchedRow(row, "ambiguous", reason, candidates))
                continue
            found = in_group
        if not found:
            reason = f"no row of form {form.id} has this label"
            unmatched.append(UnmatchedRow(row, "unknown", reason, shape.closest(key)))
            if row.number:
                group = None  # an unknown group heading: its sub-rows cannot borrow the previous group
            continue
        slot = found[0]
        if slot.position in claimed:
            unmatched.append(UnmatchedRow(row, "repeated", f"line {claimed[slot.position].line} is already this row "
                                          f"({slot.indicator})", (Candidate(slot.indicator, slot.label, 1.0),)))
            continue
        claimed[slot.position] = row
        if slot.is_group:
            group = slot.indicator
    values = tuple(ImportedValue(s.indicator, vietnamese_number(claimed[s.position].value),
                                 claimed[s.position].note, claimed[s.position].line)
                   for s in shape.slots if s.position in claimed)
    missing = tuple(s.indicator for s in shape.slots if s.position not in claimed)
    return FormMatch(form.id, values, tuple(unmatched), missing)


def _label_of(shape: _Form, indicator: str | None) -> str:
    return next((s.label for s in shape.slots if s.indicator == indicator), indicator or "")
