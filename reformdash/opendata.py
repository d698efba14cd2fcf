"""Open data: the figures behind every page as CSV and JSON, and the whole dataset
as a Frictionless Data Package.

Pure functions from the computed reports to `OutputFile`s; nothing here reads
the disk or the clock, so two builds of the same data give the same bytes.

What the files promise, like the pages:

- `value` is the department's figure with exactly the digits it wrote, as a
  plain decimal with a point (`1076`, `99.99`, `50.0`); a row the department
  did not report is empty (JSON `null`), never `0`.
- `value_text_vi` is the figure as the page shows it (`1.076`, `99,99 %`,
  `Có`).
- A figure the site computed itself is only ever in `computed_value`.

Per page (next to the page's index.html): `so-lieu.csv` and `so-lieu.json`.
Whole dataset: `du-lieu/gia-tri.csv`, `chi-tieu.csv`, `don-vi.csv`,
`ky-bao-cao.csv`, `datapackage.json`, and `du-lieu/index.json` listing every
per-page download.

CSV files are UTF-8 with a BOM (Excel then reads Vietnamese correctly),
comma-separated, quoted as RFC 4180 says, with CRLF line ends and a header row
in English snake_case.
"""
from __future__ import annotations

import csv
import functools
import io
import json
from decimal import Decimal
from typing import Callable, Iterable, Iterator

from .compute import ComputedReport
from .language import Language
from .model import Catalogue, Indicator
from .pages.base import asked, department_path, indicator_path, period_path, report_path, unit_text, value_text
from .summary import Reports
from .write import OutputFile

Remember = Callable[[str, Callable[[], bytes]], bytes]

CSV_NAME = "so-lieu.csv"
JSON_NAME = "so-lieu.json"
DATASET_DIR = "du-lieu"
VALUES_CSV = f"{DATASET_DIR}/gia-tri.csv"
INDICATORS_CSV = f"{DATASET_DIR}/chi-tieu.csv"
DEPARTMENTS_CSV = f"{DATASET_DIR}/don-vi.csv"
PERIODS_CSV = f"{DATASET_DIR}/ky-bao-cao.csv"
DATAPACKAGE_JSON = f"{DATASET_DIR}/datapackage.json"
INDEX_JSON = f"{DATASET_DIR}/index.json"

Links = tuple[tuple[str, str], ...]

# Columns of a report page's file: one row per form row.
REPORT_COLUMNS = ("stt", "indicator_id", "area", "label_vi", "unit", "value", "value_text_vi", "note",
                  "computed_value", "warnings")
# Columns of the department, indicator and period pages' files: the same rows, long format.
LONG_COLUMNS = ("department", "period", "form") + REPORT_COLUMNS
VALUES_COLUMNS = ("department", "period", "indicator", "value", "unit", "note", "form_version", "area",
                  "label_vi", "label_en")
INDICATORS_COLUMNS = ("id", "area", "parent", "label_vi", "label_en", "unit", "kind", "temporal", "derived",
                      "formula")
DEPARTMENTS_COLUMNS = ("id", "name_vi", "name_en", "short_name", "kind", "valid_from", "valid_until",
                       "predecessors", "successors")
PERIODS_COLUMNS = ("id", "kind", "year", "label_vi", "label_en", "short_vi", "start", "end")
# A row of a download: column -> text; None for a figure not reported (empty in CSV, null in JSON: a figure
# is a string of digits as the department wrote it, never a JSON number).
Row = dict[str, "str | None"]

# Sections whose pages are not department, report, indicator or period pages.
_OTHER_SECTIONS = frozenset({"chi-tieu", "ky-bao-cao", "ke-hoach", "don-vi", "gioi-thieu", "chat-luong-so-lieu",
                             DATASET_DIR, "assets"})
_PAGE_LINKS: Links = (("CSV", CSV_NAME), ("JSON", JSON_NAME))


# -- formats -------------------------------------------------------------------------
def plain_decimal(value: Decimal | None) -> str:
    """Decimal('99.99') -> '99.99', Decimal('1076') -> '1076', None -> '': the digits as written."""
    return "" if value is None else format(value, "f")


def csv_bytes(columns: Iterable[str], rows: Iterable[Row]) -> bytes:
    """UTF-8 with BOM, comma-separated, RFC 4180 quoting, CRLF line ends."""
    columns = tuple(columns)
    return _csv_lines([columns], True) + _csv_lines([[row[c] for c in columns] for row in rows])


