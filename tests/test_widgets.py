"""Dashboards update one FigureWidget in place; notebooks are committed clean and pass strict nbval.

The widget tests run headless: no browser, no kernel (ipywidgets works without a front end).
"""

import contextlib
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import ipywidgets as w
import nbformat
import numpy as np
import pandas as pd
import plotly.graph_objects as go
import pytest

from ogi import notebooks, paths, theme
from ogi.widgets import Dashboard, FilterPanel

ROOT = Path(__file__).resolve().parents[1]
LEVELS = list(theme.color_map("level"))


def reports(n=2000, seed=0):
    rng = np.random.default_rng(seed)
    return pd.DataFrame({
        "year": rng.integers(2019, 2024, n),
        "province": pd.Categorical(rng.choice(["湖北省", "河北省", "四川省", "重庆市"], n)),
        "level": pd.Categorical(rng.choice(["provincial", "prefecture", "county"], n)),
        "agency_kind": pd.Categorical(rng.choice(["government", "department"], n)),
        "template": pd.Categorical(rng.choice(["2019", "2021"], n)),
        "new": rng.poisson(3, n),
    })


def by_level_figure(data):
    return go.Figure([go.Bar(x=LEVELS, y=[0] * len(LEVELS), marker_color=[theme.color_for("level", c) for c in LEVELS])])


def by_level(subset, filters):
    counts = subset.groupby("level", observed=False)["new"].sum().reindex(LEVELS, fill_value=0)
    return {"traces": [{"y": counts.to_numpy()}], "layout": {"title": f"n = {len(subset)}"}}


# ---------------------------------------------------------------------------
# FilterPanel
# ---------------------------------------------------------------------------


def test_panel_is_built_from_the_available_values():
    df = reports()
    panel = FilterPanel(df, lang="en")
    assert list(panel.controls) == ["year", "province", "level", "agency_kind", "template"]
    year = panel.controls["year"]
    assert isinstance(year, w.IntRangeSlider) and (year.min, year.max) == (2019, 2023)
    assert year.continuous_update is False
    for name in ("province", "level", "agency_kind", "template"):
        control = panel.controls[name]
        assert isinstance(control, w.SelectMultiple) and control.value == ()
    # coded values carry their schema labels, in schema order, and only those present
    assert panel.controls["level"].options == (("Provincial", "provincial"), ("Prefecture", "prefecture"),
                                               ("County", "county"))
    assert FilterPanel(df, lang="zh").controls["level"].options[0] == ("省级", "provincial")
    assert {v for _, v in panel.controls["province"].options} == {"湖北省", "河北省", "四川省", "重庆市"}
    # every control that has the trait reports only completed changes
    for control in panel.controls.values():
        if "continuous_update" in control.keys:
            assert control.continuous_update is False


def test_panel_filters_only_what_exists_and_says_what_is_missing():
    df = reports()[["year", "level", "new"]]
    assert list(FilterPanel(df).controls) == ["year", "level"]
    with pytest.raises(KeyError, match="province"):
        FilterPanel(df, filters=["province"])
    renamed = df.rename(columns={"level": "gov_level"})
    assert "level" in FilterPanel(renamed, columns={"level": "gov_level"}).controls


def test_mask_is_vectorised_and_matches_pandas():
    df = reports()
    panel = FilterPanel(df)
    assert panel.mask(df).all()  # nothing selected: everything
    panel.set(year=(2020, 2021), level=["county"], province=("湖北省", "重庆市"))
    expected = df.year.between(2020, 2021) & (df.level == "county") & df.province.isin(["湖北省", "重庆市"])
    assert isinstance(panel.mask(df), np.ndarray)
    assert (panel.mask(df) == expected.to_numpy()).all()
    assert panel.describe() == "year=2020-2021, province=湖北省,重庆市, level=county"
    panel.reset()
    assert panel.mask(df).all() and panel.describe() == "all"


def test_set_refuses_unknown_filters_and_values():
    panel = FilterPanel(reports())
    with pytest.raises(TypeError, match="applicant"):
        panel.set(applicant="total")
    with pytest.raises(ValueError, match="village"):
        panel.set(province=["湖北省"], level=["village"])
    assert panel.values["province"] == ()  # nothing changed: every value is checked first
    with pytest.raises(ValueError, match="outside"):
        panel.set(year=(2000, 2030))


