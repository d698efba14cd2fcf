"""Which column holds this period's figures, when a department's copy of the form has more than one.

Copies add columns beside the figures: the previous period's ("Kỳ trước"), last year's, the plan's;
or head the unit column "ĐVT". A column whose caption says it holds other figures is left out (and the
summary says which was read); two columns that both could hold this period's figures stop the import
(E617) until the clerk names one. Every figure read must be the department's figure for the period.
"""
from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from conftest import REFERENCE_REPORTS
from test_import import bundled, figures, report_of, run_import  # noqa: F401 (fixtures)
from reformdash.importers.text import read_appendix_file

REFERENCE = REFERENCE_REPORTS / "so-tnmt_2023-q1_report.txt"


def workbook(path: Path, header: list[str], row_cells) -> Path:
    """The 2023-Q1 appendix as a sheet with `header`; row_cells(row) gives each row's cells."""
    book = Workbook()
    sheet = book.active
    sheet.append(header)
    for row in read_appendix_file(REFERENCE):
        sheet.append(row_cells(row))
    book.save(path)
    return path


def imported_as_bundled(capsys, project_factory, bundled, path: Path) -> tuple[Path, str]:
    """Import `path` as STNMT 2023-Q1 into a new project: it must succeed with every figure and note the bundled
    report's. The project and what the import printed, for the test's own assertions."""
    root = project_factory()
    code, err = run_import(capsys, root, path, "stnmt", "2023-q1")
    assert code == 0, err
    assert figures(report_of(root, "stnmt", "2023-q1")) == figures(bundled[("stnmt", "2023-q1")])
    return root, err


def other_figure(row) -> str:
    """A figure of another period: a different number wherever the row holds one, something where it has none."""
    return str(int(row.value) + 7) if row.value.isdigit() else "5"


@pytest.mark.parametrize("caption", ["Kỳ trước (Quý III/2022)", "Cùng kỳ năm trước", "Kế hoạch năm 2023"])
def test_a_column_of_other_figures_before_this_periods_is_left_out_and_named(capsys, tmp_path, project_factory,
                                                                             bundled, caption):
    path = workbook(tmp_path / "bao-cao.xlsx", ["STT", "Chỉ tiêu thống kê", "Đơn vị tính", caption,
                                                "Kỳ này (Quý I/2023)", "Ghi chú"],
                    lambda r: [r.number, r.label, r.unit, other_figure(r), r.value, r.note])
    root, err = imported_as_bundled(capsys, project_factory, bundled, path)
    assert f"import: the figures were read from the column 'Kỳ này (Quý I/2023)', not from '{caption}' (another " \
           "period's or a plan's figures)" in err.splitlines()


@pytest.mark.parametrize("unit", ["ĐVT", "Đơn vị", "Đơn vị tính"])
def test_a_unit_column_headed_dvt_is_the_unit_not_the_figures(capsys, tmp_path, project_factory, bundled, unit):
    path = workbook(tmp_path / "bao-cao.xlsx", ["STT", "Chỉ tiêu thống kê", unit, "Kết quả", "Ghi chú"],
                    lambda r: [r.number, r.label, r.unit, r.value, r.note])
    root, err = imported_as_bundled(capsys, project_factory, bundled, path)


@pytest.mark.parametrize("number, label, unit", [("TT", "Chỉ tiêu thống kê", "Đơn vị tính"),
                                                  ("Số TT", "Chỉ tiêu", "ĐVT"), ("S.T.T", "Tên chỉ tiêu", "ĐVT"),
                                                  ("TT", "Nội dung", "ĐVT"), ("STT", "Nội dung chỉ tiêu", "Đơn vị tính")])
def test_the_number_and_label_columns_are_found_under_the_captions_departments_write(capsys, tmp_path,
                                                                                    project_factory, bundled, number,
                                                                                    label, unit):
    path = workbook(tmp_path / "bao-cao.xlsx", [number, label, unit, "Số liệu", "Ghi chú"],
                    lambda r: [r.number, r.label, r.unit, r.value, r.note])
    imported_as_bundled(capsys, project_factory, bundled, path)


def test_a_table_captioned_noi_dung_without_a_unit_column_is_not_the_appendix(capsys, tmp_path, project_factory):
    """"STT | Nội dung | Họ tên | Chức vụ" is the table of the people in charge, not the figures."""
    path = workbook(tmp_path / "bao-cao.xlsx", ["STT", "Nội dung", "Số liệu", "Ghi chú"],
                    lambda r: [r.number, r.label, r.value, r.note])
    code, err = run_import(capsys, project_factory(), path, "stnmt", "2023-q1")
    assert code == 1 and "E603" in err


def test_two_columns_that_could_both_hold_the_figures_stop_the_import_until_one_is_named(capsys, tmp_path,
                                                                                       project_factory, bundled):
    path = workbook(tmp_path / "bao-cao.xlsx", ["STT", "Chỉ tiêu thống kê", "Đơn vị tính", "Trong kỳ", "Lũy kế",
                                                "Ghi chú"],
                    lambda r: [r.number, r.label, r.unit, r.value, other_figure(r), r.note])
    root = project_factory()
    code, err = run_import(capsys, root, path, "stnmt", "2023-q1")
    assert code == 1
    assert err.splitlines()[:2] == [
        f"{path}:1:1: error E617: more than one column of the appendix could hold this period's figures: "
        "'Trong kỳ', 'Lũy kế'",
        "    hint: name the one to read with --value-column (words of its caption: --value-column with one of "
        "\"Trong kỳ\", \"Lũy kế\"); a column of the previous period, last year or the plan is left out by itself "
        "when its caption says so (Kỳ trước, Cùng kỳ, Kế hoạch)"]
    assert not (root / "data" / "stnmt" / "2023-q1.yaml").exists()
    code, err = run_import(capsys, root, path, "stnmt", "2023-q1", "--value-column", "trong ky")
    assert code == 0, err
    assert figures(report_of(root, "stnmt", "2023-q1")) == figures(bundled[("stnmt", "2023-q1")])


