"""The batch flow: one Prefect task per document, rows streamed into the DuckDB store as each
document finishes, then Parquet/CSV exports. Callable from Python: `run_flow(["samples"], "out")`."""
from __future__ import annotations

import concurrent.futures
import errno
import itertools
import logging
import os
import time
from dataclasses import dataclass, field
from pathlib import Path

from prefect import flow, task
from prefect.cache_policies import NO_CACHE
from prefect.futures import as_completed
from prefect.task_runners import ThreadPoolTaskRunner

from models.enums import ErrorType
from pipeline import PIPELINE_VERSION, code_fingerprint
from pipeline.discover import discover
from pipeline.process import DocumentResult, error_doc_id, error_result, stamp_source
from pipeline.workers import WorkerPool, process_in_worker, process_many_in_worker
from pipeline.settings import Settings
from pipeline.store import Pending, Store
from models.rows import HttpStateRow
from models.schema import EXPORT_TABLES

log = logging.getLogger("minutes")
WRITE_BATCH = 20                # documents per store transaction (a crash redoes at most these)
WRITE_SECONDS = 2.0             # ... or this long, whichever comes first
CODE_FINGERPRINT = code_fingerprint()
IN_FLIGHT = 16                  # documents submitted ahead of the ones being written
PREFETCH = 2                    # task threads per worker process
EARLY_START = 64                # documents per worker begun while Prefect's server starts (results held: a few MB)
ORCHESTRATION_NICENESS = 10     # the CLI's priority below its workers (yield_cpu_to_workers)
TRANSIENT_TRIES = 3             # reads of a file that fails with a transient error (network share)
TRANSIENT_ERRNOS = {errno.EIO, errno.EAGAIN, errno.ETIMEDOUT, errno.ESTALE, errno.EBUSY, errno.EINTR}


class TransientIOError(OSError):
    """A read that may succeed when tried again (network share hiccup, busy file)."""


def _retry_transient(task, task_run, state) -> bool:
    try:
        state.result()
    except TransientIOError:
        return True
    except Exception:
        return False
    return False


def content_cache_key(context, parameters) -> str:
    """Cache on what determines the output: the bytes, the pipeline version, the settings."""
    return (f"minutes-{parameters['doc_id']}-{PIPELINE_VERSION}-{CODE_FINGERPRINT}-"
            f"{parameters['settings'].fingerprint()}")


@task(name="process-document", retries=2, retry_delay_seconds=1, retry_condition_fn=_retry_transient,
      cache_policy=NO_CACHE, persist_result=False)
def process_task(path: str, settings: Settings, doc_id: str) -> DocumentResult:
    try:
        with open(path, "rb"):
            pass
    except OSError as e:
        if e.errno in TRANSIENT_ERRNOS:
            raise TransientIOError(e.errno, str(e)) from e
    return process_in_worker(path, settings, doc_id)


@task(name="process-documents", cache_policy=NO_CACHE, persist_result=False)
def process_documents_task(paths: list[str], settings: Settings, doc_ids: list[str]) -> list[DocumentResult]:
    """Several documents in one task (--docs-per-task): Prefect's bookkeeping, ~50 ms of CPU a
    task run with its server's share, is spread over them. A transient read error is retried for
    that document alone."""
    problems = [_transient_read_error(path) for path in paths]
    done = iter(process_many_in_worker([(path, settings, doc_id)
                                        for path, doc_id, problem in zip(paths, doc_ids, problems) if problem is None]))
    return [next(done) if problem is None else
            error_result(Path(path), doc_id, ErrorType.INTERNAL, f"{Path(path).name} could not be read ({problem})")
            for path, doc_id, problem in zip(paths, doc_ids, problems)]


def _transient_read_error(path: str) -> str | None:
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


@dataclass
class RunSummary:
    store: str
    documents_ok: int = 0
    documents_failed: int = 0
    unchanged: int = 0
    skipped_files: int = 0
    rows: dict[str, int] = field(default_factory=dict)
    failed: list[tuple[str, str, str]] = field(default_factory=list)   # file, error_type, message
    exports: dict[str, str] = field(default_factory=dict)


