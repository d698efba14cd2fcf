"""Plan pages: one per department and year, and the plans overview."""
from __future__ import annotations

from dataclasses import dataclass

from ..charts import Chart, ChartSpec, Point, make_chart
from ..model import Department
from ..numbers import format_percent_vi
from ..progress import NOT_REPORTED, PlanProgress, Share
from ..releases import SiteStatus
from ..summary import Reports
from .base import Page, department_path, make_page, plan_path
from .department import LinkView

STATUS_VI = {"done": "Đã hoàn thành", "in_progress": "Đang thực hiện", "not_started": "Chưa thực hiện",
             "cancelled": "Không thực hiện", NOT_REPORTED: "Chưa báo cáo"}


@dataclass(frozen=True)
class Bar:
    label: str
    done: int
    total: int
    text: str  # "12/38 (31,6 %)"


@dataclass(frozen=True)
class PartRow:
    key: str
    product: str
    time_frame: str  # as written
    deadlines: str  # as read: "31/03/2023 (Kế hoạch ban hành); hằng quý (báo cáo)"
    lead: str
    lead_units: str  # the units it names, full names
    partners: str
    status: str
    status_text: str
    status_note: str  # "Theo báo cáo Quý I năm 2023: ...", evidence and comment
    overdue: bool
    past_due_unknown: bool


@dataclass(frozen=True)
class TaskRow:
    anchor: str
    number: str
    task: str
    status: str
    status_text: str
    overdue: bool
    parts: tuple[PartRow, ...]


@dataclass(frozen=True)
class AreaTasks:
    id: str
    title: str
    bar: Bar
    tasks: tuple[TaskRow, ...]


@dataclass(frozen=True)
class PlanPageContext:
    page: Page
    department: Department
    department_href: str
    title: str
    number_text: str
    signer: str
    status_text: str  # which statuses the page shows, or that none were reported
    has_statuses: bool
    overall: Bar
    areas: tuple[AreaTasks, ...]
    overdue: tuple[TaskRow, ...]
    past_due_unknown: tuple[TaskRow, ...]
    counts: tuple[tuple[str, str, int], ...]  # (status, label, tasks)
    history: Chart | None
    task_count: int
    part_count: int


@dataclass(frozen=True)
class PlanSummaryRow:
    department: str
    href: str
    year: int
    tasks: int
    parts: int
    done: int
    in_progress: int
    overdue: int
    not_reported: int
    percent_raw: str  # for sorting; "" when no statuses
    percent_text: str


@dataclass(frozen=True)
class PlansPageContext:
    page: Page
    rows: tuple[PlanSummaryRow, ...]


def _bar(label: str, share: Share, known: bool) -> Bar:
    percent = share.percent
    if not known or percent is None:
        return Bar(label, share.done, share.total, "Chưa có báo cáo tình trạng")
    return Bar(label, share.done, share.total, f"{share.done}/{share.total} ({format_percent_vi(percent)})")


def _deadlines(frame) -> str:
    if frame.ongoing:
        return "Thường xuyên (không có hạn)"
    recurring = [d for d in frame.deadlines if d.recurring]
    single = [d for d in frame.deadlines if not d.recurring]
    texts = [f"{d.due:%d/%m/%Y}" + (f" ({d.what})" if d.what else "") for d in single]
    if recurring:
        texts.append("hằng quý" + (f" ({recurring[0].what})" if recurring[0].what else ""))
    return "; ".join(texts)


def _task_rows(progress: PlanProgress, cat, units: dict[str, str]) -> list[TaskRow]:
    rows = []
    for task in progress.tasks:
        parts = []
        for p in task.parts:
            note = ""
            if p.entry is not None:
                period = cat.periods[p.reported_in].label_vi
                bits = [f"Theo báo cáo {period}"]
                if p.entry.date_done:
                    bits.append(f"hoàn thành ngày {p.entry.date_done:%d/%m/%Y}")
                note = ", ".join(bits) + ("" if not (p.entry.evidence or p.entry.comment) else
                                          ": " + "; ".join(x for x in (p.entry.evidence, p.entry.comment) if x))
            parts.append(PartRow(p.part.key, p.part.product, p.part.time_frame.text, _deadlines(p.part.time_frame),
                                 p.part.lead, ", ".join(units.get(u, u) for u in p.part.lead_units),
                                 p.part.partners, p.status, STATUS_VI[p.status], note, p.overdue,
                                 p.past_due_unknown))
        rows.append(TaskRow(f"task-{task.task.number}", task.task.number, task.task.task, task.status,
                            STATUS_VI[task.status], task.overdue, tuple(parts)))
    return rows


