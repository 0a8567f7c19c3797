"""The seeds re-flattened into other layout families parse back to the truth, or say ambiguous.

These transformations are made from the real seed texts, so they keep the
real labels, typos and headers; the property tests (test_property_layouts)
cover random values.
"""

import re

import pytest

import ogi
from conftest import RAW


def crawler(text: str) -> str:
    """Crawler text: every table row glued to the next, separators gone (FORMAT.md family 3)."""
    out, buf = [], []
    for line in text.split("\n"):
        if "|" in line or (buf and re.fullmatch(r"\s*\d+\s*", line)):
            buf.append(line.replace("|", "").strip())
        else:
            if buf:
                out.append("".join(buf))
                buf = []
            out.append(line)
    if buf:
        out.append("".join(buf))
    return "\n".join(out)


def spaced(text: str) -> str:
    """PDF-to-text: cells separated by spaces, rows on lines (family 4)."""
    return "\n".join(re.sub(r"\s*\|\s*", " ", line).strip() if "|" in line else line for line in text.split("\n"))


def tabbed(text: str) -> str:
    """A table pasted from a page or a sheet: cells between tabs, a blank cell an empty field (rows only)."""
    out = []
    for line in text.split("\n"):
        parts = [p.strip() for p in line.split("|")]
        out.append("\t".join(parts).rstrip("\t") if sum(1 for p in parts if p) >= 2 else line)
    return "\n".join(out)


def assert_truth_or_ambiguous(report, truth):
    ambiguous = {c.scope: c.candidates for c in report.checks if c.rule == "ambiguous"}
    for code, expected in truth["requests"].items():
        got = report.requests.get(code)
        if got != expected:
            assert f"requests.{code}" in ambiguous, (code, got, expected)
            assert expected in ambiguous[f"requests.{code}"]
    for code, expected in truth["proactive"].items():
        got = report.proactive.get(code)
        if got != expected:
            assert f"proactive.{code}" in ambiguous, (code, got, expected)
            assert (expected if isinstance(expected, list) else [expected]) in ambiguous[f"proactive.{code}"]
    assert report.review_litigation == truth["review_litigation"]


def tables_in_an_appendix(text: str) -> str:
    """The tables moved after section 六, each run of rows under a caption ("附件：统计表", "附表1" …), their
    sections' headings and sentences left in the narrative: as reports that print "详见附表" do."""
    body, tables, in_table = [], ["附件：统计表"], False
    for line in text.split("\n"):
        if "|" in line:
            if not in_table:
                tables.append(f"附表{sum(t.startswith('附表') for t in tables) + 1}")
            tables.append(line)
        else:
            body.append(line)
        in_table = "|" in line
    return "\n".join(body + tables)


def captioned(text: str) -> str:
    """A caption before each run of table rows, where it stands: "表1 …" (its number is no cell)."""
    out, in_table, k = [], False, 0
    for line in text.split("\n"):
        if "|" in line and not in_table:
            k += 1
            out.append(f"表{k}：政府信息公开情况统计表" if k % 2 else f"附件{k}")
        out.append(line)
        in_table = "|" in line
    return "\n".join(out)


@pytest.mark.parametrize("transform", [crawler, spaced, tabbed, tables_in_an_appendix, captioned])
def test_seed_in_other_layouts(seed, transform):
    path, truth = seed
    text = path.read_text(encoding="utf-8")
    if "|" not in text:
        pytest.skip("seed 003 has no separators to remove")
    report = ogi.parse_text(transform(text), source=path.name)
    assert report.status in ("ok", "partial")
    assert_truth_or_ambiguous(report, truth)


def test_tables_in_an_appendix_are_no_text_of_the_last_section():
    text = (RAW / "000_a24b6662cf75509f.txt").read_text(encoding="utf-8")
    plain, report = ogi.parse_text(text), ogi.parse_text(tables_in_an_appendix(text))
    assert report.status == plain.status == "ok"
    assert (report.requests, report.proactive, report.review_litigation) == \
        (plain.requests, plain.proactive, plain.review_litigation)
    # "六、其他需要报告的事项" ends where "附件：统计表" begins; the narrative sections are as printed
    assert report.sections["other"] == plain.sections["other"]
    assert report.sections["problems"] == plain.sections["problems"]
    assert "|" not in report.sections["requests"]


@pytest.mark.parametrize("after", ["规章 |", "0 |", "行政规范性文件 |", "11 |", "行政许可 |"])
def test_a_page_number_alone_on_its_line_among_cells_closed_by_separators_is_no_cell(after):
    # one cell a line, each closed by "|" (seed 004); a page broke table 2 and left its number, alone and
    # without the separator: the row read 9 | 0 | 0 where 0 | 0 | 0 was printed
    text = (RAW / "004_b06d21084f014798.txt").read_text(encoding="utf-8")
    lines = text.split("\n")
    k = lines.index(after, next(i for i, line in enumerate(lines) if line.startswith("规章")))
    paged = "\n".join(lines[:k + 1] + ["9"] + lines[k + 1:])
    plain, report = ogi.parse_text(text), ogi.parse_text(paged)
    assert report.proactive == plain.proactive
    assert report.status == plain.status == "ok"
    assert any("9 printed alone on a line" in m for m in report.messages)
    # the cells of a row without separators are alone on their lines too: nothing is dropped there
    bare = ogi.parse_text("\n".join(["第二十条第(一)项", "信息内容", "本年制发件数", "本年废止件数", "现行有效件数",
                                     "规章", "9", "0", "0", "0", "行政规范性文件", "1", "2", "3"]))
    assert bare.proactive["regulations"] == [9, 0, 0]


def test_a_table_pasted_with_tabs_keeps_its_blank_cells_in_place():
    # cells between tabs, a blank cell two tabs in a row: where the blank stood is printed, not guessed
    text = "\n".join(["申请人情况", "一、本年新收政府信息公开申请数量\t3\t1\t\t0\t0\t0\t4",
                      "二、上年结转政府信息公开申请数量\t\t1\t0\t0\t0\t0\t1"])
    report = ogi.parse_text(text)
    assert report.requests["new"] == [3, 1, None, 0, 0, 0, 4]
    assert report.requests["carried_over"] == [None, 1, 0, 0, 0, 0, 1]
    # prose with a tab is still prose
    assert ogi.parse.tokens.tokenize(["一、总体情况\t2022年，我局主动公开信息"])[-1].kind == "label"


def test_the_applicants_header_repeated_at_a_page_break_is_no_row():
    # a PDF repeats a table's header on each page: "自然人 | 法人或其他组织 | 总计" named the 总计 row, and
    # 法人或其他组织 (holding 其他) a 2021 其他 row, near the table's end, so those rows were lost
    seed = (RAW / "001_ea69d8cda5ce10c7.txt").read_text(encoding="utf-8")
    lines = seed.split("\n")
    header = [line for line in lines if line.startswith(("自然人", "商业企业"))]
    assert len(header) == 2
    broken = []
    for line in lines:
        broken.append(line)
        if line.startswith(("3.补正后申请内容仍不明确", "5.要求行政机关确认")):
            broken += ["— 5 —", *header]
    whole, report = ogi.parse_text(seed), ogi.parse_text("\n".join(broken))
    assert report.requests == whole.requests
    assert report.templates == whole.templates


@pytest.mark.parametrize("name", ["000_a24b6662cf75509f.txt", "001_ea69d8cda5ce10c7.txt", "002_e7e13b9f651bd8a5.txt",
                                  "004_b06d21084f014798.txt"])
