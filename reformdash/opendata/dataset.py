"""The whole dataset in du-lieu/: every reported figure in one values file per year (gia-tri-<year>.csv), the
catalogue's indicators, departments and periods, and the Frictionless Data Package descriptor that ties them
together.

A file per year of the periods: a change rewrites one year's file, not a province's whole history (100 MB at 120
bodies over six years), and each file stays far below a spreadsheet's million rows (a year of 120 bodies is
85 000)."""
from __future__ import annotations

import functools
import hashlib
import re

from ..facts.compute import ComputedReport
from ..inputs.language import Language
from ..model import Catalogue, Indicator
from ..pages.base import unit_text
from ..facts.summary import Reports
from .formats import Remember, RowText, plain_decimal

DATASET_DIR = "du-lieu"
_VALUES_FILE = re.compile(r"(?:^|/)" + re.escape(DATASET_DIR) + r"/gia-tri-([0-9]{4})\.csv$")


def values_path(year: int) -> str:
    """The values file of one year's periods."""
    return f"{DATASET_DIR}/gia-tri-{year}.csv"


def year_of_values(path: str) -> int | None:
    """The year whose values file `path` is (from the site's root or as a page links it), or None."""
    found = _VALUES_FILE.search(path)
    return int(found[1]) if found else None


INDICATORS_CSV = f"{DATASET_DIR}/chi-tieu.csv"
DEPARTMENTS_CSV = f"{DATASET_DIR}/don-vi.csv"
PERIODS_CSV = f"{DATASET_DIR}/ky-bao-cao.csv"
DATAPACKAGE_JSON = f"{DATASET_DIR}/datapackage.json"
INDEX_JSON = f"{DATASET_DIR}/index.json"

VALUES_COLUMNS = ("department", "period", "indicator", "value", "unit", "note", "form_version", "area",
                  "label_vi", "label_en")
_VALUES_TEXT = RowText(VALUES_COLUMNS)
INDICATORS_COLUMNS = ("id", "area", "parent", "label_vi", "label_en", "unit", "kind", "temporal", "derived",
                      "formula")
DEPARTMENTS_COLUMNS = ("id", "name_vi", "name_en", "short_name", "kind", "valid_from", "valid_until",
                       "predecessors", "successors")
PERIODS_COLUMNS = ("id", "kind", "year", "label_vi", "label_en", "short_vi", "start", "end")


def _value_rows_of(cat: Catalogue, computed: ComputedReport, vi: Language) -> list[tuple[str, ...]]:
    """Every form row of one report (VALUES_COLUMNS): the department's figures only, never the site's."""
    report = computed.report
    out = []
    for form_row in cat.forms[report.form].rows:
        ind = cat.indicators[form_row.indicator]
        row = report.values.get(ind.id)
        out.append((report.department, report.period, ind.id, plain_decimal(row.value if row is not None else None),
                    unit_text(cat, ind, vi), row.note if row is not None else "", report.form, ind.area,
                    ind.label_vi, ind.label_en))
    return out


def reports_by_year(reports: Reports) -> dict[int, list[ComputedReport]]:
    """The reports of each year of the periods, in the dataset's order, the years in order."""
    periods = reports.catalogue.periods
    years: dict[int, list[ComputedReport]] = {}
    for computed in reports.all():
        years.setdefault(periods[computed.report.period].year, []).append(computed)
    return dict(sorted(years.items()))


def values_keys(reports: Reports, context: str) -> dict[str, str]:
    """Each year's values file and what it is made from (the `context`: catalogue, translations, engine; and
    each of its reports' content and form); "" where a report has no digest to tell it by."""
    return {values_path(year): "" if not all(c.report.digest for c in of_year) else hashlib.sha256(
                "\n".join([context, *(f"{c.report.digest} {c.report.form}" for c in of_year)]).encode()).hexdigest()
            for year, of_year in reports_by_year(reports).items()}


