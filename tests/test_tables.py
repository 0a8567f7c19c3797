"""The table schemas: declared, enforced on write and on read; a Report's tidy rows; labels."""

import json

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import ogi
from ogi import regions, schema, tables, tidy
from ogi.tables import SchemaError
from conftest import RAW


def _rows(path):
    rows = tidy.Rows()
    report = ogi.parse_file(path)
    tidy.report_rows(rows, report.to_dict(), "a" * 64)
    return rows


@pytest.fixture(scope="module")
def seed_frames():
    """The data tables of seed 004 (decimal fees, a blank cell) as declared frames."""
    rows = _rows(RAW / "004_b06d21084f014798.txt")
    return {p: tables.coerce(rows.parts[p], p) for p in tables.DATA_PARTS}


def test_every_schema_is_well_formed():
    for name, ts in tables.SCHEMAS.items():
        assert ts.name == name
        assert len(set(ts.names)) == len(ts.names)
        assert set(ts.primary_key) <= set(ts.names)
        for c in ts.columns:
            assert c.dtype in ("string", "Int64", "Float64", "boolean", "category"), c
            assert c.en and c.zh, f"{name}.{c.name} needs an English description and a Chinese label"
            if c.labels:
                assert c.labels in tables.LABEL_KINDS


def test_fixed_categories_have_labels_in_both_languages():
    for name, ts in tables.SCHEMAS.items():
        for c in ts.columns:
            if c.labels and c.categories is not None:
                zh, en = tables.labels(c.labels, "zh"), tables.labels(c.labels, "en")
                assert set(c.categories) <= set(zh) and set(c.categories) <= set(en), f"{name}.{c.name}"


def test_labels_in_both_languages():
    assert tables.labels("requests.row", "zh")["granted"] == "（一）予以公开"
    assert tables.labels("request_row", "en")["unavailable.not_held"] == "Unavailable: not held"
    assert tables.labels("requests.outcome_group", "en")["legal_exemption"] == "Withheld under a legal exemption"
    assert tables.labels("applicant", "zh")["natural_person"] == "自然人"
    assert tables.labels("rule", "en")["requests.cross_year"].startswith("last year's carried forward")
    rules = pd.Series(["requests.balance", "some.future_rule"]).map(tables.labels("rule", "zh"))
    assert rules.tolist() == ["第一项加第二项之和，等于第三项加第四项之和", "some.future_rule"]
    with pytest.raises(ValueError):
        tables.labels("applicant", "fr")
    with pytest.raises(KeyError):
        tables.labels("nonsense")


def test_label_codes_match_the_regions_module():
    # regions.py defines the codes it returns; the schema gives them labels
    assert set(regions.GOVERNMENT_LEVELS) == {lab.code for lab in schema.GOVERNMENT_LEVELS}
    assert set(regions.AGENCY_KINDS) == {lab.code for lab in schema.AGENCY_KINDS}
    assert set(regions.SECTORS) == {lab.code for lab in schema.SECTORS}


def test_every_outcome_row_has_one_comparable_group():
    outcome_rows = set(schema.OUTCOME_ROWS[schema.TEMPLATE_2021]) | set(schema.OUTCOME_ROWS[schema.TEMPLATE_2019])
    assert set(schema.OUTCOME_GROUP_OF) == outcome_rows
    rows = [r for g in schema.OUTCOME_GROUPS for r in g.rows]
    assert len(rows) == len(set(rows))
    for g in schema.OUTCOME_GROUPS:
        assert g.zh and g.en and g.rationale and ("UK" in g.analogues and "US" in g.analogues)
    assert schema.OUTCOME_GROUP_OF["unavailable.not_held"] == "not_held_or_needs_creation"
    assert schema.OUTCOME_GROUP_OF["denied.process_info"] == "legal_exemption"
    assert schema.OUTCOME_GROUP_OF["not_processed.excessive"] == "procedural_or_vexatious"


