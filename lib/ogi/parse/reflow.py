"""Reports flattened onto a few very long lines: cut them where the template starts a new part.

Some crawlers keep a page's whole text as one line (real archives do:
narrative, the three tables as runs of labels and digits, and the closing
sections, with no line break anywhere). The later stages read lines: the
tokenizer keeps only what follows a line's last ``。`` as table text, and a
heading glued to the digits before it (``…12000五、存在的主要问题``) is not
taken for one. So a long line that holds a table is cut, before anything
else reads it, in front of each numbered section heading and each
``第二十条第（…）项`` sub-table of table 2, and between markdown's table rows —
the line breaks such a page had before it was flattened. Lines of ordinary reports are never touched.
"""

from __future__ import annotations

import re
from typing import Final, Optional

from .sections import PHRASES, _spaced

#: A line shorter than this is left as it is, whatever it holds.
LONG_LINE: Final = 300

#: A long line is cut only if it holds one of these (the tables' own words).
_TABLE_EVIDENCE = re.compile(r"第二十条|本年新收|申请人情况|行政复议.{0,6}行政诉讼.{0,6}结果维持")

#: A section heading wherever it stands, even glued to digits: a Chinese top-level number and a
#: heading phrase. (Table 3's row labels ``三、本年度办理结果`` hold no heading phrase.)
_HEADING_CUT = re.compile(
    r"[一二三四五六七八九十]{1,2}\s*[、.．]\s*(?:" + "|".join(_spaced(p) for p in PHRASES.values()) + r")")
#: Table 2's parts, cut only in a line that holds a heading too: a paragraph citing
#: 《条例》第二十条第（一）项 is left whole.
_PART_CUT = re.compile(r"第二十条\s*第\s*[(（]")
#: Markdown tables flattened with the rest: a header rule (``|---|``) says rows open and close with a bar, so
#: ``… | 0 | | 行政诉讼 | 0 …`` is two rows, not a blank cell, where a label follows the second bar.
_MD_RULE = re.compile(r"\|\s*:?-{3,}:?\s*\|")
_ROW_JOIN = re.compile(r"(?<=\|)[ \t]+(?=\|[ \t]*[^\s|\d\-:.])")


def unflatten(lines: list[str]) -> Optional[list[str]]:
    """``lines`` (NFKC-normalised) with each long line that holds a table cut before its section
    headings (and, in such a line, table 2's parts); ``None`` when no line needs it."""
    out: list[str] = []
    changed = False
    for line in lines:
        if len(line) < LONG_LINE or not _TABLE_EVIDENCE.search(line):
            out.append(line)
            continue
        cuts = [m.start() for m in _HEADING_CUT.finditer(line) if m.start() > 0]
        if not cuts:
            out.append(line)
            continue
        cuts = sorted(set(cuts) | {m.start() for m in _PART_CUT.finditer(line) if m.start() > 0}
                      | ({m.end() for m in _ROW_JOIN.finditer(line)} if _MD_RULE.search(line) else set()))
        changed = True
        for a, b in zip([0] + cuts, cuts + [len(line)]):
            piece = line[a:b].strip()
            if piece:
                out.append(piece)
    return out if changed else None
