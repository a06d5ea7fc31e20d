"""A PDF page's characters, ruling edges and images read with pdfium (pypdfium2), shaped like
pdfplumber's objects so that pdfplumber's own text-line and table algorithms run on them.

Why: pdfplumber parses content streams with pdfminer in pure Python (~0.13 s a page, most of a
document's time); pdfium, which pdfplumber already depends on, does it in C. The keys and
coordinates follow pdfminer's (top measured from the page's top edge, x from the origin to the
advance width, a character as tall as its font size), so the layout code sees the same numbers
either way: tests/test_pdf_reader.py holds both readers to the same text, lines and tables.
Pages pdfium cannot give in that frame (rotated, a crop box off the origin) return None and are
read with pdfplumber."""
from __future__ import annotations

import ctypes
import math
import threading
from dataclasses import dataclass

import pypdfium2 as pdfium
import pypdfium2.raw as R

from models.errors import DocumentError

FONT_NAME_BYTES = 256
MAX_FORM_DEPTH = 8            # nested form XObjects deeper than this are not searched for rulings
UPRIGHT_RADIANS = 0.01        # a character turned less than this is upright text
SAME_BOX_PT = 0.01            # page boxes this close are the same box
SPACE = 0x20
MAYBE_GENERATED = {SPACE, 0x0D, 0x0A}   # the only characters pdfium generates
GENERATED_SPACE_EM = 0.15     # a generated space over a gap this wide (in font sizes) stands for a drawn one
LINE_END_HYPHEN = 0x02        # pdfium's code for a hyphen that ends a line
STRAIGHT_PT = 0.001           # a segment this close to vertical/horizontal is a ruling

# pdfium is not thread-safe; threads of one process (Dask, thread runners) take turns.
LOCK = threading.RLock()


@dataclass
class PageObjects:
    """What pdfplumber's TableFinder and text-line code read from a page: chars, edges, bbox."""
    chars: list[dict]
    edges: list[dict]
    bbox: tuple[float, float, float, float]
    images: int = 0

    @property
    def width(self) -> float:
        return self.bbox[2] - self.bbox[0]

    @property
    def height(self) -> float:
        return self.bbox[3] - self.bbox[1]


def open_document(path) -> "pdfium.PdfDocument | None":
    """The pdfium document, or None when pdfium cannot read it (pdfplumber then reads every page
    and says what is wrong with the file)."""
    with LOCK:
        try:
            return pdfium.PdfDocument(str(path))
        except DocumentError:       # the time limit, not a file pdfium cannot read
            raise
        except Exception:
            return None


def close_document(doc) -> None:
    if doc is not None:
        with LOCK:
            doc.close()


def read_page(doc, index: int, width: float, height: float) -> PageObjects | None:
    """Page `index` (0-based) of `doc`, or None when pdfplumber should read it: the page is
    rotated or its box is not the one pdfplumber measures from (`width` x `height` at 0, 0)."""
    with LOCK:
        page = doc[index]
        try:
            if page.get_rotation() % 360:
                return None
            left, bottom, right, top = page.get_bbox()
            if (abs(left) > SAME_BOX_PT or abs(bottom) > SAME_BOX_PT or abs(right - width) > SAME_BOX_PT
                    or abs(top - height) > SAME_BOX_PT):
                return None
            edges, images = _edges_and_images(page, height)
            textpage = page.get_textpage()
            try:
                chars = _chars(textpage.raw, height)
            finally:
                textpage.close()
            return PageObjects(chars=chars, edges=edges, bbox=(0.0, 0.0, width, height), images=images)
        finally:
            page.close()


def _chars(raw, height: float) -> list[dict]:
    """Drawn characters (pdfium's generated spaces and line breaks left out), each boxed from its
    baseline to one font size above, x from its advance width. The baseline rather than the
    font's descent: descents differ between the fonts of one line (a bullet's symbol font, a bold
    face), and a line must stay one line. Font, size and direction are asked once per text
    object (a run of one font in one matrix): ctypes calls are most of this function's time."""
    out: list[dict] = []
    runs: dict[int, tuple[str, float, bool]] = {}
    rect = R.FS_RECTF()
    ox, oy = ctypes.c_double(), ctypes.c_double()
    name_buf = ctypes.create_string_buffer(FONT_NAME_BYTES)
    pending_space = False
    for i, code in enumerate(_codes(raw)):
        if code in MAYBE_GENERATED and R.FPDFText_IsGenerated(raw, i):
            pending_space = pending_space or code == SPACE
            continue
        if code in (0, 0xFFFE, 0xFFFF):      # GetText blanks some (a line-end hyphen): ask this one
            code = R.FPDFText_GetUnicode(raw, i)
            if code in (0, 0xFFFE, 0xFFFF):
                continue
        obj = R.FPDFText_GetTextObject(raw, i)
        key = ctypes.cast(obj, ctypes.c_void_p).value or 0
        run = runs.get(key)
        if run is None:
            handle = R.FPDFTextObj_GetFont(obj) if obj else None
            n = R.FPDFFont_GetBaseFontName(handle, name_buf, FONT_NAME_BYTES) if handle else 0
            angle = R.FPDFText_GetCharAngle(raw, i)
            run = (name_buf.value.decode("latin-1", "replace") if n else "", R.FPDFText_GetFontSize(raw, i),
                   angle < UPRIGHT_RADIANS or angle > 2 * math.pi - UPRIGHT_RADIANS)
            if key:
                runs[key] = run
        name, size, upright = run
        R.FPDFText_GetLooseCharBox(raw, i, rect)
        R.FPDFText_GetCharOrigin(raw, i, ox, oy)
        bottom = height - oy.value
        top = bottom - size
        x0, x1 = ox.value, max(rect.right, ox.value)     # pdfminer's x: origin to advance
        if pending_space and out:
            _space_between(out, x0)
        pending_space = False
        out.append({"object_type": "char", "text": "-" if code == LINE_END_HYPHEN else chr(code),
                    "fontname": name, "size": size, "x0": x0, "x1": x1, "top": top, "bottom": bottom,
                    "doctop": top, "width": x1 - x0, "height": size, "upright": upright})
    return out


