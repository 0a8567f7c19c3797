"""Tidy summaries of the corpus tables: what the notebooks print, the charts draw and the dashboards update.

Every function here is pure: corpus tables (``ogi.load()``, or any mapping of
the same DataFrames) and filters in, a small DataFrame out, with codes from
the schema and a ``label`` column in the language asked for. Nothing is
drawn and nothing is written.

Two layers:

- :func:`prepare` turns the long tables into per-report arrays once (cached
  per corpus): a report frame (one row per report that has data, with the
  filter columns) and, for each table, a :class:`Wide` matrix of values
  aligned to it. Sums over any selection of reports are then one
  matrix-vector product, which keeps a dashboard's filter -> figure time far
  below 150 ms at 100,000 reports.
- Table functions from sums (:func:`outcome_table`, :func:`reason_table`,
  :func:`flow_links`, :func:`review_table`) and the functions the notebooks
  call (:func:`requests_by`, :func:`outcome_shares`, ...), which filter,
  sum and hand the sums to the former.

Honest numbers:

- A blank cell is unknown, never 0: sums skip it, and the tables say how many
  reports had a value (``reports_known``). A report without table 3 is not a
  report of zero requests.
- A share always comes with its denominator ``n``; below :data:`MIN_N` the
  share is left out (NaN) and ``small_n`` is True, so that 3 of 5 is not
  printed as a dramatic 60 %.

Filters are a dict with the keys a :class:`ogi.widgets.FilterPanel` uses:
``year`` (a ``(first, last)`` range or one year), ``province``, ``level``,
``agency_kind``, ``template`` (a code or a list of codes; empty means all).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from . import schema, theme

__all__ = [
    "CHECK_COLUMNS", "FILTERS", "MIN_N", "Prepared", "Wide", "agency_distribution", "apply_filters", "appeal_rates",
    "carry_over", "check_tallies", "checks_by_rule", "corpus_summary", "crosstab_reports", "data_note",
    "filter_mask", "widen",
    "flow_links", "make_filters", "message_counts", "outcome_flow", "outcome_shares", "outcome_table",
    "prepare", "proactive_by", "reason_table", "reasons", "report_frame", "reports_by", "requests_by",
    "review_litigation", "review_table", "status_counts", "tally_checks", "to_look_at", "top_agencies",
]

#: Below this denominator a share is not computed (flagged ``small_n`` instead).
MIN_N = 30
#: Below this many reports the whole corpus is called a sample in :func:`data_note`.
SMALL_CORPUS = 100
#: The filters every notebook offers, as FilterPanel names them.
FILTERS = ("year", "province", "level", "agency_kind", "template")
#: Report statuses whose tables hold data.
DATA_STATUSES = ("ok", "partial")
#: Which reports column the ``template`` filter reads, per table.
TEMPLATE_COLUMNS = {"requests": "template_requests", "proactive": "template_proactive",
                    "review_litigation": "template_review_litigation"}
_FILTER_COLUMNS = {"year": "year", "province": "province", "level": "level", "agency_kind": "agency_kind",
                   "template": "template_requests"}
REPORT_COLUMNS = ("report_id", "path", "agency", "agency_key", "year", "province", "province_code", "level",
                  "agency_kind", "sector", "template_requests", "template_proactive", "template_review_litigation",
                  "status", "n_checks_failed", "n_checks_undecidable")

APPLICANT_CODES = schema.APPLICANT_CODES
REQUEST_ROW_CODES = tuple(dict.fromkeys(r.code for r in schema.REQUEST_ROWS))
#: The six outcome groups of table 3 (三、本年度办理结果), in template order.
OUTCOMES = tuple(g.code for g in schema.REQUEST_GROUPS
                 if g.code in ("granted", "partial", "denied", "unavailable", "not_processed", "other"))
COMPARABLE = tuple(g.code for g in schema.OUTCOME_GROUPS)
#: Rows whose sum is the number of requests handled (both templates; a report has only its own rows).
OUTCOME_ROW_CODES = tuple(dict.fromkeys((*schema.OUTCOME_ROWS[schema.TEMPLATE_2021],
                                         *schema.OUTCOME_ROWS[schema.TEMPLATE_2019])))
#: Sub-reason rows per outcome group, in template order.
REASON_ROWS = {g: tuple(r.code for r in schema.REQUEST_ROWS if r.group == g and "." in r.code)
               for g in ("denied", "unavailable", "not_processed", "other")}
REASON_ROWS["other"] = ("other.no_correction", "other.no_fee", "other.other", "other")
REASON_KINDS = {"denied": "denial_reason", "unavailable": "unavailable_reason",
                "not_processed": "not_processed_reason", "other": "other_reason"}
REVIEW_GROUPS = tuple(g.code for g in schema.REVIEW_GROUPS)
REVIEW_OUTCOMES = tuple(o.code for o in schema.REVIEW_OUTCOMES)
REVIEW_CODES = schema.REVIEW_CODES
#: Table 2 measures compared across reports: (item, column). The 2019 template's
#: licensing, penalty and coercion rows have a ``decisions`` column too, and are
#: counted with the 2021 ones; its document counts (made/published) are not the
#: same measure as ``issued``/``in_force`` and are left out.
PROACTIVE_MEASURES = (("normative_documents", "issued"), ("normative_documents", "in_force"),
                      ("licensing", "decisions"), ("penalty", "decisions"), ("coercion", "decisions"),
                      ("fees", "amount_10k_yuan"))
PROACTIVE_CODES = tuple(dict.fromkeys(f"{r.code}.{c}" for rows in schema.PROACTIVE_ROWS.values()
                                      for r in rows for c in r.columns))
#: Bins of requests per report: (label, lowest, highest); the first is exactly zero.
REQUEST_BINS = (("0", 0, 0), ("1-4", 1, 4), ("5-9", 5, 9), ("10-49", 10, 49), ("50-99", 50, 99),
                ("100-499", 100, 499), ("500-999", 500, 999), ("1000+", 1000, np.inf))

#: English names of the province-level units, by the first two digits of the GB/T 2260 code.
#: NOTE: the schema and ``ogi.regions`` have Chinese names only; this belongs in ``ogi.regions``.
PROVINCE_EN = {
    "11": "Beijing", "12": "Tianjin", "13": "Hebei", "14": "Shanxi", "15": "Inner Mongolia", "21": "Liaoning",
    "22": "Jilin", "23": "Heilongjiang", "31": "Shanghai", "32": "Jiangsu", "33": "Zhejiang", "34": "Anhui",
    "35": "Fujian", "36": "Jiangxi", "37": "Shandong", "41": "Henan", "42": "Hubei", "43": "Hunan",
    "44": "Guangdong", "45": "Guangxi", "46": "Hainan", "50": "Chongqing", "51": "Sichuan", "52": "Guizhou",
    "53": "Yunnan", "54": "Tibet", "61": "Shaanxi", "62": "Gansu", "63": "Qinghai", "64": "Ningxia",
    "65": "Xinjiang", "71": "Taiwan", "81": "Hong Kong", "82": "Macao",
}

_WORDS = {
    "unknown": ("未知", "unknown"),
    "all": ("全部", "all"),
    "handled": ("办理总数", "Requests handled"),
    "received": ("收到的申请", "Requests received"),
}


def _word(key: str, lang: str) -> str:
    zh, en = _WORDS[key]
    return zh if lang == "zh" else en


# --------------------------------------------------------------------------- filters


def make_filters(year: Any = None, province: Any = None, level: Any = None, agency_kind: Any = None,
                 template: Any = None) -> dict[str, Any]:
    """A filters dict from notebook parameters, leaving out what is None or empty.

    ``year`` may be one year, a ``(first, last)`` pair, or None for all years.
    """
    out: dict[str, Any] = {}
    if year is not None:
        out["year"] = (int(year), int(year)) if np.isscalar(year) else tuple(int(y) for y in year)
    for name, value in (("province", province), ("level", level), ("agency_kind", agency_kind),
                        ("template", template)):
        if value is None or (not isinstance(value, str) and len(value) == 0):
            continue
        out[name] = (value,) if isinstance(value, str) else tuple(value)
    return out


def filter_mask(reports: pd.DataFrame, filters: Mapping[str, Any] | None = None, *,
                columns: Mapping[str, str] | None = None) -> np.ndarray:
    """Rows of ``reports`` that pass ``filters`` (vectorised; the semantics of ``FilterPanel.mask``).

    An empty or None filter keeps everything; ``applicant`` is not a report
    filter and is ignored here. A year range drops reports without a year.
    """
    cols = {**_FILTER_COLUMNS, **(columns or {})}
    keep = np.ones(len(reports), dtype=bool)
    for name, value in (filters or {}).items():
        if name == "applicant" or value is None:
            continue
        if name not in cols:
            raise KeyError(f"unknown filter {name!r}; known: {', '.join(FILTERS)}")
        col = reports[cols[name]]
        if name == "year":
            lo, hi = (value, value) if np.isscalar(value) else value
            keep &= col.between(lo, hi).to_numpy(dtype=bool, na_value=False)
        elif isinstance(value, str):
            keep &= (col == value).to_numpy(dtype=bool, na_value=False)
        elif len(value):
            keep &= col.isin(list(value)).to_numpy(dtype=bool, na_value=False)
    return keep


def apply_filters(reports: pd.DataFrame, filters: Mapping[str, Any] | None = None, **kw) -> pd.DataFrame:
    """The rows of ``reports`` that pass ``filters`` (index kept: it aligns with :class:`Wide`)."""
    return reports[filter_mask(reports, filters, **kw)]


# --------------------------------------------------------------------------- per-report arrays


@dataclass(frozen=True, eq=False)
class Wide:
    """One table's values per report: row ``i`` is report ``i`` of the report frame.

    ``values`` holds 0 where a cell is blank or absent, ``known`` (float32, 0/1)
    says where it was printed. Sums over a selection are one matrix-vector product.
    """

    columns: tuple[str, ...]
    values: np.ndarray
    known: np.ndarray

    def __len__(self) -> int:
        return len(self.values)

    def _weights(self, rows, dtype) -> np.ndarray | None:
        if rows is None:
            return None
        rows = np.asarray(rows)
        if rows.dtype == bool:
            return rows.astype(dtype)
        w = np.zeros(len(self.values), dtype=dtype)
        w[rows.astype(np.intp, copy=False)] = 1
        return w

    def sums(self, rows=None) -> pd.Series:
        """Column sums over ``rows`` (positions or a boolean mask; None: all), blanks skipped."""
        w = self._weights(rows, np.float64)
        s = self.values.sum(axis=0) if w is None else w @ self.values
        return pd.Series(s, index=list(self.columns), dtype=float)

    def n_known(self, rows=None) -> pd.Series:
        """Per column, how many of the selected reports printed a value."""
        w = self._weights(rows, np.float32)
        s = self.known.sum(axis=0) if w is None else w @ self.known
        return pd.Series(np.rint(s).astype(np.int64), index=list(self.columns))

    def column(self, code: str, rows=None) -> np.ndarray:
        """One column as floats, NaN where unknown."""
        j = self.columns.index(code)
        v = np.where(self.known[:, j] > 0, self.values[:, j], np.nan)
        return v if rows is None else v[np.asarray(rows)]

    def group_sums(self, keys: np.ndarray, n_groups: int, rows=None) -> np.ndarray:
        """Sums per group: ``keys`` (int codes 0..n_groups-1, -1 = none) -> array (n_groups, columns)."""
        idx = np.arange(len(self.values)) if rows is None else np.asarray(rows)
        if idx.dtype == bool:
            idx = np.flatnonzero(idx)
        k = keys[idx]
        ok = k >= 0
        out = np.zeros((n_groups, len(self.columns)))
        np.add.at(out, k[ok], self.values[idx[ok]])
        return out


def _positions(report_ids: pd.Series, index: pd.Index) -> np.ndarray:
    """Position of each row's report in ``index`` (-1 when absent), through category codes when possible."""
    if isinstance(report_ids.dtype, pd.CategoricalDtype):
        cat_pos = index.get_indexer(report_ids.cat.categories)
        codes = np.asarray(report_ids.cat.codes)
        return np.where(codes >= 0, cat_pos[codes] if len(cat_pos) else -1, -1)
    return index.get_indexer(report_ids)


