"""Repairs of OCR lines as tesseract reads damaged scans. The cases are lines tesseract gave for the
scan-like copies of our generated documents (synth.scanlike, mixed damage): specks read as
glyphs, the § sign glued to its number, captions with a/ä swapped, a column gap read as a dash.
What a repair must not touch sits beside each kind."""
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
