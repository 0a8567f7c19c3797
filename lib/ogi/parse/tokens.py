"""Lines of any layout → a flat stream of tokens: labels, numbers and blank cells.

Every layout of FORMAT.md reduces to this stream, so the table parser never
needs to know which layout it reads:

* ``a | b | c |`` rows (seed 000), one cell per line with `` |`` (002, 004) and
  readers' rendered HTML/Word/PDF tables: cells are the text between ``|``;
  an empty cell is a *blank* token (printed blank, which is not 0);
* one cell per line without separators (003): each non-empty line is a cell;
* crawler text with no separators: a cell is cut into label and number
  pieces, so ``一、本年新收政府信息公开申请数量3100004`` gives a label and a
  number run that the solver later splits by the identities;
* PDF text: ``label 48 3 0 0 1 0 52`` gives a label and numbers that belong to
  one *space group*, which the solver may rejoin if the spaces were stray.

Tokens know nothing of the template; ``ogi.parse.labels`` does.
"""

from __future__ import annotations

import math
import re
import unicodedata
from typing import Final, Optional, Union

from ..readers.document import IMAGE_LINE

Number = Union[int, float]

# Final: a compiled module reads a Final literal as a constant, any other Final from a C static; without it each use
# of a module-level name is a lookup in its module's dictionary (~6 % of a parse worker's instructions).
LABEL: Final = "label"
NUM: Final = "num"
BLANK: Final = "blank"


class Token:
    """One piece of table text.

    ``text`` is the normalised text (labels: whitespace and quotes removed).
    For numbers ``value`` is the parsed value and ``digits`` the printed digit
    string (used to split runs); ``group`` ties numbers that were separated only
    by spaces inside one cell; ``line`` is the source line index (0-based).
    ``whole``: the number is a cell of its own between separators (``| 148 |``),
    so its digits are one value, never a run to split. ``sep``: the token's cell was
    closed by a separator (``0 |``), where ``whole`` also holds for a number alone on its line.

    (A plain class, not a dataclass: compiled by mypyc, a dataclass's ``__init__`` stays
    interpreted, and a report makes hundreds of tokens. Equal as a dataclass is: field by field.)
    """

    __slots__ = ("kind", "text", "line", "value", "digits", "group", "raw", "first_on_line", "whole", "sep")

    def __init__(self, kind: str, text: str, line: int, value: Optional[Number] = None, digits: str = "",
                 group: int = -1, raw: str = "", first_on_line: bool = False, whole: bool = False,
                 sep: bool = False) -> None:
        self.kind = kind
        self.text = text
        self.line = line
        self.value = value
        self.digits = digits
        self.group = group
        self.raw = raw
        self.first_on_line = first_on_line
        self.whole = whole
        self.sep = sep

    def _fields(self) -> tuple:
        return (self.kind, self.text, self.line, self.value, self.digits, self.group, self.raw,
                self.first_on_line, self.whole, self.sep)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Token):
            return NotImplemented
        return self._fields() == other._fields()

    def __repr__(self) -> str:  # compact, for debugging and test failure output
        if self.kind == NUM:
            return f"N({self.digits}{'~' + str(self.group) if self.group >= 0 else ''})"
        if self.kind == BLANK:
            return "_"
        return f"L({self.text[:12]})"


# Footnote marks NFKC would make digits: superscripts and subscripts (¹ ₁), circled numbers (① ㉑ ㊱).
# After a number they are its note ("48①", "12¹"), never its digits: NFKC would read 481 and 121.
_MARKS: Final = re.compile("[\u00b2\u00b3\u00b9\u2070-\u209f\u2460-\u2473\u24ea\u3251-\u325f\u32b1-\u32bf]")


#: The characters NFKC changes that reports print most (full-width punctuation, the no-break and ideographic
#: spaces), each with what NFKC makes of it: ``normalize`` replaces these first (a scan of the line each), and NFKC
#: runs only when something else is left. A character replaced by its decomposition decomposes the same, so NFKC
#: of the line is unchanged. 500 synthetic reports' lines, none memoised: 108 → 38 µs a report.
_WIDE: Final = (("，", ","), ("（", "("), ("）", ")"), ("：", ":"), ("；", ";"), ("\u00a0", " "), ("\u3000", " "))


