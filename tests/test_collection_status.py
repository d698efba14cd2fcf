"""Who has sent what for a period: `build.py status`, and the same as a page only the preview answers."""
from __future__ import annotations

import os
import subprocess
import sys
from datetime import datetime, timedelta, timezone
from html.parser import HTMLParser
from pathlib import Path

import pytest

from htmlparse import table_rows
from reformdash.pipeline import Project
from reformdash.preview import Preview
from test_serve import fetch, free_port, wait_for

ROOT = Path(__file__).resolve().parent.parent
# Times are shown in local time: every process of these tests runs at UTC+7, as the province does.
LOCAL = {**os.environ, "TZ": "ICT-7"}
ICT = timezone(timedelta(hours=7))

DEPARTMENTS = """\
- id: stnmt
  name_vi: Sở Tài nguyên và Môi trường
  name_en: Department of Natural Resources and Environment
  short_name: STNMT
  kind: department
  valid_until: 2025-02-28
- id: sct
  name_vi: Sở Công Thương
  name_en: Department of Industry and Trade
  short_name: SCT
  kind: department
- id: sgddt
  name_vi: Sở Giáo dục và Đào tạo
  name_en: Department of Education and Training
  short_name: SGDĐT
  kind: department
- id: snv
  name_vi: Sở Nội vụ
  name_en: Department of Home Affairs
  short_name: SNV
  kind: department
- id: snnmt
  name_vi: Sở Nông nghiệp và Môi trường
  name_en: Department of Agriculture and Environment
  short_name: SNNMT
  kind: department
  valid_from: 2025-03-01
"""


def report(department: str, values: str) -> str:
    return f"department: {department}\nperiod: 2023-q1\nform: cchc-2022\nvalues:\n{values}"


# department -> (its report of 2023-q1, when it last changed)
SENT = {
    "sct": (report("sct", "  plan_tasks_planned: 22\n"), datetime(2023, 4, 3, 8, 15, tzinfo=ICT)),
    # the rate left empty and computed from its parts: one warning (W305)
    "sgddt": (report("sgddt", "  plan_tasks_planned: 22\n  plan_tasks_done: 10\n"),
              datetime(2023, 4, 5, 16, 40, tzinfo=ICT)),
    "snv": (report("snv", "  satisfaction_rate: 100.01\n"), datetime(2023, 4, 7, 9, 5, tzinfo=ICT)),  # E206
    # a body that did not exist in 2023 (E217): not expected, listed apart
    "snnmt": (report("snnmt", "  plan_tasks_planned: 5\n"), datetime(2023, 4, 8, 10, 0, tzinfo=ICT)),
}


@pytest.fixture
def collecting(project_factory, tmp_path: Path) -> Path:
    """Quarter I of 2023 being collected: four bodies expected; sct clean, sgddt a warning, snv an error,
    stnmt nothing; and a file from snnmt, which did not exist then."""
    overlay = tmp_path / "overlay"
    (overlay / "data").mkdir(parents=True)
    (overlay / "data" / "departments.yaml").write_text(DEPARTMENTS, encoding="utf-8")
    root = project_factory(overlay)
    for department, (text, changed) in SENT.items():
        path = root / "data" / department / "2023-q1.yaml"
        path.parent.mkdir()
        path.write_text(text, encoding="utf-8")
        os.utime(path, (changed.timestamp(), changed.timestamp()))
    return root


def status(root: Path, *arguments: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(ROOT / "build.py"), "status", "--root", str(root), *arguments],
                          capture_output=True, text=True, timeout=120, env=LOCAL)


def test_status_lists_each_body_expected_with_its_state_and_last_change(collecting: Path) -> None:
    done = status(collecting, "--period", "2023-q1")
    assert done.returncode == 0, done.stderr  # a report, even with a body missing and one with errors
    assert done.stdout.splitlines() == [
        "2023-q1 (Quý I năm 2023, 01/01/2023 to 31/03/2023): 4 bodies expected to report",
        "ID     Name                         State     Warnings  Errors  Last change",
        "stnmt  Sở Tài nguyên và Môi trường  not sent         -       -  -",
        "sct    Sở Công Thương               clean            0       0  03/04/2023 08:15",
        "sgddt  Sở Giáo dục và Đào tạo       warnings         1       0  05/04/2023 16:40",
        "snv    Sở Nội vụ                    errors           0       1  07/04/2023 09:05",
        "not expected: data/snnmt/2023-q1.yaml (Sở Nông nghiệp và Môi trường did not exist then): "
        "1 error(s), 0 warning(s)",
        "3 of 4 bodies have sent their report; 1 with errors, 1 with warnings",
        "the build is blocked: 2 error(s) in all, each stops `python build.py` until it is fixed",
        "run `python build.py check` for each problem's line and what to do",
    ]
    assert done.stderr == ""


