"""Releases: every publication is a dated snapshot of the published values.

data/releases/<date>.yaml holds, for one release, every row a report filled
(value and note), its title, the hash of the previous release and a hash of
its own content. `check` recomputes the hashes, so a snapshot edited or a
release removed from the chain after it was recorded is an error naming the
file: history is not rewritten by accident.
"""
from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from .fields import Fields, expect_mapping
from .language import Language
from .load import Mapping, Scalar, read_yaml_file
from .model import Period, Report, SiteSettings
from .problems import Collector, Origin, relative_name

RELEASES = "releases"  # the folder under data/
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


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
    return sorted((data_dir / RELEASES).glob("*.yaml"))


def read_release(path: Path, root: Path, problems: Collector) -> Release | None:
    name = relative_name(path, root)
    top = expect_mapping(read_yaml_file(path, name, problems), problems, "a release file")
    if top is None:
        return None
    f = Fields(top, problems, "release")
    f.check_keys(["date", "title", "previous", "reports", "sha256"])
    day = f.date("date")
    title, previous, recorded = f.text("title", required=False), f.raw_text("previous"), f.text("sha256")
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
    if recorded and digest != recorded:
        problems.error("E701", f"release {path.stem} was changed after it was recorded (its content no longer matches "
                       "its sha256)", f.origin_of("sha256"),
                       "restore the file from version control; a correction is a new release, never an edit of an old one")
    if not path.stem.startswith(day.isoformat()):
        problems.error("E702", f"the release file {path.name} does not carry its date {day.isoformat()}",
                       f.origin_of("date"), "release files are named by their date: data/releases/YYYY-MM-DD.yaml")
    return Release(path.stem, day, title, previous, digest, reports, top.origin)


def read_releases(data_dir: Path, root: Path, problems: Collector) -> list[Release]:
    """Every recorded release, oldest first, with the chain between them checked."""
    releases = [r for path in release_paths(data_dir) if (r := read_release(path, root, problems)) is not None]
    releases.sort(key=lambda r: (r.date, r.id))
    expected = ""
    for release in releases:
        if release.previous != expected:
            problems.error("E703", f"release {release.id} follows a release that is missing or was changed",
                           release.origin, "a recorded release was deleted or edited: restore it from version control")
        expected = release.digest
    return releases


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
    folder = f"phat-hanh/{release_id}/"
    return folder + "gia-tri.csv", folder + "gia-tri.json"


def release_downloads(release: Release, units: dict[str, str]) -> list[tuple[str, bytes]]:
    """The whole dataset as published in one release, at a stable address: (path, bytes)."""
    import csv
    import io

    rows = [(dept, period, indicator, v.value or "", units.get(indicator, ""), v.note)
            for (dept, period), values in sorted(release.reports.items()) for indicator, v in sorted(values.items())]
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\r\n")
    writer.writerow(["department", "period", "indicator", "value", "unit", "note"])
    writer.writerows(rows)
    as_json = json.dumps({"release": {"id": release.id, "date": release.date.isoformat(), "title": release.title,
                                      "sha256": release.digest},
                          "values": [dict(zip(("department", "period", "indicator", "value", "unit", "note"), r))
                                     for r in rows]}, ensure_ascii=False, indent=1, sort_keys=True)
    csv_path, json_path = archive_paths(release.id)
    return [(csv_path, b"\xef\xbb\xbf" + text.getvalue().encode("utf-8")),
            (json_path, as_json.encode("utf-8") + b"\n")]
