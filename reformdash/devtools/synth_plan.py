"""Synthetic yearly plans, their quarterly task statuses, and the units they name.

Part of `synth.py`. The statuses are simulated per task part over the year,
so the number of tasks done that a report states can be taken from them (the
site cross-checks the two: W312, W313).
"""
from __future__ import annotations

import json
import random
from dataclasses import dataclass
from datetime import date, timedelta

from .synth_names import FAMILY_NAMES, GIVEN_NAMES, MIDDLE_NAMES, PARTNERS, TASKS, TIME_FRAMES, UNITS

AREA_WEIGHTS = {"I": 3.0, "II": 1.5, "III": 2.5, "IV": 1.0, "V": 1.5, "VI": 1.0, "VII": 2.0}
PERIOD_KINDS = ("q1", "h1", "q3", "year")
# Where in the year a status change reported at each period happens (month, day) .. (month, day).
NEW_WORK = {"q1": ((1, 5), (3, 31)), "h1": ((4, 1), (6, 30)), "q3": ((7, 1), (9, 30)), "year": ((10, 1), (12, 15))}


@dataclass(frozen=True)
class PlanPart:
    key: str  # task number, or number.part when a task has several parts
    product: str
    time_frame: str
    lead: str
    partners: str
    statuses: tuple[str, ...]  # at q1, h1, q3, year
    done_on: date | None


@dataclass(frozen=True)
class SynthPlan:
    department: str
    year: int
    number: str
    date_text: str
    note_date: date  # the plan's date as a report note cites it
    signer: str
    tasks: tuple[tuple[str, str, str, tuple[PlanPart, ...]], ...]  # (number, area, task, parts)

    def tasks_done(self, reported: dict[str, str]) -> int:
        """Tasks whose every counted part is done, as the site's plan progress counts them."""
        done = 0
        for number, _, _, parts in self.tasks:
            counted = {reported.get(p.key, "not_reported") for p in parts} - {"cancelled"}
            done += counted == {"done"}
        return done


def person(rng: random.Random) -> str:
    return f"{rng.choice(FAMILY_NAMES)} {rng.choice(MIDDLE_NAMES)} {rng.choice(GIVEN_NAMES)}"


def _day(rng: random.Random, year: int, start: tuple[int, int], end: tuple[int, int]) -> date:
    first, last = date(year, *start), date(year, *end)
    return first + timedelta(days=rng.randrange((last - first).days + 1))


def _statuses(rng: random.Random, due: int, year: int) -> tuple[tuple[str, ...], date | None]:
    """A part's status at q1, h1, q3 and year, from the quarter it falls due (0: December before)."""
    done_at = {0: 0, 1: rng.choices([0, 1, None], [80, 15, 5])[0],
               4: rng.choices([3, 2, 1, None], [70, 15, 5, 10])[0],
               5: rng.choices([3, None], [40, 60])[0]}[due]
    started = rng.randint(0, done_at if done_at is not None else 3)
    cancelled = rng.randint(1, 3) if done_at is None and rng.random() < 0.3 else None
    statuses = []
    for index in range(4):
        if cancelled is not None and index >= cancelled:
            statuses.append("cancelled")
        elif done_at is not None and index >= done_at:
            statuses.append("done")
        else:
            statuses.append("in_progress" if index >= started else "not_started")
    if done_at is None:
        return tuple(statuses), None
    if due == 0:
        return tuple(statuses), _day(rng, year - 1, (12, 5), (12, 28))
    return tuple(statuses), _day(rng, year, *NEW_WORK[PERIOD_KINDS[done_at]])


