"""`build.py bench --imports`: how long `build.py import` takes, on real reports and on hostile files.

In a throw-away project (the catalogue, forms, departments, periods, site settings,
templates and assets of this one, no reports), each document is imported with the
whole command, `build.py import FILE --department D --period P --root PROJECT --force`,
in a fresh Python process, best of three:

- each reference report as tab-separated text, and as a DOCX and an XLSX written
  here in the plain layout (one header row "STT | Chỉ tiêu thống kê | Đơn vị tính |
  Số liệu | Ghi chú", one table row per appendix row); as PDF, and as the text
  `pdftotext -layout` and pdfplumber pull out of it, where the project has those
  files among its test fixtures;
- hostile documents written here, each with the problem code it must be refused
  with, and the largest DOCX and XLSX still accepted.

Each import is to take under LIMIT_SECONDS. The figures are printed and written as
JSON; a run where any document ends with another exit or problem code than its own
is a failed run. Times are never a reason to fail: a shared machine makes them vary.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import struct
import subprocess
import sys
import tempfile
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from .bench import PACKAGE_PARENT, machine, snapshot_engine

LIMIT_SECONDS = 2.0  # a clerk imports a report and waits for the answer
RUNS = 3
TIMEOUT_SECONDS = 120  # an import past this is stopped and counted as failed
# The reference reports: file, department, period.
REFERENCES = (
    ("so-tnmt_2023-q1_report.txt", "stnmt", "2023-q1"),
    ("so-tnmt_2022-q3_report.txt", "stnmt", "2022-q3"),
    ("so-cong-thuong_2021-h1_appendix.txt", "sct", "2021-h1"),
)
# The SCT report writes 3 in a yes/no row: the file is written, then the check refuses it until the data file
# acknowledges it (data/sct/2021-h1.yaml does so by hand), so its import ends with E205.
REPORT_ERRORS = {("sct", "2021-h1"): "E205"}
HOSTILE_AS = ("stnmt", "2023-q1")  # the department and period hostile documents are imported as
PLAIN_HEADER = ("STT", "Chỉ tiêu thống kê", "Đơn vị tính", "Số liệu", "Ghi chú")
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@dataclass(frozen=True)
class Case:
    """One document to import: its file name, what it is, how it is written, what the import must end with."""

    name: str
    what: str
    department: str
    period: str
    make: Callable[[Path], Path]  # writes the document into a folder (or finds it), returns its path
    expected_code: str | None = None  # the first error the command prints; None: no error, exit 0
    hostile: bool = False

    @property
    def expected_exit(self) -> int:
        return 0 if self.expected_code is None else 1


# -- documents ---------------------------------------------------------------------------------
def _appendix_rows(reference: Path):
    from ..importers.text import read_appendix_file

    return read_appendix_file(reference)


def _preface(reference: Path) -> list[str]:
    """The report's paragraphs before its appendix (tables, which hold tabs, left out)."""
    lines = reference.read_text(encoding="utf-8").split("\n")
    end = next((i for i, line in enumerate(lines) if line.startswith("STT\tChỉ tiêu")), len(lines))
    return [line.strip() for line in lines[:end] if line.strip() and "\t" not in line]


def write_docx(reference: Path, path: Path) -> Path:
    """The report as Word writes it in the plain layout: its paragraphs, then the appendix table."""
    from docx import Document

    document = Document()
    for text in _preface(reference):
        document.add_paragraph(text)
    document.add_paragraph("PHỤ LỤC")
    rows = _appendix_rows(reference)
    table = document.add_table(rows=len(rows) + 1, cols=len(PLAIN_HEADER))
    for column, text in enumerate(PLAIN_HEADER):
        table.cell(0, column).text = text
    for index, row in enumerate(rows, 1):
        for column, text in enumerate((row.number, row.label, row.unit, row.value, row.note)):
            table.cell(index, column).text = text
    document.save(str(path))
    return path


def _spreadsheet_value(value: str) -> tuple[object, str]:
    """A figure as a sheet stores it: a number and the display format that shows it as written."""
    if re.fullmatch(r"[0-9]{1,3}(\.[0-9]{3})+", value):  # 1.076: thousands grouped the Vietnamese way
        return int(value.replace(".", "")), "#,##0"
    decimal = re.fullmatch(r"([0-9]+),([0-9]+)", value)
    if decimal:
        return float(f"{decimal[1]}.{decimal[2]}"), "0." + "0" * len(decimal[2])
    if value.isdigit():
        return int(value), "General"
    return value or None, "General"