def test_report_rows_of_a_seed(seed_frames):
    req = seed_frames["requests"]
    assert len(req) == 25 * 7  # 2021 template: 25 rows of 7 applicant columns
    blank = req[(req.row == "unavailable.needs_creation") & (req.applicant == "total")]
    assert blank.value.isna().all()  # the blank cell stays NULL, not 0
    zero = req[(req.row == "carried_over") & (req.applicant == "total")]
    assert zero.value.tolist() == [0]
    assert set(req.loc[req.row == "denied.third_party", "outcome_group"]) == {"legal_exemption"}
    assert req.loc[req.row == "new", "outcome_group"].isna().all()
    fees = seed_frames["proactive"]
    assert fees.loc[fees.item == "fees", "value"].tolist() == [7926.3139]
    assert fees.loc[fees.item == "fees", "column"].tolist() == ["amount_10k_yuan"]
    rl = seed_frames["review_litigation"]
    assert len(rl) == 15 and rl.loc[(rl.group == "review") & (rl.outcome == "total"), "value"].tolist() == [3]
    sec = seed_frames["sections"]
    assert set(sec.loc[sec.section == "problems", "part"]) >= {"full", "problems", "improvements"}


def test_an_agencys_level_kind_sector_and_key_are_the_regions_modules_each_time():
    """The tidy rows keep what ``regions`` says of an agency (by name and region): the same as asking it afresh."""
    for agency, head in [("荆门市东宝区商务局", ""), ("区商务局", "荆门市东宝区"), ("区商务局", "黄石市下陆区"),
                         ("荆门市东宝区商务局", ""), ("清风店镇人民政府", ""), ("商务部", ""), ("", ""), (None, "")]:
        out = tidy._region(agency, head)
        info = regions.derive_region(agency, head)
        kind, sector = regions.agency_kind(agency) if agency else ("", None)
        assert (out["level"], out["agency_kind"], out["sector"], out["agency_key"]) == (
            (regions.government_level(agency, info) if agency else "") or None, kind or None, sector,
            (regions.agency_key(agency, info) if agency else "") or None), agency
    assert tidy._region("区商务局", "荆门市东宝区")["agency_key"] != tidy._region("区商务局", "黄石市下陆区")["agency_key"]


def test_proactive_rows_of_the_2019_template():
    d = {"templates": {"proactive": "2019"}, "proactive": {
        "regulations": [1, 2, 3], "licensing": 7, "licensing_items": [4, -1], "procurement": [2, 35.5],
        "fees": None}, "checks": [], "sections": {}}
    rows = tidy.Rows()
    tidy.report_rows(rows, d, "b" * 64)
    df = tables.coerce(rows.parts["proactive"], "proactive")
    got = {(r.item, r.column): r.value for r in df.itertuples()}
    assert got == {("regulations", "made"): 1, ("regulations", "published"): 2, ("regulations", "total_public"): 3,
                   ("licensing", "decisions"): 7, ("licensing", "items_last_year"): 4,
                   ("licensing", "items_change"): -1, ("procurement", "projects"): 2,
                   ("procurement", "amount"): 35.5}
    assert set(df.template) == {"2019"}


def test_a_non_integer_count_is_null_and_said():
    d = {"requests": {"new": [1.5, 0, 0, 0, 0, 0, 2]}, "checks": [], "sections": {}}
    rows = tidy.Rows()
    tidy.report_rows(rows, d, "c" * 64)
    assert rows.parts["requests"]["value"][:2] == [None, 0]
    assert "non-integer count 1.5" in rows.parts["content"]["messages"][0]
    assert "requests.new[natural_person]: non-integer count 1.5" in rows.parts["content"]["messages"][0]
    # a row short of cells is null where none came; one with cells to spare keeps the first seven
    d = {"requests": {"new": [1, 2.0], "total": [1, 2, 3, 4, 5, 6, 21, 99]}, "checks": [], "sections": {}}
    rows = tidy.Rows()
    tidy.report_rows(rows, d, "d" * 64)
    assert list(rows.parts["requests"]["value"]) == [1, 2, None, None, None, None, None, 1, 2, 3, 4, 5, 6, 21]