def test_a_reports_narrative_counts_with_it(collecting: Path) -> None:
    (collecting / "content" / "sct").mkdir(parents=True)
    (collecting / "content" / "sct" / "2023-q1.md").write_bytes(b"Thuy\xe1t minh \xff\n")  # not UTF-8: an error
    lines = status(collecting, "--period", "2023-q1").stdout.splitlines()
    assert lines[3] == "sct    Sở Công Thương               errors           0       1  03/04/2023 08:15"
    assert lines[-3] == "3 of 4 bodies have sent their report; 2 with errors, 1 with warnings"


def test_a_misnamed_report_a_folder_and_errors_in_other_files_are_shown(collecting: Path) -> None:
    data = collecting / "data"
    snv = data / "snv" / "2023-q1.yaml"
    text = snv.read_text(encoding="utf-8").replace("100.01", "99.5")  # (its error corrected)
    snv.unlink()
    (data / "snv" / "2023-q1.yml").write_text(text, encoding="utf-8")  # saved as .yml: not read (E221)
    (data / "sgddt" / "2023-q1.yaml").unlink()
    (data / "sgddt" / "2023-q1.yaml").mkdir()  # a folder under the report's name (E107)
    (data / "stnmt").mkdir()
    (data / "stnmt" / "2023-q1.yaml.txt").write_text(report("stnmt", "  plan_tasks_planned: 9\n"), encoding="utf-8")
    (data / "sct" / "2023-Q1.yaml").write_text(report("sct", "  plan_tasks_planned: 22\n"), encoding="utf-8")  # E211
    (data / "2023-q1").mkdir()
    (data / "2023-q1" / "snv.yaml").write_text(text, encoding="utf-8")  # period and body swapped (E211)
    done = status(collecting, "--period", "2023-q1")
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[2:] == [
        "stnmt  Sở Tài nguyên và Môi trường  not sent         -       -  -",
        "sct    Sở Công Thương               clean            0       0  03/04/2023 08:15",
        "sgddt  Sở Giáo dục và Đào tạo       errors           0       1  -",
        "snv    Sở Nội vụ                    not sent         -       -  -",
        "stnmt: data/stnmt/2023-q1.yaml.txt is there but is not read as its report (E221); save it as "
        "data/stnmt/2023-q1.yaml",
        "sgddt: data/sgddt/2023-q1.yaml is a folder, not a report file: nothing was sent",
        "snv: data/snv/2023-q1.yml is there but is not read as its report (E221); save it as data/snv/2023-q1.yaml",
        "not expected: data/snnmt/2023-q1.yaml (Sở Nông nghiệp và Môi trường did not exist then): "
        "1 error(s), 0 warning(s)",
        "other files: 2 error(s) that stop the build: data/2023-q1/snv.yaml: E211; data/sct/2023-Q1.yaml: E211",
        "1 of 4 bodies have sent their report; 0 with errors, 0 with warnings; 1 sent a folder, not a file",
        "the build is blocked: 6 error(s) in all, each stops `python build.py` until it is fixed",
        "run `python build.py check` for each problem's line and what to do",
    ]
    # the preview's page says the same (made as the preview makes it for a request)
    status_code, body = Preview(Project.at(collecting), "127.0.0.1", free_port()).status_page("period=2023-q1")
    html = body.decode("utf-8")
    page = _Page(html)
    assert status_code == "200 OK"
    assert page.text("summary").startswith("1/4 đơn vị đã gửi báo cáo; 0 báo cáo có lỗi, 0 báo cáo có cảnh báo.")
    assert page.text("blocked") == ("Chưa dựng được trang Có 6 lỗi trong dữ liệu; mỗi lỗi đều chặn việc dựng trang "
                                    "(python build.py) cho đến khi được sửa.")
    assert rows(html)["body-sgddt"] == ["Sở Giáo dục và Đào tạo sgddt", "Có lỗi data/sgddt/2023-q1.yaml là thư mục, "
                                        "không phải tệp báo cáo", "–"]
    assert rows(html)["body-snv"] == ["Sở Nội vụ snv", "Chưa gửi có tệp data/snv/2023-q1.yml nhưng tệp này không "
                                      "được đọc (E221): lưu lại thành data/snv/2023-q1.yaml", "–"]
    assert page.text("other-files") == "Tệp khác có lỗi chặn việc dựng trang"
    assert "<li><code>data/2023-q1/snv.yaml</code>: 1 lỗi (E211)</li>" in html
    assert "<li><code>data/sct/2023-Q1.yaml</code>: 1 lỗi (E211)</li>" in html


