"""Named entities with spaCy's Finnish pipeline, batched with nlp.pipe, each linked to its item.

Only paragraphs that can hold a name (a capitalised word after the first) go through the model.
Lemmas come from Voikko, the analyser spaCy's Finnish lemmatizer itself wraps, so the slow
tagger/parser/lemmatizer components can stay unloaded.
"""
from __future__ import annotations

import re

from models.rows import EntityRow
from extractors.finnish import lemma
from extractors.mentions import _scoped_texts
from extractors.structure import Structure

CAPITAL_AFTER_FIRST_RE = re.compile(r"\S\s+[\"'(«]?[A-ZÅÄÖ]")
BATCH_SIZE = 64
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
    texts = [t for _, t, _ in scoped]
    for (item_no, text, page), sdoc in zip(scoped, nlp.pipe(texts, batch_size=BATCH_SIZE)):
        for ent in sdoc.ents:
            value = ent.text.strip()
            if len(value) < 2:
                continue
            rows.append(EntityRow(doc_id=doc_id, item_no=item_no, text=value, label=ent.label_,
                                  lemma=entity_lemma(value), page=page, source_text=text[:300]))
    return rows
