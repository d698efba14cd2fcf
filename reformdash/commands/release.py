"""release: record a release of the current data under data/releases/."""
from __future__ import annotations

import argparse
import re
import sys
import unicodedata
from datetime import date

from ..lock import ProjectBusy, project_lock
from ..pipeline import Project, check
from ..problems import BuildFailed
from ..inputs.releases import (HEAD, RELEASES, content_digest, diff, head_text, next_release_id, release_yaml,
                               snapshot_of)
from ..output.write import write_text_atomically
from .common import add_project_arguments, print_problems, project_of

HELP = "record a release: a dated snapshot of every published figure (refused while check reports errors)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_project_arguments(parser)
    parser.add_argument("--date", type=_day, default=None,
                        help="release date YYYY-MM-DD (default: today; a later day needs --allow-future-date)")
    parser.add_argument("--allow-future-date", action="store_true",
                        help="accept a --date after today: every page then says the data is as of that day, and no "
                             "release dated before it can be recorded")
    parser.add_argument("--title", default="", help='e.g. "Cập nhật số liệu quý I/2023"')


def _day(text: str) -> date:
    """--date: a day of the calendar written YYYY-MM-DD, in a sentence of ours when it is not."""
    try:
        if re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", text):
            return date.fromisoformat(text)
    except ValueError:
        pass
    raise argparse.ArgumentTypeError(f"'{text}' is not a day of the calendar written YYYY-MM-DD (e.g. 2023-04-15)")


def run(args: argparse.Namespace) -> int:
    project = project_of(args)
    today = date.today()
    day = args.date or today
    if day > today and not args.allow_future_date:
        print(f"release date {day} is after today ({today}): every page would say the data is as of that day; "
              "give the date the data is published (or leave --date out for today), or add --allow-future-date "
              "if that day is really meant", file=sys.stderr)
        return 1
    if any(unicodedata.category(c) in ("Cc", "Cf", "Cs") and c not in "\t\n" for c in args.title):
        print("release: the title holds a control or invisible character (an escape sequence pasted from a "
              "terminal?); type it again as plain text", file=sys.stderr)
        return 2
    try:
        # One release at a time: two at once would both read the same newest release and one would be lost.
        with project_lock(project.root, "release"):
            return _record(project, day, " ".join(args.title.split()))  # as `check` reads it back
    except ProjectBusy as busy:
        print(f"release: {busy}", file=sys.stderr)
        return 1
    except BuildFailed as failure:  # (the lock's folder: a misplaced cache)
        print_problems(failure.problems)
        print("no release recorded", file=sys.stderr)
        return 1
    except OSError as error:  # a folder that cannot be written, a full disk: `check` then says what was left
        print(f"release: no release recorded: {error.strerror} ({error.filename}); run `check`", file=sys.stderr)
        return 1


def _record(project: Project, day: date, title: str) -> int:
    try:
        result = check(project)
    except BuildFailed as failure:
        print_problems(failure.problems)
        print("no release recorded: fix the errors first", file=sys.stderr)
        return 1
    releases = result.releases
    snapshot = snapshot_of([c.report for c in result.reports])
    previous = releases[-1] if releases else None
    if previous is not None:
        if day < previous.date:
            print(f"release date {day} is before the last release ({previous.date})", file=sys.stderr)
            return 1
        added, withdrawn, revised = diff(previous.reports, snapshot)
        if not (added or withdrawn or revised) and snapshot == previous.reports:
            print(f"nothing changed since the release of {previous.date}: no release recorded", file=sys.stderr)
            return 1
    folder = project.data_dir / RELEASES
    release_id = next_release_id(project.data_dir, day)
    target = folder / f"{release_id}.yaml"
    before = previous.digest if previous else ""
    text = release_yaml(day, title, before, snapshot)
    name = target.relative_to(project.root).as_posix()
    if not write_text_atomically(target, text, replace=False):  # never overwrites a recorded release
        print(f"no release recorded: {name} appeared while this release was being recorded; run `check`, "
              "then this command again", file=sys.stderr)
        return 1
    # HEAD last: a run stopped between the two writes leaves a release HEAD does not name, which `check` reports.
    write_text_atomically(folder / HEAD, head_text(release_id, content_digest(day, title, before, snapshot)))
    print(f"recorded {name}: {len(snapshot)} reports", file=sys.stderr)
    return 0
