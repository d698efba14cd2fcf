"""`build.py bench`: how long a build of a synthetic province takes, and where the time goes.

For each scale it writes a synthetic province (`synth.py`: 40 bodies × 6 years
× 4 periods at 1×, the bodies multiplied by the scale), then, each build in a
fresh Python process so that the figures are clean:

1. a cold build (fresh chart and page cache, no site/): wall time, the
   engine's own stage timings, pages, charts, peak memory (the whole build's,
   measured from outside while it runs: `TreeMemory`);
2. one report value changed, then a rebuild with the cache of step 1: the time
   from the change to the rebuilt site;
3. the report pages alone (load, validate, compute, then only the report pages
   rendered and written), and, unless --no-hugo, Hugo rendering the same
   report tables from the same YAML, for the ratio ours/Hugo.

The child processes run this module (`python -m reformdash.devtools.bench MODE DIR`);
they print one JSON line with their figures. Each scale's figures are then held
against the targets of issue 23 (`TARGETS`, the one table of them).
"""
from __future__ import annotations

import compileall
import json
import os
import platform
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import jinja2

from .synth import SynthOptions, synthesize

BODIES_AT_1X = 40
YEARS = 6
SEED = 2024
PACKAGE_PARENT = Path(__file__).resolve().parent.parent.parent


@dataclass(frozen=True)
class BenchOptions:
    scales: tuple[float, ...]
    bodies: int = BODIES_AT_1X  # at 1×
    years: int = YEARS
    seed: int = SEED
    hugo: bool = True
    workdir: Path | None = None  # where the synthetic provinces go; a temporary directory if None
    keep: bool = False


def bodies_at(options: BenchOptions, scale: float) -> int:
    """The bodies of one scale: --bodies is the 1× size (`--bodies 120 --scales 1,4`: 120 and 480)."""
    return max(1, round(options.bodies * scale))


# -- the child processes ---------------------------------------------------------------------
def _mb(maxrss: int) -> float:
    return maxrss / (1024 * 1024) if sys.platform == "darwin" else maxrss / 1024  # bytes on macOS, KB elsewhere


def _peak_rss_mb() -> dict[str, float]:
    """Peak resident memory of this process, and of its largest finished child (a worker), in MB; the
    whole build's peak is measured by the parent (`TreeMemory`)."""
    return {"main": _mb(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss),
            "largest_child": _mb(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)}


def _child_build(root: Path) -> dict:
    from ..pipeline import Project, build

    project = Project.at(root)
    started = time.perf_counter()
    result = build(project)
    peak = _peak_rss_mb()
    return {"seconds": time.perf_counter() - started, "reports": len(result.reports), "pages": result.pages,
            "pages_rebuilt": getattr(result, "pages_rebuilt", result.pages),
            "files_written": getattr(result, "files_written", result.pages), "charts": result.charts,
            "charts_drawn": result.charts_drawn, "warnings": len(result.problems.warnings),
            "timings": dict(result.timings), "peak_rss_mb": peak, "processes": project.processes}


def _report_jobs(project, result) -> list[tuple[str, object]]:
    """(template, context maker) of the report pages, from the engine's own list of pages.

    The list's arguments are taken by name (project, reports, warnings, or a field of the check's
    result), so this follows the engine as its page list gains inputs.
    """
    import inspect

    from ..pages.registry import page_jobs
    from ..facts.summary import Reports

    given = {"project": project, "reports": Reports.of(result.catalogue, result.reports),
             "warnings": result.problems.warnings, "problems": result.problems,
             "languages": result.languages[:1]}  # the default language only: what the Hugo site renders
    arguments = {name: given[name] if name in given else getattr(result, name)
                 for name, parameter in inspect.signature(page_jobs).parameters.items()
                 if name in given or parameter.default is inspect.Parameter.empty}  # (optional ones left out)
    return [(job.template, job.make) for job in page_jobs(**arguments) if job.template == "report.html"]


class _Stub(jinja2.Undefined):
    """Renders as nothing, iterates as empty, and can be called (a helper the build would provide)."""

    def __call__(self, *args, **kwargs):
        return self

    def __getattr__(self, name: str):
        if name.startswith(("__", "jinja_")):
            raise AttributeError(name)
        return self