def test_validate_refuses_wrong_dtype_missing_and_extra_columns(seed_frames):
    df = seed_frames["requests"]
    tables.validate(df, "requests")
    with pytest.raises(SchemaError, match="value"):
        tables.validate(df.assign(value=df["value"].astype("float64")), "requests")
    with pytest.raises(SchemaError, match="missing"):
        tables.validate(df.drop(columns=["group"]), "requests")
    with pytest.raises(SchemaError, match="unexpected"):
        tables.validate(df.assign(extra=1), "requests")
    with pytest.raises(SchemaError, match="order"):
        tables.validate(df[list(reversed(df.columns))], "requests")
    with pytest.raises(SchemaError, match="primary key"):
        tables.validate(pd.concat([df, df.head(1)], ignore_index=True), "requests")
    with pytest.raises(SchemaError, match="category"):
        tables.validate(df.assign(row=df["row"].astype("string")), "requests")


def test_coerce_refuses_a_code_outside_the_template():
    cols = {c: [None] for c in tables.SCHEMAS["requests"].names}
    cols.update(report_id=["x"], row=["not_a_row"], applicant=["total"], group=["new"])
    with pytest.raises(SchemaError, match="outside the declared categories"):
        tables.coerce(cols, "requests")


def test_write_refuses_and_read_refuses(tmp_path, seed_frames):
    df = seed_frames["requests"]
    with pytest.raises(SchemaError):
        tables.write_table(df.assign(value=df["value"].astype("float64")), "requests", tmp_path / "bad.parquet")
    assert not (tmp_path / "bad.parquet").exists()

    good = tmp_path / "requests.parquet"
    tables.write_table(tables.sort_frame(df, "requests"), "requests", good)
    t = pq.read_table(good)
    pq.write_table(t.drop_columns(["group"]), tmp_path / "missing.parquet")
    with pytest.raises(SchemaError, match="missing"):
        tables.read_table(tmp_path / "missing.parquet", "requests")
    retyped = t.set_column(t.schema.get_field_index("value"), "value", pa.compute.cast(t["value"], pa.float64()))
    pq.write_table(retyped, tmp_path / "retyped.parquet")
    with pytest.raises(SchemaError, match="value"):
        tables.read_table(tmp_path / "retyped.parquet", "requests")


def test_round_trip_keeps_values_dtypes_and_decimals(tmp_path, seed_frames):
    for name, df in seed_frames.items():
        df = tables.sort_frame(df, name)
        tables.write_table(df, name, tmp_path / f"{name}.parquet")
        back = tables.read_table(tmp_path / f"{name}.parquet", name)
        pd.testing.assert_frame_equal(back, df)
    back = tables.read_table(tmp_path / "proactive.parquet", "proactive")
    assert back.loc[back.item == "fees", "value"].iloc[0] == 7926.3139  # decimal-safe: reads back as printed


def test_read_some_columns_only(tmp_path, seed_frames):
    """A summary reads the few columns it needs (Parquet is columnar), still type-checked."""
    df = tables.sort_frame(seed_frames["checks"], "checks")
    path = tmp_path / "checks.parquet"
    tables.write_table(df, "checks", path)
    back = tables.read_table(path, "checks", columns=["ok", "report_id", "rule"])
    assert list(back.columns) == ["report_id", "rule", "ok"]  # in the declared order
    pd.testing.assert_frame_equal(back, df[["report_id", "rule", "ok"]])
    with pytest.raises(KeyError, match="no columns"):
        tables.read_table(path, "checks", columns=["report_id", "nope"])
    t = pq.read_table(path)
    retyped = t.set_column(t.schema.get_field_index("ok"), "ok", pa.compute.cast(t["ok"], pa.int64()))
    pq.write_table(retyped, tmp_path / "retyped.parquet")
    with pytest.raises(SchemaError, match="ok"):
        tables.read_table(tmp_path / "retyped.parquet", "checks", columns=["report_id", "ok"])
    pq.write_table(t.drop_columns(["detail"]), tmp_path / "missing.parquet")  # a column not read is still checked
    with pytest.raises(SchemaError, match="missing"):
        tables.read_table(tmp_path / "missing.parquet", "checks", columns=["report_id", "ok"])


