"""The Word (.docx) reader: tables as rows, merged cells as spans, bad files as errors."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import docx
import pytest
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn

from ogi.readers import read_bytes
from ogi.readers.office import _chinese_number, read_docx

FIXTURES = Path(__file__).parent / "fixtures" / "readers"

# ================================================================ DOCX


def docx_bytes(document) -> bytes:
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


def fill(table, rows):
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            if text is not None:
                table.cell(r, c).text = text


def merged_table_3(d) -> None:
    """A table 3 fragment merged the way Word users merge it (also written as .doc by
    tests/fixtures/readers/make_doc_fixtures.py)."""
    t = d.add_table(rows=6, cols=5)
    t.style = "Table Grid"
    fill(t, [
        ["申请人情况", None, "自然人", "商业企业", "总计"],
        ["一、本年新收政府信息公开申请数量", None, "17", "2", "19"],
        ["三、本年度办理结果", "（一）予以公开", "17", "2", "19"],
        [None, "（二）部分公开", "0", "0", ""],
        [None, "（三）不予公开", "0", "0", "0"],
        ["四、结转下年度继续办理", None, None, None, "0"],
    ])
    t.cell(0, 0).merge(t.cell(0, 1))             # gridSpan with text
    t.cell(1, 0).merge(t.cell(1, 1))
    t.cell(2, 0).merge(t.cell(4, 0))             # vMerge: restart + two continuations
    t.cell(5, 0).merge(t.cell(5, 1))
    t.cell(5, 2).merge(t.cell(5, 3))             # a blank cell over two columns
    # Word pastes put several paragraphs in a header cell.
    header = t.cell(0, 3)
    header.text = "商业"
    header.add_paragraph("企业")


@pytest.fixture(scope="module")
def report_docx() -> bytes:
    """A small report with a table 3 fragment merged the way Word users merge it."""
    d = docx.Document()
    d.add_heading("某县某局2024年政府信息公开工作年度报告", level=1)
    d.add_paragraph("三、收到和处理政府信息公开申请情况")
    merged_table_3(d)
    d.add_paragraph("四、政府信息公开行政复议、行政诉讼情况")
    p = d.add_paragraph("存在问题：解读形式单一。")
    p.add_run().add_break()
    p.add_run("改进情况：增加图解。")
    hidden = d.add_paragraph("公开的正文")
    hidden.add_run("（隐藏批注）").font.hidden = True
    return docx_bytes(d)


@pytest.fixture(scope="module")
def report_doc(report_docx):
    return read_docx("report.docx", report_docx)


def test_docx_reads_without_error(report_doc, report_docx):
    assert report_doc.error is None
    assert report_doc.format == "docx"
    assert report_doc.sha256 and len(report_doc.sha256) == 64


def test_docx_table_rows(report_doc):
    rows = [line for line in report_doc.lines if line.endswith(" |")]
    assert rows == [
        "申请人情况 | 自然人 | 商业企业 | 总计 |",
        "一、本年新收政府信息公开申请数量 | 17 | 2 | 19 |",
        "三、本年度办理结果 | （一）予以公开 | 17 | 2 | 19 |",
        "（二）部分公开 | 0 | 0 |  |",
        "（三）不予公开 | 0 | 0 | 0 |",
        "四、结转下年度继续办理 |  |  | 0 |",
    ]


def test_docx_body_order_interleaves_paragraphs_and_tables(report_doc):
    lines = report_doc.lines
    assert lines[0] == "某县某局2024年政府信息公开工作年度报告"
    assert lines[1] == "三、收到和处理政府信息公开申请情况"
    assert lines[2].startswith("申请人情况 |")
    assert lines[8] == "四、政府信息公开行政复议、行政诉讼情况"


def test_docx_line_break_splits_a_paragraph_and_hidden_runs_are_dropped(report_doc):
    assert "存在问题：解读形式单一。" in report_doc.lines
    assert "改进情况：增加图解。" in report_doc.lines
    assert "公开的正文" in report_doc.lines
    assert "隐藏批注" not in report_doc.text


def test_docx_nested_table_and_content_control():
    d = docx.Document()
    outer = d.add_table(rows=1, cols=2)
    outer.cell(0, 0).text = "（三）不予公开"
    inner = outer.cell(0, 1).add_table(rows=2, cols=2)
    fill(inner, [["1.属于国家秘密", "3"], ["2.其他法律行政法规禁止公开", "4"]])
    after = d.add_paragraph("表后")
    # Wrap the table in a content control (w:sdt), as report templates do.
    sdt, content = OxmlElement("w:sdt"), OxmlElement("w:sdtContent")
    outer._tbl.addprevious(sdt)
    content.append(outer._tbl)
    sdt.append(content)
    doc = read_docx("nested.docx", docx_bytes(d))
    assert doc.lines == ["（三）不予公开 |  |", "1.属于国家秘密 | 3 |", "2.其他法律行政法规禁止公开 | 4 |",
                         after.text]


def test_docx_a_raised_footnote_number_after_a_count_is_none_of_its_digits():
    # a count with a footnote's number in a superscript run, as Word sets it: joined, 217 and 1 read 2171
    d = docx.Document()
    table = d.add_table(rows=1, cols=3)
    table.cell(0, 0).text = "一、本年新收政府信息公开申请数量"
    cell = table.cell(0, 1).paragraphs[0]
    cell.add_run("217")
    cell.add_run("1").font.superscript = True
    low = table.cell(0, 2).paragraphs[0]
    low.add_run("5")
    low.add_run("2").font.subscript = True
    d.add_paragraph("面积").add_run("2").font.superscript = True
    doc = read_docx("raised.docx", docx_bytes(d))
    assert doc.lines == ["一、本年新收政府信息公开申请数量 | 217¹ | 5₂ |", "面积²"]


def test_docx_struck_through_runs_are_no_text():
    # a corrected count beside the count, the old one struck through (single or double): 5 and 6 read 56
    d = docx.Document()
    table = d.add_table(rows=1, cols=3)
    table.cell(0, 0).text = "规章"
    cell = table.cell(0, 1).paragraphs[0]
    cell.add_run("5").font.strike = True
    cell.add_run("6")
    other = table.cell(0, 2).paragraphs[0]
    other.add_run("7").font.double_strike = True
    other.add_run("0")
    kept = d.add_paragraph()
    kept.add_run("正文")
    kept.add_run("（已删）").font.strike = True
    not_struck = d.add_paragraph().add_run("未删")
    not_struck.font.strike = False
    doc = read_docx("struck.docx", docx_bytes(d))
    assert doc.lines == ["规章 | 6 | 0 |", "正文", "未删"]


def test_docx_pictures_of_some_size_are_image_lines_and_tables_pasted_so_are_named():
    # a Word report with tables 3 and 4 pasted as pictures: "table(s) not found" said nothing of why
    from docx.shared import Inches
    from PIL import Image

    import ogi

    buf = io.BytesIO()
    Image.new("RGB", (60, 40), "white").save(buf, format="PNG")
    png = buf.getvalue()
    d = docx.Document()
    d.add_paragraph("某局2023年政府信息公开工作年度报告")
    d.add_paragraph("一、总体情况")
    intro = d.add_paragraph("本年度我局……")
    intro.add_run().add_picture(io.BytesIO(png), width=Inches(0.2))  # an icon: no line
    d.add_paragraph("三、收到和处理政府信息公开申请情况")
    d.add_paragraph().add_run().add_picture(io.BytesIO(png), width=Inches(6))
    d.add_paragraph("四、政府信息公开行政复议、行政诉讼情况")
    d.add_paragraph().add_run().add_picture(io.BytesIO(png), width=Inches(6))
    table = d.add_table(rows=1, cols=2)
    table.cell(0, 0).text = "附图"
    table.cell(0, 1).paragraphs[0].add_run().add_picture(io.BytesIO(png), width=Inches(3))  # in a cell: no line
    d.add_paragraph("五、存在的主要问题及改进情况")
    d.add_paragraph("解读形式单一。")
    data = docx_bytes(d)
    lines = read_docx("pictures.docx", data).lines
    assert lines.count("[图片]") == 2 and lines[lines.index("三、收到和处理政府信息公开申请情况") + 1] == "[图片]"
    report = ogi.parse_bytes("pictures.docx", data)
    assert any(m.startswith("2 image(s) in the report where its tables would be") for m in report.messages)
    assert report.sections["requests"] == "" and report.sections["problems"] == "解读形式单一。"


def test_docx_layout_table_around_the_report_reads_as_the_page():
    """A web page saved as Word keeps the site's frame: one cell holding the report's paragraphs and its
    tables. Joined as one cell, the headings would run together; they are read in order, as lines."""
    d = docx.Document()
    frame = d.add_table(rows=1, cols=1).cell(0, 0)
    frame.text = "二、主动公开政府信息情况"
    fill(frame.add_table(rows=2, cols=4), [["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"],
                                           ["规章", "0", "0", "0"]])
    frame.add_paragraph("三、收到和处理政府信息公开申请情况")
    frame.add_paragraph("（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）")
    doc = read_docx("frame.docx", docx_bytes(d))
    assert doc.lines == ["二、主动公开政府信息情况", "信息内容 | 本年制发件数 | 本年废止件数 | 现行有效件数 |",
                         "规章 | 0 | 0 | 0 |", "三、收到和处理政府信息公开申请情况",
                         "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"]


NUMBERING = """<w:abstractNum {ns} w:abstractNumId="90">
  <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="%1、"/></w:lvl>
  <w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="（%2）"/></w:lvl>
  <w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%3."/></w:lvl>
