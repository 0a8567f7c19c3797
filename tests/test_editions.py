"""Files holding the same report (ogi.editions): a copy read differently is counted once, under the fuller
reading; an edition whose values differ in a cell both read stays counted."""

import pandas as pd

import ogi
from ogi import corpus, editions, tables
from conftest import RAW

SEED = "004_b06d21084f014798.txt"


def test_readings_agree_when_every_shared_cell_is_equal_and_they_share_half_the_smaller():
    full = {("requests", "new", "total"): 3, ("requests", "granted", "total"): 2, ("proactive", "fees", "x"): 1.5}
    assert editions.agree(full, {("requests", "new", "total"): 3, ("requests", "granted", "total"): 2}) == 2
    # one cell other: another edition (or a misreading), never a copy
    assert editions.agree(full, {("requests", "new", "total"): 4, ("requests", "granted", "total"): 2}) is None
    # a corner in common (one cell of four) is not enough to call two readings one report
    small = {("requests", "new", "total"): 3, **{("review_litigation", "review", k): 0 for k in "abc"}}
    assert editions.agree(full, small) is None
    assert editions.agree(full, {}) is None
    # a cell only one file read does not count against the copy
    assert editions.agree(full, {("requests", "new", "total"): 3, ("proactive", "fees", "y"): 7}) == 1


def _build(tmp_path, files):
    raw = tmp_path / "raw"
    raw.mkdir()
    for name, text in files.items():
        (raw / name).write_text(text, encoding="utf-8")
    corpus.build(raw, tmp_path / "out", jobs=1, progress=False)
    return ogi.load(raw, tmp_path / "out", rebuild="never")


def _cut(before: str) -> str:
    """The seed up to (not including) its line starting with ``before``: a copy cut short, table 4 lost."""
    lines = (RAW / SEED).read_text(encoding="utf-8").split("\n")
    return "\n".join(lines[:next(i for i, line in enumerate(lines) if line.startswith(before))])


def test_a_copy_read_differently_is_counted_once_under_the_fuller_reading(tmp_path):
    seed = (RAW / SEED).read_text(encoding="utf-8")
    # the short copy comes first in path order: the fuller reading is still the one counted
    c = _build(tmp_path, {"a_crawler_cut.txt": _cut("四、政府信息公开行政复议"), "b_page.txt": seed})
    rep = c.reports.set_index("path")
    assert rep.loc["a_crawler_cut.txt", "report_id"] != rep.loc["b_page.txt", "report_id"]
    assert rep.loc["a_crawler_cut.txt", "values_digest"] != rep.loc["b_page.txt", "values_digest"]
    assert (rep.loc["a_crawler_cut.txt", "status"], rep.loc["a_crawler_cut.txt", "duplicate_of"]) == (
        "duplicate", "b_page.txt")
    assert "the same report as b_page.txt, read differently: the 184 cells both files read agree" in (
        rep.loc["a_crawler_cut.txt", "messages"])
    assert rep.loc["b_page.txt", "status"] == "ok"
    assert "a copy of this report read differently: a_crawler_cut.txt" in rep.loc["b_page.txt", "messages"]
    assert "other values" not in rep.loc["b_page.txt", "messages"]
    # counted once: the analyses and the text tables read the page alone
    from ogi import analysis
    from ogi.text import load_text

    page = rep.loc["b_page.txt", "report_id"]
    assert list(analysis.report_frame(c)["report_id"]) == [page]
    assert set(load_text(c).statements["report_id"].astype(str)) == {page}
    # the copy's rows stay in the data tables under its own id, as read
    cut = c.requests[c.requests.report_id == rep.loc["a_crawler_cut.txt", "report_id"]]
    assert cut["value"].notna().sum() == 174


def test_cells_only_the_copy_read_are_named_not_counted_silently():
    rep = pd.DataFrame({"path": ["a.txt", "b.txt"], "report_id": ["r1", "r2"], "agency_key": ["k", "k"],
                        "year": [2024, 2024], "values_digest": ["d1", "d2"], "status": ["ok", "partial"],
                        "duplicate_of": pd.array([None, None], dtype="string"),
                        "messages": pd.array([None, "blank cell(s) kept as null"], dtype="string")})
    values = {"r1": {("requests", "new", "total"): 3, ("requests", "granted", "total"): 2,
                     ("requests", "carried_over", "total"): 0},
              "r2": {("requests", "new", "total"): 3, ("requests", "granted", "total"): 2,
                     ("review_litigation", "review", "total"): 1}}
    editions.mark_copies(rep, pd.Series([True, True]), lambda ids: {i: values[i] for i in ids})
    assert list(rep["status"]) == ["ok", "duplicate"]
    assert rep.loc[1, "duplicate_of"] == "a.txt"
    msg = rep.loc[1, "messages"]
    assert msg.startswith("the same report as a.txt, read differently: the 2 cells both files read agree")
    assert "also read 1 cells that file left blank (review_litigation.review.total); they are not counted" in msg


def test_editions_that_differ_stay_counted_and_name_each_other_without_values():
    rep = pd.DataFrame({"path": ["a.txt", "b.txt", "c.txt"], "report_id": ["r1", "r2", "r3"],
                        "agency_key": ["k", "k", "j"], "year": [2024, 2024, 2024], "values_digest": ["d1", "d2", "d3"],
                        "status": ["ok"] * 3, "duplicate_of": pd.array([None] * 3, dtype="string"),
                        "messages": pd.array([None] * 3, dtype="string")})
    editions.mark_copies(rep, pd.Series([True] * 3))
    assert list(rep["status"]) == ["ok"] * 3
    assert "with other values: b.txt" in rep.loc[0, "messages"]
    assert "with other values: a.txt" in rep.loc[1, "messages"]
    assert pd.isna(rep.loc[2, "messages"])


def test_the_map_step_assembled_in_memory_tells_copies_apart_as_the_build_does(tmp_path):
    files = {"a_page.txt": (RAW / SEED).read_text(encoding="utf-8"), "b_cut.txt": _cut("(四)无法提供")}
    built = _build(tmp_path, files).reports.set_index("path")
    assert built.loc["b_cut.txt", "status"] == "duplicate"
    parts = corpus.parse_partition((name, text.encode()) for name, text in files.items())
    content = tables.from_arrow(parts["content"], "reports")
    data = {name: tables.from_arrow(parts[name], name) for name in tables.DATA_PARTS}
    mem = tables.assemble(parts["files"].to_pandas(), content, data)["reports"].set_index("path")
    for col in ("status", "duplicate_of", "messages"):
        assert list(mem[col]) == list(built[col])
