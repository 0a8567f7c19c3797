"""Proactive disclosure (table 2): normative documents, licensing, penalties, coercion and fees,
by government level and by year. Totals are heavy-tailed, so counts are drawn on log axes."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from .. import analysis, theme
from .common import caption, empty_note, fmt_int, log_axis, note, register, set_title, tr

TITLES = {
    "level": ("主动公开：各层级的规范性文件、许可、处罚、强制与收费",
              "Proactive disclosure by government level: documents, licensing, penalties, coercion, fees"),
    "year": ("主动公开：各年度的变化", "Proactive disclosure by year"),
}
COUNT_MEASURES = tuple(f"{i}.{c}" for i, c in analysis.PROACTIVE_MEASURES if c != "amount_10k_yuan")
FEES = "fees.amount_10k_yuan"


def measure_color(measure: str) -> str:
    return theme.color_for("proactive_row", measure.split(".")[0])


def _pattern(measure: str) -> str:
    return "/" if measure.endswith(".in_force") else ""


def proactive_by_level(corpus: Mapping[str, pd.DataFrame], lang: str | None = None,
                       filters: Mapping[str, Any] | None = None) -> go.Figure:
    """Totals of each measure per government level (log scale), and fees in 10,000 yuan beside them."""
    lang = theme.resolve_lang(lang)
    t = analysis.proactive_by(corpus, "level", filters, lang)
    t = t[t["reports"] > 0]
    labels = analysis.proactive_measure_labels(lang)
    fig = make_subplots(rows=1, cols=2, column_widths=[0.74, 0.26], horizontal_spacing=0.1,
                        subplot_titles=[tr(lang, "件数（对数刻度）", "Counts (log scale)"), labels[FEES]])
    levels = t.drop_duplicates("level")
    for m in COUNT_MEASURES:
        part = t[t["measure"] == m]
        fig.add_trace(go.Bar(x=part["by_label"], y=part["total"].where(part["total"] > 0), name=labels[m],
                             marker=dict(color=measure_color(m), pattern_shape=_pattern(m)),
                             customdata=np.stack([part["reports_known"], part["median"]], axis=-1),
                             hovertemplate="%{x} · %{fullData.name}: %{y:,}<br>" + tr(lang, "报告", "reports")
                                           + " %{customdata[0]}, " + tr(lang, "中位数", "median")
                                           + " %{customdata[1]}<extra></extra>"), row=1, col=1)
    fees = t[t["measure"] == FEES]
    fig.add_trace(go.Bar(x=fees["by_label"], y=fees["total"], name=labels[FEES], showlegend=False,
                         marker_color=measure_color(FEES), text=[fmt_int(v) for v in fees["total"]],
                         textposition="outside", cliponaxis=False), row=1, col=2)
    fig.update_yaxes(row=1, col=1, **log_axis())
    fig.update_layout(barmode="group", legend=dict(orientation="h", y=-0.14, yanchor="top", x=0, xanchor="left"),
                      margin=dict(b=120))
    set_title(fig, tr(lang, *TITLES["level"]), caption(corpus, filters, lang, "proactive"))
    note(fig, tr(lang, "2019年版模板只有许可、处罚、强制的决定数可与2021年版相比；规范性文件与收费只取2021年版模板。",
                 "The 2019 template's licensing, penalty and coercion decisions are counted; its document and fee "
                 "rows measure other things and are left out."), y=-0.3)
    if not len(levels):
        empty_note(fig, tr(lang, "所选范围内没有数据", "No data in this selection"))
    return fig


def proactive_by_year(corpus: Mapping[str, pd.DataFrame], lang: str | None = None,
                      filters: Mapping[str, Any] | None = None) -> go.Figure:
    """Totals of each measure per year (log scale), with the number of reports behind each year."""
    lang = theme.resolve_lang(lang)
    t = analysis.proactive_by(corpus, "year", filters, lang)
    labels = analysis.proactive_measure_labels(lang)
    fig = go.Figure()
    for m in (*COUNT_MEASURES, FEES):
        part = t[t["measure"] == m]
        fig.add_trace(go.Scatter(x=part["by_label"], y=part["total"].where(part["total"] > 0), name=labels[m],
                                 mode="lines+markers", marker_color=measure_color(m),
                                 line=dict(dash="dot" if m.endswith("in_force") or m == FEES else "solid"),
                                 customdata=part["reports_known"], connectgaps=False,
                                 hovertemplate="%{x} · %{fullData.name}: %{y:,} (" + tr(lang, "报告", "reports")
                                               + " %{customdata})<extra></extra>"))
    fig.update_layout(yaxis=log_axis(title=tr(lang, "合计（对数刻度）", "Total (log scale)")),
                      xaxis=dict(type="category", title=tr(lang, "年度", "Year")))
    set_title(fig, tr(lang, *TITLES["year"]), caption(corpus, filters, lang, "proactive"))
    per_year = t.drop_duplicates("year")
    note(fig, tr(lang, "每年报告数：", "Reports per year: ")
         + ", ".join(f"{y} {n}" for y, n in zip(per_year["by_label"], per_year["reports"])), y=-0.16)
    if not (t["total"] > 0).any():
        empty_note(fig, tr(lang, "所选范围内没有数据", "No data in this selection"))
    return fig


register("05-proactive-by-level", proactive_by_level)
register("05-proactive-by-year", proactive_by_year)
