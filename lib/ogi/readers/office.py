"""Word (.docx) reports as a Document.

Tables are rendered one row per line through ``render_row``, like the HTML
reader (and the PDF and .doc readers), so the parse core sees one layout
whatever the file type. Merged cells follow the HTML rule: a cell spanning
rows appears only in its first row; a blank cell spanning n columns stands
as n blank cells.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator

from lxml import etree

from .document import IMAGE_LINE, Document, clean_text, join_cell_text, render_row, script_digits, sha256_bytes

#: Refuse a .docx whose main XML part unpacks to more than this (zip bombs).
MAX_DOCX_XML_BYTES = 256 * 1024 * 1024

# ================================================================ DOCX

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
# Wrappers that hold paragraphs, tables, rows or cells without changing them.
_WRAPPERS = frozenset({_W + "sdt", _W + "sdtContent", _W + "customXml", _W + "smartTag"})
# Content that is never shown: deleted revisions, field codes, the fallback
# copy of a drawing (its text box would be read twice), property blocks.
_SKIP = frozenset({_W + "del", _W + "moveFrom", _W + "instrText", _W + "delText", _W + "delInstrText",
                   _MC_FALLBACK, _W + "rPr", _W + "pPr", _W + "tblPr", _W + "trPr", _W + "tcPr",
                   _W + "sdtPr", _W + "sdtEndPr"})
_LINE_BREAKS = frozenset({_W + "br", _W + "cr", _W + "p"})


def _children(el) -> Iterator:
    """Children of a body, row or cell, with content-control and custom-XML wrappers opened."""
    stack = [iter(el)]
    while stack:
        child = next(stack[-1], None)
        if child is None:
            stack.pop()
        elif child.tag in _WRAPPERS:
            stack.append(iter(child))
        else:
            yield child


def _hidden_run(el) -> bool:
    """A run formatted as hidden text (``w:vanish``), which Word does not show or print, or struck through
    (``w:strike``, ``w:dstrike``): a corrected value beside the value, as the HTML reader drops ``<del>``."""
    if el.tag != _W + "r":
        return False
    rpr = el.find(_W + "rPr")
    if rpr is None:
        return False
    for name in ("vanish", "strike", "dstrike"):
        mark = rpr.find(_W + name)
        if mark is not None and mark.get(_W + "val", "true") not in ("0", "false", "off"):
            return True
    return False


def _raised(t) -> bool | None:
    """True for the text of a superscript run, False for a subscript one, None for a run on the line."""
    run = t.getparent()
    rpr = run.find(_W + "rPr") if run is not None else None
    align = rpr.find(_W + "vertAlign") if rpr is not None else None
    val = align.get(_W + "val") if align is not None else None
    return True if val == "superscript" else False if val == "subscript" else None


# Word's automatic list labels live in numbering.xml, not in the paragraph
# text: a heading typed as 总体情况 shows as 一、总体情况. They are rebuilt here
# for the common formats, so that the lines read as the page does.
_DIGITS_ZH = "〇一二三四五六七八九"
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
_TIANGAN = "甲乙丙丁戊己庚辛壬癸"


def _chinese_number(n: int) -> str:
    """1 → 一, 10 → 十, 21 → 二十一, 105 → 一百零五 (enough for list counters)."""
    if n < 10:
        return _DIGITS_ZH[n]
    if n < 20:
        return "十" + (_DIGITS_ZH[n % 10] if n % 10 else "")
    if n < 100:
        return _DIGITS_ZH[n // 10] + "十" + (_DIGITS_ZH[n % 10] if n % 10 else "")
    if n < 1000:
        rest = n % 100
        tail = "" if not rest else ("零" + _chinese_number(rest) if rest < 10 else
                                    ("一" + _chinese_number(rest) if rest < 20 else _chinese_number(rest)))
        return _DIGITS_ZH[n // 100] + "百" + tail
    return str(n)


def _roman(n: int) -> str:
    out = ""
    for value, letters in ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
                           (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        count, n = divmod(n, value)
        out += letters * count
    return out


def _format_counter(n: int, fmt: str) -> str:
    """A list counter in one of Word's number formats (``w:numFmt``)."""
    if fmt in ("chineseCounting", "chineseCountingThousand", "chineseLegalSimplified",
               "ideographDigital", "japaneseCounting", "taiwaneseCounting"):
        return _chinese_number(n)
    if fmt == "ideographTraditional" and 1 <= n <= 10:
        return _TIANGAN[n - 1]
    if fmt == "decimalEnclosedCircle" and 1 <= n <= 20:
        return _CIRCLED[n - 1]
    if fmt in ("upperLetter", "lowerLetter") and n >= 1:
        letter = chr(ord("A") + (n - 1) % 26) * ((n - 1) // 26 + 1)
        return letter if fmt == "upperLetter" else letter.lower()
    if fmt in ("upperRoman", "lowerRoman") and n >= 1:
        return _roman(n) if fmt == "upperRoman" else _roman(n).lower()
    if fmt == "decimalFullWidth":
        return str(n).translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    return str(n)


def _val(el, path: str, default: str | None = None) -> str | None:
    """The ``w:val`` of the first element at ``path`` (tags without the ``w:`` prefix)."""
    found = el.find("/".join(_W + part for part in path.split("/")))
    return found.get(_W + "val", default) if found is not None else default


def _int(text: str | None, default: int) -> int:
    try:
        return int(text) if text is not None else default
    except ValueError:
        return default


class _Numbering:
    """Counts Word's numbered paragraphs and renders their labels (一、 （一） 1.)."""

    def __init__(self, document) -> None:
        self.levels: dict[str, dict[int, tuple[str, str, int]]] = {}  # numId -> ilvl -> (fmt, text, start)
        self.list_of: dict[str, str] = {}                              # numId -> key of its counters
        self.counters: dict[str, list[int | None]] = {}
        self.style_num: dict[str, tuple[str, int]] = {}                # styleId -> (numId, ilvl)
        try:
            root = document.part.numbering_part.element
        except Exception:  # no numbering part: nothing is numbered
            return
        abstract = {a.get(_W + "abstractNumId"): a for a in root.iter(_W + "abstractNum")}
        for num in root.iter(_W + "num"):
            num_id, abs_id = num.get(_W + "numId"), _val(num, "abstractNumId")
            if abs_id not in abstract:
                continue
            levels = {}
            for lvl in abstract[abs_id].iter(_W + "lvl"):
                levels[_int(lvl.get(_W + "ilvl"), 0)] = (
                    _val(lvl, "numFmt", "decimal"), _val(lvl, "lvlText", ""), _int(_val(lvl, "start"), 1))
            overridden = False
            for override in num.iter(_W + "lvlOverride"):
                start = _val(override, "startOverride")
                ilvl = _int(override.get(_W + "ilvl"), 0)
                if start is not None and ilvl in levels:
                    levels[ilvl] = (levels[ilvl][0], levels[ilvl][1], _int(start, 1))
                    overridden = True
            self.levels[num_id] = levels
            # Lists sharing a definition continue one count unless restarted.
            self.list_of[num_id] = f"num {num_id}" if overridden else f"abstract {abs_id}"
        for style in document.styles.element.iter(_W + "style"):
            num_id = _val(style, "pPr/numPr/numId")
            if num_id:
                self.style_num[style.get(_W + "styleId")] = (num_id, _int(_val(style, "pPr/numPr/ilvl"), 0))

    def label(self, p) -> str:
        """The label Word shows before paragraph ``p``, counting it; "" if not numbered."""
        num_id = _val(p, "pPr/numPr/numId")
        ilvl = _val(p, "pPr/numPr/ilvl")
        if num_id is None:
            num_id, style_ilvl = self.style_num.get(_val(p, "pPr/pStyle", ""), (None, 0))
            ilvl = ilvl if ilvl is not None else style_ilvl
        levels = self.levels.get(num_id or "")
        level = _int(ilvl, 0)
        if not levels or level not in levels or not 0 <= level < 10:
            return ""
        counts = self.counters.setdefault(self.list_of[num_id], [None] * 10)
        counts[level] = levels[level][2] if counts[level] is None else counts[level] + 1
        for deeper in range(level + 1, len(counts)):
            counts[deeper] = None
        fmt, text, _ = levels[level]
        if fmt in ("bullet", "none"):
            return "" if fmt == "bullet" else text

        def counter(m: re.Match) -> str:
            k = int(m.group(1)) - 1
            k_fmt, _, k_start = levels.get(k, ("decimal", "", 1))
            return _format_counter(counts[k] if counts[k] is not None else k_start, k_fmt)
        return re.sub(r"%([1-9])", counter, text)


#: A picture's size in EMU below which it is an icon or a bullet (100 px at 96 dpi).
_IMAGE_MIN_EMU = 952_500
_WP = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}"
_A_BLIP = "{http://schemas.openxmlformats.org/drawingml/2006/main}blip"


