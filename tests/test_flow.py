"""The real Prefect flow on real files into a real DuckDB store: rows in every table, re-runs that
replace instead of duplicating, changed files versioned, broken files as error rows."""
import shutil

import duckdb
import pytest

from flows.run import run, run_flow
from models.schema import EXPORT_TABLES
from models.settings import Settings
from tests.conftest import DEVSET, SAMPLES, needs_shared


def _count(store, table, where="1=1"):
    with duckdb.connect(str(store), read_only=True) as con:
        return con.execute(f'SELECT count(*) FROM "{table}" WHERE {where}').fetchone()[0]


@pytest.fixture(scope="module")
def batch(tmp_path_factory, prefect_harness):
    """samples/ plus two broken files, run once through the flow."""
    src = tmp_path_factory.mktemp("in")
    for p in SAMPLES.glob("*.*"):
        if p.suffix in (".pdf", ".docx"):
            shutil.copy(p, src / p.name)
    (src / "truncated.pdf").write_bytes((SAMPLES / next(SAMPLES.glob("*.pdf")).name).read_bytes()[:3000])
    (src / "error-page.pdf").write_text("<!DOCTYPE html><html><body>404 Not Found</body></html>")
    (src / "notes.txt").write_text("not a document")
    out = tmp_path_factory.mktemp("out")
    summary = run_flow(paths=[str(src)], out=str(out), settings=Settings())
    return src, out, summary


def test_every_table_written_in_every_format(batch):
    _, out, summary = batch
    for table in EXPORT_TABLES:
        assert (out / f"{table}.parquet").exists() and (out / f"{table}.csv").exists(), table
    assert (out / "minutes.duckdb").exists()
    for table in ("documents", "attendance", "agenda_items", "decisions", "dates", "entities", "errors"):
        assert summary.rows[table] > 0, table


def test_broken_files_become_error_rows_and_the_batch_goes_on(batch):
    _, out, summary = batch
    assert summary.documents_ok == 8 and summary.documents_failed == 2
    assert summary.skipped_files == 1           # notes.txt
    store = out / "minutes.duckdb"
    assert _count(store, "errors") == 2
    assert _count(store, "errors", "file_name = 'error-page.pdf' AND error_type = 'unsupported'") == 1
    assert _count(store, "errors", "file_name = 'truncated.pdf' AND error_type = 'corrupt'") == 1
    assert _count(store, "documents", "status = 'error'") == 2


def test_rows_carry_provenance(batch):
    _, out, _ = batch
    with duckdb.connect(str(out / "minutes.duckdb"), read_only=True) as con:
        bad = con.execute("""SELECT count(*) FROM decisions d LEFT JOIN documents o USING (doc_id)
                             WHERE o.doc_id IS NULL OR d.page < 1 OR d.source_text = ''""").fetchone()[0]
        assert bad == 0
        ids = con.execute("SELECT count(*), count(DISTINCT row_id) FROM attendance").fetchone()
        assert ids[0] == ids[1]


def test_rerun_replaces_instead_of_duplicating(batch):
    src, out, _ = batch
    store = out / "minutes.duckdb"
    before = {t: _count(store, t) for t in ("documents", "attendance", "decisions", "dates", "errors")}
    again = run_flow(paths=[str(src)], out=str(out), settings=Settings())
    assert again.unchanged == 10 and again.documents_ok == 0
    forced = run_flow(paths=[str(src)], out=str(out), settings=Settings(), reprocess=True)
    assert forced.documents_ok == 8
    assert {t: _count(store, t) for t in before} == before


@needs_shared
def test_changed_file_replaces_its_rows_and_keeps_the_version(tmp_path, prefect_harness):
    a = DEVSET / "sote-johtoryhma-2017-01-18.docx"
    b = SAMPLES / "esityslista_tekninen_lautakunta_2019-04-09.docx"
    target = tmp_path / "in" / "minutes.docx"
    target.parent.mkdir()
    shutil.copy(a, target)
    out = tmp_path / "out"
    settings = Settings(entities=False)
    run_flow(paths=[str(target)], out=str(out), settings=settings)
    store = out / "minutes.duckdb"
    assert _count(store, "attendance") == 17
    shutil.copy(b, target)                       # the same source now holds other bytes
    run_flow(paths=[str(target)], out=str(out), settings=settings)
    assert _count(store, "documents") == 1
    assert _count(store, "attendance", "person = 'Tero Nissinen'") == 0
    assert _count(store, "document_versions") == 1


@needs_shared
def test_process_pool_gives_the_same_tables(tmp_path, prefect_harness):
    files = [str(DEVSET / "sote-johtoryhma-2017-01-18.pdf"), str(DEVSET / "real" / "r068.pdf")]
    one = run(files, str(tmp_path / "one"), Settings(entities=False), workers=1)
    two = run(files, str(tmp_path / "two"), Settings(entities=False), workers=2)
    assert one.rows == two.rows and two.documents_ok == 2


def _rows(store, table, column="row_id"):
    with duckdb.connect(str(store), read_only=True) as con:
        return sorted(con.execute(f'SELECT {column} FROM "{table}"').fetchall())


def test_documents_grouped_per_task_give_the_same_rows(tmp_path, prefect_harness):
    """--docs-per-task 3: fewer Prefect task runs, the same rows, the broken file still an error row."""
    src = tmp_path / "in"
    src.mkdir()
    for p in sorted(SAMPLES.glob("*.*")):
        if p.suffix in (".pdf", ".docx"):
            shutil.copy(p, src / p.name)
    (src / "truncated.pdf").write_bytes(next(SAMPLES.glob("*.pdf")).read_bytes()[:3000])
    single = run([str(src)], str(tmp_path / "single"), Settings(entities=False), workers=2)
    grouped = run([str(src)], str(tmp_path / "grouped"), Settings(entities=False), workers=2, docs_per_task=3)
    assert grouped.documents_ok == single.documents_ok == 8
    assert grouped.documents_failed == single.documents_failed == 1
    assert grouped.rows == single.rows
    for table, column in (("decisions", "row_id"), ("attendance", "row_id"), ("agenda_items", "row_id"),
                          ("errors", "doc_id, error_type")):
        assert _rows(tmp_path / "grouped" / "minutes.duckdb", table, column) \
            == _rows(tmp_path / "single" / "minutes.duckdb", table, column)
