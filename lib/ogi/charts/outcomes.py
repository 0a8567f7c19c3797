"""Outcomes and refusal reasons: how requests were answered, why they were refused, and the flow from
requests to outcomes. Shares always carry their denominator; small denominators give counts only."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from .. import analysis, theme
from .common import (
    caption, count_axis, empty_note, fmt_int, legend_top, note, register, rgba, set_title, tr, word,
)

TITLES = {
    "composition": ("办理结果构成，按政府层级", "How requests were answered, by government level"),
    "comparable": ("可比办理结果分组，按政府层级", "Comparable outcome groups, by government level"),
    "outcomes": ("办理结果", "Outcomes"),
    "denied": ("不予公开的八类理由", "The eight reasons for denial"),
    "sub": ("无法提供、不予处理与其他处理的具体情形", "Unavailable, not processed and other: the sub-reasons"),
    "flow": ("从申请到办理结果", "From requests to outcomes"),
}


def bar_text(count: float, n: float, lang: str, compact: bool = False) -> str:
    """A bar's label: the share with its denominator (``analysis.share_text``), or in ``compact`` form
    (crowded dashboards, where the subtitle gives n) the share alone, or ``count/n`` below ``MIN_N``."""
    if not compact:
        return analysis.share_text(count, n, lang=lang)
    if n < analysis.MIN_N:
        return f"{int(count):,}/{int(n):,}" if n else ""
    return f"{100 * count / n:.1f}%"


def outcome_traces(table: pd.DataFrame, lang: str, kind: str = "outcome", compact: bool = False) -> dict:
    """Bar properties of outcome counts from ``analysis.outcome_table``: text gives the share with its
    denominator, or the count alone when the denominator is small."""
    n = int(table["n"].iloc[0]) if len(table) else 0
    return dict(x=table["label"].tolist(), y=table["count"].to_numpy(),
                text=[bar_text(c, n, lang, compact) for c in table["count"]],
                marker_color=[theme.color_for(kind, o) for o in table["outcome"]])


def reason_traces(table: pd.DataFrame, lang: str, kind: str = "denial_reason", compact: bool = False) -> dict:
    """Horizontal bar properties of sub-reasons from ``analysis.reason_table``."""
    n = int(table["n"].iloc[0]) if len(table) else 0
    t = table.iloc[::-1]
    return dict(y=t["label"].tolist(), x=t["count"].to_numpy(),
                text=[bar_text(c, n, lang, compact) for c in t["count"]],
                marker_color=[theme.color_for(kind, r) if r != "other" else theme.GREY for r in t["reason"]])


def outcome_composition(corpus: Mapping[str, pd.DataFrame], lang: str | None = None,
                        filters: Mapping[str, Any] | None = None, by: str = "level", applicant: str = "total",
                        grouping: str = "official") -> go.Figure:
    """Shares of each outcome per group (100 % bars), for groups with at least ``analysis.MIN_N`` requests
    handled, plus all groups together; the others are named in a note, not drawn as percentages."""
    lang = theme.resolve_lang(lang)
    kind = "outcome" if grouping == "official" else "outcome_group"
    t = analysis.outcome_shares(corpus, filters, by=by, applicant=applicant, grouping=grouping, lang=lang)
    overall = analysis.outcome_shares(corpus, filters, applicant=applicant, grouping=grouping, lang=lang)
    overall.insert(0, "by_label", word("all", lang))
    overall.insert(0, by, "_all")
    both = pd.concat([t, overall], ignore_index=True)
    n_of = both.groupby("by_label", sort=False)["n"].first()
    shown = [g for g in n_of.index if n_of[g] >= analysis.MIN_N]
    small = [f"{g} (n={int(n_of[g])})" for g in n_of.index if 0 < n_of[g] < analysis.MIN_N]
    ylab = {g: f"{g}  n={fmt_int(n_of[g])}" for g in shown}
    fig = go.Figure()
    for code in both["outcome"].drop_duplicates():
        part = both[(both["outcome"] == code) & both["by_label"].isin(shown)]
        fig.add_trace(go.Bar(y=[ylab[g] for g in part["by_label"]], x=part["share"] * 100, orientation="h",
                             name=part["label"].iloc[0] if len(part) else theme.labels(kind, lang)[code],
                             marker_color=theme.color_for(kind, code),
                             customdata=np.stack([part["count"], part["n"]], axis=-1) if len(part) else None,
                             hovertemplate="%{fullData.name}: %{x:.1f}% (%{customdata[0]}/%{customdata[1]})"
                                           "<extra></extra>"))
    fig.update_layout(barmode="stack", xaxis=dict(title=tr(lang, "占办理总数的百分比", "% of requests handled"),
                                                  range=[0, 100], ticksuffix="%"),
                      yaxis=dict(autorange="reversed"))
    legend_top(fig)
    title = TITLES["composition" if grouping == "official" else "comparable"]
    set_title(fig, tr(lang, *title), caption(corpus, filters, lang))
    if small:
        note(fig, tr(lang, f"分母小于 {analysis.MIN_N}、不画比例的分组：", f"Not drawn as shares (fewer than "
                     f"{analysis.MIN_N} requests handled): ") + ", ".join(small), y=-0.14)
    if not shown:
        empty_note(fig, tr(lang, f"没有办理数达到 {analysis.MIN_N} 件的分组", f"No group with {analysis.MIN_N} or more "
                           f"requests handled"))
    return fig


def comparable_outcomes(corpus: Mapping[str, pd.DataFrame], lang: str | None = None,
                        filters: Mapping[str, Any] | None = None) -> go.Figure:
    """:func:`outcome_composition` in the comparable groups of ``schema.OUTCOME_GROUPS``."""
    return outcome_composition(corpus, lang, filters, grouping="comparable")


def denial_reasons(corpus: Mapping[str, pd.DataFrame], lang: str | None = None,
                   filters: Mapping[str, Any] | None = None, applicant: str = "total") -> go.Figure:
    """The eight reasons for denial (不予公开), counts with their share of all denials where there are enough."""
    lang = theme.resolve_lang(lang)
    t = analysis.reasons(corpus, "denied", filters, applicant, lang=lang)
    fig = go.Figure(go.Bar(orientation="h", textposition="outside", cliponaxis=False, showlegend=False,
                           **reason_traces(t, lang)))
    n, handled = int(t["n"].iloc[0]), int(t["handled"].iloc[0])
    fig.update_layout(xaxis=count_axis(t["count"].max(), title=word("requests", lang)), margin=dict(r=120))
    set_title(fig, tr(lang, *TITLES["denied"]),
              tr(lang, f"不予公开 {n} 件，占办理总数 {analysis.share_text(n, handled, lang=lang)}；",
                 f"{n} denials, {analysis.share_text(n, handled, lang=lang)} of requests handled; ")
              + caption(corpus, filters, lang))
    if n == 0:
        empty_note(fig, tr(lang, "所选范围内没有不予公开的申请", "No denials in this selection"))
    return fig


def sub_reasons(corpus: Mapping[str, pd.DataFrame], lang: str | None = None,
                filters: Mapping[str, Any] | None = None, applicant: str = "total") -> go.Figure:
    """Sub-reasons of 'unable to provide', 'not processed' and 'other handling', side by side."""
    lang = theme.resolve_lang(lang)
    groups = ("unavailable", "not_processed", "other")
    tables = {g: analysis.reasons(corpus, g, filters, applicant, lang=lang) for g in groups}
    names = theme.labels("request_group", lang)
    fig = make_subplots(rows=3, cols=1, subplot_titles=[f"{names[g]} (n={int(tables[g]['n'].iloc[0]):,})"
                                                        for g in groups],
                        vertical_spacing=0.1, row_heights=[3, 5, 4])
    for i, g in enumerate(groups):
        fig.add_trace(go.Bar(orientation="h", textposition="outside", cliponaxis=False, showlegend=False,
                             **reason_traces(tables[g], lang, analysis.REASON_KINDS[g])), row=i + 1, col=1)
        fig.update_xaxes(row=i + 1, col=1, **count_axis(tables[g]["count"].max()))
    fig.update_layout(margin=dict(r=120, t=120))
    fig.update_xaxes(title_text=word("requests", lang), row=3, col=1)
    set_title(fig, tr(lang, *TITLES["sub"]), caption(corpus, filters, lang))
    return fig


def flow_nodes(links: pd.DataFrame) -> tuple[list[str], list[str]]:
    """Node codes and labels of a flow, in first-appearance order."""
    codes, labels = [], []
    for s, t, sl, tl in zip(links["source"], links["target"], links["source_label"], links["target_label"]):
        for c, lab in ((s, sl), (t, tl)):
            if c not in codes:
                codes.append(c)
                labels.append(lab)
    return codes, labels


def _node_color(code: str) -> str:
    if code == "received":
        return theme.DARK_GREY
    if code.startswith("denied."):
        return theme.color_for("denial_reason", code)
    return theme.color_for("request_group", code)


#: Columns of the flow: where each node stands from left to right.
_FLOW_X = {"new": 0.001, "carried_over": 0.001, "received": 0.3}


def _flow_column(code: str) -> float:
    if code in _FLOW_X:
        return _FLOW_X[code]
    return 0.999 if "." in code else 0.6


def flow_positions(codes: list[str], totals: list[float]) -> tuple[list[float], list[float]]:
    """Node positions (x, y in 0-1): a column per stage, nodes stacked in order, each as tall as its
    value, so that labels do not collide and a dashboard's updates keep every node in its place."""
    xs = [_flow_column(c) for c in codes]
    ys = [0.0] * len(codes)
    for col in sorted(set(xs)):
        idx = [i for i, x in enumerate(xs) if x == col]
        vals = [max(totals[i], 0.0) for i in idx]
        total = sum(vals) or 1.0
        gap = 0.25 / max(len(idx), 1)  # a quarter of the height for gaps, the rest for the nodes
        y = 0.02
        for i, v in zip(idx, vals):
            h = 0.73 * v / total
            ys[i] = min(max(y + h / 2, 0.001), 0.999)
            y += h + gap
    return xs, ys


