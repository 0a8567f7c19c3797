"""The corpus build: seeds through the tables, regions, incremental and atomic builds, determinism,
bad files, the cross-year check, load() and export."""

import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

import ogi
import ogi.readers
from ogi import cache, corpus, schema, tables, tidy
from conftest import RAW, TRUTH, seed_names


def _copy_seeds(dest):
    """The seeds in a folder of their own, with an mtime well in the past (the file index trusts only those)."""
    dest.mkdir(parents=True, exist_ok=True)
    for p in RAW.glob("*.txt"):
        shutil.copy(p, dest / p.name)
        os.utime(dest / p.name, (1_700_000_000, 1_700_000_000))
    return dest


def _table_bytes(folder):
    return {p.name: p.read_bytes() for p in sorted(folder.glob("*.parquet"))}


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """data/raw built once into a temporary folder."""
    out = tmp_path_factory.mktemp("processed")
    result = corpus.build(RAW, out, jobs=1, progress=False)
    return result, ogi.load(RAW, out, rebuild="never")


# --------------------------------------------------------------------------- the seeds, through the tables


def _values_from_tables(c, path):
    rep = c.reports.set_index("path").loc[path]
    rid = rep["report_id"]
    req = c.requests[c.requests.report_id == rid]
    requests = {}
    for row in schema.REQUEST_ROWS:
        vals = req[req.row == row.code].set_index("applicant")["value"]
        if len(vals):
            requests[row.code] = [None if pd.isna(vals[a]) else int(vals[a]) for a in schema.APPLICANT_CODES]
    pro = c.proactive[c.proactive.report_id == rid]
    template = rep["template_proactive"]
    proactive = {}
    for spec in schema.PROACTIVE_ROWS[template]:
        got = pro[pro["item"] == spec.code].set_index("column")["value"]
        if len(got):
            vals = [None if pd.isna(got[col]) else float(got[col]) for col in spec.columns]
            proactive[spec.code] = vals if spec.width > 1 else vals[0]
    rl = c.review_litigation[c.review_litigation.report_id == rid].set_index(["group", "outcome"])["value"]
    review = [None if pd.isna(rl[tuple(code.split("."))]) else int(rl[tuple(code.split("."))])
              for code in schema.REVIEW_CODES]
    return rep, requests, proactive, review


@pytest.mark.parametrize("name", seed_names())
def test_seed_values_equal_truth_through_the_tables(built, name):
    _, c = built
    truth = json.loads((TRUTH / f"{name}.json").read_text(encoding="utf-8"))
    rep, requests, proactive, review = _values_from_tables(c, f"{name}.txt")
    assert rep["status"] == "ok"
    assert rep["agency"] == truth["agency"] and rep["year"] == truth["year"]
    assert requests == truth["requests"]
    assert proactive == truth["proactive"]
    assert review == truth["review_litigation"]
    assert rep["province"] == truth["region"]["province"]
    assert (None if pd.isna(rep["prefecture"]) else rep["prefecture"]) == truth["region"]["city"]


REGIONS = {
    "000_a24b6662cf75509f.txt": ("湖北省", "荆门市", "东宝区", "420802", "county", "department", "commerce"),
    "001_ea69d8cda5ce10c7.txt": ("湖北省", "黄石市", None, "420200", "prefecture", "department", "industry_it"),
    "002_e7e13b9f651bd8a5.txt": ("河北省", None, "定州市", "130682", "township", "township", None),
    "003_070df74db560079b.txt": ("四川省", "达州市", "通川区", "511702", "county", "department", "industry_it"),
    "004_b06d21084f014798.txt": ("重庆市", None, "黔江区", "500114", "county", "government", None),
}


@pytest.mark.parametrize("path", sorted(REGIONS))
def test_region_and_level_of_the_seeds(built, path):
    _, c = built
    rep = c.reports.set_index("path").loc[path]
    na = lambda v: None if pd.isna(v) else v  # noqa: E731
    province, prefecture, county, code, level, kind, sector = REGIONS[path]
    assert (rep["province"], na(rep["prefecture"]), na(rep["county"])) == (province, prefecture, county)
    assert rep["region_code"] == code
    assert rep["province_code"] == code[:2] + "0000"
    assert na(rep["prefecture_code"]) == (code[:4] + "00" if prefecture else None)
    assert na(rep["county_code"]) == (code if county else None)
    assert (rep["level"], rep["agency_kind"], na(rep["sector"])) == (level, kind, sector)
    assert rep["agency_key"].startswith(code + ":")
    assert rep["region_source"] == "agency" and not rep["region_historical"]


def test_summary_and_tables_of_the_seeds(built):
    result, c = built
    assert result.status == {"ok": 5} and result.failed_checks == {}
    assert result.rows["reports"] == 5 and result.rows["requests"] == len(c.requests)
    text = result.summary()
    assert "files by status: ok 5" in text and "failed checks by rule: none" in text
    assert set(c.keys()) == set(tables.TABLE_NAMES)
    assert c["requests"] is c.requests
    assert (c.reports["n_checks"] > 0).all() and (c.reports["n_checks_failed"] == 0).all()
    # every data row belongs to a report, and each report's checks are counted
    assert set(c.requests.report_id.astype(str)) <= set(c.reports.report_id)
    counts = c.checks.groupby("report_id", observed=True).size()
    counts.index = counts.index.astype(str)
    assert c.reports.set_index("report_id")["n_checks"].to_dict() == counts.to_dict()
    assert c.labels("requests.row", "zh")["carry_forward"] == "四、结转下年度继续办理"


# --------------------------------------------------------------------------- incremental


