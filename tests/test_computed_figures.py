"""Figures the site computes itself (rates from two counts, medians, ranks) never say more or less than the
departments' figures do: no bound a share does not reach, no rounded median, no order among equals, and no
"not reported" for a figure the department did report."""
from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest

from conftest import make_project, read

NBSP = "\xa0"


@pytest.mark.parametrize("numerator, denominator, expected", [
    (987, 1076, "91.7"),  # one decimal, as the form writes rates
    (50, 100, "50.0"),
    (100, 100, "100.0"),
    (0, 5, "0.0"),
    (9995, 10000, "99.95"),  # rounded to one decimal it would read "100,0 %"
    (999999, 1000000, "99.9999"),
    (1, 100000, "0.001"),  # not "0,0 %": one document of 100 000 was sent so
    (10**20 - 1, 10**20, "99.999999999999"),  # closer to 100 than 12 decimals: cut below it, never onto it
])
def test_a_computed_share_never_shows_a_bound_it_does_not_reach(numerator: int, denominator: int,
                                                                 expected: str) -> None:
    from reformdash.facts.compute import percent_of

    assert str(percent_of(Decimal(numerator), Decimal(denominator))) == expected


def _project(tmp_path: Path) -> Path:
    """The bundled data, with STNMT's quarter I 2023 sent by two more departments: all three with 99,99 % of case
    files on time; STNMT's documents sent electronically (4 164) above its total (1 076), so that no share of them
    is computed; SGDĐT's 999 999 of 1 000 000."""
    root = make_project(tmp_path / "p", with_reports=True)
    source = (root / "data/stnmt/2023-q1.yaml").read_text(encoding="utf-8")
    source = source.replace("case_files_on_time_rate: 100", "case_files_on_time_rate: 99.99")
    assert "case_files_on_time_rate: 99.99" in source
    for department in ("sct", "sgddt"):
        text = source.replace("department: stnmt", f"department: {department}")
        if department == "sgddt":
            text = text.replace("outgoing_documents_total: 1076", "outgoing_documents_total: 1000000").replace(
                "outgoing_documents_fully_electronic: 987", "outgoing_documents_fully_electronic: 999999")
        (root / "data" / department / "2023-q1.yaml").write_text(text, encoding="utf-8")
    stnmt = source.replace("outgoing_documents_fully_electronic: 987", "outgoing_documents_fully_electronic: 4164")
    (root / "data/stnmt/2023-q1.yaml").write_text(stnmt, encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    from reformdash.pipeline import Project, build

    root = _project(tmp_path_factory.mktemp("computed"))
    project = Project.at(root, processes=1)
    result = build(project)
    assert not result.problems.has_errors()
    return project.site_dir


def _ranking(html: str, indicator: str) -> list[tuple[str, str, str]]:
    """(rank, body, figure) of each row of the home page's ranking of an indicator."""
    table = re.search(rf'<a href="chi-tieu/{indicator}/index.html">.*?</h3>\s*<div class="places">\s*<table.*?</table>',
                      html, re.S).group(0)
    rows = re.findall(r"<tr><td[^>]*>(.*?)</td><th scope=\"row\">(.*?)</th><td[^>]*>(.*?)</td></tr>", table, re.S)
    return [(_text(rank), body, _text(cell)) for rank, body, cell in rows]


def _text(fragment: str) -> str:
    """A fragment's text, its spaces made one (a no-break space is kept: it is part of a figure)."""
    return re.sub(r"[ \t\n]+", " ", re.sub(r"<[^>]+>", " ", fragment)).strip()


def test_equal_figures_share_their_rank_and_are_listed_by_name(built: Path) -> None:
    assert _ranking(read(built, "index.html"), "case-files-on-time-rate") == [  # (a screen reader hears "tied")
        ("1 (đồng hạng)", "Sở Công Thương", f"99,99{NBSP}%"),
        ("1 (đồng hạng)", "Sở Giáo dục và Đào tạo", f"99,99{NBSP}%"),
        ("1 (đồng hạng)", "Sở Tài nguyên và Môi trường", f"99,99{NBSP}%"),
    ]


def test_a_median_keeps_the_figures_digits(built: Path) -> None:
    html = read(built, "index.html")
    card = re.search(r'Hồ sơ TTHC giải quyết đúng hạn</p>\s*<p class="kpi-value">(.*?)</p>\s*<p[^>]*>(.*?)</p>', html, re.S)
    assert card is not None, "the on-time card"
    assert _text(card.group(1)) == f"99,99{NBSP}% tính toán"
    assert "Trung vị của 3 đơn vị, Quý I năm 2023" in card.group(2)


def test_a_share_that_cannot_be_computed_is_not_called_not_reported(built: Path) -> None:
    ranking = _ranking(read(built, "index.html"), "outgoing-documents-fully-electronic-rate")
    assert ranking == [
        ("1", "Sở Giáo dục và Đào tạo", f"99,9999{NBSP}% tính toán"),  # 999 999 of 1 000 000: not 100 %
        ("2", "Sở Công Thương", f"91,7{NBSP}% tính toán"),
        ("— không xếp hạng", "Sở Tài nguyên và Môi trường", "Không tính được"),
    ]
    page = read(built, "chi-tieu/outgoing-documents-fully-electronic-rate/index.html")
    trend = re.search(r'aria-label="(Biểu đồ đường[^"]+)"', page).group(1)
    assert f"STNMT: Quý III/2022 91,1{NBSP}%; Quý I/2023 không tính được" in trend
    bars = re.search(r'aria-label="(Biểu đồ cột[^"]+)"', page).group(1)
    assert "STNMT không tính được" in bars and "không báo cáo" not in bars
    assert "“Không tính được”: đơn vị có báo cáo các số liệu để tính tỷ lệ" in page
    assert '>Không tính được</a>' in page
    english = read(built, "en/chi-tieu/outgoing-documents-fully-electronic-rate/index.html")
    assert ">Cannot be computed</a>" in english and "STNMT cannot be computed" in english
    period = read(built, "ky-bao-cao/2023-q1/index.html")
    assert re.search(r'<a href="[^"]*stnmt/2023-q1/index.html#[^"]*" class="empty">Không tính được</a>', period)
