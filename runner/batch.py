"""The batch runner both `minutes run` and `minutes ingest` use: plan (what is new), process in
the worker pool (through a submit function the caller gives: a Prefect task, or a plain thread
pool), write to the store as documents finish, then export and summarise. Knows nothing of
Prefect: flows/ hands it its tasks."""
from __future__ import annotations

import concurrent.futures
import errno
import itertools
import logging
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from models.document import readable
from models.enums import ErrorType
from models.errors import ADVICE
from models.result import DocumentResult
from models.rows import HttpStateRow
from models.schema import EXPORT_TABLES
from models.settings import Settings
from models.version import PIPELINE_VERSION
from research.exports import export_after_batch
from runner.process import error_doc_id, error_result, stamp_source
from runner.progress import NoBar
from runner.workers import process_many_in_worker, stopping_workers_on_interrupt
from sources.discover import Discovery, discover
from store.database import Pending, Store

log = logging.getLogger("minutes")
WRITE_BATCH = 20                # documents per store transaction (a crash redoes at most these)
WRITE_SECONDS = 2.0             # ... or this long, whichever comes first
IN_FLIGHT = 16                  # documents submitted ahead of the ones being written
PREFETCH = 2                    # task threads per worker process
EARLY_START = 64                # documents per worker begun while Prefect's server starts (results held: a few MB)
TRANSIENT_TRIES = 3             # reads of a file that fails with a transient error (network share)
TRANSIENT_ERRNOS = {errno.EIO, errno.EAGAIN, errno.ETIMEDOUT, errno.ESTALE, errno.EBUSY, errno.EINTR}


class TransientIOError(OSError):
    """A read that may succeed when tried again (network share hiccup, busy file)."""


def check_readable(path: str) -> None:
    """Raise TransientIOError when the file fails to open for a reason that may pass; a lasting
    failure is left to process_document, which reports it."""
    try:
        with open(path, "rb"):
            pass
    except OSError as e:
        if e.errno in TRANSIENT_ERRNOS:
            raise TransientIOError(e.errno, str(e)) from e


def transient_read_error(path: str) -> str | None:
    """None once the file opens (or fails for a lasting reason, which process_document reports);
    the error when a transient one persists over TRANSIENT_TRIES."""
    for attempt in range(1, TRANSIENT_TRIES + 1):
        try:
            with open(path, "rb"):
                return None
        except OSError as e:
            if e.errno not in TRANSIENT_ERRNOS:
                return None
            if attempt == TRANSIENT_TRIES:
                return f"{type(e).__name__}: {e}"
            time.sleep(1)
    return None


def process_group(paths: list[str], settings: Settings, doc_ids: list[str]) -> list[DocumentResult]:
    """Several documents side by side in the worker pool; a file whose transient read error
    persists becomes an error result of its own."""
    problems = [transient_read_error(path) for path in paths]
    done = iter(process_many_in_worker([(path, settings, doc_id)
                                        for path, doc_id, problem in zip(paths, doc_ids, problems) if problem is None]))
    return [next(done) if problem is None else
            error_result(Path(path), doc_id, ErrorType.INTERNAL, f"{Path(path).name} could not be read ({problem})")
            for path, doc_id, problem in zip(paths, doc_ids, problems)]


@dataclass
class RunSummary:
    store: str
    documents_ok: int = 0
    documents_failed: int = 0
    unchanged: int = 0
    skipped_files: int = 0
    skipped: list[tuple[str, str]] = field(default_factory=list)       # file, why it is no document
    rows: dict[str, int] = field(default_factory=dict)
    failed: list[tuple[str, str, str]] = field(default_factory=list)   # file, error_type, message
    exports: dict[str, str] = field(default_factory=dict)


@dataclass
class Job:
    """One document to process: the file to read and what the store should record about it."""
    path: Path
    doc_id: str
    source: str = ""
    origin: str = ""
    archived_as: str = ""
    http: HttpStateRow | None = None

    @property
    def name(self) -> str:
        """How a task run is named: the file name, or the URL."""
        return Path(self.source).name if self.source and "://" not in self.source else (self.source or self.path.name)


