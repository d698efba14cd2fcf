"""Chart drawing: a chart's SVG does not depend on what its process drew before, the Vega-Lite
frames Altair builds once per shape hold each chart's own data and series, and the
compiled Vega frames filled in per chart draw exactly what the Vega-Lite compiler would."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Draws the charts named on the command line, in that order, each from a fresh spec; prints their SVGs.
DRAW = """
import json, sys
from decimal import Decimal
from pathlib import Path
from reformdash.output.charts import ChartSpec, Point, _render_one
from reformdash.inputs.language import load_languages
from reformdash.problems import Collector
vi, en = load_languages(Path("templates"), Path("."), Collector())
specs = {
    "english": ChartSpec("line", "Online public services at level 3", "Reporting period", "Procedures", False,
                         (Point("SCT", "Q3 2022", 0, Decimal("1")), Point("SCT", "Q1 2023", 1, Decimal("1"))), en),
    "trend": ChartSpec("line", "Số thủ tục hành chính được công bố", "Kỳ báo cáo", "Thủ tục", False,
                       (Point("SCT", "Q1/2023", 0, Decimal("12")), Point("SCT", "6T/2023", 1, Decimal("1076")),
                        Point("STNMT", "Q1/2023", 0, Decimal("7")), Point("STNMT", "6T/2023", 1, None)), vi),
    "bars": ChartSpec("bar", "Tỷ lệ hồ sơ giải quyết đúng hạn", "Đơn vị", "Tỷ lệ (%)", True,
                      (Point("", "SCT", 0, Decimal("99.99")), Point("", "SNV", 1, Decimal("87.5"))), vi),
}
# Figures whose digits a number format would change: a trailing zero, more decimals than it keeps; and a gap.
specs["digits"] = ChartSpec("bar", "Tỷ lệ", "Đơn vị", "Tỷ lệ (%)", True,
                            (Point("", "SCT", 0, Decimal("96.80")), Point("", "SNV", 1, Decimal("12.3456789")),
                             Point("", "SYT", 2, None)), vi)
specs["gap"] = ChartSpec("line", "Người", "Kỳ báo cáo", "Người", False,
                         (Point("SCT", "Q1/2023", 0, Decimal("1076")), Point("SCT", "6T/2023", 1, None),
                          Point("SCT", "Q3/2023", 2, Decimal("7"))), vi)
# A line chart with three series, so with a legend, and a title long enough to have wrapped when titles were drawn.
specs["long"] = ChartSpec("line", "Tỷ lệ hồ sơ giải quyết đúng hạn " * 4, "Kỳ báo cáo", "Tỷ lệ (%)", True,
                          tuple(Point(s, x, i, Decimal(i * 7 + len(s))) for s in ("SCT", "SNV", "SYT")
                                for i, x in enumerate(("Q1/2023", "6T/2023", "Q3/2023"))), vi)
# A department's full name on a bar's axis and in a legend: wider than the 180 and 160 pixels at which Vega
# would cut a label short by default.
LONG = "Ban Quản lý các khu công nghiệp và khu kinh tế tỉnh Sóc Trăng"
specs["long names"] = ChartSpec("bar", "Tỷ lệ", "Đơn vị", "Tỷ lệ (%)", True,
                                (Point("", LONG, 0, Decimal("99.99")), Point("", "SNV", 1, Decimal("87.5"))), vi)
specs["long series"] = ChartSpec("line", "Thủ tục", "Kỳ báo cáo", "Thủ tục", False,
                                 tuple(Point(s, "Q1/2023", 0, Decimal(i)) for i, s in enumerate((LONG, "SNV"))), vi)
# Six years of periods under one line chart: 24 labels, and a year's 4 and 8.
PERIODS = [f"{k}/{y}" for y in range(2021, 2027) for k in ("Quý I", "6 tháng", "Quý III", "Năm")]
for count in (4, 8, 24):
    specs[f"periods {count}"] = ChartSpec("line", "Tỷ lệ", "Kỳ báo cáo", "Tỷ lệ (%)", True,
                                          tuple(Point("SCT", x, i, Decimal(i)) for i, x in enumerate(PERIODS[:count])),
                                          vi)
