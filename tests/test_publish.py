"""Publishing: reproducible output, and a killed build that leaves site/ as it was."""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from reformdash.pipeline import Project, build

ROOT = Path(__file__).resolve().parent.parent


def tree(directory: Path) -> dict[str, bytes]:
    return {p.relative_to(directory).as_posix(): p.read_bytes() for p in sorted(directory.rglob("*")) if p.is_file()}


def test_two_builds_of_the_same_input_are_byte_identical(project_factory, tmp_path) -> None:
    first, second = project_factory(with_reports=True), project_factory(with_reports=True)
    build(Project.at(first))
    # the second build draws its charts afresh, in another folder, into another output path
    os.environ["REFORMDASH_CACHE_DIR"], saved = str(tmp_path / "fresh-cache"), os.environ["REFORMDASH_CACHE_DIR"]
    try:
        build(Project.at(second, site_dir=second / "elsewhere"))
    finally:
        os.environ["REFORMDASH_CACHE_DIR"] = saved
    one, two = tree(first / "site"), tree(second / "elsewhere")
    assert one.keys() == two.keys()
    assert [name for name in one if one[name] != two[name]] == []
    assert len(one) > 200


def test_pages_rendered_by_one_process_or_shared_among_workers_are_the_same(project_factory) -> None:
    import dataclasses

    from reformdash.output import render

    root = project_factory(with_reports=True)
    shared = Project.at(root, site_dir=root / "shared")
    assert shared.processes == 2
    result = build(shared)
    assert result.pages_rebuilt >= render.ENOUGH_TO_SHARE  # so the pages were shared among workers
    alone = build(dataclasses.replace(Project.at(root, site_dir=root / "alone"), processes=1))
    one, two = tree(root / "shared"), tree(root / "alone")
    assert one.keys() == two.keys() and [name for name in one if one[name] != two[name]] == []
    # the workers placed their pages themselves: their counts came back
    assert result.files_written == alone.files_written == len(one)


def test_an_unchanged_file_that_cannot_be_linked_is_copied_from_the_previous_site(tmp_path, monkeypatch) -> None:
    from reformdash.output import write
    from reformdash.output.write import OutputFile, Staging, write_site

    site = tmp_path / "site"
    write_site([OutputFile("a/index.html", "Trang cũ".encode())], tmp_path / "no-assets", site)

    def refuse(source, target):
        raise OSError("cross-device link")

    monkeypatch.setattr(write.os, "link", refuse)
    staging = Staging(site)
    staging.add(OutputFile("a/index.html", b"", unchanged=True))  # its content was never read
    staging.add(OutputFile("b.txt", b"new"))
    result = staging.publish(tmp_path / "no-assets")
    assert tree(site) == {"a/index.html": "Trang cũ".encode(), "b.txt": b"new", write.MARKER: write.MARKER_TEXT}
    assert (result.files, result.written) == (3, 3)  # (the marker could not be linked either: written)


def test_a_build_killed_while_writing_leaves_site_unchanged(project_factory) -> None:
    root = project_factory(with_reports=True)
    build(Project.at(root))
    published = tree(root / "site")
    about = root / "content" / "gioi-thieu.md"
    killed_while_writing = 0
    for attempt in range(8):
        about.write_text(about.read_text(encoding="utf-8") + f"\nLần {attempt}.\n", encoding="utf-8")
        process = subprocess.Popen([sys.executable, str(ROOT / "build.py"), "--root", str(root), "-q"],
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL)
        deadline = time.monotonic() + 60
        while process.poll() is None and time.monotonic() < deadline:
            if any(root.glob(".site.tmp-*")):  # the new site is being written beside the old one
                process.send_signal(signal.SIGKILL)
                process.wait()
                killed_while_writing += 1
                break
            time.sleep(0.001)
        process.wait()
        if process.returncode == -signal.SIGKILL:
            assert tree(root / "site") == published  # not one byte of the published site changed
        else:
            published = tree(root / "site")  # finished before we could stop it: that is the new site
    assert killed_while_writing >= 1
    # the next build clears what the killed one left behind and publishes normally
    build(Project.at(root))
    assert not list(root.glob(".site.tmp-*")) and (root / "site" / "index.html").is_file()