def test_an_unknown_period_is_a_usage_error_naming_the_closest(collecting: Path) -> None:
    done = status(collecting, "--period", "2023-q11")
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr == ("status: unknown period '2023-q11' (did you mean '2023-q1'?); periods are listed in "
                           "data/periods.yaml\n")


def test_the_period_defaults_to_the_latest_that_has_ended(collecting: Path) -> None:
    (collecting / "data" / "periods.yaml").write_text(
        "".join(f"- id: {pid}\n  kind: {kind}\n  year: {year}\n  label_vi: {label}\n  label_en: {label}\n"
                f"  start: {start}\n  end: {end}\n"
                for pid, kind, year, label, start, end in [
                    ("2023-q1", "q1", 2023, "Quý I năm 2023", "2023-01-01", "2023-03-31"),
                    ("2023-h1", "h1", 2023, "6 tháng đầu năm 2023", "2023-01-01", "2023-06-30"),
                    ("2099-q1", "q1", 2099, "Quý I năm 2099", "2099-01-01", "2099-03-31")]), encoding="utf-8")
    done = status(collecting)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0] == "2023-h1 (6 tháng đầu năm 2023, 01/01/2023 to 30/06/2023): 4 bodies expected to report"
    # the reports of 2023-q1 are no report of this period, but their errors stop the build all the same
    assert lines[-4:] == [
        "other files: 2 error(s) that stop the build: data/snnmt/2023-q1.yaml: E217; data/snv/2023-q1.yaml: E206",
        "0 of 4 bodies have sent their report; 0 with errors, 0 with warnings",
        "the build is blocked: 2 error(s) in all, each stops `python build.py` until it is fixed",
        "run `python build.py check` for each problem's line and what to do"]


def test_a_catalogue_that_cannot_be_read_fails_without_a_traceback(collecting: Path) -> None:
    (collecting / "data" / "periods.yaml").write_text("- id: 2023-q1\n  kind: [q1\n", encoding="utf-8")
    done = status(collecting, "--period", "2023-q1")
    assert (done.returncode, done.stdout) == (1, "")
    assert "Traceback" not in done.stderr and "data/periods.yaml:" in done.stderr
    assert done.stderr.splitlines()[-1] == ("status: the catalogue cannot be read, so nobody knows who reports; "
                                            "fix the errors above")


