"""Page keys made from what each page read, kept with the site they built.

A page's context records what it read (`pages/access.py`); its key hashes the digest of each of those
dependencies as the build found them, with what every page of its language shares (the engine, the
templates, the language file, the project's settings) and its download links. The keys and the
dependencies are stored beside the cache, for the site that build published: the next build computes the
digests of each stored page's dependencies from its own data, and takes the page from the previous site
only when its key comes out the same. A page without a stored record is rendered.
"""
from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import stat
from operator import methodcaller
from pathlib import Path
from typing import TYPE_CHECKING

from .cache import SameInputs, fingerprint
from ..facts.summary import uncomputable
from ..inputs.catalogue import catalogue_files
from ..inputs.language import Language
from ..inputs.load import input_digest, listed
from ..output.write import replace_file

if TYPE_CHECKING:
    from ..facts.compute import ComputedReport
    from ..pages.access import Sources
    from ..pipeline import Project

Dependencies = tuple[tuple, ...]
STORE_VERSION = 4  # (a store of another layout is not read: every page is made again once)


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _files_digest(paths: list[Path]) -> str:
    return _sha("".join(f"{path.name}\0{input_digest(path)}\0" for path in sorted(paths)))


def _plan_files(data: Path, department: str, year: int) -> list[Path]:
    """A plan, its status files and the units it names."""
    files = list(data.glob(f"{department}/plan-{year}*.yaml"))
    units = data / department / "units.yaml"
    return files + [units] if units.is_file() else files


