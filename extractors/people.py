"""Person entries as minutes write them: "kaupunginjohtaja Tero Nissinen", "Nousiainen Timo, pj",
"kunnanjohtaja Mika Simoska Tuomo Hokkinen", "(POISSA) sij. Liisa Virtanen", "klo 12.25-"."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from extractors.datetext import TIME_RE, hhmm
from extractors.finnish import is_common_word, is_first_name, is_surname_like

TOKEN_RE = re.compile(r"\S+")
TITLE_WORD_RE = re.compile(r"(johtaja|päällikkö|sihteeri|jäsen|tarkastaja|lääkäri|insinööri|hoitaja|neuvos|"
                           r"asiamies|kamreeri|valtuutettu|edustaja|esittelijä|suunnittelija|koordinaattori|"
                           r"asiantuntija|työntekijä|opettaja|rehtori|kirjuri|pitäjä)\w*$", re.I)
STRIP = ",.;:()[]\"'”“«»"
MEETING_ROLES = [
    ("vice_chair", re.compile(r"\b(varapuheenjohtaja\w*|vpj\.?)(?=\W|$)", re.I)),
    ("chair", re.compile(r"(?<![\w-])(puheenjohtaja(?:na|ksi)?|pj\.?|pj)(?=\W|$)", re.I)),
    ("secretary", re.compile(r"\b(siht\.?(?=\W|$)|sihteeri(?:nä|ksi)?|pöytäkirjan ?pitäjä\w*|pöytäkirjanpitäjä\w*|muistion ?kirjoittaja|muistio)\b|\(muistio\)", re.I)),
    ("minutes_checker", re.compile(r"\b(pöytäkirjan ?tarkastaja\w*|ääntenlaskija\w*)\b", re.I)),
    ("presenter", re.compile(r"\b(esittelijä\w*)\b", re.I)),
    ("deputy", re.compile(r"\b(varajäsen\w*|varalla|vj\.?|varavaltuutettu)(?=\W|$)", re.I)),
    ("member", re.compile(r"\b(jäsen|jäsenenä|valtuutettu)\b", re.I)),
]
NOT_MEETING_CHAIR_RE = re.compile(r"\b(hallituksen|lautakunnan|valtuuston|yhtiön|toimikunnan|jaoston|ryhmän)\s+(vara)?puheenjohtaja", re.I)
REMOTE_RE = re.compile(r"\(?\b(video\w*|etä\w*|puhelin\w*|teams\w*|zoom\w*|skype\w*)\b(?:\s*yhtey\w*)?\)?", re.I)
SUBSTITUTE_RE = re.compile(
    r"\b(?:sij\.?|sijaisena|sijainen|tilalla|tilalle|varalla|varahenkilö(?:nä)?)\s*:?\s+(?P<sub>[A-ZÅÄÖ][^,;()]*)", re.I)
# "Väisänen Arja, Mattila Reijon varajäsen": the genitive name is the member stood in for
DEPUTY_OF_RE = re.compile(r"\b([A-ZÅÄÖ][\w-]+\s+[A-ZÅÄÖ][\w-]+n)\s+(?:henkilökohtainen\s+)?varajäsen\w*", re.I)
DEPUTY_FOR_RE = re.compile(r"\b(?:varajäsen\w*|varalla|sijaisena|sij\.?|varahenkilö\w*)\s*\(\s*([^)]+?)\s*\)", re.I)
ABSENT_MARK_RE = re.compile(r"\(\s*poissa\s*\)|\bposs?a\b|\beste\b|\bestynyt\b|\bestyneenä\b|\bpoissa\s*\.?$", re.I)
ARRIVE_RE = re.compile(r"\b(saapui|tuli|saapuen|paikalla|läsnä)\b", re.I)
LEAVE_RE = re.compile(r"\b(poistui|lähti|poistuen|poissa)\b", re.I)
CLOCK_RE = re.compile(r"(?:klo|kello|ajassa)\s*(\d{1,2}(?:[.:]\d{2})?)", re.I)
ITEM_REF_RE = re.compile(r"§\s*(\d+)|(\d+)\s*§|kohda(?:sta|n|ssa)\s*(\d+)|asia(?:n|sta)\s*(\d+)", re.I)
ANNOTATION_RE = re.compile(r"\(?\s*\b(poissa|sij\.?|sijaisena|tilalla|este|estynyt)\b\s*\)?[,.]?", re.I)
ITEM_SPAN_RE = re.compile(r"\(\s*(?:§\s*(?P<a>\d+)\s*[-–]\s*(?P<b>\d+)|(?P<c>\d+)\s*[-–]\s*(?P<d>\d+)\s*§|kohdat\s*(?P<e>\d+)\s*[-–]\s*(?P<f>\d+))\s*\)")


@dataclass
class PersonSpan:
    start: int           # token index
    end: int             # exclusive
    person: str          # "Etunimi Sukunimi"
    written: str
    order: str           # "fs" first-surname, "sf" surname-first, "?" unknown


@dataclass
class Entry:
    person: str
    written: str
    role: str = ""
    organisation: str = ""
    meeting_role: str = ""
    status: str = ""
    note: str = ""
    substitute_for: str = ""
    remote: str = ""
    arrived: str | None = None
    departed: str | None = None
    arrived_item: str = ""
    departed_item: str = ""
    extra: dict = field(default_factory=dict)


def _clean(tok: str) -> str:
    return tok.strip(STRIP)


def _name_token(tok: str) -> bool:
    t = _clean(tok)
    return len(t) >= 2 and t[:1].isupper() and not t.isupper() and bool(re.fullmatch(r"[\wÅÄÖåäö'’-]+", t))


def find_people(text: str, convention: str = "fs") -> list[PersonSpan]:
    """Person names in a short text, first names found by Voikko; surname-first order is read
    as such when only that reading fits, or when `convention` says the document writes it so."""
    toks = TOKEN_RE.findall(text)
    clean = [_clean(t) for t in toks]
    fn = [_name_token(t) and is_first_name(c) for t, c in zip(toks, clean)]
    used = [False] * len(toks)
    out: list[PersonSpan] = []
    i = 0
    while i < len(toks):
        if not fn[i] or used[i]:
            i += 1
            continue
        j = i + 1
        while j < len(toks) and fn[j] and j + 1 < len(toks) and _name_token(toks[j + 1]) and not toks[j - 1].endswith(","):
            j += 1   # more first names: "Tero Juhani Nissinen"
        after = j < len(toks) and _name_token(toks[j]) and not toks[j - 1].endswith(",") and not fn[j] \
            and not TITLE_WORD_RE.search(clean[j])
        after_fn = j < len(toks) and _name_token(toks[j]) and fn[j] and not toks[j - 1].endswith(",") and \
            (is_surname_like(clean[j]) or not (j + 1 < len(toks) and _name_token(toks[j + 1])))
        before = i > 0 and not used[i - 1] and _name_token(toks[i - 1]) and not fn[i - 1] and \
            not toks[i - 1].endswith(",") and (
                not is_common_word(clean[i - 1]) and is_surname_like(clean[i - 1])
                # a surname that is also a word (Kallioniemi, Kangas) when nothing else can be one
                or not after and not after_fn and not TITLE_WORD_RE.search(clean[i - 1]))
        comma_before = i == 1 and not used[0] and toks[0].endswith(",") and _name_token(toks[0]) and \
            not fn[0] and not TITLE_WORD_RE.search(clean[0])     # "Ilves, Kaisa": any capitalised word
        if (after or after_fn) and not (before and convention == "sf" and not after_fn):
            k = j + 1
            while k < len(toks) and _name_token(toks[k]) and clean[k].startswith(("-",)):
                k += 1
            first = " ".join(clean[i:j])
            sur = clean[j]
            out.append(PersonSpan(i, j + 1, f"{first} {sur}", " ".join(clean[i:j + 1]), "?" if before else "fs"))
            for x in range(i, j + 1):
                used[x] = True
            i = j + 1
            continue
        if before or comma_before:
            first = " ".join(clean[i:j])
            out.append(PersonSpan(i - 1, j, f"{first} {clean[i - 1]}", " ".join(clean[i - 1:j]), "sf"))
            for x in range(i - 1, j):
                used[x] = True
            i = j
            continue
        i = j
    # names Voikko does not know a first name of: two capitalised unknown words
    if not out:
        caps = [k for k, t in enumerate(toks) if _name_token(t) and not is_common_word(clean[k]) and is_surname_like(clean[k])]
        for k in caps:
            if k + 1 in caps and not used[k] and not used[k + 1] and not toks[k].endswith(","):
                out.append(PersonSpan(k, k + 2, f"{clean[k]} {clean[k + 1]}", f"{clean[k]} {clean[k + 1]}", "?"))
                used[k] = used[k + 1] = True
    out.sort(key=lambda p: p.start)
    return out


def meeting_role_of(text: str) -> str:
    if NOT_MEETING_CHAIR_RE.search(text):
        return "other"
    for role, rx in MEETING_ROLES:
        if rx.search(text):
            return role
    return ""


def _time(s: str | None) -> str | None:
    if not s:
        return None
    h, _, m = s.replace(":", ".").partition(".")
    return hhmm(h, m or "0")


def annotate(entry: Entry, text: str) -> None:
    """Arrivals, departures, item spans, remote attendance and absence marks in an entry's text."""
    if ABSENT_MARK_RE.search(text) and not SUBSTITUTE_RE.search(text.split("(")[0] if "(" in text else ""):
        entry.status = entry.status or "absent"
    rm = REMOTE_RE.search(text)
    if rm and re.search(r"yhtey|etä|teams|zoom|skype|video|puhelin", rm.group(0), re.I):
        entry.remote = rm.group(1).lower()
    for rx, kind in ((ARRIVE_RE, "arrived"), (LEAVE_RE, "departed")):
        m = rx.search(text)
        if m and not (kind == "arrived" and m.group(1).lower() in ("paikalla", "läsnä") and "kohda" not in text):
            window = re.split(r"[,;]|\bja\b", text[m.end():m.end() + 50])[0]
            t = CLOCK_RE.search(window)
            i = ITEM_REF_RE.search(CLOCK_RE.sub(" ", window))
            if t:
                setattr(entry, kind, _time(t.group(1)))
            if i:
                setattr(entry, f"{kind}_item", next(g for g in i.groups() if g))
    m = ITEM_SPAN_RE.search(text)
    if m:
        a = m.group("a") or m.group("c") or m.group("e")
        b = m.group("b") or m.group("d") or m.group("f")
        entry.arrived_item, entry.departed_item = entry.arrived_item or a, entry.departed_item or b
    if not entry.arrived and not entry.departed:
        t = TIME_RE.search(text)
        if t and re.search(r"[-–]\s*$|[-–]\s*\)", text[t.start():t.end() + 2]) and not t.group("h2"):
            entry.arrived = hhmm(t.group("h1"), t.group("m1"))          # "klo 12.25-": came at 12.25
        elif t and t.group("h2") and re.match(r"^\s*(klo\s*)?[-–]", text[t.start():]):
            entry.departed = hhmm(t.group("h2"), t.group("m2"))         # "klo -18.19": left at 18.19
        elif t and t.group("h2"):
            entry.arrived, entry.departed = hhmm(t.group("h1"), t.group("m1")), hhmm(t.group("h2"), t.group("m2"))
    paitsi = re.search(r"\(\s*paitsi\s+([^)]*)\)", text, re.I)
    if paitsi:
        entry.note = (entry.note + "; " if entry.note else "") + f"paitsi {paitsi.group(1).strip()}"


