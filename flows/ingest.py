"""Scheduled, incremental ingestion: new or changed documents from an inbox folder, a URL list
and RSS/Atom feeds; each kept in the store's archive as <doc_id>.<ext>; only what is new is
processed; a changed document replaces its source's rows and the old version is recorded.

Serve it on a schedule with `minutes serve` (Prefect's own scheduling; needs `prefect server
start`), or deploy it to a work pool with prefect.yaml."""
from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path

from prefect import flow, task
from prefect.artifacts import create_markdown_artifact
from prefect.cache_policies import CacheKeyFnPolicy

from flows.run import Job, RunSummary, _progress, content_cache_key, finish, process_and_store, process_task
from models.enums import ErrorType
from models.rows import HttpStateRow
from pipeline import PIPELINE_VERSION
from pipeline.fetch import HttpSettings, archive_file, client, fetch_document, get_text
from pipeline.errors import DocumentError
from pipeline.ingest import check_file
from pipeline.process import error_result
from pipeline.settings import MB, Settings
from pipeline.sources import (Candidate, feed_links, inbox_candidates, page_document_links,
                              url_list_candidates)
from pipeline.store import Store

log = logging.getLogger("minutes")
ARCHIVE_DIR = "archive"
MAX_PAGES_PER_FEED = 200        # item pages followed from one feed per run


@task(name="collect-candidates", retries=2, retry_delay_seconds=2)
def collect(inbox: str | None, url_list: str | None, feeds: list[str], http_settings: HttpSettings) -> list[Candidate]:
    """Everything the sources list now; feeds are read and their item pages searched for documents."""
    out: list[Candidate] = []
    if inbox:
        out.extend(inbox_candidates(inbox))
    if url_list:
        out.extend(url_list_candidates(url_list))
    if feeds:
        with client(http_settings) as http:
            for feed in feeds:
                try:
                    raw, _ = get_text(http, feed, http_settings)
                except DocumentError as e:
                    log.error("feed %s: %s", feed, e.message)
                    continue
                docs, pages = feed_links(raw, feed)
                out.extend(Candidate(origin=feed, url=u) for u in docs)
                for page in pages[:MAX_PAGES_PER_FEED]:
                    try:
                        html, ctype = get_text(http, page, http_settings)
                    except DocumentError as e:
                        log.warning("item page %s: %s", page, e.message)
                        continue
                    if "html" in ctype or html.lstrip()[:1] == b"<":
                        out.extend(Candidate(origin=feed, url=u) for u in page_document_links(html, page))
                    else:                     # the "page" is itself a document
                        out.append(Candidate(origin=feed, url=page))
    seen, unique = set(), []
    for c in out:
        if c.source not in seen:
            seen.add(c.source)
            unique.append(c)
    return unique


def _run_name() -> str:
    from prefect.runtime import flow_run
    p = flow_run.parameters
    parts = [f"inbox {Path(p['inbox']).name}" if p.get("inbox") else "",
             f"urls {Path(p['url_list']).name}" if p.get("url_list") else "",
             f"{len(p.get('feeds') or [])} feed(s)" if p.get("feeds") else ""]
    return "ingest " + ", ".join(x for x in parts if x) + f" {dt.datetime.now():%Y-%m-%d %H:%M}"


@flow(name="minutes-ingest", flow_run_name=_run_name, log_prints=False, validate_parameters=False)
def ingest_flow(out: str, inbox: str | None = None, url_list: str | None = None, feeds: list[str] | None = None,
                settings: Settings | None = None, reprocess: bool = False, max_mb: float = 100.0,
                http_timeout: float = 20.0, http_retries: int = 3, progress: bool = False) -> RunSummary:
    """One ingestion pass; safe to run on a schedule and to kill at any moment."""
    settings = Settings(**settings) if isinstance(settings, dict) else (settings or Settings())
    http_settings = HttpSettings(timeout=http_timeout, retries=http_retries, max_bytes=int(max_mb * MB))
    candidates = collect(inbox, url_list, feeds or [], http_settings)
    summary = RunSummary(store=str(Path(out) / "minutes.duckdb"))
    archive = Path(out) / ARCHIVE_DIR
    bar = _progress(progress, len(candidates))
    with Store(out) as store:
        jobs: list[Job] = []
        with client(http_settings) as http:
            for c in candidates:
                job = _prepare(c, store, http, http_settings, settings, archive, reprocess, summary)
                if job is not None:
                    jobs.append(job)
                else:
                    bar.advance()
        cached = process_task.with_options(cache_policy=CacheKeyFnPolicy(cache_key_fn=content_cache_key),
                                           persist_result=True, cache_expiration=dt.timedelta(days=30))
        process_and_store(store, jobs, settings, summary, bar, task=cached)
        bar.close()
        finish(store, out, summary)
    _artifact(summary, jobs)
    return summary


def _prepare(c: Candidate, store: Store, http, http_settings: HttpSettings, settings: Settings,
             archive: Path, reprocess: bool, summary: RunSummary) -> Job | None:
    """Fetch or check one candidate and archive it; None when there is nothing new to process."""
    if c.path:
        try:
            kind, _ = check_file(Path(c.path), settings)
        except DocumentError as e:
            _record_error(store, c, e.error_type, e.message, summary)
            return None
        doc_id, kept = archive_file(Path(c.path), archive, kind)
        if not reprocess and store.is_done(doc_id, PIPELINE_VERSION, settings.fingerprint()) and store.source_has(c.source, doc_id):
            summary.unchanged += 1
            return None
        return Job(path=kept, doc_id=doc_id, source=c.source, origin=c.origin, archived_as=kept.name)
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
        _record_error(store, c, ErrorType(got.error_type), got.message, summary, keep_rows=state is not None)
        return None
    doc_id, kept = archive_file(got.path, archive, got.kind)
    http_row = HttpStateRow(url=c.url, doc_id=doc_id, etag=got.etag, last_modified=got.last_modified)
    if not reprocess and store.is_done(doc_id, PIPELINE_VERSION, settings.fingerprint()) and store.source_has(c.url, doc_id):
        store.set_http_state(http_row)
        summary.unchanged += 1
        return None
    return Job(path=kept, doc_id=doc_id, source=c.url, origin=c.origin, archived_as=kept.name, http=http_row)


def _record_error(store: Store, c: Candidate, etype: ErrorType, message: str, summary: RunSummary,
                  keep_rows: bool = False) -> None:
    """A source that fails now: an errors row; rows of an earlier good version are kept."""
    summary.documents_failed += 1
    summary.failed.append((c.source, etype.value, message))
    if keep_rows:
        store.record_error(c.source, Path(c.source).name, etype.value, message)
        return
    result = error_result(Path(c.source), "path:" + c.source, etype, message)
    result.document.source = result.error.source = c.source
    store.write(result, origin=c.origin)


def _artifact(summary: RunSummary, jobs: list[Job]) -> None:
    try:
        lines = [f"# minutes ingest: {summary.documents_ok} new/changed, {summary.unchanged} unchanged, "
                 f"{summary.documents_failed} failed", ""]
        lines += [f"- {j.source}" for j in jobs[:200]]
        lines += [f"- FAILED {src}: [{t}] {m}" for src, t, m in summary.failed[:200]]
        create_markdown_artifact("\n".join(lines), key="minutes-ingest", description="what this run ingested")
    except Exception as e:  # an artifact is a courtesy, never a reason to fail the run
        log.debug("artifact not written: %s", e)
