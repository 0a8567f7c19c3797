"""A parsed report as tidy rows: what a build's worker makes of each Report (``report_fields``, or ``to_dict()``).

``report_rows`` appends one report to a ``Rows`` accumulator: the report's own
row of ``reports`` (its content columns) and its rows of the five data tables,
as column lists in the schemas of ``ogi.tables``; ``Rows.to_arrow`` gives each
part as an Arrow table. A worker does this for every report it parses, so the
module is compiled with the parser (``ogi.accel``); it holds no schema of its own.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Mapping  # not typing's: isinstance with it runs Python code (~1 µs) each time
from functools import lru_cache
from typing import Any, Callable, Iterable, Optional

from . import regions, schema
from .model import Report, any_value
from .parse.sections import split_problems
from .tables import _COLUMN_ORDER, _ITEM_ORDER, CONTENT_COLUMNS, DATA_PARTS, SCHEMAS

__all__ = ["Category", "Repeats", "Rows", "Runs", "failed_rows", "report_fields", "report_rows", "values_digest"]


class Category:
    """A category column as it grows: a code per row into the distinct values, numbered by first appearance.

    ``Rows.to_arrow`` makes the dictionary array from the codes directly. That is
    the array ``dictionary_encode`` makes of the strings (dictionary in order of
    first appearance, null as a null index), without encoding and hashing every
    row's string: the report id alone repeats on ~170 request rows a report.
    Reads like the list of its values; ``del column[n:]`` (a rollback) also
    forgets the values first seen in the rows it removes.
    """

    __slots__ = ("codes", "values", "_index", "_memo", "_keyed")

    def __init__(self) -> None:
        self.codes: list[Optional[int]] = []
        self.values: list[str] = []
        self._index: dict[str, int] = {}
        self._memo: dict[Any, list[Optional[int]]] = {}
        self._keyed: dict[Any, Optional[int]] = {}

    def code(self, value: Optional[str]) -> Optional[int]:
        if value is None:
            return None
        code = self._index.get(value)
        if code is None:
            code = self._index[value] = len(self.values)
            self.values.append(value)
        return code

    def append(self, value: Optional[str]) -> None:
        known = self._index.get(value) if value is not None else None
        self.codes.append(known if known is not None else self.code(value))

    def extend(self, values: Iterable[Optional[str]]) -> None:
        index, code, codes = self._index, self.code, self.codes
        for v in values:
            if v is None:
                codes.append(None)
                continue
            known = index.get(v)  # one lookup a value seen before, not two
            codes.append(known if known is not None else code(v))

    def repeat(self, value: Optional[str], n: int) -> None:
        """``n`` rows of ``value``."""
        self.codes.extend([self.code(value)] * n)

    def extend_memo(self, key: Any, values: Iterable[Optional[str]]) -> None:
        """``extend(values)``, their codes kept under ``key``: the same runs come back report after report."""
        codes = self._memo.get(key)
        if codes is None:
            if len(self._memo) >= 1024:
                self._memo.clear()
            codes = self._memo[key] = [self.code(v) for v in values]
        self.codes.extend(codes)

    def extend_keyed(self, keys: Iterable[Any], value_of: Callable[[Any], Optional[str]]) -> None:
        """``extend(value_of(key) for key in keys)``, each key's code kept: a value made afresh for each row (a
        check's cells joined into one text) is made, and hashed, once per distinct key."""
        keyed, codes = self._keyed, self.codes
        for key in keys:
            code = keyed.get(key, -1)
            if code == -1:
                if len(keyed) >= 4096:
                    keyed.clear()
                code = keyed[key] = self.code(value_of(key))
            codes.append(code)

    def __len__(self) -> int:
        return len(self.codes)

    def __iter__(self):
        values = self.values
        return (None if c is None else values[c] for c in self.codes)

    def __getitem__(self, k):
        values = self.values
        if isinstance(k, slice):
            return [None if c is None else values[c] for c in self.codes[k]]
        c = self.codes[k]
        return None if c is None else values[c]

    def __delitem__(self, k: slice) -> None:
        if not (isinstance(k, slice) and k.stop is None and k.step is None):
            raise TypeError("a category column is only cut short (del column[n:])")
        del self.codes[k]
        # codes are numbered by first appearance: the rows kept use exactly 0 .. their largest code
        keep = max((c for c in self.codes if c is not None), default=-1) + 1
        for v in self.values[keep:]:
            del self._index[v]
        del self.values[keep:]
        self._memo.clear()  # its codes may name values just forgotten
        self._keyed.clear()

    def to_arrow(self):
        import pyarrow as pa

        return pa.DictionaryArray.from_arrays(pa.array(self.codes, pa.int32()), pa.array(self.values, pa.string()))


