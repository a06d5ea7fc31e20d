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
from store.errors import StoreFullError, is_disk_full
from store.export import EXPORT_KEPT, export_tables

BATCH_FORMATS = ("parquet", "csv")    # written into the store's folder after every batch


@dataclass(frozen=True)
class ExportFormat:
    name: str
    help: str
    write: Callable[..., dict[str, int]]       # (store folder, out, **options) -> rows per part
    folder: bool = False                       # out is a folder of files, else one file
    options: tuple[str, ...] = ()              # keyword options write() takes (e.g. all_copies)


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
    ExportFormat("sqlite", "every table and view in one SQLite file with keys, meeting labels and FTS5 "
                           "full-text indexes over text and base forms, and metadata.json beside it: "
                           "`datasette FILE -m metadata.json`", export_sqlite, options=("all_copies",)),
    ExportFormat("popolo", "organizations, persons, memberships, events (one per meeting), actions (agenda "
                           "items) with their proposals and decisions, motions and vote events as Popolo JSON",
                 export_popolo),
    ExportFormat("6aika", "meetings, cases (by register id), functions (tehtäväluokka), actions with contents, "
                          "attachments and votes as JSON shaped like the 6Aika open decision API", export_sixaika),
)}


def export(fmt: str, store_dir: str | Path, out: str | Path, **options) -> dict[str, int]:
    """Write the store in one of FORMATS; returns rows (or items) per table. options are those the
    format declares (sqlite: all_copies). All or nothing: a folder's files are renamed into place
    together (store/export.py), a single file is written beside as .NAME.tmp and renamed; on
    failure the temporary file is removed, the previous export stays, and a full disk is
    StoreFullError."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r}: one of {', '.join(FORMATS)}")
    spec = FORMATS[fmt]
    unknown = set(options) - set(spec.options)
    if unknown:
        raise ValueError(f"{fmt} export takes no {', '.join(sorted(unknown))} option")
    try:
        return spec.write(store_dir, out, **options)
    except StoreFullError:
        raise
    except BaseException as e:
        if not spec.folder:
            tmp = Path(out).with_name(f".{Path(out).name}.tmp")   # the writers' temporary name
            for leftover in (tmp, tmp.with_name(tmp.name + "-journal")):   # and SQLite's journal
                leftover.unlink(missing_ok=True)
        if is_disk_full(e):
            raise StoreFullError(out, EXPORT_KEPT) from e
        raise


def export_after_batch(store: Store, out_dir: str | Path) -> dict[str, Path]:
    """After a batch: the research views follow the new rows, and every table is written as
    BATCH_FORMATS into out_dir, from the open store. A full disk is StoreFullError either way."""
    try:
        create_views(store.con)
    except Exception as e:             # the views and person keys are written into the store
        if is_disk_full(e):
            raise StoreFullError(store.path) from e
        raise
    return store.export(out_dir, formats=BATCH_FORMATS)
