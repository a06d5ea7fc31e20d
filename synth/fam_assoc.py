"""Layout families of associations, companies and working groups: hand-typed board minutes,
annual meetings (minutes and agenda), working-group memos (muistio)."""
from __future__ import annotations

import random

from synth.common import board, cap, comma_sentence, gold_people, name_line, skeleton
from synth.content import Draw, Person
from synth.spec import NumList, Para, Signature, Spec, Table, ann

ASSOCS = ["Eläkkeensaajat", "Kyläyhdistys", "Latu", "Marttayhdistys", "Metsästysseura", "Vanhempainyhdistys",
          "Urheiluseura", "Kotiseutuyhdistys", "Yrittäjät", "Nuorisoseura"]
# (title, discussion before the decision, the decision sentence); {d2} a future date
ASSOC_MATTERS = [
    ("Talous", "Rahastonhoitaja esitteli taloustilanteen, ja tilillä oli varoja {eur} euroa.",
     "Päätettiin hakea kunnalta toiminta-avustusta {d2} mennessä."),
    ("Kevätretki", "Keskusteltiin kevätretken kohteesta ja kustannuksista.",
     "Päätettiin järjestää kevätretki {d2} Kolille."),
    ("Kahvinkeitin", "Kahvinkeitin on rikki, ja uuden hinta on noin {pct}0 euroa.",
     "Päätettiin hankkia uusi kahvinkeitin yhdistyksen tiloihin."),
    ("Jäsenmaksut", "Todettiin, että jäsenmaksuja on maksamatta {n2} jäseneltä.",
     "Päätettiin lähettää muistutus maksamattomista jäsenmaksuista."),
    ("Talkoot", "Keskusteltiin kylätalon pihan kunnostamisesta.", "Päätettiin pitää pihatalkoot {d2}."),
    ("Tiedottaminen", "Sihteeri kertoi verkkosivujen päivityksestä.",
     "Päätettiin perustaa yhdistykselle oma sosiaalisen median tili."),
    ("Vuokrasopimus", "Puheenjohtaja esitteli vuokranantajan tarjouksen uudesta sopimuksesta.",
     "Päätettiin hyväksyä vuokrasopimus esitetyin ehdoin."),
    ("Avustushakemus", "Keskusteltiin säätiön avustushausta ja hankkeen sisällöstä.",
     "Päätettiin jättää avustushakemus {d2} mennessä."),
    ("Joulujuhla", "Keskusteltiin joulujuhlan ohjelmasta ja tarjoilusta.", "Päätettiin pitää joulujuhla {d2}."),
    ("Uudet jäsenet", "Jäseneksi oli hakenut {n1} henkilöä.", "Hyväksyttiin uudet jäsenet yhdistykseen."),
]


def _assoc_name(r: random.Random, d: Draw) -> str:
    return f"{d.town[1]} {r.choice(ASSOCS)} ry"


def _when(spec: Spec, d: Draw, place: str, kind="evening") -> str:
    start, end = d.times(kind)
    spec.meeting.update(date=spec.ref.isoformat(), start_time=start, end_time=end, place=place)
    return d.when(spec.ref, start, end, d.r.choice(["dmy", "wd", "wdlong", "long", "dmy"]))


def _numbered(ax: str, no: int, title: str) -> str:
    return {"dot": f"{no}. {title}", "pykala_after": f"{no} § {title}", "pykala_before": f"§ {no} {title}",
            "bare": f"{no} {title}", "pykala": f"{no} § {title}"}[ax]


