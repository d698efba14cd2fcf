"""A yearly plan's task table -> the common plan record -> data/<department>/plan-<year>.yaml.

The readers (plan_docx.py, plan_text.py) give a SourceDocument: paragraphs and
tables in order, each table on its grid. Here the plan table is found by its
header ("Nhiệm vụ chung", "Nhiệm vụ cụ thể", "Sản phẩm", "Thời gian thực
hiện", "Đơn vị chủ trì", "Đơn vị phối hợp"; one or two header rows), its rows
become tasks and product rows, the groups become areas by
data/catalogue/plan-groups.yaml, and `plan_yaml` writes the file in the layout
of the bundled data/sgddt/plan-2023.yaml.

A row with a task cell ("3. Xây dựng ...") starts a task; a row whose task cell
is empty (or repeats the task above, as a vertically merged cell read out
does) is one more product row of that task. An empty group cell keeps the
group above. Every word is kept as written: the lines of a cell are joined
with a space, except "- " items, which keep their own line.
"""
from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from ..inputs.fields import expect_mapping
from ..inputs.load import Scalar, read_yaml_file
from ..model import Catalogue
from ..problems import Collector, Origin, relative_name
from .record import SourceDocument, SourceTable, normalise_label

GROUPS_FILE = Path("catalogue") / "plan-groups.yaml"


# --- The record -----------------------------------------------------------------------

@dataclass(frozen=True)
class ImportedPart:
    product: str
    time_frame: str
    lead: str
    partners: str
    line: int  # the row in the source (text line or table row)


@dataclass
class ImportedTask:
    number: str
    area: str
    group: str
    task: str
    line: int
    parts: list[ImportedPart] = field(default_factory=list)


@dataclass(frozen=True)
class ImportedPlan:
    department: str
    year: int
    title: str | None
    number: str | None
    date: str | None
    signer: str | None
    source: str
    tasks: tuple[ImportedTask, ...]


# --- Cell text --------------------------------------------------------------------------

BULLET = re.compile(r"^[-–•+]\s")
_SPLIT_CODE = re.compile(r"[0-9A-Za-zÀ-ỹĐđ/]-$")  # "TT-" at a line end: a code broken at its hyphen


def cell_text(raw: str) -> str:
    """A cell as the YAML keeps it: its lines joined with a space, runs of spaces made one,
    except that a "- " item starts a line of its own; a code broken after its hyphen
    ("TTLT-" / "BTC") is joined without a space."""
    out: list[str] = []
    for line in raw.splitlines():
        line = " ".join(line.split())
        if not line:
            continue
        if not out or BULLET.match(line):
            out.append(line)
        elif _SPLIT_CODE.search(out[-1]) and (line[0].isupper() or line[0].isdigit()):
            out[-1] += line
        else:
            out[-1] += " " + line
    return "\n".join(out)


def _flat(text: str) -> str:
    return " ".join(text.split())


# --- Groups -> areas ------------------------------------------------------------------

_LEADING_NUMBER = re.compile(r"^(?:[ivx]+|\d+)\s+(?=\S)")


def group_key(text: str) -> str:
    """Compare group phrases without case, diacritics, punctuation or a leading 'I.' / '1.'."""
    return _LEADING_NUMBER.sub("", normalise_label(text), count=1)


class PlanGroups:
    """Normalised group phrases -> area IDs, with the phrases as written for hints."""

    def __init__(self, phrases: dict[str, str]):
        self.phrases = dict(phrases)  # as written -> area
        self._keys: dict[str, str] = {}
        for phrase, area in phrases.items():
            key = group_key(phrase)
            if key:
                self._keys.setdefault(key, area)

    def area_of(self, group: str) -> str | None:
        """The area a group cell means; None when no phrase, or phrases of several areas, fit."""
        key = group_key(group)
        if not key:
            return None
        if key in self._keys:
            return self._keys[key]
        padded = f" {key} "
        areas = {area for phrase, area in self._keys.items()
                 if f" {phrase} " in padded or (len(key.split()) >= 2 and padded in f" {phrase} ")}
        return areas.pop() if len(areas) == 1 else None

    def hint(self) -> str:
        by_area: dict[str, list[str]] = {}
        for phrase, area in self.phrases.items():
            by_area.setdefault(area, []).append(f"“{phrase}”")
        return "known groups: " + "; ".join(f"{area}: " + ", ".join(p) for area, p in by_area.items())


