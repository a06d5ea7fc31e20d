"""Attendance: presence tables, caption lists, comma-separated sentences and signatures."""
from __future__ import annotations

import re
from collections import Counter

from models.document import Document, Table
from models.rows import AttendanceRow
from extractors.paragraphs import Para, Unit, caption_of, cell_text, line_readings
from extractors.vocabulary import STATUS_TABLE_NOTE_RE
from extractors.people import (DEPUTY_FOR_RE, SUBSTITUTE_RE, Entry, annotate, find_people,
                               join_comma_names, meeting_role_of, parse_entry)
from extractors.structure import Structure

NAME_HEAD_RE = re.compile(r"^(nimi|nimet|jäsen|jäsenet|henkilö|osallistuja|osallistujat|edustaja|varsinainen jäsen|läsnäolijat)$", re.I)
ORG_HEAD_RE = re.compile(r"^(organisaatio|edustaa|taho|yksikkö|kunta|organisaatio/yksikkö|ryhmä|edustus|toimiala)$", re.I)
ROLE_HEAD_RE = re.compile(r"^(tehtävä|rooli|asema|titteli|nimike|virka)$", re.I)
PRESENT_HEAD_RE = re.compile(r"^(läsnä|paikalla|saapuvilla|x)$", re.I)
ABSENT_HEAD_RE = re.compile(r"^(poissa|estynyt|este)$", re.I)
NOTE_HEAD_RE = re.compile(r"^(lisätiedot|huom\.?|huomautus|huomautukset|saapui|poistui)$", re.I)
PRESENT_MARKS = {"+", "x", "(x)", "läsnä", "kyllä", "k", "✓", "✔", "•", "o", "paikalla"}
ABSENT_MARKS = {"-", "–", "—", "poissa", "ei", "e", "este"}
GROUP_PREFIX_RE = re.compile(r"^(muut kutsutut|muut|kutsutut|kutsuttuina|asiantuntijat|varajäsenet|jäsenet)\s*:\s*", re.I)
LIST_CAPTIONS = {"present", "present_deputy", "present_other", "absent", "chair", "secretary", "presenter", "checkers"}
CHAIRING_RE = re.compile(
    r"\b(?P<role>puheenjohtaja(?:ksi|na)|varapuheenjohtaja(?:ksi|na)|sihteeri(?:ksi|nä)|pöytäkirjanpitäjä(?:ksi|nä)|"
    r"pöytäkirjantarkastaj(?:iksi|aksi|ina|ana)|ääntenlaskijoiksi)\s+(?:valittiin|kutsuttiin|nimettiin|toimi|toimivat|valitaan)?\s*"
    r"(?P<names>[A-ZÅÄÖ][^.]*)", re.I)
GROUP_HEADING_CHARS = 60      # a line this short without a name may head a group of names
SCOPE_ITEMS = 2               # attendance may sit inside the first items ("1. Läsnäolijat")


def extract_attendance(doc: Document, structure: Structure, doc_type: str = "") -> list[AttendanceRow]:
    """An agenda (esityslista) lists who is invited, read from its cover only; minutes and memos
    also record attendance inside their opening items."""
    units = list(structure.preamble)
    if doc_type != "esityslista":
        for it in structure.items[:SCOPE_ITEMS]:
            units.extend(it.units)
    texts = _candidate_texts(units, structure)
    convention = _convention(texts)
    entries: list[tuple[Entry, int, str, str]] = []   # entry, page, group, source text
    heading = None
    for u in units:
        if isinstance(u, Table):
            entries.extend(_from_table(u, convention, heading))
        if isinstance(u, Para) and u.caption in LIST_CAPTIONS and not u.text:
            heading = u.caption
        elif not (isinstance(u, Para) and PARENTHETICAL_RE.match(u.text)):
            heading = None            # "(merkintä puheenjohtajasta)" under a caption keeps it
    entries.extend(_from_captions(units, convention))
    entries.extend(_from_chairing(structure, convention))
    entries.extend(_from_signatures(structure.closing, convention))
    return _merge(doc.doc_id, entries)