def _picture(drawing) -> bool:
    """Whether a ``w:drawing`` is a picture of some size (not a text box, not an icon)."""
    if next(drawing.iter(_A_BLIP), None) is None:
        return False
    extent = next(drawing.iter(_WP + "extent"), None)
    if extent is None:
        return True
    try:
        return min(int(extent.get("cx", 0)), int(extent.get("cy", 0))) >= _IMAGE_MIN_EMU
    except ValueError:
        return True


def _paragraph_pieces(p, numbering: _Numbering | None = None, pictures: bool = False) -> list[str]:
    """The visible text of a paragraph, split at line breaks (and at text-box paragraphs); with ``pictures``,
    a picture of some size as a piece of its own reading ``IMAGE_LINE`` (the body's, not a table cell's)."""
    pieces, current = [], []
    walker = etree.iterwalk(p, events=("start", "end"))
    for event, el in walker:
        if event == "end":
            if el.tag == _W + "p" and el is not p:
                pieces.append("".join(current))
                current = []
            continue
        if el.tag in _SKIP or _hidden_run(el):
            walker.skip_subtree()
        elif el.tag == _W + "drawing" and pictures and _picture(el):
            pieces.append("".join(current))
            pieces.append(IMAGE_LINE)
            current = []
            walker.skip_subtree()
        elif el.tag == _W + "t":
            text = el.text or ""
            if text.isascii() and text and (raised := _raised(el)) is not None:
                text = script_digits(text, raised)
            current.append(text)
        elif el.tag == _W + "tab":
            current.append("\t")
        elif el.tag == _W + "noBreakHyphen":
            current.append("-")
        elif el.tag in _LINE_BREAKS and el is not p:
            pieces.append("".join(current))
            current = []
    pieces.append("".join(current))
    if numbering is not None:
        pieces[0] = numbering.label(p) + pieces[0]
    return pieces


