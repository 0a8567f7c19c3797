"""ogi: open-government-information annual reports as clean, checked data.

The public API for notebooks and scripts::

    import ogi
    report = ogi.parse_file("data/raw/000_a24b6662cf75509f.txt")
    report.status, report.requests["new"]
    corpus = ogi.load()          # the corpus tables (pandas), built on first use
    corpus.requests.head()

``load`` and ``save_figure`` are imported on first use, so that parsing (and
the corpus build's worker processes) never pay for pandas or plotly.
"""

from . import accel

accel.install()  # the compiled parser, where built for these sources (before anything imports the parser)

from .parse import PARSER_VERSION, parse_bytes, parse_file, parse_text  # noqa: E402

__version__ = "0.1.0"
__all__ = ["PARSER_VERSION", "__version__", "cite", "load", "parse_bytes", "parse_file", "parse_text",
           "save_figure"]

_LAZY = {"load": ("corpus", "load"), "save_figure": ("figures", "save_figure"), "cite": ("citation", "cite")}


def __getattr__(name: str):
    if name in _LAZY:
        import importlib

        module, attr = _LAZY[name]
        value = getattr(importlib.import_module(f".{module}", __name__), attr)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'ogi' has no attribute {name!r}")
