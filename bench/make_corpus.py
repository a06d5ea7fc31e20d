#!/usr/bin/env python3
"""A benchmark corpus of N distinct, realistic Finnish meeting documents (PDF and DOCX).

    .venv/bin/python bench/make_corpus.py --n 200 --out bench/out/corpus          # ~70 % PDF, 2-8 pages
    .venv/bin/python bench/make_corpus.py --n 200 --out bench/out/corpus --seed 7 # another corpus

Every document is rendered with samples/docgen.py (python-docx, the same `Doc` helper the sample
documents use) from randomly drawn, invented content: the organ and municipality, the people and
their roles, the meeting date and every date mentioned, item titles, bodies, proposals and
decisions. No two documents share their text, so the pipeline's content-hash deduplication never
hides one. Three layouts are mixed, as in samples/: a muistio (attendance table, ➤ decisions),
a § pöytäkirja (cover table, caption tables per item) and an esityslista (Word auto-numbered items).

PDFs come from LibreOffice (`soffice --headless --convert-to pdf`), one soffice call per batch of
files, two batches at a time. Every document is rendered once, also the ones kept as DOCX, so the
manifest knows every document's real page count (pages/s is measured against it).

Output: OUT/*.pdf, OUT/*.docx and OUT/.manifest.json (hidden: the pipeline skips it);
gold JSON from docgen goes to OUT.gold/ beside it (not inside: the pipeline would list it).
Deterministic for a given --seed; a second call with the same --n and --seed (and the same
generator) does nothing.
"""
from __future__ import annotations

import argparse
import concurrent.futures as cf
import datetime as dt
import hashlib
import json
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.dont_write_bytecode = True           # leave no __pycache__ in samples/
sys.path.insert(0, str(ROOT / "samples"))

from docgen import Doc, GoldError, Pt, WD_ALIGN_PARAGRAPH, convert_to_pdf  # noqa: E402
from docx.enum.text import WD_TAB_ALIGNMENT  # noqa: E402

sys.path.insert(0, str(ROOT))
from synth.vocab import FIRMS, FIRST, LAST, MEMO_TITLES, OFFICIALS, TITLES, TOWNS  # noqa: E402  (shared with synth/)

GENERATOR_VERSION = 1
PDF_SHARE = 0.7
BATCH = 40            # files per soffice call
PARALLEL_SOFFICE = 2  # soffice calls at a time (each with its own profile)

# ------------------------------------------------------------------------------ vocabulary
# (nominative, genitive, slug)
ORGANS = [
    ("Perusturvalautakunta", "Perusturvalautakunnan", "perusturvalautakunta"),
    ("Tekninen lautakunta", "Teknisen lautakunnan", "tekninen_lautakunta"),
    ("Sivistyslautakunta", "Sivistyslautakunnan", "sivistyslautakunta"),
    ("Kunnanhallitus", "Kunnanhallituksen", "kunnanhallitus"),
    ("Ympäristölautakunta", "Ympäristölautakunnan", "ymparistolautakunta"),
    ("Rakennuslautakunta", "Rakennuslautakunnan", "rakennuslautakunta"),
    ("Vapaa-aikalautakunta", "Vapaa-aikalautakunnan", "vapaa-aikalautakunta"),
    ("Elinvoimalautakunta", "Elinvoimalautakunnan", "elinvoimalautakunta"),
    ("Tarkastuslautakunta", "Tarkastuslautakunnan", "tarkastuslautakunta"),
    ("Kunnanvaltuusto", "Kunnanvaltuuston", "kunnanvaltuusto"),
]
MEMO_ORGANS = [
    ("Hyvinvointijohtoryhmä", "Hyvinvointijohtoryhmän", "hyvinvointijohtoryhma"),
    ("Sote-johtoryhmä", "Sote-johtoryhmän", "sote-johtoryhma"),
    ("Kuntajohtajien työryhmä", "Kuntajohtajien työryhmän", "kuntajohtajien_tyoryhma"),
    ("Ohjausryhmä", "Ohjausryhmän", "ohjausryhma"),
    ("Nuorisotyön verkosto", "Nuorisotyön verkoston", "nuorisotyon_verkosto"),
    ("Ikäihmisten palvelujen työryhmä", "Ikäihmisten palvelujen työryhmän", "ikaihmisten_tyoryhma"),
]

