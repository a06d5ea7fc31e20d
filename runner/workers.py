"""Worker processes for documents: both cores used, one spaCy model per worker, a hard time
limit per document (SIGALRM works in a worker's main thread) and a memory cap per worker.

A plain ProcessPoolExecutor under Prefect's cheap thread-pool tasks: Prefect's own process
runner spends about half a second of orchestration per task, more than a document costs."""
from __future__ import annotations

import contextlib
import logging
import os
import threading
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from multiprocessing import get_context
from pathlib import Path

from models.enums import ErrorType
from models.result import DocumentResult
from models.settings import Settings
from runner.nlp import get_nlp
from runner.process import error_result, process_document

log = logging.getLogger("minutes")
MAX_DEFAULT_WORKERS = 4       # each worker holds a spaCy model (~400 MB); more is a choice, not a default
DEFAULT_WORKERS = max(1, min(os.cpu_count() or 1, MAX_DEFAULT_WORKERS))
WORKER_NICENESS = 5             # workers run below the process that orchestrates them (see _init_worker)
# Workers are not recycled (max_tasks_per_child): on Python 3.11 a pool whose workers exit after N
# tasks can fail to start replacements and hang (CPython gh-115634); NER's strings are freed per
# document instead (extractors/entities.py, nlp.memory_zone), and RLIMIT_AS caps a worker.

_active: "WorkerPool | None" = None


def _init_worker(entities: bool, max_memory_mb: int) -> None:
    """A worker lowers its own priority: where cores are fewer than processes (2 workers, tesseract,
    the CLI and Prefect's server on 2 cores) Prefect's server must still answer, or the flow dies
    with "Timed out while attempting to connect to ephemeral Prefect API server" while the
    documents' work goes on. The orchestration is light; documents take what it leaves."""
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")    # tesseract: one thread per worker, the pool is the parallelism
    with contextlib.suppress(OSError):
        os.nice(WORKER_NICENESS)
    if max_memory_mb:
        import resource
        limit = max_memory_mb * 1024 * 1024
        _, hard = resource.getrlimit(resource.RLIMIT_AS)
        if hard == resource.RLIM_INFINITY or hard > limit:
            resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    if entities:
        get_nlp()


def _noop() -> None:
    pass


def _work(path: str, settings: Settings, doc_id: str) -> DocumentResult:
    nlp = None
    if settings.entities:
        nlp = get_nlp()
    return process_document(path, settings, nlp, doc_id=doc_id)


