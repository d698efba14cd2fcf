"""Hostile text in data and content is shown as text: never run, never a template, never a link."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from reformdash.pipeline import Project, build
from reformdash.problems import BuildFailed, Severity

ATTACKS = [
    '<script>alert("x")</script>',
    '<img src=x onerror="alert(1)">',
    "{{ 7 * 7 }}",
    "{% for x in range(3) %}loop{% endfor %}",
    '"><svg onload=alert(1)>',
]


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory) -> Path:
    from conftest import make_project

    root = make_project(tmp_path_factory.mktemp("hostile") / "p", with_reports=True)
    report = root / "data" / "stnmt" / "2023-q1.yaml"
    text = report.read_text(encoding="utf-8")
    note = " | ".join(ATTACKS).replace('"', '\\"')
    text = text.replace('note: "Đang triển khai thực hiện kế hoạch"', f'note: "{note}"')
    text = text.replace('title: "Tình hình', 'title: "{{ config }} <b>Tình hình')
    report.write_text(text, encoding="utf-8")
    departments = root / "data" / "departments.yaml"
    departments.write_text(departments.read_text(encoding="utf-8").replace(
        "name_vi: Sở Tài nguyên và Môi trường", 'name_vi: "Sở <script>alert(2)</script> {{ 6 * 7 }}"'),
        encoding="utf-8")
    narrative = root / "content" / "stnmt" / "2023-q1.md"
    narrative.write_text(narrative.read_text(encoding="utf-8") + "\n\n" + "\n\n".join([
        "<script>alert(3)</script>",
        '<div onclick="alert(4)">khối HTML</div>',
        "[bấm vào đây](javascript:alert(5)) và [dữ liệu](data:text/html,<script>alert(6)</script>)",
        "![ảnh](javascript:alert(7))",
        "{{ 8 * 8 }} {% raw %}",
    ]), encoding="utf-8")
    build(Project.at(root))
    return root / "site"


def all_html(site: Path) -> str:
    return "\n".join(p.read_text(encoding="utf-8") for p in site.rglob("*.html"))


def test_no_script_but_the_sites_own(hostile_site: Path) -> None:
    html = all_html(hostile_site)
    scripts = re.findall(r"<script[^>]*>", html)
    assert scripts and all(re.fullmatch(r'<script src="(\.\./)+assets/js/(sort|search)\.js" defer>', s) for s in scripts)
    assert not re.search(r"<[^>]+\son\w+\s*=", html)  # no event-handler attribute anywhere
    assert not re.search(r'(href|src)="\s*(javascript|data):', html)


def test_hostile_text_is_shown_as_text(hostile_site: Path) -> None:
    report = (hostile_site / "stnmt" / "2023-q1" / "index.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in report
    assert "&lt;img src=x onerror=&#34;alert(1)&#34;&gt;" in report
    assert "&lt;script&gt;alert(3)&lt;/script&gt;" in report  # raw HTML in Markdown is escaped
    assert "&lt;div onclick=&#34;alert(4)&#34;&gt;khối HTML&lt;/div&gt;" in report or \
        "&lt;div onclick=\"alert(4)\"&gt;khối HTML&lt;/div&gt;" in report
    assert "Sở &lt;script&gt;alert(2)&lt;/script&gt;" in report


def test_template_syntax_in_data_is_never_evaluated(hostile_site: Path) -> None:
    report = (hostile_site / "stnmt" / "2023-q1" / "index.html").read_text(encoding="utf-8")
    assert "{{ 7 * 7 }}" in report
    assert "{% for x in range(3) %}loop{% endfor %}" in report
    assert "{{ 6 * 7 }}" in report and "{{ 8 * 8 }}" in report and "{{ config }}" in report
    assert "looploop" not in report


def test_unsafe_links_in_markdown_lose_their_target(hostile_site: Path) -> None:
    report = (hostile_site / "stnmt" / "2023-q1" / "index.html").read_text(encoding="utf-8")
    assert "<a>bấm vào đây</a>" in report and "<a>dữ liệu</a>" in report
    assert 'alt="ảnh"' in report and "javascript:alert(7)" not in report


@pytest.mark.parametrize("field, value, code", [
    ("id", "../../x", "E218"),
    ("id", "/etc/passwd", "E218"),
    ("id", "sở tnmt", "E218"),
])
def test_unsafe_ids_are_rejected_and_nothing_is_written(project_factory, field, value, code) -> None:
    root = project_factory(with_reports=True)
    build(Project.at(root))
    before = {p: p.read_bytes() for p in (root / "site").rglob("*") if p.is_file()}
    departments = root / "data" / "departments.yaml"
    departments.write_text(departments.read_text(encoding="utf-8").replace("- id: snv", f'- {field}: "{value}"'),
                           encoding="utf-8")
    with pytest.raises(BuildFailed) as failure:
        build(Project.at(root))
    errors = [p for p in failure.value.problems if p.severity is Severity.ERROR]  # (the reports' warnings besides)
    assert [p.code for p in errors] == [code]
    assert errors[0].origin.file == "data/departments.yaml"
    assert {p: p.read_bytes() for p in (root / "site").rglob("*") if p.is_file()} == before
    assert not (root.parent / "x").exists()


def test_output_paths_cannot_leave_the_site(tmp_path) -> None:
    from reformdash.output.write import OutputFile, write_site

    with pytest.raises(ValueError):
        write_site([OutputFile("../escape.html", b"x")], tmp_path / "no-assets", tmp_path / "site")
    assert not (tmp_path / "escape.html").exists() and not (tmp_path / "site").exists()
