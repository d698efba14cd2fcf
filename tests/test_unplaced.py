"""A row of the department's document that matches no row of the form is kept (`unplaced:`), warned
about by `check` (W315) and published as written under its own heading: nothing reported is dropped."""
from __future__ import annotations

import json
from pathlib import Path

from htmlparse import table_rows
from test_html import dangling_references, duplicate_ids, html_errors
from reformdash.pipeline import Project, build, check

from conftest import read

REPORT = """\
department: stnmt
period: 2023-q1
form: cchc-2022
values:
  plan_tasks_planned: 22
unplaced:
  - number: "5"
    label: Đánh giá chung về công tác CCHC
    value: Tốt
    source: "bao-cao.docx: bảng 3, dòng 41"
  - label: "<script>alert(1)</script> Tỷ lệ hài lòng"
    value: 99,99
    note: theo khảo sát <b>quý I</b>
  - label: Số văn bản
    value: 1.076
"""


def _project(project_factory, text: str = REPORT) -> Path:
    root = project_factory()
    (root / "data" / "stnmt").mkdir()
    (root / "data" / "stnmt" / "2023-q1.yaml").write_text(text, encoding="utf-8")
    return root


def test_check_warns_once_per_unplaced_row_at_its_place(project_factory) -> None:
    result = check(Project.at(_project(project_factory)))
    hint = ("    hint: if it is a row of the form, move its value under 'values:' as the indicator it belongs to; "
            "if it is not on the form, leave it here: it is shown as written\n")
    start = ("warning W315: a row of the document that matches no indicator of form cchc-2022 is published as the "
             "department wrote it: ")
    assert "".join(p.format() + "\n" for p in result.problems.sorted()) == (
        "data/stnmt/2023-q1.yaml:7:5: " + start + "'Đánh giá chung về công tác CCHC' = Tốt\n" + hint
        + "data/stnmt/2023-q1.yaml:11:5: " + start + "'<script>alert(1)</script> Tỷ lệ hài lòng' = 99,99\n" + hint
        + "data/stnmt/2023-q1.yaml:14:5: " + start + "'Số văn bản' = 1.076\n" + hint)


def test_the_check_command_prints_the_warnings_and_succeeds(project_factory, capsys) -> None:
    from reformdash.cli import main

    root = _project(project_factory)
    assert main(["check", "--root", str(root)]) == 0
    out = capsys.readouterr()
    lines = [line for line in (out.out + out.err).splitlines() if "W315" in line]
    assert lines == [
        "data/stnmt/2023-q1.yaml:7:5: warning W315: a row of the document that matches no indicator of form "
        "cchc-2022 is published as the department wrote it: 'Đánh giá chung về công tác CCHC' = Tốt",
        "data/stnmt/2023-q1.yaml:11:5: warning W315: a row of the document that matches no indicator of form "
        "cchc-2022 is published as the department wrote it: '<script>alert(1)</script> Tỷ lệ hài lòng' = 99,99",
        "data/stnmt/2023-q1.yaml:14:5: warning W315: a row of the document that matches no indicator of form "
        "cchc-2022 is published as the department wrote it: 'Số văn bản' = 1.076"]


def test_a_row_with_a_note_only_is_kept_and_warned_about(project_factory) -> None:
    text = REPORT.split("unplaced:")[0] + "unplaced:\n  - label: Ý kiến khác\n    note: không có\n"
    [problem] = check(Project.at(_project(project_factory, text))).problems.sorted()
    assert problem.format().splitlines()[0] == (
        "data/stnmt/2023-q1.yaml:7:5: warning W315: a row of the document that matches no indicator of form "
        "cchc-2022 is published as the department wrote it: 'Ý kiến khác' (no value, a note only)")


