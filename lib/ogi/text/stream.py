"""The text tables computed a batch of reports at a time, with bounded memory.

``compute(source, sink)`` reads the corpus's ``sections`` a batch of whole
reports at a time, in report-id order, and hands each table to the sink as it
is made::

    a batch of reports ─▶ statements, tokens, themes   (per report; reused from the previous tables
                      │                                  when the report and the text code are unchanged)
                      ├▶ keyword counts and document frequencies        (one count array per group)
                      └▶ the items compared for copying: their normalised texts, each distinct
                         text once, and a few integers per item; characters per report
    then ─▶ keywords (the counts ranked), repeats (per agency), similar pairs (per agency, then
            across agencies; spilled to disk in buckets of left item and written sorted),
            copies (per report), the theme codebook.

What is held for the whole corpus is a few integers per statement and report, the
distinct normalised texts, their MinHash signatures and the keyword counts; never a
whole table. The pairs of one agency are compared by distinct text (an agency that
repeats its statements every year has many items and few texts), so the time goes
with the pairs found, not with the items of an agency squared.

``text_tables`` (in memory, ``MemorySink``) and ``store.update_text`` (Parquet,
``ParquetSink``) both run this code, so the stored tables are ``text_tables``'
frame for frame, whatever the batch size.
"""

from __future__ import annotations

import math
import os
from collections import deque
import shutil
import time
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable, Iterator, Optional, Sequence

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from ..parse.sections import split_problems
from . import keywords as kw
from . import similarity, themes
from .signatures import Signer
from .statements import split_statements
from .tables import PARTS, SCHEMAS, arrow_schema, finish, sort_chunk, to_arrow
from .tokenize import content_tokens, segment

__all__ = ["BATCH_REPORTS", "FrameSource", "MemorySink", "ParquetSink", "ParquetSource", "compute"]

#: Reports per batch: about 7,000 statements, a few MB of text. What a batch holds, in this process and in a
#: segmentation worker, is at the peak of ``ogi build`` at 100k: 2,048 peaked at 1.49 GB, 1,024 at 1.41 (its text
#: tables from scratch, the same time).
BATCH_REPORTS = 1024
#: From this many reports, a computation from scratch splits and segments in a pool of every core.
POOL_FROM = 20_000
#: Items per bucket of the pair spill (a bucket is sorted in memory).
ITEMS_PER_BUCKET = 50_000
#: Rows per Parquet row group when one frame is written whole.
ROW_GROUP = 131_072
MIN_CHARS = 8  # similarity.similar_pairs' default: shorter statements are never called copies
_SECTION_COLUMNS = ["report_id", "section", "part", "text"]


# --------------------------------------------------------------------------- sources


class FrameSource:
    """The corpus as two frames in memory (``sections``, ``reports``)."""

    def __init__(self, sections: pd.DataFrame, reports: pd.DataFrame):
        self.sections, self.reports = sections, reports

    def meta(self) -> pd.DataFrame:
        r = self.reports
        return r.assign(report_id=r["report_id"].astype(str)).drop_duplicates("report_id").set_index("report_id")

    def batches(self, codes: Sequence[str], n: int) -> Iterator[pd.DataFrame]:
        s = self.sections
        s = s[s["section"].astype(str).isin(list(codes))]
        s = pd.DataFrame({c: s[c].astype(str).to_numpy() for c in ("report_id", "section", "part")}
                         | {"text": s["text"].to_numpy()})
        s = s.sort_values("report_id", kind="mergesort").reset_index(drop=True)
        yield from _cut(iter([s]), n)


class ParquetSource:
    """The corpus tables of a processed folder, read a few row groups at a time."""

    def __init__(self, folder: str | os.PathLike):
        self.folder = Path(folder)

    def meta(self, columns: Sequence[str] = ()) -> pd.DataFrame:
        path = self.folder / "reports.parquet"
        have = pq.read_schema(path).names
        cols = [c for c in dict.fromkeys(["report_id", "agency_key", "year", "status", *columns]) if c in have]
        r = pq.read_table(path, columns=cols).to_pandas()
        return r.assign(report_id=r["report_id"].astype(str)).drop_duplicates("report_id").set_index("report_id")

    def batches(self, codes: Sequence[str], n: int) -> Iterator[pd.DataFrame]:
        pf = pq.ParquetFile(self.folder / "sections.parquet")
        wanted = pa.array(list(codes), type=pa.string())

        def frames() -> Iterator[pd.DataFrame]:
            for rb in pf.iter_batches(batch_size=65_536, columns=_SECTION_COLUMNS):
                t = pa.Table.from_batches([rb])
                t = pa.table({c: (pc.cast(t[c], pa.string()) if c != "text" else t[c]) for c in _SECTION_COLUMNS})
                t = t.filter(pc.is_in(t["section"], value_set=wanted))
                if t.num_rows:
                    yield t.to_pandas()

        yield from _cut(frames(), n)


