"""Table schemas derived once from the row dataclasses; every writer (DuckDB, Parquet, CSV) uses them."""
from __future__ import annotations

import dataclasses
import typing
from dataclasses import dataclass

from models import rows as r

SCHEMA_VERSION = 2

_SQL_TYPES = {str: "VARCHAR", int: "BIGINT", bool: "BOOLEAN", float: "DOUBLE"}


@dataclass(frozen=True)
class TableSpec:
    name: str
    row_type: type
    key: tuple[str, ...]        # the columns whose rows one document (or source) owns
    unique: bool = False        # one row per key value (a later row for the same key replaces it)
    row_key: str = ""           # the column whose text, with the row's position, makes its row_id

    @property
    def columns(self) -> list[str]:
        return [f.name for f in dataclasses.fields(self.row_type)]

    def sql_types(self) -> dict[str, str]:
        hints = typing.get_type_hints(self.row_type)
        out = {}
        for name in self.columns:
            t = hints[name]
            if typing.get_origin(t) is typing.Union:   # Optional[X]
                t = next(a for a in typing.get_args(t) if a is not type(None))
            out[name] = _SQL_TYPES[t]
        return out

    def create_sql(self) -> str:
        cols = ", ".join(f'"{c}" {t}' for c, t in self.sql_types().items())
        return f'CREATE TABLE IF NOT EXISTS "{self.name}" ({cols})'


TABLES: dict[str, TableSpec] = {
    spec.name: spec for spec in (
        TableSpec("documents", r.DocumentRow, ("doc_id",), unique=True),
        TableSpec("attendance", r.AttendanceRow, ("doc_id",), row_key="person"),
        TableSpec("agenda_items", r.AgendaItemRow, ("doc_id",), row_key="title"),
        TableSpec("sub_items", r.SubItemRow, ("doc_id",), row_key="title"),
        TableSpec("decisions", r.DecisionRow, ("doc_id",), row_key="text"),
        TableSpec("dates", r.DateRow, ("doc_id",), row_key="text"),
        TableSpec("periods", r.PeriodRow, ("doc_id",), row_key="text"),
        TableSpec("entities", r.EntityRow, ("doc_id",), row_key="text"),
        TableSpec("disqualifications", r.DisqualificationRow, ("doc_id",), row_key="person"),
        TableSpec("errors", r.ErrorRow, ("source",), unique=True),
        TableSpec("sources", r.SourceRow, ("source",), unique=True),
        TableSpec("document_versions", r.DocumentVersionRow, ()),
        TableSpec("http_state", r.HttpStateRow, ("url",), unique=True),
    )
}
# the table each row type is written to: extractors return rows, this says where they go
TABLE_OF_ROW: dict[type, str] = {spec.row_type: name for name, spec in TABLES.items()}

# tables whose rows belong to one document (doc_id) and are replaced when it is processed again
DOCUMENT_TABLES = [name for name, spec in TABLES.items() if spec.key == ("doc_id",)]
# what `minutes run` exports as files, provenance (sources, document_versions) included; the HTTP
# revalidation state stays in the store
EXPORT_TABLES = [name for name in TABLES if name != "http_state"]
# tables whose rows the extractors make (each row with a row_id from its declared row_key)
EXTRACTED_TABLES = [name for name, spec in TABLES.items() if spec.row_key]
