"""MinHash signatures of each report's sections, kept beside the text tables for the next update.

The similar pairs of sections compare every section of the corpus, and signing a section
(``similarity.normalize``, then ``similarity.minhash``) was most of what preparing them cost:
at 100,000 reports about 7 s of minhash and 1.5 s of normalising, paid in full by an update
after 1 % of the reports changed. Both depend on the section's text only, so they are kept
per (report id, section code), with the normalised text, in ``text/section_signatures.parquet``;
an update reads the unchanged reports' rows (in report-id order, alongside the batches) and
signs only the changed reports' sections.

The file is used under the conditions of the reused statements (``store._previous``: rows of
the same parser, the same text code; a report id is the hash of its file), if its ``VERSION``
(the MinHash parameters) is this one, and row by row only where the section's length is the
stored one. What is computed from it is what a computation from scratch gives, byte for byte.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Callable, Optional, Sequence

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from . import similarity

__all__ = ["FILE", "NUM_PERM", "VERSION", "Signer"]

FILE = "section_signatures.parquet"
#: ``similarity.minhash``'s defaults, the ones the similar pairs use.
NUM_PERM, SEED = 128, 20240101
#: What a stored signature depends on besides the text and the text code (which ``store`` checks).
VERSION = f"minhash num_perm={NUM_PERM} seed={SEED} k={similarity.K} uint32"
_SCHEMA = pa.schema([("report_id", pa.string()), ("section", pa.string()), ("chars", pa.int64()),
                     ("text", pa.string()), ("sig", pa.binary(4 * NUM_PERM))])


class Signer:
    """The normalised texts and signatures of each batch's sections: stored ones reused, the others computed.

    ``previous``: the file of the last run (or None); ``out``: where this run's rows go (or None,
    in memory: nothing is kept). Batches must come in report-id order.
    """

    def __init__(self, previous: Optional[Path] = None, out: Optional[Path] = None):
        from .stream import _RowsById

        self._prev = _RowsById(previous) if previous is not None else None
        self.out = out
        self._writer: Optional[pq.ParquetWriter] = None
        self.reused = 0
        self.rows = 0

    def batch(self, parts: Sequence[tuple[str, list[str], list]],
              known: Callable[[str], Optional[np.ndarray]] = lambda text: None) -> list[tuple[list[str], np.ndarray]]:
        """Per ``(code, report ids, texts)`` of a batch: the normalised texts and their signatures.

        ``known`` gives the signature of a normalised text already signed in an earlier batch (or None).
        """
        old = self._previous(sorted({r for _, ids, _ in parts for r in ids}))
        out, todo = [], {}
        for code, ids, texts in parts:
            norm: list = [None] * len(ids)
            sig = np.empty((len(ids), NUM_PERM), np.uint32)
            missing = []
            for k, (rid, text) in enumerate(zip(ids, texts)):
                chars = len(text) if isinstance(text, str) else -1
                held = old.get((rid, code))
                if held and held[0][0] == chars:
                    _, norm[k], sig[k] = held.pop(0)
                    self.reused += 1
                else:
                    norm[k] = similarity.normalize(text)
                    row = known(norm[k])
                    if row is None:
                        missing.append(k)
                        todo.setdefault(norm[k], None)
                    else:
                        sig[k] = row
            out.append((norm, sig, missing))
        if todo:
            fresh = similarity.minhash(list(todo), NUM_PERM, SEED)
            at = {t: i for i, t in enumerate(todo)}
            for norm, sig, missing in out:
                if missing:
                    sig[missing] = fresh[[at[norm[k]] for k in missing]]
        self._write(parts, out)
        return [(norm, sig) for norm, sig, _ in out]

    def _previous(self, ids: list[str]) -> dict[tuple[str, str], list]:
        """The stored rows of these reports: (report id, code) -> [(chars, text, signature), ...]."""
        if self._prev is None or not ids:
            return {}
        t = self._prev.take_table(ids)
        if not t.num_rows:
            return {}
        sig = _sig_array(t["sig"])
        found: dict[tuple[str, str], list] = {}
        for k, (rid, code, chars, text) in enumerate(zip(*(t[c].to_pylist() for c in
                                                           ("report_id", "section", "chars", "text")))):
            found.setdefault((rid, code), []).append((chars, text, sig[k]))
        return found

    def _write(self, parts, signed) -> None:
        if self.out is None:
            return
        rows = [(rid, code, k, j) for j, (code, ids, _) in enumerate(parts) for k, rid in enumerate(ids)]
        if not rows:
            return
        rows.sort(key=lambda x: (x[0], x[1]))  # report id, then section: the order they are read back in
        texts = [parts[j][2][k] for _, _, k, j in rows]
        sig = np.stack([signed[j][1][k] for _, _, k, j in rows]).astype("<u4")
        table = pa.table({
            "report_id": pa.array([r[0] for r in rows], pa.string()),
            "section": pa.array([r[1] for r in rows], pa.string()),
            "chars": pa.array([len(t) if isinstance(t, str) else -1 for t in texts], pa.int64()),
            "text": pa.array([signed[j][0][k] for _, _, k, j in rows], pa.string()),
            "sig": pa.FixedSizeBinaryArray.from_buffers(pa.binary(4 * NUM_PERM), len(rows),
                                                        [None, pa.py_buffer(sig.tobytes())]),
        }, schema=_SCHEMA)
        if self._writer is None:
            self._writer = pq.ParquetWriter(self.out, _SCHEMA, compression={c: "zstd" for c in _SCHEMA.names[:4]}
                                            | {"sig": "none"}, use_dictionary=["section"], write_statistics=False)
        self._writer.write_table(table)
        self.rows += len(rows)

    def close(self) -> Optional[Path]:
        """The file written (an empty one when no batch had sections), or None in memory."""
        if self.out is None:
            return None
        if self._writer is None:
            pq.write_table(_SCHEMA.empty_table(), self.out)
        else:
            self._writer.close()
            self._writer = None
        return self.out

    def abort(self) -> None:
        if self._writer is not None:
            try:
                self._writer.close()
            except Exception:  # noqa: BLE001 - cleaning up after another error
                pass
            self._writer = None
        if self.out is not None and self.out.exists():
            os.unlink(self.out)


def _sig_array(col: pa.ChunkedArray) -> np.ndarray:
    """A fixed-size binary column of signatures as a (rows, NUM_PERM) uint32 array."""
    arr = col.combine_chunks() if isinstance(col, pa.ChunkedArray) else col
    width = arr.type.byte_width // 4
    data = np.frombuffer(arr.buffers()[1], dtype="<u4")
    return data[arr.offset * width:(arr.offset + len(arr)) * width].reshape(len(arr), width).astype(np.uint32)