def make_plan(seed: int, body_id: str, kind: str, code: str, year: int) -> SynthPlan:
    rng = random.Random(f"{seed}|plan|{body_id}|{year}")
    units = UNITS[kind]
    areas = sorted(rng.choices(list(AREA_WEIGHTS), list(AREA_WEIGHTS.values()), k=rng.randint(10, 40)),
                   key=list(AREA_WEIGHTS).index)
    used: dict[str, int] = {}
    tasks = []
    for index, area in enumerate(areas, 1):
        task, product = rng.choice(TASKS[area])
        used[task] = used.get(task, 0) + 1
        text = task.format(year=year) + (f" (đợt {used[task]})" if used[task] > 1 else "")
        count = rng.choices([1, 2, 3], [70, 20, 10])[0]
        parts = []
        for part in range(1, count + 1):
            frame, due = rng.choices(TIME_FRAMES, [3, 4, 3, 2, 2, 8, 6, 8, 2])[0]
            statuses, done_on = _statuses(rng, due, year)
            lead = ", ".join(u[2] for u in rng.sample(units, rng.choice([1, 1, 2])))
            parts.append(PlanPart(str(index) if count == 1 else f"{index}.{part}",
                                  (product if part == 1 else rng.choice(("Báo cáo kết quả thực hiện",
                                                                          "Văn bản chỉ đạo triển khai"))
                                   ).format(year=year),
                                  frame.format(year=year, prev=year - 1), lead, rng.choice(PARTNERS),
                                  statuses, done_on))
        tasks.append((str(index), area, text, tuple(parts)))
    day = rng.randint(15, 30)
    return SynthPlan(body_id, year, f"{rng.randint(1, 60):02d}/KH-{code}", f"{day} tháng 12 năm {year - 1}",
                     date(year - 1, 12, day), person(rng), tuple(tasks))


def _q(text: str) -> str:
    """A YAML double-quoted string (JSON's quoting is valid YAML)."""
    return json.dumps(text, ensure_ascii=False)


def plan_yaml(plan: SynthPlan, body_name: str, seed: int) -> str:
    lines = [f"# Kế hoạch CCHC năm {plan.year}, {body_name} (số liệu mô phỏng).",
             f"# Synthetic plan made by `build.py synth` (seed {seed}): not a real document.",
             f"department: {plan.department}", f"year: {plan.year}",
             f"title: {_q(f'Thực hiện cải cách hành chính năm {plan.year}')}", f"number: {_q(plan.number)}",
             f"date: {_q(plan.date_text)}", f"signer: {_q(plan.signer)}", "source: \"synthetic\"", "tasks:"]
    for number, area, task, parts in plan.tasks:
        lines += [f"  - number: \"{number}\"", f"    area: {area}", f"    task: {_q(task)}", "    parts:"]
        for part in parts:
            lines += [f"      - product: {_q(part.product)}", f"        time_frame: {_q(part.time_frame)}",
                      f"        lead: {_q(part.lead)}", f"        partners: {_q(part.partners)}"]
    return "\n".join(lines) + "\n"


def status_yaml(plan: SynthPlan, period_id: str, index: int, seed: int) -> tuple[str, dict[str, str]]:
    """The status file of one period, and the statuses it reports (part key -> status)."""
    rng = random.Random(f"{seed}|status|{plan.department}|{period_id}")
    lines = [f"# Synthetic task statuses (seed {seed}): not a real report.",
             f"department: {plan.department}", f"plan: {plan.year}", f"period: {period_id}", "statuses:"]
    reported: dict[str, str] = {}
    code = plan.number.split("/", 1)[1]
    for _, _, _, parts in plan.tasks:
        for part in parts:
            if rng.random() < 0.04:
                continue  # not reported this period
            status = part.statuses[index]
            reported[part.key] = status
            fields = [f"status: {status}"]
            if status == "done" and part.done_on is not None:
                fields.append(f"date_done: {part.done_on.isoformat()}")
                if rng.random() < 0.3:
                    evidence = f"Văn bản số {rng.randint(1, 300)}/{code} ngày {part.done_on:%d/%m/%Y}"
                    fields.append(f"evidence: {_q(evidence)}")
            elif status == "in_progress" and rng.random() < 0.1:
                fields.append(f"comment: {_q(rng.choice(('Chậm do chờ hướng dẫn', 'Đang triển khai')))}")
            elif status == "cancelled":
                fields.append(f"comment: {_q('Không thực hiện do thay đổi nhiệm vụ')}")
            lines.append(f"  \"{part.key}\": {{{', '.join(fields)}}}")
    return "\n".join(lines) + "\n", reported


def units_yaml(kind: str) -> str:
    lines = ["# Units named in the lead and partner cells of the synthetic plans."]
    for unit_id, name, short in UNITS[kind]:
        lines += [f"- id: {unit_id}", f"  name_vi: {_q(name)}", f"  short_vi: {_q(short)}", f"  aliases: [{_q(short)}]"]
    return "\n".join(lines) + "\n"
