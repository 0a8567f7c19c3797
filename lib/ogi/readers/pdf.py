"""PDF reports as a Document: the text layer placed by position, tables found from ruling lines.

pdfplumber finds the tables and groups characters into lines; PDFium reads
each page's characters and paths for it (``pdfium_objects``). Tables are
rendered one row per line through ``render_row``, like the HTML and Word
readers: a cell merged from the left or above is left out, a blank cell over
n columns stands as n blanks. Text outside tables becomes paragraphs; page
numbers and a browser's margins are dropped. A table drawn without lines is
text: its lines keep their wide gaps as tabs, and are never joined as a
paragraph's (``_line_text``).
"""

from __future__ import annotations

import io
import logging
import re
from dataclasses import dataclass, field
from typing import Any

from . import pdfium_objects
from .document import Document, clean_text, is_cjk, join_cell_text, render_row, sha256_bytes

# Page numbers, not report text. Worded ones ("第 4 页 共 10 页", "4 / 10",
# "Page 4 of 10") and dashed ones ("— 4 —", "- 4 -") go wherever they are; a
# bare or one-sided number ("4", "-4") only in the page margins, since mid-page
# it may be a value of a table drawn without lines.
_PAGE_WORDS = re.compile(
    r"^第\s*\d{1,4}\s*页\s*[，,/／]?\s*(共\s*\d{1,4}\s*页)?$"
    r"|^共\s*\d{1,4}\s*页\s*[，,/／]?\s*第\s*\d{1,4}\s*页$"
    r"|^\d{1,4}\s*[/／]\s*\d{1,4}$"
    r"|^page\s*\d{1,4}(\s*of\s*\d{1,4})?$", re.I)
_DASHED_NUMBER = re.compile(r"^\s*[-—–－−]+\s*\d{1,4}\s*[-—–－−]+\s*$")
_BARE_NUMBER = re.compile(r"^[\s\-—–－−_·•]*\d{1,4}[\s\-—–－−_·•]*$")
# A web page printed to PDF by a browser: each page's margins hold the date and time with the page's
# title ("11/23/26, 11:50 PM 某局2024年…报告", "2024/1/25 10:21 …"; slashes: a site's own "2024-01-25 10:21
# 来源:…" stays) and its address with "page/pages".
_BROWSER_MARGIN = re.compile(
    r"^\d{1,4}/\d{1,2}/\d{1,4},?\s+(?:[上下]午)?\d{1,2}:\d{2}(?::\d{2})?(?:\s*[AaPp][Mm])?(?:\s|$)"
    r"|^(?:file|https?)://\S+(?:\s+\d{1,4}\s*/\s*\d{1,4})?$")
# A line that opens with a list marker starts its own paragraph: 一、 （一） (1) 1. 1、
_NUMBERED = re.compile(r"^\s*([一二三四五六七八九十]+、|[（(][一二三四五六七八九十\d]+[)）]|\d+[.．、](?!\d))")
#: Share of the page height at top and bottom where a bare number is a page number.
MARGIN_ZONE = 0.1


@dataclass
class _Line:
    """One visual line of PDF text outside tables, with what paragraph joining needs."""

    text: str
    x0: float
    x1: float
    top: float
    size: float
    font_start: str | None  # font of the first Chinese character, if any
    font_end: str | None    # font of the last one
    page: int = 0           # the page it stands on (1-based)
    # a bare number in the page's top or bottom margin zone: a page number, or a table's cell printed one a
    # line (``_drop_page_numbers`` tells which)
    margin_number: int | None = None
    # where each of the text's tab-parted fields stands (``_field_spans``), for a line of a table drawn without lines
    spans: tuple[tuple[float, float, float], ...] = ()
    # blank cells put in by their columns' places, numbers parted from their label (``_place_blanks``)
    blanks_placed: int = 0
    parted: int = 0

    @property
    def ruled(self) -> bool:
        """Whether ``_place_blanks`` wrote the line as a ruled table's row (its cells cleaned already)."""
        return bool(self.blanks_placed or self.parted)


@dataclass
class _Rows:
    """The rendered rows of one PDF table, placed at its top edge (and each row's cells, as rendered)."""

    top: float
    lines: list[str] = field(default_factory=list)
    page: int = 0
    cells: list[list[str]] = field(default_factory=list)


def _is_furniture(text: str, top: float, bottom: float, height: float) -> bool:
    """True for a page number (see ``_PAGE_WORDS`` and ``_DASHED_NUMBER``), or a browser's header or footer
    in the page's margin (``_BROWSER_MARGIN``). A bare number there may be either a page number or a cell:
    see ``_margin_number``."""
    if _PAGE_WORDS.match(text.strip()) or _DASHED_NUMBER.match(text):
        return True
    return _in_margin(top, bottom, height) and bool(_BROWSER_MARGIN.match(text.strip()))