def test_a_captioned_column_left_empty_does_not_compete(capsys, tmp_path, project_factory, bundled):
    path = workbook(tmp_path / "bao-cao.xlsx", ["STT", "Chỉ tiêu thống kê", "Đơn vị tính", "Số liệu", "Lũy kế",
                                                "Ghi chú"],
                    lambda r: [r.number, r.label, r.unit, r.value, "", r.note])
    root, err = imported_as_bundled(capsys, project_factory, bundled, path)


def two_sheets(path: Path, hide_first: bool, old_name: str = "Quý III-2022", old_last: bool = False) -> Path:
    """A workbook holding last quarter's appendix on its first sheet and this quarter's on its second (or last
    quarter's on its second: `old_last`)."""
    book = Workbook()
    old, new = book.active, book.create_sheet("Quý I-2023")
    old.title = old_name
    if old_last:
        book.move_sheet(old, offset=1)
    for sheet, figure in ((old, other_figure), (new, lambda r: r.value)):
        sheet.append(["STT", "Chỉ tiêu thống kê", "Đơn vị tính", "Số liệu", "Ghi chú"])
        for row in read_appendix_file(REFERENCE):
            sheet.append([row.number, row.label, row.unit, figure(row), row.note])
    if hide_first:
        old.sheet_state = "hidden"
    book.save(path)
    return path


def test_two_sheets_holding_an_appendix_stop_the_import_until_one_is_named(capsys, tmp_path, project_factory,
                                                                           bundled):
    path = two_sheets(tmp_path / "bao-cao.xlsx", hide_first=False)
    root = project_factory()
    code, err = run_import(capsys, root, path, "stnmt", "2023-q1")
    assert code == 1
    assert err.splitlines() == [
        f"{path}: error E618: 2 sheets hold an appendix: 'Quý III-2022', 'Quý I-2023'",
        "    hint: name the one with this period's report: --sheet \"Quý I-2023\" (or delete the others)",
        "1 error(s), 0 warning(s)",
        "import: which sheet, table or column holds this period's figures is not clear; nothing was written"]
    assert run_import(capsys, root, path, "stnmt", "2023-q1", "--sheet", "Quý 1") == (
        2, "import: no sheet 'Quý 1' holds an appendix in bao-cao.xlsx; these do: 'Quý III-2022', 'Quý I-2023'\n")
    code, err = run_import(capsys, root, path, "stnmt", "2023-q1", "--sheet", "Quý I-2023")
    assert code == 0, err
    assert "import: read the appendix on sheet 'Quý I-2023'; not read: 'Quý III-2022'" in err.splitlines()
    assert figures(report_of(root, "stnmt", "2023-q1")) == figures(bundled[("stnmt", "2023-q1")])


def test_the_hint_for_two_sheets_never_names_another_periods_and_reading_one_is_flagged(capsys, tmp_path,
                                                                                      project_factory):
    """The hint named the last sheet, here last year's copy: following it imported last year's figures with no
    word. It names the one sheet that names no other period, and a sheet named another period's is flagged."""
    path = two_sheets(tmp_path / "bao-cao.xlsx", hide_first=False, old_name="Quý IV-2022", old_last=True)
    root = project_factory()
    code, err = run_import(capsys, root, path, "stnmt", "2023-q1")
    assert code == 1
    assert err.splitlines()[:2] == [
        f"{path}: error E618: 2 sheets hold an appendix: 'Quý I-2023', 'Quý IV-2022'",
        "    hint: name the one with this period's report: --sheet \"Quý I-2023\" (or delete the others)"]
    _, err = run_import(capsys, root, path, "stnmt", "2023-q1", "--sheet", "Quý IV-2022")
    lines = err.splitlines()  # (written: last year's made-up figures do not pass the check, which the import runs)
    warning = f"{path}: warning W624: the sheet 'Quý IV-2022' named with --sheet looks like another period's than 2023-q1"
    assert warning in lines and lines[lines.index(warning) + 1] == (
        "    hint: check that it holds the figures of 2023-q1; if not, name the right one with --sheet, import again "
        "with --force")


def test_a_hidden_sheet_is_not_read_while_a_visible_one_holds_the_appendix(capsys, tmp_path, project_factory,
                                                                           bundled):
    path = two_sheets(tmp_path / "bao-cao.xlsx", hide_first=True)
    root, err = imported_as_bundled(capsys, project_factory, bundled, path)
    assert "import: read the appendix on sheet 'Quý I-2023'; not read: 'Quý III-2022'" in err.splitlines()


def test_a_document_whose_title_names_another_period_is_flagged(capsys, tmp_path, project_factory):
    """A quarter-I report imported as the six-month one: written (the clerk may know better), with a warning
    quoting the title that names the other period."""
    from docx import Document

    from test_import import docx_header

    path = tmp_path / "bao-cao.docx"
    document = Document()
    document.add_paragraph("BÁO CÁO")
    document.add_paragraph("Tình hình, kết quả thực hiện cải cách hành chính quý I năm 2023")
    grid = document.add_table(rows=0, cols=5)
    docx_header(grid, "Số liệu")
    for row in read_appendix_file(REFERENCE):
        for cell, text in zip(grid.add_row().cells, (row.number, row.label, row.unit, row.value, row.note)):
            cell.text = text
    document.save(str(path))
    root = project_factory()
    code, err = run_import(capsys, root, path, "stnmt", "2023-h1")
    assert code == 0, err
    assert f"{path}: warning W624: the document looks like another period's report than 2023-h1: its title names " \
           "Quý I năm 2023 (2023-q1): 'Tình hình, kết quả thực hiện cải cách hành chính quý I năm 2023'" \
           in err.splitlines()
    code, err = run_import(capsys, root, path, "stnmt", "2023-q1")
    assert code == 0 and "W624" not in err


