"""Split runs of digits into cells, using only the tables' own identities.

Crawler text loses the cell borders: ``3100004`` may be 3|1|0|0|0|0|4. The
printed digits are kept exactly; what is searched is where the borders were.
A split is accepted only if every part is a well-formed number (no leading
zeros) and the row's identity holds. When more than one split survives, all
of them are returned and the caller either decides with the table's other
identities or reports the row as ambiguous, with the candidates.
"""

from __future__ import annotations

import re
from functools import lru_cache
from itertools import combinations, product
from typing import Callable, Final, Optional, Sequence, cast

from .tokens import BLANK, NUM, Number, Token

#: Stop enumerating after this many candidates: the answer is "ambiguous" anyway.
MAX_CANDIDATES = 64
#: Longest part considered (a count beyond 10^9 is not a count in these tables).
MAX_PART_DIGITS: Final = 9

Vector = tuple
Constraint = Callable[[Sequence[Optional[Number]]], bool]


_PART: Final = re.compile(r"(?:0|[1-9]\d*)(?:\.\d+)?")


def _ok_part(s: str) -> bool:
    """A well-formed cell: no leading zeros, at most one decimal point with digits on both sides."""
    if s.isdigit() and s.isascii():  # the search's parts nearly always: what the pattern says of them, without it
        return len(s) <= MAX_PART_DIGITS and (s[0] != "0" or len(s) == 1)
    return bool(s) and len(s.split(".")[0]) <= MAX_PART_DIGITS and _PART.fullmatch(s) is not None


def _num(s: str):
    return float(s) if "." in s else int(s)


def compositions(digits: str, k: int, limit: int = MAX_CANDIDATES * 4):
    """All ways to cut ``digits`` into ``k`` well-formed numbers (bounded)."""
    search = _Compositions(digits, limit)
    if k <= 0 or len(digits) < k:
        return search.out
    search.rec(0, k, [])
    return search.out


class _Compositions:
    """The search of ``compositions``. A class, not a recursive closure: compiled, a closure that calls itself is
    a reference cycle, garbage that only the collector frees, and the parse workers collect seldom."""

    def __init__(self, digits: str, limit: int) -> None:
        self.digits, self.limit = digits, limit
        self.out: list[tuple[int, ...]] = []

    def rec(self, start: int, left: int, acc: list[int]) -> None:
        digits, out = self.digits, self.out
        if len(out) >= self.limit:
            return
        if left == 1:
            rest = digits[start:]
            if _ok_part(rest):
                out.append(tuple(acc + [_num(rest)]))
            return
        max_end = min(len(digits) - (left - 1), start + MAX_PART_DIGITS + 5)
        for end in range(start + 1, max_end + 1):
            part = digits[start:end]
            if not _ok_part(part):
                if part[0] == "0" and part != "0." and not part.startswith("0."):
                    break  # "0x…" is never a number; longer parts neither
                continue
            self.rec(end, left - 1, acc + [_num(part)])


def sum_blocks(digits: str, blocks: Sequence[int], limit: int = MAX_CANDIDATES) -> list[tuple[int, ...]]:
    """Cut ``digits`` into consecutive blocks whose last number is the sum of the others.

    ``blocks=(7,)`` is a table-3 row (six applicants and their total);
    ``(5, 5, 5)`` is table 4. The total must equal the printed digits exactly,
    which prunes the search to a handful of readings. Memoised: runs such as
    ``0000000`` (a row of zeros) come back in most reports.
    """
    return list(_sum_blocks(digits, tuple(blocks), limit))


@lru_cache(maxsize=8192)
def _sum_blocks(digits: str, blocks: tuple[int, ...], limit: int) -> tuple[tuple[int, ...], ...]:
    if not digits.isdigit():
        return ()  # counts are whole numbers
    search = _BlockSums(digits, blocks, limit)
    search.rec(0, 0, [])
    return tuple(search.out)


class _Block:
    """What the addends of one block of ``_BlockSums`` need of the search before them."""

    __slots__ = ("bi", "acc", "min_after", "last", "total_digits")

    def __init__(self, bi: int, acc: list[int], min_after: int, last: bool, total_digits: int) -> None:
        self.bi, self.acc, self.min_after, self.last, self.total_digits = bi, acc, min_after, last, total_digits


_POW10: Final = tuple(10 ** i for i in range(19))


