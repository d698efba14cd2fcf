"""Reading the domain knowledge under data/: kinds, areas, indicators,
form versions, consistency checks, departments and periods."""
from __future__ import annotations

import dataclasses
import os
import re
from datetime import date
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlsplit

from .fields import Fields, closest, expect_mapping, expect_sequence, shown
from .load import Mapping, Scalar, listed, read_yaml_file
from ..model import (Area, BodyKind, Catalogue, Check, Code, Department, FormRow, FormVersion, Formula, Headline, Indicator,
                     Period, SiteSettings, ValueKind)
from ..numbers import digit_named, other_digit
from ..problems import Collector, Origin, capped, relative_name
from .validate import NOT_DEPARTMENTS

TEMPORALS = ("cumulative", "period", "state")
PERIOD_KINDS = ("q1", "h1", "q3", "year")
CHECK_KINDS = ("not_above", "parts_sum", "reported_if_positive", "note_lists")
# The folders the site writes at its top, beside one folder per department (site/<department>/).
# A department with one of these IDs would replace a page of the site, or be replaced by it.
# (Language folders, site/en/, are the names of templates/i18n/*.yaml; data/'s own folders are
# validate.NOT_DEPARTMENTS.)
SITE_FOLDERS = ("assets", "chat-luong-so-lieu", "chi-tieu", "don-vi", "du-lieu", "gioi-thieu", "ke-hoach",
                "ky-bao-cao", "phat-hanh", "thu-thap", "tim-kiem")
_NUMBER = re.compile(r"-?[0-9]+(\.[0-9]+)?")
_WHOLE = re.compile(r"[0-9]+")


class _Reader:
    def __init__(self, root: Path, problems: Collector):
        self.root = root
        self.problems = problems

    def read(self, path: Path):
        return read_yaml_file(path, relative_name(path, self.root), self.problems, self.root)

    def items(self, path: Path, what: str):
        """Yield Fields for each mapping in a YAML list file."""
        seq = expect_sequence(self.read(path), self.problems, what)
        for node in seq.items if seq else ():
            m = expect_mapping(node, self.problems, what)
            if m is not None:
                yield Fields(m, self.problems, what)


def reserved_names(root: Path) -> tuple[str, ...]:
    """Names no department may have: the site's own top folders, its language folders, data/'s own folders."""
    languages = (path.stem for path in listed(root / "templates" / "i18n", "*.yaml"))
    return tuple(sorted({*SITE_FOLDERS, *languages, *NOT_DEPARTMENTS}))


def _figure(node: Scalar, whole: bool, problems: Collector) -> bool:
    """Whether a figure of the catalogue is written with 0-9 (int() and Decimal() take any script's digits)."""
    text = node.text.strip()
    if digit := other_digit(text):
        problems.error("E219", f"'{text}' uses the digit {digit_named(digit)}; only the digits 0-9 are accepted",
                       node.origin, "write the number with 0-9")
        return False
    if not (_WHOLE if whole else _NUMBER).fullmatch(text):
        problems.error("E410", f"'{text}' is not a {'whole ' if whole else ''}number", node.origin,
                       "write it with the digits 0-9" + ("" if whole else ", e.g. 100 or 0.5"))
        return False
    return True


def _decimal(node: Scalar | None, problems: Collector) -> Decimal | None:
    return Decimal(node.text.strip()) if node is not None and _figure(node, False, problems) else None


def _kinds(reader: _Reader, path: Path) -> dict[str, ValueKind]:
    root = expect_mapping(reader.read(path), reader.problems, "value-kinds.yaml")
    kinds: dict[str, ValueKind] = {}
    for key, node in root.items if root else ():
        m = expect_mapping(node, reader.problems, f"kind '{key.text}'")
        if m is None:
            continue
        f = Fields(m, reader.problems, f"kind '{key.text}'")
        f.check_keys(["label_vi", "label_en", "number", "whole", "minimum", "maximum", "plausible_maximum", "codes",
                      "holds_value"])
        codes = []
        for code_key, code_node in (f.mapping("codes") or Mapping((), m.origin)).items:
            cm = expect_mapping(code_node, reader.problems, "code")
            if cm is not None and _figure(code_key, True, reader.problems):
                cf = Fields(cm, reader.problems, "code")
                codes.append(Code(int(code_key.text), cf.text("vi"), cf.text("en")))
        kinds[key.text] = ValueKind(
            id=key.text, label_vi=f.text("label_vi"), label_en=f.text("label_en"),
            number=f.boolean("number"), whole=f.boolean("whole"),
            minimum=_decimal(f.scalar("minimum", False), f.problems),
            maximum=_decimal(f.scalar("maximum", False), f.problems),
            plausible_maximum=_decimal(f.scalar("plausible_maximum", False), f.problems),
            codes=tuple(codes), holds_value=f.boolean("holds_value", True))
    return kinds