def _in_margin(top: float, bottom: float, height: float) -> bool:
    return bottom > height * (1 - MARGIN_ZONE) or top < height * MARGIN_ZONE


def _margin_number(text: str, top: float, bottom: float, height: float) -> int | None:
    """The value of a bare number in the page's top or bottom margin zone (``1``, ``· 2 ·``), else None."""
    if not _in_margin(top, bottom, height) or not _BARE_NUMBER.match(text):
        return None
    return int(re.sub(r"\D", "", text))


def _drop_page_numbers(items: list[_Line | _Rows]) -> list[_Line | _Rows]:
    """Leave out the bare numbers in the margin zones that are page numbers; keep the others as text.

    A page number is the line furthest out on its page (the last, in the bottom zone; the first, in the top
    zone) and follows the pages: page n prints n + k, with one k for the document (the k most pages give, when
    two pages or more agree; else k = 0). Taken for page numbers, a table's cells printed one a line fell out
    wherever the table met a page's last tenth ("0" cells at the foot of LibreOffice's pages).
    """
    pages: dict[int, list[_Line | _Rows]] = {}
    for it in items:
        pages.setdefault(it.page, []).append(it)
    outermost: list[_Line] = []
    for on_page in pages.values():
        for it in (on_page[0], on_page[-1]):
            if isinstance(it, _Line) and it.margin_number is not None and it not in outermost:
                outermost.append(it)
    offsets = [it.margin_number - it.page for it in outermost]
    common = max(set(offsets), key=offsets.count, default=0)
    k = common if offsets.count(common) >= 2 else 0
    dropped = {id(it) for it in outermost if it.margin_number - it.page == k}
    return [it for it in items if id(it) not in dropped]


def _table_rows(table, page: int) -> _Rows:
    """A pdfplumber table as a ``_Rows``: its rows' cells, and their ``render_row`` lines."""
    cells = _table_cells(table)
    return _Rows(top=table.bbox[1], lines=[render_row(row) for row in cells], page=page, cells=cells)


def _table_cells(table) -> list[list[str]]:
    """A pdfplumber table's rows as the cells ``render_row`` writes.

    pdfplumber gives ``None`` where no cell starts at a grid position, i.e.
    the position is covered by a cell merged from the left or from above: it
    is a span, and is left out. A blank cell (``""``) that covers several
    columns stands as that many blank cells.
    """
    columns = sorted({cell[0] for row in table.rows for cell in row.cells if cell is not None})
    rows = []
    for row, texts in zip(table.rows, _cell_texts(table, _line_tolerance(table))):
        cells = []
        for box, text in zip(row.cells, texts):
            if box is None:
                continue
            text = join_cell_text((text or "").split("\n"))
            if text:
                cells.append(text)
            else:
                cells.extend([""] * max(1, sum(1 for x in columns if box[0] - 1 <= x < box[2] - 1)))
        if any(cells):
            rows.append(cells)
    return rows


def _cell_texts(table, y_tolerance: float) -> list[list[str | None]]:
    """pdfplumber's ``Table.extract``, each character in one cell only: of the cells whose boxes hold it, the
    one fewest rows tall (then the smallest).

    pdfplumber gives a character to every cell whose box holds it. A merged cell cut by a page break (its
    lines lost there) can get a box over the rows below it: ``3.其他`` and ``(七)总计``, each in a cell of its
    own, were also read in it, as ``3.其他 (七)总计``, and the total's label stood on 3.其他's row, its numbers
    read as the total's.
    """
    from pdfplumber import utils

    def holds(box, ch) -> bool:
        x, y = (ch["x0"] + ch["x1"]) / 2, (ch["top"] + ch["bottom"]) / 2
        return box[0] <= x < box[2] and box[1] <= y < box[3]

    chars = table.page.chars
    held: list[list[tuple]] = []  # each row's cells: (box, the characters its box holds)
    best: dict[int, tuple] = {}  # id of a character -> (its cell's rank, the cell's box)
    for row in table.rows:
        row_chars = [ch for ch in chars if holds(row.bbox, ch)]
        cells = []
        for box in row.cells:
            if box is None:
                cells.append((None, []))
                continue
            inside = [ch for ch in row_chars if holds(box, ch)]
            rank = (box[3] - box[1], (box[2] - box[0]) * (box[3] - box[1]))
            for ch in inside:
                mine = best.get(id(ch))
                if mine is None or rank < mine[0]:
                    best[id(ch)] = (rank, box)
            cells.append((box, inside))
        held.append(cells)
    out: list[list[str | None]] = []
    for cells in held:
        texts: list[str | None] = []
        for box, inside in cells:
            own = [ch for ch in inside if best[id(ch)][1] is box]
            texts.append(None if box is None else utils.extract_text(own, y_tolerance=y_tolerance) if own else "")
        out.append(texts)
    return out


