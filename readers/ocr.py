"""OCR of image-only PDF pages with tesseract (Debian's tesseract-ocr + tesseract-ocr-fin)."""
from __future__ import annotations

import re
import shutil

import numpy as np
from PIL import Image

from extractors.finnish import analyze, is_first_name, lemma
from extractors.vocabulary import CAPTIONS, ORGAN_HEADS
from models.document import Paragraph
from models.enums import ErrorType
from models.errors import DocumentError
from readers.layout import BULLET_RE, clean_text
from models.settings import Settings

# tesseract reads "§" as "8", "$", "S" or "5": "8 1 Kokouksen avaus" is "§ 1 Kokouksen avaus"
PARA_SIGN_FIXES = [
    (re.compile(r"^[—–|-]\s+(?=[8S5$&]\s?\d)"), ""),                                         # "— 8 83": a stray dash first
    (re.compile(r"^(?:[8S5&]\s|[$&]\s?)(\d{1,4})\.?(?=\s+[A-ZÅÄÖ]|\s*$)"), r"§ \1"),                # "8 107." too
    (re.compile(r"^(\d{1,4})\s[8$](?=\s+[A-ZÅÄÖ]|\s*$)"), r"\1 §"),
    (re.compile(r"^(\d{1,4})\sS(?=\s+[A-ZÅÄÖ]{2})"), r"\1 §"),                                  # "6 S KOULUKULJETUS..."
    (re.compile(r"^([A-ZÅÄÖ][A-ZÅÄÖa-zåäö-]+(?:\s+[A-ZÅÄÖa-zåäö-]+){0,2}),?\s+[8$S&]\s?(\d{1,4})$"), r"\1 § \2"),   # "Yhtymähallitus 8 1"
    (re.compile(r"\(\s*[8$]\s(\d{1,3}(?:\s*[-–]\s*\d{1,3})?)\s*\)"), r"(§ \1)"),        # "(8 3)", "(8 2-18)"
    (re.compile(r"^([A-ZÅÄÖ][\wÅÄÖåäö:-]{0,20}\s+\d{1,2}\.\d{1,2}\.\d{2,4})\s+[8$&S5]\s?(\d{1,4})$"), r"\1 § \2"),  # "KH 12.3.2015 8 87"
    (re.compile(r"^([A-ZÅÄÖ][a-zåäö-]+(?:\s+[a-zåäö-]+){0,2}),?\s+[8$&S5]\s?(\d{1,4})(?=\s+\d{1,2}\.\d{1,2}\.\d{2,4}\s)"),
     r"\1 § \2"),                                                        # "Tekninen lautakunta 8 93 20.03.2015 TITLE"
    (re.compile(r"^88\s(\d{1,3}\s*[-–]\s*\d{1,3})"), r"§§ \1"),                                # "88 82-91": §§ 82–91
    (re.compile(r"^[58](\d{3})\.?(?=\s+[A-ZÅÄÖ][a-zåäö])"), r"§ \1"),                            # "8178 Kokouksen avaus", "8178."
    (re.compile(r"^(\d{1,4})\s?&(?=\s+[A-ZÅÄÖ]|\s*$)"), r"\1 §"),                                # "151 & Title"
    (re.compile(r"^[58S$](\d{2,3})$"), r"§ \1"),                                                 # "5138" alone: § 138
    (re.compile(r"(?<=\d)\s?\$"), " §"),
    (re.compile(r"\$\s?(?=\d)"), "§ "),
]
# specks and ruling fragments read as glyphs ("|", "=", ";", "+", "==", "=—"): tokens of these alone
# are no text in minutes; a lone dash stays (bullets, ranges), "/" too ("Asia 15. / 85 §")
NOISE_TOKEN_RE = re.compile(r"(?:(?<=\s)|^)(?:(?=[—–-]*[|=;+¦»«~_<>])[|=;+¦»«~_<>—–-]{1,4}|['\"’”]{1,2}|[.,](?=\s))(?=\s|$)")
SPACED_DATE_RE = re.compile(r"(?<![\d./,])(\d{1,2})\.\s?(\d{1,2})\.\s?((?:19|20)\d{2})(?!\d)")
SPACED_TIME_RE = re.compile(r"(?:(?<=klo )|(?<=kello )|(?<=[-–—])|(?<=[-–—] ))(\d{1,2})\.\s([0-5]\d)(?!\d)", re.I)
NUMBER_DASH_RE = re.compile(r"^(§ \d{1,4}|\d{1,4} §|[58]?\d{3,4}\.?)\s+[—–-]\s+(?=[A-ZÅÄÖ])")     # "8185 — Lausunto…"
SPECK_RE = re.compile(r"[^\w\s]*(?:\s*[^\W\d_]?\s*[^\w\s]*)?")      # "'", "' a", "k", ". :" — no digit, one letter at most
PRESENCE_MARKS = {"x", "X", "-", "–", "—"}                                 # a member table's marks are no specks
GLUED_BAR_RE = re.compile(r"(?:(?<=\s)|^)[|>»\"”](?=[A-ZÅÄÖ0-9§][^\"”]*$)")   # "|EsaHaapala", '"Mäkinen Tapio' (no closing quote)
NUMBER_TOKEN_RE = re.compile(r"^[§$]?\d{1,3}[.,)§]?$")   # an item number: kept however unsure tesseract is
# dates, times and their ranges ("18.00–20.48", "12.9.2017", "klo 17.00-18.16"): kept whatever the
# confidence, as are caption words ("Aika", "Läsnä"): tesseract is unsure of exactly those
FIGURE_TOKEN_RE = re.compile(r"^\(?\d{1,4}(?:[.:,]\d{1,4}){0,2}\.?(?:\s?[-–—]\s?\d{1,4}(?:[.:,]\d{1,4}){0,2}\.?)?\)?[,;]?$")
SURE_WORDS = {c for c in CAPTIONS if " " not in c and len(c) >= 4} | {"klo", "kello"}
UMLAUT_FOLD = str.maketrans("äöå", "aoa")
CAPTION_FOLDS = {c.translate(UMLAUT_FOLD): c for c in CAPTIONS if " " not in c and len(c) >= 5}
WORD_TOKEN_RE = re.compile(r"[^\W\d_]{5,}")
CAPITAL_F_RE = re.compile(r"(?<![\w-])F[a-zåäö]{2,}\b")                # "Fino", "Fero", "Fija"
LOWER_L_RE = re.compile(r"(?<![\w-])l[a-zåäö]{2,}(?=\s+[A-ZÅÄÖ])")   # a word before a capitalised word
ORGAN_NUMBER_RE = re.compile(r"^([A-ZÅÄÖ][a-zåäö-]+(?:\s+[a-zåäö-]+){0,2})\s+(\d{1,4})$")
SEGMENT_GAP_PT = 18.0        # words this far apart on a line stand in different columns
SAME_LINE_PT = 5.0            # lines whose tops are this close are one visual line
MIN_CONFIDENCE = 30           # words tesseract is less sure of are noise (stamps, signatures)