def _areas(reader: _Reader, path: Path) -> tuple[Area, ...]:
    return tuple(Area(f.text("id"), f.text("label_vi"), f.text("label_en")) for f in reader.items(path, "area"))


INDICATOR_FIELDS = ["id", "area", "parent", "label_vi", "label_en", "unit", "kind", "temporal", "aliases",
                    "formula", "derived", "note_en"]


def _indicator(f: Fields) -> Indicator:
    f.check_keys(INDICATOR_FIELDS)
    formula = None
    fm = f.mapping("formula")
    if fm is not None:
        ff = Fields(fm, f.problems, "formula")
        ff.check_keys(["numerator", "denominator"])
        formula = Formula(ff.text("numerator"), ff.text("denominator"))
    return Indicator(
        id=f.indicator_id("id"), area=f.text("area"), parent=f.text("parent", required=False) or None,
        label_vi=f.text("label_vi"), label_en=f.text("label_en"), unit=f.text("unit", required=False),
        kind=f.text("kind"), temporal=f.text("temporal"), origin=f.origin, formula=formula,
        derived=f.boolean("derived"), aliases=f.text_list("aliases"), note_en=f.text("note_en", required=False))


def _form(reader: _Reader, path: Path) -> FormVersion | None:
    root = expect_mapping(reader.read(path), reader.problems, "a form version")
    if root is None:
        return None
    f = Fields(root, reader.problems, "form version")
    f.check_keys(["id", "label_vi", "label_en", "area_titles", "rows", "instructions", "instructions_in_italics",
                  "instruction_openings", "answer_words", "used_from", "used_until"])
    titles = f.mapping("area_titles")
    rows = []
    for node in (f.sequence("rows", required=True) or ()).items if f.sequence("rows") else ():
        rm = expect_mapping(node, reader.problems, "form row")
        if rm is None:
            continue
        rf = Fields(rm, reader.problems, "form row")
        rf.check_keys(["number", "indicator", "label", "unit", "area"])
        label = rf.scalar("label", required=False)
        unit = rm.get("unit")
        rows.append(FormRow(rf.text("indicator"), rf.text("number", required=False),
                            " ".join(label.text.split()) if label else None,
                            unit.text if isinstance(unit, Scalar) else None, rm.origin,
                            rf.text("area", required=False) or None))
    return FormVersion(f.text("id"), f.text("label_vi"), f.text("label_en"),
                       tuple((k.text, v.text) for k, v in (titles.items if titles else ()) if isinstance(v, Scalar)),
                       tuple(rows), root.origin,
                       # the note-column instructions as one line each (an empty item would match nothing)
                       tuple(dict.fromkeys(" ".join(t.split()) for t in f.text_list("instructions") if t.strip())),
                       f.boolean("instructions_in_italics"), f.date("used_from", False), f.date("used_until", False),
                       tuple(dict.fromkeys(" ".join(t.split()) for t in f.text_list("instruction_openings")
                                           if t.strip())),
                       tuple(dict.fromkeys(t.strip() for t in f.text_list("answer_words") if t.strip())))


def _check(f: Fields) -> Check:
    f.check_keys(["kind", "part", "parts", "whole", "rule", "when", "then", "reason_vi"])
    kind = f.text("kind")
    parts = f.text_list("parts") or ((f.text("part", required=False),) if f.node.get("part") else ())
    return Check(kind=kind, reason_vi=f.text("reason_vi"), origin=f.origin, parts=parts,
                 whole=f.text("whole", required=False), rule=f.text("rule", required=False),
                 when=f.text("when", required=False), then=f.text_list("then"))


def _body_kind(f: Fields) -> BodyKind:
    f.check_keys(["id", "label_vi", "label_en", "reports_from"])
    return BodyKind(id=f.slug("id"), label_vi=f.text("label_vi"), label_en=f.text("label_en", required=False),
                    origin=f.origin, reports_from=f.date("reports_from", False))