COMMA_NAME_RE = re.compile(r"(?<![\w,] )(?<!\w)([A-ZÅÄÖ][\w'’-]+),\s+([A-ZÅÄÖ][\w'’-]+)\b")
PAREN_RE = re.compile(r"\s*\(([^()]{3,60})\)")


def join_comma_names(text: str) -> str:
    """"Mäkinen, Lauri (Lehtonen, Irma)" -> "Mäkinen Lauri (Lehtonen Irma)": the comma of a
    surname-first name is no list separator. A surname after a first name ("Matti Virtanen,
    Liisa Korhonen") is left alone."""
    def fix(m: re.Match) -> str:
        before = text[:m.start()].split()
        if before and is_first_name(_clean(before[-1])):
            return m.group(0)
        if is_first_name(m.group(2)) and not is_first_name(m.group(1)):
            return f"{m.group(1)} {m.group(2)}"
        return m.group(0)
    return COMMA_NAME_RE.sub(fix, text)


def _stood_in(text: str, convention: str) -> tuple[str, list[tuple[str, str]]]:
    """Names in brackets after a person ("Niskanen Sami (Kauppinen Minna), varajäsen") are the
    members stood in for: the text without them, and (text before the bracket, name) pairs."""
    found = []
    def drop(m: re.Match) -> str:
        inner = m.group(1).strip()
        people = find_people(inner, convention)
        if len(people) == 1 and len(inner.split()) <= 4 and find_people(text[:m.start()], convention):
            found.append((text[:m.start()], people[0].person))
            return ""
        return m.group(0)
    return PAREN_RE.sub(drop, text), found


