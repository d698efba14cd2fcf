"""What a document's words say about whose and which period's report it is: a sheet's name, a column's caption,
a report's title, a plan's title. Each warns only on what the words really say (W320, W321, W624)."""
from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from conftest import ROOT


@pytest.fixture(scope="module")
def catalogue():
    from reformdash.inputs.catalogue import load_catalogue
    from reformdash.problems import Collector

    return load_catalogue(ROOT / "data", ROOT, Collector())


@pytest.mark.parametrize("name, other", [
    ("Quý IV-2022", True), ("QI/2022", True), ("Năm 2022", True), ("6 tháng 2023", True), ("Cùng kỳ 2022", True),
    ("Quý 1 năm 2023", False),  # (it holds the label "Năm 2023": the words say which part of that year)
    ("Quý I năm 2023", False), ("QI/2023", False), ("Phụ lục 2", False), ("Tổng hợp", False), ("2023", False),
    ("Kết quả 3 tháng đầu năm 2023", False),
    ("Số liệu từ 15/12/2022 đến 14/3/2023", False),  # the province's cut-off: from December of the year before
])
def test_a_sheet_or_caption_names_another_period_only_when_it_says_so(catalogue, name: str, other: bool) -> None:
    from reformdash.inputs.period_named import names_another_period

    assert names_another_period(name, catalogue.periods["2023-q1"], catalogue) is other


@pytest.mark.parametrize("title, expected", [
    ("Báo cáo kết quả CCHC quý I năm 2023 của Sở Nội vụ", "its title names Sở Nội vụ (snv): "
     "'Báo cáo kết quả CCHC quý I năm 2023 của Sở Nội vụ'"),
    # a body cited as the author of the guidance the report answers is not the one reporting
    ("Báo cáo tình hình, kết quả thực hiện CCHC quý I năm 2023 (theo Công văn số 256/SNV-CCHC ngày 10/3/2023 "
     "của Sở Nội vụ)", ""),
    ("Báo cáo kết quả CCHC quý I năm 2023 theo Công văn số 256/SNV-CCHC ngày 10/3/2023 của Sở Nội vụ", ""),
    ("Báo cáo kết quả CCHC quý I năm 2023 của Sở Công Thương theo hướng dẫn của Sở Nội vụ", ""),
    ("Báo cáo kết quả CCHC quý I năm 2023", ""),
])
def test_a_title_names_another_body_only_as_the_one_reporting(catalogue, title: str, expected: str) -> None:
    from reformdash.inputs.period_named import other_body
    from reformdash.model import DocumentInfo

    assert other_body(DocumentInfo(title=title), "sct", catalogue) == expected


def test_a_plan_title_citing_a_document_of_the_year_before_is_this_years_plan(tmp_path: Path, catalogue) -> None:
    """Plans are issued in December for the next year, citing the province's plan by its date: the date's year is
    not the plan's."""
    from conftest import make_project
    from reformdash.inputs.plans import validate_plan
    from reformdash.problems import Collector

    root = make_project(tmp_path / "p")
    plan = (ROOT / "data/sgddt/plan-2023.yaml").read_text(encoding="utf-8")
    found = {}
    for title in ("Thực hiện Kế hoạch số 192/KH-UBND ngày 20 tháng 12 năm 2022 của UBND tỉnh về cải cách hành chính "
                  "năm 2023", "Cải cách hành chính năm 2024"):
        path = root / "data/sgddt/plan-2023.yaml"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(plan.replace('title: "Thực hiện cải cách hành chính năm 2023"', f'title: "{title}"'),
                        encoding="utf-8")
        problems = Collector()
        validate_plan(path, root, catalogue, problems)
        found[title] = [p.message for p in problems.problems if p.code == "W321"]
    assert list(found.values()) == [[], ["the plan of 2023 looks like another year's: its title says năm 2024: "
                                         "'Cải cách hành chính năm 2024'"]]


@pytest.mark.parametrize("done, total, expected", [(1999, 2000, "99.95"), (1, 20001, "0.005"), (3, 4, "75.0"),
                                                   (4, 4, "100.0")])
def test_a_plans_share_of_parts_done_never_shows_a_bound_it_does_not_reach(done: int, total: int,
                                                                           expected: str) -> None:
    from reformdash.facts.progress import Share

    share = Share(done=done, total=total)
    assert share.percent == Decimal(expected) and str(share.percent) == expected
