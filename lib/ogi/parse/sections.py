"""The six sections of a report, found by their headings in order.

Headings stray from the template: own numbering (``一、`` or ``1.`` or
``第一部分``), inline after a sentence (seed 001: ``…如下: 一、总体情况 2023年``),
glued to the text that follows (``二、主动公开政府信息情况本单位…``), typos
(``行政法复议``). A heading is a known phrase with a top-level number before
it, or a short line of its own; sub-headings such as ``(一)主动公开情况``
never count. Headings are searched in template order, each after the last.
Table-3 row labels (``三、本年度办理结果``) carry no heading phrase.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from typing import Final, Optional

from .. import schema
from ..readers.document import IMAGE_LINE
from .metadata import SIGNED_DAY, SIGNED_MONTH
from .tokens import is_footer

_NUM = (r"(?:[一二三四五六七八九十]{1,2}\s*[、.．,，]|[一二三四五六七八九十]{1,2}(?=[ \t])|"
        r"第[一二三四五六七八九十]{1,2}(?:部分|章|节)\s*[、.．:：]?|\d{1,2}\s*[、.．](?!\d)|(?:I{1,3}|IV|VI?)\s*[、.．]|#{1,4})")
#: Headings numbered as sub-headings are ("(一)总体情况", "(二)主动公开政府信息情况"): read only when the
#: report's own scheme has no heading of the usual kind, and only in increasing order (``_bracketed``), so that
#: the overview's own "(一)主动公开情况" is no heading.
_BRACKET_NUM = r"\((?P<n>[一二三四五六七八九十]{1,2})\)"

#: Heading phrases per section (after NFKC normalisation, so brackets are half-width).
PHRASES: dict[str, str] = {
    "overview": r"(?:总体情况|基本情况|工作概述|概述|总体工作情况)",
    "proactive": r"(?:主动公开政府信息(?:的)?(?:情况|工作)|主动公开(?:情况|工作情况)|主动公开政府信息)",
    "requests": r"(?:收到和处理政府信息公开申请(?:的)?情况|收到和处理政府信息公开(?:的)?情况|"
                r"依申请公开(?:政府信息)?(?:的)?(?:工作)?情况|政府信息公开申请(?:的)?(?:办理)?情况)",
    "review_litigation": r"(?:(?:因)?政府信息公开(?:工作)?(?:被申请)?行政法?复议[、和及与]?(?:提起)?行政诉讼(?:的)?(?:案件)?(?:情况)?|"
                         r"行政法?复议[、和及与]?行政诉讼(?:的)?(?:情况|案件)|行政法?复议和?行政诉讼情况)",
    "problems": r"(?:(?:政府信息公开|政务公开)?(?:工作)?存在的?(?:主要)?问题(?:及|和|与|以及)?(?:改进|整改)?(?:情况|措施|路径|方向)?|"
                r"(?:主要)?问题(?:及|和|与)(?:改进|整改)(?:情况|措施)?)",
    "other": r"(?:其他需要报告的事项|其他需报告(?:的)?事项|其他需要说明的事项|其他事项)",
}



def _spaced(pattern: str) -> str:
    """Let a stray space stand inside a heading phrase (crawler text: ``一、总体 情况``).

    A ``[ \\t]?`` goes after each Chinese literal and each character class of the
    pattern (``复议、 行政诉讼``), not inside a class; after an optional one (``的?``),
    it goes after the ``?`` (``存在的 主要问题``).
    """
    out, in_class = [], False
    for i, ch in enumerate(pattern):
        out.append(ch)
        if ch == "[" and (i == 0 or pattern[i - 1] != "\\"):
            in_class = True
        elif ch == "]" and in_class:
            in_class = False
            if pattern[i + 1:i + 2] not in ("?", "*", "+", "{"):
                out.append("[ \\t]?")
        elif in_class:
            continue
        elif "\u4e00" <= ch <= "\u9fff" and pattern[i + 1:i + 2] not in ("?", "*", "+", "{"):
            out.append("[ \\t]?")
        elif ch == "?" and i and ("\u4e00" <= pattern[i - 1] <= "\u9fff" or pattern[i - 1] == "]"):
            out.append("[ \\t]?")
    return "".join(out)


#: Markdown's emphasis around a heading (``**一、总体情况**``, ``__…__``, ``*…*``), as converters and models write it.
_EMPH = r"(?:\*{1,3}|_{2,3})"
#: The spaces around the number are taken possessively (``\s*+``, Python 3.11 on): what follows them never starts
#: with a space, so giving some back can never make a match; it only made a search of an indented line try every
#: split of its indent (a search of "    2.重复申请" 11.8 µs, now 2.4).
_ALL_SPACES = r"\s*+" if sys.version_info >= (3, 11) else r"\s*"
_HEADING: Final = {
    code: re.compile(rf"(?:^|(?<=[\s:：。;；])){_ALL_SPACES}(?P<emph>#{{1,4}}\s*{_EMPH}?|{_EMPH})?{_ALL_SPACES}"
                     rf"(?P<num>{_NUM}){_ALL_SPACES}(?P<phrase>{_spaced(pat)})")
    for code, pat in PHRASES.items()}
_BRACKETED = {code: re.compile(rf"^\s*(?P<emph>#{{1,4}}\s*{_EMPH}?|{_EMPH})?\s*(?P<num>{_BRACKET_NUM})\s*"
                              rf"(?P<phrase>{_spaced(pat)})") for code, pat in PHRASES.items()}
#: The phrase alone: a line without it holds no heading of the section, and is passed after this search, which
#: skips to the phrase's first character where ``_HEADING``'s tries the number at every character (~0.2 µs each).
_PHRASE: Final = {code: re.compile(_spaced(pat)) for code, pat in PHRASES.items()}
_BARE = {code: re.compile(rf"^\s*(?:#{{1,4}}\s*)?{_EMPH}?\s*(?P<phrase>{_spaced(pat)})\s*{_EMPH}?\s*$")
         for code, pat in PHRASES.items()}
#: A character every phrase of the section contains (stray spaces cannot split one):
#: a line with none of them cannot hold the heading, and skips the regex search.
#: (One or two characters each: the search tests the first and the last.)
_MUST: Final = {"overview": "况述", "proactive": "主", "requests": "公", "review_litigation": "复",
         "problems": "题", "other": "项"}


@dataclass
class Heading:
    code: str
    line: int
    start: int  # character offset of the heading in the (normalised) line
    end: int    # character offset after the heading phrase


def find_headings(lines: list[str]) -> list[Heading]:
    """Section headings in template order; a section whose heading is missing is skipped.

    ``lines`` are expected NFKC-normalised (``ogi.parse.tokens.normalize``).
    """
    norm = lines
    headings: list[Heading] = []
    pos = (0, 0)
    for code in schema.SECTION_CODES:
        h = _search(code, norm, pos)
        if h:
            headings.append(h)
            pos = (h.line, h.end)
    if len(headings) < 2:
        bracketed = _bracketed(norm)
        if len(bracketed) > len(headings):
            return bracketed
    return headings


_ZH_NUM = {c: k for k, c in enumerate("一二三四五六七八九十", 1)}


def _zh_number(s: str) -> int:
    """一 … 十, 十一 … 十九, 二十 …: the number (0 for another spelling)."""
    if len(s) == 1:
        return _ZH_NUM[s]
    if s[0] == "十":
        return 10 + _ZH_NUM[s[1]] if s[1] != "十" else 0
    return _ZH_NUM[s[0]] * 10 if s[1] == "十" else 0


def _bracketed(norm: list[str]) -> list[Heading]:
    """Headings numbered "(一)" … at the start of their lines, each number above the last's."""
    headings: list[Heading] = []
    line0, last = 0, 0
    for code in schema.SECTION_CODES:
        must0, must1 = _MUST[code][0], _MUST[code][-1]  # taken once: an index of a str makes a new str each time
        for i in range(line0, len(norm)):
            line = norm[i]
            if "|" in line or (must0 not in line and must1 not in line) or "(" not in line:
                continue
            m = _BRACKETED[code].match(line)
            n = _zh_number(m.group("n")) if m else 0
            if m is not None and n > last:  # (n is 0 without a match)
                headings.append(Heading(code, i, m.start("emph" if m.group("emph") else "num"), m.end("phrase")))
                line0, last = i + 1, n
                break
    return headings


