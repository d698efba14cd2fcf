"""The domain as frozen dataclasses (the most numerous, a report's values, as named tuples). After validation,
stages see only these."""
from __future__ import annotations

import functools

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import NamedTuple

from .problems import Origin
from .timeframes import TimeFrame


@dataclass(frozen=True)
class Code:
    value: int
    vi: str
    en: str


@dataclass(frozen=True)
class ValueKind:
    id: str
    label_vi: str
    label_en: str
    number: bool = False
    whole: bool = False
    minimum: Decimal | None = None
    maximum: Decimal | None = None
    plausible_maximum: Decimal | None = None  # above it, a figure is published with a warning (W310)
    codes: tuple[Code, ...] = ()
    holds_value: bool = True

    def code(self, value: int) -> Code | None:
        return self._by_value.get(value)

    @functools.cached_property
    def _by_value(self) -> dict[int, Code]:
        found: dict[int, Code] = {}
        for code in self.codes:
            found.setdefault(code.value, code)  # the first of a value, as a search would find
        return found


@dataclass(frozen=True)
class Area:
    id: str
    label_vi: str
    label_en: str


@dataclass(frozen=True)
class Formula:
    """value = 100 * numerator / denominator."""

    numerator: str
    denominator: str


@dataclass(frozen=True)
class Indicator:
    id: str
    area: str
    parent: str | None
    label_vi: str
    label_en: str
    unit: str
    kind: str
    temporal: str
    origin: Origin
    formula: Formula | None = None
    derived: bool = False
    aliases: tuple[str, ...] = ()
    note_en: str = ""


@dataclass(frozen=True)
class FormRow:
    indicator: str
    number: str
    label: str | None  # as printed, when it differs from the catalogue label
    unit: str | None  # as printed, when it differs from the catalogue unit
    origin: Origin
    area: str | None = None  # where the row is printed in another area than its indicator's


@dataclass(frozen=True)
class FormVersion:
    id: str
    label_vi: str
    label_en: str
    area_titles: tuple[tuple[str, str], ...]
    rows: tuple[FormRow, ...]
    origin: Origin
    # The instructions the form prints in its note column ("Ghi rõ nội dung vi phạm"): a note that is one
    # of them is the form's text left in place, not the department's (ReportValue.template_note).
    instructions: tuple[str, ...] = ()
    instructions_in_italics: bool = False  # the form sets them in italics, so an italic note is one of them
    # The reporting periods the version is used for: those ending from used_from to used_until (None: open).
    # A report is written at its period's end, on the form in use then.
    used_from: date | None = None
    used_until: date | None = None
    # How the form's instructions begin ("Ghi rõ", "Nêu rõ", "Tóm tắt"): a short note without figures that
    # begins so is taken for one of them even where the form's own list lacks it.
    instruction_openings: tuple[str, ...] = ()
    # Words that mark a note as the department's answer, never the form's text ("đã", "chưa", "tại", "theo").
    answer_words: tuple[str, ...] = ()

    def used_for(self, period: "Period") -> bool:
        return (self.used_from is None or self.used_from <= period.end) and \
            (self.used_until is None or period.end <= self.used_until)

    def has(self, indicator: str) -> bool:
        return indicator in self.indicator_ids

    @functools.cached_property
    def indicator_ids(self) -> frozenset[str]:
        # asked for every row of every page: a set, made once per form version
        return frozenset(r.indicator for r in self.rows)


@dataclass(frozen=True)
class Check:
    kind: str  # not_above | parts_sum | reported_if_positive
    reason_vi: str
    origin: Origin
    parts: tuple[str, ...] = ()
    whole: str = ""
    rule: str = ""
    when: str = ""
    then: tuple[str, ...] = ()


@dataclass(frozen=True)
class BodyKind:
    """A kind of reporting body (data/catalogue/body-kinds.yaml): a department, a district, a commune."""

    id: str
    label_vi: str
    label_en: str
    origin: Origin
    reports_from: date | None = None  # the first day its bodies report to the province (communes: 1 July 2025)


@dataclass(frozen=True)
class Department:
    id: str
    name_vi: str
    name_en: str
    short_name: str
    kind: str  # a BodyKind's id
    origin: Origin
    valid_from: date | None = None
    valid_until: date | None = None
    predecessors: tuple[str, ...] = ()
    successors: tuple[str, ...] = ()
    history_vi: str = ""
    reports_from: date | None = None  # its kind's (body-kinds.yaml): before it, it is asked for no report


@dataclass(frozen=True)
class Period:
    id: str
    kind: str  # q1 | h1 | q3 | year
    year: int
    label_vi: str
    label_en: str
    start: date
    end: date
    origin: Origin
    short_vi: str = ""  # e.g. "Quý I/2023", for chart axes


@dataclass(frozen=True)
class Headline:
    """A headline figure of the dashboard: one indicator shown on its own."""

    id: str
    label_vi: str
    label_en: str
    indicator: str
    better: str  # higher | lower: the order of rankings
    origin: Origin


@dataclass(frozen=True)
class SiteSettings:
    title_vi: str = "Theo dõi tiến độ cải cách hành chính"
    base_url: str = ""  # absolute, ending in "/"; "" when unknown (no canonical links, sitemap or feed)
    synthetic: bool = False  # every figure is generated: every page says so
    notice_vi: str = ""
    title_en: str = "Administrative reform progress"
    notice_en: str = ""


