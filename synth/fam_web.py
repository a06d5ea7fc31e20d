"""Web publishing systems saved as PDF/DOCX (docs/layouts.md F1, F2, F3, F11, F15, F16, F17):
Dynasty item pages with handling-history stacks and the Dynasty .TXT export, CloudNC item pages,
the KTweb item list with its `-1` cover row, the jsp regional-council pages, wellbeing-county
decision summaries, and association / student pages written in Markdown or a wiki."""
from __future__ import annotations

import random

from synth.common import comma_sentence, municipal_items, skeleton
from synth.content import Item
from synth.fam_cover import ABBR
from synth.fam_muni import MUNI_ORGANS
from synth.hard import add_gold, clock, vote_lines, when_hard
from synth.spec import NumList, Para, Spec, Table, ann

NAV_TOP = ["Etusivu › Päätöksenteko › Pöytäkirjat", "Dynasty tietopalvelu  Haku  RSS", "Tulosta · Jaa · Palaute",
           "Hae sivustolta", "Kirjaudu sisään · På svenska · In English"]
NAV_BOTTOM = ["Saavutettavuusseloste · Tietosuoja · Evästeasetukset", "Sivun alkuun", "Palaute sivustosta"]


def _nav(spec: Spec, r: random.Random, where: list[str], k: int) -> None:
    for line in r.sample(where, k):
        spec.p(line, size=-2)


def _hidden_people(spec: Spec) -> None:
    """A page without an attendance list: a member named inside a decision ('Merkittiin, että X poistui
    esteellisenä …') was there — an optional attendance row, as the presenter of r070 is."""
    import re
    for row in spec.decisions:
        m = re.search(r"Merkittiin, että (\S+) (\S+) poistui", row["text"])
        if m and not any(a["person"] == f"{m.group(1)} {m.group(2)}" for a in spec.attendance):
            spec.person(m.group(1), m.group(2), optional=True)


def _items(d, organ: str, first: int, n: int) -> list[Item]:
    items = municipal_items(d, organ, n + 2, first, d.person(), [d.person(), d.person()], d.r.choice(["short", "restate", "organ"]))
    return [it for it in items if it.kind == "matter"][:n]