def flow_traces(links: pd.DataFrame, lang: str) -> dict:
    """Sankey properties from ``analysis.flow_links``: node labels carry their totals; nodes have fixed
    positions (:func:`flow_positions`). Links of zero are left out, and so are the nodes only they touch:
    plotly.js drops nodes without flow, which would shift the positions of the nodes after them."""
    links = links[links["value"] > 0]
    codes, labels = flow_nodes(links)
    inflow = links.groupby("target")["value"].sum()
    outflow = links.groupby("source")["value"].sum()
    totals = [float(max(inflow.get(c, 0.0), outflow.get(c, 0.0))) for c in codes]
    xs, ys = flow_positions(codes, totals)
    pos = {c: i for i, c in enumerate(codes)}
    return dict(
        node=dict(label=[f"{lab} {fmt_int(v)}" for lab, v in zip(labels, totals)],
                  color=[_node_color(c) for c in codes], pad=10, thickness=16, x=xs, y=ys),
        link=dict(source=[pos[s] for s in links["source"]], target=[pos[t] for t in links["target"]],
                  value=links["value"].to_numpy(), color=[rgba(_node_color(t), 0.35) for t in links["target"]]),
    )


def outcome_flow(corpus: Mapping[str, pd.DataFrame], lang: str | None = None,
                 filters: Mapping[str, Any] | None = None, applicant: str = "total") -> go.Figure:
    """A flow from new and carried-over requests to the six outcomes and carry-forward, and from
    denials to their eight reasons."""
    lang = theme.resolve_lang(lang)
    links = analysis.outcome_flow(corpus, filters, applicant, lang)
    fig = go.Figure(go.Sankey(arrangement="fixed", valueformat=",d", **flow_traces(links, lang)))
    set_title(fig, tr(lang, *TITLES["flow"]), caption(corpus, filters, lang))
    if links["value"].sum() == 0:
        empty_note(fig, word("no_requests", lang))
    return fig


register("03-outcome-composition", outcome_composition)
register("03-comparable-outcomes", comparable_outcomes)
register("03-denial-reasons", denial_reasons)
register("03-sub-reasons", sub_reasons, height=800)
register("03-outcome-flow", outcome_flow, height=650)