def _child_report_pages(root: Path, out: Path) -> dict:
    """The report pages alone, as the build makes them, written as plain files."""
    from ..pipeline import Project, check
    from ..output.render import make_environment, render_pages

    project = Project.at(root, site_dir=out)
    timings = {}
    started = begun = time.perf_counter()
    result = check(project)
    timings["load+validate+compute"] = time.perf_counter() - started
    started = time.perf_counter()
    jobs = _report_jobs(project, result)  # their contexts are made by the render workers, as in the build
    timings["page list"] = time.perf_counter() - started
    started = time.perf_counter()
    env = make_environment(project.templates_dir, result.languages[0], project.csp, project.cache_dir)
    # What the build itself adds to the environment (chart SVGs, download links, ...) is stubbed:
    # report pages hold no charts, and this follows the engine as it gains such helpers.
    env.undefined = _Stub
    env.globals["chart_svg"] = lambda key: ""
    # rendered as the build renders pages: shared among the project's processes (Hugo uses every core too)
    pages = render_pages({result.languages[0].code: env}, jobs, project.processes,
                         lambda context, html: (context.page.path, html))
    timings["contexts+render"] = time.perf_counter() - started
    started = time.perf_counter()
    shutil.rmtree(out, ignore_errors=True)
    for path, content in pages:
        (out / path).parent.mkdir(parents=True, exist_ok=True)
        (out / path).write_bytes(content)
    timings["write"] = time.perf_counter() - started
    return {"seconds": time.perf_counter() - begun, "pages": len(pages), "timings": timings,
            "peak_rss_mb": _peak_rss_mb()}


def _child_change_in_process(root: Path) -> dict:
    """What `serve` does: a build that brings the caches into memory, then one value changed and the site
    rebuilt in the same process. The figures are those of the second build."""
    from ..output import write
    from ..output.charts import start_drawers
    from ..pipeline import Project, Session, build

    project = Project.at(root)
    start_drawers(project.processes)  # as `serve` does when it starts
    session = Session()  # (as `serve` keeps one between its rebuilds)
    first = build(project, session=session)
    changed, what = change_one_value(root, first.catalogue)
    # The first build's old site is still being removed behind it; in `serve` a person's edit comes
    # seconds later, when that is long done.
    write.removal_done()
    started = time.perf_counter()
    result = build(project, session=session)
    return {"seconds": time.perf_counter() - started, "pages_rebuilt": result.pages_rebuilt,
            "files_written": result.files_written, "charts_drawn": result.charts_drawn,
            "timings": dict(result.timings), "file": changed, "change": what, "processes": project.processes}


def _child_main(argv: list[str]) -> int:
    mode, root = argv[0], Path(argv[1])
    if mode == "build":
        figures = _child_build(root)
    elif mode == "in-process":
        figures = _child_change_in_process(root)
    else:
        figures = _child_report_pages(root, Path(argv[2]))
    figures["engine"] = str(Path(__file__).resolve().parent.parent)
    print(json.dumps(figures))
    return 0


# -- the whole build's memory, measured from outside ------------------------------------------
# Reading a process's smaps_rollup walks its page tables under its memory-map lock, which stalls the build's
# own page faults: sampled every 50 ms, a 40-body cold build took 36-38 s instead of 30 s. Every 0.5 s the
# stall is lost in the noise; a peak shorter than that can be missed.
SAMPLE_SECONDS = 0.5


def _parents() -> dict[int, int]:
    """Every process's parent, from /proc/*/stat (the kernel here may not offer /proc/PID/task/*/children)."""
    parents = {}
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            try:
                with open(f"/proc/{entry.name}/stat", "rb") as stat:
                    text = stat.read()
            except OSError:  # gone meanwhile
                continue
            # the command name, in parentheses, may hold spaces and parentheses: the fields follow the last ')'
            parents[int(entry.name)] = int(text[text.rindex(b")") + 2:].split()[1])
    return parents


def process_tree(root: int) -> list[int]:
    """The process and all its descendants alive now."""
    children: dict[int, list[int]] = {}
    for pid, parent in _parents().items():
        children.setdefault(parent, []).append(pid)
    tree, todo = [], [root]
    while todo:
        pid = todo.pop()
        tree.append(pid)
        todo.extend(children.get(pid, ()))
    return tree