def test_same_frame_same_bytes(tmp_path, seed_frames):
    df = tables.sort_frame(seed_frames["checks"], "checks")
    tables.write_table(df, "checks", tmp_path / "a.parquet")
    tables.write_table(df.copy(), "checks", tmp_path / "b.parquet")
    assert (tmp_path / "a.parquet").read_bytes() == (tmp_path / "b.parquet").read_bytes()
    meta = pq.read_schema(tmp_path / "a.parquet")
    assert b"pandas" not in (meta.metadata or {})  # no pandas version in the file
    assert meta.field("ok").metadata[b"description"].startswith(b"true: holds")


def test_empty_tables_keep_their_schema(tmp_path):
    for name in tables.TABLE_NAMES:
        df = tables.coerce({c: [] for c in tables.SCHEMAS[name].names}, name)
        tables.write_table(df, name, tmp_path / f"{name}.parquet")
        assert len(tables.read_table(tmp_path / f"{name}.parquet", name)) == 0


def test_candidates_are_json():
    d = {"checks": [{"rule": "ambiguous", "ok": False, "detail": "x", "scope": "requests.new", "left": None,
                     "right": None, "cells": ["requests.new"], "candidates": [[1, 2], [12, None]]}],
         "sections": {}}
    rows = tidy.Rows()
    tidy.report_rows(rows, d, "d" * 64)
    assert json.loads(rows.parts["checks"]["candidates"][0]) == [[1, 2], [12, None]]
    assert rows.parts["content"]["n_checks_failed"] == [1]


def test_written_bytes_do_not_depend_on_how_the_rows_are_chunked(tmp_path):
    """A row group whose text dictionary overflows (over 1 MB of distinct texts) is written the same
    whether its rows come in one chunk or several: the cache cuts them differently after a re-derivation."""
    import pyarrow as pa

    n = 24_000
    frame = pd.DataFrame({"report_id": [f"{k:064x}" for k in range(n)], "section": "overview", "part": "full",
                          "text": [f"第{k}号报告的总体情况：" + "政府信息公开工作稳步推进。" * (k % 7 + 3) for k in range(n)]})
    one = tables.arrow_batch(pa.Table.from_pandas(frame, preserve_index=False), "sections")
    cuts = [0, 1, 999, 5_000, 5_001, 13_000, 20_500, n]
    pieces = pa.concat_tables([one.slice(a, b - a) for a, b in zip(cuts, cuts[1:])])
    assert pieces.column("text").num_chunks == len(cuts) - 1
    tables.write_table(iter([one]), "sections", tmp_path / "one.parquet")
    tables.write_table(iter([pieces]), "sections", tmp_path / "pieces.parquet")
    assert (tmp_path / "one.parquet").read_bytes() == (tmp_path / "pieces.parquet").read_bytes()


def _dictionary_encoded(rows):
    """What ``Rows.to_arrow`` made before ``Category``: every column's values, ``dictionary_encode``d."""
    types = {"string": pa.string(), "Int64": pa.int64(), "Float64": pa.float64(), "boolean": pa.bool_(),
             "category": pa.string()}
    out = {}
    for part, cols in rows.parts.items():
        ts = tables.SCHEMAS["reports" if part == "content" else part]
        arrays = []
        for name, values in cols.items():
            dtype = ts.column(name).dtype
            arr = pa.array(list(values), type=types[dtype])
            arrays.append(arr.dictionary_encode() if dtype == "category" else arr)
        out[part] = pa.Table.from_arrays(arrays, names=list(cols))
    return out


def _assert_same_tables(got, expected):
    assert got.keys() == expected.keys()
    for part in got:
        assert got[part].schema == expected[part].schema, part
        assert got[part].equals(expected[part]), part
        for name in got[part].column_names:
            a, b = got[part].column(name), expected[part].column(name)
            if pa.types.is_dictionary(a.type):  # same dictionary order, same indices
                assert a.chunk(0).dictionary.equals(b.chunk(0).dictionary), (part, name)
                assert a.chunk(0).indices.equals(b.chunk(0).indices), (part, name)