if sys.argv[1] == "--compare":  # each chart by the build's way and by compiling its Vega-Lite
    from reformdash.output.charts import _number_locale, _vl, vega, vega_lite
    vl = _vl()
    print(json.dumps([[vl.vega_to_svg(vega(spec), format_locale=_number_locale(spec.lang)),
                       vl.vegalite_to_svg(vega_lite(spec), format_locale=_number_locale(spec.lang))]
                      for spec in specs.values()]))
else:
    print(json.dumps([_render_one(specs[name]) for name in sys.argv[1:]]))
"""


def draw(*names: str) -> list[str]:
    done = subprocess.run([sys.executable, "-c", DRAW, *names], cwd=ROOT, capture_output=True, text=True, check=True)
    return json.loads(done.stdout)


def test_a_chart_drawn_first_in_its_process_equals_the_same_chart_drawn_later() -> None:
    # Each chart worker is a fresh process that draws its share of the charts in any order.
    first = draw("english", "trend", "bars")
    later = draw("bars", "trend", "english")
    assert first == later[::-1]


def test_a_chart_drawn_from_its_compiled_frame_equals_its_vega_lite_compiled() -> None:
    pairs = draw("--compare")
    assert len(pairs) == 11
    for built, compiled in pairs:
        assert "<text" in built and built == compiled


def test_a_long_department_name_is_drawn_whole_on_an_axis_and_in_a_legend() -> None:
    import re

    long = "Ban Quản lý các khu công nghiệp và khu kinh tế tỉnh Sóc Trăng"
    for svg in draw("long names", "long series"):
        texts = re.findall(r"<text[^>]*>([^<]*)</text>", svg)
        assert long in texts and not [t for t in texts if "…" in t]


def test_the_periods_labels_stand_level_slanted_or_upright_as_many_as_fit_without_running_together() -> None:
    import re

    for svg, angle in zip(draw("periods 4", "periods 8", "periods 24"), (None, "320", "270")):  # (Vega: -40, -90)
        labels = [m for m in re.finditer(r'<text[^>]*transform="([^"]*)"[^>]*>((?:Quý|6 tháng|Năm)[^<]*/20\d\d)</text>',
                                         svg)]
        assert len(labels) in (4, 8, 24)
        rotations = {re.search(r"rotate\((-?\d+)\)", m[1])[1] if "rotate" in m[1] else None for m in labels}
        assert rotations == {angle}, rotations


def test_the_frames_shared_by_charts_of_one_shape_hold_each_charts_own_series() -> None:
    from decimal import Decimal

    from reformdash.output.charts import SERIES_COLOURS, SERIES_SHAPES, ChartSpec, Point, vega_lite
    from reformdash.inputs.language import load_languages
    from reformdash.problems import Collector

    vi = load_languages(ROOT / "templates", ROOT, Collector())[0]

    def trend(title: str, series: tuple[str, ...]) -> dict:
        points = tuple(Point(s, "Q1/2023", 0, Decimal(i)) for i, s in enumerate(series))
        return vega_lite(ChartSpec("line", title, "Kỳ báo cáo", "Thủ tục", False, points, vi))

    one, two = trend("Một", ("STNMT", "SCT")), trend("Hai", ("SNV",))
    assert "title" not in one and "title" not in two  # the page writes the title above the drawing
    assert one["encoding"]["color"]["scale"] == {"domain": ["STNMT", "SCT"], "range": SERIES_COLOURS[:2]}
    assert one["encoding"]["shape"]["scale"] == {"domain": ["STNMT", "SCT"], "range": SERIES_SHAPES[:2]}
    assert two["encoding"]["color"]["scale"] == {"domain": ["SNV"], "range": SERIES_COLOURS[:1]}
    assert [v["series"] for v in one["data"]["values"]] == ["STNMT", "SCT"]
    assert [v["series"] for v in two["data"]["values"]] == ["SNV"]
    # the legend only when there are several series; the axis in the order of the periods
    assert one["encoding"]["color"]["legend"] == {"orient": "bottom"} and two["encoding"]["color"]["legend"] is None
    assert one["encoding"]["x"]["sort"] == {"field": "order", "op": "min"}
    # the values' scale on the right: a line chart wider than a phone opens at its newest period, beside it
    assert one["encoding"]["y"]["axis"]["orient"] == "right"


def test_pages_whose_contexts_wait_for_the_render_workers_hold_no_chart() -> None:
    """The contexts of pages marked as holding no chart are made after the charts stage, where the page
    is rendered: a chart on such a page would have no drawing."""
    from reformdash.pages.registry import page_jobs
    from reformdash.pipeline import Project, charts_in, check
    from reformdash.facts.summary import Reports

    project = Project.at(ROOT)
    result = check(project)
    jobs = page_jobs(project, Reports.of(result.catalogue, result.reports), result.progress,
                     result.problems.warnings, result.releases, result.languages)
    waiting = [job for job in jobs if not job.holds_charts]
    assert {job.template for job in waiting} == {"report.html"} and len(waiting) == 2 * len(result.reports)
    assert all(charts_in(job.make()) == [] for job in waiting)
    assert any(charts_in(job.make()) for job in jobs if job.template == "department.html")


def test_a_bar_is_labelled_with_the_digits_the_department_wrote() -> None:
    import re

    digits, gap = draw("digits", "gap")
    texts = re.findall(r"<text[^>]*>([^<]*)</text>", digits)
    # after the axes' ticks and names: one label per bar, as the page writes the figure; SYT's gap is said in
    # words, at the axis, never drawn as a 0
    assert texts[-3:] == ["96,80\u00a0%", "12,3456789\u00a0%", "Không báo cáo"] and "96,8" not in texts \
        and "0\u00a0%" not in texts
    # the drawing carries no descriptions of its own (the page gives it a summary and a table): none reads
    # a figure through a number format, or a gap as "null"
    for svg in (digits, gap):
        assert "aria-label" not in svg and "null" not in svg
        # hidden whole from assistive technology: Vega still gives its mark containers roles without names
        assert svg.startswith('<svg aria-hidden="true" xmlns="http://www.w3.org/2000/svg" ')


# A one-off build draws its many charts in worker processes and then renders its pages: the workers, about
# 150 MB each, must be gone by then. `serve` starts them itself (start_drawers) to keep them for every rebuild.
DRAWERS = """
import json, multiprocessing, sys
from decimal import Decimal
from pathlib import Path
from reformdash.output import charts
from reformdash.output.charts import ChartSpec, Point, make_chart, render_charts, start_drawers
from reformdash.inputs.language import load_languages
from reformdash.problems import Collector
vi, _ = load_languages(Path("templates"), Path("."), Collector())
many = [make_chart(ChartSpec("bar", f"Tỷ lệ {n}", "Đơn vị", "Tỷ lệ (%)", True,
                             (Point("", "SCT", 0, Decimal(n)),), vi)) for n in range(45)]
