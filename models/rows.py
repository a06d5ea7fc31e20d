"""Row types of the output tables. Every row carries provenance: doc_id, page and source text.

Field order is column order; `models.schema` derives the table schemas from these classes, so a
column is declared exactly once.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Optional


@dataclass
class DocumentRow:
    doc_id: str
    source: str
    file_name: str
    format: str = ""
    doc_type: str = ""
    organ: str = ""
    meeting_number: str = ""
    meeting_date: Optional[str] = None      # YYYY-MM-DD
    start_time: Optional[str] = None        # HH:MM, as scheduled
    end_time: Optional[str] = None
    actual_start: Optional[str] = None      # "Puheenjohtaja avasi kokouksen klo 12.14"
    actual_end: Optional[str] = None
    place: str = ""
    title: str = ""
    pages: int = 0
    status: str = "ok"
    error_type: str = ""
    error: str = ""
    ocr: bool = False
    pipeline_version: str = ""
    settings: str = ""                      # fingerprint of the output-changing settings (ocr, entities)
    schema_version: int = 0
    processed_at: str = ""


@dataclass
class AttendanceRow:
    doc_id: str
    person: str                             # normalised "Etunimi Sukunimi"
    person_written: str = ""                # as written ("Nousiainen Timo")
    role: str = ""                          # title: kaupunginjohtaja, jäsen, ...
    organisation: str = ""
    status: str = "present"
    meeting_role: str = ""
    section: str = ""                       # the list heading it came from (Jäsenet, Muut kutsutut ...)
    substitute_for: str = ""
    remote: str = ""                        # video / phone
    arrived: Optional[str] = None           # HH:MM
    departed: Optional[str] = None
    arrived_item: str = ""
    departed_item: str = ""
    note: str = ""
    page: int = 0
    source_text: str = ""
    row_id: str = ""


@dataclass
class AgendaItemRow:
    doc_id: str
    item_no: str
    title: str
    seq: int = 0                            # position in the document
    printed_no: str = ""                    # the number as printed (web exports print 1. 1. 1.)
    body: str = ""
    page: int = 0
    source_text: str = ""
    row_id: str = ""


@dataclass
class SubItemRow:
    """Sub-items a), b) of an agenda item."""
    doc_id: str
    item_no: str                            # the item they belong to
    label: str
    title: str
    page: int = 0
    row_id: str = ""


@dataclass
class DecisionRow:
    doc_id: str
    item_no: str
    text: str
    stage: str = "decision"                 # proposal | decision
    resolution: str = ""
    resolved_text: str = ""                 # "Hyväksyttiin esitys." -> the proposal's text
    vote_yes: Optional[int] = None
    vote_no: Optional[int] = None
    vote_blank: Optional[int] = None
    vote_absent: Optional[int] = None
    page: int = 0
    source_text: str = ""
    row_id: str = ""


@dataclass
class DateRow:
    doc_id: str
    item_no: str
    text: str                               # the mention as written
    date: Optional[str] = None              # YYYY-MM-DD
    time_start: Optional[str] = None        # HH:MM
    time_end: Optional[str] = None
    date_end: Optional[str] = None          # for ranges such as 13.-14.3.2017
    year_inferred: bool = False
    mentions: int = 1                       # one row per distinct date; how often it is written
    page: int = 0                           # of the first mention
    source_text: str = ""
    row_id: str = ""


@dataclass
class PeriodRow:
    """Weeks and months ("viikolla 4", "6/2017 asti", "12/2020–6/2021"): not day-precise dates."""
    doc_id: str
    item_no: str
    text: str
    start: Optional[str] = None             # YYYY-MM-DD, first day of the period
    end: Optional[str] = None               # first day of the last month/week's Sunday
    precision: str = "month"                # month | week
    page: int = 0
    source_text: str = ""
    row_id: str = ""


@dataclass
class EntityRow:
    doc_id: str
    item_no: str
    text: str
    label: str
    lemma: str = ""
    page: int = 0
    source_text: str = ""
    row_id: str = ""


@dataclass
class DisqualificationRow:
    doc_id: str
    item_no: str
    person: str
    reason: str = ""
    page: int = 0
    source_text: str = ""
    row_id: str = ""


@dataclass
class ErrorRow:
    source: str
    file_name: str
    error_type: str
    message: str
    doc_id: str = ""
    at: str = ""


@dataclass
class SourceRow:
    """Where and when each file was seen: provenance for every document, including copies."""
    source: str
    doc_id: str
    file_name: str
    seen_at: str = ""
    origin: str = ""                        # folder, URL or feed it came from
    archived_as: str = ""                   # <doc_id>.<ext> under the store's archive, when kept


@dataclass
class DocumentVersionRow:
    """A file whose bytes changed at the same source: the old version is recorded, not lost."""
    source: str
    old_doc_id: str
    new_doc_id: str
    replaced_at: str = ""


@dataclass
class HttpStateRow:
    """What a URL last returned, for conditional requests; written with the document it produced."""
    url: str
    doc_id: str = ""
    etag: str = ""
    last_modified: str = ""
    fetched_at: str = ""
