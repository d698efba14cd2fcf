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
import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from .cache import SameInputs, fingerprint
from .catalogue import catalogue_files
from .pages.base import department_path, indicator_path, period_path, plan_path, report_path
from .pages.department import department_context
from .pages.home import home_context
from .pages.indicator import indicator_context
from .pages.lists import about_context, departments_context, indicators_context, periods_context, search_context
from .pages.period import period_context
from .pages.plan import plan_context, plan_links_by_department, plans_context
from .pages.quality import quality_context
from .pages.report import ReportParts, report_context
from .language import SOURCE, Language
from .load import NARRATIVE, InputKind, read_input
from .problems import BuildFailed, Collector, Origin, Problem, Severity, shown_path
from .progress import PlanProgress
from .pages.releases import DRAFT_PATH, draft_context, release_context, release_path, releases_context
from .releases import Release, SiteStatus, revision_history, site_status, snapshot_of
from .render import MAX_MARKDOWN_DEPTH, markdown_to_html, markdown_too_deep, template_problems
from .summary import Reports

if TYPE_CHECKING:
    from .compute import ComputedReport
    from .pipeline import Project


@dataclass(frozen=True)
class PageJob:
    path: str
    template: str
    key: str
    make: Callable[[], object]
    # False: the page draws no chart, so its context can wait to be made where the page is rendered
    holds_charts: bool = True


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
              releases: list[Release], languages: tuple[Language, ...],
              memo: SameInputs | None = None) -> list[PageJob]:
    """Every page of the site, in every language: the default language's first.

    `memo` keeps what was made from unchanged reports and plans for the next build of this process.
    """
    memo = memo or SameInputs()
    # Nothing is read from templates/ or content/ before they are known to stay inside the project.
    unsafe = template_problems(project.templates_dir, project.root)
    about, found = content_pages(project, "gioi-thieu", tuple(lang.code for lang in languages))
    unsafe += found + [problem for c in reports.all() if c.report.narrative_markdown
                       for problem in memo.get(("markdown depth", c.report.key), (c.report.narrative_markdown,),
                                               lambda c=c: markdown_depth_problems(c.report.narrative_markdown,
                                                                     c.report.narrative_origin))]
    if unsafe:
        raise BuildFailed(sorted(warnings + unsafe, key=Problem.sort_key))
    cat = reports.catalogue
    # The data as it stands, to compare with the last release (none yet: nothing to compare).
    current = snapshot_of([c.report for c in reports.all()]) if releases else {}
    status = site_status(releases, current, reports.latest_period(), cat.site, languages)
    history = revision_history(releases)
    data = project.data_dir
    # What every page shares: engine, templates and their translations, assets' names, catalogue, the date of the data.
    common = _hash(fingerprint([*project.templates_dir.glob("*.html"), *project.templates_dir.glob("i18n/*.yaml"),
                                *catalogue_files(data)]),
                   status, project.csp, project.quality_page, [r.digest for r in releases], cat.site)
    # (The same progress object is made from the same plan and status files: see pipeline.check.)
    plans = {}
    for p in progress:
        key = (p.plan.department, p.plan.year)
        plans[key] = memo.get(("plan files", *key), (p,), lambda key=key: _files_digest(_plan_files(data, *key)))
    everything = _hash(common, sorted((k, c.report.digest) for k, c in reports.by_key.items()), sorted(plans.items()))
    report_keys = {}
    for computed in reports.all():
        report = computed.report
        year = cat.periods[report.period].year
        report_keys[report.key] = _hash(common, _digest(computed), _digest(reports.previous(computed)),
                                        _digest(reports.same_period_last_year(computed)),
                                        plans.get((report.department, year), ""))
    # What an indicator's page and downloads show: each report's form, and its figure, note, computed
    # value and warnings for the indicator (gathered in one pass over the reports).
    forms = _hash([(k, c.report.form) for k, c in reports.by_key.items()])
    # Each report's facts are one text per indicator in the catalogue's order, made once per report content
    # and warnings; the columns are then joined per indicator (one Python operation per fact cost a
    # quarter of a second a build).
    position = {i: n for n, i in enumerate(cat.indicators)}
    rows = [memo.get(("facts", k), (c.report.digest, ";".join(f"{f.subject} {f.code}" for f in c.flags)),
                     lambda c=c: _facts(c, position)) for k, c in reports.by_key.items()]
    columns = list(zip(*rows)) if rows else [()] * len(position)
    indicator_keys = {i: _hash(common, i, forms, hashlib.sha256("\x1e".join(found).encode()).hexdigest())
                      for i, found in zip(position, columns)}
    by_report: dict[tuple[str, str], dict] = {}
    for (key, indicator), points in history.items():
        by_report.setdefault(key, {})[indicator] = points
    shared = _Shared(reports, progress, warnings, releases, status, by_report, current, common, everything, plans,
                     report_keys, indicator_keys, {}, ReportParts(cat), about)
    return [job for lang in languages for job in _language_jobs(project, shared, lang)]