@pytest.mark.parametrize("title, date_line, period, why", [
    ("Báo cáo CCHC năm 2023", "", "2023-q1", ""),  # the year alone names no other period
    ("Báo cáo CCHC 6 tháng đầu năm 2023", "", "2023-h1", ""),
    ("Báo cáo CCHC quý III năm 2023", "", "2023-q1", "its title names Quý III năm 2023 (2023-q3): "
                                                      "'Báo cáo CCHC quý III năm 2023'"),
    ("Báo cáo CCHC năm 2022", "", "2023-q1", "its title names Năm 2022 (2022-year): 'Báo cáo CCHC năm 2022'"),
    ("Báo cáo", "Sóc Trăng, ngày 15 tháng 3 năm 2023", "2023-h1",
     "it is dated 15/03/2023, long before 6 tháng đầu năm 2023 ends (30/06/2023)"),
    ("Báo cáo", "Sóc Trăng, ngày 15 tháng 3 năm 2023", "2023-q1", ""),
    ("Báo cáo", "Sóc Trăng, ngày tháng 3 năm 2023", "2023-h1", ""),  # no day: not a date to judge by
    ("Báo cáo", "Sóc Trăng, ngày 15/3/2022", "2023-q1",
     "it is dated 15/03/2022, long before Quý I năm 2023 ends (31/03/2023)"),
    ("Kết quả công tác cải cách hành chính năm 2023", "Sóc Trăng, ngày 15 tháng 12 năm 2023", "2023-q1",
     "it is dated 15/12/2023, long after Quý I năm 2023 ended (31/03/2023)"),
    ("Kết quả CCHC 6 tháng đầu năm và phương hướng, nhiệm vụ 6 tháng cuối năm 2023", "", "2023-q1",
     "its title speaks of another period than Quý I năm 2023: 'Kết quả CCHC 6 tháng đầu năm và phương hướng, nhiệm "
     "vụ 6 tháng cuối năm 2023'"),
    ("Kết quả CCHC 6 tháng đầu năm và phương hướng, nhiệm vụ 6 tháng cuối năm 2023", "", "2023-h1", ""),
    ("Báo cáo CCHC quý 1 năm 2023", "", "2023-q3", "its title speaks of another period than Quý III năm 2023: "
                                                   "'Báo cáo CCHC quý 1 năm 2023'"),
    ("Báo cáo CCHC quý I và phương hướng nhiệm vụ quý II năm 2023", "", "2023-q1", ""),
    ("Báo cáo CCHC quý III và 9 tháng năm 2023", "", "2023-q3", ""),
])
def test_the_period_a_document_names_or_dates_is_compared_with_the_import(title, date_line, period, why):
    from conftest import ROOT
    from reformdash.inputs.catalogue import load_catalogue
    from reformdash.inputs.period_named import other_period
    from reformdash.model import DocumentInfo
    from reformdash.problems import Collector

    catalogue = load_catalogue(ROOT / "data", ROOT, Collector())
    assert other_period(DocumentInfo(title=title, date_line=date_line), catalogue.periods[period], catalogue) == why


def test_coded_answers_in_words_and_percentages_with_their_sign_are_read_as_the_form_means(capsys, tmp_path,
                                                                                          project_factory, bundled):
    """'Có' in a yes/no row is its code 1, '99,99 %' in a percentage row is 99.99: read so and listed."""
    words = {"Có thực hiện tuyên truyền CCHC thường xuyên thông qua các cuộc họp, hội nghị, hội thi, hội "
             "diễn,...": "Có", "Tỷ lệ TTHC đã được phê duyệt quy trình nội bộ": "95 %"}
    path = workbook(tmp_path / "bao-cao.xlsx", ["STT", "Chỉ tiêu thống kê", "Đơn vị tính", "Số liệu", "Ghi chú"],
                    lambda r: [r.number, r.label, r.unit, words.get(" ".join(r.label.split()), r.value), r.note])
    root, err = imported_as_bundled(capsys, project_factory, bundled, path)
    lines = {r.label: n for n, r in enumerate(read_appendix_file(REFERENCE), 2)}
    first, second = (lines[label] for label in words)
    assert f"import: 2 figure(s) written in words or with a sign were read as the form means them (check each " \
           f"against the document): {path}:{min(first, second)}: " in err
    assert "'Có' -> 1" in err and "'95 %' -> 95" in err


def test_the_figures_are_never_read_from_a_column_of_other_figures(capsys, tmp_path, project_factory, bundled):
    """'Kỳ trước' captioned, this period's column left without a caption: the uncaptioned one holds the figures."""
    path = workbook(tmp_path / "bao-cao.xlsx", ["STT", "Chỉ tiêu thống kê", "Đơn vị tính", "Kỳ trước", "",
                                                "Ghi chú"],
                    lambda r: [r.number, r.label, r.unit, other_figure(r), r.value, r.note])
    root, err = imported_as_bundled(capsys, project_factory, bundled, path)
    assert "import: the figures were read from the column 'column 5 (no caption)', not from 'Kỳ trước' (another " \
           "period's or a plan's figures)" in err.splitlines()