def _without_copies(batches: Iterator[pd.DataFrame], meta: pd.DataFrame) -> Iterator[pd.DataFrame]:
    """The batches without the reports the corpus counts as copies of another (the same report in other
    bytes: its one row in ``reports`` is a duplicate); their text is the other's, and would count twice."""
    copies = (set(meta.index[meta["status"].astype("string").eq("duplicate").fillna(False).to_numpy(dtype=bool)])
              if "status" in meta.columns else set())
    for batch in batches:
        if copies:
            batch = batch[~batch["report_id"].isin(copies)]
        if len(batch):
            yield batch


def _cut(frames: Iterator[pd.DataFrame], n: int) -> Iterator[pd.DataFrame]:
    """Rows sorted by report id, regrouped into batches of ``n`` whole reports (a report is never split)."""
    pending: Optional[pd.DataFrame] = None
    last = None
    for f in frames:
        ids = f["report_id"].to_numpy(dtype=object)
        if len(ids) and (last is not None and ids[0] < last or (ids[1:] < ids[:-1]).any()):
            raise ValueError("sections are not sorted by report_id")
        if len(ids):
            last = ids[-1]
        pending = f if pending is None else pd.concat([pending, f], ignore_index=True)
        while True:
            ids = pending["report_id"].to_numpy(dtype=object)
            starts = np.flatnonzero(np.r_[True, ids[1:] != ids[:-1]])
            if len(starts) <= n:  # the last report may go on in the next frame
                break
            cut = starts[n]
            yield pending.iloc[:cut].reset_index(drop=True)
            pending = pending.iloc[cut:].reset_index(drop=True)
    if pending is not None and len(pending):
        ids = pending["report_id"].to_numpy(dtype=object)
        starts = np.flatnonzero(np.r_[True, ids[1:] != ids[:-1]])
        for a in range(0, len(starts), n):
            lo = starts[a]
            hi = starts[a + n] if a + n < len(starts) else len(ids)
            yield pending.iloc[lo:hi].reset_index(drop=True)


# --------------------------------------------------------------------------- sinks


class MemorySink:
    """Collects the batches; ``frames`` are the finished tables (``tables.finish``)."""

    def __init__(self) -> None:
        self._chunks: dict[str, list[pd.DataFrame]] = {name: [] for name in SCHEMAS}
        self.frames: dict[str, pd.DataFrame] = {}
        self.spill_dir: Optional[Path] = None

    def write(self, name: str, df: pd.DataFrame | pa.Table) -> None:
        self._chunks[name].append(df.to_pandas() if isinstance(df, pa.Table) else df)

    def close(self) -> None:
        for name, chunks in self._chunks.items():
            cols = [c for c, _, _ in SCHEMAS[name]]
            df = pd.concat(chunks, ignore_index=True) if chunks else pd.DataFrame(columns=cols)
            self.frames[name] = finish(df, name)
        self._chunks = {}


class ParquetSink:
    """Writes each table to ``<folder>/.<name>.parquet.tmp<pid>``, a row group per batch; ``files`` after ``close``.

    Batches must come in key order (``compute`` sends them so); each is checked to follow the one before.
    """

    def __init__(self, folder: str | os.PathLike):
        self.folder = Path(folder)
        self.tmp: dict[str, Path] = {}
        self.rows: dict[str, int] = {}
        self._writers: dict[str, pq.ParquetWriter] = {}
        self.spill_dir = self.folder / f".spill{os.getpid()}"

    def write(self, name: str, df: pd.DataFrame | pa.Table) -> None:
        if not len(df):
            return
        if name not in self._writers:
            self.tmp[name] = self.folder / f".{name}.parquet.tmp{os.getpid()}"
            # zstd, no statistics timestamps, no pandas metadata: the same rows give the same bytes
            self._writers[name] = pq.ParquetWriter(self.tmp[name], arrow_schema(name), compression="zstd")
        t = to_arrow(df, name)
        self._writers[name].write_table(t, row_group_size=ROW_GROUP)  # readers hold a row group at a time
        self.rows[name] = self.rows.get(name, 0) + len(df)

    def close(self) -> dict[str, Path]:
        for name in SCHEMAS:
            if name in self._writers:
                self._writers[name].close()
            else:  # an empty table: an empty file of the declared schema
                self.tmp[name] = self.folder / f".{name}.parquet.tmp{os.getpid()}"
                pq.write_table(to_arrow(pd.DataFrame({c: [] for c, _, _ in SCHEMAS[name]}), name), self.tmp[name],
                               compression="zstd")
                self.rows[name] = 0
        self._writers = {}
        return dict(self.tmp)

    def abort(self) -> None:
        for w in self._writers.values():
            try:
                w.close()
            except Exception:  # noqa: BLE001 - cleaning up after another error
                pass
        for p in self.tmp.values():
            if p.exists():
                p.unlink()
        if self.spill_dir.exists():
            shutil.rmtree(self.spill_dir, ignore_errors=True)


