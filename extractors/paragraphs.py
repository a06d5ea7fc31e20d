"""From layout lines to logical paragraphs: wrapped PDF lines joined, left-column captions split off.

Every extractor works on these units, so the PDF/DOCX/OCR differences end here.
"""
from __future__ import annotations

import re
import statistics
from dataclasses import dataclass, field

from models.document import Block, Document, Paragraph, Table
from extractors.finnish import names_organ
from extractors.vocabulary import (BULLET_MARK_RE, CAPTION_RE, CAPTIONS, DECISION_MARK_RE,
                                   LOOSE_CAPTION_RE, NO_COLON_CAPTIONS, ORGAN_CAPTION_RE, STATUS_TABLE_NOTE_RE,
                                   attendance_caption)

JOIN_STEP_FACTOR = 1.3        # a line closer than this many line steps continues a paragraph
SHORT_LINE_PT = 60           # a line ending this far before the right margin is a paragraph's last
CAPTION_COLUMN_MIN_GAP = 40   # points between a caption column and its text column
STANDALONE_RE = re.compile(r"^(?:\d{1,2}\.\d{1,2}\.\d{2,4}\.?|§\s*\d{1,4})$")
STARTS_NEW_RE = re.compile(
    r"^(\d{1,3}\s*§|§\s*\d|\d{1,3}\.\s+\S|\d{1,3}\)\s|[a-zåäö]\)\s|pykälä\s+\d|asia\s+\d|"
    r"(kvalt|kval|kv|khall|kh|kn|ltk|tela|tekla|sivla|yjaos|hall|jory)\.?\s+\d|"
    r"[A-ZÅÄÖ][\wåäö-]*\s+\d{1,2}\.\d{1,2}\.\d{4}\s*§|"
    r"[A-ZÅÄÖ][\wåäö-]+(?:\s+[\wåäö-]+){0,2},?\s+§\s*\d|"
    r"\d{1,3}\s+[A-ZÅÄÖ][a-zåäö]{2,}\s)", re.IGNORECASE)


@dataclass
class Para:
    text: str                    # the paragraph text (without its caption)
    page: int
    caption: str = ""            # canonical caption key ("decision", "proposal", "present", ...)
    caption_text: str = ""       # the caption as written ("Päätösehdotus")
    bold: bool = False
    heading: int = 0
    bullet: bool = False
    marked: bool = False         # starts with a ➤ decision marker
    list_label: str = ""
    list_level: int = -1
    x0: float = 0.0
    top: float = 0.0
    content_x: float = 0.0       # x of the text column when the line has a caption column
    lines: list[Paragraph] = field(default_factory=list)
    from_table: bool = False     # a row of a caption | text layout table (DOCX)

    kind = "para"


Unit = Para | Table


def caption_of(text: str, whole_segment: bool = False) -> tuple[str, str, str] | None:
    """(key, caption as written, rest) when the text opens with a known caption.

    A caption counts when followed by a colon, when it is the whole line, or when layout shows
    it as its own column (`whole_segment`); "Päätös valtuuttamisesta tehdään ..." is prose.
    """
    m = ORGAN_CAPTION_RE.match(text)
    if m:
        return "decision", m.group(1), m.group(3).strip()
    parallel = _parallel_caption(text)
    if parallel:
        return parallel
    m = CAPTION_RE.match(text)
    if m is None or (m.group("colon") is None and m.group("rest").strip() and _loose_key(text)):
        m = LOOSE_CAPTION_RE.match(text)    # "Läsnä jäsenet:", "Kutsutut jäsenet" are longer than "Läsnä"
    if not m:
        return None
    cap, rest = m.group("cap"), m.group("rest").strip()
    if cap.casefold() not in CAPTIONS:
        key = _loose_key(text)
        return (key, m.group("cap"), rest) if key else None
    if cap[:1].islower() and not (m.group("colon") and rest and CAPTIONS[cap.casefold()] in LOWER_CAPTION_KEYS):
        return None           # "puheenjohtaja" under a name is a title, "Puheenjohtaja" a caption;
                              # "paikalla: A (pj), B" in hand-typed notes is a caption all the same
    if m.group("colon") or not rest or whole_segment:
        return CAPTIONS[cap.casefold()], cap, rest
    if cap.casefold() in NO_COLON_CAPTIONS and (rest[:1].isupper() or rest[:1].isdigit()):
        return CAPTIONS[cap.casefold()], cap, rest
    if CAPTIONS[cap.casefold()] in ("decision", "proposal") and names_organ(rest):
        return CAPTIONS[cap.casefold()], cap, rest    # "Esitys Hallitus": the text follows below
    return None