class Digests:
    """The digest of each dependency a page can record, as this build's data stand (made once each)."""

    def __init__(self, project: "Project", sources: "Sources", memo: SameInputs | None = None) -> None:
        self.project, self.sources, self.memo = project, sources, memo or SameInputs()
        self.reports = sources.reports
        self._known: dict[tuple, str] = {}
        # The same dependency objects recur in many pages' records (decoded once from the store, or recorded by
        # one context): looked up by identity first, as a column's tuple of a thousand report keys is hashed anew
        # at every lookup by value. (Each entry holds its dependency, so that its id stays its own.)
        self._by_identity: dict[int, tuple[tuple, str]] = {}
        self._bases: dict[str, str] = {}
        self._cells: dict[tuple[str, str], tuple[str, dict[str, str]]] = {}
        self._rows: dict[tuple[str, str], tuple[str, dict[str, str]]] = {}
        self._columns: dict[tuple[str, tuple], list] = {}
        self._column_states: dict[tuple[str, tuple], _Column] = {}
        # (one object per process and project: the inputs, none, are always the same)
        self._columns_kept = self.memo.get(("kept columns",), (), _KeptColumns).new_build()
        templates = project.templates_dir
        self._languages = {lang.code: input_digest(templates / "i18n" / f"{lang.code}.yaml")
                           for lang in sources.status.languages}
        # What every page of a language shares: engine, templates, its language file, the project's settings.
        self._shared = _sha(repr((fingerprint(sorted(listed(templates, "*.html"))), project.csp, project.quality_page)))

    def base(self, lang: Language) -> str:
        found = self._bases.get(lang.code)
        if found is None:
            found = self._bases[lang.code] = _sha(self._shared + self._languages.get(lang.code, "") + lang.code)
        return found

    def of(self, dependency: tuple) -> str:
        seen = self._by_identity.get(id(dependency))
        if seen is not None and seen[0] is dependency:
            return seen[1]
        found = self._known.get(dependency)
        if found is None:
            found = self._known[dependency] = self._make(dependency)
        self._by_identity[id(dependency)] = (dependency, found)
        return found

    def _make(self, dependency: tuple) -> str:
        kind, reports, sources = dependency[0], self.reports, self.sources
        if kind in ("cells", "rows"):
            _, indicator, keys = dependency
            return self._column_digest(kind, indicator, keys)
        if kind == "report":
            computed = reports.by_key.get(dependency[1])
            return self._report(computed) if computed is not None else ""
        if kind == "has":
            return "1" if dependency[1] in reports.by_key else "0"
        if kind == "period keys":
            return repr([d for (d, p) in reports.by_key if p == dependency[1]])
        if kind == "department keys":
            return repr(reports.periods_of(dependency[1]))
        if kind == "keys":
            return _sha(repr(list(reports.by_key)))
        if kind == "periods":
            return repr([p.id for p in reports.periods_reported()])
        if kind == "departments":
            return repr(reports.departments_reporting())
        if kind == "cat":
            cat = reports.catalogue
            return _sha(_files_digest(catalogue_files(self.project.data_dir)) + repr(cat.site))
        if kind == "status":
            status = sources.status
            return _sha(repr((dataclasses.replace(status, languages=()), sorted(self._languages.items()),
                              [(lang.code, lang.prefix) for lang in status.languages])))
        if kind == "releases":
            return _sha(repr([(r.id, r.digest) for r in sources.releases]))
        if kind == "current":
            return _sha(repr(sorted((k, c.report.digest) for k, c in reports.by_key.items())))
        if kind == "warnings":
            return _sha("\n".join(f"{p.format()}\x1f{p.subject}" for p in sources.warnings))
        if kind == "content":
            _, _, code = dependency
            return _sha(repr(sources.about.get(code)))
        if kind == "plans":
            return repr(list(sources.plans))
        if kind == "department plans":
            return repr([year for (d, year) in sources.plans if d == dependency[1]])
        if kind == "plan":
            _, department, year = dependency
            progress = sources.plans.get((department, year))
            if progress is None:
                return ""
            # (the same progress object is made from the same plan and status files: see pipeline.check)
            files = self.memo.get(("plan files", department, year), (progress,),
                                  lambda: _files_digest(_plan_files(self.project.data_dir, department, year)))
            return _sha(files + str(progress.reference) + self.of(("cat",)))
        raise ValueError(f"unknown page dependency {dependency!r}")

    def _report(self, computed: "ComputedReport") -> str:
        """Everything a page can see of a report: its file and narrative, its warnings, its derived values."""
        return _sha(repr((computed.report.digest, [(p.format(), p.subject) for p in computed.flags],
                          sorted(computed.derived.items()))))

    def _column_digest(self, kind: str, indicator: str, keys: tuple) -> str:
        """The digest of one indicator's cells (or rows) in a column of reports: the reports' heads (form; form
        and file; none), then the indicator's text in each. A column whose reports' texts are the very objects
        of the last build but a few (`serve`, one report saved) keeps each indicator's digest unless one of
        those few changed for it: a thousand indicators' pages do not hash every report again."""
        state = self._column_states.get((kind, keys))
        if state is None:
            state = self._column_states[(kind, keys)] = _Column(self._column(kind, keys))
            earlier = self._columns_kept.earlier((kind, keys))
            if earlier is not None and earlier.heads == state.heads and len(earlier.entries) == len(state.entries):
                state.earlier = earlier
                state.changed = [i for i, (old, new) in enumerate(zip(earlier.entries, state.entries))
                                 if old is not new]
            self._columns_kept.keep((kind, keys), state)
        found = state.digests.get(indicator)
        if found is None:
            earlier = state.earlier
            if earlier is not None and indicator in earlier.digests and all(
                    earlier.texts[i].get(indicator, "") == state.texts[i].get(indicator, "") for i in state.changed):
                found = earlier.digests[indicator]
            else:
                # (methodcaller: the reports' texts read in C, twice as fast as a comprehension over a province)
                found = _sha(state.heads + "\x1d" + "\x1e".join(map(methodcaller("get", indicator, ""), state.texts)))
            state.digests[indicator] = found
        return found

    def _column(self, kind: str, keys: tuple) -> list[tuple[str, dict[str, str] | None]]:
        """For each report: what a cell ("cells": its figure as `Reports.cell` gives it) or a download's row
        ("rows": figure, note, computed value and warnings) of it is made from, by indicator, after a head
        common to its indicators (form; form and file); None for no report. One list per set of reports."""
        found = self._columns.get((kind, keys))
        if found is None:
            found = self._columns[(kind, keys)] = [self._texts(kind, key) for key in keys]
        return found

    def _texts(self, kind: str, key: tuple[str, str]) -> tuple[str, dict[str, str] | None]:
        made = self._cells if kind == "cells" else self._rows
        found = made.get(key)
        if found is None:
            computed = self.reports.by_key.get(key)
            if computed is None:
                return _NO_REPORT
            if kind == "cells":
                found = self.memo.get(("cells", key), (computed.report.digest, self.of(("cat",))),
                                      lambda: _cell_texts(computed, self.reports.catalogue))
            else:
                flags = ";".join(f"{f.subject} {f.code}" for f in computed.flags)
                found = self.memo.get(("rows", key), (computed.report.digest, flags), lambda: _row_texts(computed))
            made[key] = found
        return found

    def key(self, lang: Language, path: str, extra: str, dependencies: Dependencies) -> str:
        """A page's key: what its language's pages share, its path, `extra` (its download links) and the digest
        of every dependency it recorded."""
        return _sha("\0".join((self.base(lang), path, extra, "\x1e".join(map(self.of, dependencies)))))