# --------------------------------------------------------------------------- what is kept across batches


class _Items:
    """Items compared for copying (statements, or sections), a few integers each; distinct texts once."""

    def __init__(self) -> None:
        self.texts: dict[str, int] = {}
        self.cols: dict[str, list[np.ndarray]] = {c: [] for c in ("report", "part", "idx", "tid", "chars")}
        self._sig: Optional[np.ndarray] = None  # the signature of each text, when given to ``add``

    def add(self, report: np.ndarray, part: np.ndarray, idx: np.ndarray, norm: Sequence[str],
            chars: np.ndarray, min_chars: int, sig: Optional[np.ndarray] = None) -> None:
        keep = np.fromiter((len(t) >= min_chars for t in norm), bool, len(norm))
        before = len(self.texts)
        tid = np.fromiter((self.texts.setdefault(t, len(self.texts)) for t, k in zip(norm, keep) if k), np.int64)
        for c, v in (("report", report), ("part", part), ("idx", idx), ("chars", chars)):
            self.cols[c].append(np.asarray(v)[keep])
        self.cols["tid"].append(tid)
        if sig is not None:
            new, first = np.unique(tid, return_index=True)
            first = first[new >= before]  # the rows that brought a new text, in the order of its number
            if self._sig is None:
                self._sig = np.empty((max(64, 2 * len(self.texts)), sig.shape[1]), np.uint32)
            elif len(self.texts) > len(self._sig):
                self._sig = np.concatenate([self._sig, np.empty((len(self.texts), sig.shape[1]), np.uint32)])
            self._sig[before:len(self.texts)] = sig[keep][first]

    def signature(self, text: str) -> Optional[np.ndarray]:
        """The signature of a text already added (None if it was not, or without signatures)."""
        t = self.texts.get(text)
        return None if t is None or self._sig is None else self._sig[t]

    def signatures(self) -> Optional[np.ndarray]:
        """The signature of every text, by its number (None without signatures)."""
        return None if self._sig is None else self._sig[:len(self.texts)]

    def arrays(self) -> dict[str, np.ndarray]:
        return {c: (np.concatenate(v) if v else np.zeros(0, np.int64)) for c, v in self.cols.items()}


class _Reports:
    """Every report met in the batches, numbered in report-id order, with what the tables need of it."""

    def __init__(self, meta: pd.DataFrame):
        self.meta = meta
        self.ids: list[str] = []
        self.rank: dict[str, int] = {}
        self.agencies: dict[str, int] = {}
        self.agency_names: list[str] = []
        self._year: list[float] = []
        self._agency: list[int] = []
        self._chars: list[int] = []
        year = meta["year"] if "year" in meta.columns else pd.Series(dtype="Float64")
        # plain dicts: a pandas lookup per report cost seconds at 100,000 reports
        ids = meta.index.tolist()
        self._years = dict(zip(ids, pd.to_numeric(year, errors="coerce").astype("float64").tolist()))
        self._keys = dict(zip(ids, meta["agency_key"].tolist())) if "agency_key" in meta.columns else {}

    def add(self, ids: Sequence[str]) -> np.ndarray:
        out = np.empty(len(ids), np.int64)
        for k, rid in enumerate(ids):
            r = self.rank.get(rid)
            if r is None:
                r = self.rank[rid] = len(self.ids)
                self.ids.append(rid)
                y = self._years.get(rid, np.nan)
                self._year.append(float(y) if pd.notna(y) else np.nan)
                key = self._keys.get(rid)
                if key is None or (not isinstance(key, str) and pd.isna(key)):
                    self._agency.append(-1)
                else:
                    key = str(key)
                    if key not in self.agencies:
                        self.agencies[key] = len(self.agency_names)
                        self.agency_names.append(key)
                    self._agency.append(self.agencies[key])
                self._chars.append(-1)
            out[k] = r
        return out

    def set_chars(self, ranks: np.ndarray, chars: np.ndarray) -> None:
        for r, c in zip(ranks.tolist(), chars.tolist()):
            self._chars[r] = c

    @property
    def year(self) -> np.ndarray:
        return np.asarray(self._year, dtype=np.float64)

    @property
    def agency(self) -> np.ndarray:
        """Agency code per report; -1 for an unknown agency."""
        return np.asarray(self._agency, dtype=np.int64)

    @property
    def chars(self) -> np.ndarray:
        """Characters of a report's statements; -1 for a report without statements."""
        return np.asarray(self._chars, dtype=np.int64)


