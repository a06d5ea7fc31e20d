"""Student union representative councils (edustajisto) and housing company boards (As Oy)."""
from __future__ import annotations

import random

from synth.common import board, cap, comma_sentence, gold_people, name_line, skeleton
from synth.content import FIRMS
from synth.fam_assoc import _numbered, _when
from synth.spec import Para, Signature, Spec, Table

ALLIANCES = ["Vihreät ja vasemmisto", "Kokoomusopiskelijat", "Sitoutumattomat", "Keskusta ja kristilliset",
             "Tekniikan opiskelijat", "Humanistit ja yhteiskuntatieteilijät"]
STUDENT_MATTERS = [
    ("Toimintasuunnitelman muutos", "Hallitus esitti toimintasuunnitelmaan lisäystä hyvinvointiviikosta.",
     "Päätettiin hyväksyä toimintasuunnitelman muutos."),
    ("Edustajiston työjärjestyksen päivittäminen", "Työjärjestystä on valmisteltu työryhmässä.",
     "Päätettiin hyväksyä päivitetty työjärjestys."),
    ("Vaalitoimikunnan asettaminen", "Vaalitoimikuntaan ehdotettiin viittä jäsentä.",
     "Päätettiin asettaa vaalitoimikunta esityksen mukaisesti."),
    ("Talousarvion lisämääräraha", "Hallitus esitti lisämäärärahaa tapahtumatoimintaan.",
     "Päätettiin myöntää lisämääräraha {eur} euroa."),
    ("Lausunto kampusuudistuksesta", "Sopo-valiokunta oli valmistellut lausuntoluonnoksen.",
     "Päätettiin antaa lausunto liitteen mukaisena."),
    ("Kannanotto opiskelijoiden asumisesta", "Keskusteltiin opiskelija-asuntojen vuokratasosta.",
     "Päätettiin julkaista kannanotto {d2}."),
]
HOUSING_MATTERS = [
    ("Lumityöt", "Isännöitsijä esitteli kaksi tarjousta lumitöistä.", "Hallitus päätti hyväksyä edullisemman tarjouksen."),
    ("Kattoremontti", "Kuntotutkimuksen mukaan vesikate on uusittava lähivuosina.",
     "Päätettiin tilata kattoremontin hankesuunnitelma {firm}."),
    ("Vastikkeen tarkistus", "Isännöitsijä esitteli talousarvion toteutuman.",
     "Hallitus päätti esittää yhtiökokoukselle hoitovastikkeen korotusta."),
    ("Pihan kunnostus", "Osakkailta on tullut toiveita leikkipaikan uusimisesta.",
     "Päätettiin järjestää pihatalkoot {d2}."),
    ("Saunavuorot", "Keskusteltiin yhteissaunan vuorojen jakamisesta.", "Päätettiin jakaa vapaat saunavuorot ilmoittautumisjärjestyksessä."),
    ("Pysäköintipaikat", "Kaksi autopaikkaa on vapautunut.", "Hallitus päätti vuokrata vapautuneet autopaikat jonossa oleville."),
    ("Energiakatselmus", "Isännöitsijä kertoi energiatuesta.", "Päätettiin teettää energiakatselmus kevään aikana."),
]


