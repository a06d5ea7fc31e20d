"""Layout families of municipal / public-body minutes: Dynasty, Tweb, CaseM, Ahjo, the wellbeing
services county web export, parish councils and municipal agendas (esityslista)."""
from __future__ import annotations

import random

from synth.common import (att_table, board, cap, captions, comma_sentence, gold_items, gold_people, municipal_items,
                          name_line, skeleton)
from synth.content import Item, Person
from synth.spec import NumList, PageBreak, Para, Signature, Spec, Table, ann

MUNI_ORGANS = [("Kunnanhallitus", "kunnanjohtaja"), ("Tekninen lautakunta", "tekninen johtaja"),
               ("Sivistyslautakunta", "sivistysjohtaja"), ("Perusturvalautakunta", "perusturvajohtaja"),
               ("Ympäristölautakunta", "ympäristöpäällikkö"), ("Kaupunginhallitus", "kaupunginjohtaja"),
               ("Yhtymähallitus", "kuntayhtymän johtaja"), ("Elinvoimalautakunta", "elinvoimajohtaja")]
PROPOSAL_CAPS = {"kunnanjohtaja": "Kunnanjohtajan päätösehdotus", "tekninen johtaja": "Teknisen johtajan ehdotus",
                 "sivistysjohtaja": "Sivistysjohtajan päätösehdotus"}


def _organ_number_kunta(r: random.Random, spec: Spec, d, kinds: list[str]) -> tuple[str, str, str, str]:
    """A municipal organ, its presenter, the meeting number (recorded in gold) and the
    municipality's name, drawn in this order so a seed gives the same document as before."""
    organ, presenter = r.choice(MUNI_ORGANS)
    number = f"{r.randint(1, 14)}/{spec.ref.year}"
    spec.meeting.update(organ=organ, number=number)
    return organ, presenter, number, f"{d.town[1]} {r.choice(kinds)}"


def _muni_people(d, presenter: str, partial: float = 0.0) -> list[Person]:
    r = d.r
    return board(d, r.randint(5, 9), r.randint(0, 2), r.randint(1, 3), r.randint(0, 2),
                 [presenter, "pöytäkirjanpitäjä", "hallintosihteeri"][: 3], partial=partial)


def _checkers(people: list[Person]) -> list[Person]:
    return [p for p in people if p.group == "member" and p.meeting_role != "chair"][:2]


def _when_place(spec: Spec, d, kind="evening") -> tuple[str, str]:
    start, end = d.times(kind)
    place = d.r.choice(["Kunnantalo, valtuustosali", "Kunnanviraston kokoushuone", "Teams-kokous",
                        f"{d.town[1]} kaupungintalo, kokoushuone 2", "Kirjaston auditorio"])
    d.start, d.end = start, end
    when = d.when(spec.ref, start, end)
    spec.meeting.update(date=spec.ref.isoformat(), start_time=start, end_time=end, place=place)
    return when, place


def _caption_item(spec: Spec, it: Item, cap_prop: str, cap_dec: str, inline: bool, bold_caps: bool) -> None:
    """'Päätösehdotus:' / 'Päätös:' captions on their own line or with the text on the same line."""
    for c, text in ((cap_prop, it.proposal), (cap_dec, it.decision)):
        if not text and c != cap_dec:
            continue
        if inline and text:
            spec.p(f"**{c}** {text}" if bold_caps else f"{c} {text}")
        else:
            spec.p(c, bold=bold_caps)
            if text:
                spec.p(text, indent=0.0)