def _search(code: str, norm: list[str], pos: tuple[int, int]) -> Optional[Heading]:
    line0, col0 = pos
    must0, must1 = _MUST[code][0], _MUST[code][-1]  # taken once: an index of a str makes a new str each time
    for i in range(line0, len(norm)):
        line = norm[i]
        if "|" in line or (must0 not in line and must1 not in line):
            continue
        offset = col0 if i == line0 else 0
        if _PHRASE[code].search(line, offset) is None:
            continue
        m = _HEADING[code].search(line, offset)
        if m:
            return Heading(code, i, m.start("emph" if m.group("emph") else "num"), m.end("phrase"))
        if i != line0 or offset == 0:
            m = _BARE[code].match(line)
            if m and len(line.strip()) <= 30:
                return Heading(code, i, m.start(), m.end("phrase"))
    return None


def split_sections(lines: list[str], headings: list[Heading]) -> dict[str, Optional[str]]:
    """The text of each section (heading excluded, NFKC-normalised), ``None`` if not found."""
    norm = lines
    out: dict[str, Optional[str]] = {code: None for code in schema.SECTION_CODES}
    for k, h in enumerate(headings):
        nxt = headings[k + 1] if k + 1 < len(headings) else None
        end_line = nxt.line if nxt else len(norm) - 1
        # the heading's line after the heading, every line between, the next heading's line before it
        first = norm[h.line]
        stop = nxt.start if (nxt and nxt.line == h.line) else len(first)
        parts = [first[h.end:stop].lstrip("*_")] if h.end < stop else []  # a bold heading's closing "**"
        parts.extend(norm[h.line + 1:end_line])
        if end_line > h.line:
            last = norm[end_line]
            stop = nxt.start if (nxt and nxt.line == end_line) else len(last)
            if stop > 0:
                parts.append(last[:stop])
        narrative = h.code in _NARRATIVE
        lead = _LEAD_TEXT if narrative else _LEAD
        text = "\n".join([q for p in parts if not ((q := p.strip())[:1] in lead and _furniture(q, narrative))])
        text = (_MD_HEADING_MARK.sub("", text) if "#" in text else text).strip()
        out[h.code] = text if nxt else without_signature(without_site_text(text))
    return out