class _Compact(Category):
    """A ``Category`` column that keeps the rows of one way of filling it compactly until they are read
    (``Runs``, ``Repeats``). Any other use writes them out as codes first (``_spell``), so the column is then the
    plain ``Category`` it stands for: the same rows, dictionary and codes."""

    __slots__ = ()

    def _spell(self) -> None:
        raise NotImplementedError

    def append(self, value: Optional[str]) -> None:
        self._spell()
        super().append(value)

    def extend(self, values: Iterable[Optional[str]]) -> None:
        self._spell()
        super().extend(values)

    def repeat(self, value: Optional[str], n: int) -> None:
        self._spell()
        super().repeat(value, n)

    def extend_memo(self, key: Any, values: Iterable[Optional[str]]) -> None:
        self._spell()
        super().extend_memo(key, values)

    def extend_keyed(self, keys: Iterable[Any], value_of: Callable[[Any], Optional[str]]) -> None:
        self._spell()
        super().extend_keyed(keys, value_of)

    def __iter__(self):
        self._spell()
        return super().__iter__()

    def __getitem__(self, k):
        self._spell()
        return super().__getitem__(k)

    def __delitem__(self, k: slice) -> None:
        self._spell()
        super().__delitem__(k)

    def _head(self):
        """``codes`` (the rows written out) as numpy int32, -1 for a null."""
        import numpy as np

        return np.array([-1 if c is None else c for c in self.codes], dtype=np.int32)

    def _dictionary_array(self, idx):
        """The column's DictionaryArray from its codes as numpy (-1 for a null)."""
        import numpy as np
        import pyarrow as pa

        nulls = idx < 0
        indices = pa.array(np.where(nulls, 0, idx), pa.int32(), mask=nulls) if nulls.any() else pa.array(idx)
        return pa.DictionaryArray.from_arrays(indices, pa.array(self.values, pa.string()))


class Runs(_Compact):
    """A ``Category`` column made by ``extend_memo`` of runs that recur: a report's request rows, whose row,
    group and applicant columns depend only on which rows it has (a few layouts in a corpus).

    Each run's codes are kept once; a report adds its run's number, not ~170 codes, and ``to_arrow`` joins the
    runs in numpy rather than converting a list of a code a row (4 columns × 425,000 codes a worker's chunk).
    """

    __slots__ = ("_runs", "_run_of", "_keys", "_run_rows")

    def __init__(self) -> None:
        super().__init__()
        self._runs: list[list[Optional[int]]] = []
        self._run_of: dict[Any, int] = {}
        self._keys: list[int] = []  # the runs after ``codes``, in order
        self._run_rows = 0  # their rows

    def extend_memo(self, key: Any, values: Iterable[Optional[str]]) -> None:
        run = self._run_of.get(key, -1)
        if run == -1:
            if len(self._run_of) >= 1024:
                self._run_of.clear()
            run = self._run_of[key] = len(self._runs)
            self._runs.append([self.code(v) for v in values])
        self._keys.append(run)
        self._run_rows += len(self._runs[run])

    def _spell(self) -> None:
        if self._keys:
            runs, codes = self._runs, self.codes
            for run in self._keys:
                codes.extend(runs[run])
            self._keys.clear()
            self._run_rows = 0

    def __len__(self) -> int:
        return len(self.codes) + self._run_rows

    def __delitem__(self, k: slice) -> None:
        super().__delitem__(k)
        self._runs.clear()  # their codes may name values just forgotten
        self._run_of.clear()

    def to_arrow(self):
        import numpy as np

        if not self._keys:
            return super().to_arrow()
        runs = [np.array([-1 if c is None else c for c in run], dtype=np.int32) for run in self._runs]
        return self._dictionary_array(np.concatenate([self._head()] + [runs[run] for run in self._keys]))