OPEN_TITLES = ["Kokouksen avaus", "Kokouksen laillisuuden ja päätösvaltaisuuden toteaminen",
               "Pöytäkirjantarkastajien valinta", "Työjärjestyksen hyväksyminen"]
CLOSE_TITLES = ["Viranhaltijapäätökset", "Ilmoitusasiat", "Muut asiat"]

BODY = [
    "{org} on käsitellyt asiaa edellisen kerran {d1} ja pyytänyt valmistelijoilta lisäselvitystä.",
    "Selvityksen mukaan palvelujen kysyntä on kasvanut {pct} % kolmen viime vuoden aikana, ja "
    "henkilöstön saatavuus on heikentynyt erityisesti ilta- ja viikonloppuvuoroissa.",
    "Kustannusarvio on {eur} euroa, josta valtionosuus kattaa noin {pct} %. Määräraha on varattu "
    "vuoden {y} talousarvioon.",
    "Tarjouspyyntö julkaistiin Hilma-palvelussa {d1}. Tarjoukset tuli jättää {d2} mennessä, ja "
    "määräaikaan mennessä saapui {n1} tarjousta.",
    "Asiasta on pyydetty lausunnot vanhusneuvostolta, vammaisneuvostolta ja nuorisovaltuustolta. "
    "Lausunnot ovat esityslistan liitteenä.",
    "{person} esitteli asian ja vastasi jäsenten kysymyksiin. Keskustelussa nousivat esiin "
    "palvelujen saavutettavuus ja kuntalaisten osallistaminen.",
    "Hankkeen ohjausryhmä kokoontui {d1} {town_loc}. Ohjausryhmä puoltaa toimenpiteiden jatkamista "
    "nykyisellä rahoituksella vuoden {y1} loppuun.",
    "Päätöksen valmistelussa on otettu huomioon kuntastrategian tavoitteet sekä hyvinvointikertomuksen "
    "indikaattorit. Vaikutukset lapsiin on arvioitu erillisellä lomakkeella.",
    "Kuntalaisille järjestetään avoin tiedotustilaisuus {d2} {town_loc}. Ilmoittautuminen ei ole "
    "tarpeen.",
    "Nykyinen sopimus päättyy {d2}. Sopimukseen sisältyy mahdollisuus kahden vuoden optiokauteen, "
    "jonka käyttämistä valmistelija ei esitä.",
    "Käyttötalouden menot ovat toteutuneet {pct} %:sti ja tulot vastaavasti hieman arvioitua "
    "paremmin. Talvikunnossapidon menot ylittävät arvion runsaan lumentulon vuoksi.",
    "{org} nimesi työryhmään jäseniksi {person} ja {person2}. Työryhmän sihteerinä toimii "
    "{official}.",
    "Aluehallintovirasto on antanut asiassa ohjauskirjeen {d1}. Kunnan on toimitettava selvitys "
    "korjaavista toimenpiteistä {d2} mennessä.",
    "Investointiohjelmassa hankkeelle on varattu {eur} euroa. Rakentaminen on tarkoitus aloittaa "
    "keväällä {y1}.",
    "Henkilöstön edustajat ovat käsitelleet asian yhteistoimintaryhmässä {d1}, eikä muutoksella ole "
    "henkilöstövaikutuksia.",
    "Asukaskyselyyn vastasi {n3} kuntalaista. Vastaajista {pct} % piti palvelua hyvänä tai erittäin "
    "hyvänä, ja eniten kehitettävää nähtiin tiedottamisessa.",
]
PROPOSALS = [
    "{org} hyväksyy selvityksen ja esittää sen kunnanhallitukselle otettavaksi huomioon talousarvion "
    "valmistelussa.",
    "{org} merkitsee asian tiedoksi.",
    "{org} valitsee urakoitsijaksi kokonaistaloudellisesti edullisimman tarjouksen tehneen {firm}.",
    "{org} hyväksyy liitteen mukaiset maksut {d2} alkaen.",
    "{org} antaa kunnanhallitukselle liitteen mukaisen lausunnon.",
    "{org} myöntää avustukset liitteen mukaisesti, yhteensä {eur} euroa.",
    "{org} hyväksyy suunnitelman ja valtuuttaa {official} tekemään tarvittavat sopimukset.",
    "{org} nimeää työryhmään kaksi jäsentään ja pyytää työryhmää raportoimaan {d2} mennessä.",
    "{org} esittää kunnanhallitukselle ja edelleen valtuustolle, että muutos hyväksytään.",
]
DECISIONS = ["Päätösehdotus hyväksyttiin.", "Päätösehdotus hyväksyttiin yksimielisesti.", "Merkittiin tiedoksi.",
             "Asia pantiin pöydälle.", "Asia palautettiin uudelleen valmisteltavaksi.",
             "Hyväksyttiin muutettuna siten, että toimenpiteet aloitetaan vasta syksyllä."]
