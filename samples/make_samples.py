#!/usr/bin/env python3
"""Builds the sample corpus: four invented Finnish municipal documents as DOCX + PDF, with gold.

    python samples/make_samples.py            # writes samples/*.docx, *.pdf and samples/gold/*.json

Needs python-docx and LibreOffice Writer (`soffice`, e.g. `apt-get install libreoffice-writer-nogui`);
pdfplumber is used, when installed, to check that every PDF has a text layer. Everything is
invented (people, bodies, places). Gold is written from the same data the documents are
rendered from; see docgen.py for the markup and the gold conventions.
"""
from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.dont_write_bytecode = True  # leave no __pycache__ in samples/
sys.path.insert(0, str(HERE))

from docgen import (Cm, Doc, Pt, WD_ALIGN_PARAGRAPH, check_pdfs, convert_to_pdf,  # noqa: E402
                    write_sizes)
from docx.enum.text import WD_TAB_ALIGNMENT  # noqa: E402

OUT = HERE
GOLD = HERE / "gold"


# =====================================================================================
# a. muistio: steering group memo with a long attendance table (continues on page 2)
# =====================================================================================
MEMO_STEM = "muistio_hyvinvointijohtoryhma_2018-03-14"

# organisation, title, first name, last name, status, mark shown in Läsnä/Poissa (None: +/-),
# suffix after the name, meeting role
MEMO_PEOPLE = [
    ("Sarkalahden kaupunki", "kaupunginjohtaja", "Harri", "Kuusiniemi", "present", None, ", pj", "chair"),
    ("Sarkalahden kaupunki", "sosiaali- ja terveysjohtaja", "Marjut", "Peltokangas", "present", None, "", None),
    ("Sarkalahden kaupunki", "hyvinvointikoordinaattori", "Elina", "Raudaskoski", "present", None, "", None),
    ("Sarkalahden kaupunki", "sivistysjohtaja", "Kari", "Aittokallio", "absent", None, "", None),
    ("Ilmajärven kunta", "kunnanjohtaja", "Seppo", "Rautakorpi", "present", None, "", None),
    ("Ilmajärven kunta", "perusturvajohtaja", "Tuija", "Hirvelä", "present", None, "", None),
    ("Ilmajärven kunta", "vapaa-aikasihteeri", "Janne", "Mällinen", "absent", None, "", None),
    ("Hillamaan kunta", "kunnanjohtaja", "Raili", "Ketola", "present", None, "", None),
    ("Hillamaan kunta", "vs. perusturvajohtaja", "Anu", "Kärenaho", "present", None, "", None),
    ("Hillamaan kunta", "nuorisotyön ohjaaja", "Mikko", "Huhtamella", "present", None, "", None),
    ("Vaaranrinteen kunta", "kunnanjohtaja", "Pentti", "Alajoki", "absent", None, "", None),
    ("Vaaranrinteen kunta", "sosiaalijohtaja", "Kirsi", "Niskakangas", "present", None, "", None),
    ("Vaaranrinteen kunta", "liikuntasuunnittelija", "Teemu", "Ojanperä", "present", None, "", None),
    ("Jokivarren kunta", "kunnanjohtaja", "Ulla", "Saukkoriipi", "present", None, "", None),
    ("Jokivarren kunta", "perusturvajohtaja", "Hannele", "Tervahauta", "present", None, "", None),
    ("Jokivarren kunta", "sivistystoimenjohtaja", "Jukka", "Kangasniemi", "absent", None, "", None),
    ("PRSHP", "johtajaylilääkäri", "Antero", "Vuollo", "present", None, "", None),
    ("PRSHP", "kehittämisylilääkäri", "Sari", "Kaukoranta", "present", None, "", None),
    ("PRSHP", "hallintoylihoitaja", "Pirjo", "Haapakoski-Lehto", "present", None, "", None),
    ("PRSHP", "erikoissuunnittelija", "Niina", "Pietilä", "absent", None, "", None),
    ("Rannikon ammattiopisto", "rehtori", "Olli", "Kemppainen", "absent", None, "", None),
    ("Rannikon ammattiopisto", "opinto-ohjaaja", "Saara", "Lumijärvi", "present", None, "", None),
    ("Pohjanrannikon liitto", "maakuntasuunnittelija", "Petri", "Honkala", "present", None, "", None),
    ("Sarkalahden seudun sosiaaliturvayhdistys ry", "toiminnanjohtaja", "Riitta", "Hyvärinen", "present", None, "", None),
    ("Sarkalahden seudun sosiaaliturvayhdistys ry", "järjestökoordinaattori", "Ismo", "Tarkkanen", "present", None, "", None),
    ("Sarkalahden seurakuntayhtymä", "diakoniajohtaja", "Leena", "Ahokas", "absent", None, "", None),
    ("Hyvä Arki -hanke", "projektipäällikkö", "Katja", "Immonen", "present", None, "", "secretary"),
    ("Hyvä Arki -hanke", "projektisuunnittelija", "Tommi", "Luukkonen", "present", None, "", None),
    ("Hyvä Arki -hanke", "viestintäsuunnittelija", "Henna", "Paasovaara", "present", None, "", None),
    ("Muut kutsutut: Pohjanrannikon poliisilaitos", "vanhempi konstaapeli", "Jari", "Mäntymaa", "present",
     "klo 10.15-", "", None),
]

# absentees marked with an 'x' under Poissa; the other absentees get '-' under Läsnä
MEMO_ABSENT_IN_POISSA = {"Aittokallio", "Alajoki", "Ahokas"}

