"""The batch flow: one Prefect task per document (or per --docs-per-task documents), rows written
into the DuckDB store as documents finish, then Parquet/CSV exports. The work is runner/batch.py's;
this file holds Prefect's part: tasks, retries, the task runner. From Python:
`run(["samples"], "out")`, or the flow itself, `run_flow`, inside your own orchestration."""
from __future__ import annotations

import concurrent.futures

from prefect import flow, task
from prefect.cache_policies import NO_CACHE
from prefect.futures import as_completed
from prefect.task_runners import ThreadPoolTaskRunner

from models.result import DocumentResult
from models.settings import Settings
from runner.batch import (EARLY_START, PREFETCH, Job, RunSummary, TransientIOError, check_readable, plan,
                          process_group, run_files)
from runner.progress import progress as progress_bar
from runner.workers import WorkerPool, process_in_worker


def _retry_transient(task, task_run, state) -> bool:
    try:
        state.result()
    except TransientIOError:
        return True
    except Exception:
        return False
    return False


@task(name="process-document", retries=2, retry_delay_seconds=1, retry_condition_fn=_retry_transient,
      cache_policy=NO_CACHE, persist_result=False)
def process_task(path: str, settings: Settings, doc_id: str) -> DocumentResult:
    check_readable(path)
    return process_in_worker(path, settings, doc_id)


@task(name="process-documents", cache_policy=NO_CACHE, persist_result=False)
def process_documents_task(paths: list[str], settings: Settings, doc_ids: list[str]) -> list[DocumentResult]:
    """Several documents in one task (--docs-per-task): Prefect's bookkeeping, ~50 ms of CPU a
    task run with its server's share, is spread over them."""
    return process_group(paths, settings, doc_ids)


def submitter(settings: Settings, task=None, per_task: int = 1):
    """The batch runner's submit function: a group of jobs as one Prefect task run."""
    task = task or process_task

    def submit(group: list[Job]):
        if per_task <= 1:
            return task.with_options(task_run_name=f"process {group[0].name[-80:]}").submit(
                str(group[0].path), settings, group[0].doc_id)
        return process_documents_task.with_options(
            task_run_name=f"process {len(group)} documents: {group[0].name[-60:]} ...").submit(
            [str(j.path) for j in group], settings, [j.doc_id for j in group])
    return submit


def first_done(futures: list, timeout: float | None = None):
    """The first finished future, or None after `timeout` seconds. Waits on the thread pool's own
    futures when they are there (no polling: prefect's as_completed costs ~0.1 s per call), else
    on prefect's as_completed."""
    inner = {getattr(f, "wrapped_future", None): f for f in futures}
    if None not in inner and all(isinstance(w, concurrent.futures.Future) for w in inner):
        done, _ = concurrent.futures.wait(list(inner), timeout=timeout, return_when=concurrent.futures.FIRST_COMPLETED)
        return inner[next(iter(done))] if done else None
    try:
        return next(as_completed(futures, timeout=timeout))
    except TimeoutError:
        return None


def task_runner(workers: int, dask_address: str | None):
    """Prefect tasks are threads that hand documents to worker processes (runner/workers.py), or
    run on a Dask cluster. PREFETCH threads per worker: while one thread does Prefect's
    bookkeeping for a finished document, the worker already has the next one."""
    if dask_address:
        from prefect_dask import DaskTaskRunner
        return DaskTaskRunner(address=dask_address)
    return ThreadPoolTaskRunner(max_workers=max(1, workers) * PREFETCH)


@flow(name="minutes-run", log_prints=False, validate_parameters=False)
def run_flow(paths: list[str], out: str, settings: Settings | None = None, reprocess: bool = False,
             progress: bool = False, docs_per_task: int = 1) -> RunSummary:
    """Process documents under `paths` into the store at `out` and export every table there;
    one Prefect task per document, or per `docs_per_task` documents."""
    settings = Settings(**settings) if isinstance(settings, dict) else (settings or Settings())
    return run_files(paths, out, settings, submitter(settings, per_task=docs_per_task), first_done,
                     reprocess=reprocess, progress=lambda total: progress_bar(progress, total),
                     per_task=docs_per_task)


def run(paths: list[str], out: str, settings: Settings | None = None, workers: int = 1,
        dask_address: str | None = None, reprocess: bool = False, progress: bool = False,
        docs_per_task: int = 1) -> RunSummary:
    """Run the flow with the task runner the caller asks for (threads, processes or a Dask cluster).
    An archive with nothing new is answered from the store without starting Prefect: its ~8 s
    start would be most of an unchanged re-run. With worker processes, the first documents start
    while Prefect does (WorkerPool.start_early); workers run at a lower priority than this process
    and Prefect's server (runner/workers.py). `docs_per_task` > 1 groups documents into
    fewer Prefect task runs (large archives: Prefect's cost is per task run)."""
    if docs_per_task < 1:
        raise ValueError("docs_per_task must be at least 1")
    settings = settings or Settings()
    in_pool = not dask_address and workers >= 1
    unchanged, first = plan(paths, out, settings, reprocess, EARLY_START * workers if in_pool else 0)
    if unchanged is not None:
        return unchanged
    flow_call = run_flow.with_options(task_runner=task_runner(workers, dask_address))
    kwargs = dict(paths=paths, out=out, settings=settings, reprocess=reprocess, progress=progress,
                  docs_per_task=docs_per_task)
    if not in_pool:
        return flow_call(**kwargs)
    with WorkerPool(workers, settings) as pool:
        pool.start_early(first)
        return flow_call(**kwargs)