def test_incremental_rebuild_parses_nothing(tmp_path, monkeypatch):
    raw, out = _copy_seeds(tmp_path / "raw"), tmp_path / "out"
    first = corpus.build(raw, out, jobs=1, progress=False)
    assert (first.parsed, first.wrote) == (5, True)
    before = _table_bytes(out)

    calls = []
    real = corpus._parse_one
    monkeypatch.setattr(corpus, "_parse_one", lambda *a: calls.append(a) or real(*a))
    second = corpus.build(raw, out, jobs=1, progress=False)
    assert (second.hashed, second.parsed, second.wrote, calls) == (0, 0, False, [])
    assert second.status == first.status and _table_bytes(out) == before

    # a file touched but not changed: hashed again, not parsed, tables untouched
    p = raw / "000_a24b6662cf75509f.txt"
    os.utime(p, ns=(p.stat().st_atime_ns, p.stat().st_mtime_ns - 10_000_000_000))
    third = corpus.build(raw, out, jobs=1, progress=False)
    assert (third.hashed, third.parsed, third.wrote, calls) == (1, 0, False, [])

    # a new file: only it is parsed
    (raw / "new.txt").write_bytes(p.read_bytes() + "\n附：新增一行。\n".encode())
    fourth = corpus.build(raw, out, jobs=1, progress=False)
    assert (fourth.parsed, fourth.reused, fourth.wrote, len(calls)) == (1, 5, True, 1)
    assert len(ogi.load(raw, out, rebuild="never").reports) == 6


def test_changed_table_code_parses_again_and_gives_a_fresh_builds_tables(tmp_path, monkeypatch):
    """A change in how rows are made (the rows key) parses every report again: the cache keeps rows, not
    parsed reports. The tables are a fresh build's, and the old key's segments are gone after the build."""
    seeds, raw, out = _copy_seeds(tmp_path / "seeds"), tmp_path / "raw", tmp_path / "out"
    raw.mkdir()
    names = sorted(p.name for p in seeds.iterdir())
    for some in (names[:2], names[2:4], names[4:]):  # three builds: three cache segments
        for name in some:
            shutil.copy(seeds / name, raw / name)
        corpus.build(raw, out, jobs=1, progress=False, text=False)
    before = _table_bytes(out)  # TABLES_VERSION is in the files' metadata: changed below
    segments = out / corpus.CACHE_DIR / "segments" / corpus.PARSER_VERSION
    old = {p.name for p in segments.iterdir()}
    assert len(old) == 3

    monkeypatch.setattr(tables, "TABLES_VERSION", "test-rows-key")
    again = corpus.build(raw, out, jobs=1, progress=False, text=False)
    assert (again.parsed, again.reused, again.wrote) == (5, 0, True)
    assert not old & {p.name for p in segments.iterdir()}
    store = corpus.SegmentStore(out / corpus.CACHE_DIR / "segments", corpus.rows_key())
    assert store.ids() == set(ogi.load(raw, out, rebuild="never").reports["report_id"].astype(str))
    fresh = corpus.build(raw, tmp_path / "fresh", jobs=1, progress=False, text=False)
    assert fresh.parsed == 5 and _table_bytes(out) == _table_bytes(tmp_path / "fresh") != before
    third = corpus.build(raw, out, jobs=1, progress=False, text=False)
    assert (third.parsed, third.wrote) == (0, False)


def test_a_damaged_table_is_refused_and_rebuilt(tmp_path):
    raw, out = _copy_seeds(tmp_path / "raw"), tmp_path / "out"
    corpus.build(raw, out, jobs=1, progress=False)
    import pyarrow.parquet as pq

    t = pq.read_table(out / "requests.parquet")
    pq.write_table(t.drop_columns(["value"]), out / "requests.parquet")
    with pytest.raises(tables.SchemaError):
        ogi.load(raw, out, rebuild="never").requests
    c = ogi.load(raw, out, verbose=False)  # auto: the table no longer matches BUILD.json
    assert "value" in c.requests.columns


# --------------------------------------------------------------------------- atomic writes


def test_an_interrupted_build_leaves_the_previous_tables(tmp_path, monkeypatch):
    raw, out = _copy_seeds(tmp_path / "raw"), tmp_path / "out"
    corpus.build(raw, out, jobs=1, progress=False)
    before, info = _table_bytes(out), (out / "BUILD.json").read_bytes()

    (raw / "extra.txt").write_bytes((raw / "001_ea69d8cda5ce10c7.txt").read_bytes() + b"\n")
    real, written = tables.write_table, []

    def crash_after_first(df, name, path):
        if written:
            raise KeyboardInterrupt("simulated interruption")
        written.append(name)
        real(df, name, path)

    monkeypatch.setattr(tables, "write_table", crash_after_first)
    with pytest.raises(KeyboardInterrupt):
        corpus.build(raw, out, jobs=1, progress=False)
    assert _table_bytes(out) == before and (out / "BUILD.json").read_bytes() == info
    assert not [p for p in out.iterdir() if ".tmp" in p.name]
    assert len(ogi.load(raw, out, rebuild="never").reports) == 5  # the old set, complete and valid

    monkeypatch.setattr(tables, "write_table", real)
    result = corpus.build(raw, out, jobs=1, progress=False)
    assert result.wrote and result.parsed == 0  # the parse of extra.txt was cached before the crash
    assert len(ogi.load(raw, out, rebuild="never").reports) == 6


# --------------------------------------------------------------------------- determinism