class _BlockSums:
    """The search of ``_sum_blocks`` (a class for the reason ``_Compositions`` is one)."""

    def __init__(self, digits: str, blocks: tuple[int, ...], limit: int) -> None:
        self.digits, self.blocks, self.limit = digits, blocks, limit
        self.out: list[tuple[int, ...]] = []
        #: In the last block, the total that starts at each position (None where a total cannot start), from
        #: ``first_total`` on (a total has at most ``_Block.total_digits`` digits).
        self.total_at: list[Optional[int]] = []
        self.first_total = 0

    def rec(self, start: int, bi: int, acc: list[int]) -> None:
        blocks = self.blocks
        if len(self.out) >= self.limit:
            return
        if bi == len(blocks):
            if start == len(self.digits):
                self.out.append(tuple(acc))
            return
        m = blocks[bi]
        min_after = sum(blocks[bi + 1:])  # at least one digit per later cell
        last = bi == len(blocks) - 1  # its total is the digits left after its addends
        total_digits = len(str((m - 1) * (10 ** MAX_PART_DIGITS - 1)))  # the most a total can have
        if last:
            n = len(self.digits)
            self.first_total = max(start, n - total_digits)
            self.total_at = [None] * n
            for e in range(self.first_total, n):
                if self.digits[e] != "0" or e == n - 1:  # no leading zero
                    self.total_at[e] = int(self.digits[e:])
        self.addends(start, m - 1, [], 0, _Block(bi, acc, min_after, last, total_digits))

    def addends(self, pos: int, left: int, parts: list[int], partial: int, block: _Block, longest: int = 0) -> None:
        """The addends of ``block`` from ``pos`` (``left`` of them still to cut), then its total; ``longest``:
        the digits of the longest addend cut."""
        digits, min_after, last = self.digits, block.min_after, block.last
        if len(self.out) >= self.limit:
            return
        if left == 0:
            total = str(sum(parts))
            end = pos + len(total)
            if digits.startswith(total, pos) and len(digits) - end >= min_after:
                self.rec(end, block.bi + 1, block.acc + parts + [int(total)])
            return
        # leave room for the remaining addends and the total
        max_end = min(len(digits) - left - min_after, pos + MAX_PART_DIGITS)
        min_end = pos + 1
        if last:  # the digits after this part must fit in the other addends and the total
            min_end = max(min_end, len(digits) - (left - 1) * MAX_PART_DIGITS - block.total_digits)
        for end in range(min_end, max_end + 1):
            part = digits[pos:end]
            if not _ok_part(part):
                if part[0] == "0":
                    break
                continue
            value = int(part)
            # Pruned: in the last block the addends' sum cannot exceed the digits after the
            # other addends (the largest total left); a longer part exceeds it further.
            if last and partial + value > int(digits[end + left - 1:]):
                break
            longer = max(longest, end - pos)
            if last and (self.total_at[end] != partial + value if left == 1 else
                         not self.completes(end, left - 1, partial + value, longer)):
                continue  # the last addend: the digits after it are not the sum; another: nothing can complete it
            self.addends(end, left - 1, parts + [value], partial + value, block, longer)

    def completes(self, pos: int, left: int, partial: int, longest: int) -> bool:
        """Whether the last block's addends cut so far (their sum ``partial``, the longest of ``longest`` digits)
        can be completed by ``left`` more from ``pos`` and a total: for some place of the total, no addend has more
        digits than it (none is larger), the addends left fit in the digits before it, and those digits can make up
        the difference. Only what no reading can pass is cut off: the readings, and their order, are the search's.
        (A run of large counts, "3464077562111593967", took ~3,000 steps and 3 ms without this.)"""
        n = len(self.digits)
        for e in range(max(pos + left, self.first_total), n):
            digits = n - e
            if longest > digits or e - pos > left * digits:
                break  # a later total is shorter still: neither holds there either
            total = self.total_at[e]
            if total is None or total < partial:
                continue
            # the most ``left`` addends can add up to: each no longer than the total (nor nine digits), and all of
            # them in the e - pos digits before it (one as long as the others leave it, each other one digit;
            # beyond 18 digits that bound is above the first)
            most = left * (_POW10[min(digits, MAX_PART_DIGITS)] - 1)
            span = e - pos - left + 1
            if span <= 18:
                most = min(most, _POW10[span] - 1 + 9 * (left - 1))
            if total - partial <= most:
                return True
        return False


def row_sum_ok(blocks: Sequence[int]) -> Constraint:
    """Constraint: in each consecutive block, the last value is the sum of the others."""

    def check(values: Sequence[Optional[Number]]) -> bool:
        i = 0
        for m in blocks:
            block = values[i:i + m]
            i += m
            if any(v is None for v in block):
                continue
            if sum(cast(Sequence[Number], block[:-1])) != block[-1]:  # no None: passed over above
                return False
        return True

    return check


