r"""Markdown as converters write it from a page or a Word file: pandoc's grid tables and attributes, raw HTML
tables among the markdown, backslash escapes.

``pandoc -t markdown`` (its default output) prints a table whose cells wrap as a *grid table*: rows between
``+----+`` borders, each cell's text wrapped over the row's lines inside its column::

    | 一、本年新收政府  |    | [0]{style=        |
    | 信息公开申请数量  |    | "font-size:14px"} |
    +-------------------+----+-------------------+

Read a line at a time, a wrapped label is two labels and a cell is split between lines. And the page's
styles survive as attributes: ``[0]{style="font-size:14px"}`` is the number 0, then 14 taken for a
cell (9 synthetic pages converted so: 124 wrong values). Here each grid row becomes one ``|`` row, a
cell's pieces joined, and attributes are removed with their text kept (``[0]{…}`` is ``0``;
``::: {.class}`` fences, ``{#id .class}`` after a heading and AsciiDoc's ``[width="99%",cols="…"]`` go).

Converters also escape what markdown would read as its own (mammoth, html2text, pandoc): ``12555\.2261``
(a fee read as 12555 and 2261), ``2\.其他法律…`` (an enumerator read as a number). A backslash before
ASCII punctuation is removed.
"""

from __future__ import annotations

import html as html_lib
import re

from .document import IMAGE_LINE, Document

_BORDER = re.compile(r"^\s*\+(?:[-=:]+\+)+\s*$")
_ROW = re.compile(r"^\s*\|.*\|\s*$")
# [text]{attributes}: a span of the page (its style, class or id), possibly wrapped over two or three lines
_SPAN = re.compile(r"\[([^\[\]{}]*)\]\{[^{}]*\}")
# {#id .class key="…"} after a heading, a link or an image; ::: {.class} fences around a div
_ATTRS = re.compile(r"[ \t]*\{(?:[#.][^{}]*|[\w-]+=\"[^\"{}]*\"[^{}]*)\}")
_FENCE = re.compile(r"(?m)^\s*:{3,}.*$")
# AsciiDoc's block attributes before a table: [width="99%",cols="16%,6%,…"] (their numbers are no cells)
_BLOCK_ATTRS = re.compile(r'(?m)^\s*\[(?:[\w-]+="[^"\n]*",?)+\]\s*$')


# pandoc's markdown keeps a table it cannot draw (merged cells) as raw HTML between its own lines
_TABLE_BLOCK = re.compile(r"<table\b.*?</table\s*>", re.I | re.S)
_TAG = re.compile(r"</?[A-Za-z][^<>]*>")
_MARKDOWN = re.compile(r"(?m)^(?:#{1,6} \S|:{3,}|\s*\+[-=:]{3,}\+|.*\]\{[^{}\n]*\}|\s*\|?\s*:?-{3,}:?\s*\|)")
_PAGE = re.compile(rb"<\s*(?:!doctype|html|head|body)\b", re.I)


def markdown_with_tables(data: bytes) -> bool:
    """Whether ``data`` is markdown holding raw HTML tables (what sniffs as a page for its many ``<td>``): no
    ``<html>``, ``<head>``, ``<body>`` or doctype (pandoc writes none, a page has them), and outside its tables
    markdown's headings, its table rules (``|---|``) or pandoc's marks."""
    sample = data[:262144]
    if b"<table" not in sample.lower() or _PAGE.search(sample):
        return False
    outside = _TABLE_BLOCK.sub("", sample.decode("utf-8", "replace"))
    return bool(_MARKDOWN.search(outside))


def read_markdown_with_tables(source: str, data: bytes) -> Document:
    """Markdown with raw HTML tables: the text read as text, each table read by the HTML reader (a row a
    line), the tags left in the text removed; then ``cleaned``."""
    from .html import read_html
    from .text import read_text, split_lines

    doc = read_text(source, data)
    if doc.error:
        return doc
    text = doc.text
    lines: list[str] = []
    pos, tables = 0, 0
    for m in _TABLE_BLOCK.finditer(text):
        lines.extend(split_lines(html_lib.unescape(_TAG.sub("", text[pos:m.start()]))))
        lines.extend(read_html(source, m.group(0).encode("utf-8")).lines)
        tables += 1
        pos = m.end()
    lines.extend(split_lines(html_lib.unescape(_TAG.sub("", text[pos:]))))
    doc.lines = lines
    doc.messages.append(f"markdown with {tables} HTML table(s): the tables read as a page's, a row a line")
    return cleaned(doc)


# markdown's backslash escapes: a backslash before ASCII punctuation ("12555\.2261", "1\.", "\(一\)")
_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")


# Inline HTML that markdown keeps as it is (pandoc's gfm: ``<span style="font-family: 黑体">二、主动公开…</span>``,
# the tag's attributes wrapped over two lines): in a text file, the tags are no text (a heading behind one was
# not found, and ``2em`` in a style is a number)
_INLINE_TAG = re.compile(r"</?(?:span|p|div|br|font|b|strong|em|i|u|sup|sub|a|img|o:p|small|big|center|section)"
                         r"\b[^<>]{0,400}>", re.I)