def test_builds_are_byte_identical_whatever_the_order_and_jobs(tmp_path, monkeypatch):
    raw = _copy_seeds(tmp_path / "raw")
    (raw / "sub").mkdir()
    shutil.copy(RAW / "003_070df74db560079b.txt", raw / "sub" / "copy.txt")
    a = corpus.build(raw, tmp_path / "a", jobs=1, progress=False)

    real = corpus._listdir
    monkeypatch.setattr(corpus, "_listdir", lambda p: list(reversed(real(p))))
    monkeypatch.setattr(corpus, "SERIAL_BELOW", 0)  # use the process pool even for six files
    b = corpus.build(raw, tmp_path / "b", jobs=2, progress=False)
    assert a.parsed == b.parsed == 5
    assert _table_bytes(tmp_path / "a") == _table_bytes(tmp_path / "b")
    assert (tmp_path / "a" / "BUILD.json").read_bytes() == (tmp_path / "b" / "BUILD.json").read_bytes()
    assert len(_table_bytes(tmp_path / "a")) == len(tables.TABLE_NAMES)


def _record_process_pools(monkeypatch) -> list:
    """The keyword arguments of every process pool ``corpus`` starts from now on."""
    started = []

    class Pool(corpus.ProcessPoolExecutor):
        def __init__(self, *args, **kwargs):
            started.append(kwargs)
            super().__init__(*args, **kwargs)

    monkeypatch.setattr(corpus, "ProcessPoolExecutor", Pool)
    return started


def _gc_state():
    import gc

    return gc.get_threshold(), gc.get_freeze_count() > 0


def _loaded():
    return {name for name in ("pandas", "lxml.etree", "ogi.readers.html") if name in sys.modules}


def test_parse_workers_collect_garbage_rarely_and_give_the_same_tables(tmp_path, monkeypatch):
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(1, mp_context=corpus._pool_context(), initializer=corpus._worker_start) as pool:
        assert pool.submit(_gc_state).result() == (corpus.WORKER_GC_THRESHOLD, True)
        assert pool.submit(_loaded).result() == {"pandas", "lxml.etree", "ogi.readers.html"}  # before any file

    raw = _copy_seeds(tmp_path / "raw")
    a = corpus.build(raw, tmp_path / "a", jobs=1, progress=False, text=False)
    started = _record_process_pools(monkeypatch)
    monkeypatch.setattr(corpus, "SERIAL_BELOW", 0)
    b = corpus.build(raw, tmp_path / "b", jobs=2, progress=False, text=False)
    assert [kw.get("initializer") for kw in started] == [corpus._worker_start]  # the parse pool's workers (the seeds are too few to hash in a pool)
    assert a.parsed == b.parsed == 5 and _table_bytes(tmp_path / "a") == _table_bytes(tmp_path / "b")


def _record_pool_events(monkeypatch) -> list:
    """("start" | "shutdown", "parse" | "other") for every process pool ``corpus`` starts and shuts down."""
    events = []

    class Pool(corpus.ProcessPoolExecutor):
        def __init__(self, *args, **kwargs):
            self.kind = "parse" if kwargs.get("initializer") is corpus._worker_start else "other"
            events.append(("start", self.kind))
            super().__init__(*args, **kwargs)

        def shutdown(self, *args, **kwargs):
            if self._processes is not None:  # the first time
                events.append(("shutdown", self.kind))
            super().shutdown(*args, **kwargs)

    monkeypatch.setattr(corpus, "ProcessPoolExecutor", Pool)
    return events


def test_parse_workers_start_while_the_files_are_hashed_and_give_the_same_tables(tmp_path, monkeypatch):
    import threading

    raw = _copy_seeds(tmp_path / "raw")
    serial = corpus.build(raw, tmp_path / "serial", jobs=1, progress=False, text=False)
    monkeypatch.setattr(corpus, "HASH_POOL_FROM", 1)  # hash in reader processes, as a large fresh corpus is
    monkeypatch.setattr(corpus, "SERIAL_BELOW", 0)
    events = _record_pool_events(monkeypatch)
    started = threading.Event()
    real = corpus._reader_result

    def reader(proc, paths):
        assert started.wait(30), "the parse pool did not start while the files were read"
        events.append(("read", "files"))
        return real(proc, paths)

    def start_early(jobs):
        pool = real_start(jobs)
        started.set()
        return pool

    real_start = corpus._start_early
    monkeypatch.setattr(corpus, "_reader_result", reader)
    monkeypatch.setattr(corpus, "_start_early", start_early)
    early = corpus.build(raw, tmp_path / "early", jobs=2, progress=False, text=False)
    # the parse pool starts before the readers are done, and is the one that parses (no second parse pool)
    assert events == [("start", "parse")] + [("read", "files")] * 5 + [("shutdown", "parse")]
    assert serial.parsed == early.parsed == 5 and _table_bytes(tmp_path / "serial") == _table_bytes(tmp_path / "early")

    # the files hashed again (their index gone) but all in the cache: the pool started early parses nothing, and stops
    (tmp_path / "early" / corpus.CACHE_DIR / "files.tsv").unlink()
    events.clear()
    started.clear()
    again = corpus.build(raw, tmp_path / "early", jobs=2, progress=False, text=False)
    assert again.hashed == 5 and again.parsed == 0 and not again.wrote
    assert events == [("start", "parse")] + [("read", "files")] * 5 + [("shutdown", "parse")]

    # a file changed, too few to parse in the pool started early: it stops before the tables are assembled
    (tmp_path / "early" / corpus.CACHE_DIR / "files.tsv").unlink()
    first = sorted(raw.iterdir())[0]
    first.write_bytes(first.read_bytes() + "\n（修改）\n".encode("utf-8"))
    monkeypatch.setattr(corpus, "SERIAL_BELOW", 64)
    monkeypatch.setattr(corpus, "PARALLEL_TABLES_FROM", 0)  # the tables in a pool of their own: its start is seen
    events.clear()
    started.clear()
    edited = corpus.build(raw, tmp_path / "early", jobs=2, progress=False, text=False)
    assert edited.parsed == 1 and edited.wrote
    assert events == [("start", "parse")] + [("read", "files")] * 5 + [("shutdown", "parse"), ("start", "other"),
                                                                         ("shutdown", "other")]


