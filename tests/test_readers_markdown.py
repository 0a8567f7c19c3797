"""Markdown as converters write it (``ogi.readers.markdown``): pandoc's grid tables, attributes and raw HTML
tables, and the backslash escapes of mammoth, html2text and pandoc.

The fixtures are the real 平潭 CMS page (``pingtan_2024_cms.html``) converted by pandoc 2.17:
``pandoc -f html -t markdown page.html`` (``.pandoc.md``: its tables, which merge cells, kept as raw
HTML among the markdown) and the same with ``--columns=200`` (``.pandoc-grid.md``: grid tables, each
cell's text wrapped over its row's lines, the page's styles as ``[0]{style="…"}``).
"""

from pathlib import Path

import pytest

from ogi.parse import parse_document
from ogi.readers import read_bytes, read_file, sniff
from ogi.readers.markdown import markdown_with_tables, unwrap

FIXTURES = Path(__file__).parent / "fixtures" / "readers"
PAGE = FIXTURES / "pingtan_2024_cms.html"


def _values(report):
    return report.requests, report.proactive, report.review_litigation


@pytest.mark.parametrize("name", ["pingtan_2024_cms.pandoc-grid.md", "pingtan_2024_cms.pandoc.md"])
def test_pandocs_markdown_of_a_page_reads_as_the_page(name):
    """Before: 95 (grid) and 185 (raw HTML tables) of the page's 200 values; now every one."""
    page = parse_document(read_file(PAGE))
    report = parse_document(read_file(FIXTURES / name))
    assert _values(report) == _values(page)
    assert report.status == page.status == "ok"
    assert (report.agency, report.year) == (page.agency, page.year)


def test_a_grid_row_is_one_row_its_cells_pieces_joined_and_its_spans_read_as_their_text():
    """A cell wrapped inside a grid row: the label in two pieces, and a number's style attribute cut over two
    lines, whose ``14`` (of ``font-size:14px``) was read as a cell."""
    lines = ["+-------------------+-----+-------------------+-------------------+",
             "| 一、本年新收政府  |     | [3]{style=        | [12]{style=       |",
             "| 信息公开申请数量  |     | \"font-size:14px\"} | \"font-size:14px\"} |",
             "+-------------------+-----+-------------------+-------------------+",
             "| 二、上年结转      |     | 0                 | 1                 |",
             "+-------------------+-----+-------------------+-------------------+"]
    assert unwrap(lines) == ["| 一、本年新收政府信息公开申请数量 |  | 3 | 12 |", lines[4]]  # a row of one line stays
    # Latin words and numbers wrapped in one cell keep a space between them: two numbers stay two
    assert unwrap(["+----+", "| 3  |", "| 5  |", "+----+", "| 1  |", "+----+", "| 2  |", "+----+"])[0] == "| 3 5 |"


def test_a_table_bordered_only_at_its_header_keeps_a_row_a_line():
    """psql's or MySQL's tables border the header and the end only: their rows are rows, not one wrapped row."""
    psql = ["+----+----+", "| a  | b  |", "+----+----+", "| 1  | 2  |", "| 3  | 4  |", "+----+----+"]
    assert unwrap(psql) == ["| a  | b  |", "| 1  | 2  |", "| 3  | 4  |"]


def test_attributes_fences_and_block_attributes_go_their_text_stays():
    lines = ["::: {.content}", "# 某局2023年政府信息公开工作年度报告 {#title .big}", "[全年]{.x}公开[5]{style=\"a:1\"}条",
             "[width=\"99%\",cols=\"16%,6%\",]", ":::"]
    assert [line for line in unwrap(lines) if line] == ["# 某局2023年政府信息公开工作年度报告", "全年公开5条"]


def test_markdown_with_html_tables_is_told_from_a_page():
    md = (FIXTURES / "pingtan_2024_cms.pandoc.md").read_bytes()
    assert sniff(md) == "html" and markdown_with_tables(md)  # many <td>: sniffed as a page, read as markdown
    assert not markdown_with_tables(PAGE.read_bytes())
    doc = read_bytes("x.md", md)
    assert doc.format == "text" and any("HTML table(s)" in m for m in doc.messages)
    assert not any("<td" in line or "style=" in line for line in doc.lines)


def test_markdowns_backslash_escapes_are_undone():
    """mammoth's markdown of a Word report escapes a point after digits: the fee ``12555\\.2261`` was read as
    12555, and the enumerator of ``2\\.其他法律行政法规禁止公开`` as a number after the row before it."""
    text = "\n".join(["二、主动公开政府信息情况", "第二十条第（八）项", "信息内容", "本年收费金额（单位：万元）",
                      "行政事业性收费", "", "12555\\.2261", "", "\\(一\\)予以公开"])
    doc = read_bytes("x.md", text.encode("utf-8"))
    assert "12555.2261" in doc.lines and "(一)予以公开" in doc.lines
    assert any("backslash escapes" in m for m in doc.messages)
    report = parse_document(doc)
    assert report.proactive["fees"] == 12555.2261
    # a backslash before anything else stays (a path, a backslash before a Chinese character)
    assert read_bytes("x.txt", "C:\\报告\\2023.txt 是路径".encode("utf-8")).lines == ["C:\\报告\\2023.txt 是路径"]