def test_only_columns_of_other_figures_stop_the_import(capsys, tmp_path, project_factory):
    path = workbook(tmp_path / "bao-cao.xlsx", ["STT", "Chỉ tiêu thống kê", "Đơn vị tính", "Kỳ trước", "Ghi chú"],
                    lambda r: [r.number, r.label, r.unit, other_figure(r), r.note])
    root = project_factory()
    code, err = run_import(capsys, root, path, "stnmt", "2023-q1")
    assert code == 1
    assert err.splitlines()[:2] == [
        f"{path}:1:1: error E617: no column of the appendix is captioned as this period's figures: 'Kỳ trước' "
        "(captioned as another period's, last year's or the plan's)",
        "    hint: caption the column of this period's figures in the document, or name it with --value-column (words "
        "of its caption)"]


def test_a_department_named_for_plans_is_not_a_plan_column(capsys, tmp_path, project_factory, bundled):
    path = workbook(tmp_path / "bao-cao.xlsx", ["STT", "Chỉ tiêu thống kê", "Đơn vị tính", "Kỳ trước",
                                                "Sở Kế hoạch và Đầu tư", "Ghi chú"],
                    lambda r: [r.number, r.label, r.unit, other_figure(r), r.value, r.note])
    root, err = imported_as_bundled(capsys, project_factory, bundled, path)


def test_an_uncaptioned_column_of_words_is_read_as_the_notes(capsys, tmp_path, project_factory, bundled):
    path = workbook(tmp_path / "bao-cao.xlsx", ["STT", "Chỉ tiêu thống kê", "Đơn vị tính", "Sở Tài nguyên và Môi trường",
                                                ""],
                    lambda r: [r.number, r.label, r.unit, r.value, r.note])
    root, err = imported_as_bundled(capsys, project_factory, bundled, path)
    assert "import: no column is captioned 'Ghi chú'; the notes were read from 'column 5 (no caption)', the one " \
           "other column holding words" in err.splitlines()


def test_a_note_on_an_area_title_row_is_kept_under_unplaced(capsys, tmp_path, project_factory, bundled):
    """No indicator holds an area's title row: a note written there is kept and published as written (W315)."""
    note = "Đơn vị không phát sinh kinh phí giao tự chủ mới trong quý"
    path = workbook(tmp_path / "bao-cao.xlsx", ["STT", "Chỉ tiêu thống kê", "Đơn vị tính", "Số liệu", "Ghi chú"],
                    lambda r: [r.number, r.label, r.unit, r.value, note if r.number == "VI" else r.note])
    line = next(n for n, r in enumerate(read_appendix_file(REFERENCE), 2) if r.number == "VI")
    root = project_factory()
    code, err = run_import(capsys, root, path, "stnmt", "2023-q1")
    assert code == 0, err
    assert f"import: 1 area title row(s) carry a figure or a note, which no indicator holds: kept under 'unplaced:' " \
           f"as written and published so (W315): {path}:{line}" in err.splitlines()
    report = report_of(root, "stnmt", "2023-q1")
    assert [(u.number, u.label, u.note) for u in report.unplaced] == [("VI", "Cải cách tài chính công", note)]
    assert figures(report) == figures(bundled[("stnmt", "2023-q1")])


@pytest.mark.parametrize("header_on_each", [True, False])
def test_an_appendix_laid_out_a_page_a_sheet_is_read_whole(capsys, tmp_path, project_factory, bundled,
                                                           header_on_each):
    """Areas I-III on the first sheet, IV-VII on the second (with the header again, or without): one appendix,
    read whole; never half of it, and never refused as two reports."""
    book = Workbook()
    first, second = book.active, book.create_sheet("Trang 2")
    first.title = "Trang 1"
    header = ["STT", "Chỉ tiêu thống kê", "Đơn vị tính", "Số liệu", "Ghi chú"]
    first.append(header)
    if header_on_each:
        second.append(header)
    sheet = first
    for row in read_appendix_file(REFERENCE):
        if row.number == "IV":
            sheet = second
        sheet.append([row.number, row.label, row.unit, row.value, row.note])
    path = tmp_path / "bao-cao.xlsx"
    book.save(path)
    root, err = imported_as_bundled(capsys, project_factory, bundled, path)
    if header_on_each:
        assert "import: the appendix goes on over the sheets 'Trang 1', 'Trang 2', each with its own rows of the " \
               "form; read together" in err.splitlines()


def test_a_sheet_whose_stt_table_holds_no_row_of_the_form_is_not_a_second_appendix(capsys, tmp_path,
                                                                                   project_factory, bundled):
    """The contacts on a sheet of their own, headed 'STT | Chỉ tiêu | Họ và tên': not an appendix, not refused."""
    path = workbook(tmp_path / "bao-cao.xlsx", ["STT", "Chỉ tiêu thống kê", "Đơn vị tính", "Số liệu", "Ghi chú"],
                    lambda r: [r.number, r.label, r.unit, r.value, r.note])
    from openpyxl import load_workbook

    book = load_workbook(path)
    book.active.title = "Phụ lục"
    contacts = book.create_sheet("Đầu mối")
    contacts.append(["STT", "Chỉ tiêu", "Họ và tên", "Số điện thoại"])
    contacts.append(["1", "Lãnh đạo phụ trách CCHC", "Nguyễn Văn A", "0912345678"])
    book.save(path)
    root, err = imported_as_bundled(capsys, project_factory, bundled, path)
    assert "import: read the appendix on sheet 'Phụ lục'; not read: 'Đầu mối'" in err.splitlines()


