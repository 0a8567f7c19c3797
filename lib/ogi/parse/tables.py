"""Token stream → the three standard tables, whatever the layout.

Rows are found by their labels, in the template's printed order: a label
matches a row only at or after the last row matched, so header words such as
``其他`` or ``总计`` in the applicant header never pass for rows. The value
tokens after a row label (until the next row label) are that row's cells;
``ogi.parse.solve`` turns them into exactly the row's width, splitting digit
runs by the identities where the borders were lost.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import product
from typing import Any, Final, Mapping, Optional, cast

from .. import schema
from ..model import Check
from .solve import MAX_CANDIDATES, resolve_row, row_sum_ok, trim_padding
from .tokens import BLANK, LABEL, NUM, Token, is_placeholder, label_key

# ---------------------------------------------------------------------------
# Row matching
# ---------------------------------------------------------------------------

#: Keys that are ordinary words elsewhere in the table: only accepted when the
#: previous matched row is within this many rows of them.
_GENERIC_KEYS: Final = frozenset({"其他", "总计"})
_GENERIC_WINDOW = 4
# Table 3's column heads that come right before its 总计 column head (其他 is a row's label too).
_APPLICANT_HEADS: Final = frozenset({"申请人情况", "自然人", "法人或其他组织", "商业企业", "科研机构", "社会公益组织", "法律服务机构"})
#: "(七)总计" names the total row by its number, even when rows before it are missing.
_NUMBERED_TOTAL = re.compile(r"\(七\)总计|七[、.]总计")
#: Group headings that carry no values of their own; never fuzzy-matched.
_GROUP_LABELS = ("本年度办理结果", "不予公开", "无法提供", "不予处理", "其他处理", "申请人情况", "法人或其他组织")
#: An unknown label this long is running text, not a spilled header: it ends a row.
_LONG_LABEL: Final = 24
_FUZZY_MIN = 0.8


class RowHit:
    """A row label found in the stream, with the value tokens that follow it.

    (A plain class, not a dataclass: compiled, its ``__init__`` is compiled too; see ``Token``.)
    """

    __slots__ = ("code", "index", "token_index", "tokens", "label", "ended", "inner", "wrapped")

    def __init__(self, code: str, index: int, token_index: int, tokens: Optional[list[Token]] = None,
                 label: str = "", ended: bool = False, inner: Optional[list[tuple[int, str]]] = None) -> None:
        self.code = code
        self.index = index
        self.token_index = token_index
        self.tokens: list[Token] = [] if tokens is None else tokens  # value tokens (numbers and blanks) only
        self.label = label
        self.ended = ended  # running text came after the cells: nothing more belongs to the row
        # short unknown labels among its tokens, and where
        self.inner: list[tuple[int, str]] = [] if inner is None else inner
        self.wrapped: list[str] = []  # numbers under its label's next words (``_wrapped_digits``)


_ENUM: Final = re.compile(r"^(?:[一二三四五六七八九十]+[、.]|\([一二三四五六七八九十]+\)|\d{1,2}[.、])")
# An enumerator standing alone on its line, its label on the next ("(七)" / "总计 | 17 | …").
_BARE_ENUM: Final = re.compile(r"(?:[一二三四五六七八九十]+[、.]|\([一二三四五六七八九十]+\)|\d{1,2}[.、])")


# An enumerator inside a label, after other words: "(三)不1.属于国家秘".
_INNER_ENUM = re.compile(r"(?<=\S)(?<![\d.])\d{1,2}[.、](?=[\u4e00-\u9fff])")


def _strip_enum(text: str) -> str:
    return _ENUM.sub("", text)


_KEY_INDEX: Final[dict[int, tuple]] = {}


def _key_index(rows: tuple[schema.RowSpec, ...]) -> tuple[re.Pattern, dict[str, list[int]]]:
    """One pattern for every key of a table (longest first) and the rows each key names."""
    entry = _KEY_INDEX.get(id(rows))
    if entry is None or entry[0] is not rows:
        keymap: dict[str, list[int]] = {}
        for idx, row in enumerate(rows):
            for key in row.keys:
                keymap.setdefault(key, []).append(idx)
        pattern = re.compile("|".join(map(re.escape, sorted(keymap, key=len, reverse=True))))
        entry = _KEY_INDEX[id(rows)] = (rows, pattern, keymap)
    return entry[1], entry[2]


_MATCHES: Final[dict[tuple[int, str, int], tuple[tuple[int, int], ...]]] = {}


def _matches(rows: tuple[schema.RowSpec, ...], label: str, pointer: int) -> tuple[tuple[int, int], ...]:
    """Rows (index, position in label) whose key occurs in ``label``, at or after ``pointer``.

    A pure function of its arguments, memoised: the same labels come back in report after report.
    """
    # ``_match_rows`` registers ``rows`` in ``_KEY_INDEX`` (kept alive there) before its first
    # entry here, so an id in a key always names the same rows.
    key = (id(rows), label, pointer)
    hit = _MATCHES.get(key)
    if hit is None:
        if len(_MATCHES) > 100_000:
            _MATCHES.clear()
        hit = _MATCHES[key] = tuple(_match_rows(rows, label, pointer))
    return hit


# A note in brackets after a label's own words ("其他对外管理服务事项(指…含行政确认、行政处罚、
# 行政强制…)"): the rows it names are not this row; an enumerator in brackets ("(三)") is no note.
_NOTE = re.compile(r"(?<=[^\s(])\((?![一二三四五六七八九十\d]{1,3}\))[^()]*\)")


def _in_notes(label: str) -> list[tuple[int, int]]:
    return [m.span() for m in _NOTE.finditer(label)] if "(" in label else []


def _match_rows(rows: tuple[schema.RowSpec, ...], label: str, pointer: int) -> list[tuple[int, int]]:
    pattern, keymap = _key_index(rows)
    found: dict[int, tuple[int, int]] = {}
    notes = _in_notes(label)
    for m in pattern.finditer(label):
        if notes and any(a <= m.start() and m.end() <= b for a, b in notes):
            continue
        key = m.group(0)
        if key == "其他" and label.startswith("处", m.end()):
            continue  # "其他处": the group heading 其他处理 cut where a narrow column wrapped, not row 3.其他
        for idx in keymap[key]:
            if idx < pointer:
                continue
            if key in _GENERIC_KEYS and pointer < idx - _GENERIC_WINDOW and not _NUMBERED_TOTAL.search(label):
                continue
            best = found.get(idx)
            # the last occurrence wins, as the label nearest the values
            if best is None or m.start() >= best[0]:
                found[idx] = m.span()
    # Overlapping hits (其他处理 vs 其他): keep the longer key.
    hits = sorted(found.items(), key=lambda kv: (kv[1][0], -(kv[1][1] - kv[1][0])))
    kept: list[tuple[int, tuple[int, int]]] = []
    for idx, span in hits:
        if kept and span[0] < kept[-1][1][1]:
            prev_idx, prev_span = kept[-1]
            if span[1] - span[0] > prev_span[1] - prev_span[0]:
                kept[-1] = (idx, span)
            continue
        kept.append((idx, span))
    # In order of position; rows must also be in template order. A generic word first gives way to a
    # row's own words after it: "(六)其他1.申请人无正当理由逾期不补正、行" (the group heading 其他处理, its
    # 处理 wrapped to the next line, run into its first sub-row's label) is 逾期不补正's row, not 3.其他's.
    out: list[tuple[int, tuple[int, int]]] = []
    for idx, span in kept:
        if not out or idx > out[-1][0]:
            out.append((idx, span))
        elif _generic(label, out[-1][1]) and not _generic(label, span) and (len(out) < 2 or idx > out[-2][0]):
            out[-1] = (idx, span)
    return [(idx, span[0]) for idx, span in out]


def _generic(label: str, span: tuple[int, int]) -> bool:
    return label[span[0]:span[1]] in _GENERIC_KEYS


_FUZZY: Final[dict[tuple[int, str, int], Optional[int]]] = {}


def _fuzzy(rows: tuple[schema.RowSpec, ...], label: str, pointer: int) -> Optional[int]:
    """A typo'd or OCR-damaged label close to one of the next expected rows (memoised, like ``_matches``)."""
    _key_index(rows)  # keeps ``rows`` alive, so its id in the key names it alone
    key = (id(rows), label, pointer)
    if key not in _FUZZY:
        if len(_FUZZY) > 50_000:
            _FUZZY.clear()
        _FUZZY[key] = _closest_row(rows, label, pointer)
    return _FUZZY[key]