def normalize(text: str) -> str:
    """Full-width forms, ideographic space, no-break space → ASCII; CJK as is; footnote marks kept (``_MARKS``)."""
    norm = text
    if not unicodedata.is_normalized("NFKC", text):
        for wide, narrow in _WIDE:
            norm = norm.replace(wide, narrow)
        if not unicodedata.is_normalized("NFKC", norm):
            norm = unicodedata.normalize("NFKC", text)
    if norm != text and _MARKS.search(text):
        marks = _MARKS.findall(text)
        pieces = [unicodedata.normalize("NFKC", p) for p in _MARKS.split(text)]
        norm = "".join(p + m for p, m in zip(pieces, marks + [""]))
    return norm.replace("\u2212", "-").replace("\u00a0", " ")


_NORMALIZED: Final[dict[str, str]] = {}
#: Longer lines are not memoised: narrative, which seldom recurs (and would make the memo large).
_NORMALIZED_MAX_CHARS: Final = 200


def normalize_lines(lines: list[str]) -> list[str]:
    """``normalize`` of each line (lines without line breaks): ``normalize("\\n".join(lines)).split("\\n")``.

    NFKC never composes across a line break (a starter nothing composes with) and
    never makes one, so line by line gives the same; it is also cheaper (a whole
    report cost twice its lines), and lines that recur (table rows, headings) are memoised.
    """
    memo = _NORMALIZED
    out = []
    for line in lines:
        norm = memo.get(line)
        if norm is None:
            norm = normalize(line)
            if len(line) <= _NORMALIZED_MAX_CHARS:
                if len(memo) >= 2 * _MEMO_LIMIT:
                    memo.clear()
                memo[line] = norm
        out.append(norm)
    return out


_DIGIT = re.compile(r"\d")
_QUOTES = "\"'“”‘’「」『』"
# What ``label_key`` drops: every character ``str.isspace`` (= regex ``\s``) knows, and quotes.
# (All Unicode whitespace lies below U+3001.)
_LABEL_DROP = {c: None for c in range(0x3001) if chr(c).isspace()} | {ord(c): None for c in _QUOTES}
_LABEL_KEYS: Final[dict[str, str]] = {}


def label_key(text: str) -> str:
    """Label text for matching (input already normalised): no whitespace, no quotes.

    Labels repeat from report to report (the template's row names), so keys are memoised.
    """
    key = _LABEL_KEYS.get(text)
    if key is None:
        key = text.translate(_LABEL_DROP)
        if len(_LABEL_KEYS) > 50_000:
            _LABEL_KEYS.clear()
        _LABEL_KEYS[text] = key
    return key


# A cell that means "nothing printed here": keep it a blank (null), never 0.
_BLANK_WORDS = {"", "-", "--", "—", "——", "/", "\\", "无", "空", "—/—", "null", "none", "n/a", "na"}
# A cell that is zero in words: 零, or 〇 (the ideographic zero, as in 二〇二四). Inside a number 〇 is OCR's
# misreading (_OCR_LETTERS); alone, it can only be 0.
_ZERO_WORDS = {"零", "〇"}

