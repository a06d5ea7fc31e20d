"""Named entities with spaCy's Finnish pipeline, batched with nlp.pipe, each linked to its item.

Only paragraphs that can hold a name (a capitalised word after the first) go through the model.
Lemmas come from Voikko, the analyser spaCy's Finnish lemmatizer itself wraps, so the slow
tagger/parser/lemmatizer components can stay unloaded.
"""
from __future__ import annotations

import re
import threading
from collections import OrderedDict

from models.rows import EntityRow
from extractors.finnish import lemma
from extractors.dates import _scoped_texts
from extractors.structure import Structure

CAPITAL_AFTER_FIRST_RE = re.compile(r"\S\s+[\"'(«]?[A-ZÅÄÖ]")
BATCH_SIZE = 64
CACHE_TEXTS = 4096            # recognised texts remembered per process (a few MB at most)
_caches: dict[int, OrderedDict] = {}
_lock = threading.Lock()      # memory_zone frees strings other threads' documents may still hold
MAX_TEXT_CHARS = 5000


def needs_ner(text: str) -> bool:
    return bool(CAPITAL_AFTER_FIRST_RE.search(text))


def entity_lemma(text: str) -> str:
    """Inflection sits on the last word ("Keminmaan kunnanvirastossa" -> "Keminmaan kunnanvirasto");
    a capitalised name stays capitalised."""
    parts = text.split()
    last = lemma(parts[-1])
    if parts[-1][:1].isupper():
        last = last[:1].upper() + last[1:]
    return " ".join(parts[:-1] + [last])


def extract_entities(doc_id: str, structure: Structure, nlp) -> list[EntityRow]:
    scoped = [(item_no, text[:MAX_TEXT_CHARS], page) for item_no, text, page in _scoped_texts(structure, furniture=False)
              if needs_ner(text)]
    rows: list[EntityRow] = []
    found = _recognise(nlp, [t for _, t, _ in scoped])
    for item_no, text, page in scoped:
        for value, label in found[text]:
            rows.append(EntityRow(doc_id=doc_id, item_no=item_no, text=value, label=label,
                                  lemma=entity_lemma(value), page=page, source_text=text[:300]))
    return rows


def _recognise(nlp, texts: list[str]) -> dict[str, tuple[tuple[str, str], ...]]:
    """(entity, label) pairs of each distinct text. A text seen before by this process (appeal
    instructions, signature lines, standing formulas recur across a municipality's minutes) is
    answered from a bounded cache; the rest go through nlp.pipe in batches. One thread at a time:
    documents in threads of one process (Dask, --workers 0) share nlp and the cache."""
    with _lock:
        cache = _caches.setdefault(id(nlp), OrderedDict())
        found = {text: cache[text] for text in dict.fromkeys(texts) if text in cache}
        for text in found:
            cache.move_to_end(text)
        todo = [text for text in dict.fromkeys(texts) if text not in found]
        with nlp.memory_zone():      # the strings these texts add to the vocabulary are freed after
            for text, sdoc in zip(todo, nlp.pipe(todo, batch_size=BATCH_SIZE)):
                found[text] = cache[text] = tuple((e.text.strip(), e.label_) for e in sdoc.ents
                                                  if len(e.text.strip()) >= 2)
                if len(cache) > CACHE_TEXTS:
                    cache.popitem(last=False)
        return found