# blocks: ("p", text) paragraph, ("b", text) bullet, ("b2", text) 2nd-level bullet,
# ("sub", text) a)-line, ("ok", text) plain decision line (gold),
# ("dec", text, bold) ➤ decision (gold), ("bold", text) bold bullet = optional decision,
# ("prog", text) programme line
MEMO_ITEMS = [
    ("1", "Kokouksen avaus ja läsnäolijoiden toteaminen", [
        ("p", "Puheenjohtaja avasi kokouksen klo 9.05 ja totesi läsnäolijat. Poliisilaitoksen edustaja "
              "saapui kokoukseen kohdan 5 aikana."),
    ]),
    ("2", "Esityslistan hyväksyminen", [
        ("ok", "Hyväksyttiin."),
    ]),
    ("3", "Edellisen kokouksen muistio [[24.1.2018|2018-01-24]]", [
        ("ok", "Hyväksyttiin."),
    ]),
    ("4", "Hyvinvointikertomusten valmistelutilanne", [
        ("p", "Hyvinvointikoordinaattori Elina Raudaskoski kertoi kuntien laajojen hyvinvointikertomusten "
              "2017–2020 tilanteesta."),
        ("b", "Indikaattoripohja on päivitetty, tiedot on koottu Sotkanetistä ja kouluterveyskyselystä"),
        ("b", "Sarkalahden ja Hillamaan kertomukset käsitellään valtuustoissa kesäkuussa"),
        ("b", "Ilmajärven kertomus viivästyy henkilöstövaihdosten vuoksi, luonnos valmistuu syyskuussa"),
        ("b2", "Vaaranrinteen ja Jokivarren kertomukset ovat lausuntokierroksella"),
        ("p", "Kuntien hyvinvointikoordinaattoreiden yhteinen työpaja pidetään viikolla 12 Ilmajärvellä."),
        ("dec", "Merkitään tiedoksi", True),
    ]),
    ("5", "Hyvä Arki -hankkeen eteneminen", [
        ("sub", "a) hankkeen talous ja henkilöstö, Katja Immonen"),
        ("b", "Hankkeen kokonaisbudjetti vuodelle 2018 on 412 000 €, josta kuntien omarahoitusosuus on 20 %"),
        ("b", "Maksatushakemus kaudelta [[1.9.–31.12.2017|2017-09-01;2017-12-31]] lähetettiin rahoittajalle "
              "[[28.2.|2018-02-28]]"),
        ("b", "Viestintäsuunnittelija Henna Paasovaara aloitti tehtävässään [[1.2.2018|2018-02-01]]"),
        ("dec", "Merkitään tiedoksi", False),
        ("sub", "b) ikäihmisten liikuntaneuvonnan pilotti, Teemu Ojanperä"),
        ("b", "Pilotti käynnistyy Ilmajärvellä ja Vaaranrinteellä [[3.4.|2018-04-03]], mukaan on "
              "ilmoittautunut 46 ikäihmistä"),
        ("b", "Vertaisohjaajien koulutus [[16.4 klo 8-10|2018-04-16 08:00-10:00]] Ilmajärven kunnantalolla"),
        ("b2", "kouluttajina Teemu Ojanperä ja UKK-instituutin asiantuntija"),
        ("b", "Kokemuksia verrataan Hillamaan kuntosaliryhmien tuloksiin"),
        ("dec", "Johtoryhmä puoltaa pilotin laajentamista kaikkiin hankekuntiin syksyllä 2018.", True),
        ("sub", "c) lasten ja nuorten hyvinvointisuunnitelman päivittäminen"),
        ("b", "Päivitys tehdään yhdessä kuntien nuorisovaltuustojen kanssa"),
        ("bold", "Nuorten osallisuusryhmän kokoamisesta vastaa Hillamaan nuorisotyö."),
        ("dec", "Työryhmä valmistelee suunnitelmaluonnoksen johtoryhmän toukokuun kokoukseen.", False),
        ("sub", "d) yhteistyö poliisin kanssa, Jari Mäntymaa"),
        ("p", "Ennalta estävän työn yhteyshenkilöt on nimetty kaikkiin hankekuntiin. Kouluille järjestetään "
              "turvallisuuskävelyt huhti–toukokuussa."),
        ("bold", "Kuntien yhteyshenkilöiden tiedot toimitetaan poliisille maaliskuun loppuun mennessä."),
    ]),
    ("6", "Hyvinvointifoorumi [[22.5.2018 klo 17.00 – 20.30|2018-05-22 17:00-20:30]] Sarkalahden "
          "kulttuuritalo, Tyrsky-sali", [
        ("p", "Poliittisen ohjausryhmän [[7.2.|2018-02-07]] kokouksessa sovitun mukaisesti johtoryhmä "
              "valmistelee kuntalaisille avoimen hyvinvointifoorumin."),
        ("p", "Alustava ohjelma:"),
        ("prog", "klo 17.00\tKahvitarjoilu ja järjestöjen esittelypisteet"),
        ("prog", "klo 17.30\tTilaisuuden avaus, kaupunginjohtaja Harri Kuusiniemi"),
        ("prog", "klo 17.45\tHyvinvoinnin tila seudulla, hyvinvointikoordinaattori Elina Raudaskoski"),
        ("prog", "klo 18.30\tPaneelikeskustelu: Miten arki pysyy hyvänä?"),
        ("prog", "klo 19.45\tKuntalaisten kysymykset ja yhteenveto"),
        ("dec", "Foorumin ohjelma hyväksyttiin esitetyssä muodossa. Paneelin kokoonpanosta sopii "
                "työvaliokunta.", True),
    ]),
    ("7", "Alueellinen hyvinvointiseminaari", [
        ("p", "Pohjanrannikon liitto järjestää alueellisen hyvinvointiseminaarin torstaina "
              "[[24. toukokuuta 2018|2018-05-24]] Sarkalahdessa. Ilmoittautuminen [[4.5.|2018-05-04]] mennessä."),
        ("dec", "Hankkeesta osallistuvat projektipäällikkö ja projektisuunnittelija, kunnista vähintään "
                "yksi edustaja kustakin.", False),
    ]),
    ("8", "Muut asiat", [
        ("p", "Ilmajärven kunnanvaltuusto käsittelee hyvinvointiryhmän asettamista [[26.3.|2018-03-26]] "
              "pidettävässä kokouksessaan."),
        ("p", "Seurakuntayhtymä on pyytänyt, että diakoniatyö kutsutaan mukaan hyvinvointifoorumin "
              "valmisteluun."),
        ("dec", "Merkitään tiedoksi", True),
    ]),
    ("9", "Seuraavat kokoukset", [
        ("dec", "[[16.5.2018 klo 9.00 – 11.30|2018-05-16 09:00-11:30]] Ilmajärven kunnantalo, valtuustosali", True),
        ("dec", "[[12.9.2018 klo 9.00 – 11.30|2018-09-12 09:00-11:30]] Sarkalahden kaupungintalo, "
                "kokoushuone Merituuli", True),
    ]),
    ("10", "Kokouksen päättäminen", [
        ("p", "Puheenjohtaja päätti kokouksen klo 11.24."),
    ]),
]