# ============================================================================ F1/F2/F3/F15 item pages and lists
def itempage(r: random.Random, stem: str, ax: dict) -> Spec:
    spec, d = skeleton(r, stem, "itempage", "poytakirja", ax, years=(2012, 2024))
    organ, presenter = r.choice(MUNI_ORGANS)
    abbr = ABBR.get(organ, "KH")
    var = ax["variant"]
    n = r.randint(1, 14)
    spec.meeting.update(organ=organ, number=f"{n}/{spec.ref.year}", date=spec.ref.isoformat())
    kunta = f"{d.town[1]} {r.choice(['kunta', 'kaupunki'])}"
    date0 = ann(d.date_text(spec.ref, "dmy0"), spec.ref.isoformat())
    date1 = ann(d.date_text(spec.ref, "dmy"), spec.ref.isoformat())
    first = r.randint(1, 420)
    if var == "ktweb_list":                           # F3: the web list, a -1 cover row, no decisions
        _nav(spec, r, NAV_TOP, 2)
        spec.p("Pöytäkirjahaku", size=-1)
        spec.p(f"{organ} {date1}" if r.random() < 0.5 else f"{organ}, kokous {date1}", bold=True, size=2)
        items = municipal_items(d, organ, r.randint(4, 8), first, d.person(), [d.person(), d.person()], "short")
        rows = [["§", "Otsikko", "Liitteet"], ["-1", "Pöytäkirjan kansilehti (läsnäolijat)", "-"]]
        spec.item("", "Pöytäkirjan kansilehti (läsnäolijat)", optional=True)
        for it in items:
            rows.append([it.no, it.title, r.choice(["-", "-", "Liite 1", "2 liitettä"]) if it.kind == "matter" else "-"])
            spec.item(it.no, it.title)
        if r.random() < 0.5:
            rows.append(["", "Muutoksenhakuohjeet", "-"])
            spec.item("", "Muutoksenhakuohjeet", optional=True)
        spec.add(Table(rows, [1.5, 11.5, 3.0], header_rows=1, borders=r.random() < 0.5))
        spec.p("Kokousmateriaali:", size=-1)
        spec.p(f"{organ} {n}/{spec.ref.year}, pöytäkirja (PDF)", size=-1)
        _nav(spec, r, NAV_BOTTOM, 2)
        return spec
    n_items = 1 if var == "dynasty_web" else r.randint(2, 4)
    items = _items(d, organ, first, n_items)
    for i, it in enumerate(items):
        it.no = str(first + i)
    single = n_items == 1
    voted = False
    if var == "dynasty_web":                          # F1: history stack, abbreviation lines, no attendance
        _nav(spec, r, NAV_TOP, 2)
        spec.p(kunta)
        spec.p(organ.upper() if r.random() < 0.5 else organ, bold=True)
        it = items[0]
        spec.p(f"Pöytäkirja {date0}/Pykälä {it.no}")
        spec.p("Edellinen asia · Seuraava asia  Muutoksenhakuohje  Kokousasia PDF-muodossa", size=-1)
        history = []
        if ax["history"]:
            for k in range(r.randint(1, 2)):
                o = r.choice([x for x, _ in MUNI_ORGANS if x != organ])
                history.append((o, r.randint(1, 400), d.date(-120 + 50 * k, -75 + 50 * k, "dmy0")))
        for o, no, dd in history + [(organ, it.no, date0)]:        # oldest first, current last
            spec.p(o.upper())
            spec.p(f"§ {no}")
            spec.p(dd)
        spec.p(it.title, bold=True, size=1)
        spec.p(f"{r.randint(10, 900)}/{r.randint(0, 14):02d}.{r.randint(0, 9):02d}.{r.randint(0, 99):02d}/{spec.ref.year}")
        for o, no, dd in history:
            spec.p(f"{ABBR.get(o, o[:3].upper())} § {no}", bold=True)
            spec.p(f"Valmistelija {d.official()} {d.person().fl}")
            spec.p(it.body[0] if it.body else "Asia on tullut vireille.")
            spec.p(f"Ehdotus: {it.proposal.replace(organ, o)}")
            spec.p(f"Päätös: {r.choice(['Hyväksyttiin.', 'Ehdotus hyväksyttiin.', 'Asia palautettiin valmisteluun.'])}")
        spec.p(f"{abbr} § {it.no}", bold=True)
        for b in it.body[1:] or it.body:
            spec.p(b)
        pr = d.person()
        spec.p(f"Päätösehdotus {presenter} {pr.fl}:", bold=True)
        spec.person(pr.first, pr.last, role=presenter, meeting_role="presenter", optional=True)
        spec.p(it.proposal)
        spec.p("Päätös", bold=True)
        spec.p(it.decision)
        if ax["votes"]:
            for ln in vote_lines(r, [d.person().lf for _ in range(r.randint(5, 9))]):
                spec.p(ln)
            voted = True
        spec.item(it.no, it.title, optional=True)
        spec.decision(it.no, it.decision)
        spec.p(f"Tiedoksi: {d.official()}, kirjanpito", size=-1)
        _nav(spec, r, NAV_BOTTOM, 1)
        _hidden_people(spec)
        return spec
    for i, it in enumerate(items):
        if var == "dynasty_txt":                      # F1 .TXT export, one § after another
            spec.p(f"{organ} § {it.no} {date0} {it.title.upper()}", before=10)
            spec.p(f"{abbr.upper()} § {it.no}")
            for b in it.body:
                spec.p(b)
            spec.p(f"Päätösehdotus: {it.proposal}")
            spec.p(f"Päätös: {it.decision}")
            spec.p("Tarkistus " + d.date(2, 4, "wd") + ".")
            spec.item(it.no, it.title.upper())
        elif var == "cloudnc":                        # F2: organ, kokous D.M.YYYY; § N Title; Aikaisempi käsittely
            if i == 0 or r.random() < 0.5:
                hosp = r.random() < 0.3
                if hosp:
                    start = spec.meeting.get("start_time") or r.choice(["10:45", "09:30", "13:15"])
                    spec.meeting["start_time"] = start
                    when = ann(f"{d.date_text(spec.ref, 'dmy0')} {int(start[:2])}.{start[3:]}", f"{spec.ref.isoformat()} {start}")
                    spec.p(f"{organ}, kokous {when} Kokoushuone {r.choice(['Kaisla', 'Ulappa', '3'])}", size=-1)
                else:
                    spec.p(f"{organ}, kokous {date1}", size=-1)
                spec.p("Pöytäkirja on tarkastettu", size=-1)
            spec.p(f"§ {it.no} {it.title}", bold=True, size=2, before=8)
            spec.p(r.choice([f"ROIDno-{spec.ref.year}-{r.randint(100, 9999)}", f"{r.randint(10, 999)}/{spec.ref.year}"]))
            if r.random() < 0.5:
                o = r.choice([x for x, _ in MUNI_ORGANS if x != organ])
                spec.p("Aikaisempi käsittely", bold=True)
                spec.p(f"{o} " + d.date(-80, -10, "dmy") + f" § {r.randint(1, 300)}")
                spec.p(f"Päätös: {r.choice(['Hyväksyttiin.', 'Ehdotus hyväksyttiin yksimielisesti.'])}")
            v = d.person()
            spec.p("Valmistelija", bold=True)
            spec.p(f"{v.fl}, {d.official()}, etunimi.sukunimi@{d.town[0].lower()}.fi")
            spec.p("Perustelut", bold=True)
            for b in it.body:
                spec.p(b)
            spec.p(r.choice(["Päätösehdotus", "Ehdotus"]), bold=True)
            spec.p(it.proposal)
            spec.p("Esittelijä", bold=True)
            pr = d.person()
            spec.add(NumList([f"{pr.fl}, {presenter}, etunimi.sukunimi@{d.town[0].lower()}.fi"], "bullet"))
            spec.person(pr.first, pr.last, role=presenter, meeting_role="presenter", optional=True)
            spec.p("Päätös", bold=True)
            spec.p(it.decision)
            if i == 0 and r.random() < 0.5:
                a, s = d.person(), d.person()
                spec.p(f"Merkittiin, että jäsen {a.fl} oli estynyt saapumaan kokoukseen ja hänen tilallaan oli "
                       f"varajäsen {s.fl}.")
                spec.person(a.first, a.last, "absent", optional=True)
                spec.person(s.first, s.last, optional=True)
            spec.p(f"Lisätietoja päätöksestä antaa {d.person().fl}, {d.official()}", size=-1)
            spec.item(it.no, it.title)
        else:                                         # jsp: 'Hallitus 1 / 2017 18.09.2017', 'Esitys Hallitus'
            spec.p(f"{organ} {n} / {spec.ref.year} {date0}", size=-1, before=8)
            spec.p(f"§ {it.no}" if r.random() < 0.6 else f"{it.no} §", bold=True)
            spec.p(it.title.upper(), bold=True)
            for b in it.body:
                spec.p(b)
            spec.p(f"**Esitys** {organ}")
            spec.p(it.proposal)
            spec.p(f"**Päätös** {organ}")
            spec.p(it.decision)
            spec.p("-" * 40)
            spec.item(it.no, it.title.upper())
        if ax["votes"] and not voted and it.kind == "matter":
            for ln in vote_lines(r, [d.person().lf for _ in range(r.randint(5, 9))]):
                spec.p(ln)
            voted = True
        spec.decision(it.no, it.decision)
    _nav(spec, r, NAV_BOTTOM, 1)
    _hidden_people(spec)
    return spec