def _cyclic_garbage(files):
    """The objects in reference cycles that parsing ``(name, bytes)`` pairs into rows leaves (the collector off)."""
    import gc

    rows = tidy.Rows()
    for name, data in files[:2]:  # imports on first use make cycles of their own (modules, functions)
        corpus._parse_data(rows, "0" * 64, name, data)
    gc.collect()
    gc.disable()
    gc.set_debug(gc.DEBUG_SAVEALL)
    try:
        for k, (name, data) in enumerate(files):
            corpus._parse_data(rows, f"{k:064d}", name, data)
        gc.collect()
        return [type(o).__qualname__ for o in gc.garbage]
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
        gc.enable()


def test_text_and_html_reports_leave_no_reference_cycles(tmp_path):
    """What lets the workers collect so seldom (``WORKER_GC_THRESHOLD``): the formats ``_ACYCLIC_FORMATS`` names
    leave no garbage only the collector frees (run-together digits searched by a closure that called itself did)."""
    from ogi import synth

    raw = tmp_path / "raw"
    synth.write_corpus(raw, 60, 3).unlink()  # every layout family, HTML among them; the truth is no report
    files = [(p.name, p.read_bytes()) for p in sorted(RAW.iterdir()) if p.suffix in (".txt", ".html")]
    files += [(p.name, p.read_bytes()) for p in sorted(raw.iterdir())]
    assert {ogi.readers.read_bytes(n, d).format for n, d in files} == {"text", "html"}
    assert _cyclic_garbage(files) == []


def test_a_worker_collects_after_files_of_formats_that_leave_cycles(monkeypatch):
    import gc

    calls = []
    monkeypatch.setattr(corpus, "COLLECT_EVERY", 2)
    monkeypatch.setattr(corpus, "_uncollected", [0])
    monkeypatch.setattr(gc, "collect", lambda *a: calls.append(a) or 0)
    pdf = (Path(__file__).parent / "fixtures" / "readers" / "report.pdf").read_bytes()
    text = next(p for p in sorted(RAW.iterdir()) if p.suffix == ".txt").read_bytes()
    rows = tidy.Rows()
    for k, (name, data) in enumerate([("a.txt", text)] * 3 + [("b.pdf", pdf)] * 5):
        corpus._parse_data(rows, f"{k:064d}", name, data)
    assert len(calls) == 2  # after the 2nd and 4th PDF, never after text


# --------------------------------------------------------------------------- bad files


