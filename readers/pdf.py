"""PDF -> Document with pdfplumber: each PDF opened once, each page parsed once and closed."""
from __future__ import annotations

import functools
import statistics
import zlib
from pathlib import Path

import pdfplumber
from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
from pdfminer.psparser import PSException
from pdfminer.pdftypes import LITERALS_FLATE_DECODE, resolve1
from pdfplumber.table import TableFinder, TableSettings
from pdfplumber.utils.exceptions import MalformedPDFException, PdfminerException
from pdfplumber.utils.text import chars_to_textmap

from models.document import Block, Document, Paragraph, Table, readable
from models.enums import ErrorType
from models.errors import DocumentError
from readers import pdfium_page
from readers.layout import BULLET_RE, clean_text, merge_continued_tables, split_furniture
from readers.ocr import mend_glued_signs, ocr_page
from models.settings import Settings

BOLD_MARKERS = ("bold", "black", "heavy", "semibold", "demi")
BOLD_SHARE = 0.6              # a line is bold when this share of its letters is
HEADING_EXTRA_PT = 1.8        # a line this much larger than body text is a heading
COLUMN_GAP_EM = 1.5           # a gap this many font sizes wide separates columns
WORD_GAP_EM = 0.15            # ... and a gap this wide separates words
TABLE_SETTINGS = TableSettings.resolve({"vertical_strategy": "lines", "horizontal_strategy": "lines"})


@functools.lru_cache(maxsize=512)
def _is_bold(fontname: str) -> bool:
    f = fontname.lower()
    return any(m in f for m in BOLD_MARKERS)


def _inner(e: BaseException) -> BaseException:
    """pdfplumber wraps pdfminer's errors; the wrapped one says what happened."""
    while isinstance(e, (PdfminerException, MalformedPDFException)) and e.args and isinstance(e.args[0], BaseException):
        e = e.args[0]
    return e


def read_pdf(path: Path, doc_id: str, settings: Settings) -> Document:
    """pdfplumber opens the file (its errors say what is wrong with a broken one) and reads the
    pages pdfium cannot; pdfium reads the characters and rulings of the others, ~10x faster."""
    try:
        pdf = pdfplumber.open(path)
    except Exception as e:  # pdfminer raises many unrelated types for broken files
        inner = _inner(e)
        if isinstance(inner, DocumentError):
            raise inner from None
        if isinstance(inner, (PDFPasswordIncorrect, PDFEncryptionError)) or "password" in str(inner).lower():
            raise DocumentError(ErrorType.ENCRYPTED, f"{path.name} is an encrypted PDF") from e
        raise DocumentError(ErrorType.CORRUPT, f"{path.name} is not a readable PDF ({_why(inner)})") from e
    fast = pdfium_page.open_document(path) if settings.pdfium else None
    try:
        return _read(pdf, fast, path, doc_id, settings)
    finally:
        pdfium_page.close_document(fast)
        _close(pdf)


def _close(pdf) -> None:
    """Closing re-reads a broken page tree and may raise again; that must not hide our error."""
    try:
        pdf.close()
    except Exception:
        stream = getattr(pdf, "stream", None)
        if stream is not None:
            try:
                stream.close()
            except Exception:
                pass


def _read(pdf, fast, path: Path, doc_id: str, settings: Settings) -> Document:
    try:
        n_pages = len(pdf.pages)
    except DocumentError:
        raise
    except Exception as e:
        if isinstance(_inner(e), DocumentError):
            raise _inner(e) from None
        raise DocumentError(ErrorType.CORRUPT, f"{path.name} has no readable page tree ({_why(_inner(e))})") from e
    if n_pages == 0:
        raise DocumentError(ErrorType.EMPTY, f"{path.name} has no pages")
    if n_pages > settings.max_pages:
        raise DocumentError(ErrorType.TOO_LARGE,
                            f"{path.name} has {n_pages} pages, over the limit of {settings.max_pages}")
    title = str((pdf.metadata or {}).get("Title") or "")
    blocks: list[Block] = []
    heights: dict[int, float] = {}
    image_pages: list[int] = []
    text_pages = 0
    for i, page in enumerate(pdf.pages, start=1):
        try:
            heights[i] = float(page.height)
            objects = _pdfium_objects(fast, page, i)
            page_blocks = _read_page(objects or page, i)
            if page_blocks:
                text_pages += 1
            elif (objects.images if objects else page.images):
                image_pages.append(i)
                if settings.ocr:
                    page_blocks = ocr_page(page, i, settings)
            blocks.extend(page_blocks)
        except DocumentError:
            raise
        except (PSException, PdfminerException, MalformedPDFException, ValueError, KeyError, TypeError,
                AttributeError, IndexError, AssertionError, ZeroDivisionError, OverflowError) as e:
            inner = _inner(e)
            if isinstance(inner, (DocumentError, MemoryError)):   # the time limit fired, or the memory cap
                raise inner from None                             # was hit, inside pdfminer, which wrapped it
            raise DocumentError(ErrorType.CORRUPT, f"{path.name} page {i} cannot be parsed ({_why(inner)})") from e
        finally:
            page.close()  # drops the page's parsed objects: memory stays flat on long files
    if text_pages == 0 and image_pages and not settings.ocr:
        raise DocumentError(ErrorType.NO_TEXT, f"{path.name} has only images ({len(image_pages)} scanned pages)")
    if image_pages and settings.ocr:
        mend_glued_signs([b for b in blocks if isinstance(b, Paragraph) and b.page in image_pages])
    body, furniture = split_furniture(blocks, heights)
    body = merge_continued_tables(body)
    return Document(doc_id=doc_id, source=readable(path), file_name=readable(path.name), format="pdf",
                    pages=n_pages, blocks=body, furniture=furniture, title=title,
                    ocr=bool(image_pages) and settings.ocr)


