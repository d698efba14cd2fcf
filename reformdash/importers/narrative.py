"""The narrative part of a report (the text before its appendix) as Markdown, for content/<dept>/<period>.md.

Only what the department wrote between its letterhead and its closing is kept, every word
of it in order: the letterhead (department, national motto, number and date lines, 'BÁO
CÁO' and the title the data file records, 'Kính gửi') and the closing (from 'Nơi nhận' on:
recipients and signature) are left out, as is the appendix with its title lines.

What becomes Markdown syntax is decided here, from the numbering the official style uses:
'I.' 'II.' sections, '1.' items, '1.1' sub-items and 'a)' points are headings (when short
enough to be one), '-' '–' '•' '*' lines are list items ('+' under them: nested items),
tables are pipe tables with their first row as header. Everything else that Markdown would
read as syntax ('#', '>', '1. ' at a line's start; '*', '_', '[', '<', '|', '&name;'
anywhere) is escaped, so the page shows the department's characters, not formatting.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from .record import SourceDocument, SourceTable, appendix_header_test, clean_cell, normalise_label

# Section numbering of a Vietnamese administrative report, outermost first.
_NUMBERING = (
    ("roman", re.compile(r"([IVX]+)\.\s+")),
    ("number", re.compile(r"([0-9]{1,2})\.\s+")),
    ("sub", re.compile(r"([0-9]{1,2}\.[0-9]{1,2})\.?\s+")),
    ("subsub", re.compile(r"([0-9]{1,2}\.[0-9]{1,2}\.[0-9]{1,2})\.?\s+")),
    ("letter", re.compile(r"([a-zđ])\)\s+")),
)
_KINDS = [kind for kind, _ in _NUMBERING]
_MAX_HEADING = 200  # characters: a longer numbered paragraph is text that starts with a number
_SENTENCE_BREAK = re.compile(r"[.!?]\s+\S")

_BULLET = re.compile(r"([-–•*])\s+")  # '-', an en dash, a bullet, an asterisk: a list item
_SUB_BULLET = re.compile(r"(\+)\s+")  # '+': an item under the item before it

# Characters Markdown reads as syntax anywhere in a line, and what stands for each.
_INLINE = {"\\": "\\\\", "`": "\\`", "*": "\\*", "_": "\\_", "[": "\\[", "]": "\\]", "<": "&lt;", "|": "\\|"}
_INLINE_SYNTAX = re.compile(r"[\\`*_\[\]<|]|&(?=#?[A-Za-z0-9]+;)")
# At a line's start: a heading, quote, list item, rule, setext underline, indented code or a table row.
_LINE_START = re.compile(r"[#>+=~-]|[0-9]+(?=[.)])")
_EMPHASIS = re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*")

_LETTERHEAD = ("cong hoa xa hoi chu nghia viet nam", "doc lap tu do hanh phuc")
_NUMBER_LINE = re.compile(r"^(số|so)\s*:", re.IGNORECASE)
_DATE_LINE = re.compile(r"^[^0-9,]{2,40},\s*ngày\b.*\bnăm\s+[0-9]{4}\.?$")


@dataclass(frozen=True)
class _Block:
    kind: str  # "heading", "item", "subitem", "paragraph", "table"
    text: str = ""
    level: str = ""  # a heading's numbering kind
    table: SourceTable | None = None


def appendix_start(document: SourceDocument, table: int | None = None) -> int | None:
    """The index of the block where the appendix begins: its title lines ('PHỤ LỤC …', 'THỐNG KÊ
    SỐ LIỆU …', '(Kèm theo Báo cáo …)') when they stand just above its table, else the table (`table`: the
    block of the table read as the appendix; by default the first with its header)."""
    blocks = document.blocks
    if table is None or table < 0:
        headed = appendix_header_test(document)
        table = next((i for i, b in enumerate(blocks)
                      if isinstance(b, SourceTable) and any(headed(cells) for _, cells in b.rows)), None)
    if table is None:
        return None
    start = table
    for index in range(table - 1, max(-1, table - 8), -1):
        block = blocks[index]
        if isinstance(block, SourceTable):
            break
        if normalise_label(block).startswith("phu luc"):
            return index
        if not block.strip() or _is_appendix_title(block):
            start = index
        else:
            break
    return start


def _is_appendix_title(text: str) -> bool:
    key = normalise_label(text)
    return key.startswith(("thong ke so lieu", "kem theo bao cao", "bang ", "bieu ", "bieu so")) or \
        key in ("bang", "bieu")


def narrative_markdown(document: SourceDocument, appendix_start: int | None, emphasis: bool = False) -> str:
    """The paragraphs and tables before block `appendix_start` (None: the whole document), without
    letterhead and closing, as Markdown; '' when nothing is left.

    `emphasis`: the text marks bold as Markdown does (`**…**`), as the text extractions of
    reports do; such balanced pairs are kept as bold. Otherwise every '*' is the department's."""
    blocks = list(document.blocks[:appendix_start] if appendix_start is not None else document.blocks)
    body = _classified(blocks[_body_start(blocks):_closing_start(blocks)])
    levels = {kind: "#" * (2 + n) for n, kind in enumerate(k for k in _KINDS if any(b.level == k for b in body))}
    out: list[str] = []
    previous = ""
    nested = False  # whether the '+' items of the list at hand sit under a '-' item
    for block in body:
        if block.kind == "heading":
            text = _inline(block.text, emphasis)
            # a heading's closing '#'s are not its text to Markdown
            chunk = f"{levels[block.level]} {text[:-1] + chr(92) + '#' if text.endswith('#') else text}"
        elif block.kind in ("item", "subitem"):
            # '+' items nest under the '-' item just before them; after anything else they are a list of their own
            if block.kind == "subitem" and previous != "subitem":
                nested = previous == "item"
            chunk = ("    - " if block.kind == "subitem" and nested else "- ") + _escaped(block.text, emphasis)
        elif block.kind == "table":
            chunk = _pipe_table(block.table, emphasis)
        else:
            chunk = _escaped(block.text, emphasis)
        list_goes_on = block.kind in ("item", "subitem") and previous in ("item", "subitem")
        if out:
            out.append("\n" if list_goes_on else "\n\n")
        out.append(chunk)
        previous = block.kind
    return "".join(out) + "\n" if out else ""


