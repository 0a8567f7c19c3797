"""The build's cache (``ogi.cache``): segments give back exactly the rows put in, in report-id order, and a
segment that is not what its ``meta.json`` says, or of another format, is never read as if it were."""

import hashlib
import json

import pyarrow as pa
import pytest

from ogi import cache, corpus
from conftest import RAW


def _results(chunks):
    """The workers' parts for the seeds, one result a chunk of (sha, rel, bytes) items."""
    out = []
    for chunk in chunks:
        parts = corpus._work("bytes", chunk)
        parts.pop("changed")
        out.append(parts)
    return out


@pytest.fixture(scope="module")
def items():
    got = []
    for p in sorted(RAW.glob("*.txt")):
        data = p.read_bytes()
        got.append((hashlib.sha256(data).hexdigest(), p.name, data))
    return sorted(got)


def _rows(t):
    """A table's rows as plain tuples (dictionaries decoded), for comparing across encodings."""
    return [tuple(r.values()) for r in t.to_pylist()]


def test_a_segment_gives_back_the_rows_in_id_order_whatever_the_order_they_came_in(tmp_path, items):
    ids = [i[0] for i in items]
    whole = _results([items])[0]
    store = cache.SegmentStore(tmp_path, "key")
    # results in reverse order: the segment is still in report-id order
    seg = store.add(_results([items[3:], items[:3]])[::-1])
    meta = json.loads((seg / "meta.json").read_text())
    assert meta["format"] == cache.CACHE_FORMAT and meta["ids"] == ids
    assert store.ids() == set(ids)
    for part in cache.PARTS:
        assert sum(meta["rows"][part]) == whole[part].num_rows
        got = [t for t in store.stream(part, set(ids), cache.id_bounds(ids, 2)) if t is not None]
        assert _rows(pa.concat_tables(got)) == _rows(whole[part])
    # the requests rows the cross-year join reads, in a file of their own
    carried = pa.concat_tables(store.part_tables(cache.CARRIED, set(ids)))
    want = [r for r in whole["requests"].select(cache.CARRIED_COLUMNS).to_pylist() if r["row"] in cache.CARRIED_ROWS]
    assert carried.to_pylist() == want and len(want) == 2 * 7 * len(ids)
    # a subset of the ids, read whole and in batches
    some = set(ids[1::2])
    req = store.read("requests", some)
    assert set(req["report_id"].astype(str)) == some
    assert len(req) == sum(n for rid, n in zip(ids, meta["rows"]["requests"]) if rid in some)


def test_the_rows_of_several_segments_each_id_from_the_first_that_holds_it(tmp_path, items):
    ids = [i[0] for i in items]
    store = cache.SegmentStore(tmp_path, "key")
    store.add(_results([items[:3]]))
    store.add(_results([items[2:]]))  # items[2] in both
    whole = _results([items])[0]
    got = store.part_tables("checks", set(ids))
    assert sum(t.num_rows for t in got) == whole["checks"].num_rows
    merged = sorted(_rows(pa.concat_tables(got)))
    assert merged == sorted(_rows(whole["checks"]))
    # only the rows asked for, of the columns asked for
    got = store.part_tables("requests", set(ids), columns=["report_id", "value"], where=("row", ["carried_over"]))
    t = pa.concat_tables(got)
    carried = [r for r in whole["requests"].to_pylist() if r["row"] == "carried_over"]
    assert t.column_names == ["report_id", "value"] and t.num_rows == len(carried) > 0
    assert sorted(_rows(t)) == sorted((r["report_id"], r["value"]) for r in carried)


def test_a_merge_keeps_every_live_row_and_drops_the_rest(tmp_path, items, monkeypatch):
    ids = [i[0] for i in items]
    store = cache.SegmentStore(tmp_path, "key")
    for k in range(len(items)):
        store.add(_results([items[k:k + 1]]))
    monkeypatch.setattr(cache, "MAX_SEGMENTS", 1)
    store.compact(set(ids[1:]))
    assert len(store.segments) == 1 and store.ids() == set(ids[1:])
    whole = _results([items[1:]])[0]
    for part in cache.PARTS:
        got = [t for t in store.stream(part, set(ids[1:]), [""]) if t is not None]
        assert _rows(pa.concat_tables(got)) == _rows(whole[part])
    carried = pa.concat_tables(store.part_tables(cache.CARRIED, set(ids[1:])))
    assert sorted(set(carried.column("report_id").to_pylist())) == ids[1:] and carried.num_rows == 14 * len(ids[1:])
    again = cache.SegmentStore(tmp_path, "key")  # as the next build opens it
    assert again.ids() == set(ids[1:])


def test_segments_of_another_format_or_unreadable_are_dropped_not_read(tmp_path, items):
    store = cache.SegmentStore(tmp_path, "key")
    seg = store.add(_results([items]))
    meta = json.loads((seg / "meta.json").read_text())
    meta["format"] = "parquet/0"  # what an older ogi wrote
    (seg / "meta.json").write_text(json.dumps(meta))
    broken = store.add(_results([items[:1]]))
    (broken / "meta.json").write_text("{")
    reopened = cache.SegmentStore(tmp_path, "key")
    assert reopened.ids() == set() and not seg.exists() and not broken.exists()


def test_a_segment_whose_rows_are_not_those_its_meta_says_stops_the_read(tmp_path, items):
    ids = [i[0] for i in items]
    store = cache.SegmentStore(tmp_path, "key")
    seg = store.add(_results([items]))
    meta = json.loads((seg / "meta.json").read_text())
    counts = meta["rows"]["requests"]
    counts[0], counts[1] = counts[0] + 1, counts[1] - 1  # the same total, cut in the wrong place
    (seg / "meta.json").write_text(json.dumps(meta))
    store = cache.SegmentStore(tmp_path, "key")
    with pytest.raises(RuntimeError, match="not those its meta.json says"):
        list(store.stream("requests", set(ids), cache.id_bounds(ids, 1)))
    meta["rows"]["requests"] = [n + 1 for n in counts]  # more rows than the file holds
    (seg / "meta.json").write_text(json.dumps(meta))
    store = cache.SegmentStore(tmp_path, "key")
    with pytest.raises(RuntimeError, match="fewer rows"):
        list(store.stream("requests", set(ids), [""]))


def test_rows_out_of_report_id_order_are_never_written_as_a_segment(tmp_path, items):
    results = _results([items])
    position = {rid: k for k, rid in enumerate(sorted(i[0] for i in items))}
    backwards = results[0]["requests"].take(pa.array(range(results[0]["requests"].num_rows - 1, -1, -1)))
    with pytest.raises(RuntimeError, match="not written in report-id order"):
        cache._write_stream([backwards], tmp_path / "requests.arrows", None, position)