def test_a_hidden_column_is_not_read(capsys, tmp_path, project_factory, bundled):
    """Last quarter's workbook with a column added for this quarter and the old one hidden, both under the
    department's name merged over them: the hidden figures are not what the sheet shows, and are never read."""
    from openpyxl import load_workbook

    path = workbook(tmp_path / "bao-cao.xlsx", ["STT", "Chỉ tiêu thống kê", "Đơn vị tính",
                                                "Sở Tài nguyên và Môi trường", "", "Ghi chú"],
                    lambda r: [r.number, r.label, r.unit, other_figure(r), r.value, r.note])
    book = load_workbook(path)
    book.active.merge_cells("D1:E1")
    book.active.column_dimensions["D"].hidden = True
    book.save(path)
    root, err = imported_as_bundled(capsys, project_factory, bundled, path)
    # and named: the clerk is told a column was passed by, as a hidden row is
    assert f"{path}: warning W626: 1 hidden column(s) of sheet '{book.active.title}' are not read: D" in err.splitlines()


def test_a_caption_over_an_empty_column_leads_to_the_one_column_holding_the_figures(capsys, tmp_path,
                                                                                  project_factory, bundled):
    """'Số liệu' merged over three columns, the figures typed in the last: read from there, and said."""
    from openpyxl import load_workbook

    path = workbook(tmp_path / "bao-cao.xlsx", ["STT", "Chỉ tiêu thống kê", "Đơn vị tính", "Số liệu", "", "",
                                                "Ghi chú"],
                    lambda r: [r.number, r.label, r.unit, "", "", r.value, r.note])
    book = load_workbook(path)
    book.active.merge_cells("D1:F1")
    book.save(path)
    root, err = imported_as_bundled(capsys, project_factory, bundled, path)
    assert "import: the column captioned 'Số liệu' holds no figures; they were read from 'column 6 (no caption)', " \
           "the one other column holding figures" in err.splitlines()


def test_a_figure_standing_outside_the_figures_column_stops_the_import(capsys, tmp_path, project_factory):
    """Some rows' cells shifted one column (a border moved in Word for those rows): their figures stand in a
    column with no caption; read as they stand they would be lost, so the import names each and stops."""
    shifted = {"Số nhiệm vụ đề ra trong kế hoạch"}
    path = workbook(tmp_path / "bao-cao.xlsx", ["STT", "Chỉ tiêu thống kê", "Đơn vị tính", "Số liệu", "", "Ghi chú"],
                    lambda r: [r.number, r.label, r.unit, *(("", r.value) if r.label in shifted else (r.value, "")),
                               r.note])
    line = next(n for n, r in enumerate(read_appendix_file(REFERENCE), 2) if r.label in shifted)
    root = project_factory()
    code, err = run_import(capsys, root, path, "stnmt", "2023-q1")
    assert code == 1
    assert err.splitlines()[:2] == [
        f"{path}:{line}:1: error E619: the figure '22' stands in a column with no caption, not under the figures' "
        "caption",
        "    hint: align the row's cells with the header's columns (in Word a column border moved for some rows "
        "splits the columns) or type the figure under the figures' caption"]
    assert not (root / "data" / "stnmt" / "2023-q1.yaml").exists()


@pytest.mark.parametrize("between", ["Trang 2", "- 2 -", "(tiếp theo)"])
def test_an_appendix_in_two_tables_with_a_page_mark_between_is_read_whole(capsys, tmp_path, project_factory,
                                                                          bundled, between):
    from docx import Document

    rows = read_appendix_file(REFERENCE)
    half = next(i for i, r in enumerate(rows) if r.number == "IV")
    document = Document()
    for part, text in ((rows[:half], None), (rows[half:], between)):
        if text:
            document.add_paragraph(text)
        grid = document.add_table(rows=1, cols=5)
        for cell, caption in zip(grid.rows[0].cells, ["STT", "Chỉ tiêu thống kê", "Đơn vị tính", "Số liệu", "Ghi chú"]):
            cell.text = caption
        for row in part:
            for cell, text in zip(grid.add_row().cells, (row.number, row.label, row.unit, row.value, row.note)):
                cell.text = text
    path = tmp_path / "bao-cao.docx"
    document.save(str(path))
    root, err = imported_as_bundled(capsys, project_factory, bundled, path)


def test_a_note_of_dots_only_is_the_blank_of_a_copy(capsys, tmp_path, project_factory, bundled):
    path = workbook(tmp_path / "bao-cao.xlsx", ["STT", "Chỉ tiêu thống kê", "Đơn vị tính", "Số liệu", "Ghi chú"],
                    lambda r: [r.number, r.label, r.unit, r.value, r.note or "…"])
    root, err = imported_as_bundled(capsys, project_factory, bundled, path)


def test_a_small_stt_table_in_the_narrative_is_not_taken_for_the_appendix(capsys, tmp_path, project_factory,
                                                                           bundled):
    """A table headed 'STT | Chỉ tiêu | Số lượng | Ghi chú' in the narrative holds no row of any form: the appendix
    is the next such table; the small one stays in the narrative."""
    from docx import Document

    document = Document()
    document.add_paragraph("Kết quả giải quyết hồ sơ trong kỳ như sau:")
    small = document.add_table(rows=0, cols=4)
    for cells in (["STT", "Chỉ tiêu", "Số lượng", "Ghi chú"], ["1", "Số hồ sơ tiếp nhận", "161", ""]):
        for cell, text in zip(small.add_row().cells, cells):
            cell.text = text
    document.add_paragraph("PHỤ LỤC")
    grid = document.add_table(rows=1, cols=5)
    for cell, caption in zip(grid.rows[0].cells, ["STT", "Chỉ tiêu thống kê", "Đơn vị tính", "Số liệu", "Ghi chú"]):
        cell.text = caption
    for row in read_appendix_file(REFERENCE):
        for cell, text in zip(grid.add_row().cells, (row.number, row.label, row.unit, row.value, row.note)):
            cell.text = text
    path = tmp_path / "bao-cao.docx"
    document.save(str(path))
    root, err = imported_as_bundled(capsys, project_factory, bundled, path)
    assert "| 1 | Số hồ sơ tiếp nhận | 161 |  |" in (root / "content/stnmt/2023-q1.md").read_text(encoding="utf-8")


