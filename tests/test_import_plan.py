"""`build.py import-plan`: a yearly plan's task table (.docx or text) into data/<department>/plan-<year>.yaml.

The expectation is the bundled data/sgddt/plan-2023.yaml (checked against the
source document by test_plan_reference.py). The .docx and text files are built
here from it, in the layouts plans are typed in: a layout table and narrative
before the task table, a two-row header, group cells merged down their tasks,
task 3's three product rows under one merged task cell, cells over several
lines with "- " items, a code broken at its hyphen. Importing them must give
the same tasks, parts and texts, in the same YAML layout.
"""
from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import yaml
from docx import Document

from conftest import ROOT
from reformdash.cli import main
from reformdash.importers.plan_text import text_plan_document
from reformdash.importers.plan_writer import PlanGroups, cell_text, group_key
from reformdash.pipeline import Project, check

PLAN = ROOT / "data" / "sgddt" / "plan-2023.yaml"
TARGET = Path("data") / "sgddt" / "plan-2023.yaml"
HEADER = ("Nhiệm vụ chung", "Nhiệm vụ cụ thể", "Sản phẩm", "Thời gian thực hiện", "Đơn vị chủ trì", "Đơn vị phối hợp")
NARRATIVE = ("Căn cứ Kế hoạch số 192/KH-UBND ngày 20/12/2022 của Ủy ban nhân dân tỉnh Sóc Trăng về thực hiện "
             "cải cách hành chính (CCHC) năm 2023; Sở GDĐT ban hành Kế hoạch thực hiện CCHC năm 2023 với các "
             "nội dung chủ yếu như sau:")


# --- helpers ------------------------------------------------------------------------

