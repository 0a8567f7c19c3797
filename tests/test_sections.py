"""Section headings in their wild variants, and the problems section's parts."""

import ogi
import pytest
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


@pytest.mark.parametrize("number", [
    lambda k, zh: f"({zh})", lambda k, zh: f"（{zh}）", lambda k, zh: "ⅠⅡⅢⅣⅤⅥ"[k] + "、", lambda k, zh: f"{zh} ",
    lambda k, zh: f"{zh}\u3000"])
def test_headings_numbered_in_a_reports_own_scheme(number):
    # "(一)总体情况" as the top level, Roman numerals, a space for the 、: every section was lost
    words = ["总体情况", "主动公开政府信息情况", "收到和处理政府信息公开申请情况", "政府信息公开行政复议、行政诉讼情况",
             "存在的主要问题及改进情况", "其他需要报告的事项"]
    lines = []
    for k, word in enumerate(words):
        lines += [ogi.parse.tokens.normalize(number(k, "一二三四五六"[k]) + word), f"第{k + 1}节的内容。"]
        if k == 0:  # the overview's own sub-items, numbered as the headings are, but from 一 again
            lines += ["(一)主动公开情况。本年主动公开信息12条。", "(二)依申请公开情况。未收到申请。"]
    hs = find_headings(lines)
    assert [h.code for h in hs] == ["overview", "proactive", "requests", "review_litigation", "problems", "other"]
    assert [h.line for h in hs] == [0, 4, 6, 8, 10, 12]


def test_a_missing_sections_heading_is_said():
    text = (RAW / "000_a24b6662cf75509f.txt").read_text(encoding="utf-8").replace("六、其他需要报告的事项", "")
    report = ogi.parse_text(text)
    assert report.sections["other"] is None and "section heading(s) not found: other" in report.messages
    assert not any(m.startswith("section heading") for m in ogi.parse_file(RAW / "000_a24b6662cf75509f.txt").messages)


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


@pytest.mark.parametrize("mark", ["**{}**", "__{}__", "*{}*", "## {}", "### **{}**", "**{}**  "])
def test_markdown_headings_and_their_marks_are_not_section_text(mark):
    """Markdown from a converter or a model sets headings in bold (``**一、总体情况**``): no section was found, and
    under ``##`` each section's text ended with the next heading's ``##``."""
    names = ["一、总体情况", "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况",
             "四、政府信息公开行政复议、行政诉讼情况", "五、存在的主要问题及改进情况", "六、其他需要报告的事项"]
    lines = [x for k, name in enumerate(names) for x in (mark.format(name), f"第{k + 1}节的正文。")]
    hs = find_headings(lines)
    assert [h.code for h in hs] == ["overview", "proactive", "requests", "review_litigation", "problems", "other"]
    sections = split_sections(lines, hs)
    assert [sections[h.code] for h in hs] == [f"第{k + 1}节的正文。" for k in range(6)]
    bare = [mark.format("总体情况"), "正文。", mark.format("存在的主要问题"), "问题。"]
    assert split_sections(bare, find_headings(bare))["problems"] == "问题。"


def test_a_stray_space_after_a_headings_punctuation():
    """Crawler text: a stray space may follow any character of a heading, its 、 too."""
    assert codes("四、政府信息公开行政复议、 行政诉讼情况") == ["review_litigation"]


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


_HEADINGS = ["一、总体情况", "甲。", "五、存在的主要问题及改进情况", "乙。", "六、其他需要报告的事项",
             "本年度未收取信息处理费。", "某县某局", "2024年1月20日"]


