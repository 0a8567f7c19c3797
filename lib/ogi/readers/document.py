"""What every reader yields: a ``Document`` of text lines, whatever the file type.

Readers know file formats, never the report template. Tables in structured
formats (HTML, Word, PDF tables) are rendered one table row per line with
cells joined by `` | `` and an empty string for a blank cell, which is the
same shape as the most common flattened-text layout (seed 000); the parse core
then reads every format through one layout-independent path.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

#: Separator used when a reader renders a table row as a line.
CELL_SEP = " | "


@dataclass
class Document:
    """A file turned into text lines, with what the reader noticed.

    Attributes
    ----------
    source : the path as given by the caller.
    lines : text in reading order; table rows rendered with ``CELL_SEP``.
    format : ``text``, ``html``, ``docx``, ``pdf`` or ``binary``.
    encoding : the encoding text was decoded from, where that applies.
    sha256 : hash of the raw bytes (the report's stable identity).
    messages : human-readable notes (encoding fallbacks, skipped content).
    error : set when nothing readable came out; the reason, in plain words.
    """

    source: str
    lines: list[str] = field(default_factory=list)
    format: str = "text"
    encoding: str | None = None
    sha256: str = ""
    messages: list[str] = field(default_factory=list)
    error: str | None = None

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def render_row(cells: list[str]) -> str:
    """One table row as a line: cells joined by ``CELL_SEP``, closed by a separator."""
    return CELL_SEP.join(c.replace("|", "｜").strip() for c in cells) + " |"