# ============================================================================ 1 Dynasty
def dynasty(r: random.Random, stem: str, ax: dict) -> Spec:
    spec, d = skeleton(r, stem, "dynasty", "poytakirja", ax)
    organ, presenter = r.choice(MUNI_ORGANS)
    kunta = f"{d.town[1]} {r.choice(['kunta', 'kaupunki'])}"
    number = f"{r.randint(1, 14)}/{spec.ref.year}"
    spec.meeting.update(organ=organ, number=number)
    spec.header = [[kunta.upper(), "PÖYTÄKIRJA", number],
                   [organ, ann(d.date_text(spec.ref, "dmy0"), spec.ref.isoformat()), "{PAGE} ({NUMPAGES})"]]
    people = _muni_people(d, presenter, partial=0.15)
    chair = people[0]
    sec = next(p for p in people if p.meeting_role == "secretary")
    when, place = _when_place(spec, d)
    order = ax["order"]
    spec.p("Kokoustiedot", bold=True, size=2)
    rows = [["Aika", when], ["Paikka", place]]
    cp, co, ca = captions(r) if r.random() < 0.5 else ("Saapuvilla olleet jäsenet", "Muut saapuvilla olleet", "Poissa")
    groups = [(cp, [p for p in people if p.group in ("member", "substitute")]),
              (co, [p for p in people if p.group == "other"]), (ca, [p for p in people if p.group == "absent"])]
    for capt, ps in groups:
        if not ps:
            continue
        if ax["att"] == "table3":
            for i, p in enumerate(ps):
                sub = f" ({p.replaces.written(order)})" if p.replaces else ""
                rows.append([capt if i == 0 else "", p.written(order) + sub, p.role + (f", {p.note}" if p.note else "")])
        else:
            rows.append([capt, [name_line(p, order, "comma") for p in ps]])
    checkers = _checkers(people)
    sign = [[chair.fl, sec.fl], ["puheenjohtaja", "pöytäkirjanpitäjä"]]
    if ax["att"] == "table3":
        rows = [r_ + [""] if len(r_) == 2 else r_ for r_ in rows]
        rows.append(["Allekirjoitukset", chair.fl + ", puheenjohtaja", sec.fl + ", pöytäkirjanpitäjä"])
        widths = [4.5, 6.0, 5.5]
    else:
        rows.append(["Allekirjoitukset", [f"{chair.fl}, puheenjohtaja", f"{sec.fl}, pöytäkirjanpitäjä"]])
        widths = [5.0, 11.0]
    chk = f"{d.town[2]} " + d.date(3, 9, "dmy") + ", " + " ja ".join(p.fl for p in checkers)
    rows.append(["Pöytäkirjan tarkastus", chk] + ([""] if len(widths) == 3 else []))
    spec.add(Table(rows, widths, bold_cols=(0,)))
    gold_people(spec, people)
    first = r.choice([1, 1, r.randint(2, 300)])
    items = municipal_items(d, organ, r.randint(3, 7), first, chair, checkers, ax["decision"])
    gold_items(spec, items)
    if ax["contents"] != "none":
        head = {"sivu": ["§", "Otsikko", "Sivu"], "asian_no": ["Asian no", "Asia", "Sivu"],
                "kasitellyt": ["", "Käsitellyt asiat", "Sivu"]}[ax["contents"]]
        crow = [[("§ " if r.random() < 0.5 else "") + it.no, it.title, str(2 + i)] for i, it in enumerate(items)]
        spec.add(Table([head] + crow, [2.0, 11.0, 2.0], header_rows=1))
    prop_cap = PROPOSAL_CAPS.get(presenter, "Esittelijän ehdotus") + r.choice([":", ""])
    dec_cap = r.choice(["Päätös:", "Päätös"])
    caps_titles = r.random() < 0.2
    abbr = {"Kunnanhallitus": "KH", "Kaupunginhallitus": "KH", "Tekninen lautakunta": "TEKLTK",
            "Yhtymähallitus": "YH"}.get(organ, organ[:3].upper() + "LTK")
    for it in items:
        if r.random() < 0.5:
            spec.add(PageBreak())
        if ax.get("history") == "stack":               # 'ORGAN' / '§ N' / 'DD.MM.YYYY', oldest first, current last
            older = []
            if it.kind == "matter" and r.random() < 0.6:
                for k in range(r.randint(1, 2)):
                    other = r.choice([o for o, _ in MUNI_ORGANS if o != organ])
                    older.append((other, r.randint(1, 320), d.date(-120 + 50 * k, -75 + 50 * k, "dmy0")))
            for o, no, dd in older + [(organ, it.no, ann(d.date_text(spec.ref, "dmy0"), spec.ref.isoformat()))]:
                spec.p(o.upper())
                spec.p(f"§ {no}")
                spec.p(dd)
            spec.p(it.title.upper() if caps_titles else it.title, bold=True, size=1)
            spec.p(f"{r.randint(10, 900)}/{r.randint(0, 14):02d}.{r.randint(0, 9):02d}.{r.randint(0, 99):02d}/{spec.ref.year}")
            for o, no, dd in older:
                spec.p(f"{o[:3].upper()}LTK § {no}" if "lautakunta" in o else f"{o[:1]}H § {no}", bold=True)
                spec.p(d.body(o, 1)[0])
                spec.p(f"Ehdotus: {it.proposal.replace(organ, o)}")
                spec.p(f"Päätös: {r.choice(['Ehdotus hyväksyttiin.', 'Hyväksyttiin.', 'Palautettiin valmisteluun.'])}")
            spec.p(f"{abbr} § {it.no}", bold=True)
            for b in it.body:
                spec.p(b)
            _caption_item(spec, it, prop_cap, dec_cap, inline=r.random() < 0.5, bold_caps=False)
            continue
        if it.kind == "matter" and r.random() < 0.35:   # an earlier handling: its decision is not this meeting's
            other = r.choice([o for o, _ in MUNI_ORGANS if o != organ])
            spec.p(f"{other} " + d.date(-60, -10, "dmy") + f" § {r.randint(1, 320)}", bold=True)
            spec.p(d.body(other, 1)[0])
            spec.p("Ehdotus:", bold=True)
            spec.p(it.proposal.replace(organ, other))
            spec.p("Päätös:", bold=True)
            spec.p(r.choice(["Ehdotus hyväksyttiin.", "Hyväksyttiin."]))
            spec.p(f"{organ} " + ann(d.date_text(spec.ref, "dmy0"), spec.ref.isoformat()) + f" § {it.no}", bold=True, before=8)
        else:
            spec.p(f"{organ} § {it.no}", bold=True)
        spec.p(it.title.upper() if caps_titles else it.title, bold=True, size=1)
        if it.kind == "matter":
            spec.p(f"Valmistelija: {sec.role} {sec.fl}, puh. 040 {r.randint(100, 999)} {r.randint(1000, 9999)}")
        for b in it.body:
            spec.p(b)
        _caption_item(spec, it, prop_cap, dec_cap, inline=False, bold_caps=True)
    spec.p(f"{d.town[2]} " + d.date(1, 2, "dmy"), before=12)
    spec.add(Signature(tuple(sign[0]), tuple(sign[1])))
    return spec


