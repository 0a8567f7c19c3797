"""The build cache's copy of a report reads back equal, whatever the values."""

import json
import math
import zlib

from hypothesis import given, settings
from hypothesis import strategies as st

from ogi import payload

_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(st.characters(blacklist_categories=("Cs",))),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=5), inner, max_size=4),
    max_leaves=20)


@settings(max_examples=300, deadline=None)
@given(_JSON)
def test_round_trip(value):
    assert payload.loads(payload.dumps(value)) == value


def test_integers_beyond_64_bits_fall_back_to_json_exactly():
    value = [{"requests": {"new": [10**30, -(10**25), 0]}}, "head"]
    data = payload.dumps(value)
    assert data[:1] == b"j"
    assert payload.loads(data) == value


def test_reads_the_older_zlib_json_caches():
    value = [{"agency": "定州市清风店镇人民政府", "fees": 7926.3139}, "head"]
    old = zlib.compress(json.dumps(value, ensure_ascii=False).encode("utf-8"), 1)
    assert payload.loads(old) == value


def test_floats_keep_every_printed_digit():
    value = [7926.3139, 0.1, 1e16, -0.0, 123456789.123456]
    back = payload.loads(payload.dumps(value))
    assert back == value and all(repr(a) == repr(b) for a, b in zip(back, value))
    assert not any(isinstance(x, float) and math.isnan(x) for x in back)
