"""One synthetic report: plausible values for every row of the form, then its YAML.

Part of `synth.py`. Values follow the catalogue: kinds (rates 0–100, codes
within their codes, whole counts), temporal (a stock stays put, a per-period
count scales with the period's length, a cumulative one grows through the
year) and the rules of data/catalogue/checks.yaml (parts within their
wholes), so a report is clean unless an anomaly is put in on purpose.
"""
from __future__ import annotations

import json
import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from ..model import Catalogue, FormVersion, Indicator
from .synth_names import NARRATIVE
from .synth_plan import SynthPlan, person

MONTHS = {"q1": 3, "h1": 6, "q3": 3, "year": 12}
YEAR_SHARE = {"q1": 0.25, "h1": 0.5, "q3": 0.75, "year": 1.0}  # of a cumulative row's yearly total
PHRASE = {"q1": "quý I năm {y}", "h1": "6 tháng đầu năm {y}", "q3": "quý III năm {y}", "year": "năm {y}"}

# Level of a row: a stock for `state` rows, per quarter for `period` rows, per year for `cumulative` ones.
RANGES = {
    "reform_directive_documents_issued": (0, 4), "reform_inspection_divisions_inspected": (0, 4),
    "reform_inspection_units_inspected": (0, 4), "reform_inspection_issues_found": (0, 6),
    "articles_on_provincial_reform_page": (0, 3), "articles_on_own_website": (1, 8), "articles_in_mass_media": (0, 6),
    "province_tasks_assigned": (1, 10), "satisfaction_survey_responses": (80, 600), "other_tasks": (0, 3),
    "legal_docs_drafted": (0, 3), "legal_docs_to_review": (2, 30), "legal_education_documents": (1, 12),
    "procedures_reviewed": (0, 20), "procedures_shortened_time": (0, 5), "procedures_fewer_documents": (0, 5),
    "procedures_simplified_other": (0, 3), "procedures_newly_published": (0, 8),
    "procedures_abolished_replaced": (0, 8), "procedures_in_force_at_body": (20, 180),
    "procedures_in_force_at_subordinates": (0, 60), "feedback_received": (0, 10),
    "procedures_linked_same_level": (5, 90), "procedures_linked_across_levels": (0, 12),
    "case_files_received": (80, 2500), "office_divisions": (3, 10), "subordinate_admin_bodies": (0, 4),
    "subordinate_admin_body_divisions": (0, 12), "public_service_units": (0, 12),
    "public_service_unit_divisions": (0, 20), "admin_bodies_cut": (0, 1), "public_service_units_cut": (0, 2),
    "public_service_unit_divisions_cut": (0, 3), "civil_servant_posts_assigned": (20, 110),
    "admin_labour_contracts": (0, 12), "civil_servant_posts_downsized": (0, 2),
    "state_paid_psu_staff_assigned": (10, 400), "state_paid_psu_staff_downsized": (0, 4),
    "autonomous_psu_staff_approved": (0, 60), "leaders_department_level": (2, 4), "leaders_division_level": (4, 18),
    "leaders_subordinate_division_level": (0, 30), "decentralisation_inspection_district_units": (0, 4),
    "decentralisation_inspection_commune_units": (0, 8), "decentralisation_inspection_issues_found": (0, 5),
    "specialised_inspection_department_units": (0, 3), "specialised_inspection_district_units": (0, 4),
    "specialised_inspection_commune_units": (0, 6), "specialised_inspection_issues_found": (0, 6),
    "civil_servants_recruited_exam": (0, 4), "civil_servants_recruited_special": (0, 1),
    "public_employees_recruited_exam": (0, 6), "public_employees_recruited_special": (0, 1),
    "leaders_appointed_department_level": (0, 1), "leaders_appointed_division_level": (0, 2),
    "leaders_appointed_subordinate_division": (0, 2), "training_planned": (10, 120), "training_done": (0, 30),
    "job_rotation_target": (0, 8), "disciplined_department_leaders": (0, 0), "disciplined_division_leaders": (0, 1),
    "disciplined_subordinate_division_leaders": (0, 1), "disciplined_civil_servants": (0, 1),
    "disciplined_psu_staff_fully_autonomous": (0, 0), "disciplined_psu_staff_partly_autonomous": (0, 1),
    "disciplined_psu_staff_state_funded": (0, 1), "admin_bodies_financial_autonomy": (0, 3),
    "psu_autonomy_full_incl_investment": (0, 1), "psu_autonomy_full_recurrent": (0, 2),
    "psu_autonomy_partial_recurrent": (0, 4), "psu_state_funded_recurrent": (0, 5),
    "internal_spending_rules_subordinates": (0, 12), "it_staff": (1, 5), "outgoing_documents_total": (200, 2500),
    "procedures_eligible_level_3": (5, 60), "procedures_eligible_level_4": (5, 90),
    "procedures_with_fees": (0, 40), "staff_with_official_email": (10, 120),
    "leaders_with_digital_certificate": (2, 20), "other_digital_applications": (1, 6),
    "bcci_procedures_announced": (0, 60),
}
UNIT_RANGES = {"Nhiệm vụ": (0, 8), "Văn bản": (0, 4), "Cơ quan, đơn vị": (0, 6), "Vấn đề": (0, 5), "Tin, bài": (0, 8),
               "Người": (0, 30), "Thủ tục": (0, 40), "TTHC": (0, 80), "Hồ sơ": (40, 1500), "Ý kiến": (0, 8),
               "Số lượng": (50, 400), "Số lượng phần mềm": (1, 6)}
