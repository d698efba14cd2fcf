"""`build.py synth`: a complete synthetic province, for benchmarks and tests.

It writes a project folder (data/, content/, templates/, assets/) that
`build.py --root DIR` builds: departments and districts with renames and
mergers, a report per body and period on the current form, yearly plans with
quarterly task statuses, and data/site.yaml saying that all of it is
synthetic. The catalogue, forms and periods are copied from the project, so
the synthetic reports are checked by the same rules as real ones.

Seeded: the same options write byte-identical files. It never writes into the
project's own data/.
"""
from __future__ import annotations

import re
import shutil
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

import yaml

from ..inputs.catalogue import load_catalogue
from ..problems import Collector
from .synth_names import (DEPARTMENTS, MERGERS, NEW_BODIES, NOTICE_EN, NOTICE_VI, PLACES, ascii_slug)
from .synth_plan import PERIOD_KINDS, make_plan, plan_yaml, status_yaml, units_yaml
from .synth_report import SynthBody, SynthPeriod, make_report, report_yaml

CURRENT_FORM = "cchc-2022"
COPIED = ("templates", "assets", "data/catalogue", "data/forms")  # copied from the project as they are
WRITTEN = ("data", "content", "templates", "assets")  # replaced when synth runs again on its own output
PERIOD_TEXT = {"q1": ("Quý I năm {y}", "Quarter I {y}", "Quý I/{y}", (1, 1), (3, 31)),
               "h1": ("6 tháng đầu năm {y}", "First six months of {y}", "6 tháng/{y}", (1, 1), (6, 30)),
               "q3": ("Quý III năm {y}", "Quarter III {y}", "Quý III/{y}", (7, 1), (9, 30)),
               "year": ("Năm {y}", "Year {y}", "Năm {y}", (1, 1), (12, 31))}


class SynthRefused(Exception):
    """The target directory is not a safe place to write a synthetic province."""


@dataclass(frozen=True)
class SynthOptions:
    bodies: int
    years: int
    seed: int
    start_year: int = 2021


@dataclass(frozen=True)
class SynthSummary:
    target: Path
    departments: int  # entries of departments.yaml, renamed and merged ones included
    reports: int
    plans: int
    status_files: int
    files: int


@dataclass
class _Entry:
    """One entry of departments.yaml."""

    id: str
    name_vi: str
    name_en: str
    short_name: str
    kind: str
    valid_from: date | None = None
    valid_until: date | None = None
    predecessors: list[str] = field(default_factory=list)
    successors: list[str] = field(default_factory=list)
    history_vi: str = ""

    @property
    def code(self) -> str:
        return "UBND" if self.kind == "district" else re.sub(r"[^A-ZĐ0-9]", "", self.short_name.upper())

    def reports_in(self, period: SynthPeriod) -> bool:
        """A body files the reports of the periods it exists in; a successor files the year it began."""
        if self.valid_until and period.end > self.valid_until:
            return False
        return not self.valid_from or period.start >= self.valid_from or \
            (period.kind == "year" and period.end >= self.valid_from)


def check_target(project_root: Path, target: Path) -> None:
    """Refuse the project itself, its data/, a folder holding the project, or someone else's folder."""
    root, out = project_root.resolve(), target.resolve()
    data = root / "data"
    if out == root:
        raise SynthRefused(f"{target} is the project itself; synthetic data never goes into the real data/")
    if out == data or data in out.parents:
        raise SynthRefused(f"{target} is inside the project's data/; choose a directory outside it")
    if out in root.parents:
        raise SynthRefused(f"{target} contains the project; choose a new or empty directory")
    if out.exists() and not out.is_dir():
        raise SynthRefused(f"{target} is a file")
    if out.exists() and any(out.iterdir()) and not is_synthetic(out):
        raise SynthRefused(f"{target} is not empty and was not written by synth; choose a new or empty directory")


