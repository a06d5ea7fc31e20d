"""Agenda items and sub-items as rows, from the document structure."""
from __future__ import annotations

import re

from models.rows import AgendaItemRow, SubItemRow
from extractors.structure import Structure

ATTACHMENT_TAIL_RE = re.compile(r"\s+(?:-|\d+\s*kpl)$")
MAX_BODY_CHARS = 20_000


def extract_agenda_items(doc_id: str, structure: Structure) -> list[AgendaItemRow]:
    rows = []
    for seq, it in enumerate(structure.items, start=1):
        title = ATTACHMENT_TAIL_RE.sub("", it.title).strip()
        rows.append(AgendaItemRow(doc_id=doc_id, item_no=it.no, title=title, seq=seq,
                                  printed_no=it.printed, body=it.body_text()[:MAX_BODY_CHARS],
                                  page=it.page, source_text=(it.head.text if it.head else it.title)[:500]))
    return rows


def extract_sub_items(doc_id: str, structure: Structure) -> list[SubItemRow]:
    return [SubItemRow(doc_id=doc_id, item_no=it.no, label=s.label, title=s.title, page=s.page)
            for it in structure.items for s in it.sub_items]
