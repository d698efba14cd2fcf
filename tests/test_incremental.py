"""A rebuild after one edit equals a clean build, byte for byte, whatever kind of input was edited.

Each case edits one input of a built project, rebuilds it in place (reusing its site, its caches and
the run's chart cache), then builds a copy of the edited project from nothing (no site, a chart
cache of its own) and compares every file. A page or chart whose cache key leaves out something it
shows fails here: editing `percent:` in en.yaml served charts drawn with the old format until the
charts were keyed on their labels as drawn.
"""
from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Callable

import pytest

from reformdash.cli import main
from reformdash.pipeline import BuildResult, Project, build
from test_publish import tree


def replace_once(root: Path, name: str, old: str, new: str) -> None:
    path = root / name
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{name}: '{old}' should stand there once"
    path.write_text(text.replace(old, new), encoding="utf-8")


def add_report(root: Path) -> None:
    text = (root / "data/sct/2021-h1.yaml").read_text(encoding="utf-8")
    assert text.count("period: 2021-h1") == 1
    (root / "data/sct/2021-q3.yaml").write_text(text.replace("period: 2021-h1", "period: 2021-q3"), encoding="utf-8")


def delete_report(root: Path) -> None:
    (root / "data/stnmt/2022-q3.yaml").unlink()
    (root / "content/stnmt/2022-q3.md").unlink()


def add_plan_status(root: Path) -> None:
    (root / "data/sgddt/plan-2023-status-2023-q1.yaml").write_text(
        'department: sgddt\nplan: 2023\nperiod: 2023-q1\nstatuses:\n'
        '  "1": {status: done, date_done: 2023-02-20, evidence: "Kế hoạch số 12/KH-SGDĐT"}\n', encoding="utf-8")


def record_release(root: Path) -> None:
    assert main(["release", "--root", str(root), "--date", "2023-04-15", "--title", "Số liệu quý I/2023",
                 "--quiet"]) == 0


EDITS: dict[str, Callable[[Path], None]] = {
    "a report's value": lambda r: replace_once(r, "data/stnmt/2023-q1.yaml", "plan_tasks_planned: 22",
                                               "plan_tasks_planned: 23"),
    "a report's note": lambda r: replace_once(r, "data/stnmt/2023-q1.yaml", "Đang triển khai thực hiện kế hoạch",
                                              "Đang triển khai kế hoạch"),
    # (the computed share's page shows "Không tính được", not "Không báo cáo": its cells change with no figure)
    "a share no longer computable": lambda r: replace_once(r, "data/stnmt/2023-q1.yaml",
                                                           "outgoing_documents_fully_electronic: 987",
                                                           "outgoing_documents_fully_electronic: 4164"),
    "a report added": add_report,
    "a report deleted": delete_report,
    "a plan status": add_plan_status,
    "a release": record_release,
    "areas.yaml": lambda r: replace_once(r, "data/catalogue/areas.yaml", "label_vi: Cải cách thể chế",
                                         "label_vi: Cải cách thể chế pháp luật"),
    "checks.yaml": lambda r: replace_once(r, "data/catalogue/checks.yaml",
                                          "Số văn bản khác số văn bản được liệt kê trong ghi chú",
                                          "Số văn bản khác số văn bản kể ra trong ghi chú"),
    "headlines.yaml": lambda r: replace_once(r, "data/catalogue/headlines.yaml",
                                             "label_vi: Hoàn thành kế hoạch CCHC", "label_vi: Hoàn thành kế hoạch"),
    "indicators.yaml": lambda r: replace_once(r, "data/catalogue/indicators.yaml",
                                              'label_vi: "Số nhiệm vụ đề ra trong kế hoạch"',
                                              'label_vi: "Số nhiệm vụ trong kế hoạch"'),
    "indicators-2021.yaml": lambda r: replace_once(r, "data/catalogue/indicators-2021.yaml",
                                                   'label_en: "Yearly reform plan issued"',
                                                   'label_en: "Yearly reform plan adopted"'),
    "a form version": lambda r: replace_once(r, "data/forms/cchc-2021.yaml", "label_vi: Mẫu thống kê CCHC năm 2021",
                                             "label_vi: Mẫu thống kê CCHC (2021)"),
    "value-kinds.yaml": lambda r: replace_once(r, "data/catalogue/value-kinds.yaml", "{vi: Có vi phạm, en: Violation found}",
                                               "{vi: Có vi phạm, en: Breach found}"),
    "a department's name": lambda r: replace_once(r, "data/departments.yaml", "name_vi: Sở Công Thương",
                                                  "name_vi: Sở Công thương"),
    "a period's dates": lambda r: replace_once(r, "data/periods.yaml", "start: 2023-01-01\n  end: 2023-03-31",
                                               "start: 2023-01-01\n  end: 2023-03-20"),
    "en.yaml percent": lambda r: replace_once(r, "templates/i18n/en.yaml", 'percent: "{number}%"',
                                              'percent: "{number} per cent"'),
    "vi.yaml": lambda r: replace_once(r, "templates/i18n/vi.yaml", 'percent: "{number}\\u00a0%"',
                                      'percent: "{number}%"'),
    "site.yaml": lambda r: replace_once(r, "data/site.yaml", "title_vi: Theo dõi tiến độ cải cách hành chính",
                                        "title_vi: Tiến độ cải cách hành chính"),
    "a template": lambda r: replace_once(r, "templates/_kpi.html", '<div class="kpi">',
                                                '<div class="kpi" data-kind="headline">'),
    "an asset": lambda r: (r / "assets/favicon.svg").write_text(
        (r / "assets/favicon.svg").read_text(encoding="utf-8") + "\n<!-- edited -->\n", encoding="utf-8"),
    "a narrative": lambda r: (r / "content/stnmt/2023-q1.md").write_text(
        (r / "content/stnmt/2023-q1.md").read_text(encoding="utf-8") + "\nĐoạn bổ sung sau khi gửi báo cáo.\n",
        encoding="utf-8"),
}


