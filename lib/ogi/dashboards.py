"""One function per dashboard: ``f(corpus, lang) -> ogi.widgets.Dashboard``.

Each builds the per-report arrays once (``ogi.analysis.prepare``), one
``go.FigureWidget`` once, and a filter panel (year range, province, level,
agency kind, template; the outcomes dashboard also the applicant type). A
filter change masks the report frame (one vectorised pass), sums the arrays
over the selected reports and assigns the new trace data inside one
``batch_update``; the figure is never rebuilt.

    dash = dashboards.requests_dashboard(corpus, "zh")
    dash                                          # in a notebook: the filters above the chart
    dash.set_filters(level=["county"], year=(2021, 2023))
    dash.last_update_ms                           # filter -> new figure data, in the kernel
    dash.assert_updates(province=["湖北省"])      # what each notebook runs once under nbval

Each figure carries ``layout.meta = "ogi-dashboard:<name>"`` so that a
browser test can find its plot among the notebook's static charts.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from . import analysis, theme
from .charts import appeals as appeal_charts
from .charts import outcomes as outcome_charts
from .charts import overview as overview_charts
from .charts import requests as request_charts
from .charts.common import describe_filters, fmt_int, log_axis, tr, word
from .widgets import Dashboard, FilterPanel

__all__ = ["DASHBOARDS", "appeals_dashboard", "outcomes_dashboard", "overview_dashboard", "proactive_dashboard",
           "requests_dashboard"]

META = "ogi-dashboard:{}"


def _panel(data: pd.DataFrame, lang: str, table: str = "requests", applicant: bool = False) -> FilterPanel:
    names = [f for f in analysis.FILTERS if (analysis.TEMPLATE_COLUMNS.get(table, "template_requests")
                                             if f == "template" else f) in data.columns]
    return FilterPanel(data, filters=names, applicant=applicant,
                       columns={"template": analysis.TEMPLATE_COLUMNS.get(table, "template_requests")}, lang=lang)


def _title(title: str, n: int | None, filters: Mapping[str, Any], lang: str, extra: str = "") -> dict:
    """The layout update of a dashboard's title: what is shown (reports, filters) in the subtitle."""
    active = {k: v for k, v in filters.items() if k != "applicant"}
    parts = [] if n is None else [tr(lang, f"{n:,} 份报告", f"{n:,} report{'s' if n != 1 else ''}")]
    parts += [p for p in (describe_filters(active, lang) if active else "", extra) if p]
    return {"title": {"text": title, "subtitle": {"text": tr(lang, "；", "; ").join(parts)}}}


def _active(panel: FilterPanel) -> dict[str, Any]:
    """The filters that narrow the selection (a full year range and empty multi-selects do not)."""
    out = {}
    for name, control in panel.controls.items():
        v = control.value
        if name == "year" and v == (control.min, control.max):
            continue
        if isinstance(v, tuple) and not v:
            continue
        out[name] = v
    return out


def _build(fig: go.Figure, name: str, title: str, lang: str) -> go.Figure:
    fig.update_layout(meta=META.format(name), height=520, margin=dict(t=110))
    fig.update_layout(title=dict(text=title, subtitle=dict(text="", font=dict(size=12, color="#555555")),
                                 yref="container", y=1, yanchor="top", pad=dict(t=16)))
    return fig


# --------------------------------------------------------------------------- request volumes


