"""The research views over the store (meetings, decisions_full, attendance_full, people,
attendance_summary, attendance_by_organ) and read-only access to it: `connect` and `query`.

Reading never needs write access: read paths open the store read-only and, when the views are not
in the file yet (a store made before they existed), create them as TEMP views for that connection.
Only the search index is written into the store, lazily, for documents not indexed yet.

`query` runs a researcher's SQL with DuckDB's external access off and the configuration locked:
no COPY ... TO, no read_text('/etc/passwd'), no ATTACH, no INSTALL, and no SET that undoes it,
unless the caller allows files (`minutes query --allow-files`)."""
from __future__ import annotations

from contextlib import closing
from pathlib import Path

import duckdb

from research.people import PEOPLE_TABLE, refresh_people
from store.database import STORE_FILE, open_duckdb

DOC_TYPE_ORDER = ("poytakirja", "muistio", "other", "esityslista")   # which copy speaks for a meeting

VIEWS_VERSION = 1                # bump when a view changes: older stores get TEMP views until their next run
VIEWS_META_KEY = "research_views_version"
VIEWS = ("meetings", "decisions_full", "attendance_full", "people", "attendance_summary",
         "attendance_by_organ")
# A query that may not touch files: the store's tables and views only, and no SET that undoes it
NO_FILES_CONFIG = {"enable_external_access": False, "lock_configuration": True}
ALLOW_FILES_HINT = ("`minutes query` reads only the store; add --allow-files to let a query read or "
                    "write files, attach databases or install extensions")

# -- SQL -----------------------------------------------------------------------------------
# Documents of one meeting (agenda and minutes, PDF and DOCX copies) share a meeting_key.
MEETING_KEY_SQL = ("CASE WHEN d.organ <> '' AND d.meeting_date IS NOT NULL "
                   "THEN lower(d.organ) || ' ' || d.meeting_date ELSE d.doc_id END")
# The same normalisation as `slug()`, for names written after people were last refreshed.
SLUG_SQL = "trim(regexp_replace(lower(strip_accents({x})), '[^a-z0-9]+', '-', 'g'), '-')"

_DOC_TYPE_RANK = " ".join(f"WHEN '{t}' THEN {n}" for n, t in enumerate(DOC_TYPE_ORDER))

