"""spaCy Finnish NER with Voikko lemmas, batched, linked to items."""
from extractors.entities import entity_lemma, extract_entities, needs_ner
from tests.conftest import devset_files, needs_shared


@needs_shared
def test_entities_on_the_memo(processed, nlp):
    doc, structure, _ = processed(devset_files()[0])
    rows = extract_entities(doc.doc_id, structure, nlp)
    persons = {r.text for r in rows if r.label == "PERSON"}
    assert {"Tero Nissinen", "Pertti Sakaranaho"} <= persons
    first = {}
    for r in rows:
        first.setdefault(r.text, r)
    assert first["Pertti Sakaranaho"].item_no in ("", "5")      # the attendance table, then item 5
    assert first["Pertti Sakaranaho"].lemma == "Pertti Sakaranaho"
    assert all(r.page >= 1 for r in rows)


def test_lemmas_undo_inflection():
    assert entity_lemma("Keminmaan") == "Keminmaa"
    assert entity_lemma("Keminmaan kunnanvirastossa") == "Keminmaan kunnanvirasto"


def test_only_text_with_names_goes_to_the_model():
    assert needs_ner("Kaupunginjohtaja Tero Nissinen avasi kokouksen")
    assert not needs_ner("Hyväksyttiin.")


@needs_shared
def test_cached_texts_give_what_the_model_gives(processed, nlp):
    """The per-process cache of recognised texts answers a repeated document exactly as the
    model did, and a fresh cache (another worker) agrees."""
    import extractors.entities as entities
    doc, structure, _ = processed(devset_files()[0])
    entities._caches.pop(id(nlp), None)
    first = extract_entities(doc.doc_id, structure, nlp)
    assert entities._caches[id(nlp)], "nothing was cached"
    again = extract_entities(doc.doc_id, structure, nlp)           # every text from the cache
    entities._caches.pop(id(nlp), None)
    fresh = extract_entities(doc.doc_id, structure, nlp)
    assert first == again == fresh and first