def _candidate_texts(units: list[Unit], structure: Structure) -> list[str]:
    out = []
    for u in units + structure.closing:
        if isinstance(u, Table):
            out.extend(cell_text(c) for row in u.rows for c in row)
        else:
            out.append(u.text)
    return out


def _convention(texts: list[str]) -> str:
    """Surname-first only when the document's unambiguous names say so."""
    votes = Counter(p.order for t in texts for p in find_people(t, "fs") if p.order in ("fs", "sf"))
    return "sf" if votes["sf"] > votes["fs"] else "fs"


def _mark(s: str) -> str:
    return re.sub(r"\s+", " ", (s or "")).strip().casefold()


def _header(row: list[str]) -> dict[str, int] | None:
    cols: dict[str, int] = {}
    for k, c in enumerate(row):
        c = _mark(cell_text(c)).rstrip(":")
        for key, rx in (("name", NAME_HEAD_RE), ("org", ORG_HEAD_RE), ("role", ROLE_HEAD_RE),
                        ("present", PRESENT_HEAD_RE), ("absent", ABSENT_HEAD_RE), ("note", NOTE_HEAD_RE)):
            if rx.match(c) and key not in cols:
                cols[key] = k
    if "name" in cols and len(cols) >= 2 or "present" in cols and "absent" in cols:
        return cols
    return None


def _from_table(t: Table, convention: str, heading: str | None = None) -> list[tuple[Entry, int, str, str]]:
    """`heading`: the caption just above the table ("Poissa" over a Nimi | Lisätiedot table)."""
    pairs = _from_pair_table(t, convention)
    if pairs is not None:
        return pairs
    out = []
    header_at, cols = None, None
    for r, row in enumerate(t.rows[:3]):
        cols = _header(row)
        if cols:
            header_at = r
            break
    if cols is None:
        status = _status_header(t)
        if status:
            return _from_name_rows(Table(rows=t.rows[1:], page=t.page, row_pages=t.row_pages[1:]), convention, status)
        found = _from_caption_table(t, convention)
        return found if found or heading is None else _from_name_rows(t, convention, heading)
    if "name" not in cols:   # the name column is the one left of the marks that is not the org
        free = [k for k in range(t.n_cols) if k not in cols.values()]
        if not free:
            return out
        cols["name"] = free[-1] if "org" in cols else free[0]
    org = ""
    for r in range(header_at + 1, len(t.rows)):
        row = [cell_text(c) for c in t.rows[r]]
        page = t.row_pages[r] if r < len(t.row_pages) else t.page
        get = lambda key: row[cols[key]] if key in cols and cols[key] < len(row) else ""
        group = ""
        if get("org"):
            org = get("org")
        org_text = org
        gm = GROUP_PREFIX_RE.match(org_text)
        if gm:
            group, org_text = gm.group(1), org_text[gm.end():]
        entries = parse_entry(get("name"), convention)
        if not entries:
            continue
        orgs = org_text.split()
        pres, absn = _mark(get("present")), _mark(get("absent"))
        marks_used = "present" in cols and "absent" not in cols
        for k, e in enumerate(entries):
            e.organisation = orgs[k] if len(entries) > 1 and len(orgs) == len(entries) else org_text
            if get("role") and not e.role:
                e.role = get("role")
                e.meeting_role = e.meeting_role or meeting_role_of(get("role"))
            if absn and absn not in ("", "-") or pres in ABSENT_MARKS or heading == "absent" \
                    or (marks_used and not pres):   # a Läsnä column left empty: not there
                e.status = "absent"
            else:
                e.status = e.status or "present"
                if pres and pres not in PRESENT_MARKS:
                    annotate(e, get("present"))
            if get("note"):
                annotate(e, get("note"))
                e.note = e.note or get("note")
            out.append((e, page, group, " | ".join(row)))
    return out


