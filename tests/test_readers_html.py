"""The HTML reader: Word-paste CMS tables, encodings, and hostile pages."""

from __future__ import annotations

import contextlib
import http.server
import re
import sys
import threading
import time
from pathlib import Path
from unittest import mock

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from ogi.readers import document, read_bytes
from ogi.readers import html as html_reader
from ogi.readers.html import clean_text, join_cell_text, read_html

FIXTURES = Path(__file__).parent / "fixtures" / "readers"
CMS_PAGE = (FIXTURES / "cms_wordpaste.html").read_bytes()


@pytest.fixture(scope="module")
def cms_doc():
    return read_html("cms_wordpaste.html", CMS_PAGE)


def page(body: str, head: str = '<meta charset="utf-8">') -> bytes:
    return f"<!DOCTYPE html><html><head>{head}</head><body>{body}</body></html>".encode("utf-8")


# ---------------------------------------------------------------- table 3 of a Word-paste page


def test_cms_page_reads_without_error(cms_doc):
    assert cms_doc.error is None
    assert cms_doc.format == "html"
    assert cms_doc.encoding == "utf-8"
    assert len(cms_doc.sha256) == 64


@pytest.mark.parametrize("line", [
    "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和） | 申请人情况 |",
    "自然人 | 法人或其他组织 | 总计 |",
    "商业企业 | 科研机构 | 社会公益组织 | 法律服务机构 | 其他 |",
    "一、本年新收政府信息公开申请数量 | 17 | 1 | 0 | 0 | 1 | 0 | 19 |",
    "三、本年度办理结果 | （一）予以公开 | 17 | 1 | 0 | 0 | 1 | 0 | 19 |",
    "（二）部分公开（区分处理的，只计这一情形，不计其他情形） | 0 | 0 | 0 | 0 | 0 | 0 | 0 |",
    "（三）不予公开 | 1.属于国家秘密 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |",
    "2.其他法律行政法规禁止公开 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |",
    "3.危及“三安全一稳定” | 0 | 0 | 0 | 0 | 0 | 0 | 0 |",
    "（七）总计 | 17 | 1 | 0 | 0 | 1 | 0 | 19 |",
])
def test_table3_rows_render_like_flattened_text(cms_doc, line):
    assert line in cms_doc.lines


# A real page: the 平潭综合实验区 report for 2024 as its government site serves it (from the public archive
# changwu/pingtan-gov-zwgk-archive, pingtan/zwgk/zfxxgk/zfxxgknb/202503/97791_…/page.html): 100 KB, of which
# the report is a tenth, inside the site's menus, links and footer. Its values agree cell for cell with the
# archive's crawler text of the same report (digits run together there, so part of it is ambiguous).
def test_a_real_cms_page_reads_whole_and_leaves_its_site_out():
    import ogi

    report = ogi.parse_bytes("pingtan_2024_cms.html", (FIXTURES / "pingtan_2024_cms.html").read_bytes())
    assert (report.status, report.agency, report.year, report.region.county) == ("ok", "平潭综合实验区", 2024, "平潭县")
    assert report.proactive == {"regulations": [0, 0, 0], "normative_documents": [62, 33, 440], "licensing": 4529,
                                "penalty": 1100, "coercion": 65, "fees": 18651.06}
    assert report.requests["new"] == [217, 1, 0, 0, 0, 0, 218]
    assert report.requests["granted"] == [71, 0, 0, 0, 0, 0, 71]
    assert report.review_litigation == [2, 1, 3, 1, 7, 0, 0, 0, 0, 0, 13, 2, 4, 0, 19]
    # section 六 is one sentence; the page after it (links, 网站标识码, ICP, 主办单位) is not the report's
    assert report.sections["other"] == "2024年,无收取信息处理费情况。"


@pytest.mark.parametrize("mark", ["\u200b", "&#8203;", "\ufeff", "&shy;", "\u200d", "&zwnj;", "\u200e"])
def test_characters_that_print_nothing_inside_cells_change_no_value(mark):
    # CMS editors and WeChat leave zero-width spaces, joiners and soft hyphens anywhere, inside numbers
    # too ("2<ZWSP>17"): a reader sees 217. Spaces there cut 4529 into 45 | 29; a joiner hid most of the page.
    import random

    import ogi

    rng = random.Random(3)
    page = (FIXTURES / "pingtan_2024_cms.html").read_text(encoding="utf-8")
    marked = re.sub(r"(?<=>)[^<>]{1,40}(?=<)",
                    lambda m: "".join(c + (mark if (c.isdigit() or c > "\u2e80") and rng.random() < 0.3 else "")
                                      for c in m.group(0)), page)  # entities (&nbsp;) kept whole
    assert mark in marked
    plain = ogi.parse_bytes("page.html", page.encode())
    report = ogi.parse_bytes("page.html", marked.encode())
    assert (report.requests, report.proactive, report.review_litigation) == \
        (plain.requests, plain.proactive, plain.review_litigation)
    assert report.sections == plain.sections