def test_the_report_page_lists_the_rows_exactly_as_written(project_factory) -> None:
    root = _project(project_factory)
    build(Project.at(root))
    html = read(root / "site", "stnmt/2023-q1/index.html")
    rows = table_rows(html)
    assert rows["unplaced-1"] == ["5", "Đánh giá chung về công tác CCHC", "Tốt",
                                  "(nguồn: bao-cao.docx: bảng 3, dòng 41)"]
    assert rows["unplaced-2"] == ["", "<script>alert(1)</script> Tỷ lệ hài lòng", "99,99",
                                  "theo khảo sát <b>quý I</b>"]
    assert rows["unplaced-3"] == ["", "Số văn bản", "1.076", ""]  # not read as 1076 nor as 1,076
    assert '<h2 id="unplaced">Số liệu ngoài biểu mẫu (3)</h2>' in html
    # markup in the data is text, never markup
    assert "<script>alert" not in html and "<b>quý I</b>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    # the warnings list links each row to the section, worded in Vietnamese like the page's other warnings
    assert ('<li><a href="#unplaced">Số liệu ngoài biểu mẫu</a>: Dòng “Đánh giá chung về công tác CCHC” ghi “Tốt”: '
            'không khớp dòng nào của biểu mẫu; công bố nguyên văn <span class="code">(W315)</span></li>') in html

    english = read(root / "site", "en/stnmt/2023-q1/index.html")
    assert table_rows(english)["unplaced-2"] == ["", "<script>alert(1)</script> Tỷ lệ hài lòng", "99,99",
                                                 "theo khảo sát <b>quý I</b>"]
    assert '<h2 id="unplaced">Figures outside the form (3)</h2>' in english
    assert "<script>alert" not in english


def test_the_section_is_valid_html_with_unique_ids_and_links_that_land(project_factory) -> None:
    root = _project(project_factory)
    build(Project.at(root))
    for page in ("stnmt/2023-q1/index.html", "en/stnmt/2023-q1/index.html"):
        html = read(root / "site", page)
        assert (html_errors(html), duplicate_ids(html), dangling_references(html)) == ([], {}, [])
        assert html.count('href="#unplaced"') == 4  # the table of contents and each row's warning


def test_the_report_download_carries_the_rows_and_its_csv_keeps_its_columns(project_factory) -> None:
    root = _project(project_factory)
    build(Project.at(root))
    data = json.loads(read(root / "site", "stnmt/2023-q1/so-lieu.json"))
    assert data["meta"]["unplaced_rows"] == [
        {"label": "Đánh giá chung về công tác CCHC", "note": "", "number": "5",
         "source": "bao-cao.docx: bảng 3, dòng 41", "value": "Tốt"},
        {"label": "<script>alert(1)</script> Tỷ lệ hài lòng", "note": "theo khảo sát <b>quý I</b>", "number": "",
         "source": "", "value": "99,99"},
        {"label": "Số văn bản", "note": "", "number": "", "source": "", "value": "1.076"}]
    csv_head = read(root / "site", "stnmt/2023-q1/so-lieu.csv").splitlines()[0]
    assert csv_head == "\ufeffstt,indicator_id,area,label_vi,unit,value,value_text_vi,note,computed_value,warnings"


def test_a_changed_unplaced_value_is_published_on_the_next_build(project_factory) -> None:
    """Reports and pages are reused by content: the page must follow the row's new value."""
    root = _project(project_factory)
    build(Project.at(root))
    report = root / "data" / "stnmt" / "2023-q1.yaml"
    report.write_text(REPORT.replace("value: Tốt", "value: Khá"), encoding="utf-8")
    build(Project.at(root))
    assert table_rows(read(root / "site", "stnmt/2023-q1/index.html"))["unplaced-1"][2] == "Khá"
    assert json.loads(read(root / "site", "stnmt/2023-q1/so-lieu.json"))["meta"]["unplaced_rows"][0]["value"] == "Khá"


def test_a_report_without_unplaced_rows_has_no_such_section(project_factory) -> None:
    root = _project(project_factory, REPORT.split("unplaced:")[0])
    build(Project.at(root))
    html = read(root / "site", "stnmt/2023-q1/index.html")
    assert 'id="unplaced"' not in html
    assert json.loads(read(root / "site", "stnmt/2023-q1/so-lieu.json"))["meta"]["unplaced_rows"] == []