PARENTHETICAL_RE = re.compile(r"^\(.*\)$")
MEMBER_HEAD_RE = re.compile(r"^(varsinainen jäsen|varsinaiset jäsenet|jäsen|jäsenet)$", re.I)
DEPUTY_HEAD_RE = re.compile(r"\bvarajäsen(et)?$", re.I)
DEPUTY_MARKS = {"vj", "vj.", "vara", "v", "varajäsen", "varalla"}
FOOTNOTE_TAIL_RE = re.compile(r"\s*[*†‡]+\)?\s*$")


def _plain_mark(cell: str) -> str:
    return _mark(cell).strip("()").strip()


def _status_header(t: Table) -> str | None:
    """`Poissa | Syy`, `Läsnä | Tehtävä`: a header whose name column is titled by the status."""
    if not t.rows or len(t.rows[0]) < 2:
        return None
    head = [cell_text(c).strip().rstrip(":") for c in t.rows[0]]
    key = _caption_key(head[0])
    if key and all(STATUS_TABLE_NOTE_RE.match(h) or not h for h in head[1:]):
        return key
    return None


def _from_pair_table(t: Table, convention: str) -> list[tuple[Entry, int, str, str]] | None:
    """A member | deputy table: `Läsnä | Varsinainen jäsen | Henkilökohtainen varajäsen` (x: the
    member came, vj: the deputy came) or `Jäsenet | (x) | Varajäsenet | (x)` with a mark beside
    each name. A deputy who did not come is not listed; None when the table is not one."""
    for h, head in enumerate(t.rows[:2]):
        cells = [_mark(cell_text(c)).rstrip(":") for c in head]
        member = next((k for k, c in enumerate(cells) if MEMBER_HEAD_RE.match(c)), None)
        deputy = next((k for k, c in enumerate(cells) if DEPUTY_HEAD_RE.search(c)), None)
        if member is not None and deputy is not None and member != deputy:
            break
    else:
        return None
    presence = next((k for k, c in enumerate(cells) if PRESENT_HEAD_RE.match(c)), None)
    out = []
    for r in range(h + 1, len(t.rows)):
        row = [cell_text(c) for c in t.rows[r]]
        get = lambda k: row[k] if k is not None and k < len(row) else ""
        page = t.row_pages[r] if r < len(t.row_pages) else t.page
        members = parse_entry(FOOTNOTE_TAIL_RE.sub("", get(member)), convention)
        deputies = parse_entry(FOOTNOTE_TAIL_RE.sub("", get(deputy)), convention)
        if presence is not None:
            mark = _plain_mark(get(presence))
            member_here, deputy_here = mark in PRESENT_MARKS, mark in DEPUTY_MARKS
        else:
            after = lambda k: _plain_mark(get(k + 1)) if k + 1 < len(row) and k + 1 not in (member, deputy) else None
            m_mark, d_mark = after(member), after(deputy)
            member_here = m_mark in PRESENT_MARKS if m_mark is not None else True
            deputy_here = d_mark in PRESENT_MARKS if d_mark is not None else False
        for e in members:
            e.status = "present" if member_here else "absent"
            e.meeting_role = e.meeting_role or "member"
        for e in deputies if deputy_here else []:
            e.status, e.meeting_role = "present", "deputy"
            e.substitute_for = members[0].person if members else ""
        out.extend((e, page, "", " | ".join(row)) for e in members + (deputies if deputy_here else []))
    return out


def _from_name_rows(t: Table, convention: str, key: str) -> list[tuple[Entry, int, str, str]]:
    """A table without a header under an attendance caption: one person a row, the other cells
    a title, an organisation or a presence mark."""
    out = []
    for r, row in enumerate(t.rows):
        cells = [cell_text(c) for c in row]
        page = t.row_pages[r] if r < len(t.row_pages) else t.page
        named = [k for k, c in enumerate(cells) if c and find_people(c, convention)]
        if not named:
            continue
        entries: list[Entry] = []
        for k, c in enumerate(cells):
            mark = _mark(c)
            if k in named:            # a list set in columns: every cell of names is entries
                entries.extend(_entries_in(c, key, convention))
                continue
            if not mark:
                continue
            for e in entries[-1:] if len(named) > 1 else entries:
                if mark in ABSENT_MARKS:
                    e.status = "absent"
                elif mark in PRESENT_MARKS:
                    e.status = "present" if key != "absent" else e.status
                elif not e.role and c[:1].islower():
                    e.role, e.meeting_role = c, e.meeting_role or meeting_role_of(c)
                elif not e.organisation:
                    e.organisation = c
        out.extend((e, page, key, " | ".join(cells)) for e in entries)
    return out


