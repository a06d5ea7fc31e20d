"""One document model for PDF, DOCX and OCR input, so extractors never care about the format.

A document is an ordered list of blocks in reading order: paragraphs (one visual line of a PDF,
one paragraph of a DOCX) and tables (rows of cell texts). Running headers and footers are kept
apart in `Document.furniture` so they never pollute the body but stay available to metadata.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Union


@dataclass
class Paragraph:
    text: str
    page: int                      # 1-based
    bold: bool = False             # most of the text is bold
    heading: int = 0               # heading level from the style or font size, 0 = body text
    list_level: int = -1           # -1: not a list item; 0, 1, ... nesting level
    list_label: str = ""           # the number a word processor would draw ("3.", "b)"), "" if none
    bullet: bool = False           # a bulleted (not numbered) list item
    x0: float = 0.0                # left edge in points (PDF/OCR); 0 for DOCX
    x1: float = 0.0                # right edge (PDF/OCR): a short last line ends a paragraph
    top: float = 0.0               # distance from the page top in points (PDF/OCR)
    in_table_cell: bool = False    # DOCX paragraph flattened out of a layout table
    segments: list[tuple[float, str]] = field(default_factory=list)  # (x0, text) column pieces of a PDF line
    height: float = 0.0            # font size in points (PDF)

    kind = "paragraph"


@dataclass
class Table:
    rows: list[list[str]]          # cell texts; a cell's wrapped lines joined by "\n"
    page: int
    row_pages: list[int] = field(default_factory=list)  # page of each row (tables run across pages)
    x0: float = 0.0
    top: float = 0.0

    kind = "table"

    @property
    def n_cols(self) -> int:
        return max((len(r) for r in self.rows), default=0)


Block = Union[Paragraph, Table]


@dataclass
class Document:
    doc_id: str                    # sha256 of the file's bytes
    source: str                    # path as given
    file_name: str
    format: str                    # "pdf" | "docx"
    pages: int
    blocks: list[Block]
    furniture: list[Paragraph] = field(default_factory=list)  # running headers/footers
    title: str = ""                # from file metadata, when any
    ocr: bool = False

    def paragraphs(self) -> list[Paragraph]:
        return [b for b in self.blocks if isinstance(b, Paragraph)]

    def tables(self) -> list[Table]:
        return [b for b in self.blocks if isinstance(b, Table)]


def readable(path: str | os.PathLike) -> str:
    """A file name or path fit for the store and the terminal. Names that are not UTF-8 (Latin-1
    `päätös.pdf` from an old Windows share) reach Python as surrogate escapes, which no writer
    accepts; they are decoded as Windows-1252, the likeliest encoding of such names."""
    text = os.fspath(path)
    try:
        text.encode("utf-8")
        return text
    except UnicodeEncodeError:
        return text.encode("utf-8", "surrogateescape").decode("cp1252", errors="replace")
