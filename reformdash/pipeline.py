"""The order of the stages: load + validate -> compute -> render -> write.

The only module that knows the order. Each gate stops on errors, so nothing
is written unless every file of the run is valid.
"""
from __future__ import annotations

import contextlib
import dataclasses
import functools
import hashlib
import os
import posixpath
import sys
import time
import typing
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Callable, Iterable

from .inputs.catalogue import catalogue_files, load_catalogue
from .facts.compute import ComputedReport, compute_report, repeated_reports, report_figures
from .model import Catalogue, Plan, Report, StatusReport
from .output.feeds import atom_feed, robots, sitemap
from .output.search import SEARCH_INDEX, document, index_bytes, indexed, previous_documents
from .opendata import link_text, open_data, page_data_paths, values_keys
from .pages.registry import content_pages, markdown_problems, plan_pages
from .pages.access import Trace, TracedReports
from .incremental.pagestore import Digests, FileSignatures, load_pages, save_pages, site_stamp, store_file
from .incremental.parallel import Beside, Shared
from .inputs.plans import plan_paths, validate_plan, validate_status_report
from .facts.progress import PlanProgress, cross_check, plan_progress, statuses_by_plan
from .inputs.releases import Release, read_releases, release_downloads, unpublished_releases
from .incremental.cache import BytesCache, ResultCache, SameInputs, collector_paused, fingerprint
from .lock import misplaced_cache
from .problems import BuildFailed, Collector, Origin, Problem, Severity, relative_name, shown_path
from .output.charts import Chart, render_charts
from .output.render import (PUBLISHED_CSP, TemplateFailed, make_environment, remote_loads, render_pages,
                            template_problem, template_problems, template_syntax_problems)
from .inputs.language import SOURCE, Language, language_of, load_languages
from .inputs.load import NARRATIVE, input_digest, listed, read_input
from .facts.summary import Reports
from .inputs.validate import report_paths, unread_files, validate_report
from .output.write import OutputFile, Staging, WriteResult, output_problems, source_problems


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
    processes: int = 2  # processes for a build's parallel stages: every core by default (`Project.at`)
    csp: str = PUBLISHED_CSP  # the preview adds the live-reload script's hash
    quality_page: bool = True  # publish the page listing every data-quality warning
    # a page context that reads a file of the project fails the build (the tests build so): see pages/access.py
    strict: bool = False
    # a page whose template runs longer than this is stopped, an error at the template's line (a loop without
    # end would hang the build and the preview); the largest page of a 120-body province renders in under 1 s
    page_seconds: float = 60.0

    @classmethod
    def at(cls, root: Path, site_dir: Path | None = None, data_dir: Path | None = None,
           processes: int | None = None) -> "Project":
        cache = Path(os.environ["REFORMDASH_CACHE_DIR"]) if os.environ.get("REFORMDASH_CACHE_DIR") else root / ".cache"
        return cls(root, data_dir or root / "data", root / "content", root / "templates", root / "assets",
                   site_dir or root / "site", cache, processes or usable_cores(),
                   strict=os.environ.get("REFORMDASH_STRICT") == "1",
                   page_seconds=_seconds(os.environ.get("REFORMDASH_PAGE_SECONDS"), 60.0))

    def sources(self) -> tuple[Path, ...]:
        """The folders a build reads and must never write into."""
        return (self.data_dir, self.content_dir, self.templates_dir, self.assets_dir, self.root / ".git")


def _seconds(text: str | None, default: float) -> float:
    """A positive number of seconds from the environment, or `default`."""
    try:
        seconds = float(text or "")
    except ValueError:
        return default
    return min(seconds, 86400.0) if 0 < seconds < float("inf") else default  # (a day at most: the timer's range)


