"""text_tables on the seeds: declared schemas, deterministic output, keywords with a corpus IDF."""

import math
from pathlib import Path

import jieba
import pandas as pd
import pytest
from test_text_seeds import EXPECTED, seed_frames

from ogi.text import SCHEMAS, text_tables
from ogi.text.keywords import idf, keywords
from ogi.text.tables import validate
from ogi.text.themes import UNTHEMED


def _planted():
    """The seeds plus seed 004's problems section copied, two characters changed, by another agency."""
    sections, reports = seed_frames()
    src = sections[(sections["report_id"] == "004") & (sections["section"] == "problems")].copy()
    src["text"] = src["text"].str.replace("智能化服务", "智慧化服务").str.replace("多样性", "多元性")
    src["report_id"] = "copy"
    rep = reports[reports["report_id"] == "004"].assign(report_id="copy", agency_key="某县某某局")
    return pd.concat([sections, src], ignore_index=True), pd.concat([reports, rep], ignore_index=True)


@pytest.fixture(scope="module")
def tables():
    return text_tables(*_planted(), processes=1)


def test_every_table_matches_its_declared_schema(tables):
    assert set(tables) == set(SCHEMAS)
    for name, df in tables.items():
        validate(df, name)


def test_outputs_are_deterministic(tables):
    sections, reports = _planted()
    again = text_tables(sections.sample(frac=1, random_state=2), reports.sample(frac=1, random_state=3),
                        processes=1)
    for name in tables:
        pd.testing.assert_frame_equal(tables[name], again[name], obj=name)


def test_statements_table_holds_the_seed_statements(tables):
    st = tables["statements"]
    for (rid, part), expected in EXPECTED.items():
        got = st[(st["report_id"] == rid) & (st["part"] == part)].sort_values("idx")
        assert [("LEAD:" if lead else "") + t for t, lead in zip(got["text"], got["lead"])] == expected
    assert st["tokens"].str.contains("政务新媒体").any()


def test_unthemed_statements_are_listed_not_hidden(tables):
    th = tables["statement_themes"]
    keys = ["report_id", "part", "idx"]
    assert len(th[keys].drop_duplicates()) == len(tables["statements"])
    assert (th["theme"] == UNTHEMED).sum() > 0
    assert th.loc[th["theme"] != UNTHEMED, "terms"].str.len().min() > 0


def test_planted_copy_in_similar_pairs(tables):
    pairs = tables["similar_pairs"]
    sections = pairs[pairs["kind"] == "section"]
    assert len(sections) == 1
    row = sections.iloc[0]
    assert (row["left_report_id"], row["right_report_id"]) == ("004", "copy") and not row["same_agency"]
    assert row["score"] > 0.9
    stmts = pairs[pairs["kind"] == "statement"]
    assert set(stmts["left_report_id"]) == {"004"} and set(stmts["right_report_id"]) == {"copy"}
    assert len(stmts) == len(EXPECTED[("004", "problems")]) + len(EXPECTED[("004", "improvements")])


def test_repeats_table(tables):
    rep = tables["repeats"]
    assert len(rep) == 6 and rep["share_prev"].isna().all()  # no agency has two years among the seeds


def test_keyword_idf_comes_from_the_corpus():
    docs = pd.Series(["政务公开 网站 网站", "政务公开 培训", "政务公开 适老化", "政务公开 网站"])
    weights = idf(docs)
    assert weights["政务公开"] == pytest.approx(1.0)  # in every document
    assert weights["适老化"] == pytest.approx(math.log(5 / 2) + 1)
    assert weights["网站"] == pytest.approx(math.log(5 / 3) + 1)
    # jieba's news IDF has no 政务公开 (so extract_tags would treat it as a rare, telling word) and rates
    # 网站 as common (6.5); in this corpus 政务公开 is the least telling word
    jieba_idf = dict(line.split() for line in
                     (Path(jieba.__file__).parent / "analyse" / "idf.txt").read_text(encoding="utf-8").splitlines())
    assert "政务公开" not in jieba_idf and float(jieba_idf["网站"]) == pytest.approx(6.5437594)
    assert weights.idxmin() == "政务公开"
    frame = pd.DataFrame({"g": ["a", "a", "b", "b"], "tokens": docs})
    top = keywords(frame, "g", k=1)
    assert top["term"].tolist() == ["网站", "政务公开"]  # group b: 政务公开 2/4*1.0 = 0.5 beats 适老化 1/4*1.92


def test_keywords_ties_are_broken_by_term_and_scores_use_the_given_idf():
    frame = pd.DataFrame({"g": [1, 1], "tokens": [["乙词", "甲词"], ["丙词"]]})
    out = keywords(frame, "g", k=3)
    assert out["term"].tolist() == sorted(["乙词", "甲词", "丙词"]) and out["rank"].tolist() == [1, 2, 3]
    fixed = pd.Series({"甲词": 5.0, "乙词": 1.0, "丙词": 1.0})
    assert keywords(frame, "g", k=1, corpus_idf=fixed)["term"].tolist() == ["甲词"]


def test_keywords_table_by_groups(tables):
    kw = tables["keywords"]
    assert set(kw["by"].astype(str)) == {"all", "year", "level", "agency_kind"}
    assert set(kw.loc[kw["by"] == "year", "group"]) == {"2021", "2023", "2024"}
    assert (kw.groupby(["by", "group", "part"], observed=True)["rank"].max() <= 30).all()
    stop = {"进一步", "加强", "工作", "情况", "提高", "方面"}
    assert not set(kw["term"]) & stop


def test_a_problems_section_without_parts_is_split_here(tables):
    sections, reports = seed_frames()
    only_full = sections[~((sections["report_id"] == "000") & (sections["part"] != "full"))]
    st = text_tables(only_full, reports, processes=1)["statements"]
    pd.testing.assert_frame_equal(st[st["report_id"] == "000"].reset_index(drop=True),
                                  tables["statements"][tables["statements"]["report_id"] == "000"]
                                  .reset_index(drop=True), check_categorical=False)


def test_empty_corpus_gives_empty_typed_tables():
    sections = pd.DataFrame({"report_id": [], "section": [], "part": [], "text": []})
    reports = pd.DataFrame({"report_id": [], "agency_key": [], "year": [], "level": [], "agency_kind": []})
    out = text_tables(sections, reports, processes=1)
    for name, df in out.items():
        validate(df, name)
        assert name == "themes" or df.empty
