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

Speed: the walk is skipped where it cannot change the result — cells whose
text sits in one text node (most of them), and the hidden-element check on
pages whose bytes cannot hide anything; tests hold both shortcuts to the
general walk.
"""

from __future__ import annotations

import codecs
import functools
import re
from typing import Final

from lxml import etree

from .document import (IMAGE_LINE, Document, clean_text, is_cjk, join_cell_text, render_row, script_digits,
                       sha256_bytes)
from .text import _BOMS, decode

# Elements whose content never reaches the reader of the page.
_DROP = frozenset({
    "head", "script", "style", "noscript", "template", "iframe", "object", "embed", "svg", "math",
    "canvas", "audio", "video", "map", "select", "button", "input", "textarea",
    "del", "s", "strike",  # struck through: a corrected value beside the value ("<del>5</del>6" is read 6)
})
# Elements after which a browser starts a new line.
_BLOCK = frozenset({
    "address", "article", "aside", "blockquote", "body", "caption", "center", "dd", "details", "dialog",
    "dir", "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3",
    "h4", "h5", "h6", "header", "hr", "html", "legend", "li", "main", "menu", "nav", "ol", "p", "pre",
    "section", "summary", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul",
})
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden|mso-hide\s*:\s*all"
                           r"|text-decoration(?:-line)?\s*:[^;]*line-through", re.I)  # struck through, as <del>

#: A narrow table (at most this many cells a row) with a cell longer than
#: LAYOUT_CELL_CHARS is page layout, not a report table.
LAYOUT_MAX_COLUMNS = 3
LAYOUT_CELL_CHARS = 500
#: A blank cell never stands for more blank cells than this (colspan="1000" exists).
MAX_COLSPAN = 64

_BREAK: Final = object()  # marker in the token stream: a line break or block boundary


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
    return _charset(m.group(1).decode("ascii"))


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


def _decode_declared(data: bytes, label: str, codec: str,
                     declarer: str = "page") -> tuple[str | None, str | None, list[str]]:
    """Decode with the page's own charset, unless the bytes plainly say otherwise.

    Real cases: crawlers re-save GBK pages as UTF-8 and keep the old
    ``<meta>`` (valid multi-byte UTF-8 is very unlikely to be anything else);
    templates declare ISO-8859-1 around GBK text.
    """
    if codec != "utf-8" and _is_utf8_with_non_ascii(data):
        return data.decode("utf-8"), "utf-8", [
            f"{declarer} declares charset {label} but its bytes are valid UTF-8 (re-saved by a crawler?); decoded as UTF-8"]
    if codec == "cp1252" and not data.isascii():
        text, enc, messages = decode(data)
        if enc in ("gb18030", "big5"):
            return text, enc, [f"{declarer} declares charset {label} but its bytes read as Chinese in {enc}"] + messages
    try:
        return data.decode(codec), codec, [f"encoding {codec} from the {declarer}'s declared charset {label}"]
    except UnicodeDecodeError as exc:
        return _detected(data, f"{declarer} declares charset {label} but bytes at {exc.start} do not decode")


def _charset(label: str) -> tuple[str, str]:
    """A charset label as ``(label, python codec)``, the codec empty when unknown."""
    label = label.lower()
    try:
        codec = codecs.lookup(_LABELS.get(label, label)).name
    except LookupError:
        return label, ""
    return label, _SUPERSET.get(codec, codec)


def decode_html(data: bytes, transport: str | None = None) -> tuple[str | None, str | None, list[str]]:
    """Decode page bytes: byte-order mark first, then the charset the container gives (``transport``: an
    MHTML part's header, as HTTP's in a browser), then the page's declared charset, then the text ladder."""
    if any(data.startswith(bom) for bom, _ in _BOMS):
        text, enc, messages = decode(data)
        return text, enc, [f"encoding {enc} from byte-order mark"] + messages
    declared = _charset(transport) if transport else _declared_charset(data)
    if declared is None:
        return _detected(data, "no declared charset")
    label, codec = declared
    declarer = "MHTML part" if transport else "page"
    if not codec:
        return _detected(data, f"{declarer} declares unknown charset {label!r}")
    return _decode_declared(data, label, codec, declarer)


# ---------------------------------------------------------------- parsing

