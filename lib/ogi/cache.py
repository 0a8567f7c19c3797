"""The build's cache: parsed reports' tidy rows, kept by content hash in columnar segments.

A segment is a folder holding one file per part (the reports' content rows,
the five data tables' rows, and apart the requests rows the cross-year join
reads), each in report-id order, and ``meta.json``: the report ids, how many
rows each has in each part, and the rows key they were derived with. Each
parse worker writes its chunk's segment itself (``write_results``), and the
assembly reads them all back; the files are Arrow IPC streams (LZ4), a
copy of the rows in memory rather than an encoding of them, which costs the
least at both ends (Parquet cost ~3× to write and ~5× to read the same rows,
at about the same size; zstd ~1.5× to write and ~2× to read, at half the
size). Nothing else reads the cache: the tables researchers read are Parquet.
"""

from __future__ import annotations

import bisect
import hashlib
import json
import os
import shutil
from pathlib import Path
from typing import Iterable, Iterator, Mapping, Optional

from . import tables
from .parse import PARSER_VERSION

__all__ = ["CACHE_FORMAT", "SegmentStore", "id_bounds", "write_results", "write_segment"]

#: Written in each segment's ``meta.json``: a segment of another format is dropped (its reports parsed again).
CACHE_FORMAT = "arrow-ipc-lz4/3"
#: Merge the cache segments when there are more than this many (a first build of 100,000 reports makes ~75: one
#: a parse worker's chunk; reading a segment that holds nothing of a batch costs a search of its ids).
MAX_SEGMENTS = 256
#: Rows of a part written at once (one record batch, its dictionaries unified): what reading holds of a segment.
GROUP_ROWS = 65_536
#: Reports per batch of a merge (``SegmentStore.compact``).
MERGE_REPORTS = 1024
PARTS = ("content", *tables.DATA_PARTS)
#: The requests rows the cross-year join reads (``tables.cross_year_inputs``), kept in a file of their own
#: besides the requests part: reading the whole part for them cost the assembly's critical path ~0.3 CPU-s at
#: 100,000 reports (17 million rows read for 1.4 million).
CARRIED = "carried"
CARRIED_ROWS = ("carried_over", "carry_forward")
CARRIED_COLUMNS = ["report_id", "row", "applicant", "value"]