# Numbers: optional sign, thousands separators, decimals, optional unit. (One branch: what
# ``-?\d+(?:,\d{3})+(?:\.\d+)?|-?\d+(?:\.\d+)?`` finds, tried once a place rather than twice.)
_NUMBER = re.compile(r"-?\d+(?:,\d{3})*(?:\.\d+)?")
_UNIT = r"(?:万元|元|件|个|条|次|项|人次|家|份)"
_PURE_NUMBER = re.compile(rf"^\s*(-?\d+(?:,\d{{3}})*(?:\.\d+)?)\s*({_UNIT})?\s*$")
# An enumerator before a label: "3.要求提供公开出版物", "2、重复申请", "2. 其他法律…" (a space after
# the point, as OCR and model-made markdown print it).
_ENUM_POINTS = ".、．"
_ENUM_AFTER: Final = re.compile(rf"[ \t]?[{_ENUM_POINTS}][ \t]?(?=[\u4e00-\u9fff\"“'‘(])")
# An enumerator standing alone in a cell: "1.", "2、".
_LONE_ENUM = re.compile(r"\d{1,2} ?[.、．]")
# A signed change as printed in words: "减4", "增加 3", "+19".
_CHANGE = re.compile(r"(增加?|减少?|\+)\s*(\d+(?:\.\d+)?)")
# Placeholder headers of OCR/model markdown: 数据1 … 数据7, 列1, Column 2.
_PLACEHOLDER = re.compile(r"(数据|列|栏|column|col)\s*\d+", re.I)
# The word of a placeholder header just before a number in mixed text ("数据1 数据2 …" with its bars gone)
_PLACEHOLDER_WORD = re.compile(r"(?:数据|列|栏|column|col)\s*$", re.I)
#: The last characters of what ``_PLACEHOLDER_WORD`` finds, before its spaces.
_PLACEHOLDER_ENDS: Final = frozenset("据列栏lLnN")
# OCR's letters for digits inside a number ("13O024", "l30024", "1S", "13〇024"): the number cannot be
# read, and its first digits are not its value. The cell is unreadable: a blank, whose place in the row
# is kept.
_OCR_LETTERS = "OolISZB〇○"
#: The text of such a cell's blank token (a printed blank's is ""), for the parser to say which cells it could not read.
UNREAD: Final = "?"
_OCR_NUMBER = re.compile(rf"[{_OCR_LETTERS}]?\d+(?:[{_OCR_LETTERS}]+\d*)*")
_GLUED_LETTERS: Final = re.compile(rf"[{_OCR_LETTERS}]{{1,2}}")
# An address or a domain name (https://…, www.…, abc123.com): never a table's value.
_WEB = re.compile(r"(?:https?://|www\.)[\w./?=&%#:-]*"
                  r"|[A-Za-z][A-Za-z0-9-]*(?:\.[A-Za-z0-9-]+)*\.(?:com|cn|net|org|gov|cc|top|xyz|info)\b"
                  r"[\w./?=&%#-]*", re.I)
# Parenthetical remarks inside value cells: "22（其中修订 16 件）".
_REMARK = re.compile(r"\([^()]*[\u4e00-\u9fff][^()]*\)")
# Page footers and page numbers that PDF conversion leaves inside tables; and what a browser prints on
# each page of a web page: the date and time, then the page's title ("11/24/26, 6:59 AM 某局…年度报告",
# "2024/1/22 09:30 …"), and its address with the page count ("file:///…/a.html 2/5").
_FOOTER: Final = re.compile(r"^\s*(?:[-—–_]+\s*\d{1,4}\s*[-—–_]+|第\s*\d+\s*页(?:\s*[,，/]?\s*共\s*\d+\s*页)?|\d+\s*/\s*\d+"
                     r"|page\s*\d+(?:\s*(?:of|/)\s*\d+)?"
                     r"|(?:19|20)\d\d\s*[-/.]\s*\d{1,2}\s*[-/.]\s*\d{1,2}(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?"  # a date
                     r"|\d{1,4}/\d{1,2}/\d{1,4},?\s+\d{1,2}:\d{2}(?::\d{2})?(?:\s*[AP]M)?(?:\s+\S.*)?"
                     r"|(?:https?|file)://\S+(?:\s+\d+\s*/\s*\d+)?)\s*$",
                     re.I)
# A table's caption ("附件：", "附表2", "附件1：政府信息公开情况统计表", "表3 收到和处理…", "…统计表"): its number
# names the table, no cell (``is_caption``)
_CAPTION = re.compile(r"(?:附件|附表|表)\s*[\d一二三四五六七八九十]{0,2}\s*(?:[:：.、\-—]\s*[^|]{0,40}|\s[^\d|]{0,40})?"
                      r"|[^|]{0,30}统计表[:：]?")
_CAPTION_NO = re.compile(r"(?:附件|附表|表)\s*\d")
# Markdown separator rows: |---|:---:|
_MD_SEPARATOR = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$")
_MD_HEADING = re.compile(r"^\s*#{1,6}\s*")


def parse_number(text: str) -> tuple[Optional[Number], str]:
    """``'1,234'`` → ``(1234, '1234')``; ``'7926.3139'`` → float; returns ``(None, '')`` if not a number."""
    if text.isdigit() and text.isascii():  # the common case, what the pattern reads as it is
        return int(text), text
    m = _PURE_NUMBER.match(text)
    if not m:
        return None, ""
    s = m.group(1).replace(",", "")
    if "." in s:
        f = float(s)
        # hundreds of digits overflow to inf, which no table prints: not read as a number
        return (f, s) if math.isfinite(f) else (None, "")
    return int(s), s


