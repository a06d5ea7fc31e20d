"""Finnish vocabulary of meeting documents, in one place: captions, headings and markers."""
from __future__ import annotations

import re

# Left-column captions of municipal systems (Dynasty, CloudNC, Tweb, Ahjo) and Word templates.
# Each maps to a canonical key the extractors use.
CAPTIONS: dict[str, str] = {
    "aika": "time", "kokousaika": "time", "ajankohta": "time", "päivämäärä": "date", "pvm": "date",
    "kokouspäivä": "date",
    "paikka": "place", "kokouspaikka": "place",
    "läsnä": "present", "läsnä olleet": "present", "paikalla": "present", "saapuvilla": "present",
    "saapuvilla olleet": "present", "saapuvilla olleet jäsenet": "present", "läsnäolijat": "present",
    "läsnäolevat jäsenet": "present", "läsnä olevat jäsenet": "present", "jäsenet": "present",
    "varajäsenet": "present_deputy", "osallistujat": "present", "kokoukseen osallistuneet": "present",
    "muut saapuvilla olleet": "present_other", "muut osallistujat": "present_other",
    "muut läsnäolijat": "present_other", "muut läsnä olleet": "present_other",
    "kutsuttuina": "present_other", "kutsuttu": "present_other", "kutsutut": "present_other",
    "muut kutsutut": "present_other", "asiantuntijat": "present_other", "kuulolla": "present_other",
    "lisäksi läsnä": "present_other", "muut": "present_other", "muut saapuvilla": "present_other",
    "muut läsnä": "present_other", "saapuvilla olleet varajäsenet": "present_deputy", "lisäksi paikalla": "present_other", "lisäksi": "present_other",
    "kuultavana": "present_other", "asiantuntijana": "present_other",
    "poissa": "absent", "poissa olleet": "absent", "poissaolevat jäsenet": "absent",
    "poissa olleet jäsenet": "absent", "estynyt": "absent", "estyneet": "absent", "estyneenä": "absent",
    "puheenjohtaja": "chair", "pöytäkirjanpitäjä": "secretary", "sihteeri": "secretary",
    "esittelijä": "presenter", "esittelijät": "presenter",
    "päätös": "decision", "päätökset": "decision",
    "päätösehdotus": "proposal", "päätösesitys": "proposal", "esitys": "proposal", "ehdotus": "proposal",
    "kaupunginjohtajan esitys": "proposal", "kunnanjohtajan esitys": "proposal",
    "esittelijän ehdotus": "proposal", "pohjaesitys": "proposal", "kaupunginjohtajan ehdotus": "proposal",
    "kunnanjohtajan ehdotus": "proposal", "esittelijän päätösehdotus": "proposal",
    "valmistelija": "other", "valmistelijat": "other", "valmistelija/lisätiedot": "other",
    "lisätiedot": "other", "lisätietoja": "other", "liitteet": "other", "liite": "other",
    "oheismateriaali": "other", "tiivistelmä": "other", "esittelyteksti": "other", "selostus": "other",
    "asian valmistelu": "other", "perustelut": "other", "täytäntöönpano": "other", "tiedoksi": "other",
    "dno": "other", "päätöshistoria": "other", "käsittely": "other", "muutoksenhaku": "other",
    "pöytäkirjan tarkastajat": "checkers", "pöytäkirjantarkastajat": "checkers",
    "pöytäkirjan tarkastus": "checkers", "allekirjoitukset": "signatures", "pöytäkirjan vakuudeksi": "signatures",
    "muistion vakuudeksi": "signatures", "vakuudeksi": "signatures", "nähtävänä": "other",
    "pöytäkirja nähtävänä": "other", "käsitellyt asiat": "toc", "sisällysluettelo": "toc",
    "asiat": "items", "asialista": "items", "käsiteltävät asiat": "items", "kokouksen asiat": "items",
    "kokousasiat": "items", "päätöksentekijät": "present", "päättäjät": "present",
    "kokoustiedot": "other",
    # Swedish, in bilingual municipalities' minutes ("Paikka / Plats", "Päätös / Beslut")
    "tid": "time", "plats": "place", "mötesplats": "place", "närvarande": "present", "deltagare": "present",
    "övriga närvarande": "present_other", "frånvarande": "absent", "beslutsfattare": "present",
    "beslut": "decision", "förslag": "proposal", "beslutsförslag": "proposal", "föredragande": "presenter",
    "ordförande": "chair", "sekreterare": "secretary", "protokollförare": "secretary",
}
# Body-specific decision captions: "Kvalt:", "Kh:", "Sivltk:", "Tela:" (an organ's handling)
ORGAN_CAPTION_RE = re.compile(
    r"^(Kvalt|Kval|Kv|Khall|Kh|Kaupunginhallitus|Kunnanhallitus|Valtuusto|Yjaos|Tela|Tekla|Sivla|"
    r"[A-ZÄÖ][a-zäö]{1,12}ltk|[A-ZÄÖ][a-zäö]{1,12}lk|Ltk|Jory|Hall)\s*(\d{1,2}\.\d{1,2}\.(?:\d{2,4})?)?\s*(?:§\s*\d+)?\s*:\s*(.*)$")

# captions that open a line without a colon ("Aika 12.9.2017", "Päätös Hyväksyttiin.") when the
# text after them starts with a capital or a digit
NO_COLON_CAPTIONS = {"aika", "kokousaika", "paikka", "kokouspaikka", "läsnä", "poissa", "päätös",
                     "päätösehdotus", "päätösesitys", "esittelijä", "pöytäkirjanpitäjä", "puheenjohtaja",
                     "sihteeri", "saapuvilla olleet jäsenet", "muut saapuvilla olleet", "poissa olleet",
                     "estynyt", "saapuvilla olleet", "valmistelija", "kokouspäivä"}