def build_memo() -> Doc:
    doc = Doc(MEMO_STEM, "muistio", "2018-03-14", font="Calibri", size=11, author="Katja Immonen")
    doc.header(["Hyvä Arki -hanke\tMUISTIO 2/2018"], tabs=[(doc.text_width.cm, WD_TAB_ALIGNMENT.RIGHT)],
               border=False)
    doc.heading("Hyvinvointijohtoryhmän 2. kokous", 1)
    aika = "[[14.3.2018 klo 9.00 - 11.30|2018-03-14 09:00-11:30]]"
    place = "Sarkalahden kaupungintalo, kokoushuone Merituuli"
    doc.p(f"**Aika:** {aika}")
    doc.p(f"**Paikka:** {place}")
    doc.meeting(organ="Hyvinvointijohtoryhmä", number="2", date="2018-03-14", start_time="09:00",
                end_time="11:30", place=place)
    doc.p("**Osallistujat:**", keep_next=True)

    rows = [["Organisaatio", "Nimi", "Läsnä", "Poissa"]]
    prev_org = None
    for org, title, first, last, status, mark, suffix, mrole in MEMO_PEOPLE:
        shown_org = org if org != prev_org else None
        prev_org = org
        name = f"{title} {first} {last}{suffix}"
        if mark:  # e.g. an arrival time instead of '+'
            present_cell, absent_cell = mark, None
        elif status == "present":
            present_cell, absent_cell = "+", None
        elif last in MEMO_ABSENT_IN_POISSA:  # an 'x' in the Poissa column
            present_cell, absent_cell = None, "x"
        else:  # as in the devset memo: '-' in the Läsnä column
            present_cell, absent_cell = "-", None
        rows.append([shown_org, name, present_cell, absent_cell])
        gold_org = org.split(":", 1)[1].strip() if org.startswith("Muut kutsutut:") else org
        doc.person(first, last, role=title, organisation=gold_org, status=status, meeting_role=mrole)
    doc.table(rows, [4.4, 4.0, 1.7, 1.7], header_rows=1, repeat_header=True, borders=True,
              align_cols={2: WD_ALIGN_PARAGRAPH.CENTER, 3: WD_ALIGN_PARAGRAPH.CENTER})

    doc.heading("Asiat", 2, before=14)
    for no, title, blocks in MEMO_ITEMS:
        doc.p(f"{no}. {title}", bold=True, keep_next=True, before=8)
        doc.item(no, title)
        for blk in blocks:
            kind, text = blk[0], blk[1]
            if kind == "p":
                doc.p(text)
            elif kind == "b":
                doc.bullet(text, 1)
            elif kind == "b2":
                doc.bullet(text, 2)
            elif kind == "sub":
                doc.p(text, before=6)
            elif kind == "prog":
                doc.p(text, indent_cm=1.0, after=0, tabs=[(3.0, WD_TAB_ALIGNMENT.LEFT)])
            elif kind == "ok":
                doc.p(text)
                doc.decision(no, text)
            elif kind == "dec":
                bold = blk[2]
                doc.p(f"➤ **{text}**" if bold else f"➤ {text}", indent_cm=0.6)
                doc.decision(no, text)
            elif kind == "bold":
                doc.bullet(f"**{text}**", 1)
                doc.decision(no, text, optional=True)
            else:
                raise ValueError(kind)
    doc.p("Muistion vakuudeksi", before=18)
    doc.p("Katja Immonen", before=18, after=0)
    doc.p("projektipäällikkö")
    return doc


# =====================================================================================
# b. pöytäkirja: § minutes of a municipal board (Dynasty/CloudNC-like caption columns)
# =====================================================================================
PTK_STEM = "poytakirja_perusturvalautakunta_2017-09-12"

# (cover line, first, last, role, status, meeting_role)
PTK_MEMBERS = [
    ("Kaarlela Sirpa, puheenjohtaja", "Sirpa", "Kaarlela", "puheenjohtaja", "present", "chair"),
    ("Hautala Jouni, varapuheenjohtaja", "Jouni", "Hautala", "varapuheenjohtaja", "present", "vice_chair"),
    ("Lehtisalo Aino", "Aino", "Lehtisalo", "jäsen", "present", "minutes_checker"),
    ("Saarela Juha", "Juha", "Saarela", "jäsen", "present", "minutes_checker"),
    ("Kinnunen Marja-Leena", "Marja-Leena", "Kinnunen", "jäsen", "present", "member"),
    ("Rautio Esa, saapui klo 18.25 § 5 aikana", "Esa", "Rautio", "jäsen", "present", "member"),
    ("Pikkarainen Helena", "Helena", "Pikkarainen", "jäsen", "present", "member"),
    ("Ojala Tapio", "Tapio", "Ojala", "jäsen", "present", "member"),
    ("Vesterinen Riikka", "Riikka", "Vesterinen", "jäsen", "present", "member"),
    ("Honkanen Mervi", "Mervi", "Honkanen", "jäsen", "present", "member"),
    ("Leinonen Kaisu, varajäsen (Rämö Pekka)", "Kaisu", "Leinonen", "varajäsen", "present", "deputy"),
]
PTK_OTHERS = [
    ("Nurmela Anne, perusturvajohtaja, esittelijä", "Anne", "Nurmela", "perusturvajohtaja", "present", "presenter"),
    ("Kangas Ville, hallintosihteeri, pöytäkirjanpitäjä", "Ville", "Kangas", "hallintosihteeri", "present",
     "secretary"),
    ("Huotari Eero, kunnanhallituksen edustaja", "Eero", "Huotari", "kunnanhallituksen edustaja", "present",
     "other"),
    ("Jokela Minna, vanhuspalvelupäällikkö, asiantuntija § 5, poistui klo 18.40", "Minna", "Jokela",
     "vanhuspalvelupäällikkö", "present", "other"),
]
PTK_ABSENT = [
    ("Rämö Pekka", "Pekka", "Rämö", "jäsen", "absent", "member"),
    ("Kallioniemi Heikki, kunnanhallituksen puheenjohtaja", "Heikki", "Kallioniemi",
     "kunnanhallituksen puheenjohtaja", "absent", "other"),
]