# --------------------------------------------------------------------------- per batch


@lru_cache(maxsize=1 << 16)
def _normalize_short(text: str) -> str:
    """``similarity.normalize`` of a statement; reports repeat their statements, so many are met again."""
    return similarity.normalize(text)



def statements_of(prob: pd.DataFrame, meta: pd.DataFrame) -> pd.DataFrame:
    """The statements of some reports' ``problems`` rows (``report_id, part, idx, text, lead``)."""
    rid, part, text = (prob[c].tolist() for c in ("report_id", "part", "text"))
    split = {r for r, p in zip(rid, part) if p in PARTS}
    rows = [(r, p, t) for r, p, t in zip(rid, part, text) if p in PARTS]
    full = [(r, t) for r, p, t in zip(rid, part, text) if p == "full" and r not in split]
    if full:  # no parts: split here, with the report's year
        years = meta["year"].reindex([r for r, _ in full]).tolist() if "year" in meta else [None] * len(full)
        for (r, t), year in zip(full, years):
            parts = split_problems(t if isinstance(t, str) else None, None if pd.isna(year) else int(year))
            rows += [(r, p, x) for p, x in parts.items()]
    out = [(r, p, i, s.text, s.lead) for r, p, t in rows
           for i, s in enumerate(split_statements(t if isinstance(t, str) else ""))]
    return pd.DataFrame(out, columns=["report_id", "part", "idx", "text", "lead"])


class Previous:
    """The statements and their themes of an earlier run, read in report-id order alongside the batches;
    ``signatures``: its file of the sections' signatures, if it can be used (``ogi.text.signatures``)."""

    def __init__(self, statements: Path, statement_themes: Path, signatures: Optional[Path] = None):
        self._st = _RowsById(statements)
        self._th = _RowsById(statement_themes)
        self.signatures = signatures

    def take(self, ids: Sequence[str]) -> tuple[pd.DataFrame, pd.DataFrame]:
        """The stored rows of these reports (sorted ids, increasing from call to call)."""
        return self._st.take(ids), self._th.take(ids)


class _RowsById:
    def __init__(self, path: Path):
        self.file = pq.ParquetFile(path)
        self.group = 0
        self.buffer: Optional[pa.Table] = None

    def take(self, ids: Sequence[str]) -> pd.DataFrame:
        t = self.take_table(ids)
        return t.to_pandas() if t.num_rows else self._empty()

    def take_table(self, ids: Sequence[str]) -> pa.Table:
        """The rows of these reports as an Arrow table (sorted ids, increasing from call to call)."""
        if not len(ids):
            return self.file.schema_arrow.empty_table()
        hi = ids[-1]
        parts = []
        while True:
            if self.buffer is None or not self.buffer.num_rows:
                if self.group >= self.file.metadata.num_row_groups:
                    break
                self.buffer = self.file.read_row_group(self.group)
                self.group += 1
            rid = self.buffer["report_id"]
            n = int(pc.sum(pc.less_equal(rid, hi)).as_py() or 0)  # rows are sorted by report id
            parts.append(self.buffer.slice(0, n))
            self.buffer = self.buffer.slice(n)
            if self.buffer.num_rows:
                break
        if not parts:
            return self.file.schema_arrow.empty_table()
        t = pa.concat_tables(parts)
        return t.filter(pc.is_in(t["report_id"], value_set=pa.array(list(ids), type=pa.string())))

    def _empty(self) -> pd.DataFrame:
        return self.file.schema_arrow.empty_table().to_pandas()


# --------------------------------------------------------------------------- the computation