def _body_kinds(reader: _Reader, path: Path, problems: Collector) -> dict[str, BodyKind]:
    if not os.path.lexists(path):  # (a project made before communes reported: its catalogue lacks the file)
        problems.error("E110", "cannot read the file: no such file or directory", Origin(relative_name(path, reader.root)),
                       "the catalogue lists the kinds of reporting body here (department; district until 2025; "
                       "commune): copy data/catalogue/body-kinds.yaml from the project this one was made from")
        return {}
    return _unique((_body_kind(f) for f in reader.items(path, "kind of body")), "kind of body", problems)


def _department(f: Fields, reserved: tuple[str, ...]) -> Department:
    f.check_keys(["id", "name_vi", "name_en", "short_name", "kind", "valid_from", "valid_until",
                  "predecessors", "successors", "history_vi"])
    dept_id = f.slug("id")
    if dept_id in reserved:
        f.problems.error("E409", f"department ID '{dept_id}' is a name the site keeps for its own folders",
                         f.node.get("id").origin, "choose another ID; these are taken: " + ", ".join(reserved))
        dept_id = ""
    return Department(
        id=dept_id, name_vi=f.text("name_vi"), name_en=f.text("name_en"), short_name=f.text("short_name"),
        kind=f.text("kind"), origin=f.origin, valid_from=f.date("valid_from", False),
        valid_until=f.date("valid_until", False), predecessors=f.text_list("predecessors"),
        successors=f.text_list("successors"), history_vi=f.text("history_vi", required=False))


def _period(f: Fields) -> Period:
    f.check_keys(["id", "kind", "year", "label_vi", "label_en", "short_vi", "start", "end"])
    year = f.scalar("year")
    return Period(id=f.slug("id"), kind=f.text("kind"),
                  year=int(year.text) if year is not None and _figure(year, True, f.problems) else 0,
                  label_vi=f.text("label_vi"), label_en=f.text("label_en"),
                  start=f.date("start"), end=f.date("end"), origin=f.origin,  # type: ignore[arg-type]
                  short_vi=f.text("short_vi", required=False))


def _headline(f: Fields) -> Headline:
    f.check_keys(["id", "label_vi", "label_en", "indicator", "better"])
    return Headline(f.slug("id"), f.text("label_vi"), f.text("label_en"), f.text("indicator"),
                    f.text("better", required=False, default="higher"), f.origin)


def _site(reader: _Reader, path: Path) -> SiteSettings:
    if not path.is_file():
        return SiteSettings()
    root = expect_mapping(reader.read(path), reader.problems, "site.yaml")
    if root is None:
        return SiteSettings()
    f = Fields(root, reader.problems, "site.yaml")
    f.check_keys(["title_vi", "title_en", "base_url", "synthetic", "notice_vi", "notice_en", "generator"])
    base = f.raw_text("base_url")  # as written: a space or newline in it is a mistake, not to be tidied
    if base and (fault := _address_fault(base)):
        reader.problems.error("E407", f"base_url '{shown(base)}' must be an absolute http(s) address ending in '/': "
                              f"{fault}", f.origin_of("base_url"), "e.g. https://cchc.example.gov.vn/bang-theo-doi/")
        base = ""
    synthetic = f.boolean("synthetic")
    notice = f.text("notice_vi", required=False) or ("DỮ LIỆU MÔ PHỎNG: mọi số liệu trên trang này là dữ liệu "
                                                    "tổng hợp để thử nghiệm, không phải số liệu thật." if synthetic else "")
    notice_en = f.text("notice_en", required=False) or ("SYNTHETIC DATA: every figure on this site is generated for "
                                                        "testing; none is a real figure." if synthetic else "")
    return SiteSettings(f.text("title_vi", required=False) or SiteSettings.title_vi, base, synthetic, notice,
                        f.text("title_en", required=False) or SiteSettings.title_en, notice_en)


_NOT_IN_ADDRESS = set("\"'<>`{}|\\^")  # markup and quoting: the address is written into sitemap.xml and pages