# ============================================================================ F11/F16/F17 Markdown, wiki, county summary
def mdweb(r: random.Random, stem: str, ax: dict) -> Spec:
    var = ax["variant"]
    agenda = var == "confluence"
    spec, d = skeleton(r, stem, "mdweb", "esityslista" if agenda else "poytakirja", ax, years=(2005, 2024))
    y = spec.ref.year
    start, end = d.times("evening")
    if var == "county":
        return _county_summary(r, spec, d)
    name = r.choice([f"{d.town[1]} Teekkarit ry", f"{d.town[1]} Tolkien-seura ry", f"Kilta {d.town[0]} ry",
                     f"{d.town[1]} opiskelijakunnan hallitus"])
    n = r.randint(1, 20)
    number = f"{n}/{y}-{y + 1}" if r.random() < 0.5 else f"{n}/{y}"
    spec.meeting.update(organ="Hallitus", number=number)
    place = r.choice(["#hallitus", "Kiltahuone", f"{d.town[1][:-1]}katu {r.randint(1, 40)} A", "Discord-kanava #kokous",
                      "Kampus A: AU205, Kampus B: SN206"])
    spec.meeting.update(date=spec.ref.isoformat(), start_time=start, end_time=end, place=place)
    if agenda:
        spec.p("Esityslista / Dagordning / Agenda", heading=1)
        spec.p(f"Hallituksen kokous {number} (" + ann(f"{spec.ref.day}.{spec.ref.month}.{y}", spec.ref.isoformat()) + ")")
        spec.meeting.pop("end_time")
        when = ann(f"{spec.ref.day}.{spec.ref.month}.{y} klo {int(start[:2])}", f"{spec.ref.isoformat()} {start[:2]}:00")
        spec.meeting["start_time"] = f"{start[:2]}:00"
    else:
        spec.p(f"Hallituksen kokous {number}", heading=1)
        form = r.choice(["kello_range", "klo_h", "colon_nodash", "comma_klo"])
        when = when_hard(r, spec.ref, start, end, form)
        iso = when.rsplit("|", 1)[1].rstrip("]")
        t = iso.split(" ", 1)[1]
        spec.meeting["start_time"] = t.split("-")[0]
        if "-" in t:
            spec.meeting["end_time"] = t.split("-")[1]
        else:
            spec.meeting.pop("end_time")
    raw = var == "md_raw"
    style = r.choice(["plain", "h3", "boldish"])
    if r.random() < 0.3 and not agenda:               # first line '1.6.2015 klo 18' + place, no captions
        spec.p(when)
        spec.p(place)
    elif style == "h3":
        if raw:
            spec.p(f"### Aika: {when}")
            spec.p(f"### Paikka: {place}")
        else:
            spec.p(f"Aika: {when}", heading=3)
            spec.p(f"Paikka: {place}", heading=3)
    else:
        spec.p(f"**Aika:** {when}" if style == "boldish" else f"Aika {when}")
        spec.p(f"**Paikka:** {place}" if style == "boldish" else f"Paikka {place}")
    chair = d.person(role="puheenjohtaja", meeting_role="chair")
    sec = d.person(role="sihteeri", meeting_role="secretary")
    mem = [d.person() for _ in range(r.randint(2, 6))]
    remote = [d.person() for _ in range(r.randint(0, 2))]
    people = [chair, sec] + mem + remote
    att = ax["att"]
    if agenda:
        spec.p("Kutsutut", heading=3 if not raw else 0)
        areas = ["talous", "viestintä", "tapahtumat", "opintoasiat", "kv-asiat", "yrityssuhteet"]
        for p in people:
            spec.add(NumList([f"{p.fl} - {r.choice(areas)}" + (" (pj)" if p is chair else "")], "bullet"))
    elif att == "paren":
        spec.p("paikalla: " + ", ".join([f"{chair.fl} (pj)", f"{sec.fl} (sihteeri)"] + [p.fl for p in mem]) +
               (f"; etänä: {comma_sentence([p.fl for p in remote], r)}" if remote else ""))
    elif att == "pj_prefix":
        names = [f"Pj {chair.fl}"] + [p.fl for p in mem + remote] + [f"{sec.fl} (siht.)"]
        spec.p("Paikalla: " + ", ".join(names[:-1]) + " ja " + names[-1] + ".")
    else:
        spec.p("Läsnä:", bold=True)
        for p in people:
            spec.add(NumList([p.fl + (", puheenjohtaja" if p is chair else ", sihteeri" if p is sec else "")], "bullet"))
    absent = []
    if not agenda and r.random() < 0.5:
        absent = [d.person(group="absent")]
        spec.p(f"Poissa: {absent[0].fl}")
    add_gold(spec, people + absent)
    titles = [("Kokouksen avaus", "Kokous avattiin klo {open}", True),
              ("Laillisuus ja päätösvaltaisuus", "Kokous todettiin lailliseksi ja päätösvaltaiseksi.", False),
              ("Esityslistan hyväksyminen", "Esityslista hyväksyttiin muutoksitta.", False),
              ("Edellisen kokouksen pöytäkirjan hyväksyminen", "Hyväksyttiin.", False),
              ("Ilmoitusasiat", "Todettiin.", False),
              ("Talous", "Päätettiin hyväksyä syksyn budjetti esitetyssä muodossa.", False),
              ("Tapahtumat", "Päätettiin järjestää vuosijuhlat " + "{d2}" + ".", False),
              ("Posti", "Merkittiin tiedoksi.", False),
              ("Muut asiat", "Muita asioita ei ollut.", True),
              ("Seuraava kokous", "Seuraava kokous pidetään {d3}.", True),
              ("Kokouksen päättäminen", "Puheenjohtaja päätti kokouksen klo {close}.", True)]
    pick = titles[:3] + r.sample(titles[3:8], r.randint(2, 4)) + titles[8:]
    heads = ax["heads"]
    for i, (t, dec, opt) in enumerate(pick, 1):
        head = {"pyk_nospace": f"§{i} {t}", "asia": f"Asia {i}: {t}", "dot": f"{i}. {t}", "paren": f"{i}) {t}",
                "unnumbered": t}[heads]                # bold heading without a number: item_no "" (r068)
        no = "" if heads == "unnumbered" else str(i)
        if raw and heads == "asia":
            head = "### " + head
        spec.p(head, bold=not raw or heads == "unnumbered", before=8)
        spec.item(no, t)
        if agenda:
            continue
        dec = dec.format(open=clock(start, r.randint(1, 9)), close=clock(end) if "end_time" in spec.meeting else clock(start, 95),
                         d2=d.date(20, 60, "dmy") if "{d2}" in dec else "", d3=d.date(7, 30, "wd") if "{d3}" in dec else "")
        if t == "Kokouksen päättäminen" and "end_time" not in spec.meeting:
            dec = "Puheenjohtaja päätti kokouksen."
        style = ax["decision"]
        if style == "dash":
            spec.p(f"– {dec}", indent=0.5)
        elif style == "paatos_tab":
            spec.p(f"Päätös:\t\t{dec}")
        else:                                          # closing sentence after a discussion sentence
            spec.p(r.choice(["Keskusteltiin asiasta.", "Asiasta käytiin keskustelu.", ""]) + " " + dec)
        spec.decision(no, dec, optional=opt)
    if not agenda:
        spec.p("Pöytäkirjan vakuudeksi", before=12)
        spec.p(f"{chair.fl}, puheenjohtaja\t\t{sec.fl}, sihteeri")
    return spec


