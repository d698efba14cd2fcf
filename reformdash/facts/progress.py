"""Plan progress at a period: the status of every task part, what is overdue,
completion per area, and the cross-check with the figures of the reports.

Part of the compute stage. A part with no reported status is "not reported",
never "not started": the site does not invent statuses.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from .compute import ComputedReport, percent_of
from ..model import Catalogue, Period, Plan, PlanPart, PlanTask, StatusReport, TaskStatus
from ..problems import Problem, Severity

NOT_REPORTED = "not_reported"


@dataclass(frozen=True)
class PartProgress:
    part: PlanPart
    status: str  # one of model.STATUSES, or NOT_REPORTED
    reported_in: str  # period ID of the status, "" when not reported
    entry: TaskStatus | None
    overdue: bool  # a deadline passed before the reference date and it is not done
    past_due_unknown: bool  # a deadline passed but no status was reported


@dataclass(frozen=True)
class TaskProgress:
    task: PlanTask
    parts: tuple[PartProgress, ...]
    status: str
    overdue: bool


@dataclass(frozen=True)
class Share:
    done: int
    total: int  # parts that count: cancelled ones do not

    @property
    def percent(self) -> Decimal | None:
        if self.total == 0:
            return None
        return percent_of(Decimal(self.done), Decimal(self.total))  # (never 100,0 % for 1 999 of 2 000)


@dataclass(frozen=True)
class PlanProgress:
    plan: Plan
    reference: date  # statuses and deadlines are read at this date
    status_period: Period | None  # the period of the latest statuses used, None when none exist
    tasks: tuple[TaskProgress, ...]
    overall: Share
    by_area: tuple[tuple[str, Share], ...]
    history: tuple[tuple[Period, Share], ...]  # completion at each period with reported statuses
    reported_parts: int

    @property
    def has_statuses(self) -> bool:
        return self.status_period is not None


def statuses_by_plan(reports: list[StatusReport]) -> dict[tuple[str, int], list[StatusReport]]:
    """The status reports of each plan, (department, year) -> reports in the order given: grouped once
    by the caller for all its plans and reports (filtering them for each report was quadratic)."""
    groups: dict[tuple[str, int], list[StatusReport]] = {}
    for report in reports:
        groups.setdefault((report.department, report.year), []).append(report)
    return groups


def _statuses_at(plan: Plan, reports: list[StatusReport], cat: Catalogue, at: date) -> dict[str, tuple[TaskStatus, str]]:
    """Part key -> (latest status, its period) among status reports ending on or before `at`."""
    found: dict[str, tuple[TaskStatus, str]] = {}
    tasks: dict[str, PlanTask] = {}
    for task in plan.tasks:
        tasks.setdefault(task.number, task)  # the first task of a number, as a search would find
    for report in sorted(reports, key=lambda r: cat.periods[r.period].end):
        if cat.periods[report.period].end > at:
            continue
        for entry in report.statuses:
            task = tasks.get(entry.key)
            keys = [p.key for p in task.parts] if task else [entry.key]
            for key in keys:
                found[key] = (entry, report.period)
    return found


def _part_statuses(plan: Plan, own: list[StatusReport], cat: Catalogue, at: date) -> list[list[str]]:
    """The status of every part at a date, task by task (NOT_REPORTED where none was reported)."""
    statuses = _statuses_at(plan, own, cat, at)
    return [[statuses[p.key][0].status if p.key in statuses else NOT_REPORTED for p in task.parts]
            for task in plan.tasks]


def _task_status(statuses: set[str]) -> str:
    """A task's status from the set of its parts' statuses."""
    if statuses == {NOT_REPORTED}:
        return NOT_REPORTED
    counted = statuses - {"cancelled"}
    if not counted:
        return "cancelled"
    if counted == {"done"}:
        return "done"
    if counted & {"done", "in_progress"}:
        return "in_progress"
    return "not_started" if NOT_REPORTED not in counted else NOT_REPORTED


def _share_of(statuses: list[str]) -> Share:
    counted = [s for s in statuses if s != "cancelled"]
    return Share(counted.count("done"), len(counted))


def _share(parts: list[PartProgress]) -> Share:
    return _share_of([p.status for p in parts])


def _tasks_at(plan: Plan, own: list[StatusReport], cat: Catalogue, reference: date) -> tuple[TaskProgress, ...]:
    statuses = _statuses_at(plan, own, cat, reference)
    tasks = []
    for task in plan.tasks:
        parts = []
        for part in task.parts:
            entry, period = statuses.get(part.key, (None, ""))
            status = entry.status if entry else NOT_REPORTED
            final = part.time_frame.final
            passed = final is not None and final < reference
            open_ = status not in ("done", "cancelled")
            parts.append(PartProgress(part, status, period, entry, passed and open_ and entry is not None,
                                      passed and entry is None))
        tasks.append(TaskProgress(task, tuple(parts), _task_status({p.status for p in parts}),
                                  any(p.overdue for p in parts)))
    return tuple(tasks)


def plan_progress(plan: Plan, own: list[StatusReport], cat: Catalogue, reference: date) -> PlanProgress:
    """`own`: the plan's status reports (`statuses_by_plan`)."""
    status_period = max((cat.periods[r.period] for r in own if cat.periods[r.period].end <= reference),
                        key=lambda p: p.end, default=None)
    tasks = _tasks_at(plan, own, cat, reference)
    all_parts = [p for t in tasks for p in t.parts]
    by_area = tuple((area.id, _share([p for t in tasks if t.task.area == area.id for p in t.parts]))
                    for area in cat.areas if any(t.task.area == area.id for t in tasks))
    history = tuple((period, _share_of([s for task in _part_statuses(plan, own, cat, period.end) for s in task]))
                    for period in sorted({cat.periods[r.period] for r in own}, key=lambda p: p.end)
                    if period.end <= reference)
    return PlanProgress(plan, reference, status_period, tasks, _share(all_parts), by_area, history,
                        sum(p.status != NOT_REPORTED for p in all_parts))


