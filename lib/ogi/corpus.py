"""The corpus: a folder of report files in, the typed tables of ``ogi.tables`` out.

    data/raw/**  ─scan─▶  files (path, size, mtime)  ─hash─▶  report ids (sha256)
                 ─parse the new ones (process pool)─▶  cache segments  ─assemble─▶  data/processed/*.parquet

Why it is built this way:

- **Every file is accounted for.** Each file gets a row in ``reports`` with a
  status, whatever happened (unreadable, binary, empty, a symlink loop, a
  crash in the parser); a file whose bytes another file already holds is a
  ``duplicate`` and its data are counted once.
- **Incremental.** A file index maps (path, size, mtime_ns) to the sha256, so
  unchanged files are not even read again; parsed reports are cached by
  content hash under the parser's version (``cache/segments/<PARSER_VERSION>``).
  The set of (path, sha256) with the parser and table versions gives the build
  fingerprint (``BUILD.json``): when it has not changed, nothing is written.
- **Fast at 100,000 reports.** The cache is a few columnar segments (Parquet,
  one per build that parsed something, merged when they pile up), each holding
  the reports' tidy rows and their ``Report.to_dict()`` JSON. Rebuilding the
  tables reads columns, never 100,000 small files; a change in ``tables.py``
  or ``regions.py`` re-derives rows from the cached JSON without parsing again.
- **Atomic and deterministic.** All tables are written to temporary files
  first, then renamed over the old ones, then ``BUILD.json`` last; an
  interrupted build leaves the previous complete set. Rows are sorted by
  primary key and files carry no timestamps, so the same inputs give
  byte-identical tables whatever the file order or the number of jobs.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import stat
import sys
import time
import zlib
from collections import Counter
from concurrent.futures import ProcessPoolExecutor, as_completed
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Iterator, Mapping, Optional

from . import paths, tables
from .parse import PARSER_VERSION

__all__ = ["BuildResult", "Corpus", "build", "export", "load", "scan"]

BUILD_FILE = "BUILD.json"
CACHE_DIR = "cache"
#: Below this many reports to parse, parse in this process: a pool costs more than it saves.
SERIAL_BELOW = 64
#: Merge the cache segments when there are more than this many.
MAX_SEGMENTS = 8
#: Write a cache segment every this many reports parsed.
FLUSH_EVERY = 20_000
#: Show a progress bar (on a terminal) from this many reports to parse.
PROGRESS_FROM = 200
#: Lines of a report's head given to ``regions.derive_region`` (the parser uses the same).
HEAD_LINES = 20
IGNORED_NAMES = frozenset({"MANIFEST.tsv"})
_PARTS = ("content", *tables.DATA_PARTS, "store")
_EXPORT_FORMATS = ("csv", "stata", "parquet")
#: Longer string columns go to Stata as strL (stored once per distinct value) rather than padded str#.
STATA_STR_MAX = 244


# --------------------------------------------------------------------------- files


@dataclass
class FileEntry:
    """One file found under the raw folder (or one that could not be listed or read)."""

    rel: str
    path: str
    size: Optional[int] = None
    mtime_ns: Optional[int] = None
    sha256: Optional[str] = None
    error: Optional[str] = None


def _display(rel: str) -> str:
    """A path as text: undecodable bytes of a file name shown as \\x.. escapes, not dropped."""
    return rel.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def _listdir(path: str) -> list[os.DirEntry]:
    with os.scandir(path) as it:
        return list(it)


def _os_error(exc: OSError) -> str:
    import errno

    if exc.errno == errno.ELOOP:
        return "symbolic link loop"
    if exc.errno == errno.ENOENT:
        return "broken symbolic link (target missing)"
    return exc.strerror or str(exc)


def scan(raw: str | os.PathLike, skip: Iterable[str | os.PathLike] = ()) -> list[FileEntry]:
    """Every file under ``raw``, sorted by relative path.

    Dotfiles and dot-folders and ``MANIFEST.tsv`` are ignored. Symbolic links
    are followed, but a folder already visited (a loop, or a second link to
    it) is not entered again; a link that loops or points nowhere is listed
    with an error, as is a folder that cannot be listed.

    Parameters
    ----------
    raw : path-like
    skip : iterable of path-like
        Folders not to enter (the output folder when it lies inside ``raw``).
    """
    raw = os.fspath(raw)
    skip_real = {os.path.realpath(os.fspath(s)) for s in skip}
    seen: set[tuple[int, int]] = set()
    out: list[FileEntry] = []

    def walk(folder: str, prefix: str) -> None:
        try:
            st = os.stat(folder)
            key = (st.st_dev, st.st_ino)
            if key in seen:
                return
            seen.add(key)
            entries = _listdir(folder)
        except OSError as exc:
            out.append(FileEntry(_display(prefix.rstrip("/")) or ".", folder,
                                 error=f"cannot list folder: {_os_error(exc)}"))
            return
        for e in sorted(entries, key=lambda e: e.name):
            if e.name.startswith(".") or e.name in IGNORED_NAMES:
                continue
            rel = prefix + e.name
            try:
                if e.is_dir(follow_symlinks=True):
                    if os.path.realpath(e.path) not in skip_real:
                        walk(e.path, rel + "/")
                    continue
                st = e.stat(follow_symlinks=True)
            except OSError as exc:
                out.append(FileEntry(_display(rel), e.path, error=_os_error(exc)))
                continue
            if not stat.S_ISREG(st.st_mode):
                out.append(FileEntry(_display(rel), e.path, error="not a regular file"))
            else:
                out.append(FileEntry(_display(rel), e.path, st.st_size, st.st_mtime_ns))

    walk(raw, "")
    out.sort(key=lambda f: f.rel)
    return out


def _sha256_file(path: str) -> str:
    with open(path, "rb") as fh:
        if hasattr(hashlib, "file_digest"):
            return hashlib.file_digest(fh, "sha256").hexdigest()
        h = hashlib.sha256()
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
        return h.hexdigest()


class FileIndex:
    """(relative path, size, mtime_ns) -> sha256 of the files seen last time, so unchanged files are not read.

    A file modified in the last two seconds is not recorded: within the
    clock's resolution a second change could keep its size and mtime.
    """

    HEADER = "# ogi file index v1"

    def __init__(self, path: Path, raw: str) -> None:
        self.path, self.raw = path, os.path.realpath(raw)
        self.entries: dict[str, tuple[int, int, str]] = {}
        try:
            with open(path, encoding="utf-8") as fh:
                header = fh.readline().rstrip("\n").split("\t")
                if header == [self.HEADER, self.raw]:
                    for line in fh:
                        rel, size, mtime, sha = line.rstrip("\n").split("\t")
                        self.entries[rel] = (int(size), int(mtime), sha)
        except (OSError, ValueError):
            self.entries = {}
        self.hits = 0

    def sha256(self, f: FileEntry) -> Optional[str]:
        e = self.entries.get(f.rel)
        if e is not None and e[0] == f.size and e[1] == f.mtime_ns:
            self.hits += 1
            return e[2]
        return None

    def save(self, files: list[FileEntry]) -> None:
        recent = time.time_ns() - 2_000_000_000
        lines = [f"{self.HEADER}\t{self.raw}\n"]
        for f in files:
            if f.sha256 and f.mtime_ns is not None and f.mtime_ns < recent and not any(c in f.rel for c in "\t\n\r"):
                lines.append(f"{f.rel}\t{f.size}\t{f.mtime_ns}\t{f.sha256}\n")
        _atomic_write_text(self.path, "".join(lines))


def _hash_files(files: list[FileEntry], index: FileIndex) -> int:
    """Set each file's sha256 (from the index when unchanged); an unreadable file gets an error. Returns files read."""
    read = 0
    for f in files:
        if f.error:
            continue
        sha = index.sha256(f)
        if sha is None:
            try:
                sha = _sha256_file(f.path)
                read += 1
            except OSError as exc:
                f.error = f"cannot read file: {_os_error(exc)}"
                continue
        f.sha256 = sha
    return read


