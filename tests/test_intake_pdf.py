"""Reports sent as PDF, and text pulled out of a PDF (issue 20, part B).

The fixtures in tests/fixtures/intake/ are made by make_fixtures.py there:
each reference report's appendix as a DOCX with a two-row merged header
repeated on every page, turned into PDF by LibreOffice, and that PDF's text
as pdftotext, `pdftotext -layout` and pdfplumber give it. Reading the PDF
must give exactly the bundled values and notes, row for row; text without
tabs is refused with the reason, not read wrong.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from conftest import ROOT
from test_import import bundled, catalogue  # noqa: F401 (fixtures)
from reformdash.importers.match import detect_form, load_labels, match_appendix
from reformdash.importers.record import UnreadableDocument, find_appendix
from reformdash.importers.text import read_text_document
from reformdash.problems import Collector

FIXTURES = ROOT / "tests" / "fixtures" / "intake"
REPORTS = [("stnmt-2022-q3", "stnmt", "2022-q3", "cchc-2022"),
           ("stnmt-2023-q1", "stnmt", "2023-q1", "cchc-2022"),
           ("sct-2021-h1", "sct", "2021-h1", "cchc-2021")]
# The one note the PDF cannot give back as typed: the department wrote "28/STNMT- VP" with a
# space after the hyphen, the line wrapped there, and LibreOffice wrote no space character.
HYPHEN_BREAK = ("stnmt", "2022-q3", "reform_directive_documents_issued", "28/STNMT- VP", "28/STNMT-VP")


def imported(path: Path, catalogue):
    from reformdash.importers.pdf_reader import read_pdf_document
    appendix = find_appendix(read_pdf_document(path))
    labels = load_labels(ROOT / "data", ROOT, Collector())
    form = detect_form(list(appendix.rows), catalogue, labels)
    return appendix, match_appendix(list(appendix.rows), catalogue.forms[form], catalogue, labels)


@pytest.mark.parametrize("name, department, period, form", REPORTS, ids=[r[0] for r in REPORTS])
def test_a_pdf_gives_the_bundled_values_and_notes(bundled, catalogue, name, department, period, form):
    appendix, result = imported(FIXTURES / f"{name}.pdf", catalogue)
    assert result.form == form
    assert result.unmatched == () and result.missing == ()
    expected = {k: (None if v.value is None else str(v.value), v.note)
                for k, v in bundled[(department, period)].values.items()}
    if (department, period) == HYPHEN_BREAK[:2]:
        value, note = expected[HYPHEN_BREAK[2]]
        assert HYPHEN_BREAK[3] in note
        expected[HYPHEN_BREAK[2]] = (value, note.replace(HYPHEN_BREAK[3], HYPHEN_BREAK[4]))
    got = {v.indicator: (v.value or None, v.note) for v in result.values}
    assert got == expected
    assert appendix.value_column == bundled[(department, period)].document.value_column


def test_a_caption_row_repeated_at_every_page_is_not_taken_for_the_rest_of_a_cut_row(bundled, catalogue):
    """Landscape, the two-row header ("Kết quả thống kê" over "Sở Công Thương") repeated on every page, rows cut
    by page breaks: the repeated caption is the header's, never glued to the figure of the row cut above it
    ("2 Sở Công Thương"), and the rest of that row's note below it is joined again."""
    _, result = imported(FIXTURES / "sct-2021-h1-landscape.pdf", catalogue)
    assert result.form == "cchc-2021" and result.unmatched == () and result.missing == ()
    expected = {k: (None if v.value is None else str(v.value), v.note)
                for k, v in bundled[("sct", "2021-h1")].values.items()}
    assert {v.indicator: (v.value or None, v.note) for v in result.values} == expected