# Page image preparation before tesseract (bench/README.md, "The OCR path on scan-like copies").
SKEW_MAX_DEG = 3.0            # scanners skew a page by 0.3-2°; beyond 3° is a layout (a rotated table), not skew
SKEW_COARSE_DEG = 0.25        # first pass over the range, then SKEW_FINE_DEG around the best coarse angle
SKEW_FINE_DEG = 0.05          # finer than tesseract notices: a 0.05° rest drifts 2 px over a 2500-px line
SKEW_MIN_DEG = 0.2            # straighter than this stays unrotated: rows do not merge below ~0.5°
SKEW_SCALE = 0.25             # the estimate works on a quarter-size copy (75 dpi): text rows still stand apart
SKEW_MIN_INK = 500            # dark pixels (of the quarter-size copy) below which a page is taken as blank
GREY_MIN_SHARE = 0.005        # pixels of mid grey on a greyscale scan (1.4-6 % here); a 1-bit scan has none
MEDIAN_PX = 3                 # speckle and JPEG/sensor noise go, strokes of 10-pt text (3-4 px at 300 dpi) stay
RULE_MIN_PX = 120             # a dark run this long (0.4 in at 300 dpi) is a table or signature rule; the
                              # longest glyph, an em dash at 12 pt, is ~50 px


