"""Charts, the dashboard and the keyword-in-context browser of notebook 06 (problems and improvements).

Chart builders follow ``ogi.charts``: ``f(corpus, lang=None, filters=None) -> go.Figure``, where
``corpus`` is an ``ogi.Corpus`` (its text tables come from ``ogi.text.load_text``, cached) or the
text tables themselves, and ``filters`` those of ``ogi.analysis`` plus ``part``. The numbers come
from ``ogi.text.explore``; the builders only draw. Importing this module registers the charts for
``make figures`` (``06-*``).

``themes_dashboard(corpus, lang)`` is one ``FigureWidget`` (theme shares, their trend by year, top
keywords, boilerplate) under one filter panel (year, province, level, agency kind, part), updated in
place; ``kwic_browser(dash)`` adds a word box and a theme list that show the real statements behind
them, following the same filters.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from typing import Any, Optional

import ipywidgets as w
import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from .. import analysis, theme
from ..charts.common import describe_filters, empty_note, legend_top, note, register, set_title, tr, wrap
from ..widgets import Dashboard, FilterPanel
from . import explore as ex
from .themes import UNTHEMED

__all__ = ["KwicBrowser", "boilerplate_chart", "keywords_chart", "kwic_browser", "theme_shares_chart",
           "theme_trend_chart", "themes_dashboard"]

META = "ogi-dashboard:themes"
TITLES = {
    "shares": ("各主题在陈述中的占比", "Themes of the statements"),
    "trend": ("问题的主题，按年度", "Themes of the problems admitted, by year"),
    "keywords": ("关键词（TF-IDF，IDF 取自本语料）", "Keywords (TF-IDF, IDF from this corpus)"),
    "boilerplate": ("第五部分有多少是重复的", "How much of section 5 is repeated"),
    "dashboard": ("存在的问题与改进情况", "Problems and improvements"),
}
#: Colours of the two boilerplate measures (Okabe-Ito, from ``ogi.theme``).
BOILERPLATE_COLORS = {"same_agency": theme.OKABE_ITO["blue"], "other_agencies": theme.OKABE_ITO["orange"]}
SHARE_COLOR = theme.OKABE_ITO["blue"]
PART_CAPTION = ("部分", "Part")


def _label_width(lang: str) -> int:
    return 16 if lang == "zh" else 60


def bar_text(count: float, n: float, lang: str) -> str:
    """A bar's label: the share alone where the denominator reaches ``MIN_N``, else ``count/n``."""
    if n < ex.MIN_N:
        return f"{int(count)}/{int(n)}" if n else ""
    return f"{100 * count / n:.0f}%"


def _active(filters: Mapping[str, Any] | None) -> dict[str, Any]:
    return {k: v for k, v in (filters or {}).items()
            if v is not None and (isinstance(v, str) or np.isscalar(v) or len(v))}


def describe(filters: Mapping[str, Any] | None, lang: str) -> str:
    """The filters in words, parts by their labels (``部分：存在的主要问题``)."""
    f = _active(filters)
    part = f.pop("part", None)
    text = describe_filters(f, lang) if f else ""
    if part is not None:
        names = ex.part_labels(lang)
        parts = [part] if isinstance(part, str) else list(part)
        p = tr(lang, "部分：", "Part: ") + ",".join(names.get(x, x) for x in parts)
        text = "; ".join(t for t in (text, p) if t)
    return text


def report_caption(text: ex.TextTables, filters: Mapping[str, Any] | None, lang: str) -> str:
    """The subtitle of a per-report chart: reports with a section 5, years, filters (parts do not apply)."""
    b = ex.boilerplate(text, filters, lang, sort=False)
    years = b["year"].dropna()
    span = f"{int(years.min())}-{int(years.max())}" if len(years) else "-"
    n = len(b)
    out = tr(lang, f"{n:,} 份报告，{span} 年度", f"{n:,} report{'s' if n != 1 else ''}, {span}")
    d = describe({k: v for k, v in (filters or {}).items() if k != "part"}, lang)
    if d:
        out += tr(lang, "；筛选：", "; filters: ") + d
    if n < analysis.SMALL_CORPUS:
        out += tr(lang, "（样本很小，仅作示意）", " (a tiny sample: for illustration only)")
    return out


