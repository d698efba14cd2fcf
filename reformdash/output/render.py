"""Jinja rendering: the environment, safe Markdown, and rendering one page.

Data strings are autoescaped and never treated as templates; Markdown
content has its raw HTML escaped and unsafe link schemes removed. Page
contexts are built in reformdash/pages/; templates do no arithmetic.
"""
from __future__ import annotations

import contextlib
import gc
import html
import multiprocessing
import re
import signal
import stat
import threading
import xml.etree.ElementTree as etree
from pathlib import Path
from typing import Callable, Iterator

import jinja2
import jinja2.debug
import markdown
import markupsafe
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

from ..incremental.cache import SameInputs, TemplateCache
from ..incremental.parallel import WorkerLost, pool_result
from ..inputs.language import Language
from ..inputs.load import listed
from ..problems import BuildFailed, Origin, Problem, Severity, shown_path

# A URL's scheme as a browser reads it: a letter, then letters, digits, + - . up to the first colon.
_SCHEME = re.compile(r"([a-z][a-z0-9+.-]*):", re.IGNORECASE)
_SAFE_SCHEMES = frozenset({"http", "https", "mailto"})
# Python-Markdown's placeholders in an attribute: an escaped character (STX code ETX), and its "&" of an entity.
_STASHED = re.compile(f"{markdown.util.STX}([0-9]+){markdown.util.ETX}")
_SPACE_AND_CONTROLS = "".join(map(chr, range(0x21)))


def safe_url(value: str, image: bool = False) -> bool:
    """True for an http(s), mailto, relative or fragment URL; for an image, a relative one only (the site
    loads nothing from elsewhere).

    Judged on the URL the browser follows: character references decoded (`javascript&colon;` and
    `&#58;` are a colon to it), tabs and newlines removed and leading controls and spaces stripped,
    as the URL parser does. A URL starting with two slashes (or backslashes, which browsers read as
    slashes) names another host with no scheme: on a site opened from the disk it becomes a file:// link
    to a network share, so it is refused; a department writes https:// in full.
    """
    url = _STASHED.sub(lambda m: chr(int(m.group(1))), value.replace(markdown.util.AMP_SUBSTITUTE, "&"))
    url = re.sub(r"[\t\n\r]", "", html.unescape(url)).lstrip(_SPACE_AND_CONTROLS)
    if re.match(r"[/\\]{2}", url):
        return False
    scheme = _SCHEME.match(url)
    if image:
        return scheme is None
    return scheme is None or scheme.group(1).lower() in _SAFE_SCHEMES


# Where Markdown text names an address: an inline link or image "[text](url)" / "![alt](url)", a reference
# definition "[name]: url", an autolink "<scheme:...>". (Found in the text, for the check to name each one dropped.)
_MD_INLINE = re.compile(r"(!?)\[[^\]\n]*\]\(\s*<?([^\s)>]+)")
_MD_DEFINITION = re.compile(r"^ {0,3}\[[^\]\n]+\]:[ \t]*<?([^\s>]+)", re.MULTILINE)
_MD_AUTOLINK = re.compile(r"<([a-zA-Z][a-zA-Z0-9+.-]{1,31}:[^\s<>]*)>")
# Code, where brackets and parentheses are text: a fenced block, a `span`; and an escaped bracket
_MD_CODE = re.compile(r"^ {0,3}(`{3,}|~{3,})[^\n]*\n.*?(?:^ {0,3}\1[^\n]*$|\Z)|(`+)(?!`).+?(?<!`)\2(?!`)|\\[\[\]<!]",
                      re.MULTILINE | re.DOTALL)


