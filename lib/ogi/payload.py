"""The cache's copy of a parsed report: ``[Report.to_dict(), head]`` as compact bytes.

The build keeps one per report so that the tidy rows can be derived again
(after an edit of ``tables.py`` or the region data) without parsing. It is
written once per report on every build, so its cost counts: stdlib JSON +
zlib took ~0.8 ms a report, orjson + LZ4 (pyarrow's codec) ~0.08 ms.

Format: one byte saying the serialiser (``o`` orjson, ``j`` stdlib json for
what orjson refuses, e.g. integers beyond 64 bits), the uncompressed size
(4 bytes, little-endian), then the LZ4 frame. Caches written before this
module (zlib-compressed JSON, first byte ``x``) still read. JSON rather than
pickle: a processed folder may be shared, and reading it must not run code.
"""

from __future__ import annotations

import json
import struct
import zlib
from typing import Any

import orjson
import pyarrow as pa

_SIZE = struct.Struct("<I")


def dumps(value: Any) -> bytes:
    """``value`` (JSON-able: dicts, lists, str, int, finite floats, None) as payload bytes."""
    try:
        raw, kind = orjson.dumps(value), b"o"
    except TypeError:  # orjson.JSONEncodeError: an integer beyond 64 bits, a lone surrogate
        raw, kind = json.dumps(value, ensure_ascii=False).encode("utf-8"), b"j"
    return kind + _SIZE.pack(len(raw)) + pa.compress(raw, codec="lz4", asbytes=True)


def loads(data: bytes) -> Any:
    """The value ``dumps`` was given (or an older cache's zlib JSON)."""
    kind = data[:1]
    if kind in (b"o", b"j"):
        (size,) = _SIZE.unpack_from(data, 1)
        raw = pa.decompress(data[1 + _SIZE.size:], decompressed_size=size, codec="lz4", asbytes=True)
        return orjson.loads(raw) if kind == b"o" else json.loads(raw)
    return json.loads(zlib.decompress(data))