VOTES = ("Äänestyksessä jaa {a}, ei {b}. {org} hyväksyi päätösehdotuksen äänin {a}–{b}.")


# ------------------------------------------------------------------------------ drawing
class Draw:
    """Random content for one document; every date printed carries its docgen annotation."""

    def __init__(self, rng: random.Random, ref: dt.date, town, organ):
        self.r = rng
        self.ref = ref
        self.town, self.organ = town, organ
        self.used_names: set[str] = set()

    def person(self) -> tuple[str, str]:
        """A new person; surnames stay distinct while the pool lasts (attendance reads them)."""
        used_last = {n.split()[1] for n in self.used_names}
        for _ in range(200):
            f, l = self.r.choice(FIRST), self.r.choice(LAST)
            if f"{f} {l}" not in self.used_names and (l not in used_last or len(used_last) >= len(LAST) - 5):
                self.used_names.add(f"{f} {l}")
                return f, l
        raise GoldError("ran out of names")

    def mentioned(self) -> str:
        """A person named in a body text: may be someone already in the document."""
        if self.used_names and self.r.random() < 0.5:
            return self.r.choice(sorted(self.used_names))
        return " ".join(self.person())

    def date(self, lo: int = -60, hi: int = 60, time: bool = False) -> str:
        """An annotated full date near the meeting (the year is always printed)."""
        d = self.ref + dt.timedelta(days=self.r.randint(lo, hi))
        if time:
            h = self.r.choice([9, 10, 12, 13, 14, 17, 18])
            return f"[[{d.day}.{d.month}.{d.year} klo {h}.00|{d.isoformat()} {h:02d}:00]]"
        return f"[[{d.day}.{d.month}.{d.year}|{d.isoformat()}]]"

    def fill(self, template: str, **extra) -> str:
        r = self.r
        vals = dict(org=self.organ[0], town=self.town[1], town_loc=self.town[2], y=self.ref.year,
                    y1=self.ref.year + 1, yp=self.ref.year - 1,
                    person=self.mentioned() if "{person}" in template else "",
                    person2=self.mentioned() if "{person2}" in template else "",
                    official=r.choice(OFFICIALS), firm=r.choice(FIRMS), pct=r.randint(3, 68),
                    eur=f"{r.randint(12, 980)} {r.randint(0, 999):03d}", n1=r.choice(["kaksi", "kolme", "neljä", "viisi"]),
                    n2=r.randint(10, 99), n3=r.randint(100, 999),
                    d1=self.date(-120, -3) if "{d1}" in template else "",
                    d2=self.date(5, 150) if "{d2}" in template else "")
        vals.update(extra)
        return template.format(**vals)

    def title(self, used: set[str]) -> str:
        while True:
            t = self.fill(self.r.choice(TITLES))
            if t not in used:
                used.add(t)
                return t

    def body(self, k: int) -> list[str]:
        return [self.fill(t) for t in self.r.sample(BODY, k)]


# ------------------------------------------------------------------------------ layouts
def _items(dr: Draw, n_items: int) -> list[str]:
    used: set[str] = set()
    middle = [dr.title(used) for _ in range(n_items)]
    return OPEN_TITLES[: dr.r.randint(2, 4)] + middle + CLOSE_TITLES[: dr.r.randint(1, 3)]


