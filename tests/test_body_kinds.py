"""Kinds of reporting body are data (data/catalogue/body-kinds.yaml): since 1 July 2025 a province's communes and
wards report beside its departments, and a body of a kind the catalogue does not list is refused by name."""
from __future__ import annotations

import re
from pathlib import Path

from conftest import ROOT, make_project, read
from reformdash.pipeline import BuildFailed, Project, build, check

COMMUNE = """
- id: xa-an-ninh
  name_vi: UBND xã An Ninh
  name_en: An Ninh Commune People's Committee
  short_name: Xã An Ninh
  kind: commune
  valid_from: 2025-07-01
"""


def _commune_project(tmp_path: Path, kind: str = "commune") -> Path:
    root = make_project(tmp_path / "p")
    with (root / "data" / "departments.yaml").open("a", encoding="utf-8") as out:
        out.write(COMMUNE.replace("kind: commune", f"kind: {kind}"))
    report = (ROOT / "data" / "stnmt" / "2023-q1.yaml").read_text(encoding="utf-8")
    report = report.replace("department: stnmt", "department: xa-an-ninh").replace("period: 2023-q1", "period: 2025-q3")
    (root / "data" / "xa-an-ninh").mkdir()
    (root / "data" / "xa-an-ninh" / "2025-q3.yaml").write_text(report, encoding="utf-8")
    return root


def test_a_commune_reports_after_the_reorganisation_and_its_pages_name_its_kind(tmp_path):
    root = _commune_project(tmp_path)
    result = build(Project.at(root))
    assert not result.problems.errors
    site = root / "site"
    assert re.search(r"<dt>Loại</dt><dd>UBND cấp xã</dd>", read(site, "xa-an-ninh/index.html"))
    assert "Commune or ward People&#39;s Committee" in read(site, "en/xa-an-ninh/index.html")
    assert "Xã An Ninh · UBND cấp xã · 1 báo cáo" in read(site, "don-vi/index.html")
    rows = (site / "du-lieu" / "don-vi.csv").read_text(encoding="utf-8-sig").splitlines()
    assert any(row.startswith("xa-an-ninh,UBND xã An Ninh,") and ",commune," in row for row in rows)


def test_a_kind_the_catalogue_does_not_list_is_refused_with_the_kinds_it_does(tmp_path):
    root = _commune_project(tmp_path, kind="phuong")
    try:
        check(Project.at(root))
    except BuildFailed as failure:
        found = [p for p in failure.problems if p.code == "E403"]
    else:
        raise AssertionError("an unknown kind of body was accepted")
    assert [(p.message, p.hint) for p in found] == [
        ("department 'xa-an-ninh' has unknown kind 'phuong'",
         "one of: department, district, commune (data/catalogue/body-kinds.yaml)")]
    assert found[0].origin.file == "data/departments.yaml"


def test_departments_and_communes_are_ranked_apart(tmp_path):
    """A commune's figure and a department's are not compared in one ranking: one table each, named by kind."""
    root = _commune_project(tmp_path)
    report = (root / "data" / "xa-an-ninh" / "2025-q3.yaml").read_text(encoding="utf-8")
    (root / "data" / "snnmt").mkdir()
    (root / "data" / "snnmt" / "2025-q3.yaml").write_text(report.replace("department: xa-an-ninh",
                                                                         "department: snnmt"), encoding="utf-8")
    build(Project.at(root))
    html = read(root / "site", "index.html")
    headings = re.findall(r'<h3 id="ranking-\d+"><a href="[^"]*">([^<]*)</a></h3>', html)
    assert headings[:2] == ["Hoàn thành kế hoạch CCHC: Sở, ban, ngành", "Hoàn thành kế hoạch CCHC: UBND cấp xã"]
    assert len(headings) % 2 == 0 and all(h.endswith(("Sở, ban, ngành", "UBND cấp xã")) for h in headings)


def test_two_bodies_that_name_each_other_as_predecessor_and_successor_are_refused(tmp_path):
    root = make_project(tmp_path / "p")
    with (root / "data" / "departments.yaml").open("a", encoding="utf-8") as out:
        for this, other in (("xa-a", "xa-b"), ("xa-b", "xa-a")):
            out.write(COMMUNE.replace("xa-an-ninh", this) + f"  predecessors: [{other}]\n  successors: [{other}]\n")
    try:
        check(Project.at(root))
    except BuildFailed as failure:
        found = [(p.message, p.hint) for p in failure.problems if p.code == "E405"]
    else:
        raise AssertionError("a history that runs both ways was accepted")
    assert found == [(f"department '{this}' names '{other}' both as its predecessor and as its successor",
                      "a body is replaced by another once: keep one of the two links")
                     for this, other in (("xa-a", "xa-b"), ("xa-b", "xa-a"))]