# The XML declaration and DOCTYPE (with any internal subset of entity
# definitions) carry nothing a reader needs and are the only place entities
# and external DTDs could come from.
_PROLOGUE = re.compile(r"<\?xml[^>]*>|<!DOCTYPE[^>\[]*(?:\[[^\]]*\])?\s*>", re.I)


def _without_prologue(text: str) -> str:
    """``_PROLOGUE.sub("", text)``, tried only where ``<!`` or ``<?`` stands (``str.find``), where a match must start:
    the search tried both of its branches at every ``<`` of the page (~60 µs of a 20 KB page)."""
    out: list[str] = []
    pos = 0
    bang, query = text.find("<!"), text.find("<?")
    while bang >= 0 or query >= 0:
        at = bang if query < 0 or 0 <= bang < query else query
        m = _PROLOGUE.match(text, at)
        after = at + 1
        if m is not None:
            out.append(text[pos:at])
            pos = after = m.end()
        if 0 <= bang < after:
            bang = text.find("<!", after)
        if 0 <= query < after:
            query = text.find("<?", after)
    if not out:
        return text
    out.append(text[pos:])
    return "".join(out)
# A picture pasted into the page as a data URI (editors paste Word's pictures so): its payload is no text, may
# outgrow what libxml2 reads in one attribute (10 MB: the page then parses as nothing), and would match
# _CHROME_IMAGE by chance ("nav", "qr" in base64). Only the payload goes; the <img> stays a picture.
_DATA_URI = re.compile(r"(data:[\w/+.-]{0,60};base64,)[A-Za-z0-9+/=\s]{64,}", re.I)
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


def _parser(huge: bool = False) -> etree.HTMLParser:
    # HTMLParser has no resolve_entities option: libxml2's HTML parser never
    # expands user-defined entities; the prologue is cut out anyway.
    # A new parser for each page: one kept and reused made reading 60 synthetic pages 4 % more instructions (libxml2's
    # parse 153 → 168 M: the reused context's dictionary keeps every page's names); making them cost 0.4 M.
    parser = etree.HTMLParser(encoding="utf-8", no_network=True, huge_tree=huge,
                              remove_comments=True, remove_pis=True, default_doctype=False)
    parser.resolvers.add(_NoFetch())
    return parser


def _too_deep(parser: etree.HTMLParser) -> bool:
    return any("depth" in e.message.lower() for e in parser.error_log)


def _too_big(parser: etree.HTMLParser) -> bool:
    """A node over libxml2's 10 MB (an inline script's data, a text, an attribute): it read nothing after it."""
    return any("XML_PARSE_HUGE" in e.message and "depth" not in e.message.lower() for e in parser.error_log)


def parse_html(text: str) -> tuple[etree._Element | None, list[str], bool]:
    """Parse decoded HTML; flatten wrapper tags if the page is nested too deeply.

    libxml2 stops at 256 levels without ``huge_tree`` and then returns nothing
    at all, so deeper pages are re-parsed with their inline and ``<div>`` tags
    removed (``<div>`` boundaries kept as ``<br>``), and as bare text if even
    that is too deep. Also says whether the bytes parsed could hide an element
    (``_may_hide``).
    """
    text = _without_prologue(text)
    if "base64," in text:
        text = _DATA_URI.sub(r"\1", text)
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
        source = simplify(text).encode("utf-8", errors="replace")
        try:
            root = etree.fromstring(source, parser)
        except etree.XMLSyntaxError:
            root = None
        if _too_big(parser):
            messages.append("a node of the page is over 10 MB (an inline script's data?): parsed without libxml2's "
                            "size limits")
            parser = _parser(huge=True)
            try:
                root = etree.fromstring(source, parser)
            except etree.XMLSyntaxError:
                root = None
        if not _too_deep(parser):
            return root, messages, _may_hide(source)
    return None, messages, False


# ---------------------------------------------------------------- walking

# How an element shapes the text stream. Order matters: kinds from _BR up
# start a new line where they open, kinds from _BLOCKY up also where they close.
_INLINE: Final = 0
_SKIP: Final = 1
_BR: Final = 2
_BLOCKY: Final = 3
_TABLE: Final = 4
# Kind and lower-case name per raw tag, memoised: el.tag.lower() and set
# lookups for every element of every page were a large share of the walk.
# Bounded, since a hostile page can invent any number of tag names.
_KINDS: Final[dict[object, int]] = {}
_NAMES: Final[dict[object, str]] = {}
_MEMO_SIZE: Final = 4096


