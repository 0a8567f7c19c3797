"""The compiled parser (ogi.accel): type-clean sources, never a stale build, the same results as the pure one."""

import hashlib
import os
import pickle
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from ogi import accel, synth
from ogi.parse import parse_document
from ogi.readers import read_bytes, read_file

from hostile import make_hostile

ROOT = Path(__file__).resolve().parents[1]
_BUILDABLE = not accel.missing_tools()


def _in_child(code: str, **env) -> str:
    """Run ``code`` in a fresh interpreter (``import ogi`` decides there which modules load)."""
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                          env={**os.environ, **env}).stdout.strip()


def test_the_compiled_modules_are_type_clean():
    """mypyc compiles only what mypy accepts, and checks at run time what the annotations say."""
    api = pytest.importorskip("mypy.api")
    out, err, code = api.run([*accel.MYPY_FLAGS, "--no-incremental", *[str(accel.LIB / rel) for rel in accel.COMPILED]])
    assert code == 0, out + err


def test_no_type_ignore_in_the_compiled_modules():
    """An ignored error is compiled as if the annotation held: ``sum`` of floats typed int raised at run time."""
    for rel in accel.COMPILED:
        assert "type: ignore" not in (accel.LIB / rel).read_text(encoding="utf-8"), rel


def test_the_key_follows_the_sources(tmp_path):
    for rel in accel.COMPILED:
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(accel.LIB / rel, tmp_path / rel)
    assert accel.key(tmp_path) == accel.key()
    edited = tmp_path / accel.COMPILED[1]
    edited.write_text(edited.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    assert accel.key(tmp_path) != accel.key()


def test_a_build_for_other_sources_is_never_loaded(tmp_path):
    """An old build (another key) is left alone: the pure modules load, and the status says why."""
    old = tmp_path / "0123456789abcdef0123"
    for rel in accel.COMPILED:
        (old / rel).parent.mkdir(parents=True, exist_ok=True)
        (old / rel[:-3]).with_suffix(accel.EXT_SUFFIX).write_bytes(b"not a module")
    code = "import ogi, ogi.accel as a, ogi.parse.tables as t; print(a.active(), t.__file__, a.status(), sep='|')"
    active, file, why = _in_child(code, OGI_ACCEL_DIR=str(tmp_path), OGI_ACCEL="1").split("|")
    assert active == "False" and file.endswith("tables.py")
    assert "sources changed" in why
    active, _, why = _in_child(code, OGI_ACCEL="0").split("|")
    assert active == "False" and "OGI_ACCEL=0" in why


@pytest.mark.skipif(not _BUILDABLE, reason="no mypyc or no C compiler: the pure parser is used")
def test_where_it_can_be_built_the_set_up_built_it_and_it_is_used():
    code = "import ogi, ogi.accel as a, ogi.parse.tokens as t; print(a.active(), t.__file__, a.status(), sep='|')"
    active, file, why = _in_child(code, OGI_ACCEL="1").split("|")
    assert active == "True", f"{why}: run `make accel`"
    assert file.endswith(accel.EXT_SUFFIX)


def _samples(tmp_path) -> list[Path]:
    """The seeds, the test fixtures a reader takes, the hostile inputs and synthetic reports of every layout."""
    readable = (".txt", ".html", ".htm", ".md", ".mhtml", ".docx", ".doc", ".pdf")
    files = [p for p in sorted((ROOT / "data" / "raw").glob("*.*")) if p.suffix in readable]
    files += sorted(p for p in (ROOT / "tests" / "fixtures").rglob("*.*") if p.suffix.lower() in readable)
    files += sorted(tmp_path / "hostile" / name for name in make_hostile(tmp_path / "hostile"))
    synth.write_corpus(tmp_path / "synth", 420, 7)
    return files + sorted(p for p in (tmp_path / "synth").rglob("*.*") if p.suffix in readable)


@pytest.mark.skipif(not accel.active(), reason="the compiled parser is not in use here")
def test_the_compiled_and_the_pure_parser_agree(tmp_path):
    files = _samples(tmp_path)
    assert len(files) > 450
    compiled = [parse_document(read_file(f)).to_dict() for f in files]
    listing = tmp_path / "files.pickle"
    listing.write_bytes(pickle.dumps([str(f) for f in files]))
    out = tmp_path / "pure.pickle"
    _in_child("import pickle, sys, ogi, ogi.accel as a\n"
              "assert not a.active()\n"
              f"files = pickle.load(open({str(listing)!r}, 'rb'))\n"
              f"pickle.dump([ogi.parse_file(f).to_dict() for f in files], open({str(out)!r}, 'wb'))",
              OGI_ACCEL="0")
    pure = pickle.loads(out.read_bytes())
    differ = [str(f) for f, a, b in zip(files, compiled, pure) if a != b]
    assert not differ


@pytest.mark.skipif(not accel.active(), reason="the compiled parser is not in use here")
def test_the_compiled_and_the_pure_worker_make_the_same_rows(tmp_path):
    """A build worker's whole job (parse, tidy rows, Arrow), compiled and pure, on the same files."""
    from ogi import corpus

    data = {}
    for f in _samples(tmp_path):
        try:
            data[f] = f.read_bytes()
        except OSError:  # the hostile inputs' link loops and unreadable files: no bytes to parse
            pass
    items = sorted({hashlib.sha256(b).hexdigest(): (f.name, str(f)) for f, b in data.items()}.items())
    items = [(sha, name, path) for sha, (name, path) in items]
    listing = tmp_path / "items.pickle"
    listing.write_bytes(pickle.dumps(items))
    compiled = corpus._work("parse", items)
    out = tmp_path / "pure.pickle"
    _in_child("import pickle, ogi, ogi.accel as a\n"
              "from ogi import corpus\n"
              "assert not a.active()\n"
              f"items = pickle.load(open({str(listing)!r}, 'rb'))\n"
              f"pickle.dump(corpus._work('parse', items), open({str(out)!r}, 'wb'))",
              OGI_ACCEL="0")
    pure = pickle.loads(out.read_bytes())
    assert compiled.pop("changed") == pure.pop("changed") == []
    assert set(compiled) == set(pure) and compiled["content"].num_rows == len(items)
    assert [p for p in compiled if not compiled[p].equals(pure[p])] == []


def test_a_call_the_compiled_modules_raise_on_is_redone_by_the_pure_ones():
    """What the fallback returns is the pure modules' result; only a TypeError while compiled falls back."""
    seed = sorted((ROOT / "data" / "raw").glob("*.txt"))[0]
    data = seed.read_bytes()
    doc = read_bytes(str(seed), data)
    assert accel.reread(str(seed), data) == doc
    assert accel.reparse(doc).to_dict() == parse_document(doc).to_dict()
    assert accel.falls_back(TypeError("x")) is accel.active()
    assert not accel.falls_back(ValueError("x"))


def test_a_build_that_cannot_be_made_leaves_the_set_up_going(tmp_path):
    """No place to build (here a file where the folder would be): the script says so and exits 0, pure parser."""
    blocked = tmp_path / "accel"
    blocked.write_text("a file, not a folder", encoding="utf-8")
    done = subprocess.run([sys.executable, str(ROOT / "scripts" / "build_accel.py")], capture_output=True, text=True,
                          env={**os.environ, "OGI_ACCEL_DIR": str(blocked)})
    assert done.returncode == 0
    assert "not built" in done.stdout and "pure-Python parser is used" in done.stdout
