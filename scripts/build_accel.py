"""Compile the parser with mypyc into .cache/accel/<key>/ (see lib/ogi/accel.py); run by `make setup`/`make accel`.

Up to date: does nothing. No mypy or no C compiler: says so and exits 0, since the pure-Python parser gives the
same results, only slower. Older builds are removed once the new one is in place.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import time

from ogi import accel

# Run in a child with lib/ as its working directory, so that mypy names the modules ogi.parse.tables etc.
_SETUP = """
import sys
from setuptools import setup
from mypyc.build import mypycify
from ogi.accel import MYPY_FLAGS
target, paths = sys.argv[1], sys.argv[2:]
sys.argv = sys.argv[:1] + ["build_ext", "--build-lib", target, "--build-temp", target + "/temp"]
setup(name="ogi-accel", ext_modules=mypycify([*MYPY_FLAGS, *paths], opt_level="3", target_dir=target + "/c"))
"""


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--force", action="store_true", help="build even if a build for these sources exists")
    args = ap.parse_args(argv)
    try:
        return _build(args.force)
    except OSError as exc:  # a read-only checkout, a full disk: the set-up goes on
        print(f"accel: not built ({exc}); the pure-Python parser is used (same results)")
        return 0


def _build(force: bool) -> int:
    base, key = accel.root(), accel.key()
    out = base / key
    if out.is_dir() and not force:
        print(f"accel: up to date ({out})")
        return 0
    missing = accel.missing_tools()
    if missing:
        print(f"accel: not built, {' and '.join(missing)} missing; the pure-Python parser is used (same results)")
        return 0
    base.mkdir(parents=True, exist_ok=True)
    tmp = base / f"{key}.tmp"
    shutil.rmtree(tmp, ignore_errors=True)
    start = time.perf_counter()
    print(f"accel: compiling {len(accel.COMPILED)} modules with mypyc (about a minute) ...", flush=True)
    done = subprocess.run([sys.executable, "-c", _SETUP, str(tmp), *accel.COMPILED], cwd=accel.LIB,
                          capture_output=True, text=True)
    if done.returncode != 0:
        (base / "last-error.log").write_text(done.stdout + done.stderr, encoding="utf-8")
        print(f"accel: the build failed (log: {base / 'last-error.log'}); the pure-Python parser is used")
        print("\n".join((done.stdout + done.stderr).splitlines()[-15:]))
        return 0  # tests/test_accel.py fails on a build that should have worked; the set-up goes on
    shutil.rmtree(tmp / "temp", ignore_errors=True)  # objects and generated C: ~20 MB, not needed to run
    shutil.rmtree(tmp / "c", ignore_errors=True)
    import mypy.version

    (tmp / "BUILD.json").write_text(json.dumps({"key": key, "mypy": mypy.version.__version__,
                                                "python": sys.version.split()[0], "modules": accel.COMPILED},
                                               indent=1), encoding="utf-8")
    shutil.rmtree(out, ignore_errors=True)
    tmp.rename(out)
    for old in base.iterdir():
        if old.is_dir() and old != out:
            shutil.rmtree(old, ignore_errors=True)
    print(f"accel: built in {time.perf_counter() - start:.0f} s: {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