def _address_fault(base: str) -> str:
    """What is wrong with the site's published address, or "" (it is the start of every URL of the sitemap)."""
    if any(c.isspace() or not c.isprintable() for c in base):
        return "it holds a space or an invisible character"
    if odd := next((c for c in base if c in _NOT_IN_ADDRESS), ""):
        return f"it holds {odd!r}"
    if not base.isascii():
        return "it holds a character outside ASCII (write the host in its xn-- form, the path %-encoded)"
    try:
        parts = urlsplit(base)
        parts.port  # an impossible port raises here
    except ValueError:
        return "it is not a web address"
    if parts.scheme not in ("http", "https") or not base.startswith(parts.scheme + "://"):
        return "it does not start with http:// or https://"
    if not parts.hostname:
        return "it names no host"
    if parts.username is not None or parts.password is not None:
        return "it holds a user name or password"
    if parts.query or parts.fragment or "?" in base or "#" in base:
        return "it holds a query ('?') or a fragment ('#')"
    if not base.endswith("/"):
        return "it does not end in '/'"
    return ""


def _unique(things, what: str, problems: Collector) -> dict:
    out: dict = {}
    for thing in things:
        if thing.id in out:
            problems.error("E401", f"duplicate {what} ID '{thing.id}' (first at line {out[thing.id].origin.line})",
                           thing.origin, f"every {what} needs its own ID")
        elif thing.id:
            out[thing.id] = thing
    return out


def _cross_check(cat: Catalogue, problems: Collector) -> None:
    """References between catalogue files must resolve."""
    ids = cat.indicators

    def ref(name: str, origin, what: str) -> None:
        if name and name not in ids:
            near = closest(name, ids)
            problems.error("E402", f"{what} refers to unknown indicator '{name}'", origin,
                           f"did you mean '{near}'?" if near else "define it in data/catalogue/indicators.yaml")

    area_ids = {a.id for a in cat.areas}
    for ind in ids.values():
        if ind.kind not in cat.kinds:
            problems.error("E403", f"indicator '{ind.id}' has unknown kind '{ind.kind}'", ind.origin,
                           "kinds: " + ", ".join(cat.kinds))
        if ind.area not in area_ids:
            problems.error("E403", f"indicator '{ind.id}' has unknown area '{ind.area}'", ind.origin,
                           "areas: " + ", ".join(sorted(area_ids)))
        if ind.temporal not in TEMPORALS:
            problems.error("E403", f"indicator '{ind.id}' has unknown temporal '{ind.temporal}'", ind.origin,
                           "one of: " + ", ".join(TEMPORALS))
        ref(ind.parent or "", ind.origin, f"indicator '{ind.id}' (parent)")
        if ind.formula:
            ref(ind.formula.numerator, ind.origin, f"formula of '{ind.id}'")
            ref(ind.formula.denominator, ind.origin, f"formula of '{ind.id}'")
    _form_periods(cat, problems)
    for form in cat.forms.values():
        seen: set[str] = set()
        for row in form.rows:
            ref(row.indicator, row.origin, f"form {form.id}")
            if row.area and row.area not in area_ids:
                problems.error("E403", f"a row of form {form.id} has unknown area '{row.area}'", row.origin,
                               "areas: " + ", ".join(sorted(area_ids)))
            if row.indicator in seen:
                problems.error("E404", f"indicator '{row.indicator}' appears twice in form {form.id}", row.origin,
                               "a form row maps onto one indicator, and an indicator onto one row")
            seen.add(row.indicator)
    for check in cat.checks:
        if check.kind not in CHECK_KINDS:
            problems.error("E403", f"unknown check kind '{check.kind}'", check.origin, "one of: " + ", ".join(CHECK_KINDS))
        for name in (*check.parts, check.whole, check.when, *check.then):
            ref(name, check.origin, "check")
    for headline in cat.headlines:
        ref(headline.indicator, headline.origin, f"headline '{headline.id}'")
        if headline.better not in ("higher", "lower"):
            problems.error("E403", f"headline '{headline.id}' has unknown order '{headline.better}'", headline.origin,
                           "one of: higher, lower")
    for dept in cat.departments.values():
        if dept.kind and dept.kind not in cat.body_kinds and cat.body_kinds:  # (no kind at all: its E201 says so)
            problems.error("E403", f"department '{dept.id}' has unknown kind '{dept.kind}'", dept.origin,
                           "one of: " + ", ".join(cat.body_kinds) + " (data/catalogue/body-kinds.yaml)")
        if dept.valid_from and dept.valid_until and dept.valid_until < dept.valid_from:
            problems.error("E406", f"department '{dept.id}' is valid until {dept.valid_until}, before it is valid from "
                           f"{dept.valid_from}", dept.origin, "swap valid_from and valid_until")
        if dept.id and dept.id in (*dept.predecessors, *dept.successors):
            problems.error("E405", f"department '{dept.id}' names itself as its own predecessor or successor",
                           dept.origin, "name the department it replaced or that replaced it")
        for other in dept.predecessors:  # (each link is written on both sides: the two pages tell one history)
            if other in cat.departments and dept.id not in cat.departments[other].successors:
                problems.error("E405", f"department '{dept.id}' names '{other}' as its predecessor, but '{other}' does "
                               f"not name '{dept.id}' among its successors", dept.origin,
                               f"add {dept.id} to the successors of {other}, or remove {other} from the predecessors "
                               f"of {dept.id}")
        for other in dept.successors:
            if other in cat.departments and dept.id not in cat.departments[other].predecessors:
                problems.error("E405", f"department '{dept.id}' names '{other}' as its successor, but '{other}' does "
                               f"not name '{dept.id}' among its predecessors", dept.origin,
                               f"add {dept.id} to the predecessors of {other}, or remove {other} from the successors "
                               f"of {dept.id}")
        for other in (*dept.predecessors, *dept.successors):
            if other not in cat.departments:
                problems.error("E405", f"department '{dept.id}' links to unknown department '{other}'", dept.origin,
                               "add it to data/departments.yaml")
        for other in sorted(set(dept.predecessors) & set(dept.successors)):
            problems.error("E405", f"department '{dept.id}' names '{other}' both as its predecessor and as its "
                           "successor", dept.origin, "a body is replaced by another once: keep one of the two links")
        for other in dept.predecessors:  # a history runs forwards: a body cannot begin after the one it became ended
            before = cat.departments.get(other)  # (it may begin after its successor began: an older body absorbs it)
            if before is not None and before.valid_from and dept.valid_until and before.valid_from > dept.valid_until:
                problems.error("E406", f"department '{dept.id}' names '{other}' as its predecessor, but '{other}' is "
                               f"valid from {before.valid_from}, after '{dept.id}' ended ({dept.valid_until})",
                               dept.origin, "check the dates of both entries, and which one replaced the other: the "
                               "links may be written the wrong way round")
    for period in cat.periods.values():
        if period.kind not in PERIOD_KINDS:
            problems.error("E403", f"period '{period.id}' has unknown kind '{period.kind}'", period.origin,
                           "one of: " + ", ".join(PERIOD_KINDS))
        if period.start and period.end and period.start > period.end:
            problems.error("E406", f"period '{period.id}' ends before it starts", period.origin, "swap start and end")
        _period_fields_agree(period, problems)


