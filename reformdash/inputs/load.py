"""YAML text -> nodes that remember their positions.

This is the only module that sees raw YAML. It refuses what PyYAML would
silently accept: duplicate keys (PyYAML keeps the last), anchors/aliases
(an alias bomb would expand a small file into gigabytes) and values nested
deeper than any data file needs (the careful path recurses).

It also holds the one reader of input files (`input_bytes`): it reads regular
files inside the project only, up to a size limit, and never waits on a pipe
or reads a device.
"""
from __future__ import annotations

import dataclasses
import errno
import hashlib
import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Union

import yaml

from ..problems import Collector, Origin, Problem, Severity

try:  # The C loader is ~8x faster and is in the PyYAML wheels.
    _Loader = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - pure-Python PyYAML build
    _Loader = yaml.SafeLoader

MAX_FILE_BYTES = 5 * 1024 * 1024  # a 178-row report is ~20 KB
MAX_NARRATIVE_BYTES = 1024 * 1024  # a report's narrative is a few pages of text, ~10 KB
MAX_DEPTH = 20  # a report nests 4 levels (values, indicator, value and note); a plan 5


@dataclass(frozen=True)
class InputKind:
    """What a kind of input file may weigh, and how a problem calls it."""

    limit: int
    size_code: str
    noun: str
    size_hint: str


DATA_FILE = InputKind(MAX_FILE_BYTES, "E106", "a data file",
                      "a report is a few dozen KB; check that this is the right file")
NARRATIVE = InputKind(MAX_NARRATIVE_BYTES, "E111", "a narrative",
                      "a narrative is a few pages of text; check that this is the right file, or shorten it")


class Refused(OSError):
    """An input file that is not read, with the problem that says why.

    An OSError, so that code which treats an unreadable file as "let the loader report it" treats
    a refused one the same way.
    """

    def __init__(self, code: str, message: str, hint: str, line: int = 0):
        super().__init__(message)
        self.code, self.message, self.hint, self.line = code, message, hint, line


def editor_lock(path: Path | os.DirEntry) -> bool:
    """Whether a file is an editor's mark beside the file being edited, not the clerk's own: Emacs's link to
    nothing, ".#2023-q1.yaml", there for as long as the file is open with changes."""
    try:
        return path.name.startswith(".#") and path.is_symlink()
    except OSError:
        return False


def listed(folder: Path, pattern: str) -> list[Path]:
    """The files of `folder` matching `pattern` (glob), an editor's lock marks left out (see `editor_lock`)."""
    return [path for path in folder.glob(pattern) if not editor_lock(path)]


def _megabytes(size: int) -> str:
    # Below 10 MB with a tenth, rounded up: "the file is 5 MB, more than the 5 MB" would say nothing.
    if size >= 10 * 2**20:
        return f"{size // 2**20} MB"
    tenths = -(-size * 10 // 2**20)
    return f"{tenths // 10} MB" if tenths % 10 == 0 else f"{tenths // 10}.{tenths % 10} MB"


_NOT_REGULAR = ((stat.S_ISFIFO, "a named pipe (FIFO)"), (stat.S_ISCHR, "a character device"),
                (stat.S_ISBLK, "a block device"), (stat.S_ISSOCK, "a socket"))


def _refuse_kind(mode: int, path: Path) -> None:
    if stat.S_ISREG(mode):
        return
    if stat.S_ISDIR(mode):
        raise Refused("E107", "this is a folder, not a file",
                      f"a file is expected here; rename or move the folder '{path.name}'")
    kind = next((name for test, name in _NOT_REGULAR if test(mode)), "not a regular file")
    raise Refused("E108", f"this is {kind}, not a regular file",
                  "replace it with the file itself: only regular files are read")


def _outside(path: Path, root: Path) -> Path | None:
    """Where `path` really leads when that is outside `root` (through a link), else None."""
    try:
        target = Path(os.path.realpath(path))
        inside = target.is_relative_to(Path(os.path.realpath(root)))
    except (OSError, RuntimeError, ValueError):
        return None  # a link loop: opening the file reports it
    return None if inside else target


def input_bytes(path: Path, kind: InputKind = DATA_FILE, root: Path | None = None) -> bytes:
    """The bytes of one input file; raises Refused for anything the site must not read.

    Refused: a path that leads outside `root` (through a link), anything but a regular file (a folder,
    a FIFO, a device, a socket), a file over the kind's size limit, a file that cannot be opened.
    The file is looked at before it is opened, and opened without waiting, so that a FIFO or a device
    never blocks or feeds the run forever; at most the limit is read, even from a file that grows.
    """
    if root is not None and (target := _outside(path, root)) is not None:
        raise _leaving(target)
    try:
        _refuse_kind(os.stat(path).st_mode, path)
        handle = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY | os.O_CLOEXEC)
    except Refused:
        raise
    except OSError as exc:
        raise _unreadable(exc, path) from None
    try:
        status = os.fstat(handle)
        _refuse_kind(status.st_mode, path)  # replaced between the look and the opening
        if status.st_size > kind.limit:
            raise _too_big(status.st_size, kind)
        chunks, total = [], 0
        while total <= kind.limit:
            chunk = os.read(handle, min(kind.limit + 1 - total, 1024 * 1024))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
        if total > kind.limit:  # it grew while it was read
            raise _too_big(max(os.fstat(handle).st_size, total), kind)
        return b"".join(chunks)
    except Refused:
        raise
    except OSError as exc:
        raise _unreadable(exc, path) from None
    finally:
        os.close(handle)


