"""OCR of image-only PDF pages with tesseract (Debian's tesseract-ocr + tesseract-ocr-fin)."""
from __future__ import annotations

import shutil

from models.document import Paragraph
from models.enums import ErrorType
from models.errors import DocumentError
from readers.layout import BULLET_RE, clean_text
from models.settings import Settings

SAME_LINE_PT = 5.0            # lines whose tops are this close are one visual line
MIN_CONFIDENCE = 30           # words tesseract is less sure of are noise (stamps, signatures)


def ocr_available(lang: str = "fin") -> bool:
    if not shutil.which("tesseract"):
        return False
    import pytesseract
    try:
        return lang in pytesseract.get_languages(config="")
    except Exception:
        return False


def ocr_page(page, page_no: int, settings: Settings) -> list[Paragraph]:
    """Recognise one pdfplumber page; lines carry positions in PDF points like text lines do."""
    import pytesseract
    if not ocr_available(settings.ocr_lang):
        raise DocumentError(ErrorType.NO_TEXT,
                            f"page {page_no} is a scan and OCR is not installed "
                            f"(apt-get install tesseract-ocr tesseract-ocr-{settings.ocr_lang})")
    image = page.to_image(resolution=settings.ocr_dpi).original
    data = pytesseract.image_to_data(image, lang=settings.ocr_lang, config="--psm 4",
                                     output_type=pytesseract.Output.DICT)
    scale = 72.0 / settings.ocr_dpi
    lines: dict[tuple, list[int]] = {}
    for i, word in enumerate(data["text"]):
        if word.strip() and float(data["conf"][i]) >= MIN_CONFIDENCE:
            key = (data["block_num"][i], data["par_num"][i], data["line_num"][i])
            lines.setdefault(key, []).append(i)
    found = []
    for idx in lines.values():
        text = clean_text(" ".join(data["text"][i] for i in idx))
        if text:
            found.append({"text": text, "x0": min(data["left"][i] for i in idx) * scale,
                          "x1": max(data["left"][i] + data["width"][i] for i in idx) * scale,
                          "top": min(data["top"][i] for i in idx) * scale})
    found.sort(key=lambda ln: (ln["top"], ln["x0"]))
    merged: list[dict] = []
    for ln in found:  # an item number and its title can land in separate tesseract blocks
        last = merged[-1] if merged else None
        if last and abs(ln["top"] - last["top"]) < SAME_LINE_PT:
            first, second = (last, ln) if last["x0"] <= ln["x0"] else (ln, last)
            last.update(text=f"{first['text']} {second['text']}", x0=first["x0"], x1=max(first["x1"], second["x1"]))
            continue
        merged.append(ln)
    return [Paragraph(text=ln["text"], page=page_no, x0=ln["x0"], x1=ln["x1"], top=ln["top"],
                      bullet=bool(BULLET_RE.match(ln["text"]))) for ln in merged]