@lru_cache(maxsize=256)
def _plain_label(zh: str) -> str:
    """A row's printed label as labels are keyed: no quotes, half-width brackets, no enumerator."""
    return _strip_enum(zh.replace("“", "").replace("”", "").replace("（", "(").replace("）", ")"))


def _continues(row: schema.RowSpec, first: str, second: str) -> bool:
    """Whether ``second`` is the rest of ``row``'s label, whose start ``first`` printed on the line before."""
    full, head = _plain_label(row.zh), _strip_enum(first)
    if len(second) < 2 or not head or not full.startswith(head) or len(head) >= len(full):
        return False
    rest = full[len(head):]
    return rest.startswith(second) or second.startswith(rest)


def _named_by_start(rows: tuple[schema.RowSpec, ...], label: str, pointer: int) -> Optional[int]:
    """The next expected row (of three) whose enumerator ``label`` has and whose words start with its own
    (three characters or more): a label cut where a PDF broke it ("8.属于行政" / values / "查询事项";
    "2.没有现成信息" / "无法提 0 0 …" / "需要另行制作", a narrow column wrapped beside a group heading;
    "3.危及“三 0 0 …" / "安全一稳" / "定”")."""
    enum = _ENUM.match(label)
    core = _strip_enum(label)
    if enum is None or len(core) < 3:
        return None
    for idx in range(pointer, min(pointer + 3, len(rows))):
        zh = rows[idx].zh.replace("“", "").replace("”", "").replace("（", "(").replace("）", ")")
        if zh.startswith(enum.group(0)) and _strip_enum(zh).startswith(core):
            return idx
    return None


_FIRST_PIECE: Final[dict[tuple[int, str, int], Optional[int]]] = {}
_UNSEEN: Final = object()


def _first_piece_row(rows: tuple[schema.RowSpec, ...], label: str, pointer: int) -> Optional[int]:
    """``_named_by_start`` of a label, or of its part from an enumerator inside it (a group heading's piece
    before it); memoised, like ``_matches``: most labels tried are the template's, seen in every report."""
    key = (id(rows), label, pointer)
    hit = _FIRST_PIECE.get(key, _UNSEEN)
    if hit is _UNSEEN:
        _key_index(rows)  # keeps ``rows`` alive, so its id in the key names it alone
        if len(_FIRST_PIECE) > 50_000:
            _FIRST_PIECE.clear()
        inner = _INNER_ENUM.search(label)
        hit = _FIRST_PIECE[key] = _named_by_start(rows, label if inner is None else label[inner.start():], pointer)
    return cast(Optional[int], hit)


def _closest_row(rows: tuple[schema.RowSpec, ...], label: str, pointer: int) -> Optional[int]:
    named = _named_by_start(rows, label, pointer)
    if named is not None:
        return named
    core = _strip_enum(label)
    if len(core) < 4 or any(g in core for g in _GROUP_LABELS):
        return None
    best, best_idx = 0.0, None
    for idx in range(pointer, min(pointer + 3, len(rows))):
        zh = rows[idx].zh.replace("“", "").replace("”", "").replace("（", "(").replace("）", ")")
        target = _strip_enum(zh)
        ratio = difflib.SequenceMatcher(None, core, target).ratio()
        if ratio > best:
            best, best_idx = ratio, idx
    return best_idx if best >= _FUZZY_MIN else None


def _header_cell(tokens: list[Token], i: int, start: int) -> bool:
    """A label that names a row only by a generic word but is a header (model-made markdown):
    ``数据6 | 总计`` closing a small table's header, or ``(六)其他`` — the group heading
    (六)其他处理 printed short — with its sub-rows' labels after it (not the row 3.其他)."""
    text = tokens[i].text
    if text in _APPLICANT_HEADS:  # never a row's label (法人或其他组织 holds 其他, a row's key)
        return True
    if text in _GENERIC_KEYS:
        prev = tokens[i - 1] if i > start else None
        # "自然人 | 法人或其他组织 | 总计": the applicants' header, repeated where a PDF's page broke the table
        return prev is not None and prev.kind == LABEL and (is_placeholder(prev.text) or prev.text in _APPLICANT_HEADS)
    return text == "(六)其他" and i + 1 < len(tokens) and tokens[i + 1].kind == LABEL