def caption(text: ex.TextTables, filters: Mapping[str, Any] | None, lang: str) -> str:
    """A one-line subtitle: statements, reports, years and filters; a tiny sample says so."""
    frame = ex.statement_frame(text)
    keep = ex.filter_statements(frame, filters)
    n, reports = int(keep.sum()), int(frame.loc[keep, "report_id"].nunique())
    years = frame.loc[keep, "year"].dropna()
    span = f"{int(years.min())}-{int(years.max())}" if len(years) else "-"
    out = tr(lang, f"{n:,} 条陈述，{reports:,} 份报告，{span} 年度",
             f"{n:,} statements, {reports:,} report{'s' if reports != 1 else ''}, {span}")
    d = describe(filters, lang)
    if d:
        out += tr(lang, "；筛选：", "; filters: ") + d
    if reports < analysis.SMALL_CORPUS:
        out += tr(lang, "（样本很小，仅作示意）", " (a tiny sample: for illustration only)")
    return out


# --------------------------------------------------------------------------- static charts


def theme_shares_chart(corpus: Any, lang: str | None = None, filters: Mapping[str, Any] | None = None,
                       by: str = "part") -> go.Figure:
    """Statements mentioning each theme, one bar per group (default: the three parts of section 5).

    Shares where every group has at least ``MIN_N`` statements, else counts, each bar labelled with
    its share or ``count/n``.
    """
    lang = theme.resolve_lang(lang)
    text = ex.as_text(corpus)
    t = ex.theme_shares(text, by, filters, lang)
    groups = t.drop_duplicates(by)[[by, "by_label", "n"]] if len(t) else pd.DataFrame(columns=[by, "by_label", "n"])
    as_share = len(groups) > 0 and bool((groups["n"] >= ex.MIN_N).all())
    width = _label_width(lang)
    fig = go.Figure()
    for g, label, n in groups.itertuples(index=False):
        part = t[t[by] == g]
        color = ex.PART_COLORS.get(g) if by == "part" else None
        fig.add_trace(go.Bar(
            y=[wrap(s, width) for s in part["label"]], x=part["share"] * 100 if as_share else part["count"],
            orientation="h", name=f"{label} (n={n})", marker_color=color,
            text=[bar_text(c, n, lang) for c in part["count"]],
            textposition="outside", cliponaxis=False, textfont=dict(size=10),
            customdata=np.stack([part["count"], part["n"]], axis=-1),
            hovertemplate="%{y}: %{customdata[0]}/%{customdata[1]}<extra>%{fullData.name}</extra>"))
    fig.update_layout(barmode="group", bargap=0.25, bargroupgap=0.05, yaxis=dict(autorange="reversed"),
                      xaxis=dict(title=tr(lang, "提及该主题的陈述占比（%）", "% of statements mentioning the theme")
                                 if as_share else tr(lang, "提及该主题的陈述数（条）", "Statements mentioning the theme"),
                                 rangemode="tozero"), margin=dict(r=60, l=10))
    legend_top(fig)
    set_title(fig, tr(lang, *TITLES["shares"]), caption(text, filters, lang))
    msg = tr(lang, "一条陈述可提及多个主题，占比之和不为 100%。", "A statement can mention several themes: shares do not "
             "add up to 100%.")
    if not as_share:
        msg += tr(lang, f"<br>有的分组陈述少于 {ex.MIN_N} 条：画条数，标注“条数/分母”，不计算比例。",
                  f"<br>A group has fewer than {ex.MIN_N} statements: counts drawn, labelled count/n, no shares.")
    note(fig, msg, y=-0.095)
    fig.update_layout(margin=dict(b=120))
    if not len(groups) or groups["n"].sum() == 0:
        empty_note(fig, tr(lang, "所选范围内没有陈述", "No statements in this selection"))
    return fig


def _cells(z: np.ndarray) -> list[list]:
    """A heatmap's z as lists with None for empty cells: NaN is not JSON, and a FigureWidget's messages are."""
    return [[None if not np.isfinite(v) else float(v) for v in row] for row in np.asarray(z, dtype=float)]


SMALL_CELL = "#EDEDED"  # a cell whose group has fewer than MIN_N statements: count/n, no colour scale


