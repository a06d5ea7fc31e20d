"""Agenda items on real documents: numbered lines, § tables (Tweb), Word auto-numbering, OCR."""
import pytest

from extractors.agenda import extract_agenda_items, extract_sub_items
from tests.conftest import DEVSET, devset_files, gold_for, real_files, needs_shared


def _norm(s: str) -> str:
    return " ".join(s.replace("- ", "-").split()).casefold()


CASES = devset_files() + [p for p in real_files() if p.stem != "r080"]


@pytest.mark.parametrize("path", CASES, ids=lambda p: p.name)
def test_items_match_gold(path, processed):
    doc, structure, _ = processed(path)
    rows = extract_agenda_items(doc.doc_id, structure)
    required = [g for g in gold_for(path)["agenda_items"] if not g.get("optional")]
    got = {r.item_no: _norm(r.title) for r in rows}
    for g in required:
        assert g["item_no"] in got, g
        assert got[g["item_no"]].startswith(_norm(g["title"])[:40]), (g, got[g["item_no"]])
    numbered = [r for r in rows if r.item_no]
    assert len(numbered) == len({r.item_no for r in numbered}), "no duplicate item numbers"


@needs_shared
def test_scanned_record_items_with_ocr(processed):
    path = DEVSET / "real" / "r080.pdf"
    doc, structure, _ = processed(path, ocr=True)
    got = [r.item_no for r in extract_agenda_items(doc.doc_id, structure)]
    assert got == [str(n) for n in range(1, 18)]


@needs_shared
def test_word_auto_numbering_gives_numbers_python_docx_does_not_show(ingested):
    doc = ingested(DEVSET / "real" / "r087.docx")
    labels = [b.list_label for b in doc.blocks if getattr(b, "bold", False) and b.list_label]
    assert labels == [f"{n}." for n in range(1, 19)]


@needs_shared
def test_inner_numbered_list_is_not_items(processed):
    """Item 6 of the memo holds its own 1.-6. programme: no phantom items, item 7 still found."""
    doc, structure, _ = processed(devset_files()[0])
    rows = extract_agenda_items(doc.doc_id, structure)
    assert [r.item_no for r in rows] == [str(n) for n in range(1, 13)]
    assert "Tilaisuuden avauspuheenvuoro" in rows[5].body


@needs_shared
def test_sub_items_belong_to_their_item(processed):
    doc, structure, _ = processed(devset_files()[0])
    subs = extract_sub_items(doc.doc_id, structure)
    assert [(s.item_no, s.label) for s in subs] == [("5", c) for c in "abcdef"]
    assert subs[1].title.startswith("Saarenvire tulevalla")


@needs_shared
def test_item_body_and_page_kept(processed):
    doc, structure, _ = processed(DEVSET / "sote-johtoryhma-2017-01-18.pdf")
    rows = {r.item_no: r for r in extract_agenda_items(doc.doc_id, structure)}
    assert rows["1"].page == 1 and rows["9"].page == 6
    assert "Hyväksyttiin." in rows["2"].body


FORMATS = ["pdf", "docx"]
# (layout case of tests/layouts.py, expected (item_no, title start) in order)
LAYOUT_ITEMS = [
    ("contents_liite_asia", [("41", "Kokouksen laillisuus"), ("42", "Asemakaavan muutos"), ("44", "Vuokrasopimuksen")]),
    ("contents_asian_no", [("12", "Katuvalojen"), ("13", "Lumityöurakan"), ("14", "Muut asiat")]),
    ("contents_extra_column", [("101", "Tilinpäätös 2018"), ("102", "Henkilöstöraportti"), ("103", "Muut asiat")]),
    ("contents_title_page", [("15", "KOKOUKSEN LAILLISUUS"), ("16", "ARVIOINTIKERTOMUS"), ("17", "MUUT ASIAT")]),
    ("bare_numbers", [("1", "Kokouksen avaus"), ("2", "Edellisen kokouksen"), ("4", "Pihan kunnostus"),
                      ("5", "Kokouksen päättäminen")]),
    ("headings_in_table_rows", [("190", "Kokouksen avaus"), ("191", "Talousarvion"), ("192", "Muut asiat")]),
    ("dated_history_heads", [("1", "Kokouksen avaus"), ("2", "Koulukuljetus"), ("3", "Muut asiat")]),
]


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("case,expected", LAYOUT_ITEMS, ids=[c for c, _ in LAYOUT_ITEMS])
def test_items_in_unseen_layouts(layout_case, case, expected, fmt):
    """Contents tables in other column orders, skipped numbers, bare numbers, headings laid out
    as table rows and Dynasty's dated headings all give the same items in PDF and DOCX."""
    rows = layout_case(case, fmt).tables["agenda_items"]
    got = [(r.item_no, r.title) for r in rows]
    assert [no for no, _ in got] == [no for no, _ in expected], got
    for (_, title), (_, start) in zip(got, expected):
        assert title.startswith(start), (title, start)


def test_scanned_para_sign_read_as_8(tmp_path):
    """tesseract reads '§ 1' as '8 1' or '$ 1': a scan of §-numbered minutes still has its items."""
    from readers.ocr import ocr_available
    from runner.process import process_document
    from models.settings import Settings
    from tests.layouts import render, scan_of
    if not ocr_available():
        pytest.skip("tesseract-ocr with Finnish is not installed (scripts/setup.sh --with-ocr)")
    scan = scan_of(render("headerless_name_table", tmp_path)["pdf"], tmp_path / "scan.pdf")
    result = process_document(scan, Settings(ocr=True, entities=False))
    assert result.document.ocr
    assert [(r.item_no, r.title) for r in result.tables["agenda_items"]] == [("1", "Kokouksen avaus"), ("2", "Muut asiat")]
