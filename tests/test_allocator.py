"""The parse workers' allocator (ogi.allocator): preloaded into the workers only, never changing a table.

Each case runs in a fresh interpreter: multiprocessing keeps one forkserver per process, and the
allocator is given to it when it starts.
"""

import json
import os
import subprocess
import sys

import pytest

from ogi import allocator, synth

LINUX = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the allocator is preloaded on Linux only")

# What a build's workers and their parent see: the allocator mapped into each worker, the parent's environment.
_PROBE = """
import json, os
from concurrent.futures import ProcessPoolExecutor
from ogi import allocator, corpus
if __name__ == "__main__":
    with ProcessPoolExecutor(2, mp_context=corpus._pool_context()) as pool:
        workers = sorted({pool.submit(allocator.in_use).result() or "" for _ in range(4)})
    print(json.dumps({"library": allocator.library(), "describe": allocator.describe(), "workers": workers,
                      "parent": allocator.in_use(), "ld_preload": os.environ.get("LD_PRELOAD"),
                      "pages": os.environ.get("MIMALLOC_LARGE_OS_PAGES")}))
"""


def _probe(tmp_path, **env):
    script = tmp_path / "probe.py"
    script.write_text(_PROBE, encoding="utf-8")
    child_env = {k: v for k, v in os.environ.items()
                 if k not in ("OGI_ALLOCATOR", "LD_PRELOAD", "MIMALLOC_LARGE_OS_PAGES")}
    out = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, check=True,
                         env={**child_env, **env}).stdout
    return json.loads(out.strip().splitlines()[-1])


@LINUX
def test_the_workers_allocate_with_the_library_found_and_the_parent_is_left_alone(tmp_path):
    seen = _probe(tmp_path)
    assert seen["parent"] is None and seen["ld_preload"] is None and seen["pages"] is None  # restored
    if seen["library"] is None:  # a machine without mimalloc or jemalloc: the C library's malloc, said so
        assert seen["workers"] == [""] and "malloc" in seen["describe"]
        pytest.skip("no mimalloc or jemalloc on this machine (make system installs libmimalloc2.0)")
    kind = "mimalloc" if "mimalloc" in os.path.basename(seen["library"]) else "jemalloc"
    assert seen["workers"] == [kind] and seen["library"] in seen["describe"]


@LINUX
def test_ogi_allocator_system_keeps_malloc(tmp_path):
    seen = _probe(tmp_path, OGI_ALLOCATOR="system")
    assert seen["library"] is None and seen["workers"] == [""] and "OGI_ALLOCATOR=system" in seen["describe"]


@LINUX
def test_a_library_that_cannot_be_preloaded_is_said_and_not_used(tmp_path):
    bad = tmp_path / "libnot-an-allocator.so"
    bad.write_bytes(b"\x7fELF not really")
    seen = _probe(tmp_path, OGI_ALLOCATOR=str(bad))
    assert seen["library"] is None and seen["workers"] == [""] and "cannot be preloaded" in seen["describe"]


def test_worker_env_adds_the_library_before_what_was_preloaded(monkeypatch):
    monkeypatch.setattr(allocator, "library", lambda: "/lib/libmimalloc.so.2")
    assert allocator.worker_env({"LD_PRELOAD": "/x.so", "A": "1"}) == {
        "LD_PRELOAD": "/lib/libmimalloc.so.2:/x.so", "A": "1", "MIMALLOC_LARGE_OS_PAGES": "1"}
    assert allocator.worker_env({"MIMALLOC_LARGE_OS_PAGES": "0"})["MIMALLOC_LARGE_OS_PAGES"] == "0"  # the user's
    monkeypatch.setattr(allocator, "library", lambda: "/lib/libjemalloc.so.2")
    assert allocator.worker_env({}) == {"LD_PRELOAD": "/lib/libjemalloc.so.2"}
    monkeypatch.setattr(allocator, "library", lambda: None)
    assert allocator.worker_env({"A": "1"}) == {"A": "1"}


_BUILD = """
import sys
from ogi import corpus
if __name__ == "__main__":
    corpus.build(sys.argv[1], sys.argv[2], jobs=2, progress=False, text=False)
"""


@LINUX
def test_the_tables_are_the_same_bytes_whichever_the_allocator(tmp_path):
    raw = tmp_path / "raw"
    synth.write_corpus(raw, 120, 5).rename(tmp_path / "truth.jsonl")  # the truth is no report
    script = tmp_path / "build.py"
    script.write_text(_BUILD, encoding="utf-8")
    tables = {}
    for choice in ("system", ""):
        out = tmp_path / f"out-{choice or 'found'}"
        env = {**{k: v for k, v in os.environ.items() if k != "LD_PRELOAD"}, "OGI_ALLOCATOR": choice}
        subprocess.run([sys.executable, str(script), str(raw), str(out)], check=True, env=env, capture_output=True)
        tables[choice] = {p.name: p.read_bytes() for p in sorted(out.glob("*.parquet"))}
    assert len(tables[""]) == 6 and tables[""] == tables["system"]
