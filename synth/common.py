"""Pieces several layout families share: the spec skeleton, people drawn per meeting kind,
attendance written as a table / lines / a comma sentence, and municipal-style items.
Each helper adds gold for exactly what it prints."""
from __future__ import annotations

import datetime as dt
import random

from synth.content import CLOSING, OPENING, Draw, Item, Person
from synth.spec import Spec, Table

FONTS = ["DejaVu Sans", "DejaVu Serif", "Liberation Sans", "Liberation Serif", "Liberation Sans Narrow",
         "DejaVu Sans Condensed"]
ROLE_ABBR = {"puheenjohtaja": "pj", "varapuheenjohtaja": "vpj", "sihteeri": "siht.", "pöytäkirjanpitäjä": "siht."}


def skeleton(r: random.Random, stem: str, family: str, doc_type: str, axes: dict,
             years=(2014, 2024)) -> tuple[Spec, Draw]:
    """A spec with a random meeting date (a weekday), font, size and margins."""
    while True:
        ref = dt.date(r.randint(*years), r.randint(1, 12), r.randint(1, 28))
        if ref.weekday() < 5:
            break
    spec = Spec(stem, family, doc_type, ref, font=r.choice(FONTS), size=r.choice([9, 10, 10, 11, 11, 12]),
                margins=(r.choice([1.8, 2.0, 2.5]), r.choice([1.5, 2.0]), 2.0, r.choice([2.0, 2.5, 3.0])), axes=axes)
    return spec, Draw(r, ref)


def cap(r: random.Random, word: str, colon: bool, caps: bool) -> str:
    w = word.upper() if caps else word
    return w + (":" if colon else "")


PRESENT_CAPS = ["Läsnä", "Läsnä jäsenet", "Saapuvilla olleet jäsenet", "Osallistujat", "Läsnäolijat", "Paikalla",
                "Jäsenet"]
OTHER_CAPS = ["Muut saapuvilla olleet", "Muut läsnäolijat", "Muut osallistujat", "Lisäksi läsnä", "Kutsuttuina", "Muut"]
ABSENT_CAPS = ["Poissa", "Estynyt", "Poissa olleet", "Poissa olleet jäsenet"]


def captions(r: random.Random) -> tuple[str, str, str]:
    """Attendance captions as one document spells them: wording, colon or not, ALL CAPS or not."""
    colon, caps = r.random() < 0.4, r.random() < 0.15
    return tuple(cap(r, r.choice(c), colon, caps) for c in (PRESENT_CAPS, OTHER_CAPS, ABSENT_CAPS))


def role_text(p: Person, style: str) -> str:
    """The role as attached to a name: ', puheenjohtaja', ' (pj)', ' pj' ..."""
    if not p.role:
        return ""
    if style == "comma":
        return f", {p.role}"
    if style == "paren":
        return f" ({ROLE_ABBR.get(p.role, p.role)})"
    if style == "abbr":
        return f" {ROLE_ABBR[p.role]}" if p.role in ROLE_ABBR else f", {p.role}"
    return ""


def note_text(p: Person) -> str:
    return f" ({p.note})" if p.note and not p.note.startswith("(") else (f" {p.note}" if p.note else "")


def name_line(p: Person, order: str, role_style: str) -> str:
    sub = f" ({p.replaces.written(order)})" if p.replaces is not None and role_style != "col" else ""
    return p.written(order) + sub + role_text(p, role_style) + note_text(p)


def comma_sentence(names: list[str], r: random.Random) -> str:
    if len(names) > 1 and r.random() < 0.6:
        return ", ".join(names[:-1]) + " ja " + names[-1]
    return ", ".join(names)


def gold_people(spec: Spec, people: list[Person], optional_roles=()) -> None:
    for p in people:
        spec.person(p.first, p.last, "absent" if p.group == "absent" else "present", p.role,
                    p.meeting_role, optional=p.meeting_role in optional_roles)