def test_applicant_dropdown():
    df = reports()
    panel = FilterPanel(df, applicant=True, lang="en")
    control = panel.controls["applicant"]
    assert isinstance(control, w.Dropdown) and control.value == "total"
    assert ("Natural persons", "natural_person") in control.options
    long = pd.DataFrame({"year": [2021] * 3, "applicant": ["natural_person", "total", "commercial"], "value": [1, 2, 3]})
    panel = FilterPanel(long, applicant=True)
    assert panel.values["applicant"] == "total"
    assert panel.mask(long).tolist() == [False, True, False]
    panel.set(applicant="commercial")
    assert panel.mask(long).tolist() == [False, False, True]


# ---------------------------------------------------------------------------
# Dashboard
# ---------------------------------------------------------------------------


class CountingBatch:
    """Wraps FigureWidget.batch_update to count outermost uses (plotly nests its own inside)."""

    def __init__(self, monkeypatch):
        self.entered = 0
        self.depth = 0
        real = go.FigureWidget.batch_update
        outer = self

        @contextlib.contextmanager
        def batch_update(fig):
            outer.entered += outer.depth == 0
            outer.depth += 1
            try:
                with real(fig):
                    yield
            finally:
                outer.depth -= 1

        monkeypatch.setattr(go.FigureWidget, "batch_update", batch_update)

    @property
    def in_batch(self):
        return self.depth > 0


def test_dashboard_updates_one_figure_in_place(monkeypatch):
    batches = CountingBatch(monkeypatch)
    rebuilt = []
    real_init = go.FigureWidget.__init__

    def counting_init(self, *a, **k):
        rebuilt.append(1)
        real_init(self, *a, **k)

    monkeypatch.setattr(go.FigureWidget, "__init__", counting_init)
    df = reports()
    dash = Dashboard(df, by_level_figure, by_level)
    fig, trace = dash.figure, dash.figure.data[0]
    assert isinstance(fig, go.FigureWidget) and len(rebuilt) == 1
    assert fig.layout.title.text == f"n = {len(df)}"
    before = list(trace.y)
    n_batches = batches.entered

    dash.set_filters(level=["county"], year=(2020, 2021))  # two controls, one update
    assert batches.entered == n_batches + 1
    assert dash.figure is fig and dash.figure.data[0] is trace  # same widget, same trace objects
    assert len(rebuilt) == 1  # never rebuilt
    subset = df[df.year.between(2020, 2021) & (df.level == "county")]
    assert list(trace.y) != before
    assert list(trace.y) == [0, 0, 0, int(subset.new.sum()), 0]
    assert fig.layout.title.text == f"n = {len(subset)}"
    assert dash.last_update_ms is not None and dash.last_update_ms > 0


def test_widget_changes_drive_the_same_callback(monkeypatch):
    batches = CountingBatch(monkeypatch)
    seen = []

    def update(subset, filters):
        assert batches.in_batch is False  # data computed outside, assigned inside batch_update
        seen.append(dict(filters))
        return by_level(subset, filters)

    dash = Dashboard(reports(), by_level_figure, update)
    dash.panel.controls["province"].value = ("湖北省",)  # as a click in the browser would
    assert seen[-1]["province"] == ("湖北省",)
    assert dash.update_count == 2 and batches.entered == 2


def test_assert_updates_is_the_nbval_check():
    dash = Dashboard(reports(), by_level_figure, by_level)
    assert dash.assert_updates(level=["county"]) == "level=county: figure data updated in place (1 traces)"
    with pytest.raises(AssertionError, match="did not change"):
        dash.assert_updates(level=["county"])  # same filter again: same data


def test_update_must_return_one_entry_per_trace():
    with pytest.raises(ValueError, match="2 trace updates for 1 traces"):
        Dashboard(reports(), by_level_figure, lambda s, f: [{"y": [1]}, {"y": [2]}])


def test_display_bundle_is_short_and_stable():
    dash = Dashboard(reports(), by_level_figure, by_level)
    bundle = dash._repr_mimebundle_()
    assert bundle["text/plain"] == "Dashboard(1 traces, filters: year, province, level, agency_kind, template; 2000 rows)"
    assert "application/vnd.jupyter.widget-view+json" in bundle
    assert dash.widget.children[1] is dash.figure


def test_update_latency_at_100k_reports():
    dash = Dashboard(reports(100_000), by_level_figure, by_level)
    times = []
    for level in (["county"], ["prefecture"], ["county", "provincial"]):
        dash.set_filters(level=level)
        times.append(dash.last_update_ms)
    assert min(times) < 150, times  # the benchmark's target, measured in the kernel