def _name(tag) -> str:
    """Lower-case tag name; ``""`` for comments and other non-elements."""
    name = _NAMES.get(tag)
    if name is None:
        name = tag.lower() if isinstance(tag, str) else ""
        if len(_NAMES) < _MEMO_SIZE:
            _NAMES[tag] = name
    return name


def _kind(tag) -> int:
    kind = _KINDS.get(tag)
    if kind is None:
        name = _name(tag)
        kind = (_SKIP if not name or name in _DROP else _TABLE if name == "table"
                else _BLOCKY if name in _BLOCK else _BR if name == "br" else _INLINE)
        if len(_KINDS) < _MEMO_SIZE:
            _KINDS[tag] = kind
    return kind


def _tag(el) -> str:
    return _name(el.tag)


@functools.lru_cache(maxsize=1024)
def _style_hides(style: str) -> bool:
    return bool(_HIDDEN_STYLE.search(style))


def _hidden(el) -> bool:
    return el.get("hidden") is not None or _style_hides(el.get("style") or "")


def _may_hide(source: bytes) -> bool:
    """Whether the bytes given to libxml2 could make an element hidden at all.

    A ``hidden`` attribute or a style that ``_HIDDEN_STYLE`` matches needs
    "dden", "none", "all" or "through" in ASCII letters of any case (no other letters
    fold to these in a case-blind match, no named entity spells them), unless
    a character reference such as ``&#110;`` spells them. Most pages have
    none of these: a byte search instead of ``_hides_anything``'s tree walk.
    """
    lower = source.lower()  # bytes: ASCII only
    return (b"&#" in source or b"dden" in lower or b"none" in lower or b"all" in lower
            or b"through" in lower)


def _hides_anything(root) -> bool:
    """Whether any element of the page is hidden, so that the walk can skip the check.

    Two XPath queries over the whole tree cost far less than reading two
    attributes of every element in Python.
    """
    return bool(root.xpath("boolean(//@hidden)")) or any(
        _style_hides(s) for s in set(root.xpath("//@style", smart_strings=False)))


def _flatten(root, check_hidden: bool, brk) -> tuple[list, int]:
    """Text of ``root`` as one list: strings, ``brk`` at every line break or block
    boundary, and ``(table, rows)`` for each data table (for the caller to render).
    Also the number of data tables.

    Dropped elements keep their tail (the text after them belongs to the
    parent); ``root`` itself is never dropped and its tail is not its text.
    ``check_hidden`` False means hidden elements are read like any other.
    """
    out: list = []
    tables = 0
    walker = etree.iterwalk(root, events=("start", "end"))
    next(walker)  # root's own start: never skipped
    if _kind(root.tag) >= _BR:
        out.append(brk)
    if root.text:
        out.append(root.text)
    kinds = _KINDS
    for event, el in walker:
        tag = el.tag
        kind = kinds.get(tag)
        if kind is None:
            kind = _kind(tag)
        if event == "start":
            if kind == _SKIP or (check_hidden and _hidden(el)):
                walker.skip_subtree()
                continue
            if kind == _TABLE:
                rows = _data_rows(el)
                if rows is not None:
                    out.append((el, rows))
                    tables += 1
                    walker.skip_subtree()
                    continue
            if kind >= _BR:
                out.append(brk)
            if el.text:
                out.append(el.text)
        else:
            if kind >= _BLOCKY:
                out.append(brk)
            if el.tail:
                out.append(el.tail)
    if root.tail:  # root's end event added it like any element's tail
        out.pop()
    return out, tables


def _cells(tr) -> list:
    names = _NAMES
    return [c for c in tr if (names.get(c.tag) or _name(c.tag)) in ("td", "th")]


def _rows(table) -> list[list]:
    """The rows of a table (not of tables nested in it), each as its list of cells."""
    rows = []
    for child in table:
        tag = _tag(child)
        if tag == "tr":
            rows.append(_cells(child))
        elif tag in ("thead", "tbody", "tfoot"):
            for tr in child:
                if _tag(tr) == "tr":
                    rows.append(_cells(tr))
        elif tag in ("td", "th"):  # a cell outside any <tr>: broken markup, one row of its own
            rows.append([child])
    return rows


