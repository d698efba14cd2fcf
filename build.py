#!/usr/bin/env python3
"""Build the CCHC reform-progress site. Run `python build.py --help`."""
import sys

try:
    from reformdash.cli import main
except KeyboardInterrupt:  # Ctrl+C while Python loads the engine: nothing was begun, no traceback
    print("\nbuild.py: interrupted; the published site and the data files are as they were before this run",
          file=sys.stderr)
    sys.exit(130)

if __name__ == "__main__":
    sys.exit(main())
