"""The parser's speed shortcuts give exactly what the plain code gives.

Each shortcut (a memo, a character prefilter, a translate table) is checked
against the definition it replaces, on generated input, so a later edit of a
pattern cannot make a shortcut silently skip or change a match.
"""

import itertools
import re

from hypothesis import given, settings
from hypothesis import strategies as st

from ogi import schema
from ogi.parse import sections, tables, tokens
from ogi.parse.solve import sum_blocks

_CHINESE = st.characters(min_codepoint=0x4E00, max_codepoint=0x4E80)
_MIXED = st.text(st.one_of(_CHINESE, st.sampled_from(list(" \t\u3000\u00a0\u2003\"'“”‘’「」『』abc123|,.、（）()"))),
                 max_size=30)


@settings(max_examples=300, deadline=None)
@given(_MIXED)
def test_label_key_is_whitespace_and_quotes_removed(text):
    expected = re.sub(r"[\"'“”‘’「」『』]", "", re.sub(r"\s+", "", text))
    assert tokens.label_key(text) == expected
    assert tokens.label_key(text) == expected  # memoised answer too


def test_label_drop_table_is_regex_whitespace():
    space = re.compile(r"\s")
    dropped = {c for c in tokens._LABEL_DROP if chr(c) not in tokens._QUOTES}
    assert dropped == {c for c in range(0x110000) if space.match(chr(c))}


@settings(max_examples=60, deadline=None)
@given(st.data())
def test_every_heading_phrase_holds_a_must_character(data):
    """``_search`` skips lines without one of ``_MUST[code]``: no heading may lack them."""
    for code, pattern in sections.PHRASES.items():
        phrase = data.draw(st.from_regex(sections._spaced(pattern), fullmatch=True), label=code)
        assert any(c in phrase for c in sections._MUST[code]), (code, phrase)


def test_split_sections_cuts_at_the_headings():
    lines = ["一、总体情况 概述正文", "  中间一行  ", "", "末行前文 二、主动公开政府信息情况 主动正文", "结尾"]
    found = sections.find_headings(lines)
    assert [h.code for h in found] == ["overview", "proactive"]
    out = sections.split_sections(lines, found)
    assert out["overview"] == "概述正文\n中间一行\n\n末行前文"
    assert out["proactive"] == "主动正文\n结尾"


def test_heading_prefilter_changes_nothing():
    assert all(1 <= len(chars) <= 2 for chars in sections._MUST.values())  # the search tests [0] and [-1]
    assert set(sections._MUST) == set(sections.PHRASES)
    lines = ["一、总体情况", "二、主动 公开政府信息情况", "(一)主动公开情况", "三、收到和处理政府信息公开申请情况",
             "四、政府信息公开行政复议、行政诉讼情况", "五、存在的主要问题及改进情况", "六、其他需要报告的事项", "正文"]
    found = sections.find_headings(lines)
    assert [h.code for h in found] == list(schema.SECTION_CODES)
    assert [h.line for h in found] == [0, 1, 3, 4, 5, 6]


@settings(max_examples=200, deadline=None)
@given(st.sampled_from([schema.REQUEST_ROWS, *schema.PROACTIVE_ROWS.values()]), st.data())
def test_row_matches_memo_equals_the_search(rows, data):
    keys = [k for r in rows for k in r.keys]
    label = "".join(data.draw(st.lists(st.one_of(st.sampled_from(keys), st.text(_CHINESE, max_size=3)), max_size=4)))
    pointer = data.draw(st.integers(0, len(rows)))
    expected = tuple(tables._match_rows(rows, label, pointer))
    assert tables._matches(rows, label, pointer) == expected
    assert tables._matches(rows, label, pointer) == expected
    assert tables._fuzzy(rows, label, pointer) == tables._closest_row(rows, label, pointer)
    assert tables._fuzzy(rows, label, pointer) == tables._closest_row(rows, label, pointer)