def parse_entry(text: str, convention: str = "fs", deputies: bool = False) -> list[Entry]:
    """All persons in one attendance entry, each with role, meeting role and annotations.
    `deputies`: the entry is under a Varajäsenet heading, where "(Name)" is the member stood in for."""
    text = join_comma_names(re.sub(r"\s+", " ", text).strip())
    if not text:
        return []
    text, brackets = _stood_in(text, convention)
    if brackets:
        entries = parse_entry(text, convention, deputies)
        for before, member in brackets:
            holder = next((e for e in reversed(entries) if e.written and e.written in before), None)
            if holder is not None and not holder.substitute_for:
                holder.substitute_for = member
                holder.meeting_role = holder.meeting_role if holder.meeting_role not in ("", "member") else "deputy"
                holder.status = "present"
        return entries
    stood_in_for = ""
    of = DEPUTY_OF_RE.search(text)
    if of and find_people(text[:of.start()], convention):
        stood_in_for = " ".join(_nominative_name(w) for w in of.group(1).split())
        text = (text[:of.start()] + " varajäsen" + text[of.end():]).strip()
    sub = SUBSTITUTE_RE.search(text)
    people = find_people(text, convention)
    if not people:
        return []
    toks = TOKEN_RE.findall(text)
    entries: list[Entry] = []
    for k, p in enumerate(people):
        prev_end = people[k - 1].end if k else 0
        nxt = people[k + 1].start if k + 1 < len(people) else len(toks)
        before = " ".join(toks[prev_end:p.start])
        after = " ".join(toks[p.end:nxt])
        role = _role_before(before) or _role_after(after)
        e = Entry(person=p.person, written=p.written, role=role)
        e.extra["order"] = p.order
        context = f"{role} {after}"
        e.meeting_role = meeting_role_of(context)
        annotate(e, after if len(people) > 1 else text)
        entries.append(e)
    deputy_for = DEPUTY_FOR_RE.search(text) or (re.search(r"\(\s*([^)]+?)\s*\)", text) if deputies else None)
    if deputy_for and len(entries) >= 2:
        # "Leinonen Kaisu, varajäsen (Rämö Pekka)": the name in brackets is the member she stands in for
        stood_in = [e for e in entries if e.written and e.written in deputy_for.group(1)]
        rest = [e for e in entries if e not in stood_in]
        if stood_in and rest:
            rest[0].substitute_for = stood_in[0].person
            rest[0].meeting_role = rest[0].meeting_role or "deputy"
            return rest
    if stood_in_for and entries:
        entries[0].substitute_for = entries[0].substitute_for or _normal_order(stood_in_for, convention)
        entries[0].meeting_role = entries[0].meeting_role or "deputy"
    if sub and len(entries) >= 2:
        # "Korhonen Pekka (poissa), sij. Liisa Virtanen": the first is away, the second stands in
        sub_people = [e for e in entries if e.written and e.written in sub.group("sub")]
        for s in sub_people:
            others = [e for e in entries if e is not s]
            if others:
                s.substitute_for = others[0].person
                s.status = "present"
                s.meeting_role = s.meeting_role or "deputy"
                others[0].status = "absent"
    return entries