# An HTML entity a crawler left in its text (``&nbsp;``, ``&#160;``, ``&#x3000;``): with its semicolon only, as a
# page writes it (``html.unescape`` alone also reads ``&copy`` without one); ``&#160;`` was read as a cell 160
_ENTITY = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")


#: A markdown image alone on its line (html2text, pandoc, mammoth): ``![](media/image1.png)``, with a title or size.
_MD_IMAGE = re.compile(r"(?m)^[ \t]*!\[[^\]\n]*\]\([^)\n]*\)(?:\{[^}\n]*\})?[ \t]*$")


def _unescaped(m: re.Match) -> str:
    return html_lib.unescape(m.group(0))


def cleaned(doc: Document, text_file: bool = False) -> Document:
    """``doc`` with pandoc's grid rows joined, attributes removed and markdown's escapes undone, where its
    lines hold them (a text file, or an HTML one: pandoc leaves a table it cannot draw as HTML, which makes
    the file sniff as a page); in a text file (``text_file``), inline HTML tags removed and entities read too."""
    if doc.lines:
        text = "\n".join(doc.lines)
        if text_file and "<" in text and _INLINE_TAG.search(text):
            text = _INLINE_TAG.sub("", text)
            doc.lines = text.split("\n")
            doc.messages.append("inline HTML tags in the text (<span>, <p>, …) removed")
        if "![" in text and _MD_IMAGE.search(text):  # markdown's image, a line of its own: a table pasted as one?
            text = _MD_IMAGE.sub(IMAGE_LINE, text)
            doc.lines = text.split("\n")
        if text_file and "&" in text and _ENTITY.search(text):
            text = _ENTITY.sub(_unescaped, text)
            doc.lines = text.split("\n")
            doc.messages.append("HTML entities in the text (&nbsp;, &#160;, …) read as the characters they stand for")
        if looks_like_pandoc(text):
            doc.lines = unwrap(doc.lines)
            doc.messages.append("pandoc's markdown: grid table rows joined, the page's attributes removed")
        if "\\" in text and _ESCAPE.search(text):
            doc.lines = [_ESCAPE.sub(r"\1", line) if "\\" in line else line for line in doc.lines]
            doc.messages.append("markdown's backslash escapes removed (\\. read as .)")
    return doc


def looks_like_pandoc(text: str) -> bool:
    """Whether ``text`` holds pandoc's grid tables or attributes (cheap tests first)."""
    return ("+--" in text or "+==" in text or "]{" in text or ":::" in text or '="' in text) and bool(
        re.search(r"(?m)^\s*\+[-=:]{3,}\+|\]\{[^{}]*\}|^\s*:{3,}", text) or _BLOCK_ATTRS.search(text))


def unwrap(lines: list[str]) -> list[str]:
    """``lines`` with each grid table row as one ``|`` row and the page's attributes removed."""
    text = "\n".join(_grid_rows(lines))
    if "{" in text or ":::" in text:
        text = _SPAN.sub(lambda m: m.group(1), text)
        text = _ATTRS.sub("", text)
        text = _FENCE.sub("", text)
    if '="' in text:
        text = _BLOCK_ATTRS.sub("", text)
    return text.split("\n")


def _grid_rows(lines: list[str]) -> list[str]:
    out: list[str] = []
    k, n = 0, len(lines)
    while k < n:
        if not _BORDER.match(lines[k]):
            out.append(lines[k])
            k += 1
            continue
        end = k
        while end < n and (_BORDER.match(lines[end]) or _ROW.match(lines[end])):
            end += 1
        out.extend(_grid_table(lines[k:end]))
        k = end
    return out


def _grid_table(region: list[str]) -> list[str]:
    """One grid table (border and row lines) as ``|`` rows. A row of several lines is one wrapped row when
    borders part the table's rows (three blocks or more: pandoc, tabulate's ``grid``), or when each of its
    lines after the first leaves a cell empty; a table that borders only its header (``psql``, MySQL)
    keeps a row a line."""
    blocks: list[list[str]] = []
    for line in region:
        if _BORDER.match(line):
            blocks.append([])
        else:
            blocks[-1].append(line)
    blocks = [b for b in blocks if b]
    out: list[str] = []
    for block in blocks:
        wrapped = len(blocks) >= 3 or all(any(not c.strip() for c in line.strip()[1:-1].split("|"))
                                          for line in block[1:])
        out.extend(_joined(block) if wrapped and len(block) > 1 else block)
    return out


def _joined(block: list[str]) -> list[str]:
    """A grid row's lines as one ``|`` row: each column's pieces joined (a space only between two Latin
    letters or digits). Lines that do not split into the same number of cells (a ``|`` in a cell's text)
    are kept as they are."""
    rows = [line.strip()[1:-1].split("|") for line in block]
    if len({len(r) for r in rows}) != 1:
        return block
    cells = []
    for column in zip(*rows):
        text = ""
        for piece in (p.strip() for p in column):
            if not piece:
                continue
            if text and text[-1].isascii() and text[-1].isalnum() and piece[0].isascii() and piece[0].isalnum():
                text += " "
            text += piece
        cells.append(text)
    return ["| " + " | ".join(cells) + " |"]
