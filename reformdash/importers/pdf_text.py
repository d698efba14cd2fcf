"""Read the appendix from text pulled out of a PDF (no tabs), guided by the form.

Such text has no columns one can trust: a label wraps over several lines, its
unit, figure and note stand beside it on the same lines (pdfplumber,
`pdftotext -layout`), a note can begin before the label ends, a page break
repeats the header in the middle of a row, and extraction adds spaces inside
words ("tri ển khai"). What is known is the form: its rows in order, their
labels, units and value kinds. So the text is walked row by row of the form:

- a row starts on a line that begins (after its STT) with the row's label,
  compared folded (no diacritics, case, punctuation or spaces; document numbers
  such as "10/CT-UBND" left out), the label going on at the start of the lines
  below until it is whole;
- what stands after the label on those lines, and on the lines up to the next
  row, is the row's unit (known from the form, read at the start), then its
  figure (a number in the Vietnamese format or a code of the row's kind), then
  its note.

Nothing is guessed: a row whose unit is not where the form puts it, whose
figure is two numbers or does not fit its kind, or whose note could hold the
text of a form row not found (rows skipped in between) is kept without a figure
and named as a fault (E622), an error, so nothing is written from it. Text
from `pdftotext` without -layout, where the columns stand one after another,
is refused (E621): which figure belongs to which label is not in it.
"""
from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass, field, replace

from ..model import Catalogue, FormVersion
from .match import _DOCUMENT_NUMBER, Labels
from .record import Fault, SourceDocument, SourceTable, UnreadableDocument, text_document

_LINE_END = re.compile(r"\r\n|\r|\n")
_STT = re.compile(r"^(?:[IVX]+|[0-9]{1,2}(?:\.[0-9]{1,2})*)\.?$")
_NUMBER = re.compile(r"^(?:[0-9]{1,3}(?:\.[0-9]{3})+|[0-9]+)(?:,[0-9]+)?$")
_NUMBER_LIKE = re.compile(r"^[0-9][0-9.,]*$")
# Two numbers one space apart that could be one, its thousands set apart by a space ("1 076", "12 500,5")
_ONE_NUMBER_SPACED = re.compile(r"^[0-9]{1,3} [0-9]{3}(?:,[0-9]+)?$")
# The header's own words: what is left of the header block without them is the value column's caption.
_HEADER_WORDS = ("STT", "Chỉ tiêu thống kê", "Kết quả thống kê", "Đơn vị tính", "Ghi chú")
# Lines that end the appendix: the signatures under the table.
# (not "Giám đốc": a note's line can be that, "01 Giám đốc, 03 Phó" | "Giám đốc")
_SIGN_OFF = ("nguoilapbieu", "thutruongdonvi", "thutruongcoquan", "noinhan")
_GLUED = re.compile(r"^([0-9]+)(\D.*)$")  # a figure glued to the unit's next word ("1Không"), as pdfplumber can
_CLOSING = re.compile(r"^[.,;:)\]…]+$")  # punctuation that ends a label: "(báo, đài, website, zalo, ...)"
_MAX_LABEL_LINES = 20  # a label wraps over two to four lines in the reference reports, over 15 in a narrow column
_LOOK_AHEAD = 20  # form rows a line is tried against beyond the next one (rows a department left out)


def fold(text: str) -> str:
    """A text as labels are compared here: no diacritics, case, punctuation or spaces; '=' kept,
    so that a unit 'Trực tuyến = 0' does not take a figure 0 standing after 'Trực tuyến'."""
    text = unicodedata.normalize("NFD", re.sub(r"</?i>", "", text).lower().replace("đ", "d"))
    return "".join(c for c in text if c.isascii() and (c.isalnum() or c in "%="))


@dataclass(frozen=True)
class _Token:
    text: str
    wide: bool  # two or more spaces before it: a column gap in `pdftotext -layout` text
    at: int = -1  # where it starts in its line (characters); -1 where that is not known


@dataclass(frozen=True)
class _Line:
    number: int  # 1-based line of the file
    tokens: tuple[_Token, ...]
    page: int = 0


