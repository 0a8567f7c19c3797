"""Pages flattened onto one line are cut where the template starts a new part (``ogi.parse.reflow``)."""

from ogi.parse.reflow import LONG_LINE, unflatten

NARRATIVE = "我区坚持以人民为中心深化政务公开，不断拓展重点领域信息公开的广度与深度。" * 8


def test_a_flattened_page_is_cut_before_its_headings_and_table_2_parts():
    line = (NARRATIVE + "二、主动公开政府信息情况 第二十条第(一)项信息内容本年制发件数本年废止件数现行有效件数规章000"
            "第二十条第(五)项信息内容本年处理决定数量行政许可2293"
            "三、收到和处理政府信息公开申请情况申请人情况自然人…一、本年新收政府信息公开申请数量640020470"
            "四、政府信息公开行政复议、行政诉讼情况 行政复议行政诉讼结果维持…100000000000000"
            "五、政府信息公开工作存在的主要问题及改进情况(一)存在的主要问题:解读形式不够丰富。")
    assert len(line) >= LONG_LINE
    cut = unflatten(["标题: 某区2021年度政府信息公开工作年度报告", line])
    assert cut is not None
    starts = [piece[:6] for piece in cut[1:]]
    assert starts == ["我区坚持以人", "二、主动公开", "第二十条第(", "第二十条第(", "三、收到和处", "四、政府信息",
                      "五、政府信息"]
    assert "".join(cut[1:]) == line.replace("情况 第二十条", "情况第二十条")  # nothing lost but a space at a cut


def test_ordinary_lines_are_never_touched():
    lines = ["一、总体情况", NARRATIVE, "二、主动公开政府信息情况", "第二十条第(一)项", "规章 | 0 | 0 | 0 |",
             # a long paragraph citing the article, with no heading in it
             NARRATIVE + "按照《条例》第二十条第(一)项的规定，本年新收申请均依法答复。" + NARRATIVE,
             "很长的一行，" * 100]
    assert unflatten(lines) is None


def test_a_heading_with_a_stray_space_after_an_optional_word_is_cut_before():
    """``五、政府信息公开工作存在的 主要问题`` (a crawler's stray space after 的, a word the heading may leave
    out): not cut, the problems' sentences stayed on table 4's line, and the tokenizer, keeping only what
    follows a line's last 。, lost table 4 (a case hypothesis drew)."""
    line = (NARRATIVE + "四、政府信息 公开行政复议、行政诉讼情况行政复议行政诉讼结果维持…000000000000000"
            "五、政府信息公开工作存在的 主要问题及改进情况一是政策解读形式较为单一。")
    cut = unflatten([line])
    assert cut is not None and cut[-1].startswith("五、政府信息公开工作存在的 主要问题")


def test_markdown_rows_flattened_onto_the_pages_line_are_rows_again():
    """A markdown report flattened onto one line: ``… | 0 | | 行政诉讼… | 0 …``, each row's closing bar and the
    next row's opening one, was read as a blank cell, table 4's cells a column late."""
    import ogi

    rows = ["| 项目 | 数据1 | 数据2 | 数据3 | 数据4 | 数据5 |", "|---|---|---|---|---|---|",
            "| 行政复议 | 1 | 0 | 0 | 0 | 1 |", "| 行政诉讼(未经复议直接起诉) | 0 | 2 | 0 | 0 | 2 |",
            "| 行政诉讼(复议后起诉) | 0 | 0 | 0 |  | 0 |"]
    lines = [NARRATIVE, "## 三、收到和处理政府信息公开申请情况", "| 项目 | 数据1 | 数据2 | 数据3 | 数据4 | 数据5 | 数据6 | 数据7 |",
             "|---|---|---|---|---|---|---|---|", "| 一、本年新收政府信息公开申请数量 | 3 | 0 | 0 | 0 | 0 | 0 | 3 |",
             "## 四、政府信息公开行政复议、行政诉讼情况", *rows, "## 五、存在的主要问题及改进情况", NARRATIVE]
    flat = " ".join(lines)
    cut = unflatten([flat])
    assert cut is not None and [piece.rstrip(" #") for piece in cut if piece.startswith("| 行政")] == rows[2:]
    report = ogi.parse_text(flat)
    assert report.review_litigation == [1, 0, 0, 0, 1, 0, 2, 0, 0, 2, 0, 0, 0, None, 0]
    assert report.requests["new"] == [3, 0, 0, 0, 0, 0, 3]
    # without markdown's header rule, a bar, a space and a bar stay a blank cell
    bare = unflatten([" ".join(line for line in lines if not line.startswith("|---"))])
    assert bare is not None and "| 1 | | 行政诉讼(未经复议直接起诉)" in " ".join(bare)
