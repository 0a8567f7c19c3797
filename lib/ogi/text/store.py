"""The text tables of a corpus, computed once and kept as Parquet beside the corpus tables.

``load_text(corpus)`` returns what ``text_tables(sections, reports)`` returns
(statements, statement_themes, keywords, similar_pairs, repeats, themes), read
from ``<processed>/text/`` when they were made from the same corpus with the
same text code and lexicons, and computed (then written) otherwise.
Segmentation is the slow step, so a notebook opened again on an unchanged
corpus never segments.

What the cache key holds, and why:

- the corpus fingerprint (``BUILD.json``; every input file's hash, the parser
  and table versions), so a rebuilt corpus with other reports gives new tables;
- the text version: the tokenizer's version (jieba version, HMM flag, user
  dictionary: ``tokenize.lexicon_version``), the sha256 of every lexicon file
  (stopwords and the theme codebook change keywords and themes without
  changing tokens), and the sha256 of the source files the tables are made by
  (``ogi/text/*.py`` and ``ogi/parse/sections.py``). Hashing the code rather
  than trusting a version number to be bumped is what ``corpus.rows_key``
  does too: an edit to the statement splitter must not leave stale statements;
- the ``text_tables`` options.

Layout::

    <processed>/text/TEXT.json              key, fingerprint, text version, each file's sha256, categories
    <processed>/text/<table>.parquet        one per table

Every file is written to a temporary name and renamed (``os.replace``), the
manifest last: an interrupted write leaves a manifest that does not match
the files, and the next call computes again. Tables are sorted by their
primary key (``text_tables`` does) and Parquet files carry no timestamps, so
the same inputs give byte-identical files. One writer at a time per folder
(an advisory lock).
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any, Optional

import pandas as pd

from . import themes as _themes
from . import tokenize as _tokenize
from ..corpus import _lock  # one writer at a time per folder, as for the corpus tables
from .tables import SCHEMAS, text_tables, validate

__all__ = ["MANIFEST", "STORE_VERSION", "TextTables", "load_text", "text_key", "text_version"]

#: Bump when the layout of the stored files changes.
STORE_VERSION = "1"
MANIFEST = "TEXT.json"
FOLDER = "text"
_HERE = Path(__file__).resolve().parent
#: Source files of this package that do not shape the tables (presentation and this store).
_NOT_TABLE_CODE = {"store.py", "explore.py", "dashboard.py", "__init__.py"}


# --------------------------------------------------------------------------- the key


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def text_version() -> str:
    """What the text tables depend on besides the corpus: tokenizer, lexicons and table code (16 hex digits)."""
    h = hashlib.sha256(f"store {STORE_VERSION}|tokenizer {_tokenize.TOKENIZER_VERSION}|"
                       f"lexicon {_tokenize.lexicon_version()}\n".encode())
    files = sorted(p for p in _tokenize.LEXICON.iterdir() if p.is_file() and not p.name.startswith("."))
    files += sorted(p for p in _HERE.glob("*.py") if p.name not in _NOT_TABLE_CODE)
    files += [_HERE.parent / "parse" / "sections.py"]  # split_problems: reports whose parts were not split
    for p in files:
        if p.is_file():
            h.update(f"{p.parent.name}/{p.name}\t{_sha256(p)}\n".encode())
    return h.hexdigest()[:16]


def _content_fingerprint(sections: pd.DataFrame, reports: pd.DataFrame) -> str:
    """A fingerprint for a corpus given as plain frames (no ``BUILD.json``): a hash of the columns used."""
    h = hashlib.sha256(b"frames\n")
    for df, cols in ((sections, ["report_id", "section", "part", "text"]),
                     (reports, [c for c in ("report_id", "agency_key", "year", "level", "agency_kind", "province")
                                if c in reports.columns])):
        part = df[cols].astype("string").sort_values(cols, kind="mergesort").reset_index(drop=True)
        h.update(pd.util.hash_pandas_object(part, index=False).to_numpy().tobytes())
    return h.hexdigest()


def text_key(fingerprint: str, options: Mapping[str, Any] | None = None) -> str:
    """The cache key: corpus fingerprint, text version and ``text_tables`` options."""
    opts = json.dumps(dict(sorted((options or {}).items())), sort_keys=True, default=list)
    return hashlib.sha256(f"{fingerprint}\n{text_version()}\n{opts}".encode()).hexdigest()[:24]


# --------------------------------------------------------------------------- the result


class TextTables(Mapping):
    """The text tables of one corpus: ``text.statements`` or ``text["statements"]``.

    Attributes
    ----------
    statements, statement_themes, keywords, similar_pairs, repeats, themes : DataFrame
        As ``ogi.text.text_tables`` returns them (schemas in ``ogi.text.SCHEMAS``).
        ``repeat_shares`` is another name for ``repeats``.
    reports : DataFrame
        The corpus's ``reports`` table (not stored here; it is the corpus's own), so that
        the tables can be grouped by year, province, level and agency kind.
    info : dict
        ``key``, ``fingerprint``, ``text_version``, ``codebook_version`` and ``cached``
        (True when read from disk, False when computed by this call).
    """

    def __init__(self, frames: Mapping[str, pd.DataFrame], reports: pd.DataFrame, info: Mapping[str, Any]):
        self._frames = dict(frames)
        self.reports = reports
        self.info = dict(info)

    def __getitem__(self, name: str) -> pd.DataFrame:
        if name == "repeat_shares":
            name = "repeats"
        return self._frames[name]

    def __getattr__(self, name: str) -> pd.DataFrame:
        frames = self.__dict__.get("_frames", {})
        if name in frames or name == "repeat_shares":
            return self[name]
        raise AttributeError(name)

    def __iter__(self) -> Iterator[str]:
        return iter(self._frames)

    def __len__(self) -> int:
        return len(self._frames)

    def __repr__(self) -> str:
        rows = ", ".join(f"{name} ({len(df)} rows)" for name, df in self._frames.items())
        return f"<ogi.text.TextTables: {rows}>"


# --------------------------------------------------------------------------- reading and writing


def _write(folder: Path, frames: Mapping[str, pd.DataFrame], meta: Mapping[str, Any]) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    tables: dict[str, Any] = {}
    for name, df in frames.items():
        target = folder / f"{name}.parquet"
        tmp = folder / f".{name}.parquet.tmp{os.getpid()}"
        try:
            # no index, zstd, no timestamps in the file: the same frame gives the same bytes
            pq.write_table(pa.Table.from_pandas(df, preserve_index=False), str(tmp), compression="zstd")
            digest, size = _sha256(tmp), tmp.stat().st_size
            os.replace(tmp, target)
        finally:
            if tmp.exists():
                tmp.unlink()
        cats = {c: [str(v) for v in df[c].cat.categories] for c in df.columns
                if isinstance(df[c].dtype, pd.CategoricalDtype)}
        tables[name] = {"file": target.name, "sha256": digest, "bytes": size, "rows": int(len(df)),
                        "categories": cats}
    manifest = {**meta, "tables": tables}
    tmp = folder / f".{MANIFEST}.tmp{os.getpid()}"
    tmp.write_text(json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    os.replace(tmp, folder / MANIFEST)


def _read(folder: Path, key: str) -> Optional[dict[str, pd.DataFrame]]:
    """The stored tables if the manifest has this key and every file is the one it names; else None."""
    import pyarrow.parquet as pq

    try:
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    tables = manifest.get("tables") or {}
    if manifest.get("key") != key or set(tables) != set(SCHEMAS):
        return None
    frames = {}
    for name in SCHEMAS:
        entry, path = tables[name], folder / tables[name]["file"]
        try:
            if path.stat().st_size != entry["bytes"] or _sha256(path) != entry["sha256"]:
                return None
            df = pq.read_table(str(path)).to_pandas()
        except (OSError, ValueError):
            return None
        for col, cats in entry.get("categories", {}).items():  # the declared categories, unused ones too
            df[col] = pd.Categorical(df[col].astype("string"), categories=cats)
        try:
            validate(df, name)
        except ValueError:
            return None
        frames[name] = df
    return frames


# --------------------------------------------------------------------------- load_text


def _corpus_frames(corpus: Any) -> tuple[pd.DataFrame, pd.DataFrame]:
    return corpus["sections"], corpus["reports"]


def load_text(corpus: Any = None, processed: str | os.PathLike | None = None, *, rebuild: bool = False,
              **options) -> TextTables:
    """The text tables of a corpus, from ``<processed>/text/`` when they are current, else computed and stored.

    Parameters
    ----------
    corpus : ogi.Corpus or mapping of DataFrames, optional
        Needs ``sections`` and ``reports``. Default: ``ogi.load()`` (the bundled sample unless
        ``OGI_RAW``/``OGI_PROCESSED`` say otherwise), or ``ogi.load(processed=processed,
        rebuild="never")`` when ``processed`` is given.
    processed : path-like, optional
        The corpus folder; the tables go to its ``text/`` subfolder. Default: the corpus's own
        folder. A plain mapping without a folder is computed in memory and not stored.
    rebuild : bool
        Compute and write even when the stored tables are current.
    **options
        Passed to ``text_tables`` (``groups``, ``k``, ``threshold``, ``similarity_sections``);
        they are part of the cache key.

    Returns
    -------
    TextTables
        The tables, the corpus's ``reports``, and ``info`` (key, versions, whether read from disk).
    """
    if corpus is None:
        from ..corpus import load

        corpus = load(verbose=False) if processed is None else load(processed=processed, rebuild="never")
    sections, reports = _corpus_frames(corpus)
    folder_of_corpus = getattr(corpus, "processed", None)
    base = Path(processed) if processed is not None else (Path(folder_of_corpus) if folder_of_corpus else None)
    fingerprint = str((getattr(corpus, "info", None) or {}).get("fingerprint") or "")
    if not fingerprint or fingerprint.startswith("incomplete:"):
        fingerprint = "content:" + _content_fingerprint(sections, reports)
    key = text_key(fingerprint, options)
    meta = {"key": key, "fingerprint": fingerprint, "text_version": text_version(),
            "codebook_version": _themes.codebook_version(), "store_version": STORE_VERSION,
            "options": {k: (list(v) if isinstance(v, (list, tuple)) else v) for k, v in sorted(options.items())}}
    if base is None:
        frames = text_tables(sections, reports, **options)
        return TextTables(frames, reports, {**_public(meta), "cached": False})
    folder = base / FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    with _lock(folder):
        frames = None if rebuild else _read(folder, key)
        cached = frames is not None
        if frames is None:
            frames = text_tables(sections, reports, **options)
            _write(folder, frames, meta)
    return TextTables(frames, reports, {**_public(meta), "cached": cached})


def _public(meta: Mapping[str, Any]) -> dict[str, Any]:
    return {k: meta[k] for k in ("key", "fingerprint", "text_version", "codebook_version")}
