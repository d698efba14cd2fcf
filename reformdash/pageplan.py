"""Which pages the site has, and what each one depends on.

Every page is a job: its output path, its template, a key that hashes
everything the page shows, and a function that builds its context. The
pipeline reuses a page from the previous site when its key is unchanged, so
a rebuild after one report changed redoes that report's page, its
department's and period's pages, the pages of the indicators whose values
changed, and the few pages that summarise everything.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from .cache import fingerprint
from .pages.base import department_path, indicator_path, period_path, plan_path, report_path
from .pages.department import department_context
from .pages.home import home_context
from .pages.indicator import indicator_context
from .pages.lists import about_context, departments_context, indicators_context, periods_context, search_context
from .pages.period import period_context
from .pages.plan import plan_context, plan_links_by_department, plans_context
from .pages.quality import quality_context
from .pages.report import report_context
from .problems import Problem
from .progress import PlanProgress
from .pages.releases import DRAFT_PATH, changes_context, release_context, release_path, releases_context
from .releases import Release, revision_history, site_status, snapshot_of
from .render import markdown_to_html
from .summary import Reports

if TYPE_CHECKING:
    from .pipeline import Project


@dataclass(frozen=True)
class PageJob:
    path: str
    template: str
    key: str
    make: Callable[[], object]


def _hash(*parts: object) -> str:
    return hashlib.sha256(repr(parts).encode("utf-8")).hexdigest()


def _files_digest(paths: list[Path]) -> str:
    digest = hashlib.sha256()
    for path in sorted(paths):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def _plan_files(data: Path, department: str, year: int) -> list[Path]:
    """A plan, its status files and the units it names."""
    files = list(data.glob(f"{department}/plan-{year}*.yaml"))
    units = data / department / "units.yaml"
    return files + [units] if units.is_file() else files


def page_jobs(project: "Project", reports: Reports, progress: list[PlanProgress], warnings: list[Problem],
              releases: list[Release]) -> list[PageJob]:
    cat = reports.catalogue
    latest = reports.latest_period()
    current = snapshot_of([c.report for c in reports.all()])
    as_of = site_status(releases, current, latest.label_vi if latest else "", cat.site)
    history = revision_history(releases)
    data = project.data_dir
    # What every page shares: engine, templates, assets' names, catalogue, the date of the data.
    common = _hash(fingerprint([*project.templates_dir.glob("*.html"), *data.glob("catalogue/*.yaml"),
                                *data.glob("forms/*.yaml"), data / "departments.yaml", data / "periods.yaml"]),
                   as_of, project.csp, project.quality_page, [r.digest for r in releases], cat.site)
    plans = {(p.plan.department, p.plan.year): _files_digest(_plan_files(data, p.plan.department, p.plan.year))
             for p in progress}
    everything = _hash(common, sorted((k, c.report.digest) for k, c in reports.by_key.items()), sorted(plans.items()))

    def digest(computed) -> str:
        return computed.report.digest if computed is not None else ""

    jobs = [PageJob("index.html", "index.html", everything, lambda: home_context(reports, as_of))]
    for computed in reports.all():
        report = computed.report
        year = cat.periods[report.period].year
        key = _hash(common, digest(computed), digest(reports.previous(computed)),
                    digest(reports.same_period_last_year(computed)), plans.get((report.department, year), ""))
        jobs.append(PageJob(report_path(report.department, report.period), "report.html", key,
                            lambda c=computed: report_context(
                                reports, c, markdown_to_html(c.report.narrative_markdown), as_of,
                                {i: points for (key, i), points in history.items() if key == c.report.key})))
    plan_links = plan_links_by_department(progress)
    for dept in cat.departments.values():
        key = _hash(common, dept.id, [digest(c) for c in reports.of_department(dept.id)],
                    sorted(v for (d, _), v in plans.items() if d == dept.id))
        jobs.append(PageJob(department_path(dept.id), "department.html", key,
                            lambda d=dept: department_context(reports, d, as_of, plan_links.get(d.id, ()))))
    for p in progress:
        key = _hash(common, plans[(p.plan.department, p.plan.year)], p.reference)
        jobs.append(PageJob(plan_path(p.plan.department, p.plan.year), "plan.html", key,
                            lambda p=p: plan_context(reports, p, as_of)))
    jobs.append(PageJob("ke-hoach/index.html", "plans.html", everything, lambda: plans_context(reports, progress, as_of)))
    for ind in cat.indicators.values():
        # what its page and its downloads show: each report's figure, note and warnings for it
        values = [(k, c.report.form, str(row.value) if (row := c.report.values.get(ind.id)) else "",
                   row.note if row else "", str(c.derived.get(ind.id, "")), [p.code for p in c.flags_for(ind.id)])
                  for k, c in reports.by_key.items()]
        jobs.append(PageJob(indicator_path(ind.id), "indicator.html", _hash(common, ind.id, values),
                            lambda i=ind: indicator_context(reports, i, as_of)))
    for period in reports.periods_reported():
        key = _hash(common, period.id, sorted((k, c.report.digest, [p.format() for p in c.flags])
                                              for k, c in reports.by_key.items() if k[1] == period.id))
        jobs.append(PageJob(period_path(period.id), "period.html", key, lambda p=period: period_context(reports, p, as_of)))
    about = project.content_dir / "gioi-thieu.md"
    about_text = about.read_text(encoding="utf-8") if about.is_file() else ""
    if project.quality_page:
        jobs.append(PageJob("chat-luong-so-lieu/index.html", "quality.html", _hash(everything, [p.format() for p in warnings]),
                            lambda: quality_context(reports, warnings, as_of)))
    jobs += [PageJob("don-vi/index.html", "departments.html", everything, lambda: departments_context(reports, as_of)),
             PageJob("chi-tieu/index.html", "indicators.html", common, lambda: indicators_context(reports, as_of)),
             PageJob("ky-bao-cao/index.html", "periods.html", everything, lambda: periods_context(reports, as_of)),
             PageJob("tim-kiem/index.html", "search.html", common, lambda: search_context(as_of)),
             PageJob("gioi-thieu/index.html", "about.html", _hash(common, about_text),
                     lambda: about_context(markdown_to_html(about_text, demote=False), as_of))]
    jobs.append(PageJob("phat-hanh/index.html", "releases.html", everything,
                        lambda: releases_context(reports, releases, as_of)))
    for index, release in enumerate(releases):
        jobs.append(PageJob(release_path(release.id), "changes.html", _hash(everything, release.id),
                            lambda i=index: release_context(reports, releases, i, as_of)))
    if as_of.notice_path:
        jobs.append(PageJob(DRAFT_PATH, "changes.html", everything, lambda: changes_context(
            reports, releases[-1].reports, current, as_of, DRAFT_PATH, "Bản nháp: thay đổi chưa công bố",
            f"So với lần phát hành ngày {releases[-1].date:%d/%m/%Y}. Các thay đổi dưới đây chưa phải số liệu "
            "chính thức cho đến khi được phát hành.")))
    return jobs
