"""The README documents every command and every problem code the engine can report."""
from __future__ import annotations

import re
from pathlib import Path

from reformdash.commands import COMMANDS

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_every_command_is_in_the_readme() -> None:
    missing = [name for name in COMMANDS if f"python build.py {name}" not in README]
    assert missing == []


def test_every_problem_code_is_in_the_readme() -> None:
    codes = set()
    for path in (ROOT / "reformdash").rglob("*.py"):
        codes |= set(re.findall(r'"([EW]\d{3})"', path.read_text(encoding="utf-8")))
    documented = set(re.findall(r"\b[EW]\d{3}\b", README))
    ranges = re.findall(r"\b([EW])(\d{3})[–-][EW]?(\d{3})\b", README)
    for letter, low, high in ranges:
        documented |= {f"{letter}{n}" for n in range(int(low), int(high) + 1)}
    assert sorted(codes - documented) == []
    assert len(codes) > 40


def test_the_two_setup_commands_are_there() -> None:
    assert "python3 -m pip install . && python3 build.py" in README
    assert "sh tools/install-test-deps.sh && python3 -m pytest" in README