def _facts(computed: "ComputedReport", position: dict[str, int]) -> tuple[str, ...]:
    """What a report shows on each indicator's page and download: its figure and note, the site's computed
    value, its warnings' codes; one text per indicator of the catalogue ("" for none)."""
    (d, p), cells = computed.report.key, [""] * len(position)
    for i, row in computed.report.values.items():
        if i in position:
            cells[position[i]] = f"{d}/{p}\x1f{row.value}\x1f{row.note}"
    for i, value in computed.derived.items():
        if i in position:
            cells[position[i]] += f"\x1d{d}/{p}\x1f=\x1f{value}"
    for i, flags in computed.flags_by_subject.items():
        if i in position:
            cells[position[i]] += f"\x1d{d}/{p}\x1f!\x1f" + " ".join(f.code for f in flags)
    return tuple(cells)


@dataclass(frozen=True)
class _Shared:
    """What the pages of every language are made from, and the keys of what they depend on."""

    reports: Reports
    progress: list[PlanProgress]
    warnings: list[Problem]
    releases: list[Release]
    status: SiteStatus
    history: dict[tuple[str, str], dict]  # report -> indicator -> [(release, published value)]
    current: dict
    common: str
    everything: str
    plans: dict[tuple[str, int], str]
    report_keys: dict[tuple[str, str], str]
    indicator_keys: dict[str, str]
    narratives: dict[tuple[str, str], str]  # HTML, made once for all languages when a page needs it
    report_parts: ReportParts
    about: dict[str, tuple[str, str]]  # language code -> the about page's Markdown, and the language it is in

    def narrative(self, computed) -> str:
        key = computed.report.key
        if key not in self.narratives:
            self.narratives[key] = markdown_to_html(computed.report.narrative_markdown)
        return self.narratives[key]


def _digest(computed) -> str:
    return computed.report.digest if computed is not None else ""


def content_pages(project: "Project", name: str, codes: tuple[str, ...]
                  ) -> tuple[dict[str, tuple[str, str]], list[Problem]]:
    """A content page's Markdown for each language code: {code: (text, the language it is written in)},
    from content/name.<code>.md or else the Vietnamese content/name.md ("" when neither exists); and the
    problems of those files. A file that links outside the project is not read."""
    texts: dict[Path, str | None] = {}
    problems: list[Problem] = []
    out = {}
    for wanted in codes:
        out[wanted] = ("", wanted)
        for code in dict.fromkeys((wanted, SOURCE)):
            path = project.content_dir / (f"{name}.md" if code == SOURCE else f"{name}.{code}.md")
            if path not in texts:
                texts[path] = _content_file(project, path, problems)
            if texts[path] is not None:
                out[wanted] = (texts[path], code)
                break
    return out, problems


# Read as narratives are: nothing through a link leaving the project, no pipe or device, at most 1 MB.
CONTENT_PAGE = InputKind(NARRATIVE.limit, NARRATIVE.size_code, "a content page",
                         "a content page is a few pages of text; check that this is the right file, or shorten it")


def _content_file(project: "Project", path: Path, problems: list[Problem]) -> str | None:
    """The text of one content page; None when there is none, or when it cannot be published (a problem)."""
    if not os.path.lexists(path):
        return None
    name = shown_path(path, project.root)  # where the user put it, even if it is a link
    found = Collector()
    text = read_input(path, name, found, CONTENT_PAGE, project.root)
    problems += found.problems
    deep = markdown_depth_problems(text, Origin(name, 1, 1)) if text is not None else []
    problems += deep
    return None if deep else text


