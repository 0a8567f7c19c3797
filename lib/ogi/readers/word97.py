"""Legacy Word (.doc, Word 97–2003; also WPS's .wps) reports as a Document.

Many agencies attach the report as a ``.doc``, and WPS Office saves the same
binary format. ``olefile`` opens the OLE2 container; the text comes from the
piece table ([MS-DOC] 2.4.1), and table rows from paragraph properties: a
cell ends with ``\\x07``, and the paragraph flagged as a row's end
(``sprmPFTtp``) closes the row and carries its cell layout
(``sprmTDefTable``), which says which cells continue a merge. Tables are then
rendered exactly as the .docx reader renders them: a cell continued from the
row above is left out (HTML's rowspan) and a blank cell spanning n columns
stands as n blank cells.

Not read, as in .docx: headers, footers, footnotes, comments, text boxes.
"""

from __future__ import annotations

import bisect
import re
import struct
from dataclasses import dataclass

from .document import Document, clean_text, join_cell_text, render_row, sha256_bytes
from .office import finish_word

_WORD_IDENT = 0xA5EC
_PAGE = 512  # a page of paragraph or character properties (an FKP)
_CELL_MARK = "\x07"
_PARAGRAPH_ENDS = frozenset("\r\x07\x0c")  # paragraph, cell or row end, page or section break
_PARAGRAPH_END = re.compile("[\r\x07\x0c]")
# Characters that stand for an object, not text: a picture, a drawn object, a note or comment
# reference, a footnote separator.
_OBJECTS = dict.fromkeys(map(ord, "\x01\x02\x03\x04\x05\x08"), None)
_OBJECTS.update({0x0B: "\n", 0x0E: "\n", 0x1E: "-", 0x1F: None, 0x09: "\t"})  # line and column breaks, hyphens
_FIELD_BEGIN, _FIELD_SEPARATOR, _FIELD_END = "\x13", "\x14", "\x15"

# Paragraph properties (sprm opcodes) that place a paragraph in a table.
_SPRM_IN_TABLE = 0x2416        # sprmPFInTable: the paragraph is inside a table cell
_SPRM_TTP = 0x2417             # sprmPFTtp: the paragraph is a table row's end mark
_SPRM_ITAP = 0x6649            # sprmPItap: table depth (0 outside tables)
_SPRM_INNER_CELL = 0x244B      # sprmPFInnerTableCell: ends a cell of a nested table
_SPRM_INNER_TTP = 0x244C       # sprmPFInnerTtp: ends a row of a nested table
_SPRM_TDEF_TABLE = 0xD608      # sprmTDefTable: the row's cell boundaries and merge flags
_SPRM_CHG_TABS = 0xC615        # sprmPChgTabs: its own size rule
_SPRM_DELETED = 0x0800         # sprmCFRMarkDel: a tracked deletion, still in the file
_SPRM_VANISH = 0x083C          # sprmCFVanish: hidden text
_SPRM_HUGE_PAPX = 0x6646       # sprmPHugePapx: the properties are too big for the page; they are in the Data stream
_OPERAND_SIZE = {0: 1, 1: 1, 2: 2, 3: 4, 4: 2, 5: 2, 7: 3}  # by the opcode's top three bits (spra)
# TC80 flags: a legacy horizontal merge's continuation, a vertical merge, the first cell of one.
_TC_MERGED, _TC_VERT_MERGE, _TC_VERT_RESTART = 0x0002, 0x0020, 0x0040


@dataclass(frozen=True)
class _Paragraph:
    """What the properties of one run of paragraphs say about tables.

    A cell of the outermost table ends with ``\\x07``; a nested table's cells and rows end with a
    paragraph mark flagged as such. A row's end mark carries the row's layout.
    """
    depth: int = 0                    # table depth: 0 outside tables
    cell_end: bool = False            # ends a nested table's cell
    row_end: bool = False
    bounds: tuple[int, ...] = ()      # cell boundaries in twips, for a row end
    continued: tuple[bool, ...] = ()  # per cell: continues a merge from the left or from above


_OUTSIDE = _Paragraph()


class _Unreadable(Exception):
    """The file is an OLE2 container but not a Word document this reader can read; the reason.
    ``other_format``: it holds another kind of document (a workbook, slides), not a damaged one."""

    def __init__(self, reason: str, other_format: bool = False) -> None:
        super().__init__(reason)
        self.other_format = other_format


def _u16(data: bytes, at: int) -> int:
    return struct.unpack_from("<H", data, at)[0]