def ocr_available(lang: str = "fin") -> bool:
    if not shutil.which("tesseract"):
        return False
    import pytesseract
    try:
        return lang in pytesseract.get_languages(config="")
    except Exception:
        return False


def _initial_read_as(meant: str):
    """A repair for a first name whose capital initial tesseract misreads: "lida" -> "Iida" (I as
    l), "Fino" -> "Eino" (an E that lost its lower bar); only where the mended form is a first
    name Voikko knows and the word as read is no word at all."""
    def fix(m: re.Match) -> str:
        word = m.group(0)
        fixed = meant + word[1:]
        return fixed if is_first_name(fixed) and not analyze(word) else word
    return fix


_capital_i, _capital_e = _initial_read_as("I"), _initial_read_as("E")


def close_spaced_figures(text: str) -> str:
    """"10. 9. 2015", "21.08. 2015", "28. 10.2015" -> "10.9.2015"...; "klo 18. 03" -> "klo 18.03":
    on a blurred scan tesseract opens a gap after the dots of dates and times."""
    text = SPACED_DATE_RE.sub(lambda m: f"{m.group(1)}.{m.group(2)}.{m.group(3)}", text)
    return SPACED_TIME_RE.sub(lambda m: f"{m.group(1)}.{m.group(2)}", text)


def drop_noise_glyphs(text: str) -> str:
    """"Päätös == Kokous todettiin…" -> "Päätös Kokous todettiin…", "= 8185 Lausunto" -> "8185 Lausunto"."""
    text = GLUED_BAR_RE.sub("", NOISE_TOKEN_RE.sub("", text))
    text = re.sub(r"\s{2,}", " ", text).strip()
    return NUMBER_DASH_RE.sub(r"\1 ", text)


def _fold(word: str) -> str:
    return word.casefold().translate(UMLAUT_FOLD)


def mend_caption_umlauts(text: str) -> str:
    """"Poissä" -> "Poissa", "Lasna:" -> "Läsnä:": tesseract swaps a and ä, o and ö; a caption
    misspelt so is not found, and its names lose their status. Only words that are no Finnish
    word as read."""
    def fix(m: re.Match) -> str:
        word = m.group(0)
        meant = CAPTION_FOLDS.get(_fold(word))
        if meant is None or meant == word.casefold() or analyze(word):
            return word
        return meant.capitalize() if word[0].isupper() else meant
    return WORD_TOKEN_RE.sub(fix, text)


def fix_para_signs(text: str) -> str:
    text = close_spaced_figures(mend_caption_umlauts(drop_noise_glyphs(text)))
    for rx, repl in PARA_SIGN_FIXES:
        text = rx.sub(repl, text)
    text = LOWER_L_RE.sub(_capital_i, text)
    text = CAPITAL_F_RE.sub(_capital_e, text)
    m = ORGAN_NUMBER_RE.match(text)
    if m and lemma(m.group(1).split()[-1]).casefold().endswith(ORGAN_HEADS):
        text = f"{m.group(1)} § {m.group(2)}"      # "Kaupunginhallitus 244": the § not read at all
    return text