def test_a_footnotes_number_in_sup_after_a_count_is_none_of_its_digits():
    # Word pastes a footnote's reference as <sup>1</sup> after the count: the joined text read 2171
    import ogi

    page = (FIXTURES / "pingtan_2024_cms.html").read_text(encoding="utf-8")
    marked = page.replace(">217<", ">217<sup>1</sup><", 1).replace(">71<", ">71<sup> 2 </sup><", 1)
    marked = marked.replace(">4529<", ">4529<sub>3</sub><", 1)
    assert marked.count("<sup>") == 2 and "<sub>" in marked
    report = ogi.parse_bytes("page.html", marked.encode())
    assert report.requests["new"] == [217, 1, 0, 0, 0, 0, 218]
    assert report.requests["granted"] == [71, 0, 0, 0, 0, 0, 71]
    assert report.proactive["licensing"] == 4529
    assert report.status == "ok"
    assert read_html("p.html", "<p>面积1200m<sup>2</sup>，注<sup>注</sup></p>".encode()).lines == ["面积1200m²，注注"]


def test_tables_pasted_as_images_are_named_and_no_section_holds_the_mark():
    # a page pasting tables 3 and 4 as pictures (common): "table(s) not found" said nothing of why
    import ogi

    cms = (FIXTURES / "pingtan_2024_cms.html").read_text(encoding="utf-8")
    tables = list(re.finditer(r"<table.*?</table>", cms, flags=re.S))
    pictured = cms
    for m in reversed(tables[1:]):
        pictured = pictured[:m.start()] + '<p><img src="/u/cms/t.png" width="600" height="400"/></p>' + pictured[m.end():]
    report = ogi.parse_bytes("page.html", pictured.encode())
    assert report.status == "partial" and report.proactive == ogi.parse_bytes("p.html", cms.encode()).proactive
    assert "2 image(s) in the report where its tables would be: a table not found may be printed as an image, " \
           "which is not read (no OCR)" in report.messages
    assert not any("[图片]" in (text or "") for text in report.sections.values())
    # an icon, an image inside a table's cell, a hidden one: no line
    doc = read_html("i.html", page('<p><img src="i.gif" width="16" height="16">正文</p>'
                                        '<table><tr><td>规章</td><td><img src="x.png">0</td><td>0</td></tr></table>'
                                        '<img src="h.png" style="display:none"><img src="big.png">'))
    assert doc.lines == ["正文", "规章 | 0 | 0 |", "[图片]"]
    # images beside tables that are read: nothing said, nothing changed
    plain = ogi.parse_bytes("p.html", cms.encode())
    with_images = ogi.parse_bytes("p.html", cms.replace("<p>", '<p><img src="a.jpg"/>', 5).encode())
    assert (with_images.requests, with_images.sections, with_images.status) == (plain.requests, plain.sections, "ok")


def test_a_picture_pasted_as_a_data_uri_is_a_picture_and_does_not_hide_the_page():
    # editors paste Word's pictures as data URIs. Over 10 MB in one attribute, libxml2 read the page as nothing
    # (status not_a_report); and base64 holds "nav", "qr", "icon" by chance, which made it the site's chrome
    import ogi

    cms = (FIXTURES / "pingtan_2024_cms.html").read_text(encoding="utf-8")
    plain = ogi.parse_bytes("p.html", cms.encode())
    big = "data:image/png;base64," + "QUJD" * 2_800_000  # 11 MB
    report = ogi.parse_bytes("p.html", cms.replace("<p>", f'<p><img width="600" src="{big}"/>', 1).encode())
    assert (report.status, report.requests, report.proactive) == ("ok", plain.requests, plain.proactive)
    doc = read_html("d.html", page('<p>正文</p><img src="data:image/png;base64,' + "A" * 200 + "navqrIcon" + "A" * 200
                                   + '"><img src="data:image/gif;base64,R0lGOD" width="16">'))
    assert doc.lines == ["正文", "[图片]"]


