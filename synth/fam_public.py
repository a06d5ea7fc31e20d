"""More public-body families: Ahjo (big city), the wellbeing services county / joint authority web
export (Dynasty 10), parish councils, and municipal agendas (esityslista) where no decision exists yet."""
from __future__ import annotations

import random

from synth.common import (att_table, board, cap, comma_sentence, gold_items, gold_people, municipal_items,
                          name_line, skeleton)
from synth.fam_muni import _caption_item, _organ_number_kunta, _checkers, _muni_people, _when_place
from synth.spec import NumList, PageBreak, Para, Signature, Spec, Table, ann


# ============================================================================ 4 Ahjo
def ahjo(r: random.Random, stem: str, ax: dict) -> Spec:
    spec, d = skeleton(r, stem, "ahjo", "poytakirja", ax)
    organ = r.choice(["Kaupunginhallitus", "Kaupunkiympäristölautakunta", "Kasvatus- ja koulutuslautakunta",
                      "Kulttuuri- ja vapaa-aikalautakunta"])
    number = f"{r.randint(1, 40)}/{spec.ref.year}"
    spec.meeting.update(organ=organ, number=number)
    city = f"{d.town[1]} kaupunki"
    spec.header = [[city, "Pöytäkirja", number], [organ, ann(d.date_text(spec.ref, "dmy"), spec.ref.isoformat()),
                                                   "{PAGE} ({NUMPAGES})"]]
    people = _muni_people(d, "kaupunginjohtaja", partial=0.1)
    chair = people[0]
    sec = next(p for p in people if p.meeting_role == "secretary")
    when, place = _when_place(spec, d, "day")
    spec.add(Table([["Kokousaika", when], ["Kokouspaikka", place]], [4.0, 12.0], bold_cols=(0,)))
    spec.p("Läsnä", bold=True, size=1)
    order = "lf"
    for sub, group in (("Jäsenet", "member"), ("Varajäsenet", "substitute"), ("Muut", "other")):
        ps = [p for p in people if p.group == group]
        if not ps:
            continue
        spec.p(sub, bold=True)
        if ax["att"] == "comma":
            spec.p(comma_sentence([name_line(p, order, "comma") for p in ps], r), indent=1.0)
        else:
            spec.add(*[Para(name_line(p, order, "comma"), indent=1.0) for p in ps])
    absent = [p for p in people if p.group == "absent"]
    if absent:
        spec.p("Poissa", bold=True)
        spec.p(comma_sentence([p.written(order) for p in absent], r), indent=1.0)
    gold_people(spec, people)
    items = municipal_items(d, organ, r.randint(3, 6), r.randint(100, 900), chair, _checkers(people), ax["decision"])
    gold_items(spec, items)
    pres = next(p for p in people if p.group == "other")
    voted = False
    for k, it in enumerate(items, 1):
        spec.add(PageBreak())
        if ax.get("case"):                             # agenda ordinal + § number: the § is the item_no
            spec.p(f"{r.choice(['Case ', 'Asia ', ''])}{k}. / {it.no} §", bold=True, size=2)
        else:
            spec.p(f"§ {it.no}", bold=True, size=2)
        spec.p(it.title, bold=True, size=1)
        if ax.get("case") and it.kind == "matter" and not voted:
            voted = True
            voters = [p.fl for p in people if p.group in ("member", "substitute")]
            spec.p("Äänestys", bold=True)
            spec.p(f"JAA-ehdotus: {it.proposal}")
            spec.p("EI-ehdotus: Asia palautetaan uudelleen valmisteltavaksi.")
            k_yes = max(1, len(voters) * 2 // 3)
            spec.p(f"Jaa-äänet: {k_yes}")
            spec.p(", ".join(voters[:k_yes]))
            spec.p(f"Ei-äänet: {len(voters) - k_yes}")
            spec.p(", ".join(voters[k_yes:]))
        if it.kind == "matter":
            spec.p(f"HEL {spec.ref.year}-{r.randint(1000, 99999):06d} T {r.randint(0, 14):02d} {r.randint(0, 9):02d} {r.randint(0, 9):02d}")
        if it.decision:
            spec.p("Päätös", bold=True, size=1)
            spec.p(it.decision)
        if it.kind == "matter" and ax["kasittely"]:
            spec.p("Käsittely", bold=True)
            spec.p("Esittelijä täydensi esitystä suullisesti. Asiasta käytiin keskustelu.")
        if it.kind == "matter":
            spec.p("Esittelijä", bold=True)
            spec.p(f"{pres.role} {pres.fl}")
            spec.p("Lisätiedot", bold=True)
            spec.p(f"{sec.fl}, {sec.role}, puhelin: 09 {r.randint(100, 999)} {r.randint(10000, 99999)}")
            for b in it.body:
                spec.p(b)
            if ax["proposal"]:
                spec.p("Päätösehdotus", bold=True)
                spec.p(it.proposal)
    spec.add(Signature((chair.fl, sec.fl), ("puheenjohtaja", "pöytäkirjanpitäjä")))
    return spec


# ============================================================================ 5 wellbeing services county web export
def county(r: random.Random, stem: str, ax: dict) -> Spec:
    spec, d = skeleton(r, stem, "county", "poytakirja", ax, years=(2021, 2024))
    organ, lead = r.choice([("Aluehallitus", "Hyvinvointialuejohtaja"), ("Aluevaltuusto", "Aluehallitus"),
                            ("Yhtymähallitus", "Kuntayhtymän johtaja"), ("Tarkastuslautakunta", "Tarkastusjohtaja")])
    body_name = f"{d.town[1]} hyvinvointialue" if organ.startswith("Alue") else f"{d.town[1]} seudun kuntayhtymä"
    number = f"{r.randint(1, 20)}/{spec.ref.year}"
    spec.meeting.update(organ=organ, number=number)
    spec.p(body_name, bold=True)
    spec.p(f"Pöytäkirja {number}", heading=1)
    spec.p(organ, bold=True, size=2)
    people = board(d, r.randint(7, 12), r.randint(0, 2), r.randint(2, 3), r.randint(0, 2),
                   ["hyvinvointialuejohtaja", "hallintojohtaja", "pöytäkirjanpitäjä"])
    chair = people[0]
    sec = next(p for p in people if p.meeting_role == "secretary")
    director = next(p for p in people if p.group == "other")
    when, place = _when_place(spec, d, "day")
    order = ax["order"]
    rows = [["Aika", when], ["Paikka", place]]
    for capt, groups in (("Saapuvilla olleet jäsenet", ("member",)), ("Saapuvilla olleet varajäsenet", ("substitute",)),
                         ("Muut saapuvilla olleet", ("other",)), (r.choice(["Poissa", "Poissa olleet", "Estynyt"]), ("absent",))):
        ps = [p for p in people if p.group in groups]
        if ps:
            rows.append([capt, [name_line(p, order, "comma") for p in ps]])
    spec.add(Table(rows, [5.0, 11.0], bold_cols=(0,)))
    gold_people(spec, people)
    items = municipal_items(d, organ, r.randint(3, 6), r.randint(1, 240), chair, _checkers(people), "short")
    for it in items:
        if it.kind == "matter":
            it.decision = r.choice([f"{organ} hyväksyi päätösehdotuksen yksimielisesti.", f"{organ} hyväksyi päätösehdotuksen.",
                                    "Hyväksyttiin.", f"{organ} merkitsi asian tiedoksi."])
    gold_items(spec, items)
    date_dmy0 = ann(d.date_text(spec.ref, "dmy0"), spec.ref.isoformat())
    for it in items:
        spec.add(PageBreak())
        spec.p(f"{organ} {date_dmy0} § {it.no}", size=-1)
        if ax["para_no"]:
            spec.p(f"§ {it.no}", bold=True, size=2)
            spec.p(it.title, bold=True, size=1)
        else:
            spec.p(f"§ {it.no} {it.title}", bold=True, size=1)
        if it.kind == "matter":
            spec.p("Valmistelijat ja lisätiedot:", bold=True)
            spec.p(f"{sec.fl}, {sec.role}, etunimi.sukunimi@{d.town[0].lower()}.fi")
            for b in it.body:
                spec.p(b)
            spec.p(f"**Päätösehdotus** {lead} {director.lf if order == 'lf' else director.fl}")
            spec.p(f"{organ} päättää")
            parts = [it.proposal.replace(f"{organ} ", "").rstrip("."), "valtuuttaa johtajan tekemään tarvittavat sopimukset"]
            if ax["numbered_proposal"]:
                spec.add(NumList([parts[0].capitalize() + ".", parts[1].capitalize() + "."], "auto", fmt="{n}."))
            else:
                spec.p(f"{parts[0]} ja {parts[1]}.")
            if r.random() < 0.4:
                spec.p("Käsittely", bold=True)
                spec.p("Puheenjohtaja esitteli asian. Keskustelun jälkeen puheenjohtaja totesi yksimielisyyden.")
        elif it.proposal:
            spec.p(f"**Päätösehdotus** {it.proposal}")
        if it.decision:
            if ax.get("dec_layout") == "tab":
                spec.p(f"**Päätös:**\t\t{it.decision}")
            else:
                spec.p("Päätös", bold=True)
                spec.p(it.decision)
            if ax.get("dec_layout") == "tab" and it.title.startswith("Kokouksen laillisuus"):
                a = next((p for p in people if p.group == "absent"), None)
                sub = next((p for p in people if a is not None and p.replaces is a), None)
                if a is not None:
                    spec.p(f"Merkittiin, että jäsen {a.fl} on estynyt." +
                           (f" Hänen tilallaan kokoukseen osallistui varajäsen {sub.fl}." if sub else ""))
    return spec


# ============================================================================ 9 parish
def parish(r: random.Random, stem: str, ax: dict) -> Spec:
    spec, d = skeleton(r, stem, "parish", "poytakirja", ax)
    organ = r.choice(["Kirkkoneuvosto", "Kirkkovaltuusto", "Seurakuntaneuvosto"])
    number = f"{r.randint(1, 15)}/{spec.ref.year}"
    spec.meeting.update(organ=organ, number=number)
    spec.header = [[f"{d.town[1]} seurakunta", f"{organ.upper()} {number}", "{PAGE}"]]
    people = board(d, r.randint(6, 10), 0, r.randint(1, 2), r.randint(1, 2), ["talouspäällikkö", "pöytäkirjanpitäjä"])
    people[0].role = "puheenjohtaja, kirkkoherra"
    chair = people[0]
    sec = next(p for p in people if p.meeting_role == "secretary")
    spec.p("PÖYTÄKIRJA", bold=True, size=2)
    when, place = _when_place(spec, d)
    spec.p(f"Aika {when}")
    spec.p(f"Paikka {place.replace('Kunnantalo', 'Seurakuntatalo').replace('Kunnanviraston', 'Kirkkoherranviraston')}")
    spec.meeting["place"] = place.replace("Kunnantalo", "Seurakuntatalo").replace("Kunnanviraston", "Kirkkoherranviraston")
    order = ax["order"]
    spec.p("Saapuvilla", bold=True)
    if ax["att"] in ("flat", "poissa_sij"):
        from synth.fam_cover import _attendance
        for p in list(people):
            if p.group == "absent" and ax["att"] == "poissa_sij" and r.random() < 0.6:
                sub = d.person(role="varajäsen", group="substitute", replaces=p)
                people.insert(people.index(p), sub)
        _attendance(spec, r, d, people, "cols" if ax["att"] == "flat" else "poissa_sij", ax["order"], 1, 30,
                    r.random() < 0.3)
    elif ax["att"] == "xtable":
        rows = [["Jäsenet", "Läsnä", "Poissa"]]
        for p in people:
            if p.group in ("member", "absent"):
                rows.append([p.written(order) + (", puheenjohtaja" if p is chair else ""),
                             "x" if p.group == "member" else "", "x" if p.group == "absent" else ""])
        spec.add(Table(rows, [8.0, 2.0, 2.0], header_rows=1, borders=True))
        spec.p("Muut saapuvilla olleet", bold=True)
        spec.add(*[Para(name_line(p, order, "comma"), indent=1.0) for p in people if p.group == "other"])
    else:
        for capt, g in (("Jäsenet", "member"), ("Muut", "other"), ("Poissa", "absent")):
            ps = [p for p in people if p.group == g]
            if not ps:
                continue
            if r.random() < 0.5:
                spec.p(capt, bold=True)
                spec.add(att_table(ps, order, None, False))
            else:
                spec.add(Table([[capt, [name_line(p, order, "comma") for p in ps]]], [4.0, 12.0], bold_cols=(0,)))
    if ax["att"] not in ("flat", "poissa_sij"):
        gold_people(spec, people)
    items = municipal_items(d, organ, r.randint(3, 6), r.randint(1, 300), chair, _checkers(people), ax["decision"])
    gold_items(spec, items)
    prop_cap = r.choice(["Ehdotus (kirkkoherra):", "Päätösehdotus:", "Kirkkoherran ehdotus:"])
    for it in items:
        spec.p(f"§ {it.no} {it.title}" if ax["same_line"] else f"§ {it.no}", bold=True, before=10)
        if not ax["same_line"]:
            spec.p(it.title.upper() if r.random() < 0.3 else it.title, bold=True)
        for b in it.body:
            spec.p(b)
        _caption_item(spec, it, prop_cap, "Päätös:", inline=r.random() < 0.4, bold_caps=True)
    spec.add(Signature((chair.fl, sec.fl), ("puheenjohtaja", "sihteeri")))
    return spec


# ============================================================================ 12 municipal agenda
def agenda(r: random.Random, stem: str, ax: dict) -> Spec:
    spec, d = skeleton(r, stem, "agenda", "esityslista", ax)
    organ, presenter, number, kunta = _organ_number_kunta(r, spec, d, ["kunta", "kaupunki"])
    if ax.get("header") == "oneline":
        word = r.choice(["ESITYSLISTA", "KOKOUSKUTSU", "E S I T Y S L I S T A", "ESITYSLISTA/KOKOUSKUTSU"])
        spec.header = [[f"{kunta.upper()} {word} {r.choice(['', 'Nro ', 'No '])}{number}",
                        r.choice(["{PAGE} ({NUMPAGES})", "{PAGE}({NUMPAGES})", "{PAGE}/{NUMPAGES}", "Sivu {PAGE} / {NUMPAGES}"])],
                       [organ, ""]]
    else:
        spec.header = [[kunta.upper(), "ESITYSLISTA", number], [organ, "", "{PAGE} ({NUMPAGES})"]]
    people = [p for p in _muni_people(d, presenter) if p.group in ("member", "other")]
    chair = people[0]
    when, place = _when_place(spec, d)
    spec.meeting.pop("end_time")
    when = d.when(spec.ref, spec.meeting["start_time"], "")
    order = ax["order"]
    rows = [["Aika", when], ["Paikka", place]]
    caps = {"kutsutut": ("Kutsutut jäsenet", "Muut kutsutut"), "jasenet": ("Jäsenet", "Kutsuttuina"),
            "osallistujat": ("Osallistujat", "Lisäksi kutsuttu")}[ax["captions"]]
    for capt, g in ((caps[0], "member"), (caps[1], "other")):
        ps = [p for p in people if p.group == g]
        rows.append([capt, [name_line(p, order, "comma") for p in ps]])
    spec.add(Table(rows, [4.5, 11.5], bold_cols=(0,)))
    for p in people:
        spec.person(p.first, p.last)
    items = municipal_items(d, organ, r.randint(3, 7), r.randint(1, 200), chair, _checkers(people), "short", agenda=True)
    gold_items(spec, items, decisions=False)
    spec.add(Table([["§", "Asia"]] + [[it.no, it.title] for it in items], [1.5, 14.5], header_rows=1))
    prop_cap = r.choice(["Päätösehdotus:", "Esittelijän ehdotus:", "Ehdotus:", "Kunnanjohtajan päätösehdotus:"])
    for it in items:
        if ax["numbering"] == "pykala":
            spec.p(f"{organ} § {it.no}", bold=True, before=10)
            spec.p(it.title, bold=True)
        else:
            spec.add(NumList([it.title], "auto", start=int(it.no), fmt="{n} §", bold=True))
        for b in it.body:
            spec.p(b)
        if it.proposal:
            spec.p(prop_cap, bold=True)
            spec.p(it.proposal)
        spec.p("Päätös:", bold=True)
        spec.p("")
    return spec
