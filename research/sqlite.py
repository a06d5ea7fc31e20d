"""The store as one SQLite file for Datasette: primary and foreign keys so Datasette shows file and
meeting names instead of 64-character doc_ids, one table row per meeting (`meetings`, keyed by
meeting_key, with a readable `label`), organ/date/file on every extracted row, one copy of each
meeting by default, and FTS5 indexes over the text and its Finnish base forms. A metadata.json for
Datasette (facets, labels, search) is written beside it (research/datasette_metadata.py)."""
from __future__ import annotations

import datetime as dt
import json
import os
import re
import sqlite3
import threading
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb

from models.schema import EXPORT_TABLES, TABLES
from research.datasette_metadata import write_metadata
from research.search import lemma_text, parse_query
from research.views import connect

SQLITE_BATCH_ROWS = 5000
PROVENANCE_TABLES = ("sources", "document_versions")      # exported beside the data tables
COPY_VIEWS = ("decisions_full", "attendance_full")         # views with one row per document copy
PEOPLE_VIEWS = ("people", "attendance_summary", "attendance_by_organ")
# Columns every extracted row gets from its meeting, so a row says where it is from without a join
MEETING_COLUMNS = ("meeting_key", "organ", "meeting_date", "year")
# Full-text search: table -> text columns indexed in <table>_fts beside a `lemmas` column (base forms)
SQLITE_FTS = {"agenda_items": ("title", "body"), "decisions": ("item_title", "text")}
FTS_TOKENIZER = "unicode61 remove_diacritics 0"            # 'ä' stays 'ä': päivä is not paiva
NEWEST_FIRST = "meeting_date DESC NULLS LAST, organ"


@dataclass(frozen=True)
class SqliteTable:
    name: str
    sql: str                                   # DuckDB SELECT giving the rows in display order
    pk: tuple[str, ...] = ()                   # () -> an `id INTEGER PRIMARY KEY` in that order
    fks: dict[str, str] = field(default_factory=dict)   # column -> "table(column)"


# -- meetings and labels -------------------------------------------------------------------
# One row per meeting: its primary copy's metadata, how many copies it has, and a readable label
# such as "Perusturvalautakunta 12.9.2017 (§ 1–10)" (a file name when organ or date is unknown).
MEETINGS_SQL = f"""
    WITH r AS (SELECT doc_id, arg_min(item_no, seq) AS first_item, arg_max(item_no, seq) AS last_item
               FROM agenda_items GROUP BY doc_id),
         c AS (SELECT meeting_key, count(*) AS copies,
                      string_agg(file_name, '; ' ORDER BY primary_copy DESC, file_name) AS files
               FROM meetings GROUP BY meeting_key)
    SELECT m.meeting_key,
           CASE WHEN m.meeting_key = m.doc_id THEN m.file_name
                ELSE m.organ || ' ' || coalesce(strftime(TRY_CAST(m.meeting_date AS DATE), '%-d.%-m.%Y'),
                                                 m.meeting_date)
                     || coalesce(' (§ ' || r.first_item
                                 || CASE WHEN r.last_item <> r.first_item THEN '–' || r.last_item ELSE '' END
                                 || ')', '') END AS label,
           m.organ, m.meeting_date, m.year, m.month, m.meeting_number, m.doc_type, m.place,
           m.start_time, m.end_time, m.doc_id, m.file_name, c.copies, c.files, m.pages, m.items,
           m.decisions, m.attendees_present, m.attendees_absent
    FROM meetings m JOIN c USING (meeting_key) LEFT JOIN r USING (doc_id)
    WHERE m.primary_copy
    ORDER BY {NEWEST_FIRST}, m.meeting_key"""

DOCUMENTS_SQL = f"""
    SELECT d.*, m.meeting_key, m.primary_copy
    FROM documents d LEFT JOIN meetings m USING (doc_id)
    ORDER BY d.{NEWEST_FIRST.replace(', organ', ', d.organ')}, d.file_name"""

DOC_FKS = {"doc_id": "documents(doc_id)", "meeting_key": "meetings(meeting_key)"}


def _columns(con: duckdb.DuckDBPyConnection, sql: str) -> list[tuple[str, str]]:
    return [(r[0], r[1]) for r in con.execute(f"DESCRIBE {sql}").fetchall()]


