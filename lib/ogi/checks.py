"""The tables' identities (勾稽关系), evaluated on a parsed report, one Check per place.

Real reports break these identities often enough that they are reported,
never assumed or repaired: a failing check keeps the printed numbers and
says where the two sides differ. A blank (null) cell makes a check
undecidable (``ok=None``), not failed.
"""

from __future__ import annotations

from functools import cache
from typing import Final, Optional, Sequence

from . import schema
from .model import Check, Number, Report

_APPLICANTS: Final = schema.APPLICANT_CODES


def _sum(values: Sequence[Optional[Number]]) -> Optional[Number]:
    """The sum, or None if a cell is blank (a loop: this runs ~35 times per report)."""
    total: Number = 0
    for v in values:
        if v is None:
            return None
        total += v
    return total


def _check(rule: str, scope: str, left, right, cells: list[str], what: str) -> Check:
    if left is None or right is None:
        blanks = ", ".join(cells)
        return Check(rule, None, f"{what}: not decidable, a cell involved is blank ({blanks})", scope, left, right,
                     cells)
    if type(left) is int and type(right) is int:  # counts: the same sides recur (rows of zeros), memoised
        key = (what, left, right)
        verdict = _VERDICTS.get(key)
        if verdict is None:
            if len(_VERDICTS) > 50_000:
                _VERDICTS.clear()
            verdict = _VERDICTS[key] = _verdict(what, left, right)
    else:  # floats are not memoised: -0.0 == 0.0 as a key, but prints "-0"
        verdict = _verdict(what, left, right)
    return Check(rule, verdict[0], verdict[1], scope, left, right, cells)


_VERDICTS: Final[dict[tuple[str, int, int], tuple[bool, str]]] = {}


def _verdict(what: str, left, right) -> tuple[bool, str]:
    """Whether the two sides agree, and the check's detail."""
    ok = abs(left - right) < 1e-9
    return ok, (f"{what}: {_g(left)} = {_g(right)}" if ok else
                f"{what}: {_g(left)} ≠ {_g(right)} (difference {_g(left - right)})")


def _g(v) -> str:
    """``f"{v:g}"``. An int of six digits or fewer is spelled there as ``str`` spells it, which is ~5× cheaper
    (``:g`` makes a float of it first); from a million on ``:g`` writes an exponent."""
    return str(v) if type(v) is int and -1_000_000 < v < 1_000_000 else f"{v:g}"


# What each check says and the cells it names, spelled once rather than per report: the f-strings, and the hash of
# each new string as the verdicts' memo key, were most of the checks' cost (41 checks a report).
@cache
def _balance_names(col: str) -> tuple[str, tuple[str, ...]]:
    return (f"new + carried over vs total + carried forward ({col})",
            tuple(f"requests.{r}[{col}]" for r in _BALANCE_ROWS))


@cache
def _row_total_names(code: str) -> tuple[str, tuple[str, ...]]:
    return f"sum of applicants vs total ({code})", tuple(f"requests.{code}[{c}]" for c in _APPLICANTS)


@cache
def _outcome_names(present: tuple[str, ...]) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """Per applicant column: what the outcomes' check says and its cells (the outcome rows present, then total)."""
    return tuple((f"sum of outcomes vs total handled ({col})",
                  tuple(f"requests.{r}[{col}]" for r in (*present, "total"))) for col in _APPLICANTS)


@cache
def _review_names(group: str) -> tuple[str, tuple[str, ...]]:
    return (f"upheld + corrected + other + pending vs total ({group})",
            tuple(f"review_litigation.{group}.{o.code}" for o in schema.REVIEW_OUTCOMES))


_BALANCE_ROWS = ("new", "carried_over", "total", "carry_forward")


def request_checks(requests: dict[str, list], template: Optional[str]) -> list[Check]:
    checks: list[Check] = []
    if not requests:
        return checks
    # new + carried_over = total + carry_forward, per applicant column
    if all(r in requests for r in _BALANCE_ROWS):
        for c, col in enumerate(_APPLICANTS):
            left = _sum([requests["new"][c], requests["carried_over"][c]])
            right = _sum([requests["total"][c], requests["carry_forward"][c]])
            what, cells = _balance_names(col)
            checks.append(_check("requests.balance", col, left, right, list(cells), what))
    # the six applicant columns sum to the total column, per row
    for code, vec in requests.items():
        left = _sum(vec[:6])
        what, cells = _row_total_names(code)
        checks.append(_check("requests.row_total", code, left, vec[6], list(cells), what))
    # outcome rows sum to (七) total, per column
    outcomes = schema.OUTCOME_ROWS.get(template or schema.TEMPLATE_2021, ())
    present = [o for o in outcomes if o in requests]
    if "total" in requests and present:
        names = _outcome_names(tuple(present))
        for c, col in enumerate(_APPLICANTS):
            left = _sum([requests[o][c] for o in present])
            what, cells = names[c]
            ch = _check("requests.outcomes", col, left, requests["total"][c], list(cells), what)
            if len(present) < len(outcomes) and ch.ok is not None:
                ch.detail += f"; {len(outcomes) - len(present)} outcome row(s) missing"
                ch.ok = None if ch.ok else False
            checks.append(ch)
    return checks


def review_checks(values: list) -> list[Check]:
    checks: list[Check] = []
    if len(values) != 15:
        return checks
    for g, group in enumerate(schema.REVIEW_GROUPS):
        block = values[g * 5:(g + 1) * 5]
        what, cells = _review_names(group.code)
        checks.append(_check("review_litigation.group_total", group.code, _sum(block[:4]), block[4], list(cells),
                             what))
    return checks


def _implausible(v, limit: Number) -> Optional[str]:
    """Why a count is not a count (None if it is one)."""
    if v is None:
        return None
    if v < 0:
        return "negative"
    if v != int(v):
        return "not a whole number"
    return "implausibly large" if v >= limit else None


def plausibility_checks(report: Report) -> list[Check]:
    """Counts must be whole, not negative, and not absurdly large; one failing Check per bad cell.

    A count printed as ``-3`` or ``1.5`` or ``123456789012`` is kept as printed
    (nothing is repaired) and reported here, so the report is not ``ok``.
    Cell names are only spelled out for the (rare) bad cells: this runs on every report.
    """
    out: list[Check] = []

    def bad(cell: str, v, why: str) -> None:
        out.append(Check("values.plausible", False, f"{cell} = {v:g}: {why} for a count", cell, v, None, [cell]))

    for code, vec in report.requests.items():
        for col, v in zip(_APPLICANTS, vec):
            if v is not None and not (type(v) is int and 0 <= v < 1e7):  # the common case, without a call
                why = _implausible(v, 1e7)
                if why:
                    bad(f"requests.{code}[{col}]", v, why)
    for code, v in zip(schema.REVIEW_CODES, report.review_litigation):
        if v is not None and not (type(v) is int and 0 <= v < 1e7):
            why = _implausible(v, 1e7)
            if why:
                bad(f"review_litigation.{code}", v, why)
    for code, cells in report.proactive.items():
        if code in schema.PROACTIVE_NON_COUNTS:
            continue
        for x in (cells if isinstance(cells, list) else [cells]):
            why = _implausible(x, 1e9)
            if why:
                bad(f"proactive.{code}", x, why)
    return out


def run_checks(report: Report) -> list[Check]:
    """Every identity of FORMAT.md on this report (parser-made checks are kept by the caller)."""
    return request_checks(report.requests, report.templates.get("requests")) + \
        review_checks(report.review_litigation) + plausibility_checks(report)
