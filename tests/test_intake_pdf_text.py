"""Text pulled out of a PDF (no tabs), read row by row of the form (issue 20).

The fixtures are tests/fixtures/intake/<report>.<tool>.txt: each reference
report's PDF as `pdftotext -layout` and pdfplumber give its text, and as
`pdftotext` without -layout gives it (the columns one after another). Every
figure and note read must be the bundled one; a row the text does not settle
is named (E622) and nothing is written, never a guess.
"""
from __future__ import annotations

import re

import pytest

from conftest import ROOT
from test_import import bundled, catalogue  # noqa: F401 (fixtures)
from reformdash.cli import main
from reformdash.importers.match import detect_form, load_labels, match_appendix
from reformdash.importers.record import UnreadableDocument, find_appendix
from reformdash.pipeline import Project, check
from reformdash.problems import Collector

FIXTURES = ROOT / "tests" / "fixtures" / "intake"
REPORTS = {"stnmt-2022-q3": ("stnmt", "2022-q3", "cchc-2022"),
           "stnmt-2023-q1": ("stnmt", "2023-q1", "cchc-2022"),
           "sct-2021-h1": ("sct", "2021-h1", "cchc-2021")}
# STNMT typed "04/KH- STNMT" with a space after the hyphen, and the line wrapped there: the text
# keeps no trace of that space, so the word is joined as one broken at its hyphen ("04/KH-STNMT").
HYPHEN_AT_LINE_END = {"stnmt-2022-q3": ("plan_completion_rate", "reform_directive_documents_issued",
                                        "reform_inspection", "reform_communication")}
# pdfplumber writes one space between the figure and the note: "4 03" is no way of writing one number,
# so the first is the figure (its column comes first) and the second begins the note; a figure followed
# by a word that goes on a phrase ("0 chưa") could also be a note beginning with that number, the figure
# left empty. Each is read as the figure and listed for the clerk to confirm (W623).
TWO_NUMBERS = {
    "stnmt-2022-q3": [(45, "Có thực hiện tuyên truyền CCHC thường xuyên thông qua phương tiện truyền thông (báo, "
                       "đài, website, zalo, ...)", "4", "03")],
    "stnmt-2023-q1": [(154, "Tỷ lệ TTHC đã được phê duyệt quy trình nội bộ", "95", "5")],
    "sct-2021-h1": [(227, "Số TTHC đã tích hợp dịch vụ thanh toán trực tuyến", "28", "28"),
                    (311, "Số lượng lãnh đạo cấp sở, ngành", "4", "01"),
                    (478, "Số lượng đơn vị trực thuộc có Quy chế chi tiêu nội bộ đã được thẩm định và ban hành theo "
                     "quy định", "2", "02")],
}
PHRASE_GOES_ON = {
    "stnmt-2022-q3": [(121, "Rút ngắn thời gian giải quyết so với quy định", "0", "chưa"),
                      (123, "Giảm thành phần hồ sơ", "0", "không"),
                      (272, "Số vấn đề phát hiện qua thanh tra", "3", "còn"),
                      (504, "Đơn vị trực thuộc sở ngành thực hiện đánh giá nội bộ", "0", "chưa"),
                      (506, "Đơn vị trực thuộc sở ngành thực hiện xem xét của lãnh đạo đối với hệ thống quản lý chất "
                       "lượng", "0", "chưa")],
    "stnmt-2023-q1": [],
    "sct-2021-h1": [(251, "Số lượng phòng ban, tổ chức hành chính thuộc sở cắt giảm trong năm (nếu có)", "2", "phòng"),
                    (266, "Tổng số biên chế được giao trong năm", "39", "trong"),
                    (271, "Tổng số biên chế có mặt tại thời điểm báo cáo", "35", "trong")],
}