def test_a_row_label_wrapped_over_two_lines_at_any_point_reads_as_printed(name):
    # a PDF wraps a long label at its column's width: "一、本年新收" / "政府信息公开申请数量 | 48 | 3 …" gave the
    # second part, fuzzily, to the next row (上年结转 took 本年新收's 48 | 3 | 0 | 0 | 1 | 0 | 52); "(六)其他" /
    # "处理" and "(七)" / "总计" were lost. Every label of the seed, wrapped at every point:
    seed = (RAW / name).read_text(encoding="utf-8")
    whole = ogi.parse_text(seed)
    lines = seed.split("\n")
    tried = 0
    for k, line in enumerate(lines):
        label, sep, rest = line.partition("|")
        label = label.strip()
        if not sep or len(label) < 4 or not re.search(r"[\u4e00-\u9fff]", label):
            continue
        for cut in range(2, len(label) - 1):
            if label[cut - 1] in "(（" or label[cut] in ")）":
                continue  # inside an enumerator's brackets: no column wraps there
            wrapped = "\n".join(lines[:k] + [label[:cut], label[cut:] + " |" + rest] + lines[k + 1:])
            report = ogi.parse_text(wrapped)
            tried += 1
            assert (report.requests, report.proactive, report.review_litigation) == (
                whole.requests, whole.proactive, whole.review_litigation), (label[:cut], label[cut:])
    assert tried > 100


def test_a_mirrors_spam_in_the_cells_is_no_value():
    # mirror sites inject links into copied pages; in seed 004's one-cell-a-line table "0www.abc123.com |"
    # gave two numbers, 0 and 123, and every cell after it moved one place (wrong values)
    seed = (RAW / "004_b06d21084f014798.txt").read_text(encoding="utf-8")
    lines = seed.split("\n")
    spam = ["www.abc123.com", "http://m.x7.cn/a/88.html", "tj2024.net"]
    spammed = [line.replace(" |", spam[k % 3] + " |", 1) if re.fullmatch(r"\d+ \|", line) and k % 5 == 0 else line
               for k, line in enumerate(lines)]
    assert sum(a != b for a, b in zip(lines, spammed)) > 20
    whole, report = ogi.parse_text(seed), ogi.parse_text("\n".join(spammed))
    assert (report.requests, report.proactive, report.review_litigation) == (
        whole.requests, whole.proactive, whole.review_litigation)


@pytest.mark.parametrize("note", ["备注：3项收费已取消", "注：本表收费涉及12项"])
def test_a_notes_number_after_a_row_printed_blank_is_no_cell_of_it(note):
    # "行政事业性收费 | |" (blank), then a note: its number was taken for the fee
    seed = (RAW / "000_a24b6662cf75509f.txt").read_text(encoding="utf-8")
    lines = seed.split("\n")
    k = next(i for i, line in enumerate(lines) if line.startswith("行政事业性收费"))
    report = ogi.parse_text("\n".join(lines[:k] + ["行政事业性收费 |  |", note] + lines[k + 1:]))
    assert report.proactive.get("fees") is None
    assert report.requests == ogi.parse_text(seed).requests


def test_a_notes_number_inside_a_one_cell_a_line_table_is_no_cell():
    # seed 004 printed one cell a line; a note between cells ("注：其中3项…") moved every later cell of its
    # row one place, and inside table 4 it took a place among the fifteen numbers
    seed = (RAW / "004_b06d21084f014798.txt").read_text(encoding="utf-8")
    lines = seed.split("\n")
    noted = []
    for k, line in enumerate(lines):
        noted.append(line)
        if re.fullmatch(r"\d+ \|", line) and k % 9 == 0:
            noted.append("注：其中3项为依申请公开")
    whole, report = ogi.parse_text(seed), ogi.parse_text("\n".join(noted))
    assert len(noted) - len(lines) > 10
    for code, values in report.requests.items():
        assert all(v is None or v == w for v, w in zip(values, whole.requests[code])), code
    assert all(v is None or v == w for v, w in zip(report.review_litigation, whole.review_litigation))


def test_table_2s_first_part_printed_after_the_others_is_read():
    # 上海市科委 2024 (PDF to markdown): 第二十条第(一)项's rows came after the fees row, under a heading
    # of their own; they were taken for a header naming earlier rows and left unread
    text = "\n".join([
        "一、主动公开政府信息情况", "第二十条第（一）项", "第二十条第（五）项", "信息内容本年处理决定数量",
        "行政许可 97", "第二十条第（六）项", "信息内容本年处理决定数量", "行政处罚 0", "行政强制 0",
        "第二十条第（八）项", "信息内容本年收费金额（单位：万元）", "行政事业性收费 0",
        "## 表二：主动公开政府信息情况", "| 信息内容 | 本年制发件数 | 本年废止件数 | 现行有效件数 |", "|---|---|---|---|",
        "| 规章 | 0 | 0 | 0 |", "| 规范性文件 | 13 | 0 | 55 |", "", "二、收到和处理政府信息公开申请情况"])
    report = ogi.parse_text(text)
    assert report.proactive["regulations"] == [0, 0, 0]
    assert report.proactive["normative_documents"] == [13, 0, 55]
    assert report.proactive["licensing"] == 97
    # a header row naming rows already read is still no row
    again = text.replace("| 规章 | 0 | 0 | 0 |", "| 规章 | 0 | 0 | 0 |\n| 行政许可 | 5 |")
    assert ogi.parse_text(again).proactive["licensing"] == 97


def test_a_label_a_pdf_wrapped_between_its_cells_keeps_them():
    # a real PDF (平潭 交通与建设局 2024, printed by a browser): the label's first words with six cells,
    # the rest of the label a few characters a line, then the seventh cell
    rows = ["申请人情况", "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |",
            "2.申请人逾 0 0 0 0 0 0", "期未按收费", "通知要求缴", "纳费用、行", "政机关不再", "处理其政府",
            "信息公开申", "请", "0", "3.其他 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |"]
    report = ogi.parse_text("\n".join(rows))
    assert report.requests["other.no_fee"] == [0] * 7


def test_crawler_004_needs_identities():
    text = crawler((RAW / "004_b06d21084f014798.txt").read_text(encoding="utf-8"))
    assert "一、本年新收政府信息公开申请数量483001052" in text
    report = ogi.parse_text(text)
    assert report.requests["new"] == [48, 3, 0, 0, 1, 0, 52]
    assert report.review_litigation == [2, 1, 0, 0, 3, 1, 0, 1, 0, 2, 0, 0, 0, 1, 1]
    inferred = [c for c in report.checks if c.rule == "inferred" and c.ok]
    assert any(c.scope == "requests.new" for c in inferred)
    # 11 | 33 | 95 run together as 113395 has no identity to split it: ambiguous, with the truth among candidates
    amb = {c.scope: c for c in report.checks if c.rule == "ambiguous"}
    assert [11, 33, 95] in amb["proactive.normative_documents"].candidates
    assert report.proactive["normative_documents"] == [None, None, None]
    assert report.status == "partial"


def test_format_md_run_examples():
    text = ("三、收到和处理政府信息公开申请情况\n申请人情况自然人法人或其他组织总计\n"
            "一、本年新收政府信息公开申请数量3100004二、上年结转政府信息公开申请数量0000000\n"
            "四、政府信息公开行政复议、行政诉讼情况\n行政复议行政诉讼结果维持结果纠正其他结果尚未审结总计100010000000000\n"
            "五、存在的主要问题及改进情况\n无。")
    report = ogi.parse_text(text)
    assert report.requests["new"] == [3, 1, 0, 0, 0, 0, 4]
    assert report.review_litigation == [1, 0, 0, 0, 1] + [0] * 10


def test_enumerator_digit_glued_to_values():
    # "…重复申请00000003.要求提供公开出版物…": the 3 enumerates the next label
    text = ("申请人情况\n一、本年新收政府信息公开申请数量0000000(五)不予处理1.信访举报投诉类申请0000000"
            "2.重复申请00000003.要求提供公开出版物1000001")
    report = ogi.parse_text(text)
    assert report.requests["not_processed.duplicate"] == [0] * 7
    assert report.requests["not_processed.publication"] == [1, 0, 0, 0, 0, 0, 1]


def test_markdown_placeholder_headers_and_page_footer():
    text = "\n".join([
        "### 三、收到和处理政府信息公开申请情况",
        "| 项目 | 数据1 | 数据2 | 数据3 | 数据4 | 数据5 | 数据6 | 数据7 |",
        "|---|---|---|---|---|---|---|---|",
        "| 一、本年新收政府信息公开申请数量 | 5 | 1 | 0 | 0 | 0 | 0 | 6 |",
        "— 4 —",
        "| 项目 | 数据1 | 数据2 | 数据3 | 数据4 | 数据5 | 数据6 | 数据7 |",
        "| 二、上年结转政府信息公开申请数量 | 1 |  | 0 | 0 | 0 | 0 | 1 |",
    ])
    report = ogi.parse_text(text)
    assert report.requests["new"] == [5, 1, 0, 0, 0, 0, 6]
    assert report.requests["carried_over"] == [1, None, 0, 0, 0, 0, 1]