def dropped_addresses(text: str) -> list[tuple[int, str, bool]]:
    """(offset, address, whether an image) of each link or image the published page leaves out: a link that is not
    http(s), mailto or the site's own (javascript:, data:, //host), an image from anywhere but the site. Code
    (fenced blocks, `spans`) and escaped brackets are text, not links: blanked first, keeping every offset."""
    text = _MD_CODE.sub(lambda m: re.sub(r"[^\n]", " ", m.group()), text)
    found = [(m.start(2), m.group(2), m.group(1) == "!") for m in _MD_INLINE.finditer(text)]
    found += [(m.start(1), m.group(1), False) for m in _MD_DEFINITION.finditer(text)]
    found += [(m.start(1), m.group(1), False) for m in _MD_AUTOLINK.finditer(text)]
    # (one place once: "[x](<javascript:...>)" is an inline link and an autolink)
    return sorted({at: (at, url, image) for at, url, image in found if not safe_url(url, image=image)}.values())


class _DropUnsafeLinks(Treeprocessor):
    def run(self, root: etree.Element) -> None:
        for element in root.iter():
            for attribute in ("href", "src"):
                value = element.get(attribute)
                if value is not None and not safe_url(value, image=attribute == "src"):
                    del element.attrib[attribute]


class _DemoteHeadings(Treeprocessor):
    """Narrative headings sit under the page's own h2: ## becomes h3. A content page's sit under the page's h1: they
    are moved down only when one is an h1 (`# ...`), which would be the page's second."""

    def __init__(self, md: markdown.Markdown, always: bool = True) -> None:
        super().__init__(md)
        self.always = always

    def run(self, root: etree.Element) -> None:
        headings = [element for element in root.iter() if re.fullmatch(r"h[1-5]", element.tag)]
        if self.always or any(element.tag == "h1" for element in headings):
            for element in headings:
                element.tag = f"h{int(element.tag[1]) + 1}"


class _ReadableTables(Treeprocessor):
    """A Markdown table: its header cells name their columns (scope), it scrolls inside the text's
    width rather than widening the page, and a column's alignment is dropped (an inline style the
    site's content policy would refuse)."""

    def run(self, root: etree.Element) -> None:
        for parent in list(root.iter()):
            for index, table in enumerate(list(parent)):
                if table.tag != "table":
                    continue
                for cell in table.iter():
                    if cell.tag in ("th", "td"):
                        cell.attrib.pop("style", None)
                        cell.attrib.pop("align", None)
                    if cell.tag == "th":
                        cell.set("scope", "col")
                wrapper = etree.Element("div", {"class": "scroll"})
                wrapper.tail, table.tail = table.tail, None
                parent.remove(table)
                wrapper.append(table)
                parent.insert(index, wrapper)


class _SafeMarkdown(Extension):
    """Raw HTML in content is shown as text; javascript: and data: links are dropped; tables read well."""

    def __init__(self, demote: bool) -> None:
        super().__init__()
        self.demote = demote

    def extendMarkdown(self, md: markdown.Markdown) -> None:
        md.preprocessors.deregister("html_block")
        md.inlinePatterns.deregister("html")
        md.treeprocessors.register(_DropUnsafeLinks(md), "drop_unsafe_links", 0)
        md.treeprocessors.register(_ReadableTables(md), "readable_tables", 2)
        md.treeprocessors.register(_DemoteHeadings(md, always=self.demote), "demote_headings", 1)


_converters: dict[bool, markdown.Markdown] = {}

# Python-Markdown parses nested lists and quotes by recursion: some hundreds of levels exhaust Python's
# stack. No prose nests this deep; a text that does is refused before it is converted.
MAX_MARKDOWN_DEPTH = 40
_NESTING = re.compile(r" {0,3}(?:>|[-*+](?=\s|$)|[0-9]{1,9}[.)](?=\s|$))[ \t]?")


class MarkdownTooDeep(ValueError):
    """A text nested deeper than Python-Markdown can convert; callers check `markdown_too_deep` first."""