def _u32(data: bytes, at: int) -> int:
    return struct.unpack_from("<I", data, at)[0]


def _other_kind(ole) -> str:
    """Name an OLE2 file that holds no Word document, for the error message."""
    if ole.exists("Workbook") or ole.exists("Book"):
        return "a legacy Excel workbook (.xls), not a report document"
    if ole.exists("PowerPoint Document"):
        return "a legacy PowerPoint file (.ppt), not a report document"
    if ole.exists("EncryptedPackage"):
        return "a password-protected Office document; not read"
    return "an OLE2 file that holds no Word document"


@dataclass(frozen=True)
class _Fib:
    """What the File Information Block says: the main text's length and where its tables are."""
    ccp_text: int
    table_stream: str
    clx: tuple[int, int]     # (offset, length) in the table stream: the piece table
    papx: tuple[int, int]    # paragraph properties' page table
    chpx: tuple[int, int]    # character properties' page table


def _fib(wd: bytes) -> _Fib:
    """The FIB at the start of the WordDocument stream ([MS-DOC] 2.5.1), or why it cannot be read."""
    if len(wd) < 68 or _u16(wd, 0) != _WORD_IDENT:
        raise _Unreadable("not a Word 97-2003 document (no Word header)")
    n_fib, flags = _u16(wd, 2), _u16(wd, 0x0A)
    if flags & 0x0100:
        raise _Unreadable("password-protected Word document; not read")
    if n_fib < 0x00C1 and n_fib != 0:
        raise _Unreadable(f"Word 6/95 document (nFib {n_fib:#x}); save it as .docx to read it")
    csw = _u16(wd, 32)
    lw = 34 + 2 * csw + 2            # FibRgLw97
    cslw = _u16(wd, lw - 2)
    fc_lcb = lw + 4 * cslw + 2      # FibRgFcLcb97: (offset, length) pairs

    def pair(index: int) -> tuple[int, int]:
        return _u32(wd, fc_lcb + 8 * index), _u32(wd, fc_lcb + 8 * index + 4)

    if fc_lcb + 8 * 34 > len(wd):
        raise _Unreadable("truncated Word document (header cut short)")
    return _Fib(ccp_text=_u32(wd, lw + 12), table_stream="1Table" if flags & 0x0200 else "0Table",
                clx=pair(33), papx=pair(13), chpx=pair(12))