def test_table_3s_labels_apart_from_their_runs_of_digits_give_no_row_the_runs():
    # crawler text of a PDF's text boxes: the labels, then each row's digits run together on a line of its own;
    # the last label took the seven runs as its seven cells (结转下年度 read 2100003 | 1000001 | …)
    labels = ["一、本年新收政府信息公开申请数量", "二、上年结转政府信息公开申请数量", "三、本年度办理结果(一)予以公开",
              "(二)部分公开", "(七)总计", "四、结转下年度继续办理"]
    runs = ["2100003", "1000001", "0000000", "1100002", "0000000", "3100004", "0000000"]
    report = ogi.parse_text("\n".join(["三、收到和处理政府信息公开申请情况", "申请人情况", *labels, *runs,
                                      "四、政府信息公开行政复议、行政诉讼情况"]))
    assert report.requests.get("carry_forward") in (None, [None] * 7)
    assert any("printed apart from their values" in m for m in report.messages)


def test_placeholder_headers_with_their_bars_gone_are_no_cells():
    # model-made markdown turned to text (its bars gone): "数据1 数据2 … 数据15" was read as table 4's values
    report = ogi.parse_text("\n".join([
        "四、政府信息公开行政复议、行政诉讼情况",
        " ".join(f"数据{k}" for k in range(1, 16)),
        "--- " * 15,
        " ".join(["0"] * 6 + ["2", "0", "0", "2"] + ["0"] * 5),
        "五、存在的主要问题及改进情况"]))
    assert report.review_litigation == [0] * 6 + [2, 0, 0, 2] + [0] * 5


def test_model_markdown_spaced_enumerators_and_a_total_header_per_small_table():
    # model-made markdown of a scan: "1. 属于…" (a space after the point), one small table per row
    # group whose header ends "数据6 | 总计", and the group heading (六)其他处理 printed "(六) 其他"
    head = "| 类别 | 数据1 | 数据2 | 数据3 | 数据4 | 数据5 | 数据6 | 总计 |\n|---|---|---|---|---|---|---|---|"
    text = "\n".join([
        "### 三、收到和处理政府信息公开申请情况", "申请人情况",
        "### (三) 不予公开", head,
        "| 1. 属于国家秘密 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |",
        "| 2. 其他法律行政法规禁止公开 | 3 | 0 | 0 | 0 | 0 | 0 | 3 |",
        "### (五) 不予处理", head,
        "| 5. 要求行政机关确认或重新出具已获取信息 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |",
        "### (六) 其他", head,
        "| 1. 申请人无正当理由逾期不补正, 行政机关不再处理其政府信息公开申请 | 9 | 0 | 0 | 0 | 0 | 0 | 9 |",
        "| 2. 申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请 | 1 | 0 | 0 | 0 | 0 | 0 | 1 |",
        "| 3. 其他 | 4 | 2 | 0 | 0 | 0 | 0 | 6 |",
        "| （七）总计 | 710 | 3 | 0 | 0 | 5 | 0 | 718 |",
    ])
    report = ogi.parse_text(text)
    assert report.requests["denied.state_secret"] == [0] * 7
    assert report.requests["denied.prohibited_by_law"] == [3, 0, 0, 0, 0, 0, 3]
    assert report.requests["other.no_correction"] == [9, 0, 0, 0, 0, 0, 9]
    assert report.requests["other.no_fee"] == [1, 0, 0, 0, 0, 0, 1]
    assert report.requests["other.other"] == [4, 2, 0, 0, 0, 0, 6]
    assert report.requests["total"] == [710, 3, 0, 0, 5, 0, 718]
    assert not any("ignored" in m for m in report.messages), report.messages


def test_blank_cells_collapsed_after_the_numbers_are_not_placed_by_guess():
    # a crawler that kept a row's numbers, then all its empty cells at the end: "3 | 3 |" then "||||||"
    # (in the source the 3s were natural_person and total; nothing printed says so)
    text = "\n".join([
        "申请人情况 |", "一、本年新收政府信息公开申请数量 |", "3 |", "3 |", "|||||||",
        "二、上年结转政府信息公开申请数量 |", "0 |", "0 |", "|||||||",
        "三、本年度办理结果 |", "(一)予以公开 |", "3 |", "3 |", "||||||",
        "(二)部分公开(区分处理的,只计这一情形,不计其他情形) |", "0 |", "||||||||", "(三)不予公开 |", "1.",
        "属于国家秘密 |",
    ])
    report = ogi.parse_text(text)
    ambiguous = {c.scope: c.candidates for c in report.checks if c.rule == "ambiguous"}
    for code in ("new", "carried_over", "granted", "partial"):
        assert report.requests[code] == [None] * 7, (code, report.requests[code])  # never 3 | 3 | … by position
        assert f"requests.{code}" in ambiguous
    assert [3, None, None, None, None, None, 3] in ambiguous["requests.new"]
    assert any("collapsed after the numbers" in m for m in report.messages)
    assert not any("ignored" in m for m in report.messages), report.messages  # "1." is the next label's


def test_labels_printed_apart_from_values():
    # PDF conversion can put a block of labels before the block of value rows
    text = "\n".join([
        "申请人情况", "一、本年新收政府信息公开申请数量", "二、上年结转政府信息公开申请数量",
        "3 1 0 0 0 0 4", "0 0 0 0 0 0 0",
    ])
    report = ogi.parse_text(text)
    assert report.requests["new"] == [3, 1, 0, 0, 0, 0, 4]
    assert report.requests["carried_over"] == [0] * 7


def test_value_with_remark_and_units():
    text = "\n".join([
        "二、主动公开政府信息情况", "第二十条第(一)项", "信息内容 | 本年制发件数 | 本年废止件数 | 现行有效件数 |",
        "规章 | 0 | 0 | 0 |", "行政规范性文件 | 22（其中修订 16 件） | 1 | 1,024 |",
        "第二十条第(八)项", "行政事业性收费 | 12.5 |",
    ])
    report = ogi.parse_text(text)
    assert report.proactive["normative_documents"] == [22, 1, 1024]
    assert report.proactive["fees"] == 12.5


@pytest.mark.parametrize("mark", ["①", "¹", "₁", "㉑"])
def test_a_footnotes_mark_after_a_count_is_none_of_its_digits(mark):
    # NFKC makes ① and ¹ the digit 1: "48①" was read 481. A mark stays a mark, in the sections' text too.
    text = "\n".join([
        "二、主动公开政府信息情况", "第二十条第(一)项", "信息内容 | 本年制发件数 | 本年废止件数 | 现行有效件数 |",
        "规章 | 0 | 0 | 0 |", f"行政规范性文件 | 22{mark} | 1 | 1,024 |",
        "第二十条第(八)项", f"行政事业性收费 | 12.5{mark} |",
        f"五、存在的主要问题及改进情况", f"{mark}公开内容不够全面。",
    ])
    report = ogi.parse_text(text)
    assert report.proactive["normative_documents"] == [22, 1, 1024]
    assert report.proactive["fees"] == 12.5
    assert report.sections["problems"] == f"{mark}公开内容不够全面。"


def test_changes_printed_in_words_keep_their_sign():
    # the 2019 template's 本年增/减 column: "减4" is -4, never 4
    text = "\n".join([
        "二、主动公开政府信息情况", "第二十条第(五)项", "信息内容 | 上一年项目数量 | 本年增/减 | 处理决定数量 |",
        "行政许可 | 120 | +19 | 3000 |", "其他对外管理服务事项 | 10 | 减4 | 50 |",
        "第二十条第(六)项", "信息内容 | 上一年项目数量 | 本年增/减 | 处理决定数量 |",
        "行政处罚 | 30 | 增加 2 | 100 |",
    ])
    report = ogi.parse_text(text)
    assert report.proactive["licensing_items"] == [120, 19]
    assert report.proactive["other_services"] == [10, -4, 50]
    assert report.proactive["penalty_items"] == [30, 2]


