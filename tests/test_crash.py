"""Crash safety: a run killed with SIGKILL part-way and run again ends with exactly the rows a
clean run gives (each document is one transaction; row ids derive from content)."""
import concurrent.futures
import hashlib
import os
import shutil
import signal
import subprocess
import sys
import time

import duckdb

from models.schema import DOCUMENT_TABLES
from models.settings import Settings
from runner.batch import plain_submit, run_files
from tests.conftest import FIXTURES, ROOT

KILL_AFTER_SECONDS = 1.0        # after the first document is done; the run takes far longer


def _cmd(src, out):
    return [sys.executable, "-m", "cli.main", "run", str(src), "--out", str(out), "--no-progress", "-v"]


def _snapshot(out) -> dict:
    with duckdb.connect(str(out / "minutes.duckdb"), read_only=True) as con:
        snap = {"documents": sorted(con.execute("SELECT doc_id, status FROM documents").fetchall())}
        for t in DOCUMENT_TABLES:
            if t != "documents":
                snap[t] = sorted(r[0] for r in con.execute(f'SELECT row_id FROM "{t}"').fetchall())
        return snap


def test_sigkill_mid_run_then_rerun_equals_clean_run(tmp_path):
    src = tmp_path / "in"
    for copy in ("a", "b", "c"):      # three copies: enough work that the kill lands mid-run on a fast machine
        shutil.copytree(FIXTURES, src / copy, ignore=shutil.ignore_patterns("gold", "*.py", "*.json", "*.md"))
    # INFO logs show when the first document is done (other tests' CLI calls leave WARNING levels in os.environ)
    env = dict(os.environ, PYTHONPATH=str(ROOT), PREFECT_LOGGING_LEVEL="INFO",
               PREFECT_LOGGING_LOGGERS_PREFECT_LEVEL="INFO", PYTHONUNBUFFERED="1")
    killed_out = tmp_path / "killed"
    proc = subprocess.Popen(_cmd(src, killed_out), cwd=ROOT, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True, start_new_session=True)
    deadline = time.time() + 240
    for line in proc.stdout:          # entities on: spaCy per document keeps the run long enough
        if "Finished in state Completed" in line and ("task_runs" in line or "Task run" in line):
            time.sleep(KILL_AFTER_SECONDS)
            os.killpg(proc.pid, signal.SIGKILL)     # the whole tree, as a power cut would: workers, Prefect
            break
        if time.time() > deadline:
            break
    proc.wait(timeout=60)
    assert proc.returncode == -signal.SIGKILL, "the run finished before it could be killed"
    rerun = subprocess.run(_cmd(src, killed_out), cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert rerun.returncode == 0, rerun.stdout[-2000:] + rerun.stderr[-2000:]
    clean_out = tmp_path / "clean"     # the same batch in this process, through the library: no second CLI start
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        clean = run_files([str(src)], str(clean_out), Settings(), plain_submit(pool, Settings()))
    assert clean.documents_failed == 0 and clean.documents_ok > 0
    killed, fresh = _snapshot(killed_out), _snapshot(clean_out)
    contents = {hashlib.sha256(p.read_bytes()).hexdigest() for p in src.rglob("*") if p.suffix in (".pdf", ".docx")}
    assert len(fresh["documents"]) == len(contents)
    assert killed == fresh
