"""Readers: turn a file of any supported type into a ``Document``.

The type is sniffed from the bytes, not trusted from the extension (crawlers
save HTML as ``.txt`` and PDFs as ``.html``). A reader never raises for bad
input: it returns a Document whose ``error`` says what was wrong.
"""

from __future__ import annotations

import io
import os
import re
import zipfile

from .. import accel
from . import markdown
from .document import CELL_SEP, Document, render_row, sha256_bytes
from .text import read_text

__all__ = ["CELL_SEP", "Document", "read_bytes", "read_file", "render_row", "sniff"]

#: Refuse to read files larger than this (bytes); they are reported, not parsed.
MAX_BYTES = 64 * 1024 * 1024

_MAGIC = (
    (b"%PDF", "pdf"),
    (b"\x89PNG", "PNG image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"GIF8", "GIF image"),
    (b"II*\x00", "TIFF image"),
    (b"MM\x00*", "TIFF image"),
    (b"\x1f\x8b", "gzip archive"),
    (b"Rar!", "RAR archive"),
    (b"7z\xbc\xaf\x27\x1c", "7-Zip archive"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "ole2"),  # legacy Office: .doc and WPS's .wps are read, .xls/.ppt are not
    (b"{\\rtf", "RTF document"),
)
_HTML_HINT = re.compile(rb"<\s*(!doctype\s+html|html|head|body|table|div|p|meta|tr|td)\b", re.I)


def sniff(data: bytes) -> str:
    """Name the content type of raw bytes: ``text``, ``html``, ``mhtml`` (a page saved as one file), ``docx``,
    ``pdf``, ``ole2`` (legacy Office), or a binary kind."""
    head = data[:1024]
    for magic, kind in _MAGIC:
        if kind and head.startswith(magic):
            return kind
    if head.startswith(b"PK\x03\x04"):
        return _zip_kind(data)
    sample = _ascii_view(data[:65536])
    if sample[:4096].lower().find(b"mime-version") >= 0:
        from .mhtml import looks_like_mhtml
        if looks_like_mhtml(sample[:8192]):
            return "mhtml"
    stripped = sample.lstrip(b"\xef\xbb\xbf \t\r\n")
    if stripped[:1] == b"<" and (_HTML_HINT.search(stripped[:512]) or _HTML_DOC.search(sample)):
        return "html"
    if _HTML_HINT.search(sample[:4096]) and sample[:4096].count(b"<td") + sample[:4096].count(b"<p") >= 2:
        return "html"
    # markup after a preamble (a crawler's text that keeps the page's source, a script holding the page as a
    # string): read as text, its attributes' numbers (width:149pt) would be taken for cells
    if b"<" in sample:
        low = sample.lower()
        if low.count(b"<td") + low.count(b"<p") + low.count(b"<tr") >= 20:
            return "html"
    return "text"


_HTML_DOC = re.compile(rb"<\s*(html|body|table)\b", re.I)
# What a ZIP container holds, by the names of its parts (the first 64 KB name them, else the directory).
_ZIP_KINDS = ((b"word/", "docx"), (b"xl/", "Excel workbook (.xlsx)"), (b"ppt/", "PowerPoint file (.pptx)"),
              (b"OFD.xml", "OFD document"))
#: What a user can do with a file of a kind that is not read.
_HINTS = {"OFD document": "China's fixed-layout format, not read: save or print it as PDF",
          "ZIP archive": "unpack it and add the files it holds"}


def _zip_kind(data: bytes) -> str:
    """``docx``, or the name of another ZIP-based format, or ``ZIP archive``."""
    def named(names: bytes) -> str | None:
        return next((kind for mark, kind in _ZIP_KINDS if mark in names), None)

    kind = named(data[:65536])
    if kind is None:
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as zf:
                kind = named("\n".join(zf.namelist()).encode("utf-8", "replace"))
        except (zipfile.BadZipFile, ValueError, OSError, EOFError):
            pass
    return kind or ("docx" if b"[Content_Types].xml" in data[:65536] else "ZIP archive")


def _ascii_view(data: bytes) -> bytes:
    """UTF-16 text (with or without BOM) viewed as bytes, so that tags can be sniffed in it."""
    if data[:2] in (b"\xff\xfe", b"\xfe\xff") or (len(data) > 8 and b"\x00" in data
                                                     and data[1::2].count(0) > len(data) // 4):
        return data.replace(b"\x00", b"")[2 if data[:2] in (b"\xff\xfe", b"\xfe\xff") else 0:]
    return data


def read_bytes(source: str, data: bytes) -> Document:
    """Read raw bytes into a Document; never raises for bad content."""
    sha = sha256_bytes(data)
    if not data.strip():
        return Document(source=source, sha256=sha, error="empty file" if not data else "file holds only whitespace")
    kind = sniff(data)
    try:
        if kind == "text":
            return markdown.cleaned(read_text(source, data), text_file=True)
        if kind == "html":
            if markdown.markdown_with_tables(data):
                return markdown.read_markdown_with_tables(source, data)
            from .html import read_html
            return markdown.cleaned(read_html(source, data))
        if kind == "mhtml":
            from .mhtml import read_mhtml
            return markdown.cleaned(read_mhtml(source, data))
        if kind == "docx":
            from .office import read_docx
            return read_docx(source, data)
        if kind == "pdf":
            from .pdf import read_pdf
            return read_pdf(source, data)
        if kind == "ole2":
            from .word97 import read_doc
            return read_doc(source, data)
    except Exception as exc:  # a reader bug or a hostile file must not stop a corpus build
        if accel.falls_back(exc):  # the compiled readers' run-time type checks: the pure ones decide
            pure = accel.reread(source, data)
            if pure is not None:
                return pure
        return Document(source=source, format=kind, sha256=sha,
                        error=f"could not read {kind} file: {type(exc).__name__}: {exc}")
    hint = _HINTS.get(kind, "not a report document")
    return Document(source=source, format="binary", sha256=sha, error=f"binary file ({kind}): {hint}")


def read_file(path: str | os.PathLike) -> Document:
    """Read a file into a Document; unreadable files give a Document with ``error`` set."""
    source = os.fspath(path)
    try:
        size = os.path.getsize(source)
        if size > MAX_BYTES:
            return Document(source=source, error=f"file too large ({size:,} bytes > {MAX_BYTES:,})")
        with open(source, "rb") as fh:
            data = fh.read()
    except OSError as exc:
        return Document(source=source, error=f"cannot open file: {exc.strerror or exc}")
    return read_bytes(source, data)