# The report's sign-off after its last section: the agency's name on a line of its own, then the date, as
# ``metadata`` reads a signature's (a page's footer may follow the date where the text was flattened onto
# one line: "…2023年3月8日—5—")
_DATE = rf"{SIGNED_MONTH}{SIGNED_DAY}(?:\s*[-—–_]+\s*\d{{1,4}}\s*[-—–_]+)?\s*$"
# ... on lines of their own, or (the text flattened onto one line) after the last sentence's end
_SIGNATURE = re.compile(rf"(?:\n[^\n。；;:：,，!！?？]{{2,40}})?\n\s*{_DATE}"
                        rf"|(?<=[。！？!?；;])\s*(?:[^\n。；;:：,，!！?？]{{2,40}}?\s*)?{_DATE}")


def without_signature(text: str) -> str:
    """The last section's text without the report's sign-off (``某局`` / ``2025年3月10日``): no words of it."""
    if not text.rstrip().endswith(("日", "-", "—", "–", "_")):
        return text
    m = _SIGNATURE.search(text)
    return text if m is None else text[:m.start()].rstrip()


#: A markdown heading's marks before a sub-heading of a section ("##### (一)存在的主要问题", at a line's start or,
#: the text flattened onto one line, after a space); not a hashtag ("#政务公开#"), which has no space after its mark.
#: Written to begin with its "#" (then "not after a non-space"), so that the search skips to each "#" (17 → 1 µs a
#: report; it matches what ``(?:^|(?<=\s))#{1,6}(?:[ \t\u3000]+|$)`` matches).
_MD_HEADING_MARK = re.compile(r"#(?<!\S#)#{0,5}(?:[ \t\u3000]+|$)", re.M)
#: Sections of running text, where a number alone on its line is a page's (a PDF's text), never a cell.
_NARRATIVE: Final = frozenset({"overview", "problems", "other"})
_PAGE_NUMBER: Final = re.compile(r"\d{1,3}")
#: How a line that may be furniture begins: a footer's dash, 第, Page, http(s), file, a picture's mark; in running
#: text also a digit (a date, a page count, a page number alone). A table's section keeps its lines led by a
#: number: its cells (a call for every line cost 3 % of the parse); the text tables read the narrative's.
_LEAD = frozenset("-—–_第pPhHfF" + IMAGE_LINE[0])
_LEAD_TEXT = _LEAD | frozenset("0123456789")


def _furniture(line: str, narrative: bool) -> bool:
    """A line no section's text holds: a picture's mark, a page's footer or running head (``— 3 —``,
    ``第 2 页 共 9 页``, ``Page 3 of 12``, a date and time a browser printed), and in running text a page number
    alone. Left in, they were words of the narrative ("Page", "of", "3") for the text tables."""
    return line == IMAGE_LINE or (bool(line) and (is_footer(line) or (narrative and _PAGE_NUMBER.fullmatch(line)
                                                                        is not None)))