def markdown_too_deep(text: str) -> int:
    """The first line (from 1) nested more than MAX_MARKDOWN_DEPTH levels deep in lists, quotes or indented
    blocks; 0 when none is. Counts every marker and indent at a line's start, so it never counts too few."""
    for number, line in enumerate(text.splitlines(), 1):
        if len(line) <= MAX_MARKDOWN_DEPTH:  # too short to hold that many levels
            continue
        line, depth, at = line.expandtabs(4), 0, 0
        while depth <= MAX_MARKDOWN_DEPTH:
            if line.startswith("    ", at):
                at += 4
            else:
                marker = _NESTING.match(line, at)
                if marker is None:
                    break
                at = marker.end()
            depth += 1
        if depth > MAX_MARKDOWN_DEPTH:
            return number
    return 0


# Python-Markdown's link patterns take time quadratic in a paragraph's unclosed link openings: 5 000
# "[a](" in one paragraph took 5 s, 150 000 hung the build. No real paragraph holds a hundred links, so
# such a paragraph is not given to the converter at all: it is shown as the characters it holds.
MAX_LINKS_PER_PARAGRAPH = 100
_FLOOD = "reformdashflood{}x"  # a placeholder paragraph the converter keeps as it is


def _set_floods_apart(text: str) -> tuple[str, list[str]]:
    """The text with each paragraph holding more than MAX_LINKS_PER_PARAGRAPH link openings replaced by a
    placeholder, and those paragraphs."""
    if text.count("](") <= MAX_LINKS_PER_PARAGRAPH:
        return text, []
    floods: list[str] = []
    parts = re.split(r"(\n[ \t]*\n)", text)
    for index, part in enumerate(parts):
        if part.count("](") > MAX_LINKS_PER_PARAGRAPH:
            parts[index] = _FLOOD.format(len(floods))
            floods.append(part)
    return "".join(parts), floods


def markdown_to_html(text: str, demote: bool = True) -> str:
    """Safe HTML of Markdown content; `demote` when it sits under a heading of the page's own."""
    # One converter, reset between texts: setting one up costs more than converting a narrative.
    converter = _converters.get(demote)
    if converter is None:
        converter = _converters[demote] = markdown.Markdown(
            extensions=["footnotes", "sane_lists", "tables", _SafeMarkdown(demote)], output_format="html")
    text, floods = _set_floods_apart(text)
    try:
        out = converter.reset().convert(text)
    except RecursionError:
        raise MarkdownTooDeep(f"the text is nested too deeply (line {markdown_too_deep(text)})") from None
    for number, flood in enumerate(floods):
        out = out.replace(f"<p>{_FLOOD.format(number)}</p>", f"<p>{html.escape(' '.join(flood.split()))}</p>", 1)
    return out


# The published site runs no inline script and loads nothing from another origin.
PUBLISHED_CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; font-src 'self'; "
                 "connect-src 'self'; base-uri 'none'; form-action 'none'")


def template_problems(templates_dir: Path, root: Path) -> list[Problem]:
    """Files of templates/ (templates and their translations) that are links leaving the project, or no
    regular file (a pipe would hang the build): each an error naming it. Jinja's loader follows links, so a
    template linked to a file elsewhere would be read and its text published."""
    problems: list[Problem] = []
    if not templates_dir.is_dir():
        return problems
    project = root.absolute().resolve()
    for path in [templates_dir, *sorted(templates_dir.rglob("*"))]:
        shown = shown_path(path, root)
        if not path.resolve().is_relative_to(project):
            problems.append(Problem(Severity.ERROR, "E412", f"'{shown}' is a link to a file outside the project "
                                    f"({path.resolve()}); it would be read as a template and published",
                                    Origin(shown), "copy the file into templates/ instead of linking it"))
        elif path.exists() and not path.is_dir() and not stat.S_ISREG(path.stat().st_mode):
            problems.append(Problem(Severity.ERROR, "E413", f"'{shown}' is not a regular file (a pipe, socket or "
                                    "device)", Origin(shown), "remove it from templates/"))
    return problems