class Repeats(_Compact):
    """A ``Category`` column made by ``repeat``: a report's id on each of its rows (~250 rows a report in the five
    data tables). Each repeat is kept as its code and count, and ``to_arrow`` expands them in numpy."""

    __slots__ = ("_codes", "_counts", "_repeated")

    def __init__(self) -> None:
        super().__init__()
        self._codes: list[Optional[int]] = []
        self._counts: list[int] = []
        self._repeated = 0  # their rows

    def repeat(self, value: Optional[str], n: int) -> None:
        self._codes.append(self.code(value))
        self._counts.append(n)
        self._repeated += n

    def _spell(self) -> None:
        if self._codes:
            codes = self.codes
            for code, n in zip(self._codes, self._counts):
                codes.extend([code] * n)
            self._codes.clear()
            self._counts.clear()
            self._repeated = 0

    def __len__(self) -> int:
        return len(self.codes) + self._repeated

    def to_arrow(self):
        import numpy as np

        if not self._codes:
            return super().to_arrow()
        repeated = np.repeat(np.array([-1 if c is None else c for c in self._codes], dtype=np.int32),
                             np.array(self._counts, dtype=np.int64))
        return self._dictionary_array(np.concatenate([self._head(), repeated]))


#: The data tables' columns that ``Repeats`` holds (filled by ``repeat`` alone): the report id, a template.
_REPEAT_COLUMNS = {*((p, "report_id") for p in DATA_PARTS), ("proactive", "template")}
#: The request rows' columns that ``Runs`` holds (``_requests`` fills them by ``extend_memo`` alone).
_RUN_COLUMNS = {("requests", c) for c in ("row", "group", "outcome_group", "applicant")}

#: Category columns kept as lists of strings (``dictionary_encode`` at the end): one row a report, or text made
#: afresh for each row, which Arrow hashes faster than a ``Category`` codes it. (A check's cells are text made
#: afresh too, but of a few recurring lists: ``Category.extend_keyed`` codes them by the list, not the text.)
_CATEGORY_LISTS = {("checks", "detail")}


class Rows:
    """Column lists for the content row and the data tables of many reports (what a worker returns).

    The data tables' category columns are ``Category`` (codes, read like lists), but for ``_CATEGORY_LISTS``.
    """

    def __init__(self) -> None:
        def columns(part: str) -> dict[str, Any]:
            ts = SCHEMAS[part]
            return {c: Runs() if (part, c) in _RUN_COLUMNS else Repeats() if (part, c) in _REPEAT_COLUMNS
                    else Category() if ts.column(c).dtype == "category" and (part, c) not in _CATEGORY_LISTS else []
                    for c in ts.names}

        self.parts: dict[str, dict[str, Any]] = {"content": {c: [] for c in CONTENT_COLUMNS},
                                                 **{p: columns(p) for p in DATA_PARTS}}

    def __len__(self) -> int:
        return len(self.parts["content"]["report_id"])

    def mark(self) -> dict[str, int]:
        """Lengths now, to undo a report that failed half-way (``rollback``)."""
        return {p: len(cols[next(iter(cols))]) for p, cols in self.parts.items()}

    def rollback(self, mark: Mapping[str, int]) -> None:
        for p, cols in self.parts.items():
            for values in cols.values():
                del values[mark[p]:]

    def to_arrow(self) -> dict[str, Any]:
        """Each part as an Arrow table in the declared types (category columns dictionary-encoded)."""
        import pyarrow as pa

        types = {"string": pa.string(), "Int64": pa.int64(), "Float64": pa.float64(), "boolean": pa.bool_(),
                 "category": pa.string()}
        out = {}
        for part, cols in self.parts.items():
            ts = SCHEMAS["reports" if part == "content" else part]
            arrays = []
            for name, values in cols.items():
                if isinstance(values, Category):
                    arrays.append(values.to_arrow())
                    continue
                dtype = ts.column(name).dtype
                arr = pa.array(values, type=types[dtype])
                arrays.append(arr.dictionary_encode() if dtype == "category" else arr)
            out[part] = pa.Table.from_arrays(arrays, names=list(cols))
        return out


def _count(v: Any, where: str, notes: list[str]) -> Optional[int]:
    """A printed count as int; a non-integer count is kept out (null) and said, never rounded."""
    if v is None or type(v) is int:
        return v
    if isinstance(v, bool) or not isinstance(v, (int, float)) or (isinstance(v, float) and not v.is_integer()):
        notes.append(f"{where}: non-integer count {v!r} kept as null")
        return None
    return int(v)


def _num(v: Any, where: str, notes: list[str]) -> Optional[float]:
    if v is None:
        return None
    if isinstance(v, bool) or not isinstance(v, (int, float)) or (isinstance(v, float) and math.isnan(v)):
        notes.append(f"{where}: not a number {v!r}, kept as null")
        return None
    return float(v)