def listed(name: str) -> list[tuple[str, int, str]]:
    """The W623 notices pdfplumber's text of a reference report gets, in line order."""
    two = [("W623", line, f"row '{label}': '{figure} {word}' after the label is read as the figure {figure} and a "
                          f"note beginning '{word}'") for line, label, figure, word in TWO_NUMBERS[name]]
    goes_on = [("W623", line, f"row '{label}': '{figure} {word}' is read as the figure {figure} and a note beginning "
                              f"'{word}'; it could be a note beginning '{figure}', the figure left empty (this text "
                              "keeps no columns)") for line, label, figure, word in PHRASE_GOES_ON[name]]
    return sorted(two + goes_on, key=lambda notice: notice[1])


def read(name: str, tool: str, catalogue):
    from reformdash.importers.pdf_text import read_pdf_text_document
    labels = load_labels(ROOT / "data", ROOT, Collector())
    document = read_pdf_text_document((FIXTURES / f"{name}.{tool}.txt").read_text(encoding="utf-8"), catalogue,
                                      labels)
    appendix = find_appendix(document)
    form = detect_form(list(appendix.rows), catalogue, labels)
    return document, appendix, match_appendix(list(appendix.rows), catalogue.forms[form], catalogue, labels)


def expected_figures(bundled, name: str) -> dict[str, tuple[str | None, str]]:
    department, period, _ = REPORTS[name]
    expected = {k: (None if v.value is None else str(v.value), v.note)
                for k, v in bundled[(department, period)].values.items()}
    for indicator in HYPHEN_AT_LINE_END.get(name, ()):
        value, note = expected[indicator]
        assert re.search(r"[A-Z]- [A-Z]", note)
        expected[indicator] = (value, re.sub(r"(?<=[A-Z])- (?=[A-Z])", "-", note))
    return expected


@pytest.mark.parametrize("name", REPORTS)
def test_layout_text_gives_every_bundled_figure_and_note(bundled, catalogue, name):
    document, appendix, result = read(name, "pdftotext-layout", catalogue)
    department, period, form = REPORTS[name]
    assert document.faults == ()
    assert result.form == form and result.unmatched == () and result.missing == () and result.likely == ()
    assert {v.indicator: (v.value or None, v.note) for v in result.values} == expected_figures(bundled, name)
    assert appendix.value_column == bundled[(department, period)].document.value_column


@pytest.mark.parametrize("name", REPORTS)
def test_pdfplumber_text_gives_every_bundled_figure_and_lists_the_rows_read_by_rule(bundled, catalogue, name):
    document, _, result = read(name, "pdfplumber", catalogue)
    assert result.form == REPORTS[name][2] and result.unmatched == () and result.missing == ()
    assert document.faults == ()
    assert [(f.code, f.line, f.message) for f in document.notices] == listed(name)
    assert {v.indicator: (v.value or None, v.note) for v in result.values} == expected_figures(bundled, name)


@pytest.mark.parametrize("text, figure", [("1 076 hồ sơ", "1 076"), ("12 500,5 triệu", "12 500,5")])
def test_two_numbers_that_could_be_one_with_a_space_for_thousands_are_not_split(catalogue, text, figure):
    """"1 076" may be one thousand and seventy-six: which it is is not in the text, so the row is named."""
    from reformdash.importers.pdf_text import read_pdf_text_document
    source = (FIXTURES / "stnmt-2023-q1.pdfplumber.txt").read_text(encoding="utf-8")
    line = "Tổng số hồ sơ TTHC đã tiếp nhận TTHC 161"
    assert source.count(line + "\n") == 1
    source = source.replace(line + "\n", f"Tổng số hồ sơ TTHC đã tiếp nhận TTHC {text}\n")
    document = read_pdf_text_document(source, catalogue, load_labels(ROOT / "data", ROOT, Collector()))
    number = source.splitlines().index(f"Tổng số hồ sơ TTHC đã tiếp nhận TTHC {text}") + 1
    assert [(f.code, f.line, f.message) for f in document.faults] == [
        ("E622", number, "row 'Tổng số hồ sơ TTHC đã tiếp nhận (cả trực tiếp và trực tuyến đối với các TTHC đã cung "
                         "cấp trực tuyến mức độ 3 và 4 có phát sinh hồ sơ)' cannot be read"
                         f" from this text: two numbers stand "
                         f"after the label ('{figure}'): which is the figure and which begins the note is not in "
                         "the text")]