def usable_cores() -> int:
    """The cores this process may run on (a container or `taskset` may allow fewer than the machine has)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):  # not Linux
        return max(1, os.cpu_count() or 1)


@dataclass
class BuildResult:
    catalogue: Catalogue
    reports: list[ComputedReport]
    problems: Collector
    progress: list[PlanProgress] = field(default_factory=list)
    releases: list[Release] = field(default_factory=list)
    languages: tuple[Language, ...] = ()  # the languages the site is published in, the default first
    pages: int = 0
    charts: int = 0
    charts_drawn: int = 0
    files_written: int = 0
    pages_rebuilt: int = 0
    timings: dict[str, float] = field(default_factory=dict)


def _narrative(project: Project, report: Report, problems: Collector) -> Report:
    path = project.content_dir / report.department / f"{report.period}.md"
    if not os.path.lexists(path):  # no narrative; anything else there (a folder, a pipe, a link) is refused
        return report
    name = path.relative_to(project.root).as_posix()  # where the user put it, even if it is a link
    text = read_input(path, name, problems, NARRATIVE, project.root)
    if text is None:
        return report
    return dataclasses.replace(report, narrative_markdown=text, narrative_origin=Origin(name, 1, 1))


class Session:
    """What a process keeps between its builds of one project: `serve` holds one for as long as it runs, a
    command's single build has its own. The validated files as the last build read them (one result cache, of
    the catalogue's present state: a catalogue edited in `serve` lets the last one's go) and what was made from
    them (`SameInputs`). Nothing in it decides what a build writes, only how much it does again."""

    def __init__(self) -> None:
        self.same_inputs = SameInputs()
        self._results: tuple[tuple[str, str], ResultCache] | None = None
        # Each search index this process last published, by its path in the site: the site's stamp then (see
        # pagestore.site_stamp) and its documents by page. A rebuild of that very site takes a kept page's document
        # from here instead of reading the index it wrote (and encodes it as before: see search.index_bytes).
        self.search_documents: dict[str, tuple[list[int], dict[str, dict]]] = {}

    def results(self, project: Project) -> ResultCache:
        """The validated report, plan and status files, by file, for the catalogue as it is now."""
        context = fingerprint(catalogue_files(project.data_dir)) + str(project.root)
        key = (str(project.cache_dir), context)
        if self._results is None or self._results[0] != key:
            self._results = (key, ResultCache(project.cache_dir / "reports", context))
        return self._results[1]


def _validate_alone(path: Path, project: Project, catalogue: Catalogue):
    """(report or None, its validation problems, its derived values, its check warnings): cached per file."""
    found = Collector()
    report = validate_report(path, project.root, catalogue, found)
    if report is None:
        return None, found.problems, {}, ()
    if report.period in catalogue.refused_periods:  # (checked, but not computed: its period's entry has an error)
        return report, found.problems, {}, ()
    computed = compute_report(report, catalogue, Collector())
    return report, found.problems, computed.derived, computed.flags


def _alone(validate, path: Path, project: Project, catalogue: Catalogue, *more):
    """(result or None, its problems) of one file, for the cache."""
    found = Collector()
    return validate(path, project.root, catalogue, *more, found), found.problems


@dataclass(frozen=True)
class Validated:
    catalogue: Catalogue
    reports: list[Report]
    plans: dict[tuple[str, int], Plan]
    statuses: list[StatusReport]
    releases: list[Release]
    computed: dict[tuple[str, str], ComputedReport]  # each report with its derived values and warnings


def load_releases(project: Project, problems: Collector) -> list[Release]:
    return read_releases(project.data_dir, project.root, problems)


def load_and_validate(project: Project, problems: Collector, session: Session | None = None) -> Validated:
    with collector_paused():
        return _load_and_validate(project, problems, session or Session())


def _reports_checkable(problems: Collector, entries: tuple[str, ...]) -> bool:
    """Whether the reports can still be checked against a catalogue with errors, so that one run says everything:
    where they are all in the entries of departments and periods (`entries`, the files as problems name them: a
    department renamed there, its folder not yet; a date or a link mistyped; an entry with an error is left out of
    the catalogue, its reports are not told it is unknown), or a report or plan misnamed (E221: the others are
    read as ever). A file that cannot be read, and an error anywhere else,
    stops the run before the reports."""
    return all((p.origin.file in entries and not p.code.startswith("E1")) or p.code == "E221"
               for p in problems.problems if p.severity is Severity.ERROR)


def _load_and_validate(project: Project, problems: Collector, session: Session) -> Validated:
    catalogue = load_catalogue(project.data_dir, project.root, problems)
    # (the data's own files, named so that nothing reads them: not the catalogue's problem, said in the same run)
    unread_files(project.data_dir, project.root, problems, frozenset(catalogue.departments),
                 frozenset(catalogue.periods))
    if problems.has_errors() and not _reports_checkable(problems, tuple(
            relative_name(project.data_dir / name, project.root) for name in ("departments.yaml", "periods.yaml"))):
        raise BuildFailed(problems.sorted())
    cache = session.results(project)
    report_files = report_paths(project.data_dir)
    plan_files, status_files = plan_paths(project.data_dir)

    units_of: dict[Path, str] = {}  # a department's units.yaml, read once for all its plans

    def units(path: Path) -> str:
        if path.parent not in units_of:
            file = path.parent / "units.yaml"
            units_of[path.parent] = input_digest(file, project.root)
        return units_of[path.parent]

    with Shared(cache, project, catalogue, project.processes) as shared:
        # In a cold build a worker validates reports from the end of the list while this process
        # validates the plans, then the status files (checked against the plans), then reports
        # from the start of the list.
        pending = shared.start([(path, "") for path in report_files], _validate_alone)
        plan_results = [cache.get_or_compute(path, lambda path=path: _alone(validate_plan, path, project, catalogue),
                                             extra=units(path)) for path in plan_files]
        plans = {}
        for plan, _ in plan_results:
            if plan is not None:
                plans[(plan.department, plan.year)] = plan
        # a status file is checked against the plans' tasks: they are part of its key
        plan_key = hashlib.sha256(repr(sorted((k, [t.number for t in p.tasks], [x.key for x in p.parts])
                                              for k, p in plans.items())).encode()).hexdigest()
        status_results = [cache.get_or_compute(path, lambda path=path: _alone(
            validate_status_report, path, project, catalogue, plans), extra=plan_key) for path in status_files]
        pending.finish()
    reports = []
    computed: dict[tuple[str, str], ComputedReport] = {}
    for path in report_files:
        key, (report, found, derived, flags) = cache.keyed(
            path, lambda path=path: _validate_alone(path, project, catalogue))
        problems.problems.extend(found)
        if report is not None:
            report = _narrative(project, report, problems)
            digest = hashlib.sha256((key + report.narrative_markdown).encode()).hexdigest()
            report = dataclasses.replace(report, digest=digest)
            reports.append(report)
            computed[report.key] = ComputedReport(report, derived, tuple(found) + tuple(flags))
            problems.problems.extend(flags)  # the checks of the compute stage, cached with the file
    for _, found in plan_results:
        problems.problems.extend(found)
    statuses = []
    for status, found in status_results:
        problems.problems.extend(found)
        if status is not None:
            statuses.append(status)
    releases = load_releases(project, problems)
    if problems.has_errors():
        raise BuildFailed(problems.sorted())
    return Validated(catalogue, reports, plans, statuses, releases, computed)


def check(project: Project, session: Session | None = None) -> BuildResult:
    """Load, validate and compute every report and plan, and read the language files; write nothing. `session`:
    what the last build of this process kept (see `Session`)."""
    session = session or Session()
    problems = Collector()
    misplaced = misplaced_cache(project.cache_dir, project.root)
    if misplaced is not None:  # (REFORMDASH_CACHE_DIR, or .cache itself a link: nothing may be written there)
        raise BuildFailed([misplaced])
    # What `build` refuses before it reads anything, reported with every other problem of the run: links
    # leaving the project or pipes under assets/ and templates/, and the content pages. The translations are
    # read only when templates/i18n/ is known to stay inside the project. (Kept apart until the data are
    # validated: an error among them must not stop the validation before the reports are read.)
    memo = session.same_inputs
    templates = template_problems(project.templates_dir, project.root)
    if not templates:  # (a template that can be read safely: its syntax, at its line, with every other problem)
        templates = template_syntax_problems(project.templates_dir, project.root, memo)
    loads = remote_loads(project.templates_dir, project.assets_dir, project.root)
    unsafe = source_problems(project.assets_dir, project.root) + templates
    i18n = shown_path(project.templates_dir / "i18n", project.root)
    if any(p.origin.file == i18n or p.origin.file.startswith(i18n + "/") or i18n.startswith(p.origin.file + "/")
           for p in templates):  # (a link at templates/i18n/ or above it)
        languages: tuple[Language, ...] = ()
        codes = tuple(p.stem for p in sorted(listed(project.templates_dir / "i18n", "*.yaml")))
    else:
        languages = load_languages(project.templates_dir, project.root, problems)
        codes = tuple(lang.code for lang in languages)
    unsafe += content_pages(project, "gioi-thieu", codes or (SOURCE,))[1]
    try:
        data = load_and_validate(project, problems, session)
    except BuildFailed as failure:
        raise BuildFailed(sorted([*failure.problems, *unsafe], key=Problem.sort_key)) from None
    problems.problems += unsafe + loads
    catalogue = data.catalogue
    computed = []
    statuses = statuses_by_plan(data.statuses)
    today = date.today()
    # In `serve` the plans and status reports of unchanged files are the objects of the last build
    # (the session's result cache), and so is the progress made from them (a third of a rebuild's check).
    for report in data.reports:
        result = data.computed[report.key]
        begins = catalogue.periods[report.period].start
        if begins > today:  # (a mistyped period or year: its figures cannot be that period's yet)
            problems.warning("W318", f"the report is for {report.period}, a period that has not begun: it begins on "
                             f"{begins:%d/%m/%Y}", report.origin, "check period: and the file's name (a year "
                             "mistyped?); a report is written once its period has begun, and is published as written")
        plan = data.plans.get((report.department, catalogue.periods[report.period].year))
        own = statuses.get((plan.department, plan.year), []) if plan is not None else []
        plan_flags = memo.get(("cross-check", report.key), (report.digest, plan, *own),
                              lambda result=result, plan=plan, own=own: cross_check(result, plan, own, catalogue))
        problems.problems.extend(plan_flags)
        computed.append(dataclasses.replace(result, flags=result.flags + plan_flags))
        if report.narrative_markdown:  # (the same memo as page_jobs': a narrative's depth is measured once)
            problems.problems.extend(memo.get(("markdown depth", report.key), (report.narrative_markdown,),
                                              lambda report=report: markdown_problems(report.narrative_markdown,
                                                                              report.narrative_origin)))
    problems.problems.extend(repeated_reports(data.reports, catalogue, lambda report: memo.get(
        ("figures", report.key), (report.digest,), lambda: report_figures(report))))
    if problems.has_errors():
        raise BuildFailed(problems.sorted())
    ends = [catalogue.periods[r.period].end for r in data.reports] + \
        [catalogue.periods[s.period].end for s in data.statuses]
    reference = max(ends, default=None)
    progress = []
    for key, plan in data.plans.items():
        own, at = statuses.get(key, []), reference or date(plan.year, 12, 31)
        progress.append(memo.get(("progress", key), (plan, at, *own),
                                 lambda plan=plan, own=own, at=at: plan_progress(plan, own, catalogue, at)))
    return BuildResult(catalogue, computed, problems, progress=progress, releases=data.releases, languages=languages)


def build(project: Project, on_progress: Callable[[str], None] | None = None,
          session: Session | None = None) -> BuildResult:
    """Everything `check` does, then charts and pages, then publish site/ atomically.

    `on_progress` hears one line per stage (for a terminal; the engine itself never prints). `session`: what the
    process's last build of the project kept (`serve` passes its own; by default none).
    """
    session = session or Session()
    tell = on_progress or (lambda message: None)
    begun = started = time.perf_counter()
    unsafe = output_problems(project.site_dir, project.root, project.sources())
    if unsafe:  # before any work: a build that cannot publish should say so at once (the assets: in check)
        raise BuildFailed(unsafe)
    result = check(project, session)
    # A release whose archive the site publishes must not vanish with its file (deleted with HEAD rewound).
    gone = unpublished_releases(project.site_dir, result.releases, project.root)
    if gone:
        raise BuildFailed(gone)
    result.timings["load+validate+compute"] = time.perf_counter() - started
    tell(f"checked {len(result.reports)} reports ({time.perf_counter() - begun:.1f} s)")
    started = time.perf_counter()
    reports = Reports.of(result.catalogue, result.reports)
    languages = result.languages
    memo = session.same_inputs
    sources, jobs = plan_pages(project, reports, result.progress, result.problems.warnings, result.releases,
                               languages, memo, strict=project.strict)
    reused: set[str] = set()
    # Each report's lines of the whole dataset, kept while the report, catalogue, translations and engine stay.
    lines = BytesCache(project.cache_dir / "open-data",
                       fingerprint([*catalogue_files(project.data_dir), *listed(project.templates_dir, "i18n/*.yaml")]))
    # (The files are made as they are read, once `reused` is known; the links at once.) What each page's
    # downloads read is recorded with that page (they are kept or made again with it).
    downloads_read: dict[str, Trace] = {}
    stored = store_file(project)
    previous, signatures = load_pages(stored, project.site_dir)
    intact = FileSignatures(project.site_dir, signatures)  # a file kept from site/ must be the one published
    # A year's values file is kept from site/ while its reports and the context of their lines are the same (its
    # key, stored with the pages'): a change rewrites one year's file, not the province's whole history.
    year_keys = values_keys(reports, lines.context)
    kept_values = {path for path, key in year_keys.items() if key and path in previous and previous[path][1] == key
                   and intact.same(path)}
    data_files, download_links = open_data(reports, languages[0], wanted=lambda page: page not in reused,
                                           remember=lines.get_or_make,
                                           view=lambda page: TracedReports(reports, downloads_read.setdefault(
                                               page, Trace())),
                                           values_wanted=lambda path: path not in kept_values)
    # A page is taken from site/ as it is when none of what it read last time changed (its key is the same).
    digests = Digests(project, sources, memo)

    def key_of(job, dependencies) -> str:
        # (its download links: the default language's, which the language and the path make into the page's own)
        return digests.key(job.lang, job.path, repr(download_links.get(job.path.removeprefix(job.lang.prefix))),
                           dependencies)

    # (Not read: the writer links them from the previous site, the search index keeps their documents.)
    reused.update(job.path for job in jobs if job.path in previous
                  and previous[job.path][1] == key_of(job, previous[job.path][0])
                  and intact.same(job.path) and all(intact.same_or_none(path) for path in page_data_paths(job.path)))
    # From here on every file goes straight into the staging directory: nothing holds the whole site.
    staging = Staging(project.site_dir)
    # The open data is written by a second process while this one makes the pages' contexts: both
    # stages use one core each.
    open_data_beside = Beside(lambda: _place_open_data(data_files, reused, staging, downloads_read, kept_values),
                              fork=project.processes > 1)
    try:
        # The contexts of pages without charts are made by the render workers, in parallel.
        pages = [(job.template, job.make() if job.holds_charts else job.make) for job in jobs if job.path not in reused]
        result.timings["contexts"] = time.perf_counter() - started
        tell(f"prepared {len(pages)} pages, {len(reused)} unchanged ({time.perf_counter() - begun:.1f} s)")
        started = time.perf_counter()
        svgs, stats = render_charts([c for _, ctx in pages if not callable(ctx) for c in charts_in(ctx)],
                                    project.cache_dir / "charts",
                                    processes=project.processes)
        result.timings["charts"] = time.perf_counter() - started
        tell(f"charts: {stats.rendered} drawn, {stats.cached} from cache ({time.perf_counter() - begun:.1f} s)")
        written, recorded, downloads = _make_files(project, result, reports, jobs, pages, reused, svgs, download_links,
                                                   open_data_beside, staging, session)
    except BaseException as error:
        open_data_beside.close()
        staging.discard()
        if isinstance(error, TemplateFailed):  # a template's mistake, at its line: nothing was published
            raise BuildFailed([template_problem(error, project.root)]) from None
        raise
    records = {}
    for job in jobs:
        if job.path in reused:
            records[job.path] = previous[job.path]
        else:
            dependencies = recorded.get(job.path) or job.trace.dependencies()
            if job.path in downloads:  # (the default language's page, beside which its downloads lie)
                dependencies = tuple(dict.fromkeys(dependencies + downloads[job.path]))
            records[job.path] = (dependencies, key_of(job, dependencies))
    records.update((path, ((), key)) for path, key in year_keys.items() if key)
    # Each kept or made page's file, its downloads and the years' values files as published now: the files kept
    # were checked above and are the same files (links); the others are looked at.
    kept = reused | kept_values
    published = {}
    for page in records:
        for path in (page, *page_data_paths(page)) if page.endswith(".html") else (page,):
            signature = signatures.get(path) if page in kept else intact.now(path)
            if signature is not None:
                published[path] = signature
    try:
        save_pages(stored, project.site_dir, records, published)
    except OSError:  # (the new site is published: a store not written costs the next build its kept pages only)
        with contextlib.suppress(OSError):
            stored.unlink(missing_ok=True)  # (the last build's store must not be read as this site's)
    result.pages, result.files_written, result.pages_rebuilt = len(jobs), written.written, len(pages)
    tell(f"rendered {len(pages)} pages, published {written.files} files ({time.perf_counter() - begun:.1f} s)")
    result.charts, result.charts_drawn = stats.rendered + stats.cached, stats.rendered
    return result


def _place_open_data(data_files: Iterable[OutputFile], reused: set[str], staging: Staging,
                     read: dict[str, Trace], kept: set[str]) -> tuple[list[str], list[str], float, dict[str, tuple]]:
    """Every open-data file into `staging`, and the pages kept from the previous site with their downloads, and
    the files `kept` as they are: (the files placed, those of them written, seconds, what each page's downloads
    read)."""
    started = time.perf_counter()
    placed, written = [], []
    for item in data_files:
        placed.append(item.path)
        if staging.place(item):
            written.append(item.path)
    placed += staging.keep({path for page in reused for path in (page, *page_data_paths(page))} | kept)
    return placed, written, time.perf_counter() - started, {page: t.dependencies() for page, t in read.items()}


def _make_files(project: Project, result: BuildResult, reports: Reports, jobs: list, pages: list[tuple[str, object]],
                reused: set[str], svgs: dict[str, str], download_links: dict, open_data_beside: Beside,
                staging: Staging, session: Session) -> tuple[WriteResult, dict[str, tuple], dict[str, tuple]]:
    """Pages, search indexes and feeds into `staging` beside the open data, then publish it; the stage timings.
    Also what each page whose context the render workers made read, and what each page's downloads read (by
    the page's path)."""
    languages, site_dir = result.languages, project.site_dir
    started = time.perf_counter()
    envs = {}
    for lang in languages:
        env = envs[lang.code] = make_environment(project.templates_dir, lang, project.csp, project.cache_dir)
        env.globals["chart_svg"] = svgs.__getitem__
        env.globals["quality_page"] = project.quality_page
        env.globals["downloads_for"] = downloads_in(lang, download_links)

    waiting = {job.path: job for job in jobs if not job.holds_charts}

    def place(context, html: bytes) -> tuple[bool, dict | None, tuple | None]:
        # runs where the page was rendered (a forked worker, when shared): written, its search document, and
        # what its context read when the worker made it
        lang, path = context.page.lang, context.page.output_path
        within = path.removeprefix(lang.prefix)
        read = waiting[path].trace.dependencies() if path in waiting else None
        return (staging.place(OutputFile(path, html)),
                (lang.code, document(within, html, lang)) if indexed(within) else None, (path, read))

    placed = render_pages(envs, pages, project.processes, place, project.page_seconds)
    for env in envs.values():  # (an environment and its templates refer to each other: a cycle, which Python frees
        env.globals.clear()    # only at its rare full collections; let this build's drawings and fragments go now)
    for written, _, (path, _) in placed:
        staging.record(path, written)
    staging.count(len(placed), sum(written for written, _, _ in placed))
    recorded = {path: read for _, _, (path, read) in placed if read is not None}
    result.timings["render"] = time.perf_counter() - started
    started = time.perf_counter()
    documents: dict[str, list[dict]] = {lang.code: [] for lang in languages}
    for _, found, _ in placed:
        if found is not None:
            documents[found[0]].append(found[1])
    stamp = site_stamp(site_dir)  # (the site published now, which kept pages are taken from)
    for lang in languages:  # one index per language, of that language's pages
        index = lang.prefix + SEARCH_INDEX
        kept = session.search_documents.get(index)
        earlier = {} if not reused else kept[1] if kept is not None and kept[0] == stamp \
            else previous_documents(site_dir / index)
        for path in sorted(reused):
            within = path.removeprefix(lang.prefix)
            if language_of(path, languages) is not lang or not indexed(within):
                continue
            # a page kept from the previous site keeps its document, or is read again if its index lacks it
            documents[lang.code].append(earlier.get(within) or document(within, (site_dir / path).read_bytes(), lang))
        staging.add(OutputFile(index, index_bytes(documents[lang.code], session.same_inputs, index)))
    result.timings["search"] = time.perf_counter() - started
    started = time.perf_counter()
    site = result.catalogue.site
    for lang in languages:
        staging.add(OutputFile(lang.prefix + "feed.xml", atom_feed(reports, result.releases, site.base_url, lang)))
    staging.add(OutputFile("robots.txt", robots(site.base_url)))
    if site.base_url:
        staging.add(OutputFile("sitemap.xml", sitemap(site.base_url, [job.path for job in jobs], languages)))
    units = {i.id: i.unit for i in result.catalogue.indicators.values()}
    for release in result.releases:
        for path, content in release_downloads(release, units):
            staging.add(OutputFile(path, content))
    result.timings["feeds"] = time.perf_counter() - started
    files, written_data, result.timings["open data"], downloads_read = open_data_beside.result()  # (beside the above)
    for path in files:
        staging.record(path, False)
    for path in written_data:
        staging.record(path, True)
    staging.count(len(files), len(written_data))
    started = time.perf_counter()
    written = staging.publish(project.assets_dir)
    result.timings["write"] = time.perf_counter() - started
    published = site_stamp(site_dir)
    session.search_documents = {lang.prefix + SEARCH_INDEX: (published, {d["p"]: d for d in documents[lang.code]})
                                for lang in languages}
    return written, recorded, downloads_read