def _parallel_caption(text: str) -> tuple[str, str, str] | None:
    """"Paikka / Plats", "Saapuvilla olleet jäsenet / Närvarande ledamöter", "Päätös / Beslut:
    Hyväksyttiin.": a known caption and its twin in the other language."""
    head, sep, tail = text.partition("/")
    if not sep or head.strip().casefold() not in CAPTIONS or not tail.strip():
        return None
    twin, colon, rest = tail.partition(":")
    if not colon:
        words = tail.split()
        if words[0].casefold() in CAPTIONS:
            twin, rest = words[0], " ".join(words[1:])       # "Aika / Tid 12.3.2019"
            if rest.islower() and len(rest.split()) == 1:
                twin, rest = f"{twin} {rest}", ""            # "Närvarande ledamöter"
        elif len(words) > 3:
            return None
    if re.search(r"\d", twin) or len(twin.split()) > 3:
        return None
    return CAPTIONS[head.strip().casefold()], f"{head.strip()} / {twin.strip()}", rest.strip()


LOWER_CAPTION_KEYS = {"present", "present_other", "present_deputy", "absent"}


def _loose_key(text: str) -> str | None:
    """An attendance caption not in CAPTIONS, followed by a colon or standing alone."""
    m = LOOSE_CAPTION_RE.match(text)
    if not m or not m.group("cap")[:1].isupper() or (not m.group("colon") and m.group("rest").strip()):
        return None
    words = m.group("cap").split()
    if not m.group("colon") and not m.group("cap").isupper() and any(w[:1].isupper() for w in words[1:]):
        return None           # "Läsnä Matti Virtanen": a caption and a name, not a caption
    return attendance_caption(m.group("cap"))