def test_a_table_whose_pages_have_a_running_header_and_footer_is_read_whole(bundled, catalogue):
    """The document's number and the page's at the top of every page, "Trang 2 / 9" at the bottom, the table's
    header on the first page only: the lines between the table's parts had cut it, and the import wrote 14 of the
    178 rows with exit 0 (a warning for each row missing)."""
    from reformdash.importers.pdf_reader import read_pdf_document
    appendix, result = imported(FIXTURES / "stnmt-2023-q1-running.pdf", catalogue)
    assert result.form == "cchc-2022" and result.unmatched == () and result.missing == ()
    expected = {k: (None if v.value is None else str(v.value), v.note)
                for k, v in bundled[("stnmt", "2023-q1")].values.items()}
    assert {v.indicator: (v.value or None, v.note) for v in result.values} == expected
    paragraphs = [b for b in read_pdf_document(FIXTURES / "stnmt-2023-q1-running.pdf").blocks if isinstance(b, str)]
    assert " ".join(paragraphs[0].split()) == "Số: 45/BC-STNMT Trang 1"  # (the first page's top, the letterhead: kept)
    assert not any("Trang 2" in p or "/ 9" in p for p in paragraphs)


def test_pages_that_are_scanned_images_inside_a_typed_report_are_named(capsys, project_factory):
    """A typed report whose appendix was pasted in as scanned pages: "no appendix found" had said nothing of why."""
    from reformdash.cli import main
    root = project_factory()
    code = main(["import", str(FIXTURES / "stnmt-2023-q1-partly-scanned.pdf"), "--department", "stnmt", "--period",
                 "2023-q1", "--root", str(root)])
    err = capsys.readouterr().err
    assert code == 1 and "error E603" in err
    assert "stnmt-2023-q1-partly-scanned.pdf: warning W631: 1 page(s) of the PDF are images without text, scanned: " \
           "page(s) 2; what they show is not read\n    hint: run OCR on it" in err


def test_wrapped_lines_joined_and_a_row_cut_by_a_page_break_joined_again(catalogue):
    appendix, result = imported(FIXTURES / "sct-2021-h1.pdf", catalogue)
    labels = [r.label for r in appendix.rows]
    # on two pages: "Số người làm việc tại các đơn vị" | "SNCL bị kỷ luật."
    assert "Số người làm việc tại các đơn vị SNCL bị kỷ luật." in labels
    assert "SNCL bị kỷ luật." not in labels
    notes = {v.indicator: v.note for v in result.values}
    assert notes["plan_issued_2021"] == "Kế hoạch số 04/KH-SCT ngày 18/01/2021"  # "04/KH-" | "SCT ngày …"
    lines = [r.line for r in appendix.rows]
    assert lines == sorted(set(lines))  # table rows counted on across the pages


def test_a_scanned_pdf_is_refused_as_a_scan():
    from reformdash.importers.pdf_reader import read_pdf_document
    with pytest.raises(UnreadableDocument) as caught:
        read_pdf_document(FIXTURES / "scan.pdf")
    assert str(caught.value) == "the PDF has no text layer: its 1 page(s) are images, a scan"
    assert caught.value.code == "E620"
    assert caught.value.hint == ("run OCR on it (for example ocrmypdf FILE.pdf OUT.pdf) and import the result, "
                                 "or ask the department for the .docx or .xlsx it was printed from")


def test_a_file_that_is_no_pdf_is_unreadable(tmp_path):
    from reformdash.importers.pdf_reader import read_pdf_document
    path = tmp_path / "bao-cao.pdf"
    path.write_bytes(b"%PDF-1.4\nnot really\n")
    with pytest.raises(UnreadableDocument) as caught:
        read_pdf_document(path)
    assert str(caught.value) == ("not a PDF, or a damaged or password-protected one "
                                 "(No /Root object! - Is this really a PDF?)")
    assert caught.value.code == "E603"