def values_csv(cat: Catalogue, of_year: list[ComputedReport], vi: Language, remember: Remember | None) -> bytes:
    """One year's values file: each report's lines, made once while the report and the catalogue stay the same
    when the caller `remember`s them (a rebuild after one change makes one report's)."""
    def lines_of(computed: ComputedReport) -> bytes:
        return "".join([_VALUES_TEXT.csv(row) for row in _value_rows_of(cat, computed, vi)]).encode("utf-8")

    blocks = [remember(f"{c.report.digest} {c.report.form}", functools.partial(lines_of, c))
              if remember is not None and c.report.digest else lines_of(c) for c in of_year]
    return _VALUES_TEXT.header().encode("utf-8") + b"".join(blocks)


def _formula_text(ind: Indicator) -> str:
    return f"100 * {ind.formula.numerator} / {ind.formula.denominator}" if ind.formula else ""


def indicator_catalogue_rows(cat: Catalogue) -> list[dict[str, str]]:
    return [{"id": i.id, "area": i.area, "parent": i.parent or "", "label_vi": i.label_vi, "label_en": i.label_en,
             "unit": i.unit, "kind": i.kind, "temporal": i.temporal, "derived": "true" if i.derived else "false",
             "formula": _formula_text(i)} for i in cat.indicators.values()]


def department_rows(cat: Catalogue) -> list[dict[str, str]]:
    return [{"id": d.id, "name_vi": d.name_vi, "name_en": d.name_en, "short_name": d.short_name, "kind": d.kind,
             "valid_from": d.valid_from.isoformat() if d.valid_from else "",
             "valid_until": d.valid_until.isoformat() if d.valid_until else "",
             "predecessors": " ".join(d.predecessors), "successors": " ".join(d.successors)}
            for d in cat.departments.values()]


def period_rows(cat: Catalogue) -> list[dict[str, str]]:
    return [{"id": p.id, "kind": p.kind, "year": str(p.year), "label_vi": p.label_vi, "label_en": p.label_en,
             "short_vi": p.short_vi, "start": p.start.isoformat(), "end": p.end.isoformat()}
            for p in cat.periods_in_order()]


def _field(name: str, type_: str, description: str, **constraints: object) -> dict[str, object]:
    field: dict[str, object] = {"name": name, "type": type_, "description": description}
    if constraints:
        field["constraints"] = constraints
    return field


def _resource(name: str, path: str, title: str, fields: list[dict[str, object]], **schema: object) -> dict[str, object]:
    return {"name": name, "path": path.removeprefix(DATASET_DIR + "/"), "title": title,
            "profile": "tabular-data-resource", "format": "csv", "mediatype": "text/csv", "encoding": "utf-8-sig",
            "schema": {"fields": fields, "missingValues": [""], **schema}}