def requests_dashboard(corpus: Mapping[str, pd.DataFrame], lang: str | None = None) -> Dashboard:
    """New requests by applicant type (left) and reports by number of new requests (right)."""
    lang = theme.resolve_lang(lang)
    p = analysis.prepare(corpus)
    j = analysis.REQUEST_ROW_CODES.index("new")
    applicants = [a for a in analysis.APPLICANT_CODES if a != "total"]
    columns = [p.requests[a].values[:, j] for a in applicants]
    total_new = p.requests["total"].column("new")
    title = tr(lang, "本年新收申请：谁在申请，机关之间如何分布", "New requests: who asks, and how they spread over agencies")
    names = theme.labels("applicant", lang)
    bins = [b for b, _, _ in analysis.REQUEST_BINS] + [tr(lang, "未知", "unknown")]
    fig = make_subplots(rows=1, cols=2, horizontal_spacing=0.16,
                        subplot_titles=[tr(lang, "各类申请人", "By applicant type"),
                                        tr(lang, "每份报告的新收申请数", "Reports by new requests received")])
    fig.add_trace(go.Bar(y=[names[a] for a in applicants][::-1], x=[0] * len(applicants), orientation="h",
                         marker_color=[theme.color_for("applicant", a) for a in applicants][::-1],
                         textposition="auto", showlegend=False, name=word("requests", lang)), row=1, col=1)
    fig.add_trace(go.Bar(x=bins, y=[0] * len(bins), textposition="outside", cliponaxis=False, showlegend=False,
                         name=word("reports", lang)), row=1, col=2)
    fig.update_xaxes(title_text=word("requests", lang), row=1, col=1)
    fig.update_xaxes(type="category", row=1, col=2)
    fig.update_yaxes(title_text=word("reports", lang), row=1, col=2)
    _build(fig, "requests", title, lang)

    def update(subset: pd.DataFrame, filters: dict) -> dict:
        rows = subset.index.to_numpy()
        counts = np.array([c[rows].sum() for c in columns])
        total = counts.sum()
        dist = analysis.bin_requests(total_new[rows], lang)
        t1 = request_charts.distribution_traces(dist, lang, compact=True)
        return {"traces": [
            {"x": counts[::-1], "text": [analysis.share_text(c, total, lang=lang) if c else "0" for c in counts][::-1]},
            {"y": t1["y"], "text": t1["text"], "marker.color": t1["marker_color"]},
        ], "layout": _title(title, len(rows), _active(panel), lang, request_charts.distribution_note(dist, lang))}

    panel = _panel(p.filter_frame, lang)
    return Dashboard(p.filter_frame, fig, update, panel=panel)


# --------------------------------------------------------------------------- outcomes


def outcomes_dashboard(corpus: Mapping[str, pd.DataFrame], lang: str | None = None) -> Dashboard:
    """Outcomes of the requests handled (left) and the eight reasons for denial (right), for one
    applicant type at a time; shares only where the denominator reaches ``analysis.MIN_N``."""
    lang = theme.resolve_lang(lang)
    p = analysis.prepare(corpus)
    wides = p.requests
    title = tr(lang, "办理结果与不予公开的理由", "Outcomes and the reasons for denial")
    outcome_names = theme.labels("outcome", lang)
    reasons = analysis.REASON_ROWS["denied"]
    reason_names = theme.labels("denial_reason", lang)
    fig = make_subplots(rows=1, cols=2, horizontal_spacing=0.2, column_widths=[0.45, 0.55],
                        subplot_titles=[tr(lang, "办理结果", "Outcomes"), tr(lang, "不予公开的理由", "Reasons for denial")])
    fig.add_trace(go.Bar(x=[outcome_names[o] for o in analysis.OUTCOMES], y=[0] * len(analysis.OUTCOMES),
                         marker_color=[theme.color_for("outcome", o) for o in analysis.OUTCOMES],
                         textposition="outside", cliponaxis=False, showlegend=False,
                         name=tr(lang, "办理结果", "Outcomes")), row=1, col=1)
    fig.add_trace(go.Bar(y=[reason_names[r] for r in reasons][::-1], x=[0] * len(reasons), orientation="h",
                         marker_color=[theme.color_for("denial_reason", r) for r in reasons][::-1],
                         textposition="outside", cliponaxis=False, showlegend=False,
                         name=tr(lang, "不予公开的理由", "Reasons for denial")), row=1, col=2)
    fig.update_yaxes(title_text=word("requests", lang), row=1, col=1)
    fig.update_xaxes(title_text=word("requests", lang), row=1, col=2)
    _build(fig, "outcomes", title, lang)
    fig.update_layout(margin=dict(r=110))

    def update(subset: pd.DataFrame, filters: dict) -> dict:
        applicant = filters.get("applicant") or "total"
        sums = wides[applicant].sums(subset.index.to_numpy())
        out = analysis.outcome_table(sums, lang=lang)
        rea = analysis.reason_table(sums, "denied", lang=lang)
        t0 = outcome_charts.outcome_traces(out, lang, compact=True)
        t1 = outcome_charts.reason_traces(rea, lang, compact=True)
        n = int(out["n"].iloc[0])
        who = tr(lang, "全部申请人", "All applicants") if applicant == "total" else theme.labels("applicant", lang)[applicant]
        denied = int(rea["n"].iloc[0])
        extra = tr(lang, f"{who}：办理 {n:,} 件，不予公开 {denied:,} 件", f"{who}: {n:,} requests handled, "
                   f"{denied:,} denied")
        if n < analysis.MIN_N:
            extra += tr(lang, f"（少于 {analysis.MIN_N} 件：只给件数）", f" (fewer than {analysis.MIN_N}: counts only)")
        return {"traces": [{"y": t0["y"], "text": t0["text"]}, {"x": t1["x"], "text": t1["text"]}],
                "layout": _title(title, len(subset), _active(panel), lang, extra)}

    panel = _panel(p.filter_frame, lang, applicant=True)
    return Dashboard(p.filter_frame, fig, update, panel=panel)