def _why(e: Exception) -> str:
    msg = str(e).strip().splitlines()[0][:120] if str(e).strip() else ""
    return f"{type(e).__name__}: {msg}" if msg else type(e).__name__


def _pdfium_objects(fast, page, page_no: int) -> "pdfium_page.PageObjects | None":
    """The page's objects from pdfium, or None to let pdfplumber parse it (no pdfium document,
    a page pdfium cannot map to pdfplumber's coordinates, or one it fails on)."""
    if fast is None or tuple(page.bbox[:2]) != (0, 0) or not _content_intact(page):
        return None
    try:
        return pdfium_page.read_page(fast, page_no - 1, float(page.width), float(page.height))
    except DocumentError:           # the time limit fired inside pdfium's reading: not a fallback case
        raise
    except Exception:
        return None


def _content_intact(page) -> bool:
    """Whether the page's compressed content streams inflate cleanly. pdfium reads a damaged
    stream on and turns it into garbage text; pdfminer then fails and says the page is corrupt."""
    try:
        for ref in page.page_obj.contents:
            stream = resolve1(ref)
            filters = stream.get_filters()
            if not filters or filters[0][0] not in LITERALS_FLATE_DECODE:
                continue
            data = stream.rawdata
            if data is None:
                continue
            if stream.decipher:
                data = stream.decipher(stream.objid, stream.genno, data, stream.attrs)
            zlib.decompress(data)
    except DocumentError:
        raise
    except Exception:
        return False
    return True


def _read_page(page, page_no: int) -> list[Block]:
    """One page from its chars and edges; `page` is a pdfplumber page or pdfium's PageObjects."""
    chars = page.chars
    if not chars:
        return []
    tables: list[Table] = []
    boxes: list[tuple[float, float, float, float]] = []
    if page.edges:   # ruled tables only where there are rulings
        for t in TableFinder(page, TABLE_SETTINGS).tables:
            rows = [[clean_text(c or "").replace(" \n", "\n") for c in row] for row in t.extract()]
            rows = [r for r in rows if any(c.strip() for c in r)]
            if len(rows) >= 2 and max(len(r) for r in rows) >= 2:
                x0, top, x1, bottom = t.bbox
                tables.append(Table(rows=rows, page=page_no, row_pages=[page_no] * len(rows), x0=x0, top=top))
                boxes.append((x0, top, x1, bottom))
    if boxes:
        chars = [c for c in chars if not _inside(c, boxes)]
    textmap = chars_to_textmap(chars, layout_bbox=page.bbox, layout_width=page.width, layout_height=page.height)
    lines = textmap.extract_text_lines(strip=True, return_chars=True) if chars else []
    sizes = [c["size"] for ln in lines for c in ln["chars"] if c["text"].strip()]
    body_size = statistics.median(sizes) if sizes else 0
    blocks: list[Block] = []
    for ln in lines:
        text = clean_text(ln["text"])
        if not text:
            continue
        letters = [c for c in ln["chars"] if c["text"].strip()]
        bold = sum(_is_bold(c["fontname"]) for c in letters) >= BOLD_SHARE * max(1, len(letters))
        size = statistics.median(c["size"] for c in letters) if letters else body_size
        heading = 1 if body_size and size >= body_size + HEADING_EXTRA_PT else 0
        bullet = bool(BULLET_RE.match(text))
        blocks.append(Paragraph(text=text, page=page_no, bold=bold, heading=heading, bullet=bullet,
                                x0=float(ln["x0"]), x1=float(ln["x1"]), top=float(ln["top"]), height=float(size),
                                segments=_segments(letters, ln["chars"], size)))
    blocks.extend(tables)
    blocks.sort(key=lambda b: (b.top, b.x0))
    return blocks


def _segments(letters, chars, size: float) -> list[tuple[float, str]]:
    """Split a visual line where a gap wider than COLUMN_GAP_EM shows a column boundary."""
    if not letters:
        return []
    segs: list[list] = []
    prev_x1 = None
    for c in chars:
        gap = c["x0"] - prev_x1 if prev_x1 is not None else None
        if gap is None or gap > COLUMN_GAP_EM * size:
            segs.append([c["x0"], ""])
        elif gap > WORD_GAP_EM * size and not segs[-1][1].endswith(" "):
            segs[-1][1] += " "
        segs[-1][1] += c["text"]
        if c["text"].strip():
            prev_x1 = c["x1"]
    out = [(float(x), clean_text(t)) for x, t in segs]
    return [(x, t) for x, t in out if t]


def _inside(obj, boxes) -> bool:
    cx = (obj.get("x0", 0) + obj.get("x1", 0)) / 2
    cy = (obj.get("top", 0) + obj.get("bottom", 0)) / 2
    return any(x0 <= cx <= x1 and top <= cy <= bottom for x0, top, x1, bottom in boxes)
