"""What an independent attack on the finished trust work still found, each now refused or handled."""
from __future__ import annotations

import argparse
import os
import re
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT

BUILD = [sys.executable, str(ROOT / "build.py")]


def run(root: Path, *args: str | bytes) -> subprocess.CompletedProcess:
    return subprocess.run([*BUILD, *args, "--root", str(root)], cwd=root, capture_output=True, text=True,
                          stdin=subprocess.DEVNULL, timeout=300)


def test_an_argument_that_is_not_utf8_is_a_usage_error_not_a_traceback(project_factory) -> None:
    root = project_factory()
    result = run(root, "release", "--title", os.fsdecode(b"Qu\xfd I"))
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert result.stderr.splitlines() == ["build.py: the argument 'Qu\ufffd I' is not valid UTF-8 text; set the "
                                          "terminal to UTF-8 (or type it again) and run the command again"]


def test_a_release_title_with_a_control_character_is_refused(project_factory) -> None:
    root = project_factory(with_reports=True)
    result = run(root, "release", "--date", "2023-04-15", "--title", "Quý\x01 I\x1b[31m")
    assert result.returncode == 2
    assert result.stderr.splitlines() == ["release: the title holds a control or invisible character (an escape "
                                          "sequence pasted from a terminal?); type it again as plain text"]
    assert not (root / "data" / "releases").exists()


def test_feeds_leave_out_characters_xml_cannot_hold() -> None:
    from reformdash.output.feeds import escape, quoteattr

    assert escape("Quý\x01 I\x1b & <b>\ufffe") == "Quý I &amp; &lt;b&gt;"
    assert quoteattr('a"\x0bb') == '"a&quot;b"'


def test_data_files_are_written_with_the_mode_the_umask_gives(tmp_path) -> None:
    from reformdash.output.write import write_text_atomically

    previous = os.umask(0o022)
    try:
        write_text_atomically(tmp_path / "a.yaml", "x: 1\n")
        assert stat.S_IMODE((tmp_path / "a.yaml").stat().st_mode) == 0o644  # mkstemp alone gave 0600
        os.umask(0o027)
        write_text_atomically(tmp_path / "b.yaml", "x: 1\n", replace=False)
        assert stat.S_IMODE((tmp_path / "b.yaml").stat().st_mode) == 0o640
    finally:
        os.umask(previous)


def test_import_never_writes_through_a_folder_that_links_outside_the_project(project_factory, tmp_path) -> None:
    root = project_factory()
    outside = tmp_path / "outside"
    outside.mkdir()
    (root / "data" / "stnmt").symlink_to(outside)
    source = ROOT.parent / "shared" / "reference-reports" / "so-tnmt_2023-q1_report.txt"
    result = run(root, "import", str(source), "--department", "stnmt", "--period", "2023-q1")
    assert result.returncode == 1
    assert result.stderr.splitlines()[-1] == (f"import: {root / 'data' / 'stnmt' / '2023-q1.yaml'} lies outside the "
                                              "project (a folder on the way is a link); nothing was written")
    assert list(outside.iterdir()) == []


def test_a_port_in_other_digits_is_refused(project_factory) -> None:
    root = project_factory()
    result = run(root, "serve", "--port", "８０８０")
    assert result.returncode == 2
    assert result.stderr.splitlines()[-1].endswith(
        "argument --port: '８０８０' is not a port number: give a number from 1 to 65535")
    from reformdash.commands.serve import port_number

    for text in ("8_000", " 80", "+80"):  # what int() reads as a number too
        with pytest.raises(argparse.ArgumentTypeError, match=f"^'{re.escape(text)}' is not a port number"):
            port_number(text)
    assert port_number("0080") == 80


def test_the_preview_answers_a_path_it_cannot_look_up_with_404(project_factory) -> None:
    from reformdash.pipeline import Project
    from reformdash.preview import Preview

    root = project_factory()
    (root / "site").mkdir()
    (root / "site" / "index.html").write_text("trang", encoding="utf-8")
    preview = Preview(Project.at(root), "127.0.0.1", 8000, lambda message: None)
    answers = []
    for path in ("/index.html\x00.txt", "/" + "a" * 300 + "/", "/index.html"):
        body = preview.wsgi({"PATH_INFO": path}, lambda status, headers: answers.append(status))
        assert body
    assert answers == ["404 Not Found", "404 Not Found", "200 OK"]


