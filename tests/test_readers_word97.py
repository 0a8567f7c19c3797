"""The legacy Word (.doc) reader: tables as the .docx reader renders them, what the page does not show left
out, damaged files as errors.

The .doc fixtures are written by LibreOffice (tests/fixtures/readers/make_doc_fixtures.py).
"""

from __future__ import annotations

import random
import shutil
import struct
from pathlib import Path

import olefile
import pytest

from ogi.parse import parse_document
from ogi.readers import read_bytes, read_file, sniff
from ogi.readers import word97
from ogi.readers.word97 import read_doc

FIXTURES = Path(__file__).parent / "fixtures" / "readers"


def doc(name: str):
    return read_doc(name, (FIXTURES / name).read_bytes())


def test_fixtures_are_small():
    for name in ("merged.doc", "cms_wordpaste.doc", "pingtan_2024_cms.doc"):
        assert (FIXTURES / name).stat().st_size < 150_000


def test_merged_cells_as_the_docx_reader_renders_them():
    d = doc("merged.doc")
    assert d.error is None and d.format == "doc"
    assert d.lines == [
        "某县某局2024年政府信息公开工作年度报告",
        "全年主动公开政府信息126条。",          # the deleted 99 and the hidden note are not read
        "二、主动公开政府信息情况",
        "信息内容 | 本年制发件数 | 本年废止件数 | 现行有效件数 |",   # nested in a layout table: read in place
        "规章 | 0 | 0 | 0 |",
        "行政规范性文件 | 12 | 4 | 310 |",
        "三、收到和处理政府信息公开申请情况",
        "申请人情况 | 自然人 | 商业企业 | 总计 |",           # two columns merged; a cell of two paragraphs
        "一、本年新收政府信息公开申请数量 | 17 | 2 | 19 |",
        "三、本年度办理结果 | （一）予以公开 | 17 | 2 | 19 |",
        "（二）部分公开 | 0 | 0 |  |",                      # the row group's continued cell is left out
        "（三）不予公开 | 0 | 0 | 0 |",
        "四、结转下年度继续办理 |  |  | 0 |",                # a blank cell over two columns stands as two
        "存在问题：解读形式单一。",                          # a manual line break ends a line
        "改进情况：增加图解。",
        "第1页",                                            # a field's result, not its instruction
    ]
    assert "3 Word table(s) rendered one row per line" in d.messages


def test_deleted_and_hidden_text_would_otherwise_join_the_numbers(monkeypatch):
    """The fixture really holds the deletion: without the character properties, 99 and 126 run together."""
    monkeypatch.setattr(word97, "_hidden_runs", lambda *args: [])
    assert doc("merged.doc").lines[1] == "全年主动公开政府信息99126条。（隐藏批注）"


def test_a_page_saved_as_doc_has_the_pages_lines():
    """The page's frame (a layout table holding the report's text and tables) is read in order; what differs
    from the HTML reading is what the page hides by style, which LibreOffice's import shows."""
    html = read_bytes("page.html", (FIXTURES / "cms_wordpaste.html").read_bytes()).lines
    word = doc("cms_wordpaste.doc").lines
    assert [line for line in word if line not in ("您的浏览器不支持JavaScript", "内部备注：此段不公开")] == html[1:]


@pytest.mark.parametrize("name", ["cms_wordpaste", "pingtan_2024_cms"])
def test_a_page_saved_as_doc_reads_as_the_page(name):
    """The same report as HTML and as .doc (the real 平潭 page among them) gives the same values."""
    html = parse_document(read_bytes(name + ".html", (FIXTURES / f"{name}.html").read_bytes())).to_dict()
    word = parse_document(read_file(FIXTURES / f"{name}.doc")).to_dict()
    assert word["format"] == "doc"
    for key in ("status", "agency", "year", "templates", "proactive", "requests", "review_litigation"):
        assert word[key] == html[key], key
    assert word["requests"]["new"] == html["requests"]["new"] and any(word["requests"]["new"])


def test_the_real_page_reads_whole():
    report = parse_document(read_file(FIXTURES / "pingtan_2024_cms.doc")).to_dict()
    assert (report["status"], report["year"]) == ("ok", 2024)
    assert report["requests"]["new"] == [217, 1, 0, 0, 0, 0, 218]       # read by hand from the page
    assert report["proactive"]["normative_documents"] == [62, 33, 440]