def _trend_cells(t: pd.DataFrame, by: str, lang: str) -> tuple[list, list, np.ndarray, np.ndarray, np.ndarray]:
    """Heatmap data from ``theme_shares(by=...)``: column labels with n, theme labels, z of the share
    cells (%, NaN where n is small), z of the small-n cells (0 there, NaN elsewhere) and the cell texts."""
    cols = t.drop_duplicates(by)
    x = [f"{lab}<br>n={n}" for lab, n in zip(cols["by_label"], cols["n"])]
    y = list(pd.unique(t["label"]))
    z = np.full((len(y), len(x)), np.nan)
    small = np.full((len(y), len(x)), np.nan)
    txt = np.full((len(y), len(x)), "", dtype=object)
    for j, g in enumerate(cols[by]):
        part = t[t[by] == g]
        is_small = part["small_n"].to_numpy(dtype=bool)
        z[:, j] = np.where(is_small, np.nan, part["share"] * 100)
        small[:, j] = np.where(is_small, 0.0, np.nan)
        txt[:, j] = [bar_text(c, n, lang) for c, n in zip(part["count"], part["n"])]
    return x, y, z, small, txt


def _heatmaps(lang: str, **common) -> list[go.Heatmap]:
    """Two heatmaps on one grid: small-n cells in flat grey with count/n, the others coloured by share.
    (A heatmap draws no text in its empty cells, so the small-n cells need a trace of their own.)"""
    style = dict(texttemplate="%{text}", xgap=2, ygap=2, hoverongaps=False,
                 hovertemplate="%{y} · %{x}: %{text}<extra></extra>", **common)
    return [go.Heatmap(colorscale=[[0, SMALL_CELL], [1, SMALL_CELL]], zmin=0, zmax=1, showscale=False,
                       name=tr(lang, f"少于 {ex.MIN_N} 条", f"fewer than {ex.MIN_N}"), **style),
            go.Heatmap(colorscale="Blues", zmin=0, zmax=100, name=tr(lang, "占比", "share"),
                       colorbar=dict(title=dict(text=tr(lang, "占比（%）", "Share (%)")), thickness=12), **style)]


def theme_trend_chart(corpus: Any, lang: str | None = None, filters: Mapping[str, Any] | None = None,
                      by: str = "year") -> go.Figure:
    """Themes by year (or ``by``): a heatmap of shares, coloured only where a group has ``MIN_N``
    statements; every cell says its share or ``count/n``."""
    lang = theme.resolve_lang(lang)
    text = ex.as_text(corpus)
    t = ex.theme_shares(text, by, filters, lang)
    x, y, z, small, txt = _trend_cells(t, by, lang)
    ylab = [wrap(s, _label_width(lang)) for s in y]
    grey, share = _heatmaps(lang, x=x, y=ylab, text=txt, textfont=dict(size=11))
    fig = go.Figure([grey.update(z=_cells(small)), share.update(z=_cells(z))])
    fig.update_layout(yaxis=dict(autorange="reversed", showgrid=False, ticks=""),
                      xaxis=dict(type="category", showgrid=False, ticks=""), margin=dict(l=10, b=110))
    if by == "year":
        title = TITLES["trend"] if _parts_of(filters) == ("problems",) else ("各主题，按年度", "Themes by year")
    else:
        title = ("各主题，按分组", "Themes by group")
    set_title(fig, tr(lang, *title), caption(text, filters, lang))
    msg = tr(lang, "颜色：提及该主题的陈述占该列陈述的比例。", "Colour: share of the column's statements mentioning the theme.")
    if np.isfinite(small).any():
        msg += tr(lang, f"<br>灰色：该列陈述少于 {ex.MIN_N} 条，只给“条数/分母”，不计算比例。",
                  f"<br>Grey: fewer than {ex.MIN_N} statements in the column; count/n shown, no share.")
    note(fig, msg, y=-0.06)
    if not x:
        empty_note(fig, tr(lang, "所选范围内没有陈述", "No statements in this selection"))
    return fig


def _parts_of(filters: Mapping[str, Any] | None) -> tuple:
    p = (filters or {}).get("part")
    return () if p is None else ((p,) if isinstance(p, str) else tuple(p))


