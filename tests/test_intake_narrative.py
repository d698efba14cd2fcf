"""The narrative part of a report (before its appendix) as Markdown, and Markdown tables on the page.

Compared with the bundled narratives content/stnmt/*.md, which were typed by hand from the
reference texts: every heading's text and level and every word in order, with the differences
the typist made listed here one by one (each is the typist's choice, not the document's).
"""
from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
from docx import Document

from conftest import REFERENCE_REPORTS, ROOT
from reformdash.importers.docx_reader import read_docx_document
from reformdash.importers.narrative import appendix_start, narrative_markdown
from reformdash.importers.record import SourceDocument, SourceTable
from reformdash.importers.text import read_text_document
from reformdash.output.render import markdown_to_html

SECTION_I = "I. Tình hình thực hiện nhiệm vụ CCHC:"
SECTION_4 = "4. Cung cấp danh sách lãnh đạo, công chức phụ trách công tác CCHC:"
CONTACTS_TABLE = (
    "| STT | Nội dung | Họ tên | Chức vụ | Email/điện thoại |\n"
    "|---|---|---|---|---|\n"
    "| 1 | Lãnh đạo phụ trách CCHC | Ngô Thái Chân | Giám đốc Sở | ntchan@soctrang.gov.vn 0913 983 072 |\n"
    "| 2 | Công chức phụ trách tham mưu CCHC | Đặng Ngọc Duy Trinh | Phó Chánh Văn phòng Sở | "
    "dndtrinh@soctrang.gov.vn 0947 826 111 |\n")
FOOTNOTE = "¹ Công văn số: 50/STNMT-VP ngày 22/7/2022 về việc tham gia Hội thi trực tuyến Cải cách hành chính tỉnh " \
           "Sóc Trăng năm 2022."


def reference_markdown(name: str) -> str:
    document = read_text_document((REFERENCE_REPORTS / name).read_text(encoding="utf-8"))
    return narrative_markdown(document, appendix_start(document), emphasis=True)


def headings(markdown: str) -> list[tuple[int, str]]:
    return [(len(m[1]), m[2]) for m in re.finditer(r"(?m)^(#+) (.*)$", markdown)]


def shown_words(markdown: str) -> list[str]:
    """The words a reader sees on the page, in order."""
    page = re.sub(r"</?(a|strong|em|sup)\b[^>]*>", "", markdown_to_html(markdown))  # inline: inside a word
    return html.unescape(re.sub(r"<[^>]+>", " ", page)).split()


@pytest.mark.parametrize("report, typed", [("so-tnmt_2023-q1_report.txt", "2023-q1.md"),
                                           ("so-tnmt_2022-q3_report.txt", "2022-q3.md")])
def test_reference_narrative_has_the_typed_headings_and_words(report: str, typed: str) -> None:
    made = reference_markdown(report)
    by_hand = (ROOT / "content" / "stnmt" / typed).read_text(encoding="utf-8")
    # The document's section 'I.' holds all of it: the typist left its heading out and raised the
    # others one level; the import keeps it. Section 4 (the contacts, also in the data file) the
    # typist left out; the import keeps it, with its table.
    assert headings(made) == [(2, SECTION_I)] + [(level + 1, text) for level, text in headings(by_hand)] \
        + [(3, SECTION_4)]
    assert made.endswith(f"\n\n### {SECTION_4}\n\n{CONTACTS_TABLE}")
    body = made.replace(f"## {SECTION_I}\n\n", "", 1).replace(f"\n\n### {SECTION_4}\n\n{CONTACTS_TABLE}", "\n")
    if typed == "2022-q3.md":
        # The document prints its footnote where the page broke, inside a paragraph; the typist made
        # it a Markdown footnote at the end and joined the paragraph again.
        assert f"\n\n{FOOTNOTE}\n\n" in body
        body = body.replace(f"\n\n{FOOTNOTE}\n\n", " ")
        by_hand = by_hand.split("\n\n[^1]:")[0].replace("[^1]", "¹")
    # the typist wrote the address as a link; the document prints it in angle brackets, kept as text
    assert [re.sub("[<>]", "", w) for w in shown_words(body)] == [re.sub("[<>]", "", w) for w in shown_words(by_hand)]


def test_an_appendix_sent_alone_has_no_narrative() -> None:
    document = read_text_document((REFERENCE_REPORTS / "so-cong-thuong_2021-h1_appendix.txt").read_text())
    assert appendix_start(document) == 0
    assert narrative_markdown(document, appendix_start(document)) == ""


def test_reference_narrative_keeps_lists_and_bold() -> None:
    made = reference_markdown("so-tnmt_2022-q3_report.txt")
    assert "\n\nSản phẩm cụ thể:\n\n- Nội dung trình bày theo Phụ lục đính kèm.\n- Link Chuyên mục tuyên truyền " \
           "được phát sóng trên Đài Truyền hình Sóc Trăng: &lt;http://thst.vn/t/chuyen-muc-tai-nguyen-va-moi-" \
           "truong-18082022>.\n- Gửi đăng 01 tin bài" in made
    q1 = reference_markdown("so-tnmt_2023-q1_report.txt")
    assert "với chủ đề **“Đoàn kết, chủ động," in q1
    assert "<strong>“Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh”</strong>" in markdown_to_html(q1)


