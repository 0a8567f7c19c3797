"""Dashboards: a panel of filters driving one FigureWidget, updated in place.

The pattern follows plotly's FigureWidget dashboard docs: the figure is built
once; the controls have ``continuous_update=False``; one callback computes a
vectorised pandas mask and assigns new trace data inside ``fig.batch_update()``
(one message to the browser per change). The figure is never rebuilt.

A notebook builds a dashboard in three lines::

    panel = FilterPanel(reports, applicant=False)
    dash = Dashboard(reports, figure=fig, update=by_level, panel=panel)
    dash                                     # shows the filters above the chart

where ``fig`` is a ``go.Figure`` with the traces to fill and
``by_level(subset, filters)`` returns one dict of new trace data per trace
(``[{"x": ..., "y": ...}, ...]``), or ``{"traces": [...], "layout": {...}}``
to update the layout too (e.g. a title that says how many reports are shown).

nbval drives each dashboard once from code::

    dash.assert_updates(level=["county"])    # sets the widgets; fails if the data did not change

``dash.last_update_ms`` is the time from a filter change to the new figure
data, measured in the kernel (the benchmark target is 150 ms at 100k reports).
``dash.save("name")`` writes the current view as a publication figure.
"""

from __future__ import annotations

import contextlib
import json
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

import ipywidgets as w
import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.utils import PlotlyJSONEncoder

from . import theme

#: Filter name -> default column in the corpus tables (a tuple: the first one present).
#: The corpus's ``reports`` has a template per table; requests' is the default.
DEFAULT_COLUMNS = {
    "year": "year",
    "province": "province",
    "level": "level",
    "agency_kind": "agency_kind",
    "template": ("template", "template_requests"),
    "applicant": "applicant",
}
#: Filters whose values are schema codes, labelled through ``ogi.theme.labels``.
LABEL_KINDS = {"level": "level", "agency_kind": "agency_kind", "template": "template", "applicant": "applicant"}
MULTI_FILTERS = ("province", "level", "agency_kind", "template")
#: Control captions (interface words, not categories).
CAPTIONS = {
    "year": ("年份", "Year"),
    "province": ("省份", "Province"),
    "level": ("层级", "Level"),
    "agency_kind": ("机关类型", "Agency kind"),
    "template": ("模板", "Template"),
    "applicant": ("申请人", "Applicant"),
}
_ALL_HINT = ("不选即全部", "none selected = all")


def _caption(name: str, lang: str) -> str:
    zh, en = CAPTIONS.get(name, (name, name))
    return zh if lang == "zh" else en


