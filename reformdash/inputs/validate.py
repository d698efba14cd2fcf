"""Report files -> Report objects, checked against the catalogue.

Errors here are things that cannot be published as the department's figure
(a value of the wrong kind, an unknown row). A source anomaly the data file
acknowledges is published with a warning instead.
"""
from __future__ import annotations

import functools
import os
import re
import unicodedata
from decimal import Decimal, InvalidOperation
from difflib import SequenceMatcher
from pathlib import Path

from .fields import Fields, closest, expect_mapping, node_kind, shown
from .load import Mapping, Scalar, editor_lock, read_yaml_file
from .period_named import other_body, other_period
from ..numbers import digit_named, other_digit, read_as
from ..model import (Acknowledgement, Catalogue, Contact, DocumentInfo, FormVersion, Indicator, Report,
                     ReportValue, UnplacedRow, ValueKind)
from ..problems import PROBLEMS_PER_CODE, Collector, Origin, Problem, Severity, capped, relative_name

REPORT_FIELDS = ["department", "period", "form", "document", "contacts", "values", "unplaced", "acknowledged"]
VALUE_FIELDS = ["value", "note", "evidence", "template_note", "remark"]
UNPLACED_FIELDS = ["number", "label", "value", "note", "source"]
# [0-9], not \d: \d, int() and Decimal() take any script's digits (see numbers.other_digit).
_NUMBER = re.compile(r"-?[0-9]+(\.[0-9]+)?")
_VN_THOUSANDS = re.compile(r"[0-9]{1,3}(\.[0-9]{3})+")
_VN_DECIMAL = re.compile(r"-?[0-9]+,[0-9]+")


NOT_DEPARTMENTS = {"catalogue", "forms", "releases"}  # folders of data/ that hold no reports
DEPARTMENT_FILES = {"units.yaml"}  # files beside a department's reports that are not reports


def department_yaml_names(data_dir: Path) -> list[tuple[str, str]]:
    """(folder, name) of every entry data/<folder>/<name>.yaml in order, as `data_dir.glob("*/*.yaml")` finds
    them (folders linked are entered; the entry itself may be anything, for the loader to refuse), without
    making a path of each: data/ of a province holds thousands of files, read on every build."""
    found = []
    try:
        folders = [entry.name for entry in os.scandir(data_dir) if _is_folder(entry)]
    except OSError:
        return []
    for folder in folders:
        try:
            found += [(folder, entry.name) for entry in os.scandir(os.path.join(data_dir, folder))
                      if entry.name.endswith(".yaml") and not editor_lock(entry)]
        except OSError:  # (unreadable, or gone meanwhile: as glob, nothing found in it)
            continue
    return sorted(found)


def _is_folder(entry: os.DirEntry) -> bool:
    try:
        return entry.is_dir()
    except OSError:
        return False


def report_paths(data_dir: Path) -> list[Path]:
    """Report files: data/<department>/<period>.yaml (plans are plan-*.yaml)."""
    return [data_dir / folder / name for folder, name in department_yaml_names(data_dir)
            if folder not in NOT_DEPARTMENTS and not name.startswith("plan-") and name not in DEPARTMENT_FILES]


DATA_FILES = {"site.yaml", "departments.yaml", "periods.yaml"}  # the files directly in data/
_YAML_NAME = re.compile(r"\.ya?ml", re.IGNORECASE)  # '.yml', '.YAML', '.yaml.txt', '.yaml~' ...
_BACKUP = ("~", ".bak", ".orig", ".swp")  # an editor's copy of a file that is read
_REPORT_STEM = re.compile(r"(plan-)?[0-9]{4}(-[a-z0-9-]+)?")  # the name of a report or plan, before its extension
_PLAN_STEM = re.compile(r"plan-[0-9]{4}(?:-status-(?P<period>.+))?")  # a plan, or its status report of a period
_CONTENT_PAGE = re.compile(r"([^.]+)(\.[a-z]{2,3})?\.md")  # content/<name>.md, content/<name>.<language>.md
CONTENT_PAGE_NAMES = ("gioi-thieu",)  # the content pages the site has: content/gioi-thieu.md is the about page
_MARKDOWN_NAME = re.compile(r"\.(md|markdown|mdown|mkd)", re.IGNORECASE)


