"""Worker processes: a worker that dies takes no other document with it."""
import os
import signal
import time

import psutil

from runner.process import error_doc_id
from models.settings import Settings
from runner.workers import WorkerPool, process_many_in_worker
from tests.conftest import FIXTURES, SAMPLES

DOCUMENTS = sorted(p for d in (SAMPLES, FIXTURES) for p in d.glob("*.*") if p.suffix in (".pdf", ".docx"))


def _workers() -> list[psutil.Process]:
    """This process's pool workers: the children of its multiprocessing forkserver."""
    return [c for c in psutil.Process().children(recursive=True)
            if c.parent() is not None and "forkserver" in " ".join(c.parent().cmdline())]


def test_a_killed_worker_costs_no_document():
    """SIGKILL one of two workers while the first documents run. Python breaks the whole pool
    then, and every document in it used to become a 'made its worker process die' error row;
    each now runs again by itself and only a document that kills its worker again fails."""
    settings = Settings(entities=False)
    jobs = [(str(p), settings, error_doc_id(p)) for p in DOCUMENTS]
    with WorkerPool(2, settings) as pool:
        pool.start_early(jobs)
        deadline = time.monotonic() + 60
        while len(_workers()) < 2 and time.monotonic() < deadline:
            time.sleep(0.05)
        time.sleep(0.5)                              # both are on their first documents
        os.kill(_workers()[0].pid, signal.SIGKILL)
        results = process_many_in_worker(jobs)
    assert len(results) == len(jobs) > 20
    assert [r.document.file_name for r in results if not r.ok] == []