# submit(group of jobs) -> a future whose .result() is a DocumentResult or a list of them, in order
Submit = Callable[[list[Job]], Any]
# first_done(futures, timeout) -> the first of them to finish, or None when none did within timeout
FirstDone = Callable[[list, float], Any]


def first_done(futures: list, timeout: float | None = None):
    """The first finished of concurrent.futures futures, or None after `timeout` seconds."""
    done, _ = concurrent.futures.wait(futures, timeout=timeout, return_when=concurrent.futures.FIRST_COMPLETED)
    return next(iter(done), None)


def process_and_store(store: Store, jobs: list[Job], summary: RunSummary, bar, submit: Submit,
                      wait_first: FirstDone = first_done, window: int = IN_FLIGHT, per_task: int = 1) -> None:
    """Submit one group of `per_task` documents at a time, about `window` documents ahead, and
    write each result as it completes: memory stays flat however long the batch, and a crash
    loses at most the documents in flight (each write is one transaction)."""
    pending = iter(jobs)
    in_flight: dict = {}

    def submit_next() -> bool:
        group = list(itertools.islice(pending, max(1, per_task)))
        if not group:
            return False
        in_flight[submit(group)] = group
        return True

    batch: list[Pending] = []
    flushed = time.monotonic()

    def flush() -> None:
        nonlocal flushed
        store.write_many(batch)
        for item in batch:
            doc, error = item.result.document, item.result.error
            bar.advance(doc.file_name, pages=doc.pages or 0,
                        error=f"[{error.error_type}] {error.message}" if error is not None else "")
        batch.clear()
        flushed = time.monotonic()

    tasks_ahead = max(2, -(-window // max(1, per_task)))
    with stopping_workers_on_interrupt():     # Ctrl-C, SIGTERM: the workers end before anyone waits for them
        while len(in_flight) < tasks_ahead and submit_next():
            pass
        while in_flight:
            fut = wait_first(list(in_flight), WRITE_SECONDS)
            if fut is None:      # a slow document is no reason to hold finished ones back from the store
                if batch:
                    flush()
                continue
            group = in_flight.pop(fut)
            try:
                results = fut.result()
                results = results if isinstance(results, list) else [results]
            except Exception as e:   # retries exhausted or a worker died: the batch goes on
                log.error("%s: %s", ", ".join(str(j.source or j.path) for j in group), e)
                results = [error_result(j.path, j.doc_id, ErrorType.INTERNAL,
                                        f"{j.path.name} could not be processed ({type(e).__name__}: {e})") for j in group]
            del fut
            for job, result in zip(group, results):
                if job.source:
                    result = stamp_source(result, job.source)
                batch.append(Pending(result, origin=job.origin, archived_as=job.archived_as, http=job.http))
                if result.ok:
                    summary.documents_ok += 1
                else:
                    summary.documents_failed += 1
                    summary.failed.append((job.source or str(job.path), result.error.error_type, result.error.message))
            submit_next()
            if len(batch) >= WRITE_BATCH or time.monotonic() - flushed > WRITE_SECONDS or not in_flight:
                flush()


def finish(store: Store, out: str, summary: RunSummary) -> None:
    """After the batch: views refreshed, tables exported, rows counted."""
    exports = export_after_batch(store, out)
    summary.exports = {k: str(v) for k, v in exports.items()}
    summary.rows = {t: store.count(t) for t in EXPORT_TABLES}


def unchanged(store: Store, doc_id: str, settings: Settings) -> bool:
    """This content was processed by this pipeline version with these settings (a file that could
    not even be hashed never is)."""
    return not doc_id.startswith("path:") and store.is_done(doc_id, PIPELINE_VERSION, settings.fingerprint())


def file_jobs(found: Discovery, store: Store, settings: Settings, reprocess: bool, summary: RunSummary,
              bar) -> list[Job]:
    """The files of a run that need processing; the others are counted as unchanged."""
    jobs: list[Job] = []
    for p in found.files:
        doc_id = error_doc_id(p)
        if not reprocess and unchanged(store, doc_id, settings):
            summary.unchanged += 1
            bar.advance(unchanged=True)
            continue
        jobs.append(Job(path=p, doc_id=doc_id, source=readable(p), origin="cli"))
    return jobs


def new_summary(store_file: Path, found: Discovery, **counts) -> RunSummary:
    """The summary of a run over what discover() found, its skipped files already counted."""
    return RunSummary(store=str(store_file), skipped_files=len(found.skipped),
                      skipped=[(readable(p), why) for p, why in found.skipped], **counts)


def record_unreadable(store: Store, found: Discovery, summary: RunSummary) -> None:
    """A folder that could not be listed is a failure of its own, with an errors row: its documents
    are missing from the batch, and the user must know which and why."""
    for folder in found.unreadable:
        log.error("%s: permission denied, its documents were not read", readable(folder))
        result = error_result(folder, error_doc_id(folder), ErrorType.PERMISSION,
                              f"folder {folder} cannot be listed, its documents were not read: permission "
                              f"denied: {ADVICE[ErrorType.PERMISSION]}")
        store.write(result, origin="cli")
        summary.documents_failed += 1
        summary.failed.append((result.error.source, ErrorType.PERMISSION.value, result.error.message))


def run_files(paths: list[str], out: str, settings: Settings, submit: Submit, wait_first: FirstDone = first_done,
              reprocess: bool = False, progress: Callable[[int], Any] = lambda total: NoBar(),
              per_task: int = 1) -> RunSummary:
    """The batch of `minutes run`: the files under `paths` into the store at `out`, then exports.
    `progress(total)` makes the progress bar."""
    found = discover(paths)
    summary = new_summary(Path(out) / "minutes.duckdb", found)
    bar = progress(len(found.files))
    with Store(out) as store:
        record_unreadable(store, found, summary)
        jobs = file_jobs(found, store, settings, reprocess, summary, bar)
        process_and_store(store, jobs, summary, bar, submit, wait_first, per_task=per_task)
        bar.close()
        finish(store, out, summary)
    return summary


def plan(paths: list[str], out: str, settings: Settings, reprocess: bool,
         early: int) -> tuple[RunSummary | None, list[tuple[str, Settings, str]]]:
    """One look at the files before Prefect starts: the summary of a run that would process nothing
    (answered from the store), or None and the first `early` documents run_files will process, in
    its order, as worker arguments."""
    found = discover(paths)
    store_file = Path(out) / "minutes.duckdb"
    if reprocess or not store_file.exists() or found.unreadable:
        return None, [(str(p), settings, error_doc_id(p)) for p in found.files[:early]]
    first: list[tuple[str, Settings, str]] = []
    nothing_new = True
    with Store(out) as store:
        for p in found.files:
            doc_id = error_doc_id(p)
            if not unchanged(store, doc_id, settings):
                first.append((str(p), settings, doc_id))
                nothing_new = False
            elif not store.source_has(readable(p), doc_id):
                nothing_new = False
            if not nothing_new and len(first) >= early:
                break
        if not nothing_new:
            return None, first
        summary = new_summary(store_file, found, unchanged=len(found.files))
        finish(store, out, summary)
    log.info("nothing new under %s: %d documents unchanged", ", ".join(paths), summary.unchanged)
    return summary, []


def plain_submit(pool: concurrent.futures.Executor, settings: Settings) -> Submit:
    """A submit function without Prefect: each group of jobs on a thread of `pool`, which hands
    the documents to the worker processes (runner/workers.py)."""
    def submit(group: list[Job]):
        return pool.submit(process_group, [str(j.path) for j in group], settings, [j.doc_id for j in group])
    return submit