class FilterPanel:
    """Filter controls built from the values a DataFrame holds.

    Parameters
    ----------
    data : DataFrame
        The rows to filter; only its available values become options.
    filters : sequence of str, optional
        Among ``year``, ``province``, ``level``, ``agency_kind``, ``template``.
        Default: those whose column is in ``data``. A filter asked for explicitly
        must have its column.
    applicant : bool
        Add an applicant-type dropdown (one type at a time, ``total`` first if present).
        If ``data`` has the column, rows are filtered by it; either way the
        update callback receives the choice in ``filters["applicant"]``.
    applicants : sequence of str, optional
        The applicant codes to offer when ``data`` has no applicant column
        (default: every code of the schema).
    columns : mapping, optional
        Filter name -> column name, where the table's names differ from
        :data:`DEFAULT_COLUMNS`.
    lang : {"zh", "en"}, optional
        Label language; defaults to ``ogi.theme.get_lang()``.

    A multi-select with nothing selected means "all"; the year slider at its
    full range keeps rows without a year.
    """

    def __init__(self, data: pd.DataFrame, *, filters: Sequence[str] | None = None, applicant: bool = False,
                 applicants: Sequence[str] | None = None, columns: Mapping[str, str] | None = None,
                 lang: str | None = None):
        self.lang = theme.resolve_lang(lang)
        self.columns = {name: next((c for c in col if c in data.columns), col[0]) if isinstance(col, tuple) else col
                        for name, col in {**DEFAULT_COLUMNS, **(columns or {})}.items()}
        if filters is None:
            filters = [f for f in ("year", *MULTI_FILTERS) if self.columns[f] in data.columns]
        else:
            unknown = [f for f in filters if f not in ("year", *MULTI_FILTERS)]
            if unknown:
                raise ValueError(f"unknown filters {unknown}; known: year, {', '.join(MULTI_FILTERS)}")
            missing = [f for f in filters if self.columns[f] not in data.columns]
            if missing:
                raise KeyError(f"no column for filters {missing} (columns {[self.columns[f] for f in missing]})")
        self.controls: dict[str, w.Widget] = {}
        for name in filters:
            values = data[self.columns[name]]
            self.controls[name] = self._year(values) if name == "year" else self._multi(name, values)
        if applicant:
            col = self.columns["applicant"]
            codes = self._ordered("applicant", data[col]) if col in data.columns else list(
                applicants or theme.labels("applicant"))
            self.controls["applicant"] = self._dropdown("applicant", codes)
        self.widget = w.VBox([
            w.HBox([c for n, c in self.controls.items() if n in ("year", "applicant")]),
            w.HBox([c for n, c in self.controls.items() if n in MULTI_FILTERS]),
        ])

    # -- construction -------------------------------------------------------

    def _ordered(self, name: str, values: pd.Series) -> list:
        present = pd.unique(values.dropna())
        kind = LABEL_KINDS.get(name)
        if kind:
            known = theme.order(kind, "code")
            return [c for c in known if c in set(present)] + sorted(v for v in present if v not in known)
        return sorted(present, key=str)

    def _option_label(self, name: str, code) -> str:
        kind = LABEL_KINDS.get(name)
        if kind:
            return theme.labels(kind, self.lang).get(code, str(code))
        return str(code)

    def _year(self, values: pd.Series) -> w.IntRangeSlider:
        years = pd.to_numeric(values, errors="coerce").dropna()
        lo, hi = (int(years.min()), int(years.max())) if len(years) else (0, 0)
        return w.IntRangeSlider(value=(lo, hi), min=lo, max=hi, step=1, description=_caption("year", self.lang),
                                continuous_update=False, style={"description_width": "initial"})

    def _multi(self, name: str, values: pd.Series) -> w.SelectMultiple:
        codes = self._ordered(name, values)
        # SelectMultiple has no continuous_update trait: it reports on each (completed) selection
        return w.SelectMultiple(options=[(self._option_label(name, c), c) for c in codes], value=(),
                                rows=min(max(len(codes), 2), 6), description=_caption(name, self.lang),
                                tooltip=_ALL_HINT[self.lang == "en"], style={"description_width": "initial"})

    def _dropdown(self, name: str, codes: Sequence) -> w.Dropdown:
        default = "total" if "total" in codes else (codes[0] if codes else None)
        return w.Dropdown(options=[(self._option_label(name, c), c) for c in codes], value=default,
                          description=_caption(name, self.lang), style={"description_width": "initial"})

    # -- state --------------------------------------------------------------

    @property
    def values(self) -> dict[str, Any]:
        """Filter name -> current value (tuples for multi-selects and the year range)."""
        return {name: c.value for name, c in self.controls.items()}

    def set(self, **values) -> None:
        """Set controls from code, e.g. ``set(year=(2020, 2022), level=["county"])``.

        Every value is checked before any control changes.
        """
        unknown = [k for k in values if k not in self.controls]
        if unknown:
            raise TypeError(f"no filter {unknown}; this panel has {list(self.controls)}")
        checked = {}
        for name, value in values.items():
            control = self.controls[name]
            if isinstance(control, w.SelectMultiple):
                value = tuple(value) if isinstance(value, Iterable) and not isinstance(value, str) else (value,)
                allowed = {v for _, v in control.options}
                bad = [v for v in value if v not in allowed]
                if bad:
                    raise ValueError(f"{name}: {bad} not among the options {sorted(map(str, allowed))}")
            elif isinstance(control, w.IntRangeSlider):
                value = tuple(int(v) for v in value)
                if not control.min <= value[0] <= value[1] <= control.max:
                    raise ValueError(f"year range {value} outside {control.min}-{control.max}")
            elif isinstance(control, w.Dropdown) and value not in {v for _, v in control.options}:
                raise ValueError(f"{name}: {value!r} not among the options")
            checked[name] = value
        for name, value in checked.items():
            self.controls[name].value = value

    def reset(self) -> None:
        """Every filter back to "all"."""
        for name, control in self.controls.items():
            if isinstance(control, w.IntRangeSlider):
                control.value = (control.min, control.max)
            elif isinstance(control, w.SelectMultiple):
                control.value = ()

    def observe(self, callback: Callable[[dict], None]) -> None:
        for control in self.controls.values():
            control.observe(callback, names="value")

    def mask(self, data: pd.DataFrame) -> np.ndarray:
        """A boolean array selecting the rows of ``data`` that pass every filter (vectorised)."""
        keep = np.ones(len(data), dtype=bool)
        for name, control in self.controls.items():
            col = self.columns[name]
            if col not in data.columns:
                continue  # e.g. applicant on a table without an applicant column
            value = control.value
            if isinstance(control, w.IntRangeSlider):
                if value != (control.min, control.max):
                    keep &= data[col].between(*value).to_numpy(dtype=bool, na_value=False)
            elif isinstance(control, w.SelectMultiple):
                if value:
                    keep &= data[col].isin(value).to_numpy(dtype=bool, na_value=False)
            elif value is not None:
                keep &= (data[col] == value).to_numpy(dtype=bool, na_value=False)
        return keep

    def describe(self) -> str:
        """The active filters as text (``year=2020-2022, level=county``); ``all`` when none."""
        parts = []
        for name, control in self.controls.items():
            v = control.value
            if isinstance(control, w.IntRangeSlider) and v != (control.min, control.max):
                parts.append(f"{name}={v[0]}-{v[1]}")
            elif isinstance(control, w.SelectMultiple) and v:
                parts.append(f"{name}={','.join(map(str, v))}")
            elif isinstance(control, w.Dropdown):
                parts.append(f"{name}={v}")
        return ", ".join(parts) or "all"