@pytest.mark.parametrize("tool, line", [("pdftotext", 5), ("pdftotext-layout", 8), ("pdfplumber", 5)])
def test_text_pulled_out_of_a_pdf_is_refused_with_the_reason(tool, line):
    text = (FIXTURES / f"stnmt-2022-q3.{tool}.txt").read_text(encoding="utf-8")
    with pytest.raises(UnreadableDocument) as caught:
        read_text_document(text)
    assert str(caught.value) == (
        f"line {line} starts an appendix table whose columns are not separated by tabs: this is text pulled "
        "out of a PDF, where a label, its unit, its figure and its note cannot be told apart reliably")
    assert caught.value.code == "E621"
    assert caught.value.hint == "import the PDF itself, or the .docx or .xlsx it was made from"


def test_tab_separated_text_is_still_read_as_before():
    reference = ROOT.parent / "shared" / "reference-reports" / "so-cong-thuong_2021-h1_appendix.txt"
    appendix = find_appendix(read_text_document(reference.read_text(encoding="utf-8")))
    assert appendix is not None and len(appendix.rows) == 164


@pytest.mark.parametrize("file, filed", [
    # the PDF keeps the italics: both notes are the form's, the one data/forms lists and the one it does not
    ("stnmt-2023-q1-hints.pdf", {"discipline_directives_compliance": ("", "Ghi rõ nội dung vi phạm"),
                                 "feedback_received": ("", "Nêu rõ hình thức tiếp nhận")}),
    # its text does not: the listed instruction is known by its words, the other by how it begins ("Nêu rõ")
    ("stnmt-2023-q1-hints.pdftotext-layout.txt", {"discipline_directives_compliance": ("", "Ghi rõ nội dung vi phạm"),
                                                  "feedback_received": ("", "Nêu rõ hình thức tiếp nhận")}),
])
def test_the_forms_instructions_left_in_a_pdf_are_filed_as_template_notes(capsys, project_factory, bundled, file,
                                                                          filed):
    from test_import import report_of, run_import

    root = project_factory()
    code, err = run_import(capsys, root, FIXTURES / file, "stnmt", "2023-q1")
    assert code == 0, err
    report = report_of(root, "stnmt", "2023-q1")
    assert {i: (v.note, v.template_note) for i, v in report.values.items() if v.note or v.template_note} == {
        **{i: (v.note, "") for i, v in bundled[("stnmt", "2023-q1")].values.items() if v.note}, **filed}
    assert {i: v.value for i, v in report.values.items()} == \
        {i: v.value for i, v in bundled[("stnmt", "2023-q1")].values.items()}


def test_a_word_too_long_for_its_cell_is_joined_where_the_line_cut_it(bundled, catalogue):
    """A copy of STNMT 2023-Q1 with a narrow note column (and a "Kỳ trước" column, left out), saved as PDF by
    LibreOffice: a date or a document number wider than the column is cut where its line ends ("19/01/202" |
    "3"); the pieces are joined without a space, every note as the department wrote it."""
    _, result = imported(FIXTURES / "stnmt-2023-q1-narrow-notes.pdf", catalogue)
    notes = {v.indicator: v.note for v in result.values}
    assert notes["plan_completion_rate"] == "Kế hoạch số 03/KH-STNMT ngày 19/01/2023"
    assert notes["reform_directive_documents_issued"] == \
        "Công văn số 12/STNMT-VP ngày 16/02/2023; Công văn số 28/STNMT-VP ngày 08/3/2023"
    expected = {k: (None if v.value is None else str(v.value), " ".join(v.note.split()))
                for k, v in bundled[("stnmt", "2023-q1")].values.items()}
    assert {v.indicator: (v.value or None, " ".join(v.note.split())) for v in result.values} == expected