def _period_fields_agree(period: Period, problems: Collector) -> None:
    """E406 for a period whose ID, year, kind and end do not tell the same period: an entry copied from another
    and half edited (the ID and labels of 2027, the year and dates of 2026) put the new reports in the old
    period's place on every chart and in the old year's download."""
    if not period.year or period.kind not in PERIOD_KINDS:
        return  # (said above, or by the year's own error)
    expected = f"{period.year}-{period.kind}"
    if period.id != expected:
        problems.error("E406", f"period '{period.id}' says year {period.year} and kind {period.kind}: its ID should "
                       f"be '{expected}'", period.origin, "a period copied from another keeps its year, kind and "
                       "dates: correct them, or the ID (reports are named by it)")
    elif period.end and period.end.year != period.year:
        problems.error("E406", f"period '{period.id}' ends on {period.end}, not in its year {period.year}",
                       period.origin, "correct end (a period copied from another keeps its dates)")
    elif period.start and period.start.year < period.year - 1:
        problems.error("E406", f"period '{period.id}' starts on {period.start}, more than a year before its year "
                       f"{period.year}", period.origin, "correct start (a period copied from another keeps its dates; "
                       "a cut-off from 15 December of the year before is fine)")


def _form_periods(cat: Catalogue, problems: Collector) -> None:
    """Each reporting period has at most one form version: the form a body is sent must not be a guess."""
    # (a version whose dates could not be read is left out: its E204 or E219 says why)
    unread = {p.origin.file for p in problems.problems if p.code in ("E204", "E219")}
    spans = sorted((form for form in cat.forms.values() if form.origin.file not in unread),
                   key=lambda form: (form.used_from or date.min, form.id))
    for form in spans:
        if form.used_from and form.used_until and form.used_until < form.used_from:
            problems.error("E406", f"form {form.id} is used until {form.used_until}, before it is used from "
                           f"{form.used_from}", form.origin, "swap used_from and used_until")
    for earlier, later in zip(spans, spans[1:]):
        if earlier.used_until is None or later.used_from is None or later.used_from <= earlier.used_until:
            until = min((d for d in (earlier.used_until, later.used_until) if d), default=None)
            problems.error("E406", f"forms {earlier.id} and {later.id} are both used for the periods ending "
                           f"{_span(later.used_from, until)}", later.origin,
                           f"end {earlier.id} (used_until) before {later.id} starts (used_from): a period is "
                           "reported on one form version")