def test_save_exports_the_current_view(monkeypatch):
    from ogi import figures

    calls = []
    monkeypatch.setattr(figures, "save_figure", lambda fig, name, **kw: calls.append((fig, name, kw)) or {})
    dash = Dashboard(reports(), by_level_figure, by_level)
    dash.set_filters(level=["county"])
    dash.save("by-level", width=500)
    fig, name, kw = calls[0]
    assert fig is dash.figure and name == "by-level" and kw == {"width": 500}


# ---------------------------------------------------------------------------
# Notebooks: committed clean; nbval strict passes with our conftest and sanitize file
# ---------------------------------------------------------------------------


def dirty_notebook():
    nb = nbformat.v4.new_notebook()
    nb.metadata.update({
        "widgets": {"application/vnd.jupyter.widget-state+json": {"state": {"x": {}}}},
        "kernelspec": {"name": "python3", "display_name": "Python 3.11 (venv)", "language": "python"},
        "language_info": {"name": "python", "version": "3.11.9"},
        "papermill": {"start_time": "2026-01-01T00:00:00"},
    })
    cell = nbformat.v4.new_code_cell("print(1)", metadata={
        "tags": ["parameters"], "execution": {"iopub.execute_input": "2026-01-01T00:00:00Z"}, "scrolled": True})
    cell.outputs = [
        nbformat.v4.new_output("stream", name="stdout", text="1\n"),
        nbformat.v4.new_output("stream", name="stderr", text="Loading model cost 0.6 seconds.\n"),
        nbformat.v4.new_output("display_data", data={
            "text/plain": "Dashboard(...)",
            "application/vnd.jupyter.widget-view+json": {"model_id": "ab" * 16, "version_major": 2}}),
    ]
    nb.cells = [nbformat.v4.new_markdown_cell("# Title"), cell]
    return nb


def test_clean_strips_widget_state_and_run_metadata(tmp_path):
    nb = dirty_notebook()
    assert not notebooks.is_clean(nb)
    assert notebooks.clean(nb) is True
    assert "widgets" not in nb.metadata and "papermill" not in nb.metadata
    assert nb.metadata.kernelspec.display_name == "Python 3 (ipykernel)"
    assert nb.metadata.language_info == {"name": "python"}
    cell = nb.cells[1]
    assert cell.metadata == {"tags": ["parameters"]}
    assert [o.get("name") for o in cell.outputs] == ["stdout", None]  # stderr dropped
    assert cell.outputs[1].data == {"text/plain": "Dashboard(...)"}
    assert notebooks.clean(nb) is False and notebooks.is_clean(nb)  # idempotent
    nbformat.validate(nb)

    path = tmp_path / "n.ipynb"
    nbformat.write(dirty_notebook(), path)
    script = ROOT / "scripts" / "clean_notebook.py"
    check = subprocess.run([sys.executable, str(script), "--check", str(path)], capture_output=True, text=True)
    assert check.returncode == 1 and "needs cleaning" in check.stdout  # the script runs as documented
    assert not notebooks.is_clean(nbformat.read(path, as_version=4))  # --check wrote nothing
    assert notebooks.main([str(path)]) == 0
    assert notebooks.is_clean(nbformat.read(path, as_version=4))
    assert notebooks.main(["--check", str(path)]) == 0


def committed_notebooks():
    return sorted(p for p in paths.NOTEBOOKS.glob("*.ipynb") if ".ipynb_checkpoints" not in p.parts)


@pytest.mark.parametrize("path", committed_notebooks() or [None], ids=lambda p: p.name if p else "none-yet")
def test_committed_notebooks_are_clean(path):
    if path is None:
        pytest.skip("no notebooks yet")
    nb = nbformat.read(path, as_version=4)
    assert "widgets" not in nb.metadata, f"{path.name}: run scripts/clean_notebook.py"
    assert notebooks.is_clean(nb), f"{path.name}: run scripts/clean_notebook.py"


def test_nbval_plugin_skips_volatile_output_types(tmp_path):
    class Collector:  # what nbval's IPyNbFile looks like to the hook
        path = tmp_path / "01-x.ipynb"
        skip_compare = ("metadata", "application/vnd.jupyter.widget-view+json")

    c = Collector()
    notebooks.pytest_collectstart(c)
    assert {"application/vnd.plotly.v1+json", "text/html", "stderr"} <= set(c.skip_compare)
    assert c.skip_compare.count("application/vnd.jupyter.widget-view+json") == 1
    assert "text/plain" not in c.skip_compare  # the regression signal stays

    class PyFile:
        path = tmp_path / "test_x.py"

    notebooks.pytest_collectstart(PyFile())  # other collectors untouched, no error


