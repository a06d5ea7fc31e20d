"""Attendance: person entries as minutes write them, and whole documents against gold."""
import pytest

from extractors.attendance import extract_attendance
from extractors.people import parse_entry
from tests.conftest import DEVSET, devset_files, gold_for, needs_shared


@pytest.mark.parametrize("text, person, role, meeting_role", [
    ("kaupunginjohtaja Tero Nissinen", "Tero Nissinen", "kaupunginjohtaja", ""),
    ("vs.sosiaali- ja terveysjohtaja Outi Kääriäinen", "Outi Kääriäinen", "vs.sosiaali- ja terveysjohtaja", ""),
    ("kaupunginjohtaja Timo Nousiainen, pj", "Timo Nousiainen", "kaupunginjohtaja", "chair"),
    ("sos.työn suunnittelija Satu Turkka", "Satu Turkka", "sos.työn suunnittelija", ""),
    ("kehittämispäällikkö Merja Haapakorva-Kallio", "Merja Haapakorva-Kallio", "kehittämispäällikkö", ""),
    ("Nousiainen Timo, puheenjohtaja", "Timo Nousiainen", "puheenjohtaja", "chair"),
    ("Anna Vuorjoki (pj)", "Anna Vuorjoki", "pj", "chair"),
    ("Vs. kaupunginjohtaja Päivi Laajala", "Päivi Laajala", "Vs. kaupunginjohtaja", ""),
    ("Tuukka Forsell, puheenjohtaja", "Tuukka Forsell", "puheenjohtaja", "chair"),
    ("Pekka Penttinen, pöytäkirjantarkastaja", "Pekka Penttinen", "pöytäkirjantarkastaja", "minutes_checker"),
    ("Virpi Launonen, sihteeri", "Virpi Launonen", "sihteeri", "secretary"),
    ("Matti Tapani Virtanen, varapuheenjohtaja", "Matti Tapani Virtanen", "varapuheenjohtaja", "vice_chair"),
])
def test_person_entry(text, person, role, meeting_role):
    (e,) = parse_entry(text)
    assert (e.person, e.role, e.meeting_role) == (person, role, meeting_role)


def test_two_people_in_one_cell_are_split_by_first_names():
    got = [e.person for e in parse_entry("kunnanjohtaja Mika Simoska Tuomo Hokkinen")]
    assert got == ["Mika Simoska", "Tuomo Hokkinen"]


@pytest.mark.parametrize("text, absent, present", [
    ("Korhonen Pekka (POISSA) sij. Liisa Virtanen", "Pekka Korhonen", "Liisa Virtanen"),
    ("Pekka Korhonen, este, tilalla Liisa Virtanen", "Pekka Korhonen", "Liisa Virtanen"),
])
def test_substitutes(text, absent, present):
    got = {e.person: e for e in parse_entry(text)}
    assert got[absent].status == "absent"
    assert got[present].status == "present" and got[present].substitute_for == absent


@pytest.mark.parametrize("text, field, value", [
    ("Mäkelä Antti saapui klo 18.25 § 5 aikana", "arrived", "18:25"),
    ("Mäkelä Antti saapui klo 18.25 § 5 aikana", "arrived_item", "5"),
    ("Teija Horsma poistui ajassa 18.19", "departed", "18:19"),
    ("Kunnanjohtaja Mika Simoska klo 12.25-", "arrived", "12:25"),
    ("Riitta Kangas (§ 8-23)", "departed_item", "23"),
    ("Matti Meikäläinen, paikalla kohdasta 5", "arrived_item", "5"),
    ("Virtanen Liisa, varajäsen (videoyhteys)", "remote", "videoyhteys"),
    ("Pertti Sakaranaho (paitsi 820 §)", "note", "paitsi 820 §"),
])
def test_arrivals_departures_and_remote(text, field, value):
    (e,) = parse_entry(text)
    assert getattr(e, field) == value


@pytest.mark.parametrize("path", devset_files(), ids=lambda p: p.suffix)
def test_devset_attendance_matches_gold(path, processed):
    doc, structure, _ = processed(path)
    rows = {r.person: r for r in extract_attendance(doc, structure)}
    gold = {g["person"]: g for g in gold_for(path)["attendance"]}
    assert set(rows) == set(gold)
    for name, g in gold.items():
        assert rows[name].status == g["status"], name
        assert rows[name].organisation == g["organisation"], name
        if g.get("meeting_role"):
            assert rows[name].meeting_role == g["meeting_role"]
    assert rows["Mika Simoska"].arrived == "12:25"


