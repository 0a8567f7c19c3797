"""ogi: open-government-information annual reports as clean, checked data.

The public API for notebooks and scripts::

    import ogi
    report = ogi.parse_file("data/raw/000_a24b6662cf75509f.txt")
    report.status, report.requests["new"]
"""

from .parse import PARSER_VERSION, parse_bytes, parse_file, parse_text

__version__ = "0.1.0"
__all__ = ["PARSER_VERSION", "__version__", "parse_bytes", "parse_file", "parse_text"]
