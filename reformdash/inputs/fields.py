"""Reading typed fields out of positioned YAML nodes, appending problems.

Shared by the catalogue reader and the report validator so that a missing
field or a list where text belongs gets the same message everywhere.
"""
from __future__ import annotations

import calendar
import difflib
import re
from datetime import date
from typing import Iterable

from .load import Mapping, Node, Scalar, Sequence
from ..numbers import digit_named, other_digit
from ..problems import Collector, Origin

# [0-9], not \d: \d and int() take any script's digits ('੨੦੨੩' would be read as 2023).
_DATE = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")
# An ID is a folder name of the site: fullmatch, so that "snv\n" is refused rather than
# published under a name no link reaches.
_SLUG = re.compile(r"[a-z0-9][a-z0-9-]*")
_INDICATOR_ID = re.compile(r"[a-z][a-z0-9_]*")  # its page is chi-tieu/<id with '-' for '_'>/


def shown(text: str) -> str:
    """Text for a one-line message: a newline or other invisible character written as its escape."""
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)


def closest(word: str, candidates: Iterable[str]) -> str:
    match = difflib.get_close_matches(word, list(candidates), n=1, cutoff=0.5)
    return match[0] if match else ""


def node_kind(node: Node) -> str:
    return {Scalar: "text", Mapping: "a mapping", Sequence: "a list"}[type(node)]