class WorkerPool:
    """`with WorkerPool(2, settings):` makes process_in_worker() use the pool in this process."""

    def __init__(self, workers: int, settings: Settings):
        self.workers = max(1, workers)
        self.settings = settings
        self._lock = threading.Lock()
        self._pool = self._new(self.workers)
        self._early: dict[tuple[str, Settings, str], tuple[Future, ProcessPoolExecutor]] = {}
        self._alone_lock = threading.Lock()
        self._alone_pool: ProcessPoolExecutor | None = None
        self._stopping = False
        for _ in range(self.workers):   # start the workers (and their spaCy) now, not at the first document
            self._pool.submit(_noop)

    def start_early(self, jobs: list[tuple[str, Settings, str]]) -> None:
        """Begin these documents before their Prefect tasks exist: Prefect's server takes ~7 s to
        start, time the workers spend on the first documents instead of waiting. A task for one
        of them then collects its result (a retry starts the document again)."""
        with self._lock:
            for job in jobs:
                self._early[job] = (self._pool.submit(_work, *job), self._pool)

    def _new(self, workers: int) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(max_workers=workers, mp_context=get_context("forkserver"),
                                   initializer=_init_worker,
                                   initargs=(self.settings.entities, self.settings.max_memory_mb))

    def run_many(self, jobs: list[tuple[str, Settings, str]]) -> list[DocumentResult]:
        """Documents processed side by side in the workers, results in the order given."""
        with self._lock:
            pool = self._pool
            started = [self._early.pop(job, None) or (pool.submit(_work, *job), pool) for job in jobs]
        return [self._collect(fut, used, job) for (fut, used), job in zip(started, jobs)]

    def _collect(self, fut: Future, pool: ProcessPoolExecutor, job: tuple[str, Settings, str]) -> DocumentResult:
        try:
            return fut.result()
        except BrokenProcessPool:
            if self._stopping:        # stop() ended the workers: no retry, the batch is ending
                raise KeyboardInterrupt from None
            # a worker died (killed for memory, a crash in native code, a signal): every document
            # of that pool gets this error, the one that killed it and those that only shared it
            with self._lock:
                if self._pool is pool:
                    self._pool = self._new(self.workers)
            return self._alone(job)

    def _alone(self, job: tuple[str, Settings, str]) -> DocumentResult:
        """A document whose pool broke runs again, by itself, in a one-worker pool: the document
        that killed its worker kills this one too and fails alone; the others get their results."""
        path, _, doc_id = job
        with self._alone_lock:
            if self._alone_pool is None:
                self._alone_pool = self._new(1)
            try:
                return self._alone_pool.submit(_work, *job).result()
            except BrokenProcessPool:
                self._alone_pool.shutdown(wait=False, cancel_futures=True)
                self._alone_pool = None
        log.error("%s: the worker processing it died", path)
        return error_result(Path(path), doc_id, ErrorType.TOO_LARGE,
                            f"{Path(path).name} made its worker process die (out of memory or a crash "
                            f"in a parser): raise --max-memory-mb only if you trust the file")

    def stop(self) -> None:
        """End the worker processes now (Ctrl-C, SIGTERM): the documents in hand are dropped, not
        finished or retried; the threads waiting for them get KeyboardInterrupt, so Prefect's
        task runner, which waits for its threads, lets the command end within seconds."""
        self._stopping = True
        for pool in (self._pool, self._alone_pool):
            for proc in list((getattr(pool, "_processes", None) or {}).values()):
                with contextlib.suppress(Exception):
                    proc.terminate()

    def __enter__(self):
        global _active
        _active = self
        return self

    def __exit__(self, exc_type, exc, tb):
        global _active
        _active = None
        self._early.clear()
        pools = [p for p in (self._pool, self._alone_pool) if p is not None]
        if exc_type is not None and not issubclass(exc_type, Exception):
            self.stop()            # Ctrl-C or SIGTERM: stop now, not after the documents in hand
        for pool in pools:
            pool.shutdown(wait=True, cancel_futures=True)


def stop_workers() -> None:
    """End the active pool's workers at once (an interrupt; see stopping_workers_on_interrupt)."""
    pool = _active
    if pool is not None:
        pool.stop()


@contextlib.contextmanager
def stopping_workers_on_interrupt():
    """Around the wait for results: an interrupt (KeyboardInterrupt, or the TerminationSignal
    Prefect raises for SIGTERM while a flow runs) ends the workers before anyone waits for the
    documents they hold; Prefect's engine waits for its task threads before it lets go."""
    try:
        yield
    except BaseException as e:
        if not isinstance(e, Exception):
            stop_workers()
        raise


def process_in_worker(path: str, settings: Settings, doc_id: str) -> DocumentResult:
    """In a worker process when a pool is active here; in this process otherwise (threads, Dask)."""
    return process_many_in_worker([(path, settings, doc_id)])[0]


def process_many_in_worker(jobs: list[tuple[str, Settings, str]]) -> list[DocumentResult]:
    """Side by side in the worker processes when a pool is active here; one after another in
    this process otherwise (threads, a Dask worker)."""
    pool = _active
    if pool is not None:
        return pool.run_many(jobs)
    return [_work(*job) for job in jobs]


@contextlib.contextmanager
def worker_pool(workers: int, settings: Settings):
    """The pool documents of a batch run in: the one already active in this process (started
    early by the caller), else a new one of `workers` processes for this batch, else none
    (`workers` 0: threads of this process, without the time limit and memory cap)."""
    if _active is not None or workers < 1:
        yield _active
        return
    with WorkerPool(workers, settings) as pool:
        yield pool
