"""ogi's worker processes start without importing the caller's script again (ogi.processes)."""

import os
import shutil
import subprocess
import sys
import textwrap
import types

import pytest

from ogi import paths, processes
from conftest import RAW

SEEDS = sorted(RAW.glob("*.txt"))


def _seeds_in(folder):
    folder.mkdir()
    for p in SEEDS:
        shutil.copy(p, folder / p.name)
    return folder


def test_a_script_without_a_main_guard_builds_once_and_ends(tmp_path):
    """``corpus.build`` at a script's top level: a worker that imported the script again ran the build again there
    and waited forever for the output folder's lock its parent held. The seeds go through the parse pool, as a
    large corpus's files do."""
    raw = _seeds_in(tmp_path / "raw")
    script = tmp_path / "build_it.py"
    script.write_text(textwrap.dedent(f"""\
        from ogi import corpus

        corpus.SERIAL_BELOW = 0
        result = corpus.build({str(raw)!r}, {str(tmp_path / "out")!r}, jobs=2, progress=False, text=False)
        print("built", result.parsed, sorted(result.status.items()), flush=True)
        """), encoding="utf-8")
    done = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=300,
                          cwd=tmp_path, env={**os.environ, "PYTHONPATH": str(paths.ROOT / "lib")})
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == [f"built {len(SEEDS)} [('ok', {len(SEEDS)})]"], done.stdout  # once


def _main_state():
    import sys

    main = sys.modules["__main__"]
    return main.__name__, getattr(main, "__file__", None)


def test_pool_workers_do_not_import_main(tmp_path):
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(1, mp_context=processes.context()) as pool:
        name, file = pool.submit(_main_state).result()
    assert name != "__mp_main__" and file is None


@pytest.mark.parametrize("has_file, has_spec", [(True, True), (True, False), (False, True), (False, False)])
def test_without_main_hides_and_restores(monkeypatch, has_file, has_spec):
    main = types.ModuleType("__main__")
    spec = object()
    if has_file:
        main.__file__ = "/somewhere/script.py"
    if has_spec:
        main.__spec__ = spec
    else:
        del main.__spec__
    monkeypatch.setitem(sys.modules, "__main__", main)
    with processes.without_main():
        assert not hasattr(main, "__file__") and main.__spec__ is None
    assert (getattr(main, "__file__", None), main.__dict__.get("__spec__", "absent")) == (
        "/somewhere/script.py" if has_file else None, spec if has_spec else "absent")


def test_without_main_nests(monkeypatch):
    main = types.ModuleType("__main__")
    main.__file__ = "/somewhere/script.py"
    monkeypatch.setitem(sys.modules, "__main__", main)
    with processes.without_main():
        with processes.without_main():  # a worker started while hidden (a pool started inside the block)
            assert not hasattr(main, "__file__")
        assert not hasattr(main, "__file__") and main.__spec__ is None
    assert main.__file__ == "/somewhere/script.py" and main.__spec__ is None


def test_without_main_leaves_a_main_that_is_no_module(monkeypatch):
    host = object()  # what an embedding host might put there
    monkeypatch.setitem(sys.modules, "__main__", host)
    with processes.without_main():
        assert sys.modules["__main__"] is host


def test_builds_in_one_process_after_the_forkserver_stopped(tmp_path, monkeypatch):
    """A build stops the forkserver before its text tables (its preloads are not held through their peak): the
    next build in the same process (a notebook's) starts it again."""
    from multiprocessing import forkserver

    from ogi import corpus

    raw = _seeds_in(tmp_path / "raw")
    monkeypatch.setattr(corpus, "SERIAL_BELOW", 0)  # the seeds through the parse pool
    first = corpus.build(raw, tmp_path / "a", jobs=2, progress=False, text=False)
    assert forkserver._forkserver._forkserver_pid is None  # stopped once the build's pools were done
    second = corpus.build(raw, tmp_path / "b", jobs=2, progress=False, text=False)
    assert first.parsed == second.parsed == len(SEEDS) and second.status == {"ok": len(SEEDS)}