# ============================================================================ 2 Tweb
def tweb(r: random.Random, stem: str, ax: dict) -> Spec:
    spec, d = skeleton(r, stem, "tweb", "poytakirja", ax)
    organ, presenter, number, kunta = _organ_number_kunta(r, spec, d, ["kaupunki", "kunta"])
    people = _muni_people(d, presenter)
    chair = people[0]
    sec = next(p for p in people if p.meeting_role == "secretary")
    when, place = _when_place(spec, d)
    first = r.randint(1, 250)
    items = municipal_items(d, organ, r.randint(3, 7), first, chair, _checkers(people), ax["decision"])
    web = ax["variant"] == "web"
    if web:
        spec.p(f"{kunta} > Päätöksenteko > Pöytäkirjat > {organ}")
        spec.p("Etusivu · Haku · Kirjaudu · Saavutettavuusseloste")
    else:
        spec.header = [[kunta, "Pöytäkirja", number], [organ, "", "{PAGE} ({NUMPAGES})"]]
    spec.p(f"{organ}" + (f" Pöytäkirja {number}" if web else ""), bold=True, size=3)
    cover = [["Aika", when], ["Paikka", place]]
    order = ax["order"]
    members = [p for p in people if p.group in ("member", "substitute")]
    others = [p for p in people if p.group == "other"]
    absent = [p for p in people if p.group == "absent"]
    cp, co, ca = captions(r) if r.random() < 0.5 else ("Läsnä", "Muut", "Poissa")
    cover.append([cp, [name_line(p, order, "comma") for p in members]])
    if others:
        cover.append([co, [name_line(p, order, "comma") for p in others]])
    if absent:
        cover.append([ca, [name_line(p, order, "comma") for p in absent]])
    cover.append(["Puheenjohtaja", chair.fl])
    cover.append(["Pöytäkirjanpitäjä", sec.fl])
    spec.add(Table(cover, [4.0, 12.0], bold_cols=(0,), borders=r.random() < 0.5))
    gold_people(spec, people)
    gold_items(spec, items)
    col = ax["contents"]
    head = {"otsikko_liitteet": ["§", "Otsikko", "Liitteet"], "liite_asia": ["§", "Liite", "Asia"],
            "asian_no": ["Asian no", "Asia", ""]}[col]
    crow = []
    if ax.get("cover_row"):                            # KTweb: a pseudo-row for the cover, not an item
        cover_no = r.choice(["-1", ""])
        crow.append({"otsikko_liitteet": [cover_no, "Pöytäkirjan kansilehti (läsnäolijat)", "-"],
                     "liite_asia": [cover_no, "-", "Pöytäkirjan kansilehti (läsnäolijat)"],
                     "asian_no": [cover_no, "Pöytäkirjan kansilehti (läsnäolijat)", ""]}[ax["contents"]])
        spec.item("", "Pöytäkirjan kansilehti (läsnäolijat)", optional=True)
    for it in items:
        att = r.choice(["", "", "Liite 1", f"{r.randint(1, 9)} kpl"]) if it.kind == "matter" else ""
        crow.append({"otsikko_liitteet": [f"§ {it.no}", it.title, att], "liite_asia": [f"§ {it.no}", att, it.title],
                     "asian_no": [it.no, it.title, ""]}[col])
    widths = {"otsikko_liitteet": [2.0, 11.0, 3.0], "liite_asia": [2.0, 3.0, 11.0], "asian_no": [2.0, 13.0, 1.0]}[col]
    toc = Table([head] + crow, widths, header_rows=1)
    if web:
        spec.add(Table([["Käsitellyt asiat"], [toc]], [16.5], borders=False))   # a table inside a table
    else:
        spec.add(Table([["Käsitellyt asiat", ""]], [8, 8], bold_cols=(0,)), toc)
    spec.add(PageBreak())
    for it in items:
        left = ("§ " + it.no) if r.random() < 0.8 else f"{it.no} §"
        spec.add(Table([[left, it.title]], [2.5, 13.5], bold_cols=(0, 1)))
        rows = []
        if it.kind == "matter":
            rows.append(["Valmistelija", f"{sec.fl}, {sec.role}"])
            rows.append(["Tiivistelmä", it.body[0]])
            for b in it.body[1:]:
                rows.append(["", b])
        if it.proposal:
            rows.append([r.choice(["Päätösesitys", "Ehdotus"]), it.proposal])
        if it.decision:
            rows.append(["Päätös", it.decision])
        if rows:
            spec.add(Table(rows, [3.5, 12.5], bold_cols=(0,)))
    return spec