def _cell_span(tc) -> tuple[int, bool]:
    """``(columns spanned, is a vertical-merge continuation)`` for a ``w:tc``.

    python-docx's ``Table.cell`` hands back the same merged cell for every
    grid position it covers, so the raw XML is read instead: ``gridSpan`` says
    how many columns, ``vMerge`` without ``restart`` marks a cell continued
    from the row above (HTML's rowspan), and legacy ``hMerge`` continuations
    are left out the same way.
    """
    tcpr = tc.find(_W + "tcPr")
    if tcpr is None:
        return 1, False
    span_el = tcpr.find(_W + "gridSpan")
    try:
        span = max(1, min(64, int(span_el.get(_W + "val", "1")))) if span_el is not None else 1
    except ValueError:
        span = 1
    continued = False
    for merge_tag in ("vMerge", "hMerge"):
        merge = tcpr.find(_W + merge_tag)
        if merge is not None and merge.get(_W + "val", "continue") != "restart":
            continued = True
    return span, continued


def _docx_cell(tc, numbering: _Numbering) -> tuple[str, list[str], list[str]]:
    """A cell's text (its paragraphs joined), the lines of tables nested in it, and both in order, one line
    per paragraph, for a cell that is page layout (text and tables in one cell)."""
    pieces, nested, in_order = [], [], []
    for child in _children(tc):
        if child.tag == _W + "p":
            paragraph = _paragraph_pieces(child, numbering)
            pieces.extend(paragraph)
            in_order.extend(t for t in map(clean_text, paragraph) if t)
        elif child.tag == _W + "tbl":
            table = _docx_table(child, numbering)
            nested.extend(table)
            in_order.extend(table)
    return join_cell_text(pieces), nested, in_order


