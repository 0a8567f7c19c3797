"""Split the parts of section 五 into single statements: one problem, one measure.

Reports list their problems and measures in a handful of ways, often mixed:
``一是…二是…`` inline (seed 004), ``(一)(二)`` or ``1. 2.`` one per line
(seeds 002, 003), ``第一,第二,``, or plain sentences and semicolon-separated
clauses. A part's own headings (``存在问题:``, ``(二)改进措施``,
``2024年度改进情况:``, seeds 000/001) are dropped, keeping the text after them.

The rules, in order:

1. A heading line, or a heading prefix ending in a colon, starts a new block.
2. In a block, a numbering style counts only where its numbers run 1, 2, …
   (at least two), so ``第一平台`` or a lone ``(一)`` is not a list. The style
   whose list starts first is the block's list; other styles stay inside
   its items (sub-points of an item belong to it).
3. An item runs to the next number. The last one ends with its line when
   the items before it were one line each, else with the block.
4. Text outside the items is split into sentences at ``。！？；``, and at
   line ends. The sentence right before a list that does not end a sentence
   (``…还存在着不足:``, ``…存在一定差距,``) is kept and flagged ``lead``: it
   often says something (seed 003: ``人手相对短缺``) but is not an item.

Numbers and trailing punctuation are removed from statement texts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["Statement", "split_statements"]

_CN = "一二三四五六七八九十"
_NUM = rf"[{_CN}]{{1,3}}"

# Heading vocabulary of the section's parts; WHEN is the year or time the part is about.
_WHEN = r"(?:\d{4}\s*年度?|上一?年度?|本年度|下一?年度|下一步|今后|明年)?\s*"
_WORD = (r"(?:存在的?(?:主要)?(?:问题|不足)|主要问题|问题|不足(?:之处)?|(?:改进|整改)(?:落实)?"
         r"(?:措施|情况|方向|计划|举措)?|工作(?:打算|计划|安排|措施|思路|方向)|打算|计划|安排|措施|努力方向|思路)")
_HEAD = (rf"\s*(?:\({_NUM}\)|\(\d{{1,2}}\)|{_NUM}[、.]|\d{{1,2}}[、.])?\s*{_WHEN}(?:工作)?{_WORD}"
         rf"(?:(?:及|和|与|以及|、){_WHEN}(?:工作)?{_WORD}){{0,2}}")
_HEAD_LINE = re.compile(rf"^{_HEAD}\s*[:：]?\s*$")
_HEAD_PREFIX = re.compile(rf"^{_HEAD}\s*[:：]\s*")

_AFTER = r"(?:^|(?<=[\s。;；:：,，!！?？]))"  # a list number starts a line or follows punctuation
_STYLES: dict[str, re.Pattern] = {
    "shi": re.compile(rf"(?<![\u3400-\u9fff])(?P<n>{_NUM})是"),  # 一是 (not 统一是)
    "paren_cn": re.compile(rf"{_AFTER}\((?P<n>{_NUM})\)", re.M),
    "paren_digit": re.compile(rf"{_AFTER}\((?P<n>\d{{1,2}})\)", re.M),
    "digit": re.compile(rf"{_AFTER}(?P<n>\d{{1,2}})\s*[.、](?!\d)", re.M),
    "cn_comma": re.compile(rf"{_AFTER}(?P<n>{_NUM})、", re.M),
    "di": re.compile(rf"{_AFTER}第(?P<n>{_NUM})[,，、:：]", re.M),
}
_SENTENCE_END = re.compile(r"(?<=[。!！?？;；])|\n")
_TRIM = " \t\n,，;；:：、。."
_FULL_STOP = re.compile(r"[。!！?？]")


@dataclass(frozen=True)
class Statement:
    """One statement: its text (numbering and trailing punctuation removed) and whether it leads a list."""

    text: str
    lead: bool = False


def _number(s: str) -> int:
    if s.isdigit():
        return int(s)
    if s == "十":
        return 10
    if s.startswith("十"):
        return 10 + _CN.index(s[1]) + 1
    if s.endswith("十"):
        return (_CN.index(s[0]) + 1) * 10
    if "十" in s:
        return (_CN.index(s[0]) + 1) * 10 + _CN.index(s[2]) + 1
    return _CN.index(s) + 1 if s in _CN else -1


def split_statements(text: str) -> list[Statement]:
    """Statements of one part of section 五 (problems, improvements or rectification).

    Parameters
    ----------
    text : str
        The part's text, lines separated by newlines (NFKC-normalised, as the parser leaves it).

    Returns
    -------
    list of Statement
        In reading order; empty for an empty part.
    """
    out: list[Statement] = []
    for block in _blocks(text or ""):
        out.extend(_split_block(block))
    return out


def _blocks(text: str) -> list[str]:
    """Lines grouped into blocks at part headings; the headings themselves dropped.

    A block is the text as printed between headings (blank lines and indents kept inside it, its
    ends trimmed), so that a statement spanning lines is a piece of the text it came from.
    """
    blocks: list[list[str]] = [[]]
    for line in text.split("\n"):
        if not line.strip():
            blocks[-1].append(line)
            continue
        if _HEAD_LINE.match(line):
            blocks.append([])
            continue
        m = _HEAD_PREFIX.match(line)
        if m:
            blocks.append([])
            line = line[m.end():]
        blocks[-1].append(line)
    return [block for block in ("\n".join(b).strip() for b in blocks) if block]


def _runs(block: str) -> list[list[re.Match]]:
    """The list numbers of the block's list style: runs of 1, 2, … (two or more)."""
    best: list[list[re.Match]] = []
    for pattern in _STYLES.values():
        runs, run = [], []
        for m in pattern.finditer(block):
            n = _number(m.group("n"))
            if n == 1:
                runs.append(run)
                run = [m]
            elif run and n == _number(run[-1].group("n")) + 1:
                run.append(m)
        runs = [r for r in runs + [run] if len(r) >= 2]
        if runs and (not best or runs[0][0].start() < best[0][0].start()):
            best = runs
    return best


def _split_block(block: str) -> list[Statement]:
    out: list[Statement] = []
    pos = 0
    runs = _runs(block)
    for k, run in enumerate(runs):
        out.extend(_sentences(block[pos:run[0].start()], before_list=True))
        limit = runs[k + 1][0].start() if k + 1 < len(runs) else len(block)
        one_line = all("\n" not in block[a.end():b.start()].strip() for a, b in zip(run, run[1:]))
        for i, m in enumerate(run):
            end = run[i + 1].start() if i + 1 < len(run) else limit
            if i + 1 == len(run) and one_line:
                nl = block.find("\n", m.end())
                end = min(end, nl) if nl >= 0 else end
            if i + 1 == len(run) and k + 1 < len(runs):  # another list follows: its lead is no part of this item
                stop = _FULL_STOP.search(block, m.end(), end)
                end = stop.end() if stop else end
            item = block[m.end():end].strip(_TRIM)
            if item:
                out.append(Statement(item))
            pos = end
    out.extend(_sentences(block[pos:], before_list=False))
    return out


def _sentences(text: str, before_list: bool) -> list[Statement]:
    """Sentences and semicolon clauses; the last one before a list is its lead if it does not end a sentence."""
    pieces = [p.strip() for p in _SENTENCE_END.split(text)]
    pieces = [p for p in pieces if p.strip(_TRIM)]
    out = []
    for i, p in enumerate(pieces):
        lead = before_list and i == len(pieces) - 1 and not re.search(r"[。!！?？;；]$", p)
        out.append(Statement(p.strip(_TRIM), lead=lead))
    return out
