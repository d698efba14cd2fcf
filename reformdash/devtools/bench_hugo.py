"""The Hugo side of the benchmark: a minimal Hugo site rendering the same report tables.

Part of `bench.py`. One page per report: the form's rows with label, unit,
value and note, read by Hugo from the same report YAML files (copied as they
are into Hugo's data/), the form (copied as it is) and the catalogue (turned
into a map of indicator ID -> label and unit, which Hugo templates cannot
build cheaply from a list). No charts, no warnings, no earlier values: that is
all our report pages do beyond the table.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

import yaml

INSTALL_TIMEOUT = 900

CONFIG = """baseURL = "/"
languageCode = "vi"
title = "Hugo: report tables"
disableKinds = ["home", "section", "taxonomy", "term", "RSS", "sitemap", "robotsTXT", "404"]
"""

SINGLE = """<!DOCTYPE html>
<html lang="vi"><head><meta charset="utf-8"><title>{{ .Title }}</title></head>
<body><main><h1>{{ .Title }}</h1>
{{- $r := index site.Data.reports .Params.dept .Params.period }}
{{- $inds := site.Data.indicators }}
<table class="indicators"><thead><tr><th>STT</th><th>Chỉ tiêu thống kê</th><th>Đơn vị tính</th><th>Kết quả</th><th>Ghi chú</th></tr></thead>
<tbody>
{{- range site.Data.form.rows }}
{{- $ind := index $inds .indicator }}
{{- $v := index $r.values .indicator }}
{{- $value := $v }}{{ $note := "" }}
{{- if reflect.IsMap $v }}{{ $value = index $v "value" }}{{ $note = index $v "note" | default "" }}{{ end }}
<tr id="{{ .indicator }}"><td>{{ .number }}</td><th>{{ $ind.label }}</th><td>{{ $ind.unit }}</td><td>{{ if eq (printf "%v" $value) "<nil>" }}Không báo cáo{{ else }}{{ $value }}{{ end }}</td><td>{{ $note }}</td></tr>
{{- end }}
</tbody></table></main></body></html>
"""


@dataclass(frozen=True)
class HugoRun:
    pages: int
    wall_seconds: tuple[float, ...]  # the first run is cold (no public/, no resources/)
    version: str


def find_hugo(install: bool) -> tuple[str | None, str]:
    """(path of hugo or None, what happened)."""
    found = shutil.which("hugo")
    if found:
        return found, "found on PATH"
    if not install:
        return None, "hugo is not on PATH"
    if not hasattr(os, "geteuid") or os.geteuid() != 0 or not shutil.which("apt-get"):
        return None, "hugo is not on PATH and apt-get cannot be run here (needs root on Debian)"
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    attempts = (["apt-get", "install", "-y", "hugo"], ["apt-get", "update"], ["apt-get", "install", "-y", "hugo"])
    tail = ""
    for command in attempts:
        try:
            done = subprocess.run(command, capture_output=True, text=True, env=env, timeout=INSTALL_TIMEOUT,
                                  check=False)
        except (OSError, subprocess.TimeoutExpired) as error:
            return None, f"`{' '.join(command)}` failed: {error}"
        tail = (done.stderr or done.stdout).strip().splitlines()[-1:] or [""]
        if command[1] == "install" and done.returncode == 0 and shutil.which("hugo"):
            return shutil.which("hugo"), "installed with apt-get"
    return None, f"`apt-get install -y hugo` failed: {tail[0]}"


def make_site(project_root: Path, target: Path, catalogue) -> int:
    """Write the Hugo site for the project's reports; returns the number of report pages."""
    shutil.rmtree(target, ignore_errors=True)
    (target / "layouts" / "_default").mkdir(parents=True)
    (target / "config.toml").write_text(CONFIG, encoding="utf-8")
    (target / "layouts" / "_default" / "single.html").write_text(SINGLE, encoding="utf-8")
    (target / "layouts" / "_default" / "list.html").write_text("", encoding="utf-8")
    data = target / "data"
    (data / "reports").mkdir(parents=True)
    shutil.copy(project_root / "data" / "forms" / "cchc-2022.yaml", data / "form.yaml")
    indicators = {ind.id: {"label": ind.label_vi, "unit": ind.unit} for ind in catalogue.indicators.values()}
    (data / "indicators.yaml").write_text(yaml.safe_dump(indicators, allow_unicode=True), encoding="utf-8")
    pages = 0
    for path in sorted((project_root / "data").glob("*/*.yaml")):
        department, period = path.parent.name, path.stem
        if department in ("catalogue", "forms") or path.name == "units.yaml" or period.startswith("plan-"):
            continue
        (data / "reports" / department).mkdir(exist_ok=True)
        shutil.copy(path, data / "reports" / department / path.name)
        name = catalogue.departments[department].name_vi if department in catalogue.departments else department
        label = catalogue.periods[period].label_vi if period in catalogue.periods else period
        page = target / "content" / department / f"{period}.md"
        page.parent.mkdir(parents=True, exist_ok=True)
        page.write_text(f"---\ntitle: {json.dumps(f'{name}: {label}', ensure_ascii=False)}\n"
                        f"dept: {department}\nperiod: \"{period}\"\n---\n", encoding="utf-8")
        pages += 1
    return pages


def run_hugo(hugo: str, site: Path, runs: int = 2) -> HugoRun:
    """Time `hugo --quiet` on the site: the first run cold, then warm ones."""
    version = subprocess.run([hugo, "version"], capture_output=True, text=True, check=False).stdout.strip()
    times = []
    for index in range(runs):
        if index == 0:
            for name in ("public", "resources"):
                shutil.rmtree(site / name, ignore_errors=True)
        started = time.perf_counter()
        done = subprocess.run([hugo, "--quiet", "-s", str(site), "-d", str(site / "public")],
                              capture_output=True, text=True, check=False)
        times.append(time.perf_counter() - started)
        if done.returncode != 0:
            raise RuntimeError(f"hugo failed: {(done.stderr or done.stdout).strip()[-2000:]}")
    pages = sum(1 for _ in (site / "public").glob("*/*/index.html"))
    return HugoRun(pages, tuple(times), version)