def is_placeholder(label: str) -> bool:
    """A placeholder header of OCR or model-made markdown (``数据1``, ``列2``, ``Column 3``)."""
    return _PLACEHOLDER.fullmatch(label) is not None


def is_caption(line: str) -> bool:
    """A table's caption (``附表2``, ``附件：…统计表``) in a normalised, stripped line."""
    return _CAPTION.fullmatch(line) is not None


def is_footer(line: str) -> bool:
    """A page footer or page number (``— 4 —``, ``第 3 页 共 9 页``) in a normalised line."""
    return bool(_FOOTER.match(line))


def split_cells(lines: list[str], start_line: int = 0, normalized: bool = False) -> list[tuple[str, int, bool]]:
    """Cut lines into cells ``(text, line_index, from_separator)``.

    ``from_separator`` is True for cells delimited by ``|`` (an empty one is a
    printed blank); a line without ``|`` is one cell (empty lines give none).
    Rules that real layouts need:

    * a line starting with ``|`` right after a line without any ``|`` closes
      that line's cell (seed 004 prints ``总计`` then ``| ||||||``);
    * a markdown row ``| a | b |`` starts with a pipe that opens, not closes;
    * the text after a line's last ``|`` is a cell only if not empty;
    * a line without ``|`` whose tabs part numbers is cut at its tabs, an empty
      field a blank (a table pasted from a page or a spreadsheet).
    """
    cells: list[tuple[str, int, bool]] = []
    prev_open = False  # previous non-empty line had text not closed by '|'
    for offset, raw in enumerate(lines):
        line_cells, prev_open = _line_cells(raw, prev_open, normalized)
        cells.extend((text, start_line + offset, sep) for text, sep in line_cells)
    return cells


def _line_cells(raw: str, prev_open: bool, normalized: bool) -> tuple[tuple[tuple[str, bool], ...], bool]:
    """One line's cells ``(text, from_separator)``, and whether the line leaves a cell open
    (``prev_open`` for the next line; unchanged by a line that gives no cells)."""
    unstripped = raw if normalized else normalize(raw)
    if unstripped.startswith("#"):
        unstripped = _MD_HEADING.sub("", unstripped)
    line = unstripped.strip()
    if not line or line == IMAGE_LINE:
        return (), prev_open
    c = line[0]
    if c == "|" or c == ":":  # only a markdown separator row can start so (and it has dashes)
        if "--" in line and _MD_SEPARATOR.match(line):
            return (), prev_open
    elif (c in "-—–_第pPfFhH" or c.isdigit()) and (is_footer(line) or _MD_SEPARATOR.match(line)):
        return (), prev_open
    elif (c == "附" or c == "表") and _CAPTION_NO.match(line) and "元" not in line and _CAPTION.fullmatch(line):
        return (), prev_open  # a numbered caption: its number is no cell (a unit in it, 单位：元, stays for the fees)
    if "|" not in line:
        if "\t" in line:  # a table copied from a page or a sheet: cells between tabs, two tabs a blank cell
            fields = [f.strip() for f in line.split("\t")]
            if any(_DIGIT.search(f) for f in fields[1:]):
                return tuple((f, True) for f in fields), True
        return ((line, False),), True
    parts = line.split("|")
    if line.startswith("|"):
        has_content = bool(line[1:].replace("|", "").strip())  # text in any part after the first
        # A pipe in the first column closes the previous line's cell, or opens a
        # markdown row; " | 0 | 0 |" (space first) is a row whose first cell is blank.
        if prev_open or (has_content and unstripped.startswith("|")):
            parts = parts[1:]
    last = parts.pop().strip()
    cells = [(p.strip(), True) for p in parts]
    if last:
        cells.append((last, False))
    return tuple(cells), bool(last)


_DATE_CHARS: Final = "年月日号时"
_DATE_AFTER: Final = re.compile(rf"\s*[{_DATE_CHARS}]")
# A counter word after a number inside a cell's text; amounts (元, 万元) are left out: run-together
# crawler rows print them (行政事业性收费5.2万元).
_COUNT_CHARS: Final = "件条起宗次个份人家项"
_COUNT_AFTER: Final = re.compile(rf"\s*[{_COUNT_CHARS}]")
#: The characters ``_ENUM_AFTER`` can start with.
_ENUM_AFTER_FIRST: Final = " \t" + _ENUM_POINTS
_RULE_CHARS = "-—–_=─━"


