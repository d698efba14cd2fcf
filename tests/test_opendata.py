"""Open data: every page's figures as CSV and JSON, the whole dataset as a Data Package."""
from __future__ import annotations

import csv
import io
import json
import socket
from decimal import Decimal
from pathlib import Path

import pytest

from conftest import ROOT
from reformdash.opendata import (DATAPACKAGE_JSON, INDEX_JSON, LONG_COLUMNS, REPORT_COLUMNS, downloads_for,
                                 open_data_files, values_path)
from reformdash.opendata.dataset import year_of_values
from reformdash.opendata.formats import spreadsheet_text
from reformdash.pages.base import department_path, indicator_path, period_path, report_path
from reformdash.pipeline import Project, check
from reformdash.facts.summary import Reports

NBSP = "\u00a0"
BOM = b"\xef\xbb\xbf"


@pytest.fixture(scope="module")
def checked():
    return check(Project.at(ROOT))


@pytest.fixture(scope="module")
def reports(checked) -> Reports:
    return Reports.of(checked.catalogue, checked.reports)


@pytest.fixture(scope="module")
def produced(reports: Reports, checked):
    return open_data_files(reports, checked.languages[0])


@pytest.fixture(scope="module")
def files(produced) -> dict[str, bytes]:
    out = {f.path: f.content for f in produced[0]}
    assert len(out) == len(produced[0]), "two files with the same path"
    return out


@pytest.fixture(scope="module")
def links(produced):
    return produced[1]


def all_values(files: dict[str, bytes]) -> list[dict[str, str]]:
    """The rows of every year's values file, the years in order."""
    return [row for path in sorted(files) if year_of_values(path) is not None for row in read_csv(files[path])]