def test_sniffed_from_bytes_not_the_extension():
    data = (FIXTURES / "merged.doc").read_bytes()
    assert sniff(data) == "ole2"
    d = read_bytes("report.txt", data)
    assert d.format == "doc" and d.error is None and len(d.lines) == 16


def _rewrite_stream(tmp_path: Path, name: str, edit) -> bytes:
    path = tmp_path / "edited.doc"
    shutil.copy(FIXTURES / "merged.doc", path)
    with olefile.OleFileIO(str(path), write_mode=True) as ole:
        data = bytearray(ole.openstream(name).read())
        edit(data)
        ole.write_stream(name, bytes(data))
    return path.read_bytes()


def test_password_protected(tmp_path):
    def encrypt(wd):
        struct.pack_into("<H", wd, 0x0A, struct.unpack_from("<H", wd, 0x0A)[0] | 0x0100)
    d = read_bytes("locked.doc", _rewrite_stream(tmp_path, "WordDocument", encrypt))
    assert d.error == "password-protected Word document; not read" and not d.lines


def test_word_95(tmp_path):
    d = read_bytes("old.doc", _rewrite_stream(tmp_path, "WordDocument", lambda wd: struct.pack_into("<H", wd, 2, 0x68)))
    assert d.error.startswith("Word 6/95 document")


class _Ole:
    def __init__(self, *streams):
        self.streams = set(streams)

    def exists(self, name):
        return name in self.streams


@pytest.mark.parametrize("streams, kind", [
    (("Workbook",), "Excel"), (("Book",), "Excel"), (("PowerPoint Document",), "PowerPoint"),
    (("EncryptedPackage",), "password-protected"), ((), "no Word document")])
def test_other_office_files_are_named(streams, kind):
    assert kind in word97._other_kind(_Ole(*streams))


def test_an_ole2_file_without_word_is_binary():
    # the mini-stream-only container of olefile's own tests is not at hand: a .doc whose Word stream is renamed
    data = bytearray((FIXTURES / "merged.doc").read_bytes())
    name = "WordDocument".encode("utf-16-le")
    at = data.index(name)
    data[at:at + len(name)] = "WordDocumenX".encode("utf-16-le")
    d = read_bytes("sheet.xls", bytes(data))
    assert d.format == "binary" and d.error == "an OLE2 file that holds no Word document"


def test_compressed_pieces_are_read_as_8_bit_text():
    """Word stores runs of Western text one byte a character ('compressed' pieces), beside UTF-16 pieces."""
    wd = bytearray(200)
    wd[100:106] = b"ab\x93c\x94\r"                  # cp1252 curly quotes
    wd[150:154] = "表\r".encode("utf-16-le")
    plc = struct.pack("<3I", 0, 6, 8) + struct.pack("<HIH", 0, (100 * 2) | 0x40000000, 0) \
        + struct.pack("<HIH", 0, 150, 0)
    clx = b"\x01" + struct.pack("<H", 3) + b"xyz" + b"\x02" + struct.pack("<I", len(plc)) + plc
    pieces = word97._pieces(clx, (0, len(clx)))
    assert pieces == [(0, 6, 100, True), (6, 8, 150, False)]
    assert list(word97._main_text(bytes(wd), pieces, 8, [])) == [("ab“c”\r", 100, 1), ("表\r", 150, 2)]
    # hidden characters go, paragraph ends stay
    assert list(word97._main_text(bytes(wd), pieces, 8, [(101, 106)])) == [("a", 100, 1), ("\r", 105, 1),
                                                                           ("表\r", 150, 2)]


def test_field_instructions_left_open_do_not_hide_the_rest():
    fields: list[int] = []
    assert word97._without_field_codes("\x13 PAGE \x141\x15页", fields) == "1页" and fields == []
    assert word97._without_field_codes("a\x13 broken", fields) == "a" and fields == [1]


def test_damaged_files_never_raise():
    """Truncated and bit-flipped .doc files give a Document, with an error or with what could be read."""
    data = (FIXTURES / "merged.doc").read_bytes()
    rng = random.Random(20241124)
    for cut in (0, 8, 512, 1536, 4096, len(data) // 2, len(data) - 1):
        d = read_bytes("cut.doc", data[:cut])
        assert d.error or d.lines
    for _ in range(300):
        mutated = bytearray(data)
        for _ in range(rng.randint(1, 40)):
            mutated[rng.randrange(512, len(data))] = rng.randrange(256)
        d = read_bytes("flipped.doc", bytes(mutated))
        assert d.error or d.lines
