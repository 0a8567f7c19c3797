"""Builds are byte-identical whatever the time zone, locale, core count and listing order."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

from conftest import RAW


def _build(raw: Path, out: Path, jobs: int, env_extra: dict) -> None:
    env = {**os.environ, **env_extra}
    subprocess.run([sys.executable, "-m", "ogi.cli", "build", str(raw), "--out", str(out), "--jobs", str(jobs),
                    "--no-progress"], check=True, capture_output=True, env=env)


def test_same_bytes_across_time_zones_locales_and_cores(tmp_path):
    raw_a, raw_b = tmp_path / "a", tmp_path / "b"
    raw_a.mkdir()
    raw_b.mkdir()
    files = sorted(RAW.glob("*.txt"))
    for f in files:  # the same files, copied in opposite orders (different inode and mtime order)
        shutil.copy(f, raw_a / f.name)
    for f in reversed(files):
        shutil.copy(f, raw_b / f.name)
    _build(raw_a, tmp_path / "out-a", 1, {"TZ": "UTC", "LC_ALL": "C.UTF-8", "LANG": "C.UTF-8"})
    _build(raw_b, tmp_path / "out-b", 2, {"TZ": "Pacific/Chatham", "LC_ALL": "zh_CN.UTF-8", "LANG": "zh_CN.UTF-8",
                                        "OGI_CACHE": str(tmp_path / "cache-b")})
    # the corpus tables and the text tables `ogi build` writes after them
    tables = sorted(str(p.relative_to(tmp_path / "out-a")) for p in (tmp_path / "out-a").rglob("*.parquet")
                    if "cache" not in p.parts)
    assert len([t for t in tables if t.startswith("text/")]) >= 6 and len(tables) >= 12
    for name in tables:
        assert (tmp_path / "out-a" / name).read_bytes() == (tmp_path / "out-b" / name).read_bytes(), name
