"""HTML reports (CMS pages, often pasted from Word) as a Document.

Narrative becomes one line per block element or ``<br>``; every data-table row
becomes one line through ``render_row``, so an HTML table reads exactly like
the flattened-text layout of seed 000. Spans are not expanded into a grid: the
parse core reads cells by their labels, so a ``rowspan`` cell appears only in
its first row and a blank ``colspan=n`` cell stands as n blank cells.

Safety: the bytes are decoded here and handed to libxml2's HTML parser as
UTF-8 with networking off; the DOCTYPE (and any internal DTD subset) is cut
out before parsing and a resolver refuses every external load, so nothing is
fetched and no entity is expanded. The tree is walked iteratively
(``etree.iterwalk``), so deep nesting cannot raise ``RecursionError``.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterator

from lxml import etree

from .document import Document, clean_text, is_cjk, join_cell_text, render_row, sha256_bytes
from .text import _BOMS, decode

# Elements whose content never reaches the reader of the page.
_DROP = frozenset({
    "head", "script", "style", "noscript", "template", "iframe", "object", "embed", "svg", "math",
    "canvas", "audio", "video", "map", "select", "button", "input", "textarea",
})
# Elements after which a browser starts a new line.
_BLOCK = frozenset({
    "address", "article", "aside", "blockquote", "body", "caption", "center", "dd", "details", "dialog",
    "dir", "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3",
    "h4", "h5", "h6", "header", "hr", "html", "legend", "li", "main", "menu", "nav", "ol", "p", "pre",
    "section", "summary", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul",
})
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden|mso-hide\s*:\s*all", re.I)

#: A narrow table (at most this many cells a row) with a cell longer than
#: LAYOUT_CELL_CHARS is page layout, not a report table.
LAYOUT_MAX_COLUMNS = 3
LAYOUT_CELL_CHARS = 500
#: A blank cell never stands for more blank cells than this (colspan="1000" exists).
MAX_COLSPAN = 64

_BREAK = object()  # marker in the token stream: a line break or block boundary


# ---------------------------------------------------------------- decoding

_META_CHARSET = re.compile(rb"""<meta\b[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
_XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9_.:-]+)""", re.I)
# Codecs that pages name when what they really hold is a superset (as
# browsers read them); a page that finds its own <meta> in ASCII bytes cannot
# be UTF-16 or UTF-32, so those labels mean UTF-8 (the WHATWG rule).
_SUPERSET = {"gb2312": "gb18030", "gbk": "gb18030", "big5": "big5hkscs", "iso8859-1": "cp1252",
             "ascii": "cp1252", "utf-16": "utf-8", "utf-16-le": "utf-8", "utf-16-be": "utf-8",
             "utf-32": "utf-8", "utf-32-le": "utf-8", "utf-32-be": "utf-8"}
_LABELS = {"x-gbk": "gbk", "unicode": "utf-8", "x-user-defined": "cp1252"}


def _declared_charset(data: bytes) -> tuple[str, str] | None:
    """The charset a page declares (``<meta>`` or XML declaration), as ``(label, python codec)``."""
    head = data[:8192]
    m = _META_CHARSET.search(head) or _XML_ENCODING.search(head)
    if not m:
        return None
    label = m.group(1).decode("ascii").lower()
    try:
        codec = codecs.lookup(_LABELS.get(label, label)).name
    except LookupError:
        return label, ""
    return label, _SUPERSET.get(codec, codec)


def _is_utf8_with_non_ascii(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return not data.isascii()


def _detected(data: bytes, why: str) -> tuple[str | None, str | None, list[str]]:
    """The plain-text ladder of ``readers.text.decode``, with the reason it was needed."""
    text, enc, messages = decode(data)
    return text, enc, [f"{why}; detected {enc}" if enc else why] + messages


def _decode_declared(data: bytes, label: str, codec: str) -> tuple[str | None, str | None, list[str]]:
    """Decode with the page's own charset, unless the bytes plainly say otherwise.

    Real cases: crawlers re-save GBK pages as UTF-8 and keep the old
    ``<meta>`` (valid multi-byte UTF-8 is very unlikely to be anything else);
    templates declare ISO-8859-1 around GBK text.
    """
    if codec != "utf-8" and _is_utf8_with_non_ascii(data):
        return data.decode("utf-8"), "utf-8", [
            f"page declares charset {label} but its bytes are valid UTF-8 (re-saved by a crawler?); decoded as UTF-8"]
    if codec == "cp1252" and not data.isascii():
        text, enc, messages = decode(data)
        if enc in ("gb18030", "big5"):
            return text, enc, [f"page declares charset {label} but its bytes read as Chinese in {enc}"] + messages
    try:
        return data.decode(codec), codec, [f"encoding {codec} from the page's declared charset {label}"]
    except UnicodeDecodeError as exc:
        return _detected(data, f"page declares charset {label} but bytes at {exc.start} do not decode")


def decode_html(data: bytes) -> tuple[str | None, str | None, list[str]]:
    """Decode page bytes: byte-order mark first, then the declared charset, then the text ladder."""
    if any(data.startswith(bom) for bom, _ in _BOMS):
        text, enc, messages = decode(data)
        return text, enc, [f"encoding {enc} from byte-order mark"] + messages
    declared = _declared_charset(data)
    if declared is None:
        return _detected(data, "no declared charset")
    label, codec = declared
    if not codec:
        return _detected(data, f"page declares unknown charset {label!r}")
    return _decode_declared(data, label, codec)


# ---------------------------------------------------------------- parsing

# The XML declaration and DOCTYPE (with any internal subset of entity
# definitions) carry nothing a reader needs and are the only place entities
# and external DTDs could come from.
_PROLOGUE = re.compile(r"<\?xml[^>]*>|<!DOCTYPE[^>\[]*(?:\[[^\]]*\])?\s*>", re.I)
# Fallbacks for pages nested deeper than libxml2 allows without huge_tree.
_WRAPPER_TAG = re.compile(r"<(/?)(div|span|font|b|i|u|em|strong|a|section|article|center|small|big|sup|sub)"
                          r"(?:\s[^>]*)?/?>", re.I)
_SCRIPT_OR_STYLE = re.compile(r"<(script|style)\b.*?</\1\s*>", re.I | re.S)
_ANY_TAG = re.compile(r"<[^>]*>")


def _without_wrappers(text: str) -> str:
    """Remove inline and ``<div>`` tags, keeping each ``<div>`` boundary as a ``<br>``."""
    return _WRAPPER_TAG.sub(lambda m: "<br>" if m.group(2).lower() == "div" else "", text)


def _bare_text(text: str) -> str:
    """Every tag becomes a ``<br>``: no nesting is left, only text and line breaks."""
    return _ANY_TAG.sub("<br>", _SCRIPT_OR_STYLE.sub("", text))


class _NoFetch(etree.Resolver):
    """Answer every external load (DTD, entity, XInclude) with an empty document."""

    def resolve(self, url, pubid, context):
        return self.resolve_string("", context)


def _parser() -> etree.HTMLParser:
    # HTMLParser has no resolve_entities option: libxml2's HTML parser never
    # expands user-defined entities; the prologue is cut out anyway.
    parser = etree.HTMLParser(encoding="utf-8", no_network=True, huge_tree=False,
                              remove_comments=True, remove_pis=True, default_doctype=False)
    parser.resolvers.add(_NoFetch())
    return parser


def _too_deep(parser: etree.HTMLParser) -> bool:
    return any("depth" in e.message.lower() for e in parser.error_log)


def parse_html(text: str) -> tuple[etree._Element | None, list[str]]:
    """Parse decoded HTML; flatten wrapper tags if the page is nested too deeply.

    libxml2 stops at 256 levels without ``huge_tree`` and then returns nothing
    at all, so deeper pages are re-parsed with their inline and ``<div>`` tags
    removed (``<div>`` boundaries kept as ``<br>``), and as bare text if even
    that is too deep.
    """
    text = _PROLOGUE.sub("", text)
    attempts = (
        (lambda t: t, None),
        (_without_wrappers, "HTML nested deeper than 256 levels; inline and <div> tags removed to read it"),
        (_bare_text, "HTML nested deeper than 256 levels even without inline tags; read as bare text, "
                     "tables lost"),
    )
    messages: list[str] = []
    for simplify, note in attempts:
        if note:
            messages.append(note)
        parser = _parser()
        try:
            root = etree.fromstring(simplify(text).encode("utf-8", errors="replace"), parser)
        except etree.XMLSyntaxError:
            root = None
        if not _too_deep(parser):
            return root, messages
    return None, messages


# ---------------------------------------------------------------- walking


def _tag(el) -> str:
    return el.tag.lower() if isinstance(el.tag, str) else ""


def _hidden(el) -> bool:
    return el.get("hidden") is not None or bool(_HIDDEN_STYLE.search(el.get("style") or ""))


def _tokens(root, keep_hidden: bool) -> Iterator[object]:
    """Text of ``root`` as a stream of strings, ``_BREAK`` markers and data-table elements.

    Dropped elements keep their tail (the text after them belongs to the
    parent). A data table is yielded whole, for the caller to render.
    """
    walker = etree.iterwalk(root, events=("start", "end"))
    for event, el in walker:
        tag = _tag(el)
        if event == "start":
            if el is not root and (not tag or tag in _DROP or (not keep_hidden and _hidden(el))):
                walker.skip_subtree()
            elif tag == "table" and el is not root and not _is_layout(el):
                yield el
                walker.skip_subtree()
            else:
                if tag in _BLOCK or tag == "br":
                    yield _BREAK
                if el.text:
                    yield el.text
        else:
            if tag in _BLOCK:
                yield _BREAK
            if el is not root and el.tail:
                yield el.tail


def _rows(table) -> Iterator[list]:
    """The rows of a table (not of tables nested in it), each as its list of cells."""
    for child in table:
        tag = _tag(child)
        if tag == "tr":
            yield [c for c in child if _tag(c) in ("td", "th")]
        elif tag in ("thead", "tbody", "tfoot"):
            for tr in child:
                if _tag(tr) == "tr":
                    yield [c for c in tr if _tag(c) in ("td", "th")]
        elif tag in ("td", "th"):  # a cell outside any <tr>: broken markup, one row of its own
            yield [child]


def _is_layout(table) -> bool:
    """A table used to place the page, not to hold report numbers.

    Real cases: the whole article inside one ``<td>`` (one column); a
    sidebar and the article side by side (two or three columns, one cell far
    longer than any label). Report tables have four columns or more, so a
    long note cell never turns them into layout. Layout tables are read as
    flowing text; data tables inside them still render as rows.
    """
    rows = list(_rows(table))
    columns = max((len(r) for r in rows), default=0)
    if columns <= 1:
        return True
    return columns <= LAYOUT_MAX_COLUMNS and any(
        sum(len(t) for t in cell.itertext()) > LAYOUT_CELL_CHARS for row in rows for cell in row)


def _colspan(cell) -> int:
    digits = re.sub(r"\D", "", cell.get("colspan") or "")[:4]
    return max(1, min(MAX_COLSPAN, int(digits or 1)))


def _cell(cell, keep_hidden: bool) -> tuple[str, list[str]]:
    """A cell's text, and the lines of any table nested in it (rendered after the row)."""
    pieces, nested, current = [], [], []
    for tok in _tokens(cell, keep_hidden):
        if tok is _BREAK:
            pieces.append("".join(current))
            current = []
        elif isinstance(tok, str):
            current.append(tok)
        else:
            nested.extend(_table_lines(tok, keep_hidden))
    pieces.append("".join(current))
    return join_cell_text(pieces), nested


