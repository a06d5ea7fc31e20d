"""Repairs of OCR lines (readers/ocr.py) as tesseract reads scans. The cases are lines tesseract
gave for the real scanned record and the scan-like copies of our generated documents
(synth.scanlike): the § read as 8, $, & or S, or glued to its number, specks read as glyphs,
captions with a/ä swapped, first names with a misread initial, a column gap read as a dash. What a
repair must not touch sits beside each kind."""
import pytest

from models.document import Paragraph
from readers.ocr import fix_para_signs, mend_glued_signs, _column_groups, _without_specks


@pytest.mark.parametrize("read, meant", [
    ("Päätös == Kokous todettiin lailliseksi.", "Päätös Kokous todettiin lailliseksi."),
    ("= 8185 Lausunto maakuntakaavan luonnoksesta", "§ 185 Lausunto maakuntakaavan luonnoksesta"),
    ("8180. Pöytäkirjantarkastajien valinta", "§ 180 Pöytäkirjantarkastajien valinta"),
    ("8178. ; = Kokouksen avaus", "§ 178 Kokouksen avaus"),
    ("8186 — . Kirjastoauton hankinta", "§ 186 Kirjastoauton hankinta"),
    ("8 107.", "§ 107"),
    ("Tekninen lautakunta 8 93 20.03.2015 JÄTEHUOLTOMÄÄRÄYSTEN PÄIVITTÄMINEN",
     "Tekninen lautakunta § 93 20.03.2015 JÄTEHUOLTOMÄÄRÄYSTEN PÄIVITTÄMINEN"),
    ("Kokous 5 12.3.2015 alkaa", "Kokous 5 12.3.2015 alkaa"),
    ("|EsaHaapala, jäsen", "EsaHaapala, jäsen"),
    ("Poissa '", "Poissa"),
    ("| | s |", "s"),
    ("Poissä Kukkonen Helena jäsen", "Poissa Kukkonen Helena jäsen"),
    ("Lasna:", "Läsnä:"),
    ("Miettinen Fino jäsen", "Miettinen Eino jäsen"),              # a capital E that lost its lower bar
    ("Fanni Virtanen, Filmi esitettiin", "Fanni Virtanen, Filmi esitettiin"),
    ("Sivistysjohtajan päätökset 10. 9. 2015- 9. 10. 2015.", "Sivistysjohtajan päätökset 10.9.2015- 9.10.2015."),
    ("nähtävänä 28. 10.2015", "nähtävänä 28.10.2015"),
    ("avasi kokouksen klo 18. 03.", "avasi kokouksen klo 18.03."),
    ("klo 17. 00-18. 16", "klo 17.00-18.16"),
    # left alone: ranges, dashes as bullets, fractions, a real word that folds like a caption,
    # numbers that are no date or time
    ("Liite 2. 15 sivua", "Liite 2. 15 sivua"),
    ("kohdat 1. 2. ja 3.", "kohdat 1. 2. ja 3."),
    ("klo 18.00 - 20.00", "klo 18.00 - 20.00"),
    ("- Tiivistelmä —", "- Tiivistelmä —"),
    ("2015 - 2016 Talousarvio", "2015 - 2016 Talousarvio"),
    ("Asia 15. / 85 §", "Asia 15. / 85 §"),
    ("Pöytäkirja 9/2015", "Pöytäkirja 9/2015"),
    ("Paikka Teams-kokous", "Paikka Teams-kokous"),
])
def test_line_repairs(read, meant):
    assert fix_para_signs(read) == meant


def _para(text: str) -> Paragraph:
    return Paragraph(text=text, page=1, x0=80, x1=400, top=0, segments=[(80.0, text)])


@pytest.mark.parametrize("lines, meant", [
    # the sign after the number, read as 8 or 5: "182 §" as "1828"
    (["§ 181 Työjärjestyksen hyväksyminen", "1828 Tietosuojavastaavan nimeäminen", "§ 183 Muut asiat"],
     "§ 182 Tietosuojavastaavan nimeäminen"),
    # the sign before it, read as 6
    (["§ 180 Valinta", "6181 Työjärjestyksen hyväksyminen", "§ 182 Muut asiat"], "§ 181 Työjärjestyksen hyväksyminen"),
    # "N § TITLE" headings keep their style
    (["3 § PÖYTÄKIRJANTARKASTAJIEN VALINTA", "48 YRITYSNEUVONTA", "5 § MUUT ASIAT"], "4 § YRITYSNEUVONTA"),
    # a real number that does not continue the run stays
    (["§ 181 Työjärjestys", "1878 Tietosuojavastaavan nimeäminen", "§ 190 Muut asiat"],
     "1878 Tietosuojavastaavan nimeäminen"),
    (["§ 12 Talousarvio", "2015 Tilinpäätös vahvistettiin", "§ 13 Muut asiat"], "2015 Tilinpäätös vahvistettiin"),
])
def test_glued_signs_mended_only_where_the_run_says_so(lines, meant):
    paras = [_para(t) for t in lines]
    mend_glued_signs(paras)
    assert paras[1].text == meant and paras[1].segments[0][1] == meant


def _tesseract_line(*words: tuple[str, int, int]) -> tuple[dict, list[int]]:
    """One line of image_to_data's output at 300 dpi: (text, left px, width px) per word."""
    data = {"text": [w for w, _, _ in words], "left": [x for _, x, _ in words], "width": [w for _, _, w in words]}
    return data, list(range(len(words)))