def _span(start: date | None, end: date | None) -> str:
    if start and end:
        return f"from {start} to {end}"
    return f"from {start}" if start else f"until {end}" if end else "at any time"


def catalogue_files(data_dir: Path) -> list[Path]:
    """The files of the catalogue that a report is checked against and a page's figures depend on
    (data/site.yaml, the site's own title and address, is not among them)."""
    return [*listed(data_dir, "catalogue/*.yaml"), *listed(data_dir, "forms/*.yaml"), data_dir / "departments.yaml",
            data_dir / "periods.yaml"]


def _usable(period: Period) -> bool:
    """Whether a period's entry can be reported for: it has its dates, its year and a known kind (its errors
    are reported by the entry itself)."""
    return bool(period.start and period.end and period.year and period.kind in PERIOD_KINDS
                and period.start <= period.end)


def load_catalogue(data_dir: Path, root: Path, run_problems: Collector) -> Catalogue:
    """Read data/catalogue, data/forms, data/departments.yaml and data/periods.yaml (the files under data/ that
    nothing reads are the check's: `inputs.validate.unread_files`)."""
    problems = Collector()  # at most PROBLEMS_PER_CODE errors of a code per file go to the run's
    reader = _Reader(root, problems)
    cat_dir = data_dir / "catalogue"
    reserved = reserved_names(root)
    indicators = [_indicator(f) for path in sorted(listed(cat_dir, "indicators*.yaml"))
                  for f in reader.items(path, "indicator")]
    forms = [form for path in sorted(listed(data_dir / "forms", "*.yaml")) if (form := _form(reader, path))]
    departments = [(_department(f, reserved), f.node.get("id")) for f in reader.items(data_dir / "departments.yaml",
                                                                                   "department")]
    catalogue = Catalogue(
        areas=_areas(reader, cat_dir / "areas.yaml"),
        kinds=_kinds(reader, cat_dir / "value-kinds.yaml"),
        indicators=_unique(indicators, "indicator", problems),
        forms=_unique(forms, "form", problems),
        checks=tuple(_check(f) for f in reader.items(cat_dir / "checks.yaml", "check")),
        departments=_unique((department for department, _ in departments), "department", problems),
        periods=_unique((_period(f) for f in reader.items(data_dir / "periods.yaml", "period")), "period", problems),
        site=_site(reader, data_dir / "site.yaml"),
        headlines=tuple(_unique((_headline(f) for f in reader.items(cat_dir / "headlines.yaml", "headline")),
                                "headline", problems).values()),
        body_kinds=_body_kinds(reader, cat_dir / "body-kinds.yaml", problems),
        refused_departments=frozenset(node.text for department, node in departments
                                      if not department.id and isinstance(node, Scalar) and node.text),
    )
    _cross_check(catalogue, problems)
    catalogue = dataclasses.replace(catalogue, departments={  # (each body asked for reports as its kind is)
        i: dataclasses.replace(d, reports_from=catalogue.body_kinds[d.kind].reports_from)
        if d.kind in catalogue.body_kinds and catalogue.body_kinds[d.kind].reports_from else d
        for i, d in catalogue.departments.items()})
    broken = {p.id for p in catalogue.periods.values() if not _usable(p)}
    if broken:
        catalogue = dataclasses.replace(catalogue, refused_periods=frozenset(broken), periods={
            i: p for i, p in catalogue.periods.items() if i not in broken})
    run_problems.problems.extend(capped(problems.problems))
    return catalogue
