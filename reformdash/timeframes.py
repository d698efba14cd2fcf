"""Vietnamese time frames of plan tasks -> deadlines.

Plans write when a task is due in words: "Tháng 12/2023", "Quý I năm 2023",
"Trong năm 2023", "Thường xuyên", "Trước ngày 15/3/2023", or two deadlines at
once: "Kế hoạch ban hành trong quý I/2023; báo cáo hàng quý." A phrase this
module cannot read is reported, never guessed.

Every ';'-separated part is read in full or refused: a part is one date
expression, optionally after a plain description of what is due ("Kế hoạch ban
hành", "báo cáo"). Nothing may follow the date, and the description holds no
digit and no word about time, so an unreadable start ("Quý V năm 2023",
"Trước tháng 6/2023") is never dropped and the deadline never left to "năm 2023"
alone. In particular:

- digits of another script ("Tháng ３") are refused (E219 in a plan file), as
  everywhere a figure is read (numbers.other_digit);
- "Trước ngày 15 tháng 3 năm 2023" / "Trước ngày 15/3/2023" is due on the 15th
  (the day named is the deadline, as plans use it);
- two dates joined by "hoặc" (or) are refused: the site does not choose one;
- a remark after the date ("Tháng 3 năm 2023 (dự kiến)") is refused, since the
  site cannot know whether it changes the deadline;
- there is no month 13, quarter V or 30 February: each is refused.
"""
from __future__ import annotations

import calendar
import re
import unicodedata
from dataclasses import dataclass
from datetime import date

from .numbers import digit_named, other_digit

ROMAN_QUARTERS = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "1": 1, "2": 2, "3": 3, "4": 4}
UNDERSTOOD = ("Tháng 12/2023", "Tháng 12 năm 2023", "Trong tháng 12 năm 2022", "Quý I năm 2023", "Quý I/2023",
              "Trong năm 2023", "Cuối năm 2023", "Trước ngày 15/3/2023", "Ngày 15 tháng 3 năm 2023",
              "Thường xuyên", "Hàng quý", "Kế hoạch ban hành trong quý I/2023; báo cáo hàng quý")

# [0-9], not \d: \d takes any script's digits.
# (?<!\S): a date starts a word ("xtháng 12/2023" is not read).
_YEAR = r"(?P<year>(?:19|20)[0-9]{2})"
_SEP_YEAR = rf"(?:\s*/\s*|\s+năm\s+){_YEAR}"
_DAY = rf"(?<!\S)(?:(?:trước|trong|chậm\s+nhất)\s+)?ngày\s+(?P<day>[0-9]{{1,2}})(?:\s*/\s*|\s+tháng\s+)" \
       rf"(?P<month>[0-9]{{1,2}}){_SEP_YEAR}"
_MONTH = rf"(?<!\S)(?:trong\s+)?tháng\s+(?P<month>[0-9]{{1,2}})(?:\s*/\s*|\s+năm\s+|\s+){_YEAR}"
_QUARTER = rf"(?<!\S)(?:trong\s+)?quý\s+(?P<quarter>iv|iii|ii|i|[1-4]){_SEP_YEAR}"
_WHOLE_YEAR = rf"(?<!\S)(?:trong\s+|cuối\s+)?năm\s+{_YEAR}"
_PATTERNS = (("day", re.compile(_DAY)), ("month", re.compile(_MONTH)), ("quarter", re.compile(_QUARTER)),
             ("year", re.compile(_WHOLE_YEAR)))
_QUARTERLY = re.compile(r"(?<!\S)(?:hàng|mỗi)\s+quý$")
_ONGOING = re.compile(r"thường\s+xuyên$")
_OR = re.compile(r"(?<!\S)hoặc(?!\S)")
# Words that say when, not what: a description holding one is a date the patterns did not read.
_TIME_WORDS = frozenset({"ngày", "tuần", "tháng", "quý", "năm", "tết", "hoặc", "trước", "sau", "từ",
                         "khoảng", "cuối", "hàng", "hằng", "mỗi", "thường", "xuyên", "hạn", "chậm", "sớm",
                         "muộn"})
_TIME_PHRASES = ("dự kiến",)
# Last words that qualify the date after them: "Đầu năm 2023", "giữa tháng 6/2023" ("đầu tư" stays a description).
_TIME_LAST_WORDS = frozenset({"đầu", "giữa", "trong", "đến", "hết"})


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
    """A time frame that cannot be read (E501 in a plan file)."""


