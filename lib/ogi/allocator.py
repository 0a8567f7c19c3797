"""The parse workers' memory allocator: mimalloc (or jemalloc) preloaded where the system has it.

A parse worker makes and frees tens of thousands of objects a report; the larger ones (a report's
text, its lines' lists, libxml2's tree) come from the C library's ``malloc``, whose bins and
consolidation took ~7 % of a worker's time in a profile (``perf``: ``_int_malloc``, ``unlink_chunk``,
``malloc_consolidate``). With mimalloc or jemalloc preloaded the worker's job cost 6–8 % less a
report (1.25 → 1.16 ms on one core, the same peak memory), and mimalloc's memory in 2 MB pages another
~3 % of the 100k build's parse (docs/PERFORMANCE.md, thirteenth session). The results are the same
bytes: an allocator changes where objects live, not what they hold.

Only the workers get it, and only on Linux: the library is named in ``LD_PRELOAD`` (with
``MIMALLOC_LARGE_OS_PAGES=1`` for mimalloc, unless set already) while the
forkserver that forks every worker starts (``start_forkserver``), and the parent's environment is
restored at once, so nothing else the parent runs later (a browser, a kernel) inherits it. The
library is found in the environment's own ``lib`` (conda-forge's ``mimalloc``) or the system's
(Debian's ``libmimalloc2.0``, installed by ``make system``), and tried once in a child before use.
``OGI_ALLOCATOR=system`` keeps the C library's ``malloc``; ``OGI_ALLOCATOR=/path/to/lib.so`` names one.
"""

from __future__ import annotations

import functools
import os
import subprocess
import sys
import sysconfig
import threading
from pathlib import Path
from typing import Mapping, Optional

#: Libraries tried in this order (file names as installed by conda-forge and Debian).
NAMES = ("libmimalloc.so.2", "libmimalloc.so", "libjemalloc.so.2", "libjemalloc.so")
_LOCK = threading.Lock()


def _directories() -> list[Path]:
    multiarch = sysconfig.get_config_var("MULTIARCH") or ""
    dirs = [Path(sys.prefix) / "lib", Path(sysconfig.get_config_var("LIBDIR") or "/usr/lib")]
    for base in ("/usr/lib", "/usr/local/lib", "/usr/lib64", "/lib"):
        dirs += [Path(base) / multiarch] if multiarch else []
        dirs.append(Path(base))
    return list(dict.fromkeys(dirs))


def _works(path: str) -> bool:
    """Whether a Python child starts with ``path`` preloaded (ld.so warns and ignores a library it cannot load)."""
    env = {**os.environ, "LD_PRELOAD": path}
    try:
        done = subprocess.run([sys.executable, "-c", "pass"], env=env, capture_output=True, timeout=60)
    except (OSError, subprocess.SubprocessError):
        return False
    return done.returncode == 0 and b"preloaded" not in done.stderr


@functools.lru_cache(maxsize=None)
def _library(choice: str) -> tuple[Optional[str], str]:
    if not sys.platform.startswith("linux"):
        return None, "the C library's malloc (preloading an allocator is done on Linux only)"
    if choice == "system":
        return None, "the C library's malloc (OGI_ALLOCATOR=system)"
    candidates = [Path(choice)] if choice else [d / name for name in NAMES for d in _directories()]
    for path in candidates:
        if path.is_file() and _works(str(path)):
            return str(path), f"{path.name} ({path})"
    if choice:
        return None, f"the C library's malloc (OGI_ALLOCATOR={choice} cannot be preloaded)"
    return None, "the C library's malloc (no mimalloc or jemalloc found: make system installs mimalloc)"


def library() -> Optional[str]:
    """The allocator the workers preload, or None for the C library's ``malloc``."""
    return _library(os.environ.get("OGI_ALLOCATOR", "").strip())[0]


def describe() -> str:
    """What the workers allocate with, in words (the benchmark prints it in its header)."""
    return _library(os.environ.get("OGI_ALLOCATOR", "").strip())[1]


def worker_env(base: Optional[Mapping[str, str]] = None) -> dict[str, str]:
    """``base`` (default: this process's environment) with the allocator preloaded: for a child that runs a
    worker's job on its own (the benchmark's one-core figure), as the build's workers run it."""
    env = dict(os.environ if base is None else base)
    env.update(_worker_vars(env))
    return env


def _worker_vars(env: Mapping[str, str]) -> dict[str, str]:
    """What a worker's environment adds to ``env``: the library first in ``LD_PRELOAD``; for mimalloc, its
    memory in 2 MB pages where the kernel gives them (``MIMALLOC_LARGE_OS_PAGES``: the 100k parse 63.8 → 62.0 s,
    the build's peak 1.06 → 1.14 GB), unless ``env`` says otherwise."""
    lib = library()
    if lib is None:
        return {}
    before = env.get("LD_PRELOAD")
    out = {"LD_PRELOAD": f"{lib}:{before}" if before else lib}
    if "mimalloc" in os.path.basename(lib) and "MIMALLOC_LARGE_OS_PAGES" not in env:
        out["MIMALLOC_LARGE_OS_PAGES"] = "1"
    return out


def start_forkserver() -> None:
    """Start multiprocessing's forkserver (if it is not running) with the allocator preloaded.

    Every worker of a forkserver pool is forked from that one process, so they all inherit the
    allocator; a forkserver already running (started by an earlier build in this process) is left
    as it is. Call after ``set_forkserver_preload``.
    """
    from multiprocessing import forkserver

    with _LOCK:
        added = _worker_vars(os.environ)
        before = {name: os.environ.get(name) for name in added}
        os.environ.update(added)
        try:
            forkserver.ensure_running()
        finally:
            for name, value in before.items():
                if value is None:
                    del os.environ[name]
                else:
                    os.environ[name] = value


def in_use() -> Optional[str]:
    """The allocator preloaded into this process ("mimalloc", "jemalloc"), or None (read from ``/proc/self/maps``)."""
    try:
        maps = Path("/proc/self/maps").read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None
    return next((name for name in ("mimalloc", "jemalloc") if f"/lib{name}" in maps), None)


def release_free_memory() -> None:
    """Give the memory this process freed back to the system: Arrow's pool's unused pages, then the C library's
    (``malloc_trim``, glibc). Between a build's assembly and its text tables: the assembly's freed memory stayed in
    the process (0.58 → 0.31 GB of RSS after a 100k assembly), under the text tables' own peak."""
    if "pyarrow" in sys.modules:
        try:
            sys.modules["pyarrow"].default_memory_pool().release_unused()
        except Exception:  # noqa: BLE001 - an older or unusual pyarrow: nothing to release
            pass
    if sys.platform.startswith("linux"):
        import ctypes
        import ctypes.util

        try:
            libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
            trim = libc.malloc_trim
        except (OSError, AttributeError):  # not glibc (musl has no malloc_trim)
            return
        trim.argtypes, trim.restype = [ctypes.c_size_t], ctypes.c_int
        trim(0)
