"""The corpus tables: their declared schemas, how they are checked, written, read and assembled.

Six tables, one schema each (``SCHEMAS``): ``reports`` (one row per input
file), ``requests``, ``proactive``, ``review_litigation`` (tables 3, 2 and 4,
long and tidy), ``sections`` and ``checks``. A schema names every column with
its dtype, an English description and the Chinese label it comes from, and
the primary key. ``write_table`` refuses a frame that does not match its
schema and ``read_table`` refuses a file that does not, so a notebook never
sees a column with a silently changed type. ``docs/DATA.md`` is generated
from these schemas (``data_doc``).

Dtypes are pandas' nullable ones, so a blank cell (NULL) and 0 stay distinct:
counts are ``Int64``; table 2 values are ``Float64`` because fees are printed
with decimals (``7926.3139`` 万元); a float64 holds every decimal of up to 15
significant digits exactly as printed (it reads back equal to the literal),
which covers any amount a report prints. Low-cardinality strings are
categoricals: fixed categories in template order where the schema knows the
codes, sorted observed values otherwise (``report_id`` in the data tables is
one, which keeps 18 million request rows small in memory).

Files are Parquet written without pandas metadata and without timestamps,
sorted by the primary key, so equal frames give byte-identical files and
the files read the same from R or Arrow. Column descriptions travel in the
Parquet field metadata.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Mapping, Optional

from . import editions, schema

#: Bump when the rows made from the same Report can change (the corpus cache keys on it).
TABLES_VERSION = "1"

__all__ = [
    "SCHEMAS", "TABLE_NAMES", "TABLES_VERSION", "Column", "SchemaError", "TableSchema", "arrow_batch",
    "assemble", "codebook", "coerce", "concat", "cross_year_inputs", "cross_year_rows", "data_doc", "labels",
    "read_table", "reports_frame", "validate", "write_data_doc", "write_table",
]


class SchemaError(ValueError):
    """A frame or a file does not match its table's declared schema."""


@dataclass(frozen=True)
class Column:
    """One declared column.

    Parameters
    ----------
    name : str
    dtype : {"string", "Int64", "Float64", "boolean", "category"}
        The pandas dtype. ``category`` columns hold strings.
    en : str
        What the column means, in English.
    zh : str
        The Chinese label it comes from: the template's own words where the
        value is printed in the report, a Chinese name where it is derived.
    categories : tuple of str, optional
        Fixed categories (in template order) for a ``category`` column; None
        means the sorted observed values.
    labels : str, optional
        The ``labels()`` kind that maps this column's codes to zh/en labels.
    """

    name: str
    dtype: str
    en: str
    zh: str
    categories: Optional[tuple[str, ...]] = None
    labels: Optional[str] = None


@dataclass(frozen=True)
class TableSchema:
    name: str
    en: str
    zh: str
    columns: tuple[Column, ...]
    primary_key: tuple[str, ...]
    notes: tuple[str, ...] = field(default=())

    @property
    def names(self) -> list[str]:
        return [c.name for c in self.columns]

    def column(self, name: str) -> Column:
        for c in self.columns:
            if c.name == name:
                return c
        raise KeyError(name)


def _codes(labels: Iterable[schema.Label]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(lab.code for lab in labels))


_TEMPLATES = (schema.TEMPLATE_2019, schema.TEMPLATE_2021)
_PROACTIVE_ITEMS = _codes([*schema.PROACTIVE_ROWS[schema.TEMPLATE_2021], *schema.PROACTIVE_ROWS[schema.TEMPLATE_2019]])
_ITEM_ORDER = {code: k for k, code in enumerate(_PROACTIVE_ITEMS)}
_COLUMN_ORDER = {lab.code: k for k, lab in enumerate(schema.PROACTIVE_COLUMNS)}
_ID = Column("report_id", "category", "The report's id: sha256 of the file's bytes (reports.report_id)",
             "报告标识（文件内容的 sha256）")

# --------------------------------------------------------------------------- schemas

_REGION_COLUMNS = (
    Column("province", "category", "Province-level unit, official name (GB/T 2260)", "省级行政区"),
    Column("province_code", "category", "Its six-digit GB/T 2260 code", "省级行政区划代码"),
    Column("prefecture", "category", "Prefecture-level unit, official name; null for a municipality's districts "
           "and for county-level units the province administers itself (定州市, 仙桃市)", "地级行政区"),
    Column("prefecture_code", "category", "Its GB/T 2260 code", "地级行政区划代码"),
    Column("county", "category", "County-level unit (county, district, county-level city), official name",
           "县级行政区"),
    Column("county_code", "category", "Its GB/T 2260 code", "县级行政区划代码"),
    Column("region_code", "category", "GB/T 2260 code of the most specific unit found (the agency's place; "
           "a zone named with no place, such as 平潭综合实验区, takes the unit data/zones.csv gives it)",
           "行政区划代码"),
    Column("region_source", "category", "Where the region was read: 'agency' (the agency name names the place), "
           "'text' (the report's first lines) or 'township' (a township named without its county, found in a "
           "gazetteer of townships: the one county that holds that name, or the one the text's places support)",
           "地区信息来源", ("agency", "text", "township")),
    Column("region_historical", "boolean", "True when that unit no longer exists under that name and code "
           "(merged or renamed since; the code is from an older GB/T 2260 table), false when current",
           "是否为已撤销或更名的行政区划"),
)

REPORTS = TableSchema(
    "reports", "One row per input file, whatever happened to it", "报告（每个文件一行）",
    columns=(
        Column("path", "string", "File path relative to the raw folder, '/'-separated; the primary key",
               "文件路径"),
        Column("report_id", "string", "sha256 of the file's bytes: the id the other tables use. Files with "
               "the same bytes share it (see status 'duplicate'); null when the file could not be read",
               "报告标识（文件内容的 sha256）"),
        Column("status", "category", "ok: the three tables read and every identity holds; partial: a report, "
               "with something missing, ambiguous or inconsistent (see messages); failed; not_a_report; pre2019: "
               "a 2008-2018 report (older template, not parsed); duplicate: the same bytes as duplicate_of, "
               "the same report in other bytes (same agency, year and values_digest), or the same report read "
               "differently (its values agree with a fuller reading's on every cell both read; see messages)",
               "处理状态", _codes(schema.CORPUS_STATUSES), "status"),
        Column("duplicate_of", "string", "For a duplicate, the path of the file whose row holds the data "
               "(the first in path order; for a copy read differently, the reading with more cells)", "重复于"),
        Column("messages", "string", "What the parser and the corpus have to say about the file, one message "
               "per line (joined with newlines); null when there is nothing to say", "解析说明"),
        Column("agency", "string", "The agency as printed (发布机构, title or signature)", "发布机构"),
        Column("year", "Int64", "The year reported on (not the year of publication)", "报告年度"),
        Column("published", "string", "Publication date as printed, ISO format YYYY-MM-DD", "发布日期"),
        *_REGION_COLUMNS,
        Column("level", "category", "Level of government: central, provincial, prefecture, county, township",
               "行政层级", _codes(schema.GOVERNMENT_LEVELS), "level"),
        Column("agency_kind", "category", "Kind of agency: people's government (whole-government report), "
               "government office, department, township/street, development zone, other", "机关类型",
               _codes(schema.AGENCY_KINDS), "agency_kind"),
        Column("sector", "category", "A department's sector (commerce, public_security ...); null for other kinds",
               "部门领域", _codes(schema.SECTORS), "sector"),
        Column("agency_key", "string", "Key of the agency across years and name variants: region code and the "
               "normalised name (420200:经济信息化局 for 黄石市经信局 and 黄石市经济和信息化局)",
               "机关标识（跨年度）"),
        Column("template_proactive", "category", "Template table 2 follows: '2021' or '2019' (2019-2020 rows)",
               "主动公开表模板", _TEMPLATES),
        Column("template_requests", "category", "Template table 3 follows", "依申请公开表模板", _TEMPLATES),
        Column("template_review_litigation", "category", "Template table 4 follows (the same in both)",
               "复议诉讼表模板", _TEMPLATES),
        Column("values_digest", "string", "Digest of the values read from the three tables, blanks included "
               "(16 hex digits of a sha256); null when no table gave a value. Two files of one agency and year "
               "with the same digest are one report in other bytes (a copy on another site, another format): "
               "the second in path order is marked duplicate (ogi.editions)", "表格数值摘要"),
        Column("n_checks", "Int64", "Rows of this report in the checks table (null for an unreadable file)",
               "校验数"),
        Column("n_checks_failed", "Int64", "Of these, failed (ok = false), the cross-year check included",
               "未通过校验数"),
        Column("n_checks_undecidable", "Int64", "Of these, undecidable (ok = null: a blank cell involved)",
               "无法判定校验数"),
        Column("parser_version", "category", "Version of the parser that read the file", "解析器版本"),
        Column("format", "category", "Content type sniffed from the bytes: text, html, mhtml (a page saved as one file), docx, doc (legacy Word, WPS), pdf, binary",
               "文件格式"),
        Column("encoding", "category", "Text encoding detected (text and HTML files)", "文字编码"),
        Column("bytes", "Int64", "File size in bytes", "文件大小（字节）"),
    ),
    primary_key=("path",),
    notes=("Count reports with `status != 'duplicate'`: a duplicate file carries the metadata of its content "
           "but its data are in the other tables once, under the shared report_id; a copy in other bytes keeps "
           "its own report_id and rows there, which analyses leave out with its status.",
           "Join the data tables on report_id; filter out duplicates first, or the join repeats their rows."),
)