@dataclass(frozen=True)
class Catalogue:
    areas: tuple[Area, ...]
    kinds: dict[str, ValueKind]
    indicators: dict[str, Indicator]
    forms: dict[str, FormVersion]
    checks: tuple[Check, ...]
    departments: dict[str, Department]
    periods: dict[str, Period]
    headlines: tuple[Headline, ...] = ()
    site: SiteSettings = SiteSettings()
    body_kinds: dict[str, BodyKind] = field(default_factory=dict)
    # IDs of departments.yaml's entries refused for their ID (reserved, not a slug): their reports are not
    # told that their department is unknown, the entry's own error says what is wrong
    refused_departments: frozenset[str] = frozenset()
    # IDs of periods.yaml's entries left out for an error of their own (a date that is no date, an unknown kind):
    # the reports of such a period are not told it is unknown, the others are still checked in the same run
    refused_periods: frozenset[str] = frozenset()

    def periods_in_order(self) -> list[Period]:
        return sorted(self.periods.values(), key=lambda p: (p.end, p.start))

    @functools.cached_property  # (a frozen object's own dict may still be written)
    def derived_indicators(self) -> tuple[Indicator, ...]:
        """The indicators the site computes from two others (a handful of the catalogue's)."""
        return tuple(i for i in self.indicators.values() if i.derived and i.formula)

    def form_for(self, period: Period) -> FormVersion | None:
        """The form version bodies fill in for `period` (data/forms/: used_from, used_until); None when no
        version is used then (the catalogue refuses two versions used for the same period)."""
        return next((form for form in self.forms.values() if form.used_for(period)), None)


class ReportValue(NamedTuple):
    """One row of a report: the value as the department wrote it, or None. (A named tuple, as `Origin` is: a
    province has half a million.)"""

    indicator: str
    value: Decimal | None
    origin: Origin
    note: str = ""
    evidence: str = ""
    template_note: str = ""  # the form's instructions left in the note column
    remark: str = ""  # the data editor's remark on the source (e.g. a cut-off note)


@dataclass(frozen=True)
class Acknowledgement:
    """A source anomaly the data file admits: its error becomes a warning."""

    indicator: str
    code: str
    explanation: str
    origin: Origin


@dataclass(frozen=True)
class Contact:
    role: str
    name: str
    position: str
    email: str = ""
    phone: str = ""


@dataclass(frozen=True)
class DocumentInfo:
    title: str = ""
    number: str = ""
    date_line: str = ""
    value_column: str = ""
    source: str = ""


@dataclass(frozen=True)
class UnplacedRow:
    """A row of the department's document that matches no row of the form: kept and published as written
    (never read as a figure), so that nothing the department reported is dropped."""

    label: str
    value: str  # exactly as written ("99,99", "Tốt"); "" when the row carries only a note
    origin: Origin
    number: str = ""  # the row's STT as printed
    note: str = ""
    source: str = ""  # where in the document, e.g. "bao-cao.docx: bảng 3, dòng 41"


@dataclass(frozen=True)
class Report:
    department: str
    period: str
    form: str
    origin: Origin
    document: DocumentInfo
    values: dict[str, ReportValue]
    acknowledged: tuple[Acknowledgement, ...] = ()
    contacts: tuple[Contact, ...] = ()
    narrative_markdown: str = ""
    narrative_origin: Origin | None = None
    digest: str = ""  # hash of the report file and its narrative: what pages built from it depend on
    unplaced: tuple[UnplacedRow, ...] = ()  # rows of the document outside the form, in the document's order

    @property
    def key(self) -> tuple[str, str]:
        return (self.department, self.period)


@dataclass(frozen=True)
class Unit:
    """A unit (phòng, văn phòng, tổ) of a department, named in plans as lead or partner."""

    id: str
    name_vi: str
    short_vi: str
    aliases: tuple[str, ...]


@dataclass(frozen=True)
class PlanPart:
    """One product row of a plan task, with its own time frame and lead."""

    key: str  # "7" for a one-part task, "3.2" for the second part of task 3
    product: str
    time_frame: "TimeFrame"
    lead: str  # as written
    lead_units: tuple[str, ...]  # the units it names
    partners: str
    partner_units: tuple[str, ...]
    origin: Origin


@dataclass(frozen=True)
class PlanTask:
    number: str
    area: str
    group: str
    task: str
    parts: tuple[PlanPart, ...]
    origin: Origin


@dataclass(frozen=True)
class Plan:
    department: str
    year: int
    title: str
    number: str
    date: str
    signer: str
    source: str
    tasks: tuple[PlanTask, ...]
    origin: Origin
    units: tuple[Unit, ...] = ()

    @property
    def parts(self) -> tuple[PlanPart, ...]:
        return tuple(p for t in self.tasks for p in t.parts)


STATUSES = ("not_started", "in_progress", "done", "cancelled")


@dataclass(frozen=True)
class TaskStatus:
    key: str  # a task number ("7") or a part ("3.2")
    status: str  # one of STATUSES
    origin: Origin
    date_done: date | None = None
    evidence: str = ""
    comment: str = ""


@dataclass(frozen=True)
class StatusReport:
    """The statuses of a plan's tasks as reported for one period."""

    department: str
    year: int
    period: str
    statuses: tuple[TaskStatus, ...]
    origin: Origin