def find_rows(tokens: list[Token], rows: tuple[schema.RowSpec, ...], start: int = 0,
              stop_when_full: bool = True) -> tuple[list[RowHit], int]:
    """Scan tokens from ``start`` and collect row hits with their value tokens.

    Returns the hits and the index of the token after the table.
    """
    hits: list[RowHit] = []
    cur: Optional[RowHit] = None  # hits[-1]
    pointer = 0
    last_used = start  # the table ends after the last token a row took
    i = start
    n = len(tokens)
    last_row = len(rows) - 1
    last_width = rows[last_row].width
    taken: set[int] = set()  # the pieces of a label wrapped below its row's numbers, read with its first piece
    while i < n:
        tok = tokens[i]
        if i in taken:
            i += 1
            continue
        if tok.kind == LABEL:
            if i + 1 < n and tokens[i + 1].kind == LABEL and (
                    (tok.text == "(六)其他" and tokens[i + 1].text.startswith("处理"))
                    or (len(tok.text) <= 4 and _BARE_ENUM.fullmatch(tok.text) and not _ENUM.match(tokens[i + 1].text))):
                # a label wrapped (PDF): "(六)其他" / "处理 | 0 | …" is the 2019 row, not the 2021 group
                # heading; "(七)" / "总计 | 17 | …" is the numbered total, not a stray 总计
                i += 1
                tok = Token(LABEL, tok.text + tokens[i].text, tokens[i].line, raw=tok.raw + tokens[i].raw)
            elif _header_cell(tokens, i, start):
                i += 1
                continue
            found = _matches(rows, tok.text, pointer)
            nxt = tokens[i + 1] if i + 1 < n else None
            if not found and nxt is not None and nxt.kind != LABEL and nxt.line == tok.line:
                wrapped = _wrapped_below(rows, tokens, i, pointer)
                if wrapped is not None:
                    found, used = wrapped
                    taken.update(used)
            if found and nxt is not None and nxt.kind == LABEL and _continues(rows[found[-1][0]], tok.text, nxt.text):
                # "一、本年新收" / "政府信息公开申请数量 | 48 | 3 …": the row's label wrapped (PDF); the second
                # part is not a label of its own (it was taken, fuzzily, for the next row)
                i += 1
                tok = nxt
                nxt = tokens[i + 1] if i + 1 < n else None
            elif nxt is not None and nxt.kind == LABEL:
                # a label broken over two lines (PDF): "5.要求行政机关确认或重新出" / "具已获取信息",
                # or "(六)其他处理 1.申请人无正当理由逾期不补" / "正、行政机关…"
                joined = _matches(rows, tok.text + nxt.text, pointer)
                if len(joined) > len(found) and all(pos < len(tok.text) for _, pos in joined):
                    found = joined
                    i += 1
                    tok = nxt
                elif not found and i + 2 < n and tokens[i + 2].kind != LABEL and _ENUM.match(tok.text):
                    # in three pieces, the numbers after the second: "2.其他法律行" / "政法规禁止公 0 0 …" /
                    # "开": its enumerator and the start of its words name the row
                    f = _fuzzy(rows, tok.text + nxt.text, pointer)
                    if f is not None and _plain_label(rows[f].zh).startswith(_strip_enum(tok.text + nxt.text)):
                        found = ((f, 0),)
                        i += 1
                        tok = nxt
                if not found:
                    # the first piece alone names it, a group heading's piece after it ("2.没有现成信息" /
                    # "无法提 0 0 …" / "需要另行制作" / "供"), or before it ("(六)1.申请人无正当理由逾")
                    f = _first_piece_row(rows, tok.text, pointer)
                    if f is not None:
                        found = ((f, 0),)
            if not found and nxt is not None and nxt.kind != LABEL and 4 <= len(tok.text) <= 60:
                f = _fuzzy(rows, tok.text, pointer)
                inner = _INNER_ENUM.search(tok.text) if f is None else None
                if inner is not None:
                    # a group heading's piece before the row's own label, on one line of a narrow label column
                    # wrapped (a PDF): "(三)不1.属于国家秘" / numbers / "予公开密"
                    f = _fuzzy(rows, tok.text[inner.start():], pointer)
                if f is not None:
                    found = ((f, 0),)
            if found:
                for idx, _pos in found:
                    hits.append(RowHit(rows[idx].code, idx, i, label=tok.text))
                cur = hits[-1]
                pointer = found[-1][0] + 1
                last_used = i
            elif cur is not None and any(idx < pointer - 1 for idx, _ in _matches(rows, tok.text, 0)):
                # an earlier row's label out of its place (a header row a model invented, a shredded
                # table): what follows is not the current row's; left unread rather than misplaced
                late = _displaced_row(rows, hits, tok, tokens, i, pointer) if not stop_when_full else None
                if late is None:
                    cur.ended = True
                else:
                    hits.append(RowHit(rows[late].code, late, i, label=tok.text))
                    cur = hits[-1]
                    last_used = i
            elif cur is not None and cur.tokens and (
                    len(tok.text) >= _LONG_LABEL
                    or (tok.first_on_line
                        and (cur.tokens[0].line == tokens[cur.token_index].line or _NOTE_LINE.match(tok.text))
                        and _number_on_line(tokens, i))):
                # running text after a row's cells ends it (before its cells, it continues the label); so
                # does a line of text with a number after a row printed with its cells on its label's line
                # ("行政事业性收费 | |" then "备注：3项收费已取消": the 3 is no cell of it). A line of words
                # alone may be the rest of a label a PDF wrapped between its cells ("2.申请人逾 0 0 0 0 0 0" /
                # "期未按收费" / … / "0").
                cur.wrapped = _wrapped_digits(rows[cur.index], cur, tokens, i)
                if cur.index == last_row:
                    break
                cur.ended = True
            elif cur is not None and not cur.ended:
                cur.inner.append((len(cur.tokens), tok.text))  # a label of the report's own (a sub-row: 行政检查)
        elif cur is not None and not cur.ended:
            last_used = i
            cur.tokens.append(tok)
        # The table ends once its last row has its cells.
        if stop_when_full and cur is not None and cur.index == last_row:
            if cur.ended or (len(cur.tokens) >= last_width and i + 1 < n and tokens[i + 1].kind == LABEL):
                i += 1
                break
        i += 1
    return hits, min(i, last_used + 1)


def _wrapped_digits(row: schema.RowSpec, hit: RowHit, tokens: list[Token], i: int) -> list[str]:
    """The numbers on the line of label ``i``, when that label is the rest of ``hit``'s own, wrapped below its
    cells, and they are fewer than its cells and each a cell of its own: the ends of its numbers, wrapped in a
    narrow column of a table without lines (LibreOffice prints 3193 as ``319`` over ``3``: ``一、本年新收政 319 154
    0 0 0 0 473`` / ``府信息公开申请 3 3 6``, whose first line keeps the identity as 3193 + 1543 = 4736 does).
    Empty otherwise."""
    if not _continues(row, hit.label, tokens[i].text):
        return []
    line, nums, j = tokens[i].line, [], i + 1
    while j < len(tokens) and tokens[j].line == line:
        if tokens[j].kind != LABEL:
            nums.append(tokens[j])
        j += 1
    if not nums or len(nums) >= row.width or not all(t.kind == NUM and t.sep for t in nums):
        return []
    return [t.digits for t in nums]


def _wrapped_below(rows: tuple[schema.RowSpec, ...], tokens: list[Token], i: int,
                   pointer: int) -> Optional[tuple[tuple[tuple[int, int], ...], list[int]]]:
    """The row of label ``i``, printed with its row's numbers on its first line and wrapped onto lines of words
    alone below them (a narrow label column: ``1.属于 0 0 …`` / ``不予公 国家秘`` / ``开 密``), and the token
    indices of its pieces; None when those lines do not complete a row's label. Read first piece by piece, the
    pieces named rows (``四类过`` + ``程性信``) and took the next row's numbers.

    The first piece names the row by its enumerator, among the next rows; the last words of the lines below
    continue its label, in order, a group heading's pieces among them left out (they stand before the label's
    on a line, or on lines of their own: ``(二)部`` / ``理结`` / ``分公开`` / ``果``)."""
    first = _last_word(tokens[i].raw)  # "(三 1.属": a group heading's piece before it, a space apart
    head = _ENUM.match(first)
    enum = head.group(0) if head else ""
    core = _strip_enum(first)
    if head is None and len(core) < 4:  # a label without an enumerator names its row by more of its words
        return None
    n = len(tokens)
    j = i + 1
    while j < n and tokens[j].line == tokens[i].line:
        j += 1
    pieces: list[tuple[int, str]] = []
    while j < n and len(pieces) < 24:
        k = j
        while k < n and tokens[k].line == tokens[j].line:
            k += 1
        piece = _last_word(tokens[k - 1].raw)
        if any(t.kind != LABEL for t in tokens[j:k]) or _ENUM.match(piece):
            break
        pieces.append((k - 1, piece))
        j = k
    for idx in range(pointer, min(pointer + 3, len(rows))):
        row = rows[idx]
        target = label_key(_plain_label(row.zh))
        if _plain_enum(row.zh) != enum or not target.startswith(core):
            continue
        text, left, used = core, target[len(core):], []
        for k, piece in pieces:
            if not left:
                break
            if left.startswith(piece) or piece.startswith(left):  # the last may run on into a note: 公开(区分
                text, left = text + piece, left[len(piece):]
                used.append(k)
        if used and any(key in text for key in row.keys):
            return ((idx, 0),), used
    # the label's own words otherwise (a report's wording, not the template's): the pieces as they come
    joined = first + "".join(piece for _, piece in pieces[:8])
    found = tuple(m for m in _matches(rows, joined, pointer) if _plain_enum(rows[m[0]].zh) == enum)
    return (found[:1], [k for k, _ in pieces[:8]]) if found else None


def _last_word(raw: str) -> str:
    """A cell's last piece of words, parted from the rest by a tab or a space (a line of words alone is one cell,
    its gaps kept in its raw text), as labels are keyed."""
    parts = raw.split()
    return label_key(parts[-1]) if parts else ""


def _plain_enum(zh: str) -> str:
    """A row's printed enumerator, as labels are keyed (half-width brackets); "" for none."""
    m = _ENUM.match(zh.replace("（", "(").replace("）", ")"))
    return m.group(0) if m else ""


