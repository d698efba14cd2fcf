"""Plan pages: one per department and year, and the plans overview."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from ..output.charts import Chart, ChartSpec, Point, make_chart
from ..model import Department
from ..inputs.language import Language
from ..facts.progress import NOT_REPORTED, PlanProgress, Share
from ..inputs.releases import SiteStatus
from ..facts.summary import Reports
from .base import Page, department_path, make_page, named, plan_path
from .department import LinkView
from .unit import PageType, single

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
    deadlines: tuple[tuple[str, str], ...]  # as read: ("31/03/2023", "Kế hoạch ban hành"), ("hằng quý", "báo cáo")
    lead: str
    lead_units: str  # the units it names, full names
    partners: str
    status: str
    status_text: str
    status_note: str  # "Theo báo cáo Quý I năm 2023, hoàn thành ngày 15/03/2023"
    status_detail: str  # evidence and comment, as the department wrote them
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
    not_started: int
    cancelled: int
    overdue: int  # (of any status but done: a separate count, not a part of the tasks' sum)
    not_reported: int
    percent_raw: str  # for sorting; "" when no statuses
    percent_text: str


@dataclass(frozen=True)
class PlansPageContext:
    page: Page
    rows: tuple[PlanSummaryRow, ...]


def _bar(label: str, share: Share, known: bool, lang: Language) -> Bar:
    percent = share.percent
    if not known or percent is None:
        return Bar(label, share.done, share.total, lang.t("Chưa có báo cáo tình trạng"))
    return Bar(label, share.done, share.total, f"{share.done}/{share.total} ({lang.percent_text(percent)})")


def _deadlines(frame, lang: Language) -> tuple[tuple[str, str], ...]:
    """The deadlines as read: (when, what is due as the plan wrote it, or "")."""
    if frame.ongoing:
        return ((lang.t("Thường xuyên (không có hạn)"), ""),)
    recurring = [d for d in frame.deadlines if d.recurring]
    single = [(lang.date(d.due), d.what) for d in frame.deadlines if not d.recurring]
    return tuple(single) + (((lang.t("hằng quý"), recurring[0].what),) if recurring else ())


def _task_rows(progress: PlanProgress, cat, units: dict[str, str], lang: Language) -> list[TaskRow]:
    rows = []
    for task in progress.tasks:
        parts = []
        for p in task.parts:
            note = detail = ""
            if p.entry is not None:
                period = lang.label(cat.periods[p.reported_in])
                bits = [lang.t("Theo báo cáo {period}", period=period)]
                if p.entry.date_done:
                    bits.append(lang.t("hoàn thành ngày {date}", date=lang.date(p.entry.date_done)))
                note = ", ".join(bits)
                detail = "; ".join(x for x in (p.entry.evidence, p.entry.comment) if x)
            parts.append(PartRow(p.part.key, p.part.product, p.part.time_frame.text, _deadlines(p.part.time_frame, lang),
                                 p.part.lead, ", ".join(units.get(u, u) for u in p.part.lead_units),
                                 p.part.partners, p.status, lang.t(STATUS_VI[p.status]), note, detail, p.overdue,
                                 p.past_due_unknown))
        rows.append(TaskRow(f"task-{task.task.number}", task.task.number, task.task.task, task.status,
                            lang.t(STATUS_VI[task.status]), task.overdue, tuple(parts)))
    return rows


def plan_context(reports: Reports, progress: PlanProgress, as_of: SiteStatus, lang: Language) -> PlanPageContext:
    cat = reports.catalogue
    plan = progress.plan
    dept = cat.departments[plan.department]
    page = make_page(lang.t("Kế hoạch CCHC năm {year}: {department}", year=plan.year,
                            department=lang.label(dept, "name")), plan_path(dept.id, plan.year),
                     "ke-hoach/index.html", as_of, lang, ((lang.section("Kế hoạch"), "ke-hoach/index.html"),),
                     lang.t("Kế hoạch cải cách hành chính năm {year} của {department}: {count} nhiệm vụ và tiến độ "
                            "thực hiện.", year=plan.year, department=named(dept, lang), count=len(plan.tasks)))
    names = {u.id: u.name_vi for u in plan.units}
    rows = _task_rows(progress, cat, names, lang)
    known = progress.has_statuses
    areas = []
    for area_id, share in progress.by_area:
        area = next(a for a in cat.areas if a.id == area_id)
        areas.append(AreaTasks(area.id, lang.label(area), _bar(f"{area.id}. {lang.label(area)}", share, known, lang),
                               tuple(r for r, t in zip(rows, progress.tasks) if t.task.area == area_id)))
    if known:
        status_text = lang.t("Tình trạng thực hiện theo báo cáo {period}; hạn được xét đến ngày {date}.",
                             period=lang.label(progress.status_period), date=lang.date(progress.reference))
    else:
        status_text = lang.t("Chưa có báo cáo tình trạng thực hiện các nhiệm vụ của kế hoạch này; "
                             "hạn được xét đến ngày {date}.", date=lang.date(progress.reference))
    history = None
    if len(progress.history) >= 1:
        points = tuple(Point(lang.t("Tỷ lệ hoàn thành"), lang.period_short(p), i, s.percent)
                       for i, (p, s) in enumerate(progress.history))
        history = make_chart(ChartSpec(
            "line", lang.t("Tỷ lệ sản phẩm của kế hoạch đã hoàn thành ({department})", department=dept.short_name),
            lang.t("Kỳ báo cáo"), lang.t("Tỷ lệ (%)"), True, points, lang))
    by_status = Counter(t.status for t in progress.tasks)
    counts = tuple((status, lang.t(label), by_status[status]) for status, label in STATUS_VI.items())
    return PlanPageContext(
        page=page, department=dept, department_href=page.root + department_path(dept.id),
        title=plan.title, number_text=(lang.t("Số {number}", number=plan.number) if plan.number
                                       else lang.t("Văn bản không ghi số"))
        + (lang.t(", ngày {date}", date=plan.date) if plan.date else lang.t(", không ghi ngày")), signer=plan.signer,
        status_text=status_text, has_statuses=known,
        overall=_bar(lang.t("Toàn bộ kế hoạch"), progress.overall, known, lang),
        areas=tuple(areas), overdue=tuple(r for r in rows if r.overdue),
        past_due_unknown=tuple(r for r in rows if any(p.past_due_unknown for p in r.parts)),
        counts=counts, history=history, task_count=len(plan.tasks), part_count=len(plan.parts))


def plans_context(reports: Reports, progress: list[PlanProgress], as_of: SiteStatus,
                  lang: Language) -> PlansPageContext:
    cat = reports.catalogue
    page = make_page(lang.t("Kế hoạch CCHC"), "ke-hoach/index.html", "ke-hoach/index.html", as_of, lang,
                     description=lang.t("Kế hoạch cải cách hành chính năm của các cơ quan, đơn vị: số nhiệm vụ và "
                                        "tỷ lệ hoàn thành."))
    rows = []
    for p in sorted(progress, key=lambda p: (p.plan.department, p.plan.year)):
        dept = cat.departments[p.plan.department]
        percent = p.overall.percent if p.has_statuses else None
        by_status = Counter(t.status for t in p.tasks)
        rows.append(PlanSummaryRow(
            lang.label(dept, "name"), page.root + plan_path(dept.id, p.plan.year), p.plan.year, len(p.plan.tasks),
            len(p.plan.parts), by_status["done"], by_status["in_progress"], by_status["not_started"],
            by_status["cancelled"], sum(t.overdue for t in p.tasks), by_status[NOT_REPORTED],
            str(percent) if percent is not None else "",
            lang.percent_text(percent) if percent is not None else lang.t("Chưa có báo cáo")))
    return PlansPageContext(page, tuple(rows))


def plan_links_by_department(progress: list[PlanProgress], lang: Language) -> dict[str, tuple[LinkView, ...]]:
    """Links from a department page (two levels deep) to its plans."""
    out: dict[str, list[LinkView]] = {}
    for p in sorted(progress, key=lambda p: -p.plan.year):
        if p.has_statuses and p.overall.percent is not None:
            state = lang.t("{done}/{total} sản phẩm đã hoàn thành ({percent}), {overdue} nhiệm vụ quá hạn, "
                           "theo báo cáo {period}", done=p.overall.done, total=p.overall.total,
                           percent=lang.percent_text(p.overall.percent), overdue=sum(t.overdue for t in p.tasks),
                           period=lang.label(p.status_period))
        else:
            state = lang.t("chưa có báo cáo tình trạng thực hiện")
        out.setdefault(p.plan.department, []).append(
            LinkView(lang.t("Kế hoạch CCHC năm {year}: {tasks} nhiệm vụ; {state}", year=p.plan.year,
                            tasks=len(p.plan.tasks), state=state),
                     "../" + plan_path(p.plan.department, p.plan.year)))
    return {k: tuple(v) for k, v in out.items()}


PLAN = PageType("plan", "plan.html",
                lambda sources: ((plan_path(*key), key) for key in sources.plans),
                lambda data, department, year: plan_context(data.reports, data.plan(department, year), data.status,
                                                            data.lang))
PLANS = PageType("plans", "plans.html", single("ke-hoach/index.html"),
                 lambda data: plans_context(data.reports, data.progress(), data.status, data.lang))
