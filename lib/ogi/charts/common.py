"""What every chart builder shares: interface words in two languages, captions that say how much data
a chart shows, a note for empty selections, the corpus ``make figures`` draws, and registration.

Category labels come from the schema (``ogi.theme.labels``); only the words of
titles and axes live here and in each chart module, as ``(zh, en)`` pairs.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from typing import Any

import numpy as np
import plotly.graph_objects as go

from .. import analysis, figures, theme

#: Interface words shared by several charts.
WORDS = {
    "requests": ("申请数（件）", "Requests"),
    "reports": ("报告数（份）", "Reports"),
    "cases": ("案件数（件）", "Cases"),
    "share": ("占比", "Share"),
    "year": ("年度", "Year"),
    "no_data": ("所选范围内没有数据", "No data in this selection"),
    "no_requests": ("所选范围内没有申请", "No requests in this selection"),
    "small_n": (f"分母小于 {analysis.MIN_N}：只给件数，不计算比例", f"Denominator below {analysis.MIN_N}: "
                f"counts only, no share"),
    "all": ("全部", "All"),
}


def tr(lang: str, zh: str, en: str) -> str:
    """The word in the language asked for."""
    return zh if lang == "zh" else en


def word(key: str, lang: str) -> str:
    return tr(lang, *WORDS[key])


def caption(corpus: Any, filters: Mapping[str, Any] | None, lang: str, table: str = "requests") -> str:
    """A one-line subtitle: how many reports, which years, and which filters."""
    p = analysis.prepare(corpus)
    rows = p.select(filters, table)
    years = p.reports["year"].iloc[rows].dropna()
    span = f"{int(years.min())}-{int(years.max())}" if len(years) else "-"
    active = {k: v for k, v in (filters or {}).items() if v not in (None, (), []) and k != "applicant"}
    n = len(rows)
    text = tr(lang, f"{n:,} 份报告，{span} 年度", f"{n:,} report{'s' if n != 1 else ''}, {span}")
    if active:
        text += tr(lang, "；筛选：", "; filters: ") + describe_filters(active, lang)
    if len(rows) < analysis.SMALL_CORPUS:
        text += tr(lang, "（样本很小，仅作示意）", " (a tiny sample: for illustration only)")
    return text


def describe_filters(filters: Mapping[str, Any], lang: str) -> str:
    """``level=county`` style text with labels: ``层级：县级``."""
    from ..widgets import CAPTIONS, LABEL_KINDS

    parts = []
    for name, value in filters.items():
        if value is None or (not isinstance(value, str) and not np.isscalar(value) and len(value) == 0):
            continue
        cap = CAPTIONS.get(name, (name, name))[lang == "en"]
        if name == "year":
            lo, hi = (value, value) if np.isscalar(value) else value
            text = f"{lo}-{hi}" if lo != hi else f"{lo}"
        else:
            values = (value,) if isinstance(value, str) else tuple(value)
            kind = LABEL_KINDS.get(name)
            names = theme.labels(kind, lang) if kind else {}
            text = ",".join(names.get(str(v), str(v)) for v in values)
        parts.append(f"{cap}{'：' if lang == 'zh' else ': '}{text}")
    return "; ".join(parts)


def set_title(fig: go.Figure, title: str, subtitle: str | None = None) -> go.Figure:
    # pinned to the top of the image: with a legend on top the margin grows, and an 'auto' title would sink into it
    fig.update_layout(title=dict(text=title, subtitle=dict(text=subtitle or "", font=dict(size=12, color="#555555")),
                                 yref="container", y=1, yanchor="top", pad=dict(t=20)),
                      margin=dict(t=max(fig.layout.margin.t or 0, 90)))
    return fig


def legend_rows(names, width: int = 760) -> int:
    """Rows a horizontal legend of these entry names needs at about ``width`` pixels (CJK counted double)."""
    px = sum(45 + 7 * sum(2 if ord(ch) > 0x2E80 else 1 for ch in str(n)) for n in names)
    return max(1, -(-px // width))


def legend_top(fig: go.Figure, rows: int | None = None) -> go.Figure:
    """A horizontal legend between the subtitle and the plot, with room for ``rows`` rows of entries
    (default: as many as the trace names need)."""
    if rows is None:
        rows = legend_rows([t.name for t in fig.data if t.name and t.showlegend is not False])
    fig.update_layout(legend=dict(orientation="h", x=0, xanchor="left", y=1.0, yanchor="bottom", title_text=""),
                      margin=dict(t=100 + 24 * rows))
    return fig


def note(fig: go.Figure, text: str, *, y: float = -0.16, name: str = "note") -> go.Figure:
    """A small grey note under the plot (left-aligned to the plot area); the bottom margin grows to hold it."""
    fig.add_annotation(text=text, xref="paper", yref="paper", x=0, y=y, xanchor="left", yanchor="top",
                       showarrow=False, font=dict(size=11, color="#666666"), align="left", name=name)
    fig.update_layout(margin=dict(b=max(fig.layout.margin.b or 0, 110)))
    return fig


def count_axis(max_value: float, **kw) -> dict:
    """An axis of counts from zero, with whole-number ticks when the counts are small (no "0.5 reports")."""
    return dict(rangemode="tozero", **({"dtick": 1} if 0 <= max_value <= 8 else {}), **kw)


def log_axis(**kw) -> dict:
    """A log axis with ticks at powers of ten only (1, 10, 100, ...), no minor digits."""
    return dict(type="log", dtick=1, **kw)


def wrap(text: str, width: int = 24) -> str:
    """Break a long label into lines (at spaces in English, anywhere in Chinese) with ``<br>``."""
    if len(text) <= width:
        return text
    if " " in text:
        lines, line = [], ""
        for w in text.split(" "):
            if line and len(line) + 1 + len(w) > width:
                lines.append(line)
                line = w
            else:
                line = f"{line} {w}".strip()
        lines.append(line)
        return "<br>".join(lines)
    return "<br>".join(text[i:i + width] for i in range(0, len(text), width))


def empty_note(fig: go.Figure, text: str, visible: bool = True) -> go.Figure:
    """A centred message for a selection without data (kept in the layout; dashboards toggle ``visible``)."""
    fig.add_annotation(text=text, xref="paper", yref="paper", x=0.5, y=0.5, showarrow=False,
                       font=dict(size=16, color="#777777"), name="empty", visible=visible)
    return fig


def rgba(hex_color: str, alpha: float) -> str:
    h = hex_color.lstrip("#")
    r, g, b = (int(h[i:i + 2], 16) for i in (0, 2, 4))
    return f"rgba({r},{g},{b},{alpha})"


def fmt_int(v: float) -> str:
    return "" if v is None or (isinstance(v, float) and np.isnan(v)) else f"{int(round(v)):,}"


# --------------------------------------------------------------------------- make figures


@functools.lru_cache(maxsize=1)
def default_corpus():
    """The corpus ``make figures`` draws: ``ogi.load()`` (the bundled sample unless OGI_RAW/OGI_PROCESSED say
    otherwise), built on first use."""
    from ..corpus import load

    return load(verbose=False)


def register(name: str, builder: Callable[..., go.Figure], **options) -> None:
    """Register ``builder(corpus, lang=...)`` as publication figure ``name`` (both languages), drawn from
    :func:`default_corpus` by ``make figures``."""
    def build(lang: str | None = None) -> go.Figure:
        return builder(default_corpus(), lang=lang)

    build.__name__ = f"figure_{name.replace('-', '_')}"
    build.__doc__ = builder.__doc__
    build.builder = builder  # the chart builder itself, f(corpus, lang, filters), for tests and notebooks
    figures.register(name, **options)(build)