_VIEW_SQL = {
    "meetings": f"""
        WITH base AS (
            SELECT d.doc_id, {MEETING_KEY_SQL} AS meeting_key, d.organ, d.meeting_date,
                   TRY_CAST(substr(d.meeting_date, 1, 4) AS INTEGER) AS year,
                   substr(d.meeting_date, 1, 7) AS month,
                   d.meeting_number, d.doc_type, d.place, d.start_time, d.end_time,
                   d.file_name, d.source, d.format, d.pages,
                   coalesce(i.n, 0) AS items, coalesce(x.n, 0) AS decisions,
                   coalesce(a.present, 0) AS attendees_present, coalesce(a.absent, 0) AS attendees_absent
            FROM documents d
            LEFT JOIN (SELECT doc_id, count(*) AS n FROM agenda_items GROUP BY doc_id) i ON i.doc_id = d.doc_id
            LEFT JOIN (SELECT doc_id, count(*) AS n FROM decisions WHERE stage = 'decision'
                       GROUP BY doc_id) x ON x.doc_id = d.doc_id
            LEFT JOIN (SELECT doc_id, count(*) FILTER (WHERE status = 'present') AS present,
                              count(*) FILTER (WHERE status = 'absent') AS absent
                       FROM attendance GROUP BY doc_id) a ON a.doc_id = d.doc_id
            WHERE d.status = 'ok')
        SELECT doc_id, meeting_key,
               row_number() OVER (PARTITION BY meeting_key
                                  ORDER BY CASE doc_type {_DOC_TYPE_RANK} ELSE 9 END, decisions DESC,
                                           items DESC, attendees_present DESC,
                                           CASE format WHEN 'pdf' THEN 0 ELSE 1 END, doc_id) = 1 AS primary_copy,
               organ, meeting_date, year, month, meeting_number, doc_type, place, start_time, end_time,
               file_name, source, pages, items, decisions, attendees_present, attendees_absent
        FROM base""",
    "decisions_full": """
        SELECT x.doc_id, x.item_no, i.seq AS item_seq, i.title AS item_title, m.organ, m.meeting_date,
               m.year, m.meeting_number, m.doc_type, m.meeting_key, m.primary_copy, m.file_name, m.source,
               x.page, x.stage, x.resolution, x.text, x.resolved_text,
               x.vote_yes, x.vote_no, x.vote_blank, x.vote_absent, x.row_id
        FROM decisions x
        JOIN meetings m ON m.doc_id = x.doc_id
        LEFT JOIN agenda_items i ON i.doc_id = x.doc_id AND i.item_no = x.item_no""",
    "attendance_full": f"""
        SELECT a.doc_id, coalesce(k.person_id, {SLUG_SQL.format(x='a.person')}) AS person_id,
               coalesce(k.person_name, a.person) AS person_name, a.person, a.person_written, a.role,
               a.organisation, a.status, a.meeting_role, a.substitute_for, a.remote,
               m.organ, m.meeting_date, m.meeting_key, m.primary_copy, m.doc_type, m.file_name, a.page, a.row_id
        FROM attendance a
        JOIN meetings m ON m.doc_id = a.doc_id
        LEFT JOIN {PEOPLE_TABLE} k ON k.person = a.person
        WHERE a.person <> ''""",
    "people": """
        SELECT person_id, mode(person_name) AS name,
               string_agg(DISTINCT person, '; ' ORDER BY person) AS variants,
               string_agg(DISTINCT nullif(person_written, ''), '; ' ORDER BY nullif(person_written, ''))
                   AS written_forms,
               string_agg(DISTINCT nullif(role, ''), '; ' ORDER BY nullif(role, '')) AS roles,
               string_agg(DISTINCT nullif(organ, ''), '; ' ORDER BY nullif(organ, '')) AS organs,
               count(DISTINCT doc_id) AS documents, count(DISTINCT meeting_key) AS meetings,
               min(meeting_date) AS first_meeting, max(meeting_date) AS last_meeting
        FROM attendance_full
        GROUP BY person_id""",
    "attendance_summary": """
        WITH per_meeting AS (
            SELECT person_id, meeting_key, any_value(organ) AS organ, min(meeting_date) AS meeting_date,
                   bool_or(status = 'present') AS present,
                   bool_or(status = 'absent') AND NOT bool_or(status = 'present') AS absent,
                   bool_or(status = 'present' AND meeting_role = 'chair') AS chaired
            FROM attendance_full GROUP BY person_id, meeting_key)
        SELECT pm.person_id, p.name, count(*) AS meetings,
               count(*) FILTER (WHERE present) AS attended,
               count(*) FILTER (WHERE absent) AS absent,
               count(*) FILTER (WHERE chaired) AS chaired,
               round(count(*) FILTER (WHERE present)
                     / nullif(count(*) FILTER (WHERE present OR absent), 0), 3) AS attendance_rate,
               string_agg(DISTINCT nullif(pm.organ, ''), '; ' ORDER BY nullif(pm.organ, '')) AS organs,
               min(pm.meeting_date) AS first_meeting, max(pm.meeting_date) AS last_meeting
        FROM per_meeting pm JOIN people p ON p.person_id = pm.person_id
        GROUP BY pm.person_id, p.name""",
    "attendance_by_organ": """
        WITH per_meeting AS (
            SELECT person_id, organ, meeting_key,
                   bool_or(status = 'present') AS present,
                   bool_or(status = 'absent') AND NOT bool_or(status = 'present') AS absent,
                   bool_or(status = 'present' AND meeting_role = 'chair') AS chaired
            FROM attendance_full GROUP BY person_id, organ, meeting_key)
        SELECT pm.person_id, p.name, pm.organ, count(*) AS meetings,
               count(*) FILTER (WHERE present) AS attended,
               count(*) FILTER (WHERE absent) AS absent,
               count(*) FILTER (WHERE chaired) AS chaired,
               round(count(*) FILTER (WHERE present)
                     / nullif(count(*) FILTER (WHERE present OR absent), 0), 3) AS attendance_rate
        FROM per_meeting pm JOIN people p ON p.person_id = pm.person_id
        GROUP BY pm.person_id, p.name, pm.organ""",
}