def load_plan_groups(data_dir: Path, root: Path, catalogue: Catalogue, problems: Collector) -> PlanGroups:
    """data/catalogue/plan-groups.yaml, and the areas' own titles."""
    phrases: dict[str, str] = {}
    path = data_dir / GROUPS_FILE
    area_ids = [a.id for a in catalogue.areas]
    if path.is_file():
        top = expect_mapping(read_yaml_file(path, relative_name(path, root), problems), problems, "plan-groups.yaml")
        for key, node in top.items if top else ():
            area = node.text if isinstance(node, Scalar) else ""
            if area not in area_ids:
                problems.error("E502", f"unknown area '{area}' for the plan group '{key.text}'",
                               node.origin if isinstance(node, Scalar) else key.origin,
                               "areas: " + ", ".join(area_ids))
                continue
            phrases[key.text] = area
    for area in catalogue.areas:
        phrases.setdefault(area.label_vi, area.id)
    return PlanGroups(phrases)


# --- Finding the plan table -----------------------------------------------------------

# role -> the words its header caption holds (normalised), most specific roles first
# (a role's caption is tried word by word: the first alternative in any column, then the next)
_ROLES = (("product", ("san pham",)), ("time_frame", ("thoi gian", "thoi han")), ("lead", ("chu tri",)),
          ("partners", ("phoi hop",)), ("task", ("nhiem vu cu the", "cu the")),
          ("group", ("nhiem vu chung", "chung")), ("number", ("stt", "tt")))
REQUIRED = ("group", "task", "product", "time_frame", "lead")
CAPTIONS = {"group": "Nhiệm vụ chung", "task": "Nhiệm vụ cụ thể", "product": "Sản phẩm",
            "time_frame": "Thời gian thực hiện", "lead": "Đơn vị chủ trì", "partners": "Đơn vị phối hợp"}
_COLUMN_NUMBER = re.compile(r"^\(?\d{1,2}\)?$")


def _roles(captions: list[str]) -> dict[str, int]:
    """Which column holds what, from the normalised captions."""
    roles: dict[str, int] = {}
    for role, words in _ROLES:
        for alternative in words:
            pattern = re.compile(rf"(?<![a-z0-9]){alternative}(?![a-z0-9])")
            column = next((c for c, text in enumerate(captions)
                           if c not in roles.values() and pattern.search(text)), None)
            if column is not None:
                roles[role] = column
                break
    return roles


def _header(rows: list[tuple[int, tuple[str, ...]]], index: int) -> tuple[dict[str, int], int] | None:
    """(roles, header row count) when rows[index] starts the plan table's header."""
    cells = rows[index][1]
    one = _roles([normalise_label(c) for c in cells])
    if all(r in one for r in REQUIRED):
        return one, 1
    if index + 1 < len(rows):
        below = rows[index + 1][1]
        both = [normalise_label(f"{cells[c]} {below[c] if c < len(below) else ''}") for c in range(len(cells))]
        two = _roles(both)
        if all(r in two for r in REQUIRED) and len(two) > len(one):
            return two, 2
    return None


@dataclass(frozen=True)
class PlanTable:
    roles: dict[str, int]
    header: tuple[tuple[str, ...], ...]  # the header rows as written (repeated headers are skipped)
    rows: tuple[tuple[int, tuple[str, ...]], ...]  # the rows after the header
    before: tuple[str, ...]  # texts before the table: paragraphs and the lines of other tables' cells
    after: tuple[str, ...]  # texts after it


def _texts(blocks) -> list[str]:
    out = []
    for block in blocks:
        if isinstance(block, str):
            out.append(_flat(block))
        else:
            out += [_flat(line) for _, cells in block.rows for cell in cells for line in cell.splitlines()]
    return [t for t in out if t]


def find_plan_table(document: SourceDocument) -> PlanTable | None:
    """The first table with the plan header, with the tables that continue it after a page
    break (nothing but empty paragraphs between, and the same width or the header repeated)."""
    blocks = document.blocks
    for index, block in enumerate(blocks):
        if not isinstance(block, SourceTable):
            continue
        rows = list(block.rows)
        start = next((i for i in range(len(rows)) if _header(rows, i)), None)
        if start is None:
            continue
        roles, count = _header(rows, start)  # type: ignore[misc]
        header = tuple(cells for _, cells in rows[start:start + count])
        body = rows[start + count:]
        end = index + 1
        for later in blocks[index + 1:]:
            if isinstance(later, str):
                if later.strip():
                    break
                end += 1
                continue
            if later.sheet != block.sheet or not later.rows:
                break
            if later.width != block.width and not _header(list(later.rows), 0):
                break  # another table, unless it repeats the plan header
            last = body[-1][0] if body else rows[start + count - 1][0]
            offset = last if later.rows[0][0] <= last else 0  # a continued table counts its rows from 1 again
            body += [(line + offset, cells) for line, cells in later.rows]
            end += 1
        above = list(blocks[:index]) + ([SourceTable(tuple(rows[:start]))] if start else [])
        return PlanTable(roles, header, tuple(body), tuple(_texts(above)), tuple(_texts(blocks[end:])))
    return None