# --------------------------------------------------------------------------- small helpers


def _atomic_write_text(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp{os.getpid()}")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


@contextmanager
def _lock(folder: Path) -> Iterator[None]:
    """One build at a time per output folder (POSIX advisory lock; no-op where fcntl is missing)."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows
        yield
        return
    with open(folder / ".lock", "w") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def rows_key() -> str:
    """What the cached rows depend on besides the parser: the table code, the region code and data.

    Source files are hashed rather than trusting version numbers to be bumped:
    an edit to ``regions.py`` or its data must re-derive the rows (cheaply,
    from the cached JSON), never leave stale regions in the tables.
    """
    from . import regions

    here = Path(__file__).parent
    h = hashlib.sha256(f"{tables.TABLES_VERSION}|{regions.data_version()}".encode())
    for f in [here / "tables.py", here / "regions.py", here / "schema.py", here / "parse" / "sections.py",
              *sorted((here / "data").glob("*"))]:
        if f.is_file():
            h.update(f.name.encode() + b"\0" + f.read_bytes())
    return h.hexdigest()[:16]


def fingerprint(files: list[FileEntry], key: str) -> str:
    """The build's identity: every (path, sha256 or error), the parser version and the rows key."""
    h = hashlib.sha256(f"{PARSER_VERSION}\n{key}\n".encode())
    for f in files:
        h.update(f"{f.rel}\t{f.sha256 or ''}\t{f.error or ''}\n".encode("utf-8", "surrogateescape"))
    return h.hexdigest()


# --------------------------------------------------------------------------- parsing (workers)


def _payload(d: Mapping[str, Any], head: str) -> bytes:
    """What the cache keeps of a parsed report to derive its rows again: ``[to_dict(), head]``, compressed."""
    return zlib.compress(json.dumps([d, head], ensure_ascii=False).encode("utf-8"), 1)


def _parse_one(rows: "tables.Rows", store: list, sha: str, rel: str, path: str) -> Optional[str]:
    """Parse one file into ``rows``; returns the sha256 of what was read (it differs if the file changed)."""
    from .parse import parse_document
    from .readers import read_bytes

    with open(path, "rb") as fh:
        data = fh.read()
    actual = hashlib.sha256(data).hexdigest()
    if actual != sha:
        return actual
    doc = read_bytes(rel, data)
    report = parse_document(doc)
    d = report.to_dict()
    head = "\n".join(doc.lines[:HEAD_LINES])
    tables.report_rows(rows, d, sha, head)
    store.append((sha, _payload(d, head)))
    return sha


def _work(mode: str, items: list[tuple]) -> dict[str, Any]:
    """Parse (``mode="parse"``: items of sha, rel, path) or derive rows again (``"rows"``: sha, payload).

    Runs in a worker process. An exception on one file makes that file a
    ``failed`` row with the message, never a lost chunk. Returns the Arrow
    parts, and under ``"changed"`` the ids whose file changed while being read.
    """
    import pyarrow as pa

    rows, store, changed = tables.Rows(), [], []
    for item in items:
        sha = item[0]
        mark, n_store = rows.mark(), len(store)
        try:
            if mode == "parse":
                if _parse_one(rows, store, *item) != sha:
                    changed.append(sha)
            else:
                d, head = json.loads(zlib.decompress(item[1]))
                tables.report_rows(rows, d, sha, head)
                store.append(item)
        except Exception as exc:  # noqa: BLE001 - one bad file must not stop the build
            rows.rollback(mark)
            del store[n_store:]
            where = f" ({item[1]})" if mode == "parse" else ""
            tables.failed_rows(rows, sha, f"internal error while reading{where}: {type(exc).__name__}: {exc}",
                               PARSER_VERSION)
            store.append((sha, None))
    parts = rows.to_arrow()
    parts["store"] = pa.table({"report_id": pa.array([s[0] for s in store], pa.string()),
                               "payload": pa.array([s[1] for s in store], pa.binary())})
    parts["changed"] = changed
    return parts


def _pool_context():
    import multiprocessing as mp

    # NOTE: not "fork": the parent may hold pyarrow's threads (a notebook), and a forked
    # child can deadlock on their locks. forkserver forks workers from a clean process.
    if "forkserver" in mp.get_all_start_methods():
        ctx = mp.get_context("forkserver")
        ctx.set_forkserver_preload(["ogi.corpus", "pyarrow"])
        return ctx
    return mp.get_context("spawn")


def _run(mode: str, items: list[tuple], jobs: int, progress: Optional[bool], sink) -> tuple[list[str], list]:
    """Run ``_work`` over ``items`` in chunks, in a process pool when worth it; each chunk's parts go to ``sink``.

    Returns (ids whose file changed while read, failures of whole chunks as
    (items, message)): a worker that died takes its chunk with it; those
    files are reported failed for this build, not cached, and tried again.
    """
    if not items:
        return [], []
    show = progress if progress is not None else (sys.stderr.isatty() and len(items) >= PROGRESS_FROM)
    bar = None
    if show:
        from tqdm import tqdm

        bar = tqdm(total=len(items), unit="file", desc="parsing" if mode == "parse" else "deriving rows",
                   file=sys.stderr)
    changed, lost = [], []

    def take(parts: dict, n: int) -> None:
        changed.extend(parts.pop("changed"))
        sink(parts)
        if bar is not None:
            bar.update(n)

    try:
        if jobs <= 1 or len(items) < SERIAL_BELOW:
            for k in range(0, len(items), 256):
                take(_work(mode, items[k:k + 256]), len(items[k:k + 256]))
            return changed, lost
        size = max(8, min(128, len(items) // (jobs * 8) or 1))
        chunks = [items[k:k + size] for k in range(0, len(items), size)]
        with ProcessPoolExecutor(max_workers=jobs, mp_context=_pool_context()) as pool:
            futures = {pool.submit(_work, mode, c): c for c in chunks}
            for fut in as_completed(futures):
                chunk = futures[fut]
                try:
                    parts = fut.result()
                except Exception as exc:  # noqa: BLE001 - e.g. a worker killed by the OS
                    lost.append((chunk, f"the worker reading this file stopped ({type(exc).__name__}: {exc}); "
                                        "it will be tried again on the next build"))
                    if bar is not None:
                        bar.update(len(chunk))
                    continue
                take(parts, len(chunk))
    finally:
        if bar is not None:
            bar.close()
    return changed, lost


# --------------------------------------------------------------------------- the cache


class SegmentStore:
    """Parsed reports cached by content hash, as columnar segments under one parser version.

    A segment is a folder of Parquet files, one per part: the content rows,
    the data rows (sorted by report id, so a single segment needs no sort),
    and ``store`` with each report's ``Report.to_dict()`` and head lines
    (zlib-compressed JSON, to derive the rows again without parsing). Its
    ``meta.json`` lists the report ids and the rows key they were derived
    with. A segment is written in a hidden folder and renamed into place, so
    a half-written one is never read; leftovers are removed.
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
                    self.segments.append((seg, meta))
                except (OSError, ValueError):
                    shutil.rmtree(seg, ignore_errors=True)

    def clear(self) -> None:
        """Forget every cached report (``ogi build --reparse``)."""
        for seg, _ in self.segments:
            shutil.rmtree(seg, ignore_errors=True)
        self.segments = []

    def ids(self, current: bool = True) -> set[str]:
        """Report ids cached with the current rows key (``current``), or with an older one."""
        out: set[str] = set()
        for _, meta in self.segments:
            if (meta.get("rows_key") == self.key) == current:
                out.update(meta["ids"])
        return out

    def add(self, results: list[dict]) -> Optional[Path]:
        """Write the workers' parts as one new segment; returns its folder (None when nothing to add)."""
        import pyarrow as pa
        import pyarrow.parquet as pq

        if not results:
            return None
        parts = {p: pa.concat_tables([r[p] for r in results], promote_options="permissive") for p in _PARTS}
        ids = sorted(set(parts["content"]["report_id"].to_pylist()))
        if not ids:
            return None
        rank = {rid: k for k, rid in enumerate(ids)}
        parts = {p: _sorted_by_report(t, rank) for p, t in parts.items()}
        name = hashlib.sha256(("\n".join(ids) + self.key).encode()).hexdigest()[:16]
        seg = self.root / name
        tmp = self.root / f".{name}.tmp{os.getpid()}"
        shutil.rmtree(tmp, ignore_errors=True)
        tmp.mkdir(parents=True)
        for p, t in parts.items():
            pq.write_table(t.combine_chunks(), str(tmp / f"{p}.parquet"), compression="zstd")
        meta = {"parser_version": PARSER_VERSION, "rows_key": self.key, "ids": ids}
        (tmp / "meta.json").write_text(json.dumps(meta), encoding="utf-8")
        shutil.rmtree(seg, ignore_errors=True)
        os.replace(tmp, seg)
        self.segments.append((seg, meta))
        return seg

    def _tables(self, part: str, ids: set[str], current: bool = True) -> list:
        """One part's Arrow tables for ``ids``, each id from the first segment that holds it."""
        import pyarrow as pa
        import pyarrow.parquet as pq

        table = "reports" if part == "content" else part
        cat_cols = [] if part == "store" else \
            [c.name for c in tables.SCHEMAS[table].columns if c.dtype == "category"]
        chunks, taken = [], set()
        for seg, meta in self.segments:
            if (meta.get("rows_key") == self.key) != current:
                continue
            mine = (set(meta["ids"]) & ids) - taken
            if not mine:
                continue
            taken |= mine
            t = pq.read_table(str(seg / f"{part}.parquet"), read_dictionary=cat_cols)
            if len(mine) < len(meta["ids"]):
                t = t.filter(_id_mask(t["report_id"], pa.array(sorted(mine), pa.string())))
            chunks.append(t)
        return chunks

    def read(self, part: str, ids: set[str], current: bool = True):
        """One part's rows for ``ids`` as a DataFrame in the declared dtypes (None if no segment has them)."""
        import pyarrow as pa

        chunks = self._tables(part, ids, current)
        if not chunks:
            return None
        t = pa.concat_tables(chunks) if len(chunks) > 1 else chunks[0]
        # dictionaries differ between segments; to_pandas unifies them into one categorical
        return t.to_pandas() if part == "store" else tables.from_arrow(t, "reports" if part == "content" else part)

    def compact(self, live: set[str]) -> None:
        """Drop segments of older rows keys, and merge the current ones when there are many or mostly dead rows."""
        import pyarrow as pa

        current = [(s, m) for s, m in self.segments if m.get("rows_key") == self.key]
        for seg, meta in self.segments:
            if meta.get("rows_key") != self.key:
                shutil.rmtree(seg, ignore_errors=True)
        self.segments = current
        n_rows = sum(len(m["ids"]) for _, m in current)
        kept = self.ids() & live
        if len(current) <= MAX_SEGMENTS and n_rows <= 2 * max(len(kept), 1):
            return
        merged = {}
        for p in _PARTS:
            chunks = self._tables(p, kept)
            if not chunks:
                return
            merged[p] = pa.concat_tables(chunks, promote_options="permissive")
        new = self.add([merged])
        for seg, _ in current:
            if seg != new:
                shutil.rmtree(seg, ignore_errors=True)
        self.segments = [(s, m) for s, m in self.segments if s.exists()]


def _sorted_by_report(t, rank: Mapping[str, int]):
    """Rows in report-id order, keeping each report's rows in their order (a stable sort on the id's rank).

    The rows of one report are emitted in key order, so a segment sorted this
    way is in primary-key order and the tables need no sort when it is the only one.
    """
    import numpy as np
    import pyarrow as pa

    ranks = []
    for chunk in t["report_id"].chunks:
        if pa.types.is_dictionary(chunk.type):
            by_entry = np.array([rank[v] for v in chunk.dictionary.to_pylist()], dtype=np.int64)
            ranks.append(by_entry[np.asarray(chunk.indices.fill_null(0))] if len(by_entry) else
                         np.zeros(len(chunk), dtype=np.int64))
        else:
            ranks.append(np.array([rank[v] for v in chunk.to_pylist()], dtype=np.int64))
    order = np.argsort(np.concatenate(ranks) if ranks else np.zeros(0, np.int64), kind="stable")
    if len(order) and (order[1:] > order[:-1]).all():
        return t
    return t.take(pa.array(order))


def _id_mask(col, ids):
    """Rows of ``col`` (string or dictionary-encoded) whose value is in ``ids``, without decoding a dictionary."""
    import pyarrow as pa
    import pyarrow.compute as pc

    masks = []
    for chunk in (col.chunks if isinstance(col, pa.ChunkedArray) else [col]):
        if pa.types.is_dictionary(chunk.type):
            masks.append(pc.take(pc.is_in(chunk.dictionary, value_set=ids), chunk.indices))
        else:
            masks.append(pc.is_in(chunk, value_set=ids))
    return pa.chunked_array(masks, type=pa.bool_())


# --------------------------------------------------------------------------- build


@dataclass
class BuildResult:
    """What a build did and found (``summary()`` prints it)."""

    raw: Path
    out: Path
    n_files: int = 0
    status: dict[str, int] = field(default_factory=dict)
    failed_checks: dict[str, int] = field(default_factory=dict)
    rows: dict[str, int] = field(default_factory=dict)
    hashed: int = 0
    parsed: int = 0
    rederived: int = 0
    reused: int = 0
    wrote: bool = False
    seconds: float = 0.0
    fingerprint: str = ""
    timings: dict[str, float] = field(default_factory=dict)

    def summary(self) -> str:
        """Files by status, failed checks by rule, and where to look."""
        what = (f"{self.parsed} parsed, {self.rederived} re-derived from the cache, {self.reused} from the cache; "
                "tables written") if self.wrote else "nothing changed; tables up to date"
        out = [f"ogi build: {self.n_files} files in {self.raw} -> {self.out} ({what}; {self.seconds:.2f} s)"]
        status = ", ".join(f"{k} {v}" for k, v in sorted(self.status.items(), key=lambda kv: (-kv[1], kv[0])))
        out.append(f"  files by status: {status or 'none'}")
        failed = ", ".join(f"{k} {v}" for k, v in sorted(self.failed_checks.items(), key=lambda kv: (-kv[1], kv[0])))
        out.append(f"  failed checks by rule: {failed or 'none'}")
        if self.rows:
            out.append("  rows: " + ", ".join(f"{k} {v}" for k, v in self.rows.items()))
        if self.wrote and self.timings:
            out.append("  seconds: " + ", ".join(f"{k} {v:.2f}" for k, v in self.timings.items()))
        out.extend(self._to_look_at())
        out.append(f"  where to look: {self.out / 'reports.parquet'} (status, messages per file), "
                   f"{self.out / 'checks.parquet'} (ok == false); columns in docs/DATA.md")
        out.append("  in Python: c = ogi.load(); c.reports.query(\"status != 'ok'\")[['path', 'status', 'messages']]")
        return "\n".join(out)


    def _to_look_at(self, limit: int = 12) -> list[str]:
        """The files a researcher should look at first: not ok, worst first, with their first message."""
        if not any(k not in ("ok", "duplicate") for k in self.status):
            return []
        try:
            import pyarrow.parquet as pq

            t = pq.read_table(self.out / "reports.parquet", columns=["path", "status", "messages"]).to_pylist()
        except Exception:  # the summary must never fail the build
            return []
        order = {"failed": 0, "partial": 1, "not_a_report": 2, "pre2019": 3}
        rows = sorted((r for r in t if str(r["status"]) in order),
                      key=lambda r: (order[str(r["status"])], str(r["path"])))
        out = ["  to look at first:"]
        for r in rows[:limit]:
            first = (str(r["messages"] or "").split("\n") or [""])[0]
            out.append(f"    {str(r['status']):<12} {r['path']}: {first[:110]}")
        if len(rows) > limit:
            out.append(f"    … and {len(rows) - limit} more")
        return out


def _read_build_info(out: Path) -> Optional[dict]:
    try:
        return json.loads((out / BUILD_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def _tables_intact(out: Path, info: dict, state_path: Path) -> bool:
    """All tables of ``info`` are on disk as written: same size and mtime as recorded, else the same sha256."""
    try:
        state = json.loads(state_path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        state = {}
    if set(info.get("tables", {})) != set(tables.TABLE_NAMES):
        return False
    changed = False
    for name, t in info["tables"].items():
        p = out / t["file"]
        try:
            st = p.stat()
        except OSError:
            return False
        if state.get(name) == [st.st_size, st.st_mtime_ns, t["sha256"]]:
            continue
        if st.st_size != t["bytes"] or _sha256_file(str(p)) != t["sha256"]:
            return False
        state[name] = [st.st_size, st.st_mtime_ns, t["sha256"]]
        changed = True
    if changed:
        _atomic_write_text(state_path, json.dumps(state))
    return True


def _default_jobs() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


def build(raw: str | os.PathLike | None = None, out: str | os.PathLike | None = None, *, jobs: Optional[int] = None,
          force: bool = False, reparse: bool = False, progress: Optional[bool] = None,
          cache: str | os.PathLike | None = None) -> BuildResult:
    """Parse every file under ``raw`` and write the tables to ``out``, doing only what changed.

    Parameters
    ----------
    raw : path-like, optional
        The folder of report files (default ``paths.RAW``).
    out : path-like, optional
        Where the tables go (default ``paths.PROCESSED``).
    jobs : int, optional
        Worker processes for parsing (default: the CPUs this process may use).
    force : bool
        Write the tables even when nothing changed.
    reparse : bool
        Ignore the cache: parse every file again.
    progress : bool, optional
        Show a progress bar; default: on a terminal, for long builds.
    cache : path-like, optional
        The cache folder (default ``out/cache``).

    Returns
    -------
    BuildResult
    """
    t0 = time.perf_counter()
    raw = Path(raw if raw is not None else paths.RAW)
    out = Path(out if out is not None else paths.PROCESSED)
    if not raw.is_dir():
        raise FileNotFoundError(f"raw folder not found: {raw}")
    out.mkdir(parents=True, exist_ok=True)
    cache_dir = Path(cache) if cache is not None else out / CACHE_DIR
    jobs = jobs or _default_jobs()
    with _lock(out):
        files = scan(raw, skip=[out, cache_dir])
        index = FileIndex(cache_dir / "files.tsv", str(raw))
        hashed = _hash_files(files, index)
        timings = {"scan and hash": time.perf_counter() - t0}
        key = rows_key()
        fp = fingerprint(files, key)
        info = _read_build_info(out)
        result = BuildResult(raw, out, n_files=len(files), hashed=hashed, fingerprint=fp)
        if not (force or reparse) and info and info.get("fingerprint") == fp and \
                _tables_intact(out, info, cache_dir / "tables.state.json"):
            if hashed:
                index.save(files)
            result.status, result.failed_checks = info["status"], info["failed_checks"]
            result.rows = info["rows"]
            result.seconds = time.perf_counter() - t0
            return result

        store = SegmentStore(cache_dir / "segments", key)
        if reparse:
            store.clear()
        live: dict[str, FileEntry] = {}
        for f in files:
            if f.sha256 and f.sha256 not in live:
                live[f.sha256] = f
        have, stale = store.ids(), store.ids(current=False)
        todo = [s for s in live if s not in have]
        rederive = [s for s in todo if s in stale]
        to_parse = [(s, live[s].rel, live[s].path) for s in todo if s not in stale]
        result.reused = len(live) - len(todo)

        pending: list[dict] = []

        def sink(parts: dict) -> None:
            # a segment every FLUSH_EVERY reports: bounded memory, and an interrupted build keeps its work
            pending.append(parts)
            if sum(p["content"].num_rows for p in pending) >= FLUSH_EVERY:
                store.add(pending)
                pending.clear()

        changed, lost = [], []
        if rederive:
            stored = store.read("store", set(rederive), current=False)
            items = [(r.report_id, r.payload) for r in stored.itertuples(index=False) if r.payload is not None]
            again = set(rederive) - {i[0] for i in items}  # cached as failed, without a payload: parse again
            to_parse += [(s, live[s].rel, live[s].path) for s in sorted(again)]
            ch, lo = _run("rows", items, jobs, progress, sink)
            changed, lost, result.rederived = changed + ch, lost + lo, len(items)
        ch, lo = _run("parse", to_parse, jobs, progress, sink)
        changed, lost, result.parsed = changed + ch, lost + lo, len(to_parse)
        store.add(pending)
        t2 = time.perf_counter()
        timings["parse"] = t2 - t0 - timings["scan and hash"]

        transient = {}
        for chunk, message in lost:
            for item in chunk:
                transient[item[0]] = message
        frames = _assemble(files, set(live), store, transient, changed)
        t3 = time.perf_counter()
        timings["assemble"] = t3 - t2
        info = _write(out, frames, fp if not (transient or changed) else "incomplete:" + fp, key,
                      cache_dir / "tables.state.json")
        t4 = time.perf_counter()
        timings["write"] = t4 - t3
        store.compact(set(live))
        index.save([f for f in files if f.sha256 not in transient and f.sha256 not in changed])
        timings["compact"] = time.perf_counter() - t4
        result.timings = timings
        result.status, result.failed_checks, result.rows = info["status"], info["failed_checks"], info["rows"]
        result.wrote = True
        result.seconds = time.perf_counter() - t0
        return result


def _assemble(files: list[FileEntry], live: set[str], store: SegmentStore, transient: Mapping[str, str],
              changed: list[str]) -> dict[str, Any]:
    import pandas as pd

    changed_set = set(changed)
    fdf = pd.DataFrame({
        "path": [f.rel for f in files],
        "report_id": [f.sha256 for f in files],
        "bytes": pd.array([f.size for f in files], dtype="Int64"),
        "error": [f.error or (transient.get(f.sha256) if f.sha256 else None) or
                  ("the file changed while the build read it; build again" if f.sha256 in changed_set else None)
                  for f in files],
    })
    ok_ids = live - set(transient) - changed_set
    content = store.read("content", ok_ids)
    if content is None:
        content = tables.coerce({c: [] for c in tables.CONTENT_COLUMNS + ("path", "duplicate_of", "bytes")},
                                "reports")[list(tables.CONTENT_COLUMNS)]
    ids = set(content["report_id"].astype("string"))
    parts = {}
    for p in tables.DATA_PARTS:
        df = store.read(p, ids)
        parts[p] = df if df is not None else tables.coerce({c: [] for c in tables.SCHEMAS[p].names}, p)
    return tables.assemble(fdf, content, parts)


def _write(out: Path, frames: Mapping[str, Any], fp: str, key: str, state_path: Path) -> dict:
    """Write every table to a temporary file, then rename them all, then BUILD.json: all or nothing."""
    from . import regions

    tmp = {name: out / f".{name}.parquet.tmp{os.getpid()}" for name in tables.TABLE_NAMES}
    try:
        for name in tables.TABLE_NAMES:
            tables.write_table(frames[name], name, tmp[name])
        digests = {name: (_sha256_file(str(tmp[name])), tmp[name].stat().st_size) for name in tables.TABLE_NAMES}
        for name in tables.TABLE_NAMES:
            os.replace(tmp[name], out / f"{name}.parquet")
    finally:
        for p in tmp.values():
            if p.exists():
                p.unlink()
    reports, checks = frames["reports"], frames["checks"]
    failed = checks[checks["ok"].eq(False).fillna(False)]
    info = {
        "fingerprint": fp,
        "parser_version": PARSER_VERSION,
        "tables_version": tables.TABLES_VERSION,
        "rows_key": key,
        "regions_data": regions.data_version(),
        "files": int(len(reports)),
        "status": {str(k): int(v) for k, v in sorted(Counter(reports["status"].astype("string")).items())},
        "failed_checks": {str(k): int(v) for k, v in sorted(Counter(failed["rule"].astype("string")).items())},
        "rows": {name: int(len(frames[name])) for name in tables.TABLE_NAMES},
        "tables": {name: {"file": f"{name}.parquet", "sha256": d, "bytes": n}
                   for name, (d, n) in digests.items()},
    }
    _atomic_write_text(out / BUILD_FILE, json.dumps(info, ensure_ascii=False, indent=1) + "\n")
    state = {}
    for name, t in info["tables"].items():
        st = (out / t["file"]).stat()
        state[name] = [st.st_size, st.st_mtime_ns, t["sha256"]]
    _atomic_write_text(state_path, json.dumps(state))
    return info


# --------------------------------------------------------------------------- load


class Corpus(Mapping):
    """The built tables: ``corpus.requests`` or ``corpus["requests"]``, read on first use and validated.

    Parameters
    ----------
    processed : path-like
        The folder holding the tables and ``BUILD.json``.
    """

    def __init__(self, processed: str | os.PathLike) -> None:
        self.processed = Path(processed)
        self.info = _read_build_info(self.processed) or {}
        self._frames: dict[str, Any] = {}

    def __getitem__(self, name: str):
        if name not in tables.SCHEMAS:
            raise KeyError(f"no table {name!r}; tables: {', '.join(tables.TABLE_NAMES)}")
        if name not in self._frames:
            self._frames[name] = tables.read_table(self.processed / f"{name}.parquet", name)
        return self._frames[name]

    def __getattr__(self, name: str):
        if name in tables.SCHEMAS:
            return self[name]
        raise AttributeError(name)

    def __iter__(self):
        return iter(tables.TABLE_NAMES)

    def __len__(self) -> int:
        return len(tables.TABLE_NAMES)

    def __dir__(self):
        return [*super().__dir__(), *tables.TABLE_NAMES]

    @staticmethod
    def labels(kind: str, lang: str = "en") -> dict[str, str]:
        """Code -> label (see ``ogi.tables.labels``)."""
        return tables.labels(kind, lang)

    def export(self, fmt: str, out: str | os.PathLike | None = None) -> list[Path]:
        """Write the tables as csv, stata or parquet (see ``ogi.corpus.export``)."""
        return export(fmt, out, corpus=self)

    def __repr__(self) -> str:
        rows = self.info.get("rows", {})
        status = ", ".join(f"{k} {v}" for k, v in self.info.get("status", {}).items())
        tabs = ", ".join(f"{n} ({rows.get(n, '?')} rows)" for n in tables.TABLE_NAMES)
        return (f"<ogi.Corpus {self.processed}: {self.info.get('files', '?')} files ({status}); "
                f"parser {self.info.get('parser_version', '?')}; tables: {tabs}>")


def load(raw: str | os.PathLike | None = None, processed: str | os.PathLike | None = None,
         rebuild: str | bool = "auto", jobs: Optional[int] = None, verbose: bool = True) -> Corpus:
    """The corpus tables for a notebook, built first when missing or stale.

    Parameters
    ----------
    raw : path-like, optional
        Report files (default ``paths.RAW``).
    processed : path-like, optional
        Where the tables are (default ``paths.PROCESSED``).
    rebuild : {"auto", "always", "never"} or bool
        ``"auto"`` builds when raw files, the parser or the table code
        changed (a quick check otherwise); ``"always"`` (True) rewrites the
        tables; ``"never"`` (False) only reads.
    jobs : int, optional
        Worker processes if a build is needed.
    verbose : bool
        Print the build summary (to stderr) when something was built.

    Returns
    -------
    Corpus
        Tables as pandas DataFrames: ``.reports``, ``.requests``,
        ``.proactive``, ``.review_litigation``, ``.sections``, ``.checks``.
    """
    raw = Path(raw if raw is not None else paths.RAW)
    processed = Path(processed if processed is not None else paths.PROCESSED)
    mode = {True: "always", False: "never"}.get(rebuild, rebuild)  # type: ignore[arg-type]
    if mode not in ("auto", "always", "never"):
        raise ValueError(f"rebuild must be 'auto', 'always' or 'never', not {rebuild!r}")
    if mode != "never":
        if raw.is_dir():
            result = build(raw, processed, jobs=jobs, force=mode == "always")
            if verbose and result.wrote:
                print(result.summary(), file=sys.stderr)
        elif not (processed / BUILD_FILE).exists():
            raise FileNotFoundError(f"no raw folder {raw} and no tables in {processed}")
    if not (processed / BUILD_FILE).exists():
        raise FileNotFoundError(f"no tables in {processed}: run `ogi build` (or `make data`) first")
    return Corpus(processed)


# --------------------------------------------------------------------------- export


def _stata_frame(df, table: str):
    """A frame Stata accepts: value-labelled categoricals only for the schema's fixed codes, no NA in strings."""
    import pandas as pd

    out = {}
    for col in tables.SCHEMAS[table].columns:
        s = df[col.name]
        if col.dtype == "category":
            out[col.name] = s if col.categories is not None else s.astype("string").fillna("").astype(object)
        elif col.dtype == "string":
            out[col.name] = s.fillna("").astype(object)
        elif col.dtype == "boolean":
            out[col.name] = s.astype("Float64").astype("float64")  # 1 / 0 / missing
        else:
            out[col.name] = s.astype("float64") if col.dtype == "Float64" else s
    return pd.DataFrame(out)


def export(fmt: str, out: str | os.PathLike | None = None, *, corpus: Optional[Corpus] = None,
           processed: str | os.PathLike | None = None) -> list[Path]:
    """Write every table, and the codebook, for researchers working in a spreadsheet, Stata or R.

    Parameters
    ----------
    fmt : {"csv", "stata", "parquet"}
        ``csv``: UTF-8 with a byte-order mark, so Excel shows Chinese;
        ``stata``: ``.dta`` version 118 (Unicode), schema codes as value
        labels, descriptions as variable labels, long texts as strL;
        ``parquet``: copies of the tables.
    out : path-like, optional
        Folder (default ``<processed>/export/<fmt>``).
    corpus : Corpus, optional
        The tables; default: read from ``processed``.
    processed : path-like, optional
        Default ``paths.PROCESSED``.

    Returns
    -------
    list of Path
        The files written.
    """
    if fmt not in _EXPORT_FORMATS:
        raise ValueError(f"format must be one of {', '.join(_EXPORT_FORMATS)}, not {fmt!r}")
    corpus = corpus if corpus is not None else Corpus(processed if processed is not None else paths.PROCESSED)
    out = Path(out) if out is not None else corpus.processed / "export" / fmt
    out.mkdir(parents=True, exist_ok=True)
    written = []
    codebook = tables.codebook()
    for name in [*tables.TABLE_NAMES, "codebook"]:
        df = codebook if name == "codebook" else corpus[name]
        if fmt == "csv":
            target = out / f"{name}.csv"
            tmp = target.with_name(f".{target.name}.tmp")
            df.to_csv(tmp, index=False, encoding="utf-8-sig", lineterminator="\n")
        elif fmt == "parquet":
            target = out / f"{name}.parquet"
            tmp = target.with_name(f".{target.name}.tmp")
            if name == "codebook":
                import pyarrow as pa
                import pyarrow.parquet as pq

                pq.write_table(pa.Table.from_pandas(df, preserve_index=False), str(tmp), compression="zstd")
            else:
                shutil.copyfile(corpus.processed / f"{name}.parquet", tmp)
        else:
            target = out / f"{name}.dta"
            tmp = target.with_name(f".{target.name}.tmp")
            _to_stata(df, name, tmp)
        os.replace(tmp, target)
        written.append(target)
    return written


def _to_stata(df, name: str, path: Path) -> None:
    import warnings

    if name == "codebook":
        sdf, var_labels, label = df.astype(object), {}, "Codes with their Chinese and English labels"
    else:
        ts = tables.SCHEMAS[name]
        sdf = _stata_frame(df, name)
        var_labels = {c.name: c.en[:80] for c in ts.columns}
        label = ts.en[:80]
    # Stata's str# is fixed width: a column of long texts (sections, check details) would pad every row to its
    # longest value; strL stores each distinct text once. Keys (path, report_id) stay str# for merge.
    strl = [c for c in sdf.columns if sdf[c].dtype == object and c not in ("path", "report_id") and
            max((len(v.encode("utf-8")) for v in sdf[c] if isinstance(v, str)), default=0) > STATA_STR_MAX]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # pandas warns about value-label and name conversions it does as asked
        sdf.to_stata(path, write_index=False, version=118, variable_labels=var_labels, data_label=label,
                     convert_strl=strl)


# --------------------------------------------------------------------------- CLI


def add_cli(sub) -> None:
    """Register ``ogi build`` and ``ogi export`` on the CLI's subparsers."""
    b = sub.add_parser("build", help="parse a folder of reports into the corpus tables (incremental)")
    b.add_argument("raw", nargs="?", default=None, help=f"folder of report files (default {paths.RAW})")
    b.add_argument("--out", default=None, help=f"folder for the tables (default {paths.PROCESSED})")
    b.add_argument("--jobs", "-j", type=int, default=None, help="worker processes (default: the CPUs available)")
    b.add_argument("--force", action="store_true", help="write the tables even if nothing changed")
    b.add_argument("--reparse", action="store_true", help="ignore the cache and parse every file again")
    b.add_argument("--no-progress", action="store_true", help="no progress bar")
    b.add_argument("--quiet-if-fresh", action="store_true", help="print nothing when the tables are up to date")
    b.set_defaults(func=_cmd_build)

    e = sub.add_parser("export", help="write the corpus tables as CSV (UTF-8 with BOM), Stata .dta or Parquet")
    e.add_argument("--format", "-f", choices=_EXPORT_FORMATS, default="csv")
    e.add_argument("--out", default=None, help="folder (default <processed>/export/<format>)")
    e.add_argument("--processed", default=None, help=f"folder of the tables (default {paths.PROCESSED})")
    e.add_argument("--raw", default=None, help="build from this folder first if the tables are stale "
                                               f"(default {paths.RAW}, when it exists)")
    e.set_defaults(func=_cmd_export)


def _cmd_build(args) -> int:
    result = build(args.raw, args.out, jobs=args.jobs, force=args.force, reparse=args.reparse,
                   progress=False if args.no_progress else None)
    if result.wrote or not args.quiet_if_fresh:
        print(result.summary())
    return 0


def _cmd_export(args) -> int:
    corpus = load(args.raw, args.processed, verbose=True)
    files = export(args.format, args.out, corpus=corpus)
    for f in files:
        print(f)
    return 0