def _followed_by(text: str, e: int, chars: str, pattern: re.Pattern[str]) -> bool:
    """``pattern.match(text, e)`` for a pattern of optional whitespace and then one of ``chars``, from the next
    character where it decides (a cell of a crawled row holds ~17 numbers, each looked after three times)."""
    if e >= len(text):
        return False
    c = text[e]
    if c in chars:
        return True
    return c.isspace() and pattern.match(text, e) is not None


def _number_pieces(text: str) -> list[tuple[int, int]]:
    """Spans of numbers in mixed text, leaving enumerator digits and dates to their labels."""
    spans = []
    for m in _NUMBER.finditer(text):
        s, e = m.span()
        if s and text[s] == "-" and text[s - 1] in _RULE_CHARS:
            s += 1  # "-----1": a markdown rule run into the first cell (its bars gone), no minus sign
        if _followed_by(text, e, _DATE_CHARS, _DATE_AFTER):
            continue  # "2024年", "12月31日": a date in running text, never a table cell
        if s and (text[s - 1] in _PLACEHOLDER_ENDS or text[s - 1] in " \t") \
                and text[max(0, s - 8):s].rstrip()[-1:] in _PLACEHOLDER_ENDS \
                and _PLACEHOLDER_WORD.search(text, max(0, s - 8), s):
            continue  # "数据1 数据2 …": a placeholder header's number (model-made markdown, its bars gone)
        if s and not text[s - 1].isspace() and _followed_by(text, e, _COUNT_CHARS, _COUNT_AFTER):
            continue  # "行政许可302件,行政处罚33起": a count in running text (a cell "3件" is read whole,
            # and so is "0件" standing apart in a PDF row "规章 0件 0件 2件")
        if s and "\u4e00" <= text[s - 1] <= "\u9fff" and text.rfind("(", 0, s) > text.rfind(")", 0, s):
            continue  # "采购项目数量(指202" / "0年…)": a header's note wrapped (PDF) or cut mid-number
        # "00000003.要求…": the last digit enumerates the next label.
        if e < len(text) and text[e] in _ENUM_AFTER_FIRST and _ENUM_AFTER.match(text, e) and "." not in m.group(0)[:-1]:
            e -= 1
        if e <= s or not text[s:e].strip("-"):
            continue
        spans.append((s, e))
    return spans


def _mixed_gaps(text: str, pieces: list[tuple[int, int]]) -> bool:
    """Whether, of the numbers in one cell's ``text`` parted by whitespace alone, some are parted by a single
    space and some by a wider gap (two spaces or more, a tab)."""
    single = wider = False
    for (_, e), (s, _) in zip(pieces, pieces[1:]):
        between = text[e:s]
        if not between or not between.isspace():
            continue
        if between == " ":
            single = True
        else:
            wider = True
    return single and wider


