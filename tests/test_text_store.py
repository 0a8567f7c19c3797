"""ogi.text.load_text: the text tables cached as Parquet beside the corpus, keyed by the corpus
fingerprint and the text version, written atomically and deterministically, read back unchanged."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pandas as pd
import pytest
from test_text_seeds import seed_frames

import ogi
from ogi.text import SCHEMAS, TextTables, load_text, signatures, store, text_tables
from ogi.text.tables import validate

RAW = Path(__file__).resolve().parents[1] / "data" / "raw"


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    """The five seeds built into a temporary folder (the bundled corpus is never touched)."""
    out = tmp_path_factory.mktemp("processed")
    return ogi.load(raw=RAW, processed=out, verbose=False, jobs=1)


@pytest.fixture
def fresh(corpus, tmp_path):
    """A copy of the built corpus without text tables, for tests that write them."""
    out = tmp_path / "processed"
    shutil.copytree(corpus.processed, out, ignore=shutil.ignore_patterns("text", "cache"))
    return ogi.load(processed=out, rebuild="never")


def _no_recompute(monkeypatch):
    def fail(*a, **k):
        raise AssertionError("the text tables were computed: the cache was not used")
    monkeypatch.setattr(store, "text_tables", fail)
    monkeypatch.setattr(store, "_compute", fail)


def test_first_call_computes_and_stores_second_reads(fresh, monkeypatch):
    first = load_text(fresh)
    assert isinstance(first, TextTables) and first.info["cached"] is False
    folder = fresh.processed / "text"
    manifest = json.loads((folder / "TEXT.json").read_text(encoding="utf-8"))
    assert manifest["fingerprint"] == fresh.info["fingerprint"] and manifest["key"] == first.info["key"]
    assert sorted(manifest["tables"]) == sorted(SCHEMAS)
    kept = sorted(f"{n}.parquet" for n in SCHEMAS) + [signatures.FILE]  # the tables, and what the next update reuses
    assert sorted(p.name for p in folder.glob("*.parquet")) == sorted(kept)
    assert sorted(manifest["caches"]) == [signatures.FILE]
    assert not [p for p in folder.iterdir() if ".tmp" in p.name]  # no temporary file left behind

    _no_recompute(monkeypatch)
    second = load_text(fresh)
    assert second.info["cached"] is True and second.info["key"] == first.info["key"]
    for name in SCHEMAS:
        pd.testing.assert_frame_equal(first[name], second[name], obj=name)
        validate(second[name], name)


def test_cached_tables_equal_text_tables(fresh):
    load_text(fresh)
    got = load_text(fresh)
    want = text_tables(fresh.sections, fresh.reports)
    assert got.info["cached"]
    for name in SCHEMAS:
        pd.testing.assert_frame_equal(want[name], got[name], obj=name)  # categories, unused ones included
    assert got.repeat_shares is got.repeats and got["repeat_shares"] is got["repeats"]
    assert got.reports is fresh.reports and set(got) == set(SCHEMAS)


def test_writes_are_deterministic(fresh, tmp_path):
    load_text(fresh)
    folder = fresh.processed / "text"
    before = {p.name: p.read_bytes() for p in folder.iterdir() if p.name not in (".lock", store.STATE)}
    again = load_text(fresh, rebuild=True)
    assert again.info["cached"] is False
    after = {p.name: p.read_bytes() for p in folder.iterdir() if p.name not in (".lock", store.STATE)}
    assert before == after
    other = tmp_path / "elsewhere"  # another folder, another process history: the same bytes
    load_text(fresh, processed=other)
    assert {p.name: p.read_bytes() for p in (other / "text").iterdir() if p.name not in (".lock", store.STATE)} == after


def test_a_damaged_or_half_written_cache_is_computed_again(fresh, monkeypatch):
    load_text(fresh)
    folder = fresh.processed / "text"
    (folder / "statements.parquet").write_bytes(b"not parquet")  # a crash between the files and the manifest
    again = load_text(fresh)
    assert again.info["cached"] is False
    validate(again.statements, "statements")
    _no_recompute(monkeypatch)
    assert load_text(fresh).info["cached"] is True  # repaired
    (folder / "TEXT.json").write_text("{", encoding="utf-8")
    monkeypatch.undo()
    assert load_text(fresh).info["cached"] is False


def test_key_follows_the_corpus_and_the_lexicons(fresh, monkeypatch, tmp_path):
    key = load_text(fresh).info["key"]
    # another corpus (a different fingerprint in BUILD.json) is another key
    assert store.text_key("another fingerprint") != key
    # editing a lexicon file (here the stopwords, which do not change tokens) changes the text version
    lex = tmp_path / "lexicon"
    shutil.copytree(store._tokenize.LEXICON, lex)
    before = store.text_version()
    with (lex / "stopwords.txt").open("a", encoding="utf-8") as fh:
        fh.write("新增停用词\n")
    monkeypatch.setattr(store._tokenize, "LEXICON", lex)
    assert store.text_version() != before
    assert load_text(fresh).info["cached"] is False  # the stored tables are not reused


def test_options_are_part_of_the_key(fresh):
    a = load_text(fresh)
    b = load_text(fresh, k=5)
    assert a.info["key"] != b.info["key"] and not b.info["cached"]
    assert b.keywords["rank"].max() == 5


def test_plain_frames_without_a_folder_are_computed_in_memory(tmp_path):
    sections, reports = seed_frames()
    t = load_text({"sections": sections, "reports": reports})
    assert t.info["cached"] is False and t.info["fingerprint"].startswith("content:")
    assert len(t.statements) > 0
    stored = load_text({"sections": sections, "reports": reports}, processed=tmp_path)
    assert (tmp_path / "text" / "TEXT.json").exists() and stored.info["key"] == t.info["key"]
    assert load_text({"sections": sections, "reports": reports}, processed=tmp_path).info["cached"]
    changed = sections.assign(text=sections["text"].str.replace("政策解读", "政策说明"))
    assert load_text({"sections": changed, "reports": reports}, processed=tmp_path).info["key"] != t.info["key"]
