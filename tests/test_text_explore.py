"""ogi.text.explore and ogi.text.dashboard: theme shares with denominators, keywords for any filter,
the real sentences behind a word or a theme, boilerplate shares, and the dashboard of notebook 06.

Frames: the five seeds (tests/test_text_seeds.seed_frames) plus two planted reports: seed 000's agency
again a year later with the same section 5 (two characters changed), and seed 004's section 5 copied
a year later by another agency.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import pytest
from test_text_seeds import EXPECTED, seed_frames

from ogi import figures
from ogi.text import dashboard as dash_mod
from ogi.text import explore as ex
from ogi.text import load_text
from ogi.text.keywords import idf, keywords
from ogi.text.themes import UNTHEMED
from ogi.widgets import Dashboard


def planted() -> tuple[pd.DataFrame, pd.DataFrame]:
    sections, reports = seed_frames()
    later = sections[sections["report_id"] == "000"].copy()
    later["text"] = later["text"].str.replace("工作效率", "工作效能")
    later["report_id"] = "later"
    copy = sections[(sections["report_id"] == "004") & (sections["section"] == "problems")].copy()
    copy["text"] = copy["text"].str.replace("智能化服务", "智慧化服务")
    copy["report_id"] = "copy"
    r000 = reports[reports["report_id"] == "000"].assign(report_id="later", year=2025)
    r004 = reports[reports["report_id"] == "004"].assign(report_id="copy", year=2025, agency_key="某县某某局")
    return (pd.concat([sections, later, copy], ignore_index=True),
            pd.concat([reports, r000, r004], ignore_index=True))


@pytest.fixture(scope="module")
def text():
    sections, reports = planted()
    return load_text({"sections": sections, "reports": reports}, processes=1)


@pytest.fixture(scope="module")
def seeds():
    sections, reports = seed_frames()
    return load_text({"sections": sections, "reports": reports}, processes=1)


# --------------------------------------------------------------------------- themes


def test_statement_frame_and_theme_matrix_are_aligned(text):
    frame = ex.statement_frame(text)
    m, codes = ex.theme_matrix(text)
    assert len(frame) == len(text.statements) == m.shape[0] and codes[-1] == UNTHEMED
    assert m.any(axis=1).all()  # every statement has a theme or is unthemed
    assert not (m[:, -1] & m[:, :-1].any(axis=1)).any()  # unthemed means no other theme
    th = text.statement_themes
    assert m.sum() == len(th)
    assert frame["year"].notna().all() and set(frame["part"]) <= set(ex.PARTS)


def test_theme_shares_give_counts_denominators_and_no_small_shares(seeds):
    t = ex.theme_shares(seeds, "part", lang="en")
    th = seeds.statement_themes
    for part, g in t.groupby("part", sort=False):
        n = int((seeds.statements["part"] == part).sum())
        assert (g["n"] == n).all()
        want = th[th["part"] == part]["theme"].astype(str).value_counts()
        assert dict(zip(g["theme"], g["count"])) == {c: int(want.get(c, 0)) for c in g["theme"]}
        assert g["small_n"].all() and g["share"].isna().all()  # every part of the seeds has fewer than 30
        assert all(re.fullmatch(r"\d+/\d+, n<30", s) for s in g["share_text"])
    assert list(pd.unique(t["part"])) == ["problems", "improvements", "rectification"]
    overall = ex.theme_shares(seeds)  # 36 statements: shares computed
    assert (overall["n"] == len(seeds.statements)).all() and not overall["small_n"].any()
    np.testing.assert_allclose(overall["share"], overall["count"] / overall["n"])
    assert overall["theme"].iloc[-1] == UNTHEMED and overall["count"].iloc[-1] > 0


def test_filters_and_groups(seeds):
    t = ex.theme_shares(seeds, "year", {"part": "problems", "level": ["county"]})
    frame = ex.statement_frame(seeds)
    sel = frame[(frame["part"] == "problems") & (frame["level"] == "county")]
    assert dict(t.drop_duplicates("year")[["year", "n"]].itertuples(index=False)) == \
        sel.groupby("year").size().to_dict()
    counts = ex.statement_counts(seeds, "part")
    assert counts["statements"].sum() == len(seeds.statements)
    assert (counts["themed"] + counts["unthemed"] == counts["statements"]).all()
    wide = ex.theme_table(seeds, "part", lang="zh")
    assert wide.shape == (17, 3) and wide.columns[0].endswith("(n=12)")


def test_codebook_table_counts_every_theme(seeds):
    cb = ex.codebook_table(seeds, "en")
    m, codes = ex.theme_matrix(seeds)
    assert list(cb["code"]) == codes and list(cb["statements"]) == m.sum(axis=0).tolist()
    assert (cb["indicators"].iloc[:-1] > 0).all()


def test_unthemed_statements_are_listed(seeds):
    u = ex.unthemed(seeds, width=None)
    th = seeds.statement_themes
    assert len(u) == int((th["theme"] == UNTHEMED).sum()) > 0
    leads = {t.removeprefix("LEAD:") for ts in EXPECTED.values() for t in ts if t.startswith("LEAD:")}
    assert set(u.loc[u["lead"], "statement"]) <= leads


# --------------------------------------------------------------------------- keywords


def test_top_keywords_match_the_stored_keyword_table(seeds):
    got = ex.top_keywords(seeds, "part", k=30)
    kw = seeds.keywords
    want = kw[kw["by"] == "all"]
    for part in ex.PARTS:
        g = got[got["part"] == part].reset_index(drop=True)
        w = want[want["part"] == part].reset_index(drop=True)
        assert g["term"].tolist() == w["term"].tolist() and g["count"].tolist() == w["count"].tolist()
        np.testing.assert_allclose(g["score"], w["score"].astype(float))


def test_top_keywords_of_a_filtered_selection_use_the_corpus_idf(seeds):
    frame = ex.statement_frame(seeds).assign(tokens=seeds.statements["tokens"].to_numpy())  # rows aligned
    got = ex.top_keywords(seeds, "part", {"level": ["county"]}, k=10)
    sub = frame[frame["level"] == "county"]
    want = keywords(sub, "part", 10, corpus_idf=idf(frame["tokens"]))
    for part in ex.PARTS:
        assert got[got["part"] == part]["term"].tolist() == want[want["part"] == part]["term"].tolist()


# --------------------------------------------------------------------------- keyword in context


def test_kwic_finds_every_statement_with_the_word_and_marks_it(seeds):
    k = ex.kwic(seeds, "新媒体", width=None)
    frame = ex.statement_frame(seeds)
    assert k.attrs["total"] == len(k) == int(frame["text"].str.contains("新媒体").sum()) > 0
    assert all("【新媒体】" in s for s in k["statement"])
    assert k["statement"].str.replace("【", "").str.replace("】", "").isin(frame["text"]).all()  # real sentences
    assert list(k.columns) == ["report", "agency", "year", "part", "statement"]
    both = ex.kwic(seeds, "新媒体|公众号", width=None)
    assert len(both) >= len(k)


def test_kwic_by_theme_marks_its_indicator_terms_outside_exclusions(seeds):
    k = ex.kwic(seeds, theme_code="oversight", width=None)
    m, codes = ex.theme_matrix(seeds)
    assert len(k) == int(m[:, codes.index("oversight")].sum())
    assert all("【" in s for s in k["statement"])
    assert not any("【监督】权" in s for s in k["statement"])  # 监督权 is excluded from oversight
    assert ex.mark("依法保障监督权,加强监督", [(4, 6), (10, 12)]) == "依法保障【监督】权,加强【监督】"


def test_kwic_windows_filters_and_limits(seeds):
    k = ex.kwic(seeds, "解读", width=20, limit=3)
    assert len(k) == 3 and k.attrs["total"] > 3
    assert all(len(s.replace("【", "").replace("】", "").strip("…")) <= 20 for s in k["statement"])
    only = ex.kwic(seeds, "解读", filters={"part": "problems"}, lang="zh")
    assert set(only["part"]) == {ex.part_labels("zh")["problems"]}
    html = ex.kwic(seeds, "解读", width=None, html_marks=True)
    assert html["statement"].str.contains("<mark>解读</mark>").all()
    with pytest.raises(KeyError):
        ex.kwic(seeds, theme_code="no-such-theme")


# --------------------------------------------------------------------------- boilerplate


def test_boilerplate_finds_the_planted_repeat_and_copy_and_nothing_else(text):
    b = ex.boilerplate(text, sort=False).set_index("report")
    later, copy = b.loc["later"], b.loc["copy"]
    assert later["n_earlier"] == 1 and later["share_prev"] > 0.9
    assert later["share_other"] == 0  # the same agency is not "another agency"
    assert copy["share_other"] > 0.9 and copy["other_agencies"] == 1 and copy["section_match"] > 0.9
    assert pd.isna(copy["share_prev"])  # no earlier report of its own agency
    seeds_ = b.drop(index=["later", "copy"])
    assert (seeds_["share_other"] == 0).all() and seeds_["share_prev"].isna().all()  # 004 is the source
    top = ex.boilerplate(text)
    assert set(top["report"].head(2)) == {"later", "copy"}


def test_boilerplate_bins_account_for_every_report(text):
    bins = ex.boilerplate_bins(text, lang="en")
    n = len(ex.boilerplate(text))
    assert bins["same_agency"].sum() == n and bins["other_agencies"].sum() == n
    assert bins.set_index("bin").loc["90-100%", "same_agency"] == 1
    assert bins.set_index("bin").loc["no earlier report", "same_agency"] == n - 1
    filtered = ex.boilerplate_bins(text, {"year": (2025, 2025)})
    assert filtered["same_agency"].sum() == 2


def test_copied_pairs_show_both_texts(text):
    p = ex.copied_pairs(text, width=None)
    assert len(p) > 0 and (p["score"] >= ex.COPY_THRESHOLD).all()
    copies = p[~p["same_agency"]]
    assert set(copies["right_agency"]) == {"某县某某局"} and set(copies["left_agency"]) == {"重庆市黔江区"}
    assert copies["left_text"].notna().all() and copies["right_text"].notna().all()


def test_outputs_are_deterministic(text):
    sections, reports = planted()
    again = load_text({"sections": sections.sample(frac=1, random_state=1),
                       "reports": reports.sample(frac=1, random_state=2)}, processes=1)
    for f in (lambda t: ex.theme_shares(t, "year"), lambda t: ex.top_keywords(t, "part"),
              lambda t: ex.kwic(t, "解读"), lambda t: ex.boilerplate(t), lambda t: ex.unthemed(t)):
        pd.testing.assert_frame_equal(f(text), f(again))


# --------------------------------------------------------------------------- dashboard and charts


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_dashboard_is_one_figure_updated_in_place(text, lang, figure_widgets_made):
    made = figure_widgets_made
    dash = dash_mod.themes_dashboard(text, lang)
    assert isinstance(dash, Dashboard) and len(made) == 1 and dash.figure.layout.meta == dash_mod.META
    assert set(dash.panel.controls) == {"year", "province", "level", "agency_kind", "part"}
    fig, traces = dash.figure, list(dash.figure.data)
    assert "figure data updated in place" in dash.assert_updates(part=["problems"])
    assert "figure data updated in place" in dash.assert_updates(level=["county"], year=(2024, 2025))
    assert dash.figure is fig and list(dash.figure.data) == traces and len(made) == 1
    assert dash.last_update_ms is not None and dash.last_update_ms < 1000


def test_dashboard_numbers_are_those_of_theme_shares(text):
    dash = dash_mod.themes_dashboard(text, "en")
    dash.set_filters(part=["improvements"])
    t = ex.theme_shares(text, filters={"part": ["improvements"]})
    bars = dash.figure.data[0]
    n = int(t["n"].iloc[0])
    want = t["count"].to_numpy() / n * 100 if n >= ex.MIN_N else t["count"].to_numpy()
    np.testing.assert_allclose(np.asarray(bars.x, dtype=float), want)
    assert str(n) in dash.figure.layout.title.subtitle.text


def test_kwic_browser_follows_the_dashboard_filters(text):
    dash = dash_mod.themes_dashboard(text, "zh")
    browser = dash_mod.kwic_browser(dash, limit=50)
    assert browser.total == 0 and "KwicBrowser" in repr(browser)
    line = browser.assert_updates(word="解读")
    assert "statements" in line and browser.total == ex.kwic(text, "解读").attrs["total"]
    assert "<mark>解读</mark>" in browser.output.value
    dash.set_filters(part=["problems"])
    assert browser.total == ex.kwic(text, "解读", filters={"part": ["problems"]}).attrs["total"]
    browser.assert_updates(word="", theme_code="staffing")
    assert len(browser.table) and set(browser.table["part"]) == {ex.part_labels("zh")["problems"]}


def test_charts_are_registered_and_build_in_both_languages(text):
    names = {"06-theme-shares", "06-problem-themes-by-year", "06-keywords", "06-boilerplate"}
    assert names <= set(figures.REGISTRY)
    assert "ogi.text.dashboard" in figures.FIGURE_MODULES
    for lang in ("zh", "en"):
        for builder in (dash_mod.theme_shares_chart, dash_mod.theme_trend_chart, dash_mod.keywords_chart,
                        dash_mod.boilerplate_chart):
            fig = builder(text, lang)
            assert isinstance(fig, go.Figure) and len(fig.data) > 0 and fig.layout.title.text
    trend = dash_mod.theme_trend_chart(text, "en", {"part": ("problems",)})
    grey, share = trend.data
    assert np.isfinite(np.asarray(grey.z, dtype=float)).any()  # small-n cells drawn grey, with count/n
    assert not np.isfinite(np.asarray(share.z, dtype=float)).any()  # and never as shares
