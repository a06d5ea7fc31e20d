"""Hand-made municipal, joint-authority, parish and hospital minutes (docs/layouts.md F5–F9): the
KuntaToimisto-like cover page with KOKOUSTIEDOT and an index table, the classic caption-column form
with member/deputy tables and asterisk footnotes, prose attendance, and big councils whose
attendance table runs over a page break."""
from __future__ import annotations

import random

from synth.common import board, municipal_items, skeleton
from synth.content import Item, Person
from synth.fam_muni import MUNI_ORGANS
from synth.hard import (DOC_WORDS, PAGE_FORMS, add_gold, clock, decision_blocks, head_text, heading_title,
                        hyphenate, number_text, numbered_decision, partial_note, role_short, spaced, trailer,
                        two_day, vote_lines, when_hard)
from synth.spec import PageBreak, Para, Signature, Spec, Table, ann

ABBR = {"Kunnanhallitus": "KH", "Tekninen lautakunta": "TEKLTK", "Sivistyslautakunta": "SIVLTK",
        "Perusturvalautakunta": "PERLTK", "Ympäristölautakunta": "YMPLTK", "Kaupunginhallitus": "KH",
        "Yhtymähallitus": "YH", "Elinvoimalautakunta": "ELLTK"}
PLACES = ["Kunnanvirasto, valtuustosali", "Kunnantalon kokoushuone", "Kaupungintalo, kokoushuone Kaisla",
          "Seurakuntakeskus, takkahuone", "Kuntayhtymän hallintotalo, neuvotteluhuone 2"]


def _people(d, presenter: str, n=(6, 9), partial=0.0) -> list[Person]:
    r = d.r
    return board(d, r.randint(*n), r.randint(0, 2), r.randint(1, 3), r.randint(1, 2),
                 [presenter, "pöytäkirjanpitäjä", "hallintosihteeri"], partial=partial)


def _meeting(spec: Spec, d, place: str, kind="evening") -> tuple[str, str]:
    start, end = d.times(kind)
    d.start, d.end = start, end
    spec.meeting.update(date=spec.ref.isoformat(), start_time=start, end_time=end, place=place)
    return start, end


def _fix_times(spec: Spec, when: str) -> None:
    """The gold start/end as the annotation says (some forms print no end or only the hour)."""
    iso = when.rsplit("|", 1)[1].rstrip("]").split(";")[0].strip()
    parts = iso.split(" ", 1)
    if len(parts) == 2:
        s, _, e = parts[1].partition("-")
        spec.meeting["start_time"] = s
        if e:
            spec.meeting["end_time"] = e
        else:
            spec.meeting.pop("end_time", None)


def _checkers(people):
    return [p for p in people if p.group == "member" and p.meeting_role != "chair"][:2]


def _notes(r: random.Random, people: list[Person], first: int, last: int, start: str, share=0.2) -> None:
    for p in people:
        if p.group != "absent" and p.meeting_role != "chair" and r.random() < share:
            p.note = partial_note(r, first, last, start)


