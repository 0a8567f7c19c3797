"""What to write in a paper's methods section: the tool's versions and the corpus the tables came from.

A result is identified by three things (README, "Cite the exact version"): the
library's version, the parser's (its output changes between versions), and the
corpus fingerprint in ``BUILD.json`` (every input file's hash, with the parser
and table versions). ``cite`` puts them in one sentence; ``CITATION.cff`` at
the repository's root gives the software reference itself.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Optional

from . import __version__, paths
from .parse import PARSER_VERSION


def cite(processed: str | Path | None = None) -> str:
    """A sentence naming the versions and the corpus behind a result, for a methods section or a footnote.

    Parameters
    ----------
    processed : path, optional
        The folder of built tables (default ``data/processed``). Without a
        build record the sentence names the versions only, and says so.
    """
    from . import regions

    folder = Path(processed) if processed is not None else paths.PROCESSED
    text = (f"Reports were parsed with ogi-notebooks {__version__} (parser {PARSER_VERSION}; administrative "
            f"divisions: {regions.data_version()})")
    info = _build_record(folder)
    if info is None:
        return text + f"; no built corpus was found in {folder}."
    status = info.get("status") or {}
    counted = sum(n for s, n in status.items() if s in ("ok", "partial"))
    parts = ", ".join(f"{n:,} {s}" for s, n in sorted(status.items(), key=lambda kv: (-kv[1], kv[0])))
    fp = str(info.get("fingerprint") or "")
    built = "" if info.get("parser_version") == PARSER_VERSION else (
        f", built by parser {info.get('parser_version')}")
    # a build during which files changed or a worker was lost: its tables are not those of the files
    caveat = "" if not fp.startswith("incomplete:") else (
        "; the build was incomplete (files changed while it read them): build again before citing it")
    return (text + f". The corpus holds {info.get('files', 0):,} files ({parts}); {counted:,} reports were "
            f"read (status ok or partial); corpus fingerprint {fp.split(':')[-1][:16]}{built} (BUILD.json)"
            f"{caveat}.")


def _build_record(folder: Path) -> Optional[dict]:
    try:
        info = json.loads((folder / "BUILD.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return info if isinstance(info, dict) else None