def test_an_older_body_that_absorbs_a_younger_one_is_a_valid_history(tmp_path):
    """Sở KH&CN (since 2004) took in Sở TT&TT (since 2008) and kept its ID: a predecessor may begin after its
    successor began; only one that begins after its successor ended cannot be."""
    root = make_project(tmp_path / "p")
    departments = root / "data" / "departments.yaml"
    text = departments.read_text(encoding="utf-8")
    assert "  short_name: SKHCN\n  kind: department\n" in text and "  successors: [skhcn]\n" in text
    text = text.replace("  short_name: SKHCN\n  kind: department\n",
                        "  short_name: SKHCN\n  kind: department\n  valid_from: 2004-01-01\n", 1)
    departments.write_text(text.replace("  successors: [skhcn]\n", "  successors: [skhcn]\n  valid_from: 2008-04-01\n",
                                        1), encoding="utf-8")
    assert not [p for p in check(Project.at(root)).problems.problems if p.code in ("E405", "E406")]


def test_communes_merged_in_2025_are_asked_for_no_report_before_they_reported_to_the_province(tmp_path):
    """Two communes merged into one on 1 July 2025, entered as its predecessors: before that day they reported to
    their district, so no period before it lists them as not sent (`status`, `forms`), and the new one is asked for
    2025-q3 on."""
    from reformdash.collection import collection
    from reformdash.facts.summary import expected_to_report

    root = _commune_project(tmp_path)
    with (root / "data" / "departments.yaml").open("a", encoding="utf-8") as out:
        out.write("".join(f"""
- id: xa-{old}
  name_vi: UBND xã {old.title()}
  name_en: {old.title()} Commune People's Committee
  short_name: Xã {old.title()}
  kind: commune
  valid_until: 2025-06-30
  successors: [xa-an-ninh]
""" for old in ("an-hoa", "ninh-thoi")))
    departments = root / "data" / "departments.yaml"
    departments.write_text(departments.read_text(encoding="utf-8").replace(
        "  valid_from: 2025-07-01\n", "  valid_from: 2025-07-01\n  predecessors: [xa-an-hoa, xa-ninh-thoi]\n", 1),
        encoding="utf-8")
    result = check(Project.at(root))
    assert not result.problems.errors, [p.format() for p in result.problems.errors]
    periods, bodies = result.catalogue.periods, result.catalogue.departments
    communes = ("xa-an-hoa", "xa-ninh-thoi", "xa-an-ninh")
    assert {pid: [c for c in communes if expected_to_report(bodies[c], periods[pid])]
            for pid in ("2024-q1", "2025-h1", "2025-q3", "2025-year")} == {
        "2024-q1": [], "2025-h1": [], "2025-q3": ["xa-an-ninh"], "2025-year": ["xa-an-ninh"]}
    found = collection(Project.at(root), result.catalogue, result.problems.problems, periods["2024-q1"])
    assert not any(row.department.startswith("xa-") for row in found.expected)


def test_status_says_a_commune_reported_to_its_district_before_july_2025(tmp_path):
    """A commune's report for 2024 is not asked for: `status` said the commune 'did not exist then'."""
    from reformdash.collection import collection
    from reformdash.commands.status import status_lines

    root = _commune_project(tmp_path)
    departments = root / "data" / "departments.yaml"
    departments.write_text(departments.read_text(encoding="utf-8").replace("  valid_from: 2025-07-01\n",
                                                                           "  valid_from: 2020-01-01\n"),
                           encoding="utf-8")
    report = root / "data" / "xa-an-ninh" / "2025-q3.yaml"
    (root / "data" / "xa-an-ninh" / "2024-year.yaml").write_text(
        report.read_text(encoding="utf-8").replace("period: 2025-q3", "period: 2024-year"), encoding="utf-8")
    result = check(Project.at(root))
    found = collection(Project.at(root), result.catalogue, result.problems.problems, result.catalogue.periods["2024-year"])
    [line] = [line for line in status_lines(found) if line.startswith("not expected:")]
    assert line.startswith("not expected: data/xa-an-ninh/2024-year.yaml (UBND xã An Ninh reported to its district "
                           "then, not to the province): ")
