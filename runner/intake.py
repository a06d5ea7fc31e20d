"""The batch of `minutes ingest`: of what the sources list, fetch or check each candidate, keep
it in the archive, and make a Job of what is new; then the same processing, writing and summary
as `minutes run` (runner/batch.py)."""
from __future__ import annotations

import logging
from pathlib import Path
from typing import Any, Callable

from models.document import readable
from models.enums import ErrorType
from models.errors import DocumentError
from models.rows import HttpStateRow
from models.settings import Settings
from models.version import PIPELINE_VERSION
from readers.read import check_file
from runner.batch import FirstDone, Job, RunSummary, Submit, finish, first_done, process_and_store
from runner.process import error_result
from runner.progress import NoBar
from sources.archive import ARCHIVE_DIR, archive_file
from sources.feeds import Candidate
from sources.fetch import HttpSettings, client, fetch_document
from store.database import Store

log = logging.getLogger("minutes")


def http_settings_for(settings: Settings, timeout: float, retries: int) -> HttpSettings:
    """HTTP limits of an ingest: downloads are refused past the same size as files (--max-mb)."""
    return HttpSettings(timeout=timeout, retries=retries, max_bytes=settings.max_file_bytes)


def ingest_candidates(out: str, candidates: list[Candidate], settings: Settings, http_settings: HttpSettings,
                      submit: Submit, wait_first: FirstDone = first_done, reprocess: bool = False,
                      progress: Callable[[int], Any] = lambda total: NoBar()) -> tuple[RunSummary, list[Job]]:
    """Fetch, archive and process what is new among `candidates` into the store at `out`."""
    summary = RunSummary(store=str(Path(out) / "minutes.duckdb"))
    archive = Path(out) / ARCHIVE_DIR
    bar = progress(len(candidates))
    with Store(out) as store:
        jobs: list[Job] = []
        with client(http_settings) as http:
            for c in candidates:
                job = prepare(c, store, http, http_settings, settings, archive, reprocess, summary)
                if job is not None:
                    jobs.append(job)
                else:
                    bar.advance(unchanged=True)
        process_and_store(store, jobs, summary, bar, submit, wait_first)
        bar.close()
        finish(store, out, summary)
    return summary, jobs


def prepare(c: Candidate, store: Store, http, http_settings: HttpSettings, settings: Settings,
            archive: Path, reprocess: bool, summary: RunSummary) -> Job | None:
    """Fetch or check one candidate and archive it; None when there is nothing new to process."""
    if c.path:
        try:
            kind, _ = check_file(Path(c.path), settings)
        except DocumentError as e:
            record_error(store, c, e.error_type, e.message, summary)
            return None
        doc_id, kept = archive_file(Path(c.path), archive, kind)
        if not reprocess and store.is_done(doc_id, PIPELINE_VERSION, settings.fingerprint()) and store.source_has(readable(c.source), doc_id):
            summary.unchanged += 1
            return None
        return Job(path=kept, doc_id=doc_id, source=readable(c.source), origin=c.origin, archived_as=kept.name)
    state = store.http_state(c.url)
    known = state is not None and not reprocess
    got = fetch_document(http, c.url, archive, state.etag if known else "", state.last_modified if known else "",
                         http_settings)
    if got.status == "not_modified":
        summary.unchanged += 1
        return None
    if got.status == "error":
        if state is not None and got.error_type == ErrorType.NOT_FOUND.value:
            log.warning("%s: %s (its earlier rows are kept)", c.url, got.message)
        record_error(store, c, ErrorType(got.error_type), got.message, summary, keep_rows=state is not None)
        return None
    doc_id, kept = archive_file(got.path, archive, got.kind)
    http_row = HttpStateRow(url=c.url, doc_id=doc_id, etag=got.etag, last_modified=got.last_modified)
    if not reprocess and store.is_done(doc_id, PIPELINE_VERSION, settings.fingerprint()) and store.source_has(c.url, doc_id):
        store.set_http_state(http_row)
        summary.unchanged += 1
        return None
    return Job(path=kept, doc_id=doc_id, source=c.url, origin=c.origin, archived_as=kept.name, http=http_row)


def record_error(store: Store, c: Candidate, etype: ErrorType, message: str, summary: RunSummary,
                 keep_rows: bool = False) -> None:
    """A source that fails now: an errors row; rows of an earlier good version are kept."""
    source = readable(c.source)
    summary.documents_failed += 1
    summary.failed.append((source, etype.value, message))
    if keep_rows:
        store.record_error(source, Path(source).name, etype.value, message)
        return
    result = error_result(Path(c.source), "path:" + source, etype, message)
    result.document.source = result.error.source = source
    store.write(result, origin=c.origin)
