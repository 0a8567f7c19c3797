"""The text tables: their declared schemas, and ``text_tables``, which makes them all in memory.

``text_tables`` returns typed, deterministically sorted frames, each declared
in ``SCHEMAS`` (column, dtype, meaning). It runs the same batched computation
as ``ogi.text.store.update_text`` (``ogi.text.stream``), which writes them as
Parquet a batch of reports at a time; here the batches are collected in
memory, for small corpora and tests. Segmentation is cached (see
``tokenize``), so a rebuild with unchanged text only re-reads tokens.

Stored, a ``category`` column is a plain string column; its categories are
given back on reading by ``categories``: the fixed ones (parts, theme codes,
section codes …) in their order, then the values observed, sorted. Report ids
are all observed values, sorted, so they need no list of their own.
"""

from __future__ import annotations

from typing import Optional, Sequence

import numpy as np
import pandas as pd
import pyarrow as pa

from . import themes

__all__ = ["PARTS", "SCHEMAS", "categories", "from_arrow", "text_tables", "to_arrow", "validate"]

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
    "copies": (
        ("report_id", "category", _R + "; one row per report with statements"),
        ("chars", "Int64", "characters of its statements"),
        ("share_other", "Float64", "share of those characters in statements that nearly duplicate (Jaccard >= the "
                                   "threshold) a statement of another agency's report of the same or an earlier year"),
        ("other_agencies", "Int64", "how many agencies those copied statements match"),
        ("section_match", "Float64", "best similarity of a whole compared section with another agency's "
                                     "(similar_pairs kind 'section'); null below the threshold"),
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
KEYS = {"statements": 3, "statement_themes": 4, "keywords": 4, "similar_pairs": 7, "repeats": 2, "copies": 1,
        "themes": 1}


def text_tables(sections: pd.DataFrame, reports: pd.DataFrame, *,
                groups: Sequence[str] = ("year", "level", "agency_kind"), k: int = 30,
                similarity_sections: Sequence[str] = ("problems",), threshold: float = 0.6,
                processes: Optional[int] = None, cache: bool = True,
                batch_reports: Optional[int] = None) -> dict[str, pd.DataFrame]:
    """Statements, their themes, keywords by group, near-duplicate pairs, repeat shares and copies, in memory.

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
    batch_reports : int, optional
        Reports per batch (default ``stream.BATCH_REPORTS``); the tables do not depend on it.

    Returns
    -------
    dict of str to DataFrame
        ``statements``, ``statement_themes``, ``keywords``, ``similar_pairs``, ``repeats``,
        ``copies``, ``themes``, typed and sorted as declared in ``SCHEMAS``.
    """
    from . import stream

    sink = stream.MemorySink()
    stream.compute(stream.FrameSource(sections, reports), sink, groups=groups, k=k,
                   similarity_sections=similarity_sections, threshold=threshold, processes=processes,
                   cache=cache, batch_reports=batch_reports or stream.BATCH_REPORTS)
    sink.close()
    return sink.frames


#: Fixed categories, in this order; observed values not listed follow, sorted (report ids: all of them).
_CATEGORIES = {"part": PARTS, "left_part": PARTS + SECTION_CODES, "right_part": PARTS + SECTION_CODES,
               "kind": ("statement", "section"), "section": SECTION_CODES,
               "by": ("all", "year", "level", "agency_kind", "province")}


def categories(name: str, col: str, observed) -> list[str]:
    """The categories of a ``category`` column: the fixed ones in their order, then the observed values, sorted."""
    fixed = themes.theme_codes() if (name, col) == ("statement_themes", "theme") else _CATEGORIES.get(col, ())
    return list(dict.fromkeys([*fixed, *sorted(str(v) for v in observed)]))


def _order_of(name: str, col: str, values: pd.Series) -> np.ndarray:
    """Integer sort keys of a category column's values, in the order of its (future) categories; -1 for NA.

    The distinct values are looked up, not every value (a batch repeats each report id many times).
    """
    codes, uniques = pd.factorize(values)
    seen = [str(v) for v in uniques.tolist()]
    if not seen:
        return np.full(len(values), -1, np.int64)
    remap = pd.Index(categories(name, col, seen)).get_indexer(seen)
    return np.where(codes >= 0, remap[codes], -1)


def finish(df: pd.DataFrame, name: str) -> pd.DataFrame:
    """Declared columns in order, declared dtypes, sorted by the primary key."""
    cols = SCHEMAS[name]
    df = df.reindex(columns=[c for c, _, _ in cols]).copy()
    for col, dtype, _ in cols:
        if dtype == "category":
            values = df[col].astype("string")
            df[col] = pd.Categorical(values, categories=categories(name, col, values.dropna().unique()))
        else:
            df[col] = df[col].astype(dtype)
    if name != "themes":  # the codebook keeps its file order
        df = df.sort_values([c for c, _, _ in cols[:KEYS[name]]], kind="mergesort")
    return df.reset_index(drop=True)



def sort_chunk(df: pd.DataFrame, name: str) -> pd.DataFrame:
    """A batch of a table's rows with the declared columns, sorted as ``finish`` sorts the whole table.

    Category columns are ordered as their categories will be (fixed ones first, then values
    sorted), so that batches of increasing report ids, each sorted, make the sorted table.
    """
    cols = [c for c, _, _ in SCHEMAS[name]]
    df = df.reindex(columns=cols)
    if name == "themes" or df.empty:
        return df.reset_index(drop=True)
    keys = {}
    for col, dtype, _ in SCHEMAS[name][:KEYS[name]]:
        keys[col] = _order_of(name, col, df[col]) if dtype == "category" else df[col]
    order = pd.DataFrame(keys).sort_values(list(keys), kind="mergesort").index
    return df.loc[order].reset_index(drop=True)


_ARROW = {"category": pa.string(), "string": pa.string(), "Int64": pa.int64(), "Float64": pa.float64(),
          "boolean": pa.bool_()}


def arrow_schema(name: str) -> pa.Schema:
    """How a table is stored: category and string columns as strings, nullable integers, floats, booleans."""
    return pa.schema([pa.field(c, _ARROW[d]) for c, d, _ in SCHEMAS[name]])


def to_arrow(df: pd.DataFrame | pa.Table, name: str) -> pa.Table:
    """A batch of rows (declared columns, any compatible dtypes) as an Arrow table of ``arrow_schema``.

    Missing values (None, NaN, NA) are nulls; categories are stored as their strings.
    """
    schema = arrow_schema(name)
    if isinstance(df, pa.Table):
        return df.select(schema.names).cast(schema)
    arrays = []
    for field in schema:
        s = df[field.name]
        if isinstance(s.dtype, pd.CategoricalDtype):
            s = s.astype(object)
        arr = pa.array(s, from_pandas=True) if len(s) else pa.array([], type=field.type)
        if pa.types.is_dictionary(arr.type):
            arr = arr.dictionary_decode()
        arrays.append(pa.nulls(len(s), field.type) if pa.types.is_null(arr.type) else arr.cast(field.type))
    return pa.Table.from_arrays(arrays, schema=schema)


def _categorical(values: pa.ChunkedArray | pa.Array, name: str, col: str) -> pd.Categorical:
    """A stored string column as the declared categorical, without a Python string per row."""
    import pyarrow.compute as pc

    if isinstance(values, pa.ChunkedArray):
        values = values.combine_chunks() if values.num_chunks != 1 else values.chunk(0)
    enc = pc.dictionary_encode(values)
    seen = enc.dictionary.to_pylist()
    cats = categories(name, col, seen)
    remap = pd.Index(cats).get_indexer(seen) if seen else np.zeros(0, np.int64)
    idx = pc.fill_null(enc.indices, 0).to_numpy(zero_copy_only=False).astype(np.int64)
    codes = remap[idx] if len(remap) else np.full(len(idx), -1, np.int64)
    if enc.indices.null_count:
        codes[enc.indices.is_null().to_numpy(zero_copy_only=False)] = -1
    return pd.Categorical.from_codes(codes, categories=cats)


def from_arrow(table: pa.Table, name: str) -> pd.DataFrame:
    """A stored table (or some of its columns) as a typed DataFrame (declared dtypes and categories)."""
    dtypes = {c: d for c, d, _ in SCHEMAS[name]}
    out = {}
    for col in table.column_names:
        values, dtype = table[col], dtypes[col]
        if dtype == "category":
            out[col] = _categorical(values, name, col)
        elif dtype == "string":
            out[col] = values.to_pandas().astype("string")
        else:
            out[col] = values.to_pandas(types_mapper={pa.int64(): pd.Int64Dtype(), pa.float64(): pd.Float64Dtype(),
                                                      pa.bool_(): pd.BooleanDtype()}.get)
            if str(out[col].dtype) != dtype:
                out[col] = out[col].astype(dtype)
    return pd.DataFrame(out, columns=table.column_names)


def validate(df: pd.DataFrame, name: str, key: bool = True) -> None:
    """Raise ``ValueError`` unless ``df`` has the declared columns, dtypes and (with ``key``) a unique primary key."""
    cols = SCHEMAS[name]
    if list(df.columns) != [c for c, _, _ in cols]:
        raise ValueError(f"{name}: columns {list(df.columns)} are not {[c for c, _, _ in cols]}")
    for col, dtype, _ in cols:
        if str(df[col].dtype) != dtype:
            raise ValueError(f"{name}.{col}: dtype {df[col].dtype}, declared {dtype}")
    keys = [c for c, _, _ in cols[:KEYS[name]]]
    if key and df.duplicated(keys).any():
        raise ValueError(f"{name}: duplicate primary key {keys}")