def _displaced_row(rows, hits: list[RowHit], tok: Token, tokens: list[Token], i: int, pointer: int) -> Optional[int]:
    """A row of table 2 printed after rows that follow it (a PDF converter that put the first part last:
    上海市科委 2024, "| 规章 | 0 | 0 | 0 |" after the fees): its own label, found nowhere before, with
    its numbers on its line. None for a label met again (a header row naming rows already read)."""
    earlier = [idx for idx, _ in _matches(rows, tok.text, 0) if idx < pointer - 1]
    if len(earlier) != 1 or any(h.index == earlier[0] for h in hits) or not _number_on_line(tokens, i):
        return None
    return earlier[0]


# A note under or inside a table ("注：其中3项…", "备注：…"): its numbers are no cells.
_NOTE_LINE: Final = re.compile(r"(?:注|备注|说明|附注|注释|数据来源|资料来源)[:：]")


def _number_on_line(tokens: list[Token], i: int) -> bool:
    """Whether a number follows token ``i`` on its line."""
    line, j, n = tokens[i].line, i + 1, len(tokens)
    while j < n and tokens[j].line == line:
        if tokens[j].kind == NUM:
            return True
        j += 1
    return False


def distribute_pending(hits: list[RowHit], widths: dict[str, int]) -> bool:
    """Labels printed apart from their values (PDF): give a block of values to the labels before it.

    When rows were matched with no values and the next row carries the values
    of all of them (exactly, apart from trailing blanks), hand them out in order.
    Returns True when the block is one number per label instead, two labels or more: a column of the
    table, not its rows (pdfminer's text boxes of a table: the labels, then each column's numbers).
    """
    pending: list[RowHit] = []
    for h in hits:
        vals = [t for t in h.tokens if t.kind in (NUM, BLANK)]
        if not vals:
            pending.append(h)
            continue
        if pending:
            need = sum(widths[p.code] for p in pending) + widths[h.code]
            nums = vals
            while len(nums) > need and nums[-1].kind == BLANK:
                nums = nums[:-1]
            if len(nums) == need:
                pos = 0
                for p in pending + [h]:
                    w = widths[p.code]
                    p.tokens = nums[pos:pos + w]
                    pos += w
            elif len(pending) >= 2 and len(vals) == len(pending) + 1 and \
                    all(widths[p.code] > 1 for p in pending + [h]):
                return True
        pending = []
    return False


def _table_in_columns(hits: list[RowHit], table: str, result: TableResult) -> None:
    """A table whose text came column by column: no row's numbers are its own; every row is left unread."""
    for h in hits:
        h.tokens = []
    result.messages.append(f"table {table}: one number for each of a run of labels, the table's text in columns "
                           "(a PDF's text boxes: the labels, then each column's numbers), not rows; left unread")


# ---------------------------------------------------------------------------
# Resolved table
# ---------------------------------------------------------------------------


@dataclass
class TableResult:
    """Values by row code, with the checks and messages the parse produced."""

    found: bool = False
    template: Optional[str] = None
    values: dict[str, Any] = field(default_factory=dict)  # a row's cells (table 2: or one cell's value)
    checks: list[Check] = field(default_factory=list)
    messages: list[str] = field(default_factory=list)
    complete: bool = False
    end_token: int = 0
    last_line: int = -1  # the source line of the table's last cell
    unread: list[str] = field(default_factory=list)  # rows printed but not read (said in messages), as scopes
    extra: list[str] = field(default_factory=list)   # rows read with numbers after their cells ignored


def _printed(values: list[Token]) -> str:
    """A row's value tokens as printed, for messages: digits, a blank as ``_``."""
    return " ".join(t.digits if t.kind == NUM else "_" for t in values)


def _fmt(vec) -> str:
    return " | ".join("" if v is None else str(v) for v in vec)


def _sub_rows(h: RowHit) -> bool:
    """Whether a row's cells come under labels of its own: one before its first cell and one among them."""
    first = next((k for k, t in enumerate(h.tokens) if t.kind == NUM), None)
    return (first is not None and any(p <= first for p, _ in h.inner)
            and any(first < p < len(h.tokens) for p, _ in h.inner))


def _sub_labels(h: RowHit) -> list[str]:
    """The labels of a row's sub-rows: those before its last number."""
    last = max(k for k, t in enumerate(h.tokens) if t.kind == NUM)
    return [t for p, t in h.inner if p <= last]


def _padding_tail(vals: list[Token]) -> Optional[int]:
    """Where the blanks that end a row printed one value a line begin, when they stand on one line of their own
    after its last number (seed 002's ``25 |`` / ``||``); None if the row does not end so."""
    k = len(vals)
    if not k or vals[-1].kind != BLANK:
        return None
    line = vals[-1].line
    while k and vals[k - 1].kind == BLANK and vals[k - 1].line == line:
        k -= 1
    if not k or vals[k - 1].kind != NUM or vals[k - 1].line == line or len({t.line for t in vals[:k]}) != k:
        return None
    return k


def _without_padding_lines(hits: list[RowHit], widths: dict[str, int], table: str,
                           result: TableResult) -> list[RowHit]:
    """Rows a cell short, in a table whose full rows end with a line of bars of their own: that line is the
    row's padding, as in the full rows, not its blank last cell. Read as its last cell, a number line lost
    (a converter that skipped a cell) would put each number after it a column early. Taken off, the row is
    short, and read only where its identity places the numbers. Seed 004 pads on the last number's line
    and prints a blank total as a line of its own: its tables do not show the convention."""
    tails = [(h, h.tokens, _padding_tail(h.tokens)) for h in hits]  # a hit's tokens are numbers and blanks
    if sum(1 for h, vals, k in tails if k == widths[h.code]) < 3:
        return hits
    padded = unpadded = 0
    for h, vals, k in tails:
        nums = [t for t in vals if t.kind == NUM]
        if len(nums) != widths[h.code] or len({t.line for t in nums}) != len(nums):
            continue
        if k == len(nums):
            padded += 1
        elif vals[-1].kind == NUM or vals[-1].line == nums[-1].line:
            unpadded += 1
    if padded < 3 or unpadded * 4 > padded:
        return hits
    cut = {}
    for h, vals, k in tails:
        if k is not None and k < widths[h.code]:
            pad = {id(t) for t in vals[k:]}
            cut[id(h)] = RowHit(h.code, h.index, h.token_index, [t for t in h.tokens if id(t) not in pad], h.label,
                                h.ended, h.inner)
    if cut:
        result.messages.append(f"{table} rows {', '.join(h.code for h in cut.values())}: a cell short, then the line "
                               "of bars the table's full rows end with: a cell was lost (not left blank), so its place "
                               "is not known")
    return [cut.get(id(h), h) for h in hits]