def _table_lines(table, keep_hidden: bool) -> list[str]:
    """A data table as lines: its caption, then one ``render_row`` line per row."""
    lines: list[str] = []
    caption = table.find("caption")
    if caption is not None:
        text, _ = _cell(caption, keep_hidden)
        if text:
            lines.append(text)
    for row in _rows(table):
        cells, after = [], []
        for cell in row:
            if not keep_hidden and _hidden(cell):
                continue
            text, nested = _cell(cell, keep_hidden)
            cells.extend([text] if text else [""] * _colspan(cell))
            after.extend(nested)
        if any(cells):
            lines.append(render_row(cells))
        lines.extend(after)
    return lines


def _body_lines(root, keep_hidden: bool) -> tuple[list[str], int]:
    """Narrative lines and table rows in reading order; also the number of data tables."""
    lines: list[str] = []
    current: list[str] = []
    tables = 0

    def flush() -> None:
        line = clean_text("".join(current))
        if line:
            lines.append(line)
        current.clear()

    for tok in _tokens(root, keep_hidden):
        if tok is _BREAK:
            flush()
        elif isinstance(tok, str):
            current.append(tok)
        else:
            flush()
            tables += 1
            lines.extend(_table_lines(tok, keep_hidden))
    flush()
    return lines, tables


