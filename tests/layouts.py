"""Small documents, one layout variant each, rendered as real PDF and DOCX (synth's renderers) for
the extractor tests. Each case is the layout fact of docs/layouts.md it stands for; people,
matters and places are invented.

`rendered(case, tmp_path_factory)` writes the case once per session in both formats and returns
{format: DocumentResult}.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from synth.spec import PageBreak, Spec, Table

REF = dt.date(2019, 3, 12)


def _spec(stem: str, doc_type: str = "poytakirja") -> Spec:
    return Spec(stem=stem, family="test", doc_type=doc_type, ref=REF)


def contents_liite_asia() -> Spec:
    """A web export's cover from a second city: `§ | Liite | Asia`, no item bodies."""
    s = _spec("contents_liite_asia")
    s.p("Kaupunginhallitus: 4/2019", bold=True)
    s.p("Pöytäkirja")
    rows = [["§", "Liite", "Asia"], ["41", "-", "Kokouksen laillisuus ja päätösvaltaisuus"],
            ["42", "2 kpl", "Asemakaavan muutos Koivuharjun koulun alueella"],
            ["44", "-", "Vuokrasopimuksen jatkaminen"]]
    s.add(Table(rows, [1.5, 2.0, 12.0], header_rows=1))
    return s


def contents_asian_no() -> Spec:
    """`Asian no | Asia | Sivu` before the bodies, whose headings the finder does not know."""
    s = _spec("contents_asian_no")
    s.p("Tekninen lautakunta", bold=True)
    rows = [["Asian no", "Asia", "Sivu"], ["12", "Katuvalojen saneeraus", "3"],
            ["13", "Lumityöurakan hankinta", "4"], ["14", "Muut asiat", "6"]]
    s.add(Table(rows, [2.5, 10.0, 2.0], header_rows=1))
    return s


def contents_extra_column() -> Spec:
    """`Pykälä | Otsikko | Pöytäkirja PDF-muodossa`: a column the finder has no name for."""
    s = _spec("contents_extra_column")
    s.p("Yhtymähallitus", bold=True)
    rows = [["Pykälä", "Otsikko", "Pöytäkirja PDF-muodossa"], ["101", "Tilinpäätös 2018", "Avaa"],
            ["102", "Henkilöstöraportti", "Avaa"], ["103", "Muut asiat", "Avaa"]]
    s.add(Table(rows, [2.0, 9.0, 5.0], header_rows=1))
    return s


def contents_title_page() -> Spec:
    """`Otsikko | Sivu`: the § number heads each title."""
    s = _spec("contents_title_page")
    s.p("Tarkastuslautakunta", bold=True)
    s.p("KÄSITELLYT ASIAT")
    rows = [["Otsikko", "Sivu"], ["15 KOKOUKSEN LAILLISUUS JA PÄÄTÖSVALTAISUUS", "3"],
            ["16 ARVIOINTIKERTOMUS", "4"], ["17 MUUT ASIAT", "6"]]
    s.add(Table(rows, [12.0, 2.0], header_rows=1))
    return s


def bare_numbers() -> Spec:
    """Hand-typed minutes numbering items `1 Title` without a dot; item 3 is not public."""
    s = _spec("bare_numbers")
    s.p("Asunto Oy Pihlajarinne, hallituksen kokous 2/2019", bold=True)
    for no, title, body in [("1", "Kokouksen avaus", "Puheenjohtaja avasi kokouksen klo 18.02."),
                            ("2", "Edellisen kokouksen pöytäkirja", "Hyväksyttiin."),
                            ("4", "Pihan kunnostus", "Päätettiin pyytää kaksi tarjousta."),
                            ("5", "Kokouksen päättäminen", "Puheenjohtaja päätti kokouksen klo 19.10.")]:
        s.p(f"{no} {title}", bold=True)
        s.p(body)
    return s


def headings_in_table_rows() -> Spec:
    """Word templates that lay out each heading as a one-row table `§ 190 | Title`."""
    s = _spec("headings_in_table_rows")
    s.p("Kaupunginhallitus", bold=True)
    for no, title, dec in [("190", "Kokouksen avaus", "Puheenjohtaja avasi kokouksen klo 18.00."),
                           ("191", "Talousarvion valmistelu", "Päätösehdotus hyväksyttiin."),
                           ("192", "Muut asiat", "Merkittiin tiedoksi.")]:
        s.add(Table([[f"§ {no}", title]], [2.0, 13.0]))
        s.add(Table([["Ehdotus", "Kaupunginhallitus hyväksyy esityksen."], ["Päätös", dec]], [3.0, 12.0]))
    return s


