"""The corpus: a folder of report files in, the typed tables of ``ogi.tables`` out.

    data/raw/**  ─scan─▶  files (path, size, mtime)  ─hash─▶  report ids (sha256)
                 ─parse the new ones (process pool)─▶  cache segments  ─assemble─▶  data/processed/*.parquet

Why it is built this way:

- **Every file is accounted for.** Each file gets a row in ``reports`` with a
  status, whatever happened (unreadable, binary, empty, a symlink loop, a
  crash in the parser); a file whose bytes another file already holds, or
  that holds the same report in other bytes (same agency, year and values: a
  mirror's copy, the page beside its PDF), is a ``duplicate`` and its data
  are counted once.
- **Incremental.** A file index maps (path, size, mtime_ns) to the sha256, so
  unchanged files are not even read again; parsed reports are cached by
  content hash under the parser's version (``cache/segments/<PARSER_VERSION>``).
  The set of (path, sha256) with the parser and table versions gives the build
  fingerprint (``BUILD.json``): when it has not changed, nothing is written.
- **Fast at 100,000 reports.** The cache (``ogi.cache``) is columnar
  segments (Arrow IPC, one a chunk of up to a few thousand reports, written
  by the worker that parsed it, merged when they pile up), each holding the
  reports' tidy rows. Rebuilding the tables reads them in batches, never
  100,000 small files. A change in how rows are made (``tidy.py``,
  ``regions.py``, the table versions: ``rows_key``) parses the reports again:
  a copy of each parsed report kept to derive rows from cost ~10 % of every
  parse for that rare case.
- **Atomic and deterministic.** All tables are written to temporary files
  first, then renamed over the old ones, then ``BUILD.json`` last; an
  interrupted build leaves the previous complete set. Rows are sorted by
  primary key and files carry no timestamps, so the same inputs give
  byte-identical tables whatever the file order or the number of jobs.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import shutil
import stat
import sys
import time
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Mapping, Optional

from . import allocator, digest, editions, paths, processes, tables, tidy
from .cache import CARRIED, SegmentStore, id_bounds, write_results
from .digest import file_bytes
from .digest import sha256_file as _sha256_file
from .parse import PARSER_VERSION

__all__ = ["BuildResult", "Corpus", "build", "export", "load", "parse_partition", "scan"]

BUILD_FILE = "BUILD.json"
CACHE_DIR = "cache"
#: Below this many reports to parse, parse in this process: a pool costs more than it saves.
SERIAL_BELOW = 64
#: A parse worker writes the rows of at most this many reports as one cache segment (``_work_cached``); the
#: last chunks are smaller, so that the workers finish together.
SEGMENT_REPORTS = 2_500
#: Reports per batch when the tables are assembled and written (one Parquet row group each): the
#: tables are streamed batch by batch, never whole in memory.
BATCH_REPORTS = 1024
#: From this many reports (and with more than one job), the data tables but checks are written in a process of
#: their own while the checks table (half of the assembly's work, with the cross-year join) is written: at 100k
#: -22 % of the assembly on a thread (Arrow and Parquet release the GIL for most of it), and ~0.6 s less again in
#: a process (5.9 against 6.5 s; the build's largest sum of memory 0.93 -> 1.21 GB in the assembly, about its
#: peak during the parse).
PARALLEL_TABLES_FROM = 10_000
#: Reports whose cross-year checks are made at once (pairs multiply where an agency has many reports a year).
CROSS_REPORTS = 1024
#: Show a progress bar (on a terminal) from this many reports to parse.
PROGRESS_FROM = 200
#: Lines of a report's head given to ``regions.derive_region`` (the parser uses the same).
HEAD_LINES = 20
IGNORED_NAMES = frozenset({"MANIFEST.tsv"})
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


#: Files to read before hashing them is shared among reader processes (a fresh build of a large corpus).
HASH_POOL_FROM = 20_000
#: Processes that read and hash those files. A file not in the page cache leaves its reader waiting on the
#: disk, so many more readers than cores keep it busy: 100k files, cold, 1.8–2.1 s with 16 to 32 (``digest.py`` run
#: in a bare interpreter, ~10 MB each), against 2.7 s with 8 workers forked from the forkserver (~47 MB each).
HASH_READERS = 16


def _hash_files(files: list[FileEntry], index: FileIndex, jobs: int = 1,
                meanwhile: Optional[Callable[[], None]] = None) -> int:
    """Set each file's sha256 (from the index when unchanged); an unreadable file gets an error. Returns files read.

    From ``HASH_POOL_FROM`` files to read, with ``jobs`` > 1, ``HASH_READERS`` processes share them
    (``_hash_in_readers``), and ``meanwhile`` is called while they read (the disk leaves the cores ~40 % idle
    when the files are not in the page cache). Threads were slower (8–64 threads: 3.7–7.3 s cold for 100k files;
    the interpreter's lock is held between the reads).
    """
    todo: list[FileEntry] = []
    for f in files:
        if f.error:
            continue
        sha = index.sha256(f)
        if sha is None:
            todo.append(f)
        else:
            f.sha256 = sha
    if jobs > 1 and len(todo) >= HASH_POOL_FROM:
        results = _hash_in_readers([f.path for f in todo], meanwhile)
    else:
        results = _sha256_files([f.path for f in todo])
    read = 0
    for f, (sha, error) in zip(todo, results):
        if error is not None:
            f.error = error
        else:
            f.sha256 = sha
            read += 1
    return read


def _hash_in_readers(paths: list[str], meanwhile: Optional[Callable[[], None]] = None
                     ) -> list[tuple[Optional[str], Optional[str]]]:
    """``_sha256_files(paths)``, shared among ``HASH_READERS`` reader processes, each given every n-th path;
    ``meanwhile`` is called once they run. A reader that fails leaves its paths to this process."""
    from concurrent.futures import ThreadPoolExecutor

    n = max(1, min(HASH_READERS, len(paths)))
    readers = [_start_reader() for _ in range(n)]  # all before ``meanwhile``, which sets the forkserver's environment
    with ThreadPoolExecutor(n) as threads:  # each waits on its reader's pipes
        pending = [threads.submit(_reader_result, reader, paths[k::n]) for k, reader in enumerate(readers)]
        if meanwhile is not None:
            meanwhile()
        parts = [p.result() for p in pending]
    results: list[tuple[Optional[str], Optional[str]]] = [(None, None)] * len(paths)
    for k, part in enumerate(parts):
        results[k::n] = part
    return results


def _start_reader() -> Any:
    """A hash reader: ``digest.py`` run by itself in a bare interpreter (``digest.serve``), or None if none can
    start."""
    import subprocess

    try:
        return subprocess.Popen([sys.executable, "-I", "-S", digest.__file__], stdin=subprocess.PIPE,
                                stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    except (OSError, ValueError):
        return None


def _reader_result(reader: Any, paths: list[str]) -> list[tuple[Optional[str], Optional[str]]]:
    """``_sha256_files(paths)`` from a hash reader, or read here if there is none or it fails."""
    if reader is None:
        return _sha256_files(paths)
    try:
        out, _ = reader.communicate(b"".join(os.fsencode(p) + b"\0" for p in paths))
    except OSError:
        reader.kill()
        reader.wait()
        return _sha256_files(paths)
    lines = out.decode("utf-8", "replace").split("\n")[:-1]
    if reader.returncode != 0 or len(lines) != len(paths):
        return _sha256_files(paths)
    results: list[tuple[Optional[str], Optional[str]]] = []
    for line in lines:
        if line.startswith("!"):
            code, _, message = line[1:].partition(" ")
            if not code.isdigit():
                return _sha256_files(paths)
            results.append((None, f"cannot read file: {_os_error(OSError(int(code), message))}"))
        elif len(line) == 64 and line.isalnum():  # a hex digest
            results.append((line, None))
        else:
            return _sha256_files(paths)
    return results


def _sha256_files(paths: list[str]) -> list[tuple[Optional[str], Optional[str]]]:
    """(sha256, None) or (None, error message) for each path (in this process: a small corpus, or a failed reader's
    files)."""
    out: list[tuple[Optional[str], Optional[str]]] = []
    for path in paths:
        try:
            out.append((_sha256_file(path), None))
        except OSError as exc:
            out.append((None, f"cannot read file: {_os_error(exc)}"))
    return out


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

    (Also ``editions.py``: it decides the reports table's copies, and this key is
    in the build's fingerprint, so a change to it assembles the tables again.)

    Source files are hashed rather than trusting version numbers to be bumped:
    an edit to ``regions.py`` or its data must make the rows again (the
    reports are parsed again), never leave stale regions in the tables.
    """
    from . import regions

    here = Path(__file__).parent
    h = hashlib.sha256(f"{tables.TABLES_VERSION}|{regions.data_version()}".encode())
    for f in [here / "tables.py", here / "tidy.py", here / "editions.py", here / "regions.py", here / "schema.py",
              here / "parse" / "sections.py", *sorted((here / "data").glob("*"))]:
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


def _parse_one(rows: "tidy.Rows", sha: str, rel: str, path: str) -> Optional[str]:
    """Parse one file into ``rows``; returns the sha256 of what was read (it differs if the file changed)."""
    from .readers.document import sha256_bytes  # the reader asks again for this digest: it is kept

    data = file_bytes(path)
    actual = sha256_bytes(data)
    if actual != sha:
        return actual
    _parse_data(rows, sha, rel, data)
    return sha


def _parse_data(rows: "tidy.Rows", sha: str, rel: str, data: bytes) -> None:
    """Parse one file's bytes into ``rows``: a pure function of the bytes."""
    from .parse import parse_document
    from .readers import read_bytes

    doc = read_bytes(rel, data)
    report = parse_document(doc)
    tidy.report_rows(rows, tidy.report_fields(report), sha, "\n".join(doc.lines[:HEAD_LINES]))
    if doc.format not in _ACYCLIC_FORMATS:
        _collect_now_and_then()


def parse_partition(files: Iterable[tuple[str, bytes]]) -> dict[str, Any]:
    """The map step of a build, as a pure function: (relative path, file bytes) pairs -> tidy rows.

    What each worker of ``build`` computes, without the cache or the file
    system, so that a cluster engine can map it over partitions of a corpus
    (Dask, Spark: see the README). Files with the same bytes give one report.

    Returns
    -------
    dict of str to pyarrow.Table
        ``files`` (``path``, ``report_id``, ``bytes``, ``error``: one row per
        file, duplicates included), ``content`` (one row per report: the
        ``reports`` columns that depend on the bytes only), ``requests``,
        ``proactive``, ``review_litigation``, ``sections``, ``checks`` (the
        data tables' rows, in the declared columns). ``tables.assemble`` makes
        the six tables of them.
    """
    import pyarrow as pa

    items, listing = {}, []
    for rel, data in files:
        sha = hashlib.sha256(data).hexdigest()
        items.setdefault(sha, (rel, data))
        listing.append((rel, sha, len(data)))
    parts = _work("bytes", [(sha, rel, data) for sha, (rel, data) in sorted(items.items())])
    parts.pop("changed")
    parts["files"] = pa.table({"path": pa.array([f[0] for f in listing], pa.string()),
                               "report_id": pa.array([f[1] for f in listing], pa.string()),
                               "bytes": pa.array([f[2] for f in listing], pa.int64()),
                               "error": pa.nulls(len(listing), pa.string())})
    return parts


def _work(mode: str, items: list[tuple]) -> dict[str, Any]:
    """Parse files (``mode="parse"``: items of sha, rel, path; ``"bytes"``: sha, rel, data).

    Runs in a worker process. An exception on one file makes that file a
    ``failed`` row with the message, never a lost chunk. Returns the Arrow
    parts, and under ``"changed"`` the ids whose file changed while being read.
    """
    rows, changed = tidy.Rows(), []
    for item in items:
        sha = item[0]
        mark = rows.mark()
        try:
            if mode == "parse":
                if _parse_one(rows, *item) != sha:
                    changed.append(sha)
            else:
                _parse_data(rows, *item)
        except Exception as exc:  # noqa: BLE001 - one bad file must not stop the build
            rows.rollback(mark)
            tidy.failed_rows(rows, sha, f"internal error while reading ({item[1]}): {type(exc).__name__}: {exc}",
                               PARSER_VERSION)
    parts: dict[str, Any] = rows.to_arrow()
    parts["changed"] = changed
    return parts


def _work_cached(root: str, key: str, mode: str, items: list[tuple]) -> dict[str, Any]:
    """``_work``, its rows written as a cache segment where it runs (``cache.write_results``).

    What comes back is the segment (folder and meta) and the ids whose file
    changed, not the rows: the build's main process no longer unpickles and
    writes them on the workers' cores (~7 CPU-s at 100,000 reports).
    """
    parts = _work(mode, items)
    changed = parts.pop("changed")
    return {"segment": write_results(Path(root), key, [parts]), "changed": changed}


#: A parse worker's garbage-collector thresholds (Python's default: 700, 10, 10); see ``_worker_start``.
WORKER_GC_THRESHOLD = (500_000, 20, 10)
#: The formats whose reading and parsing leave no reference cycles (held by a test): the collector can wait
#: for them. The other readers' libraries leave some (pdfminer's objects, olefile's directory entries):
#: after every COLLECT_EVERY files of theirs the worker collects, which keeps that garbage to a few MB.
_ACYCLIC_FORMATS = frozenset({"text", "html", "binary", None, ""})
COLLECT_EVERY = 32
_uncollected = [0]


def _collect_now_and_then() -> None:
    """A collection after every ``COLLECT_EVERY`` files of a format that leaves reference cycles."""
    _uncollected[0] += 1
    if _uncollected[0] >= COLLECT_EVERY:
        import gc

        _uncollected[0] = 0
        gc.collect()


def _worker_start() -> None:
    """Set up a parse worker: what parsing loads first is loaded (``_warm_up``), what was imported is never
    garbage (``gc.freeze``), and collections are rarer.

    A report makes tens of thousands of short-lived objects and, read from text or HTML, no reference
    cycles; with Python's thresholds the collector ran every 700 of them, ~3 % of the worker's time, its
    full collections scanning the parser's and the regions' long-lived tables too (measured: 1.50 → 1.47
    ms a report on unseen files, the same peak memory). At 50,000 it still ran every ~1,300 reports,
    each time walking the chunk's row lists (~20 ms, 1.1 % of the worker); at 500,000 a 100k build sees
    a few collections. The formats that do leave cycles collect on their own (``_collect_now_and_then``).
    """
    import gc

    _warm_up()
    gc.freeze()
    gc.set_threshold(*WORKER_GC_THRESHOLD)


def _warm_up() -> None:
    """Load what a worker's first files would otherwise wait for: the HTML reader (lxml), the index of places,
    and pandas, which pyarrow imports on its first conversion of a list.

    ~0.3 s a worker, measured as the first chunk's extra cost (its first 250 reports 2.2–2.6 ms each, the
    others ~1.0). The build starts its workers while the files are still being hashed (``_start_early``),
    on cores the disk leaves idle. It only loads: a report's rows do not depend on it.
    """
    from . import regions
    from .readers import html  # noqa: F401 - the HTML reader and lxml

    regions.derive_region("北京市东城区商务局")
    tidy.Rows().to_arrow()


def _pool_context():
    # NOTE: not "fork": the parent may hold pyarrow's threads (a notebook), and a forked
    # child can deadlock on their locks. forkserver forks workers from a clean process; neither it
    # nor its workers import the caller's script again (ogi.processes).
    ctx = processes.context()
    if ctx.get_start_method() == "forkserver":
        ctx.set_forkserver_preload(["ogi.corpus", "pyarrow"])
        with processes.without_main():
            allocator.start_forkserver()  # its workers with mimalloc, where the system has it (ogi.allocator)
    return ctx


def _run(mode: str, items: list[tuple], jobs: int, progress: Optional[bool], sink,
         store: Optional[SegmentStore] = None, pool: Optional[ProcessPoolExecutor] = None
         ) -> tuple[list[str], list]:
    """Run ``_work`` over ``items`` in chunks, in a process pool when worth it; each chunk's parts go to ``sink``.

    With a ``store``, each chunk's rows are written as a cache segment where
    they are parsed (``_work_cached``), and ``sink`` gets the segment. The
    items are taken in report-id order: each chunk is then a run of ids, so
    a segment needs no sort and the assembly reads few segments a batch.
    At most a few chunks per worker are in flight, so the build holds a
    bounded number of results, whatever the corpus size. ``pool``: a pool of
    ``jobs`` parse workers started already (``_start_early``), used first.

    Returns (ids whose file changed while read, failures as (items, message)).
    A worker that dies (a C library's crash on a hostile file) breaks the pool:
    the files then in flight are read again one at a time, each in a worker of
    its own (``_pool_pass``), and only a file that kills its worker again is
    lost: reported failed for this build, not cached, and tried again. The
    other files go on in a new pool.
    """
    if not items:
        return [], []
    ordered = sorted(items, key=lambda item: item[0])
    total = len(ordered)
    work = _work if store is None else functools.partial(_work_cached, str(store.root), store.key)
    show = progress if progress is not None else (sys.stderr.isatty() and total >= PROGRESS_FROM)
    bar = None
    if show:
        from tqdm import tqdm

        bar = tqdm(total=total, unit="file", desc="parsing", file=sys.stderr)
    changed, lost = [], []

    def take(parts: dict, n: int) -> None:
        changed.extend(parts.pop("changed"))
        sink(parts)
        if bar is not None:
            bar.update(n)

    def chunks(sizes: Iterable[int]) -> Iterator[list]:
        k = 0
        for size in sizes:
            yield ordered[k:k + size]
            k += size

    try:
        if jobs <= 1 or total < SERIAL_BELOW:
            for chunk in chunks(_chunk_sizes(total, 1, SEGMENT_REPORTS if store is not None else 256)):
                take(work(mode, chunk), len(chunk))
            return changed, lost
        if store is not None:
            sizes = _chunk_sizes(total, jobs, SEGMENT_REPORTS)
        else:
            size = max(8, min(128, total // (jobs * 8) or 1))
            sizes = iter([size] * (total // size) + ([total % size] if total % size else []))
        todo = _Pushback(chunks(sizes))
        while True:
            suspects = _pool_pass(work, mode, todo, jobs, take, lost, bar, early=pool)
            pool = None  # shut down by the pass
            if suspects is None:
                break
            # a worker died (a C library's crash on a file): the files in flight when the pool broke are read
            # again one at a time, each in a worker of its own, so that only the file that kills it is lost
            _pool_pass(work, mode, _Pushback(iter([[item] for chunk in suspects for item in chunk])), 1, take, lost,
                       bar, one_by_one=True)
    finally:
        if bar is not None:
            bar.close()
    return changed, lost


def _chunk_sizes(total: int, jobs: int, largest: int) -> Iterator[int]:
    """Sizes of the chunks of ``total`` items: at most ``largest``, and a quarter of what is left a worker
    (at least 32), so that the last chunks are small and the workers finish together."""
    left = total
    while left > 0:
        size = min(left, max(32, min(largest, left // (4 * jobs))))
        yield size
        left -= size


class _Pushback:
    """An iterator that takes back an item it gave: a chunk a pool broken meanwhile would not accept."""

    def __init__(self, items: Iterator[list]) -> None:
        self._items, self._back = items, []

    def __iter__(self) -> "_Pushback":
        return self

    def __next__(self) -> list:
        return self._back.pop() if self._back else next(self._items)

    def push(self, item: list) -> None:
        self._back.append(item)


def _parse_pool(jobs: int) -> ProcessPoolExecutor:
    """A pool of ``jobs`` parse workers (each set up by ``_worker_start`` as it starts)."""
    return ProcessPoolExecutor(max_workers=jobs, mp_context=_pool_context(), initializer=_worker_start)


def _nothing() -> None:
    """A task that only makes a pool start a worker for it."""


def _start_early(jobs: int) -> ProcessPoolExecutor:
    """A pool of parse workers, started now: ``ProcessPoolExecutor`` starts a worker only for a task, so each
    gets one that does nothing, and sets itself up (``_worker_start``) meanwhile."""
    pool = _parse_pool(jobs)
    for _ in range(jobs):
        pool.submit(_nothing)
    return pool


def _pool_pass(work, mode: str, todo: _Pushback, jobs: int, take, lost: list, bar, one_by_one: bool = False,
               early: Optional[ProcessPoolExecutor] = None) -> Optional[list[list]]:
    """Run ``work`` on ``todo``'s chunks in a pool of ``jobs`` workers, a few chunks per worker in flight, each
    chunk's parts to ``take``. Returns None once ``todo`` is done, or, when a worker died and broke the pool, the
    chunks then in flight (``todo`` keeps the rest). ``one_by_one``: chunks of one file, one in flight, and a new
    pool after a death: the chunk that broke the pool is that file, and it goes to ``lost``. ``early``: a pool
    started already, used (and shut down) first instead of a new one."""
    from concurrent.futures import FIRST_COMPLETED, wait
    from concurrent.futures.process import BrokenProcessPool

    def lose(chunk: list, exc: BaseException) -> None:
        lost.append((chunk, f"the worker reading this file stopped ({type(exc).__name__}: {exc}); "
                            "it will be tried again on the next build"))
        if bar is not None:
            bar.update(len(chunk))

    while True:
        broken: list[list] = []
        refused = False  # the pool broke between a result and the next submission
        started, early = early, None
        with (started if started is not None else _parse_pool(jobs)) as pool:
            futures: dict = {}

            def submit() -> None:
                nonlocal refused
                chunk = next(todo, None)
                if chunk:
                    try:
                        futures[pool.submit(work, mode, chunk)] = chunk
                    except BrokenProcessPool:  # never started: the next pool takes it
                        todo.push(chunk)
                        refused = True

            for _ in range(1 if one_by_one else 4 * jobs):
                submit()
            while futures and not broken:
                done, _ = wait(futures, return_when=FIRST_COMPLETED)
                for fut in sorted(done, key=lambda f: futures[f][0][0]):
                    chunk = futures.pop(fut)
                    try:
                        parts = fut.result()
                    except BrokenProcessPool:
                        broken.append(chunk)
                        continue
                    except Exception as exc:  # noqa: BLE001 - a chunk's result that could not come back
                        lose(chunk, exc)
                        continue
                    take(parts, len(chunk))
                    if not broken:
                        submit()
            for fut, chunk in futures.items():  # in flight when the pool broke: done before it, or lost with it
                try:
                    take(fut.result(), len(chunk))
                except Exception:  # noqa: BLE001
                    broken.append(chunk)
        if not broken:
            if refused:
                continue  # the pool broke with no chunk in flight lost: a new one for the rest
            return None
        if not one_by_one:
            return broken
        for chunk in broken:  # the one file in flight: it killed its worker; a new pool for the files after it
            lose(chunk, BrokenProcessPool("a child process terminated abruptly"))


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
    reused: int = 0
    wrote: bool = False
    seconds: float = 0.0
    fingerprint: str = ""
    timings: dict[str, float] = field(default_factory=dict)
    #: The text tables' update (``ogi.text.store.TextUpdate``), or None when not asked for.
    text: Any = None
    #: Why the text tables could not be brought up to date (the corpus tables are written regardless).
    text_error: Optional[str] = None

    def summary(self) -> str:
        """Files by status, failed checks by rule, and where to look."""
        what = (f"{self.parsed} parsed, {self.reused} from the cache; "
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
        if self.text is not None:
            out.append("  " + self.text.summary())
        if self.text_error:
            out.append(f"  text tables NOT updated: {self.text_error} (the corpus tables are fine; "
                       "try `ogi text` for the details)")
        out.extend(self._to_look_at())
        out.append(f"  where to look: {self.out / 'reports.parquet'} (status, messages per file), "
                   f"{self.out / 'checks.parquet'} (ok == false); columns in docs/DATA.md")
        out.append("  in Python: c = ogi.load(); c.reports.query(\"status != 'ok'\")[['path', 'status', 'messages']]")
        return "\n".join(out)


    def _to_look_at(self, limit: int = 12) -> list[str]:
        """The files a researcher should look at first: not ok, worst first, each with the message that
        says why (a file that was not read: its last message, the verdict, after any notes on how it was
        read; a partial report: its first, what is missing or does not add up)."""
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
            messages = str(r["messages"] or "").split("\n")
            why = messages[0] if str(r["status"]) == "partial" else messages[-1]
            out.append(f"    {str(r['status']):<12} {r['path']}: {why[:110]}{'…' if len(why) > 110 else ''}")
        if len(rows) > limit:
            out.append(f"    … and {len(rows) - limit} more")
        return out


def _read_build_info(out: Path) -> Optional[dict]:
    try:
        return json.loads((out / BUILD_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def files_intact(files: Mapping[str, tuple[Path, int, str]], state_path: Path) -> bool:
    """Every file, given as ``name -> (path, bytes, sha256)``, is the one recorded.

    A file already verified at its present size and mtime (``state_path`` keeps
    them) is not hashed again: a no-change build checks its outputs each time,
    and hashing them all would cost seconds at 100,000 reports. The state is
    updated with what was verified (not written where the folder is read-only).
    """
    try:
        state = json.loads(state_path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        state = {}
    seen = {}
    for name, (path, size, sha) in files.items():
        try:
            st = Path(path).stat()
        except OSError:
            return False
        seen[name] = [st.st_size, st.st_mtime_ns, sha]
        if state.get(name) == seen[name]:
            continue
        if st.st_size != size or _sha256_file(str(path)) != sha:
            return False
    if seen != state:
        try:
            _atomic_write_text(state_path, json.dumps(seen))
        except OSError:  # a read-only folder: verified again next time
            pass
    return True


def _tables_intact(out: Path, info: dict, state_path: Path) -> bool:
    """All tables of ``info`` are on disk as written: same size and mtime as recorded, else the same sha256."""
    if set(info.get("tables", {})) != set(tables.TABLE_NAMES):
        return False
    return files_intact({name: (out / t["file"], t["bytes"], t["sha256"]) for name, t in info["tables"].items()},
                        state_path)


def _default_jobs() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


def build(raw: str | os.PathLike | None = None, out: str | os.PathLike | None = None, *, jobs: Optional[int] = None,
          force: bool = False, reparse: bool = False, progress: Optional[bool] = None,
          cache: str | os.PathLike | None = None, text: bool = True) -> BuildResult:
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
    text : bool
        Bring the text tables (``out/text/``: statements, keywords, similar
        pairs …, ``ogi.text.store``) up to date too, incrementally; a quick
        check when they are current. ``False`` writes the corpus tables only.

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
    with _lock(out), ExitStack() as stack:
        files = scan(raw, skip=[out, cache_dir])
        index = FileIndex(cache_dir / "files.tsv", str(raw))
        early: list[ProcessPoolExecutor] = []

        def meanwhile() -> None:  # many files to hash, so likely many to parse: set up on the cores the disk leaves
            early.append(stack.enter_context(_start_early(jobs)))
            _load_assembly_libraries()

        hashed = _hash_files(files, index, jobs, meanwhile)
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
            _update_text(result, out, jobs, text, progress)
            result.seconds = time.perf_counter() - t0
            return result

        store = SegmentStore(cache_dir / "segments", key)
        if reparse:
            store.clear()
        live: dict[str, FileEntry] = {}
        for f in files:
            if f.sha256 and f.sha256 not in live:
                live[f.sha256] = f
        have = store.ids()
        to_parse = [(s, f.rel, f.path) for s, f in live.items() if s not in have]
        result.reused = len(live) - len(to_parse)

        def sink(done: dict) -> None:
            # each chunk a segment, written by its worker: an interrupted build keeps its work
            if done["segment"] is not None:
                store.adopt(*done["segment"])

        changed, lost = _run("parse", to_parse, jobs, progress, sink, store, pool=early[0] if early else None)
        for pool in early:  # unused if there was little to parse: its workers' memory is not the assembly's
            pool.shutdown()
        result.parsed = len(to_parse)
        t2 = time.perf_counter()
        timings["parse"] = t2 - t0 - timings["scan and hash"]

        transient = {}
        for chunk, message in lost:
            for item in chunk:
                transient[item[0]] = message
        info = _assemble_and_write(out, files, set(live), store, transient, changed,
                                   fp if not (transient or changed) else "incomplete:" + fp, key,
                                   cache_dir / "tables.state.json", jobs)
        t4 = time.perf_counter()
        timings["assemble and write"] = t4 - t2
        store.compact(set(live))
        index.save([f for f in files if f.sha256 not in transient and f.sha256 not in changed])
        timings["compact"] = time.perf_counter() - t4
        result.timings = timings
        result.status, result.failed_checks, result.rows = info["status"], info["failed_checks"], info["rows"]
        result.wrote = True
        # the text tables' peak (segmenting on every core) is the build's: what the build no longer needs goes first
        del files, index, live, have, to_parse, store  # ~0.1 GB at 100k
        processes.stop_forkserver()  # and its preloads (the segmentation's workers are spawned)
        allocator.release_free_memory()  # what the assembly freed
        _update_text(result, out, jobs, text, progress)
        result.seconds = time.perf_counter() - t0
        return result


def _load_assembly_libraries() -> None:
    """Import what the assembly would import on first use (pandas: ~0.25 s), while the files are hashed."""
    import pandas  # noqa: F401
    import pyarrow.compute  # noqa: F401
    import pyarrow.parquet  # noqa: F401


def _update_text(result: BuildResult, out: Path, jobs: int, wanted: bool, progress: Optional[bool]) -> None:
    """The text tables after the corpus tables (under the build's lock, so nothing rewrites what they read).

    A failure here never undoes the corpus build: it is said in the result and the summary.
    On a terminal, a long build says what it is doing (they take ~40 s at 100,000 reports).
    """
    if not wanted:
        return
    from .text.fresh import current

    t = time.perf_counter()
    try:
        fresh = current(out)  # without pandas or jieba: a no-change rebuild need not import the text code
    except Exception:  # noqa: BLE001 - the full check below decides
        fresh = None
    if fresh is not None:
        fresh.seconds = time.perf_counter() - t
        result.text = fresh
        return
    from .text.store import update_text

    show = progress if progress is not None else (sys.stderr.isatty() and result.n_files >= PROGRESS_FROM)
    log = (lambda line: print(line, file=sys.stderr, flush=True)) if show else None
    t = time.perf_counter()
    try:
        if log and result.wrote:
            log("text tables (statements, keywords, similar pairs; `--no-text` skips them) ...")
        # one process when asked; else the text code decides (a pool from scratch, none for an update,
        # where starting one cost more than the few changed reports)
        result.text = update_text(out, processes=1 if jobs <= 1 else None, log=log)
    except Exception as exc:  # noqa: BLE001 - the corpus tables are written; say what failed
        result.text_error = f"{type(exc).__name__}: {exc}"
    if result.wrote:
        result.timings["text tables"] = time.perf_counter() - t


def _files_frame(files: list[FileEntry], transient: Mapping[str, str], changed: set[str]):
    import pandas as pd

    return pd.DataFrame({
        "path": [f.rel for f in files],
        "report_id": [f.sha256 for f in files],
        "bytes": pd.array([f.size for f in files], dtype="Int64"),
        "error": [f.error or (transient.get(f.sha256) if f.sha256 else None) or
                  ("the file changed while the build read it; build again" if f.sha256 in changed else None)
                  for f in files],
    })


def _assemble_and_write(out: Path, files: list[FileEntry], live: set[str], store: SegmentStore,
                        transient: Mapping[str, str], changed: list[str], fp: str, key: str,
                        state_path: Path, jobs: int = 1) -> dict:
    """Assemble the six tables from the cache and write them, streamed table by table, batch by batch.

    The same steps as ``tables.assemble`` without any table whole in memory:
    each data table is read from the cache segments a range of report ids
    at a time (``SegmentStore.stream``), sorted, typed and validated
    (``tables.arrow_batch``) and written as one Parquet row group. The checks
    table, the largest (with the cross-year checks), is written here by
    ``_write_checks``; the four other data tables by ``_write_tables``, in a
    process of its own meanwhile when ``jobs`` allows and the corpus is large
    (``PARALLEL_TABLES_FROM``; it streams, so it adds its interpreter and a
    batch: ~0.3 GB at 100,000 reports). The
    checks' per-report counts go into ``reports``, which comes last.

    All tables go to temporary files, then are renamed over the old ones,
    then ``BUILD.json``: all or nothing.
    """
    from . import regions

    changed_set = set(changed)
    ok_ids = live - set(transient) - changed_set
    # the reports the cache holds rows of (a segment's ids are its content rows'): known before reading any row
    ids = sorted(ok_ids & store.ids())
    idset, bounds = set(ids), id_bounds(ids, BATCH_REPORTS)
    tmp = {name: out / f".{name}.parquet.tmp{os.getpid()}" for name in tables.TABLE_NAMES}
    n_rows: dict[str, int] = {}
    others = ("requests", "proactive", "review_litigation", "sections")

    pool = None
    try:
        other_paths = {part: tmp[part] for part in others}
        if jobs > 1 and len(ids) >= PARALLEL_TABLES_FROM:
            # in a process of its own, not a thread: with two threads the assembly took ~0.6 s longer at
            # 100,000 reports, one thread waiting on the other for the interpreter (the GIL)
            pool = ProcessPoolExecutor(max_workers=1, mp_context=_pool_context())
            job = pool.submit(_write_tables, store, idset, bounds, other_paths)
        else:
            job = None
            n_rows.update(_write_tables(store, idset, bounds, other_paths))
        content = store.read("content", idset)
        if content is None:
            content = tables.coerce({c: [] for c in tables.CONTENT_COLUMNS + ("path", "duplicate_of", "bytes")},
                                    "reports")[list(tables.CONTENT_COLUMNS)]
        meta = content[["report_id", "agency_key", "year"]]
        counts_df, failed_rules, n_rows["checks"] = _write_checks(store, idset, bounds, meta, tmp["checks"])
        fdf = _files_frame(files, transient, changed_set)
        if job is not None:
            n_rows.update(job.result())
            pool.shutdown(wait=True)
            pool = None
        reports = tables.reports_frame(fdf, content, counts_df, lambda few: editions.values_from_frames(
            {part: store.read(part, set(few)) for part in ("requests", "proactive", "review_litigation")}, few))
        tables.write_table(reports, "reports", tmp["reports"])
        n_rows["reports"] = len(reports)
        digests = {name: (_sha256_file(str(tmp[name])), tmp[name].stat().st_size) for name in tables.TABLE_NAMES}
        for name in tables.TABLE_NAMES:
            os.replace(tmp[name], out / f"{name}.parquet")
    finally:
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)
        for p in tmp.values():
            if p.exists():
                p.unlink()
    info = {
        "fingerprint": fp,
        "parser_version": PARSER_VERSION,
        "tables_version": tables.TABLES_VERSION,
        "rows_key": key,
        "regions_data": regions.data_version(),
        "files": int(len(reports)),
        "status": {str(k): int(v) for k, v in
                   sorted(reports["status"].astype("string").value_counts(dropna=False).items())},
        "failed_checks": {str(k): int(v) for k, v in sorted(failed_rules.items())},
        "rows": {name: int(n_rows.get(name, 0)) for name in tables.TABLE_NAMES},
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


def _write_tables(store: SegmentStore, idset: set[str], bounds: list[str], paths: Mapping[str, Path]
                  ) -> dict[str, int]:
    """Write the data tables other than checks (each to its path); returns their rows.

    Streamed, so it holds a batch at a time: run in a process beside ``_write_checks`` on large
    corpora, it adds that process's interpreter and libraries and a batch to the build's memory.
    """
    n_rows: dict[str, int] = {}
    for part, path in paths.items():
        tables.write_table(_batches(store, part, idset, bounds, n_rows), part, path)
    return n_rows


def _batches(store: SegmentStore, part: str, idset: set[str], bounds: list[str], n_rows: dict,
             extra=None, each=None) -> Iterator:
    """One data table's rows from the cache, a range of report ids at a time, typed, sorted and validated
    (``tables.arrow_batch``); ``each`` sees every batch. ``extra(k, rows)`` is given batch ``k`` as read
    from the cache (or None) and returns it typed, rows added (``tables.arrow_batch`` of all: once a batch).
    The number of rows goes to ``n_rows[part]`` at the end."""
    n = 0
    for k, t in enumerate(store.stream(part, idset, bounds)):
        if extra is not None:
            b = extra(k, t)
        else:
            b = tables.arrow_batch(t, part) if t is not None else None
        if b is None or not b.num_rows:
            continue
        if each is not None:
            each(b)
        n += b.num_rows
        yield b
    n_rows[part] = n


def _write_checks(store: SegmentStore, idset: set[str], bounds: list[str], meta: Any, path: Path
                  ) -> tuple[Any, Counter, int]:
    """Write the checks table: each batch's own checks, then its reports' cross-year checks.

    Reads what it needs from the cache itself (the requests' carried-over and
    carried-forward rows, for the cross-year join), so that the requests table
    can be written meanwhile in another process. ``meta`` holds
    ``report_id``, ``agency_key`` and ``year`` of the reports. Returns the
    per-report counts for ``reports`` (``n_checks``, ``n_checks_failed``,
    ``n_checks_undecidable``), the failed checks by rule and the rows written.
    """
    import numpy as np
    import pandas as pd
    import pyarrow as pa

    join = tables.CrossYearJoin.from_carried(meta, store.part_tables(CARRIED, idset))

    def typed(t):
        return tables.arrow_batch(t, "checks") if t is not None else None

    def with_cross(k: int, own):
        a, b = join.rows(bounds[k], bounds[k + 1] if k + 1 < len(bounds) else None)
        if a == b:
            return typed(own)
        start = None
        if own is not None:  # each report's largest own check number
            rid = own.column("report_id")
            rid = (rid.unify_dictionaries() if pa.types.is_dictionary(rid.type) else rid.dictionary_encode())
            rid = rid.combine_chunks()
            top = np.full(len(rid.dictionary), -1, dtype=np.int64)
            np.maximum.at(top, np.asarray(rid.indices), own.column("check_no").to_numpy())
            start = pd.Series(top, index=rid.dictionary.to_pylist())
        # a few hundred reports at a time: an agency with many reports a year makes many pairs
        ids = join.ids[a:b]
        edges = (a + np.flatnonzero(np.r_[True, ids[1:] != ids[:-1]]))[::CROSS_REPORTS].tolist() + [b]
        pieces = [t for lo, hi in zip(edges, edges[1:]) if (t := join.arrow(lo, hi, start)) is not None]
        if not pieces:
            return typed(own)
        # typed and sorted once, with the batch's own checks (the pieces are in the declared schema)
        return typed(pa.concat_tables(([own] if own is not None else []) + pieces, promote_options="permissive"))

    counts: list = []
    failed_rules: Counter = Counter()

    def count(b) -> None:
        rid = b.column("report_id").combine_chunks()
        ok = b.column("ok").combine_chunks()
        idx = _np_array(rid.indices)
        failed = _np_array(ok.fill_null(True)) == False  # noqa: E712
        undecidable = _np_array(ok.is_null())
        n = len(rid.dictionary)
        counts.append(pd.DataFrame({
            "report_id": rid.dictionary.to_pylist(),
            "n_checks": _np_bincount(idx, None, n), "n_checks_failed": _np_bincount(idx, failed, n),
            "n_checks_undecidable": _np_bincount(idx, undecidable, n)}))
        rule = b.column("rule").combine_chunks()
        names = rule.dictionary.to_pylist()
        for code, c in zip(*_np_unique(_np_array(rule.indices)[failed])):
            failed_rules[names[code]] += int(c)

    n_rows: dict[str, int] = {}
    tables.write_table(_batches(store, "checks", idset, bounds, n_rows, extra=with_cross, each=count), "checks", path)
    counts_df = pd.concat(counts, ignore_index=True) if counts else pd.DataFrame(
        {"report_id": [], "n_checks": [], "n_checks_failed": [], "n_checks_undecidable": []})
    counts_df = counts_df[counts_df["n_checks"] > 0].groupby("report_id", sort=False).sum().reset_index()
    return counts_df, failed_rules, n_rows["checks"]


def _np_array(a):
    import numpy as np

    return np.asarray(a.to_numpy(zero_copy_only=False))


def _np_bincount(idx, weights, n):
    import numpy as np

    return np.bincount(idx, weights=None if weights is None else weights.astype(np.int64), minlength=n).astype(np.int64)


def _np_unique(a):
    import numpy as np

    return np.unique(a, return_counts=True)


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

    def read(self, name: str, columns: Optional[Iterable[str]] = None):
        """Table ``name``, or only some of its ``columns`` (in the declared order), validated.

        With ``columns`` only those are read from the Parquet file (and not kept): at
        100,000 reports the three columns of ``checks`` a tally needs take ~3 s, the
        whole table with its texts ~46 s and several GB. A table already read whole
        is cut from memory instead.
        """
        if name not in tables.SCHEMAS:
            raise KeyError(f"no table {name!r}; tables: {', '.join(tables.TABLE_NAMES)}")
        if columns is None:
            return self[name]
        wanted = set(columns)
        unknown = sorted(wanted - set(tables.SCHEMAS[name].names))
        if unknown:
            raise KeyError(f"{name} has no columns {unknown}; columns: {', '.join(tables.SCHEMAS[name].names)}")
        if name in self._frames:
            df = self._frames[name]
            return df[[c for c in df.columns if c in wanted]]
        return tables.read_table(self.processed / f"{name}.parquet", name, columns=columns)

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
            # the text tables are notebook 06's own (``ogi.text.load_text``): not computed for every notebook
            result = build(raw, processed, jobs=jobs, force=mode == "always", text=False)
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
    b.add_argument("--no-text", action="store_true",
                   help="write the corpus tables only, not the text tables (statements, keywords, similar pairs)")
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
                   progress=False if args.no_progress else None, text=not args.no_text)
    if result.wrote or not args.quiet_if_fresh:
        print(result.summary())
    return 0


def _cmd_export(args) -> int:
    corpus = load(args.raw, args.processed, verbose=True)
    files = export(args.format, args.out, corpus=corpus)
    for f in files:
        print(f)
    return 0