# --------------------------------------------------------------------------- reconsideration and litigation


def appeals_dashboard(corpus: Mapping[str, pd.DataFrame], lang: str | None = None) -> Dashboard:
    """Reconsideration and litigation cases by result, with correction rates and cases per 1,000
    requests handled in the subtitle."""
    lang = theme.resolve_lang(lang)
    p = analysis.prepare(corpus)
    review = p.review
    handled_col = p.requests["total"].values[:, analysis.REQUEST_ROW_CODES.index("total")]
    title = tr(lang, *appeal_charts.TITLES["outcomes"])
    names = theme.labels("review_outcome", lang)
    groups = theme.labels("review_group", lang)
    y = [groups[g] for g in analysis.REVIEW_GROUPS][::-1]
    fig = go.Figure([go.Bar(y=y, x=[0] * len(y), orientation="h", name=names[o],
                            marker_color=theme.color_for("review_outcome", o), textposition="inside", textangle=0,
                            insidetextanchor="middle") for o in appeal_charts.STACK])
    fig.update_layout(barmode="stack", xaxis=dict(title=word("cases", lang), rangemode="tozero"),
                      legend=dict(orientation="h", x=0, xanchor="left", y=1.0, yanchor="bottom", traceorder="normal"))
    _build(fig, "appeals", title, lang)
    fig.update_layout(margin=dict(t=140))

    def update(subset: pd.DataFrame, filters: dict) -> dict:
        rows = subset.index.to_numpy()
        t = analysis.review_table(review.sums(rows), lang=lang)
        traces = appeal_charts.review_traces(t, lang)
        handled = float(handled_col[rows].sum())
        cases = float(t.loc[t["group"] != "litigation", "total"].sum())
        rate = analysis.share(cases, handled)
        per = tr(lang, f"每千件申请 {1000 * rate:.1f} 件复议或诉讼", f"{1000 * rate:.1f} cases per 1,000 requests") \
            if not np.isnan(rate) else tr(lang, f"办理申请 {int(handled):,} 件（少于 {analysis.MIN_N}，不计算比率）",
                                          f"{int(handled):,} requests handled (fewer than {analysis.MIN_N}: no rate)")
        rev = t.set_index("group").loc["review"]
        corr = tr(lang, "复议纠正率 ", "reconsideration corrected ") + analysis.share_text(
            rev["corrected"], rev["decided"], lang=lang)
        return {"traces": [{"x": d["x"], "text": d.get("text")} for d in traces],
                "layout": _title(title, len(rows), _active(panel), lang, f"{per}; {corr}")}

    panel = _panel(p.filter_frame, lang, table="review_litigation")
    return Dashboard(p.filter_frame, fig, update, panel=panel)


