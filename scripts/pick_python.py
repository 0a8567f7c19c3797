"""Print the interpreter to build .venv from: `python3`, or a faster build of the same Python version.

Why: the parse is CPU-bound, and how CPython itself was compiled matters as much as any optimisation of
ours. Distributions (Debian's /usr/bin/python3.11, python.org's, conda's) build it with profile-guided
optimisation and link-time optimisation; a version manager's build (pyenv's default) has neither and runs
the same code ~7 % slower (the corpus build) to ~20 % (plain Python). Nothing reliable in `sysconfig` says
how an interpreter was built, so this times the candidates instead.

Candidates: `python3` on the PATH, and every other interpreter of the same major.minor version on the PATH or
in /usr/bin and /usr/local/bin that can make a venv and has the C headers (the parser is compiled with mypyc
against them; without them it runs pure, which costs more than the interpreter gains). The fastest is printed if
it beats `python3` by more than MARGIN; otherwise `python3`. What was chosen, and why, goes to stderr.
`make setup PYTHON=...` skips all this.

Run by the Makefile with `python3`; the standard library only.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

#: A candidate must be this much faster than `python3` to be chosen over it.
MARGIN = 0.05
ROUNDS = 3
EXTRA_DIRS = ("/usr/bin", "/usr/local/bin")

#: What a candidate says about itself: its version, its real executable, and whether it can serve (a venv, headers).
PROBE = r"""
import os, sys, sysconfig
try:
    import ensurepip, venv
    ok = os.path.exists(os.path.join(sysconfig.get_paths()["include"], "Python.h"))
except ImportError:
    ok = False
print("%d.%d" % sys.version_info[:2], os.path.realpath(sys.executable), int(ok), sys.prefix != sys.base_prefix)
"""

#: A short workload of what the parser does most (dictionary lookups, string methods, regular expressions, small
#: objects); the best of a few runs, in milliseconds.
BENCH = r"""
import re, time
def work():
    pat = re.compile(r"(\d+)[年月件]")
    d = {}
    s = "二〇二三年度 政府信息公开工作 第12条 2023年5月 收到申请 48件 予以公开 30件" * 4
    for i in range(2000):
        for tok in s.split():
            d[tok] = d.get(tok, 0) + 1
        found = pat.findall(s)
        digits = [c for c in s if c.isdigit()]
        d[i % 97] = (len(digits), len(found), s.find("申请", i % 50))
    return d
best = 1e9
for _ in range(5):
    t = time.perf_counter(); work(); best = min(best, time.perf_counter() - t)
print(best * 1000)
"""


def probe(exe: str) -> tuple[str, str, bool, bool] | None:
    """(major.minor, real executable, can serve, is a venv) of ``exe``, or None if it does not run."""
    try:
        out = subprocess.run([exe, "-c", PROBE], capture_output=True, text=True, timeout=60, check=True).stdout
        version, real, ok, in_venv = out.split()
    except (OSError, subprocess.SubprocessError, ValueError):
        return None
    return version, real, ok == "1", in_venv == "True"


def timing(exe: str) -> float:
    """Milliseconds ``exe`` takes for ``BENCH`` (inf if it fails)."""
    try:
        out = subprocess.run([exe, "-c", BENCH], capture_output=True, text=True, timeout=120, check=True).stdout
        return float(out)
    except (OSError, subprocess.SubprocessError, ValueError):
        return float("inf")


def names(version: str) -> list[str]:
    """Executables that may be Python ``version``: ``python3.X`` and ``python3`` on the PATH and in EXTRA_DIRS."""
    dirs = [d for d in os.environ.get("PATH", "").split(os.pathsep) if d] + list(EXTRA_DIRS)
    out = []
    for d in dict.fromkeys(dirs):
        for name in (f"python{version}", "python3"):
            path = os.path.join(d, name)
            if os.path.isfile(path) and os.access(path, os.X_OK):
                out.append(path)
    return out


def choose(default: str, timings: dict[str, float], margin: float = MARGIN) -> str:
    """The fastest of ``timings`` if it beats ``default``'s by more than ``margin``, else ``default``."""
    fastest = min(timings, key=lambda exe: (timings[exe], exe != default))
    if timings[fastest] < timings.get(default, float("inf")) * (1 - margin):
        return fastest
    return default


def main() -> int:
    default = shutil.which("python3") or sys.executable
    ref = probe(default)
    if ref is None:
        print(default)
        return 0
    version, ref_real, ref_ok, _ = ref
    found = {ref_real: default}
    for exe in names(version):
        p = probe(exe)
        # the same version, able to make a venv and compile the parser, not a venv itself, not seen yet
        if p is not None and p[0] == version and p[2] and not p[3] and p[1] not in found:
            found[p[1]] = exe
    others = [exe for exe in found.values() if exe != default]
    if not others:
        print(default)
        return 0
    best: dict[str, float] = {exe: float("inf") for exe in [default, *others]}
    for _ in range(ROUNDS):  # interleaved: a noisy machine slows all candidates alike
        for exe in best:
            best[exe] = min(best[exe], timing(exe))
    if ref_ok:
        chosen = choose(default, best)
    else:  # python3 cannot compile the parser (no headers, or no venv): the fastest that can
        chosen = min(others, key=lambda exe: best[exe])
    table = ", ".join(f"{exe} {ms:.1f} ms" for exe, ms in best.items())
    if chosen != default:
        print(f"set-up: .venv from {chosen} (Python {version}), faster than python3 ({default}) on a short "
              f"benchmark ({table}); `make setup PYTHON=python3` (after `rm -rf .venv`) keeps python3",
              file=sys.stderr)
    print(chosen)
    return 0


if __name__ == "__main__":
    sys.exit(main())
