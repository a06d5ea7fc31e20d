"""Invented content for synthetic meetings: people, organs, item titles, proposals, decisions,
body prose and dates in the many printed forms of real minutes. Every date returned here is
already marked up ``[[printed|ISO]]`` so it lands in gold by construction."""
from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

from synth.spec import ann
from synth.vocab import FIRMS, FIRST, LAST, OFFICIALS, TITLES, TOWNS

WEEKDAYS = ["ma", "ti", "ke", "to", "pe", "la", "su"]
WEEKDAYS_LONG = ["maanantai", "tiistai", "keskiviikko", "torstai", "perjantai", "lauantai", "sunnuntai"]
MONTHS_GEN = ["tammikuuta", "helmikuuta", "maaliskuuta", "huhtikuuta", "toukokuuta", "kesäkuuta",
              "heinäkuuta", "elokuuta", "syyskuuta", "lokakuuta", "marraskuuta", "joulukuuta"]
MORE_FIRST = "Aila Eeva Irma Kerttu Noora Emmi Iida Onni Eino Lauri Aleksi Veikko Joonas Niko".split()
MORE_LAST = ("Hämäläinen Kärkkäinen Lehtinen Mäkinen Mäkelä Niemi Ollila Partanen Rautio Savolainen "
             "Toivonen Tikkanen Valtonen Honkanen Jääskeläinen Kauppinen Lappalainen").split()
ALL_FIRST = FIRST + MORE_FIRST
ALL_LAST = LAST + MORE_LAST

OPENING = ["Kokouksen avaus", "Kokouksen laillisuus ja päätösvaltaisuus", "Pöytäkirjantarkastajien valinta",
           "Työjärjestyksen hyväksyminen"]
CLOSING = ["Ilmoitusasiat", "Muut asiat", "Kokouksen päättäminen"]