class _ProjectTemplates(jinja2.FileSystemLoader):
    """Jinja's file loader, refusing a template whose file lies outside the project (a link leaving it)."""

    def __init__(self, templates_dir: Path, root: Path) -> None:
        super().__init__(str(templates_dir))
        self.templates_dir, self.root = templates_dir, root.absolute().resolve()

    def get_source(self, environment: jinja2.Environment, template: str) -> tuple:
        path = self.templates_dir.joinpath(*jinja2.loaders.split_template_path(template))
        if not path.resolve().is_relative_to(self.root):
            raise jinja2.TemplateNotFound(template, f"'{template}' is a link to a file outside the project")
        return super().get_source(environment, template)


def make_environment(templates_dir: Path, lang: Language | None = None, csp: str = PUBLISHED_CSP,
                     cache_dir: Path | None = None) -> jinja2.Environment:
    """The Jinja environment of one language's pages: `_` translates the templates' Vietnamese text.

    The project is the folder that holds templates/; BuildFailed when templates/ links outside it."""
    root = templates_dir.absolute().parent
    unsafe = template_problems(templates_dir, root)
    if unsafe:
        raise BuildFailed(unsafe)
    bytecode = None
    if cache_dir is not None:
        (cache_dir / "templates").mkdir(parents=True, exist_ok=True)
        bytecode = TemplateCache(cache_dir / "templates")  # (each compiled template checked when read)
    env = jinja2.Environment(
        loader=_ProjectTemplates(templates_dir, root), bytecode_cache=bytecode,
        autoescape=jinja2.select_autoescape(default=True, default_for_string=True),
        undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
        auto_reload=False)  # one environment per build: no need to stat a template at every include
    env.globals["csp"] = csp
    if lang is not None:
        env.globals["lang"] = lang
        env.globals["_"] = lang.t
        env.globals["in_vietnamese"] = in_vietnamese if not lang.is_source else markupsafe.escape
        env.globals["date"] = lang.date
    env.globals["once"] = _Once()
    return env


class _Once(dict):
    """`once(key, macro, *args)`: the macro's output, made at the first call with that key and reused after.

    For a fragment that many pages repeat whole (a form row's number, label and unit: 178 rows on each of
    thousands of report pages). The key must stand for everything the output depends on; the environment
    is one language's, and is made anew for each build.
    """

    def __call__(self, key: object, macro: Callable, *args: object) -> markupsafe.Markup:
        made = self.get(key)
        if made is None:
            made = self[key] = macro(*args)
        return made


def in_vietnamese(text: str) -> markupsafe.Markup:
    """Text that exists only in Vietnamese, on a page in another language: marked so (lang="vi")."""
    if not text:
        return markupsafe.Markup("")
    return markupsafe.Markup('<span lang="vi">{}</span>').format(text)


class TemplateFailed(Exception):
    """A template that cannot be read or cannot render a page: (message, the template's file, its line). Raised where
    the page is rendered (a worker too: it pickles as its arguments) and reported as the template's problem."""

    # what went wrong, the problem's code and hint: (code, hint) by kind
    HINTS = {
        "syntax": ("E414", "check the {% %} and {{ }} tags on this line: each tag opened must be closed, each block "
                           "ended"),
        "render": ("E415", "check this line of the template: a name the page's data do not have (see the other "
                           "templates for the names they use), a file it includes, a loop without end"),
        "empty": ("E415", "this template or one it builds on ({% extends %}: base.html) is empty or makes nothing; if "
                          "one was emptied by mistake, take it back from the project's history (git) or a copy"),
    }

    def __init__(self, message: str, file: str, line: int, kind: str = "render") -> None:
        super().__init__(message, file, line, kind)
        self.message, self.file, self.line, self.kind = message, file, line, kind


class _TooLong(BaseException):
    """Raised into a page's rendering when it passes its deadline (not an Exception: a filter's `except Exception`
    must not swallow it, the timer does not fire twice)."""


def _page_overran(signum: int, frame: object) -> None:
    raise _TooLong()