if sys.argv[1] == "serve":
    start_drawers(2)
svgs, stats = render_charts(many, None, 2)
print(json.dumps([len(svgs), stats.rendered, sorted(charts._drawers), len(multiprocessing.active_children())]))
"""


def test_a_one_off_builds_chart_workers_end_with_the_charts_and_the_previews_stay() -> None:
    def drawn(way: str) -> list:
        done = subprocess.run([sys.executable, "-c", DRAWERS, way], cwd=ROOT, capture_output=True, text=True,
                              check=True, timeout=300)
        return json.loads(done.stdout)

    assert drawn("build") == [45, 45, [], 0]
    assert drawn("serve") == [45, 45, [2], 2]


def test_the_table_of_a_one_series_chart_names_its_figures_column() -> None:
    """A bar chart's one series has no name: its table's column was headed by an empty cell (WCAG 1.3.1)."""
    from decimal import Decimal

    from reformdash.inputs.language import load_languages
    from reformdash.output.charts import ChartSpec, Point, table_of
    from reformdash.problems import Collector

    vi, _ = load_languages(ROOT / "templates", ROOT, Collector())
    bars = ChartSpec("bar", "Tỷ lệ hồ sơ giải quyết đúng hạn", "Đơn vị", "Tỷ lệ (%)", True,
                     (Point("", "SCT", 0, Decimal("99.99")), Point("", "SNV", 1, None)), vi)
    assert table_of(bars) == (("Đơn vị", "Tỷ lệ (%)"), (("SCT", "99,99\u00a0%"), ("SNV", "Không báo cáo")))