@pytest.mark.parametrize("sep", ["\n", " | "])
def test_a_row_printed_as_sub_rows_of_the_reports_own_is_left_null(sep):
    # 北京 通州 新华街道 2019 (one cell per line): 其他对外管理服务事项 printed as 行政检查 and 行政确认, three cells
    # each; the first sub-row's cells are not the row's, and their sum is printed nowhere
    text = "\n".join([
        "二、主动公开政府信息情况", "第二十条第(五)项", "信息内容 | 上一年项目数量 | 本年增/减 | 处理决定数量 |",
        "行政许可 | 120 | +19 | 3000 |",
        sep.join(["其他对外管理服务事项", "行政检查", "4", "0", "12", "行政确认", "2", "1", "3"]),
        "第二十条第(六)项", "信息内容 | 上一年项目数量 | 本年增/减 | 处理决定数量 |",
        "行政处罚 | 30 | 增加 2 | 100 |",
    ])
    report = ogi.parse_text(text)
    assert report.proactive["licensing_items"] == [120, 19]
    assert report.proactive.get("other_services") in (None, [None, None, None])
    assert report.proactive["penalty_items"] == [30, 2]
    assert any("other_services: printed as sub-rows of the report's own (行政检查, 行政确认)" in m
               for m in report.messages), report.messages


def test_a_row_whose_blanks_left_no_trace_gives_its_total_when_the_others_sum_to_it():
    # 温州 鹿城 2022, one cell a paragraph, blank cells as one or two more blank lines (so not countable):
    # where 103, 3 and 1 stood is lost; 107, their sum and the row's last number, is its total
    def row(label, *cells):
        return "\n\n".join([label, *cells])
    text = "\n\n".join([
        "三、收到和处理政府信息公开申请情况", "申请人情况", "自然人", "法人或其他组织", "总计",
        row("一、本年新收政府信息公开申请数量", "103", "3", "\n", "1", "\n\n", "107"),
        row("二、上年结转政府信息公开申请数量", "8", "0", "\n\n", "0", "8"),
        row("三、本年度办理结果", "(一)予以公开", "41", "2", "\n", "1", "\n", "45"),  # 41+2+1 is not 45
        row("(二)部分公开(区分处理的,只计这一情形,不计其他情形)", "31", "\n\n\n", "31"),  # two: not enough
        row("(三)不予公开", "1.属于国家秘密", "0", "0", "\n", "0"),  # zeros: a blank total would read the same
    ])
    report = ogi.parse_text(text)
    assert report.requests["new"] == [None] * 6 + [107]
    assert report.requests["carried_over"] == [None] * 6 + [8]
    for code in ("granted", "partial", "denied.state_secret"):
        assert report.requests.get(code) in (None, [None] * 7), code
    assert any("requests row new: its numbers' places are lost; only its total (107" in m for m in report.messages)
    assert report.status != "ok"


def test_table_3s_last_row_short_of_cells_does_not_take_table_4s_numbers():
    # a crawler that drops blank cells (沭阳 发改局 2023: 法人或其他组织 printed empty): 结转下年度 keeps two
    # of its seven cells, and table 4 comes next; its numbers are not the row's
    seed = (RAW / "004_b06d21084f014798.txt").read_text(encoding="utf-8")
    lines = seed.split("\n")
    k = next(i for i, line in enumerate(lines) if line.startswith("四、结转下年度"))
    assert lines[k + 1:k + 8] == ["1 |", "0 |", "0 |", "0 |", "0 |", "0 |", "1 |"]
    short = "\n".join(lines[:k + 2] + lines[k + 7:])
    whole, report = ogi.parse_text(seed), ogi.parse_text(short)
    assert report.requests.get("carry_forward") in (None, [None] * 7)
    assert report.review_litigation == whole.review_litigation
    assert report.requests["total"] == whole.requests["total"]


@pytest.mark.parametrize("printed", ["13OO24", "l30024", "13o024", "1300Z4"])
def test_a_number_with_ocrs_letters_in_it_is_not_read_as_its_first_digits(printed):
    # OCR prints O for 0 and l for 1: "13OO24" was read as 13 (its first digits), a wrong value
    seed = (RAW / "004_b06d21084f014798.txt").read_text(encoding="utf-8")
    assert "\n130024 |" in seed
    report = ogi.parse_text(seed.replace("\n130024 |", f"\n{printed} |", 1))
    assert report.proactive.get("licensing") is None
    assert report.proactive["penalty"] == 276451  # the next row keeps its place
    assert any(f"mix digits with letters, as OCR prints O for 0 or l for 1 ({printed})" in m
               for m in report.messages)
    assert report.status == "partial"
    # run together with its label (crawler text): the same
    crawled = ogi.parse_text(f"二、主动公开政府信息情况\n第二十条第(五)项\n信息内容本年处理决定数量\n行政许可{printed}\n"
                             "第二十条第(六)项\n信息内容本年处理决定数量\n行政处罚5")
    assert crawled.proactive.get("licensing") is None and crawled.proactive.get("penalty") == 5


def test_a_header_row_invented_mid_table_misplaces_no_values():
    # model-made markdown: a header row it made up in the middle of table 3, naming earlier rows and
    # 结转下年度; the row after it is not the carried-forward row
    text = "\n".join([
        "### 三、收到和处理政府信息公开申请情况", "申请人情况",
        "| 1. 申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请 | 9 | 0 | 0 | 0 | 0 | 0 | 9 |",
        "| 项目 | 本年新收件数 | 上年结转件数 | 予以公开 | 部分公开 | 不予公开 | 结转下年度 | 总计 |",
        "|---|---|---|---|---|---|---|---|",
        "| 2. 申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请 | 7 | 0 | 0 | 0 | 0 | 0 | 7 |",
        "| 3. 其他 | 142 | 1 | 0 | 0 | 0 | 0 | 143 |",
    ])
    report = ogi.parse_text(text)
    assert report.requests["other.no_correction"] == [9, 0, 0, 0, 0, 0, 9]
    assert report.requests.get("carry_forward") in (None, [None] * 7)


def test_a_label_spanned_cell_printed_empty_is_not_the_first_value():
    # converters that print a label's colspan as empty cells: "| 一、本年新收… | | 3 | … | 4 |"
    text = "\n".join([
        "申请人情况",
        "| 一、本年新收政府信息公开申请数量 | | 3 | 1 | 0 | 0 | 0 | 0 | 4 |",
        "| 二、上年结转政府信息公开申请数量 | | | 1 | 0 | 0 | 0 | 0 | 1 | | |",  # a real blank, and padding
        "| 三、本年度办理结果 | （一）予以公开 | 2 | 1 | 0 | 0 | 0 | 0 | 3 |",
        "| | （三）不予公开 | 1.属于国家秘密 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |",
    ])
    report = ogi.parse_text(text)
    assert report.requests["new"] == [3, 1, 0, 0, 0, 0, 4]
    assert report.requests["carried_over"] == [None, 1, 0, 0, 0, 0, 1]
    assert report.requests["granted"] == [2, 1, 0, 0, 0, 0, 3]
    assert report.requests["denied.state_secret"] == [0] * 7
    assert not any("ignored" in m for m in report.messages), report.messages


def test_blank_cells_printed_in_their_places_are_kept_beside_padding():
    # two trailing cells printed blank, then padding: in a pipes row, and one cell a line (seed 004's way)
    pipes = "申请人情况\n一、本年新收政府信息公开申请数量 | 0 | 2 | 0 | 0 | 0 |  |  | |"
    assert ogi.parse_text(pipes).requests["new"] == [0, 2, 0, 0, 0, None, None]
    per_line = "\n".join(["申请人情况", "一、本年新收政府信息公开申请数量 |", "0 |", "2 |", "0 |", "0 |", "0 |", " |",
                          "| ||", "二、上年结转政府信息公开申请数量 |"])
    assert ogi.parse_text(per_line).requests["new"] == [0, 2, 0, 0, 0, None, None]