class SegmentStore:
    """Parsed reports cached by content hash, as segments under one parser version (``root/PARSER_VERSION``).

    Only segments of the current rows key are read; the others go at the
    next ``compact``. A segment is written in a hidden folder and renamed
    into place, so a half-written one is never read; leftovers are removed.
    """

    def __init__(self, root: Path, key: str) -> None:
        self.root = root / PARSER_VERSION
        self.key = key
        self.segments: list[tuple[Path, dict]] = []
        if root.is_dir():
            for other in root.iterdir():  # caches of other parser versions can never be used again
                if other.name != PARSER_VERSION and other.is_dir():
                    shutil.rmtree(other, ignore_errors=True)
        if self.root.is_dir():
            for seg in sorted(self.root.iterdir()):
                if seg.name.startswith("."):  # an interrupted write
                    shutil.rmtree(seg, ignore_errors=True)
                    continue
                try:
                    meta = json.loads((seg / "meta.json").read_text(encoding="utf-8"))
                except (OSError, ValueError):
                    meta = None
                if not isinstance(meta, dict) or meta.get("format") != CACHE_FORMAT:
                    shutil.rmtree(seg, ignore_errors=True)  # unreadable, or written by another ogi
                    continue
                self.segments.append((seg, meta))

    def clear(self) -> None:
        """Forget every cached report (``ogi build --reparse``)."""
        for seg, _ in self.segments:
            shutil.rmtree(seg, ignore_errors=True)
        self.segments = []

    def ids(self) -> set[str]:
        """Report ids cached with the current rows key."""
        out: set[str] = set()
        for _, meta in self.segments:
            if meta.get("rows_key") == self.key:
                out.update(meta["ids"])
        return out

    def add(self, results: list[dict]) -> Optional[Path]:
        """Write the workers' parts as one new segment (``write_results``); returns its folder (None when
        nothing to add)."""
        written = write_results(self.root, self.key, results)
        if written is None:
            return None
        self.adopt(*written)
        return written[0]

    def adopt(self, seg: Path, meta: dict) -> None:
        """Count a segment written meanwhile (by a parse worker: ``write_results``) as one of this store's."""
        self.segments = [(s_, m) for s_, m in self.segments if s_ != seg]
        self.segments.append((seg, meta))

    def _write_segment(self, ids: list[str], parts: Mapping[str, Iterable], schemas=None) -> Path:
        seg, meta = write_segment(self.root, self.key, ids, parts, schemas)
        self.adopt(seg, meta)
        return seg

    def _assigned(self, ids: set[str]) -> list[tuple[Path, dict, set[str]]]:
        """The segments of the current rows key that hold ``ids``, each with the ids read from it:
        every id from the first segment that holds it, in the segments' order."""
        out, taken = [], set()
        for seg, meta in self.segments:
            if meta.get("rows_key") != self.key:
                continue
            mine = (set(meta["ids"]) & ids) - taken
            if mine:
                taken |= mine
                out.append((seg, meta, mine))
        return out

    def part_tables(self, part: str, ids: set[str], columns: Optional[list[str]] = None,
                    where: Optional[tuple[str, Iterable[str]]] = None) -> list:
        """One part's Arrow tables for ``ids``, one a segment, each id from the first segment that holds it;
        only ``columns`` if given, and only the rows whose ``where[0]`` is one of ``where[1]``."""
        import pyarrow as pa

        wanted = pa.array(sorted(where[1]), pa.string()) if where is not None else None
        out = []
        for seg, meta, mine in self._assigned(ids):
            keep = pa.array(sorted(mine), pa.string()) if len(mine) < len(meta["ids"]) else None
            batches = []
            for b in _read_stream(seg / f"{part}.arrows"):
                if wanted is not None:
                    b = b.filter(_in(b.column(where[0]), wanted))
                if keep is not None:
                    b = b.filter(_in(b.column("report_id"), keep))
                batches.append(b.select(columns) if columns is not None else b)
            if batches:
                out.append(pa.Table.from_batches(batches))
        return out

    def read(self, part: str, ids: set[str]):
        """One part's rows for ``ids`` as a DataFrame in the declared dtypes (None if no segment has them)."""
        import pyarrow as pa

        chunks = self.part_tables(part, ids)
        if not chunks:
            return None
        t = pa.concat_tables(chunks) if len(chunks) > 1 else chunks[0]
        # dictionaries differ between batches; to_pandas unifies them into one categorical
        return tables.from_arrow(t, "reports" if part == "content" else part)

    def compact(self, live: set[str]) -> None:
        """Drop segments of older rows keys, and merge the current ones when there are many or mostly dead rows.

        The merge streams each part batch by batch (``stream``), so it holds
        one batch in memory, not the cache.
        """
        current = [(s, m) for s, m in self.segments if m.get("rows_key") == self.key]
        for seg, meta in self.segments:
            if meta.get("rows_key") != self.key:
                shutil.rmtree(seg, ignore_errors=True)
        self.segments = current
        n_rows = sum(len(m["ids"]) for _, m in current)
        kept = self.ids() & live
        if len(current) <= MAX_SEGMENTS and n_rows <= 2 * max(len(kept), 1):
            return
        ids = sorted(kept)
        if not ids:
            return
        bounds = id_bounds(ids, MERGE_REPORTS)
        parts = {p: (_sort_by_report_id(t) for t in self.stream(p, kept, bounds) if t is not None) for p in PARTS}
        schemas = {p: _stream_schema(current[0][0] / f"{p}.arrows") for p in PARTS}
        new = self._write_segment(ids, parts, schemas)
        for seg, _ in current:
            if seg != new:
                shutil.rmtree(seg, ignore_errors=True)
        self.segments = [(s, m) for s, m in self.segments if s.exists()]

    def stream(self, part: str, ids: set[str], bounds: list[str]) -> Iterator:
        """One part's rows for ``ids``, in batches: for each range of report ids ``[bounds[k], bounds[k+1])``
        one Arrow table (or None when no row falls in it), each id from the first segment holding it.

        Segments are sorted by report id, so a range is a run of rows in each;
        each segment file is read once, front to back, a record batch at a time.
        Rows of different segments are not interleaved: sort by report id
        (``tables.arrow_batch`` does).
        """
        import pyarrow as pa

        sources = [_SegmentCursor(seg / f"{part}.arrows", meta["ids"], meta["rows"][part], mine)
                   for seg, meta, mine in self._assigned(ids)]
        # in the order of their ids: a batch's pieces are then in order (the segments of one build hold ranges)
        sources.sort(key=lambda src: src.ids[0] if src.ids else "")
        for k, lo in enumerate(bounds):
            hi = bounds[k + 1] if k + 1 < len(bounds) else None
            got = []
            for src in sources:
                a = bisect.bisect_left(src.ids, lo)
                b = bisect.bisect_left(src.ids, hi) if hi is not None else len(src.ids)
                t = src.take(a, b)
                if t is not None and t.num_rows:
                    got.append(t)
            if not got:
                yield None
            else:
                yield got[0] if len(got) == 1 else pa.concat_tables(got, promote_options="permissive")


