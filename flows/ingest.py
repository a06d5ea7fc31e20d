"""Scheduled, incremental ingestion: new or changed documents from an inbox folder, a URL list
and RSS/Atom feeds; each kept in the store's archive as <doc_id>.<ext>; only what is new is
processed, in worker processes with the same time limit and memory cap as `minutes run`; a
changed document replaces its source's rows and the old version is recorded. The work is
runner/intake.py's; this file holds Prefect's part: tasks, retries, caching, the artifact.

Serve it on a schedule with `minutes serve` (serve_ingest: Prefect's own scheduler, which only a
running `prefect server start` has; scheduler_problem says when there is none), or deploy it to a
work pool with prefect.yaml."""
from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path

import httpx
from prefect import flow, serve, task
from prefect.artifacts import create_markdown_artifact
from prefect.cache_policies import NO_CACHE
from prefect.client.schemas.objects import ConcurrencyLimitConfig, ConcurrencyLimitStrategy
from prefect.deployments import run_deployment
from prefect.settings import PREFECT_API_URL

from flows.run import final_state, first_done, publish_failures, submitter
from models.settings import Settings
from runner.batch import Job, RunSummary
from runner.intake import http_settings_for, ingest_candidates
from runner.progress import progress as progress_bar
from runner.workers import DEFAULT_WORKERS, worker_pool
from sources.feeds import Candidate, collect_candidates
from sources.fetch import HttpSettings

log = logging.getLogger("minutes")
HEALTH_TIMEOUT = 3.0            # seconds to wait for the Prefect server's /health before refusing to serve
SERVE_LIMIT = 1                 # ingestion runs at a time (more are cancelled): one store has one writer
START_SERVER = "`prefect server start`, then `export PREFECT_API_URL=http://127.0.0.1:4200/api`"


@task(name="collect-candidates", retries=2, retry_delay_seconds=2, cache_policy=NO_CACHE, persist_result=False)
def collect(inbox: str | None, url_list: str | None, feeds: list[str], http_settings: HttpSettings) -> list[Candidate]:
    """Everything the sources list now; feeds are read and their item pages searched for documents."""
    return collect_candidates(inbox, url_list, feeds, http_settings)


def _run_name() -> str:
    from prefect.runtime import flow_run
    p = flow_run.parameters
    parts = [f"inbox {Path(p['inbox']).name}" if p.get("inbox") else "",
             f"urls {Path(p['url_list']).name}" if p.get("url_list") else "",
             f"{len(p.get('feeds') or [])} feed(s)" if p.get("feeds") else ""]
    return "ingest " + ", ".join(x for x in parts if x) + f" {dt.datetime.now():%Y-%m-%d %H:%M}"


@flow(name="minutes-ingest", flow_run_name=_run_name, log_prints=False, validate_parameters=False)
def ingest_flow(out: str, inbox: str | None = None, url_list: str | None = None, feeds: list[str] | None = None,
                settings: Settings | None = None, reprocess: bool = False, http_timeout: float = 20.0,
                http_retries: int = 3, progress: bool = False, workers: int = DEFAULT_WORKERS,
                fail_on_error: bool = False) -> RunSummary:
    """One ingestion pass; safe to run on a schedule and to kill at any moment. Documents run in
    `workers` worker processes (0: threads of this process, without time limit and memory cap).
    Failed documents are listed in the artifact `minutes-ingest-failed`; with `fail_on_error` the
    flow run ends Failed when any document failed."""
    settings = Settings(**settings) if isinstance(settings, dict) else (settings or Settings())
    http_settings = http_settings_for(settings, http_timeout, http_retries)
    candidates = collect(inbox, url_list, feeds or [], http_settings)
    with worker_pool(workers, settings):    # results go to the store only, never pickled into PREFECT_HOME
        summary, jobs = ingest_candidates(out, candidates, settings, http_settings, submitter(settings),
                                          first_done, reprocess, lambda total: progress_bar(progress, total))
    _artifact(summary, jobs)
    publish_failures(summary, "minutes-ingest-failed")
    return final_state(summary, fail_on_error)


def _artifact(summary: RunSummary, jobs: list[Job]) -> None:
    try:
        lines = [f"# minutes ingest: {summary.documents_ok} new/changed, {summary.unchanged} unchanged, "
                 f"{summary.documents_failed} failed", ""]
        lines += [f"- {j.source}" for j in jobs[:200]]
        create_markdown_artifact("\n".join(lines), key="minutes-ingest", description="what this run ingested")
    except Exception as e:  # an artifact is a courtesy, never a reason to fail the run
        log.debug("artifact not written: %s", e)


def scheduler_problem(timeout: float = HEALTH_TIMEOUT) -> str | None:
    """Why scheduled runs would never fire, or None: Prefect's temporary server has no scheduler,
    so serving needs PREFECT_API_URL pointing at a server that answers."""
    api = PREFECT_API_URL.value()
    fix = f"start one with {START_SERVER} and serve again"
    if not api:
        return f"scheduled runs need a Prefect server and PREFECT_API_URL is not set: {fix}"
    try:
        answer = httpx.get(api.rstrip("/") + "/health", timeout=timeout)
    except httpx.HTTPError as e:
        return f"no Prefect server answers at {api} ({type(e).__name__}): {fix}"
    if answer.status_code >= 500:   # Cloud workspaces answer a bare request with 401/404: reachable
        return f"the Prefect server at {api} answers {answer.status_code}: {fix}"
    return None


def serve_ingest(name: str, parameters: dict, cron: str | None = None,
                 interval: dt.timedelta | None = None) -> None:
    """Serve ingest_flow as deployment `name` on a schedule, with one run right away (a schedule's
    first run would otherwise wait a whole interval) and one run at a time: a run due while one is
    going is cancelled, not queued (the store has one writer, and the next run picks up whatever
    the cancelled one would have). Blocks until interrupted."""
    one_at_a_time = ConcurrencyLimitConfig(limit=SERVE_LIMIT, collision_strategy=ConcurrencyLimitStrategy.CANCEL_NEW)
    deployment = ingest_flow.to_deployment(name=name, parameters=parameters, cron=cron, interval=interval,
                                           concurrency_limit=one_at_a_time,
                                           description="minutes serve: incremental ingestion on a schedule")
    deployment_id = deployment.apply()
    run_deployment(deployment_id, timeout=0, tags=["first-run"])
    serve(deployment)