@dataclass(frozen=True)
class _Entry:
    """A row of the form, or an area's title row, as the walk looks for it."""

    indicator: str  # '' for an area title
    number: str
    label: str  # as the form prints it
    keys: tuple[str, ...]  # the labels it answers to, folded
    unit: str  # folded; '' when the form prints none
    kind: str


@dataclass
class _Row:
    entry: _Entry
    line: int
    number: str
    rest: list[list[_Token]] = field(default_factory=list)  # each line's tokens after the label
    label_lines: int = 0
    page: int = 0


def _tokens(line: str) -> tuple[_Token, ...]:
    return tuple(_Token(m[2], bool(m[1]) and len(m[1]) >= 2, m.start(2)) for m in re.finditer(r"(\s*)(\S+)", line))


def _entries(form: FormVersion, catalogue: Catalogue, labels: Labels) -> list[_Entry]:
    """The form's rows in order, each area's title before its first row."""
    titles = dict(form.area_titles)
    areas = {a.id: a for a in catalogue.areas}
    variants = [(fold(w), fold(s)) for w, s in getattr(labels, "_standard", {}).items()]
    out: list[_Entry] = []
    area = None
    for row in form.rows:
        ind = catalogue.indicators[row.indicator]
        if ind.area != area:
            area = ind.area
            title = titles.get(area) or (areas[area].label_vi if area in areas else "")
            if title:
                out.append(_Entry("", area, title, (fold(title),), "", "heading"))
        printed = row.label or ind.label_vi
        keys = [fold(_DOCUMENT_NUMBER.sub("", unicodedata.normalize("NFC", t)))
                for t in (printed, ind.label_vi, *ind.aliases)]
        keys += [k.replace(standard, written) for k in keys for written, standard in variants if standard in k]
        unit = row.unit if row.unit is not None else ind.unit
        out.append(_Entry(row.indicator, row.number, printed, tuple(dict.fromkeys(k for k in keys if k)),
                          fold(unit), ind.kind))
    return out


@functools.lru_cache(maxsize=65536)  # each line is tried against many rows: fold its words once
def _token_key(token: str) -> str:
    return fold(_DOCUMENT_NUMBER.sub("", unicodedata.normalize("NFC", token)))


def _take(tokens: tuple[_Token, ...] | list[_Token], wanted: str) -> tuple[int, str]:
    """How many tokens at the start continue `wanted` (folded), and what of it is left."""
    taken = 0
    for token in tokens:
        key = _token_key(token.text)
        if key and not wanted.startswith(key):
            break
        if not key and not wanted:
            break
        wanted = wanted[len(key):]
        taken += 1
        if not wanted:
            break
    return taken, wanted


def _prefixes(tokens: tuple[_Token, ...], wanted: str) -> list[tuple[int, str]]:
    """Every count of tokens at the start that continues `wanted`, longest first, with what is left."""
    out = []
    for count in range(1, len(tokens) + 1):
        key = _token_key(tokens[count - 1].text)
        if key and not wanted.startswith(key) or not key and not wanted:
            break
        wanted = wanted[len(key):]
        out.append((count, wanted))
        if not wanted:
            break
    return out[::-1]


def _rest_of_label(lines: list[_Line], at: int, left: str, depth: int = 1) -> list[int] | None:
    """Tokens taken per line from line `at` on to finish a label; the longest first, and shorter where
    the longest leaves the label unfinished (a note's word that goes on with the label: "công" |
    "công lập")."""
    if not left:
        return []
    if at >= len(lines) or depth >= _MAX_LABEL_LINES:
        return None
    for count, rest in _prefixes(lines[at].tokens, left):
        after = _rest_of_label(lines, at + 1, rest, depth + 1)
        if after is not None:
            return [count, *after]
    return None