@pytest.mark.parametrize("site", [
    ["分享到:", "【打印本页】【关闭窗口】"],
    ["相关链接:某县某局2022年政府信息公开工作年度报告", "上一篇:关于…的通知"],
    ["主办单位:某县人民政府办公室 承办:某县大数据中心", "网站标识码:3301000001 浙ICP备05010101号 浙公网安备 33010202000123号"],
    ["【字号:大 中 小】 浏览次数:1234", "扫一扫在手机打开当前页"],
    ["附件下载:", "Copyright © 2024 某县人民政府 版权所有"],
])
def test_the_web_page_after_the_report_is_not_the_last_section(site):
    # FORMAT.md: "site chrome surrounds the text" of crawled pages; seed 003 ends with 分享到:
    lines = _HEADINGS + site
    assert split_sections(lines, find_headings(lines))["other"] == "本年度未收取信息处理费。"  # nor the sign-off
    # a page flattened onto one line keeps the footer after the last sentence
    flat = ["".join(lines[:-len(site)]) + " ".join(site)]
    assert not any(m in split_sections(flat, find_headings(flat))["other"] for m in ("分享到", "相关链接", "网站标识码",
                                                                                   "扫一扫", "版权所有"))


@pytest.mark.parametrize("sign_off, kept", [
    (["某县某局", "2024年1月20日"], []),
    (["某县某局", "二〇二四年一月二十日"], []),
    (["2024年1月20日"], []),
    (["本年度未收取信息处理费。 某县某局 2024年1月20日"], []),  # flattened onto the last sentence's line
    (["本年度未收取信息处理费。某县某局2024年1月20日—5—"], []),  # … with the page's footer after it
    (["某县某局"], ["某县某局"]),  # no date: not a sign-off
    (["本局将于2025年3月31日前完成整改。"], ["本局将于2025年3月31日前完成整改。"]),  # a sentence ending in a date
])
def test_the_reports_sign_off_is_not_in_its_last_section(sign_off, kept):
    lines = _HEADINGS[:6 - sign_off[0].startswith("本年度")] + sign_off
    assert split_sections(lines, find_headings(lines))["other"] == "\n".join(["本年度未收取信息处理费。", *kept])


def test_page_furniture_is_not_in_a_sections_text():
    """A PDF's footers and running heads, and in running text a page number alone on its line, are no words of
    a section (they were "Page", "of", "3" in the text tables); markdown's heading marks before a sub-heading
    neither. A table's section keeps its numbers."""
    furniture = ["— 3 —", "第 2 页 共 9 页", "Page 3 of 12", "12", "3/9", "2024-03-10", "2024/1/22 09:30 某局2023年年度报告",
                 "11/24/26, 6:59 AM 某局2023年年度报告", "file:///home/u/a.html 2/5", "https://www.example.gov.cn/a.html",
                 "[图片]", "- 7 -", "_8_"]
    lines = ["一、总体情况", "甲。", *furniture, "乙。", "#### (一)存在的主要问题", "1.丙。", "2024年3月,丁。",
             "三、收到和处理政府信息公开申请情况", "12", "— 4 —", "7926.3139", "四、政府信息公开行政复议、行政诉讼情况", "0"]
    sections = split_sections(lines, find_headings(lines))
    assert sections["overview"] == "甲。\n乙。\n(一)存在的主要问题\n1.丙。\n2024年3月,丁。"
    assert sections["requests"] == "12\n7926.3139"


def test_words_a_report_uses_do_not_end_it():
    lines = _HEADINGS[:5] + ["由县政府办公室主办的政府网站运行平稳,全年浏览次数较上年增长。", "下一步,我局将继续做好相关链接的维护。"]
    assert split_sections(lines, find_headings(lines))["other"] == "\n".join(lines[5:])


def test_seed_003_ends_before_its_share_button():
    report = ogi.parse_file(RAW / "003_070df74db560079b.txt")
    assert "分享到" not in report.sections["other"]
    assert report.sections["other"].endswith("。")


def test_site_text_after_a_problems_section_without_heading():
    # seed 004 with its 五 heading and section 六 removed: the narrative after table 4 is section 五,
    # up to the page's buttons
    src = (RAW / "004_b06d21084f014798.txt").read_text(encoding="utf-8").split("\n")
    five = next(k for k, line in enumerate(src) if line.startswith("五、"))
    six = next(k for k, line in enumerate(src) if line.startswith("六、"))
    report = ogi.parse_text("\n".join(src[:five] + src[five + 1:six] + ["分享到:", "【打印本页】【关闭窗口】"]))
    assert "section 五 (problems) has no heading: the text after table 4 is taken as it" in report.messages
    assert report.sections["problems"].endswith("深度融合和协同发展。")