def keywords_chart(corpus: Any, lang: str | None = None, filters: Mapping[str, Any] | None = None,
                   k: int = 15) -> go.Figure:
    """The top ``k`` keywords of each part of section 5 (TF-IDF with the corpus IDF), bars labelled with counts."""
    lang = theme.resolve_lang(lang)
    text = ex.as_text(corpus)
    t = ex.top_keywords(text, "part", filters, k, lang)
    parts = list(pd.unique(t["part"])) if len(t) else []
    fig = make_subplots(rows=1, cols=max(len(parts), 1), horizontal_spacing=0.12,
                        subplot_titles=[wrap(lab, 16 if lang == "zh" else 28) for lab in pd.unique(t["by_label"])]
                        if parts else None)
    for i, p in enumerate(parts, 1):
        d = t[t["part"] == p]
        fig.add_trace(go.Bar(y=d["term"], x=d["score"], orientation="h", marker_color=ex.PART_COLORS[p],
                             text=d["count"], textposition="outside", cliponaxis=False, showlegend=False,
                             textfont=dict(size=10), name=d["by_label"].iloc[0],
                             hovertemplate="%{y}: %{x:.3f} (%{text})<extra></extra>"), row=1, col=i)
        fig.update_yaxes(autorange="reversed", row=1, col=i)
        fig.update_xaxes(showticklabels=False, showgrid=False, ticks="", row=1, col=i)
    set_title(fig, tr(lang, *TITLES["keywords"]), caption(text, filters, lang))
    fig.update_layout(margin=dict(t=150 if lang == "en" else 130))
    note(fig, tr(lang, "条长：TF-IDF 得分；数字：出现次数。", "Bar length: TF-IDF score; number: occurrences."), y=-0.04)
    if not parts:
        empty_note(fig, tr(lang, "所选范围内没有关键词", "No keywords in this selection"))
    return fig


def _boilerplate_traces(bins: pd.DataFrame, lang: str) -> list[dict]:
    return [dict(x=[wrap(b, 10) for b in bins["bin"]], y=bins[c].to_numpy(),
                 text=[str(v) if v else "" for v in bins[c]])
            for c in ("same_agency", "other_agencies")]


def _boilerplate_names(lang: str) -> dict[str, str]:
    return {"same_agency": tr(lang, "与本机关上一份报告重复", "Repeated from the agency's previous report"),
            "other_agencies": tr(lang, "与其他机关（同年或更早）雷同", "Copied from other agencies (same or earlier year)")}


def boilerplate_chart(corpus: Any, lang: str | None = None, filters: Mapping[str, Any] | None = None) -> go.Figure:
    """Reports by the share of their problems section that is repeated: from the agency's previous
    report (3-grams), and from other agencies (near-duplicate statements)."""
    lang = theme.resolve_lang(lang)
    text = ex.as_text(corpus)
    bins = ex.boilerplate_bins(text, filters, lang)
    names = _boilerplate_names(lang)
    fig = go.Figure([go.Bar(name=names[c], marker_color=BOILERPLATE_COLORS[c], textposition="outside",
                            cliponaxis=False, **d)
                     for c, d in zip(("same_agency", "other_agencies"), _boilerplate_traces(bins, lang))])
    n = int(bins["other_agencies"].sum())
    top = int(bins[["same_agency", "other_agencies"]].to_numpy().max()) if len(bins) else 0
    fig.update_layout(barmode="group", xaxis=dict(type="category", tickangle=0,
                                                  title=tr(lang, "重复部分占第五部分的比例", "Share of section 5 repeated")),
                      yaxis=dict(title=tr(lang, "报告数（份）", "Reports"), rangemode="tozero",
                                 **({"dtick": 1} if top <= 8 else {})), margin=dict(b=150))
    legend_top(fig)
    set_title(fig, tr(lang, *TITLES["boilerplate"]), report_caption(text, filters, lang))
    note(fig, tr(lang, "本机关：第五部分的字符三元组在该机关上一份报告中出现的比例。<br>"
                       f"其他机关：与其他机关（同年或更早）的陈述近似重复（Jaccard ≥ {ex.COPY_THRESHOLD}）的陈述所占字数比例。",
                 "Same agency: share of the section's character 3-grams found in the agency's previous report.<br>"
                 f"Other agencies: share of its statement text nearly duplicating (Jaccard ≥ {ex.COPY_THRESHOLD}) "
                 "statements of other agencies (same or earlier year)."), y=-0.24)
    if n == 0:
        empty_note(fig, tr(lang, "所选范围内没有第五部分", "No section 5 in this selection"))
    return fig


register("06-theme-shares", theme_shares_chart, height=800)
register("06-problem-themes-by-year", functools.partial(theme_trend_chart, filters={"part": ("problems",)}),
         height=750)