def _title(root) -> str:
    title = root.find(".//title")
    return clean_text("".join(title.itertext())) if title is not None else ""


# ---------------------------------------------------------------- the reader


def read_html(source: str, data: bytes) -> Document:
    """An HTML report as a Document; never raises for bad input.

    The page ``<title>`` comes first (it often names the agency and year when
    the body does not); then the body in reading order.
    """
    doc = Document(source=source, format="html", sha256=sha256_bytes(data))
    text, enc, messages = decode_html(data)
    doc.encoding = enc
    doc.messages.extend(messages)
    if text is None:
        doc.error = "HTML bytes do not decode as any supported encoding"
        return doc
    root, messages = parse_html(text)
    doc.messages.extend(messages)
    if root is None:
        doc.error = "HTML holds no text" if not messages else "HTML could not be parsed: nested too deeply"
        return doc
    lines, tables = _body_lines(root, keep_hidden=False)
    if not lines:
        lines, tables = _body_lines(root, keep_hidden=True)
        if lines:
            doc.messages.append("all text is in hidden elements (display:none); read them anyway")
    if tables:
        doc.messages.append(f"{tables} HTML table(s) rendered one row per line")
    title = _title(root)
    if not lines:
        doc.lines = [title] if title else []
        doc.error = "HTML holds no text" + (" besides its title" if title else "")
        return doc
    doc.lines = ([title] if title and lines[0] != title else []) + lines
    return doc
