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
