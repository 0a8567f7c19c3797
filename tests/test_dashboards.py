"""ogi.dashboards: one FigureWidget per dashboard, built once and updated in place from the filters,
the numbers those of ogi.analysis, and filter -> figure well under 150 ms at 100,000 reports.

Headless: ipywidgets and plotly's FigureWidget work without a front end.
"""

from __future__ import annotations

import time

import numpy as np
import plotly.graph_objects as go
import pytest
from test_analysis import fake_corpus, tiny_corpus

from ogi import analysis, dashboards
from ogi.widgets import Dashboard

NAMES = list(dashboards.DASHBOARDS)


@pytest.fixture(scope="module")
def tiny():
    return tiny_corpus()


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_each_dashboard_is_one_figure_updated_in_place(name, lang, tiny, figure_widgets_made):
    made = figure_widgets_made
    dash = dashboards.DASHBOARDS[name](tiny, lang)
    assert isinstance(dash, Dashboard) and isinstance(dash.figure, go.FigureWidget) and len(made) == 1
    assert dash.figure.layout.meta == f"ogi-dashboard:{name}"
    assert set(dash.panel.controls) >= {"year", "province", "level", "agency_kind", "template"}
    fig, traces = dash.figure, list(dash.figure.data)
    line = dash.assert_updates(year=(2021, 2021))
    assert "figure data updated in place" in line
    assert dash.figure is fig and list(dash.figure.data) == traces and len(made) == 1
    assert dash.last_update_ms is not None and dash.last_update_ms < 1000
    assert dash.figure.layout.title.subtitle.text  # says what is shown


def test_requests_dashboard_numbers_match_the_analysis(tiny):
    dash = dashboards.requests_dashboard(tiny, "en")
    applicants = dash.figure.data[0]
    by_label = dict(zip(applicants.y, applicants.x))
    expected = analysis.requests_by(tiny, "applicant", lang="en").set_index("label")["requests"]
    assert {k: int(v) for k, v in by_label.items()} == expected.to_dict()
    dist = dash.figure.data[1]
    assert list(dist.y) == analysis.agency_distribution(tiny, lang="en")["reports"].tolist()
    dash.set_filters(year=(2020, 2020))
    assert dict(zip(dash.figure.data[0].y, dash.figure.data[0].x))["Natural persons"] == 10
    assert "Year: 2020" in dash.figure.layout.title.subtitle.text


def test_outcomes_dashboard_follows_the_applicant_and_flags_small_n(tiny):
    dash = dashboards.outcomes_dashboard(tiny, "en")
    assert dash.panel.values["applicant"] == "total"
    outcomes = dash.figure.data[0]
    assert list(outcomes.y) == analysis.outcome_shares(tiny)["count"].tolist()
    assert list(outcomes.text)[0] == "54.5%"  # the denominator is in the subtitle
    assert "44 requests handled" in dash.figure.layout.title.subtitle.text
    dash.set_filters(applicant="natural_person")
    assert list(dash.figure.data[0].y)[0] == 15
    assert list(dash.figure.data[0].text)[0] == "15/15"  # a small denominator: no percentage
    assert "fewer than 30" in dash.figure.layout.title.subtitle.text
    reasons = dash.figure.data[1]
    assert dict(zip(reasons.y, reasons.x))["Third-party rights"] == 0  # natural persons: no denial printed


def test_appeals_and_proactive_dashboards(tiny):
    dash = dashboards.appeals_dashboard(tiny, "en")
    corrected = dash.figure.data[1]
    assert dict(zip(corrected.y, corrected.x))["Administrative reconsideration"] == 2
    assert "cases per 1,000 requests" in dash.figure.layout.title.subtitle.text
    pro = dashboards.proactive_dashboard(tiny, "zh")
    totals = dict(zip(pro.figure.data[0].x, pro.figure.data[0].y))
    assert totals["行政许可：决定数"] == 150
    # the template filter reads table 2's template (2021 in every report here; table 3 has a 2019 one)
    assert [v for _, v in pro.panel.controls["template"].options] == ["2021"]
    pro.set_filters(template=["2021"])
    assert "模板" in pro.figure.layout.title.subtitle.text


def test_overview_dashboard_counts_every_file(tiny):
    dash = dashboards.overview_dashboard(tiny, "en")
    total = sum(np.asarray(t.y).sum() for t in dash.figure.data if t.orientation != "h")
    assert total == 5  # failed and duplicate files included
    failed = dash.figure.data[-2]
    assert np.asarray(failed.x).sum() == 1


def test_dashboards_on_the_bundled_sample():
    import ogi

    corpus = ogi.load(verbose=False)
    for name, build in dashboards.DASHBOARDS.items():
        dash = build(corpus, "zh")
        assert len(dash.data) == (5 if name != "overview" else len(corpus.reports))


@pytest.mark.slow
def test_filter_to_figure_latency_at_100k_reports():
    corpus = fake_corpus(100_000)
    try:
        for name, build in dashboards.DASHBOARDS.items():
            dash = build(corpus, "zh")
            times = []
            for filters in (dict(level=["county"]), dict(year=(2020, 2022)), dict(province=["湖北省", "重庆市"]),
                            dict(agency_kind=["department"])):
                dash.set_filters(**filters)
                times.append(dash.last_update_ms)
            assert np.median(times) < 150, (name, times)  # the benchmark's target, measured in the kernel
    finally:
        analysis._last.clear()  # a dict of frames is cached as the last one: do not keep 100k reports around


def test_quality_summaries_cost_is_linear_in_the_checks():
    """The checks table grows fastest of all (9.9 million cross-year rows of 14.5 million at 100k synthetic
    reports): checks_by_rule and the overview dashboard's per-file counts reduce it in one vectorised pass
    over category codes. 8x the reports and checks must cost about 8x the CPU, not 64x (a scan per
    report, a join per pair); CPU time, best of three, with a wide margin for a shared machine."""
    def cost(n: int) -> float:
        corpus = fake_corpus(n, checks_per_report=40)
        files = corpus["reports"].reset_index(drop=True)
        best = np.inf
        for _ in range(3):
            analysis._last.clear()  # no tallies kept from the last round
            t = time.process_time()
            rules = analysis.checks_by_rule(corpus, "en")["rule"].tolist()
            dashboards._check_counts(corpus, files, rules)
            best = min(best, time.process_time() - t)
        return best

    try:
        small, large = cost(1_000), cost(8_000)
    finally:
        analysis._last.clear()
    assert large < 20 * max(small, 0.005), (small, large)


def test_a_new_view_starts_from_the_current_figure(tiny):
    """A view made after updates (the dashboard cell's output) is drawn from plotly's synced state:
    displaying the dashboard must refresh it, or JupyterLab shows stale bars without category labels."""
    dash = dashboards.outcomes_dashboard(tiny, "en")
    dash.set_filters(applicant="natural_person")
    assert "application/vnd.jupyter.widget-view+json" in dash._repr_mimebundle_()
    synced = dash.figure._widget_data[0]  # what plotly's front end draws a new view from
    assert list(synced["x"]) == list(dash.figure.data[0].x) == list(analysis.outcome_table(
        analysis.prepare(tiny).requests["total"].sums(), lang="en")["label"])
    assert list(synced["y"]) == list(dash.figure.data[0].y)