def test_a_paragraph_flooded_with_link_openings_is_shown_as_text_in_bounded_time() -> None:
    """150 000 "[a](" in one paragraph hung the build (Python-Markdown's link patterns are quadratic there)."""
    from reformdash.output.render import markdown_to_html

    html = markdown_to_html("Trước [đây](https://a.vn)\n\n" + "[a](" * 150_000 + "<b>\n\nSau [đó](https://b.vn)")
    assert html.count("<a ") == 2  # the paragraphs around it keep their links
    flood = html.split("\n")[1]
    assert flood.startswith("<p>[a]([a](") and flood.endswith("[a](&lt;b&gt;</p>")
    assert markdown_to_html("[a](b) " * 100).count("<a ") == 100  # a hundred real links in a paragraph stay links


def test_a_folder_where_a_cache_entry_belongs_is_replaced_by_the_entry(tmp_path) -> None:
    from reformdash.output.write import replace_file

    entry = tmp_path / "charts" / "abc.svg"
    (entry / "inside").mkdir(parents=True)  # every build stopped on it ("Is a directory")
    replace_file(entry, b"<svg/>")
    assert entry.read_bytes() == b"<svg/>" and sorted(p.name for p in entry.parent.iterdir()) == ["abc.svg"]


def test_links_to_another_host_without_a_scheme_and_remote_images_are_dropped() -> None:
    from reformdash.output.render import markdown_to_html

    html = markdown_to_html("[a](//evil.example) [b](\\\\\\\\evil\\\\share) [c](/\\\\evil.example) [d](&#x2F;&#x2F;evil) "
                            "[e](https://cchc.vn/) [f](../stnmt/) ![g](http://evil.example/x.png) ![h](anh.png)")
    assert html == ('<p><a>a</a> <a>b</a> <a>c</a> <a>d</a> <a href="https://cchc.vn/">e</a> <a href="../stnmt/">f</a> '
                    '<img alt="g"> <img alt="h" src="anh.png"></p>')


def test_an_asset_linking_elsewhere_in_the_project_is_an_error_not_a_silent_skip(project_factory) -> None:
    root = project_factory()
    (root / ".git").mkdir()
    (root / ".git" / "config").write_text("[remote]\n", encoding="utf-8")
    (root / "assets" / "cfg.txt").symlink_to(root / ".git" / "config")
    result = run(root, "check")
    assert result.returncode == 1
    assert result.stderr.splitlines()[:2] == [
        "assets/cfg.txt: error E908: 'assets/cfg.txt' is a link to '.git/config', outside assets/; it is not "
        "published",
        "    hint: copy the file into assets/ if it is meant to be published, or remove the link"]


def test_a_content_pages_heading_written_with_one_hash_is_not_a_second_h1() -> None:
    """The about page has its own h1: a '# ...' in content/gioi-thieu.md moves every heading one level down; a page
    written with '##' keeps its levels; a narrative's headings always sit under the report page's h2."""
    from reformdash.output.render import markdown_to_html

    assert markdown_to_html("# Giới thiệu\n\n## Cách đọc\n", demote=False) == "<h2>Giới thiệu</h2>\n<h3>Cách đọc</h3>"
    assert markdown_to_html("## Cách đọc\n", demote=False) == "<h2>Cách đọc</h2>"
    assert markdown_to_html("## Kết quả\n") == "<h3>Kết quả</h3>"


def test_links_and_images_a_page_leaves_out_are_named_by_the_check(project_factory) -> None:
    """A javascript: link and an image from the web in a narrative: the page drops both (safely), and the clerk is
    told where, rather than wondering why the link does nothing."""
    from reformdash.pipeline import Project, build, check

    root = project_factory(with_reports=True)
    narrative = root / "content" / "stnmt" / "2023-q1.md"
    narrative.parent.mkdir(parents=True, exist_ok=True)
    narrative.write_text("Xem [kế hoạch](javascript:void) và ![ảnh](https://anh.example.org/a.png), "
                         "[văn bản](https://stnmt.example.gov.vn/vb) ![logo](/assets/favicon.svg)\n", encoding="utf-8")
    found = [(p.origin.line, p.origin.column, p.message.split(" is left out")[0])
             for p in check(Project.at(root)).problems.problems if p.code == "W133"]
    assert found == [(1, 16, "the link 'javascript:void'"), (1, 43, "the image 'https://anh.example.org/a.png'")]
    build(Project.at(root))  # (warnings: the page is built, without the two)
    page = (root / "site" / "stnmt" / "2023-q1" / "index.html").read_text(encoding="utf-8")
    assert "javascript:" not in page and "anh.example.org" not in page and "stnmt.example.gov.vn/vb" in page


def test_code_and_escaped_brackets_are_not_taken_for_links_left_out() -> None:
    from reformdash.output.render import dropped_addresses

    text = ("Mã `[x](javascript:a)` và \\[y](javascript:b)\n```\n[z](javascript:c)\n```\n"
            "nhưng [w](javascript:d) và [v](<javascript:e>)\n")
    assert [url for _, url, _ in dropped_addresses(text)] == ["javascript:d", "javascript:e"]