# --- Rows -> tasks --------------------------------------------------------------------

_TASK_NUMBER = re.compile(r"^(\d{1,3})\s*[.)](?!\d)\s*")


def _is_repeated_header(cells: tuple[str, ...], table: PlanTable) -> bool:
    """A header row again (a text export repeats it at each page): one of the header rows as
    written, or a row naming every required column where the header has it."""
    key = [normalise_label(c) for c in cells]
    if any(key == [normalise_label(c) for c in row] for row in table.header):
        return True
    roles = _roles(key)
    return all(roles.get(r) == table.roles[r] for r in REQUIRED)


def read_plan_rows(table: PlanTable, groups: PlanGroups, source: str, where: str,
                   problems: Collector) -> list[ImportedTask]:
    """The plan table's rows -> tasks with their product rows; problems name the source row.
    `where` is what a line number counts in the source ("line" of a text file, "table row")."""
    roles = table.roles

    def cell(cells: tuple[str, ...], role: str) -> str:
        column = roles.get(role)
        return cell_text(cells[column]) if column is not None and column < len(cells) else ""

    tasks: list[ImportedTask] = []
    group, area, task_cell_above = "", "", ""
    for line, cells in table.rows:
        texts = [c.strip() for c in cells if c.strip()]
        if not texts or all(set(t) <= {"-"} for t in texts) or all(_COLUMN_NUMBER.match(t) for t in texts):
            continue  # an empty row, a rule, or the row of column numbers (1) (2) (3)
        if _is_repeated_header(cells, table):
            continue  # the header again, after a page break
        origin = Origin(source, line, 1)
        written_group = cell(cells, "group").replace("\n", " ")
        if written_group and written_group != group:
            group = written_group
            area = groups.area_of(group) or ""
            if not area:
                problems.error("E604", f"{where} {line}: the group (Nhiệm vụ chung) '{group}' is not a known "
                               "plan group", origin,
                               groups.hint() + ". If it means one of these areas, add it to "
                               "data/catalogue/plan-groups.yaml under that area")
        task_cell = cell(cells, "task")
        if task_cell and task_cell != task_cell_above:  # a new task; the same text again is a merged cell
            task_cell_above = task_cell
            match = _TASK_NUMBER.match(task_cell)
            number = match[1] if match else _flat(cell(cells, "number")).rstrip(".")
            if not number:
                problems.error("E605", f"{where} {line}: the task '{_flat(task_cell)[:60]}' has no number",
                               origin, "start the task cell with its number as the plan prints it: \"1. ...\"")
            if not group:
                problems.error("E605", f"{where} {line}: task {number} has no group (Nhiệm vụ chung) above it",
                               origin, "write the group in the first column of the task's first row")
            tasks.append(ImportedTask(number, area, group, task_cell[match.end():] if match else task_cell, line))
        part = [cell(cells, role) for role in ("product", "time_frame", "lead", "partners")]
        if not any(part):
            continue  # a group alone, or a task alone: its product rows follow
        if not tasks:
            problems.error("E605", f"{where} {line}: a product row before the first task", origin,
                           "every row below the header belongs to a task (\"1. ...\" in the task column)")
            continue
        tasks[-1].parts.append(ImportedPart(*part, line))
    for task in tasks:
        if not task.parts:
            problems.error("E605", f"{where} {task.line}: task {task.number} has no product row",
                           Origin(source, task.line, 1),
                           "each task needs its product, time frame and lead (Sản phẩm, Thời gian thực hiện, "
                           "Đơn vị chủ trì)")
    return tasks


# --- The document's own details -------------------------------------------------------

_NUMBER_LINE = re.compile(r"^(?:Kế hoạch\s+)?Số\s*:\s*(.*)$", re.IGNORECASE)
_DATE_LINE = re.compile(r"^[^\d,]{2,40},\s*ngày\b", re.IGNORECASE)  # "Sóc Trăng, ngày 20 tháng 12 năm 2022"
_DATE = re.compile(r"\bngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4})\b", re.IGNORECASE)


_HEADING = "KẾ HOẠCH"  # (in capitals: "Kế hoạch số 01/KH-..." in the text is not the heading)


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text).strip()


def _is_name(text: str) -> bool:
    """'Châu Tuấn Hồng': two to six capitalised words of letters only (not a heading in capitals)."""
    words = text.split()
    return 2 <= len(words) <= 6 and all(w.isalpha() and w[0].isupper() and (len(w) == 1 or w[1:].islower())
                                        for w in words)