def write_results(root: Path, key: str, results: list[dict]) -> Optional[tuple[Path, dict]]:
    """The parts of ``tidy.Rows.to_arrow`` (one or more results) as one new segment under ``root`` (a store's
    ``root``, of the parser version): (its folder, its meta), or None when they hold no report.

    Run by the parse workers themselves (``corpus._work_cached``), so that the rows never go through the
    build's main process. Each result covers a run of report ids in order (the build sorts what it parses),
    so the results in order of their first id are the segment's rows in order: written table by table,
    never concatenated; otherwise the rows are sorted first.
    """
    import pyarrow as pa

    runs = []
    for r in results:
        ids_r = column_values(r["content"]["report_id"])
        if ids_r:
            runs.append((ids_r, r))
    runs.sort(key=lambda run: run[0][0])
    flat = [i for ids_r, _ in runs for i in ids_r]
    if not flat:
        return None
    if all(a < b for a, b in zip(flat, flat[1:])):
        pieces = {p: [r[p] for _, r in runs] for p in PARTS}
    else:  # not in id order (a caller other than the build): sort the rows
        parts = {p: pa.concat_tables([r[p] for _, r in runs], promote_options="permissive") for p in PARTS}
        flat = sorted(set(flat))
        rank = {rid: k for k, rid in enumerate(flat)}
        pieces = {p: [_sorted_by_report(t, rank)] for p, t in parts.items()}
    return write_segment(root, key, flat, pieces)


def write_segment(root: Path, key: str, ids: list[str], parts: Mapping[str, Iterable], schemas=None
                  ) -> tuple[Path, dict]:
    """A segment of each part's tables (in report-id order) and its ``meta.json`` (ids, rows per id), written
    in a hidden folder and renamed into place. Returns (its folder, its meta)."""
    name = hashlib.sha256(("\n".join(ids) + key).encode()).hexdigest()[:16]
    seg = root / name
    tmp = root / f".{name}.tmp{os.getpid()}"
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    position = {rid: k for k, rid in enumerate(ids)}
    carried: list = []

    def keep_carried(t) -> None:
        import pyarrow as pa

        wanted = pa.array(CARRIED_ROWS, pa.string())
        carried.append(t.filter(_in(t.column("row"), wanted)).select(CARRIED_COLUMNS))

    rows = {p: _write_stream(parts[p], tmp / f"{p}.arrows", (schemas or {}).get(p), position,
                             keep_carried if p == "requests" else None) for p in PARTS}
    rows[CARRIED] = _write_stream(carried, tmp / f"{CARRIED}.arrows", None, position)
    meta = {"format": CACHE_FORMAT, "parser_version": PARSER_VERSION, "rows_key": key, "ids": ids,
            "rows": {p: counts.tolist() for p, counts in rows.items()}}
    (tmp / "meta.json").write_text(json.dumps(meta), encoding="utf-8")
    shutil.rmtree(seg, ignore_errors=True)
    os.replace(tmp, seg)
    return seg, meta


