"""Reports copied in traditional characters, or with pinyin after each character: read as simplified.

Mirror sites republish government pages converted to traditional characters
(``政府信息公開工作年度報告``), some with a tone-marked pinyin gloss after
characters (``報(bào)告``). The template's labels are simplified, so such a copy
read no table at all. Both are undone before anything reads the text: glosses
are removed (tone-marked pinyin in brackets never occurs in a report's own
text), and traditional text is converted by OpenCC, the standard open-source
converter (an exact pin: converted names are results): character by character
(``t2s``), or, for a copy made with Taiwan phrasing (``資訊`` for 信息, ``檔案``
for 文件), with mainland phrases (``tw2sp``).

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
    traditional = len(_TRADITIONAL_CHAR.findall(text))
    return traditional >= MIN_TRADITIONAL and traditional > 2 * len(_SIMPLIFIED_CHAR.findall(text))


def has_glosses(text: str) -> bool:
    return _GLOSS.search(text) is not None


def strip_glosses(lines: list[str]) -> list[str]:
    """``lines`` without bracketed tone-marked pinyin (``報(bào)告`` → ``報告``)."""
    return [_GLOSS.sub("", line) for line in lines]


# Some mirrors convert with Taiwan phrasing (OpenCC s2twp): 信息 → 資訊, 文件 → 檔案, 发布 → 釋出, so that
# even converted back character by character the labels do not match (规范性档案). Their mark: 資訊 more
# often than 信息, in reports about 政府信息公开.
_TAIWAN_MARK, _MAINLAND_MARK = "資訊", "信息"
# What the phrase conversion back (tw2sp) gets wrong in names: 档案 (archives) is 档案, not 文件.
_NAMES_BACK = (("文件馆", "档案馆"), ("文件局", "档案局"))
# Mirrors that keep 信息 may still print 文件 as 檔案: the template's row label, whatever the profile.
_LABELS_BACK = (("规范性档案", "规范性文件"),)


def taiwan_phrasing(text: str) -> bool:
    """Whether a traditional text was converted with Taiwan phrases (資訊 for 信息)."""
    taiwan = text.count(_TAIWAN_MARK)
    return taiwan >= 3 and taiwan > text.count(_MAINLAND_MARK)


def _have_opencc() -> bool:
    """Whether OpenCC can be imported (a dependency; an install without it still parses, and says so)."""
    try:
        _converter("t2s")
    except ImportError:
        return False
    return True


@lru_cache(maxsize=2)
def _converter(profile: str):
    import opencc  # imported on first use: most corpora never need it

    return opencc.OpenCC(profile)


def to_simplified(lines: list[str], taiwan: bool = False) -> list[str]:
    """``lines`` converted to simplified characters (one line in, one line out); ``taiwan``: with
    mainland phrases for Taiwan ones (OpenCC ``tw2sp``), else character by character (``t2s``)."""
    convert = _converter("tw2sp" if taiwan else "t2s").convert
    out = [convert(line) for line in lines]
    for wrong, right in _NAMES_BACK + _LABELS_BACK if taiwan else _LABELS_BACK:
        out = [line.replace(wrong, right) for line in out]
    return out


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
        if not _have_opencc():
            messages.append("text in traditional characters, left as it is: the converter (opencc) is not "
                            "installed; its labels will not match (pip install opencc)")
        elif taiwan_phrasing(text):
            lines = to_simplified(lines, taiwan=True)
            messages.append("text in traditional characters with Taiwan phrasing (資訊 for 信息): converted to "
                            "simplified with mainland phrases (OpenCC tw2sp) before reading; the narrative's "
                            "wording may differ from the original's")
        else:
            lines = to_simplified(lines)
            messages.append("text in traditional characters: converted to simplified (OpenCC t2s) before reading")
    return lines, messages
