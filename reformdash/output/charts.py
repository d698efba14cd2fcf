"""Charts: Altair (Vega-Lite) specs rendered to static SVG, cached by content.

The SVG goes into the page, so a chart is visible without JavaScript. Text
is measured with Liberation Sans 2, the copy built into vl-convert, and with
no other font, so the layout is the same on every machine; the site serves
the same font (assets/fonts/) so that the browser draws what was measured.
Why that font and not the site's: vl-convert reads a registered font's file
again for every glyph it measures (an open, a map and an unmap each), which
made text measurement most of a chart's time; its built-in font is in memory.
It has every Vietnamese letter (the older Liberation of some systems does not).
"""
from __future__ import annotations

import functools
import hashlib
import json
import os
import tempfile
from dataclasses import dataclass
from decimal import Decimal
from importlib.metadata import version as _version
from pathlib import Path

from ..incremental.cache import read_entry, write_entry
from ..incremental.parallel import WorkerLost, ignore_interrupts, interrupts_ignored, pool_result
from ..inputs.language import Language

# Arial and Helvetica have the same widths, should the web font not load.
FONT_FAMILY = "Liberation Sans, Arial, Helvetica, sans-serif"

# Distinguishable for colour-blind readers and at least 3:1 against white;
# series also differ by marker shape and dash, never by colour alone.
SERIES_COLOURS = ["#0b4f8a", "#b35900", "#2e7d32", "#7b1fa2", "#c62828", "#00695c"]
SERIES_SHAPES = ["circle", "square", "triangle-up", "diamond", "cross", "triangle-down"]
SERIES_DASHES = [[1, 0], [6, 3], [2, 2], [8, 2, 2, 2], [4, 4], [1, 3]]
_vl_convert = None
# vl-convert's version names its built-in font: a new one may measure differently.
_STYLE_KEY = hashlib.sha256(Path(__file__).read_bytes() + _version("vl-convert-python").encode()).hexdigest()


def _vl():
    """Import vl-convert once, after hiding the system's fonts from it (see the module's docstring)."""
    global _vl_convert
    if _vl_convert is None:
        if "FONTCONFIG_FILE" not in os.environ:
            # A fonts.conf listing one empty folder: without a folder the system's are read.
            folder = Path(tempfile.gettempdir()) / f"reformdash-fontconfig-{os.getuid() if hasattr(os, 'getuid') else 0}"
            no_fonts = folder / "no-fonts"
            no_fonts.mkdir(parents=True, exist_ok=True)
            conf = folder / "fonts.conf"
            conf.write_text(f'<?xml version="1.0"?>\n<fontconfig><dir>{no_fonts}</dir>'
                            f"<cachedir>{folder}</cachedir></fontconfig>\n", encoding="utf-8")
            os.environ["FONTCONFIG_FILE"] = str(conf)
        import vl_convert

        _vl_convert = vl_convert
    return _vl_convert


@dataclass(frozen=True)
class Point:
    series: str  # e.g. a department's short name
    x: str  # e.g. a period's label
    order: int  # position of x on the axis
    value: Decimal | None  # None: not reported, drawn as a gap
    uncomputable: bool = False  # with no value: a figure the site computes, whose reported inputs give none


@dataclass(frozen=True)
class ChartSpec:
    kind: str  # line | bar
    title: str
    x_title: str
    y_title: str
    percent: bool
    points: tuple[Point, ...]
    lang: Language  # the language of the texts, and how the axes write numbers


@dataclass(frozen=True)
class Chart:
    """A chart as a page holds it; its SVG is drawn by the charts stage and looked up by `key`."""

    key: str
    spec: ChartSpec
    title: str
    summary: str  # what a screen reader says instead of the drawing
    x_title: str
    columns: tuple[str, ...]  # the table behind the chart: header ...
    rows: tuple[tuple[str, ...], ...]  # ... and one row per x


def _shown(point: Point, percent: bool, lang: Language, in_sentence: bool = True) -> str:
    value = point.value
    if value is None:  # a table cell starts with a capital, as the report pages write it
        if point.uncomputable:
            return lang.t("không tính được") if in_sentence else lang.t("Không tính được")
        return lang.t("không báo cáo") if in_sentence else lang.t("Không báo cáo")
    return lang.percent_text(value) if percent else lang.number(value)