def is_synthetic(root: Path) -> bool:
    path = root / "data" / "site.yaml"
    try:
        return path.is_file() and (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("synthetic") is True
    except (yaml.YAMLError, AttributeError, UnicodeDecodeError):
        return False


def _department(base: tuple[str, str, str, str], copy: int) -> _Entry:
    slug, name, name_en, short = base
    if copy == 1:
        return _Entry(slug, name, name_en, short, "department")
    return _Entry(f"{slug}-{copy}", f"{name} (đơn vị mô phỏng {copy})", f"{name_en} (synthetic {copy})",
                  f"{short}-{copy}", "department")


def _district(place: str, copy: int, town: bool = False) -> _Entry:
    suffix = "" if copy == 1 else f"-{copy}"
    label = place if copy == 1 else f"{place} {copy}"
    if town:
        return _Entry(f"tx-{ascii_slug(place)}{suffix}", f"UBND thị xã {label}",
                      f"People's Committee of {label} town", f"TX. {label}", "district")
    return _Entry(f"h-{ascii_slug(place)}{suffix}", f"UBND huyện {label}",
                  f"People's Committee of {label} district", f"H. {label}", "district")


def _event_dates(index: int, count: int, options: SynthOptions, boundary: bool) -> tuple[date, date]:
    """(last day of the old body, first day of the new); spread over the years, mid-year or at New Year."""
    if boundary and options.years >= 2:
        year = options.start_year + (index + 1) * (options.years - 1) // (count + 1)
        return date(year, 12, 31), date(year + 1, 1, 1)
    year = options.start_year + min(options.years - 1, (index + 1) * options.years // (count + 1))
    return date(year, 6, 30), date(year, 7, 1)


def province(options: SynthOptions) -> list[list[_Entry]]:
    """The bodies, as slots: each slot reports every period, under the entry that exists at the time."""
    districts = options.bodies // 3
    departments = options.bodies - districts
    slots = [[_department(DEPARTMENTS[i % len(DEPARTMENTS)], i // len(DEPARTMENTS) + 1)] for i in range(departments)]
    slots += [[_district(PLACES[j % len(PLACES)], j // len(PLACES) + 1)] for j in range(districts)]
    where = {slot[0].id: slot for slot in slots}
    new_bodies = iter(NEW_BODIES)
    mergers = [m for m in MERGERS if m[0] in where and m[1] in where]
    mergers = mergers[:max(1, options.bodies // 15)] if options.bodies >= 4 else []
    for index, (first, second, successor) in enumerate(mergers):
        until, since = _event_dates(index, len(mergers), options, boundary=False)
        a, b = where[first][0], where[second][0]
        founded = next(new_bodies, None)
        new = _Entry(*founded, "department") if founded else _department(DEPARTMENTS[0], 100 + index)
        new.valid_from, new.history_vi = since, f"Thành lập từ ngày {since:%d/%m/%Y}."
        if isinstance(successor, tuple):  # a and b merge into a new body, which takes a's place
            merged = _Entry(*successor, "department", valid_from=since, predecessors=[a.id, b.id],
                            history_vi=f"Thành lập từ ngày {since:%d/%m/%Y} trên cơ sở hợp nhất {a.name_vi} "
                                       f"và {b.name_vi}.")
            for old in (a, b):
                old.valid_until, old.successors = until, [merged.id]
                old.history_vi = f"Hợp nhất thành {merged.name_vi} từ ngày {since:%d/%m/%Y}."
            where[first].append(merged)
            where[second].append(new)
        else:  # b absorbs a and goes on; a new body takes a's place
            a.valid_until, a.successors = until, [b.id]
            a.history_vi = f"Hợp nhất vào {b.name_vi} từ ngày {since:%d/%m/%Y}."
            b.predecessors.append(a.id)
            b.history_vi = f"Tiếp nhận chức năng, nhiệm vụ của {a.name_vi} từ ngày {since:%d/%m/%Y}."
            where[first].append(new)
    renames = max(1, districts // 6) if districts else 0
    for index, slot in enumerate(slots[departments:departments + renames]):
        until, since = _event_dates(index, renames, options, boundary=True)
        old = slot[0]
        place = old.name_vi.removeprefix("UBND huyện ")
        town = _district(place, 1, town=True)
        town.id = old.id.replace("h-", "tx-", 1)
        town.valid_from, town.predecessors = since, [old.id]
        town.history_vi = f"Thành lập thị xã trên cơ sở huyện {place} từ ngày {since:%d/%m/%Y}."
        old.valid_until, old.successors = until, [town.id]
        old.history_vi = f"Trở thành thị xã {place} từ ngày {since:%d/%m/%Y}."
        slot.append(town)
    return slots


def _periods(cat_periods: dict, options: SynthOptions) -> tuple[list[SynthPeriod], list[str]]:
    """The periods of the span, and YAML entries for those data/periods.yaml lacks."""
    periods, extra = [], []
    for year in range(options.start_year, options.start_year + options.years):
        for kind in PERIOD_KINDS:
            pid = f"{year}-{kind}"
            known = cat_periods.get(pid)
            if known is not None:
                periods.append(SynthPeriod(pid, known.kind, known.year, known.start, known.end))
                continue
            label, label_en, short, start, end = PERIOD_TEXT[kind]
            period = SynthPeriod(pid, kind, year, date(year, *start), date(year, *end))
            periods.append(period)
            extra.append(f"- id: {pid}\n  kind: {kind}\n  year: {year}\n  label_vi: {label.format(y=year)}\n"
                         f"  label_en: {label_en.format(y=year)}\n  short_vi: {short.format(y=year)}\n"
                         f"  start: {period.start.isoformat()}\n  end: {period.end.isoformat()}\n")
    return periods, extra


def _departments_yaml(entries: list[_Entry], seed: int) -> str:
    def q(text: str) -> str:
        return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'

    lines = ["# Synthetic departments and districts made by `build.py synth` "
             f"(seed {seed}): a fictitious province, not real bodies."]
    for e in entries:
        lines += [f"- id: {e.id}", f"  name_vi: {q(e.name_vi)}", f"  name_en: {q(e.name_en)}",
                  f"  short_name: {q(e.short_name)}", f"  kind: {e.kind}"]
        lines += [f"  valid_from: {e.valid_from.isoformat()}"] if e.valid_from else []
        lines += [f"  valid_until: {e.valid_until.isoformat()}"] if e.valid_until else []
        lines += [f"  predecessors: [{', '.join(e.predecessors)}]"] if e.predecessors else []
        lines += [f"  successors: [{', '.join(e.successors)}]"] if e.successors else []
        lines += [f"  history_vi: {q(e.history_vi)}"] if e.history_vi else []
    return "\n".join(lines) + "\n"


def _site_yaml(options: SynthOptions) -> str:
    return (f"# Written by `build.py synth`: every figure of this project is synthetic.\n"
            f"# The site shows notice_vi on every page while synthetic is true.\n"
            f"synthetic: true\nnotice_vi: \"{NOTICE_VI}\"\nnotice_en: \"{NOTICE_EN}\"\n"
            f"generator:\n  seed: {options.seed}\n  bodies: {options.bodies}\n  years: {options.years}\n"
            f"  start_year: {options.start_year}\n")


def _about(project_root: Path, options: SynthOptions, entries: list[_Entry], reports: int, plans: int) -> str:
    districts = sum(e.kind == "district" for e in entries)
    text = [f"**{NOTICE_VI}**", "",
            f"Tỉnh mô phỏng này có {len(entries)} đơn vị ({len(entries) - districts} sở, ban, ngành và {districts} "
            f"UBND cấp huyện, tính cả các đơn vị đã đổi tên hoặc hợp nhất), {reports} báo cáo định kỳ từ năm "
            f"{options.start_year} đến năm {options.start_year + options.years - 1} và {plans} kế hoạch CCHC năm, "
            f"do lệnh `python build.py synth` tạo ra (seed {options.seed}). Tên người, số hiệu văn bản và mọi số "
            "liệu đều là giả định.", ""]
    real = project_root / "content" / "gioi-thieu.md"
    if real.is_file():
        text += ["## Về trang theo dõi", "", real.read_text(encoding="utf-8").strip()]
    return "\n".join(text) + "\n"


def synthesize(project_root: Path, target: Path, options: SynthOptions) -> SynthSummary:
    """Write a synthetic province into `target` (see the module's docstring)."""
    if options.bodies < 1 or options.years < 1:
        raise SynthRefused("--bodies and --years must be at least 1")
    check_target(project_root, target)
    problems = Collector()
    cat = load_catalogue(project_root / "data", project_root, problems)
    if problems.has_errors() or CURRENT_FORM not in cat.forms:
        raise SynthRefused(f"the project's catalogue does not load cleanly (or lacks form {CURRENT_FORM}): "
                           "run `build.py check` first")
    form = cat.forms[CURRENT_FORM]
    periods, extra_periods = _periods(cat.periods, options)
    slots = province(options)
    entries = [e for slot in slots for e in slot]
    files: dict[str, str] = {"data/site.yaml": _site_yaml(options),
                             "data/departments.yaml": _departments_yaml(entries, options.seed)}
    periods_text = (project_root / "data" / "periods.yaml").read_text(encoding="utf-8")
    if extra_periods:
        periods_text = periods_text.rstrip("\n") + "\n# Added by `build.py synth` for the synthetic span.\n" + \
            "".join(extra_periods)
    files["data/periods.yaml"] = periods_text
    reports = plans = status_files = 0
    for slot in slots:
        for entry in slot:
            body = SynthBody(entry.id, entry.name_vi, entry.kind, entry.code)
            own = [p for p in periods if entry.reports_in(p)]
            if own:
                files[f"data/{entry.id}/units.yaml"] = units_yaml(entry.kind)
            for year in sorted({p.year for p in own}):
                plan = make_plan(options.seed, entry.id, entry.kind, entry.code, year)
                files[f"data/{entry.id}/plan-{year}.yaml"] = plan_yaml(plan, entry.name_vi, options.seed)
                plans += 1
                known: dict[str, str] = {}
                for period in (p for p in own if p.year == year):
                    text, reported = status_yaml(plan, period.id, PERIOD_KINDS.index(period.kind), options.seed)
                    files[f"data/{entry.id}/plan-{year}-status-{period.id}.yaml"] = text
                    status_files += 1
                    known.update(reported)
                    report = make_report(cat, form, options.seed, body, period, plan, dict(known))
                    files[f"data/{entry.id}/{period.id}.yaml"] = report_yaml(report, cat, form, options.seed)
                    if report.narrative:
                        files[f"content/{entry.id}/{period.id}.md"] = report.narrative
                    reports += 1
    files["content/gioi-thieu.md"] = _about(project_root, options, entries, reports, plans)
    files.update(_forms_for_the_span(project_root, cat, date(options.start_year, 1, 1)))
    _write(project_root, target, files)
    return SynthSummary(target, len(entries), reports, plans, status_files, len(files))


def _forms_for_the_span(project_root: Path, cat, first_day: date) -> dict[str, str]:
    """The form files, where the span begins before the current form was in use: every synthetic report is on the
    current form (its rows are what the generator knows), so the current form is made the one in use from the
    span's first day and the others end the day before; else `check` would find each earlier report on a form not
    in use for its period (W221)."""
    current = cat.forms[CURRENT_FORM]
    if current.used_from is None or current.used_from <= first_day:
        return {}
    until = first_day - timedelta(days=1)
    note = f"# (moved by `build.py synth`: the synthetic province reports on {CURRENT_FORM} from {first_day})\n"
    files = {}
    for path in sorted((project_root / "data" / "forms").glob("*.yaml")):
        text = path.read_text(encoding="utf-8")
        named = re.search(r"^id:\s*(\S+)", text, re.M)
        form = cat.forms.get(named[1]) if named else None
        if form is None:
            continue
        if form.id == CURRENT_FORM:
            text = re.sub(r"^used_from:.*$", f"{note}used_from: {first_day.isoformat()}", text, count=1, flags=re.M)
        elif form.used_until is None or form.used_until > until:
            if form.used_from is not None and form.used_from > until:
                text = re.sub(r"^used_from:.*\n", "", text, count=1, flags=re.M)
            if re.search(r"^used_until:", text, re.M):
                text = re.sub(r"^used_until:.*$", f"{note}used_until: {until.isoformat()}", text, count=1, flags=re.M)
            else:
                text = text.rstrip("\n") + f"\n{note}used_until: {until.isoformat()}\n"
        else:
            continue
        files[f"data/forms/{path.name}"] = text
    return files


def _write(project_root: Path, target: Path, files: dict[str, str]) -> None:
    target.mkdir(parents=True, exist_ok=True)
    for name in WRITTEN:
        shutil.rmtree(target / name, ignore_errors=True)
    for name in COPIED:
        if (project_root / name).is_dir():
            shutil.copytree(project_root / name, target / name, ignore=shutil.ignore_patterns("__pycache__"))
    for name in sorted(files):
        path = target / name
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "w", encoding="utf-8", newline="\n") as stream:
            stream.write(files[name])