def dated_history_heads() -> Spec:
    """Dynasty: an item whose matter has a history starts with the earlier handling, then
    `Organ date § N` of this meeting."""
    s = _spec("dated_history_heads")
    s.p("Sivistyslautakunta § 1", bold=True)
    s.p("Kokouksen avaus", bold=True)
    s.p("Päätös:")
    s.p("Kokous todettiin lailliseksi ja päätösvaltaiseksi.")
    s.p("Kunnanhallitus [[29.1.2019|2019-01-29]] § 30")
    s.p("Ehdotus:")
    s.p("Kunnanhallitus esittää asian sivistyslautakunnalle.")
    s.p("Päätös:")
    s.p("Hyväksyttiin.")
    s.p("Sivistyslautakunta [[12.03.2019|2019-03-12]] § 2")
    s.p("Koulukuljetusperiaatteiden päivittäminen", bold=True)
    s.p("Päätös:")
    s.p("Sivistyslautakunta hyväksyi periaatteet.")
    s.p("Sivistyslautakunta § 3", bold=True)
    s.p("Muut asiat", bold=True)
    s.p("Päätös:")
    s.p("Merkittiin tiedoksi.")
    return s


def attendance_captions() -> Spec:
    """Student council: `Läsnä jäsenet:` grouped under electoral-list headings, `Läsnä muut:`,
    `Kutsutut jäsenet` in a caption cell, brackets for the member stood in for."""
    s = _spec("attendance_captions")
    s.p("Edustajiston kokous 3/2019", bold=True)
    s.p("Läsnä jäsenet:")
    s.p("Vihreä lista")
    s.p("Aino Laine (pj)")
    s.p("Mikko Salo")
    s.p("Opiskelijat ry")
    s.p("Sanna Koski")
    s.p("Jussi Heino (Elina Vaara)")
    s.p("Läsnä muut:")
    s.p("Ville Rinne, sihteeri")
    s.add(Table([["Kutsutut jäsenet", ["Harju Liisa, jäsen", "Mäkinen, Lauri (Lehtonen, Irma), varajäsen"]]], [4.0, 11.0]))
    s.p("1. Kokouksen avaus", bold=True)
    s.p("Puheenjohtaja avasi kokouksen klo 18.05.")
    s.p("2. Muut asiat", bold=True)
    s.p("Ei muita asioita.")
    return s


def headerless_name_table() -> Spec:
    """`Saapuvilla olleet jäsenet` over a table of names and titles without a header row."""
    s = _spec("headerless_name_table")
    s.p("Kunnanhallitus", bold=True)
    s.p("Saapuvilla olleet jäsenet")
    s.add(Table([["Virtanen Matti", "puheenjohtaja"], ["Korhonen Liisa", "jäsen"], ["Nieminen Pekka", "jäsen"]],
                [6.0, 6.0]))
    s.p("§ 1 Kokouksen avaus", bold=True)
    s.p("Päätös: Hyväksyttiin.")
    s.p("§ 2 Muut asiat", bold=True)
    s.p("Päätös: Merkittiin tiedoksi.")
    return s


def closing_sentences() -> Spec:
    """An association's decisions as each item's closing sentence, after statements and proposals."""
    s = _spec("closing_sentences")
    s.p("Kalliorannan kyläyhdistys ry, hallituksen kokous", bold=True)
    for no, title, body in [
            ("1", "Kokouksen avaus", "Puheenjohtaja avasi kokouksen klo 18.00."),
            ("2", "Tilinpäätös", "Tilinpäätös on liitteenä. Hallitus esittää, että kokous vahvistaa tilinpäätöksen. "
                                 "Hyväksyttiin tilinpäätös."),
            ("3", "Pysäköintipaikat", "Kaksi autopaikkaa on vapautunut. Hallitus päätti vuokrata vapautuneet "
                                      "autopaikat jonossa oleville."),
            ("4", "Tiedotus", "Tarjouspyyntö julkaistiin viime viikolla. Määräaikaan mennessä saapui kaksi tarjousta."),
            ("5", "Kokouksen päättäminen", "Puheenjohtaja päätti kokouksen klo 19.30.")]:
        s.p(f"{no}. {title}", bold=True)
        s.p(body)
    return s


