"""metadata.json for Datasette beside an exported SQLite file: title and source, what each table
holds, column descriptions (the comments of models/rows.py), the label column that names a row
where a foreign key points at it, facets, the default sort and the full-text table to search."""
from __future__ import annotations

import inspect
import json
import os
import re
from pathlib import Path

from models.schema import TABLES

METADATA_FILE = "metadata.json"
TITLE = "minutes: Finnish meeting documents"
SOURCE = "minutes export --format sqlite"
FACET_COLUMNS = ("organ", "year", "doc_type", "resolution", "stage", "status", "meeting_role", "label",
                 "error_type", "precision", "format")
FACETS_MAX = 4                                 # Datasette shows each facet as a box: a few, not all
# the column Datasette shows instead of a key when another table points at a row
LABEL_COLUMNS = {"documents": "file_name", "meetings": "label", "people": "name", "agenda_items": "title"}
SORT_DESC = {"documents": "meeting_date", "meetings": "meeting_date"}

TABLE_DESCRIPTIONS = {
    "documents": "One row per file (PDF or DOCX), every copy; meeting_key says which meeting it belongs "
                 "to and primary_copy which copy speaks for it.",
    "meetings": "One row per meeting (documents sharing organ and date), described by its primary copy "
                "(minutes before memo before agenda, PDF before DOCX); label names it.",
    "attendance": "One row per person listed in a meeting.",
    "agenda_items": "One row per agenda item (§), with its meeting, organ, date, file and page. "
                    "Search finds Finnish inflected forms: every word also matches its base forms.",
    "sub_items": "Sub-items a), b) of an agenda item.",
    "decisions": "One row per proposal or decision of an item, with its item title, meeting, file and page.",
    "dates": "One row per distinct date mentioned in a document.",
    "periods": "Weeks and months mentioned (not day-precise dates).",
    "entities": "Named entities found by spaCy.",
    "disqualifications": "Persons disqualified from an item (esteellisyys).",
    "errors": "Files that could not be read, with the reason and what to do.",
    "sources": "Where and when each file was seen.",
    "document_versions": "Earlier versions of a source whose bytes changed.",
    "decisions_full": "Decisions with their item title and meeting (the store's research view).",
    "attendance_full": "Attendance with one identity per person (person_id) and the meeting.",
    "people": "One row per person identity, with the spellings seen.",
    "attendance_summary": "Meetings attended, absent and chaired per person.",
    "attendance_by_organ": "Meetings attended, absent and chaired per person and organ.",
}
ADDED_COLUMNS = {
    "id": "row number in the export (newest meeting first, document order); row_id is the stable id",
    "meeting_key": "the meeting: lower-case organ and date, or the doc_id when either is unknown",
    "label": "the meeting as people name it: organ, date and the § range of its items",
    "year": "year of the meeting",
    "month": "month of the meeting (YYYY-MM)",
    "primary_copy": "1 for the copy that speaks for its meeting",
    "copies": "how many files hold this meeting (PDF and DOCX, agenda and minutes)",
    "files": "the files of this meeting, primary copy first",
    "items": "agenda items in the primary copy",
    "item_title": "title of the agenda item",
    "file_name": "the file this row was read from",
}


def column_docs() -> dict[str, dict[str, str]]:
    """table -> column -> the comment written beside the field in models/rows.py."""
    out: dict[str, dict[str, str]] = {}
    for name, spec in TABLES.items():
        found = re.findall(r"^\s+(\w+):[^#\n]*#\s*(.+)$", inspect.getsource(spec.row_type), re.M)
        out[name] = {col: doc.strip() for col, doc in found}
    return out


def table_metadata(columns: dict[str, list[str]], fts: dict[str, str]) -> dict[str, dict]:
    """Datasette's per-table settings for the exported tables (table -> its column names)."""
    docs = column_docs()
    out = {}
    for table, cols in columns.items():
        meta: dict = {"description": TABLE_DESCRIPTIONS.get(table, "")}
        base = "attendance" if table == "attendance_full" else "decisions" if table == "decisions_full" else table
        described = {c: docs.get(base, {}).get(c) or ADDED_COLUMNS.get(c) for c in cols}
        meta["columns"] = {c: d for c, d in described.items() if d}
        if table in LABEL_COLUMNS and LABEL_COLUMNS[table] in cols:
            meta["label_column"] = LABEL_COLUMNS[table]
        facets = [c for c in FACET_COLUMNS if c in cols and not (c == "label" and table == "meetings")]
        if facets:
            meta["facets"] = facets[:FACETS_MAX]
        if table in SORT_DESC:
            meta["sort_desc"] = SORT_DESC[table]
        if table in fts:
            meta["fts_table"] = fts[table]
            meta["fts_pk"] = "id"
        out[table] = meta
    return out


def write_metadata(db_path: Path, columns: dict[str, list[str]], fts: dict[str, str],
                   all_copies: bool = False) -> Path:
    """Write (or update) metadata.json beside db_path: this database's entry is replaced, other
    databases' entries and other keys already in the file are kept. Returns its path."""
    path = db_path.with_name(METADATA_FILE)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        data = data if isinstance(data, dict) else {}
    except (OSError, ValueError):
        data = {}
    copies = "every copy of each meeting" if all_copies else "one copy per meeting (its primary copy)"
    data.setdefault("title", TITLE)
    data.setdefault("source", SOURCE)
    data.setdefault("description", "Tables read from Finnish meeting documents by minutes; every row says "
                                   "which file and page it came from.")
    data.setdefault("databases", {})[db_path.stem] = {
        "description": f"Extracted rows hold {copies}.",
        "tables": table_metadata(columns, fts),
    }
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    os.replace(tmp, path)
    return path