def tokenize_cell(text: str, line: int, from_separator: bool, group_counter: list[int]) -> list[Token]:
    """One cell → tokens (a cell may hold a label and numbers run together)."""
    stripped = text.strip()
    if stripped.isdigit() and stripped.isascii():  # the common case: a plain count
        return [Token(NUM, stripped, line, int(stripped), stripped, -1, text, whole=from_separator)]
    if stripped.lower() in _BLANK_WORDS:
        return [Token(BLANK, "", line, raw=text)] if (from_separator or stripped) else []
    if stripped in _ZERO_WORDS:
        return [Token(NUM, "0", line, 0, "0", -1, text, whole=True)]
    if _DIGIT.search(stripped) is None:  # a label with no digits at all: nothing to cut
        return [Token(LABEL, label_key(stripped), line, raw=text)]
    if _WEB.search(stripped):  # a mirror's spam in a cell ("0www.abc123.com"): its digits are no values
        rest = _WEB.sub(" ", stripped).strip()
        return tokenize_cell(rest, line, from_separator, group_counter) if rest else []
    if _LONE_ENUM.fullmatch(stripped):  # "1." alone, its label on the next line (PDF): not a value
        return [Token(LABEL, label_key(stripped), line, raw=text)]
    change = _CHANGE.fullmatch(stripped)
    if change:  # table 2's 本年增/减 column: "减4" is -4, "增1" and "+19" are 1 and 19
        value, digits = parse_number(change.group(2))
        if value is not None:
            if change.group(1).startswith("减") and value:
                value, digits = -value, "-" + digits
            return [Token(NUM, digits, line, value=value, digits=digits, raw=text, whole=from_separator)]
    value, digits = parse_number(stripped)
    if value is not None:
        return [Token(NUM, digits, line, value=value, digits=digits, raw=text, whole=from_separator)]
    # A value with a remark: "22(其中修订 16 件)" → 22.
    if _NUMBER.match(stripped):
        without = _REMARK.sub("", stripped).strip()
        value, digits = parse_number(without)
        if value is not None:
            return [Token(NUM, digits, line, value=value, digits=digits, raw=text, whole=from_separator)]
    if _PLACEHOLDER.fullmatch(stripped):
        return [Token(LABEL, label_key(stripped), line, raw=text)]
    if _OCR_NUMBER.fullmatch(stripped):  # digits and letters only, a letter among them (else parsed above)
        return [Token(BLANK, UNREAD, line, raw=text)]
    tokens: list[Token] = []
    pos = 0
    prev_num_end = None
    group = -1
    pieces = _number_pieces(stripped)
    # Numbers parted by wide gaps and by single spaces in one stretch ("217  1  0  21 8"): the wide gaps are
    # the borders, a single space may be stray; numbers across a wide gap are not one space group.
    wide = _mixed_gaps(stripped, pieces)
    for s, e in pieces:
        between = stripped[pos:s]
        if between.strip():
            tokens.append(Token(LABEL, label_key(between), line, raw=between))
            group = -1
        elif wide and prev_num_end is not None and between != " " and between.isspace():
            group = -1
        elif prev_num_end is not None and between and between.isspace():
            # numbers separated only by spaces: one space group
            if group < 0:
                group_counter[0] += 1
                group = group_counter[0]
                tokens[-1].group = group
        else:
            group = -1
        num_text = stripped[s:e]
        if prev_num_end is not None and tokens and _GLUED_LETTERS.fullmatch(between) and \
                tokens[-2 if tokens[-1].kind == LABEL else -1].kind in (NUM, BLANK) and tokens[-1].raw == between:
            # "行政许可13O024": letters glued between two numbers are OCR's digits; the run is unreadable
            tokens.pop()
            prev = tokens.pop()
            tokens.append(Token(BLANK, UNREAD, line, raw=prev.raw + between + num_text))
            pos = e
            prev_num_end = e
            continue
        if len(between) >= 2 and between[-1] in "lIOo" and "\u4e00" <= between[-2] <= "\u9fff":
            # "行政许可l30024": the label, then a number whose first digit OCR printed as a letter
            tokens[-1] = Token(LABEL, label_key(between[:-1]), line, raw=between[:-1])
            tokens.append(Token(BLANK, UNREAD, line, raw=between[-1] + num_text))
            pos = e
            prev_num_end = e
            continue
        v, d = parse_number(num_text)
        if v is None:
            tokens.append(Token(LABEL, label_key(num_text), line, raw=num_text))
        else:
            tokens.append(Token(NUM, d, line, value=v, digits=d, group=group, raw=num_text))
        pos = e
        prev_num_end = e
    rest = stripped[pos:]
    if rest.strip():
        tokens.append(Token(LABEL, label_key(rest), line, raw=rest))
    return tokens


# Memos of the tokenizer. Table rows repeat from report to report (row labels, header
# words, rows of zeros), so a line is cut and its cells typed once per worker. A token is
# kept as (kind, text, value, digits, group, raw, whole, sep): its line is set when it is made, and
# space groups, numbered from 1 within the memo entry, are renumbered from the running count.
_Spec = tuple[tuple[str, str, Optional[Number], str, int, str, bool, bool], ...]
_CellSpec = tuple[tuple[str, str, Optional[Number], str, int, str, bool], ...]  # a cell's tokens: no ``sep`` yet
_CELL_SPECS: Final[dict[tuple[str, bool], tuple[_CellSpec, int]]] = {}
#: A line's memo for each (prev_open, normalized, cut): keyed by the line alone, a lookup makes and hashes no tuple.
_LINE_SPECS: Final[dict[tuple[bool, bool, bool], dict[str, tuple[_Spec, int, bool]]]] = {
    (o, n, c): {} for o in (False, True) for n in (False, True) for c in (False, True)}