REQUESTS = TableSchema(
    "requests", "Table 3: requests received and how they were handled, one row per report, row and applicant "
    "column", "收到和处理政府信息公开申请情况",
    columns=(
        _ID,
        Column("row", "category", "Row code of table 3 (new, carried_over, granted, denied.state_secret, ...): "
               "the official rows, in template order", "表三行（办理结果等）", _codes(schema.REQUEST_ROWS),
               "request_row"),
        Column("group", "category", "The row's group: new, carried over, granted, partial, denied, unavailable, "
               "not processed, other, total, carry forward", "行所属类别", _codes(schema.REQUEST_GROUPS),
               "request_group"),
        Column("outcome_group", "category", "Comparable outcome group for comparisons with other FOI regimes "
               "(schema.OUTCOME_GROUPS: granted, partial, legal_exemption, not_held_or_needs_creation, "
               "procedural_or_vexatious, other); null for rows that are not outcomes", "可比办理结果类别",
               _codes(schema.OUTCOME_GROUPS), "outcome_group"),
        Column("applicant", "category", "Applicant column: natural_person, commercial, research, social_welfare, "
               "legal_service, other_org, total", "申请人情况", _codes(schema.APPLICANTS), "applicant"),
        Column("value", "Int64", "Number of requests as printed; null where the cell is blank or could not be "
               "read (never 0)", "申请数量（件）"),
    ),
    primary_key=("report_id", "row", "applicant"),
    notes=("Rows follow the report's own template: a 2019-2020 template table has one `other` row where the "
           "2021 template has other.no_correction, other.no_fee and other.other.",),
)

PROACTIVE = TableSchema(
    "proactive", "Table 2: proactive disclosure under Article 20, one row per report, item and column",
    "主动公开政府信息情况",
    columns=(
        _ID,
        Column("item", "category", "Row of table 2 (regulations, normative_documents, licensing, penalty, "
               "coercion, fees; 2019 template also other_services, fee_items, procurement)", "信息内容",
               _PROACTIVE_ITEMS, "proactive_item"),
        Column("column", "category", "Column of table 2 (issued, repealed, in_force, decisions, amount_10k_yuan; "
               "2019 template: made, published, total_public, items_last_year, items_change, projects, amount)",
               "统计项", _codes(schema.PROACTIVE_COLUMNS), "proactive_column"),
        Column("value", "Float64", "The number as printed; fees in 10,000 yuan with their decimals (a report "
               "that prints them in yuan is converted, and its messages say so); null where blank", "数量或金额"),
        Column("template", "category", "Template of the table: '2021' or '2019'", "模板", _TEMPLATES),
    ),
    primary_key=("report_id", "item", "column"),
)

REVIEW_LITIGATION = TableSchema(
    "review_litigation", "Table 4: administrative reconsideration and litigation, one row per report, group and "
    "outcome", "政府信息公开行政复议、行政诉讼情况",
    columns=(
        _ID,
        Column("group", "category", "review (reconsideration), litigation_direct (without prior reconsideration), "
               "litigation_after_review", "类别", _codes(schema.REVIEW_GROUPS), "review_group"),
        Column("outcome", "category", "upheld, corrected, other, pending, total", "结果",
               _codes(schema.REVIEW_OUTCOMES), "review_outcome"),
        Column("value", "Int64", "Number of cases as printed; null where blank", "案件数量（件）"),
    ),
    primary_key=("report_id", "group", "outcome"),
)

SECTIONS = TableSchema(
    "sections", "The text of the six sections; section 五 also split into its parts", "报告正文各部分",
    columns=(
        _ID,
        Column("section", "category", "overview, proactive, requests, review_litigation, problems, other",
               "部分", _codes(schema.SECTIONS), "section"),
        Column("part", "category", "'full' for the whole section; for 'problems' also the parts 'problems', "
               "'improvements' and 'rectification' (last year's problems and how they were fixed) where present",
               "段落", _codes(schema.SECTION_PARTS), "part"),
        Column("text", "string", "The text, heading excluded, lines joined with newlines, without a page's "
               "footers and running heads (— 3 —, 第2页 共9页, a page number alone in running text); the last "
               "section stops where the web page's own text (share buttons, related links, site footer) begins, "
               "and before the report's sign-off (the agency and the date under the text)", "正文"),
    ),
    primary_key=("report_id", "section", "part"),
    notes=("A section whose heading was not found has no row.",),
)

CHECKS = TableSchema(
    "checks", "Every identity evaluated on every report, and every value the parser inferred or could not "
    "decide", "勾稽关系校验",
    columns=(
        _ID,
        Column("check_no", "Int64", "Number of the check within its report (the parser's order; cross-year "
               "checks last)", "序号"),
        Column("rule", "category", "requests.balance, requests.row_total, requests.outcomes, "
               "review_litigation.group_total, requests.cross_year; inferred, ambiguous (parser)", "规则",
               labels="rule"),
        Column("scope", "category", "Where the rule was evaluated: an applicant column, a row, a group",
               "范围"),
        Column("ok", "boolean", "true: holds; false: fails as printed; null: undecidable (a blank cell)",
               "是否通过"),
        Column("left", "Float64", "Left side of the identity", "左边"),
        Column("right", "Float64", "Right side of the identity", "右边"),
        Column("difference", "Float64", "left - right", "差额"),
        Column("cells", "category", "The cells involved, comma-separated (requests.new[total], ...); for "
               "requests.cross_year the other report's cell is prefixed with its report_id and a colon",
               "涉及单元格"),
        Column("detail", "category", "The check in words (a categorical: the same sentence recurs across "
               "reports)", "说明"),
        Column("candidates", "string", "For 'ambiguous': the readings that fit, as JSON; else null", "候选值"),
    ),
    primary_key=("report_id", "check_no"),
)

SCHEMAS: dict[str, TableSchema] = {t.name: t for t in (REPORTS, REQUESTS, PROACTIVE, REVIEW_LITIGATION,
                                                         SECTIONS, CHECKS)}
TABLE_NAMES: tuple[str, ...] = tuple(SCHEMAS)

# --------------------------------------------------------------------------- labels

def _rule_labels() -> list[schema.Label]:
    out = [schema.Label(i.rule, i.zh, i.en) for i in (*schema.IDENTITIES, *schema.CORPUS_IDENTITIES)]
    return out + list(schema.PARSER_RULE_LABELS)


LABEL_KINDS: dict[str, Any] = {
    "status": lambda: schema.CORPUS_STATUSES,
    "section": lambda: schema.SECTIONS,
    "part": lambda: schema.SECTION_PARTS,
    "request_row": lambda: schema.REQUEST_ROWS,
    "request_group": lambda: schema.REQUEST_GROUPS,
    "outcome_group": lambda: schema.OUTCOME_GROUPS,
    "applicant": lambda: schema.APPLICANTS,
    "proactive_item": lambda: [*schema.PROACTIVE_ROWS[schema.TEMPLATE_2021],
                               *schema.PROACTIVE_ROWS[schema.TEMPLATE_2019]],
    "proactive_column": lambda: schema.PROACTIVE_COLUMNS,
    "review_group": lambda: schema.REVIEW_GROUPS,
    "review_outcome": lambda: schema.REVIEW_OUTCOMES,
    "rule": _rule_labels,
    "level": lambda: schema.GOVERNMENT_LEVELS,
    "agency_kind": lambda: schema.AGENCY_KINDS,
    "sector": lambda: schema.SECTORS,
}