def read_csv(content: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"), newline="")))


def read_json(content: bytes) -> dict:
    return json.loads(content.decode("utf-8"))


def row_of(rows: list[dict[str, str]], indicator: str, key: str = "indicator_id") -> dict[str, str]:
    (row,) = [r for r in rows if r[key] == indicator]
    return row


def line_ends_outside_quotes(content: bytes) -> list[bytes]:
    """Each record terminator of a CSV file (newlines inside quoted fields are data)."""
    ends, quoted, i = [], False, 0
    while i < len(content):
        byte = content[i:i + 1]
        if byte == b'"':
            quoted = not quoted
        elif not quoted and byte in (b"\r", b"\n"):
            end = content[i:i + 2] if content[i:i + 2] == b"\r\n" else byte
            ends.append(end)
            i += len(end)
            continue
        i += 1
    return ends


# -- the files exist where the pages are ---------------------------------------------
def test_every_page_with_figures_has_its_csv_and_json(reports: Reports, files: dict[str, bytes], links) -> None:
    cat = reports.catalogue
    pages = [report_path(*key) for key in reports.by_key] + [department_path(d) for d in cat.departments] + \
        [indicator_path(i) for i in cat.indicators] + [period_path(p.id) for p in reports.periods_reported()]
    for page in pages:
        folder = page.removesuffix("index.html")
        assert folder + "so-lieu.csv" in files and folder + "so-lieu.json" in files, page
        assert links[page] == (("CSV", "so-lieu.csv"), ("JSON", "so-lieu.json"))
        assert downloads_for(page) == links[page]
    assert downloads_for("stnmt/2023-q1/index.html") == (("CSV", "so-lieu.csv"), ("JSON", "so-lieu.json"))
    # one values file per year of the bundled periods, no other
    assert sorted(path for path in files if path.startswith("du-lieu/gia-tri")) == \
        ["du-lieu/gia-tri-2021.csv", "du-lieu/gia-tri-2022.csv", "du-lieu/gia-tri-2023.csv"]
    for path in ("du-lieu/chi-tieu.csv", "du-lieu/don-vi.csv", "du-lieu/ky-bao-cao.csv",
                 DATAPACKAGE_JSON, INDEX_JSON):
        assert path in files


def test_links_of_other_pages(links) -> None:
    for page, expected in links.items():
        assert downloads_for(page, (2021, 2022, 2023)) == expected
    home = dict((href, label) for label, href in links["index.html"])
    assert [label for href, label in home.items() if href.startswith("du-lieu/gia-tri")] == \
        ["Giá trị {year} (CSV)"] * 3 and "du-lieu/gia-tri-2023.csv" in home and "du-lieu/datapackage.json" in home
    assert links["chi-tieu/index.html"] == (("CSV", "../du-lieu/chi-tieu.csv"),)
    assert links["don-vi/index.html"] == (("CSV", "../du-lieu/don-vi.csv"),)
    assert links["ky-bao-cao/index.html"] == (("CSV", "../du-lieu/ky-bao-cao.csv"),)
    for page in ("gioi-thieu/index.html", "ke-hoach/index.html", "ke-hoach/sgddt-2023/index.html",
                 "chat-luong-so-lieu/index.html", "assets/x.css"):
        assert downloads_for(page) == ()


def test_every_link_points_at_a_file(links, files: dict[str, bytes]) -> None:
    for page, pairs in links.items():
        folder = Path(page).parent
        for _, href in pairs:
            target = (Path("/site") / folder / href).resolve().relative_to("/site").as_posix()
            assert target in files, (page, href)


def test_index_json_lists_every_per_page_download(files: dict[str, bytes], links) -> None:
    index = read_json(files[INDEX_JSON])
    listed = {f["path"] for p in index["pages"] for f in p["files"]}
    per_page = {path for path in files if path.endswith(("/so-lieu.csv", "/so-lieu.json"))}
    assert listed == per_page
    for entry in index["pages"]:
        for f in entry["files"]:
            assert f["href"] == "../" + f["path"]
    assert {p["page"] for p in index["pages"]} <= set(links)


# -- formats -------------------------------------------------------------------------
def test_csv_has_bom_crlf_and_english_header(files: dict[str, bytes]) -> None:
    for path, content in files.items():
        if not path.endswith(".csv"):
            continue
        assert content.startswith(BOM), path
        assert not content.startswith(BOM + BOM), path
        ends = line_ends_outside_quotes(content[len(BOM):])
        assert ends and set(ends) == {b"\r\n"}, path
        assert content.endswith(b"\r\n")
        header = content[len(BOM):].split(b"\r\n", 1)[0].decode("ascii")
        for name in header.split(","):
            assert name == name.lower() and name.replace("_", "").isalpha(), (path, name)


def test_csv_quoting_round_trips(files: dict[str, bytes]) -> None:
    rows = read_csv(files["stnmt/2023-q1/so-lieu.csv"])
    divisions = row_of(rows, "reform_inspection_divisions_inspected")
    assert divisions["unit"] == "Cơ quan, đơn vị"  # a comma inside a field, quoted
    assert b'"C\xc6\xa1 quan, \xc4\x91\xc6\xa1n v\xe1\xbb\x8b"' in files["stnmt/2023-q1/so-lieu.csv"]


def test_json_is_utf8_sorted_and_matches_csv(files: dict[str, bytes]) -> None:
    for path, content in files.items():
        if not path.endswith("/so-lieu.json"):
            continue
        text = content.decode("utf-8")
        assert "\\u" not in text, path  # ensure_ascii=False
        document = json.loads(text)
        assert text == json.dumps(document, ensure_ascii=False, sort_keys=True, separators=(",", ":")) + "\n"
        assert set(document) == {"meta", "rows"}
        columns = document["meta"]["columns"]
        csv_rows = read_csv(files[path.removesuffix(".json") + ".csv"])
        assert len(csv_rows) == len(document["rows"]), path
        assert csv_rows == [] or list(csv_rows[0]) == columns
        for csv_row, json_row in zip(csv_rows, document["rows"]):
            assert set(json_row) == set(columns)
            for key in columns:
                value = json_row[key]
                if key in ("value", "computed_value"):
                    assert value is None or isinstance(value, str)  # digits as written, never a float
                    assert (value or "") == csv_row[key], (path, key)
                else:
                    assert spreadsheet_text(value) == csv_row[key], (path, key)


def test_report_json_meta(files: dict[str, bytes]) -> None:
    meta = read_json(files["stnmt/2023-q1/so-lieu.json"])["meta"]
    assert meta["department"] == "stnmt" and meta["period"] == "2023-q1" and meta["form"] == "cchc-2022"
    assert meta["generated_from"] == "data/stnmt/2023-q1.yaml"
    assert meta["source_document"]["source"] == "so-tnmt_2023-q1_report.txt"
    assert meta["columns"] == list(REPORT_COLUMNS)
    department = read_json(files["stnmt/so-lieu.json"])["meta"]
    assert department["generated_from"] == ["data/stnmt/2022-q3.yaml", "data/stnmt/2023-q1.yaml"]
    assert department["columns"] == list(LONG_COLUMNS)


# -- the figures are the department's ------------------------------------------------
def test_spot_checks(files: dict[str, bytes]) -> None:
    stnmt = read_csv(files["stnmt/2023-q1/so-lieu.csv"])
    documents = row_of(stnmt, "outgoing_documents_total")
    assert documents["value"] == "1076" and documents["value_text_vi"] == "1.076"
    satisfaction = row_of(stnmt, "satisfaction_rate")
    assert satisfaction["value"] == "" and satisfaction["value_text_vi"] == ""
    sct = read_csv(files["sct/2021-h1/so-lieu.csv"])
    rate = row_of(sct, "communication_plan_completion_rate")
    assert rate["value"] == "50.0" and rate["value_text_vi"] == f"50,0{NBSP}%"
    stnmt_json = read_json(files["stnmt/2023-q1/so-lieu.json"])["rows"]
    assert row_of(stnmt_json, "outgoing_documents_total")["value"] == "1076"
    assert row_of(stnmt_json, "satisfaction_rate")["value"] is None
    dataset = all_values(files)
    assert row_of([r for r in dataset if r["department"] == "stnmt" and r["period"] == "2023-q1"],
                  "outgoing_documents_total", "indicator")["value"] == "1076"


def test_coded_values_and_computed_figures(reports: Reports, files: dict[str, bytes]) -> None:
    stnmt = read_csv(files["stnmt/2023-q1/so-lieu.csv"])
    meetings = row_of(stnmt, "communication_at_meetings_events")
    assert meetings["value"] == "1" and meetings["value_text_vi"] == "Có"
    # A rate the department left empty: the site's figure is only in computed_value, flagged.
    plan = row_of(stnmt, "plan_completion_rate")
    assert plan["value"] == "" and plan["computed_value"] == "0.0" and "W305" in plan["warnings"].split()
    # A derived indicator: never in `value`, only in computed_value.
    derived = [i for i in reports.catalogue.indicators.values() if i.derived]
    assert derived
    for ind in derived:
        rows = read_csv(files[indicator_path(ind.id).removesuffix("index.html") + "so-lieu.csv"])
        for row in rows:
            assert row["value"] == ""
            computed = reports.by_key[(row["department"], row["period"])]
            assert row["computed_value"] == (str(computed.derived[ind.id]) if ind.id in computed.derived else "")
    derived_values = [r for r in all_values(files) if r["indicator"] in {i.id for i in derived}]
    assert derived_values == []


def test_every_value_equals_the_data(reports: Reports, files: dict[str, bytes]) -> None:
    cat = reports.catalogue
    dataset = {(r["department"], r["period"], r["indicator"]): r for r in all_values(files)}
    expected_keys = set()
    for (dept, period), computed in reports.by_key.items():
        report = computed.report
        page_rows = read_csv(files[f"{dept}/{period}/so-lieu.csv"])
        form = cat.forms[report.form]
        assert [r["indicator_id"] for r in page_rows] == [r.indicator for r in form.rows]
        assert [r["stt"] for r in page_rows] == [r.number for r in form.rows]
        long_rows = {name: read_csv(files[f"{name}/so-lieu.csv"])
                     for name in (dept, f"ky-bao-cao/{period}")}
        for row in page_rows:
            data = report.values.get(row["indicator_id"])
            written = data.value if data is not None else None
            want = str(written) if written is not None else ""
            assert row["value"] == want, (dept, period, row["indicator_id"])
            if written is None:
                assert row["value"] == "" and row["value_text_vi"] == ""
            else:
                assert Decimal(row["value"]) == written and row["value_text_vi"] != ""
            assert row["note"] == spreadsheet_text(data.note if data is not None else "")
            codes = {p.code for p in computed.flags_for(row["indicator_id"])}
            assert set(row["warnings"].split()) == codes
            key = (dept, period, row["indicator_id"])
            expected_keys.add(key)
            assert dataset[key]["value"] == want and dataset[key]["form_version"] == report.form
            for rows in long_rows.values():
                matches = [r for r in rows if (r["department"], r["period"], r["indicator_id"]) == key]
                assert len(matches) == 1 and matches[0]["value"] == want
            indicator_file = indicator_path(row["indicator_id"]).removesuffix("index.html") + "so-lieu.csv"
            matches = [r for r in read_csv(files[indicator_file]) if (r["department"], r["period"]) == (dept, period)]
            assert len(matches) == 1 and matches[0]["value"] == want
    assert set(dataset) == expected_keys


def test_never_zero_for_empty(reports: Reports, files: dict[str, bytes]) -> None:
    empty = {(d, p, i) for (d, p), c in reports.by_key.items() for i, v in c.report.values.items() if v.value is None}
    assert empty
    for row in all_values(files):
        if (row["department"], row["period"], row["indicator"]) in empty:
            assert row["value"] == ""


def test_catalogue_files(reports: Reports, files: dict[str, bytes]) -> None:
    cat = reports.catalogue
    indicators = read_csv(files["du-lieu/chi-tieu.csv"])
    assert [r["id"] for r in indicators] == list(cat.indicators)
    plan = row_of(indicators, "plan_completion_rate", "id")
    assert plan["formula"] == "100 * plan_tasks_done / plan_tasks_planned" and plan["derived"] == "false"
    departments = read_csv(files["du-lieu/don-vi.csv"])
    stnmt = row_of(departments, "stnmt", "id")
    assert stnmt["valid_until"] == "2025-02-28" and stnmt["successors"] == "snnmt" and stnmt["valid_from"] == ""
    periods = read_csv(files["du-lieu/ky-bao-cao.csv"])
    assert {r["id"] for r in periods} == set(cat.periods)
    q1 = row_of(periods, "2023-q1", "id")
    assert (q1["start"], q1["end"], q1["year"]) == ("2023-01-01", "2023-03-31", "2023")


# -- the Data Package ----------------------------------------------------------------
def test_datapackage_descriptor(files: dict[str, bytes]) -> None:
    package = read_json(files[DATAPACKAGE_JSON])
    assert package["profile"] == "tabular-data-package"
    assert "http" not in json.dumps([package["profile"]] + [r["profile"] for r in package["resources"]])
    by_name = {r["name"]: r for r in package["resources"]}
    for resource in by_name.values():
        assert resource["profile"] == "tabular-data-resource"
        assert resource["format"] == "csv" and resource["encoding"] == "utf-8-sig"
        assert not resource["path"].startswith(("/", "http")) and "du-lieu/" + resource["path"] in files
    assert [name for name in by_name if name.startswith("values")] == ["values-2021", "values-2022", "values-2023"]
    assert by_name["values-2023"]["path"] == "gia-tri-2023.csv"
    values = by_name["values-2023"]["schema"]
    assert {f["name"]: f["type"] for f in values["fields"]}["value"] == "number"
    assert values["missingValues"] == [""]
    assert {(k["fields"], k["reference"]["resource"], k["reference"]["fields"]) for k in values["foreignKeys"]} == {
        ("indicator", "indicators", "id"), ("department", "departments", "id"), ("period", "periods", "id")}


def test_datapackage_validates_offline(files: dict[str, bytes], tmp_path: Path, monkeypatch) -> None:
    frictionless = pytest.importorskip("frictionless")
    for path, content in files.items():
        target = tmp_path / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)

    def no_network(*args, **kwargs):
        raise AssertionError("validation tried to reach the network")

    monkeypatch.setattr(socket.socket, "connect", no_network)
    monkeypatch.setattr(socket, "create_connection", no_network)
    report = frictionless.validate(tmp_path / "du-lieu" / "datapackage.json")
    assert report.valid, report.flatten(["rowNumber", "fieldNumber", "type", "note"])
    # ... and it does check: a value whose indicator is unknown breaks the foreign key.
    values = tmp_path / values_path(2023)
    lines = values.read_bytes().split(b"\r\n")
    first = lines[1].split(b",")
    first[2] = b"no_such_indicator"
    lines[1] = b",".join(first)
    values.write_bytes(b"\r\n".join(lines))
    broken = frictionless.validate(tmp_path / "du-lieu" / "datapackage.json")
    assert not broken.valid
    assert "foreign-key" in {error[0] for error in broken.flatten(["type"])}


