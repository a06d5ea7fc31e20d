"""Contents tables: the list of items on a cover page, as a real table (DOCX, ruled PDF) or as
PDF lines under a header row. Column orders vary by system and city (`§ | Otsikko | Liitteet`,
`§ | Liite | Asia`, `Asian no | Asia | Sivu`), so columns are found by their header words."""
from __future__ import annotations

import re
from dataclasses import dataclass

from models.document import Paragraph, Table
from extractors.paragraphs import Para, Unit, cell_text
from extractors.vocabulary import CLOSING_RE

HEAD_WORDS: dict[str, str] = {
    "§": "num", "nro": "num", "n:o": "num", "no": "num", "pykälä": "num", "pykälät": "num",
    "asian no": "num", "asian nro": "num", "asia nro": "num", "asianro": "num", "asianumero": "num",
    "kohta": "num", "#": "num", "asian numero": "num",
    "otsikko": "title", "asia": "title", "asiaotsikko": "title", "nimike": "title", "aihe": "title",
    "käsiteltävä asia": "title", "käsiteltävät asiat": "title", "asiat": "title", "asian otsikko": "title",
    "liite": "other", "liitteet": "other", "liitteitä": "other", "sivu": "other", "sivut": "other",
    "s.": "other", "sivunro": "other", "esittelijä": "other", "lisätiedot": "other", "dnro": "other",
    "diaarinumero": "other", "huom": "other", "huom.": "other",
}
_HEAD_ALT = "|".join(sorted((re.escape(w) for w in HEAD_WORDS), key=len, reverse=True))
_HEAD_TOKEN_RE = re.compile(rf"\s*(?:\|\s*)?({_HEAD_ALT})(?=\s|\||$)", re.I)
NUMBER_RE = re.compile(r"^(?:§\s*)?(\d{1,4})\s*(?:§|\.)?(?=\s|$)")
ATTACHMENT_RE = re.compile(r"^(?:-|–|\d+\s*kpl|liite\s*\d+|liitteet?)\s+", re.I)
ROW_JOIN_PT = 20              # a wrapped title line this close to a number line belongs to it
WRAP_STEP_PT = 14             # ... and a line this close under a joined one continues it
MAX_ROW_TEXT = 160            # longer lines are body prose: the contents table has ended


@dataclass
class ContentsEntry:
    no: str                   # "" for an unnumbered row (a cover page, an appendix)
    title: str
    page: int


def header_kinds(text: str, need: tuple[str, ...] = ("num", "title")) -> list[str] | None:
    """["num", "title", ...] when the text is nothing but contents-table header words."""
    kinds, pos, text = [], 0, text.strip()
    while pos < len(text):
        m = _HEAD_TOKEN_RE.match(text, pos)
        if not m:
            return None
        kinds.append(HEAD_WORDS[m.group(1).casefold()])
        pos = m.end()
    return kinds if kinds and all(k in kinds for k in need) else None


def line_header(line: Paragraph) -> bool:
    """A contents header line: its words are header words, or (a row of columns) its columns
    hold a number head and a title head, with at most one column of another name
    ("Pöytäkirja PDF-muodossa")."""
    if len(line.text) >= 80:
        return False
    if header_kinds(line.text) or header_kinds(line.text, ("title",)) and _title_only_ok(line):
        return True
    if len(line.segments) < 2:
        return False
    kinds = [header_kinds(t, ()) for _, t in line.segments]
    found = {k for ks in kinds if ks for k in ks}
    unknown = [t for (_, t), ks in zip(line.segments, kinds) if not ks]
    return "num" in found and "title" in found and len(unknown) <= 1 and all(len(t.split()) <= 4 for t in unknown)


def _title_only_ok(line: Paragraph) -> bool:
    """`Otsikko | Sivu`: no number column; the numbers stand at the head of the titles."""
    return len(line.segments) >= 2


def find_contents(units: list[Unit]) -> list[ContentsEntry]:
    """The first contents table of the document, or []."""
    for i, u in enumerate(units):
        if isinstance(u, Table):
            found = _from_table(u)
            if found:
                return found
        else:
            for k, ln in enumerate(u.lines):       # the header may share a unit with a title above it
                if line_header(ln):
                    rest = Para(text="", page=ln.page, lines=u.lines[k + 1:])
                    found = _from_lines(Para(text=ln.text, page=ln.page, lines=[ln]), [rest] + units[i + 1:])
                    if found:
                        return found
    return []


