"""Decisions and proposals: markers, captions, formulas, stages and resolution classes."""
import pytest

from extractors.decisions import extract_decisions, is_decision_sentence, resolution_of
from extractors.metadata import meeting_date
from tests.conftest import DEVSET, devset_files, gold_for, needs_shared


def _decisions(processed, path, ocr=False):
    doc, structure, meeting = processed(path, ocr)
    return extract_decisions(doc, structure, meeting.doc_type, meeting_date(meeting))


def _norm(s: str) -> str:
    return " ".join(s.replace("- ", "-").split()).casefold()


@pytest.mark.parametrize("path", devset_files(), ids=lambda p: p.suffix)
def test_memo_decisions_match_gold(path, processed):
    rows = [r for r in _decisions(processed, path) if r.stage == "decision"]
    got = {(r.item_no, _norm(r.text)) for r in rows}
    gold = gold_for(path)["decisions"]
    for g in gold:
        if not g.get("optional"):
            assert (g["item_no"], _norm(g["text"])) in got, g
    allowed = {(g["item_no"], _norm(g["text"])) for g in gold}
    assert got <= allowed, got - allowed


@needs_shared
def test_proposal_and_decision_are_kept_apart(processed):
    rows = _decisions(processed, DEVSET / "real" / "r070.pdf")
    assert [(r.stage, r.text, r.resolution) for r in rows] == [
        ("proposal", "Merkitään tiedoksi.", ""), ("decision", "Merkittiin tiedoksi.", "noted")]


@needs_shared
def test_agenda_has_proposals_only(processed):
    rows = _decisions(processed, DEVSET / "real" / "r087.docx")
    assert rows and all(r.stage == "proposal" for r in rows)


@needs_shared
def test_decision_as_proposed_resolves_to_proposal_text(processed):
    rows = [r for r in _decisions(processed, DEVSET / "real" / "r080.pdf", ocr=True) if r.item_no == "7"]
    decision = next(r for r in rows if r.stage == "decision")
    assert decision.text == "Päätettiin esityksen mukaan."
    assert decision.resolved_text.startswith("Hallitus esittää yhtiökokoukselle")
    assert decision.resolution == "approved"


@pytest.mark.parametrize("text, expected", [
    ("Hyväksyttiin.", True),
    ("Merkitään tiedoksi", True),
    ("Johtoryhmä esittää poliittiselle ohjausryhmälle, että Saarenvire otetaan valmistelussa osaksi", True),
    ("Yhtiöittämisselvityksestä viedään tiedoksi pol.ohjausryhmään tiivistetty yhteenveto osio.", True),
    ("Kokouksen puheenjohtajaksi valittiin Tuukka Forsell.", True),
    ("Asia pantiin pöydälle.", True),
    ("Puheenjohtaja päätti kokouksen klo 14.37.", False),          # closing the meeting
    ("Kehittämiskeskuksen johtotiimi käsittelee asiaa 20.1", False),
    ("Saarenvirettä on kuntoutuksen osalta valmisteltu osaksi Länsi-Pohjan sotea", False),
    ("Inspiralta on tullut tarjous yhtiöittämisen jatkosta", False),
    ("Faktat tueksi; laajan päivystyksen sairaala LKS, synnytysten kohtalo, mikä on pahin skenaario ja miten torjutaan", False),
])
def test_decision_sentences(text, expected):
    assert is_decision_sentence(text) is expected


@pytest.mark.parametrize("text, resolution", [
    ("Hyväksyttiin.", "approved"),
    ("Päätösehdotus hyväksyttiin yksimielisesti.", "approved"),
    ("Merkittiin tiedoksi.", "noted"),
    ("Asia pantiin pöydälle.", "tabled"),
    ("Asia palautettiin uudelleen valmisteltavaksi.", "returned"),
    ("Asia poistettiin esityslistalta.", "removed"),
    ("Puheenjohtajaksi valittiin Rebekka Pilppula.", "election"),
    ("Ehdotus hylättiin.", "rejected"),
    ("Hyväksyttiin seuraavin muutoksin: kohta 3 poistetaan.", "amended"),
    ("Äänestyksessä jaa 7, ei 4. Päätösehdotus hyväksyttiin.", "approved_after_vote"),
])
def test_resolution_classes(text, resolution):
    assert resolution_of(text, "decision") == resolution