PTK_ITEMS = [
    dict(no="1", title="Kokouksen avaus, laillisuus ja päätösvaltaisuus", dno=None, valm=None,
         body=["Kokouskutsu esityslistoineen on lähetetty lautakunnan jäsenille ja muille kokoukseen "
               "osallistumaan oikeutetuille [[6.9.2017|2017-09-06]].",
               "Lautakunta on päätösvaltainen, kun enemmän kuin puolet jäsenistä on läsnä."],
         ehd="Puheenjohtaja avaa kokouksen ja toteaa sen laillisuuden ja päätösvaltaisuuden.",
         kas=None,
         paatos=["Puheenjohtaja avasi kokouksen klo 17.00 ja totesi kokouksen laillisesti koolle "
                 "kutsutuksi ja päätösvaltaiseksi."]),
    dict(no="2", title="Pöytäkirjantarkastajien valinta", dno=None, valm=None,
         body=["Pöytäkirjantarkastajina ovat vuorossa Aino Lehtisalo ja Juha Saarela."],
         ehd="Valitaan kaksi pöytäkirjantarkastajaa. Pöytäkirja tarkastetaan perusturvatoimistossa "
             "[[14.9.2017|2017-09-14]].",
         kas=None,
         paatos=["Pöytäkirjantarkastajiksi valittiin Aino Lehtisalo ja Juha Saarela."]),
    dict(no="3", title="Työjärjestyksen hyväksyminen", dno=None, valm=None, body=[],
         ehd="Hyväksytään esityslista kokouksen työjärjestykseksi.", kas=None,
         paatos=["Hyväksyttiin."]),
    dict(no="4", title="Talousarvion toteutuminen ajalla [[1.1.–31.7.2017|2017-01-01;2017-07-31]]",
         dno="HIL/188/02.02.01/2017",
         valm="talouspäällikkö Jaana Lumiaho, puh. 040 734 1190",
         body=["Perusturvan toimintakulut olivat heinäkuun loppuun mennessä 58,9 % talousarviosta, kun "
               "tasaisen kertymän mukainen tavoite on 58,3 %. Erikoissairaanhoidon kustannukset ylittävät "
               "arvion noin 310 000 eurolla, mikä johtuu lisääntyneistä psykiatrian hoitojaksoista.",
               "Vanhuspalveluiden ja vammaispalveluiden menot ovat toteutuneet arvion mukaisesti. "
               "Toimeentulotuen perusosan siirto Kelaan on vähentänyt aikuissosiaalityön menoja."],
         ehd="Perusturvajohtaja: Perusturvalautakunta merkitsee tiedoksi talousarvion toteutumisen ajalla "
             "[[1.1.–31.7.2017|2017-01-01;2017-07-31]].",
         kas=None, paatos=["Merkittiin tiedoksi."]),
    dict(no="5", title="Vanhuspalvelujen palvelurakenneselvitys", dno="HIL/201/05.00.00/2017",
         valm="vanhuspalvelupäällikkö Minna Jokela, puh. 040 561 2290",
         body=["Kunnanhallitus on käsitellyt selvityksen väliraportin [[28.8.2017|2017-08-28]] ja pyytänyt "
               "perusturvalautakunnalta kannanottoa jatkovalmisteluun.",
               "Selvityksen mukaan tehostetun palveluasumisen paikkoja on kunnassa suhteessa enemmän kuin "
               "vertailukunnissa, ja kotihoidon resurssit ovat iltaisin riittämättömät. Selvitys esittää "
               "Kotirinteen palvelukodin kahden ryhmäkodin muuttamista yhteisölliseksi asumiseksi ja "
               "kotihoidon iltavuoron vahvistamista kahdella lähihoitajalla."],
         ehd="Perusturvajohtaja: Perusturvalautakunta hyväksyy vanhuspalvelujen palvelurakenneselvityksen ja "
             "esittää sen kunnanhallitukselle otettavaksi huomioon vuoden 2018 talousarvion valmistelussa.",
         kas=["Vanhuspalvelupäällikkö Minna Jokela oli kokouksessa asiantuntijana tämän asian käsittelyn ajan.",
              "Esa Rautio saapui kokoukseen asian käsittelyn aikana klo 18.25."],
         paatos=["Päätösehdotus hyväksyttiin."]),
    dict(no="6", title="Kotihoidon asiakasmaksujen tarkistaminen [[1.1.2018|2018-01-01]] alkaen",
         dno="HIL/214/02.05.01/2017",
         valm="perusturvajohtaja Anne Nurmela, puh. 040 512 3387",
         body=["Kotihoidon asiakasmaksut on viimeksi tarkistettu [[1.3.2016|2016-03-01]]. Maksujen "
               "enimmäismäärät määräytyvät asiakasmaksuasetuksen mukaan, ja indeksitarkistus tehdään joka "
               "toinen vuosi.",
               "Esityksen mukaan tilapäisen kotihoidon käyntimaksu nousee 14,00 eurosta 15,50 euroon ja "
               "tukipalvelujen maksut keskimäärin 4 %. Muutos lisää maksutuottoja arviolta 38 000 euroa vuodessa."],
         ehd="Perusturvajohtaja: Perusturvalautakunta hyväksyy kotihoidon asiakasmaksut liitteen 2 mukaisesti "
             "[[1.1.2018|2018-01-01]] alkaen.",
         kas=["Juha Saarela ehdotti Tapio Ojalan kannattamana, että kotihoidon maksuja ei koroteta vuonna "
              "2018. Koska oli tehty päätösehdotuksesta poikkeava kannatettu ehdotus, puheenjohtaja totesi, "
              "että asiasta on äänestettävä.",
              "Puheenjohtaja esitti äänestystavaksi, että päätösehdotusta kannattavat äänestävät jaa ja "
              "Saarelan ehdotusta kannattavat ei. Äänestystapa hyväksyttiin. Äänestysluettelo on pöytäkirjan "
              "liitteenä."],
         paatos=["Äänestyksessä jaa 7, ei 4. Perusturvalautakunta hyväksyi päätösehdotuksen äänin 7–4."]),
    dict(no="7", title="Lausunto Hillamaan hyvinvointikertomuksesta 2017–2020", dno="HIL/166/00.01.02/2017",
         valm="perusturvajohtaja Anne Nurmela, puh. 040 512 3387",
         body=["Kunnanhallitus pyytää lautakunnilta lausuntoa hyvinvointikertomusluonnoksesta "
               "[[29.9.2017|2017-09-29]] mennessä. Lausuntoluonnos on esityslistan liitteenä."],
         ehd="Perusturvalautakunta antaa kunnanhallitukselle liitteen 3 mukaisen lausunnon.",
         kas=["Jouni Hautala ehdotti Mervi Honkasen kannattamana, että asia pannaan pöydälle seuraavaan "
              "kokoukseen. Pöydällepanoehdotus hyväksyttiin yksimielisesti."],
         paatos=["Asia pantiin pöydälle."]),
    dict(no="8", title="Sosiaalityöntekijän viran täyttäminen", dno="HIL/198/01.01.01/2017",
         valm="johtava sosiaalityöntekijä Tuula Seppälä, puh. 040 558 0214",
         body=["Sosiaalityöntekijän virka oli julkisesti haettavana [[1.8.–18.8.2017|2017-08-01;2017-08-18]]. "
               "Määräaikaan mennessä hakemuksia saapui kuusi, joista kelpoisuusehdot täyttäviä oli neljä.",
               "Haastattelut pidettiin [[30.8.2017|2017-08-30]]. Haastattelijoina toimivat perusturvajohtaja "
               "ja johtava sosiaalityöntekijä."],
         ehd="Perusturvalautakunta valitsee sosiaalityöntekijän virkaan YTM Sanna Kelloniemen ja varalle "
             "YTM Oskari Huhtalan. Virkaan valitun on esitettävä hyväksyttävä lääkärintodistus "
             "terveydentilastaan. Koeaika on kuusi kuukautta.",
         kas=None,
         paatos=["Valittiin sosiaalityöntekijän virkaan YTM Sanna Kelloniemi ja varalle YTM Oskari Huhtala."]),
    dict(no="9", title="Viranhaltijapäätökset", dno=None, valm=None,
         body=["Perusturvajohtaja: henkilöstöpäätökset § 31–38/2017",
               "Vanhuspalvelupäällikkö: palvelusetelipäätökset § 12–15/2017",
               "Johtava sosiaalityöntekijä: lastensuojelun sijoituspäätökset (salassa pidettäviä)"],
         ehd="Perusturvalautakunta merkitsee viranhaltijapäätökset tiedoksi eikä ota niitä käsiteltäväkseen.",
         kas=None, paatos=["Merkittiin tiedoksi."]),
    dict(no="10", title="Ilmoitusasiat", dno=None, valm=None,
         body=["Aluehallintoviraston päätös [[21.8.2017|2017-08-21]] kotihoidon valvontakäynnistä",
               "Kunnanvaltuuston päätös [[4.9.2017|2017-09-04]] § 41 talousarvion muutoksista",
               "Pohjanrannikon sairaanhoitopiirin hallituksen pöytäkirja [[28.8.2017|2017-08-28]]"],
         ehd="Merkitään tiedoksi.", kas=None, paatos=["Merkittiin tiedoksi."]),
]