def test_plain_counts_take_the_fast_path_with_the_same_tokens():
    toks = tokens.tokenize(["| 007 | 12 | x3 |", "5"])
    assert [(t.kind, t.value, t.text, t.first_on_line) for t in toks] == [
        ("num", 7, "007", True), ("num", 12, "12", False), ("label", None, "x", False),
        ("num", 3, "3", False), ("num", 5, "5", True)]


@settings(max_examples=200, deadline=None)
@given(st.text("0123456789", min_size=1, max_size=12), st.sampled_from([(7,), (5, 5, 5), (3,), (2, 2)]))
def test_solver_memos_return_fresh_equal_answers(digits, blocks):
    first = sum_blocks(digits, blocks)
    again = sum_blocks(digits, blocks)
    assert first == again
    if blocks == (7,):
        assert all(sum(c[:-1]) == c[-1] and "".join(map(str, c)) == digits for c in first)
    first.append(("mutated",))  # a caller may change its list: the memo must not see it
    assert sum_blocks(digits, blocks) == again


_CELL = st.lists(st.one_of(st.sampled_from(["1.属于国家秘密", "本年新收", " ", "  ", "3100004", "12", "0", "-3", "1,234",
                                            "22(其中修订16件)", "2024年", "数据1", "", "—", "7926.3139", "件"]),
                           st.text("0123456789 .", max_size=6)), max_size=6).map("".join)


def _plain_tokenize(lines, start_line=0):
    """The tokenizer's definition: ``tokenize_cell`` over ``split_cells``, without memos."""
    counter, out, last = [0], [], -1
    for text, line, sep in tokens.split_cells(lines, start_line, True):
        cell = tokens.tokenize_cell(text, line, sep, counter)
        if cell and line != last:
            cell[0].first_on_line = True
            last = line
        out.extend(cell)
    return out


_LINE = st.lists(st.one_of(_CELL, st.sampled_from(["|", " | ", "||", "#", "## ", "— 3 —", "第 2 页", "|---|:--:|",
                                                   "Page 4", "  "])), max_size=6).map("".join)


@settings(max_examples=300, deadline=None)
@given(st.lists(_LINE, max_size=8), st.integers(0, 50))
def test_memoised_tokenizer_equals_its_definition(lines, start):
    def fields(toks):
        return [(t.kind, t.text, t.line, t.value, t.digits, t.group, t.raw, t.first_on_line) for t in toks]

    expected = fields(_plain_tokenize(lines, start))
    assert fields(tokens.tokenize(lines, start, normalized=True)) == expected
    assert fields(tokens.tokenize(lines, start, normalized=True)) == expected  # from the memos


def _plain_sum_blocks(digits, blocks, limit=64):
    """``sum_blocks`` as first written: every split of the addends tried, the total checked last."""
    out = []
    if not digits.isdigit():
        return out

    def rec(start, bi, acc):
        if len(out) >= limit:
            return
        if bi == len(blocks):
            if start == len(digits):
                out.append(tuple(acc))
            return
        m, min_after = blocks[bi], sum(blocks[bi + 1:])

        def addends(pos, left, parts):
            if len(out) >= limit:
                return
            if left == 0:
                total = str(sum(parts))
                end = pos + len(total)
                if digits.startswith(total, pos) and len(digits) - end >= min_after:
                    rec(end, bi + 1, acc + parts + [int(total)])
                return
            for end in range(pos + 1, min(len(digits) - left - min_after, pos + 9) + 1):
                part = digits[pos:end]
                if part[0] == "0" and part != "0":
                    break
                addends(end, left - 1, parts + [int(part)])

        addends(start, m - 1, [])

    rec(0, 0, [])
    return out


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from([0, 0, 1, 2, 7, 10, 12, 99, 100, 305, 4711, 123456789]), min_size=1, max_size=14),
       st.sampled_from([(7,), (5, 5, 5), (3,), (2, 2), (4, 3)]), st.booleans(), st.sampled_from([64, 3, 1]))