def charts_in(context: object) -> list[Chart]:
    """Every chart a page context holds, however deep (in the fields whose type names a chart)."""
    if isinstance(context, Chart):
        return [context]
    if isinstance(context, (list, tuple)):
        return [c for item in context for c in charts_in(item)]
    if dataclasses.is_dataclass(context) and not isinstance(context, type):
        return [c for name in _chart_fields(type(context)) for c in charts_in(getattr(context, name))]
    return []


@functools.cache
def _chart_fields(cls: type) -> tuple[str, ...]:
    """The fields of a page-context class that can hold charts: a report page's hundreds of rows cannot."""
    hints = typing.get_type_hints(cls, vars(sys.modules[cls.__module__]))
    return tuple(f.name for f in dataclasses.fields(cls) if _may_hold_chart(hints[f.name]))


def _may_hold_chart(hint: object) -> bool:
    if hint is Chart:
        return True
    if dataclasses.is_dataclass(hint):
        return bool(_chart_fields(hint))
    return any(_may_hold_chart(arg) for arg in typing.get_args(hint))


def downloads_in(lang: Language, links: dict[str, tuple[tuple[str, str], ...]]) -> Callable[[str], tuple]:
    """A page's download links for its pages in `lang`: the same files, reached from the language's folder."""
    def downloads_for(path: str) -> tuple[tuple[str, str], ...]:
        found = links.get(path, ())
        if not lang.prefix:  # the files sit beside the default language's pages
            return tuple((link_text(lang.t, label, href), href) for label, href in found)
        here, there = posixpath.dirname(lang.prefix + path), posixpath.dirname(path)
        return tuple((link_text(lang.t, label, href), posixpath.relpath(posixpath.normpath(posixpath.join(there, href)),
                                                                         here))
                     for label, href in found)
    return downloads_for