# -- determinism ---------------------------------------------------------------------
def test_two_calls_give_identical_bytes(reports: Reports, produced, checked) -> None:
    again = open_data_files(reports, checked.languages[0])
    assert [(f.path, f.content) for f in again[0]] == [(f.path, f.content) for f in produced[0]]
    assert again[1] == produced[1]


def test_remembered_report_lines_give_the_same_values_file(reports: Reports, files, checked, tmp_path: Path) -> None:
    """A rebuild joins the values file from each report's stored lines: the bytes equal a fresh file, and
    a report whose content changed gets its lines made again, never the stored ones of its old content."""
    import dataclasses

    from reformdash.incremental.cache import BytesCache
    from reformdash.opendata import open_data

    store = BytesCache(tmp_path / "lines", "context")
    vi = checked.languages[0]

    def values_file(of: Reports) -> bytes:
        made, _ = open_data(of, vi, wanted=lambda page: False, remember=store.get_or_make)
        return b"".join(f.content for f in made if year_of_values(f.path) is not None)

    every_year = b"".join(files[path] for path in sorted(files) if year_of_values(path) is not None)
    assert values_file(reports) == every_year
    assert len(list((tmp_path / "lines").iterdir())) == len(reports.all())
    assert values_file(reports) == every_year  # now read back from the store
    # The same report with one figure changed, as a new file's content would give it.
    first = reports.all()[0].report
    indicator = next(i for i, row in first.values.items() if row.value is not None)
    row = first.values[indicator]._replace(value=first.values[indicator].value + 1)
    changed = dataclasses.replace(first, values={**first.values, indicator: row}, digest=first.digest + "-changed")
    again = Reports.of(checked.catalogue, [dataclasses.replace(reports.all()[0], report=changed), *reports.all()[1:]])
    line = f"{first.department},{first.period},{indicator},{row.value},"
    assert line.encode() in values_file(again) and line.encode() not in every_year


