"""Meeting metadata against gold on the dev set and real originals."""
import pytest

from tests.conftest import DEVSET, devset_files, gold_for, needs_shared

CASES = devset_files() + [DEVSET / "real" / "r068.pdf", DEVSET / "real" / "r068.docx", DEVSET / "real" / "r087.docx"]


@needs_shared
@pytest.mark.parametrize("path", CASES, ids=lambda p: p.name)
def test_meeting_fields(path, processed):
    _, _, m = processed(path)
    gold = gold_for(path)
    gm = gold["meeting"]
    assert m.doc_type == gold["doc_type"]
    assert m.organ.casefold() == gm["organ"].casefold()
    assert m.date == gm["date"]
    assert m.start_time == gm.get("start_time")
    if gm.get("end_time"):
        assert m.end_time == gm["end_time"]
    if gm.get("place"):
        assert m.place == gm["place"]


@needs_shared
def test_actual_times_kept_apart_from_scheduled(processed):
    _, _, m = processed(devset_files()[0])
    assert (m.start_time, m.end_time, m.actual_start, m.actual_end) == ("12:00", "14:00", "12:14", "14:37")
    assert m.number == "4"


@needs_shared
def test_scan_metadata_with_ocr(processed):
    _, _, m = processed(DEVSET / "real" / "r080.pdf", ocr=True)
    assert (m.doc_type, m.date, m.start_time, m.end_time) == ("poytakirja", "2018-06-15", "12:00", "12:24")


@pytest.mark.parametrize("fmt", ["pdf", "docx"])
def test_memo_named_only_inside_and_place_line_ends(layout_case, fmt):
    doc = layout_case("memo_named_inside", fmt).document
    assert doc.doc_type == "muistio"
    assert doc.organ == "Hankkeen projektiryhmä"
    assert doc.place == "Kunnantalo, kokoushuone Kaisla"
    assert (doc.meeting_date, doc.start_time, doc.end_time) == ("2019-03-12", "09:00", "11:00")


@pytest.mark.parametrize("fmt", ["pdf", "docx"])
def test_student_council_organ(layout_case, fmt):
    assert layout_case("attendance_captions", fmt).document.organ == "Edustajisto"