# ============================================================================ 6 association board
def assoc(r: random.Random, stem: str, ax: dict) -> Spec:
    spec, d = skeleton(r, stem, "assoc", "poytakirja", ax)
    name = _assoc_name(r, d)
    number = f"{r.randint(1, 9)}/{spec.ref.year}"
    spec.meeting.update(organ="Hallitus", number=number)
    if r.random() < 0.5:
        spec.p(name.upper(), bold=True)
        spec.p(f"HALLITUKSEN KOKOUS {number}", bold=True)
        spec.p("PÖYTÄKIRJA", bold=True)
    else:
        spec.p(f"{name}:n hallituksen kokous {number}", heading=1)
    place = r.choice(["Kylätalo", "Seurantalo", "Yhdistyksen toimisto", "Seurakuntatalon kerhohuone"]) + \
        r.choice(["", f", {d.town[1][:-1]}tie {r.randint(1, 40)}"])
    caps = r.random() < 0.2
    spec.p(f"{cap(r, 'Aika', True, caps)} {_when(spec, d, place)}")
    spec.p(f"{cap(r, 'Paikka', True, caps)} {place}")
    people = board(d, r.randint(4, 7), 0, 0, r.randint(0, 2), [], member_role="", partial=0.15)
    sec = people[r.randint(1, 2)]
    sec.role, sec.meeting_role = "sihteeri", "secretary"
    present = [p for p in people if p.group != "absent"]
    absent = [p for p in people if p.group == "absent"]
    lab = r.choice(["Läsnä", "Läsnä", "Paikalla", "Läsnäolijat"])
    if ax["att"] == "comma":
        spec.p(f"{cap(r, lab, True, caps)} " + comma_sentence([name_line(p, 'fl', ax['roles']) for p in present], r))
        if absent:
            spec.p(f"{cap(r, 'Poissa', True, caps)} " + comma_sentence([p.fl for p in absent], r))
    else:
        spec.p(cap(r, lab, True, caps))
        spec.add(*[Para(name_line(p, "fl", ax["roles"]), indent=1.0) for p in present])
        if absent:
            spec.p(cap(r, r.choice(["Poissa", "Estynyt"]), True, caps))
            spec.add(*[Para(p.fl, indent=1.0) for p in absent])
    gold_people(spec, people)
    checkers = [p for p in present if p.meeting_role == ""][:2]
    chair = people[0]
    items = [("Kokouksen avaus", "", f"Puheenjohtaja {chair.fl} avasi kokouksen klo {spec.meeting['start_time'][:2].lstrip('0')}.0{r.randint(1, 9)}.", True),
             ("Kokouksen laillisuus ja päätösvaltaisuus", "", "Kokous todettiin lailliseksi ja päätösvaltaiseksi.", False),
             ("Pöytäkirjantarkastajien valinta", "", f"Pöytäkirjantarkastajiksi valittiin {checkers[0].fl} ja {checkers[1].fl}.", False),
             ("Esityslistan hyväksyminen", "", "Hyväksyttiin esityslista kokouksen työjärjestykseksi.", False)]
    for t, disc, dec in r.sample(ASSOC_MATTERS, r.randint(3, 6)):
        items.append((t, d.fill(disc), d.fill(dec), False))
    items.append(("Muut asiat", "Keskusteltiin yhdistyksen kesätapahtumista.", "", False))
    nxt = d.date(10, 40, "dmy")
    items.append(("Seuraava kokous", "", f"Seuraava kokous pidetään {nxt}.", True))
    items.append(("Kokouksen päättäminen", "", f"Puheenjohtaja päätti kokouksen klo {spec.meeting['end_time'][:2].lstrip('0')}.{spec.meeting['end_time'][3:]}.", True))
    for i, (title, disc, dec, opt) in enumerate(items, 1):
        spec.p(_numbered(ax["numbering"], i, title), bold=True, before=8)
        spec.item(str(i), title)
        if ax["decision"] == "dash":                    # '– Kokous avattiin klo 12.07' bullets
            if disc:
                spec.p(f"– {disc}", indent=0.75)
            if dec:
                spec.p(f"– {dec}", indent=0.75)
        elif ax["decision"] == "closing" or not disc:
            text = (disc + " " + dec).strip()
            if text:
                spec.p(text, indent=0.75)
        else:
            spec.p(disc, indent=0.75)
            spec.p(f"Päätös: {dec}", indent=0.75)
        if dec:
            spec.decision(str(i), dec, optional=opt)
    spec.p(f"{d.town[2]} " + d.date(1, 6, "dmy"), before=16)
    spec.add(Signature((chair.fl, sec.fl), ("Puheenjohtaja", "Sihteeri")))
    return spec