def build_ptk() -> Doc:
    doc = Doc(PTK_STEM, "poytakirja", "2017-09-12", font="Arial", size=10.5, author="Ville Kangas",
              margins_cm=(2.2, 1.8, 2.0, 2.2))
    w = doc.text_width.cm
    doc.header(["HILLAMAAN KUNTA\tPÖYTÄKIRJA\t9/2017",
                "Perusturvalautakunta\t[[12.09.2017|2017-09-12]]\tSivu {PAGE} ({NUMPAGES})"],
               tabs=[(9.0, WD_TAB_ALIGNMENT.LEFT), (w, WD_TAB_ALIGNMENT.RIGHT)], size=9)
    aika = "[[12.9.2017 klo 17.00–19.45|2017-09-12 17:00-19:45]]"
    place = "Hillamaan kunnanvirasto, kokoushuone Lakka"
    doc.meeting(organ="Perusturvalautakunta", number="9/2017", date="2017-09-12", start_time="17:00",
                end_time="19:45", place=place)
    doc.p("Perusturvalautakunta", bold=True, size=14, after=12)
    for group in (PTK_MEMBERS, PTK_OTHERS, PTK_ABSENT):
        for _, first, last, role, status, mrole in group:
            doc.person(first, last, role=role, status=status, meeting_role=mrole)
    rows = [
        ["Aika", aika],
        ["Paikka", place],
        ["Saapuvilla olleet jäsenet", [m[0] for m in PTK_MEMBERS]],
        ["Muut saapuvilla olleet", [m[0] for m in PTK_OTHERS]],
        ["Poissa", [m[0] for m in PTK_ABSENT]],
        ["Käsitellyt asiat", "§ 1–10"],
        ["Puheenjohtaja", "Sirpa Kaarlela"],
        ["Pöytäkirjanpitäjä", "Ville Kangas"],
        ["Allekirjoitukset", ["", "", "Sirpa Kaarlela\t\tVille Kangas", "puheenjohtaja\t\tpöytäkirjanpitäjä"]],
        ["Pöytäkirjan tarkastus", ["Hillamaalla [[14.9.2017|2017-09-14]]", "", "",
                                   "Aino Lehtisalo\t\tJuha Saarela"]],
        ["Pöytäkirja yleisesti nähtävänä", "Hillamaan kunnanvirastossa ja kunnan verkkosivuilla "
                                           "[[19.9.2017|2017-09-19]]"],
    ]
    doc.table(rows, [4.6, w - 4.6], borders=False, bold_cols=(0,), cell_after=1)
    for row in doc.d.tables[-1].rows:  # air between the cover rows
        row.cells[1].paragraphs[-1].paragraph_format.space_after = Pt(7)
    # tab stops for the signature lines inside the table
    for par in doc.d.tables[-1].rows[8].cells[1].paragraphs + doc.d.tables[-1].rows[9].cells[1].paragraphs:
        par.paragraph_format.tab_stops.add_tab_stop(Cm(6.0))
    doc.page_break()

    cap_w = 3.6
    for it in PTK_ITEMS:
        doc.p(f"§ {it['no']}\t{it['title']}", bold=True, size=11.5, keep_next=True, before=14, after=2,
              tabs=[(cap_w, WD_TAB_ALIGNMENT.LEFT)])
        doc.item(it["no"], it["title"])
        if it["dno"]:
            doc.p(f"\t{it['dno']}", size=9, keep_next=True, tabs=[(cap_w, WD_TAB_ALIGNMENT.LEFT)])
        rows = []
        if it["valm"]:
            rows.append(["Valmistelija", it["valm"]])
        if it["body"]:
            rows.append([None, it["body"]])
        rows.append(["Päätösehdotus", it["ehd"]])
        if it["kas"]:
            rows.append(["Käsittely", it["kas"]])
        rows.append(["Päätös", it["paatos"]])
        doc.table(rows, [cap_w, w - cap_w], borders=False, bold_cols=(0,), cell_after=6)
        doc.decision(it["no"], it["paatos"])
    doc.p("Puheenjohtaja päätti kokouksen klo 19.45.", before=12)
    doc.p("OIKAISUVAATIMUSOHJE", bold=True, before=18, keep_next=True)
    doc.item("", "OIKAISUVAATIMUSOHJE", optional=True)
    doc.p("Pykälät 4–8. Tähän päätökseen tyytymätön voi tehdä kirjallisen oikaisuvaatimuksen. "
          "Oikaisuvaatimus on tehtävä 14 päivän kuluessa päätöksen tiedoksisaannista. Oikaisuvaatimus "
          "osoitetaan perusturvalautakunnalle, Hillamaan kunta, PL 12, 91930 Hillamaa.")
    doc.p("Pykälistä 1–3, 9 ja 10 ei saa tehdä oikaisuvaatimusta, koska päätös koskee vain asian "
          "valmistelua tai täytäntöönpanoa.")
    return doc