# (title, proposal in the present tense, the same decided in the past tense); {o} = organ
MATTERS = [
    ("Talousarvion {y1} valmistelu", "{o} hyväksyy talousarvion laadintaohjeet.",
     "{o} hyväksyi talousarvion laadintaohjeet."),
    ("Katuvalaistuksen saneerauksen urakoitsijan valinta", "{o} valitsee urakoitsijaksi {firm}.",
     "{o} valitsi urakoitsijaksi {firm}."),
    ("Vesihuoltolaitoksen taksan tarkistaminen", "{o} hyväksyy liitteen mukaisen taksan.",
     "{o} hyväksyi liitteen mukaisen taksan."),
    ("Lausunto maakuntakaavan luonnoksesta", "{o} antaa liitteen mukaisen lausunnon.",
     "{o} antoi liitteen mukaisen lausunnon."),
    ("Avustusten myöntäminen yhdistyksille", "{o} myöntää avustukset liitteen mukaisesti.",
     "{o} myönsi avustukset liitteen mukaisesti."),
    ("Hankintaohjeen päivittäminen", "{o} hyväksyy päivitetyn hankintaohjeen.",
     "{o} hyväksyi päivitetyn hankintaohjeen."),
    ("Sisäisen valvonnan raportti", "{o} merkitsee raportin tiedoksi.", "{o} merkitsi raportin tiedoksi."),
    ("Koulukuljetusperiaatteiden päivittäminen", "{o} hyväksyy koulukuljetusperiaatteet lukuvuodelle {y}-{y1}.",
     "{o} hyväksyi koulukuljetusperiaatteet lukuvuodelle {y}-{y1}."),
    ("Tietosuojavastaavan nimeäminen", "{o} nimeää tietosuojavastaavaksi hallintosihteerin.",
     "{o} nimesi tietosuojavastaavaksi hallintosihteerin."),
    ("Kiinteistön myynti tarjousten perusteella", "{o} myy kiinteistön korkeimman tarjouksen tehneelle.",
     "{o} myi kiinteistön korkeimman tarjouksen tehneelle."),
    ("Henkilöstöraportti vuodelta {yp}", "{o} merkitsee henkilöstöraportin tiedoksi.",
     "{o} merkitsi henkilöstöraportin tiedoksi."),
    ("Päiväkodin perusparannuksen hankesuunnitelma", "{o} hyväksyy hankesuunnitelman.",
     "{o} hyväksyi hankesuunnitelman."),
    ("Jätehuoltomääräysten päivittäminen", "{o} hyväksyy jätehuoltomääräykset ja lähettää ne lausunnoille.",
     "{o} hyväksyi jätehuoltomääräykset ja lähetti ne lausunnoille."),
    ("Kirjastoauton hankinta", "{o} päättää hankkia kirjastoauton {firm} tarjouksen mukaisesti.",
     "{o} päätti hankkia kirjastoauton {firm} tarjouksen mukaisesti."),
    ("Uimahallin aukioloajat", "{o} hyväksyy uimahallin uudet aukioloajat.",
     "{o} hyväksyi uimahallin uudet aukioloajat."),
    ("Valtuustoaloite kuntalaisraadista", "{o} merkitsee vastauksen aloitteeseen tiedoksi.",
     "{o} merkitsi vastauksen aloitteeseen tiedoksi."),
    ("Yritysneuvonnan palvelusopimus", "{o} hyväksyy palvelusopimuksen kahdeksi vuodeksi.",
     "{o} hyväksyi palvelusopimuksen kahdeksi vuodeksi."),
    ("Asemakaavan muutos, kortteli 1{n2}", "{o} asettaa asemakaavan muutosehdotuksen nähtäville.",
     "{o} asetti asemakaavan muutosehdotuksen nähtäville."),
    ("Liikuntapaikkojen käyttövuorojen jakaminen", "{o} vahvistaa käyttövuorot liitteen mukaisesti.",
     "{o} vahvisti käyttövuorot liitteen mukaisesti."),
    ("Toimitilojen vuokrasopimuksen jatkaminen", "{o} jatkaa vuokrasopimusta vuoden {y1} loppuun.",
     "{o} jatkoi vuokrasopimusta vuoden {y1} loppuun."),
]
LONG_TITLE_TAILS = [" sekä siihen liittyvien toimenpiteiden aikataulu ja vastuunjako",
                    " ja lausunnon antaminen aluehallintovirastolle", " vuosille {y1}-{y2}"]
SHORT_DECISIONS = ["Hyväksyttiin.", "Hyväksyttiin esityksen mukaisesti.", "Päätösehdotus hyväksyttiin.",
                   "Päätösehdotus hyväksyttiin yksimielisesti.", "Ehdotus hyväksyttiin.", "Merkittiin tiedoksi.",
                   "Päätös on ehdotuksen mukainen."]
RARE_DECISIONS = ["Asia jätettiin pöydälle.", "Palautettiin uudelleen valmisteltavaksi.",
                  "Asia pantiin pöydälle seuraavaan kokoukseen."]
BODY = [
    "{o} on käsitellyt asiaa edellisen kerran {d1} ja pyytänyt lisäselvitystä.",
    "Kustannusarvio on {eur} euroa, ja määräraha on varattu vuoden {y} talousarvioon.",
    "Tarjouspyyntö julkaistiin {d1}. Määräaikaan mennessä saapui {n1} tarjousta.",
    "Asiasta on pyydetty lausunnot vanhusneuvostolta ja nuorisovaltuustolta.",
    "Kuntalaisille järjestetään avoin tiedotustilaisuus {d2}.",
    "Nykyinen sopimus päättyy {d2}, eikä optiokautta esitetä käytettäväksi.",
    "Selvityksen mukaan kysyntä on kasvanut {pct} prosenttia kolmen viime vuoden aikana.",
    "Henkilöstön edustajat ovat käsitelleet asian yhteistoimintaryhmässä {d1}.",
    "Asukaskyselyyn vastasi {n3} henkilöä, ja eniten kehitettävää nähtiin tiedottamisessa.",
    "Päätöksen vaikutukset lapsiin on arvioitu erillisellä lomakkeella.",
]