def test_pruned_sum_blocks_equals_its_definition(values, blocks, summed, limit):
    if summed:  # rows that hold their identities, as most printed rows do
        values, it = [], itertools.cycle(values)
        for m in blocks:
            parts = [next(it) for _ in range(m - 1)]
            values += parts + [sum(parts)]
    digits = "".join(map(str, values))
    assert sum_blocks(digits, blocks, limit) == _plain_sum_blocks(digits, blocks, limit)


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text("0123456789", min_size=1, max_size=21), st.text("0001123459", min_size=10, max_size=21)),
       st.sampled_from([(7,), (5, 5, 5), (3,), (4, 3)]), st.sampled_from([64, 2]))
def test_sum_blocks_of_long_runs_equal_its_definition(digits, blocks, limit):
    """Long runs (a row of large counts run together) are where the last block's search is cut short by
    ``_BlockSums.completes``: the readings and their order stay the definition's."""
    assert sum_blocks(digits, blocks, limit) == _plain_sum_blocks(digits, blocks, limit)


def test_sum_blocks_of_rows_of_large_counts_equal_its_definition():
    for digits in ("3943087632401814514", "3464077562111593967", "12290361978621424", "1755011001731939",
                   "17620300701311993", "100000000100000000200000000", "999999999999999999999999999999",
                   "0000000", "10101010101010101020"):
        for blocks in ((7,), (5, 5, 5), (4, 3)):
            assert sum_blocks(digits, blocks) == _plain_sum_blocks(digits, blocks, 64), (digits, blocks)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(st.one_of(_CHINESE, st.sampled_from(list("a e\u0301\u0308\u0327\u1100\u1161\u11a8가ｆ１２（），"
                                                                  "\u2212\u00a0\u3000\ufb01\u2460\u00bd|")),
                                  st.characters(max_codepoint=0x2FFFF, blacklist_categories=("Cs",))),
                        max_size=12).map(lambda s: s.replace("\n", "")), min_size=1, max_size=6))
def test_normalize_lines_equals_normalizing_the_whole_text(lines):
    expected = tokens.normalize("\n".join(lines)).split("\n")
    assert tokens.normalize_lines(lines) == expected
    assert tokens.normalize_lines(lines) == expected  # from the memo


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(_LINE, st.sampled_from(["本年度情况如下：", "我局收到申请12件。| 3 | 4 |", "共计。本年新收 3 | 4",
                                                  "2024年，各项工作情况如下:"])), max_size=8), st.integers(0, 50))
def test_tokenizer_cutting_narrative_equals_table_text_first(lines, start):
    def fields(toks):
        return [(t.kind, t.text, t.line, t.value, t.digits, t.group, t.raw, t.first_on_line) for t in toks]

    expected = fields(tokens.tokenize([tokens.table_text(line) for line in lines], start, normalized=True))
    assert fields(tokens.tokenize(lines, start, normalized=True, cut=True)) == expected
    assert fields(tokens.tokenize(lines, start, normalized=True, cut=True)) == expected  # from the memos


def test_memoised_check_details_keep_int_and_float_sides_apart():
    from ogi.checks import _check

    assert _check("r", "s", 3, 3, [], "w").detail == "w: 3 = 3"
    assert _check("r", "s", 3, 3, [], "w").detail == "w: 3 = 3"  # from the memo
    assert _check("r", "s", 0, 0, [], "w").detail == "w: 0 = 0"
    assert _check("r", "s", -0.0, 0, [], "w").detail == "w: -0 = 0"
    assert _check("r", "s", 5, 2, [], "w").detail == "w: 5 ≠ 2 (difference 3)"
    assert _check("r", "s", 5, 2, [], "w").ok is False


# --------------------------------------------------------------------------- regular expressions made cheaper
# Each rewritten pattern or prefilter against the pattern it replaced, kept here as its definition.

_HEADING_SPACES = st.lists(st.sampled_from([" ", "  ", "\t", "\u3000", "#", "##", "*", "**", "_", "__", "一", "二", "十",
                                           "、", ".", ",", "1", "12", "第", "部分", "IV", "(", ")", ":", "。", "x", "\n",
                                           "总体情况", "主动公开政府信息情况", "主 动公开", "收到和处理政府信息公开申请情况",
                                           "行政复议、行政诉讼情况", "存在的主要问题及改进情况", "其他需要报告的事项"]),
                           max_size=14).map("".join)


