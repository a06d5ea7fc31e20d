"""Meeting metadata: document type, organ, number, date, scheduled and actual times, place."""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from models.document import Document, Table
from extractors.datetext import find_dates, hhmm, parse_times
from extractors.finnish import analyze, classes, lemma, nominative_phrase, words
from extractors.paragraphs import Para, Unit, cell_text
from extractors.structure import Structure
from extractors.vocabulary import DOC_TYPE_WORDS, ORGAN_HEADS

MEETING_TITLE_RE = re.compile(
    r"^(?P<organ>[A-ZÅÄÖ][^\d:]{2,80}?)\s+(?:(?P<no>\d{1,3})\s*\.\s*)?(?:ylimääräinen\s+|sähköinen\s+)?kokous\b"
    r"(?:\s+(?P<no2>\d{1,3}/\d{4})\b)?", re.I)
INLINE_PLACE_RE = re.compile(r"(?:^|[.,;]\s*)(?:kokous)?paikka\s*:\s*(.+?)\s*\.?$", re.I)
PLACE_AFTER_TIME_RE = re.compile(r"\bklo\s*\d{1,2}(?:[.:]\d{2})?(?:\s*[-–]\s*\d{1,2}(?:[.:]\d{2})?)?\s*,\s*(?P<place>[^,].{2,120}?)\s*\.?$", re.I)
ORGAN_NUMBER_RE = re.compile(r"^(?P<organ>[A-ZÅÄÖ][\wåäö -]{2,60}?)\s*:?\s+(?P<no>\d{1,3}/\d{4})\b")
NUMBER_RE = re.compile(r"\b(?:pöytäkirja|muistio|esityslista|kokous|nro|n:o)\s*(?P<no>\d{1,3}\s*/\s*\d{4}|\d{1,3})\b", re.I)
PLACE_ADDRESS_RE = re.compile(r"\bosoitteessa\s+(?P<place>.+?)(?:\.\s+[A-ZÅÄÖ]|\.$|$)")
ACTUAL_START_RE = re.compile(r"\b(?:avasi kokouksen|kokous avattiin|avasi istunnon)\s+(?:klo\s*|kello\s*)?(?P<h>\d{1,2})(?:[.:](?P<m>\d{2}))?", re.I)
ACTUAL_END_RE = re.compile(r"\b(?:päätti kokouksen|kokous päättyi|kokous päätettiin|päätti istunnon|kokous lopetettiin)\s+(?:klo\s*|kello\s*)?(?P<h>\d{1,2})(?:[.:](?P<m>\d{2}))?", re.I)
MEETING_WHEN_RE = re.compile(r"\b(pidetään|pidettiin|kokoontuu|kokoontui|kokous)\b", re.I)
SIGNED_RE = re.compile(r"^[A-ZÅÄÖ][a-zåäö]+(?:ssa|ssä|lla|llä)\s+\d{1,2}\.\d{1,2}\.\d{4}")
FILE_TYPE_HINTS = [("esityslista", re.compile(r"esityslista|(^|[_\W])el([_\W]|$)", re.I)),
                   ("poytakirja", re.compile(r"p(ö|o)yt(ä|a)kirja|(^|[_\W])pk([_\W]|$)", re.I)),
                   ("muistio", re.compile(r"muistio", re.I))]
TITLE_LINES = 6               # the first lines of the body name the document, after the running headers
SECTION_HEADING_RE = re.compile(r"^(esityslista|asialista|kokouksen asialista|käsiteltävät asiat)\s*:?$", re.I)
HEAD_UNITS = 40               # metadata is read from the first units of a document


@dataclass
class Meeting:
    doc_type: str = ""
    organ: str = ""
    number: str = ""
    date: str | None = None
    start_time: str | None = None
    end_time: str | None = None
    actual_start: str | None = None
    actual_end: str | None = None
    place: str = ""
    title: str = ""


def _texts(units: list[Unit]) -> list[str]:
    out = []
    for u in units:
        if isinstance(u, Table):
            out.extend(cell_text(c) for row in u.rows for c in row if c)
        else:
            out.append(f"{u.caption_text}: {u.text}" if u.caption_text else u.text)
    return [t for t in out if t]


def extract_meeting(doc: Document, structure: Structure) -> Meeting:
    m = Meeting()
    head_units = structure.preamble[:HEAD_UNITS] if structure.items else structure.units[:HEAD_UNITS]
    furniture = [p.text for p in doc.furniture]
    head = furniture + _texts(head_units)
    all_text = "\n".join(_texts(structure.units))
    m.doc_type = _doc_type(doc, head) or _doc_type_named_inside(all_text)
    _organ_and_number(m, head, doc)
    _when_and_where(m, head_units, head)
    if m.date is None:
        signed = [t for t in _texts(structure.closing) + _texts(structure.units[-15:]) if SIGNED_RE.match(t)]
        for t in signed:
            ds = find_dates(t)
            if ds and ds[0].date:
                m.date = ds[0].date
                break
    for rx, attr in ((ACTUAL_START_RE, "actual_start"), (ACTUAL_END_RE, "actual_end")):
        hit = rx.search(all_text)
        if hit:
            setattr(m, attr, hhmm(hit.group("h"), hit.group("m")))
    m.start_time = m.start_time or m.actual_start
    m.end_time = m.end_time or m.actual_end
    return m