@pytest.mark.parametrize("name, line", [("stnmt-2022-q3", 5), ("stnmt-2023-q1", 5), ("sct-2021-h1", 4)])
def test_pdftotext_without_layout_is_refused_saying_how_to_extract_it(catalogue, name, line):
    from reformdash.importers.pdf_text import read_pdf_text_document
    text = (FIXTURES / f"{name}.pdftotext.txt").read_text(encoding="utf-8")
    with pytest.raises(UnreadableDocument) as caught:
        read_pdf_text_document(text, catalogue, load_labels(ROOT / "data", ROOT, Collector()))
    assert str(caught.value) == (
        f"line {line} starts an appendix table whose columns stand one after another, not side by side (as pdftotext "
        "writes them without -layout): which figure belongs to which row is not in such a text")
    assert caught.value.code == "E621"
    assert caught.value.hint == "extract the text again with `pdftotext -layout FILE.pdf`, or import the PDF itself"


def test_a_row_whose_label_is_not_found_is_not_taken_into_the_note_above(catalogue, tmp_path):
    """The reworded row's lines stand between 'Số nhiệm vụ đề ra trong kế hoạch' and the next row
    found: they could be that row's note or the missing row, so the row above is named, not filled."""
    from reformdash.importers.pdf_text import read_pdf_text_document
    text = (FIXTURES / "stnmt-2023-q1.pdftotext-layout.txt").read_text(encoding="utf-8")
    assert text.count("Số nhiệm vụ đã hoàn thành  ") == 1
    text = text.replace("Số nhiệm vụ đã hoàn thành  ", "Nhiệm vụ xong trong kỳ    ")
    document = read_pdf_text_document(text, catalogue, load_labels(ROOT / "data", ROOT, Collector()))
    assert [(f.code, f.line, f.message) for f in document.faults] == [
        ("E622", 17, "row 'Số nhiệm vụ đề ra trong kế hoạch' cannot be read from this text: the form's row(s) "
                     "after it were not found, and the text after its label may hold them")]


def run_import(capsys, root, name: str, tool: str) -> tuple[int, str]:
    department, period, _ = REPORTS[name]
    code = main(["import", str(FIXTURES / f"{name}.{tool}.txt"), "--department", department, "--period", period,
                 "--root", str(root)])
    return code, capsys.readouterr().err


def test_the_import_command_reads_layout_text(capsys, project_factory, bundled):
    root = project_factory()
    code, err = run_import(capsys, root, "stnmt-2023-q1", "pdftotext-layout")
    assert code == 0, err
    assert "import: wrote data/stnmt/2023-q1.yaml: form cchc-2022, 178 rows (103 with a value)" in err
    report = {c.report.key: c.report for c in check(Project.at(root)).reports}[("stnmt", "2023-q1")]
    assert {k: (None if v.value is None else str(v.value), v.note) for k, v in report.values.items()} == \
        expected_figures(bundled, "stnmt-2023-q1")


def test_the_import_command_reads_pdfplumber_text_and_marks_each_row_read_by_rule(capsys, project_factory, bundled):
    root = project_factory()
    code, err = run_import(capsys, root, "stnmt-2023-q1", "pdfplumber")
    assert code == 0
    lines = err.splitlines()
    assert lines[1] == ("import: 1 row(s) were read by a rule the text alone cannot prove (W623 below); check each "
                        "against the document (each is marked 'check' in data/stnmt/2023-q1.yaml)")
    assert (f"{FIXTURES / 'stnmt-2023-q1.pdfplumber.txt'}:154:1: warning W623: row 'Tỷ lệ TTHC đã được phê duyệt quy "
            "trình nội bộ': '95 5' after the label is read as the figure 95 and a note beginning '5'") in lines
    written = (root / "data" / "stnmt" / "2023-q1.yaml").read_text(encoding="utf-8")
    assert ("  procedures_internal_process_approved_rate:  # Tỷ lệ TTHC đã được phê duyệt quy trình nội bộ <- line "
            "154: '95 5' after the label is read as the figure 95 and a note beginning '5': check\n"
            "    value: 95\n"
            '    note: "5 TTHC lĩnh vực giao dịch bảo đảm đang soạn thảo quy trình nội bộ"\n') in written