def memo_named_inside() -> Spec:
    """A memo titled only by its meeting, calling itself a memo in its closing line; the place
    line is followed by an unrelated line."""
    s = _spec("memo_named_inside", "muistio")
    s.p("Hankkeen projektiryhmän kokous 2/2019", bold=True)
    s.p("Aika: [[12.3.2019 klo 9.00–11.00|2019-03-12 09:00-11:00]]")
    s.p("Paikka: Kunnantalo, kokoushuone Kaisla")
    s.p("Kokouksen avaa projektipäällikkö Anna Laine.")
    s.p("1. Kokouksen avaus", bold=True)
    s.p("Avattiin kokous.")
    s.p("2. Edellisen kokouksen muistio", bold=True)
    s.p("➤ Hyväksyttiin.")
    s.p("Muistion vakuudeksi")
    s.p("Anna Laine")
    return s


def caption_then_organ() -> Spec:
    """Web exports that print the organ after the caption (`Esitys Hallitus`, `Päätös Hallitus`)
    and the text on the lines below."""
    s = _spec("caption_then_organ")
    s.p("Hallitus", bold=True)
    for no, title, prop, dec in [("12", "Talousarvion toteutuminen", "Hallitus merkitsee raportin tiedoksi.",
                                  "Merkittiin tiedoksi."),
                                 ("13", "Jäsenmaksut", "Hallitus esittää jäsenmaksuksi 20 euroa.",
                                  "Hallitus hyväksyi esityksen.")]:
        s.p(f"§ {no} {title}", bold=True)
        s.p("Esitys Hallitus")
        s.p(prop)
        s.p("Päätös Hallitus")
        s.p(dec)
    return s


def member_deputy_table() -> Spec:
    """`Läsnä | Varsinainen jäsen | Henkilökohtainen varajäsen`: x the member came, vj the deputy."""
    s = _spec("member_deputy_table")
    s.p("Kunnanhallitus", bold=True)
    s.p("Saapuvilla olleet jäsenet")
    s.p("(merkintä puheenjohtajasta)")
    s.add(Table([["Läsnä", "Varsinainen jäsen", "Henkilökohtainen varajäsen"],
                 ["x", "Virtanen Matti, pj.", "Laine Anna"], ["vj", "Korhonen Liisa", "Salo Mikko"],
                 ["-", "Nieminen Pekka", "Koski Sanna"]], [1.5, 7.0, 7.0], header_rows=1, borders=True))
    s.add(Table([["Poissa", "Syy"], ["Heinonen Jussi", "este"]], [7.0, 4.0], header_rows=1))
    s.p("§ 1 Kokouksen avaus", bold=True)
    s.p("Päätös: Hyväksyttiin.")
    s.p("§ 2 Muut asiat", bold=True)
    s.p("Päätös: Merkittiin tiedoksi.")
    return s


def dynasty_item_page() -> Spec:
    """A Dynasty item page: every handling stacked as ORGAN / § N / date, the earlier first,
    then the title and each handling's text under its abbreviation ("KH § 151")."""
    s = _spec("dynasty_item_page")
    for no, title, history in [("1", "Kokouksen avaus", False), ("2", "Talousarvion valmistelu", True),
                               ("3", "Muut asiat", False)]:
        if history:
            s.p("KUNNANHALLITUS")
            s.p("§ 151")
            s.p("[[28.02.2019|2019-02-28]]")
        s.p("TEKNINEN LAUTAKUNTA")
        s.p(f"§ {no}")
        s.p("[[12.03.2019|2019-03-12]]")
        s.p(title, bold=True)
        if history:
            s.p("KH § 151")
            s.p("Päätös:")
            s.p("Palautettiin valmisteluun.")
            s.p(f"TEKLTK § {no}")
        s.p("Päätös:")
        s.p("Tekninen lautakunta hyväksyi esityksen." if history else "Merkittiin tiedoksi.")
    return s


def numbered_attendance() -> Spec:
    """`1. Sukunimi Etunimi, jäsen  poissa`: a numbered list of people, not the agenda."""
    s = _spec("numbered_attendance")
    s.p("HALLITUS", bold=True)
    s.p("Läsnä:")
    for k, (name, note) in enumerate([("Honkanen Vesa, puheenjohtaja", ""), ("Rautio Eeva, jäsen", ""),
                                      ("Mäkelä Heikki, jäsen", "\tpoissa"), ("Saarinen Seppo, jäsen", "")], start=1):
        s.p(f"{k}. {name}{note}")
    s.p("59 § Kokouksen avaus", bold=True)
    s.p("Puheenjohtaja avasi kokouksen.")
    s.p("60 § Talousarvio", bold=True)
    s.p("Todetaan talousarvion toteutuma. Talousarvion toteutuma todettiin.")
    s.p("61 § Vuokrasopimus", bold=True)
    s.p("Hallitus päätti")
    s.p("1. jatkaa vuokrasopimusta vuoden loppuun,")
    s.p("2. valtuuttaa johtajan allekirjoittamaan sopimuksen.")
    s.p("62 § Muut asiat", bold=True)
    s.p("– Kokous todettiin päättyneeksi klo 19.")
    s.p("– Seuraavan kokouksen ajankohdasta sovittiin myöhemmin.")
    return s


