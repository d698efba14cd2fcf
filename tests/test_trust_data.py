"""Figures, IDs, file names and the site's address that would otherwise be silently wrong.

A figure in another script's digits, an ID that no link reaches or that takes a page of the site,
a report file nothing reads, an address that breaks sitemap.xml: each is refused or named, never
published as something else. (The cases with one exact output each are in tests/bad-inputs/.)
"""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from reformdash.inputs.catalogue import reserved_names
from reformdash.pipeline import Project, check
from reformdash.problems import BuildFailed

from conftest import ROOT, build_bundled_site

REPORT = "department: stnmt\nperiod: 2023-q1\nform: cchc-2022\nvalues:\n"


def lines_of(root: Path) -> list[str]:
    """Each problem of a check as its first printed line."""
    try:
        problems = check(Project.at(root)).problems.sorted()
    except BuildFailed as failure:
        problems = failure.problems
    return [p.format().splitlines()[0] for p in problems]


def write(root: Path, name: str, text: str) -> None:
    path = root / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def edit(root: Path, name: str, old: str, new: str) -> None:
    path = root / name
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.mark.parametrize("figure, digit, read_as", [
    ("١٤", "'١' (U+0661)", "14"),      # Arabic-Indic
    ("۹۸", "'۹' (U+06F9)", "98"),      # Extended Arabic-Indic (Persian)
    ("२२", "'२' (U+0968)", "22"),      # Devanagari
    ("2੨", "'੨' (U+0A68)", "22"),      # one Gurmukhi digit among ASCII ones
    ("1.5০", "'০' (U+09E6)", "1.50"),  # Bengali zero in the fraction
])
def test_a_figure_in_another_scripts_digits_is_an_error_naming_the_digit(project_factory, figure, digit,
                                                                          read_as) -> None:
    root = project_factory()
    write(root, "data/stnmt/2023-q1.yaml", REPORT + f"  plan_completion_rate: {figure}\n")
    assert lines_of(root) == [f"data/stnmt/2023-q1.yaml:5:25: error E219: 'plan_completion_rate' = {figure} uses "
                              f"the digit {digit}; only the digits 0-9 are accepted"]
    assert check_hint(root) == f"check the figure in the document and write it with 0-9 (these digits would read " \
                               f"as {read_as})"


def check_hint(root: Path) -> str:
    with pytest.raises(BuildFailed) as failure:
        check(Project.at(root))
    return failure.value.problems[0].hint


def test_ascii_figures_are_still_read_exactly(project_factory) -> None:
    root = project_factory()
    write(root, "data/stnmt/2023-q1.yaml", REPORT + "  plan_completion_rate: 99.99\n  plan_tasks_planned: 22\n")
    [computed] = check(Project.at(root)).reports
    values = computed.report.values
    assert (str(values["plan_completion_rate"].value), str(values["plan_tasks_planned"].value)) == ("99.99", "22")


def test_a_date_in_another_scripts_digits_is_refused(project_factory) -> None:
    root = project_factory()
    edit(root, "data/departments.yaml", "valid_until: 2025-02-28", "valid_until: ٢٠٢5-02-28")
    assert lines_of(root) == ["data/departments.yaml:9:16: error E219: 'valid_until' = ٢٠٢5-02-28 uses the digit "
                              "'٢' (U+0662); only the digits 0-9 are accepted"]


def test_a_period_year_in_another_scripts_digits_is_refused(project_factory) -> None:
    root = project_factory()
    edit(root, "data/periods.yaml", "year: 2021", "year: ２０２１")
    assert lines_of(root)[0] == ("data/periods.yaml:8:9: error E219: '２０２１' uses the digit '２' (U+FF12); only "
                                 "the digits 0-9 are accepted")


def test_a_superscript_year_is_an_error_not_a_crash(project_factory) -> None:
    """'²'.isdigit() is true but int('²') raises: the check used to stop with a traceback."""
    root = project_factory()
    edit(root, "data/periods.yaml", "year: 2021", "year: ²")
    assert lines_of(root)[0] == "data/periods.yaml:8:9: error E410: '²' is not a whole number"


def test_a_catalogue_bound_that_is_no_number_is_an_error_not_ignored(project_factory) -> None:
    """Before, a maximum the site could not read was dropped without a word: 250 % was then accepted."""
    root = project_factory()
    text = (root / "data/catalogue/value-kinds.yaml").read_text(encoding="utf-8")
    [line] = [n for n, line in enumerate(text.splitlines(), 1) if line == "  maximum: 100"]  # (a percentage's)
    column = text.splitlines()[line - 1].index("100") + 1
    edit(root, "data/catalogue/value-kinds.yaml", "\n  maximum: 100", "\n  maximum: một trăm")
    assert lines_of(root) == [f"data/catalogue/value-kinds.yaml:{line}:{column}: error E410: 'một trăm' is not "
                              "a number"]
    edit(root, "data/catalogue/value-kinds.yaml", "\n  maximum: một trăm", "\n  maximum: １00")
    assert lines_of(root) == [f"data/catalogue/value-kinds.yaml:{line}:{column}: error E219: '１00' uses the "
                              "digit '１' (U+FF11); only the digits 0-9 are accepted"]