# --------------------------------------------------------------------------- proactive disclosure


def proactive_dashboard(corpus: Mapping[str, pd.DataFrame], lang: str | None = None) -> Dashboard:
    """Totals of the proactive-disclosure measures (log scale), and fees, for the selected reports."""
    lang = theme.resolve_lang(lang)
    p = analysis.prepare(corpus)
    wide = p.proactive
    measures = [f"{i}.{c}" for i, c in analysis.PROACTIVE_MEASURES]
    counts, fees = measures[:-1], measures[-1]
    cols = {m: wide.columns.index(m) for m in measures}
    labels = analysis.proactive_measure_labels(lang)
    title = tr(lang, "主动公开：规范性文件、许可、处罚、强制与收费", "Proactive disclosure: documents, licensing, penalties, "
               "coercion, fees")
    from .charts.proactive import measure_color
    fig = make_subplots(rows=1, cols=2, column_widths=[0.75, 0.25], horizontal_spacing=0.12,
                        subplot_titles=[tr(lang, "合计（对数刻度）", "Totals (log scale)"), labels[fees]])
    fig.add_trace(go.Bar(x=[labels[m] for m in counts], y=[None] * len(counts), showlegend=False,
                         marker_color=[measure_color(m) for m in counts], textposition="outside", cliponaxis=False,
                         name=tr(lang, "合计", "Total")), row=1, col=1)
    fig.add_trace(go.Bar(x=[labels[fees]], y=[0], showlegend=False, marker_color=measure_color(fees),
                         textposition="outside", cliponaxis=False, name=labels[fees]), row=1, col=2)
    fig.update_yaxes(row=1, col=1, **log_axis())
    fig.update_xaxes(showticklabels=False, row=1, col=2)
    _build(fig, "proactive", title, lang)

    def update(subset: pd.DataFrame, filters: dict) -> dict:
        rows = subset.index.to_numpy()
        sums = wide.sums(rows)
        known = wide.n_known(rows)
        y = [float(sums.iloc[cols[m]]) for m in counts]
        extra = tr(lang, f"填写许可决定数的报告 {int(known.iloc[cols['licensing.decisions']]):,} 份",
                   f"{int(known.iloc[cols['licensing.decisions']]):,} reports printed licensing decisions")
        return {"traces": [{"y": [v if v > 0 else None for v in y], "text": [fmt_int(v) for v in y]},
                           {"y": [float(sums.iloc[cols[fees]])], "text": [fmt_int(float(sums.iloc[cols[fees]]))]}],
                "layout": _title(title, len(rows), _active(panel), lang, extra)}

    panel = _panel(p.filter_frame, lang, table="proactive")
    return Dashboard(p.filter_frame, fig, update, panel=panel)


# --------------------------------------------------------------------------- corpus overview and quality


def _check_counts(corpus: Mapping[str, pd.DataFrame], files: pd.DataFrame, rules: list[str]):
    """Failed and undecidable checks per file and rule: two arrays (files x rules); duplicates get none.

    Read from the per-report tallies (``analysis.check_tallies``: at most reports x rules rows),
    never from the checks table itself (14.5 million rows at 100,000 synthetic reports).
    """
    t = analysis.check_tallies(corpus)
    owner = files["report_id"].where(files["status"].astype(str) != "duplicate")
    first = pd.Series(np.arange(len(files)), index=owner.to_numpy()).loc[lambda s: s.index.notna()]
    first = first[~first.index.duplicated()]
    pos = analysis._positions(t["report_id"], first.index)  # through the categories: ~10^5 strings, once
    pos = np.where(pos >= 0, first.to_numpy()[np.maximum(pos, 0)], -1)
    rule = analysis._codes_of(t["rule"], rules)
    ok = (pos >= 0) & (rule >= 0)
    cell = pos[ok] * len(rules) + rule[ok]
    return [np.bincount(cell, weights=t[col].to_numpy(dtype=float)[ok], minlength=len(files) * len(rules))
            .reshape(len(files), len(rules)) for col in ("failed", "undecidable")]


