"""YAML text -> nodes that remember their positions.

This is the only module that sees raw YAML. It refuses what PyYAML would
silently accept: duplicate keys (PyYAML keeps the last) and anchors/aliases
(an alias bomb would expand a small file into gigabytes).
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Union

import yaml

from .problems import Collector, Origin

try:  # The C loader is ~8x faster and is in the PyYAML wheels.
    _Loader = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - pure-Python PyYAML build
    _Loader = yaml.SafeLoader

MAX_FILE_BYTES = 5 * 1024 * 1024  # a 178-row report is ~20 KB


@dataclass(frozen=True)
class Scalar:
    text: str
    quoted: bool
    origin: Origin

    @property
    def is_null(self) -> bool:
        return not self.quoted and self.text in ("", "~", "null", "Null", "NULL")


@dataclass(frozen=True)
class Mapping:
    items: tuple[tuple[Scalar, "Node"], ...]
    origin: Origin

    def get(self, key: str) -> "Node | None":
        for k, v in self.items:
            if k.text == key:
                return v
        return None

    def keys(self) -> list[str]:
        return [k.text for k, _ in self.items]


@dataclass(frozen=True)
class Sequence:
    items: tuple["Node", ...]
    origin: Origin


Node = Union[Scalar, Mapping, Sequence]


def _origin(name: str, node: yaml.Node) -> Origin:
    mark = node.start_mark
    return Origin(name, mark.line + 1, mark.column + 1)


def _convert(name: str, node: yaml.Node, problems: Collector) -> Node:
    if isinstance(node, yaml.ScalarNode):
        return Scalar(node.value, node.style in ("'", '"', "|", ">"), _origin(name, node))
    if isinstance(node, yaml.SequenceNode):
        return Sequence(tuple(_convert(name, n, problems) for n in node.value), _origin(name, node))
    assert isinstance(node, yaml.MappingNode)
    seen: dict[str, Origin] = {}
    items = []
    for key_node, value_node in node.value:
        key = _convert(name, key_node, problems)
        if not isinstance(key, Scalar):
            problems.error("E104", "a key must be plain text, not a list or mapping", key.origin,
                           "write the key as a single word, e.g. an indicator ID")
            continue
        if key.text in seen:
            first = seen[key.text]
            problems.error("E102", f"duplicate key '{key.text}' (first at line {first.line})", key.origin,
                           "YAML would silently keep only the last one; remove or rename one of them")
            continue
        seen[key.text] = key.origin
        items.append((key, _convert(name, value_node, problems)))
    return Mapping(tuple(items), _origin(name, node))


def _first_alias(text: str) -> yaml.Mark | None:
    for event in yaml.parse(text, Loader=_Loader):
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            return event.start_mark
    return None


class _Unusual(Exception):
    """The fast reader met something only the careful path reports exactly."""


_QUOTED = ("'", '"', "|", ">")


def _compose_plain(text: str, name: str) -> Node:
    """One document without anchors, aliases, repeated or non-text keys, straight from the parser's events.

    The same nodes as the careful path (compose, then _convert) gives such a document, without the
    tag resolution and intermediate nodes it does not need. Raises _Unusual for anything else, and
    lets YAML errors through: the careful path then reports them.
    """
    parser = _Loader(text)
    try:
        get = parser.get_event
        get()  # the stream's start
        event = get()
        if event.__class__ is not yaml.DocumentStartEvent:
            raise _Unusual  # an empty stream
        stack: list[list] = []  # one frame per open collection: [items, origin, pending key or None, keys or None]
        root: Node | None = None
        while True:
            event = get()
            kind = event.__class__
            if kind is yaml.ScalarEvent:
                if event.anchor is not None:
                    raise _Unusual
                mark = event.start_mark
                node: Node = Scalar(event.value, event.style in _QUOTED, Origin(name, mark.line + 1, mark.column + 1))
            elif kind is yaml.MappingStartEvent or kind is yaml.SequenceStartEvent:
                if event.anchor is not None:
                    raise _Unusual
                mark = event.start_mark
                stack.append([[], Origin(name, mark.line + 1, mark.column + 1), None,
                              set() if kind is yaml.MappingStartEvent else None])
                continue
            elif kind is yaml.MappingEndEvent:
                items, origin, _, _ = stack.pop()
                node = Mapping(tuple(items), origin)
            elif kind is yaml.SequenceEndEvent:
                items, origin, _, _ = stack.pop()
                node = Sequence(tuple(items), origin)
            elif kind is yaml.DocumentEndEvent:
                break
            else:
                raise _Unusual  # an alias
            if not stack:
                root = node
                continue
            frame = stack[-1]
            keys = frame[3]
            if keys is None:
                frame[0].append(node)
            elif frame[2] is None:
                if node.__class__ is not Scalar or node.text in keys:
                    raise _Unusual  # a key the careful path reports
                keys.add(node.text)
                frame[2] = node
            else:
                frame[0].append((frame[2], node))
                frame[2] = None
        if get().__class__ is not yaml.StreamEndEvent:
            raise _Unusual  # a second document
        assert root is not None
        return root
    finally:
        parser.dispose()


def parse_yaml(text: str, name: str, problems: Collector) -> Node | None:
    """Parse YAML text; append problems and return None when it is unusable."""
    if text.startswith("\ufeff"):
        text = text[1:]  # a BOM from Windows editors is harmless
    try:
        return _compose_plain(text, name)
    except (_Unusual, yaml.YAMLError):
        pass  # read it again the careful way, which says exactly what is wrong
    try:
        mark = _first_alias(text) if "&" in text or "*" in text else None
        if mark is not None:
            problems.error("E105", "anchors and aliases (&name, *name) are not allowed in data files",
                           Origin(name, mark.line + 1, mark.column + 1), "write each value out in full")
            return None
        root = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        message = exc.problem or str(exc)
        hint = "check the indentation (spaces only, no tabs) and the quoting on this line"
        if "\t" in message or "tab" in message:
            hint = "YAML does not allow tabs for indentation; use spaces"
        problems.error("E101", f"YAML syntax error: {message}", Origin(name, line, column), hint)
        return None
    except yaml.YAMLError as exc:
        problems.error("E101", f"YAML syntax error: {exc}", Origin(name, 1, 1),
                       "check the file is a YAML document")
        return None
    if root is None:
        problems.error("E104", "the file is empty", Origin(name, 1, 1), "see README.md for the layout of a data file")
        return None
    return _convert(name, root, problems)


def read_yaml_file(path: Path, name: str, problems: Collector) -> Node | None:
    """Read and parse one YAML file; `name` is how problems refer to it."""
    try:
        size = path.stat().st_size
    except OSError as exc:
        problems.error("E103", f"cannot read the file: {exc.strerror}", Origin(name), "check the path")
        return None
    if size > MAX_FILE_BYTES:
        problems.error("E106", f"the file is {size // 1024 // 1024} MB, more than the {MAX_FILE_BYTES // 1024 // 1024} MB a data file may have",
                       Origin(name, 1, 1), "a report is a few dozen KB; check that this is the right file")
        return None
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        hint = "save the file as UTF-8"
        if raw[:2] in (b"\xff\xfe", b"\xfe\xff"):
            hint = "the file is UTF-16; save it as UTF-8"
        problems.error("E103", "the file is not valid UTF-8 text", Origin(name, line, 1), hint)
        return None
    return parse_yaml(text, name, problems)
