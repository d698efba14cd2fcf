"""`build.py synth` writes a seeded, clean, plainly labelled synthetic province, never into the
project's data/; `build.py bench` measures a tiny one and writes its figures as JSON."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from reformdash.pipeline import Project, check
from reformdash.problems import Severity
from reformdash.synth import SynthOptions, SynthRefused, synthesize
from reformdash.synth_names import NOTICE_VI

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
    for copied in ("templates/base.html", "assets/css/site.css", "data/catalogue/checks.yaml",
                   "data/forms/cchc-2022.yaml"):
        assert (tiny / copied).read_bytes() == (ROOT / copied).read_bytes()


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
    assert one["charts_drawn"] < cold["charts_drawn"] and one["change"]
    warm = only["one_change_in_process"]  # as in `serve`: the second build of one process
    assert warm["seconds"] > 0 and warm["change"] and 0 < warm["pages_rebuilt"] < cold["pages"]
    assert only["report_pages"]["pages"] == 4 and only["report_pages"]["wall_seconds"] > 0
    assert "skipped" in only["hugo"]
    assert "pages/s" in run.stdout and "one change" in run.stdout and "in `serve`" in run.stdout
    about = (work / "synth-1x" / "site" / "gioi-thieu" / "index.html").read_text(encoding="utf-8")
    assert NOTICE_VI in about
    # the builds ran a byte-compiled copy of the engine, as installed
    assert (work / "engine" / "reformdash" / "__pycache__").is_dir()
    assert {p.name.split(".")[0] for p in (work / "engine" / "reformdash" / "__pycache__").glob("*.pyc")} >= {
        "pipeline", "load", "render", "charts"}