# ============================================================================ 8 student union council
def student(r: random.Random, stem: str, ax: dict) -> Spec:
    spec, d = skeleton(r, stem, "student", "poytakirja", ax)
    union = f"{d.town[1]} yliopiston ylioppilaskunta"
    number = f"{r.randint(1, 12)}/{spec.ref.year}"
    spec.meeting.update(organ="Edustajisto", number=number)
    spec.p(union.upper(), bold=True)
    spec.p(f"Edustajiston kokous {number}", heading=1)
    place = r.choice(["Ylioppilastalo, Juhlasali", "Kampusravintolan kabinetti", "Zoom", "Yliopiston luentosali L3"])
    spec.p(f"Aika: {_when(spec, d, place)}")
    spec.p(f"Paikka: {place}")
    members = []
    for al in r.sample(ALLIANCES, r.randint(2, 4)):
        members.append((al, [d.person() for _ in range(r.randint(2, 5))]))
    chair = members[0][1][0]
    chair.role, chair.meeting_role = "puheenjohtaja", "chair"
    subs = [d.person(group="substitute") for _ in range(r.randint(0, 3))]
    others = [d.person(group="other", role=ro) for ro in r.sample(["pääsihteeri", "hallituksen puheenjohtaja",
                                                                    "talouspäällikkö", "järjestösihteeri"], 2)]
    others[0].meeting_role = "secretary"
    absent = [d.person(group="absent") for _ in range(r.randint(0, 3))]
    everyone = [p for _, ps in members for p in ps] + subs + others
    for p in everyone:
        if r.random() < 0.15 and p is not chair:
            h = r.randint(17, 20)
            p.note = r.choice([f"(§ {r.randint(2, 8)}–{r.randint(9, 23)})", f"saapui klo {h}.40 (§ {r.randint(3, 7)})",
                               f"poistui klo {h + 1}.15"])
    roles = ax["roles"]
    if ax.get("att") == "numbered_tab":               # '1. Sukunimi Etunimi, jäsen<TAB>saapui kohdassa 9 kello 18.05'
        spec.p(r.choice(["Läsnä:", "Edustajat:", "LÄSNÄ:"]), bold=True)
        flat = [p for _, ps in members for p in ps]
        subs_left = list(subs)
        for i, p in enumerate(flat, 1):
            status = p.note.replace("klo", "kello") if p.note else ""
            if p.note.startswith("saapui"):
                status = f"saapui kohdassa {r.randint(3, 9)} kello {p.note.split('klo ')[1].split(' ')[0]}"
            role = "jäsen" + (" (puheenjohtaja)" if p is chair else "")
            spec.p(f"{i}. {p.lf}, {role}" + (f"\t{status}" if status else ""), indent=0.5)
            if subs_left and r.random() < 0.4:
                s = subs_left.pop()
                spec.p(f"{s.lf}, varajäsen", indent=0.9)
        for s in subs_left:
            spec.p(f"{s.lf}, varajäsen", indent=0.9)
        spec.p("Poissa:", bold=True)
        for i, p in enumerate(absent, 1):
            spec.p(f"{i}. {p.lf}, jäsen\tpoissa", indent=0.5)
        spec.p("Muut läsnäolijat:", bold=True)
        spec.add(*[Para(f"{p.fl} ({p.role})", indent=0.5) for p in others])
        absent_printed = True
    else:
        absent_printed = False
        spec.p(r.choice(["Läsnä jäsenet:", "Läsnä olleet jäsenet:", "LÄSNÄ JÄSENET"]), bold=True)
    if not absent_printed:
        for al, ps in members:
            if ax["alliance_heads"]:
                spec.p(al, bold=True, indent=0.5)
            spec.add(*[Para(name_line(p, "fl", roles), indent=1.0) for p in ps])
        if subs:
            spec.p("Läsnä varajäsenet:", bold=True)
            spec.add(*[Para(name_line(p, "fl", roles), indent=1.0) for p in subs])
        spec.p(r.choice(["Läsnä muut:", "Muut läsnäolijat:", "Muut osallistujat:"]), bold=True)
        spec.add(*[Para(name_line(p, "fl", "comma"), indent=1.0) for p in others])
        if absent:
            spec.p("Poissa:", bold=True)
            spec.p(comma_sentence([p.fl for p in absent], r), indent=1.0)
    gold_people(spec, everyone + absent)
    c1, c2 = [p for _, ps in members for p in ps if p is not chair][:2]
    items = [("Kokouksen avaus", f"Puheenjohtaja {chair.fl} avasi kokouksen klo {spec.meeting['start_time'][:2].lstrip('0')}.0{r.randint(2, 9)}.", True),
             ("Kokouksen laillisuus ja päätösvaltaisuus", "Kokous todettiin lailliseksi ja päätösvaltaiseksi.", False),
             ("Pöytäkirjantarkastajien ja ääntenlaskijoiden valinta",
              f"Pöytäkirjantarkastajiksi ja ääntenlaskijoiksi valittiin {c1.fl} ja {c2.fl}.", False),
             ("Työjärjestyksen hyväksyminen", "Hyväksyttiin työjärjestys.", False)]
    for t, disc, dec in r.sample(STUDENT_MATTERS, r.randint(2, 4)):
        items.append((t, d.fill(disc) + "||" + d.fill(dec), False))
    items.append(("Kokouksen päättäminen", f"Puheenjohtaja päätti kokouksen klo {spec.meeting['end_time'][:2].lstrip('0')}.{spec.meeting['end_time'][3:]}.", True))
    for i, (t, text, opt) in enumerate(items, 1):
        spec.p(_numbered(ax["numbering"], i, t), bold=True, before=8)
        spec.item(str(i), t)
        disc, _, dec = text.rpartition("||")
        if disc:
            spec.p(disc)
        spec.p(f"Päätös: {dec}" if ax["decision"] == "caption" else dec)
        spec.decision(str(i), dec, optional=opt)
    spec.add(Signature((chair.fl, others[0].fl), ("puheenjohtaja", "sihteeri")))
    return spec