class Fields:
    """Typed access to one mapping's fields; problems go to the collector."""

    def __init__(self, node: Mapping, problems: Collector, what: str):
        self.node = node
        self.problems = problems
        self.what = what

    @property
    def origin(self) -> Origin:
        return self.node.origin

    def origin_of(self, key: str) -> Origin:
        for k, _ in self.node.items:
            if k.text == key:
                return k.origin
        return self.node.origin

    def check_keys(self, allowed: Iterable[str]) -> None:
        allowed = list(allowed)
        for key, _ in self.node.items:
            if key.text not in allowed:
                near = closest(key.text, allowed)
                hint = f"did you mean '{near}'?" if near else "allowed: " + ", ".join(allowed)
                self.problems.error("E202", f"unknown field '{key.text}' in {self.what}", key.origin, hint)

    def scalar(self, key: str, required: bool = True) -> Scalar | None:
        node = self.node.get(key)
        if node is None:
            if required:
                self.problems.error("E201", f"{self.what} has no '{key}'", self.node.origin,
                                    f"add the field '{key}:'")
            return None
        if not isinstance(node, Scalar):
            self.problems.error("E204", f"'{key}' must be text, not {node_kind(node)}", node.origin,
                                "write a single value after the colon")
            return None
        if node.is_null:
            if required:
                self.problems.error("E201", f"'{key}' is empty", node.origin, f"give '{key}' a value")
            return None
        return node

    def text(self, key: str, required: bool = True, default: str = "") -> str:
        node = self.scalar(key, required)
        return " ".join(node.text.split()) if node is not None else default

    def raw_text(self, key: str, default: str = "") -> str:
        """Text kept exactly (notes keep their line breaks and spacing)."""
        node = self.scalar(key, required=False)
        return node.text if node is not None else default

    def slug(self, key: str) -> str:
        return self._id(key, _SLUG, "ID", "IDs are lower-case ASCII letters, digits and '-' (no spaces, no '_', "
                        "no '/', no diacritics)")

    def indicator_id(self, key: str) -> str:
        """An indicator's ID: '_' between words; its page's folder has '-' instead, so '-' is refused."""
        return self._id(key, _INDICATOR_ID, "indicator ID", "indicator IDs are lower-case ASCII letters, digits "
                        "and '_', starting with a letter (no '-', no spaces, no diacritics)")

    def _id(self, key: str, pattern: re.Pattern[str], what: str, hint: str) -> str:
        node = self.scalar(key)
        if node is None:
            return ""
        if not pattern.fullmatch(node.text):
            self.problems.error("E218", f"'{shown(node.text)}' is not a valid {what}", node.origin, hint)
            return ""
        return node.text

    def year(self, key: str) -> int | None:
        """A year written with four digits 0-9 (a plan's year): None, with a problem, for anything else."""
        node = self.scalar(key, True)
        if node is None:
            return None
        if self._other_digit(node, key, "write the year with 0-9, e.g. 2024"):
            return None
        if not re.fullmatch("(19|20)[0-9]{2}", node.text):
            self.problems.error("E204", f"'{key}' must be a year, not '{node.text}'", node.origin,
                                "write the year with four digits, e.g. 2024")
            return None
        return int(node.text)

    def _other_digit(self, node: Scalar, key: str, hint: str) -> bool:
        """Whether the value uses another script's digits (E219): int() would read '੨੦੨੩' as 2023."""
        if digit := other_digit(node.text):
            self.problems.error("E219", f"'{key}' = {node.text} uses the digit {digit_named(digit)}; only the digits "
                                "0-9 are accepted", node.origin, hint)
        return bool(digit)

    def date(self, key: str, required: bool = True) -> date | None:
        node = self.scalar(key, required)
        if node is None:
            return None
        if self._other_digit(node, key, "write dates as YYYY-MM-DD with 0-9, e.g. 2023-03-31"):
            return None
        m = _DATE.fullmatch(node.text)
        try:
            if not m:
                raise ValueError
            return date(int(m[1]), int(m[2]), int(m[3]))
        except ValueError:
            hint = "write dates as YYYY-MM-DD, e.g. 2023-03-31"
            if m and 1 <= int(m[2]) <= 12:  # written right, but no such day: say which month is too short
                days = calendar.monthrange(int(m[1]), int(m[2]))[1]
                hint = f"{int(m[2]):02d}/{int(m[1])} has {days} days: check the day in the document"
            self.problems.error("E204", f"'{key}' must be a date, not '{node.text}'", node.origin, hint)
            return None

    def boolean(self, key: str, default: bool = False) -> bool:
        node = self.scalar(key, required=False)
        if node is None:
            return default
        if node.text in ("true", "false"):
            return node.text == "true"
        self.problems.error("E204", f"'{key}' must be true or false", node.origin, "write true or false")
        return default

    def text_list(self, key: str) -> tuple[str, ...]:
        node = self.node.get(key)
        if node is None or (isinstance(node, Scalar) and node.is_null):
            return ()
        if isinstance(node, Scalar):
            return (node.text,)
        if isinstance(node, Sequence) and all(isinstance(n, Scalar) for n in node.items):
            return tuple(n.text for n in node.items)  # type: ignore[union-attr]
        self.problems.error("E204", f"'{key}' must be a list of text", node.origin, "write [a, b] or one item per line")
        return ()

    def mapping(self, key: str, required: bool = False) -> Mapping | None:
        node = self.node.get(key)
        if node is None or (isinstance(node, Scalar) and node.is_null):
            if required:
                self.problems.error("E201", f"{self.what} has no '{key}'", self.node.origin, f"add '{key}:'")
            return None
        if not isinstance(node, Mapping):
            self.problems.error("E204", f"'{key}' must be a mapping, not {node_kind(node)}", node.origin,
                                f"write '{key}:' followed by indented 'name: value' lines")
            return None
        return node

    def sequence(self, key: str, required: bool = False) -> Sequence | None:
        node = self.node.get(key)
        if node is None or (isinstance(node, Scalar) and node.is_null):
            if required:
                self.problems.error("E201", f"{self.what} has no '{key}'", self.node.origin, f"add '{key}:'")
            return None
        if not isinstance(node, Sequence):
            self.problems.error("E204", f"'{key}' must be a list, not {node_kind(node)}", node.origin,
                                "write one '- item' per line")
            return None
        return node


def expect_mapping(node: Node | None, problems: Collector, what: str) -> Mapping | None:
    if node is None:
        return None
    if not isinstance(node, Mapping):
        problems.error("E104", f"{what} must be a mapping of 'name: value' lines, not {node_kind(node)}",
                       node.origin, "see README.md for the layout of this file")
        return None
    return node


def expect_sequence(node: Node | None, problems: Collector, what: str) -> Sequence | None:
    if node is None:
        return None
    if not isinstance(node, Sequence):
        problems.error("E104", f"{what} must be a list of '- ' items, not {node_kind(node)}",
                       node.origin, "see README.md for the layout of this file")
        return None
    return node
