"""What every reader yields: a ``Document`` of text lines, whatever the file type.

Readers know file formats, never the report template. Tables in structured
formats (HTML, Word, PDF tables) are rendered one table row per line with
cells joined by `` | `` and an empty string for a blank cell, which is the
same shape as the most common flattened-text layout (seed 000); the parse core
then reads every format through one layout-independent path.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from typing import Final

#: Separator used when a reader renders a table row as a line.
CELL_SEP: Final = " | "
#: The line a reader writes where a page shows an image (a table pasted as a picture is common): the parser
#: names it when a table is missing, and keeps it out of the tables' cells and the sections' text.
IMAGE_LINE: Final = "[图片]"


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


# The last bytes hashed and their digest: the build's worker, ``read_bytes`` and the reader it calls each
# want the digest of the same bytes object (three hashes of every file, ~1 % of a worker's time).
_LAST_HASHED: list = [b"", hashlib.sha256(b"").hexdigest()]


def sha256_bytes(data: bytes) -> str:
    last = _LAST_HASHED
    if data is last[0]:  # the same object, kept alive here: its bytes cannot have changed
        return str(last[1])
    digest = hashlib.sha256(data).hexdigest()
    if type(data) is bytes:  # immutable: a bytearray could change under the same identity
        last[0], last[1] = data, digest
    return digest


def render_row(cells: list[str]) -> str:
    """One table row as a line: cells joined by ``CELL_SEP``, closed by a separator."""
    return CELL_SEP.join([c.replace("|", "｜").strip() for c in cells]) + " |"


# Cell text rules shared by the structured readers (HTML, Word, PDF).

_CJK_RANGES = (
    ("\u2e80", "\u9fff"),  # radicals, CJK punctuation (incl. U+3000), kana, ideographs
    ("\uf900", "\ufaff"),  # compatibility ideographs
    ("\ufe30", "\ufe4f"),  # CJK compatibility forms
    ("\uff00", "\uffef"),  # full-width forms: （）：，１２
    ("\u2018", "\u201d"),  # curly quotes, as in “三安全一稳定”
    ("\u2014", "\u2026"),  # dashes and ellipsis
)
_WS_RUN = re.compile(r"[\s\u00a0\u3000]+")
# Every character _WS_RUN matches (a test holds the two equal).
_SPACES: Final = ("\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006"
           "\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000")
#: Characters that print nothing (zero-width spaces and joiners, the BOM, soft hyphens, direction marks): CMS
#: editors and WeChat leave them anywhere, inside numbers too (``1\u200b9``). The reader sees ``19``: they go.
INVISIBLE: Final = re.compile("[\u00ad\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")


def is_cjk(ch: str) -> bool:
    """True for Chinese characters and the punctuation that sits between them."""
    return any(lo <= ch <= hi for lo, hi in _CJK_RANGES)


def clean_text(text: str) -> str:
    """Collapse whitespace (``&nbsp;`` and U+3000 included) to one space and strip.

    A run holding a line break between two CJK characters vanishes instead:
    Word and CMS editors wrap Chinese text anywhere (``本年度办理\\n结果``),
    and Chinese has no spaces between words.
    """
    # The runs at either end always go, and a run without a line break is
    # always one space: most cells and lines need no decision per run.
    if not text.isprintable() and INVISIBLE.search(text):  # an invisible character is not printable
        text = INVISIBLE.sub("", text)
    text = text.strip(_SPACES)
    if "\n" not in text and "\r" not in text:
        # printable text holds no whitespace but the plain space
        return text if " " not in text and text.isprintable() else _WS_RUN.sub(" ", text)

    def repl(m: re.Match) -> str:
        run, start, end = m.group(0), m.start(), m.end()
        if ("\n" in run or "\r" in run) and 0 < start and end < len(text) \
                and is_cjk(text[start - 1]) and is_cjk(text[end]):
            return ""
        return " "
    return _WS_RUN.sub(repl, text).strip()


_SUPERSCRIPT = str.maketrans("0123456789+-=()", "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾")
_SUBSCRIPT = str.maketrans("0123456789+-=()", "₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎")
_SCRIPT_DIGITS = re.compile(r"\s*[0-9+\-=()]+\s*")


def script_digits(text: str, superscript: bool) -> str:
    """Digits set as superscript or subscript (HTML's ``<sup>``, Word's raised runs) as the characters
    they show (¹, ₂): a footnote's number after a cell's count (``48`` and a raised ``1``) is no digit
    of it, where the joined text would read 481. Other text is returned as is."""
    if not _SCRIPT_DIGITS.fullmatch(text):
        return text
    return text.strip().translate(_SUPERSCRIPT if superscript else _SUBSCRIPT)


def join_cell_text(pieces: list[str]) -> str:
    """Join the paragraphs or lines of one table cell into one cell text."""
    return clean_text("\n".join(pieces))
