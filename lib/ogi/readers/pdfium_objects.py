"""A PDF page's characters and drawn paths read by PDFium, as pdfplumber's objects.

pdfplumber finds tables from ruling lines and groups characters into lines; it
gets both from pdfminer, which interprets every page's content stream in
Python: about a second for a ten-page report, nearly all of ``read_pdf``'s
time. PDFium (``pypdfium2``, already installed with pdfplumber) reads the same
page in C++ more than ten times faster. This module turns what PDFium reads
into the dicts pdfplumber keeps in ``page.objects`` (``char``, ``line``,
``rect``, ``curve``), made as pdfminer's layout makes them, so that
pdfplumber's table finder and text lines run unchanged on them.

Characters: PDFium's own line breaks are left out, and so are its inserted
spaces narrower than a space glyph (``_space``); the box is PDFium's loose
box across (as pdfminer's advance box) and the font size up from its bottom
(pdfminer's box is font size high). A glyph with no
Unicode mapping is ``(cid:0)``, as pdfminer prints one, so that the reader's
count of unreadable glyphs still holds. Paths: each subpath becomes a line
(two points), a rectangle (four axis-aligned sides, closed) or a curve (its
points, Bézier control points left out), as in pdfminer's ``paint_path``;
paths inside form XObjects are placed through the forms' matrices.

``page_objects`` returns None where this reading is not known to match
pdfminer's (a rotated page, a media box not at the origin); the caller then
lets pdfminer read that page.
"""

from __future__ import annotations

import ctypes
import math
from typing import Any, Optional

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

# (a, b, c, d, e, f): PDF's affine matrix, a point (x, y) maps to (a x + c y + e, b x + d y + f).
_Matrix = tuple[float, float, float, float, float, float]
_IDENTITY: _Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
_UNMAPPED = "(cid:0)"
_FONT_NAME_BYTES = 256


def open_document(data: bytes) -> pdfium.PdfDocument:
    """The PDF opened by PDFium (raises PdfiumError when it cannot be)."""
    return pdfium.PdfDocument(data)


def page_objects(page: pdfium.PdfPage, doctop: float) -> Optional[dict[str, list[dict[str, Any]]]]:
    """``page``'s characters and paths as pdfplumber's objects (``doctop``: the page's top in the
    document, as pdfplumber counts it); None when pdfminer should read the page instead."""
    if page.get_rotation() % 360:
        return None
    left, bottom, _right, top = page.get_mediabox()
    if abs(left) > 1e-6 or abs(bottom) > 1e-6:
        return None
    height = top  # pdfplumber measures from the media box's top
    objects: dict[str, list[dict[str, Any]]] = {"char": _chars(page, height, doctop)}
    for kind, obj in _paths(page, height, doctop):
        objects.setdefault(kind, []).append(obj)
    return objects


# ---------------------------------------------------------------- characters

