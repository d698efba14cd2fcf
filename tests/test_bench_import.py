"""`build.py bench --imports` imports a report and hostile documents it writes itself, and prints the exit and
problem code of each against the one expected. Times are printed, never asserted."""
from __future__ import annotations

import json
import re
import sys
from pathlib import Path

from conftest import ROOT
from reformdash.devtools.bench_import import Case, password_docx, report, time_import
from reformdash.cli import main

REDUCED = "stnmt-2023-q1.txt,external-entity.xlsx,password.docx,scan.pdf"


def test_a_reduced_run_prints_each_documents_exit_and_code(capsys, tmp_path: Path) -> None:
    out = tmp_path / "imports.json"
    code = main(["bench", "--imports", "--only", REDUCED, "--runs", "1", "--out", str(out), "--root", str(ROOT)])
    printed = capsys.readouterr().out
    assert code == 0, printed
    lines = printed.splitlines()
    assert re.fullmatch(r"document +size +best of 1 +printed +expected +≤ 2 s", lines[0])
    rows = [re.sub(r"\d+ KB +\d+\.\d\d s +", "SIZE TIME ", re.sub(r"(yes|NO)$", "WITHIN", line))
            for line in lines[1:5]]
    assert [" ".join(row.split()) for row in rows] == [
        "stnmt-2023-q1.txt SIZE TIME 0 0 WITHIN",
        "external-entity.xlsx SIZE TIME 1 E611 1 E611 WITHIN",
        "password.docx SIZE TIME 1 E606 1 E606 WITHIN",
        "scan.pdf SIZE TIME 1 E620 1 E620 WITHIN",
    ]
    assert re.fullmatch(r"4 documents: 0 not ending as expected; \d over 2 s.*", lines[-1])

    figures = json.loads(out.read_text(encoding="utf-8"))
    assert figures["command"] == "bench" and figures["runs"] == 1 and figures["limit_seconds"] == 2.0
    assert [(d["name"], d["exit"], d["code"], d["as_expected"]) for d in figures["documents"]] == [
        ("stnmt-2023-q1.txt", 0, None, True), ("external-entity.xlsx", 1, "E611", True),
        ("password.docx", 1, "E606", True), ("scan.pdf", 1, "E620", True)]
    messages = {d["name"]: d["message"].split(": error ", 1)[-1] for d in figures["documents"]}
    assert messages["password.docx"] == "E606: cannot read the file: the file is protected with a password (encrypted)"
    assert messages["scan.pdf"] == ("E620: cannot read the file: the PDF has no text layer: its 1 page(s) are "
                                    "images, a scan")
    assert all(isinstance(d["seconds"], float) and len(d["all_seconds"]) == 1 for d in figures["documents"])


def test_a_document_ending_with_another_code_than_expected_is_marked_wrong(capsys, tmp_path: Path,
                                                                          project_factory) -> None:
    case = Case("password.docx", "expected, wrongly, to be a damaged zip", "stnmt", "2023-q1",
                lambda folder: password_docx(folder / "password.docx"), "E607", hostile=True)
    figures = time_import(ROOT, project_factory(), case.make(tmp_path), case, 1, tmp_path / "cache")
    assert (figures["exit"], figures["code"], figures["expected_code"], figures["as_expected"]) == \
        (1, "E606", "E607", False)
    report({"documents": [figures], "runs": 1, "limit_seconds": 2.0, "skipped": [], "load_average": {},
            "machine": {"cpus": 2}}, sys.stdout)
    printed = capsys.readouterr().out.splitlines()
    assert re.fullmatch(r"password\.docx +\d+ KB +\d+\.\d\d s +1 E606 +1 E607 +(yes|NO) +WRONG", printed[1])
    assert printed[-1].startswith("1 documents: 1 not ending as expected (password.docx); ")


def test_an_unknown_document_name_is_refused_with_the_list(capsys) -> None:
    code = main(["bench", "--imports", "--only", "no-such.docx", "--root", str(ROOT)])
    err = capsys.readouterr().err
    assert code == 2
    assert err.startswith("bench: --only names no such document: no-such.docx; the documents are: "
                          "1.6m-paragraphs.docx, billion-laughs.xlsx, ")
