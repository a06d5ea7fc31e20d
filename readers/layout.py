"""Layout helpers shared by the PDF and OCR readers: running headers/footers, text clean-up."""
from __future__ import annotations

import re
from collections import Counter

from models.document import Block, Paragraph, Table

# Private-use glyphs of Symbol/Wingdings fonts that PDFs keep as such
_GLYPHS = {"\uf0b7": "•", "\uf0a7": "▪", "\uf076": "❖", "\uf0fc": "✓", "\uf0d8": "➤",
           "\uf0e8": "➤", "\uf0f0": "➤", "\uf0d5": "➤", "\uf0ae": "→", "\u2023": "•"}
_GLYPH_RE = re.compile("|".join(map(re.escape, _GLYPHS)))
BULLET_RE = re.compile(r"^\s*[•▪◦○●■□❖✓\-–—*·]\s+")
PAGE_NUMBER_RE = re.compile(
    r"^\s*(?:sivu\s*)?\d{1,4}\s*(?:\(\s*\d{1,4}\s*\)|/\s*\d{1,4}|\s*\(\d+\)|)\s*$"
    r"|^\s*[-–]\s*\d{1,4}\s*[-–]\s*$|^\s*sivu\s+\d+\s*(?:/|\(|\s)\s*\d*\)?\s*$",
    re.IGNORECASE)
EDGE_FRACTION = 0.09          # a line in the top or bottom 9 % of a page may be furniture


def clean_text(text: str) -> str:
    text = _GLYPH_RE.sub(lambda m: _GLYPHS[m.group(0)], text)
    text = text.replace("\u00ad", "").replace("\u00a0", " ").replace("\ufeff", "")
    return re.sub(r"[ \t]+", " ", text).strip()


def _furniture_key(text: str) -> str:
    return re.sub(r"\d+", "#", text.casefold()).strip()


def split_furniture(blocks: list[Block], page_heights: dict[int, float]) -> tuple[list[Block], list[Paragraph]]:
    """Move running headers and footers (repeated edge lines, page numbers) out of the body."""
    n_pages = len(page_heights)
    edge = [b for b in blocks if isinstance(b, Paragraph) and _at_edge(b, page_heights)]
    counts = Counter()
    for key in {(_furniture_key(b.text), b.page) for b in edge}:
        counts[key[0]] += 1
    exact_counts = Counter(text for text, _ in {(b.text, b.page) for b in edge})
    furniture_ids = set()
    for b in edge:
        key = _furniture_key(b.text)
        repeated = n_pages >= 2 and counts[key] >= max(2, (n_pages + 1) // 2)
        if repeated and "§" in b.text and exact_counts[b.text] < 2:
            repeated = False      # "Kunnanhallitus § 5" opening a page is a heading unless repeated as is
        if repeated or PAGE_NUMBER_RE.match(b.text):
            furniture_ids.add(id(b))
    body = [b for b in blocks if id(b) not in furniture_ids]
    furniture = [b for b in blocks if id(b) in furniture_ids]
    return body, furniture


def _at_edge(p: Paragraph, page_heights: dict[int, float]) -> bool:
    h = page_heights.get(p.page) or 842.0
    return p.top < h * EDGE_FRACTION or p.top > h * (1 - EDGE_FRACTION)


def merge_continued_tables(blocks: list[Block]) -> list[Block]:
    """A table that opens a page and has the column count of the table that closed the previous
    page is the same table continued; its repeated header row is dropped."""
    out: list[Block] = []
    for b in blocks:
        prev = out[-1] if out else None
        if (isinstance(b, Table) and isinstance(prev, Table) and b.page == prev.page + 1
                and b.n_cols == prev.n_cols and b.rows):
            rows = b.rows[1:] if _norm_row(b.rows[0]) == _norm_row(prev.rows[0]) else b.rows
            pages = b.row_pages[len(b.rows) - len(rows):] if b.row_pages else [b.page] * len(rows)
            prev.rows.extend(rows)
            prev.row_pages.extend(pages)
            continue
        out.append(b)
    return out


def _norm_row(row: list[str]) -> list[str]:
    return [re.sub(r"\s+", " ", c or "").strip().casefold() for c in row]