# =====================================================================================
# c. esityslista: agenda with Word's automatic list numbering (numbers not in the text)
# =====================================================================================
AGENDA_STEM = "esityslista_tekninen_lautakunta_2019-04-09"

# (title, [blocks]); blocks: ("p", text) | ("sub", [texts]) lettered auto list | ("bul", [texts]) |
# ("esitys", text) | ("paatos",)
AGENDA_ITEMS = [
    ("Kokouksen avaaminen", [("p", "Puheenjohtaja avaa kokouksen.")]),
    ("Kokouksen laillisuuden ja päätösvaltaisuuden toteaminen", [
        ("p", "Kokouskutsu on lähetetty jäsenille sähköpostitse [[2.4.2019|2019-04-02]]. Lautakunta on "
              "päätösvaltainen, kun enemmän kuin puolet jäsenistä on saapuvilla."),
        ("esitys", "Todetaan kokous laillisesti koolle kutsutuksi ja päätösvaltaiseksi."), ("paatos",)]),
    ("Pöytäkirjantarkastajien valinta", [
        ("esitys", "Valitaan kaksi pöytäkirjantarkastajaa. Pöytäkirja tarkastetaan teknisessä toimistossa "
                   "tiistaina [[16.4.2019|2019-04-16]]."), ("paatos",)]),
    ("Työjärjestyksen hyväksyminen", [
        ("esitys", "Hyväksytään esityslista kokouksen työjärjestykseksi."), ("paatos",)]),
    ("Talousarvion toteutuminen [[1.1.–31.3.2019|2019-01-01;2019-03-31]]", [
        ("p", "Teknisen toimen käyttötalouden menot ovat toteutuneet 23,1 %:sti ja tulot 26,4 %:sti. "
              "Talvikunnossapidon menot ylittävät arvion runsaan lumentulon vuoksi."),
        ("esitys", "Tekninen lautakunta merkitsee tiedoksi talousarvion toteutuman ensimmäiseltä "
                   "neljännekseltä."), ("paatos",)]),
    ("Katuvalaistuksen LED-saneerauksen urakoitsijan valinta", [
        ("p", "Tarjouspyyntö julkaistiin Hilma-palvelussa [[4.3.2019|2019-03-04]]. Tarjoukset tuli jättää "
              "[[25.3.2019 klo 12.00|2019-03-25 12:00]] mennessä. Määräaikaan mennessä saapui neljä "
              "tarjousta:"),
        ("sub", ["Valopiste Oy, 184 320 €", "Sähkö-Kuusela Oy, 191 700 €", "Pohjolan Katuvalo Oy, 203 450 €",
                 "Asennus Hietala Ky, 212 900 €"]),
        ("p", "Tarjousten vertailuperusteena oli kokonaistaloudellinen edullisuus (hinta 70 %, laatu 30 %). "
              "Vertailutaulukko on liitteenä."),
        ("esitys", "Tekninen lautakunta valitsee urakoitsijaksi kokonaistaloudellisesti edullisimman "
                   "tarjouksen tehneen Valopiste Oy:n. Urakka-aika on [[3.6.–30.9.2019|2019-06-03;2019-09-30]]."),
        ("paatos",)]),
    ("Kevään katujen ja yleisten alueiden kunnossapito", [
        ("p", "Kevätkunnossapidon työt tehdään seuraavassa järjestyksessä:"),
        ("bul", ["hiekoitushiekan poisto aloitetaan viikolla 16 keskustan pääkaduilta",
                 "kevyen liikenteen väylät harjataan ennen vappua",
                 "puistojen ja leikkipaikkojen kevätsiivous tehdään toukokuun aikana"]),
        ("esitys", "Merkitään tiedoksi."), ("paatos",)]),
    ("Vesihuoltolaitoksen taksan tarkistaminen [[1.7.2019|2019-07-01]] alkaen", [
        ("p", "Vesihuoltolaitoksen taksaa on viimeksi korotettu [[1.1.2017|2017-01-01]]. Saneerausohjelman "
              "rahoittamiseksi esitetään käyttömaksuihin 5 %:n korotusta."),
        ("esitys", "Tekninen lautakunta esittää kunnanhallitukselle ja edelleen valtuustolle, että "
                   "vesihuoltolaitoksen käyttömaksuja korotetaan 5 % [[1.7.2019|2019-07-01]] alkaen."),
        ("paatos",)]),
    ("Hulevesiohjelman valmistelu", [
        ("p", "Hulevesiohjelman laatiminen aloitetaan yhdessä kaavoituksen kanssa. Ohjelmaluonnos valmistuu "
              "6/2019 ja se esitellään lautakunnalle syksyllä."),
        ("esitys", "Tekninen lautakunta nimeää hulevesiohjelman työryhmään kaksi jäsentään."), ("paatos",)]),
    ("Viranhaltijapäätökset", [
        ("p", "Tekninen johtaja: hankintapäätökset § 12–19/2019. Rakennustarkastaja: "
              "poikkeamispäätökset § 3–4/2019."),
        ("esitys", "Tekninen lautakunta merkitsee viranhaltijapäätökset tiedoksi eikä ota niitä "
                   "käsiteltäväkseen."), ("paatos",)]),
    ("Muut asiat", [
        ("p", "Seuraava kokous pidetään tiistaina [[14.5. klo 18.00|2019-05-14 18:00]] kunnantalolla.")]),
    ("Kokouksen päättäminen", []),
]