def _resolve_hits(hits: list[RowHit], widths: dict[str, int], blocks: Mapping[str, tuple[int, ...]],
                  table: str, result: TableResult) -> dict[str, list[tuple]]:
    """Each hit → candidate vectors; rows printed cell by cell have exactly one."""
    cands: dict[str, list[tuple]] = {}
    empty_before = 0  # rows before this one printed without a value

    def unread(h: RowHit, why: str) -> None:
        """The row left null, and why in the messages."""
        result.messages.append(f"{table} row {h.code}: {why}")
        cands[h.code] = []
        result.unread.append(f"{table}.{h.code}")

    for h in hits:
        w = widths[h.code]
        vals = [t for t in h.tokens if t.kind in (NUM, BLANK)]
        if not vals:
            empty_before += 1
            continue
        if empty_before >= 2 and sum(1 for t in vals if t.kind == NUM) >= 2 * w:
            # labels printed apart from their values (a PDF's text boxes): the rows' numbers follow a later
            # label, and its first cells are another row's
            unread(h, f"{len(vals)} numbers after its label, and {empty_before} rows before it have none: the labels "
                      "were printed apart from their values; left unread")
            continue
        if h.wrapped:
            unread(h, f"'{_printed(vals)}', then {', '.join(h.wrapped)} on the next line, under the rest of its label: "
                      "the ends of its numbers, wrapped in a narrow column? left unread")
            continue
        options, how = resolve_row(h.tokens, w, blocks.get(h.code))
        if empty_before >= 2 and how == "printed" and blocks.get(h.code) and not row_sum_ok(blocks[h.code])(options[0]):
            # the same, one number a row's run (crawler text): the last label's "cells" are each a row's digits
            unread(h, f"'{_printed(vals)}' breaks its identity, and {empty_before} rows before it have no value: the "
                      "labels were printed apart from their values; left unread")
            continue
        if how == "printed":
            extra = [t for t in trim_padding(vals, w)[w:] if t.kind == NUM]
            if extra and _sub_rows(h):
                # "其他对外管理服务事项 | 行政检查 | 0 0 0 | 行政确认 | 0 0 0": the row printed as rows of the
                # report's own; its first sub-row's cells are not the row's, and their sum is not printed
                unread(h, f"printed as sub-rows of the report's own ({', '.join(_sub_labels(h))}); values left null "
                          "(their sum is not printed)")
                continue
            if extra:
                result.extra.append(f"{table}.{h.code}")
                result.messages.append(f"{table} row {h.code}: {len(extra)} number(s) after its {w} cells ignored "
                                       f"({', '.join(t.digits for t in extra[:5])})")
            cands[h.code] = options
            continue
        if how in _UNREAD:
            unread(h, _why_unread(how, vals, w, "its identity"))
            continue
        cands[h.code] = options
        printed = _printed(vals)
        if how == "split":
            by = "the row identity" if blocks.get(h.code) else "the only well-formed split"
            result.checks.append(Check(
                "inferred", True if len(options) == 1 else None,
                f"cells of '{printed}' separated by {by}" if len(options) == 1 else
                f"'{printed}' splits {len(options)} ways by {by}",
                scope=f"{table}.{h.code}", cells=[f"{table}.{h.code}"]))
        elif how == "gap":
            result.checks.append(Check(
                "inferred", None, f"'{printed}' has {w - len(vals)} cell(s) fewer than the row's {w}: "
                                  "a blank left no trace", scope=f"{table}.{h.code}", cells=[f"{table}.{h.code}"]))
        elif how == "moved":
            result.checks.append(Check(
                "inferred", True if len(options) == 1 else None,
                f"'{printed}' breaks the row identity as printed; a number alone on its line belongs elsewhere in "
                f"the row ({len(options)} place(s) keep it)", scope=f"{table}.{h.code}", cells=[f"{table}.{h.code}"]))
            result.messages.append(f"{table} row {h.code}: '{printed}' breaks its identity as printed; a number "
                                   "printed on a line of its own is read in the place that keeps it")
        elif how in _SPARE:
            _spare_numbers(how, printed, len(vals) - w, w, options, f"{table}.{h.code}", f"{table} row {h.code}",
                           result)
        elif how == "unseparated":
            stray = [t.digits for t in vals if t.kind == NUM and not t.sep]
            result.messages.append(f"{table} row {h.code}: {', '.join(stray)} printed alone on a line without the "
                                   "separators of its cells (a page number?) is no cell of it")
        elif how == "loose":
            k = sum(1 for t in vals if t.kind == NUM)
            result.messages.append(f"{table} row {h.code}: {k} number(s), then {len(vals) - k} blank cells for its "
                                   f"{w}: the blanks were collapsed after the numbers, so where each stood is lost")
            result.checks.append(Check(
                "inferred", None, f"'{printed}': {k} number(s) and more blanks than the row's {w} cells; "
                                  "their places are not known", scope=f"{table}.{h.code}", cells=[f"{table}.{h.code}"]))
    return cands


#: Why a row whose cells ``solve.resolve_row`` could not place is left unread: by its ``how``.
_UNREAD = {
    "tangled": "'{printed}' splits into its {w} cells more ways than can be tried; left unread",
    "short": "expected {w} cells, could not read them from '{printed}'",
    "jumbled": "'{printed}': {n} numbers for its {w} cells, and the first break {rule}: the text is out of the "
               "table's order; left unread",
    "spaced": "'{printed}' holds more numbers than its {w} cells, some parted only by spaces inside a cell (a stray "
              "space in a number, or cells run together); left unread",
    "spaced line": "'{printed}': numbers parted only by a space share a line where the others stand one a line (two "
                   "cells on one line, or a stray space inside a number?), and {rule} cannot tell which; left unread",
}


def _why_unread(how: str, values: list[Token], width: int, rule: str) -> str:
    return _UNREAD[how].format(printed=_printed(values), w=width, n=len(values), rule=rule)


#: What a row with numbers to spare was read as (``solve.resolve_row``'s "dropped" and "joined"): the check's
#: words for one reading and for several, and the message's cause.
_SPARE = {"dropped": ("read without the number(s) that are no cells", "readings without one of them keep it",
                      "a number among its cells is none (a page number?)"),
          "joined": ("read with the numbers a stray space split joined",
                     "readings joining numbers a stray space split keep it", "a stray space split a number"),
          "either": ("", "readings keep it, as printed and with numbers a stray space may have split joined",
                     "and so it does with numbers a stray space may have split joined: which is meant is not known")}


def _spare_numbers(how: str, printed: str, extra: int, width: int, options: list[tuple], scope: str,
                   what: str, result: TableResult) -> None:
    """The check and the message behind a ``dropped``, ``joined`` or ``either`` reading of a row (``what``: its
    name)."""
    one, several, cause = _SPARE[how]
    rule = "group totals" if scope == "review_litigation" else "identity"
    fails = "holds" if how == "either" else "fails"
    result.checks.append(Check("inferred", True if len(options) == 1 else None,
                               f"'{printed}': {extra} number(s) more than the {width} cells, and the identity {fails} "
                               f"as printed; " + (one if len(options) == 1 else f"{len(options)} {several}"),
                               scope=scope, cells=[scope]))
    result.messages.append(f"{what}: '{printed}' has {extra} number(s) more than its {width} cells and "
                           f"{'keeps' if how == 'either' else 'breaks'} its {rule} as printed"
                           f"{', ' if how == 'either' else ': '}{cause}")