def _codes_of(col: pd.Series, categories: Sequence[str]) -> np.ndarray:
    if isinstance(col.dtype, pd.CategoricalDtype):
        cat_pos = pd.Index(categories).get_indexer(col.cat.categories.astype(str))
        codes = np.asarray(col.cat.codes)
        return np.where(codes >= 0, cat_pos[codes] if len(cat_pos) else -1, -1)
    return pd.Index(categories).get_indexer(col.astype(str))


def _pivot(table: pd.DataFrame, index: pd.Index, keys: Sequence[tuple[str, Sequence[str]]]):
    """A long table -> (values, known) of shape (n_reports, *key sizes); blanks known=False."""
    n = len(index)
    shape = (n, *(len(c) for _, c in keys))
    values = np.zeros(int(np.prod(shape)))
    known = np.zeros(int(np.prod(shape)), dtype=np.float32)
    if len(table):
        pos = _positions(table["report_id"], index)
        flat = pos.astype(np.int64)
        valid = pos >= 0
        for name, cats in keys:
            c = _codes_of(table[name], cats)
            valid &= c >= 0
            flat = flat * len(cats) + c
        v = table["value"].to_numpy(dtype=float, na_value=np.nan)[valid]
        flat = flat[valid]
        isnum = ~np.isnan(v)
        values[flat[isnum]] = v[isnum]
        known[flat[isnum]] = 1
    return values.reshape(shape), known.reshape(shape)


