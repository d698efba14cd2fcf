"""Headline figures and charts shared by the overview, department, period and indicator pages."""
from __future__ import annotations

from dataclasses import dataclass
from decimal import localcontext
from statistics import median

from ..output.charts import Chart, ChartSpec, Point, make_chart
from ..inputs.language import Language
from ..model import BodyKind, Headline, Indicator, Period
from ..facts.summary import Figure, Reports
from .base import anchor_of, indicator_path, report_path, value_text


@dataclass(frozen=True)
class FigureView:
    department: str  # short name
    department_name: str
    text: str  # formatted figure, or "Không báo cáo" (or "Không tính được": computed, not computable)
    raw: str  # plain decimal for <data value>, "" when not reported
    computed: bool
    href: str  # the figure's row on its report page


@dataclass(frozen=True)
class Kpi:
    label: str
    text: str
    detail: str
    computed: bool


@dataclass(frozen=True)
class Ranking:
    headline: str
    indicator_href: str
    entries: tuple[FigureView, ...]  # best first, equal figures by name; not reported last
    ranks: tuple[int | None, ...]  # each entry's place: equal figures share one (1, 1, 3); None: no figure


def figure_view(reports: Reports, ind: Indicator, figure: Figure, root: str, lang: Language) -> FigureView:
    dept = reports.catalogue.departments[figure.department]
    text = value_text(reports.catalogue, ind, figure.value, lang) if figure.value is not None \
        else lang.t("Không tính được") if figure.computed else lang.t("Không báo cáo")
    # A derived figure has no row of its own: link to the row it is computed from.
    row = ind.formula.numerator if ind.derived and ind.formula else ind.id
    return FigureView(dept.short_name, lang.label(dept, "name"), text, str(figure.value) if figure.value is not None else "",
                      figure.computed, root + report_path(figure.department, figure.period) + "#" + anchor_of(row))


def period_figures(reports: Reports, period: Period, indicator: str) -> list[Figure]:
    """The period's figures of an indicator; none from a report whose form does not ask for it (that department
    left nothing empty, so it is neither ranked nor shown as not reported)."""
    return [f for (dept, per) in reports.by_key if per == period.id
            if (f := reports.figure(dept, per, indicator)) is not None]


def headline_kpi(reports: Reports, headline: Headline, period: Period, lang: Language) -> Kpi:
    ind = reports.catalogue.indicators[headline.indicator]
    figures = [f for f in period_figures(reports, period, headline.indicator) if f.value is not None]
    label, period_label = lang.label(headline), lang.label(period)
    if not figures:
        return Kpi(label, lang.t("Chưa có số liệu"),
                   lang.t("Không đơn vị nào báo cáo trong {period}", period=period_label), False)
    if len(figures) == 1:
        f = figures[0]
        dept = reports.catalogue.departments[f.department]
        return Kpi(label, value_text(reports.catalogue, ind, f.value, lang), f"{dept.short_name}, {period_label}",
                   f.computed)
    with localcontext() as exact:  # (the default 28 digits would round, or refuse, a headline count of 30)
        exact.prec = max(abs(f.value.adjusted()) for f in figures) + 30
        # (exact, with the digits the figures have: a median of 99,99 % figures is 99,99 %, never "100,0 %")
        middle = median(f.value for f in figures)
    return Kpi(label, value_text(reports.catalogue, ind, middle, lang),
               lang.t("Trung vị của {count} đơn vị, {period}", count=len(figures), period=period_label), True)


def ranking(reports: Reports, headline: Headline, period: Period, root: str, lang: Language,
            kind: BodyKind | None = None) -> Ranking:
    """A headline's figures of the period, best first; only the bodies of `kind` when one is given."""
    ind = reports.catalogue.indicators[headline.indicator]
    figures = [f for f in period_figures(reports, period, headline.indicator)
               if kind is None or reports.catalogue.departments[f.department].kind == kind.id]
    higher = headline.better == "higher"
    views = {f.department: figure_view(reports, ind, f, root, lang) for f in figures}
    reported = sorted((f for f in figures if f.value is not None),
                      key=lambda f: (-f.value if higher else f.value, views[f.department].department_name))
    missing = sorted((f for f in figures if f.value is None), key=lambda f: f.department)
    ranks: list[int | None] = []
    for place, f in enumerate(reported):  # equal figures share the place of the first of them
        ranks.append(ranks[-1] if place and f.value == reported[place - 1].value else place + 1)
    title = lang.label(headline) if kind is None else f"{lang.label(headline)}: {lang.label(kind)}"
    return Ranking(title, root + indicator_path(ind.id), tuple(views[f.department] for f in reported + missing),
                   tuple(ranks) + (None,) * len(missing))


def rankings(reports: Reports, headline: Headline, period: Period, root: str, lang: Language) -> list[Ranking]:
    """A headline's ranking for the period, one for each kind of body where bodies of more than one kind reported:
    a department is not ranked against a commune."""
    cat = reports.catalogue
    kinds = {cat.departments[f.department].kind for f in period_figures(reports, period, headline.indicator)}
    if len(kinds) <= 1:
        return [ranking(reports, headline, period, root, lang)]
    return [ranking(reports, headline, period, root, lang, kind) for kind in cat.body_kinds.values()
            if kind.id in kinds]


def numeric(reports: Reports, ind: Indicator) -> bool:
    kind = reports.catalogue.kinds[ind.kind]
    return kind.number and kind.holds_value


def _y_title(ind: Indicator, lang: Language) -> str:
    return lang.t("Tỷ lệ (%)") if ind.kind == "percent" else lang.unit(ind.unit)


def trend_chart(reports: Reports, ind: Indicator, departments: list[str], title: str,
                lang: Language) -> Chart | None:
    """One line per department over the periods it reported; gaps where it did not."""
    cat = reports.catalogue
    periods = reports.periods_reported()
    order = {p.id: i for i, p in enumerate(periods)}
    points = []
    for dept in departments:
        for period_id in reports.periods_of(dept):
            f = reports.figure(dept, period_id, ind.id)
            if f is None:
                continue  # the department's form does not ask for it: no point, not a gap
            period = cat.periods[period_id]
            points.append(Point(cat.departments[dept].short_name, lang.period_short(period), order[period.id], f.value,
                                f.value is None and f.computed))
    if not any(p.value is not None for p in points):
        return None
    return make_chart(ChartSpec("line", title, lang.t("Kỳ báo cáo"), _y_title(ind, lang), ind.kind == "percent",
                                tuple(points), lang))


def comparison_chart(reports: Reports, ind: Indicator, period: Period, lang: Language) -> Chart | None:
    """Departments side by side for one period, when at least two reported."""
    figures = [f for f in period_figures(reports, period, ind.id)]
    if sum(f.value is not None for f in figures) < 2:
        return None
    cat = reports.catalogue
    points = tuple(Point("", cat.departments[f.department].short_name, i, f.value,
                         f.value is None and f.computed)
                   for i, f in enumerate(sorted(figures, key=lambda f: f.department)))
    return make_chart(ChartSpec("bar", f"{lang.label(ind)}: {lang.label(period)}", lang.t("Đơn vị"),
                                _y_title(ind, lang), ind.kind == "percent", points, lang))