@pytest.mark.parametrize("blob", ["<script>var state='" + "x" * 10_600_000 + "';</script>",
                                  "<div hidden>" + "字" * 3_600_000 + "</div>"], ids=["script", "text"])
def test_a_node_over_10_mb_does_not_hide_the_page(blob):
    # libxml2 stops at a node over 10 MB without its huge option, and the page read as nothing ("failed")
    import ogi

    cms = (FIXTURES / "pingtan_2024_cms.html").read_text(encoding="utf-8")
    plain = ogi.parse_bytes("p.html", cms.encode())
    report = ogi.parse_bytes("p.html", cms.replace("<body", blob + "<body", 1).encode())
    assert (report.status, report.requests, report.proactive) == ("ok", plain.requests, plain.proactive)
    assert "a node of the page is over 10 MB (an inline script's data?): parsed without libxml2's size limits" \
        in report.messages


def test_a_report_shown_in_a_frame_is_named():
    # a page showing its report through pdf.js or an <embed>: the page has the title and nothing else
    import ogi

    html = page("<h1>某局2023年政府信息公开工作年度报告</h1>"
                '<iframe src="/pdfjs/web/viewer.html?file=%2Fupload%2F2024%2FP020240115.pdf"></iframe>'
                '<embed src="/files/report.docx"><iframe src="/share.html"></iframe>')
    report = ogi.parse_bytes("frame.html", html)
    assert report.status == "failed"
    assert ("the page shows P020240115.pdf, report.docx in a frame: the report may be that file, which is not in "
            "the page (read it itself: .pdf, .docx and .doc are read)") in report.messages


def test_blank_total_cell_is_an_empty_cell(cms_doc):
    # The total of row 二 is &nbsp; in the page: blank, not 0, and not dropped.
    assert "二、上年结转政府信息公开申请数量 | 0 | 0 | 0 | 0 | 0 | 0 |  |" in cms_doc.lines


def test_blank_colspan_cell_stands_for_each_column(cms_doc):
    # colspan="7" holding only &nbsp; and U+3000: seven blank cells.
    assert "四、结转下年度继续办理 |" + "  |" * 7 in cms_doc.lines


def test_rowspan_label_is_not_repeated(cms_doc):
    assert sum("三、本年度办理结果" in line for line in cms_doc.lines) == 1
    assert sum("（三）不予公开" in line for line in cms_doc.lines) == 1


def test_table2_in_its_own_table(cms_doc):
    assert "第二十条第（一）项 |" in cms_doc.lines
    assert "行政规范性文件 | 12 | 4 | 310 |" in cms_doc.lines


def test_reading_order_keeps_tables_between_headings(cms_doc):
    lines = cms_doc.lines
    at = lines.index
    assert at("二、主动公开政府信息情况") < at("规章 | 0 | 0 | 0 |") < at("三、收到和处理政府信息公开申请情况")
    assert at("（七）总计 | 17 | 1 | 0 | 0 | 1 | 0 | 19 |") < at("五、存在的主要问题及改进情况")


def test_narrative_one_line_per_paragraph_and_br(cms_doc):
    assert "2024年，某县某局坚持以公开为常态、不公开为例外，全面推进政务公开。" in cms_doc.lines
    assert "（一）主动公开情况。全年主动公开政府信息126条。" in cms_doc.lines
    assert "存在问题：政策解读形式较为单一。" in cms_doc.lines
    assert "改进情况：增加图解、视频等解读形式。" in cms_doc.lines


def test_title_first_and_chrome_kept_as_plain_lines(cms_doc):
    assert cms_doc.lines[0] == "某县某局2024年政府信息公开工作年度报告_某县人民政府"
    assert "附件下载：某县某局2024年年报.pdf" in cms_doc.lines
    assert not any("|" in line for line in cms_doc.lines if "首页" in line)


def test_scripts_styles_comments_and_hidden_text_dropped(cms_doc):
    text = cms_doc.text
    for absent in ("不应出现的脚本文字", "display", "MsoNormal", "头部导航", "内部备注", "JavaScript", "jquery"):
        assert absent not in text


def test_layout_table_around_the_article_is_read_as_text(cms_doc):
    # The whole article sits in one <td>; it must not become one giant cell.
    assert not any(line.startswith("某县某局2024年政府信息公开工作年度报告 |") for line in cms_doc.lines)
    assert max(len(line) for line in cms_doc.lines) < 120


