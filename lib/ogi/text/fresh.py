"""Are a corpus's stored text tables current? Answered without pandas or jieba.

A build with nothing changed still asks this (``ogi build`` ends with the text tables), and
importing the text code to compute its key cost 0.4–0.7 s of a 2–3 s no-change rebuild at
100,000 reports. The stored manifest (``TEXT.json``) also records ``sources``: a digest of
everything the text key depends on besides the corpus and the options — this package's source
files, the lexicons, ``parse/sections.py`` and jieba's version. When the corpus fingerprint, the
options and that digest are what they were, and the files are intact, the key is the same and
the tables are current; otherwise the full check (``store.update_text``) decides.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any, Mapping, Optional

FOLDER = "text"
MANIFEST = "TEXT.json"
#: Size, mtime and sha256 of each stored file when last verified (so a fresh check need not hash them).
STATE = "text.state.json"

_HERE = Path(__file__).resolve().parent


@dataclass
class TextUpdate:
    """What ``update_text`` did."""

    folder: Path
    key: str
    status: str  # "fresh" (nothing to do) or "computed"
    reports: int = 0
    reused: int = 0
    statements: int = 0
    rows: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    timings: dict[str, float] = field(default_factory=dict)

    def summary(self) -> str:
        if self.status == "fresh":
            return f"text tables in {self.folder} are up to date ({self.seconds:.1f} s)"
        return (f"text tables written to {self.folder} in {self.seconds:.1f} s: {self.reports:,} reports with a "
                f"problems section ({self.reused:,} reused), " +
                ", ".join(f"{n} {r:,}" for n, r in self.rows.items()))


def sources_digest() -> str:
    """A digest of what the text key depends on besides the corpus and the options (a superset of
    ``store.text_version``'s inputs: every source file of this package, the lexicons, the section
    splitter and jieba's version)."""
    h = hashlib.sha256()
    lexicon = _HERE.parent / "lexicon"
    files = sorted(p for p in lexicon.iterdir() if p.is_file() and not p.name.startswith("."))
    files += sorted(_HERE.glob("*.py")) + [_HERE.parent / "parse" / "sections.py"]
    for p in files:
        h.update(f"{p.parent.name}/{p.name}\t".encode() + hashlib.sha256(p.read_bytes()).digest())
    try:
        jieba = metadata.version("jieba")
    except metadata.PackageNotFoundError:
        jieba = "absent"
    h.update(f"jieba {jieba}".encode())
    return h.hexdigest()[:16]


def build_info(folder: Path) -> dict:
    """A corpus folder's ``BUILD.json`` ({} if none)."""
    try:
        return json.loads((folder / "BUILD.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def fingerprint_of_build(info: Mapping[str, Any]) -> str:
    """BUILD.json's fingerprint; for an incomplete build, the sha256 of the tables the text is made from."""
    fp = str(info.get("fingerprint") or "")
    if fp and not fp.startswith("incomplete:"):
        return fp
    tables = info.get("tables") or {}
    shas = [str((tables.get(t) or {}).get("sha256") or "") for t in ("sections", "reports")]
    if not all(shas):
        return ""
    return "tables:" + hashlib.sha256("\n".join(shas).encode()).hexdigest()


def manifest(folder: Path) -> Optional[dict]:
    try:
        return json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def current(processed: Path) -> Optional[TextUpdate]:
    """A "fresh" ``TextUpdate`` if the text tables stored under ``processed`` are those the default
    options would compute from its corpus tables now; ``None`` when this cannot tell (the full check
    then decides)."""
    from ..corpus import files_intact

    folder = Path(processed) / FOLDER
    stored = manifest(folder)
    fp = fingerprint_of_build(build_info(Path(processed)))
    if not stored or not fp or stored.get("fingerprint") != fp or stored.get("options") != {} \
            or not stored.get("sources") or stored.get("sources") != sources_digest():
        return None
    try:
        recorded = {name: (folder / t["file"], t["bytes"], t["sha256"]) for name, t in stored["tables"].items()}
    except (KeyError, TypeError, AttributeError):
        return None
    if not recorded or not files_intact(recorded, folder / STATE):
        return None
    return TextUpdate(folder, str(stored.get("key", "")), "fresh")
