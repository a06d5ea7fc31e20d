"""Every way the store leaves as files, in one registry: Parquet and CSV (one file per table, in a
folder: what `minutes run` and `minutes ingest` write after each batch), SQLite for Datasette,
Popolo JSON and 6Aika-shaped JSON (one file each). `minutes export --format` offers exactly these."""
from __future__ import annotations

from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from models.schema import EXPORT_TABLES
from research.popolo import export_popolo
from research.sixaika import export_sixaika
from research.sqlite import export_sqlite
from research.views import connect, create_views
from store.database import Store
from store.export import export_tables

BATCH_FORMATS = ("parquet", "csv")    # written into the store's folder after every batch


@dataclass(frozen=True)
class ExportFormat:
    name: str
    help: str
    write: Callable[[str | Path, str | Path], dict[str, int]]   # (store folder, out) -> rows per part
    folder: bool = False                                          # out is a folder of files, else one file


def _table_files(fmt: str) -> Callable[[str | Path, str | Path], dict[str, int]]:
    def write(store_dir: str | Path, out: str | Path) -> dict[str, int]:
        with closing(connect(store_dir)) as con:
            written = export_tables(con, out, EXPORT_TABLES, (fmt,))
            return {name: con.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0] for name in EXPORT_TABLES
                    if f"{name}.{fmt}" in written}
    return write


FORMATS: dict[str, ExportFormat] = {f.name: f for f in (
    ExportFormat("parquet", "every table as OUT/<table>.parquet", _table_files("parquet"), folder=True),
    ExportFormat("csv", "every table as OUT/<table>.csv", _table_files("csv"), folder=True),
    ExportFormat("sqlite", "every table and view in one SQLite file with FTS5 full-text indexes, "
                           "ready for `datasette FILE`", export_sqlite),
    ExportFormat("popolo", "organizations, persons, memberships, events (one per meeting), actions (agenda "
                           "items) with their proposals and decisions, motions and vote events as Popolo JSON",
                 export_popolo),
    ExportFormat("6aika", "meetings, cases (by register id), functions (tehtäväluokka), actions with contents, "
                          "attachments and votes as JSON shaped like the 6Aika open decision API", export_sixaika),
)}


def export(fmt: str, store_dir: str | Path, out: str | Path) -> dict[str, int]:
    """Write the store in one of FORMATS; returns rows (or items) per table."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r}: one of {', '.join(FORMATS)}")
    return FORMATS[fmt].write(store_dir, out)


def export_after_batch(store: Store, out_dir: str | Path) -> dict[str, Path]:
    """After a batch: the research views follow the new rows, and every table is written as
    BATCH_FORMATS into out_dir, from the open store."""
    create_views(store.con)
    return store.export(out_dir, formats=BATCH_FORMATS)
