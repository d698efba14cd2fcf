"""Plan files -> Plan and StatusReport objects, checked like reports are.

data/<department>/plan-<year>.yaml holds the yearly plan as written;
data/<department>/plan-<year>-status-<period>.yaml holds the task statuses a
period's report gives, so each quarter adds a file and never rewrites the plan.
data/<department>/units.yaml names the department's units for lead/partner text.
"""
from __future__ import annotations

import os
import re
from functools import lru_cache
from pathlib import Path

from .fields import Fields, closest, expect_mapping, expect_sequence
from .load import read_yaml_file
from ..model import STATUSES, Catalogue, Plan, PlanPart, PlanTask, StatusReport, TaskStatus, Unit
from ..problems import Collector, relative_name
from .validate import NOT_DEPARTMENTS, department_yaml_names
from ..numbers import digit_named
from .period_named import normalise_label
from ..timeframes import UNDERSTOOD, OtherScriptDigit, TimeFrame, TimeFrameError, parse_time_frame

_PLAN = re.compile(r"^plan-([0-9]{4})$")
_STATUS = re.compile(r"^plan-([0-9]{4})-status-(.+)$")


def plan_paths(data_dir: Path) -> tuple[list[Path], list[Path]]:
    """(plan files, status files) under data/<department>/."""
    plans, statuses = [], []
    for folder, name in department_yaml_names(data_dir):
        if folder in NOT_DEPARTMENTS or not name.startswith("plan-"):
            continue
        (statuses if _STATUS.match(name.removesuffix(".yaml")) else plans).append(data_dir / folder / name)
    return plans, statuses


def read_units(path: Path, root: Path, problems: Collector) -> tuple[Unit, ...]:
    if not os.path.lexists(path):  # a department without units; a folder or a pipe named so is refused
        return ()
    seq = expect_sequence(read_yaml_file(path, relative_name(path, root), problems, root), problems, "units.yaml")
    units = []
    for node in seq.items if seq else ():
        m = expect_mapping(node, problems, "unit")
        if m is not None:
            f = Fields(m, problems, "unit")
            f.check_keys(["id", "name_vi", "short_vi", "aliases"])
            units.append(Unit(f.slug("id"), f.text("name_vi"), f.text("short_vi"), f.text_list("aliases")))
    return tuple(units)


@lru_cache(maxsize=64)
def _spellings(units: tuple[Unit, ...]) -> tuple[tuple[str, str], ...]:
    """(spelling, unit ID) of every way of writing a unit, longest first."""
    return tuple(sorted(((a, u.id) for u in units for a in (*u.aliases, u.short_vi, u.name_vi) if a),
                        key=lambda pair: -len(pair[0])))


def units_named(text: str, units: tuple[Unit, ...]) -> tuple[str, ...]:
    """The units a free-text lead or partner cell names, in the order written."""
    found: list[tuple[int, str]] = []
    taken = [False] * len(text)
    for spelling, unit in _spellings(units):
        start = text.find(spelling)
        while start != -1:  # each occurrence, left to right, not overlapping the one before
            end = start + len(spelling)
            if not any(taken[start:end]):
                taken[start:end] = [True] * len(spelling)
                found.append((start, unit))
            start = text.find(spelling, end)
    return tuple(dict.fromkeys(unit for _, unit in sorted(found)))