def _choose(cands: dict[str, list[tuple]], widths: dict[str, int], table: str, result: TableResult,
            joint_ok=None, totals: Optional[dict[str, int]] = None) -> dict[str, list]:
    """Pick one reading per row; where the identities leave several, null with candidates.

    ``totals``: rows whose total alone is known (``_total_only``), read so where no whole reading is.
    """
    chosen: dict[str, list] = {}
    multi = [c for c, opts in cands.items() if len(opts) > 1]
    if multi and joint_ok is not None:
        space = 1
        for c in multi:
            space *= len(cands[c])
        if space <= 20000:
            fixed = {c: opts[0] for c, opts in cands.items() if len(opts) == 1}
            survivors = []
            complete = True
            for combo in product(*(cands[c] for c in multi)):
                trial = dict(fixed)
                trial.update(zip(multi, combo))
                if joint_ok(trial):
                    survivors.append(combo)
                    if len(survivors) > MAX_CANDIDATES:
                        complete = False  # cut short: the readings seen so far narrow nothing
                        break
            if survivors and complete:
                for k, c in enumerate(multi):
                    readings = sorted({s[k] for s in survivors}, key=str)
                    if len(readings) < len(cands[c]):
                        result.checks.append(Check(
                            "inferred", True if len(readings) == 1 else None,
                            f"{len(cands[c])} readings of the row narrowed to {len(readings)} by the column identities",
                            scope=f"{table}.{c}", cells=[f"{table}.{c}"]))
                    cands[c] = readings
    for code, opts in cands.items():
        if len(opts) != 1 and totals and code in totals:
            chosen[code] = [None] * (widths[code] - 1) + [totals[code]]
            result.checks.append(Check(
                "inferred", None, f"the places of the row's numbers are lost (a blank cell left no trace); the "
                                  f"last, {totals[code]}, is the sum of the others: read as the total, the other "
                                  "cells left null", scope=f"{table}.{code}", cells=[f"{table}.{code}"]))
            result.messages.append(f"{table} row {code}: its numbers' places are lost; only its total "
                                   f"({totals[code]}, the sum of the others) is read")
            continue
        if len(opts) == 1:
            chosen[code] = list(opts[0])
        elif not opts:
            chosen[code] = [None] * widths[code]
        else:
            chosen[code] = [None] * len(opts[0])
            result.checks.append(Check(
                "ambiguous", False,
                f"{len(opts)}{'+' if len(opts) >= MAX_CANDIDATES else ''} readings fit the identities; "
                f"values left null (e.g. {_fmt(opts[0])} or {_fmt(opts[1])})",
                scope=f"{table}.{code}", cells=[f"{table}.{code}"], candidates=[list(o) for o in opts]))
            result.messages.append(f"{table} row {code}: ambiguous split, {len(opts)} readings; values left null")
    return chosen


# ---------------------------------------------------------------------------
# Table 3
# ---------------------------------------------------------------------------

_T3_ROWS = schema.REQUEST_ROWS  # printed order, the 2019 single 其他处理 row before the 2021 sub-rows


def _t3_joint_ok(values: dict[str, tuple]) -> bool:
    """Column identities of table 3 on the rows present (None cells skip a column)."""
    def col(code, c):
        v = values.get(code)
        return None if v is None else v[c]

    outcome_codes = [c for c in values if c not in ("new", "carried_over", "total", "carry_forward")]
    for c in range(7):
        a = [col("new", c), col("carried_over", c), col("total", c), col("carry_forward", c)]
        if None not in a and a[0] + a[1] != a[2] + a[3]:
            return False
        t = col("total", c)
        outs = [col(o, c) for o in outcome_codes]
        if t is not None and outs and None not in outs and sum(outs) != t:
            return False
    return True


def _total_only(h: RowHit, width: int) -> Optional[int]:
    """The total of a row printed one cell a line whose blank cells left no trace (鹿城 2022: "103 3 1 107",
    the blanks as blank lines, more or fewer), when the last of its three or more numbers is the sum of the
    others. Where each of the others stood is lost; the total is not."""
    vals = [t for t in h.tokens if t.kind in (NUM, BLANK)]
    if not 3 <= len(vals) < width or any(t.kind != NUM for t in vals) or len({t.line for t in vals}) != len(vals):
        return None
    nums = [t.value for t in vals if isinstance(t.value, int)]
    if len(nums) != len(vals) or any(v < 0 for v in nums) or nums[-1] <= 0 or sum(nums[:-1]) != nums[-1]:
        return None
    return nums[-1]


def parse_requests(tokens: list[Token], start: int) -> TableResult:
    """Table 3 from the token stream, starting at ``start``."""
    result = TableResult()
    hits, end = find_rows(tokens, _T3_ROWS, start)
    result.end_token = end
    if not hits:
        return result
    result.found = True
    widths = {r.code: 7 for r in _T3_ROWS}
    if distribute_pending(hits, widths):
        _table_in_columns(hits, "3", result)
    has_2021_other = any(h.code.startswith("other.") and h.tokens for h in hits)
    has_2019_other = any(h.code == "other" and h.tokens for h in hits)
    if has_2021_other and has_2019_other:
        result.messages.append("table 3 has both the single 其他处理 row (2019) and its sub-rows (2021); "
                               "the 2021 sub-rows are kept")
    template = schema.TEMPLATE_2019 if has_2019_other and not has_2021_other else schema.TEMPLATE_2021
    if template == schema.TEMPLATE_2021:
        hits = [h for h in hits if h.code != "other"]
    result.template = template
    _values_above_next_label(hits, tokens, widths, "requests", result)
    seen: set[str] = set()
    unique_hits = []
    for h in hits:
        if h.code in seen:
            continue
        seen.add(h.code)
        unique_hits.append(h)
    blocks = {r.code: (7,) for r in _T3_ROWS}
    unique_hits = _without_padding_lines(unique_hits, widths, "requests", result)
    cands = _resolve_hits(unique_hits, widths, blocks, "requests", result)
    totals = {h.code: t for h in unique_hits  # rows with no single reading whose total alone is known
              if h.code in cands and len(cands[h.code]) != 1 and (t := _total_only(h, 7)) is not None}
    chosen = _choose(cands, widths, "requests", result, joint_ok=_t3_joint_ok, totals=totals)
    order = schema.request_row_codes(template)
    result.values = {code: chosen[code] for code in order if code in chosen}
    missing = [code for code in order if code not in result.values]
    no_values = [h.code for h in unique_hits if h.code not in cands]
    if no_values:
        result.messages.append(f"table 3 rows printed without values: {', '.join(no_values)}")
    if missing:
        result.messages.append(f"table 3 ({template} template) rows not found: {', '.join(missing)}")
    unreadable = [code for code, opts in cands.items() if not opts or (len(opts) != 1 and code in totals)]
    result.complete = not (missing or no_values or unreadable or result.extra) \
        and not any(c.rule == "ambiguous" for c in result.checks)
    return result


# ---------------------------------------------------------------------------
# Table 2
# ---------------------------------------------------------------------------


#: ``schema.PROACTIVE_TEMPLATE_MARKERS`` without the slashes, which the labels are read without too.
_PROACTIVE_MARKS = tuple((tpl, tuple(m.replace("/", "") for m in marks))
                         for tpl, marks in schema.PROACTIVE_TEMPLATE_MARKERS.items())


def detect_proactive_template(tokens: list[Token]) -> Optional[str]:
    text = "".join(t.text for t in tokens if t.kind == LABEL).replace("/", "")
    score = {tpl: sum(1 for m in marks if m in text) for tpl, marks in _PROACTIVE_MARKS}
    if score[schema.TEMPLATE_2019] > score[schema.TEMPLATE_2021]:
        return schema.TEMPLATE_2019
    if score[schema.TEMPLATE_2021]:
        return schema.TEMPLATE_2021
    return None