class _Page(HTMLParser):
    """The text of each element with an id, and every link's address."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.texts: dict[str, str] = {}
        self.links: list[str] = []
        self._open: list[tuple[str, str | None]] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "a" and attributes.get("href"):
            self.links.append(attributes["href"])
        if tag not in ("meta", "link", "br", "img", "input"):
            self._open.append((tag, attributes.get("id")))
            if attributes.get("id"):
                self.texts[attributes["id"]] = ""

    def handle_endtag(self, tag):
        while self._open and self._open.pop()[0] != tag:
            pass

    def handle_data(self, data):
        for _, name in self._open:
            if name:
                self.texts[name] += data

    def text(self, name: str) -> str:
        return " ".join(self.texts[name].split())


def rows(html: str) -> dict[str, list[str]]:
    """The table's rows, a no-break space (that keeps a state's words together) read as a space."""
    return {name: [cell.replace("\xa0", " ") for cell in cells] for name, cells in table_rows(html).items()}


def test_the_preview_shows_the_same_page_and_build_never_publishes_it(collecting: Path) -> None:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen([sys.executable, str(ROOT / "build.py"), "serve", "--root", str(collecting),
                               "--port", str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                              stdin=subprocess.DEVNULL, env=LOCAL)
    try:
        # the build fails (snv's and snnmt's errors): every page shows them, and links to the staff's page
        error = _Page(wait_for(f"{base}/index.html", lambda html: "Lỗi dữ liệu" in html))
        assert "/thu-thap/" in error.links
        html = wait_for(f"{base}/thu-thap/?period=2023-q1", lambda html: "Tình hình nhận báo cáo" in html)
        page = _Page(html)
        assert page.text("summary") == ("3/4 đơn vị đã gửi báo cáo; 1 báo cáo có lỗi, 1 báo cáo có cảnh báo. "
                                        "Kỳ báo cáo từ 01/01/2023 đến 31/03/2023.")
        assert page.text("blocked") == ("Chưa dựng được trang Có 2 lỗi trong dữ liệu; mỗi lỗi đều chặn việc dựng "
                                        "trang (python build.py) cho đến khi được sửa.")
        assert rows(html) == {
            "body-stnmt": ["Sở Tài nguyên và Môi trường stnmt", "Chưa gửi", "–"],
            "body-sct": ["Sở Công Thương sct", "Hợp lệ 0 lỗi, 0 cảnh báo", "03/04/2023 08:15"],
            "body-sgddt": ["Sở Giáo dục và Đào tạo sgddt", "Cảnh báo 0 lỗi, 1 cảnh báo", "05/04/2023 16:40"],
            "body-snv": ["Sở Nội vụ snv", "Có lỗi 1 lỗi, 0 cảnh báo", "07/04/2023 09:05"],
        }
        assert page.text("file-snnmt") == ("data/snnmt/2023-q1.yaml: Sở Nông nghiệp và Môi trường không tồn tại "
                                           "trong kỳ này; 1 lỗi, 0 cảnh báo. Thay đổi lần cuối: 08/04/2023 10:00.")
        # a report without errors links to its page in the preview
        assert "/sct/2023-q1/index.html" in page.links and "/snv/2023-q1/index.html" not in page.links
        # the page follows the data: snv's figure corrected, stnmt's report saved
        snv = collecting / "data" / "snv" / "2023-q1.yaml"
        snv.write_text(snv.read_text(encoding="utf-8").replace("100.01", "99.5"), encoding="utf-8")
        (collecting / "data" / "stnmt").mkdir()
        (collecting / "data" / "stnmt" / "2023-q1.yaml").write_text(report("stnmt", "  plan_tasks_planned: 9\n"),
                                                                     encoding="utf-8")
        html = wait_for(f"{base}/thu-thap/?period=2023-q1", lambda html: "4/4 đơn vị" in html)
        assert rows(html)["body-snv"][1] == "Hợp lệ 0 lỗi, 0 cảnh báo"
        assert rows(html)["body-stnmt"][1] == "Hợp lệ 0 lỗi, 0 cảnh báo"
        # another period is chosen by its link; an unknown one is not found, and the closest is offered
        assert "?period=2023-h1" in _Page(html).links
        other = _Page(fetch(f"{base}/thu-thap/?period=2023-h1"))
        assert other.text("summary").startswith("0/4 đơn vị đã gửi báo cáo")
        with pytest.raises(OSError, match="404"):
            fetch(f"{base}/thu-thap/?period=2023-q11")
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
    assert not (collecting / ".preview" / "thu-thap").exists()  # answered, never written
    (collecting / "data" / "snnmt" / "2023-q1.yaml").unlink()  # (its error would stop the build)
    done = subprocess.run([sys.executable, str(ROOT / "build.py"), "build", "--root", str(collecting)],
                          capture_output=True, text=True, timeout=300, env=LOCAL)
    assert done.returncode == 0, done.stderr
    site = collecting / "site"
    assert (site / "sct" / "2023-q1" / "index.html").is_file()
    assert not (site / "thu-thap").exists()
    assert "thu-thap" not in (site / "sitemap.xml").read_text(encoding="utf-8")
    assert not [path for path in site.rglob("*") if path.is_file() and b"thu-thap" in path.read_bytes()]


def test_a_body_merged_before_the_period_ends_is_not_expected_its_successor_is(tmp_path):
    """STNMT and SNNPTNT merged into SNNMT on 1 March 2025: the first quarter and the year 2025 are SNNMT's to
    report, not theirs."""
    from reformdash.collection import collection
    from reformdash.pipeline import Project, check
    from conftest import make_project

    project = Project.at(make_project(tmp_path / "p"))
    checked = check(project)

    def expected(period: str) -> list[str]:
        return [row.department for row in collection(project, checked.catalogue, checked.problems.problems,
                                                     checked.catalogue.periods[period]).expected]

    assert "snnmt" in expected("2025-year") and "stnmt" not in expected("2025-year") \
        and "snnptnt" not in expected("2025-year")
    assert "stnmt" not in expected("2025-q1") and "snnmt" in expected("2025-q1")  # (merged on 1 March)
    assert "stnmt" in expected("2024-year") and "snnmt" not in expected("2024-year")
