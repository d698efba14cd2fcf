"""`build.py synth` writes a seeded, clean, plainly labelled synthetic province, never into the
project's data/; `build.py bench` measures a tiny one and writes its figures as JSON."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from reformdash.devtools.bench import TreeMemory, attach_targets, bodies_at
from reformdash.cli import _parser
from reformdash.commands.bench import options_of
from reformdash.pipeline import Project, check
from reformdash.problems import Severity
from reformdash.devtools.synth import SynthOptions, SynthRefused, synthesize
from reformdash.devtools.synth_names import NOTICE_VI

ROOT = Path(__file__).resolve().parent.parent
TINY = SynthOptions(bodies=3, years=1, seed=7)


def tree(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def tiny(tmp_path_factory) -> Path:
    return synthesize(ROOT, tmp_path_factory.mktemp("synth") / "a", TINY).target


def test_same_seed_writes_byte_identical_trees(tiny: Path, tmp_path: Path) -> None:
    again = synthesize(ROOT, tmp_path / "b", TINY).target
    assert tree(again) == tree(tiny)


def test_another_seed_writes_other_data(tiny: Path, tmp_path: Path) -> None:
    other = tree(synthesize(ROOT, tmp_path / "c", SynthOptions(3, 1, seed=8)).target)
    first = tree(tiny)
    reports = sorted(name for name in first if name.startswith("data/") and name.endswith("/2021-q1.yaml"))
    assert reports and all(name in other for name in reports)  # the same bodies and periods ...
    assert all(other[name] != first[name] for name in reports)  # ... with other figures


def test_the_province_is_complete(tiny: Path) -> None:
    reports = sorted(p.relative_to(tiny / "data").as_posix() for p in (tiny / "data").glob("*/2021-*.yaml"))
    assert len(reports) == 3 * 4  # every body reports every period once
    assert len(list((tiny / "data").glob("*/plan-2021.yaml"))) >= 3
    assert len(list((tiny / "data").glob("*/plan-2021-status-*.yaml"))) == len(reports)
    site = (tiny / "data" / "site.yaml").read_text(encoding="utf-8")
    assert "synthetic: true" in site
    assert NOTICE_VI in (tiny / "content" / "gioi-thieu.md").read_text(encoding="utf-8")
    for copied in ("templates/base.html", "assets/css/site.css", "data/catalogue/checks.yaml"):
        assert (tiny / copied).read_bytes() == (ROOT / copied).read_bytes()
    # the forms as the project's, but the current one in use from the span's first day (every report is on it)
    form = (tiny / "data/forms/cchc-2022.yaml").read_text(encoding="utf-8")
    assert form == (ROOT / "data/forms/cchc-2022.yaml").read_text(encoding="utf-8").replace(
        "used_from: 2022-01-01", "# (moved by `build.py synth`: the synthetic province reports on cchc-2022 from "
        "2021-01-01)\nused_from: 2021-01-01")


def test_check_passes_with_no_errors(tiny: Path) -> None:
    result = check(Project.at(tiny))
    assert not [p for p in result.problems.problems if p.severity is Severity.ERROR]
    assert len(result.reports) == 12


def test_a_larger_province_has_renames_mergers_and_a_few_warnings(tmp_path: Path) -> None:
    root = synthesize(ROOT, tmp_path / "p", SynthOptions(bodies=20, years=2, seed=3)).target
    result = check(Project.at(root))
    departments = result.catalogue.departments.values()
    assert any(d.successors and d.kind == "district" for d in departments)  # a district became a town
    assert any(len(d.predecessors) == 2 for d in departments)  # two departments merged into a new one
    assert len(result.reports) == 20 * 2 * 4
    warnings = result.problems.warnings
    assert 0 < len(warnings) < len(result.reports) / 2  # a few deliberate mistakes; most reports are clean
    # (every report is on the current form, made the form in use for the whole span: 2021 began on the older one)
    assert not [w for w in warnings if w.code == "W221"]
    assert {c.report.form for c in result.reports} == {"cchc-2022"}
    assert result.catalogue.form_for(result.catalogue.periods["2021-q1"]).id == "cchc-2022"


@pytest.mark.parametrize("where", [".", "data", "data/synthetic"])
def test_refuses_to_write_into_the_project_or_its_data(where: str) -> None:
    before = tree(ROOT / "data")
    with pytest.raises(SynthRefused):
        synthesize(ROOT, ROOT / where, TINY)
    assert tree(ROOT / "data") == before
    assert not (ROOT / "data" / "synthetic").exists()


def test_the_command_refuses_with_exit_code_2() -> None:
    run = subprocess.run([sys.executable, str(ROOT / "build.py"), "synth", str(ROOT / "data" / "x"),
                          "--bodies", "3", "--years", "1", "--seed", "1", "--root", str(ROOT)],
                         capture_output=True, text=True, check=False)
    assert run.returncode == 2
    assert "data/" in run.stderr and "nothing was written" in run.stderr
    assert not (ROOT / "data" / "x").exists()


def test_bench_writes_its_figures_and_a_site_that_says_it_is_synthetic(tmp_path: Path) -> None:
    out, work = tmp_path / "bench.json", tmp_path / "work"
    env = {k: v for k, v in os.environ.items() if k != "REFORMDASH_CACHE_DIR"}
    run = subprocess.run([sys.executable, str(ROOT / "build.py"), "bench", "--bodies", "1", "--years", "1",
                          "--no-hugo", "--out", str(out), "--dir", str(work), "--keep", "--root", str(ROOT)],
                         capture_output=True, text=True, check=False, env=env, timeout=300)
    assert run.returncode == 0, run.stderr
    figures = json.loads(out.read_text(encoding="utf-8"))
    [only] = figures["runs"]
    assert only["reports"] == 4
    cold, one = only["cold"], only["one_change"]
    for figures_of in (cold, one):
        assert figures_of["wall_seconds"] > 0 and figures_of["pages"] > 0 and figures_of["timings"]
        assert all(seconds >= 0 for seconds in figures_of["timings"].values())
    assert cold["charts"] > 0 and cold["charts_drawn"] == cold["charts"]  # cold: every chart drawn
    assert cold["pages_per_second"] > 0 and cold["peak_rss_mb"]["main"] > 0
    if TreeMemory.available:  # the whole build's memory, measured while it ran: at least the main process's
        assert cold["peak_total_mb"] >= cold["peak_rss_mb"]["main"] * 0.5 and one["peak_total_mb"] > 0
        assert cold["peak_total_measured"]["samples"] > 0
    assert cold["processes"] == figures["machine"]["cores"]
    assert one["charts_drawn"] < cold["charts_drawn"] and one["change"]
    warm = only["one_change_in_process"]  # as in `serve`: the second build of one process
    assert warm["seconds"] > 0 and warm["change"] and 0 < warm["pages_rebuilt"] < cold["pages"]
    assert only["report_pages"]["pages"] == 4 and only["report_pages"]["wall_seconds"] > 0
    assert "skipped" in only["hugo"]
    assert "pages/s" in run.stdout and "one change" in run.stdout and "in `serve`" in run.stdout
    # one scale: every target but `flat`, held against this run's figures, printed and in the JSON
    assert [t["name"] for t in figures["targets"]] == [
        "one change inside `serve`", "one change in a new process", "cold build",
        "uses every core (processes = cores)", "peak memory of the whole build, measured",
        "report pages against Hugo", "report pages against Hugo (the ambition)"]
    assert figures["targets"] == only["targets"]
    assert [t["met"] for t in only["targets"]][3] is True and [t["met"] for t in only["targets"]][-2:] == [None, None]
    assert "targets (issue 23, set for 120 bodies × 6 years; this scale: 1 bodies × 1 years):" in run.stdout
    printed = run.stdout.split("targets (issue 23", 1)[1].splitlines()[1:8]
    assert [line.strip().startswith(t["name"] + ":") for line, t in zip(printed, only["targets"])] == [True] * 7
    assert printed[-1].endswith("≤ 1.00×     not measured")
    about = (work / "synth-1x" / "site" / "gioi-thieu" / "index.html").read_text(encoding="utf-8")
    assert NOTICE_VI in about
    # the builds ran a byte-compiled copy of the engine, as installed
    assert (work / "engine" / "reformdash" / "__pycache__").is_dir()
    assert {p.name.split(".")[0] for p in (work / "engine" / "reformdash").rglob("__pycache__/*.pyc")} >= {
        "pipeline", "load", "render", "charts"}


def test_bench_multiplies_the_bodies_by_each_scale() -> None:
    args = _parser("bench").parse_args(["bench", "--bodies", "120", "--years", "6", "--scales", "1,4"])
    options = options_of(args)
    assert [bodies_at(options, scale) for scale in options.scales] == [120, 480]
    assert options.years == 6


def _run_figures(scale: float, serve: float, new_process: float, cold: float, processes: int,
                 peaks: tuple[float | None, float | None], hugo: float | None) -> dict:
    return {"scale": scale, "one_change_in_process": {"seconds": serve},
            "one_change": {"wall_seconds": new_process, "peak_total_mb": peaks[1]},
            "cold": {"wall_seconds": cold, "processes": processes, "peak_total_mb": peaks[0]},
            "hugo": {"ratio_report_pages": hugo} if hugo is not None else {"skipped": "--no-hugo"}}


def test_each_scale_is_held_against_the_targets() -> None:
    figures = {"machine": {"cpus": 4, "cores": 4},
               "runs": [_run_figures(1, 0.5, 1.5, 30.0, 4, (900.0, 300.0), 1.25),
                        _run_figures(4, 0.75, 2.5, 50.0, 2, (1100.0, 400.0), None)]}
    attach_targets(figures)
    small, large = ([(t["name"], t["figure"], t["limit"], t["met"]) for t in run["targets"]] for run in figures["runs"])
    assert small == [("one change inside `serve`", 0.5, 0.5, True),
                     ("one change in a new process", 1.5, 2.0, True),
                     ("cold build", 30.0, 40.0, True),
                     ("uses every core (processes = cores)", 4, 4.0, True),
                     ("peak memory of the whole build, measured", 900.0, 1024.0, True),
                     ("report pages against Hugo", 1.25, 1.5, True),
                     ("report pages against Hugo (the ambition)", 1.25, 1.0, False)]
    assert large == [("one change inside `serve`", 0.75, 0.5, False),
                     ("flat in `serve` against the smallest scale", 1.5, 1.2, False),
                     ("one change in a new process", 2.5, 2.0, False),
                     ("cold build", 50.0, 40.0, False),
                     ("uses every core (processes = cores)", 2, 4.0, False),
                     ("peak memory of the whole build, measured", 1100.0, 1024.0, False),
                     ("report pages against Hugo", None, 1.5, None),
                     ("report pages against Hugo (the ambition)", None, 1.0, None)]
    assert figures["targets"] is figures["runs"][1]["targets"]  # the run's: its largest scale's


def test_memory_not_measured_is_no_figure() -> None:
    figures = {"machine": {"cpus": 2, "cores": 2}, "runs": [_run_figures(1, 0.25, 1.0, 10.0, 2, (None, 80.0), None)]}
    attach_targets(figures)
    [memory] = [t for t in figures["targets"] if t["unit"] == "MB"]
    assert (memory["figure"], memory["met"]) == (None, None)


# Forks one worker sharing 100 MB of its parent's pages and holding 50 MB of its own, then waits for stdin.
FORKED = """
import os, sys
shared = b"s" * (100 << 20)
if os.fork() == 0:
    own = b"c" * (50 << 20)
    print("ready", flush=True)
    sys.stdin.read()
    os._exit(0)
sys.stdin.read()
os.wait()
"""


@pytest.mark.skipif(not TreeMemory.available or not Path("/proc/self/smaps_rollup").exists(),
                    reason="PSS is read from /proc/PID/smaps_rollup (Linux 4.14 or later)")
def test_the_whole_tree_is_measured_and_shared_pages_count_once() -> None:
    child = subprocess.Popen([sys.executable, "-c", FORKED], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                             text=True)
    try:
        assert child.stdout.readline() == "ready\n"
        memory = TreeMemory(child.pid)
        memory.sample()
    finally:
        child.communicate("", timeout=60)
    assert memory.peak_processes == 2 and memory.measures == {"PSS"}
    # 150 MB and two interpreters; summing the resident sets would count the shared 100 MB twice (over 250 MB)
    assert 150 <= memory.peak_mb < 200
    assert memory.figures() == {"how": "PSS summed over the process tree, sampled every 500 ms", "samples": 1,
                                "peak_processes": 2}
