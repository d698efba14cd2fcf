"""sitemap.xml, robots.txt and the Atom feed: how machines find the site's pages and news.

Dates come from the data (release dates, period ends), never from the clock.
"""
from __future__ import annotations

from datetime import date
import re
from html import escape as _html_escape

from ..inputs.language import Language, language_of
from ..pages.releases import release_path
from ..inputs.releases import Release, diff
from ..facts.summary import Reports


# Characters XML 1.0 does not allow at all (not even escaped): a control character typed into a title
# would make the whole feed unreadable.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def escape(text: str) -> str:
    """XML character data (xml.sax.saxutils would import urllib.request and http.client into every build)."""
    return _html_escape(_NOT_XML.sub("", text), quote=False)


def quoteattr(text: str) -> str:
    """An XML attribute's value, with its double quotes."""
    return '"' + _html_escape(_NOT_XML.sub("", text), quote=True) + '"'


def sitemap(base_url: str, paths: list[str], languages: tuple[Language, ...]) -> bytes:
    """Every page, each with its versions in every language (hreflang alternates)."""
    def url(path: str) -> str:
        return escape(base_url + path.removesuffix("index.html"))

    urls = []
    for path in sorted(paths):
        own = language_of(path, languages)
        page = path.removeprefix(own.prefix)
        alternates = "".join(f'<xhtml:link rel="alternate" hreflang="{lang.code}" href="{url(lang.prefix + page)}"/>'
                             for lang in languages) if len(languages) > 1 else ""
        urls.append(f"  <url><loc>{url(path)}</loc>{alternates}</url>\n")
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n'
            f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:xhtml="http://www.w3.org/1999/xhtml">\n'
            f'{"".join(urls)}</urlset>\n').encode("utf-8")


def robots(base_url: str) -> bytes:
    lines = ["User-agent: *", "Allow: /"] + ([f"Sitemap: {base_url}sitemap.xml"] if base_url else [])
    return ("\n".join(lines) + "\n").encode("utf-8")


def _entry(base: str, entry_id: str, title: str, day: date, path: str, summary: str) -> str:
    link = base + path.removesuffix("index.html")
    return (f"  <entry>\n    <id>{escape(entry_id)}</id>\n    <title>{escape(title)}</title>\n"
            f"    <updated>{day.isoformat()}T00:00:00Z</updated>\n    <link href={quoteattr(link)}/>\n"
            f"    <summary>{escape(summary)}</summary>\n  </entry>\n")


def atom_feed(reports: Reports, releases: list[Release], base_url: str, lang: Language) -> bytes:
    """One language's feed (feed.xml beside its home page): one entry per release; before the first
    release, one per report (by its period's end)."""
    cat = reports.catalogue
    tag = "tag:cchc-bang-theo-doi,2023:" + lang.prefix  # the default language's IDs stay as they were
    base = base_url + lang.prefix if base_url else ""
    title = lang.label(cat.site, "title")
    entries: list[tuple[date, str]] = []
    if releases:
        for index, release in enumerate(releases):
            added, withdrawn, revised = diff(releases[index - 1].reports if index else {}, release.reports)
            summary = lang.t("{added} báo cáo mới, {revised} số liệu điều chỉnh, {withdrawn} báo cáo rút khỏi trang.",
                             added=len(added), revised=len(revised), withdrawn=len(withdrawn))
            heading = release.title or lang.t("Phát hành số liệu ngày {date}", date=lang.date(release.date))
            entries.append((release.date, _entry(base, tag + "release/" + release.id, heading,
                                                 release.date, release_path(release.id), summary)))
    else:
        for (dept, period), _ in reports.by_key.items():
            p = cat.periods[period]
            name, label = lang.label(cat.departments[dept], "name"), lang.label(p)
            entries.append((p.end, _entry(base, f"{tag}report/{dept}/{period}",
                                          lang.t("{department}: báo cáo {period}", department=name, period=label),
                                          p.end, f"{dept}/{period}/index.html",
                                          lang.t("Báo cáo kết quả thực hiện CCHC {period} của {department}.",
                                                 period=label, department=name))))
    entries.sort(key=lambda e: (e[0], e[1]), reverse=True)
    updated = entries[0][0] if entries else date(2000, 1, 1)
    return (f'<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="{lang.code}">\n'
            f"  <id>{tag}feed</id>\n  <title>{escape(title)}</title>\n"
            f"  <updated>{updated.isoformat()}T00:00:00Z</updated>\n"
            f"  <link rel=\"self\" href={quoteattr(base + 'feed.xml')}/>\n"
            f"  <link href={quoteattr(base)}/>\n  <author><name>{escape(title)}</name></author>\n"
            + "".join(e for _, e in entries) + "</feed>\n").encode("utf-8")
