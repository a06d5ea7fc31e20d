"""Invented vocabulary shared by the synthetic generator (synth/) and bench/make_corpus.py:
towns, common Finnish first names and surnames, officials' titles, matter titles, firms."""

# (nominative, genitive, locative "-ssa/-llä" for "Xssa 1.2.2019")
TOWNS = [
    ("Sarkalahti", "Sarkalahden", "Sarkalahdessa"), ("Ilmajärvi", "Ilmajärven", "Ilmajärvellä"),
    ("Hillamaa", "Hillamaan", "Hillamaalla"), ("Vaaranrinne", "Vaaranrinteen", "Vaaranrinteellä"),
    ("Jokivarsi", "Jokivarren", "Jokivarressa"), ("Kivikoski", "Kivikosken", "Kivikoskella"),
    ("Lumiranta", "Lumirannan", "Lumirannassa"), ("Haapaniemi", "Haapaniemen", "Haapaniemellä"),
    ("Routakangas", "Routakankaan", "Routakankaalla"), ("Pihlajavesi", "Pihlajaveden", "Pihlajavedellä"),
    ("Kuusjärvi", "Kuusjärven", "Kuusjärvellä"), ("Tervamäki", "Tervamäen", "Tervamäellä"),
    ("Saarilahti", "Saarilahden", "Saarilahdessa"), ("Koivuharju", "Koivuharjun", "Koivuharjussa"),
    ("Mäntyranta", "Mäntyrannan", "Mäntyrannassa"), ("Rastikari", "Rastikarin", "Rastikarilla"),
]

FIRST = ("Aino Anna Anne Anu Eija Elina Hanna Heli Helena Johanna Kaisa Katja Kirsi Laura Leena Liisa "
         "Maria Marja Minna Niina Outi Paula Pirjo Riikka Riitta Sanna Sari Satu Tiina Tuija Ulla Virpi "
         "Antti Ari Eero Esa Harri Heikki Janne Jari Jouni Juha Jukka Kari Markku Matti Mikko Olli Pekka "
         "Pentti Petri Sami Seppo Tapio Teemu Timo Tommi Ville Vesa").split()

LAST = ("Aalto Ahonen Anttila Eskola Haapala Hakala Halonen Heikkinen Hiltunen Huhtala Hyvönen Jokela "
        "Kallio Kangas Karppinen Kemppainen Kettunen Kinnunen Koivisto Korhonen Koskinen Kukkonen "
        "Laakso Lahtinen Laitinen Lehtonen Leinonen Lindholm Manninen Mattila Miettinen Mustonen "
        "Nieminen Niskanen Nurmi Ojala Peltonen Pesonen Pietilä Puustinen Rantanen Räsänen Saarinen "
        "Salminen Seppälä Sirviö Tanskanen Tuominen Turunen Vainio Väisänen Vesterinen Virtanen").split()

OFFICIALS = ["kunnanjohtaja", "perusturvajohtaja", "sivistysjohtaja", "tekninen johtaja", "hallintojohtaja",
             "talousjohtaja", "rakennustarkastaja", "ympäristöpäällikkö", "vapaa-aikasihteeri",
             "vanhuspalvelupäällikkö", "hallintosihteeri", "toimistosihteeri", "kehittämispäällikkö"]

MEMO_TITLES = ["kunnanjohtaja", "perusturvajohtaja", "sosiaalijohtaja", "hyvinvointikoordinaattori",
               "projektipäällikkö", "projektisuunnittelija", "johtava lääkäri", "ylihoitaja", "rehtori",
               "nuorisotyön ohjaaja", "liikuntasuunnittelija", "toiminnanjohtaja", "erikoissuunnittelija"]

# item titles; {y} is the meeting year, {town} the genitive of the town
TITLES = [
    "Talousarvion toteutuminen ajalta tammi–kesäkuu {y}", "Talousarvion {y1} valmistelu",
    "Tilinpäätös ja toimintakertomus vuodelta {yp}", "Sisäisen valvonnan ja riskienhallinnan raportti",
    "Katuvalaistuksen LED-saneerauksen urakoitsijan valinta", "Vesihuoltolaitoksen taksan tarkistaminen",
    "Kotihoidon asiakasmaksujen tarkistaminen", "Lausunto {town} hyvinvointikertomuksesta",
    "Sosiaalityöntekijän viran täyttäminen", "Varhaiskasvatuksen palveluverkkoselvitys",
    "Koulukuljetusperiaatteiden päivittäminen", "Liikuntapaikkojen käyttövuorojen jakaminen",
    "Avustusten myöntäminen yhdistyksille", "Kulttuuripalkinnon myöntäminen",
    "Hulevesiohjelman valmistelu", "Asemakaavan muutos, kortteli 1{n2}", "Poikkeamislupahakemus, tila {n3}",
    "Maa-aineslupa, soranotto {town} Kotikankaalla", "Ympäristönsuojelun valvontasuunnitelma",
    "Jätehuoltomääräysten päivittäminen", "Kunnossapidon palvelutasoluokitus",
    "Koulukiinteistöjen kuntotutkimukset", "Päiväkodin perusparannuksen hankesuunnitelma",
    "Vanhuspalvelujen palvelurakenneselvitys", "Ikäihmisten palvelusetelin käyttöönotto",
    "Mielenterveys- ja päihdestrategia", "Lasten ja nuorten hyvinvointisuunnitelma",
    "Nuorisovaltuuston aloite skeittiparkista", "Valtuustoaloite kuntalaisraadista",
    "Henkilöstöraportti vuodelta {yp}", "Työhyvinvointikyselyn tulokset",
    "Hankintaohjeen päivittäminen", "Tietosuojavastaavan nimeäminen",
    "Kunnan omistajapoliittiset linjaukset", "Elinvoimaohjelman toimenpiteet",
    "Yritysneuvonnan palvelusopimus", "Joukkoliikenteen palvelutaso", "Kirjastoauton hankinta",
    "Uimahallin aukioloajat", "Sotainvalidien kuntoutuksen määrärahat",
]

FIRMS = ["Valopiste Oy:n", "Sähkö-Kuusela Oy:n", "Pohjolan Katuvalo Oy:n", "Rakennus Hietala Oy:n",
         "Kiinteistöhuolto Lumme Oy:n", "Maansiirto Korpela Oy:n", "Siivouspalvelu Helmi Oy:n"]
