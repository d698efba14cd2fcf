"""The command line's own behaviour: which commands it offers, and what a command costs to start."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _python(code: str) -> str:
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_a_build_does_not_import_the_other_commands_or_the_web_client() -> None:
    # Every build pays for what it imports: the synthesiser, the importers (python-docx, openpyxl), the
    # preview server and urllib's HTTP client are not a build's.
    out = _python(
        "import sys\n"
        "from reformdash.cli import main\n"
        "try:\n    main(['build', '--help'])\nexcept SystemExit:\n    pass\n"
        "print('|'.join(sorted(m for m in sys.modules if m.startswith(('reformdash.devtools.synth', 'reformdash.importers',"
        " 'reformdash.preview', 'reformdash.devtools.bench', 'livereload', 'docx', 'openpyxl'))"
        " or m in ('urllib.request', 'http.client'))))\n")
    assert out.splitlines()[-1] == ""


def test_help_lists_every_command() -> None:
    out = _python("from reformdash.cli import main\ntry:\n    main(['--help'])\nexcept SystemExit:\n    pass\n")
    listed = [line.split()[0] for line in out.split("commands:")[1].splitlines() if line.startswith("    ")
              and not line.startswith("     ")]
    assert listed == ["build", "check", "form", "forms", "import", "import-plan", "serve", "status", "release", "synth",
                      "bench"]


def test_the_number_of_processes_defaults_to_the_usable_cores_and_can_be_lowered(tmp_path) -> None:
    import os

    from reformdash.commands.common import project_of
    from reformdash.cli import _parser

    parse = _parser("build").parse_args
    (tmp_path / "data").mkdir()
    assert project_of(parse(["build", "--root", str(tmp_path)])).processes == len(os.sched_getaffinity(0))
    assert project_of(parse(["build", "--root", str(tmp_path), "-j", "1"])).processes == 1
    done = subprocess.run([sys.executable, str(ROOT / "build.py"), "check", "--processes", "0"], cwd=tmp_path,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 2
    assert done.stderr.splitlines()[-1] == ("build.py check: error: argument --processes/-j: 0 is not a number of "
                                           "processes: give a number from 1 to 256")


def test_quiet_prints_the_errors_only_when_the_run_fails_too(project_factory) -> None:
    """A failing check or build with --quiet: its errors, and the warnings counted, not printed."""
    root = project_factory(with_reports=True)
    departments = root / "data" / "departments.yaml"
    departments.write_text(departments.read_text(encoding="utf-8").replace("- id: snv\n", "- id: ../x\n", 1),
                           encoding="utf-8")
    for command in ("check", "build"):
        run = subprocess.run([sys.executable, str(ROOT / "build.py"), command, "-q", "--root", str(root)],
                             capture_output=True, text=True, check=False)
        assert run.returncode == 1
        lines = run.stderr.splitlines()
        assert lines[0].startswith("data/departments.yaml:") and " error E218: '../x' is not a valid ID" in lines[0]
        assert not [line for line in lines if ": warning W" in line]
        assert "1 error(s), 31 warning(s) (31 not shown: --quiet)" in lines


def test_a_folder_without_data_is_refused_by_every_project_command_and_left_as_it_was(tmp_path) -> None:
    """`build --root` with a mistyped folder: one message and exit 2, and nothing made there (a build had made
    .cache/ in it, so that a later `synth` into that folder was refused)."""
    empty = tmp_path / "empty"
    empty.mkdir()
    missing = tmp_path / "missing"
    for command in (["build"], ["check"], ["status", "--period", "2023-q1"], ["release"],
                    ["form", "--department", "stnmt", "--period", "2023-q1"], ["forms", "--period", "2023-q1"]):
        for root in (empty, missing):
            done = subprocess.run([sys.executable, str(ROOT / "build.py"), *command, "--root", str(root)],
                                  capture_output=True, text=True, timeout=120)
            assert done.returncode == 2, (command, done.stderr)
            assert done.stderr == f"{command[0]}: there is no project at {root}: it has no data/ folder; run the " \
                                  "command in the project's folder, or name it with --root\n"
    assert list(empty.iterdir()) == [] and not missing.exists()
