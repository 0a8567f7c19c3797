"""Files that hold the same report: which one the corpus counts, and what it says of the others.

Real corpora hold one report several times: the same bytes twice (a file
copied into two folders), a mirror's copy in traditional characters, the
page beside its PDF, the site's page beside its crawler's text with the
digits run together. Counting each would count the report's requests twice.
Three cases, all among files of one placed agency (``agency_key``, which
carries the region) and one year, whose status is ok or partial:

- **the same values** (``values_digest`` equal): a copy in other bytes;
- **values that agree on every cell both files read**, one file reading
  cells the other leaves blank (a run of digits it could not split, a page
  cut short): the same report read differently; the file that read more
  cells is counted;
- **values that differ in a cell both read**: another edition (a corrected
  report), or one file misread; both stay counted and each names the other,
  since only a reader can tell which is right.

A copy keeps its rows in the data tables under its own report id; it becomes
``duplicate`` in ``reports``, which analyses filter on.
"""

from __future__ import annotations

from typing import Any, Callable, Iterable, Mapping, Optional

#: Values of some reports: report id -> {(table, key, key): value}, blank cells left out.
ValuesOf = Callable[[list[str]], Mapping[str, Mapping[tuple, Any]]]

#: At most this many of the cells only a copy read are named in its message.
_LISTED = 6


def mark_copies(rep: Any, candidates: Any, values_of: Optional[ValuesOf] = None) -> None:
    """Mark the copies among ``candidates`` (a boolean mask of ``rep``) in place: status, duplicate_of, messages.

    ``rep`` is the reports frame being built (``path``, ``agency_key``,
    ``year``, ``values_digest``, ``status``, ``duplicate_of``, ``messages``),
    in path order, so the first file of a copy is the one counted when the
    values are equal. ``values_of`` reads the values of the few reports
    that share an agency and year with other values; without it, those
    are only named to each other.
    """
    if not candidates.any():
        return
    key = rep.loc[candidates, ["agency_key", "year", "values_digest"]].astype("string")
    original = rep.loc[candidates, "path"].groupby([key[c] for c in key.columns], sort=False).transform("first")
    copy = original[original != rep.loc[candidates, "path"]].index
    if len(copy):
        _mark(rep, copy, original[copy], [
            f"the same report as {o} (same agency, year and table values, in other bytes: a copy from another "
            "site or in another format); counted once, under that file" for o in original[copy]])
    rest = candidates.index[candidates].difference(copy)
    groups = _groups(rep, rest)
    if not groups:
        return
    values = values_of(sorted({rep.at[i, "report_id"] for g in groups for i in g})) if values_of else {}
    for g in groups:
        _one_agency_year(rep, g, values)


def _groups(rep: Any, rows: Any) -> list[list]:
    """The rows of ``rows`` that share an agency and year with another of them, by agency and year (few)."""
    key = rep.loc[rows, ["agency_key", "year"]].astype("string")
    key = key[key.duplicated(keep=False).to_numpy(dtype=bool)]
    group: dict[tuple, list] = {}
    for i, k in zip(key.index, zip(key["agency_key"].tolist(), key["year"].tolist())):
        group.setdefault(k, []).append(i)
    return list(group.values())


def agree(a: Mapping[tuple, Any], b: Mapping[tuple, Any]) -> Optional[int]:
    """The number of cells both read when they all agree and are at least half of the smaller reading's, else None.

    Half, so that two readings that share only a corner of their tables (a
    row of zeros) are not taken for one report.
    """
    shared = a.keys() & b.keys()
    if not shared or any(a[k] != b[k] for k in shared):
        return None
    return len(shared) if 2 * len(shared) >= min(len(a), len(b)) else None


def _one_agency_year(rep: Any, rows: list, values: Mapping[str, Mapping[tuple, Any]]) -> None:
    """Within one agency and year: each reading that agrees with a fuller one is its copy; the rest are editions."""
    cells = {i: values.get(rep.at[i, "report_id"], {}) for i in rows}
    order = sorted(rows, key=lambda i: (-len(cells[i]), rep.at[i, "path"]))
    kept: list = []
    for i in order:
        for k in kept if cells[i] else ():
            shared = agree(cells[k], cells[i])
            if shared is not None:
                only = sorted(cells[i].keys() - cells[k].keys())
                path = rep.at[k, "path"]
                _mark(rep, [i], [path], [_copy_message(path, shared, only)])
                _note(rep, k, f"a copy of this report read differently: {rep.at[i, 'path']} (counted once, here)")
                break
        else:
            kept.append(i)
    if len(kept) > 1:
        for i in kept:
            others = ", ".join(rep.at[k, "path"] for k in kept if k != i)
            _note(rep, i, f"another report of the same agency and year, with other values: {others} (another "
                          "edition, or one of them misread); both are counted: compare them")


def _copy_message(original: str, shared: int, only: list[tuple]) -> str:
    msg = (f"the same report as {original}, read differently: the {shared} cells both files read agree; counted "
           "once, under that file")
    if only:
        named = ", ".join(".".join(str(p) for p in k) for k in only[:_LISTED])
        more = f" and {len(only) - _LISTED} more" if len(only) > _LISTED else ""
        msg += (f". This file also read {len(only)} cells that file left blank ({named}{more}); they are not "
                "counted: compare the two")
    return msg


def _mark(rep: Any, rows: Iterable, originals: Iterable[str], messages: Iterable[str]) -> None:
    import pandas as pd

    rows = list(rows)
    rep.loc[rows, "status"] = "duplicate"
    rep.loc[rows, "duplicate_of"] = pd.array(list(originals), dtype="string")
    rep.loc[rows, "messages"] = pd.array(list(messages), dtype="string")


def _note(rep: Any, i: Any, note: str) -> None:
    import pandas as pd

    old = rep.at[i, "messages"]
    rep.at[i, "messages"] = note if pd.isna(old) else f"{old}\n{note}"


def values_from_frames(parts: Mapping[str, Any], ids: list[str]) -> dict[str, dict[tuple, Any]]:
    """``ValuesOf`` over data frames (``requests``, ``proactive``, ``review_litigation``) of the declared columns.

    Columns are taken as NumPy objects through their categories, not iterated as
    pandas strings: 16,000 reports' three million cells take about a second.
    """
    out: dict[str, dict[tuple, Any]] = {i: {} for i in ids}
    want = set(ids)
    for table, keys in (("requests", ("row", "applicant")), ("proactive", ("item", "column")),
                        ("review_litigation", ("group", "outcome"))):
        df = parts.get(table)
        if df is None or not len(df):
            continue
        df = df[(df["report_id"].isin(want) & df["value"].notna()).to_numpy(dtype=bool)]
        rid, a, b = (_objects(df[c]) for c in ("report_id", *keys))
        for r, x, y, v in zip(rid, a, b, df["value"].to_numpy(dtype="float64").tolist()):
            out[r][(table, x, y)] = v
    return out


def _objects(col: Any) -> list:
    """A column's values as Python strings, a categorical's looked up through its (few) categories."""
    import numpy as np
    import pandas as pd

    if isinstance(col.dtype, pd.CategoricalDtype):
        cats = np.asarray([str(c) for c in col.cat.categories] + [None], dtype=object)
        return cats[col.cat.codes.to_numpy()].tolist()  # code -1 (none) takes the last: None
    return [None if v is None or v is pd.NA else str(v) for v in col.to_numpy(dtype=object)]