def compute(source: Any, sink: Any, *, groups: Sequence[str] = ("year", "level", "agency_kind"), k: int = 30,
            similarity_sections: Sequence[str] = ("problems",), threshold: float = 0.6,
            processes: Optional[int] = None, cache: bool = True, batch_reports: int = BATCH_REPORTS,
            previous: Optional[Previous] = None, signer: Optional[Signer] = None,
            log: Optional[Callable[[str], None]] = None) -> dict[str, Any]:
    """Compute every text table from ``source`` a batch of reports at a time, handing them to ``sink``.

    Parameters
    ----------
    source : FrameSource or ParquetSource
    sink : MemorySink or ParquetSink
    groups, k, similarity_sections, threshold
        As in ``text_tables``.
    processes, cache
        Passed to ``tokenize.segment``.
    batch_reports : int
        Reports per batch; what is held for a batch is bounded by it, the tables do not depend on it.
    previous : Previous, optional
        The statements and themes of an earlier run with the same text code, lexicons and parser:
        the rows of a report found there are reused (a report id is the hash of its file).
    signer : signatures.Signer, optional
        Normalises and signs the sections compared (reusing an earlier run's, and keeping this
        run's, in ``store``); default: computes them all, keeps nothing.
    log : callable, optional
        Receives a line per phase.

    Returns
    -------
    dict
        ``reports`` (with a problems section), ``reused`` (of them), ``statements``, ``timings``.
    """
    say = log or (lambda line: None)
    clock = _Clock()
    meta = source.meta(groups) if isinstance(source, ParquetSource) else source.meta()
    which = list(dict.fromkeys(similarity_sections))
    codes = list(dict.fromkeys(["problems", *which]))
    by_groups = [g for g in groups if g in meta.columns]
    group_of = {by: meta[by].map(lambda v: None if pd.isna(v) else str(v)) for by in by_groups}
    reports = _Reports(meta)
    counts = kw.TermCounts()
    stmt = _Items()
    secs = _Items()
    sec_all: dict[str, tuple[list[np.ndarray], list[np.ndarray]]] = {c: ([], []) for c in which}  # repeats
    sec_text_ids: dict[str, int] = {}  # every normalised section text, once (repeats and pairs)
    signer = signer if signer is not None else Signer()
    stats = {"reports": 0, "reused": 0, "statements": 0}
    for batch, st, th, reused in _statement_batches(_without_copies(source.batches(codes, batch_reports), meta),
                                                    meta, previous, processes, cache, len(meta)):
        reports.add(batch["report_id"].drop_duplicates().tolist())
        prob = batch[batch["section"] == "problems"]
        stats["reports"] += prob["report_id"].nunique()
        stats["reused"] += reused
        stats["statements"] += len(st)
        sink.write("statements", st)
        sink.write("statement_themes", th)
        rid = st["report_id"].tolist()
        rank = np.fromiter((reports.rank[r] for r in rid), np.int64, len(rid))
        part = np.asarray(st["part"].tolist(), dtype=object)
        text = st["text"].tolist()
        at, uniq = pd.factorize(st["report_id"])  # each report's groups looked up once, not each statement's
        counts.add(st["tokens"], part, {"all": np.full(len(st), "all", dtype=object),
                                        **{by: group_of[by].reindex(uniq).to_numpy(dtype=object)[at]
                                           for by in by_groups}})
        chars = np.fromiter((len(t) if isinstance(t, str) else 3 for t in text), np.int64, len(st))
        stmt.add(rank, np.array([PARTS.index(p) for p in part], np.int64), st["idx"].to_numpy(dtype=np.int64),
                 [_normalize_short(t) for t in text], chars, MIN_CHARS)
        if len(st):
            per = pd.Series(chars).groupby(rank).sum()
            reports.set_chars(per.index.to_numpy(), per.to_numpy())
        full = batch[batch["part"] == "full"]
        parts = [(code, sec["report_id"].tolist(), sec["text"].tolist())
                 for code in which for sec in [full[full["section"] == code]]]
        for c, ((code, ids, _), (norm, sig)) in enumerate(zip(parts, signer.batch(parts, secs.signature))):
            r = np.fromiter((reports.rank[x] for x in ids), np.int64, len(ids))
            sec_all[code][0].append(r)
            sec_all[code][1].append(np.fromiter((sec_text_ids.setdefault(t, len(sec_text_ids)) for t in norm),
                                                np.int64, len(norm)))
            secs.add(r, np.full(len(ids), c, np.int64), np.zeros(len(ids), np.int64), norm, np.zeros(len(ids)),
                     MIN_CHARS, sig)
    clock.lap("statements, tokens, themes")
    say(f"  statements of {stats['reports']:,} reports ({stats['reused']:,} reused): {clock.last}")

    # keywords: the counts ranked, with the IDF of every statement
    weights = counts.idf()
    found = [counts.top("all", k, weights).assign(by="all")]
    found += [counts.top(by, k, weights).assign(by=by) for by in by_groups]
    sink.write("keywords", sort_chunk(pd.concat(found, ignore_index=True), "keywords"))
    del counts
    clock.lap("keywords")

    # repeats: per agency, on the normalised sections
    sec_texts = list(sec_text_ids)
    del sec_text_ids
    names = np.asarray(reports.agency_names + [None], dtype=object)
    year, agency = reports.year, reports.agency
    ids = np.asarray(reports.ids, dtype=object)
    found = []
    for code in which:
        r = np.concatenate(sec_all[code][0]) if sec_all[code][0] else np.zeros(0, np.int64)
        t = np.concatenate(sec_all[code][1]) if sec_all[code][1] else np.zeros(0, np.int64)
        items = pd.DataFrame({"report_id": ids[r], "agency_key": names[agency[r]],
                              "year": pd.array(year[r], dtype="Float64"), "text": [sec_texts[x] for x in t]})
        found.append(similarity.repeat_shares(items, normalized=True).assign(section=code))
    del sec_all
    rep = sort_chunk(pd.concat(found, ignore_index=True), "repeats")
    for lo in range(0, len(rep), ROW_GROUP):
        sink.write("repeats", rep.iloc[lo:lo + ROW_GROUP])
    del rep, found
    clock.lap("repeats")

    # similar pairs: statements, then whole sections
    spill = getattr(sink, "spill_dir", None)
    s_items = stmt.arrays()
    s_texts = list(stmt.texts)
    del stmt
    cross_st = _pairs("statement", s_items, s_texts, reports, [PARTS[i] for i in range(len(PARTS))], sink, spill,
                      threshold)
    del s_texts
    clock.lap("similar pairs of statements")
    c_items = secs.arrays()
    c_texts = list(secs.texts)
    c_sig = secs.signatures()
    del secs
    cross_sec = _pairs("section", c_items, c_texts, reports, which, sink, spill, threshold, c_sig)
    del c_sig
    del c_texts
    clock.lap("similar pairs of sections")

    sink.write("copies", _copies(s_items, cross_st, c_items, cross_sec, reports))
    sink.write("themes", themes.codebook())
    clock.lap("copies, codebook")
    say("  " + "; ".join(f"{k} {v:.1f} s ({clock.rss[k]:.2f} GB)" for k, v in clock.laps.items()))
    stats["timings"] = dict(clock.laps)
    return stats


