"""Provenance of the raw reports: one row per file with its hash, size and source.

``data/raw`` is never rewritten by code; the manifest (``data/raw/MANIFEST.tsv``)
lets anyone check that the files are the ones the results were built from.
``ogi manifest`` verifies it; ``ogi manifest --add FILE... --source TEXT`` records
new files (it writes only the manifest, never a report).
"""

from __future__ import annotations

import csv
import hashlib
from dataclasses import dataclass
from pathlib import Path

from . import paths

COLUMNS = ("file", "sha256", "bytes", "source", "notes")


@dataclass
class Entry:
    file: str
    sha256: str
    bytes: int
    source: str
    notes: str = ""


def file_sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def read(manifest: Path = paths.MANIFEST) -> list[Entry]:
    if not manifest.exists():
        return []
    with open(manifest, encoding="utf-8", newline="") as fh:
        rows = csv.DictReader(fh, delimiter="\t")
        return [Entry(r["file"], r["sha256"], int(r["bytes"]), r["source"], r.get("notes") or "") for r in rows]


def write(entries: list[Entry], manifest: Path = paths.MANIFEST) -> None:
    manifest.parent.mkdir(parents=True, exist_ok=True)
    tmp = manifest.with_suffix(".tmp")
    with open(tmp, "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, delimiter="\t", lineterminator="\n")
        w.writerow(COLUMNS)
        for e in sorted(entries, key=lambda e: e.file):
            w.writerow([e.file, e.sha256, e.bytes, e.source, e.notes])
    tmp.replace(manifest)


def verify(raw: Path = paths.RAW, manifest: Path = paths.MANIFEST) -> list[str]:
    """Problems found: files changed, missing, or not recorded. Empty means all is well."""
    problems = []
    entries = {e.file: e for e in read(manifest)}
    for name, e in entries.items():
        p = raw / name
        if not p.exists():
            problems.append(f"{name}: in the manifest but missing")
        elif file_sha256(p) != e.sha256:
            problems.append(f"{name}: content changed (sha256 differs from the manifest)")
    for p in sorted(raw.rglob("*")):
        rel = p.relative_to(raw).as_posix()
        if p.is_file() and not p.name.startswith((".", "MANIFEST")) and rel not in entries:
            problems.append(f"{rel}: not recorded in the manifest")
    return problems


def add(files: list[Path], source: str, notes: str = "", raw: Path = paths.RAW,
        manifest: Path = paths.MANIFEST) -> list[Entry]:
    entries = {e.file: e for e in read(manifest)}
    added = []
    for f in files:
        p = Path(f)
        rel = p.resolve().relative_to(raw.resolve()).as_posix()
        e = Entry(rel, file_sha256(p), p.stat().st_size, source, notes)
        entries[rel] = e
        added.append(e)
    write(list(entries.values()), manifest)
    return added
