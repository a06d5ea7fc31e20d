"""The flow on a real Dask cluster (two worker processes) gives the same tables as a local run.

Needs the `dask` extra (prefect-dask, distributed); skipped without it. Entities are off to keep
it fast: spaCy would load once per Dask worker."""
import duckdb
import pytest

from flows.run import run
from models.settings import Settings
from tests.conftest import FIXTURES, SAMPLES

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