#: Entries kept before a memo is emptied (and refilled by the rows that recur): a few tens of MB at most.
_MEMO_LIMIT: Final = 20_000


def _cell_spec(text: str, from_separator: bool) -> tuple[_CellSpec, int]:
    """``tokenize_cell`` of one cell as a memo entry, and the number of space groups in it."""
    key = (text, from_separator)
    hit = _CELL_SPECS.get(key)
    if hit is None:
        local = [0]
        spec = tuple((t.kind, t.text, t.value, t.digits, t.group, t.raw, t.whole)
                     for t in tokenize_cell(text, 0, from_separator, local))
        if len(_CELL_SPECS) > _MEMO_LIMIT:
            _CELL_SPECS.clear()
        hit = _CELL_SPECS[key] = (spec, local[0])
    return hit


def _line_spec(raw: str, prev_open: bool, normalized: bool, cut: bool = False) -> tuple[_Spec, int, bool]:
    """The tokens of one line (``table_text`` of it when ``cut``) as a memo entry, its number of space
    groups, and ``prev_open`` after it."""
    memo = _LINE_SPECS[(prev_open, normalized, cut)]
    hit = memo.get(raw)
    if hit is None:
        cells, open_after = _line_cells(table_text(raw) if cut else raw, prev_open, normalized)
        spec: list = []
        groups = 0
        alone = len(cells) == 1  # a number alone on its line is a cell of its own, as one between separators
        for text, sep in cells:
            if text.isdigit() and text.isascii():  # a plain count: the common cell
                spec.append((NUM, text, int(text), text, -1, text, sep or alone, sep))
                continue
            cell, n = _cell_spec(text, sep or alone)
            spec.extend((*t, sep) if t[4] < 0 else (*t[:4], t[4] + groups, *t[5:], sep) for t in cell)
            groups += n
        if len(memo) > _MEMO_LIMIT:
            memo.clear()
        hit = memo[raw] = (tuple(spec), groups, open_after)
    return hit


def tokenize(lines: list[str], start_line: int = 0, normalized: bool = False, cut: bool = False) -> list[Token]:
    """Lines → tokens (line numbers counted from ``start_line``).

    The same as ``tokenize_cell`` over ``split_cells``, with ``first_on_line`` set on
    each line's first token and space groups numbered through the whole stream.
    ``cut``: read each line's ``table_text`` (cut there, inside the memo, rather than by
    the caller: on a line seen before, cutting was most of the cost).
    """
    tokens: list[Token] = []
    groups = 0
    prev_open = False
    closed, opened = _LINE_SPECS[(False, normalized, cut)], _LINE_SPECS[(True, normalized, cut)]
    for offset, raw in enumerate(lines):
        hit = (opened if prev_open else closed).get(raw)
        spec, n, prev_open = hit if hit is not None else _line_spec(raw, prev_open, normalized, cut)
        if not spec:
            continue
        line = start_line + offset
        first = True
        for kind, text, value, digits, group, raw_text, whole, sep in spec:
            tokens.append(Token(kind, text, line, value, digits, group + groups if group >= 0 else -1, raw_text,
                                first, whole, sep))
            first = False
        groups += n
    return tokens


_LONG_DIGITS = re.compile(r"\d{3,}")


def _introduces(line: str) -> bool:
    r"""A line that ends introducing what follows: a comma, then a colon with only spaces after it (what
    ``[,，][^,，]*[:：]\s*$`` finds, without that search's scan from every comma to the line's end)."""
    s = line.rstrip()
    return s[-1:] in (":", "：") and ("," in s or "，" in s)


def table_text(line: str) -> str:
    """The part of a line that can hold table cells: narrative sentences are cut off.

    A line without ``|`` whose text ends sentences (``。``) is narrative; a
    crawler line may glue a table after a sentence, so the text after the last
    ``。`` is kept. A sentence that introduces what follows (``…情况如下：``)
    is narrative too.
    """
    if "|" in line:
        return line
    if _introduces(line) and not _LONG_DIGITS.search(line):
        return ""  # an introductory sentence: "2024年，我局…情况如下："
    if "。" not in line:
        return line
    return line.rsplit("。", 1)[1]
