"""The hard variety of real documents (docs/layouts.md, "Variants an extractor must handle"), as
building blocks the families draw from: header lines, date/time forms, attendance layouts, item
heads, decision captions, earlier-handling stacks, vote lists, signature and appeal blocks.

Every helper prints a string and adds the gold row from that very string (or from the values it
was built from). Times printed without `klo`/`kello` use minutes > 12 so no time reads as a date."""
from __future__ import annotations

import datetime as dt
import random

from synth.content import MONTHS_GEN, WEEKDAYS, WEEKDAYS_LONG, Item, Person
from synth.spec import PageBreak, Spec, Table, ann

DOC_WORDS = ["PÖYTÄKIRJA", "Pöytäkirja", "KOKOUSPÖYTÄKIRJA", "ESITYSLISTA/KOKOUSPÖYTÄKIRJA",
             "ESITYSLISTA- PÖYTÄKIRJA", "PÄÄTÖKSET", "P Ö Y T Ä K I R J A"]
PAGE_FORMS = ["{PAGE} ({NUMPAGES})", "{PAGE}({NUMPAGES})", "{PAGE}/{NUMPAGES}", "Sivu {PAGE} / {NUMPAGES}", "{PAGE}"]


def spaced(word: str) -> str:
    return " ".join(word)


def number_text(r: random.Random, n: int, year: int) -> str:
    return r.choice([f"{n}/{year}", f"{n}/{year}", f"{n} / {year}", f"No {n}/{year}", f"Nro {n}/{year}"])


# ------------------------------------------------------------------ dates and times
def wd_prefix(r: random.Random, d: dt.date) -> str:
    """'ti ', 'La ', 'Tiistai ', 'tiistaina ', 'Tiistaina ' or nothing."""
    i = d.weekday()
    return r.choice(["", f"{WEEKDAYS[i]} ", f"{WEEKDAYS[i].capitalize()} ", f"{WEEKDAYS_LONG[i].capitalize()} ",
                     f"{WEEKDAYS_LONG[i]}na ", f"{WEEKDAYS_LONG[i].capitalize()}na "])


def when_hard(r: random.Random, d: dt.date, start: str, end: str, form: str | None = None) -> str:
    """The meeting's date and time in the harder printed forms; one annotated mention."""
    sh, sm = int(start[:2]), start[3:]
    eh, em = (int(end[:2]), end[3:]) if end else (0, "")
    form = form or r.choice(["kello_range", "alkaen", "klo_h", "bare_time", "long_month", "colon_nodash", "comma_klo",
                             "dmy0_dash"])
    if form in ("alkaen", "klo_h", "bare_time"):
        end = ""
    if form == "klo_h":
        start = f"{sh:02d}:00"
    if form == "bare_time" and int(sm) <= 12:
        start, sm = f"{sh:02d}:45", "45"
    date = f"{wd_prefix(r, d)}{d.day}.{d.month}.{d.year}"
    t = {"kello_range": f"kello {sh}.{sm}-{eh}.{em}" + r.choice(["", "."]),
         "alkaen": f"alkaen kello {sh}.{sm}",
         "klo_h": f"klo {sh}",
         "bare_time": f"{sh}.{sm}",
         "long_month": f"klo {sh}.{sm}–{eh}.{em}",
         "colon_nodash": f"klo {start} {end}",
         "comma_klo": f"klo {start}-{end}",
         "dmy0_dash": f"klo {sh}.{sm} – {eh}.{em}"}[form]
    if form == "long_month":
        date = f"{wd_prefix(r, d)}{d.day}. {MONTHS_GEN[d.month - 1]} {d.year}"
    elif form == "comma_klo":
        date += ","
    elif form == "dmy0_dash":
        date = f"{wd_prefix(r, d)}{d.day:02d}.{d.month:02d}.{d.year}"
    iso = f"{d.isoformat()} {start}" + (f"-{end}" if end else "")
    return ann(f"{date} {t}", iso)


