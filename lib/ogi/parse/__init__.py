"""Parse a report, in any format and layout, into the canonical ``Report`` model.

    Document (readers) ─▶ tokens ─▶ tables (rows by label, runs split by the identities)
                       └▶ sections, metadata ─────────────────────────────▶ Report + checks

``parse_file``, ``parse_bytes`` and ``parse_text`` never raise for bad input:
anything that could not be read becomes a status and a message.
"""

from __future__ import annotations

import os
import traceback

from .. import accel
from ..model import Report
from ..readers import Document, markdown, read_bytes, read_file
from ..readers.document import sha256_bytes
from ..readers.text import split_lines
from .pipeline import base_report, parse

#: Bump when the parser's output for the same input can change; the corpus cache keys on it.
PARSER_VERSION = "1.3.108"

__all__ = ["PARSER_VERSION", "parse_bytes", "parse_document", "parse_file", "parse_text"]


def parse_file(path: str | os.PathLike) -> Report:
    """Parse one file (text, HTML, MHTML, .docx, .doc or .pdf; the type is sniffed from the bytes)."""
    return parse_document(read_file(path))


def parse_bytes(source: str, data: bytes) -> Report:
    """Parse raw bytes; ``source`` is only used to name the report."""
    return parse_document(read_bytes(source, data))


def parse_text(text: str, source: str = "<text>") -> Report:
    """Parse an already decoded text report, its lines cleaned as a text file's are (``readers.markdown.cleaned``)."""
    doc = Document(source=source, lines=split_lines(text), format="text", encoding=None,
                   sha256=sha256_bytes(text.encode("utf-8")))
    return parse_document(markdown.cleaned(doc, text_file=True))


def parse_document(doc: Document) -> Report:
    """Parse a Document; an unexpected internal error becomes status ``failed``, never an exception."""
    try:
        report = parse(doc)
        report.parser_version = PARSER_VERSION
        return report
    except Exception as exc:  # pragma: no cover - the fuzz tests look for these
        if accel.falls_back(exc):  # the compiled parser's run-time type checks: the pure one decides
            pure = accel.reparse(doc)
            if pure is not None:
                return pure
        report = base_report(doc)
        report.parser_version = PARSER_VERSION
        report.status = "failed"
        where = traceback.extract_tb(exc.__traceback__)[-1]
        report.messages.append(f"internal parser error ({type(exc).__name__}: {exc} at "
                               f"{os.path.basename(where.filename)}:{where.lineno}); please report this file")
        return report