def _label_at(lines: list[_Line], index: int, entry: _Entry) -> tuple[str, list[int]] | None:
    """Where the entry's label stands from line `index` on: (the STT written, tokens taken per line);
    None when the line does not begin the label, or the label is not whole within a few lines."""
    first = lines[index].tokens
    starts = [("", 0)]
    if first and _STT.match(first[0].text) and len(first) > 1:
        starts.insert(0, (first[0].text.rstrip("."), 1))
    for number, skip in starts:
        for key in entry.keys:
            for taken, left in _prefixes(first[skip:], key):
                if len(key) - len(left) < min(len(key), 6):
                    continue
                after = _rest_of_label(lines, index + 1, left)
                if after is None:
                    continue
                counts = [skip + taken, *after]
                last = lines[index + len(counts) - 1].tokens
                while counts[-1] < len(last) and _CLOSING.match(last[counts[-1]].text):
                    counts[-1] += 1
                return number, counts
    return None


def _is_sign_off(line: _Line) -> bool:
    key = fold(" ".join(t.text for t in line.tokens))
    return key.startswith(_SIGN_OFF)


def _value_fits(text: str, kind) -> bool:
    if kind is None or not kind.holds_value:
        return False
    # A code the kind does not know ('3' in a yes/no row) is still the figure written there: the data
    # file keeps it and check refuses it, as for a report sent in any other format.
    return bool(_NUMBER.match(text))


_SIGNED_PERCENT = re.compile(r"^[0-9][0-9.,]*%$")


def _worded_figure(tokens: list[_Token], kind) -> int:
    """How many of `tokens` (a figure cell's place onwards) are a figure written with words or a sign: a percentage
    with its sign ("99,99%", "100 %") in a row of figures, or a coded answer's meaning ("Có", "Chưa thực hiện")
    standing alone in its cell (a column gap or the line's end after it); 0 for anything else."""
    if kind is None or not kind.holds_value:
        return 0
    if kind.number:
        if _SIGNED_PERCENT.match(tokens[0].text) and _NUMBER.match(tokens[0].text[:-1]):
            return 1
        if _NUMBER.match(tokens[0].text) and len(tokens) > 1 and tokens[1].text == "%" and not tokens[1].wide:
            return 2
        return 0
    cell = next((k for k in range(1, len(tokens)) if tokens[k].wide), len(tokens))
    words = fold(" ".join(t.text for t in tokens[:cell]))
    return cell if words and any(fold(code.vi) == words for code in kind.codes) else 0


@dataclass(frozen=True)
class _Reading:
    """What the text after a row's label gives."""

    unit: str = ""
    value: str = ""
    note: str = ""
    why: str = ""  # why the row cannot be read ('' when it can)
    settled: str = ""  # how it was read where the text took a rule to read it
    value_at: int = -1  # where the figure starts in its line; -1 where that is not known
    note_starts: tuple[int, ...] = ()  # where each of the note's lines starts
    note_after_figure: str = ""  # the note's first word, where it stands on the figure's line
    wide_figure: bool = False  # the figure stands after a column gap (two spaces or more)