def _statement_batches(batches: Iterator[pd.DataFrame], meta: pd.DataFrame, previous: Optional[Previous],
                       processes: Optional[int], cache, n_reports: int):
    """Each batch with its statements (with tokens) and their themes, sorted, and how many reports were reused.

    Splitting, segmenting and theming is per report: with several processes the batches are
    worked on in a pool (one per worker in flight and one waiting, results in batch order), the rest of
    ``compute`` staying here. Default: every core for a corpus of ``POOL_FROM`` reports or more
    computed from scratch; one process for an incremental update (most reports are reused).
    """
    workers = processes if processes is not None else (
        (os.cpu_count() or 1) if previous is None and n_reports >= POOL_FROM else 1)
    years = meta["year"] if "year" in meta.columns else pd.Series(dtype="float64")

    def prepare(batch):
        prob = batch[batch["section"] == "problems"]
        ids = sorted(prob["report_id"].unique().tolist())
        old = previous.take(ids) if previous is not None else None
        if old is not None and len(old[0]):
            done = set(old[0]["report_id"].tolist())
            prob = prob[np.fromiter((r not in done for r in prob["report_id"].tolist()), bool, len(prob))]
        else:
            done = set()
        job = (prob, years.reindex(prob["report_id"].unique()).to_frame("year"), cache)
        return old, len(done), job

    def finish(old, new_st, new_th):
        st, th = new_st, new_th
        if old is not None and len(old[0]):
            st = pd.concat([old[0].astype({"idx": "int64", "lead": bool}), st], ignore_index=True)
            th = pd.concat([old[1].astype({"idx": "int64"}), th], ignore_index=True)
        return sort_chunk(st, "statements"), sort_chunk(th, "statement_themes")

    if workers <= 1:
        for batch in batches:
            old, reused, job = prepare(batch)
            yield (batch, *finish(old, *_statement_job(job, processes)), reused)
        return
    from concurrent.futures import ProcessPoolExecutor

    from .tokenize import _pool_context, get_segmenter

    pending: deque = deque()
    with ProcessPoolExecutor(max_workers=workers, mp_context=_pool_context(), initializer=get_segmenter) as pool:
        for batch in batches:
            old, reused, job = prepare(batch)
            pending.append((batch, old, reused, pool.submit(_statement_job, job, 1)))
            while len(pending) > workers:  # one waiting beyond the running: what waits is held here
                b, o, r, fut = pending.popleft()
                yield (b, *finish(o, *fut.result()), r)
        while pending:
            b, o, r, fut = pending.popleft()
            yield (b, *finish(o, *fut.result()), r)


