"""The text tables, made from the corpus's ``sections`` and ``reports`` tables in one call.

``text_tables`` returns typed, deterministically sorted frames, each declared
in ``SCHEMAS`` (column, dtype, meaning), for the corpus build to write with
the other processed tables. Segmentation is cached (see ``tokenize``), so a
rebuild with unchanged text only re-reads tokens.
"""

from __future__ import annotations

from typing import Optional, Sequence

import pandas as pd

from ..parse.sections import split_problems
from . import keywords as kw
from . import similarity, themes
from .statements import split_statements
from .tokenize import content_tokens, segment

__all__ = ["PARTS", "SCHEMAS", "text_tables", "validate"]

PARTS = ("problems", "improvements", "rectification")
SECTION_CODES = ("overview", "proactive", "requests", "review_litigation", "problems", "other")
_R = "the report's id (reports.report_id)"

#: table -> ((column, dtype, meaning), ...); the first columns up to ``KEYS[table]`` are the primary key.
SCHEMAS: dict[str, tuple[tuple[str, str, str], ...]] = {
    "statements": (
        ("report_id", "category", _R),
        ("part", "category", "problems, improvements, or rectification (last year's problems and their fixes)"),
        ("idx", "Int64", "position of the statement in its part, from 0"),
        ("text", "string", "the statement, list number and trailing punctuation removed"),
        ("lead", "boolean", "true for the sentence that introduces a list (…存在以下不足:), not an item"),
        ("tokens", "string", "content tokens (jieba with the OGI dictionary, stopwords removed), space-separated"),
    ),
    "statement_themes": (
        ("report_id", "category", _R),
        ("part", "category", "as in statements"),
        ("idx", "Int64", "as in statements"),
        ("theme", "category", "theme code from the codebook (ogi/lexicon/themes.tsv), or 'unthemed'"),
        ("terms", "string", "indicator terms found in the statement, '|'-separated"),
    ),
    "keywords": (
        ("by", "category", "the grouping: 'all', or a reports column such as year, level, agency_kind"),
        ("group", "string", "the group's value as text ('all' for by='all')"),
        ("part", "category", "as in statements"),
        ("rank", "Int64", "1 = the group's top keyword"),
        ("term", "string", "the keyword"),
        ("count", "Int64", "occurrences in the group's statements"),
        ("score", "Float64", "TF (share of the group's tokens) x IDF (from all statements of the corpus)"),
    ),
    "similar_pairs": (
        ("kind", "category", "'statement' or 'section'"),
        ("left_report_id", "category", "the earlier item's report"),
        ("left_part", "category", "statement: its part; section: the section code"),
        ("left_idx", "Int64", "statement: its idx; section: null"),
        ("right_report_id", "category", "the later item's report"),
        ("right_part", "category", "as left_part"),
        ("right_idx", "Int64", "as left_idx"),
        ("score", "Float64", "Jaccard similarity of the normalised texts' character 3-gram sets"),
        ("same_agency", "boolean", "both reports by the same agency (reports.agency_key)"),
    ),
    "repeats": (
        ("report_id", "category", _R),
        ("section", "category", "the section compared"),
        ("prev_report_id", "category", "the same agency's latest report of an earlier year"),
        ("share_prev", "Float64", "share of the section's character 3-grams found in that report's section"),
        ("share_earlier", "Float64", "share found in any earlier report of the agency"),
        ("n_earlier", "Int64", "the agency's reports of earlier years"),
    ),
    "themes": (
        ("code", "string", "theme code"),
        ("name_zh", "string", "Chinese name"),
        ("name_en", "string", "English name"),
        ("definition", "string", "what the theme covers (English)"),
        ("indicators", "string", "Chinese indicator terms, '|'-separated"),
        ("exclude", "string", "phrases inside which an indicator does not count, '|'-separated"),
    ),
}
KEYS = {"statements": 3, "statement_themes": 4, "keywords": 4, "similar_pairs": 7, "repeats": 2, "themes": 1}


def text_tables(sections: pd.DataFrame, reports: pd.DataFrame, *,
                groups: Sequence[str] = ("year", "level", "agency_kind"), k: int = 30,
                similarity_sections: Sequence[str] = ("problems",), threshold: float = 0.6,
                processes: Optional[int] = None, cache: bool = True) -> dict[str, pd.DataFrame]:
    """Statements, their themes, keywords by group, near-duplicate pairs and repeat shares.

    Parameters
    ----------
    sections : DataFrame
        ``report_id, section, part, text`` (the corpus ``sections`` table). Section
        ``problems`` is read from its parts; a report with only the ``full`` row is split here.
    reports : DataFrame
        ``report_id, agency_key, year`` and the ``groups`` columns.
    groups : sequence of str
        Reports columns to compute keywords by (besides ``all``), each crossed with ``part``.
    k : int
        Keywords per group.
    similarity_sections : sequence of str
        Sections compared whole for copying (their ``full`` rows).
    threshold : float
        Minimum Jaccard similarity of a reported pair.
    processes, cache
        Passed to ``tokenize.segment``.

    Returns
    -------
    dict of str to DataFrame
        ``statements``, ``statement_themes``, ``keywords``, ``similar_pairs``, ``repeats``,
        ``themes``, typed and sorted as declared in ``SCHEMAS``.
    """
    sections = sections.assign(report_id=sections["report_id"].astype(str))  # ids joined as plain strings
    meta = reports.assign(report_id=reports["report_id"].astype(str)).drop_duplicates("report_id")
    meta = meta.set_index("report_id")
    st = _statements(sections, meta)
    st["tokens"] = [" ".join(content_tokens(t)) for t in segment(st["text"].tolist(), processes=processes,
                                                                     cache=cache)]
    out = {
        "statements": st,
        "statement_themes": themes.statement_themes(st),
        "keywords": _keywords(st, meta, groups, k),
        "similar_pairs": _pairs(st, sections, meta, similarity_sections, threshold),
        "repeats": _repeats(sections, meta, similarity_sections),
        "themes": themes.codebook(),
    }
    return {name: _finish(df, name) for name, df in out.items()}


