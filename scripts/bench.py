#!/usr/bin/env python
"""`make bench`: the corpus build, notebooks, dashboards and segmentation against the targets of issue 6.

    python scripts/bench.py                      # 10k and 100k synthetic reports (the first run generates them)
    python scripts/bench.py --quick              # 2k and 10k: a few minutes, for CI or a quick look
    python scripts/bench.py --sizes 300,3000     # any sizes
    python scripts/bench.py --profile 10000      # where the build's time goes (cProfile), for docs/PERFORMANCE.md

Every corpus is synthetic (``ogi.synth``: every report says 【合成数据 SYNTHETIC】),
generated once per (size, seed, version of synth.py) into ``.cache/bench/corpora``
(never ``data/raw``) and reused; generation is not timed. For each size, in one run:

1. a full build from nothing on all cores (``ogi build`` in a child process, its text
   tables included as the command makes them: the corpus build's seconds are the
   command's wall without the text tables' step, which is shown on its own; the
   build's own phase timings; peak memory of the whole command's process tree);
2. a rebuild with nothing changed (median of three);
3. a rebuild after 1 % of the files changed (their bytes edited, then restored),
   counting the files it parsed;
4. parse throughput on one core, on a sample, in this process's child.

On the largest size: each ``notebooks/*.ipynb`` executed (nbclient) with its
``parameters`` cell overridden to the large corpus, the filter -> figure latency
of each dashboard of ``ogi.dashboards``, and segmentation throughput of the
problems sections (``ogi.text.tokenize``). Parts not written yet say so.

The machine is shared and noisy: wall time is printed beside CPU time, and the
load average at start and end. Results go to ``.cache/bench/results.json`` (and
one line per run to ``history.jsonl``).

Peak memory is the largest sum of the resident set sizes of the build process
and all its descendants (psutil, sampled every 50 ms); pages shared between
workers are counted once per process, so it overstates a little. Without
psutil, the largest single process (getrusage) is shown instead.
"""

from __future__ import annotations

import argparse
import ast
import hashlib
import importlib
import inspect
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any, Callable, Optional

from ogi import allocator, paths

SEED = 20240601
HERE = Path(__file__).resolve()
#: The size at which the issue states the targets (rates hold at any size).
TARGET_SIZE = 100_000
GB = 1e9


# --------------------------------------------------------------------------- targets

class Target:
    """A target: ``op`` is ``>=`` (higher is better) or ``<=``; ``at`` the corpus size it is stated for (None: any)."""

    def __init__(self, op: str, value: float, unit: str, at: Optional[int] = None, implied: bool = False):
        self.op, self.value, self.unit, self.at, self.implied = op, value, unit, at, implied

    def text(self) -> str:
        value = f"{self.value / GB:g} GB" if self.unit == "B" else f"{_num(self.value)} {self.unit}"
        return f"{'≥' if self.op == '>=' else '≤'} {value}" + (" (implied)" if self.implied else "")

    def judge(self, value: Optional[float], n: Optional[int]) -> tuple[Optional[float], str]:
        """(ratio figure/target, MET / NOT MET); parenthesised when the target is stated for another size."""
        if value is None:
            return None, "n/a"
        ratio = value / self.value
        met = ratio >= 1 if self.op == ">=" else ratio <= 1
        status = "MET" if met else "NOT MET"
        if self.at is not None and n is not None and n != self.at:
            status = f"({status.lower()})"
        return ratio, status


def targets(jobs: int) -> dict[str, Target]:
    return {
        "build_rate": Target(">=", 1500, "reports/s"),
        "build_seconds": Target("<=", 60, "s", at=TARGET_SIZE),
        "parse_rate_all": Target(">=", 1500, "reports/s", implied=True),
        "parse_rate_1": Target(">=", 1500 / max(jobs, 1), "reports/s", implied=True),
        "nochange_seconds": Target("<=", 3, "s", at=TARGET_SIZE),
        "peak_memory": Target("<=", 1.5 * GB, "B", at=TARGET_SIZE),
        "notebook_seconds": Target("<=", 90, "s", at=TARGET_SIZE),
        "dashboard_ms": Target("<=", 150, "ms", at=TARGET_SIZE),
    }


def _num(v: float) -> str:
    if v >= 100:
        return f"{v:,.0f}"
    return f"{v:.3g}"


# --------------------------------------------------------------------------- corpora

def synth_version() -> str:
    """What a synthetic corpus is a function of: synth.py, and the agency population it builds with
    regions.py from the division data (whose package versions ``data_version`` names)."""
    from ogi import regions, synth

    h = hashlib.sha256()
    for module in (synth, regions):
        h.update(Path(module.__file__).read_bytes())
    h.update(regions.data_version().encode())
    return h.hexdigest()[:12]


def ensure_corpus(n: int, seed: int, root: Path, log: Callable[[str], None] = print) -> Path:
    """The raw folder of a synthetic corpus of ``n`` reports, generated on first use (not timed).

    ``truth.jsonl`` goes beside ``raw/``, not in it (it is not a report). A
    corpus is regenerated when synth.py changes; an interrupted generation
    leaves only a hidden temporary folder, removed next time.
    """
    from ogi import synth

    folder = root / f"n{n}-seed{seed}"
    want = {"n": n, "seed": seed, "synth": synth_version(), "layouts": list(synth.LAYOUTS)}
    try:
        if json.loads((folder / "corpus.json").read_text(encoding="utf-8")) == want:
            return folder / "raw"
    except (OSError, ValueError):
        pass
    log(f"generating a synthetic corpus of {n:,} reports (seed {seed}) into {folder} (once; not timed) ...")
    t0 = time.perf_counter()
    root.mkdir(parents=True, exist_ok=True)
    for old in root.glob(f".n{n}-seed{seed}.tmp*"):
        shutil.rmtree(old, ignore_errors=True)
    tmp = root / f".n{n}-seed{seed}.tmp{os.getpid()}"
    truth = synth.write_corpus(tmp / "raw", n, seed)
    os.replace(truth, tmp / "truth.jsonl")
    (tmp / "corpus.json").write_text(json.dumps(want), encoding="utf-8")
    shutil.rmtree(folder, ignore_errors=True)
    os.replace(tmp, folder)
    log(f"  generated in {time.perf_counter() - t0:.0f} s")
    time.sleep(2.1)  # the build's file index trusts only files older than two seconds
    return folder / "raw"