register("06-keywords", keywords_chart, height=600)
register("06-boilerplate", boilerplate_chart)


# --------------------------------------------------------------------------- the dashboard


class _TextPanel(FilterPanel):
    """The corpus filters (year, province, level, agency kind) and the part of section 5."""

    def __init__(self, data: pd.DataFrame, lang: str):
        super().__init__(data, filters=[f for f in ("year", "province", "level", "agency_kind") if f in data.columns],
                         lang=lang)
        names = ex.part_labels(self.lang)
        present = set(data["part"].dropna())
        codes = [p for p in ex.PARTS if p in present]
        self.columns["part"] = "part"
        self.controls["part"] = w.SelectMultiple(
            options=[(names[p], p) for p in codes], value=(), rows=min(max(len(codes), 2), 6),
            description=PART_CAPTION[self.lang == "en"], style={"description_width": "initial"})
        multi = [c for n, c in self.controls.items() if n in ("province", "level", "agency_kind", "part")]
        self.widget = w.VBox([w.HBox([self.controls["year"]] if "year" in self.controls else []), w.HBox(multi)])


def _report_filters(filters: Mapping[str, Any], panel: FilterPanel) -> dict[str, Any]:
    """The panel's values as ``analysis`` filters for per-report tables (a full year range keeps all)."""
    out = {}
    for name, value in filters.items():
        control = panel.controls.get(name)
        if name == "part" or value is None:
            continue
        if name == "year" and control is not None and tuple(value) == (control.min, control.max):
            continue
        if isinstance(value, tuple) and not value:
            continue
        out[name] = value
    return out