def test_appeals_counted_in_the_opening_are_not_table_4():
    # a page cut before table 3: the overview's sentence on appeals, then table 2's numbers; table 4
    # was read from that sentence and table 2's cells (invented values, one identity failing)
    text = "\n".join([
        "一、总体情况",
        "(一)主动公开情况。全年主动公开政府信息32条,其中规范性文件类2条。",
        "(二)依申请公开情况。全年共收到依申请公开0件,因政府信息依申请公开引起行政复议0件,行政诉讼0件",
        "二、主动公开政府信息情况",
        "| 第二十条第(一)项 | |||", "| 信息内容 | 本年制发件数 | 本年废止件数 | 现行有效件数 |",
        "| 规章 | 2 | 0 | 2 |", "| 行政规范性文件 | 2 | 0 | 2 |",
        "| 第二十条第(五)项 | |||", "| 信息内容 | 本年处理决定数量 | ||", "| 行政许可 | 0 | ||",
        "| 第二十条第(六)项 | |||", "| 信息内容 | 本年处理决定数量 | ||", "| 行政处罚 | 9 | ||", "| 行政强制 | 0 | ||",
        "| 第二十条第(八)项 | |||", "| 信息内容 | 本年收费金额(单位:万元) | ||", "| 行政事业性收费 | 6 | ||",
    ])
    report = ogi.parse_text(text)
    assert report.proactive["regulations"] == [2, 0, 2]
    assert report.review_litigation == []
    assert "review_litigation" in " ".join(report.messages)


def test_rows_named_in_a_labels_note_are_not_that_row():
    # Wuhan's 2020 template: the 其他对外管理服务事项 label carries a note naming 行政处罚 and 行政强制;
    # those rows were matched there, given no values or the row's own, and their real rows ignored
    text = "\n".join([
        "第二十条第(五)项 | |||", "信息内容 | 上一年项目数量(指2019年事项数) | 本年增/减(指2020年增加或减少的事项数,"
        "减用负值表示,如-8) | 处理决定数量(指2020年办件量) | |",
        "行政许可 | 8 | 5 | 93 | |",
        "其他对外管理服务事项(指行政许可以外的政务服务事项,含行政确认、行政处罚、行政强制和其他类) | 117 | 0 | 165 | |",
        "第二十条第(六)项 | |||", "信息内容 | 上一年项目数量 | 本年增/减 | 处理决定数量 | |",
        "行政处罚 | 90 | 0 | 22 | |", "行政强制 | 4 | 4 | 7 | |",
    ])
    report = ogi.parse_text(text)
    assert report.proactive["other_services"] == [117, 0, 165]
    assert (report.proactive["penalty_items"], report.proactive["penalty"]) == ([90, 0], 22)
    assert (report.proactive["coercion_items"], report.proactive["coercion"]) == ([4, 4], 7)


@pytest.mark.parametrize("line", [
    "全年公开信息120条,其中规范性文件5件、行政许可信息302条、行政处罚信息33条",  # items published, not decisions
    "本年度主动公开规范性文件3件,其中现行有效2件,行政许可办件302件,行政处罚案件33件",
])
def test_counts_in_running_text_are_not_table_cells(line):
    # section 二 told in a sentence (no table 2, the line not closed by 。 as PDF text wraps): its counts
    # were read as table 2's cells (licensing 302, penalty 33), though 302 counted published items
    text = "\n".join(["某县某局2023年政府信息公开工作年度报告", "一、总体情况", "本年度我局认真落实条例要求。",
                      "二、主动公开政府信息情况", line, "三、收到和处理政府信息公开申请情况",
                      "2021年全年共收到依申请公开308件,政府信息公开类行政复议3件,其中:结果维持2件"])
    report = ogi.parse_text(text)
    assert report.proactive == {} or all(v is None or v == [None] * len(v) for v in report.proactive.values())
    assert report.review_litigation in ([], [None] * 15)
    assert report.requests == {}


def test_counts_standing_apart_in_a_pdf_row_are_cells():
    # the counter rule is for numbers glued into running text; a PDF row prints cells with units apart
    text = "\n".join(["二、主动公开政府信息情况", "第二十条第(一)项", "信息内容 本年制发件数 本年废止件数 现行有效件数",
                      "规章 0件 0件 2件", "行政规范性文件 3件 1件 12件", "第二十条第(五)项", "信息内容 本年处理决定数量",
                      "行政许可 302件"])
    report = ogi.parse_text(text)
    assert report.proactive["regulations"] == [0, 0, 2]
    assert report.proactive["normative_documents"] == [3, 1, 12]
    assert report.proactive["licensing"] == 302


@pytest.mark.parametrize("header", [
    ["信息内容 | 采购项目数量(指202", "0年采购项目数) | 采购总金额"],  # PDF text wrapped inside the note
    ["信息内容 | 采购项目数量(指202"],  # a page cut off mid-header
])
def test_a_number_inside_a_headers_open_note_is_not_a_cell(header):
    # Wuhan 2020 (a mirror cut short): "(指202" after an empty 行政事业性收费 row gave its fee 202
    text = "\n".join(["第二十条第(五)项 | |||", "信息内容 | 上一年项目数量 | 本年增/减 | 处理决定数量 | |",
                      "行政许可 | 8 | 5 | 93 | |",
                      "第二十条第(八)项 | |||", "信息内容 | 上一年项目数量 | 本年增/减 | |",
                      "行政事业性收费 | |||", "第二十条第(九)项 | |||", *header])
    report = ogi.parse_text(text)
    assert report.proactive["licensing"] == 93
    assert 202 not in (report.proactive.get("fee_items") or [])
    assert 2020 not in (report.proactive.get("fee_items") or [])


_TABLE_2 = ["二、主动公开政府信息情况", "第二十条第(一)项", "信息内容 | 本年制发件数 | 本年废止件数 | 现行有效件数",
            "规章 | 0 | 0 | 0", "第二十条第(八)项"]


@pytest.mark.parametrize("header, cell, fees", [
    ("信息内容 | 本年收费金额(单位:万元)", "3000元", 0.3),  # the cell says 元
    ("信息内容 | 本年收费金额(单位:元)", "3,000", 0.3),  # the header says 元
    ("信息内容 | 本年收费金额(元)", "125", 0.0125),
    ("信息内容 | 本年收费金额(单位:万元)", "0.3万元", 0.3),  # 万元 as the template asks: as printed
    ("信息内容 | 本年收费金额(单位:万元)", "12.5", 12.5),
])
def test_fees_printed_in_yuan_are_given_in_10k_yuan(header, cell, fees):
    # the 2021 template counts fees in 万元; a report that prints 元 would otherwise be read 10,000 times too large
    report = ogi.parse_text("\n".join(_TABLE_2 + [header, f"行政事业性收费 | {cell}"]))
    assert report.proactive["fees"] == fees
    converted = [m for m in report.messages if "printed in 元" in m]
    assert bool(converted) == (fees != float(cell.replace(",", "").replace("万元", "").replace("元", "")))


def test_a_row_label_cut_where_a_pdf_page_broke_the_row():
    # a web page printed to PDF: "8.属于行政" with the row's cells at a page's foot, "查询事项" on the next
    # page; the row was not found (its enumerator and the start of its words now name it)
    seed = (RAW / "000_a24b6662cf75509f.txt").read_text(encoding="utf-8").split("\n")
    k = next(i for i, line in enumerate(seed) if line.startswith("8.属于行政查询事项"))
    report = ogi.parse_text("\n".join(seed[:k] + ["8.属于行政 0 0 0 0 0 0 0", "查询事项"] + seed[k + 1:]))
    assert report.requests["denied.inquiry"] == [0] * 7
    assert report.status == ogi.parse_file(RAW / "000_a24b6662cf75509f.txt").status


# PDFs turned into text by other tools (poppler's pdftotext): the real 平潭 pages of the test corpus, printed
# to PDF, then converted. Made-up numbers, the shapes as pdftotext printed them.