def labels(kind: str, lang: str = "en") -> dict[str, str]:
    """Code -> label for a kind of category, to map a column in a notebook.

    Parameters
    ----------
    kind : str
        A kind (``request_row``, ``outcome_group``, ``applicant``, ``status``
        ...; see ``LABEL_KINDS``) or a column as ``"table.column"``
        (``"requests.row"``).
    lang : {"en", "zh"}

    Returns
    -------
    dict
        Code -> label; a code without a label (a rule added later) maps to itself.

    Examples
    --------
    >>> requests["row"].map(labels("requests.row", "zh"))  # doctest: +SKIP
    """
    if lang not in ("en", "zh"):
        raise ValueError(f"lang must be 'en' or 'zh', not {lang!r}")
    if "." in kind and kind.split(".", 1)[0] in SCHEMAS:
        table, col = kind.split(".", 1)
        k = SCHEMAS[table].column(col).labels
        if k is None:
            raise KeyError(f"column {kind} has no labels")
        kind = k
    if kind not in LABEL_KINDS:
        raise KeyError(f"unknown label kind {kind!r}; one of {', '.join(LABEL_KINDS)}")
    out = _Labels()
    for lab in LABEL_KINDS[kind]():
        out.setdefault(lab.code, getattr(lab, lang))  # 2021 wording first where templates share a code
    return out


class _Labels(dict):
    """A code -> label dict that gives an unknown code back unchanged (``Series.map`` uses ``__missing__``)."""

    def __missing__(self, code: str) -> str:
        return code


def codebook() -> Any:
    """Every label kind as one long frame (kind, code, zh, en): the codebook exports ship."""
    import pandas as pd

    rows = []
    for kind in LABEL_KINDS:
        zh, en = labels(kind, "zh"), labels(kind, "en")
        rows += [(kind, code, zh[code], en[code]) for code in zh]
    return pd.DataFrame(rows, columns=["kind", "code", "zh", "en"]).astype("string")


# --------------------------------------------------------------------------- the tidy rows' parts

#: Columns of one report's own (content) row: ``reports`` without what depends on the file or the corpus.
CONTENT_COLUMNS = tuple(c for c in REPORTS.names if c not in ("path", "duplicate_of", "bytes"))
DATA_PARTS = ("requests", "proactive", "review_litigation", "sections", "checks")


# --------------------------------------------------------------------------- frames

_NULLABLE = {"string": "string", "Int64": "Int64", "Float64": "Float64", "boolean": "boolean"}


def _categorical(v: Any, col: Column, where: str):
    """``v`` as a Categorical with the column's categories (declared, or the sorted observed values).

    Works on the codes when ``v`` is already categorical (18 million request
    rows are recoded, never turned back into strings).
    """
    import numpy as np
    import pandas as pd

    if isinstance(v, pd.Series) and isinstance(v.dtype, pd.CategoricalDtype):
        codes = np.asarray(v.cat.codes)
        old = v.cat.categories.astype("string")
        used = np.bincount(codes[codes >= 0], minlength=len(old)) > 0
        observed = old[used].tolist()
    else:
        v = (v if isinstance(v, pd.Series) else pd.Series(pd.array(list(v), dtype="string"))).astype("string")
        observed = list(v.dropna().unique())
    cats = list(col.categories) if col.categories is not None else sorted(observed)
    unknown = set(observed) - set(cats)
    if unknown:
        raise SchemaError(f"{where}: values outside the declared categories: {sorted(unknown)[:5]}")
    index = pd.Index(cats, dtype="string")
    if isinstance(v.dtype, pd.CategoricalDtype):
        if len(old) == len(index) and old.equals(index):  # the same categories: keep the codes
            if v.cat.categories.dtype == index.dtype:
                return v.array
            return pd.Categorical.from_codes(codes, dtype=pd.CategoricalDtype(index))
        position = index.get_indexer(old)  # -1 for unused categories outside ``cats``
        codes = np.asarray(v.cat.codes)
        new = np.where(codes >= 0, position[codes] if len(old) else codes, -1)
        return pd.Categorical.from_codes(new, dtype=pd.CategoricalDtype(index))
    return pd.Categorical(v, categories=index)


def coerce(columns: Mapping[str, Any], table: str) -> Any:
    """A DataFrame in the declared dtypes, from column lists or from a frame with the declared columns.

    Fixed categories are applied as declared, and a value outside them is an
    error (pandas would turn it into NaN silently). Observed categories are
    sorted, so their codes do not depend on row order.
    """
    import pandas as pd

    ts = SCHEMAS[table]
    data = {}
    for col in ts.columns:
        if col.name not in columns:
            raise SchemaError(f"{table}: column {col.name!r} missing")
        v = columns[col.name]
        if col.dtype == "category":
            data[col.name] = _categorical(v, col, f"{table}.{col.name}")
        elif isinstance(v, pd.Series):
            data[col.name] = v.astype(_NULLABLE[col.dtype]).array
        else:
            data[col.name] = pd.array(list(v), dtype=_NULLABLE[col.dtype])
    return pd.DataFrame(data)


def _key_arrays(df: Any, pk: list[str]) -> list:
    """The key columns as arrays that compare in key order: category codes, integers, strings."""
    import numpy as np
    import pandas as pd

    out = []
    for c in pk:
        s = df[c]
        if isinstance(s.dtype, pd.CategoricalDtype):
            out.append(np.asarray(s.cat.codes))
        elif pd.api.types.is_integer_dtype(s.dtype):
            out.append(s.to_numpy(dtype="int64", na_value=-1))
        else:
            out.append(s.to_numpy(dtype=object, na_value=""))
    return out


def _strictly_increasing(df: Any, pk: list[str]) -> bool:
    """Rows in key order with no key twice: one vectorised pass over adjacent rows."""
    import numpy as np

    if len(df) < 2:
        return True
    increasing = np.zeros(len(df) - 1, dtype=bool)
    equal = np.ones(len(df) - 1, dtype=bool)
    for a in _key_arrays(df, pk):
        increasing |= equal & (a[1:] > a[:-1])
        equal &= a[1:] == a[:-1]
    return bool(increasing.all())


def sort_frame(df: Any, table: str) -> Any:
    """Rows in primary-key order (categoricals by their category order), index 0..n-1.

    The data tables arrive with each report's rows in key order (``report_rows``
    emits them so), so a stable sort on the report id's codes usually suffices;
    the full sort is the fallback.
    """
    import numpy as np

    pk = list(SCHEMAS[table].primary_key)
    df = df.reset_index(drop=True)
    if _strictly_increasing(df, pk):
        return df
    first = _key_arrays(df, pk[:1])[0]
    if first.dtype != object:
        by_first = df.take(np.argsort(first, kind="stable")).reset_index(drop=True)
        if _strictly_increasing(by_first, pk):
            return by_first
    return df.sort_values(pk, kind="stable", ignore_index=True)