def datapackage(cat: Catalogue, years: list[int]) -> dict[str, object]:
    """The Frictionless Data Package descriptor of du-lieu/ (no remote profiles: it validates offline), with a
    values resource for each of `years`."""
    areas = [a.id for a in cat.areas]
    kinds = sorted(cat.kinds)
    temporal = sorted({i.temporal for i in cat.indicators.values()} | {"cumulative", "period", "state"})
    required = {"required": True}
    value_fields = [
        _field("department", "string", "Department ID (departments.id)", **required),
        _field("period", "string", "Reporting period ID (periods.id)", **required),
        _field("indicator", "string", "Indicator ID (indicators.id)", **required),
        _field("value", "number", "The department's figure with the digits it wrote; empty = not reported "
               "(never 0); coded answers as their code (see indicators.kind)"),
        _field("unit", "string", "Unit, or the coding for coded answers"),
        _field("note", "string", "The department's note"),
        _field("form_version", "string", "Form version of the report", required=True, enum=sorted(cat.forms)),
        _field("area", "string", "Area of the form (I-VII)", required=True, enum=areas),
        _field("label_vi", "string", "Indicator label (Vietnamese)", **required),
        _field("label_en", "string", "Indicator label (English)"),
    ]
    values = [_resource(f"values-{year}", values_path(year),
                        f"Giá trị báo cáo năm {year} / Reported values, {year}", value_fields, primaryKey=["department", "period", "indicator"], foreignKeys=[
                            {"fields": "indicator", "reference": {"resource": "indicators", "fields": "id"}},
                            {"fields": "department", "reference": {"resource": "departments", "fields": "id"}},
                            {"fields": "period", "reference": {"resource": "periods", "fields": "id"}},
                        ]) for year in years]
    indicators = _resource("indicators", INDICATORS_CSV, "Danh mục chỉ tiêu / Indicator catalogue", [
        _field("id", "string", "Indicator ID", required=True, unique=True),
        _field("area", "string", "Area of the form (I-VII)", required=True, enum=areas),
        _field("parent", "string", "The group row this indicator belongs to (indicators.id)"),
        _field("label_vi", "string", "Label (Vietnamese)", **required),
        _field("label_en", "string", "Label (English)"),
        _field("unit", "string", "Unit"),
        _field("kind", "string", "Kind of value: count, percent, a coded answer, or a group heading",
               required=True, enum=kinds),
        _field("temporal", "string", "cumulative = to the report date; period = within the period; "
               "state = at the report date", required=True, enum=temporal),
        _field("derived", "boolean", "true = computed by the site, never reported by a department",
               required=True),
        _field("formula", "string", "How the site computes the rate from two other indicators"),
    ], primaryKey=["id"], foreignKeys=[{"fields": "parent", "reference": {"resource": "", "fields": "id"}}])
    departments = _resource("departments", DEPARTMENTS_CSV, "Đơn vị / Departments", [
        _field("id", "string", "Department ID", required=True, unique=True),
        _field("name_vi", "string", "Name (Vietnamese)", **required),
        _field("name_en", "string", "Name (English)"),
        _field("short_name", "string", "Short name"),
        _field("kind", "string", "Kind of body: " + "; ".join(f"{k.id} = {k.label_en or k.label_vi}"
                                                             for k in cat.body_kinds.values()),
               required=True, enum=sorted({d.kind for d in cat.departments.values()} | set(cat.body_kinds))),
        _field("valid_from", "date", "First day the department existed (empty = before the data)"),
        _field("valid_until", "date", "Last day the department existed (empty = still exists)"),
        _field("predecessors", "string", "IDs of the departments it replaced, separated by spaces"),
        _field("successors", "string", "IDs of the departments that replaced it, separated by spaces"),
    ], primaryKey=["id"])
    periods = _resource("periods", PERIODS_CSV, "Kỳ báo cáo / Reporting periods", [
        _field("id", "string", "Period ID", required=True, unique=True),
        _field("kind", "string", "q1, h1 (six months), q3 or year", required=True,
               enum=sorted({p.kind for p in cat.periods.values()} | {"q1", "h1", "q3", "year"})),
        _field("year", "integer", "Year", required=True),
        _field("label_vi", "string", "Label (Vietnamese)", **required),
        _field("label_en", "string", "Label (English)"),
        _field("short_vi", "string", "Short label (Vietnamese)"),
        _field("start", "date", "First day of the period", required=True),
        _field("end", "date", "Last day of the period", required=True),
    ], primaryKey=["id"])
    return {
        "profile": "tabular-data-package",
        "name": "cchc-reform-progress",
        "title": "Số liệu cải cách hành chính / Administrative reform (CCHC) statistics",
        "description": "Every figure of every published CCHC report, exactly as the department wrote it; "
                       "an empty value means not reported, never 0; one values file per year of the periods "
                       "(gia-tri-<year>.csv, the resources values-<year>). Figures the site computes are not in "
                       "the values files: they are in the per-page downloads, in their own column (computed_value). "
                       "In the CSV files a text that begins with =, +, -, @, a tab or a carriage return (and is not a number) "
                       "starts with an apostrophe, which spreadsheets read as 'this is text', so that a note is "
                       "never run as a formula; remove that one apostrophe to get the text as written. Numbers, "
                       "negative ones too, and the JSON files are as written.",
        "resources": [*values, indicators, departments, periods],
    }