def _heading_found(m):
    return None if m is None else (m.start("emph" if m.group("emph") else "num"), m.end("phrase"), m.group("emph"))


@settings(max_examples=400, deadline=None)
@given(_HEADING_SPACES, st.integers(0, 6))
def test_headings_spaces_taken_at_once_find_what_the_plain_pattern_finds(line, offset):
    """``_HEADING`` takes the spaces around the number possessively (Python 3.11 on); ``_PHRASE`` passes lines
    without the phrase: neither may change a heading found."""
    for code, pattern in sections.PHRASES.items():
        plain = re.compile(rf"(?:^|(?<=[\s:：。;；]))\s*(?P<emph>#{{1,4}}\s*{sections._EMPH}?|{sections._EMPH})?\s*"
                           rf"(?P<num>{sections._NUM})\s*(?P<phrase>{sections._spaced(pattern)})")
        found = plain.search(line, offset)
        assert _heading_found(sections._HEADING[code].search(line, offset)) == _heading_found(found), code
        if found is not None or sections._BARE[code].match(line):
            assert sections._PHRASE[code].search(line, offset if found is not None else 0), code


def test_an_indented_line_is_searched_for_headings_as_before():
    lines = ["    2.重复申请", "    一、总体情况", "  **二、 主动公开政府信息情况**", "(一)主动公开情况", "x"]
    assert [(h.code, h.line, h.start, h.end) for h in sections.find_headings(lines)] == [
        ("overview", 1, 4, 10), ("proactive", 2, 2, 17)]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(list("# \t\u3000\nx一#") + ["##", "#######", "\u3000#"]), max_size=30).map("".join))
def test_markdown_heading_marks_begin_with_their_mark(text):
    plain = re.compile(r"(?:^|(?<=\s))#{1,6}(?:[ \t\u3000]+|$)", re.M)
    assert sections._MD_HEADING_MARK.sub("", text) == plain.sub("", text)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from([",", "，", ":", "：", " ", "\t", "\n", "\u3000", "\u2028", "a", "情况如下", "。", "1"]),
                max_size=12).map("".join))
def test_an_introducing_line_is_what_the_pattern_found(line):
    assert tokens._introduces(line) == bool(re.search(r"[,，][^,，]*[:：]\s*$", line))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["。", ";", "；", " ", "\n", "x", "存在问题", "下一步", "改进情况", "改进措施", "整改情况",
                                 "打算", ":", "：", "改进"]), max_size=12).map("".join))
def test_inline_parts_are_the_splits_of_the_pattern(line):
    assert sections._inline_parts(line) == sections._INLINE_SPLIT.split(line)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["发布日期", "发文日期", "发布时间", "成文日期", "日期", "时间", "统计时间", "日", "期", "时",
                                 ":", "：", "|", " ", "2024", "-", "年", "3", "月", "10", "x"]), max_size=14).map("".join))
def test_a_publication_date_needs_a_label_with_date_or_time(head):
    from ogi.parse import metadata

    if metadata._META_DATE.search(head):
        assert "日期" in head or "时间" in head


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["达", "州", " ", "  ", "\u3000", "\n", "\t", "2", "年", "x", "\u2028",
                                 "达 州 市 通 川 区 2", "\n达 州 市 通 川 区 2 0 2 1 年\n"]), max_size=40).map("".join),
       st.data())
def test_letter_spaced_lines_are_found_line_by_line_as_in_the_whole_head(text, data):
    from ogi.parse import metadata

    whole = metadata._LETTER_SPACED_LINE.search(text) is not None
    pieces = text.split("\n")
    assert metadata._letter_spaced(pieces) == whole
    # lines as the head gives them: some may hold a line break (consecutive pieces joined again)
    ends = sorted(set(data.draw(st.lists(st.integers(1, len(pieces)), max_size=4)) + [len(pieces)]))
    lines = ["\n".join(pieces[a:b]) for a, b in zip([0, *ends], ends)]
    assert "\n".join(lines) == text
    assert metadata._letter_spaced(lines) == whole


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["发布机构", "发文机关", "发布单位", "发文单位", "公开主体", "发布", "机构", "公开", "主体",
                                 "来源", "信息来源", "来", "源", ":", "：", "|", " ", "某市某局", "x"]), max_size=12)
       .map("".join))