def _caption_key(text: str) -> str | None:
    found = caption_of(text.strip(), True)
    if found and not found[2]:
        return found[0] if found[0] in LIST_CAPTIONS else None
    return None


def _from_caption_table(t: Table, convention: str) -> list[tuple[Entry, int, str, str]]:
    """Cover-page tables: a caption cell (Läsnä, Poissa, Puheenjohtaja) and names beside it."""
    out = []
    key = None
    for r, row in enumerate(t.rows):
        if len(row) < 2:
            continue
        page = t.row_pages[r] if r < len(t.row_pages) else t.page
        first = cell_text(row[0])
        k = _caption_key(first) if first else key
        if first and k is None:
            key = None
            continue
        key = k
        for cell in row[1:]:
            for line in (cell or "").split("\n"):
                for e in _entries_in(line, key, convention):
                    out.append((e, page, first, line))
    return out


def _entries_in(text: str, key: str, convention: str) -> list[Entry]:
    """One line or sentence under a caption; comma lists split, a bare role joins its person."""
    text = join_comma_names(text.strip().rstrip("."))
    if not text:
        return []
    pieces = [text]
    substitution = DEPUTY_FOR_RE.search(text) or SUBSTITUTE_RE.search(text)
    if not substitution and (len(find_people(text, convention)) >= 2 and "," in text or re.search(r"\s+ja\s+[A-ZÅÄÖ]", text)):
        pieces = [p for p in re.split(r",\s*(?![^()]*\))|\s+ja\s+(?=[A-ZÅÄÖ])(?![^()]*\))", text) if p.strip()]
    out: list[Entry] = []
    for piece in pieces:
        found = parse_entry(piece, convention, deputies=key == "present_deputy")
        if not found and out and re.match(r"^[a-zåäö]", piece.strip()):
            out[-1].role = out[-1].role or piece.strip()          # "Nousiainen Timo, puheenjohtaja"
            out[-1].meeting_role = out[-1].meeting_role or meeting_role_of(piece)
            continue
        out.extend(found)
    for e in out:
        _apply_caption(e, key)
    return out


def _apply_caption(e: Entry, key: str) -> None:
    if key == "absent":
        e.status = "absent"
    else:
        e.status = e.status or "present"
    role_for = {"chair": "chair", "secretary": "secretary", "presenter": "presenter",
                "checkers": "minutes_checker", "present_deputy": "deputy"}
    if key in role_for and not e.meeting_role:
        e.meeting_role = role_for[key]


def _from_captions(units: list[Unit], convention: str) -> list[tuple[Entry, int, str, str]]:
    """Names under attendance captions, one per line or as sentences. A short line without a name
    ("Kokoomus", "Varajäsenet") is a group heading inside the list; two in a row end it."""
    out = []
    key = None
    group = ""
    misses = 0                        # short lines without a name since the last entry
    opened = False                    # a caption seen, no entry under it yet
    for u in units:
        if isinstance(u, Table):
            key = None
            continue
        if u.caption:
            key = u.caption if u.caption in LIST_CAPTIONS else None
            group = u.caption_text
            if key:
                found = _best_reading(u, key, group, convention)
                out.extend(found)
                misses, opened = (0, False) if found else (1, True)
            continue
        if key is None:
            continue
        if u.heading or not u.text or max(len(t) for t in line_readings(u)[0]) > 160:
            key = None
            continue
        found = _best_reading(u, key, group, convention)
        if not found and u.list_label and u.list_label[0].isdigit():
            key = None                # the numbered items begin; a numbered list of names goes on
            continue
        if found:
            out.extend(found)
            misses, opened = 0, False
        elif out and re.match(r"^[a-zåäö]", u.text) and len(u.text) < 60 and out[-1][2] == group:
            e = out[-1][0]            # "Sukunimi, Etunimi" with the title on the next line
            e.role = e.role or u.text
            e.meeting_role = e.meeting_role or meeting_role_of(u.text)
        elif len(u.text) <= GROUP_HEADING_CHARS and misses < (2 if opened else 1):
            misses += 1               # a party or role heading, a column header, a wrapped caption
        else:
            key = None
    return out