PERCENT_RANGE = (75, 100)
STOCK_LIKE = {"psu_autonomy", "psu_autonomy_full_incl_investment", "psu_autonomy_full_recurrent",
              "psu_autonomy_partial_recurrent", "psu_state_funded_recurrent"}
# part <- whole × share, in order (a whole is set before its parts).
RATIOS = (
    ("reform_inspection_issues_resolved", "reform_inspection_issues_found", 0.5, 1.0),
    ("province_tasks_done_on_time", "province_tasks_assigned", 0.6, 1.0),
    ("province_tasks_done_late", "province_tasks_assigned", 0.0, 0.15),
    ("legal_docs_drafted_on_time", "legal_docs_drafted", 0.7, 1.0),
    ("legal_docs_drafted_by_procedure", "legal_docs_drafted", 1.0, 1.0),
    ("legal_docs_reviewed", "legal_docs_to_review", 0.7, 1.0),
    ("legal_docs_flagged_after_review", "legal_docs_reviewed", 0.0, 0.2),
    ("legal_docs_flagged_resolved", "legal_docs_flagged_after_review", 0.5, 1.0),
    ("feedback_resolved", "feedback_received", 0.8, 1.0),
    ("case_files_returned", "case_files_received", 0.85, 1.0),
    ("civil_servant_posts_filled", "civil_servant_posts_assigned", 0.85, 1.0),
    ("state_paid_psu_staff_present", "state_paid_psu_staff_assigned", 0.85, 1.0),
    ("autonomous_psu_staff_present", "autonomous_psu_staff_approved", 0.8, 1.0),
    ("decentralisation_inspection_issues_resolved", "decentralisation_inspection_issues_found", 0.5, 1.0),
    ("specialised_inspection_issues_resolved", "specialised_inspection_issues_found", 0.5, 1.0),
    ("job_rotation_done", "job_rotation_target", 0.0, 0.5),
    ("admin_bodies_financial_autonomy", "subordinate_admin_bodies", 0.0, 1.0),
    ("outgoing_documents_fully_electronic", "outgoing_documents_total", 0.75, 0.98),
    ("outgoing_documents_electronic_and_paper", "outgoing_documents_total", 0.0, 0.02),
    ("procedures_offered_level_3", "procedures_eligible_level_3", 0.8, 1.0),
    ("procedures_level_3_with_online_files", "procedures_offered_level_3", 0.3, 0.9),
    ("procedures_offered_level_4", "procedures_eligible_level_4", 0.8, 1.0),
    ("procedures_level_4_with_online_files", "procedures_offered_level_4", 0.3, 0.9),
    ("online_procedure_files_received", "case_files_received", 0.2, 0.7),
    ("online_procedure_files_received_online", "online_procedure_files_received", 0.5, 1.0),
    ("procedures_with_online_payment", "procedures_with_fees", 0.3, 1.0),
    ("bcci_procedures_received", "bcci_procedures_announced", 0.0, 0.4),
    ("bcci_procedures_returned", "bcci_procedures_received", 0.7, 1.0),
    ("bcci_files_received", "bcci_procedures_received", 1.0, 3.0),
    ("bcci_files_returned", "bcci_files_received", 0.7, 1.0),
)
# whole <- sum of parts, in order.
TOTALS = (
    ("procedures_in_force", ("procedures_in_force_at_body", "procedures_in_force_at_subordinates")),
    ("state_paid_psu_staffing", ("state_paid_psu_staff_present",)),
    ("autonomous_psu_staffing", ("autonomous_psu_staff_present",)),
    ("recruitment", ("civil_servants_recruited_exam", "civil_servants_recruited_special",
                     "public_employees_recruited_exam", "public_employees_recruited_special")),
    ("disciplined_psu_staff", ("disciplined_psu_staff_fully_autonomous", "disciplined_psu_staff_partly_autonomous",
                               "disciplined_psu_staff_state_funded")),
    ("discipline", ("disciplined_department_leaders", "disciplined_division_leaders",
                    "disciplined_subordinate_division_leaders", "disciplined_civil_servants", "disciplined_psu_staff")),
    ("decentralisation_inspection", ("decentralisation_inspection_district_units",
                                     "decentralisation_inspection_commune_units")),
    ("psu_autonomy", ("psu_autonomy_full_incl_investment", "psu_autonomy_full_recurrent",
                      "psu_autonomy_partial_recurrent", "psu_state_funded_recurrent")),
    ("online_services_level_3", ("procedures_offered_level_3",)),
    ("online_services_level_4", ("procedures_offered_level_4",)),
    ("online_services_level_3_4", ("online_services_level_3", "online_services_level_4")),
    ("procedures_on_national_portal", ("procedures_offered_level_3", "procedures_offered_level_4")),
)
PLAN_ROWS = ("plan_completion_rate", "plan_tasks_planned", "plan_tasks_done")
ANOMALIES = ("returned_above_received", "outgoing_parts_above_total", "rate_left_empty", "remark", "iso_planned",
             "acknowledged_code")