def markdown_depth_problems(text: str, origin: Origin | None) -> list[Problem]:
    """The problem of a Markdown text nested too deeply to convert (see `markdown_too_deep`), or none."""
    line = markdown_too_deep(text)
    if not line:
        return []
    return [Problem(Severity.ERROR, "E132", f"lists, quotes or indents nested more than {MAX_MARKDOWN_DEPTH} "
                    "levels deep", Origin(origin.file if origin else "content", line, 1),
                    "nest fewer levels: a page shows a few levels of a list at most")]


def _language_jobs(project: "Project", shared: _Shared, lang: Language) -> list[PageJob]:
    reports, progress, releases, status = shared.reports, shared.progress, shared.releases, shared.status
    common, everything, plans = shared.common, shared.everything, shared.plans
    cat = reports.catalogue

    def job(path: str, template: str, key: str, make: Callable[[], object], holds_charts: bool = True) -> PageJob:
        return PageJob(lang.prefix + path, template, _hash(lang.code, key), make, holds_charts)

    jobs = [job("index.html", "index.html", everything, lambda: home_context(reports, status, lang))]
    for computed in reports.all():
        report = computed.report
        jobs.append(job(report_path(report.department, report.period), "report.html", shared.report_keys[report.key],
                        lambda c=computed: report_context(reports, c, shared.narrative(c), status, lang,
                                                          shared.history.get(c.report.key), shared.report_parts),
                        holds_charts=False))
    plan_links = plan_links_by_department(progress, lang)
    for dept in cat.departments.values():
        key = _hash(common, dept.id, [_digest(c) for c in reports.of_department(dept.id)],
                    sorted(v for (d, _), v in plans.items() if d == dept.id))
        jobs.append(job(department_path(dept.id), "department.html", key,
                        lambda d=dept: department_context(reports, d, status, lang, plan_links.get(d.id, ()))))
    for p in progress:
        key = _hash(common, plans[(p.plan.department, p.plan.year)], p.reference)
        jobs.append(job(plan_path(p.plan.department, p.plan.year), "plan.html", key,
                        lambda p=p: plan_context(reports, p, status, lang)))
    jobs.append(job("ke-hoach/index.html", "plans.html", everything,
                    lambda: plans_context(reports, progress, status, lang)))
    for ind in cat.indicators.values():
        jobs.append(job(indicator_path(ind.id), "indicator.html", shared.indicator_keys[ind.id],
                        lambda i=ind: indicator_context(reports, i, status, lang)))
    for period in reports.periods_reported():
        key = _hash(common, period.id, sorted((k, c.report.digest, [p.format() for p in c.flags])
                                              for k, c in reports.by_key.items() if k[1] == period.id))
        jobs.append(job(period_path(period.id), "period.html", key,
                        lambda p=period: period_context(reports, p, status, lang)))
    about_text, about_lang = shared.about[lang.code]
    if project.quality_page:
        jobs.append(job("chat-luong-so-lieu/index.html", "quality.html",
                        _hash(everything, [p.format() for p in shared.warnings]),
                        lambda: quality_context(reports, shared.warnings, status, lang)))
    jobs += [job("don-vi/index.html", "departments.html", everything, lambda: departments_context(reports, status, lang)),
             job("chi-tieu/index.html", "indicators.html", common, lambda: indicators_context(reports, status, lang)),
             job("ky-bao-cao/index.html", "periods.html", everything, lambda: periods_context(reports, status, lang)),
             job("tim-kiem/index.html", "search.html", common, lambda: search_context(status, lang)),
             job("gioi-thieu/index.html", "about.html", _hash(common, about_text, about_lang),
                 lambda: about_context(markdown_to_html(about_text, demote=False), about_lang, status, lang))]
    jobs.append(job("phat-hanh/index.html", "releases.html", everything,
                    lambda: releases_context(reports, releases, status, lang)))
    for index, release in enumerate(releases):
        jobs.append(job(release_path(release.id), "changes.html", _hash(everything, release.id),
                        lambda i=index: release_context(reports, releases, i, status, lang)))
    if status.notice_path:
        jobs.append(job(DRAFT_PATH, "changes.html", everything,
                        lambda: draft_context(reports, releases, shared.current, status, lang)))
    return jobs
