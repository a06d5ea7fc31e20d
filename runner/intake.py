"""The batch of `minutes ingest`: of what the sources list, fetch or check each candidate, keep
it in the archive, and make a Job of what is new; then the same processing, writing and summary
as `minutes run` (runner/batch.py)."""
from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path
from typing import Any, Callable

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
from sources.feeds import DOCUMENT, MAX_DOCS_PER_FEED, Candidate, take_per_feed
from sources.fetch import DOWNLOAD_PREFIX, HttpSettings, client, fetch_document, gone_status, remove_stale_downloads
from store.database import Store

log = logging.getLogger("minutes")
GONE_RETRY_HOURS = 24.0         # a URL that answered 404/410 is asked again only after this long
STALE_PREFIXES = (DOWNLOAD_PREFIX, ".archive-")   # temporary files of fetch.py and archive.py


def http_settings_for(settings: Settings, timeout: float, retries: int) -> HttpSettings:
    """HTTP limits of an ingest: downloads are refused past the same size as files (--max-mb)."""
    return HttpSettings(timeout=timeout, retries=retries, max_bytes=settings.max_file_bytes)


def ingest_candidates(out: str, candidates: list[Candidate], settings: Settings, http_settings: HttpSettings,
                      submit: Submit, wait_first: FirstDone = first_done, reprocess: bool = False,
                      progress: Callable[[int], Any] = lambda total: NoBar()) -> tuple[RunSummary, list[Job]]:
    """Fetch, archive and process what is new among `candidates` into the store at `out`. One
    candidate's failure, whatever it is, is its error row; only KeyboardInterrupt stops the pass."""
    summary = RunSummary(store=str(Path(out) / "minutes.duckdb"))
    archive = Path(out) / ARCHIVE_DIR
    with Store(out) as store:             # held for the whole pass: no other pass uses the archive now
        stale = remove_stale_downloads(archive, STALE_PREFIXES)
        if stale:
            log.warning("removed %d unfinished download(s) of an earlier, interrupted pass from %s", stale, archive)
        todo, left = take_per_feed(candidates, lambda c: request_rank(store, c, reprocess))
        for feed, n in left.items():
            log.warning("feed %s: %d document(s) left for a later pass (at most %d per feed and pass, new ones "
                        "first)", feed, n, MAX_DOCS_PER_FEED)
        bar = progress(len(todo))
        jobs: list[Job] = []
        with client(http_settings) as http:
            for c in todo:
                try:
                    job = prepare(c, store, http, http_settings, settings, archive, reprocess, summary)
                except Exception as e:    # a bug of ours on this source: it fails alone
                    log.exception("%s", c.source)
                    record_error(store, c, ErrorType.INTERNAL, f"{c.source} could not be fetched or archived "
                                 f"({type(e).__name__}: {e}): this is a bug in minutes; please report it", summary)
                    job = None
                if job is not None:
                    jobs.append(job)
                else:
                    bar.advance(unchanged=True)
        process_and_store(store, jobs, summary, bar, submit, wait_first)
        bar.close()
        finish(store, out, summary)
    return summary, jobs


def request_rank(store: Store, c: Candidate, reprocess: bool) -> int | None:
    """What fetching a feed's document costs this pass: None nothing (remembered as gone), 0 a
    new URL, 1 a known one (a conditional request)."""
    if not reprocess and remembered_gone(store, c.url):
        return None
    return 0 if store.http_state(c.url) is None and store.last_error(c.url) is None else 1


def remembered_gone(store: Store, url: str) -> tuple[int, dt.datetime] | None:
    """(status, when) of a URL that answered 404 or 410 less than GONE_RETRY_HOURS ago."""
    err = store.last_error(url)
    status = gone_status(err.message) if err is not None and err.error_type == ErrorType.NOT_FOUND.value else None
    if status is None or not err.at:
        return None
    try:
        at = dt.datetime.fromisoformat(err.at)
    except ValueError:
        return None
    if at.tzinfo is None:
        at = at.replace(tzinfo=dt.timezone.utc)
    if dt.datetime.now(dt.timezone.utc) - at >= dt.timedelta(hours=GONE_RETRY_HOURS):
        return None
    return status, at


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
        if not reprocess and store.is_done(doc_id, PIPELINE_VERSION, settings.fingerprint()) and store.source_has(c.source, doc_id):
            summary.unchanged += 1
            return None
        return Job(path=kept, doc_id=doc_id, source=c.source, origin=c.origin, archived_as=kept.name)
    if c.kind != DOCUMENT:
        return feed_or_page(c, store, summary)
    gone = None if reprocess else remembered_gone(store, c.url)
    if gone is not None:                  # its error row stays as it is; no request this pass
        status, at = gone
        again = at + dt.timedelta(hours=GONE_RETRY_HOURS)
        summary.documents_failed += 1
        summary.failed.append((c.url, ErrorType.NOT_FOUND.value, f"{c.url} answered HTTP {status} at {at:%Y-%m-%d %H:%M} "
                               f"UTC; not asked again before {again:%Y-%m-%d %H:%M} UTC"))
        return None
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
    try:
        doc_id, kept = archive_file(got.path, archive, got.kind)
    finally:                              # archived (renamed) or not, no temporary file stays behind
        got.path.unlink(missing_ok=True)
    http_row = HttpStateRow(url=c.url, doc_id=doc_id, etag=got.etag, last_modified=got.last_modified)
    if not reprocess and store.is_done(doc_id, PIPELINE_VERSION, settings.fingerprint()) and store.source_has(c.url, doc_id):
        store.set_http_state(http_row)
        summary.unchanged += 1
        return None
    return Job(path=kept, doc_id=doc_id, source=c.url, origin=c.origin, archived_as=kept.name, http=http_row)


def feed_or_page(c: Candidate, store: Store, summary: RunSummary) -> None:
    """A feed or item page: its failure is an errors row (no document row: it is not one); read
    again, its old error goes."""
    if c.error_type:
        record_error(store, c, ErrorType(c.error_type), c.message, summary, keep_rows=True)
    elif store.last_error(c.url) is not None:
        store.clear_error(c.url)


def record_error(store: Store, c: Candidate, etype: ErrorType, message: str, summary: RunSummary,
                 keep_rows: bool = False) -> None:
    """A source that fails now: an errors row; rows of an earlier good version are kept."""
    source = c.source
    summary.documents_failed += 1
    summary.failed.append((source, etype.value, message))
    if keep_rows:
        store.record_error(source, Path(source).name, etype.value, message)
        return
    result = error_result(Path(source), "path:" + source, etype, message)
    result.document.source = result.error.source = source
    store.write(result, origin=c.origin)