def test_the_heads_labels_stand_for_their_patterns(head):
    from ogi.parse import metadata

    if metadata._META_AGENCY.search(head):
        assert any(label in head for label in metadata._META_AGENCY_LABELS)
    if metadata._META_SOURCE.search(head):
        assert "来源" in head


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["存在", "问题", "问", "题", "及", "和", "与", "改进", "其他需要报告", "其他", "x", "的"]),
                max_size=8).map("".join))
def test_a_narrative_label_holds_its_words(label):
    from ogi.parse import pipeline

    if pipeline._NARRATIVE_LABEL.search(label):
        assert "问题" in label or "其他需要报告" in label


def _plain_normalize(text):
    """``tokens.normalize`` as first written: NFKC of the line, footnote marks kept."""
    import unicodedata

    norm = unicodedata.normalize("NFKC", text)
    if norm != text and tokens._MARKS.search(text):
        marks = tokens._MARKS.findall(text)
        pieces = [unicodedata.normalize("NFKC", p) for p in tokens._MARKS.split(text)]
        norm = "".join(p + m for p, m in zip(pieces, marks + [""]))
    return norm.replace("\u2212", "-").replace("\u00a0", " ")


@settings(max_examples=500, deadline=None)
@given(st.text(st.one_of(_CHINESE, st.sampled_from(list("，（）：；\u00a0\u3000ａＡ１２！？.,()e\u0301\u0308\u0327"
                                                         "\u1100\u1161\u11a8가\u2212①²\u2460ﬁ\u00a8 x"))), max_size=24))
def test_normalize_replacing_the_common_wide_forms_first_equals_nfkc(text):
    import unicodedata

    assert tokens.normalize(text) == _plain_normalize(text)
    for wide, narrow in tokens._WIDE:  # each replaced by what it decomposes to
        assert unicodedata.normalize("NFKD", wide) == narrow


_PROLOGUE_PIECES = st.lists(st.sampled_from(["<", ">", "!", "?", "<!", "<?", "xml", "XmL", "DOCTYPE", "doctype", "[",
                                             "]", " ", "\n", "a", "<!--", "-->", "<p>", "<!DOCTYPE html>", "<?xml ?>",
                                             "中"]),
                            max_size=16).map("".join)


@settings(max_examples=500, deadline=None)
@given(_PROLOGUE_PIECES)
def test_the_html_prologue_is_cut_where_the_pattern_cuts(text):
    """``html._without_prologue`` tries the pattern only where ``<!`` or ``<?`` stands."""
    from ogi.readers import html

    assert html._without_prologue(text) == html._PROLOGUE.sub("", text)


def test_the_html_prologue_is_cut_where_the_pattern_cuts_in_crafted_pages():
    """Marks inside a cut (an XML declaration in a DOCTYPE's internal subset) are not tried again."""
    from ogi.readers import html

    for text in ('<!DOCTYPE x [<?xml a>]>body', '<?xml <?xml a>b', '<!DOCTYPE x [<!DOCTYPE y>]> <p>1</p>',
                 'a<!--c--><!doctype html><?XML v?>', '<!<!DOCTYPE>', '<?<?xml>', '', 'no marks'):
        assert html._without_prologue(text) == html._PROLOGUE.sub("", text), text


