"""Request volumes: who asks, when, where, at which level, how requests spread over agencies, backlog."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from .. import analysis, theme
from .common import caption, count_axis, empty_note, fmt_int, legend_top, note, register, set_title, tr, word

TITLES = {
    "applicant": ("谁在申请：各类申请人的本年新收申请", "Who asks: new requests by applicant type"),
    "year_level": ("各年度本年新收申请，按政府层级", "New requests per year, by government level"),
    "province": ("各省级行政区的本年新收申请", "New requests by province"),
    "distribution": ("申请在机关之间的分布：多数机关一件也没有收到",
                     "How requests spread over agencies: most receive none"),
    "top": ("收到申请最多的机关", "The agencies that receive the most requests"),
    "carry": ("上年结转与结转下年度：积压", "Carried over and carried forward: the backlog"),
}


def _share_texts(counts, total, lang) -> list[str]:
    return [analysis.share_text(c, total, lang=lang) if c else "0" for c in counts]


def applicant_traces(table: pd.DataFrame, lang: str) -> dict:
    """Bar properties for :func:`requests_by_applicant` from ``analysis.requests_by(by="applicant")``."""
    total = float(table["requests"].sum())
    return dict(y=table["label"].tolist()[::-1], x=table["requests"].to_numpy()[::-1],
                text=_share_texts(table["requests"].to_numpy(), total, lang)[::-1],
                marker_color=[theme.color_for("applicant", a) for a in table["applicant"]][::-1])


def requests_by_applicant(corpus: Mapping[str, pd.DataFrame], lang: str | None = None,
                          filters: Mapping[str, Any] | None = None) -> go.Figure:
    """New requests by applicant type (horizontal bars; shares with their denominator)."""
    lang = theme.resolve_lang(lang)
    t = analysis.requests_by(corpus, "applicant", filters, lang=lang)
    fig = go.Figure(go.Bar(orientation="h", textposition="outside", cliponaxis=False, showlegend=False,
                           **applicant_traces(t, lang)))
    fig.update_layout(xaxis=count_axis(t["requests"].max(), title=word("requests", lang)), margin=dict(r=120))
    set_title(fig, tr(lang, *TITLES["applicant"]), caption(corpus, filters, lang))
    if t["requests"].sum() == 0:
        empty_note(fig, word("no_requests", lang))
    return fig


def requests_by_year_level(corpus: Mapping[str, pd.DataFrame], lang: str | None = None,
                           filters: Mapping[str, Any] | None = None) -> go.Figure:
    """New requests per year, stacked by government level."""
    lang = theme.resolve_lang(lang)
    p = analysis.prepare(corpus)
    rows = p.select(filters)
    ykeys, years = p.keys("year")
    lkeys, levels = p.keys("level")
    new = p.requests["total"].values[:, analysis.REQUEST_ROW_CODES.index("new")]
    z = np.zeros((len(levels), len(years)))
    ok = (ykeys[rows] >= 0) & (lkeys[rows] >= 0)
    np.add.at(z, (lkeys[rows][ok], ykeys[rows][ok]), new[rows][ok])
    names = theme.labels("level", lang)
    fig = go.Figure([go.Bar(x=[str(y) for y in years], y=z[i], name=names[lev],
                            marker_color=theme.color_for("level", lev))
                     for i, lev in enumerate(levels) if z[i].any()])
    fig.update_layout(barmode="stack", xaxis_type="category", xaxis_title=word("year", lang),
                      yaxis_title=word("requests", lang), legend_title_text=tr(lang, "层级", "Level"))
    set_title(fig, tr(lang, *TITLES["year_level"]), caption(corpus, filters, lang))
    if not z.any():
        empty_note(fig, word("no_requests", lang))
    return fig


def requests_by_province(corpus: Mapping[str, pd.DataFrame], lang: str | None = None,
                         filters: Mapping[str, Any] | None = None) -> go.Figure:
    """New requests by province, largest first, with the number of reports behind each bar."""
    lang = theme.resolve_lang(lang)
    t = analysis.requests_by(corpus, "province", filters, lang=lang).sort_values(
        ["requests", "reports"], ascending=False, kind="stable")
    t = t.iloc[::-1]
    text = [f"{fmt_int(r)} · {n} {tr(lang, '份', 'reports')}" for r, n in zip(t["requests"], t["reports"])]
    fig = go.Figure(go.Bar(y=t["label"], x=t["requests"], orientation="h", text=text, textposition="outside",
                           cliponaxis=False, marker_color=theme.OKABE_ITO["blue"], showlegend=False))
    fig.update_layout(xaxis_title=word("requests", lang), margin=dict(r=140),
                      height=max(400, 120 + 22 * len(t)))
    set_title(fig, tr(lang, *TITLES["province"]), caption(corpus, filters, lang))
    if t["requests"].sum() == 0:
        empty_note(fig, word("no_requests", lang))
    return fig


def distribution_traces(table: pd.DataFrame, lang: str, compact: bool = False) -> dict:
    """Bar properties for :func:`agency_distribution` from ``analysis.agency_distribution``; ``compact``
    (dashboards) labels the bars with the share of reports only where there are enough reports for one."""
    n = int(table["reports"].iloc[:-1].sum())
    last = len(table) - 1
    if compact:
        text = [f"{100 * r / n:.0f}%" if n >= analysis.MIN_N and i < last and r else "" for i, r in
                enumerate(table["reports"])]
    else:
        text = [analysis.share_text(r, n, lang=lang) if i < last and r else (fmt_int(r) if r else "")
                for i, r in enumerate(table["reports"])]
    colors = [theme.GREY if i == 0 or i == len(table) - 1 else theme.OKABE_ITO["blue"] for i in range(len(table))]
    return dict(x=table["bin"].tolist(), y=table["reports"].to_numpy(), text=text, marker_color=colors)


def distribution_note(table: pd.DataFrame, lang: str) -> str:
    n = int(table["reports"].iloc[:-1].sum())
    zero = int(table["reports"].iloc[0])
    unknown = int(table["reports"].iloc[-1])
    if n == 0:
        return word("no_data", lang)
    pct = analysis.share(zero, n)
    pct = "" if np.isnan(pct) else f"{100 * pct:.1f}%"
    text = tr(lang, f"{n:,} 份报告中 {zero:,} 份本年新收申请为 0" + (f"（{pct}）" if pct else ""),
              f"{zero:,} of {n:,} reports received no new request" + (f" ({pct})" if pct else ""))
    if unknown:
        text += tr(lang, f"；另有 {unknown} 份未填写", f"; {unknown} more did not print the number")
    return text


def agency_distribution(corpus: Mapping[str, pd.DataFrame], lang: str | None = None,
                        filters: Mapping[str, Any] | None = None) -> go.Figure:
    """Reports by number of new requests received: the zero bin first, shown honestly, and the reports
    that left the cell blank last."""
    lang = theme.resolve_lang(lang)
    t = analysis.agency_distribution(corpus, filters, lang=lang)
    fig = go.Figure(go.Bar(textposition="outside", cliponaxis=False, showlegend=False, **distribution_traces(t, lang)))
    fig.update_layout(xaxis_title=tr(lang, "每份报告的本年新收申请数（件）", "New requests per report"),
                      yaxis=count_axis(t["reports"].max(), title=word("reports", lang)), xaxis_type="category")
    set_title(fig, tr(lang, *TITLES["distribution"]), distribution_note(t, lang))
    note(fig, caption(corpus, filters, lang), y=-0.2)
    return fig


def top_agencies(corpus: Mapping[str, pd.DataFrame], lang: str | None = None,
                 filters: Mapping[str, Any] | None = None, n: int = 15) -> go.Figure:
    """The ``n`` reports with the most new requests (agency and year), with their share of all requests,
    coloured by government level."""
    lang = theme.resolve_lang(lang)
    t = analysis.top_agencies(corpus, n, filters, lang=lang)
    t = t[t["requests"].fillna(0) > 0]
    total = analysis.requests_by(corpus, "year", filters)["requests"].sum()
    t = t.assign(y=[f"{a} ({y})" for a, y in zip(t["agency"], t["year"])], level_code=_level_codes(t, lang))
    fig = go.Figure()
    for code, name in theme.labels("level", lang).items():
        part = t[t["level_code"] == code]
        if len(part):
            fig.add_trace(go.Bar(y=part["y"], x=part["requests"].astype(float), orientation="h", name=name,
                                 text=[analysis.share_text(r, total, lang=lang) for r in part["requests"].astype(float)],
                                 textposition="outside", cliponaxis=False, marker_color=theme.color_for("level", code)))
    fig.update_layout(xaxis_title=word("requests", lang), margin=dict(r=150), barmode="relative",
                      yaxis=dict(categoryorder="array", categoryarray=list(t["y"])[::-1]),
                      legend_title_text=tr(lang, "层级", "Level"))
    set_title(fig, tr(lang, *TITLES["top"]), caption(corpus, filters, lang))
    if not len(t):
        empty_note(fig, word("no_requests", lang))
    return fig


def _level_codes(t: pd.DataFrame, lang: str) -> list[str]:
    back = {v: k for k, v in theme.labels("level", lang).items()}
    return [back.get(v, "") for v in t["level"]]


def carry_over(corpus: Mapping[str, pd.DataFrame], lang: str | None = None,
               filters: Mapping[str, Any] | None = None) -> go.Figure:
    """Per year: carried over from last year, new, handled, and carried forward to next year; the
    carried-forward bar is labelled with its share of the year's caseload (new + carried over)."""
    lang = theme.resolve_lang(lang)
    t = analysis.carry_over(corpus, filters, lang=lang)
    groups = theme.labels("request_group", lang)
    series = (("carried_over", "carried_over"), ("new", "new"), ("handled", "total"),
              ("carried_forward", "carry_forward"))
    shares = [analysis.share_text(f, n + c, lang=lang).split(" (")[0] for f, n, c in
              zip(t["carried_forward"], t["new"], t["carried_over"])]
    fig = go.Figure([go.Bar(x=t["label"], y=t[col], name=groups[code], marker_color=theme.color_for("request_group", code),
                            **(dict(text=shares, textposition="outside", cliponaxis=False)
                               if col == "carried_forward" else {}))
                     for col, code in series])
    fig.update_layout(barmode="group", xaxis_type="category", xaxis_title=word("year", lang),
                      yaxis_title=word("requests", lang))
    legend_top(fig)
    set_title(fig, tr(lang, *TITLES["carry"]), caption(corpus, filters, lang))
    note(fig, tr(lang, "黑色柱上的百分比：结转下年度占（本年新收＋上年结转）的比例",
                 "Above the black bars: carried forward as a share of new + carried over"), y=-0.16)
    if t[["new", "carried_over"]].to_numpy().sum() == 0:
        empty_note(fig, word("no_requests", lang))
    return fig


register("02-requests-by-applicant", requests_by_applicant)
register("02-requests-by-year-level", requests_by_year_level)
register("02-requests-by-province", requests_by_province, height=800)
register("02-agency-distribution", agency_distribution)
register("02-top-agencies", top_agencies)
register("02-carry-over", carry_over)