def build_ptk(stem: str, dr: Draw, n_items: int) -> Doc:
    r, (town, town_gen, town_loc), organ = dr.r, dr.town, dr.organ
    no = f"{r.randint(1, 14)}/{dr.ref.year}"
    doc = Doc(stem, "poytakirja", dr.ref.isoformat(), font=r.choice(["Arial", "Calibri", "Times New Roman"]),
              size=r.choice([10.5, 11, 12]), author="bench", margins_cm=(2.2, 1.8, 2.0, 2.2))
    w = doc.text_width.cm
    day = f"[[{dr.ref.day}.{dr.ref.month}.{dr.ref.year}|{dr.ref.isoformat()}]]"
    doc.header([f"{town_gen.upper()} KUNTA\tPÖYTÄKIRJA\t{no}", f"{organ[0]}\t{day}\tSivu {{PAGE}} ({{NUMPAGES}})"],
               tabs=[(9.0, WD_TAB_ALIGNMENT.LEFT), (w, WD_TAB_ALIGNMENT.RIGHT)], size=9)
    start, end = r.choice([16, 17, 18]), r.choice([19, 20, 21])
    em = r.choice(["00", "15", "30", "45"])
    aika = (f"[[{dr.ref.day}.{dr.ref.month}.{dr.ref.year} klo {start}.00–{end}.{em}"
            f"|{dr.ref.isoformat()} {start:02d}:00-{end:02d}:{em}]]")
    place = f"{town_gen} kunnanvirasto, kokoushuone {r.choice(['Lakka', 'Kataja', 'Kuusi', 'Petäjä', 'Tammi'])}"
    doc.meeting(organ=organ[0], number=no, date=dr.ref.isoformat(), place=place)
    doc.p(organ[0], bold=True, size=14, after=12)
    members, others, absent = [], [], []
    for i in range(r.randint(7, 11)):
        f, l = dr.person()
        role = "puheenjohtaja" if i == 0 else "varapuheenjohtaja" if i == 1 else "jäsen"
        members.append(f"{l} {f}" + (f", {role}" if i < 2 else ""))
        doc.person(f, l, role=role, status="present", meeting_role="chair" if i == 0 else
                   "vice_chair" if i == 1 else "member")
    for mrole, title in (("presenter", r.choice(OFFICIALS[:6])), ("secretary", "hallintosihteeri")):
        f, l = dr.person()
        extra = "esittelijä" if mrole == "presenter" else "pöytäkirjanpitäjä"
        others.append(f"{l} {f}, {title}, {extra}")
        doc.person(f, l, role=title, status="present", meeting_role=mrole)
    for _ in range(r.randint(0, 3)):
        f, l = dr.person()
        absent.append(f"{l} {f}")
        doc.person(f, l, role="jäsen", status="absent", meeting_role="member")
    titles = _items(dr, n_items)
    chair = members[0].split(",")[0].split()
    sec = others[1].split(",")[0].split()
    rows = [["Aika", aika], ["Paikka", place], ["Saapuvilla olleet jäsenet", members],
            ["Muut saapuvilla olleet", others]]
    if absent:
        rows.append(["Poissa", absent])
    rows += [["Käsitellyt asiat", f"§ 1–{len(titles)}"], ["Puheenjohtaja", f"{chair[1]} {chair[0]}"],
             ["Pöytäkirjanpitäjä", f"{sec[1]} {sec[0]}"],
             ["Pöytäkirjan tarkastus", [f"{town_loc} {dr.date(1, 4)}", "", ""]],
             ["Pöytäkirja yleisesti nähtävänä", f"{town_gen} kunnanvirastossa {dr.date(5, 8)}"]]
    doc.table(rows, [4.6, w - 4.6], borders=False, bold_cols=(0,), cell_after=4)
    doc.page_break()
    for i, title in enumerate(titles, start=1):
        doc.p(f"§ {i}\t{title}", bold=True, size=11.5, keep_next=True, before=14, after=2,
              tabs=[(3.6, WD_TAB_ALIGNMENT.LEFT)])
        doc.item(str(i), title)
        heavy = title not in OPEN_TITLES + CLOSE_TITLES
        rows = []
        if heavy:
            f, l = dr.person()
            rows.append(["Valmistelija", f"{r.choice(OFFICIALS)} {f} {l}, puh. 040 {r.randint(100, 999)} "
                                         f"{r.randint(1000, 9999)}"])
            rows.append([None, dr.body(r.randint(1, 4))])
        prop = dr.fill(r.choice(PROPOSALS)) if heavy else "Todetaan."
        rows.append(["Päätösehdotus", prop])
        decision = r.choice(DECISIONS) if heavy else "Hyväksyttiin."
        if heavy and r.random() < 0.15:
            a = r.randint(5, 8)
            decision = VOTES.format(a=a, b=r.randint(1, a - 1), org=organ[0])
        rows.append(["Päätös", decision])
        doc.table(rows, [3.6, w - 3.6], borders=False, bold_cols=(0,), cell_after=6)
        doc.decision(str(i), decision)
    doc.p(f"Puheenjohtaja päätti kokouksen klo {end}.{r.randint(0, 5)}5.", before=12)
    return doc


