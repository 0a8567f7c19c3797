"""Fuzzing the readers and the parser: no exception escapes, and identities hold or are reported failed.

Random bytes and random mutations of the real seed layouts (deleted cells,
swapped rows, inserted noise lines, truncation, character noise) go through
``ogi.parse_bytes``/``ogi.parse_text``. Whatever comes out must be a valid
report: a known status, a message for anything not ok, values that are
numbers or null, and checks that agree with the values they judge.
"""

import json
import math

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import ogi
from conftest import RAW
from ogi import checks as checks_mod
from ogi import schema

SEEDS = [p.read_text(encoding="utf-8") for p in sorted(RAW.glob("*.txt"))]
STATUSES = {s.code for s in schema.STATUSES}
FUZZ = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def assert_sane(report):
    assert report.status in STATUSES
    if report.status != "ok":
        assert report.messages, report.status
    assert not any("internal parser error" in m for m in report.messages), report.messages
    d = report.to_dict()
    json.dumps(d, ensure_ascii=False)  # serialisable
    for vec in d["requests"].values():
        assert len(vec) == 7
        assert all(v is None or (isinstance(v, (int, float)) and math.isfinite(v)) for v in vec)
    assert len(d["review_litigation"]) in (0, 15)
    # the identity checks in the report are exactly what the values imply
    recomputed = {(c.rule, c.scope, c.ok) for c in checks_mod.run_checks(report)}
    reported = {(c.rule, c.scope, c.ok) for c in report.checks if c.rule in schema.IDENTITY_BY_RULE}
    assert recomputed == reported
    if report.status == "ok":
        assert not report.failed_checks


@FUZZ
@given(st.binary(max_size=4096))
def test_random_bytes(data):
    assert_sane(ogi.parse_bytes("fuzz.bin", data))


@FUZZ
@given(st.binary(max_size=2048), st.sampled_from([b"<html><body><table><tr><td>", b"%PDF-1.4\n", b"PK\x03\x04",
                                                    b"\xef\xbb\xbf", b"\xff\xfe", b"<?xml version='1.0'?>"]))
def test_random_bytes_behind_a_magic_header(data, head):
    assert_sane(ogi.parse_bytes("fuzz.bin", head + data))


lines_of = st.sampled_from(range(len(SEEDS))).map(lambda i: SEEDS[i].split("\n"))
noise_line = st.one_of(
    st.text(alphabet="0123456789 |\t", max_size=40),
    st.text(alphabet="一二三四五六七八九十（）()、.总计其他本年新收予以公开不予处理行政复议 |0123456789", max_size=60),
    st.sampled_from(["— 4 —", "|||", "| |", "", "分享到：", "第 3 页 共 9 页", "| 数据1 | 数据2 |", "|---|---|"]),
)


@st.composite
def mutated(draw):
    lines = list(draw(lines_of))
    for _ in range(draw(st.integers(0, 6))):
        op = draw(st.sampled_from(["delete", "swap", "insert", "cut_cell", "truncate", "char"]))
        if not lines:
            break
        i = draw(st.integers(0, len(lines) - 1))
        if op == "delete":
            del lines[i]
        elif op == "swap":
            j = draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
        elif op == "insert":
            lines.insert(i, draw(noise_line))
        elif op == "cut_cell" and "|" in lines[i]:
            parts = lines[i].split("|")
            k = draw(st.integers(0, len(parts) - 1))
            lines[i] = "|".join(parts[:k] + parts[k + 1:])
        elif op == "truncate":
            lines = lines[:i]
        elif op == "char" and lines[i]:
            k = draw(st.integers(0, len(lines[i]) - 1))
            lines[i] = lines[i][:k] + draw(st.sampled_from("0123456789|一 \u3000（")) + lines[i][k + 1:]
    return "\n".join(lines)


@FUZZ
@given(mutated())
def test_mutated_seed_layouts(text):
    assert_sane(ogi.parse_text(text))


@FUZZ
@given(mutated(), st.sampled_from(["gb18030", "utf-16", "utf-8-sig", "big5"]))
def test_mutated_seeds_in_other_encodings(text, encoding):
    data = text.encode(encoding, errors="ignore")
    assert_sane(ogi.parse_bytes("x.txt", data))


@FUZZ
@given(st.text(max_size=3000))
def test_random_text(text):
    assert_sane(ogi.parse_text(text))


@settings(max_examples=60, deadline=None)
@given(st.recursive(st.text(alphabet="一二三0123456789 |", max_size=8),
                    lambda inner: st.tuples(st.sampled_from(["table", "tr", "td", "p", "div", "span", "th"]),
                                            st.lists(inner, max_size=4)).map(
                        lambda t: f"<{t[0]} rowspan='2' colspan='3'>" + "".join(t[1]) + f"</{t[0]}>"),
                    max_leaves=40))
def test_random_html(fragment):
    data = f"<html><body>{fragment}</body></html>".encode("utf-8")
    assert_sane(ogi.parse_bytes("x.html", data))
