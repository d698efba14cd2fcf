"""Vietnamese time frames of plan tasks -> deadlines.

Plans write when a task is due in words: "Tháng 12/2023", "Quý I năm 2023",
"Trong năm 2023", "Thường xuyên", or two deadlines at once: "Kế hoạch ban
hành trong quý I/2023; báo cáo hàng quý." A phrase this module cannot read
is reported, never guessed.
"""
from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

ROMAN_QUARTERS = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "1": 1, "2": 2, "3": 3, "4": 4}
UNDERSTOOD = ("Tháng 12/2023", "Tháng 12 năm 2023", "Trong tháng 12 năm 2022", "Quý I năm 2023", "Quý I/2023",
              "Trong năm 2023", "Cuối năm 2023", "Thường xuyên", "Hàng quý",
              "Kế hoạch ban hành trong quý I/2023; báo cáo hàng quý")

_YEAR = r"(?P<year>(?:19|20)[0-9]{2})"
_MONTH = rf"tháng\s+(?P<month>[0-9]{{1,2}})(?:\s*/\s*|\s+năm\s+|\s+){_YEAR}"
_QUARTER = rf"quý\s+(?P<quarter>iv|iii|ii|i|[1-4])(?:\s*/\s*|\s+năm\s+){_YEAR}"
_WHOLE_YEAR = rf"(?:trong\s+|cuối\s+)?năm\s+{_YEAR}"
_PATTERNS = (("month", re.compile(rf"(?:trong\s+)?{_MONTH}$")),
             ("quarter", re.compile(rf"(?:trong\s+)?{_QUARTER}$")),
             ("year", re.compile(rf"{_WHOLE_YEAR}$")))
_QUARTERLY = re.compile(r"(?:hàng|hằng|mỗi)\s+quý$")
_ONGOING = re.compile(r"thường\s+xuyên$")


@dataclass(frozen=True)
class Deadline:
    what: str  # what is due, as written before the date ("Kế hoạch ban hành", "báo cáo"), or ""
    due: date
    recurring: bool = False  # one of several quarterly deadlines


@dataclass(frozen=True)
class TimeFrame:
    text: str  # exactly as written in the plan
    deadlines: tuple[Deadline, ...]
    ongoing: bool = False  # "Thường xuyên": no deadline

    @property
    def final(self) -> date | None:
        return max((d.due for d in self.deadlines), default=None)


class TimeFrameError(ValueError):
    pass


def _quarter_end(year: int, quarter: int) -> date:
    month = quarter * 3
    return date(year, month, calendar.monthrange(year, month)[1])


def _part(text: str, plan_year: int) -> tuple[Deadline, ...] | None:
    """One ';'-separated part: an optional 'what' then a time expression. None: ongoing."""
    lowered = " ".join(text.lower().replace("hằng", "hàng").split()).rstrip(" .")
    if _ONGOING.match(lowered):
        return None
    quarterly = _QUARTERLY.search(lowered)
    if quarterly:
        what = text[: quarterly.start()].strip(" .")
        return tuple(Deadline(what, _quarter_end(plan_year, q), True) for q in range(1, 5))
    for kind, pattern in _PATTERNS:
        match = pattern.search(lowered)
        if not match:
            continue
        what = " ".join(text.split())[: match.start()].strip(" .,")
        year = int(match["year"])
        if kind == "month":
            month = int(match["month"])
            if not 1 <= month <= 12:
                raise TimeFrameError(f"there is no month {month}")
            due = date(year, month, calendar.monthrange(year, month)[1])
        elif kind == "quarter":
            due = _quarter_end(year, ROMAN_QUARTERS[match["quarter"]])
        else:
            due = date(year, 12, 31)
        return (Deadline(what, due),)
    raise TimeFrameError(f"cannot read the time frame '{text.strip()}'")


def parse_time_frame(text: str, plan_year: int) -> TimeFrame:
    """Read a plan's time-frame phrase; raise TimeFrameError when it cannot be read."""
    if not text.strip():
        raise TimeFrameError("the time frame is empty")
    parts = [p for p in text.split(";") if p.strip(" .")]
    deadlines: list[Deadline] = []
    ongoing = False
    for part in parts:
        found = _part(part, plan_year)
        if found is None:
            ongoing = True
        else:
            deadlines.extend(found)
    return TimeFrame(text, tuple(deadlines), ongoing and not deadlines)