_PAGE_KB = os.sysconf("SC_PAGE_SIZE") // 1024 if hasattr(os, "sysconf") else 4


def process_memory_kb(pid: int) -> tuple[int, str] | None:
    """(KB, "PSS" or "RSS") of one process, or None when it is gone.

    PSS divides each page among the processes that map it, so forked workers sharing their parent's
    pages are not counted twice over; where smaps_rollup cannot be read, RSS from statm.
    """
    try:
        with open(f"/proc/{pid}/smaps_rollup", "rb") as rollup:
            for line in rollup:
                if line.startswith(b"Pss:"):
                    return int(line.split()[1]), "PSS"
        return 0, "PSS"  # read, but no memory left: a process exiting
    except OSError:  # gone (statm says so too), not ours to read, or a kernel before 4.14
        pass
    try:
        with open(f"/proc/{pid}/statm", "rb") as statm:
            return int(statm.read().split()[1]) * _PAGE_KB, "RSS"
    except (OSError, IndexError, ValueError):
        return None


class TreeMemory:
    """The peak of the summed memory of a process and its descendants, sampled every 0.5 s while it runs.

    Linux only (/proc); elsewhere `peak_mb` stays None: not measured. A peak shorter than the interval
    can be missed.
    """

    available = sys.platform.startswith("linux") and Path("/proc/self/stat").exists()

    def __init__(self, pid: int, interval: float = SAMPLE_SECONDS) -> None:
        self.pid, self.interval = pid, interval
        self.peak_kb, self.peak_processes, self.samples, self.measures = 0, 0, 0, set()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="tree-memory", daemon=True)

    def __enter__(self) -> "TreeMemory":
        if self.available:
            self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join()

    def _run(self) -> None:
        while True:
            self.sample()
            if self._stop.wait(self.interval):
                return

    def sample(self) -> None:
        total = processes = 0
        for pid in process_tree(self.pid):
            measured = process_memory_kb(pid)
            if measured is not None and measured[0] > 0:
                total, processes = total + measured[0], processes + 1
                self.measures.add(measured[1])
        self.samples += 1
        self.peak_kb, self.peak_processes = max(self.peak_kb, total), max(self.peak_processes, processes)

    @property
    def peak_mb(self) -> float | None:
        return self.peak_kb / 1024 if self.available and self.samples and self.peak_kb else None

    def figures(self) -> dict:
        if not self.available:
            return {"how": "not measured (only on Linux, from /proc)"}
        if self.peak_mb is None:
            return {"how": "not measured: the process ended before the first sample"}
        return {"how": " and ".join(sorted(self.measures, reverse=True)) + " summed over the process tree, "
                f"sampled every {self.interval * 1000:.0f} ms", "samples": self.samples,
                "peak_processes": self.peak_processes}


# -- the parent --------------------------------------------------------------------------------
class ChildFailed(RuntimeError):
    pass


def _run_child(args: list[str], cache_dir: Path, engine: Path) -> dict:
    """Run one measurement in a fresh interpreter; wall time includes start-up and imports, as `build.py` has."""
    env = dict(os.environ, REFORMDASH_CACHE_DIR=str(cache_dir),
               PYTHONPATH=os.pathsep.join([str(engine), os.environ.get("PYTHONPATH", "")]).rstrip(os.pathsep))
    started = time.perf_counter()
    # Run from the snapshot: `-m` puts the working directory first on sys.path, before PYTHONPATH.
    child = subprocess.Popen([sys.executable, "-m", "reformdash.devtools.bench", *args], stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True, env=env, cwd=engine)
    with TreeMemory(child.pid) as memory:  # the main process and its workers, while they run
        stdout, stderr = child.communicate()
    wall = time.perf_counter() - started
    if child.returncode != 0:
        raise ChildFailed(f"`{' '.join(args[:1])}` failed after {wall:.1f} s: "
                          + (stderr.strip().splitlines() or ["no message"])[-1])
    figures = json.loads(stdout.strip().splitlines()[-1])
    if Path(figures["engine"]) != (engine / "reformdash").resolve():
        raise ChildFailed(f"the child ran the engine in {figures['engine']}, not the snapshot in {engine}")
    figures["wall_seconds"] = wall
    figures["peak_total_mb"] = memory.peak_mb
    figures["peak_total_measured"] = memory.figures()
    return figures