def test_category_columns_are_what_dictionary_encode_makes_also_after_a_rollback():
    rows = tidy.Rows()
    first = ogi.parse_file(RAW / "004_b06d21084f014798.txt").to_dict()
    tidy.report_rows(rows, first, "a" * 64)
    mark = rows.mark()
    tidy.report_rows(rows, ogi.parse_file(RAW / "000_a24b6662cf75509f.txt").to_dict(), "b" * 64)
    rows.parts["checks"]["rule"].append("only.in.the.failed.report")  # half-written rows, as a crash leaves them
    rows.rollback(mark)
    assert "b" * 64 not in rows.parts["requests"]["report_id"].values  # forgotten with its rows
    tidy.failed_rows(rows, "c" * 64, "boom", "x")
    d = {"requests": {"new": [None, 1, 0, 0, 0, 0, 1], "total": [1, 1]}, "checks": [
        {"rule": "inferred", "ok": None, "detail": "d", "scope": None, "cells": []}],
        "proactive": {"regulations": [1, None, 3]}, "templates": {"proactive": "2021"}, "sections": {"other": "x"}}
    tidy.report_rows(rows, d, "d" * 64)
    tidy.report_rows(rows, first, "e" * 64)
    _assert_same_tables(rows.to_arrow(), _dictionary_encoded(rows))
    assert rows.parts["requests"]["applicant"][:2] == ["natural_person", "commercial"]
    assert list(rows.parts["requests"]["outcome_group"])[:1] == [None]


def test_an_empty_rows_makes_empty_dictionary_columns():
    _assert_same_tables(tidy.Rows().to_arrow(), _dictionary_encoded(tidy.Rows()))


def test_cross_year_inputs_are_compact_categoricals_and_give_the_rows_strings_give():
    # ~700,000 rows a side at 100,000 reports: a string per row held ~400 MB in the build
    import pandas as pd

    ids = ["c" * 64, "a" * 64, "b" * 64, "d" * 64]
    content = pd.DataFrame({"report_id": pd.Categorical(ids), "agency_key": ["乙局", "甲局", "甲局", "甲局"],
                            "year": pd.array([2023, 2022, 2023, 2024], dtype="Int64")})
    rows = []
    for rid in ids:
        for row in ("carried_over", "carry_forward", "new"):
            for k, app in enumerate(schema.APPLICANT_CODES):
                rows.append((rid, row, app, None if (rid, k) == ("b" * 64, 2) else k + len(row) % 3))
    requests = pd.DataFrame(rows, columns=["report_id", "row", "applicant", "value"]).astype(
        {"report_id": "category", "row": "category", "applicant": "category", "value": "Int64"})
    this, last = tables.cross_year_inputs(content, requests)
    for side in (this, last):
        for col in ("report_id", "agency_key", "applicant"):
            assert isinstance(side[col].dtype, pd.CategoricalDtype)
            assert list(side[col].cat.categories) == sorted(side[col].cat.categories)
        assert len(side) == 4 * len(schema.APPLICANT_CODES)
    assert this["report_id"].dtype == last["report_id"].dtype
    got = tables.cross_year_rows(this, last)
    as_strings = {"report_id": "string", "agency_key": "string", "applicant": "string"}
    want = tables.cross_year_rows(this.astype(as_strings), last.astype(as_strings))
    assert len(got) == 2 * len(schema.APPLICANT_CODES)  # 2023 and 2024 of 甲局
    pd.testing.assert_frame_equal(got.astype({"report_id": str, "scope": str}),
                                  want.astype({"report_id": str, "scope": str}))
    # what the build appends to a batch of checks: the same rows, typed, blanks (undecidable) null
    start = pd.Series([7], index=["d" * 64])  # a report's own checks: the cross-year ones come after
    arrow = tables.arrow_batch(tables.cross_year_arrow(this, last, start), "checks")
    frame = tables.to_arrow(tables.coerce(tables.cross_year_rows(this, last, start), "checks"), "checks")
    assert arrow.equals(frame) and arrow.num_rows == len(got)
    assert min(n for r, n in zip(arrow.column("report_id").to_pylist(), arrow.column("check_no").to_pylist())
               if r == "d" * 64) == 8
    assert arrow.column("ok").null_count == arrow.column("difference").null_count == 2  # b's blank cell
    assert tables.cross_year_arrow(this.iloc[:0], last) is None