# ============================================================================ 7 annual meeting / AGM
AGM_ITEMS = {
    "yhdistys": [
        ("Kokouksen avaus", "{opener} avasi kokouksen klo {h}.0{m}.", True),
        ("Kokouksen puheenjohtajan, sihteerin, pöytäkirjantarkastajien ja ääntenlaskijoiden valinta",
         "Kokouksen puheenjohtajaksi valittiin {chair} ja sihteeriksi kutsuttiin {sec}. "
         "Pöytäkirjantarkastajiksi ja ääntenlaskijoiksi valittiin {c1} ja {c2}.", False),
        ("Kokouksen laillisuuden ja päätösvaltaisuuden toteaminen", "Kokous todettiin lailliseksi ja päätösvaltaiseksi.", False),
        ("Työjärjestyksen hyväksyminen", "Hyväksyttiin esityslista kokouksen työjärjestykseksi.", False),
        ("Toimintakertomuksen, tilinpäätöksen ja toiminnantarkastajan lausunnon esittäminen", "Merkittiin tiedoksi.", False),
        ("Tilinpäätöksen vahvistaminen ja vastuuvapauden myöntäminen",
         "Vahvistettiin tilinpäätös ja myönnettiin vastuuvapaus hallitukselle.", False),
        ("Toimintasuunnitelman ja talousarvion vahvistaminen", "Hyväksyttiin toimintasuunnitelma ja talousarvio.", False),
        ("Jäsenmaksun suuruudesta päättäminen", "Jäsenmaksuksi päätettiin {fee} euroa.", False),
        ("Hallituksen puheenjohtajan valinta", "Hallituksen puheenjohtajaksi valittiin {b0}.", False),
        ("Hallituksen jäsenten valinta", "Hallituksen jäseniksi valittiin {b1}, {b2} ja {b3}.", False),
        ("Toiminnantarkastajan valinta", "Toiminnantarkastajaksi valittiin {b4} ja varalle {b5}.", False),
        ("Muut asiat", "Muita asioita ei ollut.", True),
        ("Kokouksen päättäminen", "Puheenjohtaja päätti kokouksen klo {eh}.", True)],
    "yhtio": [
        ("Kokouksen avaaminen", "{opener} avasi kokouksen klo {h}.0{m}.", True),
        ("Kokouksen järjestäytyminen", "Kokouksen puheenjohtajaksi valittiin {chair} ja sihteeriksi kutsuttiin {sec}.", False),
        ("Pöytäkirjantarkastajien ja ääntenlaskun valvojien valitseminen",
         "Pöytäkirjantarkastajiksi ja ääntenlaskun valvojiksi valittiin {c1} ja {c2}.", False),
        ("Kokouksen laillisuuden toteaminen", "Kokous todettiin lailliseksi ja päätösvaltaiseksi.", False),
        ("Läsnä olevien toteaminen ja ääniluettelon vahvistaminen", "Vahvistettiin ääniluettelo liitteen mukaisesti.", False),
        ("Vuoden {yp} tilinpäätöksen ja tilintarkastuskertomuksen esittäminen", "Merkittiin tiedoksi.", False),
        ("Tilinpäätöksen vahvistaminen", "Vahvistettiin tilinpäätös.", False),
        ("Taseen osoittaman voiton käyttäminen", "Päätettiin hallituksen esityksen mukaisesti, että osinkoa ei jaeta.", False),
        ("Vastuuvapaudesta päättäminen hallituksen jäsenille ja toimitusjohtajalle",
         "Myönnettiin vastuuvapaus hallituksen jäsenille ja toimitusjohtajalle.", False),
        ("Hallituksen jäsenten palkkioista päättäminen", "Päätettiin esityksen mukaan.", False),
        ("Hallituksen jäsenten valinta", "Hallitukseen valittiin {b1}, {b2} ja {b3}.", False),
        ("Tilintarkastajan valinta", "Tilintarkastajaksi valittiin Tilintarkastus {b0sur} Oy.", False),
        ("Muut asiat", "Muita asioita ei ollut.", True),
        ("Kokouksen päättäminen", "Puheenjohtaja päätti kokouksen klo {eh}.", True)],
}