def _docx_table(tbl, numbering: _Numbering) -> list[str]:
    """A Word table as lines, one ``render_row`` line per row; tables nested in a row follow it. A row with a
    cell holding both text and a table is page layout, not data (a web page's frame around the report): its
    paragraphs and tables are read in order, as lines of the page."""
    lines: list[str] = []
    for tr in _children(tbl):
        if tr.tag != _W + "tr":
            continue
        cells, after, in_order, layout = [], [], [], False
        for tc in _children(tr):
            if tc.tag != _W + "tc":
                continue
            span, continued = _cell_span(tc)
            if continued:
                continue
            text, nested, ordered = _docx_cell(tc, numbering)
            cells.extend([text] if text else [""] * span)
            after.extend(nested)
            in_order.extend(ordered)
            layout = layout or bool(nested and text)
        if layout:
            lines.extend(in_order)
            continue
        if any(cells):
            lines.append(render_row(cells))
        lines.extend(after)
    return lines


def _docx_lines(body, numbering: _Numbering) -> tuple[list[str], int, int]:
    """Body paragraphs and tables in document order; also counts of tables and skipped chunks."""
    lines: list[str] = []
    tables = alt_chunks = 0
    for child in _children(body):
        if child.tag == _W + "p":
            lines.extend(t for t in map(clean_text, _paragraph_pieces(child, numbering, pictures=True)) if t)
        elif child.tag == _W + "tbl":
            tables += 1
            lines.extend(_docx_table(child, numbering))
        elif child.tag == _W + "altChunk":
            alt_chunks += 1
    return lines, tables, alt_chunks


def _docx_too_big(data: bytes) -> str | None:
    """Why a .docx must not be unpacked (a zip bomb), or None."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            size = sum(i.file_size for i in zf.infolist() if i.filename.startswith("word/"))
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        return f"not a readable .docx (broken ZIP container: {exc})"
    if size > MAX_DOCX_XML_BYTES:
        return f"Word document unpacks to {size:,} bytes (> {MAX_DOCX_XML_BYTES:,}); not read"
    return None


def read_docx(source: str, data: bytes) -> Document:
    """A .docx report as a Document; never raises for bad input.

    Page headers, footers, footnotes and comments are not read: they hold page
    numbers and file stamps, not report content.
    """
    doc = Document(source=source, format="docx", sha256=sha256_bytes(data))
    reason = _docx_too_big(data)
    if reason:
        doc.error = reason
        return doc
    try:
        import docx

        document = docx.Document(io.BytesIO(data))
        lines, tables, alt_chunks = _docx_lines(document.element.body, _Numbering(document))
    except Exception as exc:  # python-docx raises many kinds for a damaged package
        doc.error = f"not a readable .docx ({type(exc).__name__}: {exc})"
        return doc
    finish_word(doc, lines, tables)
    if alt_chunks:
        doc.messages.append(f"{alt_chunks} embedded chunk(s) of another format (altChunk) not read")
    return doc


def finish_word(doc: Document, lines: list[str], tables: int) -> Document:
    """A Word document's lines (.docx or .doc), how many tables were rendered, or that it holds no text."""
    if tables:
        doc.messages.append(f"{tables} Word table(s) rendered one row per line")
    doc.lines = lines
    if not lines:
        doc.error = "Word document holds no text"
    return doc
