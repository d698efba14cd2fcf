"""synth: write a synthetic province (a complete project folder) for benchmarks and tests."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..devtools.synth import SynthOptions, SynthRefused, synthesize

HELP = "write a synthetic province into DIR (never into the project's data/)"

DESCRIPTION = HELP + """.
DIR becomes a project folder that `build.py --root DIR` builds: departments and districts
(with renames and mergers), a report per body and period on the current form, yearly plans
with quarterly task statuses, the project's catalogue, forms, periods, templates and assets,
and data/site.yaml and content/gioi-thieu.md saying that the data is synthetic. The same
arguments always write byte-identical files."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.description = DESCRIPTION
    parser.add_argument("dir", type=Path, metavar="DIR", help="where to write (new, empty, or earlier synth output)")
    parser.add_argument("--bodies", type=int, required=True, metavar="N",
                        help="departments and districts (about 2/3 departments, 1/3 districts)")
    parser.add_argument("--years", type=int, required=True, metavar="Y", help="years of reports (4 periods each)")
    parser.add_argument("--seed", type=int, required=True, metavar="S", help="random seed")
    parser.add_argument("--start-year", type=int, default=2021, metavar="YEAR", help="first year (default: 2021)")
    parser.add_argument("--root", type=Path, default=Path.cwd(),
                        help="project whose catalogue, forms, periods, templates and assets are copied (default: here)")


def run(args: argparse.Namespace) -> int:
    options = SynthOptions(args.bodies, args.years, args.seed, args.start_year)
    try:
        summary = synthesize(args.root.resolve(), args.dir, options)
    except SynthRefused as refusal:
        print(f"synth: {refusal}; nothing was written", file=sys.stderr)
        return 2
    print(f"synth: wrote {summary.reports} reports of {summary.departments} bodies, {summary.plans} plans and "
          f"{summary.status_files} status files into {args.dir} (seed {args.seed}); "
          f"build it with `python build.py --root {args.dir}`", file=sys.stderr)
    return 0