def _plain_request_checks(requests, template):
    """``checks.request_checks`` and ``review_checks`` as they were written before their names were spelled once."""
    from ogi.checks import _APPLICANTS, _check, _sum

    out = []
    rows = ("new", "carried_over", "total", "carry_forward")
    if all(r in requests for r in rows):
        for c, col in enumerate(_APPLICANTS):
            out.append(_check("requests.balance", col, _sum([requests["new"][c], requests["carried_over"][c]]),
                              _sum([requests["total"][c], requests["carry_forward"][c]]),
                              [f"requests.{r}[{col}]" for r in rows],
                              f"new + carried over vs total + carried forward ({col})"))
    for code, vec in requests.items():
        out.append(_check("requests.row_total", code, _sum(vec[:6]), vec[6],
                          [f"requests.{code}[{c}]" for c in _APPLICANTS], f"sum of applicants vs total ({code})"))
    outcomes = schema.OUTCOME_ROWS.get(template or schema.TEMPLATE_2021, ())
    present = [o for o in outcomes if o in requests]
    if "total" in requests and present:
        for c, col in enumerate(_APPLICANTS):
            ch = _check("requests.outcomes", col, _sum([requests[o][c] for o in present]), requests["total"][c],
                        [f"requests.{r}[{col}]" for r in (*present, "total")],
                        f"sum of outcomes vs total handled ({col})")
            if len(present) < len(outcomes) and ch.ok is not None:
                ch.detail += f"; {len(outcomes) - len(present)} outcome row(s) missing"
                ch.ok = None if ch.ok else False
            out.append(ch)
    return out


def _plain_review_checks(values):
    from ogi.checks import _check, _sum

    if len(values) != 15:
        return []
    return [_check("review_litigation.group_total", g.code, _sum(values[i * 5:i * 5 + 4]), values[i * 5 + 4],
                   [f"review_litigation.{g.code}.{o.code}" for o in schema.REVIEW_OUTCOMES],
                   f"upheld + corrected + other + pending vs total ({g.code})")
            for i, g in enumerate(schema.REVIEW_GROUPS)]


_CELL = st.one_of(st.none(), st.integers(0, 3), st.sampled_from([1.5, 0.0]))


@settings(max_examples=300, deadline=None)
@given(st.sampled_from([schema.TEMPLATE_2019, schema.TEMPLATE_2021, None]),
       st.dictionaries(st.sampled_from([r.code for r in schema.REQUEST_ROWS]), st.lists(_CELL, min_size=7, max_size=7),
                       max_size=12),
       st.lists(_CELL, min_size=14, max_size=16))
def test_checks_with_names_spelled_once_are_the_checks_spelled_each_time(template, requests, review):
    from ogi.checks import request_checks, review_checks

    for _ in range(2):  # and again, from the memos
        assert [c.to_dict() for c in request_checks(requests, template)] == \
            [c.to_dict() for c in _plain_request_checks(requests, template)]
        assert [c.to_dict() for c in review_checks(review)] == [c.to_dict() for c in _plain_review_checks(review)]


@settings(max_examples=500, deadline=None)
@given(st.one_of(st.integers(-2_000_000, 2_000_000), st.integers(), st.floats(allow_nan=True), st.booleans()))
def test_a_checks_number_is_spelled_as_g_spells_it(v):
    from ogi.checks import _g

    assert _g(v) == f"{v:g}"


def test_a_checks_number_is_spelled_as_g_spells_it_at_the_edges():
    from ogi.checks import _g

    for v in (-1_000_000, -999_999, -1, 0, 1, 999_999, 1_000_000, 10**20, -0.0, 0.5, True):
        assert _g(v) == f"{v:g}", v


_AFTER_NUMBER = st.text(st.sampled_from(list("年月日号时件条起宗次个份人家项 \t\u3000\u00a0\n.、．中(\"“12x")), max_size=6)


@settings(max_examples=500, deadline=None)
@given(_AFTER_NUMBER, st.integers(0, 7))
def test_what_follows_a_number_is_read_from_the_next_character_as_the_patterns_read_it(text, e):
    """``tokens._followed_by`` decides ``_DATE_AFTER`` and ``_COUNT_AFTER`` from the next character where it can;
    ``_ENUM_AFTER`` is tried only where its first character stands."""
    assert tokens._followed_by(text, e, tokens._DATE_CHARS, tokens._DATE_AFTER) == \
        (tokens._DATE_AFTER.match(text, e) is not None)
    assert tokens._followed_by(text, e, tokens._COUNT_CHARS, tokens._COUNT_AFTER) == \
        (tokens._COUNT_AFTER.match(text, e) is not None)
    if tokens._ENUM_AFTER.match(text, e):
        assert e < len(text) and text[e] in tokens._ENUM_AFTER_FIRST