NOTE_NUMBERS = {"reform_inspection_divisions_inspected": "5 phòng theo Kế hoạch số 11/KH-STNMT, chưa kiểm tra",
                "civil_servant_posts_assigned": "60 (theo Quyết định giao biên chế năm 2022, chưa giao năm 2023)",
                "training_planned": "13 người đăng ký, chưa mở lớp"}


def test_a_number_in_the_note_column_of_layout_text_is_the_notes_not_the_figure(bundled, catalogue):
    """The department left three figures empty and began their notes with a number: in `pdftotext -layout`
    text the number stands where the notes start on that page, not where the figures do."""
    document, _, result = read("stnmt-2023-q1-note-numbers", "pdftotext-layout", catalogue)
    assert document.faults == ()
    lines = (FIXTURES / "stnmt-2023-q1-note-numbers.pdftotext-layout.txt").read_text(encoding="utf-8").split("\n")
    at = [next(i for i, line in enumerate(lines, 1) if start in line) for start in ("5 phòng theo", "60 (theo",
                                                                                     "13 người đăng ký")]
    assert [(f.code, f.line) for f in document.notices] == [("W623", line) for line in at]
    assert all("stands in the note column" in f.message and f.message.endswith(
        "read as the note's first word, the figure left empty") for f in document.notices)
    expected = expected_figures(bundled, "stnmt-2023-q1")
    expected.update({indicator: (None, note) for indicator, note in NOTE_NUMBERS.items()})
    assert {v.indicator: (v.value or None, v.note) for v in result.values} == expected


def test_pdfplumber_text_lists_each_figure_that_could_be_a_notes_first_word(catalogue):
    """Text with single spaces keeps no columns: '5 phòng theo ...' may be the figure 5 or a note: read as the
    figure, and listed for the clerk to confirm against the document."""
    document, _, result = read("stnmt-2023-q1-note-numbers", "pdfplumber", catalogue)
    values = {v.indicator: (v.value, v.note) for v in result.values}
    flagged = {f.message.split("'")[1] for f in document.notices}
    assert {"Số phòng ban đã kiểm tra", "Tổng số biên chế được giao trong năm",
            "Số người được đào tạo, bồi dưỡng theo Kế hoạch"} <= flagged
    assert values["reform_inspection_divisions_inspected"] == ("5", "phòng theo Kế hoạch số 11/KH-STNMT, chưa kiểm tra")


def test_the_pdf_itself_keeps_the_note_numbers_in_their_column(catalogue):
    from reformdash.importers.pdf_reader import read_pdf_document

    appendix = find_appendix(read_pdf_document(FIXTURES / "stnmt-2023-q1-note-numbers.pdf"))
    labels = load_labels(ROOT / "data", ROOT, Collector())
    result = match_appendix(list(appendix.rows), catalogue.forms["cchc-2022"], catalogue, labels)
    values = {v.indicator: (v.value, v.note) for v in result.values}
    assert {i: values[i] for i in NOTE_NUMBERS} == {i: ("", note) for i, note in NOTE_NUMBERS.items()}


def test_a_narrow_copy_without_ruled_lines_reads_from_its_layout_text(bundled, catalogue, capsys, project_factory):
    """Five equal narrow columns and no ruled lines: the PDF's table cannot be followed (E603 says to extract
    the text), and its `pdftotext -layout` text, labels wrapped over up to fifteen lines, gives every figure."""
    document, _, result = read("stnmt-2023-q1-narrow", "pdftotext-layout", catalogue)
    assert document.faults == () and document.notices == ()
    assert {v.indicator: (v.value or None, v.note) for v in result.values} == expected_figures(bundled, "stnmt-2023-q1")
    root = project_factory()
    code = main(["import", str(FIXTURES / "stnmt-2023-q1-narrow.pdf"), "--department", "stnmt", "--period",
                 "2023-q1", "--root", str(root)])
    err = capsys.readouterr().err
    assert code == 1
    assert "    hint: the PDF's table has no ruled lines to follow: extract its text with `pdftotext -layout FILE.pdf " \
           "FILE.txt` and import the .txt, or import the .docx or .xlsx it was made from" in err.splitlines()