def _kept_however_unsure(word: str, data: dict, i: int) -> bool:
    """Item numbers at a line's start, figures (dates, times, ranges) and caption words are kept
    under the confidence cut that removes stamp and signature noise."""
    if data["word_num"][i] == 1 and NUMBER_TOKEN_RE.match(word):
        return True
    return bool(FIGURE_TOKEN_RE.match(word)) or word.rstrip(":").casefold() in SURE_WORDS


def page_grey(image: Image.Image) -> np.ndarray:
    """The page as 8-bit grey, taking each pixel's lightest channel: black print stays black while
    coloured ink (red or blue rubber stamps, coloured highlights) turns light and falls to the
    threshold, instead of a grey blot tesseract reads as letters."""
    import cv2
    if image.mode != "RGB":
        return np.asarray(image.convert("L"))
    r, g, b = cv2.split(np.asarray(image))
    return cv2.max(cv2.max(r, g), b)


def estimate_skew(grey: np.ndarray) -> float:
    """The page's skew in degrees (positive: the text runs up to the right, counter-clockwise),
    by projection profiles: the dark pixels of a quarter-size copy are sheared by each candidate
    angle and counted per row; at the true angle the text rows give the sharpest profile (the
    largest sum of squared differences between neighbouring rows). 0.0 for a (nearly) blank page."""
    import cv2
    small = cv2.resize(grey, None, fx=SKEW_SCALE, fy=SKEW_SCALE, interpolation=cv2.INTER_AREA)
    _, dark = cv2.threshold(small, 0, 255, cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU)
    ys, xs = np.nonzero(dark)
    if len(ys) < SKEW_MIN_INK:
        return 0.0
    xs = xs - small.shape[1] / 2.0

    def sharpness(angle: float) -> float:
        rows = np.round(ys + xs * np.tan(np.radians(angle))).astype(np.int64)
        profile = np.bincount(rows - rows.min()).astype(np.float64)
        return float(np.sum(np.diff(profile) ** 2))

    coarse = max(np.arange(-SKEW_MAX_DEG, SKEW_MAX_DEG + 1e-9, SKEW_COARSE_DEG), key=sharpness)
    fine = np.arange(coarse - SKEW_COARSE_DEG, coarse + SKEW_COARSE_DEG + 1e-9, SKEW_FINE_DEG)
    return round(float(max(fine, key=sharpness)), 2)


def deskew(grey: np.ndarray, angle: float) -> np.ndarray:
    """Rotate about the page centre so rows run level; the corners are filled white. The page
    keeps its size, so positions still map to PDF points by the same scale (a point moves at most
    sin(3°) * half the page, ~15 pt at a corner, and rows keep their order)."""
    import cv2
    h, w = grey.shape
    m = cv2.getRotationMatrix2D((w / 2.0, h / 2.0), -angle, 1.0)
    return cv2.warpAffine(grey, m, (w, h), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT, borderValue=255)


def remove_rules(grey: np.ndarray) -> np.ndarray:
    """Table rulings and signature lines painted white: beside a ruling tesseract's layout
    analysis drops whole cell columns (the caption column of a ruled cover table: `Aika`,
    `Läsnä`, `Poissa` gone while the names beside them stay) and reads rule ends as `|`, `+`, `=`."""
    import cv2
    _, ink = cv2.threshold(grey, 0, 255, cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU)
    across = cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (RULE_MIN_PX, 1)))
    down = cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (1, RULE_MIN_PX)))
    rules = cv2.dilate(cv2.bitwise_or(across, down), cv2.getStructuringElement(cv2.MORPH_RECT, (3, 3)))
    out = grey.copy()
    out[rules > 0] = 255
    return out