def _best_reading(u: Para, key: str, group: str, convention: str) -> list[tuple[Entry, int, str, str]]:
    """One entry per line, unless reading the wrapped lines as one text finds more people."""
    readings = [_list_lines(r, key, group, u.page, convention) for r in line_readings(u)]
    return max(readings, key=len)


def _list_lines(lines: list[str], key: str, group: str, page: int, convention: str) -> list[tuple[Entry, int, str, str]]:
    out: list[tuple[Entry, int, str, str]] = []
    for line in lines:
        found = _entries_in(line, key, convention)
        if found:
            out.extend((e, page, group, line) for e in found)
        elif out and re.match(r"^[a-zåäö]", line.strip()) and len(line) < 60:
            e = out[-1][0]            # a title on the line under "Sukunimi, Etunimi"
            e.role = e.role or line.strip()
            e.meeting_role = e.meeting_role or meeting_role_of(line)
    return out


def _from_chairing(structure: Structure, convention: str) -> list[tuple[Entry, int, str, str]]:
    """'Puheenjohtajaksi valittiin Tuukka Forsell', 'Sihteerinä toimi ...' in the opening items."""
    out = []
    for it in structure.items[:4]:
        for u in it.units:
            if isinstance(u, Table):
                continue
            for m in CHAIRING_RE.finditer(u.text):
                key = meeting_role_of(m.group("role")) or "other"
                for e in _entries_in(m.group("names").split(".")[0], "present", convention):
                    e.meeting_role = "minutes_checker" if "tarkast" in m.group("role").lower() else key
                    out.append((e, u.page, "", u.text))
    return out


def _from_signatures(closing: list[Unit], convention: str) -> list[tuple[Entry, int, str, str]]:
    out = []
    for u in closing:
        if isinstance(u, Table):
            for row in u.rows:
                for c in row:
                    for line in (c or "").split("\n"):
                        out.extend((e, u.page, "signatures", line) for e in _entries_in(line, "present", convention))
            continue
        if len(u.text) > 120:
            continue
        for e in _entries_in(u.text, "present", convention):
            out.append((e, u.page, "signatures", u.text))
    return out


def _key(person: str) -> str:
    return re.sub(r"[^\wåäö]", "", person.casefold())


def _merge(doc_id: str, entries: list[tuple[Entry, int, str, str]]) -> list[AttendanceRow]:
    rows: dict[str, AttendanceRow] = {}
    for e, page, group, src in entries:
        k = _key(e.person)
        if k in rows:
            r = rows[k]
            if r.status == "absent" and e.status == "present" and group != "signatures":
                r.status = "present"
            for f in ("role", "meeting_role", "organisation", "substitute_for", "remote", "arrived",
                      "departed", "arrived_item", "departed_item", "note"):
                if not getattr(r, f) and getattr(e, f, None):
                    setattr(r, f, getattr(e, f))
            continue
        rows[k] = AttendanceRow(
            doc_id=doc_id, person=e.person, person_written=e.written, role=e.role,
            organisation=e.organisation, status=e.status or "present",
            meeting_role=e.meeting_role, section=group, substitute_for=e.substitute_for, remote=e.remote,
            arrived=e.arrived, departed=e.departed, arrived_item=e.arrived_item,
            departed_item=e.departed_item, note=e.note, page=page, source_text=src[:500])
    return list(rows.values())
