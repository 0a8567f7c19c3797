"""A build over a folder mixing good and hostile files: every file is accounted for, the summary says what to look at."""

import shutil

import pandas as pd
import pytest

from conftest import RAW
from hostile import make_hostile
from ogi import corpus


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    raw = tmp_path_factory.mktemp("mixed")
    expected = make_hostile(raw)
    for f in RAW.glob("*.txt"):
        shutil.copy(f, raw / f.name)
        expected[f.name] = "ok"
    out = tmp_path_factory.mktemp("out")
    result = corpus.build(raw, out, jobs=2)
    return raw, out, expected, result


def test_every_file_is_in_reports_with_its_status(built):
    raw, out, expected, result = built
    reports = pd.read_parquet(out / "reports.parquet")
    got = dict(zip(reports["path"].astype(str), reports["status"].astype(str)))
    assert set(got) == set(expected)
    for name, status in expected.items():
        # a file whose bytes equal another file's is one report, listed as a duplicate
        assert got[name] == status or got[name] == "duplicate", (name, got[name], status)
    assert (reports.loc[reports.status != "ok", "messages"].str.len() > 0).all()


def test_summary_tells_the_user_what_to_look_at(built):
    _, _, _, result = built
    text = result.summary()
    assert "to look at first:" in text
    assert "empty.txt: empty file" in text
    assert "failed" in text and "partial" in text



def test_summary_gives_the_verdict_not_a_note_on_reading(tmp_path):
    # an HTML page that is no report: its first message is how it was decoded, its last why it was not read
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "news.html").write_bytes("<html><body><p>某县召开政务公开工作会议，部署下一阶段工作。</p></body></html>"
                                    .encode("utf-8"))
    result = corpus.build(raw, tmp_path / "out", jobs=1)
    messages = pd.read_parquet(tmp_path / "out" / "reports.parquet")["messages"].iloc[0].split("\n")
    assert len(messages) >= 2 and "charset" in messages[0]
    line = next(line for line in result.summary().split("\n") if "news.html" in line)
    assert "not_a_report" in line and messages[-1][:60] in line and "charset" not in line


class _KillsTheWorker:
    """Unpickled in a worker, it ends that process at once, as a crash in a C library reading a file would."""

    def __reduce__(self):
        import os
        return os._exit, (3,)


def test_a_worker_that_dies_loses_only_the_file_it_was_reading():
    """The worker reading one file dies (a C library's crash on a hostile PDF): the pool breaks. Every other
    file is still parsed, and only that one is reported, with a message; the build goes on."""
    text = (RAW / "000_a24b6662cf75509f.txt").read_bytes()
    items = [(f"{k:064x}", f"r{k}.txt", text) for k in range(200)]
    items[77] = (items[77][0], items[77][1], _KillsTheWorker())
    parsed = []
    changed, lost = corpus._run("bytes", items, jobs=2, progress=False,
                                sink=lambda parts: parsed.extend(parts["content"].column("report_id").to_pylist()))
    assert changed == []
    assert [[item[0] for item in chunk] for chunk, _ in lost] == [[items[77][0]]]
    assert "stopped" in lost[0][1]
    assert sorted(parsed) == sorted(item[0] for k, item in enumerate(items) if k != 77)


def test_a_pool_that_breaks_between_a_result_and_the_next_chunk_loses_no_chunk(monkeypatch):
    """A worker dies while the build hands the next chunk to the pool: ``submit`` itself raises
    BrokenProcessPool (CI met it once, the worker killed by the test above dying in that instant). The chunk
    was never started: the next pool takes it, and no file is lost or reported failed."""
    from concurrent.futures.process import BrokenProcessPool

    real = corpus.ProcessPoolExecutor
    calls = {"n": 0}

    class BreaksOnce(real):
        def submit(self, *args, **kwargs):
            calls["n"] += 1
            if calls["n"] == 12:
                raise BrokenProcessPool("A child process terminated abruptly")
            return super().submit(*args, **kwargs)

    monkeypatch.setattr(corpus, "ProcessPoolExecutor", BreaksOnce)
    text = (RAW / "000_a24b6662cf75509f.txt").read_bytes()
    items = [(f"{k:064x}", f"r{k}.txt", text) for k in range(200)]
    parsed = []
    changed, lost = corpus._run("bytes", items, jobs=2, progress=False,
                                sink=lambda parts: parsed.extend(parts["content"].column("report_id").to_pylist()))
    assert calls["n"] > 12  # the refused chunk was submitted again, to a new pool
    assert (changed, lost) == ([], [])
    assert sorted(parsed) == sorted(item[0] for item in items)


def test_a_worker_that_dies_writing_its_own_cache_segments_loses_only_its_file(tmp_path):
    """In a build the workers write their chunks' rows as cache segments themselves (``store``): when one dies
    on a file, every other file's rows are still in the cache, each once, and only that file is reported."""
    import hashlib

    from ogi import cache

    text = (RAW / "000_a24b6662cf75509f.txt").read_text(encoding="utf-8")
    items = []
    for k in range(300):
        p = tmp_path / "raw" / f"r{k:03d}.txt"
        p.parent.mkdir(exist_ok=True)
        p.write_text(text + f"\n附：第{k}份。\n", encoding="utf-8")
        items.append((hashlib.sha256(p.read_bytes()).hexdigest(), p.name, str(p)))
    items[150] = (items[150][0], items[150][1], _KillsTheWorker())
    store = cache.SegmentStore(tmp_path / "segments", "key")
    segments = []
    changed, lost = corpus._run("parse", items, jobs=2, progress=False, sink=segments.append, store=store)
    assert changed == [] and [[i[0] for i in chunk] for chunk, _ in lost] == [[items[150][0]]]
    assert all(done["segment"] is not None for done in segments) and len(segments) > 2
    for done in segments:
        store.adopt(*done["segment"])
    want = {item[0] for k, item in enumerate(items) if k != 150}
    assert store.ids() == want
    content = store.read("content", want)
    assert sorted(content["report_id"].astype(str)) == sorted(want)  # each report once
    ids = sorted(want)
    rows = sum(t.num_rows for t in store.stream("requests", want, cache.id_bounds(ids, 64)) if t is not None)
    one = len(store.read("requests", {ids[0]}))  # every file is the same report but for a line of text
    assert one > 0 and rows == len(want) * one == len(store.read("requests", want))