def two_day(r: random.Random, d: dt.date, start: str, end: str) -> str:
    """'26.–27.9.2012 klo 9.00–15.00': two calendar days, the same hours on both."""
    d2 = d + dt.timedelta(days=1)
    dash = r.choice(["–", "-"])
    if d2.month == d.month:
        date = f"{d.day}.{dash}{d2.day}.{d.month}.{d.year}"
    else:
        date = f"{d.day}.{d.month}.{dash}{d2.day}.{d2.month}.{d.year}"
    t = f"klo {int(start[:2])}.{start[3:]}–{int(end[:2])}.{end[3:]}"
    return ann(f"{date} {t}", f"{d.isoformat()} {start}-{end}; {d2.isoformat()} {start}-{end}")


def clock(hhmm: str, plus: int = 0) -> str:
    h, m = int(hhmm[:2]), int(hhmm[3:]) + plus
    return f"{h + m // 60}.{m % 60:02d}"


def late_minute(r: random.Random) -> int:
    return r.choice([14, 18, 25, 31, 37, 44, 52])


# ------------------------------------------------------------------ partial presence
def partial_note(r: random.Random, first_no: int, last_no: int, start: str) -> str:
    """A partial-presence note as printed beside a name (never a bare day.month-like time)."""
    a = r.randint(first_no, max(first_no, last_no - 1))
    b = r.randint(a, last_no)
    h = int(start[:2]) + r.randint(0, 2)
    m = late_minute(r)
    return r.choice([f"(läsnä §§ {a}–{b})", f"pj. kohdat {a}-{b}", f"({h}.{m} saakka)", f"poistui ajassa {h}.{m}",
                     f"saapui {a} §:n aikana", f"saapui kohdassa {a} kello {h}.{m:02d}", f"klo {h}.{m}–",
                     f"(pykälien {a}–{b} käsittelyn ajan)", f"poistui § {b} käsittelyn alussa"])


# ------------------------------------------------------------------ item heads
HEADS = ["pyk_before", "pyk_nospace", "pyk_after_caps", "bare_caps", "paren", "bare", "asia", "pyk_after"]


def head_text(style: str, no: str, title: str, organ_abbr: str = "KH") -> str:
    return {"pyk_before": f"§ {no} {title}", "pyk_nospace": f"§{no} {title}", "pyk_after_caps": f"{no} § {title.upper()}",
            "pyk_after": f"{no} §  {title}", "bare_caps": f"{no} {title.upper()}", "paren": f"{no}) {title}",
            "bare": f"{no} {title}", "asia": f"Asia {no}: {title}", "pyk_caps_before": f"§ {no} {title.upper()}",
            "abbr": f"{organ_abbr} § {no}"}[style]


def heading_title(style: str, title: str) -> str:
    """The title as the head prints it (the gold title is what is printed)."""
    return title.upper() if style in ("pyk_after_caps", "bare_caps", "pyk_caps_before") else title


def hyphenate(title: str, r: random.Random) -> str:
    """A contents-table title broken at a long word: 'HYVÄKSY- MINEN' (the body keeps the clean title)."""
    words = title.split(" ")
    long = [i for i, w in enumerate(words) if len(w) >= 10 and w.isalpha()]
    if not long:
        return title
    i = r.choice(long)
    w = words[i]
    cut = len(w) // 2
    words[i] = w[:cut] + "- " + w[cut:]
    return " ".join(words)


# ------------------------------------------------------------------ decisions
TRAILERS = ["Tiedoksi: hallintojohtaja, kirjanpito", "Täytäntöönpano: talousjohtaja", "Muutoksenhaku: Oikaisuvaatimus",
            "Ote: hakijat, tekninen toimi", "Oheismateriaali: -", "Liitteet: Liite 1 Tarjousvertailu"]


def trailer(spec: Spec, r: random.Random, it: Item) -> None:
    """Lines after a decision that are not part of it (Tweb r070: Täytäntöönpano, Valmistelijat)."""
    if it.kind == "matter" and r.random() < 0.35:
        for line in r.sample(TRAILERS, r.randint(1, 2)):
            spec.p(line, size=-1)


def decision_blocks(spec: Spec, r: random.Random, it: Item, style: str, organ: str, prop_cap: str = "Ehdotus") -> None:
    """Prints the proposal and the decision of one item in a decision style; gold from the printed decision."""
    _decision_blocks(spec, r, it, style, organ, prop_cap)
    trailer(spec, r, it)