def test_remembered_report_blocks_give_the_same_department_and_period_files(reports: Reports, files, checked,
                                                                           tmp_path: Path) -> None:
    """A rebuild joins a department's and a period's files from each report's stored rows: the same bytes;
    a report whose warnings changed (a plan's cross-check, with the report's file unchanged) gets new rows."""
    import dataclasses

    from reformdash.incremental.cache import BytesCache
    from reformdash.opendata import open_data
    from reformdash.problems import Problem, Severity

    store = BytesCache(tmp_path / "blocks", "context")
    vi = checked.languages[0]
    first = reports.all()[0]
    wanted = {department_path(first.report.department), period_path(first.report.period)}

    def joined(of: Reports) -> dict[str, bytes]:
        made, _ = open_data(of, vi, wanted=wanted.__contains__, remember=store.get_or_make)
        return {f.path: f.content for f in made if f.path.rsplit("/", 1)[0] + "/index.html" in wanted}

    fresh = {path: files[path] for path in joined(reports)}
    assert len(fresh) == 4
    assert joined(reports) == fresh
    assert joined(reports) == fresh  # read back from the store
    indicator = next(i for i, row in first.report.values.items() if row.value is not None)
    flag = Problem(Severity.WARNING, "W313", "test", first.report.origin, "", indicator)
    again = Reports.of(checked.catalogue, [dataclasses.replace(first, flags=first.flags + (flag,)),
                                           *reports.all()[1:]])
    changed = joined(again)
    rows = [r for r in read_csv(changed[department_path(first.report.department).replace("index.html", "so-lieu.csv")])
            if r["period"] == first.report.period and r["indicator_id"] == indicator]
    assert [r["warnings"].split()[-1] for r in rows] == ["W313"]
    assert changed != fresh
