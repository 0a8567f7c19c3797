"""Keywords per group (year, level, agency kind …) by TF-IDF, with the IDF taken from the corpus.

jieba's own ``extract_tags`` weighs words by an IDF computed on general
news; in these reports 政务公开 is everywhere and 适老化 is rare, the reverse
of news. So the IDF here is computed from the statements themselves (each
statement one document), and the TF is a term's share of all content tokens
in a group. A keyword is a word frequent in the group and not common to
every statement of the corpus. Pass the corpus IDF when scoring a filtered
subset, so that scores stay comparable across filters.
"""

from __future__ import annotations

from typing import Optional, Sequence

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

__all__ = ["TermCounts", "idf", "keywords", "rank_terms", "top_terms"]


def term_rows(tokens: pd.Series) -> pd.DataFrame:
    """(doc, term) rows from a column of space-joined tokens (or token lists); ``doc`` is the row position.

    Split with Arrow kernels: a million statements take a second, not a minute.
    """
    texts = [t if isinstance(t, str) else " ".join(t) if isinstance(t, (list, tuple, np.ndarray)) else ""
             for t in (tokens.tolist() if isinstance(tokens, pd.Series) else tokens)]  # not a Series' slow iterator
    lists = pc.split_pattern(pa.array(texts, type=pa.string()), " ")
    terms, doc = pc.list_flatten(lists), pc.list_parent_indices(lists)
    keep = pc.not_equal(terms, "")
    terms = pc.filter(terms, keep).dictionary_encode()
    return pd.DataFrame({"doc": pc.filter(doc, keep).to_numpy().astype(np.int64),
                         "term": terms.to_pandas()})


def _idf(rows: pd.DataFrame, n_docs: int) -> pd.Series:
    df = rows.drop_duplicates().groupby("term", observed=True, sort=False).size()
    out = (np.log((1 + n_docs) / (1 + df)) + 1).astype("Float64").rename("idf")
    out.index = out.index.astype(str)
    return out.sort_index()


def idf(tokens: pd.Series) -> pd.Series:
    """Smoothed inverse document frequency of every term, each row one document.

    ``idf(t) = ln((1 + N) / (1 + df(t))) + 1`` (scikit-learn's smooth IDF):
    a term in every document gets 1, a term in one document of N gets ``ln((1+N)/2) + 1``.

    Parameters
    ----------
    tokens : Series
        Content tokens per document, space-joined strings or lists.

    Returns
    -------
    Series
        Float64 indexed by term, sorted by term.
    """
    return _idf(term_rows(tokens), len(tokens))


def keywords(frame: pd.DataFrame, by: str | Sequence[str], k: int = 20, *, tokens: str = "tokens",
             corpus_idf: Optional[pd.Series] = None, min_count: int = 1) -> pd.DataFrame:
    """Top ``k`` terms per group, by TF-IDF.

    Parameters
    ----------
    frame : DataFrame
        One row per document (statement), with the ``by`` columns and a ``tokens`` column.
    by : str or list of str
        Group columns (``"year"``, ``["part", "level"]``); rows with a missing group value are left out.
    k : int
        Terms per group.
    tokens : str
        Column of content tokens (space-joined strings or lists).
    corpus_idf : Series, optional
        Term -> IDF, e.g. ``idf(statements["tokens"])`` of the whole corpus; computed from
        ``frame`` when omitted. Terms missing from it get its largest IDF.
    min_count : int
        Drop terms seen fewer times than this in a group.

    Returns
    -------
    DataFrame
        The ``by`` columns, ``term``, ``count``, ``score`` (TF x IDF) and ``rank`` (1 = best);
        ties in score are broken by term, so the output is deterministic.
    """
    by = [by] if isinstance(by, str) else list(by)
    rows = term_rows(frame[tokens])
    weights = _idf(rows, len(frame)) if corpus_idf is None else corpus_idf
    for col in by:
        rows[col] = frame[col].to_numpy()[rows["doc"].to_numpy()]
    return top_terms(rows, by, k, weights, min_count)


def top_terms(rows: pd.DataFrame, by: list[str], k: int, weights: pd.Series, min_count: int = 1) -> pd.DataFrame:
    """``keywords`` on (doc, term, group columns) rows from ``term_rows``, to reuse them for many groupings."""
    rows = rows.dropna(subset=by)
    counts = rows.groupby(by + ["term"], observed=True, sort=False).size().rename("count").reset_index()
    counts["term"] = counts["term"].astype(str)
    return rank_terms(counts, by, k, weights, min_count)


