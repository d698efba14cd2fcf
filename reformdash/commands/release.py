"""release: record a release of the current data under data/releases/."""
from __future__ import annotations

import argparse
import sys
from datetime import date

from ..pipeline import check, load_releases
from ..problems import BuildFailed, Collector
from ..releases import RELEASES, diff, next_release_id, release_yaml, snapshot_of
from ..write import write_text_atomically
from .common import add_project_arguments, print_problems, project_of

HELP = "record a release: a dated snapshot of every published figure (refused while check reports errors)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_project_arguments(parser)
    parser.add_argument("--date", type=date.fromisoformat, default=None,
                        help="release date YYYY-MM-DD (default: today)")
    parser.add_argument("--title", default="", help='e.g. "Cập nhật số liệu quý I/2023"')


def run(args: argparse.Namespace) -> int:
    project = project_of(args)
    try:
        result = check(project)
    except BuildFailed as failure:
        print_problems(failure.problems)
        print("no release recorded: fix the errors first", file=sys.stderr)
        return 1
    problems = Collector()
    releases = load_releases(project, problems)
    if problems.has_errors():
        print_problems(problems.problems)
        return 1
    snapshot = snapshot_of([c.report for c in result.reports])
    day = args.date or date.today()
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
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{next_release_id(project.data_dir, day)}.yaml"
    write_text_atomically(target, release_yaml(day, args.title, previous.digest if previous else "", snapshot))
    print(f"recorded {target.relative_to(project.root).as_posix()}: {len(snapshot)} reports", file=sys.stderr)
    return 0