#: (agency, its region) -> (level, kind, sector, key): what ``regions`` says of an agency is a function of these two,
#: and an agency reports several years (100k synthetic reports: 23,493 agencies), ~13 µs a report. Bounded.
_AGENCY_FACTS: dict[tuple[str, Any], tuple[Optional[str], Optional[str], Optional[str], Optional[str]]] = {}


def _agency_facts(agency: str, info: Any) -> tuple[Optional[str], Optional[str], Optional[str], Optional[str]]:
    facts = _AGENCY_FACTS.get((agency, info))
    if facts is None:
        if len(_AGENCY_FACTS) >= 1 << 16:
            _AGENCY_FACTS.clear()
        kind, sector = regions.agency_kind(agency)
        facts = _AGENCY_FACTS[(agency, info)] = (regions.government_level(agency, info) or None, kind or None,
                                                 sector, regions.agency_key(agency, info) or None)
    return facts


def _region(agency: Optional[str], head: str) -> dict[str, Any]:
    info = regions.derive_region(agency, head)
    code = info.code
    out = {"province": info.province, "province_code": code[:2] + "0000" if code and info.province else None,
           "prefecture": info.city, "prefecture_code": code[:4] + "00" if code and info.city else None,
           "county": info.county, "county_code": code if code and info.county else None,
           "region_code": code, "region_source": info.source if code else None,
           "region_historical": bool(getattr(info, "historical", False)) if code else None}
    level, kind, sector, key = _agency_facts(agency, info) if agency else (None, None, None, None)
    out["level"] = level
    out["agency_kind"] = kind
    out["sector"] = sector
    out["agency_key"] = key
    return out


def report_fields(report: Report) -> dict[str, Any]:
    """What ``report_rows`` reads of a Report: ``to_dict()``'s values, the checks as they are (``to_dict``
    made a dict of each, ~50 a report: a third of the cost of the rows)."""
    # NOTE: read as Any: compiled, the model's annotations would be checked here (a tuple where a list is
    # declared raises), where ``to_dict`` takes whatever the parser put there, as the pure module does
    r: Any = report
    return {"status": r.status, "messages": r.messages, "agency": r.agency, "year": r.year,
            "published": r.published, "templates": r.templates,
            "proactive": {k: (list(v) if isinstance(v, (list, tuple)) else v) for k, v in r.proactive.items()},
            "requests": {k: list(v) for k, v in r.requests.items()},
            "review_litigation": list(r.review_litigation),
            "sections": r.sections, "checks": r.checks, "parser_version": r.parser_version,
            "format": r.format, "encoding": r.encoding}


def report_rows(rows: Rows, d: Mapping[str, Any], report_id: str, head: str = "") -> None:
    """Append one parsed report (``Report.to_dict()``, or ``report_fields(report)``) to ``rows``.

    Parameters
    ----------
    rows : Rows
        The accumulator.
    d : mapping
        ``Report.to_dict()`` of the report, or ``report_fields`` of it (its checks Check objects).
    report_id : str
        sha256 of the file's bytes.
    head : str
        The report's first lines, from which the region is read when the
        agency name names no place (as the parser does).
    """
    notes: list[str] = []
    p = rows.parts
    _requests(p["requests"], report_id, d.get("requests") or {}, notes)
    _proactive(p["proactive"], report_id, d.get("proactive") or {}, (d.get("templates") or {}).get("proactive"),
               notes)
    _review(p["review_litigation"], report_id, d.get("review_litigation") or [], notes)
    _sections(p["sections"], report_id, d.get("sections") or {})
    fields = _check_fields(d.get("checks") or [])
    _checks(p["checks"], report_id, fields)
    oks = fields[1]

    templates = d.get("templates") or {}
    row = {
        "report_id": report_id, "status": d.get("status"),
        "messages": "\n".join([*(d.get("messages") or []), *notes]) or None,
        "agency": d.get("agency"), "year": d.get("year"), "published": d.get("published"),
        **_region(d.get("agency"), head),
        "template_proactive": templates.get("proactive"), "template_requests": templates.get("requests"),
        "template_review_litigation": templates.get("review_litigation"),
        "values_digest": values_digest(d),
        "n_checks": len(oks), "n_checks_failed": sum(ok is False for ok in oks),
        "n_checks_undecidable": sum(ok is None for ok in oks),
        "parser_version": d.get("parser_version"), "format": d.get("format"), "encoding": d.get("encoding"),
    }
    content = p["content"]
    for c in CONTENT_COLUMNS:
        content[c].append(row[c])