def _copy_inputs(source: Path, target: Path) -> Path:
    for name in ("data", "content", "templates", "assets"):
        shutil.copytree(source / name, target / name)
    return target


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    from conftest import make_project

    root = make_project(tmp_path_factory.mktemp("incremental") / "p", with_reports=True)
    build(Project.at(root))
    return root


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory) -> Path:
    """A small synthetic province: enough bodies for the ranking bar charts, whose bars carry labels."""
    root = tmp_path_factory.mktemp("incremental-synthetic") / "p"
    assert main(["synth", str(root), "--bodies", "6", "--years", "1", "--seed", "1"]) == 0
    build(Project.at(root))
    assert '%</text>' in (root / "site/en/chi-tieu/case-files-on-time-rate/index.html").read_text(encoding="utf-8")
    return root


# A release cannot be undone: the build refuses to drop a published release's archive.
FINAL = {"a release"}


@pytest.mark.parametrize("edit", EDITS)
def test_one_edit_rebuilt_in_place_equals_a_clean_build(built, tmp_path, edit) -> None:
    if edit in FINAL:
        from conftest import make_project

        built = make_project(tmp_path / "own", with_reports=True)
        build(Project.at(built))
        build(Project.at(built))  # (a rebuild: the next one starts from the spare, as a clerk's does)
    result = assert_rebuild_equals_clean_build(built, tmp_path, EDITS[edit], undo=edit not in FINAL)
    if edit in ("a report's value", "a report's note"):  # the rebuild kept most pages: their keys were read
        assert 0 < result.pages_rebuilt < result.pages / 20


