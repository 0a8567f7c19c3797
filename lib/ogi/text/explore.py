"""What notebook 06 shows of the text tables: theme shares with their denominators, keywords by group,
the real sentences behind a theme or a word, and how much of each report is boilerplate.

Every function takes the text tables (``ogi.text.load_text(corpus)``) and
filters, and returns a small DataFrame; nothing is drawn. Filters are those of
``ogi.analysis`` (``year``, ``province``, ``level``, ``agency_kind``,
``template``) plus ``part`` (``problems``, ``improvements``,
``rectification``, or several).

Honest numbers, as in ``ogi.analysis``:

- A theme's share is the share of the selected *statements* (one problem or
  one measure each) that mention it; a statement can mention several themes,
  so shares do not add up to 1. Every share comes with its denominator ``n``;
  below ``analysis.MIN_N`` (30) statements the share is not computed
  (``small_n``), and ``share_text`` reads ``3/12, n<30``.
- Statements no theme matched are the theme ``unthemed``: counted, listed
  (:func:`unthemed`), never dropped. Sentences that introduce a list
  (``lead``) are statements too: some say something (人手相对短缺), most are
  formulas, and the unthemed list shows which.
- Boilerplate has two measures. From the same agency: the share of a
  report's problems-section 3-grams found in that agency's previous report
  (``share_prev``; ``text_tables``' ``repeats``). From other agencies: the
  share of the report's statement text (by characters) made of statements
  that nearly duplicate (3-gram Jaccard >= 0.6) a statement of another
  agency's report of the same or an earlier year (``share_other``; the
  ``copies`` table, made from ``similar_pairs`` when the tables are built).
  Statements under 8 characters are never called copies.

What is read: the statements (without their tokens), the themes' keys, the
tokens as one Arrow column, ``copies`` and ``repeats`` (a row per report).
``similar_pairs`` (millions of rows in a large corpus) is never loaded whole:
``copied_pairs`` reads it a row group at a time and keeps the best rows.
Report columns are joined to the statements as categoricals (values sorted),
so a statement costs a few integers beyond its text.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Mapping, Sequence
from typing import Any, Optional

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from .. import analysis, theme
from .similarity import _sorted_unique
from .store import TextTables, load_text
from .themes import UNTHEMED, load_themes

__all__ = [
    "BOILERPLATE_BINS", "MIN_N", "PARTS", "PART_COLORS", "as_text", "boilerplate", "boilerplate_bins",
    "codebook_table", "copied_pairs", "filter_statements", "group_codes", "kwic", "mark", "part_labels",
    "statement_counts", "statement_frame", "text_note", "theme_labels", "theme_matrix", "theme_shares", "theme_table",
    "top_keywords", "unthemed",
]

MIN_N = analysis.MIN_N
PARTS = ("problems", "improvements", "rectification")
#: Colours of the parts of section 五, from the Okabe-Ito palette of ``ogi.theme``.
#: NOTE: ``ogi.theme`` has no colours for ``section_part``; these belong there.
PART_COLORS = {"problems": theme.OKABE_ITO["vermillion"], "improvements": theme.OKABE_ITO["bluish_green"],
               "rectification": theme.OKABE_ITO["sky_blue"]}
#: Report columns joined to each statement (those present in the corpus's reports table).
REPORT_COLUMNS = ("path", "agency", "agency_key", "year", "province", "province_code", "level", "agency_kind",
                  "template_requests")
#: Bins of a boilerplate share: (label, lowest, highest) as fractions; the highest bin includes 1.
BOILERPLATE_BINS = (("0-10%", 0.0, 0.1), ("10-30%", 0.1, 0.3), ("30-50%", 0.3, 0.5), ("50-70%", 0.5, 0.7),
                    ("70-90%", 0.7, 0.9), ("90-100%", 0.9, 1.0))
COPY_THRESHOLD = 0.6  # the threshold of ``text_tables`` (its default), quoted in notes

_WORDS = {
    "all": ("全部", "All"),
    "unthemed": ("未归入任何主题", "Unthemed (no indicator term found)"),
    "no_earlier": ("无更早报告", "no earlier report"),
}


def _w(key: str, lang: str) -> str:
    zh, en = _WORDS[key]
    return zh if lang == "zh" else en


# --------------------------------------------------------------------------- the tables, once per corpus


def as_text(obj: Any) -> TextTables:
    """The text tables of a corpus (``load_text``, kept on the corpus object), or ``obj`` if it is one."""
    if isinstance(obj, TextTables):
        return obj
    held = getattr(obj, "__dict__", {}).get("_ogi_text")
    if held is not None and held.reports is obj["reports"]:
        return held
    text = load_text(obj)
    if hasattr(obj, "__dict__"):
        obj.__dict__["_ogi_text"] = text
    return text


def _derived(text: TextTables) -> dict:
    return text.__dict__.setdefault("_explore", {})


def _report_meta(reports: pd.DataFrame) -> pd.DataFrame:
    """One row per report id (a duplicate file's row is the same report), with the columns a filter or a table needs."""
    d = reports.__dict__.setdefault("_ogi_text_meta", {})  # once per reports frame
    if "meta" in d:
        return d["meta"]
    r = reports
    if "status" in r.columns:  # the row holding the data first
        r = r.assign(_dup=(r["status"].astype("string") == "duplicate").fillna(False)).sort_values(
            "_dup", kind="mergesort")
    cols = [c for c in REPORT_COLUMNS if c in r.columns]
    meta = r.dropna(subset=["report_id"]).drop_duplicates("report_id")[["report_id", *cols]]
    meta = meta.assign(report_id=meta["report_id"].astype(str))
    if "agency" not in meta.columns:
        meta["agency"] = meta["agency_key"] if "agency_key" in meta.columns else pd.NA
    d["meta"] = meta.reset_index(drop=True)
    return d["meta"]


def _sorted_categorical(values: pd.Series) -> pd.Series:
    """Strings as a categorical whose categories are sorted: it sorts and compares as the strings do."""
    if values.dtype.kind in "biuf" or isinstance(values.dtype, (pd.Int64Dtype, pd.Float64Dtype)):
        return values
    obj = values.astype(object).where(values.notna(), None)
    cats = sorted({v for v in obj.tolist() if v is not None}, key=str)
    return pd.Series(pd.Categorical(obj, categories=cats), index=values.index, name=values.name)


def _positions(values: pd.Series, index: pd.Index) -> np.ndarray:
    """Position in ``index`` of each value (-1: absent), through the categories when ``values`` is categorical."""
    if isinstance(values.dtype, pd.CategoricalDtype):
        where = index.get_indexer(values.cat.categories.astype(str))
        codes = values.cat.codes.to_numpy()
        return np.where(codes >= 0, where[np.maximum(codes, 0)] if len(where) else -1, -1)
    return index.get_indexer(values.astype(str))


def statement_frame(text: TextTables) -> pd.DataFrame:
    """One row per statement, in the statements table's order, with its report's agency, year, province,
    level and agency kind. Index 0..n-1, aligned with :func:`theme_matrix`.

    ``report_id`` and the report columns are categoricals with sorted categories (a statement holds
    codes, not strings); ``part`` is a plain column. The tokens are not here (see ``top_keywords``).
    """
    d = _derived(text)
    if "frame" not in d:
        st = text.read("statements", ["report_id", "part", "idx", "text", "lead"])
        rid = st["report_id"] if isinstance(st["report_id"].dtype, pd.CategoricalDtype) else \
            _sorted_categorical(st["report_id"].astype(str))
        meta = _report_meta(text.reports)
        rows = _positions(rid, pd.Index(meta["report_id"]))
        frame = pd.DataFrame({"report_id": rid.array, "part": st["part"].astype(str).to_numpy(),
                              "idx": st["idx"].to_numpy(), "text": st["text"], "lead": st["lead"]})
        for col in meta.columns.drop("report_id"):
            values = _sorted_categorical(meta[col])
            taken = values.iloc[np.maximum(rows, 0)] if len(meta) else pd.Series([pd.NA] * len(rows))
            taken = taken.reset_index(drop=True)
            if (rows < 0).any():
                taken = taken.where(pd.Series(rows >= 0))
            frame[col] = taken
        d["frame"] = frame
    return d["frame"]


def _report_codes(frame: pd.DataFrame) -> np.ndarray:
    """An integer per statement naming its report (for counting reports)."""
    col = frame["report_id"]
    if isinstance(col.dtype, pd.CategoricalDtype):
        return col.cat.codes.to_numpy()
    return pd.factorize(col)[0]


def _distinct(codes: np.ndarray) -> int:
    """How many different non-negative codes (a count, no sort)."""
    codes = codes[codes >= 0]
    return int(np.count_nonzero(np.bincount(codes))) if len(codes) else 0


def _theme_codes(text: TextTables) -> list[str]:
    return [str(c) for c in text.themes["code"]] + [UNTHEMED]


def _report_index(frame: pd.DataFrame) -> pd.Index:
    """The report ids of a statement frame, each once (its categories)."""
    col = frame["report_id"]
    if isinstance(col.dtype, pd.CategoricalDtype):
        return pd.Index(col.cat.categories.astype(str))
    return pd.Index(pd.unique(col.astype(str)))


def _statement_keys(report: pd.Series, part: pd.Series, idx: pd.Series, reports: pd.Index) -> np.ndarray:
    """(report, part, idx) as one int64 per row, reports numbered by their position in ``reports``."""
    r = _positions(report, reports)
    p = _positions(part, pd.Index(PARTS))
    i = idx.to_numpy(dtype=np.int64, na_value=-1)
    ok = (r >= 0) & (p >= 0) & (i >= 0)
    return np.where(ok, (r * len(PARTS) + p) * (1 << 24) + i, -1)


def theme_matrix(text: TextTables) -> tuple[np.ndarray, list[str]]:
    """A boolean matrix (statements x themes, ``unthemed`` last), rows aligned with :func:`statement_frame`."""
    d = _derived(text)
    if "matrix" not in d:
        frame = statement_frame(text)
        codes = _theme_codes(text)
        th = text.read("statement_themes", ["report_id", "part", "idx", "theme"])
        reports = _report_index(frame)
        pos = pd.Index(_statement_keys(frame["report_id"], frame["part"], frame["idx"], reports))
        row = pos.get_indexer(_statement_keys(th["report_id"], th["part"], th["idx"], reports))
        col = pd.Index(codes).get_indexer(th["theme"].astype(str))
        ok = (row >= 0) & (col >= 0)
        m = np.zeros((len(frame), len(codes)), dtype=bool)
        m[row[ok], col[ok]] = True
        d["matrix"] = (m, codes)
    return d["matrix"]


# --------------------------------------------------------------------------- labels and filters


def theme_labels(text: TextTables, lang: str | None = None) -> dict[str, str]:
    """Theme code -> name in ``lang`` (from the codebook), ``unthemed`` last."""
    lang = theme.resolve_lang(lang)
    col = "name_zh" if lang == "zh" else "name_en"
    out = {str(c): str(n) for c, n in zip(text.themes["code"], text.themes[col])}
    out[UNTHEMED] = _w("unthemed", lang)
    return out


def part_labels(lang: str | None = None) -> dict[str, str]:
    """Part code -> label (the schema's ``section_part`` labels)."""
    names = theme.labels("section_part", lang)
    return {p: names[p] for p in PARTS}


def filter_statements(frame: pd.DataFrame, filters: Mapping[str, Any] | None = None) -> np.ndarray:
    """Rows of a statement frame that pass ``filters`` (those of ``ogi.analysis`` plus ``part``), vectorised."""
    f = {k: v for k, v in (filters or {}).items() if v is not None}
    part = f.pop("part", None)
    f = {k: v for k, v in f.items() if not (not isinstance(v, str) and not np.isscalar(v) and len(v) == 0)}
    keep = analysis.filter_mask(frame, f) if f else np.ones(len(frame), dtype=bool)
    if part is not None and (isinstance(part, str) or len(part)):
        parts = [part] if isinstance(part, str) else list(part)
        keep &= frame["part"].isin(parts).to_numpy(dtype=bool, na_value=False)
    return keep


def group_codes(frame: pd.DataFrame, by: Optional[str], lang: str) -> tuple[np.ndarray, list, list[str]]:
    """Integer group per row of ``frame`` (-1: no value), the groups in their natural order (years
    ascending, levels and agency kinds in schema order, provinces by code, parts in template order)
    and their labels in ``lang``. ``by=None``: one group of all rows."""
    if by is None:
        return np.zeros(len(frame), dtype=np.int64), ["all"], [_w("all", lang)]
    col = frame[by]
    present = pd.unique(col.dropna())
    if by == "part":
        values = [p for p in PARTS if p in set(present)]
        labels = [part_labels(lang)[p] for p in values]
    elif by == "year":
        values = sorted(int(v) for v in present)
        labels = [str(v) for v in values]
        col = col.astype("Int64")
    elif by in ("level", "agency_kind"):
        order = theme.order(by, "code")
        values = [c for c in order if c in set(map(str, present))]
        labels = [theme.labels(by, lang)[c] for c in values]
        col = col.astype("string")
    elif by == "province":
        codes = frame.drop_duplicates("province").set_index("province")["province_code"] \
            if "province_code" in frame.columns else pd.Series(dtype=object)
        values = sorted(map(str, present), key=lambda p: (str(codes.get(p, "99")), p))
        labels = [analysis.PROVINCE_EN.get(str(codes.get(v, ""))[:2], v) if lang == "en" else v for v in values]
        col = col.astype("string")
    else:
        values = sorted(map(str, present))
        labels = list(values)
        col = col.astype("string")
    index = pd.Index(values)
    codes_ = index.get_indexer(col.to_numpy(dtype=object, na_value=None))
    return codes_.astype(np.int64), values, labels


def _share_text(count: float, n: float, lang: str, min_n: int = MIN_N) -> str:
    return analysis.share_text(count, n, min_n, lang)


# --------------------------------------------------------------------------- counts, notes, codebook


def statement_counts(text: TextTables, by: Optional[str] = "part", filters: Mapping[str, Any] | None = None,
                     lang: str | None = None) -> pd.DataFrame:
    """Statements per group: reports, statements, of which list leads, themed and unthemed."""
    lang = theme.resolve_lang(lang)
    frame = statement_frame(text)
    m, codes = theme_matrix(text)
    keep = filter_statements(frame, filters)
    g, values, labels = group_codes(frame, by, lang)
    rows = []
    un = m[:, codes.index(UNTHEMED)]
    rcode = _report_codes(frame)
    lead = frame["lead"].to_numpy(dtype=bool, na_value=False)
    for i, (v, lab) in enumerate(zip(values, labels)):
        sel = keep & (g == i)
        rows.append({**({by: v} if by else {}), "label": lab,
                     "reports": _distinct(rcode[sel]), "statements": int(sel.sum()),
                     "leads": int((sel & lead).sum()), "themed": int((sel & ~un).sum()),
                     "unthemed": int((sel & un).sum())})
    cols = ([by] if by else []) + ["label", "reports", "statements", "leads", "themed", "unthemed"]
    return pd.DataFrame(rows, columns=cols)


def text_note(text: TextTables, filters: Mapping[str, Any] | None = None, lang: str | None = None) -> str:
    """One paragraph on how much text a selection holds, and what that allows."""
    lang = theme.resolve_lang(lang)
    frame = statement_frame(text)
    m, codes = theme_matrix(text)
    keep = filter_statements(frame, filters)
    n, reports = int(keep.sum()), _distinct(_report_codes(frame)[keep])
    per = [int((keep & (frame["part"] == p).to_numpy()).sum()) for p in PARTS]
    un = int((keep & m[:, codes.index(UNTHEMED)]).sum())
    zh = lang == "zh"
    text_ = (f"所选范围：{reports} 份报告的第五部分共 {n} 条陈述（问题 {per[0]} 条，改进 {per[1]} 条，"
             f"上年度问题整改 {per[2]} 条）；{un} 条未归入任何主题（下文列出）。" if zh else
             f"Selection: {n} statements from section 5 of {reports} reports ({per[0]} problems, {per[1]} "
             f"improvements, {per[2]} rectification of last year's problems); {un} match no theme (listed below).")
    if n < MIN_N:
        text_ += (f"陈述少于 {MIN_N} 条：只给条数，不计算比例；这些数字只描述这几份报告。" if zh else
                  f" Fewer than {MIN_N} statements: counts only, no shares; the numbers describe these reports only.")
    elif reports < analysis.SMALL_CORPUS:
        text_ += (f"报告少于 {analysis.SMALL_CORPUS} 份：这是很小的样本，不能代表全国。" if zh else
                  f" Fewer than {analysis.SMALL_CORPUS} reports: a tiny sample that says nothing about China "
                  f"as a whole.")
    return text_


def codebook_table(text: TextTables, lang: str | None = None) -> pd.DataFrame:
    """The theme codebook with how many statements of the corpus each theme matched.

    Columns: code, name (in ``lang``), the other language's name, indicators (how many), statements
    (matched in the whole corpus, no filter), the indicator terms (``、``-separated) and the definition.
    """
    lang = theme.resolve_lang(lang)
    m, codes = theme_matrix(text)
    cb = text.themes
    other = "name_en" if lang == "zh" else "name_zh"
    counts = dict(zip(codes, m.sum(axis=0).tolist()))
    terms = [str(t).split("|") for t in cb["indicators"]]
    out = pd.DataFrame({
        "code": cb["code"].astype(str).to_numpy(),
        "name": cb["name_zh" if lang == "zh" else "name_en"].astype(str).to_numpy(),
        other: cb[other].astype(str).to_numpy(),
        "indicators": [len(t) for t in terms],
        "statements": [int(counts[str(c)]) for c in cb["code"]],
        "terms": ["、".join(t) for t in terms],
        "definition": cb["definition"].astype(str).to_numpy(),
    })
    un = pd.DataFrame({"code": [UNTHEMED], "name": [_w("unthemed", lang)],
                       other: [_w("unthemed", "en" if lang == "zh" else "zh")], "indicators": [0],
                       "statements": [int(counts[UNTHEMED])], "terms": [""],
                       "definition": ["Statements no indicator term matched: listed, not dropped."]})
    return pd.concat([out, un], ignore_index=True)


# --------------------------------------------------------------------------- themes


def theme_shares(text: TextTables, by: Optional[str] = None, filters: Mapping[str, Any] | None = None,
                 lang: str | None = None, min_n: int = MIN_N) -> pd.DataFrame:
    """Share of statements mentioning each theme, per group, with the denominators.

    Parameters
    ----------
    text : TextTables
    by : str, optional
        ``part``, ``year``, ``level``, ``agency_kind``, ``province`` (or another column of
        :func:`statement_frame`); None: all selected statements as one group.
    filters : mapping, optional
        ``ogi.analysis`` filters plus ``part``.
    lang : {"zh", "en"}, optional
    min_n : int
        Smallest denominator for which a share is computed.

    Returns
    -------
    DataFrame
        ``[by, by_label,] theme, label, count`` (statements mentioning the theme), ``n``
        (statements in the group), ``reports`` (in the group), ``share`` (NaN where ``n <
        min_n``), ``small_n``, ``share_text``; groups in their natural order (years ascending,
        levels in schema order ...), themes in codebook order, ``unthemed`` last.
    """
    lang = theme.resolve_lang(lang)
    frame = statement_frame(text)
    m, codes = theme_matrix(text)
    keep = filter_statements(frame, filters)
    g, values, labels = group_codes(frame, by, lang)
    names = theme_labels(text, lang)
    rid = _report_codes(frame)
    rows = []
    for i, (v, lab) in enumerate(zip(values, labels)):
        sel = keep & (g == i)
        n = int(sel.sum())
        if n == 0 and by is not None:  # a group with no selected statement has nothing to say
            continue
        counts = m[sel].sum(axis=0)
        reports = _distinct(rid[sel])
        share = analysis.share(counts, n, min_n)
        for j, code in enumerate(codes):
            rows.append({**({by: v, "by_label": lab} if by else {}), "theme": code, "label": names[code],
                         "count": int(counts[j]), "n": n, "reports": reports, "share": float(share[j]),
                         "small_n": n < min_n, "share_text": _share_text(counts[j], n, lang, min_n)})
    cols = ([by, "by_label"] if by else []) + ["theme", "label", "count", "n", "reports", "share", "small_n",
                                               "share_text"]
    return pd.DataFrame(rows, columns=cols)


def theme_table(text: TextTables, by: Optional[str] = "part", filters: Mapping[str, Any] | None = None,
                lang: str | None = None, min_n: int = MIN_N) -> pd.DataFrame:
    """:func:`theme_shares` to read: themes down, groups across (headed with their ``n``), cells ``share_text``."""
    lang = theme.resolve_lang(lang)
    t = theme_shares(text, by, filters, lang, min_n)
    head = (t["by_label"] if by else pd.Series(_w("all", lang), index=t.index)) + " (n=" + t["n"].astype(str) + ")"
    t = t.assign(column=head)
    out = t.pivot(index="label", columns="column", values="share_text")
    out = out.reindex(index=pd.unique(t["label"]), columns=pd.unique(t["column"]))
    out.index.name = out.columns.name = None
    return out


# --------------------------------------------------------------------------- keywords


class _KeywordIndex:
    """(statement, term) rows of the content tokens, split once; terms numbered in string order.

    Made from the stored ``tokens`` column as Arrow strings: no Python string per statement. The
    IDF is that of ``keywords.idf`` (every statement a document), counted from the same rows.
    """

    def __init__(self, tokens):
        import pyarrow as pa  # noqa: F811 - the module's own import, kept local for clarity

        if isinstance(tokens, pd.Series):
            tokens = pa.Array.from_pandas(tokens.astype("string").fillna(""), type=pa.string())
        if isinstance(tokens, pa.ChunkedArray):
            tokens = tokens.combine_chunks()
        tokens = pc.fill_null(tokens.cast(pa.string()), "")
        n_docs = len(tokens)
        lists = pc.split_pattern(tokens, " ")
        terms, doc = pc.list_flatten(lists), pc.list_parent_indices(lists)
        keep = pc.not_equal(terms, "")
        encoded = pc.dictionary_encode(pc.filter(terms, keep))
        self.doc = pc.filter(doc, keep).to_numpy().astype(np.int64)
        words = np.asarray(encoded.dictionary.to_pylist(), dtype=object)
        order = np.argsort(words.astype(str), kind="stable")  # vocabulary in string order: ties break by term
        rank = np.empty(len(order), dtype=np.int64)
        rank[order] = np.arange(len(order))
        self.vocab = words[order]
        self.term = rank[encoded.indices.to_numpy(zero_copy_only=False).astype(np.int64)]
        nv = len(self.vocab)
        df = np.bincount(_sorted_unique(self.doc * max(nv, 1) + self.term) % max(nv, 1), minlength=nv)
        self.idf = (np.log((1 + n_docs) / (1 + pd.Series(df))) + 1).to_numpy(dtype=float)  # as keywords.idf


def _keyword_index(text: TextTables) -> _KeywordIndex:
    d = _derived(text)
    if "keywords" not in d:
        d["keywords"] = _KeywordIndex(text.arrow("statements", ["tokens"])["tokens"])
    return d["keywords"]


def top_keywords(text: TextTables, by: Optional[str] = "part", filters: Mapping[str, Any] | None = None,
                 k: int = 10, lang: str | None = None) -> pd.DataFrame:
    """The ``k`` top keywords of each group of the selected statements, by TF-IDF with the corpus IDF.

    The same scores as ``text_tables``' ``keywords`` table (TF: a term's share of the group's content
    tokens; IDF from all statements of the corpus, so scores stay comparable across filters), for any
    filter.

    Returns
    -------
    DataFrame
        ``[by, by_label,] rank, term, count, score, tokens`` (content tokens in the group: the
        denominator of the TF); ties in score broken by term.
    """
    lang = theme.resolve_lang(lang)
    frame = statement_frame(text)
    ix = _keyword_index(text)
    keep = filter_statements(frame, filters)
    g, values, labels = group_codes(frame, by, lang)
    row_group = np.where(keep, g, -1)[ix.doc]
    ok = row_group >= 0
    nv = len(ix.vocab)
    counts = np.bincount(row_group[ok] * nv + ix.term[ok], minlength=len(values) * nv).reshape(len(values), nv)
    out = []
    for i, (v, lab) in enumerate(zip(values, labels)):
        c = counts[i]
        total = int(c.sum())
        nz = np.flatnonzero(c)
        if not len(nz):
            continue
        score = c[nz] / total * ix.idf[nz]
        order = np.lexsort((nz, -score))[:k]  # score descending, then term (vocab is sorted)
        for r, o in enumerate(order, 1):
            out.append({**({by: v, "by_label": lab} if by else {}), "rank": r, "term": str(ix.vocab[nz[o]]),
                        "count": int(c[nz[o]]), "score": float(score[o]), "tokens": total})
    cols = ([by, "by_label"] if by else []) + ["rank", "term", "count", "score", "tokens"]
    return pd.DataFrame(out, columns=cols)


# --------------------------------------------------------------------------- keyword in context


def _query_pattern(word: str) -> Optional[re.Pattern]:
    """A literal search for ``word`` (NFKC); ``|`` separates alternatives, as in the codebook."""
    terms = [t.strip() for t in unicodedata.normalize("NFKC", word or "").split("|") if t.strip()]
    if not terms:
        return None
    return re.compile("|".join(re.escape(t) for t in sorted(set(terms), key=lambda t: (-len(t), t))))


def _theme_spans(text: str, code: str, themes_by_code: Mapping) -> list[tuple[int, int]]:
    """Where a theme's indicator terms occur in ``text``, outside its exclusion phrases (as ``themes`` matches)."""
    t = themes_by_code.get(code)
    if t is None:
        return []
    hay = text
    for phrase in t.exclude:
        hay = hay.replace(phrase, "\0" * len(phrase))
    return [m.span() for m in t.pattern.finditer(hay)]


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[list[int]] = []
    for a, b in sorted(spans):
        if out and a <= out[-1][1]:
            out[-1][1] = max(out[-1][1], b)
        else:
            out.append([a, b])
    return [(a, b) for a, b in out]


def mark(text: str, spans: Sequence[tuple[int, int]], width: Optional[int] = None, *,
         before: str = "【", after: str = "】", escape: bool = False) -> str:
    """``text`` with each span wrapped in ``before``/``after``; with ``width``, a window of about that many
    characters centred on the first span, cut ends shown as ``…``."""
    spans = _merge(list(spans))
    lo, hi = 0, len(text)
    if width is not None and len(text) > width:
        first = spans[0] if spans else (0, 0)
        lo = max(0, min(first[0] - max(0, (width - (first[1] - first[0])) // 2), len(text) - width))
        hi = min(len(text), lo + width)
        for a, b in spans:  # never cut a match in two
            if a < lo < b:
                lo = a
            if a < hi < b:
                hi = b
    esc = html.escape if escape else (lambda s: s)
    out, pos = [], lo
    for a, b in spans:
        a, b = max(a, lo), min(b, hi)
        if a >= b:
            continue
        out += [esc(text[pos:a]), before, esc(text[a:b]), after]
        pos = b
    out.append(esc(text[pos:hi]))
    return ("…" if lo > 0 else "") + "".join(out) + ("…" if hi < len(text) else "")


def kwic(text: TextTables, word: Optional[str] = None, theme_code: Optional[str] = None,
         filters: Mapping[str, Any] | None = None, lang: str | None = None, width: Optional[int] = 24,
         limit: Optional[int] = None, html_marks: bool = False) -> pd.DataFrame:
    """The real statements behind a word or a theme (keyword in context), the matches marked 【like this】.

    Parameters
    ----------
    text : TextTables
    word : str, optional
        Looked for literally (NFKC); ``|`` separates alternatives (``新媒体|公众号``).
    theme_code : str, optional
        A theme code of the codebook (``interpretation`` ...) or ``unthemed``; its indicator terms
        are marked. With both, statements must match both.
    filters : mapping, optional
        ``ogi.analysis`` filters plus ``part``.
    width : int, optional
        Characters of context around the first match (None: the whole statement).
    limit : int, optional
        At most this many rows (the first in year, agency, part, position order).
    html_marks : bool
        Mark with ``<mark>`` and escape the text, for an HTML table.

    Returns
    -------
    DataFrame
        ``report`` (first 12 hex digits of the report id), ``agency``, ``year``, ``part`` (label),
        ``statement``; ``attrs["total"]`` is the number of matching statements before ``limit``.
    """
    lang = theme.resolve_lang(lang)
    frame = statement_frame(text)
    keep = filter_statements(frame, filters)
    pattern = _query_pattern(word) if word else None
    if theme_code:
        m, codes = theme_matrix(text)
        if theme_code not in codes:
            raise KeyError(f"no theme {theme_code!r}; themes: {', '.join(codes)}")
        keep &= m[:, codes.index(theme_code)]
    if pattern is not None:
        keep &= frame["text"].str.contains(pattern.pattern, regex=True).to_numpy(dtype=bool, na_value=False)
    sel = frame[keep].assign(_part=lambda f: f["part"].map({p: i for i, p in enumerate(PARTS)}))
    sel = sel.sort_values(["year", "agency", "report_id", "_part", "idx"], kind="mergesort", na_position="last")
    total = len(sel)
    if limit is not None:
        sel = sel.head(limit)
    by_code = {t.code: t for t in load_themes()}
    before, after = ("<mark>", "</mark>") if html_marks else ("【", "】")
    statements = []
    for s in sel["text"].astype(str):
        s = unicodedata.normalize("NFKC", s)
        spans = _theme_spans(s, theme_code, by_code) if theme_code and theme_code != UNTHEMED else []
        if pattern is not None:
            spans += [m.span() for m in pattern.finditer(s)]
        statements.append(mark(s, spans, width, before=before, after=after, escape=html_marks))
    names = part_labels(lang)
    out = pd.DataFrame({"report": sel["report_id"].str[:12].to_numpy(), "agency": sel["agency"].to_numpy(),
                        "year": sel["year"].astype("Int64").to_numpy(),
                        "part": sel["part"].map(names).to_numpy(), "statement": statements})
    out.attrs["total"] = total
    return out


def unthemed(text: TextTables, filters: Mapping[str, Any] | None = None, lang: str | None = None,
             width: Optional[int] = 24) -> pd.DataFrame:
    """The statements no theme matched, with ``lead`` (a sentence introducing a list): read them to
    see what the codebook misses."""
    frame = statement_frame(text)
    m, codes = theme_matrix(text)
    keep = filter_statements(frame, filters) & m[:, codes.index(UNTHEMED)]
    out = kwic(text, theme_code=UNTHEMED, filters=filters, lang=lang, width=width)
    sel = frame[keep].assign(_part=lambda f: f["part"].map({p: i for i, p in enumerate(PARTS)}))
    sel = sel.sort_values(["year", "agency", "report_id", "_part", "idx"], kind="mergesort", na_position="last")
    out.insert(4, "lead", sel["lead"].to_numpy())
    return out


# --------------------------------------------------------------------------- boilerplate


def _report_rows(text: TextTables) -> pd.DataFrame:
    """Per report with statements: id, agency, year, metadata, characters of statement text."""
    d = _derived(text)
    if "reports" not in d:
        c = text.read("copies", ["report_id", "chars"])
        ids = pd.Index(c["report_id"].astype(str), name="report_id")
        meta = _report_meta(text.reports).set_index("report_id")
        out = meta.reindex(ids).assign(chars=c["chars"].to_numpy(dtype=np.int64))
        out.index.name = "report_id"
        d["reports"] = out.reset_index()
    return d["reports"]


def _boilerplate_all(text: TextTables) -> pd.DataFrame:
    """The boilerplate measures of every report with statements (computed once per text tables).

    The shares copied from other agencies come from the ``copies`` table, made with the text tables
    from ``similar_pairs``; the repeats from the agency's own reports from ``repeats``.
    """
    d = _derived(text)
    if "boilerplate" in d:
        return d["boilerplate"]
    rep = _report_rows(text)
    r = text.repeats
    r = r[r["section"].astype(str) == "problems"]
    r = pd.DataFrame({"report_id": r["report_id"].astype(str).to_numpy(), "n_earlier": r["n_earlier"].to_numpy(),
                      "share_prev": r["share_prev"].to_numpy(), "share_earlier": r["share_earlier"].to_numpy()})
    c = text.copies
    c = c.set_index(c["report_id"].astype(str))
    out = rep.merge(r, on="report_id", how="left")
    out["share_other"] = out["report_id"].map(c["share_other"]).astype("Float64")
    out["other_agencies"] = out["report_id"].map(c["other_agencies"]).fillna(0).astype("Int64")
    out["section_match"] = out["report_id"].map(c["section_match"]).astype("Float64")
    out["n_earlier"] = out["n_earlier"].astype("Int64").fillna(0)
    out = out.assign(report=out["report_id"].str[:12], year=out["year"].astype("Int64"))
    d["boilerplate"] = out.sort_values("report_id", kind="mergesort").reset_index(drop=True)
    return d["boilerplate"]


def _report_filter(table: pd.DataFrame, filters: Mapping[str, Any] | None) -> pd.DataFrame:
    f = {k: v for k, v in (filters or {}).items() if k != "part" and v is not None and
         (isinstance(v, str) or np.isscalar(v) or len(v))}
    return table[analysis.filter_mask(table, f)] if f else table


BOILERPLATE_COLUMNS = ("report", "agency", "year", "chars", "n_earlier", "share_prev", "share_earlier",
                       "share_other", "other_agencies", "section_match")


def boilerplate(text: TextTables, filters: Mapping[str, Any] | None = None, lang: str | None = None,
                sort: bool = True) -> pd.DataFrame:
    """Per report: how much of its problems section repeats an earlier report of its agency, and how
    much is copied from other agencies.

    Returns
    -------
    DataFrame
        ``report``, ``agency``, ``year``, ``chars`` (characters of its statements), ``n_earlier``
        (the agency's reports of earlier years), ``share_prev`` (3-grams of the section found in
        the agency's previous report; null without one), ``share_earlier`` (found in any earlier
        report of the agency), ``share_other`` (characters of its statements that nearly duplicate
        a statement of another agency of the same or an earlier year), ``other_agencies`` (how
        many agencies those copies match), ``section_match`` (the best 3-gram Jaccard of the whole
        section with another agency's, when at least the copy threshold). Highest share first
        unless ``sort=False`` (then by report id).
    """
    theme.resolve_lang(lang)
    out = _report_filter(_boilerplate_all(text), filters)
    if sort:
        top = np.fmax(out["share_prev"].to_numpy(dtype=float, na_value=np.nan),
                      out["share_other"].to_numpy(dtype=float, na_value=np.nan))
        out = out.assign(_top=np.nan_to_num(top)).sort_values(["_top", "year", "report_id"],
                                                               ascending=[False, True, True], kind="mergesort")
    return out[list(BOILERPLATE_COLUMNS)].reset_index(drop=True)


def boilerplate_bins(text: TextTables, filters: Mapping[str, Any] | None = None,
                     lang: str | None = None) -> pd.DataFrame:
    """Reports by boilerplate share: ``bin``, ``same_agency`` (reports whose share repeated from the
    agency's previous report falls in the bin), ``other_agencies`` (share copied from other agencies).

    The last bin, "no earlier report", holds the reports the same-agency measure cannot be taken for.
    """
    lang = theme.resolve_lang(lang)
    b = _report_filter(_boilerplate_all(text), filters)
    rows = []
    for label, lo, hi in BOILERPLATE_BINS:
        def count(s: pd.Series) -> int:
            v = s.to_numpy(dtype=float, na_value=np.nan)
            ok = ~np.isnan(v) & (v >= lo) & ((v < hi) if hi < 1 else (v <= hi))
            return int(ok.sum())
        rows.append({"bin": label, "same_agency": count(b["share_prev"]), "other_agencies": count(b["share_other"])})
    rows.append({"bin": _w("no_earlier", lang), "same_agency": int(b["share_prev"].isna().sum()),
                 "other_agencies": int(b["share_other"].isna().sum())})
    return pd.DataFrame(rows)


def _lookup(values, value_set) -> pa.Array:
    """Position of each value in ``value_set`` (-1: absent); a dictionary column looks up its dictionary only."""
    if isinstance(values, pa.ChunkedArray):
        values = values.combine_chunks()
    if pa.types.is_dictionary(values.type):
        where = pc.fill_null(pc.index_in(values.dictionary.cast(pa.string()), value_set=value_set), -1)
        return pc.fill_null(pc.take(where, values.indices), -1).cast(pa.int64())
    return pc.fill_null(pc.index_in(values.cast(pa.string()), value_set=value_set), -1).cast(pa.int64())


def copied_pairs(text: TextTables, filters: Mapping[str, Any] | None = None, kind: str = "statement",
                 lang: str | None = None, width: Optional[int] = 24, limit: Optional[int] = None) -> pd.DataFrame:
    """The near-duplicate pairs behind the boilerplate shares, with both texts, to read, exclude or study.

    A pair is kept when its later report (``right``) passes ``filters``. Highest score first (to
    three decimals), then the later report's year and agency, then the table's order.

    ``similar_pairs`` is read a row group at a time; with ``limit``, only the best ``limit`` rows
    met so far are kept, so a corpus with millions of pairs is shown in bounded memory.
    """
    lang = theme.resolve_lang(lang)
    meta = _report_rows(text).set_index("report_id")
    report_filters = {k: v for k, v in (filters or {}).items() if k != "part"}
    # the report-level filter once per report (a pair's right report must pass it)
    flat = meta.reset_index()
    passes = analysis.filter_mask(flat, report_filters)
    blank = flat.iloc[:0].reindex([0])  # a report the table does not know: every column missing
    unknown_passes = bool(analysis.filter_mask(blank, report_filters)[0]) if report_filters else True
    # the sort's second and third keys (the right report's year, then agency; missing last) as one rank
    # per report, equal (year, agency) the same rank
    groups = flat[["year", "agency"]].astype({"year": "Float64"}).groupby(["year", "agency"], dropna=False, sort=True)
    rrank = groups.ngroup().to_numpy()
    both_missing = (flat["year"].isna() & flat["agency"].isna()).to_numpy()
    unknown_rank = int(rrank[both_missing][0]) if both_missing.any() else (int(rrank.max()) + 1 if len(rrank) else 0)
    ids = pa.array(flat["report_id"].astype(str).tolist(), type=pa.string())
    cols = ["kind", "left_report_id", "left_part", "left_idx", "right_report_id", "right_part", "right_idx", "score",
            "same_agency"]
    # the rows' positions and sort keys from three columns, a row group at a time; then only those rows
    keys, seen = [], 0
    for t in text.batches("similar_pairs", ["kind", "right_report_id", "score"],
                          dictionary=["kind", "right_report_id"]):
        n = t.num_rows
        rows = np.arange(seen, seen + n)
        seen += n
        mine = _lookup(t["kind"], pa.array([kind], pa.string())).to_numpy(zero_copy_only=False) >= 0
        right = _lookup(t["right_report_id"], ids).to_numpy(zero_copy_only=False)
        ok = mine & np.where(right >= 0, passes[np.maximum(right, 0)] if len(passes) else False, unknown_passes)
        if not ok.any():
            continue
        take = np.flatnonzero(ok)
        score = np.round(t["score"].to_numpy(zero_copy_only=False)[take].astype(float), 3)
        rank = np.where(right[take] >= 0, rrank[np.maximum(right[take], 0)] if len(rrank) else 0, unknown_rank)
        batch = np.stack([-score, rank, rows[take]], axis=1)
        if limit is not None:  # only this row group's best can be among the best
            batch = batch[np.lexsort((batch[:, 2], batch[:, 1], batch[:, 0]))[:limit]]
        keys.append(batch)
        if limit is not None and len(keys) > 1:
            both = np.concatenate(keys)
            keys = [both[np.lexsort((both[:, 2], both[:, 1], both[:, 0]))[:limit]]]
    key = np.concatenate(keys) if keys else np.zeros((0, 3))
    key = key[np.lexsort((key[:, 2], key[:, 1], key[:, 0]))]
    if limit is not None:
        key = key[:limit]
    best = text.take("similar_pairs", key[:, 2].astype(np.int64), cols).to_pandas() if len(key) else \
        pd.DataFrame(columns=cols)
    p = best.reset_index(drop=True)
    if kind == "statement":
        frame = statement_frame(text)

        reports = _report_index(frame)
        keys = pd.Index(_statement_keys(frame["report_id"], frame["part"], frame["idx"], reports))

        def side(s: str) -> pd.Series:
            row = keys.get_indexer(_statement_keys(p[f"{s}_report_id"].astype(str), p[f"{s}_part"],
                                                   p[f"{s}_idx"].astype("Int64"), reports))
            out = pd.Series([None] * len(row), index=p.index, dtype=object)
            out[row >= 0] = frame["text"].iloc[row[row >= 0]].astype(object).to_numpy()  # those rows only
            return out
    else:  # whole sections are not in the text tables: show each report's first statement
        first = statement_frame(text).groupby("report_id", observed=True)["text"].first()
        first.index = first.index.astype(str)

        def side(s: str) -> pd.Series:
            return pd.Series(p[f"{s}_report_id"].astype(str).map(first).to_numpy(), index=p.index)
    cut = (lambda s: s if width is None or not isinstance(s, str) or len(s) <= width else s[:width - 1] + "…")
    out = pd.DataFrame({
        "score": p["score"].astype(float).round(3).to_numpy(),
        "same_agency": p["same_agency"].to_numpy(),
        "left_agency": meta["agency"].reindex(p["left_report_id"].astype(str)).to_numpy(),
        "left_year": meta["year"].reindex(p["left_report_id"].astype(str)).astype("Int64").to_numpy(),
        "right_agency": meta["agency"].reindex(p["right_report_id"].astype(str)).to_numpy(),
        "right_year": meta["year"].reindex(p["right_report_id"].astype(str)).astype("Int64").to_numpy(),
        "left_text": side("left").map(cut).to_numpy(),
        "right_text": side("right").map(cut).to_numpy(),
    })
    return out.reset_index(drop=True)