_NO_REPORT: tuple[str, None] = ("", None)


_NONE: dict[str, str] = {}


class _Column:
    """One column of reports as this build's page keys read it, and its digests by indicator."""

    __slots__ = ("entries", "heads", "texts", "digests", "earlier", "changed")

    def __init__(self, entries: list[tuple[str, dict[str, str] | None]]) -> None:
        self.entries = entries
        # (a missing report is a head of its own: nothing is told apart from an empty one by its texts)
        self.heads = "\x1e".join(head if texts is not None else "\x00" for head, texts in entries)
        self.texts = [texts if texts is not None else _NONE for _, texts in entries]
        self.digests: dict[str, str] = {}
        self.earlier: _Column | None = None  # the last build's, when only `changed` positions may differ
        self.changed: list[int] = []


class _KeptColumns:
    """The columns of the last build and this one; held by the process's `SameInputs` for the project, so that
    `serve` compares a column with its last build's."""

    def __init__(self) -> None:
        self._last: dict[tuple, _Column] = {}
        self._now: dict[tuple, _Column] = {}

    def new_build(self) -> "_KeptColumns":
        self._last, self._now = self._now or self._last, {}
        for column in self._last.values():  # (compared with by the new build only: no chain of builds is kept)
            column.earlier, column.changed = None, []
        return self

    def earlier(self, slot: tuple) -> "_Column | None":
        return self._last.get(slot)

    def keep(self, slot: tuple, column: "_Column") -> None:
        self._now[slot] = column


def _cell_texts(computed: "ComputedReport", cat) -> tuple[str, dict[str, str]]:
    """A report's form, and each indicator's figure as `Reports.value_in` gives it (absent: no figure)."""
    texts = {i: f"{row.value}\x1f0" for i, row in computed.report.values.items() if row.value is not None}
    for i, value in computed.derived.items():
        if i not in texts and i in cat.indicators and cat.indicators[i].derived:
            texts[i] = f"{value}\x1f1"
    for ind in cat.derived_indicators:  # (a figure the site could not compute is shown as such)
        if ind.id not in texts and uncomputable(computed, ind):
            texts[ind.id] = "\x1f2"
    return computed.report.form, texts


def _row_texts(computed: "ComputedReport") -> tuple[str, dict[str, str]]:
    """A report's form and file, and for each indicator its figure, note, computed value and warnings' codes."""
    report = computed.report
    texts = {i: f"{row.value}\x1f{row.note}" for i, row in report.values.items()}
    for i, value in computed.derived.items():
        texts[i] = texts.get(i, "") + f"\x1d{value}"
    for i, flags in computed.flags_by_subject.items():
        texts[i] = texts.get(i, "") + "\x1d!" + " ".join(f.code for f in flags)
    return f"{report.form}\x1f{report.origin.file}", texts


# -- the store -----------------------------------------------------------------------------
def site_stamp(site_dir: Path) -> list[int]:
    """Identifies the very directory a build published (the swap makes a new one each time); [] when there is
    none."""
    try:
        info = site_dir.stat()
    except OSError:
        return []
    return [info.st_ino, info.st_mtime_ns]


def store_file(project: "Project") -> Path:
    return project.cache_dir / "pages" / (hashlib.sha256(str(project.site_dir.resolve()).encode()).hexdigest()[:16]
                                          + ".json")


Signature = list[int]  # a file's inode, size, modification time and mode


