"""All five seed reports parse to exactly the values read by hand (shared/seeds/truth)."""

import json
import subprocess
import sys
from pathlib import Path

import ogi
from conftest import RAW

FIELDS = ("agency", "year", "region", "proactive", "requests", "review_litigation")


def test_seed_values_equal_truth(seed):
    path, truth = seed
    got = ogi.parse_file(path).to_dict()
    for field in FIELDS:
        assert got[field] == truth[field], field


def test_seed_status_and_templates(seed):
    path, truth = seed
    report = ogi.parse_file(path)
    assert report.status == "ok", report.messages
    expected_requests = "2019" if "other" in truth["requests"] else "2021"
    assert report.templates["requests"] == expected_requests
    assert report.templates["proactive"] == "2021"


def test_blank_cell_is_null_not_zero():
    # seed 004 prints the total of 2.没有现成信息需要另行制作 as a bare "|"
    report = ogi.parse_file(RAW / "004_b06d21084f014798.txt")
    assert report.requests["unavailable.needs_creation"][6] is None
    assert any("needs_creation[total]" in m for m in report.messages)
    undecidable = [c for c in report.checks if c.ok is None and c.rule.startswith("requests")]
    assert undecidable, "a check on the blank cell must be undecidable, not ok"


def test_decimal_fees_kept():
    report = ogi.parse_file(RAW / "004_b06d21084f014798.txt")
    assert report.proactive["fees"] == 7926.3139


def test_every_identity_checked(seed):
    path, _ = seed
    report = ogi.parse_file(path)
    rules = {c.rule for c in report.checks}
    assert {"requests.balance", "requests.row_total", "requests.outcomes",
            "review_litigation.group_total"} <= rules
    assert not report.failed_checks


def test_sections_found(seed):
    path, _ = seed
    sections = ogi.parse_file(path).sections
    assert set(sections) == {"overview", "proactive", "requests", "review_litigation", "problems", "other"}
    assert all(sections.values()), [k for k, v in sections.items() if not v]


def test_published_dates():
    assert ogi.parse_file(RAW / "001_ea69d8cda5ce10c7.txt").published == "2024-01-29"
    assert ogi.parse_file(RAW / "002_e7e13b9f651bd8a5.txt").published == "2024-01-10"
    assert ogi.parse_file(RAW / "003_070df74db560079b.txt").published == "2022-01-12"
    assert ogi.parse_file(RAW / "000_a24b6662cf75509f.txt").published is None


def test_cli_json_lines_match_truth(tmp_path):
    from conftest import RAW, TRUTH
    files = sorted(RAW.glob("*.txt"))
    out = subprocess.run([sys.executable, "-m", "ogi.cli", "parse", "--json", *map(str, files)],
                         capture_output=True, text=True, check=True).stdout
    rows = [json.loads(line) for line in out.splitlines()]
    assert len(rows) == len(files)
    for row, f in zip(rows, files):
        truth = json.loads((TRUTH / f"{f.stem}.json").read_text(encoding="utf-8"))
        assert row["source"] == str(f)
        assert row["requests"] == truth["requests"]
        for key in ("status", "messages", "templates", "sections", "checks", "published"):
            assert key in row


def test_cli_summary_is_readable():
    out = subprocess.run([sys.executable, "-m", "ogi.cli", "parse", str(RAW / "004_b06d21084f014798.txt")],
                         capture_output=True, text=True, check=True).stdout
    assert "[ok]" in out and "重庆市黔江区" in out and "7926.3139" in out
    assert "blank cell" in out


def test_cli_prints_the_lines_as_read_on_request():
    """`ogi parse --lines`: what the reader made of a file (a .doc's table one row a line), to check a value."""
    doc = Path(__file__).parent / "fixtures" / "readers" / "merged.doc"
    out = subprocess.run([sys.executable, "-m", "ogi.cli", "parse", "--lines", str(doc)],
                         capture_output=True, text=True, check=True).stdout
    assert "  lines as read (doc):" in out
    assert "   6 行政规范性文件 | 12 | 4 | 310 |" in out
    plain = subprocess.run([sys.executable, "-m", "ogi.cli", "parse", str(doc)],
                           capture_output=True, text=True, check=True).stdout
    assert "lines as read" not in plain
