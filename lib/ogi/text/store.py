"""The text tables of a corpus, computed once, batch by batch, and kept as Parquet beside the corpus tables.

``update_text(processed)`` computes them from a built corpus folder (``ogi text``;
the corpus build calls it) without holding any table whole: ``ogi.text.stream``
reads ``sections`` a batch of reports at a time and writes each table a row
group at a time. A report already in the previous text tables (same report id,
parser rows and text code) keeps its statements, tokens and themes, and the
normalised texts and MinHash signatures of its sections (``ogi.text.signatures``);
what spans reports (keywords, copies, repeats, similar pairs) is recomputed from them.

``load_text(corpus)`` returns the tables (``TextTables``), read from
``<processed>/text/`` when they were made from the same corpus with the same
text code and lexicons, and computed (then written) otherwise; on a large
corpus the computation runs in a child process, so a notebook kernel only ever
holds what it reads. Tables are read on first use, and a notebook reads the
large ones (``similar_pairs``) a row group at a time through
``TextTables.batches``, never whole.

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
- the ``text_tables`` options that change the tables (``KEY_OPTIONS``).

Layout::

    <processed>/text/TEXT.json              key, fingerprint, text version, rows key, each file's sha256
    <processed>/text/<table>.parquet        one per table, a row group per batch
    <processed>/text/section_signatures.parquet   each report's sections normalised and signed, for the
                                                  next update (not a table; in the manifest's ``caches``)

Every file is written to a temporary name and renamed (``os.replace``), the
manifest last: an interrupted write leaves a manifest that does not match
the files, and the next call computes again. Tables are sorted by their
primary key and Parquet files carry no timestamps, so the same inputs give
byte-identical files. One writer at a time per folder (an advisory lock).
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Optional

import pandas as pd

from . import fresh as _fresh
from . import themes as _themes
from .fresh import FOLDER, MANIFEST, STATE, TextUpdate
from . import tokenize as _tokenize
from ..corpus import _lock, files_intact  # one writer per folder and one check of stored files, as for the corpus
from .tables import SCHEMAS, from_arrow, text_tables, validate

__all__ = ["KEY_OPTIONS", "MANIFEST", "STORE_VERSION", "TextTables", "TextUpdate", "load_text", "text_key",
           "text_version", "update_text"]

#: Bump when the layout of the stored files changes.
STORE_VERSION = "2"
#: The ``text_tables`` options that change the tables (``processes`` and ``cache`` do not).
KEY_OPTIONS = ("groups", "k", "similarity_sections", "threshold")
#: ``load_text`` computes in a child process from this many reports on (see ``load_text``'s ``isolate``).
ISOLATE_FROM = 20_000
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
    opts = json.dumps({k: v for k, v in sorted((options or {}).items()) if k in KEY_OPTIONS}, sort_keys=True,
                      default=list)
    return hashlib.sha256(f"{fingerprint}\n{text_version()}\n{opts}".encode()).hexdigest()[:24]


# --------------------------------------------------------------------------- the result


class TextTables(Mapping):
    """The text tables of one corpus: ``text.statements`` or ``text["statements"]``, read on first use.

    Attributes
    ----------
    statements, statement_themes, keywords, similar_pairs, repeats, copies, themes : DataFrame
        As ``ogi.text.text_tables`` returns them (schemas in ``ogi.text.SCHEMAS``).
        ``repeat_shares`` is another name for ``repeats``. Stored tables are read when first
        asked for; ``batches`` and ``arrow`` read part of one without building the frame.
    reports : DataFrame
        The corpus's ``reports`` table (not stored here; it is the corpus's own), so that
        the tables can be grouped by year, province, level and agency kind.
    info : dict
        ``key``, ``fingerprint``, ``text_version``, ``codebook_version`` and ``cached``
        (True when read from disk, False when computed by this call).
    """

    def __init__(self, frames: Mapping[str, pd.DataFrame], reports: pd.DataFrame, info: Mapping[str, Any],
                 files: Optional[Mapping[str, Path]] = None):
        self._frames = dict(frames)
        self._files = dict(files or {})
        self.reports = reports
        self.info = dict(info)

    def __getitem__(self, name: str) -> pd.DataFrame:
        if name == "repeat_shares":
            name = "repeats"
        if name not in self._frames:
            if name not in self._files:
                raise KeyError(name)
            import pyarrow.parquet as pq

            df = from_arrow(pq.read_table(self._files[name]), name)
            validate(df, name, key=False)  # the file's sha256 was checked; the key is unique by construction
            self._frames[name] = df
        return self._frames[name]

    def __getattr__(self, name: str) -> pd.DataFrame:
        d = self.__dict__
        if name in d.get("_frames", {}) or name in d.get("_files", {}) or name == "repeat_shares":
            return self[name]
        raise AttributeError(name)

    def __iter__(self) -> Iterator[str]:
        return iter(dict.fromkeys([*self._files, *self._frames]))

    def __len__(self) -> int:
        return len(set(self._files) | set(self._frames))

    def intact(self) -> bool:
        """Whether the stored files are still those read (size and modification time; in memory: always)."""
        try:
            return self.__dict__.get("_stamps", {}) == _stamps(self._files)
        except OSError:
            return False

    def shared(self, **info) -> "TextTables":
        """Another handle on the same tables, frames and derived arrays (``info`` updated): no second copy."""
        other = TextTables({}, self.reports, {**self.info, **info}, files=self._files)
        other._frames = self._frames
        other.__dict__["_explore"] = self.__dict__.setdefault("_explore", {})
        other.__dict__["_stamps"] = self.__dict__.get("_stamps", {})
        return other

    @property
    def loaded(self) -> set[str]:
        """The tables held in memory as frames."""
        return set(self._frames)

    def rows(self, name: str) -> int:
        """Rows of a table, without reading it."""
        if name in self._frames:
            return len(self._frames[name])
        import pyarrow.parquet as pq

        return pq.ParquetFile(self._files[name]).metadata.num_rows

    def arrow(self, name: str, columns: Optional[list[str]] = None):
        """Some columns of a table as a ``pyarrow.Table`` (categories as plain strings), not kept."""
        import pyarrow as pa
        import pyarrow.parquet as pq

        if name in self._frames or name not in self._files:
            df = self[name]
            return pa.Table.from_pandas(df[columns] if columns else df, preserve_index=False)
        return pq.read_table(self._files[name], columns=columns)

    def batches(self, name: str, columns: Optional[list[str]] = None,
                dictionary: Optional[list[str]] = None) -> Iterator[Any]:
        """A table's rows as ``pyarrow`` tables of at most a row group each, in key order (bounded memory).

        Columns named in ``dictionary`` come dictionary-encoded (a repeated string is decoded once).
        """
        import pyarrow.parquet as pq

        if name in self._frames or name not in self._files:
            yield self.arrow(name, columns)
            return
        f = pq.ParquetFile(self._files[name], read_dictionary=dictionary)
        for g in range(f.metadata.num_row_groups):
            yield f.read_row_group(g, columns=columns)

    def take(self, name: str, rows, columns: Optional[list[str]] = None):
        """Rows of a table by position (a ``pyarrow.Table``, in the order given), reading only their row groups."""
        import numpy as np
        import pyarrow as pa
        import pyarrow.parquet as pq

        rows = np.asarray(rows, dtype=np.int64)
        if name in self._frames or name not in self._files:
            return self.arrow(name, columns).take(pa.array(rows))
        f = pq.ParquetFile(self._files[name])
        sizes = [f.metadata.row_group(g).num_rows for g in range(f.metadata.num_row_groups)]
        starts = np.r_[0, np.cumsum(sizes)]
        order = np.argsort(rows, kind="stable")
        group = np.searchsorted(starts, rows[order], side="right") - 1
        parts = []
        for g in np.unique(group).tolist():
            local = rows[order][group == g] - starts[g]
            parts.append(f.read_row_group(g, columns=columns).take(pa.array(local)))
        if not parts:
            return f.schema_arrow.empty_table().select(columns) if columns else f.schema_arrow.empty_table()
        back = np.empty(len(rows), np.int64)
        back[order] = np.arange(len(rows))
        return pa.concat_tables(parts).take(pa.array(back))

    def read(self, name: str, columns: Optional[list[str]] = None) -> pd.DataFrame:
        """Some columns of a table as a typed DataFrame (the frame itself when it is already in memory)."""
        if name in self._frames or name not in self._files:
            df = self[name]
            return df[columns] if columns else df
        return from_arrow(self.arrow(name, columns), name)

    def __repr__(self) -> str:
        rows = ", ".join(f"{name} ({self.rows(name)} rows)" for name in self)
        return f"<ogi.text.TextTables: {rows}>"


# --------------------------------------------------------------------------- reading and writing


def _commit(folder: Path, tmp_files: Mapping[str, Path], meta: Mapping[str, Any],
            caches: Optional[Mapping[str, tuple[Path, str]]] = None) -> dict[str, Path]:
    """Rename the written files into place, then write the manifest naming them.

    ``caches``: name -> (written file, version) of what is kept for the next update, not a table.
    """
    tables: dict[str, Any] = {}
    kept: dict[str, Any] = {}
    for name, (tmp, version) in (caches or {}).items():
        target = folder / name
        digest, size = _sha256(tmp), tmp.stat().st_size
        os.replace(tmp, target)
        kept[name] = {"file": target.name, "sha256": digest, "bytes": size, "version": version}
    files = {}
    for name in SCHEMAS:
        tmp, target = tmp_files[name], folder / f"{name}.parquet"
        import pyarrow.parquet as pq

        rows = pq.ParquetFile(tmp).metadata.num_rows
        digest, size = _sha256(tmp), tmp.stat().st_size
        os.replace(tmp, target)
        tables[name] = {"file": target.name, "sha256": digest, "bytes": size, "rows": int(rows)}
        files[name] = target
    manifest = {**meta, "tables": tables, "caches": kept}
    tmp = folder / f".{MANIFEST}.tmp{os.getpid()}"
    tmp.write_text(json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    os.replace(tmp, folder / MANIFEST)
    return files


def _stamps(files: Mapping[str, Path]) -> dict:
    """Size and modification time of each file and of the manifest beside them."""
    paths = dict(files)
    if paths:
        paths[MANIFEST] = next(iter(paths.values())).parent / MANIFEST
    return {n: (p.stat().st_size, p.stat().st_mtime_ns) for n, p in paths.items()}


def _open(folder: Path, key: str) -> Optional[dict[str, Path]]:
    """The stored tables' files if the manifest has this key and every file is the one it names; else None."""
    manifest = _fresh.manifest(folder)
    if not manifest or manifest.get("key") != key or manifest.get("store_version") != STORE_VERSION:
        return None
    tables = manifest.get("tables") or {}
    if set(tables) != set(SCHEMAS):
        return None
    try:
        files = {name: folder / tables[name]["file"] for name in SCHEMAS}
        recorded = {name: (files[name], tables[name]["bytes"], tables[name]["sha256"]) for name in SCHEMAS}
    except (KeyError, TypeError):
        return None
    # verified by size and mtime when already hashed so (a corpus build checks them each time)
    return files if files_intact(recorded, folder / STATE) else None