def load_pages(path: Path, site_dir: Path) -> tuple[dict[str, tuple[Dependencies, str]], dict[str, Signature]]:
    """Each page's dependencies and key as the build that published site_dir stored them, and the signature of
    each file it published that a build may keep; nothing if site_dir is not that build's, or the store cannot
    be read."""
    try:
        stored = json.loads(path.read_text(encoding="utf-8"))
        if stored["version"] != STORE_VERSION or stored["site"] != site_stamp(site_dir):
            return {}, {}
        table = [tuple(key) for key in stored["reports"]]
        keysets = [tuple(map(table.__getitem__, items)) for items in stored["keysets"]]
        dependencies = [_decoded(item, table, keysets) for item in stored["dependencies"]]
        lists = [tuple(dependencies[i] for i in items) for items in stored["lists"]]
        files = {name: list(map(int, signature)) for name, signature in stored["files"].items()}
        return {page: (lists[index], key) for page, (index, key) in stored["pages"].items()}, files
    except (OSError, ValueError, KeyError, TypeError, IndexError):
        return {}, {}


class FileSignatures:
    """Whether a file of the published site is still the one the last build wrote: a page edited, emptied or
    replaced in site/ since (by an editor, a sync tool, a write through the spare's links) is made again, not
    kept. The inode, size, modification time and mode (a page made unreadable to the web server): linking a kept file
    into the next site changes none of them. The file itself, not what a link leads to: a page replaced by a link
    is made again as a file."""

    def __init__(self, site_dir: Path, published: dict[str, Signature]) -> None:
        self.site, self.published = str(site_dir), published

    def now(self, path: str) -> Signature | None:
        try:
            info = os.lstat(f"{self.site}/{path}")
        except OSError:
            return None
        return [info.st_ino, info.st_size, info.st_mtime_ns, info.st_mode] if stat.S_ISREG(info.st_mode) else None

    def same(self, path: str) -> bool:
        known = self.published.get(path)
        return known is not None and self.now(path) == known

    def same_or_none(self, path: str) -> bool:
        """`same`, or neither published then nor there now (a page without downloads)."""
        return self.same(path) if path in self.published else not os.path.lexists(f"{self.site}/{path}")


def _decoded(item: list, table: list[tuple[str, str]], keysets: list[tuple]) -> tuple:
    kind = item[0]
    if kind in ("cells", "rows"):
        return (kind, item[1], keysets[item[2]])
    if kind in ("report", "has"):
        return (kind, table[item[1]])
    return tuple(item)


class _Numbering:
    """Numbers values in the order first seen. The same objects recur (a reused page's, from the last store), so
    they are looked up by identity first: a tuple of a thousand report keys is hashed anew at every lookup. All
    of them live until the store is written, so their ids stay theirs."""

    def __init__(self) -> None:
        self.numbers: dict = {}
        self._by_identity: dict[int, int] = {}

    def number(self, value) -> int:
        found = self._by_identity.get(id(value))
        if found is None:
            found = self._by_identity[id(value)] = self.numbers.setdefault(value, len(self.numbers))
        return found


def save_pages(path: Path, site_dir: Path, pages: dict[str, tuple[Dependencies, str]],
               files: dict[str, Signature]) -> None:
    """Store each page's dependencies and key for the site just published: each dependency, each list of them
    and each set of reports a column reads once, reports by number."""
    reports: dict[tuple[str, str], int] = {}
    dependencies, lists, keysets = _Numbering(), _Numbering(), _Numbering()

    def report(key: tuple[str, str]) -> int:
        return reports.setdefault(key, len(reports))

    entries = {page: [lists.number(items), key] for page, (items, key) in pages.items()}
    encoded_lists = [[dependencies.number(item) for item in items] for items in lists.numbers]
    encoded = []
    for item in dependencies.numbers:
        if item[0] in ("cells", "rows"):
            encoded.append([item[0], item[1], keysets.number(item[2])])
        elif item[0] in ("report", "has"):
            encoded.append([item[0], report(item[1])])
        else:
            encoded.append(list(item))
    encoded_keysets = [[report(key) for key in keys] for keys in keysets.numbers]
    # (Replaced, not rewritten in place: truncating the last build's file could wait seconds for the disk.)
    replace_file(path, json.dumps({"version": STORE_VERSION, "site": site_stamp(site_dir),
                                   "reports": [list(k) for k in reports], "keysets": encoded_keysets,
                                   "dependencies": encoded, "lists": encoded_lists, "pages": entries,
                                   "files": files},
                                  separators=(",", ":")).encode("utf-8"))
