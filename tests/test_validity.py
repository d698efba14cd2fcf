"""Every page of the built site passes the Nu HTML checker (vnu.jar, the W3C's validator) with no error.

The checker is a Java program: the test runs when Java and the jar are here and is skipped, saying why,
otherwise. The jar is looked for at $VNU_JAR, then where `npm install vnu-jar` in the project puts it
(node_modules/vnu-jar/build/dist/vnu.jar), then at Debian's /usr/share/java/vnu.jar."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import ROOT, build_bundled_site

JAR_PLACES = [os.environ.get("VNU_JAR", ""), str(ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"),
              "/usr/share/java/vnu.jar"]


def checker() -> list[str]:
    """The command that runs the Nu checker, or a skip saying what is missing."""
    java = shutil.which("java")
    jar = next((place for place in JAR_PLACES if place and Path(place).is_file()), None)
    if java is None or jar is None:
        pytest.skip("the Nu HTML checker cannot run: " + ("no Java (apt-get install default-jre-headless)"
                                                          if java is None else
                                                          "no vnu.jar (npm install vnu-jar, or set VNU_JAR)"))
    return [java, "-Xss8m", "-jar", jar]


def test_the_nu_checker_finds_no_error_on_any_page(tmp_path_factory) -> None:
    command = checker()
    site = build_bundled_site(tmp_path_factory, "validity")
    done = subprocess.run([*command, "--errors-only", "--format", "json", "--stdout", "--skip-non-html", str(site)],
                          capture_output=True, text=True, timeout=600)
    messages = json.loads(done.stdout)["messages"]
    errors = [f"{Path(m.get('url', '')).as_posix().split('/site/', 1)[-1]}:{m.get('lastLine', '?')}: {m['message']}"
              for m in messages if m.get("type") in ("error", "non-document-error")]
    assert errors == [], f"{len(errors)} errors, the first:\n" + "\n".join(errors[:20])
    assert len(list(site.rglob("*.html"))) > 400  # the whole site was checked
