"""The DuckDB store: its schema (from models/schema.py) and additive migrations, the reads that
decide what is new, and the writes: one transaction per batch of documents, so a crash never
leaves half a document and a re-run replaces rows instead of duplicating them.

DuckDB lets one process write a file (or several only read it): opening waits, with back-off, for
another process to let go (`open_duckdb`), and a full disk becomes StoreFullError, one clear line
that says the committed documents are kept."""
from __future__ import annotations

import dataclasses
import datetime as dt
import logging
import time
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pyarrow as pa

from models.schema import DOCUMENT_TABLES, EXPORT_TABLES, SCHEMA_VERSION, TABLES
from models.result import DocumentResult
from models.rows import DocumentVersionRow, ErrorRow, HttpStateRow, SourceRow
from store.errors import StoreFullError, StoreLockedError, is_disk_full, is_lock_error, lock_holder
from store.export import export_tables

log = logging.getLogger("minutes")
STORE_FILE = "minutes.duckdb"
_ARROW = {"VARCHAR": pa.string(), "BIGINT": pa.int64(), "BOOLEAN": pa.bool_(), "DOUBLE": pa.float64()}

THREADS = 1                 # one writer; a thread per core would add per-thread buffers to the export's peak
MEMORY_LIMIT = "256MB"      # DuckDB's cache otherwise grows toward 80 % of RAM over a long batch; it spills past this
STORE_LOCK_WAIT_SECONDS = 120.0   # a writer waits this long for another process to close the store
STORE_READ_WAIT_SECONDS = 10.0    # a reader waits less: a run holds the store until it ends, often for longer
LOCK_RETRY_FIRST_SECONDS = 0.2    # first pause between tries to open a held store; doubles each try ...
LOCK_RETRY_MAX_SECONDS = 5.0      # ... up to this


def arrow_schema(table: str) -> pa.Schema:
    return pa.schema([(c, _ARROW[t]) for c, t in TABLES[table].sql_types().items()])


@dataclass
class Pending:
    """A processed document waiting to be written, with what the store records about its source."""
    result: DocumentResult
    origin: str = ""
    archived_as: str = ""
    http: HttpStateRow | None = None


def _last_per_key(table: str, rows: list) -> list:
    """Within one batch the same document (or source) may come twice (copies): in a table of one
    row per key, keep the last."""
    spec = TABLES[table]
    if not spec.unique:
        return rows
    return list({tuple(getattr(r, c) for c in spec.key): r for r in rows}.values())


def open_duckdb(path: str | Path, read_only: bool = False, config: dict | None = None,
                wait_seconds: float | None = None) -> duckdb.DuckDBPyConnection:
    """duckdb.connect, waiting while another process holds the file: tries again with back-off
    (logging one line when it starts waiting) up to `wait_seconds` (default STORE_LOCK_WAIT_SECONDS
    for a writer, STORE_READ_WAIT_SECONDS for a reader), then StoreLockedError in one line."""
    if wait_seconds is None:
        wait_seconds = STORE_READ_WAIT_SECONDS if read_only else STORE_LOCK_WAIT_SECONDS
    deadline = time.monotonic() + wait_seconds
    pause = LOCK_RETRY_FIRST_SECONDS
    waiting = False
    while True:
        try:
            return duckdb.connect(str(path), read_only=read_only, config=config or {})
        except duckdb.IOException as e:
            if not is_lock_error(e):
                raise
            holder = lock_holder(e)
            left = deadline - time.monotonic()
            if left <= 0:
                raise StoreLockedError(_locked_message(Path(path), holder, read_only)) from None
            if not waiting:
                log.warning("waiting for the store %s: held by another process%s (up to %.0f s)",
                            path, f" ({holder})" if holder else "", wait_seconds)
                waiting = True
            time.sleep(min(pause, left))
            pause = min(pause * 2, LOCK_RETRY_MAX_SECONDS)


def _locked_message(path: Path, holder: str, read_only: bool) -> str:
    who = f" ({holder})" if holder else ""
    if read_only:
        return (f"another process{who} is writing {path}: run this again when it has finished, or read "
                f"the Parquet/CSV exports in {path.parent}/")
    return f"another minutes process{who} holds {path}: wait for it or use another --out"