def values_digest(d: Mapping[str, Any]) -> Optional[str]:
    """16 hex digits of a sha256 of the three tables' values as read (``Report.to_dict()``), or None
    when no table gave a value: what tells a copy of a report in other bytes from another report."""
    import orjson

    requests = d.get("requests") or {}
    proactive = d.get("proactive") or {}
    review = d.get("review_litigation") or []
    if not any_value(requests, proactive, review):
        return None
    try:
        data = orjson.dumps([requests, proactive, review], option=orjson.OPT_SORT_KEYS)
    except TypeError:  # an integer beyond 64 bits (a hostile file): Python's own spelling
        data = repr((sorted(requests.items()), sorted(proactive.items()), list(review))).encode()
    return hashlib.sha256(data).hexdigest()[:16]


def failed_rows(rows: Rows, report_id: str, message: str, parser_version: str) -> None:
    """The content row of a file that could not be parsed at all (an error outside the parser's own guard)."""
    row = dict.fromkeys(CONTENT_COLUMNS)
    row.update(report_id=report_id, status="failed", messages=message, parser_version=parser_version,
               n_checks=0, n_checks_failed=0, n_checks_undecidable=0)
    for c in CONTENT_COLUMNS:
        rows.parts["content"][c].append(row[c])


_REQUEST_CODES = tuple(spec.code for spec in schema.REQUEST_ROWS)


@lru_cache(maxsize=1024)
def _request_layout(present: tuple[str, ...]) -> tuple[tuple[Optional[str], ...], ...]:
    """The row, group, outcome_group and applicant columns of a report's request rows, by the rows it has."""
    n = len(schema.APPLICANT_CODES)
    specs = [schema.REQUEST_ROW_BY_CODE[code] for code in present]
    return (tuple(s.code for s in specs for _ in range(n)), tuple(s.group for s in specs for _ in range(n)),
            tuple(schema.OUTCOME_GROUP_OF.get(s.code) for s in specs for _ in range(n)),
            schema.APPLICANT_CODES * len(specs))


def _requests(out: dict[str, Any], rid: str, requests: Mapping[str, list], notes: list[str]) -> None:
    for code in requests:
        if code not in schema.REQUEST_ROW_BY_CODE:
            notes.append(f"requests: unknown row {code!r} not tabulated")
    present = tuple(code for code in _REQUEST_CODES if requests.get(code) is not None)
    if not present:
        return
    applicants = schema.APPLICANT_CODES
    n = len(applicants)
    values: list[Optional[int]] = []
    for code in present:
        vec = requests[code]
        for k in range(n):  # a loop, not slices and a zip: ~170 values a report
            v = vec[k] if k < len(vec) else None
            values.append(v if v is None or type(v) is int else _count(v, f"requests.{code}[{applicants[k]}]", notes))
    out["report_id"].repeat(rid, len(values))
    for name, column in zip(("row", "group", "outcome_group", "applicant"), _request_layout(present)):
        out[name].extend_memo(present, column)
    out["value"].extend(values)


def _proactive_cells(code: str, v: Any, spec: schema.RowSpec) -> list[tuple[str, str, Any]]:
    """(item, column, value) of one key of the parser's ``proactive`` dict."""
    if code.endswith("_items") and spec.code == code[:-6]:
        return [(spec.code, col, x) for col, x in zip(spec.columns[:2], v)]  # 2019: items_last_year, change
    if isinstance(v, (list, tuple)):
        return [(spec.code, col, x) for col, x in zip(spec.columns, v)]
    col = spec.columns[0] if spec.width == 1 else "decisions"  # 2019 licensing: decisions under the common key
    return [(spec.code, col, v)]


@lru_cache(maxsize=16)
def _proactive_specs(template: str) -> dict[str, schema.RowSpec]:
    """A template's table-2 rows by code (read, never changed, by ``_proactive``)."""
    return {r.code: r for r in schema.PROACTIVE_ROWS.get(template, ())}


