"""Disqualification (esteellisyys, jäävi) per item: who stepped aside and why."""
from __future__ import annotations

import re

from models.rows import DisqualificationRow
from extractors.paragraphs import Para
from extractors.people import find_people
from extractors.structure import Structure

DISQ_RE = re.compile(r"\b(esteellinen|esteellisenä|esteellisyy\w*|jäävi\w*|jääväsi|jäävää|ilmoitti olevansa esteellinen)\b", re.I)
REASON_RE = re.compile(r"\(([^)]{3,120})\)|(?:syy(?:nä)?|perusteella|koska)\s*:?\s*([^.]{3,160})", re.I)


def extract_disqualifications(doc_id: str, structure: Structure) -> list[DisqualificationRow]:
    rows: list[DisqualificationRow] = []
    for it in structure.items:
        for u in it.units:
            if not isinstance(u, Para) or not DISQ_RE.search(u.text):
                continue
            for sentence in re.split(r"(?<=[.!?])\s+", u.text):
                if not DISQ_RE.search(sentence):
                    continue
                reason = REASON_RE.search(sentence)
                for p in find_people(sentence):
                    rows.append(DisqualificationRow(
                        doc_id=doc_id, item_no=it.no, person=p.person,
                        reason=(reason.group(1) or reason.group(2)).strip() if reason else "",
                        page=u.page, source_text=sentence[:500]))
    return rows
