"""Tables of the store as files: OUT/<table>.parquet and OUT/<table>.csv, each written beside and
renamed into place, so a reader never sees half a file."""
from __future__ import annotations

from pathlib import Path

import duckdb

from models.schema import TABLES

FILE_FORMATS = {"parquet": "FORMAT PARQUET", "csv": "FORMAT CSV, HEADER TRUE"}


def export_tables(con: duckdb.DuckDBPyConnection, out_dir: str | Path, tables: list[str],
                  formats: tuple[str, ...] = ("parquet", "csv")) -> dict[str, Path]:
    """Each table in each of `formats` (keys of FILE_FORMATS), ordered by its key; returns
    {"<table>.<ext>": path}."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    written = {}
    for name in tables:
        order = "doc_id" if "doc_id" in TABLES[name].columns else "source"
        for ext in formats:
            final = out_dir / f"{name}.{ext}"
            tmp = out_dir / f".{name}.{ext}.tmp"
            con.execute(f"COPY (SELECT * FROM \"{name}\" ORDER BY {order}) TO '{_sql_path(tmp)}' ({FILE_FORMATS[ext]})")
            tmp.replace(final)
            written[f"{name}.{ext}"] = final
    return written


def _sql_path(p: Path) -> str:
    return str(p).replace("'", "''")