@contextlib.contextmanager
def page_deadlines(seconds: float | None) -> Iterator[Callable[[], contextlib.AbstractContextManager]]:
    """`with page_deadlines(s) as deadline: ... with deadline(): render one page`: a page whose template runs
    longer than `seconds` is stopped (a loop without end would hang the build, and the preview with it). A
    timer signal, so only where signals reach: the main thread of this process (a forked render worker's
    too); elsewhere, or with None, pages have no deadline."""
    if not seconds or not hasattr(signal, "setitimer") or threading.current_thread() is not threading.main_thread():
        yield contextlib.nullcontext
        return
    seconds = min(seconds, 86400.0)  # (the timer takes no more than the platform's time_t)

    @contextlib.contextmanager
    def deadline() -> Iterator[None]:
        signal.setitimer(signal.ITIMER_REAL, seconds)
        try:
            yield
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)

    before = signal.signal(signal.SIGALRM, _page_overran)
    try:
        yield deadline
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, before)


def render_page(env: jinja2.Environment, template: str, context: object,
                deadline: Callable[[], contextlib.AbstractContextManager] = contextlib.nullcontext,
                seconds: float | None = None) -> str:
    """One page; `deadline()` (see `page_deadlines`, of `seconds`) bounds the template's run. A template that fails
    names the page it was making (its path says its language: en/...), as one page's data can fail where others
    do not."""
    making = getattr(getattr(context, "page", None), "output_path", None) or "a page"
    try:
        with deadline():
            page = env.get_template(template).render(ctx=context)
    except _TooLong:
        # (Jinja maps the frames of an Exception to the template's lines, not those of a BaseException: done here)
        file, line = _template_frame(jinja2.debug.rewrite_traceback_stack().__traceback__, template)
        raise TemplateFailed(f"the template ran for more than {seconds:g} s on {making} and was stopped: a loop "
                             "without end, or one far too long", file, line) from None
    except jinja2.TemplateSyntaxError as error:
        raise TemplateFailed(f"template syntax error: {error.message}", error.filename or error.name or template,
                             error.lineno or 0, "syntax") from None
    except jinja2.TemplateNotFound as error:
        file, line = _template_frame(error.__traceback__, template)
        raise TemplateFailed(f"the template '{error.name}' it includes is not in templates/", file, line) from None
    except (jinja2.TemplateError, RecursionError, ArithmeticError, LookupError, TypeError, ValueError,
            AttributeError) as error:  # what a template's own code can raise while it runs
        file, line = _template_frame(error.__traceback__, template)
        what = "it calls itself without end" if isinstance(error, RecursionError) \
            else str(error) or type(error).__name__
        raise TemplateFailed(f"the template stopped while making {making}: {what}", file, line) from None
    if not page or page.isspace():  # (an emptied base.html made every page blank, published with exit 0)
        raise TemplateFailed("the template made an empty page", env.get_template(template).filename or template, 0,
                             "empty")
    return page


def _template_frame(trace, template: str) -> tuple[str, int]:
    """The template file and line the error was raised at: the innermost frame of a template (Jinja gives its
    frames the template's file name and line); the page's template and line 0 when none is found."""
    found = (template, 0)
    while trace is not None:
        code = trace.tb_frame.f_code
        if code.co_filename.endswith(".html"):
            found = (code.co_filename, trace.tb_lineno)
        trace = trace.tb_next
    return found


def template_syntax_problems(templates_dir: Path, root: Path, memo: SameInputs | None = None) -> list[Problem]:
    """Every template of templates/ parsed as the build will compile it: a syntax error is an error at its line
    (found by `check` too, before any page is made). `memo` (in `serve`) keeps each template's reading while its
    text is the same: parsing every template is a third of a second at each rebuild."""
    if not templates_dir.is_dir():
        return []
    memo = memo or SameInputs()
    problems = []
    for path in sorted(listed(templates_dir, "**/*.html")):
        try:
            source = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            problems.append(Problem(Severity.ERROR, "E414", f"the template cannot be read: {error}",
                                    Origin(shown_path(path, root)), "save it again as UTF-8 text"))
            continue
        if not source.strip():  # (a partial emptied on purpose leaves its part out; a page's would be blank)
            problems.append(Problem(Severity.WARNING, "W417", "the template is empty: the pages that use it lose "
                                    "what it made (a page made from it alone is refused, E415)",
                                    Origin(shown_path(path, root)), "if it was emptied by mistake, take it "
                                    "back from the project's history (git) or from a copy"))
            continue
        failed, includes = memo.get(("template syntax", str(path)), (source,),
                                    lambda: _template_reading(source, path))
        if failed is not None:
            problems.append(template_problem(failed, root))
        # (whether an included template exists is looked at each time: it is another file)
        problems.extend(template_problem(TemplateFailed(f"the template '{name}' it includes is not in templates/",
                                                        str(path), line), root)
                        for name, line in includes if not templates_dir.joinpath(*name.split("/")).is_file())
    return problems