def test_the_cross_year_join_taken_a_range_of_reports_at_a_time_gives_the_whole_joins_rows():
    """The build takes each batch's cross-year rows from one join (``CrossYearJoin.rows``/``arrow``): the
    ranges together are the rows of the whole, numbered the same, where an agency has several reports a year."""
    import numpy as np
    import pandas as pd
    import pyarrow as pa

    rng = np.random.default_rng(7)
    ids = sorted({"".join(rng.choice(list("0123456789abcdef"), 64)) for _ in range(60)})
    content = pd.DataFrame({"report_id": ids, "agency_key": [f"局{k % 4}" for k in range(len(ids))],
                            "year": pd.array([2020 + k % 3 for k in range(len(ids))], dtype="Int64")})
    rows = [(rid, row, app, None if rng.random() < 0.1 else int(rng.integers(0, 3)))
            for rid in ids for row in ("carried_over", "carry_forward") for app in schema.APPLICANT_CODES]
    requests = pd.DataFrame(rows, columns=["report_id", "row", "applicant", "value"]).astype(
        {"report_id": "category", "row": "category", "applicant": "category", "value": "Int64"})
    this, last = tables.cross_year_inputs(content, requests)
    start = pd.Series(rng.integers(0, 40, len(ids)), index=ids)
    whole = tables.cross_year_arrow(this, last, start)
    assert whole.num_rows > 200  # five reports of an agency a year: each pairs with last year's five
    join = tables.CrossYearJoin(this, last)
    bounds = [""] + ids[7::7]
    pieces = []
    for k, lo in enumerate(bounds):
        a, b = join.rows(lo, bounds[k + 1] if k + 1 < len(bounds) else None)
        assert set(join.ids[a:b]) <= {i for i in ids if i >= lo and (k + 1 == len(bounds) or i < bounds[k + 1])}
        if (t := join.arrow(a, b, start)) is not None:
            pieces.append(t)
    assert pa.concat_tables(pieces).to_pylist() == whole.to_pylist()
    # what the build makes it of: the reports' frame and the cache's carried rows, as Arrow tables
    carried = pa.Table.from_pandas(requests, preserve_index=False)
    got = tables.CrossYearJoin.from_carried(content, [carried.slice(0, 500), carried.slice(500)])
    assert got.arrow(0, len(got.ids), start).to_pylist() == whole.to_pylist()
    assert tables.CrossYearJoin.from_carried(content.iloc[:0], [carried]).arrow(0, 0) is None
    unknown = content.assign(year=content["year"].mask(content.index % 5 == 0))  # reports without a year: no pair
    want = tables.cross_year_arrow(*tables.cross_year_inputs(unknown, requests), start)
    got = tables.CrossYearJoin.from_carried(unknown, [carried])
    assert 0 < want.num_rows < whole.num_rows and got.arrow(0, len(got.ids), start).to_pylist() == want.to_pylist()
    numbers = whole.select(["report_id", "check_no"]).to_pylist()
    assert len({(r["report_id"], r["check_no"]) for r in numbers}) == len(numbers)
    assert min(r["check_no"] for r in numbers if r["report_id"] == numbers[0]["report_id"]) == \
        start[numbers[0]["report_id"]] + 1


def test_a_reports_fields_give_the_rows_its_to_dict_gives(tmp_path):
    """The build's worker hands ``report_rows`` the Report's own values (``report_fields``, no copies, the
    checks as objects); the rows are those of ``to_dict()``, byte for byte, for every seed and synthetic
    report, and for a check with candidates and a count beyond 64 bits (the values digest's fallback)."""
    from ogi import synth
    from ogi.model import Check

    synth.write_corpus(tmp_path / "raw", 60, 5)
    reports = [ogi.parse_file(p) for p in sorted(RAW.iterdir()) + sorted((tmp_path / "raw").iterdir())]
    odd = ogi.parse_file(RAW / "004_b06d21084f014798.txt")
    odd.checks.append(Check("ambiguous", None, "two readings", scope="requests.new", cells=("requests.new",),
                            candidates=[[1, 2], [12]]))
    odd.proactive["regulations"] = (2 ** 70, 1, None)
    odd.requests["new"] = tuple(odd.requests["new"])
    reports.append(odd)
    by_dict, by_fields = tidy.Rows(), tidy.Rows()
    for k, report in enumerate(reports):
        tidy.report_rows(by_dict, report.to_dict(), f"{k:064x}", "head")
        tidy.report_rows(by_fields, tidy.report_fields(report), f"{k:064x}", "head")
    assert by_dict.parts["content"]["values_digest"][-1] is not None
    _assert_same_tables(by_fields.to_arrow(), by_dict.to_arrow())