def document_of(path: Path, tables: list[tuple[list[str], list[list[str]]]]) -> Path:
    """A .docx of a paragraph and a table for each (header, rows) of `tables`, in order."""
    from docx import Document

    document = Document()
    for header, rows in tables:
        document.add_paragraph("Phụ lục")
        table = document.add_table(rows=0, cols=len(header))
        for cells in [header, *rows]:
            for cell, text in zip(table.add_row().cells, cells):
                cell.text = text
    document.save(str(path))
    return path


APPENDIX_HEADER = ["STT", "Chỉ tiêu thống kê", "Đơn vị tính", "Kết quả", "Ghi chú"]
SUMMARY = [["1", "Số nhiệm vụ đề ra trong kế hoạch", "Nhiệm vụ", "25", "cả năm"],
           ["2", "Số nhiệm vụ đã hoàn thành", "Nhiệm vụ", "3", ""]]


def reference_rows(change=lambda row: row.value) -> list[list[str]]:
    return [[r.number, r.label, r.unit, change(r), r.note] for r in read_appendix_file(REFERENCE)]


@pytest.mark.parametrize("caption", ["Nội dung", "Chỉ tiêu"])
def test_a_summary_table_headed_like_the_appendix_is_not_read_for_it(capsys, tmp_path, project_factory, bundled,
                                                                     caption):
    """A few figures the narrative sums up in a table "STT | Nội dung | ĐVT | Kết quả", before the appendix: the
    appendix is read (its figures, not the summary's 25 and 3)."""
    header = ["STT", caption, "ĐVT", "Kết quả", "Ghi chú"]
    path = document_of(tmp_path / "bao-cao.docx", [(header, SUMMARY), (APPENDIX_HEADER, reference_rows())])
    root, err = imported_as_bundled(capsys, project_factory, bundled, path)
    if caption == "Chỉ tiêu":  # (a summary headed as the appendix is: the larger table is the appendix)
        assert "import: the appendix was read from its largest table (185 rows), not from the smaller one(s) headed " \
               "like it: table 1 (2 rows)" in err.splitlines()


def test_two_appendices_in_one_document_stop_the_import(capsys, tmp_path, project_factory):
    """Last quarter's appendix kept above this quarter's: which is this period's is not in the document."""
    path = document_of(tmp_path / "bao-cao.docx", [(APPENDIX_HEADER, reference_rows(other_figure)),
                                                   (APPENDIX_HEADER, reference_rows())])
    root = project_factory()
    code, err = run_import(capsys, root, path, "stnmt", "2023-q1")
    assert code == 1
    assert f"{path}: error E618: 2 tables hold an appendix: table 1 (185 rows), table 2 (185 rows)" in err.splitlines()
    assert not (root / "data" / "stnmt" / "2023-q1.yaml").exists()


def test_a_value_cell_merged_over_the_note_gives_its_words_to_the_note(capsys, tmp_path, project_factory, bundled):
    """A clerk merges an empty figure's cell with its note's to give the note room: the merged cell's text stands in
    the figures' column, and was read as the figure ('Kế hoạch số 03/...' as plan_completion_rate, the note lost).
    Its words are the note, the figure is not reported, in Word as in Excel."""
    from docx import Document
    from openpyxl import load_workbook

    rows = reference_rows()
    merged = [i for i, row in enumerate(rows) if not row[3].strip() and row[4].strip()]
    assert merged, "the reference report has rows with a note and no figure"
    path = document_of(tmp_path / "bao-cao.docx", [(APPENDIX_HEADER, rows)])
    document = Document(str(path))
    table = document.tables[0]
    for i in merged:
        note = rows[i][4]
        cell = table.cell(i + 1, 3).merge(table.cell(i + 1, 4))
        cell.text = note
    # a coded answer written as its meaning in a merged cell stays the figure ("Có" is 1), never a note
    coded = next(i for i, row in enumerate(rows) if row[2].startswith("Có = 1") and row[3] == "1" and not row[4])
    table.cell(coded + 1, 3).merge(table.cell(coded + 1, 4)).text = "Có"
    document.save(str(path))
    root, err = imported_as_bundled(capsys, project_factory, bundled, path)
    assert f"import: {len(merged)} figure cell(s) merged over the note's hold words, read as the note with no " \
           f"figure: line(s) {', '.join(str(i + 2) for i in merged)}" in err.splitlines()

    book_path = workbook(tmp_path / "bao-cao.xlsx", APPENDIX_HEADER, lambda r: [r.number, r.label, r.unit, r.value,
                                                                                r.note])
    book = load_workbook(book_path)
    sheet = book.active
    for i in merged:
        sheet.cell(i + 2, 4).value = rows[i][4]
        sheet.cell(i + 2, 5).value = None
        sheet.merge_cells(start_row=i + 2, start_column=4, end_row=i + 2, end_column=5)
    book.save(book_path)
    imported_as_bundled(capsys, project_factory, bundled, book_path)