def snapshot_engine(project_root: Path, work: Path) -> Path:
    """Copy the engine, templates and assets once, so that every build of the run uses the same version
    (they may be edited while a long benchmark runs)."""
    engine = work / "engine"
    shutil.rmtree(engine, ignore_errors=True)
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    shutil.copytree(PACKAGE_PARENT / "reformdash", engine / "reformdash", ignore=ignore)
    # Byte-compiled, as an installed package is (and a checkout after its first run): a machine where
    # Python writes no bytecode (PYTHONDONTWRITEBYTECODE) would otherwise compile the engine in every build.
    compileall.compile_dir(engine / "reformdash", quiet=1)
    for name in ("templates", "assets"):
        if (project_root / name).is_dir():
            shutil.copytree(project_root / name, engine / name, ignore=ignore)
    return engine


def change_one_value(root: Path, catalogue) -> tuple[str, str]:
    """Add 1 to a plain count that no rule relates to another row, in the last report file by name."""
    related = {n for c in catalogue.checks for n in (*c.parts, c.whole, c.when, *c.then) if n}
    related |= {n for i in catalogue.indicators.values() if i.formula for n in (i.id, i.formula.numerator,
                                                                                  i.formula.denominator)}
    related |= {"plan_tasks_planned", "plan_tasks_done"}
    line = re.compile(r"^  ([a-z0-9_]+): (\d+)  #", re.MULTILINE)
    for path in sorted((root / "data").glob("*/20*.yaml"), key=lambda p: (p.parent.name, p.stem), reverse=True):
        text = path.read_text(encoding="utf-8")
        for match in line.finditer(text):
            indicator = catalogue.indicators.get(match[1])
            if indicator is None or indicator.id in related or indicator.kind != "count":
                continue
            new = f"  {match[1]}: {int(match[2]) + 1}  #"
            path.write_text(text[:match.start()] + new + text[match.end():], encoding="utf-8")
            return path.relative_to(root).as_posix(), f"{match[1]}: {match[2]} -> {int(match[2]) + 1}"
    raise ChildFailed("no report value to change")


def _hugo_comparison(root: Path, work: Path, catalogue, ours: dict) -> dict:
    from .bench_hugo import find_hugo, make_site, run_hugo

    hugo, how = find_hugo(install=True)
    if hugo is None:
        return {"skipped": f"Hugo comparison skipped: {how}"}
    pages = make_site(root, work / "hugo-site", catalogue)
    try:
        run = run_hugo(hugo, work / "hugo-site")
    except RuntimeError as error:
        return {"skipped": f"Hugo comparison skipped: {error}"}
    cold = run.wall_seconds[0]
    figures = {"version": run.version, "how": how, "pages": run.pages, "report_pages_expected": pages,
               "wall_seconds": list(run.wall_seconds)}
    if "wall_seconds" in ours.get("report_pages", {}):
        figures["ratio_report_pages"] = ours["report_pages"]["wall_seconds"] / cold
    if "wall_seconds" in ours.get("cold", {}):
        figures["ratio_whole_site_cold"] = ours["cold"]["wall_seconds"] / cold
    return figures


