"""A damaged cache is never trusted: an entry cut short, overwritten, flipped, emptied or copied from another
key is dropped and made again, and the site built over it is the site a clean cache gives, byte for byte."""
from __future__ import annotations

import os
import random
import shutil
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import jinja2
import pytest

from conftest import make_project

ROOT = Path(__file__).resolve().parent.parent
KINDS = ("truncated", "random", "flipped", "empty", "swapped")


def damage(path: Path, kind: str, rng: random.Random) -> None:
    """Damage one cache file the way a crash, a full disk or a careless hand would."""
    data = path.read_bytes()
    if kind == "truncated":
        data = data[:rng.randrange(len(data))]
    elif kind == "random":
        data = rng.randbytes(rng.randrange(1, 2 * len(data)))
    elif kind == "flipped":  # one to three bits, at distinct places (the same bit twice would undo itself)
        changed = bytearray(data)
        for place in rng.sample(range(len(changed)), rng.randint(1, 3)):
            changed[place] ^= 1 << rng.randrange(8)
        data = bytes(changed)
    elif kind == "empty":
        data = b""
    else:  # swapped: another entry of the same folder copied over this one
        others = sorted(p for p in path.parent.iterdir() if p.is_file() and p.read_bytes() != data)
        data = rng.choice(others).read_bytes()
    path.write_bytes(data)


def tree(directory: Path) -> dict[str, bytes]:
    return {p.relative_to(directory).as_posix(): p.read_bytes() for p in sorted(directory.rglob("*")) if p.is_file()}


def run_build(engine: Path, root: Path, cache: Path, out: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(engine / "build.py"), "build", "--quiet", "--root", str(root),
                           "--out", str(out)], env=dict(os.environ, REFORMDASH_CACHE_DIR=str(cache)),
                          capture_output=True, text=True, timeout=600)


# -- each cache on its own ------------------------------------------------------------------------------------------

def each_damage(stored: Path, rng: random.Random):
    """Yield once per kind of damage, with `stored` damaged that way (and put back whole between).
    Its folder must hold another entry, whole, for "swapped"."""
    whole = stored.read_bytes()
    for kind in KINDS:
        damage(stored, kind, rng)
        yield kind
        stored.write_bytes(whole)


def test_a_damaged_report_result_is_computed_again(tmp_path: Path) -> None:
    from reformdash.incremental.cache import ResultCache

    report, other = tmp_path / "2023-q1.yaml", tmp_path / "2022-q3.yaml"
    report.write_text("department: stnmt\nperiod: 2023-q1\n", encoding="utf-8")
    other.write_text("department: stnmt\nperiod: 2022-q3\n", encoding="utf-8")
    cache = ResultCache(tmp_path / "reports", "context")
    cache.get_or_compute(report, lambda: {"plan_tasks_planned": 22})
    cache.get_or_compute(other, lambda: {"plan_tasks_planned": 7})
    stored = tmp_path / "reports" / f"{cache.key(report)}.pickle"
    for kind in each_damage(stored, random.Random(1)):
        fresh = ResultCache(tmp_path / "reports", "context")  # a new process: nothing in memory
        got = fresh.get_or_compute(report, lambda: {"plan_tasks_planned": 22})
        assert (kind, got, fresh.misses, fresh.hits) == (kind, {"plan_tasks_planned": 22}, 1, 0)
        again = ResultCache(tmp_path / "reports", "context")  # and stored whole again
        assert again.get_or_compute(report, lambda: "not computed") == {"plan_tasks_planned": 22}


def test_damaged_open_data_rows_are_made_again(tmp_path: Path) -> None:
    from reformdash.incremental.cache import BytesCache

    rows = b"stnmt,2023-q1,plan_tasks_planned,22,\n" * 50
    BytesCache(tmp_path / "open-data", "context").get_or_make("stnmt/2023-q1", lambda: rows)
    [stored] = (tmp_path / "open-data").iterdir()
    BytesCache(tmp_path / "open-data", "context").get_or_make("stnmt/2022-q3", lambda: b"stnmt,2022-q3\n")
    for kind in each_damage(stored, random.Random(2)):
        assert (kind, BytesCache(tmp_path / "open-data", "context").get_or_make("stnmt/2023-q1", lambda: rows)) \
            == (kind, rows)
        assert BytesCache(tmp_path / "open-data", "context").get_or_make("stnmt/2023-q1", lambda: b"") == rows