def _pieces(table: bytes, where: tuple[int, int]) -> list[tuple[int, int, int, bool]]:
    """The piece table: ``(first CP, last CP + 1, file offset, compressed)`` per piece."""
    clx, at = table[where[0]:where[0] + where[1]], 0
    while at < len(clx) and clx[at] == 0x01:   # Prc: property modifiers of fast-saved pieces, skipped
        at += 3 + _u16(clx, at + 1)
    if at + 5 > len(clx) or clx[at] != 0x02:
        raise _Unreadable("damaged Word document (no piece table)")
    lcb = _u32(clx, at + 1)
    plc = clx[at + 5:at + 5 + lcb]
    n = (len(plc) - 4) // 12
    if n < 1:
        raise _Unreadable("damaged Word document (empty piece table)")
    cps = struct.unpack_from(f"<{n + 1}I", plc, 0)
    pieces = []
    for i in range(n):
        fc = _u32(plc, 4 * (n + 1) + 8 * i + 2)
        compressed = bool(fc & 0x40000000)
        pieces.append((cps[i], cps[i + 1], (fc & 0x3FFFFFFF) // 2 if compressed else fc, compressed))
    return pieces


def _sprms(grpprl: bytes):
    """``(opcode, operand)`` for each property in a grpprl."""
    at = 0
    while at + 2 <= len(grpprl):
        op = _u16(grpprl, at)
        at += 2
        spra = op >> 13
        if spra != 6:
            size = _OPERAND_SIZE[spra]
        elif op == _SPRM_TDEF_TABLE:
            if at + 2 > len(grpprl):
                return
            size = 2 + max(0, _u16(grpprl, at) - 1)
        elif op == _SPRM_CHG_TABS and at < len(grpprl) and grpprl[at] == 255:
            return                  # a rare tab layout whose size needs its own parse: no table property follows
        else:
            if at >= len(grpprl):
                return
            size = 1 + grpprl[at]
        yield op, grpprl[at:at + size]
        at += size


def _row_layout(operand: bytes) -> tuple[tuple[int, ...], tuple[bool, ...]]:
    """Cell boundaries and merge continuations of a row, from sprmTDefTable's operand."""
    if len(operand) < 3:
        return (), ()
    count = operand[2]
    need = 3 + 2 * (count + 1)
    if count == 0 or len(operand) < need:
        return (), ()
    bounds = struct.unpack_from(f"<{count + 1}h", operand, 3)
    continued = []
    for i in range(count):
        at = need + 20 * i
        flags = _u16(operand, at) if at + 2 <= len(operand) else 0   # TCs may be left out: defaults
        continued.append(bool(flags & _TC_MERGED) or (bool(flags & _TC_VERT_MERGE) and not flags & _TC_VERT_RESTART))
    return tuple(bounds), tuple(continued)


def _huge(operand: bytes, data_stream: bytes) -> bytes:
    """The properties a sprmPHugePapx points to in the Data stream (a wide table's row layout)."""
    if len(operand) != 4:
        return b""
    at = _u32(operand, 0)
    if at + 2 > len(data_stream):
        return b""
    return data_stream[at + 2:at + 2 + _u16(data_stream, at)]


def _paragraph(grpprl: bytes, data_stream: bytes = b"") -> _Paragraph:
    """What a paragraph's properties (after its style index) say about tables."""
    in_table = row_end = inner_cell = inner_row_end = False
    depth = 0
    bounds: tuple[int, ...] = ()
    continued: tuple[bool, ...] = ()
    sprms = list(_sprms(grpprl))
    for op, operand in sprms[:]:
        if op == _SPRM_HUGE_PAPX:
            sprms.extend(_sprms(_huge(operand, data_stream)))
    for op, operand in sprms:
        flag = bool(operand) and operand[0] != 0
        if op == _SPRM_IN_TABLE:
            in_table = flag
        elif op == _SPRM_ITAP and len(operand) == 4:
            depth = min(_u32(operand, 0), 64)
        elif op == _SPRM_TTP:
            row_end = flag
        elif op == _SPRM_INNER_CELL:
            inner_cell = flag
        elif op == _SPRM_INNER_TTP:
            inner_row_end = flag
        elif op == _SPRM_TDEF_TABLE:
            bounds, continued = _row_layout(operand)
    depth = depth or (1 if in_table or row_end else 0)   # Word 97 files without sprmPItap
    if not depth:
        return _OUTSIDE
    if depth > 1:
        row_end, inner_cell = inner_row_end, inner_cell and not inner_row_end
    return _Paragraph(depth, inner_cell, row_end, bounds, continued)


def _fkp_pages(wd: bytes, table: bytes, where: tuple[int, int], entry: int):
    """The property pages (FKPs) a page table points to: ``(page, run count, run boundaries)`` each;
    ``entry`` is the size of a run's entry after the boundaries (13 for paragraphs, 1 for characters)."""
    plc = table[where[0]:where[0] + where[1]]
    n = (len(plc) - 4) // 8
    for i in range(max(0, n)):
        pn = _u32(plc, 4 * (n + 1) + 4 * i) & 0x3FFFFF
        page = wd[pn * _PAGE:(pn + 1) * _PAGE]
        if len(page) < _PAGE:
            continue
        crun = page[_PAGE - 1]
        if 4 * (crun + 1) + entry * crun > _PAGE - 1:
            continue
        yield page, crun, struct.unpack_from(f"<{crun + 1}I", page, 0)


def _paragraph_runs(wd: bytes, table: bytes, data_stream: bytes,
                    where: tuple[int, int]) -> tuple[list[int], list[_Paragraph]]:
    """Paragraph properties by file offset: the end offsets of runs (sorted) and each run's properties."""
    ends: list[int] = []
    props: list[_Paragraph] = []
    cache: dict[bytes, _Paragraph] = {}
    for page, crun, fcs in _fkp_pages(wd, table, where, 13):
        for r in range(crun):
            offset = 2 * page[4 * (crun + 1) + 13 * r]
            grpprl = b""
            if offset:
                cb = page[offset]
                grpprl = page[offset + 2:offset + 2 + 2 * page[offset + 1]] if cb == 0 else page[offset + 1:offset + 2 * cb]
            para = cache.get(grpprl)
            if para is None:
                para = cache[grpprl] = _paragraph(grpprl[2:], data_stream)   # after the style index (istd)
            ends.append(fcs[r + 1])
            props.append(para)
    order = sorted(range(len(ends)), key=ends.__getitem__)
    return [ends[i] for i in order], [props[i] for i in order]


def _hidden(grpprl: bytes) -> bool:
    """Character properties that keep text from the page: a tracked deletion, or hidden text."""
    for op, operand in _sprms(grpprl):
        if op in (_SPRM_DELETED, _SPRM_VANISH) and operand and operand[0] in (1, 0x81):
            return True
    return False


def _hidden_runs(wd: bytes, table: bytes, where: tuple[int, int]) -> list[tuple[int, int]]:
    """File offset ranges ``[start, end)`` of characters that are deleted revisions or hidden, sorted."""
    runs = []
    for page, crun, fcs in _fkp_pages(wd, table, where, 1):
        for r in range(crun):
            offset = 2 * page[4 * (crun + 1) + r]
            if offset and _hidden(page[offset + 1:offset + 1 + page[offset]]):
                runs.append((fcs[r], fcs[r + 1]))
    return sorted(runs)


def _main_text(wd: bytes, pieces, ccp_text: int, hidden: list[tuple[int, int]]):
    """The main document's shown characters: ``(text, file offset of its first char, bytes per char)`` for each
    stretch. Of hidden text only the paragraph, cell and row ends are kept, so that tables keep their shape."""
    for cp_first, cp_end, fc, compressed in pieces:
        if cp_first >= ccp_text:
            break
        count = min(cp_end, ccp_text) - cp_first
        width = 1 if compressed else 2
        raw = wd[fc:fc + width * count]
        text = raw.decode("cp1252", errors="replace") if compressed else raw.decode("utf-16-le", errors="replace")
        shown = 0       # characters before this are yielded
        end_fc = fc + width * len(text)
        for start, end in hidden[max(0, bisect.bisect_right(hidden, (fc, fc)) - 1):]:
            if start >= end_fc:
                break
            first, last = max(0, (start - fc) // width), min(len(text), -(-(end - fc) // width))
            if last <= shown or first >= last:
                continue
            first = max(first, shown)
            if first > shown:
                yield text[shown:first], fc + width * shown, width
            for i in range(first, last):
                if text[i] in _PARAGRAPH_ENDS:
                    yield text[i], fc + width * i, width
            shown = last
        if shown < len(text):
            yield text[shown:], fc + width * shown, width


def _without_field_codes(text: str, depth: list[int]) -> str:
    """Drop field instructions (between a field's begin and separator), keep their results; ``depth`` carries
    the open fields, as a stack of 'in the code part' flags, across pieces."""
    if not depth and _FIELD_BEGIN not in text:
        return text
    out = []
    for ch in text:
        if ch == _FIELD_BEGIN:
            depth.append(1)
        elif ch == _FIELD_SEPARATOR and depth:
            depth[-1] = 0
        elif ch == _FIELD_END and depth:
            depth.pop()
        elif not any(depth):
            out.append(ch)
    return "".join(out)


_Cell = list  # a cell's paragraphs (str) and the lines of tables nested in it (list[str]), in order
_Row = tuple  # (cells, the row end's properties)


def _grid(rows: list[_Row]) -> dict[int, int]:
    """The table's grid: every cell boundary of its rows, each mapped to its column index."""
    return {b: i for i, b in enumerate(sorted({b for _, p in rows for b in p.bounds}))}


def _is_layout(cells: list[_Cell]) -> bool:
    """A row with a cell holding both text and a table is page layout, not data (a web page's frame around
    the report), as in the .docx reader."""
    return any(any(isinstance(item, list) for item in cell) and any(isinstance(item, str) and item.strip()
                                                                     for item in cell) for cell in cells)


def _layout_lines(cells: list[_Cell]) -> list[str]:
    """A layout row's paragraphs and tables, read in order, as lines of the page."""
    lines: list[str] = []
    for cell in cells:
        for item in cell:
            if isinstance(item, list):
                lines.extend(item)
            else:
                lines.extend(line for line in map(clean_text, item.split("\n")) if line)
    return lines


def _table_lines(rows: list[_Row]) -> list[str]:
    """One table's rows as ``render_row`` lines, merged cells as the .docx reader renders them; the lines
    of tables nested in a row follow it."""
    grid = _grid(rows)
    lines = []
    for cells, para in rows:
        if _is_layout(cells):
            lines.extend(_layout_lines(cells))
            continue
        known = len(para.continued) == len(cells) and len(para.bounds) == len(cells) + 1
        out: list[str] = []
        after: list[str] = []       # the lines of tables nested in the row follow it
        for i, cell in enumerate(cells):
            after.extend(line for item in cell if isinstance(item, list) for line in item)
            if known and para.continued[i]:
                continue
            text = join_cell_text([item for item in cell if isinstance(item, str)])
            span = grid[para.bounds[i + 1]] - grid[para.bounds[i]] if known else 1
            out.extend([text] if text else [""] * max(1, span))
        if any(out):
            lines.append(render_row(out))
        lines.extend(after)
    return lines


class _Table:
    """A table being read: its finished rows, the open row's cells, the open cell's paragraphs and tables."""

    def __init__(self) -> None:
        self.rows: list[_Row] = []
        self.cells: list[_Cell] = []
        self.cell: _Cell = []

    def add(self, text: str, para: _Paragraph, cell_mark: bool) -> None:
        if para.row_end:
            if self.cell or text.strip():     # text before a row's end mark: a cell left open
                self.cells.append(self.cell + [text])
            self.rows.append((self.cells, para))
            self.cells, self.cell = [], []
            return
        self.cell.append(text)
        if para.cell_end or (cell_mark and para.depth == 1):
            self.cells.append(self.cell)
            self.cell = []

    def lines(self) -> list[str]:
        if self.cells or self.cell:           # a row never closed: keep its text
            self.rows.append((self.cells + [self.cell], _OUTSIDE))
        return _table_lines(self.rows)


def _lines(wd: bytes, fib: _Fib, pieces, hidden: list[tuple[int, int]], ends: list[int],
           props: list[_Paragraph]) -> tuple[list[str], int]:
    """Body paragraphs and table rows in document order, and the number of tables."""
    lines: list[str] = []
    open_tables: list[_Table] = []     # the table at each depth, outermost first
    tables = 0
    current: list[str] = []            # the open paragraph's text
    fields: list[int] = []

    def close_to(depth: int) -> None:
        nonlocal tables
        while len(open_tables) > depth:
            table_lines = open_tables.pop().lines()
            tables += 1
            if open_tables:
                open_tables[-1].cell.append(table_lines)
            else:
                lines.extend(table_lines)

    for text, fc, width in _main_text(wd, pieces, fib.ccp_text, hidden):
        start = 0
        for end in _PARAGRAPH_END.finditer(text):
            i, ch = end.start(), end.group()
            current.append(text[start:i])
            start = i + 1
            at = bisect.bisect_right(ends, fc + width * i)
            para = props[at] if at < len(props) else _OUTSIDE
            paragraph = _without_field_codes("".join(current), fields).translate(_OBJECTS)
            current = []
            if any(fields):     # an instruction never ends within its paragraph: a damaged field; show the rest
                fields[:] = [0] * len(fields)
            close_to(para.depth)
            if para.depth:
                while len(open_tables) < para.depth:
                    open_tables.append(_Table())
                open_tables[-1].add(paragraph, para, ch == _CELL_MARK)
            else:
                lines.extend(line for line in map(clean_text, paragraph.split("\n")) if line)
        current.append(text[start:])
    close_to(0)
    tail = clean_text(_without_field_codes("".join(current), fields).translate(_OBJECTS))
    if tail:
        lines.append(tail)
    return lines, tables


def read_doc(source: str, data: bytes) -> Document:
    """A legacy Word (.doc) or WPS report as a Document; never raises for bad input."""
    doc = Document(source=source, format="doc", sha256=sha256_bytes(data))
    try:
        import olefile

        with olefile.OleFileIO(data) as ole:
            if not ole.exists("WordDocument"):
                raise _Unreadable(_other_kind(ole), other_format=not ole.exists("EncryptedPackage"))
            wd = ole.openstream("WordDocument").read()
            fib = _fib(wd)
            if not ole.exists(fib.table_stream):
                raise _Unreadable(f"damaged Word document (no {fib.table_stream} stream)")
            table = ole.openstream(fib.table_stream).read()
            data_stream = ole.openstream("Data").read() if ole.exists("Data") else b""
        pieces = _pieces(table, fib.clx)
        ends, props = _paragraph_runs(wd, table, data_stream, fib.papx)
        lines, tables = _lines(wd, fib, pieces, _hidden_runs(wd, table, fib.chpx), ends, props)
    except _Unreadable as exc:
        doc.error = str(exc)
        if exc.other_format:
            doc.format = "binary"
        return doc
    except Exception as exc:  # olefile and struct raise many kinds for a damaged container
        doc.error = f"not a readable .doc ({type(exc).__name__}: {exc})"
        return doc
    doc.messages.append("legacy Word (.doc) document read from its piece table")
    return finish_word(doc, lines, tables)