Update = Callable[[pd.DataFrame, dict], Any]


class Dashboard:
    """One FigureWidget, built once, whose traces a :class:`FilterPanel` updates in place.

    Parameters
    ----------
    data : DataFrame
        All rows; each change filters them with ``panel.mask``.
    figure : go.Figure or callable
        The figure (or ``f(data) -> Figure``) with the traces to fill; it becomes
        one ``go.FigureWidget`` for the dashboard's life.
    update : callable
        ``update(subset, filters)`` -> a list of dicts, one per trace, of new
        trace properties (``{"x": ..., "y": ...}``); or a dict with ``"traces"``
        and ``"layout"``.
    panel : FilterPanel, optional
        Default: ``FilterPanel(data, **panel_options)``.
    """

    def __init__(self, data: pd.DataFrame, figure: go.Figure | Callable[[pd.DataFrame], go.Figure],
                 update: Update, *, panel: FilterPanel | None = None, **panel_options):
        self.data = data
        self.update = update
        self.panel = panel if panel is not None else FilterPanel(data, **panel_options)
        built = figure(data) if callable(figure) and not isinstance(figure, go.Figure) else figure
        self.figure = go.FigureWidget(built)
        self.last_update_ms: float | None = None
        self.update_count = 0
        self._holding = False
        self.refresh()
        self.panel.observe(self._on_change)
        self._widget: w.VBox | None = None

    # -- the one callback ---------------------------------------------------

    def _on_change(self, change: dict) -> None:
        if not self._holding:
            self.refresh()

    def refresh(self) -> None:
        """Filter, compute the new trace data and assign it inside one ``batch_update``."""
        t0 = time.perf_counter()
        subset = self.data[self.panel.mask(self.data)]
        result = self.update(subset, self.panel.values)
        if isinstance(result, Mapping):
            traces, layout = list(result.get("traces", ())), dict(result.get("layout") or {})
        else:
            traces, layout = list(result), {}
        if len(traces) != len(self.figure.data):
            raise ValueError(f"update returned {len(traces)} trace updates for {len(self.figure.data)} traces")
        with self.figure.batch_update():
            for trace, props in zip(self.figure.data, traces):
                trace.update(props)
            if layout:
                self.figure.layout.update(layout)
        self.last_update_ms = (time.perf_counter() - t0) * 1000
        self.update_count += 1

    @contextlib.contextmanager
    def hold(self):
        """Change several controls with one update at the end."""
        self._holding = True
        try:
            yield
        finally:
            self._holding = False
        self.refresh()

    def set_filters(self, **values) -> None:
        """Drive the widgets from code (one update for all values), as a user would."""
        with self.hold():
            self.panel.set(**values)

    # -- checks and output --------------------------------------------------

    def snapshot(self) -> str:
        """The figure's trace data as JSON (trace uids left out), to compare views."""
        data = []
        for trace in self.figure.data:
            d = trace.to_plotly_json()
            d.pop("uid", None)
            data.append(d)
        return json.dumps(data, cls=PlotlyJSONEncoder, sort_keys=True)

    def assert_updates(self, **values) -> str:
        """Set filters and assert that the figure's data changed; returns a line for the notebook."""
        figure, before = self.figure, self.snapshot()
        self.set_filters(**values)
        assert self.figure is figure, "the dashboard replaced its FigureWidget"
        assert self.snapshot() != before, f"figure data did not change after set_filters({values})"
        return f"{self.panel.describe()}: figure data updated in place ({len(self.figure.data)} traces)"

    def save(self, name: str, **options) -> dict:
        """Write the current view as a publication figure (``ogi.figures.save_figure``)."""
        from .figures import save_figure

        return save_figure(self.figure, name, **options)

    @property
    def widget(self) -> w.VBox:
        """The filters above the figure, for display; the figure's front-end state is synced first."""
        if self._widget is None:
            self._widget = w.VBox([self.panel.widget, self.figure])
        self._sync_figure()
        return self._widget

    def _sync_figure(self) -> None:
        """Give a new front-end view the figure as it is now, not as it was built.

        A FigureWidget's view is drawn from its synced ``_widget_data``, which plotly
        refreshes only in the figure's own ``_repr_mimebundle_`` (when the figure is
        displayed by itself); later changes travel as update messages to existing
        views. Shown inside a VBox, the figure's repr is never called, so a view made
        after the first ``refresh()`` (every dashboard's) started from a stale state:
        in JupyterLab with plotly 7.1 the bars showed, and the category axes had lost
        their labels (0, 1, 2 ... instead of 予以公开 ...). Calling the figure's repr
        re-syncs the state, as plotly does for a figure displayed by itself.
        """
        self.figure._repr_mimebundle_()

    def __repr__(self) -> str:
        return (f"Dashboard({len(self.figure.data)} traces, filters: {', '.join(self.panel.controls)}; "
                f"{len(self.data)} rows)")

    def _repr_mimebundle_(self, **kwargs):
        # a short, stable text/plain: the widget's own repr holds the whole figure and random uids
        bundle = self.widget._repr_mimebundle_(**kwargs) or {}
        bundle["text/plain"] = repr(self)
        return bundle
