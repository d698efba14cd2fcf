"""Releases: every publication is a dated snapshot of the published values.

data/releases/<date>.yaml holds, for one release, every row a report filled
(value and note), its title, the hash of the previous release and a hash of
its own content. `check` recomputes the hashes, so a snapshot edited or a
release removed from the chain after it was recorded is an error naming the
file: history is not rewritten by accident.

The chain alone cannot notice that its newest release was deleted (what is
left is still a valid chain), so `release` also writes data/releases/HEAD:
one line with the newest release's id and sha256, replaced atomically after
the release file is written. `check` follows the chain to its end and
compares: a release named in HEAD that is missing or not the one recorded,
a release after the one HEAD names, or releases without HEAD are errors. HEAD
is committed with the release files, so a deletion must also rewrite HEAD
to go unnoticed, which no careless edit does.
"""
from __future__ import annotations

import hashlib
import json
import os
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from .fields import Fields, expect_mapping
from .language import Language
from .load import InputKind, Mapping, Refused, Scalar, input_bytes, listed, read_yaml_file
from ..model import Period, Report, SiteSettings
from ..problems import Collector, Origin, Problem, relative_name

RELEASES = "releases"  # the folder under data/
ARCHIVES = "phat-hanh"  # the folder of site/ with each release's page and archive
HEAD = "HEAD"  # in data/releases/: the id and sha256 of the newest recorded release
HEAD_LIMIT = 4096  # bytes: HEAD holds one line; anything longer is not one `release` wrote
_HEAD_KIND = InputKind(HEAD_LIMIT, "E705", "data/releases/HEAD", "")  # any refusal of it is reported as E705
_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
_SHA256 = re.compile(r"^[0-9a-f]{64}$")
_HEAD_LINE = re.compile(r"^([0-9]{4}-[0-9]{2}-[0-9]{2}(?:-[0-9]+)?) ([0-9a-f]{64})$")


@dataclass(frozen=True)
class ReleasedValue:
    value: str | None  # the figure's digits as written, None when the row was empty
    note: str


ReportKey = tuple[str, str]  # (department, period)


@dataclass(frozen=True)
class Release:
    id: str  # the file stem: the date, or date-2, date-3 for several releases on one day
    date: date
    title: str
    previous: str  # digest of the release before, "" for the first
    digest: str
    reports: dict[ReportKey, dict[str, ReleasedValue]]
    origin: Origin
    recorded: str = ""  # the sha256 written in the file (equal to digest unless the file was edited)

    @property
    def order(self) -> tuple[date, int]:
        """Oldest first: by date, then by the number of a same-day release (2023-04-15-10 after -9)."""
        suffix = self.id[len(self.date.isoformat()) + 1:]
        return self.date, int(suffix) if re.fullmatch("[0-9]+", suffix) else 1


def snapshot_of(reports: list[Report]) -> dict[ReportKey, dict[str, ReleasedValue]]:
    """The published state of the data: every filled row of every report."""
    out: dict[ReportKey, dict[str, ReleasedValue]] = {}
    for report in sorted(reports, key=lambda r: r.key):
        rows = {}
        for indicator, row in sorted(report.values.items()):
            if row.value is not None or row.note:
                rows[indicator] = ReleasedValue(str(row.value) if row.value is not None else None, row.note)
        out[report.key] = rows
    return out


