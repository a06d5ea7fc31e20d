"""The seed slide decks and web page: no phantom attendance or decisions, their dates found."""
import pytest

from extractors.attendance import extract_attendance
from extractors.decisions import extract_decisions
from extractors.dates import extract_dates
from extractors.metadata import extract_meeting
from extractors.structure import find_structure
from tests.conftest import SEEDS, document_from_text, needs_shared

pytestmark = needs_shared

NOT_MINUTES = {"000": ["2016-04-12", "2016-05-24", "2016-09-16", "2016-05-26"],
               "001": ["2016-10-12", "2016-12-02", "2017-02-08", "2017-04-05", "2017-06-13", "2016-11-02"],
               "003": ["2022-12-31", "2021-12-31"],
               "004": ["2020-12-16", "2022-03-31"]}


@pytest.mark.parametrize("prefix", sorted(NOT_MINUTES))
def test_no_phantom_rows_and_dates_found(prefix):
    path = next(SEEDS.glob(f"{prefix}_*.txt"))
    doc = document_from_text(path.read_text(encoding="utf-8"), path.name)
    structure = find_structure(doc)
    meeting = extract_meeting(doc, structure)
    decisions = [d for d in extract_decisions(doc, structure, meeting.doc_type, None) if d.stage == "decision"]
    assert extract_attendance(doc, structure) == []
    assert decisions == []
    dates, _ = extract_dates(doc.doc_id, structure, None, None)
    found = {d.date for d in dates}
    assert set(NOT_MINUTES[prefix]) <= found, set(NOT_MINUTES[prefix]) - found