def themes_dashboard(corpus: Any, lang: str | None = None, k: int = 10) -> Dashboard:
    """Theme shares (top left), their trend by year (top right), top keywords (bottom left) and
    boilerplate (bottom right) of the selected statements, in one FigureWidget updated in place.

    Filters: year range, province, level, agency kind, part of section 5. Shares only where at least
    ``MIN_N`` statements are selected, else counts; the subtitle gives the denominators.
    """
    lang = theme.resolve_lang(lang)
    text = ex.as_text(corpus)
    frame = ex.statement_frame(text)
    data = frame[[c for c in ("year", "province", "level", "agency_kind", "part") if c in frame.columns]]
    m, codes = ex.theme_matrix(text)
    names = ex.theme_labels(text, lang)
    ylab = [names[c] for c in codes]  # one line each: 17 rows share half the figure's height
    g_year, years, year_labels = ex.group_codes(frame, "year", lang)
    bnames = _boilerplate_names(lang)
    fig = make_subplots(rows=2, cols=2, column_widths=[0.5, 0.5], row_heights=[0.62, 0.38],
                        horizontal_spacing=0.04, vertical_spacing=0.1,
                        subplot_titles=[tr(lang, "提及各主题的陈述", "Statements mentioning each theme"),
                                        tr(lang, "按年度", "By year"), tr(lang, "关键词", "Keywords"),
                                        tr(lang, "重复部分占比（报告数）", "Share repeated (reports)")])
    fig.add_trace(go.Bar(y=ylab, x=[0] * len(codes), orientation="h", marker_color=SHARE_COLOR, showlegend=False,
                         textposition="outside", cliponaxis=False, textfont=dict(size=10),
                         name=tr(lang, "陈述", "Statements")), row=1, col=1)
    empty = np.full((len(codes), len(years)), np.nan)
    for heatmap in _heatmaps(lang, x=year_labels, y=ylab, text=np.full(empty.shape, ""), textfont=dict(size=9)):
        fig.add_trace(heatmap.update(z=_cells(empty), showscale=False), row=1, col=2)
    fig.add_trace(go.Bar(y=[], x=[], orientation="h", marker_color=theme.OKABE_ITO["bluish_green"], showlegend=False,
                         textposition="outside", cliponaxis=False, textfont=dict(size=10),
                         name=tr(lang, "关键词", "Keywords")), row=2, col=1)
    for c in ("same_agency", "other_agencies"):
        fig.add_trace(go.Bar(x=[], y=[], name=bnames[c], marker_color=BOILERPLATE_COLORS[c], textposition="outside",
                             cliponaxis=False, textfont=dict(size=10)), row=2, col=2)
    fig.update_yaxes(autorange="reversed", tickfont=dict(size=11), row=1, col=1)
    fig.update_yaxes(autorange="reversed", matches="y", showticklabels=False, showgrid=False, row=1, col=2)
    fig.update_xaxes(type="category", showgrid=False, row=1, col=2)
    fig.update_yaxes(autorange="reversed", row=2, col=1)
    fig.update_xaxes(showticklabels=False, ticks="", row=2, col=1)
    fig.update_xaxes(type="category", tickangle=0, tickfont=dict(size=10), row=2, col=2)
    fig.update_yaxes(rangemode="tozero", row=2, col=2)
    fig.update_layout(meta=META, height=980, barmode="group", margin=dict(t=110, l=10, r=30, b=100),
                      legend=dict(orientation="h", x=1, xanchor="right", y=-0.06, yanchor="top", font=dict(size=11)),
                      title=dict(text=tr(lang, *TITLES["dashboard"]), subtitle=dict(text="", font=dict(size=12,
                                 color="#555555")), yref="container", y=1, yanchor="top", pad=dict(t=16)))
    panel = _TextPanel(data, lang)

    def update(subset: pd.DataFrame, filters: dict) -> dict:
        rows = subset.index.to_numpy()
        n = len(rows)
        counts = m[rows].sum(axis=0)
        as_share = n >= ex.MIN_N
        x = counts / n * 100 if as_share else counts
        # trend: statements per year and theme among the selected ones
        yrs = g_year[rows]
        ok = yrs >= 0
        per_year = np.zeros((len(years), len(codes)))
        np.add.at(per_year, yrs[ok], m[rows[ok]].astype(float))
        n_year = np.bincount(yrs[ok], minlength=len(years))
        big = (n_year >= ex.MIN_N)[:, None]
        z = np.where(big, per_year / np.maximum(n_year, 1)[:, None] * 100, np.nan).T
        small = np.where(big | (n_year == 0)[:, None], np.nan, 0.0).T * np.ones((len(codes), 1))
        txt = np.array([[bar_text(per_year[j, i], n_year[j], lang) for j in range(len(years))]
                        for i in range(len(codes))], dtype=object)
        kw = ex.top_keywords(text, None, _row_filter(filters, panel), k, lang)
        bins = ex.boilerplate_bins(text, _report_filters(filters, panel), lang)
        b = _boilerplate_traces(bins, lang)
        un = int(counts[codes.index(UNTHEMED)])
        extra = tr(lang, f"{n:,} 条陈述（{un} 条未归入主题）", f"{n:,} statements ({un} unthemed)")
        if not as_share:
            extra += tr(lang, f"；少于 {ex.MIN_N} 条：只给条数", f"; fewer than {ex.MIN_N}: counts only")
        active = describe(_row_filter(filters, panel), lang)
        subtitle = tr(lang, "；", "; ").join(p for p in (active, extra) if p)
        return {"traces": [
            {"x": x, "text": [bar_text(c, n, lang) for c in counts]},
            {"z": _cells(small), "text": txt, "x": (xs := [f"{lab}<br>n={c}" for lab, c in zip(year_labels, n_year)])},
            {"z": _cells(z), "text": txt, "x": xs},
            {"y": kw["term"].tolist(), "x": kw["score"].to_numpy(), "text": kw["count"].tolist()},
            *b,
        ], "layout": {"title": {"subtitle": {"text": subtitle}},
                      "xaxis": {"ticksuffix": "%" if as_share else ""}}}

    dash = Dashboard(data, fig, update, panel=panel)
    dash.text = text  # the tables behind it, for kwic_browser(dash)
    return dash


def _row_filter(filters: Mapping[str, Any], panel: FilterPanel) -> dict[str, Any]:
    """The panel's values as statement filters (``explore.filter_statements``)."""
    out = _report_filters(filters, panel)
    part = filters.get("part")
    if part:
        out["part"] = part
    return out


# --------------------------------------------------------------------------- keyword in context