def test_an_indicator_id_whose_page_would_take_anothers_folder_is_refused(project_factory) -> None:
    """plan_tasks_planned's page is chi-tieu/plan-tasks-planned/: an ID 'plan-tasks-planned' would share it."""
    root = project_factory()
    text = (root / "data/catalogue/indicators.yaml").read_text(encoding="utf-8")
    [line] = [n for n, line in enumerate(text.splitlines(), 1) if line == "- id: plan_tasks_done"]
    edit(root, "data/catalogue/indicators.yaml", "- id: plan_tasks_done\n", "- id: plan-tasks-planned\n")
    assert f"data/catalogue/indicators.yaml:{line}:7: error E218: 'plan-tasks-planned' is not a valid indicator " \
           "ID" in lines_of(root)


def test_every_top_level_name_the_site_writes_is_kept_from_departments(tmp_path_factory) -> None:
    """The reserved names are one list; this compares it with what a build really writes."""
    site = build_bundled_site(tmp_path_factory, "reserved")
    departments = {"stnmt", "snnptnt", "snnmt", "sct", "sgddt", "stttt", "skhcn", "snv"}
    folders = {p.name for p in site.iterdir() if p.is_dir()} - departments
    assert folders and folders <= set(reserved_names(site.parent))
    assert {"en", "tim-kiem", "assets", "du-lieu", "phat-hanh", "chi-tieu"} <= folders


def test_a_department_folder_named_like_a_data_folder_is_refused(project_factory) -> None:
    """data/forms/ holds no reports: a department 'forms' would have every report ignored."""
    root = project_factory()
    edit(root, "data/departments.yaml", "- id: snv\n", "- id: forms\n")
    assert lines_of(root) == ["data/departments.yaml:53:7: error E409: department ID 'forms' is a name the site "
                              "keeps for its own folders"]


def test_a_file_of_many_unknown_keys_is_listed_briefly_and_quickly(project_factory) -> None:
    root = project_factory()
    write(root, "data/stnmt/2023-q1.yaml", REPORT + "".join(f"  khong_ton_tai_{n:04d}: 1\n" for n in range(3000)))
    run = subprocess.run([sys.executable, str(ROOT / "build.py"), "check", "--root", str(root)],
                         capture_output=True, text=True, check=False, timeout=60)
    lines = run.stderr.splitlines()
    assert run.returncode == 1 and "Traceback" not in run.stderr
    assert len(lines) == 2 * 21 + 2
    assert lines[38] == "data/stnmt/2023-q1.yaml:24:3: error E203: unknown indicator 'khong_ton_tai_0019'"
    assert lines[40:] == [
        "data/stnmt/2023-q1.yaml:25:3: error E203: 2980 more E203 error(s) in this file are not listed",
        "    hint: at most 20 errors of one code are listed per file; fix these and check again",
        "21 error(s), 0 warning(s)", "check failed"]


def test_warnings_are_never_capped(project_factory) -> None:
    """A warning is published beside its figure: 25 remarks are 25 flags."""
    root = project_factory()
    rows = [i for i in (root / "data/forms/cchc-2022.yaml").read_text(encoding="utf-8").split("indicator: ")[1:]]
    ids = [r.split("}")[0].split(",")[0].strip() for r in rows]
    text = REPORT + "".join(f"  {i}:\n    value: ~\n    remark: \"ghi chú {n}\"\n" for n, i in enumerate(ids[:40]))
    write(root, "data/stnmt/2023-q1.yaml", text)
    try:
        found = check(Project.at(root)).problems.problems
    except BuildFailed as failure:  # a heading row takes no value but may take a remark
        found = failure.problems
    remarks = [p for p in found if p.code == "W311"]
    assert len(remarks) > 20
    assert not any("not listed" in p.message for p in found)