def test_pdftotext_layout_numbers_on_the_line_above_their_label():
    """`pdftotext -layout` printed each row's numbers on the line above its label; read label first,
    规章 took 规范性文件's numbers."""
    text = """某局2019年政府信息公开工作年度报告
二、主动公开政府信息情况
                        第二十条第（一）项
        信息内容             本年新制作数量    本年新公开数量      对外公开总数量
                               0          0               0
          规章

                              10            7             7
       规范性文件

                        第二十条第（五）项
        信息内容             上一年项目数量 本年增/减                处理决定数量
        行政许可                   3            0             0
"""
    report = ogi.parse_text(text)
    assert report.proactive["regulations"] == [0, 0, 0]
    assert report.proactive["normative_documents"] == [10, 7, 7]
    assert report.proactive["licensing_items"] == [3, 0] and report.proactive["licensing"] == 0
    assert any("line above its label" in m for m in report.messages)



def test_a_rows_numbers_on_the_line_above_its_label_after_the_row_before():
    """A PDF's borderless table whose label cells wrap around their centred numbers: the row before took
    both lines (the second ignored) and 2.其他法律行政法规禁止公开 had none."""
    path = RAW / "000_a24b6662cf75509f.txt"
    lines = path.read_text(encoding="utf-8").split("\n")
    k = next(i for i, line in enumerate(lines) if line.startswith("(三)不予公开 | 1.属于国家秘密"))
    assert lines[k + 1].startswith("2.其他法律行政法规禁止公开 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |")
    lines[k:k + 2] = ["(三)不予公开 1.属于国家秘密 0 0 0 0 0 0 0", "0 0 0 0 0 0 0", "2.其他法律行政法规禁止公开"]
    report = ogi.parse_text("\n".join(lines))
    assert report.requests == ogi.parse_file(path).requests
    assert any("denied.prohibited_by_law: its numbers stand on the line above its label" in m
               for m in report.messages)
    assert not [m for m in report.messages if "ignored" in m]
    # table 2 the same; a row of one cell keeps its lone number unread (it may be a page's number)
    table_2 = ["二、主动公开政府信息情况", "第二十条第(一)项", "信息内容 本年制发件数 本年废止件数 现行有效件数",
               "规章 0 0 0", "3 20 252", "行政规范性文件", "第二十条第(六)项", "信息内容 本年处理决定数量",
               "行政处罚 143", "5", "行政强制", "三、收到和处理政府信息公开申请情况"]
    report = ogi.parse_text("\n".join(table_2))
    assert report.proactive["regulations"] == [0, 0, 0]
    assert report.proactive["normative_documents"] == [3, 20, 252]
    assert report.proactive["penalty"] == 143 and report.proactive.get("coercion") is None


def test_a_lone_number_printed_as_its_own_cell_is_not_split_into_a_rows_cells():
    """A PDF's borderless table read with tabs between its cells (``readers.pdf._line_text``): a blank cell
    left no trace, and the one number of a two-cell row was cut into both (10 → 1 | 0)."""
    table_2 = ["二、主动公开政府信息情况", "第二十条第（九）项", "信息内容\t采购项目数量\t采购总金额",
               "政府集中采购\t10", "三、收到和处理政府信息公开申请情况"]
    report = ogi.parse_text("\n".join(table_2))
    assert report.proactive.get("procurement") in (None, [None, None])
    assert "table 2" in " ".join(report.messages)
    # run together in crawler text, the same digits are still cut by the row's cells
    crawler = ogi.parse_text("\n".join(table_2).replace("\t", ""))
    assert crawler.proactive.get("procurement") == [1, 0]


def _narrow_label_rows(apart: bool = False) -> tuple[list[str], dict]:
    """Table 3 as a PDF's borderless table with narrow label columns prints it (LibreOffice, a Word file whose
    columns were never sized): each label cut every three characters, its numbers on its first line, its group
    heading's pieces in a column before it (``（三）\t1.属\t5…`` / ``不予公\t于国家`` / ``开\t秘密``); each row
    its own numbers, so that one read a row late shows. ``apart``: a group heading's pieces on lines of their own,
    between the label's (its column's text a little higher or lower: ``（二）部分`` / ``理结`` / ``公开``)."""
    from ogi import schema
    from ogi.parse import tables

    groups = {"denied": "（三）不予公开", "unavailable": "（四）无法提供", "not_processed": "（五）不予处理",
              "other": "（六）其他处理"}
    codes = schema.request_row_codes("2021")
    zh = {r.code: r.zh for r in tables._T3_ROWS}
    lines, truth = ["三、收到和处理政府信息公开申请情况", "申请人情况"], {}
    for k, code in enumerate(codes):
        values = [k + 1, 0, 0, 0, 0, k % 3, k + 1 + k % 3]
        truth[code] = values
        label = [zh[code][j:j + 3] for j in range(0, len(zh[code]), 3)]
        group = code.split(".")[0]
        heading = [groups[group][j:j + 3] for j in range(0, 7, 3)] \
            if "." in code and codes[k - 1].split(".")[0] != group else []
        for n in range(max(len(label), len(heading))):
            cells = [heading[n]] if n < len(heading) else []
            if apart and n and cells:
                lines.append(cells.pop())
            cells += [label[n]] if n < len(label) else []
            cells += [str(v) for v in values] if n == 0 else []
            lines.append("\t".join(cells))
    return lines + ["四、政府信息公开行政复议、行政诉讼情况"], truth


def test_a_label_wrapped_below_its_rows_numbers_in_a_narrow_column_names_its_row():
    """Read piece by piece, the later pieces of a wrapped label named rows (``四类过`` + ``程性信`` is 6.属于四类过程性
    信息) after the row's numbers had passed: rows took the next row's numbers, wrongly (the Word-to-PDF fuzz: 103
    wrong cells in 240 reports). The first piece's enumerator and the pieces below it now name the row."""
    lines, truth = _narrow_label_rows()
    k = lines.index("（三）\t1.属\t5\t0\t0\t0\t0\t1\t6")
    assert lines[k + 1:k + 3] == ["不予公\t于国家", "开\t秘密"]
    report = ogi.parse_text("\n".join(lines))
    assert report.requests == truth
    # the pieces are one cell when a narrow gap parts them (a space, not a tab): the last word is the label's
    spaced = [line.replace("\t", " ", 1) if not any(c.isdigit() for c in line) else line for line in lines]
    assert ogi.parse_text("\n".join(spaced)).requests == truth
    lines, truth = _narrow_label_rows(apart=True)
    k = lines.index("（三）\t1.属\t5\t0\t0\t0\t0\t1\t6")
    assert lines[k + 1:k + 5] == ["不予公", "于国家", "开", "秘密"]
    assert ogi.parse_text("\n".join(lines)).requests == truth
    # table 2's labels have no enumerator: more of their words name the row
    table_2 = ["二、主动公开政府信息情况", "第二十条第（五）项", "信息内容\t上一年项目数\t本年增/减\t处理决定数量", "量",
               "行政许可\t0\t8\t1", "其他对外管理\t0\t7\t34", "服务事项", "第二十条第（八）项",
               "信息内容\t上一年项目数\t本年增/减", "量", "行政事业性收\t13\t1", "费", "第二十条第（九）项"]
    report = ogi.parse_text("\n".join(table_2))
    assert report.proactive["other_services"] == [0, 7, 34]
    assert report.proactive["fee_items"] == [13, 1]


def test_numbers_wrapped_in_a_narrow_column_leave_their_row_unread():
    """LibreOffice's PDF of a table without lines whose columns are narrow prints 3193 as ``319`` over ``3``: the
    first line, ``319 154 0 0 0 0 473``, keeps the identity as 3193 + 1543 = 4736 does, and the digits below
    stand beside the rest of the label. Read as printed, three cells were wrong (the digits below were text after
    the row); so was table 4's ``7 3 0 9 4 …`` over ``2 8`` (32 and 48). Both are unread now; a note's numbers
    after a row (``其中：网上申请 5``), or a page number after table 4, leave them read."""
    head = ["三、收到和处理政府信息公开申请情况", "申请人情况"]
    rows = ["一、本年新收政\t319\t154\t0\t0\t0\t0\t473", "府信息公开申请\t3\t3\t6", "数量",
            "二、上年结转政\t0\t0\t0\t0\t0\t0\t0", "府信息公开申请", "数量"]
    report = ogi.parse_text("\n".join(head + rows))
    assert report.requests["new"] == [None] * 7 and report.requests["carried_over"] == [0] * 7
    assert any("then 3, 3, 6 on the next line, under the rest of its label" in m for m in report.messages)
    noted = ogi.parse_text("\n".join(head + [rows[0].replace("473", "473\n其中：网上申请\t5")] + rows[3:]))
    assert noted.requests["new"] == [319, 154, 0, 0, 0, 0, 473]
    table_4 = ["四、政府信息公开行政复议、行政诉讼情况", "行政复议\t行政诉讼", "结果维持\t结果纠正\t其他结果\t尚未审结\t总计",
               "\t".join(["7", "3", "0", "9", "4"] + ["0"] * 10), "2\t8", "五、存在的主要问题及改进情况", "无。"]
    report = ogi.parse_text("\n".join(table_4))
    assert report.review_litigation == [None] * 15
    table_4[3:5] = ["\t".join(["7", "25", "0", "9", "41"] + ["0"] * 10), "3"]  # a page number below the row
    assert ogi.parse_text("\n".join(table_4)).review_litigation == [7, 25, 0, 9, 41] + [0] * 10