def cross_check(computed: ComputedReport, plan: Plan | None, own: list[StatusReport],
                cat: Catalogue) -> tuple[Problem, ...]:
    """A report's I.1 figures against the department's own plan of the report's year (W312) and the plan's
    status reports, `own` (W313)."""
    report = computed.report
    period = cat.periods[report.period]
    if plan is None:
        return ()
    flags = []
    planned = report.values.get("plan_tasks_planned")
    counts = {len(plan.tasks), len(plan.parts)}
    if planned is not None and planned.value is not None and int(planned.value) not in counts:
        flags.append(Problem(Severity.WARNING, "W312", f"Báo cáo ghi {planned.value} nhiệm vụ đề ra, kế hoạch "
                             f"năm {plan.year} có {len(plan.tasks)} nhiệm vụ ({len(plan.parts)} sản phẩm)",
                             planned.origin, "the report and the plan disagree; check which is right",
                             "plan_tasks_planned"))
    done = report.values.get("plan_tasks_done")
    if any(r.period == report.period for r in own) and done is not None and done.value is not None:
        # the tasks and parts done at the end of the period, counted as plan_progress counts them
        by_task = _part_statuses(plan, own, cat, period.end)
        tasks_done = sum(_task_status(set(parts)) == "done" for parts in by_task)
        parts_done = _share_of([s for parts in by_task for s in parts]).done
        if int(done.value) not in (tasks_done, parts_done):
            flags.append(Problem(Severity.WARNING, "W313", f"Báo cáo ghi {done.value} nhiệm vụ đã hoàn thành, "
                                 f"tình trạng nhiệm vụ của kế hoạch cho {tasks_done} nhiệm vụ "
                                 f"({parts_done} sản phẩm)", done.origin,
                                 "the report's count and the task statuses disagree", "plan_tasks_done"))
    return tuple(flags)
