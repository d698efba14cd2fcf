"""Command-line commands. Each module has HELP, add_arguments(parser) and run(args) -> exit code."""

# name -> module under reformdash.commands; imported only when used, so a
# command's optional dependencies (e.g. python-docx) cost nothing elsewhere.
COMMANDS = {
    "build": "build",
    "check": "check",
    "form": "form",
    "forms": "forms",
    "import": "import_report",
    "import-plan": "import_plan",
    "serve": "serve",
    "status": "status",
    "release": "release",
    "synth": "synth",
    "bench": "bench",
}