class Store:
    """`Store(dir)` opens (or creates) DIR/minutes.duckdb, waiting up to `lock_wait` seconds
    (default STORE_LOCK_WAIT_SECONDS) while another process holds it."""

    def __init__(self, directory: str | Path, read_only: bool = False, lock_wait: float | None = None):
        self.directory = Path(directory)
        self.path = self.directory / STORE_FILE
        try:
            if not read_only:
                self.directory.mkdir(parents=True, exist_ok=True)
            elif not self.path.exists():
                raise FileNotFoundError(f"no store at {self.path}: run `minutes run ... --out {self.directory}` first")
            self.con = open_duckdb(self.path, read_only, {"memory_limit": MEMORY_LIMIT, "threads": THREADS},
                                   lock_wait)
        except (OSError, duckdb.Error) as e:
            if is_disk_full(e):
                raise StoreFullError(self.path) from e
            raise
        if not read_only:
            try:
                self._create()
            except BaseException as e:
                self.con.close()
                if is_disk_full(e):
                    raise StoreFullError(self.path) from e
                raise

    def _create(self) -> None:
        for spec in TABLES.values():
            self.con.execute(spec.create_sql())
        self.con.execute("CREATE TABLE IF NOT EXISTS store_meta (key VARCHAR PRIMARY KEY, value VARCHAR)")
        found = self.con.execute("SELECT value FROM store_meta WHERE key = 'schema_version'").fetchone()
        if found and int(found[0]) > SCHEMA_VERSION:
            raise RuntimeError(f"{self.path} was written by a newer minutes (schema {found[0]}, this one "
                               f"writes {SCHEMA_VERSION}): upgrade minutes or use another --out folder")
        if found and int(found[0]) == SCHEMA_VERSION:
            return                  # nothing to write: a store on a full disk still opens
        if found:
            self._add_missing_columns()
        self.con.execute("INSERT OR REPLACE INTO store_meta VALUES ('schema_version', ?)", [str(SCHEMA_VERSION)])

    def _add_missing_columns(self) -> None:
        """Schema changes are additive: an older store gains the new columns (empty until its
        documents are processed again, e.g. with --reprocess)."""
        for spec in TABLES.values():
            have = {r[0] for r in self.con.execute(
                "SELECT column_name FROM information_schema.columns WHERE table_name = ?", [spec.name]).fetchall()}
            for column, sql_type in spec.sql_types().items():
                if column not in have:
                    self.con.execute(f'ALTER TABLE "{spec.name}" ADD COLUMN "{column}" {sql_type}')

    def close(self) -> None:
        self.con.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    # -- reading ---------------------------------------------------------------------------
    def is_done(self, doc_id: str, pipeline_version: str, settings: str = "") -> bool:
        """True when this content was already processed by this pipeline version with the same
        output-changing settings (ok, or failed for a reason a re-run would not change; internal
        errors are tried again, and a scan that failed without --ocr is read again with it)."""
        got = self.con.execute("SELECT 1 FROM documents WHERE doc_id = ? AND pipeline_version = ? "
                               "AND error_type <> 'internal' AND (? = '' OR settings = ?)",
                               [doc_id, pipeline_version, settings, settings]).fetchone()
        return got is not None

    def source_has(self, source: str, doc_id: str) -> bool:
        """True when this source's current version is this content (so nothing changed)."""
        return self.con.execute("SELECT 1 FROM sources WHERE source = ? AND doc_id = ?",
                                [source, doc_id]).fetchone() is not None

    def set_http_state(self, row: HttpStateRow) -> None:
        self.con.execute("DELETE FROM http_state WHERE url = ?", [row.url])
        row.fetched_at = row.fetched_at or dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
        self._insert("http_state", [row])

    def record_error(self, source: str, file_name: str, error_type: str, message: str) -> None:
        """An error for a source whose earlier version stays in the store."""
        now = dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
        self.con.execute("DELETE FROM errors WHERE source = ?", [source])
        self._insert("errors", [ErrorRow(source, file_name, error_type, message, "", now)])

    def last_error(self, source: str) -> ErrorRow | None:
        """The source's current error (ingest remembers a URL that is gone by it)."""
        got = self.con.execute("SELECT * FROM errors WHERE source = ?", [source]).fetchone()
        return ErrorRow(*got) if got else None

    def clear_error(self, source: str) -> None:
        """A source that is not a document (a feed, an item page) was read again: its error goes."""
        self.con.execute("DELETE FROM errors WHERE source = ?", [source])

    def count(self, table: str) -> int:
        return self.con.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0]

    # -- writing ---------------------------------------------------------------------------
    def http_state(self, url: str) -> HttpStateRow | None:
        got = self.con.execute("SELECT * FROM http_state WHERE url = ?", [url]).fetchone()
        return HttpStateRow(*got) if got else None

    def write(self, result: DocumentResult, origin: str = "", archived_as: str = "",
              http: HttpStateRow | None = None) -> None:
        """Replace everything known about this document (and this source's older version) atomically."""
        self.write_many([Pending(result, origin, archived_as, http)])

    def write_many(self, batch: list["Pending"]) -> None:
        """Several documents in one transaction: all of them or none, so a crash never leaves half a
        document, and a re-run redoes exactly what did not commit. A full disk raises StoreFullError."""
        if not batch:
            return
        now = dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
        con = self.con
        rows: dict[str, list] = {}
        con.execute("BEGIN TRANSACTION")
        try:
            for item in batch:
                doc = item.result.document
                old = con.execute("SELECT doc_id FROM sources WHERE source = ? AND doc_id <> ?",
                                  [doc.source, doc.doc_id]).fetchall()
                for (old_id,) in old:
                    still_used = con.execute("SELECT count(*) FROM sources WHERE doc_id = ? AND source <> ?",
                                             [old_id, doc.source]).fetchone()[0]
                    if not still_used:
                        self._delete_docs([old_id])
                    if not old_id.startswith("path:"):     # an earlier failure is no version of the file
                        rows.setdefault("document_versions", []).append(
                            DocumentVersionRow(doc.source, old_id, doc.doc_id, now))
                if item.result.error is not None:
                    rows.setdefault("errors", []).append(item.result.error)
                rows.setdefault("sources", []).append(
                    SourceRow(doc.source, doc.doc_id, doc.file_name, now, item.origin, item.archived_as))
                if item.http is not None:   # the validators are kept only together with what they produced
                    item.http.fetched_at = item.http.fetched_at or now
                    rows.setdefault("http_state", []).append(item.http)
            latest = {i.result.document.doc_id: i.result for i in batch}   # copies of one content: once
            for result in latest.values():
                rows.setdefault("documents", []).append(result.document)
                for name, table_rows in result.tables.items():
                    rows.setdefault(name, []).extend(table_rows)
            self._delete_docs(list(latest))
            sources = list({i.result.document.source for i in batch})
            for table in ("errors", "sources"):
                con.execute(f"DELETE FROM {table} WHERE list_contains(?, source)", [sources])
            urls = [h.url for h in rows.get("http_state", [])]
            if urls:
                con.execute("DELETE FROM http_state WHERE list_contains(?, url)", [urls])
            for name, table_rows in rows.items():
                self._insert(name, _last_per_key(name, table_rows))
            con.execute("COMMIT")
        except BaseException as e:
            self._rollback()
            if is_disk_full(e):
                raise StoreFullError(self.path) from e
            raise

    def _rollback(self) -> None:
        """Roll back after a failed write without hiding why it failed: when DuckDB has already
        aborted the transaction (a failed COMMIT, e.g. on a full disk) there is nothing to roll back."""
        try:
            self.con.execute("ROLLBACK")
        except duckdb.Error as e:
            log.debug("rollback after a failed write: %s", e)

    def _delete_docs(self, doc_ids: list[str]) -> None:
        if doc_ids:
            for t in DOCUMENT_TABLES:
                self.con.execute(f'DELETE FROM "{t}" WHERE list_contains(?, doc_id)', [doc_ids])

    def _insert(self, table: str, rows: list) -> None:
        if not rows:
            return
        data = pa.Table.from_pylist([dataclasses.asdict(r) for r in rows], schema=arrow_schema(table))
        self.con.register("_rows", data)
        try:
            cols = ", ".join(f'"{c}"' for c in TABLES[table].columns)   # by name: migrated stores append columns
            self.con.execute(f'INSERT INTO "{table}" ({cols}) SELECT {cols} FROM _rows')
        finally:
            self.con.unregister("_rows")

    # -- exporting -------------------------------------------------------------------------
    def export(self, out_dir: str | Path, tables: list[str] | None = None,
               formats: tuple[str, ...] = ("parquet", "csv")) -> dict[str, Path]:
        """Every table as out_dir/<table>.parquet and .csv (store/export.py)."""
        return export_tables(self.con, out_dir, tables or EXPORT_TABLES, formats)