# ---------------------------------------------------------------- cell text rules


@pytest.mark.parametrize("pieces, expected", [
    (["商业", "企业"], "商业企业"),
    (["（三）", "不予公开"], "（三）不予公开"),
    (["17", "件"], "17 件"),
    (["Total", "cases"], "Total cases"),
    (["\xa0", "\u3000 "], ""),
    (["三、本年度\n  办理结果"], "三、本年度办理结果"),
    (["本年度办 理结果"], "本年度办 理结果"),  # a typed space is kept: only line breaks vanish
])
def test_join_cell_text(pieces, expected):
    assert join_cell_text(pieces) == expected


def test_clean_text_collapses_whitespace():
    assert clean_text("  a \t\xa0 b\u3000c  ") == "a b c"


def test_clean_text_drops_characters_that_print_nothing():
    assert clean_text("\ufeff1\u200b9\u00ad 件\u200d") == "19 件"


def test_cell_breaks_and_spans():
    html = page("""<table>
      <tr><td rowspan="2">（三）<br>不予公开</td><td>1.属于<p>国家秘密</p></td><td>3</td><td colspan="2"> </td></tr>
      <tr><td>2.其他</td><td colspan="3">5</td></tr>
      <tr><td>&nbsp;</td><td>&#12288;</td><td></td></tr>
    </table>""")
    doc = read_html("t.html", html)
    assert doc.lines == ["（三）不予公开 | 1.属于国家秘密 | 3 |  |  |", "2.其他 | 5 |"]


def test_nested_table_rows_become_their_own_lines():
    html = page("""<table>
      <tr><td>三、本年度办理结果</td><td>合计</td></tr>
      <tr><td>（一）予以公开</td><td><table><tr><td>17</td><td>2</td></tr><tr><td>3</td><td>4</td></tr></table></td></tr>
    </table>""")
    doc = read_html("n.html", html)
    assert doc.lines == ["三、本年度办理结果 | 合计 |", "（一）予以公开 |  |", "17 | 2 |", "3 | 4 |"]


def test_sidebar_layout_table_is_read_as_text():
    article = "".join(f"<p>第{i}段：本机关依法公开政府信息，接受社会监督。</p>" for i in range(40))
    html = page(f"""<table><tr><td><ul><li>首页</li><li>政务公开</li></ul></td>
      <td><h2>一、总体情况</h2>{article}
      <table><tr><td>行政许可</td><td>5</td></tr></table></td></tr></table>""")
    doc = read_html("sidebar.html", html)
    assert doc.lines[:4] == ["首页", "政务公开", "一、总体情况", "第0段：本机关依法公开政府信息，接受社会监督。"]
    assert doc.lines[-1] == "行政许可 | 5 |"


def test_long_note_cell_does_not_unmake_a_report_table():
    note = "注：" + "本表数据按照国务院办公厅政府信息公开办公室的统一口径统计。" * 20
    html = page(f"""<table><tr><td>信息内容</td><td>本年制发件数</td><td>本年废止件数</td><td>现行有效件数</td></tr>
      <tr><td>规章</td><td>1</td><td>0</td><td>2</td></tr><tr><td colspan="4">{note}</td></tr></table>""")
    doc = read_html("note.html", html)
    assert doc.lines == ["信息内容 | 本年制发件数 | 本年废止件数 | 现行有效件数 |", "规章 | 1 | 0 | 2 |", note + " |"]


def test_hidden_cells_and_hidden_attribute_dropped():
    html = page('<table><tr><td>规章</td><td style="DISPLAY: none">99</td><td>1</td></tr></table>'
                '<p hidden>隐藏段落</p><p>正文</p>')
    doc = read_html("h.html", html)
    assert doc.lines == ["规章 | 1 |", "正文"]


@pytest.mark.parametrize("struck", ["<del>5</del>", "<s>5</s>", "<STRIKE>5</STRIKE>",
                                    '<span style="text-decoration: line-through">5</span>',
                                    '<span style="TEXT-DECORATION:underline LINE-THROUGH">5</span>',
                                    '<font style="text-decoration-line:line-through">5</font>'])
