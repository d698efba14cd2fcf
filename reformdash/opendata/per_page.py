"""The figures behind each report, department, indicator and period page: so-lieu.csv and so-lieu.json
beside its index.html, the rows as the page shows them."""
from __future__ import annotations

from typing import Callable, Iterator

from ..facts.compute import ComputedReport
from ..inputs.language import Language
from ..model import Catalogue, Indicator
from ..pages.base import department_path, indicator_path, period_path, report_path, unit_text, value_text
from ..facts.summary import Reports
from ..output.write import OutputFile
from .formats import Remember, Row, RowText, json_text

CSV_NAME = "so-lieu.csv"
JSON_NAME = "so-lieu.json"
# Columns of a report page's file: one row per form row.
REPORT_COLUMNS = ("stt", "indicator_id", "area", "label_vi", "unit", "value", "value_text_vi", "note",
                  "computed_value", "warnings")
# Columns of the department, indicator and period pages' files: the same rows, long format.
LONG_COLUMNS = ("department", "period", "form") + REPORT_COLUMNS


def page_data_paths(page: str) -> tuple[str, str]:
    """The CSV and JSON files beside a page."""
    folder = page.rsplit("/", 1)[0] + "/" if "/" in page else ""
    return folder + CSV_NAME, folder + JSON_NAME


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


_REPORT_TEXT = RowText(REPORT_COLUMNS)
_LONG_TEXT = RowText(LONG_COLUMNS)


class _LongRows:
    """Each report's rows, made once: a report's rows appear in its own, its department's, its period's and every
    indicator's files. They are kept as tuples (a row of dicts for each of a province's half a million figures
    held a build's open-data process at twice the memory of the reports themselves), and encoded per file from
    them (`RowText`)."""

    def __init__(self, cat: Catalogue, vi: Language, remember: Remember | None = None) -> None:
        self.cat, self.vi, self.remember = cat, vi, remember
        # by report: indicator -> REPORT_COLUMNS values (a form names an indicator once: E404)
        self._cells: dict[tuple[str, str], dict[str, tuple]] = {}
        self._form_numbers: dict[str, dict[str, str]] = {}
        self._blocks: dict[tuple[str, str], tuple[str, str]] = {}

    def own(self, computed: ComputedReport) -> tuple[str, str]:
        """The rows of the report's own file: its CSV lines and its JSON rows (without the brackets)."""
        cells = self._cells_of(computed).values()
        return "".join([_REPORT_TEXT.csv(values) for values in cells]), \
            ",".join([_REPORT_TEXT.json(values) for values in cells])

    def _cells_of(self, computed: ComputedReport) -> dict[str, tuple]:
        key = computed.report.key
        found = self._cells.get(key)
        if found is None:
            found = self._cells[key] = {row["indicator_id"]: tuple(row[c] for c in REPORT_COLUMNS)
                                        for row in report_rows(self.cat, computed, self.vi)}
        return found

    def blocks(self, computed: ComputedReport) -> tuple[str, str]:
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
            made = rest[:int(size)].decode("utf-8"), rest[int(size):].decode("utf-8")
        else:
            made = self._encoded(computed)
        self._blocks[key] = made
        return made

    def _encoded(self, computed: ComputedReport) -> tuple[str, str]:
        prefix = _long_prefix(computed)
        rows = [prefix + values for values in self._cells_of(computed).values()]
        return "".join([_LONG_TEXT.csv(values) for values in rows]), ",".join([_LONG_TEXT.json(values)
                                                                               for values in rows])

    def row(self, computed: ComputedReport, ind: Indicator) -> tuple:
        """The report's row of one indicator (LONG_COLUMNS values); a derived one outside the form gets a row
        without a number."""
        values = self._cells.get(computed.report.key, _NO_CELLS).get(ind.id)
        if values is None:
            # Only this row: the report's rows are not made (a rebuild after one change may want one
            # indicator's file), or the indicator is a derived one outside the form.
            number = self._numbers(computed.report.form).get(ind.id, "")
            row = _figure_row(self.cat, computed, ind, number, self.vi)
            values = tuple(row[c] for c in REPORT_COLUMNS)
        return _long_prefix(computed) + values

    def _numbers(self, form: str) -> dict[str, str]:
        if form not in self._form_numbers:
            self._form_numbers[form] = {r.indicator: r.number for r in self.cat.forms[form].rows}
        return self._form_numbers[form]


_NO_CELLS: dict[str, tuple] = {}


def _packed(blocks: tuple[str, str]) -> bytes:
    """A report's CSV lines and JSON rows as one stored value: the CSV's length in bytes, a line end, both."""
    lines = blocks[0].encode("utf-8")
    return f"{len(lines)}\n".encode() + lines + blocks[1].encode("utf-8")


