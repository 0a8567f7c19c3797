"""Boilerplate and copying: a planted near-copy is found, unrelated text is not flagged, work stays linear."""

import numpy as np
import pandas as pd
import pytest
from test_text_seeds import seed_frames

from ogi.text import similarity as S

UNRELATED = [
    "今年春季降雨偏多,农作物长势良好,预计夏粮产量将比去年增长百分之三左右。",
    "市图书馆新增古籍修复室一间,全年接待读者十二万人次,举办讲座四十场。",
    "本次运动会共有来自全市的八百名运动员参加,设田径、游泳、篮球等十个大项。",
]


def _sections(extra=()):
    sections, reports = seed_frames()
    full = sections[(sections["section"] == "problems") & (sections["part"] == "full")]
    items = full.merge(reports[["report_id", "agency_key", "year"]], on="report_id")
    items = items.assign(part="problems", idx=pd.NA)[["report_id", "part", "idx", "agency_key", "year", "text"]]
    return pd.concat([items, pd.DataFrame(list(extra), columns=items.columns)], ignore_index=True)


def _near_copy(text: str) -> str:
    """Two characters changed, as an agency copying another's section would leave it."""
    chars = list(text)
    for pos, new in ((len(chars) // 3, "甲"), (2 * len(chars) // 3, "乙")):
        chars[pos] = new
    return "".join(chars)


def test_planted_near_copy_under_another_agency_is_found():
    items = _sections()
    source = items.iloc[4]  # seed 004's problems section
    planted = ("copy", "problems", pd.NA, "某县某某局", 2024, _near_copy(source["text"]))
    pairs = S.similar_pairs(_sections([planted]))
    assert len(pairs) == 1
    pair = pairs.iloc[0]
    assert {pair["left_report_id"], pair["right_report_id"]} == {source["report_id"], "copy"}
    assert 0.9 < pair["score"] < 1.0
    assert not pair["same_agency"]


def test_unrelated_text_is_not_flagged():
    extra = [(f"u{i}", "problems", pd.NA, f"某单位{i}", 2024, t) for i, t in enumerate(UNRELATED)]
    assert S.similar_pairs(_sections(extra), threshold=0.3).empty
    # the seeds share field vocabulary, yet no two of their sections are near-duplicates
    texts = [S.normalize(t) for t in _sections()["text"]]
    scores = [S.jaccard(S.shingles(a), S.shingles(b)) for i, a in enumerate(texts) for b in texts[i + 1:]]
    assert max(scores) < 0.15


def test_copy_within_an_agency_across_years_and_repeat_share():
    items = _sections()
    first = items.iloc[0]
    next_year = (first["report_id"] + "+1", "problems", pd.NA, first["agency_key"], first["year"] + 1,
                 first["text"].replace("2024年度", "2025年度").replace("2023年度", "2024年度"))
    other = ("other", "problems", pd.NA, first["agency_key"], first["year"] + 2, UNRELATED[0])
    both = _sections([next_year, other])
    pairs = S.similar_pairs(both)
    assert len(pairs) == 1 and bool(pairs["same_agency"].iloc[0]) and pairs["score"].iloc[0] == 1.0  # digits read as 0
    shares = S.repeat_shares(both).set_index("report_id")
    assert shares.loc[next_year[0], "share_prev"] == 1.0
    assert shares.loc[next_year[0], "prev_report_id"] == first["report_id"]
    assert shares.loc["other", "share_earlier"] < 0.1 and shares.loc["other", "n_earlier"] == 2
    assert pd.isna(shares.loc[first["report_id"], "share_prev"])


def test_boilerplate_family_gives_linear_pairs():
    """300 agencies with the same statement: pairs are not 300*299/2, but each agency linked once."""
    text = "政府信息公开工作人员业务能力有待提高,政策解读形式较为单一。"
    rows = [(f"r{i:03d}", "problems", 0, f"agency{i:03d}", 2020 + i % 4, text) for i in range(300)]
    rows += [(f"s{i:03d}", "problems", 0, f"agency{i:03d}", 2025, text.replace("单一", f"单调{i % 7}"))
             for i in range(300)]
    pairs = S.similar_pairs(pd.DataFrame(rows, columns=["report_id", "part", "idx", "agency_key", "year", "text"]))
    assert 300 <= len(pairs) <= 4 * 600
    assert pairs["same_agency"].sum() == 300  # each agency's two reports
    linked = set(pairs["left_report_id"]) | set(pairs["right_report_id"])
    assert len(linked) == 600


def test_minhash_estimates_jaccard_and_lsh_finds_candidates():
    rng = np.random.default_rng(0)
    alphabet = list("政务公开信息解读网站平台基层培训制度监督考核数据智能服务回应关切")
    base = "".join(rng.choice(alphabet, 400))
    texts = [base, base[:300] + "".join(rng.choice(alphabet, 100))] + ["".join(rng.choice(alphabet, 400))
                                                                      for _ in range(50)]
    sig = S.minhash(texts)
    true = S.jaccard(S.shingles(texts[0]), S.shingles(texts[1]))
    assert abs((sig[0] == sig[1]).mean() - true) < 0.12
    assert [0, 1] in S.lsh_candidates(sig).tolist()
    dup = S.near_duplicates(texts, threshold=0.5)
    assert dup[["i", "j"]].values.tolist() == [[0, 1]]


def test_normalize_ignores_punctuation_spacing_and_digits():
    assert S.normalize("2023年，政务 公开!（一）") == S.normalize("2024年,政务公开(二)").replace("二", "一")
    assert S.normalize("１２３ＡＢ") == "000ab"


@pytest.mark.parametrize("threshold", [0.5, 0.8])
def test_similar_pairs_is_deterministic(threshold):
    items = _sections([("copy", "problems", pd.NA, "x", 2024, _near_copy(_sections().iloc[1]["text"]))])
    pd.testing.assert_frame_equal(S.similar_pairs(items, threshold), S.similar_pairs(items.sample(frac=1, random_state=1),
                                                                                     threshold))
