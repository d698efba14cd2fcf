"""The order of the stages: load + validate -> compute -> render -> write.

The only module that knows the order. Each gate stops on errors, so nothing
is written unless every file of the run is valid.
"""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from pathlib import Path

from .catalogue import load_catalogue
from .compute import ComputedReport, compute_report
from .model import Catalogue, Report
from .problems import BuildFailed, Collector, Origin, relative_name
from .render import (home_context, make_environment, markdown_to_html, render_page, report_context)
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

    @classmethod
    def at(cls, root: Path, site_dir: Path | None = None, data_dir: Path | None = None) -> "Project":
        return cls(root, data_dir or root / "data", root / "content", root / "templates", root / "assets",
                   site_dir or root / "site")


@dataclass
class BuildResult:
    catalogue: Catalogue
    reports: list[ComputedReport]
    problems: Collector
    pages: int = 0
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
    """Everything `check` does, then render every page and publish site/ atomically."""
    result = check(project)
    env = make_environment(project.templates_dir)
    contexts = [report_context(result.catalogue, c, markdown_to_html(c.report.narrative_markdown))
                for c in result.reports]
    files = [OutputFile(ctx.page.path, render_page(env, "report.html", ctx).encode("utf-8")) for ctx in contexts]
    home = home_context(result.catalogue, contexts)
    files.append(OutputFile(home.page.path, render_page(env, "index.html", home).encode("utf-8")))
    result.pages = write_site(files, project.assets_dir, project.site_dir)
    return result