def _leaving(target: Path) -> Refused:
    return Refused("E109", f"the file is a link to {target}, outside the project",
                   "copy the file into the project instead of linking to it: nothing outside the project is read")


def _too_big(size: int, kind: InputKind) -> Refused:
    return Refused(kind.size_code, f"the file is {_megabytes(size)}, more than the {_megabytes(kind.limit)} "
                   f"{kind.noun} may have", kind.size_hint, line=1)


def _unreadable(exc: OSError, path: Path) -> Refused:
    reason = (exc.strerror or str(exc)).lower()
    if exc.errno in (errno.EACCES, errno.EPERM):
        hint = "let the user who runs the build read the file (e.g. chmod a+r)"
    elif exc.errno == errno.ENOENT and os.path.islink(path):
        hint = "the file is a link to a file that does not exist; link to an existing file or remove the link"
    elif exc.errno == errno.ELOOP:
        hint = "the file is a link that leads back to itself; replace it with the file"
    else:
        hint = "check the path: every folder on it must be a folder and the file must exist"
    return Refused("E110", f"cannot read the file: {reason}", hint)


def read_input(path: Path, name: str, problems: Collector, kind: InputKind = DATA_FILE,
               root: Path | None = None) -> str | None:
    """One input file as UTF-8 text, or None after appending the problem that says why not.

    `name` is how problems about its content refer to the file; a refused file is named by its place in
    `root`. Without `root`, a name that is not relative to the project (`relative_name` found the file's
    real place outside it) for a path that goes through a link counts as a link leaving the project.
    """
    try:
        if root is None and Path(name).is_absolute() and os.path.realpath(path) != os.path.abspath(path):
            raise _leaving(Path(os.path.realpath(path)))
        raw = input_bytes(path, kind, root)
    except Refused as refused:
        if root is not None:  # a link is known by its place in the project, not by where it leads
            within = Path(os.path.relpath(os.path.abspath(path), os.path.abspath(root)))
            name = name if within.parts[:1] == ("..",) else within.as_posix()
        problems.error(refused.code, refused.message, Origin(name, refused.line, 1 if refused.line else 0),
                       refused.hint)
        return None
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        begins = raw.rfind(b"\n", 0, exc.start) + 1
        column = len(raw[begins:exc.start].decode("utf-8", errors="replace")) + 1  # (the first byte not read)
        if raw[:2] in (b"\xff\xfe", b"\xfe\xff") or raw[:200].count(b"\0") * 4 > len(raw[:200]):
            hint = "the file is UTF-16; save it as UTF-8"
            line, column = 1, 1
        else:  # (a byte UTF-8 does not have, not UTF-16: what older Vietnamese software saves)
            hint = ("the file was saved in an older encoding (Windows-1258, TCVN3 or VNI); save it as UTF-8 (in "
                    "Notepad: Save As, Encoding: UTF-8)")
        problems.error("E103", "the file is not valid UTF-8 text", Origin(name, line, column), hint)
        return None


