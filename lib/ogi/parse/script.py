"""Reports copied in traditional characters, or with pinyin after each character: read as simplified.

Mirror sites republish government pages converted to traditional characters
(``政府信息公開工作年度報告``), some with a tone-marked pinyin gloss after
characters (``報(bào)告``). The template's labels are simplified, so such a copy
read no table at all. Both are undone before anything reads the text: glosses
are removed (tone-marked pinyin in brackets never occurs in a report's own
text), and traditional text is converted by OpenCC's ``t2s`` profile, the
standard open-source converter (an exact pin: converted names are results).

The check costs one regex scan of a report's opening (about 20 us); text whose
opening holds no tone mark and none of the traditional-only characters below
(all simplified reports) is returned as is.
"""

from __future__ import annotations

import re
from functools import lru_cache

# Frequent characters of a report that exist only in traditional script, and their simplified
# forms: the text is converted when the first clearly outnumber the second.
_TRADITIONAL = "開報門為們國與這過關條請況處議訴復護審權機會辦產單組織網導專縣區鎮鄉務應實發現時間數計劃規範項總結體級廳"
_SIMPLIFIED = "开报门为们国与这过关条请况处议诉复护审权机会办产单组织网导专县区镇乡务应实发现时间数计划规范项总结体级厅"
_TRADITIONAL_CHAR = re.compile(f"[{_TRADITIONAL}]")
_SIMPLIFIED_CHAR = re.compile(f"[{_SIMPLIFIED}]")
#: Traditional-only characters needed before a text counts as traditional (a name or a quote has a few).
MIN_TRADITIONAL = 20

_TONE = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ"
# "報(bào)", "開（kāi）", "關(guān)": a bracketed pinyin syllable with a tone mark.
_GLOSS = re.compile(rf"[(（][a-zü]{{0,6}}[{_TONE}][a-zü]{{0,6}}[)）]")


def looks_traditional(text: str) -> bool:
    """Whether ``text`` is written in traditional characters (not a few in simplified text)."""
    if _TRADITIONAL_CHAR.search(text) is None:
        return False
    traditional = len(_TRADITIONAL_CHAR.findall(text))
    return traditional >= MIN_TRADITIONAL and traditional > 2 * len(_SIMPLIFIED_CHAR.findall(text))


def has_glosses(text: str) -> bool:
    return _GLOSS.search(text) is not None


def strip_glosses(lines: list[str]) -> list[str]:
    """``lines`` without bracketed tone-marked pinyin (``報(bào)告`` → ``報告``)."""
    return [_GLOSS.sub("", line) for line in lines]


@lru_cache(maxsize=1)
def _converter():
    import opencc  # imported on first use: most corpora never need it

    return opencc.OpenCC("t2s")


def to_simplified(lines: list[str]) -> list[str]:
    """``lines`` converted to simplified characters (one line in, one line out)."""
    convert = _converter().convert
    return [convert(line) for line in lines]


# One scan decides for almost every report: no tone mark and no traditional-only character in its opening.
_SUSPECT = re.compile(f"[{_TONE}{_TRADITIONAL}]")
#: Characters of the opening that the first scan reads (a copy shows its script from its title on).
PROBE_CHARS = 4000


def simplify(lines: list[str], text: str) -> tuple[list[str], list[str]]:
    """The lines to read, and what was done to them (messages for the report)."""
    messages: list[str] = []
    if _SUSPECT.search(text, 0, PROBE_CHARS) is None:
        return lines, messages
    if has_glosses(text):
        lines = strip_glosses(lines)
        messages.append("pinyin glosses after characters removed before reading (a mirror site's copy?)")
    if looks_traditional(text):
        lines = to_simplified(lines)
        messages.append("text in traditional characters: converted to simplified (OpenCC t2s) before reading")
    return lines, messages