def _cells(values: list[Token]) -> tuple:
    """Value tokens as cells: a number's value, a blank as None."""
    return tuple(t.value if t.kind == NUM else None for t in values)


#: Readings of a row tried by ``_split_tokens`` before giving up: long runs split over many cells (a hostile file,
#: or digits that are not table 4's: nine four-digit numbers for its fifteen cells) grow without bound.
SPLIT_BUDGET = 5_000


class _Tangled(Exception):
    """More ways to split a row than ``SPLIT_BUDGET``: which one is right cannot be told."""


def resolve_row(tokens: list[Token], width: int, blocks: Optional[Sequence[int]] = None):
    """``_resolve_row``; ``([], "tangled")`` when the row splits more ways than can be tried (``SPLIT_BUDGET``)."""
    try:
        return _resolve_row(tokens, width, blocks)
    except _Tangled:
        return [], "tangled"


def _resolve_row(tokens: list[Token], width: int, blocks: Optional[Sequence[int]] = None):
    """Turn a row's value tokens into ``width`` values.

    Returns ``(candidates, how)``: ``how`` is ``"printed"`` when the tokens were
    the cells as printed, ``"split"`` when borders had to be found (candidates
    then holds every reading that satisfies ``blocks``), ``"gap"`` when one or
    two cells left no trace (candidates place a null at each possible
    position), ``"short"`` when no reading fits (candidates empty),
    ``"spaced"`` when spaces inside a cell leave more numbers than cells and
    no identity says which are one number (candidates empty), ``"dropped"``
    when one or two numbers among the cells are none (candidates: the readings
    without them that keep the identity, and those of ``"joined"`` beside them),
    ``"joined"`` when stray spaces split a number (candidates: the readings
    joining its pieces that keep the identity), ``"either"`` when, with a number
    or two to spare, the first cells keep the identity and so does a reading
    joining numbers a stray space may have split (candidates: both), ``"moved"`` when a number alone on
    its line stands out of its place (candidates: the places that keep it), or
    ``"jumbled"`` when three or more numbers more than its cells follow and the
    first break the identity (the text is out of the table's order; no
    candidates), or ``"unseparated"`` when cells printed between separators fill
    it and one or two numbers alone on their lines without a separator are none
    (``_without_unseparated``), or ``"spaced line"`` when two numbers parted by a space
    share a line where the others stand one a line (``_spaced_among_lines``), and the
    cells as printed break the identity or are just as many as the row's (no candidates).
    """
    values = _without_line_padding([t for t in tokens if t.kind in (NUM, BLANK)])
    check = row_sum_ok(blocks) if blocks else (lambda v: True)
    if len(values) > width:
        kept = _without_unseparated(values, width)
        if kept is not None and check(_cells(kept)):
            return [_cells(kept)], "unseparated"
        loose = _loose_readings(values, width, check)
        if loose is not None:
            return loose, "loose"
        values = trim_padding(values, width)
        spaced = _spaced_readings(values, width, blocks, check) if len(values) > width else None
        if spaced is not None:
            return spaced
        if len(values) > width and blocks:
            dropped = _dropped_readings(values, width, check)
            joined = [r for r in _joined_readings(values, width, check) if r not in dropped]
            if dropped or joined:
                # a number that is no cell, or a stray space inside a number: every reading of either is a candidate
                return (dropped + joined)[:MAX_CANDIDATES], "joined" if joined and not dropped else "dropped"
            printed = _cells(values[:width])
            if len(values) > width + 2 and not check(printed):
                return [], "jumbled"
            if check(printed):
                # "1 0 0 0 0 0 1 11": as printed (11 to spare) and as 10 0 0 0 0 1 11 it keeps its identity
                either = [r for r in _joined_readings(values, width, check, printed_ok=True) if r != printed]
                if either:
                    return [printed, *either][:MAX_CANDIDATES], "either"
    if len(values) >= width and blocks and values[0].line != values[-1].line and _spaced_among_lines(values) \
            and (len(values) == width or not check(_cells(values[:width]))):
        # as many numbers as cells, one line's two among them: two cells on a line, or a stray space inside one
        # number where a line was lost ("0 0 1 0 0 5 6" keeps the identity, the truth 55 0 0 1 0 0 56)
        return [], "spaced line"
    if len(values) == width and blocks and values[0].line != values[-1].line:
        moved = _moved_readings(values, check)
        if moved:
            return moved, "moved"
    if len(values) >= width:
        return [_cells(values[:width])], "printed"
    # Fast path: one run holding the whole row (a number its separators close is a cell, no run: "政府集中采购\t10"
    # is 10 with a cell blank, not 1 | 0; a run alone on its line is split).
    nums = [t for t in values if t.kind == NUM]
    if len(values) == 1 and nums and not nums[0].sep:
        d = nums[0].digits.lstrip("-")
        cands = sum_blocks(d, blocks) if blocks and sum(blocks) == width else \
            [c for c in compositions(d, width) if check(c)]
        if cands:
            return cands[:MAX_CANDIDATES], "split"
    cands = _split_tokens(values, width, check)
    if not cands:
        # Spaces inside a run may be stray ("31 00004"): rejoin space groups and retry.
        regrouped = _join_space_groups(values)
        if len(regrouped) != len(values):
            if len(regrouped) >= width:
                return [_cells(regrouped[:width])], "printed"
            cands = _split_tokens(regrouped, width, check)
    if cands:
        return cands[:MAX_CANDIDATES], "split"
    gaps = _gap_readings(values, width, check)
    return (gaps, "gap") if gaps else ([], "short")