def _read_row(row: _Row, catalogue: Catalogue) -> _Reading:
    """A row's unit, figure and note, from the text after its label."""
    kind = catalogue.kinds.get(row.entry.kind)
    unit_left = row.entry.unit
    unit_words: list[str] = []
    value = ""
    note: list[str] = []  # the note's text on each line
    unit_started = False
    settled = ""
    value_at, note_starts, after_figure, wide_figure = -1, [], "", False
    for tokens in row.rest:
        tokens = list(tokens)
        if not tokens:
            continue
        if unit_left:
            # a cell's words stand one space apart: a word after a column gap is another column's
            gap = next((k for k in range(1, len(tokens)) if tokens[k].wide), len(tokens))
            taken, left = _take(tokens[:gap], unit_left)
            glued = _GLUED.match(tokens[0].text) if not taken and unit_started and not value else None
            if glued and _NUMBER_LIKE.match(glued[1]) and _take([_Token(glued[2], False)], unit_left)[0]:
                value = glued[1]  # "Có = 1" | "1Không =" | "0": the figure stands glued to the unit's next line
                tokens = [_Token(glued[2], False), *tokens[1:]]
                taken, left = _take(tokens, unit_left)
            if taken and (unit_started or not note):
                unit_words += [t.text for t in tokens[:taken]]
                unit_left, tokens, unit_started = left, tokens[taken:], True
            elif not unit_started and not note:
                return _Reading(why=f"its unit '{row.entry.unit}' is not where the form puts it, after the label")
        if tokens and not value and not note and (unit_started or not row.entry.unit):
            first = tokens[0].text
            worded = _worded_figure(tokens, kind)
            if worded:  # "Có", "Chưa thực hiện", "99,99%", "100 %": the figure as the form means it
                value, value_at, wide_figure, tokens = " ".join(t.text for t in tokens[:worded]), tokens[0].at, \
                    tokens[0].wide, tokens[worded:]
                after_figure = tokens[0].text if tokens else ""
            elif _NUMBER_LIKE.match(first):
                if not _value_fits(first, kind):
                    what = "holds no figure" if kind is not None and not kind.holds_value else \
                        f"is {kind.label_en.lower()}" if kind is not None else "has no known kind"
                    return _Reading(why=f"'{first}' stands where its figure would, but the row {what}")
                if len(tokens) > 1 and _NUMBER_LIKE.match(tokens[1].text) and not tokens[1].wide:
                    second = tokens[1].text
                    if _ONE_NUMBER_SPACED.match(f"{first} {second}"):
                        return _Reading(why=f"two numbers stand after the label ('{first} {second}'): which is the "
                                            "figure and which begins the note is not in the text")
                    # "4 03", "95 5": no way of writing one number, so the first is the figure (its column comes
                    # before the note's) and the second begins the note; listed for the clerk to confirm.
                    settled = f"'{first} {second}' after the label is read as the figure {first} and a note " \
                              f"beginning '{second}'"
                value, value_at, wide_figure, tokens = first, tokens[0].at, tokens[0].wide, tokens[1:]
                after_figure = tokens[0].text if tokens else ""
        if tokens:
            note.append(" ".join(t.text for t in tokens))
            note_starts.append(tokens[0].at)
    if unit_left and unit_started:
        return _Reading(why=f"its unit '{row.entry.unit}' is cut short")
    return _Reading(" ".join(unit_words), value, _joined(note), "", settled, value_at, tuple(note_starts), after_figure,
                    wide_figure)