def report_frame(corpus: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    """One row per report with data (status ok or partial, duplicates once), index 0..n-1.

    The columns are those of ``reports`` a filter or a table needs (:data:`REPORT_COLUMNS`).
    """
    r = corpus["reports"]
    keep = r["status"].isin(DATA_STATUSES).to_numpy(dtype=bool, na_value=False) & r["report_id"].notna().to_numpy()
    cols = [c for c in REPORT_COLUMNS if c in r.columns]
    return r.loc[keep, cols].drop_duplicates("report_id").reset_index(drop=True)


class Prepared:
    """The report frame and its per-report arrays, built once per corpus (see :func:`prepare`)."""

    def __init__(self, corpus: Mapping[str, pd.DataFrame]):
        self.corpus = corpus
        self.reports = report_frame(corpus)
        self._index = pd.Index(self.reports["report_id"].astype(str))

    def __len__(self) -> int:
        return len(self.reports)

    @cached_property
    def filter_frame(self) -> pd.DataFrame:
        """The report frame's filter columns only (year, province, level, agency kind, templates), same index:
        what a dashboard masks and copies on every change, kept narrow so that copy is cheap."""
        cols = [c for c in ("year", "province", "level", "agency_kind", *TEMPLATE_COLUMNS.values())
                if c in self.reports.columns]
        return self.reports[cols]

    @cached_property
    def requests(self) -> dict[str, Wide]:
        """Applicant code -> :class:`Wide` of table 3's rows (:data:`REQUEST_ROW_CODES`)."""
        values, known = _pivot(self.corpus["requests"], self._index,
                               [("row", REQUEST_ROW_CODES), ("applicant", APPLICANT_CODES)])
        return {a: Wide(REQUEST_ROW_CODES, np.ascontiguousarray(values[:, :, j]),
                        np.ascontiguousarray(known[:, :, j]))
                for j, a in enumerate(APPLICANT_CODES)}

    @cached_property
    def review(self) -> Wide:
        """Table 4 as :class:`Wide`, columns ``group.outcome``."""
        values, known = _pivot(self.corpus["review_litigation"], self._index,
                               [("group", REVIEW_GROUPS), ("outcome", REVIEW_OUTCOMES)])
        n = len(self.reports)
        return Wide(REVIEW_CODES, values.reshape(n, -1), known.reshape(n, -1))

    @cached_property
    def proactive(self) -> Wide:
        """Table 2 as :class:`Wide`, columns ``item.column`` (:data:`PROACTIVE_CODES`)."""
        t = self.corpus["proactive"]
        n = len(self.reports)
        if not len(t):
            z = np.zeros((n, len(PROACTIVE_CODES)))
            return Wide(PROACTIVE_CODES, z, z.astype(np.float32))
        code = t["item"].astype(str) + "." + t["column"].astype(str)
        long = pd.DataFrame({"report_id": t["report_id"], "code": code.to_numpy(), "value": t["value"]})
        values, known = _pivot(long, self._index, [("code", PROACTIVE_CODES)])
        return Wide(PROACTIVE_CODES, values, known)

    def select(self, filters: Mapping[str, Any] | None = None, table: str = "requests") -> np.ndarray:
        """Positions of the reports that pass ``filters`` (the template filter reads ``table``'s template)."""
        cols = {"template": TEMPLATE_COLUMNS.get(table, "template_requests")}
        return np.flatnonzero(filter_mask(self.reports, filters, columns=cols))

    def keys(self, by: str) -> tuple[np.ndarray, list]:
        """Integer group codes per report for a ``by`` column, and the group values in order."""
        by = "template_requests" if by == "template" else by
        col = self.reports[by]
        if by == "year":
            years = sorted(int(y) for y in col.dropna().unique())
            return _codes_of(col.astype("Int64").astype(str), [str(y) for y in years]), years
        if by in _KIND_OF_BY:
            order = theme.order(_KIND_OF_BY[by], "code")
            present = set(col.dropna().astype(str))
            values = order if by in ("level", "agency_kind") else [c for c in order if c in present]
            return _codes_of(col, values), values
        values = sorted(col.dropna().astype(str).unique())
        if by == "province":  # by code: the official order (北京, 天津, ...), not by stroke
            codes = self.reports.drop_duplicates("province").set_index("province")["province_code"]
            values = sorted(values, key=lambda p: str(codes.get(p, "99")))
        return _codes_of(col, values), values


_KIND_OF_BY = {"level": "level", "agency_kind": "agency_kind", "template_requests": "template",
               "template_proactive": "template", "template_review_litigation": "template", "template": "template"}
_last: list = []  # (corpus, Prepared) for mappings that take no attribute (a plain dict): the last one


def prepare(corpus: Mapping[str, pd.DataFrame] | Prepared) -> Prepared:
    """The :class:`Prepared` arrays of a corpus, built once and kept on the corpus object.

    An ``ogi.Corpus`` keeps its tables once read, so its arrays are valid for
    its life; they are stored on it. Other mappings (a dict of frames) keep
    only the last one, checked by identity of the reports frame.
    """
    if isinstance(corpus, Prepared):
        return corpus
    reports = corpus["reports"]
    held = getattr(corpus, "__dict__", {}).get("_ogi_prepared")
    if held is None and _last and _last[0][0] is corpus:
        held = _last[0][1]
    if held is not None and held.corpus["reports"] is reports:
        return held
    p = Prepared(corpus)
    if hasattr(corpus, "__dict__"):
        corpus.__dict__["_ogi_prepared"] = p
    else:
        _last[:] = [(corpus, p)]
    return p


# --------------------------------------------------------------------------- labels and shares


def _lang(lang: str | None) -> str:
    return theme.resolve_lang(lang)


def by_labels(by: str, values: Sequence, lang: str, prepared: Prepared | None = None) -> list[str]:
    """Labels of a ``by`` column's values: schema labels, English province names, years as text."""
    if by in _KIND_OF_BY:
        names = theme.labels(_KIND_OF_BY[by], lang)
        return [names.get(str(v), str(v)) for v in values]
    if by == "applicant":
        names = theme.labels("applicant", lang)
        return [names[v] for v in values]
    if by == "province" and lang == "en" and prepared is not None:
        codes = prepared.reports.drop_duplicates("province").set_index("province")["province_code"]
        return [PROVINCE_EN.get(str(codes.get(v, ""))[:2], str(v)) for v in values]
    return [str(v) for v in values]


def share(count, n, min_n: int = MIN_N):
    """``count / n``, NaN where ``n`` is below ``min_n`` (or zero): small numbers are not percentages."""
    count = np.asarray(count, dtype=float)
    n = np.asarray(n, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where((n >= max(min_n, 1)), count / np.where(n > 0, n, 1), np.nan)


def share_text(count: float, n: float, min_n: int = MIN_N, lang: str = "zh") -> str:
    """A share as readers should see it: ``36.5% (19/52)``, or ``3/5, n<30`` when the denominator is small."""
    c, d = int(round(count)), int(round(n))
    if d < max(min_n, 1):
        return f"{c:,}/{d:,}, n<{min_n}" if d else ("无" if lang == "zh" else "none")
    return f"{100 * count / n:.1f}% ({c:,}/{d:,})"


def widen(table: pd.DataFrame, value: str = "count", rows: str = "by_label", columns: str = "label",
          lang: str | None = None, min_n: int = MIN_N) -> pd.DataFrame:
    """A long table (``outcome_shares(by=...)``, ``proactive_by(by=...)``) as a small wide one to read:
    ``rows`` down, ``columns`` across, both in their order of appearance (schema order), groups
    without reports left out.

    ``value="share_text"`` shows each cell as :func:`share_text` of ``count`` over ``n``.
    """
    t = table
    if "reports" in t.columns:
        t = t[t["reports"] > 0]
    elif "n" in t.columns and value == "share_text":
        t = t[t["n"] > 0]
    if value == "share_text":
        lang = _lang(lang)
        t = t.assign(share_text=[share_text(c, n, min_n, lang) for c, n in zip(t["count"], t["n"])])
    out = t.pivot(index=rows, columns=columns, values=value)
    out = out.reindex(index=pd.unique(t[rows]), columns=pd.unique(t[columns]))
    out.index.name = out.columns.name = None
    return out


# --------------------------------------------------------------------------- corpus overview and quality


def status_counts(corpus: Mapping[str, pd.DataFrame], lang: str | None = None) -> pd.DataFrame:
    """Files by status (every status of the schema, zeros included): status, label, files, share."""
    lang = _lang(lang)
    r = corpus["reports"]
    names = theme.labels("status", lang)
    counts = r["status"].astype(str).value_counts().reindex(list(names), fill_value=0)
    n = int(counts.sum())
    return pd.DataFrame({"status": list(names), "label": list(names.values()), "files": counts.to_numpy(),
                         "share": share(counts.to_numpy(), n)})


def status_by_format(corpus: Mapping[str, pd.DataFrame], lang: str | None = None) -> pd.DataFrame:
    """Files by what they were read as (rows: the formats present, in the readers' order; files whose bytes
    could not be opened last) and parse status (columns: every status, zeros included), with a total.

    A user with thousands of scraped files asks which kind fails: scanned PDFs, attachments not read.
    """
    lang = _lang(lang)
    r = corpus["reports"]
    formats = theme.labels("file_format", lang)
    unopened = "未能打开" if lang == "zh" else "Not opened"
    fmt = r["format"].astype("string").fillna("").to_numpy(dtype=object)
    status = r["status"].astype(str).to_numpy(dtype=object)
    statuses = theme.labels("status", lang)
    present = [c for c in [*formats, *sorted(set(fmt) - set(formats) - {""}), ""] if c in set(fmt)]
    row = {c: i for i, c in enumerate(present)}
    col = {c: i for i, c in enumerate(statuses)}
    values = np.zeros((len(present), len(statuses)), dtype=np.int64)
    for f, s in zip(fmt, status):
        if s in col:
            values[row[f], col[s]] += 1
    # the English labels of statuses are sentences: the codes (ok, partial, ...) head the columns
    table = pd.DataFrame(values, index=[formats.get(c, c) if c else unopened for c in present],
                         columns=list(statuses.values()) if lang == "zh" else list(statuses))
    table["总计" if lang == "zh" else "Files"] = values.sum(axis=1)
    table.index.name = "format"
    return table


def corpus_summary(corpus: Mapping[str, pd.DataFrame], lang: str | None = None) -> pd.DataFrame:
    """What the corpus holds, one measure a row: files, reports with data, years, provinces, agencies, templates."""
    lang = _lang(lang)
    r = corpus["reports"]
    p = prepare(corpus)
    rep = p.reports
    years = rep["year"].dropna()
    zh = lang == "zh"
    tmpl = rep["template_requests"].astype(str).value_counts()
    rows = [
        ("files", "文件数" if zh else "Files", len(r)),
        ("reports", "有数据的报告数" if zh else "Reports with data (ok or partial)", len(rep)),
        ("duplicates", "重复文件数" if zh else "Duplicate files", int((r["status"] == "duplicate").sum())),
        ("agencies", "机关数（跨年度）" if zh else "Agencies (across years)", int(rep["agency_key"].nunique())),
        ("years", "年度" if zh else "Years",
         f"{int(years.min())}-{int(years.max())}" if len(years) else "-"),
        ("provinces", "省级行政区数" if zh else "Provinces", int(rep["province"].nunique())),
        ("template_2021", "表三为2021年版模板" if zh else "Table 3 in the 2021 template", int(tmpl.get("2021", 0))),
        ("template_2019", "表三为2019年版模板" if zh else "Table 3 in the 2019-2020 template",
         int(tmpl.get("2019", 0))),
    ]
    return pd.DataFrame(rows, columns=["measure", "label", "value"])


def reports_by(corpus: Mapping[str, pd.DataFrame], by: str = "year", filters: Mapping[str, Any] | None = None,
               lang: str | None = None) -> pd.DataFrame:
    """Reports with data by one column (year, province, level, agency_kind, template_*): code, label, reports, share.

    Levels and agency kinds list every schema category, zeros included.
    """
    lang = _lang(lang)
    p = prepare(corpus)
    rows = p.select(filters)
    keys, values = p.keys(by)
    counts = np.bincount(keys[rows][keys[rows] >= 0], minlength=len(values))
    return pd.DataFrame({by: values, "label": by_labels(by, values, lang, p), "reports": counts,
                         "share": share(counts, len(rows))})


def crosstab_reports(corpus: Mapping[str, pd.DataFrame], rows: str = "year", cols: str = "level",
                     filters: Mapping[str, Any] | None = None, lang: str | None = None) -> pd.DataFrame:
    """Reports with data, ``rows`` x ``cols`` (labels as index and columns), zeros included."""
    lang = _lang(lang)
    p = prepare(corpus)
    sel = p.select(filters)
    rk, rv = p.keys(rows)
    ck, cv = p.keys(cols)
    table = np.zeros((len(rv), len(cv)), dtype=np.int64)
    ok = (rk[sel] >= 0) & (ck[sel] >= 0)
    np.add.at(table, (rk[sel][ok], ck[sel][ok]), 1)
    out = pd.DataFrame(table, index=by_labels(rows, rv, lang, p), columns=by_labels(cols, cv, lang, p))
    out.index.name, out.columns.name = rows, cols
    return out


_CELL = re.compile(r"\b[a-z_]+(?:\.[a-z_]+)+(?:\[[a-z_]+\])?")
_NUMBER = re.compile(r"\d+(?:\.\d+)?")


def message_kind(message: str) -> str:
    """A message with its particulars masked (cells -> <cell>, numbers -> <n>), to count alike messages."""
    return _NUMBER.sub("<n>", _CELL.sub("<cell>", message.strip()))


def message_counts(corpus: Mapping[str, pd.DataFrame], limit: int = 20) -> pd.DataFrame:
    """The parser's and the corpus's messages, alike ones counted together: message, files, example (a path)."""
    r = corpus["reports"][["path", "messages"]].dropna(subset=["messages"])
    if not len(r):
        return pd.DataFrame({"message": pd.Series(dtype=str), "files": pd.Series(dtype="int64"),
                             "example": pd.Series(dtype=str)})
    lines = r.assign(message=r["messages"].str.split("\n")).explode("message")
    lines = lines[lines["message"].str.strip().astype(bool)]
    lines["kind"] = lines["message"].map(message_kind)
    g = lines.groupby("kind", sort=False)
    out = pd.DataFrame({"files": g["path"].nunique(), "example": g["path"].first()})
    out = out.sort_values(["files", "example"], ascending=[False, True]).head(limit)
    return out.reset_index().rename(columns={"kind": "message"})[["message", "files", "example"]]


#: The columns of ``checks`` that the quality summaries read (never its texts: ``cells``, ``detail``).
CHECK_COLUMNS = ("report_id", "rule", "ok")


def _codes(col: pd.Series) -> tuple[np.ndarray, pd.Index]:
    """Integer codes and their values for a column (the categorical's own codes; -1 = null)."""
    if isinstance(col.dtype, pd.CategoricalDtype):
        return np.asarray(col.cat.codes, dtype=np.int64), pd.Index(col.cat.categories.astype(str))
    codes, uniques = pd.factorize(col.astype("string"), use_na_sentinel=True)
    return codes.astype(np.int64), pd.Index(np.asarray(uniques, dtype=object).astype(str))


def tally_checks(checks: pd.DataFrame) -> pd.DataFrame:
    """Checks per report and rule: report_id, rule (categoricals), checks, failed, undecidable (one row per
    pair with checks).

    One pass over the category codes (``np.bincount`` of report x rule): no string is
    built per check, so the cost is linear in the rows with a small constant. Rows
    without a rule are left out; rows without a report id are tallied under a null id.
    """
    rid, rid_values = _codes(checks["report_id"])
    rule, rule_values = _codes(checks["rule"])
    ok = checks["ok"]
    failed = ok.eq(False).to_numpy(dtype=bool, na_value=False)
    undecided = ok.isna().to_numpy()
    n_rid = len(rid_values) + 1  # the last one: a null report id
    rid = np.where(rid >= 0, rid, n_rid - 1)
    keep = rule >= 0
    key = rid[keep] * len(rule_values) + rule[keep]
    size = n_rid * len(rule_values)
    if size <= 4 * len(key) + 1_000_000:  # a dense report x rule grid: linear, no sort
        pairs = np.flatnonzero(np.bincount(key, minlength=size))
        lookup = np.empty(size, dtype=np.int64)
        lookup[pairs] = np.arange(len(pairs))
        where = lookup[key]
    else:  # many report ids that have few checks: count the pairs that occur only
        pairs, where = np.unique(key, return_inverse=True)
    n = len(pairs)
    counts = [np.bincount(where, minlength=n).astype(np.int64)]
    counts += [np.bincount(where, weights=flag[keep], minlength=n).astype(np.int64) for flag in (failed, undecided)]
    rid = pairs // len(rule_values)
    ids = pd.Categorical.from_codes(np.where(rid < n_rid - 1, rid, -1),
                                    dtype=pd.CategoricalDtype(pd.Index(rid_values, dtype="string")))
    rules = pd.Categorical.from_codes(pairs % len(rule_values),
                                      dtype=pd.CategoricalDtype(pd.Index(rule_values, dtype="string")))
    return pd.DataFrame({"report_id": ids, "rule": rules,
                         "checks": counts[0], "failed": counts[1], "undecidable": counts[2]})


def check_tallies(corpus: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    """:func:`tally_checks` of the corpus's ``checks``, once per corpus (kept with :func:`prepare`'s arrays).

    What the quality summaries (:func:`checks_by_rule`, the overview dashboard) read instead
    of the checks table: at most reports x rules rows (0.5 million at 100,000 synthetic
    reports against 14.5 million checks). A built corpus that has not loaded ``checks`` reads
    only its :data:`CHECK_COLUMNS`.
    """
    p = prepare(corpus)
    # A built corpus (``ogi.corpus.Corpus``) reads only these columns of its Parquet file: at 100,000
    # reports ``checks`` has 14.5 million rows, whose ``cells`` and ``detail`` texts are most of the
    # cost of reading it whole (~46 s of CPU and several GB); the three columns take ~3 s.
    read = getattr(corpus, "read", None)
    source = None if callable(read) else corpus["checks"]  # what the tallies were made from
    cached = p.__dict__.get("_check_tallies")
    if cached is not None and cached[0] is source:
        return cached[1]
    if source is None:
        columns = read("checks", columns=CHECK_COLUMNS)
    else:
        columns = pd.DataFrame({k: source[k] for k in CHECK_COLUMNS}, copy=False)
    t = tally_checks(columns)
    p.__dict__["_check_tallies"] = (source, t)
    return t


def checks_by_rule(corpus: Mapping[str, pd.DataFrame], lang: str | None = None) -> pd.DataFrame:
    """Identity checks by rule: checks, failed, undecidable, reports with a failure, share of checks failed."""
    lang = _lang(lang)
    t = check_tallies(corpus)
    rules = [i.rule for i in (*schema.IDENTITIES, *schema.CORPUS_IDENTITIES)] + list(schema.PARSER_RULES)
    observed = t["rule"].cat.categories[np.unique(t["rule"].cat.codes)]
    rules += sorted(set(observed.astype(str)) - set(rules))
    idx = _codes_of(t["rule"], rules)
    n = len(rules)

    def total(values) -> np.ndarray:
        return np.bincount(idx, weights=np.asarray(values, dtype=np.int64), minlength=n).astype(np.int64)

    failed = t["failed"].to_numpy()
    names = {**{i.rule: getattr(i, lang) for i in (*schema.IDENTITIES, *schema.CORPUS_IDENTITIES)},
             **{lab.code: getattr(lab, lang) for lab in schema.PARSER_RULE_LABELS}}
    out = pd.DataFrame({"rule": rules, "label": [names.get(r, r) for r in rules],
                        "checks": total(t["checks"]), "failed": total(failed),
                        "undecidable": total(t["undecidable"]), "reports_failing": total(failed > 0)})
    out["share_failed"] = share(out["failed"], out["checks"])
    return out


_SEVERITY = {"failed": 0, "partial": 1, "not_a_report": 3, "pre2019": 4, "duplicate": 5, "ok": 6}


def to_look_at(corpus: Mapping[str, pd.DataFrame], limit: int = 20) -> pd.DataFrame:
    """Reports to read by hand, worst first: failed files, then partial reports with failed checks,
    undecidable checks or messages, then anything else with a message.

    Columns: path, agency, year, status, failed (checks), undecidable, why (the first message).
    """
    r = corpus["reports"]
    failed = r["n_checks_failed"].fillna(0).astype("int64")
    undecidable = r["n_checks_undecidable"].fillna(0).astype("int64")
    status = r["status"].astype(str)
    flagged = status.isin(["failed", "partial"]) | (failed > 0) | (undecidable > 0) | r["messages"].notna()
    flagged &= status != "duplicate"
    out = pd.DataFrame({
        "path": r["path"], "agency": r["agency"], "year": r["year"], "status": status,
        "failed": failed, "undecidable": undecidable,
        "why": r["messages"].fillna("").str.split("\n").str[0].str.slice(0, 80),
    })[flagged.to_numpy(dtype=bool, na_value=False)]
    out["_rank"] = out["status"].map(_SEVERITY).fillna(2)
    out = out.sort_values(["_rank", "failed", "undecidable", "path"], ascending=[True, False, False, True])
    return out.drop(columns="_rank").head(limit).reset_index(drop=True)


def data_note(corpus: Mapping[str, pd.DataFrame], filters: Mapping[str, Any] | None = None,
              lang: str | None = None, table: str = "requests") -> str:
    """One paragraph on how much data a selection holds, and what that allows."""
    lang = _lang(lang)
    p = prepare(corpus)
    sel = p.select(filters, table)
    rep = p.reports.iloc[sel]
    years = rep["year"].dropna()
    span = f"{int(years.min())}-{int(years.max())}" if len(years) else "-"
    n, agencies, provinces = len(rep), rep["agency_key"].nunique(), rep["province"].nunique()
    zh = lang == "zh"
    text = (f"所选范围：{n} 份报告（{agencies} 个机关，{provinces} 个省级行政区，{span} 年度）。" if zh else
            f"Selection: {n} reports ({agencies} agencies, {provinces} provinces, years {span}).")
    if n < SMALL_CORPUS:
        text += (f"这是很小的样本（少于 {SMALL_CORPUS} 份）：下面的数字只描述这几份报告，不能代表全国；"
                 f"分母小于 {MIN_N} 的比例不计算，只给出件数。" if zh else
                 f" This is a tiny sample (fewer than {SMALL_CORPUS} reports): the numbers below describe these "
                 f"reports only and say nothing about China as a whole; shares with a denominator below {MIN_N} "
                 f"are not computed, only counts are shown.")
    return text


# --------------------------------------------------------------------------- request volumes


def _by_sums(p: Prepared, wide: Wide, by: str, rows: np.ndarray):
    keys, values = p.keys(by)
    sums = wide.group_sums(keys, len(values), rows)
    known = np.zeros((len(values), len(wide.columns)))
    idx = rows[keys[rows] >= 0]
    np.add.at(known, keys[idx], wide.known[idx])
    reports = np.bincount(keys[rows][keys[rows] >= 0], minlength=len(values))
    return values, sums, known, reports


def requests_by(corpus: Mapping[str, pd.DataFrame], by: str = "year", filters: Mapping[str, Any] | None = None,
                row: str = "new", applicant: str = "total", lang: str | None = None) -> pd.DataFrame:
    """Requests of one row of table 3 (default: new this year) by applicant type, year, province, level,
    agency kind or template.

    Columns: the ``by`` code, label, requests, share (of all requests shown; NaN below :data:`MIN_N`),
    reports (in the group), reports_known (that printed the cell).
    """
    lang = _lang(lang)
    p = prepare(corpus)
    rows = p.select(filters)
    j = REQUEST_ROW_CODES.index(row)
    if by == "applicant":
        codes = [a for a in APPLICANT_CODES if a != "total"]
        req = np.array([p.requests[a].values[rows, j].sum() for a in codes])
        known = np.array([int(p.requests[a].known[rows, j].sum()) for a in codes])
        reports = np.full(len(codes), len(rows))
        values = codes
    else:
        by_col = "template_requests" if by == "template" else by
        values, sums, kn, reports = _by_sums(p, p.requests[applicant], by_col, rows)
        req, known = sums[:, j], kn[:, j].astype(np.int64)
        by = by_col
    total = req.sum()
    return pd.DataFrame({by: values, "label": by_labels(by, values, lang, p), "requests": req.astype(np.int64),
                         "share": share(req, total), "reports": reports, "reports_known": known})


def bin_requests(values: np.ndarray, lang: str = "zh") -> pd.DataFrame:
    """Reports by number of requests (:data:`REQUEST_BINS`; NaN = not printed): bin, reports, requests."""
    v = np.asarray(values, dtype=float)
    unknown = np.isnan(v)
    rows = []
    for label, lo, hi in REQUEST_BINS:
        inside = ~unknown & (v >= lo) & (v <= hi)
        rows.append((label, int(inside.sum()), float(v[inside].sum())))
    rows.append((_word("unknown", lang), int(unknown.sum()), np.nan))
    out = pd.DataFrame(rows, columns=["bin", "reports", "requests"])
    n, total = int((~unknown).sum()), float(v[~unknown].sum())
    out["share_reports"] = share(out["reports"], n)
    out.loc[out.index[-1], "share_reports"] = np.nan
    out["share_requests"] = share(out["requests"], total)
    return out


def agency_distribution(corpus: Mapping[str, pd.DataFrame], filters: Mapping[str, Any] | None = None,
                        row: str = "new", applicant: str = "total", lang: str | None = None) -> pd.DataFrame:
    """How requests spread over reports (one agency-year each): reports and requests per size bin,
    the zero bin first and reports that did not print the cell last.

    Shares of reports are of those that printed the cell; most agencies receive none.
    """
    p = prepare(corpus)
    rows = p.select(filters)
    return bin_requests(p.requests[applicant].column(row, rows), _lang(lang))


def top_agencies(corpus: Mapping[str, pd.DataFrame], n: int = 10, filters: Mapping[str, Any] | None = None,
                 row: str = "new", applicant: str = "total", lang: str | None = None) -> pd.DataFrame:
    """The ``n`` reports with the most requests: agency, year, province, level, requests, share of all
    requests in the selection, and the cumulative share."""
    lang = _lang(lang)
    p = prepare(corpus)
    rows = p.select(filters)
    v = p.requests[applicant].column(row, rows)
    total = np.nansum(v)
    order = np.argsort(-np.nan_to_num(v, nan=-1), kind="stable")[:n]
    rep = p.reports.iloc[rows[order]]
    req = v[order]
    out = pd.DataFrame({
        "agency": rep["agency"].to_numpy(), "year": rep["year"].to_numpy(),
        "province": by_labels("province", rep["province"].tolist(), lang, p),
        "level": by_labels("level", rep["level"].astype(str).tolist(), lang),
        "requests": pd.array(np.where(np.isnan(req), None, req), dtype="Int64"),
    })
    out["share"] = share(req, total)
    out["cumulative_share"] = share(np.nancumsum(req), total)
    out.index = pd.RangeIndex(1, len(out) + 1, name="rank")
    return out


def carry_over(corpus: Mapping[str, pd.DataFrame], filters: Mapping[str, Any] | None = None, by: str = "year",
               applicant: str = "total", lang: str | None = None) -> pd.DataFrame:
    """Carried over from last year, new, handled and carried forward to next year, by ``by``.

    ``carried_forward_share`` = carried forward / (new + carried over): the part of
    the year's caseload left open (NaN below :data:`MIN_N`).
    """
    lang = _lang(lang)
    p = prepare(corpus)
    rows = p.select(filters)
    values, sums, _, reports = _by_sums(p, p.requests[applicant], by, rows)
    col = {c: REQUEST_ROW_CODES.index(c) for c in ("carried_over", "new", "total", "carry_forward")}
    out = pd.DataFrame({by: values, "label": by_labels(by, values, lang, p), "reports": reports})
    for name, c in (("carried_over", "carried_over"), ("new", "new"), ("handled", "total"),
                    ("carried_forward", "carry_forward")):
        out[name] = sums[:, col[c]].astype(np.int64)
    out["carried_forward_share"] = share(out["carried_forward"], out["new"] + out["carried_over"])
    return out


# --------------------------------------------------------------------------- outcomes


def outcome_table(sums: pd.Series, grouping: str = "official", min_n: int = MIN_N,
                  lang: str | None = None) -> pd.DataFrame:
    """Outcome counts and shares from the sums of table 3's rows (one applicant column).

    Parameters
    ----------
    sums : Series
        Row code -> number (e.g. ``Wide.sums()`` of one applicant).
    grouping : {"official", "comparable"}
        The six groups of the template (granted, partial, denied, unavailable,
        not processed, other) or the comparable groups of ``schema.OUTCOME_GROUPS``.

    Returns
    -------
    DataFrame
        outcome, label, count, n (requests handled: the sum of the outcome rows,
        so that shares add up to one), share (NaN when n < min_n), small_n.
    """
    lang = _lang(lang)
    if grouping not in _GROUP_MEMBERS:
        raise ValueError(f"grouping must be 'official' or 'comparable', not {grouping!r}")
    kind, groups, members = _GROUP_MEMBERS[grouping]
    v = _row_vector(sums)
    counts = members @ v
    n = counts.sum()
    names = theme.labels(kind, lang)
    return pd.DataFrame({"outcome": list(groups), "label": [names[g] for g in groups],
                         "count": np.rint(counts).astype(np.int64), "n": np.int64(n),
                         "share": share(counts, n, min_n), "small_n": n < min_n})


def _row_vector(sums: pd.Series) -> np.ndarray:
    """Sums in :data:`REQUEST_ROW_CODES` order as an array (absent rows 0); fast for Wide.sums output."""
    if tuple(sums.index) == REQUEST_ROW_CODES:
        return sums.to_numpy(dtype=float)
    return sums.reindex(list(REQUEST_ROW_CODES), fill_value=0).to_numpy(dtype=float)


def _membership(groups: Mapping[str, Sequence[str]]) -> np.ndarray:
    m = np.zeros((len(groups), len(REQUEST_ROW_CODES)))
    for i, rows in enumerate(groups.values()):
        for r in rows:
            m[i, REQUEST_ROW_CODES.index(r)] = 1
    return m


_OFFICIAL = {g: [r for r in OUTCOME_ROW_CODES if r.split(".")[0] == g] for g in OUTCOMES}
_COMPARABLE = {g.code: list(g.rows) for g in schema.OUTCOME_GROUPS}
_GROUP_MEMBERS = {"official": ("outcome", tuple(_OFFICIAL), _membership(_OFFICIAL)),
                  "comparable": ("outcome_group", tuple(_COMPARABLE), _membership(_COMPARABLE))}
_HANDLED = _membership({"handled": OUTCOME_ROW_CODES})[0]


def outcome_shares(corpus: Mapping[str, pd.DataFrame], filters: Mapping[str, Any] | None = None,
                   by: str | None = None, applicant: str = "total", grouping: str = "official",
                   min_n: int = MIN_N, lang: str | None = None) -> pd.DataFrame:
    """:func:`outcome_table` for a selection, overall or for each value of ``by`` (level, year, ...).

    With ``by``, the first two columns are the group's code and label (``by``, ``by_label``).
    """
    lang = _lang(lang)
    p = prepare(corpus)
    rows = p.select(filters)
    wide = p.requests[applicant]
    if by is None:
        return outcome_table(wide.sums(rows), grouping, min_n, lang)
    if by == "applicant":  # one table per applicant column, the total last
        values = list(APPLICANT_CODES)
        sums = np.array([p.requests[a].sums(rows).to_numpy() for a in values])
    else:
        values, sums, _, _ = _by_sums(p, wide, by, rows)
    labels = by_labels(by, values, lang, p)
    parts = []
    for v, lab, s in zip(values, labels, sums):
        t = outcome_table(pd.Series(s, index=list(wide.columns)), grouping, min_n, lang)
        t.insert(0, "by_label", lab)
        t.insert(0, by, v)
        parts.append(t)
    return pd.concat(parts, ignore_index=True) if parts else outcome_table(wide.sums([]), grouping, min_n, lang)


def reason_table(sums: pd.Series, group: str = "denied", min_n: int = MIN_N,
                 lang: str | None = None) -> pd.DataFrame:
    """The sub-reasons of one outcome group from the sums of table 3's rows.

    ``group`` is ``denied`` (the eight reasons of 不予公开), ``unavailable``,
    ``not_processed`` or ``other`` (2021 rows, and the 2019 template's single
    ``other`` row). Columns: reason, label, count, n (the group's total),
    share (of the group; NaN below ``min_n``), handled, share_of_handled, small_n.
    """
    lang = _lang(lang)
    if group not in REASON_ROWS:
        raise ValueError(f"group must be one of {list(REASON_ROWS)}, not {group!r}")
    rows = list(REASON_ROWS[group])
    names = theme.labels(REASON_KINDS[group], lang)
    if "other" in rows:
        names = {**names, "other": ("其他处理（2019年版模板）" if lang == "zh" else "Other handling (2019 template)")}
    v = _row_vector(sums)
    counts = v[[REQUEST_ROW_CODES.index(r) for r in rows]]
    n = counts.sum()
    handled = float(_HANDLED @ v)
    return pd.DataFrame({"reason": rows, "label": [names[r] for r in rows], "count": counts.astype(np.int64),
                         "n": np.int64(n), "share": share(counts, n, min_n), "handled": np.int64(handled),
                         "share_of_handled": share(counts, handled, min_n), "small_n": n < min_n})


def reasons(corpus: Mapping[str, pd.DataFrame], group: str = "denied", filters: Mapping[str, Any] | None = None,
            applicant: str = "total", min_n: int = MIN_N, lang: str | None = None) -> pd.DataFrame:
    """:func:`reason_table` for a selection of reports."""
    p = prepare(corpus)
    return reason_table(p.requests[applicant].sums(p.select(filters)), group, min_n, lang)


def flow_links(sums: pd.Series, lang: str | None = None, reasons_of: Sequence[str] = ("denied",)) -> pd.DataFrame:
    """Links of a flow (sankey) from requests to outcomes, from the sums of table 3's rows.

    new and carried over -> received; received -> the six outcome groups and
    carried forward; each group in ``reasons_of`` -> its sub-reasons. Links of
    zero are kept (a dashboard updates values in place, so the links stay put).

    Columns: source, target (node codes), value, source_label, target_label, color_kind.
    """
    lang = _lang(lang)
    s = sums.reindex(REQUEST_ROW_CODES, fill_value=0)
    groups = theme.labels("request_group", lang)
    links = [("new", "received", s["new"]), ("carried_over", "received", s["carried_over"])]
    for g in OUTCOMES:
        links.append(("received", g, float(s[[r for r in OUTCOME_ROW_CODES if r.split(".")[0] == g]].sum())))
    links.append(("received", "carry_forward", s["carry_forward"]))
    names = {**groups, "received": _word("received", lang)}
    for g in reasons_of:
        kind = REASON_KINDS[g]
        sub = theme.labels(kind, lang)
        for r in REASON_ROWS[g]:
            if r in sub:
                links.append((g, r, s[r]))
                names[r] = sub[r]
    out = pd.DataFrame(links, columns=["source", "target", "value"])
    out["source_label"] = out["source"].map(names)
    out["target_label"] = out["target"].map(names)
    return out


def outcome_flow(corpus: Mapping[str, pd.DataFrame], filters: Mapping[str, Any] | None = None,
                 applicant: str = "total", lang: str | None = None) -> pd.DataFrame:
    """:func:`flow_links` for a selection of reports."""
    p = prepare(corpus)
    return flow_links(p.requests[applicant].sums(p.select(filters)), lang)


# --------------------------------------------------------------------------- reconsideration and litigation


def review_table(sums: pd.Series, min_n: int = MIN_N, lang: str | None = None) -> pd.DataFrame:
    """Table 4 by group from its sums (``group.outcome`` -> number).

    Columns: group, label, upheld, corrected, other, pending, total, decided
    (upheld + corrected + other), correction_rate (corrected / decided; NaN
    when decided < min_n), small_n. A last row ``litigation`` adds the two
    litigation groups.
    """
    lang = _lang(lang)
    s = sums.reindex(list(REVIEW_CODES), fill_value=0)
    names = theme.labels("review_group", lang)
    groups = list(REVIEW_GROUPS) + ["litigation"]
    names = {**names, "litigation": "行政诉讼（合计）" if lang == "zh" else "Litigation (both kinds)"}
    data = {o: [] for o in REVIEW_OUTCOMES}
    for g in groups:
        parts = ["litigation_direct", "litigation_after_review"] if g == "litigation" else [g]
        for o in REVIEW_OUTCOMES:
            data[o].append(sum(float(s[f"{q}.{o}"]) for q in parts))
    out = pd.DataFrame({"group": groups, "label": [names[g] for g in groups],
                        **{o: np.array(v).astype(np.int64) for o, v in data.items()}})
    out["decided"] = out["upheld"] + out["corrected"] + out["other"]
    out["correction_rate"] = share(out["corrected"], out["decided"], min_n)
    out["small_n"] = out["decided"] < min_n
    return out


def review_litigation(corpus: Mapping[str, pd.DataFrame], filters: Mapping[str, Any] | None = None,
                      min_n: int = MIN_N, lang: str | None = None) -> pd.DataFrame:
    """:func:`review_table` for a selection of reports (the template filter reads table 4's template)."""
    p = prepare(corpus)
    return review_table(p.review.sums(p.select(filters, "review_litigation")), min_n, lang)


def appeal_rates(corpus: Mapping[str, pd.DataFrame], filters: Mapping[str, Any] | None = None, by: str = "year",
                 per: int = 1000, min_n: int = MIN_N, lang: str | None = None) -> pd.DataFrame:
    """Reconsideration and litigation set against request volumes, by ``by``.

    Columns: the ``by`` code, label, reports, new_requests, handled, review (cases),
    litigation (both kinds), review_per_<per>, litigation_per_<per> (cases per
    ``per`` requests handled; NaN when fewer than ``min_n`` were handled),
    review_corrected, review_correction_rate (of decided reconsiderations; NaN
    below ``min_n``), small_n (handled < min_n).
    """
    lang = _lang(lang)
    p = prepare(corpus)
    rows = p.select(filters)
    values, rs, _, reports = _by_sums(p, p.requests["total"], by, rows)
    _, vs, _, _ = _by_sums(p, p.review, by, rows)
    col = {c: i for i, c in enumerate(p.review.columns)}
    new = rs[:, REQUEST_ROW_CODES.index("new")]
    handled = rs[:, REQUEST_ROW_CODES.index("total")]
    review = vs[:, col["review.total"]]
    litigation = vs[:, col["litigation_direct.total"]] + vs[:, col["litigation_after_review.total"]]
    corrected = vs[:, col["review.corrected"]]
    decided = sum(vs[:, col[f"review.{o}"]] for o in ("upheld", "corrected", "other"))
    out = pd.DataFrame({by: values, "label": by_labels(by, values, lang, p), "reports": reports,
                        "new_requests": new.astype(np.int64), "handled": handled.astype(np.int64),
                        "review": review.astype(np.int64), "litigation": litigation.astype(np.int64)})
    out[f"review_per_{per}"] = share(review, handled, min_n) * per
    out[f"litigation_per_{per}"] = share(litigation, handled, min_n) * per
    out["review_corrected"] = corrected.astype(np.int64)
    out["review_correction_rate"] = share(corrected, decided, min_n)
    out["small_n"] = handled < min_n
    return out


# --------------------------------------------------------------------------- proactive disclosure


def proactive_measure_labels(lang: str | None = None) -> dict[str, str]:
    """``item.column`` -> a short label for each of :data:`PROACTIVE_MEASURES`."""
    lang = _lang(lang)
    items = theme.labels("proactive_row", lang)
    cols = theme.labels("proactive_column", lang)
    out = {}
    for item, column in PROACTIVE_MEASURES:
        if lang == "zh":
            col = {"issued": "本年制发", "in_force": "现行有效", "decisions": "决定数", "amount_10k_yuan": "金额（万元）"}
            out[f"{item}.{column}"] = f"{items[item]}：{col.get(column, cols[column])}"
        else:
            item_en = {"normative_documents": "Normative documents", "licensing": "Licensing",
                       "penalty": "Penalties", "coercion": "Coercion", "fees": "Fees"}.get(item, items[item])
            col = {"issued": "issued", "in_force": "in force", "decisions": "decisions",
                   "amount_10k_yuan": "10,000 yuan"}
            out[f"{item}.{column}"] = f"{item_en}: {col.get(column, cols[column])}"
    return out


def proactive_by(corpus: Mapping[str, pd.DataFrame], by: str | None = "level",
                 filters: Mapping[str, Any] | None = None, lang: str | None = None) -> pd.DataFrame:
    """Proactive disclosure (:data:`PROACTIVE_MEASURES`) by ``by`` (level, year, ...; None: overall).

    Columns: [``by``, by_label,] measure, label, total, reports (in the group),
    reports_known (printed the cell), reports_nonzero, median (per report that printed it).
    The template filter reads table 2's template.
    """
    lang = _lang(lang)
    p = prepare(corpus)
    rows = p.select(filters, "proactive")
    wide = p.proactive
    measures = [f"{i}.{c}" for i, c in PROACTIVE_MEASURES]
    labels = proactive_measure_labels(lang)
    if by is None:
        keys, values = np.zeros(len(p.reports), dtype=np.intp), [None]
    else:
        keys, values = p.keys(by)
    group_labels = by_labels(by, values, lang, p) if by is not None else [_word("all", lang)]
    columns = {m: wide.column(m) for m in measures}
    records = []
    for k, (v, vl) in enumerate(zip(values, group_labels)):
        idx = rows[keys[rows] == k]
        for m in measures:
            col = columns[m][idx]
            known = col[~np.isnan(col)]
            rec = {"measure": m, "label": labels[m], "total": float(known.sum()), "reports": len(idx),
                   "reports_known": len(known), "reports_nonzero": int((known != 0).sum()),
                   "median": float(np.median(known)) if len(known) else np.nan}
            if by is not None:
                rec = {by: v, "by_label": vl, **rec}
            records.append(rec)
    return pd.DataFrame(records)