def _spaced_among_lines(values: list[Token]) -> bool:
    """Whether a row printed one value a line (three lines or more) has a line of numbers parted only by single
    spaces (``5 48``): a stray space inside one number, or two cells on one line; nothing but the identity
    tells which."""
    if all(a.line != b.line for a, b in zip(values, values[1:])):
        return False  # the common case: every value on a line of its own
    by_line: dict[int, list[Token]] = {}
    for t in values:
        by_line.setdefault(t.line, []).append(t)
    spaced = alone = 0
    for ts in by_line.values():
        if len(ts) == 1:
            alone += 1
        elif all(t.kind == NUM and t.group >= 0 and t.group == ts[0].group for t in ts):
            spaced += 1
        else:
            return False
    return spaced > 0 and alone >= 3


def _spaced_readings(values: list[Token], width: int, blocks: Optional[Sequence[int]], check: Constraint):
    """A row longer than its cells because of numbers parted only by spaces inside a cell ("行政许可 |
    1300 24 |": a stray space inside a number, or cells run together): its first ``width`` numbers are no
    reading. The spaces joined is one only where the row identity holds for it and not for the numbers as
    printed; else the row is unread. None when the spaces are not why (no numbers so parted, or joined
    they are fewer than the cells: lines of a PDF's text, all their numbers parted by spaces)."""
    if not any(a.group >= 0 and a.group == b.group and a.kind == NUM and b.kind == NUM
               for a, b in zip(values, values[1:])):
        return None
    joined = trim_padding(_join_space_groups(values), width)
    if len(joined) < width:
        return None
    if blocks and len(joined) == width:
        vec = _cells(joined)
        printed = _cells(values[:width])
        if check(vec) and not check(printed):
            return [vec], "split"
    return [], "spaced"


def _dropped_readings(values: list[Token], width: int, check: Constraint) -> list[tuple]:
    """A row with a number or two more than its cells, whose first cells break its identity: a number that
    is no cell stands among them (a page number between the lines of a row printed one cell a line). Every
    reading without one or two of its numbers that keeps the identity is a candidate; none when the first
    cells keep it (the extra numbers come after them) or the row has more than two extra."""
    vec = _cells(values)
    extra = len(vec) - width
    if extra > 2 or check(vec[:width]):
        return []
    out: list[tuple] = []
    for skip in combinations(range(len(vec)), extra):
        if any(values[k].kind != NUM for k in skip):
            continue
        reading = tuple(v for k, v in enumerate(vec) if k not in skip)
        if reading not in out and check(reading):
            out.append(reading)
            if len(out) >= MAX_CANDIDATES:
                break
    return out


