"""The order of the stages: load + validate -> compute -> render -> write.

The only module that knows the order. Each gate stops on errors, so nothing
is written unless every file of the run is valid.
"""
from __future__ import annotations

import dataclasses
import os
import time
from dataclasses import dataclass, field
from pathlib import Path

from .catalogue import load_catalogue
from .compute import ComputedReport, compute_report
from .model import Catalogue, Report
from .problems import BuildFailed, Collector, Origin, relative_name
from .charts import ChartRenderer
from .pages.department import department_context
from .pages.home import home_context
from .pages.indicator import indicator_context
from .pages.lists import about_context, departments_context, indicators_context, periods_context
from .pages.period import period_context
from .pages.report import report_context
from .render import make_environment, markdown_to_html, render_page
from .summary import Reports
from .validate import report_paths, validate_report
from .write import OutputFile, write_site


@dataclass(frozen=True)
class Project:
    """Where a project's inputs and output live."""

    root: Path
    data_dir: Path
    content_dir: Path
    templates_dir: Path
    assets_dir: Path
    site_dir: Path
    cache_dir: Path  # rendered charts, reused across builds (safe to delete)

    @classmethod
    def at(cls, root: Path, site_dir: Path | None = None, data_dir: Path | None = None) -> "Project":
        cache = Path(os.environ["REFORMDASH_CACHE_DIR"]) if os.environ.get("REFORMDASH_CACHE_DIR") else root / ".cache"
        return cls(root, data_dir or root / "data", root / "content", root / "templates", root / "assets",
                   site_dir or root / "site", cache)


@dataclass
class BuildResult:
    catalogue: Catalogue
    reports: list[ComputedReport]
    problems: Collector
    pages: int = 0
    charts: int = 0
    timings: dict[str, float] = field(default_factory=dict)


def _narrative(project: Project, report: Report, problems: Collector) -> Report:
    path = project.content_dir / report.department / f"{report.period}.md"
    if not path.is_file():
        return report
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        problems.error("E103", "the file is not valid UTF-8 text", Origin(relative_name(path, project.root), 1, 1),
                       "save the file as UTF-8")
        return report
    return dataclasses.replace(report, narrative_markdown=text,
                               narrative_origin=Origin(relative_name(path, project.root), 1, 1))


def load_and_validate(project: Project, problems: Collector) -> tuple[Catalogue, list[Report]]:
    catalogue = load_catalogue(project.data_dir, project.root, problems)
    if problems.has_errors():
        raise BuildFailed(problems.sorted())
    reports = []
    for path in report_paths(project.data_dir):
        report = validate_report(path, project.root, catalogue, problems)
        if report is not None:
            reports.append(_narrative(project, report, problems))
    if problems.has_errors():
        raise BuildFailed(problems.sorted())
    return catalogue, reports


def check(project: Project) -> BuildResult:
    """Load, validate and compute every report; write nothing."""
    problems = Collector()
    catalogue, reports = load_and_validate(project, problems)
    earlier = {}
    for p in problems.problems:
        earlier.setdefault(p.origin.file, []).append(p)
    computed = [compute_report(r, catalogue, problems, tuple(earlier.get(r.origin.file, ())))
                for r in reports]
    if problems.has_errors():
        raise BuildFailed(problems.sorted())
    return BuildResult(catalogue, computed, problems)


def build(project: Project) -> BuildResult:
    """Everything `check` does, then charts and pages, then publish site/ atomically."""
    started = time.perf_counter()
    result = check(project)
    result.timings["load+validate+compute"] = time.perf_counter() - started
    started = time.perf_counter()
    reports = Reports.of(result.catalogue, result.reports)
    charts = ChartRenderer(project.cache_dir / "charts")
    pages = site_pages(project, reports, charts)
    result.timings["charts+contexts"] = time.perf_counter() - started
    started = time.perf_counter()
    env = make_environment(project.templates_dir)
    files = [OutputFile(ctx.page.path, render_page(env, template, ctx).encode("utf-8")) for template, ctx in pages]
    result.timings["render"] = time.perf_counter() - started
    started = time.perf_counter()
    result.pages = write_site(files, project.assets_dir, project.site_dir)
    result.timings["write"] = time.perf_counter() - started
    result.charts = charts.rendered + charts.cached
    return result


def site_pages(project: Project, reports: Reports, charts: ChartRenderer) -> list[tuple[str, object]]:
    """(template, context) of every page of the site."""
    cat = reports.catalogue
    latest = reports.latest_period()
    as_of = f"Số liệu đến hết {latest.label_vi}" if latest else "Chưa có số liệu"
    pages: list[tuple[str, object]] = [("index.html", home_context(reports, as_of))]
    for computed in reports.all():
        narrative = markdown_to_html(computed.report.narrative_markdown)
        pages.append(("report.html", report_context(reports, computed, narrative, as_of)))
    pages += [("department.html", department_context(reports, charts, dept, as_of))
              for dept in cat.departments.values()]
    pages += [("indicator.html", indicator_context(reports, charts, ind, as_of)) for ind in cat.indicators.values()]
    pages += [("period.html", period_context(reports, period, as_of)) for period in reports.periods_reported()]
    about = project.content_dir / "gioi-thieu.md"
    about_html = markdown_to_html(about.read_text(encoding="utf-8")) if about.is_file() else ""
    pages += [("departments.html", departments_context(reports, as_of)),
              ("indicators.html", indicators_context(reports, as_of)),
              ("periods.html", periods_context(reports, as_of)),
              ("about.html", about_context(about_html, as_of))]
    return pages