def summary_of(spec: ChartSpec) -> str:
    lang = spec.lang
    kind = lang.t("Biểu đồ đường") if spec.kind == "line" else lang.t("Biểu đồ cột")
    parts = []
    for series in dict.fromkeys(p.series for p in spec.points):
        points = sorted((p for p in spec.points if p.series == series), key=lambda p: p.order)
        parts.append((f"{series}: " if series else "") + "; ".join(f"{p.x} {_shown(p, spec.percent, lang)}"
                                                                   for p in points))
    # a form's label may start with its list dash or end with a full stop: the sentence has one of its own
    title = " ".join(spec.title.split()).removeprefix("- ")
    return f"{kind}: {title}{' ' if title.endswith('.') else '. '}" + ". ".join(parts) + "."


def table_of(spec: ChartSpec) -> tuple[tuple[str, ...], tuple[tuple[str, ...], ...]]:
    series = list(dict.fromkeys(p.series for p in spec.points))
    xs = sorted({(p.order, p.x) for p in spec.points})
    lookup = {(p.series, p.x): p for p in spec.points}
    rows = tuple((x, *(_shown(lookup[(s, x)], spec.percent, spec.lang, in_sentence=False) if (s, x) in lookup else "—"
                       for s in series))
                 for _, x in xs)
    # (a chart of one series has no series name: its column is named by the figures' title, never left empty)
    return (spec.x_title, *(name or spec.y_title for name in series)), rows


def vega_lite(spec: ChartSpec) -> dict:
    """The Vega-Lite dict of a chart: Altair's chart of its shape, with the chart's data and series.

    The title is not drawn: the page writes it above the drawing (real text, in the page's font, wrapped
    to the screen), and each title measured in the drawing cost a third of the chart's time.
    """
    series = list(dict.fromkeys(p.series for p in spec.points))
    return _filled(spec.kind, _altair_frame(spec.kind, spec.percent, spec.x_title, spec.y_title, len(series) > 1,
                                            _label_angle(spec)), _values(spec), series)


def vega(spec: ChartSpec, frames_dir: Path | None = None) -> dict:
    """The Vega dict of a chart, the same as vl-convert compiles from `vega_lite` (tested), made without
    Altair and without the Vega-Lite compiler: the compiled frame of its shape with its data and series.

    `frames_dir` keeps the compiled frames between builds.
    """
    series = list(dict.fromkeys(p.series for p in spec.points))
    chart = json.loads(_vega_frame(spec.kind, spec.percent, spec.x_title, spec.y_title, len(series) > 1,
                                   _label_angle(spec), frames_dir))
    filled = 0
    for data in chart["data"]:
        if data.get("values") == [_PLACEHOLDER_ROW]:
            data["values"], filled = _values(spec), filled + 1
    for scale in chart["scales"]:
        if scale.get("domain") == [_PLACEHOLDER]:
            scale["domain"], filled = series, filled + 1  # an ordinal scale ignores unused styles
    if filled != (4 if spec.kind == "line" else 1):
        raise RuntimeError(f"the compiled {spec.kind} chart frame has {filled} places for a chart's own parts")
    return chart


# Stands for a chart's own parts (data, series) in a compiled frame.
_PLACEHOLDER = "\u2063chart\u2063"
_PLACEHOLDER_ROW = {"series": _PLACEHOLDER, "x": _PLACEHOLDER, "order": 0, "value": 0, "at": 0,
                    "label": _PLACEHOLDER}


def _values(spec: ChartSpec) -> list[dict]:
    # "value" places a point or a bar; "label" is the figure as the page writes it, with the digits the
    # department wrote (a number format in the chart would drop 96,80's last zero and round 12,3456789).
    # "at" places the label: the bar's end, or the axis for a figure not reported (a line's gap needs none).
    bars = spec.kind != "line"
    return [{"series": p.series, "x": p.x, "order": p.order,
             "value": float(p.value) if p.value is not None else None,
             "at": float(p.value) if p.value is not None else 0,
             "label": _shown(p, spec.percent, spec.lang) if p.value is not None
             else _shown(p, spec.percent, spec.lang, in_sentence=False) if bars else ""} for p in spec.points]


def _filled(kind: str, frame: dict, values: list, series: list, cut: bool = True) -> dict:
    chart = dict(frame, data={"values": values})
    if kind == "line":
        # The series in the order given, each with its colour, marker and dash: the scales' domains
        # (Vega-Lite merges the legends of scales with the same domain, which a sort by field would not give).
        encoding = dict(frame["encoding"])
        for channel, styles in (("color", SERIES_COLOURS), ("shape", SERIES_SHAPES), ("strokeDash", SERIES_DASHES)):
            encoding[channel] = dict(encoding[channel],
                                     scale={"domain": series, "range": styles[: len(series)] if cut else styles})
        chart["encoding"] = encoding
    return chart


