#!/usr/bin/env python3
"""Build the CCHC reform-progress site. Run `python build.py --help`."""
import sys

from reformdash.cli import main

if __name__ == "__main__":
    sys.exit(main())