def build_memo(stem: str, dr: Draw, n_items: int) -> Doc:
    r, (town, town_gen, town_loc), organ = dr.r, dr.town, dr.organ
    no = f"{r.randint(1, 9)}/{dr.ref.year}"
    doc = Doc(stem, "muistio", dr.ref.isoformat(), font=r.choice(["Calibri", "Arial"]), size=11, author="bench")
    doc.header([f"{town_gen} seudun yhteistyö\tMUISTIO {no}"], tabs=[(doc.text_width.cm, WD_TAB_ALIGNMENT.RIGHT)],
               border=False)
    doc.heading(f"{organ[1]} kokous {no}", 1)
    place = f"{town_gen} kaupungintalo, kokoushuone {r.choice(['Merituuli', 'Aallokko', 'Revontuli', 'Kaisla'])}"
    doc.p(f"**Aika:** [[{dr.ref.day}.{dr.ref.month}.{dr.ref.year} klo 9.00 - 11.30|{dr.ref.isoformat()} 09:00-11:30]]")
    doc.p(f"**Paikka:** {place}")
    doc.meeting(organ=organ[0], number=no, date=dr.ref.isoformat(), start_time="09:00", end_time="11:30",
                place=place)
    doc.p("**Osallistujat:**", keep_next=True)
    rows = [["Organisaatio", "Nimi", "Läsnä", "Poissa"]]
    orgs = [f"{t[1]} {k}" for t, k in zip(r.sample(TOWNS, 4), ["kaupunki", "kunta", "kunta", "kunta"])]
    first = True
    for org in orgs:
        shown = org
        for _ in range(r.randint(2, 5)):
            f, l = dr.person()
            title = r.choice(MEMO_TITLES)
            present = r.random() > 0.2
            rows.append([shown, f"{title} {f} {l}" + (", pj" if first else ""), "+" if present else None,
                         None if present else "x"])
            doc.person(f, l, role=title, organisation=org, status="present" if present else "absent",
                       meeting_role="chair" if first else None)
            shown, first = None, False
    doc.table(rows, [4.4, 5.0, 1.7, 1.7], header_rows=1, repeat_header=True, borders=True,
              align_cols={2: WD_ALIGN_PARAGRAPH.CENTER, 3: WD_ALIGN_PARAGRAPH.CENTER})
    doc.heading("Asiat", 2, before=14)
    for i, title in enumerate(_items(dr, n_items), start=1):
        doc.p(f"{i}. {title}", bold=True, keep_next=True, before=8)
        doc.item(str(i), title)
        if title in OPEN_TITLES + CLOSE_TITLES:
            doc.p("Hyväksyttiin.")
            doc.decision(str(i), "Hyväksyttiin.")
            continue
        for para in dr.body(r.randint(1, 3)):
            doc.p(para)
        for para in dr.body(r.randint(0, 3)):
            doc.bullet(para.split(". ")[0].rstrip("."), 1)
        dec = dr.fill(r.choice(PROPOSALS))
        bold = r.random() < 0.5
        doc.p(f"➤ **{dec}**" if bold else f"➤ {dec}", indent_cm=0.6)
        doc.decision(str(i), dec)
    f, l = dr.person()
    doc.p("Muistion vakuudeksi", before=18)
    doc.p(f"{f} {l}", before=18, after=0)
    doc.p("projektipäällikkö")
    return doc