def test_a_row_cut_on_the_third_page_and_an_area_title_cut_are_joined_again():
    """A Word table without a repeated header, printed to PDF by LibreOffice (rows may break across pages): the
    header stands on the first page only, yet rows cut on later pages are joined again; so is an area's title
    ("VII | Xây dựng và phát triển" | "Chính phủ điện tử, Chính phủ số"), whose rest begins with a capital."""
    from reformdash.importers.pdf_reader import _is_header_row, _rejoin_split_row
    from reformdash.importers.record import SourceTable

    header = ("STT", "Chỉ tiêu thống kê", "Đơn vị tính", "Kết quả", "Ghi chú")
    page_2 = SourceTable(((20, ("1", "Khảo sát sự hài lòng", "", "", "")),))
    page_3 = SourceTable(((21, ("", "của người dân, tổ chức", "", "", "")), (22, ("VII", "Xây dựng và phát triển", "", "", ""))))
    page_4 = SourceTable(((23, ("", "Chính phủ điện tử, Chính phủ số", "", "", "")),
                          (24, ("1", "Số TTHC trực tuyến", "TTHC", "4", ""))))
    assert _is_header_row(header)
    joined_2, rest_3 = _rejoin_split_row(page_2, page_3, header)
    assert joined_2.rows == ((20, ("1", "Khảo sát sự hài lòng của người dân, tổ chức", "", "", "")),)
    joined_3, rest_4 = _rejoin_split_row(rest_3, page_4, header)
    assert joined_3.rows == ((22, ("VII", "Xây dựng và phát triển Chính phủ điện tử, Chính phủ số", "", "", "")),)
    assert rest_4.rows == ((24, ("1", "Số TTHC trực tuyến", "TTHC", "4", "")),)
    # a row of its own after an indicator's row is not taken for its rest, capitalised as the form's labels are
    kept_3, kept_4 = _rejoin_split_row(SourceTable(((30, ("2", "Số hồ sơ tiếp nhận", "Hồ sơ", "5", "")),)),
                                       SourceTable(((31, ("", "Số hồ sơ trả kết quả", "Hồ sơ", "4", "")),)), header)
    assert len(kept_3.rows) == 1 and len(kept_4.rows) == 1


def _printed(lines: list[str], size: float = 10.0) -> list[dict]:
    """Characters as pdfplumber gives them: each line on its own baseline, each character `size` / 2 wide."""
    chars = []
    for number, line in enumerate(lines):
        for at, letter in enumerate(line):
            x0 = at * size / 2
            chars.append({"text": letter, "x0": x0, "x1": x0 + size / 2, "size": size,
                          "top": number * size * 1.2, "bottom": number * size * 1.2 + size})
    return chars


@pytest.mark.parametrize("lines, text", [
    (["19/01/202", "3"], "19/01/202" + "3"),  # a date cut where its line ended
    (["14/UBND-VP", "ngày 16/02"], "14/UBND-VP ngày 16/02"),  # a whole document number, then a word
    (["Công văn số", "14/UBND-VP", "ngày 16/02/2025"], "Công văn số 14/UBND-VP ngày 16/02/2025"),
    (["28/STNMT-", "VP"], "28/STNMT-VP"),  # broken at its hyphen
    (["03/2023/Q", "Đ-UBND ngày"], "03/2023/QĐ-UBND ngày"),  # a code cut inside its letters
    (["14/UBND-VP", "UBND tỉnh"], "14/UBND-VP UBND tỉnh"),  # whole, then a word in capitals
    (["19/01/2023", "2 văn bản"], "19/01/2023 2 văn bản"),  # a whole date, then a figure
    (["28/STNMT-VP", "- Công văn"], "28/STNMT-VP - Công văn"),  # then an item of a list
])
def test_a_line_filled_by_a_number_is_joined_without_a_space_only_when_the_number_goes_on(lines, text):
    """Found on a Word note printed to PDF in a narrow column: "14/UBND-VP" filled its line and "ngày" was glued to
    it ("14/UBND-VPngày") in 40 notes, with exit 0."""
    from reformdash.importers.pdf_reader import _cell_text

    filled = len(lines[-2]) * 5.0  # (the cell's edge just after the line that fills it)
    assert _cell_text(_printed(lines), filled + 1) == text
