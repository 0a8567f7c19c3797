"""Mirror copies in traditional characters, or glossed with pinyin, read as the report they copy."""

import re
import sys

import opencc
import pytest

from ogi.parse import parse_text, script

_TO_TRADITIONAL = opencc.OpenCC("s2t")
_TO_TAIWAN = opencc.OpenCC("s2twp")  # Taiwan phrasing: 信息 -> 資訊, 文件 -> 檔案


def _values(report):
    return (report.year, report.agency, report.requests, report.proactive, report.review_litigation,
            [(c.rule, c.scope, c.ok) for c in report.checks])


def _gloss(text: str) -> str:
    """A mirror's glosses: pinyin after some characters, as such sites print it."""
    for char, pinyin in (("報", "bào"), ("開", "kāi"), ("關", "guān"), ("請", "qǐng"), ("政", "zhèng")):
        text = text.replace(char, f"{char}({pinyin})")
    return text


@pytest.mark.parametrize("copy", ["traditional", "traditional_glossed", "glossed"])
def test_a_mirror_copy_reads_as_the_seed(seed, copy):
    path, _truth = seed
    text = path.read_text(encoding="utf-8")
    original = parse_text(text)
    mirrored = _TO_TRADITIONAL.convert(text) if copy.startswith("traditional") else text
    if copy.endswith("glossed"):
        mirrored = _gloss(mirrored if copy != "glossed" else text.replace("报", "报(bào)").replace("开", "开(kāi)"))
    assert mirrored != text
    report = parse_text(mirrored)
    assert _values(report) == _values(original)
    assert report.status == original.status
    said = " ".join(report.messages)
    assert ("traditional characters" in said) == copy.startswith("traditional")
    assert ("pinyin glosses" in said) == copy.endswith("glossed")


def test_a_mirror_copy_with_taiwan_phrasing_reads_as_the_seed(seed):
    path, _truth = seed
    text = path.read_text(encoding="utf-8")
    original = parse_text(text)
    mirrored = _TO_TAIWAN.convert(text)
    assert "規範性檔案" in mirrored or "資訊" in mirrored  # what made labels fail after t2s alone
    report = parse_text(mirrored)
    assert _values(report) == _values(original)
    assert report.status == original.status
    assert "Taiwan phrasing" in " ".join(report.messages)


def test_a_mirror_that_keeps_xinxi_but_prints_wenjian_as_dangan():
    # a real mirror: 信息 kept, 文件 printed 檔案 (so no Taiwan phrasing to undo), the row label lost
    lines = ["規範性檔案(行政機關制定發布的決定、公告) | 2 | 2 | 19 | ||"]
    assert script.to_simplified(lines) == ["规范性文件(行政机关制定发布的决定、公告) | 2 | 2 | 19 | ||"]


def test_archives_keep_their_name_through_taiwan_phrasing():
    lines = ["某市檔案館2023年政府資訊公開工作年度報告", "某市檔案局政府資訊公開", "政府資訊"]
    assert script.to_simplified(lines, taiwan=True)[:2] == ["某市档案馆2023年政府信息公开工作年度报告",
                                                           "某市档案局政府信息公开"]


def test_simplified_text_with_a_few_traditional_characters_is_left_alone():
    # a name or a quoted title in traditional script does not make a report traditional
    text = "某县人民政府2023年政府信息公开工作年度报告\n引用《臺灣關係法》與「國家」的報導。\n" + "一、总体情况\n本年度…\n" * 3
    lines = text.split("\n")
    assert script.simplify(lines, text) == (lines, [])


def test_brackets_without_tone_marks_stay():
    lines = ["依申请公开(含转办)3件", "(一)主动公开", "报告(bao)"]
    assert script.strip_glosses(lines) == lines


def test_conversion_keeps_lines():
    lines = ["政府信息公開工作年度報告", "", "| 本年新收政府信息公開申請數量 | 3 |"]
    out = script.to_simplified(lines)
    assert out == ["政府信息公开工作年度报告", "", "| 本年新收政府信息公开申请数量 | 3 |"]
    assert not any(re.search("[開報請數]", line) for line in out)


def test_without_opencc_the_text_is_read_as_it_is_and_the_report_says_so(monkeypatch, seed):
    path, _truth = seed
    mirrored = _TO_TRADITIONAL.convert(path.read_text(encoding="utf-8"))
    script._converter.cache_clear()
    monkeypatch.setitem(sys.modules, "opencc", None)  # import opencc raises ImportError
    try:
        report = parse_text(mirrored)
    finally:
        script._converter.cache_clear()
    assert report.status in ("not_a_report", "failed", "partial")
    assert any("opencc" in m and "not installed" in m for m in report.messages)
    assert not any("internal parser error" in m for m in report.messages)