def _previous(folder: Path, rows_key: Optional[str]):
    """The stored statements and themes, when they were made by this text code from rows of this parser;
    with the stored sections' signatures when they are intact and of this ``signatures.VERSION``."""
    from . import signatures
    from .stream import Previous

    manifest = _fresh.manifest(folder)
    if not rows_key or not manifest or manifest.get("rows_key") != rows_key or \
            manifest.get("store_version") != STORE_VERSION or manifest.get("text_version") != text_version():
        return None
    try:
        files = {}
        for name in ("statements", "statement_themes"):
            entry = manifest["tables"][name]
            path = folder / entry["file"]
            if path.stat().st_size != entry["bytes"] or _sha256(path) != entry["sha256"]:
                return None
            files[name] = path
    except (OSError, KeyError, TypeError, ValueError):
        return None
    try:
        entry = (manifest.get("caches") or {})[signatures.FILE]
        path = folder / entry["file"]
        ok = entry["version"] == signatures.VERSION and path.stat().st_size == entry["bytes"] and \
            _sha256(path) == entry["sha256"]
    except (OSError, KeyError, TypeError, ValueError):
        ok = False
    return Previous(files["statements"], files["statement_themes"], path if ok else None)


# --------------------------------------------------------------------------- computing


def _meta(key: str, fingerprint: str, options: Mapping[str, Any], rows_key: Optional[str]) -> dict:
    return {"key": key, "fingerprint": fingerprint, "text_version": text_version(),
            "codebook_version": _themes.codebook_version(), "store_version": STORE_VERSION, "rows_key": rows_key,
            "sources": _fresh.sources_digest(),
            "options": {k: (list(v) if isinstance(v, (list, tuple)) else v) for k, v in sorted(options.items())
                        if k in KEY_OPTIONS}}