def test_struck_through_text_is_no_text(struck):
    # a corrected value printed beside the value, the old one struck through: "<del>5</del>6" read 56
    doc = read_html("s.html", page(f"<table><tr><td>规章</td><td>{struck}6</td><td>0</td></tr></table>"
                                   f"<p>本年{struck}公开</p><p style='text-decoration:underline'>正文</p>"))
    assert doc.lines == ["规章 | 6 | 0 |", "本年公开", "正文"]


@pytest.mark.parametrize("style", ["display&#58;&#110;one", "visibility:HIDDEN", "Mso-Hide: ALL",
                                   "display:&nbsp;none"])
def test_hiding_styles_in_any_spelling(style):
    # Character references and upper case must not slip past the byte check that
    # lets most pages skip looking for hidden elements.
    doc = read_html("h.html", page(f'<p style="{style}">隐藏段落</p><p>正文</p>'))
    assert doc.lines == ["正文"]


def test_all_hidden_page_is_read_with_a_message():
    doc = read_html("h.html", page('<div style="display:none"><p>全文在隐藏层中</p></div>'))
    assert doc.lines == ["全文在隐藏层中"]
    assert any("hidden" in m for m in doc.messages)


# ---------------------------------------------------------------- encodings


def test_gbk_page_with_meta_charset():
    data = CMS_PAGE.replace(b"charset=utf-8", b"charset=gb2312").decode("utf-8").encode("gbk")
    doc = read_html("gbk.html", data)
    assert doc.encoding == "gb18030"
    assert any("gb2312" in m for m in doc.messages)
    assert "一、本年新收政府信息公开申请数量 | 17 | 1 | 0 | 0 | 1 | 0 | 19 |" in doc.lines


def test_meta_says_gbk_but_bytes_are_utf8():
    # Crawlers re-save pages as UTF-8 and leave the old <meta> in place.
    doc = read_html("r.html", page("<p>予以公开</p>", head='<meta charset="gbk">'))
    assert doc.encoding == "utf-8"
    assert doc.lines == ["予以公开"]
    assert any("re-saved" in m for m in doc.messages)


def test_meta_says_latin1_around_gbk_text():
    data = '<meta charset="iso-8859-1"><p>本年新收政府信息公开申请数量</p>'.encode("gbk")
    doc = read_html("l.html", data)
    assert doc.encoding == "gb18030" and doc.lines == ["本年新收政府信息公开申请数量"]


def test_utf8_bom_wins_over_meta():
    data = b"\xef\xbb\xbf" + page("<p>部分公开</p>", head='<meta charset="big5">')
    doc = read_html("bom.html", data)
    assert doc.encoding == "utf-8" and doc.lines == ["部分公开"]
    assert any("byte-order mark" in m for m in doc.messages)


def test_undeclared_gbk_falls_back_to_detection():
    data = "<html><body><p>本年新收政府信息公开申请数量</p></body></html>".encode("gbk")
    doc = read_html("g.html", data)
    assert doc.encoding == "gb18030" and doc.lines == ["本年新收政府信息公开申请数量"]
    assert any("detected" in m for m in doc.messages)


# ---------------------------------------------------------------- hostile and broken pages


def test_entity_bomb_is_not_expanded():
    bomb = ['<?xml version="1.0"?>', "<!DOCTYPE html [", '<!ENTITY lol "lol">']
    bomb += [f'<!ENTITY lol{i} "{("&lol%s;" % (i - 1 if i > 1 else "")) * 10}">' for i in range(1, 10)]
    bomb += ["]>", "<html><body><p>正文 &lol9;</p></body></html>"]
    started = time.perf_counter()
    doc = read_html("bomb.html", "\n".join(bomb).encode())
    assert time.perf_counter() - started < 5
    assert len(doc.text) < 200
    assert "lollol" not in doc.text
    assert doc.lines[-1].startswith("正文")


def test_external_entity_and_dtd_are_not_loaded(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-CONTENT")
    uri = secret.as_uri()
    html = (f'<!DOCTYPE html SYSTEM "{uri}" [<!ENTITY xxe SYSTEM "{uri}">]>'
            f'<html><body><p>before &xxe; after</p><iframe src="{uri}"></iframe>'
            f'<object data="{uri}"></object></body></html>')
    doc = read_html("xxe.html", html.encode())
    assert "TOP-SECRET" not in doc.text
    assert "before" in doc.text


class _CountingHandler(http.server.BaseHTTPRequestHandler):
    hits: list[str] = []

    def do_GET(self):  # noqa: N802 - the stdlib's name
        self.hits.append(self.path)
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b"FETCHED-CONTENT")

    def log_message(self, *args):
        pass