def test_specks_beside_a_caption_are_dropped_but_presence_marks_stay():
    data, idx = _tesseract_line(("Poissa", 330, 120), ("'", 470, 10), ("a", 900, 20))
    assert [data["text"][i] for i in _without_specks(data, idx, 72 / 300)] == ["Poissa", "'"]
    data, idx = _tesseract_line(("Virtanen", 330, 150), ("Veikko", 500, 120), ("x", 1200, 20))
    assert [data["text"][i] for i in _without_specks(data, idx, 72 / 300)] == ["Virtanen", "Veikko", "x"]


def test_a_lone_dash_between_words_is_a_column_gap_but_not_in_a_range():
    data, idx = _tesseract_line(("Saapuvilla", 300, 200), ("olleet", 520, 110), ("—", 650, 30),
                                ("Vainio", 700, 120), ("Kaisa", 840, 100))
    groups = _column_groups(data, idx, 72 / 300)
    assert [[data["text"][i] for i in g] for g in groups] == [["Saapuvilla", "olleet"], ["Vainio", "Kaisa"]]
    data, idx = _tesseract_line(("klo", 300, 60), ("18.00", 380, 100), ("—", 500, 30), ("20.00", 550, 100))
    assert len(_column_groups(data, idx, 72 / 300)) == 1


@pytest.mark.parametrize("line,fixed", [
    ("8 1 Kokouksen avaus", "§ 1 Kokouksen avaus"), ("$ 12 Talous", "§ 12 Talous"), ("12 $ Talous", "12 § Talous"),
    ("Yhtymähallitus 8 1", "Yhtymähallitus § 1"), ("saapui klo 19.25 (8 3)", "saapui klo 19.25 (§ 3)"),
    ("(osakeyhtiölaki 9 luku 2 $)", "(osakeyhtiölaki 9 luku 2 §)"), ("5138", "§ 138"), ("8143", "§ 143"),
    ("2019", "2019"), ("Kaupunginhallitus & 242", "Kaupunginhallitus § 242"),
    ("Kaupunginhallitus 244", "Kaupunginhallitus § 244"), ("Kello 18", "Kello 18"),
    ("lida Turunen, puheenjohtaja", "Iida Turunen, puheenjohtaja"), ("llkka Salo", "Ilkka Salo"),
    ("lupa Laine", "lupa Laine"),
    ("81 Kokouksen avaus", "81 Kokouksen avaus"), ("Vuosi 2018 8 1", "Vuosi 2018 8 1"), ("5 kpl tuoleja", "5 kpl tuoleja"),
    # seen in scan-like copies (synth.scanlike): the sign glued to the number, '&' after it, a
    # stray dash first, '§§' as '88', a range in parentheses
    ("8178 Kokouksen avaus", "§ 178 Kokouksen avaus"), ("5181 Laillisuus", "§ 181 Laillisuus"),
    ("151 & Talousarvio", "151 § Talousarvio"), ("— 8 83 Hankinta", "§ 83 Hankinta"),
    ("88 82-91", "§§ 82-91"), ("Käsitellyt asiat (8 2-18)", "Käsitellyt asiat (§ 2-18)"),
    ("2017 Kokous", "2017 Kokous"), ("5000 euroa", "5000 euroa"), ("- Kokous todettiin", "- Kokous todettiin"),
    ("6 S KOULUKULJETUSPERIAATTEIDEN PÄIVITTÄMINEN", "6 § KOULUKULJETUSPERIAATTEIDEN PÄIVITTÄMINEN"),
    ("2 S Sopimus", "2 S Sopimus"),
    ("KH 12.3.2015 8 87", "KH 12.3.2015 § 87"), ("Tekla 1.2.2016 $ 12", "Tekla 1.2.2016 § 12"),
    ("Kokous 12.3.2015 klo 8", "Kokous 12.3.2015 klo 8")])
def test_ocr_section_sign_mending(line, fixed):
    assert fix_para_signs(line) == fixed


@pytest.mark.parametrize("lines, mended", [
    (["15 KOKOUKSEN AVAUS", "2 § LAILLISUUS", "3 § VALINTA", "48 PALVELUSOPIMUS", "5 § MUUT ASIAT"],
     ["1 § KOKOUKSEN AVAUS", "2 § LAILLISUUS", "3 § VALINTA", "4 § PALVELUSOPIMUS", "5 § MUUT ASIAT"]),
    (["14 § TALOUS", "15 KOKOUKSEN AVAUS", "16 § MUUT ASIAT"],        # a real 15 in a run of 14, 16
     ["14 § TALOUS", "15 KOKOUKSEN AVAUS", "16 § MUUT ASIAT"]),
    (["15 KOKOUKSEN AVAUS", "48 PALVELUSOPIMUS"], ["15 KOKOUKSEN AVAUS", "48 PALVELUSOPIMUS"]),   # no § run
])
def test_ocr_sign_glued_to_the_number_is_mended_in_a_run_of_headings(lines, mended):
    paragraphs = [Paragraph(text=t, page=1, segments=[(50.0, t)]) for t in lines]
    mend_glued_signs(paragraphs)
    assert [p.text for p in paragraphs] == mended == [p.segments[0][1] for p in paragraphs]