def _compute(source: Any, dest: Path, meta: Mapping[str, Any], previous: Any, options: Mapping[str, Any],
             batch_reports: Optional[int], log: Optional[Callable[[str], None]]) -> tuple[dict[str, Path], dict]:
    """Run ``stream.compute`` into Parquet files in ``dest`` and commit them (the caller holds the lock)."""
    from . import signatures, stream

    sink = stream.ParquetSink(dest)
    signer = signatures.Signer(previous.signatures if previous is not None else None,
                               dest / f".{signatures.FILE}.tmp{os.getpid()}")
    try:
        stats = stream.compute(source, sink, previous=previous, signer=signer, log=log,
                               batch_reports=batch_reports or stream.BATCH_REPORTS, **options)
        files = _commit(dest, sink.close(), meta, {signatures.FILE: (signer.close(), signatures.VERSION)})
    except BaseException:
        sink.abort()
        signer.abort()
        raise
    finally:
        import shutil

        shutil.rmtree(sink.spill_dir, ignore_errors=True)
    stats["rows"] = dict(sink.rows)
    return files, stats


def update_text(processed: str | os.PathLike | None = None, *, out: str | os.PathLike | None = None,
                rebuild: bool = False, batch_reports: Optional[int] = None, processes: Optional[int] = None,
                cache: bool = True, log: Optional[Callable[[str], None]] = None, **options) -> TextUpdate:
    """Compute the text tables of a built corpus, incrementally, unless they are current.

    What the corpus build calls after writing its tables (and ``ogi text``). Reads the
    corpus's ``sections`` and ``reports`` Parquet files a batch of reports at a time;
    reuses the statements, tokens and themes of every report the previous text tables
    already hold (same report id, parser rows, text code and lexicons); recomputes
    keywords, repeats, similar pairs and copies from them; writes every table a batch
    at a time. Memory is bounded by the batch, a few integers per statement and the
    distinct statement texts, not by the size of any table.

    Parameters
    ----------
    processed : path-like, optional
        The corpus folder (``BUILD.json``, ``sections.parquet``, ``reports.parquet``);
        default ``paths.PROCESSED``.
    out : path-like, optional
        Where the ``text/`` folder goes (default: ``processed``).
    rebuild : bool
        Compute even when the stored tables are current (still reusing per-report rows).
    batch_reports : int, optional
        Reports per batch (default ``ogi.text.stream.BATCH_REPORTS``).
    processes, cache
        Passed to ``tokenize.segment``.
    log : callable, optional
        Receives progress lines.
    **options
        ``groups``, ``k``, ``similarity_sections``, ``threshold`` (see ``text_tables``).

    Returns
    -------
    TextUpdate
    """
    from .. import paths
    from .stream import ParquetSource

    t0 = time.perf_counter()
    folder = Path(processed if processed is not None else paths.PROCESSED)
    info = _fresh.build_info(folder)
    if not info:
        raise FileNotFoundError(f"no corpus tables in {folder} (no BUILD.json): run `ogi build` first")
    fingerprint = _fresh.fingerprint_of_build(info)
    key = text_key(fingerprint, options)
    dest = Path(out if out is not None else folder) / FOLDER
    dest.mkdir(parents=True, exist_ok=True)
    with _lock(dest):
        if not rebuild and _open(dest, key) is not None:
            return TextUpdate(dest, key, "fresh", seconds=time.perf_counter() - t0)
        meta = _meta(key, fingerprint, options, info.get("rows_key"))
        previous = _previous(dest, info.get("rows_key"))
        _, stats = _compute(ParquetSource(folder), dest, meta, previous, {**options, "processes": processes,
                                                                          "cache": cache}, batch_reports, log)
    return TextUpdate(dest, key, "computed", reports=stats["reports"], reused=stats["reused"],
                      statements=stats["statements"], rows=stats["rows"], seconds=time.perf_counter() - t0,
                      timings=stats["timings"])