# ============================================================================ 11 housing company board
def housing(r: random.Random, stem: str, ax: dict) -> Spec:
    spec, d = skeleton(r, stem, "housing", "poytakirja", ax)
    company = f"As Oy {d.town[1]} {r.choice(['Helmi', 'Koivikko', 'Rantapuisto', 'Kallio', 'Tähti'])}"
    number = f"{r.randint(1, 8)}/{spec.ref.year}"
    spec.meeting.update(organ="Hallitus", number=number)
    spec.p(company, bold=True, size=2)
    spec.p(r.choice([f"HALLITUKSEN KOKOUS {number}", f"Hallituksen kokouksen pöytäkirja {number}"]), bold=True)
    place = r.choice(["Taloyhtiön kerhohuone", "Isännöitsijätoimisto", "Teams-etäkokous"])
    caps = r.random() < 0.3
    spec.p(f"{cap(r, 'Aika', True, caps)} {_when(spec, d, place)}")
    spec.p(f"{cap(r, 'Paikka', True, caps)} {place}")
    people = [d.person(role="hallituksen puheenjohtaja", meeting_role="chair")]
    people += [d.person(role="jäsen") for _ in range(r.randint(2, 4))]
    people.append(d.person(role="isännöitsijä", group="other", meeting_role="secretary"))
    if r.random() < 0.5:
        people.append(d.person(role="jäsen", group="absent"))
    present = [p for p in people if p.group != "absent"]
    if ax["att"] == "table":
        spec.p(cap(r, "Läsnä", True, caps))
        spec.add(Table([[p.fl, p.role] for p in present], [6.0, 6.0]))
    elif ax["att"] == "klo_table":                      # 'Nimi | Klo | Tehtävä | Lisätiedot'
        spec.p(cap(r, "Osallistujat", True, caps))
        rows = [["Nimi", "Klo", "Tehtävä", "Lisätiedot"]]
        for p in present:
            late = r.random() < 0.25 and p is not people[0]
            rows.append([p.lf if r.random() < 0.5 else p.fl,
                         f"{int(spec.meeting['start_time'][:2])}.{r.choice([20, 35, 40])}–" if late else "",
                         p.role, r.choice(["", "", "etänä", "saapui myöhässä" if late else ""])])
        spec.add(Table(rows, [5.0, 2.0, 5.0, 4.0], header_rows=1, borders=True))
    elif ax["att"] == "lines":
        spec.p(cap(r, "Läsnä", True, caps))
        spec.add(*[Para(f"{p.fl}, {p.role}", indent=1.0) for p in present])
    else:
        spec.p(f"{cap(r, 'Läsnä', True, caps)} " + comma_sentence([f"{p.fl} ({p.role})" for p in present], r))
    absent = [p for p in people if p.group == "absent"]
    if absent:
        spec.p(f"{cap(r, 'Poissa', True, caps)} " + ", ".join(p.fl for p in absent))
    gold_people(spec, people)
    chair, sec = people[0], next(p for p in people if p.meeting_role == "secretary")
    items = [("Kokouksen avaus", f"Puheenjohtaja avasi kokouksen klo {spec.meeting['start_time'][:2].lstrip('0')}.{spec.meeting['start_time'][3:]}.", True),
             ("Kokouksen laillisuus ja päätösvaltaisuus", "Kokous todettiin lailliseksi ja päätösvaltaiseksi.", False),
             ("Edellisen kokouksen pöytäkirja", "Hyväksyttiin edellisen kokouksen pöytäkirja.", False)]
    for t, disc, dec in r.sample(HOUSING_MATTERS, r.randint(2, 5)):
        firm = r.choice(FIRMS).replace(" Oy:n", " Oy:ltä")
        items.append((t, d.fill(disc) + "||" + d.fill(dec.replace("{firm}", firm)), False))
    items.append(("Kokouksen päättäminen", f"Puheenjohtaja päätti kokouksen klo {spec.meeting['end_time'][:2].lstrip('0')}.{spec.meeting['end_time'][3:]}.", True))
    for i, (t, text, opt) in enumerate(items, 1):
        spec.p(_numbered(ax["numbering"], i, t), bold=True, before=8)
        spec.item(str(i), t)
        disc, _, dec = text.rpartition("||")
        spec.p((disc + " " + dec).strip())
        spec.decision(str(i), dec, optional=opt)
    spec.add(Signature((chair.fl, sec.fl), ("Puheenjohtaja", "Pöytäkirjan laatija")))
    return spec