def prepare_image(image: Image.Image) -> Image.Image:
    """A rendered page made easy for tesseract: grey without coloured ink, level rows, speckle
    removed, no rulings. No threshold here: tesseract binarises (Otsu) itself, and a threshold of our own
    before it cost words on the mixed set (bench/README.md)."""
    import cv2
    grey = page_grey(image)
    angle = estimate_skew(grey)
    if abs(angle) >= SKEW_MIN_DEG:
        grey = deskew(grey, angle)
    if _has_grey(grey):        # a bilevel scan (1-bit, thresholded by the scanner) has no speckle
        grey = cv2.medianBlur(grey, MEDIAN_PX)   # a median would only thin its strokes away
    return Image.fromarray(remove_rules(grey))


def _has_grey(grey: np.ndarray) -> bool:
    """Whether the page holds grey tones (a greyscale or colour scan), not only black and white."""
    return float(((grey > 60) & (grey < 200)).mean()) >= GREY_MIN_SHARE


def ocr_page(page, page_no: int, settings: Settings) -> list[Paragraph]:
    """Recognise one pdfplumber page; lines carry positions in PDF points like text lines do."""
    if not ocr_available(settings.ocr_lang):
        raise DocumentError(ErrorType.NO_TEXT,
                            f"page {page_no} is a scan and OCR is not installed "
                            f"(apt-get install tesseract-ocr tesseract-ocr-{settings.ocr_lang})")
    return ocr_image(prepare_image(page.to_image(resolution=settings.ocr_dpi).original), page_no, settings)


def ocr_image(image: Image.Image, page_no: int, settings: Settings) -> list[Paragraph]:
    """Recognise one page image rendered at settings.ocr_dpi; positions in PDF points."""
    import pytesseract
    data = pytesseract.image_to_data(image, lang=settings.ocr_lang, config="--psm 4",
                                     output_type=pytesseract.Output.DICT)
    scale = 72.0 / settings.ocr_dpi
    lines: dict[tuple, list[int]] = {}
    for i, word in enumerate(data["text"]):
        if NOISE_TOKEN_RE.fullmatch(word.strip()):
            continue                      # a speck read as "|" or "=": not text, and not the line's left edge
        if word.strip() and (float(data["conf"][i]) >= MIN_CONFIDENCE or _kept_however_unsure(word.strip(), data, i)):
            key = (data["block_num"][i], data["par_num"][i], data["line_num"][i])
            lines.setdefault(key, []).append(i)
    found = []
    for idx in lines.values():
        idx = _without_specks(data, idx, scale)
        text = fix_para_signs(clean_text(" ".join(data["text"][i] for i in idx)))
        if text:
            found.append({"text": text, "x0": min(data["left"][i] for i in idx) * scale,
                          "x1": max(data["left"][i] + data["width"][i] for i in idx) * scale,
                          "top": min(data["top"][i] for i in idx) * scale,
                          "segments": _segments(data, idx, scale)})
    found.sort(key=lambda ln: (ln["top"], ln["x0"]))
    merged: list[dict] = []
    for ln in found:  # an item number and its title can land in separate tesseract blocks
        last = merged[-1] if merged else None
        if last and abs(ln["top"] - last["top"]) < SAME_LINE_PT:
            first, second = (last, ln) if last["x0"] <= ln["x0"] else (ln, last)
            last.update(text=f"{first['text']} {second['text']}", x0=first["x0"], x1=max(first["x1"], second["x1"]),
                        segments=sorted(first["segments"] + second["segments"]))
            continue
        merged.append(ln)
    return [Paragraph(text=ln["text"], page=page_no, x0=ln["x0"], x1=ln["x1"], top=ln["top"],
                      bullet=bool(BULLET_RE.match(ln["text"])), segments=ln["segments"]) for ln in merged]


SIGN_HEAD_RE = re.compile(r"^(?:§\s?(\d{1,4})|(\d{1,4})\s?§)(?=\s|$)")          # "§ 181 Title", "4 § TITLE"
GLUED_AFTER_RE = re.compile(r"^(\d{1,3})[58]\.?\s+(?=[A-ZÅÄÖ])")          # "48 YRITYSNEUVONTA", "1828 Tieto…"
GLUED_BEFORE_RE = re.compile(r"^[5689](\d{1,3})\.?\s+(?=[A-ZÅÄÖ])")        # "6181 Työjärjestyksen…"


