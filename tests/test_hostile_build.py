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