def _from_table(t: Table) -> list[ContentsEntry]:
    rows = [[cell_text(c) for c in r] for r in t.rows]
    for h, row in enumerate(rows[:3]):
        kinds = [(k, HEAD_WORDS.get(c.strip().rstrip(":").casefold())) for k, c in enumerate(row)]
        num = next((k for k, kind in kinds if kind == "num"), None)
        title = next((k for k, kind in kinds if kind == "title"), None)
        if title is None or num is None and not any(kind == "other" for _, kind in kinds):
            continue          # `Otsikko | Sivu` has its numbers at the head of the titles
        out = []
        for r in range(h + 1, len(rows)):
            cells = rows[r]
            if cells == row or title >= len(cells) or not cells[title].strip():
                continue      # a header repeated on the next page, an empty row
            page = t.row_pages[r] if r < len(t.row_pages) else t.page
            text = cells[title].strip()
            if num is None:
                m = NUMBER_RE.match(text)
                no, text = (m.group(1), text[m.end():].strip()) if m else ("", text)
            else:
                m = NUMBER_RE.match(cells[num].strip()) if num < len(cells) else None
                no = m.group(1) if m else ""
            if text:
                out.append(ContentsEntry(no=no, title=text, page=page))
        if num is None and sum(1 for e in out if e.no) < 2:
            continue
        return out
    return []


def _split_row_text(text: str, kinds: list[str]) -> tuple[str, str]:
    """(number, title) of the text in one header column that holds several kinds ("§ Otsikko")."""
    no = ""
    if "num" in kinds:
        m = NUMBER_RE.match(text)
        if m:
            no, text = m.group(1), text[m.end():].strip()
    if "title" not in kinds:
        return no, ""
    while "other" in kinds and ATTACHMENT_RE.match(text + " ") and kinds.index("other") < kinds.index("title"):
        text = ATTACHMENT_RE.sub("", text + " ", count=1).strip()
    return no, text


def _from_lines(head: Para, rest: list[Unit]) -> list[ContentsEntry]:
    """A contents table without rulings in a PDF: each line's pieces go to the header column they
    stand under; a title wrapping above and below its number joins the nearest number line."""
    line0: Paragraph = head.lines[0]
    segs = line0.segments or [(line0.x0, line0.text)]
    columns = []                              # (x, kinds of the header words at that x)
    for x, t in segs:
        kinds = header_kinds(t, ()) or ["other"]
        if kinds == ["title"] and not any("num" in (header_kinds(u, ()) or []) for _, u in segs):
            kinds = ["num", "title"]          # `Otsikko | Sivu`: the number heads the title
        columns.append((x, kinds))
    left = columns[0][0]
    lines = [ln for u in rest if isinstance(u, Para) for ln in u.lines]
    parsed = []                               # (line, number, title)
    for ln in lines:
        text = ln.text.strip()
        if not text or len(text) > MAX_ROW_TEXT or text.endswith(":") or CLOSING_RE.match(text) \
                or ln.x0 < left - 10 or header_kinds(text):
            break
        no, title = "", []
        for x, t in (ln.segments or [(ln.x0, text)]):
            col = max((c for c in columns if c[0] <= x + 8), key=lambda c: c[0], default=columns[0])
            n, tt = _split_row_text(t.strip(), col[1])
            no = no or n
            if tt:
                title.append(tt)
        if no and any(p[1] == no for p in parsed):
            break                             # the numbers start over: the body has begun
        parsed.append((ln, no, " ".join(title)))
    rows: list[dict] = [{"no": n, "parts": [(ln.top, t)] if t else [], "top": ln.top, "page": ln.page}
                        for ln, n, t in parsed if n]
    last_joined: dict | None = None
    for ln, n, t in parsed:
        if n:
            last_joined = None
            continue
        if not t:
            continue
        near = [r for r in rows if r["page"] == ln.page and abs(r["top"] - ln.top) <= ROW_JOIN_PT]
        if last_joined is not None and last_joined["page"] == ln.page and \
                0 < ln.top - max(p for p, _ in last_joined["parts"]) <= WRAP_STEP_PT:
            near = [last_joined]
        if near:
            r = min(near, key=lambda r: abs(r["top"] - ln.top))
            r["parts"].append((ln.top, t))
            last_joined = r
        else:
            rows.append({"no": "", "parts": [(ln.top, t)], "top": ln.top, "page": ln.page})
            last_joined = None
    rows.sort(key=lambda r: (r["page"], r["top"]))
    out = []
    for r in rows:
        title = " ".join(t for _, t in sorted(r["parts"]) if t).strip()
        if title:
            out.append(ContentsEntry(no=r["no"], title=title, page=r["page"]))
    return out if sum(1 for e in out if e.no) >= 1 else []