def bench_scale(options: BenchOptions, scale: float, project_root: Path, work: Path, engine: Path, say) -> dict:
    from ..inputs.catalogue import load_catalogue
    from ..problems import Collector

    bodies = bodies_at(options, scale)
    root = work / f"synth-{scale:g}x"
    tag = f"[{scale:g}×]"
    say(f"{tag} writing a synthetic province: {bodies} bodies × {options.years} years × 4 periods …")
    started = time.perf_counter()
    summary = synthesize(project_root, root, SynthOptions(bodies, options.years, options.seed))
    synth_seconds = time.perf_counter() - started
    for name in ("templates", "assets"):  # the templates of the engine snapshot
        if (engine / name).is_dir():
            shutil.rmtree(root / name, ignore_errors=True)
            shutil.copytree(engine / name, root / name)
    catalogue = load_catalogue(root / "data", root, Collector())
    figures: dict = {"scale": scale, "bodies": bodies, "years": options.years,
                     "departments_yaml_entries": summary.departments, "reports": summary.reports,
                     "plans": summary.plans, "synth_seconds": synth_seconds,
                     "load_average": {"before": _load_average()}}
    cache = work / f"cache-{scale:g}x"
    for stale in (cache, root / "site", root / ".cache"):
        shutil.rmtree(stale, ignore_errors=True)
    try:
        say(f"{tag} {summary.reports} reports; cold build …")
        cold = figures["cold"] = _run_child(["build", str(root)], cache, engine)
        cold["pages_per_second"] = cold["pages"] / cold["wall_seconds"]
        # A clerk's rebuild follows earlier ones: the site they replaced is the spare a rebuild starts from
        # (write.Staging), so one build with nothing changed comes first, as a figure of its own.
        say(f"{tag} cold build {cold['wall_seconds']:.1f} s; rebuilding with nothing changed …")
        figures["no_change"] = _run_child(["build", str(root)], cache, engine)
        changed, what = change_one_value(root, catalogue)
        say(f"{tag} nothing changed {figures['no_change']['wall_seconds']:.1f} s; changed {changed} ({what}); "
            "rebuilding …")
        one = figures["one_change"] = _run_child(["build", str(root)], cache, engine)
        one.update(file=changed, change=what)
        say(f"{tag} rebuild {one['wall_seconds']:.1f} s; one change inside a running process (as `serve`) …")
        warm = figures["one_change_in_process"] = _run_child(["in-process", str(root)], cache, engine)
        say(f"{tag} rebuild in process {warm['seconds']:.1f} s; report pages alone …")
        reports_cache = work / f"cache-report-pages-{scale:g}x"
        shutil.rmtree(reports_cache, ignore_errors=True)
        figures["report_pages"] = _run_child(["reports", str(root), str(work / f"report-pages-{scale:g}x")],
                                             reports_cache, engine)
    except ChildFailed as failure:
        figures["error"] = str(failure)
        say(f"{tag} {failure}")
    figures["load_average"]["after"] = _load_average()
    if not options.hugo:
        figures["hugo"] = {"skipped": "Hugo comparison skipped: --no-hugo"}
    else:
        say(f"{tag} Hugo …")
        figures["hugo"] = _hugo_comparison(root, work, catalogue, figures)
    return figures


def _load_average() -> list[float] | None:
    """The machine's 1, 5 and 15-minute load: other work running beside the benchmark slows it down."""
    return [round(x, 2) for x in os.getloadavg()] if hasattr(os, "getloadavg") else None


def machine() -> dict:
    from ..pipeline import usable_cores  # (the build's own count of the cores it may use)

    return {"python": platform.python_version(), "platform": platform.platform(), "cpus": os.cpu_count(),
            "cores": usable_cores()}


