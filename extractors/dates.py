"""Date and period rows: every mention in the document, linked to its item."""
from __future__ import annotations

import datetime as dt

from models.rows import DateRow, PeriodRow
from extractors.datetext import find_dates
from extractors.paragraphs import Para, Unit, cell_text
from extractors.structure import Structure
from models.document import Table


def _scoped_texts(structure: Structure, furniture: bool = True) -> list[tuple[str, str, int]]:
    """(item_no, text, page) for every paragraph, table cell and item title (and running header)."""
    out: list[tuple[str, str, int]] = []

    def add(item_no: str, units: list[Unit]) -> None:
        for u in units:
            if isinstance(u, Table):
                for r, row in enumerate(u.rows):
                    page = u.row_pages[r] if r < len(u.row_pages) else u.page
                    out.append((item_no, " | ".join(cell_text(c) for c in row), page))
            elif isinstance(u, Para):
                out.append((item_no, f"{u.caption_text} {u.text}".strip(), u.page))

    for p in structure.furniture if furniture else []:   # running headers carry the meeting date too
        out.append(("", p.text, p.page))
    add("", structure.preamble)
    for it in structure.items:
        if it.head is not None:
            out.append((it.no, it.head.text, it.page))
        elif it.title:
            out.append((it.no, it.title, it.page))
        add(it.no, it.units)
    add(structure.items[-1].no if structure.items else "", structure.closing)
    return out


def extract_dates(doc_id: str, structure: Structure, ref: dt.date | None,
                  default_year: int | None = None) -> tuple[list[DateRow], list[PeriodRow]]:
    """One date row per distinct date (the first mention, with the fullest time), and periods."""
    dates: dict[str, DateRow] = {}
    periods: list[PeriodRow] = []
    seen_periods: set[tuple] = set()
    for item_no, text, page in _scoped_texts(structure):
        for m in find_dates(text, ref, default_year):
            if m.precision != "day":
                key = (m.date, m.date_end, m.precision)
                if key not in seen_periods:
                    seen_periods.add(key)
                    periods.append(PeriodRow(doc_id=doc_id, item_no=item_no, text=m.text, start=m.date,
                                             end=m.date_end, precision=m.precision, page=page,
                                             source_text=text[:500]))
                continue
            row = dates.get(m.date)
            if row is None:
                dates[m.date] = DateRow(doc_id=doc_id, item_no=item_no, text=m.text, date=m.date,
                                        time_start=m.time_start, time_end=m.time_end, date_end=m.date_end,
                                        year_inferred=m.year_inferred, page=page, source_text=text[:500])
                continue
            row.mentions += 1
            if m.time_start and not row.time_start:
                row.time_start, row.time_end = m.time_start, m.time_end
            elif m.time_start and m.time_end and row.time_start == m.time_start and not row.time_end:
                row.time_end = m.time_end
    return list(dates.values()), periods