@functools.lru_cache(maxsize=256)
def _vega_frame(kind: str, percent: bool, x_title: str, y_title: str, legend: bool, label_angle: int,
                frames_dir: Path | None) -> str:
    """The compiled Vega of a shape, as JSON text, with placeholders for a chart's own parts."""
    path = None
    if frames_dir is not None:
        shape = json.dumps([kind, percent, x_title, y_title, legend, label_angle, _STYLE_KEY, _version("altair")],
                           ensure_ascii=False)
        path = frames_dir / (hashlib.sha256(shape.encode("utf-8")).hexdigest()[:32] + ".json")
        found = _cached_text(path)
        if found is not None:
            return found
    # The series' styles are the whole lists: a chart with fewer series uses the first ones.
    frame = _filled(kind, _altair_frame(kind, percent, x_title, y_title, legend, label_angle), [_PLACEHOLDER_ROW],
                    [_PLACEHOLDER], cut=False)
    text = json.dumps(_vl().vegalite_to_vega(frame), ensure_ascii=False)
    if path is not None:
        write_entry(path, text.encode("utf-8"))
    return text


def _cached_text(path: Path) -> str | None:
    """A cached frame or drawing, or None when it is missing or damaged (then it is made again)."""
    payload = read_entry(path)
    return payload.decode("utf-8") if payload is not None else None


@functools.lru_cache(maxsize=256)
def _altair_frame(kind: str, percent: bool, x_title: str, y_title: str, legend: bool, label_angle: int = 0) -> dict:
    """The Vega-Lite of a chart without its data, built by Altair once per shape.

    The periods or departments follow the data's `order` field, so the hundreds of charts of a site share a few
    frames: building one with Altair costs a fifth of what drawing it does.
    """
    import altair as alt

    value_scale = alt.Scale(domain=[0, 100]) if percent else alt.Scale(zero=True)
    value_axis = alt.Axis(format=",~f", tickMinStep=1)
    in_order = alt.EncodingSortField(field="order", op="min")
    base = alt.Chart(alt.Data(values=[]))
    if kind == "line":  # the series' scales are given per chart by `vega_lite`
        # Periods' labels side by side while a few fit; slanted, then upright, where more would run into each other.
        x = alt.X("x:N", title=x_title, sort=in_order, axis=alt.Axis(labelAngle=label_angle))
        # The values' axis on the right: a line chart wider than a phone opens at its newest period (site.css), and
        # its scale then stands beside it, not off the screen to the left.
        y = alt.Y("value:Q", title=y_title, scale=value_scale, axis=alt.Axis(format=",~f", tickMinStep=1,
                                                                             orient="right"))
        chart = base.mark_line(point=alt.OverlayMarkDef(size=60, filled=True), strokeWidth=2.5).encode(
            x=x, y=y,
            color=alt.Color("series:N", title=None, legend=alt.Legend(orient="bottom") if legend else None),
            shape=alt.Shape("series:N", legend=None),
            strokeDash=alt.StrokeDash("series:N", legend=None)).properties(width=420, height=220)
    else:
        # Horizontal bars, one row per department: a province's forty names stay readable side by side.
        category = alt.Y("x:N", title=x_title, sort=in_order)
        value = alt.X("value:Q", title=y_title, scale=value_scale, axis=value_axis)
        bars = base.mark_bar(color=SERIES_COLOURS[0]).encode(y=category, x=value)
        # Each bar's figure beside it; a department that did not report gets the words at the axis, where a 0 would
        # be a bar of no length and its "0" (a missing bar alone would look like a zero).
        labels = base.mark_text(align="left", dx=4, fontSize=12, color="#1b1f24").encode(
            y=category, x=alt.X("at:Q", title=y_title, scale=value_scale, axis=value_axis), text=alt.Text("label:N"))
        chart = (bars + labels).properties(width=420, height=alt.Step(20))
    # No label limit: a department's name is never cut short, and the check for it measured every label
    # a second time (a third of a chart's drawing time).
    # No ARIA in the drawing: the page gives it a text summary (role="img") and the table behind it, and
    # Vega's own descriptions would read figures through a number format and say "null" for a gap.
    return (chart
            .configure(font=FONT_FAMILY, aria=False)
            .configure_axis(labelFontSize=12, titleFontSize=12, labelColor="#1b1f24", titleColor="#1b1f24",
                            labelLimit=0)
            .configure_legend(labelFontSize=12, labelLimit=0)
            .to_dict(validate=False))


# Under a line chart's 420 px, periods' labels ("6 tháng/2023", 70 px) stand level up to 5, slanted up to 12, upright
# beyond (24 periods: six years, 17 px each).
_LABEL_ANGLES = ((5, 0), (12, -40))