def test_sanitize_file_masks_volatile_text_but_not_data():
    from nbval.plugin import get_sanitize_patterns

    patterns = get_sanitize_patterns((ROOT / "tests" / "nbval_sanitize.cfg").read_text(encoding="utf-8"))
    assert len(patterns) >= 8

    def sanitize(s):
        for regex, replace in patterns:
            s = re.sub(regex, replace, s)
        return s

    volatile = {
        "'uid': '3657a14c-73b9-4c5c-8675-2e1f21501ed1'": "'uid': '<UUID>'",
        "<Foo object at 0x7f3a2b1c4d90>": "<Foo object at 0xADDRESS>",
        "Dumping model to file cache /tmp/jieba.cache": "Dumping model to file cache <TMP>",
        "{'svg': PosixPath('/srv/clone/figures/a.svg')}": "{'svg': PosixPath('<ROOT>/figures/a.svg')}",
        "run at 2024-05-01T12:00:03.123+08:00": "run at <DATETIME>",
        "Loading model cost 0.693 seconds.": "Loading model cost <TIME>.",
        "Wall time: 1.2 s; filter -> figure 12.3 ms": "Wall time: <TIME>; filter -> figure <TIME>",
        "'model_id': '3b92b1d0f27c47b8b6662c27fcaf5149'": "'model_id': '<MODEL-ID>'",
    }
    for text, expected in volatile.items():
        assert sanitize(text) == expected
    data = "report a24b6662cf75509f published 2022-01-15: 1990s, 2019, 3 sections, 12 requests, https://x.org/a/data/b"
    assert sanitize(data) == data


DEMO_CELLS = [
    "lang = 'en'  # parameters",
    """\
    import numpy as np, pandas as pd, plotly.graph_objects as go
    from ogi import plots, theme
    from ogi.widgets import Dashboard
    plots.setup_notebook(lang)
    rng = np.random.default_rng(1)
    df = pd.DataFrame({"year": rng.integers(2019, 2024, 500),
                       "level": pd.Categorical(rng.choice(["county", "prefecture"], 500)),
                       "new": rng.poisson(3, 500)})
    levels = theme.order("level", "code")""",
    """\
    df.groupby("level", observed=True)["new"].sum()""",
    """\
    fig = go.Figure([go.Bar(x=theme.order("level"), y=[0] * len(levels))])
    def update(sub, filters):
        return [{"y": sub.groupby("level", observed=False)["new"].sum().reindex(levels, fill_value=0).to_numpy()}]
    dash = Dashboard(df, fig, update)
    dash""",
    "go.Figure(dash.figure)",
    "print(dash.assert_updates(level=['county'], year=(2020, 2022)))",
    "print(f'{dash.last_update_ms:.2f} ms', object())",
]


@pytest.mark.slow
def test_strict_nbval_passes_on_a_dashboard_notebook_and_catches_a_changed_table(tmp_path):
    """Execute a small dashboard notebook, clean it, and run strict ``pytest --nbval`` with our settings."""
    from nbclient import NotebookClient

    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(textwrap.dedent(src)) for src in DEMO_CELLS]
    nb.cells[0].metadata["tags"] = ["parameters"]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    NotebookClient(nb, kernel_name="python3", timeout=120).execute()
    assert "widgets" in nb.metadata  # the kernel saved widget state ...
    notebooks.clean(nb)  # ... which we do not commit
    work = tmp_path / "nb"
    work.mkdir()
    nbformat.write(nb, work / "demo.ipynb")
    args = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "ogi.notebooks", "--rootdir", str(work),
            "--nbval", "--nbval-current-env", "--nbval-sanitize-with", str(ROOT / "tests" / "nbval_sanitize.cfg"),
            str(work / "demo.ipynb")]
    run = subprocess.run(args, capture_output=True, text=True, cwd=work)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-2000:]
    assert f"{len(DEMO_CELLS)} passed" in run.stdout

    # strict: a changed number in a small printed table fails the run
    table = nb.cells[2].outputs[0]
    table.data["text/plain"] = re.sub(r"(county\s+)(\d+)", lambda m: f"{m[1]}{int(m[2]) + 1}", table.data["text/plain"])
    nbformat.write(nb, work / "demo.ipynb")
    run = subprocess.run(args, capture_output=True, text=True, cwd=work)
    assert run.returncode == 1 and "1 failed" in run.stdout, run.stdout[-3000:]