def board(d: Draw, n_members: int, n_subs: int, n_others: int, n_absent: int, others_roles: list[str],
          member_role: str = "jäsen", partial: float = 0.0) -> list[Person]:
    """Members (chair first), substitutes (each replacing an absent member), others and absentees."""
    r = d.r
    people = [d.person(role="puheenjohtaja", meeting_role="chair")]
    if r.random() < 0.6:
        people.append(d.person(role="varapuheenjohtaja"))
    while len(people) < n_members:
        people.append(d.person(role=member_role))
    absent = [d.person(role=member_role, group="absent") for _ in range(n_absent + n_subs)]
    for i in range(n_subs):
        people.append(d.person(role="varajäsen", group="substitute", replaces=absent[i]))
    others = [d.person(role=others_roles[i % len(others_roles)], group="other") for i in range(n_others)]
    if others:
        sec = next((p for p in others if p.role in ("pöytäkirjanpitäjä", "sihteeri")), others[-1])
        sec.meeting_role = "secretary"
    for p in people[1:] + others:
        if r.random() < partial:
            h, m = r.randint(17, 20), r.choice([5, 10, 25, 40, 45])
            p.note = r.choice([f"saapui klo {h}.{m:02d} (§ {r.randint(3, 6)})", f"poistui klo {h + 1}.{m:02d}",
                               f"§ {r.randint(2, 5)}–{r.randint(8, 12)}"])
    return people + others + absent


def att_table(people: list[Person], order: str, header: list[str] | None, role_first: bool,
              widths=(6.0, 6.0)) -> Table:
    rows = [header] if header else []
    for p in people:
        name = p.written(order) + (f" ({p.replaces.written(order)})" if p.replaces else "") + note_text(p)
        rows.append([p.role, name] if role_first else [name, p.role])
    return Table(rows, list(widths), header_rows=1 if header else 0, borders=bool(header))


def _clock(hhmm: str, plus: int = 0) -> str:
    h, m = int(hhmm[:2]), int(hhmm[3:]) + plus
    return f"{h + m // 60}.{m % 60:02d}"


def municipal_items(d: Draw, organ: str, n_matters: int, first_no: int, chair: Person,
                    checkers: list[Person], decision_form: str, agenda: bool = False) -> list[Item]:
    """Opening items, matters and closing items with proposals and decisions as a lautakunta writes them."""
    r = d.r
    items: list[Item] = []
    opening = OPENING[: r.randint(2, 4)]
    closing = CLOSING[r.randint(0, 1):]
    no = first_no
    for t in opening:
        it = Item(str(no), t, "open")
        if t == "Kokouksen avaus":
            it.proposal = ""
            it.decision, it.decision_optional = f"Puheenjohtaja avasi kokouksen klo {_clock(d.start, r.randint(0, 5))}.", True
            it.body = []
        elif t.startswith("Kokouksen laillisuus"):
            it.proposal = "Todetaan kokous lailliseksi ja päätösvaltaiseksi."
            it.decision = "Kokous todettiin lailliseksi ja päätösvaltaiseksi."
        elif t.startswith("Pöytäkirjantarkastajien"):
            names = " ja ".join(p.fl for p in checkers)
            it.proposal = "Valitaan kaksi pöytäkirjantarkastajaa."
            it.decision = f"Pöytäkirjantarkastajiksi valittiin {names}."
        else:
            it.proposal = "Hyväksytään esityslista kokouksen työjärjestykseksi."
            it.decision = r.choice(["Hyväksyttiin.", "Esityslista hyväksyttiin kokouksen työjärjestykseksi."])
        items.append(it)
        no += 1
    for title, prop, restated in d.matters(organ, n_matters):
        it = Item(str(no), title, "matter", d.body(organ, r.randint(1, 3)), prop)
        if decision_form == "restate":
            it.decision = restated
        elif decision_form == "organ":
            it.decision = f"{organ} hyväksyi päätösehdotuksen" + r.choice([".", " yksimielisesti."])
        else:
            it.decision = d.short_decision()
        if len(checkers) > 1 and r.random() < 0.15:
            it.decision += f" Merkittiin, että {checkers[1].fl} poistui esteellisenä kokouksesta asian käsittelyn ajaksi."
        items.append(it)
        no += 1
    for t in closing:
        it = Item(str(no), t, "close")
        if t == "Ilmoitusasiat":
            it.body = [f"{d.official().capitalize()}n päätökset ajalta " + d.date(-40, -20, "dmy") + "–" + d.date(-10, -2, "dmy") + "."]
            it.proposal = "Merkitään ilmoitusasiat tiedoksi."
            it.decision = "Merkittiin tiedoksi."
        elif t == "Muut asiat":
            it.decision, it.decision_optional = "Muita asioita ei ollut.", True
        else:
            it.decision, it.decision_optional = f"Puheenjohtaja päätti kokouksen klo {_clock(d.end)}.", True
        items.append(it)
        no += 1
    if agenda:
        for it in items:
            it.decision = ""
    return items


def gold_items(spec: Spec, items: list[Item], decisions: bool = True) -> None:
    for it in items:
        spec.item(it.no, it.title)
        if decisions and it.decision:
            spec.decision(it.no, it.decision, optional=it.decision_optional)