def _line_step(doc: Document) -> float:
    diffs = []
    prev = None
    for b in doc.blocks:
        if isinstance(b, Paragraph):
            if prev is not None and prev.page == b.page and 0 < b.top - prev.top < 3 * max(b.height, 8):
                diffs.append(round(b.top - prev.top, 0))
            prev = b
    if not diffs:
        return 0.0
    small = sorted(diffs)[: max(1, len(diffs) // 2)]
    return statistics.median(small)


def to_units(doc: Document) -> list[Unit]:
    """Logical paragraphs and tables in reading order."""
    step = _line_step(doc) if doc.format == "pdf" else 0.0
    right = {}
    for b in doc.blocks:
        if isinstance(b, Paragraph):
            right[b.page] = max(right.get(b.page, 0.0), b.x1)
    units: list[Unit] = []
    prev_line: Paragraph | None = None
    for b in doc.blocks:
        if isinstance(b, Table):
            units.extend(caption_table_paras(b) or heading_table_paras(b) or layout_table_paras(b) or [b])
            prev_line = None
            continue
        last = units[-1] if units and isinstance(units[-1], Para) else None
        if last is not None and prev_line is not None and step and _continues(last, prev_line, b, step, right):
            last.text = _join(last.text, _content_text(b, last))
            last.lines.append(b)
            prev_line = b
            continue
        units.append(_new_para(b))
        prev_line = b
    return units


def caption_table_paras(t: Table) -> list[Para]:
    """A two-column layout table (caption | text), the way Word templates of municipal systems lay
    out minutes, read as captioned paragraphs; [] for any other table."""
    rows = [[c for c in r] for r in t.rows]
    if not rows or max(len(r) for r in rows) > 2:
        return []
    if len(rows[0]) == 2 and STATUS_TABLE_NOTE_RE.match(cell_text(rows[0][1]).strip().rstrip(":")):
        return []             # `Poissa | Syy`: a table of people, not captions
    firsts = [cell_text(r[0]) for r in rows if len(r) == 2 and cell_text(r[0])]
    known = [f for f in firsts if caption_of(f, True) and not caption_of(f, True)[2]]
    if not known or len(known) * 2 < len(firsts):
        return []
    out: list[Para] = []
    for k, r in enumerate(rows):
        page = t.row_pages[k] if k < len(t.row_pages) else t.page
        head = cell_text(r[0]) if len(r) == 2 else ""
        body = r[-1] or ""
        lines = [Paragraph(text=ln.strip(), page=page) for ln in body.split("\n") if ln.strip()]
        found = caption_of(head, True) if head else None
        if found and found[2]:
            found = None
        caption, caption_text = (found[0], found[1]) if found else (("other", head) if head else ("", ""))
        text = cell_text(body)
        marked = bool(DECISION_MARK_RE.match(text))
        out.append(Para(text=DECISION_MARK_RE.sub("", text).strip(), page=page, caption=caption,
                        caption_text=caption_text, marked=marked, lines=lines, from_table=True))
    return out


ITEM_NUMBER_CELL_RE = re.compile(r"^(?:§\s*\d{1,4}|\d{1,4}\s*§|\d{1,3}\.?|[A-ZÅÄÖ]{2,8}\.?\s*§?\s*\d{1,4})$")


def heading_table_paras(t: Table) -> list[Para]:
    """An item heading laid out as a table row, `§ 12 | Title` (Tweb, Word templates): one
    paragraph "§ 12 Title" that the item finder reads like a heading line; [] for other tables."""
    rows = [[cell_text(c) for c in r if cell_text(c)] for r in t.rows]
    if len(rows) != 1 or len(rows[0]) != 2 or not ITEM_NUMBER_CELL_RE.match(rows[0][0]):
        return []
    no, title = rows[0]
    return [Para(text=f"{no} {title}", page=t.page, bold=True, lines=[Paragraph(text=f"{no} {title}", page=t.page)],
                 from_table=True)]


LAYOUT_CELL_LINES = 4         # a cell with this many lines holds a block of the page, not a value


def layout_table_paras(t: Table) -> list[Para]:
    """A cover page laid out in a table of a few big cells ("OSALLISTUJAT" with its names beside
    "KÄSITELTÄVÄT ASIAT" with the items): each cell's lines as paragraphs, cell by cell."""
    if len(t.rows) > 3 or not any(len([ln for ln in (c or "").split("\n") if ln.strip()]) >= LAYOUT_CELL_LINES
                                  for r in t.rows for c in r):
        return []
    out = []
    for k, row in enumerate(t.rows):
        page = t.row_pages[k] if k < len(t.row_pages) else t.page
        for cell in row:
            out.extend(_new_para(Paragraph(text=ln.strip(), page=page)) for ln in (cell or "").split("\n") if ln.strip())
    return out


def para_lines(p: Para) -> list[str]:
    """The paragraph's text line by line (a list under a caption has one entry per line)."""
    if p.from_table:
        return [ln.text for ln in p.lines]
    if p.content_x:
        return [" ".join(t for x, t in ln.segments if x >= p.content_x - 3) for ln in p.lines]
    if len(p.lines) > 1:
        first = p.lines[0].text
        if p.caption_text and first.casefold().startswith(p.caption_text.casefold()):
            first = first[len(p.caption_text):].lstrip(" :")
        return [first] + [ln.text for ln in p.lines[1:]]
    return [p.text]


def line_readings(p: Para) -> list[list[str]]:
    """Ways to read a paragraph as entries: line by line, and (for wrapped PDF lines) as one text."""
    lines = para_lines(p)
    readings = [lines, [p.text]] if len(lines) > 1 and not p.from_table and not p.content_x else [lines]
    if not p.from_table and not p.content_x and any(_seg_alone(ln) for ln in p.lines):
        # a list in two columns ("Ollila Teemu pj    Halonen Ulla"): each column piece an entry
        readings.insert(0, [t for ln in p.lines for t in (_column_pieces(ln) if _seg_alone(ln) else [ln.text])])
    return readings


def _column_pieces(line: Paragraph) -> list[str]:
    """A line's column pieces as entries; a title ("pj", "varajäsen") or a deputy phrase ("Mattila
    Reijon varajäsen") belongs to the piece before it."""
    out: list[str] = []
    for _, t in line.segments:
        if out and (t[:1].islower() or re.search(r"\b(varajäsen|varalla|sijainen|sijaisena)\b", t, re.I)):
            out[-1] = f"{out[-1]} {t}"
        else:
            out.append(t)
    return out


def _content_text(line: Paragraph, para: Para) -> str:
    if para.content_x and line.segments and line.segments[0][0] >= para.content_x - 3:
        return " ".join(t for _, t in line.segments)
    return line.text


def _continues(para: Para, prev: Paragraph, line: Paragraph, step: float, right: dict[int, float]) -> bool:
    if prev.x1 and re.search(r"[.!?]$", prev.text) and prev.x1 < right.get(prev.page, 0) - SHORT_LINE_PT:
        return False          # a sentence that stops well before the margin ends its paragraph
    if para.caption in ("decision", "proposal") and len(para.lines) == 1 and names_organ(para.text):
        return False          # "Päätös Hallitus" heads the decision on the lines below
    if para.caption in ("time", "date", "place") and not para.content_x and \
            not (re.search(r"(,|-|\bja)$", prev.text) or line.text[:1].islower()):
        return False          # "Paikka: Kunnantalo" is one line unless it visibly goes on
    if line.page != prev.page or line.bullet or line.heading != prev.heading or line.bold != prev.bold:
        return False
    if line.top - prev.top > JOIN_STEP_FACTOR * step:
        return False
    if _all_caps(prev.text) != _all_caps(line.text):
        return False          # "... hyväksyi esityksen." then "TEKNINEN LAUTAKUNTA": another block
    if STANDALONE_RE.match(prev.text) or STANDALONE_RE.match(line.text):
        return False          # Dynasty's stacked "§ 74" / "27.06.2020" / "SIVISTYSLAUTAKUNTA"
    if not para.content_x and _seg_alone(line) != _seg_alone(prev):
        return False          # a row of columns (a table without rulings) is no wrapped line of text
    text = line.text
    if DECISION_MARK_RE.match(text) or STARTS_NEW_RE.match(text) or caption_of(text, _seg_alone(line)):
        return False
    if STARTS_NEW_RE.match(para.text) and not (text[:1].islower() or re.search(r"(-|,|\bja|\bsekä)$", para.text)):
        return False          # an item heading wraps onto a lower-case line; a capital starts its body
    if para.content_x:        # a caption column: text lines continue in the text column only
        return bool(line.segments) and line.segments[0][0] >= para.content_x - 3
    return line.x0 >= para.x0 - 2


def _all_caps(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 4 and all(c.isupper() for c in letters)


def _seg_alone(line: Paragraph) -> bool:
    return len(line.segments) >= 2 and line.segments[1][0] - line.segments[0][0] >= CAPTION_COLUMN_MIN_GAP


def _new_para(line: Paragraph) -> Para:
    text = line.text
    caption = caption_text = ""
    content_x = 0.0
    whole = _seg_alone(line)
    first_seg = line.segments[0][1] if whole else None
    found = caption_of(first_seg, True) if first_seg else None
    if found and found[2]:
        found = None          # the first column holds more than a caption
    if found:
        caption, caption_text, _ = found
        text = " ".join(t for _, t in line.segments[1:])
        content_x = line.segments[1][0]
    else:
        found = caption_of(text)
        if found:
            caption, caption_text, text = found
    marked = bool(DECISION_MARK_RE.match(text))
    if marked:
        text = DECISION_MARK_RE.sub("", text)
    bullet = line.bullet or bool(BULLET_MARK_RE.match(text))
    if bullet:
        text = BULLET_MARK_RE.sub("", text)
    return Para(text=text.strip(), page=line.page, caption=caption, caption_text=caption_text,
                bold=line.bold, heading=line.heading, bullet=bullet, marked=marked,
                list_label=line.list_label, list_level=line.list_level, x0=line.x0, top=line.top,
                content_x=content_x, lines=[line])


def _join(a: str, b: str) -> str:
    if not a:
        return b
    if re.search(r"\w-$", a) and not re.match(r"(ja|tai|sekä|eli|tahi)\b", b):
        return a + b          # "Haapakorva-" + "Kallio", "sote-" + "keskus"; not "sosiaali-" + "ja"
    return f"{a} {b}"


def cell_text(cell: str) -> str:
    """A table cell's wrapped lines as one line."""
    out = ""
    for part in (cell or "").split("\n"):
        out = _join(out, part.strip()) if part.strip() else out
    return out
