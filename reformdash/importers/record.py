"""The common record every importer produces, and the one writer of report YAML.

Each document format (text, and later DOCX and XLSX) turns its appendix into
AppendixRows; `match_rows` aligns them with a form version, and
`report_yaml` writes the data file with labels as comments for the clerk.
"""
from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from difflib import SequenceMatcher

from ..model import Catalogue, Contact, DocumentInfo, FormVersion
from .text import AppendixRow

_ROMAN = re.compile(r"^[IVX]+$")
_THOUSANDS = re.compile(r"^\d{1,3}(\.\d{3})+$")
_DECIMAL_COMMA = re.compile(r"^\d+,\d+$")


@dataclass(frozen=True)
class ImportedValue:
    indicator: str
    value: str  # YAML number text ("1076", "99.99"), or "" when the cell is empty
    note: str
    source_line: int


@dataclass(frozen=True)
class ImportedReport:
    department: str
    period: str
    form: str
    document: DocumentInfo
    contacts: tuple[Contact, ...]
    values: tuple[ImportedValue, ...]


def normalise_label(label: str) -> str:
    """Compare labels without diacritics, case, tags, punctuation or spacing."""
    text = re.sub(r"</?i>", "", label).lower().replace("đ", "d")
    text = "".join(c for c in unicodedata.normalize("NFD", text) if unicodedata.category(c) != "Mn")
    return " ".join(re.sub(r"[^a-z0-9%]+", " ", text).split())


def vietnamese_number(text: str) -> str:
    """'1.076' -> '1076', '99,99' -> '99.99', '02' -> '2'; other text unchanged."""
    text = text.strip()
    if _THOUSANDS.match(text):
        return text.replace(".", "")
    if _DECIMAL_COMMA.match(text):
        whole, fraction = text.split(",")
        return f"{int(whole)}.{fraction}"
    if text.isdigit():
        return str(int(text))
    return text


def match_rows(rows: list[AppendixRow], form: FormVersion, catalogue: Catalogue,
               min_similarity: float = 0.6) -> tuple[list[ImportedValue], list[str]]:
    """Align appendix rows with a form's rows in order; return values and mismatches."""
    indicator_rows = [r for r in rows if not _ROMAN.match(r.number)]
    mismatches: list[str] = []
    if len(indicator_rows) != len(form.rows):
        mismatches.append(f"the document has {len(indicator_rows)} indicator rows, form {form.id} has {len(form.rows)}")
    values = []
    for row, form_row in zip(indicator_rows, form.rows):
        ind = catalogue.indicators[form_row.indicator]
        expected = [form_row.label or ind.label_vi, ind.label_vi, *ind.aliases]
        score = max(SequenceMatcher(None, normalise_label(row.label), normalise_label(e)).ratio() for e in expected)
        if score < min_similarity:
            mismatches.append(f"line {row.line}: '{row.label}' does not look like '{ind.label_vi}' ({ind.id})")
        values.append(ImportedValue(ind.id, vietnamese_number(row.value), row.note, row.line))
    return values, mismatches


def _q(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)  # a JSON string is a valid YAML double-quoted scalar


def report_yaml(record: ImportedReport, catalogue: Catalogue, header: str = "") -> str:
    """The data file for one report, every row of the form listed in order."""
    out = [f"# {line}" for line in header.splitlines()] if header else []
    out += [f"department: {record.department}", f"period: {record.period}", f"form: {record.form}"]
    doc = record.document
    fields = [(k, getattr(doc, k)) for k in ("title", "number", "date_line", "value_column", "source")]
    if any(v for _, v in fields):
        out.append("document:")
        out += [f"  {k}: {_q(v)}" for k, v in fields if v]
    if record.contacts:
        out.append("contacts:")
        for c in record.contacts:
            out.append(f"  - role: {_q(c.role)}")
            out += [f"    {k}: {_q(getattr(c, k))}" for k in ("name", "position", "email", "phone") if getattr(c, k)]
    out.append("values:")
    area = None
    for item in record.values:
        ind = catalogue.indicators[item.indicator]
        if ind.area != area:
            area = ind.area
            title = next(a.label_vi for a in catalogue.areas if a.id == area)
            out.append(f"  # {area}. {title}")
        comment = f"  # {ind.label_vi}"
        value = item.value if item.value else "~"
        if item.value and not re.match(r"^-?\d+(\.\d+)?$", item.value):
            value = _q(item.value)  # not a number: keep it, validation will say why
        if item.note:
            out.append(f"  {item.indicator}:{comment}")
            out.append(f"    value: {value}")
            out.append(f"    note: {_q(item.note)}")
        else:
            out.append(f"  {item.indicator}: {value}{comment}")
    return "\n".join(out) + "\n"