def input_digest(path: Path, root: Path | None = None, kind: InputKind = DATA_FILE) -> str:
    """A file's content as a cache key needs it: "" for no file, the refusal for a file that is not read."""
    if not os.path.lexists(path):
        return ""
    try:
        return hashlib.sha256(input_bytes(path, kind, root)).hexdigest()
    except Refused as refused:
        return f"{refused.code} {refused.message}"


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


def _first_refused(text: str) -> tuple[yaml.Mark, bool] | None:
    """Where the first anchor or alias is, or the first collection nested too deep (True), if any."""
    depth = 0
    for event in yaml.parse(text, Loader=_Loader):
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            return event.start_mark, False
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_DEPTH:
                return event.start_mark, True
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1
    return None


class _TooDeep(Exception):
    """A collection opened deeper than MAX_DEPTH, at `mark`."""

    def __init__(self, mark: yaml.Mark):
        super().__init__()
        self.mark = mark


def _too_deep(mark: yaml.Mark, name: str, problems: Collector) -> None:
    problems.error("E112", f"values nested more than {MAX_DEPTH} levels deep",
                   Origin(name, mark.line + 1, mark.column + 1),
                   "a data file needs a few levels at most; check the brackets and the indentation")


class _Unusual(Exception):
    """The fast reader met something only the careful path reports exactly."""


_QUOTED = ("'", '"', "|", ">")