class Edits:
    """Edit 1 % of a corpus's files and put them back; the originals are kept on disk until restored,
    so an interrupted run is repaired by the next one (``restore``)."""

    def __init__(self, raw: Path, backup: Path):
        self.raw, self.backup = raw, backup

    def restore(self) -> int:
        if not self.backup.is_dir():
            return 0
        names = json.loads((self.backup / "files.json").read_text(encoding="utf-8"))
        for name in names:
            shutil.copyfile(self.backup / "orig" / name, self.raw / name)
        shutil.rmtree(self.backup)
        return len(names)

    def apply(self, share: float = 0.01) -> list[str]:
        self.restore()
        files = sorted(p.name for p in self.raw.iterdir() if not p.name.startswith("."))
        step = max(1, round(1 / share))
        chosen = files[step // 2::step]
        (self.backup / "orig").mkdir(parents=True, exist_ok=True)
        for name in chosen:
            shutil.copyfile(self.raw / name, self.backup / "orig" / name)
        (self.backup / "files.json").write_text(json.dumps(chosen), encoding="utf-8")
        for name in chosen:
            p = self.raw / name
            data = p.read_bytes()
            extra = "\n<!-- bench: edited -->\n" if name.endswith(".html") else "\n（基准测试修改）\n"
            p.write_bytes(data + extra.encode("utf-8"))
        return chosen


# --------------------------------------------------------------------------- measuring a child process

class TreeSampler(threading.Thread):
    """Peak resident memory of a process and all its descendants, sampled (psutil)."""

    def __init__(self, pid: int, every: float = 0.05):
        super().__init__(daemon=True)
        self.pid, self.every = pid, every
        self.peak_tree = 0
        self.peak_main = 0
        self.peak_procs = 0
        self._halt = threading.Event()
        try:
            import psutil  # noqa: F401

            self.available = True
        except ImportError:
            self.available = False

    def run(self) -> None:
        if not self.available:
            return
        import psutil

        try:
            root = psutil.Process(self.pid)
        except psutil.Error:
            return
        while not self._halt.is_set():
            try:
                procs = [root, *root.children(recursive=True)]
            except psutil.Error:
                break
            total = 0
            for p in procs:
                try:
                    rss = p.memory_info().rss
                except psutil.Error:
                    continue
                total += rss
                if p.pid == self.pid:
                    self.peak_main = max(self.peak_main, rss)
            self.peak_tree = max(self.peak_tree, total)
            self.peak_procs = max(self.peak_procs, len(procs))
            self._halt.wait(self.every)

    def stop(self) -> None:
        self._halt.set()
        self.join()


def run_child(args: list[str], env: Optional[dict] = None, timeout: Optional[float] = None) -> dict:
    """Run ``bench.py <args>`` in a child process; returns its JSON with wall, CPU (children) and memory."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    proc = subprocess.Popen([sys.executable, str(HERE), *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, env=env)
    sampler = TreeSampler(proc.pid)
    sampler.start()
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        out, err = proc.communicate()
        sampler.stop()
        return {"error": f"timed out after {timeout} s", "stderr": err[-2000:]}
    wall = time.perf_counter() - t0
    sampler.stop()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode != 0:
        return {"error": f"exit {proc.returncode}", "stderr": err[-4000:]}
    lines = [l for l in out.splitlines() if l.startswith("{")]
    res = json.loads(lines[-1]) if lines else {}
    res["wall"] = wall
    res["cpu"] = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if sampler.available:
        res["peak_tree_bytes"] = sampler.peak_tree
        res["peak_main_bytes"] = sampler.peak_main
        res["processes"] = sampler.peak_procs
        res["memory_source"] = "psutil: sum of RSS over the process tree"
    else:
        res["peak_tree_bytes"] = max(res.get("maxrss_self", 0), res.get("maxrss_children", 0))
        res["memory_source"] = "getrusage: largest single process (psutil not installed)"
    return res


def _rusage() -> dict:
    s, c = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return {"maxrss_self": s.ru_maxrss * 1024, "maxrss_children": c.ru_maxrss * 1024,
            "cpu_self": s.ru_utime + s.ru_stime, "cpu_children": c.ru_utime + c.ru_stime}


# --------------------------------------------------------------------------- child commands

def child_build(raw: str, out: str, jobs: int, force: bool, text: bool) -> dict:
    """``ogi build`` in a child: with ``text`` the text tables too, as the command does by default."""
    from ogi import corpus, processes

    r = corpus.build(raw, out, jobs=jobs, force=force, progress=False, text=text)
    processes.stop_forkserver()  # the forkserver and its workers waited for: they count in RUSAGE_CHILDREN
    return {"seconds": r.seconds, "parsed": r.parsed, "reused": r.reused,
            "hashed": r.hashed, "wrote": r.wrote, "n_files": r.n_files, "timings": r.timings,
            "rows": r.rows, "status": r.status, "text": r.text.status if r.text else None,
            "text_timings": getattr(r.text, "timings", None) or {}, "text_error": r.text_error, **_rusage()}


def child_parse_sample(raw: str, n: int) -> dict:
    """The worker's job (read, hash, parse, rows, Arrow) on ``n`` files, in one process."""
    import hashlib as hl

    from ogi import corpus

    files = sorted(p for p in Path(raw).iterdir() if not p.name.startswith("."))
    step = max(1, len(files) // n)
    sample = files[::step][:n]
    items = [(hl.sha256(p.read_bytes()).hexdigest(), p.name, str(p)) for p in sample]
    corpus._worker_start()  # as a build's worker: its collector settings (and, from run_child, its allocator)
    corpus._work("parse", items[:20])  # imports and first-use caches, not timed
    t0, c0 = time.perf_counter(), time.process_time()
    corpus._work("parse", items)
    wall, cpu = time.perf_counter() - t0, time.process_time() - c0
    return {"n": len(items), "seconds": wall, "cpu_seconds": cpu, "accuracy": _accuracy(Path(raw), sample),
            **_rusage()}


def _accuracy(raw: Path, sample: list[Path]) -> Optional[dict]:
    """Cells of the sample read exactly, left null or wrong against the corpus's ``truth.jsonl`` (not timed)."""
    import ogi
    from ogi import synth

    truth_path = raw.parent / "truth.jsonl"
    if not truth_path.is_file():
        return None
    wanted = {p.name for p in sample}
    total = {"reports": 0, "exact": 0, "null": 0, "wrong": 0}
    with open(truth_path, encoding="utf-8") as fh:
        for line in fh:
            truth = json.loads(line)
            if truth["file"] in wanted:
                got = synth.score(ogi.parse_file(raw / truth["file"]), truth)
                total["reports"] += 1
                for k, v in got.items():
                    total[k] += v
    return total


def child_dashboards(raw: str, out: str, lang: str, repeats: int) -> dict:
    """Filter -> figure latency of every dashboard of ``ogi.dashboards``, measured in this kernel-less process."""
    try:
        mod = importlib.import_module("ogi.dashboards")
    except ModuleNotFoundError as exc:
        if exc.name in ("ogi.dashboards",):
            return {"status": "absent"}
        raise
    import ogi

    t0 = time.perf_counter()
    corpus = ogi.load(raw, out, rebuild="never", verbose=False)
    for name in corpus:  # read every table once, so the first dashboard does not pay for it
        corpus[name]
    load_seconds = time.perf_counter() - t0
    results = {}
    for name, fn in inspect.getmembers(mod, inspect.isfunction):
        if name.startswith("_") or fn.__module__ != mod.__name__:
            continue
        params = list(inspect.signature(fn).parameters)
        if len(params) < 2 or params[0] != "corpus":
            continue
        res: dict[str, Any] = {}
        try:
            t = time.perf_counter()
            dash = fn(corpus, lang)
            res["build_ms"] = (time.perf_counter() - t) * 1000
            if not hasattr(dash, "set_filters") or not hasattr(dash, "last_update_ms"):
                res["error"] = "not a Dashboard (no set_filters / last_update_ms)"
            else:
                res.update(_drive(dash, repeats))
        except Exception as exc:  # noqa: BLE001 - one broken dashboard must not hide the others
            res["error"] = f"{type(exc).__name__}: {exc}"
        results[name] = res
    return {"status": "ok" if results else "no dashboards", "load_seconds": load_seconds, "dashboards": results,
            **_rusage()}


def _changes(dash) -> list[tuple[dict, dict]]:
    """(narrowing change, change back) for each control of the dashboard's panel."""
    panel = getattr(dash, "panel", None)
    controls = getattr(panel, "controls", None) or {}
    out = []
    for name, c in controls.items():
        kind = type(c).__name__
        if kind == "IntRangeSlider":
            lo, hi = c.min, c.max
            narrow = (hi, hi) if hi > lo else (lo, hi)
            out.append(({name: narrow}, {name: (lo, hi)}))
        elif kind == "SelectMultiple":
            opts = [v for _, v in c.options]
            if opts:
                out.append(({name: opts[: max(1, len(opts) // 3)]}, {name: []}))
        elif kind == "Dropdown":
            opts = [v for _, v in c.options]
            if len(opts) > 1:
                other = next(v for v in opts if v != c.value)
                out.append(({name: other}, {name: c.value}))
    return out


def _drive(dash, repeats: int) -> dict:
    per_change: dict[str, list[float]] = {}
    walls: list[float] = []
    for narrow, back in _changes(dash):
        key = ",".join(f"{k}" for k in narrow)
        for _ in range(repeats):
            for values in (narrow, back):
                t = time.perf_counter()
                dash.set_filters(**values)
                walls.append((time.perf_counter() - t) * 1000)
                per_change.setdefault(key, []).append(float(dash.last_update_ms))
    if not per_change:
        return {"error": "no filter controls found to change"}
    medians = {k: statistics.median(v) for k, v in per_change.items()}
    every = [x for v in per_change.values() for x in v]
    return {"changes": len(every), "median_ms": statistics.median(every), "max_ms": max(every),
            "worst_filter": max(medians, key=medians.get), "worst_filter_median_ms": max(medians.values()),
            "per_filter_median_ms": medians, "set_filters_wall_median_ms": statistics.median(walls)}


def child_segment(out: str, sample: int, jobs: int) -> dict:
    """Segmentation throughput on the problems sections of a built corpus (``ogi.text.tokenize``)."""
    try:
        tk = importlib.import_module("ogi.text.tokenize")
    except ModuleNotFoundError as exc:
        if exc.name in ("ogi.text", "ogi.text.tokenize"):
            return {"status": "absent"}
        raise
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    t = pq.read_table(Path(out) / "sections.parquet", columns=["section", "part", "text"])
    mask = pc.and_(pc.equal(t["section"].cast("string"), "problems"), pc.equal(t["part"].cast("string"), "full"))
    texts_all = [x for x in t.filter(mask)["text"].to_pylist() if x]
    total_mb = sum(len(x.encode("utf-8")) for x in texts_all) / 1e6
    step = max(1, len(texts_all) // sample)
    texts = texts_all[::step][:sample]
    res: dict[str, Any] = {"status": "ok", "texts_in_corpus": len(texts_all), "corpus_mb": total_mb,
                           "sample": len(texts)}
    if hasattr(tk, "throughput"):
        one = tk.throughput(texts, processes=1)
        res["one_core"] = one
        if jobs > 1:
            # a pool pays ~2 s per worker to start (Python and a tokenizer): measured on texts that take one
            # core ~30 s (or the whole corpus), so that the figure says what a pool gives on real work
            want = one["mb_per_s"] * 30 * 1e6
            order = texts_all[::step] + [x for k, x in enumerate(texts_all) if k % step]
            big, size = [], 0
            for x in order:
                if size >= want:
                    break
                big.append(x)
                size += len(x.encode("utf-8"))
            res["all_cores"] = {**tk.throughput(big, processes=jobs), "sample": len(big)}
    elif hasattr(tk, "tokenize"):
        tk.tokenize("初始化")
        mb = sum(len(x.encode("utf-8")) for x in texts) / 1e6
        t0, c0 = time.perf_counter(), time.process_time()
        for x in texts:
            tk.tokenize(x)
        wall, cpu = time.perf_counter() - t0, time.process_time() - c0
        res["one_core"] = {"engine": "?", "processes": 1, "megabytes": mb, "seconds": wall,
                           "mb_per_s": mb / wall, "texts_per_s": len(texts) / wall, "mb_per_cpu_s": mb / cpu}
    else:
        return {"status": "absent (no tokenize in ogi.text.tokenize)"}
    return res


# --------------------------------------------------------------------------- notebooks

_RAW_NAMES = ("raw",)
_PROCESSED_NAMES = ("processed", "corpus", "tables")


def _override_parameters(source: str, raw: str, processed: str) -> dict[str, str]:
    """Assignments of the ``parameters`` cell that name the corpus, with the large corpus's paths.

    A name containing ``raw`` gets the raw folder; one containing ``processed``,
    ``corpus`` or ``tables`` the processed folder, when its default is a string,
    a path or None (a corpus *name* such as "sample" cannot be redirected: the
    kernel's ``OGI_RAW`` / ``OGI_PROCESSED`` environment does that for ``ogi.load()``).
    """
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return {}
    out = {}
    for node in tree.body:
        targets_, value = [], None
        if isinstance(node, ast.Assign):
            targets_, value = node.targets, node.value
        elif isinstance(node, ast.AnnAssign) and node.value is not None:
            targets_, value = [node.target], node.value
        for t in targets_:
            if not isinstance(t, ast.Name):
                continue
            low = t.id.lower()
            pathlike = (isinstance(value, ast.Constant) and (value.value is None or isinstance(value.value, str))) \
                or (isinstance(value, ast.Call) and getattr(value.func, "id", getattr(value.func, "attr", "")) in
                    ("Path", "PurePath"))
            if not pathlike:
                continue
            if any(k in low for k in _RAW_NAMES):
                out[t.id] = raw
            elif any(k in low for k in _PROCESSED_NAMES):
                out[t.id] = processed
    return out


def run_notebooks(raw: Path, processed: Path, scratch: Path, timeout: float, log) -> dict:
    """Execute each notebook (nbclient) on the given corpus, papermill-style; wall and CPU time each."""
    nbs = sorted(p for p in paths.NOTEBOOKS.glob("*.ipynb") if not p.name.startswith("."))
    if not nbs:
        return {"status": "no notebooks yet"}
    import nbformat
    from nbclient import NotebookClient

    env = {**os.environ, "OGI_RAW": str(raw), "OGI_PROCESSED": str(processed),
           "OGI_FIGURES": str(scratch / "figures"), "MPLBACKEND": "Agg"}
    (scratch / "figures").mkdir(parents=True, exist_ok=True)
    results = {}
    for path in nbs:
        nb = nbformat.read(path, as_version=4)
        injected = {}
        for k, cell in enumerate(nb.cells):
            if cell.cell_type == "code" and "parameters" in cell.metadata.get("tags", []):
                injected = _override_parameters(cell.source, str(raw), str(processed))
                if injected:
                    src = "# Parameters injected by scripts/bench.py\n" + "".join(
                        f"{name} = {value!r}\n" for name, value in injected.items())
                    new = nbformat.v4.new_code_cell(src, metadata={"tags": ["injected-parameters"]})
                    nb.cells.insert(k + 1, new)
                break
        client = NotebookClient(nb, timeout=timeout, kernel_name="python3",
                                resources={"metadata": {"path": str(path.parent)}})
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        t0 = time.perf_counter()
        res: dict[str, Any] = {"injected": injected}
        try:
            client.execute(env=env)
            res["seconds"] = time.perf_counter() - t0
        except Exception as exc:  # noqa: BLE001 - a failing notebook is a result, not the end of the bench
            res["seconds"] = time.perf_counter() - t0
            res["error"] = f"{type(exc).__name__}: {str(exc).strip().splitlines()[-1][:300] if str(exc).strip() else ''}"
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        res["cpu"] = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        log(f"  notebook {path.name}: {res['seconds']:.1f} s{' (' + res['error'] + ')' if 'error' in res else ''}")
        results[path.name] = res
    return {"status": "ok", "notebooks": results}


# --------------------------------------------------------------------------- the run

class Table:
    """The printed table: one row per figure, with its target, ratio and verdict."""

    def __init__(self, tg: dict[str, Target]):
        self.tg = tg
        self.rows: list[dict] = []

    def add(self, corpus: str, measure: str, value: Optional[float], shown: str, key: Optional[str] = None,
            n: Optional[int] = None, note: str = "") -> None:
        target = self.tg[key] if key else None
        ratio, status = target.judge(value, n) if target else (None, "")
        self.rows.append({"corpus": corpus, "measure": measure, "value": value, "shown": shown,
                          "target": target.text() if target else "—", "target_key": key,
                          "ratio": ratio, "status": status, "note": note})

    def render(self) -> str:
        head = ("corpus", "measure", "value", "target", "ratio", "status", "CPU time / notes")
        body = [(r["corpus"], r["measure"], r["shown"], r["target"],
                 "" if r["ratio"] is None else f"{r['ratio']:.2f}", r["status"], r["note"]) for r in self.rows]
        widths = [max(len(str(x[i])) for x in [head, *body]) for i in range(len(head) - 1)]
        fmt = lambda row: "  ".join(str(c).ljust(w) for c, w in zip(row, widths)) + "  " + str(row[-1])  # noqa: E731
        line = "-" * (sum(widths) + 2 * len(widths) + 20)
        return "\n".join([fmt(head), line, *(fmt(r) for r in body)])


def _gb(b: float) -> str:
    return f"{b / GB:.2f} GB"


def _load() -> str:
    try:
        return " ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return "?"


def _jobs_default() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:
        return max(1, os.cpu_count() or 1)


def bench_size(n: int, args, table: Table, log) -> dict:
    root = Path(args.root)
    raw = ensure_corpus(n, args.seed, root / "corpora", log)
    edits = Edits(raw, root / "edits" / f"n{n}-seed{args.seed}")
    if edits.restore():
        log("  restored files left edited by an interrupted run")
    out = root / "out" / f"n{n}-seed{args.seed}"
    shutil.rmtree(out, ignore_errors=True)
    label = f"{n:,}"
    res: dict[str, Any] = {"n": n, "raw": str(raw), "out": str(out)}
    jobs = args.jobs

    log(f"[{label}] full build on {jobs} core(s), its text tables included, as `ogi build` runs it ...")
    # one command, as a user runs it: its peak memory is the whole command's; the corpus build's seconds are its
    # wall without the text tables' step (the last one, timed inside the build)
    full = run_child(["_build", str(raw), str(out), str(jobs), "text"], timeout=args.timeout)
    res["full_build"] = full
    if "error" in full:
        log(f"  build failed: {full['error']}\n{full.get('stderr', '')}")
        table.add(label, "build", None, "FAILED", "build_rate", n, full["error"])
        return res
    tm = dict(full.get("timings", {}))
    text_s = tm.pop("text tables", None)
    wall = full["wall"] - (text_s or 0.0)
    full["build_wall"] = wall
    rate = n / wall
    table.add(label, "build: reports/s (end to end)", rate, f"{rate:,.0f}/s", "build_rate", n,
              f"the command {full['wall']:.0f} s wall, {full['cpu']:.0f} CPU-s, text tables included")
    table.add(label, "build: seconds (parse, check, write)", wall * TARGET_SIZE / n if n != TARGET_SIZE
              else wall, f"{wall:.1f} s", "build_seconds", n,
              ", ".join(f"{k} {v:.1f}" for k, v in tm.items()) +
              (f"; ratio on {wall * TARGET_SIZE / n:.0f} s scaled to 100k" if n != TARGET_SIZE else ""))
    parse_s = tm.get("parse")
    if parse_s:
        pr = full["parsed"] / parse_s
        table.add(label, f"parse throughput, {jobs} cores (build's parse phase)", pr, f"{pr:,.0f}/s",
                  "parse_rate_all", n, f"{1000 * jobs / pr:.2f} ms per report per core")
    peak = full.get("peak_tree_bytes")
    table.add(label, "build: peak memory (process tree)", peak, _gb(peak) if peak else "?", "peak_memory", n,
              f"the whole `ogi build`, text tables included; main process "
              f"{_gb(full.get('peak_main_bytes', full.get('maxrss_self', 0)))}, largest worker "
              f"{_gb(full.get('maxrss_children', 0))}; {full.get('processes', '?')} processes")
    log(f"  {wall:.1f} s, {rate:,.0f} reports/s, then the text tables {text_s or 0:.1f} s; peak {_gb(peak or 0)}")

    res["text_tables"] = {"seconds": text_s, "status": full.get("text"), "timings": full.get("text_timings"),
                          "error": full.get("text_error")}
    if text_s is None or full.get("text_error"):
        table.add(label, "text tables (statements, keywords, similar pairs)", None, "FAILED", None, n,
                  full.get("text_error") or "not computed")
    else:
        table.add(label, "text tables (statements, keywords, similar pairs)", text_s, f"{text_s:.1f} s", None, n,
                  "the last step of the build above (--no-text skips it); "
                  + ", ".join(f"{k} {v:.1f}" for k, v in (full.get("text_timings") or {}).items()))

    log(f"[{label}] rebuild with nothing changed (x3) ...")
    again = [run_child(["_build", str(raw), str(out), str(jobs), "text"], timeout=args.timeout) for _ in range(3)]
    res["nochange"] = again
    bad = [a for a in again if "error" in a or a.get("wrote")]
    walls = [a["wall"] for a in again if "error" not in a]
    med = statistics.median(walls) if walls else None
    inproc = statistics.median(a["seconds"] for a in again if "error" not in a) if walls else None
    table.add(label, "rebuild, nothing changed (command)", med, f"{med:.2f} s" if med else "FAILED",
              "nochange_seconds", n, (f"in-process {inproc:.2f} s; CPU {statistics.median(a['cpu'] for a in again):.2f} s"
                                      if walls else "") + ("; WROTE TABLES (should not)" if bad else ""))

    log(f"[{label}] rebuild after 1 % of the files changed ...")
    chosen = edits.apply(0.01)
    try:
        inc = run_child(["_build", str(raw), str(out), str(jobs), "text"], timeout=args.timeout)
    finally:
        edits.restore()
    res["one_percent"] = inc
    res["one_percent"]["edited"] = len(chosen)
    if "error" not in inc:
        ok = inc["parsed"] == len(chosen)
        table.add(label, "rebuild, 1 % of files changed", None, f"{inc['wall']:.2f} s", None, n,
                  f"parsed {inc['parsed']} of {len(chosen)} edited ({'as expected' if ok else 'UNEXPECTED'}); "
                  f"{inc['wall'] / full['wall']:.0%} of the full build; CPU {inc['cpu']:.1f} s; "
                  f"peak {_gb(inc.get('peak_tree_bytes') or 0)} (the text tables' update included); "
                  + ", ".join(f"{k} {v:.1f}" for k, v in inc.get("timings", {}).items()))
    restore = run_child(["_build", str(raw), str(out), str(jobs), "text"], timeout=args.timeout)  # back to the original
    res["after_restore"] = restore

    log(f"[{label}] parse throughput on one core (sample of {min(n, args.sample):,}) ...")
    # as a build's worker runs it: with the allocator the forkserver gives the workers (ogi.allocator)
    one = run_child(["_parse_sample", str(raw), str(min(n, args.sample))], env=allocator.worker_env(),
                    timeout=args.timeout)
    res["parse_one_core"] = one
    if "error" not in one:
        r1 = one["n"] / one["seconds"]
        table.add(label, "parse throughput, 1 core (worker's job)", r1, f"{r1:,.0f}/s", "parse_rate_1", n,
                  f"{1000 * one['seconds'] / one['n']:.2f} ms/report wall, "
                  f"{1000 * one['cpu_seconds'] / one['n']:.2f} ms/report CPU (n={one['n']:,})")
        acc = one.get("accuracy")
        if acc:
            cells = acc["exact"] + acc["null"] + acc["wrong"]
            table.add(label, "parse accuracy vs the synthetic truth", acc["wrong"], f"{acc['wrong']:,} wrong", None, n,
                      f"of {cells:,} table cells in {acc['reports']:,} reports: exact {acc['exact'] / cells:.2%}, "
                      f"left null {acc['null'] / cells:.2%} (ambiguous, or a blank the layout cannot show); "
                      "wrong = a number not printed there, which must stay 0")
    return res


def bench_large(n: int, args, table: Table, log) -> dict:
    root = Path(args.root)
    raw = root / "corpora" / f"n{n}-seed{args.seed}" / "raw"
    out = root / "out" / f"n{n}-seed{args.seed}"
    label = f"{n:,}"
    res: dict[str, Any] = {}

    log(f"[{label}] notebooks ...")
    if args.skip_notebooks:
        nb = {"status": "skipped"}
    else:
        scratch = root / "scratch"
        shutil.rmtree(scratch, ignore_errors=True)
        nb = run_notebooks(raw, out, scratch, args.nb_timeout, log)
    res["notebooks"] = nb
    if nb["status"] != "ok":
        table.add(label, "notebooks", None, nb["status"], "notebook_seconds", n)
    else:
        for name, r in nb["notebooks"].items():
            err = r.get("error", "")
            timed_out = "Timeout" in err
            shown = f"{r['seconds']:.1f} s" + (" (timed out)" if timed_out else " FAILED" if err else "")
            table.add(label, f"notebook {name}", r["seconds"] if (not err or timed_out) else None, shown,
                      "notebook_seconds", n, f"kernel CPU {r['cpu']:.1f} s" + (f"; {err}" if err else "") +
                      (f"; parameters {', '.join(r['injected'])} set" if r.get("injected") else ""))

    log(f"[{label}] dashboards ...")
    dash = run_child(["_dashboards", str(raw), str(out), args.lang, str(args.repeats)], timeout=args.timeout)
    res["dashboards"] = dash
    if "error" in dash:
        table.add(label, "dashboards", None, "FAILED", "dashboard_ms", n, dash["error"] + " " +
                  dash.get("stderr", "").strip().splitlines()[-1:][0] if dash.get("stderr") else dash["error"])
    elif dash.get("status") != "ok":
        table.add(label, "dashboards: filter -> figure", None, "n/a", "dashboard_ms", n,
                  "ogi.dashboards not written yet" if dash.get("status") == "absent" else dash.get("status", ""))
    else:
        for name, r in dash["dashboards"].items():
            if "error" in r:
                table.add(label, f"dashboard {name}", None, "FAILED", "dashboard_ms", n, r["error"])
                continue
            table.add(label, f"dashboard {name}: filter -> figure", r["worst_filter_median_ms"],
                      f"{r['worst_filter_median_ms']:.0f} ms", "dashboard_ms", n,
                      f"slowest filter '{r['worst_filter']}' (median of {args.repeats}); all changes median "
                      f"{r['median_ms']:.0f} ms, max {r['max_ms']:.0f} ms; built in {r['build_ms']:.0f} ms")

    log(f"[{label}] segmentation of the problems sections ...")
    # jieba, the reference, then what the tokenizer picks by itself (rjieba when installed and identical)
    for forced in ("jieba", None):
        env = {**os.environ, "OGI_TOKENIZER": forced} if forced else None
        seg = run_child(["_segment", str(out), str(args.seg_sample), str(args.jobs)], env=env, timeout=args.timeout)
        res["segmentation" if forced is None else "segmentation_jieba"] = seg
        engine = (seg.get("one_core") or {}).get("engine")
        if forced is None and engine == "jieba":
            break  # no accelerator installed: the run above was this one
        _segmentation_rows(table, label, n, seg, args)
    return res


def _segmentation_rows(table: "Table", label: str, n: int, seg: dict, args) -> None:
    if "error" in seg:
        table.add(label, "segmentation", None, "FAILED", None, n, seg["error"])
    elif seg.get("status") != "ok":
        table.add(label, "segmentation (problems sections)", None, "n/a", None, n,
                  "ogi.text.tokenize not written yet" if seg.get("status") == "absent" else seg.get("status", ""))
    else:
        for key, label2 in (("one_core", "1 core"), ("all_cores", f"{args.jobs} cores")):
            r = seg.get(key)
            if not r:
                continue
            label2 = f"{r['engine']}, {label2}"
            full_s = seg["corpus_mb"] / r["mb_per_s"]
            note = (f"{r['texts_per_s']:,.0f} texts/s, engine {r['engine']}; sample {r.get('sample', seg['sample']):,} of "
                    f"{seg['texts_in_corpus']:,} texts; whole corpus ({seg['corpus_mb']:.0f} MB) ≈ {full_s:.0f} s")
            if "mb_per_cpu_s" in r:
                note += f"; {r['mb_per_cpu_s']:.2f} MB per CPU-second"
            table.add(label, f"segmentation, {label2}", r["mb_per_s"], f"{r['mb_per_s']:.2f} MB/s", None, n, note)


def main(argv: Optional[list[str]] = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0].startswith("_"):
        return _child(argv)
    p = argparse.ArgumentParser(prog="bench", description=__doc__.split("\n\n")[0],
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--sizes", default="10000,100000", help="corpus sizes, comma-separated (default 10000,100000)")
    p.add_argument("--quick", action="store_true", help="sizes 2000,10000 (CI, a quick look)")
    p.add_argument("--seed", type=int, default=SEED)
    p.add_argument("--jobs", type=int, default=_jobs_default(), help="cores for the build (default: all)")
    p.add_argument("--sample", type=int, default=2000, help="files parsed for the one-core throughput")
    p.add_argument("--seg-sample", type=int, default=4000, help="problems sections segmented for throughput")
    p.add_argument("--repeats", type=int, default=3, help="times each dashboard filter change is made")
    p.add_argument("--lang", default="en")
    p.add_argument("--skip-notebooks", action="store_true")
    p.add_argument("--timeout", type=float, default=3600, help="seconds allowed to any one step")
    p.add_argument("--nb-timeout", type=float, default=600, help="seconds allowed to one notebook cell")
    p.add_argument("--root", default=str(paths.CACHE / "bench"), help="corpora, outputs and results (default .cache/bench)")
    p.add_argument("--json", default=None, help="results file (default <root>/results.json)")
    p.add_argument("--profile", type=int, metavar="N", default=None,
                   help="instead of the benchmark: profile the build of the N-report corpus and print where time goes")
    args = p.parse_args(argv)
    sizes = [2000, 10000] if args.quick else [int(x.replace("_", "")) for x in args.sizes.split(",") if x.strip()]
    root = Path(args.root)
    root.mkdir(parents=True, exist_ok=True)
    if args.profile:
        return profile(args.profile, args)

    log = lambda s: print(s, file=sys.stderr, flush=True)  # noqa: E731
    tg = targets(args.jobs)
    table = Table(tg)
    started = time.strftime("%Y-%m-%dT%H:%M:%S")
    meta = {"started": started, "sizes": sizes, "seed": args.seed, "jobs": args.jobs,
            "cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform(),
            "load_start": _load(), "synth": synth_version()}
    try:
        import ogi

        meta["parser_version"] = ogi.PARSER_VERSION
        meta["parser_build"] = ogi.accel.status()
        meta["allocator"] = allocator.describe()
        meta["git"] = subprocess.run(["git", "-C", str(paths.ROOT), "rev-parse", "--short", "HEAD"],
                                     capture_output=True, text=True).stdout.strip()
    except Exception:  # noqa: BLE001
        pass
    results: dict[str, Any] = {"meta": meta, "sizes": {}}
    t0 = time.perf_counter()
    for n in sizes:
        results["sizes"][str(n)] = bench_size(n, args, table, log)
    results["large"] = bench_large(max(sizes), args, table, log)
    meta["load_end"] = _load()
    meta["seconds"] = time.perf_counter() - t0
    results["table"] = table.rows
    results["targets"] = {k: vars(v) for k, v in tg.items()}

    print()
    print(f"ogi bench: synthetic corpora {', '.join(f'{n:,}' for n in sizes)} (seed {args.seed}); "
          f"{args.jobs} of {os.cpu_count()} cores; parser {meta.get('parser_version', '?')}, "
          f"{meta.get('parser_build', '?')}; git {meta.get('git', '?')}; {meta['started']}")
    print(f"the parse workers allocate with {meta.get('allocator', '?')}")
    print(f"load average {meta['load_start']} at start, {meta['load_end']} at end (a shared machine: compare "
          "ratios within a run; CPU time beside wall time)")
    print()
    print(table.render())
    print()
    print("ratio = figure / target (≥ 1 meets a '≥' target, ≤ 1 a '≤' target). Targets are for a 2-core, 24 GB "
          f"machine at {TARGET_SIZE:,} reports; (met)/(not met) in brackets: shown at another size, for the trend.")
    print("implied: parse alone must at least keep the build's pace (1,500/s over all cores).")
    out = Path(args.json) if args.json else root / "results.json"
    out.write_text(json.dumps(results, indent=1, ensure_ascii=False, default=str) + "\n", encoding="utf-8")
    with open(root / "history.jsonl", "a", encoding="utf-8") as fh:
        fh.write(json.dumps({"meta": meta, "table": table.rows}, ensure_ascii=False, default=str) + "\n")
    print(f"results: {out}")
    return 0


def _child(argv: list[str]) -> int:
    cmd, rest = argv[0], argv[1:]
    if cmd == "_build":
        res = child_build(rest[0], rest[1], int(rest[2]), "force" in rest[3:], "text" in rest[3:])
    elif cmd == "_parse_sample":
        res = child_parse_sample(rest[0], int(rest[1]))
    elif cmd == "_dashboards":
        res = child_dashboards(rest[0], rest[1], rest[2], int(rest[3]))
    elif cmd == "_segment":
        res = child_segment(rest[0], int(rest[1]), int(rest[2]))
    else:
        raise SystemExit(f"unknown child command {cmd}")
    print(json.dumps(res, default=str))
    return 0


# --------------------------------------------------------------------------- profile

#: Entry points of the parse, by stage: (label, module, function); cumulative times from cProfile.
PARSE_STAGES = (
    ("decode (sniff, text/HTML reader)", "ogi/readers/__init__.py", "read_bytes"),
    ("normalise lines", "ogi/parse/tokens.py", "normalize"),
    ("section headings and split", "ogi/parse/sections.py", "find_headings"),
    ("section headings and split", "ogi/parse/sections.py", "split_sections"),
    ("metadata (year, agency, date)", "ogi/parse/metadata.py", "find_year"),
    ("metadata (year, agency, date)", "ogi/parse/metadata.py", "find_agency"),
    ("metadata (year, agency, date)", "ogi/parse/metadata.py", "find_published"),
    ("metadata (year, agency, date)", "ogi/parse/metadata.py", "looks_pre2019"),
    ("region derivation (parser)", "ogi/parse/pipeline.py", "_region"),
    ("tokenize the table stretch", "ogi/parse/tokens.py", "tokenize"),
    ("tokenize the table stretch", "ogi/parse/tokens.py", "table_text"),
    ("table parsing (rows, runs, solver)", "ogi/parse/pipeline.py", "_read_tables"),
    ("checks (identities)", "ogi/checks.py", "run_checks"),
)


def _cum(stats, file_end: str, func: str, kind: str = "cum") -> float:
    """Seconds in the functions named ``func`` of files ending ``file_end``: cumulative, or ``own`` time
    (for a function that also calls itself under another name, e.g. pyarrow's two ``write_table``).
    A module compiled by ``ogi.accel`` shows its functions as built-ins: ``<built-in method ogi.parse.tokens.tokenize>``."""
    compiled = f"<built-in method {file_end[:-3].replace('/', '.')}.{func}>"
    total = 0.0
    for (filename, _, name), (_, _, tt, ct, _) in stats.stats.items():
        if (name == func and filename.replace(os.sep, "/").endswith(file_end)) or name == compiled:
            total += tt if kind == "own" else ct
    return total


def profile(n: int, args) -> int:
    """Where the build's time goes at ``n`` reports, for docs/PERFORMANCE.md.

    1. The worker's job, stage by stage, timed without a profiler on one core
       (read, hash, decode+parse, to_dict, rows with region derivation, Arrow),
       over every file.
    2. cProfile of the parse on a sample: cumulative time of each parser stage,
       as a share of the profiled parse, turned into ms per report with the
       unprofiled time; and the top functions by own time.
    3. A full build on all cores (phase timings, CPU, peak memory), then the
       main process of a build from a warm cache (assemble and write) under cProfile.
    """
    import cProfile
    import hashlib as hl
    import io
    import pstats

    from ogi import corpus, tidy
    from ogi.parse import parse_document
    from ogi.readers import read_bytes

    log = lambda s: print(s, file=sys.stderr, flush=True)  # noqa: E731
    root = Path(args.root)
    raw = ensure_corpus(n, args.seed, root / "corpora", log)
    files = sorted(p for p in raw.iterdir() if not p.name.startswith("."))
    report: dict[str, Any] = {"n": n, "parser_version": None}
    import ogi

    report["parser_version"] = ogi.PARSER_VERSION
    lines: list[str] = [f"profile of the build: {n:,} synthetic reports, parser {ogi.PARSER_VERSION}, "
                        f"{ogi.accel.status()}, load {_load()}"]
    if ogi.accel.active():
        lines.append("(cProfile sees no call between compiled functions: OGI_ACCEL=0 shows the pure parser's stages)")

    # 1. stages of the worker's job, no profiler
    log(f"[profile] worker stages, one core, {len(files):,} files ...")
    # the compiled rows call ``_region`` directly: timed apart only when they run pure
    apart = not ogi.accel.active()
    rows_stage = "rows (tidy, without region)" if apart else "rows (tidy, region included)"
    st = dict.fromkeys(("read file", "sha256", "decode (reader)", "parse (Document -> Report)", "Report.to_dict",
                        *(["region derivation (tidy)"] if apart else []), rows_stage, "Arrow conversion"), 0.0)
    tr = tidy.Rows()
    warm, warm_rows = files[:20], tidy.Rows()
    for f in warm:
        tidy.report_rows(warm_rows, parse_document(read_bytes(f.name, f.read_bytes())).to_dict(), f.name)
    warm_rows.to_arrow()  # its first call imports pandas (pyarrow's check for pandas objects): not timed
    c_start, w_start = time.process_time(), time.perf_counter()
    orig_region = tidy._region
    region_t = [0.0]

    def timed_region(*a):
        t = time.perf_counter()
        try:
            return orig_region(*a)
        finally:
            region_t[0] += time.perf_counter() - t

    if apart:
        tidy._region = timed_region
    try:
        for k, f in enumerate(files):
            t = time.perf_counter()
            with open(f, "rb") as fh:
                data = fh.read()
            t1 = time.perf_counter()
            sha = hl.sha256(data).hexdigest()
            t2 = time.perf_counter()
            doc = read_bytes(f.name, data)
            t3 = time.perf_counter()
            rep = parse_document(doc)
            t4 = time.perf_counter()
            d = rep.to_dict()
            t5 = time.perf_counter()
            head = "\n".join(doc.lines[:corpus.HEAD_LINES])
            r0 = region_t[0]
            tidy.report_rows(tr, d, sha, head)
            t6 = time.perf_counter()
            st["read file"] += t1 - t
            st["sha256"] += t2 - t1
            st["decode (reader)"] += t3 - t2
            st["parse (Document -> Report)"] += t4 - t3
            st["Report.to_dict"] += t5 - t4
            if apart:
                st["region derivation (tidy)"] += region_t[0] - r0
            st[rows_stage] += (t6 - t5) - (region_t[0] - r0)
            if len(tr) == 256 or k == len(files) - 1:
                t8 = time.perf_counter()
                tr.to_arrow()
                st["Arrow conversion"] += time.perf_counter() - t8
                tr = tidy.Rows()
    finally:
        tidy._region = orig_region
    cpu, wall = time.process_time() - c_start, time.perf_counter() - w_start
    report["worker_stages_ms_per_report"] = {k: 1000 * v / len(files) for k, v in st.items()}
    report["worker_ms_per_report"] = {"wall": 1000 * wall / len(files), "cpu": 1000 * cpu / len(files)}
    total = sum(st.values())
    lines += ["", f"1. The worker's job per report, one core, no profiler ({len(files):,} files; "
              f"{1000 * wall / len(files):.2f} ms wall, {1000 * cpu / len(files):.2f} ms CPU per report):", ""]
    lines += [f"   {k:<34} {1000 * v / len(files):7.3f} ms  {v / total:6.1%}" for k, v in st.items()]

    # 2. cProfile of the parse on a sample
    sample = files[:: max(1, len(files) // min(len(files), args.sample))][: args.sample]
    log(f"[profile] cProfile of the parse, {len(sample):,} files ...")
    datas = [(f.name, f.read_bytes()) for f in sample]
    t = time.perf_counter()
    for name, data in datas:
        parse_document(read_bytes(name, data))
    plain = (time.perf_counter() - t) / len(datas)
    pr = cProfile.Profile()
    pr.enable()
    for name, data in datas:
        parse_document(read_bytes(name, data))
    pr.disable()
    stats = pstats.Stats(pr)
    prof_total = _cum(stats, "ogi/readers/__init__.py", "read_bytes") + \
        _cum(stats, "ogi/parse/__init__.py", "parse_document")
    stages: dict[str, float] = {}
    for label, fe, fn in PARSE_STAGES:
        stages[label] = stages.get(label, 0.0) + _cum(stats, fe, fn)
    stages["rest of the parse (status, messages, ...)"] = prof_total - sum(stages.values())
    report["parse_stages"] = {k: {"share": v / prof_total, "ms_per_report": 1000 * plain * v / prof_total}
                              for k, v in stages.items()}
    lines += ["", f"2. Decode + parse by stage (cProfile on {len(sample):,} files; shares of the profiled time, "
              f"ms from the unprofiled {1000 * plain:.2f} ms per report):", ""]
    lines += [f"   {k:<42} {1000 * plain * v / prof_total:7.3f} ms  {v / prof_total:6.1%}" for k, v in stages.items()]
    buf = io.StringIO()
    ps = pstats.Stats(pr, stream=buf)
    ps.sort_stats("tottime").print_stats(25)
    top = []
    for (filename, line, name), (cc, nc, tt, ct, _) in sorted(stats.stats.items(), key=lambda kv: -kv[1][2])[:25]:
        short = filename.replace(os.sep, "/").split("/lib/")[-1] if "/lib/ogi/" in filename else \
            filename.rsplit("/", 1)[-1]
        top.append({"function": f"{short}:{line}({name})", "calls_per_report": nc / len(sample),
                    "own_ms_per_report": 1000 * plain * tt / prof_total,
                    "cum_ms_per_report": 1000 * plain * ct / prof_total, "own_share": tt / prof_total})
    report["parse_top_functions"] = top
    lines += ["", "   top functions by own time (ms per report, scaled to the unprofiled time):", ""]
    lines += [f"   {x['own_ms_per_report']:7.3f} ms own {x['own_share']:6.1%}  cum {x['cum_ms_per_report']:7.3f} ms  "
              f"{x['calls_per_report']:8.1f} calls  {x['function']}" for x in top]
    (root / f"profile-{n}-parse.txt").write_text(buf.getvalue(), encoding="utf-8")

    # 3. the build: phases on all cores, then the main process from a warm cache under cProfile
    out = root / "out" / f"profile-n{n}"
    shutil.rmtree(out, ignore_errors=True)
    log(f"[profile] full build on {args.jobs} cores ...")
    full = run_child(["_build", str(raw), str(out), str(args.jobs)], timeout=args.timeout)
    report["full_build"] = full
    lines += ["", f"3. Full build on {args.jobs} cores: {full.get('wall', 0):.1f} s wall, CPU {full.get('cpu', 0):.1f} s, "
              f"peak memory {_gb(full.get('peak_tree_bytes', 0))} (main {_gb(full.get('peak_main_bytes', 0))}):", ""]
    lines += [f"   {k:<20} {v:7.2f} s  {1000 * v / n:7.3f} ms/report" for k, v in full.get("timings", {}).items()]
    log("[profile] main process of a build from the warm cache (assemble, write) under cProfile ...")
    pr = cProfile.Profile()
    t = time.perf_counter()
    pr.enable()
    corpus.build(raw, out, jobs=1, force=True, progress=False)
    pr.disable()
    warm_s = time.perf_counter() - t
    buf = io.StringIO()
    pstats.Stats(pr, stream=buf).sort_stats("cumulative").print_stats(40)
    (root / f"profile-{n}-assemble.txt").write_text(buf.getvalue(), encoding="utf-8")
    stats = pstats.Stats(pr)
    parts = {
        "scan and hash (file index)": [("ogi/corpus.py", "scan"), ("ogi/corpus.py", "_hash_files")],
        "read the cache (segments, content)": [("ogi/cache.py", "stream"), ("ogi/cache.py", "read"),
                                               ("ogi/cache.py", "part_tables")],
        "type, sort, validate batches": [("ogi/tables.py", "arrow_batch")],
        "cross-year checks": [("ogi/tables.py", "from_carried"), ("ogi/tables.py", "arrow")],
        "reports table (pandas)": [("ogi/tables.py", "reports_frame")],
        "Parquet encode + compress": [("pyarrow/parquet/core.py", "write_table", "own")],
        "sha256 of the tables": [("ogi/corpus.py", "_sha256_file")],
        "compact the cache": [("ogi/cache.py", "compact")],
        "file index save": [("ogi/corpus.py", "save")],
        "text tables (ogi.text)": [("ogi/corpus.py", "_update_text")],
    }
    got = {label: sum(_cum(stats, *spec) for spec in fns) for label, fns in parts.items()}
    prof_total = _cum(stats, "ogi/corpus.py", "build")
    got["other (imports, pandas glue, ...)"] = max(0.0, prof_total - sum(got.values()))
    report["warm_build"] = {"seconds": warm_s, "parts": {k: v / prof_total * warm_s for k, v in got.items()}}
    lines += ["", f"4. A build from the warm cache (nothing parsed; tables assembled and written): {warm_s:.2f} s "
              "(shares from cProfile):", ""]
    lines += [f"   {k:<42} {v / prof_total * warm_s:7.2f} s  {v / prof_total:6.1%}" for k, v in got.items()]
    text = "\n".join(lines) + "\n"
    print(text)
    (root / f"profile-{n}.txt").write_text(text, encoding="utf-8")
    (root / f"profile-{n}.json").write_text(json.dumps(report, indent=1, default=str), encoding="utf-8")
    print(f"details: {root / f'profile-{n}.json'}, {root / f'profile-{n}-parse.txt'}, "
          f"{root / f'profile-{n}-assemble.txt'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
