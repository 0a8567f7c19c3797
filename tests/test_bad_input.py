"""Bad input gets a status and a message, never an exception (issue: the parser)."""

import codecs
import subprocess
import sys

import pytest

import ogi
from conftest import RAW

SEED = RAW / "004_b06d21084f014798.txt"
TEXT = SEED.read_text(encoding="utf-8")


def parse(data: bytes, name="x.txt"):
    report = ogi.parse_bytes(name, data)
    assert report.status in {"ok", "partial", "failed", "not_a_report", "pre2019"}
    if report.status != "ok":
        assert report.messages, "a status other than ok needs a message"
    return report


@pytest.mark.parametrize("data, status, words", [
    (b"", "failed", "empty"),
    (b"  \n\t\r\n ", "failed", "whitespace"),
    (b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4, "failed", "PNG"),
    (b"PK\x03\x04" + b"\x00" * 200, "failed", "ZIP"),
    (bytes(range(256)) * 20, "failed", ""),
    (b"hello world, nothing Chinese here\n", "not_a_report", "Chinese"),
])
def test_unreadable_inputs(data, status, words):
    report = parse(data)
    assert report.status == status
    assert words.lower() in " ".join(report.messages).lower()


def _zip(*names: str, media: int = 0) -> bytes:
    import io
    import zipfile
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        if media:
            zf.writestr("media/image1.png", bytes(range(256)) * (media // 256))
        for name in names:
            zf.writestr(name, "<x/>")
    return buf.getvalue()


@pytest.mark.parametrize("data, words", [
    (_zip("OFD.xml", "Doc_0/Document.xml"), "binary file (OFD document): China's fixed-layout format, not read: "
                                            "save or print it as PDF"),
    (_zip("[Content_Types].xml", "xl/workbook.xml"), "binary file (Excel workbook (.xlsx)): not a report document"),
    (_zip("[Content_Types].xml", "ppt/presentation.xml"), "binary file (PowerPoint file (.pptx)): not a report document"),
    (_zip("report.docx", "notes.txt"), "binary file (ZIP archive): unpack it and add the files it holds"),
])
def test_zip_based_formats_are_named(data, words):
    """An .xlsx was taken for a .docx (both name [Content_Types].xml first) and an OFD file was a bare ZIP."""
    report = parse(data, "x.bin")
    assert report.status == "failed" and words in report.messages


def test_a_docx_whose_text_comes_after_its_images_is_still_a_docx():
    from ogi.readers import sniff
    assert sniff(_zip("[Content_Types].xml", "word/document.xml", media=200_000)) == "docx"


@pytest.mark.parametrize("encoding, bom", [
    ("gb18030", b""), ("gbk", b""), ("utf-16-le", codecs.BOM_UTF16_LE), ("utf-16-be", codecs.BOM_UTF16_BE),
    ("utf-16-le", b""), ("utf-8", codecs.BOM_UTF8),
])
def test_encodings_are_detected_and_said(encoding, bom):
    data = bom + TEXT.encode(encoding)
    report = parse(data)
    assert report.status == "ok"
    assert report.requests["new"] == [48, 3, 0, 0, 1, 0, 52]
    if encoding not in ("utf-8",):
        assert any(encoding.split("-")[0].upper() in m.upper() or "GB18030" in m for m in report.messages) \
            or report.encoding.startswith("utf-16")


def test_big5_traditional_text_is_decoded():
    text = "政府資訊公開工作年度報告\n一、總體情況\n本機關依法公開資訊。\n"
    report = parse(text.encode("big5"))
    assert report.encoding == "big5"
    assert report.status == "not_a_report"


def test_broken_bytes_are_reported():
    data = TEXT.encode("utf-8")
    data = data[:3000] + b"\xff\xfe\xfa" + data[3000:]
    report = parse(data)
    assert any("U+FFFD" in m for m in report.messages)


def test_a_legacy_encoded_report_with_broken_bytes_is_read_and_says_so():
    """A GB18030 page with a few bytes cut (a crawler's chunk boundary) was "not decodable" as a whole; it is read
    as GB18030, the broken bytes replaced and said, and no value changes."""
    clean = parse(TEXT.encode("gb18030"))
    data = TEXT.encode("gb18030")
    cut = data.index("二、主动公开".encode("gb18030"))
    report = parse(data[:cut] + b"\xff\x81" + data[cut:])
    assert report.encoding == "gb18030"
    assert any("GB18030" in m and "U+FFFD" in m for m in report.messages)
    assert report.requests == clean.requests and report.review_litigation == clean.review_litigation
    assert report.proactive == clean.proactive and report.status == clean.status
    # bytes that no encoding reads are still refused
    assert parse(bytes(range(128, 256)) * 40).status == "failed"


def test_truncated_mid_table():
    cut = TEXT.index("5.属于三类内部事务信息")
    report = parse(TEXT[:cut].encode("utf-8"))
    assert report.status == "partial"
    assert report.requests["denied.third_party"] == [2, 0, 0, 0, 0, 0, 2]
    assert "denied.internal_affairs" not in report.requests
    assert any("not found" in m for m in report.messages)


def test_notice_about_the_report_is_not_a_report():
    notice = ("关于做好2023年政府信息公开工作年度报告编制和发布工作的通知\n各单位：\n"
              "请于2024年1月31日前完成年度报告的编制和发布工作。\n特此通知。\n")
    report = parse(notice.encode("utf-8"))
    assert report.status == "not_a_report"


def test_the_format_notice_reposted_with_its_empty_tables_is_not_a_report():
    # 国办公开办函〔2021〕30号 reposted on a county bureau's site: the template's tables, labels only
    lines = ["发布机构 | 某市商务局 | 发文日期 | 2021-10-08 |", "发布文号 | 国办公开办函〔2021〕30号 |",
             "信息名称 | 国务院办公厅政府信息与政务公开办公室关于印发《中华人民共和国政府信息公开工作年度报告格式》的通知 |",
             "中华人民共和国政府信息公开工作年度报告格式", "政府信息公开工作年度报告(以下简称年度报告),是……法定制度安排。",
             "一、总体情况", "二、主动公开政府信息情况", "第二十条第(一)项", "信息内容 | 本年制发件数 | 本年废止件数 | 现行有效件数",
             "规章 | | |", "行政规范性文件 | | |", "第二十条第(五)项", "信息内容 | 本年处理决定数量", "行政许可 | |"]
    report = parse("\n".join(lines).encode("utf-8"))
    assert report.status == "not_a_report"
    assert any("notice about the annual reports or their format" in m for m in report.messages)
    # a report of the same agency whose table 2 holds a value stays a report
    report = parse("\n".join(lines[5:] + ["规章 | 1 | 0 | 3"]).encode("utf-8"))
    assert report.status != "not_a_report"


def test_a_page_whose_report_is_an_attachment_says_so():
    # 平潭综合实验区公安局 2020: the page holds the title and a .doc to download, no table, no section
    page = ('<html><head><meta charset="utf-8"></head><body><div>某区公安局2020年政府信息公开工作年度报告</div>'
            "<div>来源:某区公安局 时间:2021-01-28 11:10</div><div>附件下载</div>"
            '<a href="./P020240708585830864986.doc">某区公安局2020年政府信息公开工作年度报告.doc</a></body></html>')
    report = parse(page.encode("utf-8"))
    assert report.status == "failed"
    assert report.messages[-1].startswith("the report is an attachment of this page "
                                          "(某区公安局2020年政府信息公开工作年度报告.doc)")


def test_report_cut_short_before_its_tables_is_failed_not_a_non_report():
    # a page saved only up to its first section: it says what it is, its tables are missing
    cut = ("某县人民政府办公室\n2024年政府信息公开工作年度报告\n"
           "根据《中华人民共和国政府信息公开条例》和《国务院办公厅政府信息与政务公开办公室关于印发"
           "〈中华人民共和国政府信息公开工作年度报告格式〉的通知》要求，编制本报告。\n"
           "一、总体情况\n2024年，我县持续推进政务公开工作，全年主动公开政府信息1200条。")
    report = parse(cut.encode("utf-8"))
    assert report.status == "failed"
    assert any("cut short" in m for m in report.messages)
    # the notice it cites in its opening sentence does not make it a notice
    assert not ogi.parse.metadata.looks_like_notice(cut.split("\n"))


def test_a_sites_list_of_reports_is_not_a_report():
    """A crawler saves a site's index of reports: eight titles, each with its date. It was "failed", the text "may be
    cut short", as a report titled but without tables; it is a list, and says so."""
    listing = "\n".join(["首页 > 政府信息公开 > 年度报告"]
                        + [f"某市{name}局2023年政府信息公开工作年度报告 2024-01-{k + 10:02d}"
                           for k, name in enumerate("水利 交通 教育 财政 民政 司法 商务 文旅".split())]
                        + ["共8条 1/1页 上一页 下一页"])
    report = parse(listing.encode("utf-8"))
    assert report.status == "not_a_report"
    assert report.messages[-1].startswith("a list of 8 reports' titles")
    # a report's own title twice, and one related link: still a report cut short
    cut = "\n".join(["某市水利局2023年政府信息公开工作年度报告", "某市水利局2023年政府信息公开工作年度报告",
                     "一、总体情况", "2023年，我局……", "相关链接：某市水利局2022年政府信息公开工作年度报告"])
    assert parse(cut.encode("utf-8")).status == "failed"


def test_report_whose_tables_are_missing_and_notice_citing_the_format_is_still_a_report():
    # tables published as images: six headings, no table text
    body = ("2023年政府信息公开工作年度报告\n根据《关于印发〈中华人民共和国政府信息公开工作年度报告格式〉的通知》"
            "要求编制。\n一、总体情况\n全年主动公开信息。\n二、主动公开政府信息情况\n（见图）\n"
            "三、收到和处理政府信息公开申请情况\n（见图）\n四、政府信息公开行政复议、行政诉讼情况\n（见图）\n"
            "五、存在的主要问题及改进情况\n公开内容不够丰富。\n六、其他需要报告的事项\n无。\n")
    report = parse(body.encode("utf-8"))
    assert report.status == "failed"
    assert any("none of the three standard tables could be read" in m for m in report.messages)


def test_page_holding_only_table_4_reads_it():
    # one page of a longer PDF: table 4 under its heading, the next section after it
    page = ("四、因政府信息公开工作被申请行政复议提起行政诉讼情况\n行政复议 行政诉讼\n"
            "未经复议直接起诉 复议后起诉\n结果 结果 其他 尚未 总\n"
            "维持 纠正 结果 审结 计 结果 结果 其他 尚未 总 结果 结果 其他 尚未 总\n"
            "维持 纠正 结果 审结 计 维持 纠正 结果 审结 计\n1 0 0 0 1 0 0 0 0 0 0 0 0 0 0\n"
            "五、政府信息公开工作存在的主要问题及改进情况\n我局产生的政府信息大多不公开，公开的信息内容较少。\n")
    report = parse(page.encode("utf-8"))
    assert report.status == "partial"
    assert report.review_litigation == [1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]
    assert report.sections["problems"].startswith("我局产生的")


def test_pre2019_report_is_recognised():
    old = ("某市人民政府2015年政府信息公开工作年度报告\n一、概述\n二、主动公开政府信息情况\n"
           "三、依申请公开政府信息情况\n统计表\n申请总数 | 12 |\n同意公开 | 10 |\n")
    report = parse(old.encode("utf-8"))
    assert report.status == "pre2019"
    assert report.year == 2015


def test_report_with_only_some_tables_is_partial():
    cut = TEXT.index("三、收到和处理政府信息公开申请情况")
    end = TEXT.index("五、存在问题与改进路径")
    report = parse((TEXT[:cut] + TEXT[end:]).encode("utf-8"))
    assert report.status == "partial"
    assert report.proactive["licensing"] == 130024
    assert not report.requests
    assert any("not found" in m for m in report.messages)


def test_cli_never_crashes_on_a_folder_of_bad_files(tmp_path):
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "binary.txt").write_bytes(bytes(range(256)))
    (tmp_path / "报告 副本.txt").write_text(TEXT, encoding="gb18030")
    files = sorted(str(p) for p in tmp_path.iterdir()) + [str(tmp_path / "missing.txt")]
    out = subprocess.run([sys.executable, "-m", "ogi.cli", "parse", *files], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert "[failed]" in out.stdout and "[ok]" in out.stdout
    assert "cannot open file" in out.stdout


def test_report_pasted_twice():
    report = parse((TEXT + "\n" + TEXT).encode("utf-8"))
    assert report.requests["new"] == [48, 3, 0, 0, 1, 0, 52]
    assert any("appears twice with the same values" in m for m in report.messages)
    changed = TEXT.replace("48 |\n3 |", "47 |\n3 |", 1)
    report = parse((TEXT + "\n" + changed).encode("utf-8"))
    assert report.status == "partial"
    assert any("different values" in m for m in report.messages)


def test_the_digest_of_the_last_bytes_is_kept_only_for_the_same_immutable_object():
    """``sha256_bytes`` keeps the last digest (the build's worker, ``read_bytes`` and the reader each ask for it):
    another object with other bytes, or a bytearray changed in place, gets its own digest."""
    import hashlib

    from ogi.readers.document import sha256_bytes

    a, b = TEXT.encode("utf-8"), (TEXT + "。").encode("utf-8")
    for data in (a, a, b, a):
        assert sha256_bytes(data) == hashlib.sha256(data).hexdigest()
    assert sha256_bytes(bytes(bytearray(a))) == sha256_bytes(a)  # equal bytes in another object
    from ogi import accel

    if not accel.active():  # compiled, the function takes bytes only (a bytearray raises TypeError)
        mutable = bytearray(b"2019")
        first = sha256_bytes(mutable)
        mutable[:] = b"2020"
        assert sha256_bytes(mutable) == hashlib.sha256(b"2020").hexdigest() != first
    assert ogi.parse_bytes("x.txt", a).sha256 == hashlib.sha256(a).hexdigest()