def validate(df: Any, table: str, *, subset: bool = False) -> None:
    """Raise ``SchemaError`` unless ``df`` has exactly the declared columns, dtypes and a valid key.

    Parameters
    ----------
    df : pandas.DataFrame
    table : str
        A name in ``SCHEMAS``.
    subset : bool
        ``df`` holds some of the declared columns, in the declared order (``read_table(columns=...)``):
        their dtypes are checked, and the key when all of its columns are there.
    """
    import pandas as pd

    ts = SCHEMAS[table]
    got = list(df.columns)
    expected = [c for c in ts.names if c in got] if subset else ts.names
    if got != expected:
        missing = [c for c in ts.names if c not in got] if not subset else []
        extra = [c for c in got if c not in ts.names]
        raise SchemaError(f"{table}: columns differ from the schema (missing {missing}, unexpected {extra}"
                          f"{', order differs' if not missing and not extra else ''})")
    for col in ts.columns:
        if col.name not in got:
            continue
        dt = df[col.name].dtype
        if col.dtype == "category":
            if not isinstance(dt, pd.CategoricalDtype):
                raise SchemaError(f"{table}.{col.name}: dtype {dt}, declared category")
            cats = list(dt.categories)
            if col.categories is not None and cats != list(col.categories):
                raise SchemaError(f"{table}.{col.name}: categories differ from the declared ones")
            if len(cats) and not pd.api.types.is_string_dtype(dt.categories.dtype):
                raise SchemaError(f"{table}.{col.name}: categories are not strings")
        elif col.dtype == "string":
            if not (isinstance(dt, pd.StringDtype) and dt.na_value is pd.NA):
                raise SchemaError(f"{table}.{col.name}: dtype {dt}, declared string")
        elif str(dt) != col.dtype:
            raise SchemaError(f"{table}.{col.name}: dtype {dt}, declared {col.dtype}")
    pk = list(ts.primary_key)
    if len(df) and all(c in got for c in pk):
        if df[pk].isna().any().any():
            raise SchemaError(f"{table}: null in the primary key {pk}")
        if not _strictly_increasing(df, pk) and df.duplicated(pk).any():
            raise SchemaError(f"{table}: duplicate primary key {pk}: "
                              f"{df.loc[df.duplicated(pk, keep=False), pk].head(3).to_dict('records')}")


# --------------------------------------------------------------------------- Parquet

def _arrow_schema(table: str):
    import pyarrow as pa

    types = {"string": pa.string(), "Int64": pa.int64(), "Float64": pa.float64(), "boolean": pa.bool_(),
             "category": pa.dictionary(pa.int32(), pa.string())}
    ts = SCHEMAS[table]
    fields = [pa.field(c.name, types[c.dtype], metadata={"description": c.en, "source_zh": c.zh})
              for c in ts.columns]
    meta = {"ogi.table": ts.name, "ogi.tables_version": TABLES_VERSION,
            "ogi.primary_key": ",".join(ts.primary_key)}
    return pa.schema(fields, metadata=meta)


def to_arrow(df: Any, table: str):
    """The frame as an Arrow table in the declared types, without pandas metadata (it is validated first)."""
    import numpy as np
    import pyarrow as pa

    validate(df, table)
    schema_ = _arrow_schema(table)
    arrays = []
    for col, f in zip(SCHEMAS[table].columns, schema_):
        s = df[col.name]
        if col.dtype == "category":
            codes = np.asarray(s.cat.codes, dtype=np.int32)
            indices = pa.array(codes, mask=codes < 0, type=pa.int32())
            arrays.append(pa.DictionaryArray.from_arrays(indices, pa.array(list(s.cat.categories), pa.string())))
        else:
            arrays.append(pa.array(s.array, type=f.type, from_pandas=True))
    return pa.Table.from_arrays(arrays, schema=schema_)


def write_table(df: Any, table: str, path: str | Path) -> None:
    """Validate ``df`` against its schema and write it to ``path`` as Parquet (zstd, no timestamps).

    ``df`` is a DataFrame, or an iterable of Arrow tables (``arrow_batch``
    output, in primary-key order) written one row group each: the corpus
    streams its large tables this way, so that no table is ever whole in
    memory. The key order is checked across batches too. The caller sorts
    (``sort_frame``) and makes the write atomic (the corpus writes to a
    temporary name and renames).
    """
    import pyarrow.parquet as pq

    if _is_frame(df):
        pq.write_table(to_arrow(df, table), str(path), compression="zstd", write_statistics=True)
        return
    schema_ = _arrow_schema(table)
    last = None
    # statistics of the first key column only (report_id): a row group holds a range of reports, so a reader's
    # filter on a report skips the others; on the other columns every row group spans the same values, and their
    # statistics cost a third of the writing (the dictionaries' strings compared row by row)
    with pq.ParquetWriter(str(path), schema_, compression="zstd", write_statistics=[SCHEMAS[table].primary_key[0]]
                          ) as writer:
        wrote = False
        for batch in df:
            if batch.num_rows == 0:
                continue
            if batch.schema != schema_:
                batch = batch.cast(schema_)  # the same types; carries the schema's metadata
            first = _pk_values(batch, table, 0)
            if last is not None and not last < first:
                raise SchemaError(f"{table}: rows out of primary-key order between batches ({last} then {first})")
            last = _pk_values(batch, table, batch.num_rows - 1)
            # one chunk per column: where a column's dictionary page overflows to plain pages depends
            # on the chunks it is given, so the bytes would depend on how the cache happened to cut
            # the rows (a build from merged cache segments differed from one that parsed); now only on the rows
            writer.write_table(batch.combine_chunks(), row_group_size=batch.num_rows)
            wrote = True
        if not wrote:
            writer.write_table(schema_.empty_table())


def _is_frame(df: Any) -> bool:
    pd = sys.modules.get("pandas")  # none before pandas is imported: a process that streams batches never needs it
    return pd is not None and isinstance(df, pd.DataFrame)


def _pk_values(batch, table: str, i: int) -> tuple:
    """Row ``i``'s key as comparable values: category *positions* for fixed categories, else the values."""
    ts = SCHEMAS[table]
    out = []
    for name in ts.primary_key:
        col = ts.column(name)
        v = batch.column(name)[i].as_py()
        out.append(col.categories.index(v) if col.categories is not None else v)
    return tuple(out)


def arrow_batch(t: Any, table: str) -> Any:
    """Rows of one table as an Arrow table in the declared schema, sorted and validated, for ``write_table``.

    ``t`` holds the declared columns; category columns as strings or
    dictionaries (any dictionaries, e.g. one per cache segment). Rows of one
    report must be contiguous-or-not but in key order among themselves (as
    ``report_rows`` emits them); rows are stably sorted by ``report_id``.
    Category columns get the declared categories, or the batch's sorted
    observed values (a Parquet row group has its own dictionary anyway;
    ``read_table`` gives every table its sorted categories back).

    Raises
    ------
    SchemaError
        On a value outside the declared categories, a null or repeated key.
    """
    import numpy as np
    import pyarrow as pa

    ts = SCHEMAS[table]
    schema_ = _arrow_schema(table)
    missing = [c for c in ts.names if c not in t.column_names]
    if missing:
        raise SchemaError(f"{table}: column(s) {missing} missing")
    arrays = []
    for col, f in zip(ts.columns, schema_):
        arr = t.column(col.name)
        if col.dtype == "category":
            arrays.append(_dictionary(arr, col, f"{table}.{col.name}"))
        else:
            arrays.append(arr.cast(f.type) if arr.type != f.type else arr)
    out = pa.Table.from_arrays(arrays, schema=schema_)
    pk = list(ts.primary_key)
    keys = _arrow_key_arrays(out, pk, ts)
    if any(k is None for k in keys):
        raise SchemaError(f"{table}: null in the primary key {pk}")
    if not _increasing(keys):
        order = np.argsort(keys[0], kind="stable")
        out = out.take(pa.array(order))
        keys = [k[order] for k in keys]
        if not _increasing(keys):
            df = sort_frame(from_arrow(out, table), table)  # rows of a report out of order: the full sort
            validate(df, table)
            return to_arrow(df, table)
    return out


def _increasing(keys: list) -> bool:
    import numpy as np

    if len(keys[0]) < 2:
        return True
    increasing = np.zeros(len(keys[0]) - 1, dtype=bool)
    equal = np.ones(len(keys[0]) - 1, dtype=bool)
    for a in keys:
        increasing |= equal & (a[1:] > a[:-1])
        equal &= a[1:] == a[:-1]
    return bool(increasing.all())


def _arrow_key_arrays(t: Any, pk: list[str], ts: TableSchema) -> list:
    """Key columns as numpy arrays comparing in key order (dictionary indices; values); None if a null."""
    import numpy as np
    import pyarrow as pa

    out = []
    for name in pk:
        arr = t.column(name).combine_chunks() if isinstance(t.column(name), pa.ChunkedArray) else t.column(name)
        if arr.null_count:
            out.append(None)
            continue
        if pa.types.is_dictionary(arr.type):
            out.append(np.asarray(arr.indices))
        elif pa.types.is_integer(arr.type):
            out.append(arr.to_numpy())
        else:
            out.append(np.asarray(arr.to_pylist(), dtype=object))
    return out


