"""Notebook hygiene: what is committed is the notebook, not the machine that ran it.

``clean(nb)`` removes, in place:

- ``metadata.widgets`` (the saved state of every widget: megabytes of plotly.js
  for one FigureWidget), and the widget-view outputs that point into it (their
  model ids are random; the text/plain beside them stays, and nbval skips the
  widget MIME type anyway);
- kernel- and run-specific metadata: execution timestamps, papermill's
  durations, collapsed/scrolled flags, interpreter and language versions;
- stderr streams (warnings, jieba's timing lines).

Outputs stay (they are nbval's reference) and so do cell tags (``parameters``,
``nbval-ignore-output``). Run ``python scripts/clean_notebook.py notebooks/*.ipynb``
before committing, or ``--check`` in CI.

This module is also the pytest plugin with our nbval settings (``-p ogi.notebooks``
in pytest's addopts). nbval compares every output of a fresh run with the
committed one, MIME type by MIME type, except those in each notebook
collector's ``skip_compare`` (nbval already skips widget views and images);
``pytest_collectstart`` adds the volatile ones, nbval's documented way:

- ``application/vnd.plotly.v1+json``, the figure JSON of the ``plotly_mimetype``
  renderer: deterministic, but it embeds the whole template and plotly's
  defaults, so a theme tweak or a plotly upgrade would fail every chart cell
  with no change in the data. The numbers are checked by the small printed
  tables beside the charts, and each dashboard's ``assert_updates``;
- ``text/html``: random ids (pandas Styler's ``T_xxxxx``, plotly's HTML
  renderers' div ids); DataFrames are compared through their ``text/plain``;
- ``application/javascript``: loader snippets;
- ``stderr``: warnings and jieba's timing lines (committed notebooks have none).

What remains, ``text/plain`` and stdout, is sanitized by
``tests/nbval_sanitize.cfg`` (UUIDs, memory addresses, paths, timings).

Why a plugin and not ``notebooks/conftest.py``: our test modules import
``from conftest import RAW``, and pytest keeps one module named ``conftest``;
a second ``conftest.py`` in ``notebooks/`` (no package) takes that name when
pytest loads both folders, and those imports fail.
"""

from __future__ import annotations

import copy
import sys
from collections.abc import Sequence
from pathlib import Path

import nbformat

#: Notebook-level metadata kept; everything else (widgets, papermill, vscode, ...) goes.
KEEP_NOTEBOOK_METADATA = ("kernelspec", "language_info", "title", "authors")
#: Cell-level metadata kept; everything else (execution, collapsed, scrolled, ExecuteTime, ...) goes.
KEEP_CELL_METADATA = ("tags", "raw_mimetype", "slideshow")
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
KERNELSPEC = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}


#: Output types nbval must not compare (see the module docstring).
VOLATILE_OUTPUTS = (
    "application/vnd.plotly.v1+json",
    WIDGET_VIEW,
    "text/html",
    "application/javascript",
    "stderr",
)


def pytest_collectstart(collector):
    """pytest hook: extend nbval's ``skip_compare`` of every notebook with :data:`VOLATILE_OUTPUTS`."""
    path = getattr(collector, "path", None)
    if path is not None and path.suffix == ".ipynb" and hasattr(collector, "skip_compare"):
        collector.skip_compare = tuple(collector.skip_compare) + tuple(
            k for k in VOLATILE_OUTPUTS if k not in collector.skip_compare)


def clean(nb) -> bool:
    """Clean a notebook (an nbformat node) in place; returns whether anything changed."""
    before = nbformat.writes(nb)
    md = nb.metadata
    for key in list(md):
        if key not in KEEP_NOTEBOOK_METADATA:
            del md[key]
    if "kernelspec" in md:
        md["kernelspec"] = nbformat.from_dict(dict(KERNELSPEC))
    if "language_info" in md:
        md["language_info"] = nbformat.from_dict({"name": md["language_info"].get("name", "python")})
    for cell in nb.cells:
        for key in list(cell.metadata):
            if key not in KEEP_CELL_METADATA:
                del cell.metadata[key]
        if cell.cell_type != "code":
            continue
        outputs = []
        for out in cell.outputs:
            if out.output_type == "stream" and out.get("name") == "stderr":
                continue
            if out.output_type in ("display_data", "execute_result") and WIDGET_VIEW in out.get("data", {}):
                del out.data[WIDGET_VIEW]
                if not out.data:
                    continue
            outputs.append(out)
        cell.outputs = outputs
    return nbformat.writes(nb) != before


def is_clean(nb) -> bool:
    """Whether ``clean`` would leave the notebook as it is."""
    return not clean(copy.deepcopy(nb))


def clean_file(path: Path | str, *, check: bool = False) -> bool:
    """Clean one .ipynb file (rewritten only if it changes); returns whether it needed cleaning."""
    path = Path(path)
    nb = nbformat.read(path, as_version=4)
    changed = clean(nb)
    if changed and not check:
        nbformat.write(nb, path)
    return changed


def main(argv: Sequence[str] | None = None) -> int:
    """Clean notebooks for committing; ``--check`` reports without writing and exits 1 if any need it."""
    import argparse

    parser = argparse.ArgumentParser(prog="clean_notebook", description=main.__doc__)
    parser.add_argument("paths", nargs="+", help=".ipynb files")
    parser.add_argument("--check", action="store_true", help="do not write; exit 1 if a notebook needs cleaning")
    args = parser.parse_args(argv)
    dirty = [p for p in args.paths if clean_file(p, check=args.check)]
    for p in dirty:
        print(f"{'needs cleaning' if args.check else 'cleaned'}: {p}")
    return 1 if (args.check and dirty) else 0


if __name__ == "__main__":
    sys.exit(main())