def _joined_readings(values: list[Token], width: int, check: Constraint, printed_ok: bool = False) -> list[tuple]:
    """A row with a number or two more than its cells, all parted by spaces alone, whose first cells break
    its identity: a stray space inside a number (``217 1 0 0 0 0 21 8``: 218 printed as ``21 8``). Every
    reading that closes one or two such spaces (``2 1 7`` is 217), each number so joined well-formed, and
    keeps the identity is a candidate; none when the first cells keep it (unless ``printed_ok``)."""
    extra = len(values) - width
    if extra > 2 or (not printed_ok and check(_cells(values[:width]))):
        return []
    glues = [k for k in range(len(values) - 1)
             if values[k].kind == NUM and values[k + 1].kind == NUM and values[k].group >= 0
             and values[k].group == values[k + 1].group and "." not in values[k].digits + values[k + 1].digits]
    out: list[tuple] = []
    for ks in combinations(glues, extra):
        vec: list = []
        run = ""
        for k, t in enumerate(values):
            if t.kind != NUM:
                vec.append(None)
                continue
            run += t.digits
            if k in ks:
                continue  # glued to the next number
            if not _PART.fullmatch(run.lstrip("-")):
                break     # "0 5" is no number
            vec.append(_num(run))
            run = ""
        else:
            reading = tuple(vec)
            if reading not in out and check(reading):
                out.append(reading)
                if len(out) >= MAX_CANDIDATES:
                    break
    return out


def _moved_readings(values: list[Token], check: Constraint) -> list[tuple]:
    """A row's numbers out of their order: ``pdftotext -layout`` prints a cell whose text sits higher (the
    total beside a label's first line) before the others, on a line of its own. When the row breaks its
    identity as printed, a number alone on its line, moved to another place, is a reading if it keeps the
    identity; none when the row keeps it as printed, or its numbers stand on one line, or each on its own
    (one cell a line: a row the agency added up wrong is not rearranged until it adds up)."""
    # cheap tests first: most rows stand on one line, or one cell a line
    if values[0].line == values[-1].line or not any(a.line == b.line for a, b in zip(values, values[1:])):
        return []   # one line, or one cell a line (a printed inconsistency is not rearranged)
    vec = list(_cells(values))
    if check(tuple(vec)):
        return []
    by_line: dict[int, int] = {}
    for t in values:
        by_line[t.line] = by_line.get(t.line, 0) + 1
    out: list[tuple] = []
    for k, t in enumerate(values):
        if t.kind != NUM or by_line[t.line] != 1:
            continue
        rest = vec[:k] + vec[k + 1:]
        for place in range(len(vec)):
            reading = tuple(rest[:place] + [vec[k]] + rest[place:])
            if place != k and reading not in out and check(reading):
                out.append(reading)
    return out


def _without_line_padding(values: list[Token]) -> list[Token]:
    """A row printed one number a line (seed 004: ``48 |`` / ``3 |`` / … / ``52 | ||``): blanks after the
    last number, on its line, are that line's padding, not cells. A number line lost left one of them as the
    row's last cell (``3 0 0 1 0 52 _``: its total blank, each number a column early)."""
    if len(values) < 4 or values[-1].kind != BLANK:
        return values
    end = len(values)
    while end and values[end - 1].kind == BLANK:
        end -= 1
    if end < 3 or any(t.line != values[end - 1].line for t in values[end:]):
        return values  # a blank on a line of its own is a cell ("| ||": seed 004's blank total)
    nums = [t for t in values[:end] if t.kind == NUM]
    if len(nums) < 3 or len({t.line for t in nums}) != len(nums):
        return values  # not one number a line
    return values[:end]


def _without_unseparated(values: list[Token], width: int) -> Optional[list[Token]]:
    """A row whose cells are printed between separators (``0 |``), with numbers to spare that stand alone on
    their line without one (a page number where a page broke the row: ``规章 |`` / ``0 |`` / ``9`` / ``0 |``):
    the row's cells without them, when those fill it exactly and outnumber them; else None."""
    stray = [t for t in values if t.kind == NUM and not t.sep]
    if not stray:
        return None
    kept = trim_padding([t for t in values if t.kind == BLANK or t.sep], width)
    if len(kept) != width or sum(1 for t in kept if t.kind == NUM) < len(stray):
        return None
    lines = [t.line for t in values]
    if any(not t.first_on_line or lines.count(t.line) > 1 for t in stray):
        return None
    return kept


def trim_padding(values: list[Token], width: int) -> list[Token]:
    """A row's cells without the blank padding that makes it longer than ``width``: trailing blanks
    first (seed 004's `` ||``), then leading ones (a label's spanned cell printed empty:
    ``| 一、本年新收… | | 3 | 1 | … | 4 |``)."""
    end = len(values)
    while end > width and values[end - 1].kind == BLANK:
        end -= 1
    start = 0
    while end - start > width and values[start].kind == BLANK:
        start += 1
    return values[start:end]