def test_pdftotext_in_drawing_order_a_table_read_column_by_column_gives_no_values():
    """Without -layout, pdftotext printed table 2 in the order LibreOffice drew it: the row labels, then each
    column's header and numbers. Read as rows, 规章 took 0 3 0 and 规范性文件 2 0 246."""
    text = """某局2019年政府信息公开工作年度报告
二、主动公开政府信息情况
第二十条第(一)项
信息内容
规章
规范性文件
第二十条第(五)项
信息内容
行政许可
其他对外管理服务事项

本年新制作数量
0
3

本年新公开数量
0
2

对外公开总数量
0
246

上一年项目数量
146
0
"""
    report = ogi.parse_text(text)
    assert all(v is None or (isinstance(v, list) and all(x is None for x in v)) for v in report.proactive.values())
    assert any("read column by column" in m for m in report.messages)


def test_a_number_alone_on_its_line_is_never_split():
    """One cell a line, a cell missing: 规章 2 / 17 was read 2 | 1 | 7 (17 split, the only split of a row
    without an identity). A number alone on its line is one cell, as one between separators."""
    report = ogi.parse_text("二、主动公开政府信息情况\n第二十条第(一)项\n信息内容\n本年制发件数\n本年废止件数\n"
                            "现行有效件数\n规章\n2\n17\n行政规范性文件\n3\n0\n40\n")
    assert report.proactive["regulations"] == [None, None, None]
    assert report.proactive["normative_documents"] == [3, 0, 40]


def test_pdftotext_interleaving_two_rows_of_table_2_reads_neither():
    """A real browser-printed PDF through pdftotext (default mode): 规章's zeros fell among 行政规范性文件's
    numbers. Read in order, 规范性文件 took 77 0 0 (its 132 and 470 ignored); table 2 has no identity."""
    text = ("二、主动公开政府信息情况\n第二十条第（一）项\n\n信息内容\n\n本年制发件数 本年废止件数 现行有效件数\n\n"
            "规章\n\n0\n\n行政规范性文件 77\n\n0\n\n0\n\n132\n\n470\n\n第二十条第（五）项\n\n信息内容\n\n"
            "本年处理决定数量\n\n行政许可\n\n2629\n")
    report = ogi.parse_text(text)
    assert not any(report.proactive.get("normative_documents") or [])
    assert report.proactive["regulations"] == [None, None, None]
    assert report.proactive["licensing"] == 2629
    assert any("interleaved" in m for m in report.messages)


def test_pdfminer_text_boxes_a_table_in_columns_gives_no_values():
    """pdfminer's `extract_text` of a real PDF: table 3's labels as one text box, then each column's numbers
    (one per label). Read as rows, the row after the labels took the first column (217 0 71 29 4 0 0)."""
    labels = ["一、本年新收政府信息公开申请数量", "二、上年结转政府信息公开申请数量", "三、本", "（一）予以公开",
              "年度办", "理结果", "（二）部分公开（区分处理的，只计这一情形，不", "计其他情形）", "1.属于国家秘密",
              "2.其他法律行政法规禁止公开", "3.危及“三安全一稳定”", "4.保护第三方合法权益", "（三）不予", "公开"]
    column = ["217", "0", "71", "29", "4", "0", "0", "3"]
    text = "三、收到和处理政府信息公开申请情况\n申请人情况\n" + "\n\n".join(labels + column) + \
        "\n\n5.属于三类内部事务信息\n\n32\n"
    report = ogi.parse_text(text)
    assert not any(v for vec in report.requests.values() for v in vec if v is not None)
    assert any("each column's numbers" in m for m in report.messages)


# A web page's borderless table printed to PDF and read by ogi (pdfplumber's text lines: no ruling lines
# to find the table by). Made-up numbers, the shapes as the real 平潭 pages gave them.

def test_an_enumerator_spaced_from_its_point_is_no_cell():
    """Justified text put spaces in "1 . 属于国家秘密": its 1 was taken for a number among the row's cells
    (each such row ``partial``; in the real PDF, where 没有现成信息's label wrapped, that row took the next
    row's 5 0 0 0 0 0 5, its "3" dropped as a stray number)."""
    seed = (RAW / "000_a24b6662cf75509f.txt").read_text(encoding="utf-8")
    want = ogi.parse_text(seed)
    spaced_enums = re.sub(r"^(\d)\.", r"\1 . ", seed, flags=re.M)
    assert spaced_enums != seed
    report = ogi.parse_text(spaced_enums)
    assert report.requests == want.requests
    assert report.status == want.status


def test_a_number_between_two_rows_short_of_cells_goes_to_neither():
    """The middle column sat at the top of its cells: 442 above 行政许可's line, 7 (the next row's) below it.
    Read in order, 行政许可 took 7 for its decisions; table 2 has no identity to tell."""
    text = ("二、主动公开政府信息情况\n第二十条第（五）项\n信息内容 上一年项目数量 本年增/减 处理决定数量\n442\n"
            "行政许可 396 278\n7\n其他对外管理服务事项 10 105\n第二十条第（六）项\n"
            "信息内容 上一年项目数量 本年增/减 处理决定数量\n行政处罚 2648 -18 538\n")
    report = ogi.parse_text(text)
    assert report.proactive.get("licensing") is None and not any(report.proactive.get("licensing_items") or [])
    assert report.proactive["penalty"] == 538 and report.proactive["penalty_items"] == [2648, -18]
    assert any("whose they are is unknown" in m for m in report.messages)
    # the 442 above the label says as much when the next row is whole
    whole = ogi.parse_text(text.replace("其他对外管理服务事项 10 105", "其他对外管理服务事项 10 0 105"))
    assert whole.proactive.get("licensing") is None and whole.proactive["other_services"] == [10, 0, 105]
    # a row finished on the next line, nothing alone above it and the next row whole, is read so
    plain = ogi.parse_text(text.replace("其他对外管理服务事项 10 105", "其他对外管理服务事项 10 0 105")
                           .replace("\n442\n", "\n"))
    assert plain.proactive["licensing_items"] == [396, 278] and plain.proactive["licensing"] == 7


def test_pdfminer_a_parts_heading_before_the_numbers_above_it_are_out_gives_no_values():
    """pdfminer's text boxes of a real PDF: table 2's first column (0, 77), then the next part's heading, then
    the other columns. Handed out in order, 规章 read 0 77 0 and 行政规范性文件 0 132 470."""
    text = ("二、主动公开政府信息情况\n第二十条第（一）项\n信息内容\n本年制发件数 本年废止件数 现行有效件数\n规章\n"
            "行政规范性文\n件\n0\n\n77\n\n第二十条第（五）项\n\n0\n\n0\n\n132\n\n470\n\n信息内容\n\n本年处理决定数量\n\n"
            "行政许可\n\n2629\n")
    report = ogi.parse_text(text)
    assert not any(report.proactive.get("regulations") or []) and not any(report.proactive.get("normative_documents") or [])
    assert report.proactive["licensing"] == 2629
    assert any("第二十条第(五)项" in m and "left unread" in m for m in report.messages)
    # the heading after a row's cells are all out (pdftotext: 行政许可 396 442 278 / 第二十条第（五）项 / a
    # browser's footer "9/15"): the row keeps them
    footer = ogi.parse_text("二、主动公开政府信息情况\n第二十条第（一）项\n信息内容\n本年新制作数量\n本年新公开数量\n"
                            "对外公开总数量\n规章\n0\n0\n7\n规范性文件\n77\n77\n166\n信息内容\n上一年项目数量\n本年增/减\n"
                            "处理决定数量\n行政许可\n396\n442\n278\n第二十条第（五）项\n9/15\n")
    assert footer.proactive["licensing_items"] == [396, 442] and footer.proactive["licensing"] == 278