def _long_prefix(computed: ComputedReport) -> tuple[str, str, str]:
    """The values a long row has before a report row's (LONG_COLUMNS)."""
    report = computed.report
    return report.department, report.period, report.form


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
        # Rows of the document outside the form: not figures of any indicator (no CSV row), but part of
        # what the department reported, so the download carries them as written.
        "unplaced_rows": [{"number": u.number, "label": u.label, "value": u.value, "note": u.note,
                           "source": u.source} for u in report.unplaced],
        "generated_from": report.origin.file,
    }


def _sources(reports: list[ComputedReport]) -> list[str]:
    return [c.report.origin.file for c in reports]


# -- files ---------------------------------------------------------------------------
def _files(page: str, text: RowText, lines: str, rows: str, meta: dict[str, object]) -> list[OutputFile]:
    """A page's CSV (the header, then `lines`) and JSON (`meta` with the columns, then the `rows` joined by
    commas): the same bytes as `csv_bytes` and `table_json` of the rows' dicts."""
    csv_path, json_path = page_data_paths(page)
    head = json_text({**meta, "columns": list(text.columns)})
    return [OutputFile(csv_path, (text.header() + lines).encode("utf-8")),
            OutputFile(json_path, ('{"meta":' + head + ',"rows":[' + rows + "]}\n").encode("utf-8"))]


def _joined_files(page: str, of: list[ComputedReport], meta: dict[str, object], long_rows: _LongRows
                  ) -> list[OutputFile]:
    """The files of the long rows of several whole reports, joined from each report's blocks."""
    blocks = [long_rows.blocks(c) for c in of]
    return _files(page, _LONG_TEXT, "".join([lines for lines, _ in blocks]),
                  ",".join([text for _, text in blocks if text]), meta)


def page_kinds(reports: Reports) -> list[tuple[str, str]]:
    """(page path, page kind) of every report, department, indicator and period page, in the order of `page_files`."""
    cat = reports.catalogue
    return ([(report_path(c.report.department, c.report.period), "report") for c in reports.all()]
            + [(department_path(d), "department") for d in cat.departments]
            + [(period_path(p.id), "period") for p in reports.periods_reported()]
            + [(indicator_path(i), "indicator") for i in cat.indicators])


def page_files(reports: Reports, wanted: Callable[[str], bool], vi: Language,
               remember: Remember | None = None, view: Callable[[str], Reports] | None = None
               ) -> Iterator[list[OutputFile]]:
    """The two files of every report, department, indicator and period page, one page at a time;
    pages not `wanted` (their files are unchanged since the last build) get no files. `view(page)` gives the
    reports as one page's files read them (the pipeline's records what they read: see pages/access.py).
    Periods come before indicators: a report's encoded rows are let go after its period's file."""
    view = view or (lambda page: reports)
    listed = reports.catalogue
    long_rows = _LongRows(listed, vi, remember)
    for key in reports.by_key:
        page = report_path(*key)
        if not wanted(page):
            continue
        seen = view(page)
        computed = seen.by_key[key]
        yield _files(page, _REPORT_TEXT, *long_rows.own(computed), _report_meta(seen.catalogue, computed))
    for dept_id in listed.departments:
        page = department_path(dept_id)
        if not wanted(page):
            continue
        seen = view(page)
        dept = seen.catalogue.departments[dept_id]
        own = seen.of_department(dept.id)
        meta = {"page": page, "department": dept.id, "department_name_vi": dept.name_vi,
                "periods": [c.report.period for c in own], "generated_from": _sources(own)}
        yield _joined_files(page, own, meta, long_rows)
    for period_id in [p.id for p in reports.periods_reported()]:
        page = period_path(period_id)
        if not wanted(page):
            continue
        seen = view(page)
        period = seen.catalogue.periods[period_id]
        of_period = seen.of_period(period_id)
        meta = {"page": page, "period": period.id, "period_label_vi": period.label_vi,
                "departments": [c.report.department for c in of_period], "generated_from": _sources(of_period)}
        yield _joined_files(page, of_period, meta, long_rows)
    for ind_id in listed.indicators:
        page = indicator_path(ind_id)
        if not wanted(page):
            continue
        seen = view(page)
        cat = seen.catalogue
        ind = cat.indicators[ind_id]
        used = seen.asking(ind)
        rows = [long_rows.row(computed, ind) for computed in used]
        lines, texts = "".join([_LONG_TEXT.csv(row) for row in rows]), ",".join([_LONG_TEXT.json(row) for row in rows])
        meta = {"page": page, "indicator": ind.id, "label_vi": ind.label_vi, "label_en": ind.label_en,
                "unit": unit_text(cat, ind, vi), "kind": ind.kind, "temporal": ind.temporal, "derived": ind.derived,
                "generated_from": _sources(used)}
        yield _files(page, _LONG_TEXT, lines, texts, meta)