class _SegmentCursor:
    """Reads one segment file front to back: ``take(a, b)`` gives the rows of its ids ``a..b-1`` (taken ones)."""

    def __init__(self, path: Path, ids: list[str], rows: list[int], mine: set[str]) -> None:
        import numpy as np

        self.path, self.ids = path, ids
        self.counts = np.asarray(rows, dtype=np.int64)
        if len(self.counts) != len(ids):
            raise RuntimeError(f"cache segment {path.parent.name}: meta.json does not give {path.name}'s rows")
        self.offsets = np.concatenate([[0], np.cumsum(self.counts)])
        self.taken = np.fromiter((i in mine for i in ids), dtype=bool, count=len(ids))
        self.all_taken = bool(self.taken.all())
        self._batches = _read_stream(path)
        self._buffer: list = []  # record batches not yet consumed
        self._buffered = 0
        self.position = 0  # rows consumed

    def take(self, a: int, b: int):
        import numpy as np
        import pyarrow as pa

        r0, r1 = int(self.offsets[a]), int(self.offsets[b])
        if r0 != self.position:
            raise RuntimeError("segment cursor read out of order")
        if r1 == r0:
            return None
        while self._buffered < r1 - r0:
            batch = next(self._batches, None)
            if batch is None:
                raise RuntimeError(f"cache segment {self.path.parent.name}: {self.path.name} has fewer rows than "
                                   "its meta.json says")
            self._buffer.append(batch)
            self._buffered += batch.num_rows
        t = pa.Table.from_batches(self._buffer)
        out, rest = t.slice(0, r1 - r0), t.slice(r1 - r0)
        self._buffer = rest.to_batches()
        self._buffered = rest.num_rows
        self.position = r1
        # the rows are the ids' that meta.json says: the first and the last (a cheap guard against a wrong count)
        having = np.flatnonzero(self.counts[a:b]) + a
        rid = out.column("report_id")
        if rid[0].as_py() != self.ids[having[0]] or rid[-1].as_py() != self.ids[having[-1]]:
            raise RuntimeError(f"cache segment {self.path.parent.name}: {self.path.name}'s rows are not those "
                               "its meta.json says")
        if not self.all_taken and not self.taken[a:b].all():
            out = out.filter(pa.array(np.repeat(self.taken[a:b], self.counts[a:b])))
        return out


def id_bounds(ids: list[str], every: int) -> list[str]:
    """Batch boundaries over sorted ids: batch k holds ids from bounds[k] (the first, "") to bounds[k+1]."""
    return [""] + ids[every::every]


def column_values(col) -> list:
    """A (chunked, maybe dictionary-encoded) column as a Python list."""
    import pyarrow as pa

    if isinstance(col, pa.ChunkedArray):
        return [v for ch in col.chunks for v in column_values(ch)]
    if pa.types.is_dictionary(col.type):
        return col.dictionary.take(col.indices).to_pylist()
    return col.to_pylist()