def test_a_rebuild_after_one_change_redoes_only_what_it_affects_and_equals_a_clean_build(project_factory, tmp_path,
                                                                                       monkeypatch) -> None:
    import reformdash.opendata as opendata

    root = project_factory(with_reports=True)
    project = Project.at(root, processes=1)  # (the open data made in this process, where its files are counted)
    build(project)
    assert build(project).pages_rebuilt == 0  # nothing changed, nothing redone
    made_years: list[list[int]] = []
    values_csv = opendata.values_csv
    monkeypatch.setattr(opendata, "values_csv", lambda cat, of_year, *more: made_years.append(
        sorted({cat.periods[c.report.period].year for c in of_year})) or values_csv(cat, of_year, *more))
    before = tree(root / "site")
    report = root / "data" / "stnmt" / "2023-q1.yaml"
    report.write_text(report.read_text(encoding="utf-8").replace("case_files_received: 161",
                                                                 "case_files_received: 162"), encoding="utf-8")
    years = {year: os.stat(root / "site" / "du-lieu" / f"gia-tri-{year}.csv").st_ino for year in (2021, 2022, 2023)}
    result = build(project)
    # the values file of the report's year is made again; the other years' are the published files, kept as they are
    assert {year: os.stat(root / "site" / "du-lieu" / f"gia-tri-{year}.csv").st_ino == inode
            for year, inode in years.items()} == {2021: True, 2022: True, 2023: False}
    assert made_years == [[2023]]  # (and the others not even made: a change costs its year's file only)
    # the report, its department and period, that indicator, and the few pages summarising everything,
    # in each of the two languages
    assert 0 < result.pages_rebuilt < 30
    incremental = tree(root / "site")
    changed = sorted(name for name in incremental if before.get(name) != incremental[name])
    # the pages showing the figure, and the downloads holding it
    assert [n for n in changed if n.endswith(".html")] == ["chi-tieu/case-files-received/index.html",
                                                          "en/chi-tieu/case-files-received/index.html",
                                                          "en/stnmt/2023-q1/index.html", "stnmt/2023-q1/index.html"]
    assert result.files_written == len(changed)
    clean = project_factory(with_reports=True)
    (clean / "data" / "stnmt" / "2023-q1.yaml").write_bytes(report.read_bytes())
    os.environ["REFORMDASH_CACHE_DIR"], saved = str(tmp_path / "clean-cache"), os.environ["REFORMDASH_CACHE_DIR"]
    try:
        build(Project.at(clean))
    finally:
        os.environ["REFORMDASH_CACHE_DIR"] = saved
    assert tree(clean / "site") == incremental


def _previous_site(tmp_path: Path) -> Path:
    from reformdash.output.write import OutputFile, write_site

    site = tmp_path / "site"
    write_site([OutputFile(path, path.encode()) for path in
                ("index.html", "a/index.html", "a/q1/index.html", "a/q1/so-lieu.csv", "a/q2/index.html",
                 "b/index.html", "b/q1/index.html")], tmp_path / "no-assets", site)
    return site


def test_kept_files_are_linked_and_the_published_site_is_not_touched_before_the_swap(tmp_path) -> None:
    from reformdash.output.write import MARKER, MARKER_TEXT, OutputFile, Staging

    site = _previous_site(tmp_path)
    published = tree(site)
    inodes = {name: os.stat(site / name).st_ino for name in ("a/q1/index.html", "b/index.html")}
    staging = Staging(site)
    staging.add(OutputFile("index.html", b"new home"))
    staging.add(OutputFile("a/q2/index.html", b"changed"))
    kept = staging.keep({"a/index.html", "a/q1/index.html", "a/q1/so-lieu.csv", "b/index.html",
                         "b/q1/index.html", "c/index.html"})  # (c was never published)
    assert sorted(kept) == ["a/index.html", "a/q1/index.html", "a/q1/so-lieu.csv", "b/index.html", "b/q1/index.html"]
    assert tree(site) == published  # until the swap, readers see the previous site whole
    staging.publish(tmp_path / "no-assets")
    assert tree(site) == {"index.html": b"new home", "a/index.html": b"a/index.html",
                          "a/q1/index.html": b"a/q1/index.html", "a/q1/so-lieu.csv": b"a/q1/so-lieu.csv",
                          "a/q2/index.html": b"changed", "b/index.html": b"b/index.html",
                          "b/q1/index.html": b"b/q1/index.html", MARKER: MARKER_TEXT}
    # the kept files are the very same files, linked
    assert [os.stat(site / name).st_ino == number for name, number in inodes.items()] == [True, True]


def test_a_publish_that_fails_leaves_the_previous_site_as_it_was(tmp_path, monkeypatch) -> None:
    from reformdash.output import write
    from reformdash.output.write import OutputFile, Staging

    site = _previous_site(tmp_path)
    published = tree(site)
    staging = Staging(site)
    staging.add(OutputFile("index.html", b"new home"))
    staging.keep({"a/index.html", "b/index.html"})

    def fail(first: str, second: str) -> bool:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(write, "_exchange", fail)
    with pytest.raises(OSError, match="No space left"):
        staging.publish(tmp_path / "no-assets")
    assert tree(site) == published
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]  # staging thrown away


