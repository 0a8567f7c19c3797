"""Reconsideration and litigation: how appeals ended, how often agencies were corrected, and how many
appeals there are for the requests handled."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from .. import analysis, theme
from .common import caption, count_axis, empty_note, legend_top, log_axis, note, register, set_title, tr, word

TITLES = {
    "outcomes": ("行政复议与行政诉讼的结果", "How reconsideration and litigation ended"),
    "rates": ("复议和诉讼相对于申请量", "Reconsideration and litigation against request volumes"),
}
STACK = ("upheld", "corrected", "other", "pending")


def review_traces(table: pd.DataFrame, lang: str) -> list[dict]:
    """One bar trace per outcome (upheld, corrected, other, pending) over the three groups of table 4,
    from ``analysis.review_table``; the corrected bar's text is the correction rate with its denominator."""
    t = table[table["group"] != "litigation"].iloc[::-1]
    out = []
    for o in STACK:
        d = dict(y=t["label"].tolist(), x=t[o].to_numpy())
        if o == "corrected":
            d["text"] = [analysis.share_text(c, n, lang=lang) if c else "" for c, n in zip(t["corrected"], t["decided"])]
        out.append(d)
    return out


def review_outcomes(corpus: Mapping[str, pd.DataFrame], lang: str | None = None,
                    filters: Mapping[str, Any] | None = None) -> go.Figure:
    """Cases of reconsideration, direct litigation and litigation after reconsideration, stacked by result."""
    lang = theme.resolve_lang(lang)
    t = analysis.review_litigation(corpus, filters, lang=lang)
    names = theme.labels("review_outcome", lang)
    fig = go.Figure([go.Bar(orientation="h", name=names[o], marker_color=theme.color_for("review_outcome", o),
                            textposition="inside", textangle=0, insidetextanchor="middle", **d)
                     for o, d in zip(STACK, review_traces(t, lang))])
    fig.update_layout(barmode="stack", xaxis=count_axis(t.loc[t["group"] != "litigation", "total"].max(),
                                                        title=word("cases", lang)))
    legend_top(fig)
    fig.update_layout(legend_traceorder="normal")
    review = t.set_index("group").loc["review"]
    rate = analysis.share_text(review["corrected"], review["decided"], lang=lang)
    set_title(fig, tr(lang, *TITLES["outcomes"]), caption(corpus, filters, lang))
    note(fig, tr(lang, f"行政复议纠正率（纠正 / 已审结）：{rate}", f"Reconsideration correction rate "
                       f"(corrected / decided): {rate}"), y=-0.16)
    if t["total"].sum() == 0:
        empty_note(fig, tr(lang, "所选范围内没有复议或诉讼", "No reconsideration or litigation in this selection"))
    return fig


def appeal_rates(corpus: Mapping[str, pd.DataFrame], lang: str | None = None,
                 filters: Mapping[str, Any] | None = None, by: str = "year") -> go.Figure:
    """Per year (or ``by``): cases per 1,000 requests handled (top), and the counts behind the rates (bottom).
    Years with fewer than ``analysis.MIN_N`` requests handled have no rate."""
    lang = theme.resolve_lang(lang)
    t = analysis.appeal_rates(corpus, filters, by=by, lang=lang)
    groups = theme.labels("review_group", lang)
    lit = tr(lang, "行政诉讼（两类合计）", "Litigation (both kinds)")
    fig = make_subplots(rows=2, cols=1, shared_xaxes=True, vertical_spacing=0.08, row_heights=[0.55, 0.45])
    c_review, c_lit = theme.color_for("review_group", "review"), theme.color_for("review_group", "litigation_direct")
    fig.add_trace(go.Scatter(x=t["label"], y=t["review_per_1000"], name=groups["review"], mode="lines+markers",
                             marker_color=c_review, legendgroup="review"), row=1, col=1)
    fig.add_trace(go.Scatter(x=t["label"], y=t["litigation_per_1000"], name=lit, mode="lines+markers",
                             marker_color=c_lit, legendgroup="lit"), row=1, col=1)
    counts = dict(texttemplate="%{y:,}", textposition="outside", cliponaxis=False)
    fig.add_trace(go.Bar(x=t["label"], y=t["review"], name=groups["review"], marker_color=c_review,
                         legendgroup="review", showlegend=False, **counts), row=2, col=1)
    fig.add_trace(go.Bar(x=t["label"], y=t["litigation"], name=lit, marker_color=c_lit, legendgroup="lit",
                         showlegend=False, **counts), row=2, col=1)
    fig.add_trace(go.Bar(x=t["label"], y=t["handled"], name=tr(lang, "办理申请数", "Requests handled"),
                         marker_color=theme.GREY, opacity=0.5, **counts), row=2, col=1)
    fig.update_layout(barmode="group")
    legend_top(fig)
    fig.update_xaxes(type="category")
    fig.update_yaxes(title_text=tr(lang, "每千件申请的案件数", "Cases per 1,000 requests"), rangemode="tozero",
                     row=1, col=1)
    fig.update_yaxes(title_text=tr(lang, "件数（对数刻度）", "Count (log scale)"), row=2, col=1, **log_axis())
    set_title(fig, tr(lang, *TITLES["rates"]), caption(corpus, filters, lang))
    small = t[t["small_n"]]
    if len(small):
        note(fig, tr(lang, f"办理申请不足 {analysis.MIN_N} 件、不计算比率：", f"No rate where fewer than "
                           f"{analysis.MIN_N} requests were handled: ") + ", ".join(map(str, small["label"])), y=-0.12)
    if not t["review_per_1000"].notna().any():
        empty_note(fig, tr(lang, f"没有办理申请达到 {analysis.MIN_N} 件的年度", f"No year with {analysis.MIN_N} or "
                           f"more requests handled"))
    return fig


register("04-review-outcomes", review_outcomes)
register("04-appeal-rates", appeal_rates, height=650)