class OtherScriptDigit(TimeFrameError):
    """A time frame written with another script's digits (E219 in a plan file): '３' would be read as 3."""

    def __init__(self, digit: str) -> None:
        super().__init__(f"the time frame uses the digit {digit_named(digit)}; only the digits 0-9 are accepted")
        self.digit = digit


def _quarter_end(year: int, quarter: int) -> date:
    month = quarter * 3
    return date(year, month, calendar.monthrange(year, month)[1])


def _lower(text: str) -> str:
    """Lower case, one character for one (so that positions in it are positions in `text`)."""
    return "".join(low if len(low := c.lower()) == 1 else c for c in text).replace("hằng", "hàng")


def _plain_what(what: str) -> bool:
    """A description of what is due, with nothing in it about when."""
    if not what:
        return True
    if not all(c.isalpha() or c in " ,-:" for c in what):  # no digit, slash, bracket ...
        return False
    words = what.replace(",", " ").replace(":", " ").split()
    return (not any(w in _TIME_WORDS for w in words) and words[-1] not in _TIME_LAST_WORDS
            and not any(re.search(rf"(?<!\S){phrase}(?!\S)", what) for phrase in _TIME_PHRASES))


def _what(written: str, start: int, part: str, read: str) -> str:
    what = written[:start].strip(" .,")
    if not _plain_what(what.lower()):
        raise TimeFrameError(f"cannot read the time frame '{part}': the site reads '{read}' "
                             f"but not '{what}' before it")
    return what


def _unreadable(written: str, lowered: str, part: str) -> TimeFrameError:
    """Why a part matches no form, as precisely as can be said."""
    if _OR.search(lowered):
        return TimeFrameError(f"cannot read the time frame '{part}': 'hoặc' (or) gives more than one deadline "
                              "and the site does not choose one")
    for _, pattern in _PATTERNS:
        match = pattern.search(lowered)
        if match and lowered[match.end():].strip(" .,"):
            read = written[match.start():match.end()].strip()
            rest = written[match.end():].strip(" .,")
            return TimeFrameError(f"cannot read the time frame '{part}': the site reads '{read}' "
                                  f"but not '{rest}' after it")
    return TimeFrameError(f"cannot read the time frame '{part}'")


def _part(text: str, plan_year: int) -> tuple[Deadline, ...] | None:
    """One ';'-separated part: an optional 'what' then a time expression, read in full. None: ongoing."""
    written = " ".join(unicodedata.normalize("NFC", text).split()).rstrip(" .")
    lowered = _lower(written)
    part = text.strip()
    if _ONGOING.match(lowered):
        return None
    quarterly = _QUARTERLY.search(lowered)
    if quarterly:
        what = _what(written, quarterly.start(), part, written[quarterly.start():])
        return tuple(Deadline(what, _quarter_end(plan_year, q), True) for q in range(1, 5))
    if _OR.search(lowered):
        raise _unreadable(written, lowered, part)
    for kind, pattern in _PATTERNS:
        match = pattern.search(lowered)
        if not match or match.end() != len(lowered):
            continue
        what = _what(written, match.start(), part, written[match.start():])
        year = int(match["year"])
        if kind in ("day", "month"):
            month = int(match["month"])
            if not 1 <= month <= 12:
                raise TimeFrameError(f"there is no month {month}")
            last = calendar.monthrange(year, month)[1]
            day = int(match["day"]) if kind == "day" else last
            if not 1 <= day <= last:
                raise TimeFrameError(f"there is no day {day} in month {month} of {year}")
            due = date(year, month, day)
        elif kind == "quarter":
            due = _quarter_end(year, ROMAN_QUARTERS[match["quarter"]])
        else:
            due = date(year, 12, 31)
        return (Deadline(what, due),)
    raise _unreadable(written, lowered, part)


def parse_time_frame(text: str, plan_year: int) -> TimeFrame:
    """Read a plan's time-frame phrase; raise TimeFrameError when any part of it cannot be read in full."""
    if not text.strip():
        raise TimeFrameError("the time frame is empty")
    if digit := other_digit(text):
        raise OtherScriptDigit(digit)
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