def bilingual_captions() -> Spec:
    """A bilingual municipality: `Aika / Tid`, `Paikka / Plats`, `Päätös / Beslut`; a time right
    after the date without "klo"; members in two columns."""
    s = _spec("bilingual_captions")
    s.p("KAUPUNGINVALTUUSTO", bold=True)
    s.add(Table([["Aika / Tid", "ti [[12.3.2019 18.45|2019-03-12 18:45]]"], ["Paikka / Plats", "Valtuustosali"]],
                [4.0, 11.0]))
    s.p("Saapuvilla olleet jäsenet / Närvarande ledamöter")
    s.add(Table([["Ollila Teemu pj", "Halonen Ulla"], ["Rautio Ville", "Mattila Aila"]], [7.0, 7.0]))
    s.p("§ 1 Kokouksen avaus", bold=True)
    s.p("Ehdotus / Förslag")
    s.p("Todetaan kokous lailliseksi.")
    s.p("Päätös / Beslut")
    s.p("Kokous todettiin lailliseksi.")
    s.p("§ 2 Muut asiat", bold=True)
    s.p("Päätös / Beslut")
    s.p("Merkittiin tiedoksi.")
    return s


def tense_only_on_agenda_template() -> Spec:
    """Minutes written on the agenda's template: the first page calls itself ESITYSLISTA, the
    running header of the later pages ESITYSLISTA-PÖYTÄKIRJA; each item states its proposal in
    the present tense and its decision in the past, on the next line, with no captions."""
    s = _spec("tense_only_on_agenda_template")
    s.p("LUMIRANNAN KAUPUNKI   ESITYSLISTA", bold=True)
    s.p("Elinvoimalautakunta")
    s.p("Aika keskiviikko 24.10.2012 kello 18.00-19.17")
    s.p("1 § KOKOUKSEN AVAUS", bold=True)
    s.p("Puheenjohtaja avasi kokouksen klo 18.03.")
    s.p("2 § KOKOUKSEN LAILLISUUS JA PÄÄTÖSVALTAISUUS", bold=True)
    s.p("Todetaan kokous lailliseksi ja päätösvaltaiseksi.")
    s.p("Kokous todettiin lailliseksi ja päätösvaltaiseksi.")
    for no, title, present, past in [
            ("3", "YRITYSNEUVONNAN PALVELUSOPIMUS", "Elinvoimalautakunta hyväksyy palvelusopimuksen kahdeksi vuodeksi.",
             "Elinvoimalautakunta hyväksyi palvelusopimuksen kahdeksi vuodeksi."),
            ("4", "KATUVALAISTUKSEN URAKOITSIJAN VALINTA", "Elinvoimalautakunta valitsee urakoitsijaksi Valo Oy:n.",
             "Elinvoimalautakunta valitsi urakoitsijaksi Valo Oy:n.")]:
        s.add(PageBreak())
        s.p("LUMIRANNAN KAUPUNKI   ESITYSLISTA-PÖYTÄKIRJA No 8/2012")
        s.p(f"{no} § {title}", bold=True)
        s.p("Selvityksen mukaan kysyntä on kasvanut kolmen viime vuoden aikana.")
        s.p(present)
        s.p(past)
    return s


CASES = {f.__name__: f for f in (tense_only_on_agenda_template, contents_liite_asia, contents_asian_no, contents_extra_column, contents_title_page, bare_numbers, headings_in_table_rows,
                                 dated_history_heads, attendance_captions, headerless_name_table,
                                 closing_sentences, memo_named_inside, caption_then_organ, member_deputy_table,
                                 dynasty_item_page, numbered_attendance, bilingual_captions)}


def render(name: str, out: Path) -> dict[str, Path]:
    """Both formats of one case."""
    from synth.render_docx import render_docx
    from synth.render_pdf import render_pdf
    spec = CASES[name]()
    return {"pdf": render_pdf(spec, out / f"{name}.pdf"), "docx": render_docx(spec, out / f"{name}.docx")}


def scan_of(pdf: Path, out: Path, dpi: int = 200) -> Path:
    """An image-only copy of a PDF, as a scanner would make it (no text layer)."""
    import pdfplumber
    with pdfplumber.open(pdf) as src:
        images = []
        for page in src.pages:
            images.append(page.to_image(resolution=dpi).original.convert("L"))
            page.close()
    images[0].save(out, save_all=True, append_images=images[1:], resolution=dpi)
    return out