def run_benchmark(options: BenchOptions, project_root: Path, say=lambda message: None,
                  save=lambda figures: None) -> dict:
    """Every scale's figures, as the JSON that `bench` writes; `save` gets them after each scale."""
    work = options.workdir or Path(tempfile.mkdtemp(prefix="reformdash-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    figures = {"machine": machine(), "seed": options.seed, "bodies_at_1x": options.bodies, "years": options.years,
               "runs": [], "growth": [], "kept": str(work) if options.keep else None}
    try:
        engine = snapshot_engine(project_root, work)
        for scale in options.scales:
            figures["runs"].append(bench_scale(options, scale, project_root, work, engine, say))
            figures["growth"] = growth(figures["runs"])
            attach_targets(figures)
            save(figures)
    finally:
        if not options.keep:
            shutil.rmtree(work, ignore_errors=True)
    return figures


def _ratio(a: float | None, b: float | None) -> float | None:
    return a / b if a is not None and b else None


def growth(runs: list[dict]) -> list[dict]:
    """Each complete scale against the first complete one: reports, cold wall time, peak memory of the whole
    cold build (None where not measured) and the one-change rebuilds, as multiples."""
    done = [r for r in runs if "error" not in r]
    if not done:
        return []
    base = done[0]
    return [{"scale": r["scale"], "reports_x": r["reports"] / base["reports"],
             "cold_wall_x": r["cold"]["wall_seconds"] / base["cold"]["wall_seconds"],
             "peak_total_x": _ratio(r["cold"]["peak_total_mb"], base["cold"]["peak_total_mb"]),
             "one_change_wall_x": r["one_change"]["wall_seconds"] / base["one_change"]["wall_seconds"],
             "in_serve_x": r["one_change_in_process"]["seconds"] / base["one_change_in_process"]["seconds"]}
            for r in done]


# -- the targets of issue 23 -------------------------------------------------------------------
TARGETS_SET_FOR = (120, 6)  # bodies, years: the size the targets are set for


@dataclass(frozen=True)
class Target:
    name: str
    limit: float | None  # None: the cores this machine lets the build use
    unit: str  # "s", "×", "MB" or "processes"
    figure: Callable[[dict, dict | None, int], float | None]  # (run, smallest run or None, cores); None: not measured
    equal: bool = False  # the figure must equal the limit (processes = cores), not stay at or under it
    across_scales: bool = False  # held only against a larger scale than the smallest of the run


def _get(run: dict, *keys: str) -> float | None:
    for key in keys:
        run = run.get(key) if isinstance(run, dict) else None
    return run


def _whole_build_peak(run: dict, smallest: dict | None, cores: int) -> float | None:
    """The larger peak of the two builds made by `python build.py` (cold, and after one change)."""
    peaks = [_get(run, step, "peak_total_mb") for step in ("cold", "one_change")]
    return None if None in peaks else max(peaks)


TARGETS = (
    Target("one change inside `serve`", 0.5, "s", lambda run, _, __: _get(run, "one_change_in_process", "seconds")),
    Target("flat in `serve` against the smallest scale", 1.2, "×",
           lambda run, smallest, _: _ratio(_get(run, "one_change_in_process", "seconds"),
                                           _get(smallest or {}, "one_change_in_process", "seconds")),
           across_scales=True),
    Target("one change in a new process", 2.0, "s", lambda run, _, __: _get(run, "one_change", "wall_seconds")),
    Target("cold build", 40.0, "s", lambda run, _, __: _get(run, "cold", "wall_seconds")),
    Target("uses every core (processes = cores)", None, "processes", lambda run, _, __: _get(run, "cold", "processes"),
           equal=True),
    Target("peak memory of the whole build, measured", 1024.0, "MB", _whole_build_peak),
    Target("report pages against Hugo", 1.5, "×", lambda run, _, __: _get(run, "hugo", "ratio_report_pages")),
    Target("report pages against Hugo (the ambition)", 1.0, "×",
           lambda run, _, __: _get(run, "hugo", "ratio_report_pages")),
)


def targets_of(run: dict, smallest: dict | None, cores: int) -> list[dict]:
    """Each target with this scale's figure and whether it is met (None: not measured)."""
    held = []
    for target in TARGETS:
        if target.across_scales and (smallest is None or smallest is run or smallest["scale"] >= run["scale"]):
            continue
        limit = float(cores) if target.limit is None else target.limit
        figure = target.figure(run, smallest, cores)
        met = None if figure is None else (figure == limit if target.equal else figure <= limit)
        held.append({"name": target.name, "limit": limit, "unit": target.unit, "figure": figure, "met": met,
                     "relation": "=" if target.equal else "≤"})
    return held


def attach_targets(figures: dict) -> None:
    """Every scale's `targets`; the run's `targets` are those of its largest scale (where `flat` is judged)."""
    cores = figures["machine"]["cores"]
    done = [r for r in figures["runs"] if "error" not in r]
    smallest = min(done, key=lambda r: r["scale"]) if len(done) > 1 else None
    for run in figures["runs"]:
        run["targets"] = targets_of(run, None if "error" in run else smallest, cores)
    largest = max(figures["runs"], key=lambda r: ("error" not in r, r["scale"]), default=None)
    figures["targets"] = largest["targets"] if largest else []
    figures["targets_set_for"] = {"bodies": TARGETS_SET_FOR[0], "years": TARGETS_SET_FOR[1]}


if __name__ == "__main__":
    sys.exit(_child_main(sys.argv[1:]))
