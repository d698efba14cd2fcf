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
Whole dataset: `du-lieu/gia-tri-<year>.csv` (one per year of the periods),
`chi-tieu.csv`, `don-vi.csv`, `ky-bao-cao.csv`, `datapackage.json`, and
`du-lieu/index.json` listing every per-page download.

CSV files are UTF-8 with a BOM (Excel then reads Vietnamese correctly),
comma-separated, quoted as RFC 4180 says, with CRLF line ends and a header row
in English snake_case. A text cell that a spreadsheet would run as a formula (it
begins with `=`, `+`, `-`, `@`, a tab or a carriage return and is not a number)
starts with an apostrophe, as spreadsheet users write text; numbers, negative
ones too, are left as they are, and the JSON files hold every text as written.
The Data Package's description says so.

The package's modules: `formats` (how rows are encoded), `per_page` (the files beside the pages)
and `dataset` (du-lieu/); this module joins them and says which page links which download.
"""
from __future__ import annotations

from typing import Callable, Iterable, Iterator

from ..inputs.language import Language
from ..facts.summary import Reports
from ..output.write import OutputFile
from .dataset import (DATAPACKAGE_JSON, DATASET_DIR, DEPARTMENTS_COLUMNS, DEPARTMENTS_CSV, INDEX_JSON,
                      INDICATORS_COLUMNS, INDICATORS_CSV, PERIODS_COLUMNS, PERIODS_CSV, datapackage, department_rows,
                      indicator_catalogue_rows, period_rows, reports_by_year, values_csv, values_keys, values_path,
                      year_of_values)
from .formats import Remember, Row, csv_bytes, json_bytes
from .per_page import CSV_NAME, JSON_NAME, LONG_COLUMNS, REPORT_COLUMNS, page_data_paths, page_files, page_kinds

__all__ = ["CSV_NAME", "DATAPACKAGE_JSON", "DATASET_DIR", "INDEX_JSON", "JSON_NAME", "LONG_COLUMNS", "Links",
           "REPORT_COLUMNS", "Row", "downloads_for", "link_text", "open_data", "open_data_files", "page_data_paths",
           "values_keys", "values_path"]

Links = tuple[tuple[str, str], ...]

# Sections whose pages are not department, report, indicator or period pages.
_OTHER_SECTIONS = frozenset({"chi-tieu", "ky-bao-cao", "ke-hoach", "don-vi", "gioi-thieu", "chat-luong-so-lieu",
                             DATASET_DIR, "assets"})
_PAGE_LINKS: Links = (("CSV", CSV_NAME), ("JSON", JSON_NAME))


# -- links ---------------------------------------------------------------------------
# The label of a year's values file: {year} is filled in from its address (see link_text).
YEAR_VALUES = "Giá trị {year} (CSV)"


def link_text(translate: Callable[..., str], label: str, href: str) -> str:
    """A download link's text in a language (`translate`: the language's `t`), its year filled in."""
    year = year_of_values(href)
    return translate(label, year=year) if year is not None and "{year}" in label else translate(label)


def downloads_for(page_path: str, years: Iterable[int] = ()) -> Links:
    """A page's download links as (label, href relative to that page).

    Report, department, indicator and period pages link their own figures;
    the home page (a values file for each of `years`) and the lists link the whole dataset. Other pages: ().
    """
    parts = page_path.split("/")
    if parts[-1] != "index.html":
        return ()
    folders = parts[:-1]
    if not folders:
        return (*((YEAR_VALUES, values_path(year)) for year in years), ("Chỉ tiêu (CSV)", INDICATORS_CSV),
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
def open_data(reports: Reports, vi: Language, wanted: Callable[[str], bool] = lambda page: True,
              remember: Remember | None = None, view: Callable[[str], Reports] | None = None,
              values_wanted: Callable[[str], bool] = lambda path: True
              ) -> tuple[Iterator[OutputFile], dict[str, Links]]:
    """Every open-data file, made one page at a time as the iterator is read, and each page's download
    links keyed by page path.

    The files are one dataset for every language: Vietnamese texts (`vi`, the source language,
    writes `value_text_vi` and the units) beside English labels where the catalogue has them.
    Pages not `wanted` get no per-page files here: the caller keeps the previous build's.
    `remember(key, make)` may keep bytes made from one report between builds (the key names the
    report's content; the caller's store must tell catalogues, languages and engines apart).
    `view(page)`: the reports as one page's files read them (see `per_page.page_files`).
    A year's values file not `values_wanted` (its path) is not made either: the caller keeps the previous one.
    """
    cat = reports.catalogue
    pages = page_kinds(reports)
    years = reports_by_year(reports)

    def files() -> Iterator[OutputFile]:
        for pair in page_files(reports, wanted, vi, remember, view):
            yield from pair
        for year, of_year in years.items():
            if values_wanted(values_path(year)):
                yield OutputFile(values_path(year), values_csv(cat, of_year, vi, remember))
        yield OutputFile(INDICATORS_CSV, csv_bytes(INDICATORS_COLUMNS, indicator_catalogue_rows(cat)))
        yield OutputFile(DEPARTMENTS_CSV, csv_bytes(DEPARTMENTS_COLUMNS, department_rows(cat)))
        yield OutputFile(PERIODS_CSV, csv_bytes(PERIODS_COLUMNS, period_rows(cat)))
        yield OutputFile(DATAPACKAGE_JSON, json_bytes(datapackage(cat, list(years))))
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
        links[page] = downloads_for(page, years)
    return files(), dict(sorted(links.items()))


def open_data_files(reports: Reports, vi: Language, wanted: Callable[[str], bool] = lambda page: True
                    ) -> tuple[list[OutputFile], dict[str, Links]]:
    """`open_data` with its files in a list."""
    files, links = open_data(reports, vi, wanted)
    return list(files), links
