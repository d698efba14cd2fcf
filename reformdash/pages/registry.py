"""Which pages the site has: every page of every registered page type, in every language.

Each page type is a unit of `reformdash/pages/` (`PageType`): its pages, its template and its context
function. A page's context reads the build's data through its own `PageData`, which records what it read;
the pipeline keys the page by that record (`pagestore`), so a rebuild after one report changed redoes only
the pages that read something of it.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from ..incremental.cache import SameInputs
from . import department, home, indicator, lists, period, plan, quality, releases as release_pages, report
from .access import PageData, Sources, Trace, guarded
from .report import ReportParts
from .unit import PageType
from ..inputs.language import SOURCE, Language
from ..inputs.load import NARRATIVE, InputKind, direction_control, read_input
from ..problems import BuildFailed, Collector, Origin, Problem, Severity, shown_path
from ..facts.progress import PlanProgress
from ..inputs.releases import Release, revision_history, site_status, snapshot_of
from ..output.render import MAX_MARKDOWN_DEPTH, dropped_addresses, markdown_too_deep, template_problems
from ..inputs.fields import shown
from ..facts.summary import Reports

if TYPE_CHECKING:
    from ..pipeline import Project

# Every page type, in the order the site lists its pages (the default language's first, then each other's).
UNITS: list[PageType] = [home.UNIT, report.UNIT, department.UNIT, plan.PLAN, plan.PLANS, indicator.UNIT,
                         period.UNIT, quality.UNIT, lists.DEPARTMENTS, lists.INDICATORS, lists.PERIODS, lists.SEARCH,
                         lists.ABOUT, release_pages.RELEASES, release_pages.RELEASE, release_pages.DRAFT]


@dataclass(frozen=True)
class PageJob:
    path: str  # under site/: the language's folder, then the page's path among its language's pages
    template: str
    make: Callable[[], object]  # the page's context, its reads recorded in `trace`
    lang: Language
    trace: Trace
    # False: the page draws no chart, so its context can wait to be made where the page is rendered
    holds_charts: bool = True


def page_jobs(project: "Project", reports: Reports, progress: list[PlanProgress], warnings: list[Problem],
              releases: list[Release], languages: tuple[Language, ...],
              memo: SameInputs | None = None) -> list[PageJob]:
    """Every page of the site, in every language: the default language's first."""
    return plan_pages(project, reports, progress, warnings, releases, languages, memo)[1]


def plan_pages(project: "Project", reports: Reports, progress: list[PlanProgress], warnings: list[Problem],
               releases: list[Release], languages: tuple[Language, ...], memo: SameInputs | None = None,
               strict: bool = False) -> tuple[Sources, list[PageJob]]:
    """What the pages are made from, and every page of the site in every language (the default language's
    first). With `strict`, a context that reads a file of the project fails the build (see `access.guarded`).

    `memo` keeps what was made from unchanged reports for the next build of this process.
    """
    memo = memo or SameInputs()
    # Nothing is read from templates/ or content/ before they are known to stay inside the project.
    unsafe = template_problems(project.templates_dir, project.root)
    about, found = content_pages(project, "gioi-thieu", tuple(lang.code for lang in languages))
    unsafe += found + [problem for c in reports.all() if c.report.narrative_markdown
                       for problem in memo.get(("markdown depth", c.report.key), (c.report.narrative_markdown,),
                                               lambda c=c: markdown_problems(c.report.narrative_markdown,
                                                                     c.report.narrative_origin))]
    if any(problem.severity is Severity.ERROR for problem in unsafe):  # (its warnings are check's to report)
        raise BuildFailed(sorted(warnings + unsafe, key=Problem.sort_key))
    cat = reports.catalogue
    # The data as it stands, to compare with the last release (none yet: nothing to compare).
    current = snapshot_of([c.report for c in reports.all()]) if releases else {}
    status = site_status(releases, current, reports.latest_period(), cat.site, languages)
    by_report: dict[tuple[str, str], dict] = {}
    for (key, row), points in revision_history(releases).items():
        by_report.setdefault(key, {})[row] = points
    sources = Sources(reports, progress, warnings, releases, status, current, by_report, about, ReportParts(cat),
                      project.quality_page)
    watched = project.root if strict else None
    jobs = []
    for lang in languages:
        for unit in UNITS:
            for path, arguments in unit.pages(sources):
                jobs.append(_job(unit, sources, lang, lang.prefix + path, arguments, watched))
    return sources, jobs


def _job(unit: PageType, sources: Sources, lang: Language, path: str, arguments: tuple,
         watched: Path | None) -> PageJob:
    trace = Trace()

    def make() -> object:
        with guarded(path, watched):
            return unit.context(PageData(sources, lang, trace), *arguments)
    return PageJob(path, unit.template, make, lang, trace, unit.holds_charts)


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
    found_in_text = markdown_problems(text, Origin(name, 1, 1)) if text is not None else []
    problems += found_in_text
    return None if any(p.severity is Severity.ERROR for p in found_in_text) else text


def markdown_problems(text: str, origin: Origin | None) -> list[Problem]:
    """The problem of a Markdown text nested too deeply to convert (see `markdown_too_deep`), or none; and a
    warning for each link or image the published page leaves out (W133)."""
    file = origin.file if origin else "content"
    problems = []
    for at, url, image in dropped_addresses(text):
        line, column = text.count("\n", 0, at) + 1, at - text.rfind("\n", 0, at)
        problems.append(Problem(
            Severity.WARNING, "W133", f"the {'image' if image else 'link'} '{shown(url)}' is left out of the page: "
            + ("a page shows only images of the site itself (it loads nothing from elsewhere)" if image else
               "a page links only to http(s) and mailto addresses and to its own pages"), Origin(file, line, column),
            "put the image in assets/ and give its address there" if image else
            "write the address in full, beginning https://"))
    hidden = direction_control(text, file, markup=True)  # ("‮0913 983 072" shows a telephone number backwards)
    if hidden is not None:
        problems.append(hidden)
    line = markdown_too_deep(text)
    if not line:
        return problems
    return problems + [Problem(Severity.ERROR, "E132", f"lists, quotes or indents nested more than "
                               f"{MAX_MARKDOWN_DEPTH} levels deep", Origin(file, line, 1),
                               "nest fewer levels: a page shows a few levels of a list at most")]