BODY_STEPS = ["kartoitetaan nykyiset tilat ja niiden käyttöaste", "laaditaan kustannusarvio ja rahoitussuunnitelma",
              "kuullaan henkilöstöä ja asukkaita", "kilpailutetaan toteutus", "raportoidaan tuloksista lautakunnalle",
              "selvitetään yhteistyö naapurikuntien kanssa"]


@dataclass
class Person:
    first: str
    last: str
    role: str = ""               # jäsen, varajäsen, puheenjohtaja, kunnanjohtaja ...
    group: str = "member"        # member | substitute | other | absent
    meeting_role: str = ""       # chair | secretary | ""
    org: str = ""
    note: str = ""               # partial presence as printed ("saapui klo 18.40 (§ 5)")
    replaces: "Person | None" = None

    @property
    def fl(self) -> str:
        return f"{self.first} {self.last}"

    @property
    def lf(self) -> str:
        return f"{self.last} {self.first}"

    def written(self, order: str) -> str:
        return {"fl": self.fl, "lf": self.lf, "lcf": f"{self.last}, {self.first}"}[order]


@dataclass
class Item:
    no: str
    title: str
    kind: str = "matter"         # open | matter | close
    body: list[str] = field(default_factory=list)
    proposal: str = ""
    decision: str = ""
    decision_optional: bool = False


