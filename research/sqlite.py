"""Every table and view of the store as one SQLite file for Datasette, with FTS5 indexes whose
`lemmas` column holds Finnish base forms."""
from __future__ import annotations

import datetime as dt
import json
import os
import sqlite3
from contextlib import closing
from pathlib import Path
from typing import Any

import duckdb

from models.schema import EXPORT_TABLES
from research.search import lemma_text
from research.views import VIEWS, connect

SQLITE_BATCH_ROWS = 5000
PROVENANCE_TABLES = ("sources", "document_versions")      # exported to SQLite beside the data tables
# Datasette full-text search: table -> columns indexed by FTS5 (plus the lemmas column added on export)
SQLITE_FTS = {"agenda_items": ("title", "body"), "decisions": ("text",),
              "decisions_full": ("item_title", "text")}
SQLITE_LEMMA_SOURCE = {"agenda_items": ("title", "body"), "decisions": ("text",),
                       "decisions_full": ("item_title", "text")}



# -- SQLite for Datasette ------------------------------------------------------------------
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


def export_tables(con: duckdb.DuckDBPyConnection) -> list[str]:
    """The tables `minutes run` exports, the provenance tables and every research view, as far as
    this store has them (bookkeeping such as HTTP revalidation state stays out)."""
    found = {r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
    return [t for t in (*EXPORT_TABLES, *PROVENANCE_TABLES, *VIEWS) if t in found]


def export_sqlite(store_dir: str | Path, out_path: str | Path) -> dict[str, int]:
    """All tables and views as one SQLite file for Datasette (`datasette minutes.sqlite`), with FTS5
    indexes on agenda item titles/bodies and decision texts. A `lemmas` column holds the base forms,
    so `kotihoito` finds 'kotihoidon'. Written beside and renamed into place. Returns rows per table."""
    out = Path(out_path)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f".{out.name}.tmp")
    tmp.unlink(missing_ok=True)
    counts: dict[str, int] = {}
    with closing(connect(store_dir)) as con, closing(sqlite3.connect(tmp)) as db:
        for table in export_tables(con):
            cols = con.execute(f'DESCRIBE SELECT * FROM "{table}"').fetchall()
            names = [c[0] for c in cols]
            lemma_cols = SQLITE_LEMMA_SOURCE.get(table, ())
            decl = [f'"{n}" {_sqlite_type(t)}' for n, t, *_ in cols]
            if lemma_cols:
                decl.append('"lemmas" TEXT')
            db.execute(f'CREATE TABLE "{table}" ({", ".join(decl)})')
            width = len(names) + (1 if lemma_cols else 0)
            insert = f'INSERT INTO "{table}" VALUES ({", ".join("?" * width)})'
            idx = [names.index(c) for c in lemma_cols]
            cur = con.execute(f'SELECT * FROM "{table}"')
            n = 0
            while True:
                batch = cur.fetchmany(SQLITE_BATCH_ROWS)
                if not batch:
                    break
                rows = []
                for r in batch:
                    row = [_sqlite_value(v) for v in r]
                    if lemma_cols:
                        row.append(lemma_text(" ".join(str(r[i] or "") for i in idx)))
                    rows.append(row)
                db.executemany(insert, rows)
                n += len(batch)
            counts[table] = n
            for col in ("doc_id", "person_id", "meeting_key"):
                if col in names:
                    db.execute(f'CREATE INDEX "idx_{table}_{col}" ON "{table}" ("{col}")')
        for table, fts_cols in SQLITE_FTS.items():
            cols = [*fts_cols, "lemmas"]
            col_list = ", ".join(f"[{c}]" for c in cols)
            db.execute(f"CREATE VIRTUAL TABLE [{table}_fts] USING FTS5 ({col_list}, "
                       f"tokenize='unicode61 remove_diacritics 0', content=[{table}])")
            db.execute(f"INSERT INTO [{table}_fts] (rowid, {col_list}) SELECT rowid, {col_list} FROM [{table}]")
        db.commit()
    os.replace(tmp, out)
    return counts