def _statement_job(job, processes: Optional[int] = 1) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Statements (with tokens) and themes of some reports' problems rows (run here or in a worker)."""
    prob, years, cache = job
    st = statements_of(prob, years)
    st["tokens"] = [" ".join(content_tokens(t)) for t in segment(st["text"].tolist(), processes=processes,
                                                                     cache=cache)]
    th = themes.statement_themes(st) if len(st) else \
        pd.DataFrame(columns=[c for c, _, _ in SCHEMAS["statement_themes"]])
    return st, th


def _pairs(kind: str, items: dict[str, np.ndarray], texts: list[str], reports: _Reports, part_names: Sequence[str],
           sink: Any, spill: Optional[Path], threshold: float, sig: Optional[np.ndarray] = None
           ) -> tuple[np.ndarray, ...]:
    """Near-duplicate pairs of one kind, written to the sink in key order; returns the cross-agency pairs
    (left, right, score, in the item numbering of ``_ordered``) and that numbering. ``sig``: the
    texts' MinHash signatures, if known (by text number in ``items``)."""
    order, tid, agency, report, texts, uniq = _ordered(items, texts, reports, part_names)
    if sig is not None:
        sig = sig[uniq]
    n = len(order)
    report_of, part_of, idx_of = items["report"][order], items["part"][order], items["idx"][order]
    # the key of an item in the table's sort order: report id, part (as its category), idx
    names = list(part_names)
    cat_rank = _part_rank(names)
    krank = np.empty(n, np.int64)
    krank[np.lexsort((idx_of, cat_rank[part_of], report_of))] = np.arange(n)
    buckets = _Spill(n, max(1, math.ceil(n / ITEMS_PER_BUCKET)), spill)
    cross: list = []
    for l, r, score in similarity.pair_batches(tid, agency, report, texts, threshold, sig=sig, cross=cross):
        buckets.add(krank[l] * n + krank[r], score)
    del texts, tid, sig
    at = np.empty(n, np.int64)
    at[krank] = np.arange(n)  # item at each key position
    ids = pa.array(reports.ids, type=pa.string())
    part_arr = pa.array(list(names), type=pa.string())
    for key, score in buckets:
        l, r = at[key // n], at[key % n]
        if kind == "statement":
            left_idx, right_idx = pa.array(idx_of[l], pa.int64()), pa.array(idx_of[r], pa.int64())
        else:
            left_idx = right_idx = pa.nulls(len(l), pa.int64())
        sink.write("similar_pairs", pa.table({
            "kind": pa.array(np.full(len(l), kind, dtype=object), pa.string()),
            "left_report_id": ids.take(report_of[l]), "left_part": part_arr.take(part_of[l]), "left_idx": left_idx,
            "right_report_id": ids.take(report_of[r]), "right_part": part_arr.take(part_of[r]), "right_idx": right_idx,
            "score": pa.array(np.round(score, 6)), "same_agency": pa.array(agency[l] == agency[r])}))
    cl, cr, cs = cross[0] if cross else (np.zeros(0, np.int64),) * 2 + (np.zeros(0),)
    return order[cl], order[cr], np.round(cs, 6)


def _part_rank(names: Sequence[str]) -> np.ndarray:
    """The position of each part name in the order of the ``left_part`` categories."""
    from .tables import categories

    cats = categories("similar_pairs", "left_part", names)
    return np.asarray([cats.index(p) for p in names], np.int64)


def _ordered(items: dict[str, np.ndarray], texts: list[str], reports: _Reports, part_names: Sequence[str]):
    """Items in time order (year, report id, part, idx; unknown years first), as ``similarity`` numbers them:
    the order (positions into ``items``), text numbers by first appearance, agency and report codes, and
    the number in ``items`` of each text so numbered."""
    report, part, idx = items["report"], items["part"], items["idx"]
    year = reports.year[report] if len(report) else np.zeros(0)
    alpha = np.argsort(np.argsort(np.asarray(part_names, dtype=object)))  # part names as strings sort
    year_key = np.where(np.isnan(year), -np.inf, year)
    order = np.lexsort((idx, alpha[part] if len(part) else part, report, year_key))
    tid, uniq = pd.factorize(items["tid"][order])
    texts = [texts[t] for t in uniq]
    ag = reports.agency[report[order]] if len(order) else np.zeros(0, np.int64)
    ag = np.where(ag >= 0, ag, len(reports.agency_names) + report[order])  # an unknown agency is the report's own
    return order, tid.astype(np.int64), ag, report[order], texts, uniq


class _Spill:
    """Pairs as (key, score), bucketed by the key's left item, on disk (or in memory), read back sorted."""

    def __init__(self, n: int, buckets: int, folder: Optional[Path]):
        self.n, self.buckets, self.folder = n, buckets, folder
        self.mem: list[list[np.ndarray]] = [[] for _ in range(buckets)]
        if folder is not None:
            folder.mkdir(parents=True, exist_ok=True)

    def add(self, key: np.ndarray, score: np.ndarray) -> None:
        if not len(key):
            return
        rec = np.empty(len(key), dtype=[("k", "<i8"), ("s", "<f8")])
        rec["k"], rec["s"] = key, score
        b = (key // max(self.n, 1)) * self.buckets // max(self.n, 1)
        order = np.argsort(b, kind="stable")
        b, rec = b[order], rec[order]
        cuts = np.searchsorted(b, np.arange(self.buckets + 1))
        for j in range(self.buckets):
            part = rec[cuts[j]:cuts[j + 1]]
            if not len(part):
                continue
            if self.folder is None:
                self.mem[j].append(part)
            else:
                with open(self.folder / f"{j}.bin", "ab") as fh:
                    fh.write(part.tobytes())

    def __iter__(self):
        for j in range(self.buckets):
            if self.folder is None:
                rec = np.concatenate(self.mem[j]) if self.mem[j] else np.zeros(0, dtype=[("k", "<i8"), ("s", "<f8")])
                self.mem[j] = []
            else:
                path = self.folder / f"{j}.bin"
                rec = np.fromfile(path, dtype=[("k", "<i8"), ("s", "<f8")]) if path.exists() else \
                    np.zeros(0, dtype=[("k", "<i8"), ("s", "<f8")])
                if path.exists():
                    path.unlink()
            if len(rec):
                rec = rec[np.argsort(rec["k"], kind="stable")]
                yield rec["k"], rec["s"]


def _copies(stmt: dict[str, np.ndarray], cross_st, sec: dict[str, np.ndarray], cross_sec,
            reports: _Reports) -> pd.DataFrame:
    """Per report with statements: characters, the share copied from other agencies, from how many, and the
    best whole-section match with another agency (what ``explore.boilerplate`` shows)."""
    year, agency, chars = reports.year, reports.agency, reports.chars
    rep_of = stmt["report"]
    l, r, _ = cross_st
    me, other = np.concatenate([l, r]), np.concatenate([r, l])
    ok = year[rep_of[other]] <= year[rep_of[me]]  # the other report is of the same or an earlier year
    me, other = me[ok], other[ok]
    copied = similarity._sorted_unique(me)
    n = len(reports.ids)
    copied_chars = np.bincount(rep_of[copied], weights=stmt["chars"][copied].astype(np.float64), minlength=n)
    ag = agency[rep_of[other]]
    width = len(reports.agency_names) + 1
    pairs = similarity._sorted_unique(rep_of[me][ag >= 0] * width + ag[ag >= 0])  # (report, other agency) once
    n_agencies = np.bincount(pairs // width, minlength=n) if len(pairs) else np.zeros(n, np.int64)
    best = np.full(n, np.nan)
    sl, sr, ss = cross_sec
    if len(sl):
        s = pd.Series(np.concatenate([ss, ss])).groupby(np.concatenate([sec["report"][sl], sec["report"][sr]])).max()
        best[s.index.to_numpy()] = s.to_numpy()
    rows = np.flatnonzero(chars >= 0)
    c = chars[rows].astype(np.float64)
    share = np.where(c > 0, copied_chars[rows] / np.where(c > 0, c, 1), np.nan)
    return pd.DataFrame({
        "report_id": np.asarray(reports.ids, dtype=object)[rows],
        "chars": pd.array(chars[rows], dtype="Int64"),
        "share_other": pd.array(share, dtype="Float64"),
        "other_agencies": pd.array(n_agencies[rows], dtype="Int64"),
        "section_match": pd.array(best[rows], dtype="Float64"),
    }).sort_values("report_id", kind="mergesort").reset_index(drop=True)


class _Clock:
    def __init__(self) -> None:
        self.t = time.perf_counter()
        self.laps: dict[str, float] = {}
        self.rss: dict[str, float] = {}
        self.last = ""

    def lap(self, name: str) -> None:
        pa.default_memory_pool().release_unused()  # a phase's Arrow buffers go back to the system, not to the next
        now = time.perf_counter()
        self.laps[name] = now - self.t
        self.rss[name] = _rss_gb()
        self.last = f"{self.laps[name]:.1f} s, resident {self.rss[name]:.2f} GB"
        self.t = now


def _rss_gb() -> float:
    """This process's resident memory now (Linux; 0 elsewhere), for the phase log."""
    try:
        with open("/proc/self/statm") as fh:
            return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 1e9
    except (OSError, ValueError, IndexError):
        return 0.0