def mend_glued_signs(paragraphs: list[Paragraph]) -> None:
    """In a document whose headings carry a §, a heading "1828 Title" between "§ 181" and "§ 183"
    is "§ 182 Title": tesseract glued the sign to the number as an 8 or 5 (after it) or as a 5,
    6, 8 or 9 (before it). Only where the number without that digit continues the run of its
    neighbours, so a real item 48 or 182 stays what it is."""
    numbers = [(k, int(m.group(1) or m.group(2))) for k, p in enumerate(paragraphs) if (m := SIGN_HEAD_RE.match(p.text))]
    if len(numbers) < 2:
        return
    sign_after = sum(1 for k, _ in numbers if not paragraphs[k].text.startswith("§")) * 2 > len(numbers)
    for k, p in enumerate(paragraphs):
        if SIGN_HEAD_RE.match(p.text):
            continue
        for rx in (GLUED_AFTER_RE, GLUED_BEFORE_RE):
            m = rx.match(p.text)
            if not m:
                continue
            n = int(m.group(1))
            before = next((num for j, num in reversed(numbers) if j < k), None)
            after = next((num for j, num in numbers if j > k), None)
            if before == n - 1 or after == n + 1:
                head = f"{n} § " if sign_after else f"§ {n} "
                p.text = head + p.text[m.end():]
                if p.segments:
                    first = p.segments[0][1]
                    fm = rx.match(first)
                    if fm:
                        p.segments[0] = (p.segments[0][0], head + first[fm.end():])
                numbers.append((k, n))
                numbers.sort()
                break


def _column_groups(data: dict, idx: list[int], scale: float) -> list[list[int]]:
    """A line's words by column: split where words stand more than SEGMENT_GAP_PT apart."""
    out: list[list[int]] = []
    right = None
    words = sorted(idx, key=lambda i: data["left"][i])
    for n, i in enumerate(words):
        x0, x1 = data["left"][i] * scale, (data["left"][i] + data["width"][i]) * scale
        if _phantom_dash(data, words, n):
            right = None               # "Saapuvilla olleet — Vainio Kaisa": the dash stands for the gap
            continue
        if right is None or x0 - right > SEGMENT_GAP_PT:
            out.append([])
        out[-1].append(i)
        right = x1
    return out


def _phantom_dash(data: dict, words: list[int], n: int) -> bool:
    """A lone dash between a word and a capitalised word: tesseract's reading of a column gap."""
    if data["text"][words[n]].strip() not in ("—", "–") or n == 0 or n + 1 >= len(words):
        return False
    before, after = data["text"][words[n - 1]].strip(), data["text"][words[n + 1]].strip()
    return before[-1:].isalpha() and after[:1].isupper()


def _without_specks(data: dict, idx: list[int], scale: float) -> list[int]:
    """"Poissa ' a", "Läsnä k": a column piece of at most one letter and no digit beside real
    text is a speck, and it would hide the caption from the extractors."""
    groups = _column_groups(data, idx, scale)
    if len(groups) < 2:
        return idx
    kept = [g for g in groups if not _speck(" ".join(data["text"][i] for i in g).strip())]
    return [i for g in kept for i in g] if kept else idx


def _speck(text: str) -> bool:
    return bool(SPECK_RE.fullmatch(text)) and text not in PRESENCE_MARKS


def _segments(data: dict, idx: list[int], scale: float) -> list[tuple[float, str]]:
    """Column pieces of a line, split where words stand far apart (a caption column, a table
    without rulings), as the PDF reader gives them."""
    return [(data["left"][g[0]] * scale, fix_para_signs(clean_text(" ".join(data["text"][i] for i in g))))
            for g in _column_groups(data, idx, scale)]