def validate_plan(path: Path, root: Path, cat: Catalogue, problems: Collector) -> Plan | None:
    name = relative_name(path, root)
    top = expect_mapping(read_yaml_file(path, name, problems, root), problems, "a plan file")
    if top is None:
        return None
    f = Fields(top, problems, "plan")
    f.check_keys(["department", "year", "title", "number", "date", "signer", "source", "tasks"])
    department, year = f.text("department"), f.year("year")
    if year is None:
        return None
    if department and department not in cat.departments and department not in cat.refused_departments:
        near = closest(department, cat.departments)
        problems.error("E209", f"unknown department '{department}'", f.origin_of("department"),
                       f"did you mean '{near}'?" if near else "departments are listed in data/departments.yaml")
    match = _PLAN.match(path.stem)
    if department in cat.departments and (path.parent.name != department or not match or int(match[1]) != year):
        problems.error("E211", f"the file name says {path.parent.name}/{path.stem} but the content says "
                       f"{department}/plan-{year}", f.origin_of("department"),
                       f"move the file to data/{department}/plan-{year}.yaml or correct the fields")
    units = read_units(path.parent / "units.yaml", root, problems)
    area_ids = {a.id for a in cat.areas}
    tasks: list[PlanTask] = []
    seen: dict[str, int] = {}
    for node in (f.sequence("tasks", required=True) or _Empty).items:
        tm = expect_mapping(node, problems, "task")
        if tm is None:
            continue
        tf = Fields(tm, problems, "task")
        tf.check_keys(["number", "area", "group", "task", "parts"])
        number, area = tf.text("number"), tf.text("area")
        if number in seen:
            problems.error("E503", f"task number {number} appears twice (first at line {seen[number]})",
                           tf.origin_of("number"), "number the tasks as the plan does, each once")
        seen.setdefault(number, tm.origin.line)
        if area and area not in area_ids:
            problems.error("E502", f"unknown area '{area}' for task {number}", tf.origin_of("area"),
                           "areas: " + ", ".join(a.id for a in cat.areas))
        part_nodes = (tf.sequence("parts", required=True) or _Empty).items
        parts = []
        for index, part_node in enumerate(part_nodes, 1):
            pm = expect_mapping(part_node, problems, "task part")
            if pm is None:
                continue
            pf = Fields(pm, problems, "task part")
            pf.check_keys(["product", "time_frame", "lead", "partners"])
            frame_text = pf.text("time_frame")
            try:
                frame = parse_time_frame(frame_text, year)
            except OtherScriptDigit as exc:
                problems.error("E219", f"task {number}: 'time_frame' = {frame_text} uses the digit "
                               f"{digit_named(exc.digit)}; only the digits 0-9 are accepted",
                               pf.origin_of("time_frame"), "write the time frame with 0-9, e.g. “Tháng 12/2023”")
                frame = TimeFrame(frame_text, ())
            except TimeFrameError as exc:
                problems.error("E501", f"task {number}: {exc}", pf.origin_of("time_frame"),
                               "time frames this site reads: " + "; ".join(f"“{u}”" for u in UNDERSTOOD))
                frame = TimeFrame(frame_text, ())
            lead, partners = pf.text("lead", required=False), pf.text("partners", required=False)
            key = number if len(part_nodes) == 1 else f"{number}.{index}"
            parts.append(PlanPart(key, pf.raw_text("product").strip(), frame, lead, units_named(lead, units),
                                  partners, units_named(partners, units), pm.origin))
        tasks.append(PlanTask(number, area, tf.text("group", required=False), tf.text("task"), tuple(parts),
                              tm.origin))
    title = f.text("title", required=False)
    _other_year(year, title, tasks, f, problems)
    return Plan(department, year, title, f.text("number", required=False),
                f.text("date", required=False), f.text("signer", required=False), f.text("source", required=False),
                tuple(tasks), top.origin, units)


_TITLE_YEAR = re.compile(r"\bnam (20[0-9]{2})\b")  # "năm 2026" in a plan's title, folded
# a date in a title, folded ("ngày 20 tháng 12 năm 2022", "tháng 12 năm 2022"): the date of a document it cites
_TITLE_DATE = re.compile(r"\b(?:ngay [0-9]{1,2} )?thang [0-9]{1,2} nam [0-9]{4}\b")