@needs_shared
def test_presenter_of_a_one_item_extract(processed):
    doc, structure, _ = processed(DEVSET / "real" / "r070.pdf")
    (row,) = extract_attendance(doc, structure)
    assert (row.person, row.meeting_role, row.role) == ("Päivi Laajala", "presenter", "Vs. kaupunginjohtaja")


@needs_shared
def test_signatures_give_chair_secretary_and_checkers(processed):
    doc, structure, _ = processed(DEVSET / "real" / "r080.pdf", ocr=True)
    roles = {r.person: r.meeting_role for r in extract_attendance(doc, structure)}
    assert roles["Tuukka Forsell"] == "chair"
    assert roles["Virpi Launonen"] == "secretary"
    assert roles["Pekka Penttinen"] == "minutes_checker"


@needs_shared
def test_agenda_without_names_has_no_attendance(processed):
    doc, structure, _ = processed(DEVSET / "real" / "r068.pdf")
    assert extract_attendance(doc, structure) == []


@pytest.mark.parametrize("fmt", ["pdf", "docx"])
def test_caption_variants_groups_and_brackets(layout_case, fmt):
    """'Läsnä jäsenet:' with electoral-list headings inside the list, 'Läsnä muut:', 'Kutsutut
    jäsenet' in a caption cell; '(Name)' after a person is the member stood in for, who is not
    present, and 'Mäkinen, Lauri' keeps its comma out of the list split."""
    rows = {r.person: r for r in layout_case("attendance_captions", fmt).tables["attendance"]}
    assert set(rows) == {"Aino Laine", "Mikko Salo", "Sanna Koski", "Jussi Heino", "Ville Rinne",
                         "Liisa Harju", "Lauri Mäkinen"}
    assert rows["Aino Laine"].meeting_role == "chair"
    assert rows["Jussi Heino"].substitute_for == "Elina Vaara"
    assert rows["Lauri Mäkinen"].substitute_for == "Irma Lehtonen"
    assert rows["Ville Rinne"].meeting_role == "secretary"


@pytest.mark.parametrize("fmt", ["pdf", "docx"])
def test_headerless_name_table_under_caption(layout_case, fmt):
    rows = {r.person: r for r in layout_case("headerless_name_table", fmt).tables["attendance"]}
    assert set(rows) == {"Matti Virtanen", "Liisa Korhonen", "Pekka Nieminen"}
    assert rows["Matti Virtanen"].meeting_role == "chair" and rows["Liisa Korhonen"].role == "jäsen"


@pytest.mark.parametrize("fmt", ["pdf", "docx"])
def test_member_deputy_and_status_tables(layout_case, fmt):
    """x: the member came; vj: the deputy came for the member; -: neither. A `Poissa | Syy` table
    lists the absent. A deputy who did not come is not listed."""
    rows = {r.person: r for r in layout_case("member_deputy_table", fmt).tables["attendance"]}
    assert {p: r.status for p, r in rows.items()} == {
        "Matti Virtanen": "present", "Liisa Korhonen": "absent", "Mikko Salo": "present",
        "Pekka Nieminen": "absent", "Jussi Heinonen": "absent"}
    assert rows["Mikko Salo"].substitute_for == "Liisa Korhonen"


@pytest.mark.parametrize("fmt", ["pdf", "docx"])
def test_numbered_attendance_list_with_status_column(layout_case, fmt):
    result = layout_case("numbered_attendance", fmt)
    assert {r.person: r.status for r in result.tables["attendance"]} == {
        "Vesa Honkanen": "present", "Eeva Rautio": "present", "Heikki Mäkelä": "absent", "Seppo Saarinen": "present"}
    assert [r.item_no for r in result.tables["agenda_items"]] == ["59", "60", "61", "62"]


@pytest.mark.parametrize("fmt", ["pdf", "docx"])
def test_bilingual_captions_and_two_column_names(layout_case, fmt):
    result = layout_case("bilingual_captions", fmt)
    assert {r.person for r in result.tables["attendance"]} == {"Teemu Ollila", "Ulla Halonen", "Ville Rautio", "Aila Mattila"}
    doc = result.document
    assert (doc.meeting_date, doc.start_time, doc.place) == ("2019-03-12", "18:45", "Valtuustosali")