def _codes(raw) -> list[int]:
    """Every character's code point, in one call when the page is all in the BMP (one UTF-16 unit
    a character), else one call a character."""
    n = R.FPDFText_CountChars(raw)
    if n <= 0:
        return []
    buf = (ctypes.c_ushort * (n + 1))()
    if R.FPDFText_GetText(raw, 0, n, buf) == n + 1:
        codes = buf[:n]
        if not any(0xD800 <= c <= 0xDFFF for c in codes):
            return codes
    return [R.FPDFText_GetUnicode(raw, i) for i in range(n)]


def _space_between(out: list[dict], next_x0: float) -> None:
    """pdfium drops some drawn spaces and stands a generated one in their place; a real gap
    (GENERATED_SPACE_EM or wider, on the previous character's line) gets its space back."""
    prev = out[-1]
    if next_x0 - prev["x1"] >= GENERATED_SPACE_EM * prev["size"] and prev["text"] != " ":
        out.append({**prev, "text": " ", "x0": prev["x1"], "x1": next_x0, "width": next_x0 - prev["x1"]})


def _edges_and_images(page, height: float) -> tuple[list[dict], int]:
    """Straight segments of every painted path (in form XObjects too), as pdfplumber's edges."""
    edges: list[dict] = []
    images = 0
    raw = page.raw
    stack = [(R.FPDFPage_GetObject(raw, i), None, 0) for i in range(R.FPDFPage_CountObjects(raw))]
    while stack:
        obj, parent, depth = stack.pop()
        kind = R.FPDFPageObj_GetType(obj)
        if kind == R.FPDF_PAGEOBJ_IMAGE:
            images += 1
        elif kind == R.FPDF_PAGEOBJ_FORM and depth < MAX_FORM_DEPTH:
            m = _compose(_matrix(obj), parent)
            stack.extend((R.FPDFFormObj_GetObject(obj, j), m, depth + 1)
                         for j in range(R.FPDFFormObj_CountObjects(obj)))
        elif kind == R.FPDF_PAGEOBJ_PATH:
            edges.extend(_path_edges(obj, _compose(_matrix(obj), parent), height))
    return edges, images


def _matrix(obj) -> tuple[float, ...]:
    m = R.FS_MATRIX()
    if not R.FPDFPageObj_GetMatrix(obj, m):
        return (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
    return (m.a, m.b, m.c, m.d, m.e, m.f)


def _compose(inner: tuple[float, ...], outer: tuple[float, ...] | None) -> tuple[float, ...]:
    """inner then outer, PDF's row-vector convention."""
    if outer is None:
        return inner
    a, b, c, d, e, f = inner
    A, B, C, D, E, F = outer
    return (a * A + b * C, a * B + b * D, c * A + d * C, c * B + d * D, e * A + f * C + E, e * B + f * D + F)


def _path_edges(obj, m: tuple[float, ...], height: float) -> list[dict]:
    fill, stroke = ctypes.c_int(), ctypes.c_int()
    if R.FPDFPath_GetDrawMode(obj, fill, stroke) and not fill.value and not stroke.value:
        return []            # a path that paints nothing (pdfminer drops these too)
    a, b, c, d, e, f = m
    x, y = ctypes.c_float(), ctypes.c_float()
    subpaths: list[list[tuple[float, float]]] = []
    for i in range(R.FPDFPath_CountSegments(obj)):
        seg = R.FPDFPath_GetPathSegment(obj, i)
        if not R.FPDFPathSegment_GetPoint(seg, x, y):
            continue
        pt = (a * x.value + c * y.value + e, height - (b * x.value + d * y.value + f))
        if R.FPDFPathSegment_GetType(seg) == R.FPDF_SEGMENT_MOVETO or not subpaths:
            subpaths.append([pt])
        else:
            subpaths[-1].append(pt)
        if R.FPDFPathSegment_GetClose(seg) and subpaths[-1][0] != pt:
            subpaths[-1].append(subpaths[-1][0])
    edges = []
    for pts in subpaths:
        for (x0, y0), (x1, y1) in zip(pts, pts[1:]):
            if abs(x1 - x0) < STRAIGHT_PT:
                x1 = x0
            if abs(y1 - y0) < STRAIGHT_PT:
                y1 = y0
            orientation = "v" if x0 == x1 else ("h" if y0 == y1 else None)
            top, bottom = min(y0, y1), max(y0, y1)
            edges.append({"object_type": "curve_edge", "x0": min(x0, x1), "x1": max(x0, x1), "top": top,
                          "bottom": bottom, "doctop": top, "width": abs(x1 - x0), "height": bottom - top,
                          "orientation": orientation})
    return edges
