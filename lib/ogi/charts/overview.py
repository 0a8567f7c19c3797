"""Corpus overview and quality: what the corpus holds, and how well it could be read."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from .. import analysis, theme
from .common import caption, count_axis, empty_note, legend_top, register, set_title, tr, word, wrap


def status_year_codes(reports: pd.DataFrame, years: list, statuses: list) -> tuple[np.ndarray, np.ndarray]:
    """Per file, the position of its status in ``statuses`` (-1: none) and of its year in ``years``
    (``len(years)``: year unknown or not listed); from the category codes, no string per file."""
    s = analysis._codes_of(reports["status"], statuses)
    y = reports["year"].astype("Float64").to_numpy(dtype=float, na_value=np.nan)
    yi = np.full(len(y), len(years), dtype=np.intp)
    if len(years):
        known = np.asarray([float(v) for v in years])
        order = np.argsort(known, kind="stable")
        at = order[np.minimum(np.searchsorted(known[order], y), len(years) - 1)]
        hit = known[at] == y  # NaN equals nothing
        yi[hit] = at[hit]
    return s, yi


def count_status_year(s: np.ndarray, yi: np.ndarray, n_statuses: int, n_years: int) -> np.ndarray:
    """Files per (status, year) from :func:`status_year_codes` (statuses x years + 1)."""
    ok = s >= 0
    flat = s[ok] * (n_years + 1) + yi[ok]
    return np.bincount(flat, minlength=n_statuses * (n_years + 1)).astype(np.int64).reshape(n_statuses, n_years + 1)


def status_by_year_counts(reports: pd.DataFrame, years: list, statuses: list) -> np.ndarray:
    """Files per (status, year) as an array (statuses x years + 1); the last column is 'year unknown'."""
    s, yi = status_year_codes(reports, years, statuses)
    return count_status_year(s, yi, len(statuses), len(years))


def reports_by_year(corpus: Mapping[str, pd.DataFrame], lang: str | None = None,
                    filters: Mapping[str, Any] | None = None) -> go.Figure:
    """Files per report year, stacked by parse status (every file of the corpus, failed ones included)."""
    lang = theme.resolve_lang(lang)
    r = corpus["reports"]
    r = r[analysis.filter_mask(r, filters)]
    years = sorted(int(v) for v in corpus["reports"]["year"].dropna().unique())
    statuses = list(theme.labels("status"))
    counts = status_by_year_counts(r, years, statuses)
    x = [str(y) for y in years] + [tr(lang, "年度未知", "year unknown")]
    if not counts[:, -1].any():  # every file has a year: no empty 'unknown' column
        x, counts = x[:-1], counts[:, :-1]
    names = theme.labels("status", lang)
    fig = go.Figure([go.Bar(x=x, y=counts[i], name=names[s], marker_color=theme.color_for("status", s))
                     for i, s in enumerate(statuses) if counts[i].any()])
    fig.update_layout(barmode="stack", yaxis_title=tr(lang, "文件数", "Files"), xaxis_title=word("year", lang),
                      xaxis_type="category", legend_title_text=tr(lang, "解析状态", "Parse status"))
    set_title(fig, tr(lang, "语料概况：各年度文件数与解析状态", "Corpus: files per report year, by parse status"),
              tr(lang, f"共 {len(r)} 个文件", f"{len(r)} files") + ("" if len(r) >= analysis.SMALL_CORPUS
                                                                    else tr(lang, "（样本很小）", " (a tiny sample)")))
    if not len(r):
        empty_note(fig, word("no_data", lang))
    return fig


def reports_by_level_kind(corpus: Mapping[str, pd.DataFrame], lang: str | None = None,
                          filters: Mapping[str, Any] | None = None) -> go.Figure:
    """Reports with data by government level and agency kind (a heatmap of counts, zeros shown)."""
    lang = theme.resolve_lang(lang)
    t = analysis.crosstab_reports(corpus, "level", "agency_kind", filters, lang)
    z = t.to_numpy()
    fig = go.Figure(go.Heatmap(z=z, x=list(t.columns), y=list(t.index), text=z, texttemplate="%{text}",
                               colorscale=[[0, "#F7F7F7"], [1, theme.OKABE_ITO["blue"]]], showscale=False,
                               hovertemplate="%{y} · %{x}: %{z}<extra></extra>", xgap=2, ygap=2))
    fig.update_layout(xaxis=dict(showgrid=False, side="bottom"), yaxis=dict(autorange="reversed", showgrid=False))
    set_title(fig, tr(lang, "覆盖面：各层级、各类机关的报告数", "Coverage: reports by government level and agency kind"),
              caption(corpus, filters, lang))
    return fig


def checks_by_rule(corpus: Mapping[str, pd.DataFrame], lang: str | None = None,
                   filters: Mapping[str, Any] | None = None) -> go.Figure:
    """Identity checks by rule: how many failed and how many were undecidable, with the share of all
    checks of that rule (the number of checks is in each label)."""
    lang = theme.resolve_lang(lang)
    t = analysis.checks_by_rule(corpus, lang)
    t = t[t["checks"] > 0].iloc[::-1]
    labels = [wrap(lab, 34 if lang == "en" else 18) for lab in t["label"]]
    fig = go.Figure([
        go.Bar(y=labels, x=t["failed"], name=tr(lang, "未通过", "Failed"), orientation="h",
               marker_color=theme.OKABE_ITO["vermillion"],
               text=[analysis.share_text(f, c, lang=lang) if f else "" for f, c in zip(t["failed"], t["checks"])],
               textposition="outside", cliponaxis=False),
        go.Bar(y=labels, x=t["undecidable"], name=tr(lang, "无法判定（有空白单元格）", "Undecidable (a blank cell)"),
               orientation="h", marker_color=theme.OKABE_ITO["yellow"],
               text=[analysis.share_text(u, c, lang=lang) if u else "" for u, c in zip(t["undecidable"], t["checks"])],
               textposition="outside", cliponaxis=False),
    ])
    fig.update_layout(barmode="group", margin=dict(r=140),
                      xaxis=count_axis(max(t["failed"].max(), t["undecidable"].max(), 0), title=tr(lang, "校验次数", "Checks")))
    legend_top(fig)
    n_failed = int(t["failed"].sum())
    sub = tr(lang, f"共 {int(t['checks'].sum()):,} 次校验，{n_failed:,} 次未通过，涉及 {int(t['reports_failing'].sum()):,} 份报告",
             f"{int(t['checks'].sum()):,} checks, {n_failed:,} failed, in {int(t['reports_failing'].sum()):,} report(s)")
    set_title(fig, tr(lang, "数据质量：各勾稽关系的校验结果", "Quality: how often each identity check fails"), sub)
    if not len(t):
        empty_note(fig, word("no_data", lang))
    elif not (t["failed"].sum() or t["undecidable"].sum()):
        empty_note(fig, tr(lang, "所有校验均通过", "Every check holds"))
    return fig


register("01-reports-by-year-status", reports_by_year)
register("01-reports-by-level-kind", reports_by_level_kind)
register("01-checks-by-rule", checks_by_rule)