class Draw:
    """Random content for one document, from one `random.Random`."""

    def __init__(self, rng: random.Random, ref: dt.date):
        self.r = rng
        self.ref = ref
        self.used: set[str] = set()
        self.town = rng.choice(TOWNS)
        self.start, self.end = "18:00", "20:00"   # the meeting's clock, once drawn

    # ------------------------------------------------------------------ people
    def person(self, **kw) -> Person:
        for _ in range(500):
            f, l = self.r.choice(ALL_FIRST), self.r.choice(ALL_LAST)
            if l not in self.used:
                self.used.add(l)
                return Person(f, l, **kw)
        raise RuntimeError("ran out of surnames")

    # ------------------------------------------------------------------ dates
    def date_text(self, d: dt.date, style: str | None = None) -> str:
        style = style or self.r.choice(["dmy", "dmy", "dmy0", "wd", "long"])
        if style == "dmy0":
            return f"{d.day:02d}.{d.month:02d}.{d.year}"
        if style == "wd":
            return f"{WEEKDAYS[d.weekday()]} {d.day}.{d.month}.{d.year}"
        if style == "wdlong":
            return f"{WEEKDAYS_LONG[d.weekday()]} {d.day}.{d.month}.{d.year}"
        if style == "long":
            return f"{d.day}. {MONTHS_GEN[d.month - 1]} {d.year}"
        return f"{d.day}.{d.month}.{d.year}"

    def date(self, lo: int, hi: int, style: str | None = None, avoid: dt.date | None = None) -> str:
        """An annotated date lo..hi days from the meeting (never the meeting day itself)."""
        while True:
            d = self.ref + dt.timedelta(days=self.r.randint(lo, hi))
            if d != self.ref and d != avoid:
                return ann(self.date_text(d, style), d.isoformat())

    def when(self, d: dt.date, start: str, end: str, style: str | None = None) -> str:
        """The meeting's date and time as one annotated mention, in one of the printed forms."""
        tform = self.r.choice(["dot", "dot", "colon", "kello", "dotsp"])
        sh, sm = start.split(":")
        eh, em = end.split(":") if end else ("", "")
        if tform == "kello" and sm == "00" and not end:
            t = f"kello {int(sh)}"
        elif tform == "colon":
            t = f"klo {start}" + (f"-{end}" if end else "")
        elif tform == "dotsp":
            t = f"klo {int(sh)}.{sm}" + (f" - {int(eh)}.{em}" if end else "")
        else:
            t = f"klo {int(sh)}.{sm}" + (f"–{int(eh)}.{em}" if end else "")
        iso = f"{d.isoformat()} {start}" + (f"-{end}" if end else "")
        return ann(f"{self.date_text(d, style)} {t}", iso)

    def times(self, kind: str = "evening") -> tuple[str, str]:
        h = self.r.choice([17, 18, 18, 19] if kind == "evening" else [9, 10, 12, 13, 14, 15])
        m = self.r.choice([0, 0, 0, 30, 15])
        dur = self.r.randint(50, 200)
        e = h * 60 + m + dur
        return f"{h:02d}:{m:02d}", f"{e // 60:02d}:{e % 60:02d}"

    # ------------------------------------------------------------------ text
    def fill(self, template: str, organ: str = "") -> str:
        r = self.r
        y = self.ref.year
        vals = dict(o=organ, y=y, y1=y + 1, y2=y + 3, yp=y - 1, firm=r.choice(FIRMS), pct=r.randint(3, 68),
                    eur=f"{r.randint(12, 980)} {r.randint(0, 999):03d}", n1=r.choice(["kaksi", "kolme", "neljä"]),
                    n2=r.randint(10, 99), n3=r.randint(100, 999), town=self.town[1])
        if "{d1}" in template:
            vals["d1"] = self.date(-150, -5)
        if "{d2}" in template:
            vals["d2"] = self.date(5, 150)
        return template.format(**vals)

    def body(self, organ: str, k: int) -> list[str]:
        """Body paragraphs; sometimes with a numbered list (not items) or a contact line naming an
        official (not attendance), as long real bodies have."""
        out = [self.fill(t, organ) for t in self.r.sample(BODY, k)]
        if self.r.random() < 0.25:
            steps = self.r.sample(BODY_STEPS, self.r.randint(2, 3))
            style = self.r.choice(["{n}. ", "{n}) ", "– "])
            out.append(self.r.choice(["Valmistelussa on esitetty seuraavat toimenpiteet:", "Hankkeen tavoitteet ovat:"]))
            out += [style.format(n=i) + s for i, s in enumerate(steps, 1)]
        if self.r.random() < 0.25:
            p = self.person()
            out.append(f"{self.r.choice(['Lisätietoja', 'Lisätiedot', 'Valmistelija'])}: {self.official()} {p.fl}, "
                       f"puh. 040 {self.r.randint(100, 999)} {self.r.randint(1000, 9999)}")
        return out

    def matters(self, organ: str, n: int, long_titles: float = 0.15) -> list[tuple[str, str, str]]:
        """n distinct (title, proposal, decision-as-restated) triples."""
        out = []
        for t, p, d in self.r.sample(MATTERS, n):
            title = self.fill(t)
            if self.r.random() < long_titles:
                title += self.fill(self.r.choice(LONG_TITLE_TAILS))
            firm = self.r.choice(FIRMS)
            out.append((title, p.format(o=organ, firm=firm, y=self.ref.year, y1=self.ref.year + 1),
                        d.format(o=organ, firm=firm, y=self.ref.year, y1=self.ref.year + 1)))
        return out

    def short_decision(self, rare: float = 0.1) -> str:
        return self.r.choice(RARE_DECISIONS if self.r.random() < rare else SHORT_DECISIONS)

    def extra_titles(self, n: int) -> list[str]:
        """Further invented matter titles (bench vocabulary) with dates and years filled in."""
        out = []
        for t in self.r.sample(TITLES, n):
            out.append(t.format(y=self.ref.year, y1=self.ref.year + 1, yp=self.ref.year - 1,
                                town=self.town[1], n2=self.r.randint(10, 99), n3=self.r.randint(100, 999)))
        return out

    def official(self) -> str:
        return self.r.choice(OFFICIALS)