_CAPTION_ALT = "|".join(sorted((re.escape(c) for c in CAPTIONS), key=len, reverse=True))
# "Päätös: text", "Aika 18.1.2017": a caption and its text on one line (colon or not, decided by caller)
CAPTION_RE = re.compile(rf"^(?P<cap>{_CAPTION_ALT})(?P<colon>\s*:)?(?:\s+|$)(?P<rest>.*)$", re.IGNORECASE)

# Attendance captions come in endless spellings ("Läsnä jäsenet:", "Kokoukseen osallistuivat",
# "Läsnä muut", "Poissa olleet varajäsenet"): a short caption is read by its words when it is not
# in CAPTIONS. Order matters: absence first, then deputies, then others, then members.
ATTENDANCE_CAPTION_WORDS = [
    ("absent", re.compile(r"\b(poissa\w*|estyn\w*|esteellinen|esteestä|ei läsnä)\b")),
    ("present_deputy", re.compile(r"\bvarajäsen\w*|\bvaravaltuutetu\w*")),
    ("present_other", re.compile(r"\b(muut|muu|lisäksi|kutsu\w*|asiantuntij\w*|kuultav\w*|vieraat|"
                                 r"viranhaltij\w*|virkamieh\w*|tarkkailij\w*|yleisö\w*)\b")),
    ("present", re.compile(r"\b(läsnä\w*|saapuvilla|osallistu\w*|paikalla|jäsenet|läsnäolij\w*|"
                           r"edustajat|valtuutetut|kokoonpano)\b")),
]
ATTENDANCE_CAPTION_CORE_RE = re.compile(
    r"\b(läsnä\w*|saapuvilla|osallistu\w*|paikalla|poissa\w*|estyn\w*|varajäsen\w*|jäsenet|"
    r"kutsut\w*|asiantuntij\w*|läsnäolij\w*)\b")
LOOSE_CAPTION_RE = re.compile(r"^(?P<cap>[^\W\d][^\W\d]*(?:[ -][^\W\d]+){0,3})(?P<colon>\s*:)?(?:\s+|$)(?P<rest>.*)$")


def attendance_caption(cap: str) -> str | None:
    """The canonical key of a short attendance caption read by its words, or None."""
    c = cap.casefold().strip()
    if len(c) > 45 or not ATTENDANCE_CAPTION_CORE_RE.search(c):
        return None
    for key, rx in ATTENDANCE_CAPTION_WORDS:
        if rx.search(c):
            return key
    return None


# `Poissa | Syy`, `Läsnä | Tehtävä`: the other headers of a table whose name column is titled by a status
STATUS_TABLE_NOTE_RE = re.compile(r"^(syy|tehtävä|huom\.?|lisätiedot|klo|aika|peruste|rooli|edustaa)$", re.I)

DECISION_MARK_RE = re.compile(r"^\s*[➤➢►▶→⇒]\s*")
BULLET_MARK_RE = re.compile(r"^\s*[•▪◦○●■□❖✓\-–—*·]\s+")

MONTHS = {"tammikuu": 1, "helmikuu": 2, "maaliskuu": 3, "huhtikuu": 4, "toukokuu": 5, "kesäkuu": 6,
          "heinäkuu": 7, "elokuu": 8, "syyskuu": 9, "lokakuu": 10, "marraskuu": 11, "joulukuu": 12}
MONTH_STEM_RE = r"(?:tammi|helmi|maalis|huhti|touko|kesä|heinä|elo|syys|loka|marras|joulu)(?:kuu\w*)"

# Closing sections: nothing after them belongs to the last item
CLOSING_RE = re.compile(
    r"^(allekirjoitukset|pöytäkirjan vakuudeksi|muistion vakuudeksi|vakuudeksi|muutoksenhakuohjeet?|"
    r"oikaisuvaatimusohjeet?|valitusosoitus|oikaisuvaatimus|pöytäkirjan tarkastus|"
    r"pöytäkirja on tarkastettu|tarkastettu ja hyväksytty|pöytäkirja pidetään yleisesti nähtävänä)\b",
    re.IGNORECASE)

# nouns an organ's name ends in (lemma): "Tekninen lautakunta", "Sote-johtoryhmä", "Edustajisto"
ORGAN_HEADS = ("lautakunta", "hallitus", "valtuusto", "johtoryhmä", "ohjausryhmä", "toimikunta", "jaosto", "edustajisto",
               "neuvosto", "ryhmä", "valiokunta", "toimielin", "johtokunta", "kokous", "neuvottelukunta",
               "tiimi", "kollegio", "raati")

# a word not preceded by a letter: OCR glues noise digits on ("ESITYSLISTA/7KOKOUSPÖYTÄKIRJA")
_WORD_START = r"(?<![^\W\d_])"
DOC_TYPE_WORDS = [
    ("esityslista", re.compile(_WORD_START + r"(esityslista|kokouskutsu|asialista)\b", re.I)),
    ("poytakirja", re.compile(_WORD_START + r"(pöytäkirja|kokouspöytäkirja|päätökset|p ö y t ä k i r j a|pöytäkirjanote|pöytäkirjaote|ote pöytäkirjasta|päätöspöytäkirja|"
                              r"kokouksen pöytäkirja)\b", re.I)),
    ("muistio", re.compile(_WORD_START + r"(muistio|kokousmuistio)\b", re.I)),
]