def _dictionary(arr: Any, col: Column, where: str):
    """``arr`` (strings, or dictionaries) as one DictionaryArray over the declared or sorted observed values."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    chunks = arr.chunks if isinstance(arr, pa.ChunkedArray) else [arr]
    chunks = [ch if pa.types.is_dictionary(ch.type) else ch.cast(pa.string()).dictionary_encode() for ch in chunks]
    if len(chunks) > 1:  # one dictionary for all: each step below costs per chunk (a batch of the cache has dozens)
        chunks = [pa.chunked_array(chunks).unify_dictionaries().combine_chunks()]
    dicts, idx, used = [], [], []
    for ch in chunks:
        d = ch.dictionary.cast(pa.string())
        i = ch.indices
        # the indices rows use, sorted (a count per dictionary entry: linear, where np.unique sorts)
        u = np.flatnonzero(np.bincount(np.asarray(i.drop_null()), minlength=len(d))) if len(d) else \
            np.zeros(0, np.int64)
        dicts.append(d)
        idx.append(i)
        used.append(d.take(pa.array(u, pa.int64())))  # the values rows use (a dictionary may hold more)
    if col.categories is not None:
        cats = pa.array(col.categories, pa.string())
        for u in used:
            bad = pc.filter(u, pc.invert(pc.is_in(u, value_set=cats)))
            if len(bad):
                raise SchemaError(f"{where}: values outside the declared categories: {sorted(bad.to_pylist())[:5]}")
    else:
        cats = pc.unique(pa.concat_arrays(used)) if used else pa.array([], pa.string())
        cats = cats.take(pc.array_sort_indices(cats))
    parts = []
    for d, i in zip(dicts, idx):
        pos = pc.index_in(d, value_set=cats).cast(pa.int32())
        parts.append(pc.take(pos, i) if len(d) else pa.nulls(len(i), pa.int32()))
    indices = pa.concat_arrays(parts) if parts else pa.array([], pa.int32())
    return pa.DictionaryArray.from_arrays(indices, cats)


def from_arrow(t, table: str) -> Any:
    """An Arrow table (from Parquet or the cache) as a frame in the declared dtypes; categories normalised."""
    import pandas as pd
    import pyarrow as pa

    mapping = {pa.int64(): pd.Int64Dtype(), pa.float64(): pd.Float64Dtype(), pa.bool_(): pd.BooleanDtype(),
               pa.string(): pd.StringDtype(na_value=pd.NA), pa.large_string(): pd.StringDtype(na_value=pd.NA)}
    df = t.to_pandas(types_mapper=mapping.get, ignore_metadata=True)
    for col in SCHEMAS[table].columns:
        if col.dtype == "category" and col.name in df.columns:
            df[col.name] = _categorical(df[col.name], col, f"{table}.{col.name}")
    return df


def read_table(path: str | Path, table: str, columns: Optional[Iterable[str]] = None) -> Any:
    """Read one table's Parquet file and validate it against the declared schema.

    Parameters
    ----------
    path : path-like
    table : str
        A name in ``SCHEMAS``.
    columns : iterable of str, optional
        Read only these columns (returned in the declared order): Parquet is columnar, so a
        summary that needs three small columns of ``checks`` does not pay for its texts. The
        file must still hold exactly the declared columns; the ones read are type-checked.

    Raises
    ------
    SchemaError
        When a column is missing or extra, or a dtype differs from the schema.
    """
    import pyarrow as pa
    import pyarrow.parquet as pq

    ts = SCHEMAS[table]
    if columns is None:
        t = pq.read_table(str(path))
        names = t.column_names
    else:
        wanted = set(columns)
        unknown = sorted(wanted - set(ts.names))
        if unknown:
            raise KeyError(f"{table} has no columns {unknown}; columns: {', '.join(ts.names)}")
        names = pq.read_schema(str(path)).names
    if names != ts.names:
        missing = [c for c in ts.names if c not in names]
        extra = [c for c in names if c not in ts.names]
        raise SchemaError(f"{path}: columns differ from the {table} schema (missing {missing}, unexpected {extra})")
    if columns is not None:
        t = pq.read_table(str(path), columns=[c for c in ts.names if c in wanted])
    expected = _arrow_schema(table)
    for f in expected:
        if f.name not in t.column_names:
            continue
        got = t.schema.field(f.name).type
        ok = got == f.type or (pa.types.is_dictionary(f.type) and pa.types.is_dictionary(got)) or \
            (f.type == pa.string() and got == pa.large_string())
        if not ok:
            raise SchemaError(f"{path}: {table}.{f.name} is {got}, declared {f.type}")
    df = from_arrow(t, table)
    validate(df, table, subset=columns is not None)
    return df


# --------------------------------------------------------------------------- corpus-level rows

def assemble(files: Any, content: Any, parts: Mapping[str, Any]) -> dict[str, Any]:
    """The six tables from the files found, each content's row, and the data rows (all in memory).

    The corpus build streams the same steps table by table (``ogi.corpus``);
    this in-memory version is the reference for small corpora and tests.

    Parameters
    ----------
    files : pandas.DataFrame
        One row per input file: ``path`` (sorted), ``report_id`` (null when
        unreadable), ``bytes``, ``error`` (why it could not be read).
    content : pandas.DataFrame
        One row per distinct report_id (``CONTENT_COLUMNS``).
    parts : mapping
        ``requests``, ``proactive``, ``review_litigation``, ``sections``,
        ``checks``: frames in the declared columns, for these report ids.

    Returns
    -------
    dict of str to pandas.DataFrame
        Every table, coerced, validated and sorted by its primary key.
    """
    parts = _once_per_report(content, parts)
    # a report in two partitions is one report for the cross-year pairs too (else its pairs count twice)
    cross = cross_year_checks(content.drop_duplicates("report_id"), parts["requests"], parts["checks"])
    checks = coerce(parts["checks"], "checks")
    if len(cross):
        checks = concat([checks, coerce(cross, "checks")], "checks")
    out = {"reports": reports_frame(files, content, _check_counts(checks),
                                    lambda ids: editions.values_from_frames(parts, ids))}
    for name in DATA_PARTS:
        df = checks if name == "checks" else parts[name]
        out[name] = sort_frame(coerce(df, name), name)
    for name, df in out.items():
        validate(df, name)
    return out


def _once_per_report(content: Any, parts: Mapping[str, Any]) -> dict[str, Any]:
    """The data rows with each report once: a report whose bytes were in two partitions of a cluster's map
    step (``corpus.parse_partition``) has two identical copies of its rows; keep one."""
    ids = content["report_id"].astype("string")
    twice = set(ids[ids.duplicated()])
    if not twice:
        return dict(parts)
    out = {}
    for name, df in parts.items():
        again = df["report_id"].astype("string").isin(twice) & df.duplicated(list(SCHEMAS[name].primary_key))
        out[name] = df[~again.to_numpy(dtype=bool)].reset_index(drop=True)
    return out


def reports_frame(files: Any, content: Any, counts: Any, values_of: Optional[editions.ValuesOf] = None) -> Any:
    """The ``reports`` table: one row per file, its content's row, duplicates and unreadable files marked.

    Parameters
    ----------
    files : pandas.DataFrame
        ``path``, ``report_id``, ``bytes``, ``error`` (see ``assemble``).
    content : pandas.DataFrame
        One row per report id (``CONTENT_COLUMNS``).
    counts : pandas.DataFrame
        ``report_id``, ``n_checks``, ``n_checks_failed``, ``n_checks_undecidable``
        over the whole checks table (cross-year checks included).
    values_of : callable, optional
        The values of a few report ids (``editions.ValuesOf``), to tell a copy
        read differently from another edition; without it both are counted.
    """
    import pandas as pd

    files = files.sort_values("path", kind="stable", ignore_index=True)
    ids = files["report_id"].astype("string")
    known = ids.notna()
    canonical = files.loc[known & ~ids.duplicated(), ["report_id", "path"]].astype("string")
    # each id's first path, indexed by id (unique): mapped by a hash join, not a dict built value by value
    canonical = pd.Series(canonical["path"].array, index=canonical["report_id"].array)

    content = content.drop_duplicates("report_id").reset_index(drop=True)
    content = content.assign(report_id=content["report_id"].astype("string"), _has=True)
    for c in ("n_checks", "n_checks_failed", "n_checks_undecidable"):
        content = content.drop(columns=c)
    counts = counts.assign(report_id=counts["report_id"].astype("string"))
    content = content.merge(counts, on="report_id", how="left")
    rep = pd.DataFrame({"path": files["path"].astype("string"), "report_id": ids,
                        "bytes": files["bytes"].astype("Int64"), "error": files["error"].astype("string")})
    rep = rep.merge(content, on="report_id", how="left", sort=False)
    has = rep["_has"].fillna(False).astype(bool)
    for c in ("n_checks", "n_checks_failed", "n_checks_undecidable"):
        rep[c] = rep[c].astype("Int64").where(~has | rep[c].notna(), 0)
    rep["status"] = rep["status"].astype("string")
    rep["messages"] = rep["messages"].astype("string")
    # unreadable, or listed with an id whose content did not come back (changed while read, worker lost)
    bad = ~has
    rep.loc[bad, "status"] = "failed"
    rep.loc[bad, "messages"] = rep.loc[bad, "error"].fillna(
        "the file changed while the build read it; build again")
    first = rep["report_id"].map(canonical)
    dup = has & (first != rep["path"]).fillna(False)
    rep["duplicate_of"] = pd.array([None] * len(rep), dtype="string")
    rep.loc[dup, "status"] = "duplicate"
    rep.loc[dup, "duplicate_of"] = first[dup]
    rep.loc[dup, "messages"] = "same content as " + first[dup] + ": its data are counted once, under that file"
    # One report in other bytes (a mirror's copy, the page and its PDF or crawler text): ok or partial reports
    # of one placed agency and year (ogi.editions)
    same = (has & ~dup & rep["status"].isin(["ok", "partial"]).fillna(False) & rep["agency_key"].notna()
            & rep["year"].notna() & rep["values_digest"].notna() & rep["region_code"].notna())
    editions.mark_copies(rep, same, values_of)
    out = sort_frame(coerce(rep[REPORTS.names], "reports"), "reports")
    validate(out, "reports")
    return out


def concat(frames: list, table: str) -> Any:
    """Frames of one table (declared dtypes) as one, categories unioned and sorted where observed."""
    import pandas as pd
    from pandas.api.types import union_categoricals

    ts = SCHEMAS[table]
    data = {}
    for col in ts.columns:
        series = [f[col.name] for f in frames]
        if col.dtype == "category":
            u = union_categoricals([s.array for s in series], ignore_order=True)
            data[col.name] = _categorical(pd.Series(u), col, f"{table}.{col.name}")
        else:
            data[col.name] = pd.concat(series, ignore_index=True).array
    return pd.DataFrame(data)


def _check_counts(checks: Any) -> Any:
    """Per report id: checks, failed, undecidable (the reports table's n_checks columns)."""
    import pandas as pd

    ok = checks["ok"].astype("boolean")
    g = pd.DataFrame({"report_id": checks["report_id"], "n_checks": 1,
                      "n_checks_failed": ok.eq(False).fillna(False).astype(int),
                      "n_checks_undecidable": ok.isna().astype(int)}).groupby(
        "report_id", sort=False, observed=True).sum()
    g.index = g.index.astype("string")
    return g.reset_index()


def cross_year_checks(content: Any, requests: Any, checks: Any) -> Any:
    """``requests.cross_year``: last year's carried forward vs this year's carried over, same agency.

    For every pair of reports with the same ``agency_key`` and consecutive
    years, one row per applicant column, attached to the later report (its
    check numbers continue after its own checks). The other report's id is in
    ``cells`` and its path-independent year in ``detail``.
    """
    start = None
    if checks is not None and len(checks):
        start = checks.assign(report_id=checks["report_id"].astype("string")).groupby("report_id")[
            "check_no"].max()
    this, last = cross_year_inputs(content, requests)
    return cross_year_rows(this, last, start)


def cross_year_inputs(content: Any, requests: Any) -> tuple[Any, Any]:
    """The two sides of the cross-year join: (this year's carried over, last year's carried forward).

    ``requests`` needs only its ``carried_over`` and ``carry_forward`` rows. Each
    side has ``report_id``, ``agency_key``, ``year`` (last year's shifted by one),
    ``applicant`` and ``value``; the first two and ``applicant`` are categoricals over
    their sorted values, the same on both sides.
    """
    import pandas as pd

    cols = ["report_id", "agency_key", "year", "applicant", "value"]
    empty = pd.DataFrame({c: pd.Series([], dtype="object") for c in cols})
    if requests is None or not len(requests) or content is None or not len(content):
        return empty, empty
    meta = content[["report_id", "agency_key", "year"]].reset_index(drop=True)
    meta = meta[meta["agency_key"].notna() & meta["year"].notna()]
    if not len(meta):
        return empty, empty
    # Categoricals over sorted values, not strings: ~700,000 rows a side at 100,000 reports, where
    # a string per row cost ~400 MB; sorted categories sort as the strings do.
    def sorted_categories(values) -> pd.CategoricalDtype:
        return pd.CategoricalDtype(sorted(set(values.astype("string").dropna().tolist())))

    ids = sorted_categories(meta["report_id"])
    meta = meta.astype({"report_id": ids, "agency_key": sorted_categories(meta["agency_key"])})
    req = requests[requests["row"].isin(["carried_over", "carry_forward"])]
    req = req[req["report_id"].isin(ids.categories)]  # not the rows of a report without agency or year
    req = req.assign(report_id=req["report_id"].astype(ids),
                     applicant=req["applicant"].astype(sorted_categories(req["applicant"])))
    this = meta.merge(req[req["row"] == "carried_over"], on="report_id")[cols]
    last = meta.assign(year=meta["year"] + 1).merge(req[req["row"] == "carry_forward"], on="report_id")[cols]
    return this, last


def _g(values: Any) -> Any:
    """``f"{x:g}"`` of each float, formatted once per distinct value (Python's own formatting, exactly)."""
    import numpy as np

    uniq, inverse = np.unique(np.asarray(values, dtype="float64"), return_inverse=True)
    return np.array([format(v, "g") for v in uniq.tolist()], dtype=object)[inverse.reshape(-1)]


def _strings(values: Any) -> Any:
    """A column of strings (or a categorical over strings) as a numpy object array.

    A categorical's strings are taken for its rows only: ``astype(str)`` would convert
    every category, and a batch of the cross-year join carries all the corpus's report ids.
    """
    import numpy as np
    import pandas as pd

    if isinstance(values.dtype, pd.CategoricalDtype):
        codes = values.cat.codes.to_numpy()
        if len(codes) and codes.min() < 0:
            raise ValueError("a null where every row must have a value")
        return np.asarray(values.cat.categories.take(codes), dtype=object)
    return values.astype(str).to_numpy(dtype=object)


def _codes(this: Any, last: Any, name: str) -> tuple[Any, Any]:
    """Integer codes of column ``name`` on both sides of a join, equal where the values are equal.

    Categoricals over the same categories (``cross_year_inputs`` makes them) give their
    codes as they are; other columns are factorised together.
    """
    import numpy as np
    import pandas as pd

    a, b = this[name], last[name]
    if (isinstance(a.dtype, pd.CategoricalDtype) and isinstance(b.dtype, pd.CategoricalDtype)
            and a.cat.categories.equals(b.cat.categories)):
        return a.cat.codes.to_numpy().astype(np.int64), b.cat.codes.to_numpy().astype(np.int64)
    if pd.api.types.is_integer_dtype(a.dtype) and pd.api.types.is_integer_dtype(b.dtype) \
            and not (a.isna().any() or b.isna().any()):
        return a.to_numpy(dtype=np.int64), b.to_numpy(dtype=np.int64)
    codes, _ = pd.factorize(np.concatenate([np.asarray(a, dtype=object), np.asarray(b, dtype=object)]))
    return codes[:len(a)].astype(np.int64), codes[len(a):].astype(np.int64)


def _rank(values: Any) -> Any:
    """Integers that sort as the strings of ``values`` do (a sorted categorical's codes as they are)."""
    import numpy as np
    import pandas as pd

    if isinstance(values.dtype, pd.CategoricalDtype) and values.cat.categories.is_monotonic_increasing:
        return values.cat.codes.to_numpy()
    codes, _ = pd.factorize(_strings(values), sort=True)
    return np.asarray(codes)


def cross_year_rows(this: Any, last: Any, start: Any = None) -> Any:
    """The ``requests.cross_year`` check rows for the reports in ``this`` (see ``cross_year_checks``).

    ``start``: a Series report_id -> the report's largest own ``check_no``
    (the cross-year checks are numbered after it); missing means none.
    Vectorised (``CrossYearJoin``): it joins on integer codes and makes
    strings only for the rows it returns.
    """
    import pandas as pd

    cols = SCHEMAS["checks"].names
    c = CrossYearJoin(this, last).columns(0, len(this), start)
    if c is None:
        return pd.DataFrame({name: pd.Series([], dtype="object") for name in cols})
    ok = pd.array(c["same"], dtype="boolean")
    ok[~c["decidable"]] = pd.NA
    difference = pd.array(c["difference"], dtype="Float64")
    difference[~c["decidable"]] = pd.NA
    return pd.DataFrame({
        "report_id": c["report_id"], "check_no": c["check_no"], "rule": "requests.cross_year",
        "scope": c["scope"], "ok": ok, "left": pd.array(c["left"], dtype="Float64"),
        "right": pd.array(c["right"], dtype="Float64"), "difference": difference,
        "cells": c["cells"].to_numpy(zero_copy_only=False), "detail": c["detail"].to_numpy(zero_copy_only=False),
        "candidates": pd.array([None] * len(c["check_no"]), dtype="string"),
    })[cols]


def cross_year_arrow(this: Any, last: Any, start: Any = None) -> Any:
    """``cross_year_rows`` as an Arrow table in the checks' declared types (None when there is no row)."""
    return CrossYearJoin(this, last).arrow(0, len(this) if this is not None else 0, start)


class CrossYearJoin:
    """The cross-year join of ``cross_year_inputs``'s two sides, made a range of this year's reports at a time.

    Each pair (a report, last year's report of its agency, an applicant column) gives a check row; rows are
    sorted by report, last year's report and column. What every range needs is made once (integer keys, the
    other side sorted by key): the build takes the rows of each batch of reports as it writes the checks
    (``rows``, ``arrow``), where a join a batch, in pandas, cost its critical path ~2 s at 100,000 reports; and
    pairs are made a range at a time, so an agency with many reports a year cannot make millions at once.
    """

    def __init__(self, this: Any, last: Any) -> None:
        import numpy as np

        if this is None or not len(this) or last is None or not len(last):
            self._setup(None, None)
            return
        sides: tuple[dict[str, Any], dict[str, Any]] = ({}, {})
        for name, field_ in (("agency_key", "agency"), ("year", "year"), ("applicant", "applicant"),
                             ("report_id", "code")):
            for side, codes in zip(sides, _codes(this, last, name)):
                side[field_] = codes
        for side, frame in zip(sides, (this, last)):
            side["rank"], side["ids"] = _rank(frame["report_id"]), _strings(frame["report_id"])
            side["value"] = frame["value"].to_numpy(dtype="float64", na_value=np.nan)
        sides[0]["app"], sides[0]["year"] = _strings(this["applicant"]), this["year"].astype("int64").to_numpy()
        self._setup(*sides)

    @classmethod
    def from_carried(cls, meta: Any, carried: list) -> "CrossYearJoin":
        """The join of ``cross_year_inputs(meta, requests)`` from the reports' ``report_id``, ``agency_key`` and
        ``year`` (a frame) and the requests' carried-over and carried-forward rows (Arrow tables: ``report_id``,
        ``row``, ``applicant``, ``value``), in numpy: pandas' merges and categoricals for it cost the build's
        critical path ~1 s at 100,000 reports."""
        import numpy as np
        import pyarrow as pa

        m = meta[meta["agency_key"].notna() & meta["year"].notna()]
        rid = np.asarray(m["report_id"].astype(str), dtype=object)
        ids = np.unique(rid)  # sorted: a report's place in them is its rank
        at = np.searchsorted(ids, rid)
        agencies, agency_of = np.unique(np.asarray(m["agency_key"].astype(str), dtype=object), return_inverse=True)
        agency, year = np.zeros(len(ids), np.int64), np.zeros(len(ids), np.int64)
        agency[at], year[at] = agency_of, m["year"].astype("int64").to_numpy()
        apps = np.array(schema.APPLICANT_CODES, dtype=object)

        def codes(col, of) -> Any:  # a dictionary column's rows as of(dictionary values), -1 for a null
            out = []
            for ch in col.chunks:
                ch = ch if pa.types.is_dictionary(ch.type) else ch.dictionary_encode()
                by_entry = of(np.asarray(ch.dictionary.to_pylist(), dtype=object))
                got = (by_entry[np.asarray(ch.indices.fill_null(0))] if len(by_entry) else
                       np.full(len(ch), -1, np.int64))
                out.append(np.where(np.asarray(ch.is_null()), -1, got) if ch.null_count else got)
            return np.concatenate(out) if out else np.zeros(0, np.int64)

        def place(values: Any) -> Any:  # a report's place in ids; -1 for one without agency or year
            k = np.minimum(np.searchsorted(ids, values), len(ids) - 1)
            return np.where(ids[k] == values, k, -1)

        t = pa.concat_tables(carried, promote_options="permissive") if carried else None
        if t is None or not t.num_rows or not len(ids):
            join = cls.__new__(cls)
            join._setup(None, None)
            return join
        code = codes(t.column("report_id"), place)
        row = codes(t.column("row"), lambda v: np.array([{"carried_over": 0, "carry_forward": 1}.get(x, -1)
                                                          for x in v], dtype=np.int64))
        order = {a: k for k, a in enumerate(schema.APPLICANT_CODES)}
        app = codes(t.column("applicant"), lambda v: np.array([order.get(x, -1) for x in v], dtype=np.int64))
        if (app[code >= 0] < 0).any():
            raise SchemaError("requests.applicant: a value outside the declared categories")
        value = t.column("value").to_numpy(zero_copy_only=False).astype("float64")
        sides = []
        for which, shift in ((0, 0), (1, 1)):
            rows = np.flatnonzero((code >= 0) & (row == which))
            c = code[rows]
            sides.append({"agency": agency[c], "year": year[c] + shift, "applicant": app[rows], "code": c, "rank": c,
                          "ids": ids[c], "value": value[rows], "app": apps[app[rows]]})
        join = cls.__new__(cls)
        join._setup(*(sides if len(sides[0]["code"]) and len(sides[1]["code"]) else (None, None)))
        return join

    def _setup(self, this: Optional[dict[str, Any]], last: Optional[dict[str, Any]]) -> None:
        """What every range needs, from each side's columns as numpy arrays: ``agency``, ``year``,
        ``applicant`` and ``code`` (integers equal where the values are), ``rank`` (sorts as the report ids),
        ``ids`` and ``value``; this year's ``app`` (the applicant columns' codes as text)."""
        import numpy as np

        self.empty = this is None or last is None
        if this is None or last is None:
            self.ids = np.zeros(0, dtype=object)
            return
        # the join on (agency_key, year, applicant), as one integer key per row
        key_this, key_last = np.zeros(len(this["code"]), np.int64), np.zeros(len(last["code"]), np.int64)
        for name in ("agency", "year", "applicant"):
            a, b = this[name], last[name]
            lo = min(a.min(), b.min())
            span = int(max(a.max(), b.max()) - lo + 1)
            key_this, key_last = key_this * span + (a - lo), key_last * span + (b - lo)
        by_report = np.argsort(this["rank"], kind="stable")  # this year's rows in report order: a range is a run
        order = {a: k for k, a in enumerate(schema.APPLICANT_CODES)}
        app = this["app"][by_report]
        self.key, self.code, self.rank = key_this[by_report], this["code"][by_report], this["rank"][by_report]
        self.ids = this["ids"][by_report]
        self.app, self.app_order = app, np.array([order[a] for a in app], dtype=np.int64)
        self.year, self.value = this["year"][by_report], this["value"][by_report]
        self.by_key = np.argsort(key_last, kind="stable")
        self.last_key = key_last[self.by_key]
        self.last_code, self.last_rank = last["code"], last["rank"]
        self.last_ids, self.last_value = last["ids"], last["value"]

    def rows(self, lo: str, hi: Optional[str]) -> tuple[int, int]:
        """This year's rows of the reports whose ids are in [lo, hi) (hi None: to the end)."""
        import numpy as np

        a = int(np.searchsorted(self.ids, lo, side="left"))
        b = len(self.ids) if hi is None else int(np.searchsorted(self.ids, hi, side="left"))
        return a, b

    def columns(self, a: int, b: int, start: Any = None) -> Optional[dict[str, Any]]:
        """The check columns of this year's rows ``a..b-1`` (None when no pair): ``report_id``, ``scope``
        (numpy), ``check_no`` (numbered after each report's ``start``), ``left`` and ``right`` (float64, NaN
        blank), ``difference`` (0 where not decidable), ``same`` and ``decidable``, ``cells`` and ``detail``
        (Arrow strings, made by Arrow's kernels: a Python f-string a row cost most of a join)."""
        import numpy as np
        import pyarrow as pa
        import pyarrow.compute as pc

        if self.empty or b <= a:
            return None
        first_at = np.searchsorted(self.last_key, self.key[a:b], side="left")
        n = np.searchsorted(self.last_key, self.key[a:b], side="right") - first_at
        i = a + np.repeat(np.arange(b - a), n)  # rows of this
        j = self.by_key[np.repeat(first_at - np.cumsum(n) + n, n) + np.arange(int(n.sum()))]  # their rows of last
        keep = self.code[i] != self.last_code[j]
        i, j = i[keep], j[keep]
        if not len(i):
            return None
        sort = np.lexsort((self.app_order[i], self.last_rank[j], self.rank[i]))
        i, j = i[sort], j[sort]
        rid, other, app, year = self.ids[i], self.last_ids[j], self.app[i], self.year[i]
        lf, rf = self.last_value[j], self.value[i]
        # numbered within each report, after its own checks: the rows are sorted by report, a report's rows a run
        runs = np.flatnonzero(np.r_[True, self.code[i[1:]] != self.code[i[:-1]]])
        lengths = np.diff(np.r_[runs, len(i)])
        first = (start.reindex(rid[runs]).to_numpy(dtype="float64", na_value=np.nan)
                 if start is not None and len(start) else np.full(len(runs), np.nan))
        first = np.repeat(np.where(np.isnan(first), -1, first).astype(np.int64) + 1, lengths)
        at = np.arange(len(rid))
        check_no = first + at - np.repeat(runs, lengths)
        decidable = ~(np.isnan(lf) | np.isnan(rf))
        diff = lf - rf
        same = decidable & (np.abs(np.where(decidable, diff, 0.0)) < 1e-9)
        years = np.unique(np.concatenate([year, year - 1]))
        names = pa.array([str(y) for y in years.tolist()], pa.string())
        this_year, last_year = (names.take(pa.array(np.searchsorted(years, y))) for y in (year, year - 1))
        o, s = pa.array(other, pa.string()), pa.array(app, pa.string())
        lg, rg, dg = (pa.array(_g(np.where(decidable, v, 0.0)), pa.string()) for v in (lf, rf, diff))
        join = pc.binary_join_element_wise
        verdict = pc.if_else(pa.array(decidable), pc.if_else(pa.array(same), join(": ", lg, " = ", rg, ""),
                                                             join(": ", lg, " ≠ ", rg, " (difference ", dg, ")", "")),
                             ": not decidable, a cell involved is blank")
        detail = join("carried forward in ", last_year, " vs carried over in ", this_year, " (", s, ")", verdict,
                      "; last year's report ", o, "")
        cells = join(o, ":requests.carry_forward[", s, "], requests.carried_over[", s, "]", "")
        return {"report_id": rid, "check_no": check_no, "scope": app, "cells": cells, "detail": detail, "left": lf,
                "right": rf, "difference": np.where(decidable, diff, 0.0), "same": same, "decidable": decidable}

    def arrow(self, a: int, b: int, start: Any = None) -> Any:
        """This year's rows ``a..b-1``'s check rows as an Arrow table in the checks' declared types (None when
        there is none)."""
        import numpy as np
        import pyarrow as pa

        c = self.columns(a, b, start)
        if c is None:
            return None
        n = len(c["check_no"])
        undecidable = ~c["decidable"]
        left, right = c["left"], c["right"]
        columns = {
            "report_id": pa.array(c["report_id"], pa.string()), "check_no": pa.array(c["check_no"], pa.int64()),
            "rule": pa.DictionaryArray.from_arrays(pa.array(np.zeros(n, np.int32)), pa.array(["requests.cross_year"])),
            "scope": pa.array(c["scope"], pa.string()),
            "ok": pa.array(c["same"], mask=undecidable, type=pa.bool_()),
            "left": pa.array(left, mask=np.isnan(left), type=pa.float64()),
            "right": pa.array(right, mask=np.isnan(right), type=pa.float64()),
            "difference": pa.array(c["difference"], mask=undecidable, type=pa.float64()),
            "cells": c["cells"], "detail": c["detail"], "candidates": pa.nulls(n, pa.string()),
        }
        schema_ = _arrow_schema("checks")
        return pa.Table.from_arrays([columns[f.name] if columns[f.name].type == f.type
                                     else columns[f.name].cast(f.type) for f in schema_], schema=schema_)


# --------------------------------------------------------------------------- docs/DATA.md

def data_doc() -> str:
    """docs/DATA.md, generated from the schemas (a test keeps the committed file equal to this)."""
    out = [
        "# The corpus tables",
        "",
        "<!-- Generated from the schemas in lib/ogi/tables.py by "
        "`python -c \"import ogi.tables as t; t.write_data_doc()\"`; do not edit by hand. -->",
        "",
        "`ogi build` (or `make data`) writes these tables to `data/processed/` as Parquet; "
        "`ogi.load()` returns them as pandas DataFrames, and `ogi export --format csv|stata|parquet` "
        "writes copies for other tools, with `codebook` (every code with its Chinese and English label).",
        "",
        "Conventions:",
        "",
        "- NULL means blank or unreadable, never 0: counts are nullable integers (`Int64`), table 2 values "
        "nullable floats (`Float64`, exact for every printed decimal of up to 15 significant digits).",
        "- Codes are English identifiers; `ogi.tables.labels(kind, lang)` (`lang` = `\"zh\"` or `\"en\"`) "
        "maps them to labels, e.g. `labels(\"requests.row\", \"zh\")`. The *labels* column below names the kind.",
        "- `report_id` is the sha256 of a file's bytes; it joins the tables. `messages` is one string, one "
        "message per line.",
        "- Every table is sorted by its primary key and written deterministically: the same inputs give "
        "byte-identical files.",
        "",
    ]
    for ts in SCHEMAS.values():
        out += [f"## `{ts.name}` — {ts.en}", "", f"Chinese: {ts.zh}. Primary key: "
                f"{', '.join(f'`{k}`' for k in ts.primary_key)}.", ""]
        out += [f"- {n}" for n in ts.notes]
        if ts.notes:
            out.append("")
        out += ["| column | dtype | description | Chinese source label | labels |", "|---|---|---|---|---|"]
        for c in ts.columns:
            desc = c.en.replace("|", "\\|")
            if c.categories is not None and not c.labels:
                desc += " (" + ", ".join(f"`{x}`" for x in c.categories) + ")"
            out.append(f"| `{c.name}` | {c.dtype} | {desc} | {c.zh} | {c.labels or ''} |")
        out.append("")
    out += ["## Comparable outcome groups (`requests.outcome_group`)", "",
            "The official outcome rows of table 3 stay as printed; each also belongs to one group defined by "
            "what happened to the request, as other FOI regimes count outcomes (`ogi.schema.OUTCOME_GROUPS`).",
            ""]
    for g in schema.OUTCOME_GROUPS:
        out += [f"### `{g.code}` — {g.en} ({g.zh})", "", f"Rows: {', '.join(f'`{r}`' for r in g.rows)}.", "",
                g.rationale, "", f"Elsewhere: {g.analogues}", ""]
    return "\n".join(out).rstrip() + "\n"


def write_data_doc(path: str | Path | None = None) -> Path:
    """Regenerate docs/DATA.md: ``python -c "import ogi.tables as t; t.write_data_doc()"``."""
    from . import paths

    target = Path(path) if path is not None else paths.ROOT / "docs" / "DATA.md"
    target.write_text(data_doc(), encoding="utf-8")
    return target