def rank_terms(counts: pd.DataFrame, by: list[str], k: int, weights: pd.Series, min_count: int = 1) -> pd.DataFrame:
    """The top ``k`` terms per group from counts (``by`` columns, ``term``, ``count``; one row per group and term)."""
    counts = counts[counts["count"] > 0]
    totals = counts.groupby(by, observed=True)["count"].transform("sum")
    keep = counts["count"] >= min_count
    counts, totals = counts[keep], totals[keep]
    fill = float(weights.max()) if len(weights) else 1.0
    w = counts["term"].map(weights).astype("Float64").fillna(fill)
    counts = counts.assign(score=(counts["count"] / totals * w).astype("Float64"))
    counts = counts.sort_values(by + ["score", "term"], ascending=[True] * len(by) + [False, True],
                                kind="mergesort")
    counts["rank"] = counts.groupby(by, observed=True).cumcount().add(1).astype("Int64")
    out = counts[counts["rank"] <= k]
    out = out.assign(count=out["count"].astype("Int64"))
    return out[by + ["term", "count", "score", "rank"]].reset_index(drop=True)


def _sorted_unique(x: np.ndarray) -> np.ndarray:
    """``np.unique`` by sorting (numpy 2's hash-based unique is many times slower on these arrays)."""
    x = np.sort(x)
    return x[np.r_[True, x[1:] != x[:-1]]] if len(x) else x


class TermCounts:
    """Term counts per (grouping, group, part) and document frequencies, added a batch of documents at a time.

    What ``keywords`` needs of a whole corpus, held as one count array per group over a growing
    vocabulary: memory grows with the vocabulary and the number of groups, not with the corpus.
    ``idf()`` and ``top()`` give what ``idf`` and ``top_terms`` give on all the documents at once.
    """

    def __init__(self) -> None:
        self.vocab: dict[str, int] = {}
        self.terms: list[str] = []
        self.df = np.zeros(0, np.int64)
        self.n_docs = 0
        self.counts: dict[tuple[str, str, str], np.ndarray] = {}

    def add(self, tokens: pd.Series, part: np.ndarray, groups: dict[str, np.ndarray]) -> None:
        """Documents (space-joined content tokens), their part, and per grouping their group (None: none)."""
        rows = term_rows(tokens)
        self.n_docs += len(tokens)
        if not len(rows):
            return
        cats = rows["term"].cat.categories
        ids = np.fromiter((self.vocab.setdefault(t, len(self.vocab)) for t in cats), np.int64, len(cats))
        self.terms.extend(list(self.vocab)[len(self.terms):])
        term = ids[rows["term"].cat.codes.to_numpy()]
        doc = rows["doc"].to_numpy()
        nv = len(self.vocab)
        self.df = np.r_[self.df, np.zeros(nv - len(self.df), np.int64)]
        pairs = _sorted_unique(doc * nv + term)
        self.df += np.bincount(pairs % nv, minlength=nv)
        pcode, parts = pd.factorize(np.asarray(part, dtype=object))
        for by, value in groups.items():
            gcode, values = pd.factorize(np.asarray(value, dtype=object))  # None and NaN: -1, left out
            both = np.where((gcode >= 0) & (pcode >= 0), gcode * max(len(parts), 1) + pcode, -1)[doc]
            ok = both >= 0
            found = np.bincount(both[ok] * nv + term[ok], minlength=0)
            for c in np.flatnonzero(np.bincount(both[ok])).tolist() if ok.any() else []:
                n = np.zeros(nv, np.int64)
                seg = found[c * nv:(c + 1) * nv]
                n[:len(seg)] = seg
                g, p = values[c // max(len(parts), 1)], parts[c % max(len(parts), 1)]
                held = self.counts.get((by, g, p))
                if held is not None:
                    n[:len(held)] += held
                self.counts[(by, g, p)] = n

    def idf(self) -> pd.Series:
        """As ``idf`` on every document added."""
        df = pd.Series(self.df, index=pd.Index(self.terms, dtype=object))
        out = (np.log((1 + self.n_docs) / (1 + df)) + 1).astype("Float64").rename("idf")
        out.index = out.index.astype(str)
        return out.sort_index()

    def top(self, by: str, k: int, weights: pd.Series, min_count: int = 1) -> pd.DataFrame:
        """As ``top_terms`` with columns ``group, part`` on the documents added, for one grouping."""
        parts = []
        terms = np.asarray(self.terms, dtype=object)
        for (b, g, p), n in self.counts.items():
            if b != by:
                continue
            nz = np.flatnonzero(n)
            parts.append(pd.DataFrame({"group": g, "part": p, "term": terms[nz], "count": n[nz].astype(np.int64)}))
        counts = (pd.concat(parts, ignore_index=True) if parts else
                  pd.DataFrame({"group": [], "part": [], "term": [], "count": np.zeros(0, np.int64)}))
        return rank_terms(counts, ["group", "part"], k, weights, min_count)
