"""Regenerate the value rows of the bundled reports from ../shared/reference-reports.

A maintenance script, not part of the engine: it was used once to create
data/stnmt/*.yaml and data/sct/2021-h1.yaml; the hand-written annotations
(acknowledged anomalies, remarks, template notes) were added afterwards and
are not produced here. Usage: python tools/convert_reference.py OUTDIR
"""
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from reformdash.inputs.catalogue import load_catalogue  # noqa: E402
from reformdash.importers.record import ImportedReport, match_rows, report_yaml  # noqa: E402
from reformdash.importers.text import read_appendix_file  # noqa: E402
from reformdash.model import Contact, DocumentInfo  # noqa: E402
from reformdash.problems import Collector  # noqa: E402

REFERENCES = ROOT.parent / "shared" / "reference-reports"
SOURCES = [
    ("so-tnmt_2023-q1_report.txt", "stnmt", "2023-q1", "cchc-2022", "Sở Tài nguyên và Môi trường"),
    ("so-tnmt_2022-q3_report.txt", "stnmt", "2022-q3", "cchc-2022", "Số lượng/tỷ lệ"),
    ("so-cong-thuong_2021-h1_appendix.txt", "sct", "2021-h1", "cchc-2021", "Số lượng"),
]


def main(out_dir: Path) -> None:
    catalogue = load_catalogue(ROOT / "data", ROOT, Collector())
    meta = yaml.safe_load((ROOT / "tools" / "reference-meta.yaml").read_text(encoding="utf-8"))
    for name, dept, period, form, value_column in SOURCES:
        values, mismatches = match_rows(read_appendix_file(REFERENCES / name), catalogue.forms[form], catalogue)
        if mismatches:
            raise SystemExit("\n".join(mismatches))
        info = meta.get(f"{dept}/{period}", {})
        record = ImportedReport(
            dept, period, form,
            DocumentInfo(info.get("title", ""), info.get("document_number", ""), info.get("place_date", ""),
                         value_column, name),
            tuple(Contact(**c) for c in info.get("contacts", ())), tuple(values))
        target = out_dir / dept / f"{period}.yaml"
        target.parent.mkdir(parents=True, exist_ok=True)
        header = f"{catalogue.departments[dept].name_vi}, {catalogue.periods[period].label_vi}\n" \
                 f"Converted from {name}: every value and note as the department wrote it."
        target.write_text(report_yaml(record, catalogue, header), encoding="utf-8")
        print(target)


if __name__ == "__main__":
    main(Path(sys.argv[1]))
