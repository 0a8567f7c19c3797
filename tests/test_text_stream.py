"""The text tables computed batch by batch (ogi.text.stream) and kept up to date incrementally (update_text).

What would fail if memory became whole-corpus again: the batches handed to the sink are bounded by
``batch_reports`` and written as they come (a row group per batch); the pairs of one agency are
compared by distinct text, not by item, and expanded in bounded batches; notebook 06's functions read
only the per-report tables whole (``similar_pairs`` a row group at a time). The tables do not depend
on the batch size or the number of processes, and an incremental update gives, frame for frame, what
a computation from scratch gives.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow.parquet as pq
import pytest
from test_text_tables import _planted

from ogi import analysis, cli, corpus, synth
from ogi.text import SCHEMAS, explore, load_text, store, stream, text_tables, update_text
from ogi.text import similarity as S


@pytest.fixture(scope="module")
def planted_tables():
    return text_tables(*_planted(), processes=1)


def _equal(a: dict, b: dict) -> None:
    assert set(a) == set(b) == set(SCHEMAS)
    for name in SCHEMAS:
        pd.testing.assert_frame_equal(a[name], b[name], obj=name)


# --------------------------------------------------------------------------- batches


def test_the_tables_do_not_depend_on_the_batch_size(planted_tables):
    _equal(planted_tables, text_tables(*_planted(), processes=1, batch_reports=1))
    _equal(planted_tables, text_tables(*_planted(), processes=1, batch_reports=4))


def test_a_pool_of_processes_gives_the_same_tables(planted_tables):
    _equal(planted_tables, text_tables(*_planted(), processes=2, batch_reports=2))


class _Recorder(stream.MemorySink):
    def __init__(self):
        super().__init__()
        self.writes: list[tuple[str, int, int]] = []

    def write(self, name, df):
        ids = df["report_id"].nunique() if "report_id" in df.columns else 0
        self.writes.append((name, len(df), ids))
        super().write(name, df)


def test_batches_respect_batch_reports_and_are_written_as_they_come(planted_tables):
    sections, reports = _planted()
    source = stream.FrameSource(sections, reports)
    seen = []
    real = source.batches
    source.batches = lambda codes, n: (seen.append(b["report_id"].nunique()) or b for b in real(codes, n))
    sink = _Recorder()
    stream.compute(source, sink, processes=1, batch_reports=2)
    sink.close()
    assert seen and max(seen) <= 2 and sum(seen) == reports["report_id"].nunique()
    st = [w for w in sink.writes if w[0] == "statements"]
    assert len(st) == len(seen) > 1 and all(ids <= 2 for _, _, ids in st)  # one write per batch, none held back
    _equal(planted_tables, sink.frames)


def test_pairs_of_one_agency_are_compared_by_text_and_expanded_in_bounded_batches(monkeypatch):
    """60 reports of one agency repeat one statement: 1,770 pairs, from a single comparison of texts."""
    text = "政府信息公开工作人员业务能力有待提高,政策解读形式较为单一。"
    other = "网站栏目设置不够合理,部分栏目更新不及时,信息检索功能有待完善。"
    rows = [(f"r{i:02d}", "problems", 0, "某县某某局", 2000 + i, text) for i in range(60)]
    rows += [(f"r{i:02d}", "problems", 1, "某县某某局", 2000 + i, other) for i in range(60)]
    items = pd.DataFrame(rows, columns=["report_id", "part", "idx", "agency_key", "year", "text"])
    compared = []
    real = S._estimate
    monkeypatch.setattr(S, "_estimate", lambda sig, pairs, *a: compared.append(len(pairs)) or real(sig, pairs, *a))
    pairs = S.similar_pairs(items)
    assert len(pairs) == 2 * 60 * 59 // 2 and pairs["same_agency"].all() and (pairs["score"] == 1.0).all()
    assert sum(compared) <= 4  # the two texts with each other (and the LSH candidates), not 7,140 item pairs
    it = S._prepare(items, 8)
    texts = it.attrs.pop("texts")
    batches = list(S.pair_batches(*(it[c].to_numpy() for c in ("tid", "agency", "report")), texts, budget=500))
    sizes = [len(b[0]) for b in batches]
    assert sum(sizes) == len(pairs) and len(batches) > 2 and max(sizes) <= 60 * 60  # a group pair at most


# --------------------------------------------------------------------------- stored, incremental


def _synthetic(folder: Path, n: int = 40) -> Path:
    raw = folder / "raw"
    truth = synth.write_corpus(raw, n, 3)
    truth.rename(folder / "truth.jsonl")
    past = time.time() - 3600
    for p in raw.iterdir():
        os.utime(p, (past, past))
    return raw


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """A synthetic corpus of 40 reports (several years per agency), built."""
    folder = tmp_path_factory.mktemp("synthetic")
    raw = _synthetic(folder)
    out = folder / "processed"
    corpus.build(raw, out, jobs=1, progress=False)
    return raw, out


def test_update_text_writes_each_table_a_batch_at_a_time(built, tmp_path):
    _, out = built
    r = update_text(out, out=tmp_path, batch_reports=8, processes=1)
    assert r.status == "computed" and r.reused == 0 and r.reports > 8
    f = pq.ParquetFile(tmp_path / "text" / "statements.parquet")
    groups = [f.read_row_group(g, columns=["report_id"])["report_id"] for g in range(f.metadata.num_row_groups)]
    assert len(groups) == -(-r.reports // 8) and all(len(set(g.to_pylist())) <= 8 for g in groups)
    again = update_text(out, out=tmp_path, batch_reports=8, processes=1)
    assert again.status == "fresh"
    c = corpus.load(processed=out, rebuild="never")
    stored = load_text(c, processed=tmp_path)
    assert stored.info["cached"]
    _equal({n: stored[n] for n in SCHEMAS}, text_tables(c["sections"], c["reports"], processes=1))


def test_an_update_reuses_the_statements_of_unchanged_reports(built, tmp_path, monkeypatch):
    raw0, out0 = built
    raw, out = tmp_path / "raw", tmp_path / "processed"
    import shutil

    shutil.copytree(raw0, raw)
    shutil.copytree(out0, out, ignore=shutil.ignore_patterns("text"))
    first = update_text(out, processes=1)
    assert first.status == "computed" and first.reused == 0
    edited = sorted(p for p in raw.iterdir())[::10][:3]
    for p in edited:  # another problem admitted: new bytes, a new report id
        p.write_bytes(p.read_bytes().replace("存在的主要问题".encode(), "存在的主要问题\n一是新增问题：培训次数偏少。\n".encode(), 1))
    corpus.build(raw, out, jobs=1, progress=False, text=False)  # the corpus only: the update is this test's
    split = []
    real = stream.statements_of
    monkeypatch.setattr(stream, "statements_of", lambda prob, meta: split.append(set(prob["report_id"])) or
                        real(prob, meta))
    inc = update_text(out, processes=1)
    new_ids = set().union(*split)
    assert inc.status == "computed" and inc.reused == inc.reports - len(new_ids) and 0 < len(new_ids) <= len(edited)
    monkeypatch.undo()
    c = corpus.load(processed=out, rebuild="never")
    stored = load_text(c)
    assert stored.info["cached"]
    _equal({n: stored[n] for n in SCHEMAS}, text_tables(c["sections"], c["reports"], processes=1))
    # another text version (code or lexicons): nothing is reused
    monkeypatch.setattr(store, "text_version", lambda: "another version")
    assert update_text(out, processes=1).reused == 0


def test_the_cli_and_a_child_process_compute_the_same_tables(built, tmp_path):
    _, out = built
    assert cli.main(["text", "--processed", str(out), "--out", str(tmp_path / "a"), "--quiet"]) == 0
    c = corpus.load(processed=out, rebuild="never")
    isolated = load_text(c, processed=tmp_path / "b", isolate=True)  # python -m ogi.cli text in a child
    assert not isolated.info["cached"]
    for name in SCHEMAS:
        assert (tmp_path / "a" / "text" / f"{name}.parquet").read_bytes() == \
            (tmp_path / "b" / "text" / f"{name}.parquet").read_bytes(), name


# --------------------------------------------------------------------------- what notebook 06 reads


def test_notebook_functions_read_only_the_per_report_tables_whole(built, tmp_path, monkeypatch):
    _, out = built
    c = corpus.load(processed=out, rebuild="never")
    text = load_text(c, processed=tmp_path)
    f = analysis.make_filters()
    explore.text_note(text, f, "zh")
    explore.theme_table(text, "year", {"part": "problems"}, "zh")
    explore.unthemed(text, f, "zh")
    explore.top_keywords(text, "part", f, 6, "zh")
    explore.kwic(text, "解读", filters=f, limit=10)
    explore.boilerplate_bins(text, f, "zh")
    taken = []
    real = type(text).take
    monkeypatch.setattr(type(text), "take", lambda self, name, rows, cols=None: taken.append(len(rows)) or
                        real(self, name, rows, cols))
    top = explore.copied_pairs(text, f, limit=3)
    assert taken == [len(top)] and len(top) <= 3
    assert text.loaded <= {"copies", "repeats", "themes"}  # statements, themes, pairs: columns or row groups
    # the same rows as sorting the whole table
    full = explore.copied_pairs(text, f)
    pd.testing.assert_frame_equal(top, full.head(3))
    assert len(full) == int((text.similar_pairs["kind"] == "statement").sum())
    assert np.all(np.diff(full["score"].to_numpy()) <= 0)
