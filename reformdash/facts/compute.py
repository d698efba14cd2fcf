"""Derived figures and consistency checks: pure functions over the model.

Nothing here changes a department's figure. A derived value is computed
only where all of its inputs were reported, and it is always labelled as
computed; a check that fails becomes a warning beside the figure.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_DOWN, ROUND_HALF_UP, ROUND_UP, Decimal, localcontext
from functools import cached_property
from typing import Callable

from ..numbers import format_vi
from ..model import Catalogue, Check, Indicator, Report, ReportValue
from ..problems import Collector, Problem, Severity

_WARNING = Severity.WARNING

HUNDRED = Decimal(100)
_DATE_IN_TEXT = re.compile(r"\b([0-9]{1,2})/([0-9]{1,2})/((?:19|20)[0-9]{2})\b"
                           r"|\bngày\s+([0-9]{1,2})\s+tháng\s+([0-9]{1,2})\s+năm\s+((?:19|20)[0-9]{2})\b", re.IGNORECASE)
_DOCUMENT_REF = re.compile(r"\b[0-9]{1,4}/(?:[0-9]{4}/)?[A-ZĐ]")
_ARTICLES = re.compile(r"\b([0-9]+)\s+(?:tin\s+)?bài\b", re.IGNORECASE)
_NOT_YET = re.compile(r"dự kiến|chưa thực hiện|chưa đến|sẽ thực hiện", re.IGNORECASE)
_DOCUMENT_KINDS = (r"công văn|kế hoạch|quyết định|thông báo|báo cáo|văn bản|tờ trình|hướng dẫn|chỉ thị|nghị quyết"
                   r"|thông tư|nghị định|giấy mời|chương trình|đề án|cv|kh|qđ|tb|bc")
_LIST_ITEM = re.compile(rf";|\n|(?:^|\s)-\s|(?:,|\s+và)\s*(?=(?:{_DOCUMENT_KINDS})\b|[0-9]{{1,4}}/(?:[0-9]{{4}}/)?[A-ZĐ])",
                        re.IGNORECASE)


@dataclass(frozen=True)
class ComputedReport:
    report: Report
    derived: dict[str, Decimal]  # indicator -> value computed by the site
    flags: tuple[Problem, ...]  # warnings about this report, for its page

    def flags_for(self, indicator: str) -> tuple[Problem, ...]:
        return self.flags_by_subject.get(indicator, ())

    @cached_property
    def flags_by_subject(self) -> dict[str, tuple[Problem, ...]]:
        """The flags grouped by the indicator they are about, each group in the order of `flags`."""
        groups: dict[str, list[Problem]] = {}
        for problem in self.flags:
            groups.setdefault(problem.subject, []).append(problem)
        return {subject: tuple(group) for subject, group in groups.items()}


MOST_PLACES = 12  # the decimals of a computed share at most


def percent_of(numerator: Decimal, denominator: Decimal) -> Decimal | None:
    if denominator == 0:
        return None
    with localcontext() as exact:  # (Decimal's 28 digits cannot hold the rate of a 40-digit count: quantize fails)
        exact.prec = max(28, numerator.adjusted() - denominator.adjusted() + 40)
        share = HUNDRED * numerator / denominator
        # One decimal, as the form's rates are written; more where one would show a bound the share does not
        # reach: 999 999 of 1 000 000 is "99,9999 %", never "100,0 %", and 1 of 100 000 "0,001 %", not "0,0 %".
        for places in range(1, MOST_PLACES + 1):
            shown = share.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
            if shown == share or shown not in (0, HUNDRED):
                return shown
        # (a share closer to a bound than MOST_PLACES decimals show: cut towards the inside, never onto the bound)
        return share.quantize(Decimal(1).scaleb(-MOST_PLACES), rounding=ROUND_DOWN if share > 50 else ROUND_UP)


def _value(report: Report, indicator: str) -> Decimal | None:
    row = report.values.get(indicator)
    return row.value if row is not None else None


def _label(cat: Catalogue, indicator: str) -> str:
    return cat.indicators[indicator].label_vi


def _fmt(value: Decimal) -> str:
    return format_vi(value)


class _Checker:
    def __init__(self, cat: Catalogue, report: Report):
        self.cat = cat
        self.report = report
        self.flags: list[Problem] = []

    def warn(self, code: str, indicator: str, message: str, hint: str) -> None:
        row = self.report.values.get(indicator)
        origin = row.origin if row is not None else self.report.origin
        self.flags.append(Problem(_WARNING, code, message, origin, hint, indicator))

    # -- rules from data/catalogue/checks.yaml -----------------------------------
    def not_above(self, check: Check) -> None:
        part, whole = check.parts[0], check.whole
        p, w = _value(self.report, part), _value(self.report, whole)
        if p is not None and w is not None and p > w:
            self.warn("W301", part, f"{check.reason_vi}: {_fmt(p)} so với {_fmt(w)} "
                      f"(“{_label(self.cat, whole)}”)", "published as written; ask the department to confirm")

    def parts_sum(self, check: Check) -> None:
        whole = _value(self.report, check.whole)
        values = [_value(self.report, p) for p in check.parts]
        present = [v for v in values if v is not None]
        if whole is None or not present:
            return
        total = sum(present, Decimal(0))
        complete = len(present) == len(values)
        if (check.rule == "equal" and complete and total != whole) or total > whole:
            parts = " + ".join(_fmt(v) for v in present) + (f" = {_fmt(total)}" if len(present) > 1 else "")
            self.warn("W302", check.whole, f"{check.reason_vi}: dòng tổng ghi {_fmt(whole)}, các dòng chi tiết "
                      f"ghi {parts}", "published as written; the total and its parts disagree in the document")

    def reported_if_positive(self, check: Check) -> None:
        when = _value(self.report, check.when)
        if when is None or when <= 0:
            return
        for other in check.then:
            if _value(self.report, other) is None:
                self.warn("W303", other, f"{check.reason_vi} (“{_label(self.cat, check.when)}”: {_fmt(when)})",
                          "a figure is expected here; the page shows it as not reported")

    def note_lists(self, check: Check) -> None:
        """A count compared with the documents or articles its note lists."""
        for indicator in check.parts:
            row = self.report.values.get(indicator)
            if row is None or row.value is None or not row.note:
                continue
            listed = _count_listed(unicodedata.normalize("NFC", row.note), check.rule)  # (its line breaks kept)
            if listed and listed != row.value:
                self.warn("W307", indicator, f"{check.reason_vi}: ghi {_fmt(row.value)}, ghi chú liệt kê {listed}",
                          "published as written; one of the two is off")

    def _not_computable(self, ind: Indicator, why: str) -> None:
        """W324 on the row a computed share's cell links to: the pages say "Không tính được" and point here."""
        self.warn("W324", ind.formula.numerator, f"Không tính được “{_label(self.cat, ind.id)}”: {why}",
                  "the pages show the share as not computable, never as not reported; the figures are published as "
                  "written")

    # -- rules that follow from the catalogue itself ----------------------------
    def formula(self, ind: Indicator, derived: dict[str, Decimal]) -> None:
        assert ind.formula is not None
        num = _value(self.report, ind.formula.numerator)
        den = _value(self.report, ind.formula.denominator)
        computed = percent_of(num, den) if num is not None and den is not None else None
        if computed is None:
            if ind.derived and num is not None and den == 0:
                self._not_computable(ind, f"tổng bằng 0 (“{_label(self.cat, ind.formula.denominator)}”)")
            return
        # (parts above their whole give no share to publish: 113,5 % is no rate; the bound is the rate's kind's)
        maximum = self.cat.kinds[ind.kind].maximum
        whole = maximum is None or computed <= maximum
        if whole:
            derived[ind.id] = computed
        elif ind.derived:
            self._not_computable(ind, f"số chi tiết {_fmt(num)} lớn hơn tổng {_fmt(den)} "
                                      f"(“{_label(self.cat, ind.formula.denominator)}”)")
        if ind.derived or not self.cat.forms[self.report.form].has(ind.id):
            return  # the site's own figure; nothing the department was asked for
        reported = _value(self.report, ind.id)
        if reported is None and not whole:
            self.warn("W305", ind.id, f"Đơn vị không báo cáo tỷ lệ này; số liệu chi tiết ({_fmt(num)}/{_fmt(den)}) "
                      f"cho {format_vi(computed)} %, trên {_fmt(maximum)} %, nên không tính tỷ lệ",
                      "the page shows it as not reported; the part is larger than its whole in the document")
            return
        if reported is None:
            self.warn("W305", ind.id, f"Đơn vị không báo cáo tỷ lệ này; tính từ số liệu chi tiết "
                      f"({_fmt(num)}/{_fmt(den)}) được {format_vi(computed)} % (số liệu tính toán, không phải số "
                      f"của đơn vị)", "the page shows the computed figure labelled as computed, never as the department's")
            return
        exponent = reported.as_tuple().exponent
        tolerance = Decimal("0.5") * Decimal(10) ** (exponent if isinstance(exponent, int) else 0) + Decimal("0.05")
        if abs(reported - computed) > tolerance:
            self.warn("W304", ind.id, f"Tỷ lệ ghi {format_vi(reported)} % nhưng {_fmt(num)}/{_fmt(den)} "
                      f"cho {format_vi(computed)} %", "published as written; the rate and its parts disagree")

    def row(self, ind: Indicator, row: ReportValue, period_end: date) -> None:
        # (the note's words as the patterns below are written: composed, whatever the clerk's keyboard sent; a
        # note typed with combining accents, "chưa" as c-h-u-+horn-a, had its warnings dropped)
        note = _as_read(row.note)
        late = sorted({d for d in _dates(note + " " + _as_read(row.evidence)) if d > period_end})
        if late:
            shown = ", ".join(d.strftime("%d/%m/%Y") for d in late)
            self.warn("W306", ind.id, f"Ghi chú nêu ngày sau khi kết thúc kỳ báo cáo "
                      f"({period_end.strftime('%d/%m/%Y')}): {shown}",
                      "the figure may include events after the period; check the period of the report")
        kind = self.cat.kinds[ind.kind]
        if kind.plausible_maximum is not None and row.value is not None and row.value > kind.plausible_maximum:
            self.warn("W310", ind.id, f"Số liệu {_fmt(row.value)} lớn hơn mọi con số một đơn vị có thể báo cáo "
                      f"(trên {_fmt(kind.plausible_maximum)})", "published as written; check the figure in the "
                      "document: a figure pasted twice, a telephone number or a date typed into the figure's cell")
        if ind.kind == "percent" and row.value is not None and 0 < row.value < 1 and row.value.as_tuple().exponent <= -3:
            # 0,9999 on a rate's row: the share of one a spreadsheet holds behind "99,99%", typed or pasted as a value
            hundredfold = row.value.scaleb(2)
            hundredfold = hundredfold.quantize(Decimal(1)) if hundredfold == hundredfold.to_integral() \
                else hundredfold.normalize()  # (0,9999 -> 99,99; 0,100 -> 10)
            self.warn("W322", ind.id, f"Tỷ lệ {_fmt(row.value)} % nhỏ hơn 1 % với {-row.value.as_tuple().exponent} "
                      f"chữ số thập phân: có phải {_fmt(hundredfold)} % ghi dưới dạng phần của 1?",
                      "published as written; check the rate in the document, and write it in per cent if it is "
                      f"{_fmt(hundredfold)} %")
        if kind.codes and row.value == 1 and _NOT_YET.search(note):
            meaning = kind.code(1).vi if kind.code(1) else "1"
            self.warn("W308", ind.id, f"Kết quả ghi “{meaning}” nhưng ghi chú cho biết chưa thực hiện: "
                      f"“{row.note}”", "published as written; the value and the note disagree")
        if row.value is None and note and kind.holds_value:
            # the figure followed by the row's unit ("02 vấn đề"), or the note nothing but a figure ("21", "99,5 %")
            unit = unicodedata.normalize("NFC", ind.unit.lower())
            figure = _BARE_FIGURE.fullmatch(note.strip()) or (re.search(
                rf"\b([0-9]+(?:[.,][0-9]+)*)\s+{re.escape(unit)}", note.lower()) if ind.unit else None)
            if figure:
                self.warn("W309", ind.id, f"Ô kết quả để trống nhưng ghi chú nêu số liệu (“{figure.group(0)}”)",
                          "the page shows it as not reported, with the note")
        if row.remark:
            self.warn("W311", ind.id, f"Nhận xét về văn bản gốc: {row.remark}",
                      "a remark recorded with the data about the source")





