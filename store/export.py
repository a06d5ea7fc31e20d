"""Tables of the store as files: OUT/<table>.parquet and OUT/<table>.csv. The whole set is written
beside under temporary names and renamed into place only when every file was written, so a reader
never sees half a file and a failure (a full disk) leaves the previous set as it was."""
from __future__ import annotations

import os
from pathlib import Path

import duckdb

from models.schema import TABLES
from store.errors import StoreFullError, is_disk_full

FILE_FORMATS = {"parquet": "FORMAT PARQUET", "csv": "FORMAT CSV, HEADER TRUE"}
EXPORT_KEPT = "the previous export files are kept"


def export_tables(con: duckdb.DuckDBPyConnection, out_dir: str | Path, tables: list[str],
                  formats: tuple[str, ...] = ("parquet", "csv")) -> dict[str, Path]:
    """Each table in each of `formats` (keys of FILE_FORMATS), ordered by its key; returns
    {"<table>.<ext>": path}. All or nothing: on any failure the temporary files are removed, the
    previous files stay, and a full disk raises StoreFullError."""
    out_dir = Path(out_dir)
    staged: list[tuple[Path, Path]] = []          # (temporary, final)
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        for name in tables:
            order = "doc_id" if "doc_id" in TABLES[name].columns else "source"
            for ext in formats:
                final = out_dir / f"{name}.{ext}"
                tmp = out_dir / f".{name}.{ext}.{os.getpid()}.tmp"   # two exporters never share one
                staged.append((tmp, final))
                con.execute(f"COPY (SELECT * FROM \"{name}\" ORDER BY {order}) TO '{_sql_path(tmp)}' "
                            f"({FILE_FORMATS[ext]})")
    except BaseException as e:
        for tmp, _ in staged:
            tmp.unlink(missing_ok=True)
        if is_disk_full(e):
            raise StoreFullError(staged[-1][1] if staged else out_dir, EXPORT_KEPT) from e
        raise
    for tmp, final in staged:         # renames in one folder take no space
        tmp.replace(final)
    return {final.name: final for _, final in staged}


def _sql_path(p: Path) -> str:
    return str(p).replace("'", "''")