def _compose_plain(text: str, name: str, cut: list[tuple[Scalar, Scalar]] | None = None) -> Node:
    """One document without anchors, aliases, repeated or non-text keys, straight from the parser's events.

    The same nodes as the careful path (compose, then _convert) gives such a document, without the
    tag resolution and intermediate nodes it does not need. Raises _Unusual for anything else, and
    lets YAML errors through: the careful path then reports them. Each unquoted text of words that a
    comment follows on its line goes into `cut` with its key (see parse_yaml).
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
                if len(stack) == MAX_DEPTH:
                    raise _TooDeep(mark)  # before the careful path would recurse into it
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
                if cut is not None and kind is yaml.ScalarEvent and not event.style \
                        and event.value not in _NULLS \
                        and (" " in event.value or frame[2].text in _FREE_TEXT) and _comment_after(text, event.end_mark):
                    cut.append((frame[2], node))
                frame[0].append((frame[2], node))
                frame[2] = None
        if get().__class__ is not yaml.StreamEndEvent:
            raise _Unusual  # a second document
        assert root is not None
        return root
    finally:
        parser.dispose()


# A value left empty on purpose: a comment after it cuts nothing ("title: ~  # not found in the document").
_NULLS = frozenset({"~", "null", "Null", "NULL", ""})
# Fields of free text, where a comment after a single word cuts it too ("note: 03/KH-STNMT #ban hành ...").
_FREE_TEXT = frozenset({"note", "evidence", "remark", "template_note", "explanation", "title", "history_vi"})


def _comment_after(text: str, end: yaml.Mark) -> bool:
    """Whether a comment follows on the line where a value ends."""
    line_end = text.find("\n", end.index)
    return text[end.index:line_end if line_end >= 0 else len(text)].lstrip(" ").startswith("#")


# Unicode's bidirectional embeddings, overrides and isolates: "‮001" is shown as "100".
_DIRECTION_CONTROL = re.compile("[\u202a-\u202e\u2066-\u2069]")


# What YAML 1.1 does not allow in a file (its "printable" set left out): NUL and the other control characters.
_NOT_PRINTABLE = re.compile("[^\x09\x0a\x0d\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


# A numeric character reference ("&#x202E;", "&#8238;"): in a Markdown text, the character itself on the page. A
# browser reads any number of leading zeros, and the reference without its ';' too.
_CHARACTER_REFERENCE = re.compile(r"&#(?:[xX]0*([0-9a-fA-F]{1,8})(?![0-9a-fA-F])|0*([0-9]{1,10})(?![0-9]));?")


def direction_control(text: str, name: str, markup: bool = False) -> Problem | None:
    """E113 at the first invisible direction control of a text (a data file, a content page, a narrative); in
    `markup` (Markdown) also one written as a character reference, which the page shows as the character."""
    hidden = _DIRECTION_CONTROL.search(text)
    at, character, written = (hidden.start(), hidden.group(), "") if hidden is not None else (-1, "", "")
    if markup:
        for reference in _CHARACTER_REFERENCE.finditer(text, 0, at if at >= 0 else len(text)):
            code = int(reference[1], 16) if reference[1] else int(reference[2])
            if code <= 0x10FFFF and _DIRECTION_CONTROL.fullmatch(chr(code)):
                at, character, written = reference.start(), chr(code), f", written as '{reference.group()}'"
                break
    if at < 0:
        return None
    line = text.count("\n", 0, at) + 1
    column = at - (text.rfind("\n", 0, at) + 1) + 1
    return Problem(Severity.ERROR, "E113", f"the text holds an invisible direction control "
                   f"(U+{ord(character):04X}{written}), which shows the characters after it in another order than "
                   "they are written", Origin(name, line, column), "retype that text without it: Vietnamese needs none")


# What an escape in a double-quoted text ("\u202E", "\x0b") can put into it that the file itself may not hold.
# (and the line breaks an editor shows as such, which a file's own are read as: "\n" in the texts read)
_HIDDEN_BY_ESCAPE = re.compile(f"{_DIRECTION_CONTROL.pattern}|{_NOT_PRINTABLE.pattern}|[\x85\u2028\u2029]")


def escaped_controls(root: Node, name: str) -> list[Problem]:
    """An error at each double-quoted text whose escapes make a direction control (E113) or a control character
    (E101): the checks of the file's own characters cannot see them, and the page, the CSV and the JSON would
    carry them."""
    found, waiting = [], [root]
    while waiting:
        node = waiting.pop()
        if isinstance(node, Scalar):
            hidden = _HIDDEN_BY_ESCAPE.search(node.text) if node.quoted else None
            if hidden is None:
                continue
            character = hidden.group()
            if _DIRECTION_CONTROL.fullmatch(character):
                found.append(Problem(Severity.ERROR, "E113", f"the text holds an invisible direction control "
                                     f"(U+{ord(character):04X}, written as an escape), which shows the characters "
                                     "after it in another order than they are written", node.origin,
                                     "remove the escape from the text: Vietnamese needs none"))
            else:
                found.append(Problem(Severity.ERROR, "E101", f"the text holds the control character "
                                     f"U+{ord(character):04X} (written as an escape), which a data file cannot hold",
                                     node.origin, "remove the escape from the text: the character is invisible"))
        elif isinstance(node, Sequence):
            waiting.extend(reversed(node.items))
        else:
            waiting.extend(part for pair in reversed(node.items) for part in reversed(pair))
    return found


# Line breaks to YAML, not to an editor: a line separator pasted into a note moved every position after it
# (in a message and on the quality page) a line down. Each is read as a character of its line, as an editor
# shows it (a stand-in from the private use area while parsing), and is a line break ("\n") in the texts read:
# kept as itself, it broke the rows of the CSV downloads for every program that splits lines at it.
_OTHER_BREAK = re.compile("[\x85\u2028\u2029]")
_STAND_INS = str.maketrans({"\x85": "\uf8f0", "\u2028": "\uf8f1", "\u2029": "\uf8f2"})
_STAND_IN = re.compile("[\uf8f0-\uf8f2]")


def _restored(node: Node) -> Node:
    if isinstance(node, Scalar):
        return dataclasses.replace(node, text=_STAND_IN.sub("\n", node.text))
    if isinstance(node, Sequence):
        return Sequence(tuple(_restored(n) for n in node.items), node.origin)
    return Mapping(tuple((_restored(k), _restored(v)) for k, v in node.items), node.origin)


def _line_at(text: str, mark: yaml.Mark) -> str:
    """The text of the line a parser's mark is on ("" past the end)."""
    lines = text.split("\n")
    return lines[mark.line].rstrip("\r") if mark.line < len(lines) else ""


def parse_yaml(text: str, name: str, problems: Collector) -> Node | None:
    """Parse YAML text; append problems and return None when it is unusable."""
    if text.startswith("\ufeff"):
        text = text[1:]  # a BOM from Windows editors is harmless
    if not _OTHER_BREAK.search(text) or _STAND_IN.search(text):
        root = _parse_yaml(text, name, problems)
    else:
        root = _parse_yaml(text.translate(_STAND_INS), name, problems)
        root = None if root is None else _restored(root)
    if root is not None and "\\" in text:  # (only an escape in double quotes can make such a character)
        escaped = escaped_controls(root, name)
        if escaped:
            problems.problems.extend(escaped)
            return None
    return root