def _data_rows(table) -> list[list] | None:
    """The rows of a data table; None for a table used to place the page.

    Real cases of layout: the whole article inside one ``<td>`` (one column); a
    sidebar and the article side by side (two or three columns, one cell far
    longer than any label). Report tables have four columns or more, so a
    long note cell never turns them into layout. Layout tables are read as
    flowing text; data tables inside them still render as rows.
    """
    rows = _rows(table)
    columns = max(map(len, rows), default=0)
    if columns <= 1:
        return None
    if columns <= LAYOUT_MAX_COLUMNS and any(
            sum(len(t) for t in cell.itertext()) > LAYOUT_CELL_CHARS for row in rows for cell in row):
        return None
    return rows


_NON_DIGIT = re.compile(r"\D")


def _colspan(cell) -> int:
    span = cell.get("colspan")
    if span is None:
        return 1
    digits = _NON_DIGIT.sub("", span)[:4]
    return max(1, min(MAX_COLSPAN, int(digits or 1)))


def _lone_text(cell, check_hidden: bool) -> str | None:
    """The one text of a cell built as a chain of only children, as in
    ``<td><p><span>12</span></p></td>``, or ending in inline pieces
    (``<td><p><span>20</span><span>23</span></p></td>``); None when the
    general walk is needed.

    Most cells look like that, and for them the walk is wasted: every line
    break it would add falls before or after the one text that is not blank,
    where ``clean_text`` drops it anyway.
    """
    if not len(cell):
        return cell.text or ""
    found = None
    el = cell
    while True:
        children = len(el)
        if children > 1:  # <p><span>20</span><span>23</span></p>: inline pieces join with nothing between
            inner = _inline_text(el, check_hidden)
            if inner is None:
                return None
            if inner and not inner.isspace():
                return None if found is not None else inner
            return found or ""
        text = el.text
        if text and not text.isspace():
            if found is not None:
                return None
            found = text
        if not children:
            return found or ""
        el = el[0]
        kind = _kind(el.tag)
        if kind == _SKIP or kind == _TABLE or (check_hidden and _hidden(el)):
            return None
        text = el.tail
        if text and not text.isspace():
            if found is not None:
                return None
            found = text


def _inline_text(el, check_hidden: bool) -> str | None:
    """``el``'s text when everything inside it is inline and shown (the walk would add no
    line break and skip nothing); None otherwise. Word pastes split one number over spans."""
    kinds = _KINDS
    for d in el.iterdescendants():
        tag = d.tag
        kind = kinds.get(tag)
        if kind is None:
            kind = _kind(tag)
        if kind != _INLINE or (check_hidden and _hidden(d)):
            return None
    return "".join(el.itertext())


def _walked_cell(cell, check_hidden: bool) -> tuple[str, list[str]]:
    """A cell's text by the general walk, and the lines of any table nested in it."""
    parts, tables = _flatten(cell, check_hidden, "\n")
    if not tables:
        return clean_text("".join(parts)), []
    nested: list[str] = []
    for part in parts:
        if isinstance(part, tuple):
            table, rows = part
            nested.extend(_table_lines(table, rows, check_hidden))
    return clean_text("".join(p for p in parts if isinstance(p, str))), nested


def _table_lines(table, rows: list[list], check_hidden: bool) -> list[str]:
    """A data table as lines: its caption, then one ``render_row`` line per row.

    A table nested in a cell is rendered after that cell's row.
    """
    lines: list[str] = []
    caption = next(table.iterchildren("caption"), None)  # table.find("caption"), minus ElementPath
    if caption is not None:
        text = _lone_text(caption, check_hidden)
        text = clean_text(text) if text is not None else _walked_cell(caption, check_hidden)[0]
        if text:
            lines.append(text)
    for row in rows:
        cells, after = [], []
        for cell in row:
            if check_hidden and _hidden(cell):
                continue
            text = _lone_text(cell, check_hidden)
            if text is None:
                text, nested = _walked_cell(cell, check_hidden)
                after += nested
            else:
                text = clean_text(text)
            if text:
                cells.append(text)
            else:
                cells += [""] * _colspan(cell)
        if any(cells):
            lines.append(render_row(cells))
        lines += after
    return lines


