"""What one document yields: its documents row, its rows per table, or an error. Made by
runner/process.py, written by store/."""
from __future__ import annotations

from dataclasses import dataclass, field

from models.rows import DocumentRow, ErrorRow


@dataclass
class DocumentResult:
    """Everything one document yields: its documents row, rows per table, or an error."""
    document: DocumentRow
    tables: dict[str, list] = field(default_factory=dict)
    error: ErrorRow | None = None
    timings: dict[str, float] = field(default_factory=dict)   # seconds per stage, for bench/

    @property
    def ok(self) -> bool:
        return self.error is None
