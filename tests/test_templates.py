"""A template edited by hand: its mistakes are the template's problems, at its line, from `check` and `build` alike;
never a traceback, and the published site stays as it was."""
from __future__ import annotations

import dataclasses
import os
import re
import subprocess
import sys

import pytest

from conftest import ROOT
from reformdash.pipeline import Project, build, check
from reformdash.problems import BuildFailed

LINE = 18  # a line of report.html that writes a translated text: "{{ _(" ... ")}}"


def broken(root, old: str, new: str, name: str = "report.html") -> None:
    path = root / "templates" / name
    lines = path.read_text(encoding="utf-8").split("\n")
    assert old in lines[LINE - 1], lines[LINE - 1]
    lines[LINE - 1] = lines[LINE - 1].replace(old, new, 1)
    path.write_text("\n".join(lines), encoding="utf-8")


def failure_of(run, root) -> list[str]:
    with pytest.raises(BuildFailed) as failed:
        run(Project.at(root))
    return [p.format() for p in failed.value.problems if p.severity.name == "ERROR"]


def tree(site) -> dict:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


def test_a_syntax_error_is_found_by_check_at_its_line_and_nothing_is_published(project_factory) -> None:
    root = project_factory(with_reports=True)
    build(Project.at(root))
    before = tree(root / "site")
    broken(root, "{{ _(", "{{ _( {% if ")
    expected = [f"templates/report.html:{LINE}:1: error E414: template syntax error: unexpected '%'\n"
                "    hint: check the {% %} and {{ }} tags on this line: each tag opened must be closed, each block ended"]
    assert failure_of(check, root) == expected
    assert failure_of(build, root) == expected
    assert tree(root / "site") == before


@pytest.mark.parametrize("processes", [1, 2])
def test_a_name_the_pages_do_not_have_stops_the_build_at_its_line(project_factory, processes) -> None:
    """Found only while a page is made (by a render worker too): the template, its line, what is undefined."""
    root = project_factory(with_reports=True)
    broken(root, "{{ _(", "{{ nam_cua_trang }}{{ _(")
    assert not check(Project.at(root)).problems.errors
    with pytest.raises(BuildFailed) as failed:
        build(Project.at(root, processes=processes))
    [problem] = failed.value.problems
    # (the page it was making: which one, in two processes, is the one that failed first)
    assert re.fullmatch(rf"templates/report\.html:{LINE}:1: error E415: the template stopped while making "
                        r"(en/)?(stnmt|sct)/20[0-9]{2}-[a-z0-9]+/index\.html: 'nam_cua_trang' is undefined",
                        problem.format().splitlines()[0])
    assert not (root / "site").exists()


def test_an_include_of_a_missing_template_and_a_macro_without_end_are_the_templates_problems(project_factory) -> None:
    root = project_factory(with_reports=True)
    broken(root, "{{ _(", '{% include "_khong_co.html" %}{{ _(')
    assert [line.splitlines()[0] for line in failure_of(check, root)] == [
        f"templates/report.html:{LINE}:1: error E415: the template '_khong_co.html' it includes is not in templates/"]
    root = project_factory(with_reports=True)
    with (root / "templates" / "_table.html").open("a", encoding="utf-8") as out:
        out.write("{% macro lap(x) %}{{ lap(x) }}{% endmacro %}{{ lap(1) }}\n")
    [problem] = failure_of(build, root)
    assert problem.splitlines()[0].startswith("templates/_table.html:") and problem.splitlines()[0].endswith(
        "index.html: it calls itself without end")


def test_the_command_line_prints_the_templates_problem_and_no_traceback(project_factory) -> None:
    root = project_factory(with_reports=True)
    broken(root, "{{ _(", "{{ nam_cua_trang }}{{ _(")
    done = subprocess.run([sys.executable, str(ROOT / "build.py"), "--root", str(root), "-q"], capture_output=True,
                          text=True, timeout=300)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert f"templates/report.html:{LINE}:1: error E415:" in done.stderr