def _plain_parse_number(text):
    m = tokens._PURE_NUMBER.match(text)
    if not m:
        return None, ""
    s = m.group(1).replace(",", "")
    if "." in s:
        f = float(s)
        return (f, s) if __import__("math").isfinite(f) else (None, "")
    return int(s), s


@settings(max_examples=500, deadline=None)
@given(st.one_of(st.text("0123456789", min_size=1, max_size=12), st.text(st.sampled_from(list("0123456789 ,.-件万元٣²１")),
                                                                        max_size=10)))
def test_a_number_of_ascii_digits_is_read_as_the_pattern_reads_it(text):
    assert tokens.parse_number(text) == _plain_parse_number(text)


_NUMBERISH = st.text(st.sampled_from(list("0123456789,,..--- 中a")), max_size=16)


@settings(max_examples=500, deadline=None)
@given(_NUMBERISH)
def test_numbers_are_found_where_the_two_branch_pattern_found_them(text):
    """``tokens._NUMBER`` in one branch finds what its two branches found, at the same places."""
    two = re.compile(r"-?\d+(?:,\d{3})+(?:\.\d+)?|-?\d+(?:\.\d+)?")
    assert [m.span() for m in tokens._NUMBER.finditer(text)] == [m.span() for m in two.finditer(text)]


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(["数据", "数", "列", "栏", "column", "COLUMN", "Col", "COL", "coL", "colu", " ", "\t",
                                  "\u3000", "\n", "1", "中"]), max_size=5).map("".join))
def test_a_placeholder_word_ends_in_one_of_its_last_characters(window):
    """``_PLACEHOLDER_WORD`` is searched for only where the window, its spaces stripped, ends as a word of it ends."""
    if tokens._PLACEHOLDER_WORD.search(window):
        assert window.rstrip()[-1:] in tokens._PLACEHOLDER_ENDS


@settings(max_examples=500, deadline=None)
@given(st.text(st.sampled_from(list("0123456789.٣²")), max_size=12))
def test_a_part_of_plain_digits_is_judged_as_the_pattern_judges_it(part):
    from ogi.parse import solve

    plain = bool(part) and len(part.split(".")[0]) <= solve.MAX_PART_DIGITS and solve._PART.fullmatch(part) is not None
    assert solve._ok_part(part) == plain


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from([m for marks in schema.PROACTIVE_TEMPLATE_MARKERS.values() for m in marks]
                                + ["本年", "增/", "减", "/", "件数", "x"]), max_size=8))
def test_the_proactive_template_is_told_by_its_marks_as_before(labels):
    """The marks' slashes taken off once, not again for every mark."""
    toks = [tokens.Token(tokens.LABEL, label, 0) for label in labels]
    text = "".join(labels)
    score = {tpl: sum(1 for m in marks if m.replace("/", "") in text.replace("/", ""))
             for tpl, marks in schema.PROACTIVE_TEMPLATE_MARKERS.items()}
    plain = (schema.TEMPLATE_2019 if score[schema.TEMPLATE_2019] > score[schema.TEMPLATE_2021]
             else schema.TEMPLATE_2021 if score[schema.TEMPLATE_2021] else None)
    assert tables.detect_proactive_template(toks) == plain


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(["一、总体情况", "1.总体情况", "总体情况", "总体", "情况", "一", "1", "、", ".", "．", "#", "**",
                                 "_", " ", "\u3000", "\n", "\t", "x", "二、"]), max_size=16).map("".join))
def test_the_overview_heading_is_searched_from_where_a_match_can_begin(head):
    from ogi.parse import metadata

    plain = metadata._OVERVIEW_HEADING.search(head)
    got = metadata._overview_heading(head)
    assert (got and got.span()) == (plain and plain.span())
