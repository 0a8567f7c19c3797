"""Pages saved as one file (MHTML): read as the page they hold, never as MIME text.

The archives are made here with the standard library, the way browsers and Word write them.
"""

from __future__ import annotations

import base64
import quopri
from pathlib import Path

import pytest

from ogi.parse import parse_document
from ogi.readers import read_bytes, sniff

FIXTURES = Path(__file__).parent / "fixtures" / "readers"
PAGE = (FIXTURES / "pingtan_2024_cms.html").read_bytes()   # a real report page, UTF-8
BOUNDARY = "----MultipartBoundary--abc123"


def mhtml(html: bytes, charset: str = "utf-8", encoding: str = "quoted-printable", top: str = "") -> bytes:
    """An archive as Chrome writes it (headers, the page's part, an image's part), lines ending CRLF."""
    body = quopri.encodestring(html) if encoding == "quoted-printable" else base64.encodebytes(html)
    text = (f"{top}From: <Saved by Blink>\nSnapshot-Content-Location: http://www.example.gov.cn/ndbg/t1.html\n"
            f"Subject: =?utf-8?Q?report?=\nMIME-Version: 1.0\nContent-Type: multipart/related;\n"
            f'\ttype="text/html";\n\tboundary="{BOUNDARY}"\n\n\n--{BOUNDARY}\n'
            f"Content-Type: text/html; charset={charset}\nContent-Transfer-Encoding: {encoding}\n"
            f"Content-Location: http://www.example.gov.cn/ndbg/t1.html\n\n")
    image = (f"\n--{BOUNDARY}\nContent-Type: image/gif\nContent-Transfer-Encoding: base64\n\n"
             f"R0lGODlhAQABAAAAACw=\n\n--{BOUNDARY}--\n")
    return (text.encode("ascii") + body + image.encode("ascii")).replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")


def values(doc) -> dict:
    report = parse_document(doc).to_dict()
    return {k: report[k] for k in ("status", "agency", "year", "templates", "proactive", "requests",
                                   "review_litigation", "sections")}


@pytest.mark.parametrize("encoding", ["quoted-printable", "base64"])
def test_the_saved_page_reads_as_the_page(encoding):
    page = read_bytes("t1.html", PAGE)
    saved = read_bytes("t1.txt", mhtml(PAGE, encoding=encoding))   # sniffed, not trusted from the name
    assert saved.format == "mhtml" and saved.error is None
    assert saved.lines == page.lines
    assert values(saved) == values(page)
    assert saved.messages[0] == f"page saved as MHTML: its HTML part decoded ({encoding})"


def test_before_this_reader_the_archive_read_as_no_report():
    """Read as HTML, the archive's escapes hide the Chinese text and its soft line breaks cut numbers."""
    from ogi.readers.html import read_html
    assert parse_document(read_html("t1.mhtml", mhtml(PAGE))).status == "not_a_report"


def test_a_soft_line_break_inside_a_number_is_joined():
    html = ("<html><body><table><tr><td>行政规范性文件</td><td>1300</td></tr></table></body></html>").encode()
    archive = mhtml(html).replace(b"1300", b"13=\r\n00")
    doc = read_bytes("t.mht", archive)
    assert "行政规范性文件 | 1300 |" in doc.lines


def test_the_parts_charset_comes_before_the_pages_own():
    """Word saves its .mht in the system's code page; the page inside may still name another charset."""
    gbk = read_bytes("t.mht", mhtml(PAGE.decode("utf-8").encode("gb18030"), charset="gbk"))
    assert gbk.encoding == "gb18030"
    assert values(gbk) == values(read_bytes("t1.html", PAGE))
    assert "encoding gb18030 from the MHTML part's declared charset gbk" in gbk.messages


def test_a_report_in_a_frame_is_read_after_the_page():
    shell = "<html><head><title>某县人民政府</title></head><body><p>首页</p><iframe src='r.html'></iframe></body></html>"
    archive = mhtml(shell.encode()).replace(
        f"\r\n--{BOUNDARY}\r\nContent-Type: image/gif".encode(),
        f"\r\n--{BOUNDARY}\r\nContent-Type: text/html; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable"
        f"\r\nContent-Location: cid:frame-1@mhtml.blink\r\n\r\n".encode()
        + quopri.encodestring(PAGE).replace(b"\n", b"\r\n")
        + f"\r\n--{BOUNDARY}\r\nContent-Type: image/gif".encode())
    doc = read_bytes("t.mhtml", archive)
    assert doc.lines[:2] == ["某县人民政府", "首页"]
    assert doc.lines[2:] == read_bytes("t1.html", PAGE).lines
    assert "2 HTML parts (the page and the frames it shows) read in order" in doc.messages
    assert parse_document(doc).to_dict()["requests"]["new"] == [217, 1, 0, 0, 0, 0, 218]


def test_an_archive_without_a_page():
    archive = mhtml(b"").replace(b"Content-Type: text/html; charset=utf-8", b"Content-Type: image/png")
    doc = read_bytes("t.mht", archive)
    assert doc.error == "MHTML archive holds no HTML page"
    assert parse_document(doc).status == "failed"


def test_mime_words_in_a_reports_text_are_not_an_archive():
    text = "某局2024年政府信息公开工作年度报告\nMIME-Version: 1.0 出现在正文中\nContent-Type: multipart/related\n"
    assert sniff(text.encode("utf-8")) == "text"


@pytest.mark.parametrize("cut", [10, 200, 400, 5000, 60000])
def test_a_cut_archive_never_raises(cut):
    doc = read_bytes("t.mht", mhtml(PAGE)[:cut])
    assert doc.error or doc.lines