def _task_runner(workers: int, dask_address: str | None):
    """Prefect tasks are threads that hand documents to worker processes (pipeline.workers), or
    run on a Dask cluster. PREFETCH threads per worker: while one thread does Prefect's
    bookkeeping for a finished document, the worker already has the next one."""
    if dask_address:
        from prefect_dask import DaskTaskRunner
        return DaskTaskRunner(address=dask_address)
    return ThreadPoolTaskRunner(max_workers=max(1, workers) * PREFETCH)


@dataclass
class Job:
    """One document to process: the file to read and what the store should record about it."""
    path: Path
    doc_id: str
    source: str = ""
    origin: str = ""
    archived_as: str = ""
    http: HttpStateRow | None = None


def process_and_store(store: Store, jobs: list[Job], settings: Settings, summary: RunSummary, bar,
                      task=None, window: int = IN_FLIGHT, per_task: int = 1) -> None:
    """Submit one task per document (or per `per_task` documents), about `window` documents at a
    time, and write each result as it completes: memory stays flat however long the batch, and a
    crash loses at most the documents in flight (each write is one transaction)."""
    task = task or process_task
    pending = iter(jobs)
    in_flight: dict = {}

    def submit_next() -> bool:
        group = list(itertools.islice(pending, max(1, per_task)))
        if not group:
            return False
        names = [Path(j.source).name if j.source and "://" not in j.source else (j.source or j.path.name)
                 for j in group]
        if per_task <= 1:
            fut = task.with_options(task_run_name=f"process {names[0][-80:]}").submit(
                str(group[0].path), settings, group[0].doc_id)
        else:
            fut = process_documents_task.with_options(
                task_run_name=f"process {len(group)} documents: {names[0][-60:]} ...").submit(
                [str(j.path) for j in group], settings, [j.doc_id for j in group])
        in_flight[fut] = group
        return True

    batch: list[Pending] = []
    flushed = time.monotonic()

    def flush() -> None:
        nonlocal flushed
        store.write_many(batch)
        for item in batch:
            bar.advance(item.result.document.file_name)
        batch.clear()
        flushed = time.monotonic()

    tasks_ahead = max(2, -(-window // max(1, per_task)))
    while len(in_flight) < tasks_ahead and submit_next():
        pass
    while in_flight:
        fut = _first_done(list(in_flight))
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


def _first_done(futures: list):
    """The first finished future. Waits on the thread pool's own futures when they are there
    (no polling: prefect's as_completed costs ~0.1 s per call), else on prefect's as_completed."""
    inner = {getattr(f, "wrapped_future", None): f for f in futures}
    if None not in inner and all(isinstance(w, concurrent.futures.Future) for w in inner):
        done, _ = concurrent.futures.wait(list(inner), return_when=concurrent.futures.FIRST_COMPLETED)
        return inner[next(iter(done))]
    return next(as_completed(futures))


def finish(store: Store, out: str, summary: RunSummary) -> None:
    exports = store.export(out)
    summary.exports = {k: str(v) for k, v in exports.items()}
    summary.rows = {t: store.count(t) for t in EXPORT_TABLES}


@flow(name="minutes-run", log_prints=False, validate_parameters=False)
def run_flow(paths: list[str], out: str, settings: Settings | None = None, reprocess: bool = False,
             progress: bool = False, docs_per_task: int = 1) -> RunSummary:
    """Process documents under `paths` into the store at `out` and export every table there;
    one Prefect task per document, or per `docs_per_task` documents."""
    settings = Settings(**settings) if isinstance(settings, dict) else (settings or Settings())
    found = discover(paths)
    summary = RunSummary(store=str(Path(out) / "minutes.duckdb"), skipped_files=len(found.skipped))
    bar = _progress(progress, len(found.files))
    with Store(out) as store:
        jobs: list[Job] = []
        for p in found.files:
            doc_id = error_doc_id(p)
            if not reprocess and _unchanged(store, doc_id, settings):
                summary.unchanged += 1
                bar.advance()
                continue
            jobs.append(Job(path=p, doc_id=doc_id, source=str(p), origin="cli"))
        process_and_store(store, jobs, settings, summary, bar, per_task=docs_per_task)
        bar.close()
        finish(store, out, summary)
    return summary


class _NoBar:
    def advance(self, name: str = "") -> None:
        pass

    def close(self) -> None:
        pass


class _RichBar(_NoBar):
    def __init__(self, total: int):
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
        self.p = Progress(TextColumn("[bold]documents"), BarColumn(), MofNCompleteColumn(),
                          TimeRemainingColumn(), TextColumn("{task.description}"), transient=False)
        self.p.start()
        self.t = self.p.add_task("", total=total)

    def advance(self, name: str = "") -> None:
        self.p.update(self.t, advance=1, description=name[:40])

    def close(self) -> None:
        self.p.stop()


def _progress(enabled: bool, total: int):
    return _RichBar(total) if enabled and total else _NoBar()


def _unchanged(store: Store, doc_id: str, settings: Settings) -> bool:
    """This content was processed by this pipeline version with these settings (a file that could
    not even be hashed never is)."""
    return not doc_id.startswith("path:") and store.is_done(doc_id, PIPELINE_VERSION, settings.fingerprint())


def _plan(paths: list[str], out: str, settings: Settings, reprocess: bool,
          early: int) -> tuple[RunSummary | None, list[tuple[str, Settings, str]]]:
    """One look at the files before Prefect starts: the summary of a run that would process nothing
    (answered from the store), or None and the first `early` documents run_flow will process, in
    its order, as worker arguments."""
    found = discover(paths)
    store_file = Path(out) / "minutes.duckdb"
    if reprocess or not store_file.exists():
        return None, [(str(p), settings, error_doc_id(p)) for p in found.files[:early]]
    first: list[tuple[str, Settings, str]] = []
    nothing_new = True
    with Store(out) as store:
        for p in found.files:
            doc_id = error_doc_id(p)
            if not _unchanged(store, doc_id, settings):
                first.append((str(p), settings, doc_id))
                nothing_new = False
            elif not store.source_has(str(p), doc_id):
                nothing_new = False
            if not nothing_new and len(first) >= early:
                break
        if not nothing_new:
            return None, first
        summary = RunSummary(store=str(store_file), unchanged=len(found.files), skipped_files=len(found.skipped))
        finish(store, out, summary)
    log.info("nothing new under %s: %d documents unchanged", ", ".join(paths), summary.unchanged)
    return summary, []


def yield_cpu_to_workers(niceness: int) -> None:
    """Lower this process's CPU priority, and so that of Prefect's ephemeral server it starts
    next. Worker processes already running keep theirs: where cores are fewer than processes
    (2 workers + main + server on 2 cores), documents get the CPU first and Prefect's bookkeeping
    fills the gaps. Only for a process that is ours to lower, the CLI's."""
    current = os.nice(0)
    if niceness > current:
        os.nice(niceness - current)


def run(paths: list[str], out: str, settings: Settings | None = None, workers: int = 1,
        dask_address: str | None = None, reprocess: bool = False, progress: bool = False,
        niceness: int = 0, docs_per_task: int = 1) -> RunSummary:
    """Run the flow with the task runner the caller asks for (threads, processes or a Dask cluster).
    An archive with nothing new is answered from the store without starting Prefect: its ~8 s
    start would be most of an unchanged re-run. With worker processes, the first documents start
    while Prefect does (WorkerPool.start_early); `niceness` > 0 then lowers this process and
    Prefect's server below them (yield_cpu_to_workers). `docs_per_task` > 1 groups documents into
    fewer Prefect task runs (large archives: Prefect's cost is per task run)."""
    if docs_per_task < 1:
        raise ValueError("docs_per_task must be at least 1")
    settings = settings or Settings()
    in_pool = not dask_address and workers >= 1
    unchanged, first = _plan(paths, out, settings, reprocess, EARLY_START * workers if in_pool else 0)
    if unchanged is not None:
        return unchanged
    runner = _task_runner(workers, dask_address)
    flow_call = run_flow.with_options(task_runner=runner)
    kwargs = dict(paths=paths, out=out, settings=settings, reprocess=reprocess, progress=progress,
                  docs_per_task=docs_per_task)
    if not in_pool:
        return flow_call(**kwargs)
    with WorkerPool(workers, settings) as pool:
        pool.start_early(first)
        if niceness:
            yield_cpu_to_workers(niceness)
        return flow_call(**kwargs)
