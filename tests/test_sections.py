"""Section headings in their wild variants, and the problems section's parts."""

import ogi
from conftest import RAW
from ogi.parse.sections import find_headings, split_problems, split_sections


def codes(text):
    return [h.code for h in find_headings(text.split("\n"))]


def test_inline_and_glued_headings():
    # seed 001: headings inside running lines, glued to the next words
    text = "现向社会公布年度报告如下: 一、总体情况 2023年,我局……。 二、主动公开政府信息情况本单位主动公开信息4173条。"
    assert codes(text) == ["overview", "proactive"]


def test_own_numbering_typos_and_half_width():
    text = "\n".join(["第一部分 总体情况", "1. 主动公开政府信息情况", "3、收到和处理政府信息公开申请情况",
                      "四、政府信息公开行政法复议、行政诉讼情况", "(五)其他", "五.存在的主要问题及改进情况",
                      "六、其他需要报告的事项"])
    assert codes(text) == ["overview", "proactive", "requests", "review_litigation", "problems", "other"]


def test_the_templates_own_wording_of_the_headings():
    # the national template words sections 四 and 五 longer than FORMAT.md's short forms
    text = "\n".join(["一、总体情况", "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况",
                      "四、因政府信息公开工作被申请行政复议、提起行政诉讼情况",
                      "五、政府信息公开工作存在的主要问题及改进情况", "六、其他需要报告的事项"])
    assert codes(text) == ["overview", "proactive", "requests", "review_litigation", "problems", "other"]
    sections = split_sections(text.split("\n") + ["本年度存在的问题是……"], find_headings(text.split("\n")))
    assert sections["problems"] == ""  # the heading is not taken into the section's text


def test_subheadings_are_not_sections():
    text = "\n".join(["一、总体情况", "(一)主动公开情况", "(二)依申请公开情况", "二、主动公开政府信息情况"])
    hs = find_headings(text.split("\n"))
    assert [h.code for h in hs] == ["overview", "proactive"]
    assert hs[1].line == 3


def test_table_rows_are_not_headings():
    text = "\n".join(["三、收到和处理政府信息公开申请情况", "三、本年度办理结果", "四、结转下年度继续办理",
                      "四、政府信息公开行政复议、行政诉讼情况"])
    hs = find_headings(text.split("\n"))
    assert [(h.code, h.line) for h in hs] == [("requests", 0), ("review_litigation", 3)]


def test_section_text_excludes_headings():
    lines = ["一、总体情况", "甲。", "二、主动公开政府信息情况", "乙。"]
    sections = split_sections(lines, find_headings(lines))
    assert sections["overview"] == "甲。" and sections["proactive"] == "乙。"
    assert sections["other"] is None


def test_problems_parts_on_seeds():
    r0 = ogi.parse_file(RAW / "000_a24b6662cf75509f.txt")
    p0 = split_problems(r0.sections["problems"], r0.year)
    assert p0["rectification"].startswith("2023年度存在问题") and "2024年度改进情况" in p0["rectification"]
    assert p0["problems"] == "2024年度存在问题:政府信息公开质量有待提高。"
    assert p0["improvements"].startswith("下年度改进措施")

    r1 = ogi.parse_file(RAW / "001_ea69d8cda5ce10c7.txt")
    p1 = split_problems(r1.sections["problems"], r1.year)
    assert p1["rectification"].startswith("(一)2022年问题及改进情况")
    assert "二是在政务新媒体方面" in p1["problems"]
    assert p1["improvements"].startswith("下一步打算")

    r3 = ogi.parse_file(RAW / "003_070df74db560079b.txt")
    p3 = split_problems(r3.sections["problems"], r3.year)
    assert "1.信息公开工作宣传培训力度不够" in p3["problems"]
    assert p3["improvements"].startswith("2022年,我局将从以下几个方面") and not p3["rectification"]


def test_no_markers_means_problems():
    assert split_problems("工作人员不足。")["problems"] == "工作人员不足。"
    assert split_problems(None) == {"problems": "", "improvements": "", "rectification": ""}


def test_problems_section_without_heading():
    # FORMAT.md family 6: section 五 printed with no heading after table 4
    text = (RAW / "004_b06d21084f014798.txt").read_text(encoding="utf-8").replace("五、存在问题与改进路径\n", "")
    report = ogi.parse_text(text)
    assert report.sections["problems"].startswith("2024年,政府信息公开工作虽然取得了一定的成效")
    assert "下一步黔江区" in report.sections["problems"]
    assert "政府信息公开工作虽然" not in report.sections["review_litigation"]
    assert report.review_litigation == [2, 1, 0, 0, 3, 1, 0, 1, 0, 2, 0, 0, 0, 1, 1]
    assert any("no heading" in m for m in report.messages)