def _other_year(year: int, title: str, tasks: list[PlanTask], f: Fields, problems: Collector) -> None:
    """W321 for a plan that looks like another year's: its title says "năm <another year>", or every deadline
    written with its year lies outside the plan's year (a plan imported with the wrong --year)."""
    years = {int(y) for y in _TITLE_YEAR.findall(_TITLE_DATE.sub(" ", normalise_label(title)))} if title else set()
    dated = [d.due.year for t in tasks for p in t.parts for d in p.time_frame.deadlines]
    if years and year not in years:
        why, origin = f"its title says năm {min(years)}: '{title}'", f.origin_of("title")
    elif len(dated) >= 3 and all(y != year for y in dated):
        why, origin = f"none of its {len(dated)} deadlines is in {year} ({min(dated)}–{max(dated)})", f.origin_of("year")
    else:
        return
    problems.warning("W321", f"the plan of {year} looks like another year's: {why}", origin,
                     "if it is another year's plan, name the file plan-<that year>.yaml and write that year under "
                     "year: (import-plan: --year); if it is this year's plan, leave the title as printed")


class _Empty:
    items: tuple = ()


def validate_status_report(path: Path, root: Path, cat: Catalogue, plans: dict[tuple[str, int], Plan],
                           problems: Collector) -> StatusReport | None:
    name = relative_name(path, root)
    top = expect_mapping(read_yaml_file(path, name, problems, root), problems, "a plan status file")
    if top is None:
        return None
    f = Fields(top, problems, "plan status")
    f.check_keys(["department", "plan", "period", "statuses"])
    department, year, period = f.text("department"), f.year("plan"), f.text("period")
    if year is None:
        return None
    named = _STATUS.match(path.stem)  # (the file name: plan-<year>-status-<period>; see plan_paths)
    # Which field disagrees with the file name, at its line: a typo in `plan:` was told to add a plan of that year
    wrong = "department" if path.parent.name != department else "plan" if not named or named[1] != str(year) \
        else "period" if named[2] != period else ""
    if wrong:
        problems.error("E211", f"the file name says {path.parent.name}/{path.stem} but the content says "
                       f"{department}/plan-{year}-status-{period}", f.origin_of(wrong),
                       f"correct {wrong}: here, or move the file to data/{department}/plan-{year}-status-{period}.yaml")
    plan = plans.get((department, year))
    if plan is None:
        if not wrong:
            problems.error("E504", f"there is no plan {year} of '{department}' for these statuses",
                           f.origin_of("plan"), f"add data/{department}/plan-{year}.yaml first")
        return None
    if period not in cat.periods:
        if period not in cat.refused_periods:  # (a period whose entry has an error: that error says it)
            near = closest(period, cat.periods)
            problems.error("E210", f"unknown period '{period}'", f.origin_of("period"),
                           f"did you mean '{near}'?" if near else "periods are listed in data/periods.yaml")
        return None
    keys = {p.key for p in plan.parts} | {t.number for t in plan.tasks}
    statuses = []
    mapping = f.mapping("statuses", required=True)
    for key, node in mapping.items if mapping else ():
        if key.text not in keys:
            near = closest(key.text, keys)
            problems.error("E504", f"plan {year} has no task '{key.text}'", key.origin,
                           f"did you mean '{near}'?" if near else "use the task number, or task.part (e.g. 3.2)")
            continue
        sm = expect_mapping(node, problems, "status")
        if sm is None:
            continue
        sf = Fields(sm, problems, f"status of task {key.text}")
        sf.check_keys(["status", "date_done", "evidence", "comment"])
        status = sf.text("status")
        if status and status not in STATUSES:
            problems.error("E505", f"unknown status '{status}' for task {key.text}", sf.origin_of("status"),
                           "one of: " + ", ".join(STATUSES))
            continue
        done = sf.date("date_done", required=False)
        if done and period in cat.periods and done > cat.periods[period].end:
            problems.warning("W314", f"task {key.text} is marked done on {done:%d/%m/%Y}, after the end of "
                             f"{cat.periods[period].label_vi}", sf.origin_of("date_done"),
                             "a status describes the period it is reported for")
        statuses.append(TaskStatus(key.text, status, sm.origin, done, sf.raw_text("evidence").strip(),
                                   sf.raw_text("comment").strip()))
    return StatusReport(department, year, period, tuple(statuses), top.origin)