def _label_angle(spec: ChartSpec) -> int:
    periods = len({p.x for p in spec.points}) if spec.kind == "line" else 0
    return next((angle for most, angle in _LABEL_ANGLES if periods <= most), -90)


def chart_key(spec: ChartSpec) -> str:
    # Our own spec, not Altair's output: building the Vega dict costs more than reading a cached
    # SVG. This module's source and vl-convert's version (its font) are part of the key, so a
    # change of style or font redraws every chart. The title is not: the page writes it. The points
    # are keyed as drawn, labels included, so a language's percent format or wording is in the key.
    points = [[p["series"], p["x"], p["order"], str(q.value), p["label"]] for p, q in zip(_values(spec), spec.points)]
    text = json.dumps([spec.kind, spec.x_title, spec.y_title, spec.percent, points, _STYLE_KEY,
                       spec.lang.code, spec.lang.decimal, spec.lang.thousands], ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


def make_chart(spec: ChartSpec) -> Chart:
    columns, rows = table_of(spec)
    return Chart(chart_key(spec), spec, spec.title, summary_of(spec), spec.x_title, columns, rows)


def _number_locale(lang: Language) -> dict:
    # d3 has no vi-VN number locale: give it the language's own separators.
    return {"decimal": lang.decimal, "thousands": lang.thousands, "grouping": [3], "currency": ["", ""]}


def _render_one(spec: ChartSpec, frames_dir: Path | None = None) -> str:
    svg = _vl().vega_to_svg(vega(spec, frames_dir), format_locale=_number_locale(spec.lang))
    # Hidden from assistive technology as a whole: the page's element around it (role="img") carries the
    # chart's summary, and Vega still marks its mark containers as graphics with no name of their own.
    if not svg.startswith("<svg "):
        raise RuntimeError(f"vl-convert gave no SVG: {svg[:80]!r}")
    return '<svg aria-hidden="true" ' + svg[len("<svg "):]



@dataclass
class ChartStats:
    rendered: int = 0
    cached: int = 0


def _warm_up() -> None:
    """Start vl-convert (half a second: its JavaScript engine, its first text measured)."""
    ignore_interrupts()
    _vl().vega_to_svg({"width": 1, "height": 1, "marks": [{"type": "text", "encode": {"enter": {
        "text": {"value": "Quý"}, "font": {"value": FONT_FAMILY}}}}]})


_drawers: dict[int, object] = {}


def start_drawers(processes: int) -> None:
    """Start the chart-drawing processes now, and keep them for the life of this process.

    `serve` starts them with the server, so a saved file's charts are drawn by workers that are ready. A
    one-off build starts them only for many charts: for a few, starting them costs more than it saves.
    """
    if processes > 1 and processes not in _drawers:
        import multiprocessing

        with interrupts_ignored():
            _drawers[processes] = multiprocessing.get_context("spawn").Pool(processes, initializer=_warm_up)


def render_charts(charts: list[Chart], cache_dir: Path | None, processes: int = 1) -> tuple[dict[str, str], ChartStats]:
    """The charts stage: SVG of every chart, from the cache or drawn (in `processes` workers)."""
    unique = {c.key: c.spec for c in charts}
    svgs: dict[str, str] = {}
    missing = []
    for key, spec in unique.items():
        svg = _cached_text(cache_dir / f"{key}.svg") if cache_dir else None
        if svg is not None:
            svgs[key] = svg
        else:
            missing.append((key, spec))
    stats = ChartStats(rendered=len(missing), cached=len(svgs))
    frames_dir = cache_dir / "frames" if cache_dir else None
    if missing and processes > 1 and (processes in _drawers or len(missing) > 40):
        kept = processes in _drawers  # (started by `serve`: kept for its next build)
        start_drawers(processes)
        drawers = _drawers[processes]
        try:
            drawn = pool_result(drawers, drawers.starmap_async(_render_one, [(spec, frames_dir) for _, spec in missing],
                                                               chunksize=1 if len(missing) < 40 else 4))
        except WorkerLost:  # (a drawer killed): the drawers are let go, every chart of this build drawn here
            _drawers.pop(processes).terminate()
            kept = True
            drawn = [_render_one(spec, frames_dir) for _, spec in missing]
        finally:
            if not kept:  # a one-off build's drawers would hold ~150 MB each through the pages' rendering
                _drawers.pop(processes).terminate()
    else:
        drawn = [_render_one(spec, frames_dir) for _, spec in missing]
    for (key, _), svg in zip(missing, drawn):
        svgs[key] = svg
        if cache_dir is not None:
            write_entry(cache_dir / f"{key}.svg", svg.encode("utf-8"))
    return svgs, stats