@dataclass(frozen=True)
class SynthBody:
    id: str
    name_vi: str
    kind: str  # department | district
    code: str  # in document numbers: "STP" in "12/STP-VP"


@dataclass(frozen=True)
class SynthPeriod:
    id: str
    kind: str
    year: int
    start: date
    end: date


@dataclass
class Row:
    value: int | Decimal | None
    note: str = ""
    remark: str = ""


@dataclass
class SynthReport:
    body: SynthBody
    period: SynthPeriod
    rows: dict[str, Row]
    acknowledged: list[tuple[str, str, str]] = field(default_factory=list)
    narrative: str = ""


def _q(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def _number(value: int | Decimal) -> str:
    return str(value) if isinstance(value, int) else format(value, "f")


class _Generator:
    def __init__(self, cat: Catalogue, form: FormVersion, seed: int, body: SynthBody, period: SynthPeriod):
        self.cat, self.form, self.seed, self.body, self.period = cat, form, seed, body, period
        self.rng = random.Random(f"{seed}|report|{body.id}|{period.id}")
        profile = random.Random(f"{seed}|profile|{body.id}")
        self.size = profile.uniform(1.5, 3.0) if body.kind == "district" else profile.uniform(0.6, 1.6)
        self.levels = {ind: profile.random() for ind in sorted(cat.indicators)}
        self.yes_rate = profile.uniform(0.7, 0.95)
        self.year_rng = random.Random(f"{seed}|year|{body.id}|{period.year}")
        self.drift = 1 + self.year_rng.uniform(-0.08, 0.12)
        self.share = YEAR_SHARE[period.kind] + (self.rng.uniform(-0.04, 0.04) if period.kind != "year" else 0)

    def _count(self, ind: Indicator) -> int:
        low, high = RANGES.get(ind.id) or UNIT_RANGES.get(ind.unit, (0, 5))
        level = low + (high - low) * self.levels[ind.id]
        if high >= 20:
            level *= self.size
        if ind.temporal == "state" or ind.id in STOCK_LIKE:
            return max(0, round(level * self.drift))
        if ind.temporal == "period":
            return max(0, round(level * MONTHS[self.period.kind] / 3 * self.rng.uniform(0.6, 1.4)))
        return max(0, round(level * 4 * self.drift * self.share))

    def _percent(self, ind: Indicator) -> Decimal:
        if ind.temporal == "cumulative":
            raw = 100 * min(1.0, self.share * self.rng.uniform(0.85, 1.1))
        else:
            low, high = PERCENT_RANGE
            raw = min(100.0, low + (high - low) * self.levels[ind.id] + self.rng.uniform(-4, 4))
        places = self.rng.choices([0, 1, 2], [65, 25, 10])[0]
        value = Decimal(str(max(0.0, raw))).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
        return Decimal(100) if value == 100 else value

    def _coded(self, ind: Indicator) -> int:
        codes = [c.value for c in self.cat.kinds[ind.kind].codes]
        if ind.kind == "survey_mode":
            return self.rng.choice(codes)
        rng = self.year_rng if ind.temporal == "state" else self.rng
        return 1 if rng.random() < (0.95 if ind.kind == "compliance" else self.yes_rate) else 0

    def raw_values(self) -> dict[str, int | Decimal | None]:
        values: dict[str, int | Decimal | None] = {}
        for row in self.form.rows:
            ind = self.cat.indicators[row.indicator]
            kind = self.cat.kinds[ind.kind]
            if not kind.holds_value:
                values[ind.id] = None
            elif kind.codes:
                values[ind.id] = self._coded(ind)
            elif ind.kind == "percent":
                values[ind.id] = self._percent(ind)
            else:
                values[ind.id] = self._count(ind)
        for part, whole, low, high in RATIOS:
            if isinstance(values.get(whole), int):
                values[part] = int(values[whole] * self.rng.uniform(low, high))
        for whole, parts in TOTALS:
            values[whole] = sum(values[p] or 0 for p in parts)
        self._apply_checks(values)
        return values

    def _apply_checks(self, values: dict) -> None:
        """Make every rule of checks.yaml hold: parts within their wholes, totals equal to their parts."""
        equal_wholes = {c.whole for c in self.cat.checks if c.kind == "parts_sum" and c.rule == "equal"}
        for _ in range(50):
            changed = False
            for check in self.cat.checks:
                if check.kind == "not_above":
                    part, whole = check.parts[0], check.whole
                    if values.get(part) is not None and values.get(whole) is not None and values[part] > values[whole]:
                        if part in equal_wholes:
                            values[whole] = values[part]
                        else:
                            values[part] = int(values[whole] * self.rng.uniform(0.6, 1.0))
                        changed = True
                elif check.kind == "parts_sum":
                    total = sum(values.get(p) or 0 for p in check.parts)
                    whole = values.get(check.whole)
                    if whole is None:
                        continue
                    if check.rule == "equal" and total != whole:
                        values[check.whole] = total
                        changed = True
                    elif total > whole:
                        for p in check.parts:
                            values[p] = (values.get(p) or 0) * whole // total
                        changed = True
            if not changed:
                return
        raise RuntimeError(f"synthetic values of {self.body.id} {self.period.id} do not settle")

    def _date_in_period(self) -> date:
        start = max(self.period.start, self.period.end - timedelta(days=88))
        return start + timedelta(days=self.rng.randrange((self.period.end - start).days + 1))

    def _documents(self, count: int, kind: str) -> str:
        items = []
        for _ in range(count):
            day = self._date_in_period()
            number = self.rng.randint(1, 250)
            items.append(f"Quyết định số {number:02d}/{day.year}/QĐ-UBND ngày {day:%d/%m/%Y}" if kind == "legal"
                         else f"Công văn số {number}/{self.body.code}-VP ngày {day:%d/%m/%Y}")
        return "; ".join(items)

    def report(self, plan: SynthPlan | None, statuses: dict[str, str] | None) -> SynthReport:
        values = self.raw_values()
        rows = {ind: Row(value) for ind, value in values.items()}
        if plan is not None:
            planned, done = len(plan.tasks), plan.tasks_done(statuses or {})
            rate = (Decimal(100 * done) / planned).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
            rows["plan_tasks_planned"] = Row(planned)
            rows["plan_tasks_done"] = Row(done)
            rows["plan_completion_rate"] = Row(int(rate) if rate == rate.to_integral_value() else rate,
                                               f"Kế hoạch số {plan.number} ngày {plan.note_date:%d/%m/%Y}")
        else:
            for ind in PLAN_ROWS:
                rows[ind] = Row(None)
        self._notes(rows)
        self._blank(rows)
        report = SynthReport(self.body, self.period, rows)
        if self.rng.random() < 0.04:
            self._anomaly(report)
        if self.rng.random() < 0.08:
            report.narrative = "\n\n".join(["_Nội dung mô phỏng, không phải báo cáo thật._",
                                            *self.rng.sample(NARRATIVE, 3)]) + "\n"
        return report

    def _notes(self, rows: dict[str, Row]) -> None:
        documents = rows["reform_directive_documents_issued"]
        if 1 <= (documents.value or 0) <= 4 and self.rng.random() < 0.7:
            documents.note = self._documents(documents.value, "letter")
        drafted = rows["legal_docs_drafted"]
        if 1 <= (drafted.value or 0) <= 3 and self.rng.random() < 0.7:
            drafted.note = self._documents(drafted.value, "legal")
        if rows["procedure_control"].value == 1 and self.rng.random() < 0.4:
            day = self._date_in_period()
            number = f"{self.rng.randint(1, 90):02d}/KH-{self.body.code}"
            rows["procedure_control"].note = f"Kế hoạch số {number} ngày {day:%d/%m/%Y}"
        if self.period.kind != "year":
            rows["reform_commendation_done"] = Row(0, "Thực hiện vào cuối năm")
        for ind, row in rows.items():
            kind = self.cat.kinds[self.cat.indicators[ind].kind]
            if row.value == 0 and not kind.codes and not row.note and self.rng.random() < 0.15:
                row.note = "Chưa thực hiện"

    def _blank(self, rows: dict[str, Row]) -> None:
        """About 30% of rows not reported: whole groups (so no rule sees half a group), a few single rows."""
        checked = {name for c in self.cat.checks for name in (*c.parts, c.whole, c.when, *c.then) if name}
        checked |= {n for i in self.cat.indicators.values() if i.formula
                    for n in (i.formula.numerator, i.formula.denominator)}
        groups: list[list[str]] = []
        for form_row in self.form.rows:
            if form_row.number or not groups:
                groups.append([])
            groups[-1].append(form_row.indicator)
        empty_share = 0.32 if self.period.kind == "q1" else 0.2
        for group in groups:
            head = group[0]
            kind = self.cat.kinds[self.cat.indicators[head].kind]
            if head == "satisfaction_survey" and not (self.period.kind == "year" and self.rng.random() < 0.8):
                empty, note = True, "Chưa đến thời gian thực hiện"
            elif head == "reform_commendation_done":
                continue
            else:
                empty, note = self.rng.random() < empty_share, ""
            if empty:
                for ind in group:
                    rows[ind] = Row(None)
                rows[head].note = note
            elif kind.codes and rows[head].value == 0 and len(group) > 1:
                for ind in group[1:]:
                    rows[ind] = Row(None)
                rows[head].note = "Chưa thực hiện"
            else:
                for ind in group[1:]:
                    if ind not in checked and self.rng.random() < 0.1:
                        rows[ind] = Row(None)

    def _anomaly(self, report: SynthReport) -> None:
        """One mistake of the kind real reports make, published with a flag (a warning, never an error)."""
        rows = report.rows
        what = self.rng.choice(ANOMALIES)
        if what == "returned_above_received" and rows["case_files_received"].value is not None:
            rows["case_files_returned"].value = rows["case_files_received"].value + self.rng.randint(1, 15)
            rows["case_files_returned"].note = "Bao gồm hồ sơ tiếp nhận từ kỳ trước chuyển sang"
        elif what == "outgoing_parts_above_total" and rows["outgoing_documents_total"].value is not None:
            total, full = rows["outgoing_documents_total"].value, rows["outgoing_documents_fully_electronic"].value or 0
            rows["outgoing_documents_electronic_and_paper"].value = total - full + self.rng.randint(1, 40)
        elif what == "rate_left_empty" and rows["plan_tasks_done"].value is not None:
            rows["plan_completion_rate"].value = None
        elif what == "iso_planned" and rows["iso_department_announced"].value is not None:
            rows["iso_department_announced"] = Row(1, "Dự kiến thực hiện trong quý IV")
        elif what == "acknowledged_code" and rows["internal_spending_rules_department"].value is not None:
            rows["internal_spending_rules_department"].value = 3
            report.acknowledged.append(("internal_spending_rules_department", "E205", "dòng có mã Có = 1, "
                                        "Không = 0 nhưng bản gốc ghi 3; công bố nguyên văn (mô phỏng)"))
        else:
            present = sorted(ind for ind, row in rows.items() if row.value is not None)
            if present:
                rows[self.rng.choice(present)].remark = ("Số liệu ghi ở dòng bên dưới trong bản gốc, "
                                                         "đã đặt về đúng dòng (mô phỏng)")


def make_report(cat: Catalogue, form: FormVersion, seed: int, body: SynthBody, period: SynthPeriod,
                plan: SynthPlan | None, statuses: dict[str, str] | None) -> SynthReport:
    return _Generator(cat, form, seed, body, period).report(plan, statuses)


def report_yaml(report: SynthReport, cat: Catalogue, form: FormVersion, seed: int) -> str:
    body, period = report.body, report.period
    phrase = PHRASE[period.kind].format(y=period.year)
    rng = random.Random(f"{seed}|document|{body.id}|{period.id}")
    day = period.end - timedelta(days=rng.randint(0, 10))
    lines = [f"# {body.name_vi}, {phrase} (số liệu mô phỏng)",
             f"# Synthetic report made by `build.py synth` (seed {seed}): not a real document.",
             f"department: {body.id}", f"period: {period.id}", f"form: {form.id}", "document:",
             f"  title: {_q(f'Báo cáo tình hình, kết quả thực hiện cải cách hành chính {phrase} (số liệu mô phỏng)')}",
             f"  number: {_q(f'Số: {rng.randint(1, 400)}/BC-{body.code}')}",
             f"  date_line: {_q(f'ngày {day.day} tháng {day.month} năm {day.year}')}",
             f"  value_column: {_q(body.name_vi)}", f"  source: {_q(f'synthetic, seed {seed}')}", "contacts:"]
    for role, position in (("Lãnh đạo phụ trách CCHC", "Phó Giám đốc Sở" if body.kind == "department"
                            else "Phó Chủ tịch UBND"),
                           ("Công chức phụ trách tham mưu CCHC", "Chuyên viên")):
        lines += [f"  - role: {_q(role)}", f"    name: {_q(person(rng))}", f"    position: {_q(position)}",
                  f"    email: {_q(f'cchc.{body.id}@mo-phong.example')}"]
    lines.append("values:")
    titles = dict(form.area_titles)
    area = None
    for form_row in form.rows:
        ind = cat.indicators[form_row.indicator]
        if ind.area != area:
            area = ind.area
            lines.append(f"  # {area}. {titles.get(area, '')}")
        row = report.rows[ind.id]
        value = "~" if row.value is None else _number(row.value)
        label = " ".join(ind.label_vi.split())
        if row.note or row.remark:
            lines += [f"  {ind.id}:  # {label}", f"    value: {value}"]
            lines += [f"    note: {_q(row.note)}"] if row.note else []
            lines += [f"    remark: {_q(row.remark)}"] if row.remark else []
        else:
            lines.append(f"  {ind.id}: {value}  # {label}")
    if report.acknowledged:
        lines.append("acknowledged:")
        for indicator, code, explanation in report.acknowledged:
            lines += [f"  - indicator: {indicator}", f"    code: {code}", f"    explanation: {_q(explanation)}"]
    return "\n".join(lines) + "\n"
