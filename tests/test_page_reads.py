"""A page's context reads the build's data only through its PageData, which records what the page depends on.

A context that reads a file itself would depend on something its record misses, and its page would be
reused, stale, after that file changed: in strict mode (the tests build so) the build fails instead.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from reformdash.pages import registry
from reformdash.pages.access import PageData, Trace, TracedReports, UnrecordedRead
from reformdash.pages.lists import SearchPageContext
from reformdash.pages.base import make_page
from reformdash.pages.unit import PageType, single
from reformdash.pipeline import Project, build


def _reads_a_file_itself(data: PageData) -> SearchPageContext:
    title = (Path(data.reports.catalogue.site.title_vi and "data") / "site.yaml").read_text(encoding="utf-8")
    return SearchPageContext(make_page(title[:20], "tu-doc/index.html", "tim-kiem/index.html", data.status, data.lang))


def _reads_through_its_data(data: PageData) -> SearchPageContext:
    return SearchPageContext(make_page(data.catalogue.site.title_vi, "tu-doc/index.html", "tim-kiem/index.html",
                                       data.status, data.lang))


@pytest.mark.parametrize("holds_charts", [True, False])
def test_a_context_reading_a_file_fails_the_build(project_factory, monkeypatch, holds_charts) -> None:
    root = project_factory(with_reports=True)
    monkeypatch.chdir(root)  # (the context opens data/site.yaml by a relative path)
    monkeypatch.setattr(registry, "UNITS", [*registry.UNITS, PageType("misbehaving", "search.html",
                                                                      single("tu-doc/index.html"),
                                                                      _reads_a_file_itself, holds_charts)])
    with pytest.raises(UnrecordedRead, match=r"tu-doc/index.html read .*site\.yaml"):
        build(Project.at(root))
    assert not (root / "site").exists()  # nothing published


def test_a_context_reading_through_its_data_builds_and_is_recorded(project_factory, monkeypatch) -> None:
    root = project_factory(with_reports=True)
    monkeypatch.setattr(registry, "UNITS", [*registry.UNITS, PageType("well-behaved", "search.html",
                                                                      single("tu-doc/index.html"),
                                                                      _reads_through_its_data)])
    project = Project.at(root)
    assert project.strict
    build(project)
    assert (root / "site" / "tu-doc" / "index.html").is_file()
    # the catalogue (read here for the site's title) and the status are among what the page depends on
    _, jobs = registry.plan_pages(project, *_inputs(project))
    job = next(job for job in jobs if job.path == "tu-doc/index.html")
    job.make()
    assert {("cat",), ("status",)} <= set(job.trace.dependencies())


def _inputs(project: Project):
    from reformdash.pipeline import check
    from reformdash.facts.summary import Reports

    result = check(project)
    return (Reports.of(result.catalogue, result.reports), result.progress, result.problems.warnings,
            result.releases, result.languages)


def test_reads_are_recorded_at_the_grain_a_page_sees(project_factory) -> None:
    """An indicator's page reads one cell of each report, not the reports whole: a figure of another indicator
    changing leaves it as it was."""
    root = project_factory(with_reports=True)
    project = Project.at(root)
    _, jobs = registry.plan_pages(project, *_inputs(project))
    page = next(job for job in jobs if job.path == "chi-tieu/case-files-received/index.html")
    page.make()
    read = page.trace.dependencies()
    assert not [d for d in read if d[0] == "report"]
    cells = [d for d in read if d[0] == "cells"]
    assert [d[1] for d in cells] == ["case_files_received"] and ("stnmt", "2023-q1") in cells[0][2]
    report = next(job for job in jobs if job.path == "stnmt/2023-q1/index.html")
    report.make()
    assert ("report", ("stnmt", "2023-q1")) in report.trace.dependencies()
    assert ("keys",) not in report.trace.dependencies()  # another report added leaves it as it was


def test_the_traced_reports_answer_as_the_reports_do(project_factory) -> None:
    from reformdash.pipeline import check
    from reformdash.facts.summary import Reports

    root = project_factory(with_reports=True)
    result = check(Project.at(root))
    reports = Reports.of(result.catalogue, result.reports)
    traced = TracedReports(reports, Trace())
    assert list(traced.by_key) == list(reports.by_key) and traced.all() == reports.all()
    assert traced.periods_reported() == reports.periods_reported()
    for key in reports.by_key:
        assert traced.figure(*key, "case_files_received") == reports.figure(*key, "case_files_received")
        assert traced.previous(reports.by_key[key]) is reports.previous(reports.by_key[key])


def test_a_running_process_keeps_one_builds_columns_not_a_chain_of_every_build(project_factory) -> None:
    """`serve` compares each indicator column with the last build's; older builds' columns must be let go."""
    from reformdash.pipeline import Project, Session, build

    root = project_factory(with_reports=True)
    project, session = Project.at(root), Session()
    report = root / "data" / "stnmt" / "2023-q1.yaml"
    for figure in (162, 163, 164):
        report.write_text(report.read_text(encoding="utf-8").replace(f"case_files_received: {figure - 1}",
                                                                     f"case_files_received: {figure}"),
                          encoding="utf-8")
        build(project, session=session)
    kept = session.same_inputs.get(("kept columns",), (), lambda: None)
    columns = list(kept._now.values())
    assert columns and all(c.earlier is None or c.earlier.earlier is None for c in columns)
    assert any(c.earlier is not None for c in columns)  # (the last build's, compared with)


def test_a_session_keeps_the_validated_files_of_the_present_catalogue_only(project_factory) -> None:
    """`serve` kept a cache of every report for each state of the catalogue it had seen: each edit of a catalogue
    file held another province's worth of reports in memory until the preview ended."""
    import gc
    import weakref

    from reformdash.pipeline import Project, Session, build

    root = project_factory(with_reports=True)
    project, session = Project.at(root), Session()
    build(project, session=session)
    first = weakref.ref(session.results(project))
    assert session.results(project) is first()  # (the same while the catalogue is the same)
    checks = root / "data" / "catalogue" / "checks.yaml"
    checks.write_text(checks.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    build(project, session=session)
    gc.collect()
    assert first() is None and session.results(project) is not None


def test_a_build_leaves_no_environment_holding_its_drawings(project_factory) -> None:
    """A page environment and its templates refer to each other, so Python frees them only at a full collection,
    which a long-lived process (`serve`) with a province in memory seldom runs: they held every chart drawn by the
    build (`chart_svg`), and `serve` grew by ~30 MB with each catalogue edit at 40 bodies."""
    import gc

    import jinja2

    from reformdash.pipeline import Project, build

    root = project_factory(with_reports=True)
    gc.collect()
    gc.disable()  # (as between the rare full collections)
    try:
        build(Project.at(root, processes=1))
        holding = [o for o in gc.get_objects() if isinstance(o, jinja2.Environment) and "chart_svg" in o.globals]
    finally:
        gc.enable()
    assert holding == []