# -- the spare: the site a swap replaced, taken as the next build's staging directory -----------------------
def _generation(tmp_path: Path, files: dict[str, bytes], monkeypatch=None) -> dict[str, bytes]:
    """Publish `files` with write_site; returns the published site as it stood at the moment of the swap."""
    from reformdash.output import write

    site = tmp_path / "site"
    seen: dict[str, bytes] = {}
    if monkeypatch is not None:
        exchange = write._exchange

        def looking(first: str, second: str) -> bool:
            seen.update(tree(site))
            return exchange(first, second)

        monkeypatch.setattr(write, "_exchange", looking)
    write.write_site([write.OutputFile(path, content) for path, content in files.items()], tmp_path / "no-assets",
                     site)
    write.removal_done()
    return seen


def test_a_rebuild_from_the_spare_changes_what_differs_and_never_the_published_files(tmp_path, monkeypatch) -> None:
    from reformdash.output.write import MARKER, MARKER_TEXT

    site = tmp_path / "site"
    first = {"index.html": b"1", "b/index.html": b"b", "c/q1/so-lieu.csv": b"c", "d": b"a file"}
    second = {"index.html": b"2", "b/index.html": b"b", "d/index.html": b"a folder", "e/index.html": b"e"}
    third = {"index.html": b"3", "b/index.html": b"b changed", "c/q1/so-lieu.csv": b"c again", "d": b"a file again",
             "e/index.html": b"e"}
    _generation(tmp_path, first)
    assert not (tmp_path / ".site.spare").exists()  # (nothing was replaced)
    _generation(tmp_path, second)
    assert tree(site) == {**second, MARKER: MARKER_TEXT}
    assert tree(tmp_path / ".site.spare") == {**first, MARKER: MARKER_TEXT}  # the replaced site, kept
    unchanged = os.stat(site / "e/index.html").st_ino
    published_b = os.stat(site / "b/index.html").st_ino
    # The third build is made in the spare, whose b/index.html is the published file itself (a link):
    # changing it there must not change the published site before the swap.
    seen = _generation(tmp_path, third, monkeypatch)
    assert seen == {**second, MARKER: MARKER_TEXT}
    assert tree(site) == {**third, MARKER: MARKER_TEXT}
    assert os.stat(site / "e/index.html").st_ino == unchanged  # kept as it was
    assert tree(tmp_path / ".site.spare") == {**second, MARKER: MARKER_TEXT}
    assert os.stat(tmp_path / ".site.spare/b/index.html").st_ino == published_b
    assert sorted(p.name for p in tmp_path.iterdir()) == [".site.spare", "site"]
    # folders the new site no longer has are gone with their files
    assert sorted(p.name for p in site.iterdir()) == [MARKER, "b", "c", "d", "e", "index.html"]


def test_a_site_replaced_by_other_means_shares_no_file_with_the_spare_and_is_built_right(tmp_path) -> None:
    from reformdash.output.write import MARKER, MARKER_TEXT

    site = tmp_path / "site"
    _generation(tmp_path, {"index.html": b"1", "a/index.html": b"a"})
    _generation(tmp_path, {"index.html": b"2", "a/index.html": b"a"})
    # someone puts another site in place (a copy, then changed by hand): its files are not the spare's links
    shutil.copytree(site, tmp_path / "copy")
    shutil.rmtree(site)
    (tmp_path / "copy").rename(site)
    (site / "a/index.html").write_bytes(b"by hand")
    _generation(tmp_path, {"index.html": b"3", "a/index.html": b"by hand", "n/index.html": b"n"})
    assert tree(site) == {"index.html": b"3", "a/index.html": b"by hand", "n/index.html": b"n", MARKER: MARKER_TEXT}
    assert sorted(p.name for p in tmp_path.iterdir()) == [".site.spare", "site"]
    assert tree(tmp_path / ".site.spare") == {"index.html": b"2", "a/index.html": b"by hand", MARKER: MARKER_TEXT}