def _median(values: list[int]) -> int | None:
    return sorted(values)[len(values) // 2] if len(values) >= 3 else None


def _most_common(values: list[int]) -> int | None:
    """The most common value, where it is common (three times or more)."""
    counts = {v: values.count(v) for v in set(values)}
    best = max(counts, key=lambda v: (counts[v], -v), default=None)
    return best if best is not None and counts[best] >= 3 else None


def _placed_by_column(readings: list[tuple[_Row, _Reading]]) -> list[tuple[_Row, _Reading]]:
    """Each figure checked against the columns: a number that stands in the note column is the note's first
    word, its figure cell empty ("Cơ quan,      5 phòng theo Kế hoạch"). In `pdftotext -layout` text the
    note column is where the note lines start on each page (notes are set flush left, so their lines start
    at the column's edge; a figure, centred or set right in its own cell, starts before it); text with single spaces only (pdfplumber) keeps no columns, so a figure
    followed by a word that goes on a phrase ("5 phòng", "60 (theo") is read as the figure and listed."""
    with_values = [r for _, r in readings if r.value and r.value_at >= 0]  # (pdfplumber: "02 Công văn", a
    # number written with a leading zero, as notes count things, is listed too)
    laid_out = sum(1 for _, r in readings for _ in r.note_starts) >= 3 and with_values and \
        sum(r.value_at >= 0 and r.wide_figure for _, r in readings if r.value) * 2 >= len(with_values)
    out = []
    for row, reading in readings:
        if reading.why or not reading.value or reading.settled:
            out.append((row, reading))
            continue
        if laid_out:
            on_page = [(r.value_at, r.note_starts) for w, r in readings if w.page == row.page]
            # notes are set flush left: their lines start at the column's edge, one place on the page
            notes = _most_common([s for _, starts in on_page for s in starts]) or \
                _most_common([s for _, r in readings for s in r.note_starts])
            # the figures' column: where the numbers that stand before the notes' edge start (on the page, or
            # in the whole text where the page has few); the numbers in question do not vote
            figures = None if notes is None else \
                _median([at for at, _ in on_page if 0 <= at < notes - 1]) or \
                _median([r.value_at for _, r in readings if 0 <= r.value_at < notes - 1])
            at = reading.value_at
            if figures is not None and at >= notes - 1:
                note = f"{reading.value} {reading.note}" if reading.note else reading.value
                reading = replace(reading, value="", note=note, settled=(
                    f"'{reading.value}' stands in the note column (it starts at character {at + 1} of its "
                    f"line, the figures near {figures + 1}, the notes at {notes + 1}): read as the note's first word, "
                    "the figure left empty"))
        elif reading.note_after_figure and (reading.note_after_figure[:1].islower() or reading.note_after_figure[:1] == "("
                                            or (len(reading.value) > 1 and reading.value.startswith("0"))):
            reading = replace(reading, settled=(
                f"'{reading.value} {reading.note_after_figure}' is read as the figure {reading.value} and a note "
                f"beginning '{reading.note_after_figure}'; it could be a note beginning '{reading.value}', "
                "the figure left empty (this text keeps no columns)"))
        out.append((row, reading))
    return out


def _joined(lines: list[str]) -> str:
    """A note's lines as one line; a word broken after a hyphen at a line end ("04/KH-" | "SCT") is joined again."""
    text = ""
    for line in lines:
        text += line if text.endswith("-") and not text.endswith(" -") else (" " + line if text else line)
    return text


@dataclass(frozen=True)
class Walk:
    """What the walk over the text found for one form version."""

    form: str
    rows: tuple[_Row, ...]
    unsure: frozenset[int]  # lines of the rows after which form rows were skipped while the row had more text
    header: int  # the header's line
    caption: str


def walk(text: str, form: FormVersion, catalogue: Catalogue, labels: Labels) -> Walk | None:
    """Follow the form's rows through the text after its appendix header; None without a header."""
    from .text import pdf_text_header

    header = pdf_text_header(text)
    if header is None:
        return None
    raw = _LINE_END.split(text)
    pages = [line.count("\f") for line in raw]  # pdftotext starts each page after the first with a form feed
    for n in range(1, len(pages)):
        pages[n] += pages[n - 1]
    lines = [_Line(n, _tokens(line.replace("\f", "")), pages[n - 1]) for n, line in enumerate(raw, 1)
             if n >= header and line.replace("\f", "").strip()]
    entries = _entries(form, catalogue, labels)
    # the header block: from the header line to the first row; repeated at every page break
    block_end = next((i for i in range(len(lines)) for e in entries[:3] if _label_at(lines, i, e)), len(lines))
    block = [" ".join(t.text for t in line.tokens) for line in lines[:block_end]]
    repeated = {fold(b) for b in block}
    caption = " ".join(block)
    for word in _HEADER_WORDS:
        caption = caption.replace(word, " ")
    # The header repeated at a page break is left out, as a block that begins with its first line: a note's
    # line that happens to read as a part of it ("Môi trường", from the caption) is the note's.
    rest = lines[block_end:]
    keys = [fold(" ".join(t.text for t in line.tokens)) for line in rest]
    dropped: set[int] = set()
    for start in (i for i, key in enumerate(keys) if block and key == fold(block[0])):
        dropped.add(start)
        at = start + 1
        while at < len(keys) and at - start < len(block) and keys[at] in repeated:
            dropped.add(at)
            at += 1
    body = [line for i, line in enumerate(rest) if i not in dropped]
    rows: list[_Row] = []
    unsure: set[int] = set()
    next_entry = 0
    index = 0
    while index < len(body):
        line = body[index]
        if _is_sign_off(line):
            break
        found = None
        for position in range(next_entry, min(next_entry + 1 + _LOOK_AHEAD, len(entries))):
            at = _label_at(body, index, entries[position])
            if at is not None:
                found = position, at
                break
        if found is None:
            if rows:
                rows[-1].rest.append(list(line.tokens))
            index += 1
            continue
        position, (number, counts) = found
        if position > next_entry and rows and len(rows[-1].rest) > rows[-1].label_lines:
            unsure.add(rows[-1].line)
        row = _Row(entries[position], line.number, number, label_lines=len(counts), page=line.page)
        for offset, count in enumerate(counts):
            row.rest.append(list(body[index + offset].tokens[count:]))
        rows.append(row)
        next_entry = position + 1
        index += len(counts)
    return Walk(form.id, tuple(rows), frozenset(unsure), header, " ".join(caption.split()))


def _best_walk(text: str, catalogue: Catalogue, labels: Labels) -> Walk | None:
    best: tuple[int, Walk] | None = None
    for form_id in sorted(catalogue.forms):
        found = walk(text, catalogue.forms[form_id], catalogue, labels)
        count = sum(1 for r in found.rows if r.entry.indicator) if found else 0
        if count and (best is None or count > best[0]):
            best = count, found
    return best[1] if best else None


def read_pdf_text_document(text: str, catalogue: Catalogue, labels: Labels,
                           form_id: str | None = None) -> SourceDocument:
    """The text before the appendix as paragraphs, and the appendix as a table of the rows the
    walk read (each under its form label); each row it could not read is a Fault (E622)."""
    from .text import pdf_text_header

    header = pdf_text_header(text)
    raw = _LINE_END.split(text)
    if header is not None and fold(raw[header - 1]) == "stt":
        raise UnreadableDocument(
            f"line {header} starts an appendix table whose columns stand one after another, not side by side "
            "(as pdftotext writes them without -layout): which figure belongs to which row is not in such a text",
            "E621", "extract the text again with `pdftotext -layout FILE.pdf`, or import the PDF itself")
    if header is not None:
        header_line = fold(raw[header - 1])
        if "ghichu" in header_line and header_line.split("ghichu", 1)[1]:
            raise UnreadableDocument(
                f"line {header} puts the note column before the figures' ('{' '.join(raw[header - 1].split())}'): "
                "the text is read as label, unit, figure, then note, and cannot tell a figure from a number that "
                "begins a note in this order", "E623",
                "import the PDF itself, or the .docx or .xlsx it was made from")
    found = walk(text, catalogue.forms[form_id], catalogue, labels) if form_id else \
        _best_walk(text, catalogue, labels)
    before = [(n, line.strip()) for n, line in enumerate(raw[:(header or len(raw) + 1) - 1], 1) if line.strip()]
    paragraphs, numbers = tuple(p for _, p in before), tuple(n for n, _ in before)
    if found is None or not found.rows:  # no form row in it: read as any text, for E603 to quote its nearest line
        return text_document(text)
    table = [(found.header, ("STT", "Chỉ tiêu thống kê", "Kết quả thống kê", "", "Ghi chú")),
             (found.header + 1, ("", "", "Đơn vị tính", found.caption, ""))]
    faults, notices = [], []
    readings = _placed_by_column([(row, _read_row(row, catalogue)) for row in found.rows])
    for row, reading in readings:
        unit, value, note, why, settled = reading.unit, reading.value, reading.note, reading.why, reading.settled
        if settled and not why:
            notices.append(Fault("W623", f"row '{row.entry.label}': {settled}",
                                 "check the row against the document and correct the data file if the figure "
                                 "and the note are not as read", row.line, 1))
        if not why and row.line in found.unsure:
            why = "the form's row(s) after it were not found, and the text after its label may hold them"
        if why:
            faults.append(Fault("E622", f"row '{row.entry.label}' cannot be read from this text: {why}",
                                "import the PDF itself, or the .docx or .xlsx it was made from; or fill in "
                                "the row by hand after importing the rest", row.line, 1))
        table.append((row.line, (row.number or row.entry.number, row.entry.label, unit, value, note)))
    blocks = (*paragraphs, SourceTable(tuple(table)))
    return SourceDocument(blocks, (*numbers, found.header), tuple(faults), tuple(notices))