def test_a_damaged_chart_drawing_is_drawn_again(tmp_path: Path) -> None:
    from reformdash.output.charts import ChartSpec, Point, _vega_frame, make_chart, render_charts
    from reformdash.inputs.language import load_languages
    from reformdash.problems import Collector

    vi = load_languages(ROOT / "templates", ROOT, Collector())[0]
    points = (Point("", "STNMT", 0, Decimal("161")), Point("", "SCT", 1, Decimal("12")))
    chart = make_chart(ChartSpec("bar", "Hồ sơ", "Đơn vị", "Hồ sơ", False, points, vi))
    other = make_chart(ChartSpec("line", "Hồ sơ", "Kỳ", "Hồ sơ", False, points, vi))
    clean = render_charts([chart], tmp_path / "charts")[0][chart.key]
    assert clean.startswith('<svg aria-hidden="true" ') and ">161<" in clean and clean.endswith("</svg>")
    render_charts([other], tmp_path / "charts")
    stored = tmp_path / "charts" / f"{chart.key}.svg"
    for kind in each_damage(stored, random.Random(3)):
        svgs, stats = render_charts([chart], tmp_path / "charts")
        assert (kind, svgs[chart.key], stats.rendered, stats.cached) == (kind, clean, 1, 0)
    # and a damaged compiled frame (the Vega of the bar charts' shape) is compiled again
    [frame] = [p for p in (tmp_path / "charts" / "frames").iterdir() if b'"type": "rect"' in p.read_bytes()]
    for kind in each_damage(frame, random.Random(4)):
        _vega_frame.cache_clear()  # (this process remembers the frames it compiled)
        stored.unlink()
        assert (kind, render_charts([chart], tmp_path / "charts")[0][chart.key]) == (kind, clean)


def test_a_damaged_compiled_template_is_compiled_again(tmp_path: Path) -> None:
    """(Jinja's own FileSystemBytecodeCache fails on most of these, and runs a changed byte's code.)"""
    from reformdash.incremental.cache import TemplateCache

    templates = {"page.html": "{% for n in numbers %}<p>{{ n }}: {{ 'Số hồ sơ đã tiếp nhận' }}</p>{% endfor %}",
                 "other.html": "{{ numbers | sum }}"}

    def render(name: str = "page.html") -> str:
        env = jinja2.Environment(loader=jinja2.DictLoader(templates), bytecode_cache=TemplateCache(tmp_path / "t"))
        return env.get_template(name).render(numbers=[161, 12])

    expected = "<p>161: Số hồ sơ đã tiếp nhận</p><p>12: Số hồ sơ đã tiếp nhận</p>"
    assert render() == expected
    [stored] = (tmp_path / "t").iterdir()
    assert render("other.html") == "173"
    for kind in each_damage(stored, random.Random(5)):
        assert (kind, render()) == (kind, expected)


# -- whole builds -------------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def clean(tmp_path_factory) -> tuple[Path, Path, Path, dict[str, bytes]]:
    """A copy of the engine, the bundled project, a cache filled by its build, and the site that build published.

    (The engine's source is part of every cache key: the copy keeps the keys of all the builds the same
    while the source is being edited.)
    """
    work = tmp_path_factory.mktemp("trust-cache")
    engine = work / "engine"
    shutil.copytree(ROOT / "reformdash", engine / "reformdash", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "build.py", engine / "build.py")
    root = make_project(work / "p", with_reports=True)
    done = run_build(engine, root, work / "clean-cache", work / "clean-site")
    assert done.returncode == 0, done.stderr
    return engine, root, work / "clean-cache", tree(work / "clean-site")