def agm(r: random.Random, stem: str, ax: dict) -> Spec:
    agenda = ax["doc"] == "esityslista"
    spec, d = skeleton(r, stem, "agm", ax["doc"], ax)
    yhtio = ax["kind"] == "yhtio"
    name = f"{d.town[1]} {r.choice(['Energia', 'Vesi', 'Lämpö', 'Kuitu', 'Satama'])} Oy" if yhtio else _assoc_name(r, d)
    organ = "Varsinainen yhtiökokous" if yhtio else r.choice(["Vuosikokous", "Kevätkokous", "Sääntömääräinen kevätkokous"])
    spec.meeting.update(organ=organ)
    kind = "ESITYSLISTA" if agenda else "PÖYTÄKIRJA"
    hard = ax.get("header") == "hard"
    if hard:                                           # '<YHTIÖ> OYJ  P Ö Y T Ä K I R J A  No 1/2014'
        word = " ".join(kind) if r.random() < 0.5 else kind
        spec.header = [[name.upper(), f"{word} {r.choice(['No', 'Nro'])} 1/{spec.ref.year}", "{PAGE} ({NUMPAGES})"]]
        spec.p(f"{organ.upper()} {spec.ref.year}", bold=True, size=1)
    else:
        spec.p(name, bold=True, size=2)
        spec.p(f"{organ.upper()} {r.choice(['', kind])}".strip(), bold=True, size=1)
    place = r.choice(["Kaupungintalon valtuustosali", "Hotelli Kivikosken kokoustila",
                      f"Kirjaston Mikael-sali, {d.town[1][:-1]}tie {r.randint(2, 30)}", "Yhtiön pääkonttori"])
    start, end = d.times("day" if yhtio else "evening")
    if agenda:
        end = ""
    spec.meeting.update(date=spec.ref.isoformat(), start_time=start, place=place, **({"end_time": end} if end else {}))
    if hard:                                           # 'Kivikoskella 8. päivänä huhtikuuta 2010 klo 14.00'
        from synth.content import MONTHS_GEN
        words = f"{spec.ref.day}. päivänä {MONTHS_GEN[spec.ref.month - 1]} {spec.ref.year} klo {int(start[:2])}.{start[3:]}"
        spec.p(f"{d.town[2]} " + ann(words, f"{spec.ref.isoformat()} {start}"))
        spec.p(f"Kokouspaikka: {place}")
        spec.meeting.pop("end_time", None)
    else:
        spec.p(f"Aika: {d.when(spec.ref, start, end)}")
        spec.p(f"Paikka: {place}")
    chair, sec, c1, c2, opener = (d.person() for _ in range(5))
    board_ = [d.person() for _ in range(6)]
    vals = dict(opener=f"Hallituksen puheenjohtaja {opener.fl}", h=int(start[:2]), m=r.randint(1, 5),
                chair=chair.fl, sec=sec.fl, c1=c1.fl, c2=c2.fl, fee=r.choice([10, 15, 20, 25]),
                eh=f"{int(end[:2])}.{end[3:]}" if end else "", b0=board_[0].fl, b1=board_[1].fl, b2=board_[2].fl,
                b3=board_[3].fl, b4=board_[4].fl, b5=board_[5].fl, b0sur=board_[0].last, yp=spec.ref.year - 1)
    if not agenda:
        if ax["att"] == "list":
            others = [d.person() for _ in range(r.randint(3, 8))]
            spec.p("Läsnä: " + r.choice(["liitteen mukaisesti", "liitteenä olevan ääniluettelon mukaisesti"]))
            spec.p("Lisäksi läsnä: " + comma_sentence([p.fl for p in others], r))
            for p in others:
                spec.person(p.first, p.last)
        spec.person(chair.first, chair.last, meeting_role="chair")
        spec.person(sec.first, sec.last, meeting_role="secretary")
        spec.person(c1.first, c1.last, optional=True)
        spec.person(c2.first, c2.last, optional=True)
        spec.person(opener.first, opener.last, optional=True)
    else:
        spec.p(f"Kokouksen avaa hallituksen puheenjohtaja {opener.fl}.")
        spec.person(opener.first, opener.last, optional=True)
    spec.p(r.choice(["Asialista", "Käsiteltävät asiat", "ESITYSLISTA"]), bold=True, before=8)
    rows = AGM_ITEMS[ax["kind"]]
    titles = [t.format(**vals) for t, _, _ in rows]
    for i, t in enumerate(titles, 1):
        spec.item(str(i), t)
    if ax["numbering"] == "auto":
        if agenda:
            spec.add(NumList(titles, "auto", fmt="{n}."))
        else:
            for i, (t, dec, opt) in enumerate(rows, 1):
                spec.add(NumList([titles[i - 1]], "auto", start=i, fmt="{n}.", bold=True))
                spec.p(dec.format(**vals), indent=0.63)
                spec.decision(str(i), dec.format(**vals), optional=opt)
    else:
        for i, (t, dec, opt) in enumerate(rows, 1):
            spec.p(_numbered(ax["numbering"], i, titles[i - 1]), bold=not agenda)
            if not agenda:
                spec.p(dec.format(**vals), indent=0.63)
                spec.decision(str(i), dec.format(**vals), optional=opt)
    if agenda:
        spec.p(f"{d.town[2]} " + d.date(-30, -14, "dmy"), before=12)
        spec.p("Hallitus")
    else:
        spec.add(Signature((chair.fl, sec.fl), ("Puheenjohtaja", "Sihteeri")))
        spec.add(Signature((c1.fl, c2.fl), ("Pöytäkirjantarkastaja", "Pöytäkirjantarkastaja")))
    return spec