def _key(block: str | SourceTable) -> str:
    return normalise_label(block) if isinstance(block, str) else ""


def _is_letterhead(block: str | SourceTable) -> bool:
    """A block of the letterhead: the national motto, the number and date lines, or a layout table holding them."""
    if isinstance(block, SourceTable):
        texts = [line.strip() for _, cells in block.rows for cell in cells for line in clean_cell(cell).split("\n")]
    else:
        texts = [" ".join(clean_cell(block).split())]
    return any(normalise_label(t) in _LETTERHEAD or _NUMBER_LINE.match(t) or _DATE_LINE.match(t.strip("*_ "))
               for t in texts if t)


def _body_start(blocks: list[str | SourceTable]) -> int:
    """The first block after the letterhead, the 'BÁO CÁO' heading, the title and 'Kính gửi'."""
    heading = next((i for i, b in enumerate(blocks[:20]) if _key(b) == "bao cao"), None)
    if heading is not None:
        start = _skip_blank(blocks, heading + 1)
        addressed = next((i for i in range(start, min(start + 4, len(blocks)))
                          if _key(blocks[i]).startswith("kinh gui")), None)
        if addressed is None:
            return start + 1  # the title, which the data file records
        return _after_addressees(blocks, addressed)
    # no 'BÁO CÁO' heading of its own: leave out the letterhead's lines, a title that begins
    # with 'Báo cáo' just under them, and 'Kính gửi'
    start = _skip_blank(blocks, max((i for i, b in enumerate(blocks[:12]) if _is_letterhead(b)), default=-1) + 1)
    if start < len(blocks) and _key(blocks[start]).startswith("bao cao "):
        start = _skip_blank(blocks, start + 1)
    if start < len(blocks) and _key(blocks[start]).startswith("kinh gui"):
        return _after_addressees(blocks, start)
    return start


def _skip_blank(blocks: list[str | SourceTable], start: int) -> int:
    while start < len(blocks) and isinstance(blocks[start], str) and not blocks[start].strip():
        start += 1
    return start


