"""The flow on a real Dask cluster (two worker processes) gives the same tables as a local run,
and its workers report to the run's Prefect server even when none is configured.

Needs the `dask` extra (prefect-dask, distributed); skipped without it. Entities are off to keep
it fast: spaCy would load once per Dask worker."""
import json
import os
import subprocess
import sys

import duckdb
import pytest
from prefect.server.api.server import SubprocessASGIServer

from flows.run import run
from models.settings import Settings
from tests.conftest import FIXTURES, ROOT, SAMPLES

distributed = pytest.importorskip("distributed")
pytest.importorskip("prefect_dask")

FILES = sorted(FIXTURES.glob("items_*.pdf"))[:3] + sorted(FIXTURES.glob("att_*.pdf"))[:2] \
    + sorted(SAMPLES.glob("*.docx"))[:3]


def _tables(out):
    with duckdb.connect(str(out / "minutes.duckdb"), read_only=True) as con:
        items = set(con.execute("""SELECT d.file_name, a.item_no, a.title FROM agenda_items a
                                   JOIN documents d USING (doc_id)""").fetchall())
        people = set(con.execute("""SELECT d.file_name, a.person, a.status FROM attendance a
                                    JOIN documents d USING (doc_id)""").fetchall())
        docs = set(con.execute("SELECT file_name, doc_type, organ, meeting_date, status FROM documents").fetchall())
    return items, people, docs


def test_dask_cluster_gives_the_same_tables_as_a_local_run(tmp_path, prefect_harness):
    assert len(FILES) == 8
    files = [str(p) for p in FILES]
    settings = Settings(entities=False)
    local = run(files, str(tmp_path / "local"), settings)
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster:
        remote = run(files, str(tmp_path / "dask"), settings, dask_address=cluster.scheduler_address)
        with distributed.Client(cluster.scheduler_address) as client:   # the documents ran on the cluster
            ran = client.run(lambda dask_worker: dask_worker.state.executed_count)
    assert local.documents_ok == remote.documents_ok == len(files), remote.failed
    assert remote.documents_failed == 0
    assert remote.rows == local.rows
    assert remote.rows["agenda_items"] > 0 and remote.rows["attendance"] > 0
    assert _tables(tmp_path / "dask") == _tables(tmp_path / "local")
    assert len(ran) == 2 and sum(ran.values()) >= len(files), ran


# A run with no Prefect server configured, in a process of its own (the session's test harness
# sets PREFECT_API_URL, which would hide the problem): after the run, while its temporary server
# still lives, it reads the task runs that server holds.
RUN_WITHOUT_API_URL = """
import json, sys
from flows.run import run
from models.settings import Settings
from prefect.client.orchestration import get_client
address, out, files = sys.argv[1], sys.argv[2], sys.argv[3:]
summary = run(files, out, Settings(entities=False), dask_address=address)
with get_client(sync_client=True) as client:       # the run's own server: still running in this process
    task_runs = client.read_task_runs()
print(json.dumps({"ok": summary.documents_ok, "failed": summary.failed, "rows": summary.rows,
                  "completed_task_runs": sorted(t.name for t in task_runs if t.state_type.value == "COMPLETED")}))
"""


def test_dask_workers_use_the_runs_prefect_server_without_prefect_api_url(tmp_path, capfd):
    """Without PREFECT_API_URL each Dask worker process used to start a temporary Prefect server of
    its own and record its task runs there: the run's server now reaches them with the tasks."""
    files = [str(p) for p in FILES[:4]]
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_API")}
    (tmp_path / "home").mkdir()
    env.update(PYTHONPATH=str(ROOT), PREFECT_HOME=str(tmp_path / "home"))
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster:
        res = subprocess.run([sys.executable, "-c", RUN_WITHOUT_API_URL, cluster.scheduler_address,
                              str(tmp_path / "out"), *files], cwd=ROOT, env=env, capture_output=True, text=True,
                             timeout=600)
        assert res.returncode == 0, res.stderr[-3000:]
        with distributed.Client(cluster.scheduler_address) as client:
            servers = client.run(lambda: [k for k, s in SubprocessASGIServer._instances.items() if s.running])
            ran = client.run(lambda dask_worker: dask_worker.state.executed_count)
    workers_output = capfd.readouterr().err            # the worker processes write to this test's stderr
    result = json.loads(res.stdout.strip().splitlines()[-1])
    assert result["ok"] == len(files) and not result["failed"], result
    assert result["rows"]["agenda_items"] > 0
    assert len(servers) == 2 and all(s == [] for s in servers.values()), servers   # no worker started one
    assert "Starting temporary server" not in workers_output and "address already in use" not in workers_output
    assert sorted(result["completed_task_runs"]) == sorted(f"process {os.path.basename(f)}" for f in files)
    assert sum(ran.values()) >= len(files), ran                   # and the documents ran on the cluster