# The web page around a report (FORMAT.md: "site chrome surrounds the text"): share and print
# buttons, links to other articles, the site's footer. A report's own words never hold these; a
# line that starts with one ends the report, and so do the footer's marks anywhere in a line
# (text flattened onto one line keeps the footer after the last sentence).
_SITE_TEXT = re.compile(
    r"网站标识码|[A-Za-z\u4e00-\u9fff]ICP[备證证]|公网安备|扫一扫在手机|版权所有|[【\[]?(?:打印本页|关闭窗口|打印此页|关闭本页)[】\]]?"
    r"|(?:分享到|附件下载|相关(?:链接|文章|阅读|新闻|稿件|附件))\s*[:：]"
    r"|(?m:^\s*(?:分享到|附件下载|上一篇|下一篇|上一条|下一条|主办(?:单位)?\s*[:：]|承办(?:单位)?\s*[:：]|"
    r"技术支持\s*[:：]|copyright\b|©|网站地图|联系我们|责任编辑\s*[:：]|(?:【\s*)?字号\s*[:：]?\s*【?\s*大|"
    r"浏览次数|阅读次数|访问量\s*[:：]))",
    re.I)


def without_site_text(text: str) -> str:
    """The last section's text up to the web page's own text after the report (share buttons,
    related links, the site footer), which a crawled page keeps and the narrative must not."""
    m = _SITE_TEXT.search(text)
    return text if m is None else text[:m.start()].rstrip()


# ---------------------------------------------------------------------------
# Problems vs improvements
# ---------------------------------------------------------------------------

_ENUM = r"^[(（]?[一二三四五六七八九十\d]{0,3}[)）、.]?\s*"
# A marker naming the year whose problems follow: "2023年度存在问题", "(一)2022年问题及改进情况".
_YEAR_PROBLEM = re.compile(_ENUM + r"(?:(\d{4})\s*年度?|上一?年度?)[^。:：]{0,8}问题")
_PROBLEM = re.compile(_ENUM + r"(?:存在的?(?:主要)?问题|主要问题|存在不足|问题和不足|不足之处|存在问题)")
# Improvements still to come (this year's plans), as opposed to fixes already made.
_PLAN = re.compile(_ENUM + r"(?:\d{4}\s*年度?[,，]?\s*)?(?:下一步|下年度|改进措施|整改措施|工作打算|努力方向|改进方向|"
                   r"今后|[^。]{0,12}将从[^。]{0,12}(?:方面|以下))")
_FIXED = re.compile(_ENUM + r"(?:\d{4}\s*年度?)?(?:改进情况|整改情况|整改落实情况)")
# Where a line holds several parts: "存在问题:…。 下一步打算:…" (seed 001).
_INLINE_SPLIT = re.compile(r"(?<=[。;；])\s*(?=(?:存在问题|下一步|改进情况|改进措施|整改情况)[^。]{0,6}[:：])")
#: What every place ``_INLINE_SPLIT`` cuts is followed by: a line without them is not searched (~2 µs a line).
_INLINE_WORDS: Final = ("存在问题", "下一步", "改进", "整改情况")


def _inline_parts(line: str) -> list[str]:
    """The parts of a line that holds several (``_INLINE_SPLIT``), or the line."""
    for word in _INLINE_WORDS:
        if word in line:
            return _INLINE_SPLIT.split(line)
    return [line]


def split_problems(text: Optional[str], year: Optional[int] = None) -> dict[str, str]:
    """Split section 五 into ``problems``, ``improvements`` and ``rectification`` parts.

    Reports cut the section with markers: ``存在问题:``, ``改进措施:``,
    ``下一步打算:``; many also look back at the previous year first
    (seed 000: ``2023年度存在问题:`` … ``2024年度改进情况:`` … then ``2024年度存在问题:``;
    seed 001: ``(一)2022年问题及改进情况`` … ``(二)2023年问题及下一步打算``). A marker
    naming a year before the report's year opens ``rectification`` (last year's
    problems and the fixes made), which lasts until the current year's problems
    or the plans begin. Text before any marker counts as problems, which is how
    reports without markers begin. Parts not present are empty strings.
    """
    parts: dict[str, list[str]] = {"problems": [], "improvements": [], "rectification": []}
    if not text:
        return {k: "" for k in parts}
    segments = [seg.strip() for line in text.split("\n") for seg in _inline_parts(line) if seg.strip()]
    year_marks = [_YEAR_PROBLEM.match(seg) for seg in segments]
    marked_years = sorted({int(m.group(1)) for m in year_marks if m and m.group(1)})
    if year is None and len(marked_years) > 1:
        year = marked_years[-1]
    current = "problems"
    for seg, m in zip(segments, year_marks):
        if m:
            earlier = (m.group(1) is None) or (year is not None and int(m.group(1)) < year)
            current = "rectification" if earlier else "problems"
        elif _PLAN.match(seg):
            current = "improvements"
        elif _FIXED.match(seg):
            current = "rectification" if current == "rectification" else current
        elif _PROBLEM.match(seg) and current != "rectification":
            current = "problems"
        parts[current].append(seg)
    return {k: "\n".join(v) for k, v in parts.items()}