def _visible_files(directory: Path, skip: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    """The files under `directory` (links to files too; folders linked are not entered), as the parts of their
    paths, in order; hidden files and folders and the top-level folders `skip` are left out. (os.scandir and
    strings: a province's data/ holds thousands of files, and this runs on every build.)"""
    found: list[tuple[str, ...]] = []
    folders: list[tuple[str, ...]] = [()]
    while folders:
        folder = folders.pop()
        try:
            entries = list(os.scandir(os.path.join(directory, *folder)))
        except OSError:  # (unreadable: what is in it cannot be told apart)
            continue
        for entry in entries:
            if entry.name.startswith(".") or (not folder and entry.name in skip):
                continue
            parts = (*folder, entry.name)
            try:
                if entry.is_dir(follow_symlinks=False):
                    folders.append(parts)
                elif entry.is_file():
                    found.append(parts)
            except OSError:
                continue
    return sorted(found)


# How each kind of data file is named in its department's folder.
_NAMES = {"report": "<period>.yaml", "plan": "plan-<year>.yaml", "plan status report": "plan-<year>-status-<period>.yaml"}


def _kind_of_file(stem: str) -> str:
    """"report", "plan" or "plan status report", by the name of a file (its stem, in lower case)."""
    plan = _PLAN_STEM.fullmatch(stem)
    return "report" if not stem.startswith("plan-") else "plan status report" if plan and plan["period"] else "plan"


def unread_files(data_dir: Path, root: Path, problems: Collector, departments: frozenset[str] = frozenset(),
                 periods: frozenset[str] = frozenset()) -> None:
    """W220 for each file under data/ that looks like a report, plan or form version (its name holds
    .yaml or .yml, in any case) but that nothing reads: it would be left out of the site without a word.
    E221 where it is, by its folder and name, the report of one of `departments` for one of `periods` (or its
    plan of a year, or that plan's status report of a period) and no file has the name it should have: a report
    saved as "2023-q1.yaml " or "2023-q1.yml" would vanish from the published site."""
    report_files = report_paths(data_dir)
    reports = {(path.parent.name, path.name) for path in report_files}
    for parts in _visible_files(data_dir, skip=("catalogue", "releases")):
        if len(parts) == 2 and parts in reports:
            continue  # (most files: read, and no path made of them)
        path = data_dir.joinpath(*parts)
        found = _YAML_NAME.search(path.name)
        if found is None:
            # data/stnmt/2023-q1.json: a report written in another format, named like a report or plan
            stem = path.name.partition(".")[0].lower()
            if len(parts) == 2 and parts[0] not in NOT_DEPARTMENTS and _REPORT_STEM.fullmatch(stem) \
                    and not path.name.endswith(_BACKUP):
                what = _kind_of_file(stem)
                problems.warning("W220", f"this file looks like a {what} but is not read",
                                 Origin(relative_name(path, root)),
                                 f"write it as YAML in data/{parts[0]}/{stem}.yaml: only data/<department>/"
                                 + _NAMES[what] + " files are read")
            continue
        proper = path.name[:found.start()].lower() + ".yaml"
        stem = proper.removesuffix(".yaml")
        plan, what = _PLAN_STEM.fullmatch(stem), _kind_of_file(stem)
        if parts[0] == "forms":
            if len(parts) == 2 and path.name.endswith(".yaml"):
                continue
            what, target = "form version", f"data/forms/{proper}"
            hint = f"name it {target}: only data/forms/<form>.yaml files are read"
        elif len(parts) == 1:
            if path.name in DATA_FILES:
                continue
            target = f"data/<department>/{proper}"
            hint = f"move it to {target}: {what}s are read only in their department's folder"
        elif len(parts) == 2:
            if path.name in DEPARTMENT_FILES or (proper == path.name and what != "report"):
                continue
            target = f"data/{parts[0]}/{proper}"
            hint = f"name it {target}: only data/<department>/" + _NAMES[what] + " files are read"
        else:
            target = f"data/{parts[0]}/{proper}"
            hint = f"move it to {target}: {what}s are read only directly in their department's folder"
        if len(parts) >= 2 and parts[0] in departments and not path.name.endswith(_BACKUP) \
                and (stem in periods or (plan is not None and plan["period"] in (None, *periods))) \
                and not (data_dir / parts[0] / proper).exists():
            why = f"its name is not '{proper}'" if len(parts) == 2 else f"it is not directly in data/{parts[0]}/"
            problems.error("E221", f"this file is the {what} {target} but is not read: {why}",
                           Origin(relative_name(path, root)),
                           f"{hint}; left as it is, the {what} would be missing from the site")
            continue
        if path.name.endswith(_BACKUP) and (data_dir / target.removeprefix("data/")).is_file():
            continue
        problems.warning("W220", f"this file looks like a {what} but is not read", Origin(relative_name(path, root)),
                         hint)
    _unread_content(root / "content", data_dir, set(report_files), root, problems)


def _unread_content(content_dir: Path, data_dir: Path, reports: set[Path], root: Path, problems: Collector) -> None:
    """W220 for each file under content/ that nothing reads. Read are content/<name>.md and
    content/<name>.<language>.md (content pages) and content/<department>/<period>.md, the narrative of the
    report data/<department>/<period>.yaml; hidden files are skipped, and so is an editor's copy of a
    file that is there."""
    if not content_dir.is_dir():
        return
    for parts in _visible_files(content_dir):
        path = content_dir.joinpath(*parts)
        stem = path.name.partition(".")[0].lower()
        if len(parts) == 1:
            page = _CONTENT_PAGE.fullmatch(path.name)
            if (page and page[1] in CONTENT_PAGE_NAMES) or not _MARKDOWN_NAME.search(path.name):
                continue
            target = f"content/{stem}.md"
            what, hint = "content page", f"name it {target}: content pages are read only as content/<name>.md " \
                "or content/<name>.<language>.md"
            if page or stem not in CONTENT_PAGE_NAMES:  # (a page of its own, which the site does not have)
                hint = "the site has one content page, the about page: content/gioi-thieu.md (and its translations " \
                    "content/gioi-thieu.<language>.md); put this text there, or in a report's narrative " \
                    "content/<department>/<period>.md"
        else:
            department = parts[0]
            if not (data_dir / department).is_dir() and (data_dir / department.lower()).is_dir():
                department = department.lower()
            target = f"content/{department}/{stem}.md"
            report = data_dir / department / f"{stem}.yaml"
            what = "narrative"
            if len(parts) == 2 and path.name == f"{stem}.md" and department == parts[0] and report in reports:
                continue
            if report not in reports:
                hint = f"there is no report {relative_name(report, root)}: a narrative is read only as " \
                    "content/<department>/<period>.md, beside its report data/<department>/<period>.yaml"
            elif len(parts) > 2:
                hint = f"move it to {target}: a narrative is read only directly in its department's folder"
            else:
                hint = f"name it {target}: a narrative is read only as content/<department>/<period>.md"
        if path.name.endswith(_BACKUP) and (root / target).is_file():
            continue
        problems.warning("W220", f"this file looks like a {what} but is not read",
                         Origin(path.relative_to(root).as_posix()), hint)


_SPACES = re.compile(r"[\s\u00a0\u202f]+")
_TWO_FIGURES = re.compile(r"[0-9][.,]?[\s\u00a0\u202f]+[0-9]")
_SPACED_THOUSANDS = re.compile(r"(?<![0-9.,])[0-9]{1,3}(?:[\s\u00a0\u202f][0-9]{3})+(?:,[0-9]+)?(?![0-9])")


def _pasted_figure(text: str, kind: ValueKind) -> str:
    """What to write for a figure pasted as a spreadsheet shows it: '12 %', '99,99%', '1 076', '1.234,5',
    '161đ' ('' when the text is no such figure)."""
    if _TWO_FIGURES.search(text) and not _SPACED_THOUSANDS.search(text):
        # ("12 15": two lines of a cell, the import joined them; a figure's own spaces group thousands: "1 076")
        return f"'{' '.join(text.split())}' holds more than one figure: check the document and write this row's figure " \
               "alone"
    bare = _SPACES.sub("", text)
    unit = re.fullmatch(r"([0-9][0-9.,]*)(%|[^\W\d_]+\.?)", bare)
    if unit:
        bare = unit[1]
    if _VN_DECIMAL.fullmatch(bare) or (_VN_THOUSANDS.fullmatch(bare) and kind.whole) \
            or re.fullmatch(r"[0-9]{1,3}(?:\.[0-9]{3})+,[0-9]+", bare):  # (a point in a rate is its decimals)
        plain = bare.replace(".", "").replace(",", ".")
    elif _NUMBER.fullmatch(bare):
        plain = bare
    else:
        return ""
    if kind.whole and "." in plain:
        return f"a count is a whole number: check '{text}' in the document"
    what = "the figure alone, without its unit or spaces" if unit or bare != text else "the figure"
    return f"write {what}{', with a point for decimals' if '.' in plain else ''}: {plain}"


def _unquoted(text: str, kind: ValueKind) -> str:
    """A figure as it is written without quotes: a count's thousands dots left out ("1.000" -> 1000, "0.000" -> 0)."""
    if kind.whole and _VN_THOUSANDS.fullmatch(text):
        return str(int(text.replace(".", "")))
    return text


class _ValueReader:
    """Parses one value against its indicator's kind."""

    def __init__(self, catalogue: Catalogue, problems: Collector):
        self.catalogue = catalogue
        self.problems = problems

    def number(self, node: Scalar, ind: Indicator, kind: ValueKind) -> Decimal | None:
        text = node.text.strip()
        where = node.origin
        if digit := other_digit(text):
            self.problems.error("E219", f"'{ind.id}' = {text} uses the digit {digit_named(digit)}; only the digits "
                                "0-9 are accepted", where, "check the figure in the document and write it with 0-9 "
                                f"(these digits would read as {read_as(text)})")
            return None
        if node.quoted or not (_NUMBER.fullmatch(text) or _VN_DECIMAL.fullmatch(text)):
            hint = f"write a number for '{ind.id}' ({kind.label_en.lower()}), or leave it empty if not reported"
            if node.quoted and _NUMBER.fullmatch(text):
                hint = f"remove the quotes: write {_unquoted(text, kind)}"
            elif kind.number and (figure := _pasted_figure(text, kind)):
                hint = figure
            # (a code's word in any case, without its accents or typed with combining ones: "co", "CÓ", "Có")
            words = {"yes", "no", "true", "false", "on", "off", "co", "khong",
                     *(_folded(word) for c in kind.codes for word in (c.vi, c.en))}
            if kind.codes and _folded(text) in words:
                hint = "write the code as a number: " + ", ".join(f"{c.value} = {c.vi}" for c in kind.codes)
            elif kind.codes and (code := re.match(r"([0-9]+)\s*[=:(-]", text)):  # "1 = Có", copied from the legend
                hint = f"write the code alone: {code[1]} (the page shows its meaning)"
            shown = unicodedata.normalize("NFC", text)
            marks = " (its accents typed as separate marks)" if shown != text else ""  # (it looks like a word it is not)
            self.problems.error("E204", f"'{ind.id}' expects {kind.label_en.lower()}, got '{shown}'{marks}", where,
                                hint)
            return None
        if _VN_DECIMAL.fullmatch(text):
            hint = f"write {text.replace(',', '.')} (the site shows it as {text})" if not kind.whole else \
                f"a count is a whole number: check '{text}' in the document (1.076 is written 1076 here)"
            self.problems.error("E204", f"'{ind.id}': '{text}' uses a decimal comma", where, hint)
            return None
        try:
            value = Decimal(text)
        except InvalidOperation:  # pragma: no cover - the regex admits only decimals
            return None
        return value

    def check_range(self, value: Decimal, node: Scalar, ind: Indicator, kind: ValueKind) -> None:
        where = node.origin
        text = node.text.strip()
        if kind.codes:
            # ("1.000" is one thousand the Vietnamese way: no code, though it reads as 1)
            if value != value.to_integral_value() or kind.code(int(value)) is None or _VN_THOUSANDS.fullmatch(text):
                self.emit("E205", f"'{ind.id}' = {text} is not one of its codes", where,
                          "codes: " + "; ".join(f"{c.value} = {c.vi}" for c in kind.codes), ind.id)
            return
        if kind.minimum is not None and (value < kind.minimum or (value == kind.minimum == 0 and value.is_signed())):
            # ("-0" too: it reads as 0, and would be published with its minus)
            self.emit("E207", f"'{ind.id}' = {text} is " + ("negative" if value else "a zero written with a minus"),
                      where, "a count or rate cannot be below 0" + ("; write 0" if value == 0 else ""), ind.id)
        if kind.maximum is not None and value > kind.maximum:
            self.emit("E206", f"'{ind.id}' = {text} % is above 100 %", where,
                      "a percentage runs from 0 to 100; check the figure in the document", ind.id)
        # (a count typed "1.000" is one thousand the Vietnamese way, and would be published as 1)
        grouped = _VN_THOUSANDS.fullmatch(text)
        if kind.whole and (value != value.to_integral_value() or grouped):
            hint = "a count is a whole number"
            if grouped:
                hint = f"'{text}' looks like a Vietnamese thousands separator: write {_unquoted(text, kind)}"
            message = f"'{ind.id}' = {text} is not a whole number" if value != value.to_integral_value() else \
                f"'{ind.id}' = {text} is a count written with a dot, which reads as {format(value.normalize(), 'f')}"
            self.emit("E208", message, where, hint, ind.id)

    def emit(self, code: str, message: str, where: Origin, hint: str, subject: str) -> None:
        self.problems.error(code, message, where, hint, subject)

    def read(self, key: Scalar, node, ind: Indicator) -> ReportValue | None:
        kind = self.catalogue.kinds.get(ind.kind)
        if kind is None:
            return None
        texts: dict[str, str] = {}
        value_node = node
        if isinstance(node, Mapping):
            f = Fields(node, self.problems, f"value of '{ind.id}'")
            f.check_keys(VALUE_FIELDS)
            texts = {k: f.raw_text(k).strip() for k in VALUE_FIELDS[1:]}
            value_node = node.get("value")
        if value_node is not None and not isinstance(value_node, Scalar):
            self.problems.error("E204", f"'{ind.id}' expects one value, got {node_kind(value_node)}",
                                value_node.origin, "write a single number, or a mapping with value: and note:")
            return None
        value = None
        if value_node is not None and not value_node.is_null:
            if not kind.holds_value:
                self.problems.error("E214", f"'{ind.id}' is a group heading and holds no value of its own",
                                    value_node.origin, "put the figures on the rows under it; a note is allowed")
                return None
            value = self.number(value_node, ind, kind)
            if value is None:
                return None
            self.check_range(value, value_node, ind, kind)
        return ReportValue(indicator=ind.id, value=value, origin=key.origin, **texts)


def _contacts(f: Fields) -> tuple[Contact, ...]:
    seq = f.sequence("contacts")
    out = []
    for node in seq.items if seq else ():
        m = expect_mapping(node, f.problems, "contact")
        if m is not None:
            cf = Fields(m, f.problems, "contact")
            cf.check_keys(["role", "name", "position", "email", "phone"])
            out.append(Contact(cf.text("role"), cf.text("name"), cf.text("position"),
                               cf.text("email", required=False), cf.text("phone", required=False)))
    return tuple(out)


def _document(f: Fields) -> DocumentInfo:
    m = f.mapping("document")
    if m is None:
        return DocumentInfo()
    df = Fields(m, f.problems, "document")
    df.check_keys(["title", "number", "date_line", "value_column", "source"])
    return DocumentInfo(*(df.text(k, required=False) for k in ("title", "number", "date_line", "value_column", "source")))


def _acknowledged(f: Fields) -> tuple[Acknowledgement, ...]:
    seq = f.sequence("acknowledged")
    out = []
    for node in seq.items if seq else ():
        m = expect_mapping(node, f.problems, "acknowledgement")
        if m is not None:
            af = Fields(m, f.problems, "acknowledgement")
            af.check_keys(["indicator", "code", "explanation"])
            out.append(Acknowledgement(af.text("indicator"), af.text("code"), af.text("explanation"), m.origin))
    return tuple(out)


def _unplaced(f: Fields, form_id: str) -> tuple[UnplacedRow, ...]:
    """The document's rows that match no form row: kept as written, each warned about (W315) so that a figure
    the department gave is neither dropped nor published without a word."""
    seq = f.sequence("unplaced")
    out = []
    for node in seq.items if seq else ():
        m = expect_mapping(node, f.problems, "an unplaced row")
        if m is None:
            continue
        before = len(f.problems.problems)
        uf = Fields(m, f.problems, "unplaced row")
        uf.check_keys(UNPLACED_FIELDS)
        label = uf.text("label")
        # The value is text as written ("99,99", "Tốt"): it belongs to no indicator, so it is never read as a figure.
        value, note = uf.raw_text("value").strip(), uf.raw_text("note").strip()
        row = UnplacedRow(label, value, m.origin, uf.text("number", required=False), note,
                          uf.text("source", required=False))
        if label and not value and not note and len(f.problems.problems) == before:  # not after a typo's E202
            f.problems.error("E201", f"unplaced row '{shown(label)}' has neither 'value' nor 'note'", m.origin,
                             "give the value or the note as the document writes it, or remove the row: "
                             "a row that carries neither is not kept")
        if len(f.problems.problems) > before:
            continue  # the file is refused: this row is not published, so no warning says it is
        written = f"'{shown(label)}' = {shown(value)}" if value else f"'{shown(label)}' (no value, a note only)"
        f.problems.warning("W315", f"a row of the document that matches no indicator of form {form_id} is "
                           f"published as the department wrote it: {written}", m.origin,
                           "if it is a row of the form, move its value under 'values:' as the indicator it "
                           "belongs to; if it is not on the form, leave it here: it is shown as written")
        out.append(row)
    return tuple(out)


@functools.lru_cache(maxsize=1 << 14)  # (the form's instructions, and notes copied from quarter to quarter)
def _folded(text: str) -> str:
    """Text compared without case, diacritics, punctuation or spacing."""
    text = unicodedata.normalize("NFD", text.lower().replace("đ", "d"))
    return " ".join(re.sub(r"[^a-z0-9]+", " ", "".join(c for c in text if unicodedata.category(c) != "Mn")).split())


_MOST_INSTRUCTION_WORDS = 12  # the form's instructions are a few words; a longer note is the department's
_NOTE_LABEL = re.compile(r"^\s*ghi\s+chú\s*:\s*", re.IGNORECASE)  # "Ghi chú: tóm tắt kiến nghị"
_IF_ANY = re.compile(r"[,;]?\s*\(?\s*nếu\s+có\s*\)?\s*$", re.IGNORECASE)  # "..., nếu có" / "(nếu có)" at the end


def could_be_form_text(note: str, form: FormVersion) -> bool:
    """Whether a note could be the form's printed text rather than the department's words: no figures, no
    answer after a colon ("Tóm tắt kiến nghị: không"), a few words, none of the words that mark an answer
    (form.answer_words: "đã", "chưa", "tại" ...)."""
    text = _NOTE_LABEL.sub("", note)
    if any(c.isdigit() for c in text) or re.search(r":\s*\S", text):
        return False
    words = _folded(_IF_ANY.sub("", re.sub(r"[()]", " ", text))).split()
    return 0 < len(words) <= _MOST_INSTRUCTION_WORDS and \
        not set(words) & {_folded(w) for w in form.answer_words}


def _similar(a: str, b: str, at_least: float) -> bool:
    """SequenceMatcher(None, a, b).ratio() >= at_least, without the matching where the lengths alone, or the
    characters the texts share, already rule it out (both bounds are never below the ratio)."""
    if not a or not b or 2.0 * min(len(a), len(b)) / (len(a) + len(b)) < at_least:  # (ratio() computes as this)
        return False
    matcher = SequenceMatcher(None, a, b)
    return matcher.quick_ratio() >= at_least and matcher.ratio() >= at_least


def form_instruction(note: str, form: FormVersion, exact: bool = False) -> str | None:
    """The instruction of `form` (its printed note-column text) that `note` is: the same words (in brackets,
    after "Ghi chú:", with "(nếu có)" after them); or, where the note could be the form's text (see
    could_be_form_text), the same give or take a word, its first three or more words, or a text beginning as
    the form's instructions begin (then 'Ghi rõ …' is returned). With exact=False also what only looks like
    one: the instruction with words after it."""
    text = _NOTE_LABEL.sub("", note)
    key = _folded(text)
    forms_of_it = {key, _folded(re.sub(r"\([^()]*\)", " ", text)), _folded(_IF_ANY.sub("", re.sub(r"[()]", " ", text)))}
    forms_of_it.discard("")
    bare = _folded(_IF_ANY.sub("", re.sub(r"[()]", " ", text)))
    plain = could_be_form_text(note, form)
    for instruction in form.instructions:
        wanted = _folded(instruction)
        if not wanted:
            continue
        if wanted in forms_of_it:
            return instruction
        if bare and plain and (_similar(bare, wanted, 0.85)
                               or (wanted.startswith(bare + " ") and len(bare.split()) >= 3)):
            return instruction
        if not exact and (key.startswith(wanted + " ") or _similar(key, wanted, 0.9)):
            return instruction
    if plain:
        for opening in form.instruction_openings:
            start = _folded(opening)
            if start and (bare == start or bare.startswith(start + " ")):
                return f"{opening} …"
    return None


def _note_origin(node, fallback: Origin) -> Origin:
    for key, _ in node.items if isinstance(node, Mapping) else ():
        if key.text == "note":
            return key.origin
    return fallback


def validate_report(path: Path, root: Path, catalogue: Catalogue, problems: Collector) -> Report | None:
    """Read one report file; every problem goes to `problems` (at most PROBLEMS_PER_CODE errors of a code)."""
    name = relative_name(path, root)
    local = Collector()  # collected apart so acknowledgements can downgrade them
    top = expect_mapping(read_yaml_file(path, name, local, root), local, "a report file")
    report = _build_report(top, path, name, catalogue, local) if top is not None else None
    found = Collector()
    if report is not None:
        _apply_acknowledgements(report, local, found)
    else:
        found = local
    problems.problems.extend(capped(found.problems))
    # (this file's own problems: the run's collector may hold every other file's too)
    return report if report is not None and not any(p.severity is Severity.ERROR for p in found.problems) else None


def _build_report(top: Mapping, path: Path, name: str, cat: Catalogue, problems: Collector) -> Report | None:
    f = Fields(top, problems, "report")
    f.check_keys(REPORT_FIELDS)
    department, period, form_id = f.text("department"), f.text("period"), f.text("form")
    if department and department not in cat.departments and department not in cat.refused_departments:
        near = closest(department, cat.departments)
        hint = f"did you mean '{near}'?" if near else "departments are listed in data/departments.yaml"
        if department == path.parent.name:
            hint += (" If the department was renamed in data/departments.yaml, rename its folder data/"
                     f"{department}/ and the department: of each of its reports too")
        problems.error("E209", f"unknown department '{department}'", f.origin_of("department"), hint)
    if period and period not in cat.periods and period not in cat.refused_periods:
        near = closest(period, cat.periods)
        problems.error("E210", f"unknown period '{period}'", f.origin_of("period"),
                       f"did you mean '{near}'?" if near else "periods are listed in data/periods.yaml")
    if department in cat.departments and period in cat.periods \
            and (path.parent.name, path.stem) != (department, period):
        field = "department" if path.parent.name != department else "period"
        fields = [f"{name}: {value}" for name, value, written in (("department", path.parent.name, department),
                                                                 ("period", path.stem, period)) if value != written]
        hint = f"move the file to data/{department}/{period}.yaml or correct the fields"
        if (path.parent.parent / department / f"{period}.yaml").exists():  # (a copy of that file, not yet edited)
            hint = (f"data/{department}/{period}.yaml is another report: if this file is {path.parent.name}/"
                    f"{path.stem}'s, write {' and '.join(fields)} here; never move it over that file")
        problems.error("E211", f"the file name says {path.parent.name}/{path.stem} but the content says "
                       f"{department}/{period}", f.origin_of(field), hint)
    form = cat.forms.get(form_id)
    if form_id and form is None:
        problems.error("E212", f"unknown form version '{form_id}'", f.origin_of("form"),
                       "form versions: " + ", ".join(sorted(cat.forms)))
    dept = cat.departments.get(department)
    per = cat.periods.get(period)
    current = cat.form_for(per) if per is not None else None
    if form is not None and current is not None and current.id != form.id:
        # (a commune's copy of last year's file, or an old form returned: its rows the current form asks for, and
        # it lacks, show as not reported)
        missing = sum(1 for row in current.rows if not form.has(row.indicator))
        problems.warning("W221", f"the report is on form {form.id}, which is not the form in use for {per.label_vi}: "
                         f"that is {current.id}" + (f", with {missing} row(s) {form.id} lacks (shown as not reported)"
                                                    if missing else ""), f.origin_of("form"),
                         f"published as written; if the department filled in {current.id}, write form: {current.id} "
                         "(or import its document again), else ask it to report on the form in use")
    if dept and per and ((dept.valid_from and per.end < dept.valid_from)
                         or (dept.valid_until and per.start > dept.valid_until)):
        then = dept.successors if dept.valid_until and per.start > dept.valid_until else dept.predecessors
        problems.error("E217", f"{dept.short_name} ({dept.id}) did not exist during {per.label_vi} "
                       f"(valid {dept.valid_from or '…'} to {dept.valid_until or '…'})", f.origin_of("period"),
                       "file the report under the department that existed then" + (
                           f" ({', '.join(then)})" if then else ", or its successor"))
    values: dict[str, ReportValue] = {}
    reader = _ValueReader(cat, problems)
    values_node = f.mapping("values", required=True)
    unknown = 0
    for key, node in values_node.items if values_node else ():
        ind = cat.indicators.get(key.text)
        if ind is None:
            unknown += 1
            # Past the listed ones the hint is not shown: no need to compare with every indicator.
            near = closest(key.text, cat.indicators) if unknown <= PROBLEMS_PER_CODE else ""
            problems.error("E203", f"unknown indicator '{key.text}'", key.origin,
                           f"did you mean '{near}'?" if near else "indicators are listed in data/catalogue/indicators.yaml")
            continue
        if ind.derived:
            problems.error("E215", f"'{ind.id}' is computed by the site, not reported", key.origin,
                           "remove it; the site computes it from the rows it derives from")
            continue
        if form is not None and not form.has(ind.id):
            problems.error("E213", f"indicator '{ind.id}' is not on form {form.id}", key.origin,
                           "check the form version of this report, or use the indicator of this form")
            continue
        value = reader.read(key, node, ind)
        if value is not None:
            values[ind.id] = value
            instruction = form_instruction(value.note, form) if form is not None and value.note else None
            if instruction is not None:
                problems.warning("W316", f"the note of '{ind.id}' looks like the instruction form {form.id} prints "
                                 f"in its note column ('{shown(instruction)}'), not the department's own words",
                                 _note_origin(node, key.origin), "if it is the form's text left in place, write it "
                                 "as template_note: instead of note: (the page then shows it as the form's, not as the "
                                 "department's note); keep in note: only the department's own words")
    document = _document(f)
    elsewhere = other_period(document, per, cat) if per is not None else ""
    if elsewhere:  # last quarter's file copied and its period changed, its document left as it was
        problems.warning("W317", f"the source document looks like another period's report than {period}: "
                         f"{elsewhere}", f.origin_of("document"), "if the file was copied from another period's, "
                         "write this period's document (title, number, date) under document:; if the figures are "
                         "that period's too, the file is under the wrong period")
    someone_else = other_body(document, department, cat)
    if someone_else:  # a report imported under the wrong --department, or a file copied into another's folder
        problems.warning("W320", f"the source document looks like another body's report than {department}'s: "
                         f"{someone_else}", f.origin_of("document"), "if the document is that body's report, move "
                         "the file to its folder (and import it with its --department); if the report is this "
                         "body's, leave its document as printed")
    return Report(department=department, period=period, form=form_id, origin=top.origin,
                  document=document, values=values, acknowledged=_acknowledged(f), contacts=_contacts(f),
                  unplaced=_unplaced(f, form_id))


def _apply_acknowledgements(report: Report, local: Collector, problems: Collector) -> None:
    """An acknowledged error on an indicator is published as a warning."""
    used: set[int] = set()
    for problem in local.problems:
        ack = _matching_ack(report, problem)
        if ack is None:
            problems.add(problem)
            continue
        used.add(id(ack))
        problems.add(Problem(Severity.WARNING, problem.code, f"Bất thường trong văn bản gốc: {ack.explanation}",
                             problem.origin, f"acknowledged in the data file ({problem.message}); published as "
                             "written, with this flag", problem.subject))
    for ack in report.acknowledged:
        if id(ack) not in used:
            problems.error("E216", f"acknowledgement of {ack.code} on '{ack.indicator}' matches no problem",
                           ack.origin, "remove it: the value no longer breaks that rule")


def _matching_ack(report: Report, problem: Problem) -> Acknowledgement | None:
    for ack in report.acknowledged:
        if ack.code == problem.code and ack.indicator == problem.subject:
            return ack
    return None