# --------------------------------------------------------------------------- load_text


def load_text(corpus: Any = None, processed: str | os.PathLike | None = None, *, rebuild: bool = False,
              isolate: Optional[bool] = None, **options) -> TextTables:
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
    isolate : bool, optional
        Compute in a child process (``python -m ogi.cli text``), so that this process (a notebook
        kernel) never holds the computation's memory. Default: for a built corpus of at least
        ``ISOLATE_FROM`` reports.
    **options
        Passed to ``text_tables`` (``groups``, ``k``, ``threshold``, ``similarity_sections``,
        ``processes``, ``cache``); the first four are part of the cache key.

    Returns
    -------
    TextTables
        The tables (read on first use), the corpus's ``reports``, and ``info`` (key, versions,
        whether read from disk).
    """
    from .stream import FrameSource, ParquetSource

    if corpus is None:
        from ..corpus import load

        corpus = load(verbose=False) if processed is None else load(processed=processed, rebuild="never")
    folder_of_corpus = getattr(corpus, "processed", None)
    base = Path(processed) if processed is not None else (Path(folder_of_corpus) if folder_of_corpus else None)
    built = folder_of_corpus is not None and (Path(folder_of_corpus) / "sections.parquet").exists()
    info = _fresh.build_info(Path(folder_of_corpus)) if built else {}
    fingerprint = _fresh.fingerprint_of_build(info) if built else ""
    if not fingerprint:
        built = False
        fingerprint = "content:" + _content_fingerprint(corpus["sections"], corpus["reports"])
    key = text_key(fingerprint, options)
    held = getattr(corpus, "__dict__", {}).get("_ogi_text")  # asked for again (a chart, a dashboard): the same
    if not rebuild and processed is None and isinstance(held, TextTables) and held.info.get("key") == key \
            and held.reports is corpus["reports"] and held.intact():
        return held.shared(cached=True)
    meta = _meta(key, fingerprint, options, info.get("rows_key") if built else None)
    compute_opts = {k: v for k, v in options.items()}
    if base is None:
        frames = text_tables(corpus["sections"], corpus["reports"], **compute_opts)
        return TextTables(frames, corpus["reports"], {**_public(meta), "cached": False})
    dest = base / FOLDER
    dest.mkdir(parents=True, exist_ok=True)
    if isolate is None:
        isolate = int(info.get("files") or 0) >= ISOLATE_FROM
    isolate = bool(isolate and built)  # frames in memory are computed here
    with _lock(dest):
        files = None if rebuild else _open(dest, key)
        cached = files is not None
        if files is None and not isolate:
            source = ParquetSource(folder_of_corpus) if built else FrameSource(corpus["sections"], corpus["reports"])
            previous = _previous(dest, meta["rows_key"])
            files, _ = _compute(source, dest, meta, previous, compute_opts, None, None)
    if files is None:  # in a child process, which takes the lock itself
        _run_isolated(Path(folder_of_corpus), base, rebuild, compute_opts)
        files = _open(dest, key)
        if files is None:
            raise RuntimeError(f"the text tables computed in a child process for {folder_of_corpus} are not "
                               f"those asked for (key {key})")
    out = TextTables({}, corpus["reports"], {**_public(meta), "cached": cached}, files=files)
    out.__dict__["_stamps"] = _stamps(files)
    if hasattr(corpus, "__dict__") and processed is None:
        corpus.__dict__["_ogi_text"] = out  # what explore.as_text(corpus) looks for
    return out


def _run_isolated(folder: Path, out: Path, rebuild: bool, options: Mapping[str, Any]) -> None:
    cmd = [sys.executable, "-m", "ogi.cli", "text", "--processed", str(folder), "--out", str(out), "--quiet",
           "--options", json.dumps({k: (list(v) if isinstance(v, tuple) else v) for k, v in options.items()})]
    if rebuild:
        cmd.append("--rebuild")
    done = subprocess.run(cmd, capture_output=True, text=True)
    if done.returncode:
        raise RuntimeError(f"computing the text tables failed ({' '.join(cmd)}):\n{done.stderr[-4000:]}")


def _public(meta: Mapping[str, Any]) -> dict[str, Any]:
    return {k: meta[k] for k in ("key", "fingerprint", "text_version", "codebook_version")}


# --------------------------------------------------------------------------- command line