def _loose_readings(values: list[Token], width: int, check: Constraint) -> Optional[list[tuple]]:
    """Numbers first, then one line of more blank cells than the row has room for: the blanks were
    collapsed after the numbers (a crawler that dropped empty cells' places), so where each number
    stood is lost. Every placement keeping the printed order is a reading; ``None`` if the row is not so.

    With one blank short of the width (seed 004: six numbers, then a blank total and padding)
    the numbers are taken as printed: only two or more unknown places make a row loose.
    """
    k = sum(1 for t in values if t.kind == NUM)
    if not 0 < k <= width - 2 or any(t.kind != NUM for t in values[:k]):
        return None
    # the blanks are one line of bare separators ("||||||") apart from the numbers' lines; blank
    # cells printed in their places come on the numbers' line (pipes) or one a line (seed 004)
    blank_lines = {t.line for t in values[k:]}
    if len(blank_lines) != 1 or blank_lines & {t.line for t in values[:k]}:
        return None
    nums = [t.value for t in values[:k]]
    out: list[tuple] = []
    for places in combinations(range(width), k):
        it = iter(nums)
        vec = tuple(next(it) if i in places else None for i in range(width))
        if check(vec):
            out.append(vec)
            if len(out) >= MAX_CANDIDATES:
                break
    return out


def _gap_readings(values: list[Token], width: int, check: Constraint):
    """A cell or two short: the blank that left no trace may be anywhere; list where.

    Layouts without separators cannot show a blank cell (seed 004's blank total
    printed without ``|`` would vanish). Every placement of the missing cells
    consistent with the row identity is a candidate; the caller narrows them
    with the column identities or reports them as ambiguous.
    """
    out: list[tuple] = []
    for missing in (1, 2):
        n = width - missing
        if n < len(values) or not values:
            continue
        if n == len(values):
            bases = [_cells(values)]
        else:
            bases = _split_tokens(values, n, lambda v: True)
        for base in bases:
            for positions in _positions(width, missing):
                it = iter(base)
                vec = tuple(None if i in positions else next(it) for i in range(width))
                if check(vec) and vec not in out:
                    out.append(vec)
                    if len(out) >= MAX_CANDIDATES:
                        return out
        if out:
            return out
    return out


def _positions(width: int, k: int):
    if k == 1:
        return [(i,) for i in range(width)]
    return [(i, j) for i in range(width) for j in range(i + 1, width)]


def _join_space_groups(values: list[Token]) -> list[Token]:
    out: list[Token] = []
    for t in values:
        if out and t.kind == NUM and t.group >= 0 and out[-1].kind == NUM and out[-1].group == t.group \
                and t.digits.isdigit() and out[-1].digits.isdigit():  # no decimals, no signs ("263 -7")
            prev = out[-1]
            d = prev.digits + t.digits
            out[-1] = Token(NUM, d, prev.line, value=int(d), digits=d, group=prev.group)
        else:
            out.append(t)
    return out


def _split_tokens(values: list[Token], width: int, check: Constraint):
    """Distribute ``width`` cells over several tokens, splitting multi-digit runs (never a number printed as a
    cell of its own between separators: ``| 148 |`` is 148, whatever cell is missing beside it)."""
    extra = width - len(values)
    splittable = [i for i, t in enumerate(values) if t.kind == NUM and not t.whole and len(t.digits.lstrip("-")) > 1]
    if extra <= 0 or not splittable:
        return []
    results: list[tuple] = []
    tried = 0
    # how many extra cells each splittable token receives
    for shares in _distributions(extra, len(splittable)):
        options = []
        for i, t in enumerate(values):
            if i in splittable:
                k = 1 + shares[splittable.index(i)]
                if t.digits.startswith("-"):  # "-1028" may be -10 | 28: the sign belongs to the first cell
                    opts = [(-p[0],) + p[1:] for p in compositions(t.digits[1:], k)]
                else:
                    opts = compositions(t.digits, k)
                if not opts:
                    break
                options.append(opts)
            else:
                options.append([(t.value if t.kind == NUM else None,)])
        else:
            for combo in product(*options):
                tried += 1
                if tried > SPLIT_BUDGET:
                    raise _Tangled
                vec = tuple(v for part in combo for v in part)
                if check(vec):
                    results.append(vec)
                    if len(results) >= MAX_CANDIDATES:
                        return results
    return results


def _distributions(total: int, bins: int):
    """All ways to put ``total`` identical items into ``bins`` bins."""
    if bins == 1:
        yield (total,)
        return
    for first in range(total + 1):
        for rest in _distributions(total - first, bins - 1):
            yield (first,) + rest