# -- opening the store ---------------------------------------------------------------------
def store_path(store_dir: str | Path) -> Path:
    """DIR/minutes.duckdb, or a clear FileNotFoundError saying how to make one."""
    path = Path(store_dir) / STORE_FILE
    if not path.is_file():
        raise FileNotFoundError(f"no store at {path}: run `minutes run FILES --out {store_dir}` first")
    return path


def connect(store_dir: str | Path, allow_files: bool = True) -> duckdb.DuckDBPyConnection:
    """A read-only connection with the research views available (persistent or TEMP). It waits a
    little while a run holds the store (store.database.open_duckdb), then says so in one line.
    `allow_files=False`: no file, database or extension outside the store (NO_FILES_CONFIG)."""
    con = open_duckdb(store_path(store_dir), read_only=True, config=None if allow_files else NO_FILES_CONFIG)
    try:
        if not has_views(con):
            create_views(con, temporary=True)
    except BaseException:
        con.close()
        raise
    return con


def has_views(con: duckdb.DuckDBPyConnection) -> bool:
    """True when the file holds this version of the views (else TEMP ones shadow old ones)."""
    found = {r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
    if not set(VIEWS) | {PEOPLE_TABLE, "store_meta"} <= found:
        return False
    got = con.execute("SELECT value FROM store_meta WHERE key = ?", [VIEWS_META_KEY]).fetchall()
    return got == [(str(VIEWS_VERSION),)]


# -- views and people ------------------------------------------------------------------------
def create_views(con: duckdb.DuckDBPyConnection, temporary: bool = False) -> None:
    """Create (or replace) the research views and refresh the person identities they join.
    Cheap and idempotent: call it after every batch. `temporary` builds them for one read-only
    connection only."""
    temp = "TEMP " if temporary else ""
    con.execute(f"CREATE {'OR REPLACE TEMP ' if temporary else ''}TABLE "
                f"{'' if temporary else 'IF NOT EXISTS '}{PEOPLE_TABLE} "
                "(person VARCHAR, person_id VARCHAR, person_name VARCHAR)")
    refresh_people(con)
    for name in VIEWS:
        con.execute(f"CREATE OR REPLACE {temp}VIEW {name} AS {_VIEW_SQL[name]}")
    if not temporary:
        con.execute("CREATE TABLE IF NOT EXISTS store_meta (key VARCHAR PRIMARY KEY, value VARCHAR)")
        con.execute("DELETE FROM store_meta WHERE key = ?", [VIEWS_META_KEY])
        con.execute("INSERT INTO store_meta VALUES (?, ?)", [VIEWS_META_KEY, str(VIEWS_VERSION)])


# -- query ---------------------------------------------------------------------------------
def query(store_dir: str | Path, sql: str, allow_files: bool = False) -> tuple[list[str], list[tuple]]:
    """Run SQL read-only; the views are available. Files outside the store can be neither read nor
    written unless `allow_files` (a refused statement is a PermissionError saying so). Returns
    (columns, rows) of the last statement."""
    with closing(connect(store_dir, allow_files=allow_files)) as con:
        try:
            cur = con.execute(sql)
        except (duckdb.PermissionException, duckdb.InvalidInputException) as e:
            first = " ".join(str(e).strip().splitlines()[0].split()) if str(e).strip() else type(e).__name__
            if isinstance(e, duckdb.PermissionException) or "configuration has been locked" in first:
                raise PermissionError(f"{first}: {ALLOW_FILES_HINT}") from None
            raise
        if cur.description is None:
            return [], []
        return [d[0] for d in cur.description], cur.fetchall()