def parse_proactive(tokens: list[Token], start: int, stop: int) -> TableResult:
    """Table 2 between token indices ``start`` and ``stop``."""
    result = TableResult()
    region = tokens[start:stop]
    template = detect_proactive_template(region)
    if template is None:
        # No header: the width of the licensing row tells (1 cell in 2021, 3 in 2019).
        template = schema.TEMPLATE_2021
    rows = schema.PROACTIVE_ROWS[template]
    hits, _ = find_rows(region, rows, 0, stop_when_full=False)
    if not hits:
        return result
    result.found = True
    result.template = template
    widths = {r.code: r.width for r in rows}
    _headers_among_numbers(hits, widths, result)
    if distribute_pending(hits, widths):
        _table_in_columns(hits, "2", result)
    _values_above_labels(hits, region, widths, result)
    _between_short_rows(hits, region, widths, result)
    _values_above_next_label(hits, region, widths, "proactive", result)
    _interleaved(hits, widths, result)
    first: dict[str, RowHit] = {}
    for h in hits:
        first.setdefault(h.code, h)
    cands = _resolve_hits(list(first.values()), widths, {}, "proactive", result)
    chosen = _choose(cands, widths, "proactive", result)
    out: dict[str, object] = {}
    for r in rows:
        if r.code not in chosen:
            continue
        v = chosen[r.code]
        if template == schema.TEMPLATE_2021:
            out[r.code] = v if r.width > 1 else v[0]
        else:
            if r.code in ("regulations", "normative_documents", "other_services", "procurement", "fee_items"):
                out[r.code] = v
            else:  # licensing, penalty, coercion: the decisions go to the common key
                out[r.code] = v[2]
                out[f"{r.code}_items"] = v[:2]
    if template == schema.TEMPLATE_2019:
        out["fees"] = None
    elif isinstance(yuan := out.get("fees"), (int, float)) and "fees" in first:
        why = _fee_in_yuan(region, first["fees"])
        if why:
            out["fees"] = round(yuan / 10_000, 6)
            result.messages.append(f"proactive row fees: printed in 元 ({why}), not the template's 万元: "
                                   f"{yuan} 元 is given as {out['fees']} 万元")
    result.values = out
    missing = [r.code for r in rows if r.code not in chosen]
    if missing:
        result.messages.append(f"table 2 ({template} template) rows not found or without values: "
                               f"{', '.join(missing)}")
    unreadable = [code for code, opts in cands.items() if not opts]   # said in their own messages
    # a row read with numbers ignored after it may have taken a stray number for a cell: not fully read
    result.complete = not (missing or unreadable or result.extra) and not any(c.rule == "ambiguous" for c in result.checks)
    return result


# Table 2's column headers and the headings of its parts: never among a row's cells.
_T2_COLUMN_WORDS = re.compile(r"件数|数量|增/?减|金额|信息内容|第二十条")


def _headers_among_numbers(hits: list[RowHit], widths: dict[str, int], result: TableResult) -> None:
    """A table read column by column (a PDF's text in the order its producer drew it: the row labels, then
    each column's header and numbers) puts column headers among a row's numbers; those numbers are not the
    row's cells, nor the cells of the labels before it. So does a part's heading (第二十条第(五)项) met before
    the numbers of the part above it are all out (pdfminer's text boxes: 规章 / 行政规范性文件 / 0 / 77 /
    第二十条第(五)项 / 0 / 0 / 132 / 470). Such a row is left without values. Words met once the row's cells,
    and those of the labels without numbers before it, are all out leave them be (what follows is ignored,
    and said)."""
    pending = 0
    for h in hits:
        nums = [k for k, t in enumerate(h.tokens) if t.kind == NUM]
        if not nums:
            pending += widths[h.code]
            continue
        need, pending = pending + widths[h.code], 0
        words = [text for p, text in h.inner if nums[0] < p <= nums[-1] and _T2_COLUMN_WORDS.search(text)
                 and sum(1 for k in nums if k < p) < need]
        if words:
            h.tokens = []
            result.messages.append(f"proactive row {h.code}: column headers among its numbers ({', '.join(words[:3])}): "
                                   "the table was read column by column (a PDF's text in drawing order); left unread")


def _interleaved(hits: list[RowHit], widths: dict[str, int], result: TableResult) -> None:
    """A row short of cells, then a row with numbers to spare: their numbers are interleaved (a PDF's text in
    drawing order: 规章 0 / 行政规范性文件 77 / 0 / 0 / 132 / 470), and table 2 has no identity to tell which
    are whose. The longer row is left unread too (the shorter one cannot be read)."""
    for a, b in zip(hits, hits[1:]):
        have_a = sum(1 for t in a.tokens if t.kind == NUM)
        have_b = sum(1 for t in b.tokens if t.kind == NUM)
        short = widths[a.code] - len(a.tokens)
        if a.tokens and 0 < short and have_a and have_b - widths[b.code] >= short:
            b.tokens = []
            result.messages.append(f"proactive row {b.code}: {have_b} numbers for its {widths[b.code]} cells, after "
                                   f"row {a.code} short of {short}: their numbers are interleaved; left unread")


def _between_short_rows(hits: list[RowHit], region: list[Token], widths: dict[str, int],
                        result: TableResult) -> None:
    """A row printed short of cells on its label's line, finished from lines of numbers alone after it, when
    numbers alone also stand just above its label, or the next row is short on its line too: whose those
    numbers are, table 2 cannot tell. (A PDF's borderless table whose middle column sits at the top of its
    cells: ``442`` / ``行政许可 396 278`` / ``7`` / ``其他对外管理服务事项 10 105``, the 442 being 行政许可's, the 7
    the next row's. Read in order, 行政许可 took 7 for its decisions.) The row is left unread."""
    taken = {id(t) for h in hits for t in h.tokens}
    for k, a in enumerate(hits):
        width = widths[a.code]
        if not a.tokens or len(a.tokens) > width:
            continue
        line_a = region[a.token_index].line
        own = sum(1 for t in a.tokens if t.line == line_a)
        if not 0 < own < width or own == len(a.tokens):
            continue
        before = region[a.token_index - 1] if a.token_index else None
        above = (before is not None and before.kind == NUM and before.line != line_a and id(before) not in taken
                 and (a.token_index < 2 or region[a.token_index - 2].line != before.line
                      or region[a.token_index - 2].kind != LABEL))
        b = hits[k + 1] if k + 1 < len(hits) else None
        short_next = b is not None and 0 < sum(1 for t in b.tokens if t.line == region[b.token_index].line) \
            < widths[b.code]
        if above or short_next:
            later = [t.raw.strip() or t.text for t in a.tokens if t.line != line_a]
            where = "above its label" if above or b is None else f"above row {b.code}, itself short of cells"
            a.tokens = []
            result.messages.append(f"proactive row {a.code}: {own} of its {width} cells on its label's line, "
                                   f"then {', '.join(later)} on a line of its own, and numbers alone {where}: "
                                   "whose they are is unknown; left unread")


def _one_line(tokens: list[Token]) -> Optional[int]:
    """The line all of ``tokens`` stand on, or None (no tokens, or more than one line)."""
    lines = {t.line for t in tokens}
    return lines.pop() if len(lines) == 1 else None


def _values_above_labels(hits: list[RowHit], region: list[Token], widths: dict[str, int],
                         result: TableResult) -> None:
    """Rows whose values stand on the line just above their label (``pdftotext -layout`` of a table whose
    label cells sit lower than their numbers): ``0 0 0`` / ``规章`` / ``10 7 7`` / ``规范性文件``. Read label
    first, 规章 took 10 7 7 and 规范性文件 nothing. A run of two or more rows with no words between them is
    read so only when all of this holds: each label is alone on its line; the numbers before the first
    label (after the header's words) fill its cells, on the line above it; each row's numbers fill the next
    row's cells, on the line above the next label; the last row has none."""
    if all(h.tokens for h in hits[1:]):   # the common case: every row after the first has its numbers
        return
    runs: list[list[RowHit]] = []
    for h in hits:
        if runs and not any(t.kind == LABEL for t in region[runs[-1][-1].token_index + 1:h.token_index]):
            runs[-1].append(h)
        else:
            runs.append([h])
    for run in runs:
        if len(run) < 2 or run[-1].tokens:
            continue
        j = run[0].token_index - 1
        orphans: list[Token] = []
        while j >= 0 and region[j].kind in (NUM, BLANK):
            orphans.insert(0, region[j])
            j -= 1
        if j < 0 or not orphans:
            continue
        blocks = [orphans] + [h.tokens for h in run[:-1]]
        lines = [region[h.token_index].line for h in run]
        value_lines = {t.line for t in region if t.kind in (NUM, BLANK)}
        if any(line in value_lines or _one_line(b) != line - 1 or len(b) != widths[h.code]
               for b, line, h in zip(blocks, lines, run)):
            continue
        for h, b in zip(run, blocks):
            h.tokens = list(b)
        result.messages.append(f"proactive rows {', '.join(h.code for h in run)}: each row's numbers stand on the "
                               "line above its label (a PDF's text laid out by position); read so")