def build_agenda(stem: str, dr: Draw, n_items: int) -> Doc:
    r, (town, town_gen, town_loc), organ = dr.r, dr.town, dr.organ
    no = f"{r.randint(1, 12)}/{dr.ref.year}"
    doc = Doc(stem, "esityslista", dr.ref.isoformat(), font=r.choice(["Times New Roman", "Calibri"]), size=12,
              author="bench")
    w = doc.text_width.cm
    day = f"[[{dr.ref.day}.{dr.ref.month}.{dr.ref.year}|{dr.ref.isoformat()}]]"
    doc.header([f"{town_gen.upper()} KUNTA\tESITYSLISTA {no}", f"{organ[0]}\t{day}"],
               tabs=[(w, WD_TAB_ALIGNMENT.RIGHT)], size=10)
    place = f"{town_gen} kunnantalo, valtuustosali"
    h = r.choice([17, 18])
    doc.p(f"{organ[1]} kokous", bold=True, size=16, after=10)
    doc.p(f"Aika:\t[[{dr.ref.day}.{dr.ref.month}.{dr.ref.year} klo {h}.00|{dr.ref.isoformat()} {h:02d}:00]]",
          tabs=[(3.5, WD_TAB_ALIGNMENT.LEFT)], after=0)
    doc.p(f"Paikka:\t{place}", tabs=[(3.5, WD_TAB_ALIGNMENT.LEFT)], after=0)
    f, l = dr.person()
    title = r.choice(OFFICIALS[:6])
    doc.p(f"Esittelijä:\t{title} {f} {l}", tabs=[(3.5, WD_TAB_ALIGNMENT.LEFT)])
    doc.meeting(organ=organ[0], number=no, date=dr.ref.isoformat(), start_time=f"{h:02d}:00", place=place)
    doc.person(f, l, role=title, status="present", meeting_role="presenter", optional=True)
    doc.p("Kokouksen esityslista", bold=True, size=13, before=10)
    num = doc.numbering("decimal", "%1.", left_cm=0.75, hanging_cm=0.75, bold=True)
    for i, title in enumerate(_items(dr, n_items), start=1):
        doc.numbered(title, num, style=None, bold=True, before=12, after=4, keep_next=True)
        doc.item(str(i), title)
        if title not in OPEN_TITLES + CLOSE_TITLES:
            for para in dr.body(r.randint(1, 4)):
                doc.p(para, indent_cm=0.75)
        doc.p(f"Esitys: {dr.fill(r.choice(PROPOSALS))}", indent_cm=0.75, before=4)
        doc.p("Päätös:", indent_cm=0.75, before=4)
    f, l = dr.person()
    doc.p(f"{town_loc} {dr.date(-9, -5)}", before=24)
    doc.p(f"{f} {l}", before=18, after=0)
    doc.p(title)
    return doc


LAYOUTS = [("poytakirja", build_ptk, ORGANS), ("muistio", build_memo, MEMO_ORGANS),
           ("esityslista", build_agenda, ORGANS)]
# items for a target page count: n = a * pages - b (fitted on LibreOffice renderings)
ITEMS_FOR_PAGES = {"poytakirja": (3.45, 7.6), "muistio": (5.3, 9.5), "esityslista": (3.85, 2.0)}


def build_one(i: int, seed: int) -> tuple[Doc, str]:
    """Document i of the corpus; its content depends only on (seed, i)."""
    for attempt in range(20):
        r = random.Random(f"{seed}-{i}-{attempt}")
        kind, builder, organs = r.choices(LAYOUTS, weights=[5, 3, 2])[0]
        ref = dt.date(2015, 1, 1) + dt.timedelta(days=r.randint(0, 9 * 365))
        town, organ = r.choice(TOWNS), r.choice(organs)
        fmt = "pdf" if r.random() < PDF_SHARE else "docx"
        pages = r.randint(2, 8)
        a, b = ITEMS_FOR_PAGES[kind]
        n_items = max(1, round(a * pages - b))
        stem = f"{i:04d}_{kind}_{organ[2]}_{ref.isoformat()}"
        try:
            return builder(stem, Draw(r, ref, town, organ), n_items), fmt
        except GoldError:
            continue   # an unlucky draw (e.g. a date docgen cannot check): draw again
    raise RuntimeError(f"document {i}: no valid draw")