def plan_context(reports: Reports, progress: PlanProgress, as_of: SiteStatus) -> PlanPageContext:
    cat = reports.catalogue
    plan = progress.plan
    dept = cat.departments[plan.department]
    page = make_page(f"Kế hoạch CCHC năm {plan.year}: {dept.name_vi}", plan_path(dept.id, plan.year),
                     "ke-hoach/index.html", as_of, (("Kế hoạch", "ke-hoach/index.html"),))
    names = {u.id: u.name_vi for u in plan.units}
    rows = _task_rows(progress, cat, names)
    known = progress.has_statuses
    areas = []
    for area_id, share in progress.by_area:
        area = next(a for a in cat.areas if a.id == area_id)
        areas.append(AreaTasks(area.id, area.label_vi, _bar(f"{area.id}. {area.label_vi}", share, known),
                               tuple(r for r, t in zip(rows, progress.tasks) if t.task.area == area_id)))
    if known:
        status_text = (f"Tình trạng thực hiện theo báo cáo {progress.status_period.label_vi}; "
                       f"hạn được xét đến ngày {progress.reference:%d/%m/%Y}.")
    else:
        status_text = (f"Chưa có báo cáo tình trạng thực hiện các nhiệm vụ của kế hoạch này; "
                       f"hạn được xét đến ngày {progress.reference:%d/%m/%Y}.")
    history = None
    if len(progress.history) >= 1:
        points = tuple(Point("Tỷ lệ hoàn thành", p.short_vi or p.label_vi, i, s.percent)
                       for i, (p, s) in enumerate(progress.history))
        history = make_chart(ChartSpec("line", f"Tỷ lệ sản phẩm của kế hoạch đã hoàn thành ({dept.short_name})",
                                         "Kỳ báo cáo", "Tỷ lệ (%)", True, points))
    counts = tuple((status, label, sum(t.status == status for t in progress.tasks))
                   for status, label in STATUS_VI.items())
    return PlanPageContext(
        page=page, department=dept, department_href=page.root + department_path(dept.id),
        title=plan.title, number_text=(f"Số {plan.number}" if plan.number else "Văn bản không ghi số")
        + (f", ngày {plan.date}" if plan.date else ", không ghi ngày"), signer=plan.signer,
        status_text=status_text, has_statuses=known, overall=_bar("Toàn bộ kế hoạch", progress.overall, known),
        areas=tuple(areas), overdue=tuple(r for r in rows if r.overdue),
        past_due_unknown=tuple(r for r in rows if any(p.past_due_unknown for p in r.parts)),
        counts=counts, history=history, task_count=len(plan.tasks), part_count=len(plan.parts))


def plans_context(reports: Reports, progress: list[PlanProgress], as_of: SiteStatus) -> PlansPageContext:
    cat = reports.catalogue
    page = make_page("Kế hoạch CCHC", "ke-hoach/index.html", "ke-hoach/index.html", as_of)
    rows = []
    for p in sorted(progress, key=lambda p: (p.plan.department, p.plan.year)):
        dept = cat.departments[p.plan.department]
        percent = p.overall.percent if p.has_statuses else None
        rows.append(PlanSummaryRow(
            dept.name_vi, page.root + plan_path(dept.id, p.plan.year), p.plan.year, len(p.plan.tasks),
            len(p.plan.parts), sum(t.status == "done" for t in p.tasks),
            sum(t.status == "in_progress" for t in p.tasks), sum(t.overdue for t in p.tasks),
            sum(t.status == NOT_REPORTED for t in p.tasks), str(percent) if percent is not None else "",
            format_percent_vi(percent) if percent is not None else "Chưa có báo cáo"))
    return PlansPageContext(page, tuple(rows))


def plan_links_by_department(progress: list[PlanProgress]) -> dict[str, tuple[LinkView, ...]]:
    """Links from a department page (two levels deep) to its plans."""
    out: dict[str, list[LinkView]] = {}
    for p in sorted(progress, key=lambda p: -p.plan.year):
        if p.has_statuses and p.overall.percent is not None:
            state = (f"{p.overall.done}/{p.overall.total} sản phẩm đã hoàn thành "
                     f"({format_percent_vi(p.overall.percent)}), {sum(t.overdue for t in p.tasks)} nhiệm vụ quá hạn, "
                     f"theo báo cáo {p.status_period.label_vi}")
        else:
            state = "chưa có báo cáo tình trạng thực hiện"
        out.setdefault(p.plan.department, []).append(
            LinkView(f"Kế hoạch CCHC năm {p.plan.year}: {len(p.plan.tasks)} nhiệm vụ; {state}",
                     "../" + plan_path(p.plan.department, p.plan.year)))
    return {k: tuple(v) for k, v in out.items()}