def test_runs_are_the_column_a_category_makes_of_the_same_values():
    """``tidy.Runs`` (a report's request rows by its layout) against ``Category``: extended by recurring runs,
    then written out by another use, cut inside a run (a rollback), and extended again by a run whose codes
    named values the cut forgot."""
    runs, plain = tidy.Runs(), tidy.Category()

    def both(method, *args):
        getattr(runs, method)(*args)
        getattr(plain, method)(*args)

    both("extend_memo", ("a",), ["x", None, "y"])
    both("extend_memo", ("b",), ["z", "x"])
    both("extend_memo", ("a",), ["x", None, "y"])
    assert len(runs) == len(plain) == 8
    assert runs.to_arrow().equals(plain.to_arrow()) and runs.to_arrow().indices.equals(plain.to_arrow().indices)
    del runs[3:], plain[3:]  # at the second run: "z" is forgotten, and "w" takes its code
    both("extend_memo", ("c",), ["w"])
    both("extend_memo", ("b",), ["z", "x"])
    both("append", "v")
    both("extend_memo", ("b",), ["z", "x"])
    assert list(runs) == list(plain) == ["x", None, "y", "w", "z", "x", "v", "z", "x"]
    for got, want in ((runs.to_arrow(), plain.to_arrow()),
                      (runs.to_arrow(), pa.array(list(plain), pa.string()).dictionary_encode())):
        assert got.dictionary.equals(want.dictionary) and got.indices.equals(want.indices)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.lists(st.one_of(st.none(), st.sampled_from(["a", "b", "c", "", "d"])), max_size=6), max_size=6),
       st.integers(0, 12))
def test_a_category_holds_what_dictionary_encode_makes_of_its_values(batches, cut):
    """``Category.extend`` and ``append`` (one lookup a value seen before): the codes and the dictionary Arrow's
    ``dictionary_encode`` makes of the same values, nulls included, before and after a rollback."""
    column, values = tidy.Category(), []
    for k, batch in enumerate(batches):
        if k % 2:
            column.extend(batch)
        else:
            for v in batch:
                column.append(v)
        values += batch
    del column[cut:]
    values = values[:cut]
    column.extend(["e", None, "a"])
    values += ["e", None, "a"]
    got, want = column.to_arrow(), pa.array(values, pa.string()).dictionary_encode()
    assert list(column) == values
    assert got.dictionary.equals(want.dictionary) and got.indices.equals(want.indices)


def test_repeats_are_the_column_a_category_makes_of_the_same_values():
    """``tidy.Repeats`` (a report's id on each of its rows) against ``Category``: repeats, a cut inside one (a
    rollback) that forgets a value, more repeats, a null, and another use that writes them out."""
    reps, plain = tidy.Repeats(), tidy.Category()

    def both(method, *args):
        getattr(reps, method)(*args)
        getattr(plain, method)(*args)

    both("repeat", "a", 3)
    both("repeat", "b", 2)
    assert len(reps) == len(plain) == 5
    got, want = reps.to_arrow(), plain.to_arrow()
    assert got.dictionary.equals(want.dictionary) and got.indices.equals(want.indices)
    del reps[3:], plain[3:]  # "b" forgotten: "c" takes its code
    both("repeat", "c", 2)
    both("repeat", None, 1)
    both("repeat", "a", 1)
    for got, want in ((reps.to_arrow(), plain.to_arrow()),
                      (reps.to_arrow(), pa.array(list(plain), pa.string()).dictionary_encode())):
        assert got.dictionary.equals(want.dictionary) and got.indices.equals(want.indices)
    both("append", "d")
    assert list(reps) == list(plain) == ["a", "a", "a", "c", "c", None, "a", "d"]