@pytest.mark.parametrize("base_url, fault", [
    ("https://cchc.example.gov.vn/a b/", "it holds a space or an invisible character"),
    ("\"https://cchc.example.gov.vn/\\n\"", "it holds a space or an invisible character"),
    ("https://cchc.example.gov.vn/<b>/", "it holds '<'"),
    ("https://cchc.example.gov.vn/'/", "it holds \"'\""),
    ("javascript://cchc.example.gov.vn/", "it does not start with http:// or https://"),
    ("https:///bang-theo-doi/", "it names no host"),
    ("https://admin:matkhau@cchc.example.gov.vn/", "it holds a user name or password"),
    ("https://cchc.example.gov.vn/?a=1/", "it holds a query ('?') or a fragment ('#')"),
    ("https://cchc.example.gov.vn:99999/", "it is not a web address"),
    ("https://cchc.example.gov.vn", "it does not end in '/'"),
    ("https://cchc.sóctrăng.gov.vn/", "it holds a character outside ASCII (write the host in its xn-- form, "
                                      "the path %-encoded)"),
])
def test_base_url_must_be_a_plain_absolute_address(project_factory, base_url, fault) -> None:
    root = project_factory()
    write(root, "data/site.yaml", f"base_url: {base_url}\n")
    shown = base_url.strip('"')
    assert lines_of(root) == [f"data/site.yaml:1:1: error E407: base_url '{shown}' must be an absolute http(s) "
                              f"address ending in '/': {fault}"]


def test_a_plain_base_url_is_accepted(project_factory) -> None:
    root = project_factory()
    write(root, "data/site.yaml", "base_url: http://localhost:8000/cchc/\n")
    result = check(Project.at(root))
    assert result.catalogue.site.base_url == "http://localhost:8000/cchc/" and result.problems.problems == []


def test_a_figure_longer_than_28_digits_is_shown_with_every_digit(project_factory) -> None:
    """Python's Decimal arithmetic keeps 28 digits: abs() of a 30-digit count, or the median of two, would round
    it (123…567890 shown as 123…567900) or fail. A headline of counts takes its median of both bodies' figures."""
    from reformdash.pipeline import build

    root = project_factory()
    write(root, "data/catalogue/headlines.yaml", "- id: tasks\n  label_vi: Nhiệm vụ\n  label_en: Tasks\n"
                                                 "  indicator: plan_tasks_planned\n  better: higher\n")
    write(root, "data/stnmt/2023-q1.yaml", REPORT + "  plan_tasks_planned: 123456789012345678901234567890\n")
    write(root, "data/sct/2023-q1.yaml", REPORT.replace("stnmt", "sct")
          + "  plan_tasks_planned: 123456789012345678901234567891\n")
    build(Project.at(root))
    page = (root / "site" / "stnmt" / "2023-q1" / "index.html").read_text(encoding="utf-8")
    assert "123.456.789.012.345.678.901.234.567.890" in page
    assert '"value_text_vi":"123.456.789.012.345.678.901.234.567.890"' in \
        (root / "site" / "stnmt" / "2023-q1" / "so-lieu.json").read_text(encoding="utf-8").replace(" ", "")
    home = (root / "site" / "index.html").read_text(encoding="utf-8")
    assert "123.456.789.012.345.678.901.234.567.890,5" in home  # the median of the two, every digit


def test_the_rate_the_site_computes_from_a_40_digit_count_is_computed_not_a_traceback(project_factory) -> None:
    root = project_factory()
    write(root, "data/stnmt/2023-q1.yaml", REPORT + "  online_procedure_files_received: 1\n"
          "  online_procedure_files_received_online: 1234567890123456789012345678901234567890\n")
    [computed] = check(Project.at(root)).reports
    # (computed exactly, without a traceback, then not published: a share of more than 100 % is no rate)
    assert [value for value in computed.derived.values() if value > 100] == []


def test_a_line_separator_pasted_into_a_note_is_published_as_a_line_break(project_factory) -> None:
    """U+2028, U+2029 and NEL are line breaks to YAML and to Python's splitlines, not to an editor: kept as
    they are, they broke a CSV download's row for every program that splits lines at them."""
    from reformdash.pipeline import build

    root = project_factory()
    write(root, "data/stnmt/2023-q1.yaml", REPORT + "  articles_on_own_website:\n    value: 12\n"
          "    note: \"Đăng trên trang\u2028của Sở\u2029và báo\u0085Sóc Trăng\"\n  articles_in_mass_media: 1\n")
    build(Project.at(root))
    published = [path for path in (root / "site").rglob("*") if path.is_file()
                 and path.suffix in (".html", ".csv", ".json")]
    assert len(published) > 100
    assert [path.name for path in published
            if any(c in path.read_text(encoding="utf-8-sig") for c in "\u2028\u2029\x85")] == []
    import csv
    with open(root / "site" / "stnmt" / "2023-q1" / "so-lieu.csv", encoding="utf-8-sig", newline="") as table:
        rows = {row["indicator_id"]: row for row in csv.DictReader(table)}
    assert rows["articles_on_own_website"]["note"] == "Đăng trên trang\ncủa Sở\nvà báo\nSóc Trăng"
    assert rows["articles_on_own_website"]["value"] == "12"