# ============================================================================ 10 working-group memo
MEMO_ORGANS = [("Sote-johtoryhmä", "Sote-johtoryhmän"), ("Ohjausryhmä", "Ohjausryhmän"),
               ("Hyvinvointityöryhmä", "Hyvinvointityöryhmän"), ("Johtoryhmä", "Johtoryhmän"),
               ("Kuntajohtajien työryhmä", "Kuntajohtajien työryhmän"), ("Hankkeen projektiryhmä", "Hankkeen projektiryhmän")]
MEMO_DECISIONS = ["Merkitään tiedoksi.", "Hyväksyttiin.", "Sovittiin, että työvaliokunta valmistelee asian seuraavaan kokoukseen.",
                  "Viedään asia tiedoksi ohjausryhmälle.", "Kutsutaan henkilöstöjärjestöjen edustajat seuraavaan kokoukseen.",
                  "Päätettiin jatkaa valmistelua esitetyn aikataulun mukaisesti.", "Hyväksyttiin muistio muutoksitta."]
MEMO_TOPICS = ["Edellisen kokouksen muistio", "Valmistelun tilannekatsaus", "Hankkeen talous ja raportointi",
               "Viestintäsuunnitelma", "Palveluverkkoselvityksen eteneminen", "Seutufoorumin järjestäminen",
               "Henkilöstön osallistaminen", "Asiakaskyselyn tulokset", "Digitaalisten palvelujen kehittäminen"]
MEMO_ROLES = ["kunnanjohtaja", "perusturvajohtaja", "projektipäällikkö", "ylilääkäri", "kehittämispäällikkö",
              "talousjohtaja", "sosiaalijohtaja", "erikoissuunnittelija"]