def _statements(sections: pd.DataFrame, meta: pd.DataFrame) -> pd.DataFrame:
    prob = sections[sections["section"].astype(str) == "problems"]
    parts = prob[prob["part"].astype(str).isin(PARTS)]
    full = prob[(prob["part"].astype(str) == "full") & ~prob["report_id"].isin(parts["report_id"])]
    rows = [(r, str(p), t) for r, p, t in parts[["report_id", "part", "text"]].itertuples(index=False)]
    for rid, text in full[["report_id", "text"]].itertuples(index=False):  # no parts: split here
        year = meta["year"].get(rid) if "year" in meta else None
        split = split_problems(text if isinstance(text, str) else None, None if pd.isna(year) else int(year))
        rows += [(rid, p, t) for p, t in split.items()]
    out = [(rid, part, i, s.text, s.lead) for rid, part, text in rows
           for i, s in enumerate(split_statements(text if isinstance(text, str) else ""))]
    return pd.DataFrame(out, columns=["report_id", "part", "idx", "text", "lead"])


def _keywords(st: pd.DataFrame, meta: pd.DataFrame, groups: Sequence[str], k: int) -> pd.DataFrame:
    rows = kw.term_rows(st["tokens"])  # split once, scored for every grouping
    corpus_idf = kw._idf(rows, len(st))
    doc = rows["doc"].to_numpy()
    rows["part"] = st["part"].to_numpy()[doc]
    found = [kw.top_terms(rows.assign(group="all"), ["group", "part"], k, corpus_idf).assign(by="all")]
    for by in [g for g in groups if g in meta]:
        value = st["report_id"].map(meta[by]).map(lambda v: None if pd.isna(v) else str(v))
        found.append(kw.top_terms(rows.assign(group=value.to_numpy()[doc]), ["group", "part"], k, corpus_idf)
                     .assign(by=by))
    return pd.concat(found, ignore_index=True)


def _pairs(st: pd.DataFrame, sections: pd.DataFrame, meta: pd.DataFrame, which: Sequence[str],
           threshold: float) -> pd.DataFrame:
    items = st.join(meta[["agency_key", "year"]], on="report_id")
    stmt = similarity.similar_pairs(items, threshold).assign(kind="statement")
    sec = sections[sections["section"].astype(str).isin(which) & (sections["part"].astype(str) == "full")]
    sec = sec.assign(part=sec["section"].astype(str), idx=pd.NA).join(meta[["agency_key", "year"]], on="report_id")
    whole = similarity.similar_pairs(sec, threshold).assign(kind="section")
    return pd.concat([stmt, whole], ignore_index=True)


def _repeats(sections: pd.DataFrame, meta: pd.DataFrame, which: Sequence[str]) -> pd.DataFrame:
    found = []
    for code in which:
        sec = sections[(sections["section"].astype(str) == code) & (sections["part"].astype(str) == "full")]
        sec = sec.join(meta[["agency_key", "year"]], on="report_id")
        found.append(similarity.repeat_shares(sec).assign(section=code))
    return pd.concat(found, ignore_index=True)


#: Fixed categories, in this order; observed values not listed follow, sorted (report ids: all of them).
_CATEGORIES = {"part": PARTS, "left_part": PARTS + SECTION_CODES, "right_part": PARTS + SECTION_CODES,
               "kind": ("statement", "section"), "section": SECTION_CODES,
               "by": ("all", "year", "level", "agency_kind", "province")}


def _finish(df: pd.DataFrame, name: str) -> pd.DataFrame:
    """Declared columns in order, declared dtypes, sorted by the primary key."""
    cols = SCHEMAS[name]
    df = df.reindex(columns=[c for c, _, _ in cols]).copy()
    for col, dtype, _ in cols:
        if dtype == "category":
            values = df[col].astype("string")
            fixed = themes.theme_codes() if (name, col) == ("statement_themes", "theme") else _CATEGORIES.get(col, ())
            cats = list(dict.fromkeys([*fixed, *sorted(values.dropna().unique())]))
            df[col] = pd.Categorical(values, categories=cats)
        else:
            df[col] = df[col].astype(dtype)
    if name != "themes":  # the codebook keeps its file order
        df = df.sort_values([c for c, _, _ in cols[:KEYS[name]]], kind="mergesort")
    return df.reset_index(drop=True)


def validate(df: pd.DataFrame, name: str) -> None:
    """Raise ``ValueError`` unless ``df`` has the declared columns, dtypes and a unique primary key."""
    cols = SCHEMAS[name]
    if list(df.columns) != [c for c, _, _ in cols]:
        raise ValueError(f"{name}: columns {list(df.columns)} are not {[c for c, _, _ in cols]}")
    for col, dtype, _ in cols:
        if str(df[col].dtype) != dtype:
            raise ValueError(f"{name}.{col}: dtype {df[col].dtype}, declared {dtype}")
    key = [c for c, _, _ in cols[:KEYS[name]]]
    if df.duplicated(key).any():
        raise ValueError(f"{name}: duplicate primary key {key}")
