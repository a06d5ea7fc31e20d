"""What a batch's outcome looks like to its orchestrator, without Prefect: the run's name (what
it processes), the failed documents as a markdown table, and the error that carries the summary
when a caller asked for failure on any failed document. flows/ turns these into Prefect's names,
artifacts and states."""
from __future__ import annotations

from pathlib import Path

from runner.batch import RunSummary
from sources.discover import discover

TABLE_ROWS = 500                # failed documents in a table (the rest: SELECT * FROM errors)
NAME_PATHS = 2                  # paths named in a run's name before "and N more"


class DocumentsFailed(RuntimeError):
    """Documents failed and the caller asked for failure; carries the run's summary, so every row
    count and failure is still at hand."""

    def __init__(self, message: str, summary: RunSummary):
        super().__init__(message, summary)
        self.summary = summary

    def __str__(self) -> str:
        return self.args[0]


def run_name(paths: list[str]) -> str:
    """What a run processes: 'run samples/ (8 files)'."""
    shown = ", ".join(paths[:NAME_PATHS]) + (f" and {len(paths) - NAME_PATHS} more" if len(paths) > NAME_PATHS else "")
    try:
        count = len(discover(paths).files)
    except OSError:
        return f"run {shown}"
    return f"run {shown} ({count} file{'s' if count != 1 else ''})"


def failed_table(summary: RunSummary, limit: int = TABLE_ROWS) -> str:
    """The failed documents as a markdown table: file, error_type, message."""
    def cell(text: str) -> str:
        return " ".join(str(text).split()).replace("|", "\\|")
    lines = [f"# {summary.documents_failed} document(s) failed, {summary.documents_ok} ok", "",
             "| file | error_type | message |", "|---|---|---|"]
    lines += [f"| {cell(f)} | {cell(t)} | {cell(m)} |" for f, t, m in summary.failed[:limit]]
    if len(summary.failed) > limit:
        lines += ["", f"... and {len(summary.failed) - limit} more: `SELECT * FROM errors` in {summary.store}"]
    return "\n".join(lines)


def failure(summary: RunSummary) -> DocumentsFailed | None:
    """The error for a run in which documents failed, or None."""
    if not summary.documents_failed:
        return None
    first = summary.failed[0]
    message = (f"{summary.documents_failed} of {summary.documents_failed + summary.documents_ok} document(s) "
               f"failed (first: {Path(first[0]).name}: [{first[1]}] {first[2]})")[:500]
    return DocumentsFailed(message, summary)
