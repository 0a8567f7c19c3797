"""Every folder the project uses, derived from the project root in one place.

The root is the folder holding ``pyproject.toml`` above this package (an
editable install), or the current directory; ``OGI_ROOT`` overrides it, and
``OGI_RAW``, ``OGI_PROCESSED``, ``OGI_FIGURES`` override single folders.
"""

from __future__ import annotations

import os
from pathlib import Path


def _find_root() -> Path:
    env = os.environ.get("OGI_ROOT")
    if env:
        return Path(env).resolve()
    here = Path(__file__).resolve()
    for parent in here.parents:
        if (parent / "pyproject.toml").exists() and (parent / "lib" / "ogi").exists():
            return parent
    return Path.cwd().resolve()


ROOT = _find_root()
DATA = ROOT / "data"
RAW = Path(os.environ.get("OGI_RAW", DATA / "raw"))
PROCESSED = Path(os.environ.get("OGI_PROCESSED", DATA / "processed"))
FIGURES = Path(os.environ.get("OGI_FIGURES", ROOT / "figures"))
NOTEBOOKS = ROOT / "notebooks"
CACHE = Path(os.environ.get("OGI_CACHE", ROOT / ".cache"))
MANIFEST = RAW / "MANIFEST.tsv"