def memo(r: random.Random, stem: str, ax: dict) -> Spec:
    spec, d = skeleton(r, stem, "memo", "muistio", ax)
    organ, gen = r.choice(MEMO_ORGANS)
    n = r.randint(1, 12)
    spec.meeting.update(organ=organ, number=str(n))
    spec.p(r.choice([f"{gen} {n}. kokous", f"{gen} kokous {n}/{spec.ref.year}", f"MUISTIO – {gen} kokous"]), bold=True, size=3)
    place = r.choice(["Kunnanviraston valtuustosali", "Teams", "Sairaalan neuvotteluhuone 3", "Kaupungintalo, kokoushuone Kaisla"])
    start, end = d.times("day")
    spec.meeting.update(date=spec.ref.isoformat(), start_time=start, end_time=end, place=place)
    spec.p(f"**Aika:** {d.when(spec.ref, start, end)}")
    spec.p(f"**Paikka:** {place}")
    spec.p(r.choice(["Osallistujat:", "Läsnä:", "Kutsutut:"]), bold=True)
    orgs = [f"{t} {k}" for t, k in ((d.town[1], "kaupunki"), (Draw(r, spec.ref).town[1], "kunta"), ("Sairaanhoitopiiri", ""))]
    people = []
    for o in orgs:
        for _ in range(r.randint(1, 3)):
            p = d.person(role=r.choice(MEMO_ROLES), org=o.strip())
            p.group = "absent" if r.random() < 0.15 else "member"
            people.append(p)
    chair = next(p for p in people if p.group == "member")
    chair.meeting_role = "chair"
    yes, no = ("+", "-") if ax["marks"] == "plusminus" else ("x", "")
    rows = []
    nm = (lambda p: f"{p.role} {p.fl}") if ax["order"] == "role_fl" else (lambda p: p.fl)
    pj = lambda p: ", pj" if p is chair else ""  # noqa: E731
    if ax["cols"] == "org_name_marks":
        rows.append(["Organisaatio", "Nimi", "Läsnä", "Poissa"])
        last = None
        for p in people:
            here = p.group != "absent"
            rows.append(["" if p.org == last else p.org, nm(p) + pj(p), yes if here else "", "" if here else (yes if no == "" else no)])
            last = p.org
        widths = [4.5, 8.0, 1.6, 1.6]
    elif ax["cols"] == "name_org":
        rows.append(["Nimi", "Organisaatio"])
        rows += [[nm(p) + pj(p), p.org] for p in people if p.group != "absent"]
        widths = [8.0, 7.0]
    else:
        rows.append(["Nimi", "Rooli", "Läsnä"])
        rows += [[p.fl + pj(p), p.role, yes if p.group != "absent" else "-"] for p in people]
        widths = [6.0, 6.0, 2.0]
    spec.add(Table(rows, widths, header_rows=1, borders=True))
    absent = [p for p in people if p.group == "absent"]
    if ax["cols"] == "name_org" and absent:
        spec.p("Poissa: " + comma_sentence([nm(p) for p in absent], r))
    gold_people(spec, people)
    spec.p(r.choice(["Asiat", "Käsitellyt asiat", "Asialista"]), bold=True, before=6)
    topics = ["Kokouksen avaus ja läsnäolijoiden toteaminen", "Työjärjestyksen hyväksyminen"] + \
        r.sample(MEMO_TOPICS, r.randint(3, 5)) + ["Muut asiat", "Seuraava kokous"]
    for i, t in enumerate(topics, 1):
        spec.p(f"{i}. {t}", bold=True, before=6)
        spec.item(str(i), t)
        if i == 1:
            spec.p(f"Puheenjohtaja avasi kokouksen klo {int(start[:2])}.{r.randint(10, 20)} ja totesi läsnäolijat.")
            continue
        if t == "Seuraava kokous":
            dec = f"Seuraava kokous {d.when(spec.ref.__class__.fromordinal(spec.ref.toordinal() + r.randint(14, 40)), '08:00', '10:00', 'dmy')} {place}."
        else:
            if 2 < i < len(topics) - 1:
                spec.p(d.body(organ, 1)[0])
                if r.random() < 0.3:
                    spec.p("a) " + d.fill("Hankkeen väliraportti valmistuu {d2}."))
                    spec.p("b) Seuraavan vaiheen rahoitushaku on auki.")
            dec = r.choice(MEMO_DECISIONS) if t != "Työjärjestyksen hyväksyminen" else "Hyväksyttiin."
        if ax["decision"] == "arrow":
            spec.add(NumList([dec], "arrow"))
        elif ax["decision"] == "bold":
            spec.p(dec, bold=True)
        else:
            spec.p(dec)
        spec.decision(str(i), dec)
    sec = next((p for p in people if p.group == "member" and p is not chair), chair)
    spec.p("Muistion vakuudeksi", before=12)
    spec.p(f"{sec.fl}, {sec.role}")
    return spec
