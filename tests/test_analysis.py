"""ogi.analysis: tidy summaries with honest numbers, on a hand-made corpus whose every number is known,
on the bundled sample, and on a synthetic corpus in the declared dtypes (``fake_corpus``, also used by
tests/test_dashboards.py for scale).

The charts of ogi.charts are checked here too: every builder draws from the same tables, in both
languages, on an empty selection as well.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import pytest

from ogi import analysis, figures, plots, schema, tables, theme  # noqa: F401  (plots registers the charts)
from ogi.analysis import make_filters

CJK = re.compile(r"[\u4e00-\u9fff]")

# ---------------------------------------------------------------------------
# A hand-made corpus
# ---------------------------------------------------------------------------
#   A  2021 湖北省 county department, 2021 template, ok: 40 new (30 natural persons, 10 commercial) ...
#   B  2022 湖北省 township, partial, no table 3 at all (unknown, not zero)
#   C  2020 河北省 prefecture government, 2019 template, ok: 10 new; legal_service's cell blank
#   D  failed file (no data)
#   E  duplicate of A (same report id: its data must count once)

A, B, C = "a" * 64, "b" * 64, "c" * 64
REPORTS = [
    # path, report_id, status, year, province, code, level, kind, template, n_failed, n_undecidable, messages
    ("a.txt", A, "ok", 2021, "湖北省", "420000", "county", "department", "2021", 1, 0, None),
    ("b.txt", B, "partial", 2022, "湖北省", "420000", "township", "township", "2021", 0, 0,
     "table 3 not found"),
    ("c.txt", C, "ok", 2020, "河北省", "130000", "prefecture", "government", "2019", 0, 1,
     "blank cell(s) kept as null: requests.new[legal_service]"),
    ("d.txt", None, "failed", None, None, None, None, None, None, None, None, "could not read the file"),
    ("e.txt", A, "duplicate", 2021, "湖北省", "420000", "county", "department", "2021", 1, 0, None),
]
REQUESTS = {  # report -> {(row, applicant): value}
    A: {("new", "natural_person"): 30, ("new", "commercial"): 10, ("new", "total"): 40, ("carried_over", "total"): 0,
        ("granted", "total"): 20, ("partial", "total"): 5, ("denied.third_party", "total"): 3,
        ("denied.process_info", "total"): 2, ("unavailable.not_held", "total"): 5, ("other.other", "total"): 2,
        ("total", "total"): 37, ("carry_forward", "total"): 3,
        ("granted", "natural_person"): 15, ("total", "natural_person"): 27},
    C: {("new", "natural_person"): 10, ("new", "legal_service"): None, ("new", "total"): 10,
        ("carried_over", "total"): 0, ("granted", "total"): 4, ("not_processed.duplicate", "total"): 2,
        ("other", "total"): 1, ("total", "total"): 7, ("carry_forward", "total"): 3},
}
REVIEW = {A: {("review", "upheld"): 1, ("review", "corrected"): 2, ("review", "total"): 3,
              ("litigation_direct", "upheld"): 1, ("litigation_direct", "total"): 1},
          C: {("review", "pending"): 1, ("review", "total"): 1}}
PROACTIVE = {A: [("licensing", "decisions", 100.0, "2021"), ("penalty", "decisions", 5.0, "2021"),
                 ("normative_documents", "issued", 2.0, "2021"), ("normative_documents", "in_force", 10.0, "2021"),
                 ("fees", "amount_10k_yuan", 1.5, "2021")],
             C: [("licensing", "decisions", 50.0, "2019"), ("normative_documents", "made", 3.0, "2019")]}
CHECKS = [(A, 0, "requests.balance", True), (A, 1, "requests.balance", True), (A, 2, "requests.outcomes", False),
          (C, 0, "requests.row_total", None)]


def tiny_corpus() -> dict[str, pd.DataFrame]:
    cols = tables.REPORTS.names
    rows = {c: [] for c in cols}
    for path, rid, status, year, prov, code, level, kind, tmpl, nf, nu, msg in REPORTS:
        values = dict(path=path, report_id=rid, status=status, year=year, province=prov, province_code=code,
                      level=level, agency_kind=kind, template_requests=tmpl, template_review_litigation=tmpl,
                      template_proactive=None if tmpl is None else "2021", n_checks_failed=nf,
                      n_checks_undecidable=nu, messages=msg, agency=None if rid is None else f"机关{path[0]}",
                      agency_key=None if rid is None else f"k:{path[0]}", duplicate_of="a.txt" if path == "e.txt" else None,
                      region_historical=None if rid is None else False)
        for c in cols:
            rows[c].append(values.get(c))
    out = {"reports": tables.coerce(rows, "reports")}
    req = [(rid, row, schema.REQUEST_ROW_BY_CODE[row].group, schema.OUTCOME_GROUP_OF.get(row), app, v)
           for rid, cells in REQUESTS.items() for (row, app), v in cells.items()]
    out["requests"] = tables.coerce(dict(zip(tables.REQUESTS.names, zip(*req))), "requests")
    rev = [(rid, g, o, v) for rid, cells in REVIEW.items() for (g, o), v in cells.items()]
    out["review_litigation"] = tables.coerce(dict(zip(tables.REVIEW_LITIGATION.names, zip(*rev))), "review_litigation")
    pro = [(rid, i, c, v, t) for rid, cells in PROACTIVE.items() for i, c, v, t in cells]
    out["proactive"] = tables.coerce(dict(zip(tables.PROACTIVE.names, zip(*pro))), "proactive")
    chk = [(rid, no, rule, "total", ok, 0.0, 0.0, 0.0, "x", "d", None) for rid, no, rule, ok in CHECKS]
    out["checks"] = tables.coerce(dict(zip(tables.CHECKS.names, zip(*chk))), "checks")
    out["sections"] = tables.coerce({c: [] for c in tables.SECTIONS.names}, "sections")
    return out


@pytest.fixture(scope="module")
def tiny():
    return tiny_corpus()


# ---------------------------------------------------------------------------
# A synthetic corpus in the declared dtypes, any size (no parsing)
# ---------------------------------------------------------------------------


def _cat(codes, cats) -> pd.Series:
    return pd.Series(pd.Categorical.from_codes(np.asarray(codes), dtype=pd.CategoricalDtype(pd.Index(list(cats),
                                                                                                   dtype="string"))))


def fake_corpus(n: int = 1000, seed: int = 0, checks_per_report: int = 4) -> dict[str, pd.DataFrame]:
    """Corpus tables of ``n`` invented reports (2021 template rows, heavy-tailed counts, some blanks),
    built directly in the declared dtypes: for scale tests. SYNTHETIC: no real agency or number.
    Each report with data has ``checks_per_report`` checks, cycling over four rules."""
    rng = np.random.default_rng(seed)
    ids = [f"{i:064x}" for i in range(n)]
    provinces = {"湖北省": "420000", "河北省": "130000", "四川省": "510000", "重庆市": "500000", "广东省": "440000"}
    prov = rng.choice(list(provinces), n)
    status = rng.choice(["ok", "partial", "failed"], n, p=[0.85, 0.13, 0.02])
    year = rng.integers(2019, 2025, n)
    tmpl = np.where(year < 2021, "2019", "2021")
    none = [None] * n
    reports = {
        "path": [f"synthetic/{i:07d}.txt" for i in range(n)], "report_id": ids, "status": status, "duplicate_of": none,
        "messages": np.where(status == "partial", "blank cell(s) kept as null: requests.new[total]", None),
        "agency": [f"合成机关{i}" for i in range(n)], "year": year, "published": none, "province": prov,
        "province_code": [provinces[p] for p in prov], "prefecture": none, "prefecture_code": none, "county": none,
        "county_code": none, "region_code": [provinces[p] for p in prov], "region_source": ["agency"] * n,
        "region_historical": [False] * n,
        "level": rng.choice(["provincial", "prefecture", "county", "township"], n, p=[0.05, 0.15, 0.5, 0.3]),
        "agency_kind": rng.choice(["government", "department", "township"], n), "sector": none,
        "agency_key": [f"k{i % (n // 2 + 1)}" for i in range(n)], "template_proactive": ["2021"] * n,
        "template_requests": tmpl, "template_review_litigation": tmpl, "values_digest": [f"{i:016x}" for i in range(n)],
        "n_checks": [4] * n,
        "n_checks_failed": rng.integers(0, 2, n), "n_checks_undecidable": [0] * n, "parser_version": ["1"] * n,
        "format": ["text"] * n, "encoding": ["utf-8"] * n, "bytes": [1000] * n,
    }
    out = {"reports": tables.coerce(reports, "reports")}
    data = np.flatnonzero(status != "failed")
    rows = [r.code for r in schema.REQUEST_ROWS if r.template != schema.TEMPLATE_2019]
    rid = np.repeat(data, len(rows) * 7)
    row_codes = np.tile(np.repeat([analysis.REQUEST_ROW_CODES.index(r) for r in rows], 7), len(data))
    value = pd.array(rng.poisson(rng.gamma(0.3, 20, len(rid))), dtype="Int64")
    value[rng.random(len(rid)) < 0.001] = pd.NA
    group_cats = [g.code for g in schema.REQUEST_GROUPS]
    og_cats = [g.code for g in schema.OUTCOME_GROUPS]
    group_of = np.array([group_cats.index(schema.REQUEST_ROW_BY_CODE[r].group) for r in analysis.REQUEST_ROW_CODES])
    og_of = np.array([og_cats.index(schema.OUTCOME_GROUP_OF[r]) if r in schema.OUTCOME_GROUP_OF else -1
                      for r in analysis.REQUEST_ROW_CODES])
    out["requests"] = tables.coerce({
        "report_id": _cat(rid, ids), "row": _cat(row_codes, analysis.REQUEST_ROW_CODES),
        "group": _cat(group_of[row_codes], group_cats), "outcome_group": _cat(og_of[row_codes], og_cats),
        "applicant": _cat(np.tile(np.arange(7), len(data) * len(rows)), analysis.APPLICANT_CODES),
        "value": pd.Series(value)}, "requests")
    rid = np.repeat(data, 15)
    out["review_litigation"] = tables.coerce({
        "report_id": _cat(rid, ids), "group": _cat(np.tile(np.repeat(np.arange(3), 5), len(data)), analysis.REVIEW_GROUPS),
        "outcome": _cat(np.tile(np.arange(5), len(data) * 3), analysis.REVIEW_OUTCOMES),
        "value": pd.Series(pd.array(rng.poisson(0.5, len(rid)), dtype="Int64"))}, "review_litigation")
    items = [(r.code, c) for r in schema.PROACTIVE_ROWS[schema.TEMPLATE_2021] for c in r.columns]
    rid = np.repeat(data, len(items))
    item_cats, col_cats = tables.PROACTIVE.column("item").categories, tables.PROACTIVE.column("column").categories
    out["proactive"] = tables.coerce({
        "report_id": _cat(rid, ids), "item": _cat(np.tile([item_cats.index(i) for i, _ in items], len(data)), item_cats),
        "column": _cat(np.tile([col_cats.index(c) for _, c in items], len(data)), col_cats),
        "value": pd.Series(pd.array(rng.poisson(5, len(rid)).astype(float), dtype="Float64")),
        "template": _cat(np.ones(len(rid), dtype=int), ("2019", "2021"))}, "proactive")
    rules = ["requests.balance", "requests.row_total", "requests.outcomes", "review_litigation.group_total"]
    k = checks_per_report
    rid = np.repeat(data, k)
    zeros = pd.Series(pd.array(np.zeros(len(rid)), dtype="Float64"))
    out["checks"] = tables.coerce({
        "report_id": _cat(rid, ids), "check_no": pd.Series(pd.array(np.tile(np.arange(k), len(data)), dtype="Int64")),
        "rule": pd.Series(np.tile(np.asarray(rules)[np.arange(k) % len(rules)], len(data))),
        "scope": pd.Series(["total"] * len(rid)),
        "ok": pd.Series(pd.array(rng.random(len(rid)) > 0.01, dtype="boolean")), "left": zeros, "right": zeros,
        "difference": zeros, "cells": pd.Series(["x"] * len(rid)), "detail": pd.Series(["d"] * len(rid)),
        "candidates": pd.Series([None] * len(rid), dtype="string")}, "checks")
    out["sections"] = tables.coerce({c: [] for c in tables.SECTIONS.names}, "sections")
    return out


def test_fake_corpus_follows_the_declared_schemas():
    c = fake_corpus(50)
    for name, df in c.items():
        tables.validate(tables.sort_frame(df, name), name)


# ---------------------------------------------------------------------------
# Frames, filters and per-report arrays
# ---------------------------------------------------------------------------


def test_report_frame_keeps_reports_with_data_once(tiny):
    p = analysis.prepare(tiny)
    assert p.reports["report_id"].tolist() == [A, B, C]  # not the failed file, not the duplicate
    assert list(p.reports.index) == [0, 1, 2]
    assert analysis.prepare(tiny) is p  # cached for the same tables


def test_prepare_is_cached_on_a_corpus_object():
    import ogi

    corpus = ogi.load(verbose=False)
    assert analysis.prepare(corpus) is analysis.prepare(corpus)


def test_wide_sums_skip_blanks_and_count_what_was_printed(tiny):
    p = analysis.prepare(tiny)
    new = analysis.REQUEST_ROW_CODES.index("new")
    assert p.requests["total"].sums().iloc[new] == 50
    assert p.requests["legal_service"].column("new").tolist()[2] != p.requests["legal_service"].column("new").tolist()[2]
    assert p.requests["total"].n_known()["new"] == 2  # B printed no table 3: unknown, not zero
    assert p.requests["total"].sums([0]).iloc[new] == 40
    assert p.requests["total"].sums(np.array([False, False, True])).iloc[new] == 10


def test_filters_select_like_the_filter_panel(tiny):
    p = analysis.prepare(tiny)
    assert p.select(make_filters(year=2021)).tolist() == [0]
    assert p.select(make_filters(year=(2020, 2021))).tolist() == [0, 2]
    assert p.select(make_filters(province="湖北省", level=["county", "township"])).tolist() == [0, 1]
    assert p.select(make_filters(template="2019")).tolist() == [2]
    assert p.select(make_filters(template="2019"), "proactive").tolist() == []  # table 2's own template
    assert p.select({"province": (), "level": None}).tolist() == [0, 1, 2]  # empty = all
    assert make_filters(year=None, province=[], level="county") == {"level": ("county",)}
    with pytest.raises(KeyError, match="sector"):
        analysis.filter_mask(p.reports, {"sector": "x"})


# ---------------------------------------------------------------------------
# Shares: denominators always, small numbers flagged
# ---------------------------------------------------------------------------


def test_share_is_not_computed_below_min_n():
    assert np.isnan(analysis.share(3, 5))
    assert analysis.share(3, 30) == pytest.approx(0.1)
    assert np.isnan(analysis.share(0, 0, min_n=1))
    assert analysis.share_text(3, 5) == "3/5, n<30"
    assert analysis.share_text(19, 52) == "36.5% (19/52)"
    assert analysis.share_text(12345, 100000) == "12.3% (12,345/100,000)"
    assert analysis.share_text(0, 0, lang="en") == "none"


def test_outcome_table_official_and_comparable(tiny):
    sums = analysis.prepare(tiny).requests["total"].sums()
    t = analysis.outcome_table(sums, lang="en").set_index("outcome")
    assert t["count"].to_dict() == {"granted": 24, "partial": 5, "denied": 5, "unavailable": 5, "not_processed": 2,
                                    "other": 3}  # other = 2021 other.other + the 2019 single row
    assert (t["n"] == 44).all() and t["share"].sum() == pytest.approx(1.0)
    assert t.loc["granted", "label"] == "Granted"
    small = analysis.outcome_table(sums, min_n=50)
    assert small["share"].isna().all() and small["small_n"].all()
    comp = analysis.outcome_table(sums, "comparable", lang="zh").set_index("outcome")
    assert comp["count"].to_dict() == {"granted": 24, "partial": 5, "legal_exemption": 5,
                                       "not_held_or_needs_creation": 5, "procedural_or_vexatious": 2, "other": 3}
    assert comp.loc["legal_exemption", "label"] == "依法不予公开"
    with pytest.raises(ValueError):
        analysis.outcome_table(sums, "uk")


def test_outcome_shares_by_group_and_per_applicant(tiny):
    t = analysis.outcome_shares(tiny, by="level", min_n=1, lang="en")
    county = t[t["level"] == "county"].set_index("outcome")
    assert county.loc["granted", "count"] == 20 and county.loc["granted", "n"] == 37
    assert set(t["level"]) == {"central", "provincial", "prefecture", "county", "township"}  # zeros included
    assert t[t["level"] == "township"]["n"].eq(0).all() and t[t["level"] == "township"]["share"].isna().all()
    person = analysis.outcome_shares(tiny, applicant="natural_person", min_n=1).set_index("outcome")
    assert person.loc["granted", "count"] == 15 and person.loc["granted", "n"] == 15  # only printed rows count


def test_reasons_denied_and_other(tiny):
    t = analysis.reasons(tiny, "denied", lang="en").set_index("reason")
    assert list(t.index) == list(analysis.REASON_ROWS["denied"])
    assert t.loc["denied.third_party", "count"] == 3 and t.loc["denied.process_info", "count"] == 2
    assert (t["n"] == 5).all() and (t["handled"] == 44).all()
    assert t["share"].isna().all() and t["small_n"].all()  # 5 denials: counts only
    assert t.loc["denied.third_party", "label"] == "Third-party rights"
    other = analysis.reasons(tiny, "other", min_n=1, lang="zh").set_index("reason")
    assert other.loc["other.other", "count"] == 2 and other.loc["other", "count"] == 1
    assert "2019" in other.loc["other", "label"]
    with pytest.raises(ValueError):
        analysis.reasons(tiny, "granted")


def test_flow_links_balance(tiny):
    links = analysis.outcome_flow(tiny, lang="en")
    into = links.groupby("target")["value"].sum()
    out = links.groupby("source")["value"].sum()
    assert into["received"] == 50
    assert out["received"] == 44 + 6  # outcomes + carried forward
    assert out["denied"] == into["denied"] == 5
    assert links.loc[links["target"] == "granted", "target_label"].item() == "Granted"


# ---------------------------------------------------------------------------
# Request volumes
# ---------------------------------------------------------------------------


def test_requests_by_year_applicant_level(tiny):
    t = analysis.requests_by(tiny, "year", lang="en").set_index("year")
    assert t["requests"].to_dict() == {2020: 10, 2021: 40, 2022: 0}
    assert t["reports"].to_dict() == {2020: 1, 2021: 1, 2022: 1}
    assert t["reports_known"].to_dict() == {2020: 1, 2021: 1, 2022: 0}  # 2022's report printed no table 3
    assert t.loc[2021, "share"] == pytest.approx(0.8)  # of 50 requests: enough for a share
    a = analysis.requests_by(tiny, "applicant", lang="zh").set_index("applicant")
    assert "total" not in a.index and a.loc["natural_person", "requests"] == 40
    assert a.loc["natural_person", "label"] == "自然人"
    assert a.loc["legal_service", "reports_known"] == 0  # blank in C, absent in A
    lv = analysis.requests_by(tiny, "level")
    assert lv["level"].tolist() == theme.order("level", "code")
    tp = analysis.requests_by(tiny, "template", lang="en").set_index("template_requests")
    assert tp.loc["2019", "requests"] == 10 and tp.loc["2019", "label"] == "2019-2020 template"
    prov = analysis.requests_by(tiny, "province", lang="en")
    assert prov["province"].tolist() == ["河北省", "湖北省"]  # code order
    assert prov["label"].tolist() == ["Hebei", "Hubei"]


def test_distribution_shows_zeros_and_unknowns(tiny):
    t = analysis.agency_distribution(tiny, lang="en").set_index("bin")
    assert t.loc["0", "reports"] == 0 and t.loc["10-49", "reports"] == 2 and t.loc["unknown", "reports"] == 1
    assert t.loc["10-49", "requests"] == 50
    assert t["reports"].sum() == 3
    v = analysis.bin_requests(np.array([0, 0, 0, 3, np.nan, 2000.0]))
    assert v.set_index("bin").loc["0", "reports"] == 3 and v.set_index("bin").loc["1000+", "reports"] == 1


def test_top_agencies_and_carry_over(tiny):
    t = analysis.top_agencies(tiny, 2, lang="en")
    assert t["agency"].tolist() == ["机关a", "机关c"] and t["requests"].tolist() == [40, 10]
    assert t.index.tolist() == [1, 2] and t["level"].tolist() == ["County", "Prefecture"]
    assert t["share"].tolist() == [0.8, 0.2] and t["cumulative_share"].iloc[-1] == 1.0
    c = analysis.carry_over(tiny).set_index("year")
    assert c.loc[2021, ["carried_over", "new", "handled", "carried_forward"]].tolist() == [0, 40, 37, 3]
    assert c.loc[2021, "carried_forward_share"] == pytest.approx(3 / 40)
    assert np.isnan(c.loc[2020, "carried_forward_share"])  # 10 requests: too few for a share


# ---------------------------------------------------------------------------
# Reconsideration and litigation; proactive disclosure
# ---------------------------------------------------------------------------


def test_review_table_and_correction_rate(tiny):
    t = analysis.review_litigation(tiny, lang="en").set_index("group")
    assert t.loc["review", ["upheld", "corrected", "other", "pending", "total"]].tolist() == [1, 2, 0, 1, 4]
    assert t.loc["review", "decided"] == 3 and np.isnan(t.loc["review", "correction_rate"])
    assert t.loc["litigation", "total"] == 1  # direct + after review
    loose = analysis.review_litigation(tiny, min_n=1).set_index("group")
    assert loose.loc["review", "correction_rate"] == pytest.approx(2 / 3)


def test_appeal_rates_against_requests(tiny):
    t = analysis.appeal_rates(tiny).set_index("year")
    assert t.loc[2021, ["handled", "review", "litigation"]].tolist() == [37, 3, 1]
    assert t.loc[2021, "review_per_1000"] == pytest.approx(3 / 37 * 1000)
    assert np.isnan(t.loc[2020, "review_per_1000"]) and t.loc[2020, "small_n"]  # 7 handled


def test_proactive_by_level_and_overall(tiny):
    t = analysis.proactive_by(tiny, None, lang="en").set_index("measure")
    assert t.loc["licensing.decisions", "total"] == 150  # the 2019 template's decisions count too
    assert t.loc["licensing.decisions", "reports_known"] == 2 and t.loc["licensing.decisions", "median"] == 75
    assert t.loc["normative_documents.issued", "total"] == 2  # 2019 'made' is another measure
    assert t.loc["fees.amount_10k_yuan", "total"] == 1.5
    assert t.loc["licensing.decisions", "label"] == "Licensing: decisions"
    lv = analysis.proactive_by(tiny, "level", lang="zh")
    assert lv[(lv["level"] == "county") & (lv["measure"] == "penalty.decisions")]["total"].item() == 5


# ---------------------------------------------------------------------------
# Corpus overview and quality
# ---------------------------------------------------------------------------


def test_status_counts_and_summary(tiny):
    s = analysis.status_counts(tiny, "en").set_index("status")
    assert s["files"].to_dict() == {"ok": 2, "partial": 1, "failed": 1, "not_a_report": 0, "pre2019": 0, "duplicate": 1}
    summary = analysis.corpus_summary(tiny, "en").set_index("measure")["value"]
    assert summary["files"] == 5 and summary["reports"] == 3 and summary["duplicates"] == 1
    assert summary["years"] == "2020-2022" and summary["provinces"] == 2
    r = analysis.reports_by(tiny, "agency_kind", lang="zh")
    assert r["agency_kind"].tolist() == theme.order("agency_kind", "code") and r["reports"].sum() == 3
    x = analysis.crosstab_reports(tiny, "year", "level", lang="en")
    assert x.loc["2021", "County"] == 1 and x.to_numpy().sum() == 3 and "Central" in x.columns


def test_status_by_format_names_what_each_kind_of_file_gave():
    reports = pd.DataFrame({
        "format": pd.Categorical(["pdf", "text", "pdf", "doc", "binary", None, "html"]),
        "status": ["failed", "ok", "partial", "ok", "failed", "failed", "duplicate"]})
    t = analysis.status_by_format({"reports": reports}, "en")
    assert t.index.tolist() == ["Text", "Web page (HTML)", "Word 97-2003 (.doc, .wps)", "PDF",
                                "Other formats (not read)", "Not opened"]       # the readers' order, unopened last
    assert t.columns.tolist() == ["ok", "partial", "failed", "not_a_report", "pre2019", "duplicate", "Files"]
    assert t.loc["PDF"].tolist() == [0, 1, 1, 0, 0, 0, 2]
    assert t["Files"].sum() == len(reports)
    zh = analysis.status_by_format({"reports": reports}, "zh")
    assert zh.loc["网页（HTML）", "重复"] == 1 and zh.loc["未能打开", "失败"] == 1


def test_checks_messages_and_reports_to_look_at(tiny):
    t = analysis.checks_by_rule(tiny, "en").set_index("rule")
    assert t.loc["requests.outcomes", ["checks", "failed", "reports_failing"]].tolist() == [1, 1, 1]
    assert t.loc["requests.row_total", "undecidable"] == 1 and t.loc["requests.balance", "failed"] == 0
    assert t.loc["requests.cross_year", "checks"] == 0  # every rule listed, zeros included
    m = analysis.message_counts(tiny)
    assert "blank cell(s) kept as null: <cell>" in m["message"].tolist()
    assert analysis.message_kind("requests.new[total] off by 12") == "<cell> off by <n>"
    look = analysis.to_look_at(tiny)
    assert look["path"].tolist() == ["d.txt", "b.txt", "a.txt", "c.txt"]  # failed, partial, failed check, undecidable
    assert "e.txt" not in look["path"].tolist()


@pytest.mark.parametrize("categorical", [True, False])
def test_check_tallies_are_a_groupby_of_the_checks(categorical):
    """The per-report, per-rule tallies (what the quality summaries read instead of the checks table) equal
    a plain groupby on the strings: nulls in ``ok`` are undecidable, rows without a rule are left out, a
    row without a report id counts under a null id."""
    rng = np.random.default_rng(1)
    n = 2000
    ids = pd.Series(rng.choice([f"r{i}" for i in range(50)] + [None], n), dtype="string")
    rule = pd.Series(rng.choice(["requests.balance", "inferred", "x.custom", None], n), dtype="string")
    ok = pd.Series(pd.array(rng.choice([True, False, None], n), dtype="boolean"))
    checks = pd.DataFrame({"report_id": ids, "rule": rule, "ok": ok})
    if categorical:
        checks = checks.astype({"report_id": "category", "rule": "category"})
    got = analysis.tally_checks(checks)
    want = (pd.DataFrame({"report_id": ids.fillna("<null>"), "rule": rule, "failed": ok.eq(False).fillna(False),
                          "undecidable": ok.isna()}).dropna(subset=["rule"])
            .groupby(["report_id", "rule"]).agg(checks=("failed", "size"), failed=("failed", "sum"),
                                                 undecidable=("undecidable", "sum")))
    got = got.assign(report_id=got["report_id"].astype("string").fillna("<null>"), rule=got["rule"].astype("string"))
    got = got.set_index(["report_id", "rule"]).sort_index()
    pd.testing.assert_frame_equal(got, want.astype("int64"), check_names=False, check_index_type=False)
    assert got["checks"].sum() == rule.notna().sum()


def test_quality_summaries_read_three_columns_of_checks(monkeypatch):
    """On a built corpus the checks table (14.5 million rows and millions of distinct texts at 100k
    synthetic reports) is never read whole for notebook 01: only report_id, rule and ok, once."""
    import ogi
    from ogi import dashboards

    whole = ogi.load(verbose=False)
    reference = {name: whole[name] for name in whole}  # every table, as a plain mapping
    reads = []
    real = tables.read_table

    def spy(path, table, columns=None):
        reads.append((table, None if columns is None else tuple(columns)))
        return real(path, table, columns)

    monkeypatch.setattr(tables, "read_table", spy)
    corpus = ogi.load(verbose=False)
    by_rule = analysis.checks_by_rule(corpus, "en")
    dash = dashboards.overview_dashboard(corpus, "en")
    assert [r for r in reads if r[0] == "checks"] == [("checks", analysis.CHECK_COLUMNS)]
    pd.testing.assert_frame_equal(by_rule, analysis.checks_by_rule(reference, "en"))
    assert dash.snapshot() == dashboards.overview_dashboard(reference, "en").snapshot()


def test_data_note_says_how_little_there_is(tiny):
    zh, en = analysis.data_note(tiny, lang="zh"), analysis.data_note(tiny, lang="en")
    assert "3 份报告" in zh and "很小的样本" in zh
    assert en.startswith("Selection: 3 reports (3 agencies, 2 provinces, years 2020-2022).") and "tiny sample" in en
    assert "tiny sample" not in analysis.data_note(fake_corpus(150), lang="en")


# ---------------------------------------------------------------------------
# The bundled sample (the seeds' hand-read numbers)
# ---------------------------------------------------------------------------


def test_sample_corpus_outcomes():
    import ogi

    corpus = ogi.load(verbose=False)
    t = analysis.outcome_shares(corpus, lang="en").set_index("outcome")
    assert t["n"].iloc[0] == 51 and t.loc["granted", "count"] == 19 and not t["small_n"].any()
    assert analysis.requests_by(corpus, "applicant").set_index("applicant").loc["natural_person", "requests"] == 48
    assert analysis.reasons(corpus, "denied")["small_n"].all()  # 11 denials: counts only


# ---------------------------------------------------------------------------
# Charts: every builder, both languages, labels from the schema, empty selections
# ---------------------------------------------------------------------------

BUILDERS = [(n, s) for n, s in figures.REGISTRY.items() if not n.startswith("00-")]


def test_every_question_has_registered_charts():
    prefixes = {n.split("-")[0] for n, _ in BUILDERS}
    assert prefixes == {"01", "02", "03", "04", "05"}
    assert len(BUILDERS) >= 15


@pytest.mark.parametrize("name", [n for n, _ in BUILDERS])
def test_chart_builders_draw_both_languages_from_any_corpus(name, tiny):
    builder = figures.REGISTRY[name].build.builder
    zh, en = builder(tiny, lang="zh"), builder(tiny, lang="en")
    for fig in (zh, en):
        assert isinstance(fig, go.Figure) and len(fig.data) >= 1
        assert fig.layout.template.layout.font.family == theme.FONT_FAMILY  # the registered theme
    assert CJK.search(zh.layout.title.text) and not CJK.search(en.layout.title.text)
    empty = builder(tiny, lang="en", filters=make_filters(year=1999))  # nothing selected: a note, no error
    assert isinstance(empty, go.Figure)


def test_chart_colours_and_labels_come_from_the_theme(tiny):
    from ogi.charts import outcomes, requests

    fig = outcomes.outcome_composition(tiny, "zh", by="level")
    assert {t.name: t.marker.color for t in fig.data} == {
        theme.labels("outcome", "zh")[o]: theme.color_for("outcome", o) for o in analysis.OUTCOMES}
    bars = requests.requests_by_applicant(tiny, "en").data[0]
    assert list(bars.y)[::-1] == [theme.labels("applicant", "en")[a] for a in analysis.APPLICANT_CODES[:-1]]
    flow = outcomes.outcome_flow(tiny, "en").data[0]
    assert any(lab.startswith("Granted") for lab in flow.node.label)


def test_registered_figures_build_from_the_default_corpus():
    """What `make figures` does before exporting: every builder, both languages, the bundled sample."""
    for name, spec in figures.REGISTRY.items():
        for lang in spec.langs:
            fig = spec.build(lang=lang)
            assert isinstance(fig, go.Figure), name