</w:abstractNum>"""


def numbered(document, text: str, level: int, num_id: str = "90"):
    """A paragraph numbered automatically, as Word's 一、（一）1. list styles do."""
    p = document.add_paragraph(text)
    p_pr = p._p.get_or_add_pPr()
    num_pr, ilvl, num = OxmlElement("w:numPr"), OxmlElement("w:ilvl"), OxmlElement("w:numId")
    ilvl.set(qn("w:val"), str(level))
    num.set(qn("w:val"), num_id)
    num_pr.extend([ilvl, num])
    p_pr.append(num_pr)
    return p


def test_docx_automatic_numbering_is_written_out():
    d = docx.Document()
    root = d.part.numbering_part.element
    root.append(parse_xml(NUMBERING.format(ns=nsdecls("w"))))
    root.append(parse_xml(f'<w:num {nsdecls("w")} w:numId="90"><w:abstractNumId w:val="90"/></w:num>'))
    numbered(d, "总体情况", 0)
    numbered(d, "主动公开情况", 1)
    numbered(d, "依申请公开情况", 1)
    numbered(d, "收到和处理政府信息公开申请情况", 0)
    t = d.add_table(rows=2, cols=2)
    t.cell(0, 0)._tc.remove(t.cell(0, 0).paragraphs[0]._p)
    cell_p = numbered(d, "属于国家秘密", 2)
    t.cell(0, 0)._tc.append(cell_p._p)  # a numbered paragraph inside a table cell
    t.cell(0, 1).text = "0"
    numbered(d, "存在的主要问题及改进情况", 0)
    d.add_paragraph("普通段落", style="List Number")  # numbered through its style: 1.
    doc = read_docx("numbered.docx", docx_bytes(d))
    assert doc.lines == ["一、总体情况", "（一）主动公开情况", "（二）依申请公开情况",
                         "二、收到和处理政府信息公开申请情况", "1.属于国家秘密 | 0 |",
                         "三、存在的主要问题及改进情况", "1.普通段落"]


@pytest.mark.parametrize("n, expected", [(1, "一"), (10, "十"), (11, "十一"), (20, "二十"), (21, "二十一"),
                                         (100, "一百"), (105, "一百零五"), (110, "一百一十")])
def test_chinese_counting(n, expected):
    assert _chinese_number(n) == expected


def test_docx_without_text_is_an_error():
    doc = read_docx("empty.docx", docx_bytes(docx.Document()))
    assert doc.error == "Word document holds no text"


@pytest.mark.parametrize("data", [b"PK\x03\x04 not really a zip", b"", b"hello"])
def test_broken_docx_is_an_error_not_an_exception(data):
    doc = read_docx("broken.docx", data)
    assert doc.error and doc.error.startswith("not a readable .docx")


def test_zip_without_word_parts_is_an_error():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
    doc = read_docx("odd.docx", buf.getvalue())
    assert doc.error and "docx" in doc.error


def test_dispatcher_routes_docx(report_docx):
    doc = read_bytes("x.docx", report_docx)
    assert doc.format == "docx" and doc.error is None
    assert "三、本年度办理结果 | （一）予以公开 | 17 | 2 | 19 |" in doc.lines