def _as_read(text: str) -> str:
    """A note as the patterns here are written: composed (a keyboard's combining accents, "chưa" as c-h-u + horn
    + a, had hidden W308 and W309), its spaces of any kind (a non-breaking space pasted from Word) one space."""
    return " ".join(unicodedata.normalize("NFC", text).split())


def _dates(text: str) -> list[date]:
    out = []
    for found in _DATE_IN_TEXT.findall(text):  # (dd/mm/yyyy, or "ngày 19 tháng 5 năm 2023" as a decision writes it)
        d, m, y = found[:3] if found[0] else found[3:]
        try:
            out.append(date(int(y), int(m), int(d)))
        except ValueError:
            continue
    return out


def _count_listed(note: str, counting: str) -> int:
    if counting == "articles":
        return sum(int(n) for n in _ARTICLES.findall(note))
    # A list item per ';', line or leading '-', or per comma or "và" before the next document's kind or number
    # ("Công văn số 12/STNMT-VP, Công văn số 28/STNMT-VP"); an item counts if it cites a numbered document.
    items = _LIST_ITEM.split(note)
    return sum(1 for item in items if _DOCUMENT_REF.search(item))


def compute_report(report: Report, cat: Catalogue, problems: Collector,
                   earlier: tuple[Problem, ...] = ()) -> ComputedReport:
    """Derived values and warnings of one report; warnings also go to `problems`."""
    checker = _Checker(cat, report)
    rules = {"not_above": checker.not_above, "parts_sum": checker.parts_sum,
             "reported_if_positive": checker.reported_if_positive, "note_lists": checker.note_lists}
    for check in cat.checks:
        rules[check.kind](check)
    derived: dict[str, Decimal] = {}
    for ind in cat.indicators.values():
        if ind.formula is not None:
            checker.formula(ind, derived)
    period = cat.periods[report.period]
    for indicator, row in report.values.items():
        checker.row(cat.indicators[indicator], row, period.end)
    for flag in checker.flags:
        problems.add(flag)
    return ComputedReport(report, derived, tuple(earlier) + tuple(checker.flags))