def build_agenda() -> Doc:
    doc = Doc(AGENDA_STEM, "esityslista", "2019-04-09", font="Times New Roman", size=12,
              author="Paula Rintamäki")
    w = doc.text_width.cm
    doc.header(["JOKIVARREN KUNTA\tESITYSLISTA 3/2019", "Tekninen lautakunta\t[[9.4.2019|2019-04-09]]"],
               tabs=[(w, WD_TAB_ALIGNMENT.RIGHT)], size=10)
    place = "Jokivarren kunnantalo, valtuustosali, Keskustie 12"
    doc.p("Teknisen lautakunnan kokous", bold=True, size=16, after=10)
    doc.p("Aika:\ttiistai [[9.4.2019 klo 18.00|2019-04-09 18:00]]", tabs=[(3.5, WD_TAB_ALIGNMENT.LEFT)], after=0)
    doc.p(f"Paikka:\t{place}", tabs=[(3.5, WD_TAB_ALIGNMENT.LEFT)], after=0)
    doc.p("Esittelijä:\ttekninen johtaja Jari Kivelä", tabs=[(3.5, WD_TAB_ALIGNMENT.LEFT)], after=0)
    doc.p("Pöytäkirjanpitäjä:\ttoimistosihteeri Paula Rintamäki", tabs=[(3.5, WD_TAB_ALIGNMENT.LEFT)])
    doc.meeting(organ="Tekninen lautakunta", number="3/2019", date="2019-04-09", start_time="18:00", place=place)
    doc.person("Jari", "Kivelä", role="tekninen johtaja", status="present", meeting_role="presenter", optional=True)
    doc.person("Paula", "Rintamäki", role="toimistosihteeri", status="present", meeting_role="secretary",
               optional=True)
    doc.p("Teknisen lautakunnan jäsenet ja varajäsenet sekä kunnanhallituksen edustaja kutsutaan kokoukseen. "
          "Estyneen jäsenen tulee kutsua varajäsenensä.")
    doc.p("Kokouksen esityslista", bold=True, size=13, before=10)
    items_num = doc.numbering("decimal", "%1.", left_cm=0.75, hanging_cm=0.75, bold=True)
    for i, (title, blocks) in enumerate(AGENDA_ITEMS, start=1):
        doc.numbered(title, items_num, style=None, bold=True, before=12, after=4, keep_next=True)
        doc.item(str(i), title)
        for blk in blocks:
            kind = blk[0]
            if kind == "p":
                doc.p(blk[1], indent_cm=0.75)
            elif kind == "esitys":
                doc.p(f"Esitys: {blk[1]}", indent_cm=0.75, before=4)
            elif kind == "paatos":
                doc.p("Päätös:", indent_cm=0.75, before=4)
            elif kind == "sub":
                sub = doc.numbering("lowerLetter", "%1)", left_cm=1.5, hanging_cm=0.6)
                for t in blk[1]:
                    doc.numbered(t, sub, after=0)
            elif kind == "bul":
                for t in blk[1]:
                    doc.bullet(t, 2)
            else:
                raise ValueError(kind)
    doc.p("Jokivarressa [[2.4.2019|2019-04-02]]", before=24)
    doc.p("Jari Kivelä", before=18, after=0)
    doc.p("tekninen johtaja")
    doc.p("Jakelu: lautakunnan jäsenet ja varajäsenet, kunnanhallituksen puheenjohtaja, kunnanjohtaja",
          size=10, before=12)
    return doc


# =====================================================================================
# d. tiekartta: slide-style roadmap (landscape pages), no attendance, no decisions
# =====================================================================================
ROAD_STEM = "tiekartta_sarkalahden_seutu_2019"

