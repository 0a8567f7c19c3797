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
