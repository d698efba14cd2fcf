"""The rows of a body's form for one period, as both file formats print them.

Rows come in the printed order of the form version (data/forms/<form>.yaml), each
with its number, label and unit as the form prints them, under the seven area
rows. Beside each row stand the body's own figures of its latest earlier report
and of the same period a year before, for reference: read from its data files
with the validation stage, and left empty where there is no report or no figure.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from ..model import Catalogue, Department, FormVersion, Period, Report, ValueKind
from ..numbers import format_vi
from ..problems import Collector, relative_name
from ..inputs.validate import validate_report

MARK = "reformdash-form"  # names the hidden sheet (XLSX) and starts the hidden first paragraph (DOCX)
LAYOUT = "1"  # the layout of the columns below; a reader refuses a form of a layout it does not know
# The table's columns, in order: value and note are the only cells a clerk fills in.
COLUMNS = ("number", "label", "unit", "value", "note", "previous", "last_year", "id")
ID_HEADER = "ID chỉ tiêu"  # the hidden column's header (a space: never an indicator ID)
EMPTY_MEANS = "Ô để trống nghĩa là không báo cáo, không phải 0"


@dataclass(frozen=True)
class Line:
    """One printed row: an area's title row (no indicator) or a row of the form."""

    indicator: str  # "" on an area row
    number: str
    label: str
    unit: str
    kind: ValueKind | None  # None on an area row
    previous: str = ""  # the body's figure in its earlier report, as the site writes it; "" when none
    last_year: str = ""

    @property
    def holds_value(self) -> bool:
        return self.kind is not None and self.kind.holds_value


@dataclass(frozen=True)
class Reference:
    """A report whose figures stand beside the rows, and the column's header saying which."""

    title: str
    period: Period | None = None
    report: Report | None = None


@dataclass(frozen=True)
class BodyForm:
    department: Department
    period: Period
    form: FormVersion
    lines: tuple[Line, ...]
    previous: Reference
    last_year: Reference
    notices: tuple[str, ...] = ()  # reference reports left out, and why

    @property
    def rows(self) -> int:
        return sum(bool(line.indicator) for line in self.lines)


def period_span(period: Period) -> str:
    return f"từ {period.start:%d/%m/%Y} đến {period.end:%d/%m/%Y}"


def form_lines(catalogue: Catalogue, form: FormVersion, references: tuple[Report | None, Report | None] = (None, None)
               ) -> tuple[Line, ...]:
    """Every row of the form in printed order, each area's title row before its first row."""
    titles = dict(form.area_titles)
    areas = {a.id: a.label_vi for a in catalogue.areas}
    out: list[Line] = []
    area = None
    for row in form.rows:
        indicator = catalogue.indicators[row.indicator]
        here = row.area or indicator.area
        if here != area:
            area = here
            out.append(Line("", here, titles.get(here) or areas.get(here, ""), "", None))
        kind = catalogue.kinds[indicator.kind]
        out.append(Line(indicator.id, row.number, row.label or indicator.label_vi,
                        indicator.unit if row.unit is None else row.unit, kind,
                        *(figure_text(report, indicator.id, kind) for report in references)))
    return tuple(out)


def figure_text(report: Report | None, indicator: str, kind: ValueKind) -> str:
    """A report's figure as the site shows it ('1.076', '99,99', 'Có'); "" when not reported."""
    row = report.values.get(indicator) if report is not None else None
    if row is None or row.value is None:
        return ""
    if kind.codes and row.value == row.value.to_integral_value() and (code := kind.code(int(row.value))):
        return code.vi
    return format_vi(Decimal(row.value))


def body_form(catalogue: Catalogue, department: Department, period: Period, form: FormVersion, data_dir: Path,
              root: Path) -> BodyForm:
    """The body's form for `period`, with the figures of its latest earlier report and of the same period last
    year (each validated as `check` does; one that does not pass is left out, with a notice)."""
    notices: list[str] = []

    def reference(what: str, other: Period | None) -> Reference:
        if other is None:
            return Reference(f"{what}: không có báo cáo")
        path = data_dir / department.id / f"{other.id}.yaml"
        report = None
        if os.path.lexists(path):
            report = validate_report(path, root, catalogue, Collector())
            if report is None:
                notices.append(f"{relative_name(path, root)} does not pass the check; its figures are left out of "
                               "the form (run `build.py check`)")
        return Reference(f"{what}: {other.label_vi}" + ("" if report else " (không có số liệu)"), other, report)

    # the body's latest report before this period (the site's "previous report"), and the same period a year before
    earlier = [p for p in catalogue.periods_in_order()
               if p.end < period.end and os.path.lexists(data_dir / department.id / f"{p.id}.yaml")]
    previous = reference("Kỳ trước", earlier[-1] if earlier else None)
    last_year = reference("Cùng kỳ năm trước", next((p for p in catalogue.periods.values()
                                                     if p.kind == period.kind and p.year == period.year - 1), None))
    return BodyForm(department, period, form, form_lines(catalogue, form, (previous.report, last_year.report)),
                    previous, last_year, tuple(notices))
