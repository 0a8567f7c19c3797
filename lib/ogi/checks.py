"""The tables' identities (勾稽关系), evaluated on a parsed report, one Check per place.

Real reports break these identities often enough that they are reported,
never assumed or repaired: a failing check keeps the printed numbers and
says where the two sides differ. A blank (null) cell makes a check
undecidable (``ok=None``), not failed.
"""

from __future__ import annotations

from typing import Optional, Sequence

from . import schema
from .model import Check, Report

_APPLICANTS = schema.APPLICANT_CODES


def _sum(values: Sequence[Optional[float]]) -> Optional[float]:
    if any(v is None for v in values):
        return None
    return sum(values)


def _check(rule: str, scope: str, left, right, cells: list[str], what: str) -> Check:
    if left is None or right is None:
        blanks = ", ".join(cells)
        return Check(rule, None, f"{what}: not decidable, a cell involved is blank ({blanks})", scope, left, right,
                     cells)
    ok = abs(left - right) < 1e-9
    detail = f"{what}: {left:g} = {right:g}" if ok else f"{what}: {left:g} ≠ {right:g} (difference {left - right:g})"
    return Check(rule, ok, detail, scope, left, right, cells)


def request_checks(requests: dict[str, list], template: Optional[str]) -> list[Check]:
    checks: list[Check] = []
    if not requests:
        return checks
    # new + carried_over = total + carry_forward, per applicant column
    if all(r in requests for r in ("new", "carried_over", "total", "carry_forward")):
        for c, col in enumerate(_APPLICANTS):
            left = _sum([requests["new"][c], requests["carried_over"][c]])
            right = _sum([requests["total"][c], requests["carry_forward"][c]])
            checks.append(_check("requests.balance", col, left, right,
                                 [f"requests.{r}[{col}]" for r in ("new", "carried_over", "total", "carry_forward")],
                                 f"new + carried over vs total + carried forward ({col})"))
    # the six applicant columns sum to the total column, per row
    for code, vec in requests.items():
        left = _sum(vec[:6])
        checks.append(_check("requests.row_total", code, left, vec[6],
                             [f"requests.{code}[{col}]" for col in _APPLICANTS],
                             f"sum of applicants vs total ({code})"))
    # outcome rows sum to (七) total, per column
    outcomes = schema.OUTCOME_ROWS.get(template or schema.TEMPLATE_2021, ())
    present = [o for o in outcomes if o in requests]
    if "total" in requests and present:
        for c, col in enumerate(_APPLICANTS):
            left = _sum([requests[o][c] for o in present])
            cells = [f"requests.{o}[{col}]" for o in present] + [f"requests.total[{col}]"]
            ch = _check("requests.outcomes", col, left, requests["total"][c], cells,
                        f"sum of outcomes vs total handled ({col})")
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
        cells = [f"review_litigation.{group.code}.{o.code}" for o in schema.REVIEW_OUTCOMES]
        checks.append(_check("review_litigation.group_total", group.code, _sum(block[:4]), block[4], cells,
                             f"upheld + corrected + other + pending vs total ({group.code})"))
    return checks


def plausibility_checks(report: Report) -> list[Check]:
    """Counts must be whole, not negative, and not absurdly large; one failing Check per bad cell.

    A count printed as ``-3`` or ``1.5`` or ``123456789012`` is kept as printed
    (nothing is repaired) and reported here, so the report is not ``ok``.
    """
    cells: list[tuple[str, float, float]] = []
    for code, vec in report.requests.items():
        for col, v in zip(_APPLICANTS, vec):
            cells.append((f"requests.{code}[{col}]", v, 1e7))
    for code, v in zip(schema.REVIEW_CODES, report.review_litigation):
        cells.append((f"review_litigation.{code}", v, 1e7))
    for code, v in report.proactive.items():
        if code in schema.PROACTIVE_NON_COUNTS:
            continue
        for x in (v if isinstance(v, list) else [v]):
            cells.append((f"proactive.{code}", x, 1e9))
    out = []
    for cell, v, limit in cells:
        if v is None:
            continue
        if v < 0 or v != int(v) or v >= limit:
            why = "negative" if v < 0 else ("not a whole number" if v != int(v) else "implausibly large")
            out.append(Check("values.plausible", False, f"{cell} = {v:g}: {why} for a count", cell, v, None,
                             [cell]))
    return out


def run_checks(report: Report) -> list[Check]:
    """Every identity of FORMAT.md on this report (parser-made checks are kept by the caller)."""
    return request_checks(report.requests, report.templates.get("requests")) + \
        review_checks(report.review_litigation) + plausibility_checks(report)