def test_a_script_or_font_loaded_from_another_site_is_named(project_factory) -> None:
    """A CDN script in a template, a web font imported in a style sheet: the pages' policy blocks them and the site
    must work offline, so each is a warning at its place (the build went on, the feature silently broken)."""
    root = project_factory()
    base = root / "templates" / "base.html"
    text = base.read_text(encoding="utf-8")
    assert text.count("</head>") == 1
    base.write_text(text.replace("</head>", '<script src="https://cdn.example.org/chart.js"></script>\n'
                                 '<style>@import url("https://fonts.example.org/f.css");</style>\n</head>').replace(
        "<body", '<body style="background:url(https://anh.example.org/nen.png)"', 1).replace(
        "</body>", '<img alt="" srcset="/assets/a.png 1x, https://anh.example.org/a2.png 2x"></body>', 1),
        encoding="utf-8")
    with (root / "assets" / "css" / "site.css").open("a", encoding="utf-8") as css:
        css.write('@import url("//fonts.example.org/css?family=Roboto");\n')
    found = [p for p in check(Project.at(root)).problems.problems if p.code == "W416"]
    assert sorted((p.origin.file, p.message.split("'")[1]) for p in found) == [
        ("assets/css/site.css", "//fonts.example.org/css?family=Roboto"),
        ("templates/base.html", "https://anh.example.org/a2.png"),
        ("templates/base.html", "https://anh.example.org/nen.png"),
        ("templates/base.html", "https://cdn.example.org/chart.js"),
        ("templates/base.html", "https://fonts.example.org/f.css")]
    assert all(p.origin.line > 0 for p in found)


def test_an_emptied_base_template_and_an_unknown_filter_are_refused(project_factory) -> None:
    """base.html emptied by mistake made every page blank, published with exit 0; a filter Jinja does not have passed
    `check` and stopped only the build."""
    root = project_factory(with_reports=True)
    (root / "templates" / "base.html").write_text("", encoding="utf-8")
    found = check(Project.at(root)).problems.problems
    assert [(p.origin.file, p.code) for p in found if p.code.startswith(("W41", "E41"))] == [
        ("templates/base.html", "W417")]
    [problem] = failure_of(build, root)
    assert problem.splitlines()[0].endswith("error E415: the template made an empty page")
    assert not (root / "site").exists()
    root = project_factory(with_reports=True)
    broken(root, "{{ _(", "{{ 1|khong_co }}{{ _(")
    assert [line.splitlines()[0] for line in failure_of(check, root)] == [
        f"templates/report.html:{LINE}:1: error E414: template syntax error: No filter named 'khong_co'."]


LOOP = "{% for i in range(10 ** 15) %}{% endfor %}"  # (a loop that would run for days)


@pytest.mark.parametrize("processes", [1, 2])
def test_a_loop_without_end_is_stopped_at_its_line_and_nothing_is_published(project_factory, processes) -> None:
    """A page that passes its deadline is the template's error (a render worker's too), not a build that hangs."""
    root = project_factory(with_reports=True)
    build(Project.at(root))
    before = tree(root / "site")
    broken(root, "{{ _(", LOOP + "{{ _(")
    project = dataclasses.replace(Project.at(root, processes=processes), page_seconds=1.5)
    with pytest.raises(BuildFailed) as failed:
        build(project)
    [problem] = failed.value.problems
    assert re.fullmatch(rf"templates/report\.html:{LINE}:1: error E415: the template ran for more than 1\.5 s on "
                        r"(en/)?(stnmt|sct)/20[0-9]{2}-[a-z0-9]+/index\.html and was stopped: a loop without end, or "
                        "one far too long", problem.format().splitlines()[0])
    assert tree(root / "site") == before


def test_the_command_line_stops_a_loop_without_end(project_factory) -> None:
    root = project_factory(with_reports=True)
    broken(root, "{{ _(", LOOP + "{{ _(")
    done = subprocess.run([sys.executable, str(ROOT / "build.py"), "--root", str(root), "-q"], capture_output=True,
                          text=True, timeout=300, env={**os.environ, "REFORMDASH_PAGE_SECONDS": "2"})
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert re.search(rf"templates/report\.html:{LINE}:1: error E415: the template ran for more than 2 s on "
                     r"(en/)?(stnmt|sct)/20[0-9]{2}-[a-z0-9]+/index\.html and was stopped", done.stderr)
    assert not (root / "site").exists()


@pytest.mark.parametrize("text, seconds", [("abc", 60.0), ("-1", 60.0), ("0", 60.0), ("inf", 60.0), ("nan", 60.0),
                                           ("2.5", 2.5), ("1e10", 86400.0)])
def test_the_page_deadline_from_the_environment_is_a_positive_number_of_at_most_a_day(monkeypatch, text, seconds):
    """1e10 s overflowed the timer and made every page fail (E415 'timestamp out of range')."""
    monkeypatch.setenv("REFORMDASH_PAGE_SECONDS", text)
    assert Project.at(ROOT).page_seconds == seconds