#: How far apart (in ems of the text's size) the tops of two characters of one line may stand: digits in another
#: font stand lower by the difference of the fonts' descents (DejaVu beside WenQuanYi: 0.24 em), past
#: pdfplumber's 3 points from 13-point text on. A line's next one stands a line's height (an em or more) below.
LINE_TOLERANCE = 0.4


def _line_tolerance(table) -> float:
    """pdfplumber's ``y_tolerance`` for the text of a table's cells: ``LINE_TOLERANCE`` of its text's usual size,
    3 points at least (pdfplumber's own). Read with 3, a cell's "1.属于国家秘密" in 16-point text came out
    "属 1. 于国家秘密", its enumerator's digits a line of their own."""
    x0, top, x1, bottom = table.bbox
    sizes = sorted(c["size"] for c in table.page.chars
                   if x0 <= c["x0"] and c["x1"] <= x1 and top <= c["top"] and c["bottom"] <= bottom)
    return max(3.0, LINE_TOLERANCE * sizes[len(sizes) // 2]) if sizes else 3.0


def _inside(obj: dict, boxes: list[tuple]) -> bool:
    """True when an object's centre lies in one of the boxes."""
    cx, cy = (obj["x0"] + obj["x1"]) / 2, (obj["top"] + obj["bottom"]) / 2
    return any(x0 <= cx <= x1 and top <= cy <= bottom for x0, top, x1, bottom in boxes)


def _clusters(values: list[float], tolerance: float) -> dict[float, int]:
    """pdfplumber's clustering of numbers: sorted, a new cluster past ``tolerance`` from the last value."""
    out: dict[float, int] = {}
    last, cluster = None, -1
    for v in sorted(set(values)):
        if last is None or v > last + tolerance:
            cluster += 1
        out[v] = cluster
        last = v
    return out


def _unique_chars(chars: list[dict], tolerance: float = 1) -> list[dict]:
    """pdfplumber's ``dedupe_chars`` (a glyph drawn twice for bold, a shadow): of the characters with the same
    text, font, size and uprightness whose tops, then lefts, cluster within ``tolerance``, the one furthest
    up and left is kept; order kept. pdfplumber's own orders the result by ``list.index``, quadratic in the
    page's characters: a third of reading a PDF."""
    groups: dict[tuple, list[int]] = {}
    for i, c in enumerate(chars):
        groups.setdefault((c["upright"], c["text"], c["fontname"], c["size"]), []).append(i)
    keep: list[int] = []
    for members in groups.values():
        if len(members) == 1:
            keep.append(members[0])
            continue
        rows = _clusters([chars[i]["doctop"] for i in members], tolerance)
        by_row: dict[int, list[int]] = {}
        for i in members:
            by_row.setdefault(rows[chars[i]["doctop"]], []).append(i)
        for row in by_row.values():
            cols = _clusters([chars[i]["x0"] for i in row], tolerance)
            first: dict[int, int] = {}
            for i in row:
                col = cols[chars[i]["x0"]]
                j = first.get(col)
                if j is None or (chars[i]["doctop"], chars[i]["x0"]) < (chars[j]["doctop"], chars[j]["x0"]):
                    first[col] = i
            keep.extend(first.values())
    return [chars[i] for i in sorted(keep)]


#: pdfplumber's default horizontal gap (points) past which two characters of a line are parted by a space.
_X_TOLERANCE = 3
#: A gap of this many ems or more between two characters of a line is a column's border: a tab.
TAB_GAP = 1.0


def _gap(a: dict, b: dict) -> str:
    """What stands between two neighbouring characters of a line: nothing, a space or a tab (a gap of
    ``TAB_GAP`` ems or more, or a space's gap between two digits: the digits of one number stand close)."""
    gap = b["x0"] - a["x1"]
    if gap <= _X_TOLERANCE:
        return ""
    if gap >= TAB_GAP * max(a["size"], b["size"]) or (a["text"].isdigit() and b["text"].isdigit()):
        return "\t"
    return " "


def _line_text(line: dict) -> str:
    """A line's text, its wide gaps tabs (``TAB_GAP``).

    A table drawn without lines comes out as lines of text, its cells parted by a gap: with a space, as
    pdfplumber writes it, ``105 11 3 1 3 123`` (a blank cell left no trace) read as digits run together
    and split by the row's identity (``1 0 5 113 1 3 123``). Parted by tabs, each number is a cell of its own,
    as in a table pasted from a sheet (``tokens.split_cells``). Lines without a wide gap keep pdfplumber's text.
    """
    shown = [c for c in line["chars"] if c["text"].strip()]
    tabs = {k for k, (a, b) in enumerate(zip(shown, shown[1:])) if _gap(a, b) == "\t"}
    text = line["text"]
    if not tabs or any(len(c["text"]) != 1 for c in shown) \
            or "".join(c["text"] for c in shown) != "".join(text.split()):
        return text  # no wide gap; or characters pdfplumber wrote otherwise (a ligature): its text as it is
    out: list[str] = []
    k = 0  # shown characters written
    space = ""
    for ch in text:
        if ch.isspace():
            space += ch
            continue
        if k:
            out.append("\t" if k - 1 in tabs else space)
        out.append(ch)
        k += 1
        space = ""
    return "".join(out)


def _field_spans(text: str, chars: list[dict]) -> tuple[tuple[float, float, float], ...]:
    """Where each tab-parted field of a line's text (``_line_text``) stands: x0 and x1 of its first and last
    characters, and x0 of the number it ends with (else of its last word). Empty when the line has no tab, or
    its fields do not account for its characters one for one."""
    if "\t" not in text:
        return ()
    shown = [c for c in chars if c["text"].strip()]
    spans, k = [], 0
    for part in text.split("\t"):
        words = part.split()
        n = sum(map(len, words))
        if n == 0 or k + n > len(shown):
            return ()
        number = _TRAILING_NUMBER.search(words[-1])
        last = len(number.group(0)) if number else len(words[-1])
        spans.append((shown[k]["x0"], shown[k + n - 1]["x1"], shown[k + n - last]["x0"]))
        k += n
    return tuple(spans) if k == len(shown) else ()


# A number at the end of a text (a row's first number read into its label: ``…不计其他情形)16``)
_TRAILING_NUMBER = re.compile(r"[-−+]?\d[\d,]*(?:\.\d+)?%?$")
# A field that is a table's cell: a number, or a mark printed for a blank one ("-", "—", "/", "无")
_CELL = re.compile(r"^\s*(?:[-−+]?\d[\d,]*(?:\.\d+)?%?|[-—–－/／]{1,3}|无)\s*$")
#: A row of a table without lines is given its blank cells by position when it holds at most this many cells
#: fewer than the rows around it, and those rows hold at least ``PLACED_MIN_CELLS`` (table 3's seven, table 4's
#: fifteen or five a line; table 2's rows, of one to four cells of different spans, are left as they are).
PLACED_MAX_BLANKS = 2
PLACED_MIN_CELLS = 5


def _cells_at(line: _Line) -> tuple[list[str], list[str], list[tuple[float, float, float]]] | None:
    """A line of a table without lines as (label fields, cell fields, the cells' spans); None when its fields
    are not label fields then cells only."""
    fields = line.text.split("\t")
    if len(fields) != len(line.spans):
        return None
    first = next((k for k, f in enumerate(fields) if _CELL.match(f)), None)
    if first is None or not all(_CELL.match(f) for f in fields[first:]):
        return None
    return fields[:first], fields[first:], list(line.spans[first:])


def _place_blanks(items: list[_Line | _Rows]) -> None:
    """Put the blank cells of a table drawn without lines back in their places, where the columns show them.

    Printed without lines, a blank cell leaves no trace in the text: ``1.属于国家秘密 0 0 0 0 0 0`` is a row of
    seven cells with one gone, and which one is not known from the text (the parser leaves the row null).
    The page still shows where each column stands: the rows around it print all their cells, and each
    number stands under its column. In a run of consecutive lines with columns' gaps (the pieces of labels
    wrapped between them aside: short lines, or lines left of every cell), the rows that print the most
    cells (at least ``PLACED_MIN_CELLS``, on two lines or more) give each column's place (their cells' left
    edges, centres or right edges, whichever agree best, within 0.6 em) and stretch. A row short of one or
    two cells (``PLACED_MAX_BLANKS``) whose every cell stands at a column (within 0.3 of the narrowest
    column spacing, and an em), each at another, in order, and whose line holds nothing in the columns
    left, gets a blank cell in each of them, the row written as a ruled table's (``render_row``). A row
    that does not fit so is left as it was (null, as before).
    """
    run: list[_Line] = []
    cells_from = float("inf")  # where the run's leftmost cell starts
    for item in [*items, None]:
        if isinstance(item, _Line) and item.spans:
            run.append(item)
            got = _cells_at(item)
            if got is not None:
                cells_from = min(cells_from, got[2][0][0])
            continue
        if isinstance(item, _Line) and (len("".join(item.text.split())) <= _LABEL_PIECE or item.x1 < cells_from):
            continue  # a piece of a label wrapped in its column, between two rows
        if len(run) >= 3:
            _place_blanks_in_run(run)
        run, cells_from = [], float("inf")


#: A line without columns' gaps this short (characters) stands inside a table's run of rows: a label's piece (as
#: does a longer one that ends left of the run's cells).
_LABEL_PIECE = 8


def _place_blanks_in_run(run: list[_Line]) -> None:
    parsed = [(line, _cells_at(line)) for line in run]
    counts: dict[int, int] = {}
    for _, got in parsed:
        if got is not None:
            counts[len(got[1])] = counts.get(len(got[1]), 0) + 1
    widths = sorted(k for k, n in counts.items() if n >= 2 and k >= PLACED_MIN_CELLS)
    columns_of: dict[int, Any] = {}  # width -> ``_columns``
    for line, got in parsed:
        if got is None:
            continue
        labels, cells, spans = got
        # the widest: short rows that happen to be short alike (two rows of six) are no width of their own
        width = max((k for k in widths if len(cells) < k <= len(cells) + PLACED_MAX_BLANKS), default=None)
        if width is None:
            continue
        if width not in columns_of:
            columns_of[width] = _columns(parsed, width)
        columns = columns_of[width]
        if columns is None:
            continue
        mode, places, tolerance, extents = columns
        at = [_nearest(places, _coordinate(span, mode)) for span in spans]
        if any(d > tolerance for _, d in at) or any(b[0] <= a[0] for a, b in zip(at, at[1:])):
            continue
        placed = dict(zip((j for j, _ in at), cells))
        taken = [span[:2] for span in line.spans]
        parted = _parted_number(labels, line.spans[len(labels) - 1] if labels else None, columns, min(placed))
        if parted is not None:  # a number set close to the end of a long label, no column's gap before it
            j, number, head_x1 = parted
            placed[j] = number
            labels = [*labels[:-1], labels[-1].rstrip()[:-len(number)].rstrip()]
            taken[len(labels) - 1] = (taken[len(labels) - 1][0], head_x1)
        # a column left blank must be blank on the page: no text of the line in it
        if any(x0 < extents[j][1] and extents[j][0] < x1 for j in range(width) if j not in placed
               for x0, x1 in taken):
            continue
        # as a ruled table's row (``render_row``): a blank cell at the row's end would be taken for a line's
        # padding after a tab (a line is stripped), not between two bars
        line.text = render_row([clean_text(f) for f in [*labels, *(placed.get(j, "") for j in range(width))]])
        line.spans = ()  # no longer one span a field
        line.blanks_placed = width - len(placed)
        line.parted = int(parted is not None)


def _parted_number(labels: list[str], span, columns, first: int) -> tuple[int, str, float] | None:
    """The number a row's label ends with, when it stands at a column before the row's first cell (``first``):
    (that column, the number, where the label's text before it ends); else None. A long label ends close to
    the first column, and its row's first number, less than an em away, was read into it."""
    if not labels or span is None or first == 0:
        return None
    label = labels[-1].rstrip()
    number = _TRAILING_NUMBER.search(label)
    if number is None or not label[:number.start()].strip():
        return None
    mode, places, tolerance, extents = columns
    j, d = _nearest(places, _coordinate((span[2], span[1]), mode))
    if d > tolerance or j >= first or span[2] < extents[j][0] - tolerance:
        return None
    return j, number.group(0), span[2] - 0.5  # the label's own text ends before the number


def _coordinate(span: tuple[float, ...], mode: int) -> float:
    """A cell's left edge (mode 0), centre (1) or right edge (2)."""
    return span[0] if mode == 0 else span[1] if mode == 2 else (span[0] + span[1]) / 2


def _nearest(places: list[float], x: float) -> tuple[int, float]:
    """The column whose place is nearest ``x``, and the distance."""
    j = min(range(len(places)), key=lambda k: abs(places[k] - x))
    return j, abs(places[j] - x)


def _columns(parsed, width: int) -> tuple[int, list[float], float, list[tuple[float, float]]] | None:
    """The columns of the run's rows of ``width`` cells: how their cells align (``_coordinate``'s mode), each
    column's place, the tolerance of a cell's distance to it, and the stretch its cells cover; None when
    those rows do not agree."""
    rows = [(line, got[2]) for line, got in parsed if got is not None and len(got[1]) == width]
    if len(rows) < 2:
        return None
    em = max(line.size for line, _ in rows) or 1.0
    best = None
    for mode in (0, 1, 2):
        by_column = [sorted(_coordinate(spans[j], mode) for _, spans in rows) for j in range(width)]
        spread = max(c[-1] - c[0] for c in by_column)
        if best is None or spread < best[0]:
            best = (spread, mode, [c[len(c) // 2] for c in by_column])
    spread, mode, places = best
    spacing = min((b - a for a, b in zip(places, places[1:])), default=0.0)
    if spread > 0.6 * em or spacing <= 0:
        return None
    extents = [(min(spans[j][0] for _, spans in rows), max(spans[j][1] for _, spans in rows)) for j in range(width)]
    return mode, places, min(0.3 * spacing, em), extents


def _text_of(chars: list[dict]) -> str:
    """The text of a line's shown characters, in order, parted as ``_gap`` says (pdfplumber's lines hold no
    blank characters: its spaces are its gaps)."""
    return "".join(a["text"] + _gap(a, b) for a, b in zip(chars, chars[1:])) + chars[-1]["text"]


def _rejoined(lines: list[dict]) -> list[dict]:
    """pdfplumber's text lines, with a line's runs in another font put back into it.

    pdfplumber groups characters into lines by their tops, and a character's top is its baseline less the
    font's descent: on one baseline, digits set in another font (DejaVu or Times beside a Chinese font) stand
    a few points lower, and in a large title past pdfplumber's 3-point tolerance. The title
    ``某街道办事处2021年政府信息公`` then read as ``某街道办事处 年政府信息公`` and ``2021`` on a line of its own.
    Two neighbouring lines are one when they overlap by more than half the height of the smaller, and no
    character of one stands over a character of the other.
    """
    out: list[dict] = []
    for line in lines:
        prev = out[-1] if out else None
        if prev is not None and _same_line(prev, line):
            chars = sorted(prev["chars"] + line["chars"], key=lambda c: c["x0"])
            out[-1] = {**prev, "text": _text_of(chars), "chars": chars, "x0": min(prev["x0"], line["x0"]),
                       "x1": max(prev["x1"], line["x1"]), "top": min(prev["top"], line["top"]),
                       "bottom": max(prev["bottom"], line["bottom"])}
        else:
            out.append(line)
    return out


def _same_line(a: dict, b: dict) -> bool:
    """Whether two of pdfplumber's lines are runs of one printed line (``_rejoined``)."""
    overlap = min(a["bottom"], b["bottom"]) - max(a["top"], b["top"])
    if overlap <= 0.5 * min(a["bottom"] - a["top"], b["bottom"] - b["top"]):
        return False
    spans = sorted((c["x0"], c["x1"]) for c in a["chars"] + b["chars"] if c["text"].strip())
    return all(x1 <= nx0 + 0.5 for (_, x1), (nx0, _) in zip(spans, spans[1:]))


def _deduped(page):
    """``page`` with its characters drawn twice over left out (``_unique_chars``)."""
    out = page.filter(lambda obj: True)
    out._objects = dict(page.objects)
    out._objects["char"] = _unique_chars(page.chars)
    return out


def _page_items(page, number: int = 1) -> list[_Line | _Rows]:
    """A page's text lines and tables, in reading order (top to bottom); ``number``: the page's, from 1."""
    page = _deduped(page)
    tables = [t for t in page.find_tables() if max((len(r.cells) for r in t.rows), default=0) >= 2]
    boxes = [t.bbox for t in tables]
    items: list[_Line | _Rows] = [_table_rows(t, number) for t in tables]
    outside = page.filter(lambda obj: obj.get("object_type") != "char" or not _inside(obj, boxes))
    for line in _rejoined(outside.extract_text_lines(strip=True, return_chars=True)):
        text, chars = _line_text(line), line["chars"]
        if not text.strip() or _is_furniture(text, line["top"], line["bottom"], page.height):
            continue
        # Digits and Latin letters are often set in another font (Times New
        # Roman beside 仿宋): only the Chinese characters tell a heading's font.
        cjk_fonts = [c["fontname"] for c in chars if c["text"] and is_cjk(c["text"][0])]
        items.append(_Line(text=text, x0=line["x0"], x1=line["x1"], top=line["top"],
                           size=max(c["size"] for c in chars),
                           font_start=cjk_fonts[0] if cjk_fonts else None,
                           font_end=cjk_fonts[-1] if cjk_fonts else None, page=number,
                           margin_number=_margin_number(text, line["top"], line["bottom"], page.height),
                           spans=_field_spans(text, chars)))
    items.sort(key=lambda it: it.top)
    _place_blanks(items)
    return items


@dataclass
class _Margins:
    """Where body text starts and ends, measured over the whole document."""

    left: float
    right: float

    @classmethod
    def of(cls, lines: list[_Line]) -> _Margins:
        long = [ln for ln in lines if len(ln.text) >= 5] or lines
        return cls(left=min((ln.x0 for ln in long), default=0.0), right=max((ln.x1 for ln in long), default=0.0))


def _continues(prev: _Line, line: _Line, margins: _Margins) -> bool:
    """Whether ``line`` carries on the paragraph of ``prev`` (a wrapped line).

    A PDF has no paragraphs, only positioned lines. A line continues the one
    before when that one ran to the right margin, this one starts at the left
    margin without the customary two-character indent, the font stays the same
    and the line does not open with a list marker such as ``（二）``.
    """
    if "\t" in prev.text or "\t" in line.text or prev.ruled or line.ruled:
        return False  # a line with a column's gap in it is a table's row, not running text (``_line_text``)
    em = max(prev.size, line.size, 1.0)
    return (prev.x1 >= margins.right - 2 * em
            and line.x0 <= margins.left + 0.5 * em
            and (prev.font_end == line.font_start or None in (prev.font_end, line.font_start))
            and abs(prev.size - line.size) < 0.5
            and not _NUMBERED.match(line.text))


def _join_wrapped(head: str, tail: str) -> str:
    """Join a wrapped line to its paragraph: no space next to a Chinese character."""
    if not head or not tail or is_cjk(head[-1]) or is_cjk(tail[0]):
        return head + tail
    return head + " " + tail


def _cleaned(text: str) -> str:
    """``clean_text`` of a line, its tabs (``_line_text``) kept."""
    if "\t" not in text:
        return clean_text(text)
    return "\t".join(clean_text(field) for field in text.split("\t"))


#: A row a page break split leaves its numbers on one page and the rest of its label on the next, when it holds
#: this many number cells at least (table 3's seven, table 4's; table 2's rows of one to three are left alone).
SPLIT_ROW_MIN_CELLS = 5


def _join_split_rows(items: list[_Line | _Rows]) -> int:
    """Join the rows a page break split in two: the rest of a label, at the top of the next page, to its row.

    Word lets a table's row break across pages: a long label's first line and the row's numbers stay on the
    page, the rest of the label goes over, and pdfplumber reads two rows, one per page. The second, read on
    its own, is a row of blank cells under the label's end (``正后申请内容仍不明确 |  |  | …``), and the parser
    took its blanks for the row's (LibreOffice's prints of Word files: a row null at most page breaks
    inside table 3). A table that ends its page and a table that starts the next are one table when the
    first row of the second holds, in the column before the other's numbers, text that opens with no
    enumerator (``3.``, ``（四）``, ``一、``: a row of its own), and nothing else: no digit, each number's cell
    blank. Its text goes to the end of the other's last label. Returns the rows joined.
    """
    joined = 0
    for a, b in zip(items, items[1:]):
        if not (isinstance(a, _Rows) and isinstance(b, _Rows) and b.page == a.page + 1 and a.cells and b.cells):
            continue
        last, first = a.cells[-1], b.cells[0]
        k = next((i for i, c in enumerate(reversed(last)) if not _CELL.match(c) and c), len(last))
        numbers = last[len(last) - k:]
        if k < SPLIT_ROW_MIN_CELLS or k == len(last) or not any(any(ch.isdigit() for ch in c) for c in numbers):
            continue
        if len(first) < k + 1 or any(first[-k:]) or any(ch.isdigit() for c in first for ch in c):
            continue
        text = [c for c in first[:-k] if c]
        if len(text) != 1 or first[-k - 1] != text[0] or _NUMBERED.match(text[0]):
            continue
        last[len(last) - k - 1] = join_cell_text([last[len(last) - k - 1], text[0]])
        a.lines[-1] = render_row(last)
        del b.cells[0], b.lines[0]
        joined += 1
    return joined


def _assemble(items: list[_Line | _Rows]) -> list[str]:
    """Join wrapped lines into paragraphs (also across a page break); tables stay between them."""
    margins = _Margins.of([it for it in items if isinstance(it, _Line)])
    lines: list[str] = []
    prev: _Line | None = None
    for item in items:
        if isinstance(item, _Rows):
            lines.extend(item.lines)
            prev = None
        elif prev is not None and _continues(prev, item, margins):
            lines[-1] = _join_wrapped(lines[-1], _cleaned(item.text))
            prev = item
        else:
            lines.append(item.text if item.ruled else _cleaned(item.text))
            prev = item
    return [ln for ln in lines if ln]


def _pdf_error(exc: Exception) -> str:
    """A plain-words reason for a PDF that cannot be opened."""
    name = type(exc).__name__ + " " + str(exc) + " " + repr(getattr(exc, "args", ""))
    if "password" in name.lower() or "encrypt" in name.lower():
        return "PDF is password-protected; cannot read it without the password"
    return f"PDF is damaged or not a PDF ({type(exc).__name__}: {exc})"


def _quiet_pdfminer() -> None:
    """pdfminer logs a warning for each odd font of a page ("Could not get FontBBox …": hundreds per PDF a
    browser printed) and, with no handler set, Python prints them all on stderr, burying a build's summary
    and a notebook's output. What matters reaches the Document's messages; a level the user set is kept."""
    log = logging.getLogger("pdfminer")
    if log.level == logging.NOTSET:
        log.setLevel(logging.ERROR)


#: Read pages' characters and paths with PDFium (``pdfium_objects``); False: pdfminer reads them all.
USE_PDFIUM = True


def _pdfium_pages(data: bytes, count: int):
    """The PDF opened by PDFium, when it opens and has the pages pdfminer found; else None (pdfminer reads)."""
    if not USE_PDFIUM:
        return None
    try:
        fast = pdfium_objects.open_document(data)
    except Exception:  # PDFium cannot open what pdfminer could: pdfminer reads it, as before
        return None
    if len(fast) != count:
        fast.close()
        return None
    return fast


def _objects_by_pdfium(page, fast, number: int) -> None:
    """Give pdfplumber's ``page`` the objects PDFium read, so that pdfminer need not interpret the page;
    where PDFium's reading is not known to match (``pdfium_objects.page_objects``) or fails, pdfminer reads."""
    if fast is None:
        return
    try:
        fast_page = fast[number - 1]
        try:
            objects = pdfium_objects.page_objects(fast_page, page.initial_doctop)
        finally:
            fast_page.close()
    except Exception:
        return
    if objects is not None:
        page._objects = objects  # pdfplumber's cache of the page's objects: what it would parse


def read_pdf(source: str, data: bytes) -> Document:
    """A PDF report's text layer as a Document; never raises for bad input.

    Tables found from their ruling lines become rows; text outside them
    becomes paragraphs; page numbers are dropped. Tables drawn without lines
    come out as text lines, as in a PDF-to-text conversion, their cells parted by tabs.
    """
    doc = Document(source=source, format="pdf", sha256=sha256_bytes(data))
    _quiet_pdfminer()
    try:
        import pdfplumber

        pdf = pdfplumber.open(io.BytesIO(data))
    except Exception as exc:
        doc.error = _pdf_error(exc)
        return doc
    items: list[_Line | _Rows] = []
    chars, cid_chars, blank_pages, bad_pages, tables = 0, 0, [], [], 0
    with pdf:
        try:
            pages = list(pdf.pages)
        except Exception as exc:
            doc.error = _pdf_error(exc)
            return doc
        fast = _pdfium_pages(data, len(pages))
        for number, page in enumerate(pages, start=1):
            try:
                _objects_by_pdfium(page, fast, number)
                page_chars = [c for c in page.chars if c["text"].strip()]
                if not page_chars:
                    blank_pages.append(number)
                    continue
                chars += len(page_chars)
                page_items = _page_items(page, number)
            except Exception as exc:  # one broken page must not lose the others
                bad_pages.append(f"{number} ({type(exc).__name__})")
                continue
            finally:
                page.close()
            cid_chars += sum(it.text.count("(cid:") for it in page_items if isinstance(it, _Line))
            tables += sum(isinstance(it, _Rows) for it in page_items)
            items.extend(page_items)
        if fast is not None:
            fast.close()
    if bad_pages:
        doc.messages.append(f"page(s) {', '.join(bad_pages)} could not be read")
    if chars == 0:
        doc.error = ("PDF has no text layer (scanned image?); OCR is not supported" if not bad_pages
                     else "no PDF page could be read")
        return doc
    if blank_pages:
        doc.messages.append(f"page(s) {', '.join(map(str, blank_pages))} have no text layer (scanned image?)")
    if tables:
        doc.messages.append(f"{tables} PDF table(s) found from ruling lines, rendered one row per line")
    placed = [it for it in items if isinstance(it, _Line) and it.ruled]
    if placed:
        parted = sum(it.parted for it in placed)
        also = f" and {parted} number(s) parted from their row's label" if parted else ""
        doc.messages.append(f"tables without lines: {sum(it.blanks_placed for it in placed)} blank cell(s) put in"
                            f"{also}, in {len(placed)} row(s), by where their columns stand on the page")
    if cid_chars:
        doc.messages.append(f"{cid_chars} glyphs have no Unicode mapping in the PDF and show as (cid:N)")
        if cid_chars * 2 > chars:
            doc.error = "PDF text layer has no Unicode mapping for most glyphs (shows (cid:N) codes)"
    items = _drop_page_numbers(items)
    split = _join_split_rows(items)
    if split:
        doc.messages.append(f"{split} table row(s) split by a page break joined: the rest of a label, read "
                            "at the top of the next page, put back in its row")
    doc.lines = _assemble(items)
    if not doc.lines and not doc.error:
        doc.error = "PDF holds no text besides page numbers"
    return doc
