"""Shared fixtures: the real project, and throw-away projects built from it."""
from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
REFERENCE_REPORTS = ROOT.parent / "shared" / "reference-reports"
# One chart cache for the whole run: throw-away projects need not redraw the same charts.
# Removed when the run ends, unless the caller gave one.
if "REFORMDASH_CACHE_DIR" not in os.environ:
    os.environ["REFORMDASH_CACHE_DIR"] = tempfile.mkdtemp(prefix="reformdash-test-cache-")
    atexit.register(shutil.rmtree, os.environ["REFORMDASH_CACHE_DIR"], True)
# Every build of the tests checks that no page context reads a file behind its PageData's back.
os.environ.setdefault("REFORMDASH_STRICT", "1")


def make_project(target: Path, overlay: Path | None = None, with_reports: bool = False) -> Path:
    """A copy of the project's catalogue, templates and assets, optionally with the
    bundled reports, with `overlay` (a folder mirroring the project) copied on top."""
    target.mkdir(parents=True, exist_ok=True)
    for name in ("templates", "assets"):
        shutil.copytree(ROOT / name, target / name)
    data = target / "data"
    for name in ("catalogue", "forms"):
        shutil.copytree(ROOT / "data" / name, data / name)
    for name in ("departments.yaml", "periods.yaml", "site.yaml"):
        shutil.copy(ROOT / "data" / name, data / name)
    if with_reports:
        for report in ROOT.glob("data/*/*.yaml"):
            if report.parent.name not in ("catalogue", "forms", "releases") and report.name != "units.yaml":
                (data / report.parent.name).mkdir(exist_ok=True)
                shutil.copy(report, data / report.parent.name / report.name)
        shutil.copytree(ROOT / "content", target / "content")
    (target / "content").mkdir(exist_ok=True)
    if overlay is not None:
        shutil.copytree(overlay, target, dirs_exist_ok=True)
    return target


def read(site: Path, path: str) -> str:
    """A built page's HTML."""
    return (site / path).read_text(encoding="utf-8")


def build_bundled_site(tmp_path_factory, name: str) -> Path:
    """The bundled data built into a throw-away project's site/ (for a module-scoped fixture)."""
    from reformdash.pipeline import Project, build

    root = make_project(tmp_path_factory.mktemp(name) / "p", with_reports=True)
    build(Project.at(root))
    return root / "site"


@pytest.fixture
def project_factory(tmp_path: Path):
    counter = iter(range(1000))

    def factory(overlay: Path | None = None, with_reports: bool = False) -> Path:
        return make_project(tmp_path / f"project-{next(counter)}", overlay, with_reports)

    return factory