def _contents(spec: Spec, r: random.Random, items: list[Item], style: str, caption_style: str | None = None) -> None:
    """An index of the items in one of the real column layouts (titles may be hyphenated / caps)."""
    caption = caption_style or r.choice(["KÄSITELTÄVÄT ASIAT", "Käsitellyt asiat", "ASIALISTA", "SISÄLLYSLUETTELO",
                                         spaced("ASIAT"), "Asiat"])
    spec.p(caption, bold=True, before=8)
    caps = r.random() < 0.4
    rows, head, widths = [], None, None
    for i, it in enumerate(items):
        t = it.title.upper() if caps else it.title
        if r.random() < 0.4:
            t = hyphenate(t, r)
        elif len(t.split()) > 5 and r.random() < 0.5:
            t = " ".join(t.split()[:4]) + " …"
        page = str(2 + i + (i // 3))
        att = r.choice(["", "", "liite", f"Liite {r.randint(1, 9)}"]) if it.kind == "matter" else ""
        rows.append({"asia_nro": [it.no, t, page], "asianumero": [it.no, t], "sivu": [f"§ {it.no}", t, page],
                     "otsikko_sivu": [f"{it.no} {t}", page], "liite_asia_sivu": [att, f"{it.no} {t}", page],
                     "asia_liite_sivu": [it.no, t, att, page], "pykala_pdf": [it.no, t, "PDF"],
                     "lines": [f"{it.no}\t{t}\t{page}"]}[style])
    head = {"asia_nro": ["Asia nro", r.choice(["Otsikko", "Asia"]), "Pöytäkirjan sivu"], "asianumero": ["Asianumero", "Asia"],
            "sivu": ["§", "Otsikko", "Sivu"], "otsikko_sivu": ["Otsikko", "Sivu"], "liite_asia_sivu": ["Liite", "Asia", "Sivu"],
            "asia_liite_sivu": ["§", "Asia", "Liite", "Sivu"], "pykala_pdf": ["Pykälä", "Otsikko", "Pöytäkirja PDF-muodossa"],
            "lines": None}[style]
    widths = {2: [13.0, 2.5], 3: [2.0, 11.0, 2.5], 4: [1.5, 10.0, 2.0, 2.0]}
    if style == "lines":
        spec.add(*[Para(row[0]) for row in rows])
        return
    if style == "asianumero":
        w = [2.5, 13.0]
    elif style == "liite_asia_sivu":
        w = [2.0, 11.5, 2.0]
    elif style == "pykala_pdf":
        w = [2.0, 10.0, 4.0]
    else:
        w = widths[len(head)]
    spec.add(Table([head] + rows, w, header_rows=1, borders=r.random() < 0.3))


def _attendance(spec: Spec, r: random.Random, d, people: list[Person], style: str, order_members: str,
                first: int, last: int, caps: bool, swedish: bool = False) -> None:
    """Attendance in one of the hard layouts; adds gold for everyone printed."""
    members = [p for p in people if p.group in ("member", "substitute")]
    others = [p for p in people if p.group == "other"]
    absent = [p for p in people if p.group == "absent"]
    C = (lambda s: s.upper()) if caps else (lambda s: s)
    sv = (lambda fi, se: f"{fi} / {se}") if swedish else (lambda fi, se: fi)
    o_other = r.choice(["fl", "fl", order_members])          # staff often in the other order (mixed orders)
    nm = lambda p, o=order_members: p.written(o)              # noqa: E731

    def role_of(p):
        base = role_short(p.role, r) if p.group != "other" else p.role
        return base + (f", {p.note}" if p.note else "")
    if style == "cols":                       # names in one column, roles in the next (flattened by text export)
        spec.p(C(sv("Osallistujat", "Deltagare")), bold=True)
        for cap_, ps in ((sv("Päätöksentekijät", "Beslutsfattare"), members), ("Muut osallistujat", others)):
            if ps:
                spec.add(Table([[cap_, [nm(p) + (f" ({p.replaces.written(order_members)})" if p.replaces else "") for p in ps],
                                 [role_of(p) for p in ps]]], [4.0, 6.0, 6.0], bold_cols=(0,)))
        if absent:
            spec.add(Table([["POISSA:" if caps else "Poissa", "SYY:" if caps else "Syy"]] +
                           [[nm(p), r.choice(["muu syy", "este", "työeste", "sairaus"])] for p in absent],
                           [6.0, 6.0], header_rows=1))
    elif style == "numbered":                 # 1. Sukunimi Etunimi, jäsen<TAB>status; substitute on next line
        spec.p(C(sv("Läsnä", "Närvarande")) + ":", bold=True)
        i = 0
        for p in members + absent:
            if p.group == "substitute":
                continue
            i += 1
            status = "poissa" if p.group == "absent" else (p.note or "")
            spec.p(f"{i}. {nm(p)}, {role_short(p.role, r)}" + (f"\t{status}" if status else ""), indent=0.5)
            if p.group == "absent":
                sub = next((s for s in members if s.replaces is p), None)
                if sub is not None:
                    spec.p(f"{sub.written(order_members)}, varajäsen" + (f"\t{sub.note}" if sub.note else ""), indent=0.9)
        spec.p(C("Muut läsnäolijat") + ":", bold=True)
        for p in others:
            spec.p(f"{p.written(o_other)} ({p.role})" if r.random() < 0.5 else f"{p.written(o_other)}, {role_of(p)}", indent=0.5)
    elif style == "estynyt":                  # LÄSNÄ: Sukunimi Etunimi estynyt, varalla Sukunimi Etunimi
        parts = []
        for p in members:
            if p.group == "substitute":
                continue
            parts.append(nm(p) + (f" ({role_short(p.role, r)})" if p.role in ("puheenjohtaja", "varapuheenjohtaja") else ""))
        for p in absent:
            sub = next((s for s in members if s.replaces is p), None)
            parts.append(f"{nm(p)} estynyt" + (f", varalla {sub.written(r.choice([order_members, 'fl']))}" if sub else ""))
        spec.p(f"{C('Läsnä')}: " + ", ".join(parts))
        spec.p(f"{C('Muut')}: " + ", ".join(f"{p.written(o_other)}, {p.role}" for p in others))
    elif style == "poissa_sij":               # Sukunimi Etunimi (POISSA) sij. Etunimi Sukunimi
        spec.p(C("Päätöksentekijät"), bold=True)
        for p in members:
            if p.group == "substitute":
                continue
            spec.p(f"{nm(p)}, {role_of(p)}", indent=0.5)
        for p in absent:
            sub = next((s for s in members if s.replaces is p), None)
            opp = "fl" if order_members != "fl" else "lf"
            spec.p(f"{nm(p)} (POISSA)" + (f" sij. {sub.written(opp)}" if sub else ""), indent=0.5)
        spec.p(C("Muut osallistujat"), bold=True)
        for p in others:
            spec.p(f"{p.written(o_other)}, {p.role}", indent=0.5)
    elif style == "twocol":                   # a long member list in two columns
        spec.p(C(sv("Saapuvilla olleet jäsenet", "Närvarande ledamöter")), bold=True)
        names = [nm(p) + (f" {role_short(p.role, r)}" if p.role in ("puheenjohtaja", "varapuheenjohtaja") else "")
                 + (f" (vj. {p.replaces.written(order_members)})" if p.replaces else "") for p in members]
        half = (len(names) + 1) // 2
        rows = [[names[i], names[half + i] if half + i < len(names) else ""] for i in range(half)]
        spec.add(Table(rows, [8.0, 8.0]))
        spec.p(C("Muut saapuvilla olleet"), bold=True)
        spec.add(*[Para(f"{p.written(o_other)}, {role_of(p)}", indent=0.5) for p in others])
        if absent:
            spec.p(f"{C('Poissa')}: " + ", ".join(nm(p) for p in absent))
    else:                                     # long_table: crosses a page break, header row repeated
        spec.p(C(sv("Läsnä", "Närvarande")), bold=True)
        rows = [["Nimi", "Tehtävä", "Läsnä"]]
        for p in members + absent:
            mark = "poissa" if p.group == "absent" else (p.note or "x")
            rows.append([nm(p) + (f" ({p.replaces.written(order_members)})" if p.replaces else ""), role_short(p.role, r), mark])
        for p in others:
            rows.append([p.written(o_other), p.role, p.note or "x"])
        spec.add(Table(rows, [7.0, 5.5, 3.5], header_rows=1, borders=True))
    add_gold(spec, people)


def _sign_block(spec: Spec, r: random.Random, d, chair: Person, sec: Person, checkers: list[Person]) -> None:
    cap1 = r.choice(["Pöytäkirjan allekirjoitus ja varmennus", "Allekirjoitukset", "Allekirjoitus", "Pöytäkirjan vakuudeksi"])
    spec.p(cap1, bold=True, before=10)
    spec.add(Signature((chair.fl.upper() if r.random() < 0.3 else chair.fl, sec.fl),
                       ("Puheenjohtaja", r.choice(["Sihteeri", "Pöytäkirjanpitäjä"]))))
    spec.p(r.choice(["Tarkistus, paikka ja aika", "Pöytäkirjan tarkastus", "Pöytäkirjantarkastajat"]), bold=True, before=8)
    spec.p(r.choice(["Olemme tarkastaneet pöytäkirjan ja todenneet sen vastaavan kokouksen kulkua.",
                     "Pöytäkirja on tarkastettu ja todettu kokouksen kulun mukaiseksi.",
                     "Pöytäkirja tarkastettu ja hyväksytty"]) + " " + f"{d.town[2]} " + d.date(2, 8, "dmy"))
    spec.add(Signature((checkers[0].fl, checkers[1].fl), ("Pöytäkirjantarkastaja", "Pöytäkirjantarkastaja")))
    spec.p(r.choice(["Pöytäkirja pidetään nähtävänä", "Pöytäkirja yleisesti nähtävänä"]) + " " + d.date(8, 14, "dmy"))
    if r.random() < 0.5:
        spec.p("Otteen oikeaksi todistaa", before=6)
        spec.p(f"{sec.fl}, {sec.role}")


def _appeal(spec: Spec, r: random.Random, items: list[Item]) -> None:
    """'Pykälä | Muutoksenhakuohjeet' with ranges: not items."""
    nos = [int(it.no) for it in items]
    a, b = nos[0], nos[-1]
    mid = nos[len(nos) // 2]
    spec.add(Table([["Pykälä", "Muutoksenhakuohjeet"], [f"{a} - {mid - 1}" if mid - 1 > a else f"{a}", "Ei muutoksenhakuoikeutta"],
                    [f"{mid} - {b}", "Oikaisuvaatimus"]], [3.0, 12.0], header_rows=1, borders=True))


# ============================================================================ F5 KuntaToimisto-like cover
def cover(r: random.Random, stem: str, ax: dict) -> Spec:
    spec, d = skeleton(r, stem, "cover", "poytakirja", ax, years=(2009, 2020))
    organ, presenter = r.choice(MUNI_ORGANS)
    n = r.randint(1, 14)
    num = number_text(r, n, spec.ref.year)
    spec.meeting.update(organ=organ, number=f"{n}/{spec.ref.year}")
    org = f"{d.town[1]} {r.choice(['kunta', 'kaupunki'])}".upper()
    word = r.choice(DOC_WORDS) if ax["header"] != "letterspaced" else spaced("PÖYTÄKIRJA")
    page = r.choice(PAGE_FORMS)
    if ax["header"] == "oneline":
        spec.header = [[f"{org} {word} {num}", page]]
    else:
        spec.header = [[org, f"{word} {num}", page], [organ, "", ""]]
    if r.random() < 0.5:
        spec.footer = [r.choice(["Pöytäkirjantarkastajien nimikirjaimet: ______ ______", "Puheenjohtaja ____  Tarkastajat ____ ____"])]
    title = r.choice([f"{organ.upper()}N KOKOUS" if not organ.endswith("lautakunta") else organ.upper(), organ])
    spec.p(title, bold=True, size=3)
    place = r.choice(PLACES)
    start, end = _meeting(spec, d, place)
    when = when_hard(r, spec.ref, start, end)
    _fix_times(spec, when)
    caps = r.random() < 0.5
    spec.p("KOKOUSTIEDOT" if caps else "Kokoustiedot", bold=True, before=6)
    tcap = r.choice(["Aika", "AIKA", "Kokousaika", "AIKA:"]) if caps else r.choice(["Aika", "Kokousaika", "Aika:"])
    if r.random() < 0.4:                   # place on the line after the date, no caption
        spec.add(Table([[tcap, [when, place]]], [3.5, 12.5], bold_cols=(0,)))
    else:
        pcap = r.choice(["Paikka", "PAIKKA", "Kokouspaikka", "PAIKKA:"]) if caps else r.choice(["Paikka", "Kokouspaikka"])
        spec.add(Table([[tcap, when], [pcap, place]], [3.5, 12.5], bold_cols=(0,)))
    people = _people(d, presenter)
    first = r.choice([1, r.randint(2, 400)])
    n_items = r.randint(3, 6)
    _notes(r, people, first, first + n_items + 4, start)
    twocol = r.random() < 0.3
    if not twocol:
        _attendance(spec, r, d, people, ax["att"], r.choice(["lf", "lf", "fl"]), first, first + n_items + 4, caps)
    chair, sec = people[0], next(p for p in people if p.meeting_role == "secretary")
    checkers = _checkers(people)
    items = municipal_items(d, organ, n_items, first, chair, checkers, "restate" if ax["decision"] == "tense" else r.choice(["short", "restate", "organ"]))
    if twocol:                                         # two-column cover: attendance left, index right
        left = ["OSALLISTUJAT" if caps else "Osallistujat"]
        for p in people:
            if p.group == "absent":
                continue
            left.append(f"{p.lf}, {role_short(p.role, r)}" + (f" ({p.replaces.lf})" if p.replaces else "") +
                        (f" {p.note}" if p.note else ""))
        absent = [p for p in people if p.group == "absent"]
        if absent:
            left += ["POISSA" if caps else "Poissa"] + [p.lf for p in absent]
        right = ["KÄSITELTÄVÄT ASIAT" if caps else "Käsiteltävät asiat"] + [f"§ {it.no} {it.title}" for it in items]
        spec.add(Table([[left, right]], [8.0, 8.0]))
        add_gold(spec, people)
    appeal = r.random() < 0.5
    if appeal:
        items.append(Item(str(first + len(items)), "OIKAISUVAATIMUSOHJEET JA VALITUSOSOITUS", "appeal"))
    for it in items:
        spec.item(it.no, heading_title(ax["heads"], it.title), optional=it.kind == "appeal")
        if it.decision:
            spec.decision(it.no, it.decision, optional=it.decision_optional)
    _sign_block(spec, r, d, chair, sec, checkers)
    _contents(spec, r, items, ax["contents"])
    spec.add(PageBreak())
    prop_cap = r.choice(["Ehdotus", "Esittelijän ehdotus", "Kunnanjohtajan päätösehdotus", "Päätösehdotus"])
    for it in items:
        if r.random() < 0.3:
            spec.add(PageBreak())
        head = head_text(ax["heads"], it.no, it.title)
        broken = hyphenate(head, r) if it.kind == "matter" and r.random() < 0.3 else head
        if broken != head:                             # a long heading hyphenated over two lines: 'HYVÄKSY-' / 'MINEN'
            a, b = broken.split("- ", 1)
            spec.p(a + "-", bold=True, before=10)
            spec.p(b, bold=True)
        else:
            spec.p(head, bold=True, before=10)
        if it.kind == "appeal":
            spec.p("Kokouksessa tehtyihin päätöksiin liitetään oikaisuvaatimusohjeet ja valitusosoitus.")
            _appeal(spec, r, items[:-1])
            continue
        for b in it.body:
            spec.p(b)
        decision_blocks(spec, r, it, ax["decision"], organ, prop_cap)
    return spec


# ============================================================================ F6 classic caption-column form
def classic(r: random.Random, stem: str, ax: dict) -> Spec:
    spec, d = skeleton(r, stem, "classic", "poytakirja", ax, years=(2003, 2016))
    organ, presenter = r.choice(MUNI_ORGANS)
    n = r.randint(1, 14)
    spec.meeting.update(organ=organ, number=f"{n}/{spec.ref.year}")
    org = f"{d.town[1]} {r.choice(['kunta', 'kaupunki', 'kuntayhtymä'])}"
    spec.header = [[org.upper(), f"{r.choice(['PÖYTÄKIRJA', 'KOKOUSPÖYTÄKIRJA'])} {number_text(r, n, spec.ref.year)}",
                    r.choice(PAGE_FORMS)], [organ, ann(d.date_text(spec.ref, "dmy"), spec.ref.isoformat()), ""]]
    place = r.choice(PLACES)
    start, end = _meeting(spec, d, place)
    when = when_hard(r, spec.ref, start, end)
    _fix_times(spec, when)
    spec.add(Table([["Kokousaika", when], ["Kokouspaikka", place]], [5.0, 11.0], bold_cols=(0,)))
    if r.random() < 0.5:
        spec.footer = ["Pöytäkirjantarkastajien nimikirjaimet: ______ ______"]
    people = _people(d, presenter, n=(6, 9))
    members = [p for p in people if p.group in ("member", "substitute")]
    absent = [p for p in people if p.group == "absent"]
    others = [p for p in people if p.group == "other"]
    chair, sec = people[0], next(p for p in people if p.meeting_role == "secretary")
    first = r.choice([1, r.randint(20, 300)])
    n_items = r.randint(3, 6)
    spec.p("Saapuvilla olleet jäsenet", bold=True, before=6)
    spec.p(r.choice(["(merkintä, kuka toimi puheenjohtajana)", "(merkintä puheenjohtajasta)"]), size=-1)
    # every seat: member + personal deputy (deputies who did not come are printed too)
    seats = [(p, p.replaces) if p.group == "substitute" else (p, None) for p in members]
    deputies: list[Person] = []
    footnotes = []
    if ax["members"] == "varsinainen_vara":
        rows = [["Läsnä", "Varsinainen jäsen", "Henkilökohtainen varajäsen"]]
        for m in members:
            if m.group == "substitute":
                rows.append(["vj", m.replaces.lf, m.lf])
            else:
                dep = d.person(role="varajäsen", group="absent")
                deputies.append(dep)
                rows.append(["x", m.lf + (", pj." if m is chair else ", vpj." if m.role == "varapuheenjohtaja" else ""), dep.lf])
        for a in absent:
            if not any(m.replaces is a for m in members):
                dep = d.person(role="varajäsen", group="absent")
                deputies.append(dep)
                rows.append(["-", a.lf, dep.lf])
        spec.add(Table(rows, [1.5, 7.0, 7.0], header_rows=1, borders=True))
    elif ax["members"] == "xmarks":
        rows = [["Jäsenet:", "x = läsnä - = poissa", "Henkilökohtaiset varajäsenet:", ""]]
        stars = 0
        for m in members:
            if m.group == "substitute":
                rows.append([m.replaces.lf, "(-)", m.lf, "(x)"])
                continue
            dep = d.person(role="varajäsen", group="absent")
            deputies.append(dep)
            mark = ""
            if m is not chair and r.random() < 0.3:
                stars += 1
                mark = ["*", "†", "‡", "*)", "†)"][min(stars, 5) - 1]   # '**' is the spec's bold toggle
                h = int(start[:2]) + 1
                footnotes.append(f"{mark} " + r.choice([f"Poistui kokouksesta klo {h}.40 ennen § {first + n_items} käsittelyn alkua",
                                                        f"Poissa kokouksesta § {first + 1}",
                                                        f"Saapui kokoukseen klo {int(start[:2])}.{r.choice([15, 20, 35])}"]))
            rows.append([m.lf + (" pj" if m is chair else "") + mark, "(x)", dep.lf, "()"])
        for a in absent:
            if not any(m.replaces is a for m in members):
                dep = d.person(role="varajäsen", group="absent")
                deputies.append(dep)
                rows.append([a.lf, "(-)", dep.lf, "(-)"])
        spec.add(Table(rows, [5.5, 3.0, 5.5, 1.5], header_rows=1))
        for f in footnotes:
            spec.p(f, size=-1)
    else:                                   # lines_lf: role column, names 'Sukunimi Etunimi' without comma
        rows = [[m.lf + (f" (vj. {m.replaces.lf})" if m.replaces else ""),
                 {"puheenjohtaja": "pj", "varapuheenjohtaja": r.choice(["vpj", "I vpj"])}.get(m.role, m.role)] for m in members]
        spec.add(Table(rows, [8.0, 5.0]))
        if absent:
            spec.add(Table([["Poissa", [a.lf for a in absent]]], [5.0, 11.0], bold_cols=(0,)))
    spec.p("Muut saapuvilla olleet", bold=True, before=6)
    spec.p("(ja läsnäolon peruste)", size=-1)
    o = ax["order_others"]
    for p in others:
        extra = ", esittelijä" if p.role == presenter else (", pöytäkirjanpitäjä" if p is sec else "")
        spec.p(f"{p.written(o)}, {p.role}{extra if p.role != 'pöytäkirjanpitäjä' else ''}", indent=0.5)
    add_gold(spec, people)
    add_gold(spec, deputies, optional_groups=("absent",))
    checkers = _checkers(people)
    spec.add(Table([["Laillisuus ja päätösvaltaisuus", f"§ {first + 1}"],
                    ["Käsitellyt asiat", f"§§ {first}–{first + n_items + 3}"],
                    ["Pöytäkirjan tarkastustapa", "Pöytäkirja tarkastetaan kokouksen jälkeen."]], [5.0, 11.0], bold_cols=(0,)))
    items = municipal_items(d, organ, n_items, first, chair, checkers, "restate" if ax["decision"] != "own_line" else "short")
    _sign_block(spec, r, d, chair, sec, checkers)
    abbr = ABBR.get(organ, "KH")
    for it in items:
        spec.add(PageBreak()) if r.random() < 0.5 else None
        title = it.title
        if ax["heads"] == "kh_abbr":
            spec.p(f"{abbr} § {it.no}", bold=True, before=10)
            spec.p(title.upper() if r.random() < 0.3 else title, bold=True)
        else:
            spec.p(head_text(ax["heads"], it.no, title), bold=True, before=10)
        printed_title = heading_title(ax["heads"], title)
        spec.item(it.no, printed_title)
        if it.kind == "matter" and r.random() < 0.35:     # an earlier handling, then the current one
            old_no = r.randint(1, 320)
            spec.p(f"{abbr} " + d.date(-70, -10, "dmy") + f" § {old_no}", bold=True)
            spec.p(it.body[0] if it.body else "Asian valmistelu on aloitettu.")
            spec.p(f"{abbr}:n ehdotus: Asia palautetaan valmisteluun.")
            spec.p("Päätös: Hyväksyttiin.")
            spec.p(f"{abbr} " + ann(d.date_text(spec.ref, "dmy"), spec.ref.isoformat()) + f" § {it.no}", bold=True)
        elif it.body:
            spec.p(it.body[0])
        for b in it.body[1:]:
            spec.p(b)
        if ax["decision"] == "organ_paatti":
            lines = numbered_decision(r, organ, it)
            if lines:
                spec.p(it.proposal)
                for ln in lines:
                    spec.p(ln)
                spec.decision(it.no, " ".join(lines))
                continue
            decision_blocks(spec, r, it, "tense", organ)
        else:
            decision_blocks(spec, r, it, ax["decision"], organ)
        if it.decision:
            spec.decision(it.no, it.decision, optional=it.decision_optional)
    return spec


# ============================================================================ F7/F9 prose attendance
def prose(r: random.Random, stem: str, ax: dict) -> Spec:
    spec, d = skeleton(r, stem, "prose", "poytakirja", ax, years=(2007, 2019))
    kind = ax["kind"]
    if kind == "kuntayhtyma":
        org = f"{d.town[1]} seudun kuntayhtymä"
        organ, abbr = "Yhtymähallitus", "Yh"
        title = "YHTYMÄHALLITUKSEN KOKOUS"
    elif kind == "yhteinen_kn":
        org = f"{d.town[1]} seurakuntayhtymä"
        organ, abbr = "Yhteinen kirkkoneuvosto", "Ykn"
        title = "YHTEISEN KIRKKONEUVOSTON KOKOUS"
    else:
        org = f"{d.town[1]} ortodoksinen seurakunta"
        organ, abbr = "Seurakuntaneuvosto", "Srkn"
        title = "SEURAKUNTANEUVOSTON KOKOUS"
    n = r.randint(1, 12)
    spec.meeting.update(organ=organ, number=f"{n}/{spec.ref.year}")
    spec.header = [[org.upper(), r.choice(["ESITYSLISTA- PÖYTÄKIRJA", "ESITYSLISTA/KOKOUSPÖYTÄKIRJA", "PÖYTÄKIRJA"]) +
                    f" {abbr} {n}/{spec.ref.year % 100:02d}", r.choice(["{PAGE}/{NUMPAGES}", "{PAGE}({NUMPAGES})"])]]
    spec.p(title, bold=True, size=2)
    place = r.choice(PLACES)
    start, end = _meeting(spec, d, place)
    when = when_hard(r, spec.ref, start, end)
    _fix_times(spec, when)
    spec.p(f"Aika:\t{when}")
    spec.p(f"Paikka:\t{place}")
    chair = d.person(role="puheenjohtaja", meeting_role="chair")
    members = [d.person(role="jäsen") for _ in range(r.randint(4, 7))]
    absent = d.person(role="jäsen", group="absent")
    sub = d.person(role="varajäsen", group="substitute", replaces=absent)
    sec = d.person(role=r.choice(["hallintojohtaja", "talousjohtaja", "toimitusjohtaja"]), group="other", meeting_role="secretary")
    other = d.person(role=r.choice(["kirkkoherra", "kuntayhtymän johtaja", "talouspäällikkö"]), group="other")
    towns = [f"{d.town[1]} kaupungista", "Ilmajärven kunnasta", "Hillamaan kunnasta"]
    att = ax["att"]
    if att == "jasenet_prose":           # surnames of the absent only; members by full name grouped by town
        k = len(members) // 2
        g1, g2 = members[:k], members[k:]
        txt = (f"puheenjohtaja {chair.fl}, jäsenet " + ", ".join(p.fl for p in g1[:-1]) + f" ja {g1[-1].fl} {towns[0]}, "
               f"jäsen {absent.last.removesuffix('nen') + 'sen' if absent.last.endswith('nen') else absent.last + 'n'} "
               f"varajäsen {sub.fl} {towns[1]}, jäsenet " + ", ".join(p.fl for p in g2[:-1]) +
               (" ja " if len(g2) > 1 else "") + f"{g2[-1].fl} {towns[2]}, {sec.role} {sec.fl} ja {other.role} {other.fl}")
        spec.p(f"Läsnä:\t{txt}")
        spec.p(f"Poissa:\t{absent.fl}")
        spec.p(f"Puheenjohtaja:\t{chair.last}")
        spec.p(f"Pöytäkirjanpitäjä:\t{sec.last}")
    elif att == "titles_first":          # titteli Etunimi Sukunimi (puheenjohtaja), …; X on estynyt
        parts = [f"{r.choice(['rovasti', 'kirkkoherra', 'kunnanjohtaja', 'agronomi'])} {chair.fl} (puheenjohtaja)"]
        parts += [f"{r.choice(['opettaja', 'insinööri', 'eläkeläinen', 'yrittäjä', 'sairaanhoitaja'])} {p.fl}" for p in members]
        parts += [f"{r.choice(['lehtori', 'merkonomi'])} {sub.fl} (varajäsen)", f"{other.role} {other.fl}",
                  f"{sec.role} {sec.fl} (sihteeri)"]
        spec.p("Läsnä: " + ", ".join(parts) + ".")
        spec.p(f"{absent.fl} on estynyt osallistumaan kokoukseen.")
    elif att == "pj_prefix":             # Paikalla: Pj Etunimi Sukunimi, … ja …
        names = [f"Pj {chair.fl}"] + [p.fl for p in members] + [f"{sub.fl} (vj.)"]
        spec.p("Paikalla: " + ", ".join(names[:-1]) + " ja " + names[-1] + ".")
        spec.p(f"Lisäksi paikalla: {sec.fl}, {sec.role}, sihteeri ja {other.fl}, {other.role}.")
        spec.p(f"Estyneet: {absent.fl}")
    else:                                # estynyt_varalla, Sukunimi Etunimi
        spec.p("LÄSNÄ: " + ", ".join([f"{chair.lf} pj"] + [p.lf for p in members] +
                                     [f"{absent.lf} estynyt, varalla {sub.lf}"]))
        spec.p(f"MUUT: {sec.fl} (sihteeri), {other.fl} ({other.role})")
    people = [chair] + members + [sub, sec, other, absent]
    add_gold(spec, people)
    first = r.randint(1, 120)
    items = municipal_items(d, organ, r.randint(3, 6), first, chair, members[:2], "restate")
    heads = ax["heads"]
    for it in items:
        spec.p(head_text(heads, it.no, it.title), bold=True, before=10)
        spec.item(it.no, heading_title(heads, it.title))
        if it.title.startswith("Kokouksen laillisuus") and ax["decision"] == "tense":
            it.proposal = f"{organ} toteaa kokouksen laillisuuden ja päätösvaltaisuuden."
        for b in it.body:
            spec.p(b)
        if it.title == "Kokouksen avaus" and ax["decision"] == "dash":
            it.decision = f"Kokous avattiin klo {clock(start, r.randint(1, 9))}"
        decision_blocks(spec, r, it, ax["decision"], organ)
        if it.decision:
            spec.decision(it.no, it.decision, optional=it.decision_optional)
    spec.p("Pöytäkirjan vakuudeksi", before=14)
    spec.add(Signature((chair.fl, sec.fl), ("puheenjohtaja", "sihteeri")))
    spec.p("Pöytäkirja tarkastettu ja hyväksytty " + d.date(2, 8, "dmy"))
    spec.add(Signature((members[0].fl, members[1].fl), ("", "")))
    return spec


# ============================================================================ F8/F9 big councils, hospital board
def council(r: random.Random, stem: str, ax: dict) -> Spec:
    spec, d = skeleton(r, stem, "council", "poytakirja", ax, years=(2009, 2023))
    kind = ax["kind"]
    sw = ax["swedish"]
    if kind == "valtuusto":
        org, organ, abbr, n_members = f"{d.town[1]} kaupunki", "Kaupunginvaltuusto", "Kv", (21, 35)
        sv_org = f"{d.town[0]} stad"
    elif kind == "yhteinen_kn":
        org, organ, abbr, n_members = f"{d.town[1]} seurakuntayhtymä", "Yhteinen kirkkoneuvosto", "Ykn", (12, 18)
        sv_org = f"{d.town[0]} kyrkliga samfällighet"
    elif kind == "hospital":
        org, organ, abbr, n_members = f"{d.town[1]} sairaanhoitopiirin kuntayhtymä", "Hallitus", "HALL", (9, 13)
        sv_org = f"{d.town[0]} sjukvårdsdistrikt"
    else:
        org, organ, abbr, n_members = f"{d.town[1]} koulutuskuntayhtymä", "Yhtymäkokous", "Yk", (12, 20)
        sv_org = f"{d.town[0]} samkommun"
    n = r.randint(1, 12)
    spec.meeting.update(organ=organ, number=f"{n}/{spec.ref.year}")
    spec.header = [[org, f"{'Pöytäkirja / Protokoll' if sw else 'Pöytäkirja'} {n}/{spec.ref.year}", r.choice(PAGE_FORMS)]]
    if sw:
        spec.header.append([sv_org, "", ""])
    spec.p(organ.upper(), bold=True, size=2)
    place = r.choice(PLACES)
    start, end = _meeting(spec, d, place, "day")
    if ax["twoday"]:
        when = two_day(r, spec.ref, start, end)
    else:
        when = when_hard(r, spec.ref, start, end)
        _fix_times(spec, when)
    spec.add(Table([["Aika / Tid" if sw else "Aika", when], ["Paikka / Plats" if sw else "Paikka", place]], [4.0, 12.0], bold_cols=(0,)))
    people = board(d, r.randint(*n_members), r.randint(1, 3), r.randint(2, 4), r.randint(1, 3),
                   ["johtaja", "pöytäkirjanpitäjä", "talousjohtaja", "hallintojohtaja"])
    first = r.randint(1, 200)
    n_items = r.randint(4, 6)
    _notes(r, people, first, first + n_items + 4, start, 0.12)
    _attendance(spec, r, d, people, ax["att"], "lf", first, first + n_items + 4, r.random() < 0.4, sw)
    chair, sec = people[0], next(p for p in people if p.meeting_role == "secretary")
    checkers = _checkers(people)
    items = municipal_items(d, organ, n_items, first, chair, checkers, r.choice(["short", "restate", "organ"]))
    for it in items:
        spec.item(it.no, it.title.upper() if kind == "hospital" else it.title)
    if ax["contents"] != "none":
        _contents(spec, r, items, ax["contents"], r.choice(["SISÄLLYSLUETTELO", "Sisällysluettelo", "KÄSITELTÄVÄT ASIAT"]))
    spec.add(PageBreak())
    voters = [p.lf for p in people if p.group in ("member", "substitute")]
    voted = False
    for it in items:
        if kind == "hospital":                       # organ caps line, abbrev number in the left margin
            spec.p(organ.upper(), bold=True, before=10)
            spec.add(Table([[f"{abbr} {it.no}", it.title.upper()]], [2.5, 13.5], bold_cols=(0, 1)))
            if it.kind == "matter":
                spec.p(f"{r.randint(100, 999)}/{r.randint(0, 9):02d}/{r.randint(0, 9):02d}/{r.randint(0, 9):02d}/{spec.ref.year}")
        else:
            spec.p(f"{abbr} § {it.no}" if r.random() < 0.5 else f"§ {it.no}", bold=True, before=10)
            spec.p(it.title, bold=True)
        if it.kind == "matter" and r.random() < 0.3:   # Ahjo-like handling list
            spec.p("Aiempi käsittely:")
            spec.p(f"- {r.choice(['Kaupunginhallitus', 'Tarkastuslautakunta', 'Työvaliokunta'])} {r.randint(1, 20)}/"
                   + d.date(-80, -10, "dmy0"))
        for b in it.body:
            spec.p(b)
        if it.proposal:
            spec.p(("Ehdotus / Förslag" if sw else r.choice(["Ehdotus", "Esittelijän ehdotus"])), bold=True)
            spec.p(it.proposal)
        if it.decision:
            spec.p("Päätös / Beslut" if sw else "Päätös", bold=True)
            spec.p(it.decision)
            spec.decision(it.no, it.decision, optional=it.decision_optional)
            trailer(spec, r, it)
            if it.kind == "matter" and not voted and r.random() < 0.5:
                voted = True
                spec.p("Käsittely", bold=True)
                for ln in vote_lines(r, r.sample(voters, min(7, len(voters)))):
                    spec.p(ln)
            if it.title.startswith("Kokouksen laillisuus") and r.random() < 0.5:
                a = next((p for p in people if p.group == "absent"), None)
                if a is not None:
                    spec.p(f"Merkittiin, että jäsen {a.fl} on estynyt.")
    _sign_block(spec, r, d, chair, sec, checkers)
    return spec