def _csv_lines(lines: Iterable[Iterable[str]], bom: bool = False) -> bytes:
    buffer = io.StringIO(newline="")
    csv.writer(buffer, dialect="excel", lineterminator="\r\n").writerows(lines)
    return buffer.getvalue().encode("utf-8-sig" if bom else "utf-8")


def json_bytes(document: object) -> bytes:
    return (_json_text(document) + "\n").encode("utf-8")


def _json_text(document: object) -> str:
    return json.dumps(document, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def _table_json(columns: tuple[str, ...], rows: list[Row], meta: dict[str, object]) -> bytes:
    return json_bytes({"meta": {**meta, "columns": list(columns)}, "rows": rows})


# -- rows ----------------------------------------------------------------------------
def _codes(computed: ComputedReport, indicator: str) -> str:
    seen: list[str] = []
    for flag in computed.flags_for(indicator):
        if flag.code not in seen:
            seen.append(flag.code)
    return " ".join(seen)


def _figure_row(cat: Catalogue, computed: ComputedReport, ind: Indicator, number: str,
                vi: Language) -> Row:
    """One indicator of one report, as its report page shows it. A figure not reported ("value",
    "computed_value") is None: empty in the CSV (the writer writes None so), null in the JSON."""
    row = computed.report.values.get(ind.id)
    value = row.value if row is not None else None
    own = computed.derived.get(ind.id)
    return {
        "stt": number,
        "indicator_id": ind.id,
        "area": ind.area,
        "label_vi": ind.label_vi,
        "unit": unit_text(cat, ind, vi),
        "value": None if value is None else format(value, "f"),
        "value_text_vi": value_text(cat, ind, value, vi) if value is not None else "",
        "note": row.note if row is not None else "",
        # The site's own figure, only where the department gave none (as on the page).
        "computed_value": format(own, "f") if value is None and own is not None else None,
        "warnings": _codes(computed, ind.id),
    }


def report_rows(cat: Catalogue, computed: ComputedReport, vi: Language) -> list[Row]:
    """One row per row of the report's form, in the printed order."""
    return [_figure_row(cat, computed, cat.indicators[r.indicator], r.number, vi)
            for r in cat.forms[computed.report.form].rows]


class _LongRows:
    """Each report's rows in long format, made once: a report's rows appear in its own, its department's,
    its period's and every indicator's files."""

    def __init__(self, cat: Catalogue, vi: Language, remember: Remember | None = None) -> None:
        self.cat, self.vi, self.remember = cat, vi, remember
        self._own: dict[tuple[str, str], list[Row]] = {}
        self._rows: dict[tuple[str, str], list[Row]] = {}
        self._by_indicator: dict[tuple[str, str], dict[str, Row]] = {}
        self._form_numbers: dict[str, dict[str, str]] = {}
        self._blocks: dict[tuple[str, str], tuple[bytes, str]] = {}

    def own(self, computed: ComputedReport) -> list[Row]:
        """The rows of the report's own file."""
        key = computed.report.key
        if key not in self._own:
            self._own[key] = report_rows(self.cat, computed, self.vi)
        return self._own[key]

    def of(self, computed: ComputedReport) -> list[Row]:
        key = computed.report.key
        if key not in self._rows:
            self._rows[key] = _long(computed, self.own(computed))
        return self._rows[key]

    def blocks(self, computed: ComputedReport) -> tuple[bytes, str]:
        """The report's long rows as CSV lines and as JSON rows (without the brackets), encoded once for
        its department's file and its period's (whole blocks: encoding row by row costs more than it saves).
        Let go after those two uses."""
        key = computed.report.key
        found = self._blocks.pop(key, None)
        if found is not None:
            return found
        if self.remember is not None and computed.report.digest:
            # What the rows show besides the report's content: its warnings (a plan's cross-check adds some).
            flags = ";".join(f"{f.subject} {f.code}" for f in computed.flags)
            stored = self.remember(f"long {computed.report.digest} {computed.report.form} {flags}",
                                   lambda: _packed(self._encoded(computed)))
            size, _, rest = stored.partition(b"\n")
            made = rest[:int(size)], rest[int(size):].decode("utf-8")
        else:
            made = self._encoded(computed)
        self._blocks[key] = made
        return made

    def _encoded(self, computed: ComputedReport) -> tuple[bytes, str]:
        rows = self.of(computed)
        return _csv_lines([[r[c] for c in LONG_COLUMNS] for r in rows]), _json_text(rows)[1:-1]

    def row(self, computed: ComputedReport, ind: Indicator) -> Row:
        """The report's row of one indicator; a derived one outside the form gets a row without a number."""
        key = computed.report.key
        if key in self._rows:
            if key not in self._by_indicator:
                self._by_indicator[key] = {r["indicator_id"]: r for r in self._rows[key]}
            if ind.id in self._by_indicator[key]:
                return self._by_indicator[key][ind.id]
        # Only this row: the report's rows are not made (a rebuild after one change may want one
        # indicator's file), or the indicator is a derived one outside the form.
        number = self._numbers(computed.report.form).get(ind.id, "")
        return _long(computed, [_figure_row(self.cat, computed, ind, number, self.vi)])[0]

    def _numbers(self, form: str) -> dict[str, str]:
        if form not in self._form_numbers:
            self._form_numbers[form] = {r.indicator: r.number for r in self.cat.forms[form].rows}
        return self._form_numbers[form]


def _packed(blocks: tuple[bytes, str]) -> bytes:
    """A report's CSV lines and JSON rows as one stored value: the CSV's length, a line end, both."""
    return f"{len(blocks[0])}\n".encode() + blocks[0] + blocks[1].encode("utf-8")


def _long(computed: ComputedReport, rows: list[Row]) -> list[Row]:
    report = computed.report
    return [{"department": report.department, "period": report.period, "form": report.form, **r} for r in rows]


def _indicator_rows(reports: Reports, ind: Indicator, long_rows: _LongRows) -> list[Row]:
    """Every report whose form holds the indicator (for a derived one: both its inputs)."""
    cat = reports.catalogue
    return [long_rows.row(computed, ind) for computed in reports.all() if asked(cat, computed.report.form, ind)]


# -- meta ----------------------------------------------------------------------------
def _document_meta(computed: ComputedReport) -> dict[str, str]:
    doc = computed.report.document
    return {"title": doc.title, "number": doc.number, "date_line": doc.date_line, "source": doc.source}


def _report_meta(cat: Catalogue, computed: ComputedReport) -> dict[str, object]:
    report = computed.report
    dept, period, form = cat.departments[report.department], cat.periods[report.period], cat.forms[report.form]
    return {
        "page": report_path(report.department, report.period),
        "department": dept.id, "department_name_vi": dept.name_vi,
        "period": period.id, "period_label_vi": period.label_vi,
        "form": form.id, "form_label_vi": form.label_vi,
        "source_document": _document_meta(computed),
        "generated_from": report.origin.file,
    }


def _sources(reports: list[ComputedReport]) -> list[str]:
    return [c.report.origin.file for c in reports]


# -- per-page files --------------------------------------------------------------------
def _page_files(page: str, columns: tuple[str, ...], rows: list[Row],
                meta: dict[str, object]) -> list[OutputFile]:
    csv_path, json_path = page_data_paths(page)
    return [OutputFile(csv_path, csv_bytes(columns, rows)), OutputFile(json_path, _table_json(columns, rows, meta))]


def _joined_files(page: str, of: list[ComputedReport], meta: dict[str, object], long_rows: _LongRows
                  ) -> list[OutputFile]:
    """`_page_files` of the long rows of several whole reports, joined from each report's blocks: the same bytes."""
    csv_path, json_path = page_data_paths(page)
    blocks = [long_rows.blocks(c) for c in of]
    head = _json_text({**meta, "columns": list(LONG_COLUMNS)})
    rows = ",".join(text for _, text in blocks if text)
    return [OutputFile(csv_path, _csv_lines([LONG_COLUMNS], True) + b"".join(lines for lines, _ in blocks)),
            OutputFile(json_path, ('{"meta":' + head + ',"rows":[' + rows + "]}\n").encode("utf-8"))]


def _pages(reports: Reports) -> list[tuple[str, str]]:
    """(page path, page kind) of every report, department, indicator and period page, in the order of `_per_page`."""
    cat = reports.catalogue
    return ([(report_path(c.report.department, c.report.period), "report") for c in reports.all()]
            + [(department_path(d), "department") for d in cat.departments]
            + [(indicator_path(i), "indicator") for i in cat.indicators]
            + [(period_path(p.id), "period") for p in reports.periods_reported()])


def _per_page(reports: Reports, wanted: Callable[[str], bool], vi: Language,
              remember: Remember | None = None) -> Iterator[list[OutputFile]]:
    """The two files of every report, department, indicator and period page, one page at a time;
    pages not `wanted` (their files are unchanged since the last build) get no files."""
    cat = reports.catalogue
    long_rows = _LongRows(cat, vi, remember)
    for computed in reports.all():
        page = report_path(computed.report.department, computed.report.period)
        if not wanted(page):
            continue
        yield _page_files(page, REPORT_COLUMNS, long_rows.own(computed), _report_meta(cat, computed))
    for dept in cat.departments.values():
        own = reports.of_department(dept.id)
        page = department_path(dept.id)
        if not wanted(page):
            continue
        meta = {"page": page, "department": dept.id, "department_name_vi": dept.name_vi,
                "periods": [c.report.period for c in own], "generated_from": _sources(own)}
        yield _joined_files(page, own, meta, long_rows)
    for ind in cat.indicators.values():
        page = indicator_path(ind.id)
        if not wanted(page):
            continue
        rows = _indicator_rows(reports, ind, long_rows)
        used = [c for c in reports.all() if asked(cat, c.report.form, ind)]
        meta = {"page": page, "indicator": ind.id, "label_vi": ind.label_vi, "label_en": ind.label_en,
                "unit": unit_text(cat, ind, vi), "kind": ind.kind, "temporal": ind.temporal, "derived": ind.derived,
                "generated_from": _sources(used)}
        yield _page_files(page, LONG_COLUMNS, rows, meta)
    for period in reports.periods_reported():
        page = period_path(period.id)
        if not wanted(page):
            continue
        of_period = [c for c in reports.all() if c.report.period == period.id]
        meta = {"page": page, "period": period.id, "period_label_vi": period.label_vi,
                "departments": [c.report.department for c in of_period], "generated_from": _sources(of_period)}
        yield _joined_files(page, of_period, meta, long_rows)


# -- the whole dataset ---------------------------------------------------------------
def _value_rows_of(cat: Catalogue, computed: ComputedReport, vi: Language) -> list[dict[str, str]]:
    """Every form row of one report: the department's figures only, never the site's."""
    report = computed.report
    out = []
    for form_row in cat.forms[report.form].rows:
        ind = cat.indicators[form_row.indicator]
        row = report.values.get(ind.id)
        out.append({"department": report.department, "period": report.period, "indicator": ind.id,
                    "value": plain_decimal(row.value if row is not None else None),
                    "unit": unit_text(cat, ind, vi), "note": row.note if row is not None else "",
                    "form_version": report.form, "area": ind.area, "label_vi": ind.label_vi,
                    "label_en": ind.label_en})
    return out


def _values_csv(reports: Reports, vi: Language, remember: Remember | None) -> bytes:
    """The whole dataset's values file: each report's lines, made once while the report and the catalogue
    stay the same when the caller `remember`s them (a rebuild after one change makes one report's)."""
    cat = reports.catalogue

    def lines_of(computed: ComputedReport) -> bytes:
        return _csv_lines([[row[c] for c in VALUES_COLUMNS] for row in _value_rows_of(cat, computed, vi)])

    blocks = [remember(f"{c.report.digest} {c.report.form}", functools.partial(lines_of, c))
              if remember is not None and c.report.digest else lines_of(c) for c in reports.all()]
    return _csv_lines([VALUES_COLUMNS], True) + b"".join(blocks)


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


def datapackage(cat: Catalogue) -> dict[str, object]:
    """The Frictionless Data Package descriptor of du-lieu/ (no remote profiles: it validates offline)."""
    areas = [a.id for a in cat.areas]
    kinds = sorted(cat.kinds)
    temporal = sorted({i.temporal for i in cat.indicators.values()} | {"cumulative", "period", "state"})
    required = {"required": True}
    values = _resource("values", VALUES_CSV, "Giá trị báo cáo / Reported values", [
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
    ], primaryKey=["department", "period", "indicator"], foreignKeys=[
        {"fields": "indicator", "reference": {"resource": "indicators", "fields": "id"}},
        {"fields": "department", "reference": {"resource": "departments", "fields": "id"}},
        {"fields": "period", "reference": {"resource": "periods", "fields": "id"}},
    ])
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
        _field("kind", "string", "department or district", required=True,
               enum=sorted({d.kind for d in cat.departments.values()} | {"department", "district"})),
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
                       "an empty value means not reported, never 0. Figures the site computes are not in "
                       "values.csv: they are in the per-page downloads, in their own column (computed_value).",
        "resources": [values, indicators, departments, periods],
    }