def _values_above_next_label(hits: list[RowHit], region: list[Token], widths: dict[str, int], table: str,
                             result: TableResult) -> None:
    """A row's numbers on its label's line, then a line of numbers alone that fills the next row's cells, then
    that row's label with none of its own: the line is the next row's, printed above its label (a PDF's
    borderless table whose label cells wrap around their centred numbers: ``2.重复申请 0 0 0 0 0 0 0`` /
    ``0 0 0 0 0 0 0`` / ``3.要求提供公开出版物``). Read in order, the first row took both lines (the second
    ignored) and the next had none. A row of one cell is left so: its lone number may be a page's."""
    for a, b in zip(hits, hits[1:]):
        if b.tokens or widths[b.code] < 2:
            continue
        line_a = region[a.token_index].line
        own = [t for t in a.tokens if t.line == line_a]
        rest = [t for t in a.tokens if t.line != line_a]
        line = _one_line(rest)
        if not own or line is None or not line_a < line < region[b.token_index].line \
                or len(rest) != widths[b.code] or not len(own) <= widths[a.code] < len(own) + len(rest) \
                or any(t.kind != NUM for t in rest):
            continue  # (a row's cells wrapped onto the next line are no more than its cells: not so)
        a.tokens, b.tokens = own, rest
        result.messages.append(f"{table} row {b.code}: its numbers stand on the line above its label, after row "
                               f"{a.code}'s own (a PDF's text laid out by position); read so")


# The template counts fees in 万元; a cell ("3000元") or a header ("(单位:元)") in 元 says otherwise.
_YUAN_CELL = re.compile(r"\d\s*元")
_YUAN_HEADER = re.compile(r"(?:单位|金额)\W{0,2}元|\(元\)")


def _fee_in_yuan(region: list[Token], hit: RowHit) -> Optional[str]:
    """Why the fee row's amount is in 元 rather than 万元, or None: its cell or its header prints 元."""
    cell = next((t for t in hit.tokens if t.kind == NUM), None)
    if cell is not None and _YUAN_CELL.search(cell.raw):
        return f"the cell reads '{cell.raw.strip()}'"
    for t in reversed(region[max(0, hit.token_index - 4):hit.token_index]):
        if t.kind == LABEL and "元" in t.text:
            return f"the header reads '{t.text}'" if _YUAN_HEADER.search(t.text) else None
    return None


# ---------------------------------------------------------------------------
# Table 4
# ---------------------------------------------------------------------------


def _review_cells(collected: list[Token], width: int = 15) -> list[Token]:
    """The value cells of table 4 among the blanks and numbers after its header.

    Blank cells are real (seed 004 prints blanks), but so is header padding
    (seed 004's ``| ||||||`` after ``总计``). A blank counts as a cell when it
    shares a line with numbers (one row per line) or begins its own line (one
    cell per line); the number span is widened by such blanks only as far as
    the table's width needs.
    """
    nums = [k for k, t in enumerate(collected) if t.kind == NUM]
    if not nums:
        return []
    first, last = nums[0], nums[-1]
    span = collected[first:last + 1]
    need = width - len(span)
    if need <= 0:
        return span
    lines_with_numbers = {collected[k].line for k in nums}

    def is_cell(t: Token) -> bool:
        return t.kind == BLANK and (t.line in lines_with_numbers or t.first_on_line)

    lead: list[Token] = []
    k = first - 1
    while k >= 0 and len(lead) < need and is_cell(collected[k]):
        lead.insert(0, collected[k])
        k -= 1
    trail: list[Token] = []
    k = last + 1
    while k < len(collected) and len(lead) + len(trail) < need and is_cell(collected[k]):
        trail.append(collected[k])
        k += 1
    return lead + span + trail


def _wrapped_row(cells: list[Token], after: list[Token], region: list[Token]) -> bool:
    """Whether a row of cells on one line is followed by a line of numbers alone, fewer than its cells and each a
    cell of its own (a tab or a bar apart): the ends of its numbers, wrapped in narrow columns of a table without
    lines (``_wrapped_digits``; a page number alone is no such line)."""
    line = cells[0].line
    if not after or any(t.line != line for t in cells) or len(after) >= len(cells):
        return False
    below = [t for t in region if t.line == line + 1]
    return below == after and all(t.kind == NUM and t.sep for t in after)


def parse_review(tokens: list[Token], start: int, stop: int) -> TableResult:
    """Table 4: fifteen numbers after its header, in three groups of five."""
    result = TableResult()
    region = tokens[start:stop]
    collected: list[Token] = []
    note_line = -1  # a note's line ("注：其中3件…"): its numbers are no cells
    labels_after = 0  # header words since the last number
    for t in region:
        if t.kind == LABEL:
            if any(v.kind == NUM for v in collected) and len(t.text) >= _LONG_LABEL:
                break
            if t.first_on_line and _NOTE_LINE.match(t.text):
                note_line = t.line
            labels_after += 1
            continue
        if t.line == note_line:
            continue
        if t.kind == NUM:
            early = [v.digits for v in collected if v.kind == NUM]
            if labels_after >= 3 and 0 < len(early) <= 2:
                # a number or two among the header's words, three or more of them after: a page number left
                # inside the header (the cells come after it), not its first cells
                result.messages.append(f"table 4: {', '.join(early)} among its header's words read as no cell "
                                       "(a page number?)")
                collected = []
            labels_after = 0
        collected.append(t)
    values = _review_cells(collected)
    if not values:
        return result
    result.found = True
    result.last_line = values[min(len(values), 15) - 1].line
    options, how = resolve_row(values, 15, (5, 5, 5))
    extra = [t for t in values[15:] if t.kind == NUM]
    if how == "printed" and _wrapped_row(values[:15], values[15:], region):
        # LibreOffice's "7 3 0 9 4 0 …" over "2 8": 32 and 48 wrapped in narrow columns
        result.messages.append(f"table 4: '{_printed(values[:15])}', then {', '.join(t.digits for t in extra)} on the "
                               "next line alone, fewer than its cells: the ends of its numbers, wrapped in narrow "
                               "columns? left unread")
        result.values = {"review_litigation": [None] * 15}
        result.unread.append("review_litigation.review_litigation")
        return result
    if how == "printed" and extra:
        result.extra.append("review_litigation.review_litigation")
        result.messages.append(f"table 4: {len(extra)} number(s) after its 15 cells ignored")
    printed = _printed(values)
    if how in _UNREAD:
        result.messages.append(f"table 4: {_why_unread(how, values, 15, 'the group totals')}")
        result.values = {"review_litigation": [None] * 15}
        result.unread.append("review_litigation.review_litigation")
        return result
    if how == "split":
        result.checks.append(Check("inferred", True if len(options) == 1 else None,
                                   "table 4 cells separated by the group totals", scope="review_litigation",
                                   cells=["review_litigation"]))
    if how == "moved":
        result.checks.append(Check("inferred", True if len(options) == 1 else None,
                                   f"'{printed}' breaks the group totals as printed; a number alone on its line "
                                   f"belongs elsewhere ({len(options)} place(s) keep them)",
                                   scope="review_litigation", cells=["review_litigation"]))
    if how in _SPARE:
        _spare_numbers(how, printed, len(values) - 15, 15, options, "review_litigation", "table 4", result)
    chosen = _choose({"review_litigation": options}, {"review_litigation": 15}, "review_litigation", result)
    result.values = {"review_litigation": chosen["review_litigation"]}
    result.complete = not result.extra and not any(c.rule == "ambiguous" for c in result.checks)
    return result
