"""The parser compiled by mypyc: the same modules, ~1.2x faster (docs/PERFORMANCE.md), never a different result.

``make setup`` (and ``make accel``) run ``scripts/build_accel.py``, which compiles the modules of
``COMPILED`` — the parse core, the checks and the HTML reader, kept type-clean by
``tests/test_accel.py`` — into ``.cache/accel/<key>/``. ``key`` hashes their sources and the
interpreter's ABI, so an edited source never meets an old build: until ``make accel`` runs again
the pure-Python modules are imported, and ``status()`` says why.

``install`` (run by ``import ogi``) puts a finder first on ``sys.meta_path`` that loads the built
extension modules under the modules' own names. ``OGI_ACCEL=0`` turns it off.

mypyc checks types at run time, so the compiled parser may raise where the pure one reads on
(a value of a type the annotations do not name). ``parse_document`` and ``read_bytes`` then call
``reparse``/``reread``: the same call in a child process with ``OGI_ACCEL=0``, whose result is
returned instead. A file's outcome is the pure parser's either way (``tests/test_accel.py`` compares
the two on every seed, fixture and a synthetic sample).
"""

from __future__ import annotations

import hashlib
import importlib.abc
import importlib.util
import os
import pickle
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path
from typing import Optional

#: The compiled modules (paths under ``lib/``): the parse's hot path, and the tidy rows of each report. Pure:
#: ``ogi.parse`` itself (the entry points, which fall back; a compiled package would look for its other
#: modules beside the build), ``ogi.parse.script`` (it imports OpenCC on first use, rarely) and ``model``
#: (its Report crosses processes).
COMPILED = (
    "ogi/parse/pipeline.py",
    "ogi/parse/tokens.py",
    "ogi/parse/tables.py",
    "ogi/parse/solve.py",
    "ogi/parse/sections.py",
    "ogi/parse/metadata.py",
    "ogi/parse/reflow.py",
    "ogi/checks.py",
    "ogi/tidy.py",
    "ogi/readers/html.py",
    "ogi/readers/document.py",
)

LIB = Path(__file__).resolve().parents[1]
EXT_SUFFIX = sysconfig.get_config_var("EXT_SUFFIX") or ".so"
#: How mypy checks them, for mypyc's build and for the test that keeps them type-clean.
MYPY_FLAGS = ("--ignore-missing-imports", "--follow-imports=silent")

_state = {"active": False, "why": "not installed"}


def root() -> Path:
    """Where builds are kept: ``OGI_ACCEL_DIR``, else ``.cache/accel`` of the checkout."""
    return Path(os.environ.get("OGI_ACCEL_DIR") or LIB.parent / ".cache" / "accel")


def missing_tools() -> list[str]:
    """What a build needs and this machine lacks: mypy (its mypyc), a C compiler."""
    compiler = (sysconfig.get_config_var("CC") or "cc").split()[0]
    return [what for what, ok in (("mypy (pip install -e '.[fast]')", importlib.util.find_spec("mypyc")),
                                  (f"a C compiler ({compiler})", shutil.which(compiler))) if not ok]


def key(lib: Path = LIB) -> str:
    """The build a source tree needs: its compiled modules' bytes and this interpreter's ABI."""
    h = hashlib.sha256(f"{sys.implementation.cache_tag}\0{EXT_SUFFIX}\0".encode())
    for rel in COMPILED:
        h.update(rel.encode() + b"\0" + (lib / rel).read_bytes() + b"\0")
    return h.hexdigest()[:20]


def module_name(rel: str) -> str:
    """``ogi/parse/tables.py`` → ``ogi.parse.tables``."""
    return rel[:-3].replace("/", ".")


class _Finder(importlib.abc.MetaPathFinder):
    """Finds the compiled modules (and mypyc's shared runtime of the build) in one build directory."""

    def __init__(self, files: dict[str, Path]):
        self.files = files

    def find_spec(self, fullname, path=None, target=None):
        file = self.files.get(fullname)
        return None if file is None else importlib.util.spec_from_file_location(fullname, file)


def _built_files(build: Path) -> Optional[dict[str, Path]]:
    """The build's extension modules by name, or None if it lacks one."""
    files = {}
    for rel in COMPILED:
        stem = rel[:-3]
        file = build / f"{stem}{EXT_SUFFIX}"
        if not file.is_file():
            return None
        files[module_name(rel)] = file
    runtime = list(build.glob(f"*__mypyc{EXT_SUFFIX}"))
    if len(runtime) != 1:
        return None
    files[runtime[0].name[:-len(EXT_SUFFIX)]] = runtime[0]
    return files


def install() -> None:
    """Load the compiled modules if a build for these sources exists (called by ``import ogi``)."""
    if _state["active"] or any(isinstance(f, _Finder) for f in sys.meta_path):
        return
    if os.environ.get("OGI_ACCEL", "1") == "0":
        _state["why"] = "pure Python: OGI_ACCEL=0"
        return
    base = root()
    try:
        build = base / key()
    except OSError as exc:  # sources not readable as files (a zipped install)
        _state["why"] = f"pure Python: sources not readable ({exc})"
        return
    files = _built_files(build) if build.is_dir() else None
    if files is None:
        stale = base.is_dir() and any(base.iterdir())
        _state["why"] = ("pure Python: the sources changed since the last build (make accel)" if stale
                         else "pure Python: not built (make accel)")
        return
    if any(name in sys.modules for name in files):
        _state["why"] = "pure Python: the parser was imported before ogi.accel"
        return
    sys.meta_path.insert(0, _Finder(files))
    _state.update(active=True, why=f"compiled (mypyc build {build.name})")


def active() -> bool:
    """Whether the compiled modules are the ones in use."""
    return bool(_state["active"])


def status() -> str:
    """One line for logs and benchmarks: which parser runs, and if pure, why."""
    return str(_state["why"])


def falls_back(exc: BaseException) -> bool:
    """Whether the pure modules must redo a call that raised ``exc``: mypyc's checks raise TypeError."""
    return _state["active"] is True and isinstance(exc, TypeError)


def _call_pure(kind: str, payload: dict):
    """Run ``_pure_main`` in a child process without the accelerator: its result, or None if it died."""
    env = {**os.environ, "OGI_ACCEL": "0"}
    try:
        done = subprocess.run([sys.executable, "-c", "from ogi.accel import _pure_main; _pure_main()"],
                              input=pickle.dumps((kind, payload)), capture_output=True, env=env, timeout=600,
                              check=True)
        return pickle.loads(done.stdout)
    except (OSError, subprocess.SubprocessError, pickle.UnpicklingError, EOFError):
        return None


def reparse(doc):
    """The pure parser's Report for a Document the compiled one raised on (None if that failed too)."""
    return _call_pure("parse", _fields(doc))


def reread(source: str, data: bytes):
    """The pure readers' Document for bytes a compiled reader raised on (None if that failed too)."""
    from .readers.document import Document

    fields = _call_pure("read", {"source": source, "data": data})
    return None if fields is None else Document(**fields)


def _fields(doc) -> dict:
    return {name: getattr(doc, name) for name in
            ("source", "lines", "format", "encoding", "sha256", "messages", "error")}


def _pure_main() -> None:
    """The child of ``_call_pure``: a call in, its result out, both pickled."""
    kind, payload = pickle.loads(sys.stdin.buffer.read())
    from .parse import parse_document
    from .readers import read_bytes
    from .readers.document import Document

    if kind == "parse":
        result = parse_document(Document(**payload))
    else:
        result = _fields(read_bytes(payload["source"], payload["data"]))
    sys.stdout.buffer.write(pickle.dumps(result))