def test_github_markdown_of_a_page_keeps_its_divs_spans_and_tables_as_html():
    """pandoc's gfm keeps the page's wrapping ``<div>``, its styled ``<span>`` headings (their attributes wrapped
    over two lines) and a table with merged cells as HTML. Opening with a tag, it was read as a page: the
    markdown around the tables collapsed onto one line, and section 二's heading, behind a ``<span>``, was lost."""
    md = "\n".join([
        '<div class="content">', "", '<span style="font-family: 黑体;">一、总体情况</span>', "", "2023年，我局……", "",
        '<span', 'style="font-family: 黑体;">二、主动公开政府信息情况</span>', "",
        "| 信息内容 | 本年制发件数 | 本年废止件数 | 现行有效件数 |", "|---|---|---|---|", "| 规章 | 0 | 0 | 0 |",
        "| 行政规范性文件 | 6 | 2 | 33 |", "",
        '<span style="font-family: 黑体;">三、收到和处理政府信息公开申请情况</span>', "",
        '<table><tr><td colspan="3">一、本年新收政府信息公开申请数量</td><td>3</td><td>0</td><td>0</td><td>0</td>'
        "<td>0</td><td>0</td><td>3</td></tr>" + "<tr><td>x</td></tr>" * 12 + "</table>", "", "</div>"])
    assert markdown_with_tables(md.encode("utf-8"))
    report = parse_document(read_bytes("x.md", md.encode("utf-8")))
    assert report.sections["proactive"] and "行政规范性文件" in report.sections["proactive"]
    assert report.proactive["normative_documents"] == [6, 2, 33]
    assert report.requests["new"] == [3, 0, 0, 0, 0, 0, 3]


def test_inline_html_tags_in_a_text_file_are_no_text():
    """A text file keeping inline tags (a converter's markdown, a crawler's text): a heading behind a ``<span>``
    is found, and the ``2`` of ``text-indent: 2em`` is no number."""
    text = "\n".join(["某局2023年政府信息公开工作年度报告", '<p style="text-indent: 2em;">一、总体情况</p>', "2023年，我局……",
                      '<span style="font-size:14px">二、主动公开政府信息情况</span>', "本年主动公开信息。"])
    doc = read_bytes("x.txt", text.encode("utf-8"))
    assert doc.format == "text" and doc.lines[1] == "一、总体情况" and not any("<" in line for line in doc.lines)
    report = parse_document(doc)
    assert report.sections["overview"] == "2023年,我局......" and report.sections["proactive"] == "本年主动公开信息。"


@pytest.mark.parametrize("space", ["&#160;", "&#xa0;", "&nbsp;", "&#12288;", "&ensp;"])
def test_entities_a_crawler_left_in_its_text_are_the_characters_they_stand_for(space):
    """``&#160;`` between a crawler's cells was read as a cell 160, a row's values a column late."""
    import ogi
    from conftest import RAW

    seed = (RAW / "000_a24b6662cf75509f.txt").read_text(encoding="utf-8")
    crawled = "\n".join(space.join(c.strip() for c in line.split("|")) if "|" in line else line
                        for line in seed.split("\n")).replace("法人或其他组织", "法人&amp;其他组织")
    assert space in crawled
    plain, report = ogi.parse_text(seed), ogi.parse_bytes("x.txt", crawled.encode("utf-8"))
    assert _values(report) == _values(plain) and report.status == plain.status
    assert _values(ogi.parse_text(crawled)) == _values(plain)  # a decoded text is cleaned as a file's is
    assert any("HTML entities" in m for m in report.messages)
    # only an entity with its semicolon, as a page writes it: R&D, &copy 5 stay as printed
    assert read_bytes("x.txt", "规章 R&D &copy 5 &#49;".encode()).lines == ["规章 R&D &copy 5 1"]


def test_a_markdown_image_alone_on_its_line_is_an_image_line():
    """html2text, pandoc and mammoth write a picture as ``![](media/image1.png)``: a table pasted as one is named
    when the table is missing, and the image is no text of its section."""
    import ogi

    text = "\n".join(["某局2023年政府信息公开工作年度报告", "一、总体情况", "本年度我局……", "二、主动公开政府信息情况",
                      "![](media/image1.png)", "三、收到和处理政府信息公开申请情况", '![表3](media/image2.png){width="6in"}',
                      "四、政府信息公开行政复议、行政诉讼情况", "![](media/image3.png)", "五、存在的主要问题及改进情况",
                      "问题是……图![](x.png)在句中"])
    report = ogi.parse_bytes("x.md", text.encode("utf-8"))
    assert read_bytes("x.md", text.encode("utf-8")).lines.count("[图片]") == 3
    assert "3 image(s) in the report where its tables would be: a table not found may be printed as an image, " \
           "which is not read (no OCR)" in report.messages
    assert report.sections["proactive"] == "" and report.sections["problems"] == "问题是......图![](x.png)在句中"