def _decision_blocks(spec: Spec, r: random.Random, it: Item, style: str, organ: str, prop_cap: str) -> None:
    if style == "tense":                       # uncaptioned pair, told apart only by tense
        if it.proposal:
            spec.p(it.proposal)
        if it.decision:
            spec.p(it.decision)
    elif style == "caps_colon":
        if it.proposal:
            spec.p(f"{prop_cap.upper()}: {it.proposal}")
        if it.decision:
            spec.p(f"PÄÄTÖS: {it.decision}")
    elif style == "tab":
        if it.proposal:
            spec.p(f"**{prop_cap}**\t\t{it.proposal}")
        if it.decision:
            spec.p(f"**Päätös**\t\t{it.decision}")
    elif style == "left_col":
        rows = ([[prop_cap, it.proposal]] if it.proposal else []) + ([["Päätös", it.decision]] if it.decision else [])
        if rows:
            spec.add(Table(rows, [3.5, 12.5], bold_cols=(0,)))
    elif style == "organ_caption":             # 'Esitys Hallitus' / 'Päätös Hallitus'
        if it.proposal:
            spec.p(f"**Esitys** {organ}")
            spec.p(it.proposal)
        if it.decision:
            spec.p(f"**Päätös** {organ}")
            spec.p(it.decision)
    elif style == "dash":
        if it.proposal:
            spec.p(it.proposal)
        if it.decision:
            spec.p(f"– {it.decision}", indent=0.5)
    else:                                      # own_line
        if it.proposal:
            spec.p(prop_cap, bold=True)
            spec.p(it.proposal)
        if it.decision:
            spec.p("Päätös", bold=True)
            if it.kind == "matter" and r.random() < 0.2:
                spec.add(PageBreak())          # the running header lands between the caption and its text
            spec.p(it.decision)


def numbered_decision(r: random.Random, organ: str, it: Item) -> list[str]:
    """'<Organ> päätti' + typed '1. …' '2. …' lines; the gold text joins the printed lines."""
    core = it.decision
    if core.startswith(organ + " "):
        core = core[len(organ) + 1:]
    core = core.rstrip(".")
    if not core or core[0].isupper() or "päätti" in core or len(core.split()) < 2:
        return []
    verb, rest = core.split(" ", 1)
    rest = rest.split(" ja ")[0]                 # 'hyväksyi X ja lähetti Y': keep the first clause
    return [f"{organ} päätti", f"1. {_inf(verb)} {rest},", "2. valtuuttaa viranhaltijan allekirjoittamaan asiakirjat."]


_INF = {"hyväksyi": "hyväksyä", "valitsi": "valita", "antoi": "antaa", "myönsi": "myöntää", "merkitsi": "merkitä",
        "nimesi": "nimetä", "myi": "myydä", "asetti": "asettaa", "vahvisti": "vahvistaa", "jatkoi": "jatkaa"}


def _inf(verb: str) -> str:
    return _INF.get(verb, verb)


def vote_lines(r: random.Random, names: list[str]) -> list[str]:
    """A roll-call vote: the names are voters, never attendance rows of their own."""
    k = max(1, len(names) * 2 // 3)
    yes, no = names[:k], names[k:]
    out = [f"Äänestyksessä annettiin {len(yes)} jaa-ääntä ja {len(no)} ei-ääntä.", f"Jaa: {len(yes)}", ", ".join(yes)]
    if no:
        out += [f"Ei: {len(no)}", ", ".join(no)]
    return out


# ------------------------------------------------------------------ attendance layouts
def add_gold(spec: Spec, people: list[Person], optional_groups=()) -> None:
    for p in people:
        spec.person(p.first, p.last, "absent" if p.group == "absent" else "present", p.role, p.meeting_role,
                    optional=p.group in optional_groups)


def role_short(role: str, r: random.Random) -> str:
    return {"puheenjohtaja": r.choice(["pj.", "pj", "puheenjohtaja"]),
            "varapuheenjohtaja": r.choice(["vpj.", "vpj", "I varapuheenjohtaja", "kv:n vpj"])}.get(role, role)