def test_nothing_is_fetched_from_the_network():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _CountingHandler)
    server.timeout = 1
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        base = f"http://127.0.0.1:{server.server_address[1]}"
        html = (f'<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Strict//EN" "{base}/dtd" '
                f'[<!ENTITY ext SYSTEM "{base}/entity">]>'
                f'<html><head><link rel="stylesheet" href="{base}/css"><script src="{base}/js"></script>'
                f'<base href="{base}/"></head><body><p>text &ext;</p><img src="{base}/img">'
                f'<iframe src="{base}/frame"></iframe><xi:include xmlns:xi="http://www.w3.org/2001/XInclude" '
                f'href="{base}/xi"/></body></html>')
        doc = read_html("net.html", html.encode())
        time.sleep(0.2)
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
    assert _CountingHandler.hits == []
    assert "FETCHED" not in doc.text


@pytest.mark.parametrize("depth", [300, 5000])
def test_deeply_nested_html_keeps_its_text(depth):
    html = "<div><span>" * depth + "<p>深处 17</p>" + "</span></div>" * depth + "<p>之后</p>"
    doc = read_html("deep.html", html.encode())
    assert doc.error is None
    assert doc.lines == ["深处 17", "之后"]
    assert any("nested deeper" in m for m in doc.messages)


def test_deeply_nested_tables_do_not_crash():
    depth = 3000
    html = "<table><tr><td>" * depth + "最深处 42" + "</td></tr></table>" * depth
    doc = read_html("deep.html", html.encode())
    assert "最深处 42" in doc.text


@pytest.mark.parametrize("data, reason", [
    (b"<html><body>   </body></html>", "HTML holds no text"),
    (b"<html><head><title>T</title></head><body><script>x()</script></body></html>",
     "HTML holds no text besides its title"),
])
def test_empty_pages_give_an_error_not_an_exception(data, reason):
    assert read_html("empty.html", data).error == reason


def test_junk_markup_is_kept_as_text():
    assert read_html("junk.html", b"<<<>>>").lines == ["<<<>>>"]


def test_undecodable_bytes_give_an_error():
    doc = read_html("bad.html", bytes(range(128, 256)) * 50)
    assert doc.format == "html"
    assert doc.error == "HTML bytes do not decode as any supported encoding"


# ---------------------------------------------------------------- through the dispatcher


def test_dispatcher_routes_html():
    doc = read_bytes("x.html", CMS_PAGE)
    assert doc.format == "html" and doc.error is None
    assert "（七）总计 | 17 | 1 | 0 | 0 | 1 | 0 | 19 |" in doc.lines


def test_dispatcher_sniffs_html_saved_as_txt():
    doc = read_bytes("x.txt", page("<table><tr><td>规章</td><td>0</td></tr></table>"))
    assert doc.format == "html"
    assert doc.lines == ["规章 | 0 |"]


def test_markup_after_a_long_preamble_is_read_as_html_not_its_attributes_numbers():
    # a real page kept inside a script (上海 2019, a kiosk's menu data first): read as text, the cells'
    # style widths (width:149pt) were taken for table 2's values
    preamble = "".join(f'{{"id": "{i}", "name": "政策文件"}},\n' for i in range(200)).encode()
    rows = "".join(f"<tr><td style='width:149pt'>{label}</td><td style='width:2pt'>{v}</td></tr>"
                   for label, v in [("规章", 13)] * 12)
    doc = read_bytes("options.js", preamble + f'let content = "<p>报告</p><table>{rows}</table>";'.encode())
    assert doc.format == "html"
    assert "规章 | 13 |" in doc.lines and not any("width" in line for line in doc.lines)
    # a text report that mentions a tag or two stays text
    text = preamble + "一、总体情况\n本机关网站用<p>段落发布。\n<td>".encode()
    assert read_bytes("x.txt", text).format == "text"


# ---------------------------------------------------------------- fast paths agree with the general walk
#
# The reader skips work where it cannot change the result: a cell whose text
# sits in one text node is not walked, a page whose bytes cannot hide anything
# is not searched for hidden elements, and clean_text takes a shortcut for
# text without line breaks. Here each shortcut is held to the general path.

_TAGS = ["p", "div", "span", "b", "font", "o:p", "td", "th", "tr", "table", "tbody", "caption", "br", "script",
         "style", "select", "h3", "li", "center", "TD", "P", "DIV", "blocKquote", "img", "x-y"]
