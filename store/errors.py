"""What can go wrong with the store that is not a bug, as errors that read as one clear line:
another process holds the DuckDB file (DuckDB allows one writer process), or the disk is full.
Both are OSError/RuntimeError subclasses, which cli/main.py prints as one line."""
from __future__ import annotations

import errno
import re
import sqlite3
from pathlib import Path

import duckdb

LOCK_MESSAGE = "Could not set lock on file"                      # DuckDB's IOException when another process holds it
DISK_FULL_MESSAGES = ("No space left on device", "database or disk is full")   # DuckDB/OS, SQLite
_HOLDER = re.compile(r"Conflicting lock is held in (?P<program>\S+)? ?\(PID (?P<pid>\d+)\)")


class StoreLockedError(RuntimeError):
    """Another process holds the store and did not let go within the wait limit."""


class StoreFullError(OSError):
    """The disk filled while writing the store or an export; what was committed before is kept."""

    def __init__(self, path: str | Path, kept: str = "documents committed so far are kept"):
        self.message = f"disk full writing {path}: free space and run again; {kept}"
        super().__init__(errno.ENOSPC, self.message, str(path))

    def __str__(self) -> str:
        return self.message


def is_lock_error(error: BaseException) -> bool:
    return isinstance(error, duckdb.IOException) and LOCK_MESSAGE in str(error)


def lock_holder(error: BaseException) -> str:
    """'pid 1234, python3.11' from DuckDB's message, or '' when it does not say."""
    m = _HOLDER.search(str(error))
    if not m:
        return ""
    program = Path(m.group("program")).name if m.group("program") else ""
    return f"pid {m.group('pid')}" + (f", {program}" if program else "")


def is_disk_full(error: BaseException | None) -> bool:
    """ENOSPC however it arrives: an OSError, a DuckDB error (its text names the OS error), SQLite's
    'database or disk is full'; also when it is the cause or context of the error raised."""
    seen = 0
    while error is not None and seen < 8:      # a short chain: a rollback failing after the real error
        if isinstance(error, StoreFullError):
            return True
        if isinstance(error, OSError) and error.errno in (errno.ENOSPC, errno.EDQUOT):
            return True
        if isinstance(error, (duckdb.Error, sqlite3.Error, OSError)) and any(
                m in str(error) for m in DISK_FULL_MESSAGES):
            return True
        error = error.__cause__ or error.__context__
        seen += 1
    return False