def _nominative_name(word: str) -> str:
    """'Reijon' -> 'Reijo' (a name in the genitive), capitalised as written."""
    from extractors.finnish import analyze
    for a in analyze(word):
        d = dict(a)
        if d.get("SIJAMUOTO") == "omanto" and d.get("BASEFORM"):
            base = d["BASEFORM"]
            return base[:1].upper() + base[1:]
    return word[:-1] if word.endswith("n") else word


def _normal_order(name: str, convention: str) -> str:
    found = find_people(name, convention)
    return found[0].person if found else name


def _role_before(s: str) -> str:
    s = ANNOTATION_RE.sub(" ", s)
    s = re.sub(r"\s+", " ", s).strip(" ,;:-–()")
    s = re.sub(r"^(ja|sekä)\s+", "", s)
    if not s or re.search(r"\d", s):
        return ""
    return s if len(s) <= 80 else ""


def _role_after(s: str) -> str:
    m = re.match(r"^\s*[,(]?\s*([a-zåäö][\wåäö .:-]*?)\s*\)?\s*(?:[,;(]|$)", s)
    if m and not re.match(r"^(sij|tilalla|poissa|este|klo|saapui|poistui|paikalla|läsnä|lähti|video|etä|puhelin|paitsi|kohda)", m.group(1), re.I):
        return m.group(1).strip()
    return ""