def overview_dashboard(corpus: Mapping[str, pd.DataFrame], lang: str | None = None) -> Dashboard:
    """Files per year by parse status (left) and failed or undecidable checks by rule (right),
    for every file of the corpus (failed ones included)."""
    lang = theme.resolve_lang(lang)
    full = corpus["reports"].reset_index(drop=True)
    files = full[[c for c in ("year", "province", "level", "agency_kind", "template_requests", "status")
                  if c in full.columns]]
    years = sorted(int(v) for v in files["year"].dropna().unique())
    statuses = list(theme.labels("status"))
    x = [str(y) for y in years] + [tr(lang, "年度未知", "year unknown")]
    table = analysis.checks_by_rule(corpus, lang)
    table = table[table["checks"] > 0]
    rules, rule_labels = table["rule"].tolist(), table["label"].tolist()
    failed, undecided = _check_counts(corpus, full, rules)
    status_code, year_code = overview_charts.status_year_codes(files, years, statuses)  # per file, once
    with_data = files["status"].isin(analysis.DATA_STATUSES).to_numpy(dtype=bool, na_value=False)
    title = tr(lang, "语料概况与数据质量", "Corpus and quality")
    status_names = theme.labels("status", lang)
    fig = make_subplots(rows=1, cols=2, horizontal_spacing=0.18, column_widths=[0.5, 0.5],
                        subplot_titles=[tr(lang, "各年度文件数与解析状态", "Files per year, by status"),
                                        tr(lang, "未通过或无法判定的校验", "Checks failed or undecidable")])
    for s in statuses:
        fig.add_trace(go.Bar(x=x, y=[0] * len(x), name=status_names[s], marker_color=theme.color_for("status", s)), row=1, col=1)
    short = [lab if len(lab) <= 18 else lab[:17] + "…" for lab in rule_labels][::-1]
    fig.add_trace(go.Bar(y=short, x=[0] * len(short), orientation="h", name=tr(lang, "未通过", "Failed"),
                         marker_color=theme.OKABE_ITO["vermillion"]), row=1, col=2)
    fig.add_trace(go.Bar(y=short, x=[0] * len(short), orientation="h",
                         name=tr(lang, "无法判定", "Undecidable"), marker_color=theme.OKABE_ITO["yellow"]),
                  row=1, col=2)
    fig.update_layout(barmode="stack", legend=dict(orientation="h", x=0, xanchor="left", y=-0.15, yanchor="top"))
    fig.update_xaxes(type="category", row=1, col=1)
    _build(fig, "overview", title, lang)
    fig.update_layout(height=560, margin=dict(b=110))

    def update(subset: pd.DataFrame, filters: dict) -> dict:
        rows = subset.index.to_numpy()
        counts = overview_charts.count_status_year(status_code[rows], year_code[rows], len(statuses), len(years))
        f = failed[rows].sum(axis=0)[::-1]
        u = undecided[rows].sum(axis=0)[::-1]
        n_with_data = int(with_data[rows].sum())
        extra = tr(lang, f"{len(rows):,} 个文件，其中 {n_with_data:,} 份有数据", f"{len(rows):,} files, "
                   f"{n_with_data:,} with data")
        layout = _title(title, None, _active(panel), lang, extra)
        return {"traces": [{"y": counts[i]} for i in range(len(statuses))] + [{"x": f}, {"x": u}], "layout": layout}

    panel = _panel(files, lang)
    return Dashboard(files, fig, update, panel=panel)


#: Name -> builder, in notebook order (the benchmark and the browser test iterate over it).
DASHBOARDS: dict[str, Callable[..., Dashboard]] = {
    "overview": overview_dashboard,
    "requests": requests_dashboard,
    "outcomes": outcomes_dashboard,
    "appeals": appeals_dashboard,
    "proactive": proactive_dashboard,
}