def write_xlsx(reference: Path, path: Path, padding_cells: int = 0) -> Path:
    """The report as Excel writes it in the plain layout: its paragraphs in column A, then the appendix;
    with `padding_cells` numbers on a second sheet (at most 200 a row)."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "Phụ lục"
    line = 1
    for text in _preface(reference):
        sheet.cell(line, 1, text)
        line += 1
    sheet.cell(line, 1, "PHỤ LỤC")
    line += 1
    for column, text in enumerate(PLAIN_HEADER, 1):
        sheet.cell(line, column, text)
    for row in _appendix_rows(reference):
        line += 1
        value, number_format = _spreadsheet_value(row.value)
        for column, text in enumerate((row.number or None, row.label, row.unit or None, value, row.note or None), 1):
            sheet.cell(line, column, text)
        sheet.cell(line, 4).number_format = number_format
    if padding_cells:
        extra = book.create_sheet("Số liệu gốc")
        for index in range(padding_cells):
            extra.cell(index // 200 + 1, index % 200 + 1, index)
    book.save(str(path))
    return path


def _rewrite(path: Path, member: str, change: Callable[[bytes], bytes]) -> Path:
    """The zip at `path` with one member passed through change()."""
    with zipfile.ZipFile(path) as archive:
        members = [(info, archive.read(info)) for info in archive.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for info, data in members:
            archive.writestr(info, change(data) if info.filename == member else data)
    return path


def _short_docx(path: Path) -> Path:
    from docx import Document

    document = Document()
    document.add_paragraph("BÁO CÁO")
    document.save(str(path))
    return path


def expanding_archive(path: Path) -> Path:
    """A .docx whose picture unzips to 208 MB of zeros (under 1 MB in the file)."""
    _short_docx(path)
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        with archive.open("word/media/image1.png", "w", force_zip64=True) as stream:
            block = bytes(8 * 2**20)
            for _ in range(26):
                stream.write(block)
    return path


def malformed_docx(path: Path) -> Path:
    return _rewrite(_short_docx(path), "word/document.xml", lambda xml: xml.replace(b"</w:body>", b"</w:bod>", 1))


def _with_doctype(doctype: bytes, reference: bytes) -> Callable[[bytes], bytes]:
    """A sheet's XML declaring `doctype`, with a last row whose text refers to its entity."""
    row = b'<row r="60000"><c r="A60000" t="inlineStr"><is><t>%s</t></is></c></row></sheetData>' % reference

    def change(xml: bytes) -> bytes:
        return xml.replace(b"<worksheet", doctype + b"<worksheet", 1).replace(b"</sheetData>", row, 1)

    return change


def external_entity_xlsx(reference: Path, path: Path) -> Path:
    doctype = b'<!DOCTYPE worksheet [<!ENTITY secret SYSTEM "file:///etc/passwd">]>'
    return _rewrite(write_xlsx(reference, path), "xl/worksheets/sheet1.xml", _with_doctype(doctype, b"&secret;"))


def billion_laughs_xlsx(reference: Path, path: Path) -> Path:
    """Ten entities, each ten of the one before: 10^9 copies of the first once expanded."""
    entities = b'<!ENTITY l0 "lol">' + b"".join(b'<!ENTITY l%d "%s">' % (level, b"&l%d;" % (level - 1) * 10)
                                                 for level in range(1, 10))
    return _rewrite(write_xlsx(reference, path), "xl/worksheets/sheet1.xml",
                    _with_doctype(b"<!DOCTYPE worksheet [" + entities + b"]>", b"&l9;"))


def whole_grid_xlsx(reference: Path, path: Path) -> Path:
    """The report's sheet with a space in its last cell: openpyxl then declares the dimension A1:XFD1048576."""
    from openpyxl import load_workbook

    write_xlsx(reference, path)
    book = load_workbook(path)
    book["Phụ lục"]["XFD1048576"] = " "
    book.save(path)
    return path