@pytest.mark.parametrize("zero", ["零", "〇"])
def test_a_cell_of_zero_in_words_is_0(zero):
    """零, or 〇 (the ideographic zero of 二〇二四), alone in a cell is 0; 〇 inside a number stays OCR's
    misreading (test_a_number_with_ocrs_letters_in_it_is_not_read_as_its_first_digits)."""
    seed = (RAW / "001_ea69d8cda5ce10c7.txt").read_text(encoding="utf-8")
    words = re.sub(r"(?<=\| )0(?= \|)", zero, seed)
    assert words.count(zero) > 100
    report, want = ogi.parse_text(words), ogi.parse_text(seed)
    assert (report.requests, report.proactive, report.review_litigation, report.status) == \
        (want.requests, want.proactive, want.review_litigation, want.status)


def test_a_group_heading_run_into_its_first_sub_rows_label_names_that_row():
    """A browser's PDF of a borderless table, read by position: 其他处理's heading, its 处理 wrapped to the next
    line, ran into 1.申请人无正当理由逾期不补正's label. Matched by its generic word, the line was 3.其他's row:
    3.其他 read 1 0 0 0 0 0 1, the first sub-row's numbers, and its own 1 1 0 0 0 0 2 were lost."""
    text = """三、收到和处理政府信息公开申请情况
一、本年新收政府信息公开申请数量 217 1 0 0 0 0 218
5.要求行政机关确认或重新出具已获
0 0 0 0 0 0 0
取信息
（六）其他 1.申请人无正当理由逾期不补正、行
处理 政机关
1 0 0 0 0 0 1
不再处理其政府信息公开申请
2.申请人逾期未按收费通知要求缴纳 0 0 0 0 0 0 0
费用、
行政机关不再处理其政府信息公开申
请
3.其他 1 1 0 0 0 0 2
（七）总计 217 1 0 0 0 0 218
"""
    report = ogi.parse_text(text)
    _other_rows_are(report, [1, 0, 0, 0, 0, 0, 1], [0] * 7, [1, 1, 0, 0, 0, 0, 2])
    assert report.requests["total"] == [217, 1, 0, 0, 0, 0, 218]


def _other_rows_are(report, no_correction: list, no_fee: list, other: list) -> None:
    """Table 3's three rows under （六）其他处理, as read."""
    assert [report.requests.get(code) for code in ("other.no_correction", "other.no_fee", "other.other")] == \
        [no_correction, no_fee, other]


def test_a_group_headings_piece_before_a_rows_label_in_a_narrow_wrapped_column():
    """A browser's PDF of a borderless table whose label column is narrow: each label wraps, and the group
    heading's pieces (（三）不 / 予公开) share lines with the rows' labels. "(三)不1.属于国家秘" was no row's
    label: its numbers went to the row before as a sub-row of the report's own, and both were left null."""
    text = """三、收到和处理政府信息公开申请情况
一、本年新收政府信息公开申请数量 23 0 0 0 0 0 23
（二）部分公开（区分处
理的，只计这一情形，不 1 0 0 0 0 0 1
计其他情形）
（三）不 1.属于国家秘
0 0 0 0 0 0 0
予公开 密
2.其他法律行
政法规禁止公 2 0 0 0 0 0 2
开
3.危及“三 6 0 0 0 0 0 6
安全一稳
定”
"""
    report = ogi.parse_text(text)
    assert report.requests["partial"] == [1, 0, 0, 0, 0, 0, 1]
    assert report.requests["denied.state_secret"] == [0] * 7
    # a first piece of three characters: 3.危及“三 (危及“三安全一稳定”)
    assert report.requests["denied.security_stability"] == [6, 0, 0, 0, 0, 0, 6]
    # a label in three pieces, its numbers after the second: 2.其他法律行 / 政法规禁止公 2 … / 开 (its numbers
    # were "ignored after" 国家秘密's cells)
    assert report.requests["denied.prohibited_by_law"] == [2, 0, 0, 0, 0, 0, 2]


def test_a_labels_first_piece_names_its_row_beside_a_group_headings_piece():
    """The same print, table 3's last groups: each label's first piece, then a line with a piece of the group
    heading (无法提, 理) and the row's numbers. The first piece's enumerator and words name the row."""
    text = """三、收到和处理政府信息公开申请情况
一、本年新收政府信息公开申请数量 75 0 0 0 0 0 75
1.本机关不掌握
37 0 0 0 0 0 37
相关政府信息
（ 四 ）
2.没有现成信息
无 法 提 3 0 0 0 0 0 3
需要另行制作
供
3.补正后申请内
0 0 0 0 0 0 0
容仍不明确
3.要求提供公开
（ 五 ） 1 0 0 0 0 0 1
出版物
不 予 处
4.无正当理由大
理 0 0 0 0 0 0 0
量反复申请
5.要求行政机关
确认或重新出具4 0 0 0 0 0 4
已获取信息
1.申请人无正当
理由逾期不补
正、行政机关不2 0 0 0 0 0 2
再处理其政府信
息公开申请
"""
    report = ogi.parse_text(text)
    assert report.requests["unavailable.not_held"] == [37, 0, 0, 0, 0, 0, 37]
    assert report.requests["unavailable.needs_creation"] == [3, 0, 0, 0, 0, 0, 3]
    assert report.requests["unavailable.unclear"] == [0] * 7
    assert report.requests["not_processed.publication"] == [1, 0, 0, 0, 0, 0, 1]
    assert report.requests["not_processed.excessive"] == [0] * 7
    assert report.requests["not_processed.confirmation"] == [4, 0, 0, 0, 0, 0, 4]
    assert report.requests["other.no_correction"] == [2, 0, 0, 0, 0, 0, 2]


def test_the_group_heading_其他处理_cut_in_pieces_is_not_row_3其他():
    """The group heading （六）其他处理 set one piece a line beside its sub-rows' labels: "其他处" took row
    3.其他's place (其他 is its key), and 2.申请人逾期未按's numbers went to it; "(六)1.申请人无正当理由逾"
    named no row."""
    cut_heading = """三、收到和处理政府信息公开申请情况
一、本年新收政府信息公开申请数量 63 0 0 2 0 4 69
1.申请人无正当理
由逾期不补正、行
0 0 0 0 0 0 0
政机关不再处理其
（ 六 ）
2.申请人逾期未按
其 他 处
收费通知要求缴纳
理
费用、行政机关不 2 0 0 0 0 0 2
再处理其政府信息
公开申请
3.其他 1 0 0 0 0 0 1
（七）总计 63 0 0 2 0 4 69
"""
    _other_rows_are(ogi.parse_text(cut_heading), [0] * 7, [2, 0, 0, 0, 0, 0, 2], [1, 0, 0, 0, 0, 0, 1])
    heading_first = """三、收到和处理政府信息公开申请情况
一、本年新收政府信息公开申请数量 80 1 0 0 0 0 81
5.要求行政机关确认或重新出具已获取信息 0 0 0 0 0 0 0
（六） 1.申请人无正当理由逾
其他处 期不补正、行政机关不
1 0 0 0 0 0 1
理 再处理其政府信息公开
申请
2.申请人逾期未按收费
通知要求缴纳费用、行
0 0 0 0 0 0 0
政机关不再处理其政府
信息公开申请
3.其他 1 0 0 0 0 0 1
（七）总计 80 1 0 0 0 0 81
"""
    _other_rows_are(ogi.parse_text(heading_first), [1, 0, 0, 0, 0, 0, 1], [0] * 7, [1, 0, 0, 0, 0, 0, 1])