def _per_document_sql(con: duckdb.DuckDBPyConnection, table: str, all_copies: bool) -> str:
    """An extracted table with its meeting's key, organ, date and year in front and the file name
    beside the page; decisions also get their agenda item's title. Rows of one meeting copy only
    unless all_copies; newest meeting first, in document order."""
    own = [c for c, _ in _columns(con, f'SELECT * FROM "{table}"')]
    front = [f"m.{c}" for c in MEETING_COLUMNS if c not in own]
    rest = []
    for c in own:
        if c == "page":
            rest.append("m.file_name")
        if c != "doc_id":
            rest.append(f"t.{c}")
    if "page" not in own:
        rest.append("m.file_name")
    joins = ""
    if table == "decisions":
        joins = ("LEFT JOIN (SELECT doc_id, item_no, arg_min(title, seq) AS item_title, min(seq) AS item_seq "
                 "FROM agenda_items GROUP BY ALL) i ON i.doc_id = t.doc_id AND i.item_no = t.item_no")
        rest.insert(rest.index("t.item_no") + 1, "i.item_title")
    order = [f"m.{c}" for c in ("meeting_date DESC NULLS LAST", "organ", "meeting_key")] + ["t.doc_id"]
    order += ["t.seq"] if "seq" in own else (["i.item_seq"] if joins else [])
    order += ["t.page"] if "page" in own else []
    order.append("t.rowid")
    where = "" if all_copies else "WHERE m.primary_copy"
    return (f'SELECT t.doc_id, {", ".join(front + rest)} FROM "{table}" t '
            f"JOIN meetings m ON m.doc_id = t.doc_id {joins} {where} ORDER BY {', '.join(order)}")


def export_tables(con: duckdb.DuckDBPyConnection, all_copies: bool = False) -> list[SqliteTable]:
    """What the SQLite file holds, as far as this store has it: documents, meetings (one row per
    meeting), the extracted tables, the provenance tables and the research views (bookkeeping such
    as HTTP revalidation state stays out)."""
    found = {r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
    copies = "" if all_copies else "WHERE primary_copy"
    out = [SqliteTable("documents", DOCUMENTS_SQL, pk=("doc_id",), fks={"meeting_key": "meetings(meeting_key)"}),
           SqliteTable("meetings", MEETINGS_SQL, pk=("meeting_key",), fks={"doc_id": "documents(doc_id)"})]
    for name in EXPORT_TABLES:
        if name == "documents" or name in PROVENANCE_TABLES or name not in found:
            continue
        if TABLES[name].key == ("doc_id",):
            out.append(SqliteTable(name, _per_document_sql(con, name, all_copies), fks=DOC_FKS))
        else:
            fks = {"doc_id": "documents(doc_id)"} if "doc_id" in TABLES[name].columns else {}
            out.append(SqliteTable(name, f'SELECT * FROM "{name}"', pk=TABLES[name].key, fks=fks))
    for name in PROVENANCE_TABLES:
        if name in found:
            pk = TABLES[name].key if TABLES[name].unique else ()
            fks = {"doc_id": "documents(doc_id)"} if "doc_id" in TABLES[name].columns else {}
            out.append(SqliteTable(name, f'SELECT * FROM "{name}"', pk=pk, fks=fks))
    person = {"person_id": "people(person_id)"}
    for name in COPY_VIEWS:
        if name in found:
            out.append(SqliteTable(name, f"SELECT * FROM {name} {copies} ORDER BY {NEWEST_FIRST}, doc_id, page",
                                   fks={**DOC_FKS, **(person if name == "attendance_full" else {})}))
    if "people" in found:
        out.append(SqliteTable("people", "SELECT * FROM people ORDER BY name", pk=("person_id",)))
        out.append(SqliteTable("attendance_summary", "SELECT * FROM attendance_summary ORDER BY attended DESC, name",
                               pk=("person_id",), fks=person))
        out.append(SqliteTable("attendance_by_organ", "SELECT * FROM attendance_by_organ ORDER BY organ, name",
                               pk=("person_id", "organ"), fks=person))
    return out


# -- SQLite values -------------------------------------------------------------------------
def _sqlite_type(duck_type: str) -> str:
    t = duck_type.upper()
    if t in ("BOOLEAN",) or any(t.startswith(p) for p in ("TINYINT", "SMALLINT", "INTEGER", "BIGINT",
                                                          "HUGEINT", "UTINYINT", "USMALLINT", "UINTEGER",
                                                          "UBIGINT")):
        return "INTEGER"
    if any(t.startswith(p) for p in ("DOUBLE", "FLOAT", "REAL", "DECIMAL")):
        return "REAL"
    return "TEXT"


def _sqlite_value(v: Any) -> Any:
    if isinstance(v, bool):
        return int(v)
    if isinstance(v, (list, dict, tuple)):
        return json.dumps(v, ensure_ascii=False, default=str)
    if isinstance(v, (dt.date, dt.datetime, dt.time)):
        return v.isoformat()
    return v


def create_sql(spec: SqliteTable, cols: list[tuple[str, str]]) -> str:
    """CREATE TABLE with the primary key (or an integer id in row order) and foreign keys."""
    decl = [] if spec.pk else ['"id" INTEGER PRIMARY KEY']
    decl += [f'"{n}" {_sqlite_type(t)}{" NOT NULL" if n in spec.pk else ""}' for n, t in cols]
    if spec.pk:
        decl.append(f'PRIMARY KEY ({", ".join(chr(34) + c + chr(34) for c in spec.pk)})')
    names = {n for n, _ in cols}
    decl += [f'FOREIGN KEY ("{c}") REFERENCES {ref}' for c, ref in spec.fks.items() if c in names]
    return f'CREATE TABLE "{spec.name}" ({", ".join(decl)})'


def _copy(con: duckdb.DuckDBPyConnection, db: sqlite3.Connection, spec: SqliteTable) -> tuple[int, list[str]]:
    cols = _columns(con, spec.sql)
    db.execute(create_sql(spec, cols))
    names = [n for n, _ in cols]
    insert = (f'INSERT INTO "{spec.name}" ({", ".join(chr(34) + n + chr(34) for n in names)}) '
              f'VALUES ({", ".join("?" * len(names))})')
    cur = con.execute(spec.sql)
    n = 0
    while batch := cur.fetchmany(SQLITE_BATCH_ROWS):
        db.executemany(insert, [[_sqlite_value(v) for v in r] for r in batch])
        n += len(batch)
    for col in ("doc_id", "meeting_key", "person_id", "row_id"):
        if col in names and (col,) != spec.pk:
            db.execute(f'CREATE INDEX "idx_{spec.name}_{col}" ON "{spec.name}" ("{col}")')
    return n, names


def _index_text(db: sqlite3.Connection, table: str, text_cols: tuple[str, ...]) -> None:
    """<table>_fts: the text columns as written plus `lemmas`, every Voikko base form and compound
    part of them (the rules of `minutes search`), rowid = the table's id."""
    cols = [*text_cols, "lemmas"]
    col_list = ", ".join(f"[{c}]" for c in cols)
    db.execute(f"CREATE VIRTUAL TABLE [{table}_fts] USING FTS5 ({col_list}, tokenize='{FTS_TOKENIZER}')")
    read = db.execute(f"SELECT id, {', '.join(f'[{c}]' for c in text_cols)} FROM [{table}]")
    while batch := read.fetchmany(SQLITE_BATCH_ROWS):
        db.executemany(f"INSERT INTO [{table}_fts] (rowid, {col_list}) VALUES ({', '.join('?' * (len(cols) + 1))})",
                       [(r[0], *r[1:], lemma_text(" ".join(str(v or "") for v in r[1:]))) for r in batch])


def export_sqlite(store_dir: str | Path, out_path: str | Path, all_copies: bool = False) -> dict[str, int]:
    """The store as one SQLite file for Datasette, and metadata.json beside it
    (`datasette minutes.sqlite -m metadata.json`). Extracted rows and the decisions_full and
    attendance_full views hold one copy per meeting (its primary copy) unless all_copies; documents
    lists every file. Written beside and renamed into place. Returns rows per table."""
    out = Path(out_path)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f".{out.name}.tmp")
    tmp.unlink(missing_ok=True)
    counts: dict[str, int] = {}
    columns: dict[str, list[str]] = {}
    with closing(connect(store_dir)) as con, closing(sqlite3.connect(tmp)) as db:
        specs = export_tables(con, all_copies)
        for spec in specs:
            counts[spec.name], names = _copy(con, db, spec)
            columns[spec.name] = names if spec.pk else ["id", *names]
        for table, text_cols in SQLITE_FTS.items():
            if table in columns:
                _index_text(db, table, text_cols)
        db.commit()
    os.replace(tmp, out)
    write_metadata(out, {s.name: columns[s.name] for s in specs}, fts={t: f"{t}_fts" for t in SQLITE_FTS if t in columns},
                   all_copies=all_copies)
    return counts