def test_a_hidden_row_is_not_read_and_is_named(capsys, tmp_path, project_factory, bundled):
    """Last quarter's row for 'Số nhiệm vụ đề ra trong kế hoạch' kept hidden above this quarter's: the sheet does not
    show it, so it is not read (it had stopped the import as a row given twice), and the import names it."""
    from openpyxl import load_workbook

    path = workbook(tmp_path / "bao-cao.xlsx", APPENDIX_HEADER, lambda r: [r.number, r.label, r.unit, r.value, r.note])
    book = load_workbook(path)
    sheet = book.active
    at = next(row for row in range(1, sheet.max_row + 1) if sheet.cell(row, 2).value == "Số nhiệm vụ đề ra trong kế hoạch")
    sheet.insert_rows(at)
    for column, text in enumerate(["", "Số nhiệm vụ đề ra trong kế hoạch", "Nhiệm vụ", "18", "quý trước"], 1):
        sheet.cell(at, column).value = text or None
    sheet.row_dimensions[at].hidden = True
    book.save(path)
    root, err = imported_as_bundled(capsys, project_factory, bundled, path)
    assert any(line.endswith(f"warning W626: 1 hidden row(s) of sheet '{sheet.title}' are not read: {at}")
               for line in err.splitlines()), err


@pytest.mark.parametrize("before, this, said", [
    ("Quý IV/2022", "Quý I/2023", True), ("Năm 2022", "Quý I năm 2023", True),
    ("Kỳ báo cáo trước", "Kỳ báo cáo này", False)])
def test_columns_captioned_with_their_periods_give_this_periods_figures(capsys, tmp_path, project_factory, bundled,
                                                                       before, this, said):
    """'Quý IV/2022 | Quý I/2023': the import's --period names the column (and the import says so); 'Kỳ báo cáo
    trước' is another period's by its words."""
    path = workbook(tmp_path / "bao-cao.xlsx", ["STT", "Chỉ tiêu thống kê", "Đơn vị tính", before, this, "Ghi chú"],
                    lambda r: [r.number, r.label, r.unit, other_figure(r), r.value, r.note])
    root, err = imported_as_bundled(capsys, project_factory, bundled, path)
    assert (f"import: the figures were read from the column '{this}', which names 2023-q1, not from '{before}'"
            in err.splitlines()) is said


@pytest.mark.parametrize("period, other, this", [
    ("2023-h1", "Quý II/2023", "Lũy kế 6 tháng đầu năm"), ("2023-year", "Quý IV/2023", "Lũy kế cả năm"),
    ("2023-q1", "KH Quý I/2023", "Thực hiện"), ("2023-q1", "Quý I/2023 (ước)", "Quý IV/2022")])
def test_a_caption_naming_the_period_over_other_figures_is_not_taken_for_it(capsys, tmp_path, project_factory,
                                                                           period, other, this):
    """A quarter within the six months ("Quý II" beside "Lũy kế 6 tháng"), the plan's ("KH": kế hoạch) or an
    estimate: the caption names the period, the figures are not its own; the clerk names the column (E617)."""
    path = workbook(tmp_path / "bao-cao.xlsx", ["STT", "Chỉ tiêu thống kê", "Đơn vị tính", other, this, "Ghi chú"],
                    lambda r: [r.number, r.label, r.unit, other_figure(r), r.value, r.note])
    code, err = run_import(capsys, project_factory(), path, "stnmt", period, "--force")
    assert code == 1 and "error E617: more than one column of the appendix could hold this period's figures" in err


def test_two_columns_that_both_name_the_period_still_stop_the_import(capsys, tmp_path, project_factory):
    """'Quý I/2023 (ước tính)' beside 'Quý 1 năm 2023': both name the period, the import cannot tell which to read."""
    path = workbook(tmp_path / "bao-cao.xlsx", ["STT", "Chỉ tiêu thống kê", "Đơn vị tính", "Quý I/2023 (ước tính)",
                                                "Quý 1 năm 2023", "Ghi chú"],
                    lambda r: [r.number, r.label, r.unit, other_figure(r), r.value, r.note])
    code, err = run_import(capsys, project_factory(), path, "stnmt", "2023-q1")
    assert code == 1 and "error E617: more than one column of the appendix could hold this period's figures: " \
        "'Quý I/2023 (ước tính)', 'Quý 1 năm 2023'" in err


def test_value_column_words_match_whole_words_of_a_caption(capsys, tmp_path, project_factory, bundled):
    """--value-column "Quý I" names 'Quý I/2023', not also 'Quý IV/2022' (it had stopped the import, E617)."""
    path = workbook(tmp_path / "bao-cao.xlsx", ["STT", "Chỉ tiêu thống kê", "Đơn vị tính", "Quý IV/2022 (cũ)",
                                                "Quý I/2023 (mới)", "Ghi chú"],
                    lambda r: [r.number, r.label, r.unit, other_figure(r), r.value, r.note])
    root = project_factory()
    code, err = run_import(capsys, root, path, "stnmt", "2023-q1", "--value-column", "Quý I")
    assert code == 0, err
    assert figures(report_of(root, "stnmt", "2023-q1")) == figures(bundled[("stnmt", "2023-q1")])


def test_a_workbook_whose_header_row_is_hidden_says_so_with_no_appendix(capsys, tmp_path, project_factory):
    from openpyxl import load_workbook

    path = workbook(tmp_path / "bao-cao.xlsx", APPENDIX_HEADER, lambda r: [r.number, r.label, r.unit, r.value, r.note])
    book = load_workbook(path)
    book.active.row_dimensions[1].hidden = True
    book.save(path)
    code, err = run_import(capsys, project_factory(), path, "stnmt", "2023-q1")
    assert code == 1 and "error E603" in err
    assert f"warning W626: 1 hidden row(s) of sheet '{book.active.title}' are not read: 1" in err