# ============================================================================ 3 CaseM / CloudNC
def casem(r: random.Random, stem: str, ax: dict) -> Spec:
    spec, d = skeleton(r, stem, "casem", "poytakirja", ax)
    organ, presenter, number, kunta = _organ_number_kunta(r, spec, d, ["kaupunki", "kunta"])
    spec.header = [[kunta, f"Pöytäkirja {number}", "{PAGE} ({NUMPAGES})"]]
    people = _muni_people(d, presenter)
    chair = people[0]
    sec = next(p for p in people if p.meeting_role == "secretary")
    pres = next(p for p in people if p.group == "other")
    when, place = _when_place(spec, d)
    if ax.get("cloud"):                                # CloudNC: '<Organ>, kokous D.M.YYYY' + status line
        spec.header = [[kunta, "{PAGE} ({NUMPAGES})"]]
        spec.p(f"{organ}, kokous " + ann(d.date_text(spec.ref, "dmy"), spec.ref.isoformat()), bold=True, size=2)
        spec.p("Pöytäkirja on tarkastettu", size=-1)
        spec.add(Table([["Kokousaika", when], ["Kokouspaikka", place]], [3.5, 12.5], bold_cols=(0,)))
    else:
        spec.p(organ, bold=True, size=4)
        spec.add(Table([["Aika", when], ["Paikka", place]], [3.0, 13.0], bold_cols=(0,)))
    order = ax["order"]
    head = ["Nimi", "Tehtävä"] if not ax["role_first"] else ["Tehtävä", "Nimi"]
    cp, co, ca = captions(r) if r.random() < 0.5 else ("Läsnä", "Muut läsnäolijat", "Poissa")
    for capt, group in ((cp, ("member", "substitute")), (co, ("other",)), (ca, ("absent",))):
        ps = [p for p in people if p.group in group]
        if ps:
            spec.p(capt, bold=True)
            spec.add(att_table(ps, order, head, ax["role_first"]))
    gold_people(spec, people)
    items = municipal_items(d, organ, r.randint(3, 7), r.randint(1, 200), chair, _checkers(people), ax["decision"])
    gold_items(spec, items)
    spec.p("Asialista", bold=True, size=1)
    spec.add(Table([[f"§ {it.no}", it.title] for it in items], [2.0, 14.0]))
    for it in items:
        spec.add(PageBreak())
        if ax["numbering"] == "auto":
            spec.add(NumList([it.title], "auto", start=int(it.no), fmt="§ {n}", bold=True))
        else:
            spec.p(f"§ {it.no}", bold=True)
            spec.p(it.title, bold=True, size=1)
        if it.kind == "matter":
            spec.p(f"Esittelijä {pres.role} {pres.fl}" if r.random() < 0.5 else f"Esittelijä: {pres.fl}, {pres.role}")
            if ax.get("cloud") and r.random() < 0.5:    # an earlier handling: its decision is not this meeting's
                other = r.choice([o for o, _ in MUNI_ORGANS if o != organ])
                spec.p("Aikaisempi käsittely", bold=True)
                spec.p(f"{other} " + d.date(-60, -10, "dmy") + f" § {r.randint(1, 300)}")
                spec.p("Päätös", bold=True)
                spec.p(r.choice(["Ehdotus hyväksyttiin.", "Hyväksyttiin.", "Asia jätettiin pöydälle."]))
        for b in it.body:
            spec.p(b)
        for c, text in (("Päätösehdotus", it.proposal), ("Päätös", it.decision)):
            if text:
                spec.p(c, bold=True)
                spec.p(text)
    spec.add(Signature((chair.fl, sec.fl), ("Puheenjohtaja", "Pöytäkirjanpitäjä")))
    return spec