# ------------------------------------------------------------------------------ main
def _source_hash() -> str:
    return hashlib.sha256(Path(__file__).read_bytes() + (ROOT / "samples" / "docgen.py").read_bytes()).hexdigest()[:16]


def _pdf_pages(path: Path) -> int:
    import pdfplumber
    with pdfplumber.open(path) as pdf:
        return len(pdf.pages)


def build(n: int, out: Path, seed: int, quiet: bool = False) -> dict:
    manifest_path = out / ".manifest.json"
    key = {"n": n, "seed": seed, "generator": GENERATOR_VERSION, "source": _source_hash()}
    if manifest_path.exists():
        old = json.loads(manifest_path.read_text())
        if all(old.get(k) == v for k, v in key.items()) and all(
                (out / f["file"]).is_file() and (out / f["file"]).stat().st_size == f["bytes"] for f in old["files"]):
            if not quiet:
                print(f"{out}: corpus of {n} (seed {seed}) already built, {old['pages']} pages: nothing to do")
            return old
    t0 = time.perf_counter()
    if out.exists():
        shutil.rmtree(out)
    gold = out.with_name(out.name + ".gold")
    if gold.exists():
        shutil.rmtree(gold)
    out.mkdir(parents=True)
    with tempfile.TemporaryDirectory(prefix="corpus_") as tmp:
        stage = Path(tmp)
        docs, fmts, docx_paths = [], {}, []
        for i in range(n):
            doc, fmt = build_one(i, seed)
            docs.append(doc)
            fmts[doc.stem] = fmt
            docx_paths.append(doc.save(stage / "docx", gold))
        t_docx = time.perf_counter() - t0
        stamps = {d.stem: d.created.strftime("%Y%m%d%H%M%S") for d in docs}
        batches = [docx_paths[k:k + BATCH] for k in range(0, len(docx_paths), BATCH)]
        with cf.ThreadPoolExecutor(PARALLEL_SOFFICE) as pool:
            list(pool.map(lambda b: convert_to_pdf(b, stage / "pdf", stamps), batches))
        t_pdf = time.perf_counter() - t0 - t_docx
        files = []
        for p in docx_paths:
            rendered = stage / "pdf" / f"{p.stem}.pdf"
            pages = _pdf_pages(rendered)
            src = rendered if fmts[p.stem] == "pdf" else p
            dest = out / src.name
            shutil.copyfile(src, dest)
            files.append({"file": dest.name, "format": fmts[p.stem], "pages": pages, "bytes": dest.stat().st_size,
                          "sha256": hashlib.sha256(dest.read_bytes()).hexdigest()})
    shas = {f["sha256"] for f in files}
    if len(shas) != len(files):
        raise SystemExit("two documents have the same bytes: the generator must draw distinct content")
    manifest = dict(key, pages=sum(f["pages"] for f in files), files=files,
                    pdf=sum(f["format"] == "pdf" for f in files), docx=sum(f["format"] == "docx" for f in files),
                    seconds={"docx": round(t_docx, 1), "soffice": round(t_pdf, 1),
                             "total": round(time.perf_counter() - t0, 1)})
    manifest_path.write_text(json.dumps(manifest, indent=1) + "\n", encoding="utf-8")
    if not quiet:
        hist: dict[int, int] = {}
        for f in files:
            hist[f["pages"]] = hist.get(f["pages"], 0) + 1
        print(f"{out}: {n} documents ({manifest['pdf']} PDF, {manifest['docx']} DOCX), {manifest['pages']} pages "
              f"(pages per document: {dict(sorted(hist.items()))}); built in {manifest['seconds']['total']} s "
              f"(python-docx {t_docx:.1f} s, soffice {t_pdf:.1f} s); gold in {gold}")
    return manifest


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=200, help="number of documents (default 200)")
    ap.add_argument("--out", default=str(ROOT / "bench" / "out" / "corpus"), help="corpus folder")
    ap.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    a = ap.parse_args(argv)
    if a.n < 1:
        ap.error("--n must be positive")
    build(a.n, Path(a.out).resolve(), a.seed)


if __name__ == "__main__":
    main()