SIDE_BY_SIDE = ("warning W627: sheet 'Sheet' holds the appendix as 2 tables side by side; each is read below the "
                "one on its left, so messages name from line 1000 the table from column G (line 1005: its row 5)")


def appendix_in_halves() -> tuple[list[list[str]], int, list[str], Workbook]:
    """The 2023-Q1 appendix's rows, where area IV begins, its header, and a workbook with a title row."""
    rows = [[r.number, r.label, r.unit, r.value, r.note] for r in read_appendix_file(REFERENCE)]
    book = Workbook()
    book.active.append(["THỐNG KÊ SỐ LIỆU CCHC QUÝ I NĂM 2023"])
    return rows, next(i for i, row in enumerate(rows) if row[0] == "IV"), \
        ["STT", "Chỉ tiêu thống kê", "Đơn vị tính", "Kết quả", "Ghi chú"], book


def test_an_appendix_laid_out_as_two_tables_side_by_side_is_read_whole_and_said(capsys, tmp_path, project_factory,
                                                                               bundled):
    """Areas I-III in columns A:E and IV-VII in G:K of one sheet, each under its own header: every figure is read,
    and the warning says how its lines name the table on the right (before, 56 rows with no label and 116 rows
    not found were reported, and naming the value column gave the same error again)."""
    rows, half, header, book = appendix_in_halves()
    sheet = book.active
    sheet.append(header + [None] + header)
    for n in range(max(half, len(rows) - half)):
        left = rows[n] if n < half else [None] * 5
        right = rows[half + n] if half + n < len(rows) else [None] * 5
        sheet.append(left + [None] + right)
    # the right-hand table's first item number merged down over its sub-rows, as forms print it: no figure
    assert sheet.cell(4, 7).value == "1" and sheet.cell(5, 7).value in (None, "")
    sheet.merge_cells(start_row=4, start_column=7, end_row=5, end_column=7)
    path = tmp_path / "hai-bang.xlsx"
    book.save(path)
    root, err = imported_as_bundled(capsys, project_factory, bundled, path)
    assert "W628" not in err
    assert f"{path}:2:1: {SIDE_BY_SIDE}" in err.splitlines()


def test_a_figure_in_cells_merged_down_over_two_rows_is_read_for_the_first_and_named(capsys, tmp_path,
                                                                                    project_factory, bundled):
    """Whose figure a cell merged over two rows of the form holds, the sheet does not say: it was read for the first
    row, the second as not reported, without a word. An STT number merged down over its sub-rows is no figure."""
    path = workbook(tmp_path / "bao-cao.xlsx", ["STT", "Chỉ tiêu thống kê", "Đơn vị tính", "Kết quả", "Ghi chú"],
                    lambda r: [r.number, r.label, r.unit, r.value, r.note])
    book = load_workbook(path)
    sheet = book.active
    labels = [sheet.cell(n, 2).value for n in range(1, sheet.max_row + 1)]
    top = labels.index("Số lượng tin, bài viết, phóng sự đã đăng tại Chuyên mục CCHC của Trang Thông tin điện tử "
                       "của đơn vị") + 1
    sheet.cell(top, 4).value, sheet.cell(top + 1, 4).value = 9, None
    sheet.merge_cells(start_row=top, start_column=4, end_row=top + 1, end_column=4)
    sheet.merge_cells(start_row=2, start_column=1, end_row=3, end_column=1)  # the area's number over two rows
    book.save(path)
    root = project_factory()
    code, err = run_import(capsys, root, path, "stnmt", "2023-q1")
    assert code == 0, err
    assert f"{path}:{top}:4: warning W628: 1 figure(s) of sheet 'Sheet' stand in cells merged down over several " \
           f"rows, read for the first row only (the rows below as not reported): D{top}:D{top + 1} (9)" \
           in err.splitlines()


def test_side_tables_headed_on_other_rows_and_the_people_in_charge_beside_them_are_told_apart(
        capsys, tmp_path, project_factory, bundled):
    """The table on the right headed a row lower, and the table of the people in charge beside both: the appendix
    is read whole and the people as the report's contacts (both had stopped the import with E617)."""
    rows, half, header, book = appendix_in_halves()
    sheet = book.active
    for column, caption in enumerate(header, 1):
        sheet.cell(2, column, caption)
        sheet.cell(3, column + 6, caption)
    for n, row in enumerate(rows[:half]):
        for column, value in enumerate(row, 1):
            sheet.cell(3 + n, column, value or None)
    for n, row in enumerate(rows[half:]):
        for column, value in enumerate(row, 7):
            sheet.cell(4 + n, column, value or None)
    for column, caption in enumerate(["STT", "Họ và tên", "Chức vụ", "Điện thoại"], 13):
        sheet.cell(2, column, caption)
    for column, value in enumerate(["1", "Nguyễn Văn A", "Phó Giám đốc Sở", "0299 3820 000"], 13):
        sheet.cell(3, column, value)
    path = tmp_path / "hai-bang-va-nguoi-phu-trach.xlsx"
    book.save(path)
    root, err = imported_as_bundled(capsys, project_factory, bundled, path)
    assert f"{path}:2:1: {SIDE_BY_SIDE}" in err.splitlines()
    assert "Nguyễn Văn A" in (root / "data" / "stnmt" / "2023-q1.yaml").read_text(encoding="utf-8")