# -- links ---------------------------------------------------------------------------
def downloads_for(page_path: str) -> Links:
    """A page's download links as (label, href relative to that page).

    Report, department, indicator and period pages link their own figures;
    the home page and the lists link the whole dataset. Other pages: ().
    """
    parts = page_path.split("/")
    if parts[-1] != "index.html":
        return ()
    folders = parts[:-1]
    if not folders:
        return (("Giá trị (CSV)", VALUES_CSV), ("Chỉ tiêu (CSV)", INDICATORS_CSV),
                ("Đơn vị (CSV)", DEPARTMENTS_CSV), ("Kỳ báo cáo (CSV)", PERIODS_CSV),
                ("Data Package (JSON)", DATAPACKAGE_JSON))
    if len(folders) == 1:
        lists = {"don-vi": DEPARTMENTS_CSV, "chi-tieu": INDICATORS_CSV, "ky-bao-cao": PERIODS_CSV}
        if folders[0] in lists:
            return (("CSV", "../" + lists[folders[0]]),)
        return () if folders[0] in _OTHER_SECTIONS else _PAGE_LINKS  # a department page
    if len(folders) == 2 and (folders[0] in ("chi-tieu", "ky-bao-cao") or folders[0] not in _OTHER_SECTIONS):
        return _PAGE_LINKS  # an indicator, period or report page
    return ()


