"""Jinja rendering: the environment, safe Markdown, and rendering one page.

Data strings are autoescaped and never treated as templates; Markdown
content has its raw HTML escaped and unsafe link schemes removed. Page
contexts are built in reformdash/pages/; templates do no arithmetic.
"""
from __future__ import annotations

import multiprocessing
import re
import xml.etree.ElementTree as etree
from pathlib import Path
from typing import Callable

import jinja2
import markdown
import markupsafe
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

from .language import Language

_SAFE_SCHEME = re.compile(r"^(https?:|mailto:|#|/|\.|[^:]*$)", re.IGNORECASE)


class _DropUnsafeLinks(Treeprocessor):
    def run(self, root: etree.Element) -> None:
        for element in root.iter():
            for attribute in ("href", "src"):
                value = element.get(attribute)
                if value is not None and not _SAFE_SCHEME.match(value.strip()):
                    del element.attrib[attribute]


class _DemoteHeadings(Treeprocessor):
    """Narrative headings sit under the page's own h2: ## becomes h3."""

    def run(self, root: etree.Element) -> None:
        for element in root.iter():
            if re.fullmatch(r"h[1-5]", element.tag):
                element.tag = f"h{int(element.tag[1]) + 1}"


class _SafeMarkdown(Extension):
    """Raw HTML in content is shown as text; javascript: and data: links are dropped."""

    def __init__(self, demote: bool) -> None:
        super().__init__()
        self.demote = demote

    def extendMarkdown(self, md: markdown.Markdown) -> None:
        md.preprocessors.deregister("html_block")
        md.inlinePatterns.deregister("html")
        md.treeprocessors.register(_DropUnsafeLinks(md), "drop_unsafe_links", 0)
        if self.demote:
            md.treeprocessors.register(_DemoteHeadings(md), "demote_headings", 1)


_converters: dict[bool, markdown.Markdown] = {}


def markdown_to_html(text: str, demote: bool = True) -> str:
    """Safe HTML of Markdown content; `demote` when it sits under a heading of the page's own."""
    # One converter, reset between texts: setting one up costs more than converting a narrative.
    converter = _converters.get(demote)
    if converter is None:
        converter = _converters[demote] = markdown.Markdown(
            extensions=["footnotes", "sane_lists", _SafeMarkdown(demote)], output_format="html")
    return converter.reset().convert(text)


# The published site runs no inline script and loads nothing from another origin.
PUBLISHED_CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; font-src 'self'; "
                 "connect-src 'self'; base-uri 'none'; form-action 'none'")


def make_environment(templates_dir: Path, lang: Language | None = None, csp: str = PUBLISHED_CSP,
                     cache_dir: Path | None = None) -> jinja2.Environment:
    """The Jinja environment of one language's pages: `_` translates the templates' Vietnamese text."""
    bytecode = None
    if cache_dir is not None:
        (cache_dir / "templates").mkdir(parents=True, exist_ok=True)
        bytecode = jinja2.FileSystemBytecodeCache(str(cache_dir / "templates"))
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(templates_dir)), bytecode_cache=bytecode,
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


def render_page(env: jinja2.Environment, template: str, context: object) -> str:
    return env.get_template(template).render(ctx=context)


# What forked render workers read: set just before they start, inherited with the process.
_SHARED: tuple = ()
ENOUGH_TO_SHARE = 300  # below this many pages, starting workers costs more than it saves


def _render(envs: dict[str, jinja2.Environment], pages: list[tuple[str, object]], sink: Callable) -> list:
    done = []
    for template, ctx in pages:
        if callable(ctx):  # made here, in the worker that renders it
            ctx = ctx()
        done.append(sink(ctx, render_page(envs[ctx.page.lang.code], template, ctx).encode("utf-8")))
    return done


def _render_share(bounds: tuple[int, int]) -> list:
    envs, pages, sink = _SHARED
    return _render(envs, pages[bounds[0]:bounds[1]], sink)


def render_pages(envs: dict[str, jinja2.Environment], pages: list[tuple[str, object]],
                 processes: int, sink: Callable[[object, bytes], object]) -> list:
    """Every page rendered by the environment of its language, from (template, context) pairs; in order,
    what `sink(context, html)` made of each. A context may be given as the function
    that makes it: it is then made by the worker that renders the page, beside the other worker's.

    Many pages are shared among `processes` forked workers, which inherit the contexts, environments and
    sink as they are (closures and all) and run the sink where the page was rendered: nothing is pickled
    but what the sink returns.
    """
    global _SHARED
    if processes <= 1 or len(pages) < ENOUGH_TO_SHARE or "fork" not in multiprocessing.get_all_start_methods():
        return _render(envs, pages, sink)
    for template in {template for template, _ in pages}:  # compiled once, before the workers fork
        for env in envs.values():
            env.get_template(template)
    step = max(1, len(pages) // (processes * 8))
    _SHARED = (envs, pages, sink)
    try:
        with multiprocessing.get_context("fork").Pool(processes) as pool:
            parts = pool.map(_render_share, [(i, min(i + step, len(pages))) for i in range(0, len(pages), step)])
    finally:
        _SHARED = ()
    return [made for part in parts for made in part]
