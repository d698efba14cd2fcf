"""bench: build a synthetic province cold and after one change, and compare with Hugo."""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from ..devtools.bench import BODIES_AT_1X, SEED, TARGETS_SET_FOR, YEARS, BenchOptions, TreeMemory, run_benchmark
from ..devtools.synth import SynthRefused

HELP = "time builds of a synthetic province (1× = 40 bodies × 6 years × 4 periods = 960 reports)"

DESCRIPTION = HELP + """.
Each build runs in a fresh Python process with a fresh chart and page cache. Printed and
written as JSON: reports, pages and charts; wall time and the time of each stage; pages per
second; peak memory of the whole build (main process and workers, measured on Linux); the
time from one changed report value to the rebuilt site, in a new process and inside a running
one (as `serve`); and the report pages alone against Hugo rendering the same report tables
(unless --no-hugo; Hugo is installed with apt-get when missing and possible). Each scale ends
with the targets of issue 23 (set for 120 bodies × 6 years: --bodies 120 --years 6, and
--scales 1,4 for 4× that too), each figure marked met or not met."""


def _scales(text: str) -> tuple[float, ...]:
    try:
        scales = tuple(float(part) for part in text.split(",") if part.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a list of numbers: {text}") from None
    if not scales or any(s <= 0 for s in scales):
        raise argparse.ArgumentTypeError("scales must be positive numbers, e.g. 1,2,4")
    return scales


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.description = DESCRIPTION
    parser.add_argument("--scale", type=float, default=1.0, metavar="K",
                        help="size: K × the bodies of --bodies (default: 1)")
    parser.add_argument("--scales", type=_scales, default=None, metavar="K,K,...",
                        help="several sizes in one run, e.g. 1,2,4; prints how time and memory grow")
    parser.add_argument("--out", type=Path, default=None, metavar="FILE.json",
                        help="where to write the figures (default: ROOT/bench-results/bench.json)")
    parser.add_argument("--no-hugo", action="store_true", help="skip the comparison with Hugo")
    parser.add_argument("--bodies", type=int, default=BODIES_AT_1X, metavar="N",
                        help="bodies at 1× (default: 40; the targets are set for 120)")
    parser.add_argument("--years", type=int, default=YEARS, metavar="Y", help="years of reports (default: 6)")
    parser.add_argument("--seed", type=int, default=SEED, help=f"seed of the synthetic province (default: {SEED})")
    parser.add_argument("--dir", type=Path, default=None,
                        help="where to write the synthetic provinces (default: a temporary directory)")
    parser.add_argument("--keep", action="store_true", help="keep the synthetic provinces and their sites")
    parser.add_argument("--root", type=Path, default=Path.cwd(), help="project directory (default: here)")
    parser.add_argument("--imports", action="store_true",
                        help="time `import` instead: each reference report in every format, and hostile documents "
                             "(default --out: ROOT/bench-results/bench-imports.json)")
    parser.add_argument("--only", default=None, metavar="NAME,...", help="with --imports: these documents only")
    parser.add_argument("--runs", type=int, default=3, metavar="N", help="with --imports: imports of each, best "
                        "taken (default: 3)")


def _s(seconds: float) -> str:
    return f"{seconds:.1f} s" if seconds >= 10 else f"{seconds:.2f} s"


def _stages(timings: dict) -> str:
    return ", ".join(f"{name} {_s(seconds)}" for name, seconds in timings.items())


def _whole(figures: dict) -> str:
    """The measured peak memory of a child's whole process tree."""
    if figures.get("peak_total_mb") is None:
        return "the whole build's not measured" + ("" if TreeMemory.available else " (only on Linux)")
    measured = figures["peak_total_measured"]
    return (f"{figures['peak_total_mb']:.0f} MB the main process and its workers together, measured "
            f"({measured['how']}; at most {measured['peak_processes']} processes at once)")


def _figure(value: float | None, unit: str) -> str:
    if value is None:
        return "not measured"
    if unit == "s":
        return _s(value)
    if unit == "×":
        return f"{value:.2f}×"
    if unit == "MB":
        return f"{value:.0f} MB"
    return f"{value:g} {unit}"


def _targets(run: dict, cores: int, stream) -> None:
    if not run.get("targets"):
        return
    size = f"{run['bodies']} bodies × {run['years']} years"
    print(f"targets (issue 23, set for {TARGETS_SET_FOR[0]} bodies × {TARGETS_SET_FOR[1]} years; "
          f"this scale: {size}):", file=stream)
    for target in run["targets"]:
        figure = _figure(target["figure"], target["unit"])
        if target["unit"] == "processes":  # the build's processes, beside the machine's cores
            figure = f"{figure}, {cores} cores"
        limit = _figure(target["limit"], target["unit"]) if target["unit"] != "processes" else "cores"
        verdict = {True: "met", False: "not met", None: "not measured"}[target["met"]]
        print(f"  {target['name'] + ':':<44} {figure:>20}  {target['relation']} {limit:<9} {verdict}",
              file=stream)


def _run_report(run: dict, machine: dict, stream) -> None:
    cpus, cores = machine["cpus"], machine.get("cores", machine["cpus"])
    print(f"\n== {run['scale']:g}×: {run['bodies']} bodies × {run['years']} years × 4 periods = "
          f"{run['reports']} reports, {run['plans']} plans", file=stream)
    load = run.get("load_average") or {}
    if load.get("before") and load.get("after"):
        print(f"machine load:   {load['before'][0]:.1f} before, {load['after'][0]:.1f} after "
              f"(1-minute load average on {cpus} CPUs)", file=stream)
    if "cold" in run:
        cold = run["cold"]
        rss = cold["peak_rss_mb"]
        print(f"cold build:     {_s(cold['wall_seconds'])} wall ({_s(cold['seconds'])} inside build()); "
              f"{cold['pages']} pages, {cold['charts']} charts ({cold['charts_drawn']} drawn); "
              f"{cold['pages_per_second']:.1f} pages/s", file=stream)
        print(f"  stages:       {_stages(cold['timings'])}", file=stream)
        print(f"  peak memory:  {_whole(cold)}; peak RSS {rss['main']:.0f} MB main process, "
              f"{rss['largest_child']:.0f} MB the largest worker", file=stream)
    if "no_change" in run:
        same = run["no_change"]
        print(f"nothing changed: {_s(same['wall_seconds'])} for a rebuild in a new process with no input changed; "
              f"{same['pages_rebuilt']} pages rebuilt", file=stream)
    if "one_change" in run:
        one = run["one_change"]
        print(f"one change:     {_s(one['wall_seconds'])} from the change to the rebuilt site ({one['file']}: "
              f"{one['change']}); {one['pages_rebuilt']} pages rebuilt, {one['charts_drawn']} charts drawn",
              file=stream)
        print(f"  stages:       {_stages(one['timings'])}", file=stream)
        print(f"  peak memory:  {_whole(one)}", file=stream)
    if "one_change_in_process" in run:
        warm = run["one_change_in_process"]
        print(f"in `serve`:     {_s(warm['seconds'])} from another change to the rebuilt site inside a running "
              f"process, its caches in memory; {warm['pages_rebuilt']} pages rebuilt, {warm['charts_drawn']} "
              f"charts drawn", file=stream)
        print(f"  stages:       {_stages(warm['timings'])}", file=stream)
        print(f"  peak memory:  {_whole(warm)}, over both builds of the process", file=stream)
    if "report_pages" in run:
        alone = run["report_pages"]
        print(f"report pages:   {_s(alone['wall_seconds'])} wall for {alone['pages']} report pages alone "
              f"(load, validate, compute, render, write; no charts): {_stages(alone['timings'])}", file=stream)
    if "error" in run:
        print(f"stopped:        {run['error']}", file=stream)
    hugo = run.get("hugo", {})
    if "skipped" in hugo:
        print(hugo["skipped"], file=stream)
    elif hugo:
        version = hugo["version"].split(" ")[1] if " " in hugo["version"] else hugo["version"]
        print(f"Hugo {version}: {_s(hugo['wall_seconds'][0])} cold, {_s(hugo['wall_seconds'][-1])} again, "
              f"for {hugo['pages']} report-table pages (label, unit, value, note)", file=stream)
        if "ratio_report_pages" in hugo:
            print(f"  ours/Hugo:    {hugo['ratio_report_pages']:.1f}× for the report pages alone (ours also "
                  f"validate and check every rule, flag warnings, link earlier periods, format numbers the "
                  f"Vietnamese way; Hugo prints the table only)", file=stream)
        if "ratio_whole_site_cold" in hugo:
            print(f"                {hugo['ratio_whole_site_cold']:.1f}× for our whole site cold (every page and "
                  f"chart) against Hugo's report tables alone", file=stream)
    _targets(run, cores, stream)


def report(figures: dict, stream) -> None:
    for run in figures["runs"]:
        _run_report(run, figures["machine"], stream)
    if len(figures["growth"]) > 1:
        print("\ngrowth against the first scale:", file=stream)
        for g in figures["growth"]:
            memory = "not measured" if g["peak_total_x"] is None else f"×{g['peak_total_x']:.2f}"
            print(f"  {g['scale']:g}×: reports ×{g['reports_x']:.1f}, cold wall time ×{g['cold_wall_x']:.2f}, "
                  f"peak memory {memory}, one-change rebuild ×{g['one_change_wall_x']:.2f} in a new process, "
                  f"×{g['in_serve_x']:.2f} inside `serve`", file=stream)


def options_of(args: argparse.Namespace) -> BenchOptions:
    """--bodies is the 1× size; --scales (or --scale) multiply it."""
    return BenchOptions(args.scales or (args.scale,), args.bodies, args.years, args.seed, not args.no_hugo,
                        args.dir, args.keep)


def run(args: argparse.Namespace) -> int:
    root = args.root.resolve()
    if args.imports:
        from ..devtools.bench_import import run as run_imports
        return run_imports(root, args.out, args.only, args.runs, args.dir, args.keep,
                           "python build.py " + " ".join(sys.argv[1:]) if sys.argv[1:2] == ["bench"] else "bench")
    if args.bodies < 1 or args.years < 1:
        print("bench: --bodies and --years must be at least 1", file=sys.stderr)
        return 2
    options = options_of(args)
    out = args.out or root / "bench-results" / "bench.json"
    command = "python build.py " + " ".join(sys.argv[1:]) if sys.argv[1:2] == ["bench"] else "bench"

    def save(figures: dict) -> None:  # after every scale, so a long run keeps what it measured
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps(dict(figures, command=command), indent=2, ensure_ascii=False) + "\n",
                       encoding="utf-8")

    try:
        figures = run_benchmark(options, root, say=lambda message: print(message, file=sys.stderr, flush=True),
                                save=save)
    except SynthRefused as refusal:
        print(f"bench: {refusal}", file=sys.stderr)
        return 2
    report(figures, sys.stdout)
    print(f"\nfigures written to {out}", file=sys.stderr)
    return 1 if any("error" in run for run in figures["runs"]) else 0
