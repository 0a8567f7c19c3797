"""Shared fixtures: the seed reports and their hand-read truth."""

import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
RAW = ROOT / "data" / "raw"
TRUTH = Path(__file__).parent / "fixtures" / "truth"


def seed_names():
    return sorted(p.stem for p in TRUTH.glob("*.json"))


@pytest.fixture(params=seed_names())
def seed(request):
    """(path, truth) for each seed report."""
    name = request.param
    return RAW / f"{name}.txt", json.loads((TRUTH / f"{name}.json").read_text(encoding="utf-8"))


@pytest.fixture
def figure_widgets_made(monkeypatch):
    """A list that grows by one each time a plotly FigureWidget is created (dashboards build exactly one)."""
    import plotly.graph_objects as go

    made = []
    real = go.FigureWidget.__init__

    def counting(self, *a, **k):
        made.append(1)
        real(self, *a, **k)

    monkeypatch.setattr(go.FigureWidget, "__init__", counting)
    return made