def test_every_file_of_a_bad_corpus_has_a_row_with_a_status(tmp_path, monkeypatch):
    raw = tmp_path / "raw"
    (raw / "sub").mkdir(parents=True)
    seed = (RAW / "000_a24b6662cf75509f.txt").read_bytes()
    (raw / "a_good.txt").write_bytes(seed)
    (raw / "b_copy.txt").write_bytes(seed)
    (raw / "sub" / "nested.txt").write_bytes((RAW / "001_ea69d8cda5ce10c7.txt").read_bytes())
    (raw / "empty.txt").write_bytes(b"")
    (raw / "image.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    notice = "关于发布2023年政府信息公开工作年度报告的通知\n请各单位按时报送。\n"
    (raw / "notice.txt").write_text(notice, encoding="utf-8")
    (raw / "denied.txt").write_bytes(seed + b"\n")
    (raw / ".hidden.txt").write_bytes(seed)
    (raw / "MANIFEST.tsv").write_text("file\tsha256\n", encoding="utf-8")
    os.symlink("loop2", raw / "loop1")
    os.symlink("loop1", raw / "loop2")
    os.symlink("missing.txt", raw / "broken")
    os.symlink("..", raw / "sub" / "up")  # a folder loop
    os.mkfifo(raw / "pipe")
    # another report (the same report in other bytes would be a duplicate of the first in path order)
    (raw / os.fsdecode(b"\xff-latin.txt")).write_bytes((RAW / "002_e7e13b9f651bd8a5.txt").read_bytes())

    if os.geteuid() == 0:  # root reads anything: make the read fail as it would for a user
        real = corpus._sha256_file

        def deny(path):
            if path.endswith("denied.txt"):
                raise PermissionError(13, "Permission denied")
            return real(path)

        monkeypatch.setattr(corpus, "_sha256_file", deny)
    else:
        (raw / "denied.txt").chmod(0)
    try:
        result = corpus.build(raw, tmp_path / "out", jobs=1, progress=False)
    finally:
        (raw / "denied.txt").chmod(0o644)
    c = ogi.load(raw, tmp_path / "out", rebuild="never")
    got = dict(zip(c.reports.path, c.reports.status))
    assert got == {
        "a_good.txt": "ok", "b_copy.txt": "duplicate", "sub/nested.txt": "ok", "empty.txt": "failed",
        "image.png": "failed", "notice.txt": "not_a_report", "denied.txt": "failed", "loop1": "failed",
        "loop2": "failed", "broken": "failed", "pipe": "failed", "\\xff-latin.txt": "ok",
    }
    msgs = dict(zip(c.reports.path, c.reports.messages))
    assert "Permission denied" in msgs["denied.txt"]
    assert msgs["loop1"] == "symbolic link loop" and "broken symbolic link" in msgs["broken"]
    assert "not a regular file" in msgs["pipe"] and "empty" in msgs["empty.txt"]
    dup = c.reports.set_index("path").loc["b_copy.txt"]
    assert dup["duplicate_of"] == "a_good.txt" and dup["agency"] == "荆门市东宝区商务局"
    assert msgs["b_copy.txt"].startswith("same content as a_good.txt: ")
    rid = dup["report_id"]
    assert (c.requests.report_id == rid).sum() == 25 * 7  # the duplicated content's data, once
    assert result.n_files == len(got)
    assert result.status["duplicate"] == 1 and result.status["failed"] == 7


# --------------------------------------------------------------------------- cross-year check


def _edit(text, year_from, year_to, carried_over_first=None):
    text = text.replace(f"{year_from}年", f"{year_to}年")
    if carried_over_first is not None:
        lines = text.split("\n")
        k = next(i for i, line in enumerate(lines) if line.startswith("二、上年结转"))
        lines[k + 1] = f"{carried_over_first} |"
        text = "\n".join(lines)
    return text


def test_cross_year_check_on_a_pair_of_reports_of_one_agency(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    seed = (RAW / "004_b06d21084f014798.txt").read_text(encoding="utf-8")  # 2024: carry forward 1,0,0,0,0,0,1
    (raw / "qianjiang_2024.txt").write_text(seed, encoding="utf-8")
    # 2025 carries over 1 natural-person request (matches) but prints the total as 0 (does not)
    (raw / "qianjiang_2025.txt").write_text(_edit(seed, 2024, 2025, carried_over_first=1), encoding="utf-8")
    # the same agency two years earlier: 2022 and 2024 are not consecutive, no check
    (raw / "qianjiang_2022.txt").write_text(_edit(seed, 2024, 2022), encoding="utf-8")
    corpus.build(raw, tmp_path / "out", jobs=1, progress=False)
    c = ogi.load(raw, tmp_path / "out", rebuild="never")

    rep = c.reports.set_index("path")
    assert rep.loc["qianjiang_2025.txt", "year"] == 2025
    assert rep.loc["qianjiang_2025.txt", "agency_key"] == rep.loc["qianjiang_2024.txt", "agency_key"]
    last, this = rep.loc["qianjiang_2024.txt", "report_id"], rep.loc["qianjiang_2025.txt", "report_id"]
    cross = c.checks[c.checks.rule == "requests.cross_year"]
    assert set(cross.report_id.astype(str)) == {this}
    assert list(cross.scope.astype(str)) == list(schema.APPLICANT_CODES)
    by = cross.set_index(cross.scope.astype(str))
    assert (by.loc["natural_person", "left"], by.loc["natural_person", "right"]) == (1, 1)
    assert bool(by.loc["natural_person", "ok"]) is True
    assert bool(by.loc["total", "ok"]) is False and by.loc["total", "difference"] == 1
    assert all(last in cells for cells in cross.cells)
    # numbered after the report's own checks, and counted in reports
    own = c.checks[(c.checks.report_id == this) & (c.checks.rule != "requests.cross_year")]
    assert cross.check_no.min() == own.check_no.max() + 1
    failed = c.checks[(c.checks.report_id == this) & c.checks.ok.eq(False).fillna(False)]
    assert rep.loc["qianjiang_2025.txt", "n_checks_failed"] == len(failed)


def test_one_report_in_other_bytes_is_a_duplicate_counted_once(tmp_path):
    # real corpora hold a report twice: a mirror's copy (here in traditional characters), the page and its
    # PDF; same agency, year and values but other bytes, so other report ids
    import html

    import opencc

    from ogi import analysis

    raw = tmp_path / "raw"
    raw.mkdir()
    seed = (RAW / "004_b06d21084f014798.txt").read_text(encoding="utf-8")
    (raw / "a_own_site.txt").write_text(seed, encoding="utf-8")
    body = "".join(f"<p>{html.escape(line)}</p>" for line in seed.split("\n"))
    (raw / "b_portal.html").write_text(f'<html><head><meta charset="utf-8"></head><body>{body}'
                                       "<div>分享到:</div></body></html>", encoding="utf-8")
    (raw / "c_mirror.txt").write_text(opencc.OpenCC("s2t").convert(seed), encoding="utf-8")
    # the same agency and year with one number other: a corrected edition, not a copy
    lines = seed.split("\n")
    k = next(i for i, line in enumerate(lines) if line.startswith("二、上年结转"))
    (raw / "d_corrected.txt").write_text("\n".join(lines[:k + 1] + ["1 |"] + lines[k + 2:]), encoding="utf-8")
    corpus.build(raw, tmp_path / "out", jobs=1, progress=False)
    c = ogi.load(raw, tmp_path / "out", rebuild="never")

    rep = c.reports.set_index("path")
    assert rep.loc["b_portal.html", "report_id"] != rep.loc["a_own_site.txt", "report_id"]
    for copy in ("b_portal.html", "c_mirror.txt"):
        assert (rep.loc[copy, "status"], rep.loc[copy, "duplicate_of"]) == ("duplicate", "a_own_site.txt")
        assert "the same report as a_own_site.txt" in rep.loc[copy, "messages"]
        assert rep.loc[copy, "values_digest"] == rep.loc["a_own_site.txt", "values_digest"]
    assert rep.loc["d_corrected.txt", "status"] != "duplicate"
    # both editions stay counted, and each names the other
    assert "another report of the same agency and year, with other values: a_own_site.txt" in (
        rep.loc["d_corrected.txt", "messages"])
    assert "with other values: d_corrected.txt" in rep.loc["a_own_site.txt", "messages"]
    # analyses count the report once (and the corrected edition apart)
    assert sorted(analysis.report_frame(c)["report_id"]) == sorted(rep.loc[["a_own_site.txt", "d_corrected.txt"],
                                                                           "report_id"])
    # and so do the text tables: the copies' statements would be the original's twice
    from ogi.text import load_text

    said = set(load_text(c).statements["report_id"].astype(str))
    assert said == {rep.loc["a_own_site.txt", "report_id"], rep.loc["d_corrected.txt", "report_id"]}


def test_a_report_with_no_values_is_never_taken_for_a_copy():
    row = {"requests": {"new": [None] * 7}, "proactive": {"fees": None}, "review_litigation": [None] * 15}
    assert tidy.values_digest(row) is None
    assert tidy.values_digest({**row, "review_litigation": [0] * 15}) is not None


def test_tables_written_in_a_process_beside_the_checks_are_the_same_bytes(tmp_path, monkeypatch):
    raw = tmp_path / "raw"
    raw.mkdir()
    seed = (RAW / "004_b06d21084f014798.txt").read_text(encoding="utf-8")
    for year, first in ((2022, None), (2023, 1), (2024, None), (2025, 1)):
        (raw / f"qianjiang_{year}.txt").write_text(_edit(seed, 2024, year, carried_over_first=first),
                                                   encoding="utf-8")
    for name in ("000_a24b6662cf75509f.txt", "001_ea69d8cda5ce10c7.txt"):
        shutil.copy(RAW / name, raw / name)
    serial = corpus.build(raw, tmp_path / "serial", jobs=1, progress=False, text=False)

    submitted = []

    class Pool(corpus.ProcessPoolExecutor):
        def submit(self, fn, *args, **kwargs):
            submitted.append(fn.__name__)
            return super().submit(fn, *args, **kwargs)

    monkeypatch.setattr(corpus, "ProcessPoolExecutor", Pool)
    monkeypatch.setattr(corpus, "PARALLEL_TABLES_FROM", 0)
    beside = corpus.build(raw, tmp_path / "beside", jobs=2, progress=False, text=False)
    assert submitted == ["_write_tables"]  # four tables written in a process beside the checks (the only pool here)
    assert serial.rows == beside.rows and serial.rows["checks"] > 0
    assert _table_bytes(tmp_path / "serial") == _table_bytes(tmp_path / "beside")
    c = ogi.load(raw, tmp_path / "beside", rebuild="never")
    assert (c.checks.rule == "requests.cross_year").sum() == 3 * len(schema.APPLICANT_CODES)  # 2023, 2024, 2025


def test_a_files_digest_and_bytes_are_read_whole_at_every_size(tmp_path):
    for size in (0, 1, 8191, 1 << 20, (1 << 20) + 1, 3 * (1 << 20) + 7):  # read in 1 MB pieces
        data = os.urandom(size)
        path = tmp_path / f"f{size}"
        path.write_bytes(data)
        assert corpus._sha256_file(str(path)) == hashlib.sha256(data).hexdigest()
        assert corpus.file_bytes(str(path)) == data


def test_files_hashed_in_reader_processes_give_the_same_ids_and_errors(tmp_path, monkeypatch):
    raw = tmp_path / "raw"
    raw.mkdir()
    for path in sorted(RAW.glob("*.txt")):
        shutil.copy(path, raw / path.name)
    (raw / "empty.txt").write_bytes(b"")
    (raw / "big.txt").write_bytes(os.urandom(3 * (1 << 20) + 5))  # read in pieces
    files = corpus.scan(raw)
    gone = files[0]
    os.remove(gone.path)  # vanished between the scan and the hash: an error, never a lost row
    index = corpus.FileIndex(tmp_path / "files.tsv", str(raw))

    def copies():
        return [corpus.FileEntry(**{k: getattr(f, k) for k in f.__dataclass_fields__}) for f in files]

    serial = copies()
    assert corpus._hash_files(serial, index, jobs=1) == len(files) - 1
    assert corpus.HASH_READERS > 2 * 2  # many more readers than cores: they wait on the disk
    monkeypatch.setattr(corpus, "HASH_POOL_FROM", 1)
    monkeypatch.setattr(corpus, "HASH_READERS", 3)  # each reader given every third file
    real = corpus._sha256_files
    monkeypatch.setattr(corpus, "_sha256_files", lambda paths: pytest.fail("hashed here, not in a reader"))
    pooled = copies()
    assert corpus._hash_files(pooled, index, jobs=2) == len(files) - 1
    assert [(f.rel, f.sha256, f.error) for f in pooled] == [(f.rel, f.sha256, f.error) for f in serial]
    assert pooled[0].sha256 is None and "cannot read file" in pooled[0].error
    assert all(f.sha256 for f in pooled[1:])

    # a reader that fails, or says something else than a line a file: its files are hashed here instead
    monkeypatch.setattr(corpus, "_sha256_files", real)
    for k, program in enumerate(("import sys; sys.exit(3)", "print('not a digest')",
                                 "import sys; sys.stdout.write('!x y\\n' * 9)")):
        script = tmp_path / f"reader{k}.py"
        script.write_text(program)
        monkeypatch.setattr(corpus.digest, "__file__", str(script))
        again = copies()
        assert corpus._hash_files(again, index, jobs=2) == len(files) - 1
        assert [(f.rel, f.sha256, f.error) for f in again] == [(f.rel, f.sha256, f.error) for f in serial]
    monkeypatch.setattr(sys, "executable", str(tmp_path / "no-python"))  # none can start
    again = copies()
    assert corpus._hash_files(again, index, jobs=2) == len(files) - 1
    assert [(f.rel, f.sha256, f.error) for f in again] == [(f.rel, f.sha256, f.error) for f in serial]


# --------------------------------------------------------------------------- load, CLI, export


def test_load_builds_when_missing_and_uses_the_paths_module(tmp_path, monkeypatch):
    from ogi import paths

    raw, out = _copy_seeds(tmp_path / "raw"), tmp_path / "processed"
    monkeypatch.setattr(paths, "RAW", raw)
    monkeypatch.setattr(paths, "PROCESSED", out)
    c = ogi.load(verbose=False)
    assert len(c.reports) == 5 and (out / "BUILD.json").exists()
    assert "5 files" in repr(c)
    with pytest.raises(FileNotFoundError):
        ogi.load(tmp_path / "nothing", tmp_path / "nothing-out")


def test_cli_build_prints_the_summary_and_export_csv_keeps_chinese(tmp_path):
    out = tmp_path / "out"
    run = lambda *a: subprocess.run([sys.executable, "-m", "ogi.cli", *a], capture_output=True, text=True,  # noqa: E731
                                    check=True).stdout
    text = run("build", str(RAW), "--out", str(out), "--jobs", "1")
    assert "files by status: ok 5" in text and "failed checks by rule: none" in text
    assert run("build", str(RAW), "--out", str(out), "--quiet-if-fresh") == ""
    run("export", "--format", "csv", "--raw", str(RAW), "--processed", str(out), "--out", str(tmp_path / "csv"))
    raw_bytes = (tmp_path / "csv" / "reports.csv").read_bytes()
    assert raw_bytes.startswith(b"\xef\xbb\xbf")  # the BOM that makes Excel read UTF-8
    reports = pd.read_csv(tmp_path / "csv" / "reports.csv", encoding="utf-8-sig")
    assert "荆门市东宝区商务局" in set(reports.agency) and "重庆市黔江区" in set(reports.agency)
    sections = pd.read_csv(tmp_path / "csv" / "sections.csv", encoding="utf-8-sig")
    assert sections.text.str.contains("政府信息公开").any()
    codebook = pd.read_csv(tmp_path / "csv" / "codebook.csv", encoding="utf-8-sig")
    assert ((codebook.kind == "outcome_group") & (codebook.zh == "依法不予公开")).any()


def test_export_stata_round_trips(built, tmp_path):
    _, c = built
    files = c.export("stata", tmp_path / "dta")
    assert {f.name for f in files} == {f"{n}.dta" for n in [*tables.TABLE_NAMES, "codebook"]}
    req = pd.read_stata(tmp_path / "dta" / "requests.dta")
    assert len(req) == len(c.requests)
    assert req["value"].sum() == c.requests["value"].sum()
    assert req["value"].isna().sum() == c.requests["value"].isna().sum()  # blanks stay missing, not 0
    assert set(req["row"].astype(str)) == set(c.requests["row"].astype(str))  # value labels carry the codes
    rep = pd.read_stata(tmp_path / "dta" / "reports.dta")
    assert list(rep["agency"]) == list(c.reports["agency"])
    sec = pd.read_stata(tmp_path / "dta" / "sections.dta")
    assert sorted(sec["text"]) == sorted(c.sections["text"])  # long texts intact (strL)
    pro = pd.read_stata(tmp_path / "dta" / "proactive.dta")
    assert 7926.3139 in set(pro["value"])
    with pd.io.stata.StataReader(tmp_path / "dta" / "requests.dta") as reader:
        assert reader.variable_labels()["value"].startswith("Number of requests")


def test_export_parquet_copies_the_tables(built, tmp_path):
    _, c = built
    c.export("parquet", tmp_path / "pq")
    for name in tables.TABLE_NAMES:
        assert (tmp_path / "pq" / f"{name}.parquet").read_bytes() == (c.processed / f"{name}.parquet").read_bytes()
    with pytest.raises(ValueError):
        c.export("xlsx", tmp_path / "x")


# --------------------------------------------------------------------------- robustness of the cache and workers


def test_an_exception_on_one_file_fails_that_file_only(tmp_path, monkeypatch):
    raw, out = _copy_seeds(tmp_path / "raw"), tmp_path / "out"
    real = tidy.report_rows
    bad = "4f7dca21b350ffd608b362cb01027681aec22f5049c80eadef5d3efa9bd80eac"  # seed 004

    def explode(rows, d, report_id, head=""):
        if report_id == bad:
            rows.parts["requests"]["report_id"].append(report_id)  # half-written rows must be rolled back
            raise RuntimeError("boom")
        return real(rows, d, report_id, head)

    monkeypatch.setattr(tidy, "report_rows", explode)
    corpus.build(raw, out, jobs=1, progress=False)
    c = ogi.load(raw, out, rebuild="never")
    rep = c.reports.set_index("path")
    assert rep.loc["004_b06d21084f014798.txt", "status"] == "failed"
    assert "RuntimeError: boom" in rep.loc["004_b06d21084f014798.txt", "messages"]
    assert (rep.drop(index="004_b06d21084f014798.txt")["status"] == "ok").all()
    assert bad not in set(c.requests.report_id.astype(str))


def test_cache_segments_are_merged_and_keep_serving(tmp_path, monkeypatch):
    raw, out = _copy_seeds(tmp_path / "raw"), tmp_path / "out"
    monkeypatch.setattr(cache, "MAX_SEGMENTS", 1)
    corpus.build(raw, out, jobs=1, progress=False)
    (raw / "extra.txt").write_bytes((raw / "002_e7e13b9f651bd8a5.txt").read_bytes() + b"\n")
    corpus.build(raw, out, jobs=1, progress=False)  # a second segment, then merged into one
    segments = [p for p in (out / "cache" / "segments" / ogi.PARSER_VERSION).iterdir() if not p.name.startswith(".")]
    assert len(segments) == 1
    before = _table_bytes(out)
    again = corpus.build(raw, out, jobs=1, progress=False, force=True)  # tables from the merged segment
    assert again.parsed == 0 and _table_bytes(out) == before


# --------------------------------------------------------------------------- the text tables, written by the build


def test_build_brings_the_text_tables_up_to_date(tmp_path, monkeypatch):
    from ogi.text import load_text

    raw, out = _copy_seeds(tmp_path / "raw"), tmp_path / "out"
    first = corpus.build(raw, out, jobs=1, progress=False)
    assert first.text is not None and first.text.status == "computed" and first.text_error is None
    assert "text tables written to" in first.summary() and "text tables" in first.timings
    got = load_text(ogi.load(raw, out, rebuild="never"))
    assert got.info["cached"] and len(got.statements) > 0  # notebook 06 reads them, computes nothing

    # nothing changed: the text tables are checked by size and mtime, not hashed again
    hashed = []
    real = corpus._sha256_file
    monkeypatch.setattr(corpus, "_sha256_file", lambda p: hashed.append(p) or real(p))
    second = corpus.build(raw, out, jobs=1, progress=False)
    assert not second.wrote and second.text.status == "fresh"
    assert hashed == []  # neither the corpus tables nor the text tables

    # a changed file: the text tables follow the corpus
    p = next(raw.glob("*.txt"))
    p.write_bytes(p.read_bytes() + "\n附：新增一行。\n".encode())
    third = corpus.build(raw, out, jobs=1, progress=False)
    assert third.wrote and third.text.status == "computed"
    assert load_text(ogi.load(raw, out, rebuild="never")).info["cached"]


def test_a_no_change_build_checks_the_text_tables_without_the_text_code(tmp_path, monkeypatch):
    import subprocess

    from ogi.text import fresh, store

    raw, out = _copy_seeds(tmp_path / "raw"), tmp_path / "out"
    assert corpus.build(raw, out, jobs=1, progress=False).text.status == "computed"
    calls = []
    real = store.update_text
    monkeypatch.setattr(store, "update_text", lambda *a, **k: calls.append(1) or real(*a, **k))
    again = corpus.build(raw, out, jobs=1, progress=False)
    assert again.text.status == "fresh" and again.text_error is None and calls == []  # the light check
    # in a fresh interpreter, the check imports neither pandas nor jieba
    code = (f"import sys; from ogi.text import fresh; assert fresh.current({str(out)!r}) is not None; "
            "assert 'pandas' not in sys.modules and 'jieba' not in sys.modules, sorted(sys.modules)")
    subprocess.run([sys.executable, "-c", code], check=True)
    # anything the text key depends on changed (code, lexicons, jieba): the full check decides
    monkeypatch.setattr(fresh, "sources_digest", lambda: "changed")
    assert corpus.build(raw, out, jobs=1, progress=False).text.status == "fresh" and calls == [1]
    # a damaged table: not current by the light check either
    monkeypatch.undo()
    (out / "text" / "keywords.parquet").write_bytes(b"damaged")
    assert fresh.current(out) is None


def test_text_false_and_no_text_write_the_corpus_tables_only(tmp_path):
    raw = _copy_seeds(tmp_path / "raw")
    result = corpus.build(raw, tmp_path / "a", jobs=1, progress=False, text=False)
    assert result.text is None and result.wrote and not (tmp_path / "a" / "text").exists()
    subprocess.run([sys.executable, "-m", "ogi.cli", "build", str(raw), "--out", str(tmp_path / "b"), "--jobs", "1",
                    "--no-text"], check=True, capture_output=True)
    assert (tmp_path / "b" / "BUILD.json").exists() and not (tmp_path / "b" / "text").exists()
    # load() leaves the text tables to notebook 06: a notebook opening the corpus does not wait for them
    ogi.load(raw, tmp_path / "c", verbose=False)
    assert not (tmp_path / "c" / "text").exists()


def test_a_failure_of_the_text_tables_keeps_the_corpus_build(tmp_path, monkeypatch):
    from ogi.text import store

    def broken(*a, **k):
        raise RuntimeError("lexicon unreadable")

    monkeypatch.setattr(store, "update_text", broken)
    raw, out = _copy_seeds(tmp_path / "raw"), tmp_path / "out"
    result = corpus.build(raw, out, jobs=1, progress=False)
    assert result.wrote and result.status == {"ok": 5} and (out / "reports.parquet").exists()
    assert result.text is None and result.text_error == "RuntimeError: lexicon unreadable"
    assert "text tables NOT updated: RuntimeError: lexicon unreadable" in result.summary()


def test_corpus_read_some_columns(built, monkeypatch):
    _, whole = built
    c = corpus.Corpus(whole.processed)
    reads = []
    real = tables.read_table
    monkeypatch.setattr(tables, "read_table", lambda p, t, columns=None: reads.append((t, columns)) or real(p, t, columns))
    part = c.read("checks", columns=["ok", "report_id"])
    assert list(part.columns) == ["report_id", "ok"]  # the declared order
    assert reads == [("checks", ["ok", "report_id"])] and "checks" not in c._frames  # read, not kept
    pd.testing.assert_frame_equal(part, whole.checks[["report_id", "ok"]])
    c["checks"]  # once read whole, columns are cut from memory
    reads.clear()
    pd.testing.assert_frame_equal(c.read("checks", columns=["report_id", "ok"]), part)
    assert reads == [] and c.read("reports") is c.reports
    with pytest.raises(KeyError, match="no columns"):
        c.read("checks", columns=["nope"])
    with pytest.raises(KeyError, match="no table"):
        c.read("nope")


def test_a_build_with_progress_says_when_it_computes_the_text_tables(tmp_path, capsys):
    raw = _copy_seeds(tmp_path / "raw")
    corpus.build(raw, tmp_path / "out", jobs=1, progress=True)
    err = capsys.readouterr().err
    assert "text tables (statements, keywords, similar pairs; `--no-text` skips them) ..." in err
    assert "statements of 5 reports (0 reused)" in err
    corpus.build(raw, tmp_path / "quiet", jobs=1, progress=False)
    assert capsys.readouterr().err == ""


def test_the_cli_starts_without_the_text_code():
    # every `ogi` call builds the parser, `ogi text` included: that must not import pandas or jieba
    code = ("import sys; from ogi import cli; p = cli.build_parser(); p.parse_args(['text', '--quiet']); "
            "assert 'pandas' not in sys.modules and 'jieba' not in sys.modules, "
            "[m for m in ('pandas', 'jieba') if m in sys.modules]")
    subprocess.run([sys.executable, "-c", code], check=True)