def _write_stream(tables_: Iterable, path: Path, schema_, position: Mapping[str, int], each=None):
    """Arrow tables (one schema, in report-id order) to one IPC stream file; returns the rows of each id.
    ``each`` sees every table written.

    ``position`` gives each id's place in the segment's ids; ``schema_`` is the schema to give an empty
    file when no table comes (default: the first table's). Tables are written in groups of about
    ``GROUP_ROWS`` rows, each group's dictionaries unified (the stream format lets a group's dictionary
    replace the one before): compressing the few tables of a worker's chunk, one call per small buffer, cost
    three times as much as on the group.
    """
    import numpy as np
    import pyarrow as pa
    import pyarrow.ipc as ipc

    counts = np.zeros(len(position), dtype=np.int64)
    writer, group, n, last = None, [], 0, -1

    def flush() -> None:
        nonlocal writer, group, n
        if not group:
            return
        t = pa.concat_tables(group).unify_dictionaries().combine_chunks()
        if writer is None:
            writer = ipc.new_stream(str(path), t.schema, options=ipc.IpcWriteOptions(compression="lz4"))
        writer.write_table(t, max_chunksize=GROUP_ROWS)
        group, n = [], 0

    try:
        for t in tables_:
            if t is None:
                continue
            if schema_ is None:
                schema_ = t.schema
            if t.num_rows == 0:
                continue
            if t.schema != schema_:
                t = t.cast(schema_)
            ranks = _ranks(t.column("report_id"), position)
            if ranks[0] < last or (np.diff(ranks) < 0).any():
                raise RuntimeError(f"cache segment {path.parent.name}: {path.name} not written in report-id order")
            last = int(ranks[-1])
            counts += np.bincount(ranks, minlength=len(position))
            if each is not None:
                each(t)
            group.append(t)
            n += t.num_rows
            if n >= GROUP_ROWS:
                flush()
        flush()
        if writer is None:
            empty = schema_ if schema_ is not None else pa.schema([("report_id", pa.string())])
            writer = ipc.new_stream(str(path), empty)
    finally:
        if writer is not None:
            writer.close()
    return counts


def _ranks(col, position: Mapping[str, int]):
    """Each row's report id as its place in the segment's ids (numpy), through the dictionary: a lookup per
    distinct id, not per row."""
    import numpy as np
    import pyarrow as pa

    out = []
    for ch in (col.chunks if isinstance(col, pa.ChunkedArray) else [col]):
        if not pa.types.is_dictionary(ch.type):
            ch = ch.dictionary_encode()
        if ch.null_count:
            raise RuntimeError("a cached row without a report id")
        where = np.array([position[v] for v in ch.dictionary.to_pylist()], dtype=np.int64)
        out.append(where[np.asarray(ch.indices)] if len(where) else np.zeros(0, np.int64))
    return np.concatenate(out) if out else np.zeros(0, np.int64)


def _read_stream(path: Path) -> Iterator:
    """The record batches of one segment file (memory-mapped: only what is read is paged in)."""
    import pyarrow as pa
    import pyarrow.ipc as ipc

    with pa.memory_map(str(path)) as source:
        yield from ipc.open_stream(source)


def _stream_schema(path: Path):
    import pyarrow as pa
    import pyarrow.ipc as ipc

    with pa.memory_map(str(path)) as source:
        return ipc.open_stream(source).schema


def _sort_by_report_id(t):
    """Rows in report-id order, each report's rows kept in their order (a stable sort)."""
    import numpy as np
    import pyarrow as pa

    ids = np.asarray(column_values(t["report_id"]), dtype=object)
    if len(ids) < 2 or (ids[1:] >= ids[:-1]).all():
        return t
    return t.take(pa.array(np.argsort(ids, kind="stable")))


def _sorted_by_report(t, rank: Mapping[str, int]):
    """Rows in report-id order, keeping each report's rows in their order (a stable sort on the id's rank).

    The rows of one report are emitted in key order, so a segment sorted this
    way is in primary-key order and the tables need no sort when it is the only one.
    """
    import numpy as np
    import pyarrow as pa

    order = np.argsort(_ranks(t["report_id"], rank), kind="stable")
    if len(order) and (order[1:] > order[:-1]).all():
        return t
    return t.take(pa.array(order))


def _in(col, values):
    """Rows of ``col`` (string or dictionary-encoded, chunked or not) whose value is in ``values``, without
    decoding a dictionary."""
    import pyarrow as pa
    import pyarrow.compute as pc

    if isinstance(col, pa.ChunkedArray):
        return pa.chunked_array([_in(ch, values) for ch in col.chunks], type=pa.bool_())
    if pa.types.is_dictionary(col.type):
        return pc.take(pc.is_in(col.dictionary, value_set=values), col.indices)
    return pc.is_in(col, value_set=values)