def _chars(page: pdfium.PdfPage, height: float, doctop: float) -> list[dict[str, Any]]:
    textpage = page.get_textpage()
    try:
        tp = textpage.raw
        name = ctypes.create_string_buffer(_FONT_NAME_BYTES)
        flags = ctypes.c_int()
        box = pdfium_c.FS_RECTF()
        matrix = pdfium_c.FS_MATRIX()
        out: list[dict[str, Any]] = []
        count = pdfium_c.FPDFText_CountChars(tp)
        i = 0
        gap = False  # PDFium put a space of its own since the last character
        while i < count:
            code = pdfium_c.FPDFText_GetUnicode(tp, i)
            index = i
            i += 1
            if code in (0, 0x0D, 0x0A, 0xFFFE, 0xFFFF):
                continue
            if pdfium_c.FPDFText_IsGenerated(tp, index) == 1:
                gap = gap or code == 0x20
                continue
            if 0xD800 <= code < 0xDC00 and i < count:  # a surrogate pair: one character, two indices
                low = pdfium_c.FPDFText_GetUnicode(tp, i)
                if 0xDC00 <= low < 0xE000:
                    code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                    i += 1
            text = _UNMAPPED if pdfium_c.FPDFText_HasUnicodeMapError(tp, index) == 1 else chr(code)
            if not pdfium_c.FPDFText_GetLooseCharBox(tp, index, box):
                continue
            font_size = pdfium_c.FPDFText_GetFontSize(tp, index)
            if pdfium_c.FPDFText_GetMatrix(tp, index, matrix):
                scale = math.sqrt(abs(matrix.a * matrix.d - matrix.b * matrix.c)) or 1.0
                upright = matrix.a * matrix.d > 0 and matrix.b * matrix.c <= 0  # pdfminer's test
            else:
                scale, upright = 1.0, True
            size = font_size * scale
            if size <= 0:
                size = abs(box.top - box.bottom)
            font = _font_name(tp, index, name, flags)
            x0, x1 = min(box.left, box.right), max(box.left, box.right)
            y0 = min(box.bottom, box.top)
            y1 = y0 + size
            top = height - y1
            if gap and out:
                _space(out, x0, top, size)
            gap = False
            out.append({
                "object_type": "char", "text": text, "fontname": font, "size": size,
                "x0": x0, "x1": x1, "y0": y0, "y1": y1, "top": top, "bottom": height - y0,
                "doctop": doctop + top, "width": x1 - x0, "height": size,
                "upright": upright,
            })
        return out
    finally:
        textpage.close()


def _space(out: list[dict[str, Any]], x0: float, top: float, size: float) -> None:
    """The space PDFium put between the last character and one starting at ``x0``, as pdfminer's space glyph
    would stand: spanning the gap, on the last character's line. PDFium puts one for a space glyph, and also
    for a gap that letter spacing left between two characters, where pdfminer has no space (pdfplumber adds
    one past 3 points). Kept where the gap is about a quarter of the font size or more: a space glyph's
    width (Times 0.25, DejaVu 0.32, CJK fonts' 0.5 em); a letter-spaced line's gaps are narrower."""
    last = out[-1]
    if last["text"] == " " or abs(last["top"] - top) > size / 2 or x0 - last["x1"] < 0.24 * size:
        return
    space = dict(last, text=" ", x0=last["x1"], x1=x0)
    space["width"] = x0 - last["x1"]
    out.append(space)


def _font_name(tp, index: int, buf, flags) -> str:
    """The character's font name, as pdfminer gives it (the base font, with its subset prefix)."""
    n = pdfium_c.FPDFText_GetFontInfo(tp, index, buf, _FONT_NAME_BYTES, ctypes.byref(flags))
    return buf.raw[:min(n, _FONT_NAME_BYTES) - 1].decode("latin-1") if n > 0 else ""


# ---------------------------------------------------------------- paths

def _object_matrix(obj) -> _Matrix:
    m = pdfium_c.FS_MATRIX()
    if not pdfium_c.FPDFPageObj_GetMatrix(obj, m):
        return _IDENTITY
    return (m.a, m.b, m.c, m.d, m.e, m.f)


def _then(inner: _Matrix, outer: _Matrix) -> _Matrix:
    """The matrix applying ``inner`` first, then ``outer``."""
    a, b, c, d, e, f = inner
    A, B, C, D, E, F = outer
    return (a * A + b * C, a * B + b * D, c * A + d * C, c * B + d * D, e * A + f * C + E, e * B + f * D + F)


def _page_path_objects(page: pdfium.PdfPage):
    """(path object, its matrix to page space) for every path on the page, inside forms too."""
    stack = [(page.raw, pdfium_c.FPDFPage_CountObjects, pdfium_c.FPDFPage_GetObject, _IDENTITY, 0)]
    while stack:
        holder, count, get, outer, depth = stack.pop()
        for k in range(count(holder)):
            obj = get(holder, k)
            kind = pdfium_c.FPDFPageObj_GetType(obj)
            if kind == pdfium_c.FPDF_PAGEOBJ_PATH:
                yield obj, _then(_object_matrix(obj), outer)
            elif kind == pdfium_c.FPDF_PAGEOBJ_FORM and depth < 16:
                stack.append((obj, pdfium_c.FPDFFormObj_CountObjects, pdfium_c.FPDFFormObj_GetObject,
                               _then(_object_matrix(obj), outer), depth + 1))


