"""The parser's speed shortcuts give exactly what the plain code gives.

Each shortcut (a memo, a character prefilter, a translate table) is checked
against the definition it replaces, on generated input, so a later edit of a
pattern cannot make a shortcut silently skip or change a match.
"""

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
