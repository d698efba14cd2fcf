"""Every page of the built site is valid HTML (html5lib, strict), and no id is used twice on a page."""
from __future__ import annotations

import collections
import functools
import html5lib
import pytest
from html5lib.constants import E as MESSAGES

from browser_support import built_site


@pytest.fixture(scope="module")
def pages(tmp_path_factory) -> dict[str, str]:
    site = built_site(tmp_path_factory)
    found = {p.relative_to(site).as_posix(): p.read_bytes().decode("utf-8") for p in sorted(site.rglob("*.html"))}
    assert len(found) > 50, f"only {len(found)} pages in {site}"
    return found


def html_errors(text: str) -> list[str]:
    """The parse errors of a page (html5lib in strict mode stops at the first), as 'line:column: message'."""
    parser = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False)
    try:
        parser.parse(text)
    except html5lib.html5parser.ParseError:
        pass
    return [f"{line}:{column}: {MESSAGES.get(code, code) % (data or {})}"
            for (line, column), code, data in parser.errors]


@functools.lru_cache(maxsize=None)
def elements(text: str) -> tuple:
    return tuple(html5lib.parse(text, namespaceHTMLElements=False).iter())


def duplicate_ids(text: str) -> dict[str, int]:
    counts = collections.Counter(e.get("id") for e in elements(text) if e.get("id") is not None)
    return {name: n for name, n in counts.items() if n > 1}


def dangling_references(text: str) -> list[str]:
    """Same-page links and ARIA/label references that name no id of the page."""
    tree = elements(text)
    ids = {e.get("id") for e in tree if e.get("id") is not None}
    problems = []
    for e in tree:
        href = e.get("href")
        if href and href.startswith("#") and len(href) > 1 and href[1:] not in ids:
            problems.append(f"<{e.tag} href={href!r}>")
        for attribute in ("aria-labelledby", "aria-describedby", "aria-controls", "for", "headers"):
            for name in (e.get(attribute) or "").split():
                if name not in ids:
                    problems.append(f"<{e.tag} {attribute}={name!r}>")
    return problems


def test_the_checks_catch_what_they_look_for() -> None:
    page = ('<!DOCTYPE html><html lang="vi"><head><title>t</title></head><body>'
            '<p id="a">x</p><span id="a"></span><a href="#b">y</a></body></html>')
    assert html_errors(page) == [] and duplicate_ids(page) == {"a": 2}
    assert dangling_references(page) == ["<a href='#b'>"]
    assert html_errors(page.replace("<!DOCTYPE html>", "")) == ["1:16: Unexpected start tag (html). Expected DOCTYPE."]
    assert "end tag (div)" in html_errors(page.replace("</p>", "</div>"))[0].lower()


def test_every_page_is_valid_html(pages: dict[str, str]) -> None:
    invalid = [f"{path}:{error}" for path, text in pages.items() for error in html_errors(text)]
    assert not invalid, f"{len(invalid)} HTML parse error(s):\n" + "\n".join(invalid[:40])


def test_no_id_is_used_twice_on_a_page(pages: dict[str, str]) -> None:
    duplicated = {path: found for path, text in pages.items() if (found := duplicate_ids(text))}
    assert not duplicated, "ids used more than once on a page:\n" + "\n".join(
        f"{path}: {', '.join(f'{name} ({n}×)' for name, n in found.items())}" for path, found in duplicated.items())


def test_same_page_links_and_references_name_an_id_of_the_page(pages: dict[str, str]) -> None:
    dangling = {path: found for path, text in pages.items() if (found := dangling_references(text))}
    assert not dangling, "references to ids the page does not have:\n" + "\n".join(
        f"{path}: {', '.join(found[:5])}" for path, found in dangling.items())