def _body_lines(root, check_hidden: bool) -> tuple[list[str], int]:
    """Narrative lines and table rows in reading order; also the number of data tables."""
    lines: list[str] = []
    current: list[str] = []
    parts, tables = _flatten(root, check_hidden, _BREAK)
    for part in parts:
        if part.__class__ is str:
            current.append(part)
            continue
        if current:
            line = clean_text("".join(current))
            if line:
                lines.append(line)
            current.clear()
        if part is not _BREAK:
            table, rows = part
            lines.extend(_table_lines(table, rows, check_hidden))
    if current:
        line = clean_text("".join(current))
        if line:
            lines.append(line)
    return lines, tables


def _title(root) -> str:
    title = next(root.iterdescendants("title"), None)  # what find(".//title") does, minus ElementPath
    return clean_text("".join(title.itertext())) if title is not None else ""


# ---------------------------------------------------------------- the reader


def _script_digits(root) -> None:
    """Digits in ``<sup>``/``<sub>`` as the characters they show (``script_digits``)."""
    for el in root.iter("sup", "sub"):
        text = el.text
        if text and not len(el):
            el.text = script_digits(text, el.tag == "sup")


#: An image smaller than this (pixels, by its width or height attribute) is an icon, a logo or a bullet.
IMAGE_MIN_PX = 100
_PX = re.compile(r"\d+")
#: A site's own pictures, by their address, name or class: logos, icons, QR codes, share buttons, banners.
_CHROME_IMAGE = re.compile(r"logo|icon|qr|二维码|扫一扫|分享|微信|微博|button|btn|banner|arrow|nav|menu", re.I)


def _image_lines(root) -> None:
    """Each image of some size, outside a table's cells and links and not the site's own (``_CHROME_IMAGE``), as a
    line of its own reading ``IMAGE_LINE`` (the element made a paragraph, its attributes kept: a hidden one stays
    hidden)."""
    for img in list(root.iter("img")):
        if any(a.tag in ("td", "th", "a") for a in img.iterancestors()) or _CHROME_IMAGE.search(
                " ".join(img.get(k) or "" for k in ("src", "alt", "class", "id"))):
            continue
        sizes = [int(m.group()) for m in (_PX.match(img.get(k) or "") for k in ("width", "height")) if m]
        if sizes and min(sizes) < IMAGE_MIN_PX:
            continue
        img.tag, img.text = "p", IMAGE_LINE


# A document a page shows in a frame or a viewer (pdf.js's "viewer.html?file=…"): the report is often that file.
_EMBEDDED = re.compile(r"[^/\\?=&#\s]+\.(?:pdf|docx?|wps|ofd)\b", re.I)


def _embedded(root) -> list[str]:
    """The names of documents the page embeds (``<iframe>``, ``<embed>``, ``<object>``), which its text lacks."""
    from urllib.parse import unquote

    names: list[str] = []
    for el in root.iter("iframe", "embed", "object"):
        m = _EMBEDDED.search(unquote(el.get("src") or el.get("data") or ""))
        if m and m.group() not in names:
            names.append(m.group())
    return names


def read_html(source: str, data: bytes, transport: str | None = None) -> Document:
    """An HTML report as a Document; never raises for bad input.

    The page ``<title>`` comes first (it often names the agency and year when
    the body does not); then the body in reading order. ``transport`` is a
    charset the page's container declares (see ``decode_html``).
    """
    doc = Document(source=source, format="html", sha256=sha256_bytes(data))
    text, enc, messages = decode_html(data, transport)
    doc.encoding = enc
    doc.messages.extend(messages)
    if text is None:
        doc.error = "HTML bytes do not decode as any supported encoding"
        return doc
    root, messages, may_hide = parse_html(text)
    doc.messages.extend(messages)
    if root is None:
        doc.error = "HTML holds no text" if not messages else "HTML could not be parsed: nested too deeply"
        return doc
    _script_digits(root)
    _image_lines(root)
    embedded = _embedded(root)
    if embedded:
        doc.messages.append(f"the page shows {', '.join(embedded[:3])} in a frame: the report may be that file, "
                            "which is not in the page (read it itself: .pdf, .docx and .doc are read)")
    hides = may_hide and _hides_anything(root)
    lines, tables = _body_lines(root, check_hidden=hides)
    if not lines and hides:
        lines, tables = _body_lines(root, check_hidden=False)
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
