"""The batch flow: one Prefect task per document (or per --docs-per-task documents), rows written
into the DuckDB store as documents finish, then Parquet/CSV exports. The work is runner/batch.py's;
this file holds Prefect's part: tasks, retries, the task runner. From Python:
`run(["samples"], "out")`, or the flow itself, `run_flow`, inside your own orchestration."""
from __future__ import annotations

import concurrent.futures
import contextlib
import logging

from prefect import flow, task
from prefect.artifacts import create_markdown_artifact
from prefect.cache_policies import NO_CACHE
from prefect.futures import as_completed
from prefect.settings import PREFECT_API_URL, temporary_settings
from prefect.states import Failed
from prefect.task_runners import ThreadPoolTaskRunner

from models.result import DocumentResult
from models.settings import Settings
from runner.batch import (EARLY_START, PREFETCH, Job, RunSummary, TransientIOError, check_readable, plan,
                          process_group, run_files)
from runner.outcome import DocumentsFailed, failed_table, failure, run_name
from runner.progress import progress as progress_bar
from runner.workers import WorkerPool, process_in_worker

log = logging.getLogger("minutes")


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


def _flow_run_name() -> str:
    from prefect.runtime import flow_run
    return run_name(list(flow_run.parameters.get("paths") or []))


def publish_failures(summary: RunSummary, key: str) -> None:
    """A markdown artifact listing the failed documents, when there are any."""
    if not summary.failed:
        return
    try:
        create_markdown_artifact(failed_table(summary), key=key, description="documents that failed in this run")
    except Exception as e:  # an artifact is a courtesy, never a reason to fail the run
        log.debug("artifact not written: %s", e)


def final_state(summary: RunSummary, fail_on_error: bool):
    """The flow's return value: the summary, or a Failed state carrying it when documents failed
    and the caller asked for failure (the run stays Completed otherwise: the batch itself ran)."""
    error = failure(summary) if fail_on_error else None
    return Failed(message=str(error), data=error) if error else summary


def unwrap(state) -> RunSummary:
    """The summary of a flow run called with return_state=True, also when fail_on_error failed it;
    any other failure raises as it would have."""
    try:
        return state.result()
    except DocumentsFailed as e:
        return e.summary


@flow(name="minutes-run", flow_run_name=_flow_run_name, log_prints=False, validate_parameters=False)
def run_flow(paths: list[str], out: str, settings: Settings | None = None, reprocess: bool = False,
             progress: bool = False, docs_per_task: int = 1, fail_on_error: bool = False) -> RunSummary:
    """Process documents under `paths` into the store at `out` and export every table there;
    one Prefect task per document, or per `docs_per_task` documents. Failed documents are listed
    in the artifact `minutes-run-failed`; with `fail_on_error` the flow run ends Failed when any
    document failed (calling the flow then raises DocumentsFailed, which carries the summary)."""
    settings = Settings(**settings) if isinstance(settings, dict) else (settings or Settings())
    summary = run_files(paths, out, settings, submitter(settings, per_task=docs_per_task), first_done,
                        reprocess=reprocess, progress=lambda total: progress_bar(progress, total),
                        per_task=docs_per_task)
    publish_failures(summary, "minutes-run-failed")
    return final_state(summary, fail_on_error)


@contextlib.contextmanager
def api_for_remote_workers(dask_address: str | None):
    """Dask workers are other processes: without PREFECT_API_URL each would start a temporary
    Prefect server of its own (and record its task runs there). When this run has no server
    configured, start the temporary one here and hand its address to the workers: Prefect
    serialises its settings, PREFECT_API_URL among them, with every task it sends to Dask.
    The temporary server listens on 127.0.0.1, so workers on other machines need a real
    server (PREFECT_API_URL set before the run)."""
    if not dask_address or PREFECT_API_URL.value():
        yield
        return
    from prefect.server.api.server import SubprocessASGIServer
    server = SubprocessASGIServer()      # the one Prefect's own client would start (stopped at exit)
    server.start()
    with temporary_settings(updates={PREFECT_API_URL: server.api_url}):
        yield


def run(paths: list[str], out: str, settings: Settings | None = None, workers: int = 1,
        dask_address: str | None = None, reprocess: bool = False, progress: bool = False,
        docs_per_task: int = 1, fail_on_error: bool = False) -> RunSummary:
    """Run the flow with the task runner the caller asks for (threads, processes or a Dask cluster).
    An archive with nothing new is answered from the store without starting Prefect: its ~8 s
    start would be most of an unchanged re-run. With worker processes, the first documents start
    while Prefect does (WorkerPool.start_early); workers run at a lower priority than this process
    and Prefect's server (runner/workers.py). `docs_per_task` > 1 groups documents into
    fewer Prefect task runs (large archives: Prefect's cost is per task run). With `fail_on_error`
    the flow run ends Failed when a document failed; the summary is returned either way."""
    if docs_per_task < 1:
        raise ValueError("docs_per_task must be at least 1")
    settings = settings or Settings()
    in_pool = not dask_address and workers >= 1
    unchanged, first = plan(paths, out, settings, reprocess, EARLY_START * workers if in_pool else 0)
    if unchanged is not None:
        return unchanged
    flow_call = run_flow.with_options(task_runner=task_runner(workers, dask_address))
    kwargs = dict(paths=paths, out=out, settings=settings, reprocess=reprocess, progress=progress,
                  docs_per_task=docs_per_task, fail_on_error=fail_on_error, return_state=True)
    if not in_pool:
        with api_for_remote_workers(dask_address):
            return unwrap(flow_call(**kwargs))
    with WorkerPool(workers, settings) as pool:
        pool.start_early(first)
        return unwrap(flow_call(**kwargs))
