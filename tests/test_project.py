"""Project hygiene: environment.yml and pyproject agree, raw data matches its manifest, no path hacks."""

import re
import subprocess
import sys
import tomllib
from pathlib import Path

import yaml

from ogi import manifest, paths

ROOT = Path(__file__).resolve().parents[1]
# conda-forge names that differ from PyPI names
CONDA_TO_PYPI = {"python-kaleido": "kaleido"}
# conda-forge packages with no PyPI counterpart: the parse workers' allocator (pip users get it from the system)
CONDA_ONLY = {"mimalloc"}


def _name(req: str) -> str:
    return re.split(r"[<>=!~ \[]", req.strip(), maxsplit=1)[0].lower()


def test_environment_yml_lists_the_same_packages_as_pyproject():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    reqs = project["dependencies"] + [r for extra in project["optional-dependencies"].values() for r in extra]
    pip_side = {_name(r): r.replace(" ", "")[len(_name(r)):] for r in reqs}
    env = yaml.safe_load((ROOT / "environment.yml").read_text(encoding="utf-8"))
    conda_side = {}
    pip_section = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict))
    for dep in env["dependencies"] + [p for p in pip_section if not p.startswith("-")]:
        if not isinstance(dep, str) or _name(dep) in ("python", "pip", *CONDA_ONLY):
            continue
        conda_name = _name(dep)
        conda_side[CONDA_TO_PYPI.get(conda_name, conda_name)] = dep.replace(" ", "")[len(conda_name):]
    assert conda_side == pip_side  # same packages, same version constraints


def test_raw_files_match_manifest():
    assert manifest.verify() == []
    names = {e.file for e in manifest.read()}
    assert {p.name for p in paths.RAW.glob("*.txt")} <= names


def test_manifest_detects_a_changed_file(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    f = raw / "a.txt"
    f.write_text("一", encoding="utf-8")
    m = raw / "MANIFEST.tsv"
    manifest.add([f], source="test", raw=raw, manifest=m)
    assert manifest.verify(raw, m) == []
    f.write_text("二", encoding="utf-8")
    (raw / "b.txt").write_text("三", encoding="utf-8")
    problems = manifest.verify(raw, m)
    assert any("changed" in p for p in problems) and any("not recorded" in p for p in problems)


def test_no_sys_path_edits_or_absolute_paths():
    files = subprocess.run(["git", "ls-files", "*.py", "*.ipynb"], cwd=ROOT, capture_output=True, text=True).stdout.split()
    bad = []
    for f in files:
        text = (ROOT / f).read_text(encoding="utf-8", errors="replace")
        if re.search(r"sys\.path\.(append|insert)|['\"]/(work|home|Users)/", text) and f != "tests/test_project.py":
            bad.append(f)
    assert not bad


def test_package_is_installed_not_path_hacked():
    out = subprocess.run([sys.executable, "-c", "import ogi, sys; print(ogi.__file__)"], capture_output=True,
                         text=True, cwd="/", check=True).stdout
    assert "lib/ogi" in out


def test_cli_entry_point_is_installed():
    ogi_bin = Path(sys.executable).with_name("ogi")
    assert ogi_bin.exists()
    out = subprocess.run([str(ogi_bin), "--help"], capture_output=True, text=True, check=True).stdout
    assert "parse" in out


def test_citation_file_names_the_version_the_package_has():
    # a release that bumps one version and not the other would be cited wrongly
    import ogi

    cff = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert cff["cff-version"] == "1.2.0" and cff["title"] and cff["authors"] and cff["message"]
    assert cff["version"] == project["version"] == ogi.__version__
    assert cff["license"] == project["license"]


def test_cite_names_the_versions_and_the_corpus_fingerprint(tmp_path):
    import json

    import ogi

    alone = ogi.cite(tmp_path)
    assert f"ogi-notebooks {ogi.__version__} (parser {ogi.PARSER_VERSION}" in alone and "no built corpus" in alone
    (tmp_path / "BUILD.json").write_text(json.dumps({
        "fingerprint": "0123456789abcdef0123", "parser_version": "1.0.0", "files": 12,
        "status": {"ok": 7, "partial": 2, "duplicate": 3}}), encoding="utf-8")
    said = ogi.cite(tmp_path)
    assert "12 files (7 ok, 3 duplicate, 2 partial); 9 reports were read" in said
    assert "corpus fingerprint 0123456789abcdef, built by parser 1.0.0" in said
    out = subprocess.run([sys.executable, "-m", "ogi.cli", "cite", "--out", str(tmp_path)], capture_output=True,
                         text=True, check=True).stdout
    assert out.strip() == said
    (tmp_path / "BUILD.json").write_text(json.dumps({"fingerprint": "incomplete:0123456789abcdef0123", "files": 1,
                                                     "status": {"ok": 1}}), encoding="utf-8")
    said = ogi.cite(tmp_path)
    assert "fingerprint 0123456789abcdef" in said and "the build was incomplete" in said


def _pick_python():
    import importlib.util

    spec = importlib.util.spec_from_file_location("pick_python", ROOT / "scripts" / "pick_python.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_set_up_prefers_a_faster_interpreter_only_by_a_margin():
    pick = _pick_python()
    assert pick.choose("python3", {"python3": 100.0, "/usr/bin/python3.11": 80.0}) == "/usr/bin/python3.11"
    assert pick.choose("python3", {"python3": 100.0, "/usr/bin/python3.11": 97.0}) == "python3"  # the noise
    assert pick.choose("python3", {"python3": 100.0, "/usr/bin/python3.11": float("inf")}) == "python3"  # failed
    assert pick.choose("python3", {"python3": 100.0}) == "python3"


def test_set_up_interpreter_is_python3_s_version_and_can_make_the_venv():
    """What ``make setup`` builds .venv from, when not told (scripts/pick_python.py): runs, the same X.Y."""
    pick = _pick_python()
    done = subprocess.run([sys.executable, str(ROOT / "scripts" / "pick_python.py")], capture_output=True,
                          text=True, timeout=300, check=True)
    chosen = done.stdout.strip()
    reference = pick.probe(subprocess.run(["bash", "-c", "command -v python3"], capture_output=True,
                                          text=True).stdout.strip() or sys.executable)
    got = pick.probe(chosen)
    assert got is not None and reference is not None, done.stderr
    assert got[0] == reference[0]
    assert got[2] or not reference[2]  # never one that cannot make the venv or compile when python3 can
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert "scripts/pick_python.py" in makefile and "PYTHON ?=\n" in makefile