def test_a_build_that_fails_in_the_spare_leaves_the_site_and_the_next_build_starts_afresh(tmp_path,
                                                                                        monkeypatch) -> None:
    from reformdash.output import write
    from reformdash.output.write import MARKER, MARKER_TEXT, OutputFile, Staging

    site = tmp_path / "site"
    _generation(tmp_path, {"index.html": b"1", "a/index.html": b"a"})
    _generation(tmp_path, {"index.html": b"2", "a/index.html": b"a"})
    published = tree(site)
    staging = Staging(site)
    assert staging.spare is not None and staging.path.is_dir() and not (tmp_path / ".site.spare").exists()
    staging.add(OutputFile("index.html", b"3"))

    def fail(first: str, second: str) -> bool:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(write, "_exchange", fail)
    with pytest.raises(OSError, match="No space left"):
        staging.publish(tmp_path / "no-assets")
    monkeypatch.undo()
    assert tree(site) == published
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]  # the spare went with the failed build
    _generation(tmp_path, {"index.html": b"4", "a/index.html": b"a"})
    assert tree(site) == {"index.html": b"4", "a/index.html": b"a", MARKER: MARKER_TEXT}


def test_a_file_linked_into_the_spare_by_hand_is_replaced_not_written_through(tmp_path,
                                                                                       monkeypatch) -> None:
    from reformdash.output.write import MARKER, MARKER_TEXT

    site = tmp_path / "site"
    _generation(tmp_path, {"index.html": b"1"})
    _generation(tmp_path, {"index.html": b"2", "x.html": b"x"})
    os.link(site / "x.html", tmp_path / ".site.spare/x.html")  # put there by hand: the same file as the published
    seen = _generation(tmp_path, {"index.html": b"3", "x.html": b"changed"}, monkeypatch)
    assert seen == {"index.html": b"2", "x.html": b"x", MARKER: MARKER_TEXT}
    assert tree(site) == {"index.html": b"3", "x.html": b"changed", MARKER: MARKER_TEXT}


def test_what_was_put_into_the_spare_or_the_site_by_hand_is_never_taken_for_the_published_file(tmp_path) -> None:
    from reformdash.output.write import MARKER, MARKER_TEXT

    site, spare = tmp_path / "site", tmp_path / ".site.spare"
    files = {"index.html": b"1", "a/q1/index.html": b"a", "b/index.html": b"b", "robots.txt": b"r"}
    _generation(tmp_path, files)
    _generation(tmp_path, {**files, "index.html": b"2"})
    outside = tmp_path / "outside"
    (outside / "q1").mkdir(parents=True)
    (outside / "q1" / "index.html").write_bytes(b"not the site's")
    shutil.rmtree(spare / "a")
    (spare / "a").symlink_to(outside)  # a folder of the spare linked out of it
    (spare / "b/index.html").unlink()
    (spare / "b/index.html").write_bytes(b"EVIL")  # a file of the spare changed (a new file, not the link)
    (spare / "robots.txt").unlink()
    (spare / "robots.txt").symlink_to("/etc/hostname")
    (site / "b/stray.html").write_bytes(b"added to the published site by hand")
    _generation(tmp_path, {**files, "index.html": b"3", "a/q1/index.html": b"a changed"})
    assert (outside / "q1" / "index.html").read_bytes() == b"not the site's"
    assert tree(site) == {**files, "index.html": b"3", "a/q1/index.html": b"a changed", MARKER: MARKER_TEXT}
    assert not any(p.is_symlink() for p in site.rglob("*"))
    _generation(tmp_path, {**files, "index.html": b"4"})  # the spare now holds the hand-added file: removed
    assert tree(site) == {**files, "index.html": b"4", MARKER: MARKER_TEXT}


def test_the_sweep_of_killed_builds_folders_removes_only_what_a_build_names_so(tmp_path) -> None:
    """An output folder named "*" (or with "[" or "?") made the sweep's pattern match the clerk's own folders
    beside it, and ".site.old-backup" was removed as a killed build's: only ".<name>.tmp-<pid>", ".<name>.old-<pid>"
    and ".<name>.old-spare-<pid>" of a process no longer running are a build's leftovers."""
    from reformdash.output.write import Staging

    dead = 2 ** 22 + 12345  # (above the kernel's largest process number: no such process)
    for name in ("*", "site[1]", "site"):
        parent = tmp_path / name.replace("*", "star").replace("[", "").replace("]", "")
        clerks = [parent / folder for folder in (".config.old-settings", ".luan-van.tmp-ban-nhap",
                                                 f".{name}.old-backup", f".{name}x.tmp-{dead}")]
        leftovers = [parent / f".{name}.{kind}-{dead}" for kind in ("tmp", "old", "old-spare")]
        for folder in clerks + leftovers:
            (folder / "inside").mkdir(parents=True)
        Staging(parent / name).discard()
        assert [folder.name for folder in clerks if not folder.is_dir()] == [], name
        assert [folder.name for folder in leftovers if folder.exists()] == [], name