# A note that is a figure and nothing else, typed in the note's cell instead of the figure's.
_BARE_FIGURE = re.compile(r"[0-9]+(?:[.,][0-9]+)*(?:\s?%)?")


# A report whose figures all equal an earlier report's of its body is likely last period's file sent or copied
# again with its period and title changed: each cumulative figure would then be published for a period it is
# not. Below this many figures two reports can agree by chance (a short report of a few "Có").
_COPY_FIGURES = 10
_OWN_FIGURES = 5  # figures other than 0 a report must have for W323


def _figures(report: Report) -> dict[str, Decimal]:
    return {v.indicator: v.value for v in report.values.values() if v.value is not None}


def report_figures(report: Report) -> tuple[int, int]:
    """(how many figures the report has, a hash of them all with their rows): what repeated_reports compares."""
    figures = _figures(report)
    return len(figures), hash(frozenset(figures.items()))


def repeated_reports(reports: list[Report], cat: Catalogue,
                     figures_of: Callable[[Report], tuple[int, int]] = report_figures) -> list[Problem]:
    """W319 for each report whose every figure (at least _COPY_FIGURES, the empty rows empty in both) equals the
    earliest report of the same body that has them all; W323 for one whose figures (of which at least
    _OWN_FIGURES are not 0: bodies with nothing to report write the same zeros) equal another body's report.
    `figures_of`: report_figures, or its value kept."""
    first: dict[tuple[str, int], Report] = {}
    anyone: dict[int, Report] = {}
    found = []
    for report in sorted(reports, key=lambda r: (cat.periods[r.period].start, cat.periods[r.period].end,
                                                 r.department)):
        count, figures = figures_of(report)
        if count < _COPY_FIGURES:
            continue
        earlier = first.setdefault((report.department, figures), report)
        # (equal hashes: the figures themselves decide)
        if earlier is not report and _figures(earlier) == _figures(report):
            found.append(Problem(
                Severity.WARNING, "W319", f"every figure of the report ({count}) equals the report for "
                f"{earlier.period} ({earlier.origin.file}): last period's figures sent again?", report.origin,
                "ask the department whether these are this period's figures; they are published as written"))
            continue
        other = anyone.setdefault(figures, report)
        if other is not report and other.department != report.department \
                and sum(value != 0 for value in _figures(report).values()) >= _OWN_FIGURES \
                and _figures(other) == _figures(report):
            found.append(Problem(
                Severity.WARNING, "W323", f"every figure of the report ({count}) equals the report of "
                f"{other.department} for {other.period} ({other.origin.file}): one body's report filed under "
                "another too?", report.origin,
                "check which body the document is from and keep it in that body's folder only; both are published "
                "as written"))
    return found
