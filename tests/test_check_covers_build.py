"""`check` reports everything `build` refuses before it reads anything (links leaving the project under
content/, assets/ and templates/; Markdown nested too deeply), together with the other problems of the run,
and `build` prints each of them once. `release`, gated by `check`, records nothing then."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SUMMARY_HINT = "    hint: copy the file into the project instead of linking to it: nothing outside the project is read"


def run(root: Path, *command: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(ROOT / "build.py"), *command, "--root", str(root)],
                          capture_output=True, text=True, timeout=300)


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    secret = tmp_path / "outside" / "x.md"
    secret.parent.mkdir()
    secret.write_text("Bí mật\n", encoding="utf-8")
    return secret.resolve()


def content_line(secret: Path) -> list[str]:
    return [f"content/gioi-thieu.md: error E109: the file is a link to {secret}, outside the project", SUMMARY_HINT]


def asset_lines(secret: Path) -> list[str]:
    return [f"assets/evil: error E906: 'assets/evil' is a link to a file outside the project ({secret}); it would "
            "be published", "    hint: copy the file into assets/ instead of linking it"]


def template_lines(secret: Path, name: str = "templates/evil") -> list[str]:
    return [f"{name}: error E412: '{name}' is a link to a file outside the project ({secret}); it would be "
            "read as a template and published", "    hint: copy the file into templates/ instead of linking it"]


def errors_of(output: str) -> list[str]:
    """The error lines and their hints, as printed."""
    lines, out = output.splitlines(), []
    for n, line in enumerate(lines):
        if ": error " in line:
            out += [line, lines[n + 1]]
    return out


def test_a_content_page_linked_outside_fails_check(project_factory, outside) -> None:
    root = project_factory(with_reports=True)
    (root / "content" / "gioi-thieu.md").unlink()
    (root / "content" / "gioi-thieu.md").symlink_to(outside)
    checked = run(root, "check")
    assert checked.returncode == 1
    assert errors_of(checked.stderr) == content_line(outside)
    assert checked.stderr.splitlines()[-2:] == ["1 error(s), 31 warning(s)", "check failed"]
    built = run(root, "build")
    assert built.returncode == 1
    assert errors_of(built.stderr) == content_line(outside)  # once
    assert built.stderr.count("E109") == 1 and not (root / "site").exists()


def test_an_asset_linked_outside_fails_check(project_factory, outside) -> None:
    root = project_factory(with_reports=True)
    (root / "assets" / "evil").symlink_to(outside)
    checked = run(root, "check")
    assert checked.returncode == 1
    assert errors_of(checked.stderr) == asset_lines(outside)
    built = run(root, "build")
    assert built.returncode == 1
    assert errors_of(built.stderr) == asset_lines(outside) and built.stderr.count("E906") == 1


def test_a_template_linked_outside_fails_check(project_factory, outside) -> None:
    root = project_factory(with_reports=True)
    (root / "templates" / "evil").symlink_to(outside)
    checked = run(root, "check")
    assert checked.returncode == 1
    assert errors_of(checked.stderr) == template_lines(outside)
    built = run(root, "build")
    assert built.returncode == 1
    assert errors_of(built.stderr) == template_lines(outside) and built.stderr.count("E412") == 1


def test_a_translation_linked_outside_is_not_read(project_factory, tmp_path) -> None:
    """templates/i18n/vi.yaml leading outside: E412 for it, and load_languages does not read it (no E109)."""
    secret = tmp_path / "vi.yaml"
    secret.write_bytes((ROOT / "templates" / "i18n" / "vi.yaml").read_bytes())
    root = project_factory(with_reports=True)
    (root / "templates" / "i18n" / "vi.yaml").unlink()
    (root / "templates" / "i18n" / "vi.yaml").symlink_to(secret)
    checked = run(root, "check")
    assert checked.returncode == 1
    assert errors_of(checked.stderr) == template_lines(secret.resolve(), "templates/i18n/vi.yaml")


def test_every_problem_of_the_run_is_reported_together(project_factory, outside) -> None:
    root = project_factory(with_reports=True)
    (root / "content" / "gioi-thieu.md").unlink()
    (root / "content" / "gioi-thieu.md").symlink_to(outside)
    (root / "assets" / "evil").symlink_to(outside)
    (root / "templates" / "evil").symlink_to(outside)
    report = root / "data" / "stnmt" / "2023-q1.yaml"
    report.write_text(report.read_text(encoding="utf-8").replace("department: stnmt", "department: stnmt\nextra: 1", 1),
                      encoding="utf-8")
    checked = run(root, "check")
    assert checked.returncode == 1
    assert errors_of(checked.stderr) == asset_lines(outside) + content_line(outside) + [
        "data/stnmt/2023-q1.yaml:4:1: error E202: unknown field 'extra' in report",
        "    hint: allowed: department, period, form, document, contacts, values, unplaced, acknowledged",
    ] + template_lines(outside)
    # release is gated by check: nothing recorded
    released = run(root, "release", "--date", "2023-04-15")
    assert released.returncode == 1 and not (root / "data" / "releases").exists()
    # build reports the very same problems, each once, and publishes nothing
    built = run(root, "build")
    assert built.returncode == 1 and errors_of(built.stderr) == errors_of(checked.stderr)
    assert not (root / "site").exists()


def test_a_narrative_nested_too_deeply_fails_check_once(project_factory) -> None:
    root = project_factory(with_reports=True)
    (root / "content" / "stnmt" / "2023-q1.md").write_text("Mở đầu\n\n" + "".join(
        "    " * i + ("1. " if i % 2 else "- ") + "mục\n\n" for i in range(45)), encoding="utf-8")
    expected = ["content/stnmt/2023-q1.md:83:1: error E132: lists, quotes or indents nested more than 40 levels deep",
                "    hint: nest fewer levels: a page shows a few levels of a list at most"]
    checked = run(root, "check")
    assert checked.returncode == 1 and errors_of(checked.stderr) == expected
    built = run(root, "build")
    assert built.returncode == 1 and errors_of(built.stderr) == expected and built.stderr.count("E132") == 1


def test_misnamed_content_files_are_named(project_factory) -> None:
    root = project_factory(with_reports=True)
    content = root / "content"
    for name in ("stnmt/2023-q1.MD", "stnmt/2023-q1.markdown", "stnmt/2023-q1.md.txt", "stnmt/2023-q2.md",
                 "STNMT/2023-q1.md", "stnmt/.2023-q1.md.swp", "gioi-thieu.fr.md"):
        (content / name).parent.mkdir(exist_ok=True)
        (content / name).write_text("Văn bản\n", encoding="utf-8")
    (root / "data" / "stnmt" / "2023-q1.json").write_text("{}\n", encoding="utf-8")
    checked = run(root, "check")
    assert checked.returncode == 0
    lines = checked.stderr.splitlines()
    w220 = [shown for n, line in enumerate(lines) if "W220" in line for shown in (line, lines[n + 1])]
    narrative = "    hint: name it content/stnmt/2023-q1.md: a narrative is read only as content/<department>/<period>.md"
    assert w220 == [
        "content/STNMT/2023-q1.md: warning W220: this file looks like a narrative but is not read", narrative,
        "content/stnmt/2023-q1.MD: warning W220: this file looks like a narrative but is not read", narrative,
        "content/stnmt/2023-q1.markdown: warning W220: this file looks like a narrative but is not read", narrative,
        "content/stnmt/2023-q1.md.txt: warning W220: this file looks like a narrative but is not read", narrative,
        "content/stnmt/2023-q2.md: warning W220: this file looks like a narrative but is not read",
        "    hint: there is no report data/stnmt/2023-q2.yaml: a narrative is read only as "
        "content/<department>/<period>.md, beside its report data/<department>/<period>.yaml",
        "data/stnmt/2023-q1.json: warning W220: this file looks like a report but is not read",
        "    hint: write it as YAML in data/stnmt/2023-q1.yaml: only data/<department>/<period>.yaml files are read",
    ]