@pytest.mark.parametrize("fmt", ["pdf", "docx"])
def test_closing_sentences_decide(layout_case, fmt):
    """The closing sentence decides after a statement of fact or a proposal; an event passive
    ('Tarjouspyyntö julkaistiin') and the opening of the meeting do not."""
    rows = [(r.item_no, r.text) for r in layout_case("closing_sentences", fmt).tables["decisions"]
            if r.stage == "decision"]
    assert rows == [("2", "Hyväksyttiin tilinpäätös."),
                    ("3", "Hallitus päätti vuokrata vapautuneet autopaikat jonossa oleville.")]


@pytest.mark.parametrize("fmt", ["pdf", "docx"])
def test_earlier_handling_is_not_this_meetings_decision(layout_case, fmt):
    rows = [(r.item_no, r.text) for r in layout_case("dated_history_heads", fmt).tables["decisions"]
            if r.stage == "decision"]
    assert ("2", "Sivistyslautakunta hyväksyi periaatteet.") in rows
    assert ("3", "Merkittiin tiedoksi.") in rows


@pytest.mark.parametrize("fmt", ["pdf", "docx"])
def test_present_tense_proposal_then_past_decision_are_two_rows(layout_case, fmt):
    """No captions: the tense tells the proposal from the decision on the next line; and minutes on
    the agenda's template (ESITYSLISTA on page 1, ESITYSLISTA-PÖYTÄKIRJA in the later headers)
    are minutes, so their decisions are kept."""
    result = layout_case("tense_only_on_agenda_template", fmt)
    assert result.document.doc_type == "poytakirja"
    rows = [(r.item_no, r.stage, r.text) for r in result.tables["decisions"]]
    assert [(no, text) for no, stage, text in rows if stage == "decision"] == [
        ("2", "Kokous todettiin lailliseksi ja päätösvaltaiseksi."),
        ("3", "Elinvoimalautakunta hyväksyi palvelusopimuksen kahdeksi vuodeksi."),
        ("4", "Elinvoimalautakunta valitsi urakoitsijaksi Valo Oy:n.")]
    assert not [text for _, stage, text in rows if stage == "decision" and ("hyväksyy" in text or "valitsee" in text)]


@pytest.mark.parametrize("fmt", ["pdf", "docx"])
def test_caption_followed_by_organ(layout_case, fmt):
    rows = [(r.item_no, r.stage, r.text) for r in layout_case("caption_then_organ", fmt).tables["decisions"]]
    assert ("12", "decision", "Merkittiin tiedoksi.") in rows
    assert ("13", "decision", "Hallitus hyväksyi esityksen.") in rows
    assert ("13", "proposal", "Hallitus esittää jäsenmaksuksi 20 euroa.") in rows


@pytest.mark.parametrize("fmt", ["pdf", "docx"])
def test_dynasty_item_page_keeps_this_meetings_handling(layout_case, fmt):
    result = layout_case("dynasty_item_page", fmt)
    assert [(r.item_no, r.title) for r in result.tables["agenda_items"]] == [
        ("1", "Kokouksen avaus"), ("2", "Talousarvion valmistelu"), ("3", "Muut asiat")]
    rows = [(r.item_no, r.text) for r in result.tables["decisions"] if r.stage == "decision"]
    assert rows == [("1", "Merkittiin tiedoksi."), ("2", "Tekninen lautakunta hyväksyi esityksen."),
                    ("3", "Merkittiin tiedoksi.")]
    assert result.document.organ == "Tekninen lautakunta"


@pytest.mark.parametrize("fmt", ["pdf", "docx"])
def test_tense_numbered_and_dash_decisions(layout_case, fmt):
    """'Todetaan ...' proposes where '... todettiin' decides; 'Hallitus päätti' goes on in its
    numbered lines; each dash line of past-tense decisions is a decision."""
    rows = [(r.item_no, r.text) for r in layout_case("numbered_attendance", fmt).tables["decisions"]
            if r.stage == "decision"]
    assert ("60", "Talousarvion toteutuma todettiin.") in rows
    assert ("61", "Hallitus päätti 1. jatkaa vuokrasopimusta vuoden loppuun, "
                  "2. valtuuttaa johtajan allekirjoittamaan sopimuksen.") in rows
    assert ("62", "Seuraavan kokouksen ajankohdasta sovittiin myöhemmin.") in rows
    assert not any(no == "59" for no, _ in rows)


@pytest.mark.parametrize("fmt", ["pdf", "docx"])
def test_bilingual_decision_captions(layout_case, fmt):
    rows = [(r.item_no, r.stage, r.text) for r in layout_case("bilingual_captions", fmt).tables["decisions"]]
    assert ("1", "proposal", "Todetaan kokous lailliseksi.") in rows
    assert ("1", "decision", "Kokous todettiin lailliseksi.") in rows
    assert ("2", "decision", "Merkittiin tiedoksi.") in rows