def compound_file(streams: dict[str, bytes]) -> bytes:
    """An OLE2 compound file (version 3, 512-byte sectors) holding `streams`: the container of Office
    97-2003 files and of every Office file saved with a password. Sector 0 holds the allocation table,
    sector 1 the directory, the streams follow, each at least 4 096 bytes so none needs the mini stream."""
    end_of_chain, fat_sector, free, none = 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF, 0xFFFFFFFF
    contents = [data.ljust(max(4096, -(-len(data) // 512) * 512), b"\0") for data in streams.values()]
    chains, table, next_sector = [], [fat_sector, end_of_chain], 2
    for data in contents:
        sectors = len(data) // 512
        chains.append(next_sector)
        table += list(range(next_sector + 1, next_sector + sectors)) + [end_of_chain]
        next_sector += sectors
    if len(table) > 128:
        raise ValueError("streams too long for one allocation sector")
    header = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(16)
              + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6) + bytes(6)
              + struct.pack("<IIIIIIIII", 0, 1, 1, 0, 4096, end_of_chain, 0, end_of_chain, 0)
              + struct.pack("<109I", 0, *[free] * 108))

    def entry(name: str, kind: int, sibling: int, child: int, start: int, size: int) -> bytes:
        encoded = name.encode("utf-16-le") + b"\0\0"
        return (encoded.ljust(64, b"\0") + struct.pack("<HBB", len(encoded), kind, 1)
                + struct.pack("<III", none, sibling, child) + bytes(16 + 4 + 16)
                + struct.pack("<IQ", start, size))

    names = list(streams)
    directory = entry("Root Entry", 5, none, 1 if names else none, end_of_chain, 0)
    for index, (name, start, data) in enumerate(zip(names, chains, contents), 1):
        directory += entry(name, 2, index + 1 if index < len(names) else none, none, start, len(data))
    directory = directory.ljust(512 * ((len(directory) + 511) // 512), b"\0")
    if len(directory) > 512:
        raise ValueError("too many streams for one directory sector")
    return header + struct.pack("<128I", *table, *[free] * (128 - len(table))) + directory + b"".join(contents)


def password_docx(path: Path) -> Path:
    """A .docx saved with a password: Office keeps it, encrypted, in an OLE2 file."""
    path.write_bytes(compound_file({"EncryptionInfo": struct.pack("<HHI", 4, 4, 0x40),
                                    "EncryptedPackage": struct.pack("<Q", 9000) + os.urandom(600)}))
    return path


def image_only_pdf(path: Path) -> Path:
    """A one-page PDF whose page is a grey image and nothing else: a scan with no text layer."""
    image = bytes(range(0, 256, 4)) * 64  # 64 x 64 grey pixels
    drawing = b"q 595 0 0 842 0 0 cm /Scan Do Q"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /XObject << /Scan 4 0 R >> >> "
        b"/Contents 5 0 R >>",
        b"<< /Type /XObject /Subtype /Image /Width 64 /Height 64 /ColorSpace /DeviceGray /BitsPerComponent 8 "
        b"/Length %d >>\nstream\n%s\nendstream" % (len(image), image),
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(drawing), drawing),
    ]
    out, offsets = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n"), []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    table = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, table)
    path.write_bytes(bytes(out))
    return path


def _paragraphs_before_section(count: int) -> Callable[[bytes], bytes]:
    """Empty paragraphs at the body's end (before its section properties, which stay last)."""
    def change(xml: bytes) -> bytes:
        at = xml.rfind(b"<w:sectPr")
        at = at if at >= 0 else xml.rfind(b"</w:body>")
        return xml[:at] + b"<w:p/>" * count + xml[at:]

    return change


def paragraphs_docx(path: Path, paragraphs: int) -> Path:
    """A short .docx with `paragraphs` paragraphs in all."""
    return _rewrite(_short_docx(path), "word/document.xml", _paragraphs_before_section(paragraphs - 1))


def largest_accepted_docx(reference: Path, path: Path) -> Path:
    """The report's .docx, empty paragraphs after its appendix up to the reader's limit exactly."""
    from lxml import etree

    from ..importers.docx_reader import MAX_PARAGRAPHS

    write_docx(reference, path)
    with zipfile.ZipFile(path) as archive:
        root = etree.fromstring(archive.read("word/document.xml"))
    present = sum(1 for _ in root.iter(f"{W}p"))
    return _rewrite(path, "word/document.xml", _paragraphs_before_section(MAX_PARAGRAPHS - present))


def largest_accepted_xlsx(reference: Path, path: Path) -> Path:
    """The report's .xlsx with a second sheet of as many cells as the reader takes on one sheet."""
    from ..importers.xlsx_reader import MAX_CELLS

    return write_xlsx(reference, path, padding_cells=MAX_CELLS)


# -- the cases ---------------------------------------------------------------------------------
def _existing(path: Path) -> Callable[[Path], Path]:
    return lambda folder: path


def _copied(path: Path, name: str) -> Callable[[Path], Path]:
    return lambda folder: Path(shutil.copy(path, folder / name))


def cases(references: Path, fixtures: Path) -> tuple[list[Case], list[str]]:
    """Every document of the benchmark, and a note for each one left out because its source is missing."""
    found, skipped = [], []
    for file, department, period in REFERENCES:
        reference = references / file
        if not reference.is_file():
            skipped.append(f"{file}: not found in {references}; its report is left out")
            continue
        stem, code = f"{department}-{period}", REPORT_ERRORS.get((department, period))
        found += [
            Case(f"{stem}.txt", "reference report, tab-separated text", department, period,
                 _copied(reference, f"{stem}.txt"), code),
            Case(f"{stem}.docx", "reference report, DOCX (plain layout)", department, period,
                 lambda folder, r=reference, n=f"{stem}.docx": write_docx(r, folder / n), code),
            Case(f"{stem}.xlsx", "reference report, XLSX (plain layout)", department, period,
                 lambda folder, r=reference, n=f"{stem}.xlsx": write_xlsx(r, folder / n), code),
        ]
        for suffix, what in ((".pdf", "reference report, PDF"),
                             (".pdftotext-layout.txt", "reference report, text of `pdftotext -layout`"),
                             (".pdfplumber.txt", "reference report, text of pdfplumber")):
            fixture = fixtures / f"{stem}{suffix}"
            if fixture.is_file():
                found.append(Case(fixture.name, what, department, period, _existing(fixture), code))
            else:
                skipped.append(f"{stem}{suffix}: not found in {fixtures}; skipped")
    department, period = HOSTILE_AS
    first = references / REFERENCES[0][0]

    def hostile(name: str, what: str, code: str | None, make: Callable[[Path], Path],
                needs_report: bool = False) -> None:
        if needs_report and not first.is_file():
            skipped.append(f"{name}: needs {first.name}, not found; skipped")
        else:
            found.append(Case(name, what, department, period, make, code, hostile=True))

    hostile("expands-to-208mb.docx", "a picture that unzips to 208 MB (under 1 MB in the file)", "E609",
            lambda folder: expanding_archive(folder / "expands-to-208mb.docx"))
    hostile("malformed-xml.docx", "word/document.xml with a mismatched end tag", "E610",
            lambda folder: malformed_docx(folder / "malformed-xml.docx"))
    hostile("external-entity.xlsx", "the report's sheet declaring an entity that reads /etc/passwd", "E611",
            lambda folder: external_entity_xlsx(first, folder / "external-entity.xlsx"), True)
    hostile("billion-laughs.xlsx", "the report's sheet with entities expanding to 10^9 copies", "E611",
            lambda folder: billion_laughs_xlsx(first, folder / "billion-laughs.xlsx"), True)
    hostile("whole-grid.xlsx", "the report's sheet using A1:XFD1048576 (a space in the last cell)", "E612",
            lambda folder: whole_grid_xlsx(first, folder / "whole-grid.xlsx"), True)
    hostile("password.docx", "a .docx saved with a password (an OLE2 file holding EncryptedPackage)", "E606",
            lambda folder: password_docx(folder / "password.docx"))
    hostile("scan.pdf", "a PDF whose one page is an image: no text layer", "E620",
            lambda folder: image_only_pdf(folder / "scan.pdf"))
    hostile("1.6m-paragraphs.docx", "1 600 000 empty paragraphs: 9.6 MB of XML, under the 10 MB a member may be",
            "E612", lambda folder: paragraphs_docx(folder / "1.6m-paragraphs.docx", 1_600_000))
    hostile("largest-accepted.docx", "the report's .docx at the 50 000-paragraph limit", None,
            lambda folder: largest_accepted_docx(first, folder / "largest-accepted.docx"), True)
    hostile("largest-accepted.xlsx", "the report's .xlsx and a sheet of 50 000 cells, the limit of one sheet", None,
            lambda folder: largest_accepted_xlsx(first, folder / "largest-accepted.xlsx"), True)
    return found, skipped


# -- measuring ---------------------------------------------------------------------------------
def throwaway_project(project_root: Path, target: Path) -> Path:
    """The project's catalogue, forms, departments, periods, site settings, templates and assets: no reports."""
    target.mkdir(parents=True, exist_ok=True)
    for name in ("templates", "assets"):
        shutil.copytree(project_root / name, target / name)
    for name in ("catalogue", "forms"):
        shutil.copytree(project_root / "data" / name, target / "data" / name)
    for name in ("departments.yaml", "periods.yaml", "site.yaml"):
        shutil.copy(project_root / "data" / name, target / "data" / name)
    (target / "content").mkdir(exist_ok=True)
    return target


def _files(project: Path) -> set[Path]:
    return {path for folder in ("data", "content") for path in (project / folder).rglob("*") if path.is_file()}


def _reset(project: Path, baseline: set[Path]) -> None:
    """Remove what an import wrote: every import starts from the same project, and a report the check
    refuses (SCT's E205) does not fail the imports after it."""
    for path in _files(project) - baseline:
        path.unlink()


def _error_codes(stderr: str) -> list[str]:
    return re.findall(r"\berror (E[0-9]{3})\b", stderr)


def time_import(engine: Path, project: Path, path: Path, case: Case, runs: int, cache: Path) -> dict:
    """The import of one document, `runs` times in fresh processes: the best time, its exit and problem codes."""
    command = [sys.executable, str(engine / "build.py"), "import", str(path), "--department", case.department,
               "--period", case.period, "--root", str(project), "--force"]
    env = dict(os.environ, REFORMDASH_CACHE_DIR=str(cache))
    seconds, outcomes, message = [], set(), ""
    baseline = _files(project)
    for _ in range(runs):
        _reset(project, baseline)
        started = time.perf_counter()
        try:
            done = subprocess.run(command, capture_output=True, text=True, env=env, cwd=project, check=False,
                                  timeout=TIMEOUT_SECONDS)
        except subprocess.TimeoutExpired:
            seconds.append(time.perf_counter() - started)
            outcomes.add((None, "timeout"))
            message = f"stopped after {TIMEOUT_SECONDS} s"
            break
        seconds.append(time.perf_counter() - started)
        codes = _error_codes(done.stderr)
        code = "traceback" if "Traceback (most recent call last)" in done.stderr else (codes[0] if codes else None)
        outcomes.add((done.returncode, code))
        message = next((line for line in done.stderr.splitlines() if re.search(r"\berror E[0-9]{3}\b", line)),
                       "") or (done.stderr.strip().splitlines() or [""])[-1]
    _reset(project, baseline)
    exit_code, code = next(iter(outcomes)) if len(outcomes) == 1 else (None, "differs between runs")
    best = min(seconds)
    return {"name": case.name, "what": case.what, "hostile": case.hostile, "department": case.department,
            "period": case.period, "bytes": path.stat().st_size, "seconds": best, "all_seconds": seconds,
            "exit": exit_code, "code": code, "message": message[:400],
            "expected_exit": case.expected_exit, "expected_code": case.expected_code,
            "as_expected": (exit_code, code) == (case.expected_exit, case.expected_code),
            "limit_seconds": LIMIT_SECONDS, "within_limit": best <= LIMIT_SECONDS}


def _load() -> list[float] | None:
    return [round(x, 2) for x in os.getloadavg()] if hasattr(os, "getloadavg") else None


def run_import_benchmark(project_root: Path, references: Path, runs: int = RUNS, only: set[str] | None = None,
                         workdir: Path | None = None, keep: bool = False, say=lambda message: None) -> dict:
    """The figures of every document (or of those named in `only`), as `bench --imports` writes them."""
    fixtures = project_root / "tests" / "fixtures" / "intake"
    chosen, skipped = cases(references, fixtures)
    if only is not None:
        chosen = [case for case in chosen if case.name in only]
        skipped = [note for note in skipped if note.split(":")[0] in only]
    work = workdir or Path(tempfile.mkdtemp(prefix="reformdash-bench-imports-"))
    work.mkdir(parents=True, exist_ok=True)
    figures = {"machine": machine(), "runs": runs, "limit_seconds": LIMIT_SECONDS,
               "load_average": {"before": _load()}, "documents": [], "skipped": skipped,
               "kept": str(work) if keep else None}
    try:
        engine = snapshot_engine(project_root, work)  # one version of the engine for every import of the run
        wrapper = PACKAGE_PARENT / "build.py"
        if wrapper.is_file():
            shutil.copy(wrapper, engine / "build.py")
        else:
            (engine / "build.py").write_text("import sys\nfrom reformdash.cli import main\nsys.exit(main())\n",
                                             encoding="utf-8")
        project = throwaway_project(project_root, work / "project")
        documents = work / "documents"
        documents.mkdir(exist_ok=True)
        for case in chosen:
            say(f"{case.name}: writing …")
            path = case.make(documents)
            say(f"{case.name}: importing ({runs}×) …")
            figures["documents"].append(time_import(engine, project, path, case, runs, work / "cache"))
    finally:
        figures["load_average"]["after"] = _load()
        if not keep:
            shutil.rmtree(work, ignore_errors=True)
    return figures


def _size(count: int) -> str:
    if count >= 2**20:
        return f"{count / 2**20:.1f} MB"
    return f"{count / 1024:.0f} KB" if count >= 1024 else f"{count} B"


def _outcome(exit_code: int | None, code: str | None) -> str:
    return f"{'-' if exit_code is None else exit_code} {code or ''}".rstrip()


def report(figures: dict, stream) -> None:
    """The table of documents: size, best time, the exit and first error code printed against the expected."""
    limit = f"≤ {figures['limit_seconds']:g} s"
    rows = [("document", "size", f"best of {figures['runs']}", "printed", "expected", limit, "")]
    for d in figures["documents"]:
        rows.append((d["name"], _size(d["bytes"]), f"{d['seconds']:.2f} s", _outcome(d["exit"], d["code"]),
                     _outcome(d["expected_exit"], d["expected_code"]), "yes" if d["within_limit"] else "NO",
                     "" if d["as_expected"] else "WRONG"))
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    right = {1, 2}
    for row in rows:
        print("  ".join(cell.rjust(w) if i in right else cell.ljust(w)
                        for i, (cell, w) in enumerate(zip(row, widths))).rstrip(), file=stream)
    for note in figures["skipped"]:
        print(f"skipped: {note}", file=stream)
    load = figures["load_average"]
    if load.get("before") and load.get("after"):
        print(f"machine load: {load['before'][0]:.1f} before, {load['after'][0]:.1f} after (1-minute load average "
              f"on {figures['machine']['cpus']} CPUs)", file=stream)
    wrong = [d["name"] for d in figures["documents"] if not d["as_expected"]]
    slow = [d["name"] for d in figures["documents"] if not d["within_limit"]]
    print(f"{len(figures['documents'])} documents: {len(wrong)} not ending as expected"
          + (f" ({', '.join(wrong)})" if wrong else "") + f"; {len(slow)} over {figures['limit_seconds']:g} s"
          + (f" ({', '.join(slow)})" if slow else ""), file=stream)


def run(project_root: Path, out: Path | None, only: str | None, runs: int, workdir: Path | None,
        keep: bool, command: str) -> int:
    """`bench --imports`: 0 when every document ended as expected, 1 when one did not, 2 when it cannot run."""
    references = project_root.parent / "shared" / "reference-reports"
    names = {name.strip() for name in only.split(",") if name.strip()} if only else None
    if names is not None:
        known = {case.name for case in cases(references, project_root / "tests" / "fixtures" / "intake")[0]}
        unknown = sorted(names - known)
        if unknown:
            print(f"bench: --only names no such document: {', '.join(unknown)}; the documents are: "
                  f"{', '.join(sorted(known))}", file=sys.stderr)
            return 2
    if runs < 1:
        print("bench: --runs must be at least 1", file=sys.stderr)
        return 2
    figures = run_import_benchmark(project_root, references, runs, names, workdir, keep,
                                   say=lambda message: print(message, file=sys.stderr, flush=True))
    report(figures, sys.stdout)
    out = out or project_root / "bench-results" / "bench-imports.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(dict(figures, command=command), indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"\nfigures written to {out}", file=sys.stderr)
    return 0 if all(d["as_expected"] for d in figures["documents"]) else 1
