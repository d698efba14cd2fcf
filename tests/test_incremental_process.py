"""A clerk's `python build.py` after one edit equals a clean build, byte for byte.

test_incremental rebuilds in the test's own process, which keeps its caches in memory (as `serve`
does); here every build is a new process, so all that a rebuild reuses is what the last build left
on disk: the cache folder and the store of page keys beside the published site.

The project is built once; each case edits it where it stands, rebuilds it in a new process with
the same cache folder, and compares every file with a clean build of a copy of its inputs (a new
process, an empty cache folder of its own). The edit is made in place, not in a copy, because the
page store belongs to the site's own folder: a copied project rebuilds every page and would test
none of the pages reused. The edit is then undone and the rebuilt site must be the first build's
again, which leaves the project as it was for the next case.
"""
from __future__ import annotations

import os
import re
import shutil
from pathlib import Path
from typing import Callable

import pytest

from test_incremental import EDITS, INPUTS, inputs_of, restore
from test_publish import tree
from test_trust_publish import run

SUMMARY = re.compile(r"^wrote (\d+) pages to site/ \((\d+) rebuilt, (\d+) files changed, (\d+) charts drawn",
                     re.MULTILINE)
CASES = ("a report's value", "a plan status", "indicators.yaml", "a template", "an asset", "a report deleted",
         "a report added")


def build_in_new_process(root: Path, cache: Path) -> tuple[int, int, int]:
    """`python3 build.py --root ROOT` with this cache folder: (pages, pages rebuilt, charts drawn), as its
    summary line says."""
    done = run(root, "--quiet", env=dict(os.environ, REFORMDASH_CACHE_DIR=str(cache)))
    assert done.returncode == 0, done.stderr
    summary = SUMMARY.search(done.stderr)
    assert summary, done.stderr
    return int(summary[1]), int(summary[2]), int(summary[4])


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> tuple[Path, Path, dict[str, bytes], int]:
    """The bundled project built once in a new process: (project, its cache folder, its site, charts drawn)."""
    from conftest import make_project

    where = tmp_path_factory.mktemp("incremental-process")
    root, cache = make_project(where / "p", with_reports=True), where / "cache"
    pages, rebuilt, drawn = build_in_new_process(root, cache)
    assert rebuilt == pages > 0 and drawn > 0  # cold: every page and chart
    return root, cache, tree(root / "site"), drawn


@pytest.mark.parametrize("edit", CASES)
def test_one_edit_rebuilt_in_a_new_process_equals_a_clean_build(built, tmp_path, edit) -> None:
    assert_new_process_rebuild_equals_clean_build(built, tmp_path, EDITS[edit])


def assert_new_process_rebuild_equals_clean_build(built: tuple[Path, Path, dict[str, bytes], int],
                                                  tmp_path: Path, edit: Callable[[Path], None]) -> None:
    root, cache, first, cold_drawn = built
    inputs = inputs_of(root)
    try:
        edit(root)
        pages, rebuilt, drawn = build_in_new_process(root, cache)
        incremental = tree(root / "site")
        clean = tmp_path / "clean"
        for name in INPUTS:
            shutil.copytree(root / name, clean / name)
    finally:
        restore(root, inputs)
    assert incremental != first, "the edit should show on the site"
    # what the last build left on disk was used: pages kept (a template or an asset rebuilds every page
    # today) or charts taken from the cache
    assert rebuilt < pages or drawn < cold_drawn, f"nothing reused: {rebuilt} of {pages} pages, {drawn} charts"
    build_in_new_process(clean, tmp_path / "clean-cache")
    fresh = tree(clean / "site")
    assert sorted(incremental.keys() ^ fresh.keys()) == []
    assert [name for name in fresh if fresh[name] != incremental[name]] == []
    # the edit undone, the next new process publishes the first build's site again
    build_in_new_process(root, cache)
    after = tree(root / "site")
    assert sorted(after.keys() ^ first.keys()) == []
    assert [name for name in first if first[name] != after[name]] == []