_ATTRS = ["", "", "", ' style="text-align:center"', ' style="display:none"', ' style="DISPLAY : NONE"', " hidden",
          ' style="display&#58;none"', ' style="mso-hide:all"', ' colspan="3"', ' colspan="x2y"', ' rowspan="2"',
          ' style="font-size:14px"', ' style="visibility:hidden"']
_TEXTS = ["", "一", "本年度办理\n结果", " 12 ", "0", "&nbsp;", "\u3000", "\u200b", "a b", "\r\n", "|", "（七）总计",
          "x\n y", "长" * 501, "&#12288;", "\n\n", "\xa0", "３"]
_text = st.sampled_from(_TEXTS)
def _element(inner):
    """An element of ``inner`` markup (a named function: hypothesis reads a nested lambda's source as the
    outer's, and warned that ``inner`` went unused)."""
    return st.builds(lambda tag, attrs, head, kids, tail: f"<{tag}{attrs}>{head}{''.join(kids)}</{tag}>{tail}",
                     st.sampled_from(_TAGS), st.sampled_from(_ATTRS), _text, st.lists(inner, max_size=4), _text)


_markup = st.recursive(_text, _element, max_leaves=30)
_cell_markup = st.one_of(_text, _markup, _text.map("<p><span>{}</span></p>".format),
                         st.builds("<{0}>{1}</{0}>{2}".format, st.sampled_from(_TAGS), _text, _text))
_cell_attrs = st.one_of(st.just(""), st.sampled_from(_ATTRS))
_table = st.builds(
    lambda attrs, rows: f"<table{attrs}>" + "".join(rows) + "</table>",
    _cell_attrs,
    st.lists(st.lists(st.tuples(st.sampled_from(["td", "th"]), _cell_attrs, _cell_markup)
                      .map(lambda c: f"<{c[0]}{c[1]}>{c[2]}</{c[0]}>"), min_size=1, max_size=5)
             .map(lambda cells: "<tr>" + "".join(cells) + "</tr>"), min_size=1, max_size=5))
_pages = st.lists(st.one_of(_markup, _table, _table), min_size=1, max_size=4).map("".join)


@contextlib.contextmanager
def _general_path():
    """Every cell walked, every element checked for hidden-ness."""
    with mock.patch.object(html_reader, "_lone_text", lambda cell, check_hidden: None), \
            mock.patch.object(html_reader, "_may_hide", lambda source: True), \
            mock.patch.object(html_reader, "_hides_anything", lambda root: True):
        yield


def _fields(doc):
    return doc.lines, doc.messages, doc.encoding, doc.error


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_pages)
def test_fast_paths_give_the_general_walks_document(body):
    data = page(body)
    fast = read_html("p.html", data)
    with _general_path():
        general = read_html("p.html", data)
    assert _fields(fast) == _fields(general)


def test_fast_paths_give_the_general_walks_document_on_the_fixture_page():
    with _general_path():
        general = read_html("cms_wordpaste.html", CMS_PAGE)
    assert _fields(read_html("cms_wordpaste.html", CMS_PAGE)) == _fields(general)


def test_spaces_are_what_the_whitespace_pattern_matches():
    everything = "".join(map(chr, range(sys.maxunicode + 1)))
    assert set(document._SPACES) == set("".join(document._WS_RUN.findall(everything)))


def _clean_text_by_runs(text: str) -> str:
    """clean_text without its shortcuts: one decision per whitespace run."""
    def repl(m: re.Match) -> str:
        run, start, end = m.group(0), m.start(), m.end()
        if ("\n" in run or "\r" in run) and 0 < start and end < len(text) \
                and document.is_cjk(text[start - 1]) and document.is_cjk(text[end]):
            return ""
        return " "
    text = document.INVISIBLE.sub("", text)
    return document._WS_RUN.sub(repl, text).strip()


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.one_of(st.sampled_from(document._SPACES), st.sampled_from(" \n"),
                                  st.sampled_from("a1|（一）本年度结果\ufffd\x00")), max_size=30))
@example("a  b")
@example("本年度\n  结果 ")
@example("\u200b1\u2028二\r三\ufeff")
def test_clean_text_shortcuts_agree_with_the_run_by_run_rule(text):
    assert clean_text(text) == _clean_text_by_runs(text)
