"""Worker processes that never run the user's script again.

A ``spawn`` or ``forkserver`` child (ogi's pools use these: forking a process that runs Arrow's or Jupyter's
threads can deadlock the child) first imports the parent's ``__main__`` again, as ``__mp_main__``, so that
objects defined there can be unpickled. A script that calls ``ogi.corpus.build`` at its top level, without
``if __name__ == "__main__":``, then ran the build again in every worker, where it waited forever for the
output folder's lock its parent holds: the command never ended and said nothing. In a notebook each worker
imported the kernel's launcher instead (~0.3 s).

ogi's workers run ogi's functions on plain data only, so they need nothing of ``__main__``: ``context``
gives a multiprocessing context whose processes are launched with the main module's file and spec hidden
(``without_main``), and the child then imports nothing of it.
"""

from __future__ import annotations

import multiprocessing as mp
import sys
import threading
import types
from contextlib import contextmanager
from multiprocessing import context as _mp_context
from typing import Iterator

_LOCK = threading.RLock()  # re-entrant: a process started inside ``without_main`` hides again
_MISSING = object()


@contextmanager
def without_main() -> Iterator[None]:
    """While inside, ``__main__`` has no ``__file__`` and a ``__spec__`` of None: what multiprocessing reads to
    decide which script or module a new child imports again (``spawn.get_preparation_data``)."""
    main = sys.modules.get("__main__")
    if not isinstance(main, types.ModuleType):  # none, or an object some host put there: nothing to hide
        yield
        return
    with _LOCK:  # two threads starting workers at once: the second must not save the first one's hidden state
        file, spec = main.__dict__.get("__file__", _MISSING), main.__dict__.get("__spec__", _MISSING)
        main.__dict__.pop("__file__", None)
        main.__spec__ = None
        try:
            yield
        finally:
            if file is not _MISSING:
                main.__file__ = file
            if spec is _MISSING:
                main.__dict__.pop("__spec__", None)
            else:
                main.__spec__ = spec


class _ForkServerProcess(_mp_context.ForkServerProcess):
    @staticmethod
    def _Popen(process_obj):
        with without_main():
            return _mp_context.ForkServerProcess._Popen(process_obj)


class _SpawnProcess(_mp_context.SpawnProcess):
    @staticmethod
    def _Popen(process_obj):
        with without_main():
            return _mp_context.SpawnProcess._Popen(process_obj)


class _ForkServerContext(_mp_context.ForkServerContext):
    Process = _ForkServerProcess


class _SpawnContext(_mp_context.SpawnContext):
    Process = _SpawnProcess


def context(method: str = "forkserver") -> mp.context.BaseContext:
    """A ``forkserver`` (where the platform has it, else ``spawn``) or ``spawn`` context whose processes do not
    import ``__main__`` again."""
    if method == "forkserver" and "forkserver" in mp.get_all_start_methods():
        return _ForkServerContext()
    return _SpawnContext()


def stop_forkserver() -> None:
    """Stop multiprocessing's forkserver, if it runs; the next pool starts it again (~1 s with the build's preloads).

    After a large build's pools are done: it holds the parse workers' preloaded libraries (~70 MB) through the
    text tables' peak otherwise. ``ForkServer._stop`` is private (CPython's tests use it): without it nothing stops.
    """
    try:
        from multiprocessing import forkserver

        forkserver._forkserver._stop()
    except Exception:  # noqa: BLE001 - another Python's internals: the forkserver runs on, as before
        pass
