"""The document model, row types, fixed vocabularies and table schemas, declared once."""
from models.document import Block, Document, Paragraph, Table
from models.enums import (AttendanceStatus, DocStatus, DocType, ErrorType, MeetingRole,
                          Resolution, Stage)
from models.rows import (AgendaItemRow, AttendanceRow, DateRow, DecisionRow,
                         DisqualificationRow, DocumentRow, EntityRow, ErrorRow, PeriodRow, SubItemRow)
from models.schema import SCHEMA_VERSION, TABLES, TableSpec

__all__ = [
    "Block", "Document", "Paragraph", "Table",
    "AttendanceStatus", "DocStatus", "DocType", "ErrorType", "MeetingRole", "Resolution", "Stage",
    "AgendaItemRow", "AttendanceRow", "DateRow", "DecisionRow", "DisqualificationRow",
    "DocumentRow", "EntityRow", "ErrorRow", "PeriodRow", "SubItemRow",
    "SCHEMA_VERSION", "TABLES", "TableSpec",
]