def _template_reading(source: str, path: Path) -> tuple[TemplateFailed | None, tuple[tuple[str, int], ...]]:
    """(its syntax error or None, the templates it names by a literal name with their lines) of one template."""
    parser = jinja2.Environment(trim_blocks=True, lstrip_blocks=True)
    try:
        tree = parser.parse(source, path.name, str(path))
        parser.compile(tree, path.name, str(path))  # (a filter the environment does not have is found here)
        for node in tree.find_all(jinja2.nodes.Test):
            if node.name not in parser.tests:
                raise jinja2.TemplateSyntaxError(f"no test named '{node.name}'", node.lineno, path.name, str(path))
    except jinja2.TemplateSyntaxError as error:
        return TemplateFailed(f"template syntax error: {error.message}", str(path), error.lineno or 0, "syntax"), ()
    includes = []
    for node in tree.find_all((jinja2.nodes.Include, jinja2.nodes.Extends, jinja2.nodes.Import,
                               jinja2.nodes.FromImport)):
        name = getattr(node.template, "value", None)  # (a name made while rendering is not known here)
        if isinstance(name, str) and not getattr(node, "ignore_missing", False):
            includes.append((name, node.lineno))
    return None, tuple(includes)


# What a page loads (not a link a reader follows): a script, a style sheet, a font, an image, a frame; in CSS an
# @import or url(). From another site it breaks the promise that the site works offline, and the published pages'
# policy (PUBLISHED_CSP) blocks it, so it would fail in every browser without a word.
_REMOTE_LOAD = re.compile(r"<(?:script|link|img|image|iframe|source|video|audio|embed|object)\b[^>]*?"
                          r"\b(?:src|href|data)\s*=\s*[\"']?\s*((?:https?:)?//[^\s\"'>]+)", re.IGNORECASE)
_REMOTE_SRCSET = re.compile(r"\bsrcset\s*=\s*[\"'][^\"']*?((?:https?:)?//[^\s\"',]+)", re.IGNORECASE)
_REMOTE_CSS = re.compile(r"(?:@import\s+(?:url\()?|url\()\s*[\"']?\s*((?:https?:)?//[^\s\"')]+)", re.IGNORECASE)


def remote_loads(templates_dir: Path, assets_dir: Path, root: Path) -> list[Problem]:
    """W416 for each thing a template or a style sheet loads from another site, at its line."""
    problems = []
    for folder, patterns, suffix in ((templates_dir, (_REMOTE_LOAD, _REMOTE_SRCSET, _REMOTE_CSS), ".html"),
                                     (assets_dir, (_REMOTE_CSS,), ".css")):
        for path in sorted(folder.rglob(f"*{suffix}")) if folder.is_dir() else ():
            try:  # (a regular file only: a pipe would never end, and a link is refused by its own error)
                if path.is_symlink() or not stat.S_ISREG(path.stat().st_mode):
                    continue
                text = path.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError):
                continue  # (a template that cannot be read is its own problem)
            for found in sorted((m for pattern in patterns for m in pattern.finditer(text)), key=lambda m: m.start(1)):
                line = text.count("\n", 0, found.start(1)) + 1
                problems.append(Problem(
                    Severity.WARNING, "W416", f"loads '{found.group(1)}' from another site: the published pages "
                    "load nothing from elsewhere (their security policy blocks it), so it would not show",
                    Origin(shown_path(path, root), line, found.start(1) - text.rfind("\n", 0, found.start(1))),
                    "put the file in assets/ and load it from there (fonts, scripts and styles are served by the "
                    "site itself, so that it works offline)"))
    return problems