def _parse_yaml(text: str, name: str, problems: Collector) -> Node | None:
    hidden = direction_control(text, name)
    if hidden is not None:  # it would show a figure in a note, a name or a date in another order than written
        problems.problems.append(hidden)
        return None
    try:
        cut: list[tuple[Scalar, Scalar]] = []
        root = _compose_plain(text, name, cut)
        for key, value in cut:  # "note: Kế hoạch số 03 #ban hành ngày ...": YAML reads ' #' on as a comment
            problems.warning("W114", f"'{key.text}' is read as '{value.text}': the text after ' #' on "
                             "its line is a YAML comment, not part of it", value.origin,
                             "if the '#' belongs to the text, put the whole text in double quotes; if it is a "
                             "comment, put it on a line of its own")
        return root
    except _TooDeep as deep:
        _too_deep(deep.mark, name, problems)
        return None
    except (_Unusual, yaml.YAMLError):
        pass  # read it again the careful way, which says exactly what is wrong
    try:
        refused = _first_refused(text)
        if refused is not None and refused[1]:
            _too_deep(refused[0], name, problems)
            return None
        if refused is not None:
            mark = refused[0]
            problems.error("E105", "anchors and aliases (&name, *name) are not allowed in data files",
                           Origin(name, mark.line + 1, mark.column + 1), "write each value out in full")
            return None
        root = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        message = exc.problem or str(exc)
        hint = "check the indentation (spaces only, no tabs) and the quoting on this line"
        if exc.context == "while scanning a simple key" and exc.context_mark is not None:
            # (the parser notices the missing ':' at the next line; the line at fault is where the key began)
            mark = exc.context_mark
            written = _line_at(text, mark)
            if re.match(r"\s*(?:- )?[^\s:#'\"]+:[^\s]", written):
                message, hint = "a key without a space after its ':'", "write a space after the ':' (key: value)"
            else:
                message = "a line that is neither a key with ':' nor part of the value above"
                hint = ("if it goes on with the text of the line above, indent it further than that line's key, or "
                        "put the whole text in double quotes on one line; else write it as key: value")
        elif message == "block sequence entries are not allowed in this context" and mark is not None \
                and re.fullmatch(r"\s*[^\s:#'\"]+:\s+-\s*(#.*)?", _line_at(text, mark)):
            # "value: -", the dash a document prints for nothing: YAML takes it for a list's first entry
            message = "a dash after the ':' begins a list in YAML"
            hint = "to say that nothing was reported, leave the value empty: write ~ (never a 0 or a dash)"
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        if "\t" in message or "tab" in message:
            hint = "YAML does not allow tabs for indentation; use spaces"
        problems.error("E101", f"YAML syntax error: {message}", Origin(name, line, column), hint)
        return None
    except yaml.reader.ReaderError as exc:  # a character YAML refuses (NUL, a control character): where it is
        # (found in the text: libyaml's position counts bytes, not characters)
        found = _NOT_PRINTABLE.search(text)
        at = found.start() if found else min(max(exc.position, 0), len(text))
        line = text.count("\n", 0, at) + 1
        column = at - (text.rfind("\n", 0, at) + 1) + 1
        character = found.group() if found else exc.character if isinstance(exc.character, str) \
            else chr(exc.character)
        problems.error("E101", f"the text holds the control character U+{ord(character):04X}, which a data file "
                       "cannot hold", Origin(name, line, column),
                       "retype this line: the character is invisible (it often comes with text pasted from another "
                       "program)")
        return None
    except yaml.YAMLError as exc:
        problems.error("E101", f"YAML syntax error: {exc}", Origin(name, 1, 1),
                       "check the file is a YAML document")
        return None
    if root is None:
        problems.error("E104", "the file is empty", Origin(name, 1, 1), "see README.md for the layout of a data file")
        return None
    return _convert(name, root, problems)


def read_yaml_file(path: Path, name: str, problems: Collector, root: Path | None = None) -> Node | None:
    """Read and parse one YAML file; `name` is how problems refer to it, `root` the project it must stay in."""
    text = read_input(path, name, problems, DATA_FILE, root)
    return None if text is None else parse_yaml(text, name, problems)