def content_digest(day: date, title: str, previous: str, reports: dict[ReportKey, dict[str, ReleasedValue]]) -> str:
    canonical = json.dumps([day.isoformat(), title, previous,
                            [[f"{d}/{p}", [[i, v.value, v.note] for i, v in sorted(rows.items())]]
                             for (d, p), rows in sorted(reports.items())]], ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _q(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def release_yaml(day: date, title: str, previous: str, reports: dict[ReportKey, dict[str, ReleasedValue]]) -> str:
    """The snapshot file: one line per published row, so a diff between releases reads like a list of revisions."""
    lines = [f"# Phát hành số liệu ngày {day:%d/%m/%Y}. Do not edit: `check` verifies the hash below.",
             f"date: {day.isoformat()}", f"title: {_q(title)}", f"previous: {_q(previous)}", "reports:"]
    for (dept, period), rows in sorted(reports.items()):
        lines.append(f"  {dept}/{period}:" + ("" if rows else " {}"))
        for indicator, v in sorted(rows.items()):
            parts = ([f"value: {_q(v.value)}"] if v.value is not None else []) + ([f"note: {_q(v.note)}"] if v.note else [])
            lines.append(f"    {indicator}: {{{', '.join(parts)}}}")
    lines.append(f"sha256: {content_digest(day, title, previous, reports)}")
    return "\n".join(lines) + "\n"


def release_paths(data_dir: Path) -> list[Path]:
    return sorted(listed(data_dir / RELEASES, "*.yaml"))


def read_release(path: Path, root: Path, problems: Collector) -> Release | None:
    name = relative_name(path, root)
    top = expect_mapping(read_yaml_file(path, name, problems, root), problems, "a release file")
    if top is None:
        return None
    f = Fields(top, problems, "release")
    f.check_keys(["date", "title", "previous", "reports", "sha256"])
    day = f.date("date")
    title, previous, recorded = f.text("title", required=False), f.raw_text("previous"), f.raw_text("sha256")
    reports: dict[ReportKey, dict[str, ReleasedValue]] = {}
    for key, node in (f.mapping("reports") or Mapping((), top.origin)).items:
        dept, _, period = key.text.partition("/")
        rows = {}
        for indicator, cell in (node.items if isinstance(node, Mapping) else ()):
            value = cell.get("value") if isinstance(cell, Mapping) else None
            note = cell.get("note") if isinstance(cell, Mapping) else None
            rows[indicator.text] = ReleasedValue(value.text if isinstance(value, Scalar) and not value.is_null else None,
                                                 note.text if isinstance(note, Scalar) else "")
        reports[(dept, period)] = rows
    if day is None:
        return None
    digest = content_digest(day, title, previous, reports)
    node = top.get("sha256")
    if not _SHA256.match(recorded):
        if node is None or isinstance(node, Scalar):  # a list or mapping there was reported by Fields
            problems.error("E704", f"release {path.stem} has no valid sha256 (64 hexadecimal digits), so nothing "
                           "shows whether its figures were changed after it was recorded",
                           node.origin if node is not None else top.origin,
                           "restore the file from version control; a correction is a new release, never an edit "
                           "of an old one")
        recorded = ""
    elif digest != recorded:
        problems.error("E701", f"release {path.stem} was changed after it was recorded (its content no longer matches "
                       "its sha256)", f.origin_of("sha256"),
                       "restore the file from version control; a correction is a new release, never an edit of an old one")
    if not path.stem.startswith(day.isoformat()):
        problems.error("E702", f"the release file {path.name} does not carry its date {day.isoformat()}",
                       f.origin_of("date"), "release files are named by their date: data/releases/YYYY-MM-DD.yaml")
    return Release(path.stem, day, title, previous, digest, reports, top.origin, recorded)


def read_releases(data_dir: Path, root: Path, problems: Collector) -> list[Release]:
    """Every recorded release, oldest first, with the chain between them checked."""
    releases = [r for path in release_paths(data_dir) if (r := read_release(path, root, problems)) is not None]
    releases.sort(key=lambda r: r.order)
    expected = ""
    for release in releases:
        if release.previous != expected:
            problems.error("E703", f"release {release.id} follows a release that is missing or was changed",
                           release.origin, "a recorded release was deleted or edited: restore it from version control")
        expected = release.digest
    if (data_dir / RELEASES).is_dir():
        _check_head(data_dir, root, releases, problems)
    return releases


def head_text(release_id: str, digest: str) -> str:
    """The content of data/releases/HEAD naming the newest release."""
    return ("# The newest release recorded by `build.py release`, and its sha256. Do not edit: `check` compares it\n"
            "# with the release files, so that a deleted release is noticed.\n"
            f"{release_id} {digest}\n")


def read_head(path: Path, name: str, problems: Collector) -> tuple[str, str, Origin] | None:
    """(release id, sha256, origin of its line) from HEAD; None, with a problem, when it cannot be read."""
    try:  # through the one reader of input files: a FIFO or a device named HEAD never blocks the check
        lines = input_bytes(path, _HEAD_KIND).decode("utf-8-sig").splitlines()
    except (Refused, UnicodeDecodeError):
        lines = []
    found = [(number, line.strip()) for number, line in enumerate(lines, 1)
             if line.strip() and not line.lstrip().startswith("#")]
    if len(found) == 1 and (match := _HEAD_LINE.match(found[0][1])):
        return match[1], match[2], Origin(name, found[0][0], 1)
    origin = Origin(name, found[0][0], 1) if found else Origin(name)
    problems.error("E705", f"{name} does not hold one line with the newest release's id and sha256", origin,
                   "restore the file from version control; `build.py release` writes it")
    return None


def _check_head(data_dir: Path, root: Path, releases: list[Release], problems: Collector) -> None:
    """Compare the end of the chain with HEAD: a release deleted, added by hand or half-recorded is an error."""
    path = data_dir / RELEASES / HEAD
    name, folder = relative_name(path, root), relative_name(data_dir / RELEASES, root)
    newest = releases[-1] if releases else None
    if not os.path.lexists(path):
        if newest is not None:
            problems.error("E706", f"{name} is missing, so a deleted newest release would go unnoticed",
                           Origin(name), "restore it from version control; if every release is there, write this "
                           f"line into it: {newest.id} {newest.recorded or newest.digest}")
        return
    head = read_head(path, name, problems)
    if head is None:
        return
    head_id, head_digest, origin = head
    position = next((i for i, r in enumerate(releases) if r.id == head_id), None)
    if position is None:
        problems.error("E707", f"release {head_id}, the newest recorded, is missing from {folder}/", origin,
                       f"a recorded release was deleted: restore {folder}/{head_id}.yaml from version control; "
                       "a correction is a new release, never a deletion")
        return
    at_head = releases[position]
    if at_head.recorded and at_head.recorded != head_digest:  # (a missing or edited hash is E704 or E701)
        problems.error("E708", f"release {head_id} is not the release recorded under that name (its sha256 differs "
                       f"from the one in {name})", at_head.origin,
                       "restore the file from version control; a correction is a new release, never an edit of an "
                       "old one")
    for later in releases[position + 1:]:
        problems.error("E709", f"release {later.id} was not recorded by `build.py release` (it comes after "
                       f"{head_id}, the newest release named in {name})", later.origin,
                       "remove this file; to publish this data, record it with `build.py release`")


def diff(old: dict[ReportKey, dict[str, ReleasedValue]], new: dict[ReportKey, dict[str, ReleasedValue]]):
    """(added reports, withdrawn reports, revised rows [(key, indicator, old, new)])."""
    added = sorted(k for k in new if k not in old)
    withdrawn = sorted(k for k in old if k not in new)
    revised = []
    for key in sorted(k for k in new if k in old):
        for indicator in sorted(set(old[key]) | set(new[key])):
            before = old[key].get(indicator, ReleasedValue(None, ""))
            after = new[key].get(indicator, ReleasedValue(None, ""))
            if before.value != after.value:
                revised.append((key, indicator, before, after))
    return added, withdrawn, revised


def next_release_id(data_dir: Path, day: date) -> str:
    taken = {p.stem for p in release_paths(data_dir)}
    if day.isoformat() not in taken:
        return day.isoformat()
    n = 2
    while f"{day.isoformat()}-{n}" in taken:
        n += 1
    return f"{day.isoformat()}-{n}"


def revision_history(releases: list[Release]) -> dict[tuple[ReportKey, str], list[tuple[Release, ReleasedValue]]]:
    """For each published row, the releases in which its figure first appeared or changed."""
    history: dict[tuple[ReportKey, str], list[tuple[Release, ReleasedValue]]] = {}
    for release in releases:
        for key, rows in release.reports.items():
            for indicator, value in rows.items():
                points = history.setdefault((key, indicator), [])
                if not points or points[-1][1].value != value.value:
                    points.append((release, value))
    return history


@dataclass(frozen=True)
class SiteStatus:
    """What every page says about the data it shows: as of when, and whether it is a draft.

    Facts, not sentences: each page words them in its own language.
    """

    site: SiteSettings
    latest_period: Period | None = None  # the newest period with a report
    released: date | None = None  # the date of the last release, if any
    changes: int = 0  # changes not yet released (a draft when > 0)
    notice_path: str = ""  # the page explaining the draft, from the root of the language's pages
    languages: tuple[Language, ...] = ()  # every language the site is published in, the default first

    @property
    def base_url(self) -> str:
        return self.site.base_url


def site_status(releases: list[Release], current: dict[ReportKey, dict[str, ReleasedValue]],
                latest_period: Period | None, site: SiteSettings, languages: tuple[Language, ...]) -> SiteStatus:
    if not releases:
        return SiteStatus(site, latest_period, languages=languages)
    last = releases[-1]
    added, withdrawn, revised = diff(last.reports, current)
    changes = len(added) + len(withdrawn) + len(revised)
    if changes == 0 and current == last.reports:
        return SiteStatus(site, latest_period, last.date, languages=languages)
    return SiteStatus(site, latest_period, last.date, changes, "phat-hanh/ban-nhap/index.html", languages)


def archive_paths(release_id: str) -> tuple[str, str]:
    """Where one release's whole dataset is kept under site/, as CSV and as JSON."""
    folder = f"{ARCHIVES}/{release_id}/"
    return folder + "gia-tri.csv", folder + "gia-tri.json"


def unpublished_releases(site_dir: Path, releases: list[Release], root: Path) -> list[Problem]:
    """Releases whose archive the site being replaced publishes but data/releases/ no longer holds.

    The last line of defence when data/releases/ lost its newest releases together with HEAD (or went
    whole): the published site still has their archives, which a build would otherwise drop silently."""
    problems = Collector()
    kept = {r.id for r in releases}
    folder = site_dir / ARCHIVES
    gone = sorted(p.parent.name for p in folder.glob("*/gia-tri.csv") if p.parent.name not in kept) \
        if folder.is_dir() else []
    for release_id in gone:
        problems.error("E710", f"release {release_id} is published in {relative_name(site_dir, root)}/ but missing "
                       "from data/releases/", Origin(relative_name(folder / release_id, root)),
                       f"restore data/releases/{release_id}.yaml and data/releases/HEAD from version control; to "
                       "publish another project into this folder, remove it first")
    return problems.problems


def release_downloads(release: Release, units: dict[str, str]) -> list[tuple[str, bytes]]:
    """The whole dataset as published in one release, at a stable address: (path, bytes). The CSV's text
    cells are written as every other download writes them (a note a spreadsheet would run as a formula
    starts with an apostrophe)."""
    from ..opendata.formats import csv_lines

    rows = [(dept, period, indicator, v.value or "", units.get(indicator, ""), v.note)
            for (dept, period), values in sorted(release.reports.items()) for indicator, v in sorted(values.items())]
    as_json = json.dumps({"release": {"id": release.id, "date": release.date.isoformat(), "title": release.title,
                                      "sha256": release.digest},
                          "values": [dict(zip(("department", "period", "indicator", "value", "unit", "note"), r))
                                     for r in rows]}, ensure_ascii=False, indent=1, sort_keys=True)
    csv_path, json_path = archive_paths(release.id)
    return [(csv_path, csv_lines([("department", "period", "indicator", "value", "unit", "note"), *rows], bom=True)),
            (json_path, as_json.encode("utf-8") + b"\n")]
