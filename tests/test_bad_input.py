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