# -- Datasette's search box in base forms --------------------------------------------------
_FTS_BITS = re.compile(r'\s+|(".*?")')         # how Datasette's escape_fts splits a query
_LEMMA_LOCK = threading.Lock()                 # Voikko's handle is not thread-safe; Datasette has threads


def _quote(term: str) -> str:
    return '"' + term.replace('"', '""') + '"'


def fts_query(text: str) -> str:
    """An FTS5 query in which each typed word also matches its base forms (as `minutes search`
    reads it): 'kotihoidossa' -> ("kotihoidossa" OR "kotihoito"), matched against the text and the
    `lemmas` column; every word must match. Quoted phrases stay as typed, 'word*' is a prefix. A drop-in for Datasette's
    escape_fts, which the minutes Datasette plugin replaces with it."""
    if text.count('"') % 2:
        text += '"'
    out = []
    for bit in _FTS_BITS.split(text):
        if not bit or bit == '""':
            continue
        if bit.startswith('"'):
            out.append(bit)
            continue
        with _LEMMA_LOCK:
            words = parse_query(bit)
        if not words:
            out.append(_quote(bit))
            continue
        for w in words:
            if w.prefix:
                out.append(f"{_quote(w.terms[0])} *")
                continue
            alts = [_quote(t) for t in dict.fromkeys([w.text.lower(), *w.terms])]
            out.append(alts[0] if len(alts) == 1 else f"({' OR '.join(alts)})")
    return " AND ".join(out)          # FTS5 allows no implicit AND after a parenthesised group


def fi_lemmas(text: str | None) -> str:
    """SQL function fi_lemmas(text): the base forms and compound parts `lemmas` columns hold."""
    with _LEMMA_LOCK:
        return lemma_text(text or "")