# -- everything ------------------------------------------------------------------------
def page_data_paths(page: str) -> tuple[str, str]:
    """The CSV and JSON files beside a page."""
    folder = page.rsplit("/", 1)[0] + "/" if "/" in page else ""
    return folder + CSV_NAME, folder + JSON_NAME


def open_data(reports: Reports, vi: Language, wanted: Callable[[str], bool] = lambda page: True,
              remember: Remember | None = None) -> tuple[Iterator[OutputFile], dict[str, Links]]:
    """Every open-data file, made one page at a time as the iterator is read, and each page's download
    links keyed by page path.

    The files are one dataset for every language: Vietnamese texts (`vi`, the source language,
    writes `value_text_vi` and the units) beside English labels where the catalogue has them.
    Pages not `wanted` get no per-page files here: the caller keeps the previous build's.
    `remember(key, make)` may keep bytes made from one report between builds (the key names the
    report's content; the caller's store must tell catalogues, languages and engines apart).
    """
    cat = reports.catalogue
    pages = _pages(reports)

    def files() -> Iterator[OutputFile]:
        for pair in _per_page(reports, wanted, vi, remember):
            yield from pair
        yield OutputFile(VALUES_CSV, _values_csv(reports, vi, remember))
        yield OutputFile(INDICATORS_CSV, csv_bytes(INDICATORS_COLUMNS, indicator_catalogue_rows(cat)))
        yield OutputFile(DEPARTMENTS_CSV, csv_bytes(DEPARTMENTS_COLUMNS, department_rows(cat)))
        yield OutputFile(PERIODS_CSV, csv_bytes(PERIODS_COLUMNS, period_rows(cat)))
        yield OutputFile(DATAPACKAGE_JSON, json_bytes(datapackage(cat)))
        listed = [{"page": page, "kind": kind,
                   "files": [{"format": path.rsplit(".", 1)[1], "path": path, "href": "../" + path}
                             for path in page_data_paths(page)]}
                  for page, kind in pages]
        index = {"about": "Every per-page download of the site. 'path' is relative to the site root, "
                          "'href' to this file.",
                 "datapackage": {"path": DATAPACKAGE_JSON, "href": "datapackage.json"},
                 "pages": sorted(listed, key=lambda p: p["page"])}
        yield OutputFile(INDEX_JSON, json_bytes(index))

    links: dict[str, Links] = {page: downloads_for(page) for page, _ in pages}
    for page in ("index.html", "don-vi/index.html", "chi-tieu/index.html", "ky-bao-cao/index.html"):
        links[page] = downloads_for(page)
    return files(), dict(sorted(links.items()))


def open_data_files(reports: Reports, vi: Language, wanted: Callable[[str], bool] = lambda page: True
                    ) -> tuple[list[OutputFile], dict[str, Links]]:
    """`open_data` with its files in a list."""
    files, links = open_data(reports, vi, wanted)
    return list(files), links