# --- a DOCX with its letterhead, a table and text that looks like Markdown ---------------------------

def write_docx(path: Path) -> None:
    doc = Document()
    letterhead = doc.add_table(rows=1, cols=2)
    letterhead.cell(0, 0).text = "UBND TỈNH SÓC TRĂNG\nSỞ TÀI NGUYÊN VÀ MÔI TRƯỜNG\nSố: 45/BC-STNMT"
    letterhead.cell(0, 1).text = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n" \
                                 "Sóc Trăng, ngày 15 tháng 3 năm 2023"
    for text in ("BÁO CÁO", "Tình hình, kết quả thực hiện cải cách hành chính quý I năm 2023",
                 "Kính gửi: Sở Nội vụ tỉnh Sóc Trăng.", "I. KẾT QUẢ THỰC HIỆN",
                 "1. Công tác chỉ đạo, điều hành", "a) Ban hành văn bản",
                 "# 3 văn bản được ban hành, *trong đó* 1 [khẩn] <b>mới</b> &amp; C:\\thu_muc | x",
                 "2. Đã ban hành 03 văn bản. Các phòng đã triển khai thực hiện đúng tiến độ đề ra trong kỳ.",
                 "> trích Kế hoạch số 03/KH-STNMT", "- Kế hoạch số 03/KH-STNMT;", "+ Phòng Tài nguyên nước;",
                 "===", "", "Kết quả cụ thể:"):
        doc.add_paragraph(text)
    table = doc.add_table(rows=2, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "Nội dung", "Kết quả | ghi chú"
    table.cell(1, 0).text = "Văn bản"
    table.cell(1, 0).add_paragraph("đã ban hành")
    table.cell(1, 1).text = "03"
    for text in ("Nơi nhận:", "- Như trên;", "GIÁM ĐỐC", "PHỤ LỤC", "THỐNG KÊ SỐ LIỆU"):
        doc.add_paragraph(text)
    appendix = doc.add_table(rows=2, cols=3)
    for column, text in enumerate(("STT", "Chỉ tiêu thống kê", "Số liệu")):
        appendix.cell(0, column).text = text
    for column, text in enumerate(("1", "Số nhiệm vụ đề ra trong kế hoạch", "22")):
        appendix.cell(1, column).text = text
    doc.save(str(path))


DOCX_MARKDOWN = """\
## I. KẾT QUẢ THỰC HIỆN

### 1. Công tác chỉ đạo, điều hành

#### a) Ban hành văn bản

\\# 3 văn bản được ban hành, \\*trong đó\\* 1 \\[khẩn\\] &lt;b>mới&lt;/b> &amp;amp; C:\\\\thu\\_muc \\| x

2\\. Đã ban hành 03 văn bản. Các phòng đã triển khai thực hiện đúng tiến độ đề ra trong kỳ.

\\> trích Kế hoạch số 03/KH-STNMT

- Kế hoạch số 03/KH-STNMT;
    - Phòng Tài nguyên nước;

&#61;==

Kết quả cụ thể:

| Nội dung | Kết quả \\| ghi chú |
|---|---|
| Văn bản đã ban hành | 03 |
"""


def test_docx_narrative_becomes_markdown_with_a_pipe_table(tmp_path: Path) -> None:
    write_docx(tmp_path / "bao-cao.docx")
    document = read_docx_document(tmp_path / "bao-cao.docx")
    assert narrative_markdown(document, appendix_start(document)) == DOCX_MARKDOWN
    page = markdown_to_html(DOCX_MARKDOWN)
    assert '<div class="scroll"><table>\n<thead>\n<tr>\n<th scope="col">Nội dung</th>\n' \
           '<th scope="col">Kết quả | ghi chú</th>\n</tr>\n</thead>\n<tbody>\n<tr>\n<td>Văn bản đã ban hành</td>\n' \
           '<td>03</td>\n</tr>\n</tbody>\n</table></div>' in page
    # what looks like Markdown or HTML in the department's words is shown as they typed it
    assert "<p># 3 văn bản được ban hành, *trong đó* 1 [khẩn] &lt;b&gt;mới&lt;/b&gt; &amp;amp; C:\\thu_muc | x</p>" \
        in page
    assert "<p>2. Đã ban hành 03 văn bản." in page and "<p>&gt; trích Kế hoạch" in page and "<p>&#61;==</p>" in page
    assert "<h3>I. KẾT QUẢ THỰC HIỆN</h3>\n<h4>1. Công tác chỉ đạo, điều hành</h4>\n<h5>a) Ban hành văn bản</h5>" \
        in page  # under the page's own h2: each one level down
    assert "<ul>\n<li>Kế hoạch số 03/KH-STNMT;<ul>\n<li>Phòng Tài nguyên nước;</li>" in page


@pytest.mark.parametrize("text", [
    "# không phải tiêu đề", "*) ghi chú", "+5 điểm", "-5%", "1. không phải danh sách đánh số. Câu thứ hai.",
    "12) mười hai", "---", "***", "> không phải trích dẫn", "    thụt vào bốn dấu cách", "```", "~~~ x",
    "[^1]: không phải chú thích", "[liên kết](javascript:alert(1))", "<http://example.org>", "a_b_c *d* **e**",
    "`mã`", "&lt; là dấu nhỏ hơn", "\\* gạch chéo", "| a | b |", "x #", "!\\[hình\\]"])
def test_text_that_looks_like_markdown_is_shown_as_typed(text: str) -> None:
    document = SourceDocument(("Nội dung:", text, SourceTable(((1, ("Cột", text)), (2, (text, "x"))))))
    page = markdown_to_html(narrative_markdown(document, None))
    shown = html.unescape(re.sub(r"<[^>]+>", "\n", page))
    typed = " ".join(text.split())
    assert [line for line in shown.split("\n") if line.strip()] == ["Nội dung:", typed, "Cột", typed, typed, "x"]
    assert "<a" not in page and "<code" not in page and "<hr" not in page and "<blockquote" not in page


def test_markdown_table_renders_as_a_table_with_raw_html_escaped() -> None:
    page = markdown_to_html("| Chỉ tiêu | <script>x</script> |\n|:---|---:|\n| [a](javascript:alert(1)) | 1 |\n")
    assert page == ('<div class="scroll"><table>\n<thead>\n<tr>\n<th scope="col">Chỉ tiêu</th>\n'
                    '<th scope="col">&lt;script&gt;x&lt;/script&gt;</th>\n</tr>\n</thead>\n<tbody>\n<tr>\n'
                    '<td><a>a</a></td>\n<td>1</td>\n</tr>\n</tbody>\n</table></div>')


@pytest.mark.parametrize("letterhead", [
    # the letterhead as paragraphs, with a title that begins with 'Báo cáo', addressees listed under 'Kính gửi:'
    ("UBND TỈNH SÓC TRĂNG", "SỞ CÔNG THƯƠNG", "Số: 12/BC-SCT", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
     "Độc lập - Tự do - Hạnh phúc", "", "Sóc Trăng, ngày 5 tháng 7 năm 2021",
     "Báo cáo kết quả thực hiện công tác cải cách hành chính 6 tháng đầu năm 2021", "Kính gửi:",
     "- Sở Nội vụ;", "- Văn phòng UBND tỉnh."),
    # 'BÁO CÁO' and its title on lines of their own, then 'Kính gửi' naming one body
    ("SỞ CÔNG THƯƠNG", "Số: 12/BC-SCT", "BÁO CÁO", "", "Kết quả thực hiện công tác cải cách hành chính",
     "Kính gửi: Sở Nội vụ."),
    # 'BÁO CÁO' and a title with no 'Kính gửi'
    ("BÁO CÁO", "Kết quả thực hiện công tác cải cách hành chính"),
])
def test_letterhead_title_and_closing_are_left_out(letterhead: tuple[str, ...]) -> None:
    body = ("I. KẾT QUẢ", "- Kế hoạch số 04/KH-SCT ngày 18/01/2021;", "Nơi nhận:", "- Như trên;", "GIÁM ĐỐC",
            "Nguyễn Văn A")
    document = SourceDocument(letterhead + body)
    assert narrative_markdown(document, None) == "## I. KẾT QUẢ\n\n- Kế hoạch số 04/KH-SCT ngày 18/01/2021;\n"


def test_the_import_writes_the_narrative_beside_the_data_and_keeps_one_typed_by_hand(capsys, project_factory):
    from test_import import REFERENCES, run_import

    name, department, period, _ = REFERENCES[0]
    root = project_factory()
    source = REFERENCE_REPORTS / name
    narrative = root / "content" / department / f"{period}.md"
    code, err = run_import(capsys, root, source, department, period)
    assert code == 0, err
    assert (f"import: wrote content/{department}/{period}.md: the text before the appendix, as Markdown; check "
            "its headings and lists against the document") in err
    written = narrative.read_text(encoding="utf-8")
    assert written.startswith("## ") and "PHỤ LỤC" not in written
    narrative.write_text("Văn bản do cán bộ gõ lại.\n", encoding="utf-8")
    (root / "data" / department / f"{period}.yaml").unlink()
    code, err = run_import(capsys, root, source, department, period)
    assert code == 0, err
    assert (f"import: content/{department}/{period}.md exists and was kept (use --force to replace it with the "
            "document's text)") in err
    assert narrative.read_text(encoding="utf-8") == "Văn bản do cán bộ gõ lại.\n"
    code, err = run_import(capsys, root, source, department, period, "--force")
    assert code == 0 and f"import: replaced content/{department}/{period}.md" in err
    assert narrative.read_text(encoding="utf-8") == written