def test_numbers_beginning_notes_on_a_page_with_few_figures_are_the_notes(bundled, catalogue):
    """Page 1 has two figures of its own and two notes beginning with a number: the numbers in question do
    not vote on where the figures stand, so they are read as the notes' first words."""
    document, _, result = read("stnmt-2023-q1-few-figures", "pdftotext-layout", catalogue)
    values = {v.indicator: (v.value, v.note) for v in result.values}
    assert values["reform_directive_documents_issued"] == ("", "02 Công văn đang trình ký")
    assert values["reform_inspection_divisions_inspected"] == ("", "5 Phòng theo Kế hoạch số 11/KH-STNMT, chưa kiểm tra")
    assert values["civil_servant_posts_assigned"] == ("", "60 Biên chế giao năm 2022, năm 2023 chưa giao")
    assert [f.code for f in document.notices] == ["W623"] * 3
    expected = expected_figures(bundled, "stnmt-2023-q1")
    changed = {"reform_directive_documents_issued", "reform_inspection_divisions_inspected",
               "civil_servant_posts_assigned"}
    assert {i: (v or None, n) for i, (v, n) in values.items() if i not in changed} == \
        {i: figure for i, figure in expected.items() if i not in changed}


def test_a_note_column_before_the_figures_is_refused_in_text(catalogue):
    from reformdash.importers.pdf_text import read_pdf_text_document
    text = (FIXTURES / "stnmt-2023-q1-note-left.pdftotext-layout.txt").read_text(encoding="utf-8")
    with pytest.raises(UnreadableDocument) as caught:
        read_pdf_text_document(text, catalogue, load_labels(ROOT / "data", ROOT, Collector()))
    assert (caught.value.code, str(caught.value), caught.value.hint) == (
        "E623", "line 9 puts the note column before the figures' ('STT Chỉ tiêu Đơn vị tính Ghi chú Sở Tài'): the text "
        "is read as label, unit, figure, then note, and cannot tell a figure from a number that begins a note in this "
        "order", "import the PDF itself, or the .docx or .xlsx it was made from")


def test_layout_text_reads_figures_written_in_words_or_with_a_sign_where_figures_stand(bundled, catalogue):
    """A yes/no answer written as its meaning ("Có", "Không") and a percentage with its sign ("100%", "0 %") in
    the figures' column are the figures: they were read as empty figures with the word as the note."""
    from reformdash.importers.pdf_text import read_pdf_text_document
    lines = (FIXTURES / "stnmt-2023-q1.pdftotext-layout.txt").read_text(encoding="utf-8").split("\n")
    changes = {48: ("Có = 1      1", "Có = 1      Có"), 63: ("Không = 0;   0", "Không = 0;   Không"),
               167: ("%           100", "%           100%"), 34: ("%           0", "%           0 %")}
    for number, (before, after) in changes.items():
        assert lines[number - 1].rstrip().endswith(before), lines[number - 1]
        lines[number - 1] = lines[number - 1].rstrip()[:-len(before)] + after
    document = read_pdf_text_document("\n".join(lines), catalogue, load_labels(ROOT / "data", ROOT, Collector()))
    assert document.faults == ()
    appendix = find_appendix(document)
    result = match_appendix(list(appendix.rows), catalogue.forms["cchc-2022"], catalogue,
                            load_labels(ROOT / "data", ROOT, Collector()))
    read_in = {v.indicator: (v.value or None, v.note) for v in result.values}
    # (as written: the import reads each as the form means it, and lists it, as for a .docx or .xlsx)
    worded = {"communication_at_meetings_events": ("Có", ""), "reform_innovation_introduced": ("Không", ""),
              "case_files_on_time_rate": ("100%", ""), "communication_plan_completion_rate": ("0 %", "")}
    assert {i: read_in[i] for i in worded} == worded
    assert read_in == {**expected_figures(bundled, "stnmt-2023-q1"), **worded}