def plan_details(table: PlanTable) -> tuple[str | None, str | None, str | None, str | None]:
    """(title, number, date, signer) where the document prints them; None where it does not
    (or leaves them blank, as a draft's 'Số:      /KH-...' does)."""
    before = list(table.before)
    heading = next((i for i, t in enumerate(before) if normalise_label(t) == "ke hoach"), None)
    title = before[heading + 1] if heading is not None and heading + 1 < len(before) else None
    if heading is None:  # the heading and the title in one paragraph: "KẾ HOẠCH Thực hiện cải cách hành chính ..."
        title = next((rest for t in map(_nfc, before) if t.startswith(_HEADING)
                      and (rest := t[len(_HEADING):].strip(" :.-–"))), None)
    number_line = next((m[1].strip() for t in before if (m := _NUMBER_LINE.match(t))), "")
    number = number_line if number_line[:1].isdigit() else None  # "Số:      /KH-SGDĐT" is left blank
    date_line = next((t for t in before if _DATE_LINE.match(t)), "")
    found = _DATE.search(date_line)
    date = f"{found[1]} tháng {found[2]} năm {found[3]}" if found else None  # "ngày    tháng 12 năm 2022": blank
    signer = next((t for t in reversed(table.after) if _is_name(t)), None)
    return title, number, date, signer


def read_plan(document: SourceDocument, groups: PlanGroups, department: str, year: int, source: str,
              where: str, problems: Collector) -> ImportedPlan | None:
    """The plan record of a document; None (with an E603) when it has no plan table."""
    table = find_plan_table(document)
    if table is None:
        problems.error("E603", "no plan table found: no table has a header with "
                       + ", ".join(f"“{CAPTIONS[r]}”" for r in REQUIRED), Origin(source),
                       "is this the plan with its task table (Nhiệm vụ chung, Nhiệm vụ cụ thể, Sản phẩm, "
                       "Thời gian thực hiện, Đơn vị chủ trì, Đơn vị phối hợp)?")
        return None
    tasks = read_plan_rows(table, groups, source, where, problems)
    if not tasks and not problems.has_errors():
        problems.error("E603", "the plan table has no task rows", Origin(source),
                       "is the table filled in below its header?")
    title, number, date, signer = plan_details(table)
    return ImportedPlan(department, year, title, number, date, signer, source, tuple(tasks))


# --- The writer -----------------------------------------------------------------------

_UNSAFE = re.compile("[\u0085\u2028\u2029\u0080-\u009f\ud800-\udfff\ufffe\uffff]")


def _q(text: str) -> str:
    """A YAML double-quoted string: JSON's quoting, with the characters YAML reads as line breaks
    or refuses in a file escaped too."""
    return _UNSAFE.sub(lambda m: f"\\u{ord(m[0]):04x}", json.dumps(text, ensure_ascii=False))


def _optional(value: str | None, missing: str) -> str:
    return _q(value) if value else f"~   # {missing}"


def plan_yaml(plan: ImportedPlan, department_name: str) -> str:
    """data/<department>/plan-<year>.yaml, in the layout of the bundled plan: a comment with the
    area and group before each group's tasks, every text as a double-quoted string."""
    out = [f"# Kế hoạch cải cách hành chính năm {plan.year}, {department_name}.",
           f"# Imported from {plan.source} by `build.py import-plan`: every word as written in the",
           "# task table; the lines of a cell are joined with one space, its \"- \" items kept on lines",
           "# of their own.",
           f"department: {plan.department}",
           f"year: {plan.year}",
           f"title: {_optional(plan.title, 'not found in the document')}",
           f"number: {_optional(plan.number, 'not found in the document, or left blank there')}",
           f"date: {_optional(plan.date, 'not found in the document, or left blank there')}",
           f"signer: {_optional(plan.signer, 'not found in the document')}",
           f"source: {_q(plan.source)}",
           "tasks:"]
    heading = None
    for task in plan.tasks:
        if (task.area, task.group) != heading:
            if heading is not None:
                out.append("")
            heading = (task.area, task.group)
            out.append(f"  # {task.area}. {_q(task.group)}")
        out += [f"  - number: {_q(task.number)}",
                f"    area: {task.area}",
                f"    group: {_q(task.group)}",
                f"    task: {_q(task.task)}",
                "    parts:"]
        for part in task.parts:
            out += [f"      - product: {_q(part.product)}",
                    f"        time_frame: {_q(part.time_frame)}",
                    f"        lead: {_q(part.lead)}",
                    f"        partners: {_q(part.partners)}"]
    return "\n".join(out) + "\n"