def test_builds_over_a_damaged_cache_publish_what_a_clean_cache_gives(clean, tmp_path: Path) -> None:
    engine, root, clean_cache, expected = clean
    folders = ("reports", "open-data", "charts", "charts/frames")
    assert all(any(p.is_file() for p in (clean_cache / f).iterdir()) for f in folders)
    assert sum(name.endswith(".html") and b"<svg " in content for name, content in expected.items()) > 50
    rng = random.Random(21)
    for attempt in range(20):
        cache = tmp_path / f"cache-{attempt}"
        shutil.copytree(clean_cache, cache)
        damaged = []
        for folder in folders:
            entries = sorted(p for p in (cache / folder).iterdir() if p.is_file())
            for number, entry in enumerate(rng.sample(entries, min(len(entries), rng.randint(1, 6)))):
                kind = KINDS[(attempt + number) % len(KINDS)]
                damage(entry, kind, rng)
                damaged.append(f"{folder}/{entry.name} {kind}")
        out = tmp_path / f"site-{attempt}"
        done = run_build(engine, root, cache, out)
        said = done.stdout + done.stderr
        assert (attempt, done.returncode, "Traceback" in said) == (attempt, 0, False), (damaged, said[-3000:])
        got = tree(out)
        assert (attempt, sorted(name for name in got.keys() | expected.keys() if got.get(name) != expected.get(name))) \
            == (attempt, []), damaged
        # each damaged entry that the build needed was made again, whole
        from reformdash.incremental.cache import read_entry

        assert (attempt, [d for d in damaged if not d.startswith("charts/frames")
                          and read_entry(cache / d.split()[0]) is None]) == (attempt, [])
        shutil.rmtree(cache)
        shutil.rmtree(out)


def test_every_module_a_build_runs_is_in_the_cache_fingerprint(project_factory) -> None:
    """The caches are keyed on the engine's source minus the tools that never run in a build (importers,
    forms, synthesiser, benchmark): a module a build does run must never be left out of the key."""
    from conftest import ROOT
    from reformdash.incremental.cache import engine_sources

    root = project_factory(with_reports=True)
    done = subprocess.run(
        [sys.executable, "-c", "import sys\nfrom reformdash.cli import main\n"
         f"code = main(['build', '--root', {str(root)!r}, '--quiet', '-j', '1'])\n"
         "print('|'.join(sorted(m.__file__ for n, m in list(sys.modules.items()) if n.startswith('reformdash') "
         "and getattr(m, '__file__', None))))\nsys.exit(code)"],
        cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    ran = {Path(name).resolve() for name in done.stdout.splitlines()[-1].split("|")}
    assert len(ran) > 20
    assert sorted(str(p) for p in ran - {p.resolve() for p in engine_sources()}) == []


def test_editing_an_importer_or_the_synthesiser_keeps_the_caches(tmp_path) -> None:
    from reformdash.incremental import cache

    names = {p.relative_to(cache._ENGINE).as_posix() for p in cache.engine_sources()}
    assert {"importers/pdf_text.py", "devtools/synth.py", "devtools/bench.py", "forms/form_xlsx.py", "commands/import_report.py"} \
        .isdisjoint(names)
    assert {"output/charts.py", "output/render.py", "pipeline.py", "pages/report.py", "commands/build.py", "incremental/cache.py"} <= names


def _read_bytes(path, *more):
    from reformdash.inputs.load import input_bytes
    return input_bytes(path, *more)


def test_a_report_edited_between_two_builds_of_one_process_is_read_again_whatever_its_times(tmp_path, monkeypatch):
    """`serve` keeps each file's key with the file's status when it was read; an edit of the same size whose
    modification time is set back (an editor or a copy that keeps times) still changes its status-change time."""
    from reformdash.incremental import cache
    from reformdash.pipeline import Project, Session, check

    monkeypatch.setattr(cache, "_SETTLED_NS", 0)  # (every file counts as settled: the status alone decides)
    root = make_project(tmp_path / "p", with_reports=True)
    report = root / "data" / "stnmt" / "2023-q1.yaml"
    value = lambda result: next(c for c in result.reports if c.report.key == ("stnmt", "2023-q1")
                                ).report.values["plan_tasks_planned"].value
    project, session = Project.at(root, processes=1), Session()  # (as `serve` keeps between rebuilds)
    assert value(check(project, session)) == Decimal("22")
    times = os.stat(report)
    text = report.read_text(encoding="utf-8")
    assert text.count("plan_tasks_planned: 22") == 1
    report.write_text(text.replace("plan_tasks_planned: 22", "plan_tasks_planned: 23"), encoding="utf-8")
    os.utime(report, ns=(times.st_atime_ns, times.st_mtime_ns))  # the same size, the same modification time
    assert value(check(project, session)) == Decimal("23")
    read = []
    monkeypatch.setattr(cache, "input_bytes", lambda path, *more: read.append(path) or _read_bytes(path, *more))
    assert value(check(project, session)) == Decimal("23")  # (and kept, unread, while it stays so)
    assert report not in read