# The catalogue files only the importers read: an edit changes no page, and the rebuild is still a clean build's.
IMPORT_ONLY = {
    "plan-groups.yaml": lambda r: (r / "data/catalogue/plan-groups.yaml").write_text(
        (r / "data/catalogue/plan-groups.yaml").read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8"),
    "spelling-variants.yaml": lambda r: replace_once(r, "data/catalogue/spelling-variants.yaml",
                                                     '{written: "đạo tào", standard: "đào tạo"}',
                                                     '{written: "đạo tạo", standard: "đào tạo"}'),
}


@pytest.mark.parametrize("edit", IMPORT_ONLY)
def test_an_edit_of_a_catalogue_file_only_the_import_reads_changes_nothing(built, tmp_path, edit) -> None:
    assert_rebuild_equals_clean_build(built, tmp_path, IMPORT_ONLY[edit], shows=False)


@pytest.mark.parametrize("language, old, new", [("en", 'percent: "{number}%"', 'percent: "{number} per cent"'),
                                                ("vi", 'percent: "{number}\\u00a0%"', 'percent: "{number}%"')])
def test_a_languages_percent_format_redraws_the_charts_labelled_with_it(synthetic, tmp_path, language, old,
                                                                        new) -> None:
    assert_rebuild_equals_clean_build(
        synthetic, tmp_path, lambda root: replace_once(root, f"templates/i18n/{language}.yaml", old, new))


INPUTS = ("data", "content", "templates", "assets")


def inputs_of(root: Path) -> dict[str, bytes]:
    return {f"{name}/{path}": content for name in INPUTS for path, content in tree(root / name).items()}


def restore(root: Path, inputs: dict[str, bytes]) -> None:
    """Undo an edit: files it added removed, files it changed or deleted written back."""
    now = inputs_of(root)
    for name in now.keys() - inputs.keys():
        (root / name).unlink()
    for name, content in inputs.items():
        if now.get(name) != content:
            (root / name).parent.mkdir(parents=True, exist_ok=True)
            (root / name).write_bytes(content)


def assert_rebuild_equals_clean_build(built: Path, tmp_path: Path, edit: Callable[[Path], None],
                                      shows: bool = True, undo: bool = True) -> BuildResult:
    """Edit the built project where it stands (the store of page keys belongs to its own site: a copy would
    rebuild every page and test none of the pages kept), rebuild, compare with a clean build of a copy of its
    inputs, then (`undo`) undo the edit and rebuild, which must give back the first site."""
    root = built
    before, inputs = tree(root / "site"), inputs_of(root)
    try:
        edit(root)
        result = build(Project.at(root))
        incremental = tree(root / "site")
        clean = _copy_inputs(root, tmp_path / "clean")
    finally:
        if undo:
            restore(root, inputs)
    assert (incremental != before) == shows, "the edit should show on the site" if shows else "nothing should change"
    os.environ["REFORMDASH_CACHE_DIR"], saved = str(tmp_path / "clean-cache"), os.environ["REFORMDASH_CACHE_DIR"]
    try:
        build(Project.at(clean))
    finally:
        os.environ["REFORMDASH_CACHE_DIR"] = saved
    fresh = tree(clean / "site")
    assert sorted(incremental.keys() ^ fresh.keys()) == []
    assert [name for name in fresh if fresh[name] != incremental[name]] == []
    if undo:
        build(Project.at(root))
        after = tree(root / "site")
        assert sorted(after.keys() ^ before.keys()) == [] and [n for n in before if before[n] != after[n]] == []
    return result


def test_edits_rebuilt_in_one_running_process_each_equal_a_clean_build(tmp_path) -> None:
    """As `serve` rebuilds: one process, one Session kept from build to build (its validated files, page
    digests, search documents and their encodings), several edits one after another: each site equals a
    clean build of the same inputs."""
    from conftest import make_project
    from reformdash.pipeline import Session

    root = make_project(tmp_path / "p", with_reports=True)
    project, session = Project.at(root), Session()
    build(project, session=session)
    for number, edit in enumerate(("a report's value", "a report's note", "a report added", "a narrative",
                                   "a share no longer computable", "a report deleted")):
        EDITS[edit](root)
        result = build(project, session=session)
        assert not result.problems.has_errors()
        clean = _copy_inputs(root, tmp_path / f"clean-{number}")
        os.environ["REFORMDASH_CACHE_DIR"], saved = str(tmp_path / f"clean-cache-{number}"), \
            os.environ["REFORMDASH_CACHE_DIR"]
        try:
            build(Project.at(clean))
        finally:
            os.environ["REFORMDASH_CACHE_DIR"] = saved
        incremental, fresh = tree(root / "site"), tree(clean / "site")
        assert sorted(incremental.keys() ^ fresh.keys()) == [], edit
        assert [name for name in fresh if fresh[name] != incremental[name]] == [], edit


def test_a_published_file_edited_in_site_is_made_again(tmp_path) -> None:
    """A page or download changed in site/ after it was published (by hand, a sync tool, a write through the
    spare's links) was kept by every later build, its wrong figure with it: the store of page keys knew the site's
    folder, not its files. Now each kept file must be the very file published."""
    from conftest import make_project

    root = make_project(tmp_path / "p", with_reports=True)
    build(Project.at(root))
    build(Project.at(root))  # (the second starts from the spare site, as a clerk's rebuild does)
    site = root / "site"
    page = site / "stnmt/2023-q1/index.html"
    html = page.read_text(encoding="utf-8")
    assert html.count('<data class="figure" value="22">22</data>') == 1
    page.write_text(html.replace('<data class="figure" value="22">22</data>', '<data class="figure" value="22">23'
                                 '</data>'), encoding="utf-8")  # (the same size: only the time tells)
    (site / "stnmt/2022-q3/index.html").write_bytes(b"")
    with open(site / "stnmt/2023-q1/so-lieu.csv", "ab") as download:
        download.write(b"x\r\n")
    # a page moved out and a link left in its place (the same bytes through it), a download made unreadable to
    # the web server: kept as they were, the link would be published, and the download answer 403
    moved = tmp_path / "moved.html"
    os.rename(site / "sct/index.html", moved)
    (site / "sct/index.html").symlink_to(moved)
    os.chmod(site / "sct/2021-h1/so-lieu.json", 0o600)
    result = build(Project.at(root))
    assert result.pages_rebuilt == 4
    assert not (site / "sct/index.html").is_symlink()
    assert os.stat(site / "sct/2021-h1/so-lieu.json").st_mode & 0o777 == os.stat(site / "index.html").st_mode & 0o777
    clean = _copy_inputs(root, tmp_path / "clean")
    os.environ["REFORMDASH_CACHE_DIR"], saved = str(tmp_path / "clean-cache"), os.environ["REFORMDASH_CACHE_DIR"]
    try:
        build(Project.at(clean))
    finally:
        os.environ["REFORMDASH_CACHE_DIR"] = saved
    incremental, fresh = tree(site), tree(clean / "site")
    assert sorted(incremental.keys() ^ fresh.keys()) == []
    assert [name for name in fresh if fresh[name] != incremental[name]] == []