def _doc_type(doc: Document, head: list[str]) -> str:
    """From the words the document calls itself in its title lines, then elsewhere in its head
    (but not a bare "Esityslista" heading over the item list of minutes); "" when it does not
    say (decided later from content)."""
    title = head[:len(doc.furniture) + TITLE_LINES] + [doc.title]
    rest = [t for t in head[len(title) - 1:] if not SECTION_HEADING_RE.match(t.strip())]
    for lines in (title, rest):
        found = {name for name, rx in DOC_TYPE_WORDS if rx.search("\n".join(lines))}
        if found == {"esityslista"} and _running_head_says_minutes(doc):
            return "poytakirja"   # "ESITYSLISTA-" / "PÖYTÄKIRJA" broken over lines, the second lost on a scan
        for name in ("poytakirja", "muistio", "esityslista"):
            if name in found:
                return name
    for name, rx in FILE_TYPE_HINTS:
        if rx.search(doc.file_name):
            return name
    return ""


PAGE_HEAD_LINES = 2       # the lines of a page that hold its running header


def _running_head_says_minutes(doc: Document) -> bool:
    """The running header of the later pages names the document "ESITYSLISTA-PÖYTÄKIRJA" (or just
    "PÖYTÄKIRJA"): minutes written on the agenda's template."""
    minutes = dict(DOC_TYPE_WORDS)["poytakirja"]
    if any(minutes.search(p.text) for p in doc.furniture):
        return True
    heads: dict[int, list[str]] = {}          # on a scan the header varies too much to be furniture
    for b in doc.blocks:
        text = getattr(b, "text", "")
        if b.page > 1 and text and len(heads.setdefault(b.page, [])) < PAGE_HEAD_LINES:
            heads[b.page].append(text)
    saying = sum(1 for lines in heads.values() if minutes.search("\n".join(lines)))
    return len(heads) >= 2 and saying * 2 > len(heads)


def _doc_type_named_inside(text: str) -> str:
    """A document that does not name itself in its head still says "Muistion vakuudeksi",
    "Edellisen kokouksen pöytäkirja" or "pöytäkirjantarkastajat" somewhere."""
    memo = len(re.findall(r"\bmuistio\w*", text, re.I))
    minutes = len(re.findall(r"\bpöytäkirj\w*", text, re.I))
    return "muistio" if memo > minutes else "poytakirja" if minutes > memo else ""


def doc_type_from_content(structure: Structure, n_decisions: int) -> str:
    if n_decisions:
        return "poytakirja"
    return "esityslista" if len(structure.items) >= 2 else "other"


def _organ_and_number(m: Meeting, head: list[str], doc: Document) -> None:
    for t in head:               # "Sote-johtoryhmän 4. kokous" names the organ best
        hit = MEETING_TITLE_RE.match(t)
        if hit and _organ_from_words([hit.group("organ")]):
            m.organ = _organ_from_words([hit.group("organ")])
            m.number = hit.group("no") or hit.group("no2") or ""
            m.title = t
            break
    for t in head if not m.organ else []:
        hit = ORGAN_NUMBER_RE.match(t)
        if hit and not re.search(r"\d", hit.group("organ")) and _organ_from_words([hit.group("organ")]):
            m.organ = _organ_from_words([hit.group("organ")])
            m.number = hit.group("no").replace(" ", "")
            break
    if not m.number:
        for t in head:
            hit = NUMBER_RE.search(t)
            if hit:
                m.number = hit.group("no").replace(" ", "")
                break
    if not m.organ:
        m.organ = _organ_from_words(head[:25])


def _organ_from_words(texts: list[str]) -> str:
    """The first word whose lemma is an organ noun (lautakunta, hallitus, yhtiökokous ...) with
    the words that belong to its name, the head in the nominative: "Sote-johtoryhmän" ->
    "Sote-johtoryhmä", "varsinaiseen yhtiökokoukseen" -> "Varsinainen yhtiökokous",
    "Kylät kuntoon -hankkeen ohjausryhmä" kept as it is."""
    for t in texts:
        ws = words(t[:300])
        for k, w in enumerate(ws):
            base = lemma(w)
            if base.casefold() in ("kokous", "ryhmä") or not base.casefold().endswith(ORGAN_HEADS):
                continue
            phrase = [nominative_phrase(w)]
            j = k - 1
            if j >= 0 and "laatusana" in classes(ws[j]):
                phrase.insert(0, nominative_phrase(ws[j]))       # "Tekninen lautakunta"
                j -= 1
            elif j >= 1 and ws[j - 1].endswith("-") and ws[j] == "ja":
                phrase[:0] = [ws[j - 1], "ja"]                    # "Sivistys- ja kulttuurilautakunta"
                j -= 2
            elif m := re.search(r"((?:[A-ZÅÄÖ]\S*\s+)?\S+\s+-\S+)\s+$", t[:300].split(w)[0]):
                phrase.insert(0, m.group(1))                     # "Kylät kuntoon -hankkeen ohjausryhmä"
            elif j >= 0 and _genitive_attribute(ws[j]) and t.lstrip().startswith(ws[max(0, j - 2)]):
                while j >= 0 and len(phrase) < 4 and _genitive_attribute(ws[j]):
                    phrase.insert(0, ws[j])                      # "Ikäihmisten asumisen työryhmä"
                    j -= 1
            organ = " ".join(phrase)
            if organ.isupper() or t[:300].isupper():
                organ = organ.capitalize()    # "TEKNINEN LAUTAKUNTA" -> "Tekninen lautakunta"
            return organ[:1].upper() + organ[1:]
    return ""