ROAD_SLIDES = [
    ("Sisällysluettelo", [("b", t) for t in [
        "Dia 1 Kansilehti", "Dia 2 Sisällysluettelo", "Dia 3 Miksi yhteinen valmistelu?",
        "Dia 4 Valmistelun organisointi", "Dia 5 Aikataulu", "Dia 6 Seuraavat askeleet"]]),
    ("Miksi yhteinen valmistelu?", [
        ("b", "Yli 75-vuotiaiden määrä kasvaa seudulla 38 % vuoteen 2030 mennessä"),
        ("b", "Pienten kuntien sosiaali- ja terveyspalvelujen kustannukset kasvavat nopeammin kuin tulot"),
        ("b2", "rekrytointivaikeudet erityisesti lääkäreiden ja sosiaalityöntekijöiden tehtävissä"),
        ("b", "Yhteinen järjestämissuunnitelma turvaa lähipalvelut ja vahvistaa erikoistason palveluja"),
        ("b", "Valmistelu tehdään avoimesti yhdessä henkilöstön, järjestöjen ja kuntalaisten kanssa"),
    ]),
    ("Valmistelun organisointi", [
        ("b", "Seutukokous linjaa valmistelun suuret periaatteet"),
        ("b", "Kuntajohtajien työryhmä vastaa valmistelun ohjauksesta ja koordinoinnista"),
        ("b", "Valmisteluryhmät 5/2019 alkaen:"),
        ("b2", "palvelut ja palveluverkko"),
        ("b2", "talous ja omaisuus"),
        ("b2", "henkilöstö ja yhteistoiminta"),
        ("b2", "tietohallinto ja digitaaliset palvelut"),
        ("b", "Henkilöstöjärjestöt ja vammais- ja vanhusneuvostot mukana valmisteluryhmissä"),
    ]),
    ("Aikataulu", [
        ("table", [["Vaihe", "Ajankohta", "Keskeiset tehtävät"],
                   ["Esiselvitys", "4/2019–12/2019", "Nykytilan kuvaus, palveluverkko, talouden lähtötiedot"],
                   ["Yhteinen järjestämissuunnitelma", "1/2020–6/2020", "Palvelulupaus, palveluverkon periaatteet, "
                                                                     "järjestämissuunnitelma valmis 6/2020"],
                   ["Toimeenpanon valmistelu", "12/2020–6/2021", "Hallintosääntö, henkilöstön siirtosuunnitelma, "
                                                                 "sopimusten siirrot"],
                   ["Siirtymävaihe", "6/2021 alkaen", "Yhteinen organisaatio aloittaa, kuntien tehtävät siirtyvät"]]),
        ("p", "Tiekartta käsitellään kuntien valtuustoissa [[10.–11.6.2019|2019-06-10;2019-06-11]]."),
    ]),
    ("Seuraavat askeleet", [
        ("b", "Kuntien lausunnot tiekartasta [[31.5.2019|2019-05-31]] mennessä"),
        ("b", "Valmistelun rahoitus: kunnat asukaslukujen suhteessa (1,20 € / asukas vuonna 2019)"),
        ("b2", "valtionavustushaku päättyy [[30.9.2019|2019-09-30]], hankerahoitusta haetaan kaudelle "
               "6/2020–12/2021"),
        ("b", "Ohjausryhmän järjestäytymiskokous [[23.5.2019 klo 13–16|2019-05-23 13:00-16:00]] Ilmajärvellä"),
        ("b", "Henkilöstöinfo [[5.6.2019 klo 14.00–15.30|2019-06-05 14:00-15:30]] Sarkalahden kaupungintalo"),
        ("b", "Kuntalaistilaisuudet syksyllä 2019 jokaisessa kunnassa"),
        ("b", "Väliraportti seutukokoukselle 12/2019"),
    ]),
]


def build_roadmap() -> Doc:
    doc = Doc(ROAD_STEM, "other", "2019-04-12", font="Calibri", size=16, landscape=True,
              author="Ritva Oinonen", margins_cm=(2.0, 2.2, 1.8, 2.2), heading_color="1F3864")
    w = doc.text_width.cm
    doc.header(["Sarkalahden seudun sote-yhteistyö\tTIEKARTTA 2019–2021"], tabs=[(w, WD_TAB_ALIGNMENT.RIGHT)],
               size=10, border=False)
    # slide 1: cover
    doc.p("", after=60)
    doc.p("SARKALAHDEN SEUDUN HYVINVOINTIALUEEN TIEKARTTA 2019–2021", bold=True, size=30, color="1F3864",
          align=WD_ALIGN_PARAGRAPH.CENTER, after=30)
    doc.p("Kuntajohtajien työryhmän valmistelu [[27.3.2019|2019-03-27]] Ilmajärvi", bold=True, size=18,
          align=WD_ALIGN_PARAGRAPH.CENTER)
    doc.p("Seutukokouksen käsittely [[12.4.2019|2019-04-12]] Sarkalahti", bold=True, size=18,
          align=WD_ALIGN_PARAGRAPH.CENTER, after=30)
    doc.p("Ritva Oinonen, kehittämisjohtaja", size=14, align=WD_ALIGN_PARAGRAPH.CENTER)
    for title, blocks in ROAD_SLIDES:
        doc.page_break()
        doc.p(title, style="Heading 1", size=28, after=18)
        for blk in blocks:
            kind = blk[0]
            if kind == "b":
                doc.bullet(blk[1], 1, after=6)
            elif kind == "b2":
                doc.bullet(blk[1], 2, size=14, after=4)
            elif kind == "p":
                doc.p(blk[1], before=12)
            elif kind == "table":
                doc.table(blk[1], [7.0, 5.0, w - 12.0], header_rows=1, borders=True, size=14, cell_after=3)
            else:
                raise ValueError(kind)
    return doc


BUILDERS = [build_memo, build_ptk, build_agenda, build_roadmap]


def main() -> None:
    docs = [b() for b in BUILDERS]
    docx_paths = [d.save(OUT, GOLD) for d in docs]
    stamps = {d.stem: d.created.strftime("%Y%m%d%H%M%S") for d in docs}
    pdfs = convert_to_pdf(docx_paths, OUT, stamps)
    info = check_pdfs(pdfs, docs)
    for d in docs:
        if d.vague:
            print(f"{d.stem}: not day dates (kept out of gold): {', '.join(sorted(set(d.vague)))}")
    for row in info:
        print(f"{row['file']}: {row['pages']} pages, {row['chars']} characters of text")
    print(write_sizes(sorted(docx_paths + pdfs)))


if __name__ == "__main__":
    main()