def _paths(page: pdfium.PdfPage, height: float, doctop: float):
    """(kind, pdfplumber object) for every painted subpath of the page."""
    fill = ctypes.c_int()
    stroke = ctypes.c_int()
    x = ctypes.c_float()
    y = ctypes.c_float()
    for obj, m in _page_path_objects(page):
        if not pdfium_c.FPDFPath_GetDrawMode(obj, ctypes.byref(fill), ctypes.byref(stroke)):
            continue
        if not fill.value and not stroke.value:
            continue
        subpaths: list[tuple[str, list[tuple[float, float]]]] = []
        shape, pts = "", []
        n = pdfium_c.FPDFPath_CountSegments(obj)
        k = 0
        while k < n:
            seg = pdfium_c.FPDFPath_GetPathSegment(obj, k)
            kind = pdfium_c.FPDFPathSegment_GetType(seg)
            if kind == pdfium_c.FPDF_SEGMENT_BEZIERTO:  # two control points, then the end point
                k += 2
                seg = pdfium_c.FPDFPath_GetPathSegment(obj, min(k, n - 1))
            if not pdfium_c.FPDFPathSegment_GetPoint(seg, ctypes.byref(x), ctypes.byref(y)):
                k += 1
                continue
            a, b, c, d, e, f = m
            pt = (a * x.value + c * y.value + e, b * x.value + d * y.value + f)
            if kind == pdfium_c.FPDF_SEGMENT_MOVETO:
                if shape:
                    subpaths.append((shape, pts))
                shape, pts = "m", [pt]
            else:
                if not shape:  # a path must begin with a move; pdfminer drops one that does not
                    shape, pts = "m", [pt]
                else:
                    shape += "c" if kind == pdfium_c.FPDF_SEGMENT_BEZIERTO else "l"
                    pts.append(pt)
            if pdfium_c.FPDFPathSegment_GetClose(seg) and shape:
                shape += "h"
                pts.append(pts[0])
            k += 1
        if shape:
            subpaths.append((shape, pts))
        for shape, pts in subpaths:
            made = _layout_object(shape, pts, height, doctop, bool(stroke.value), bool(fill.value))
            if made is not None:
                yield made


def _layout_object(shape: str, pts: list[tuple[float, float]], height: float, doctop: float,
                   stroke: bool, fill: bool) -> Optional[tuple[str, dict[str, Any]]]:
    """One subpath as pdfminer's layout makes it: a line, a rectangle or a curve."""
    if len(pts) < 2:
        return None
    if len(shape) > 3 and shape[-2:] == "lh" and pts[-2] == pts[0]:  # a redundant side before the close
        shape = shape[:-2] + "h"
        pts = pts[:-2] + pts[-1:]
    kind = "curve"
    if shape in ("mlh", "ml"):
        kind, pts = "line", pts[:2]
    elif shape in ("mlllh", "mllll"):
        (x0, y0), (x1, y1), (x2, y2), (x3, y3), last = pts
        square = (x0 == x1 and y1 == y2 and x2 == x3 and y3 == y0) or (y0 == y1 and x1 == x2 and y2 == y3 and x3 == x0)
        if pts[0] == last and square:
            kind = "rect"
    xs = [p[0] for p in pts]
    ys = [p[1] for p in pts]
    left, right, low, high = min(xs), max(xs), min(ys), max(ys)
    top = height - high
    obj: dict[str, Any] = {
        "object_type": kind, "x0": left, "x1": right, "y0": low, "y1": high, "top": top,
        "bottom": height - low, "doctop": doctop + top, "width": right - left, "height": high - low,
        "stroke": stroke, "fill": fill,
        "pts": [(px, height - py) for px, py in pts],
    }
    return kind, obj