@pytest.fixture(scope="module")
def bundled() -> dict:
    return yaml.safe_load(PLAN.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def bundled_plan():
    return next(p.plan for p in check(Project.at(ROOT)).progress if (p.plan.department, p.plan.year) == ("sgddt", 2023))


@pytest.fixture
def project(project_factory, tmp_path: Path) -> Path:
    overlay = tmp_path / "overlay"
    (overlay / "data" / "sgddt").mkdir(parents=True)
    shutil.copy(ROOT / "data" / "sgddt" / "units.yaml", overlay / "data" / "sgddt" / "units.yaml")
    return project_factory(overlay)


def run_import(capsys, root: Path, file: Path, *extra: str) -> tuple[int, str]:
    code = main(["import-plan", str(file), "--department", "sgddt", "--year", "2023", "--root", str(root), *extra])
    return code, capsys.readouterr().err


def wrapped(text: str) -> list[str]:
    """A text as a typist's cell shows it: its "- " items on lines of their own, long lines
    broken at a space (never before a "-"), a code broken after its hyphen ("TTLT-" / "BTC")."""
    lines = []
    for item in text.split("\n"):
        if "TTLT-BTC" in item:
            head, tail = item.split("TTLT-", 1)
            lines += [head + "TTLT-", tail]
            continue
        while len(item) > 70:
            spaces = [m.start() for m in re.finditer(" ", item) if 30 <= m.start() <= 70
                      and item[m.start() + 1] not in "-–+•"]
            if not spaces:
                break
            lines.append(item[:spaces[-1]])
            item = item[spaces[-1] + 1:]
        lines.append(item)
    return lines


def table_rows(plan: dict) -> list[tuple[dict, int, dict]]:
    """(task, part index, part) per product row, in order."""
    return [(task, index, part) for task in plan["tasks"] for index, part in enumerate(task["parts"])]


def set_cell(cell, text: str, by_paragraph: bool) -> None:
    """Write the wrapped lines into a cell: "- " items as paragraphs, other breaks as
    line breaks (w:br) or paragraphs, alternately."""
    lines = wrapped(text)
    paragraph = cell.paragraphs[0]
    for index, line in enumerate(lines):
        if index and (line.startswith("- ") or by_paragraph):
            paragraph = cell.add_paragraph()
        elif index:
            paragraph.add_run().add_break()
        paragraph.add_run(line)


def plan_docx(path: Path, plan: dict, change=None) -> Path:
    """The plan as a .docx: layout table, title, narrative, another table, then the task table."""
    document = Document()
    layout = document.add_table(rows=2, cols=2)
    layout.cell(0, 0).text = "SỞ GIÁO DỤC VÀ ĐÀO TẠO"
    layout.cell(0, 1).text = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc"
    layout.cell(1, 0).text = "Số:              /KH-SGDĐT"
    layout.cell(1, 1).text = "Sóc Trăng, ngày         tháng 12 năm 2022"
    document.add_paragraph("KẾ HOẠCH")
    document.add_paragraph(plan["title"])
    document.add_paragraph(NARRATIVE)
    other = document.add_table(rows=2, cols=3)  # names some plan columns, not all: not the plan table
    for column, text in enumerate(("STT", "Nhiệm vụ", "Sản phẩm")):
        other.cell(0, column).text = text
    for column, text in enumerate(("1", "Cải cách thể chế", "Báo cáo")):
        other.cell(1, column).text = text
    document.add_paragraph("II. CÁC NHIỆM VỤ CẢI CÁCH HÀNH CHÍNH")

    rows = table_rows(plan)
    table = document.add_table(rows=2 + len(rows), cols=6)
    for column in range(4):  # two header rows: "Đơn vị thực hiện" over "Chủ trì" and "Phối hợp"
        table.cell(0, column).merge(table.cell(1, column)).text = HEADER[column]
    table.cell(0, 4).merge(table.cell(0, 5)).text = "Đơn vị thực hiện"
    table.cell(1, 4).text, table.cell(1, 5).text = "Chủ trì", "Phối hợp"
    first_of_group: dict[str, int] = {}
    for offset, (task, index, part) in enumerate(rows):
        row = 2 + offset
        first_of_group.setdefault(task["group"], row)
        values = {2: part["product"], 3: part["time_frame"], 4: part["lead"], 5: part["partners"]}
        if change:
            values = change(task, index, values)
        for column, text in values.items():
            set_cell(table.cell(row, column), text, by_paragraph=row % 2 == 0)
        if index == 0:
            last = row + len(task["parts"]) - 1
            cell = table.cell(row, 1).merge(table.cell(last, 1)) if last > row else table.cell(row, 1)
            set_cell(cell, f"{task['number']}. {task['task']}", by_paragraph=row % 3 == 0)
    groups = list(first_of_group.items())
    for position, (group, row) in enumerate(groups):
        last = groups[position + 1][1] - 1 if position + 1 < len(groups) else 1 + len(rows)
        set_cell(table.cell(row, 0).merge(table.cell(last, 0)), group, by_paragraph=False)
    for text in ("Nơi nhận:", "- Như trên;", "- Lưu: VT, TCCB.", "GIÁM ĐỐC", "Châu Tuấn Hồng"):
        document.add_paragraph(text)
    document.save(str(path))
    return path


def _tsv(text: str) -> str:
    return '"' + text.replace('"', '""') + '"' if "\n" in text or "\t" in text or text.startswith('"') else text


def plan_tsv(path: Path, plan: dict, change=None) -> Path:
    """The plan as a spreadsheet's tab-separated export: merged cells written in their first row."""
    lines = ["SỞ GIÁO DỤC VÀ ĐÀO TẠO", "Số:              /KH-SGDĐT", "", "KẾ HOẠCH", plan["title"], "", NARRATIVE, "",
             "\t".join(HEADER), "\t".join(f"({n})" for n in range(1, 7))]
    group = None
    for task, index, part in table_rows(plan):
        values = {2: part["product"], 3: part["time_frame"], 4: part["lead"], 5: part["partners"]}
        if change:
            values = change(task, index, values)
        cells = [task["group"] if task["group"] != group else "",
                 f"{task['number']}. {task['task']}" if index == 0 else ""] + [values[c] for c in range(2, 6)]
        group = task["group"]
        lines.append("\t".join(_tsv("\n".join(wrapped(c))) for c in cells))
    lines += ["", "GIÁM ĐỐC", "", "Châu Tuấn Hồng", ""]
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def tasks_block(text: str) -> list[str]:
    """The lines from 'tasks:' on, without the hand annotations of the bundled file."""
    lines = text.split("\ntasks:\n", 1)[1].splitlines()
    out = []
    for line in lines:
        if line.lstrip().startswith("#"):
            line = re.sub(r'^(\s*# [IVX]+\. ".*?")( .*)$', r"\1", line)
        else:
            line = re.sub(r"\s+#.*$", "", line)
        out.append(line)
    return out


def plan_facts(plan) -> list:
    return [(t.number, t.area, t.group, t.task,
             [(p.key, p.product, p.time_frame, p.lead, p.lead_units, p.partners, p.partner_units) for p in t.parts])
            for t in plan.tasks]


def imported_plan(root: Path):
    return next(p.plan for p in check(Project.at(root)).progress if (p.plan.department, p.plan.year) == ("sgddt", 2023))


# --- the bundled plan, round trip -----------------------------------------------------

@pytest.mark.parametrize("kind", ["docx", "tsv"])
def test_import_gives_the_bundled_plan(kind, project, tmp_path, capsys, bundled, bundled_plan) -> None:
    source = (plan_docx if kind == "docx" else plan_tsv)(tmp_path / f"ke-hoach.{kind}", bundled)
    code, err = run_import(capsys, project, source)
    assert code == 0, err
    assert "wrote data/sgddt/plan-2023.yaml: 36 tasks, 38 product rows" in err
    assert "0 error(s), 0 warning(s)" in err
    written = (project / TARGET).read_text(encoding="utf-8")
    parsed = yaml.safe_load(written)
    assert parsed["tasks"] == bundled["tasks"]
    assert {k: v for k, v in parsed.items() if k != "source"} == {k: v for k, v in bundled.items() if k != "source"}
    assert parsed["source"] == f"ke-hoach.{kind}"
    # the same layout: quoted strings, a comment with the area and group before each group
    assert tasks_block(written) == tasks_block(PLAN.read_text(encoding="utf-8"))
    # and the same Plan once checked: keys, deadlines, units
    assert plan_facts(imported_plan(project)) == plan_facts(bundled_plan)


def test_docx_table_is_read_on_its_grid(tmp_path, bundled) -> None:
    """Task 3's merged task cell, the merged group cells, line breaks and paragraphs in a cell."""
    from reformdash.importers.plan_docx import read_plan_docx
    from reformdash.importers.plan_writer import find_plan_table

    table = find_plan_table(read_plan_docx(plan_docx(tmp_path / "plan.docx", bundled)))
    assert table is not None and len(table.header) == 2 and len(table.rows) == 38
    assert table.roles == {"product": 2, "time_frame": 3, "lead": 4, "partners": 5, "task": 1, "group": 0}
    task3 = [cells for _, cells in table.rows if cells[1].startswith("3. ")]
    assert len(task3) == 3 and len({cells[1] for cells in task3}) == 1
    assert [line for line, _ in table.rows][:3] == [3, 4, 5]  # table rows, counted with the header
    assert "KẾ HOẠCH" in table.before and table.after[-1] == "Châu Tuấn Hồng"


# --- failures ---------------------------------------------------------------------------

def test_unknown_group_is_an_error_with_its_row(project, tmp_path, capsys, bundled) -> None:
    changed = {**bundled, "tasks": [dict(t, group="Công tác thi đua, khen thưởng") if t["area"] == "II" else t
                                    for t in bundled["tasks"]]}
    source = plan_tsv(tmp_path / "plan.tsv", changed)
    row = next(n for n, line in enumerate(source.read_text(encoding="utf-8").splitlines(), 1)
               if line.startswith("Công tác thi đua"))
    code, err = run_import(capsys, project, source)
    assert code == 1
    assert (f"plan.tsv:{row}:1: error E604: line {row}: the group (Nhiệm vụ chung) "
            "'Công tác thi đua, khen thưởng' is not a known plan group") in err
    assert "known groups: I: “Công tác chỉ đạo, điều hành”" in err and "II: “Cải cách thể chế”" in err
    assert "nothing was written" in err
    assert not (project / TARGET).exists()


def test_unknown_group_in_docx_names_the_table_row(project, tmp_path, capsys, bundled) -> None:
    changed = {**bundled, "tasks": [dict(t, group="Công tác thi đua, khen thưởng") if t["area"] == "VI" else t
                                    for t in bundled["tasks"]]}
    code, err = run_import(capsys, project, plan_docx(tmp_path / "plan.docx", changed))
    row = 2 + next(i for i, (task, _, _) in enumerate(table_rows(bundled), 1) if task["area"] == "VI")
    assert code == 1
    assert f"plan.docx:{row}:1: error E604: table row {row}:" in err
    assert not (project / TARGET).exists()


def test_unreadable_time_frame_is_the_validators_e501(project, tmp_path, capsys, bundled) -> None:
    def change(task, index, values):
        return {**values, 3: "Sớm nhất có thể"} if task["number"] == "5" else values

    code, err = run_import(capsys, project, plan_docx(tmp_path / "plan.docx", bundled, change))
    assert code == 1
    written = (project / TARGET).read_text(encoding="utf-8").splitlines()
    line = next(n for n, text in enumerate(written, 1) if text == '        time_frame: "Sớm nhất có thể"')
    assert re.search(rf"^data/sgddt/plan-2023\.yaml:{line}:\d+: error E501: task 5: cannot read the time frame "
                     r"'Sớm nhất có thể'$", err, re.MULTILINE), err
    assert "was written but does not pass the check" in err


def test_existing_file_is_not_replaced_without_force(project, tmp_path, capsys, bundled) -> None:
    target = project / TARGET
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text("# the clerk's own file\n", encoding="utf-8")
    source = plan_tsv(tmp_path / "plan.tsv", bundled)
    code, err = run_import(capsys, project, source)
    assert code == 1 and "exists; nothing was written (use --force to replace it)" in err
    assert target.read_text(encoding="utf-8") == "# the clerk's own file\n"
    code, err = run_import(capsys, project, source, "--force")
    assert code == 0, err
    assert yaml.safe_load(target.read_text(encoding="utf-8"))["tasks"] == bundled["tasks"]
    assert sorted(p.name for p in target.parent.iterdir()) == ["plan-2023.yaml", "units.yaml"]  # no temp file left


def test_no_plan_table_and_bad_arguments(project, tmp_path, capsys) -> None:
    source = tmp_path / "plan.txt"
    source.write_text("KẾ HOẠCH\nSTT\tNhiệm vụ\tSản phẩm\n1\tx\ty\n", encoding="utf-8")
    code, err = run_import(capsys, project, source)
    assert code == 1 and "E603" in err and "no plan table found" in err
    code = main(["import-plan", str(source), "--department", "sgdt", "--year", "2023", "--root", str(project)])
    assert code == 2 and "did you mean 'sgddt'?" in capsys.readouterr().err
    code = main(["import-plan", str(source), "--department", "sgddt", "--year", "23", "--root", str(project)])
    assert code == 2
    assert not (project / TARGET).exists()


# --- the parts --------------------------------------------------------------------------

def test_cell_text_keeps_every_word() -> None:
    assert cell_text("Lập kế  hoạch\nCCHC năm 2023.") == "Lập kế hoạch CCHC năm 2023."
    assert cell_text("- Báo cáo kết quả\nthực hiện;\n\n- Danh sách.") == "- Báo cáo kết quả thực hiện;\n- Danh sách."
    assert cell_text("Gồm:\n- a;\n- b") == "Gồm:\n- a;\n- b"
    assert cell_text("Thông tư liên tịch số 71/2014/TTLT-\nBTC-BNV") == "Thông tư liên tịch số 71/2014/TTLT-BTC-BNV"
    assert cell_text("Phòng Kế hoạch -\nTài chính") == "Phòng Kế hoạch - Tài chính"


def test_groups_are_read_by_meaning() -> None:
    groups = PlanGroups({"Công tác chỉ đạo, điều hành": "I", "Cải cách thể chế": "II",
                         "Cải cách thủ tục hành chính": "III"})
    assert group_key("I. CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH") == "cong tac chi dao dieu hanh"
    assert groups.area_of("I. CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH") == "I"
    assert groups.area_of("Công tác chỉ đạo, điều hành CCHC") == "I"
    assert groups.area_of("2. Cải cách thể chế") == "II"
    assert groups.area_of("Cải cách thủ tục hành chính (TTHC)") == "III"
    assert groups.area_of("Chỉ đạo, điều hành") == "I"
    assert groups.area_of("Cải cách") is None  # several areas fit
    assert groups.area_of("Công tác chỉ đạo, điều hành cải cách thể chế") is None
    assert groups.area_of("Công tác thi đua") is None


def test_text_export_cells_in_quotes() -> None:
    document = text_plan_document('KẾ HOẠCH\n"a\n- b"\t"x ""y"""\tz\n"Ngày hội" CCHC\tq\n')
    assert document.blocks[0] == "KẾ HOẠCH"
    assert document.blocks[1].rows == ((2, ("a\n- b", 'x "y"', "z")), (4, ('"Ngày hội" CCHC', "q")))


def test_docx_variants(tmp_path) -> None:
    """One header row with STT, groups typed on every row with their numeral, Word's own
    bullets, a lead merged over a task's product rows, the table continued after a page break."""
    from reformdash.importers.plan_docx import read_plan_docx
    from reformdash.importers.plan_writer import find_plan_table, read_plan_rows
    from reformdash.problems import Collector

    document = Document()
    table = document.add_table(rows=3, cols=7)
    for column, text in enumerate(("STT",) + HEADER):
        table.cell(0, column).text = text
    for row, (number, task, product, frame) in enumerate((("1", "Lập kế hoạch", None, "Quý I/2023"),
                                                          ("", "", "Báo cáo quý", "Hàng quý")), 1):
        table.cell(row, 0).text, table.cell(row, 1).text = number, "I. CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH"
        table.cell(row, 2).text, table.cell(row, 4).text = task, frame
        if product is None:
            cell = table.cell(row, 3)
            cell.paragraphs[0].add_run("Gồm:")
            cell.add_paragraph("Kế hoạch;", style="List Bullet")
            cell.add_paragraph("Báo cáo.", style="List Bullet")
        else:
            table.cell(row, 3).text = product
    table.cell(1, 5).merge(table.cell(2, 5)).text = "Văn phòng"
    document.add_paragraph("")
    later = document.add_table(rows=1, cols=7)
    for column, text in enumerate(("2", "II. CẢI CÁCH THỂ CHẾ", "Rà soát văn bản", "Báo cáo", "Tháng 12/2023",
                                   "Văn phòng", "Các phòng CM, NV")):
        later.cell(0, column).text = text
    path = tmp_path / "plan.docx"
    document.save(str(path))

    found = find_plan_table(read_plan_docx(path))
    problems = Collector()
    groups = PlanGroups({"Công tác chỉ đạo, điều hành": "I", "Cải cách thể chế": "II"})
    tasks = read_plan_rows(found, groups, "plan.docx", "table row", problems)
    assert problems.problems == []
    assert [(t.number, t.area, t.group, t.task, t.line) for t in tasks] == [
        ("1", "I", "I. CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH", "Lập kế hoạch", 2),
        ("2", "II", "II. CẢI CÁCH THỂ CHẾ", "Rà soát văn bản", 4)]
    assert [(p.product, p.time_frame, p.lead, p.partners, p.line) for p in tasks[0].parts] == [
        ("Gồm:\n- Kế hoạch;\n- Báo cáo.", "Quý I/2023", "Văn phòng", "", 2),
        ("Báo cáo quý", "Hàng quý", "Văn phòng", "", 3)]


def test_document_details_are_read_where_printed(project, tmp_path, capsys, bundled) -> None:
    source = plan_tsv(tmp_path / "plan.tsv", bundled)
    text = source.read_text(encoding="utf-8").replace("Số:              /KH-SGDĐT",
                                                      "Số: 2950/KH-SGDĐT\nSóc Trăng, ngày 26 tháng 12 năm 2022")
    source.write_text(text.replace(NARRATIVE, NARRATIVE + " Căn cứ Quyết định ngày 13 tháng 12 năm 2021;"),
                      encoding="utf-8")
    code, err = run_import(capsys, project, source)
    assert code == 0, err
    parsed = yaml.safe_load((project / TARGET).read_text(encoding="utf-8"))
    assert (parsed["number"], parsed["date"], parsed["signer"]) == ("2950/KH-SGDĐT", "26 tháng 12 năm 2022",
                                                                    "Châu Tuấn Hồng")


def test_a_title_written_in_the_headings_paragraph_is_read(project, tmp_path, capsys, bundled) -> None:
    """'KẾ HOẠCH Thực hiện cải cách hành chính năm 2023' as one paragraph: the title was 'not found' (and its
    `title: ~  # not found` line drew a W114 of the import's own making)."""
    source = plan_tsv(tmp_path / "plan.tsv", bundled)
    text = source.read_text(encoding="utf-8")
    assert "\nKẾ HOẠCH\n" in text
    source.write_text(text.replace("\nKẾ HOẠCH\n", "\nKẾ HOẠCH ", 1), encoding="utf-8")
    code, err = run_import(capsys, project, source)
    assert code == 0 and "W114" not in err, err
    parsed = yaml.safe_load((project / TARGET).read_text(encoding="utf-8"))
    assert parsed["title"] == bundled["title"]