def _proactive(out: dict[str, Any], rid: str, proactive: Mapping[str, Any], template: Optional[str],
               notes: list[str]) -> None:
    specs = _proactive_specs(template or "")
    cells: list[tuple[str, str, Any]] = []
    for code, v in proactive.items():
        spec = specs.get(code[:-6] if code.endswith("_items") else code)
        if code == "fees" and template == schema.TEMPLATE_2019 and v is None:
            continue  # NOTE: the parser keeps a null ``fees`` key for 2019 tables, which have no such cell
        if spec is None:
            notes.append(f"proactive: row {code!r} not in the {template} template, not tabulated")
            continue
        cells += _proactive_cells(code, v, spec)
    if not cells:
        return
    cells.sort(key=lambda c: (_ITEM_ORDER[c[0]], _COLUMN_ORDER[c[1]]))  # key order
    out["report_id"].repeat(rid, len(cells))
    out["item"].extend([item for item, _, _ in cells])
    out["column"].extend([col for _, col, _ in cells])
    # a count as float without a call (and without spelling its cell's name, which only a note needs)
    out["value"].extend([float(x) if type(x) is int else _num(x, f"proactive.{item}.{col}", notes)
                         for item, col, x in cells])
    out["template"].repeat(template, len(cells))


_REVIEW_GROUPS = tuple(code.split(".")[0] for code in schema.REVIEW_CODES)
_REVIEW_OUTCOMES = tuple(code.split(".")[1] for code in schema.REVIEW_CODES)


def _review(out: dict[str, Any], rid: str, values: list, notes: list[str]) -> None:
    if not values:
        return
    n = len(schema.REVIEW_CODES)
    vec = list(values[:n]) + [None] * (n - len(values))
    out["report_id"].repeat(rid, n)
    out["group"].extend(_REVIEW_GROUPS)
    out["outcome"].extend(_REVIEW_OUTCOMES)
    out["value"].extend([v if v is None or type(v) is int else _count(v, f"review_litigation.{code}", notes)
                         for code, v in zip(schema.REVIEW_CODES, vec)])


def _sections(out: dict[str, Any], rid: str, sections: Mapping[str, Optional[str]]) -> None:
    rows: list[tuple[str, str, str]] = []
    for code in schema.SECTION_CODES:
        text = sections.get(code)
        if text is None:
            continue
        rows.append((code, "full", text))
        if code == "problems":
            rows += [(code, part, part_text) for part, part_text in split_problems(text).items() if part_text]
    if not rows:
        return
    out["report_id"].repeat(rid, len(rows))
    out["section"].extend([section for section, _, _ in rows])
    out["part"].extend([part for _, part, _ in rows])
    out["text"].extend([text for _, _, text in rows])


def _joined_cells(cells: tuple[str, ...]) -> str:
    """A check's cells as the text of its ``cells`` column."""
    return ", ".join(cells)


def _check_fields(checks: Any) -> tuple[list[Any], ...]:
    """(rule, ok, scope, left, right, cells, detail, candidates) of each check: of ``Check.to_dict()`` dicts
    or of the Check objects themselves (``report_fields``)."""
    if checks and isinstance(checks[0], Mapping):
        return ([c.get("rule") for c in checks], [c.get("ok") for c in checks], [c.get("scope") for c in checks],
                [c.get("left") for c in checks], [c.get("right") for c in checks], [c.get("cells") for c in checks],
                [c.get("detail") for c in checks], [c.get("candidates") for c in checks])
    return ([c.rule for c in checks], [c.ok for c in checks], [c.scope for c in checks], [c.left for c in checks],
            [c.right for c in checks], [c.cells for c in checks], [c.detail for c in checks],
            [c.candidates for c in checks])


def _checks(out: dict[str, Any], rid: str, fields: tuple[list[Any], ...]) -> None:
    rule, ok, scope, left, right, cells, detail, candidates = fields
    n = len(rule)
    if not n:
        return
    out["report_id"].repeat(rid, n)
    out["check_no"].extend(range(n))
    out["rule"].extend(rule)
    out["scope"].extend([x or "" for x in scope])
    out["ok"].extend(ok)
    out["left"].extend([None if x is None else float(x) for x in left])
    out["right"].extend([None if y is None else float(y) for y in right])
    out["difference"].extend([None if x is None or y is None else float(x - y) for x, y in zip(left, right)])
    out["cells"].extend_keyed([tuple(c) if c else () for c in cells], _joined_cells)
    out["detail"].extend(detail)
    out["candidates"].extend([None if c is None else json.dumps(c, ensure_ascii=False) for c in candidates])