def _genitive_attribute(word: str) -> bool:
    """A common noun in the genitive that names what an organ is for ("asumisen"), not a place
    ("Keminmaan") nor the municipality ("kunnan", "kaupungin")."""
    if word.casefold() in ("kunnan", "kaupungin", "yhtymän", "seudun", "alueen", "maakunnan"):
        return False
    an = [dict(a) for a in analyze(word)]
    return any(a.get("CLASS") in ("nimisana", "teonsana") and a.get("SIJAMUOTO") == "omanto" for a in an) and \
        not any(a.get("CLASS") in ("paikannimi", "etunimi", "sukunimi") for a in an)


def _when_and_where(m: Meeting, units: list[Unit], head: list[str]) -> None:
    units = _caption_values(units)
    for u in units:
        if isinstance(u, Para) and u.caption in ("time", "date") and u.text:
            _place_in_time_line(m, u.text)
            ds = [d for d in find_dates(u.text) if d.precision == "day"]
            if ds:
                m.date = m.date or ds[0].date
                m.start_time = m.start_time or ds[0].time_start
                m.end_time = m.end_time or ds[0].time_end
            if not m.start_time:
                m.start_time, m.end_time = parse_times(u.text)
        if isinstance(u, Para) and u.caption == "place" and u.text and not m.place:
            m.place = u.text.strip().rstrip(".")
        if isinstance(u, Table):
            for row in u.rows:
                cells = [cell_text(c) for c in row]
                if len(cells) >= 2 and re.match(r"^(aika|kokousaika)\s*:?$", cells[0], re.I) and not m.date:
                    ds = find_dates(cells[1])
                    if ds:
                        m.date, m.start_time, m.end_time = ds[0].date, ds[0].time_start, ds[0].time_end
                if len(cells) >= 2 and re.match(r"^(paikka|kokouspaikka)\s*:?$", cells[0], re.I) and not m.place:
                    m.place = cells[1]
    if m.date is None:
        # the first dated line with a time, or one saying when the meeting is held
        candidates = [(t, d) for t in head for d in find_dates(t) if d.precision == "day" and not d.year_inferred]
        timed = [(t, d) for t, d in candidates if d.time_start or MEETING_WHEN_RE.search(t)]
        pick = (timed or candidates or [None])[0]
        if pick:
            t, d = pick
            m.date = d.date
            m.start_time = m.start_time or d.time_start
            m.end_time = m.end_time or d.time_end
            if not m.start_time:
                m.start_time, m.end_time = parse_times(t[t.find(d.text):] if d.text in t else t)
            _place_in_time_line(m, t)
    if not m.place:
        for t in head:
            hit = PLACE_ADDRESS_RE.search(t)
            if hit:
                m.place = hit.group("place").strip().rstrip(".")
                break


def _place_in_time_line(m: Meeting, text: str) -> None:
    """'Aika: 25.4.2019 klo 18.00. Paikka: Kylätalo.' and '3.9.2019 klo 9.00–10.30, Teams-kokous'."""
    if m.place:
        return
    inline = INLINE_PLACE_RE.search(text)
    after = PLACE_AFTER_TIME_RE.search(text)
    if inline:
        m.place = inline.group(1).strip().rstrip(".")
    elif after:
        m.place = re.sub(r"^paikka\s*:?\s*", "", after.group("place").strip(), flags=re.I).rstrip(".")


def _caption_values(units: list[Unit]) -> list[Unit]:
    """'Kokousaika' on one line and its value on the next: give the caption its value."""
    out: list[Unit] = []
    for k, u in enumerate(units):
        nxt = units[k + 1] if k + 1 < len(units) else None
        if (isinstance(u, Para) and u.caption in ("time", "date", "place") and not u.text
                and isinstance(nxt, Para) and not nxt.caption):
            u = Para(text=nxt.text, page=u.page, caption=u.caption, caption_text=u.caption_text)
        out.append(u)
    return out


def meeting_date(m: Meeting) -> dt.date | None:
    return dt.date.fromisoformat(m.date) if m.date else None