def _county_summary(r: random.Random, spec: Spec, d) -> Spec:
    """F16: 'Aluehallituksen päätöksiä' — Aika line, place on its own line, no attendance."""
    organ = r.choice(["Aluehallitus", "Aluevaltuusto", "Kehittämis- ja tulevaisuuslautakunta"])
    spec.meeting.update(organ=organ, number="")
    spec.meeting.pop("number")
    spec.p(f"{organ}n päätöksiä" if not organ.endswith("lautakunta") else f"{organ}n päätökset", heading=1)
    start, _ = d.times("day")
    place = r.choice(["Aluehallintotalo, kokoushuone Ilves", "Teams-kokous", "Hyvinvointialueen virastotalo"])
    spec.meeting.update(date=spec.ref.isoformat(), start_time=start, place=place)
    spec.p("Aika " + ann(f"{spec.ref.day}.{spec.ref.month}.{spec.ref.year}, klo {start}", f"{spec.ref.isoformat()} {start}"))
    spec.p(place)
    items = _items(d, organ, r.randint(100, 300), r.randint(3, 5))
    for i, it in enumerate(items):
        it.no = str(int(items[0].no) + i)
    spec.p("Käsitellyt asiat", bold=True)
    spec.add(*[Para(f"§ {it.no} {it.title}") for it in items])
    tab = r.random() < 0.5
    for it in items:
        spec.p(f"§ {it.no} {it.title}", heading=2)
        spec.item(it.no, it.title)
        spec.p("Perustelut", bold=True)
        for b in it.body:
            spec.p(b)
        spec.p("Päätösehdotus:", bold=True)
        spec.add(NumList([it.proposal, "Päätös tulee voimaan heti."], "bullet"))
        if r.random() < 0.4:
            lines = ["1. " + it.decision, "2. Päätös tulee voimaan välittömästi."]
            spec.p("Päätös:", bold=True)
            for ln in lines:
                spec.p(ln)
            spec.decision(it.no, " ".join(lines))
        else:
            dec = r.choice([it.decision, "Merkittiin tiedoksi.", "Asia päätettiin palauttaa uudelleen valmisteltavaksi."])
            if tab:
                spec.p(f"**Päätös:**\t\t{dec}")
            else:
                spec.p("Päätös:", bold=True)
                spec.p(dec)
            spec.decision(it.no, dec)
    _hidden_people(spec)
    return spec