def template_problem(failed: TemplateFailed, root: Path) -> Problem:
    """A template's failure as the run's error, at its line."""
    path = Path(failed.file)
    shown = shown_path(path, root) if path.is_absolute() else f"templates/{failed.file}"
    code, hint = TemplateFailed.HINTS[failed.kind]
    return Problem(Severity.ERROR, code, failed.message, Origin(shown, failed.line, 1 if failed.line else 0), hint)


# What forked render workers read: set just before they start, inherited with the process.
_SHARED: tuple = ()
ENOUGH_TO_SHARE = 300  # below this many pages, starting workers costs more than it saves


def _render(envs: dict[str, jinja2.Environment], pages: list[tuple[str, object]], sink: Callable,
            seconds: float | None) -> list:
    with page_deadlines(seconds) as deadline:
        return [_render_one(envs, template, ctx, sink, deadline, seconds) for template, ctx in pages]


def _render_one(envs: dict[str, jinja2.Environment], template: str, ctx: object, sink: Callable,
                deadline: Callable[[], contextlib.AbstractContextManager], seconds: float | None) -> object:
    if callable(ctx):  # made here, in the worker that renders it
        ctx = ctx()
    page = render_page(envs[ctx.page.lang.code], template, ctx, deadline, seconds)
    try:
        encoded = page.encode("utf-8")
    except UnicodeEncodeError as error:  # a lone surrogate ("\ud800") written in a template
        raise TemplateFailed(f"the page holds the character U+{ord(page[error.start]):04X}, half of a pair, which "
                             "cannot be written as UTF-8", envs[ctx.page.lang.code].get_template(template).filename
                             or template, 0) from None
    return sink(ctx, encoded)


def _render_share(bounds: tuple[int, int]) -> list:
    envs, pages, sink, seconds = _SHARED
    return _render(envs, pages[bounds[0]:bounds[1]], sink, seconds)


def render_pages(envs: dict[str, jinja2.Environment], pages: list[tuple[str, object]],
                 processes: int, sink: Callable[[object, bytes], object], seconds: float | None = None) -> list:
    """Every page rendered by the environment of its language, from (template, context) pairs; in order,
    what `sink(context, html)` made of each. A context may be given as the function
    that makes it: it is then made by the worker that renders the page, beside the other worker's.

    Many pages are shared among `processes` forked workers, which inherit the contexts, environments and
    sink as they are (closures and all) and run the sink where the page was rendered: nothing is pickled
    but what the sink returns. A page whose template runs more than `seconds` stops the rendering with
    TemplateFailed at the template's line (see `page_deadlines`).
    """
    global _SHARED
    if processes <= 1 or len(pages) < ENOUGH_TO_SHARE or "fork" not in multiprocessing.get_all_start_methods():
        return _render(envs, pages, sink, seconds)
    for template in {template for template, _ in pages}:  # compiled once, before the workers fork
        for env in envs.values():
            env.get_template(template)
    step = max(1, len(pages) // (processes * 8))
    _SHARED = (envs, pages, sink, seconds)
    # The objects made so far (reports, contexts, drawings) set aside from the collector: a worker's collections
    # would otherwise write into every one of them, and each page so written is copied out of the memory the
    # workers share with this process (the next build's `collector_paused` hands them back).
    gc.freeze()
    try:
        with multiprocessing.get_context("fork").Pool(processes) as pool:
            shares = pool.map_async(_render_share, [(i, min(i + step, len(pages))) for i in range(0, len(pages), step)])
            parts = pool_result(pool, shares)
    except WorkerLost:  # (a worker killed, out of memory maybe): every page rendered again here, one at a time
        return _render(envs, pages, sink, seconds)
    finally:
        _SHARED = ()
    return [made for part in parts for made in part]
