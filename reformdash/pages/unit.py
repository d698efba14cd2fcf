"""A page type: which pages it makes, their template, and the function that makes each page's context.

Each page module registers its types (`UNITS`); `registry` makes every page of every registered type, in
each language. A context function takes the page's `PageData` (the one way it reads the build's data,
recording what it read) and the arguments its listing gave for that page.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable, Iterable

if TYPE_CHECKING:
    from .access import Sources


@dataclass(frozen=True)
class PageType:
    name: str
    template: str
    # (path among its language's pages, the arguments of its context) of every page of the type in this build
    pages: Callable[["Sources"], Iterable[tuple[str, tuple]]]
    context: Callable[..., object]  # context(data: PageData, *arguments) -> the page's context
    # False: the page draws no chart, so its context can wait to be made where the page is rendered
    holds_charts: bool = True


def single(path: str) -> Callable[["Sources"], Iterable[tuple[str, tuple]]]:
    """The listing of a type with one page."""
    return lambda sources: ((path, ()),)