class KwicBrowser:
    """A word box and a theme list above a small table of the real statements behind them.

    Follows a dashboard's filters when given one (``kwic_browser(dash)``). The table (``.table``) is
    ``explore.kwic``'s, the matches marked; the widget shows it as HTML with ``<mark>``.

    Parameters
    ----------
    text : TextTables or corpus
    lang : {"zh", "en"}, optional
    panel : FilterPanel, optional
        The filters to follow.
    limit : int
        Rows shown (the count of all matches is said above them).
    """

    def __init__(self, text: Any, lang: str | None = None, panel: Optional[FilterPanel] = None, limit: int = 15,
                 word: str = "", theme_code: Optional[str] = None):
        self.lang = theme.resolve_lang(lang)
        self.text = ex.as_text(text)
        self.panel = panel
        self.limit = limit
        names = ex.theme_labels(self.text, self.lang)
        self.word = w.Text(value=word, description=tr(self.lang, "词语", "Word"), continuous_update=False,
                           placeholder=tr(self.lang, "如 新媒体；多个词用 | 分隔", "e.g. 新媒体; | separates words"),
                           style={"description_width": "initial"})
        self.theme = w.Dropdown(options=[(tr(self.lang, "（任意主题）", "(any theme)"), "")] +
                                [(v, c) for c, v in names.items()], value=theme_code or "",
                                description=tr(self.lang, "主题", "Theme"), style={"description_width": "initial"})
        self.output = w.HTML()
        self.table = pd.DataFrame()
        self.total = 0
        self.update_count = 0
        self._holding = False
        self.refresh()
        for control in (self.word, self.theme):
            control.observe(self._on_change, names="value")
        if panel is not None:
            panel.observe(self._on_change)
        self._widget: Optional[w.VBox] = None

    def _filters(self) -> dict[str, Any]:
        if self.panel is None:
            return {}
        return _row_filter(self.panel.values, self.panel)

    def _on_change(self, change: dict) -> None:
        if not self._holding:
            self.refresh()

    def refresh(self) -> None:
        """Look up the statements for the current word, theme and filters, and show them."""
        word, code = self.word.value.strip(), self.theme.value or None
        if not word and not code:
            self.table, self.total = pd.DataFrame(columns=["report", "agency", "year", "part", "statement"]), 0
            self.output.value = f"<p>{tr(self.lang, '输入词语或选择主题。', 'Type a word or choose a theme.')}</p>"
        else:
            filters = self._filters()
            self.table = ex.kwic(self.text, word or None, code, filters, self.lang, limit=self.limit)
            self.total = self.table.attrs["total"]
            marked = ex.kwic(self.text, word or None, code, filters, self.lang, width=None, limit=self.limit,
                             html_marks=True)
            head = tr(self.lang, f"共 {self.total} 条陈述，显示前 {len(marked)} 条", f"{self.total} statements, "
                      f"the first {len(marked)} shown")
            self.output.value = f"<p>{head}</p>" + marked.to_html(index=False, escape=False, na_rep="")
        self.update_count += 1

    def set(self, word: Optional[str] = None, theme_code: Optional[str] = None) -> None:
        """Set the word and/or the theme from code (one look-up)."""
        self._holding = True
        try:
            if word is not None:
                self.word.value = word
            if theme_code is not None:
                self.theme.value = theme_code
        finally:
            self._holding = False
        self.refresh()

    def assert_updates(self, **values) -> str:
        """Set word/theme, assert that the table changed; returns a line for the notebook."""
        before = self.table.to_json()
        self.set(**values)
        assert self.table.to_json() != before, f"the statements did not change after set({values})"
        return f"{values}: {self.total} statements, table updated"

    @property
    def widget(self) -> w.VBox:
        if self._widget is None:
            self._widget = w.VBox([w.HBox([self.word, self.theme]), self.output])
        return self._widget

    def __repr__(self) -> str:
        return f"KwicBrowser(word={self.word.value!r}, theme={self.theme.value!r}: {self.total} statements)"

    def _repr_mimebundle_(self, **kwargs):
        bundle = self.widget._repr_mimebundle_(**kwargs) or {}
        bundle["text/plain"] = repr(self)
        return bundle


def kwic_browser(dash_or_text: Any, lang: str | None = None, **options) -> KwicBrowser:
    """A :class:`KwicBrowser` following a themes dashboard's filters (or unfiltered, given the text tables)."""
    if isinstance(dash_or_text, Dashboard):
        panel = dash_or_text.panel
        text = dash_or_text.__dict__.get("text")
        lang = lang or panel.lang
        if text is None:
            raise ValueError("not a themes dashboard: build it with themes_dashboard(corpus)")
        return KwicBrowser(text, lang, panel=panel, **options)
    return KwicBrowser(dash_or_text, lang, **options)