def _after_addressees(blocks: list[str | SourceTable], addressed: int) -> int:
    """The block after 'Kính gửi:' and, when it names no one on its line, the '- …' lines naming them."""
    start = addressed + 1
    if _key(blocks[addressed]) == "kinh gui":
        while start < len(blocks) and isinstance(blocks[start], str) and \
                (not blocks[start].strip() or _BULLET.match(blocks[start].strip())):
            start += 1
    return start


def _closing_start(blocks: list[str | SourceTable]) -> int:
    """Where the closing begins: the first 'Nơi nhận' (recipients, then the signature)."""
    for index, block in enumerate(blocks):
        texts = [block] if isinstance(block, str) else [cell for _, cells in block.rows for cell in cells]
        if any(normalise_label(t).startswith("noi nhan") for t in texts):
            return index
    return len(blocks)


def _classified(blocks: list[str | SourceTable]) -> list[_Block]:
    out = []
    for block in blocks:
        if isinstance(block, SourceTable):
            if any(cell.strip() for _, cells in block.rows for cell in cells):
                out.append(_Block("table", table=block))
            continue
        text = "\n".join(" ".join(line.split()) for line in clean_cell(block).split("\n") if line.strip())
        if not text:
            continue
        heading = _heading_kind(text)
        if heading:
            out.append(_Block("heading", text, heading))
        elif _SUB_BULLET.match(text):
            out.append(_Block("subitem", text[_SUB_BULLET.match(text).end():]))
        elif _BULLET.match(text):
            out.append(_Block("item", text[_BULLET.match(text).end():]))
        else:
            out.append(_Block("paragraph", text))
    return out


def _heading_kind(text: str) -> str:
    """The numbering kind of a paragraph that is a section heading: numbered, one line, short, one sentence."""
    if "\n" in text or len(text) > _MAX_HEADING or text.endswith((";", ",")):
        return ""
    for kind, pattern in reversed(_NUMBERING):  # the longest numbering first: '1.1' is not '1.'
        match = pattern.match(text)
        if match is None:
            continue
        rest = text[match.end():]
        if not rest or _SENTENCE_BREAK.search(rest) or (rest.endswith(".") and len(rest) > 100):
            return ""
        return kind
    return ""


def _inline(text: str, emphasis: bool) -> str:
    """Text with every character Markdown would read as inline syntax escaped; with `emphasis`,
    balanced '**…**' pairs kept as bold."""
    def escape(part: str) -> str:
        return _INLINE_SYNTAX.sub(lambda m: _INLINE.get(m.group(), "&amp;"), part)

    if not emphasis:
        return escape(text)
    out, at = [], 0
    for match in _EMPHASIS.finditer(text):
        out += [escape(text[at:match.start()]), "**", escape(match.group(1)), "**"]
        at = match.end()
    return "".join(out + [escape(text[at:])])


def _escaped(text: str, emphasis: bool) -> str:
    """A paragraph's text as Markdown: inline syntax escaped, and each line's start too (a line
    break the department typed is kept as a hard break)."""
    lines = []
    for line in text.split("\n"):
        line = _inline(line, emphasis)
        start = _LINE_START.match(line)
        if start:
            first = start.group()
            # a number's '.' or ')' is escaped, '=' and '~' (no Markdown escape) become character references
            if first[0].isdigit():
                line = first + "\\" + line[len(first):]
            elif first in "=~":
                line = f"&#{ord(first)};" + line[1:]
            else:
                line = "\\" + line
        lines.append(line)
    return "  \n".join(lines)


def _pipe_table(table: SourceTable, emphasis: bool) -> str:
    """A pipe table, its first row the header; a cell's line breaks become spaces (a pipe table's
    cell is one line), its '|' escaped."""
    width = table.width
    rows = [[_inline(" ".join(clean_cell(cell).split()), emphasis) for cell in cells] + [""] * (width - len(cells))
            for _, cells in table.rows]
    lines = ["| " + " | ".join(cells) + " |" for cells in rows]
    lines.insert(1, "|" + "|".join(["---"] * width) + "|")
    return "\n".join(lines)
